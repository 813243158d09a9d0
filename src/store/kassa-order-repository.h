/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kassa-database.h"
#include "kassa-order.h"

G_BEGIN_DECLS

/**
 * KassaOrderSaleContext:
 * @staff_id: who rang the sale up, 0 when nobody signed in did (import)
 * @shift_id: the shift it belongs to, or 0
 * @cart_id: the cart it came from, or 0
 * @cash_rounding_step: the cash rounding step of the tender in minor
 *   units (5 for 0.05 CHF), 0 when the amount due was not rounded
 *
 * Where a sale happened; stored beside the order, not part of it.
 */
typedef struct
{
  gint64 staff_id;
  gint64 shift_id;
  gint64 cart_id;
  gint64 cash_rounding_step;
} KassaOrderSaleContext;

/**
 * KassaOrderFilter:
 * @by_payment_status: whether @payment_status applies
 * @payment_status: only orders in this payment status
 * @by_fulfilment_status: whether @fulfilment_status applies
 * @fulfilment_status: only orders in this fulfilment status
 * @by_mode: whether @mode applies
 * @mode: only manual or only Stripe orders
 * @customer_id: only this customer's orders; 0 for everybody's
 * @created_from: (nullable): only orders created at or after this time
 * @created_until: (nullable): only orders created before this time
 *
 * Which orders a list shows. A zeroed filter shows all of them.
 */
typedef struct
{
  gboolean               by_payment_status;
  KassaPaymentStatus     payment_status;
  gboolean               by_fulfilment_status;
  KassaFulfilmentStatus  fulfilment_status;
  gboolean               by_mode;
  KassaOrderMode         mode;
  gint64                 customer_id;
  GDateTime             *created_from;
  GDateTime             *created_until;
} KassaOrderFilter;

/**
 * KassaOrderStoredTotals:
 * @untaxed: the order's untaxed amount as stored at the time of sale
 * @tax: its tax
 * @total: @untaxed + @tax
 * @cash_rounding: the cash rounding line (amount due = total + this)
 *
 * The totals kept with an order, so reports need not recompute history.
 */
typedef struct
{
  gint64 untaxed;
  gint64 tax;
  gint64 total;
  gint64 cash_rounding;
} KassaOrderStoredTotals;

#define KASSA_TYPE_ORDER_REPOSITORY (kassa_order_repository_get_type ())

G_DECLARE_FINAL_TYPE (KassaOrderRepository, kassa_order_repository, KASSA, ORDER_REPOSITORY, GObject)

KassaOrderRepository *kassa_order_repository_new                   (KassaDatabase                *database);
KassaDatabase        *kassa_order_repository_get_database          (KassaOrderRepository         *self);

gint64                kassa_order_repository_insert                (KassaOrderRepository         *self,
                                                                    KassaOrder                   *order,
                                                                    const KassaOrderSaleContext  *context,
                                                                    GError                      **error);
KassaOrder           *kassa_order_repository_load                  (KassaOrderRepository         *self,
                                                                    gint64                        order_id,
                                                                    GError                      **error);
KassaOrder           *kassa_order_repository_load_by_number        (KassaOrderRepository         *self,
                                                                    const char                   *number,
                                                                    GError                      **error);
KassaOrder           *kassa_order_repository_load_by_stripe_reference
                                                                   (KassaOrderRepository         *self,
                                                                    const char                   *reference,
                                                                    GError                      **error);
/* The order a payment with provider reference @reference belongs to. */
KassaOrder           *kassa_order_repository_load_by_payment_reference
                                                                   (KassaOrderRepository         *self,
                                                                    const char                   *reference,
                                                                    GError                      **error);
gboolean              kassa_order_repository_load_totals           (KassaOrderRepository         *self,
                                                                    gint64                        order_id,
                                                                    KassaOrderStoredTotals       *out_totals,
                                                                    GError                      **error);
/* Where order @order_id was sold (staff, shift, cart); the cash
 * rounding step is not stored, so it reads as 0. */
gboolean              kassa_order_repository_load_sale_context     (KassaOrderRepository         *self,
                                                                    gint64                        order_id,
                                                                    KassaOrderSaleContext        *out_context,
                                                                    GError                      **error);
GListModel           *kassa_order_repository_list                  (KassaOrderRepository         *self,
                                                                    const KassaOrderFilter       *filter,
                                                                    KassaOrder                   *after,
                                                                    guint                         limit,
                                                                    GError                      **error);

gboolean              kassa_order_repository_update                (KassaOrderRepository         *self,
                                                                    KassaOrder                   *order,
                                                                    GError                      **error);
gboolean              kassa_order_repository_set_fulfilment_status (KassaOrderRepository         *self,
                                                                    gint64                        order_id,
                                                                    KassaFulfilmentStatus         status,
                                                                    GError                      **error);
gboolean              kassa_order_repository_set_shipping_status   (KassaOrderRepository         *self,
                                                                    gint64                        order_id,
                                                                    const char                   *shipping_status,
                                                                    GError                      **error);
gboolean              kassa_order_repository_set_tracking_url      (KassaOrderRepository         *self,
                                                                    gint64                        order_id,
                                                                    const char                   *tracking_url,
                                                                    GError                      **error);
gboolean              kassa_order_repository_set_payment_status    (KassaOrderRepository         *self,
                                                                    gint64                        order_id,
                                                                    KassaPaymentStatus            status,
                                                                    GDateTime                    *paid_at,
                                                                    GError                      **error);
gboolean              kassa_order_repository_set_dispute_status    (KassaOrderRepository         *self,
                                                                    gint64                        order_id,
                                                                    KassaDisputeStatus            status,
                                                                    GError                      **error);
gboolean              kassa_order_repository_certify               (KassaOrderRepository         *self,
                                                                    gint64                        order_id,
                                                                    const char                   *stripe_payment_intent_id,
                                                                    GError                      **error);
gint64                kassa_order_repository_add_payment           (KassaOrderRepository         *self,
                                                                    gint64                        order_id,
                                                                    KassaPayment                 *payment,
                                                                    GError                      **error);

/* "S-000042": the next till number, inside the storing transaction. */
char                 *kassa_order_repository_next_number           (KassaOrderRepository         *self,
                                                                    GError                      **error);
GArray               *kassa_order_repository_get_line_ids          (KassaOrderRepository         *self,
                                                                    gint64                        order_id,
                                                                    GError                      **error);

G_END_DECLS
