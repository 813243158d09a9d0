/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-core-enums.h"

G_BEGIN_DECLS

/* A recurring sale, mirrored from Stripe. "status" follows the table in
 * kassa-transitions.c: the value given to g_object_new() is taken as
 * loaded, every later change is checked. A cycle limit of 0 means
 * unlimited. */

#define KASSA_TYPE_SUBSCRIPTION (kassa_subscription_get_type ())

G_DECLARE_FINAL_TYPE (KassaSubscription, kassa_subscription, KASSA, SUBSCRIPTION, GObject)

KassaSubscription      *kassa_subscription_new                        (void);
gint64                  kassa_subscription_get_id                     (KassaSubscription *self);
void                    kassa_subscription_set_id                     (KassaSubscription *self,
                                                                       gint64             id);
KassaSubscriptionStatus kassa_subscription_get_status                 (KassaSubscription *self);
gboolean                kassa_subscription_set_status                 (KassaSubscription        *self,
                                                                       KassaSubscriptionStatus   status,
                                                                       GError                  **error);
const char             *kassa_subscription_get_stripe_subscription_id (KassaSubscription *self);
void                    kassa_subscription_set_stripe_subscription_id (KassaSubscription *self,
                                                                       const char        *stripe_subscription_id);
const char             *kassa_subscription_get_stripe_customer_id     (KassaSubscription *self);
void                    kassa_subscription_set_stripe_customer_id     (KassaSubscription *self,
                                                                       const char        *stripe_customer_id);
gint64                  kassa_subscription_get_item_id                (KassaSubscription *self);
void                    kassa_subscription_set_item_id                (KassaSubscription *self,
                                                                       gint64             item_id);
gint64                  kassa_subscription_get_customer_id            (KassaSubscription *self);
void                    kassa_subscription_set_customer_id            (KassaSubscription *self,
                                                                       gint64             customer_id);
GDateTime              *kassa_subscription_get_current_period_end     (KassaSubscription *self);
void                    kassa_subscription_set_current_period_end     (KassaSubscription *self,
                                                                       GDateTime         *current_period_end);
gboolean                kassa_subscription_get_cancel_at_period_end   (KassaSubscription *self);
void                    kassa_subscription_set_cancel_at_period_end   (KassaSubscription *self,
                                                                       gboolean           cancel_at_period_end);
guint                   kassa_subscription_get_cycles_billed          (KassaSubscription *self);
void                    kassa_subscription_set_cycles_billed          (KassaSubscription *self,
                                                                       guint              cycles_billed);
guint                   kassa_subscription_get_cycle_limit            (KassaSubscription *self);
void                    kassa_subscription_set_cycle_limit            (KassaSubscription *self,
                                                                       guint              cycle_limit);

/* Records a paid renewal: one more cycle billed and the period moved on
 * to @next_period_end, which must lie after the current one. Fails with
 * KASSA_ERROR_INVALID once the cycle limit is reached, and with
 * KASSA_ERROR_ILLEGAL_TRANSITION unless the subscription is active or
 * trialing (a renewal payment of a past-due or unpaid one makes it
 * active first). */
gboolean  kassa_subscription_record_renewal   (KassaSubscription  *self,
                                               GDateTime          *next_period_end,
                                               GError            **error);
/* Cycles still to bill, or -1 when unlimited. */
gint64    kassa_subscription_get_cycles_left  (KassaSubscription  *self);

gint64              kassa_subscription_get_order_id (KassaSubscription *self);
void                kassa_subscription_set_order_id (KassaSubscription *self,
                                                     gint64             order_id);

G_END_DECLS
