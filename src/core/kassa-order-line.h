/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-core-enums.h"

G_BEGIN_DECLS

/* One line of an order: what was sold, at which unit price (gross or
 * net as the order says), VAT rate and line discount. Quantity in
 * thousandths, price in minor units of the order's currency, rate in
 * ppm; "item-id" is 0 for a line typed in by hand. The order locks its lines once Stripe has
 * certified them; from then on every setter fails with
 * KASSA_ERROR_LOCKED and "locked" cannot be cleared. */

#define KASSA_TYPE_ORDER_LINE (kassa_order_line_get_type ())

G_DECLARE_FINAL_TYPE (KassaOrderLine, kassa_order_line, KASSA, ORDER_LINE, GObject)

KassaOrderLine     *kassa_order_line_new                 (void);
const char         *kassa_order_line_get_sku             (KassaOrderLine *self);
gboolean            kassa_order_line_set_sku             (KassaOrderLine  *self,
                                                          const char      *sku,
                                                          GError         **error);
const char         *kassa_order_line_get_name            (KassaOrderLine *self);
gboolean            kassa_order_line_set_name            (KassaOrderLine  *self,
                                                          const char      *name,
                                                          GError         **error);
gint64              kassa_order_line_get_quantity        (KassaOrderLine *self);
gboolean            kassa_order_line_set_quantity        (KassaOrderLine  *self,
                                                          gint64           quantity,
                                                          GError         **error);
gint64              kassa_order_line_get_unit_price      (KassaOrderLine *self);
gboolean            kassa_order_line_set_unit_price      (KassaOrderLine  *self,
                                                          gint64           unit_price,
                                                          GError         **error);
gint64              kassa_order_line_get_tax_rate        (KassaOrderLine *self);
gboolean            kassa_order_line_set_tax_rate        (KassaOrderLine  *self,
                                                          gint64           tax_rate,
                                                          GError         **error);
KassaDeliveryMethod kassa_order_line_get_delivery_method (KassaOrderLine *self);
gboolean            kassa_order_line_set_delivery_method (KassaOrderLine       *self,
                                                          KassaDeliveryMethod   delivery_method,
                                                          GError              **error);
gboolean            kassa_order_line_get_locked          (KassaOrderLine *self);
void                kassa_order_line_set_locked          (KassaOrderLine *self,
                                                          gboolean        locked);

gint64            kassa_order_line_get_item_id        (KassaOrderLine *self);
gboolean          kassa_order_line_set_item_id        (KassaOrderLine  *self,
                                                       gint64           item_id,
                                                       GError         **error);
KassaDiscountKind kassa_order_line_get_discount_kind  (KassaOrderLine *self);
gboolean          kassa_order_line_set_discount_kind  (KassaOrderLine     *self,
                                                       KassaDiscountKind   discount_kind,
                                                       GError            **error);
gint64            kassa_order_line_get_discount_value (KassaOrderLine *self);
gboolean          kassa_order_line_set_discount_value (KassaOrderLine  *self,
                                                       gint64           discount_value,
                                                       GError         **error);

G_END_DECLS
