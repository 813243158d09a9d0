/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-database.h"
#include "kassa-subscription.h"

G_BEGIN_DECLS

/* Subscriptions in the database, mirrored from Stripe or sold at the
 * till. A stored status only moves along the domain's transitions
 * (kassa-transitions.c), whichever call moves it, and the number of
 * billed cycles never goes down. Errors: KASSA_STORE_ERROR from the
 * database, KASSA_ERROR from the domain rules (KASSA_ERROR_NOT_FOUND
 * for a missing subscription). */

/**
 * KassaSubscriptionFilter:
 * @status: a #KassaSubscriptionStatus, or -1 for any
 * @customer_id: the customer, or 0 for any
 * @billing_before: (nullable): only those whose next billing date (the
 *   end of the current period) comes before this time
 */
typedef struct
{
  gint       status;
  gint64     customer_id;
  GDateTime *billing_before;
} KassaSubscriptionFilter;

#define KASSA_SUBSCRIPTION_FILTER_INIT { -1, 0, NULL }

#define KASSA_TYPE_SUBSCRIPTION_REPOSITORY (kassa_subscription_repository_get_type ())

G_DECLARE_FINAL_TYPE (KassaSubscriptionRepository, kassa_subscription_repository, KASSA, SUBSCRIPTION_REPOSITORY, GObject)

KassaSubscriptionRepository *kassa_subscription_repository_new               (KassaDatabase                 *database);
KassaDatabase               *kassa_subscription_repository_get_database      (KassaSubscriptionRepository   *self);

/* Inserts (id 0, which then gets its id) with the status as it is, or
 * updates every field; a changed status must be a legal transition from
 * the stored one. */
gboolean                     kassa_subscription_repository_save              (KassaSubscriptionRepository   *self,
                                                                              KassaSubscription             *subscription,
                                                                              GError                       **error);
KassaSubscription           *kassa_subscription_repository_load              (KassaSubscriptionRepository   *self,
                                                                              gint64                         id,
                                                                              GError                       **error);
KassaSubscription           *kassa_subscription_repository_load_by_stripe_id (KassaSubscriptionRepository   *self,
                                                                              const char                    *stripe_subscription_id,
                                                                              GError                       **error);
/* Soonest next billing first, those without one last.
 * Returns: (transfer full) (element-type KassaSubscription) */
GPtrArray                   *kassa_subscription_repository_list              (KassaSubscriptionRepository   *self,
                                                                              const KassaSubscriptionFilter *filter,
                                                                              guint                          offset,
                                                                              guint                          limit,
                                                                              GError                       **error);

/* Moves the stored and the given subscription to @status, when the
 * transition is legal and the stored one is still where @subscription
 * says it is. */
gboolean                     kassa_subscription_repository_update_status     (KassaSubscriptionRepository   *self,
                                                                              KassaSubscription             *subscription,
                                                                              KassaSubscriptionStatus        status,
                                                                              GError                       **error);
/* kassa_subscription_record_renewal(), stored: one more cycle billed and
 * the next billing date moved to @next_period_end. */
gboolean                     kassa_subscription_repository_record_renewal    (KassaSubscriptionRepository   *self,
                                                                              KassaSubscription             *subscription,
                                                                              GDateTime                     *next_period_end,
                                                                              GError                       **error);

G_END_DECLS
