/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "kassa-catalog-repository.h"
#include "kassa-error.h"
#include "kassa-shop-catalog.h"
#include "kassa-shop-private.h"
#include "kassa-staff.h"
#include "kassa-tax-rate-repository.h"

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

  fixture->dir = g_dir_make_tmp ("kassa-catalog-import-XXXXXX", &error);
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
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static gboolean
import_text (KassaShop                 *shop,
             const char                *text,
             KassaCatalogFormat         format,
             KassaCatalogImportFlags    flags,
             KassaCatalogImportResult  *result,
             GError                   **error)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (g_strdup (text), strlen (text), g_free);

  return kassa_shop_import_catalog (shop, stream, format, flags, NULL, NULL, result, NULL, error);
}

static char *
export_text (KassaShop          *shop,
             KassaCatalogFormat  format)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (kassa_shop_export_catalog (shop, stream, format, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (stream, "", 1, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (stream, NULL, &error));

  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
}

static guint
count_items (KassaShop *shop)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (kassa_shop_get_database (shop));
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_true (kassa_catalog_repository_count (repository, KASSA_CATALOG_FILTER_ANY, &n, &error));
  return n;
}

static const char *sample_csv =
  "sku,barcode,name,description,type,kind,price,currency,tax_rate,pricing,interval,"
  "interval_count,cycles,duration_minutes,stock,status,public,sort_order\r\n"
  "COF-1,4006381333931,Coffee beans,\"Arabica, 1 kg\",Groceries,product,12.50,EUR,5.5,one_time,,1,0,0,24,active,true,1\r\n"
  "YOG-1,,Yoga class,\"Line one\nline two \"\"quoted\"\"\",,service,45.00,EUR,20,recurring,month,1,12,60,0,active,false,2\r\n"
  "JPN-1,,Sencha 日本茶,,,product,1200,JPY,8,one-time,none,1,0,0,2.5,draft,true,0\r\n"
  "BHD-1,,Dates,,,product,1.250,BHD,0,one-time,none,1,0,0,0,archived,true,-3\r\n";

static void
test_csv_import (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaCatalogItem) coffee = NULL;
  g_autoptr(KassaCatalogItem) yoga = NULL;
  g_autoptr(KassaCatalogItem) sencha = NULL;
  g_autoptr(KassaCatalogItem) dates = NULL;
  g_autoptr(GError) error = NULL;
  KassaCatalogImportResult result = { 0 };

  g_assert_true (import_text (fixture->shop, sample_csv, KASSA_CATALOG_FORMAT_CSV, 0, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_added, ==, 4);
  g_assert_cmpuint (result.n_updated, ==, 0);

  coffee = kassa_catalog_repository_get_by_sku (repository, "COF-1", &error);
  g_assert_cmpstr (kassa_catalog_item_get_name (coffee), ==, "Coffee beans");
  g_assert_cmpstr (kassa_catalog_item_get_description (coffee), ==, "Arabica, 1 kg");
  g_assert_cmpstr (kassa_catalog_item_get_barcode (coffee), ==, "4006381333931");
  g_assert_cmpstr (kassa_catalog_item_get_item_type (coffee), ==, "Groceries");
  g_assert_cmpint (kassa_catalog_item_get_pricing (coffee), ==, KASSA_PRICING_ONE_TIME);
  g_assert_cmpint (kassa_catalog_item_get_price (coffee), ==, 1250);
  g_assert_cmpint (kassa_catalog_item_get_tax_rate (coffee), ==, 55000);
  g_assert_cmpint (kassa_catalog_item_get_stock_on_hand (coffee), ==, 24000);
  g_assert_cmpint (kassa_catalog_item_get_sort_order (coffee), ==, 1);

  yoga = kassa_catalog_repository_get_by_sku (repository, "YOG-1", &error);
  g_assert_cmpint (kassa_catalog_item_get_kind (yoga), ==, KASSA_ITEM_KIND_SERVICE);
  g_assert_cmpstr (kassa_catalog_item_get_description (yoga), ==, "Line one\nline two \"quoted\"");
  g_assert_cmpint (kassa_catalog_item_get_pricing (yoga), ==, KASSA_PRICING_RECURRING);
  g_assert_cmpint (kassa_catalog_item_get_interval (yoga), ==, KASSA_BILLING_INTERVAL_MONTH);
  g_assert_cmpuint (kassa_catalog_item_get_cycles (yoga), ==, 12);
  g_assert_cmpuint (kassa_catalog_item_get_duration_minutes (yoga), ==, 60);
  g_assert_false (kassa_catalog_item_get_public (yoga));
  g_assert_null (kassa_catalog_item_get_barcode (yoga));

  sencha = kassa_catalog_repository_get_by_sku (repository, "JPN-1", &error);
  g_assert_cmpint (kassa_catalog_item_get_price (sencha), ==, 1200);
  g_assert_cmpint (kassa_catalog_item_get_stock_on_hand (sencha), ==, 2500);
  g_assert_cmpint (kassa_catalog_item_get_status (sencha), ==, KASSA_ITEM_STATUS_DRAFT);

  dates = kassa_catalog_repository_get_by_sku (repository, "BHD-1", &error);
  g_assert_cmpint (kassa_catalog_item_get_price (dates), ==, 1250);
  g_assert_cmpint (kassa_catalog_item_get_sort_order (dates), ==, -3);
}

static void
test_defaults (Fixture       *fixture,
               gconstpointer  data)
{
  KassaDatabase *database = kassa_shop_get_database (fixture->shop);
  g_autoptr(KassaTaxRateRepository) rates = kassa_tax_rate_repository_new (database);
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (database);
  g_autoptr(KassaCatalogItem) item = NULL;
  g_autoptr(GError) error = NULL;
  gint64 standard;

  standard = kassa_tax_rate_repository_add (rates, "Standard", 190000, &error);
  g_assert_true (kassa_tax_rate_repository_set_default (rates, standard, &error));

  /* Columns in any order, case ignored, only the required ones. */
  g_assert_true (import_text (fixture->shop, "Currency, NAME ,price\nEUR,Mug,5\n",
                              KASSA_CATALOG_FORMAT_CSV, 0, NULL, &error));
  g_assert_no_error (error);

  item = kassa_catalog_repository_get (repository, 1, &error);
  g_assert_cmpstr (kassa_catalog_item_get_name (item), ==, "Mug");
  g_assert_cmpint (kassa_catalog_item_get_price (item), ==, 500);
  g_assert_cmpint (kassa_catalog_item_get_tax_rate (item), ==, 190000);
  g_assert_cmpint (kassa_catalog_item_get_status (item), ==, KASSA_ITEM_STATUS_ACTIVE);
  g_assert_cmpint (kassa_catalog_item_get_kind (item), ==, KASSA_ITEM_KIND_PRODUCT);
  g_assert_true (kassa_catalog_item_get_public (item));
  g_assert_null (kassa_catalog_item_get_sku (item));
}

static void
assert_import_fails (KassaShop          *shop,
                     const char         *text,
                     KassaCatalogFormat  format,
                     const char         *message)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (import_text (shop, text, format, 0, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_cmpstr (error->message, ==, message);
  /* All or nothing. */
  g_assert_cmpuint (count_items (shop), ==, 0);
}

static void
test_errors (Fixture       *fixture,
             gconstpointer  data)
{
  const char *header = "sku,name,price,currency,stock\n";
  g_autoptr(GString) long_file = g_string_new (header);

  for (guint i = 0; i < 15; i++)
    g_string_append_printf (long_file, "S%u,Item %u,1.00,EUR,1\n", i, i);
  g_string_append (long_file, "S99,Bad,\"12,5x\",EUR,1\n");

  /* Line 17: the header, 15 good rows, then the bad one. */
  assert_import_fails (fixture->shop, long_file->str, KASSA_CATALOG_FORMAT_CSV,
                       "line 17, column price: “12,5x” is not an amount");
}

static void
test_error_messages (Fixture       *fixture,
                     gconstpointer  data)
{
  static const struct {
    const char *text;
    const char *message;
  } cases[] = {
    { "name,price,currency\nTea,1.005,EUR\n", "line 2, column price: “1.005” has more decimals than EUR has" },
    { "name,price,currency\nTea,-1.00,EUR\n", "line 2: A price cannot be negative" },
    { "name,price,currency\nTea,1.00,XYZ\n", "line 2, column currency: “XYZ” is not a currency code" },
    { "name,price,currency,tax_rate\nTea,1.00,EUR,120\n", "line 2, column tax_rate: “120” is not a tax rate in percent" },
    { "name,price,currency,kind\nTea,1.00,EUR,thing\n", "line 2, column kind: “thing” is neither product nor service" },
    { "name,price,currency,stock\nTea,1.00,EUR,lots\n", "line 2, column stock: “lots” is not a quantity" },
    { "name,price,currency,public\nTea,1.00,EUR,maybe\n", "line 2, column public: “maybe” is neither true nor false" },
    { "name,price,currency,sort_order\nTea,1.00,EUR,1.5\n", "line 2, column sort_order: “1.5” is not a whole number" },
    { "name,price,currency\n,1.00,EUR\n", "line 2, column name: an item needs a name" },
    { "name,price,currency,kind\nMassage,30.00,EUR,service\n", "line 2: A service needs a duration" },
    { "sku,name,price,currency\nA,Tea,1.00,EUR\n\nA,Other tea,1.00,EUR\n", "line 4, column sku: “A” is already used by “Tea”" },
    { "barcode,name,price,currency\n123,Tea,1.00,EUR\n123,Other tea,1.00,EUR\n", "line 3, column barcode: “123” is already used by “Tea”" },
    { "name,price,currency,colour\nTea,1.00,EUR,red\n", "line 1: unknown column “colour”" },
    { "name,currency\nTea,EUR\n", "line 1: the header lacks the column “price”" },
    { "", "The file is empty: a catalog file starts with a header row" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_import_fails (fixture->shop, cases[i].text, KASSA_CATALOG_FORMAT_CSV, cases[i].message);

  assert_import_fails (fixture->shop, "[{\"name\":\"Tea\",\"price\":1.5,\"currency\":\"EUR\"}]",
                       KASSA_CATALOG_FORMAT_JSON,
                       "item 1, field price: write numbers with decimals as strings, such as \"12.50\"");
  assert_import_fails (fixture->shop, "[{\"name\":\"Tea\",\"price\":\"1\",\"currency\":\"EUR\"},"
                       "{\"name\":\"Tea\",\"price\":\"x\",\"currency\":\"EUR\"}]",
                       KASSA_CATALOG_FORMAT_JSON,
                       "item 2, field price: “x” is not an amount");
  assert_import_fails (fixture->shop, "{\"name\":\"Tea\"}", KASSA_CATALOG_FORMAT_JSON,
                       "A catalog file in JSON is an array of items");
  assert_import_fails (fixture->shop, "[{\"name\":\"Tea\",\"price\":\"1\",\"currency\":\"EUR\",\"color\":1}]",
                       KASSA_CATALOG_FORMAT_JSON, "item 1: unknown field “color”");
}

static void
test_update_existing (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaCatalogItem) coffee = NULL;
  g_autoptr(GError) error = NULL;
  KassaCatalogImportResult result = { 0 };
  const char *update = "sku,name,price,currency\nCOF-1,Coffee beans (dark),13.00,EUR\nNEW-1,Cups,2.00,EUR\n";

  g_assert_true (import_text (fixture->shop, sample_csv, KASSA_CATALOG_FORMAT_CSV, 0, NULL, &error));

  g_assert_false (import_text (fixture->shop, update, KASSA_CATALOG_FORMAT_CSV, 0, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "line 2, column sku: “COF-1” is already used by “Coffee beans”");
  g_clear_error (&error);

  g_assert_true (import_text (fixture->shop, update, KASSA_CATALOG_FORMAT_CSV,
                              KASSA_CATALOG_IMPORT_UPDATE_EXISTING, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_added, ==, 1);
  g_assert_cmpuint (result.n_updated, ==, 1);
  g_assert_cmpuint (count_items (fixture->shop), ==, 5);

  coffee = kassa_catalog_repository_get_by_sku (repository, "COF-1", &error);
  g_assert_cmpstr (kassa_catalog_item_get_name (coffee), ==, "Coffee beans (dark)");
  g_assert_cmpint (kassa_catalog_item_get_price (coffee), ==, 1300);
}

static void
progress_cb (guint    n_done,
             gpointer user_data)
{
  GArray *calls = user_data;

  g_array_append_val (calls, n_done);
}

static void
test_progress (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("name,price,currency\n");
  g_autoptr(GArray) calls = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 1200; i++)
    g_string_append_printf (text, "Item %u,1.00,EUR\n", i);

  stream = g_memory_input_stream_new_from_data (text->str, text->len, NULL);
  g_assert_true (kassa_shop_import_catalog (fixture->shop, stream, KASSA_CATALOG_FORMAT_CSV, 0,
                                            progress_cb, calls, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (calls->len, ==, 3);
  g_assert_cmpuint (g_array_index (calls, guint, 0), ==, 500);
  g_assert_cmpuint (g_array_index (calls, guint, 1), ==, 1000);
  g_assert_cmpuint (g_array_index (calls, guint, 2), ==, 1200);
}

static void
assert_round_trip (Fixture            *fixture,
                   KassaCatalogFormat  format,
                   const char         *db_name)
{
  g_autoptr(KassaShop) fresh = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(GError) error = NULL;

  first = export_text (fixture->shop, format);
  fresh = open_shop (fixture, db_name);
  g_assert_true (import_text (fresh, first, format, 0, NULL, &error));
  g_assert_no_error (error);
  second = export_text (fresh, format);
  g_assert_cmpstr (first, ==, second);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;

  g_assert_true (import_text (fixture->shop, sample_csv, KASSA_CATALOG_FORMAT_CSV, 0, NULL, &error));
  g_assert_no_error (error);

  csv = export_text (fixture->shop, KASSA_CATALOG_FORMAT_CSV);
  /* The column names, in its order. */
  g_assert_true (g_str_has_prefix (csv, "\"name\",\"description\",\"kind\",\"type\",\"sku\",\"barcode\","
                                        "\"price\",\"currency\",\"tax_rate\",\"pricing\",\"interval\","
                                        "\"interval_count\",\"cycles\",\"duration_minutes\",\"stock\",\"status\","
                                        "\"public\",\"sort_order\"\r\n"));
  g_assert_nonnull (strstr (csv, "\"Coffee beans\",\"Arabica, 1 kg\",\"product\",\"Groceries\",\"COF-1\","
                                 "\"4006381333931\",\"12.50\",\"EUR\",\"5.5\",\"one_time\",\"\",\"1\",\"0\",\"0\","
                                 "\"24\",\"active\",\"true\",\"1\"\r\n"));
  g_assert_nonnull (strstr (csv, "\"recurring\",\"month\",\"1\",\"12\",\"60\""));
  g_assert_nonnull (strstr (csv, "\"1.250\",\"BHD\""));
  g_assert_null (strstr (csv, "one-time"));

  json = export_text (fixture->shop, KASSA_CATALOG_FORMAT_JSON);
  g_assert_true (g_str_has_prefix (json, "[\n{\"name\":\"Coffee beans\",\"description\":\"Arabica, 1 kg\","
                                         "\"kind\":\"product\",\"type\":\"Groceries\",\"sku\":\"COF-1\","
                                         "\"barcode\":\"4006381333931\",\"price\":\"12.50\",\"currency\":\"EUR\","
                                         "\"tax_rate\":\"5.5\",\"pricing\":\"one_time\",\"interval\":null,"));
  g_assert_nonnull (strstr (json, "\"barcode\":null"));
  g_assert_nonnull (strstr (json, "\"pricing\":\"recurring\",\"interval\":\"month\""));
  g_assert_nonnull (strstr (json, "\"interval_count\":1,"));
  g_assert_true (g_str_has_suffix (json, "}\n]\n"));

  assert_round_trip (fixture, KASSA_CATALOG_FORMAT_CSV, "csv.db");
  assert_round_trip (fixture, KASSA_CATALOG_FORMAT_JSON, "json.db");
}

static void
test_permissions (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(KassaStaff) cashier = kassa_staff_new ();
  g_autoptr(KassaStaff) manager = kassa_staff_new ();
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (import_text (fixture->shop, sample_csv, KASSA_CATALOG_FORMAT_CSV, 0, NULL, &error));

  kassa_staff_set_role (cashier, KASSA_STAFF_ROLE_CASHIER);
  kassa_staff_set_name (cashier, "Cashier");
  kassa_shop_set_actor (fixture->shop, cashier);

  found = kassa_shop_search_catalog (fixture->shop, "coff", KASSA_CATALOG_FILTER_ACTIVE, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);

  g_assert_false (import_text (fixture->shop, sample_csv, KASSA_CATALOG_FORMAT_CSV,
                               KASSA_CATALOG_IMPORT_UPDATE_EXISTING, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (kassa_shop_export_catalog (fixture->shop, out, KASSA_CATALOG_FORMAT_CSV, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  kassa_staff_set_role (manager, KASSA_STAFF_ROLE_CATALOG_MANAGER);
  kassa_staff_set_name (manager, "Manager");
  kassa_shop_set_actor (fixture->shop, manager);
  g_assert_true (import_text (fixture->shop, sample_csv, KASSA_CATALOG_FORMAT_CSV,
                              KASSA_CATALOG_IMPORT_UPDATE_EXISTING, NULL, &error));
  g_assert_no_error (error);

  kassa_shop_set_actor (fixture->shop, NULL);
  g_assert_null (kassa_shop_get_item_by_sku (fixture->shop, "COF-1", &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
}

static void
test_get_by_sku (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(KassaCatalogItem) item = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (import_text (fixture->shop, sample_csv, KASSA_CATALOG_FORMAT_CSV, 0, NULL, &error));

  item = kassa_shop_get_item_by_sku (fixture->shop, "YOG-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_catalog_item_get_name (item), ==, "Yoga class");
  g_clear_object (&item);

  item = kassa_shop_get_item_by_sku (fixture->shop, "NOPE", &error);
  g_assert_null (item);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/catalog-import/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("csv-import", test_csv_import);
  ADD ("defaults", test_defaults);
  ADD ("errors", test_errors);
  ADD ("error-messages", test_error_messages);
  ADD ("update-existing", test_update_existing);
  ADD ("progress", test_progress);
  ADD ("round-trip", test_round_trip);
  ADD ("permissions", test_permissions);
  ADD ("get-by-sku", test_get_by_sku);

  return g_test_run ();
}
