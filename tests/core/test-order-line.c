/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-error.h"
#include "kassa-order-line.h"

#include "kassa-test-properties.h"

static void
test_properties (void)
{
  g_autoptr(KassaOrderLine) line = kassa_order_line_new ();
  const char *skip[] = { "locked", NULL };

  kassa_test_check_defaults (G_OBJECT (line));
  g_assert_cmpint (kassa_order_line_get_quantity (line), ==, 1000);
  kassa_test_check_properties (G_OBJECT (line), skip);
}

static void
test_locked (void)
{
  g_autoptr(KassaOrderLine) line = kassa_order_line_new ();
  g_autoptr(GError) error = NULL;
  guint count = 0;

  g_assert_true (kassa_order_line_set_name (line, "Tea", NULL));
  g_assert_true (kassa_order_line_set_unit_price (line, 350, NULL));
  kassa_order_line_set_locked (line, TRUE);
  g_assert_true (kassa_order_line_get_locked (line));

  g_signal_connect (line, "notify", G_CALLBACK (kassa_test_count_notify_cb), &count);

  g_assert_false (kassa_order_line_set_unit_price (line, 1, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_false (kassa_order_line_set_quantity (line, 2000, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_false (kassa_order_line_set_sku (line, "X", &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_false (kassa_order_line_set_name (line, "Coffee", &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_false (kassa_order_line_set_tax_rate (line, 1, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_false (kassa_order_line_set_delivery_method (line, KASSA_DELIVERY_METHOD_PICKUP, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED);
  g_clear_error (&error);

  /* Setting what it already holds is no change, so no error. */
  g_assert_true (kassa_order_line_set_unit_price (line, 350, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (count, ==, 0);
  g_assert_cmpstr (kassa_order_line_get_name (line), ==, "Tea");
  g_assert_cmpint (kassa_order_line_get_unit_price (line), ==, 350);
}

static void
test_unlock_refused (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(KassaOrderLine) line = kassa_order_line_new ();

      kassa_order_line_set_locked (line, TRUE);
      kassa_order_line_set_locked (line, FALSE);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*locked*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/order-line/properties", test_properties);
  g_test_add_func ("/kassa/order-line/locked", test_locked);
  g_test_add_func ("/kassa/order-line/unlock-refused", test_unlock_refused);

  return g_test_run ();
}
