/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kassa-test-cli.h"

#define RUN(fixture, run, input, ...) \
  kassa_cli_fixture_run ((fixture), (run), (input), (const char *[]) { __VA_ARGS__, NULL })

static void
test_backup_restore (KassaCliFixture *fixture,
                     gconstpointer    data)
{
  g_autofree char *backup = kassa_cli_fixture_path (fixture, "copy.db");
  g_autofree char *previous = g_strconcat (fixture->database, ".pre-restore", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *csv = kassa_cli_fixture_write (fixture, "in.csv",
                                                  "name,email\nAda Lovelace,ada@example.org\n");

  {
    g_auto(KassaCliRun) run = { 0 };
    RUN (fixture, &run, NULL, "customers", "import", csv);
    g_assert_cmpint (run.status, ==, 0);
  }

  {
    g_auto(KassaCliRun) run = { 0 };
    RUN (fixture, &run, NULL, "backup", backup);
    expected = g_strdup_printf ("Backed up %s to %s\n", fixture->database, backup);
    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpstr (run.out, ==, expected);
    g_assert_cmpint (run.status, ==, 0);
  }

  /* A customer added after the backup is gone once it is restored, and
   * the store as it was before the restore is kept beside it. */
  {
    g_auto(KassaCliRun) run = { 0 };
    g_autofree char *more = kassa_cli_fixture_write (fixture, "more.csv", "name\nGrace Hopper\n");
    RUN (fixture, &run, NULL, "customers", "import", more);
    g_assert_cmpint (run.status, ==, 0);
  }

  {
    g_auto(KassaCliRun) run = { 0 };
    RUN (fixture, &run, NULL, "restore", backup);
    g_assert_cmpstr (run.err, ==, "");
    g_assert_nonnull (strstr (run.out, "the previous store is kept as"));
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_file_test (previous, G_FILE_TEST_IS_REGULAR));
  }

  {
    g_auto(KassaCliRun) run = { 0 };
    RUN (fixture, &run, NULL, "customers", "list");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "Ada Lovelace"));
    g_assert_null (strstr (run.out, "Grace Hopper"));
  }
}

static void
test_restore_refuses_bad_file (KassaCliFixture *fixture,
                               gconstpointer    data)
{
  g_autofree char *junk = kassa_cli_fixture_write (fixture, "junk.db", "this is not a database");
  g_autofree char *csv = kassa_cli_fixture_write (fixture, "in.csv", "name\nAda Lovelace\n");

  {
    g_auto(KassaCliRun) run = { 0 };
    RUN (fixture, &run, NULL, "customers", "import", csv);
    g_assert_cmpint (run.status, ==, 0);
  }

  {
    g_auto(KassaCliRun) run = { 0 };
    RUN (fixture, &run, NULL, "restore", junk);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.out, ==, "");
    g_assert_true (g_str_has_prefix (run.err, "kassa-cli: "));
    g_assert_nonnull (strstr (run.err, "junk.db"));
    /* One clear line. */
    g_assert_cmpint (strchr (run.err, '\n') - run.err, ==, (int) strlen (run.err) - 1);
  }

  /* The store in place is untouched. */
  {
    g_auto(KassaCliRun) run = { 0 };
    RUN (fixture, &run, NULL, "customers", "list");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "Ada Lovelace"));
  }
}

static void
test_journal_verify (KassaCliFixture *fixture,
                     gconstpointer    data)
{
  g_auto(KassaCliRun) run = { 0 };

  RUN (fixture, &run, NULL, "journal", "verify");
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpstr (run.out, ==, "The journal is intact: 0 entries verified\n");
  g_assert_cmpint (run.status, ==, 0);
}

static void
test_usage (KassaCliFixture *fixture,
            gconstpointer    data)
{
  const char *cases[][3] = {
    { "backup", NULL, NULL },
    { "backup", "a.db", "b.db" },
    { "restore", NULL, NULL },
    { "journal", NULL, NULL },
    { "journal", "check", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(KassaCliRun) run = { 0 };

      kassa_cli_fixture_run (fixture, &run, NULL, cases[i]);
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
  g_test_add ("/kassa/cli-maintenance/" path, KassaCliFixture, NULL, \
              kassa_cli_fixture_set_up, func, kassa_cli_fixture_tear_down)

  ADD ("backup-restore", test_backup_restore);
  ADD ("restore-refuses-bad-file", test_restore_refuses_bad_file);
  ADD ("journal-verify", test_journal_verify);
  ADD ("usage", test_usage);

  return g_test_run ();
}
