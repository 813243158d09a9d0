/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-catalog"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "kassa-bench.h"
#include "kassa-catalog-import.h"
#include "kassa-catalog-model.h"
#include "kassa-catalog-repository.h"

#define INSERT_BATCH 10000
#define N_QUERIES 1000
#define N_PAGES 200

static const char *adjectives[] = {
  "Organic", "Dark", "Roasted", "Fresh", "Smoked", "Spicy", "Sweet", "Salted", "Golden", "Wild",
  "Crispy", "Creamy", "Frozen", "Dried", "Premium", "Classic", "Rustic", "Tender", "Bitter", "Mild",
  "Crème", "Épicé", "Süß", "Ländlich", "Café",
};

static const char *nouns[] = {
  "Coffee", "Beans", "Tea", "Bread", "Cheese", "Butter", "Honey", "Apples", "Pears", "Oranges",
  "Chocolate", "Cookies", "Pasta", "Rice", "Olives", "Tomatoes", "Pepper", "Salt", "Sugar", "Flour",
  "Milk", "Yoghurt", "Juice", "Water", "Soap", "Candles", "Notebook", "Pencil", "Mug", "Plate",
  "Towel", "Brush", "Sponge", "Basket", "Gloves", "Scarf", "Socks", "Batteries", "Charger", "Cable",
};

static const char *units[] = { "250 g", "500 g", "1 kg", "1 l", "6 pack", "12 pack", "small", "large" };

/* Prints the median and 99th percentile of @samples (ns) in µs. */
static void
report (const char *what,
        GArray     *samples)
{
  g_array_sort (samples, compare_gint64);
  printf ("%-40s median %9.1f µs   p99 %9.1f µs   (n = %u)\n", what,
          g_array_index (samples, gint64, samples->len / 2) / 1000.0,
          g_array_index (samples, gint64, MIN (samples->len - 1, samples->len * 99 / 100)) / 1000.0,
          samples->len);
}

/* An EAN-13 starting with 200 (in-store numbers), with its check digit. */
static void
make_barcode (guint  n,
              char   out[14])
{
  int sum = 0;

  g_snprintf (out, 14, "200%09u", n);
  for (int i = 0; i < 12; i++)
    sum += (out[i] - '0') * (i % 2 ? 3 : 1);
  out[12] = '0' + (10 - sum % 10) % 10;
  out[13] = '\0';
}

static void
describe_item (GRand  *rand,
               guint   n,
               char  **name,
               char  **sku,
               char  **barcode,
               char  **description,
               gint64 *price)
{
  char code[14];

  *name = g_strdup_printf ("%s %s %s %s",
                           adjectives[g_rand_int_range (rand, 0, G_N_ELEMENTS (adjectives))],
                           nouns[g_rand_int_range (rand, 0, G_N_ELEMENTS (nouns))],
                           nouns[g_rand_int_range (rand, 0, G_N_ELEMENTS (nouns))],
                           units[g_rand_int_range (rand, 0, G_N_ELEMENTS (units))]);
  *sku = g_strdup_printf ("SKU-%07u", n);
  make_barcode (n, code);
  *barcode = g_strdup (code);
  *description = g_strdup_printf ("Batch %u, shelf %c%u", n % 977, 'A' + n % 26, n % 50);
  *price = g_rand_int_range (rand, 50, 100000);
}

static void
generate (KassaDatabase *database,
          guint          n_items,
          GRand         *rand)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (database);
  g_autoptr(GError) error = NULL;
  gint64 start = now_ns ();

  for (guint n = 1; n <= n_items; n++)
    {
      g_autoptr(KassaCatalogItem) item = kassa_catalog_item_new ();
      g_autofree char *name = NULL, *sku = NULL, *barcode = NULL, *description = NULL;
      gint64 price;

      if ((n - 1) % INSERT_BATCH == 0 && !kassa_database_begin (database, &error))
        g_error ("%s", error->message);

      describe_item (rand, n, &name, &sku, &barcode, &description, &price);
      kassa_catalog_item_set_name (item, name);
      kassa_catalog_item_set_sku (item, sku);
      kassa_catalog_item_set_barcode (item, barcode);
      kassa_catalog_item_set_description (item, description);
      kassa_catalog_item_set_price (item, price);
      kassa_catalog_item_set_currency_code (item, "EUR");
      kassa_catalog_item_set_tax_rate (item, 200000);
      kassa_catalog_item_set_stock_on_hand (item, g_rand_int_range (rand, 0, 100) * 1000);
      kassa_catalog_item_set_status (item, n % 20 == 0 ? KASSA_ITEM_STATUS_DRAFT : KASSA_ITEM_STATUS_ACTIVE);
      kassa_catalog_item_set_sort_order (item, g_rand_int_range (rand, 0, 10));

      if (kassa_catalog_repository_insert (repository, item, &error) == 0)
        g_error ("%s", error->message);

      if ((n % INSERT_BATCH == 0 || n == n_items) && !kassa_database_commit (database, &error))
        g_error ("%s", error->message);
    }

  printf ("%-40s %9.1f s     (%.0f items/s)\n", "generate and insert",
          (now_ns () - start) / 1e9, n_items / ((now_ns () - start) / 1e9));
}

static void
bench_search (KassaDatabase *database,
              GRand         *rand)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (database);
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) short_samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 total_results = 0;

  for (guint i = 0; i < N_QUERIES; i++)
    {
      g_autoptr(GPtrArray) found = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      const char *word;
      gint64 start, elapsed;
      guint length;

      /* Half the queries one word, half two, as a cashier narrows down. */
      word = g_rand_boolean (rand) ? nouns[g_rand_int_range (rand, 0, G_N_ELEMENTS (nouns))]
                                   : adjectives[g_rand_int_range (rand, 0, G_N_ELEMENTS (adjectives))];
      length = g_rand_int_range (rand, 1, MIN (strlen (word), 6) + 1);
      if (g_rand_boolean (rand))
        {
          const char *second = nouns[g_rand_int_range (rand, 0, G_N_ELEMENTS (nouns))];

          text = g_strdup_printf ("%.*s %.*s", (int) length, word, g_rand_int_range (rand, 1, 4), second);
        }
      else
        {
          text = g_strndup (word, length);
        }

      start = now_ns ();
      found = kassa_catalog_repository_search (repository, text, KASSA_CATALOG_FILTER_ACTIVE, 20, &error);
      elapsed = now_ns () - start;
      if (found == NULL)
        g_error ("%s", error->message);

      total_results += found->len;
      g_array_append_val (samples, elapsed);
      if (length <= 2)
        g_array_append_val (short_samples, elapsed);
    }

  report ("FTS prefix search (limit 20)", samples);
  report ("  of which 1–2 letter prefixes", short_samples);
  printf ("%-40s %9.1f\n", "  results per search", (double) total_results / N_QUERIES);
}

static void
bench_barcode (KassaDatabase *database,
               guint          n_items,
               GRand         *rand)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (database);
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < N_QUERIES; i++)
    {
      g_autoptr(KassaCatalogItem) item = NULL;
      g_autoptr(GError) error = NULL;
      char code[14];
      gint64 start, elapsed;

      make_barcode (g_rand_int_range (rand, 1, n_items + 1), code);
      start = now_ns ();
      item = kassa_catalog_repository_get_by_barcode (repository, code, &error);
      elapsed = now_ns () - start;
      if (item == NULL)
        g_error ("barcode %s not found", code);
      g_array_append_val (samples, elapsed);
    }

  report ("exact barcode lookup", samples);
}

static void
bench_model (KassaDatabase *database,
             GRand         *rand)
{
  g_autoptr(KassaCatalogModel) model = NULL;
  g_autoptr(GArray) count_samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) first_samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) page_samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) next_samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n_items;

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(KassaCatalogModel) fresh = NULL;
      g_autoptr(KassaCatalogItem) first = NULL;
      gint64 start = now_ns (), counted, fetched;

      /* Construction counts the rows. */
      fresh = g_object_new (KASSA_TYPE_CATALOG_MODEL, "database", database,
                            "filter", i % 2 ? KASSA_CATALOG_FILTER_ACTIVE : KASSA_CATALOG_FILTER_ANY,
                            NULL);
      counted = now_ns ();
      first = g_list_model_get_item (G_LIST_MODEL (fresh), 0);
      fetched = now_ns ();
      g_assert (first != NULL);

      counted -= start;
      fetched -= start + counted;
      g_array_append_val (count_samples, counted);
      g_array_append_val (first_samples, fetched);
    }

  report ("model n_items (COUNT)", count_samples);
  report ("model first page", first_samples);

  model = kassa_catalog_model_new (database);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (model));
  for (guint i = 0; i < N_PAGES; i++)
    {
      g_autoptr(KassaCatalogItem) item = NULL;
      g_autoptr(KassaCatalogItem) next = NULL;
      guint position = g_rand_int_range (rand, 0, n_items - KASSA_CATALOG_MODEL_PAGE_SIZE);
      gint64 start, elapsed;

      /* A fresh page each time: far from the ones cached. */
      kassa_catalog_model_reload (model);
      start = now_ns ();
      item = g_list_model_get_item (G_LIST_MODEL (model), position);
      elapsed = now_ns () - start;
      g_assert (item != NULL);
      g_array_append_val (page_samples, elapsed);

      /* Scrolling on: the next page starts after this one's last row. */
      position = (position / KASSA_CATALOG_MODEL_PAGE_SIZE + 1) * KASSA_CATALOG_MODEL_PAGE_SIZE;
      start = now_ns ();
      next = g_list_model_get_item (G_LIST_MODEL (model), position);
      elapsed = now_ns () - start;
      g_assert (next != NULL);
      g_array_append_val (next_samples, elapsed);
    }

  report ("model random page (uncached)", page_samples);
  report ("model next page while scrolling", next_samples);
  printf ("%-40s %9u\n", "  pages cached after", kassa_catalog_model_get_n_cached_pages (model));
}

static void
bench_import (const char *dir,
              guint       n_items,
              GRand      *rand)
{
  g_autofree char *path = g_build_filename (dir, "import.db", NULL);
  g_autoptr(KassaDatabase) database = NULL;
  g_autoptr(GString) csv = g_string_new ("sku,barcode,name,description,price,currency,tax_rate,stock\n");
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  KassaCatalogImportResult result = { 0 };
  gint64 start, elapsed, cpu_start, cpu;

  for (guint n = 1; n <= n_items; n++)
    {
      g_autofree char *name = NULL, *sku = NULL, *barcode = NULL, *description = NULL;
      gint64 price;

      describe_item (rand, n, &name, &sku, &barcode, &description, &price);
      g_string_append_printf (csv, "%s,%s,%s,\"%s\",%" G_GINT64_FORMAT ".%02d,EUR,20,%u\n",
                              sku, barcode, name, description, price / 100, (int) (price % 100), n % 50);
    }

  database = kassa_database_open (path, &error);
  if (database == NULL)
    g_error ("%s", error->message);

  stream = g_memory_input_stream_new_from_data (csv->str, csv->len, NULL);
  start = now_ns ();
  cpu_start = cpu_ns ();
  if (!kassa_catalog_import (database, stream, KASSA_CATALOG_FORMAT_CSV, KASSA_CATALOG_IMPORT_NONE,
                             NULL, NULL, &result, NULL, &error))
    g_error ("%s", error->message);
  elapsed = now_ns () - start;
  cpu = cpu_ns () - cpu_start;

  printf ("%-40s %9.1f s     (%.0f items/s, %u rows, %.1f MB)\n", "CSV import", elapsed / 1e9,
          result.n_added / (elapsed / 1e9), result.n_added, csv->len / 1e6);
  /* On a shared machine the processor time says more than the clock. */
  printf ("%-40s %9.1f s     (%.0f items/s of processor time)\n", "  processor time", cpu / 1e9,
          result.n_added / (cpu / 1e9));
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);
      g_unlink (file);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  const guint32 seed = 4217;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KassaDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *keep = NULL;
  int n_items = 1000000;
  int n_import = 100000;
  struct rusage usage;
  GOptionEntry entries[] = {
    { "items", 0, 0, G_OPTION_ARG_INT, &n_items, "Catalog size (default 1000000)", "N" },
    { "import-items", 0, 0, G_OPTION_ARG_INT, &n_import, "Rows of the CSV import (default 100000)", "N" },
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &keep, "Reuse or keep the catalog database at PATH", "PATH" },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_items < 1 || n_import < 0)
    {
      fprintf (stderr, "%s\n", error != NULL ? error->message : "--items must be at least 1");
      return EXIT_FAILURE;
    }

  dir = g_dir_make_tmp ("kassa-bench-catalog-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);

  path = keep != NULL ? g_strdup (keep) : g_build_filename (dir, "catalog.db", NULL);

  printf ("catalog benchmark, seed %u, %d items\n", seed, n_items);

  {
    gboolean fresh = !g_file_test (path, G_FILE_TEST_EXISTS);

    database = kassa_database_open (path, &error);
    if (database == NULL)
      g_error ("%s", error->message);

    if (fresh)
      generate (database, n_items, rand);
    else
      printf ("%-40s reusing %s\n", "generate and insert", path);
  }

  bench_search (database, rand);
  bench_barcode (database, n_items, rand);
  bench_model (database, rand);
  g_clear_object (&database);

  if (n_import > 0)
    bench_import (dir, n_import, rand);

  getrusage (RUSAGE_SELF, &usage);
  printf ("%-40s %9.1f MB\n", "peak RSS", usage.ru_maxrss / 1024.0);

  remove_dir (dir);
  return EXIT_SUCCESS;
}
