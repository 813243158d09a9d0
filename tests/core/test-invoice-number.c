/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kassa-error.h"
#include "kassa-invoice-number.h"

static char *
format (const char *pattern,
        guint       year,
        guint       month,
        guint64     sequence)
{
  g_autoptr(KassaInvoiceNumberFormat) fmt = NULL;
  g_autoptr(GError) error = NULL;
  char *number;

  fmt = kassa_invoice_number_format_new (pattern, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_invoice_number_format_get_pattern (fmt), ==, pattern);

  number = kassa_invoice_number_format_format (fmt, year, month, sequence, &error);
  g_assert_no_error (error);

  return number;
}

static void
test_format (void)
{
  static const struct {
    const char *pattern;
    guint       year, month;
    guint64     seq;
    const char *expected;
  } cases[] = {
    { KASSA_INVOICE_NUMBER_DEFAULT_PATTERN, 2026, 3, 42, "INV-2026-00042" },
    { "INV-{YYYY}-{SEQ:5}", 2026, 12, 1, "INV-2026-00001" },
    { "INV-{YYYY}-{SEQ:5}", 2026, 12, 123456, "INV-2026-123456" },
    { "{YY}{MM}-{SEQ}", 2031, 7, 9, "3107-9" },
    { "{YY}/{SEQ:3}", 2000, 1, 5, "00/005" },
    { "R {YYYY}.{MM}.{SEQ:1}", 987, 10, 10, "R 0987.10.10" },
    { "{SEQ:12}/{YYYY}", 2026, 1, 7, "000000000007/2026" },
    { "Rechnung-{YYYY}-{SEQ}-ä", 2026, 1, 18446744073709551615u, "Rechnung-2026-18446744073709551615-ä" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *number = format (cases[i].pattern, cases[i].year, cases[i].month, cases[i].seq);

      g_assert_cmpstr (number, ==, cases[i].expected);
    }
}

static void
test_bad_formats (void)
{
  static const char *bad[] = {
    "",
    "INV-{SEQ}",                   /* no year: numbers would repeat after the reset */
    "INV-{YYYY}",                  /* no sequence */
    "{YYYY}-{SEQ}-{SEQ:3}",        /* two sequences */
    "{YYYY}-{SEQ",                 /* unclosed */
    "{YYYY}-SEQ}",                 /* stray closing brace */
    "{YYYY}-{{SEQ}}",
    "{YYYY}-{seq}",                /* fields are upper case */
    "{YYYY}-{DD}-{SEQ}",
    "{YYYY}-{SEQ:0}",
    "{YYYY}-{SEQ:13}",
    "{YYYY}-{SEQ:}",
    "{YYYY}-{SEQ:x}",
    "{YYYY}-{SEQ:-1}",
    "{YYYY}-{SEQ:+5}",
    "{YYYY}-{}",
    "{SEQ}{YYYY}",                 /* cannot tell where the sequence ends */
    "{YYYY}{SEQ}{MM}",
    "INV\t{YYYY}-{SEQ}",           /* control character */
    "INV-{YYYY}-{SEQ:5}-this-pattern-is-much-too-long-for-any-invoice-ever",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(KassaInvoiceNumberFormat) fmt = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("pattern %s", bad[i]);
      fmt = kassa_invoice_number_format_new (bad[i], &error);
      g_assert_null (fmt);
      g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
    }
}

static void
test_bad_format_message (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (kassa_invoice_number_format_new ("INV-{SEQ:5}", &error));
  g_assert_cmpstr (error->message, ==,
                   "The invoice number format “INV-{SEQ:5}” is invalid: "
                   "it needs {YYYY} or {YY}, since the sequence starts again every year");
  g_clear_error (&error);

  g_assert_null (kassa_invoice_number_format_new ("{YYYY}-{NUM}", &error));
  g_assert_cmpstr (error->message, ==,
                   "The invoice number format “{YYYY}-{NUM}” is invalid: "
                   "“{NUM}” is not a field (use YYYY, YY, MM, SEQ or SEQ:1 to SEQ:12)");
}

static void
test_bad_arguments (void)
{
  g_autoptr(KassaInvoiceNumberFormat) fmt = kassa_invoice_number_format_new ("{YYYY}-{MM}-{SEQ}", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (kassa_invoice_number_format_format (fmt, 0, 1, 1, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (kassa_invoice_number_format_format (fmt, 10000, 1, 1, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (kassa_invoice_number_format_format (fmt, 2026, 13, 1, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (kassa_invoice_number_format_format (fmt, 2026, 0, 1, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (kassa_invoice_number_format_format (fmt, 2026, 1, 0, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
}

static void
test_parse_round_trip (void)
{
  static const char *patterns[] = {
    "INV-{YYYY}-{SEQ:5}", "{YY}{MM}-{SEQ}", "{SEQ:4}/{YYYY}", "F{YYYY}{MM}{SEQ:3}",
  };
  static const guint64 sequences[] = { 1, 9, 10, 999, 1000, 99999, 100000, 7654321 };

  for (guint p = 0; p < G_N_ELEMENTS (patterns); p++)
    {
      g_autoptr(KassaInvoiceNumberFormat) fmt = kassa_invoice_number_format_new (patterns[p], NULL);

      g_assert_nonnull (fmt);

      for (guint s = 0; s < G_N_ELEMENTS (sequences); s++)
        {
          g_autofree char *number = kassa_invoice_number_format_format (fmt, 2027, 11, sequences[s], NULL);
          g_autoptr(GError) error = NULL;
          guint year = 0, month = 0;
          guint64 seq = 0;

          g_assert_true (kassa_invoice_number_format_parse (fmt, number, &year, &month, &seq, &error));
          g_assert_no_error (error);
          g_assert_cmpuint (year, ==, 2027);
          g_assert_cmpuint (seq, ==, sequences[s]);
          g_assert_cmpuint (month, ==, strstr (patterns[p], "{MM}") != NULL ? 11 : 0);
        }
    }
}

static void
test_parse_mismatch (void)
{
  g_autoptr(KassaInvoiceNumberFormat) fmt = kassa_invoice_number_format_new ("INV-{YYYY}-{SEQ:5}", NULL);
  static const char *bad[] = {
    "INV-2026-0042",      /* narrower than the width */
    "INV-2026-00042x",
    "inv-2026-00042",
    "INV-26-00042",
    "INV-2026-",
    "INV-2026-00000",     /* sequences start at 1 */
    "INV-0000-00001",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (kassa_invoice_number_format_parse (fmt, bad[i], NULL, NULL, NULL, &error));
      g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
    }
}

static void
test_boxed (void)
{
  g_autoptr(KassaInvoiceNumberFormat) fmt = kassa_invoice_number_format_new ("{YYYY}-{SEQ}", NULL);
  KassaInvoiceNumberFormat *copy = g_boxed_copy (KASSA_TYPE_INVOICE_NUMBER_FORMAT, fmt);

  g_assert_true (copy == fmt);
  g_boxed_free (KASSA_TYPE_INVOICE_NUMBER_FORMAT, copy);
  g_assert_cmpstr (kassa_invoice_number_format_get_pattern (fmt), ==, "{YYYY}-{SEQ}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/invoice-number/format", test_format);
  g_test_add_func ("/kassa/invoice-number/bad-formats", test_bad_formats);
  g_test_add_func ("/kassa/invoice-number/bad-format-message", test_bad_format_message);
  g_test_add_func ("/kassa/invoice-number/bad-arguments", test_bad_arguments);
  g_test_add_func ("/kassa/invoice-number/parse-round-trip", test_parse_round_trip);
  g_test_add_func ("/kassa/invoice-number/parse-mismatch", test_parse_mismatch);
  g_test_add_func ("/kassa/invoice-number/boxed", test_boxed);

  return g_test_run ();
}
