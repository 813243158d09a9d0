/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-currency"

#include "config.h"

#include <string.h>

#include "kassa-currency.h"
#include "kassa-error.h"

static const KassaCurrency *
lookup (const char *code)
{
  g_autoptr(GError) error = NULL;
  const KassaCurrency *currency = kassa_currency_lookup (code, &error);

  g_assert_no_error (error);
  g_assert_nonnull (currency);
  return currency;
}

static void
test_exponents (void)
{
  static const struct { const char *code; guint exponent; gint64 scale; } cases[] = {
    { "EUR", 2, 100 }, { "USD", 2, 100 }, { "GBP", 2, 100 }, { "CHF", 2, 100 },
    { "JPY", 0, 1 }, { "KRW", 0, 1 }, { "ISK", 0, 1 }, { "UGX", 0, 1 }, { "XOF", 0, 1 },
    { "KWD", 3, 1000 }, { "BHD", 3, 1000 }, { "JOD", 3, 1000 }, { "OMR", 3, 1000 },
    { "TND", 3, 1000 }, { "IQD", 3, 1000 }, { "LYD", 3, 1000 },
    { "CLF", 4, 10000 }, { "UYW", 4, 10000 },
    { "HUF", 2, 100 }, { "TWD", 2, 100 }, { "MGA", 2, 100 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const KassaCurrency *currency = lookup (cases[i].code);

      g_assert_cmpstr (kassa_currency_get_code (currency), ==, cases[i].code);
      g_assert_cmpuint (kassa_currency_get_exponent (currency), ==, cases[i].exponent);
      g_assert_cmpint (kassa_currency_get_scale (currency), ==, cases[i].scale);
    }
}

static void
test_lookup_case (void)
{
  const KassaCurrency *eur = lookup ("EUR");

  /* Entries are static: the same pointer whatever the spelling. */
  g_assert_true (lookup ("eur") == eur);
  g_assert_true (lookup ("Eur") == eur);
  g_assert_true (lookup ("AED") != NULL);
  g_assert_true (lookup ("ZWG") != NULL);
}

static void
test_unknown (void)
{
  static const char *codes[] = { "XYZ", "", "EU", "EURO", "E R", "123", "XAU" };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (kassa_currency_lookup (codes[i], &error));
      g_assert_error (error, KASSA_ERROR, KASSA_ERROR_UNKNOWN_CURRENCY);
      g_assert_nonnull (strstr (error->message, codes[i]));
    }
}

static void
test_unknown_message (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (kassa_currency_lookup ("\377AB", &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_UNKNOWN_CURRENCY);
  g_assert_cmpstr (error->message, ==, "unknown currency code “?AB”");
}

static void
test_symbols (void)
{
  g_assert_cmpstr (kassa_currency_get_symbol (lookup ("EUR")), ==, "€");
  g_assert_cmpstr (kassa_currency_get_symbol (lookup ("USD")), ==, "$");
  g_assert_cmpstr (kassa_currency_get_symbol (lookup ("GBP")), ==, "£");
  g_assert_cmpstr (kassa_currency_get_symbol (lookup ("JPY")), ==, "¥");
  g_assert_cmpstr (kassa_currency_get_symbol (lookup ("CHF")), ==, "CHF");
  /* No widely known symbol: the code stands in. */
  g_assert_cmpstr (kassa_currency_get_symbol (lookup ("KWD")), ==, "KWD");
  g_assert_cmpstr (kassa_currency_get_symbol (lookup ("BHD")), ==, "BHD");
}

static void
test_stripe_code (void)
{
  g_assert_cmpstr (kassa_currency_get_stripe_code (lookup ("EUR")), ==, "eur");
  g_assert_cmpstr (kassa_currency_get_stripe_code (lookup ("jpy")), ==, "jpy");
  g_assert_null (kassa_currency_get_stripe_code (lookup ("CLF")));
}

static void
assert_to_stripe (const char *code,
                  gint64      minor,
                  gint64      expected)
{
  g_autoptr(GError) error = NULL;
  const KassaCurrency *currency = lookup (code);
  gint64 stripe = -1, back = -1;

  g_assert_true (kassa_currency_to_stripe_amount (currency, minor, &stripe, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stripe, ==, expected);

  g_assert_true (kassa_currency_from_stripe_amount (currency, stripe, &back, &error));
  g_assert_no_error (error);
  g_assert_cmpint (back, ==, minor);
}

static void
assert_to_stripe_refused (const char *code,
                          gint64      minor,
                          int         error_code,
                          const char *message_part)
{
  g_autoptr(GError) error = NULL;
  gint64 stripe = 42;

  g_assert_false (kassa_currency_to_stripe_amount (lookup (code), minor, &stripe, &error));
  g_assert_error (error, KASSA_ERROR, error_code);
  g_assert_nonnull (strstr (error->message, message_part));
  g_assert_cmpint (stripe, ==, 42);
}

static void
test_stripe_conversions (void)
{
  assert_to_stripe ("EUR", 1050, 1050);          /* 10.50 € → 1050 cents */
  assert_to_stripe ("USD", 0, 0);
  assert_to_stripe ("JPY", 500, 500);            /* zero-decimal: as is */
  assert_to_stripe ("KRW", 15000, 15000);
  assert_to_stripe ("XOF", 2500, 2500);
  assert_to_stripe ("ISK", 5, 500);              /* legacy two-decimal */
  assert_to_stripe ("UGX", 5, 500);
  assert_to_stripe ("HUF", 1045, 1045);          /* charges take decimals */
  assert_to_stripe ("TWD", 80045, 80045);
  assert_to_stripe ("MGA", 300, 3);              /* Stripe takes whole ariary */
  assert_to_stripe ("KWD", 5120, 5120);          /* three decimals ending in 0 */
  assert_to_stripe ("BHD", 10000, 10000);
}

static void
test_stripe_refusals (void)
{
  gint64 minor = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(GError) error3 = NULL;

  assert_to_stripe_refused ("KWD", 5124, KASSA_ERROR_PRECISION, "5.124 KWD");
  assert_to_stripe_refused ("OMR", 1, KASSA_ERROR_PRECISION, "OMR");
  assert_to_stripe_refused ("MGA", 350, KASSA_ERROR_PRECISION, "3.50 MGA");
  assert_to_stripe_refused ("CLF", 10000, KASSA_ERROR_INVALID, "CLF");
  assert_to_stripe_refused ("EUR", -1, KASSA_ERROR_INVALID, "negative");
  assert_to_stripe_refused ("ISK", G_MAXINT64 / 10, KASSA_ERROR_OVERFLOW, "too large");

  /* An ISK amount from Stripe that is not whole krónur. */
  g_assert_false (kassa_currency_from_stripe_amount (lookup ("ISK"), 550, &minor, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PRECISION);
  g_assert_false (kassa_currency_from_stripe_amount (lookup ("EUR"), -5, &minor, &error2));
  g_assert_error (error2, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_false (kassa_currency_from_stripe_amount (lookup ("MGA"), G_MAXINT64, &minor, &error3));
  g_assert_error (error3, KASSA_ERROR, KASSA_ERROR_OVERFLOW);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/currency/exponents", test_exponents);
  g_test_add_func ("/kassa/currency/lookup-case", test_lookup_case);
  g_test_add_func ("/kassa/currency/unknown", test_unknown);
  g_test_add_func ("/kassa/currency/unknown-message", test_unknown_message);
  g_test_add_func ("/kassa/currency/symbols", test_symbols);
  g_test_add_func ("/kassa/currency/stripe-code", test_stripe_code);
  g_test_add_func ("/kassa/currency/stripe-conversions", test_stripe_conversions);
  g_test_add_func ("/kassa/currency/stripe-refusals", test_stripe_refusals);

  return g_test_run ();
}
