/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "kassa-catalog-repository.h"
#include "kassa-error.h"
#include "kassa-shop-catalog.h"
#include "kassa-shop-private.h"
#include "kassa-settings-repository.h"
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
  g_auto(KassaCatalogImportResult) result = { 0 };

  g_assert_true (import_text (fixture->shop, sample_csv, KASSA_CATALOG_FORMAT_CSV, 0, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_added, ==, 4);
  g_assert_cmpuint (result.n_updated, ==, 0);
  g_assert_cmpuint (result.n_invalid, ==, 0);
  g_assert_null (result.invalid_rows);

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

/* Like assert_import_fails, for a catalog that already holds @n_items. */
static void
assert_import_fails_keeping (KassaShop  *shop,
                             const char *text,
                             guint       n_items,
                             const char *message)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (import_text (shop, text, KASSA_CATALOG_FORMAT_CSV, 0, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_cmpuint (count_items (shop), ==, n_items);
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


static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';

  return n + 1;
}

static void
test_spec_columns (Fixture       *fixture,
                   gconstpointer  data)
{
  KassaDatabase *database = kassa_shop_get_database (fixture->shop);
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (database);
  g_autoptr(KassaSettingsRepository) settings_repository = kassa_settings_repository_new (database);
  g_autoptr(KassaStoreSettings) settings = NULL;
  g_autoptr(KassaCatalogItem) tea = NULL;
  g_autoptr(KassaCatalogItem) club = NULL;
  g_autoptr(KassaCatalogItem) mug = NULL;
  g_autoptr(GError) error = NULL;

  /* Without saved settings the store's currency is EUR. */
  g_assert_true (import_text (fixture->shop, "price,name\n3.50,Mug\n", KASSA_CATALOG_FORMAT_CSV, 0, NULL, &error));
  g_assert_no_error (error);
  mug = kassa_catalog_repository_get (repository, 1, &error);
  g_assert_cmpstr (kassa_catalog_item_get_currency_code (mug), ==, "EUR");

  settings = kassa_settings_repository_load_settings (settings_repository, "CHF", &error);
  g_assert_no_error (error);
  g_assert_true (kassa_settings_repository_save_settings (settings_repository, settings, &error));
  g_assert_no_error (error);

  /* The names, shuffled; currency left out of the header and
   * out of one row. */
  g_assert_true (import_text (fixture->shop,
                              "sort_order,public,status,stock,duration_minutes,cycles,interval_count,interval,"
                              "pricing,tax_rate,price,barcode,sku,type,kind,description,name,currency\n"
                              "2,false,draft,7,0,0,1,,one_time,8.1,4.20,761234567890,TEA-1,Drinks,product,Green,Tea,\n"
                              "0,true,active,0,0,12,1,year,recurring,0,99,,CLUB-1,Memberships,product,,Club,JPY\n",
                              KASSA_CATALOG_FORMAT_CSV, 0, NULL, &error));
  g_assert_no_error (error);

  tea = kassa_catalog_repository_get_by_sku (repository, "TEA-1", &error);
  g_assert_nonnull (tea);
  g_assert_cmpstr (kassa_catalog_item_get_currency_code (tea), ==, "CHF");
  g_assert_cmpint (kassa_catalog_item_get_price (tea), ==, 420);
  g_assert_cmpint (kassa_catalog_item_get_tax_rate (tea), ==, 81000);
  g_assert_cmpstr (kassa_catalog_item_get_item_type (tea), ==, "Drinks");
  g_assert_cmpstr (kassa_catalog_item_get_description (tea), ==, "Green");
  g_assert_cmpstr (kassa_catalog_item_get_barcode (tea), ==, "761234567890");
  g_assert_cmpint (kassa_catalog_item_get_pricing (tea), ==, KASSA_PRICING_ONE_TIME);
  g_assert_cmpint (kassa_catalog_item_get_status (tea), ==, KASSA_ITEM_STATUS_DRAFT);
  g_assert_cmpint (kassa_catalog_item_get_stock_on_hand (tea), ==, 7000);
  g_assert_cmpint (kassa_catalog_item_get_sort_order (tea), ==, 2);
  g_assert_false (kassa_catalog_item_get_public (tea));

  club = kassa_catalog_repository_get_by_sku (repository, "CLUB-1", &error);
  g_assert_cmpstr (kassa_catalog_item_get_currency_code (club), ==, "JPY");
  g_assert_cmpint (kassa_catalog_item_get_price (club), ==, 99);
  g_assert_cmpint (kassa_catalog_item_get_pricing (club), ==, KASSA_PRICING_RECURRING);
  g_assert_cmpint (kassa_catalog_item_get_interval (club), ==, KASSA_BILLING_INTERVAL_YEAR);
  g_assert_cmpuint (kassa_catalog_item_get_cycles (club), ==, 12);

  /* JSON takes the same names. */
  g_assert_true (import_text (fixture->shop,
                              "[{\"name\":\"Cup\",\"price\":\"2\",\"type\":\"Kitchen\",\"pricing\":\"one_time\","
                              "\"interval\":null,\"sku\":\"CUP-1\"}]",
                              KASSA_CATALOG_FORMAT_JSON, 0, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&tea);
  tea = kassa_catalog_repository_get_by_sku (repository, "CUP-1", &error);
  g_assert_cmpstr (kassa_catalog_item_get_item_type (tea), ==, "Kitchen");
  g_assert_cmpstr (kassa_catalog_item_get_currency_code (tea), ==, "CHF");
  g_assert_cmpint (kassa_catalog_item_get_price (tea), ==, 200);

  /* The old names are gone: a file written with them is refused whole. */
  assert_import_fails_keeping (fixture->shop, "name,price,item_type\nTea,1,Drinks\n", 4,
                               "line 1: unknown column “item_type”");
  assert_import_fails_keeping (fixture->shop, "name,price,pricing\nTea,1,once\n", 4,
                               "line 2, column pricing: “once” is neither one_time nor recurring");
  assert_import_fails_keeping (fixture->shop, "price\n1\n", 4, "line 1: the header lacks the column “name”");
}

static void
test_decimal_comma (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaCatalogItem) tea = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (import_text (fixture->shop, "name,price,tax_rate,stock,sku\nTea,\"12,50\",\"5,5\",\"2,5\",T\n",
                              KASSA_CATALOG_FORMAT_CSV, KASSA_CATALOG_IMPORT_DECIMAL_COMMA, NULL, &error));
  g_assert_no_error (error);

  tea = kassa_catalog_repository_get_by_sku (repository, "T", &error);
  g_assert_cmpint (kassa_catalog_item_get_price (tea), ==, 1250);
  g_assert_cmpint (kassa_catalog_item_get_tax_rate (tea), ==, 55000);
  g_assert_cmpint (kassa_catalog_item_get_stock_on_hand (tea), ==, 2500);

  /* A decimal point is then a mistake, and the other way round. */
  g_assert_false (import_text (fixture->shop, "name,price\nCoffee,12.50\n", KASSA_CATALOG_FORMAT_CSV,
                               KASSA_CATALOG_IMPORT_DECIMAL_COMMA, NULL, &error));
  g_assert_cmpstr (error->message, ==, "line 2, column price: “12.50” is not an amount");
  g_clear_error (&error);
  g_assert_false (import_text (fixture->shop, "name,price\nCoffee,\"12,50\"\n", KASSA_CATALOG_FORMAT_CSV, 0, NULL, &error));
  g_assert_cmpstr (error->message, ==, "line 2, column price: “12,50” is not an amount");
  g_assert_cmpuint (count_items (fixture->shop), ==, 1);
}

/* Lines 3, 5 and 9 are bad: a price that is no number, a row without a
 * name, a tax rate above 100 %. */
static const char *three_bad_rows =
  "name,price,sku,tax_rate\n"
  "Tea,1.00,A,\n"
  "Coffee,lots,B,\n"
  "Cocoa,2.00,C,\n"
  ",2.00,D,\n"
  "Milk,0.90,E,\n"
  "Sugar,0.50,F,\n"
  "Honey,4.00,G,\n"
  "Jam,3.00,H,101\n";

static void
test_every_bad_row (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (import_text (fixture->shop, three_bad_rows, KASSA_CATALOG_FORMAT_CSV, 0, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "3 invalid rows; nothing imported\n"
                   "line 3, column price: “lots” is not an amount\n"
                   "line 5, column name: an item needs a name\n"
                   "line 9, column tax_rate: “101” is not a tax rate in percent");
  g_assert_cmpuint (count_items (fixture->shop), ==, 0);
  g_assert_false (kassa_database_in_transaction (kassa_shop_get_database (fixture->shop)));
}

static void
test_skip_invalid (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaCatalogItem) jam = NULL;
  g_auto(KassaCatalogImportResult) result = { 0 };
  g_autoptr(GError) error = NULL;
  const char *text =
    "name,price,sku\n"
    "Tea,1.00,A\n"
    "Coffee,lots,B\n"
    "Cocoa,2.00,C\n"
    ",2.00,D\n"
    "Milk,0.90,E\n"
    "Sugar,0.50,F\n"
    "Honey,4.00,G\n"
    "Tea again,3.00,A\n"
    "Jam,3.00,H\n";

  g_assert_true (import_text (fixture->shop, text, KASSA_CATALOG_FORMAT_CSV, KASSA_CATALOG_IMPORT_SKIP_INVALID,
                              &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_added, ==, 6);
  g_assert_cmpuint (result.n_invalid, ==, 3);
  g_assert_cmpuint (g_strv_length (result.invalid_rows), ==, 3);
  g_assert_cmpstr (result.invalid_rows[0], ==, "line 3, column price: “lots” is not an amount");
  g_assert_cmpstr (result.invalid_rows[1], ==, "line 5, column name: an item needs a name");
  /* A SKU twice in the file: the second row is the bad one. */
  g_assert_cmpstr (result.invalid_rows[2], ==, "line 9, column sku: “A” is already used by “Tea”");
  g_assert_cmpuint (count_items (fixture->shop), ==, 6);

  /* The rows after the bad ones went in too. */
  jam = kassa_catalog_repository_get_by_sku (repository, "H", &error);
  g_assert_nonnull (jam);
  g_assert_cmpint (kassa_catalog_item_get_price (jam), ==, 300);

  /* SKUs the store holds count as bad rows as well. */
  kassa_catalog_import_result_clear (&result);
  g_assert_true (import_text (fixture->shop, "sku,name,price\nA,Tea,1\nZ,New,1\n", KASSA_CATALOG_FORMAT_CSV,
                              KASSA_CATALOG_IMPORT_SKIP_INVALID, &result, &error));
  g_assert_cmpuint (result.n_added, ==, 1);
  g_assert_cmpuint (result.n_invalid, ==, 1);
  g_assert_cmpstr (result.invalid_rows[0], ==, "line 2, column sku: “A” is already used by “Tea”");
  g_assert_cmpuint (count_items (fixture->shop), ==, 7);
}

static void
test_duplicate_skus (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(KassaCatalogItem) tea = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (import_text (fixture->shop, "sku,name,price\nA,Tea,1\n", KASSA_CATALOG_FORMAT_CSV, 0, NULL, &error));

  /* Against the store and within the file, both named, nothing kept. */
  g_assert_false (import_text (fixture->shop, "sku,name,price\nA,Tea 2,1\nB,Cup,2\nB,Cup 2,2\n",
                               KASSA_CATALOG_FORMAT_CSV, 0, NULL, &error));
  g_assert_cmpstr (error->message, ==,
                   "2 invalid rows; nothing imported\n"
                   "line 2, column sku: “A” is already used by “Tea”\n"
                   "line 4, column sku: “B” is already used by “Cup”");
  g_clear_error (&error);
  g_assert_cmpuint (count_items (fixture->shop), ==, 1);

  /* Updating by SKU, a second row for one SKU is still a mistake. */
  g_assert_false (import_text (fixture->shop, "sku,name,price\nA,Tea 2,1\nA,Tea 3,1\n",
                               KASSA_CATALOG_FORMAT_CSV, KASSA_CATALOG_IMPORT_UPDATE_EXISTING, NULL, &error));
  g_assert_cmpstr (error->message, ==, "line 3, column sku: “A” is already on line 2");
  g_clear_error (&error);
  tea = kassa_shop_get_item_by_sku (fixture->shop, "A", &error);
  g_assert_cmpstr (kassa_catalog_item_get_name (tea), ==, "Tea");
}

static void
test_quoting_and_bom (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaCatalogItem) first = NULL;
  g_autoptr(KassaCatalogItem) second = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (import_text (fixture->shop,
                              "\xEF\xBB\xBF" "name,description,price\r\n"
                              "\"Tea, green\",\"Sencha, first flush\r\nfrom \"\"Shizuoka\"\"\",1.00\r\n"
                              "\"Two\nlines\",,2.00\r\n",
                              KASSA_CATALOG_FORMAT_CSV, 0, NULL, &error));
  g_assert_no_error (error);

  first = kassa_catalog_repository_get (repository, 1, &error);
  g_assert_cmpstr (kassa_catalog_item_get_name (first), ==, "Tea, green");
  g_assert_cmpstr (kassa_catalog_item_get_description (first), ==, "Sencha, first flush\r\nfrom \"Shizuoka\"");
  second = kassa_catalog_repository_get (repository, 2, &error);
  g_assert_cmpstr (kassa_catalog_item_get_name (second), ==, "Two\nlines");
  g_assert_cmpint (kassa_catalog_item_get_price (second), ==, 200);

  /* Line numbers count the line breaks inside quoted fields. */
  assert_import_fails_keeping (fixture->shop, "name,price\n\"A\nB\nC\",1\nD,x\n", 2,
                               "line 5, column price: “x” is not an amount");
}

static void
test_invalid_utf8 (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(KassaCatalogImportResult) result = { 0 };
  g_autoptr(GError) error = NULL;

  assert_import_fails_keeping (fixture->shop, "name,price\nTea,1\nCaf\xE9,2\nMilk,1\n", 0,
                               "line 3: the text is not UTF-8; save the file as UTF-8");
  assert_import_fails_keeping (fixture->shop, "n\xE4me,price\nTea,1\n", 0,
                               "line 1: the text is not UTF-8; save the file as UTF-8");

  g_assert_true (import_text (fixture->shop, "name,price\nTea,1\nCaf\xE9,2\nMilk,1\n", KASSA_CATALOG_FORMAT_CSV,
                              KASSA_CATALOG_IMPORT_SKIP_INVALID, &result, &error));
  g_assert_cmpuint (result.n_added, ==, 2);
  g_assert_cmpuint (result.n_invalid, ==, 1);
}

static void
test_many_bad_rows (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("name,price\n");
  g_autoptr(GError) error = NULL;
  g_auto(KassaCatalogImportResult) result = { 0 };

  for (guint i = 0; i < 137; i++)
    g_string_append_printf (text, "Item %u,x%u\n", i, i);
  g_string_append (text, "Good,1\n");

  g_assert_false (import_text (fixture->shop, text->str, KASSA_CATALOG_FORMAT_CSV, 0, NULL, &error));
  /* The summary, 100 rows, and the count of the rest. */
  g_assert_cmpuint (count_lines (error->message), ==, 102);
  g_assert_true (g_str_has_prefix (error->message, "137 invalid rows; nothing imported\nline 2, column price: “x0”"));
  g_assert_nonnull (strstr (error->message, "\nline 101, column price: “x99” is not an amount\nand 37 more"));
  g_assert_true (g_str_has_suffix (error->message, "\nand 37 more"));
  g_clear_error (&error);

  g_assert_true (import_text (fixture->shop, text->str, KASSA_CATALOG_FORMAT_CSV, KASSA_CATALOG_IMPORT_SKIP_INVALID,
                              &result, &error));
  g_assert_cmpuint (result.n_added, ==, 1);
  g_assert_cmpuint (result.n_invalid, ==, 137);
  g_assert_cmpuint (g_strv_length (result.invalid_rows), ==, 100);
}

static void
test_large_file (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(GString) text = g_string_new ("sku,barcode,name,description,price,tax_rate,stock\n");
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(KassaCatalogItem) last = NULL;
  g_auto(KassaCatalogImportResult) result = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 start, elapsed;
  gsize good_length;

  for (guint i = 1; i <= 100000; i++)
    g_string_append_printf (text, "SKU-%06u,%013u,Item %u,\"Shelf %u, row %u\",%u.%02u,20,%u\n",
                            i, 4000000000u + i, i, i % 97, i % 13, i % 500, i % 100, i % 50);
  good_length = text->len;

  /* One bad row at the very end still keeps all 100,000 out. */
  g_string_append (text, "SKU-000001,,Duplicate,,1.00,20,1\n");
  g_assert_false (import_text (fixture->shop, text->str, KASSA_CATALOG_FORMAT_CSV, 0, NULL, &error));
  g_assert_cmpstr (error->message, ==, "line 100002, column sku: “SKU-000001” is already used by “Item 1”");
  g_clear_error (&error);
  g_assert_cmpuint (count_items (fixture->shop), ==, 0);

  g_string_truncate (text, good_length);
  start = g_get_monotonic_time ();
  g_assert_true (import_text (fixture->shop, text->str, KASSA_CATALOG_FORMAT_CSV, 0, &result, &error));
  elapsed = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_test_message ("100,000 rows in %.2f s", elapsed / 1e6);
  g_assert_cmpuint (result.n_added, ==, 100000);
  g_assert_cmpuint (count_items (fixture->shop), ==, 100000);

  /* Loose enough for a loaded shared machine, tight enough to catch a
   * row-by-row search index or a transaction per row. */
  g_assert_cmpint (elapsed, <, 60 * G_USEC_PER_SEC);

  last = kassa_catalog_repository_get_by_sku (repository, "SKU-100000", &error);
  g_assert_cmpstr (kassa_catalog_item_get_description (last), ==, "Shelf 90, row 4");
  g_assert_cmpint (kassa_catalog_item_get_price (last), ==, 0);
  found = kassa_shop_search_catalog (fixture->shop, "SKU-09999", KASSA_CATALOG_FILTER_ANY, 20, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 10);
}

static void
test_update_existing (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaCatalogItem) coffee = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(KassaCatalogImportResult) result = { 0 };
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


/* Data rows 1 … @n_rows, on lines 2 … n_rows + 1. */
static GString *
batch_csv (guint n_rows)
{
  GString *text = g_string_new ("sku,barcode,name,description,price,currency,tax_rate,stock\n");

  for (guint i = 1; i <= n_rows; i++)
    g_string_append_printf (text, "B-%04u,%013u,Item %u,\"Batch %u, shelf C7\",%u.%02u,EUR,20,%u\n",
                            i, 500000 + i, i, i, i, i % 100, i % 7);

  return text;
}

static guint
search_count (KassaShop  *shop,
              const char *text)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  found = kassa_shop_search_catalog (shop, text, KASSA_CATALOG_FILTER_ANY, 50, &error);
  g_assert_no_error (error);
  return found->len;
}

/* New items go in 64 to a statement: a file of one short batch, one
 * batch, one row more, two batches and one row, and one row more than
 * the reading thread hands over at once (512). */
static void
test_batch_boundaries (Fixture       *fixture,
                       gconstpointer  data)
{
  static const guint sizes[] = { 1, 63, 64, 65, 129, 513 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autofree char *name = g_strdup_printf ("batch-%u.db", sizes[s]);
      g_autoptr(KassaShop) shop = open_shop (fixture, name);
      g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (kassa_shop_get_database (shop));
      g_autoptr(GString) text = batch_csv (sizes[s]);
      g_auto(KassaCatalogImportResult) result = { 0 };
      g_autoptr(GError) error = NULL;
      g_autofree char *last_sku = g_strdup_printf ("B-%04u", sizes[s]);
      g_autofree char *last_name = g_strdup_printf ("Item %u", sizes[s]);
      g_autofree char *last_description = g_strdup_printf ("Batch %u, shelf C7", sizes[s]);
      g_autoptr(KassaCatalogItem) first = NULL;
      g_autoptr(KassaCatalogItem) last = NULL;
      g_autofree char *exported = NULL;

      g_assert_true (import_text (shop, text->str, KASSA_CATALOG_FORMAT_CSV, 0, &result, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (result.n_added, ==, sizes[s]);
      g_assert_cmpuint (result.n_invalid, ==, 0);
      g_assert_cmpuint (count_items (shop), ==, sizes[s]);

      first = kassa_catalog_repository_get_by_sku (repository, "B-0001", &error);
      g_assert_cmpint (kassa_catalog_item_get_id (first), ==, 1);
      g_assert_cmpstr (kassa_catalog_item_get_barcode (first), ==, "0000000500001");
      g_assert_cmpint (kassa_catalog_item_get_price (first), ==, 101);
      g_assert_cmpint (kassa_catalog_item_get_stock_on_hand (first), ==, 1000);

      last = kassa_catalog_repository_get_by_sku (repository, last_sku, &error);
      g_assert_cmpint (kassa_catalog_item_get_id (last), ==, sizes[s]);
      g_assert_cmpstr (kassa_catalog_item_get_name (last), ==, last_name);
      g_assert_cmpstr (kassa_catalog_item_get_description (last), ==, last_description);
      g_assert_cmpint (kassa_catalog_item_get_price (last), ==, sizes[s] * 100 + sizes[s] % 100);
      g_assert_cmpint (kassa_catalog_item_get_tax_rate (last), ==, 200000);

      /* Every item is in the search index, the last batch's too. */
      g_assert_cmpuint (search_count (shop, last_sku), ==, 1);
      g_assert_cmpuint (search_count (shop, last_name), >=, 1);
      g_assert_cmpuint (search_count (shop, "shelf c7"), ==, MIN (sizes[s], 50));

      /* What went in comes back out: importing the export elsewhere
       * gives the same export. */
      exported = export_text (shop, KASSA_CATALOG_FORMAT_CSV);
      {
        g_autofree char *copy_name = g_strdup_printf ("copy-%u.db", sizes[s]);
        g_autoptr(KassaShop) copy = open_shop (fixture, copy_name);
        g_autofree char *again = NULL;

        g_assert_true (import_text (copy, exported, KASSA_CATALOG_FORMAT_CSV, 0, NULL, &error));
        g_assert_no_error (error);
        again = export_text (copy, KASSA_CATALOG_FORMAT_CSV);
        g_assert_cmpstr (again, ==, exported);
      }

      /* A JSON file's items go in by the batch the same way. */
      {
        g_autofree char *json_name = g_strdup_printf ("json-%u.db", sizes[s]);
        g_autoptr(KassaShop) copy = open_shop (fixture, json_name);
        g_autofree char *json = export_text (shop, KASSA_CATALOG_FORMAT_JSON);
        g_autofree char *again = NULL;

        g_assert_true (import_text (copy, json, KASSA_CATALOG_FORMAT_JSON, 0, NULL, &error));
        g_assert_no_error (error);
        again = export_text (copy, KASSA_CATALOG_FORMAT_JSON);
        g_assert_cmpstr (again, ==, json);
        g_assert_cmpuint (search_count (copy, last_sku), ==, 1);
      }
    }
}

/* Bad rows inside a batch and across batches, found while reading
 * (a price) and while saving (SKU and barcode twice in the file), are
 * named with their lines in the order of the file. */
static void
test_bad_rows_in_batches (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(GString) text = batch_csv (150);
  g_autoptr(KassaCatalogItem) kept = NULL;
  g_auto(KassaCatalogImportResult) result = { 0 };
  g_autoptr(GError) error = NULL;
  char *line;

  /* Line 11 (row 10): a price that is no amount. */
  line = strstr (text->str, "10.10,EUR");
  memcpy (line, "1x.10", 5);
  /* Line 41 (row 40): the SKU of line 21, in the same batch. */
  line = strstr (text->str, "B-0040,");
  memcpy (line, "B-0020", 6);
  /* Line 67 (row 66): the barcode of line 3, in the batch before. */
  line = strstr (text->str, "0000000500066");
  memcpy (line, "0000000500002", 13);
  /* Line 130 (row 129), first of the third batch: SKU of line 129. */
  line = strstr (text->str, "B-0129,");
  memcpy (line, "B-0128", 6);

  g_assert_false (import_text (fixture->shop, text->str, KASSA_CATALOG_FORMAT_CSV, 0, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "4 invalid rows; nothing imported\n"
                   "line 11, column price: “1x.10” is not an amount\n"
                   "line 41, column sku: “B-0020” is already used by “Item 20”\n"
                   "line 67, column barcode: “0000000500002” is already used by “Item 2”\n"
                   "line 130, column sku: “B-0128” is already used by “Item 128”");
  g_clear_error (&error);

  /* All or nothing: the rollback leaves neither items nor search entries. */
  g_assert_cmpuint (count_items (fixture->shop), ==, 0);
  g_assert_cmpuint (search_count (fixture->shop, "item"), ==, 0);
  g_assert_cmpuint (search_count (fixture->shop, "B-0001"), ==, 0);

  g_assert_true (import_text (fixture->shop, text->str, KASSA_CATALOG_FORMAT_CSV, KASSA_CATALOG_IMPORT_SKIP_INVALID,
                              &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_added, ==, 146);
  g_assert_cmpuint (result.n_invalid, ==, 4);
  g_assert_cmpstr (result.invalid_rows[0], ==, "line 11, column price: “1x.10” is not an amount");
  g_assert_cmpstr (result.invalid_rows[1], ==, "line 41, column sku: “B-0020” is already used by “Item 20”");
  g_assert_cmpstr (result.invalid_rows[2], ==,
                   "line 67, column barcode: “0000000500002” is already used by “Item 2”");
  g_assert_cmpstr (result.invalid_rows[3], ==, "line 130, column sku: “B-0128” is already used by “Item 128”");
  g_assert_cmpuint (count_items (fixture->shop), ==, 146);

  /* The good rows around the bad ones went in, and only they. */
  kept = kassa_catalog_repository_get_by_sku (repository, "B-0020", &error);
  g_assert_cmpstr (kassa_catalog_item_get_name (kept), ==, "Item 20");
  g_clear_object (&kept);
  kept = kassa_catalog_repository_get_by_sku (repository, "B-0065", &error);
  g_assert_cmpstr (kassa_catalog_item_get_name (kept), ==, "Item 65");
  g_clear_object (&kept);
  kept = kassa_catalog_repository_get_by_sku (repository, "B-0150", &error);
  g_assert_cmpstr (kassa_catalog_item_get_name (kept), ==, "Item 150");
  g_assert_null (kassa_catalog_repository_get_by_sku (repository, "B-0010", &error));
  g_assert_null (kassa_catalog_repository_get_by_sku (repository, "B-0066", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (search_count (fixture->shop, "item 40"), ==, 0);
  g_assert_cmpuint (search_count (fixture->shop, "item 41"), ==, 1);
  g_assert_cmpuint (search_count (fixture->shop, "B-0150"), ==, 1);
}

/* Bad rows on either side of the reading thread's hand-overs (every 512
 * rows) keep their lines and their order. */
static void
test_bad_rows_across_handovers (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GString) text = batch_csv (1100);
  g_auto(KassaCatalogImportResult) result = { 0 };
  g_autoptr(GError) error = NULL;
  char *line;

  /* Line 513 (row 512): no name; line 514 (row 513): the SKU of line 2;
   * line 1025 (row 1024): a price that is no amount. */
  line = strstr (text->str, ",Item 512,");
  memcpy (line, ",        ,", 10);
  line = strstr (text->str, "B-0513,");
  memcpy (line, "B-0001", 6);
  line = strstr (text->str, "1024.24,");
  memcpy (line, "1024.2x", 7);

  g_assert_true (import_text (fixture->shop, text->str, KASSA_CATALOG_FORMAT_CSV, KASSA_CATALOG_IMPORT_SKIP_INVALID,
                              &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_added, ==, 1097);
  g_assert_cmpuint (result.n_invalid, ==, 3);
  g_assert_cmpstr (result.invalid_rows[0], ==, "line 513, column name: an item needs a name");
  g_assert_cmpstr (result.invalid_rows[1], ==, "line 514, column sku: “B-0001” is already used by “Item 1”");
  g_assert_cmpstr (result.invalid_rows[2], ==, "line 1025, column price: “1024.2x” is not an amount");
  g_assert_cmpuint (count_items (fixture->shop), ==, 1097);
  g_assert_cmpuint (search_count (fixture->shop, "B-1100"), ==, 1);
  g_assert_cmpuint (search_count (fixture->shop, "B-0511"), ==, 1);
  g_assert_cmpuint (search_count (fixture->shop, "B-0513"), ==, 0);
}

static void
cancel_cb (guint    n_done,
           gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

/* Cancelled while the reading thread is ahead: the import ends with the
 * cancellation, and nothing of it stays. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GString) text = batch_csv (20000);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  stream = g_memory_input_stream_new_from_data (text->str, text->len, NULL);
  g_assert_false (kassa_shop_import_catalog (fixture->shop, stream, KASSA_CATALOG_FORMAT_CSV, 0,
                                             cancel_cb, cancellable, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count_items (fixture->shop), ==, 0);
  g_assert_cmpuint (search_count (fixture->shop, "item"), ==, 0);

  /* The store takes the next import as usual. */
  g_clear_error (&error);
  g_assert_true (import_text (fixture->shop, text->str, KASSA_CATALOG_FORMAT_CSV, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_items (fixture->shop), ==, 20000);
  g_assert_cmpuint (search_count (fixture->shop, "B-20000"), ==, 1);
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
  ADD ("spec-columns", test_spec_columns);
  ADD ("decimal-comma", test_decimal_comma);
  ADD ("every-bad-row", test_every_bad_row);
  ADD ("skip-invalid", test_skip_invalid);
  ADD ("duplicate-skus", test_duplicate_skus);
  ADD ("quoting-and-bom", test_quoting_and_bom);
  ADD ("invalid-utf8", test_invalid_utf8);
  ADD ("many-bad-rows", test_many_bad_rows);
  ADD ("large-file", test_large_file);
  ADD ("update-existing", test_update_existing);
  ADD ("progress", test_progress);
  ADD ("round-trip", test_round_trip);
  ADD ("permissions", test_permissions);
  ADD ("get-by-sku", test_get_by_sku);
  ADD ("batch-boundaries", test_batch_boundaries);
  ADD ("bad-rows-in-batches", test_bad_rows_in_batches);
  ADD ("bad-rows-across-handovers", test_bad_rows_across_handovers);
  ADD ("cancel", test_cancel);

  return g_test_run ();
}
