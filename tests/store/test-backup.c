/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-backup"

#include "config.h"

#include "kassa-backup.h"
#include "kassa-database.h"
#include "kassa-journal.h"
#include "kassa-store-error.h"
#include "kassa-store-private.h"

#include "store-test-utils.h"

typedef struct
{
  char *dir;
  char *path;
  char *backup;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = store_test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "kassa.db", NULL);
  fixture->backup = g_build_filename (fixture->dir, "backup.kassa", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  store_test_remove_dir (fixture->dir);
  g_free (fixture->backup);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* Appends @n entries and keeps settings.entries equal to the journal's
 * length in the same transaction, so a torn copy shows as a mismatch. */
static void
append_counted (KassaDatabase *db,
                KassaJournal  *journal,
                guint          n,
                guint          filler_length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *filler = g_strnfill (filler_length, 'f');
  g_autoptr(KassaStatement) stmt = NULL;

  g_assert_true (kassa_database_begin (db, &error));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) payload = NULL;
      g_autoptr(KassaJournalEntry) entry = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "filler");
      json_builder_add_string_value (builder, filler);
      json_builder_end_object (builder);
      payload = json_builder_get_root (builder);

      entry = kassa_journal_append (journal, "sale", payload, &error);
      g_assert_no_error (error);
    }

  stmt = kassa_database_prepare (db,
                                 "INSERT INTO settings (key, value) "
                                 "VALUES ('entries', (SELECT count(*) FROM journal)) "
                                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                 &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_clear_pointer (&stmt, kassa_statement_release);

  g_assert_true (kassa_database_commit (db, &error));
  g_assert_no_error (error);
}

static KassaDatabase *
make_database (const char *path,
               guint       n_entries,
               guint       filler_length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = kassa_database_open (path, &error);
  g_autoptr(KassaJournal) journal = NULL;

  g_assert_no_error (error);
  journal = kassa_journal_new (db);
  if (n_entries > 0)
    append_counted (db, journal, n_entries, filler_length);

  return g_steal_pointer (&db);
}

/* Opens a backup as the application would and checks it is a whole,
 * consistent database; returns its journal length. */
static gint64
assert_consistent (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = NULL;
  g_autoptr(KassaJournal) journal = NULL;
  g_autofree char *counted = NULL;
  gint64 n_entries = 0;

  db = kassa_database_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (kassa_database_check_integrity (db, &error));
  g_assert_no_error (error);

  journal = kassa_journal_new (db);
  g_assert_true (kassa_journal_verify (journal, &n_entries, NULL, NULL, &error));
  g_assert_no_error (error);

  counted = store_test_query_text (kassa_database_get_handle (db),
                                   "SELECT coalesce ((SELECT value FROM settings WHERE key = 'entries'), '0')");
  g_assert_cmpint (g_ascii_strtoll (counted, NULL, 10), ==, n_entries);

  return n_entries;
}

typedef struct
{
  guint calls;
  int   last_remaining;
  int   total;
} Progress;

static void
progress_cb (int      remaining,
             int      total,
             gpointer user_data)
{
  Progress *progress = user_data;

  g_assert_cmpint (remaining, >=, 0);
  g_assert_cmpint (remaining, <=, total);
  if (progress->calls > 0)
    g_assert_cmpint (remaining, <=, progress->last_remaining);

  progress->calls++;
  progress->last_remaining = remaining;
  progress->total = total;
}

static guint
count_files (const char *folder)
{
  GDir *dir = g_dir_open (folder, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  g_dir_close (dir);

  return n;
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = make_database (fixture->path, 2000, 900);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *wal = g_strconcat (fixture->backup, "-wal", NULL);
  Progress progress = { 0 };
  const guint8 *header;

  g_assert_true (kassa_backup_to_file (db, fixture->backup, progress_cb, &progress, NULL, &error));
  g_assert_no_error (error);

  /* Large enough to take several steps, and the last one reports done. */
  g_assert_cmpuint (progress.calls, >=, 2);
  g_assert_cmpint (progress.last_remaining, ==, 0);
  g_assert_cmpint (progress.total, >, 256);

  /* One self-contained file in rollback-journal mode, nothing beside it. */
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  bytes = store_test_read (fixture->backup);
  header = g_bytes_get_data (bytes, NULL);
  g_assert_cmpint (header[18], ==, 1);
  g_assert_cmpint (header[19], ==, 1);

  g_assert_true (kassa_backup_verify_file (fixture->backup, &error));
  g_assert_no_error (error);
  g_assert_cmpint (assert_consistent (fixture->backup), ==, 2000);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = make_database (fixture->path, 10, 10);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  guint n_before = count_files (fixture->dir);

  /* Never over the live file. */
  g_assert_false (kassa_backup_to_file (db, fixture->path, NULL, NULL, NULL, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (count_files (fixture->dir), ==, n_before);

  g_cancellable_cancel (cancellable);
  g_assert_false (kassa_backup_to_file (db, fixture->backup, NULL, NULL, cancellable, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CANCELLED);
  g_assert_false (g_file_test (fixture->backup, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (fixture->dir), ==, n_before);
}

typedef struct
{
  const char *path;
  gint        stop;
  gint        n_transactions;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *writer = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = kassa_database_open (writer->path, &error);
  g_autoptr(KassaJournal) journal = NULL;

  g_assert_no_error (error);
  journal = kassa_journal_new (db);

  while (!g_atomic_int_get (&writer->stop))
    {
      append_counted (db, journal, 3, 200);
      g_atomic_int_inc (&writer->n_transactions);
    }

  return NULL;
}

static void
test_while_writing (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(KassaDatabase) db = make_database (fixture->path, 3000, 900);
  Writer writer = { fixture->path, 0, 0 };
  GThread *thread;
  gint64 previous = 0;
  guint n_during = 0;

  thread = g_thread_new ("writer", writer_thread, &writer);

  for (guint round = 0; round < 5; round++)
    {
      g_autoptr(GError) error = NULL;
      Progress progress = { 0 };
      gint before = g_atomic_int_get (&writer.n_transactions);
      gint64 n_entries;

      g_assert_true (kassa_backup_to_file (db, fixture->backup, progress_cb, &progress, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (progress.calls, >=, 2);

      if (g_atomic_int_get (&writer.n_transactions) > before)
        n_during++;

      n_entries = assert_consistent (fixture->backup);
      g_assert_cmpint (n_entries, >=, MAX (previous, 3000));
      g_assert_cmpint ((n_entries - 3000) % 3, ==, 0);
      previous = n_entries;
    }

  g_atomic_int_set (&writer.stop, 1);
  g_thread_join (thread);

  /* The copies were taken while the other connection kept committing. */
  g_test_message ("%d transactions written, %u of 5 backups overlapped them",
                  writer.n_transactions, n_during);
  g_assert_cmpint (writer.n_transactions, >, 0);
  g_assert_cmpuint (n_during, >=, 1);
}

static void
test_restore (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) current = make_database (fixture->path, 7, 10);
  g_autoptr(KassaDatabase) other = NULL;
  g_autofree char *other_path = g_build_filename (fixture->dir, "other.db", NULL);
  g_autofree char *previous = NULL;

  other = make_database (other_path, 42, 10);
  g_assert_true (kassa_backup_to_file (other, fixture->backup, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&other);

  /* Kassa still has the file open: refused, nothing moved. */
  g_assert_false (kassa_backup_restore (fixture->backup, fixture->path, &previous, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_BUSY);
  g_assert_null (previous);
  g_clear_error (&error);
  g_clear_object (&current);
  g_assert_cmpint (assert_consistent (fixture->path), ==, 7);

  g_assert_true (kassa_backup_restore (fixture->backup, fixture->path, &previous, &error));
  g_assert_no_error (error);
  g_assert_nonnull (previous);

  g_assert_cmpint (assert_consistent (fixture->path), ==, 42);
  g_assert_cmpint (assert_consistent (previous), ==, 7);
  g_clear_pointer (&previous, g_free);

  /* Without asking for it, the replaced file goes once the new one verified. */
  g_assert_true (kassa_backup_restore (fixture->backup, other_path, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (assert_consistent (other_path), ==, 42);
  previous = g_strconcat (other_path, ".pre-restore", NULL);
  g_assert_false (g_file_test (previous, G_FILE_TEST_EXISTS));

  /* Restoring where no database was yet. */
  g_clear_pointer (&previous, g_free);
  previous = g_build_filename (fixture->dir, "new", "kassa.db", NULL);
  g_assert_true (kassa_backup_restore (fixture->backup, previous, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (assert_consistent (previous), ==, 42);
}

static void
assert_restore_refused (Fixture         *fixture,
                        const char      *candidate,
                        KassaStoreError  code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = store_test_read (fixture->path);
  g_autofree char *previous = NULL;
  guint n_files = count_files (fixture->dir);

  g_assert_false (kassa_backup_restore (candidate, fixture->path, &previous, &error));
  g_assert_error (error, KASSA_STORE_ERROR, (int) code);
  g_assert_nonnull (strstr (error->message, candidate));
  g_assert_null (previous);

  /* The current database is untouched and no temporary file is left. */
  store_test_assert_unchanged (fixture->path, before);
  g_assert_cmpuint (count_files (fixture->dir), ==, n_files);
}

static void
test_restore_refuses (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = make_database (fixture->path, 5, 10);
  g_autofree char *garbage = g_build_filename (fixture->dir, "garbage.kassa", NULL);
  g_autofree char *foreign = g_build_filename (fixture->dir, "foreign.db", NULL);
  g_autofree char *newer = g_build_filename (fixture->dir, "newer.kassa", NULL);
  g_autofree char *damaged = g_build_filename (fixture->dir, "damaged.kassa", NULL);
  g_autofree char *bump = NULL;
  g_autofree char *filler = g_strnfill (16384, 'z');
  g_autoptr(KassaDatabase) big = NULL;
  sqlite3 *raw;

  g_clear_object (&db);

  g_file_set_contents (garbage, filler, -1, &error);
  g_assert_no_error (error);
  assert_restore_refused (fixture, garbage, KASSA_STORE_ERROR_NOT_A_KASSA_DATABASE);

  raw = store_test_open_raw (foreign);
  store_test_exec_raw (raw, "CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT);"
                            "INSERT INTO photos (name) VALUES ('beach.jpg');");
  sqlite3_close (raw);
  assert_restore_refused (fixture, foreign, KASSA_STORE_ERROR_NOT_A_KASSA_DATABASE);

  big = make_database (newer, 1, 10);
  g_clear_object (&big);
  bump = g_strdup_printf ("PRAGMA user_version = %u", kassa_database_get_latest_version () + 1);
  raw = store_test_open_raw (newer);
  store_test_exec_raw (raw, bump);
  sqlite3_close (raw);
  assert_restore_refused (fixture, newer, KASSA_STORE_ERROR_TOO_NEW);

  big = make_database (damaged, 300, 300);
  g_clear_object (&big);
  store_test_corrupt (damaged);
  assert_restore_refused (fixture, damaged, KASSA_STORE_ERROR_CORRUPT);

  assert_restore_refused (fixture, "/nonexistent/backup.kassa", KASSA_STORE_ERROR_IO);

  g_assert_cmpint (assert_consistent (fixture->path), ==, 5);
}

typedef struct
{
  GThread  *main_thread;
  guint     progress_calls;
  gboolean  progress_after_done;
  gboolean  done;
  gboolean  ok;
  char     *previous;
  GError   *error;
} AsyncState;

static void
async_progress_cb (int      remaining,
                   int      total,
                   gpointer user_data)
{
  AsyncState *state = user_data;

  g_assert_true (g_thread_self () == state->main_thread);
  g_assert_cmpint (remaining, <=, total);
  if (state->done)
    state->progress_after_done = TRUE;
  state->progress_calls++;
}

static void
backup_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  AsyncState *state = user_data;

  g_assert_true (g_thread_self () == state->main_thread);
  state->ok = kassa_backup_to_file_finish (KASSA_DATABASE (object), result, &state->error);
  state->done = TRUE;
}

static void
restore_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  AsyncState *state = user_data;

  g_assert_null (object);
  state->ok = kassa_backup_restore_finish (result, &state->previous, &state->error);
  state->done = TRUE;
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(KassaDatabase) db = make_database (fixture->path, 2000, 900);
  g_autofree char *target = g_build_filename (fixture->dir, "restored.db", NULL);
  AsyncState state = { g_thread_self (), 0 };
  g_autoptr(KassaDatabase) small = make_database (target, 3, 10);

  g_clear_object (&small);

  kassa_backup_to_file_async (db, fixture->backup, async_progress_cb, &state, NULL, backup_done_cb, &state);
  while (!state.done)
    g_main_context_iteration (NULL, TRUE);
  /* Let anything still queued run, to catch progress after completion. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_assert_no_error (state.error);
  g_assert_true (state.ok);
  g_assert_cmpuint (state.progress_calls, >=, 2);
  g_assert_false (state.progress_after_done);
  g_assert_cmpint (assert_consistent (fixture->backup), ==, 2000);

  state.done = FALSE;
  state.ok = FALSE;
  kassa_backup_restore_async (fixture->backup, target, NULL, restore_done_cb, &state);
  while (!state.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (state.error);
  g_assert_true (state.ok);
  g_assert_nonnull (state.previous);
  g_assert_cmpint (assert_consistent (target), ==, 2000);
  g_assert_cmpint (assert_consistent (state.previous), ==, 3);
  g_clear_pointer (&state.previous, g_free);

  /* Cancelled before it started: reported in the store's domain, nothing moved. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autofree char *other = g_build_filename (fixture->dir, "other.kassa", NULL);

    g_cancellable_cancel (cancellable);

    state.done = FALSE;
    kassa_backup_to_file_async (db, other, NULL, NULL, cancellable, backup_done_cb, &state);
    while (!state.done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_error (state.error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CANCELLED);
    g_assert_false (state.ok);
    g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
    g_clear_error (&state.error);

    state.done = FALSE;
    kassa_backup_restore_async (other, target, cancellable, restore_done_cb, &state);
    while (!state.done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_error (state.error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CANCELLED);
    g_assert_null (state.previous);
    g_clear_error (&state.error);
    g_assert_cmpint (assert_consistent (target), ==, 2000);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/kassa/backup/round-trip", test_round_trip);
  ADD ("/kassa/backup/cancel", test_cancel);
  ADD ("/kassa/backup/while-writing", test_while_writing);
  ADD ("/kassa/backup/restore", test_restore);
  ADD ("/kassa/backup/restore-refuses", test_restore_refuses);
  ADD ("/kassa/backup/async", test_async);

#undef ADD

  return g_test_run ();
}
