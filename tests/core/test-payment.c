/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-payment.h"

#include "kassa-test-properties.h"

static void
test_properties (void)
{
  g_autoptr(KassaPayment) payment = kassa_payment_new ();

  kassa_test_check_defaults (G_OBJECT (payment));
  kassa_test_check_properties (G_OBJECT (payment), NULL);
}

static void
test_record (void)
{
  g_autoptr(KassaPayment) payment = kassa_payment_new ();
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 11, 25, 10, 15, 0);

  kassa_payment_set_provider_id (payment, "stripe_terminal");
  kassa_payment_set_amount (payment, 1250);
  kassa_payment_set_currency_code (payment, "JPY");
  kassa_payment_set_method_label (payment, "Visa •••• 4242");
  kassa_payment_set_reference (payment, "pi_3Nabc");
  kassa_payment_set_paid_at (payment, when);

  g_assert_cmpstr (kassa_payment_get_provider_id (payment), ==, "stripe_terminal");
  g_assert_cmpint (kassa_payment_get_amount (payment), ==, 1250);
  g_assert_cmpstr (kassa_payment_get_currency_code (payment), ==, "JPY");
  g_assert_cmpstr (kassa_payment_get_method_label (payment), ==, "Visa •••• 4242");
  g_assert_cmpstr (kassa_payment_get_reference (payment), ==, "pi_3Nabc");
  g_assert_true (g_date_time_equal (kassa_payment_get_paid_at (payment), when));
  g_assert_cmpint (kassa_payment_get_refunded_amount (payment), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/payment/properties", test_properties);
  g_test_add_func ("/kassa/payment/record", test_record);

  return g_test_run ();
}
