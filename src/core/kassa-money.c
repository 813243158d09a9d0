/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-money"

#include "config.h"

#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <string.h>

#include "kassa-error.h"
#include "kassa-money.h"

static const guint64 powers_of_ten[] = {
  1, 10, 100, 1000, 10000, 100000, 1000000,
};

typedef __int128 int128;

static inline gboolean
fits_int64 (int128 value)
{
  return value >= G_MININT64 && value <= G_MAXINT64;
}

/* Magnitude without the undefined negation of G_MININT64. */
static inline guint64
magnitude (gint64 value)
{
  return value < 0 ? (guint64) -(value + 1) + 1 : (guint64) value;
}

/* q and r come from a division truncated toward zero with d > 0; this
 * applies the rounding the remainder asks for. */
static inline int128
round_quotient (int128            q,
                int128            r,
                int128            d,
                gboolean          negative,
                KassaRoundingMode mode)
{
  int128 twice = (r < 0 ? -r : r) * 2;

  if (twice > d || (twice == d && (mode == KASSA_ROUNDING_HALF_UP || (q & 1) != 0)))
    q += negative ? -1 : 1;

  return q;
}

gboolean
kassa_checked_add (gint64  a,
                   gint64  b,
                   gint64 *out)
{
  gint64 result;

  g_return_val_if_fail (out != NULL, FALSE);

  if (__builtin_add_overflow (a, b, &result))
    return FALSE;
  *out = result;
  return TRUE;
}

gboolean
kassa_checked_sub (gint64  a,
                   gint64  b,
                   gint64 *out)
{
  gint64 result;

  g_return_val_if_fail (out != NULL, FALSE);

  if (__builtin_sub_overflow (a, b, &result))
    return FALSE;
  *out = result;
  return TRUE;
}

gboolean
kassa_checked_mul (gint64  a,
                   gint64  b,
                   gint64 *out)
{
  gint64 result;

  g_return_val_if_fail (out != NULL, FALSE);

  if (__builtin_mul_overflow (a, b, &result))
    return FALSE;
  *out = result;
  return TRUE;
}

gboolean
kassa_mul_div_round (gint64              value,
                     gint64              numerator,
                     gint64              denominator,
                     KassaRoundingMode   mode,
                     gint64             *out,
                     GError            **error)
{
  gint64 product;
  int128 p, d, q;

  g_return_val_if_fail (denominator != 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Most till arithmetic fits in 64 bits; 128-bit division is several
   * times slower, so only pay for it when the product needs it. */
  if (denominator > 0 && !__builtin_mul_overflow (value, numerator, &product))
    {
      gint64 q64 = product / denominator;
      gint64 r64 = product % denominator;
      guint64 twice = magnitude (r64) * 2;

      if (twice > (guint64) denominator
          || (twice == (guint64) denominator
              && (mode == KASSA_ROUNDING_HALF_UP || (q64 & 1) != 0)))
        q64 += product < 0 ? -1 : 1;

      *out = q64;
      return TRUE;
    }

  p = (int128) value * numerator;
  d = denominator;
  if (d < 0)
    {
      p = -p;
      d = -d;
    }

  q = round_quotient (p / d, p % d, d, p < 0, mode);
  if (!fits_int64 (q))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_OVERFLOW,
                   "%" PRId64 " × %" PRId64 " ÷ %" PRId64
                   " does not fit in 64 bits",
                   value, numerator, denominator);
      return FALSE;
    }

  *out = (gint64) q;
  return TRUE;
}

/**
 * kassa_allocate:
 * @total: the amount to split
 * @weights: (array length=n_weights): the weights; any sign
 * @n_weights: number of weights and parts
 * @parts: (out caller-allocates) (array length=n_weights): the parts
 * @error: return location for a #GError
 *
 * Every part is first rounded toward minus infinity from its exact share
 * @total × weight ÷ Σ weights; the units left over go, one each, to the
 * parts with the largest dropped fractions (the earlier part on a tie).
 *
 * Returns: %TRUE on success
 */
gboolean
kassa_allocate (gint64         total,
                const gint64  *weights,
                guint          n_weights,
                gint64        *parts,
                GError       **error)
{
  int128 sum = 0;
  int128 t, placed = 0, leftover;
  int128 remainders_stack[64];
  g_autofree int128 *remainders_heap = NULL;
  int128 *remainders;

  g_return_val_if_fail (n_weights == 0 || weights != NULL, FALSE);
  g_return_val_if_fail (n_weights == 0 || parts != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < n_weights; i++)
    sum += weights[i];

  if (sum == 0)
    {
      if (total != 0)
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                       "cannot split %" PRId64 " over weights that add up to zero",
                       total);
          return FALSE;
        }

      for (guint i = 0; i < n_weights; i++)
        parts[i] = 0;
      return TRUE;
    }

  if (sum <= G_MAXINT64 && sum >= -G_MAXINT64 && n_weights <= G_N_ELEMENTS (remainders_stack))
    {
      /* The common case fits 64 bits throughout; 128-bit division is
       * several times slower. */
      gint64 sum64 = (gint64) sum, t64 = total;
      gint64 rem64[G_N_ELEMENTS (remainders_stack)];
      gint64 placed64 = 0;
      gboolean fits = TRUE;

      if (sum64 < 0)
        {
          sum64 = -sum64;
          fits = total != G_MININT64;
          t64 = -total;
        }

      for (guint i = 0; fits && i < n_weights; i++)
        {
          gint64 p, q, r;

          if (__builtin_mul_overflow (t64, weights[i], &p))
            {
              fits = FALSE;
              break;
            }
          q = p / sum64;
          r = p % sum64;
          if (r < 0)
            {
              r += sum64;
              q -= 1;
            }
          parts[i] = q;
          rem64[i] = r;
          /* Each |q| ≤ |p| fits; their running sum may not. */
          if (__builtin_add_overflow (placed64, q, &placed64))
            fits = FALSE;
        }

      if (fits)
        {
          gint64 left = total - placed64;

          g_assert (left >= 0 && (guint64) left <= n_weights);
          for (; left > 0; left--)
            {
              guint best = 0;

              for (guint i = 1; i < n_weights; i++)
                if (rem64[i] > rem64[best])
                  best = i;

              parts[best] += 1;
              rem64[best] = -1;
            }
          return TRUE;
        }
    }

  if (n_weights <= G_N_ELEMENTS (remainders_stack))
    remainders = remainders_stack;
  else
    remainders = remainders_heap = g_new (int128, n_weights);

  /* With a positive divisor, flooring and comparing remainders is the
   * same for every sign of total and weights. */
  t = total;
  if (sum < 0)
    {
      t = -t;
      sum = -sum;
    }

  for (guint i = 0; i < n_weights; i++)
    {
      int128 p = t * weights[i];
      int128 q = p / sum;
      int128 r = p % sum;

      if (r < 0)
        {
          r += sum;
          q -= 1;
        }

      if (!fits_int64 (q))
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_OVERFLOW,
                       "a share of %" PRId64 " does not fit in 64 bits", total);
          return FALSE;
        }

      parts[i] = (gint64) q;
      remainders[i] = r;
      placed += q;
    }

  leftover = (int128) total - placed;
  g_assert (leftover >= 0 && leftover <= n_weights);

  for (; leftover > 0; leftover--)
    {
      guint best = 0;

      for (guint i = 1; i < n_weights; i++)
        if (remainders[i] > remainders[best])
          best = i;

      if (parts[best] == G_MAXINT64)
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_OVERFLOW,
                       "a share of %" PRId64 " does not fit in 64 bits", total);
          return FALSE;
        }

      parts[best] += 1;
      remainders[best] = -1;
    }

  return TRUE;
}

/* User text quoted in a one-line error message: control characters and
 * invalid UTF-8 become '?', and long input is cut short. */
static char *
printable (const char *text)
{
  GString *out = g_string_sized_new (32);
  const char *p = text;

  for (guint n = 0; *p != '\0'; n++)
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (n == 40)
        {
          g_string_append (out, "…");
          break;
        }

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_c (out, '?');
          p++;
          continue;
        }

      if (g_unichar_iscntrl (c))
        g_string_append_c (out, '?');
      else
        g_string_append_unichar (out, c);
      p = g_utf8_next_char (p);
    }

  return g_string_free (out, FALSE);
}

/* The one decimal reader behind amounts, quantities and rates, so they
 * accept and refuse exactly the same spellings. */
static gboolean
parse_decimal (const char  *text,
               char         decimal_point,
               guint        max_decimals,
               const char  *precision_owner,
               gint64      *out,
               GError     **error)
{
  const char *p = text;
  gboolean negative = FALSE;
  guint64 value = 0;
  guint n_int = 0, n_frac = 0;
  gboolean overflow = FALSE;

  if (*p == '\0')
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           "empty string where a number was expected");
      return FALSE;
    }

  if (*p == '-' || *p == '+')
    negative = *p++ == '-';

  for (; g_ascii_isdigit (*p); p++, n_int++)
    {
      guint digit = *p - '0';

      if (value > ((guint64) G_MAXINT64 - digit) / 10)
        overflow = TRUE;
      else
        value = value * 10 + digit;
    }

  if (n_int > 0 && *p == decimal_point)
    {
      for (p++; g_ascii_isdigit (*p); p++, n_frac++)
        {
          guint digit = *p - '0';

          if (value > ((guint64) G_MAXINT64 - digit) / 10)
            overflow = TRUE;
          else
            value = value * 10 + digit;
        }

      if (n_frac == 0)
        goto syntax;
    }

  if (n_int == 0 || *p != '\0')
    goto syntax;

  if (n_frac > max_decimals)
    {
      g_autofree char *shown = printable (text);

      g_set_error (error, KASSA_ERROR, KASSA_ERROR_PRECISION,
                   "%s has more decimals than %s allows", shown, precision_owner);
      return FALSE;
    }

  if (!overflow)
    {
      guint64 factor = powers_of_ten[max_decimals - n_frac];

      if (value > (guint64) G_MAXINT64 / factor)
        overflow = TRUE;
      else
        value *= factor;
    }

  if (overflow)
    {
      g_autofree char *shown = printable (text);

      g_set_error (error, KASSA_ERROR, KASSA_ERROR_OVERFLOW,
                   "%s is too large", shown);
      return FALSE;
    }

  *out = negative ? -(gint64) value : (gint64) value;
  return TRUE;

syntax:
  {
    g_autofree char *shown = printable (text);

    g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                 "“%s” is not a plain decimal number", shown);
    return FALSE;
  }
}

/* "12.5" from 125 with one decimal; @trim drops trailing zeros. */
static void
append_decimal (GString  *out,
                gint64    value,
                guint     decimals,
                gboolean  trim)
{
  guint64 mag = magnitude (value);
  guint64 scale = powers_of_ten[decimals];
  guint64 whole = mag / scale;
  guint64 frac = mag % scale;

  if (value < 0)
    g_string_append_c (out, '-');
  g_string_append_printf (out, "%" PRIu64, whole);

  if (trim)
    {
      while (decimals > 0 && frac % 10 == 0)
        {
          frac /= 10;
          decimals--;
        }
    }

  if (decimals > 0)
    g_string_append_printf (out, ".%0*" PRIu64, (int) decimals, frac);
}

gboolean
kassa_money_parse (const KassaCurrency  *currency,
                   const char           *text,
                   char                  decimal_point,
                   gint64               *minor,
                   GError              **error)
{
  g_return_val_if_fail (currency != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (decimal_point == '.' || decimal_point == ',', FALSE);
  g_return_val_if_fail (minor != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return parse_decimal (text, decimal_point, kassa_currency_get_exponent (currency),
                        kassa_currency_get_code (currency), minor, error);
}

char *
kassa_money_format_plain (const KassaCurrency *currency,
                          gint64               minor)
{
  GString *out;

  g_return_val_if_fail (currency != NULL, NULL);

  out = g_string_sized_new (24);
  append_decimal (out, minor, kassa_currency_get_exponent (currency), FALSE);
  return g_string_free (out, FALSE);
}

/* Symbols made of letters read as a word and need a space before the
 * digits ("CHF 5.00"); signs like € and $ sit right against them. */
static gboolean
symbol_is_word (const char *symbol)
{
  gsize len = strlen (symbol);

  return len > 0 && g_ascii_isalpha (symbol[len - 1]);
}

static void
append_grouped (GString    *out,
                const char *digits,
                const char *separator,
                const char *grouping)
{
  gsize len = strlen (digits);
  gsize boundaries[32];
  guint n_boundaries = 0;
  gsize pos = len;
  int size = 0;

  /* Walk groups from the right: each grouping byte sizes one group, the
   * last one repeats, CHAR_MAX ends grouping. */
  if (separator != NULL && *separator != '\0' && grouping != NULL)
    {
      const char *g = grouping;

      while (*g != '\0' && *g != CHAR_MAX && n_boundaries < G_N_ELEMENTS (boundaries))
        {
          size = *g;
          if (size <= 0 || (gsize) size >= pos)
            break;
          pos -= size;
          boundaries[n_boundaries++] = pos;
          if (g[1] != '\0')
            g++;
        }
    }

  pos = 0;
  for (guint i = n_boundaries; i > 0; i--)
    {
      g_string_append_len (out, digits + pos, boundaries[i - 1] - pos);
      g_string_append (out, separator);
      pos = boundaries[i - 1];
    }
  g_string_append (out, digits + pos);
}

char *
kassa_money_format_display_for (const KassaCurrency *currency,
                                gint64               minor,
                                const struct lconv  *conv)
{
  g_autoptr(GString) value = g_string_sized_new (32);
  g_autofree char *digits = NULL;
  guint exponent;
  guint64 mag, scale;
  gboolean negative = minor < 0;
  const char *symbol;
  const char *decimal_point, *separator, *grouping, *sign;
  gboolean cs_precedes;
  int sep_by_space, sign_posn;
  g_autofree char *symbol_part = NULL;
  GString *out;
  const char *space_sv;
  g_autofree char *body = NULL;

  g_return_val_if_fail (currency != NULL, NULL);
  g_return_val_if_fail (conv != NULL, NULL);

  exponent = kassa_currency_get_exponent (currency);
  scale = powers_of_ten[exponent];
  mag = magnitude (minor);
  symbol = kassa_currency_get_symbol (currency);

  if (conv->mon_decimal_point == NULL || conv->mon_decimal_point[0] == '\0')
    {
      /* The C locale has no monetary conventions: use the
       * international-English pattern, which every reader can parse. */
      decimal_point = ".";
      separator = ",";
      grouping = "\3";
      cs_precedes = TRUE;
      sep_by_space = symbol_is_word (symbol) ? 1 : 0;
      sign_posn = 1;
      sign = negative ? "-" : "";
    }
  else
    {
      char raw_cs = negative ? conv->n_cs_precedes : conv->p_cs_precedes;
      char raw_sep = negative ? conv->n_sep_by_space : conv->p_sep_by_space;
      char raw_posn = negative ? conv->n_sign_posn : conv->p_sign_posn;

      decimal_point = conv->mon_decimal_point;
      separator = conv->mon_thousands_sep;
      grouping = conv->mon_grouping;
      cs_precedes = raw_cs == CHAR_MAX ? TRUE : raw_cs != 0;
      sep_by_space = raw_sep == CHAR_MAX ? 0 : raw_sep;
      sign_posn = raw_posn == CHAR_MAX ? 1 : raw_posn;
      sign = negative ? conv->negative_sign : conv->positive_sign;
      if (sign == NULL)
        sign = "";
      if (negative && *sign == '\0' && sign_posn != 0)
        sign = "-";
      if (sep_by_space == 0 && symbol_is_word (symbol))
        sep_by_space = 1;
    }

  digits = g_strdup_printf ("%" PRIu64, mag / scale);
  append_grouped (value, digits, separator, grouping);
  if (exponent > 0)
    g_string_append_printf (value, "%s%0*" PRIu64,
                            decimal_point, (int) exponent, mag % scale);

  if (sign_posn == 3)
    symbol_part = g_strconcat (sign, sep_by_space == 2 ? " " : "", symbol, NULL);
  else if (sign_posn == 4)
    symbol_part = g_strconcat (symbol, sep_by_space == 2 ? " " : "", sign, NULL);
  else
    symbol_part = g_strdup (symbol);

  space_sv = sep_by_space == 1 ? " " : "";
  if (cs_precedes)
    body = g_strconcat (symbol_part, space_sv, value->str, NULL);
  else
    body = g_strconcat (value->str, space_sv, symbol_part, NULL);

  out = g_string_sized_new (48);
  switch (sign_posn)
    {
    case 0:
      if (negative)
        g_string_append_printf (out, "(%s)", body);
      else
        g_string_append (out, body);
      break;

    case 2:
      g_string_append (out, body);
      if (*sign != '\0' && sep_by_space == 2 && !cs_precedes)
        g_string_append_c (out, ' ');
      g_string_append (out, sign);
      break;

    case 3:
    case 4:
      g_string_append (out, body);
      break;

    case 1:
    default:
      g_string_append (out, sign);
      if (*sign != '\0' && sep_by_space == 2 && cs_precedes)
        g_string_append_c (out, ' ');
      g_string_append (out, body);
      break;
    }

  return g_string_free (out, FALSE);
}

char *
kassa_money_format_display (const KassaCurrency *currency,
                            gint64               minor)
{
  g_return_val_if_fail (currency != NULL, NULL);

  return kassa_money_format_display_for (currency, minor, localeconv ());
}

gboolean
kassa_quantity_parse (const char  *text,
                      char         decimal_point,
                      gint64      *milli,
                      GError     **error)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (decimal_point == '.' || decimal_point == ',', FALSE);
  g_return_val_if_fail (milli != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return parse_decimal (text, decimal_point, 3, "a quantity (3)", milli, error);
}

char *
kassa_quantity_format (gint64 milli)
{
  GString *out = g_string_sized_new (24);

  append_decimal (out, milli, 3, TRUE);
  return g_string_free (out, FALSE);
}

gboolean
kassa_rate_parse (const char  *text,
                  char         decimal_point,
                  gint64      *ppm,
                  GError     **error)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (decimal_point == '.' || decimal_point == ',', FALSE);
  g_return_val_if_fail (ppm != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* A percent with four decimals is exactly parts per million. */
  return parse_decimal (text, decimal_point, 4, "a rate (4)", ppm, error);
}

char *
kassa_rate_format (gint64 ppm)
{
  GString *out = g_string_sized_new (24);

  append_decimal (out, ppm, 4, TRUE);
  return g_string_free (out, FALSE);
}
