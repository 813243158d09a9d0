/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-shop-subscriptions"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "kassa-error.h"
#include "kassa-payment-error.h"
#include "kassa-shop-private.h"
#include "kassa-shop-subscriptions.h"
#include "kassa-stripe-sync.h"

static const char *
change_name (KassaSubscriptionChange change)
{
  switch (change)
    {
    case KASSA_SUBSCRIPTION_CHANGE_CANCEL_AT_PERIOD_END:
      return "subscription-cancel-at-period-end";
    case KASSA_SUBSCRIPTION_CHANGE_CANCEL_NOW:
      return "subscription-cancel";
    case KASSA_SUBSCRIPTION_CHANGE_PAUSE:
      return "subscription-pause";
    case KASSA_SUBSCRIPTION_CHANGE_RESUME:
      return "subscription-resume";
    default:
      g_assert_not_reached ();
    }
}

/* The subscription a change is for, when the actor may change it and
 * Stripe knows it; nothing can happen to one that ended. */
static KassaSubscription *
load_for_change (KassaShop  *shop,
                 gint64      subscription_id,
                 GError    **error)
{
  g_autoptr(KassaSubscriptionRepository) repository = NULL;
  g_autoptr(KassaSubscription) subscription = NULL;
  KassaSubscriptionStatus status;

  if (!kassa_shop_check_permission (shop, KASSA_PERMISSION_MANAGE_SUBSCRIPTIONS, error))
    return NULL;

  repository = kassa_subscription_repository_new (kassa_shop_get_database (shop));
  subscription = kassa_subscription_repository_load (repository, subscription_id, error);
  if (subscription == NULL)
    return NULL;

  if (kassa_subscription_get_stripe_subscription_id (subscription) == NULL)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("This subscription is not known to Stripe"));
      return NULL;
    }

  status = kassa_subscription_get_status (subscription);
  if (status == KASSA_SUBSCRIPTION_STATUS_CANCELED || status == KASSA_SUBSCRIPTION_STATUS_INCOMPLETE_EXPIRED)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION,
                           _("This subscription has ended and cannot be changed"));
      return NULL;
    }

  return g_steal_pointer (&subscription);
}

static gboolean
audit (KassaShop         *shop,
       const char        *action,
       KassaSubscription *subscription,
       guint              cycles,
       GError           **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *entity = g_strdup_printf ("%" PRId64, kassa_subscription_get_id (subscription));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "stripe_subscription");
  json_builder_add_string_value (builder, kassa_subscription_get_stripe_subscription_id (subscription));
  if (cycles > 0)
    {
      json_builder_set_member_name (builder, "cycles");
      json_builder_add_int_value (builder, cycles);
    }
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  return kassa_audit_log_record (kassa_shop_get_audit_log (shop), kassa_shop_get_actor_id (shop),
                                 action, "subscription", entity, details, error) > 0;
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  gboolean queued = FALSE;

  answer = kassa_stripe_sync_send_finish (KASSA_SHOP (source), result, &queued, &error);
  if (answer == NULL && error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_set_task_data (task, GINT_TO_POINTER (queued), NULL);
  g_task_return_boolean (task, TRUE);
}

static gboolean
finish (KassaShop     *shop,
        GAsyncResult  *result,
        gpointer       source_tag,
        gboolean      *out_queued,
        GError       **error)
{
  g_return_val_if_fail (KASSA_IS_SHOP (shop), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, shop), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  if (out_queued != NULL)
    *out_queued = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (out_queued != NULL)
    *out_queued = GPOINTER_TO_INT (g_task_get_task_data (G_TASK (result)));

  return TRUE;
}

/**
 * kassa_shop_list_subscriptions:
 * @shop: a #KassaShop
 * @filter: (nullable): which ones; %NULL for all
 * @offset: how many to skip
 * @limit: at most this many
 * @error: a location for a #GError
 *
 * Each subscription carries its status and its next billing date (the
 * end of its current period), soonest first.
 *
 * Returns: (transfer full) (element-type KassaSubscription): the list
 */
GPtrArray *
kassa_shop_list_subscriptions (KassaShop                      *shop,
                               const KassaSubscriptionFilter  *filter,
                               guint                           offset,
                               guint                           limit,
                               GError                        **error)
{
  g_autoptr(KassaSubscriptionRepository) repository = NULL;
  KassaSubscriptionFilter all = KASSA_SUBSCRIPTION_FILTER_INIT;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!kassa_shop_check_permission (shop, KASSA_PERMISSION_MANAGE_SUBSCRIPTIONS, NULL) &&
      !kassa_shop_check_permission (shop, KASSA_PERMISSION_VIEW_REPORTS, error))
    return NULL;

  repository = kassa_subscription_repository_new (kassa_shop_get_database (shop));

  return kassa_subscription_repository_list (repository, filter != NULL ? filter : &all, offset, limit, error);
}

/**
 * kassa_shop_change_subscription_async:
 * @shop: a #KassaShop
 * @client: the Stripe client
 * @subscription_id: the local subscription
 * @change: what to do
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when Stripe answered or the change was queued
 * @user_data: for @callback
 *
 * Asks Stripe for the change with a key stored first; Stripe's answer
 * updates the local subscription. When Stripe cannot be reached the
 * change waits in the outbox.
 */
void
kassa_shop_change_subscription_async (KassaShop               *shop,
                                      KassaStripeClient       *client,
                                      gint64                   subscription_id,
                                      KassaSubscriptionChange  change,
                                      GCancellable            *cancellable,
                                      GAsyncReadyCallback      callback,
                                      gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(KassaSubscription) subscription = NULL;
  g_autoptr(KassaStripeForm) form = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *method = "POST";
  const char *stripe_id;

  g_return_if_fail (KASSA_IS_SHOP (shop));
  g_return_if_fail (KASSA_IS_STRIPE_CLIENT (client));
  g_return_if_fail (change <= KASSA_SUBSCRIPTION_CHANGE_RESUME);

  task = g_task_new (shop, cancellable, callback, user_data);
  g_task_set_source_tag (task, kassa_shop_change_subscription_async);

  subscription = load_for_change (shop, subscription_id, &error);
  if (subscription == NULL || !audit (shop, change_name (change), subscription, 0, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  stripe_id = kassa_subscription_get_stripe_subscription_id (subscription);
  path = g_strdup_printf ("/v1/subscriptions/%s", stripe_id);
  form = kassa_stripe_form_new ();

  switch (change)
    {
    case KASSA_SUBSCRIPTION_CHANGE_CANCEL_AT_PERIOD_END:
      kassa_stripe_form_add_bool (form, "cancel_at_period_end", TRUE);
      break;
    case KASSA_SUBSCRIPTION_CHANGE_CANCEL_NOW:
      method = "DELETE";
      g_clear_pointer (&form, kassa_stripe_form_free);
      break;
    case KASSA_SUBSCRIPTION_CHANGE_PAUSE:
      /* Collection only: the customer keeps access, no invoice is due. */
      kassa_stripe_form_add (form, "pause_collection[behavior]", "void");
      break;
    case KASSA_SUBSCRIPTION_CHANGE_RESUME:
      /* A subscription Stripe itself paused (a trial that ended without
       * a payment method) resumes through its own endpoint; paused
       * collection resumes by clearing it. */
      if (kassa_subscription_get_status (subscription) == KASSA_SUBSCRIPTION_STATUS_PAUSED)
        {
          g_free (path);
          path = g_strdup_printf ("/v1/subscriptions/%s/resume", stripe_id);
        }
      else
        kassa_stripe_form_add (form, "pause_collection", "");
      break;
    default:
      g_assert_not_reached ();
    }

  kassa_stripe_sync_send_async (shop, client, method, path, form, "subscription", subscription_id,
                                cancellable, sent_cb, g_steal_pointer (&task));
}

gboolean
kassa_shop_change_subscription_finish (KassaShop     *shop,
                                       GAsyncResult  *result,
                                       gboolean      *out_queued,
                                       GError       **error)
{
  return finish (shop, result, kassa_shop_change_subscription_async, out_queued, error);
}

/**
 * kassa_shop_subscription_compute_cancel_at:
 * @anchor: when the first cycle started (Stripe's billing cycle anchor)
 * @interval: `day`, `week`, `month` or `year`
 * @interval_count: intervals per cycle, at least 1
 * @cycles: cycles to bill, at least 1
 * @error: a location for a #GError
 *
 * Calendar arithmetic as Stripe bills: a month after 31 January is the
 * end of February.
 *
 * Returns: (transfer full): when the subscription should end
 */
GDateTime *
kassa_shop_subscription_compute_cancel_at (GDateTime   *anchor,
                                           const char  *interval,
                                           guint        interval_count,
                                           guint        cycles,
                                           GError     **error)
{
  guint64 periods = (guint64) interval_count * cycles;
  GDateTime *end = NULL;

  g_return_val_if_fail (anchor != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (interval_count == 0 || cycles == 0 || periods > 100000)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("A subscription runs for at least one cycle of at least one interval"));
      return NULL;
    }

  if (g_strcmp0 (interval, "day") == 0)
    end = g_date_time_add_days (anchor, (gint) periods);
  else if (g_strcmp0 (interval, "week") == 0)
    end = g_date_time_add_weeks (anchor, (gint) periods);
  else if (g_strcmp0 (interval, "month") == 0)
    end = g_date_time_add_months (anchor, (gint) periods);
  else if (g_strcmp0 (interval, "year") == 0)
    end = g_date_time_add_years (anchor, (gint) periods);
  else
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("Unknown billing interval “%s”"),
                   interval != NULL ? interval : "");
      return NULL;
    }

  if (end == NULL)
    g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_OVERFLOW, _("That many cycles end too far in the future"));

  return end;
}

typedef struct
{
  KassaShop         *shop;
  KassaStripeClient *client;
  gint64             subscription_id;
  guint              cycles;
  char              *stripe_id;
} Limit;

static void
limit_free (Limit *limit)
{
  g_clear_object (&limit->shop);
  g_clear_object (&limit->client);
  g_free (limit->stripe_id);
  g_free (limit);
}

static void
limit_fetched_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Limit *limit = g_task_get_task_data (task);
  g_autoptr(JsonObject) subscription = NULL;
  g_autoptr(GDateTime) anchor = NULL;
  g_autoptr(GDateTime) cancel_at = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(KassaStripeForm) form = NULL;
  g_autoptr(KassaSubscriptionRepository) repository = NULL;
  g_autoptr(KassaSubscription) local = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  JsonObject *recurring = NULL;
  GCancellable *cancellable;
  JsonNode *items;
  gint64 anchor_seconds = 0;

  subscription = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (source), result, NULL, &error);
  if (subscription == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (json_object_has_member (subscription, "billing_cycle_anchor"))
    anchor_seconds = json_object_get_int_member (subscription, "billing_cycle_anchor");
  items = json_object_has_member (subscription, "items")
            ? json_object_get_member (json_object_get_object_member (subscription, "items"), "data") : NULL;
  if (items != NULL && JSON_NODE_HOLDS_ARRAY (items) && json_array_get_length (json_node_get_array (items)) > 0)
    {
      JsonObject *item = json_array_get_object_element (json_node_get_array (items), 0);
      JsonObject *price = item != NULL && json_object_has_member (item, "price")
                            ? json_object_get_object_member (item, "price") : NULL;

      if (price != NULL && json_object_has_member (price, "recurring") &&
          !json_object_get_null_member (price, "recurring"))
        recurring = json_object_get_object_member (price, "recurring");
    }

  if (anchor_seconds <= 0 || recurring == NULL)
    {
      g_set_error_literal (&error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_RESPONSE,
                           _("Stripe’s subscription has no billing cycle to count"));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  anchor = g_date_time_new_from_unix_utc (anchor_seconds);
  cancel_at = kassa_shop_subscription_compute_cancel_at (anchor,
                                                         json_object_get_string_member (recurring, "interval"),
                                                         (guint) json_object_get_int_member (recurring, "interval_count"),
                                                         limit->cycles, &error);
  if (cancel_at == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_date_time_compare (cancel_at, now) <= 0)
    {
      g_set_error (&error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("%u cycles have already been billed"), limit->cycles);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  repository = kassa_subscription_repository_new (kassa_shop_get_database (limit->shop));
  local = kassa_subscription_repository_load (repository, limit->subscription_id, &error);
  if (local == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  kassa_subscription_set_cycle_limit (local, limit->cycles);
  if (!kassa_subscription_repository_save (repository, local, &error) ||
      !audit (limit->shop, "subscription-limit-cycles", local, limit->cycles, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  form = kassa_stripe_form_new ();
  kassa_stripe_form_add_int (form, "cancel_at", g_date_time_to_unix (cancel_at));
  path = g_strdup_printf ("/v1/subscriptions/%s", limit->stripe_id);
  cancellable = g_task_get_cancellable (task);
  kassa_stripe_sync_send_async (limit->shop, limit->client, "POST", path, form, "subscription",
                                limit->subscription_id, cancellable, sent_cb, g_steal_pointer (&task));
}

/**
 * kassa_shop_limit_subscription_cycles_async:
 * @shop: a #KassaShop
 * @client: the Stripe client
 * @subscription_id: the local subscription
 * @cycles: billing cycles in all, counted from the first
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when Stripe answered or the change was queued
 * @user_data: for @callback
 *
 * Ends the subscription after @cycles billing cycles by setting its
 * `cancel_at` to the billing cycle anchor plus @cycles periods. The
 * period is read from Stripe, so this needs Stripe once; the change
 * itself is queued like any other when Stripe goes away in between.
 */
void
kassa_shop_limit_subscription_cycles_async (KassaShop           *shop,
                                            KassaStripeClient   *client,
                                            gint64               subscription_id,
                                            guint                cycles,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(KassaSubscription) subscription = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  Limit *limit;

  g_return_if_fail (KASSA_IS_SHOP (shop));
  g_return_if_fail (KASSA_IS_STRIPE_CLIENT (client));

  task = g_task_new (shop, cancellable, callback, user_data);
  g_task_set_source_tag (task, kassa_shop_limit_subscription_cycles_async);

  if (cycles == 0)
    {
      g_task_return_new_error (task, KASSA_ERROR, KASSA_ERROR_INVALID,
                               "%s", _("A subscription runs for at least one cycle"));
      return;
    }

  subscription = load_for_change (shop, subscription_id, &error);
  if (subscription == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  limit = g_new0 (Limit, 1);
  limit->shop = g_object_ref (shop);
  limit->client = g_object_ref (client);
  limit->subscription_id = subscription_id;
  limit->cycles = cycles;
  limit->stripe_id = g_strdup (kassa_subscription_get_stripe_subscription_id (subscription));
  g_task_set_task_data (task, limit, (GDestroyNotify) limit_free);

  path = g_strdup_printf ("/v1/subscriptions/%s", limit->stripe_id);
  kassa_stripe_client_get_async (client, path, NULL, cancellable, limit_fetched_cb, g_steal_pointer (&task));
}

gboolean
kassa_shop_limit_subscription_cycles_finish (KassaShop     *shop,
                                             GAsyncResult  *result,
                                             gboolean      *out_queued,
                                             GError       **error)
{
  return finish (shop, result, kassa_shop_limit_subscription_cycles_async, out_queued, error);
}
