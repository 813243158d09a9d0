/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-journal"

#include "config.h"

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kassa-database.h"
#include "kassa-journal.h"
#include "kassa-store-error.h"
#include "kassa-store-private.h"

#include "store-test-utils.h"

/* Entries per transaction in the crash test: a count that is not a
 * multiple of it means a transaction was half stored. */
#define CRASH_BATCH 5

typedef struct
{
  char          *dir;
  char          *path;
  KassaDatabase *db;
  KassaJournal  *journal;
} Fixture;

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
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->journal);
  g_clear_object (&fixture->db);
  store_test_remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static JsonNode *
sale_payload (guint n)
{
  g_autofree char *text = g_strdup_printf ("{\"order\":%u,\"total\":\"%u.%02u\",\"currency\":\"EUR\","
                                           "\"lines\":[{\"sku\":\"A-%u\",\"quantity\":1000}]}",
                                           n, n, n % 100, n);

  return store_test_json (text);
}

static void
append_entries (Fixture *fixture,
                guint    n)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 1; i <= n; i++)
    {
      g_autoptr(KassaJournalEntry) entry = NULL;
      g_autoptr(JsonNode) payload = sale_payload (i);

      /* Mix single-entry transactions with several entries per transaction. */
      if (i % 3 != 2)
        g_assert_true (kassa_database_begin (fixture->db, &error));

      entry = kassa_journal_append (fixture->journal, "sale", payload, &error);
      g_assert_no_error (error);
      g_assert_nonnull (entry);

      if (i % 3 != 1 || i == n)
        {
          g_assert_true (kassa_database_commit (fixture->db, &error));
          g_assert_no_error (error);
        }
    }

  g_assert_false (kassa_database_in_transaction (fixture->db));
}

static void
assert_verifies (KassaJournal *journal,
                 gint64        expected_entries)
{
  g_autoptr(GError) error = NULL;
  KassaJournalBreak reason = -1;
  gint64 first_broken = -1;
  gint64 n_entries = -1;

  g_assert_true (kassa_journal_verify (journal, &n_entries, &first_broken, &reason, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_entries, ==, expected_entries);
  g_assert_cmpint (first_broken, ==, 0);
  g_assert_cmpint (reason, ==, KASSA_JOURNAL_BREAK_NONE);
}

static void
assert_broken (KassaJournal      *journal,
               gint64             expected_first,
               KassaJournalBreak  expected_reason)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = g_strdup_printf (" %" G_GINT64_FORMAT " ", expected_first);
  KassaJournalBreak reason = KASSA_JOURNAL_BREAK_NONE;
  gint64 first_broken = 0;
  gint64 n_entries = -1;

  g_assert_false (kassa_journal_verify (journal, &n_entries, &first_broken, &reason, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_JOURNAL_BROKEN);
  g_assert_cmpint (first_broken, ==, expected_first);
  g_assert_cmpint (reason, ==, expected_reason);
  g_assert_cmpint (n_entries, ==, expected_first - 1);
  g_assert_nonnull (strstr (error->message, number));
}

static void
test_canonical (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) fractional = NULL;
  g_autofree char *text = NULL;
  g_autofree char *none = NULL;

  node = store_test_json ("{ \"b\": 1, \"a\": { \"d\": [ 1, { \"z\": true, \"y\": null } ],\n"
                          "  \"c\": \"x y\\n\" }, \"B\": \"Zürich\", \"aa\": [] }");
  text = kassa_journal_canonicalize (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==,
                   "{\"B\":\"Zürich\",\"a\":{\"c\":\"x y\\n\",\"d\":[1,{\"y\":null,\"z\":true}]},\"aa\":[],\"b\":1}");

  fractional = store_test_json ("{\"amount\": {\"value\": 12.5}}");
  none = kassa_journal_canonicalize (fractional, &error);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID);
  g_assert_null (none);
  g_clear_error (&error);

  /* Already in order, it is written as it is: the same bytes. */
  {
    g_autoptr(JsonNode) sorted = store_test_json ("{\"B\":\"Zürich\",\"a\":{\"c\":\"x y\\n\",\"d\":[1,{\"y\":null,\"z\":true}]},"
                                                  "\"aa\":[],\"b\":1}");
    g_autoptr(JsonNode) sorted_fraction = store_test_json ("{\"a\": 1, \"b\": [2.5]}");
    g_autofree char *again = kassa_journal_canonicalize (sorted, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (again, ==, text);
    g_assert_null (kassa_journal_canonicalize (sorted_fraction, &error));
    g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID);
  }
}

static void
test_hash_definition (void)
{
  g_autofree char *hash = NULL;
  g_autofree char *other = NULL;

  /* Computed independently from the documented byte string. */
  hash = kassa_journal_compute_hash (KASSA_JOURNAL_GENESIS_HASH, 1, "2026-01-01T00:00:00.000000Z",
                                     "sale", "{\"total\":\"12.50\"}");
  g_assert_cmpstr (hash, ==, "c7cc0008b6759418d959420ab7fab67ad80d6ff6fb85ce9eebc548cac0324528");

  other = kassa_journal_compute_hash (KASSA_JOURNAL_GENESIS_HASH, 2, "2026-01-01T00:00:00.000000Z",
                                      "sale", "{\"total\":\"12.50\"}");
  g_assert_cmpstr (other, !=, hash);
}

static void
test_append_verify (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaJournalEntry) last = NULL;
  g_autofree char *previous = g_strdup (KASSA_JOURNAL_GENESIS_HASH);
  sqlite3 *handle = kassa_database_get_handle (fixture->db);
  sqlite3_stmt *stmt = NULL;
  gint64 expected = 1;

  last = kassa_journal_get_last (fixture->journal, &error);
  g_assert_no_error (error);
  g_assert_null (last);
  assert_verifies (fixture->journal, 0);

  append_entries (fixture, 100);
  assert_verifies (fixture->journal, 100);

  /* Every stored row links to the one before and hashes as documented. */
  g_assert_cmpint (sqlite3_prepare_v2 (handle,
                                       "SELECT sequence, created_at, kind, payload, previous_hash, hash "
                                       "FROM journal ORDER BY sequence",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(GDateTime) time = NULL;
      g_autofree char *hash = NULL;
      const char *created_at = (const char *) sqlite3_column_text (stmt, 1);

      g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, expected);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, "sale");
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 4), ==, previous);

      time = g_date_time_new_from_iso8601 (created_at, NULL);
      g_assert_nonnull (time);
      g_assert_true (g_str_has_suffix (created_at, "Z"));
      g_assert_cmpuint (strlen (created_at), ==, strlen ("2026-01-01T00:00:00.000000Z"));

      hash = kassa_journal_compute_hash (previous, expected, created_at, "sale",
                                         (const char *) sqlite3_column_text (stmt, 3));
      g_assert_cmpstr (hash, ==, (const char *) sqlite3_column_text (stmt, 5));

      g_free (previous);
      previous = g_steal_pointer (&hash);
      expected++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (expected, ==, 101);

  last = kassa_journal_get_last (fixture->journal, &error);
  g_assert_no_error (error);
  g_assert_cmpint (last->sequence, ==, 100);
  g_assert_cmpstr (last->hash, ==, previous);
  g_assert_cmpstr (last->payload, ==,
                   "{\"currency\":\"EUR\",\"lines\":[{\"quantity\":1000,\"sku\":\"A-100\"}],\"order\":100,\"total\":\"100.00\"}");
}

static void
test_requires_transaction (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) payload = sale_payload (1);
  g_autoptr(JsonNode) array = store_test_json ("[1, 2]");
  g_autoptr(KassaJournalEntry) entry = NULL;

  entry = kassa_journal_append (fixture->journal, "sale", payload, &error);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_NO_TRANSACTION);
  g_assert_null (entry);
  g_clear_error (&error);

  g_assert_true (kassa_database_begin (fixture->db, &error));

  entry = kassa_journal_append (fixture->journal, "Sale!", payload, &error);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  entry = kassa_journal_append (fixture->journal, "sale", array, &error);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* An entry rolled back with its transaction leaves no gap. */
  entry = kassa_journal_append (fixture->journal, "sale", payload, &error);
  g_assert_no_error (error);
  g_assert_cmpint (entry->sequence, ==, 1);
  g_clear_pointer (&entry, kassa_journal_entry_free);
  g_assert_true (kassa_database_rollback (fixture->db, &error));

  g_assert_cmpint (store_test_query_int (kassa_database_get_handle (fixture->db),
                                         "SELECT count(*) FROM journal"), ==, 0);

  g_assert_true (kassa_database_begin (fixture->db, &error));
  entry = kassa_journal_append (fixture->journal, "shift.close", payload, &error);
  g_assert_no_error (error);
  g_assert_cmpint (entry->sequence, ==, 1);
  g_assert_cmpstr (entry->previous_hash, ==, KASSA_JOURNAL_GENESIS_HASH);
  g_assert_true (kassa_database_commit (fixture->db, &error));
  assert_verifies (fixture->journal, 1);
}

static void
assert_refused_by_trigger (sqlite3    *db,
                           const char *sql,
                           const char *reason)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  g_assert_cmpint (rc & 0xff, ==, SQLITE_CONSTRAINT);
  g_assert_nonnull (strstr (sqlite3_errmsg (db), reason));
}

static void
test_triggers (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *raw;

  append_entries (fixture, 5);

  /* Through the application's own connection... */
  g_assert_false (kassa_database_exec (fixture->db, "UPDATE journal SET kind = 'refund' WHERE sequence = 2", &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (kassa_database_exec (fixture->db, "DELETE FROM journal WHERE sequence = 5", &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* ...and through any other. */
  raw = store_test_open_raw (fixture->path);
  assert_refused_by_trigger (raw, "UPDATE journal SET payload = '{}' WHERE sequence = 3", "cannot be changed");
  assert_refused_by_trigger (raw, "DELETE FROM journal", "cannot be deleted");
  assert_refused_by_trigger (raw,
                             "INSERT OR REPLACE INTO journal "
                             "SELECT sequence, created_at, kind, '{}', previous_hash, hash FROM journal WHERE sequence = 1",
                             "only appended");
  assert_refused_by_trigger (raw,
                             "INSERT INTO journal VALUES (6, '2026-01-01T00:00:00.000000Z', 'sale', '{}', "
                             "'" KASSA_JOURNAL_GENESIS_HASH "', '" KASSA_JOURNAL_GENESIS_HASH "')",
                             "only appended");
  assert_refused_by_trigger (raw,
                             "INSERT INTO journal SELECT 7, created_at, kind, payload, hash, "
                             "'1111111111111111111111111111111111111111111111111111111111111111' "
                             "FROM journal WHERE sequence = 5",
                             "only appended");
  g_assert_cmpint (store_test_query_int (raw, "SELECT count(*) FROM journal"), ==, 5);
  sqlite3_close (raw);

  assert_verifies (fixture->journal, 5);
}

/* What someone with the sqlite3 tool and write access would do. */
static void
tamper (Fixture    *fixture,
        const char *sql)
{
  sqlite3 *raw = store_test_open_raw (fixture->path);

  store_test_exec_raw (raw, "DROP TRIGGER journal_no_update;"
                            "DROP TRIGGER journal_no_delete;"
                            "DROP TRIGGER journal_append_only;");
  store_test_exec_raw (raw, sql);
  sqlite3_close (raw);
}

static void
test_tamper_edit (Fixture       *fixture,
                  gconstpointer  data)
{
  append_entries (fixture, 100);
  tamper (fixture, "UPDATE journal SET payload = replace (payload, '\"37.37\"', '\"3.70\"') WHERE sequence = 37");
  assert_broken (fixture->journal, 37, KASSA_JOURNAL_BREAK_HASH_MISMATCH);
}

static void
test_tamper_time (Fixture       *fixture,
                  gconstpointer  data)
{
  append_entries (fixture, 20);
  tamper (fixture, "UPDATE journal SET created_at = '2020-01-01T00:00:00.000000Z' WHERE sequence = 5");
  assert_broken (fixture->journal, 5, KASSA_JOURNAL_BREAK_HASH_MISMATCH);
}

static void
test_tamper_delete (Fixture       *fixture,
                    gconstpointer  data)
{
  append_entries (fixture, 100);
  tamper (fixture, "DELETE FROM journal WHERE sequence = 50");
  assert_broken (fixture->journal, 50, KASSA_JOURNAL_BREAK_GAP);
}

static void
test_tamper_delete_first (Fixture       *fixture,
                          gconstpointer  data)
{
  append_entries (fixture, 10);
  tamper (fixture, "DELETE FROM journal WHERE sequence = 1");
  assert_broken (fixture->journal, 1, KASSA_JOURNAL_BREAK_GAP);
}

static void
test_tamper_delete_renumber (Fixture       *fixture,
                             gconstpointer  data)
{
  append_entries (fixture, 100);
  tamper (fixture, "DELETE FROM journal WHERE sequence = 60;"
                   "UPDATE journal SET sequence = sequence - 1 WHERE sequence > 60;");
  assert_broken (fixture->journal, 60, KASSA_JOURNAL_BREAK_CHAIN);
}

static void
test_tamper_swap (Fixture       *fixture,
                  gconstpointer  data)
{
  append_entries (fixture, 100);
  tamper (fixture, "UPDATE journal SET sequence = 1000 WHERE sequence = 20;"
                   "UPDATE journal SET sequence = 20 WHERE sequence = 21;"
                   "UPDATE journal SET sequence = 21 WHERE sequence = 1000;");
  assert_broken (fixture->journal, 20, KASSA_JOURNAL_BREAK_REORDERED);
}

G_GNUC_NORETURN static void
crash_child (const char *path,
             int         ready_fd)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = NULL;
  g_autoptr(KassaJournal) journal = NULL;
  g_autofree char *filler = g_strnfill (700, 'x');

  db = kassa_database_open (path, &error);
  if (db == NULL)
    _exit (2);

  journal = kassa_journal_new (db);

  for (guint batch = 0; ; batch++)
    {
      if (!kassa_database_begin (db, &error))
        _exit (3);

      for (guint part = 0; part < CRASH_BATCH; part++)
        {
          g_autoptr(KassaJournalEntry) entry = NULL;
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          g_autoptr(JsonNode) payload = NULL;

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "batch");
          json_builder_add_int_value (builder, batch);
          json_builder_set_member_name (builder, "part");
          json_builder_add_int_value (builder, part);
          json_builder_set_member_name (builder, "filler");
          json_builder_add_string_value (builder, filler);
          json_builder_end_object (builder);
          payload = json_builder_get_root (builder);

          entry = kassa_journal_append (journal, "test.batch", payload, &error);
          if (entry == NULL)
            _exit (4);
        }

      if (!kassa_database_commit (db, &error))
        _exit (5);

      if (batch == 0 && write (ready_fd, "c", 1) != 1)
        _exit (6);
    }
}

static void
test_crash_safety (Fixture       *fixture,
                   gconstpointer  data)
{
  gint64 previous = 0;

  /* Only the child may hold the file while it runs; SQLite connections
   * must not cross a fork. */
  g_clear_object (&fixture->journal);
  g_clear_object (&fixture->db);

  for (guint round = 0; round < 20; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KassaDatabase) db = NULL;
      g_autoptr(KassaJournal) journal = NULL;
      gint64 n_entries = 0;
      int status = 0;
      int ready[2];
      pid_t pid;

      g_assert_cmpint (pipe (ready), ==, 0);

      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          close (ready[0]);
          crash_child (fixture->path, ready[1]);
        }

      close (ready[1]);

      /* Odd rounds may land while the child opens or creates the file;
       * even rounds wait for its first commit, then kill it while it is
       * deep in a stream of transactions. */
      if (round % 2 == 0)
        {
          char byte = 0;

          g_assert_cmpint (read (ready[0], &byte, 1), ==, 1);
          g_usleep (g_test_rand_int_range (0, 20000));
        }
      else
        g_usleep (g_test_rand_int_range (0, 10000));

      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      close (ready[0]);
      /* Killed, not failed on its own. */
      g_assert_true (WIFSIGNALED (status));
      g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

      db = kassa_database_open (fixture->path, &error);
      g_assert_no_error (error);
      g_assert_true (kassa_database_check_integrity (db, &error));
      g_assert_no_error (error);

      journal = kassa_journal_new (db);
      g_assert_true (kassa_journal_verify (journal, &n_entries, NULL, NULL, &error));
      g_assert_no_error (error);

      /* Whole transactions only, and nothing committed was lost. */
      g_assert_cmpint (n_entries % CRASH_BATCH, ==, 0);
      if (round % 2 == 0)
        g_assert_cmpint (n_entries, >, previous);
      else
        g_assert_cmpint (n_entries, >=, previous);
      previous = n_entries;
    }

  g_test_message ("%" G_GINT64_FORMAT " entries survived 20 kills", previous);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/journal/canonical", test_canonical);
  g_test_add_func ("/kassa/journal/hash-definition", test_hash_definition);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/kassa/journal/append-verify", test_append_verify);
  ADD ("/kassa/journal/requires-transaction", test_requires_transaction);
  ADD ("/kassa/journal/triggers", test_triggers);
  ADD ("/kassa/journal/tamper/edit", test_tamper_edit);
  ADD ("/kassa/journal/tamper/time", test_tamper_time);
  ADD ("/kassa/journal/tamper/delete", test_tamper_delete);
  ADD ("/kassa/journal/tamper/delete-first", test_tamper_delete_first);
  ADD ("/kassa/journal/tamper/delete-renumber", test_tamper_delete_renumber);
  ADD ("/kassa/journal/tamper/swap", test_tamper_swap);
  ADD ("/kassa/journal/crash-safety", test_crash_safety);

#undef ADD

  return g_test_run ();
}
