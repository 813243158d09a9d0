/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Permissions hold below the user interface: every role, signed in with
 * its PIN, calls each use case of shop/ directly, and is refused with
 * KASSA_ERROR_PERMISSION_DENIED — leaving the store as it was — exactly
 * when its role lacks the permission; nobody signed in is refused
 * everything. And guessing PINs locks the account. */
#include "config.h"

#include <glib/gstdio.h>

#include "kassa-cart-repository.h"
#include "kassa-catalog-repository.h"
#include "kassa-error.h"
#include "kassa-order-repository.h"
#include "kassa-permissions.h"
#include "kassa-shift-repository.h"
#include "kassa-shop-catalog.h"
#include "kassa-shop-checkout.h"
#include "kassa-shop-maintenance.h"
#include "kassa-shop-private.h"
#include "kassa-shop-staff.h"

/* Nobody signed in. */
#define NO_ROLE ((KassaStaffRole) -1)

typedef enum
{
  USE_CASE_COMPLETE_SALE,
  USE_CASE_IMPORT_CATALOG,
  USE_CASE_BACKUP,
  USE_CASE_CREATE_STAFF,
  USE_CASE_CHANGE_ROLE,
  USE_CASE_VERIFY_JOURNAL,
  N_USE_CASES
} UseCase;

static const struct
{
  const char      *name;
  KassaPermission  permission;
} use_cases[N_USE_CASES] = {
  [USE_CASE_COMPLETE_SALE] = { "complete-sale", KASSA_PERMISSION_SELL },
  [USE_CASE_IMPORT_CATALOG] = { "import-catalog", KASSA_PERMISSION_MANAGE_CATALOG },
  [USE_CASE_BACKUP] = { "backup", KASSA_PERMISSION_MANAGE_SETTINGS },
  [USE_CASE_CREATE_STAFF] = { "create-staff", KASSA_PERMISSION_MANAGE_STAFF },
  [USE_CASE_CHANGE_ROLE] = { "change-role", KASSA_PERMISSION_MANAGE_STAFF },
  [USE_CASE_VERIFY_JOURNAL] = { "verify-journal", KASSA_PERMISSION_VIEW_REPORTS },
};

static const struct
{
  const char     *name;
  KassaStaffRole  role;
} roles[] = {
  { "admin", KASSA_STAFF_ROLE_ADMIN },
  { "manager", KASSA_STAFF_ROLE_MANAGER },
  { "cashier", KASSA_STAFF_ROLE_CASHIER },
  { "catalog-manager", KASSA_STAFF_ROLE_CATALOG_MANAGER },
  { "fulfilment", KASSA_STAFF_ROLE_FULFILMENT },
  { "service-provider", KASSA_STAFF_ROLE_SERVICE_PROVIDER },
  { "refund-approver", KASSA_STAFF_ROLE_REFUND_APPROVER },
  { "viewer", KASSA_STAFF_ROLE_VIEWER },
  { "nobody", NO_ROLE },
};

typedef struct
{
  UseCase        use_case;
  KassaStaffRole role;
} Case;

typedef struct
{
  char      *dir;
  char      *path;
  KassaShop *shop;
  gint64     admin_id;
  gint64     member_id;
  gint64     viewer_id;
  gint64     item_id;
  gint64     cart_id;
  GDateTime *now;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const Case *test_case = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaCatalogRepository) catalog = NULL;
  g_autoptr(KassaCartRepository) carts = NULL;
  g_autoptr(KassaShiftRepository) shifts = NULL;
  g_autoptr(KassaCatalogItem) item = NULL;
  g_autoptr(KassaCart) cart = g_object_new (KASSA_TYPE_CART, "currency-code", "EUR", NULL);
  KassaDatabase *database;

  fixture->dir = g_dir_make_tmp ("kassa-permissions-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "shop.db", NULL);
  fixture->shop = kassa_shop_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->now = g_date_time_new_utc (2026, 11, 28, 9, 0, 0);
  database = kassa_shop_get_database (fixture->shop);

  /* The first administrator, then the shop set up as the system. */
  fixture->admin_id = kassa_shop_create_staff (fixture->shop, "Alice Admin", KASSA_STAFF_ROLE_ADMIN,
                                               "9999", KASSA_PIN_COST_MINIMUM, &error);
  g_assert_no_error (error);
  kassa_shop_act_as_system (fixture->shop);

  if (test_case != NULL && test_case->role != NO_ROLE)
    {
      fixture->member_id = kassa_shop_create_staff (fixture->shop, "Max Member", test_case->role,
                                                    "1357", KASSA_PIN_COST_MINIMUM, &error);
      g_assert_no_error (error);
    }

  /* Someone whose role the role-change case tries to raise. */
  fixture->viewer_id = kassa_shop_create_staff (fixture->shop, "Vic Viewer", KASSA_STAFF_ROLE_VIEWER,
                                                "8642", KASSA_PIN_COST_MINIMUM, &error);
  g_assert_no_error (error);

  item = g_object_new (KASSA_TYPE_CATALOG_ITEM,
                       "name", "Coffee beans", "sku", "BEANS",
                       "price", (gint64) 1295, "currency-code", "EUR",
                       "tax-rate", (gint64) 70000, "stock-on-hand", (gint64) 10000,
                       "status", KASSA_ITEM_STATUS_ACTIVE,
                       NULL);
  catalog = kassa_catalog_repository_new (database);
  fixture->item_id = kassa_catalog_repository_insert (catalog, item, &error);
  g_assert_no_error (error);

  shifts = kassa_shift_repository_new (database);
  g_assert_cmpint (kassa_shift_repository_open (shifts, NULL, fixture->admin_id, "EUR", 10000, &error), >, 0);
  g_assert_no_error (error);

  carts = kassa_cart_repository_new (database);
  g_assert_true (kassa_cart_add_item (cart, item, 1000, NULL, &error));
  fixture->cart_id = kassa_cart_repository_create (carts, cart, fixture->admin_id, &error);
  g_assert_no_error (error);

  /* No longer the system: the member signs in with the PIN, as at the
   * till, or nobody does. */
  g_clear_object (&fixture->shop);
  fixture->shop = kassa_shop_open (fixture->path, &error);
  g_assert_no_error (error);
  if (fixture->member_id != 0)
    {
      g_assert_true (kassa_shop_sign_in (fixture->shop, fixture->member_id, "1357", fixture->now, &error));
      g_assert_no_error (error);
    }
  g_assert_false (kassa_shop_is_system (fixture->shop));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->shop);
  g_clear_pointer (&fixture->now, g_date_time_unref);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static guint
count_orders (Fixture *fixture)
{
  g_autoptr(KassaOrderRepository) orders = kassa_order_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(GListModel) list = kassa_order_repository_list (orders, NULL, NULL, 100, NULL);

  return g_list_model_get_n_items (list);
}

static guint
count_items (Fixture *fixture)
{
  g_autoptr(KassaCatalogRepository) catalog = kassa_catalog_repository_new (kassa_shop_get_database (fixture->shop));
  guint n = 0;

  g_assert_true (kassa_catalog_repository_count (catalog, KASSA_CATALOG_FILTER_ANY, &n, NULL));
  return n;
}

static guint
count_staff (Fixture *fixture)
{
  g_autoptr(GPtrArray) staff = kassa_shop_list_staff (fixture->shop, NULL);

  return staff->len;
}

static KassaStaffRole
role_of (Fixture *fixture,
         gint64   staff_id)
{
  g_autoptr(GPtrArray) staff = kassa_shop_list_staff (fixture->shop, NULL);

  for (guint i = 0; i < staff->len; i++)
    if (kassa_staff_get_id (g_ptr_array_index (staff, i)) == staff_id)
      return kassa_staff_get_role (g_ptr_array_index (staff, i));

  g_assert_not_reached ();
}

/* Calls the use case; returns whether it went through, and checks that
 * a refusal changed nothing. */
static gboolean
call_use_case (Fixture  *fixture,
               UseCase   use_case,
               GError  **error)
{
  switch (use_case)
    {
    case USE_CASE_COMPLETE_SALE:
      {
        g_autoptr(GPtrArray) payments = g_ptr_array_new_with_free_func (g_object_unref);
        g_autoptr(KassaOrder) order = NULL;
        KassaPayment *payment = kassa_payment_new ();

        kassa_payment_set_provider_id (payment, KASSA_PAYMENT_PROVIDER_CASH);
        kassa_payment_set_amount (payment, 1295);
        g_ptr_array_add (payments, payment);
        order = kassa_shop_complete_sale (fixture->shop, fixture->cart_id, payments, fixture->now, error);
        g_assert_cmpuint (count_orders (fixture), ==, order != NULL ? 1 : 0);
        return order != NULL;
      }

    case USE_CASE_IMPORT_CATALOG:
      {
        static const char csv[] = "name,price,currency\nTea,4.20,EUR\n";
        g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (csv, sizeof csv - 1, NULL);
        KassaCatalogImportResult result = { 0 };
        gboolean ok;

        ok = kassa_shop_import_catalog (fixture->shop, stream, KASSA_CATALOG_FORMAT_CSV,
                                        KASSA_CATALOG_IMPORT_NONE, NULL, NULL, &result, NULL, error);
        g_assert_cmpuint (count_items (fixture), ==, ok ? 2 : 1);
        return ok;
      }

    case USE_CASE_BACKUP:
      {
        g_autofree char *copy = g_build_filename (fixture->dir, "copy.db", NULL);
        gboolean ok = kassa_shop_backup (fixture->shop, copy, NULL, NULL, NULL, error);

        g_assert_cmpint (g_file_test (copy, G_FILE_TEST_EXISTS), ==, ok);
        return ok;
      }

    case USE_CASE_CREATE_STAFF:
      {
        guint before = count_staff (fixture);
        gint64 id = kassa_shop_create_staff (fixture->shop, "Nina New", KASSA_STAFF_ROLE_ADMIN,
                                             "2468", KASSA_PIN_COST_MINIMUM, error);

        g_assert_cmpuint (count_staff (fixture), ==, before + (id != 0 ? 1 : 0));
        return id != 0;
      }

    case USE_CASE_CHANGE_ROLE:
      {
        /* Making a colleague an administrator. */
        gboolean ok = kassa_shop_set_staff_role (fixture->shop, fixture->viewer_id,
                                                 KASSA_STAFF_ROLE_ADMIN, error);

        g_assert_cmpint (role_of (fixture, fixture->viewer_id), ==,
                         ok ? KASSA_STAFF_ROLE_ADMIN : KASSA_STAFF_ROLE_VIEWER);
        return ok;
      }

    case USE_CASE_VERIFY_JOURNAL:
      {
        KassaJournalReport report;

        return kassa_shop_verify_journal (fixture->shop, &report, error);
      }

    case N_USE_CASES:
    default:
      g_assert_not_reached ();
    }
}

static void
test_permission (Fixture       *fixture,
                 gconstpointer  data)
{
  const Case *test_case = data;
  g_autoptr(GError) error = NULL;
  gboolean allowed = test_case->role != NO_ROLE &&
                     kassa_role_has_permission (test_case->role, use_cases[test_case->use_case].permission);
  gboolean ok;

  ok = call_use_case (fixture, test_case->use_case, &error);
  if (allowed)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
      g_assert_false (ok);
    }
}

static GDateTime *
at (GDateTime *base,
    int        seconds)
{
  return g_date_time_add_seconds (base, seconds);
}

/* Someone tries every PIN from 0000 up, one a second, on a cashier
 * whose PIN is 0042. The fifth wrong one locks the account; from then
 * on every PIN, the right one too, is refused as locked (telling the
 * guesser nothing) until 60 seconds after the lock. */
static void
test_pin_brute_force (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 cashier;
  int second = 0;

  kassa_shop_act_as_system (fixture->shop);
  cashier = kassa_shop_create_staff (fixture->shop, "Carl Cashier", KASSA_STAFF_ROLE_CASHIER,
                                     "0042", KASSA_PIN_COST_MINIMUM, &error);
  g_assert_no_error (error);
  g_clear_object (&fixture->shop);
  fixture->shop = kassa_shop_open (fixture->path, &error);
  g_assert_no_error (error);

  for (int guess = 0; guess <= 42; guess++, second++)
    {
      g_autoptr(GDateTime) now = at (fixture->now, second);
      g_autofree char *pin = g_strdup_printf ("%04d", guess);

      g_assert_false (kassa_shop_sign_in (fixture->shop, cashier, pin, now, &error));
      if (guess < KASSA_SHOP_SIGN_IN_MAX_ATTEMPTS - 1)
        g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
      else
        g_assert_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED);
      g_clear_error (&error);
      g_assert_null (kassa_shop_get_actor (fixture->shop));
    }

  /* Locked at the fifth guess (second 4) until second 64. */
  {
    g_autoptr(GDateTime) now = at (fixture->now, 4 + KASSA_SHOP_SIGN_IN_LOCK_SECONDS - 1);

    g_assert_false (kassa_shop_sign_in (fixture->shop, cashier, "0042", now, &error));
    g_assert_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED);
    g_clear_error (&error);
  }
  {
    g_autoptr(GDateTime) now = at (fixture->now, 4 + KASSA_SHOP_SIGN_IN_LOCK_SECONDS);

    g_assert_true (kassa_shop_sign_in (fixture->shop, cashier, "0042", now, &error));
    g_assert_no_error (error);
    g_assert_cmpint (kassa_staff_get_id (kassa_shop_get_actor (fixture->shop)), ==, cashier);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);

  for (guint u = 0; u < N_USE_CASES; u++)
    for (guint r = 0; r < G_N_ELEMENTS (roles); r++)
      {
        Case *test_case = g_new0 (Case, 1);
        g_autofree char *path = g_strdup_printf ("/kassa/shop-permissions/%s/%s",
                                                 use_cases[u].name, roles[r].name);

        test_case->use_case = u;
        test_case->role = roles[r].role;
        g_ptr_array_add (cases, test_case);
        g_test_add (path, Fixture, test_case, fixture_set_up, test_permission, fixture_tear_down);
      }

  g_test_add ("/kassa/shop-permissions/pin-brute-force", Fixture, NULL,
              fixture_set_up, test_pin_brute_force, fixture_tear_down);

  return g_test_run ();
}
