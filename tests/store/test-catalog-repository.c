/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kassa-error.h"
#include "catalog-test-utils.h"

static void
test_insert_and_get (CatalogFixture *fixture,
                     gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(KassaCatalogItem) item = catalog_test_item ("Coffee beans", "COF-1", "4006381333931", 1299);
  g_autoptr(KassaCatalogItem) read = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  kassa_catalog_item_set_description (item, "Arabica, 1 kg");
  kassa_catalog_item_set_item_type (item, "Groceries");
  kassa_catalog_item_set_stock_on_hand (item, 12500);
  kassa_catalog_item_set_sort_order (item, 3);
  kassa_catalog_item_set_public (item, FALSE);

  id = kassa_catalog_repository_insert (repository, item, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (kassa_catalog_item_get_id (item), ==, id);

  read = kassa_catalog_repository_get (repository, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (read);
  g_assert_cmpstr (kassa_catalog_item_get_name (read), ==, "Coffee beans");
  g_assert_cmpstr (kassa_catalog_item_get_description (read), ==, "Arabica, 1 kg");
  g_assert_cmpstr (kassa_catalog_item_get_item_type (read), ==, "Groceries");
  g_assert_cmpstr (kassa_catalog_item_get_sku (read), ==, "COF-1");
  g_assert_cmpstr (kassa_catalog_item_get_barcode (read), ==, "4006381333931");
  g_assert_cmpint (kassa_catalog_item_get_price (read), ==, 1299);
  g_assert_cmpstr (kassa_catalog_item_get_currency_code (read), ==, "EUR");
  g_assert_cmpint (kassa_catalog_item_get_tax_rate (read), ==, 200000);
  g_assert_cmpint (kassa_catalog_item_get_stock_on_hand (read), ==, 12500);
  g_assert_cmpint (kassa_catalog_item_get_sort_order (read), ==, 3);
  g_assert_false (kassa_catalog_item_get_public (read));
  g_assert_cmpint (kassa_catalog_item_get_status (read), ==, KASSA_ITEM_STATUS_ACTIVE);
  g_assert_cmpint (kassa_catalog_item_get_kind (read), ==, KASSA_ITEM_KIND_PRODUCT);

  g_clear_object (&read);
  read = kassa_catalog_repository_get (repository, id + 100, &error);
  g_assert_no_error (error);
  g_assert_null (read);
}

static void
test_recurring_service (CatalogFixture *fixture,
                        gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(KassaCatalogItem) item = catalog_test_item ("Yoga class", NULL, NULL, 4500);
  g_autoptr(KassaCatalogItem) read = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  kassa_catalog_item_set_kind (item, KASSA_ITEM_KIND_SERVICE);
  kassa_catalog_item_set_duration_minutes (item, 60);
  kassa_catalog_item_set_pricing (item, KASSA_PRICING_RECURRING);
  kassa_catalog_item_set_interval (item, KASSA_BILLING_INTERVAL_MONTH);
  kassa_catalog_item_set_interval_count (item, 3);
  kassa_catalog_item_set_cycles (item, 4);
  id = kassa_catalog_repository_insert (repository, item, &error);
  g_assert_no_error (error);

  read = kassa_catalog_repository_get (repository, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_catalog_item_get_kind (read), ==, KASSA_ITEM_KIND_SERVICE);
  g_assert_cmpuint (kassa_catalog_item_get_duration_minutes (read), ==, 60);
  g_assert_cmpint (kassa_catalog_item_get_pricing (read), ==, KASSA_PRICING_RECURRING);
  g_assert_cmpint (kassa_catalog_item_get_interval (read), ==, KASSA_BILLING_INTERVAL_MONTH);
  g_assert_cmpuint (kassa_catalog_item_get_interval_count (read), ==, 3);
  g_assert_cmpuint (kassa_catalog_item_get_cycles (read), ==, 4);
  g_assert_null (kassa_catalog_item_get_sku (read));
  g_assert_null (kassa_catalog_item_get_barcode (read));
}

static void
test_invalid_item_refused (CatalogFixture *fixture,
                           gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(KassaCatalogItem) item = catalog_test_item ("Broken", NULL, NULL, -5);
  g_autoptr(GError) error = NULL;
  guint n = 99;

  g_assert_cmpint (kassa_catalog_repository_insert (repository, item, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (kassa_catalog_repository_count (repository, KASSA_CATALOG_FILTER_ANY, &n, &error));
  g_assert_cmpuint (n, ==, 0);
}

static void
test_unique_sku_and_barcode (CatalogFixture *fixture,
                             gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(KassaCatalogItem) same_sku = catalog_test_item ("Tea", "COF-1", "111", 300);
  g_autoptr(KassaCatalogItem) same_barcode = catalog_test_item ("Tea", "TEA-1", "4006381333931", 300);
  g_autoptr(KassaCatalogItem) second = NULL;
  g_autoptr(GError) error = NULL;
  gint64 tea;

  catalog_test_add (repository, "Coffee beans", "COF-1", "4006381333931", 1299);

  g_assert_cmpint (kassa_catalog_repository_insert (repository, same_sku, &error), ==, 0);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_assert_cmpstr (error->message, ==, "SKU “COF-1” is already used by “Coffee beans”");
  g_clear_error (&error);

  g_assert_cmpint (kassa_catalog_repository_insert (repository, same_barcode, &error), ==, 0);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_assert_cmpstr (error->message, ==, "Barcode “4006381333931” is already used by “Coffee beans”");
  g_clear_error (&error);

  /* Empty codes are no codes: many items may lack them. */
  catalog_test_add (repository, "Bag", "", "", 10);
  catalog_test_add (repository, "Box", "", "", 20);

  /* Updating an item to another's SKU is refused too; keeping its own is fine. */
  tea = catalog_test_add (repository, "Tea", "TEA-1", NULL, 300);
  second = kassa_catalog_repository_get (repository, tea, &error);
  g_assert_no_error (error);
  g_assert_true (kassa_catalog_repository_update (repository, second, &error));
  g_assert_no_error (error);
  kassa_catalog_item_set_sku (second, "COF-1");
  g_assert_false (kassa_catalog_repository_update (repository, second, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
}

static void
test_update_and_lookups (CatalogFixture *fixture,
                         gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(KassaCatalogItem) item = NULL;
  g_autoptr(KassaCatalogItem) by_sku = NULL;
  g_autoptr(KassaCatalogItem) by_barcode = NULL;
  g_autoptr(KassaCatalogItem) missing = NULL;
  g_autoptr(KassaCatalogItem) ghost = catalog_test_item ("Ghost", NULL, NULL, 1);
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = catalog_test_add (repository, "Coffee beans", "COF-1", "4006381333931", 1299);
  catalog_test_add (repository, "Tea", "TEA-1", "4006381333948", 300);

  item = kassa_catalog_repository_get (repository, id, &error);
  kassa_catalog_item_set_price (item, 1399);
  kassa_catalog_item_set_barcode (item, "5000000000001");
  g_assert_true (kassa_catalog_repository_update (repository, item, &error));
  g_assert_no_error (error);

  by_sku = kassa_catalog_repository_get_by_sku (repository, "COF-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_catalog_item_get_price (by_sku), ==, 1399);

  by_barcode = kassa_catalog_repository_get_by_barcode (repository, "5000000000001", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_catalog_item_get_id (by_barcode), ==, id);

  /* Exact only: a prefix of a barcode is not a barcode. */
  missing = kassa_catalog_repository_get_by_barcode (repository, "500000000000", &error);
  g_assert_no_error (error);
  g_assert_null (missing);
  missing = kassa_catalog_repository_get_by_barcode (repository, "4006381333931", &error);
  g_assert_null (missing);

  kassa_catalog_item_set_id (ghost, 9999);
  g_assert_false (kassa_catalog_repository_update (repository, ghost, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
}

static void
test_archive_and_list (CatalogFixture *fixture,
                       gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) active = NULL;
  g_autoptr(GPtrArray) archived = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;
  gint64 tea;

  catalog_test_add (repository, "Coffee beans", "COF-1", NULL, 1299);
  tea = catalog_test_add (repository, "Tea", "TEA-1", NULL, 300);
  catalog_test_add (repository, "Apple juice", "JUI-1", NULL, 250);

  g_assert_true (kassa_catalog_repository_archive (repository, tea, &error));
  g_assert_no_error (error);
  g_assert_false (kassa_catalog_repository_archive (repository, 4242, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  all = kassa_catalog_repository_list (repository, KASSA_CATALOG_FILTER_ANY, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 3);
  /* Same sort order: by name. */
  g_assert_cmpstr (kassa_catalog_item_get_name (all->pdata[0]), ==, "Apple juice");
  g_assert_cmpstr (kassa_catalog_item_get_name (all->pdata[1]), ==, "Coffee beans");
  g_assert_cmpstr (kassa_catalog_item_get_name (all->pdata[2]), ==, "Tea");

  active = kassa_catalog_repository_list (repository, KASSA_CATALOG_FILTER_ACTIVE, 0, 10, &error);
  g_assert_cmpuint (active->len, ==, 2);
  archived = kassa_catalog_repository_list (repository, KASSA_CATALOG_FILTER_ARCHIVED, 0, 10, &error);
  g_assert_cmpuint (archived->len, ==, 1);
  g_assert_cmpint (kassa_catalog_item_get_status (archived->pdata[0]), ==, KASSA_ITEM_STATUS_ARCHIVED);

  page = kassa_catalog_repository_list (repository, KASSA_CATALOG_FILTER_ANY, 1, 1, &error);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_cmpstr (kassa_catalog_item_get_name (page->pdata[0]), ==, "Coffee beans");

  g_assert_true (kassa_catalog_repository_count (repository, KASSA_CATALOG_FILTER_ACTIVE, &n, &error));
  g_assert_cmpuint (n, ==, 2);
  g_assert_true (kassa_catalog_repository_count (repository, KASSA_CATALOG_FILTER_DRAFT, &n, &error));
  g_assert_cmpuint (n, ==, 0);
}

static void
test_search (CatalogFixture *fixture,
             gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaCatalogItem) edit = NULL;
  gint64 cafe;

  catalog_test_add (repository, "Coffee beans", "COF-1", "4006381333931", 1299);
  catalog_test_add (repository, "Coffee filter", "FIL-9", NULL, 199);
  cafe = catalog_test_add (repository, "Café crème", "CAF-2", NULL, 350);
  catalog_test_add (repository, "Tea", "TEA-1", NULL, 300);

  found = kassa_catalog_repository_search (repository, "coff", KASSA_CATALOG_FILTER_ACTIVE, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = kassa_catalog_repository_search (repository, "coff bea", KASSA_CATALOG_FILTER_ACTIVE, 10, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (kassa_catalog_item_get_name (found->pdata[0]), ==, "Coffee beans");
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Diacritics and case do not matter, either way round. */
  found = kassa_catalog_repository_search (repository, "CREME", KASSA_CATALOG_FILTER_ACTIVE, 10, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (kassa_catalog_item_get_id (found->pdata[0]), ==, cafe);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = kassa_catalog_repository_search (repository, "cafè", KASSA_CATALOG_FILTER_ACTIVE, 10, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* SKU and barcode prefixes. */
  found = kassa_catalog_repository_search (repository, "fil-9", KASSA_CATALOG_FILTER_ACTIVE, 10, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (kassa_catalog_item_get_sku (found->pdata[0]), ==, "FIL-9");
  g_clear_pointer (&found, g_ptr_array_unref);
  found = kassa_catalog_repository_search (repository, "400638", KASSA_CATALOG_FILTER_ACTIVE, 10, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Limit, and archived items only when asked for. */
  found = kassa_catalog_repository_search (repository, "c", KASSA_CATALOG_FILTER_ACTIVE, 2, &error);
  g_assert_cmpuint (found->len, ==, 2);
  g_clear_pointer (&found, g_ptr_array_unref);

  g_assert_true (kassa_catalog_repository_archive (repository, cafe, &error));
  found = kassa_catalog_repository_search (repository, "creme", KASSA_CATALOG_FILTER_ACTIVE, 10, &error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = kassa_catalog_repository_search (repository, "creme", KASSA_CATALOG_FILTER_ANY, 10, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* The index follows renames. */
  edit = kassa_catalog_repository_get_by_sku (repository, "TEA-1", &error);
  kassa_catalog_item_set_name (edit, "Rooibos");
  g_assert_true (kassa_catalog_repository_update (repository, edit, &error));
  found = kassa_catalog_repository_search (repository, "tea", KASSA_CATALOG_FILTER_ACTIVE, 10, &error);
  /* "TEA-1" is still its SKU. */
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = kassa_catalog_repository_search (repository, "rooi", KASSA_CATALOG_FILTER_ACTIVE, 10, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Nothing typed finds nothing. */
  found = kassa_catalog_repository_search (repository, " -- ", KASSA_CATALOG_FILTER_ANY, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
}

static void
test_search_ranking (CatalogFixture *fixture,
                     gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(KassaCatalogItem) described = catalog_test_item ("Mug", "MUG-1", NULL, 500);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  kassa_catalog_item_set_description (described, "For milk coffee and more");
  kassa_catalog_repository_insert (repository, described, &error);
  g_assert_no_error (error);
  catalog_test_add (repository, "Milk", "MLK-1", NULL, 120);

  /* A match in the name outranks one in the description. */
  found = kassa_catalog_repository_search (repository, "milk", KASSA_CATALOG_FILTER_ACTIVE, 10, &error);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpstr (kassa_catalog_item_get_name (found->pdata[0]), ==, "Milk");
  g_assert_cmpstr (kassa_catalog_item_get_name (found->pdata[1]), ==, "Mug");
}

static GBytes *
bytes_of (const char *text,
          gsize       length)
{
  return g_bytes_new (text, length);
}

static void
test_images (CatalogFixture *fixture,
             gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(GBytes) png = bytes_of ("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  g_autoptr(GBytes) jpeg = bytes_of ("\xFF\xD8\xFF\xE0\0\x10JFIF", 10);
  g_autoptr(GBytes) svg = bytes_of ("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>", 61);
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GError) error = NULL;
  gint64 item, first, second, third;

  item = catalog_test_add (repository, "Coffee beans", "COF-1", NULL, 1299);

  first = kassa_catalog_repository_add_image (repository, item, "image/png", png, &error);
  g_assert_no_error (error);
  second = kassa_catalog_repository_add_image (repository, item, "image/jpeg", jpeg, &error);
  g_assert_no_error (error);
  third = kassa_catalog_repository_add_image (repository, item, "image/svg+xml", svg, &error);
  g_assert_no_error (error);

  /* Type and bytes must agree, and only image types are stored. */
  g_assert_cmpint (kassa_catalog_repository_add_image (repository, item, "image/png", jpeg, &error), ==, 0);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (kassa_catalog_repository_add_image (repository, item, "text/html", svg, &error), ==, 0);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  images = kassa_catalog_repository_list_images (repository, item, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (images->len, ==, 3);
  g_assert_cmpint (((KassaCatalogImage *) images->pdata[0])->id, ==, first);
  g_assert_cmpstr (((KassaCatalogImage *) images->pdata[0])->media_type, ==, "image/png");
  g_assert_true (g_bytes_equal (((KassaCatalogImage *) images->pdata[0])->data, png));
  g_assert_cmpint (((KassaCatalogImage *) images->pdata[1])->position, ==, 1);
  g_assert_true (g_bytes_equal (((KassaCatalogImage *) images->pdata[1])->data, jpeg));
  g_clear_pointer (&images, g_ptr_array_unref);

  g_assert_true (kassa_catalog_repository_remove_image (repository, second, &error));
  g_assert_false (kassa_catalog_repository_remove_image (repository, second, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  images = kassa_catalog_repository_list_images (repository, item, &error);
  g_assert_cmpuint (images->len, ==, 2);
  g_assert_cmpint (((KassaCatalogImage *) images->pdata[1])->id, ==, third);
}

static guint
search_count (KassaCatalogRepository *repository,
              const char             *text)
{
  g_autoptr(GPtrArray) found = kassa_catalog_repository_search (repository, text, KASSA_CATALOG_FILTER_ANY, 50, NULL);

  g_assert_nonnull (found);
  return found->len;
}

static void
test_bulk_insert (CatalogFixture *fixture,
                  gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(GError) error = NULL;
  guint n_items = 0;

  /* Outside a transaction the pause would outlive the load. */
  g_assert_false (kassa_catalog_repository_begin_bulk_insert (repository, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_NO_TRANSACTION);
  g_clear_error (&error);

  catalog_test_add (repository, "Coffee beans", "COF-1", "4006381333931", 1299);

  g_assert_true (kassa_database_begin (fixture->database, &error));
  g_assert_true (kassa_catalog_repository_begin_bulk_insert (repository, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *name = g_strdup_printf ("Green tea %u", i);
      g_autofree char *sku = g_strdup_printf ("TEA-%u", i);

      catalog_test_add (repository, name, sku, NULL, 300 + i);
    }

  /* The unique indexes still refuse, with the friendly message. */
  {
    g_autoptr(KassaCatalogItem) twin = catalog_test_item ("Black tea", "TEA-7", NULL, 300);
    g_autoptr(KassaCatalogItem) copy = catalog_test_item ("Beans again", "COF-2", "4006381333931", 300);

    g_assert_cmpint (kassa_catalog_repository_insert (repository, twin, &error), ==, 0);
    g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
    g_assert_nonnull (strstr (error->message, "Green tea 7"));
    g_clear_error (&error);
    g_assert_cmpint (kassa_catalog_repository_insert (repository, copy, &error), ==, 0);
    g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
    g_assert_nonnull (strstr (error->message, "Coffee beans"));
    g_clear_error (&error);
  }

  /* Not searchable until the load ends; then all of them are. */
  g_assert_cmpuint (search_count (repository, "green"), ==, 0);
  g_assert_true (kassa_catalog_repository_end_bulk_insert (repository, &error));
  g_assert_no_error (error);
  g_assert_true (kassa_database_commit (fixture->database, &error));
  g_assert_cmpuint (search_count (repository, "green"), ==, 50);
  g_assert_cmpuint (search_count (repository, "tea 299"), ==, 1);
  g_assert_cmpuint (search_count (repository, "coffee"), ==, 1);
  g_assert_true (kassa_catalog_repository_count (repository, KASSA_CATALOG_FILTER_ANY, &n_items, &error));
  g_assert_cmpuint (n_items, ==, 301);
  g_assert_true (kassa_database_check_integrity (fixture->database, &error));
  g_assert_no_error (error);

  /* The trigger is back: a single insert is searchable at once. */
  catalog_test_add (repository, "Oolong", "OOL-1", NULL, 700);
  g_assert_cmpuint (search_count (repository, "oolong"), ==, 1);
  g_assert_true (kassa_database_exec (fixture->database,
                                      "INSERT INTO catalog_search (catalog_search, rank) VALUES ('integrity-check', 1)",
                                      &error));
  g_assert_no_error (error);
}

static void
test_bulk_insert_empty (CatalogFixture *fixture,
                        gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(GError) error = NULL;

  /* Into an empty catalog the index is rebuilt whole. */
  g_assert_true (kassa_database_begin (fixture->database, &error));
  g_assert_true (kassa_catalog_repository_begin_bulk_insert (repository, &error));
  for (guint i = 0; i < 120; i++)
    {
      g_autofree char *name = g_strdup_printf ("Rye bread %u", i);
      g_autofree char *code = g_strdup_printf ("200%09u7", i);

      catalog_test_add (repository, name, NULL, code, 300 + i);
    }
  g_assert_true (kassa_catalog_repository_end_bulk_insert (repository, &error));
  g_assert_no_error (error);
  g_assert_true (kassa_database_commit (fixture->database, &error));

  g_assert_cmpuint (search_count (repository, "ry"), ==, 50);
  g_assert_cmpuint (search_count (repository, "bread 119"), ==, 1);
  g_assert_cmpuint (search_count (repository, "2000000000117"), ==, 1);
  g_assert_true (kassa_database_exec (fixture->database,
                                      "INSERT INTO catalog_search (catalog_search, rank) VALUES ('integrity-check', 1)",
                                      &error));
  g_assert_no_error (error);

  /* Later single inserts and updates keep the index whole. */
  {
    g_autoptr(KassaCatalogItem) item = kassa_catalog_repository_get_by_barcode (repository, "2000000000117", &error);

    kassa_catalog_item_set_name (item, "Spelt loaf");
    g_assert_true (kassa_catalog_repository_update (repository, item, &error));
    g_assert_no_error (error);
    catalog_test_add (repository, "Rye crackers", "RYE-C", NULL, 250);
  }
  g_assert_cmpuint (search_count (repository, "spelt"), ==, 1);
  g_assert_cmpuint (search_count (repository, "rye crack"), ==, 1);
  g_assert_true (kassa_database_exec (fixture->database,
                                      "INSERT INTO catalog_search (catalog_search, rank) VALUES ('integrity-check', 1)",
                                      &error));
  g_assert_no_error (error);
}

static void
test_bulk_insert_rollback (CatalogFixture *fixture,
                           gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(KassaCatalogItem) item = catalog_test_item ("Rooibos", "ROO-1", NULL, 400);
  g_autoptr(GError) error = NULL;
  guint n_items = 0;

  g_assert_true (kassa_database_begin (fixture->database, &error));
  g_assert_true (kassa_catalog_repository_begin_bulk_insert (repository, &error));
  g_assert_cmpint (kassa_catalog_repository_insert (repository, item, &error), >, 0);
  g_assert_no_error (error);

  /* Its search entry does not exist yet for an update to replace. */
  kassa_catalog_item_set_name (item, "Red bush tea");
  g_assert_false (kassa_catalog_repository_update (repository, item, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_true (kassa_database_rollback (fixture->database, &error));
  g_assert_true (kassa_catalog_repository_end_bulk_insert (repository, &error));
  g_assert_no_error (error);

  g_assert_true (kassa_catalog_repository_count (repository, KASSA_CATALOG_FILTER_ANY, &n_items, &error));
  g_assert_cmpuint (n_items, ==, 0);
  catalog_test_add (repository, "Rooibos", "ROO-1", NULL, 400);
  g_assert_cmpuint (search_count (repository, "rooibos"), ==, 1);
  g_assert_true (kassa_database_check_integrity (fixture->database, &error));
  g_assert_no_error (error);
}


/* Saves @n_items items through insert_many in full batches and the rest
 * in a last, shorter one, the way a bulk import does. */
static void
insert_in_batches (KassaCatalogRepository *repository,
                   guint                   first,
                   guint                   n_items)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  for (guint i = first; i < first + n_items; i++)
    {
      static const char *words[] = { "Green", "Rooibos", "Black", "Roasted", "Oolong", "Tea", "Coffee", "Bread" };
      g_autofree char *name = g_strdup_printf ("%s %s %u", words[i % 8], words[(i / 8) % 8], i);
      g_autofree char *sku = g_strdup_printf ("B-%06u", i);
      g_autofree char *code = g_strdup_printf ("300%09u", i);
      g_autofree char *description = g_strdup_printf ("Batch %u, shelf %c%u", i % 977, 'A' + i % 26, i % 50);
      KassaCatalogItem *item = catalog_test_item (name, i % 5 == 0 ? NULL : sku, i % 3 == 0 ? NULL : code, 100 + i);

      kassa_catalog_item_set_description (item, description);
      g_ptr_array_add (batch, item);
      if (batch->len == KASSA_CATALOG_REPOSITORY_MAX_BATCH || i == first + n_items - 1)
        {
          g_assert_true (kassa_catalog_repository_insert_many (repository, (KassaCatalogItem **) batch->pdata,
                                                               batch->len, &error));
          g_assert_no_error (error);
          g_ptr_array_set_size (batch, 0);
        }
    }
}

static GArray *
search_ids (KassaCatalogRepository *repository,
            const char             *text)
{
  g_autoptr(GPtrArray) found = kassa_catalog_repository_search (repository, text, KASSA_CATALOG_FILTER_ANY, 200, NULL);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_assert_nonnull (found);
  for (guint i = 0; i < found->len; i++)
    {
      gint64 id = kassa_catalog_item_get_id (found->pdata[i]);

      g_array_append_val (ids, id);
    }

  return ids;
}

static void
assert_search_index_whole (KassaDatabase *database)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kassa_database_exec (database,
                                      "INSERT INTO catalog_search (catalog_search, rank) VALUES ('integrity-check', 1)",
                                      &error));
  g_assert_no_error (error);
}

static void
test_insert_many (CatalogFixture *fixture,
                  gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  KassaCatalogItem *items[KASSA_CATALOG_REPOSITORY_MAX_BATCH] = { NULL };
  g_autoptr(GError) error = NULL;
  guint n_items = 0;

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autofree char *name = g_strdup_printf ("Herbal tea %u", i);
      g_autofree char *sku = g_strdup_printf ("HRB-%u", i);

      items[i] = catalog_test_item (name, sku, NULL, 250 + i);
    }

  /* Only during a bulk load, whose unique indexes do the checking. */
  g_assert_true (kassa_database_begin (fixture->database, &error));
  g_assert_false (kassa_catalog_repository_insert_many (repository, items, 4, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_FAILED);
  g_clear_error (&error);

  catalog_test_add (repository, "Peppermint", "PEP-1", "4006381333931", 199);
  g_assert_true (kassa_catalog_repository_begin_bulk_insert (repository, &error));

  /* A SKU the store holds refuses the whole batch, and nothing of it stays. */
  kassa_catalog_item_set_sku (items[40], "PEP-1");
  g_assert_false (kassa_catalog_repository_insert_many (repository, items, G_N_ELEMENTS (items), &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_true (kassa_catalog_repository_count (repository, KASSA_CATALOG_FILTER_ANY, &n_items, &error));
  g_assert_cmpuint (n_items, ==, 1);
  g_assert_cmpint (kassa_catalog_item_get_id (items[0]), ==, 0);

  /* So does a SKU twice in the batch, or an item that does not validate. */
  kassa_catalog_item_set_sku (items[40], "HRB-3");
  g_assert_false (kassa_catalog_repository_insert_many (repository, items, G_N_ELEMENTS (items), &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  kassa_catalog_item_set_sku (items[40], "HRB-40");
  kassa_catalog_item_set_price (items[63], -1);
  g_assert_false (kassa_catalog_repository_insert_many (repository, items, G_N_ELEMENTS (items), &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (kassa_catalog_repository_count (repository, KASSA_CATALOG_FILTER_ANY, &n_items, &error));
  g_assert_cmpuint (n_items, ==, 1);

  /* A full batch, then a short one: ids follow on, in order. */
  kassa_catalog_item_set_price (items[63], 313);
  g_assert_true (kassa_catalog_repository_insert_many (repository, items, G_N_ELEMENTS (items), &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    g_assert_cmpint (kassa_catalog_item_get_id (items[i]), ==, 2 + i);
  g_assert_true (kassa_catalog_repository_insert_many (repository, items, 0, &error));
  g_assert_no_error (error);
  {
    g_autoptr(KassaCatalogItem) one = catalog_test_item ("Chamomile", "CHA-1", "4006381333948", 180);
    g_autoptr(KassaCatalogItem) read = NULL;

    g_assert_true (kassa_catalog_repository_insert_many (repository, &one, 1, &error));
    g_assert_no_error (error);
    g_assert_cmpint (kassa_catalog_item_get_id (one), ==, 66);
    read = kassa_catalog_repository_get (repository, 66, &error);
    g_assert_cmpstr (kassa_catalog_item_get_name (read), ==, "Chamomile");
    g_assert_cmpstr (kassa_catalog_item_get_barcode (read), ==, "4006381333948");
    g_assert_cmpint (kassa_catalog_item_get_price (read), ==, 180);
  }

  g_assert_true (kassa_catalog_repository_end_bulk_insert (repository, &error));
  g_assert_no_error (error);
  g_assert_true (kassa_database_commit (fixture->database, &error));

  {
    g_autoptr(KassaCatalogItem) last = kassa_catalog_repository_get_by_sku (repository, "HRB-63", &error);

    g_assert_cmpstr (kassa_catalog_item_get_name (last), ==, "Herbal tea 63");
    g_assert_cmpint (kassa_catalog_item_get_price (last), ==, 313);
    g_assert_null (kassa_catalog_item_get_barcode (last));
    g_assert_cmpint (kassa_catalog_item_get_status (last), ==, KASSA_ITEM_STATUS_ACTIVE);
  }
  g_assert_cmpuint (search_count (repository, "herbal"), ==, 50);
  g_assert_cmpuint (search_count (repository, "herbal 63"), ==, 1);
  g_assert_cmpuint (search_count (repository, "chamomile"), ==, 1);
  assert_search_index_whole (fixture->database);

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    g_object_unref (items[i]);
}

/* The index built beside a load into an empty catalog answers every
 * search as the one the trigger keeps row by row. */
static void
test_bulk_search_as_trigger (CatalogFixture *fixture,
                             gconstpointer   data)
{
  static const char *queries[] = {
    "r", "ro", "roo", "rooibos tea", "tea", "green b", "shelf a1", "batch 7", "b-000", "B-000517",
    "300000000041", "coffee bread 1", "t", "oolong roasted",
  };
  g_autoptr(KassaCatalogRepository) bulk = kassa_catalog_repository_new (fixture->database);
  g_autoptr(KassaCatalogRepository) rows = NULL;
  g_autoptr(KassaDatabase) other = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "rows.db", NULL);
  g_autoptr(GError) error = NULL;

  other = kassa_database_open (path, &error);
  g_assert_no_error (error);
  rows = kassa_catalog_repository_new (other);

  /* More than one hand-over to the indexing thread (1,024 rows). */
  g_assert_true (kassa_database_begin (fixture->database, &error));
  g_assert_true (kassa_catalog_repository_begin_bulk_insert (bulk, &error));
  insert_in_batches (bulk, 1, 1500);
  g_assert_true (kassa_catalog_repository_end_bulk_insert (bulk, &error));
  g_assert_no_error (error);
  g_assert_true (kassa_database_commit (fixture->database, &error));

  g_assert_true (kassa_database_begin (other, &error));
  for (guint i = 1; i <= 1500; i++)
    {
      static const char *words[] = { "Green", "Rooibos", "Black", "Roasted", "Oolong", "Tea", "Coffee", "Bread" };
      g_autofree char *name = g_strdup_printf ("%s %s %u", words[i % 8], words[(i / 8) % 8], i);
      g_autofree char *sku = g_strdup_printf ("B-%06u", i);
      g_autofree char *code = g_strdup_printf ("300%09u", i);
      g_autofree char *description = g_strdup_printf ("Batch %u, shelf %c%u", i % 977, 'A' + i % 26, i % 50);
      g_autoptr(KassaCatalogItem) item = catalog_test_item (name, i % 5 == 0 ? NULL : sku, i % 3 == 0 ? NULL : code, 100 + i);

      kassa_catalog_item_set_description (item, description);
      g_assert_cmpint (kassa_catalog_repository_insert (rows, item, &error), ==, i);
    }
  g_assert_true (kassa_database_commit (other, &error));

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GArray) expected = search_ids (rows, queries[q]);
      g_autoptr(GArray) found = search_ids (bulk, queries[q]);

      g_test_message ("“%s”: %u results", queries[q], expected->len);
      g_assert_cmpuint (expected->len, >, 0);
      g_assert_cmpmem (found->data, found->len * sizeof (gint64), expected->data, expected->len * sizeof (gint64));
    }
  assert_search_index_whole (fixture->database);
  g_assert_true (kassa_database_check_integrity (fixture->database, &error));
  g_assert_no_error (error);
}

/* A load larger than what the indexing thread indexes per statement. */
static void
test_bulk_search_chunks (CatalogFixture *fixture,
                         gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  guint n_items = 0;

  /* A search before the load has FTS5 hold the empty index in memory,
   * and a setting of the index must outlive the load. */
  g_assert_cmpuint (search_count (repository, "rooibos"), ==, 0);
  g_assert_true (kassa_database_exec (fixture->database,
                                      "INSERT INTO catalog_search (catalog_search, rank) VALUES ('automerge', 8)",
                                      &error));
  g_assert_no_error (error);

  g_assert_true (kassa_database_begin (fixture->database, &error));
  g_assert_true (kassa_catalog_repository_begin_bulk_insert (repository, &error));
  insert_in_batches (repository, 1, 40000);
  /* The one-by-one path feeds the index too. */
  catalog_test_add (repository, "Lapsang souchong", "LAP-1", NULL, 640);
  g_assert_true (kassa_catalog_repository_end_bulk_insert (repository, &error));
  g_assert_no_error (error);
  g_assert_true (kassa_database_commit (fixture->database, &error));

  g_assert_true (kassa_catalog_repository_count (repository, KASSA_CATALOG_FILTER_ANY, &n_items, &error));
  g_assert_cmpuint (n_items, ==, 40001);
  g_assert_cmpuint (search_count (repository, "B-000001"), ==, 1);
  g_assert_cmpuint (search_count (repository, "B-039999"), ==, 1);
  g_assert_cmpuint (search_count (repository, "rooibos bread 39993"), ==, 1);
  g_assert_cmpuint (search_count (repository, "lapsang"), ==, 1);
  assert_search_index_whole (fixture->database);

  stmt = kassa_database_prepare (fixture->database, "SELECT v FROM catalog_search_config WHERE k = 'automerge'",
                                 &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 8);
  g_clear_pointer (&stmt, kassa_statement_release);

  /* Later items are indexed one by one again. */
  catalog_test_add (repository, "Darjeeling", "DAR-1", NULL, 720);
  g_assert_cmpuint (search_count (repository, "darjeeling"), ==, 1);
  assert_search_index_whole (fixture->database);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/catalog-repository/" path, CatalogFixture, NULL, \
              catalog_fixture_set_up, func, catalog_fixture_tear_down)

  ADD ("insert-and-get", test_insert_and_get);
  ADD ("recurring-service", test_recurring_service);
  ADD ("invalid-item-refused", test_invalid_item_refused);
  ADD ("unique-sku-and-barcode", test_unique_sku_and_barcode);
  ADD ("update-and-lookups", test_update_and_lookups);
  ADD ("archive-and-list", test_archive_and_list);
  ADD ("search", test_search);
  ADD ("search-ranking", test_search_ranking);
  ADD ("images", test_images);
  ADD ("bulk-insert", test_bulk_insert);
  ADD ("bulk-insert-rollback", test_bulk_insert_rollback);
  ADD ("bulk-insert-empty", test_bulk_insert_empty);
  ADD ("insert-many", test_insert_many);
  ADD ("bulk-search-as-trigger", test_bulk_search_as_trigger);
  ADD ("bulk-search-chunks", test_bulk_search_chunks);

  return g_test_run ();
}
