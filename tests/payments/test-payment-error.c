/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-payment-error"

#include "config.h"

#include <gio/gio.h>

#include "kassa-payment-error.h"

static void
test_details_survive_copy (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;
  g_autoptr(GError) propagated = NULL;

  error = g_error_new_literal (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_DECLINED,
                               kassa_payment_error_describe_decline ("insufficient_funds"));
  kassa_payment_error_set_details (error, 402, "req_123", "card_declined",
                                   "insufficient_funds", NULL, "Your card has insufficient funds.");

  copy = g_error_copy (error);
  g_assert_error (copy, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_DECLINED);
  g_assert_cmpuint (kassa_payment_error_get_http_status (copy), ==, 402);
  g_assert_cmpstr (kassa_payment_error_get_request_id (copy), ==, "req_123");
  g_assert_cmpstr (kassa_payment_error_get_stripe_code (copy), ==, "card_declined");
  g_assert_cmpstr (kassa_payment_error_get_decline_code (copy), ==, "insufficient_funds");
  g_assert_null (kassa_payment_error_get_param (copy));
  g_assert_cmpstr (kassa_payment_error_get_stripe_message (copy), ==,
                   "Your card has insufficient funds.");
  g_assert_cmpstr (copy->message, ==, "The card has insufficient funds.");

  g_propagate_prefixed_error (&propagated, g_steal_pointer (&copy), "%s", "Checkout: ");
  g_assert_cmpstr (kassa_payment_error_get_decline_code (propagated), ==, "insufficient_funds");

  /* Replacing details drops the old ones. */
  kassa_payment_error_set_details (error, 0, NULL, NULL, NULL, "amount", NULL);
  g_assert_null (kassa_payment_error_get_decline_code (error));
  g_assert_cmpstr (kassa_payment_error_get_param (error), ==, "amount");
}

static void
test_plain_errors (void)
{
  g_autoptr(GError) plain = g_error_new_literal (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_NETWORK, "x");
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

  g_assert_cmpuint (kassa_payment_error_get_http_status (plain), ==, 0);
  g_assert_null (kassa_payment_error_get_request_id (plain));
  g_assert_null (kassa_payment_error_get_decline_code (other));
  g_assert_null (kassa_payment_error_get_request_id (NULL));
}

static void
test_describe_decline (void)
{
  g_assert_cmpstr (kassa_payment_error_describe_decline ("expired_card"), ==,
                   "The card has expired.");
  /* Fraud hints are not read out to the customer. */
  g_assert_cmpstr (kassa_payment_error_describe_decline ("stolen_card"), ==,
                   kassa_payment_error_describe_decline (NULL));
  g_assert_cmpstr (kassa_payment_error_describe_decline (NULL), ==,
                   "The card was declined. Ask for another payment method.");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/payment-error/details-survive-copy", test_details_survive_copy);
  g_test_add_func ("/kassa/payment-error/plain-errors", test_plain_errors);
  g_test_add_func ("/kassa/payment-error/describe-decline", test_describe_decline);

  return g_test_run ();
}
