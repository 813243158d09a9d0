/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kassa-customer.h"
#include "kassa-error.h"

#include "kassa-test-properties.h"

static void
test_properties (void)
{
  g_autoptr(KassaCustomer) customer = kassa_customer_new ();

  kassa_test_check_defaults (G_OBJECT (customer));
  kassa_test_check_properties (G_OBJECT (customer), NULL);
}

static void
test_addresses_exact (void)
{
  g_autoptr(KassaCustomer) customer = kassa_customer_new ();
  g_autoptr(GString) long_address = g_string_new ("  c/o Müller & Söhne\r\n\tHinterhaus, 3. OG links\n");
  const char *shipping = "  Flat 2B\n\n  12  Long   Lane \nLondon  N1 9GU\n  ";

  for (guint i = 0; i < 200; i++)
    g_string_append (long_address, "Industriestraße 123, Gebäude C, Tor 4 ");

  kassa_customer_set_billing_address (customer, long_address->str);
  kassa_customer_set_shipping_address (customer, shipping);

  g_assert_cmpstr (kassa_customer_get_billing_address (customer), ==, long_address->str);
  g_assert_cmpuint (strlen (kassa_customer_get_billing_address (customer)), ==, long_address->len);
  g_assert_cmpstr (kassa_customer_get_shipping_address (customer), ==, shipping);
}

static void
test_walk_in (void)
{
  g_autoptr(KassaCustomer) walk_in = kassa_customer_new_walk_in ();
  g_autoptr(KassaCustomer) other = kassa_customer_new_walk_in ();

  g_assert_true (kassa_customer_get_is_walk_in (walk_in));
  g_assert_cmpint (kassa_customer_get_id (walk_in), ==, KASSA_CUSTOMER_WALK_IN_ID);
  g_assert_cmpstr (kassa_customer_get_display_name (walk_in), ==, "Walk-in customer");
  g_assert_true (kassa_customer_validate (walk_in, NULL));

  /* Separate objects: renaming one does not rename the other. */
  g_assert_true (walk_in != other);
  kassa_customer_set_name (walk_in, "Counter");
  g_assert_cmpstr (kassa_customer_get_display_name (walk_in), ==, "Counter");
  g_assert_cmpstr (kassa_customer_get_display_name (other), ==, "Walk-in customer");
}

static void
test_validate (void)
{
  g_autoptr(KassaCustomer) customer = kassa_customer_new ();
  g_autoptr(GError) error = NULL;
  const char *bad[] = { "no-at-sign", "@example.org", "someone@", "a@b@c", "some one@example.org" };

  g_assert_false (kassa_customer_validate (customer, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "A customer needs a name");
  g_clear_error (&error);

  kassa_customer_set_name (customer, "Grace Hopper");
  g_assert_true (kassa_customer_validate (customer, NULL));
  g_assert_cmpstr (kassa_customer_get_display_name (customer), ==, "Grace Hopper");

  kassa_customer_set_email (customer, "grace@example.org");
  g_assert_true (kassa_customer_validate (customer, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      kassa_customer_set_email (customer, bad[i]);
      g_assert_false (kassa_customer_validate (customer, &error));
      g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
      g_clear_error (&error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/customer/properties", test_properties);
  g_test_add_func ("/kassa/customer/addresses-exact", test_addresses_exact);
  g_test_add_func ("/kassa/customer/walk-in", test_walk_in);
  g_test_add_func ("/kassa/customer/validate", test_validate);

  return g_test_run ();
}
