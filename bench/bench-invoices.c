/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-invoices"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <glib/gstdio.h>

#include "kassa-bench.h"
#include "kassa-invoice-repository.h"
#include "kassa-store-private.h"

/* Issuing, loading and listing invoices in a database on disk, with the
 * durability the shop runs with (WAL, synchronous=FULL). Usage:
 * bench-invoices [N]; N invoices are issued one transaction each, then
 * N more in one transaction. */

static KassaInvoice *
make_draft (GRand *rand,
            gint64 customer_id)
{
  KassaInvoice *invoice = g_object_new (KASSA_TYPE_INVOICE,
                                        "customer-id", customer_id,
                                        "currency-code", "EUR",
                                        "buyer-name", "Bench GmbH",
                                        NULL);

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(KassaInvoiceLine) line = g_object_new (KASSA_TYPE_INVOICE_LINE,
                                                       "name", "Line",
                                                       "quantity", (gint64) 1000 * g_rand_int_range (rand, 1, 5),
                                                       "unit-price", (gint64) g_rand_int_range (rand, 1, 100000),
                                                       "tax-rate", (gint64) (i % 2 == 0 ? 190000 : 70000),
                                                       NULL);

      kassa_invoice_add_line (invoice, line, NULL);
    }

  return invoice;
}

static void
issue_many (KassaInvoiceRepository   *repo,
            KassaInvoiceNumberFormat *format,
            GRand                    *rand,
            guint                     n,
            guint                    *counter)
{
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 11, 28, 10, 0, 0);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KassaInvoice) invoice = make_draft (rand, 1 + (*counter % 2));
      g_autofree char *token = g_strdup_printf ("bench-token-%020u", (*counter)++);

      if (!kassa_invoice_repository_issue (repo, invoice, format, when, NULL, token, &error))
        g_error ("Issuing failed: %s", error->message);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(KassaDatabase) db = NULL;
  g_autoptr(KassaInvoiceRepository) repo = NULL;
  g_autoptr(KassaInvoiceNumberFormat) format = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  KassaInvoiceFilter filter = KASSA_INVOICE_FILTER_INIT;
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 1000;
  guint counter = 0;
  guint64 count = 0;
  gint64 start;
  gint64 elapsed;

  dir = g_dir_make_tmp ("kassa-bench-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "kassa.db", NULL);
  db = kassa_database_open (path, &error);
  g_assert_no_error (error);
  repo = kassa_invoice_repository_new (db);
  format = kassa_invoice_number_format_new (KASSA_INVOICE_NUMBER_DEFAULT_PATTERN, &error);
  g_assert_no_error (error);
  kassa_database_exec (db, "INSERT INTO customer (id, name, created_at, updated_at) "
                           "VALUES (2, 'Bench', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')", &error);
  g_assert_no_error (error);

  start = now_ns ();
  issue_many (repo, format, rand, n, &counter);
  elapsed = now_ns () - start;
  printf ("issue, one transaction each:   %6u invoices  %8.1f µs/invoice\n", n, elapsed / 1e3 / n);

  start = now_ns ();
  kassa_database_begin (db, &error);
  g_assert_no_error (error);
  issue_many (repo, format, rand, n, &counter);
  kassa_database_commit (db, &error);
  g_assert_no_error (error);
  elapsed = now_ns () - start;
  printf ("issue, all in one transaction: %6u invoices  %8.1f µs/invoice\n", n, elapsed / 1e3 / n);

  start = now_ns ();
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *reference = g_strdup_printf ("INV-2026-%05u", g_rand_int_range (rand, 1, 2 * n + 1));
      g_autoptr(KassaInvoice) invoice = kassa_invoice_repository_load_by_reference (repo, reference, &error);

      g_assert_no_error (error);
    }
  elapsed = now_ns () - start;
  printf ("load by reference (5 lines):   %6u loads     %8.1f µs/load\n", n, elapsed / 1e3 / n);

  filter.customer_id = 2;
  start = now_ns ();
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GPtrArray) page = kassa_invoice_repository_list (repo, &filter, (i * 50) % n, 50, &error);

      g_assert_no_error (error);
    }
  elapsed = now_ns () - start;
  printf ("list a page of 50 (customer):  %6u pages     %8.1f µs/page\n", 100, elapsed / 1e3 / 100);

  start = now_ns ();
  kassa_invoice_repository_count (repo, &filter, &count, &error);
  g_assert_no_error (error);
  elapsed = now_ns () - start;
  printf ("count (customer):              %6" G_GUINT64_FORMAT " invoices  %8.1f µs\n", count, elapsed / 1e3);

  g_clear_object (&repo);
  g_clear_object (&db);
  for (const char *suffix = ""; suffix != NULL; suffix = g_str_equal (suffix, "") ? "-wal" :
                                                         g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *file = g_strconcat (path, suffix, NULL);

      g_unlink (file);
    }
  g_rmdir (dir);

  return 0;
}
