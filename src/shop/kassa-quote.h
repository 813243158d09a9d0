/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Computes the totals of a quote described as JSON and returns them as
 * compact JSON. The input looks like
 *
 *   {"currency": "EUR", "prices_include_tax": false,
 *    "tax_scope": "document" | "line", "rounding": "half-up" | "half-even",
 *    "cash_rounding": "0.05", "discount": {"percent": "10"} | {"amount": "5.00"},
 *    "lines": [{"name": "A", "quantity": "3", "unit_price": "0.99",
 *               "tax_rate": "20", "discount": {…}, "return": true}]}
 *
 * where every number is an exact decimal string; prices_include_tax,
 * tax_scope, rounding, cash_rounding, the discounts and return are
 * optional, unknown keys are ignored. The output holds currency,
 * untaxed, tax, total, cash_rounding, taxes (rate, base, amount per
 * rate) and lines (name, net, tax), amounts as plain decimal strings in
 * the currency's minor unit and rates as percent strings.
 *
 * Errors are KASSA_ERROR with a one-line message that starts with the
 * field at fault ("lines[2].unit_price: …"). */
char *kassa_quote_compute_json (const char  *input,
                                gssize       length,
                                GError     **error);

G_END_DECLS
