/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-till"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "kassa-bench.h"
#include "kassa-catalog-repository.h"
#include "kassa-money.h"
#include "kassa-shift-repository.h"
#include "kassa-shop-private.h"
#include "kassa-shop-staff.h"
#include "kassa-till.h"

/* The till as a cashier works it: how long a scan takes to become a cart
 * line, a keystroke to become search results, and a sale to complete,
 * over a large catalog. */

#define INSERT_BATCH   10000
#define N_SCANS        2000
#define LINES_PER_SALE 20
#define N_SEARCHES     1000

static const char *words[] = {
  "Organic", "Dark", "Roasted", "Fresh", "Smoked", "Coffee", "Beans", "Tea", "Bread", "Cheese",
  "Butter", "Honey", "Apples", "Pears", "Chocolate", "Cookies", "Pasta", "Rice", "Olives", "Mug",
};

static void
report (const char *what,
        GArray     *samples)
{
  g_array_sort (samples, compare_gint64);
  printf ("%-40s median %9.3f ms   p99 %9.3f ms   (n = %u)\n", what,
          g_array_index (samples, gint64, samples->len / 2) / 1e6,
          g_array_index (samples, gint64, MIN (samples->len - 1, samples->len * 99 / 100)) / 1e6,
          samples->len);
}

static void
make_barcode (guint n,
              char  out[14])
{
  g_snprintf (out, 14, "200%010u", n);
}

static void
generate (KassaShop *shop,
          guint      n_items,
          GRand     *rand)
{
  KassaDatabase *database = kassa_shop_get_database (shop);
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (database);
  g_autoptr(GError) error = NULL;
  gint64 start = now_ns ();

  for (guint n = 1; n <= n_items; n++)
    {
      g_autoptr(KassaCatalogItem) item = kassa_catalog_item_new ();
      g_autofree char *name = NULL;
      g_autofree char *sku = g_strdup_printf ("SKU-%07u", n);
      char barcode[14];

      if ((n - 1) % INSERT_BATCH == 0 && !kassa_database_begin (database, &error))
        g_error ("%s", error->message);

      name = g_strdup_printf ("%s %s %s %u", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                              words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                              words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))], n % 1000);
      make_barcode (n, barcode);
      kassa_catalog_item_set_name (item, name);
      kassa_catalog_item_set_sku (item, sku);
      kassa_catalog_item_set_barcode (item, barcode);
      kassa_catalog_item_set_price (item, g_rand_int_range (rand, 50, 100000));
      kassa_catalog_item_set_currency_code (item, "EUR");
      kassa_catalog_item_set_tax_rate (item, 200000);
      kassa_catalog_item_set_stock_on_hand (item, 1000 * KASSA_QUANTITY_ONE);
      kassa_catalog_item_set_status (item, KASSA_ITEM_STATUS_ACTIVE);

      if (kassa_catalog_repository_insert (repository, item, &error) == 0)
        g_error ("%s", error->message);

      if ((n % INSERT_BATCH == 0 || n == n_items) && !kassa_database_commit (database, &error))
        g_error ("%s", error->message);
    }

  printf ("%-40s %9.1f s\n", "generate and insert", (now_ns () - start) / 1e9);
}

static void
prepare_staff (KassaShop *shop)
{
  g_autoptr(KassaShiftRepository) shifts = kassa_shift_repository_new (kassa_shop_get_database (shop));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  gint64 staff_id;

  staff_id = kassa_shop_create_staff (shop, "Bench", KASSA_STAFF_ROLE_ADMIN, "2468", KASSA_PIN_COST_MINIMUM, &error);
  if (staff_id == 0 || !kassa_shop_sign_in (shop, staff_id, "2468", now, &error) ||
      kassa_shift_repository_open (shifts, NULL, staff_id, "EUR", 0, &error) == 0)
    g_error ("%s", error->message);
}

static void
bench_scans (KassaTill *till,
             guint      n_items,
             GRand     *rand)
{
  g_autoptr(GArray) scans = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) sales = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < N_SCANS; i++)
    {
      g_autoptr(GError) error = NULL;
      char barcode[14];
      gint64 start;
      gint64 elapsed;

      make_barcode (g_rand_int_range (rand, 1, n_items + 1), barcode);
      start = now_ns ();
      if (!kassa_till_add_barcode (till, barcode, NULL, &error))
        g_error ("%s", error->message);
      elapsed = now_ns () - start;
      g_array_append_val (scans, elapsed);

      if ((i + 1) % LINES_PER_SALE == 0)
        {
          g_autoptr(KassaOrder) order = NULL;
          gint64 due = 0;
          gint64 change;

          if (!kassa_till_compute_amount_due (till, TRUE, &due, &error))
            g_error ("%s", error->message);
          start = now_ns ();
          order = kassa_till_pay_cash (till, due, &change, &error);
          if (order == NULL)
            g_error ("%s", error->message);
          elapsed = now_ns () - start;
          g_array_append_val (sales, elapsed);
        }
    }

  report ("scan to cart line", scans);
  report ("cash sale of 20 lines, to a new cart", sales);
}

static void
bench_search (KassaTill *till,
              GRand     *rand)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < N_SEARCHES; i++)
    {
      g_autoptr(GPtrArray) found = NULL;
      g_autoptr(GError) error = NULL;
      const char *word = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];
      /* What the entry holds after one, two, three… keystrokes. */
      g_autofree char *text = g_strndup (word, g_rand_int_range (rand, 1, strlen (word) + 1));
      gint64 start = now_ns ();
      gint64 elapsed;

      found = kassa_till_search (till, text, 50, &error);
      if (found == NULL)
        g_error ("%s", error->message);
      elapsed = now_ns () - start;
      g_array_append_val (samples, elapsed);
    }

  report ("keystroke to 50 search results", samples);
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  const guint32 seed = 7;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaShop) shop = NULL;
  g_autoptr(KassaTill) till = NULL;
  g_autoptr(GPtrArray) staff = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  int n_items = 100000;
  gint64 start;
  GOptionEntry entries[] = {
    { "items", 0, 0, G_OPTION_ARG_INT, &n_items, "Catalog size (default 100000)", "N" },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_items < 1)
    {
      fprintf (stderr, "%s\n", error != NULL ? error->message : "--items must be at least 1");
      return EXIT_FAILURE;
    }

  dir = g_dir_make_tmp ("kassa-bench-till-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "shop.db", NULL);

  printf ("till benchmark, seed %u, %d items\n", seed, n_items);

  shop = kassa_shop_open (path, &error);
  if (shop == NULL)
    g_error ("%s", error->message);
  prepare_staff (shop);
  generate (shop, n_items, rand);
  g_clear_object (&shop);

  /* From nothing to a till ready for the first scan: open the store,
   * sign in, resume or start the cart. */
  start = now_ns ();
  shop = kassa_shop_open (path, &error);
  if (shop == NULL)
    g_error ("%s", error->message);
  staff = kassa_shop_list_staff (shop, &error);
  if (staff == NULL || staff->len == 0)
    g_error ("No staff: %s", error != NULL ? error->message : "none");
  kassa_shop_set_actor (shop, g_ptr_array_index (staff, 0));
  till = kassa_till_new (shop, &error);
  if (till == NULL)
    g_error ("%s", error->message);
  printf ("%-40s %9.3f ms\n", "open the store to a usable till", (now_ns () - start) / 1e6);

  bench_search (till, rand);
  bench_scans (till, n_items, rand);

  g_clear_object (&till);
  g_clear_object (&shop);
  remove_dir (dir);

  return EXIT_SUCCESS;
}
