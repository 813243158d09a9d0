/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-cash-provider"

#include "config.h"

#include <string.h>

#include "provider-test-utils.h"
#include "kassa-cash-provider.h"

static KassaPaymentResult *
pay (KassaCashProvider *provider,
     gint64             amount,
     const char        *currency,
     gint64             tendered,
     GError           **error)
{
  g_autoptr(KassaPaymentRequest) request = kassa_payment_request_new (1, amount, currency);
  Outcome outcome;
  KassaPaymentResult *result;

  request->tendered = tendered;
  outcome_init (&outcome);
  test_start (KASSA_PAYMENT_PROVIDER (provider), request, NULL, &outcome);
  result = g_steal_pointer (&outcome.result);
  if (outcome.error != NULL)
    g_propagate_error (error, g_steal_pointer (&outcome.error));
  g_assert_true (result == NULL || outcome_saw (&outcome, KASSA_PAYMENT_PROGRESS_SUCCEEDED));
  outcome_clear (&outcome);

  return result;
}

static void
test_change (void)
{
  g_autoptr(KassaCashProvider) provider = kassa_cash_provider_new ();
  g_autoptr(KassaPaymentResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (kassa_payment_provider_get_id (KASSA_PAYMENT_PROVIDER (provider)), ==, "cash");
  result = pay (provider, 1150, "EUR", 2000, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->provider_id, ==, "cash");
  g_assert_cmpint (result->amount, ==, 1150);
  g_assert_cmpint (result->tendered, ==, 2000);
  g_assert_cmpint (result->change, ==, 850);
  g_assert_cmpint (result->rounding, ==, 0);
  g_assert_true (result->open_drawer);
  g_assert_cmpstr (result->currency_code, ==, "EUR");
  g_assert_nonnull (result->paid_at);
  g_assert_null (result->provider_reference);

  /* Exact money, no drawer kick when the store has no drawer. */
  kassa_cash_provider_set_kick_drawer (provider, FALSE);
  g_clear_pointer (&result, kassa_payment_result_free);
  result = pay (provider, 1150, "EUR", 1150, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->change, ==, 0);
  g_assert_false (result->open_drawer);
}

static void
test_rounding (void)
{
  g_autoptr(KassaCashProvider) provider = kassa_cash_provider_new ();
  g_autoptr(KassaPaymentResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 rounding = 99;

  /* Switzerland: to 0.05. */
  kassa_cash_provider_set_rounding_step (provider, 5);
  g_assert_cmpint (kassa_cash_provider_round_due (provider, 1002, &rounding), ==, 1000);
  g_assert_cmpint (rounding, ==, -2);
  g_assert_cmpint (kassa_cash_provider_round_due (provider, 1003, &rounding), ==, 1005);
  g_assert_cmpint (rounding, ==, 2);
  g_assert_cmpint (kassa_cash_provider_round_due (provider, 1005, &rounding), ==, 1005);
  g_assert_cmpint (rounding, ==, 0);

  result = pay (provider, 1002, "CHF", 2000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->amount, ==, 1000);
  g_assert_cmpint (result->rounding, ==, -2);
  g_assert_cmpint (result->change, ==, 1000);

  /* Half a step follows the store's rounding mode (step 0.10: 10.25 is
   * a tie between 10.20 and 10.30). */
  g_assert_cmpint (kassa_cash_provider_round_due (provider, 1025, NULL), ==, 1025);
  kassa_cash_provider_set_rounding_step (provider, 10);
  g_assert_cmpint (kassa_cash_provider_round_due (provider, 1025, NULL), ==, 1030);
  kassa_cash_provider_set_rounding_mode (provider, KASSA_ROUNDING_HALF_EVEN);
  g_assert_cmpint (kassa_cash_provider_round_due (provider, 1025, NULL), ==, 1020);
  g_assert_cmpint (kassa_cash_provider_round_due (provider, 1035, NULL), ==, 1040);

  /* What is tendered is compared with the rounded amount. */
  kassa_cash_provider_set_rounding_mode (provider, KASSA_ROUNDING_HALF_UP);
  kassa_cash_provider_set_rounding_step (provider, 5);
  g_clear_pointer (&result, kassa_payment_result_free);
  result = pay (provider, 1002, "CHF", 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->change, ==, 0);
}

static void
test_short_tender_refused (void)
{
  g_autoptr(KassaCashProvider) provider = kassa_cash_provider_new ();
  g_autoptr(KassaPaymentResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = pay (provider, 1150, "EUR", 1149, &error);
  g_assert_null (result);
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST);
  g_clear_error (&error);

  result = pay (provider, 1150, "XYZ", 2000, &error);
  g_assert_null (result);
  g_assert_nonnull (error);
  g_clear_error (&error);

  result = pay (provider, 0, "EUR", 2000, &error);
  g_assert_null (result);
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST);
}

static void
test_refund (void)
{
  g_autoptr(KassaCashProvider) provider = kassa_cash_provider_new ();
  g_autoptr(KassaPaymentRefundRequest) request = kassa_payment_refund_request_new ();
  Outcome outcome;

  request->amount = 450;
  request->currency_code = g_strdup ("EUR");
  outcome_init (&outcome);
  run_refund (KASSA_PAYMENT_PROVIDER (provider), request, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpint (outcome.refund->amount, ==, 450);
  g_assert_true (outcome.refund->succeeded);
  g_assert_null (outcome.refund->refund_reference);
  outcome_clear (&outcome);

  /* "All that is left" is for providers that keep count; cash does not. */
  request->amount = 0;
  outcome_init (&outcome);
  run_refund (KASSA_PAYMENT_PROVIDER (provider), request, &outcome);
  g_assert_error (outcome.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST);
  outcome_clear (&outcome);
}

static void
test_request_copy (void)
{
  g_autoptr(KassaPaymentRequest) request = test_request_new ("kassa-key");
  g_autoptr(KassaPaymentRequest) copy = kassa_payment_request_copy (request);
  KassaPaymentLine *line;

  g_assert_true (kassa_payment_request_lines_match (request));
  g_assert_true (kassa_payment_request_lines_match (copy));
  g_assert_cmpstr (copy->idempotency_key, ==, "kassa-key");
  g_assert_cmpstr (copy->order_number, ==, "K-0042");
  g_assert_cmpuint (copy->lines->len, ==, 2);
  line = g_ptr_array_index (copy->lines, 0);
  g_assert_cmpstr (line->name, ==, "Coffee");
  g_assert_true (line->name != ((KassaPaymentLine *) g_ptr_array_index (request->lines, 0))->name);
  g_assert_true (g_date_time_equal (copy->created_at, request->created_at));

  copy->amount = 1000;
  g_assert_false (kassa_payment_request_lines_match (copy));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/cash-provider/change", test_change);
  g_test_add_func ("/kassa/cash-provider/rounding", test_rounding);
  g_test_add_func ("/kassa/cash-provider/short-tender-refused", test_short_tender_refused);
  g_test_add_func ("/kassa/cash-provider/refund", test_refund);
  g_test_add_func ("/kassa/cash-provider/request-copy", test_request_copy);

  return g_test_run ();
}
