/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kassa-error.h"
#include "kassa-shop-private.h"
#include "kassa-shop-staff.h"

typedef struct
{
  char      *dir;
  char      *path;
  KassaShop *shop;
  gint64     admin;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("kassa-shop-staff-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "shop.db", NULL);
  fixture->shop = kassa_shop_open (fixture->path, &error);
  g_assert_no_error (error);

  /* Nobody is signed in: only the first administrator may be made so. */
  fixture->admin = kassa_shop_create_staff (fixture->shop, "Alice Admin", KASSA_STAFF_ROLE_ADMIN,
                                            "9999", KASSA_PIN_COST_MINIMUM, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fixture->admin, >, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->shop);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);
      g_assert_cmpint (g_unlink (file), ==, 0);
    }
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static GDateTime *
at (int seconds)
{
  g_autoptr(GDateTime) base = g_date_time_new_utc (2026, 11, 28, 9, 0, 0);

  return g_date_time_add_seconds (base, seconds);
}

static void
sign_in_admin (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = at (0);

  g_assert_true (kassa_shop_sign_in (fixture->shop, fixture->admin, "9999", now, &error));
  g_assert_no_error (error);
}

static gint64
create (Fixture        *fixture,
        const char     *name,
        KassaStaffRole  role,
        const char     *pin)
{
  g_autoptr(GError) error = NULL;
  gint64 id = kassa_shop_create_staff (fixture->shop, name, role, pin, KASSA_PIN_COST_MINIMUM, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

/* The newest audit entry. */
static KassaAuditEntry *
last_audit (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = kassa_audit_log_list_recent (kassa_shop_get_audit_log (fixture->shop),
                                                              0, 1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);

  return kassa_audit_entry_copy (entries->pdata[0]);
}

static guint
count_audit (Fixture    *fixture,
             const char *action)
{
  g_autoptr(GPtrArray) entries = kassa_audit_log_list_recent (kassa_shop_get_audit_log (fixture->shop),
                                                              0, 1000, NULL);
  guint count = 0;

  for (guint i = 0; i < entries->len; i++)
    {
      KassaAuditEntry *entry = entries->pdata[i];
      if (g_str_equal (entry->action, action))
        count++;
    }

  return count;
}

static void
test_bootstrap (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaAuditEntry) entry = last_audit (fixture);
  g_autoptr(GPtrArray) staff = NULL;

  g_assert_cmpstr (entry->action, ==, "staff.create");
  g_assert_cmpint (entry->staff_id, ==, 0);
  g_assert_cmpstr (entry->details, ==, "{\"bootstrap\":true,\"name\":\"Alice Admin\",\"role\":\"admin\"}");

  /* Once someone exists, nobody signed in cannot add more. */
  g_assert_cmpint (kassa_shop_create_staff (fixture->shop, "Mallory", KASSA_STAFF_ROLE_ADMIN, "1234",
                                            KASSA_PIN_COST_MINIMUM, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);

  staff = kassa_shop_list_staff (fixture->shop, NULL);
  g_assert_cmpuint (staff->len, ==, 1);
  /* The PIN is stored only as an argon2id hash. */
  g_assert_true (g_str_has_prefix (kassa_staff_get_pin_hash (staff->pdata[0]), "$argon2id$"));
}

static void
test_bootstrap_needs_admin (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kassa-shop-staff-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "shop.db", NULL);
  g_autoptr(KassaShop) shop = kassa_shop_open (path, &error);
  g_autoptr(GPtrArray) staff = NULL;

  g_assert_cmpint (kassa_shop_create_staff (shop, "Carl", KASSA_STAFF_ROLE_CASHIER, "1234",
                                            KASSA_PIN_COST_MINIMUM, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (kassa_shop_create_staff (shop, "Carl", KASSA_STAFF_ROLE_ADMIN, "12",
                                            KASSA_PIN_COST_MINIMUM, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);

  staff = kassa_shop_list_staff (shop, NULL);
  g_assert_cmpuint (staff->len, ==, 0);

  g_clear_object (&shop);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *file = g_build_filename (dir, name, NULL);
        g_unlink (file);
      }
  }
  g_rmdir (dir);
}

static void
test_right_pin (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = at (0);
  g_autoptr(KassaAuditEntry) entry = NULL;
  KassaStaff *actor;

  g_assert_null (kassa_shop_get_actor (fixture->shop));
  g_assert_true (kassa_shop_sign_in (fixture->shop, fixture->admin, "9999", now, &error));
  g_assert_no_error (error);

  actor = kassa_shop_get_actor (fixture->shop);
  g_assert_nonnull (actor);
  g_assert_cmpint (kassa_staff_get_id (actor), ==, fixture->admin);
  g_assert_cmpstr (kassa_staff_get_name (actor), ==, "Alice Admin");
  g_assert_null (kassa_staff_get_pin_hash (actor));
  g_assert_true (kassa_shop_check_permission (fixture->shop, KASSA_PERMISSION_MANAGE_STAFF, NULL));

  entry = last_audit (fixture);
  g_assert_cmpstr (entry->action, ==, "staff.sign-in");
  g_assert_cmpint (entry->staff_id, ==, fixture->admin);

  kassa_shop_sign_out (fixture->shop);
  g_assert_null (kassa_shop_get_actor (fixture->shop));
}

static void
test_wrong_pin (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = at (0);
  g_autoptr(KassaAuditEntry) entry = NULL;

  g_assert_false (kassa_shop_sign_in (fixture->shop, fixture->admin, "9998", now, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_assert_cmpstr (error->message, ==, "Wrong PIN");
  g_assert_null (kassa_shop_get_actor (fixture->shop));

  entry = last_audit (fixture);
  g_assert_cmpstr (entry->action, ==, "staff.sign-in-failed");
  g_assert_cmpstr (entry->entity_id, ==, "1");
  g_assert_cmpstr (entry->details, ==, "{\"failed_attempts\":1,\"reason\":\"wrong-pin\"}");
  /* Never the PIN that was tried. */
  g_assert_null (strstr (entry->details, "9998"));
  g_clear_error (&error);

  g_assert_false (kassa_shop_sign_in (fixture->shop, 4242, "9999", now, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
}

static void
test_lockout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 4; i++)
    {
      g_autoptr(GDateTime) now = at (i);

      g_assert_false (kassa_shop_sign_in (fixture->shop, fixture->admin, "0000", now, &error));
      g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
      g_clear_error (&error);
    }

  /* The fifth wrong PIN locks the account for a minute from then. */
  {
    g_autoptr(GDateTime) now = at (10);
    g_assert_false (kassa_shop_sign_in (fixture->shop, fixture->admin, "0000", now, &error));
    g_assert_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED);
    g_assert_cmpstr (error->message, ==, "Too many wrong PINs: try again in 60 seconds");
    g_clear_error (&error);
  }
  {
    g_autoptr(KassaAuditEntry) entry = last_audit (fixture);
    g_assert_cmpstr (entry->action, ==, "staff.sign-in-failed");
    g_assert_cmpstr (entry->details, ==,
                     "{\"failed_attempts\":5,\"locked_until\":\"2026-11-28T09:01:10Z\",\"reason\":\"wrong-pin-locked\"}");
  }

  /* Even the right PIN is refused while locked. */
  {
    g_autoptr(GDateTime) now = at (40);
    g_assert_false (kassa_shop_sign_in (fixture->shop, fixture->admin, "9999", now, &error));
    g_assert_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED);
    g_assert_cmpstr (error->message, ==, "Too many wrong PINs: try again in 30 seconds");
    g_clear_error (&error);
    g_assert_null (kassa_shop_get_actor (fixture->shop));
  }

  g_assert_cmpuint (count_audit (fixture, "staff.sign-in-failed"), ==, 6);

  /* Restarting does not lift the lock. */
  g_clear_object (&fixture->shop);
  fixture->shop = kassa_shop_open (fixture->path, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GDateTime) now = at (69);
    g_assert_false (kassa_shop_sign_in (fixture->shop, fixture->admin, "9999", now, &error));
    g_assert_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED);
    g_assert_cmpstr (error->message, ==, "Too many wrong PINs: try again in 1 second");
    g_clear_error (&error);
  }

  /* It runs out after 60 seconds. */
  {
    g_autoptr(GDateTime) now = at (70);
    g_assert_true (kassa_shop_sign_in (fixture->shop, fixture->admin, "9999", now, &error));
    g_assert_no_error (error);
    g_assert_nonnull (kassa_shop_get_actor (fixture->shop));
  }

  /* A fresh count afterwards: one wrong PIN is just a wrong PIN. */
  {
    g_autoptr(GDateTime) now = at (71);
    g_assert_false (kassa_shop_sign_in (fixture->shop, fixture->admin, "0000", now, &error));
    g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  }
}

static void
test_role_change_audited (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaAuditEntry) entry = NULL;
  g_autoptr(GPtrArray) staff = NULL;
  gint64 carl;
  g_autofree char *carl_id = NULL;

  sign_in_admin (fixture);
  carl = create (fixture, "Carl Cashier", KASSA_STAFF_ROLE_CASHIER, "1234");
  carl_id = g_strdup_printf ("%" G_GINT64_FORMAT, carl);

  g_assert_true (kassa_shop_set_staff_role (fixture->shop, carl, KASSA_STAFF_ROLE_MANAGER, &error));
  g_assert_no_error (error);

  entry = last_audit (fixture);
  g_assert_cmpstr (entry->action, ==, "staff.role");
  g_assert_cmpstr (entry->entity_kind, ==, "staff");
  g_assert_cmpstr (entry->entity_id, ==, carl_id);
  g_assert_cmpint (entry->staff_id, ==, fixture->admin);
  g_assert_cmpstr (entry->details, ==, "{\"from\":\"cashier\",\"to\":\"manager\"}");

  staff = kassa_shop_list_staff (fixture->shop, NULL);
  g_assert_cmpuint (staff->len, ==, 2);
  g_assert_cmpstr (kassa_staff_get_name (staff->pdata[1]), ==, "Carl Cashier");
  g_assert_cmpint (kassa_staff_get_role (staff->pdata[1]), ==, KASSA_STAFF_ROLE_MANAGER);

  g_assert_true (kassa_shop_rename_staff (fixture->shop, carl, "Carl M.", &error));
  g_assert_no_error (error);
  {
    g_autoptr(KassaAuditEntry) renamed = last_audit (fixture);
    g_assert_cmpstr (renamed->action, ==, "staff.rename");
    g_assert_cmpstr (renamed->details, ==, "{\"from\":\"Carl Cashier\",\"to\":\"Carl M.\"}");
  }
  g_assert_false (kassa_shop_rename_staff (fixture->shop, carl, " ", &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  /* The shop keeps an administrator. */
  g_assert_false (kassa_shop_set_staff_role (fixture->shop, fixture->admin, KASSA_STAFF_ROLE_CASHIER, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kassa_shop_archive_staff (fixture->shop, fixture->admin, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
}

static void
test_cashier_cannot_manage_staff (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = at (0);
  g_autoptr(GPtrArray) staff = NULL;
  gint64 carl;
  guint audit_before;

  sign_in_admin (fixture);
  carl = create (fixture, "Carl Cashier", KASSA_STAFF_ROLE_CASHIER, "1234");

  g_assert_true (kassa_shop_sign_in (fixture->shop, carl, "1234", now, &error));
  audit_before = count_audit (fixture, "staff.create");

  g_assert_cmpint (kassa_shop_create_staff (fixture->shop, "Eve", KASSA_STAFF_ROLE_ADMIN, "5555",
                                            KASSA_PIN_COST_MINIMUM, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_assert_cmpstr (error->message, ==, "The role “Cashier” does not allow “Manage staff”");
  g_clear_error (&error);

  g_assert_false (kassa_shop_set_staff_role (fixture->shop, carl, KASSA_STAFF_ROLE_ADMIN, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (kassa_shop_set_staff_pin (fixture->shop, fixture->admin, "0000",
                                            KASSA_PIN_COST_MINIMUM, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* But their own PIN is theirs to change. */
  g_assert_true (kassa_shop_set_staff_pin (fixture->shop, carl, "4321", KASSA_PIN_COST_MINIMUM, &error));
  g_assert_no_error (error);
  kassa_shop_sign_out (fixture->shop);
  g_assert_false (kassa_shop_sign_in (fixture->shop, carl, "1234", now, NULL));
  g_assert_true (kassa_shop_sign_in (fixture->shop, carl, "4321", now, NULL));

  staff = kassa_shop_list_staff (fixture->shop, NULL);
  g_assert_cmpuint (staff->len, ==, 2);
  g_assert_cmpuint (count_audit (fixture, "staff.create"), ==, audit_before);
  g_assert_cmpuint (count_audit (fixture, "staff.pin"), ==, 1);
}

static void
test_archive (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = at (0);
  g_autoptr(KassaAuditEntry) entry = NULL;
  g_autoptr(GPtrArray) staff = NULL;
  gint64 carl;

  sign_in_admin (fixture);
  carl = create (fixture, "Carl Cashier", KASSA_STAFF_ROLE_CASHIER, "1234");

  g_assert_true (kassa_shop_archive_staff (fixture->shop, carl, &error));
  g_assert_no_error (error);
  entry = last_audit (fixture);
  g_assert_cmpstr (entry->action, ==, "staff.archive");

  staff = kassa_shop_list_staff (fixture->shop, NULL);
  g_assert_cmpuint (staff->len, ==, 1);

  g_assert_false (kassa_shop_sign_in (fixture->shop, carl, "1234", now, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_assert_cmpstr (error->message, ==, "Carl Cashier’s account is archived");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/shop-staff/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("bootstrap", test_bootstrap);
  g_test_add_func ("/kassa/shop-staff/bootstrap-needs-admin", test_bootstrap_needs_admin);
  ADD ("right-pin", test_right_pin);
  ADD ("wrong-pin", test_wrong_pin);
  ADD ("lockout", test_lockout);
  ADD ("role-change-audited", test_role_change_audited);
  ADD ("cashier-cannot-manage-staff", test_cashier_cannot_manage_staff);
  ADD ("archive", test_archive);

  return g_test_run ();
}
