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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/cli/help", test_cli_help);
  g_test_add_func ("/kassa/cli/version", test_cli_version);
  g_test_add_func ("/kassa/cli/usage-errors", test_cli_usage_errors);

  return g_test_run ();
}
