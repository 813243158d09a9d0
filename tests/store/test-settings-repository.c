/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-settings-repository"

#include "config.h"

#include "kassa-error.h"
#include "kassa-settings-repository.h"
#include "kassa-store-private.h"

#include "store-test-utils.h"

typedef struct
{
  char                    *dir;
  char                    *path;
  KassaDatabase           *db;
  KassaSettingsRepository *repo;
} Fixture;

static const guint8 tiny_png[] = {
  0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0xff, 0, 'x',
};

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = store_test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "kassa.db", NULL);
  fixture->db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->repo = kassa_settings_repository_new (fixture->db);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->repo);
  g_clear_object (&fixture->db);
  store_test_remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
reopen (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->repo);
  g_clear_object (&fixture->db);
  fixture->db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->repo = kassa_settings_repository_new (fixture->db);
}

static void
test_defaults (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaStoreProfile) profile = NULL;
  g_autoptr(KassaStoreSettings) settings = NULL;
  g_autoptr(KassaStoreSettings) in_chf = NULL;

  profile = kassa_settings_repository_load_profile (fixture->repo, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_store_profile_get_name (profile), ==, "");
  g_assert_null (kassa_store_profile_get_logo (profile));

  settings = kassa_settings_repository_load_settings (fixture->repo, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_store_settings_get_currency_code (settings), ==, "EUR");
  g_assert_cmpuint (kassa_store_settings_get_reservation_minutes (settings), ==, 15);
  g_assert_cmpstr (kassa_store_settings_get_invoice_number_format (settings), ==, "INV-{YYYY}-{SEQ:5}");
  g_assert_cmpuint (kassa_store_settings_get_invoice_due_days (settings), ==, 14);

  in_chf = kassa_settings_repository_load_settings (fixture->repo, "CHF", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_store_settings_get_currency_code (in_chf), ==, "CHF");
}

static void
test_profile_round_trip (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaStoreProfile) profile = kassa_store_profile_new ();
  g_autoptr(KassaStoreProfile) loaded = NULL;
  g_autoptr(GBytes) logo = g_bytes_new_static (tiny_png, sizeof tiny_png);
  const char *address = "  Kaffeerösterei Süd\nHauptstraße 1\r\n\n8000 Zürich  ";

  kassa_store_profile_set_name (profile, "Corner Shop");
  kassa_store_profile_set_tagline (profile, "Fresh every day");
  kassa_store_profile_set_address (profile, address);
  kassa_store_profile_set_tax_id (profile, "CHE-123.456.789 MWST");
  kassa_store_profile_set_email (profile, "shop@example.org");
  kassa_store_profile_set_phone (profile, "+41 44 000 00 00");
  kassa_store_profile_set_website (profile, "https://example.org");
  kassa_store_profile_set_receipt_footer (profile, "Danke!\n谢谢");
  kassa_store_profile_set_logo (profile, logo);

  g_assert_true (kassa_settings_repository_save_profile (fixture->repo, profile, &error));
  g_assert_no_error (error);

  reopen (fixture);
  loaded = kassa_settings_repository_load_profile (fixture->repo, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_store_profile_get_name (loaded), ==, "Corner Shop");
  g_assert_cmpstr (kassa_store_profile_get_tagline (loaded), ==, "Fresh every day");
  g_assert_cmpstr (kassa_store_profile_get_address (loaded), ==, address);
  g_assert_cmpstr (kassa_store_profile_get_tax_id (loaded), ==, "CHE-123.456.789 MWST");
  g_assert_cmpstr (kassa_store_profile_get_email (loaded), ==, "shop@example.org");
  g_assert_cmpstr (kassa_store_profile_get_phone (loaded), ==, "+41 44 000 00 00");
  g_assert_cmpstr (kassa_store_profile_get_website (loaded), ==, "https://example.org");
  g_assert_cmpstr (kassa_store_profile_get_receipt_footer (loaded), ==, "Danke!\n谢谢");
  g_assert_true (g_bytes_equal (kassa_store_profile_get_logo (loaded), logo));

  /* Saving again replaces the one row; dropping the logo clears it. */
  kassa_store_profile_set_logo (loaded, NULL);
  kassa_store_profile_set_name (loaded, "Renamed");
  g_assert_true (kassa_settings_repository_save_profile (fixture->repo, loaded, &error));
  g_assert_no_error (error);
  g_clear_object (&profile);
  profile = kassa_settings_repository_load_profile (fixture->repo, &error);
  g_assert_cmpstr (kassa_store_profile_get_name (profile), ==, "Renamed");
  g_assert_null (kassa_store_profile_get_logo (profile));
  {
    sqlite3 *raw = store_test_open_raw (fixture->path);
    g_assert_cmpint (store_test_query_int (raw, "SELECT count (*) FROM store_profile"), ==, 1);
    sqlite3_close (raw);
  }
}

static void
test_profile_invalid (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaStoreProfile) profile = kassa_store_profile_new ();
  g_autoptr(KassaStoreProfile) loaded = NULL;

  g_assert_false (kassa_settings_repository_save_profile (fixture->repo, profile, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);

  loaded = kassa_settings_repository_load_profile (fixture->repo, NULL);
  g_assert_cmpstr (kassa_store_profile_get_name (loaded), ==, "");
}

static void
test_settings_round_trip (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaStoreSettings) settings = kassa_store_settings_new ();
  g_autoptr(KassaStoreSettings) loaded = NULL;

  kassa_store_settings_set_currency_code (settings, "CHF");
  kassa_store_settings_set_prices_include_tax (settings, FALSE);
  kassa_store_settings_set_tax_scope (settings, KASSA_TAX_SCOPE_LINE);
  kassa_store_settings_set_rounding_mode (settings, KASSA_ROUNDING_HALF_EVEN);
  kassa_store_settings_set_cash_rounding_step (settings, 5);
  kassa_store_settings_set_reservation_minutes (settings, 45);
  kassa_store_settings_set_allow_negative_stock (settings, TRUE);
  kassa_store_settings_set_delivery_enabled (settings, TRUE);
  kassa_store_settings_set_pickup_enabled (settings, TRUE);
  kassa_store_settings_set_invoice_number_format (settings, "R{YY}-{SEQ:4}");
  kassa_store_settings_set_credit_note_number_format (settings, "G{YY}-{SEQ:4}");
  kassa_store_settings_set_invoice_due_days (settings, 30);

  kassa_settings_repository_save_settings (fixture->repo, settings, &error);
  g_assert_no_error (error);

  reopen (fixture);
  /* What was saved wins over the caller's default currency. */
  loaded = kassa_settings_repository_load_settings (fixture->repo, "EUR", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_store_settings_get_currency_code (loaded), ==, "CHF");
  g_assert_false (kassa_store_settings_get_prices_include_tax (loaded));
  g_assert_cmpint (kassa_store_settings_get_tax_scope (loaded), ==, KASSA_TAX_SCOPE_LINE);
  g_assert_cmpint (kassa_store_settings_get_rounding_mode (loaded), ==, KASSA_ROUNDING_HALF_EVEN);
  g_assert_cmpint (kassa_store_settings_get_cash_rounding_step (loaded), ==, 5);
  g_assert_cmpuint (kassa_store_settings_get_reservation_minutes (loaded), ==, 45);
  g_assert_true (kassa_store_settings_get_allow_negative_stock (loaded));
  g_assert_true (kassa_store_settings_get_delivery_enabled (loaded));
  g_assert_true (kassa_store_settings_get_pickup_enabled (loaded));
  g_assert_cmpstr (kassa_store_settings_get_invoice_number_format (loaded), ==, "R{YY}-{SEQ:4}");
  g_assert_cmpstr (kassa_store_settings_get_credit_note_number_format (loaded), ==, "G{YY}-{SEQ:4}");
  g_assert_cmpuint (kassa_store_settings_get_invoice_due_days (loaded), ==, 30);

  {
    sqlite3 *raw = store_test_open_raw (fixture->path);
    g_autofree char *scope = store_test_query_text (raw, "SELECT tax_scope FROM store_settings");
    g_autofree char *rounding = store_test_query_text (raw, "SELECT rounding FROM store_settings");
    g_assert_cmpstr (scope, ==, "line");
    g_assert_cmpstr (rounding, ==, "half-even");
    sqlite3_close (raw);
  }
}

static void
test_settings_invalid (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaStoreSettings) settings = kassa_store_settings_new ();
  g_autoptr(KassaStoreSettings) loaded = NULL;

  kassa_store_settings_set_reservation_minutes (settings, 45);
  g_assert_true (kassa_settings_repository_save_settings (fixture->repo, settings, &error));

  kassa_store_settings_set_invoice_number_format (settings, "INV-{SEQ}");
  kassa_store_settings_set_reservation_minutes (settings, 50);
  g_assert_false (kassa_settings_repository_save_settings (fixture->repo, settings, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);

  /* Nothing of the refused save was stored. */
  loaded = kassa_settings_repository_load_settings (fixture->repo, NULL, NULL);
  g_assert_cmpuint (kassa_store_settings_get_reservation_minutes (loaded), ==, 45);
  g_assert_cmpstr (kassa_store_settings_get_invoice_number_format (loaded), ==, "INV-{YYYY}-{SEQ:5}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/settings-repository/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("defaults", test_defaults);
  ADD ("profile-round-trip", test_profile_round_trip);
  ADD ("profile-invalid", test_profile_invalid);
  ADD ("settings-round-trip", test_settings_round_trip);
  ADD ("settings-invalid", test_settings_invalid);

  return g_test_run ();
}
