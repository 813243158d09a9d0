/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kassa-test-cli.h"

#define RUN(fixture, run, input, ...) \
  kassa_cli_fixture_run ((fixture), (run), (input), (const char *[]) { __VA_ARGS__, NULL })

static void
test_default (KassaCliFixture *fixture,
              gconstpointer    data)
{
  {
    g_auto(KassaCliRun) run = { 0 };
    RUN (fixture, &run, NULL, "demo");
    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "40 catalog items, 20 customers, 60 orders, 3 invoices"));
    /* The PINs are printed so a person can sign in. */
    g_assert_nonnull (strstr (run.out, "Demo Admin     PIN 1234\n"));
    g_assert_nonnull (strstr (run.out, "Demo Cashier   PIN 0000\n"));
  }

  /* Sixty sales and three invoices, all in an intact journal. */
  {
    g_auto(KassaCliRun) run = { 0 };
    RUN (fixture, &run, NULL, "journal", "verify");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "63 entries"));
  }

  {
    g_auto(KassaCliRun) run = { 0 };
    RUN (fixture, &run, NULL, "products", "search", "croissant");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "Butter croissant"));
    g_assert_nonnull (strstr (run.out, "Almond croissant"));
  }

  /* A second run would mix demo data into a store: refused, untouched. */
  {
    g_auto(KassaCliRun) run = { 0 };
    RUN (fixture, &run, NULL, "demo", "--products", "100");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.out, ==, "");
    g_assert_nonnull (strstr (run.err, "already has 40 catalog items"));
  }

  {
    g_auto(KassaCliRun) run = { 0 };
    RUN (fixture, &run, NULL, "journal", "verify");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "63 entries"));
  }
}

static void
test_sizes (KassaCliFixture *fixture,
            gconstpointer    data)
{
  g_auto(KassaCliRun) run = { 0 };

  RUN (fixture, &run, NULL, "demo", "--products", "250", "--orders", "7", "--seed", "99");
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "250 catalog items, 20 customers, 7 orders, 3 invoices"));
}

static void
test_usage (KassaCliFixture *fixture,
            gconstpointer    data)
{
  {
    g_auto(KassaCliRun) run = { 0 };
    RUN (fixture, &run, NULL, "demo", "--products", "many");
    g_assert_cmpint (run.status, ==, 2);
  }

  {
    g_auto(KassaCliRun) run = { 0 };
    RUN (fixture, &run, NULL, "demo", "--orders", "-3");
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "--orders"));
  }

  {
    g_auto(KassaCliRun) run = { 0 };
    RUN (fixture, &run, NULL, "demo", "extra");
    g_assert_cmpint (run.status, ==, 2);
  }

  {
    g_auto(KassaCliRun) run = { 0 };
    RUN (fixture, &run, NULL, "demo", "--currency", "XYZ");
    g_assert_cmpint (run.status, ==, 1);
  }

  /* Nothing was written by the refused runs. */
  {
    g_auto(KassaCliRun) run = { 0 };
    RUN (fixture, &run, NULL, "demo", "--products", "40", "--orders", "2");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "40 catalog items, 20 customers, 2 orders"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/cli-demo/" path, KassaCliFixture, NULL, \
              kassa_cli_fixture_set_up, func, kassa_cli_fixture_tear_down)

  ADD ("default", test_default);
  ADD ("sizes", test_sizes);
  ADD ("usage", test_usage);

  return g_test_run ();
}
