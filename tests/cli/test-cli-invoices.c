/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kassa-test-cli.h"

#define RUN(fixture, run, input, ...) \
  kassa_cli_fixture_run ((fixture), (run), (input), (const char *[]) { __VA_ARGS__, NULL })

static const char *invoices_json =
  "[{\"customer\": {\"name\": \"Grace Hopper\", \"email\": \"grace@example.org\"}, \"currency\": \"EUR\","
  "  \"prices_include_tax\": false, \"issue_date\": \"2026-03-02\", \"due_date\": \"2026-03-16\","
  "  \"lines\": [{\"name\": \"Consulting\", \"description\": \"Compiler review, March\", \"quantity\": \"3\","
  "              \"unit_price\": \"120.00\", \"tax_rate\": \"19\"},"
  "             {\"name\": \"Travel\", \"quantity\": 1, \"unit_price\": \"80.00\", \"tax_rate\": \"7\"}],"
  "  \"issue\": true},"
  " {\"customer\": {\"name\": \"Grace Hopper\", \"email\": \"grace@example.org\"}, \"currency\": \"EUR\","
  "  \"prices_include_tax\": false, \"issue_date\": \"2026-03-05\", \"due_date\": \"2099-04-04\","
  "  \"lines\": [{\"name\": \"Workshop\", \"quantity\": \"1\", \"unit_price\": \"500\", \"tax_rate\": \"19\"}],"
  "  \"issue\": false}]";

static const char *imported =
  "[{\"id\":1,\"reference\":\"INV-2026-00001\",\"untaxed\":\"440.00\",\"tax\":\"74.00\",\"total\":\"514.00\"},"
  "{\"id\":2,\"reference\":null,\"untaxed\":\"500.00\",\"tax\":\"95.00\",\"total\":\"595.00\"}]\n";

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
import_invoices (KassaCliFixture *fixture)
{
  g_auto(KassaCliRun) run = { 0 };

  RUN (fixture, &run, invoices_json, "invoices", "import", "-");
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpstr (run.out, ==, imported);
  g_assert_cmpint (run.status, ==, 0);
}

static void
test_import_issue (KassaCliFixture *fixture,
                   gconstpointer    data)
{
  g_autofree char *path = kassa_cli_fixture_write (fixture, "more.json",
                                                   "[{\"customer\": {\"name\": \"Linus\"}, \"currency\": \"EUR\","
                                                   "\"issue_date\": \"2026-05-01\", \"due_date\": \"2026-05-31\","
                                                   "\"lines\": [{\"name\": \"Support\", \"quantity\": \"1\","
                                                   "\"unit_price\": \"119.00\", \"tax_rate\": \"19\"}],"
                                                   "\"issue\": true}]");

  import_invoices (fixture);

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "invoices", "issue", "2");
    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpstr (run.out, ==, "INV-2026-00002\n");
    g_assert_cmpint (run.status, ==, 0);
  }

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "invoices", "issue", "2");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.err, ==, "kassa-cli: Invoice 2 is already issued as INV-2026-00002\n");
  }

  {
    g_auto(KassaCliRun) run = { 0 };

    /* From a file, gross prices as the store's default: 119.00 holds 19.00 tax. */
    RUN (fixture, &run, NULL, "invoices", "import", path);
    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpstr (run.out, ==, "[{\"id\":3,\"reference\":\"INV-2026-00003\",\"untaxed\":\"100.00\","
                                  "\"tax\":\"19.00\",\"total\":\"119.00\"}]\n");
    g_assert_cmpint (run.status, ==, 0);
  }
}

static void
test_list_show (KassaCliFixture *fixture,
                gconstpointer    data)
{
  import_invoices (fixture);

  {
    g_auto(KassaCliRun) run = { 0 };
    g_auto(GStrv) lines = NULL;

    RUN (fixture, &run, NULL, "invoices", "list");
    g_assert_cmpint (run.status, ==, 0);
    lines = g_strsplit (run.out, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 3);
    g_assert_true (g_strv_contains ((const char * const *) lines,
                                    "INV-2026-00001\tinvoice\tissued\t2026-03-02\tGrace Hopper\t514.00 EUR"));
    g_assert_true (g_strv_contains ((const char * const *) lines,
                                    "2\tinvoice\tdraft\t2026-03-05\tGrace Hopper\t595.00 EUR"));
  }

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "invoices", "list", "--json", "--status", "draft");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_str_has_prefix (run.out, "[{\"id\":2,\"kind\":\"invoice\",\"status\":\"draft\",\"reference\":null,"));
    g_assert_null (strstr (run.out, "INV-2026-00001"));
  }

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "invoices", "show", "INV-2026-00001", "--json");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.err, ==, "");
    g_assert_true (g_str_has_prefix (run.out, "{\"id\":1,\"kind\":\"invoice\",\"status\":\"issued\","
                                              "\"reference\":\"INV-2026-00001\""));
    g_assert_nonnull (strstr (run.out, "\"issue_date\":\"2026-03-02\",\"due_date\":\"2026-03-16\","
                                       "\"untaxed\":\"440.00\",\"tax\":\"74.00\",\"total\":\"514.00\""));
    g_assert_nonnull (strstr (run.out, "{\"name\":\"Consulting\",\"description\":\"Compiler review, March\","
                                       "\"quantity\":\"3\",\"unit_price\":\"120.00\",\"tax_rate\":\"19\","
                                       "\"net\":\"360.00\",\"tax\":\"68.40\",\"total\":\"428.40\"}"));
    g_assert_true (strchr (run.out, '\n') == run.out + strlen (run.out) - 1);
  }

  {
    g_auto(KassaCliRun) run = { 0 };

    /* Without --json, the same spread out for people. */
    RUN (fixture, &run, NULL, "invoices", "show", "1");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "\"reference\" : \"INV-2026-00001\""));
  }

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "invoices", "show", "INV-1999-00001");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.err, ==, "kassa-cli: No invoice has the reference or id “INV-1999-00001”\n");
  }
}

static void
test_pdf (KassaCliFixture *fixture,
          gconstpointer    data)
{
  g_autofree char *a4 = kassa_cli_fixture_path (fixture, "invoice.pdf");
  g_autofree char *letter = kassa_cli_fixture_path (fixture, "letter.pdf");
  g_autofree char *draft = kassa_cli_fixture_path (fixture, "draft.pdf");
  g_autofree char *expected = NULL;

  import_invoices (fixture);

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "invoices", "pdf", "INV-2026-00001", "-o", a4);
    expected = g_strdup_printf ("Wrote INV-2026-00001 to %s\n", a4);
    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpstr (run.out, ==, expected);
    g_assert_cmpint (run.status, ==, 0);
  }

  {
    const char *text_argv[] = { "pdftotext", "-enc", "UTF-8", a4, "-", NULL };
    const char *info_argv[] = { "pdfinfo", a4, NULL };
    g_autofree char *text = run_tool (text_argv);
    g_autofree char *info = NULL;

    if (text == NULL)
      return;
    g_assert_nonnull (strstr (text, "INV-2026-00001"));
    g_assert_nonnull (strstr (text, "Grace Hopper"));
    g_assert_nonnull (strstr (text, "Compiler review, March"));
    g_assert_nonnull (strstr (text, "514.00"));
    info = run_tool (info_argv);
    g_assert_nonnull (strstr (info, "595.276 x 841.89"));
  }

  {
    /* Every figure printed once: the travel line's unit price and net,
     * and the 7 % base of the tax table. */
    const char *raw_argv[] = { "pdftotext", "-raw", "-enc", "UTF-8", a4, "-", NULL };
    g_autofree char *raw = run_tool (raw_argv);
    guint n = 0;

    for (const char *p = raw; (p = strstr (p, "€80.00")) != NULL; p++)
      n++;
    g_assert_cmpuint (n, ==, 3);
  }

  {
    g_auto(KassaCliRun) run = { 0 };
    const char *info_argv[] = { "pdfinfo", letter, NULL };
    g_autofree char *info = NULL;

    RUN (fixture, &run, NULL, "invoices", "pdf", "1", "-o", letter, "--page", "letter");
    g_assert_cmpint (run.status, ==, 0);
    info = run_tool (info_argv);
    g_assert_nonnull (strstr (info, "612 x 792"));
  }

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "invoices", "pdf", "2", "-o", draft);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.err, ==, "kassa-cli: Invoice 2 is a draft: issue it before printing it\n");
    g_assert_false (g_file_test (draft, G_FILE_TEST_EXISTS));
  }
}

static void
test_order_link (KassaCliFixture *fixture,
                 gconstpointer    data)
{
  g_autofree char *receipt = kassa_cli_fixture_path (fixture, "receipt.pdf");
  g_autofree char *link = NULL;

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, "[{\"number\": \"W-7\", \"customer\": {\"name\": \"Ada\", \"email\": \"ada@example.org\"},"
                        "\"currency\": \"EUR\", \"lines\": [{\"name\": \"Tea\", \"quantity\": \"2\","
                        "\"unit_price\": \"4.50\", \"tax_rate\": \"7\"}],"
                        "\"payment\": {\"status\": \"paid\", \"method\": \"Cash\", \"amount\": \"9.00\"}}]",
         "orders", "import", "-");
    g_assert_cmpint (run.status, ==, 0);
  }

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "invoices", "link-base", "gopher://k.example/");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.err, ==, "kassa-cli: “gopher://k.example/” is not an http or https address\n");
  }

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "invoices", "link-base", "https://k.example/i");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "");
  }

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "invoices", "order", "W-7");
    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpstr (run.out, ==, "INV-2026-00001\n");
    g_assert_cmpint (run.status, ==, 0);
  }

  {
    g_auto(KassaCliRun) run = { 0 };
    const char *start;

    RUN (fixture, &run, NULL, "invoices", "show", "INV-2026-00001", "--json");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "\"status\":\"paid\""));
    g_assert_nonnull (strstr (run.out, "\"order_id\":1,"));
    start = strstr (run.out, "\"public_link\":\"https://k.example/i/");
    g_assert_nonnull (start);
    start += strlen ("\"public_link\":\"");
    link = g_strndup (start, strchr (start, '"') - start);
    /* The base and a 32-character token. */
    g_assert_cmpuint (strlen (link), ==, strlen ("https://k.example/i/") + 32);
  }

  {
    g_auto(KassaCliRun) run = { 0 };
    const char *argv[] = { "pdftotext", "-enc", "UTF-8", receipt, "-", NULL };
    g_autofree char *text = NULL;
    g_autoptr(GString) squeezed = g_string_new (NULL);
    g_autoptr(GString) squeezed_link = g_string_new (NULL);

    RUN (fixture, &run, NULL, "orders", "receipt", "W-7", "-o", receipt);
    g_assert_cmpint (run.status, ==, 0);
    text = run_tool (argv);
    if (text == NULL)
      return;
    /* The link may wrap on the narrow paper: read it without the breaks,
     * and without hyphens, which pdftotext drops at the end of a line. */
    for (const char *p = text; *p != '\0'; p++)
      if (!g_ascii_isspace (*p) && *p != '-')
        g_string_append_c (squeezed, *p);
    for (const char *p = link; *p != '\0'; p++)
      if (*p != '-')
        g_string_append_c (squeezed_link, *p);
    g_assert_nonnull (strstr (squeezed->str, squeezed_link->str));
    g_assert_nonnull (strstr (text, "W-7"));
  }

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "invoices", "order", "W-7");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.err, ==, "kassa-cli: Order W-7 is already invoiced as INV-2026-00001\n");
  }

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "invoices", "link-base", "--clear");
    g_assert_cmpint (run.status, ==, 0);
  }

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "invoices", "link-base");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "");
  }
}

static void
test_bad_json_and_usage (KassaCliFixture *fixture,
                         gconstpointer    data)
{
  static const char * const usage_cases[][8] = {
    { "invoices", NULL },
    { "invoices", "void", NULL },
    { "invoices", "import", NULL },
    { "invoices", "issue", NULL },
    { "invoices", "issue", "INV-2026-00001", NULL },
    { "invoices", "list", "--status", "lost", NULL },
    { "invoices", "pdf", "1", NULL },
    { "invoices", "pdf", "1", "-o", "invoice.png", NULL },
    { "invoices", "pdf", "1", "-o", "invoice.pdf", "--page", "a5", NULL },
    { "invoices", "show", NULL },
    { "invoices", "order", NULL },
    { "invoices", "link-base", "https://a.example/", "https://b.example/", NULL },
  };

  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, "[{\"customer\": {\"name\": \"A\"}, \"currency\": \"EUR\", \"issue_date\": \"2026-03-01\","
                        "\"due_date\": \"2026-03-31\", \"lines\": [{\"name\": \"A\", \"quantity\": \"1\","
                        "\"unit_price\": \"1\", \"tax_rate\": \"seven\"}]}]",
         "invoices", "import", "-");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.out, ==, "");
    g_assert_true (g_str_has_prefix (run.err, "kassa-cli: invoices[0].lines[0].tax_rate: "));
    g_assert_true (strchr (run.err, '\n') == run.err + strlen (run.err) - 1);
  }

  for (guint i = 0; i < G_N_ELEMENTS (usage_cases); i++)
    {
      g_auto(KassaCliRun) run = { 0 };

      kassa_cli_fixture_run (fixture, &run, NULL, usage_cases[i]);
      g_test_message ("case %u: %s", i, run.err);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_true (g_str_has_prefix (run.err, "kassa-cli: "));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/cli-invoices/" path, KassaCliFixture, NULL, \
              kassa_cli_fixture_set_up, func, kassa_cli_fixture_tear_down)

  ADD ("import-issue", test_import_issue);
  ADD ("list-show", test_list_show);
  ADD ("pdf", test_pdf);
  ADD ("order-link", test_order_link);
  ADD ("bad-json-and-usage", test_bad_json_and_usage);

#undef ADD

  return g_test_run ();
}
