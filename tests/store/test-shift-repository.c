/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-shift-repository"

#include "config.h"

#include <string.h>

#include "kassa-error.h"
#include "kassa-journal.h"
#include "kassa-shift-repository.h"
#include "kassa-store-private.h"

#include "store-test-utils.h"

typedef struct
{
  char                 *dir;
  char                 *path;
  KassaDatabase        *db;
  KassaJournal         *journal;
  KassaShiftRepository *repo;
} Fixture;

static void
exec (Fixture    *fixture,
      const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kassa_database_exec (fixture->db, sql, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = store_test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "kassa.db", NULL);
  fixture->db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->journal = kassa_journal_new (fixture->db);
  fixture->repo = kassa_shift_repository_new (fixture->db);

  exec (fixture, "INSERT INTO staff (id, name, role, created_at, updated_at) VALUES "
                 "(1, 'Alice', 'admin', 'x', 'x'), (2, 'Carl', 'cashier', 'x', 'x')");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->repo);
  g_clear_object (&fixture->journal);
  g_clear_object (&fixture->db);
  store_test_remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* An order rung up in @shift_id paid with one tender. */
static gint64
sale (Fixture    *fixture,
      gint64      shift_id,
      const char *provider,
      const char *status,
      gint64      amount)
{
  static guint number = 0;
  g_autofree char *order = NULL;
  g_autofree char *payment = NULL;
  gint64 order_id;

  order = g_strdup_printf ("INSERT INTO \"order\" (number, customer_id, currency, mode, prices_include_tax, "
                           "tax_scope, rounding, untaxed, tax, total, shift_id, created_at, updated_at) VALUES "
                           "('S-%u', 1, 'EUR', 'manual', 1, 'document', 'half-up', %" G_GINT64_FORMAT ", 0, "
                           "%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'x', 'x')",
                           ++number, amount, amount, shift_id);
  exec (fixture, order);
  order_id = sqlite3_last_insert_rowid (kassa_database_get_handle (fixture->db));

  payment = g_strdup_printf ("INSERT INTO payment (order_id, provider, status, amount, currency, created_at) "
                             "VALUES (%" G_GINT64_FORMAT ", '%s', '%s', %" G_GINT64_FORMAT ", 'EUR', 'x')",
                             order_id, provider, status, amount);
  exec (fixture, payment);

  return sqlite3_last_insert_rowid (kassa_database_get_handle (fixture->db));
}

static void
refund (Fixture *fixture,
        gint64   payment_id,
        gint64   shift_id,
        gint64   amount)
{
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("INSERT INTO refund (order_id, payment_id, amount, currency, reason, status, shift_id, "
                         "created_at, updated_at) SELECT order_id, id, %" G_GINT64_FORMAT ", 'EUR', "
                         "'requested-by-customer', 'succeeded', %" G_GINT64_FORMAT ", 'x', 'x' "
                         "FROM payment WHERE id = %" G_GINT64_FORMAT,
                         amount, shift_id, payment_id);
  exec (fixture, sql);
}

static void
test_open (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaShiftRecord) open = NULL;
  g_autoptr(KassaShiftRecord) none = NULL;
  gint64 id, other;

  id = kassa_shift_repository_open (fixture->repo, NULL, 2, "EUR", 15000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  open = kassa_shift_repository_get_open (fixture->repo, "main", &error);
  g_assert_no_error (error);
  g_assert_cmpint (open->id, ==, id);
  g_assert_cmpstr (open->register_name, ==, "main");
  g_assert_false (open->closed);
  g_assert_cmpstr (open->currency, ==, "EUR");
  g_assert_cmpint (open->opened_by, ==, 2);
  g_assert_cmpint (open->opening_float, ==, 15000);
  g_assert_cmpint (open->z_number, ==, 0);
  g_assert_null (open->z_report);

  /* One open shift per register; another register may open its own. */
  g_assert_cmpint (kassa_shift_repository_open (fixture->repo, "main", 1, "EUR", 0, &error), ==, 0);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_assert_cmpstr (error->message, ==, "Register “main” already has an open shift; close it first");
  g_clear_error (&error);

  other = kassa_shift_repository_open (fixture->repo, "terrace", 1, "EUR", 5000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (other, !=, id);

  none = kassa_shift_repository_get_open (fixture->repo, "back office", &error);
  g_assert_no_error (error);
  g_assert_null (none);

  g_assert_cmpint (kassa_shift_repository_open (fixture->repo, "bar", 1, "EUR", -1, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
}

static void
test_movements (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 shift = kassa_shift_repository_open (fixture->repo, NULL, 2, "EUR", 10000, &error);
  KassaShiftCash cash;

  g_assert_cmpint (kassa_shift_repository_add_movement (fixture->repo, shift, KASSA_CASH_MOVEMENT_PAID_IN,
                                                        5000, "Change from the bank", 2, &error), >, 0);
  g_assert_cmpint (kassa_shift_repository_add_movement (fixture->repo, shift, KASSA_CASH_MOVEMENT_PAID_OUT,
                                                        1250, "Window cleaner", 2, &error), >, 0);
  g_assert_cmpint (kassa_shift_repository_add_movement (fixture->repo, shift, KASSA_CASH_MOVEMENT_NO_SALE,
                                                        0, "Customer needed change", 2, &error), >, 0);
  g_assert_no_error (error);

  /* A reason is mandatory, amounts must fit the kind. */
  g_assert_cmpint (kassa_shift_repository_add_movement (fixture->repo, shift, KASSA_CASH_MOVEMENT_PAID_OUT,
                                                        100, "  ", 2, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Cash paid in or out needs a reason");
  g_clear_error (&error);
  g_assert_cmpint (kassa_shift_repository_add_movement (fixture->repo, shift, KASSA_CASH_MOVEMENT_NO_SALE,
                                                        0, "", 2, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Opening the drawer without a sale needs a reason");
  g_clear_error (&error);
  g_assert_cmpint (kassa_shift_repository_add_movement (fixture->repo, shift, KASSA_CASH_MOVEMENT_PAID_IN,
                                                        0, "Nothing", 2, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (kassa_shift_repository_add_movement (fixture->repo, shift, KASSA_CASH_MOVEMENT_NO_SALE,
                                                        100, "Sneaky", 2, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (kassa_shift_repository_compute_cash (fixture->repo, shift, &cash, &error));
  g_assert_cmpint (cash.opening_float, ==, 10000);
  g_assert_cmpint (cash.paid_in, ==, 5000);
  g_assert_cmpint (cash.paid_out, ==, 1250);
  g_assert_cmpint (cash.no_sales, ==, 1);
  g_assert_cmpint (cash.expected_cash, ==, 13750);
}

static void
test_expected_cash (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 earlier = kassa_shift_repository_open (fixture->repo, "terrace", 1, "EUR", 0, &error);
  gint64 shift = kassa_shift_repository_open (fixture->repo, NULL, 2, "EUR", 10000, &error);
  gint64 old_payment, cash_payment;
  KassaShiftCash cash;

  cash_payment = sale (fixture, shift, "cash", "succeeded", 2390);
  sale (fixture, shift, "cash", "succeeded", 1010);
  /* Not cash in the drawer: cards, and cash that never went through. */
  sale (fixture, shift, "stripe-terminal", "succeeded", 9900);
  sale (fixture, shift, "cash", "cancelled", 700);
  /* Another register's sale. */
  old_payment = sale (fixture, earlier, "cash", "succeeded", 5000);

  /* Refunds count where the cash left: this drawer, whichever shift sold. */
  refund (fixture, old_payment, shift, 1500);
  refund (fixture, cash_payment, earlier, 390);

  kassa_shift_repository_add_movement (fixture->repo, shift, KASSA_CASH_MOVEMENT_PAID_IN, 2000, "Bank", 2, NULL);
  kassa_shift_repository_add_movement (fixture->repo, shift, KASSA_CASH_MOVEMENT_PAID_OUT, 800, "Milk", 2, NULL);

  g_assert_true (kassa_shift_repository_compute_cash (fixture->repo, shift, &cash, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cash.opening_float, ==, 10000);
  g_assert_cmpint (cash.cash_sales, ==, 3400);
  g_assert_cmpint (cash.cash_refunds, ==, 1500);
  g_assert_cmpint (cash.paid_in, ==, 2000);
  g_assert_cmpint (cash.paid_out, ==, 800);
  g_assert_cmpint (cash.expected_cash, ==, 10000 + 3400 - 1500 + 2000 - 800);

  g_assert_true (kassa_shift_repository_compute_cash (fixture->repo, earlier, &cash, &error));
  g_assert_cmpint (cash.cash_sales, ==, 5000);
  g_assert_cmpint (cash.cash_refunds, ==, 390);
  g_assert_cmpint (cash.expected_cash, ==, 4610);
}

static void
test_close (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaShiftRecord) closed = NULL;
  g_autoptr(KassaJournalEntry) last = NULL;
  g_autoptr(GArray) counts = NULL;
  g_autoptr(JsonNode) report = NULL;
  JsonObject *object;
  const KassaDenominationCount count[] = { { 5000, 1 }, { 1000, 2 }, { 200, 3 }, { 5, 1 } };
  gint64 shift = kassa_shift_repository_open (fixture->repo, NULL, 2, "EUR", 10000, &error);
  gint64 second;
  sqlite3 *raw;

  sale (fixture, shift, "cash", "succeeded", 2390);
  kassa_shift_repository_add_movement (fixture->repo, shift, KASSA_CASH_MOVEMENT_PAID_OUT, 800, "Milk", 2, NULL);

  /* Counted 5000 + 2000 + 600 + 5 = 7605 against 11590 expected. */
  g_assert_cmpint (kassa_shift_repository_close (fixture->repo, shift, 1, count, G_N_ELEMENTS (count),
                                                 fixture->journal, &error), ==, 1);
  g_assert_no_error (error);

  closed = kassa_shift_repository_get (fixture->repo, shift, &error);
  g_assert_true (closed->closed);
  g_assert_cmpint (closed->z_number, ==, 1);
  g_assert_cmpint (closed->closed_by, ==, 1);
  g_assert_nonnull (closed->closed_at);
  g_assert_cmpint (closed->counted_cash, ==, 7605);
  g_assert_cmpint (closed->expected_cash, ==, 11590);

  report = store_test_json (closed->z_report);
  object = json_node_get_object (report);
  g_assert_cmpint (json_object_get_int_member (object, "z_number"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "cash_sales"), ==, 2390);
  g_assert_cmpint (json_object_get_int_member (object, "paid_out"), ==, 800);
  g_assert_cmpint (json_object_get_int_member (object, "difference"), ==, 7605 - 11590);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "count")), ==, 4);

  counts = kassa_shift_repository_get_counts (fixture->repo, shift, &error);
  g_assert_cmpuint (counts->len, ==, 4);
  g_assert_cmpint (g_array_index (counts, KassaDenominationCount, 0).denomination, ==, 5000);
  g_assert_cmpint (g_array_index (counts, KassaDenominationCount, 3).denomination, ==, 5);
  g_assert_cmpint (g_array_index (counts, KassaDenominationCount, 1).count, ==, 2);

  /* The close is in the journal with the same report. */
  last = kassa_journal_get_last (fixture->journal, &error);
  g_assert_cmpstr (last->kind, ==, "shift.close");
  g_assert_cmpstr (last->payload, ==, closed->z_report);

  /* Final: no second close, no more movements, no edits behind our back. */
  g_assert_cmpint (kassa_shift_repository_close (fixture->repo, shift, 1, count, 1, fixture->journal, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_cmpint (kassa_shift_repository_add_movement (fixture->repo, shift, KASSA_CASH_MOVEMENT_PAID_IN,
                                                        100, "Late", 2, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED);
  g_clear_error (&error);

  raw = store_test_open_raw (fixture->path);
  g_assert_cmpint (sqlite3_exec (raw, "UPDATE shift SET z_report = '{}'", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (raw, "UPDATE shift_count SET count = 9", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (raw, "DELETE FROM shift_count", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (raw, "INSERT INTO shift_count VALUES (1, 10, 1)", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (raw, "INSERT INTO cash_movement (shift_id, kind, amount, reason, staff_id, created_at) "
                                      "VALUES (1, 'paid-in', 5, 'x', 1, 'x')", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  sqlite3_close (raw);

  /* The register may open again; the next Z number follows on. */
  second = kassa_shift_repository_open (fixture->repo, NULL, 2, "EUR", 7605, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_shift_repository_close (fixture->repo, second, 2, NULL, 0, fixture->journal, &error), ==, 2);
  g_assert_no_error (error);
}

static void
test_close_invalid_count (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaShiftRecord) still_open = NULL;
  const KassaDenominationCount twice[] = { { 1000, 1 }, { 1000, 2 } };
  const KassaDenominationCount negative[] = { { 1000, -1 } };
  gint64 shift = kassa_shift_repository_open (fixture->repo, NULL, 2, "EUR", 0, &error);

  g_assert_cmpint (kassa_shift_repository_close (fixture->repo, shift, 1, twice, 2, fixture->journal, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (kassa_shift_repository_close (fixture->repo, shift, 1, negative, 1, fixture->journal, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (kassa_shift_repository_close (fixture->repo, 999, 1, NULL, 0, fixture->journal, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  still_open = kassa_shift_repository_get_open (fixture->repo, NULL, &error);
  g_assert_nonnull (still_open);
  g_assert_false (kassa_database_in_transaction (fixture->db));
}

static void
test_tenders (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tenders = NULL;
  g_autoptr(KassaShiftRecord) closed = NULL;
  g_autoptr(JsonNode) report = NULL;
  JsonArray *frozen;
  KassaShiftTender *tender;
  gint64 shift = kassa_shift_repository_open (fixture->repo, NULL, 2, "EUR", 0, &error);
  gint64 other = kassa_shift_repository_open (fixture->repo, "back", 2, "EUR", 0, &error);

  /* Succeeded payments of this shift's orders only, by provider. */
  sale (fixture, shift, "stripe_terminal", "succeeded", 1200);
  sale (fixture, shift, "cash", "succeeded", 500);
  sale (fixture, shift, "stripe_terminal", "succeeded", 800);
  sale (fixture, shift, "stripe_terminal", "failed", 9900);
  sale (fixture, other, "cash", "succeeded", 7000);

  tenders = kassa_shift_repository_list_tenders (fixture->repo, shift, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tenders->len, ==, 2);
  tender = g_ptr_array_index (tenders, 0);
  g_assert_cmpstr (tender->provider, ==, "cash");
  g_assert_cmpint (tender->payments, ==, 1);
  g_assert_cmpint (tender->amount, ==, 500);
  tender = g_ptr_array_index (tenders, 1);
  g_assert_cmpstr (tender->provider, ==, "stripe_terminal");
  g_assert_cmpint (tender->payments, ==, 2);
  g_assert_cmpint (tender->amount, ==, 2000);

  /* The Z report freezes them. */
  g_assert_cmpint (kassa_shift_repository_close (fixture->repo, shift, 1, NULL, 0, fixture->journal, &error), ==, 1);
  closed = kassa_shift_repository_get (fixture->repo, shift, &error);
  report = store_test_json (closed->z_report);
  frozen = json_object_get_array_member (json_node_get_object (report), "tenders");
  g_assert_cmpuint (json_array_get_length (frozen), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (frozen, 1), "amount"), ==, 2000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/shift-repository/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("open", test_open);
  ADD ("movements", test_movements);
  ADD ("expected-cash", test_expected_cash);
  ADD ("close", test_close);
  ADD ("close-invalid-count", test_close_invalid_count);
  ADD ("tenders", test_tenders);

  return g_test_run ();
}
