/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-shop-payments"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "kassa-cart-repository.h"
#include "kassa-cash-provider.h"
#include "kassa-catalog-repository.h"
#include "kassa-error.h"
#include "kassa-fake-stripe.h"
#include "kassa-money.h"
#include "kassa-order-repository.h"
#include "kassa-payment-error.h"
#include "kassa-refund-repository.h"
#include "kassa-settings-repository.h"
#include "kassa-shift-repository.h"
#include "kassa-shop-checkout.h"
#include "kassa-shop-invoices.h"
#include "kassa-shop-payments.h"
#include "kassa-stripe-sync.h"
#include "kassa-shop-private.h"
#include "kassa-shop-staff.h"
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
  guint               left;
  JsonObject         *object;
  GError             *error;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->result, kassa_payment_result_free);
  g_clear_pointer (&outcome->refund, kassa_refund_free);
  g_clear_object (&outcome->credit_note);
  g_clear_pointer (&outcome->object, json_object_unref);
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

/* 2 coffees at 3.50 and a cake at 4.50, prices with 10 % tax, and
 * @n_teas thousandths of tea at 2.00 when more than 0. */
static gint64
insert_order (Fixture    *fixture,
              const char *number,
              gint64      n_teas)
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
  if (n_teas > 0)
    add_line (order, "Tea", n_teas, 200);

  id = kassa_order_repository_insert (orders, order, &context, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

/* 11.50 EUR. */
static gint64
add_order (Fixture    *fixture,
           const char *number)
{
  return insert_order (fixture, number, 0);
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

/* Payments taken at the till before the sale exists (cart rows) */

/* A till in Switzerland: prices include tax, a shift is open and beans
 * (12.95 CHF) are on sale. Returns the beans' catalog id. */
static gint64
open_till (Fixture *fixture)
{
  KassaDatabase *database = kassa_shop_get_database (fixture->shop);
  g_autoptr(KassaSettingsRepository) settings_repository = kassa_settings_repository_new (database);
  g_autoptr(KassaStoreSettings) settings = NULL;
  g_autoptr(KassaCatalogRepository) catalog = kassa_catalog_repository_new (database);
  g_autoptr(KassaShiftRepository) shifts = kassa_shift_repository_new (database);
  g_autoptr(KassaCatalogItem) beans = NULL;
  g_autoptr(GError) error = NULL;
  gint64 beans_id, staff_id;

  settings = kassa_settings_repository_load_settings (settings_repository, "CHF", &error);
  g_assert_no_error (error);
  kassa_store_settings_set_prices_include_tax (settings, TRUE);
  g_assert_true (kassa_settings_repository_save_settings (settings_repository, settings, &error));

  beans = g_object_new (KASSA_TYPE_CATALOG_ITEM,
                        "name", "Beans", "sku", "BEANS", "kind", KASSA_ITEM_KIND_PRODUCT,
                        "price", 1295, "currency-code", "CHF", "tax-rate", 26000,
                        "stock-on-hand", 100000, "status", KASSA_ITEM_STATUS_ACTIVE, NULL);
  beans_id = kassa_catalog_repository_insert (catalog, beans, &error);
  g_assert_no_error (error);

  staff_id = kassa_shop_create_staff (fixture->shop, "Ada", KASSA_STAFF_ROLE_ADMIN, "2468",
                                      KASSA_PIN_COST_MINIMUM, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_shift_repository_open (shifts, NULL, staff_id, "CHF", 20000, &error), >, 0);
  g_assert_no_error (error);

  return beans_id;
}

/* A stored cart with one bag of beans: 12.95 CHF. */
static gint64
store_cart (Fixture *fixture,
            gint64   beans_id)
{
  KassaDatabase *database = kassa_shop_get_database (fixture->shop);
  g_autoptr(KassaCatalogRepository) catalog = kassa_catalog_repository_new (database);
  g_autoptr(KassaCartRepository) carts = kassa_cart_repository_new (database);
  g_autoptr(KassaCart) cart = g_object_new (KASSA_TYPE_CART, "currency-code", "CHF", NULL);
  g_autoptr(KassaCatalogItem) beans = kassa_catalog_repository_get (catalog, beans_id, NULL);
  g_autoptr(GError) error = NULL;
  gint64 cart_id;

  g_assert_true (kassa_cart_add_item (cart, beans, 1000, NULL, &error));
  cart_id = kassa_cart_repository_create (carts, cart, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cart_id, >, 0);

  return cart_id;
}

/* Still at the till, not sold. */
static gboolean
cart_is_open (Fixture *fixture,
              gint64   cart_id)
{
  g_autoptr(KassaCartRepository) carts = kassa_cart_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(GPtrArray) open = kassa_cart_repository_list (carts, FALSE, NULL);

  g_assert_nonnull (open);
  for (guint i = 0; i < open->len; i++)
    if (((KassaCartSummary *) g_ptr_array_index (open, i))->id == cart_id)
      return TRUE;

  return FALSE;
}

static guint
count_orders (Fixture *fixture)
{
  g_autoptr(KassaOrderRepository) orders = kassa_order_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(GListModel) list = kassa_order_repository_list (orders, NULL, NULL, 100, NULL);

  g_assert_nonnull (list);
  return g_list_model_get_n_items (list);
}

/* What the till asks for a cart (kassa_tender_build_request()). */
static KassaPaymentRequest *
till_request (KassaPaymentMode mode)
{
  KassaPaymentRequest *request = kassa_payment_request_new (0, 1295, "CHF");

  request->description = g_strdup ("Sale at the till");
  request->idempotency_key = kassa_stripe_client_new_idempotency_key ();
  request->created_at = g_date_time_new_now_utc ();
  request->mode = mode;
  if (mode == KASSA_PAYMENT_MODE_SUBSCRIPTION)
    kassa_payment_request_add_line (request, "Coffee club", KASSA_QUANTITY_ONE, 1295, 1295, "month", 1);

  return request;
}

static void
client_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->object = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (object), res, NULL,
                                                        &outcome->error);
  outcome->done = TRUE;
}

/* Sends @fields (name, value, …, NULL) to @path; returns the answer. */
static JsonObject *
post (Fixture    *fixture,
      const char *path,
      ...)
{
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  g_autofree char *key = kassa_stripe_client_new_idempotency_key ();
  Outcome outcome = { 0, };
  JsonObject *object;
  const char *name;
  va_list args;

  va_start (args, path);
  while ((name = va_arg (args, const char *)) != NULL)
    kassa_stripe_form_add (form, name, va_arg (args, const char *));
  va_end (args);

  kassa_stripe_client_request_async (fixture->client, "POST", path, form, key, NULL, client_cb, &outcome);
  wait_for (&outcome);
  g_assert_no_error (outcome.error);
  object = g_steal_pointer (&outcome.object);
  outcome_clear (&outcome);

  return object;
}

/* What kassa_shop_pay_cart_async() does up to the crash: the request is
 * stored against the cart, then sent, and Stripe's answer is lost with
 * the process. With @send FALSE the crash comes before it leaves.
 * Returns the id of the object Stripe made, or NULL. */
static char *
crash_paying_cart (Fixture              *fixture,
                   KassaPaymentProvider *provider,
                   gint64                cart_id,
                   KassaPaymentRequest  *request,
                   gboolean              send)
{
  g_autoptr(KassaStripeStateRepository) state =
    kassa_stripe_state_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaStripeForm) form = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *method = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  Outcome outcome = { 0, };
  char *id;

  g_assert_true (kassa_payment_provider_describe_start (provider, request, &method, &path, &body, &error));
  g_assert_no_error (error);
  {
    KassaStripeRequest row = {
      .idempotency_key = request->idempotency_key,
      .method = method,
      .path = path,
      .body = body,
      .entity_kind = (char *) "cart",
      .entity_id = cart_id,
      .outcome = KASSA_STRIPE_OUTCOME_PENDING,
    };

    g_assert_true (kassa_stripe_state_repository_add_request (state, &row, &error));
    g_assert_no_error (error);
  }

  if (!send)
    return NULL;

  form = kassa_stripe_form_parse (body, &error);
  g_assert_no_error (error);
  kassa_stripe_client_request_async (fixture->client, method, path, form, request->idempotency_key,
                                     NULL, client_cb, &outcome);
  wait_for (&outcome);
  g_assert_no_error (outcome.error);
  id = g_strdup (json_object_get_string_member (outcome.object, "id"));
  outcome_clear (&outcome);

  return id;
}

/* The reader takes a good card for @intent_id. */
static void
tap_card (Fixture    *fixture,
          const char *intent_id)
{
  g_autoptr(JsonObject) reader = NULL;

  reader = post (fixture, "/v1/terminal/readers/" READER "/process_payment_intent",
                 "payment_intent", intent_id, NULL);
  json_object_unref (reader);
  reader = post (fixture, "/v1/test_helpers/terminal/readers/" READER "/present_payment_method",
                 "card_present[number]", "4242424242424242", NULL);
}

static void
settle_counting_cb (GObject      *object,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  Outcome *outcome = user_data;

  kassa_shop_settle_payments_finish (KASSA_SHOP (object), res, &outcome->settled, &outcome->left,
                                     &outcome->error);
  outcome->done = TRUE;
}

static void
settle (Fixture *fixture,
        guint    expected_settled,
        guint    expected_left)
{
  Outcome outcome = { 0, };

  kassa_shop_settle_payments_async (fixture->shop, fixture->client, NULL, settle_counting_cb, &outcome);
  wait_for (&outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpuint (outcome.settled, ==, expected_settled);
  g_assert_cmpuint (outcome.left, ==, expected_left);
  outcome_clear (&outcome);
}

static const char *
sent_key (const KassaFakeStripeRequest *sent)
{
  return soup_message_headers_get_one (sent->headers, "Idempotency-Key");
}

/* The only request the fake saw for @method @path. */
static const KassaFakeStripeRequest *
only_request (Fixture    *fixture,
              const char *method,
              const char *path)
{
  const KassaFakeStripeRequest *found = NULL;

  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, method, path), ==, 1);
  for (guint i = 0; i < kassa_fake_stripe_get_n_requests (fixture->fake); i++)
    {
      const KassaFakeStripeRequest *sent = kassa_fake_stripe_get_request (fixture->fake, i);

      if (g_str_equal (sent->method, method) && g_str_equal (sent->path, path))
        found = sent;
    }

  return found;
}

static void
assert_row (Fixture            *fixture,
            const char         *key,
            KassaStripeOutcome  outcome,
            const char         *object_id,
            gint64              cart_id)
{
  g_autoptr(KassaStripeRequest) row = load_request (fixture, key);

  g_assert_nonnull (row);
  g_assert_cmpint (row->outcome, ==, outcome);
  g_assert_cmpstr (row->object_id, ==, object_id);
  g_assert_cmpstr (row->entity_kind, ==, "cart");
  g_assert_cmpint (row->entity_id, ==, cart_id);
}

/* The till opened a QR code, then died: the session it made is expired
 * (replayed with the stored key and body, fetched, expired with a key
 * of its own), and so is the one whose request never left. The carts
 * stay at the till, nothing is sold or refunded. */
static void
test_cart_open_session_expired (Fixture       *fixture,
                                gconstpointer  data)
{
  gint64 beans_id = open_till (fixture);
  gint64 cart_id = store_cart (fixture, beans_id);
  gint64 unsent_cart_id = store_cart (fixture, beans_id);
  g_autoptr(KassaPaymentRequest) request = till_request (KASSA_PAYMENT_MODE_PAYMENT);
  g_autoptr(KassaPaymentRequest) unsent = till_request (KASSA_PAYMENT_MODE_PAYMENT);
  g_autoptr(KassaStripeRequest) row = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autofree char *session_id = NULL;
  g_autofree char *get_path = NULL;
  g_autofree char *expire_path = NULL;
  g_autofree char *expire_key = NULL;
  const KassaFakeStripeRequest *sent;
  JsonObject *session;

  session_id = crash_paying_cart (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), cart_id, request, TRUE);
  g_assert_null (crash_paying_cart (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), unsent_cart_id,
                                    unsent, FALSE));
  g_assert_cmpstr (json_object_get_string_member (kassa_fake_stripe_get_object (fixture->fake, session_id),
                                                  "status"), ==, "open");
  row = load_request (fixture, request->idempotency_key);
  kassa_fake_stripe_clear_requests (fixture->fake);

  settle (fixture, 2, 0);

  /* The first request went again as stored, so Stripe replayed it. */
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "POST", "/v1/checkout/sessions"), ==, 2);
  sent = kassa_fake_stripe_get_request (fixture->fake, 0);
  g_assert_cmpstr (sent->path, ==, "/v1/checkout/sessions");
  g_assert_cmpstr (sent_key (sent), ==, request->idempotency_key);
  g_assert_cmpstr (sent->body, ==, row->body);
  get_path = g_strdup_printf ("/v1/checkout/sessions/%s", session_id);
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "GET", get_path), ==, 1);
  expire_path = g_strdup_printf ("/v1/checkout/sessions/%s/expire", session_id);
  expire_key = g_strdup_printf ("%s:settle-expire", request->idempotency_key);
  g_assert_cmpstr (sent_key (only_request (fixture, "POST", expire_path)), ==, expire_key);
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "POST", "/v1/refunds"), ==, 0);

  /* Two sessions, one per key, both expired. */
  sessions = kassa_fake_stripe_list_objects (fixture->fake, "checkout.session");
  g_assert_cmpuint (sessions->len, ==, 2);
  for (guint i = 0; i < sessions->len; i++)
    {
      session = g_ptr_array_index (sessions, i);
      g_assert_cmpstr (json_object_get_string_member (session, "status"), ==, "expired");
      g_assert_cmpstr (json_object_get_string_member (session, "payment_status"), ==, "unpaid");
    }
  assert_row (fixture, request->idempotency_key, KASSA_STRIPE_OUTCOME_SUCCEEDED, session_id, cart_id);
  {
    g_autoptr(KassaStripeRequest) unsent_row = load_request (fixture, unsent->idempotency_key);

    g_assert_cmpint (unsent_row->outcome, ==, KASSA_STRIPE_OUTCOME_SUCCEEDED);
    g_assert_true (g_str_has_prefix (unsent_row->object_id, "cs_"));
    g_assert_cmpstr (unsent_row->object_id, !=, session_id);
  }

  g_assert_true (cart_is_open (fixture, cart_id));
  g_assert_true (cart_is_open (fixture, unsent_cart_id));
  g_assert_cmpuint (count_orders (fixture), ==, 0);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "refund"), ==, 0);

  /* Settled for good: another pass sends nothing. */
  kassa_fake_stripe_clear_requests (fixture->fake);
  settle (fixture, 0, 0);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 0);
}

/* The card was authorised on the reader (manual capture) when the till
 * died, and another intent never saw a card: both are cancelled, never
 * captured. */
static void
test_cart_intent_cancelled (Fixture       *fixture,
                            gconstpointer  data)
{
  gint64 beans_id = open_till (fixture);
  gint64 cart_id = store_cart (fixture, beans_id);
  gint64 waiting_cart_id = store_cart (fixture, beans_id);
  g_autoptr(KassaPaymentRequest) request = till_request (KASSA_PAYMENT_MODE_PAYMENT);
  g_autoptr(KassaPaymentRequest) waiting = till_request (KASSA_PAYMENT_MODE_PAYMENT);
  g_autofree char *intent_id = NULL;
  g_autofree char *waiting_id = NULL;
  g_autofree char *cancel_path = NULL;
  g_autofree char *cancel_key = NULL;
  g_autofree char *waiting_path = NULL;
  g_autofree char *capture_path = NULL;
  JsonObject *intent;

  g_assert_true (kassa_stripe_terminal_provider_get_manual_capture (fixture->terminal));
  intent_id = crash_paying_cart (fixture, KASSA_PAYMENT_PROVIDER (fixture->terminal), cart_id, request, TRUE);
  tap_card (fixture, intent_id);
  intent = kassa_fake_stripe_get_object (fixture->fake, intent_id);
  g_assert_cmpstr (json_object_get_string_member (intent, "status"), ==, "requires_capture");
  waiting_id = crash_paying_cart (fixture, KASSA_PAYMENT_PROVIDER (fixture->terminal), waiting_cart_id,
                                  waiting, TRUE);
  kassa_fake_stripe_clear_requests (fixture->fake);

  settle (fixture, 2, 0);

  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "POST", "/v1/payment_intents"), ==, 2);
  cancel_path = g_strdup_printf ("/v1/payment_intents/%s/cancel", intent_id);
  cancel_key = g_strdup_printf ("%s:settle-cancel", request->idempotency_key);
  g_assert_cmpstr (sent_key (only_request (fixture, "POST", cancel_path)), ==, cancel_key);
  waiting_path = g_strdup_printf ("/v1/payment_intents/%s/cancel", waiting_id);
  g_assert_nonnull (only_request (fixture, "POST", waiting_path));
  capture_path = g_strdup_printf ("/v1/payment_intents/%s/capture", intent_id);
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "POST", capture_path), ==, 0);
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "POST", "/v1/refunds"), ==, 0);

  intent = kassa_fake_stripe_get_object (fixture->fake, intent_id);
  g_assert_cmpstr (json_object_get_string_member (intent, "status"), ==, "canceled");
  g_assert_cmpint (json_object_get_int_member (intent, "amount_received"), ==, 0);
  intent = kassa_fake_stripe_get_object (fixture->fake, waiting_id);
  g_assert_cmpstr (json_object_get_string_member (intent, "status"), ==, "canceled");
  assert_row (fixture, request->idempotency_key, KASSA_STRIPE_OUTCOME_SUCCEEDED, intent_id, cart_id);
  assert_row (fixture, waiting->idempotency_key, KASSA_STRIPE_OUTCOME_SUCCEEDED, waiting_id, waiting_cart_id);
  g_assert_true (cart_is_open (fixture, cart_id));
  g_assert_cmpuint (count_orders (fixture), ==, 0);
}

/* The customer paid the QR code and the sale was completed, but the
 * till died before it recorded Stripe's answer: the sale's payment
 * carries the PaymentIntent, so the request is settled and nothing is
 * given back. */
static void
test_cart_paid_session_sold (Fixture       *fixture,
                             gconstpointer  data)
{
  gint64 beans_id = open_till (fixture);
  gint64 cart_id = store_cart (fixture, beans_id);
  g_autoptr(KassaPaymentRequest) request = till_request (KASSA_PAYMENT_MODE_PAYMENT);
  g_autoptr(GPtrArray) payments = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(KassaOrder) stored = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *session_id = NULL;
  g_autofree char *intent_id = NULL;
  g_autofree char *get_path = NULL;
  KassaPayment *payment;

  session_id = crash_paying_cart (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), cart_id, request, TRUE);
  g_assert_true (kassa_fake_stripe_complete_checkout_session (fixture->fake, session_id));
  intent_id = g_strdup (json_object_get_string_member (kassa_fake_stripe_get_object (fixture->fake, session_id),
                                                       "payment_intent"));
  g_assert_nonnull (intent_id);

  /* As the QR tender completes it: the PaymentIntent is the reference. */
  payment = kassa_payment_new ();
  kassa_payment_set_provider_id (payment, KASSA_STRIPE_CHECKOUT_PROVIDER_ID);
  kassa_payment_set_amount (payment, 1295);
  kassa_payment_set_currency_code (payment, "CHF");
  kassa_payment_set_method_label (payment, "QR payment");
  kassa_payment_set_reference (payment, intent_id);
  g_ptr_array_add (payments, payment);
  order = kassa_shop_complete_sale (fixture->shop, cart_id, payments, now, &error);
  g_assert_no_error (error);
  g_assert_false (cart_is_open (fixture, cart_id));
  kassa_fake_stripe_clear_requests (fixture->fake);

  settle (fixture, 1, 0);

  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "POST", "/v1/checkout/sessions"), ==, 1);
  get_path = g_strdup_printf ("/v1/checkout/sessions/%s", session_id);
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "GET", get_path), ==, 1);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 2);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "refund"), ==, 0);
  assert_row (fixture, request->idempotency_key, KASSA_STRIPE_OUTCOME_SUCCEEDED, session_id, cart_id);

  /* The sale is as it was: paid once. */
  g_assert_cmpuint (count_orders (fixture), ==, 1);
  stored = load_order (fixture, kassa_order_get_id (order));
  g_assert_cmpint (kassa_order_get_payment_status (stored), ==, KASSA_PAYMENT_STATUS_PAID);
  g_assert_cmpuint (g_list_model_get_n_items (kassa_order_get_payments (stored)), ==, 1);
}

static const KassaAuditEntry *
find_audit (GPtrArray  *audit,
            const char *action)
{
  const KassaAuditEntry *found = NULL;

  for (guint i = 0; i < audit->len; i++)
    {
      const KassaAuditEntry *entry = g_ptr_array_index (audit, i);

      if (g_str_equal (entry->action, action))
        {
          g_assert_null (found);
          found = entry;
        }
    }

  return found;
}

/* The card went through on the reader, but the till died before the
 * cashier saw it: no sale has the payment, so all of it goes back, once,
 * under a key derived from the request's, and the audit log says so.
 * The first refund's answer is lost on every try: the next pass sends
 * the same refund again, which Stripe replays rather than refunding
 * twice, and records it. */
static void
test_cart_paid_intent_refunded (Fixture       *fixture,
                                gconstpointer  data)
{
  gint64 beans_id = open_till (fixture);
  gint64 cart_id = store_cart (fixture, beans_id);
  g_autoptr(KassaPaymentRequest) request = till_request (KASSA_PAYMENT_MODE_PAYMENT);
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(GPtrArray) refunds = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *intent_id = NULL;
  g_autofree char *refund_key = NULL;
  g_autofree char *capture_path = NULL;
  g_autofree char *cart_text = g_strdup_printf ("%" G_GINT64_FORMAT, cart_id);
  const KassaFakeStripeRequest *sent;
  const KassaAuditEntry *entry;
  JsonObject *refund;
  JsonObject *details;
  KassaFakeFault lost = {
    .kind = KASSA_FAKE_FAULT_DROP_AFTER, .count = 2, .method = "POST",
    .path_prefix = "/v1/refunds", .should_retry = -1,
  };

  /* Authorised on the reader and captured, as the provider does. */
  intent_id = crash_paying_cart (fixture, KASSA_PAYMENT_PROVIDER (fixture->terminal), cart_id, request, TRUE);
  tap_card (fixture, intent_id);
  capture_path = g_strdup_printf ("/v1/payment_intents/%s/capture", intent_id);
  json_object_unref (post (fixture, capture_path, NULL));
  g_assert_cmpstr (json_object_get_string_member (kassa_fake_stripe_get_object (fixture->fake, intent_id),
                                                  "status"), ==, "succeeded");
  refund_key = g_strdup_printf ("%s:settle-refund", request->idempotency_key);

  /* The refund is made, its answer lost: left for the next pass. */
  kassa_fake_stripe_clear_requests (fixture->fake);
  kassa_fake_stripe_push_fault (fixture->fake, &lost);
  settle (fixture, 0, 1);
  g_assert_cmpuint (kassa_fake_stripe_get_n_pending_faults (fixture->fake), ==, 0);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "refund"), ==, 1);
  assert_row (fixture, request->idempotency_key, KASSA_STRIPE_OUTCOME_PENDING, NULL, cart_id);
  audit = kassa_audit_log_list_recent (kassa_shop_get_audit_log (fixture->shop), 0, 50, &error);
  g_assert_no_error (error);
  g_assert_null (find_audit (audit, "cart.payment_refunded"));
  g_clear_pointer (&audit, g_ptr_array_unref);

  kassa_fake_stripe_clear_requests (fixture->fake);
  g_test_expect_message ("kassa-shop-payments", G_LOG_LEVEL_WARNING, "Refunded 1295 CHF of pi_*never booked*");
  settle (fixture, 1, 0);
  g_test_assert_expected_messages ();

  /* Replayed, fetched, refunded under the derived key: the whole
   * payment (no amount), for that intent. */
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "POST", "/v1/payment_intents"), ==, 1);
  sent = only_request (fixture, "POST", "/v1/refunds");
  g_assert_cmpstr (sent_key (sent), ==, refund_key);
  g_assert_cmpstr (kassa_stripe_form_lookup (sent->form, "payment_intent"), ==, intent_id);
  g_assert_null (kassa_stripe_form_lookup (sent->form, "amount"));
  g_assert_cmpstr (kassa_stripe_form_lookup (sent->form, "metadata[cart_id]"), ==, cart_text);

  /* One refund at Stripe, of the full amount. */
  refunds = kassa_fake_stripe_list_objects (fixture->fake, "refund");
  g_assert_cmpuint (refunds->len, ==, 1);
  refund = g_ptr_array_index (refunds, 0);
  g_assert_cmpint (json_object_get_int_member (refund, "amount"), ==, 1295);
  g_assert_cmpstr (json_object_get_string_member (refund, "payment_intent"), ==, intent_id);

  assert_row (fixture, request->idempotency_key, KASSA_STRIPE_OUTCOME_SUCCEEDED, intent_id, cart_id);

  /* The audit log names the cart, the money and the refund. */
  audit = kassa_audit_log_list_recent (kassa_shop_get_audit_log (fixture->shop), 0, 50, &error);
  g_assert_no_error (error);
  entry = find_audit (audit, "cart.payment_refunded");
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->entity_kind, ==, "cart");
  g_assert_cmpstr (entry->entity_id, ==, cart_text);
  g_assert_true (json_parser_load_from_data (parser, entry->details, -1, &error));
  details = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (details, "amount"), ==, 1295);
  g_assert_cmpstr (json_object_get_string_member (details, "currency"), ==, "CHF");
  g_assert_cmpstr (json_object_get_string_member (details, "payment_intent"), ==, intent_id);
  g_assert_cmpstr (json_object_get_string_member (details, "refund"), ==,
                   json_object_get_string_member (refund, "id"));
  g_assert_nonnull (strstr (json_object_get_string_member (details, "reason"), "never recorded"));

  /* No sale was made of it; the cart is still at the till. */
  g_assert_cmpuint (count_orders (fixture), ==, 0);
  g_assert_true (cart_is_open (fixture, cart_id));

  /* Settled: another pass sends nothing and refunds nothing more. */
  kassa_fake_stripe_clear_requests (fixture->fake);
  settle (fixture, 0, 0);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 0);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "refund"), ==, 1);
  g_clear_pointer (&audit, g_ptr_array_unref);
  audit = kassa_audit_log_list_recent (kassa_shop_get_audit_log (fixture->shop), 0, 50, &error);
  g_assert_nonnull (find_audit (audit, "cart.payment_refunded"));
}

/* The payment was refunded at Stripe already (by a person, or by a pass
 * whose record was lost after Stripe forgot its key): Stripe refuses a
 * second refund, and that settles the request all the same. */
static void
test_cart_paid_intent_refunded_already (Fixture       *fixture,
                                        gconstpointer  data)
{
  gint64 beans_id = open_till (fixture);
  gint64 cart_id = store_cart (fixture, beans_id);
  g_autoptr(KassaPaymentRequest) request = till_request (KASSA_PAYMENT_MODE_PAYMENT);
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *intent_id = NULL;
  g_autofree char *capture_path = NULL;
  g_autofree char *refund_key = NULL;
  const KassaAuditEntry *entry;
  JsonObject *details;

  intent_id = crash_paying_cart (fixture, KASSA_PAYMENT_PROVIDER (fixture->terminal), cart_id, request, TRUE);
  tap_card (fixture, intent_id);
  capture_path = g_strdup_printf ("/v1/payment_intents/%s/capture", intent_id);
  json_object_unref (post (fixture, capture_path, NULL));
  json_object_unref (post (fixture, "/v1/refunds", "payment_intent", intent_id, NULL));
  kassa_fake_stripe_clear_requests (fixture->fake);

  g_test_expect_message ("kassa-shop-payments", G_LOG_LEVEL_WARNING, "pi_*was refunded already");
  settle (fixture, 1, 0);
  g_test_assert_expected_messages ();

  refund_key = g_strdup_printf ("%s:settle-refund", request->idempotency_key);
  g_assert_cmpstr (sent_key (only_request (fixture, "POST", "/v1/refunds")), ==, refund_key);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "refund"), ==, 1);
  assert_row (fixture, request->idempotency_key, KASSA_STRIPE_OUTCOME_SUCCEEDED, intent_id, cart_id);

  audit = kassa_audit_log_list_recent (kassa_shop_get_audit_log (fixture->shop), 0, 50, &error);
  g_assert_no_error (error);
  entry = find_audit (audit, "cart.payment_refunded");
  g_assert_nonnull (entry);
  g_assert_true (json_parser_load_from_data (parser, entry->details, -1, &error));
  details = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_get_boolean_member (details, "already_refunded"));
  g_assert_false (json_object_has_member (details, "refund"));
  g_assert_cmpstr (json_object_get_string_member (details, "payment_intent"), ==, intent_id);

  kassa_fake_stripe_clear_requests (fixture->fake);
  settle (fixture, 0, 0);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 0);
}

/* A subscription sold by QR whose sale was never recorded: it has no
 * PaymentIntent to refund and renews on its own, so it is left for
 * people, counted and warned about, on every pass. */
static void
test_cart_subscription_left (Fixture       *fixture,
                             gconstpointer  data)
{
  gint64 beans_id = open_till (fixture);
  gint64 cart_id = store_cart (fixture, beans_id);
  g_autoptr(KassaPaymentRequest) request = till_request (KASSA_PAYMENT_MODE_SUBSCRIPTION);
  g_autofree char *session_id = NULL;
  JsonObject *session;

  session_id = crash_paying_cart (fixture, KASSA_PAYMENT_PROVIDER (fixture->checkout), cart_id, request, TRUE);
  session = kassa_fake_stripe_get_object (fixture->fake, session_id);
  g_assert_cmpstr (json_object_get_string_member (session, "mode"), ==, "subscription");

  /* Paid as Stripe completes a subscription session: the first invoice
   * pays it, the session carries the subscription and no intent (the
   * fake's own completion makes an intent, so it is set by hand). */
  kassa_fake_stripe_add_subscription (fixture->fake, "sub_till_1", "cus_till_1", "active", "month", 1,
                                      kassa_fake_stripe_get_clock (fixture->fake) + 31 * 24 * 3600);
  json_object_set_string_member (session, "status", "complete");
  json_object_set_string_member (session, "payment_status", "paid");
  json_object_set_string_member (session, "subscription", "sub_till_1");
  json_object_set_null_member (session, "payment_intent");
  kassa_fake_stripe_clear_requests (fixture->fake);

  for (guint pass = 0; pass < 2; pass++)
    {
      g_test_expect_message ("kassa-shop-payments", G_LOG_LEVEL_WARNING, "*sub_till_1*not refunded*");
      settle (fixture, 0, 1);
      g_test_assert_expected_messages ();
    }

  /* Looked at, never refunded, expired or cancelled. */
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "POST", "/v1/checkout/sessions"), ==, 2);
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "GET", NULL), ==, 2);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 4);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "refund"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (kassa_fake_stripe_get_object (fixture->fake, "sub_till_1"),
                                                  "status"), ==, "active");
  assert_row (fixture, request->idempotency_key, KASSA_STRIPE_OUTCOME_PENDING, NULL, cart_id);
  g_assert_true (cart_is_open (fixture, cart_id));
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
  return insert_order (fixture, number, 3000);
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
  ADD ("cart-open-session-expired", test_cart_open_session_expired);
  ADD ("cart-intent-cancelled", test_cart_intent_cancelled);
  ADD ("cart-paid-session-sold", test_cart_paid_session_sold);
  ADD ("cart-paid-intent-refunded", test_cart_paid_intent_refunded);
  ADD ("cart-paid-intent-refunded-already", test_cart_paid_intent_refunded_already);
  ADD ("cart-subscription-left", test_cart_subscription_left);

  return g_test_run ();
}
