/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

typedef struct
{
  char *dir;
  char *database;
} Fixture;

/* Runs kassa-cli on the fixture's database with @argv (NULL-terminated,
 * without program and database) and @input on its standard input. */
static void
run_cli (Fixture            *fixture,
         Run                *run,
         const char         *input,
         const char * const *argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("KASSA_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (args, (gpointer) cli);
  g_ptr_array_add (args, (gpointer) "--database");
  g_ptr_array_add (args, fixture->database);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_newv ((const char * const *) args->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE |
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
}

static const char *catalog_csv =
  "sku,barcode,name,description,price,currency,tax_rate,stock,status\n"
  "COF-1,4006381333931,Coffee beans,\"Arabica, 1 kg\",12.50,EUR,20,24,active\n"
  "CAF-2,,Café crème,,3.20,EUR,20,0,active\n"
  "OLD-1,,Coffee grinder,,80.00,EUR,20,1,archived\n";

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };

  fixture->dir = g_dir_make_tmp ("kassa-cli-products-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->database = g_build_filename (fixture->dir, "kassa.db", NULL);

  run_cli (fixture, &run, catalog_csv, (const char *[]) { "products", "import", "-", "--format", "csv", NULL });
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpstr (run.out, ==, "3 added, 0 updated\n");
  g_assert_cmpint (run.status, ==, 0);
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
  g_free (fixture->database);
  g_free (fixture->dir);
}

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) active = { 0 };
  g_auto(Run) page = { 0 };

  run_cli (fixture, &run, NULL, (const char *[]) { "products", "list", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==,
                   "CAF-2\tCafé crème\t3.20 EUR\tactive\n"
                   "COF-1\tCoffee beans\t12.50 EUR\tactive\n"
                   "OLD-1\tCoffee grinder\t80.00 EUR\tarchived\n");

  run_cli (fixture, &active, NULL, (const char *[]) { "products", "list", "--status", "active", "--json", NULL });
  g_assert_cmpint (active.status, ==, 0);
  g_assert_true (g_str_has_prefix (active.out, "[{\"sku\":\"CAF-2\",\"barcode\":null,\"name\":\"Café crème\","));
  g_assert_null (strstr (active.out, "OLD-1"));
  g_assert_true (g_str_has_suffix (active.out, "}]\n"));

  run_cli (fixture, &page, NULL, (const char *[]) { "products", "list", "--offset", "1", "--limit", "1", NULL });
  g_assert_cmpstr (page.out, ==, "COF-1\tCoffee beans\t12.50 EUR\tactive\n");
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) all = { 0 };
  g_auto(Run) nasty = { 0 };
  g_auto(Run) json = { 0 };

  run_cli (fixture, &run, NULL, (const char *[]) { "products", "search", "coff", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "COF-1\tCoffee beans\t12.50 EUR\tactive\n");

  run_cli (fixture, &all, NULL, (const char *[]) { "products", "search", "coff", "--status", "any", NULL });
  g_assert_nonnull (strstr (all.out, "OLD-1\tCoffee grinder"));

  run_cli (fixture, &nasty, NULL, (const char *[]) { "products", "search", "\"creme\" -caf* (:", NULL });
  g_assert_cmpint (nasty.status, ==, 0);
  g_assert_cmpstr (nasty.out, ==, "CAF-2\tCafé crème\t3.20 EUR\tactive\n");

  run_cli (fixture, &json, NULL, (const char *[]) { "products", "search", "nothing-like-it", "--json", NULL });
  g_assert_cmpint (json.status, ==, 0);
  g_assert_cmpstr (json.out, ==, "[]\n");
}

static void
test_show (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) json = { 0 };
  g_auto(Run) missing = { 0 };

  run_cli (fixture, &run, NULL, (const char *[]) { "products", "show", "COF-1", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==,
                   "sku: COF-1\nbarcode: 4006381333931\nname: Coffee beans\ndescription: Arabica, 1 kg\n"
                   "item_type: \nkind: product\nprice: 12.50\ncurrency: EUR\ntax_rate: 20\n"
                   "pricing: one-time\ninterval: none\ninterval_count: 1\ncycles: 0\n"
                   "duration_minutes: 0\nstock: 24\nstatus: active\npublic: true\nsort_order: 0\n");

  run_cli (fixture, &json, NULL, (const char *[]) { "products", "show", "--json", "CAF-2", NULL });
  g_assert_cmpint (json.status, ==, 0);
  g_assert_cmpstr (json.out, ==,
                   "{\"sku\":\"CAF-2\",\"barcode\":null,\"name\":\"Café crème\",\"description\":\"\","
                   "\"item_type\":\"\",\"kind\":\"product\",\"price\":\"3.20\",\"currency\":\"EUR\","
                   "\"tax_rate\":\"20\",\"pricing\":\"one-time\",\"interval\":\"none\",\"interval_count\":1,"
                   "\"cycles\":0,\"duration_minutes\":0,\"stock\":\"0\",\"status\":\"active\",\"public\":true,"
                   "\"sort_order\":0}\n");

  run_cli (fixture, &missing, NULL, (const char *[]) { "products", "show", "NOPE", NULL });
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_cmpstr (missing.out, ==, "");
  g_assert_cmpstr (missing.err, ==, "kassa-cli: No item has the SKU “NOPE”\n");
}

static void
test_export_import (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *csv_path = g_build_filename (fixture->dir, "catalog.csv", NULL);
  g_autofree char *json_path = g_build_filename (fixture->dir, "catalog.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) to_file = { 0 };
  g_auto(Run) to_stdout = { 0 };
  g_auto(Run) json = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) update = { 0 };

  run_cli (fixture, &to_file, NULL, (const char *[]) { "products", "export", csv_path, NULL });
  g_assert_cmpint (to_file.status, ==, 0);
  g_assert_cmpstr (to_file.out, ==, "");
  g_file_get_contents (csv_path, &contents, NULL, &error);
  g_assert_no_error (error);

  run_cli (fixture, &to_stdout, NULL, (const char *[]) { "products", "export", "-", "--format", "csv", NULL });
  g_assert_cmpint (to_stdout.status, ==, 0);
  g_assert_cmpstr (to_stdout.out, ==, contents);
  g_assert_true (g_str_has_prefix (contents, "\"sku\",\"barcode\",\"name\",\"description\",\"item_type\",\"kind\",\"price\""));

  run_cli (fixture, &json, NULL, (const char *[]) { "products", "export", json_path, NULL });
  g_assert_cmpint (json.status, ==, 0);
  g_clear_pointer (&contents, g_free);
  g_file_get_contents (json_path, &contents, NULL, &error);
  g_assert_true (g_str_has_prefix (contents, "[\n{\"sku\":\"COF-1\""));

  /* Importing the same SKUs again is refused, and changes nothing. */
  run_cli (fixture, &again, NULL, (const char *[]) { "products", "import", json_path, NULL });
  g_assert_cmpint (again.status, ==, 1);
  g_assert_cmpstr (again.err, ==, "kassa-cli: item 1, field sku: “COF-1” is already used by “Coffee beans”\n");

  run_cli (fixture, &update, NULL, (const char *[]) { "products", "import", "--update", json_path, NULL });
  g_assert_cmpint (update.status, ==, 0);
  g_assert_cmpstr (update.out, ==, "0 added, 3 updated\n");
}

static void
test_import_error (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) list = { 0 };

  run_cli (fixture, &run, "name,price,currency\nTea,1.00,EUR\nBad,12;5,EUR\n",
           (const char *[]) { "products", "import", "-", "--format", "csv", NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.err, ==, "kassa-cli: line 3, column price: “12;5” is not an amount\n");

  run_cli (fixture, &list, NULL, (const char *[]) { "products", "search", "tea", NULL });
  g_assert_cmpstr (list.out, ==, "");
}

static void
assert_usage (Fixture            *fixture,
              const char * const *argv,
              const char         *message)
{
  g_auto(Run) run = { 0 };
  g_autofree char *expected = g_strdup_printf ("kassa-cli: %s\n", message);

  run_cli (fixture, &run, NULL, argv);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (g_str_has_prefix (run.err, expected));
}

static void
test_usage_errors (Fixture       *fixture,
                   gconstpointer  data)
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
  assert_usage (fixture, (const char *[]) { "products", "list", "--colour", NULL },
                "Unknown option --colour");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/cli-products/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("list", test_list);
  ADD ("search", test_search);
  ADD ("show", test_show);
  ADD ("export-import", test_export_import);
  ADD ("import-error", test_import_error);
  ADD ("usage-errors", test_usage_errors);

  return g_test_run ();
}
