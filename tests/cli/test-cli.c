/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
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

/* Runs kassa-cli with @argv (NULL-terminated, without the program) and
 * @input on its standard input. */
static void
run_cli (Run                *run,
         const char         *input,
         const char * const *argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("KASSA_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (args, (gpointer) cli);
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

static void
test_cli_help (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, (const char *[]) { "--help", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Usage: kassa-cli"));
  g_assert_nonnull (strstr (run.out, "--database PATH"));
  g_assert_cmpstr (run.err, ==, "");
}

static void
test_cli_version (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, (const char *[]) { "--version", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "kassa-cli " PACKAGE_VERSION "\n");
}

static void
assert_usage_error (const char * const *argv,
                    const char         *message)
{
  g_auto(Run) run = { 0 };
  g_autofree char *expected = g_strdup_printf ("kassa-cli: %s\n", message);

  run_cli (&run, NULL, argv);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (g_str_has_prefix (run.err, expected));
}

static void
test_cli_usage_errors (void)
{
  assert_usage_error ((const char *[]) { NULL }, "No command given");
  assert_usage_error ((const char *[]) { "frobnicate", NULL }, "Unknown command “frobnicate”");
  assert_usage_error ((const char *[]) { "--colour", "quote", NULL }, "Unknown option “--colour”");
  assert_usage_error ((const char *[]) { "--database", NULL }, "--database needs a PATH");
  assert_usage_error ((const char *[]) { "--database=", "quote", NULL }, "--database needs a PATH");
}

static void
test_cli_quote (void)
{
  g_auto(Run) run = { 0 };
  const char *input =
    "{\"currency\":\"EUR\",\"lines\":["
    "{\"name\":\"A\",\"quantity\":\"3\",\"unit_price\":\"0.99\",\"tax_rate\":\"20\"},"
    "{\"name\":\"B\",\"quantity\":\"2\",\"unit_price\":\"2.97\",\"tax_rate\":\"20\"},"
    "{\"name\":\"C\",\"quantity\":\"1\",\"unit_price\":\"8.05\",\"tax_rate\":\"5.5\"}]}";

  /* Quotes need no database: point at one that does not exist. */
  run_cli (&run, input, (const char *[]) { "--database", "/nonexistent/kassa.db", "quote", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpstr (run.out, ==,
                   "{\"currency\":\"EUR\",\"untaxed\":\"16.96\",\"tax\":\"2.22\",\"total\":\"19.18\","
                   "\"cash_rounding\":\"0.00\",\"taxes\":["
                   "{\"rate\":\"5.5\",\"base\":\"8.05\",\"amount\":\"0.44\"},"
                   "{\"rate\":\"20\",\"base\":\"8.91\",\"amount\":\"1.78\"}],\"lines\":["
                   "{\"name\":\"A\",\"net\":\"2.97\",\"tax\":\"0.59\"},"
                   "{\"name\":\"B\",\"net\":\"5.94\",\"tax\":\"1.19\"},"
                   "{\"name\":\"C\",\"net\":\"8.05\",\"tax\":\"0.44\"}]}\n");
}

/* A failure is exit status 1 and exactly one line on standard error. */
static void
assert_quote_fails (const char *input,
                    const char *expected_line)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, input, (const char *[]) { "quote", NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpstr (run.err, ==, expected_line);
}

static void
test_cli_quote_errors (void)
{
  g_auto(Run) run = { 0 };

  assert_quote_fails ("{\"currency\":\"XXY\",\"lines\":[]}",
                      "kassa-cli: currency: unknown currency code “XXY”\n");
  assert_quote_fails ("{\"currency\":\"EUR\",\"lines\":[{\"name\":\"A\",\"quantity\":\"1\","
                      "\"unit_price\":\"0.995\",\"tax_rate\":\"20\"}]}",
                      "kassa-cli: lines[0].unit_price: 0.995 has more decimals than EUR allows\n");
  assert_quote_fails ("{\"currency\":\"EUR\",\"lines\":[{\"name\":\"A\",\"unit_price\":\"1\","
                      "\"tax_rate\":\"20\"}]}",
                      "kassa-cli: lines[0].quantity: missing\n");

  /* Arguments to quote are a usage error. */
  run_cli (&run, "{}", (const char *[]) { "quote", "extra", NULL });
  g_assert_cmpint (run.status, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/cli/help", test_cli_help);
  g_test_add_func ("/kassa/cli/version", test_cli_version);
  g_test_add_func ("/kassa/cli/usage-errors", test_cli_usage_errors);
  g_test_add_func ("/kassa/cli/quote", test_cli_quote);
  g_test_add_func ("/kassa/cli/quote-errors", test_cli_quote_errors);

  return g_test_run ();
}
