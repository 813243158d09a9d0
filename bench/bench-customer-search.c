/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-customer-search"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <time.h>

#include "kassa-bench.h"
#include "kassa-customer-repository.h"

/* How long a customer search takes as the cashier types, on a shop with
 * many customers: search scans and case-folds every row. */

static const char *first_names[] = { "Ada", "Élise", "Bob", "Chen", "Dagmar", "Emil", "Fatima", "Gustav" };
static const char *last_names[] = { "Lovelace", "Dupont", "Builder", "Wei", "Öberg", "Nakamura", "Rossi" };

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kassa-bench-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "bench.db", NULL);
  g_autoptr(KassaDatabase) db = NULL;
  g_autoptr(KassaCustomerRepository) repo = NULL;
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  const char *prefixes[] = { "a", "el", "ÉLI", "dag", "bob b", "+41 7", "chen.w", "zzz" };
  gint64 start;

  db = kassa_database_open (path, &error);
  g_assert_no_error (error);
  repo = kassa_customer_repository_new (db);

  start = now_ns ();
  g_assert_true (kassa_database_begin (db, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KassaCustomer) customer = kassa_customer_new ();
      g_autofree char *name = g_strdup_printf ("%s %s %u", first_names[i % G_N_ELEMENTS (first_names)],
                                               last_names[(i / 8) % G_N_ELEMENTS (last_names)], i);
      g_autofree char *email = g_strdup_printf ("customer%u@example.org", i);
      g_autofree char *phone = g_strdup_printf ("+41 7%08u", i);

      kassa_customer_set_name (customer, name);
      kassa_customer_set_email (customer, email);
      kassa_customer_set_phone (customer, phone);
      g_assert_true (kassa_customer_repository_insert (repo, customer, &error));
    }
  g_assert_true (kassa_database_commit (db, &error));
  printf ("insert %u customers: %.1f ms\n", n, (now_ns () - start) / 1e6);

  for (guint p = 0; p < G_N_ELEMENTS (prefixes); p++)
    {
      g_autoptr(GPtrArray) found = NULL;

      start = now_ns ();
      found = kassa_customer_repository_search (repo, prefixes[p], 50, &error);
      g_assert_no_error (error);
      printf ("search “%s” (first 50 of the matches, by name): %u found, %.1f ms\n",
              prefixes[p], found->len, (now_ns () - start) / 1e6);
    }

  for (guint offset = 0; offset < n; offset += n / 4)
    {
      g_autoptr(GPtrArray) page = NULL;

      start = now_ns ();
      page = kassa_customer_repository_list (repo, offset, 50, &error);
      g_assert_no_error (error);
      printf ("list page at %u: %.1f ms\n", offset, (now_ns () - start) / 1e6);
    }

  g_clear_object (&repo);
  g_clear_object (&db);
  {
    const char *suffixes[] = { "", "-wal", "-shm" };
    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
        g_unlink (file);
      }
  }
  g_rmdir (dir);

  return 0;
}
