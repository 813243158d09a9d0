/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <locale.h>

#include "kassa-core-enums.h"
#include "kassa-currency.h"

G_BEGIN_DECLS

/* Amounts are gint64 minor units of one currency, quantities gint64
 * thousandths, rates (tax, percent discounts) gint64 parts per million.
 * Nothing here uses floating point. */

#define KASSA_QUANTITY_ONE  G_GINT64_CONSTANT (1000)
#define KASSA_RATE_PERCENT  G_GINT64_CONSTANT (10000)    /* 1 % in ppm */
#define KASSA_RATE_WHOLE    G_GINT64_CONSTANT (1000000)  /* 100 % in ppm */

/* Checked arithmetic: FALSE (and *out untouched) on overflow. */
gboolean kassa_checked_add (gint64  a,
                            gint64  b,
                            gint64 *out);
gboolean kassa_checked_sub (gint64  a,
                            gint64  b,
                            gint64 *out);
gboolean kassa_checked_mul (gint64  a,
                            gint64  b,
                            gint64 *out);

/* value × numerator ÷ denominator, computed exactly and rounded once
 * with @mode; KASSA_ERROR_OVERFLOW when the result does not fit. */
gboolean kassa_mul_div_round (gint64              value,
                              gint64              numerator,
                              gint64              denominator,
                              KassaRoundingMode   mode,
                              gint64             *out,
                              GError            **error);

/* Split @total over @n_weights parts proportionally to @weights by the
 * largest-remainder method: the parts add up to @total exactly. Weights
 * may have any sign. When the weights add up to zero there is nothing to
 * be proportional to: a zero @total gives all parts 0, any other @total
 * returns FALSE with KASSA_ERROR_INVALID. */
gboolean kassa_allocate (gint64         total,
                         const gint64  *weights,
                         guint          n_weights,
                         gint64        *parts,
                         GError       **error);

/* Parse an exact decimal ("-12.5", "+0.05", "1234") into minor units of
 * @currency. @decimal_point is '.' or ','; digits on both sides of it, an
 * optional sign, no spaces, grouping separators, exponent or symbol
 * (KASSA_ERROR_INVALID). More decimals than the currency has →
 * KASSA_ERROR_PRECISION; too large → KASSA_ERROR_OVERFLOW. */
gboolean kassa_money_parse          (const KassaCurrency  *currency,
                                     const char           *text,
                                     char                  decimal_point,
                                     gint64               *minor,
                                     GError              **error);
/* "1234.50" for machines: always '.', exactly the currency's digits. */
char    *kassa_money_format_plain   (const KassaCurrency  *currency,
                                     gint64                minor);
/* "€1,234.50" / "1.234,50 €" for people, after the LC_MONETARY locale. */
char    *kassa_money_format_display (const KassaCurrency  *currency,
                                     gint64                minor);
/* The same after explicit conventions instead of the current locale's;
 * a @conv without mon_decimal_point gives the C-locale form
 * ("€1,234.50", "CHF 5.00"). */
char    *kassa_money_format_display_for (const KassaCurrency  *currency,
                                         gint64                minor,
                                         const struct lconv   *conv);

/* Quantities in thousandths: "1.5" → 1500, at most three decimals. */
gboolean kassa_quantity_parse  (const char  *text,
                                char         decimal_point,
                                gint64      *milli,
                                GError     **error);
/* Shortest exact form: 1500 → "1.5", 3000 → "3". */
char    *kassa_quantity_format (gint64       milli);

/* Rates in ppm from a percent string: "20" → 200000, "9.975" → 99750,
 * at most four decimals; must lie within 0 … 100 % for tax rates but
 * the parser itself only checks the syntax. */
gboolean kassa_rate_parse  (const char  *text,
                            char         decimal_point,
                            gint64      *ppm,
                            GError     **error);
/* Shortest exact percent form: 200000 → "20", 55000 → "5.5". */
char    *kassa_rate_format (gint64       ppm);

G_END_DECLS
