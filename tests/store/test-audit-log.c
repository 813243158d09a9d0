/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-audit-log"

#include "config.h"

#include "kassa-audit-log.h"
#include "kassa-database.h"
#include "kassa-store-error.h"
#include "kassa-store-private.h"

#include "store-test-utils.h"

typedef struct
{
  char          *dir;
  char          *path;
  KassaDatabase *db;
  KassaAuditLog *log;
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
  fixture->log = kassa_audit_log_new (fixture->db);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->log);
  g_clear_object (&fixture->db);
  store_test_remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
assert_recent_time (const char *created_at)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (created_at, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_assert_nonnull (time);
  g_assert_true (g_str_has_suffix (created_at, "Z"));
  g_assert_cmpint (ABS (g_date_time_difference (now, time)), <, 60 * G_TIME_SPAN_SECOND);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonNode) details = store_test_json ("{\"new\": \"0.50\", \"old\": \"1.00\", \"line\": 3,"
                                                 " \"note\": \"Stammkunde, 10 % Rabatt\"}");
  g_autoptr(KassaAuditEntry) copy = NULL;
  KassaAuditEntry *entry;
  gint64 first;
  gint64 second;

  first = kassa_audit_log_record (fixture->log, 7, "price.override", "order", "1042", details, &error);
  g_assert_no_error (error);
  g_assert_cmpint (first, >, 0);

  second = kassa_audit_log_record (fixture->log, 0, "drawer.open", "drawer", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (second, >, first);

  entries = kassa_audit_log_list_recent (fixture->log, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);

  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpint (entry->id, ==, second);
  g_assert_cmpint (entry->staff_id, ==, 0);
  g_assert_cmpstr (entry->action, ==, "drawer.open");
  g_assert_cmpstr (entry->entity_kind, ==, "drawer");
  g_assert_null (entry->entity_id);
  g_assert_cmpstr (entry->details, ==, "{}");
  assert_recent_time (entry->created_at);

  entry = g_ptr_array_index (entries, 1);
  g_assert_cmpint (entry->id, ==, first);
  g_assert_cmpint (entry->staff_id, ==, 7);
  g_assert_cmpstr (entry->action, ==, "price.override");
  g_assert_cmpstr (entry->entity_kind, ==, "order");
  g_assert_cmpstr (entry->entity_id, ==, "1042");
  g_assert_cmpstr (entry->details, ==,
                   "{\"line\":3,\"new\":\"0.50\",\"note\":\"Stammkunde, 10 % Rabatt\",\"old\":\"1.00\"}");
  assert_recent_time (entry->created_at);

  copy = kassa_audit_entry_copy (entry);
  g_assert_cmpint (copy->id, ==, entry->id);
  g_assert_cmpstr (copy->details, ==, entry->details);
  g_assert_true (copy->details != entry->details);

  /* A staff id of zero is stored as no staff member at all. */
  g_assert_cmpint (store_test_query_int (kassa_database_get_handle (fixture->db),
                                         "SELECT count(*) FROM audit_log WHERE staff_id IS NULL"), ==, 1);
}

static void
test_paging (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  gint64 before = 0;
  guint pages[4] = { 0 };

  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *entity = g_strdup_printf ("%u", i);

      g_assert_cmpint (kassa_audit_log_record (fixture->log, 1, "cart.line.delete", "cart", entity, NULL, &error),
                       >, 0);
      g_assert_no_error (error);
    }

  for (guint page = 0; page < G_N_ELEMENTS (pages); page++)
    {
      g_autoptr(GPtrArray) entries = kassa_audit_log_list_recent (fixture->log, before, 10, &error);

      g_assert_no_error (error);
      pages[page] = entries->len;

      for (guint i = 0; i < entries->len; i++)
        {
          KassaAuditEntry *entry = g_ptr_array_index (entries, i);
          gint64 *id = g_new (gint64, 1);

          if (before != 0)
            g_assert_cmpint (entry->id, <, before);
          before = entry->id;

          *id = entry->id;
          g_ptr_array_add (ids, id);
          g_assert_false (g_hash_table_contains (seen, id));
          g_hash_table_add (seen, id);
        }
    }

  g_assert_cmpuint (pages[0], ==, 10);
  g_assert_cmpuint (pages[1], ==, 10);
  g_assert_cmpuint (pages[2], ==, 5);
  g_assert_cmpuint (pages[3], ==, 0);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 25);
}

static void
test_in_transaction (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  g_assert_true (kassa_database_begin (fixture->db, &error));
  g_assert_cmpint (kassa_audit_log_record (fixture->log, 2, "role.change", "staff", "5", NULL, &error), >, 0);
  g_assert_true (kassa_database_rollback (fixture->db, &error));

  entries = kassa_audit_log_list_recent (fixture->log, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 0);
}

static void
test_invalid_details (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) array = store_test_json ("[\"not\", \"an\", \"object\"]");
  g_autoptr(JsonNode) fractional = store_test_json ("{\"price\": 0.1}");

  g_assert_cmpint (kassa_audit_log_record (fixture->log, 1, "x", "y", NULL, array, &error), ==, 0);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (kassa_audit_log_record (fixture->log, 1, "x", "y", NULL, fractional, &error), ==, 0);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (store_test_query_int (kassa_database_get_handle (fixture->db),
                                         "SELECT count(*) FROM audit_log"), ==, 0);
}

static void
test_immutable (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *action = NULL;
  sqlite3 *raw;
  gint64 id;

  id = kassa_audit_log_record (fixture->log, 3, "refund.approve", "refund", "9", NULL, &error);
  g_assert_no_error (error);

  raw = store_test_open_raw (fixture->path);
  g_assert_cmpint (sqlite3_exec (raw, "UPDATE audit_log SET staff_id = 1", NULL, NULL, NULL) & 0xff,
                   ==, SQLITE_CONSTRAINT);
  g_assert_nonnull (strstr (sqlite3_errmsg (raw), "cannot be changed"));
  g_assert_cmpint (sqlite3_exec (raw, "DELETE FROM audit_log", NULL, NULL, NULL) & 0xff,
                   ==, SQLITE_CONSTRAINT);
  g_assert_nonnull (strstr (sqlite3_errmsg (raw), "cannot be deleted"));
  g_assert_cmpint (sqlite3_exec (raw,
                                 "INSERT OR REPLACE INTO audit_log (id, created_at, action, entity_kind) "
                                 "SELECT id, created_at, 'nothing', 'nothing' FROM audit_log",
                                 NULL, NULL, NULL) & 0xff,
                   ==, SQLITE_CONSTRAINT);
  g_assert_nonnull (strstr (sqlite3_errmsg (raw), "cannot be replaced"));
  action = store_test_query_text (raw, "SELECT action FROM audit_log");
  g_assert_cmpstr (action, ==, "refund.approve");
  sqlite3_close (raw);

  entries = kassa_audit_log_list_recent (fixture->log, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpint (((KassaAuditEntry *) g_ptr_array_index (entries, 0))->id, ==, id);
  g_assert_cmpint (((KassaAuditEntry *) g_ptr_array_index (entries, 0))->staff_id, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/kassa/audit-log/round-trip", test_round_trip);
  ADD ("/kassa/audit-log/paging", test_paging);
  ADD ("/kassa/audit-log/in-transaction", test_in_transaction);
  ADD ("/kassa/audit-log/invalid-details", test_invalid_details);
  ADD ("/kassa/audit-log/immutable", test_immutable);

#undef ADD

  return g_test_run ();
}
