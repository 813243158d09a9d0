/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kassa-test-cli.h"

static const char *customers_csv =
  "name,email,phone,shipping_address\n"
  "Ada Lovelace,ada@example.org,+44 20 7946 0000,\"  Flat 2B\n  London \"\n"
  "\"Bob\tBuilder\",,,\n";

static void
test_import_list_export (KassaCliFixture *fixture,
                         gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *input = kassa_cli_fixture_write (fixture, "in.csv", customers_csv);
  g_autofree char *output = g_build_filename (fixture->dir, "out.csv", NULL);
  g_autofree char *exported = NULL;

  {
    g_auto(KassaCliRun) run = { 0 };
    kassa_cli_fixture_run (fixture, &run, NULL, (const char *[]) { "customers", "import", input, NULL });
    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpstr (run.out, ==, "Imported 2 customers\n");
    g_assert_cmpint (run.status, ==, 0);
  }

  {
    g_auto(KassaCliRun) run = { 0 };
    kassa_cli_fixture_run (fixture, &run, NULL, (const char *[]) { "customers", "list", NULL });
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.err, ==, "");
    /* One line each: id, name, e-mail, phone; a tab in a name shows as a space. */
    g_assert_cmpstr (run.out, ==,
                     "2\tAda Lovelace\tada@example.org\t+44 20 7946 0000\n"
                     "3\tBob Builder\t\t\n");
  }

  {
    g_auto(KassaCliRun) run = { 0 };
    kassa_cli_fixture_run (fixture, &run, NULL, (const char *[]) { "customers", "export", output, NULL });
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpstr (run.out, ==, "Exported 2 customers\n");
  }

  g_file_get_contents (output, &exported, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (exported, ==,
                   "\"name\",\"email\",\"phone\",\"billing_address\",\"shipping_address\"\r\n"
                   "\"Ada Lovelace\",\"ada@example.org\",\"+44 20 7946 0000\",\"\",\"  Flat 2B\n  London \"\r\n"
                   "\"Bob\tBuilder\",\"\",\"\",\"\",\"\"\r\n");
}

static void
test_import_error (KassaCliFixture *fixture,
                   gconstpointer    data)
{
  g_autofree char *bad = kassa_cli_fixture_write (fixture, "bad.csv",
                                     "name,email\nAda,ada@example.org\nBob,bob at example\n");
  g_autofree char *expected = g_strdup_printf ("kassa-cli: %s: line 3, column “email”: "
                                               "“bob at example” is not an e-mail address\n", bad);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.csv", NULL);

  {
    g_auto(KassaCliRun) run = { 0 };
    kassa_cli_fixture_run (fixture, &run, NULL, (const char *[]) { "customers", "import", bad, NULL });
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.out, ==, "");
    g_assert_cmpstr (run.err, ==, expected);
  }

  /* Nothing of the file went in, not even the good first row. */
  {
    g_auto(KassaCliRun) run = { 0 };
    kassa_cli_fixture_run (fixture, &run, NULL, (const char *[]) { "customers", "list", NULL });
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "");
  }

  {
    g_auto(KassaCliRun) run = { 0 };
    kassa_cli_fixture_run (fixture, &run, NULL, (const char *[]) { "customers", "import", missing, NULL });
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.out, ==, "");
    g_assert_true (g_str_has_prefix (run.err, "kassa-cli: "));
    g_assert_nonnull (strstr (run.err, "missing.csv"));
    g_assert_cmpuint (strlen (run.err), ==, (gsize) (strchr (run.err, '\n') - run.err) + 1);
  }
}


/* Lines 3, 5 and 9 are bad; line 7 is the second line of a quoted field. */
static const char *three_bad_rows =
  "\xEF\xBB\xBF" "email,name,billing_address\n"
  "ada@example.org,Ada,\n"
  "bob at example,Bob,\n"
  "carl@example.org,Carl,\"Main Street 1, Zürich\"\n"
  "dan@example.org,,\n"
  "eve@example.org,Eve,\"Flat 2,\nLondon\"\n"
  ",Fay,\n"
  "gus@example.org,Gus\xE9,\n"
  ",Hal,\n";

static void
test_import_every_bad_row (KassaCliFixture *fixture,
                           gconstpointer    data)
{
  g_autofree char *input = kassa_cli_fixture_write (fixture, "bad.csv", three_bad_rows);
  g_autofree char *expected = g_strdup_printf ("kassa-cli: %s: 3 invalid rows; nothing imported\n"
                                               "line 3, column “email”: “bob at example” is not an e-mail address\n"
                                               "line 5, column “name”: a customer needs a name\n"
                                               "line 9: the text is not UTF-8; save the file as UTF-8\n", input);

  {
    g_auto(KassaCliRun) run = { 0 };
    kassa_cli_fixture_run (fixture, &run, NULL, (const char *[]) { "customers", "import", input, NULL });
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.out, ==, "");
    g_assert_cmpstr (run.err, ==, expected);
  }

  {
    g_auto(KassaCliRun) run = { 0 };
    kassa_cli_fixture_run (fixture, &run, NULL, (const char *[]) { "customers", "list", NULL });
    g_assert_cmpstr (run.out, ==, "");
  }
}

static void
test_import_skip_invalid (KassaCliFixture *fixture,
                          gconstpointer    data)
{
  g_autofree char *input = kassa_cli_fixture_write (fixture, "bad.csv", three_bad_rows);
  g_autofree char *expected = g_strdup_printf ("%s: line 3, column “email”: “bob at example” is not an e-mail address\n"
                                               "%s: line 5, column “name”: a customer needs a name\n"
                                               "%s: line 9: the text is not UTF-8; save the file as UTF-8\n",
                                               input, input, input);

  {
    g_auto(KassaCliRun) run = { 0 };
    kassa_cli_fixture_run (fixture, &run, NULL, (const char *[]) { "customers", "import", "--skip-invalid", "--decimal", ",", input, NULL });
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "Imported 5 customers; skipped 3 invalid rows\n");
    g_assert_cmpstr (run.err, ==, expected);
  }

  {
    g_auto(KassaCliRun) run = { 0 };
    kassa_cli_fixture_run (fixture, &run, NULL, (const char *[]) { "customers", "list", NULL });
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==,
                     "2\tAda\tada@example.org\t\n"
                     "3\tCarl\tcarl@example.org\t\n"
                     "4\tEve\teve@example.org\t\n"
                     "5\tFay\t\t\n"
                     "6\tHal\t\t\n");
  }
}


static void
test_import_progress (KassaCliFixture *fixture,
                      gconstpointer    data)
{
  g_autoptr(GString) text = g_string_new ("name,email\n");
  g_autofree char *input = NULL;

  for (guint i = 1; i <= 20000; i++)
    g_string_append_printf (text, "Person %u,\"p%u@example.org\"\n", i, i);
  input = kassa_cli_fixture_write (fixture, "many.csv", text->str);

  {
    g_auto(KassaCliRun) run = { 0 };
    kassa_cli_fixture_run (fixture, &run, NULL, (const char *[]) { "customers", "import", "--progress", input, NULL });
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "Imported 20000 customers\n");
    g_assert_cmpstr (run.err, ==, "Importing customers… 10000 rows\nImporting customers… 20000 rows\n");
  }
}

static void
assert_usage (KassaCliFixture     *fixture,
              const char * const *argv,
              const char         *message)
{
  g_auto(KassaCliRun) run = { 0 };
  g_autofree char *expected = g_strdup_printf ("kassa-cli: %s\nTry “kassa-cli --help” for more information.\n",
                                               message);

  kassa_cli_fixture_run (fixture, &run, NULL, argv);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpstr (run.err, ==, expected);
}

static void
test_usage (KassaCliFixture *fixture,
            gconstpointer    data)
{
  assert_usage (fixture, (const char *[]) { "customers", NULL },
                "customers needs an action: list, import FILE or export FILE");
  assert_usage (fixture, (const char *[]) { "customers", "delete", NULL },
                "Unknown customers action “delete”; use list, import or export");
  assert_usage (fixture, (const char *[]) { "customers", "import", NULL },
                "customers import needs one FILE");
  assert_usage (fixture, (const char *[]) { "customers", "export", "a.csv", "b.csv", NULL },
                "customers export needs one FILE");
  assert_usage (fixture, (const char *[]) { "customers", "import", "--skip-invalid", NULL },
                "customers import needs one FILE");
  assert_usage (fixture, (const char *[]) { "customers", "import", "--decimal", "x", "a.csv", NULL },
                "--decimal takes “.” or “,”");
  assert_usage (fixture, (const char *[]) { "customers", "list", "extra", NULL },
                "customers list takes no arguments");

  /* A usage error touches no database. */
  g_assert_false (g_file_test (fixture->database, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/cli-customers/" path, KassaCliFixture, NULL, kassa_cli_fixture_set_up, func, kassa_cli_fixture_tear_down)

  ADD ("import-list-export", test_import_list_export);
  ADD ("import-error", test_import_error);
  ADD ("import-every-bad-row", test_import_every_bad_row);
  ADD ("import-skip-invalid", test_import_skip_invalid);
  ADD ("import-progress", test_import_progress);
  ADD ("usage", test_usage);

  return g_test_run ();
}
