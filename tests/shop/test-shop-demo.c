/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "kassa-catalog-repository.h"
#include "kassa-customer-repository.h"
#include "kassa-error.h"
#include "kassa-order-repository.h"
#include "kassa-settings-repository.h"
#include "kassa-shift-repository.h"
#include "kassa-shop-catalog.h"
#include "kassa-shop-demo.h"
#include "kassa-shop-maintenance.h"
#include "kassa-shop-private.h"
#include "kassa-shop-staff.h"

typedef struct
{
  char      *dir;
  KassaShop *shop;
} Fixture;

static KassaShop *
open_shop (Fixture    *fixture,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  KassaShop *shop = kassa_shop_open (path, &error);

  g_assert_no_error (error);
  kassa_shop_act_as_system (shop);

  return shop;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("kassa-demo-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->shop = open_shop (fixture, "shop.db");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->shop);

  dir = g_dir_open (fixture->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static KassaShopDemoOptions
small_options (guint n_products,
               guint n_orders,
               guint32 seed)
{
  KassaShopDemoOptions options = KASSA_SHOP_DEMO_OPTIONS_INIT;

  options.n_products = n_products;
  options.n_orders = n_orders;
  options.seed = seed;
  options.pin_cost = KASSA_PIN_COST_MINIMUM;

  return options;
}

static guint
count_items (KassaShop *shop)
{
  g_autoptr(KassaCatalogRepository) catalog = kassa_catalog_repository_new (kassa_shop_get_database (shop));
  g_autoptr(GError) error = NULL;
  guint n_items = 0;

  g_assert_true (kassa_catalog_repository_count (catalog, KASSA_CATALOG_FILTER_ANY, &n_items, &error));
  g_assert_no_error (error);

  return n_items;
}

/* The orders' numbers and totals, oldest first, as one string. */
static char *
describe_orders (KassaShop *shop)
{
  g_autoptr(KassaOrderRepository) orders = kassa_order_repository_new (kassa_shop_get_database (shop));
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint n = 1;; n++)
    {
      g_autofree char *number = g_strdup_printf ("S-%06u", n);
      g_autoptr(KassaOrder) order = kassa_order_repository_load_by_number (orders, number, NULL);
      KassaOrderStoredTotals totals;

      if (order == NULL)
        break;

      g_assert_true (kassa_order_repository_load_totals (orders, kassa_order_get_id (order), &totals, NULL));
      g_assert_cmpint (totals.untaxed + totals.tax, ==, totals.total);
      g_assert_cmpint (kassa_order_get_amount_paid (order), ==, totals.total + totals.cash_rounding);
      g_string_append_printf (text, "%s:%u:%" G_GINT64_FORMAT ";", number,
                              g_list_model_get_n_items (kassa_order_get_lines (order)), totals.total);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_fill (Fixture       *fixture,
           gconstpointer  data)
{
  KassaShopDemoOptions options = small_options (120, 25, 7);
  KassaShopDemoResult result;
  KassaJournalReport report;
  KassaDatabase *database = kassa_shop_get_database (fixture->shop);
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaCustomerRepository) customers = kassa_customer_repository_new (database);
  g_autoptr(KassaSettingsRepository) settings_repository = kassa_settings_repository_new (database);
  g_autoptr(KassaStoreProfile) profile = NULL;
  g_autoptr(KassaStoreSettings) settings = NULL;
  g_autoptr(KassaShiftRepository) shifts = kassa_shift_repository_new (database);
  g_autoptr(KassaShiftRecord) shift = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *orders = NULL;
  GBytes *logo;

  g_assert_true (kassa_shop_fill_demo (fixture->shop, &options, &result, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (result.n_items, ==, 120);
  g_assert_cmpuint (count_items (fixture->shop), ==, 120);
  g_assert_cmpuint (result.n_customers, ==, KASSA_SHOP_DEMO_N_CUSTOMERS);
  g_assert_cmpint (kassa_customer_repository_count (customers, NULL), ==, KASSA_SHOP_DEMO_N_CUSTOMERS);
  g_assert_cmpuint (result.n_orders, ==, 25);
  g_assert_cmpuint (result.n_invoices, ==, KASSA_SHOP_DEMO_N_INVOICES);

  /* Every sale and invoice is in an intact journal. */
  g_assert_true (kassa_shop_verify_journal (fixture->shop, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (report.n_entries, ==, 25 + KASSA_SHOP_DEMO_N_INVOICES);

  orders = describe_orders (fixture->shop);
  g_assert_nonnull (strstr (orders, "S-000025:"));
  g_assert_null (strstr (orders, "S-000026:"));

  /* A store a person would recognise. */
  profile = kassa_settings_repository_load_profile (settings_repository, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_store_profile_get_name (profile), ==, "Lindenhof Café & Deli");
  logo = kassa_store_profile_get_logo (profile);
  g_assert_nonnull (logo);
  g_assert_cmpuint (g_bytes_get_size (logo), >, 8);
  g_assert_cmpmem (g_bytes_get_data (logo, NULL), 8, "\x89PNG\r\n\x1a\n", 8);
  settings = kassa_settings_repository_load_settings (settings_repository, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_store_settings_get_currency_code (settings), ==, "EUR");
  g_assert_true (kassa_store_settings_get_prices_include_tax (settings));

  shift = kassa_shift_repository_get_open (shifts, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (shift);
  g_assert_cmpint (shift->id, ==, result.shift_id);

  found = kassa_shop_search_catalog (fixture->shop, "barista", KASSA_CATALOG_FILTER_ACTIVE, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (kassa_catalog_item_get_kind (found->pdata[0]), ==, KASSA_ITEM_KIND_SERVICE);
  g_assert_cmpuint (kassa_catalog_item_get_duration_minutes (found->pdata[0]), ==, 90);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = kassa_shop_search_catalog (fixture->shop, "coffee club", KASSA_CATALOG_FILTER_ACTIVE, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, >=, 1);
  g_assert_cmpint (kassa_catalog_item_get_pricing (found->pdata[0]), ==, KASSA_PRICING_RECURRING);
  g_assert_cmpint (kassa_catalog_item_get_interval (found->pdata[0]), ==, KASSA_BILLING_INTERVAL_MONTH);

  /* The printed PINs open the till; a wrong one does not. */
  g_assert_true (kassa_shop_sign_in (fixture->shop, result.cashier_id, KASSA_SHOP_DEMO_CASHIER_PIN, now, &error));
  g_assert_no_error (error);
  g_assert_false (kassa_shop_sign_in (fixture->shop, result.admin_id, "9999", now, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_true (kassa_shop_sign_in (fixture->shop, result.admin_id, KASSA_SHOP_DEMO_ADMIN_PIN, now, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kassa_staff_get_role (kassa_shop_get_actor (fixture->shop)), ==, KASSA_STAFF_ROLE_ADMIN);
}

static void
test_refuses_non_empty (Fixture       *fixture,
                        gconstpointer  data)
{
  KassaShopDemoOptions options = small_options (40, 3, 1);
  KassaJournalReport report;
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaShop) other = NULL;
  g_autoptr(KassaCatalogRepository) catalog = NULL;
  g_autoptr(KassaCatalogItem) item = NULL;
  g_autoptr(GPtrArray) staff = NULL;

  g_assert_true (kassa_shop_fill_demo (fixture->shop, &options, NULL, &error));
  g_assert_no_error (error);

  g_assert_false (kassa_shop_fill_demo (fixture->shop, &options, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "40"));
  g_clear_error (&error);
  g_assert_cmpuint (count_items (fixture->shop), ==, KASSA_SHOP_DEMO_N_HANDWRITTEN);
  g_assert_true (kassa_shop_verify_journal (fixture->shop, &report, &error));
  g_assert_cmpint (report.n_entries, ==, 3 + KASSA_SHOP_DEMO_N_INVOICES);

  /* One item of someone's own is enough to refuse, and nothing is added. */
  other = open_shop (fixture, "own.db");
  catalog = kassa_catalog_repository_new (kassa_shop_get_database (other));
  item = g_object_new (KASSA_TYPE_CATALOG_ITEM, "name", "Our own bread", "price", (gint64) 300,
                       "currency-code", "EUR", "status", KASSA_ITEM_STATUS_ACTIVE, NULL);
  g_assert_cmpint (kassa_catalog_repository_insert (catalog, item, &error), >, 0);
  g_assert_false (kassa_shop_fill_demo (other, &options, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (count_items (other), ==, 1);
  staff = kassa_shop_list_staff (other, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (staff->len, ==, 0);
}

static void
test_needs_system (Fixture       *fixture,
                   gconstpointer  data)
{
  KassaShopDemoOptions options = small_options (40, 1, 1);
  g_autoptr(GError) error = NULL;

  kassa_shop_set_actor (fixture->shop, NULL);
  g_assert_false (kassa_shop_fill_demo (fixture->shop, &options, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_assert_cmpuint (count_items (fixture->shop), ==, 0);
}

static void
test_deterministic (Fixture       *fixture,
                    gconstpointer  data)
{
  KassaShopDemoOptions options = small_options (60, 12, 42);
  KassaShopDemoOptions other_seed = small_options (60, 12, 43);
  g_autoptr(KassaShop) twin = open_shop (fixture, "twin.db");
  g_autoptr(KassaShop) cousin = open_shop (fixture, "cousin.db");
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL, *second = NULL, *third = NULL;
  g_autoptr(GPtrArray) a = NULL, b = NULL;

  g_assert_true (kassa_shop_fill_demo (fixture->shop, &options, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (kassa_shop_fill_demo (twin, &options, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (kassa_shop_fill_demo (cousin, &other_seed, NULL, &error));
  g_assert_no_error (error);

  first = describe_orders (fixture->shop);
  second = describe_orders (twin);
  third = describe_orders (cousin);
  g_assert_cmpstr (first, ==, second);
  g_assert_cmpstr (first, !=, third);

  a = kassa_shop_list_catalog (fixture->shop, KASSA_CATALOG_FILTER_ANY, 0, 100, &error);
  b = kassa_shop_list_catalog (twin, KASSA_CATALOG_FILTER_ANY, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->len, ==, 60);
  g_assert_cmpuint (b->len, ==, 60);
  for (guint i = 0; i < a->len; i++)
    {
      g_assert_cmpstr (kassa_catalog_item_get_name (a->pdata[i]), ==, kassa_catalog_item_get_name (b->pdata[i]));
      g_assert_cmpint (kassa_catalog_item_get_price (a->pdata[i]), ==, kassa_catalog_item_get_price (b->pdata[i]));
    }
}

static void
progress_cb (KassaShopDemoStage stage,
             guint              n_done,
             guint              n_total,
             gpointer           user_data)
{
  guint *last = user_data;

  g_assert_cmpuint (n_done, <=, n_total);
  last[stage] = n_done;
}

static void
test_progress (Fixture       *fixture,
               gconstpointer  data)
{
  KassaShopDemoOptions options = small_options (2540, 1000, 3);
  g_autoptr(GError) error = NULL;
  guint last[2] = { 0, 0 };

  options.progress = progress_cb;
  options.user_data = last;
  g_assert_true (kassa_shop_fill_demo (fixture->shop, &options, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (last[KASSA_SHOP_DEMO_STAGE_PRODUCTS], ==, 2540);
  g_assert_cmpuint (last[KASSA_SHOP_DEMO_STAGE_ORDERS], ==, 1000);
  g_assert_cmpuint (count_items (fixture->shop), ==, 2540);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/shop-demo/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("fill", test_fill);
  ADD ("refuses-non-empty", test_refuses_non_empty);
  ADD ("needs-system", test_needs_system);
  ADD ("deterministic", test_deterministic);
  ADD ("progress", test_progress);

  return g_test_run ();
}
