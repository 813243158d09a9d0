/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-orders"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <glib/gstdio.h>

#include "kassa-bench.h"
#include "kassa-currency.h"
#include "kassa-database.h"
#include "kassa-document-totals.h"
#include "kassa-money.h"
#include "kassa-order-repository.h"

/* Usage: bench-orders [N_ORDERS [DIRECTORY]]
 * Writes N_ORDERS (100000 by default) orders of 1–10 lines into a fresh
 * database under DIRECTORY (a temporary one by default, removed after),
 * each in its own transaction as the till does, then times loads and
 * first pages. The figures include synchronous=FULL commits, so they
 * depend on the disk more than on the CPU. */

#define PAGE_SIZE 50

static void
print_latencies (const char *what,
                 GArray     *samples)
{
  gint64 sum = 0;

  g_array_sort (samples, compare_gint64);
  for (guint i = 0; i < samples->len; i++)
    sum += g_array_index (samples, gint64, i);

  printf ("%-44s mean %8.1f µs  p50 %8.1f µs  p99 %8.1f µs  (%u runs)\n", what,
          (double) sum / samples->len / 1000.0,
          g_array_index (samples, gint64, samples->len / 2) / 1000.0,
          g_array_index (samples, gint64, samples->len * 99 / 100) / 1000.0,
          samples->len);
}

static KassaOrder *
make_order (GRand     *rand,
            guint      index,
            GDateTime *created_at)
{
  static const gint64 rates[] = { 0, 70000, 100000, 190000 };
  static const char * const names[] = { "Espresso", "Croissant", "Coffee beans 1 kg", "Mug",
                                        "Cheese by weight", "Tea", "Bread", "Gift card" };
  const KassaCurrency *eur = kassa_currency_lookup ("EUR", NULL);
  KassaTaxSettings settings = { eur, TRUE, KASSA_TAX_SCOPE_DOCUMENT, KASSA_ROUNDING_HALF_UP };
  g_autoptr(KassaTotals) totals = NULL;
  g_autofree char *number = g_strdup_printf ("2026-%07u", index + 1);
  KassaOrder *order = kassa_order_new ();
  gboolean stripe = g_rand_int_range (rand, 0, 5) == 0;
  guint n_lines = g_rand_int_range (rand, 1, 11);
  guint tender = g_rand_int_range (rand, 0, 10);
  gint64 total;

  kassa_order_set_number (order, number, NULL);
  kassa_order_set_customer_id (order, 1, NULL);
  kassa_order_set_currency_code (order, "EUR", NULL);
  kassa_order_set_mode (order, stripe ? KASSA_ORDER_MODE_STRIPE : KASSA_ORDER_MODE_MANUAL, NULL);
  kassa_order_set_prices_include_tax (order, TRUE, NULL);
  kassa_order_set_created_at (order, created_at, NULL);
  if (g_rand_int_range (rand, 0, 10) == 0)
    {
      kassa_order_set_delivery_method (order, KASSA_DELIVERY_METHOD_DELIVERY, NULL);
      kassa_order_set_shipping_cost (order, 490, NULL);
      kassa_order_set_shipping_tax_rate (order, 190000, NULL);
      kassa_order_set_shipping_address (order, "Jürgen Müller\nHauptstraße 1\n10115 Berlin", NULL);
    }

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(KassaOrderLine) line = kassa_order_line_new ();

      kassa_order_line_set_name (line, names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))], NULL);
      kassa_order_line_set_quantity (line, g_rand_int_range (rand, 0, 5) == 0
                                             ? g_rand_int_range (rand, 100, 3000)
                                             : KASSA_QUANTITY_ONE * g_rand_int_range (rand, 1, 4), NULL);
      kassa_order_line_set_unit_price (line, g_rand_int_range (rand, 50, 5000), NULL);
      kassa_order_line_set_tax_rate (line, rates[g_rand_int_range (rand, 0, G_N_ELEMENTS (rates))], NULL);
      kassa_order_add_line (order, line, NULL);
    }

  totals = kassa_order_compute_totals (order, &settings, 0, NULL);
  total = kassa_totals_get_total (totals);

  /* 2 % never paid, else cash, card, or cash and card split. */
  if (tender < 9 || g_rand_int_range (rand, 0, 5) != 0)
    {
      gint64 first = tender == 8 && total > 1 ? total / 2 : total;
      g_autoptr(KassaPayment) payment = kassa_payment_new ();

      kassa_payment_set_provider_id (payment, stripe || tender >= 5 ? "stripe_terminal" : "cash");
      kassa_payment_set_amount (payment, first);
      kassa_payment_set_currency_code (payment, "EUR");
      kassa_payment_set_paid_at (payment, created_at);
      kassa_order_add_payment (order, payment, NULL);

      if (first != total)
        {
          g_autoptr(KassaPayment) rest = kassa_payment_new ();

          kassa_payment_set_provider_id (rest, "cash");
          kassa_payment_set_amount (rest, total - first);
          kassa_payment_set_currency_code (rest, "EUR");
          kassa_payment_set_paid_at (rest, created_at);
          kassa_order_add_payment (order, rest, NULL);
        }

      kassa_order_set_payment_status (order, KASSA_PAYMENT_STATUS_PAID, NULL);
      kassa_order_set_paid_at (order, created_at);
      if (g_rand_int_range (rand, 0, 3) == 0)
        kassa_order_set_fulfilment_status (order, KASSA_FULFILMENT_STATUS_PREPARING, NULL);
      if (stripe)
        kassa_order_set_certified (order, TRUE, NULL);
    }
  else
    kassa_order_set_payment_status (order, KASSA_PAYMENT_STATUS_FAILED, NULL);

  return order;
}

static void
time_list (KassaOrderRepository   *repository,
           const char             *what,
           const KassaOrderFilter *filter,
           guint                   runs)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint found = 0;

  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GListModel) page = NULL;
      gint64 start = now_ns (), elapsed;

      page = kassa_order_repository_list (repository, filter, NULL, PAGE_SIZE, &error);
      elapsed = now_ns () - start;
      if (page == NULL)
        g_error ("Listing failed: %s", error->message);
      found = g_list_model_get_n_items (page);
      g_array_append_val (samples, elapsed);
    }

  {
    g_autofree char *label = g_strdup_printf ("first page, %s (%u orders)", what, found);

    print_latencies (label, samples);
  }
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

int
main (int   argc,
      char *argv[])
{
  const guint32 seed = 4217;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) db = NULL;
  g_autoptr(KassaOrderRepository) repository = NULL;
  g_autoptr(GArray) inserts = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) loads = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GDateTime) start_time = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  guint n_orders = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 100000;
  gboolean own_dir = argc <= 2;
  gint64 insert_ns = 0, n_lines = 0;
  KassaOrderFilter filter = { 0, };

  dir = own_dir ? g_dir_make_tmp ("kassa-bench-XXXXXX", &error) : g_strdup (argv[2]);
  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "bench-orders.db", NULL);
  wal = g_strconcat (path, "-wal", NULL);

  db = kassa_database_open (path, &error);
  if (db == NULL)
    g_error ("%s", error->message);
  repository = kassa_order_repository_new (db);

  printf ("bench-orders: %u orders, seed %u, %s\n", n_orders, seed, path);

  /* A year of trading, a few minutes apart, oldest first as at the till. */
  start_time = g_date_time_new (utc, 2025, 11, 28, 8, 0, 0);
  for (guint i = 0; i < n_orders; i++)
    {
      g_autoptr(GDateTime) created = g_date_time_add_seconds (start_time, (double) i * 315.0 +
                                                              g_rand_double_range (rand, 0, 60));
      g_autoptr(KassaOrder) order = make_order (rand, i, created);
      gint64 t0, elapsed;

      n_lines += g_list_model_get_n_items (kassa_order_get_lines (order));

      t0 = now_ns ();
      if (kassa_order_repository_insert (repository, order, NULL, &error) == 0)
        g_error ("Insert %u failed: %s", i, error->message);
      elapsed = now_ns () - t0;

      insert_ns += elapsed;
      g_array_append_val (inserts, elapsed);

      if ((i + 1) % 20000 == 0)
        fprintf (stderr, "  %u orders stored\n", i + 1);
    }

  printf ("insert, one transaction per order: %.0f orders/s (%.1f lines per order on average)\n",
          n_orders / (insert_ns / 1e9), (double) n_lines / n_orders);
  print_latencies ("insert latency", inserts);

  for (guint i = 0; i < 10000; i++)
    {
      gint64 id = g_rand_int_range (rand, 1, n_orders + 1);
      g_autoptr(KassaOrder) order = NULL;
      gint64 t0 = now_ns (), elapsed;

      order = kassa_order_repository_load (repository, id, &error);
      elapsed = now_ns () - t0;
      if (order == NULL)
        g_error ("Load %" G_GINT64_FORMAT " failed: %s", id, error->message);
      g_array_append_val (loads, elapsed);
    }
  print_latencies ("load by id (with lines and payments)", loads);

  time_list (repository, "no filter", NULL, 200);

  filter.by_payment_status = TRUE;
  filter.payment_status = KASSA_PAYMENT_STATUS_PAID;
  time_list (repository, "paid", &filter, 200);

  filter.payment_status = KASSA_PAYMENT_STATUS_FAILED;
  time_list (repository, "failed (2 %)", &filter, 50);

  memset (&filter, 0, sizeof filter);
  filter.by_mode = TRUE;
  filter.mode = KASSA_ORDER_MODE_STRIPE;
  filter.by_fulfilment_status = TRUE;
  filter.fulfilment_status = KASSA_FULFILMENT_STATUS_PREPARING;
  time_list (repository, "stripe + preparing", &filter, 200);

  memset (&filter, 0, sizeof filter);
  filter.customer_id = 1;
  time_list (repository, "customer", &filter, 200);

  memset (&filter, 0, sizeof filter);
  filter.created_from = g_date_time_new (utc, 2026, 3, 1, 0, 0, 0);
  filter.created_until = g_date_time_new (utc, 2026, 3, 8, 0, 0, 0);
  time_list (repository, "one week in March", &filter, 200);
  g_date_time_unref (filter.created_from);
  g_date_time_unref (filter.created_until);

  printf ("database file: %.1f MiB (+ %.1f MiB write-ahead log), %.0f bytes per order\n",
          file_size (path) / 1048576.0, file_size (wal) / 1048576.0,
          (double) (file_size (path) + file_size (wal)) / n_orders);

  g_clear_object (&repository);
  g_clear_object (&db);

  if (own_dir)
    {
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_unlink (wal);
      g_unlink (shm);
      g_unlink (path);
      g_rmdir (dir);
    }

  return 0;
}
