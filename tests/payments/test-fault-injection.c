/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-fault-injection"

/* Thousands of payments through the shop, with Stripe misbehaving at
 * random: 5xx, 429, answers slower than the client waits, connections
 * dropped before Stripe acts or after it acted, and events delivered
 * twice and out of order. Whatever happens:
 *
 *  - no Idempotency-Key makes two PaymentIntents or Checkout Sessions,
 *    and no order is charged twice;
 *  - no order's payment status moves backwards;
 *  - after a final settling pass no request is left with an unknown
 *    outcome, and every charge Stripe made is booked on its order.
 *
 * The suite runs a short form (200 payments). The long form runs with
 * KASSA_FAULT_INJECTION_PAYMENTS=5000 (any count) and prints figures;
 * KASSA_FAULT_INJECTION_SEED repeats a run. */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "kassa-error.h"
#include "kassa-fake-stripe.h"
#include "kassa-order-repository.h"
#include "kassa-payment-error.h"
#include "kassa-shop-payments.h"
#include "kassa-shop-private.h"
#include "kassa-stripe-checkout-provider.h"
#include "kassa-stripe-event.h"
#include "kassa-stripe-state-repository.h"
#include "kassa-stripe-sync.h"
#include "kassa-stripe-terminal-provider.h"

#define SECRET_KEY "sk_test_kassa_faults_1618"
#define READER "tmr_simulated_faults"
#define SHORT_PAYMENTS 200
#define BATCH 25
/* The client waits this long for an answer; a delayed answer takes longer. */
#define CLIENT_TIMEOUT_MS 1000
#define DELAY_MS 1600
#define MAX_FINAL_PASSES 30

typedef enum
{
  FAULT_5XX,
  FAULT_429,
  FAULT_TIMEOUT,
  FAULT_DROP_BEFORE,
  FAULT_DROP_AFTER,
  N_FAULT_KINDS
} FaultKind;

static const char * const fault_names[] = {
  "5xx", "429", "timeout", "drop before acting", "drop after acting",
};

typedef struct
{
  char                        *dir;
  KassaShop                   *shop;
  KassaOrderRepository        *orders;
  KassaFakeStripe             *fake;
  SoupSession                 *session;
  KassaStripeClient           *client;
  KassaStripeCheckoutProvider *checkout;
  KassaStripeTerminalProvider *terminal;
  GRand                       *rand;
  GCancellable                *cancellable;  /* of the payment in hand */
  gboolean                     cancel_this;  /* the cashier gives up on the code */
  gboolean                     decline_this; /* the card is declined */
  GHashTable                  *statuses;     /* order id → GArray of status */
  GArray                      *order_ids;
  guint                        faults[N_FAULT_KINDS];
  guint                        n_paid;
  guint                        n_failed;
  guint                        n_unknown;
  guint                        n_cancelled;
  guint                        n_events_applied;
  guint                        n_events_repeated;
  guint                        n_events_ignored;
  guint                        n_taps_retried;
} Harness;

typedef struct
{
  gboolean            done;
  KassaPaymentResult *result;
  JsonObject         *object;
  KassaStripeSyncStats stats;
  guint               settled;
  guint               left;
  GError             *error;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->result, kassa_payment_result_free);
  g_clear_pointer (&outcome->object, json_object_unref);
  g_clear_error (&outcome->error);
  memset (outcome, 0, sizeof *outcome);
}

static void
wait_for (Outcome *outcome)
{
  while (!outcome->done)
    g_main_context_iteration (NULL, TRUE);
}

/* -- Order status history ------------------------------------------------ */

/* Before payment, paid, partly refunded, refunded: an order only moves
 * up this ladder. Created, failed and expired are all "not paid". */
static int
status_rank (KassaPaymentStatus status)
{
  switch (status)
    {
    case KASSA_PAYMENT_STATUS_CREATED:
    case KASSA_PAYMENT_STATUS_FAILED:
    case KASSA_PAYMENT_STATUS_EXPIRED:
      return 0;
    case KASSA_PAYMENT_STATUS_PAID:
      return 1;
    case KASSA_PAYMENT_STATUS_PARTIALLY_REFUNDED:
      return 2;
    case KASSA_PAYMENT_STATUS_REFUNDED:
      return 3;
    default:
      g_assert_not_reached ();
    }
}

static void
note_status (Harness *harness,
             gint64   order_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaOrder) order = kassa_order_repository_load (harness->orders, order_id, &error);
  GArray *history;
  KassaPaymentStatus status;

  g_assert_no_error (error);
  status = kassa_order_get_payment_status (order);
  history = g_hash_table_lookup (harness->statuses, &order_id);
  if (history == NULL)
    {
      gint64 *key = g_new (gint64, 1);

      *key = order_id;
      history = g_array_new (FALSE, FALSE, sizeof (KassaPaymentStatus));
      g_hash_table_insert (harness->statuses, key, history);
    }
  if (history->len == 0 || g_array_index (history, KassaPaymentStatus, history->len - 1) != status)
    g_array_append_val (history, status);
}

static void
note_recent_statuses (Harness *harness,
                      guint    how_many)
{
  guint n = harness->order_ids->len;

  for (guint i = n > how_many ? n - how_many : 0; i < n; i++)
    note_status (harness, g_array_index (harness->order_ids, gint64, i));
}

static guint
count_backwards (Harness *harness)
{
  GHashTableIter iter;
  gpointer value;
  guint backwards = 0;

  g_hash_table_iter_init (&iter, harness->statuses);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GArray *history = value;

      for (guint i = 1; i < history->len; i++)
        if (status_rank (g_array_index (history, KassaPaymentStatus, i)) <
            status_rank (g_array_index (history, KassaPaymentStatus, i - 1)))
          {
            backwards++;
            break;
          }
    }

  return backwards;
}

/* -- The till ----------------------------------------------------------- */

static gint64
add_order (Harness *harness,
           guint    serial)
{
  g_autoptr(KassaOrder) order = kassa_order_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *number = g_strdup_printf ("F-%06u", serial);
  KassaOrderSaleContext context = { 0, };
  guint n_lines = g_rand_int_range (harness->rand, 1, 4);
  gint64 id;

  kassa_order_set_number (order, number, &error);
  g_assert_no_error (error);
  kassa_order_set_customer_id (order, 1, &error);
  g_assert_no_error (error);
  kassa_order_set_currency_code (order, "EUR", &error);
  g_assert_no_error (error);
  kassa_order_set_prices_include_tax (order, TRUE, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(KassaOrderLine) line = kassa_order_line_new ();
      g_autofree char *name = g_strdup_printf ("Item %u", i + 1);

      kassa_order_line_set_name (line, name, &error);
      g_assert_no_error (error);
      kassa_order_line_set_quantity (line, 1000 * g_rand_int_range (harness->rand, 1, 4), &error);
      g_assert_no_error (error);
      kassa_order_line_set_unit_price (line, g_rand_int_range (harness->rand, 50, 5000), &error);
      g_assert_no_error (error);
      kassa_order_line_set_tax_rate (line, 100000, &error);
      g_assert_no_error (error);
      kassa_order_add_line (order, line, &error);
      g_assert_no_error (error);
    }

  id = kassa_order_repository_insert (harness->orders, order, &context, &error);
  g_assert_no_error (error);
  g_array_append_val (harness->order_ids, id);
  note_status (harness, id);

  return id;
}

/* Faults aimed at the requests of one kind of payment; some are left for
 * the payments after it. */
static void
inject_faults (Harness  *harness,
               gboolean  terminal)
{
  static const char * const checkout_paths[] = { "/v1/checkout/sessions" };
  static const char * const terminal_paths[] = { "/v1/payment_intents", "/v1/terminal/readers" };
  guint n = g_rand_int_range (harness->rand, 0, 100) < 45 ? g_rand_int_range (harness->rand, 1, 3) : 0;

  for (guint i = 0; i < n; i++)
    {
      KassaFakeFault fault = { 0, };
      guint roll = g_rand_int_range (harness->rand, 0, 100);
      FaultKind kind;

      /* Slow answers cost real seconds: keep them rare. */
      if (roll < 30)
        kind = FAULT_5XX;
      else if (roll < 52)
        kind = FAULT_429;
      else if (roll < 56)
        kind = FAULT_TIMEOUT;
      else if (roll < 78)
        kind = FAULT_DROP_BEFORE;
      else
        kind = FAULT_DROP_AFTER;

      fault.count = g_rand_int_range (harness->rand, 1, kind == FAULT_TIMEOUT ? 2 : 4);
      /* Now and then an outage outlasts every retry: the outcome is
       * unknown at the till and settled afterwards. */
      if (kind != FAULT_TIMEOUT && g_rand_int_range (harness->rand, 0, 100) < 15)
        fault.count = g_rand_int_range (harness->rand, 4, 9);
      fault.skip = g_rand_int_range (harness->rand, 0, 4);
      fault.method = g_rand_boolean (harness->rand) ? "POST" : NULL;
      fault.path_prefix = terminal ? terminal_paths[g_rand_int_range (harness->rand, 0, G_N_ELEMENTS (terminal_paths))]
                                   : checkout_paths[0];
      fault.should_retry = -1;

      switch (kind)
        {
        case FAULT_5XX:
          fault.kind = KASSA_FAKE_FAULT_STATUS;
          fault.status = (guint[]) { 500, 502, 503 }[g_rand_int_range (harness->rand, 0, 3)];
          break;
        case FAULT_429:
          fault.kind = KASSA_FAKE_FAULT_STATUS;
          fault.status = 429;
          fault.type = "invalid_request_error";
          fault.code = "rate_limit";
          break;
        case FAULT_TIMEOUT:
          fault.kind = KASSA_FAKE_FAULT_DELAY;
          fault.delay_ms = DELAY_MS;
          break;
        case FAULT_DROP_BEFORE:
          fault.kind = KASSA_FAKE_FAULT_DROP_BEFORE;
          break;
        case FAULT_DROP_AFTER:
          fault.kind = KASSA_FAKE_FAULT_DROP_AFTER;
          break;
        default:
          g_assert_not_reached ();
        }

      harness->faults[kind] += fault.count;
      kassa_fake_stripe_push_fault (harness->fake, &fault);
    }
}

static gboolean
cancel_idle_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
code_shown_cb (KassaPaymentProvider *provider,
               KassaPaymentProgress  progress,
               const char           *message,
               const char           *url,
               gpointer              user_data)
{
  Harness *harness = user_data;

  if (progress != KASSA_PAYMENT_PROGRESS_SHOWING_CODE)
    return;

  if (harness->cancel_this)
    g_idle_add_full (G_PRIORITY_DEFAULT, cancel_idle_cb, g_object_ref (harness->cancellable), g_object_unref);
  else
    kassa_fake_stripe_complete_checkout_session (harness->fake,
                                                 kassa_stripe_checkout_provider_get_session_id (harness->checkout));
}

typedef struct
{
  Harness *harness;
  char    *card;
} Tap;

static void tap (Harness *harness, const char *card);

static gboolean
tap_again_cb (gpointer user_data)
{
  Tap *again = user_data;

  tap (again->harness, again->card);
  g_free (again->card);
  g_free (again);
  return G_SOURCE_REMOVE;
}

static void
tapped_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Tap *tapped = user_data;
  g_autoptr(GError) error = NULL;

  /* The customer holds the card to the reader until it reads it: a
   * failed test-helper call is tried again while the reader waits. */
  if (!kassa_stripe_terminal_provider_present_test_card_finish (KASSA_STRIPE_TERMINAL_PROVIDER (object),
                                                                result, &error))
    {
      JsonObject *reader = kassa_fake_stripe_get_object (tapped->harness->fake, READER);
      JsonNode *action = json_object_get_member (reader, "action");

      if (action != NULL && !JSON_NODE_HOLDS_NULL (action) &&
          g_strcmp0 (json_object_get_string_member (json_node_get_object (action), "status"), "in_progress") == 0)
        {
          tapped->harness->n_taps_retried++;
          g_timeout_add (5, tap_again_cb, tapped);
          return;
        }
    }

  g_free (tapped->card);
  g_free (tapped);
}

static void
tap (Harness    *harness,
     const char *card)
{
  Tap *tapped = g_new0 (Tap, 1);

  tapped->harness = harness;
  tapped->card = g_strdup (card);
  kassa_stripe_terminal_provider_present_test_card_async (harness->terminal, card, NULL, tapped_cb, tapped);
}

static void
reader_waiting_cb (KassaPaymentProvider *provider,
                   KassaPaymentProgress  progress,
                   const char           *message,
                   const char           *url,
                   gpointer              user_data)
{
  Harness *harness = user_data;

  if (progress == KASSA_PAYMENT_PROGRESS_WAITING_FOR_CUSTOMER)
    tap (harness, harness->decline_this ? "4000000000000002" : "4242424242424242");
}

/* A real reader gives up on an action nobody finishes; the fake's does not. */
static void
reset_reader (Harness *harness)
{
  JsonObject *reader = kassa_fake_stripe_get_object (harness->fake, READER);

  json_object_set_null_member (reader, "action");
}

static void
pay_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->result = kassa_shop_pay_order_finish (KASSA_SHOP (object), result, NULL, &outcome->error);
  outcome->done = TRUE;
}

static void
pay_one (Harness *harness,
         guint    serial)
{
  gint64 order_id = add_order (harness, serial);
  gboolean terminal = g_rand_boolean (harness->rand);
  KassaPaymentProvider *provider = terminal ? KASSA_PAYMENT_PROVIDER (harness->terminal)
                                            : KASSA_PAYMENT_PROVIDER (harness->checkout);
  Outcome outcome = { 0, };

  harness->cancel_this = !terminal && g_rand_int_range (harness->rand, 0, 100) < 8;
  harness->decline_this = terminal && g_rand_int_range (harness->rand, 0, 100) < 8;
  g_clear_object (&harness->cancellable);
  harness->cancellable = g_cancellable_new ();

  inject_faults (harness, terminal);
  kassa_shop_pay_order_async (harness->shop, provider, order_id, 0, 0, harness->cancellable, pay_cb, &outcome);
  wait_for (&outcome);

  if (outcome.result != NULL)
    harness->n_paid++;
  else if (g_error_matches (outcome.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME))
    harness->n_unknown++;
  else if (g_error_matches (outcome.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_CANCELLED))
    harness->n_cancelled++;
  else
    harness->n_failed++;

  note_status (harness, order_id);
  if (terminal)
    reset_reader (harness);
  outcome_clear (&outcome);
}

/* -- Events --------------------------------------------------------------- */

static void
request_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->object = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (object), result, NULL,
                                                        &outcome->error);
  outcome->done = TRUE;
}

static void
apply_one (Harness          *harness,
           KassaStripeEvent *event)
{
  g_autoptr(GError) error = NULL;

  switch (kassa_stripe_sync_apply_event (harness->shop, event, &error))
    {
    case KASSA_STRIPE_SYNC_APPLIED:
      harness->n_events_applied++;
      break;
    case KASSA_STRIPE_SYNC_ALREADY_APPLIED:
      harness->n_events_repeated++;
      break;
    case KASSA_STRIPE_SYNC_IGNORED:
      harness->n_events_ignored++;
      break;
    case KASSA_STRIPE_SYNC_FAILED:
    default:
      g_assert_no_error (error);
      g_assert_not_reached ();
    }
}

/* The newest events, shuffled, a fifth of them twice, straight into the
 * one function both the poller and the webhook listener use. */
static void
deliver_events (Harness *harness)
{
  g_autoptr(KassaStripeForm) query = kassa_stripe_form_new ();
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) deliveries = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  gboolean has_more = FALSE;
  Outcome outcome = { 0, };

  kassa_stripe_form_add (query, "limit", "100");
  kassa_stripe_client_get_async (harness->client, "/v1/events", query, NULL, request_cb, &outcome);
  wait_for (&outcome);
  if (outcome.object == NULL)
    {
      /* A fault caught the listing: the next batch brings them. */
      outcome_clear (&outcome);
      return;
    }

  events = kassa_stripe_event_parse_list (outcome.object, &has_more, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < events->len; i++)
    {
      g_ptr_array_add (deliveries, g_ptr_array_index (events, i));
      if (g_rand_int_range (harness->rand, 0, 5) == 0)
        g_ptr_array_add (deliveries, g_ptr_array_index (events, i));
    }
  for (guint i = deliveries->len; i > 1; i--)
    {
      guint j = g_rand_int_range (harness->rand, 0, i);
      gpointer swap = deliveries->pdata[i - 1];

      deliveries->pdata[i - 1] = deliveries->pdata[j];
      deliveries->pdata[j] = swap;
    }

  for (guint i = 0; i < deliveries->len; i++)
    apply_one (harness, g_ptr_array_index (deliveries, i));

  outcome_clear (&outcome);
}

static void
poll_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Outcome *outcome = user_data;

  kassa_stripe_sync_poll_finish (KASSA_SHOP (object), result, &outcome->stats, &outcome->error);
  outcome->done = TRUE;
}

static void
poll_events (Harness *harness)
{
  Outcome outcome = { 0, };

  kassa_stripe_sync_poll_async (harness->shop, harness->client, NULL, poll_cb, &outcome);
  wait_for (&outcome);
  /* A poll that a fault cut short resumes from its cursor next time. */
  outcome_clear (&outcome);
}

/* -- Settling ----------------------------------------------------------- */

static void
settle_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Outcome *outcome = user_data;

  kassa_shop_settle_payments_finish (KASSA_SHOP (object), result, &outcome->settled, &outcome->left,
                                     &outcome->error);
  outcome->done = TRUE;
}

static void
flush_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Outcome *outcome = user_data;
  guint sent = 0, failed = 0;

  kassa_stripe_sync_flush_outbox_finish (KASSA_SHOP (object), result, &sent, &failed, &outcome->error);
  outcome->done = TRUE;
}

/* Settles unknown outcomes and sends the outbox until nothing is left;
 * returns the requests settled. */
static guint
final_passes (Harness *harness,
              guint   *out_passes)
{
  guint settled = 0;
  guint pass;

  for (pass = 1; pass <= MAX_FINAL_PASSES; pass++)
    {
      Outcome outcome = { 0, };
      guint left;

      kassa_shop_settle_payments_async (harness->shop, harness->client, NULL, settle_cb, &outcome);
      wait_for (&outcome);
      g_assert_no_error (outcome.error);
      settled += outcome.settled;
      left = outcome.left;
      outcome_clear (&outcome);

      kassa_stripe_sync_flush_outbox_async (harness->shop, harness->client, NULL, flush_cb, &outcome);
      wait_for (&outcome);
      g_assert_no_error (outcome.error);
      outcome_clear (&outcome);

      if (left == 0)
        break;
    }

  *out_passes = pass;
  return settled;
}

/* -- Checks ------------------------------------------------------------- */

static gint64
metadata_order_id (JsonObject *object)
{
  JsonObject *metadata = json_object_has_member (object, "metadata") &&
                         JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "metadata"))
                           ? json_object_get_object_member (object, "metadata") : NULL;
  const char *id = metadata != NULL && json_object_has_member (metadata, "order_id")
                     ? json_object_get_string_member (metadata, "order_id") : NULL;

  return id != NULL ? g_ascii_strtoll (id, NULL, 10) : 0;
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL;
}

static void
count_charge (GHashTable *charges,
              gint64      order_id,
              const char *reference)
{
  GPtrArray *list = g_hash_table_lookup (charges, &order_id);

  if (list == NULL)
    {
      gint64 *key = g_new (gint64, 1);

      *key = order_id;
      list = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (charges, key, list);
    }
  g_ptr_array_add (list, g_strdup (reference));
}

/* Every order's charges in the fake: paid Checkout Sessions (by client
 * reference) and card-present intents that took or hold money. */
static GHashTable *
collect_charges (Harness *harness,
                 guint   *out_held)
{
  GHashTable *charges = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                               (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) sessions = kassa_fake_stripe_list_objects (harness->fake, "checkout.session");
  g_autoptr(GPtrArray) intents = kassa_fake_stripe_list_objects (harness->fake, "payment_intent");
  guint held = 0;

  for (guint i = 0; i < sessions->len; i++)
    {
      JsonObject *session = g_ptr_array_index (sessions, i);

      if (g_strcmp0 (string_member (session, "payment_status"), "paid") == 0)
        count_charge (charges, g_ascii_strtoll (string_member (session, "client_reference_id"), NULL, 10),
                      string_member (session, "payment_intent"));
    }

  for (guint i = 0; i < intents->len; i++)
    {
      JsonObject *intent = g_ptr_array_index (intents, i);
      gint64 order_id = metadata_order_id (intent);
      const char *status = string_member (intent, "status");

      /* Intents of Checkout Sessions carry no order: counted above. */
      if (order_id == 0)
        continue;
      if (g_strcmp0 (status, "succeeded") == 0)
        count_charge (charges, order_id, string_member (intent, "id"));
      else if (g_strcmp0 (status, "requires_capture") == 0)
        {
          held++;
          count_charge (charges, order_id, string_member (intent, "id"));
        }
    }

  *out_held = held;
  return charges;
}

static void
test_payments (gconstpointer data)
{
  Harness harness = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(GHashTable) charges = NULL;
  g_autoptr(GPtrArray) unsettled = NULL;
  g_autoptr(KassaStripeStateRepository) state = NULL;
  g_autofree char *path = NULL;
  const char *count_text = g_getenv ("KASSA_FAULT_INJECTION_PAYMENTS");
  const char *seed_text = g_getenv ("KASSA_FAULT_INJECTION_SEED");
  guint n_payments = count_text != NULL ? (guint) g_ascii_strtoull (count_text, NULL, 10) : SHORT_PAYMENTS;
  guint32 seed = seed_text != NULL ? (guint32) g_ascii_strtoull (seed_text, NULL, 10) : g_random_int ();
  guint max_intents, max_sessions, n_intent_keys, n_session_keys;
  guint double_charges = 0, unbooked = 0, backwards, settled, passes, held = 0;
  guint unknown_left = 0, booked_twice = 0;
  GHashTableIter iter;
  gpointer key, value;
  const char *dir;

  g_test_message ("seed %u, %u payments", seed, n_payments);
  harness.rand = g_rand_new_with_seed (seed);
  harness.statuses = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) g_array_unref);
  harness.order_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  harness.dir = g_dir_make_tmp ("kassa-faults-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (harness.dir, "shop.db", NULL);
  harness.shop = kassa_shop_open (path, &error);
  g_assert_no_error (error);
  kassa_shop_act_as_system (harness.shop);
  harness.orders = kassa_order_repository_new (kassa_shop_get_database (harness.shop));
  state = kassa_stripe_state_repository_new (kassa_shop_get_database (harness.shop));

  harness.fake = kassa_fake_stripe_new (SECRET_KEY);
  kassa_fake_stripe_set_clock (harness.fake, g_get_real_time () / G_USEC_PER_SEC - 3600);
  kassa_fake_stripe_add_reader (harness.fake, READER, "Faulty till");
  kassa_fake_stripe_set_event_quirks (harness.fake, KASSA_FAKE_EVENTS_DUPLICATE | KASSA_FAKE_EVENTS_REORDER);
  harness.session = soup_session_new ();
  harness.client = kassa_stripe_client_new (harness.session, kassa_fake_stripe_get_url (harness.fake), SECRET_KEY);
  kassa_stripe_client_set_max_tries (harness.client, 3);
  kassa_stripe_client_set_backoff (harness.client, 1, 8);
  kassa_stripe_client_set_timeout (harness.client, CLIENT_TIMEOUT_MS);

  harness.checkout = kassa_stripe_checkout_provider_new (harness.client, "https://shop.example/paid", NULL);
  kassa_stripe_checkout_provider_set_poll_interval (harness.checkout, 2);
  g_signal_connect (harness.checkout, "status-changed", G_CALLBACK (code_shown_cb), &harness);
  harness.terminal = kassa_stripe_terminal_provider_new (harness.client);
  kassa_stripe_terminal_provider_set_reader_id (harness.terminal, READER);
  kassa_stripe_terminal_provider_set_poll_interval (harness.terminal, 2);
  g_signal_connect (harness.terminal, "status-changed", G_CALLBACK (reader_waiting_cb), &harness);

  for (guint i = 0; i < n_payments; i++)
    {
      pay_one (&harness, i + 1);

      if ((i + 1) % BATCH == 0 || i + 1 == n_payments)
        {
          deliver_events (&harness);
          poll_events (&harness);
          note_recent_statuses (&harness, 2 * BATCH);
          kassa_fake_stripe_clear_requests (harness.fake);
        }
      if ((i + 1) % 500 == 0)
        g_test_message ("%u payments, %.1f s", i + 1, g_timer_elapsed (timer, NULL));
    }

  /* Then, with no payment in progress, whatever is still unknown is
   * settled and the events are read once more. Faults still queued hit
   * these requests too; the passes go on until they are used up. */
  settled = final_passes (&harness, &passes);
  deliver_events (&harness);
  poll_events (&harness);
  for (guint i = 0; i < harness.order_ids->len; i++)
    note_status (&harness, g_array_index (harness.order_ids, gint64, i));

  /* 1. No key made two objects; no order was charged twice. */
  max_intents = kassa_fake_stripe_max_objects_per_key (harness.fake, "payment_intent", &n_intent_keys);
  max_sessions = kassa_fake_stripe_max_objects_per_key (harness.fake, "checkout.session", &n_session_keys);
  charges = collect_charges (&harness, &held);
  g_hash_table_iter_init (&iter, charges);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *list = value;
      g_autoptr(KassaOrder) order = kassa_order_repository_load (harness.orders, *(gint64 *) key, &error);
      GListModel *payments;
      gboolean found = FALSE;

      g_assert_no_error (error);
      if (list->len > 1)
        double_charges++;

      /* 3. Every charge is booked on its order. */
      payments = kassa_order_get_payments (order);
      for (guint i = 0; i < g_list_model_get_n_items (payments); i++)
        {
          g_autoptr(KassaPayment) payment = g_list_model_get_item (payments, i);

          if (g_strcmp0 (kassa_payment_get_reference (payment), g_ptr_array_index (list, 0)) == 0)
            found = TRUE;
        }
      if (!found)
        {
          g_test_message ("order %" G_GINT64_FORMAT ": charge %s not booked", *(gint64 *) key,
                          (const char *) g_ptr_array_index (list, 0));
          unbooked++;
        }
    }
  for (guint i = 0; i < harness.order_ids->len; i++)
    {
      g_autoptr(KassaOrder) order = kassa_order_repository_load (harness.orders,
                                                                 g_array_index (harness.order_ids, gint64, i), &error);

      g_assert_no_error (error);
      if (g_list_model_get_n_items (kassa_order_get_payments (order)) > 1)
        booked_twice++;
    }

  /* 2. No order moved backwards. */
  backwards = count_backwards (&harness);

  /* 3. No outcome left unknown. */
  unsettled = kassa_stripe_state_repository_list_unsettled (state, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < unsettled->len; i++)
    {
      KassaStripeRequest *row = g_ptr_array_index (unsettled, i);

      g_test_message ("left %s: %s %s (%s)", row->outcome == KASSA_STRIPE_OUTCOME_UNKNOWN ? "unknown" : "pending",
                      row->method, row->path, row->last_error ? row->last_error : "");
      unknown_left++;
    }

  g_print ("# fault injection: seed %u, %u payments in %.1f s\n", seed, n_payments, g_timer_elapsed (timer, NULL));
  g_print ("#   paid %u, failed %u, cancelled %u, unknown at the till %u\n",
           harness.n_paid, harness.n_failed, harness.n_cancelled, harness.n_unknown);
  g_print ("#   faults injected: ");
  for (guint i = 0; i < N_FAULT_KINDS; i++)
    g_print ("%s%s %u", i > 0 ? ", " : "", fault_names[i], harness.faults[i]);
  g_print (" (%u still queued)\n", kassa_fake_stripe_get_n_pending_faults (harness.fake));
  g_print ("#   events: %u applied, %u repeated, %u ignored; card taps retried %u\n",
           harness.n_events_applied, harness.n_events_repeated, harness.n_events_ignored, harness.n_taps_retried);
  g_print ("#   settled afterwards %u in %u passes; left unknown or pending %u\n", settled, passes, unknown_left);
  g_print ("#   keys: %u made intents (most per key %u), %u made sessions (most per key %u)\n",
           n_intent_keys, max_intents, n_session_keys, max_sessions);
  g_print ("#   orders charged %u, double charges %u, booked twice %u, charges not booked %u, "
           "authorisations held %u, moved backwards %u\n",
           g_hash_table_size (charges), double_charges, booked_twice, unbooked, held, backwards);

  g_assert_cmpuint (harness.n_paid + harness.n_failed + harness.n_cancelled + harness.n_unknown, ==, n_payments);
  g_assert_cmpuint (harness.n_paid, >, n_payments / 2);
  g_assert_cmpuint (max_intents, <=, 1);
  g_assert_cmpuint (max_sessions, <=, 1);
  g_assert_cmpuint (double_charges, ==, 0);
  g_assert_cmpuint (booked_twice, ==, 0);
  g_assert_cmpuint (unbooked, ==, 0);
  g_assert_cmpuint (backwards, ==, 0);
  g_assert_cmpuint (unknown_left, ==, 0);

  g_clear_object (&harness.cancellable);
  g_assert_finalize_object (harness.checkout);
  g_assert_finalize_object (harness.terminal);
  g_clear_object (&harness.client);
  g_clear_object (&harness.session);
  g_clear_object (&harness.fake);
  g_clear_object (&harness.orders);
  g_clear_object (&state);
  g_assert_finalize_object (harness.shop);
  g_rand_free (harness.rand);
  g_hash_table_unref (harness.statuses);
  g_array_unref (harness.order_ids);

  {
    g_autoptr(GDir) handle = g_dir_open (harness.dir, 0, NULL);

    while (handle != NULL && (dir = g_dir_read_name (handle)) != NULL)
      {
        g_autofree char *file = g_build_filename (harness.dir, dir, NULL);

        g_unlink (file);
      }
  }
  g_rmdir (harness.dir);
  g_free (harness.dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/kassa/fault-injection/payments", NULL, test_payments);

  return g_test_run ();
}
