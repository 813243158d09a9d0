/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kassa-shop.h"
#include "kassa-stripe-client.h"
#include "kassa-subscription-repository.h"

G_BEGIN_DECLS

/* Subscriptions as the shop manages them: listed from the local mirror,
 * changed in Stripe (which stays the source of truth) and mirrored back
 * from Stripe's answer or, while offline, from the events once the
 * outbox got the change through. Changes need the manage-subscriptions
 * permission; listing needs it or view-reports. */

/**
 * KassaSubscriptionChange:
 * @KASSA_SUBSCRIPTION_CHANGE_CANCEL_AT_PERIOD_END: ends when the paid period ends
 * @KASSA_SUBSCRIPTION_CHANGE_CANCEL_NOW: ends at once
 * @KASSA_SUBSCRIPTION_CHANGE_PAUSE: stops collecting payments (invoices are voided)
 * @KASSA_SUBSCRIPTION_CHANGE_RESUME: collects again, or resumes a paused subscription
 */
typedef enum
{
  KASSA_SUBSCRIPTION_CHANGE_CANCEL_AT_PERIOD_END,
  KASSA_SUBSCRIPTION_CHANGE_CANCEL_NOW,
  KASSA_SUBSCRIPTION_CHANGE_PAUSE,
  KASSA_SUBSCRIPTION_CHANGE_RESUME,
} KassaSubscriptionChange;

GPtrArray *kassa_shop_list_subscriptions                (KassaShop                     *shop,
                                                         const KassaSubscriptionFilter *filter,
                                                         guint                          offset,
                                                         guint                          limit,
                                                         GError                       **error);

void       kassa_shop_change_subscription_async         (KassaShop                     *shop,
                                                         KassaStripeClient             *client,
                                                         gint64                         subscription_id,
                                                         KassaSubscriptionChange        change,
                                                         GCancellable                  *cancellable,
                                                         GAsyncReadyCallback            callback,
                                                         gpointer                       user_data);
gboolean   kassa_shop_change_subscription_finish        (KassaShop                     *shop,
                                                         GAsyncResult                  *result,
                                                         gboolean                      *out_queued,
                                                         GError                       **error);

void       kassa_shop_limit_subscription_cycles_async   (KassaShop                     *shop,
                                                         KassaStripeClient             *client,
                                                         gint64                         subscription_id,
                                                         guint                          cycles,
                                                         GCancellable                  *cancellable,
                                                         GAsyncReadyCallback            callback,
                                                         gpointer                       user_data);
gboolean   kassa_shop_limit_subscription_cycles_finish  (KassaShop                     *shop,
                                                         GAsyncResult                  *result,
                                                         gboolean                      *out_queued,
                                                         GError                       **error);

GDateTime *kassa_shop_subscription_compute_cancel_at    (GDateTime                     *anchor,
                                                         const char                    *interval,
                                                         guint                          interval_count,
                                                         guint                          cycles,
                                                         GError                       **error);

G_END_DECLS
