/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-totals"

#include "config.h"

#include <string.h>

#include "kassa-error.h"
#include "kassa-money.h"
#include "kassa-totals.h"

#define EXCL FALSE
#define INCL TRUE
#define DOC  KASSA_TAX_SCOPE_DOCUMENT
#define LINE KASSA_TAX_SCOPE_LINE
#define UP   KASSA_ROUNDING_HALF_UP
#define EVEN KASSA_ROUNDING_HALF_EVEN

#define L(q, p, r)       { (q), (p), (r), KASSA_DISCOUNT_NONE, 0 }
#define LP(q, p, r, pct) { (q), (p), (r), KASSA_DISCOUNT_PERCENT, (pct) }
#define LA(q, p, r, amt) { (q), (p), (r), KASSA_DISCOUNT_AMOUNT, (amt) }
#define NO_DISCOUNT      KASSA_DISCOUNT_NONE, 0

#define MAX_LINES 10

typedef struct
{
  const char        *path;
  const char        *currency;
  gboolean           inclusive;
  KassaTaxScope      scope;
  KassaRoundingMode  mode;
  KassaDiscountKind  discount_kind;
  gint64             discount_value;
  gint64             step;
  guint              n_lines;
  KassaTotalsLine    lines[MAX_LINES];
  gint64             untaxed, tax, total, cash_rounding, discount;
  gint64             net[MAX_LINES];
  gint64             line_tax[MAX_LINES];
  guint              n_tax_lines;
  KassaTaxLine       taxes[3];
} Example;

/* Checks every invariant the engine promises; used on worked examples
 * and on random carts alike. */
static void
assert_invariants (const KassaTotals *totals)
{
  /* Wide sums: partial sums of mixed-sign amounts may leave 64 bits. */
  __int128 bases = 0, rate_taxes = 0, nets = 0, line_taxes = 0;

  for (guint i = 0; i < kassa_totals_get_n_tax_lines (totals); i++)
    {
      const KassaTaxLine *tl = kassa_totals_get_tax_line (totals, i);

      bases += tl->base;
      rate_taxes += tl->tax;
      g_assert_cmpint (tl->base + tl->tax, ==, tl->gross);
      if (i > 0)
        g_assert_cmpint (kassa_totals_get_tax_line (totals, i - 1)->rate, <, tl->rate);
    }

  for (guint i = 0; i < kassa_totals_get_n_lines (totals); i++)
    {
      const KassaLineTotals *line = kassa_totals_get_line (totals, i);

      nets += line->net;
      line_taxes += line->tax;
      g_assert_cmpint (line->net + line->tax, ==, line->total);
    }

  g_assert_cmpint (kassa_totals_get_untaxed (totals) + kassa_totals_get_tax (totals), ==,
                   kassa_totals_get_total (totals));
  g_assert_true (bases == kassa_totals_get_untaxed (totals));
  g_assert_true (rate_taxes == kassa_totals_get_tax (totals));
  g_assert_true (nets == kassa_totals_get_untaxed (totals));
  g_assert_true (line_taxes == kassa_totals_get_tax (totals));
  g_assert_cmpint (kassa_totals_get_total (totals) + kassa_totals_get_cash_rounding (totals), ==,
                   kassa_totals_get_amount_due (totals));
}

static KassaTotals *
compute (const char               *code,
         gboolean                  inclusive,
         KassaTaxScope             scope,
         KassaRoundingMode         mode,
         KassaDiscountKind         discount_kind,
         gint64                    discount_value,
         gint64                    step,
         const KassaTotalsLine    *lines,
         guint                     n_lines,
         GError                  **error)
{
  KassaTaxSettings settings = { NULL, inclusive, scope, mode };
  KassaTotalsOptions options = { discount_kind, discount_value, step };

  settings.currency = kassa_currency_lookup (code, NULL);
  g_assert_nonnull (settings.currency);

  return kassa_totals_compute (&settings, &options, lines, n_lines, error);
}

/* Each example's expected figures were worked out by hand; the
 * comment above it shows the arithmetic. Amounts are minor units,
 * quantities thousandths, rates ppm. */
static const Example examples[] = {
  /* 3 × 0.99 = 2.97; tax 2.97 × 20 % = 0.594 → 0.59; total 3.56 */
  { "/kassa/totals/exclusive-document-basic", "EUR", EXCL, DOC, UP, NO_DISCOUNT, 0,
    1, { L (3000, 99, 200000) },
    297, 59, 356, 0, 0, { 297 }, { 59 },
    1, { { 200000, 297, 59, 356 } } },

  /* 10 × 0.99 at 20 %: base 9.90, tax 1.98 once. Spread over ten equal
   * nets: 0.198 each → 0.19 each (1.90) and the 8 cents left go to the
   * first eight lines. */
  { "/kassa/totals/small-lines-20-document", "EUR", EXCL, DOC, UP, NO_DISCOUNT, 0,
    10, { L (1000, 99, 200000), L (1000, 99, 200000), L (1000, 99, 200000), L (1000, 99, 200000),
          L (1000, 99, 200000), L (1000, 99, 200000), L (1000, 99, 200000), L (1000, 99, 200000),
          L (1000, 99, 200000), L (1000, 99, 200000) },
    990, 198, 1188, 0, 0,
    { 99, 99, 99, 99, 99, 99, 99, 99, 99, 99 },
    { 20, 20, 20, 20, 20, 20, 20, 20, 19, 19 },
    1, { { 200000, 990, 198, 1188 } } },

  /* Same cart, line scope: each 0.198 → 0.20, so 2.00 of tax instead of 1.98. */
  { "/kassa/totals/small-lines-20-line", "EUR", EXCL, LINE, UP, NO_DISCOUNT, 0,
    10, { L (1000, 99, 200000), L (1000, 99, 200000), L (1000, 99, 200000), L (1000, 99, 200000),
          L (1000, 99, 200000), L (1000, 99, 200000), L (1000, 99, 200000), L (1000, 99, 200000),
          L (1000, 99, 200000), L (1000, 99, 200000) },
    990, 200, 1190, 0, 0,
    { 99, 99, 99, 99, 99, 99, 99, 99, 99, 99 },
    { 20, 20, 20, 20, 20, 20, 20, 20, 20, 20 },
    1, { { 200000, 990, 200, 1190 } } },

  /* 4 × 0.10 at 5.5 %: base 0.40, tax 0.022 → 0.02; 0.005 per line → two
   * cents left over after flooring, to the first two lines. */
  { "/kassa/totals/small-lines-5.5-document", "EUR", EXCL, DOC, UP, NO_DISCOUNT, 0,
    4, { L (1000, 10, 55000), L (1000, 10, 55000), L (1000, 10, 55000), L (1000, 10, 55000) },
    40, 2, 42, 0, 0, { 10, 10, 10, 10 }, { 1, 1, 0, 0 },
    1, { { 55000, 40, 2, 42 } } },

  /* Line scope: 0.10 × 5.5 % = 0.0055 → 0.01 on every line, 0.04 in all. */
  { "/kassa/totals/small-lines-5.5-line", "EUR", EXCL, LINE, UP, NO_DISCOUNT, 0,
    4, { L (1000, 10, 55000), L (1000, 10, 55000), L (1000, 10, 55000), L (1000, 10, 55000) },
    40, 4, 44, 0, 0, { 10, 10, 10, 10 }, { 1, 1, 1, 1 },
    1, { { 55000, 40, 4, 44 } } },

  /* 3 × 3.33 at 9.975 %: base 9.99, tax 0.9965025 → 1.00; 0.3333 per
   * line → 0.33 each, the cent left to the first. */
  { "/kassa/totals/small-lines-9.975-document", "EUR", EXCL, DOC, UP, NO_DISCOUNT, 0,
    3, { L (1000, 333, 99750), L (1000, 333, 99750), L (1000, 333, 99750) },
    999, 100, 1099, 0, 0, { 333, 333, 333 }, { 34, 33, 33 },
    1, { { 99750, 999, 100, 1099 } } },

  /* Line scope: 3.33 × 9.975 % = 0.3321675 → 0.33 per line, 0.99 in all. */
  { "/kassa/totals/small-lines-9.975-line", "EUR", EXCL, LINE, UP, NO_DISCOUNT, 0,
    3, { L (1000, 333, 99750), L (1000, 333, 99750), L (1000, 333, 99750) },
    999, 99, 1098, 0, 0, { 333, 333, 333 }, { 33, 33, 33 },
    1, { { 99750, 999, 99, 1098 } } },

  /* Three rates: 10.00 × 9.975 % = 0.9975 → 1.00; 7.00 × 5.5 % = 0.385 →
   * 0.39 (tie, away from zero); 1.99 × 20 % = 0.398 → 0.40. Tax lines
   * come out sorted by rate. */
  { "/kassa/totals/three-rates-half-up", "EUR", EXCL, DOC, UP, NO_DISCOUNT, 0,
    3, { L (1000, 1000, 99750), L (1000, 700, 55000), L (1000, 199, 200000) },
    1899, 179, 2078, 0, 0, { 1000, 700, 199 }, { 100, 39, 40 },
    3, { { 55000, 700, 39, 739 }, { 99750, 1000, 100, 1100 }, { 200000, 199, 40, 239 } } },

  /* Half-even: 0.385 → 0.38 (8 is even); the others are not ties. */
  { "/kassa/totals/three-rates-half-even", "EUR", EXCL, DOC, EVEN, NO_DISCOUNT, 0,
    3, { L (1000, 1000, 99750), L (1000, 700, 55000), L (1000, 199, 200000) },
    1899, 178, 2077, 0, 0, { 1000, 700, 199 }, { 100, 38, 40 },
    3, { { 55000, 700, 38, 738 }, { 99750, 1000, 100, 1100 }, { 200000, 199, 40, 239 } } },

  /* Gross 3 × 1.00 at 20 %: net 3.00 ÷ 1.2 = 2.50, tax 0.50. Nets spread
   * over equal grosses: 0.8333 → 0.83 each plus one cent to the first;
   * line taxes are what remains of each gross. */
  { "/kassa/totals/inclusive-document-rounding", "EUR", INCL, DOC, UP, NO_DISCOUNT, 0,
    3, { L (1000, 100, 200000), L (1000, 100, 200000), L (1000, 100, 200000) },
    250, 50, 300, 0, 0, { 84, 83, 83 }, { 16, 17, 17 },
    1, { { 200000, 250, 50, 300 } } },

  /* Line scope: each 1.00 ÷ 1.2 = 0.8333 → 0.83, tax 0.17; the line taxes
   * add up to 0.51, not the 0.50 the rate would give. The gross stays 3.00. */
  { "/kassa/totals/inclusive-line-rounding", "EUR", INCL, LINE, UP, NO_DISCOUNT, 0,
    3, { L (1000, 100, 200000), L (1000, 100, 200000), L (1000, 100, 200000) },
    249, 51, 300, 0, 0, { 83, 83, 83 }, { 17, 17, 17 },
    1, { { 200000, 249, 51, 300 } } },

  /* Gross 1.00 at 5.5 %: 1.00 ÷ 1.055 = 0.94787 → 0.95, tax 0.05. */
  { "/kassa/totals/inclusive-5.5", "EUR", INCL, DOC, UP, NO_DISCOUNT, 0,
    1, { L (1000, 100, 55000) },
    95, 5, 100, 0, 0, { 95 }, { 5 },
    1, { { 55000, 95, 5, 100 } } },

  /* Line scope, two rates: 2.99 ÷ 1.2 = 2.4917 → 2.49 (tax 0.50);
   * 1.49 ÷ 1.055 = 1.41232 → 1.41 (tax 0.08). */
  { "/kassa/totals/inclusive-two-rates-line", "EUR", INCL, LINE, UP, NO_DISCOUNT, 0,
    2, { L (1000, 299, 200000), L (1000, 149, 55000) },
    390, 58, 448, 0, 0, { 249, 141 }, { 50, 8 },
    2, { { 55000, 141, 8, 149 }, { 200000, 249, 50, 299 } } },

  /* 0.25 × 10 % = 0.025: a half-cent tie → 0.03 away from zero. */
  { "/kassa/totals/tie-tax-half-up", "EUR", EXCL, DOC, UP, NO_DISCOUNT, 0,
    1, { L (1000, 25, 100000) },
    25, 3, 28, 0, 0, { 25 }, { 3 },
    1, { { 100000, 25, 3, 28 } } },

  /* The same tie half-even → 0.02. */
  { "/kassa/totals/tie-tax-half-even", "EUR", EXCL, DOC, EVEN, NO_DISCOUNT, 0,
    1, { L (1000, 25, 100000) },
    25, 2, 27, 0, 0, { 25 }, { 2 },
    1, { { 100000, 25, 2, 27 } } },

  /* Line amount tie: 0.5 × 0.05 = 0.025 → 0.03 half-up. */
  { "/kassa/totals/tie-amount-half-up", "EUR", EXCL, DOC, UP, NO_DISCOUNT, 0,
    1, { L (500, 5, 0) },
    3, 0, 3, 0, 0, { 3 }, { 0 },
    1, { { 0, 3, 0, 3 } } },

  /* … and 0.02 half-even. */
  { "/kassa/totals/tie-amount-half-even", "EUR", EXCL, DOC, EVEN, NO_DISCOUNT, 0,
    1, { L (500, 5, 0) },
    2, 0, 2, 0, 0, { 2 }, { 0 },
    1, { { 0, 2, 0, 2 } } },

  /* Return: −0.25 × 10 % = −0.025 → −0.03 (away from zero). */
  { "/kassa/totals/tie-negative-half-up", "EUR", EXCL, DOC, UP, NO_DISCOUNT, 0,
    1, { L (-1000, 25, 100000) },
    -25, -3, -28, 0, 0, { -25 }, { -3 },
    1, { { 100000, -25, -3, -28 } } },

  /* … −0.02 half-even. */
  { "/kassa/totals/tie-negative-half-even", "EUR", EXCL, DOC, EVEN, NO_DISCOUNT, 0,
    1, { L (-1000, 25, 100000) },
    -25, -2, -27, 0, 0, { -25 }, { -2 },
    1, { { 100000, -25, -2, -27 } } },

  /* 0.05 + 0.20 at 10 %: base 0.25, tax 0.025 → 0.03. Spread 3 over 5:20
   * → 0.6 and 2.4: floors 0 and 2, the cent left goes to 0.6. */
  { "/kassa/totals/tie-document-half-up", "EUR", EXCL, DOC, UP, NO_DISCOUNT, 0,
    2, { L (1000, 5, 100000), L (1000, 20, 100000) },
    25, 3, 28, 0, 0, { 5, 20 }, { 1, 2 },
    1, { { 100000, 25, 3, 28 } } },

  /* Half-even: 0.025 → 0.02; 2 over 5:20 → 0.4 and 1.6: the cent left
   * goes to 1.6. */
  { "/kassa/totals/tie-document-half-even", "EUR", EXCL, DOC, EVEN, NO_DISCOUNT, 0,
    2, { L (1000, 5, 100000), L (1000, 20, 100000) },
    25, 2, 27, 0, 0, { 5, 20 }, { 0, 2 },
    1, { { 100000, 25, 2, 27 } } },

  /* Line scope half-even: 0.005 → 0.00, 0.02 → 0.02. */
  { "/kassa/totals/tie-line-half-even", "EUR", EXCL, LINE, EVEN, NO_DISCOUNT, 0,
    2, { L (1000, 5, 100000), L (1000, 20, 100000) },
    25, 2, 27, 0, 0, { 5, 20 }, { 0, 2 },
    1, { { 100000, 25, 2, 27 } } },

  /* Gross 0.01 at 100 %: net 0.005 is a tie → 0.01 half-up, no tax left. */
  { "/kassa/totals/tie-inclusive-half-up", "EUR", INCL, LINE, UP, NO_DISCOUNT, 0,
    1, { L (1000, 1, 1000000) },
    1, 0, 1, 0, 0, { 1 }, { 0 },
    1, { { 1000000, 1, 0, 1 } } },

  /* … half-even → net 0.00, tax 0.01. */
  { "/kassa/totals/tie-inclusive-half-even", "EUR", INCL, LINE, EVEN, NO_DISCOUNT, 0,
    1, { L (1000, 1, 1000000) },
    0, 1, 1, 0, 0, { 0 }, { 1 },
    1, { { 1000000, 0, 1, 1 } } },

  /* JPY has no decimals: 3 × ¥333 = ¥999, tax 99.9 → ¥100. */
  { "/kassa/totals/jpy-exclusive", "JPY", EXCL, DOC, UP, NO_DISCOUNT, 0,
    1, { L (3000, 333, 100000) },
    999, 100, 1099, 0, 0, { 999 }, { 100 },
    1, { { 100000, 999, 100, 1099 } } },

  /* ¥1000 gross at 8 %: 1000 ÷ 1.08 = 925.93 → ¥926, tax ¥74. */
  { "/kassa/totals/jpy-inclusive", "JPY", INCL, DOC, UP, NO_DISCOUNT, 0,
    1, { L (1000, 1000, 80000) },
    926, 74, 1000, 0, 0, { 926 }, { 74 },
    1, { { 80000, 926, 74, 1000 } } },

  /* ¥50 off 3 × ¥100: 16.67 each → 16 each, 2 left to the first two
   * (17, 17, 16); nets 83, 83, 84. Tax 250 × 10 % = 25 spread over
   * 83:83:84 → 8.3, 8.3, 8.4 → 8, 8, 8 and the yen left to 8.4. */
  { "/kassa/totals/jpy-document-discount", "JPY", EXCL, DOC, UP, KASSA_DISCOUNT_AMOUNT, 50, 0,
    3, { L (1000, 100, 100000), L (1000, 100, 100000), L (1000, 100, 100000) },
    250, 25, 275, 0, 50, { 83, 83, 84 }, { 8, 8, 9 },
    1, { { 100000, 250, 25, 275 } } },

  /* KWD has three decimals: 0.250 × 5 % = 0.0125 → 0.013 half-up. */
  { "/kassa/totals/kwd-half-up", "KWD", EXCL, DOC, UP, NO_DISCOUNT, 0,
    1, { L (1000, 250, 50000) },
    250, 13, 263, 0, 0, { 250 }, { 13 },
    1, { { 50000, 250, 13, 263 } } },

  /* … 0.012 half-even. */
  { "/kassa/totals/kwd-half-even", "KWD", EXCL, DOC, EVEN, NO_DISCOUNT, 0,
    1, { L (1000, 250, 50000) },
    250, 12, 262, 0, 0, { 250 }, { 12 },
    1, { { 50000, 250, 12, 262 } } },

  /* 1.000 KWD gross at 5 %: 1.000 ÷ 1.05 = 0.95238 → 0.952, tax 0.048. */
  { "/kassa/totals/kwd-inclusive", "KWD", INCL, DOC, UP, NO_DISCOUNT, 0,
    1, { L (1000, 1000, 50000) },
    952, 48, 1000, 0, 0, { 952 }, { 48 },
    1, { { 50000, 952, 48, 1000 } } },

  /* BHD: 3 × 0.333 = 0.999, tax 10 % = 0.0999 → 0.100. */
  { "/kassa/totals/bhd-exclusive", "BHD", EXCL, DOC, UP, NO_DISCOUNT, 0,
    1, { L (3000, 333, 100000) },
    999, 100, 1099, 0, 0, { 999 }, { 100 },
    1, { { 100000, 999, 100, 1099 } } },

  /* 100 % off 2 × 5.00 leaves 0.00; the other line 10.00 + 2.00 tax.
   * Tax 2.00 spread over 0:10.00 all lands on the second line. */
  { "/kassa/totals/line-discount-100-percent", "EUR", EXCL, DOC, UP, NO_DISCOUNT, 0,
    2, { LP (2000, 500, 200000, 1000000), L (1000, 1000, 200000) },
    1000, 200, 1200, 0, 1000, { 0, 1000 }, { 0, 200 },
    1, { { 200000, 1000, 200, 1200 } } },

  /* 10.00 − 2.50 = 7.50, tax 1.50. */
  { "/kassa/totals/line-discount-amount", "EUR", EXCL, DOC, UP, NO_DISCOUNT, 0,
    1, { LA (1000, 1000, 200000, 250) },
    750, 150, 900, 0, 250, { 750 }, { 150 },
    1, { { 200000, 750, 150, 900 } } },

  /* 5 % of 0.50 = 0.025 → 0.03 half-up, net 0.47. */
  { "/kassa/totals/line-discount-tie-half-up", "EUR", EXCL, DOC, UP, NO_DISCOUNT, 0,
    1, { LP (1000, 50, 0, 50000) },
    47, 0, 47, 0, 3, { 47 }, { 0 },
    1, { { 0, 47, 0, 47 } } },

  /* … 0.02 half-even, net 0.48. */
  { "/kassa/totals/line-discount-tie-half-even", "EUR", EXCL, DOC, EVEN, NO_DISCOUNT, 0,
    1, { LP (1000, 50, 0, 50000) },
    48, 0, 48, 0, 2, { 48 }, { 0 },
    1, { { 0, 48, 0, 48 } } },

  /* 1.00 off 3 × 1.00: 0.3333 each → 0.33 each, the cent left to the first
   * (0.34); nets 0.66, 0.67, 0.67. 20 %: base 1.33, tax 0.266 → 0.27,
   * spread 66:67 → 13.40, 13.60 → 13 and 14. 5.5 %: 0.67 → 0.03685 → 0.04. */
  { "/kassa/totals/document-discount-uneven", "EUR", EXCL, DOC, UP, KASSA_DISCOUNT_AMOUNT, 100, 0,
    3, { L (1000, 100, 200000), L (1000, 100, 200000), L (1000, 100, 55000) },
    200, 31, 231, 0, 100, { 66, 67, 67 }, { 13, 14, 4 },
    2, { { 55000, 67, 4, 71 }, { 200000, 133, 27, 160 } } },

  /* 10 % off 3 × 0.33 = 0.099 → 0.10, spread 3.33 each → 4, 3, 3; nets
   * 0.29, 0.30, 0.30. Tax 0.89 × 20 % = 0.178 → 0.18 spread 29:30:30 →
   * 5.87, 6.07, 6.07 → 5, 6, 6 and the cent left to 5.87. */
  { "/kassa/totals/document-discount-percent-uneven", "EUR", EXCL, DOC, UP,
    KASSA_DISCOUNT_PERCENT, 100000, 0,
    3, { L (1000, 33, 200000), L (1000, 33, 200000), L (1000, 33, 200000) },
    89, 18, 107, 0, 10, { 29, 30, 30 }, { 6, 6, 6 },
    1, { { 200000, 89, 18, 107 } } },

  /* 100 % off the document: everything is zero, both rates stay listed. */
  { "/kassa/totals/document-discount-100-percent", "EUR", EXCL, DOC, UP,
    KASSA_DISCOUNT_PERCENT, 1000000, 0,
    2, { L (1000, 500, 200000), L (1000, 300, 55000) },
    0, 0, 0, 0, 800, { 0, 0 }, { 0, 0 },
    2, { { 55000, 0, 0, 0 }, { 200000, 0, 0, 0 } } },

  /* 10 % off a 10.00 gross: 9.00 gross, net 9.00 ÷ 1.2 = 7.50, tax 1.50. */
  { "/kassa/totals/inclusive-document-discount", "EUR", INCL, DOC, UP,
    KASSA_DISCOUNT_PERCENT, 100000, 0,
    1, { L (1000, 1000, 200000) },
    750, 150, 900, 0, 100, { 750 }, { 150 },
    1, { { 200000, 750, 150, 900 } } },

  /* Weighed: 1.234 kg × 3.99 = 4.92366 → 4.92; 5.5 % = 0.2706 → 0.27. */
  { "/kassa/totals/weighed-quantity", "EUR", EXCL, DOC, UP, NO_DISCOUNT, 0,
    1, { L (1234, 399, 55000) },
    492, 27, 519, 0, 0, { 492 }, { 27 },
    1, { { 55000, 492, 27, 519 } } },

  /* Returned 0.5 kg × 3.97 = −1.985 → −1.99 half-up. */
  { "/kassa/totals/weighed-return-half-up", "EUR", EXCL, DOC, UP, NO_DISCOUNT, 0,
    1, { L (-500, 397, 0) },
    -199, 0, -199, 0, 0, { -199 }, { 0 },
    1, { { 0, -199, 0, -199 } } },

  /* … −1.98 half-even. */
  { "/kassa/totals/weighed-return-half-even", "EUR", EXCL, DOC, EVEN, NO_DISCOUNT, 0,
    1, { L (-500, 397, 0) },
    -198, 0, -198, 0, 0, { -198 }, { 0 },
    1, { { 0, -198, 0, -198 } } },

  /* 12.33 CHF in cash → 12.35: +0.02. */
  { "/kassa/totals/cash-rounding-chf-up", "CHF", EXCL, DOC, UP, NO_DISCOUNT, 5,
    1, { L (1000, 1233, 0) },
    1233, 0, 1233, 2, 0, { 1233 }, { 0 },
    1, { { 0, 1233, 0, 1233 } } },

  /* 12.32 CHF → 12.30: −0.02. */
  { "/kassa/totals/cash-rounding-chf-down", "CHF", EXCL, DOC, UP, NO_DISCOUNT, 5,
    1, { L (1000, 1232, 0) },
    1232, 0, 1232, -2, 0, { 1232 }, { 0 },
    1, { { 0, 1232, 0, 1232 } } },

  /* 10.00 CHF + 8.1 % = 10.81 → 10.80: −0.01. */
  { "/kassa/totals/cash-rounding-chf-vat", "CHF", EXCL, DOC, UP, NO_DISCOUNT, 5,
    1, { L (1000, 1000, 81000) },
    1000, 81, 1081, -1, 0, { 1000 }, { 81 },
    1, { { 81000, 1000, 81, 1081 } } },

  /* A cash refund of 12.33 CHF pays out 12.35: −0.02. */
  { "/kassa/totals/cash-rounding-chf-refund", "CHF", EXCL, DOC, UP, NO_DISCOUNT, 5,
    1, { L (-1000, 1233, 0) },
    -1233, 0, -1233, -2, 0, { -1233 }, { 0 },
    1, { { 0, -1233, 0, -1233 } } },

  /* Step 0.10, 12.25 is a tie: 12.30 half-up (+0.05) … */
  { "/kassa/totals/cash-rounding-tie-half-up", "EUR", EXCL, DOC, UP, NO_DISCOUNT, 10,
    1, { L (1000, 1225, 0) },
    1225, 0, 1225, 5, 0, { 1225 }, { 0 },
    1, { { 0, 1225, 0, 1225 } } },

  /* … 12.20 half-even (−0.05). */
  { "/kassa/totals/cash-rounding-tie-half-even", "EUR", EXCL, DOC, EVEN, NO_DISCOUNT, 10,
    1, { L (1000, 1225, 0) },
    1225, 0, 1225, -5, 0, { 1225 }, { 0 },
    1, { { 0, 1225, 0, 1225 } } },

  /* Sale 0.99 and return 0.50 at 20 %: base 0.49, tax 0.098 → 0.10.
   * With mixed signs each line starts from its own exact tax, floored:
   * 0.198 → 0.19 and −0.10 → −0.10; the cent left goes to the larger
   * fraction (0.8 of 0.198) → 0.20. */
  { "/kassa/totals/return-mixed-signs", "EUR", EXCL, DOC, UP, NO_DISCOUNT, 0,
    2, { L (1000, 99, 200000), L (-1000, 50, 200000) },
    49, 10, 59, 0, 0, { 99, -50 }, { 20, -10 },
    1, { { 200000, 49, 10, 59 } } },

  /* An exchange that cancels out: base 0, tax 0, yet each line keeps its
   * own tax, 1.00 and −1.00. */
  { "/kassa/totals/return-cancels-out", "EUR", EXCL, DOC, UP, NO_DISCOUNT, 0,
    2, { L (1000, 500, 200000), L (-1000, 500, 200000) },
    0, 0, 0, 0, 0, { 500, -500 }, { 100, -100 },
    1, { { 200000, 0, 0, 0 } } },

  /* 100.00 sold, 99.99 returned at 20 %: base 0.01, tax 0.002 → 0.00.
   * Exact line taxes 20.00 and −19.998, floored to 20.00 and −20.00,
   * already add up to 0.00: a refund line shows its real tax. */
  { "/kassa/totals/return-nearly-cancels", "EUR", EXCL, DOC, UP, NO_DISCOUNT, 0,
    2, { L (1000, 10000, 200000), L (-1000, 9999, 200000) },
    1, 0, 1, 0, 0, { 10000, -9999 }, { 2000, -2000 },
    1, { { 200000, 1, 0, 1 } } },

  /* Gross 5.00 sold and returned at 20 %: gross 0, net 0. Exact nets
   * 4.1667 and −4.1667 floor to 4.16 and −4.17; the cent left goes to
   * the larger fraction (0.67 of 4.1667) → 4.17 and −4.17. */
  { "/kassa/totals/inclusive-return-cancels", "EUR", INCL, DOC, UP, NO_DISCOUNT, 0,
    2, { L (1000, 500, 200000), L (-1000, 500, 200000) },
    0, 0, 0, 0, 0, { 417, -417 }, { 83, -83 },
    1, { { 200000, 0, 0, 0 } } },

  /* 50 % off 100.00 sold and 99.99 returned: subtotal 0.01, discount
   * 0.005 → 0.01. Exact shares 50.00 and −49.995 floor to 50.00 and
   * −50.00; the cent left goes to the larger fraction → −49.99. */
  { "/kassa/totals/document-percent-mixed-signs", "EUR", EXCL, DOC, UP,
    KASSA_DISCOUNT_PERCENT, 500000, 0,
    2, { L (1000, 10000, 0), L (-1000, 9999, 0) },
    0, 0, 0, 0, 1, { 5000, -5000 }, { 0, 0 },
    1, { { 0, 0, 0, 0 } } },

  /* The largest amount there is, untaxed: G_MAXINT64 minor units. */
  { "/kassa/totals/largest-amount", "EUR", EXCL, DOC, UP, NO_DISCOUNT, 0,
    1, { L (1000, G_MAXINT64, 0) },
    G_MAXINT64, 0, G_MAXINT64, 0, 0, { G_MAXINT64 }, { 0 },
    1, { { 0, G_MAXINT64, 0, G_MAXINT64 } } },

  /* The same as a gross at 20 %: net = 9223372036854775807 ÷ 1.2
   * = 7686143364045646505.83 → …506; tax = gross − net. */
  { "/kassa/totals/largest-amount-inclusive", "EUR", INCL, DOC, UP, NO_DISCOUNT, 0,
    1, { L (1000, G_MAXINT64, 200000) },
    G_GINT64_CONSTANT (7686143364045646506), G_GINT64_CONSTANT (1537228672809129301), G_MAXINT64,
    0, 0, { G_GINT64_CONSTANT (7686143364045646506) }, { G_GINT64_CONSTANT (1537228672809129301) },
    1, { { 200000, G_GINT64_CONSTANT (7686143364045646506), G_GINT64_CONSTANT (1537228672809129301),
           G_MAXINT64 } } },
};

static void
test_example (gconstpointer data)
{
  const Example *ex = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaTotals) totals = NULL;

  totals = compute (ex->currency, ex->inclusive, ex->scope, ex->mode,
                    ex->discount_kind, ex->discount_value, ex->step,
                    ex->lines, ex->n_lines, &error);
  g_assert_no_error (error);
  g_assert_nonnull (totals);

  g_assert_cmpint (kassa_totals_get_untaxed (totals), ==, ex->untaxed);
  g_assert_cmpint (kassa_totals_get_tax (totals), ==, ex->tax);
  g_assert_cmpint (kassa_totals_get_total (totals), ==, ex->total);
  g_assert_cmpint (kassa_totals_get_cash_rounding (totals), ==, ex->cash_rounding);
  g_assert_cmpint (kassa_totals_get_amount_due (totals), ==, ex->total + ex->cash_rounding);
  g_assert_cmpint (kassa_totals_get_discount (totals), ==, ex->discount);

  g_assert_cmpuint (kassa_totals_get_n_lines (totals), ==, ex->n_lines);
  for (guint i = 0; i < ex->n_lines; i++)
    {
      const KassaLineTotals *line = kassa_totals_get_line (totals, i);

      g_assert_cmpint (line->net, ==, ex->net[i]);
      g_assert_cmpint (line->tax, ==, ex->line_tax[i]);
    }

  g_assert_cmpuint (kassa_totals_get_n_tax_lines (totals), ==, ex->n_tax_lines);
  for (guint i = 0; i < ex->n_tax_lines; i++)
    {
      const KassaTaxLine *tl = kassa_totals_get_tax_line (totals, i);

      g_assert_cmpint (tl->rate, ==, ex->taxes[i].rate);
      g_assert_cmpint (tl->base, ==, ex->taxes[i].base);
      g_assert_cmpint (tl->tax, ==, ex->taxes[i].tax);
      g_assert_cmpint (tl->gross, ==, ex->taxes[i].gross);
    }

  assert_invariants (totals);
}

/* The per-line breakdown keeps the amount, the two discounts and the
 * net apart: 2 × 5.00 with 10 % off the line (1.00), then 2.00 off the
 * document spread 9.00:3.00 → 1.50 and 0.50. */
static void
test_line_breakdown (void)
{
  const KassaTotalsLine lines[] = {
    LP (2000, 500, 200000, 100000),
    L (1000, 300, 200000),
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaTotals) totals = NULL;
  const KassaLineTotals *a, *b;

  totals = compute ("EUR", EXCL, DOC, UP, KASSA_DISCOUNT_AMOUNT, 200, 0,
                    lines, G_N_ELEMENTS (lines), &error);
  g_assert_no_error (error);

  a = kassa_totals_get_line (totals, 0);
  b = kassa_totals_get_line (totals, 1);
  g_assert_cmpint (a->amount, ==, 1000);
  g_assert_cmpint (a->line_discount, ==, 100);
  g_assert_cmpint (a->document_discount, ==, 150);
  g_assert_cmpint (a->net, ==, 750);
  g_assert_cmpint (a->tax, ==, 150);
  g_assert_cmpint (a->total, ==, 900);
  g_assert_cmpint (b->amount, ==, 300);
  g_assert_cmpint (b->line_discount, ==, 0);
  g_assert_cmpint (b->document_discount, ==, 50);
  g_assert_cmpint (b->net, ==, 250);
  g_assert_cmpint (b->tax, ==, 50);
  g_assert_cmpint (kassa_totals_get_discount (totals), ==, 300);
  g_assert_cmpint (kassa_totals_get_total (totals), ==, 1200);
}

/* A return line's fixed discount takes the line's sign: −10.00 with 2.50
 * off refunds 7.50. */
static void
test_return_discount_sign (void)
{
  const KassaTotalsLine lines[] = { LA (-1000, 1000, 0, 250) };
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaTotals) totals = NULL;

  const KassaTotalsLine signed_lines[] = { LA (-1000, 1000, 0, -250) };
  g_autoptr(KassaTotals) signed_totals = NULL;

  totals = compute ("EUR", EXCL, DOC, UP, NO_DISCOUNT, 0, lines, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_totals_get_line (totals, 0)->line_discount, ==, -250);
  g_assert_cmpint (kassa_totals_get_total (totals), ==, -750);
  g_assert_cmpint (kassa_totals_get_discount (totals), ==, -250);

  /* Given with the return's own sign, it means the same. */
  signed_totals = compute ("EUR", EXCL, DOC, UP, NO_DISCOUNT, 0, signed_lines, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_totals_get_line (signed_totals, 0)->line_discount, ==, -250);
  g_assert_cmpint (kassa_totals_get_total (signed_totals), ==, -750);
}

/* 200 × 0.99 at 20 %: base 198.00, tax 39.60 once; 0.198 per line →
 * 0.19 each (38.00) and the 160 cents left to the first 160 lines. More
 * lines than fit the engine's stack scratch space. */
static void
test_many_lines (void)
{
  g_autofree KassaTotalsLine *lines = g_new (KassaTotalsLine, 200);
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaTotals) totals = NULL;

  for (guint i = 0; i < 200; i++)
    {
      KassaTotalsLine line = L (1000, 99, 200000);

      lines[i] = line;
    }

  totals = compute ("EUR", EXCL, DOC, UP, NO_DISCOUNT, 0, lines, 200, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_totals_get_untaxed (totals), ==, 19800);
  g_assert_cmpint (kassa_totals_get_tax (totals), ==, 3960);
  g_assert_cmpint (kassa_totals_get_line (totals, 0)->tax, ==, 20);
  g_assert_cmpint (kassa_totals_get_line (totals, 159)->tax, ==, 20);
  g_assert_cmpint (kassa_totals_get_line (totals, 160)->tax, ==, 19);
  g_assert_cmpint (kassa_totals_get_line (totals, 199)->tax, ==, 19);
  assert_invariants (totals);
}

static void
test_empty (void)
{
  KassaTaxSettings settings = { NULL, FALSE, KASSA_TAX_SCOPE_DOCUMENT, KASSA_ROUNDING_HALF_UP };
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaTotals) totals = NULL;

  settings.currency = kassa_currency_lookup ("EUR", NULL);
  totals = kassa_totals_compute (&settings, NULL, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kassa_totals_get_n_lines (totals), ==, 0);
  g_assert_cmpuint (kassa_totals_get_n_tax_lines (totals), ==, 0);
  g_assert_cmpint (kassa_totals_get_total (totals), ==, 0);
  g_assert_cmpint (kassa_totals_get_amount_due (totals), ==, 0);
  g_assert_true (kassa_totals_get_currency (totals) == settings.currency);
}

static void
test_boxed (void)
{
  const KassaTotalsLine lines[] = { L (1000, 100, 0) };
  KassaTotals *totals, *copy;

  totals = compute ("EUR", EXCL, DOC, UP, NO_DISCOUNT, 0, lines, 1, NULL);
  g_assert_true (G_TYPE_IS_BOXED (KASSA_TYPE_TOTALS));
  copy = g_boxed_copy (KASSA_TYPE_TOTALS, totals);
  g_assert_true (copy == totals);
  g_boxed_free (KASSA_TYPE_TOTALS, copy);
  g_assert_cmpint (kassa_totals_get_total (totals), ==, 100);
  kassa_totals_unref (totals);
}

static void
expect_error (const char            *code,
              gboolean               inclusive,
              KassaDiscountKind      discount_kind,
              gint64                 discount_value,
              const KassaTotalsLine *lines,
              guint                  n_lines,
              int                    error_code,
              const char            *message_part)
{
  g_autoptr(GError) error = NULL;
  KassaTotals *totals;

  totals = compute (code, inclusive, DOC, UP, discount_kind, discount_value, 0,
                    lines, n_lines, &error);
  g_assert_null (totals);
  g_assert_error (error, KASSA_ERROR, error_code);
  g_assert_nonnull (strstr (error->message, message_part));
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_invalid (void)
{
  const KassaTotalsLine rate_high[] = { L (1000, 100, 0), L (1000, 100, 1000001) };
  const KassaTotalsLine rate_negative[] = { L (1000, 100, -1) };
  const KassaTotalsLine discount_too_big[] = { LA (1000, 100, 0, 101) };
  const KassaTotalsLine discount_on_zero[] = { LA (0, 100, 0, 1) };
  const KassaTotalsLine percent_too_big[] = { LP (1000, 100, 0, 1000001) };
  const KassaTotalsLine amount_negative[] = { LA (1000, 100, 0, -5) };
  const KassaTotalsLine return_too_big[] = { LA (-1000, 100, 0, -101) };
  const KassaTotalsLine plain[] = { L (1000, 100, 0), L (1000, 100, 0) };
  const KassaTotalsLine discount_exact[] = { LA (1000, 100, 0, 100) };
  g_autoptr(KassaTotals) exact = NULL;

  expect_error ("EUR", EXCL, NO_DISCOUNT, rate_high, 2, KASSA_ERROR_INVALID, "lines[1].tax_rate");
  expect_error ("EUR", EXCL, NO_DISCOUNT, rate_negative, 1, KASSA_ERROR_INVALID, "lines[0].tax_rate");
  expect_error ("EUR", EXCL, NO_DISCOUNT, discount_too_big, 1, KASSA_ERROR_INVALID,
                "lines[0].discount: discount 1.01 is larger than the amount 1.00");
  expect_error ("EUR", EXCL, NO_DISCOUNT, discount_on_zero, 1, KASSA_ERROR_INVALID, "lines[0].discount");
  expect_error ("EUR", EXCL, NO_DISCOUNT, percent_too_big, 1, KASSA_ERROR_INVALID, "lines[0].discount");
  expect_error ("EUR", EXCL, NO_DISCOUNT, amount_negative, 1, KASSA_ERROR_INVALID,
                "lines[0].discount: discount -0.05 has the opposite sign of the amount 1.00");
  expect_error ("EUR", EXCL, NO_DISCOUNT, return_too_big, 1, KASSA_ERROR_INVALID,
                "lines[0].discount: discount -1.01 is larger than the amount -1.00");
  expect_error ("EUR", EXCL, KASSA_DISCOUNT_AMOUNT, 201, plain, 2, KASSA_ERROR_INVALID,
                "discount: discount 2.01 is larger than the amount 2.00");
  expect_error ("EUR", INCL, KASSA_DISCOUNT_PERCENT, 1000001, plain, 2, KASSA_ERROR_INVALID, "discount");

  {
    KassaTaxSettings settings = { NULL, FALSE, KASSA_TAX_SCOPE_DOCUMENT, KASSA_ROUNDING_HALF_UP };
    KassaTotalsOptions options = { KASSA_DISCOUNT_NONE, 0, -5 };
    g_autoptr(GError) step_error = NULL;
    g_autoptr(GError) mode_error = NULL;
    g_autoptr(GError) scope_error = NULL;
    g_autoptr(GError) kind_error = NULL;

    settings.currency = kassa_currency_lookup ("CHF", NULL);
    g_assert_null (kassa_totals_compute (&settings, &options, plain, 2, &step_error));
    g_assert_error (step_error, KASSA_ERROR, KASSA_ERROR_INVALID);
    g_assert_true (g_str_has_prefix (step_error->message, "cash_rounding:"));

    options.cash_rounding_step = 5;
    settings.rounding = 7;
    g_assert_null (kassa_totals_compute (&settings, &options, plain, 2, &mode_error));
    g_assert_error (mode_error, KASSA_ERROR, KASSA_ERROR_INVALID);

    settings.rounding = KASSA_ROUNDING_HALF_UP;
    settings.tax_scope = 9;
    g_assert_null (kassa_totals_compute (&settings, &options, plain, 2, &scope_error));
    g_assert_error (scope_error, KASSA_ERROR, KASSA_ERROR_INVALID);

    settings.tax_scope = KASSA_TAX_SCOPE_LINE;
    options.discount_kind = 12;
    g_assert_null (kassa_totals_compute (&settings, &options, plain, 2, &kind_error));
    g_assert_error (kind_error, KASSA_ERROR, KASSA_ERROR_INVALID);
    g_assert_cmpstr (kind_error->message, ==, "discount: unknown discount kind 12");
  }

  /* A discount of exactly the amount is fine. */
  exact = compute ("EUR", EXCL, DOC, UP, NO_DISCOUNT, 0, discount_exact, 1, NULL);
  g_assert_nonnull (exact);
  g_assert_cmpint (kassa_totals_get_total (exact), ==, 0);
}

static void
test_overflow (void)
{
  const KassaTotalsLine tax_overflows[] = { L (1000, G_MAXINT64, 200000) };
  const KassaTotalsLine sum_overflows[] = {
    L (1000, G_MAXINT64 / 2 + 1, 0),
    L (1000, G_MAXINT64 / 2 + 1, 0),
  };
  const KassaTotalsLine amount_overflows[] = { L (2000, G_MAXINT64, 0) };
  const KassaTotalsLine product_overflows[] = { L (G_MAXINT64, G_MAXINT64, 0) };
  const KassaTotalsLine fits_just[] = {
    L (1000, G_MAXINT64 / 2, 0),
    L (1000, G_MAXINT64 / 2 + 1, 0),
  };
  g_autoptr(KassaTotals) totals = NULL;

  /* Tax on the largest net pushes the total past 64 bits. */
  expect_error ("EUR", EXCL, NO_DISCOUNT, tax_overflows, 1, KASSA_ERROR_OVERFLOW, "64 bits");
  expect_error ("EUR", EXCL, NO_DISCOUNT, sum_overflows, 2, KASSA_ERROR_OVERFLOW, "64 bits");
  expect_error ("EUR", EXCL, NO_DISCOUNT, amount_overflows, 1, KASSA_ERROR_OVERFLOW,
                "lines[0]: quantity × unit price");
  expect_error ("EUR", INCL, NO_DISCOUNT, product_overflows, 1, KASSA_ERROR_OVERFLOW, "lines[0]");

  totals = compute ("EUR", EXCL, DOC, UP, NO_DISCOUNT, 0, fits_just, 2, NULL);
  g_assert_nonnull (totals);
  g_assert_cmpint (kassa_totals_get_total (totals), ==, G_MAXINT64);
}

static void
test_cash_round (void)
{
  g_assert_cmpint (kassa_cash_round (1233, 5, UP), ==, 1235);
  g_assert_cmpint (kassa_cash_round (1232, 5, UP), ==, 1230);
  g_assert_cmpint (kassa_cash_round (-1233, 5, UP), ==, -1235);
  g_assert_cmpint (kassa_cash_round (-1232, 5, EVEN), ==, -1230);
  g_assert_cmpint (kassa_cash_round (1225, 10, UP), ==, 1230);
  g_assert_cmpint (kassa_cash_round (1225, 10, EVEN), ==, 1220);
  g_assert_cmpint (kassa_cash_round (1235, 10, EVEN), ==, 1240);
  g_assert_cmpint (kassa_cash_round (-1225, 10, UP), ==, -1230);
  g_assert_cmpint (kassa_cash_round (-1225, 10, EVEN), ==, -1220);
  g_assert_cmpint (kassa_cash_round (1250, 100, UP), ==, 1300);
  g_assert_cmpint (kassa_cash_round (1249, 100, UP), ==, 1200);
  g_assert_cmpint (kassa_cash_round (1250, 100, EVEN), ==, 1200);
  g_assert_cmpint (kassa_cash_round (1234, 0, UP), ==, 1234);
  g_assert_cmpint (kassa_cash_round (1234, -5, UP), ==, 1234);
  /* The nearest multiple of 10 above G_MAXINT64 does not fit: toward zero. */
  g_assert_cmpint (kassa_cash_round (G_MAXINT64, 10, UP), ==, G_MAXINT64 - 7);
  g_assert_cmpint (kassa_cash_round (G_MININT64, 10, UP), ==, G_MININT64 + 8);
}

/* Checks the engine against the rules restated independently: the
 * per-line amounts, the per-rate bases and grosses, document-scope tax. */
static void
check_against_rules (const KassaTaxSettings   *settings,
                     const KassaTotalsOptions *options,
                     const KassaTotalsLine    *lines,
                     guint                     n_lines,
                     const KassaTotals        *totals)
{
  __int128 sum_lines = 0;

  for (guint i = 0; i < n_lines; i++)
    {
      const KassaLineTotals *lt = kassa_totals_get_line (totals, i);
      gint64 amount;
      gint64 value;

      g_assert_true (kassa_mul_div_round (lines[i].quantity, lines[i].unit_price, 1000,
                                          settings->rounding, &amount, NULL));
      g_assert_cmpint (lt->amount, ==, amount);
      value = lt->amount - lt->line_discount - lt->document_discount;
      if (settings->prices_include_tax)
        g_assert_cmpint (lt->net + lt->tax, ==, value);
      else
        g_assert_cmpint (lt->net, ==, value);
      sum_lines += lt->total;

      /* Every line stays close to its own exact figure: within half a
       * unit in line scope, under one and a half in document scope
       * (a floor, a leftover unit, and the rate total's own rounding). */
      {
        __int128 scaled_error, bound;

        if (settings->prices_include_tax)
          {
            __int128 den = 1000000 + lines[i].tax_rate;

            scaled_error = (__int128) lt->net * den - (__int128) value * 1000000;
            bound = den;
          }
        else
          {
            scaled_error = (__int128) lt->tax * 1000000 - (__int128) lt->net * lines[i].tax_rate;
            bound = 1000000;
          }
        if (scaled_error < 0)
          scaled_error = -scaled_error;
        if (settings->tax_scope == KASSA_TAX_SCOPE_LINE)
          g_assert_true (2 * scaled_error <= bound);
        else
          g_assert_true (2 * scaled_error < 3 * bound);
      }
    }
  g_assert_true (sum_lines == kassa_totals_get_total (totals));

  for (guint r = 0; r < kassa_totals_get_n_tax_lines (totals); r++)
    {
      const KassaTaxLine *tl = kassa_totals_get_tax_line (totals, r);
      __int128 sum_value = 0;
      gint64 expected;

      for (guint i = 0; i < n_lines; i++)
        if (lines[i].tax_rate == tl->rate)
          {
            const KassaLineTotals *lt = kassa_totals_get_line (totals, i);

            sum_value += lt->amount - lt->line_discount - lt->document_discount;
          }

      if (settings->prices_include_tax)
        {
          g_assert_true (tl->gross == sum_value);
          if (settings->tax_scope == KASSA_TAX_SCOPE_DOCUMENT)
            {
              g_assert_true (kassa_mul_div_round (tl->gross, 1000000, 1000000 + tl->rate,
                                                  settings->rounding, &expected, NULL));
              g_assert_cmpint (tl->base, ==, expected);
            }
        }
      else
        {
          g_assert_true (tl->base == sum_value);
          if (settings->tax_scope == KASSA_TAX_SCOPE_DOCUMENT)
            {
              g_assert_true (kassa_mul_div_round (tl->base, tl->rate, 1000000,
                                                  settings->rounding, &expected, NULL));
              g_assert_cmpint (tl->tax, ==, expected);
            }
        }
    }

  if (options->cash_rounding_step > 0)
    {
      gint64 cr = kassa_totals_get_cash_rounding (totals);

      g_assert_cmpint (kassa_totals_get_amount_due (totals) % options->cash_rounding_step, ==, 0);
      g_assert_cmpint (ABS (cr) * 2, <=, options->cash_rounding_step);
    }
  else
    g_assert_cmpint (kassa_totals_get_cash_rounding (totals), ==, 0);
}

static guint
random_carts (GRand *rand,
              guint  n_carts)
{
  static const char *codes[] = { "EUR", "JPY", "KWD", "CHF" };
  static const gint64 rates[] = { 0, 25000, 55000, 70000, 81000, 99750, 200000, 1000000 };
  static const gint64 steps[] = { 0, 0, 5, 10, 100 };
  guint computed = 0;

  for (guint c = 0; c < n_carts; c++)
    {
      KassaTaxSettings settings;
      KassaTotalsOptions options = { KASSA_DISCOUNT_NONE, 0, 0 };
      KassaTotalsLine lines[100];
      /* Mostly till-sized carts, now and then a long invoice. */
      guint n_lines = g_rand_int_range (rand, 0, 50) == 0
                      ? g_rand_int_range (rand, 25, G_N_ELEMENTS (lines) + 1)
                      : g_rand_int_range (rand, 1, 25);
      gboolean allow_returns = g_rand_boolean (rand);
      g_autoptr(GError) error = NULL;
      g_autoptr(KassaTotals) totals = NULL;

      settings.currency = kassa_currency_lookup (codes[g_rand_int_range (rand, 0, 4)], NULL);
      settings.prices_include_tax = g_rand_boolean (rand);
      settings.tax_scope = g_rand_boolean (rand) ? KASSA_TAX_SCOPE_DOCUMENT : KASSA_TAX_SCOPE_LINE;
      settings.rounding = g_rand_boolean (rand) ? KASSA_ROUNDING_HALF_UP : KASSA_ROUNDING_HALF_EVEN;
      options.cash_rounding_step = steps[g_rand_int_range (rand, 0, G_N_ELEMENTS (steps))];

      for (guint i = 0; i < n_lines; i++)
        {
          KassaTotalsLine *line = &lines[i];
          gint64 magnitude;

          /* Whole units most of the time, weighed goods otherwise. */
          if (g_rand_int_range (rand, 0, 4) == 0)
            line->quantity = g_rand_int_range (rand, 1, 20000);
          else
            line->quantity = 1000 * g_rand_int_range (rand, 1, 13);
          if (allow_returns && g_rand_int_range (rand, 0, 3) == 0)
            line->quantity = -line->quantity;
          line->unit_price = g_rand_int_range (rand, 0, 200000);
          line->tax_rate = rates[g_rand_int_range (rand, 0, G_N_ELEMENTS (rates))];
          magnitude = ABS (line->quantity) * line->unit_price / 1000;

          switch (g_rand_int_range (rand, 0, 4))
            {
            case 0:
              line->discount_kind = KASSA_DISCOUNT_PERCENT;
              line->discount_value = g_rand_int_range (rand, 0, 1000001);
              break;
            case 1:
              line->discount_kind = KASSA_DISCOUNT_AMOUNT;
              line->discount_value = magnitude > 0
                                     ? g_rand_int_range (rand, 0, (gint32) MIN (magnitude, G_MAXINT32 - 1) + 1)
                                     : 0;
              break;
            default:
              line->discount_kind = KASSA_DISCOUNT_NONE;
              line->discount_value = 0;
              break;
            }
        }

      switch (g_rand_int_range (rand, 0, 3))
        {
        case 0:
          options.discount_kind = KASSA_DISCOUNT_PERCENT;
          options.discount_value = g_rand_int_range (rand, 0, 1000001);
          break;
        case 1:
          options.discount_kind = KASSA_DISCOUNT_AMOUNT;
          options.discount_value = g_rand_int_range (rand, 0, 5000);
          break;
        default:
          break;
        }

      totals = kassa_totals_compute (&settings, &options, lines, n_lines, &error);
      if (totals == NULL)
        {
          /* Only a fixed document discount beyond a small or negative
           * subtotal may be refused here. */
          g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
          g_assert_cmpint (options.discount_kind, ==, KASSA_DISCOUNT_AMOUNT);
          g_assert_true (g_str_has_prefix (error->message, "discount:"));
          continue;
        }

      assert_invariants (totals);
      check_against_rules (&settings, &options, lines, n_lines, totals);
      computed++;
    }

  return computed;
}

static void
test_property_fixed_seed (void)
{
  const guint32 seed = 20261125;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint computed;

  g_test_message ("random carts from fixed seed %u", seed);
  computed = random_carts (rand, g_test_thorough () ? 200000 : 20000);
  /* Most carts must be computed, not refused. */
  g_assert_cmpuint (computed, >, 15000);
}

static void
test_property_test_seed (void)
{
  guint32 seed = g_test_rand_int ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint computed;

  g_test_message ("random carts from seed %u", seed);
  computed = random_carts (rand, 5000);
  g_assert_cmpuint (computed, >, 3500);
}

/* Mixed signs around zero per rate are where proportional spreading is
 * delicate; stress exactly those. */
static void
test_property_mixed_signs (void)
{
  const guint32 seed = 4217;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  g_test_message ("mixed-sign carts from fixed seed %u", seed);
  for (guint c = 0; c < 20000; c++)
    {
      KassaTaxSettings settings = { NULL, g_rand_boolean (rand),
                                    g_rand_boolean (rand) ? KASSA_TAX_SCOPE_DOCUMENT : KASSA_TAX_SCOPE_LINE,
                                    g_rand_boolean (rand) ? KASSA_ROUNDING_HALF_UP : KASSA_ROUNDING_HALF_EVEN };
      KassaTotalsOptions options = { KASSA_DISCOUNT_PERCENT, g_rand_int_range (rand, 0, 300000), 5 };
      KassaTotalsLine lines[6];
      guint n = g_rand_int_range (rand, 2, 7);
      g_autoptr(GError) error = NULL;
      g_autoptr(KassaTotals) totals = NULL;

      settings.currency = kassa_currency_lookup ("EUR", NULL);
      for (guint i = 0; i < n; i++)
        {
          KassaTotalsLine line = L (g_rand_boolean (rand) ? 1000 : -1000,
                                    g_rand_int_range (rand, 1, 30),
                                    g_rand_boolean (rand) ? 200000 : 55000);
          lines[i] = line;
        }

      totals = kassa_totals_compute (&settings, &options, lines, n, &error);
      g_assert_no_error (error);
      assert_invariants (totals);
      check_against_rules (&settings, &options, lines, n, totals);
    }
}

/* Amounts close to the 64-bit edge either compute with every invariant
 * intact or fail with KASSA_ERROR_OVERFLOW: never a wrapped total. */
static void
test_property_near_overflow (void)
{
  const guint32 seed = 63;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint computed = 0, refused = 0;

  g_test_message ("near-overflow carts from fixed seed %u", seed);
  for (guint c = 0; c < 20000; c++)
    {
      KassaTaxSettings settings = { NULL, g_rand_boolean (rand),
                                    g_rand_boolean (rand) ? KASSA_TAX_SCOPE_DOCUMENT : KASSA_TAX_SCOPE_LINE,
                                    g_rand_boolean (rand) ? KASSA_ROUNDING_HALF_UP : KASSA_ROUNDING_HALF_EVEN };
      KassaTotalsOptions options = { KASSA_DISCOUNT_PERCENT, g_rand_int_range (rand, 0, 1000001), 5 };
      KassaTotalsLine lines[4];
      guint n = g_rand_int_range (rand, 1, 5);
      g_autoptr(GError) error = NULL;
      g_autoptr(KassaTotals) totals = NULL;

      settings.currency = kassa_currency_lookup ("EUR", NULL);
      for (guint i = 0; i < n; i++)
        {
          /* Prices from 2^40 to just under 2^63, quantities up to 4. */
          gint64 price = (gint64) (((guint64) g_rand_int (rand) << 31 | g_rand_int (rand))
                                   >> g_rand_int_range (rand, 0, 23));
          KassaTotalsLine line = L (g_rand_int_range (rand, -4000, 4001), price,
                                    g_rand_boolean (rand) ? 200000 : 1000000);

          lines[i] = line;
        }

      totals = kassa_totals_compute (&settings, &options, lines, n, &error);
      if (totals == NULL)
        {
          g_assert_error (error, KASSA_ERROR, KASSA_ERROR_OVERFLOW);
          refused++;
          continue;
        }
      assert_invariants (totals);
      check_against_rules (&settings, &options, lines, n, totals);
      computed++;
    }

  /* Both outcomes must actually occur for the test to mean anything. */
  g_assert_cmpuint (computed, >, 1000);
  g_assert_cmpuint (refused, >, 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    g_test_add_data_func (examples[i].path, &examples[i], test_example);

  g_test_add_func ("/kassa/totals/line-breakdown", test_line_breakdown);
  g_test_add_func ("/kassa/totals/return-discount-sign", test_return_discount_sign);
  g_test_add_func ("/kassa/totals/many-lines", test_many_lines);
  g_test_add_func ("/kassa/totals/empty", test_empty);
  g_test_add_func ("/kassa/totals/boxed", test_boxed);
  g_test_add_func ("/kassa/totals/invalid", test_invalid);
  g_test_add_func ("/kassa/totals/overflow", test_overflow);
  g_test_add_func ("/kassa/totals/cash-round", test_cash_round);
  g_test_add_func ("/kassa/totals/property/fixed-seed", test_property_fixed_seed);
  g_test_add_func ("/kassa/totals/property/test-seed", test_property_test_seed);
  g_test_add_func ("/kassa/totals/property/mixed-signs", test_property_mixed_signs);
  g_test_add_func ("/kassa/totals/property/near-overflow", test_property_near_overflow);

  return g_test_run ();
}
