/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-error.h"
#include "kassa-store-settings.h"

#include "kassa-test-properties.h"

static void
test_properties (void)
{
  g_autoptr(KassaStoreSettings) settings = kassa_store_settings_new ();

  kassa_test_check_defaults (G_OBJECT (settings));
  kassa_test_check_properties (G_OBJECT (settings), NULL);
}

static void
test_defaults (void)
{
  g_autoptr(KassaStoreSettings) settings = kassa_store_settings_new ();

  g_assert_cmpstr (kassa_store_settings_get_currency_code (settings), ==, "EUR");
  g_assert_true (kassa_store_settings_get_prices_include_tax (settings));
  g_assert_cmpint (kassa_store_settings_get_tax_scope (settings), ==, KASSA_TAX_SCOPE_DOCUMENT);
  g_assert_cmpint (kassa_store_settings_get_rounding_mode (settings), ==, KASSA_ROUNDING_HALF_UP);
  g_assert_cmpint (kassa_store_settings_get_cash_rounding_step (settings), ==, 0);
  g_assert_cmpuint (kassa_store_settings_get_reservation_minutes (settings), ==, 15);
  g_assert_false (kassa_store_settings_get_allow_negative_stock (settings));
  g_assert_false (kassa_store_settings_get_delivery_enabled (settings));
  g_assert_false (kassa_store_settings_get_pickup_enabled (settings));
  g_assert_cmpstr (kassa_store_settings_get_invoice_number_format (settings), ==, "INV-{YYYY}-{SEQ:5}");
  g_assert_cmpstr (kassa_store_settings_get_credit_note_number_format (settings), ==, "CN-{YYYY}-{SEQ:5}");
  g_assert_cmpuint (kassa_store_settings_get_invoice_due_days (settings), ==, 14);
  g_assert_true (kassa_store_settings_validate (settings, NULL));
}

static void
test_copy (void)
{
  g_autoptr(KassaStoreSettings) settings = kassa_store_settings_new ();
  g_autoptr(KassaStoreSettings) copy = NULL;

  kassa_store_settings_set_currency_code (settings, "CHF");
  kassa_store_settings_set_cash_rounding_step (settings, 5);
  kassa_store_settings_set_rounding_mode (settings, KASSA_ROUNDING_HALF_EVEN);
  kassa_store_settings_set_tax_scope (settings, KASSA_TAX_SCOPE_LINE);
  kassa_store_settings_set_pickup_enabled (settings, TRUE);
  kassa_store_settings_set_invoice_number_format (settings, "R{YY}/{SEQ}");

  copy = kassa_store_settings_copy (settings);
  kassa_store_settings_set_currency_code (settings, "EUR");

  g_assert_cmpstr (kassa_store_settings_get_currency_code (copy), ==, "CHF");
  g_assert_cmpint (kassa_store_settings_get_cash_rounding_step (copy), ==, 5);
  g_assert_cmpint (kassa_store_settings_get_rounding_mode (copy), ==, KASSA_ROUNDING_HALF_EVEN);
  g_assert_cmpint (kassa_store_settings_get_tax_scope (copy), ==, KASSA_TAX_SCOPE_LINE);
  g_assert_true (kassa_store_settings_get_pickup_enabled (copy));
  g_assert_cmpstr (kassa_store_settings_get_invoice_number_format (copy), ==, "R{YY}/{SEQ}");
}

static void
assert_invalid (KassaStoreSettings *settings,
                GQuark              domain,
                int                 code,
                const char         *message)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (kassa_store_settings_validate (settings, &error));
  g_assert_error (error, domain, code);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
}

static void
test_validate (void)
{
  g_autoptr(KassaStoreSettings) settings = kassa_store_settings_new ();

  kassa_store_settings_set_currency_code (settings, "XXY");
  assert_invalid (settings, KASSA_ERROR, KASSA_ERROR_UNKNOWN_CURRENCY, NULL);
  kassa_store_settings_set_currency_code (settings, "CHF");
  g_assert_true (kassa_store_settings_validate (settings, NULL));

  kassa_store_settings_set_cash_rounding_step (settings, 5);
  g_assert_true (kassa_store_settings_validate (settings, NULL));
  kassa_store_settings_set_cash_rounding_step (settings, -5);
  assert_invalid (settings, KASSA_ERROR, KASSA_ERROR_INVALID,
                  "The cash rounding step must be between 0 (none) and 9999 minor units");
  kassa_store_settings_set_cash_rounding_step (settings, 0);

  kassa_store_settings_set_reservation_minutes (settings, 0);
  assert_invalid (settings, KASSA_ERROR, KASSA_ERROR_INVALID,
                  "Stock reservations must last between 1 and 1440 minutes");
  kassa_store_settings_set_reservation_minutes (settings, 1441);
  assert_invalid (settings, KASSA_ERROR, KASSA_ERROR_INVALID, NULL);
  kassa_store_settings_set_reservation_minutes (settings, 30);

  kassa_store_settings_set_invoice_due_days (settings, 366);
  assert_invalid (settings, KASSA_ERROR, KASSA_ERROR_INVALID, "Invoices must fall due within 365 days");
  kassa_store_settings_set_invoice_due_days (settings, 0);
  g_assert_true (kassa_store_settings_validate (settings, NULL));

  /* The invoice-number parser decides what a pattern may hold. */
  kassa_store_settings_set_invoice_number_format (settings, "INV-{SEQ:5}");
  assert_invalid (settings, KASSA_ERROR, KASSA_ERROR_INVALID, NULL);
  kassa_store_settings_set_invoice_number_format (settings, "");
  assert_invalid (settings, KASSA_ERROR, KASSA_ERROR_INVALID, NULL);
  kassa_store_settings_set_invoice_number_format (settings, "{YYYY}/{SEQ:6}");
  g_assert_true (kassa_store_settings_validate (settings, NULL));

  kassa_store_settings_set_credit_note_number_format (settings, "CN-{YYYY}-{SEQ:5}-{SEQ}");
  assert_invalid (settings, KASSA_ERROR, KASSA_ERROR_INVALID, NULL);
  kassa_store_settings_set_credit_note_number_format (settings, "{YYYY}/{SEQ:6}");
  assert_invalid (settings, KASSA_ERROR, KASSA_ERROR_INVALID,
                  "Invoices and credit notes need different number formats");
  kassa_store_settings_set_credit_note_number_format (settings, "G{YYYY}/{SEQ:6}");
  g_assert_true (kassa_store_settings_validate (settings, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/store-settings/properties", test_properties);
  g_test_add_func ("/kassa/store-settings/defaults", test_defaults);
  g_test_add_func ("/kassa/store-settings/copy", test_copy);
  g_test_add_func ("/kassa/store-settings/validate", test_validate);

  return g_test_run ();
}
