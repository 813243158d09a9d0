/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-money"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "kassa-error.h"
#include "kassa-money.h"

static const KassaCurrency *
lookup (const char *code)
{
  const KassaCurrency *currency = kassa_currency_lookup (code, NULL);

  g_assert_nonnull (currency);
  return currency;
}

static void
test_checked (void)
{
  gint64 out = 7;

  g_assert_true (kassa_checked_add (G_MAXINT64 - 1, 1, &out));
  g_assert_cmpint (out, ==, G_MAXINT64);
  out = 7;
  g_assert_false (kassa_checked_add (G_MAXINT64, 1, &out));
  g_assert_cmpint (out, ==, 7);
  g_assert_false (kassa_checked_sub (G_MININT64, 1, &out));
  g_assert_true (kassa_checked_sub (0, G_MAXINT64, &out));
  g_assert_cmpint (out, ==, -G_MAXINT64);
  g_assert_false (kassa_checked_mul (G_MAXINT64 / 2 + 1, 2, &out));
  g_assert_true (kassa_checked_mul (-3037000499, 3037000499, &out));
  g_assert_cmpint (out, ==, G_GINT64_CONSTANT (-9223372030926249001));
}

static void
test_mul_div_round (void)
{
  g_autoptr(GError) error = NULL;
  gint64 out = 0;

  /* 25 × 1 ÷ 10 = 2.5 */
  g_assert_true (kassa_mul_div_round (25, 1, 10, KASSA_ROUNDING_HALF_UP, &out, NULL));
  g_assert_cmpint (out, ==, 3);
  g_assert_true (kassa_mul_div_round (25, 1, 10, KASSA_ROUNDING_HALF_EVEN, &out, NULL));
  g_assert_cmpint (out, ==, 2);
  g_assert_true (kassa_mul_div_round (35, 1, 10, KASSA_ROUNDING_HALF_EVEN, &out, NULL));
  g_assert_cmpint (out, ==, 4);
  g_assert_true (kassa_mul_div_round (-25, 1, 10, KASSA_ROUNDING_HALF_UP, &out, NULL));
  g_assert_cmpint (out, ==, -3);
  g_assert_true (kassa_mul_div_round (-25, 1, 10, KASSA_ROUNDING_HALF_EVEN, &out, NULL));
  g_assert_cmpint (out, ==, -2);
  g_assert_true (kassa_mul_div_round (24, 1, 10, KASSA_ROUNDING_HALF_UP, &out, NULL));
  g_assert_cmpint (out, ==, 2);
  g_assert_true (kassa_mul_div_round (26, 1, -10, KASSA_ROUNDING_HALF_UP, &out, NULL));
  g_assert_cmpint (out, ==, -3);

  /* The product needs 128 bits but the result fits. */
  g_assert_true (kassa_mul_div_round (G_MAXINT64, 1000000, 1200000, KASSA_ROUNDING_HALF_UP, &out, NULL));
  g_assert_cmpint (out, ==, G_GINT64_CONSTANT (7686143364045646506));
  g_assert_true (kassa_mul_div_round (G_MAXINT64, G_MAXINT64, G_MAXINT64, KASSA_ROUNDING_HALF_UP, &out, NULL));
  g_assert_cmpint (out, ==, G_MAXINT64);
  g_assert_true (kassa_mul_div_round (G_MININT64, 1, 2, KASSA_ROUNDING_HALF_UP, &out, NULL));
  g_assert_cmpint (out, ==, G_MININT64 / 2);

  out = 11;
  g_assert_false (kassa_mul_div_round (G_MAXINT64, 3, 2, KASSA_ROUNDING_HALF_UP, &out, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_OVERFLOW);
  g_assert_cmpint (out, ==, 11);
}

static void
assert_allocation (gint64        total,
                   const gint64 *weights,
                   guint         n,
                   const gint64 *expected)
{
  g_autoptr(GError) error = NULL;
  gint64 parts[8];
  gint64 sum = 0;

  g_assert_true (kassa_allocate (total, weights, n, parts, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (parts[i], ==, expected[i]);
      sum += parts[i];
    }
  g_assert_cmpint (sum, ==, total);
}

static void
test_allocate (void)
{
  g_autoptr(GError) error = NULL;
  gint64 parts[3];

  /* 100 over three equal weights: 33.33 each, the unit left to the first. */
  assert_allocation (100, (gint64[]) { 1, 1, 1 }, 3, (gint64[]) { 34, 33, 33 });
  /* 10 over 1:2:3 → 1.67, 3.33, 5 → floors 1, 3, 5; the unit to 0.67. */
  assert_allocation (10, (gint64[]) { 1, 2, 3 }, 3, (gint64[]) { 2, 3, 5 });
  /* Negative total: −100 over 1:1:1 → −33.33 floors to −34 each, two
   * units back to the first two. */
  assert_allocation (-100, (gint64[]) { 1, 1, 1 }, 3, (gint64[]) { -33, -33, -34 });
  /* Mixed weights: 10 over 99:−50 (see the totals example). */
  assert_allocation (10, (gint64[]) { 99, -50 }, 2, (gint64[]) { 20, -10 });
  /* Negative weights only: the same shares as positive ones. */
  assert_allocation (7, (gint64[]) { -1, -1 }, 2, (gint64[]) { 4, 3 });
  /* A zero weight gets nothing. */
  assert_allocation (5, (gint64[]) { 0, 3, 0 }, 3, (gint64[]) { 0, 5, 0 });
  /* Large values need 128-bit products. */
  assert_allocation (G_MAXINT64, (gint64[]) { G_MAXINT64, G_MAXINT64 }, 2,
                     (gint64[]) { G_MAXINT64 / 2 + 1, G_MAXINT64 / 2 });
  /* Zero over weights that add up to zero: all parts zero. */
  assert_allocation (0, (gint64[]) { 5, -5 }, 2, (gint64[]) { 0, 0 });
  assert_allocation (0, (gint64[]) { 0, 0 }, 2, (gint64[]) { 0, 0 });

  g_assert_false (kassa_allocate (1, (gint64[]) { 0, 0, 0 }, 3, parts, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
}

static void
assert_parse (const char *code,
              const char *text,
              char        decimal_point,
              gint64      expected)
{
  g_autoptr(GError) error = NULL;
  gint64 minor = 0;

  g_assert_true (kassa_money_parse (lookup (code), text, decimal_point, &minor, &error));
  g_assert_no_error (error);
  g_assert_cmpint (minor, ==, expected);
}

static void
assert_parse_fails (const char *code,
                    const char *text,
                    int         error_code,
                    const char *message)
{
  g_autoptr(GError) error = NULL;
  gint64 minor = 99;

  g_assert_false (kassa_money_parse (lookup (code), text, '.', &minor, &error));
  g_assert_error (error, KASSA_ERROR, error_code);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_cmpint (minor, ==, 99);
}

static void
test_parse (void)
{
  assert_parse ("EUR", "12.5", '.', 1250);
  assert_parse ("EUR", "12.50", '.', 1250);
  assert_parse ("EUR", "12", '.', 1200);
  assert_parse ("EUR", "-0.05", '.', -5);
  assert_parse ("EUR", "+3.10", '.', 310);
  assert_parse ("EUR", "0", '.', 0);
  assert_parse ("EUR", "007.01", '.', 701);
  assert_parse ("EUR", "12,5", ',', 1250);
  assert_parse ("JPY", "1500", '.', 1500);
  assert_parse ("KWD", "1.005", '.', 1005);
  assert_parse ("CLF", "1.2345", '.', 12345);
  assert_parse ("EUR", "92233720368547758.07", '.', G_MAXINT64);
  assert_parse ("EUR", "-92233720368547758.07", '.', -G_MAXINT64);
  assert_parse ("JPY", "9223372036854775807", '.', G_MAXINT64);
}

static void
test_parse_errors (void)
{
  assert_parse_fails ("EUR", "", KASSA_ERROR_INVALID, "empty string where a number was expected");
  assert_parse_fails ("EUR", " 1.00", KASSA_ERROR_INVALID, "“ 1.00” is not a plain decimal number");
  assert_parse_fails ("EUR", "1.00 ", KASSA_ERROR_INVALID, "“1.00 ” is not a plain decimal number");
  assert_parse_fails ("EUR", "1,000.00", KASSA_ERROR_INVALID, "“1,000.00” is not a plain decimal number");
  assert_parse_fails ("EUR", "1e3", KASSA_ERROR_INVALID, "“1e3” is not a plain decimal number");
  assert_parse_fails ("EUR", "-", KASSA_ERROR_INVALID, "“-” is not a plain decimal number");
  assert_parse_fails ("EUR", "--1", KASSA_ERROR_INVALID, "“--1” is not a plain decimal number");
  assert_parse_fails ("EUR", "1.", KASSA_ERROR_INVALID, "“1.” is not a plain decimal number");
  assert_parse_fails ("EUR", ".5", KASSA_ERROR_INVALID, "“.5” is not a plain decimal number");
  assert_parse_fails ("EUR", "€5", KASSA_ERROR_INVALID, "“€5” is not a plain decimal number");
  assert_parse_fails ("EUR", "1\n2", KASSA_ERROR_INVALID, "“1?2” is not a plain decimal number");
  assert_parse_fails ("EUR", "1\3772", KASSA_ERROR_INVALID, "“1?2” is not a plain decimal number");
  assert_parse_fails ("EUR", "12345678901234567890123456789012345678901234567890x", KASSA_ERROR_INVALID,
                      "“1234567890123456789012345678901234567890…” is not a plain decimal number");
  assert_parse_fails ("EUR", "1.005", KASSA_ERROR_PRECISION, "1.005 has more decimals than EUR allows");
  assert_parse_fails ("EUR", "1.000", KASSA_ERROR_PRECISION, "1.000 has more decimals than EUR allows");
  assert_parse_fails ("JPY", "1.5", KASSA_ERROR_PRECISION, "1.5 has more decimals than JPY allows");
  assert_parse_fails ("EUR", "92233720368547758.08", KASSA_ERROR_OVERFLOW, "92233720368547758.08 is too large");
  assert_parse_fails ("EUR", "-92233720368547758.08", KASSA_ERROR_OVERFLOW, "-92233720368547758.08 is too large");
  assert_parse_fails ("EUR", "92233720368547759", KASSA_ERROR_OVERFLOW, "92233720368547759 is too large");
  assert_parse ("EUR", "92233720368547758", '.', G_GINT64_CONSTANT (9223372036854775800));
  assert_parse_fails ("JPY", "99999999999999999999999", KASSA_ERROR_OVERFLOW, "99999999999999999999999 is too large");

  {
    g_autoptr(GError) error = NULL;
    gint64 minor;

    /* ',' as decimal point makes '.' a stranger. */
    g_assert_false (kassa_money_parse (lookup ("EUR"), "1.50", ',', &minor, &error));
    g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  }
}

static void
test_format_plain (void)
{
  static const struct { const char *code; gint64 minor; const char *text; } cases[] = {
    { "EUR", 1250, "12.50" }, { "EUR", 5, "0.05" }, { "EUR", -5, "-0.05" }, { "EUR", 0, "0.00" },
    { "EUR", -123456, "-1234.56" }, { "JPY", 1500, "1500" }, { "JPY", -7, "-7" },
    { "KWD", 1005, "1.005" }, { "BHD", 10, "0.010" }, { "CLF", 12345, "1.2345" },
    { "EUR", G_MAXINT64, "92233720368547758.07" },
    { "EUR", G_MININT64, "-92233720368547758.08" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = kassa_money_format_plain (lookup (cases[i].code), cases[i].minor);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_round_trip (void)
{
  static const char *codes[] = { "EUR", "JPY", "KWD", "CLF" };
  g_autoptr(GRand) rand = g_rand_new_with_seed (17);

  for (guint i = 0; i < 20000; i++)
    {
      const KassaCurrency *currency = lookup (codes[i % G_N_ELEMENTS (codes)]);
      gint64 value = ((gint64) g_rand_int (rand) << 31) ^ g_rand_int (rand);
      g_autofree char *text = NULL;
      gint64 back = 0;

      if (g_rand_boolean (rand))
        value = -value;
      if (i < 8)
        value = (i & 1) ? G_MAXINT64 : -G_MAXINT64;

      text = kassa_money_format_plain (currency, value);
      g_assert_true (kassa_money_parse (currency, text, '.', &back, NULL));
      g_assert_cmpint (back, ==, value);
    }
}

static void
test_quantity (void)
{
  gint64 milli = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = kassa_quantity_format (1500);
  g_autofree char *b = kassa_quantity_format (3000);
  g_autofree char *c = kassa_quantity_format (1234);
  g_autofree char *d = kassa_quantity_format (-500);
  g_autofree char *e = kassa_quantity_format (1);
  g_autofree char *f = kassa_quantity_format (0);

  g_assert_cmpstr (a, ==, "1.5");
  g_assert_cmpstr (b, ==, "3");
  g_assert_cmpstr (c, ==, "1.234");
  g_assert_cmpstr (d, ==, "-0.5");
  g_assert_cmpstr (e, ==, "0.001");
  g_assert_cmpstr (f, ==, "0");

  g_assert_true (kassa_quantity_parse ("1.5", '.', &milli, NULL));
  g_assert_cmpint (milli, ==, 1500);
  g_assert_true (kassa_quantity_parse ("-2", '.', &milli, NULL));
  g_assert_cmpint (milli, ==, -2000);
  g_assert_true (kassa_quantity_parse ("0,125", ',', &milli, NULL));
  g_assert_cmpint (milli, ==, 125);
  g_assert_false (kassa_quantity_parse ("1.2345", '.', &milli, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PRECISION);
  g_assert_cmpstr (error->message, ==, "1.2345 has more decimals than a quantity (3) allows");
}

static void
test_rate (void)
{
  gint64 ppm = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = kassa_rate_format (200000);
  g_autofree char *b = kassa_rate_format (55000);
  g_autofree char *c = kassa_rate_format (99750);
  g_autofree char *d = kassa_rate_format (0);
  g_autofree char *e = kassa_rate_format (1);
  g_autofree char *f = kassa_rate_format (1000000);

  g_assert_cmpstr (a, ==, "20");
  g_assert_cmpstr (b, ==, "5.5");
  g_assert_cmpstr (c, ==, "9.975");
  g_assert_cmpstr (d, ==, "0");
  g_assert_cmpstr (e, ==, "0.0001");
  g_assert_cmpstr (f, ==, "100");

  g_assert_true (kassa_rate_parse ("20", '.', &ppm, NULL));
  g_assert_cmpint (ppm, ==, 200000);
  g_assert_true (kassa_rate_parse ("9.975", '.', &ppm, NULL));
  g_assert_cmpint (ppm, ==, 99750);
  g_assert_true (kassa_rate_parse ("5,5", ',', &ppm, NULL));
  g_assert_cmpint (ppm, ==, 55000);
  /* Syntax only: the range belongs to whoever uses the rate. */
  g_assert_true (kassa_rate_parse ("150", '.', &ppm, NULL));
  g_assert_cmpint (ppm, ==, 1500000);
  g_assert_false (kassa_rate_parse ("9.97501", '.', &ppm, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PRECISION);
}

static char *
format_with (const char   *code,
             gint64        minor,
             const char   *decimal_point,
             const char   *thousands,
             const char   *grouping,
             char          cs_precedes,
             char          sep_by_space,
             char          sign_posn)
{
  struct lconv conv;

  memset (&conv, 0, sizeof conv);
  conv.mon_decimal_point = (char *) decimal_point;
  conv.mon_thousands_sep = (char *) thousands;
  conv.mon_grouping = (char *) grouping;
  conv.positive_sign = (char *) "";
  conv.negative_sign = (char *) "-";
  conv.p_cs_precedes = conv.n_cs_precedes = cs_precedes;
  conv.p_sep_by_space = conv.n_sep_by_space = sep_by_space;
  conv.p_sign_posn = conv.n_sign_posn = sign_posn;

  return kassa_money_format_display_for (lookup (code), minor, &conv);
}

#define ASSERT_FORMAT(expected, ...) \
  G_STMT_START { \
    g_autofree char *_text = format_with (__VA_ARGS__); \
    g_assert_cmpstr (_text, ==, expected); \
  } G_STMT_END

static void
test_display_conventions (void)
{
  /* en_US-like: symbol first, no space, sign first. */
  ASSERT_FORMAT ("€1,234.50", "EUR", 123450, ".", ",", "\3", 1, 0, 1);
  ASSERT_FORMAT ("-€1,234.50", "EUR", -123450, ".", ",", "\3", 1, 0, 1);
  ASSERT_FORMAT ("$1,234,567.89", "USD", 123456789, ".", ",", "\3\3", 1, 0, 1);
  ASSERT_FORMAT ("$0.05", "USD", 5, ".", ",", "\3", 1, 0, 1);
  /* de_DE-like: symbol after, space, '.' groups, ',' decimals. */
  ASSERT_FORMAT ("1.234,50 €", "EUR", 123450, ",", ".", "\3\3", 0, 1, 1);
  ASSERT_FORMAT ("-1.234,50 €", "EUR", -123450, ",", ".", "\3\3", 0, 1, 1);
  ASSERT_FORMAT ("999,00 €", "EUR", 99900, ",", ".", "\3\3", 0, 1, 1);
  /* en_IN-like grouping: 3 then 2s. */
  ASSERT_FORMAT ("₹12,34,567.00", "INR", 123456700, ".", ",", "\3\2", 1, 0, 1);
  /* No grouping. */
  ASSERT_FORMAT ("€1234567.00", "EUR", 123456700, ".", "", "", 1, 0, 1);
  /* Parentheses for negatives. */
  ASSERT_FORMAT ("(€5.00)", "EUR", -500, ".", ",", "\3", 1, 0, 0);
  /* Sign after the amount. */
  ASSERT_FORMAT ("5.00 €-", "EUR", -500, ".", ",", "\3", 0, 1, 2);
  /* Sign right before or after the symbol. */
  ASSERT_FORMAT ("-€5.00", "EUR", -500, ".", ",", "\3", 1, 0, 3);
  ASSERT_FORMAT ("€-5.00", "EUR", -500, ".", ",", "\3", 1, 0, 4);
  /* Zero- and three-decimal currencies keep their digits. */
  ASSERT_FORMAT ("¥1,500", "JPY", 1500, ".", ",", "\3", 1, 0, 1);
  ASSERT_FORMAT ("1.005 KWD", "KWD", 1005, ".", ",", "\3", 0, 1, 1);
  /* A code never touches the digits, even when the locale says no space. */
  ASSERT_FORMAT ("KWD 1.005", "KWD", 1005, ".", ",", "\3", 1, 0, 1);
  ASSERT_FORMAT ("-€92,233,720,368,547,758.08", "EUR", G_MININT64, ".", ",", "\3", 1, 0, 1);
}

static void
test_display_c_locale (void)
{
  g_autofree char *eur = NULL;
  g_autofree char *neg = NULL;
  g_autofree char *chf = NULL;
  g_autofree char *jpy = NULL;

  if (setlocale (LC_MONETARY, "C.UTF-8") == NULL && setlocale (LC_MONETARY, "C") == NULL)
    {
      g_test_skip ("no C locale");
      return;
    }

  eur = kassa_money_format_display (lookup ("EUR"), 123450);
  neg = kassa_money_format_display (lookup ("EUR"), -500);
  chf = kassa_money_format_display (lookup ("CHF"), 500);
  jpy = kassa_money_format_display (lookup ("JPY"), 1234567);
  g_assert_cmpstr (eur, ==, "€1,234.50");
  g_assert_cmpstr (neg, ==, "-€5.00");
  g_assert_cmpstr (chf, ==, "CHF 5.00");
  g_assert_cmpstr (jpy, ==, "¥1,234,567");
}

static void
test_display_installed_locale (void)
{
  const char *old = setlocale (LC_MONETARY, NULL);
  g_autofree char *saved = g_strdup (old);
  g_autofree char *text = NULL;

  if (setlocale (LC_MONETARY, "de_DE.UTF-8") == NULL)
    {
      g_test_skip ("de_DE.UTF-8 is not installed");
      return;
    }

  text = kassa_money_format_display (lookup ("EUR"), 123450);
  setlocale (LC_MONETARY, saved);
  g_assert_cmpstr (text, ==, "1.234,50 €");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/money/checked", test_checked);
  g_test_add_func ("/kassa/money/mul-div-round", test_mul_div_round);
  g_test_add_func ("/kassa/money/allocate", test_allocate);
  g_test_add_func ("/kassa/money/parse", test_parse);
  g_test_add_func ("/kassa/money/parse-errors", test_parse_errors);
  g_test_add_func ("/kassa/money/format-plain", test_format_plain);
  g_test_add_func ("/kassa/money/round-trip", test_round_trip);
  g_test_add_func ("/kassa/money/quantity", test_quantity);
  g_test_add_func ("/kassa/money/rate", test_rate);
  g_test_add_func ("/kassa/money/display-conventions", test_display_conventions);
  g_test_add_func ("/kassa/money/display-c-locale", test_display_c_locale);
  g_test_add_func ("/kassa/money/display-installed-locale", test_display_installed_locale);

  return g_test_run ();
}
