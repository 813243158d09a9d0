/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "kassa-cart.h"
#include "kassa-order.h"
#include "kassa-totals.h"

G_BEGIN_DECLS

/* Turns the cart at the till into the order it sells: one order line per
 * cart line with the price actually charged (overrides included), the
 * line and document discounts, the customer, the delivery method and
 * address exactly as typed, and the store's tax rules at the moment of
 * the sale, which the order then keeps for good. The order is in manual
 * mode, unpaid and unnumbered; the caller adds payments and stores it.
 * An empty cart, or a parked one, is refused (KASSA_ERROR_INVALID,
 * KASSA_ERROR_LOCKED). */
KassaOrder *kassa_sale_build_order (KassaCart               *cart,
                                    const KassaTaxSettings  *settings,
                                    GDateTime               *now,
                                    GError                 **error);

G_END_DECLS
