/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kassa-test-cli.h"

#define RUN(fixture, run, input, ...) \
  kassa_cli_fixture_run ((fixture), (run), (input), (const char *[]) { __VA_ARGS__, NULL })

static const char *orders_json =
  "[{\"number\": \"W-1001\", \"customer\": {\"name\": \"Ada Lovelace\", \"email\": \"ada@example.org\"},"
  "  \"currency\": \"EUR\", \"prices_include_tax\": true,"
  "  \"lines\": [{\"sku\": \"TEA-1\", \"name\": \"Green tea\", \"quantity\": \"2\", \"unit_price\": \"4.50\", \"tax_rate\": \"7\"},"
  "             {\"name\": \"Teapot\", \"quantity\": 1, \"unit_price\": \"29.90\", \"tax_rate\": \"19\","
  "              \"delivery_method\": \"delivery\"}],"
  "  \"shipping_cost\": \"4.90\", \"shipping_address\": \"12 Analytical Row\\nLondon\","
  "  \"payment\": {\"status\": \"paid\", \"method\": \"Visa\", \"amount\": \"43.80\", \"paid_at\": \"2026-03-01T10:00:00Z\"}},"
  " {\"customer\": {\"name\": \"A. Lovelace\", \"email\": \"ADA@example.org\"}, \"currency\": \"EUR\","
  "  \"lines\": [{\"name\": \"Cake\", \"quantity\": \"1.5\", \"unit_price\": \"3.00\", \"tax_rate\": \"7\"}]}]\n";

static const char *imported =
  "[{\"id\":1,\"number\":\"W-1001\",\"total\":\"43.80\"},{\"id\":2,\"number\":\"S-000002\",\"total\":\"4.50\"}]\n";

/* The standard output of a tool reading what kassa-cli wrote; NULL
 * (and the test skipped) when the tool is not installed. */
static char *
run_tool (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *program = g_find_program_in_path (argv[0]);
  char *out = NULL;
  int status;

  if (program == NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s is not installed", argv[0]);

      g_test_skip (message);
      return NULL;
    }

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  return out;
}

static void
import_orders (KassaCliFixture *fixture)
{
  g_auto(KassaCliRun) run = { 0 };
  g_autofree char *path = kassa_cli_fixture_write (fixture, "orders.json", orders_json);

  RUN (fixture, &run, NULL, "orders", "import", path);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpstr (run.out, ==, imported);
  g_assert_cmpint (run.status, ==, 0);
}

static void
test_import (KassaCliFixture *fixture,
             gconstpointer    data)
{
  import_orders (fixture);

  /* The same from standard input: numbered on. */
  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, "[{\"customer\": {\"name\": \"Grace\"}, \"currency\": \"EUR\","
                        "\"lines\": [{\"name\": \"Tea\", \"quantity\": 1, \"unit_price\": \"2.00\", \"tax_rate\": 7}]}]",
         "orders", "import", "-");
    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpstr (run.out, ==, "[{\"id\":3,\"number\":\"S-000003\",\"total\":\"2.00\"}]\n");
    g_assert_cmpint (run.status, ==, 0);
  }
}

static void
test_progress (KassaCliFixture *fixture,
               gconstpointer    data)
{
  g_auto(KassaCliRun) run = { 0 };
  g_autoptr(GString) json = g_string_new ("[");
  g_auto(GStrv) lines = NULL;

  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (json, "%s{\"customer\": {\"name\": \"C%u\", \"email\": \"c%u@example.org\"},"
                                  "\"currency\": \"EUR\", \"lines\": [{\"name\": \"Tea\", \"quantity\": \"1\","
                                  "\"unit_price\": \"2.00\", \"tax_rate\": \"7\"}]}",
                            i > 0 ? "," : "", i % 50, i % 50);
  g_string_append (json, "]");

  /* Standard error is no terminal here: a line every tenth, and the
   * result alone on standard output. */
  RUN (fixture, &run, json->str, "orders", "import", "-");
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.err, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 11);
  g_assert_cmpstr (lines[0], ==, "Importing orders… 100/1000");
  g_assert_cmpstr (lines[9], ==, "Importing orders… 1000/1000");
  g_assert_true (g_str_has_prefix (run.out, "[{\"id\":1,\"number\":\"S-000001\",\"total\":\"2.00\"},"));
  g_assert_true (g_str_has_suffix (run.out, "{\"id\":1000,\"number\":\"S-001000\",\"total\":\"2.00\"}]\n"));
}

static void
test_bad_json (KassaCliFixture *fixture,
               gconstpointer    data)
{
  static const struct { const char *input; const char *err; } cases[] = {
    { "[{\"customer\": {\"name\": \"A\"}, \"currency\": \"EUR\","
      "\"lines\": [{\"name\": \"A\", \"quantity\": \"1\", \"unit_price\": 1.5, \"tax_rate\": \"7\"}]}]",
      "kassa-cli: orders[0].lines[0].unit_price: must be a decimal number written as a string, such as \"12.50\"\n" },
    { "[{\"customer\": {\"name\": \"A\"}, \"currency\": \"EUR\", \"total\": \"9.99\","
      "\"lines\": [{\"name\": \"A\", \"quantity\": \"1\", \"unit_price\": \"1\", \"tax_rate\": \"7\"}]}]",
      "kassa-cli: orders[0].total: states 9.99 but the lines come to 1.00 under the store’s tax settings\n" },
    { "[{\"customer\": {\"name\": \"A\"}, \"currency\": \"EUR\"}]",
      "kassa-cli: orders[0].lines: is required\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(KassaCliRun) run = { 0 };

      RUN (fixture, &run, cases[i].input, "orders", "import", "-");
      g_assert_cmpstr (run.out, ==, "");
      g_assert_cmpstr (run.err, ==, cases[i].err);
      g_assert_cmpint (run.status, ==, 1);
    }

  /* Not JSON at all: still one line, naming what was read. */
  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, "[{\"customer\": ", "orders", "import", "-");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_true (g_str_has_prefix (run.err, "kassa-cli: orders: not valid JSON"));
    g_assert_cmpuint (strlen (run.err), >, 0);
    g_assert_true (strchr (run.err, '\n') == run.err + strlen (run.err) - 1);
  }

  /* Nothing was stored by any of them. */
  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "orders", "list");
    g_assert_cmpstr (run.out, ==, "");
    g_assert_cmpint (run.status, ==, 0);
  }

  {
    g_auto(KassaCliRun) run = { 0 };
    g_autofree char *missing = kassa_cli_fixture_path (fixture, "missing.json");

    RUN (fixture, &run, NULL, "orders", "import", missing);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_true (g_str_has_prefix (run.err, "kassa-cli: "));
  }
}

static void
test_usage (KassaCliFixture *fixture,
            gconstpointer    data)
{
  static const char * const cases[][6] = {
    { "orders", NULL },
    { "orders", "ship", NULL },
    { "orders", "import", NULL },
    { "orders", "import", "a.json", "b.json", NULL },
    { "orders", "list", "--limit", "0", NULL },
    { "orders", "list", "--status", "lost", NULL },
    { "orders", "list", "--bogus", NULL },
    { "orders", "show", NULL },
    { "orders", "receipt", "1", NULL },
    { "orders", "receipt", "1", "-o", "receipt.txt", NULL },
    { "orders", "receipt", "1", "-o", "receipt.pdf", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(KassaCliRun) run = { 0 };

      kassa_cli_fixture_run (fixture, &run, NULL, cases[i]);
      g_test_message ("case %u: %s", i, run.err);
      if (i == G_N_ELEMENTS (cases) - 1)
        {
          /* A well-formed command for an order that does not exist fails
           * (1), it is not misused (2). */
          g_assert_cmpint (run.status, ==, 1);
          continue;
        }
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_true (g_str_has_prefix (run.err, "kassa-cli: "));
      g_assert_nonnull (strstr (run.err, "kassa-cli --help"));
    }

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "orders", "receipt", "1", "-o", "r.pdf", "--paper", "70");
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "--paper is 58 or 80"));
  }
}

static void
test_list_show (KassaCliFixture *fixture,
                gconstpointer    data)
{
  import_orders (fixture);

  {
    g_auto(KassaCliRun) run = { 0 };
    g_auto(GStrv) lines = NULL;

    RUN (fixture, &run, NULL, "orders", "list");
    g_assert_cmpint (run.status, ==, 0);
    lines = g_strsplit (run.out, "\n", -1);
    /* Newest first: the unpaid one was imported just now. */
    g_assert_cmpuint (g_strv_length (lines), ==, 3);
    g_assert_true (g_str_has_prefix (lines[0], "S-000002\t"));
    g_assert_true (g_str_has_suffix (lines[0], "\tAda Lovelace\t4.50 EUR\tcreated\tunfulfilled"));
    g_assert_cmpstr (lines[1], ==, "W-1001\t2026-03-01T10:00:00Z\tAda Lovelace\t43.80 EUR\tpaid\tunfulfilled");
  }

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "orders", "list", "--json", "--status", "paid", "--limit", "5");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_str_has_prefix (run.out, "[{\"id\":1,\"number\":\"W-1001\","));
    g_assert_null (strstr (run.out, "S-000002"));
    g_assert_nonnull (strstr (run.out, "\"total\":\"43.80\""));
  }

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "orders", "list", "--limit", "1");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "S-000002"));
    g_assert_null (strstr (run.out, "W-1001"));
  }

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "orders", "show", "W-1001", "--json");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.err, ==, "");
    g_assert_true (g_str_has_prefix (run.out, "{\"id\":1,\"number\":\"W-1001\",\"mode\":\"manual\","
                                              "\"payment_status\":\"paid\""));
    g_assert_nonnull (strstr (run.out, "\"shipping_address\":\"12 Analytical Row\\nLondon\""));
    g_assert_nonnull (strstr (run.out, "\"created_at\":\"2026-03-01T10:00:00Z\""));
    g_assert_nonnull (strstr (run.out, "{\"sku\":\"TEA-1\",\"name\":\"Green tea\",\"quantity\":\"2\","
                                       "\"unit_price\":\"4.50\",\"tax_rate\":\"7\",\"delivery_method\":\"none\","
                                       "\"net\":\"8.41\",\"tax\":\"0.59\",\"total\":\"9.00\"}"));
    g_assert_true (g_str_has_suffix (run.out, "}\n"));
    /* One line, for scripts. */
    g_assert_true (strchr (run.out, '\n') == run.out + strlen (run.out) - 1);
  }

  {
    g_auto(KassaCliRun) run = { 0 };

    /* By id as well as by number. */
    RUN (fixture, &run, NULL, "orders", "show", "2", "--json");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "\"number\":\"S-000002\""));
  }

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "orders", "show", "W-404");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.out, ==, "");
    g_assert_cmpstr (run.err, ==, "kassa-cli: No order has the id or number “W-404”\n");
  }
}

static char *
audit_count (KassaCliFixture *fixture,
             const char      *action)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit_log WHERE action = '%s' "
                                          "AND entity_kind = 'order' AND entity_id = '1'", action);
  const char *argv[] = { "sqlite3", fixture->database, sql, NULL };

  return run_tool (argv);
}

static void
test_receipt (KassaCliFixture *fixture,
              gconstpointer    data)
{
  g_autofree char *pdf = kassa_cli_fixture_path (fixture, "receipt.pdf");
  g_autofree char *again = kassa_cli_fixture_path (fixture, "again.pdf");
  g_autofree char *png = kassa_cli_fixture_path (fixture, "receipt.png");
  g_autofree char *escpos = kassa_cli_fixture_path (fixture, "receipt.escpos");
  g_autofree char *expected = NULL;
  g_autofree char *text = NULL;
  g_autofree char *count = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  import_orders (fixture);

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "orders", "receipt", "W-1001", "-o", pdf);
    expected = g_strdup_printf ("Wrote the receipt of order W-1001 to %s\n", pdf);
    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpstr (run.out, ==, expected);
    g_assert_cmpint (run.status, ==, 0);
  }

  {
    const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };

    text = run_tool (argv);
    if (text == NULL)
      return;
    g_assert_nonnull (strstr (text, "W-1001"));
    g_assert_nonnull (strstr (text, "Green tea"));
    g_assert_null (strstr (text, "DUPLICATE"));
    g_clear_pointer (&text, g_free);
  }

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "orders", "receipt", "1", "-o", again, "--paper", "58");
    g_clear_pointer (&expected, g_free);
    expected = g_strdup_printf ("Wrote reprint 1 of the receipt of order W-1001 to %s\n", again);
    g_assert_cmpstr (run.out, ==, expected);
    g_assert_cmpint (run.status, ==, 0);
  }

  {
    const char *argv[] = { "pdftotext", "-enc", "UTF-8", again, "-", NULL };
    const char *info_argv[] = { "pdfinfo", again, NULL };
    g_autofree char *info = NULL;

    text = run_tool (argv);
    g_assert_nonnull (strstr (text, "DUPLICATE"));
    g_assert_nonnull (strstr (text, "Reprint 1"));
    g_assert_nonnull (strstr (text, "W-1001"));
    /* 58 mm paper is 164.41 points wide. */
    info = run_tool (info_argv);
    g_assert_nonnull (strstr (info, "164.409 x "));
  }

  count = audit_count (fixture, "receipt.reprint");
  if (count != NULL)
    g_assert_cmpstr (count, ==, "1\n");
  g_clear_pointer (&count, g_free);
  count = audit_count (fixture, "receipt.print");
  if (count != NULL)
    g_assert_cmpstr (count, ==, "1\n");

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "orders", "receipt", "W-1001", "-o", png);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_file_get_contents (png, &contents, &length, NULL));
    g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);
    g_clear_pointer (&contents, g_free);
  }

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "orders", "receipt", "W-1001", "-o", escpos, "--paper", "80");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "reprint 3"));
    g_assert_true (g_file_get_contents (escpos, &contents, &length, NULL));
    /* ESC @, then raster rows 72 bytes (576 dots) wide, then the cut. */
    g_assert_cmpmem (contents, 2, "\x1b@", 2);
    g_assert_cmpmem (contents + 2, 6, "\x1dv0\0\x48\0", 6);
    g_assert_cmpmem (contents + length - 4, 4, "\x1dV\x42\0", 4);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/cli-orders/" path, KassaCliFixture, NULL, \
              kassa_cli_fixture_set_up, func, kassa_cli_fixture_tear_down)

  ADD ("import", test_import);
  ADD ("progress", test_progress);
  ADD ("bad-json", test_bad_json);
  ADD ("usage", test_usage);
  ADD ("list-show", test_list_show);
  ADD ("receipt", test_receipt);

#undef ADD

  return g_test_run ();
}
