/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "kassa-cart.h"
#include "kassa-invoice.h"
#include "kassa-order.h"
#include "kassa-totals.h"

G_BEGIN_DECLS

/* Totals of the domain's documents. These only translate a document
 * into lines for kassa_totals_compute(), which does all the arithmetic.
 * @settings->currency must be the document's currency
 * (KASSA_ERROR_CURRENCY_MISMATCH otherwise); @cash_rounding_step is in
 * minor units, 0 for no cash rounding. The result's lines follow the
 * document's lines in order. */

/* A cart is priced under the store's current @settings. */
KassaTotals *kassa_cart_compute_totals    (KassaCart               *cart,
                                           const KassaTaxSettings  *settings,
                                           gint64                   cash_rounding_step,
                                           GError                 **error);
/* Orders and invoices keep the tax rules they were made under
 * ("prices-include-tax", "tax-scope", "rounding"), so an old document
 * always adds up the same: only the currency is taken from @settings.
 * An order's shipping cost adds one last line (quantity 1, at
 * "shipping-tax-rate"); its document discount applies as on a cart. A
 * credit note's totals are positive: they say how much is credited. */
KassaTotals *kassa_order_compute_totals   (KassaOrder              *order,
                                           const KassaTaxSettings  *settings,
                                           gint64                   cash_rounding_step,
                                           GError                 **error);
KassaTotals *kassa_invoice_compute_totals (KassaInvoice            *invoice,
                                           const KassaTaxSettings  *settings,
                                           gint64                   cash_rounding_step,
                                           GError                 **error);

G_END_DECLS
