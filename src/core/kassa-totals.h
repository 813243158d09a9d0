/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-core-enums.h"
#include "kassa-currency.h"

G_BEGIN_DECLS

/* The one place where Kassa computes what a document costs. Carts,
 * receipts, reprints, invoices, reports and the amount sent to Stripe
 * all call kassa_totals_compute(); nothing else adds up taxes. */

/**
 * KassaTaxSettings:
 * @currency: the document currency
 * @prices_include_tax: unit prices are gross (retail) rather than net (B2B)
 * @tax_scope: round tax once per rate, or on every line
 * @rounding: how ties are rounded everywhere in the computation
 *
 * The store's tax settings, copied onto every document.
 */
typedef struct
{
  const KassaCurrency *currency;
  gboolean             prices_include_tax;
  KassaTaxScope        tax_scope;
  KassaRoundingMode    rounding;
} KassaTaxSettings;

/**
 * KassaTotalsLine:
 * @quantity: thousandths; negative on a return line
 * @unit_price: minor units, gross or net after @prices_include_tax
 * @tax_rate: parts per million
 * @discount_kind: the line discount
 * @discount_value: ppm for a percent (0 … 100 %), minor units for an amount
 *   (for the whole line); an amount is either a magnitude, which takes the
 *   sign of the line, or a value of the line's own sign, and may not
 *   exceed the line amount
 */
typedef struct
{
  gint64            quantity;
  gint64            unit_price;
  gint64            tax_rate;
  KassaDiscountKind discount_kind;
  gint64            discount_value;
} KassaTotalsLine;

/**
 * KassaTotalsOptions:
 * @discount_kind: a discount on the whole document, spread over the lines
 *   by largest remainder
 * @discount_value: ppm for a percent of the subtotal after line discounts,
 *   minor units for an amount (a magnitude that takes the sign of that
 *   subtotal, or a value of its sign; it may not exceed the subtotal)
 * @cash_rounding_step: minor units (5 for 0.05 CHF); 0 when the tender is
 *   not cash or the store does not round
 */
typedef struct
{
  KassaDiscountKind discount_kind;
  gint64            discount_value;
  gint64            cash_rounding_step;
} KassaTotalsOptions;

/**
 * KassaLineTotals:
 * @amount: quantity × unit price rounded to the minor unit, before discounts
 *   (gross when prices include tax, net otherwise)
 * @line_discount: the line's own discount, in the same basis as @amount
 * @document_discount: the line's share of the document discount, same basis
 * @net: the line's untaxed amount after all discounts
 * @tax: the line's tax; in document scope the per-rate tax is spread over
 *   the rate's lines by largest remainder, so the lines add up to it
 * @total: @net + @tax
 */
typedef struct
{
  gint64 amount;
  gint64 line_discount;
  gint64 document_discount;
  gint64 net;
  gint64 tax;
  gint64 total;
} KassaLineTotals;

/**
 * KassaTaxLine:
 * @rate: parts per million
 * @base: the sum of the nets of this rate
 * @tax: the tax of this rate
 * @gross: @base + @tax
 */
typedef struct
{
  gint64 rate;
  gint64 base;
  gint64 tax;
  gint64 gross;
} KassaTaxLine;

#define KASSA_TYPE_TOTALS (kassa_totals_get_type ())

typedef struct _KassaTotals KassaTotals;

GType                  kassa_totals_get_type           (void) G_GNUC_CONST;

/* Invariants of every result: untaxed + tax = total; the tax lines'
 * bases add up to untaxed and their taxes to tax; the lines' nets add
 * up to untaxed and their taxes to tax; amount_due = total + cash_rounding.
 * Tax lines come sorted by rate. Where one rate mixes sales and returns,
 * its total is spread from each line's own exact figure rather than in
 * proportion to a total that may be tiny or zero, so every line keeps
 * within a unit of its own tax (or net, for gross prices).
 * Fails with KASSA_ERROR_INVALID (bad rate, discount beyond the amount),
 * KASSA_ERROR_OVERFLOW, never with a wrong total. */
KassaTotals           *kassa_totals_compute            (const KassaTaxSettings   *settings,
                                                        const KassaTotalsOptions *options,
                                                        const KassaTotalsLine    *lines,
                                                        guint                     n_lines,
                                                        GError                  **error);
KassaTotals           *kassa_totals_ref                (KassaTotals              *totals);
void                   kassa_totals_unref              (KassaTotals              *totals);

const KassaCurrency   *kassa_totals_get_currency       (const KassaTotals        *totals);
gint64                 kassa_totals_get_untaxed        (const KassaTotals        *totals);
gint64                 kassa_totals_get_tax            (const KassaTotals        *totals);
gint64                 kassa_totals_get_total          (const KassaTotals        *totals);
gint64                 kassa_totals_get_discount       (const KassaTotals        *totals);
gint64                 kassa_totals_get_cash_rounding  (const KassaTotals        *totals);
gint64                 kassa_totals_get_amount_due     (const KassaTotals        *totals);
guint                  kassa_totals_get_n_tax_lines    (const KassaTotals        *totals);
const KassaTaxLine    *kassa_totals_get_tax_line       (const KassaTotals        *totals,
                                                        guint                     index);
guint                  kassa_totals_get_n_lines        (const KassaTotals        *totals);
const KassaLineTotals *kassa_totals_get_line           (const KassaTotals        *totals,
                                                        guint                     index);

/* Round @amount to a multiple of @step (cash rounding for a cash tender). */
gint64                 kassa_cash_round                (gint64                    amount,
                                                        gint64                    step,
                                                        KassaRoundingMode         mode);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KassaTotals, kassa_totals_unref)

G_END_DECLS
