/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-totals"

#include "config.h"

#include <inttypes.h>

#include "kassa-error.h"
#include "kassa-money.h"
#include "kassa-totals.h"

typedef __int128 int128;

struct _KassaTotals
{
  gatomicrefcount      ref_count;
  const KassaCurrency *currency;
  gint64               untaxed;
  gint64               tax;
  gint64               total;
  gint64               discount;
  gint64               cash_rounding;
  gint64               amount_due;
  guint                n_lines;
  guint                n_tax_lines;
  /* Both arrays live in the same allocation as the struct. */
  KassaTaxLine        *tax_lines;
  KassaLineTotals      lines[];
};

G_DEFINE_BOXED_TYPE (KassaTotals, kassa_totals, kassa_totals_ref, kassa_totals_unref)

/* Carts with up to this many lines need no scratch allocation. */
#define STACK_LINES 64

static inline gboolean
narrow (int128  value,
        gint64 *out)
{
  if (value < G_MININT64 || value > G_MAXINT64)
    return FALSE;
  *out = (gint64) value;
  return TRUE;
}

static inline gint64
sign_of (gint64 value)
{
  return (value > 0) - (value < 0);
}

static void
set_overflow (GError     **error,
              const char  *what)
{
  g_set_error (error, KASSA_ERROR, KASSA_ERROR_OVERFLOW,
               "%s does not fit in 64 bits of minor units", what);
}

static void
set_line_overflow (GError **error,
                   guint    index,
                   const char *what)
{
  g_set_error (error, KASSA_ERROR, KASSA_ERROR_OVERFLOW,
               "lines[%u]: %s does not fit in 64 bits of minor units", index, what);
}

/* Errors name the field the way callers spell it: "discount" for the
 * document, "lines[3].discount" for a line. Only built on failure. */
static char *
discount_field (int index)
{
  return index < 0 ? g_strdup ("discount") : g_strdup_printf ("lines[%d].discount", index);
}

static gboolean
check_discount (KassaDiscountKind   kind,
                gint64              value,
                int                 index,
                GError            **error)
{
  g_autofree char *where = NULL;

  switch (kind)
    {
    case KASSA_DISCOUNT_NONE:
      return TRUE;

    case KASSA_DISCOUNT_PERCENT:
      if (value < 0 || value > KASSA_RATE_WHOLE)
        {
          g_autofree char *rate = kassa_rate_format (value);

          where = discount_field (index);

          g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                       "%s: %s %% is outside 0–100 %%", where, rate);
          return FALSE;
        }
      return TRUE;

    case KASSA_DISCOUNT_AMOUNT:
      /* The sign is checked against the amount it reduces, later. */
      return TRUE;

    default:
      where = discount_field (index);
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   "%s: unknown discount kind %d", where, (int) kind);
      return FALSE;
    }
}

/* The discount on @amount in the same sign as @amount; a fixed discount
 * beyond the amount is refused rather than turning the line around. */
static gboolean
apply_discount (const KassaCurrency  *currency,
                KassaDiscountKind     kind,
                gint64                value,
                gint64                amount,
                KassaRoundingMode     mode,
                int                   index,
                gint64               *discount,
                GError              **error)
{
  switch (kind)
    {
    case KASSA_DISCOUNT_PERCENT:
      /* |amount × ppm ÷ 10⁶| ≤ |amount|: this cannot overflow. */
      return kassa_mul_div_round (amount, value, KASSA_RATE_WHOLE, mode, discount, error);

    case KASSA_DISCOUNT_AMOUNT:
      {
        /* A magnitude takes the amount's sign; a signed value must
         * already have it (a return's discount given as negative). */
        gint64 signed_value = value < 0 ? value : sign_of (amount) * value;

        if (value < 0 && amount >= 0)
          {
            g_autofree char *d = kassa_money_format_plain (currency, value);
            g_autofree char *a = kassa_money_format_plain (currency, amount);
            g_autofree char *where = discount_field (index);

            g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                         "%s: discount %s has the opposite sign of the amount %s", where, d, a);
            return FALSE;
          }

        if ((value != 0 && amount == 0)
            || (amount > 0 && signed_value > amount)
            || (amount < 0 && signed_value < amount))
          {
            g_autofree char *d = kassa_money_format_plain (currency, value);
            g_autofree char *a = kassa_money_format_plain (currency, amount);
            g_autofree char *where = discount_field (index);

            g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                         "%s: discount %s is larger than the amount %s", where, d, a);
            return FALSE;
          }

        *discount = signed_value;
        return TRUE;
      }

    case KASSA_DISCOUNT_NONE:
    default:
      *discount = 0;
      return TRUE;
    }
}

/* Spreads @total, which is round(Σ weights × @num ÷ @den), over the
 * weights by largest remainder. When the weights share a sign this is
 * plain proportional allocation. A sale and a return in one document
 * mix signs, and then the total can be tiny or zero next to the lines
 * (10.00 sold, 9.99 returned): shares proportional to it would be far
 * from each line's own value, so every part starts from its exact quota
 * weight × @num ÷ @den, floored, and the units the floors lost go to the
 * largest fractions. */
static gboolean
spread (gint64        total,
        const gint64 *weights,
        guint         n,
        gint64        num,
        gint64        den,
        gint64       *parts)
{
  gboolean positive = FALSE, negative = FALSE;
  int128 placed = 0, left;
  int128 stack_fractions[STACK_LINES];
  g_autofree int128 *heap_fractions = NULL;
  int128 *fractions;

  for (guint i = 0; i < n; i++)
    {
      positive |= weights[i] > 0;
      negative |= weights[i] < 0;
    }

  if (!(positive && negative))
    return kassa_allocate (total, weights, n, parts, NULL);

  g_assert (den > 0);
  fractions = n <= STACK_LINES ? stack_fractions : (heap_fractions = g_new (int128, n));

  for (guint i = 0; i < n; i++)
    {
      int128 p = (int128) weights[i] * num;
      int128 q = p / den;
      int128 r = p % den;

      if (r < 0)
        {
          r += den;
          q -= 1;
        }
      if (!narrow (q, &parts[i]))
        return FALSE;
      fractions[i] = r;
      placed += q;
    }

  left = (int128) total - placed;
  g_assert (left >= 0 && left <= n);

  for (; left > 0; left--)
    {
      guint best = 0;

      for (guint i = 1; i < n; i++)
        if (fractions[i] > fractions[best])
          best = i;

      if (parts[best] == G_MAXINT64)
        return FALSE;
      parts[best] += 1;
      fractions[best] = -1;
    }

  return TRUE;
}

#ifndef G_DISABLE_ASSERT
static void
assert_invariants (const KassaTotals *totals)
{
  int128 bases = 0, rate_taxes = 0, nets = 0, line_taxes = 0;

  for (guint i = 0; i < totals->n_tax_lines; i++)
    {
      bases += totals->tax_lines[i].base;
      rate_taxes += totals->tax_lines[i].tax;
      g_assert_cmpint (totals->tax_lines[i].base + totals->tax_lines[i].tax, ==,
                       totals->tax_lines[i].gross);
      if (i > 0)
        g_assert_cmpint (totals->tax_lines[i - 1].rate, <, totals->tax_lines[i].rate);
    }

  for (guint i = 0; i < totals->n_lines; i++)
    {
      const KassaLineTotals *line = &totals->lines[i];

      nets += line->net;
      line_taxes += line->tax;
      g_assert_cmpint (line->net + line->tax, ==, line->total);
    }

  g_assert_cmpint (totals->untaxed + totals->tax, ==, totals->total);
  g_assert_true (bases == totals->untaxed);
  g_assert_true (rate_taxes == totals->tax);
  g_assert_true (nets == totals->untaxed);
  g_assert_true (line_taxes == totals->tax);
  g_assert_cmpint (totals->total + totals->cash_rounding, ==, totals->amount_due);
}
#endif

/**
 * kassa_totals_compute:
 * @settings: the store's tax settings
 * @options: (nullable): document discount and cash rounding, or %NULL for none
 * @lines: (array length=n_lines): the document lines
 * @n_lines: number of lines
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the totals, or %NULL with @error set
 */
KassaTotals *
kassa_totals_compute (const KassaTaxSettings    *settings,
                      const KassaTotalsOptions  *options,
                      const KassaTotalsLine     *lines,
                      guint                      n_lines,
                      GError                   **error)
{
  static const KassaTotalsOptions no_options = { KASSA_DISCOUNT_NONE, 0, 0 };
  const KassaCurrency *currency;
  KassaRoundingMode mode;
  KassaTotals *totals;
  gsize size;
  gint64 stack_scratch[3 * STACK_LINES];
  guint stack_groups[STACK_LINES];
  g_autofree gint64 *heap_scratch = NULL;
  g_autofree guint *heap_groups = NULL;
  gint64 *after, *weights, *parts;
  guint *group_of;
  guint n_rates = 0;
  int128 subtotal = 0, sum_untaxed = 0, sum_tax = 0, sum_discount = 0;
  gint64 subtotal64, document_discount = 0;

  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (settings->currency != NULL, NULL);
  g_return_val_if_fail (n_lines == 0 || lines != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    options = &no_options;

  currency = settings->currency;
  mode = settings->rounding;

  if (mode != KASSA_ROUNDING_HALF_UP && mode != KASSA_ROUNDING_HALF_EVEN)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   "unknown rounding mode %d", (int) mode);
      return NULL;
    }
  if (settings->tax_scope != KASSA_TAX_SCOPE_DOCUMENT
      && settings->tax_scope != KASSA_TAX_SCOPE_LINE)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   "unknown tax scope %d", (int) settings->tax_scope);
      return NULL;
    }
  if (!check_discount (options->discount_kind, options->discount_value, -1, error))
    return NULL;
  if (options->cash_rounding_step < 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   "cash_rounding: step %" PRId64 " is negative",
                   options->cash_rounding_step);
      return NULL;
    }

  /* Scratch space: amounts after discounts, allocation weights and
   * parts, and each line's rate group. The distinct rates are collected
   * straight into the result's tax lines. */
  if (n_lines <= STACK_LINES)
    {
      after = stack_scratch;
      group_of = stack_groups;
    }
  else
    {
      heap_scratch = g_new (gint64, 3 * (gsize) n_lines);
      heap_groups = g_new (guint, n_lines);
      after = heap_scratch;
      group_of = heap_groups;
    }
  weights = after + n_lines;
  parts = weights + n_lines;

  size = sizeof (KassaTotals)
         + n_lines * sizeof (KassaLineTotals)
         + n_lines * sizeof (KassaTaxLine);
  totals = g_malloc0 (size);
  g_atomic_ref_count_init (&totals->ref_count);
  totals->currency = currency;
  totals->n_lines = n_lines;
  totals->tax_lines = (KassaTaxLine *) (totals->lines + n_lines);

  for (guint i = 0; i < n_lines; i++)
    {
      const KassaTotalsLine *in = &lines[i];
      KassaLineTotals *out = &totals->lines[i];
      guint r;

      if (in->tax_rate < 0 || in->tax_rate > KASSA_RATE_WHOLE)
        {
          g_autofree char *rate = kassa_rate_format (in->tax_rate);

          g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                       "lines[%u].tax_rate: %s %% is outside 0–100 %%", i, rate);
          goto fail;
        }

      if (!check_discount (in->discount_kind, in->discount_value, (int) i, error))
        goto fail;

      if (!kassa_mul_div_round (in->quantity, in->unit_price, KASSA_QUANTITY_ONE, mode,
                                &out->amount, NULL))
        {
          set_line_overflow (error, i, "quantity × unit price");
          goto fail;
        }

      if (!apply_discount (currency, in->discount_kind, in->discount_value, out->amount,
                           mode, (int) i, &out->line_discount, error))
        goto fail;

      after[i] = out->amount - out->line_discount;
      subtotal += after[i];

      for (r = 0; r < n_rates; r++)
        if (totals->tax_lines[r].rate == in->tax_rate)
          break;
      if (r == n_rates)
        totals->tax_lines[n_rates++].rate = in->tax_rate;
    }

  if (!narrow (subtotal, &subtotal64))
    {
      set_overflow (error, "the subtotal");
      goto fail;
    }

  if (!apply_discount (currency, options->discount_kind, options->discount_value, subtotal64,
                       mode, -1, &document_discount, error))
    goto fail;

  if (document_discount != 0)
    {
      gboolean spread_ok;

      /* Spread by largest remainder so every rate's base stays an exact
       * sum of line amounts. A fixed amount can only be proportional. */
      if (options->discount_kind == KASSA_DISCOUNT_PERCENT)
        spread_ok = spread (document_discount, after, n_lines,
                            options->discount_value, KASSA_RATE_WHOLE, parts);
      else
        spread_ok = kassa_allocate (document_discount, after, n_lines, parts, NULL);

      if (!spread_ok)
        {
          set_overflow (error, "the document discount share");
          goto fail;
        }
      for (guint i = 0; i < n_lines; i++)
        {
          totals->lines[i].document_discount = parts[i];
          if (!kassa_checked_sub (after[i], parts[i], &after[i]))
            {
              set_line_overflow (error, i, "the discounted amount");
              goto fail;
            }
        }
    }

  /* Tax lines come out sorted by rate; there are few distinct rates. */
  for (guint a = 1; a < n_rates; a++)
    {
      gint64 rate = totals->tax_lines[a].rate;
      guint b = a;

      for (; b > 0 && totals->tax_lines[b - 1].rate > rate; b--)
        totals->tax_lines[b].rate = totals->tax_lines[b - 1].rate;
      totals->tax_lines[b].rate = rate;
    }
  totals->n_tax_lines = n_rates;

  for (guint i = 0; i < n_lines; i++)
    {
      guint r = 0;

      while (totals->tax_lines[r].rate != lines[i].tax_rate)
        r++;
      group_of[i] = r;
    }

  for (guint r = 0; r < n_rates; r++)
    {
      KassaTaxLine *tax_line = &totals->tax_lines[r];
      gint64 rate = tax_line->rate;
      int128 group_sum = 0, group_tax = 0;
      gint64 sum64;
      guint m = 0;

      for (guint i = 0; i < n_lines; i++)
        if (group_of[i] == r)
          {
            weights[m++] = after[i];
            group_sum += after[i];
          }

      if (!narrow (group_sum, &sum64))
        {
          set_overflow (error, "a tax rate's base");
          goto fail;
        }

      if (!settings->prices_include_tax)
        {
          if (settings->tax_scope == KASSA_TAX_SCOPE_DOCUMENT)
            {
              gint64 tax;

              if (!kassa_mul_div_round (sum64, rate, KASSA_RATE_WHOLE, mode, &tax, NULL)
                  || !spread (tax, weights, m, rate, KASSA_RATE_WHOLE, parts))
                {
                  set_overflow (error, "a tax amount");
                  goto fail;
                }
              group_tax = tax;
            }
          else
            {
              for (guint k = 0; k < m; k++)
                {
                  if (!kassa_mul_div_round (weights[k], rate, KASSA_RATE_WHOLE, mode,
                                            &parts[k], NULL))
                    {
                      set_overflow (error, "a line tax");
                      goto fail;
                    }
                  group_tax += parts[k];
                }
            }

          for (guint i = 0, k = 0; i < n_lines; i++)
            if (group_of[i] == r)
              {
                totals->lines[i].net = after[i];
                totals->lines[i].tax = parts[k++];
              }
          tax_line->base = sum64;
        }
      else
        {
          /* Gross is what the customer saw on the shelf: it stays fixed
           * and the net is carved out of it. */
          if (settings->tax_scope == KASSA_TAX_SCOPE_DOCUMENT)
            {
              gint64 net;

              if (!kassa_mul_div_round (sum64, KASSA_RATE_WHOLE, KASSA_RATE_WHOLE + rate,
                                        mode, &net, NULL)
                  || !spread (net, weights, m, KASSA_RATE_WHOLE, KASSA_RATE_WHOLE + rate, parts))
                {
                  set_overflow (error, "a net amount");
                  goto fail;
                }
              tax_line->base = net;
            }
          else
            {
              int128 group_net = 0;

              for (guint k = 0; k < m; k++)
                {
                  if (!kassa_mul_div_round (weights[k], KASSA_RATE_WHOLE,
                                            KASSA_RATE_WHOLE + rate, mode, &parts[k], NULL))
                    {
                      set_overflow (error, "a line net");
                      goto fail;
                    }
                  group_net += parts[k];
                }
              /* |net| ≤ |gross| on every line, so the sum fits. */
              tax_line->base = (gint64) group_net;
            }

          for (guint i = 0, k = 0; i < n_lines; i++)
            if (group_of[i] == r)
              {
                totals->lines[i].net = parts[k];
                totals->lines[i].tax = after[i] - parts[k];
                k++;
              }
          group_tax = (int128) sum64 - tax_line->base;
        }

      if (!narrow (group_tax, &tax_line->tax)
          || !kassa_checked_add (tax_line->base, tax_line->tax, &tax_line->gross))
        {
          set_overflow (error, "a tax rate's gross");
          goto fail;
        }

      sum_untaxed += tax_line->base;
      sum_tax += tax_line->tax;
    }

  for (guint i = 0; i < n_lines; i++)
    {
      KassaLineTotals *line = &totals->lines[i];

      if (!kassa_checked_add (line->net, line->tax, &line->total))
        {
          set_line_overflow (error, i, "the line total");
          goto fail;
        }
      sum_discount += (int128) line->line_discount + line->document_discount;
    }

  if (!narrow (sum_untaxed, &totals->untaxed)
      || !narrow (sum_tax, &totals->tax)
      || !narrow (sum_discount, &totals->discount)
      || !kassa_checked_add (totals->untaxed, totals->tax, &totals->total))
    {
      set_overflow (error, "the total");
      goto fail;
    }

  totals->amount_due = totals->total;
  if (options->cash_rounding_step > 0)
    {
      gint64 due = kassa_cash_round (totals->total, options->cash_rounding_step, mode);

      if (!kassa_checked_sub (due, totals->total, &totals->cash_rounding))
        {
          set_overflow (error, "the cash rounding");
          goto fail;
        }
      totals->amount_due = due;
    }

#ifndef G_DISABLE_ASSERT
  assert_invariants (totals);
#endif

  return totals;

fail:
  g_free (totals);
  return NULL;
}

KassaTotals *
kassa_totals_ref (KassaTotals *totals)
{
  g_return_val_if_fail (totals != NULL, NULL);

  g_atomic_ref_count_inc (&totals->ref_count);
  return totals;
}

void
kassa_totals_unref (KassaTotals *totals)
{
  g_return_if_fail (totals != NULL);

  if (g_atomic_ref_count_dec (&totals->ref_count))
    g_free (totals);
}

const KassaCurrency *
kassa_totals_get_currency (const KassaTotals *totals)
{
  g_return_val_if_fail (totals != NULL, NULL);

  return totals->currency;
}

gint64
kassa_totals_get_untaxed (const KassaTotals *totals)
{
  g_return_val_if_fail (totals != NULL, 0);

  return totals->untaxed;
}

gint64
kassa_totals_get_tax (const KassaTotals *totals)
{
  g_return_val_if_fail (totals != NULL, 0);

  return totals->tax;
}

gint64
kassa_totals_get_total (const KassaTotals *totals)
{
  g_return_val_if_fail (totals != NULL, 0);

  return totals->total;
}

/**
 * kassa_totals_get_discount:
 * @totals: the totals
 *
 * Returns: line and document discounts together, in the basis of the
 *   prices (gross when prices include tax), for display
 */
gint64
kassa_totals_get_discount (const KassaTotals *totals)
{
  g_return_val_if_fail (totals != NULL, 0);

  return totals->discount;
}

gint64
kassa_totals_get_cash_rounding (const KassaTotals *totals)
{
  g_return_val_if_fail (totals != NULL, 0);

  return totals->cash_rounding;
}

gint64
kassa_totals_get_amount_due (const KassaTotals *totals)
{
  g_return_val_if_fail (totals != NULL, 0);

  return totals->amount_due;
}

guint
kassa_totals_get_n_tax_lines (const KassaTotals *totals)
{
  g_return_val_if_fail (totals != NULL, 0);

  return totals->n_tax_lines;
}

const KassaTaxLine *
kassa_totals_get_tax_line (const KassaTotals *totals,
                           guint              index)
{
  g_return_val_if_fail (totals != NULL, NULL);
  g_return_val_if_fail (index < totals->n_tax_lines, NULL);

  return &totals->tax_lines[index];
}

guint
kassa_totals_get_n_lines (const KassaTotals *totals)
{
  g_return_val_if_fail (totals != NULL, 0);

  return totals->n_lines;
}

const KassaLineTotals *
kassa_totals_get_line (const KassaTotals *totals,
                       guint              index)
{
  g_return_val_if_fail (totals != NULL, NULL);
  g_return_val_if_fail (index < totals->n_lines, NULL);

  return &totals->lines[index];
}

/**
 * kassa_cash_round:
 * @amount: minor units
 * @step: the smallest coin in minor units (5 for 0.05); 0 or less leaves
 *   @amount as it is
 * @mode: how a tie (an amount exactly between two multiples) goes
 *
 * Returns: the nearest multiple of @step; at the very ends of the 64-bit
 *   range, where the nearest multiple does not fit, the one toward zero
 */
gint64
kassa_cash_round (gint64            amount,
                  gint64            step,
                  KassaRoundingMode mode)
{
  int128 q, r, twice, rounded;

  if (step <= 0)
    return amount;

  q = amount / step;
  r = amount % step;
  twice = (r < 0 ? -r : r) * 2;
  if (twice > step || (twice == step && (mode == KASSA_ROUNDING_HALF_UP || (q & 1) != 0)))
    q += amount < 0 ? -1 : 1;

  rounded = q * step;
  if (rounded < G_MININT64 || rounded > G_MAXINT64)
    return (amount / step) * step;

  return (gint64) rounded;
}
