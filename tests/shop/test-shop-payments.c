/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-shop-payments"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "kassa-cash-provider.h"
#include "kassa-error.h"
#include "kassa-fake-stripe.h"
#include "kassa-order-repository.h"
#include "kassa-payment-error.h"
#include "kassa-refund-repository.h"
#include "kassa-shop-invoices.h"
#include "kassa-shop-payments.h"
#include "kassa-stripe-sync.h"
#include "kassa-shop-private.h"
#include "kassa-stripe-checkout-provider.h"
#include "kassa-stripe-state-repository.h"
#include "kassa-stripe-terminal-provider.h"

#define SECRET_KEY "sk_test_kassa_shop_DoNotLogMe_2718"
#define READER "tmr_simulated_till"

typedef struct
{
  char                        *dir;
  KassaShop                   *shop;
  KassaFakeStripe             *fake;
  KassaStripeClient           *client;
  KassaCashProvider           *cash;
  KassaStripeCheckoutProvider *checkout;
  KassaStripeTerminalProvider *terminal;
  gboolean                     pay_on_code;
  guint                        unsettled_at_start;
  char                        *key_at_start;
} Fixture;

typedef struct
{
  gboolean            done;
  KassaPaymentResult *result;
  KassaRefund        *refund;
  KassaInvoice       *credit_note;
  gint64              payment_id;
  guint               settled;
  GError             *error;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->result, kassa_payment_result_free);
  g_clear_pointer (&outcome->refund, kassa_refund_free);
  g_clear_object (&outcome->credit_note);
  g_clear_error (&outcome->error);
  memset (outcome, 0, sizeof *outcome);
}

static void
code_shown_cb (KassaPaymentProvider *provider,
               KassaPaymentProgress  progress,
               const char           *message,
               const char           *url,
               gpointer              user_data)
{
  Fixture *fixture = user_data;

  if (progress == KASSA_PAYMENT_PROGRESS_STARTING)
    {
      /* The request has not left yet: its key must already be on disk. */
      g_autoptr(KassaStripeStateRepository) state =
        kassa_stripe_state_repository_new (kassa_shop_get_database (fixture->shop));
      g_autoptr(GPtrArray) unsettled = kassa_stripe_state_repository_list_unsettled (state, NULL);

      g_assert_nonnull (unsettled);
      fixture->unsettled_at_start = unsettled->len;
      if (unsettled->len > 0)
        {
          g_free (fixture->key_at_start);
          fixture->key_at_start = g_strdup (((KassaStripeRequest *) g_ptr_array_index (unsettled, unsettled->len - 1))->idempotency_key);
        }
    }

  if (progress == KASSA_PAYMENT_PROGRESS_SHOWING_CODE && fixture->pay_on_code)
    g_assert_true (kassa_fake_stripe_complete_checkout_session (
      fixture->fake, kassa_stripe_checkout_provider_get_session_id (fixture->checkout)));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("kassa-shop-payments-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "shop.db", NULL);
  fixture->shop = kassa_shop_open (path, &error);
  g_assert_no_error (error);
  kassa_shop_act_as_system (fixture->shop);

  fixture->fake = kassa_fake_stripe_new (SECRET_KEY);
  kassa_fake_stripe_add_reader (fixture->fake, READER, "Till");
  fixture->client = kassa_stripe_client_new (NULL, kassa_fake_stripe_get_url (fixture->fake), SECRET_KEY);
  kassa_stripe_client_set_backoff (fixture->client, 1, 8);
  kassa_stripe_client_set_timeout (fixture->client, 10000);
  kassa_stripe_client_set_max_tries (fixture->client, 2);

  fixture->cash = kassa_cash_provider_new ();
  fixture->checkout = kassa_stripe_checkout_provider_new (fixture->client, "https://shop.example/paid", NULL);
  kassa_stripe_checkout_provider_set_poll_interval (fixture->checkout, 5);
  g_signal_connect (fixture->checkout, "status-changed", G_CALLBACK (code_shown_cb), fixture);
  fixture->terminal = kassa_stripe_terminal_provider_new (fixture->client);
  kassa_stripe_terminal_provider_set_reader_id (fixture->terminal, READER);
  kassa_stripe_terminal_provider_set_poll_interval (fixture->terminal, 5);
  fixture->pay_on_code = TRUE;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_assert_finalize_object (fixture->checkout);
  g_assert_finalize_object (fixture->terminal);
  g_assert_finalize_object (fixture->cash);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->fake);
  g_assert_finalize_object (fixture->shop);

  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->key_at_start);
}

static void
add_line (KassaOrder *order,
          const char *name,
          gint64      quantity,
          gint64      unit_price)
{
  g_autoptr(KassaOrderLine) line = kassa_order_line_new ();
  g_autoptr(GError) error = NULL;

  kassa_order_line_set_name (line, name, &error);
  g_assert_no_error (error);
  kassa_order_line_set_quantity (line, quantity, &error);
  g_assert_no_error (error);
  kassa_order_line_set_unit_price (line, unit_price, &error);
  g_assert_no_error (error);
  kassa_order_line_set_tax_rate (line, 100000, &error);
  g_assert_no_error (error);
  kassa_order_add_line (order, line, &error);
  g_assert_no_error (error);
}

/* 2 coffees at 3.50 and a cake at 4.50, prices with 10 % tax: 11.50 EUR. */
static gint64
add_order (Fixture    *fixture,
           const char *number)
{
  g_autoptr(KassaOrderRepository) orders = kassa_order_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaOrder) order = kassa_order_new ();
  g_autoptr(GError) error = NULL;
  KassaOrderSaleContext context = { 0, };
  gint64 id;

  kassa_order_set_number (order, number, &error);
  g_assert_no_error (error);
  kassa_order_set_customer_id (order, 1, &error);
  g_assert_no_error (error);
  kassa_order_set_currency_code (order, "EUR", &error);
  g_assert_no_error (error);
  kassa_order_set_prices_include_tax (order, TRUE, &error);
  g_assert_no_error (error);
  add_line (order, "Coffee", 2000, 350);
  add_line (order, "Cake", 1000, 450);

  id = kassa_order_repository_insert (orders, order, &context, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static KassaOrder *
load_order (Fixture *fixture,
            gint64   order_id)
{
  g_autoptr(KassaOrderRepository) orders = kassa_order_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(GError) error = NULL;
  KassaOrder *order = kassa_order_repository_load (orders, order_id, &error);

  g_assert_no_error (error);
  return order;
}

static void
pay_cb (GObject      *object,
        GAsyncResult *res,
        gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->result = kassa_shop_pay_order_finish (KASSA_SHOP (object), res, &outcome->payment_id,
                                                 &outcome->error);
  outcome->done = TRUE;
}

static void
refund_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->refund = kassa_shop_refund_payment_finish (KASSA_SHOP (object), res, &outcome->error);
  outcome->done = TRUE;
}

static void
flush_cb (GObject      *object,
          GAsyncResult *res,
          gpointer      user_data)
{
  Outcome *outcome = user_data;

  guint sent = 0, failed = 0;

  kassa_stripe_sync_flush_outbox_finish (KASSA_SHOP (object), res, &sent, &failed, &outcome->error);
  outcome->settled = sent + failed;
  outcome->done = TRUE;
}

static void
wait_for (Outcome *outcome)
{
  while (!outcome->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
pay (Fixture              *fixture,
     KassaPaymentProvider *provider,
     gint64                order_id,
     gint64                amount,
     gint64                tendered,
     Outcome              *outcome)
{
  outcome_clear (outcome);
  kassa_shop_pay_order_async (fixture->shop, provider, order_id, amount, tendered, NULL, pay_cb, outcome);
  wait_for (outcome);
  g_assert_true ((outcome->result == NULL) != (outcome->error == NULL));
}

static void
refund (Fixture              *fixture,
        KassaPaymentProvider *provider,
        gint64                order_id,
        gint64                payment_id,
        gint64                amount,
        Outcome              *outcome)
{
  outcome_clear (outcome);
  kassa_shop_refund_payment_async (fixture->shop, provider, order_id, payment_id, amount,
                                   KASSA_REFUND_REASON_REQUESTED_BY_CUSTOMER, "Cold coffee",
                                   NULL, refund_cb, outcome);
  wait_for (outcome);
  g_assert_true ((outcome->refund == NULL) != (outcome->error == NULL));
}

static KassaStripeRequest *
load_request (Fixture    *fixture,
              const char *key)
{
  g_autoptr(KassaStripeStateRepository) state =
    kassa_stripe_state_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(GError) error = NULL;
  KassaStripeRequest *request = kassa_stripe_state_repository_load_request (state, key, &error);

  g_assert_no_error (error);
  return request;
}

static void
test_split_tender (Fixture       *fixture,
                   gconstpointer  data)
{
  gint64 order_id = add_order (fixture, "K-1001");
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(KassaJournalEntry) last = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(KassaStripeRequest) row = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaPayment) first = NULL;
  g_autoptr(KassaPayment) second = NULL;
  const KassaFakeStripeRequest *sent;
  Outcome outcome = { 0, };
  gint64 n_entries = 0;

  g_assert_cmpint (kassa_shop_get_order_balance (fixture->shop, order_id, &error), ==, 1150);

  /* 5.00 in cash (a 5 note, no change)… */
  pay (fixture, KASSA_PAYMENT_PROVIDER (fixture->cash), order_id, 500, 500, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpint (outcome.result->change, ==, 0);
  g_assert_true (outcome.result->open_drawer);
  g_assert_cmpint (kassa_shop_get_order_balance (fixture->shop, order_id, &error), ==, 650);
  order = load_order (fixture, order_id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_CREATED);
  g_clear_object (&order);

  /* …the rest by QR: one line for the part, with the order's number. */
  pay (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), order_id, 0, 0, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpint (outcome.result->amount, ==, 650);
  sent = kassa_fake_stripe_get_request (fixture->fake, 0);
  g_assert_cmpstr (kassa_stripe_form_lookup (sent->form, "line_items[0][price_data][unit_amount]"), ==, "650");
  g_assert_cmpstr (kassa_stripe_form_lookup (sent->form, "line_items[0][price_data][product_data][name]"), ==, "Order K-1001");
  g_assert_cmpstr (kassa_stripe_form_lookup (sent->form, "metadata[order_number]"), ==, "K-1001");

  order = load_order (fixture, order_id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PAID);
  g_assert_nonnull (kassa_order_get_paid_at (order));
  g_assert_cmpuint (g_list_model_get_n_items (kassa_order_get_payments (order)), ==, 2);
  first = g_list_model_get_item (kassa_order_get_payments (order), 0);
  second = g_list_model_get_item (kassa_order_get_payments (order), 1);
  g_assert_cmpstr (kassa_payment_get_provider_id (first), ==, "cash");
  g_assert_cmpint (kassa_payment_get_amount (first), ==, 500);
  g_assert_cmpstr (kassa_payment_get_provider_id (second), ==, "stripe_checkout");
  g_assert_cmpint (kassa_payment_get_amount (second), ==, 650);
  g_assert_cmpstr (kassa_payment_get_reference (second), ==, outcome.result->provider_reference);
  g_assert_cmpint (kassa_payment_get_id (second), ==, outcome.payment_id);
  g_assert_cmpint (kassa_shop_get_order_balance (fixture->shop, order_id, &error), ==, 0);

  /* The key row was settled with the PaymentIntent. */
  row = load_request (fixture, soup_message_headers_get_one (sent->headers, "Idempotency-Key"));
  g_assert_nonnull (row);
  g_assert_cmpint (row->outcome, ==, KASSA_STRIPE_OUTCOME_SUCCEEDED);
  g_assert_cmpstr (row->object_id, ==, outcome.result->provider_reference);
  g_assert_cmpstr (row->entity_kind, ==, "order");
  g_assert_cmpint (row->entity_id, ==, order_id);

  /* Two payments in the journal, which still verifies, and the audit log. */
  last = kassa_journal_get_last (kassa_shop_get_journal (fixture->shop), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (last->kind, ==, "payment");
  g_assert_nonnull (strstr (last->payload, "\"paid_in_full\":true"));
  g_assert_true (kassa_journal_verify (kassa_shop_get_journal (fixture->shop), &n_entries, NULL, NULL, &error));
  g_assert_cmpint (n_entries, ==, 2);
  audit = kassa_audit_log_list_recent (kassa_shop_get_audit_log (fixture->shop), 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (audit->len, ==, 2);
  g_assert_cmpstr (((KassaAuditEntry *) g_ptr_array_index (audit, 0))->action, ==, "order.payment");

  /* Nothing is left to pay. */
  pay (fixture, KASSA_PAYMENT_PROVIDER (fixture->cash), order_id, 0, 100, &outcome);
  g_assert_error (outcome.error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  outcome_clear (&outcome);
}

static void
test_whole_order_lines_and_cash_rounding (Fixture       *fixture,
                                          gconstpointer  data)
{
  gint64 order_id = add_order (fixture, "K-1002");
  gint64 cash_order = add_order (fixture, "K-1003");
  g_autoptr(KassaOrder) order = NULL;
  const KassaFakeStripeRequest *sent;
  Outcome outcome = { 0, };

  /* Paid at once, the payment page lists the order's lines. */
  pay (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), order_id, 0, 0, &outcome);
  g_assert_no_error (outcome.error);
  sent = kassa_fake_stripe_get_request (fixture->fake, 0);
  g_assert_cmpstr (kassa_stripe_form_lookup (sent->form, "line_items[0][price_data][product_data][name]"), ==, "Coffee");
  g_assert_cmpstr (kassa_stripe_form_lookup (sent->form, "line_items[0][quantity]"), ==, "2");
  g_assert_cmpstr (kassa_stripe_form_lookup (sent->form, "line_items[0][price_data][unit_amount]"), ==, "350");
  g_assert_cmpstr (kassa_stripe_form_lookup (sent->form, "line_items[1][price_data][product_data][name]"), ==, "Cake");
  g_assert_cmpstr (kassa_stripe_form_lookup (sent->form, "client_reference_id"), !=, NULL);

  /* Rounded to 0.20, 11.50 is a tie and goes up to 11.60; the order is
   * paid in full by the rounded amount. */
  kassa_cash_provider_set_rounding_step (fixture->cash, 20);
  pay (fixture, KASSA_PAYMENT_PROVIDER (fixture->cash), cash_order, 0, 2000, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpint (outcome.result->amount, ==, 1160);
  g_assert_cmpint (outcome.result->rounding, ==, 10);
  g_assert_cmpint (outcome.result->change, ==, 840);
  order = load_order (fixture, cash_order);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PAID);
  outcome_clear (&outcome);
}

static void
test_key_stored_before_request (Fixture       *fixture,
                                gconstpointer  data)
{
  gint64 order_id = add_order (fixture, "K-1004");
  g_autoptr(KassaStripeRequest) row = NULL;
  g_autoptr(KassaOrder) order = NULL;
  const KassaFakeStripeRequest *sent;
  KassaFakeFault fault = {
    .kind = KASSA_FAKE_FAULT_STATUS, .count = 1, .method = "POST",
    .path_prefix = "/v1/checkout/sessions", .status = 402, .type = "card_error",
    .code = "card_declined", .decline_code = "generic_decline", .should_retry = -1,
  };
  Outcome outcome = { 0, };

  kassa_fake_stripe_push_fault (fixture->fake, &fault);
  pay (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), order_id, 0, 0, &outcome);
  g_assert_error (outcome.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_DECLINED);

  /* When the provider set off, the row was there already… */
  g_assert_cmpuint (fixture->unsettled_at_start, ==, 1);
  sent = kassa_fake_stripe_get_request (fixture->fake, 0);
  g_assert_cmpstr (fixture->key_at_start, ==, soup_message_headers_get_one (sent->headers, "Idempotency-Key"));

  /* …with exactly what was sent, and now the outcome. */
  row = load_request (fixture, fixture->key_at_start);
  g_assert_cmpstr (row->method, ==, "POST");
  g_assert_cmpstr (row->path, ==, "/v1/checkout/sessions");
  g_assert_cmpstr (row->body, ==, sent->body);
  g_assert_cmpstr (row->entity_kind, ==, "order");
  g_assert_cmpint (row->entity_id, ==, order_id);
  g_assert_cmpint (row->outcome, ==, KASSA_STRIPE_OUTCOME_FAILED);
  g_assert_cmpint (row->attempts, >=, 1);

  /* A declined attempt marks the order failed; it still takes payments. */
  order = load_order (fixture, order_id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_FAILED);
  pay (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), order_id, 0, 0, &outcome);
  g_assert_no_error (outcome.error);
  g_clear_object (&order);
  order = load_order (fixture, order_id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PAID);
  outcome_clear (&outcome);
}

static void
tapped_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  kassa_stripe_terminal_provider_present_test_card_finish (KASSA_STRIPE_TERMINAL_PROVIDER (object), res, &error);
  g_assert_no_error (error);
}

/* Taps the simulated reader with a good card as soon as it waits. */
static void
tap_cb (KassaPaymentProvider *provider,
        KassaPaymentProgress  progress,
        const char           *message,
        const char           *url,
        gpointer              user_data)
{
  if (progress == KASSA_PAYMENT_PROGRESS_WAITING_FOR_CUSTOMER)
    kassa_stripe_terminal_provider_present_test_card_async (KASSA_STRIPE_TERMINAL_PROVIDER (provider),
                                                            "4242424242424242", NULL, tapped_cb, NULL);
}

static void
test_unknown_outcome_replayed (Fixture       *fixture,
                               gconstpointer  data)
{
  gint64 order_id = add_order (fixture, "K-1005");
  g_autoptr(KassaStripeRequest) row = NULL;
  g_autoptr(KassaOrder) order = NULL;
  const KassaFakeStripeRequest *sent;
  const char *key;
  KassaFakeFault fault = {
    .kind = KASSA_FAKE_FAULT_DROP_AFTER, .count = 2, .method = "POST",
    .path_prefix = "/v1/payment_intents",
  };
  Outcome outcome = { 0, };

  /* Both tries of the create lose their answer: the shop starts again
   * with the same key, which replays the intent made the first time. */
  kassa_fake_stripe_push_fault (fixture->fake, &fault);
  g_signal_connect (fixture->terminal, "status-changed", G_CALLBACK (tap_cb), NULL);
  pay (fixture, KASSA_PAYMENT_PROVIDER (fixture->terminal), order_id, 0, 0, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpint (outcome.result->amount, ==, 1150);
  g_assert_cmpstr (outcome.result->reader_id, ==, READER);

  sent = kassa_fake_stripe_get_request (fixture->fake, 0);
  key = soup_message_headers_get_one (sent->headers, "Idempotency-Key");
  g_assert_nonnull (key);
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "POST", "/v1/payment_intents"), ==, 3);
  for (guint i = 0; i < kassa_fake_stripe_get_n_requests (fixture->fake); i++)
    {
      const KassaFakeStripeRequest *request = kassa_fake_stripe_get_request (fixture->fake, i);

      if (g_str_equal (request->path, "/v1/payment_intents"))
        {
          g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Idempotency-Key"), ==, key);
          g_assert_cmpstr (request->body, ==, sent->body);
        }
    }
  /* One intent, captured once. */
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "payment_intent"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (kassa_fake_stripe_get_object (fixture->fake,
                                                                             outcome.result->provider_reference),
                                               "amount_received"), ==, 1150);

  row = load_request (fixture, key);
  g_assert_cmpint (row->outcome, ==, KASSA_STRIPE_OUTCOME_SUCCEEDED);
  g_assert_cmpint (row->attempts, >=, 1);
  order = load_order (fixture, order_id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PAID);
  g_assert_cmpuint (g_list_model_get_n_items (kassa_order_get_payments (order)), ==, 1);
  outcome_clear (&outcome);
}

static void
test_unknown_outcome_kept (Fixture       *fixture,
                           gconstpointer  data)
{
  gint64 order_id = add_order (fixture, "K-1006");
  g_autoptr(KassaStripeRequest) row = NULL;
  g_autoptr(KassaOrder) order = NULL;
  KassaFakeFault fault = {
    .kind = KASSA_FAKE_FAULT_DROP_AFTER, .count = 4, .method = "POST",
    .path_prefix = "/v1/checkout/sessions",
  };
  Outcome outcome = { 0, };

  kassa_fake_stripe_push_fault (fixture->fake, &fault);
  pay (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), order_id, 0, 0, &outcome);
  g_assert_error (outcome.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME);

  row = load_request (fixture, soup_message_headers_get_one (kassa_fake_stripe_get_request (fixture->fake, 0)->headers,
                                                             "Idempotency-Key"));
  g_assert_cmpint (row->outcome, ==, KASSA_STRIPE_OUTCOME_UNKNOWN);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "checkout.session"), ==, 1);
  order = load_order (fixture, order_id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_CREATED);
  g_assert_cmpuint (g_list_model_get_n_items (kassa_order_get_payments (order)), ==, 0);
  outcome_clear (&outcome);
}

static void
settle_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  Outcome *outcome = user_data;
  guint left = 0;

  kassa_shop_settle_payments_finish (KASSA_SHOP (object), res, &outcome->settled, &left, &outcome->error);
  g_assert_cmpuint (left, ==, 0);
  outcome->done = TRUE;
}

/* The card is authorised, but the capture never gets through (its
 * connection dropped on every try, then rate-limited on every try), and
 * starting again is rate-limited on the create: the 429 says nothing of
 * the intent made the first time, which holds the customer's money. */
static void
test_unknown_outcome_survives_retry (Fixture       *fixture,
                                     gconstpointer  data)
{
  gint64 order_id = add_order (fixture, "K-1007");
  g_autoptr(KassaStripeRequest) row = NULL;
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(GPtrArray) intents = NULL;
  KassaFakeFault capture_dropped = {
    .kind = KASSA_FAKE_FAULT_DROP_BEFORE, .count = 2, .method = "POST",
    .path_prefix = "/v1/payment_intents/pi_", .should_retry = -1,
  };
  KassaFakeFault capture_limited = {
    .kind = KASSA_FAKE_FAULT_STATUS, .count = 2, .method = "POST",
    .path_prefix = "/v1/payment_intents/pi_", .status = 429,
    .type = "invalid_request_error", .code = "rate_limit", .should_retry = -1,
  };
  /* Lets the first create through, then refuses the one starting again. */
  KassaFakeFault create_limited = {
    .kind = KASSA_FAKE_FAULT_STATUS, .count = 2, .skip = 1, .method = "POST",
    .path_prefix = "/v1/payment_intents", .status = 429,
    .type = "invalid_request_error", .code = "rate_limit", .should_retry = -1,
  };
  g_autofree char *intent_id = NULL;
  JsonObject *intent;
  const char *key;
  Outcome outcome = { 0, };

  kassa_fake_stripe_push_fault (fixture->fake, &capture_dropped);
  kassa_fake_stripe_push_fault (fixture->fake, &capture_limited);
  kassa_fake_stripe_push_fault (fixture->fake, &create_limited);
  g_signal_connect (fixture->terminal, "status-changed", G_CALLBACK (tap_cb), NULL);
  pay (fixture, KASSA_PAYMENT_PROVIDER (fixture->terminal), order_id, 0, 0, &outcome);

  /* Every fault was used, as described above. */
  g_assert_cmpuint (kassa_fake_stripe_get_n_pending_faults (fixture->fake), ==, 0);
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "POST", "/v1/payment_intents"), ==, 3);

  /* The cashier is not told nothing was taken, and the request is left
   * for the settling pass. */
  g_assert_error (outcome.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME);
  key = soup_message_headers_get_one (kassa_fake_stripe_get_request (fixture->fake, 0)->headers, "Idempotency-Key");
  row = load_request (fixture, key);
  g_assert_cmpint (row->outcome, ==, KASSA_STRIPE_OUTCOME_UNKNOWN);
  intents = kassa_fake_stripe_list_objects (fixture->fake, "payment_intent");
  g_assert_cmpuint (intents->len, ==, 1);
  intent = g_ptr_array_index (intents, 0);
  g_assert_cmpstr (json_object_get_string_member (intent, "status"), ==, "requires_capture");
  intent_id = g_strdup (json_object_get_string_member (intent, "id"));
  order = load_order (fixture, order_id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_CREATED);
  g_assert_cmpuint (g_list_model_get_n_items (kassa_order_get_payments (order)), ==, 0);
  g_clear_object (&order);
  g_clear_pointer (&row, kassa_stripe_request_free);
  outcome_clear (&outcome);

  /* Settling finds the authorisation nobody booked and releases it. */
  kassa_shop_settle_payments_async (fixture->shop, fixture->client, NULL, settle_cb, &outcome);
  wait_for (&outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpuint (outcome.settled, ==, 1);
  intent = kassa_fake_stripe_get_object (fixture->fake, intent_id);
  g_assert_cmpstr (json_object_get_string_member (intent, "status"), ==, "canceled");
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "payment_intent"), ==, 1);
  row = load_request (fixture, key);
  g_assert_cmpint (row->outcome, ==, KASSA_STRIPE_OUTCOME_SUCCEEDED);
  /* Nothing was taken: the order still owes everything. */
  order = load_order (fixture, order_id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_FAILED);
  g_assert_cmpuint (g_list_model_get_n_items (kassa_order_get_payments (order)), ==, 0);
  g_assert_cmpint (kassa_shop_get_order_balance (fixture->shop, order_id, NULL), ==, 1150);
  outcome_clear (&outcome);
}

static gint64
paid_by_qr (Fixture *fixture,
            gint64   order_id)
{
  Outcome outcome = { 0, };
  gint64 payment_id;

  pay (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), order_id, 0, 0, &outcome);
  g_assert_no_error (outcome.error);
  payment_id = outcome.payment_id;
  g_assert_cmpint (payment_id, >, 0);
  outcome_clear (&outcome);
  kassa_fake_stripe_clear_requests (fixture->fake);

  return payment_id;
}


static void
refund_lines_cb (GObject      *object,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->refund = kassa_shop_refund_lines_finish (KASSA_SHOP (object), res, &outcome->credit_note,
                                                    &outcome->error);
  outcome->done = TRUE;
}

static void
refund_lines (Fixture                   *fixture,
              KassaPaymentProvider      *provider,
              gint64                     order_id,
              gint64                     payment_id,
              const KassaShopRefundLine *lines,
              guint                      n_lines,
              Outcome                   *outcome)
{
  outcome_clear (outcome);
  kassa_shop_refund_lines_async (fixture->shop, provider, order_id, payment_id, lines, n_lines,
                                 KASSA_REFUND_REASON_REQUESTED_BY_CUSTOMER, "Returned unopened",
                                 NULL, refund_lines_cb, outcome);
  wait_for (outcome);
  g_assert_true ((outcome->refund == NULL) != (outcome->error == NULL));
}

/* add_order()'s two lines and three teas at 2.00: 17.50 EUR. */
static gint64
add_three_line_order (Fixture    *fixture,
                      const char *number)
{
  g_autoptr(KassaOrderRepository) orders = kassa_order_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaOrder) order = kassa_order_new ();
  g_autoptr(GError) error = NULL;
  KassaOrderSaleContext context = { 0, };
  gint64 id;

  kassa_order_set_number (order, number, &error);
  g_assert_no_error (error);
  kassa_order_set_customer_id (order, 1, &error);
  g_assert_no_error (error);
  kassa_order_set_currency_code (order, "EUR", &error);
  g_assert_no_error (error);
  kassa_order_set_prices_include_tax (order, TRUE, &error);
  g_assert_no_error (error);
  add_line (order, "Coffee", 2000, 350);
  add_line (order, "Cake", 1000, 450);
  add_line (order, "Tea", 3000, 200);

  id = kassa_order_repository_insert (orders, order, &context, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static guint
count_refund_lines (Fixture *fixture,
                    gint64   order_id)
{
  g_autoptr(KassaRefundRepository) refunds = kassa_refund_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  stored = kassa_refund_repository_list_by_order (refunds, order_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < stored->len; i++)
    {
      KassaRefund *refund = g_ptr_array_index (stored, i);

      n += refund->lines != NULL ? refund->lines->len : 0;
    }

  return n;
}

static void
test_refund_refused_for_cashier (Fixture       *fixture,
                                 gconstpointer  data)
{
  gint64 order_id = add_order (fixture, "K-1007");
  gint64 payment_id = paid_by_qr (fixture, order_id);
  g_autoptr(KassaStaff) cashier = kassa_staff_new ();
  g_autoptr(KassaRefundRepository) refunds = kassa_refund_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  Outcome outcome = { 0, };

  kassa_staff_set_id (cashier, 7);
  kassa_staff_set_name (cashier, "Ana");
  kassa_staff_set_role (cashier, KASSA_STAFF_ROLE_CASHIER);
  kassa_shop_set_actor (fixture->shop, cashier);

  refund (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), order_id, payment_id, 300, &outcome);
  g_assert_error (outcome.error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);

  /* Nothing recorded, nothing sent. */
  stored = kassa_refund_repository_list_by_order (refunds, order_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 0);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 0);
  outcome_clear (&outcome);
}

static void
test_refund_partial_then_rest (Fixture       *fixture,
                               gconstpointer  data)
{
  gint64 order_id = add_order (fixture, "K-1008");
  gint64 payment_id = paid_by_qr (fixture, order_id);
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(KassaStripeRequest) row = NULL;
  g_autoptr(KassaJournalEntry) last = NULL;
  g_autoptr(GError) error = NULL;
  const KassaFakeStripeRequest *sent;
  Outcome outcome = { 0, };

  refund (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), order_id, payment_id, 300, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpint (outcome.refund->status, ==, KASSA_REFUND_STATUS_SUCCEEDED);
  g_assert_cmpint (outcome.refund->amount, ==, 300);
  g_assert_true (g_str_has_prefix (outcome.refund->stripe_refund_id, "re_"));
  g_assert_cmpstr (outcome.refund->note, ==, "Cold coffee");
  g_assert_cmpint (outcome.refund->reason, ==, KASSA_REFUND_REASON_REQUESTED_BY_CUSTOMER);

  sent = kassa_fake_stripe_get_request (fixture->fake, 0);
  g_assert_cmpstr (sent->path, ==, "/v1/refunds");
  g_assert_cmpstr (kassa_stripe_form_lookup (sent->form, "amount"), ==, "300");
  g_assert_cmpstr (kassa_stripe_form_lookup (sent->form, "reason"), ==, "requested_by_customer");
  g_assert_cmpstr (soup_message_headers_get_one (sent->headers, "Idempotency-Key"), ==,
                   outcome.refund->idempotency_key);
  row = load_request (fixture, outcome.refund->idempotency_key);
  g_assert_cmpstr (row->body, ==, sent->body);
  g_assert_cmpstr (row->entity_kind, ==, "refund");
  g_assert_cmpint (row->entity_id, ==, outcome.refund->id);
  g_assert_cmpint (row->outcome, ==, KASSA_STRIPE_OUTCOME_SUCCEEDED);
  g_assert_cmpstr (row->object_id, ==, outcome.refund->stripe_refund_id);

  order = load_order (fixture, order_id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PARTIALLY_REFUNDED);
  g_assert_cmpint (kassa_order_get_amount_refunded (order), ==, 300);
  last = kassa_journal_get_last (kassa_shop_get_journal (fixture->shop), &error);
  g_assert_cmpstr (last->kind, ==, "refund");

  /* The rest (0: all that is left). */
  refund (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), order_id, payment_id, 0, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpint (outcome.refund->amount, ==, 850);
  g_clear_object (&order);
  order = load_order (fixture, order_id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_REFUNDED);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "refund"), ==, 2);

  /* Beyond what was paid, or by the wrong provider: refused. */
  refund (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), order_id, payment_id, 1, &outcome);
  g_assert_error (outcome.error, KASSA_ERROR, KASSA_ERROR_INVALID);
  refund (fixture, KASSA_PAYMENT_PROVIDER (fixture->cash), order_id, payment_id, 1, &outcome);
  g_assert_error (outcome.error, KASSA_ERROR, KASSA_ERROR_INVALID);
  outcome_clear (&outcome);
}

static void
test_refund_queued_when_offline (Fixture       *fixture,
                                 gconstpointer  data)
{
  gint64 order_id = add_order (fixture, "K-1009");
  gint64 payment_id = paid_by_qr (fixture, order_id);
  g_autoptr(KassaStripeClient) offline = kassa_stripe_client_new (NULL, "http://127.0.0.1:1", SECRET_KEY);
  g_autoptr(KassaStripeCheckoutProvider) provider = NULL;
  g_autoptr(KassaStripeStateRepository) state = kassa_stripe_state_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaRefundRepository) refunds = kassa_refund_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaRefund) settled = NULL;
  g_autoptr(KassaStripeRequest) row = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  const KassaFakeStripeRequest *sent;
  Outcome outcome = { 0, };
  gint64 refund_id;

  /* Nobody listens there: the network is down. */
  kassa_stripe_client_set_backoff (offline, 1, 8);
  kassa_stripe_client_set_max_tries (offline, 2);
  provider = kassa_stripe_checkout_provider_new (offline, "https://shop.example/paid", NULL);

  refund (fixture, KASSA_PAYMENT_PROVIDER (provider), order_id, payment_id, 400, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.refund->status == KASSA_REFUND_STATUS_PENDING ||
                 outcome.refund->status == KASSA_REFUND_STATUS_UNKNOWN);
  g_assert_null (outcome.refund->stripe_refund_id);
  refund_id = outcome.refund->id;
  key = g_strdup (outcome.refund->idempotency_key);

  /* Queued under its original key; the order is not refunded yet. */
  due = kassa_stripe_state_repository_next_due (state, NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 1);
  g_assert_cmpstr (((KassaStripeOutboxEntry *) g_ptr_array_index (due, 0))->idempotency_key, ==, key);
  order = load_order (fixture, order_id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PAID);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 0);

  /* Back online: the outbox sends it with the same key and body. */
  outcome_clear (&outcome);
  kassa_stripe_sync_flush_outbox_async (fixture->shop, fixture->client, NULL, flush_cb, &outcome);
  wait_for (&outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpuint (outcome.settled, ==, 1);

  sent = kassa_fake_stripe_get_request (fixture->fake, 0);
  row = load_request (fixture, key);
  g_assert_cmpstr (sent->path, ==, "/v1/refunds");
  g_assert_cmpstr (soup_message_headers_get_one (sent->headers, "Idempotency-Key"), ==, key);
  g_assert_cmpstr (sent->body, ==, row->body);
  g_assert_cmpint (row->outcome, ==, KASSA_STRIPE_OUTCOME_SUCCEEDED);

  settled = kassa_refund_repository_load (refunds, refund_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (settled->status, ==, KASSA_REFUND_STATUS_SUCCEEDED);
  g_assert_true (g_str_has_prefix (settled->stripe_refund_id, "re_"));
  g_clear_object (&order);
  order = load_order (fixture, order_id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PARTIALLY_REFUNDED);

  /* Nothing is due any more; a second flush sends nothing. */
  g_clear_pointer (&due, g_ptr_array_unref);
  due = kassa_stripe_state_repository_next_due (state, NULL, 10, &error);
  g_assert_cmpuint (due->len, ==, 0);
  outcome_clear (&outcome);
  kassa_stripe_sync_flush_outbox_async (fixture->shop, fixture->client, NULL, flush_cb, &outcome);
  wait_for (&outcome);
  g_assert_cmpuint (outcome.settled, ==, 0);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "refund"), ==, 1);
  outcome_clear (&outcome);
}

static void
test_cash_refund (Fixture       *fixture,
                  gconstpointer  data)
{
  gint64 order_id = add_order (fixture, "K-1010");
  g_autoptr(KassaOrder) order = NULL;
  Outcome outcome = { 0, };
  gint64 payment_id;

  pay (fixture, KASSA_PAYMENT_PROVIDER (fixture->cash), order_id, 0, 2000, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpint (outcome.result->change, ==, 850);
  payment_id = outcome.payment_id;

  refund (fixture, KASSA_PAYMENT_PROVIDER (fixture->cash), order_id, payment_id, 0, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpint (outcome.refund->status, ==, KASSA_REFUND_STATUS_SUCCEEDED);
  g_assert_cmpint (outcome.refund->amount, ==, 1150);
  g_assert_null (outcome.refund->idempotency_key);
  order = load_order (fixture, order_id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_REFUNDED);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 0);
  outcome_clear (&outcome);
}

static void
test_sell_permission (Fixture       *fixture,
                      gconstpointer  data)
{
  gint64 order_id = add_order (fixture, "K-1011");
  g_autoptr(KassaStaff) viewer = kassa_staff_new ();
  Outcome outcome = { 0, };

  kassa_staff_set_id (viewer, 8);
  kassa_staff_set_name (viewer, "Bo");
  kassa_staff_set_role (viewer, KASSA_STAFF_ROLE_VIEWER);
  kassa_shop_set_actor (fixture->shop, viewer);

  pay (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), order_id, 0, 0, &outcome);
  g_assert_error (outcome.error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 0);

  /* Too much is refused before anything leaves. */
  kassa_shop_act_as_system (fixture->shop);
  pay (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), order_id, 1151, 0, &outcome);
  g_assert_error (outcome.error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 0);
  outcome_clear (&outcome);
}

/* Two of three lines go back (one coffee of two, all three teas): the
 * engine prices them at 3.50 + 6.00 under the order's rules, the refund
 * records them line by line, and the invoice gets a credit note for
 * exactly those lines with the next gapless number and the same total. */
static void
test_refund_lines_with_credit_note (Fixture       *fixture,
                                    gconstpointer  data)
{
  gint64 order_id = add_three_line_order (fixture, "K-1012");
  gint64 payment_id = paid_by_qr (fixture, order_id);
  const KassaShopRefundLine lines[] = { { 0, 1000 }, { 2, 3000 } };
  g_autoptr(KassaInvoice) invoice = NULL;
  g_autoptr(KassaInvoice) other_invoice = NULL;
  g_autoptr(KassaInvoice) reloaded = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaOrder) order = NULL;
  g_autofree char *expected_cn = NULL;
  const KassaFakeStripeRequest *sent;
  const KassaRefundLine *line;
  GListModel *cn_lines;
  JsonObject *object;
  Outcome outcome = { 0, };
  gint64 second_order, second_payment;

  invoice = kassa_shop_invoice_order (fixture->shop, order_id, now, &error);
  g_assert_no_error (error);

  refund_lines (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), order_id, payment_id,
                lines, G_N_ELEMENTS (lines), &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpint (outcome.refund->status, ==, KASSA_REFUND_STATUS_SUCCEEDED);
  g_assert_cmpint (outcome.refund->amount, ==, 950);
  g_assert_cmpstr (outcome.refund->note, ==, "Returned unopened");
  g_assert_cmpint (outcome.refund->reason, ==, KASSA_REFUND_REASON_REQUESTED_BY_CUSTOMER);
  g_assert_nonnull (outcome.refund->lines);
  g_assert_cmpuint (outcome.refund->lines->len, ==, 2);
  line = &g_array_index (outcome.refund->lines, KassaRefundLine, 0);
  g_assert_cmpuint (line->line_position, ==, 0);
  g_assert_cmpint (line->quantity, ==, 1000);
  g_assert_cmpint (line->amount, ==, 350);
  line = &g_array_index (outcome.refund->lines, KassaRefundLine, 1);
  g_assert_cmpuint (line->line_position, ==, 2);
  g_assert_cmpint (line->quantity, ==, 3000);
  g_assert_cmpint (line->amount, ==, 600);

  sent = kassa_fake_stripe_get_request (fixture->fake, 0);
  g_assert_cmpstr (sent->path, ==, "/v1/refunds");
  g_assert_cmpstr (kassa_stripe_form_lookup (sent->form, "amount"), ==, "950");

  /* The credit note: next number after the invoice's series, the two
   * lines only, the refund's total. */
  g_assert_nonnull (outcome.credit_note);
  g_assert_cmpint (kassa_invoice_get_kind (outcome.credit_note), ==, KASSA_INVOICE_KIND_CREDIT_NOTE);
  expected_cn = g_strdup_printf ("CN-%d-00001", g_date_time_get_year (now));
  g_assert_cmpstr (kassa_invoice_get_reference (outcome.credit_note), ==, expected_cn);
  cn_lines = kassa_invoice_get_lines (outcome.credit_note);
  g_assert_cmpuint (g_list_model_get_n_items (cn_lines), ==, 2);
  {
    g_autoptr(KassaInvoiceLine) first = g_list_model_get_item (cn_lines, 0);
    g_autoptr(KassaInvoiceLine) second = g_list_model_get_item (cn_lines, 1);

    g_assert_cmpstr (kassa_invoice_line_get_name (first), ==, "Coffee");
    g_assert_cmpint (kassa_invoice_line_get_quantity (first), ==, 1000);
    g_assert_cmpstr (kassa_invoice_line_get_name (second), ==, "Tea");
    g_assert_cmpint (kassa_invoice_line_get_quantity (second), ==, 3000);
  }
  node = kassa_shop_invoice_to_json (fixture->shop, outcome.credit_note, FALSE, &error);
  g_assert_no_error (error);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "total"), ==, "9.50");
  g_assert_cmpstr (json_object_get_string_member (object, "credits"), ==, kassa_invoice_get_reference (invoice));

  /* Part of the invoice is still not credited. */
  reloaded = kassa_shop_find_invoice (fixture->shop, kassa_invoice_get_reference (invoice), &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_invoice_get_status (reloaded), !=, KASSA_INVOICE_STATUS_CREDITED);

  order = load_order (fixture, order_id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PARTIALLY_REFUNDED);
  g_assert_cmpint (kassa_order_get_amount_refunded (order), ==, 950);

  /* A second invoiced order's refund takes the next number: no gap. */
  second_order = add_three_line_order (fixture, "K-1013");
  second_payment = paid_by_qr (fixture, second_order);
  other_invoice = kassa_shop_invoice_order (fixture->shop, second_order, now, &error);
  g_assert_no_error (error);
  refund_lines (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), second_order, second_payment,
                (const KassaShopRefundLine[]) { { 1, 1000 } }, 1, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpint (outcome.refund->amount, ==, 450);
  g_clear_pointer (&expected_cn, g_free);
  expected_cn = g_strdup_printf ("CN-%d-00002", g_date_time_get_year (now));
  g_assert_cmpstr (kassa_invoice_get_reference (outcome.credit_note), ==, expected_cn);
  outcome_clear (&outcome);
}

/* A line goes back at most as often as it was sold; nothing of a
 * refused refund is kept (no refund, no credit note, nothing sent). */
static void
test_refund_lines_over_refund (Fixture       *fixture,
                               gconstpointer  data)
{
  gint64 order_id = add_three_line_order (fixture, "K-1014");
  gint64 payment_id = paid_by_qr (fixture, order_id);
  g_autoptr(KassaInvoice) invoice = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  KassaInvoiceFilter filter = KASSA_INVOICE_FILTER_INIT;
  Outcome outcome = { 0, };

  invoice = kassa_shop_invoice_order (fixture->shop, order_id, now, &error);
  g_assert_no_error (error);

  /* More than was sold at once. */
  refund_lines (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), order_id, payment_id,
                (const KassaShopRefundLine[]) { { 0, 3000 } }, 1, &outcome);
  g_assert_error (outcome.error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 0);

  /* No such line. */
  refund_lines (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), order_id, payment_id,
                (const KassaShopRefundLine[]) { { 3, 1000 } }, 1, &outcome);
  g_assert_error (outcome.error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);

  /* Both coffees go back, then one more is refused. */
  refund_lines (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), order_id, payment_id,
                (const KassaShopRefundLine[]) { { 0, 2000 } }, 1, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpint (outcome.refund->amount, ==, 700);
  g_assert_nonnull (outcome.credit_note);
  kassa_fake_stripe_clear_requests (fixture->fake);

  refund_lines (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), order_id, payment_id,
                (const KassaShopRefundLine[]) { { 0, 1000 } }, 1, &outcome);
  g_assert_nonnull (outcome.error);
  g_assert_null (outcome.credit_note);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 0);
  g_assert_cmpuint (count_refund_lines (fixture, order_id), ==, 1);

  /* Only the one credit note exists. */
  filter.kind = KASSA_INVOICE_KIND_CREDIT_NOTE;
  notes = kassa_shop_list_invoices (fixture->shop, &filter, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 1);
  outcome_clear (&outcome);
}

/* A cashier may not approve a refund of lines either: nothing stored,
 * nothing sent. An order without an invoice gets no credit note. */
static void
test_refund_lines_refused_for_cashier (Fixture       *fixture,
                                       gconstpointer  data)
{
  gint64 order_id = add_three_line_order (fixture, "K-1015");
  gint64 payment_id = paid_by_qr (fixture, order_id);
  g_autoptr(KassaStaff) cashier = kassa_staff_new ();
  const KassaShopRefundLine lines[] = { { 1, 1000 } };
  Outcome outcome = { 0, };

  kassa_staff_set_id (cashier, 7);
  kassa_staff_set_name (cashier, "Ana");
  kassa_staff_set_role (cashier, KASSA_STAFF_ROLE_CASHIER);
  kassa_shop_set_actor (fixture->shop, cashier);

  refund_lines (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), order_id, payment_id,
                lines, 1, &outcome);
  g_assert_error (outcome.error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_assert_cmpuint (count_refund_lines (fixture, order_id), ==, 0);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 0);

  kassa_shop_act_as_system (fixture->shop);
  refund_lines (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), order_id, payment_id,
                lines, 1, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpint (outcome.refund->amount, ==, 450);
  g_assert_null (outcome.credit_note);
  g_assert_cmpuint (count_refund_lines (fixture, order_id), ==, 1);
  outcome_clear (&outcome);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/shop-payments/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("split-tender", test_split_tender);
  ADD ("whole-order-lines-and-cash-rounding", test_whole_order_lines_and_cash_rounding);
  ADD ("key-stored-before-request", test_key_stored_before_request);
  ADD ("unknown-outcome-replayed", test_unknown_outcome_replayed);
  ADD ("unknown-outcome-kept", test_unknown_outcome_kept);
  ADD ("unknown-outcome-survives-retry", test_unknown_outcome_survives_retry);
  ADD ("refund-refused-for-cashier", test_refund_refused_for_cashier);
  ADD ("refund-partial-then-rest", test_refund_partial_then_rest);
  ADD ("refund-queued-when-offline", test_refund_queued_when_offline);
  ADD ("cash-refund", test_cash_refund);
  ADD ("sell-permission", test_sell_permission);
  ADD ("refund-lines-with-credit-note", test_refund_lines_with_credit_note);
  ADD ("refund-lines-over-refund", test_refund_lines_over_refund);
  ADD ("refund-lines-refused-for-cashier", test_refund_lines_refused_for_cashier);

  return g_test_run ();
}
