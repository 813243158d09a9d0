/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-stripe-sync"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "kassa-dispute-repository.h"
#include "kassa-error.h"
#include "kassa-invoice-repository.h"
#include "kassa-order-repository.h"
#include "kassa-payment-error.h"
#include "kassa-refund-repository.h"
#include "kassa-shop-private.h"
#include "kassa-store-error.h"
#include "kassa-stripe-state-repository.h"
#include "kassa-stripe-sync.h"
#include "kassa-subscription-repository.h"
#include "kassa-transitions.h"

/* Stripe accepts at most 20 `types[]`. customer.subscription.paused and
 * .resumed are left out of the poll: Stripe sends
 * customer.subscription.updated with the new status for both, and the
 * webhook path still applies them when they come. */
static const char * const poll_types[] = {
  "checkout.session.completed",
  "checkout.session.expired",
  "checkout.session.async_payment_succeeded",
  "checkout.session.async_payment_failed",
  "payment_intent.succeeded",
  "payment_intent.payment_failed",
  "payment_intent.canceled",
  "charge.refunded",
  "charge.dispute.created",
  "charge.dispute.updated",
  "charge.dispute.closed",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "invoice.paid",
  "invoice.payment_failed",
  "invoice.finalized",
  "terminal.reader.action_succeeded",
  "terminal.reader.action_failed",
  NULL
};

/* Events list pages are as large as Stripe allows. */
#define EVENTS_PAGE_LIMIT 100
/* How long Stripe keeps events, less an hour so a cursor about to
 * expire is not trusted. */
#define EVENTS_KEPT_SECONDS (30 * 24 * 3600 - 3600)
/* Open orders reconciled per page of the order list after a gap. */
#define RECONCILE_PAGE 100

typedef struct
{
  KassaShop                   *shop;
  KassaDatabase               *database;
  KassaOrderRepository        *orders;
  KassaRefundRepository       *refunds;
  KassaDisputeRepository      *disputes;
  KassaSubscriptionRepository *subscriptions;
  KassaStripeStateRepository  *state;
  /* What is applied: an event, or an object fetched to reconcile (no
   * event id then). */
  const char                  *event_id;
  const char                  *type;
  JsonObject                  *object;
  gint64                       created;
} Apply;

static void
apply_init (Apply     *apply,
            KassaShop *shop)
{
  apply->shop = shop;
  apply->database = kassa_shop_get_database (shop);
  apply->orders = kassa_order_repository_new (apply->database);
  apply->refunds = kassa_refund_repository_new (apply->database);
  apply->disputes = kassa_dispute_repository_new (apply->database);
  apply->subscriptions = kassa_subscription_repository_new (apply->database);
  apply->state = kassa_stripe_state_repository_new (apply->database);
}

static void
apply_clear (Apply *apply)
{
  g_clear_object (&apply->orders);
  g_clear_object (&apply->refunds);
  g_clear_object (&apply->disputes);
  g_clear_object (&apply->subscriptions);
  g_clear_object (&apply->state);
}

/* -- JSON helpers: Stripe objects are untrusted input ------------------- */

static const char *
json_string (JsonObject *object,
             const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
json_int (JsonObject *object,
          const char *member,
          gint64     *out_value)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return FALSE;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  *out_value = json_node_get_int (node);
  return TRUE;
}

static gboolean
json_bool (JsonObject *object,
           const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return FALSE;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;

  return json_node_get_boolean (node);
}

static JsonObject *
json_child (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

static JsonArray *
json_list_data (JsonObject *object,
                const char *member)
{
  JsonObject *list = json_child (object, member);
  JsonNode *node;

  if (list == NULL || !json_object_has_member (list, "data"))
    return NULL;
  node = json_object_get_member (list, "data");
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  return json_node_get_array (node);
}

/* A member that may be an id or, when expanded, the object itself. */
static const char *
json_id (JsonObject *object,
         const char *member)
{
  const char *id = json_string (object, member);

  if (id == NULL)
    id = json_string (json_child (object, member), "id");

  return id;
}

static GDateTime *
time_from_unix (gint64 seconds)
{
  return seconds > 0 ? g_date_time_new_from_unix_utc (seconds) : NULL;
}

static gboolean
is_not_found (const GError *error)
{
  return g_error_matches (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
}

/* Domain refusals (an illegal transition, a currency that does not match)
 * mean the event does not fit the local record: it is recorded and
 * skipped rather than blocking every later event. */
static gboolean
is_domain_refusal (const GError *error)
{
  return error->domain == KASSA_ERROR && error->code != KASSA_ERROR_NOT_FOUND;
}

/* -- Journal and audit --------------------------------------------------- */

static gboolean
write_records (Apply       *apply,
               const char  *kind,
               const char  *entity_kind,
               gint64       entity_id,
               JsonBuilder *builder,
               GError     **error)
{
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(KassaJournalEntry) entry = NULL;
  g_autofree char *entity = g_strdup_printf ("%" PRId64, entity_id);

  json_builder_set_member_name (builder, apply->event_id != NULL ? "stripe_event" : "reconciled");
  json_builder_add_string_value (builder, apply->event_id != NULL ? apply->event_id : apply->type);
  json_builder_end_object (builder);
  payload = json_builder_get_root (builder);

  entry = kassa_journal_append (kassa_shop_get_journal (apply->shop), kind, payload, error);
  if (entry == NULL)
    return FALSE;

  return kassa_audit_log_record (kassa_shop_get_audit_log (apply->shop),
                                 kassa_shop_get_actor_id (apply->shop),
                                 kind, entity_kind, entity, payload, error) > 0;
}

static JsonBuilder *
begin_record (KassaOrder *order)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "order_id");
  json_builder_add_int_value (builder, kassa_order_get_id (order));
  json_builder_set_member_name (builder, "order_number");
  json_builder_add_string_value (builder, kassa_order_get_number (order) ? kassa_order_get_number (order) : "");
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, kassa_order_get_currency_code (order));

  return builder;
}

/* -- Finding the order an object talks about ----------------------------- */

static KassaOrder *
load_order_by_text (Apply       *apply,
                    const char  *text,
                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  KassaOrder *order = NULL;
  guint64 id;

  if (text == NULL || *text == '\0')
    return NULL;

  if (g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &id, NULL))
    order = kassa_order_repository_load (apply->orders, (gint64) id, &local_error);
  else
    order = kassa_order_repository_load_by_number (apply->orders, text, &local_error);

  if (order == NULL && !is_not_found (local_error))
    g_propagate_error (error, g_steal_pointer (&local_error));

  return order;
}

static KassaOrder *
load_order_by_reference (Apply       *apply,
                         const char  *reference,
                         GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  KassaOrder *order;

  if (reference == NULL || *reference == '\0')
    return NULL;

  order = kassa_order_repository_load_by_stripe_reference (apply->orders, reference, &local_error);
  if (order == NULL && !is_not_found (local_error))
    g_propagate_error (error, g_steal_pointer (&local_error));

  return order;
}

/* Our references first (client_reference_id and metadata carry the order
 * id), then the Stripe ids the order keeps. Returns NULL without an error
 * when no order matches. */
static KassaOrder *
find_order (Apply       *apply,
            JsonObject  *object,
            GError     **error)
{
  JsonObject *metadata = json_child (object, "metadata");
  const char *by_text[] = {
    json_string (object, "client_reference_id"),
    json_string (metadata, "order_id"),
    json_string (metadata, "kassa_order_id"),
    json_string (metadata, "order_number"),
  };
  const char *by_reference[] = {
    json_string (object, "id"),
    json_id (object, "payment_intent"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (by_text); i++)
    {
      KassaOrder *order = load_order_by_text (apply, by_text[i], error);

      if (order != NULL || (error != NULL && *error != NULL))
        return order;
    }

  for (guint i = 0; i < G_N_ELEMENTS (by_reference); i++)
    {
      const char *reference = by_reference[i];
      KassaOrder *order;

      if (reference == NULL ||
          !(g_str_has_prefix (reference, "cs_") || g_str_has_prefix (reference, "pi_")))
        continue;

      order = load_order_by_reference (apply, reference, error);
      if (order != NULL || (error != NULL && *error != NULL))
        return order;
    }

  return NULL;
}

/* -- Payments ------------------------------------------------------------ */

static gboolean
order_has_payment (KassaOrder *order,
                   const char *reference,
                   const char *other_reference)
{
  GListModel *payments = kassa_order_get_payments (order);

  for (guint i = 0; i < g_list_model_get_n_items (payments); i++)
    {
      g_autoptr(KassaPayment) payment = g_list_model_get_item (payments, i);
      const char *stored = kassa_payment_get_reference (payment);

      if (stored == NULL)
        continue;
      if (g_strcmp0 (stored, reference) == 0 || g_strcmp0 (stored, other_reference) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Books money Stripe received for @order: a payment with the
 * PaymentIntent (or session) as its reference, once, and the order paid
 * when what came in covers its total. */
static KassaStripeSyncResult
record_payment (Apply       *apply,
                KassaOrder  *order,
                const char  *provider_id,
                gint64       amount,
                const char  *currency,
                const char  *payment_intent_id,
                const char  *session_id,
                GError     **error)
{
  g_autoptr(KassaPayment) payment = NULL;
  g_autoptr(GDateTime) paid_at = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *currency_code = NULL;
  KassaOrderStoredTotals totals = { 0, };
  const char *reference = payment_intent_id != NULL ? payment_intent_id : session_id;
  KassaPaymentStatus status = kassa_order_get_payment_status (order);
  gint64 order_id = kassa_order_get_id (order);
  gint64 paid;

  if (reference == NULL || amount <= 0 || currency == NULL)
    return KASSA_STRIPE_SYNC_IGNORED;

  /* The provider that took the payment may have booked it already, and
   * checkout.session.completed and payment_intent.succeeded report the
   * same money. */
  if (order_has_payment (order, reference, session_id))
    return KASSA_STRIPE_SYNC_IGNORED;

  if (status != KASSA_PAYMENT_STATUS_CREATED && status != KASSA_PAYMENT_STATUS_FAILED)
    {
      g_warning ("Stripe reports a payment of %" PRId64 " for order %" PRId64
                 " which no longer takes payments; left for a person to refund",
                 amount, order_id);
      return KASSA_STRIPE_SYNC_IGNORED;
    }

  currency_code = g_ascii_strup (currency, -1);
  if (g_strcmp0 (currency_code, kassa_order_get_currency_code (order)) != 0)
    {
      g_warning ("Stripe reports a payment in %s for order %" PRId64 " in %s; ignored",
                 currency_code, order_id, kassa_order_get_currency_code (order));
      return KASSA_STRIPE_SYNC_IGNORED;
    }

  paid_at = time_from_unix (apply->created);
  if (paid_at == NULL)
    paid_at = g_date_time_new_now_utc ();

  payment = kassa_payment_new ();
  kassa_payment_set_provider_id (payment, provider_id);
  kassa_payment_set_amount (payment, amount);
  kassa_payment_set_currency_code (payment, currency_code);
  kassa_payment_set_method_label (payment, _("Card (Stripe)"));
  kassa_payment_set_reference (payment, reference);
  kassa_payment_set_paid_at (payment, paid_at);

  if (kassa_order_repository_add_payment (apply->orders, order_id, payment, error) == 0)
    return KASSA_STRIPE_SYNC_FAILED;

  /* Stripe certified what a Stripe order costs; a manual order only
   * learns the PaymentIntent, so later refunds and disputes find it. */
  if (payment_intent_id != NULL && kassa_order_get_mode (order) == KASSA_ORDER_MODE_STRIPE &&
      !kassa_order_get_certified (order) &&
      !kassa_order_repository_certify (apply->orders, order_id, payment_intent_id, error))
    return KASSA_STRIPE_SYNC_FAILED;
  if (payment_intent_id != NULL && kassa_order_get_mode (order) == KASSA_ORDER_MODE_MANUAL &&
      kassa_order_get_stripe_payment_intent_id (order) == NULL)
    {
      g_autoptr(KassaOrder) stored = kassa_order_repository_load (apply->orders, order_id, error);

      if (stored == NULL)
        return KASSA_STRIPE_SYNC_FAILED;
      kassa_order_set_stripe_payment_intent_id (stored, payment_intent_id);
      if (!kassa_order_repository_update (apply->orders, stored, error))
        return KASSA_STRIPE_SYNC_FAILED;
    }

  if (!kassa_order_repository_load_totals (apply->orders, order_id, &totals, error))
    return KASSA_STRIPE_SYNC_FAILED;

  paid = kassa_order_get_amount_paid (order) + amount;
  if (paid >= totals.total &&
      !kassa_order_repository_set_payment_status (apply->orders, order_id, KASSA_PAYMENT_STATUS_PAID,
                                                  paid_at, error))
    return KASSA_STRIPE_SYNC_FAILED;

  builder = begin_record (order);
  json_builder_set_member_name (builder, "amount");
  json_builder_add_int_value (builder, amount);
  json_builder_set_member_name (builder, "provider");
  json_builder_add_string_value (builder, provider_id);
  json_builder_set_member_name (builder, "reference");
  json_builder_add_string_value (builder, reference);
  json_builder_set_member_name (builder, "paid_in_full");
  json_builder_add_boolean_value (builder, paid >= totals.total);
  if (!write_records (apply, "stripe-payment", "order", order_id, builder, error))
    return KASSA_STRIPE_SYNC_FAILED;

  return KASSA_STRIPE_SYNC_APPLIED;
}

/* Moves the payment status to @target only when that is a step forward;
 * anything else (a late failure after the money came in) is ignored. */
static KassaStripeSyncResult
move_payment_status (Apply               *apply,
                     KassaOrder          *order,
                     KassaPaymentStatus   target,
                     GError             **error)
{
  KassaPaymentStatus status = kassa_order_get_payment_status (order);

  if (!kassa_payment_status_can_transition (status, target))
    {
      g_debug ("Order %" PRId64 " stays %d: %s does not move it backwards",
               kassa_order_get_id (order), status, apply->type);
      return KASSA_STRIPE_SYNC_IGNORED;
    }

  if (!kassa_order_repository_set_payment_status (apply->orders, kassa_order_get_id (order), target,
                                                  kassa_order_get_paid_at (order), error))
    return KASSA_STRIPE_SYNC_FAILED;

  return KASSA_STRIPE_SYNC_APPLIED;
}

static KassaStripeSyncResult
apply_checkout_session (Apply       *apply,
                        const char  *type,
                        JsonObject  *session,
                        GError     **error)
{
  g_autoptr(KassaOrder) order = NULL;
  const char *payment_status = json_string (session, "payment_status");
  gint64 amount = 0;

  order = find_order (apply, session, error);
  if (order == NULL)
    return error != NULL && *error != NULL ? KASSA_STRIPE_SYNC_FAILED : KASSA_STRIPE_SYNC_IGNORED;

  if (g_str_equal (type, "checkout.session.expired"))
    return move_payment_status (apply, order, KASSA_PAYMENT_STATUS_EXPIRED, error);

  if (g_str_equal (type, "checkout.session.async_payment_failed"))
    return move_payment_status (apply, order, KASSA_PAYMENT_STATUS_FAILED, error);

  /* completed with a delayed method (SEPA, …) is still unpaid; the money
   * arrives with async_payment_succeeded. */
  if (g_strcmp0 (payment_status, "paid") != 0)
    return KASSA_STRIPE_SYNC_IGNORED;

  json_int (session, "amount_total", &amount);

  return record_payment (apply, order, "stripe_checkout", amount, json_string (session, "currency"),
                         json_id (session, "payment_intent"), json_string (session, "id"), error);
}

static KassaStripeSyncResult
apply_payment_intent (Apply       *apply,
                      const char  *type,
                      JsonObject  *intent,
                      GError     **error)
{
  g_autoptr(KassaOrder) order = NULL;
  gint64 amount = 0;

  order = find_order (apply, intent, error);
  if (order == NULL)
    return error != NULL && *error != NULL ? KASSA_STRIPE_SYNC_FAILED : KASSA_STRIPE_SYNC_IGNORED;

  if (g_str_equal (type, "payment_intent.payment_failed") || g_str_equal (type, "payment_intent.canceled"))
    return move_payment_status (apply, order, KASSA_PAYMENT_STATUS_FAILED, error);

  if (!json_int (intent, "amount_received", &amount) || amount <= 0)
    json_int (intent, "amount", &amount);

  return record_payment (apply, order,
                         order_has_payment (order, kassa_order_get_stripe_checkout_session_id (order), NULL)
                           ? "stripe_checkout" : "stripe",
                         amount, json_string (intent, "currency"), json_string (intent, "id"), NULL, error);
}

static KassaStripeSyncResult
apply_reader_action (Apply       *apply,
                     const char  *type,
                     JsonObject  *reader,
                     GError     **error)
{
  g_autoptr(KassaOrder) order = NULL;
  JsonObject *action = json_child (reader, "action");
  JsonObject *process = json_child (action, "process_payment_intent");
  const char *intent_id = json_id (process, "payment_intent");

  if (intent_id == NULL)
    return KASSA_STRIPE_SYNC_IGNORED;

  order = load_order_by_reference (apply, intent_id, error);
  if (order == NULL)
    return error != NULL && *error != NULL ? KASSA_STRIPE_SYNC_FAILED : KASSA_STRIPE_SYNC_IGNORED;

  /* The money itself is booked from payment_intent.succeeded, which
   * carries the amount; a failed tap leaves the order to try again. */
  if (g_str_equal (type, "terminal.reader.action_failed"))
    return move_payment_status (apply, order, KASSA_PAYMENT_STATUS_FAILED, error);

  return KASSA_STRIPE_SYNC_IGNORED;
}

/* -- Refunds ------------------------------------------------------------- */

static gint64
first_stripe_payment (KassaOrder *order,
                      const char *payment_intent_id)
{
  GListModel *payments = kassa_order_get_payments (order);
  gint64 fallback = 0;

  for (guint i = 0; i < g_list_model_get_n_items (payments); i++)
    {
      g_autoptr(KassaPayment) payment = g_list_model_get_item (payments, i);

      if (g_strcmp0 (kassa_payment_get_reference (payment), payment_intent_id) == 0)
        return kassa_payment_get_id (payment);
      if (fallback == 0 && g_str_has_prefix (kassa_payment_get_provider_id (payment), "stripe"))
        fallback = kassa_payment_get_id (payment);
    }

  return fallback;
}

/* charge.refunded carries the charge's refunded total (and, when Stripe
 * expands them, the refunds). Local refunds waiting for their answer are
 * confirmed first; whatever is left was refunded elsewhere (the
 * Dashboard) and is booked as a refund of its own. */
static KassaStripeSyncResult
apply_charge_refunded (Apply       *apply,
                       JsonObject  *charge,
                       GError     **error)
{
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(GPtrArray) refunds = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  JsonArray *stripe_refunds = json_list_data (charge, "refunds");
  const char *intent_id = json_id (charge, "payment_intent");
  gint64 refunded = 0;
  gint64 booked = 0;
  gint64 confirmed = 0;
  gboolean changed = FALSE;

  if (!json_int (charge, "amount_refunded", &refunded) || intent_id == NULL)
    return KASSA_STRIPE_SYNC_IGNORED;

  order = load_order_by_reference (apply, intent_id, error);
  if (order == NULL)
    {
      if (error != NULL && *error != NULL)
        return KASSA_STRIPE_SYNC_FAILED;
      order = find_order (apply, charge, error);
      if (order == NULL)
        return error != NULL && *error != NULL ? KASSA_STRIPE_SYNC_FAILED : KASSA_STRIPE_SYNC_IGNORED;
    }

  /* Refunds Stripe lists by id: confirm the local ones it names. */
  for (guint i = 0; stripe_refunds != NULL && i < json_array_get_length (stripe_refunds); i++)
    {
      JsonObject *stripe_refund = json_array_get_object_element (stripe_refunds, i);
      const char *refund_id = json_string (stripe_refund, "id");
      const char *local_id = json_string (json_child (stripe_refund, "metadata"), "refund_id");
      g_autoptr(KassaRefund) local = NULL;
      g_autoptr(GError) local_error = NULL;
      guint64 id;

      if (refund_id == NULL || g_strcmp0 (json_string (stripe_refund, "status"), "succeeded") != 0)
        continue;

      local = kassa_refund_repository_load_by_stripe_id (apply->refunds, refund_id, &local_error);
      if (local == NULL && local_id != NULL &&
          g_ascii_string_to_unsigned (local_id, 10, 1, G_MAXINT64, &id, NULL))
        {
          g_clear_error (&local_error);
          local = kassa_refund_repository_load (apply->refunds, (gint64) id, &local_error);
        }
      if (local == NULL)
        {
          if (!is_not_found (local_error))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return KASSA_STRIPE_SYNC_FAILED;
            }
          continue;
        }

      if (local->order_id == kassa_order_get_id (order) &&
          (local->status == KASSA_REFUND_STATUS_PENDING || local->status == KASSA_REFUND_STATUS_UNKNOWN))
        {
          if (!kassa_refund_repository_set_status (apply->refunds, local->id, KASSA_REFUND_STATUS_SUCCEEDED,
                                                   refund_id, error))
            return KASSA_STRIPE_SYNC_FAILED;
          confirmed += local->amount;
          changed = TRUE;
        }
    }

  refunds = kassa_refund_repository_list_by_order (apply->refunds, kassa_order_get_id (order), error);
  if (refunds == NULL)
    return KASSA_STRIPE_SYNC_FAILED;

  for (guint i = 0; i < refunds->len; i++)
    {
      KassaRefund *local = g_ptr_array_index (refunds, i);

      if (local->status == KASSA_REFUND_STATUS_SUCCEEDED)
        booked += local->amount;
    }

  /* Without the list, the oldest refunds still in flight are the ones
   * Stripe counted, as far as the refunded total reaches. */
  for (guint i = 0; i < refunds->len && booked < refunded; i++)
    {
      KassaRefund *local = g_ptr_array_index (refunds, i);

      if ((local->status == KASSA_REFUND_STATUS_PENDING || local->status == KASSA_REFUND_STATUS_UNKNOWN) &&
          booked + local->amount <= refunded)
        {
          if (!kassa_refund_repository_set_status (apply->refunds, local->id, KASSA_REFUND_STATUS_SUCCEEDED,
                                                   local->stripe_refund_id, error))
            return KASSA_STRIPE_SYNC_FAILED;
          booked += local->amount;
          confirmed += local->amount;
          changed = TRUE;
        }
    }

  if (booked < refunded)
    {
      g_autoptr(KassaRefund) refund = kassa_refund_new ();
      g_autoptr(GError) local_error = NULL;

      refund->order_id = kassa_order_get_id (order);
      refund->payment_id = first_stripe_payment (order, intent_id);
      refund->amount = refunded - booked;
      refund->reason = KASSA_REFUND_REASON_OTHER;
      refund->note = g_strdup (_("Refunded in Stripe"));
      refund->status = KASSA_REFUND_STATUS_SUCCEEDED;
      refund->requested_by = 0;

      if (kassa_refund_repository_create (apply->refunds, refund, &local_error) == 0)
        {
          if (local_error->domain == KASSA_STORE_ERROR && local_error->code != KASSA_STORE_ERROR_INVALID)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return KASSA_STRIPE_SYNC_FAILED;
            }
          g_warning ("Stripe refunded %" PRId64 " of order %" PRId64
                     " that cannot be booked: %s", refund->amount, refund->order_id, local_error->message);
        }
      else
        {
          confirmed += refund->amount;
          changed = TRUE;
        }
    }

  if (!changed)
    return KASSA_STRIPE_SYNC_IGNORED;

  builder = begin_record (order);
  json_builder_set_member_name (builder, "amount");
  json_builder_add_int_value (builder, confirmed);
  json_builder_set_member_name (builder, "refunded_total");
  json_builder_add_int_value (builder, refunded);
  json_builder_set_member_name (builder, "charge");
  json_builder_add_string_value (builder, json_string (charge, "id") ? json_string (charge, "id") : "");
  if (!write_records (apply, "stripe-refund", "order", kassa_order_get_id (order), builder, error))
    return KASSA_STRIPE_SYNC_FAILED;

  return KASSA_STRIPE_SYNC_APPLIED;
}

/* -- Disputes ------------------------------------------------------------ */

static gboolean
dispute_status_from_text (const char         *text,
                          KassaDisputeStatus *out_status)
{
  static const struct { const char *text; KassaDisputeStatus status; } map[] = {
    { "warning_needs_response", KASSA_DISPUTE_STATUS_WARNING_NEEDS_RESPONSE },
    { "warning_under_review", KASSA_DISPUTE_STATUS_WARNING_UNDER_REVIEW },
    { "warning_closed", KASSA_DISPUTE_STATUS_WARNING_CLOSED },
    { "needs_response", KASSA_DISPUTE_STATUS_NEEDS_RESPONSE },
    { "under_review", KASSA_DISPUTE_STATUS_UNDER_REVIEW },
    { "won", KASSA_DISPUTE_STATUS_WON },
    { "lost", KASSA_DISPUTE_STATUS_LOST },
  };

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (map[i].text, text))
      {
        *out_status = map[i].status;
        return TRUE;
      }

  return FALSE;
}

static KassaStripeSyncResult
apply_dispute (Apply       *apply,
               const char  *type,
               JsonObject  *object,
               GError     **error)
{
  g_autoptr(KassaDispute) dispute = kassa_dispute_new ();
  g_autoptr(KassaDispute) stored = NULL;
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  const char *intent_id = json_id (object, "payment_intent");
  const char *currency = json_string (object, "currency");
  gint64 due = 0;
  gboolean changed = FALSE;

  dispute->stripe_dispute_id = g_strdup (json_string (object, "id"));
  if (dispute->stripe_dispute_id == NULL || currency == NULL ||
      !dispute_status_from_text (json_string (object, "status"), &dispute->status))
    return KASSA_STRIPE_SYNC_IGNORED;

  stored = kassa_dispute_repository_load_by_stripe_id (apply->disputes, dispute->stripe_dispute_id, &local_error);
  if (stored == NULL && !is_not_found (local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return KASSA_STRIPE_SYNC_FAILED;
    }
  g_clear_error (&local_error);

  /* Events can come out of order: an update that lands after the dispute
   * closed must not reopen it. */
  if (stored != NULL && stored->status != dispute->status &&
      !kassa_dispute_status_can_transition (stored->status, dispute->status))
    return KASSA_STRIPE_SYNC_IGNORED;

  order = load_order_by_reference (apply, intent_id, error);
  if (order == NULL && error != NULL && *error != NULL)
    return KASSA_STRIPE_SYNC_FAILED;

  dispute->stripe_charge_id = g_strdup (json_id (object, "charge"));
  dispute->reason = g_strdup (json_string (object, "reason"));
  json_int (object, "amount", &dispute->amount);
  dispute->currency_code = g_ascii_strup (currency, -1);
  if (json_int (json_child (object, "evidence_details"), "due_by", &due))
    dispute->evidence_due_by = time_from_unix (due);
  if (order != NULL)
    {
      dispute->order_id = kassa_order_get_id (order);
      dispute->payment_id = first_stripe_payment (order, intent_id);

      /* An order that is not (or no longer) disputable keeps its own
       * status; the dispute is still kept as Stripe reports it. */
      if (kassa_order_get_dispute_status (order) != dispute->status &&
          !kassa_dispute_status_can_transition (kassa_order_get_dispute_status (order), dispute->status))
        {
          g_warning ("Dispute %s cannot move order %" PRId64 " to its status; kept apart",
                     dispute->stripe_dispute_id, dispute->order_id);
          dispute->order_id = 0;
          dispute->payment_id = 0;
        }
    }

  if (kassa_dispute_repository_record (apply->disputes, dispute, &changed, &local_error) == 0)
    {
      if (is_domain_refusal (local_error))
        {
          g_warning ("Dispute %s not applied: %s", dispute->stripe_dispute_id, local_error->message);
          return KASSA_STRIPE_SYNC_IGNORED;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return KASSA_STRIPE_SYNC_FAILED;
    }

  if (!changed)
    return KASSA_STRIPE_SYNC_IGNORED;

  /* A dispute takes money (created), or gives it back or keeps it
   * (closed): those go to the journal; every change goes to the audit. */
  if (order != NULL)
    builder = begin_record (order);
  else
    {
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "currency");
      json_builder_add_string_value (builder, dispute->currency_code);
    }
  json_builder_set_member_name (builder, "dispute");
  json_builder_add_string_value (builder, dispute->stripe_dispute_id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, json_string (object, "status"));
  json_builder_set_member_name (builder, "amount");
  json_builder_add_int_value (builder, dispute->amount);

  if (g_str_equal (type, "charge.dispute.updated"))
    {
      g_autoptr(JsonNode) payload = NULL;
      g_autofree char *entity = g_strdup_printf ("%" PRId64, dispute->id);

      json_builder_end_object (builder);
      payload = json_builder_get_root (builder);
      if (kassa_audit_log_record (kassa_shop_get_audit_log (apply->shop), kassa_shop_get_actor_id (apply->shop),
                                  "stripe-dispute", "dispute", entity, payload, error) <= 0)
        return KASSA_STRIPE_SYNC_FAILED;
    }
  else if (!write_records (apply, "stripe-dispute", "dispute", dispute->id, builder, error))
    return KASSA_STRIPE_SYNC_FAILED;

  return KASSA_STRIPE_SYNC_APPLIED;
}

/* -- Subscriptions and invoices ------------------------------------------ */

static gboolean
subscription_status_from_text (const char              *text,
                               KassaSubscriptionStatus *out_status)
{
  static const struct { const char *text; KassaSubscriptionStatus status; } map[] = {
    { "incomplete", KASSA_SUBSCRIPTION_STATUS_INCOMPLETE },
    { "incomplete_expired", KASSA_SUBSCRIPTION_STATUS_INCOMPLETE_EXPIRED },
    { "trialing", KASSA_SUBSCRIPTION_STATUS_TRIALING },
    { "active", KASSA_SUBSCRIPTION_STATUS_ACTIVE },
    { "past_due", KASSA_SUBSCRIPTION_STATUS_PAST_DUE },
    { "paused", KASSA_SUBSCRIPTION_STATUS_PAUSED },
    { "canceled", KASSA_SUBSCRIPTION_STATUS_CANCELED },
    { "unpaid", KASSA_SUBSCRIPTION_STATUS_UNPAID },
  };

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (map[i].text, text))
      {
        *out_status = map[i].status;
        return TRUE;
      }

  return FALSE;
}

/* The next billing date moved onto the items in 2025: the earliest end
 * of the items' current periods. */
static GDateTime *
subscription_period_end (JsonObject *subscription)
{
  JsonArray *items = json_list_data (subscription, "items");
  gint64 end = 0;

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      gint64 item_end;

      if (json_int (json_array_get_object_element (items, i), "current_period_end", &item_end) &&
          (end == 0 || item_end < end))
        end = item_end;
    }

  if (end == 0)
    json_int (subscription, "current_period_end", &end);

  return time_from_unix (end);
}

static KassaStripeSyncResult
apply_subscription (Apply       *apply,
                    const char  *type,
                    JsonObject  *object,
                    GError     **error)
{
  g_autoptr(KassaSubscription) subscription = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDateTime) period_end = NULL;
  g_autoptr(KassaOrder) order = NULL;
  const char *id = json_string (object, "id");
  KassaSubscriptionStatus status;
  gboolean changed = FALSE;

  if (id == NULL || !subscription_status_from_text (json_string (object, "status"), &status))
    return KASSA_STRIPE_SYNC_IGNORED;
  if (g_str_equal (type, "customer.subscription.deleted"))
    status = KASSA_SUBSCRIPTION_STATUS_CANCELED;

  subscription = kassa_subscription_repository_load_by_stripe_id (apply->subscriptions, id, &local_error);
  if (subscription == NULL && !is_not_found (local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return KASSA_STRIPE_SYNC_FAILED;
    }
  g_clear_error (&local_error);

  if (subscription == NULL)
    {
      /* Started elsewhere (a QR checkout in subscription mode): mirror
       * it, for the order's customer when the metadata names an order,
       * else for the walk-in customer until someone assigns it. */
      order = find_order (apply, object, error);
      if (order == NULL && error != NULL && *error != NULL)
        return KASSA_STRIPE_SYNC_FAILED;

      subscription = g_object_new (KASSA_TYPE_SUBSCRIPTION, "status", status, NULL);
      kassa_subscription_set_stripe_subscription_id (subscription, id);
      kassa_subscription_set_customer_id (subscription, order != NULL ? kassa_order_get_customer_id (order) : 1);
      if (order != NULL)
        kassa_subscription_set_order_id (subscription, kassa_order_get_id (order));
      changed = TRUE;
    }
  else if (kassa_subscription_get_status (subscription) != status)
    {
      if (!kassa_subscription_status_can_transition (kassa_subscription_get_status (subscription), status))
        return KASSA_STRIPE_SYNC_IGNORED;
      if (!kassa_subscription_set_status (subscription, status, error))
        return KASSA_STRIPE_SYNC_FAILED;
      changed = TRUE;
    }

  if (json_string (object, "customer") != NULL &&
      g_strcmp0 (kassa_subscription_get_stripe_customer_id (subscription), json_string (object, "customer")) != 0)
    {
      kassa_subscription_set_stripe_customer_id (subscription, json_string (object, "customer"));
      changed = TRUE;
    }

  if (kassa_subscription_get_cancel_at_period_end (subscription) != json_bool (object, "cancel_at_period_end"))
    {
      kassa_subscription_set_cancel_at_period_end (subscription, json_bool (object, "cancel_at_period_end"));
      changed = TRUE;
    }

  period_end = subscription_period_end (object);
  if (period_end != NULL &&
      (kassa_subscription_get_current_period_end (subscription) == NULL ||
       g_date_time_compare (period_end, kassa_subscription_get_current_period_end (subscription)) > 0))
    {
      kassa_subscription_set_current_period_end (subscription, period_end);
      changed = TRUE;
    }

  if (!changed)
    return KASSA_STRIPE_SYNC_IGNORED;

  if (!kassa_subscription_repository_save (apply->subscriptions, subscription, &local_error))
    {
      if (is_domain_refusal (local_error))
        {
          g_warning ("Subscription %s not applied: %s", id, local_error->message);
          return KASSA_STRIPE_SYNC_IGNORED;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return KASSA_STRIPE_SYNC_FAILED;
    }

  return KASSA_STRIPE_SYNC_APPLIED;
}

/* An invoice Kassa issued and pushed to Stripe for its pay page: the
 * push names the local invoice in the metadata, and the local record
 * must link to this very Stripe invoice. Returns NULL without an error
 * when the Stripe invoice is not one of ours. */
static KassaInvoice *
find_pushed_invoice (Apply               *apply,
                     JsonObject          *invoice,
                     KassaInvoiceRepository *invoices,
                     GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(KassaInvoice) local = NULL;
  g_autofree char *linked = NULL;
  const char *local_id = json_string (json_child (invoice, "metadata"), "invoice_id");
  guint64 id;

  if (local_id == NULL || !g_ascii_string_to_unsigned (local_id, 10, 1, G_MAXINT64, &id, NULL))
    return NULL;

  local = kassa_invoice_repository_load (invoices, (gint64) id, &local_error);
  if (local == NULL)
    {
      if (!is_not_found (local_error))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!kassa_invoice_repository_get_stripe_link (invoices, (gint64) id, &linked, NULL, error))
    return NULL;
  if (g_strcmp0 (linked, json_string (invoice, "id")) != 0)
    {
      g_warning ("Stripe invoice %s names invoice %" PRIu64 " which links elsewhere; ignored",
                 json_string (invoice, "id"), id);
      return NULL;
    }

  return g_steal_pointer (&local);
}

/* invoice.paid for a pushed invoice books the payment on the local
 * invoice; invoice.finalized fills in its pay page if the push did not
 * live to store it. */
static KassaStripeSyncResult
apply_pushed_invoice (Apply       *apply,
                      const char  *type,
                      JsonObject  *invoice,
                      GError     **error)
{
  g_autoptr(KassaInvoiceRepository) invoices = kassa_invoice_repository_new (apply->database);
  g_autoptr(KassaInvoice) local = NULL;
  g_autoptr(GDateTime) paid_at = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(KassaJournalEntry) entry = NULL;
  g_autofree char *entity = NULL;
  gint64 amount = 0;
  gint64 paid_time = 0;

  local = find_pushed_invoice (apply, invoice, invoices, error);
  if (local == NULL)
    return error != NULL && *error != NULL ? KASSA_STRIPE_SYNC_FAILED : KASSA_STRIPE_SYNC_IGNORED;

  if (g_str_equal (type, "invoice.finalized"))
    {
      g_autofree char *url = NULL;
      const char *hosted = json_string (invoice, "hosted_invoice_url");

      if (!kassa_invoice_repository_get_stripe_link (invoices, kassa_invoice_get_id (local), NULL, &url, error))
        return KASSA_STRIPE_SYNC_FAILED;
      if (url != NULL || hosted == NULL)
        return KASSA_STRIPE_SYNC_IGNORED;
      if (!kassa_invoice_repository_set_stripe_link (invoices, kassa_invoice_get_id (local),
                                                     json_string (invoice, "id"), hosted, error))
        return KASSA_STRIPE_SYNC_FAILED;
      return KASSA_STRIPE_SYNC_APPLIED;
    }

  if (!g_str_equal (type, "invoice.paid") || kassa_invoice_get_status (local) != KASSA_INVOICE_STATUS_ISSUED)
    return KASSA_STRIPE_SYNC_IGNORED;

  if (!json_int (invoice, "amount_paid", &amount) || amount <= 0)
    return KASSA_STRIPE_SYNC_IGNORED;
  if (json_int (json_child (invoice, "status_transitions"), "paid_at", &paid_time) && paid_time > 0)
    paid_at = time_from_unix (paid_time);
  else
    paid_at = time_from_unix (apply->created > 0 ? apply->created : g_get_real_time () / G_USEC_PER_SEC);

  if (!kassa_invoice_repository_record_payment (invoices, local, amount, _("Stripe invoice"), paid_at, error))
    return KASSA_STRIPE_SYNC_FAILED;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "invoice_id");
  json_builder_add_int_value (builder, kassa_invoice_get_id (local));
  json_builder_set_member_name (builder, "reference");
  json_builder_add_string_value (builder, kassa_invoice_get_reference (local));
  json_builder_set_member_name (builder, "amount");
  json_builder_add_int_value (builder, amount);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, kassa_invoice_get_currency_code (local));
  json_builder_set_member_name (builder, "stripe_invoice");
  json_builder_add_string_value (builder, json_string (invoice, "id"));
  if (!write_records (apply, "stripe-invoice-payment", "invoice", kassa_invoice_get_id (local), builder, error))
    return KASSA_STRIPE_SYNC_FAILED;

  return KASSA_STRIPE_SYNC_APPLIED;
}

static KassaStripeSyncResult
apply_invoice (Apply       *apply,
               const char  *type,
               JsonObject  *invoice,
               GError     **error)
{
  g_autoptr(KassaSubscription) subscription = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *parent = json_child (json_child (invoice, "parent"), "subscription_details");
  const char *subscription_id = json_id (parent, "subscription");
  const char *billing_reason = json_string (invoice, "billing_reason");
  JsonArray *lines = json_list_data (invoice, "lines");
  gint64 end = 0;

  if (subscription_id == NULL)
    subscription_id = json_id (invoice, "subscription");

  if (subscription_id == NULL)
    return apply_pushed_invoice (apply, type, invoice, error);

  /* Only renewals change local records here; the subscription events
   * carry status changes, and pushed invoices keep Stripe's copy. */
  if (!g_str_equal (type, "invoice.paid") || subscription_id == NULL ||
      g_strcmp0 (billing_reason, "subscription_cycle") != 0)
    return KASSA_STRIPE_SYNC_IGNORED;

  subscription = kassa_subscription_repository_load_by_stripe_id (apply->subscriptions, subscription_id,
                                                                  &local_error);
  if (subscription == NULL)
    {
      if (is_not_found (local_error))
        return KASSA_STRIPE_SYNC_IGNORED;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return KASSA_STRIPE_SYNC_FAILED;
    }

  for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
    {
      gint64 line_end;

      if (json_int (json_child (json_array_get_object_element (lines, i), "period"), "end", &line_end) &&
          line_end > end)
        end = line_end;
    }

  if (end > 0)
    {
      g_autoptr(GDateTime) next = time_from_unix (end);
      GDateTime *current = kassa_subscription_get_current_period_end (subscription);

      /* The same renewal reported twice (or late) does not bill twice. */
      if (current != NULL && g_date_time_compare (next, current) <= 0)
        return KASSA_STRIPE_SYNC_IGNORED;

      if (!kassa_subscription_repository_record_renewal (apply->subscriptions, subscription, next, &local_error))
        {
          if (is_domain_refusal (local_error))
            {
              g_warning ("Renewal of %s not recorded: %s", subscription_id, local_error->message);
              return KASSA_STRIPE_SYNC_IGNORED;
            }
          g_propagate_error (error, g_steal_pointer (&local_error));
          return KASSA_STRIPE_SYNC_FAILED;
        }
      return KASSA_STRIPE_SYNC_APPLIED;
    }

  return KASSA_STRIPE_SYNC_IGNORED;
}

static KassaStripeSyncResult
dispatch (Apply   *apply,
          GError **error)
{
  const char *type = apply->type;
  JsonObject *object = apply->object;

  if (object == NULL)
    return KASSA_STRIPE_SYNC_IGNORED;

  if (g_str_has_prefix (type, "checkout.session."))
    return apply_checkout_session (apply, type, object, error);
  if (g_str_equal (type, "payment_intent.succeeded") ||
      g_str_equal (type, "payment_intent.payment_failed") ||
      g_str_equal (type, "payment_intent.canceled"))
    return apply_payment_intent (apply, type, object, error);
  if (g_str_equal (type, "charge.refunded"))
    return apply_charge_refunded (apply, object, error);
  if (g_str_equal (type, "charge.dispute.created") ||
      g_str_equal (type, "charge.dispute.updated") ||
      g_str_equal (type, "charge.dispute.closed"))
    return apply_dispute (apply, type, object, error);
  if (g_str_has_prefix (type, "customer.subscription."))
    return apply_subscription (apply, type, object, error);
  if (g_str_equal (type, "invoice.paid") ||
      g_str_equal (type, "invoice.payment_failed") ||
      g_str_equal (type, "invoice.finalized"))
    return apply_invoice (apply, type, object, error);
  if (g_str_equal (type, "terminal.reader.action_succeeded") ||
      g_str_equal (type, "terminal.reader.action_failed"))
    return apply_reader_action (apply, type, object, error);

  return KASSA_STRIPE_SYNC_IGNORED;
}

const char * const *
kassa_stripe_sync_get_event_types (void)
{
  return poll_types;
}

/**
 * kassa_stripe_sync_apply_event:
 * @shop: a #KassaShop
 * @event: an event from the poller or a verified webhook
 * @error: a location for a #GError
 *
 * Records the event id and applies the event to the local records in
 * one transaction. A second delivery of the same id changes nothing.
 *
 * Returns: what happened; %KASSA_STRIPE_SYNC_FAILED with @error set when
 *   nothing could be stored (the event will come again)
 */
KassaStripeSyncResult
kassa_stripe_sync_apply_event (KassaShop         *shop,
                               KassaStripeEvent  *event,
                               GError           **error)
{
  Apply apply = { 0, };
  KassaStripeSyncResult result;
  gboolean is_new = FALSE;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), KASSA_STRIPE_SYNC_FAILED);
  g_return_val_if_fail (KASSA_IS_STRIPE_EVENT (event), KASSA_STRIPE_SYNC_FAILED);
  g_return_val_if_fail (error == NULL || *error == NULL, KASSA_STRIPE_SYNC_FAILED);

  apply_init (&apply, shop);
  apply.event_id = kassa_stripe_event_get_id (event);
  apply.type = kassa_stripe_event_get_event_type (event);
  apply.object = kassa_stripe_event_get_object (event);
  apply.created = kassa_stripe_event_get_created (event);

  if (!kassa_database_begin (apply.database, error))
    {
      apply_clear (&apply);
      return KASSA_STRIPE_SYNC_FAILED;
    }

  if (!kassa_stripe_state_repository_record_event (apply.state, kassa_stripe_event_get_id (event),
                                                   kassa_stripe_event_get_event_type (event),
                                                   kassa_stripe_event_get_created (event),
                                                   &is_new, error))
    result = KASSA_STRIPE_SYNC_FAILED;
  else if (!is_new)
    result = KASSA_STRIPE_SYNC_ALREADY_APPLIED;
  else if (!kassa_database_begin (apply.database, error))
    result = KASSA_STRIPE_SYNC_FAILED;
  else
    {
      g_autoptr(GError) local_error = NULL;

      /* A savepoint around the change: when the domain refuses it, the
       * event stays recorded and the half-made change goes. */
      result = dispatch (&apply, &local_error);
      if (result != KASSA_STRIPE_SYNC_FAILED)
        {
          if (!kassa_database_commit (apply.database, error))
            result = KASSA_STRIPE_SYNC_FAILED;
        }
      else
        {
          g_assert (local_error != NULL);
          kassa_database_rollback (apply.database, NULL);
          if (is_domain_refusal (local_error))
            {
              g_warning ("Stripe event %s (%s) does not fit the local records: %s",
                         kassa_stripe_event_get_id (event), kassa_stripe_event_get_event_type (event),
                         local_error->message);
              result = KASSA_STRIPE_SYNC_IGNORED;
            }
          else
            g_propagate_error (error, g_steal_pointer (&local_error));
        }
    }

  if (result == KASSA_STRIPE_SYNC_FAILED)
    kassa_database_rollback (apply.database, NULL);
  else if (!kassa_database_commit (apply.database, error))
    result = KASSA_STRIPE_SYNC_FAILED;

  g_debug ("Stripe event %s (%s): %d", kassa_stripe_event_get_id (event),
           kassa_stripe_event_get_event_type (event), result);

  apply_clear (&apply);
  return result;
}

/* Applies a Stripe object fetched outside the event stream (after a gap,
 * or the answer to an outbox request) as if @type had reported it; no
 * event id is recorded. */
static KassaStripeSyncResult
apply_object (KassaShop   *shop,
              const char  *type,
              JsonObject  *object,
              GError     **error)
{
  Apply apply = { 0, };
  g_autoptr(GError) local_error = NULL;
  KassaStripeSyncResult result;
  gint64 created = 0;

  apply_init (&apply, shop);
  apply.type = type;
  apply.object = object;
  if (!json_int (object, "created", &created))
    created = g_get_real_time () / G_USEC_PER_SEC;
  apply.created = created;

  if (!kassa_database_begin (apply.database, error))
    {
      apply_clear (&apply);
      return KASSA_STRIPE_SYNC_FAILED;
    }

  result = dispatch (&apply, &local_error);
  if (result == KASSA_STRIPE_SYNC_FAILED)
    {
      kassa_database_rollback (apply.database, NULL);
      if (is_domain_refusal (local_error))
        {
          g_warning ("Stripe %s does not fit the local records: %s", type, local_error->message);
          result = KASSA_STRIPE_SYNC_IGNORED;
        }
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
    }
  else if (!kassa_database_commit (apply.database, error))
    result = KASSA_STRIPE_SYNC_FAILED;

  apply_clear (&apply);
  return result;
}

KassaStripeSyncResult
kassa_stripe_sync_apply_object (KassaShop   *shop,
                                const char  *type,
                                JsonObject  *object,
                                GError     **error)
{
  g_return_val_if_fail (KASSA_IS_SHOP (shop), KASSA_STRIPE_SYNC_FAILED);
  g_return_val_if_fail (type != NULL, KASSA_STRIPE_SYNC_FAILED);
  g_return_val_if_fail (object != NULL, KASSA_STRIPE_SYNC_FAILED);

  return apply_object (shop, type, object, error);
}

/* -- Events poller ------------------------------------------------------- */

typedef struct
{
  KassaShop                  *shop;
  KassaStripeClient          *client;
  KassaStripeStateRepository *state;
  KassaOrderRepository       *orders;
  KassaStripeSyncStats        stats;
  GPtrArray                  *collected;  /* KassaStripeEvent, as listed (newest first) */
  GPtrArray                  *open_orders; /* KassaOrder to reconcile */
  guint                       next_order;
} Poll;

static void
poll_free (Poll *poll)
{
  g_clear_object (&poll->shop);
  g_clear_object (&poll->client);
  g_clear_object (&poll->state);
  g_clear_object (&poll->orders);
  g_clear_pointer (&poll->collected, g_ptr_array_unref);
  g_clear_pointer (&poll->open_orders, g_ptr_array_unref);
  g_free (poll);
}

static KassaStripeForm *
events_query (const char *ending_before,
              const char *starting_after)
{
  KassaStripeForm *query = kassa_stripe_form_new ();

  for (guint i = 0; poll_types[i] != NULL; i++)
    kassa_stripe_form_add (query, "types[]", poll_types[i]);
  kassa_stripe_form_add_int (query, "limit", EVENTS_PAGE_LIMIT);
  if (ending_before != NULL)
    kassa_stripe_form_add (query, "ending_before", ending_before);
  if (starting_after != NULL)
    kassa_stripe_form_add (query, "starting_after", starting_after);

  return query;
}

static gint
compare_created (gconstpointer a,
                 gconstpointer b)
{
  gint64 created_a = kassa_stripe_event_get_created (*(KassaStripeEvent **) a);
  gint64 created_b = kassa_stripe_event_get_created (*(KassaStripeEvent **) b);

  return created_a < created_b ? -1 : created_a > created_b;
}

/* Applies listed events oldest first and moves the cursor to the newest
 * one applied, only once they are stored; a failure keeps the cursor at
 * the last event that went in, so the rest comes again next time. */
static gboolean
apply_listed (Poll       *poll,
              GPtrArray  *listed,
              GError    **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const char *last_applied = NULL;
  KassaDatabase *database;
  gboolean ok = TRUE;

  /* Lists come newest first; reversed, a stable sort by creation time
   * keeps Stripe's order among events of the same second. */
  for (guint i = listed->len; i > 0; i--)
    {
      KassaStripeEvent *event = g_ptr_array_index (listed, i - 1);

      if (!g_hash_table_add (seen, (gpointer) kassa_stripe_event_get_id (event)))
        {
          poll->stats.n_already_applied++;
          continue;
        }
      g_ptr_array_add (events, event);
    }
  g_ptr_array_sort (events, compare_created);

  /* One transaction per page: each event still has its own savepoint,
   * the disk is synced once, and the cursor moves in the same commit as
   * the events it covers. */
  database = kassa_shop_get_database (poll->shop);
  if (!kassa_database_begin (database, error))
    return FALSE;

  for (guint i = 0; i < events->len; i++)
    {
      KassaStripeEvent *event = g_ptr_array_index (events, i);

      poll->stats.n_events++;
      switch (kassa_stripe_sync_apply_event (poll->shop, event, error))
        {
        case KASSA_STRIPE_SYNC_FAILED:
          ok = FALSE;
          break;
        case KASSA_STRIPE_SYNC_APPLIED:
          poll->stats.n_applied++;
          break;
        case KASSA_STRIPE_SYNC_ALREADY_APPLIED:
          poll->stats.n_already_applied++;
          break;
        case KASSA_STRIPE_SYNC_IGNORED:
          poll->stats.n_ignored++;
          break;
        default:
          g_assert_not_reached ();
        }

      if (!ok)
        break;
      last_applied = kassa_stripe_event_get_id (event);
    }

  if (last_applied != NULL)
    {
      g_autoptr(GError) cursor_error = NULL;

      if (!kassa_stripe_state_repository_set_events_cursor (poll->state, last_applied,
                                                            ok ? error : &cursor_error))
        {
          kassa_database_rollback (database, NULL);
          return FALSE;
        }
    }

  if (!kassa_database_commit (database, ok ? error : NULL))
    return FALSE;

  return ok;
}

static GPtrArray *
parse_page (JsonObject  *list,
            gboolean    *has_more,
            GError     **error)
{
  return kassa_stripe_event_parse_list (list, has_more, error);
}

static void fetch_newer (GTask *task, const char *ending_before);
static void fetch_all (GTask *task, const char *starting_after);
static void reconcile_next (GTask *task);
static void start_gap (GTask *task);

/* Stripe no longer has the events after our cursor: check every open
 * order against its Checkout Session or PaymentIntent, then apply what
 * Stripe still keeps. */
static void
start_gap (GTask *task)
{
  Poll *poll = g_task_get_task_data (task);
  const KassaPaymentStatus open[] = { KASSA_PAYMENT_STATUS_CREATED, KASSA_PAYMENT_STATUS_FAILED };
  g_autoptr(GError) error = NULL;

  poll->stats.gap = TRUE;
  poll->open_orders = g_ptr_array_new_with_free_func (g_object_unref);
  poll->next_order = 0;

  for (guint s = 0; s < G_N_ELEMENTS (open); s++)
    {
      KassaOrderFilter filter = { 0, };
      g_autoptr(KassaOrder) after = NULL;

      filter.by_payment_status = TRUE;
      filter.payment_status = open[s];
      for (;;)
        {
          g_autoptr(GListModel) orders = kassa_order_repository_list (poll->orders, &filter, after,
                                                                      RECONCILE_PAGE, &error);
          guint n;

          if (orders == NULL)
            {
              g_task_return_error (task, g_steal_pointer (&error));
              g_object_unref (task);
              return;
            }
          n = g_list_model_get_n_items (orders);
          for (guint i = 0; i < n; i++)
            {
              g_autoptr(KassaOrder) order = g_list_model_get_item (orders, i);

              if (kassa_order_get_stripe_checkout_session_id (order) != NULL ||
                  kassa_order_get_stripe_payment_intent_id (order) != NULL)
                g_ptr_array_add (poll->open_orders, g_object_ref (order));
            }
          if (n < RECONCILE_PAGE)
            break;
          g_clear_object (&after);
          after = g_list_model_get_item (orders, n - 1);
        }
    }

  reconcile_next (task);
}

static void
fetch_newer_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Poll *poll = g_task_get_task_data (task);
  g_autoptr(JsonObject) list = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_more = FALSE;

  list = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (source), result, NULL, &error);
  if (list == NULL)
    {
      /* The cursor's event is gone: older than Stripe keeps events, or
       * from another account. Reconcile the objects themselves. */
      if (g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_NOT_FOUND) ||
          (g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST) &&
           g_strcmp0 (kassa_payment_error_get_param (error), "ending_before") == 0))
        {
          g_message ("The Stripe events cursor is no longer known to Stripe; reconciling open orders");
          g_clear_error (&error);
          start_gap (g_steal_pointer (&task));
          return;
        }

      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  page = parse_page (list, &has_more, &error);
  if (page == NULL || !apply_listed (poll, page, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* With ending_before, a page holds the events just after the cursor,
   * newest first; the next page ends before its newest one. */
  if (has_more && page->len > 0)
    {
      g_autofree char *newest = NULL;

      if (!kassa_stripe_state_repository_get_events_cursor (poll->state, &newest, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      fetch_newer (g_steal_pointer (&task), newest);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
fetch_newer (GTask      *task,
             const char *ending_before)
{
  Poll *poll = g_task_get_task_data (task);
  g_autoptr(KassaStripeForm) query = events_query (ending_before, NULL);

  kassa_stripe_client_get_async (poll->client, "/v1/events", query, g_task_get_cancellable (task),
                                 fetch_newer_cb, task);
}

static void
fetch_all_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Poll *poll = g_task_get_task_data (task);
  g_autoptr(JsonObject) list = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_more = FALSE;

  list = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (source), result, NULL, &error);
  if (list != NULL)
    page = parse_page (list, &has_more, &error);
  if (page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < page->len; i++)
    g_ptr_array_add (poll->collected, g_object_ref (g_ptr_array_index (page, i)));

  if (has_more && page->len > 0)
    {
      KassaStripeEvent *oldest = g_ptr_array_index (page, page->len - 1);

      fetch_all (g_steal_pointer (&task), kassa_stripe_event_get_id (oldest));
      return;
    }

  if (!apply_listed (poll, poll->collected, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/* Without a cursor (first run, or after a gap) everything Stripe still
 * keeps is listed, oldest pages last, then applied oldest first. */
static void
fetch_all (GTask      *task,
           const char *starting_after)
{
  Poll *poll = g_task_get_task_data (task);
  g_autoptr(KassaStripeForm) query = events_query (NULL, starting_after);

  if (poll->collected == NULL)
    poll->collected = g_ptr_array_new_with_free_func (g_object_unref);

  kassa_stripe_client_get_async (poll->client, "/v1/events", query, g_task_get_cancellable (task),
                                 fetch_all_cb, task);
}

static const char *
reconcile_type (JsonObject *object)
{
  const char *kind = json_string (object, "object");
  const char *status = json_string (object, "status");

  if (g_strcmp0 (kind, "checkout.session") == 0)
    {
      if (g_strcmp0 (status, "complete") == 0 && g_strcmp0 (json_string (object, "payment_status"), "paid") == 0)
        return "checkout.session.completed";
      if (g_strcmp0 (status, "expired") == 0)
        return "checkout.session.expired";
    }
  else if (g_strcmp0 (kind, "payment_intent") == 0)
    {
      if (g_strcmp0 (status, "succeeded") == 0)
        return "payment_intent.succeeded";
      if (g_strcmp0 (status, "canceled") == 0)
        return "payment_intent.canceled";
    }

  return NULL;
}

static void
reconcile_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Poll *poll = g_task_get_task_data (task);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  const char *type;

  object = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (source), result, NULL, &error);
  if (object == NULL)
    {
      /* An object Stripe no longer has cannot be reconciled; anything
       * else (offline) ends this poll. */
      if (!g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_NOT_FOUND))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_warning ("Reconciling: %s", error->message);
    }
  else
    {
      poll->stats.n_reconciled++;
      type = reconcile_type (object);
      if (type != NULL)
        {
          switch (apply_object (poll->shop, type, object, &error))
            {
            case KASSA_STRIPE_SYNC_FAILED:
              g_task_return_error (task, g_steal_pointer (&error));
              return;
            case KASSA_STRIPE_SYNC_APPLIED:
              poll->stats.n_applied++;
              break;
            default:
              poll->stats.n_ignored++;
              break;
            }
        }
    }

  reconcile_next (g_steal_pointer (&task));
}

static void
reconcile_next (GTask *task)
{
  Poll *poll = g_task_get_task_data (task);
  g_autofree char *path = NULL;
  KassaOrder *order;

  if (poll->next_order >= poll->open_orders->len)
    {
      fetch_all (task, NULL);
      return;
    }

  order = g_ptr_array_index (poll->open_orders, poll->next_order++);
  if (kassa_order_get_stripe_checkout_session_id (order) != NULL)
    path = g_strdup_printf ("/v1/checkout/sessions/%s", kassa_order_get_stripe_checkout_session_id (order));
  else
    path = g_strdup_printf ("/v1/payment_intents/%s", kassa_order_get_stripe_payment_intent_id (order));

  kassa_stripe_client_get_async (poll->client, path, NULL, g_task_get_cancellable (task), reconcile_cb, task);
}

/**
 * kassa_stripe_sync_poll_async:
 * @shop: a #KassaShop
 * @client: the Stripe client (with a key)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the poll is done
 * @user_data: for @callback
 *
 * Fetches the events that came after the stored cursor, page by page
 * towards newer ones, applies them oldest first and moves the cursor
 * after each page is applied. When Stripe no longer knows the cursor
 * (more than 30 days offline), open orders are checked against their
 * Checkout Sessions and PaymentIntents and every event Stripe still keeps
 * is applied.
 */
void
kassa_stripe_sync_poll_async (KassaShop           *shop,
                              KassaStripeClient   *client,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr(GError) error = NULL;
  Poll *poll;

  g_return_if_fail (KASSA_IS_SHOP (shop));
  g_return_if_fail (KASSA_IS_STRIPE_CLIENT (client));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (shop, cancellable, callback, user_data);
  g_task_set_source_tag (task, kassa_stripe_sync_poll_async);

  poll = g_new0 (Poll, 1);
  poll->shop = g_object_ref (shop);
  poll->client = g_object_ref (client);
  poll->state = kassa_stripe_state_repository_new (kassa_shop_get_database (shop));
  poll->orders = kassa_order_repository_new (kassa_shop_get_database (shop));
  g_task_set_task_data (task, poll, (GDestroyNotify) poll_free);

  if (!kassa_stripe_state_repository_get_events_cursor (poll->state, &cursor, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (cursor != NULL)
    {
      gboolean known = FALSE;
      gint64 created = 0;

      /* Stripe keeps events 30 days: past that the cursor is gone there,
       * whatever a list request would say. */
      if (!kassa_stripe_state_repository_get_event_created (poll->state, cursor, &known, &created, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (known && created < g_get_real_time () / G_USEC_PER_SEC - EVENTS_KEPT_SECONDS)
        {
          g_message ("The Stripe events cursor is older than Stripe keeps events; reconciling open orders");
          start_gap (g_steal_pointer (&task));
          return;
        }

      fetch_newer (g_steal_pointer (&task), cursor);
    }
  else
    fetch_all (g_steal_pointer (&task), NULL);
}

gboolean
kassa_stripe_sync_poll_finish (KassaShop             *shop,
                               GAsyncResult          *result,
                               KassaStripeSyncStats  *out_stats,
                               GError               **error)
{
  Poll *poll;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, shop), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kassa_stripe_sync_poll_async, FALSE);

  poll = g_task_get_task_data (G_TASK (result));
  if (out_stats != NULL)
    *out_stats = poll->stats;

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* -- Outbox -------------------------------------------------------------- */

/**
 * kassa_stripe_sync_queue_request:
 * @shop: a #KassaShop
 * @method: `POST` or `DELETE`
 * @path: the Stripe path
 * @form: (nullable): the parameters
 * @entity_kind: (nullable): the local record it serves (`refund`, `subscription`)
 * @entity_id: that record's id
 * @error: a location for a #GError
 *
 * Stores a request with a new idempotency key and queues it in the
 * outbox, in one transaction (the caller's, when one is open), so it is
 * sent with that key however often it has to be tried.
 *
 * Returns: (transfer full): the idempotency key, or %NULL with @error set
 */
static char *
queue_request (KassaShop        *shop,
               const char       *method,
               const char       *path,
               KassaStripeForm  *form,
               const char       *entity_kind,
               gint64            entity_id,
               gint64           *out_entry_id,
               GError          **error);

char *
kassa_stripe_sync_queue_request (KassaShop        *shop,
                                 const char       *method,
                                 const char       *path,
                                 KassaStripeForm  *form,
                                 const char       *entity_kind,
                                 gint64            entity_id,
                                 GError          **error)
{
  g_return_val_if_fail (KASSA_IS_SHOP (shop), NULL);
  g_return_val_if_fail (method != NULL && path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return queue_request (shop, method, path, form, entity_kind, entity_id, NULL, error);
}

static char *
queue_request (KassaShop        *shop,
               const char       *method,
               const char       *path,
               KassaStripeForm  *form,
               const char       *entity_kind,
               gint64            entity_id,
               gint64           *out_entry_id,
               GError          **error)
{
  g_autoptr(KassaStripeStateRepository) state = NULL;
  g_autofree char *key = NULL;
  g_autofree char *body = NULL;
  KassaStripeRequest request = { 0, };
  KassaDatabase *database;
  gint64 entry_id;

  database = kassa_shop_get_database (shop);
  state = kassa_stripe_state_repository_new (database);
  key = kassa_stripe_client_new_idempotency_key ();
  body = form != NULL ? kassa_stripe_form_encode (form) : g_strdup ("");

  request.idempotency_key = key;
  request.method = (char *) method;
  request.path = (char *) path;
  request.body = body;
  request.entity_kind = (char *) entity_kind;
  request.entity_id = entity_id;
  request.outcome = KASSA_STRIPE_OUTCOME_PENDING;

  if (!kassa_database_begin (database, error))
    return NULL;

  if (!kassa_stripe_state_repository_add_request (state, &request, error) ||
      (entry_id = kassa_stripe_state_repository_enqueue (state, key, NULL, error)) == 0)
    {
      kassa_database_rollback (database, NULL);
      return NULL;
    }

  if (!kassa_database_commit (database, error))
    return NULL;

  if (out_entry_id != NULL)
    *out_entry_id = entry_id;

  return g_steal_pointer (&key);
}

typedef struct
{
  KassaShop                  *shop;
  KassaStripeClient          *client;
  KassaStripeStateRepository *state;
  GPtrArray                  *entries;  /* KassaStripeOutboxEntry */
  KassaStripeRequest         *request;  /* the one in flight */
  guint                       next;
  guint                       sent;
  guint                       failed;
  /* Sending one request now rather than the due ones: its answer, or
   * why it was refused, goes back to the caller. */
  gboolean                    single;
  gboolean                    queued;
  JsonObject                 *answer;
} Flush;

static void
flush_free (Flush *flush)
{
  g_clear_object (&flush->shop);
  g_clear_object (&flush->client);
  g_clear_object (&flush->state);
  g_clear_pointer (&flush->entries, g_ptr_array_unref);
  g_clear_pointer (&flush->request, kassa_stripe_request_free);
  g_clear_pointer (&flush->answer, json_object_unref);
  g_free (flush);
}

static void flush_next (GTask *task);

/* Stripe refused these for good: sending them again cannot help. */
static gboolean
is_permanent (const GError *error)
{
  if (error->domain != KASSA_PAYMENT_ERROR)
    return FALSE;

  switch (error->code)
    {
    case KASSA_PAYMENT_ERROR_DECLINED:
    case KASSA_PAYMENT_ERROR_CARD:
    case KASSA_PAYMENT_ERROR_INVALID_REQUEST:
    case KASSA_PAYMENT_ERROR_PERMISSION:
    case KASSA_PAYMENT_ERROR_NOT_FOUND:
    case KASSA_PAYMENT_ERROR_IDEMPOTENCY:
    case KASSA_PAYMENT_ERROR_INVALID_RESPONSE:
      return TRUE;
    default:
      return FALSE;
    }
}

/* What the answer means for the record the request was for. */
static gboolean
settle_entity (Flush       *flush,
               JsonObject  *object,
               gboolean     succeeded,
               GError     **error)
{
  const KassaStripeRequest *request = flush->request;

  if (g_strcmp0 (request->entity_kind, "refund") == 0 && request->entity_id > 0)
    {
      g_autoptr(KassaRefundRepository) refunds = kassa_refund_repository_new (kassa_shop_get_database (flush->shop));
      const char *status = json_string (object, "status");
      KassaRefundStatus target = KASSA_REFUND_STATUS_PENDING;

      g_autoptr(KassaRefund) refund = NULL;

      if (!succeeded || g_strcmp0 (status, "failed") == 0 || g_strcmp0 (status, "canceled") == 0)
        target = KASSA_REFUND_STATUS_FAILED;
      else if (g_strcmp0 (status, "succeeded") == 0)
        target = KASSA_REFUND_STATUS_SUCCEEDED;

      refund = kassa_refund_repository_load (refunds, request->entity_id, error);
      if (refund == NULL)
        return FALSE;
      /* Already settled (charge.refunded came first): nothing to book. */
      if (refund->status == KASSA_REFUND_STATUS_SUCCEEDED || refund->status == KASSA_REFUND_STATUS_FAILED)
        return TRUE;

      if (!kassa_refund_repository_set_status (refunds, request->entity_id, target,
                                               json_string (object, "id"), error))
        return FALSE;

      /* Money went back: the journal and the audit say so, as for a
       * refund that got through at once. */
      if (target == KASSA_REFUND_STATUS_SUCCEEDED)
        {
          g_autoptr(KassaOrderRepository) orders = kassa_order_repository_new (kassa_shop_get_database (flush->shop));
          g_autoptr(KassaOrder) order = kassa_order_repository_load (orders, refund->order_id, error);
          g_autoptr(JsonBuilder) builder = NULL;
          Apply apply = { 0, };

          if (order == NULL)
            return FALSE;
          apply.shop = flush->shop;
          apply.type = "outbox";
          builder = begin_record (order);
          json_builder_set_member_name (builder, "amount");
          json_builder_add_int_value (builder, refund->amount);
          json_builder_set_member_name (builder, "refund_id");
          json_builder_add_int_value (builder, refund->id);
          json_builder_set_member_name (builder, "stripe_refund");
          json_builder_add_string_value (builder, json_string (object, "id") ? json_string (object, "id") : "");
          return write_records (&apply, "stripe-refund", "order", refund->order_id, builder, error);
        }

      return TRUE;
    }

  if (g_strcmp0 (request->entity_kind, "subscription") == 0 && succeeded &&
      g_strcmp0 (json_string (object, "object"), "subscription") == 0)
    {
      const char *type = g_str_equal (request->method, "DELETE") ? "customer.subscription.deleted"
                                                                 : "customer.subscription.updated";

      return apply_object (flush->shop, type, object, error) != KASSA_STRIPE_SYNC_FAILED;
    }

  return TRUE;
}

static void
flush_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Flush *flush = g_task_get_task_data (task);
  KassaStripeOutboxEntry *entry = g_ptr_array_index (flush->entries, flush->next - 1);
  KassaDatabase *database = kassa_shop_get_database (flush->shop);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) request_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request_id = NULL;

  object = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (source), result, &request_id, &request_error);

  if (!kassa_database_begin (database, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (object != NULL)
    {
      if (!kassa_stripe_state_repository_note_attempt (flush->state, entry->idempotency_key, NULL, &error) ||
          !kassa_stripe_state_repository_finish_request (flush->state, entry->idempotency_key,
                                                         KASSA_STRIPE_OUTCOME_SUCCEEDED,
                                                         json_string (object, "id"), &error) ||
          !kassa_stripe_state_repository_mark_done (flush->state, entry->id, &error) ||
          !settle_entity (flush, object, TRUE, &error))
        goto failed;
      flush->sent++;
      if (flush->single)
        flush->answer = json_object_ref (object);
      g_debug ("Outbox entry %" PRId64 " sent (%s)", entry->id, request_id ? request_id : "no request id");
    }
  else if (g_error_matches (request_error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_CANCELLED))
    {
      kassa_database_rollback (database, NULL);
      g_task_return_error (task, g_steal_pointer (&request_error));
      return;
    }
  else if (is_permanent (request_error))
    {
      if (!kassa_stripe_state_repository_mark_failed (flush->state, entry->id, NULL, request_error->message, &error) ||
          !kassa_stripe_state_repository_finish_request (flush->state, entry->idempotency_key,
                                                         KASSA_STRIPE_OUTCOME_FAILED, NULL, &error) ||
          !settle_entity (flush, NULL, FALSE, &error))
        goto failed;
      flush->failed++;
      if (flush->single)
        {
          if (!kassa_database_commit (database, &error))
            {
              g_task_return_error (task, g_steal_pointer (&error));
              return;
            }
          g_task_return_error (task, g_steal_pointer (&request_error));
          return;
        }
      g_warning ("Outbox entry %" PRId64 " refused by Stripe: %s", entry->id, request_error->message);
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) retry_at = NULL;
      guint delay = kassa_stripe_backoff_delay_ms (MIN (flush->request->attempts, 16),
                                                   KASSA_STRIPE_OUTBOX_BACKOFF_INITIAL_MS,
                                                   KASSA_STRIPE_OUTBOX_BACKOFF_MAX_MS,
                                                   g_random_int ());

      retry_at = g_date_time_add (now, (GTimeSpan) delay * 1000);
      if (!kassa_stripe_state_repository_mark_failed (flush->state, entry->id, retry_at, request_error->message,
                                                      &error))
        goto failed;
      flush->failed++;
      flush->queued = TRUE;
      g_debug ("Outbox entry %" PRId64 " retried in %u ms: %s", entry->id, delay, request_error->message);
    }

  if (!kassa_database_commit (database, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  flush_next (g_steal_pointer (&task));
  return;

failed:
  kassa_database_rollback (database, NULL);
  g_task_return_error (task, g_steal_pointer (&error));
}

/* Takes @owned_task: handed on to the request, or dropped once answered. */
static void
flush_next (GTask *owned_task)
{
  g_autoptr(GTask) task = owned_task;
  Flush *flush = g_task_get_task_data (task);
  g_autoptr(KassaStripeForm) form = NULL;
  g_autoptr(GError) error = NULL;
  KassaStripeOutboxEntry *entry;

  if (flush->next >= flush->entries->len)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  entry = g_ptr_array_index (flush->entries, flush->next++);
  g_clear_pointer (&flush->request, kassa_stripe_request_free);
  flush->request = kassa_stripe_state_repository_load_request (flush->state, entry->idempotency_key, &error);
  if (flush->request == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The body stored before the first try, so Stripe sees the very same
   * parameters with the key and replays rather than refuses. */
  if (flush->request->body != NULL && flush->request->body[0] != '\0')
    {
      form = kassa_stripe_form_parse (flush->request->body, &error);
      if (form == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  kassa_stripe_client_request_async (flush->client, flush->request->method, flush->request->path, form,
                                     g_str_equal (flush->request->method, "POST") ? entry->idempotency_key : NULL,
                                     g_task_get_cancellable (task), flush_cb, g_object_ref (task));
}

/**
 * kassa_stripe_sync_flush_outbox_async:
 * @shop: a #KassaShop
 * @client: the Stripe client
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when every due entry was tried once
 * @user_data: for @callback
 *
 * Sends the outbox entries that are due, one after the other, each with
 * its original idempotency key and body. A sent entry is marked done and
 * its local record settled; a transient failure pushes the entry back by
 * the outbox backoff; a refusal marks it failed for good.
 */
void
kassa_stripe_sync_flush_outbox_async (KassaShop           *shop,
                                      KassaStripeClient   *client,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Flush *flush;

  g_return_if_fail (KASSA_IS_SHOP (shop));
  g_return_if_fail (KASSA_IS_STRIPE_CLIENT (client));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (shop, cancellable, callback, user_data);
  g_task_set_source_tag (task, kassa_stripe_sync_flush_outbox_async);

  flush = g_new0 (Flush, 1);
  flush->shop = g_object_ref (shop);
  flush->client = g_object_ref (client);
  flush->state = kassa_stripe_state_repository_new (kassa_shop_get_database (shop));
  g_task_set_task_data (task, flush, (GDestroyNotify) flush_free);

  flush->entries = kassa_stripe_state_repository_next_due (flush->state, NULL, KASSA_STRIPE_OUTBOX_BATCH, &error);
  if (flush->entries == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  flush_next (g_steal_pointer (&task));
}

gboolean
kassa_stripe_sync_flush_outbox_finish (KassaShop     *shop,
                                       GAsyncResult  *result,
                                       guint         *out_sent,
                                       guint         *out_failed,
                                       GError       **error)
{
  Flush *flush;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, shop), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kassa_stripe_sync_flush_outbox_async, FALSE);

  flush = g_task_get_task_data (G_TASK (result));
  if (out_sent != NULL)
    *out_sent = flush->sent;
  if (out_failed != NULL)
    *out_failed = flush->failed;

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * kassa_stripe_sync_send_async:
 * @shop: a #KassaShop
 * @client: the Stripe client
 * @method: `POST` or `DELETE`
 * @path: the Stripe path
 * @form: (nullable): the parameters
 * @entity_kind: (nullable): the local record it serves
 * @entity_id: that record's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: for @callback
 *
 * Stores the request with a new idempotency key in the outbox, then
 * sends it at once. When Stripe cannot be reached the entry stays queued
 * and kassa_stripe_sync_flush_outbox_async() sends it later with the
 * same key: the caller learns it was queued, not that it failed.
 */
void
kassa_stripe_sync_send_async (KassaShop           *shop,
                              KassaStripeClient   *client,
                              const char          *method,
                              const char          *path,
                              KassaStripeForm     *form,
                              const char          *entity_kind,
                              gint64               entity_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  KassaStripeOutboxEntry *entry;
  Flush *flush;

  g_return_if_fail (KASSA_IS_SHOP (shop));
  g_return_if_fail (KASSA_IS_STRIPE_CLIENT (client));
  g_return_if_fail (method != NULL && path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (shop, cancellable, callback, user_data);
  g_task_set_source_tag (task, kassa_stripe_sync_send_async);

  flush = g_new0 (Flush, 1);
  flush->shop = g_object_ref (shop);
  flush->client = g_object_ref (client);
  flush->state = kassa_stripe_state_repository_new (kassa_shop_get_database (shop));
  flush->single = TRUE;
  flush->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) kassa_stripe_outbox_entry_free);
  g_task_set_task_data (task, flush, (GDestroyNotify) flush_free);

  entry = g_new0 (KassaStripeOutboxEntry, 1);
  entry->idempotency_key = queue_request (shop, method, path, form, entity_kind, entity_id, &entry->id, &error);
  if (entry->idempotency_key == NULL)
    {
      kassa_stripe_outbox_entry_free (entry);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_ptr_array_add (flush->entries, entry);

  flush_next (g_steal_pointer (&task));
}

/**
 * kassa_stripe_sync_send_finish:
 * @shop: a #KassaShop
 * @result: the result
 * @out_queued: (out) (optional): whether it waits in the outbox
 * @error: a location for a #GError
 *
 * Returns: (transfer full) (nullable): Stripe's answer; %NULL when it was
 *   queued (no error) or refused (@error set)
 */
JsonObject *
kassa_stripe_sync_send_finish (KassaShop     *shop,
                               GAsyncResult  *result,
                               gboolean      *out_queued,
                               GError       **error)
{
  Flush *flush;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), NULL);
  g_return_val_if_fail (g_task_is_valid (result, shop), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kassa_stripe_sync_send_async, NULL);

  flush = g_task_get_task_data (G_TASK (result));
  if (out_queued != NULL)
    *out_queued = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  if (out_queued != NULL)
    *out_queued = flush->queued;

  return flush->answer != NULL ? json_object_ref (flush->answer) : NULL;
}
