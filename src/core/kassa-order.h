/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kassa-core-enums.h"
#include "kassa-order-line.h"
#include "kassa-payment.h"

G_BEGIN_DECLS

/* An order: what was sold to whom, how it is paid and how it reaches
 * the customer. Amounts in minor units of "currency-code"; unit prices
 * gross or net after "prices-include-tax" (net by default), which with
 * "tax-scope" and "rounding" keeps the rules the order was made under.
 *
 * A manual order stays editable. A Stripe order is frozen once Stripe
 * certifies it ("certified", which only goes from FALSE to TRUE): from
 * then on every setter and mutator of what the customer agreed to
 * (number, customer, currency, mode, tax rules, discount, delivery
 * method, shipping cost and rate, addresses, checkout session, creation
 * time, lines) fails with KASSA_ERROR_LOCKED. Fulfilment, shipping
 * status, tracking URL, and what Stripe keeps reporting (payment and
 * dispute status, payment intent, payments, refunds, paid time) still
 * change.
 *
 * The three statuses follow the tables in kassa-transitions.c. Values
 * given to g_object_new() are taken as loaded; every later change is
 * checked, as are two order rules: only paid orders can be disputed,
 * and ready-for-pickup / out-for-delivery need the matching delivery
 * method. A store loading a certified order adds its lines and payments
 * first and sets "certified" last. */

#define KASSA_TYPE_ORDER (kassa_order_get_type ())

G_DECLARE_FINAL_TYPE (KassaOrder, kassa_order, KASSA, ORDER, GObject)

KassaOrder           *kassa_order_new                            (void);
gint64                kassa_order_get_id                         (KassaOrder *self);
void                  kassa_order_set_id                         (KassaOrder *self,
                                                                  gint64      id);
const char           *kassa_order_get_number                     (KassaOrder *self);
gboolean              kassa_order_set_number                     (KassaOrder  *self,
                                                                  const char  *number,
                                                                  GError     **error);
gint64                kassa_order_get_customer_id                (KassaOrder *self);
gboolean              kassa_order_set_customer_id                (KassaOrder  *self,
                                                                  gint64       customer_id,
                                                                  GError     **error);
const char           *kassa_order_get_currency_code              (KassaOrder *self);
gboolean              kassa_order_set_currency_code              (KassaOrder  *self,
                                                                  const char  *currency_code,
                                                                  GError     **error);
KassaOrderMode        kassa_order_get_mode                       (KassaOrder *self);
gboolean              kassa_order_set_mode                       (KassaOrder      *self,
                                                                  KassaOrderMode   mode,
                                                                  GError         **error);
gboolean              kassa_order_get_certified                  (KassaOrder *self);
gboolean              kassa_order_set_certified                  (KassaOrder  *self,
                                                                  gboolean     certified,
                                                                  GError     **error);
KassaPaymentStatus    kassa_order_get_payment_status             (KassaOrder *self);
gboolean              kassa_order_set_payment_status             (KassaOrder          *self,
                                                                  KassaPaymentStatus   payment_status,
                                                                  GError             **error);
KassaDisputeStatus    kassa_order_get_dispute_status             (KassaOrder *self);
gboolean              kassa_order_set_dispute_status             (KassaOrder          *self,
                                                                  KassaDisputeStatus   dispute_status,
                                                                  GError             **error);
KassaFulfilmentStatus kassa_order_get_fulfilment_status          (KassaOrder *self);
gboolean              kassa_order_set_fulfilment_status          (KassaOrder             *self,
                                                                  KassaFulfilmentStatus   fulfilment_status,
                                                                  GError                **error);
KassaDeliveryMethod   kassa_order_get_delivery_method            (KassaOrder *self);
gboolean              kassa_order_set_delivery_method            (KassaOrder           *self,
                                                                  KassaDeliveryMethod   delivery_method,
                                                                  GError              **error);
gint64                kassa_order_get_shipping_cost              (KassaOrder *self);
gboolean              kassa_order_set_shipping_cost              (KassaOrder  *self,
                                                                  gint64       shipping_cost,
                                                                  GError     **error);
gint64                kassa_order_get_shipping_tax_rate          (KassaOrder *self);
gboolean              kassa_order_set_shipping_tax_rate          (KassaOrder  *self,
                                                                  gint64       shipping_tax_rate,
                                                                  GError     **error);
const char           *kassa_order_get_shipping_address           (KassaOrder *self);
gboolean              kassa_order_set_shipping_address           (KassaOrder  *self,
                                                                  const char  *shipping_address,
                                                                  GError     **error);
const char           *kassa_order_get_billing_address            (KassaOrder *self);
gboolean              kassa_order_set_billing_address            (KassaOrder  *self,
                                                                  const char  *billing_address,
                                                                  GError     **error);
const char           *kassa_order_get_tracking_url               (KassaOrder *self);
void                  kassa_order_set_tracking_url               (KassaOrder *self,
                                                                  const char *tracking_url);
const char           *kassa_order_get_stripe_checkout_session_id (KassaOrder *self);
gboolean              kassa_order_set_stripe_checkout_session_id (KassaOrder  *self,
                                                                  const char  *stripe_checkout_session_id,
                                                                  GError     **error);
const char           *kassa_order_get_stripe_payment_intent_id   (KassaOrder *self);
void                  kassa_order_set_stripe_payment_intent_id   (KassaOrder *self,
                                                                  const char *stripe_payment_intent_id);
GDateTime            *kassa_order_get_created_at                 (KassaOrder *self);
gboolean              kassa_order_set_created_at                 (KassaOrder  *self,
                                                                  GDateTime   *created_at,
                                                                  GError     **error);
GDateTime            *kassa_order_get_paid_at                    (KassaOrder *self);
void                  kassa_order_set_paid_at                    (KassaOrder *self,
                                                                  GDateTime  *paid_at);

gboolean             kassa_order_is_locked                       (KassaOrder      *self);

/* KassaOrderLine items; read-only, change lines through the order. */
GListModel          *kassa_order_get_lines                       (KassaOrder      *self);
gboolean             kassa_order_add_line                        (KassaOrder      *self,
                                                                  KassaOrderLine  *line,
                                                                  GError         **error);
gboolean             kassa_order_remove_line                     (KassaOrder      *self,
                                                                  guint            position,
                                                                  GError         **error);

/* KassaPayment items; read-only. A payment must be in the order's
 * currency, above zero, and comes in without refunds. Adding one does
 * not mark the order paid: the caller compares it with the totals. */
GListModel          *kassa_order_get_payments                    (KassaOrder      *self);
gboolean             kassa_order_add_payment                     (KassaOrder      *self,
                                                                  KassaPayment    *payment,
                                                                  GError         **error);
gint64               kassa_order_get_amount_paid                 (KassaOrder      *self);
gint64               kassa_order_get_amount_refunded             (KassaOrder      *self);
/* Refunds @amount of the payment at @payment_position and moves the
 * payment status to partially refunded, or refunded once everything
 * paid went back. */
gboolean             kassa_order_record_refund                   (KassaOrder      *self,
                                                                  guint            payment_position,
                                                                  gint64           amount,
                                                                  GError         **error);

gboolean          kassa_order_get_prices_include_tax (KassaOrder *self);
gboolean          kassa_order_set_prices_include_tax (KassaOrder  *self,
                                                      gboolean     prices_include_tax,
                                                      GError     **error);
KassaTaxScope     kassa_order_get_tax_scope          (KassaOrder *self);
gboolean          kassa_order_set_tax_scope          (KassaOrder     *self,
                                                      KassaTaxScope   tax_scope,
                                                      GError        **error);
KassaRoundingMode kassa_order_get_rounding           (KassaOrder *self);
gboolean          kassa_order_set_rounding           (KassaOrder         *self,
                                                      KassaRoundingMode   rounding,
                                                      GError            **error);
KassaDiscountKind kassa_order_get_discount_kind      (KassaOrder *self);
gboolean          kassa_order_set_discount_kind      (KassaOrder         *self,
                                                      KassaDiscountKind   discount_kind,
                                                      GError            **error);
gint64            kassa_order_get_discount_value     (KassaOrder *self);
gboolean          kassa_order_set_discount_value     (KassaOrder  *self,
                                                      gint64       discount_value,
                                                      GError     **error);
const char       *kassa_order_get_shipping_status    (KassaOrder *self);
void              kassa_order_set_shipping_status    (KassaOrder *self,
                                                      const char *shipping_status);

G_END_DECLS
