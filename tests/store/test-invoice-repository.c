/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-invoice-repository"

#include "config.h"

#include "kassa-core-enum-types.h"
#include "kassa-currency.h"
#include "kassa-database.h"
#include "kassa-document-totals.h"
#include "kassa-error.h"
#include "kassa-invoice-repository.h"
#include "kassa-store-error.h"
#include "kassa-store-private.h"

#include "store-test-utils.h"

#define TOKEN_A "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAa"
#define TOKEN_B "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBb"

typedef struct
{
  char                     *dir;
  char                     *path;
  KassaDatabase            *db;
  KassaInvoiceRepository   *repo;
  KassaInvoiceNumberFormat *invoice_format;
  KassaInvoiceNumberFormat *note_format;
  guint                     n_tokens;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *raw;

  fixture->dir = store_test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "kassa.db", NULL);
  fixture->db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->repo = kassa_invoice_repository_new (fixture->db);

  fixture->invoice_format = kassa_invoice_number_format_new (KASSA_INVOICE_NUMBER_DEFAULT_PATTERN, &error);
  g_assert_no_error (error);
  fixture->note_format = kassa_invoice_number_format_new (KASSA_CREDIT_NOTE_NUMBER_DEFAULT_PATTERN, &error);
  g_assert_no_error (error);

  raw = kassa_database_get_handle (fixture->db);
  store_test_exec_raw (raw,
                       "INSERT INTO customer (id, name, email, billing_address, created_at, updated_at) VALUES "
                       "(2, 'Müller GmbH', 'buch@mueller.example', 'Hauptstraße 1\n10115 Berlin', "
                       " '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'), "
                       "(3, 'Dupont SARL', '', '', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->invoice_format, kassa_invoice_number_format_unref);
  g_clear_pointer (&fixture->note_format, kassa_invoice_number_format_unref);
  g_clear_object (&fixture->repo);
  g_clear_object (&fixture->db);
  store_test_remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static char *
next_token (Fixture *fixture)
{
  /* Fixed, distinct and valid; randomness is the shop's business. */
  return g_strdup_printf ("test-token-%022u", ++fixture->n_tokens);
}

static GDateTime *
utc (int year,
     int month,
     int day)
{
  return g_date_time_new_utc (year, month, day, 10, 30, 0);
}

static KassaInvoiceLine *
make_line (const char *name,
           gint64      quantity,
           gint64      unit_price,
           gint64      tax_rate)
{
  return g_object_new (KASSA_TYPE_INVOICE_LINE,
                       "name", name,
                       "quantity", quantity,
                       "unit-price", unit_price,
                       "tax-rate", tax_rate,
                       NULL);
}

static KassaInvoice *
make_draft (gint64 customer_id)
{
  KassaInvoice *invoice = g_object_new (KASSA_TYPE_INVOICE,
                                        "customer-id", customer_id,
                                        "currency-code", "EUR",
                                        "buyer-name", "Müller GmbH",
                                        "buyer-email", "buch@mueller.example",
                                        "buyer-address", "Hauptstraße 1\n10115 Berlin\n",
                                        NULL);
  g_autoptr(KassaInvoiceLine) first = make_line ("Beratung", 2500, 8000, 190000);
  g_autoptr(KassaInvoiceLine) second = make_line ("Fachbuch", 1000, 2999, 70000);

  g_assert_true (kassa_invoice_add_line (invoice, first, NULL));
  g_assert_true (kassa_invoice_add_line (invoice, second, NULL));

  return invoice;
}

static KassaInvoice *
issue_new (Fixture   *fixture,
           gint64     customer_id,
           GDateTime *when)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = next_token (fixture);
  KassaInvoice *invoice = make_draft (customer_id);

  kassa_invoice_repository_issue (fixture->repo, invoice, fixture->invoice_format, when, NULL, token, &error);
  g_assert_no_error (error);

  return invoice;
}

static gint64
expected_total (KassaInvoice *invoice)
{
  g_autoptr(KassaTotals) totals = NULL;
  KassaTaxSettings settings = { kassa_currency_lookup ("EUR", NULL), FALSE, KASSA_TAX_SCOPE_DOCUMENT,
                                KASSA_ROUNDING_HALF_UP };

  totals = kassa_invoice_compute_totals (invoice, &settings, 0, NULL);
  g_assert_nonnull (totals);

  return kassa_totals_get_total (totals);
}

static void
assert_raw_fails (sqlite3    *raw,
                  const char *sql)
{
  char *message = NULL;
  int rc = sqlite3_exec (raw, sql, NULL, NULL, &message);

  if (rc == SQLITE_OK)
    g_error ("“%s” was allowed", sql);

  g_assert_cmpint (rc & 0xff, ==, SQLITE_CONSTRAINT);
  sqlite3_free (message);
}

static gint64
last_number (sqlite3    *raw,
             const char *kind,
             int         year)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce ((SELECT last_value FROM invoice_sequence "
                                          "WHERE kind = '%s' AND year = %d), 0)", kind, year);

  return store_test_query_int (raw, sql);
}

static char *
dump_rows (sqlite3    *raw,
           const char *sql)
{
  GString *dump = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (raw, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);

          g_string_append_printf (dump, "%s|", text != NULL ? text : "NULL");
        }
      g_string_append_c (dump, '\n');
    }
  sqlite3_finalize (stmt);

  return g_string_free (dump, FALSE);
}

/* Every stored byte of the invoices, their lines and their counters. */
static char *
fingerprint (sqlite3 *raw)
{
  g_autofree char *invoices = dump_rows (raw, "SELECT * FROM invoice ORDER BY id");
  g_autofree char *lines = dump_rows (raw, "SELECT * FROM invoice_line ORDER BY id");
  g_autofree char *sequences = dump_rows (raw, "SELECT * FROM invoice_sequence ORDER BY kind, year");

  return g_strconcat (invoices, lines, sequences, NULL);
}

static void
test_draft_round_trip (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaInvoice) draft = make_draft (2);
  g_autoptr(KassaInvoice) loaded = NULL;
  g_autoptr(KassaInvoice) reloaded = NULL;
  g_autoptr(KassaInvoiceLine) line = NULL;
  g_autoptr(GDateTime) due = utc (2026, 12, 31);
  gint64 untaxed = 0, tax = 0, total = 0;

  g_assert_true (kassa_invoice_set_due_date (draft, due, NULL));
  g_assert_true (kassa_invoice_set_tax_scope (draft, KASSA_TAX_SCOPE_LINE, NULL));
  g_assert_true (kassa_invoice_set_rounding (draft, KASSA_ROUNDING_HALF_EVEN, NULL));

  kassa_invoice_repository_save_draft (fixture->repo, draft, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_invoice_get_id (draft), >, 0);

  loaded = kassa_invoice_repository_load (fixture->repo, kassa_invoice_get_id (draft), &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_invoice_get_status (loaded), ==, KASSA_INVOICE_STATUS_DRAFT);
  g_assert_cmpint (kassa_invoice_get_kind (loaded), ==, KASSA_INVOICE_KIND_INVOICE);
  g_assert_null (kassa_invoice_get_reference (loaded));
  g_assert_null (kassa_invoice_get_public_token (loaded));
  g_assert_cmpint (kassa_invoice_get_customer_id (loaded), ==, 2);
  g_assert_cmpstr (kassa_invoice_get_currency_code (loaded), ==, "EUR");
  g_assert_cmpstr (kassa_invoice_get_buyer_address (loaded), ==, "Hauptstraße 1\n10115 Berlin\n");
  g_assert_cmpint (kassa_invoice_get_tax_scope (loaded), ==, KASSA_TAX_SCOPE_LINE);
  g_assert_cmpint (kassa_invoice_get_rounding (loaded), ==, KASSA_ROUNDING_HALF_EVEN);
  g_assert_true (g_date_time_equal (kassa_invoice_get_due_date (loaded), due));
  g_assert_cmpuint (g_list_model_get_n_items (kassa_invoice_get_lines (loaded)), ==, 2);

  line = g_list_model_get_item (kassa_invoice_get_lines (loaded), 1);
  g_assert_cmpstr (kassa_invoice_line_get_name (line), ==, "Fachbuch");
  g_assert_cmpint (kassa_invoice_line_get_quantity (line), ==, 1000);
  g_assert_cmpint (kassa_invoice_line_get_unit_price (line), ==, 2999);
  g_assert_cmpint (kassa_invoice_line_get_tax_rate (line), ==, 70000);

  /* 2.5 × 80.00 = 200.00 at 19 % (38.00) and 29.99 at 7 % (2.10). */
  kassa_invoice_repository_get_stored_totals (fixture->repo, kassa_invoice_get_id (draft),
                                              &untaxed, &tax, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpint (untaxed, ==, 22999);
  g_assert_cmpint (tax, ==, 3800 + 210);
  g_assert_cmpint (total, ==, expected_total (loaded));

  /* A draft stays editable: the lines are rewritten, not appended. */
  g_assert_true (kassa_invoice_remove_line (loaded, 0, NULL));
  kassa_invoice_repository_save_draft (fixture->repo, loaded, &error);
  g_assert_no_error (error);

  reloaded = kassa_invoice_repository_load (fixture->repo, kassa_invoice_get_id (draft), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (kassa_invoice_get_lines (reloaded)), ==, 1);
  g_assert_cmpint (store_test_query_int (kassa_database_get_handle (fixture->db),
                                         "SELECT count (*) FROM invoice_line"), ==, 1);

  kassa_invoice_repository_get_stored_totals (fixture->repo, kassa_invoice_get_id (draft),
                                              NULL, NULL, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpint (total, ==, 2999 + 210);

  /* Drafts can be thrown away, with their lines. */
  kassa_invoice_repository_delete_draft (fixture->repo, kassa_invoice_get_id (draft), &error);
  g_assert_no_error (error);
  g_assert_cmpint (store_test_query_int (kassa_database_get_handle (fixture->db),
                                         "SELECT count (*) FROM invoice_line"), ==, 0);
  g_assert_null (kassa_invoice_repository_load (fixture->repo, kassa_invoice_get_id (draft), &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
}

static void
test_draft_refusals (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaInvoice) nobody = make_draft (0);
  g_autoptr(KassaInvoice) ghost = make_draft (2);
  g_autoptr(KassaInvoice) issued = NULL;
  g_autoptr(KassaInvoice) stale = NULL;
  g_autoptr(GDateTime) when = utc (2026, 11, 28);

  g_assert_false (kassa_invoice_repository_save_draft (fixture->repo, nobody, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (kassa_invoice_get_id (nobody), ==, 0);

  kassa_invoice_set_id (ghost, 999);
  g_assert_false (kassa_invoice_repository_save_draft (fixture->repo, ghost, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  issued = issue_new (fixture, 2, when);
  g_assert_false (kassa_invoice_repository_save_draft (fixture->repo, issued, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED);
  g_clear_error (&error);

  /* An object that still shows the draft cannot overwrite the issued row. */
  stale = make_draft (2);
  kassa_invoice_set_id (stale, kassa_invoice_get_id (issued));
  g_assert_false (kassa_invoice_repository_save_draft (fixture->repo, stale, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED);
  g_clear_error (&error);

  g_assert_false (kassa_invoice_repository_delete_draft (fixture->repo, kassa_invoice_get_id (issued), &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
}

static void
test_issue (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaInvoice) first = make_draft (2);
  g_autoptr(KassaInvoice) second = NULL;
  g_autoptr(KassaInvoice) by_id = NULL;
  g_autoptr(KassaInvoice) by_reference = NULL;
  g_autoptr(KassaInvoice) by_token = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 11, 28, 9, 15, 30.25);
  g_autoptr(GDateTime) due = utc (2026, 12, 28);
  gint64 total = 0;
  sqlite3 *raw = kassa_database_get_handle (fixture->db);

  /* Never saved before: issuing saves it too. */
  kassa_invoice_repository_issue (fixture->repo, first, fixture->invoice_format, when, due, TOKEN_A, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_invoice_get_id (first), >, 0);
  g_assert_cmpint (kassa_invoice_get_status (first), ==, KASSA_INVOICE_STATUS_ISSUED);
  g_assert_cmpstr (kassa_invoice_get_reference (first), ==, "INV-2026-00001");
  g_assert_cmpstr (kassa_invoice_get_public_token (first), ==, TOKEN_A);
  g_assert_true (g_date_time_equal (kassa_invoice_get_issue_date (first), when));
  g_assert_true (g_date_time_equal (kassa_invoice_get_due_date (first), due));
  g_assert_true (kassa_invoice_is_locked (first));

  by_id = kassa_invoice_repository_load (fixture->repo, kassa_invoice_get_id (first), &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_invoice_get_status (by_id), ==, KASSA_INVOICE_STATUS_ISSUED);
  g_assert_cmpstr (kassa_invoice_get_reference (by_id), ==, "INV-2026-00001");
  g_assert_true (g_date_time_equal (kassa_invoice_get_issue_date (by_id), when));
  g_assert_true (g_date_time_equal (kassa_invoice_get_due_date (by_id), due));
  g_assert_true (kassa_invoice_is_locked (by_id));

  by_reference = kassa_invoice_repository_load_by_reference (fixture->repo, "INV-2026-00001", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_invoice_get_id (by_reference), ==, kassa_invoice_get_id (first));

  by_token = kassa_invoice_repository_load_by_token (fixture->repo, TOKEN_A, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_invoice_get_id (by_token), ==, kassa_invoice_get_id (first));

  kassa_invoice_repository_get_stored_totals (fixture->repo, kassa_invoice_get_id (first),
                                              NULL, NULL, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpint (total, ==, expected_total (first));
  g_assert_cmpint (total, ==, 22999 + 4010);

  g_assert_cmpint (store_test_query_int (raw, "SELECT sequence_value FROM invoice WHERE reference = 'INV-2026-00001'"),
                   ==, 1);
  g_assert_cmpint (last_number (raw, "invoice", 2026), ==, 1);

  second = issue_new (fixture, 3, when);
  g_assert_cmpstr (kassa_invoice_get_reference (second), ==, "INV-2026-00002");
  g_assert_cmpint (last_number (raw, "invoice", 2026), ==, 2);

  /* An issued invoice is not issued twice. */
  g_assert_false (kassa_invoice_repository_issue (fixture->repo, second, fixture->invoice_format,
                                                  when, NULL, TOKEN_B, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);

  g_assert_null (kassa_invoice_repository_load_by_reference (fixture->repo, "INV-2026-00003", &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

static void
test_issue_years_and_format (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaInvoiceNumberFormat) monthly = NULL;
  g_autoptr(GDateTime) new_year_eve = g_date_time_new_utc (2026, 12, 31, 23, 0, 0);
  g_autoptr(GDateTime) new_year = g_date_time_new_utc (2027, 1, 1, 0, 30, 0);
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("+01:00");
  g_autoptr(GDateTime) berlin_new_year = g_date_time_new (berlin, 2027, 1, 1, 0, 15, 0);
  g_autoptr(KassaInvoice) a = issue_new (fixture, 2, new_year_eve);
  g_autoptr(KassaInvoice) b = issue_new (fixture, 2, new_year);
  g_autoptr(KassaInvoice) c = NULL;
  g_autoptr(KassaInvoice) d = make_draft (2);
  g_autofree char *token = next_token (fixture);

  g_assert_cmpstr (kassa_invoice_get_reference (a), ==, "INV-2026-00001");
  g_assert_cmpstr (kassa_invoice_get_reference (b), ==, "INV-2027-00001");

  /* 23:15 UTC on New Year's Eve is already 2027 in the shop's zone:
   * the year is the shop's. */
  c = issue_new (fixture, 2, berlin_new_year);
  g_assert_cmpstr (kassa_invoice_get_reference (c), ==, "INV-2027-00002");

  monthly = kassa_invoice_number_format_new ("R{YY}{MM}-{SEQ}", &error);
  g_assert_no_error (error);
  kassa_invoice_repository_issue (fixture->repo, d, monthly, new_year, NULL, token, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_invoice_get_reference (d), ==, "R2701-3");
}

static void
test_issue_refused_spends_nothing (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaInvoice) empty = g_object_new (KASSA_TYPE_INVOICE,
                                                "customer-id", (gint64) 2,
                                                "currency-code", "EUR",
                                                NULL);
  g_autoptr(KassaInvoice) late = make_draft (2);
  g_autoptr(KassaInvoice) next = NULL;
  g_autoptr(GDateTime) when = utc (2026, 11, 28);
  g_autoptr(GDateTime) before = utc (2026, 11, 1);
  sqlite3 *raw = kassa_database_get_handle (fixture->db);

  g_assert_false (kassa_invoice_repository_issue (fixture->repo, empty, fixture->invoice_format,
                                                  when, NULL, TOKEN_A, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (kassa_invoice_get_status (empty), ==, KASSA_INVOICE_STATUS_DRAFT);
  g_assert_cmpint (kassa_invoice_get_id (empty), ==, 0);
  g_assert_null (kassa_invoice_get_public_token (empty));
  g_assert_cmpint (store_test_query_int (raw, "SELECT count (*) FROM invoice"), ==, 0);

  g_assert_false (kassa_invoice_repository_issue (fixture->repo, late, fixture->invoice_format,
                                                  when, before, TOKEN_A, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (kassa_invoice_get_due_date (late));

  g_assert_false (kassa_invoice_repository_issue (fixture->repo, late, fixture->invoice_format,
                                                  when, NULL, "short", &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (last_number (raw, "invoice", 2026), ==, 0);

  next = issue_new (fixture, 2, when);
  g_assert_cmpstr (kassa_invoice_get_reference (next), ==, "INV-2026-00001");

  /* A token is used once. */
  g_assert_false (kassa_invoice_repository_issue (fixture->repo, late, fixture->invoice_format,
                                                  when, NULL, kassa_invoice_get_public_token (next), &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (kassa_invoice_get_status (late), ==, KASSA_INVOICE_STATUS_DRAFT);
  g_assert_cmpint (last_number (raw, "invoice", 2026), ==, 1);
}

static void
test_rollback_gives_number_back (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaInvoice) draft = make_draft (2);
  g_autoptr(KassaInvoice) reloaded = NULL;
  g_autoptr(KassaInvoice) other = NULL;
  g_autoptr(GDateTime) when = utc (2026, 11, 28);
  sqlite3 *raw = kassa_database_get_handle (fixture->db);
  gint64 id;

  kassa_invoice_repository_save_draft (fixture->repo, draft, &error);
  g_assert_no_error (error);
  id = kassa_invoice_get_id (draft);

  /* The caller's sale fails after the issue: everything goes back. */
  kassa_database_begin (fixture->db, &error);
  g_assert_no_error (error);
  kassa_invoice_repository_issue (fixture->repo, draft, fixture->invoice_format, when, NULL, TOKEN_A, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_invoice_get_reference (draft), ==, "INV-2026-00001");
  g_assert_cmpint (last_number (raw, "invoice", 2026), ==, 1);
  kassa_database_rollback (fixture->db, &error);
  g_assert_no_error (error);

  g_assert_cmpint (last_number (raw, "invoice", 2026), ==, 0);

  reloaded = kassa_invoice_repository_load (fixture->repo, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_invoice_get_status (reloaded), ==, KASSA_INVOICE_STATUS_DRAFT);
  g_assert_null (kassa_invoice_get_reference (reloaded));

  kassa_invoice_repository_issue (fixture->repo, reloaded, fixture->invoice_format, when, NULL, TOKEN_B, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_invoice_get_reference (reloaded), ==, "INV-2026-00001");

  other = issue_new (fixture, 2, when);
  g_assert_cmpstr (kassa_invoice_get_reference (other), ==, "INV-2026-00002");

  /* A new draft issued in a rolled-back transaction leaves no row either. */
  {
    g_autoptr(KassaInvoice) fresh = make_draft (3);
    g_autoptr(KassaInvoice) again = NULL;

    kassa_database_begin (fixture->db, &error);
    g_assert_no_error (error);
    kassa_invoice_repository_issue (fixture->repo, fresh, fixture->invoice_format, when, NULL, TOKEN_A, &error);
    g_assert_no_error (error);
    kassa_database_rollback (fixture->db, &error);
    g_assert_no_error (error);

    g_assert_cmpint (store_test_query_int (raw, "SELECT count (*) FROM invoice"), ==, 2);
    again = issue_new (fixture, 3, when);
    g_assert_cmpstr (kassa_invoice_get_reference (again), ==, "INV-2026-00003");
  }
}

static void
test_issued_locked_raw (Fixture       *fixture,
                        gconstpointer  data)
{
  static const char *refused[] = {
    "UPDATE invoice SET id = 99 WHERE id = 1",
    "UPDATE invoice SET kind = 'credit-note', credited_invoice_id = 2 WHERE id = 1",
    "UPDATE invoice SET reference = 'INV-2026-99999' WHERE id = 1",
    "UPDATE invoice SET sequence_value = 7 WHERE id = 1",
    "UPDATE invoice SET sequence_year = 2025 WHERE id = 1",
    "UPDATE invoice SET order_id = NULL, customer_id = 3 WHERE id = 1",
    "UPDATE invoice SET buyer_name = 'Someone else' WHERE id = 1",
    "UPDATE invoice SET buyer_email = 'x@example.com' WHERE id = 1",
    "UPDATE invoice SET buyer_address = 'Elsewhere' WHERE id = 1",
    "UPDATE invoice SET currency = 'USD' WHERE id = 1",
    "UPDATE invoice SET prices_include_tax = 1 WHERE id = 1",
    "UPDATE invoice SET tax_scope = 'line' WHERE id = 1",
    "UPDATE invoice SET rounding = 'half-even' WHERE id = 1",
    "UPDATE invoice SET issue_date = '2026-01-01T00:00:00.000000Z' WHERE id = 1",
    "UPDATE invoice SET due_date = '2027-01-01T00:00:00.000000Z' WHERE id = 1",
    "UPDATE invoice SET untaxed = untaxed - 1, total = total - 1 WHERE id = 1",
    "UPDATE invoice SET tax = tax + 1, total = total + 1 WHERE id = 1",
    "UPDATE invoice SET public_token = 'CCCCCCCCCCCCCCCCCCCCCCCCCC' WHERE id = 1",
    "UPDATE invoice SET created_at = '2020-01-01T00:00:00.000000Z' WHERE id = 1",
    "UPDATE invoice SET issued_at = '2020-01-01T00:00:00.000000Z' WHERE id = 1",
    "UPDATE invoice SET status = 'draft', reference = NULL, sequence_year = NULL, sequence_value = NULL WHERE id = 1",
    "DELETE FROM invoice WHERE id = 1",
    "INSERT INTO invoice_line (invoice_id, position, name, quantity, unit_price, tax_rate, net, tax) "
    "VALUES (1, 9, 'Extra', 1000, 100, 0, 100, 0)",
    "UPDATE invoice_line SET unit_price = 1 WHERE invoice_id = 1",
    "UPDATE invoice_line SET invoice_id = 1, position = 5 WHERE invoice_id = 2",
    "DELETE FROM invoice_line WHERE invoice_id = 1",
    /* The counter moves only with an invoice taking the number. */
    "UPDATE invoice_sequence SET last_value = last_value + 1",
    "UPDATE invoice_sequence SET last_value = last_value - 1",
    "DELETE FROM invoice_sequence",
    "INSERT INTO invoice_sequence (kind, year, last_value) VALUES ('invoice', 2030, 1)",
    "INSERT INTO invoice_sequence (kind, year, last_value) VALUES ('credit-note', 2026, 5)",
    /* A draft takes the next number and no other, and is issued first. */
    "UPDATE invoice SET status = 'issued', reference = 'X-3', sequence_year = 2026, sequence_value = 3, "
    "issue_date = '2026-11-28T00:00:00.000000Z', issued_at = '2026-11-28T00:00:00.000000Z', "
    "public_token = 'DDDDDDDDDDDDDDDDDDDDDDDDDD' WHERE id = 2",
    "UPDATE invoice SET status = 'issued', reference = 'X-1', sequence_year = 2026, sequence_value = 1, "
    "issue_date = '2026-11-28T00:00:00.000000Z', issued_at = '2026-11-28T00:00:00.000000Z', "
    "public_token = 'DDDDDDDDDDDDDDDDDDDDDDDDDD' WHERE id = 2",
    "UPDATE invoice SET status = 'paid', paid_amount = 5, paid_at = '2026-11-28T00:00:00.000000Z', "
    "reference = 'X-2', sequence_year = 2026, sequence_value = 2, "
    "issue_date = '2026-11-28T00:00:00.000000Z', issued_at = '2026-11-28T00:00:00.000000Z', "
    "public_token = 'DDDDDDDDDDDDDDDDDDDDDDDDDD' WHERE id = 2",
    "INSERT INTO invoice (kind, status, reference, sequence_year, sequence_value, customer_id, currency, "
    "prices_include_tax, tax_scope, rounding, issue_date, issued_at, public_token, created_at) "
    "VALUES ('invoice', 'issued', 'X-9', 2026, 9, 2, 'EUR', 0, 'document', 'half-up', "
    "'2026-11-28T00:00:00.000000Z', '2026-11-28T00:00:00.000000Z', 'EEEEEEEEEEEEEEEEEEEEEEEEEE', "
    "'2026-11-28T00:00:00.000000Z')",
    /* Only the status moves on, and only forward. */
    "UPDATE invoice SET status = 'paid' WHERE id = 1",
    /* Even a draft's token goes in a URL as it is. */
    "UPDATE invoice SET public_token = 'has spaces and / slashes in it' WHERE id = 2",
    "UPDATE invoice SET public_token = 'too-short' WHERE id = 2",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaInvoice) issued = NULL;
  g_autoptr(KassaInvoice) draft = make_draft (2);
  g_autoptr(KassaInvoice) reloaded = NULL;
  g_autoptr(GDateTime) when = utc (2026, 11, 28);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  sqlite3 *raw;

  issued = issue_new (fixture, 2, when);
  g_assert_cmpint (kassa_invoice_get_id (issued), ==, 1);
  kassa_invoice_repository_save_draft (fixture->repo, draft, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_invoice_get_id (draft), ==, 2);

  /* A second connection, as any tool on the file would be. */
  raw = store_test_open_raw (fixture->path);

  before = fingerprint (raw);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    assert_raw_fails (raw, refused[i]);

  after = fingerprint (raw);
  g_assert_cmpstr (before, ==, after);

  /* What the schema allows: the Stripe link, then the payment once with
   * the move to paid, then the move to credited. */
  store_test_exec_raw (raw, "UPDATE invoice SET stripe_invoice_id = 'in_1', hosted_invoice_url = 'https://x' "
                            "WHERE id = 1");
  store_test_exec_raw (raw, "UPDATE invoice SET status = 'paid', paid_amount = 27009, paid_method = 'Cash', "
                            "paid_at = '2026-11-29T08:00:00.000000Z' WHERE id = 1");
  assert_raw_fails (raw, "UPDATE invoice SET paid_amount = 1 WHERE id = 1");
  assert_raw_fails (raw, "UPDATE invoice SET paid_method = 'Card' WHERE id = 1");
  assert_raw_fails (raw, "UPDATE invoice SET paid_at = NULL WHERE id = 1");
  assert_raw_fails (raw, "UPDATE invoice SET status = 'issued' WHERE id = 1");
  store_test_exec_raw (raw, "UPDATE invoice SET status = 'credited' WHERE id = 1");
  assert_raw_fails (raw, "UPDATE invoice SET status = 'paid' WHERE id = 1");
  assert_raw_fails (raw, "DELETE FROM invoice WHERE id = 1");

  /* What the schema let through still loads under the domain's rules. */
  reloaded = kassa_invoice_repository_load (fixture->repo, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_invoice_get_status (reloaded), ==, KASSA_INVOICE_STATUS_CREDITED);
  g_assert_cmpint (kassa_invoice_get_paid_amount (reloaded), ==, 27009);
  g_assert_cmpstr (kassa_invoice_get_paid_method (reloaded), ==, "Cash");

  /* The draft stays a draft and can still be edited freely. */
  store_test_exec_raw (raw, "UPDATE invoice SET buyer_name = 'Dupont' WHERE id = 2");
  store_test_exec_raw (raw, "DELETE FROM invoice_line WHERE invoice_id = 2 AND position = 1");

  sqlite3_close (raw);
}

static void
test_record_payment (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) when = utc (2026, 11, 28);
  g_autoptr(GDateTime) paid_at = g_date_time_new_utc (2026, 12, 3, 14, 5, 9.5);
  g_autoptr(KassaInvoice) invoice = issue_new (fixture, 2, when);
  g_autoptr(KassaInvoice) stale = NULL;
  g_autoptr(KassaInvoice) loaded = NULL;
  g_autoptr(KassaInvoice) draft = make_draft (2);

  stale = kassa_invoice_repository_load (fixture->repo, kassa_invoice_get_id (invoice), &error);
  g_assert_no_error (error);

  g_assert_false (kassa_invoice_repository_record_payment (fixture->repo, invoice, 0, "Cash", paid_at, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  kassa_invoice_repository_record_payment (fixture->repo, invoice, 27009, "Bank transfer", paid_at, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_invoice_get_status (invoice), ==, KASSA_INVOICE_STATUS_PAID);

  loaded = kassa_invoice_repository_load (fixture->repo, kassa_invoice_get_id (invoice), &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_invoice_get_status (loaded), ==, KASSA_INVOICE_STATUS_PAID);
  g_assert_cmpint (kassa_invoice_get_paid_amount (loaded), ==, 27009);
  g_assert_cmpstr (kassa_invoice_get_paid_method (loaded), ==, "Bank transfer");
  g_assert_true (g_date_time_equal (kassa_invoice_get_paid_at (loaded), paid_at));

  /* Paid once: the object knows, and so does the row behind a stale one. */
  g_assert_false (kassa_invoice_repository_record_payment (fixture->repo, invoice, 1, "Cash", paid_at, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);

  g_assert_false (kassa_invoice_repository_record_payment (fixture->repo, stale, 1, "Cash", paid_at, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  g_assert_cmpint (kassa_invoice_get_status (stale), ==, KASSA_INVOICE_STATUS_ISSUED);

  g_assert_false (kassa_invoice_repository_record_payment (fixture->repo, draft, 1, "Cash", paid_at, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
}

static void
test_credit_notes (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) when = utc (2026, 11, 28);
  g_autoptr(GDateTime) later = utc (2026, 12, 2);
  g_autoptr(KassaInvoice) invoice = issue_new (fixture, 2, when);
  g_autoptr(KassaInvoice) second_invoice = issue_new (fixture, 2, when);
  g_autoptr(KassaInvoice) partial = NULL;
  g_autoptr(KassaInvoice) too_much = NULL;
  g_autoptr(KassaInvoice) rest = NULL;
  g_autoptr(KassaInvoice) reloaded = NULL;
  g_autoptr(KassaInvoice) draft = make_draft (2);
  g_autoptr(GPtrArray) notes = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *token = NULL;
  sqlite3 *raw = kassa_database_get_handle (fixture->db);
  gint64 credited = -1;
  gint64 id = kassa_invoice_get_id (invoice);

#define INVOICE_ROW "SELECT * FROM invoice WHERE id = 1"
  before = dump_rows (raw, INVOICE_ROW);

  /* Credit the book only (29.99 + 7 %). */
  partial = kassa_invoice_new_credit_note (invoice, &error);
  g_assert_no_error (error);
  g_assert_true (kassa_invoice_remove_line (partial, 0, NULL));
  token = next_token (fixture);
  kassa_invoice_repository_issue (fixture->repo, partial, fixture->note_format, later, NULL, token, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_invoice_get_reference (partial), ==, "CN-2026-00001");
  g_assert_cmpint (kassa_invoice_get_kind (partial), ==, KASSA_INVOICE_KIND_CREDIT_NOTE);
  g_assert_cmpint (kassa_invoice_get_credited_invoice_id (partial), ==, id);

  /* Its own sequence: invoices go on from where they were. */
  g_assert_cmpint (last_number (raw, "invoice", 2026), ==, 2);
  g_assert_cmpint (last_number (raw, "credit-note", 2026), ==, 1);

  kassa_invoice_repository_get_credited_total (fixture->repo, id, &credited, &error);
  g_assert_no_error (error);
  g_assert_cmpint (credited, ==, 2999 + 210);

  /* The invoice itself is untouched. */
  after = dump_rows (raw, INVOICE_ROW);
  g_assert_cmpstr (before, ==, after);

  /* Crediting everything again would credit more than the invoice. */
  too_much = kassa_invoice_new_credit_note (invoice, &error);
  g_assert_no_error (error);
  g_clear_pointer (&token, g_free);
  token = next_token (fixture);
  g_assert_false (kassa_invoice_repository_issue (fixture->repo, too_much, fixture->note_format,
                                                  later, NULL, token, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (kassa_invoice_get_status (too_much), ==, KASSA_INVOICE_STATUS_DRAFT);
  g_assert_cmpint (last_number (raw, "credit-note", 2026), ==, 1);

  /* The rest of it is fine, and takes the next credit-note number. */
  rest = kassa_invoice_new_credit_note (invoice, &error);
  g_assert_no_error (error);
  g_assert_true (kassa_invoice_remove_line (rest, 1, NULL));
  kassa_invoice_repository_issue (fixture->repo, rest, fixture->note_format, later, NULL, token, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_invoice_get_reference (rest), ==, "CN-2026-00002");

  notes = kassa_invoice_repository_list_credit_notes (fixture->repo, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 2);
  g_assert_cmpstr (kassa_invoice_get_reference (g_ptr_array_index (notes, 0)), ==, "CN-2026-00001");
  g_assert_cmpstr (kassa_invoice_get_reference (g_ptr_array_index (notes, 1)), ==, "CN-2026-00002");

  kassa_invoice_repository_get_credited_total (fixture->repo, id, &credited, &error);
  g_assert_no_error (error);
  g_assert_cmpint (credited, ==, expected_total (invoice));

  after = (g_free (after), dump_rows (raw, INVOICE_ROW));
  g_assert_cmpstr (before, ==, after);

  /* Now the caller decides it is credited in full. */
  kassa_invoice_repository_mark_credited (fixture->repo, invoice, &error);
  g_assert_no_error (error);
  reloaded = kassa_invoice_repository_load (fixture->repo, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_invoice_get_status (reloaded), ==, KASSA_INVOICE_STATUS_CREDITED);

  g_assert_false (kassa_invoice_repository_mark_credited (fixture->repo, partial, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);

  /* A note for another customer or currency, or for a draft, is refused. */
  {
    g_autoptr(KassaInvoice) wrong = kassa_invoice_new_credit_note (second_invoice, &error);
    g_autoptr(KassaInvoice) for_draft = NULL;

    g_assert_no_error (error);
    g_assert_true (kassa_invoice_set_customer_id (wrong, 3, NULL));
    g_clear_pointer (&token, g_free);
    token = next_token (fixture);
    g_assert_false (kassa_invoice_repository_issue (fixture->repo, wrong, fixture->note_format,
                                                    later, NULL, token, &error));
    g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
    g_clear_error (&error);

    g_assert_true (kassa_invoice_set_customer_id (wrong, 2, NULL));
    g_assert_true (kassa_invoice_set_currency_code (wrong, "CHF", NULL));
    g_assert_false (kassa_invoice_repository_issue (fixture->repo, wrong, fixture->note_format,
                                                    later, NULL, token, &error));
    g_assert_error (error, KASSA_ERROR, KASSA_ERROR_CURRENCY_MISMATCH);
    g_clear_error (&error);

    kassa_invoice_repository_save_draft (fixture->repo, draft, &error);
    g_assert_no_error (error);
    for_draft = make_draft (2);
    g_assert_true (kassa_invoice_set_kind (for_draft, KASSA_INVOICE_KIND_CREDIT_NOTE, NULL));
    g_assert_true (kassa_invoice_set_credited_invoice_id (for_draft, kassa_invoice_get_id (draft), NULL));
    g_assert_false (kassa_invoice_repository_issue (fixture->repo, for_draft, fixture->note_format,
                                                    later, NULL, token, &error));
    g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
    g_clear_error (&error);
  }

  g_assert_cmpint (last_number (raw, "credit-note", 2026), ==, 2);
}

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) d2025 = utc (2020, 6, 1);
  g_autoptr(GDateTime) d2026 = utc (2021, 3, 1);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) filtered = NULL;
  g_autoptr(KassaInvoice) draft = make_draft (3);
  KassaInvoiceFilter filter = KASSA_INVOICE_FILTER_INIT;
  guint64 count = 0;

  /* 2020: three for customer 2, one for 3; 2021: two for 3, one for 2. */
  for (guint i = 0; i < 3; i++)
    g_object_unref (issue_new (fixture, 2, d2025));
  g_object_unref (issue_new (fixture, 3, d2025));
  for (guint i = 0; i < 2; i++)
    g_object_unref (issue_new (fixture, 3, d2026));
  {
    g_autoptr(KassaInvoice) paid = issue_new (fixture, 2, d2026);

    kassa_invoice_repository_record_payment (fixture->repo, paid, 100, "Cash", d2026, &error);
    g_assert_no_error (error);
  }
  kassa_invoice_repository_save_draft (fixture->repo, draft, &error);
  g_assert_no_error (error);

  kassa_invoice_repository_count (fixture->repo, NULL, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 8);

  all = kassa_invoice_repository_list (fixture->repo, &filter, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 8);
  /* Newest first: the draft was created last (now); then 2021, then 2020. */
  g_assert_cmpint (kassa_invoice_get_status (g_ptr_array_index (all, 0)), ==, KASSA_INVOICE_STATUS_DRAFT);
  g_assert_cmpstr (kassa_invoice_get_reference (g_ptr_array_index (all, 1)), ==, "INV-2021-00003");
  g_assert_cmpstr (kassa_invoice_get_reference (g_ptr_array_index (all, 7)), ==, "INV-2020-00001");

  page = kassa_invoice_repository_list (fixture->repo, &filter, 2, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_true (g_ptr_array_index (page, i) != NULL &&
                   kassa_invoice_get_id (g_ptr_array_index (page, i)) ==
                   kassa_invoice_get_id (g_ptr_array_index (all, i + 2)));

  filter.year = 2020;
  filtered = kassa_invoice_repository_list (fixture->repo, &filter, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (filtered->len, ==, 4);
  g_clear_pointer (&filtered, g_ptr_array_unref);

  filter.customer_id = 2;
  kassa_invoice_repository_count (fixture->repo, &filter, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 3);

  filter.year = 0;
  filter.status = KASSA_INVOICE_STATUS_PAID;
  filtered = kassa_invoice_repository_list (fixture->repo, &filter, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (filtered->len, ==, 1);
  g_assert_cmpstr (kassa_invoice_get_reference (g_ptr_array_index (filtered, 0)), ==, "INV-2021-00003");
  g_clear_pointer (&filtered, g_ptr_array_unref);

  filter = (KassaInvoiceFilter) KASSA_INVOICE_FILTER_INIT;
  filter.status = KASSA_INVOICE_STATUS_DRAFT;
  filtered = kassa_invoice_repository_list (fixture->repo, &filter, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (filtered->len, ==, 1);
  g_assert_cmpint (kassa_invoice_get_id (g_ptr_array_index (filtered, 0)), ==, kassa_invoice_get_id (draft));
  g_clear_pointer (&filtered, g_ptr_array_unref);

  filter = (KassaInvoiceFilter) KASSA_INVOICE_FILTER_INIT;
  filter.kind = KASSA_INVOICE_KIND_CREDIT_NOTE;
  kassa_invoice_repository_count (fixture->repo, &filter, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 0);

  /* Drafts have no public link. */
  g_assert_null (kassa_invoice_repository_load_by_token (fixture->repo, "no-such-token-at-all-xxxx", &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
}

/* Gapless and unique across connections ------------------------------ */

static void
assert_numbers_complete (sqlite3 *raw,
                         guint    n)
{
  g_autofree char *sql = NULL;

  g_assert_cmpint (store_test_query_int (raw, "SELECT count (*) FROM invoice WHERE status <> 'draft'"), ==, n);
  g_assert_cmpint (store_test_query_int (raw, "SELECT count (DISTINCT sequence_value) FROM invoice "
                                              "WHERE status <> 'draft'"), ==, n);
  g_assert_cmpint (store_test_query_int (raw, "SELECT min (sequence_value) FROM invoice"), ==, 1);
  g_assert_cmpint (store_test_query_int (raw, "SELECT max (sequence_value) FROM invoice"), ==, n);
  g_assert_cmpint (last_number (raw, "invoice", 2026), ==, n);

  /* And each reference says its own number. */
  sql = g_strdup_printf ("SELECT count (*) FROM invoice WHERE reference = printf ('INV-2026-%%05d', sequence_value)");
  g_assert_cmpint (store_test_query_int (raw, sql), ==, n);
}

static void
test_two_connections_alternating (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) other_db = kassa_database_open (fixture->path, &error);
  g_autoptr(KassaInvoiceRepository) other = NULL;
  g_autoptr(GDateTime) when = utc (2026, 11, 28);
  const guint n = 20;

  g_assert_no_error (error);
  other = kassa_invoice_repository_new (other_db);

  for (guint i = 0; i < n; i++)
    {
      KassaInvoiceRepository *repo = i % 2 == 0 ? fixture->repo : other;
      g_autoptr(KassaInvoice) invoice = make_draft (2);
      g_autofree char *token = next_token (fixture);
      g_autofree char *expected = g_strdup_printf ("INV-2026-%05u", i + 1);

      kassa_invoice_repository_issue (repo, invoice, fixture->invoice_format, when, NULL, token, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (kassa_invoice_get_reference (invoice), ==, expected);
    }

  assert_numbers_complete (kassa_database_get_handle (fixture->db), n);
}

typedef struct
{
  const char               *path;
  KassaInvoiceNumberFormat *format;
  guint                     n;
  guint                     worker;
  gboolean                  lockstep;
  GMutex                   *mutex;
  GCond                    *cond;
  guint                    *ready;
  guint                    *turn;
  GPtrArray                *references;
} Worker;

static void
wait_for (Worker *worker,
          guint   turn)
{
  g_mutex_lock (worker->mutex);
  while (*worker->turn != turn)
    g_cond_wait (worker->cond, worker->mutex);
  g_mutex_unlock (worker->mutex);
}

static void
pass_turn (Worker *worker)
{
  g_mutex_lock (worker->mutex);
  *worker->turn = 1 - worker->worker;
  g_cond_broadcast (worker->cond);
  g_mutex_unlock (worker->mutex);
}

static gpointer
worker_run (gpointer data)
{
  Worker *worker = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = kassa_database_open (worker->path, &error);
  g_autoptr(KassaInvoiceRepository) repo = NULL;
  g_autoptr(GDateTime) when = utc (2026, 11, 28);

  g_assert_no_error (error);
  repo = kassa_invoice_repository_new (db);

  /* Both connections are open before either issues, so they overlap. */
  g_mutex_lock (worker->mutex);
  (*worker->ready)++;
  g_cond_broadcast (worker->cond);
  while (*worker->ready < 2)
    g_cond_wait (worker->cond, worker->mutex);
  g_mutex_unlock (worker->mutex);

  for (guint i = 0; i < worker->n; i++)
    {
      g_autoptr(KassaInvoice) invoice = make_draft (2);
      g_autofree char *token = g_strdup_printf ("worker-%u-token-%020u", worker->worker, i);

      if (worker->lockstep)
        {
          /* Issue inside an open transaction and hand the turn over
           * before committing: the other connection is then already
           * waiting for the write lock, and must read the number this
           * one is about to commit, not the one it saw before. */
          wait_for (worker, worker->worker);
          kassa_database_begin (db, &error);
          g_assert_no_error (error);
          kassa_invoice_repository_issue (repo, invoice, worker->format, when, NULL, token, &error);
          g_assert_no_error (error);
          pass_turn (worker);
          g_usleep (2000);
          kassa_database_commit (db, &error);
          g_assert_no_error (error);
        }
      else
        {
          /* A draft saved in one transaction, issued in the next, as the
           * shop does, as fast as the lock allows. */
          kassa_invoice_repository_save_draft (repo, invoice, &error);
          g_assert_no_error (error);
          kassa_invoice_repository_issue (repo, invoice, worker->format, when, NULL, token, &error);
          g_assert_no_error (error);
        }

      g_ptr_array_add (worker->references, g_strdup (kassa_invoice_get_reference (invoice)));
    }

  return NULL;
}

static void
run_two_connections (Fixture  *fixture,
                     gboolean  lockstep)
{
  GMutex mutex;
  GCond cond;
  guint ready = 0;
  guint turn = 0;
  Worker workers[2];
  GThread *threads[2];
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const guint per_worker = lockstep ? 25 : 40;
  guint handovers = 0;
  int previous_owner = -1;

  g_mutex_init (&mutex);
  g_cond_init (&cond);

  for (guint i = 0; i < 2; i++)
    {
      workers[i] = (Worker) {
        fixture->path, fixture->invoice_format, per_worker, i, lockstep, &mutex, &cond, &ready, &turn,
        g_ptr_array_new_with_free_func (g_free),
      };
      threads[i] = g_thread_new ("issuer", worker_run, &workers[i]);
    }

  for (guint i = 0; i < 2; i++)
    g_thread_join (threads[i]);

  /* Each connection saw strictly rising numbers; together they hold
   * every number once. */
  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpuint (workers[i].references->len, ==, per_worker);
      for (guint j = 0; j < per_worker; j++)
        {
          const char *reference = g_ptr_array_index (workers[i].references, j);

          if (j > 0)
            g_assert_cmpstr (g_ptr_array_index (workers[i].references, j - 1), <, reference);
          g_assert_true (g_hash_table_add (seen, (gpointer) reference));
        }
    }

  for (guint k = 1; k <= 2 * per_worker; k++)
    {
      g_autofree char *expected = g_strdup_printf ("INV-2026-%05u", k);
      int owner = -1;

      g_assert_true (g_hash_table_contains (seen, expected));

      for (guint i = 0; i < 2; i++)
        for (guint j = 0; j < per_worker; j++)
          if (g_str_equal (g_ptr_array_index (workers[i].references, j), expected))
            owner = i;

      if (previous_owner >= 0 && owner != previous_owner)
        handovers++;
      previous_owner = owner;
    }

  assert_numbers_complete (kassa_database_get_handle (fixture->db), 2 * per_worker);

  /* In lockstep every issue waited for the other's commit. Free-running,
   * how often the lock changes hands is up to the scheduler, so it is
   * only reported. */
  g_test_message ("the write lock changed hands %u times", handovers);
  if (lockstep)
    g_assert_cmpuint (handovers, ==, 2 * per_worker - 1);

  g_hash_table_remove_all (seen);
  for (guint i = 0; i < 2; i++)
    g_ptr_array_unref (workers[i].references);
  g_cond_clear (&cond);
  g_mutex_clear (&mutex);
}

static void
test_two_connections_lockstep (Fixture       *fixture,
                               gconstpointer  data)
{
  run_two_connections (fixture, TRUE);
}

static void
test_two_connections_free_running (Fixture       *fixture,
                                   gconstpointer  data)
{
  run_two_connections (fixture, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/kassa/invoice-repository/draft-round-trip", test_draft_round_trip);
  ADD ("/kassa/invoice-repository/draft-refusals", test_draft_refusals);
  ADD ("/kassa/invoice-repository/issue", test_issue);
  ADD ("/kassa/invoice-repository/issue-years-and-format", test_issue_years_and_format);
  ADD ("/kassa/invoice-repository/issue-refused-spends-nothing", test_issue_refused_spends_nothing);
  ADD ("/kassa/invoice-repository/rollback-gives-number-back", test_rollback_gives_number_back);
  ADD ("/kassa/invoice-repository/issued-locked-raw", test_issued_locked_raw);
  ADD ("/kassa/invoice-repository/record-payment", test_record_payment);
  ADD ("/kassa/invoice-repository/credit-notes", test_credit_notes);
  ADD ("/kassa/invoice-repository/list", test_list);
  ADD ("/kassa/invoice-repository/two-connections-alternating", test_two_connections_alternating);
  ADD ("/kassa/invoice-repository/two-connections-lockstep", test_two_connections_lockstep);
  ADD ("/kassa/invoice-repository/two-connections-free-running", test_two_connections_free_running);

  return g_test_run ();
}
