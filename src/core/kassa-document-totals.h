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

/* Unit prices are taken as the store enters them: gross or net after
 * @settings->prices_include_tax. */
KassaTotals *kassa_cart_compute_totals    (KassaCart               *cart,
                                           const KassaTaxSettings  *settings,
                                           gint64                   cash_rounding_step,
                                           GError                 **error);
/* Order lines hold net prices, so prices_include_tax is ignored. A
 * shipping cost adds one last line (quantity 1, "shipping-tax-rate"). */
KassaTotals *kassa_order_compute_totals   (KassaOrder              *order,
                                           const KassaTaxSettings  *settings,
                                           gint64                   cash_rounding_step,
                                           GError                 **error);
/* Invoice lines hold net prices, so prices_include_tax is ignored. A
 * credit note's totals are positive: they say how much is credited. */
KassaTotals *kassa_invoice_compute_totals (KassaInvoice            *invoice,
                                           const KassaTaxSettings  *settings,
                                           gint64                   cash_rounding_step,
                                           GError                 **error);

G_END_DECLS
