/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "kassa-error.h"
#include "kassa-shop-private.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("kassa-shop-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "shop.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
test_shop_open_creates_database (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaShop) shop = kassa_shop_open (fixture->path, &error);

  g_assert_no_error (error);
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (kassa_shop_get_path (shop), ==, fixture->path);
  g_assert_cmpuint (kassa_database_get_schema_version (kassa_shop_get_database (shop)), ==,
                    kassa_database_get_latest_version ());
  g_assert_nonnull (kassa_shop_get_journal (shop));
  g_assert_nonnull (kassa_shop_get_audit_log (shop));
}

static void
test_shop_open_refuses_garbage (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaShop) shop = NULL;

  g_assert_true (g_file_set_contents (fixture->path, "not a database at all, just text", -1, NULL));
  shop = kassa_shop_open (fixture->path, &error);
  g_assert_null (shop);
  g_assert_nonnull (error);
}

static void
test_shop_permissions (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaShop) shop = kassa_shop_open (fixture->path, &error);
  g_autoptr(KassaStaff) cashier = kassa_staff_new ();

  g_assert_no_error (error);

  /* Nobody signed in: nothing is allowed. */
  g_assert_false (kassa_shop_check_permission (shop, KASSA_PERMISSION_SELL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  kassa_staff_set_id (cashier, 7);
  kassa_staff_set_name (cashier, "Ana");
  kassa_staff_set_role (cashier, KASSA_STAFF_ROLE_CASHIER);
  kassa_shop_set_actor (shop, cashier);
  g_assert_true (kassa_shop_get_actor (shop) == cashier);
  g_assert_cmpint (kassa_shop_get_actor_id (shop), ==, 7);
  g_assert_true (kassa_shop_check_permission (shop, KASSA_PERMISSION_SELL, &error));
  g_assert_no_error (error);
  g_assert_false (kassa_shop_check_permission (shop, KASSA_PERMISSION_APPROVE_REFUND, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* The command line acts as the system, which may do everything… */
  kassa_shop_act_as_system (shop);
  g_assert_true (kassa_shop_is_system (shop));
  g_assert_null (kassa_shop_get_actor (shop));
  g_assert_cmpint (kassa_shop_get_actor_id (shop), ==, 0);
  g_assert_true (kassa_shop_check_permission (shop, KASSA_PERMISSION_MANAGE_STAFF, &error));

  /* …until someone signs in, who then acts with their own role. */
  kassa_shop_set_actor (shop, cashier);
  g_assert_false (kassa_shop_is_system (shop));
  g_assert_false (kassa_shop_check_permission (shop, KASSA_PERMISSION_MANAGE_STAFF, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/kassa/shop/open-creates-database", Fixture, NULL,
              fixture_set_up, test_shop_open_creates_database, fixture_tear_down);
  g_test_add ("/kassa/shop/open-refuses-garbage", Fixture, NULL,
              fixture_set_up, test_shop_open_refuses_garbage, fixture_tear_down);
  g_test_add ("/kassa/shop/permissions", Fixture, NULL,
              fixture_set_up, test_shop_permissions, fixture_tear_down);

  return g_test_run ();
}
