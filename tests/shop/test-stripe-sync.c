/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-dispute-repository.h"
#include "kassa-payment-error.h"
#include "kassa-refund-repository.h"
#include "kassa-stripe-state-repository.h"
#include "kassa-stripe-sync.h"
#include "kassa-subscription-repository.h"

#include "stripe-test-utils.h"

static KassaStripeSyncResult
apply (StripeFixture *fixture,
       const char    *id,
       const char    *type,
       gint64         created,
       const char    *object_json)
{
  g_autoptr(KassaStripeEvent) event = stripe_test_event (id, type, created, object_json);
  g_autoptr(GError) error = NULL;
  KassaStripeSyncResult result;

  result = kassa_stripe_sync_apply_event (fixture->shop, event, &error);
  g_assert_no_error (error);

  return result;
}

static char *
session_json (gint64      order_id,
              const char *session_id,
              const char *intent_id,
              gint64      amount)
{
  return g_strdup_printf ("{\"id\":\"%s\",\"object\":\"checkout.session\",\"client_reference_id\":\"%"
                          G_GINT64_FORMAT "\",\"payment_intent\":\"%s\",\"amount_total\":%" G_GINT64_FORMAT ","
                          "\"currency\":\"eur\",\"status\":\"complete\",\"payment_status\":\"paid\","
                          "\"metadata\":{}}",
                          session_id, order_id, intent_id, amount);
}

static char *
intent_json (const char *intent_id,
             const char *status,
             gint64      amount)
{
  return g_strdup_printf ("{\"id\":\"%s\",\"object\":\"payment_intent\",\"amount\":%" G_GINT64_FORMAT ","
                          "\"amount_received\":%" G_GINT64_FORMAT ",\"currency\":\"eur\",\"status\":\"%s\","
                          "\"metadata\":{}}",
                          intent_id, amount, g_str_equal (status, "succeeded") ? amount : 0, status);
}

static gint64
count_journal (StripeFixture *fixture,
               const char    *kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaJournalEntry) last = kassa_journal_get_last (kassa_shop_get_journal (fixture->shop), &error);
  gint64 n_entries = 0;

  g_assert_no_error (error);
  kassa_journal_verify (kassa_shop_get_journal (fixture->shop), &n_entries, NULL, NULL, &error);
  g_assert_no_error (error);
  if (kind != NULL && last != NULL)
    g_assert_cmpstr (last->kind, ==, kind);

  return n_entries;
}

/* Pays an order through checkout.session.completed; returns its id. */
static gint64
paid_order (StripeFixture *fixture,
            const char    *number,
            const char    *session_id,
            const char    *intent_id,
            gint64         total)
{
  g_autofree char *event_id = g_strdup_printf ("evt_paid_%s", number);
  g_autofree char *json = NULL;
  gint64 id = stripe_test_insert_order (fixture, number, session_id, total);

  json = session_json (id, session_id, intent_id, total);
  g_assert_cmpint (apply (fixture, event_id, "checkout.session.completed", 1700000100, json),
                   ==, KASSA_STRIPE_SYNC_APPLIED);

  return id;
}

static void
test_checkout_completed (StripeFixture *fixture,
                         gconstpointer  data)
{
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(KassaPayment) payment = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autofree char *json = NULL;
  g_autofree char *intent = intent_json ("pi_1", "succeeded", 2500);
  gint64 id = stripe_test_insert_order (fixture, "S-1", "cs_test_1", 2500);

  json = session_json (id, "cs_test_1", "pi_1", 2500);
  g_assert_cmpint (apply (fixture, "evt_1", "checkout.session.completed", 1700000100, json),
                   ==, KASSA_STRIPE_SYNC_APPLIED);

  order = stripe_test_load_order (fixture, id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PAID);
  g_assert_cmpstr (kassa_order_get_stripe_payment_intent_id (order), ==, "pi_1");
  g_assert_true (kassa_order_get_certified (order));
  g_assert_cmpuint (g_list_model_get_n_items (kassa_order_get_payments (order)), ==, 1);
  payment = g_list_model_get_item (kassa_order_get_payments (order), 0);
  g_assert_cmpint (kassa_payment_get_amount (payment), ==, 2500);
  g_assert_cmpstr (kassa_payment_get_reference (payment), ==, "pi_1");
  g_assert_cmpstr (kassa_payment_get_provider_id (payment), ==, "stripe_checkout");
  g_assert_cmpint (g_date_time_to_unix (kassa_order_get_paid_at (order)), ==, 1700000100);
  g_assert_cmpint (count_journal (fixture, "stripe-payment"), ==, 1);

  audit = kassa_audit_log_list_recent (kassa_shop_get_audit_log (fixture->shop), 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (audit->len, ==, 1);
  g_assert_cmpstr (((KassaAuditEntry *) g_ptr_array_index (audit, 0))->action, ==, "stripe-payment");

  /* The same event again, and the PaymentIntent's own event for the same
   * money: nothing more is booked. */
  g_assert_cmpint (apply (fixture, "evt_1", "checkout.session.completed", 1700000100, json),
                   ==, KASSA_STRIPE_SYNC_ALREADY_APPLIED);
  g_assert_cmpint (apply (fixture, "evt_2", "payment_intent.succeeded", 1700000101, intent),
                   ==, KASSA_STRIPE_SYNC_IGNORED);

  g_clear_object (&order);
  order = stripe_test_load_order (fixture, id);
  g_assert_cmpuint (g_list_model_get_n_items (kassa_order_get_payments (order)), ==, 1);
  g_assert_cmpint (kassa_order_get_amount_paid (order), ==, 2500);
  g_assert_cmpint (count_journal (fixture, NULL), ==, 1);
}

static void
test_paid_stays_paid (StripeFixture *fixture,
                      gconstpointer  data)
{
  g_autoptr(KassaOrder) order = NULL;
  g_autofree char *failed = intent_json ("pi_2", "requires_payment_method", 2500);
  g_autofree char *expired = g_strdup ("{\"id\":\"cs_test_2\",\"object\":\"checkout.session\","
                                       "\"status\":\"expired\",\"payment_status\":\"unpaid\"}");
  gint64 id = paid_order (fixture, "S-2", "cs_test_2", "pi_2", 2500);

  /* Late failures, older than the payment but delivered after it. */
  g_assert_cmpint (apply (fixture, "evt_late_1", "payment_intent.payment_failed", 1700000050, failed),
                   ==, KASSA_STRIPE_SYNC_IGNORED);
  g_assert_cmpint (apply (fixture, "evt_late_2", "checkout.session.expired", 1700000060, expired),
                   ==, KASSA_STRIPE_SYNC_IGNORED);
  g_assert_cmpint (apply (fixture, "evt_late_3", "payment_intent.canceled", 1700000070, failed),
                   ==, KASSA_STRIPE_SYNC_IGNORED);

  order = stripe_test_load_order (fixture, id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PAID);
  g_assert_cmpint (kassa_order_get_amount_paid (order), ==, 2500);
}

static void
test_failure_then_success (StripeFixture *fixture,
                           gconstpointer  data)
{
  g_autoptr(KassaOrder) order = NULL;
  g_autofree char *failed = g_strdup ("{\"id\":\"pi_3\",\"object\":\"payment_intent\",\"amount\":2500,"
                                      "\"currency\":\"eur\",\"status\":\"requires_payment_method\","
                                      "\"metadata\":{\"order_id\":\"S-3\"}}");
  g_autofree char *expired = g_strdup ("{\"id\":\"cs_test_4\",\"object\":\"checkout.session\","
                                       "\"status\":\"expired\",\"payment_status\":\"unpaid\"}");
  g_autofree char *json = NULL;
  gint64 id = stripe_test_insert_order (fixture, "S-3", "cs_test_3", 2500);
  gint64 other = stripe_test_insert_order (fixture, "S-4", "cs_test_4", 1000);

  /* A declined card leaves the order open for another try … */
  g_assert_cmpint (apply (fixture, "evt_f", "payment_intent.payment_failed", 1700000010, failed),
                   ==, KASSA_STRIPE_SYNC_APPLIED);
  order = stripe_test_load_order (fixture, id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_FAILED);
  g_clear_object (&order);

  /* … which pays it. */
  json = session_json (id, "cs_test_3", "pi_3b", 2500);
  g_assert_cmpint (apply (fixture, "evt_s", "checkout.session.completed", 1700000020, json),
                   ==, KASSA_STRIPE_SYNC_APPLIED);
  order = stripe_test_load_order (fixture, id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PAID);
  g_clear_object (&order);

  /* An expired session (found by its id) expires an unpaid order. */
  g_assert_cmpint (apply (fixture, "evt_e", "checkout.session.expired", 1700000030, expired),
                   ==, KASSA_STRIPE_SYNC_APPLIED);
  order = stripe_test_load_order (fixture, other);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_EXPIRED);

  /* An object no order knows is recorded and skipped. */
  g_assert_cmpint (apply (fixture, "evt_x", "payment_intent.payment_failed", 1700000040,
                          "{\"id\":\"pi_unknown\",\"object\":\"payment_intent\"}"),
                   ==, KASSA_STRIPE_SYNC_IGNORED);
  g_assert_cmpint (apply (fixture, "evt_x", "payment_intent.payment_failed", 1700000040,
                          "{\"id\":\"pi_unknown\",\"object\":\"payment_intent\"}"),
                   ==, KASSA_STRIPE_SYNC_ALREADY_APPLIED);
}

/* A phone order paid by a payment link: it stays editable, but learns
 * its PaymentIntent so the refund that follows finds it. */
static void
test_manual_order (StripeFixture *fixture,
                   gconstpointer  data)
{
  g_autoptr(KassaOrder) order = NULL;
  g_autofree char *json = NULL;
  gint64 id = stripe_test_insert_order_in_mode (fixture, "M-1", NULL, 1200, KASSA_ORDER_MODE_MANUAL);
  const char *charge = "{\"id\":\"ch_m\",\"object\":\"charge\",\"payment_intent\":\"pi_m\","
                       "\"amount\":1200,\"amount_refunded\":1200,\"currency\":\"eur\"}";

  json = g_strdup_printf ("{\"id\":\"pi_m\",\"object\":\"payment_intent\",\"amount\":1200,"
                          "\"amount_received\":1200,\"currency\":\"eur\",\"status\":\"succeeded\","
                          "\"metadata\":{\"order_id\":\"%" G_GINT64_FORMAT "\"}}", id);
  g_assert_cmpint (apply (fixture, "evt_m1", "payment_intent.succeeded", 1700000100, json),
                   ==, KASSA_STRIPE_SYNC_APPLIED);
  order = stripe_test_load_order (fixture, id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PAID);
  g_assert_cmpstr (kassa_order_get_stripe_payment_intent_id (order), ==, "pi_m");
  g_assert_false (kassa_order_get_certified (order));
  g_clear_object (&order);

  g_assert_cmpint (apply (fixture, "evt_m2", "charge.refunded", 1700000200, charge), ==, KASSA_STRIPE_SYNC_APPLIED);
  order = stripe_test_load_order (fixture, id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_REFUNDED);
}

static void
test_refunds (StripeFixture *fixture,
              gconstpointer  data)
{
  g_autoptr(KassaRefundRepository) refunds = kassa_refund_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaRefund) pending = kassa_refund_new ();
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = paid_order (fixture, "S-5", "cs_test_5", "pi_5", 3000);
  gint64 pending_id;
  const char *charge_500 = "{\"id\":\"ch_5\",\"object\":\"charge\",\"payment_intent\":\"pi_5\","
                           "\"amount\":3000,\"amount_refunded\":500,\"currency\":\"eur\"}";
  const char *charge_1200 = "{\"id\":\"ch_5\",\"object\":\"charge\",\"payment_intent\":\"pi_5\","
                            "\"amount\":3000,\"amount_refunded\":1200,\"currency\":\"eur\"}";
  const char *charge_all = "{\"id\":\"ch_5\",\"object\":\"charge\",\"payment_intent\":\"pi_5\","
                           "\"amount\":3000,\"amount_refunded\":3000,\"currency\":\"eur\","
                           "\"refunds\":{\"object\":\"list\",\"data\":[{\"id\":\"re_3\",\"object\":\"refund\","
                           "\"amount\":1800,\"status\":\"succeeded\",\"metadata\":{}}]}}";

  /* A refund the till asked for, not confirmed yet. */
  pending->order_id = id;
  pending->amount = 500;
  pending->reason = KASSA_REFUND_REASON_REQUESTED_BY_CUSTOMER;
  pending->status = KASSA_REFUND_STATUS_PENDING;
  pending_id = kassa_refund_repository_create (refunds, pending, &error);
  g_assert_no_error (error);

  g_assert_cmpint (apply (fixture, "evt_r1", "charge.refunded", 1700000200, charge_500),
                   ==, KASSA_STRIPE_SYNC_APPLIED);
  list = kassa_refund_repository_list_by_order (refunds, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (((KassaRefund *) g_ptr_array_index (list, 0))->id, ==, pending_id);
  g_assert_cmpint (((KassaRefund *) g_ptr_array_index (list, 0))->status, ==, KASSA_REFUND_STATUS_SUCCEEDED);
  order = stripe_test_load_order (fixture, id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PARTIALLY_REFUNDED);
  g_assert_cmpint (kassa_order_get_amount_refunded (order), ==, 500);
  g_assert_cmpint (count_journal (fixture, "stripe-refund"), ==, 2);
  g_clear_object (&order);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Another event with the same total changes nothing. */
  g_assert_cmpint (apply (fixture, "evt_r1b", "charge.refunded", 1700000201, charge_500),
                   ==, KASSA_STRIPE_SYNC_IGNORED);

  /* A refund made in the Dashboard is booked as it comes. */
  g_assert_cmpint (apply (fixture, "evt_r2", "charge.refunded", 1700000300, charge_1200),
                   ==, KASSA_STRIPE_SYNC_APPLIED);
  order = stripe_test_load_order (fixture, id);
  g_assert_cmpint (kassa_order_get_amount_refunded (order), ==, 1200);
  g_clear_object (&order);

  /* An older event after a newer one: the total already covers it. */
  g_assert_cmpint (apply (fixture, "evt_r0", "charge.refunded", 1700000150, charge_500),
                   ==, KASSA_STRIPE_SYNC_IGNORED);

  g_assert_cmpint (apply (fixture, "evt_r3", "charge.refunded", 1700000400, charge_all),
                   ==, KASSA_STRIPE_SYNC_APPLIED);
  order = stripe_test_load_order (fixture, id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_REFUNDED);
  g_assert_cmpint (kassa_order_get_amount_refunded (order), ==, 3000);
  list = kassa_refund_repository_list_by_order (refunds, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
}

static char *
dispute_json (const char *status)
{
  return g_strdup_printf ("{\"id\":\"dp_1\",\"object\":\"dispute\",\"charge\":\"ch_6\",\"payment_intent\":\"pi_6\","
                          "\"amount\":2500,\"currency\":\"eur\",\"reason\":\"fraudulent\",\"status\":\"%s\","
                          "\"evidence_details\":{\"due_by\":1700900000}}",
                          status);
}

static void
test_disputes (StripeFixture *fixture,
               gconstpointer  data)
{
  g_autoptr(KassaDisputeRepository) disputes = kassa_dispute_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaDispute) dispute = NULL;
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *created = dispute_json ("needs_response");
  g_autofree char *review = dispute_json ("under_review");
  g_autofree char *won = dispute_json ("won");
  gint64 id = paid_order (fixture, "S-6", "cs_test_6", "pi_6", 2500);
  gint64 n_journal;

  g_assert_cmpint (apply (fixture, "evt_d1", "charge.dispute.created", 1700000500, created),
                   ==, KASSA_STRIPE_SYNC_APPLIED);
  order = stripe_test_load_order (fixture, id);
  g_assert_cmpint (kassa_order_get_dispute_status (order), ==, KASSA_DISPUTE_STATUS_NEEDS_RESPONSE);
  g_clear_object (&order);
  n_journal = count_journal (fixture, "stripe-dispute");

  /* closed arrives before the update that preceded it */
  g_assert_cmpint (apply (fixture, "evt_d3", "charge.dispute.closed", 1700000700, won),
                   ==, KASSA_STRIPE_SYNC_APPLIED);
  g_assert_cmpint (count_journal (fixture, "stripe-dispute"), ==, n_journal + 1);
  g_assert_cmpint (apply (fixture, "evt_d2", "charge.dispute.updated", 1700000600, review),
                   ==, KASSA_STRIPE_SYNC_IGNORED);

  order = stripe_test_load_order (fixture, id);
  g_assert_cmpint (kassa_order_get_dispute_status (order), ==, KASSA_DISPUTE_STATUS_WON);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PAID);
  dispute = kassa_dispute_repository_load_by_stripe_id (disputes, "dp_1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (dispute->status, ==, KASSA_DISPUTE_STATUS_WON);
  g_assert_cmpint (dispute->order_id, ==, id);
  g_assert_cmpint (dispute->amount, ==, 2500);
  g_assert_cmpstr (dispute->reason, ==, "fraudulent");
  g_assert_cmpint (g_date_time_to_unix (dispute->evidence_due_by), ==, 1700900000);
}

static void
test_subscriptions (StripeFixture *fixture,
                    gconstpointer  data)
{
  g_autoptr(KassaSubscriptionRepository) repository =
    kassa_subscription_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaSubscription) subscription = NULL;
  g_autoptr(GError) error = NULL;
  const char *created = "{\"id\":\"sub_1\",\"object\":\"subscription\",\"customer\":\"cus_1\",\"status\":\"active\","
                        "\"cancel_at_period_end\":false,\"items\":{\"object\":\"list\",\"data\":"
                        "[{\"id\":\"si_1\",\"current_period_end\":1702592000}]}}";
  const char *renewal = "{\"id\":\"in_1\",\"object\":\"invoice\",\"billing_reason\":\"subscription_cycle\","
                        "\"parent\":{\"subscription_details\":{\"subscription\":\"sub_1\"}},"
                        "\"lines\":{\"object\":\"list\",\"data\":[{\"period\":{\"start\":1702592000,"
                        "\"end\":1705270400}}]}}";
  const char *cancelling = "{\"id\":\"sub_1\",\"object\":\"subscription\",\"customer\":\"cus_1\","
                           "\"status\":\"active\",\"cancel_at_period_end\":true,\"items\":{\"object\":\"list\","
                           "\"data\":[{\"id\":\"si_1\",\"current_period_end\":1705270400}]}}";
  const char *deleted = "{\"id\":\"sub_1\",\"object\":\"subscription\",\"customer\":\"cus_1\","
                        "\"status\":\"canceled\",\"cancel_at_period_end\":false}";
  const char *stale = "{\"id\":\"sub_1\",\"object\":\"subscription\",\"customer\":\"cus_1\","
                      "\"status\":\"past_due\",\"cancel_at_period_end\":false}";

  g_assert_cmpint (apply (fixture, "evt_s1", "customer.subscription.created", 1700001000, created),
                   ==, KASSA_STRIPE_SYNC_APPLIED);
  subscription = kassa_subscription_repository_load_by_stripe_id (repository, "sub_1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_subscription_get_status (subscription), ==, KASSA_SUBSCRIPTION_STATUS_ACTIVE);
  g_assert_cmpstr (kassa_subscription_get_stripe_customer_id (subscription), ==, "cus_1");
  g_assert_cmpint (g_date_time_to_unix (kassa_subscription_get_current_period_end (subscription)), ==, 1702592000);
  g_clear_object (&subscription);

  g_assert_cmpint (apply (fixture, "evt_s2", "invoice.paid", 1700002000, renewal), ==, KASSA_STRIPE_SYNC_APPLIED);
  g_assert_cmpint (apply (fixture, "evt_s2b", "invoice.paid", 1700002001, renewal), ==, KASSA_STRIPE_SYNC_IGNORED);
  subscription = kassa_subscription_repository_load_by_stripe_id (repository, "sub_1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kassa_subscription_get_cycles_billed (subscription), ==, 1);
  g_assert_cmpint (g_date_time_to_unix (kassa_subscription_get_current_period_end (subscription)), ==, 1705270400);
  g_clear_object (&subscription);

  g_assert_cmpint (apply (fixture, "evt_s3", "customer.subscription.updated", 1700003000, cancelling),
                   ==, KASSA_STRIPE_SYNC_APPLIED);
  subscription = kassa_subscription_repository_load_by_stripe_id (repository, "sub_1", &error);
  g_assert_no_error (error);
  g_assert_true (kassa_subscription_get_cancel_at_period_end (subscription));
  g_assert_cmpint (kassa_subscription_get_status (subscription), ==, KASSA_SUBSCRIPTION_STATUS_ACTIVE);
  g_clear_object (&subscription);

  g_assert_cmpint (apply (fixture, "evt_s4", "customer.subscription.deleted", 1700004000, deleted),
                   ==, KASSA_STRIPE_SYNC_APPLIED);
  /* A late update cannot bring a canceled subscription back. */
  g_assert_cmpint (apply (fixture, "evt_s5", "customer.subscription.updated", 1700003500, stale),
                   ==, KASSA_STRIPE_SYNC_IGNORED);
  subscription = kassa_subscription_repository_load_by_stripe_id (repository, "sub_1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_subscription_get_status (subscription), ==, KASSA_SUBSCRIPTION_STATUS_CANCELED);
  g_assert_cmpuint (kassa_subscription_get_cycles_billed (subscription), ==, 1);
}

/* -- Poller ---------------------------------------------------------------- */

static gboolean
poll (StripeFixture         *fixture,
      KassaStripeSyncStats  *stats,
      GError               **error)
{
  StripeWait wait = { NULL };
  gboolean ok;

  kassa_stripe_sync_poll_async (fixture->shop, fixture->client, NULL, stripe_test_done_cb, &wait);
  ok = kassa_stripe_sync_poll_finish (fixture->shop, stripe_test_wait (&wait), stats, error);
  g_object_unref (wait.result);

  return ok;
}

static char *
get_cursor (StripeFixture *fixture)
{
  g_autoptr(KassaStripeStateRepository) state =
    kassa_stripe_state_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(GError) error = NULL;
  char *cursor = NULL;

  kassa_stripe_state_repository_get_events_cursor (state, &cursor, &error);
  g_assert_no_error (error);

  return cursor;
}

/* A Checkout Session in the fake for a stored order, paid or left open. */
static char *
fake_session (StripeFixture *fixture,
              const char    *number,
              gint64         amount,
              gboolean       pay,
              gint64        *out_order_id)
{
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  g_autoptr(JsonObject) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaOrder) order = NULL;
  g_autofree char *key = kassa_stripe_client_new_idempotency_key ();
  StripeWait wait = { NULL };
  char *id;

  kassa_stripe_form_add (form, "mode", "payment");
  kassa_stripe_form_add (form, "line_items[0][price_data][currency]", "eur");
  kassa_stripe_form_add_int (form, "line_items[0][price_data][unit_amount]", amount);
  kassa_stripe_form_add (form, "line_items[0][price_data][product_data][name]", "Espresso beans");
  kassa_stripe_form_add_int (form, "line_items[0][quantity]", 1);
  kassa_stripe_form_add (form, "client_reference_id", number);
  kassa_stripe_client_post_async (fixture->client, "/v1/checkout/sessions", form, key, NULL,
                                  stripe_test_done_cb, &wait);
  session = kassa_stripe_client_request_finish (fixture->client, stripe_test_wait (&wait), NULL, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  id = g_strdup (json_object_get_string_member (session, "id"));

  *out_order_id = stripe_test_insert_order (fixture, number, id, amount);
  if (pay)
    g_assert_true (kassa_fake_stripe_complete_checkout_session (fixture->fake, id));

  return id;
}

static void
add_filler_events (StripeFixture *fixture,
                   guint          n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) invoice = stripe_test_json ("{\"id\":\"in_filler\",\"object\":\"invoice\","
                                                        "\"billing_reason\":\"manual\"}");

      kassa_fake_stripe_add_event (fixture->fake, "invoice.finalized", invoice);
    }
}

static void
test_poll_applies (StripeFixture *fixture,
                   gconstpointer  data)
{
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(JsonObject) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *session = NULL;
  g_autofree char *cursor = NULL;
  KassaStripeSyncStats stats = { 0, };
  const KassaFakeStripeRequest *request;
  const char *last_event;
  gint64 id;
  guint n_types = 0;

  session = fake_session (fixture, "P-1", 1990, TRUE, &id);
  /* A late failure report for the same PaymentIntent, newest of all. */
  failure = stripe_test_json ("{\"id\":\"pi_late\",\"object\":\"payment_intent\",\"status\":\"canceled\","
                              "\"metadata\":{\"order_id\":\"P-1\"}}");
  last_event = kassa_fake_stripe_add_event (fixture->fake, "payment_intent.canceled", failure);
  kassa_fake_stripe_set_event_quirks (fixture->fake, KASSA_FAKE_EVENTS_DUPLICATE | KASSA_FAKE_EVENTS_REORDER);

  g_assert_true (poll (fixture, &stats, &error));
  g_assert_no_error (error);

  /* payment_intent.succeeded, checkout.session.completed, the failure */
  g_assert_cmpuint (stats.n_events, ==, 3);
  g_assert_cmpuint (stats.n_applied, ==, 1);
  g_assert_cmpuint (stats.n_already_applied, ==, 3);
  g_assert_false (stats.gap);

  order = stripe_test_load_order (fixture, id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PAID);
  g_assert_cmpint (kassa_order_get_amount_paid (order), ==, 1990);
  cursor = get_cursor (fixture);
  g_assert_cmpstr (cursor, ==, last_event);

  /* The request named the types Kassa follows and asked for full pages. */
  request = kassa_fake_stripe_get_request (fixture->fake, kassa_fake_stripe_get_n_requests (fixture->fake) - 1);
  g_assert_cmpstr (request->path, ==, "/v1/events");
  g_assert_cmpstr (kassa_stripe_form_lookup (request->form, "limit"), ==, "100");
  for (guint i = 0; i < kassa_stripe_form_get_length (request->form); i++)
    if (g_str_equal (kassa_stripe_form_get_name (request->form, i), "types[]"))
      n_types++;
  g_assert_cmpuint (n_types, ==, g_strv_length ((char **) kassa_stripe_sync_get_event_types ()));
  g_assert_cmpuint (n_types, <=, 20);

  /* Nothing new: nothing applied, the cursor stays. */
  memset (&stats, 0, sizeof stats);
  g_assert_true (poll (fixture, &stats, &error));
  g_assert_cmpuint (stats.n_events, ==, 0);
  g_clear_pointer (&cursor, g_free);
  cursor = get_cursor (fixture);
  g_assert_cmpstr (cursor, ==, last_event);
  request = kassa_fake_stripe_get_request (fixture->fake, kassa_fake_stripe_get_n_requests (fixture->fake) - 1);
  g_assert_cmpstr (kassa_stripe_form_lookup (request->form, "ending_before"), ==, last_event);
}

static void
test_poll_pages (StripeFixture *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *first_cursor = NULL;
  KassaStripeSyncStats stats = { 0, };
  KassaFakeFault fault = { 0, };
  guint n_requests;

  add_filler_events (fixture, 130);
  g_assert_true (poll (fixture, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.n_events, ==, 130);
  g_assert_cmpuint (stats.n_ignored, ==, 130);
  first_cursor = get_cursor (fixture);

  /* 250 newer events take three pages towards the newest; the third
   * fails, so the cursor stays on the last event of the second page. */
  add_filler_events (fixture, 250);
  fault.kind = KASSA_FAKE_FAULT_STATUS;
  fault.method = "GET";
  fault.path_prefix = "/v1/events";
  fault.status = 500;
  fault.should_retry = -1;
  fault.skip = 2;
  kassa_fake_stripe_push_fault (fixture->fake, &fault);

  memset (&stats, 0, sizeof stats);
  n_requests = kassa_fake_stripe_get_n_requests (fixture->fake);
  g_assert_false (poll (fixture, &stats, &error));
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_API);
  g_clear_error (&error);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake) - n_requests, ==, 3);
  g_assert_cmpuint (stats.n_events, ==, 200);
  cursor = get_cursor (fixture);
  g_assert_cmpstr (cursor, !=, first_cursor);

  /* The next poll takes the rest from there. */
  memset (&stats, 0, sizeof stats);
  g_assert_true (poll (fixture, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.n_events, ==, 50);
  g_assert_cmpuint (stats.n_already_applied, ==, 0);
}

static void
test_poll_failure_keeps_cursor (StripeFixture *fixture,
                                gconstpointer  data)
{
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *session = NULL;
  g_autofree char *cursor = NULL;
  KassaStripeSyncStats stats = { 0, };
  KassaFakeFault fault = { 0, };
  gint64 id;

  add_filler_events (fixture, 1);
  g_assert_true (poll (fixture, &stats, &error));
  g_assert_no_error (error);
  cursor = get_cursor (fixture);
  g_assert_nonnull (cursor);

  session = fake_session (fixture, "P-2", 500, TRUE, &id);
  fault.kind = KASSA_FAKE_FAULT_STATUS;
  fault.status = 503;
  fault.should_retry = -1;
  fault.method = "GET";
  fault.path_prefix = "/v1/events";
  kassa_fake_stripe_push_fault (fixture->fake, &fault);

  g_assert_false (poll (fixture, &stats, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  {
    g_autofree char *unchanged = get_cursor (fixture);

    g_assert_cmpstr (unchanged, ==, cursor);
  }
  order = stripe_test_load_order (fixture, id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_CREATED);
  g_clear_object (&order);

  g_assert_true (poll (fixture, &stats, &error));
  g_assert_no_error (error);
  order = stripe_test_load_order (fixture, id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PAID);
}

static void
test_poll_gap (StripeFixture *fixture,
               gconstpointer  data)
{
  g_autoptr(KassaStripeStateRepository) state =
    kassa_stripe_state_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *paid_session = NULL;
  g_autofree char *open_session = NULL;
  g_autofree char *cursor = NULL;
  KassaStripeSyncStats stats = { 0, };
  gint64 paid_id;
  gint64 open_id;

  paid_session = fake_session (fixture, "G-1", 4200, TRUE, &paid_id);
  open_session = fake_session (fixture, "G-2", 800, FALSE, &open_id);
  /* The cursor names an event Stripe dropped long ago. */
  kassa_stripe_state_repository_set_events_cursor (state, "evt_gone_after_30_days", &error);
  g_assert_no_error (error);

  g_assert_true (poll (fixture, &stats, &error));
  g_assert_no_error (error);
  g_assert_true (stats.gap);
  g_assert_cmpuint (stats.n_reconciled, ==, 2);
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "GET", NULL), >=, 4);
  {
    g_autofree char *path = g_strdup_printf ("/v1/checkout/sessions/%s", paid_session);

    g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "GET", path), ==, 1);
  }

  order = stripe_test_load_order (fixture, paid_id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PAID);
  /* The events Stripe still had did not book the payment again. */
  g_assert_cmpint (kassa_order_get_amount_paid (order), ==, 4200);
  g_clear_object (&order);
  order = stripe_test_load_order (fixture, open_id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_CREATED);

  cursor = get_cursor (fixture);
  g_assert_cmpstr (cursor, !=, "evt_gone_after_30_days");
  g_assert_true (g_str_has_prefix (cursor, "evt_"));
}

/* Offline for more than 30 days: the poller does not even ask for the
 * events after its cursor. */
static void
test_poll_gap_by_age (StripeFixture *fixture,
                      gconstpointer  data)
{
  g_autoptr(KassaStripeStateRepository) state =
    kassa_stripe_state_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *session = NULL;
  KassaStripeSyncStats stats = { 0, };
  gint64 old = g_get_real_time () / G_USEC_PER_SEC - 31 * 86400;
  gboolean is_new = FALSE;
  gint64 id;

  kassa_stripe_state_repository_record_event (state, "evt_last_month", "invoice.finalized", old, &is_new, &error);
  g_assert_no_error (error);
  kassa_stripe_state_repository_set_events_cursor (state, "evt_last_month", &error);
  g_assert_no_error (error);
  session = fake_session (fixture, "G-3", 990, TRUE, &id);

  g_assert_true (poll (fixture, &stats, &error));
  g_assert_no_error (error);
  g_assert_true (stats.gap);
  g_assert_cmpuint (stats.n_reconciled, ==, 1);
  order = stripe_test_load_order (fixture, id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PAID);

  for (guint i = 0; i < kassa_fake_stripe_get_n_requests (fixture->fake); i++)
    g_assert_null (kassa_stripe_form_lookup (kassa_fake_stripe_get_request (fixture->fake, i)->form, "ending_before"));
}

/* -- Outbox ---------------------------------------------------------------- */

static gboolean
flush (StripeFixture  *fixture,
       guint          *sent,
       guint          *failed,
       GError        **error)
{
  StripeWait wait = { NULL };
  gboolean ok;

  kassa_stripe_sync_flush_outbox_async (fixture->shop, fixture->client, NULL, stripe_test_done_cb, &wait);
  ok = kassa_stripe_sync_flush_outbox_finish (fixture->shop, stripe_test_wait (&wait), sent, failed, error);
  g_object_unref (wait.result);

  return ok;
}

static void
test_outbox_refund (StripeFixture *fixture,
                    gconstpointer  data)
{
  g_autoptr(KassaRefundRepository) refunds = kassa_refund_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaStripeStateRepository) state =
    kassa_stripe_state_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaRefund) refund = kassa_refund_new ();
  g_autoptr(KassaRefund) stored = NULL;
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  g_autoptr(KassaStripeRequest) request = NULL;
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *session = NULL;
  g_autofree char *key = NULL;
  KassaStripeSyncStats stats = { 0, };
  KassaFakeFault fault = { 0, };
  const char *intent_id;
  guint sent = 0;
  guint failed = 0;
  gint64 id;

  session = fake_session (fixture, "R-1", 2000, TRUE, &id);
  g_assert_true (poll (fixture, &stats, &error));
  g_assert_no_error (error);
  order = stripe_test_load_order (fixture, id);
  intent_id = kassa_order_get_stripe_payment_intent_id (order);
  g_assert_nonnull (intent_id);

  refund->order_id = id;
  refund->amount = 700;
  refund->reason = KASSA_REFUND_REASON_REQUESTED_BY_CUSTOMER;
  refund->status = KASSA_REFUND_STATUS_PENDING;
  refund->id = kassa_refund_repository_create (refunds, refund, &error);
  g_assert_no_error (error);

  kassa_stripe_form_add (form, "payment_intent", intent_id);
  kassa_stripe_form_add_int (form, "amount", 700);
  kassa_stripe_form_add (form, "reason", "requested_by_customer");
  key = kassa_stripe_sync_queue_request (fixture->shop, "POST", "/v1/refunds", form, "refund", refund->id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);

  /* Stripe is unreachable: the entry waits for its backoff. */
  fault.kind = KASSA_FAKE_FAULT_DROP_BEFORE;
  fault.method = "POST";
  fault.path_prefix = "/v1/refunds";
  kassa_fake_stripe_push_fault (fixture->fake, &fault);
  g_assert_true (flush (fixture, &sent, &failed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sent, ==, 0);
  g_assert_cmpuint (failed, ==, 1);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "refund"), ==, 0);

  /* Not due again before its backoff … */
  g_assert_true (flush (fixture, &sent, &failed, &error));
  g_assert_cmpuint (sent + failed, ==, 0);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) later = g_date_time_add_hours (now, 2);
    g_autoptr(GDateTime) soon = g_date_time_add_seconds (now, 14);

    due = kassa_stripe_state_repository_next_due (state, soon, 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (due->len, ==, 0);
    g_clear_pointer (&due, g_ptr_array_unref);
    due = kassa_stripe_state_repository_next_due (state, later, 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (due->len, ==, 1);
    g_assert_cmpstr (((KassaStripeOutboxEntry *) g_ptr_array_index (due, 0))->idempotency_key, ==, key);
  }

  /* … so make it due now, the way time passing would. */
  {
    KassaStripeOutboxEntry *entry = g_ptr_array_index (due, 0);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) past = g_date_time_add_seconds (now, -1);

    kassa_stripe_state_repository_mark_failed (state, entry->id, past, "test", &error);
    g_assert_no_error (error);
  }

  g_assert_true (flush (fixture, &sent, &failed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sent, ==, 1);
  g_assert_cmpuint (failed, ==, 0);

  /* Sent once, with the key stored before the first try and the same body. */
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "refund"), ==, 1);
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "POST", "/v1/refunds"), ==, 2);
  {
    g_autofree char *expected_body = g_strdup_printf ("payment_intent=%s&amount=700&reason=requested_by_customer",
                                                      intent_id);

    for (guint i = 0; i < kassa_fake_stripe_get_n_requests (fixture->fake); i++)
      {
        const KassaFakeStripeRequest *sent_request = kassa_fake_stripe_get_request (fixture->fake, i);

        if (!g_str_equal (sent_request->path, "/v1/refunds"))
          continue;
        g_assert_cmpstr (soup_message_headers_get_one (sent_request->headers, "Idempotency-Key"), ==, key);
        g_assert_cmpstr (sent_request->body, ==, expected_body);
      }
  }

  request = kassa_stripe_state_repository_load_request (state, key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (request->outcome, ==, KASSA_STRIPE_OUTCOME_SUCCEEDED);
  g_assert_true (g_str_has_prefix (request->object_id, "re_"));

  stored = kassa_refund_repository_load (refunds, refund->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->status, ==, KASSA_REFUND_STATUS_SUCCEEDED);
  g_assert_cmpstr (stored->stripe_refund_id, ==, request->object_id);
  g_assert_cmpint (count_journal (fixture, "stripe-refund"), ==, 2);
  g_clear_object (&order);
  order = stripe_test_load_order (fixture, id);
  g_assert_cmpint (kassa_order_get_amount_refunded (order), ==, 700);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PARTIALLY_REFUNDED);

  /* Done: a later flush sends nothing. */
  g_assert_true (flush (fixture, &sent, &failed, &error));
  g_assert_cmpuint (sent, ==, 0);
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "POST", "/v1/refunds"), ==, 2);
}

static void
test_outbox_refused (StripeFixture *fixture,
                     gconstpointer  data)
{
  g_autoptr(KassaStripeStateRepository) state =
    kassa_stripe_state_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  g_autoptr(KassaStripeRequest) request = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  guint sent = 0;
  guint failed = 0;

  kassa_stripe_form_add (form, "payment_intent", "pi_does_not_exist");
  key = kassa_stripe_sync_queue_request (fixture->shop, "POST", "/v1/refunds", form, NULL, 0, &error);
  g_assert_no_error (error);

  g_test_expect_message ("kassa-stripe-sync", G_LOG_LEVEL_WARNING, "Outbox entry * refused by Stripe*");
  g_assert_true (flush (fixture, &sent, &failed, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (failed, ==, 1);

  request = kassa_stripe_state_repository_load_request (state, key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (request->outcome, ==, KASSA_STRIPE_OUTCOME_FAILED);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) later = g_date_time_add_days (now, 2);

    due = kassa_stripe_state_repository_next_due (state, later, 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (due->len, ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/stripe-sync/" path, StripeFixture, NULL, stripe_fixture_set_up, func, stripe_fixture_tear_down)

  ADD ("checkout-completed", test_checkout_completed);
  ADD ("paid-stays-paid", test_paid_stays_paid);
  ADD ("failure-then-success", test_failure_then_success);
  ADD ("manual-order", test_manual_order);
  ADD ("refunds", test_refunds);
  ADD ("disputes", test_disputes);
  ADD ("subscriptions", test_subscriptions);
  ADD ("poll/applies", test_poll_applies);
  ADD ("poll/pages", test_poll_pages);
  ADD ("poll/failure-keeps-cursor", test_poll_failure_keeps_cursor);
  ADD ("poll/gap", test_poll_gap);
  ADD ("poll/gap-by-age", test_poll_gap_by_age);
  ADD ("outbox/refund", test_outbox_refund);
  ADD ("outbox/refused", test_outbox_refused);

#undef ADD

  return g_test_run ();
}
