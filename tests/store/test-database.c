/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-database"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kassa-database.h"
#include "kassa-journal.h"
#include "kassa-store-error.h"
#include "kassa-store-private.h"

#include "store-test-utils.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = store_test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "kassa.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  store_test_remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static gint64
pragma_int (KassaDatabase *db,
            const char    *sql)
{
  return store_test_query_int (kassa_database_get_handle (db), sql);
}

static void
test_create (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "a", "b", "kassa.db", NULL);
  sqlite3 *handle;

  db = kassa_database_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (db);

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (kassa_database_get_path (db), ==, path);
  g_assert_cmpuint (kassa_database_get_latest_version (), >=, 1);
  g_assert_cmpuint (kassa_database_get_schema_version (db), ==, kassa_database_get_latest_version ());

  handle = kassa_database_get_handle (db);
  g_assert_cmpint (store_test_query_int (handle, "PRAGMA application_id"), ==, KASSA_DATABASE_APPLICATION_ID);
  g_assert_cmpint (store_test_query_int (handle, "PRAGMA user_version"), ==, kassa_database_get_latest_version ());
  g_assert_cmpint (store_test_query_int (handle,
                                         "SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
                                         "AND name IN ('settings', 'journal', 'audit_log')"),
                   ==, 3);

  g_clear_object (&db);

  /* Opening again finds it current and changes nothing. */
  db = kassa_database_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kassa_database_get_schema_version (db), ==, kassa_database_get_latest_version ());
}

static void
test_pragmas (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = NULL;
  g_autofree char *mode = NULL;

  db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);

  mode = store_test_query_text (kassa_database_get_handle (db), "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (pragma_int (db, "PRAGMA synchronous"), ==, 2);
  g_assert_cmpint (pragma_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (pragma_int (db, "PRAGMA busy_timeout"), >=, 1000);
  /* Reads do not map the file (see apply_pragmas()). */
  g_assert_cmpint (pragma_int (db, "PRAGMA mmap_size"), ==, 0);
}

static void
test_default_path (void)
{
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "kassa", "kassa.db", NULL);
  g_autofree char *saved = g_strdup (g_getenv ("KASSA_DATABASE"));
  g_autofree char *from_env = NULL;
  g_autofree char *from_xdg = NULL;
  g_autofree char *from_empty = NULL;

  g_setenv ("KASSA_DATABASE", "/srv/shop/till.db", TRUE);
  from_env = kassa_database_get_default_path ();
  g_assert_cmpstr (from_env, ==, "/srv/shop/till.db");

  g_setenv ("KASSA_DATABASE", "", TRUE);
  from_empty = kassa_database_get_default_path ();
  g_assert_cmpstr (from_empty, ==, expected);

  g_unsetenv ("KASSA_DATABASE");
  from_xdg = kassa_database_get_default_path ();
  g_assert_cmpstr (from_xdg, ==, expected);

  if (saved != NULL)
    g_setenv ("KASSA_DATABASE", saved, TRUE);
}

static void
assert_refused (const char      *path,
                KassaStoreError  code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = store_test_read (path);
  g_autoptr(KassaDatabase) db = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  gboolean had_wal = g_file_test (wal, G_FILE_TEST_EXISTS);

  db = kassa_database_open (path, &error);
  g_assert_error (error, KASSA_STORE_ERROR, (int) code);
  g_assert_null (db);
  g_assert_nonnull (strstr (error->message, path));

  store_test_assert_unchanged (path, before);
  g_assert_cmpint (g_file_test (wal, G_FILE_TEST_EXISTS), ==, had_wal);
}

static void
test_refuse_not_sqlite (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < 200; i++)
    g_string_append_printf (text, "name,price\nItem %u,%u.50\n", i, i);

  g_file_set_contents (fixture->path, text->str, text->len, &error);
  g_assert_no_error (error);
  assert_refused (fixture->path, KASSA_STORE_ERROR_NOT_A_KASSA_DATABASE);

  /* Shorter than an SQLite header. */
  g_file_set_contents (fixture->path, "SQLite format 3", 16, &error);
  g_assert_no_error (error);
  assert_refused (fixture->path, KASSA_STORE_ERROR_NOT_A_KASSA_DATABASE);
}

static void
test_refuse_foreign (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *other = g_build_filename (fixture->dir, "other.db", NULL);
  sqlite3 *raw;

  /* Another application's file with no application id at all. */
  raw = store_test_open_raw (fixture->path);
  store_test_exec_raw (raw, "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);"
                            "INSERT INTO notes (text) VALUES ('keep me');");
  sqlite3_close (raw);
  assert_refused (fixture->path, KASSA_STORE_ERROR_NOT_A_KASSA_DATABASE);

  /* One with an application id of its own, even without tables. */
  raw = store_test_open_raw (other);
  store_test_exec_raw (raw, "PRAGMA application_id = 1234; PRAGMA user_version = 1;");
  sqlite3_close (raw);
  assert_refused (other, KASSA_STORE_ERROR_NOT_A_KASSA_DATABASE);
}

static void
test_refuse_too_new (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = NULL;
  g_autofree char *bump = NULL;
  sqlite3 *raw;

  db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);
  g_clear_object (&db);

  bump = g_strdup_printf ("PRAGMA user_version = %u", kassa_database_get_latest_version () + 1);
  raw = store_test_open_raw (fixture->path);
  store_test_exec_raw (raw, bump);
  sqlite3_close (raw);

  assert_refused (fixture->path, KASSA_STORE_ERROR_TOO_NEW);
}

static void
test_empty_file (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = NULL;

  g_file_set_contents (fixture->path, "", 0, &error);
  g_assert_no_error (error);

  db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kassa_database_get_schema_version (db), ==, kassa_database_get_latest_version ());
}

static KassaMigration *
extended_migrations (const char *extra_sql,
                     gsize      *n_out)
{
  const KassaMigration *real;
  KassaMigration *steps;
  gsize n;

  real = kassa_database_get_migrations (&n);
  steps = g_new0 (KassaMigration, n + 1);
  memcpy (steps, real, n * sizeof *real);
  steps[n].version = n + 1;
  steps[n].description = "test step";
  steps[n].sql = extra_sql;

  *n_out = n + 1;
  return steps;
}

static void
write_version_1 (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = NULL;
  g_autoptr(KassaJournal) journal = NULL;
  g_autoptr(KassaJournalEntry) entry = NULL;
  g_autoptr(JsonNode) payload = store_test_json ("{\"total\":\"9.90\"}");
  const KassaMigration *real;
  gsize n;

  real = kassa_database_get_migrations (&n);
  db = kassa_database_open_with_migrations (path, real, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kassa_database_get_schema_version (db), ==, 1);

  g_assert_true (kassa_database_begin (db, &error));
  g_assert_true (kassa_database_exec (db, "INSERT INTO settings (key, value) VALUES ('store.name', 'Corner Shop')", &error));
  journal = kassa_journal_new (db);
  entry = kassa_journal_append (journal, "sale", payload, &error);
  g_assert_no_error (error);
  g_assert_true (kassa_database_commit (db, &error));
  g_assert_no_error (error);
}

static void
test_migrate_forward (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = NULL;
  g_autoptr(KassaJournal) journal = NULL;
  g_autofree KassaMigration *steps = NULL;
  g_autofree char *name = NULL;
  g_autofree char *note = NULL;
  const KassaMigration *real;
  gint64 n_entries = 0;
  gsize n_real;
  gsize n;

  write_version_1 (fixture->path);

  steps = extended_migrations ("ALTER TABLE settings ADD COLUMN note TEXT NOT NULL DEFAULT 'migrated';"
                               "CREATE TABLE extra (id INTEGER PRIMARY KEY, label TEXT NOT NULL) STRICT;",
                               &n);

  /* The real list first: a file at version 1 comes up to the current schema. */
  real = kassa_database_get_migrations (&n_real);
  db = kassa_database_open_with_migrations (fixture->path, real, n_real, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kassa_database_get_schema_version (db), ==, n_real);
  /* Migration 3 rebuilt the journal without its hash index: the entry
   * is still there, still linked, and the rules came back with it. */
  g_assert_cmpint (store_test_query_int (kassa_database_get_handle (db),
                                         "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'journal'"),
                   ==, 0);
  g_assert_cmpint (store_test_query_int (kassa_database_get_handle (db),
                                         "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'journal'"),
                   ==, 3);
  journal = kassa_journal_new (db);
  g_assert_true (kassa_journal_verify (journal, &n_entries, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_entries, ==, 1);
  g_assert_false (kassa_database_exec (db, "UPDATE journal SET kind = 'refund'", &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (kassa_database_exec (db, "DELETE FROM journal", &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_clear_object (&journal);
  g_clear_object (&db);

  db = kassa_database_open_with_migrations (fixture->path, steps, n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kassa_database_get_schema_version (db), ==, n);
  g_assert_cmpint (store_test_query_int (kassa_database_get_handle (db), "PRAGMA user_version"), ==, n);

  name = store_test_query_text (kassa_database_get_handle (db),
                                "SELECT value FROM settings WHERE key = 'store.name'");
  g_assert_cmpstr (name, ==, "Corner Shop");
  note = store_test_query_text (kassa_database_get_handle (db),
                                "SELECT note FROM settings WHERE key = 'store.name'");
  g_assert_cmpstr (note, ==, "migrated");
  g_assert_cmpint (store_test_query_int (kassa_database_get_handle (db), "SELECT count(*) FROM extra"), ==, 0);

  journal = kassa_journal_new (db);
  g_assert_true (kassa_journal_verify (journal, &n_entries, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_entries, ==, 1);
  g_clear_object (&journal);
  g_clear_object (&db);

  /* This build's own list no longer knows the file. */
  db = kassa_database_open_with_migrations (fixture->path, real, n_real, &error);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_TOO_NEW);
  g_assert_null (db);
}

static void
test_migration_failure (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = NULL;
  g_autofree KassaMigration *steps = NULL;
  sqlite3 *raw;
  gsize n;

  write_version_1 (fixture->path);

  steps = extended_migrations ("CREATE TABLE extra (id INTEGER PRIMARY KEY);"
                               "INSERT INTO no_such_table VALUES (1);",
                               &n);
  db = kassa_database_open_with_migrations (fixture->path, steps, n, &error);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_MIGRATION);
  g_assert_nonnull (strstr (error->message, "test step"));
  g_assert_null (db);

  /* Nothing of the failed step stuck (the real steps before it did); the
   * data is still there. */
  raw = store_test_open_raw (fixture->path);
  g_assert_cmpint (store_test_query_int (raw, "PRAGMA user_version"), ==, (gint64) n - 1);
  g_assert_cmpint (store_test_query_int (raw, "SELECT count(*) FROM sqlite_schema WHERE name = 'extra'"), ==, 0);
  g_assert_cmpint (store_test_query_int (raw, "SELECT count(*) FROM settings"), ==, 1);
  g_assert_cmpint (store_test_query_int (raw, "SELECT count(*) FROM journal"), ==, 1);
  sqlite3_close (raw);
}

static void
test_migration_foreign_keys (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = NULL;
  g_autofree KassaMigration *broken = NULL;
  g_autofree KassaMigration *rebuild = NULL;
  sqlite3 *raw;
  gsize n;

  write_version_1 (fixture->path);

  /* A step may not leave a dangling reference behind. */
  broken = extended_migrations ("CREATE TABLE parent (id INTEGER PRIMARY KEY);"
                                "CREATE TABLE child (parent_id INTEGER NOT NULL REFERENCES parent (id));"
                                "INSERT INTO child VALUES (5);",
                                &n);
  db = kassa_database_open_with_migrations (fixture->path, broken, n, &error);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_MIGRATION);
  g_assert_nonnull (strstr (error->message, "child"));
  g_assert_null (db);
  g_clear_error (&error);

  raw = store_test_open_raw (fixture->path);
  g_assert_cmpint (store_test_query_int (raw, "PRAGMA user_version"), ==, (gint64) n - 1);
  g_assert_cmpint (store_test_query_int (raw, "SELECT count(*) FROM sqlite_schema WHERE name = 'child'"), ==, 0);
  sqlite3_close (raw);

  /* Rebuilding a table the documented way works, and keys are on afterwards. */
  rebuild = extended_migrations ("CREATE TABLE settings_new (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL,"
                                 "                           changed INTEGER NOT NULL DEFAULT 0) STRICT, WITHOUT ROWID;"
                                 "INSERT INTO settings_new (key, value) SELECT key, value FROM settings;"
                                 "DROP TABLE settings;"
                                 "ALTER TABLE settings_new RENAME TO settings;",
                                 &n);
  db = kassa_database_open_with_migrations (fixture->path, rebuild, n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kassa_database_get_schema_version (db), ==, n);
  g_assert_cmpint (pragma_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (pragma_int (db, "SELECT count(*) FROM settings WHERE key = 'store.name' AND changed = 0"), ==, 1);
}

static void
test_statement_cache (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = NULL;
  KassaStatement *first;
  KassaStatement *again;
  KassaStatement *other;
  guint n_before;

  db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);

  n_before = kassa_database_get_n_cached_statements (db);

  first = kassa_database_prepare (db, "SELECT ?1 + 1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  g_assert_cmpuint (kassa_database_get_n_cached_statements (db), ==, n_before + 1);

  sqlite3_bind_int64 (first, 1, 41);
  g_assert_cmpint (sqlite3_step (first), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (first, 0), ==, 42);
  /* Left mid-result on purpose: the next prepare must reset it. */
  g_assert_true (sqlite3_stmt_busy (first));

  again = kassa_database_prepare (db, "SELECT ?1 + 1", &error);
  g_assert_no_error (error);
  g_assert_true (again == first);
  g_assert_false (sqlite3_stmt_busy (again));
  g_assert_cmpuint (kassa_database_get_n_cached_statements (db), ==, n_before + 1);

  /* The old binding is gone: NULL + 1 is NULL. */
  g_assert_cmpint (sqlite3_step (again), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_type (again, 0), ==, SQLITE_NULL);
  kassa_statement_release (again);
  g_assert_false (sqlite3_stmt_busy (again));

  other = kassa_database_prepare (db, "SELECT ?1 + 2", &error);
  g_assert_no_error (error);
  g_assert_true (other != first);
  g_assert_cmpuint (kassa_database_get_n_cached_statements (db), ==, n_before + 2);

  {
    g_autoptr(KassaStatement) bad = kassa_database_prepare (db, "SELEKT nonsense", &error);

    g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_FAILED);
    g_assert_null (bad);
    g_assert_cmpuint (kassa_database_get_n_cached_statements (db), ==, n_before + 2);
  }
}

static gint64
count_settings (KassaDatabase *db)
{
  return pragma_int (db, "SELECT count(*) FROM settings");
}

static void
test_transactions (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = NULL;
  sqlite3 *other;

  db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_false (kassa_database_in_transaction (db));

  /* Rolled back: nothing stays. */
  g_assert_true (kassa_database_begin (db, &error));
  g_assert_true (kassa_database_in_transaction (db));
  g_assert_true (kassa_database_exec (db, "INSERT INTO settings VALUES ('a', '1')", &error));
  g_assert_true (kassa_database_rollback (db, &error));
  g_assert_no_error (error);
  g_assert_false (kassa_database_in_transaction (db));
  g_assert_cmpint (count_settings (db), ==, 0);

  /* A nested rollback undoes only its own part. */
  g_assert_true (kassa_database_begin (db, &error));
  g_assert_true (kassa_database_exec (db, "INSERT INTO settings VALUES ('outer', '1')", &error));
  g_assert_true (kassa_database_begin (db, &error));
  g_assert_true (kassa_database_exec (db, "INSERT INTO settings VALUES ('inner', '1')", &error));
  g_assert_cmpint (count_settings (db), ==, 2);
  g_assert_true (kassa_database_rollback (db, &error));
  g_assert_true (kassa_database_in_transaction (db));
  g_assert_true (kassa_database_begin (db, &error));
  g_assert_true (kassa_database_exec (db, "INSERT INTO settings VALUES ('inner2', '1')", &error));
  g_assert_true (kassa_database_commit (db, &error));
  g_assert_true (kassa_database_in_transaction (db));

  /* The outermost transaction holds the write lock from its start. */
  other = store_test_open_raw (fixture->path);
  sqlite3_busy_timeout (other, 0);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL) & 0xff, ==, SQLITE_BUSY);
  g_assert_cmpint (store_test_query_int (other, "SELECT count(*) FROM settings"), ==, 0);

  g_assert_true (kassa_database_commit (db, &error));
  g_assert_no_error (error);
  g_assert_false (kassa_database_in_transaction (db));

  g_assert_cmpint (store_test_query_int (other, "SELECT count(*) FROM settings"), ==, 2);
  g_assert_cmpint (store_test_query_int (other, "SELECT count(*) FROM settings WHERE key IN ('outer', 'inner2')"), ==, 2);
  sqlite3_close (other);
}

static int
interrupt_cb (void *data)
{
  return 1;
}

static void
test_transaction_aborted (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = NULL;
  sqlite3 *handle;

  db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);
  handle = kassa_database_get_handle (db);

  g_assert_true (kassa_database_begin (db, &error));
  g_assert_true (kassa_database_exec (db, "INSERT INTO settings VALUES ('before', '1')", &error));
  g_assert_true (kassa_database_begin (db, &error));

  /* An interrupted write makes SQLite roll the whole transaction back on
   * its own, as an I/O error or a full disk would. */
  sqlite3_progress_handler (handle, 100, interrupt_cb, NULL);
  g_assert_false (kassa_database_exec (db,
                                       "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) "
                                       "INSERT INTO settings SELECT 'k' || i, 'v' FROM n",
                                       &error));
  sqlite3_progress_handler (handle, 0, NULL, NULL);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_false (kassa_database_in_transaction (db));

  /* Nested work cannot pretend to continue... */
  g_assert_false (kassa_database_begin (db, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_NO_TRANSACTION);
  g_clear_error (&error);

  /* ...the inner level unwinds, and the outer commit reports the loss. */
  g_assert_true (kassa_database_rollback (db, &error));
  g_assert_no_error (error);
  g_assert_false (kassa_database_commit (db, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_NO_TRANSACTION);
  g_clear_error (&error);
  g_assert_cmpint (count_settings (db), ==, 0);

  /* The connection is usable again. */
  g_assert_true (kassa_database_begin (db, &error));
  g_assert_true (kassa_database_exec (db, "INSERT INTO settings VALUES ('after', '1')", &error));
  g_assert_true (kassa_database_commit (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_settings (db), ==, 1);
}

static void
test_constraint_error (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = NULL;

  db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);

  g_assert_true (kassa_database_exec (db, "INSERT INTO settings VALUES ('currency', 'EUR')", &error));
  g_assert_false (kassa_database_exec (db, "INSERT INTO settings VALUES ('currency', 'CHF')", &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  g_assert_false (kassa_database_exec (db, "INSERT INTO settings VALUES ('', 'x')", &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
}

static void
test_integrity (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = NULL;

  db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);

  g_assert_true (kassa_database_begin (db, &error));
  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO settings VALUES ('key.%04u', '%0200u')", i, i);

      g_assert_true (kassa_database_exec (db, sql, &error));
    }
  g_assert_true (kassa_database_commit (db, &error));

  g_assert_true (kassa_database_check_integrity (db, &error));
  g_assert_no_error (error);
  g_clear_object (&db);

  store_test_corrupt (fixture->path);

  db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_false (kassa_database_check_integrity (db, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CORRUPT);
}

static guint
count_threads (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  guint n = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
test_background_checkpoint (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = NULL;
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  guint threads_before = count_threads ();
  gint64 deadline;
  GStatBuf st;

  db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);
  if (threads_before > 0)
    g_assert_cmpuint (count_threads (), ==, threads_before + 1);

  g_assert_true (kassa_database_exec (db, "CREATE TABLE filler (data BLOB)", &error));
  g_assert_no_error (error);

  /* Durable commits of a few pages each until the WAL passes the size
   * at which SQLite itself would checkpoint inside a COMMIT. */
  while (kassa_database_get_wal_pages (db) < 1000)
    {
      g_assert_true (kassa_database_begin (db, &error));
      g_assert_true (kassa_database_exec (db, "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL "
                                              "SELECT i + 1 FROM n WHERE i < 10) "
                                              "INSERT INTO filler SELECT randomblob (3000) FROM n",
                                          &error));
      g_assert_no_error (error);
      g_assert_true (kassa_database_commit (db, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (kassa_database_get_wal_pages (db), <, 1100);

  /* Nothing commits now: only the other thread can copy the pages. */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (kassa_database_get_n_checkpoints (db) == 0 && g_get_monotonic_time () < deadline)
    g_usleep (10 * 1000);
  g_assert_cmpuint (kassa_database_get_n_checkpoints (db), ==, 1);

  /* With every frame in the database file, the next writer starts the
   * WAL over from its beginning. */
  g_assert_true (kassa_database_exec (db, "INSERT INTO filler VALUES (x'00')", &error));
  g_assert_no_error (error);
  g_assert_cmpint (kassa_database_get_wal_pages (db), >, 0);
  g_assert_cmpint (kassa_database_get_wal_pages (db), <, 10);
  g_assert_cmpint (pragma_int (db, "SELECT count(*) FROM filler"), >=, 1000 / 10);

  /* Closing joins the checkpointer and leaves no WAL behind. */
  g_clear_object (&db);
  if (threads_before > 0)
    g_assert_cmpuint (count_threads (), ==, threads_before);
  g_assert_true (g_stat (wal, &st) != 0 || st.st_size == 0);

  db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pragma_int (db, "SELECT count(*) FROM filler"), >=, 1000 / 10 + 1);
}

static void
wait_for_wal_syncs (KassaDatabase *db,
                    guint          n)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (kassa_database_get_n_wal_syncs (db) < n && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  g_assert_cmpuint (kassa_database_get_n_wal_syncs (db), ==, n);
}

static void
insert_value (KassaDatabase *db,
              const char    *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kassa_database_exec (db, sql, &error));
  g_assert_no_error (error);
}

static void
test_sync_behind (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = NULL;
  g_autoptr(KassaDatabase) other = NULL;

  db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);
  insert_value (db, "CREATE TABLE t (v INTEGER)");
  g_assert_cmpint (pragma_int (db, "PRAGMA synchronous"), ==, 2);
  g_assert_cmpuint (kassa_database_get_n_wal_syncs (db), ==, 0);

  /* Unsynced while open, committed for every reader at once, synced by
   * the other thread after, and back to synced commits. */
  g_assert_true (kassa_database_begin_sync_behind (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pragma_int (db, "PRAGMA synchronous"), ==, 1);
  insert_value (db, "INSERT INTO t VALUES (1)");
  g_assert_true (kassa_database_commit (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pragma_int (db, "PRAGMA synchronous"), ==, 2);
  other = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pragma_int (other, "SELECT count(*) FROM t WHERE v = 1"), ==, 1);
  wait_for_wal_syncs (db, 1);

  /* A rollback asks for no sync and goes back to synced commits too. */
  g_assert_true (kassa_database_begin_sync_behind (db, &error));
  insert_value (db, "INSERT INTO t VALUES (2)");
  g_assert_true (kassa_database_rollback (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pragma_int (db, "PRAGMA synchronous"), ==, 2);
  g_assert_cmpint (pragma_int (db, "SELECT count(*) FROM t"), ==, 1);

  /* Nested, it follows the outermost transaction: inside a synced one
   * it is synced ... */
  g_assert_true (kassa_database_begin (db, &error));
  g_assert_true (kassa_database_begin_sync_behind (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pragma_int (db, "PRAGMA synchronous"), ==, 2);
  insert_value (db, "INSERT INTO t VALUES (3)");
  g_assert_true (kassa_database_commit (db, &error));
  g_assert_true (kassa_database_commit (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pragma_int (db, "PRAGMA synchronous"), ==, 2);

  /* ... and a synced begin inside a sync-behind one does not sync. */
  g_assert_true (kassa_database_begin_sync_behind (db, &error));
  g_assert_true (kassa_database_begin (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pragma_int (db, "PRAGMA synchronous"), ==, 1);
  insert_value (db, "INSERT INTO t VALUES (4)");
  g_assert_true (kassa_database_commit (db, &error));
  g_assert_true (kassa_database_commit (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pragma_int (db, "PRAGMA synchronous"), ==, 2);
  wait_for_wal_syncs (db, 2);
  g_assert_cmpint (pragma_int (other, "SELECT count(*) FROM t"), ==, 3);

  /* A statement failed inside: the rollback still goes back to synced
   * commits. */
  g_assert_true (kassa_database_begin_sync_behind (db, &error));
  g_assert_false (kassa_database_exec (db, "INSERT INTO missing VALUES (1)", &error));
  g_clear_error (&error);
  g_assert_true (kassa_database_rollback (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pragma_int (db, "PRAGMA synchronous"), ==, 2);
}

/* A process killed the moment its sync-behind commit returned: the
 * commit is in the operating system's hands, so it is not lost. */
static void
test_sync_behind_killed (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = NULL;
  int status = 0;
  pid_t pid;

  db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);
  insert_value (db, "CREATE TABLE t (v INTEGER)");
  g_clear_object (&db);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      KassaDatabase *child = kassa_database_open (fixture->path, NULL);

      if (child == NULL ||
          !kassa_database_begin_sync_behind (child, NULL) ||
          !kassa_database_exec (child, "INSERT INTO t VALUES (42)", NULL) ||
          !kassa_database_commit (child, NULL))
        _exit (1);
      kill (getpid (), SIGKILL);
      _exit (2);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pragma_int (db, "SELECT count(*) FROM t WHERE v = 42"), ==, 1);
  g_assert_true (kassa_database_check_integrity (db, &error));
  g_assert_no_error (error);
}

/* One transaction that grows the WAL past the hard limit at once (a
 * large import) does not checkpoint inside its commit: the checkpointer
 * is not behind, and takes it. */
static void
test_large_commit_checkpoint (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = NULL;
  gint64 deadline;

  db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);
  insert_value (db, "CREATE TABLE filler (data BLOB)");

  g_assert_true (kassa_database_begin (db, &error));
  insert_value (db, "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 11000) "
                    "INSERT INTO filler SELECT randomblob (3000) FROM n");
  g_assert_true (kassa_database_commit (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kassa_database_get_wal_pages (db), >=, 10000);

  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (kassa_database_get_n_checkpoints (db) == 0 && g_get_monotonic_time () < deadline)
    g_usleep (10 * 1000);
  g_assert_cmpuint (kassa_database_get_n_checkpoints (db), ==, 1);
}

/* Runs in a process of its own: SQLite takes its process-wide options
 * only before anything in the process used it. */
static void
test_sqlite_options (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(KassaDatabase) db = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  kassa_store_configure_sqlite ();
  db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);
  insert_value (db, "CREATE TABLE filler (id INTEGER PRIMARY KEY, data BLOB NOT NULL)");
  insert_value (db, "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) "
                    "INSERT INTO filler (data) SELECT randomblob (500) FROM n");
  g_assert_cmpint (pragma_int (db, "SELECT count (*) FROM filler"), ==, 1000);

  /* No allocation was counted, under the lock that counting takes. */
  g_assert_cmpint (sqlite3_memory_used (), ==, 0);

  g_clear_object (&db);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/kassa/database/create", test_create);
  ADD ("/kassa/database/pragmas", test_pragmas);
  g_test_add_func ("/kassa/database/default-path", test_default_path);
  ADD ("/kassa/database/refuse-not-sqlite", test_refuse_not_sqlite);
  ADD ("/kassa/database/refuse-foreign", test_refuse_foreign);
  ADD ("/kassa/database/refuse-too-new", test_refuse_too_new);
  ADD ("/kassa/database/empty-file", test_empty_file);
  ADD ("/kassa/database/migrate-forward", test_migrate_forward);
  ADD ("/kassa/database/migration-failure", test_migration_failure);
  ADD ("/kassa/database/migration-foreign-keys", test_migration_foreign_keys);
  ADD ("/kassa/database/statement-cache", test_statement_cache);
  ADD ("/kassa/database/transactions", test_transactions);
  ADD ("/kassa/database/transaction-aborted", test_transaction_aborted);
  ADD ("/kassa/database/constraint-error", test_constraint_error);
  ADD ("/kassa/database/integrity", test_integrity);
  ADD ("/kassa/database/background-checkpoint", test_background_checkpoint);
  ADD ("/kassa/database/large-commit-checkpoint", test_large_commit_checkpoint);
  ADD ("/kassa/database/sync-behind", test_sync_behind);
  ADD ("/kassa/database/sync-behind-killed", test_sync_behind_killed);
  ADD ("/kassa/database/sqlite-options", test_sqlite_options);

#undef ADD

  return g_test_run ();
}
