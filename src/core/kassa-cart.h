/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kassa-core-enums.h"
#include "kassa-cart-line.h"
#include "kassa-customer.h"

G_BEGIN_DECLS

/* The sale being rung up. A GListModel of KassaCartLine, so a list view
 * can show it directly: adding, removing and re-inserting lines emit
 * items-changed at their position; edits of a line (quantity, price,
 * discount) notify on the line itself, so the row is updated rather
 * than rebuilt. "changed" fires for everything that affects totals.
 *
 * A parked cart is on hold: every mutator and setter fails with
 * KASSA_ERROR_LOCKED until it is resumed. Edit lines through the cart,
 * not through KassaCartLine's setters, so these checks apply.
 *
 * Delivery addresses are kept exactly as typed. */

#define KASSA_TYPE_CART (kassa_cart_get_type ())

G_DECLARE_FINAL_TYPE (KassaCart, kassa_cart, KASSA, CART, GObject)

KassaCart          *kassa_cart_new                  (void);
const char         *kassa_cart_get_currency_code    (KassaCart *self);
gboolean            kassa_cart_set_currency_code    (KassaCart   *self,
                                                     const char  *currency_code,
                                                     GError     **error);
KassaCustomer      *kassa_cart_get_customer         (KassaCart *self);
gboolean            kassa_cart_set_customer         (KassaCart      *self,
                                                     KassaCustomer  *customer,
                                                     GError        **error);
KassaDeliveryMethod kassa_cart_get_delivery_method  (KassaCart *self);
gboolean            kassa_cart_set_delivery_method  (KassaCart            *self,
                                                     KassaDeliveryMethod   delivery_method,
                                                     GError              **error);
const char         *kassa_cart_get_delivery_address (KassaCart *self);
gboolean            kassa_cart_set_delivery_address (KassaCart   *self,
                                                     const char  *delivery_address,
                                                     GError     **error);
KassaDiscountKind   kassa_cart_get_discount_kind    (KassaCart *self);
gboolean            kassa_cart_set_discount_kind    (KassaCart          *self,
                                                     KassaDiscountKind   discount_kind,
                                                     GError            **error);
gint64              kassa_cart_get_discount_value   (KassaCart *self);
gboolean            kassa_cart_set_discount_value   (KassaCart  *self,
                                                     gint64      discount_value,
                                                     GError    **error);
gboolean            kassa_cart_get_parked           (KassaCart *self);
gboolean            kassa_cart_set_parked           (KassaCart  *self,
                                                     gboolean    parked,
                                                     GError    **error);

gboolean             kassa_cart_park                  (KassaCart          *self,
                                                       GError            **error);
gboolean             kassa_cart_resume                (KassaCart          *self,
                                                       GError            **error);

/* Adds @quantity (thousandths) of @item, an active item in the cart's
 * currency. A plain line of the same item grows instead of a new line
 * appearing; @position tells which line took it. */
gboolean             kassa_cart_add_item              (KassaCart          *self,
                                                       KassaCatalogItem   *item,
                                                       gint64              quantity,
                                                       guint              *position,
                                                       GError            **error);
gboolean             kassa_cart_set_quantity          (KassaCart          *self,
                                                       guint               position,
                                                       gint64              quantity,
                                                       GError            **error);
/* Returns the removed line (transfer full) so an undo can put it back
 * with kassa_cart_insert_line() at the same position. */
KassaCartLine       *kassa_cart_remove_line           (KassaCart          *self,
                                                       guint               position,
                                                       GError            **error);
gboolean             kassa_cart_insert_line           (KassaCart          *self,
                                                       guint               position,
                                                       KassaCartLine      *line,
                                                       GError            **error);
/* Percent in ppm (0 < value ≤ 100 %), amount in minor units for the
 * whole line (> 0), or KASSA_DISCOUNT_NONE with 0 to remove it. */
gboolean             kassa_cart_set_line_discount     (KassaCart          *self,
                                                       guint               position,
                                                       KassaDiscountKind   kind,
                                                       gint64              value,
                                                       GError            **error);
gboolean             kassa_cart_set_price_override    (KassaCart          *self,
                                                       guint               position,
                                                       gint64              price,
                                                       GError            **error);
gboolean             kassa_cart_clear_price_override  (KassaCart          *self,
                                                       guint               position,
                                                       GError            **error);
/* The same rules as a line discount, for the whole document. */
gboolean             kassa_cart_set_document_discount (KassaCart          *self,
                                                       KassaDiscountKind   kind,
                                                       gint64              value,
                                                       GError            **error);
/* Empties the cart for the next sale: lines, customer, delivery and
 * discount; the currency stays. */
gboolean             kassa_cart_clear                 (KassaCart          *self,
                                                       GError            **error);
/* Ready for checkout: not parked, not empty, an address for delivery. */
gboolean             kassa_cart_validate              (KassaCart          *self,
                                                       GError            **error);

G_END_DECLS
