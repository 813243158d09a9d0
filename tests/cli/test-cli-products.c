/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kassa-test-cli.h"

static const char *catalog_csv =
  "sku,barcode,name,description,price,currency,tax_rate,stock,status\n"
  "COF-1,4006381333931,Coffee beans,\"Arabica, 1 kg\",12.50,EUR,20,24,active\n"
  "CAF-2,,Café crème,,3.20,EUR,20,0,active\n"
  "OLD-1,,Coffee grinder,,80.00,EUR,20,1,archived\n";

/* A scratch store holding three items, two of them on sale. */
static void
fixture_set_up (KassaCliFixture *fixture,
                gconstpointer    data)
{
  g_auto(KassaCliRun) run = { 0 };

  kassa_cli_fixture_set_up (fixture, data);

  kassa_cli_fixture_run (fixture, &run, catalog_csv,
                         (const char *[]) { "products", "import", "-", "--format", "csv", NULL });
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpstr (run.out, ==, "3 added, 0 updated\n");
  g_assert_cmpint (run.status, ==, 0);
}

static void
test_list (KassaCliFixture *fixture,
           gconstpointer    data)
{
  g_auto(KassaCliRun) run = { 0 };
  g_auto(KassaCliRun) active = { 0 };
  g_auto(KassaCliRun) page = { 0 };

  kassa_cli_fixture_run (fixture, &run, NULL, (const char *[]) { "products", "list", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==,
                   "CAF-2\tCafé crème\t3.20 EUR\tactive\n"
                   "COF-1\tCoffee beans\t12.50 EUR\tactive\n"
                   "OLD-1\tCoffee grinder\t80.00 EUR\tarchived\n");

  kassa_cli_fixture_run (fixture, &active, NULL, (const char *[]) { "products", "list", "--status", "active", "--json", NULL });
  g_assert_cmpint (active.status, ==, 0);
  g_assert_true (g_str_has_prefix (active.out, "[{\"name\":\"Café crème\",\"description\":\"\",\"kind\":\"product\","
                                                "\"type\":\"\",\"sku\":\"CAF-2\",\"barcode\":null,"));
  g_assert_null (strstr (active.out, "OLD-1"));
  g_assert_true (g_str_has_suffix (active.out, "}]\n"));

  kassa_cli_fixture_run (fixture, &page, NULL, (const char *[]) { "products", "list", "--offset", "1", "--limit", "1", NULL });
  g_assert_cmpstr (page.out, ==, "COF-1\tCoffee beans\t12.50 EUR\tactive\n");
}

static void
test_search (KassaCliFixture *fixture,
             gconstpointer    data)
{
  g_auto(KassaCliRun) run = { 0 };
  g_auto(KassaCliRun) all = { 0 };
  g_auto(KassaCliRun) nasty = { 0 };
  g_auto(KassaCliRun) json = { 0 };

  kassa_cli_fixture_run (fixture, &run, NULL, (const char *[]) { "products", "search", "coff", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "COF-1\tCoffee beans\t12.50 EUR\tactive\n");

  kassa_cli_fixture_run (fixture, &all, NULL, (const char *[]) { "products", "search", "coff", "--status", "any", NULL });
  g_assert_nonnull (strstr (all.out, "OLD-1\tCoffee grinder"));

  kassa_cli_fixture_run (fixture, &nasty, NULL, (const char *[]) { "products", "search", "\"creme\" -caf* (:", NULL });
  g_assert_cmpint (nasty.status, ==, 0);
  g_assert_cmpstr (nasty.out, ==, "CAF-2\tCafé crème\t3.20 EUR\tactive\n");

  kassa_cli_fixture_run (fixture, &json, NULL, (const char *[]) { "products", "search", "nothing-like-it", "--json", NULL });
  g_assert_cmpint (json.status, ==, 0);
  g_assert_cmpstr (json.out, ==, "[]\n");
}

static void
test_show (KassaCliFixture *fixture,
           gconstpointer    data)
{
  g_auto(KassaCliRun) run = { 0 };
  g_auto(KassaCliRun) json = { 0 };
  g_auto(KassaCliRun) missing = { 0 };

  kassa_cli_fixture_run (fixture, &run, NULL, (const char *[]) { "products", "show", "COF-1", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==,
                   "name: Coffee beans\ndescription: Arabica, 1 kg\nkind: product\ntype: \n"
                   "sku: COF-1\nbarcode: 4006381333931\nprice: 12.50\ncurrency: EUR\ntax_rate: 20\n"
                   "pricing: one_time\ninterval: \ninterval_count: 1\ncycles: 0\n"
                   "duration_minutes: 0\nstock: 24\nstatus: active\npublic: true\nsort_order: 0\n");

  kassa_cli_fixture_run (fixture, &json, NULL, (const char *[]) { "products", "show", "--json", "CAF-2", NULL });
  g_assert_cmpint (json.status, ==, 0);
  g_assert_cmpstr (json.out, ==,
                   "{\"name\":\"Café crème\",\"description\":\"\",\"kind\":\"product\",\"type\":\"\","
                   "\"sku\":\"CAF-2\",\"barcode\":null,\"price\":\"3.20\",\"currency\":\"EUR\","
                   "\"tax_rate\":\"20\",\"pricing\":\"one_time\",\"interval\":null,\"interval_count\":1,"
                   "\"cycles\":0,\"duration_minutes\":0,\"stock\":\"0\",\"status\":\"active\",\"public\":true,"
                   "\"sort_order\":0}\n");

  kassa_cli_fixture_run (fixture, &missing, NULL, (const char *[]) { "products", "show", "NOPE", NULL });
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_cmpstr (missing.out, ==, "");
  g_assert_cmpstr (missing.err, ==, "kassa-cli: No item has the SKU “NOPE”\n");
}

static void
test_export_import (KassaCliFixture *fixture,
                    gconstpointer    data)
{
  g_autofree char *csv_path = g_build_filename (fixture->dir, "catalog.csv", NULL);
  g_autofree char *json_path = g_build_filename (fixture->dir, "catalog.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(KassaCliRun) to_file = { 0 };
  g_auto(KassaCliRun) to_stdout = { 0 };
  g_auto(KassaCliRun) json = { 0 };
  g_auto(KassaCliRun) again = { 0 };
  g_auto(KassaCliRun) update = { 0 };

  kassa_cli_fixture_run (fixture, &to_file, NULL, (const char *[]) { "products", "export", csv_path, NULL });
  g_assert_cmpint (to_file.status, ==, 0);
  g_assert_cmpstr (to_file.out, ==, "");
  g_file_get_contents (csv_path, &contents, NULL, &error);
  g_assert_no_error (error);

  kassa_cli_fixture_run (fixture, &to_stdout, NULL, (const char *[]) { "products", "export", "-", "--format", "csv", NULL });
  g_assert_cmpint (to_stdout.status, ==, 0);
  g_assert_cmpstr (to_stdout.out, ==, contents);
  g_assert_true (g_str_has_prefix (contents, "\"name\",\"description\",\"kind\",\"type\",\"sku\",\"barcode\",\"price\""));

  kassa_cli_fixture_run (fixture, &json, NULL, (const char *[]) { "products", "export", json_path, NULL });
  g_assert_cmpint (json.status, ==, 0);
  g_clear_pointer (&contents, g_free);
  g_file_get_contents (json_path, &contents, NULL, &error);
  g_assert_true (g_str_has_prefix (contents, "[\n{\"name\":\"Coffee beans\""));

  /* Importing the same SKUs again is refused, every one named, and
   * changes nothing. */
  kassa_cli_fixture_run (fixture, &again, NULL, (const char *[]) { "products", "import", json_path, NULL });
  g_assert_cmpint (again.status, ==, 1);
  g_assert_cmpstr (again.err, ==,
                   "kassa-cli: 3 invalid rows; nothing imported\n"
                   "item 1, field sku: “COF-1” is already used by “Coffee beans”\n"
                   "item 2, field sku: “CAF-2” is already used by “Café crème”\n"
                   "item 3, field sku: “OLD-1” is already used by “Coffee grinder”\n");

  kassa_cli_fixture_run (fixture, &update, NULL, (const char *[]) { "products", "import", "--update", json_path, NULL });
  g_assert_cmpint (update.status, ==, 0);
  g_assert_cmpstr (update.out, ==, "0 added, 3 updated\n");
}

static void
test_import_error (KassaCliFixture *fixture,
                   gconstpointer    data)
{
  g_auto(KassaCliRun) run = { 0 };
  g_auto(KassaCliRun) list = { 0 };

  kassa_cli_fixture_run (fixture, &run, "name,price,currency\nTea,1.00,EUR\nBad,12;5,EUR\n",
           (const char *[]) { "products", "import", "-", "--format", "csv", NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.err, ==, "kassa-cli: line 3, column price: “12;5” is not an amount\n");

  kassa_cli_fixture_run (fixture, &list, NULL, (const char *[]) { "products", "search", "tea", NULL });
  g_assert_cmpstr (list.out, ==, "");
}


static void
test_import_spec_columns (KassaCliFixture *fixture,
                          gconstpointer    data)
{
  g_auto(KassaCliRun) run = { 0 };
  g_auto(KassaCliRun) show = { 0 };
  g_auto(KassaCliRun) club = { 0 };

  /* The names in another order, no currency column, one_time. */
  kassa_cli_fixture_run (fixture, &run,
           "pricing,type,price,name,sku,interval,cycles,kind\n"
           "one_time,Drinks,4.20,Tea,TEA-1,,,product\n"
           "recurring,Memberships,9.90,Club,CLUB-1,month,12,product\n",
           (const char *[]) { "products", "import", "-", "--format", "csv", NULL });
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpstr (run.out, ==, "2 added, 0 updated\n");
  g_assert_cmpint (run.status, ==, 0);

  kassa_cli_fixture_run (fixture, &show, NULL, (const char *[]) { "products", "show", "--json", "TEA-1", NULL });
  g_assert_nonnull (strstr (show.out, "\"type\":\"Drinks\""));
  g_assert_nonnull (strstr (show.out, "\"price\":\"4.20\",\"currency\":\"EUR\""));
  g_assert_nonnull (strstr (show.out, "\"pricing\":\"one_time\",\"interval\":null"));

  kassa_cli_fixture_run (fixture, &club, NULL, (const char *[]) { "products", "show", "CLUB-1", NULL });
  g_assert_nonnull (strstr (club.out, "\npricing: recurring\ninterval: month\ninterval_count: 1\ncycles: 12\n"));
}

static void
test_import_decimal_comma (KassaCliFixture *fixture,
                           gconstpointer    data)
{
  g_auto(KassaCliRun) run = { 0 };
  g_auto(KassaCliRun) point = { 0 };
  g_auto(KassaCliRun) show = { 0 };

  kassa_cli_fixture_run (fixture, &run, "name,price,tax_rate,stock,sku\nTea,\"12,50\",\"5,5\",\"2,5\",TEA-1\n",
           (const char *[]) { "products", "import", "-", "--format", "csv", "--decimal", ",", NULL });
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);

  kassa_cli_fixture_run (fixture, &show, NULL, (const char *[]) { "products", "show", "--json", "TEA-1", NULL });
  g_assert_nonnull (strstr (show.out, "\"price\":\"12.50\""));
  g_assert_nonnull (strstr (show.out, "\"tax_rate\":\"5.5\""));
  g_assert_nonnull (strstr (show.out, "\"stock\":\"2.5\""));

  /* The same file without --decimal is refused. */
  kassa_cli_fixture_run (fixture, &point, "name,price,sku\nMilk,\"0,90\",MLK-1\n",
           (const char *[]) { "products", "import", "-", "--format", "csv", NULL });
  g_assert_cmpint (point.status, ==, 1);
  g_assert_cmpstr (point.err, ==, "kassa-cli: line 2, column price: “0,90” is not an amount\n");
}

/* Lines 3, 5 and 9 are bad; line 7 is the second line of a quoted field. */
static const char *three_bad_rows =
  "name,price,sku,description\n"
  "Tea,1.00,T-1,\n"
  "Cocoa,lots,T-2,\n"
  "Jam,3.00,T-7,\n"
  ",2.00,T-4,\n"
  "Milk,0.90,T-3,\"Fresh,\nwhole\"\n"
  "Sugar,0.50,T-5,\n"
  "Tea again,1.00,T-1,\n"
  "Honey,4.00,T-6,\n";

static void
test_import_every_bad_row (KassaCliFixture *fixture,
                           gconstpointer    data)
{
  g_auto(KassaCliRun) run = { 0 };
  g_auto(KassaCliRun) list = { 0 };

  kassa_cli_fixture_run (fixture, &run, three_bad_rows, (const char *[]) { "products", "import", "-", "--format", "csv", NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpstr (run.err, ==,
                   "kassa-cli: 3 invalid rows; nothing imported\n"
                   "line 3, column price: “lots” is not an amount\n"
                   "line 5, column name: an item needs a name\n"
                   "line 9, column sku: “T-1” is already used by “Tea”\n");

  kassa_cli_fixture_run (fixture, &list, NULL, (const char *[]) { "products", "list", "--status", "any", NULL });
  g_assert_null (strstr (list.out, "T-1"));
  g_assert_null (strstr (list.out, "Milk"));
}

static void
test_import_skip_invalid (KassaCliFixture *fixture,
                          gconstpointer    data)
{
  g_auto(KassaCliRun) run = { 0 };
  g_auto(KassaCliRun) show = { 0 };

  kassa_cli_fixture_run (fixture, &run, three_bad_rows,
           (const char *[]) { "products", "import", "-", "--format", "csv", "--skip-invalid", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "5 added, 0 updated; skipped 3 invalid rows\n");
  g_assert_cmpstr (run.err, ==,
                   "line 3, column price: “lots” is not an amount\n"
                   "line 5, column name: an item needs a name\n"
                   "line 9, column sku: “T-1” is already used by “Tea”\n");

  kassa_cli_fixture_run (fixture, &show, NULL, (const char *[]) { "products", "show", "T-3", NULL });
  g_assert_cmpint (show.status, ==, 0);
  g_assert_nonnull (strstr (show.out, "description: Fresh,\nwhole\n"));
}

static void
test_import_large (KassaCliFixture *fixture,
                   gconstpointer    data)
{
  g_autoptr(GString) text = g_string_new ("\xEF\xBB\xBF" "sku,name,price,stock\n");
  g_auto(KassaCliRun) run = { 0 };
  g_auto(KassaCliRun) quiet = { 0 };
  g_auto(KassaCliRun) show = { 0 };
  gint64 start, elapsed;

  for (guint i = 1; i <= 100000; i++)
    g_string_append_printf (text, "BULK-%06u,\"Item %u, boxed\",%u.%02u,%u\n", i, i, i % 300, i % 100, i % 40);

  start = g_get_monotonic_time ();
  kassa_cli_fixture_run (fixture, &run, text->str,
           (const char *[]) { "products", "import", "-", "--format", "csv", "--progress", NULL });
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("100,000 rows through kassa-cli in %.2f s", elapsed / 1e6);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "100000 added, 0 updated\n");
  /* --progress: a line every 10,000 rows, even into a pipe. */
  g_assert_true (g_str_has_prefix (run.err, "Importing products… 10000 rows\nImporting products… 20000 rows\n"));
  g_assert_true (g_str_has_suffix (run.err, "Importing products… 90000 rows\nImporting products… 100000 rows\n"));
  g_assert_cmpint (elapsed, <, 90 * G_USEC_PER_SEC);

  kassa_cli_fixture_run (fixture, &show, NULL, (const char *[]) { "products", "show", "--json", "BULK-100000", NULL });
  g_assert_nonnull (strstr (show.out, "\"name\":\"Item 100000, boxed\""));
  g_assert_nonnull (strstr (show.out, "\"price\":\"100.00\""));

  /* Without --progress and with no terminal, standard error stays quiet;
   * the same SKUs again are 100,000 bad rows, 100 of them named. */
  kassa_cli_fixture_run (fixture, &quiet, text->str, (const char *[]) { "products", "import", "-", "--format", "csv", NULL });
  g_assert_cmpint (quiet.status, ==, 1);
  g_assert_true (g_str_has_prefix (quiet.err, "kassa-cli: 100000 invalid rows; nothing imported\n"
                                              "line 2, column sku: “BULK-000001” is already used by “Item 1, boxed”\n"));
  g_assert_true (g_str_has_suffix (quiet.err, "\nand 99900 more\n"));
}

static void
assert_usage (KassaCliFixture     *fixture,
              const char * const *argv,
              const char         *message)
{
  g_auto(KassaCliRun) run = { 0 };
  g_autofree char *expected = g_strdup_printf ("kassa-cli: %s\n", message);

  kassa_cli_fixture_run (fixture, &run, NULL, argv);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (g_str_has_prefix (run.err, expected));
}

static void
test_usage_errors (KassaCliFixture *fixture,
                   gconstpointer    data)
{
  assert_usage (fixture, (const char *[]) { "products", NULL },
                "products needs one of list, search, show, import, export");
  assert_usage (fixture, (const char *[]) { "products", "delete", NULL },
                "Unknown products command “delete”: use list, search, show, import or export");
  assert_usage (fixture, (const char *[]) { "products", "search", NULL }, "products search takes one TEXT");
  assert_usage (fixture, (const char *[]) { "products", "show", NULL }, "products show takes one SKU");
  assert_usage (fixture, (const char *[]) { "products", "list", "--status", "gone", NULL },
                "Unknown status “gone”: use any, active, draft or archived");
  assert_usage (fixture, (const char *[]) { "products", "export", "-", NULL },
                "Reading or writing “-” needs --format csv or --format json");
  assert_usage (fixture, (const char *[]) { "products", "export", "catalog.xlsx", NULL },
                "Cannot tell the format of “catalog.xlsx”: name it .csv or .json");
  assert_usage (fixture, (const char *[]) { "products", "import", "-", "--format", "xml", NULL },
                "Unknown catalog format “xml”: use csv or json");
  assert_usage (fixture, (const char *[]) { "products", "import", "-", "--format", "csv", "--decimal", ";", NULL },
                "--decimal takes “.” or “,”");
  assert_usage (fixture, (const char *[]) { "products", "list", "--colour", NULL },
                "Unknown option --colour");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/cli-products/" path, KassaCliFixture, NULL, fixture_set_up, func, kassa_cli_fixture_tear_down)

  ADD ("list", test_list);
  ADD ("search", test_search);
  ADD ("show", test_show);
  ADD ("export-import", test_export_import);
  ADD ("import-error", test_import_error);
  ADD ("import-spec-columns", test_import_spec_columns);
  ADD ("import-decimal-comma", test_import_decimal_comma);
  ADD ("import-every-bad-row", test_import_every_bad_row);
  ADD ("import-skip-invalid", test_import_skip_invalid);
  ADD ("import-large", test_import_large);
  ADD ("usage-errors", test_usage_errors);

  return g_test_run ();
}
