/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-staff-repository"

#include "config.h"

#include "kassa-error.h"
#include "kassa-staff-repository.h"
#include "kassa-store-private.h"

#include "store-test-utils.h"

typedef struct
{
  char                 *dir;
  char                 *path;
  KassaDatabase        *db;
  KassaStaffRepository *repo;
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
  fixture->repo = kassa_staff_repository_new (fixture->db);
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
  fixture->repo = kassa_staff_repository_new (fixture->db);
}

static gint64
add (Fixture        *fixture,
     const char     *name,
     KassaStaffRole  role)
{
  g_autoptr(KassaStaff) staff = kassa_staff_new ();
  g_autoptr(GError) error = NULL;

  kassa_staff_set_name (staff, name);
  kassa_staff_set_role (staff, role);
  kassa_staff_set_pin_hash (staff, "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA");
  kassa_staff_set_active (staff, TRUE);
  g_assert_true (kassa_staff_repository_insert (fixture->repo, staff, &error));
  g_assert_no_error (error);

  return kassa_staff_get_id (staff);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaStaff) loaded = NULL;
  gint64 id;

  g_assert_cmpint (kassa_staff_repository_count (fixture->repo, &error), ==, 0);
  id = add (fixture, "Ada", KASSA_STAFF_ROLE_CASHIER);
  g_assert_cmpint (kassa_staff_repository_count (fixture->repo, &error), ==, 1);

  reopen (fixture);
  loaded = kassa_staff_repository_get (fixture->repo, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_staff_get_id (loaded), ==, id);
  g_assert_cmpstr (kassa_staff_get_name (loaded), ==, "Ada");
  g_assert_cmpint (kassa_staff_get_role (loaded), ==, KASSA_STAFF_ROLE_CASHIER);
  g_assert_cmpstr (kassa_staff_get_pin_hash (loaded), ==, "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA");
  g_assert_true (kassa_staff_get_active (loaded));

  g_assert_null (kassa_staff_repository_get (fixture->repo, 999, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
}

static void
test_role_name_and_archive (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaStaff) loaded = NULL;
  g_autoptr(GPtrArray) active = NULL;
  g_autoptr(GPtrArray) everyone = NULL;
  gint64 ada = add (fixture, "Ada", KASSA_STAFF_ROLE_CASHIER);
  gint64 bob = add (fixture, "bob", KASSA_STAFF_ROLE_ADMIN);
  sqlite3 *raw;

  g_assert_true (kassa_staff_repository_set_role (fixture->repo, ada, KASSA_STAFF_ROLE_REFUND_APPROVER, &error));
  g_assert_true (kassa_staff_repository_set_name (fixture->repo, ada, "Ada L.", &error));
  g_assert_false (kassa_staff_repository_set_name (fixture->repo, ada, "  ", &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  loaded = kassa_staff_repository_get (fixture->repo, ada, &error);
  g_assert_cmpint (kassa_staff_get_role (loaded), ==, KASSA_STAFF_ROLE_REFUND_APPROVER);
  g_assert_cmpstr (kassa_staff_get_name (loaded), ==, "Ada L.");

  g_assert_cmpint (kassa_staff_repository_count_active_with_role (fixture->repo, KASSA_STAFF_ROLE_ADMIN, &error), ==, 1);
  g_assert_true (kassa_staff_repository_set_active (fixture->repo, bob, FALSE, &error));
  g_assert_cmpint (kassa_staff_repository_count_active_with_role (fixture->repo, KASSA_STAFF_ROLE_ADMIN, &error), ==, 0);

  active = kassa_staff_repository_list (fixture->repo, FALSE, &error);
  g_assert_cmpuint (active->len, ==, 1);
  g_assert_cmpstr (kassa_staff_get_name (active->pdata[0]), ==, "Ada L.");
  everyone = kassa_staff_repository_list (fixture->repo, TRUE, &error);
  g_assert_cmpuint (everyone->len, ==, 2);
  g_assert_cmpstr (kassa_staff_get_name (everyone->pdata[1]), ==, "bob");
  g_assert_false (kassa_staff_get_active (everyone->pdata[1]));

  /* Archived, never deleted: the schema refuses a delete outright. */
  raw = store_test_open_raw (fixture->path);
  g_assert_cmpint (sqlite3_exec (raw, "DELETE FROM staff", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (store_test_query_int (raw, "SELECT count (*) FROM staff"), ==, 2);
  sqlite3_close (raw);

  g_assert_false (kassa_staff_repository_set_role (fixture->repo, 999, KASSA_STAFF_ROLE_ADMIN, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
}

static void
test_lock_persists (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) until = g_date_time_new_utc (2026, 11, 28, 9, 0, 30.5);
  g_autoptr(GDateTime) read = NULL;
  guint failed = 99;
  gint64 id = add (fixture, "Ada", KASSA_STAFF_ROLE_CASHIER);

  g_assert_true (kassa_staff_repository_get_lock (fixture->repo, id, &failed, &read, &error));
  g_assert_cmpuint (failed, ==, 0);
  g_assert_null (read);

  g_assert_true (kassa_staff_repository_set_lock (fixture->repo, id, 3, until, &error));
  g_assert_no_error (error);

  reopen (fixture);
  g_assert_true (kassa_staff_repository_get_lock (fixture->repo, id, &failed, &read, &error));
  g_assert_cmpuint (failed, ==, 3);
  g_assert_true (g_date_time_equal (read, until));
  g_clear_pointer (&read, g_date_time_unref);

  /* A new PIN clears the count and the lock. */
  g_assert_true (kassa_staff_repository_set_pin_hash (fixture->repo, id, "$argon2id$new", &error));
  g_assert_true (kassa_staff_repository_get_lock (fixture->repo, id, &failed, &read, &error));
  g_assert_cmpuint (failed, ==, 0);
  g_assert_null (read);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/staff-repository/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("round-trip", test_round_trip);
  ADD ("role-name-and-archive", test_role_name_and_archive);
  ADD ("lock-persists", test_lock_persists);

  return g_test_run ();
}
