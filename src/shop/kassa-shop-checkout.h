/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-order.h"
#include "kassa-payment.h"
#include "kassa-shop.h"

G_BEGIN_DECLS

/* The till's last step: the cart becomes an order.
 *
 * kassa_shop_complete_sale() turns the stored cart @cart_id into a paid
 * order in ONE transaction: the order with its lines and @payments (a
 * split tender is several), the stock of its products (the cart's
 * reservations converted), a service session for every service sold, the
 * cart marked sold, a journal entry and an audit entry. Either all of it is
 * written or none of it, and the cart stays as it was.
 *
 * The amount due comes from the totals engine under the store's tax
 * settings; when a tender is cash the store's cash rounding applies. The
 * payments must add up to exactly that amount (a cash payment records
 * the amount kept, not the note handed over). A shift must be open on
 * the register, and the actor needs the sell permission.
 *
 * Returns: (transfer full): the stored order with its number and id, or
 *   %NULL with @error set */
KassaOrder *kassa_shop_complete_sale (KassaShop     *self,
                                      gint64         cart_id,
                                      GPtrArray     *payments,
                                      GDateTime     *now,
                                      GError       **error);

/* The amount a sale of cart @cart_id comes to, with the cash rounding
 * applied when @cash is TRUE: what the payment dialog asks for. */
gboolean    kassa_shop_get_amount_due (KassaShop     *self,
                                       gint64         cart_id,
                                       gboolean       cash,
                                       gint64        *amount_due,
                                       GError       **error);

/* The provider id of cash tenders. */
#define KASSA_PAYMENT_PROVIDER_CASH "cash"

G_END_DECLS
