/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-core-enums.h"
#include "kassa-catalog-item.h"

G_BEGIN_DECLS

/* One line of a cart: a catalog item, a quantity in thousandths, an
 * optional unit price override (minor units, same basis as the catalog
 * price) and an optional line discount. Change lines through KassaCart,
 * which checks the values and whether the cart is parked. */

#define KASSA_TYPE_CART_LINE (kassa_cart_line_get_type ())

G_DECLARE_FINAL_TYPE (KassaCartLine, kassa_cart_line, KASSA, CART_LINE, GObject)

KassaCartLine     *kassa_cart_line_new                    (void);
KassaCatalogItem  *kassa_cart_line_get_item               (KassaCartLine *self);
void               kassa_cart_line_set_item               (KassaCartLine    *self,
                                                           KassaCatalogItem *item);
gint64             kassa_cart_line_get_quantity           (KassaCartLine *self);
void               kassa_cart_line_set_quantity           (KassaCartLine *self,
                                                           gint64         quantity);
gboolean           kassa_cart_line_get_has_price_override (KassaCartLine *self);
void               kassa_cart_line_set_has_price_override (KassaCartLine *self,
                                                           gboolean       has_price_override);
gint64             kassa_cart_line_get_price_override     (KassaCartLine *self);
void               kassa_cart_line_set_price_override     (KassaCartLine *self,
                                                           gint64         price_override);
KassaDiscountKind  kassa_cart_line_get_discount_kind      (KassaCartLine *self);
void               kassa_cart_line_set_discount_kind      (KassaCartLine     *self,
                                                           KassaDiscountKind  discount_kind);
gint64             kassa_cart_line_get_discount_value     (KassaCartLine *self);
void               kassa_cart_line_set_discount_value     (KassaCartLine *self,
                                                           gint64         discount_value);

KassaCartLine       *kassa_cart_line_new_for_item          (KassaCatalogItem *item,
                                                            gint64            quantity);
/* The override when there is one, else the item's price. */
gint64               kassa_cart_line_get_unit_price        (KassaCartLine    *self);

G_END_DECLS
