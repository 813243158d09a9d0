/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-currency"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "kassa-currency.h"
#include "kassa-error.h"
#include "kassa-money.h"

struct _KassaCurrency
{
  const char *code;
  /* NULL when Stripe does not take the currency at all. */
  const char *stripe_code;
  guint       exponent;
  const char *symbol;
  /* Stripe's own minor unit; it differs from ISO 4217 for the legacy
   * two-decimal ISK and UGX and for MGA, which Stripe treats as
   * zero-decimal. -1 when Stripe does not take the currency. */
  int         stripe_exponent;
  /* Stripe refuses amounts that are not a multiple of this, in its
   * units: 10 for the three-decimal currencies, 100 for ISK and UGX.
   * HUF and TWD charges take two decimals; only Stripe payouts, which
   * the till never makes, need whole units there. */
  int         stripe_multiple;
};

/* ISO 4217 active codes that have a minor unit, sorted by code so the
 * lookup can bisect. Precious metals, testing and SDR codes have no
 * minor unit and are not money a till can take. */
static const KassaCurrency currencies[] = {
  { "AED", "aed", 2, "AED", 2, 1 },
  { "AFN", "afn", 2, NULL, 2, 1 },
  { "ALL", "all", 2, NULL, 2, 1 },
  { "AMD", "amd", 2, NULL, 2, 1 },
  { "ANG", "ang", 2, NULL, 2, 1 },
  { "AOA", "aoa", 2, NULL, 2, 1 },
  { "ARS", "ars", 2, NULL, 2, 1 },
  { "AUD", "aud", 2, "A$", 2, 1 },
  { "AWG", "awg", 2, NULL, 2, 1 },
  { "AZN", "azn", 2, "₼", 2, 1 },
  { "BAM", "bam", 2, NULL, 2, 1 },
  { "BBD", "bbd", 2, NULL, 2, 1 },
  { "BDT", "bdt", 2, "৳", 2, 1 },
  { "BGN", "bgn", 2, "лв", 2, 1 },
  { "BHD", "bhd", 3, NULL, 3, 10 },
  { "BIF", "bif", 0, NULL, 0, 1 },
  { "BMD", "bmd", 2, NULL, 2, 1 },
  { "BND", "bnd", 2, NULL, 2, 1 },
  { "BOB", "bob", 2, NULL, 2, 1 },
  { "BOV", NULL, 2, NULL, -1, 1 },
  { "BRL", "brl", 2, "R$", 2, 1 },
  { "BSD", "bsd", 2, NULL, 2, 1 },
  { "BTN", "btn", 2, NULL, 2, 1 },
  { "BWP", "bwp", 2, NULL, 2, 1 },
  { "BYN", "byn", 2, NULL, 2, 1 },
  { "BZD", "bzd", 2, NULL, 2, 1 },
  { "CAD", "cad", 2, "CA$", 2, 1 },
  { "CDF", "cdf", 2, NULL, 2, 1 },
  { "CHE", NULL, 2, NULL, -1, 1 },
  { "CHF", "chf", 2, "CHF", 2, 1 },
  { "CHW", NULL, 2, NULL, -1, 1 },
  { "CLF", NULL, 4, NULL, -1, 1 },
  { "CLP", "clp", 0, NULL, 0, 1 },
  { "CNY", "cny", 2, "¥", 2, 1 },
  { "COP", "cop", 2, NULL, 2, 1 },
  { "COU", NULL, 2, NULL, -1, 1 },
  { "CRC", "crc", 2, "₡", 2, 1 },
  { "CUP", NULL, 2, NULL, -1, 1 },
  { "CVE", "cve", 2, NULL, 2, 1 },
  { "CZK", "czk", 2, "Kč", 2, 1 },
  { "DJF", "djf", 0, NULL, 0, 1 },
  { "DKK", "dkk", 2, "kr", 2, 1 },
  { "DOP", "dop", 2, NULL, 2, 1 },
  { "DZD", "dzd", 2, NULL, 2, 1 },
  { "EGP", "egp", 2, "E£", 2, 1 },
  { "ERN", "ern", 2, NULL, 2, 1 },
  { "ETB", "etb", 2, NULL, 2, 1 },
  { "EUR", "eur", 2, "€", 2, 1 },
  { "FJD", "fjd", 2, NULL, 2, 1 },
  { "FKP", "fkp", 2, NULL, 2, 1 },
  { "GBP", "gbp", 2, "£", 2, 1 },
  { "GEL", "gel", 2, "₾", 2, 1 },
  { "GHS", "ghs", 2, "GH₵", 2, 1 },
  { "GIP", "gip", 2, NULL, 2, 1 },
  { "GMD", "gmd", 2, NULL, 2, 1 },
  { "GNF", "gnf", 0, NULL, 0, 1 },
  { "GTQ", "gtq", 2, NULL, 2, 1 },
  { "GYD", "gyd", 2, NULL, 2, 1 },
  { "HKD", "hkd", 2, "HK$", 2, 1 },
  { "HNL", "hnl", 2, NULL, 2, 1 },
  { "HTG", "htg", 2, NULL, 2, 1 },
  { "HUF", "huf", 2, "Ft", 2, 1 },
  { "IDR", "idr", 2, "Rp", 2, 1 },
  { "ILS", "ils", 2, "₪", 2, 1 },
  { "INR", "inr", 2, "₹", 2, 1 },
  { "IQD", NULL, 3, NULL, -1, 1 },
  { "IRR", NULL, 2, NULL, -1, 1 },
  { "ISK", "isk", 0, "kr", 2, 100 },
  { "JMD", "jmd", 2, NULL, 2, 1 },
  { "JOD", "jod", 3, NULL, 3, 10 },
  { "JPY", "jpy", 0, "¥", 0, 1 },
  { "KES", "kes", 2, NULL, 2, 1 },
  { "KGS", "kgs", 2, NULL, 2, 1 },
  { "KHR", "khr", 2, "៛", 2, 1 },
  { "KMF", "kmf", 0, NULL, 0, 1 },
  { "KPW", NULL, 2, NULL, -1, 1 },
  { "KRW", "krw", 0, "₩", 0, 1 },
  { "KWD", "kwd", 3, NULL, 3, 10 },
  { "KYD", "kyd", 2, NULL, 2, 1 },
  { "KZT", "kzt", 2, "₸", 2, 1 },
  { "LAK", "lak", 2, "₭", 2, 1 },
  { "LBP", "lbp", 2, NULL, 2, 1 },
  { "LKR", "lkr", 2, "Rs", 2, 1 },
  { "LRD", "lrd", 2, NULL, 2, 1 },
  { "LSL", "lsl", 2, NULL, 2, 1 },
  { "LYD", NULL, 3, NULL, -1, 1 },
  { "MAD", "mad", 2, "DH", 2, 1 },
  { "MDL", "mdl", 2, NULL, 2, 1 },
  { "MGA", "mga", 2, NULL, 0, 1 },
  { "MKD", "mkd", 2, NULL, 2, 1 },
  { "MMK", "mmk", 2, NULL, 2, 1 },
  { "MNT", "mnt", 2, "₮", 2, 1 },
  { "MOP", "mop", 2, NULL, 2, 1 },
  { "MRU", "mru", 2, NULL, 2, 1 },
  { "MUR", "mur", 2, NULL, 2, 1 },
  { "MVR", "mvr", 2, NULL, 2, 1 },
  { "MWK", "mwk", 2, NULL, 2, 1 },
  { "MXN", "mxn", 2, "MX$", 2, 1 },
  { "MXV", NULL, 2, NULL, -1, 1 },
  { "MYR", "myr", 2, "RM", 2, 1 },
  { "MZN", "mzn", 2, NULL, 2, 1 },
  { "NAD", "nad", 2, NULL, 2, 1 },
  { "NGN", "ngn", 2, "₦", 2, 1 },
  { "NIO", "nio", 2, NULL, 2, 1 },
  { "NOK", "nok", 2, "kr", 2, 1 },
  { "NPR", "npr", 2, NULL, 2, 1 },
  { "NZD", "nzd", 2, "NZ$", 2, 1 },
  { "OMR", "omr", 3, NULL, 3, 10 },
  { "PAB", "pab", 2, NULL, 2, 1 },
  { "PEN", "pen", 2, NULL, 2, 1 },
  { "PGK", "pgk", 2, NULL, 2, 1 },
  { "PHP", "php", 2, "₱", 2, 1 },
  { "PKR", "pkr", 2, "Rs", 2, 1 },
  { "PLN", "pln", 2, "zł", 2, 1 },
  { "PYG", "pyg", 0, "₲", 0, 1 },
  { "QAR", "qar", 2, NULL, 2, 1 },
  { "RON", "ron", 2, "lei", 2, 1 },
  { "RSD", "rsd", 2, "дин.", 2, 1 },
  { "RUB", "rub", 2, "₽", 2, 1 },
  { "RWF", "rwf", 0, NULL, 0, 1 },
  { "SAR", "sar", 2, "SAR", 2, 1 },
  { "SBD", "sbd", 2, NULL, 2, 1 },
  { "SCR", "scr", 2, NULL, 2, 1 },
  { "SDG", "sdg", 2, NULL, 2, 1 },
  { "SEK", "sek", 2, "kr", 2, 1 },
  { "SGD", "sgd", 2, "S$", 2, 1 },
  { "SHP", "shp", 2, NULL, 2, 1 },
  { "SLE", "sle", 2, NULL, 2, 1 },
  { "SOS", "sos", 2, NULL, 2, 1 },
  { "SRD", "srd", 2, NULL, 2, 1 },
  { "SSP", "ssp", 2, NULL, 2, 1 },
  { "STN", "stn", 2, NULL, 2, 1 },
  { "SVC", "svc", 2, NULL, 2, 1 },
  { "SYP", NULL, 2, NULL, -1, 1 },
  { "SZL", "szl", 2, NULL, 2, 1 },
  { "THB", "thb", 2, "฿", 2, 1 },
  { "TJS", "tjs", 2, NULL, 2, 1 },
  { "TMT", "tmt", 2, NULL, 2, 1 },
  { "TND", "tnd", 3, NULL, 3, 10 },
  { "TOP", "top", 2, NULL, 2, 1 },
  { "TRY", "try", 2, "₺", 2, 1 },
  { "TTD", "ttd", 2, NULL, 2, 1 },
  { "TWD", "twd", 2, "NT$", 2, 1 },
  { "TZS", "tzs", 2, NULL, 2, 1 },
  { "UAH", "uah", 2, "₴", 2, 1 },
  { "UGX", "ugx", 0, NULL, 2, 100 },
  { "USD", "usd", 2, "$", 2, 1 },
  { "USN", NULL, 2, NULL, -1, 1 },
  { "UYI", NULL, 0, NULL, -1, 1 },
  { "UYU", "uyu", 2, NULL, 2, 1 },
  { "UYW", NULL, 4, NULL, -1, 1 },
  { "UZS", "uzs", 2, NULL, 2, 1 },
  { "VED", NULL, 2, NULL, -1, 1 },
  { "VES", "ves", 2, NULL, 2, 1 },
  { "VND", "vnd", 0, "₫", 0, 1 },
  { "VUV", "vuv", 0, NULL, 0, 1 },
  { "WST", "wst", 2, NULL, 2, 1 },
  { "XAF", "xaf", 0, "FCFA", 0, 1 },
  { "XCD", "xcd", 2, NULL, 2, 1 },
  { "XCG", "xcg", 2, NULL, 2, 1 },
  { "XOF", "xof", 0, "F CFA", 0, 1 },
  { "XPF", "xpf", 0, "CFPF", 0, 1 },
  { "YER", "yer", 2, NULL, 2, 1 },
  { "ZAR", "zar", 2, "R", 2, 1 },
  { "ZMW", "zmw", 2, NULL, 2, 1 },
  { "ZWG", "zwg", 2, NULL, 2, 1 },
};

static const gint64 powers_of_ten[] = {
  1, 10, 100, 1000, 10000, 100000, 1000000,
};

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

static int
compare_code (const void *key,
              const void *member)
{
  const KassaCurrency *currency = member;

  return strcmp (key, currency->code);
}

static char *
format_for_error (const KassaCurrency *currency,
                  gint64               minor)
{
  g_autofree char *plain = kassa_money_format_plain (currency, minor);

  return g_strdup_printf ("%s %s", plain, currency->code);
}

/**
 * kassa_currency_lookup:
 * @code: an ISO 4217 code, in any case
 * @error: return location for a #GError
 *
 * Returns: (transfer none) (nullable): the static table entry, or %NULL
 *   with %KASSA_ERROR_UNKNOWN_CURRENCY
 */
const KassaCurrency *
kassa_currency_lookup (const char  *code,
                       GError     **error)
{
  char upper[4];
  const KassaCurrency *found = NULL;

  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strlen (code) == 3)
    {
      for (guint i = 0; i < 3; i++)
        upper[i] = g_ascii_toupper (code[i]);
      upper[3] = '\0';

      found = bsearch (upper, currencies, G_N_ELEMENTS (currencies),
                       sizeof currencies[0], compare_code);
    }

  if (found == NULL)
    {
      g_autofree char *shown = printable (code);

      g_set_error (error, KASSA_ERROR, KASSA_ERROR_UNKNOWN_CURRENCY,
                   "unknown currency code “%s”", shown);
    }

  return found;
}

const char *
kassa_currency_get_code (const KassaCurrency *currency)
{
  g_return_val_if_fail (currency != NULL, NULL);

  return currency->code;
}

guint
kassa_currency_get_exponent (const KassaCurrency *currency)
{
  g_return_val_if_fail (currency != NULL, 0);

  return currency->exponent;
}

/**
 * kassa_currency_get_scale:
 * @currency: a currency
 *
 * Returns: how many minor units make one major unit (100 for EUR, 1 for JPY)
 */
gint64
kassa_currency_get_scale (const KassaCurrency *currency)
{
  g_return_val_if_fail (currency != NULL, 1);

  return powers_of_ten[currency->exponent];
}

/**
 * kassa_currency_get_symbol:
 * @currency: a currency
 *
 * Returns: the usual symbol (“€”, “£”, “CHF”), or the code itself for
 *   currencies without a widely known one
 */
const char *
kassa_currency_get_symbol (const KassaCurrency *currency)
{
  g_return_val_if_fail (currency != NULL, NULL);

  return currency->symbol != NULL ? currency->symbol : currency->code;
}

/**
 * kassa_currency_get_stripe_code:
 * @currency: a currency
 *
 * Returns: (nullable): the lower-case code Stripe expects, or %NULL when
 *   Stripe does not take this currency
 */
const char *
kassa_currency_get_stripe_code (const KassaCurrency *currency)
{
  g_return_val_if_fail (currency != NULL, NULL);

  return currency->stripe_code;
}

/**
 * kassa_currency_to_stripe_amount:
 * @currency: a currency
 * @minor: a non-negative amount in ISO minor units
 * @stripe_amount: (out): the amount in the unit Stripe expects
 * @error: return location for a #GError
 *
 * Converts to Stripe's unit: as is for most currencies, ×100 for ISK and
 * UGX, whole units for MGA. Refuses (%KASSA_ERROR_INVALID) currencies Stripe
 * does not take and negative amounts, and (%KASSA_ERROR_PRECISION) amounts
 * Stripe cannot represent: fractions of a zero-decimal unit, three-decimal
 * amounts whose last digit is not 0.
 *
 * Returns: %TRUE on success
 */
gboolean
kassa_currency_to_stripe_amount (const KassaCurrency  *currency,
                                 gint64                minor,
                                 gint64               *stripe_amount,
                                 GError              **error)
{
  int shift;
  gint64 result;

  g_return_val_if_fail (currency != NULL, FALSE);
  g_return_val_if_fail (stripe_amount != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (currency->stripe_exponent < 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   "Stripe does not take payments in %s", currency->code);
      return FALSE;
    }

  if (minor < 0)
    {
      g_autofree char *text = format_for_error (currency, minor);

      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   "%s: Stripe amounts cannot be negative", text);
      return FALSE;
    }

  shift = currency->stripe_exponent - (int) currency->exponent;
  if (shift >= 0)
    {
      if (!kassa_checked_mul (minor, powers_of_ten[shift], &result))
        {
          g_autofree char *text = format_for_error (currency, minor);

          g_set_error (error, KASSA_ERROR, KASSA_ERROR_OVERFLOW,
                       "%s is too large for a Stripe amount", text);
          return FALSE;
        }
    }
  else
    {
      gint64 divisor = powers_of_ten[-shift];

      if (minor % divisor != 0)
        {
          g_autofree char *text = format_for_error (currency, minor);

          g_set_error (error, KASSA_ERROR, KASSA_ERROR_PRECISION,
                       "%s has a fraction Stripe cannot take: it only takes whole %s",
                       text, currency->code);
          return FALSE;
        }
      result = minor / divisor;
    }

  if (result % currency->stripe_multiple != 0)
    {
      g_autofree char *text = format_for_error (currency, minor);

      g_set_error (error, KASSA_ERROR, KASSA_ERROR_PRECISION,
                   "%s cannot go to Stripe: %s amounts must be a multiple of %d in its unit",
                   text, currency->code, currency->stripe_multiple);
      return FALSE;
    }

  *stripe_amount = result;
  return TRUE;
}

/**
 * kassa_currency_from_stripe_amount:
 * @currency: a currency
 * @stripe_amount: a non-negative amount as Stripe reports it
 * @minor: (out): the amount in ISO minor units
 * @error: return location for a #GError
 *
 * The inverse of kassa_currency_to_stripe_amount(); an amount with a part
 * below the ISO minor unit (a Stripe ISK amount not ending in 00) is
 * %KASSA_ERROR_PRECISION.
 *
 * Returns: %TRUE on success
 */
gboolean
kassa_currency_from_stripe_amount (const KassaCurrency  *currency,
                                   gint64                stripe_amount,
                                   gint64               *minor,
                                   GError              **error)
{
  int shift;
  gint64 result;

  g_return_val_if_fail (currency != NULL, FALSE);
  g_return_val_if_fail (minor != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (currency->stripe_exponent < 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   "Stripe does not take payments in %s", currency->code);
      return FALSE;
    }

  if (stripe_amount < 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   "Stripe amount %" PRId64 " %s is negative",
                   stripe_amount, currency->code);
      return FALSE;
    }

  shift = currency->stripe_exponent - (int) currency->exponent;
  if (shift >= 0)
    {
      gint64 divisor = powers_of_ten[shift];

      if (stripe_amount % divisor != 0)
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_PRECISION,
                       "Stripe amount %" PRId64 " %s has a fraction of the %s minor unit",
                       stripe_amount, currency->code, currency->code);
          return FALSE;
        }
      result = stripe_amount / divisor;
    }
  else if (!kassa_checked_mul (stripe_amount, powers_of_ten[-shift], &result))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_OVERFLOW,
                   "Stripe amount %" PRId64 " %s is too large",
                   stripe_amount, currency->code);
      return FALSE;
    }

  *minor = result;
  return TRUE;
}
