/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-sale"

#define _GNU_SOURCE /* RUSAGE_THREAD */

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "kassa-bench.h"
#include "kassa-cart-repository.h"
#include "kassa-catalog-import.h"
#include "kassa-catalog-repository.h"
#include "kassa-shop-checkout.h"
#include "kassa-shop-demo.h"
#include "kassa-shop-private.h"
#include "kassa-shop-staff.h"

/* Usage: bench-sale [--products N] [--orders M] [--sales S] [--database PATH] [--reuse]
 *
 * Fills a store with the demo generator — N catalog items (1,000,000 by
 * default) and M orders (100,000) — then times what the till does on
 * it: S durable three-line sales through kassa_shop_complete_sale()
 * (WAL, synchronous=FULL; order, lines, payment, stock, journal and
 * audit in one transaction), the catalog search as a cashier types,
 * barcode lookups, and a CSV import into a fresh store. The generated
 * store is kept at PATH (in /tmp by default); --reuse starts from it
 * again instead of generating, which takes minutes at full size.
 * --sales 0 times the lookups alone.
 *
 * --warm reads the store file through before each timed part. On a
 * machine whose memory is reclaimed by a host behind its back (a virtual
 * machine), a page of the file left alone for seconds costs its next
 * reader 0.1–0.5 ms that shows as processor time; reading the file
 * first times Kassa's own work, without it the figures include that. */

#define N_TYPED_WORDS 300
#define N_BARCODES 2000

static const char *typed_words[] = {
  "Organic", "Dark", "Roasted", "Fresh", "Smoked", "Spicy", "Sweet", "Salted", "Golden", "Wild",
  "Crispy", "Creamy", "Frozen", "Dried", "Premium", "Classic", "Rustic", "Tender", "Bitter", "Mild",
  "Coffee", "Beans", "Bread", "Cheese", "Butter", "Honey", "Apples", "Chocolate", "Cookies", "Pasta",
  "Olives", "Tomatoes", "Pepper", "Sugar", "Yoghurt", "Candles", "Notebook", "Basket", "Batteries",
  "Charger", "Cappuccino", "Croissant", "Espresso", "Sourdough", "Barista",
};

/* Words of the generated descriptions ("Batch 12, shelf C7"): every
 * item has them, the worst case of a prefix longer than the indexed
 * ones, timed on their own. */
static const char *everywhere_words[] = { "Shelf", "Batch" };

/* The calling thread's processor time: unlike the wall clock it does
 * not count the time the thread waited for a core another process held,
 * nor the checkpointer thread's work. */
static gint64
thread_cpu_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

/* How often the thread was taken off its core against its will, and the
 * page faults that needed the disk. */
static void
report_interruptions (const char          *what,
                      const struct rusage *before)
{
  struct rusage after;

  getrusage (RUSAGE_THREAD, &after);
  printf ("%-38s %ld involuntary context switches, %ld major page faults\n", what,
          after.ru_nivcsw - before->ru_nivcsw, after.ru_majflt - before->ru_majflt);
}

static void
report (const char *what,
        GArray     *samples)
{
  gint64 sum = 0;

  if (samples->len == 0)
    return;

  g_array_sort (samples, compare_gint64);
  for (guint i = 0; i < samples->len; i++)
    sum += g_array_index (samples, gint64, i);

  printf ("%-38s median %8.3f ms  p99 %8.3f ms  mean %8.3f ms  (n = %u)\n", what,
          g_array_index (samples, gint64, samples->len / 2) / 1e6,
          g_array_index (samples, gint64, MIN (samples->len - 1, samples->len * 99 / 100)) / 1e6,
          (double) sum / samples->len / 1e6, samples->len);
}

static void
progress_cb (KassaShopDemoStage stage,
             guint              n_done,
             guint              n_total,
             gpointer           user_data)
{
  if (n_done % 50000 == 0 || n_done == n_total)
    fprintf (stderr, "  %s %u / %u\n", stage == KASSA_SHOP_DEMO_STAGE_PRODUCTS ? "products" : "orders",
             n_done, n_total);
}

static void
remove_store (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

static void
generate (const char *path,
          guint       n_products,
          guint       n_orders)
{
  KassaShopDemoOptions options = KASSA_SHOP_DEMO_OPTIONS_INIT;
  g_autoptr(KassaShop) shop = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = now_ns ();

  remove_store (path);
  shop = kassa_shop_open (path, &error);
  if (shop == NULL)
    g_error ("%s", error->message);
  kassa_shop_act_as_system (shop);

  options.n_products = n_products;
  options.n_orders = n_orders;
  options.seed = 4217;
  options.pin_cost = KASSA_PIN_COST_MINIMUM;
  options.progress = progress_cb;
  if (!kassa_shop_fill_demo (shop, &options, NULL, &error))
    g_error ("%s", error->message);

  printf ("%-38s %8.1f s  (%u products, %u orders)\n", "generate the store",
          (now_ns () - start) / 1e9, n_products, n_orders);
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

/* Reads @path through the page cache, so its pages are in memory. */
static void
warm_file (const char *path)
{
  g_autofree char *buffer = g_malloc (1 << 20);
  FILE *file = fopen (path, "rb");

  if (file == NULL)
    return;
  while (fread (buffer, 1, 1 << 20, file) > 0)
    ;
  fclose (file);
}

static void
warm_store (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  warm_file (path);
  warm_file (wal);
}

static KassaCatalogItem *
random_item (KassaCatalogRepository *catalog,
             GRand                  *rand,
             guint                   n_generated)
{
  g_autoptr(GError) error = NULL;

  for (;;)
    {
      g_autoptr(KassaCatalogItem) item = NULL;
      char code[14];

      kassa_shop_demo_generated_barcode (g_rand_int_range (rand, 1, n_generated + 1), code);
      item = kassa_catalog_repository_get_by_barcode (catalog, code, &error);
      if (item == NULL)
        g_error ("barcode %s not found: %s", code, error != NULL ? error->message : "no item");
      if (kassa_catalog_item_get_status (item) == KASSA_ITEM_STATUS_ACTIVE)
        return g_steal_pointer (&item);
    }
}

static void
bench_sales (KassaShop *shop,
             guint      n_sales,
             guint      n_generated,
             GRand     *rand)
{
  KassaDatabase *database = kassa_shop_get_database (shop);
  g_autoptr(KassaCatalogRepository) catalog = kassa_catalog_repository_new (database);
  g_autoptr(KassaCartRepository) carts = kassa_cart_repository_new (database);
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) cpu_samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) staff = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  gint64 cashier_id = 0;

  /* The demo cashier rings the sales up, as at the till. */
  staff = kassa_shop_list_staff (shop, &error);
  if (staff == NULL)
    g_error ("%s", error->message);
  for (guint i = 0; i < staff->len; i++)
    {
      if (g_str_equal (kassa_staff_get_name (staff->pdata[i]), KASSA_SHOP_DEMO_CASHIER_NAME))
        cashier_id = kassa_staff_get_id (staff->pdata[i]);
    }
  if (!kassa_shop_sign_in (shop, cashier_id, KASSA_SHOP_DEMO_CASHIER_PIN, now, &error))
    g_error ("%s", error->message);

  for (guint s = 0; s < n_sales; s++)
    {
      g_autoptr(KassaCart) cart = g_object_new (KASSA_TYPE_CART, "currency-code", "EUR", NULL);
      g_autoptr(GPtrArray) payments = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(KassaOrder) order = NULL;
      g_autoptr(GDateTime) when = g_date_time_new_now_utc ();
      KassaPayment *payment;
      gint64 cart_id, due, start, cpu_start, elapsed, cpu;

      /* Three scanned items; the cart is stored as the till keeps it. */
      for (guint l = 0; l < 3; l++)
        {
          g_autoptr(KassaCatalogItem) item = random_item (catalog, rand, n_generated);

          if (!kassa_cart_add_item (cart, item, 1000, NULL, &error))
            g_error ("%s", error->message);
        }
      cart_id = kassa_cart_repository_create (carts, cart, cashier_id, &error);
      if (cart_id == 0 || !kassa_shop_get_amount_due (shop, cart_id, FALSE, &due, &error))
        g_error ("%s", error->message);

      payment = kassa_payment_new ();
      kassa_payment_set_provider_id (payment, "card");
      kassa_payment_set_method_label (payment, "Card");
      kassa_payment_set_amount (payment, due);
      g_ptr_array_add (payments, payment);

      start = now_ns ();
      cpu_start = cpu_ns ();
      order = kassa_shop_complete_sale (shop, cart_id, payments, when, &error);
      elapsed = now_ns () - start;
      cpu = cpu_ns () - cpu_start;
      if (order == NULL)
        g_error ("%s", error->message);

      g_array_append_val (samples, elapsed);
      g_array_append_val (cpu_samples, cpu);
    }

  report ("durable 3-line sale", samples);
  report ("  of which processor time", cpu_samples);
  kassa_shop_sign_out (shop);
}

/* A barcode typed into the search box digit by digit. Every generated
 * item's code starts with 200, so from four digits on a prefix has up
 * to a million terms. Then four to seven of its digits and a word, as
 * "2000 coffee", where the word finds the items and the digits narrow
 * them; the word of every item ("2000 shelf") makes the search walk
 * the most rows. Its own random numbers leave the other figures as they
 * were. */
static void
bench_search_digits (KassaCatalogRepository *catalog,
                     guint                   n_generated)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (13);
  g_autoptr(GRand) word_rand = g_rand_new_with_seed (17);
  GArray *by_digits[3];
  g_autoptr(GArray) digits_cpu = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) with_word = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) with_word_cpu = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) with_everywhere = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) with_everywhere_cpu = g_array_new (FALSE, FALSE, sizeof (gint64));
  static const char *what[] = { "  barcode typed, 1-3 digits", "  barcode typed, 4-7 digits",
                                "  barcode typed, 8-13 digits" };

  for (guint i = 0; i < G_N_ELEMENTS (by_digits); i++)
    by_digits[i] = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint b = 0; b < 20; b++)
    {
      char code[14];

      kassa_shop_demo_generated_barcode (g_rand_int_range (rand, 1, n_generated + 1), code);
      for (guint typed = 1; typed <= strlen (code); typed++)
        {
          g_autoptr(GPtrArray) found = NULL;
          g_autoptr(GError) error = NULL;
          g_autofree char *text = g_strndup (code, typed);
          gint64 start, elapsed, cpu_start, cpu;

          start = now_ns ();
          cpu_start = thread_cpu_ns ();
          found = kassa_catalog_repository_search (catalog, text, KASSA_CATALOG_FILTER_ACTIVE, 20, &error);
          cpu = thread_cpu_ns () - cpu_start;
          elapsed = now_ns () - start;
          if (found == NULL)
            g_error ("%s", error->message);
          g_array_append_val (by_digits[typed <= 3 ? 0 : typed <= 7 ? 1 : 2], elapsed);
          if (typed >= 4 && typed <= 7)
            g_array_append_val (digits_cpu, cpu);
        }

      for (guint typed = 4; typed <= 7; typed++)
        {
          const char *word = typed_words[g_rand_int_range (word_rand, 0, G_N_ELEMENTS (typed_words))];
          const char *everywhere = everywhere_words[typed % G_N_ELEMENTS (everywhere_words)];
          g_autofree char *text = g_strdup_printf ("%.*s %s", (int) typed, code, word);
          g_autofree char *text_everywhere = g_strdup_printf ("%.*s %s", (int) typed, code, everywhere);
          const char *texts[] = { text, text_everywhere };
          GArray *samples[] = { with_word, with_everywhere };
          GArray *cpu_samples[] = { with_word_cpu, with_everywhere_cpu };

          for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
            {
              g_autoptr(GPtrArray) found = NULL;
              g_autoptr(GError) error = NULL;
              gint64 start, elapsed, cpu_start, cpu;

              start = now_ns ();
              cpu_start = thread_cpu_ns ();
              found = kassa_catalog_repository_search (catalog, texts[t], KASSA_CATALOG_FILTER_ACTIVE, 20, &error);
              cpu = thread_cpu_ns () - cpu_start;
              elapsed = now_ns () - start;
              if (found == NULL)
                g_error ("%s", error->message);
              g_array_append_val (samples[t], elapsed);
              g_array_append_val (cpu_samples[t], cpu);
            }
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (by_digits); i++)
    {
      report (what[i], by_digits[i]);
      if (i == 1)
        report ("    of which processor time", digits_cpu);
      g_array_unref (by_digits[i]);
    }
  report ("  4-7 digits and a word", with_word);
  report ("    of which processor time", with_word_cpu);
  report ("  4-7 digits and a word in every item", with_everywhere);
  report ("    of which processor time", with_everywhere_cpu);
}

static void
bench_search (KassaShop *shop,
              guint      n_generated,
              GRand     *rand)
{
  g_autoptr(KassaCatalogRepository) catalog = kassa_catalog_repository_new (kassa_shop_get_database (shop));
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) all_cpu = g_array_new (FALSE, FALSE, sizeof (gint64));
  GArray *by_length[7];
  struct rusage usage;

  for (guint i = 0; i < G_N_ELEMENTS (by_length); i++)
    by_length[i] = g_array_new (FALSE, FALSE, sizeof (gint64));

  getrusage (RUSAGE_THREAD, &usage);

  /* A cashier types a word letter by letter, then sometimes a second. */
  for (guint w = 0; w < N_TYPED_WORDS; w++)
    {
      const char *word = typed_words[g_rand_int_range (rand, 0, G_N_ELEMENTS (typed_words))];
      const char *second = g_rand_boolean (rand) ? typed_words[g_rand_int_range (rand, 0, G_N_ELEMENTS (typed_words))] : NULL;
      guint length = strlen (word);

      for (guint typed = 1; typed <= length + (second != NULL ? 3 : 0); typed++)
        {
          g_autoptr(GPtrArray) found = NULL;
          g_autoptr(GError) error = NULL;
          g_autofree char *text = NULL;
          gint64 start, elapsed, cpu_start, cpu;

          if (typed <= length)
            text = g_strndup (word, typed);
          else
            text = g_strdup_printf ("%s %.*s", word, (int) (typed - length), second);

          start = now_ns ();
          cpu_start = thread_cpu_ns ();
          found = kassa_catalog_repository_search (catalog, text, KASSA_CATALOG_FILTER_ACTIVE, 20, &error);
          cpu = thread_cpu_ns () - cpu_start;
          elapsed = now_ns () - start;
          if (found == NULL)
            g_error ("%s", error->message);

          g_array_append_val (all, elapsed);
          g_array_append_val (all_cpu, cpu);
          g_array_append_val (by_length[MIN (typed <= length ? typed : 6, 6)], elapsed);
        }
    }

  /* The words every item has, typed letter by letter. */
  for (guint w = 0; w < 20; w++)
    {
      const char *word = everywhere_words[w % G_N_ELEMENTS (everywhere_words)];

      for (guint typed = 1; typed <= strlen (word); typed++)
        {
          g_autoptr(GPtrArray) found = NULL;
          g_autoptr(GError) error = NULL;
          g_autofree char *text = g_strndup (word, typed);
          gint64 start, elapsed;

          start = now_ns ();
          found = kassa_catalog_repository_search (catalog, text, KASSA_CATALOG_FILTER_ACTIVE, 20, &error);
          elapsed = now_ns () - start;
          if (found == NULL)
            g_error ("%s", error->message);
          g_array_append_val (by_length[0], elapsed);
        }
    }

  report ("FTS prefix search per keystroke", all);
  report ("  of which processor time", all_cpu);
  for (guint i = 1; i < G_N_ELEMENTS (by_length); i++)
    {
      g_autofree char *what = i < 6 ? g_strdup_printf ("  %u letter%s", i, i > 1 ? "s" : "")
                                    : g_strdup ("  6+ letters or two words");

      report (what, by_length[i]);
    }

  report ("  words in every item (shelf, batch)", by_length[0]);
  report_interruptions ("  while searching", &usage);

  bench_search_digits (catalog, n_generated);

  for (guint i = 0; i < G_N_ELEMENTS (by_length); i++)
    g_array_unref (by_length[i]);
}

static void
bench_barcode (KassaShop *shop,
               guint      n_generated,
               GRand     *rand)
{
  g_autoptr(KassaCatalogRepository) catalog = kassa_catalog_repository_new (kassa_shop_get_database (shop));
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) cpu_samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  struct rusage usage;

  getrusage (RUSAGE_THREAD, &usage);

  for (guint i = 0; i < N_BARCODES; i++)
    {
      g_autoptr(KassaCatalogItem) item = NULL;
      g_autoptr(GError) error = NULL;
      char code[14];
      gint64 start, elapsed, cpu_start, cpu;

      kassa_shop_demo_generated_barcode (g_rand_int_range (rand, 1, n_generated + 1), code);
      start = now_ns ();
      cpu_start = thread_cpu_ns ();
      item = kassa_catalog_repository_get_by_barcode (catalog, code, &error);
      cpu = thread_cpu_ns () - cpu_start;
      elapsed = now_ns () - start;
      if (item == NULL)
        g_error ("barcode %s not found", code);
      g_array_append_val (samples, elapsed);
      g_array_append_val (cpu_samples, cpu);
    }

  report ("barcode lookup", samples);
  report ("  of which processor time", cpu_samples);
  report_interruptions ("  while looking up", &usage);
}

static void
bench_import (guint  n_items,
              GRand *rand)
{
  static const char *words[] = { "Organic", "Dark", "Roasted", "Fresh", "Coffee", "Beans", "Tea", "Bread",
                                 "Cheese", "Butter", "Honey", "Apples", "Pears", "Chocolate", "Cookies", "Pasta" };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kassa-bench-sale-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(KassaDatabase) database = NULL;
  g_autoptr(GString) csv = g_string_new ("sku,barcode,name,description,price,currency,tax_rate,stock\n");
  g_autoptr(GInputStream) stream = NULL;
  KassaCatalogImportResult result = { 0 };
  gint64 start, cpu_start, elapsed, cpu;

  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "import.db", NULL);

  for (guint n = 1; n <= n_items; n++)
    {
      char code[14];

      kassa_shop_demo_generated_barcode (n, code);
      g_string_append_printf (csv, "IMP-%07u,%s,%s %s %s,\"Batch %u, shelf %c%u\",%d.%02d,EUR,20,%u\n",
                              n, code,
                              words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                              words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                              words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                              n % 977, 'A' + n % 26, n % 50,
                              g_rand_int_range (rand, 0, 200), g_rand_int_range (rand, 0, 100), n % 50);
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

  printf ("%-38s %8.2f s  %9.0f products/s  (%u rows, %.1f MB, search index included)\n",
          "CSV import into an empty store", elapsed / 1e9, result.n_added / (elapsed / 1e9),
          result.n_added, csv->len / 1e6);
  printf ("%-38s %8.2f s  %9.0f products/s\n", "  in processor time", cpu / 1e9, result.n_added / (cpu / 1e9));

  g_clear_object (&database);
  remove_store (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KassaShop) shop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  int n_products = 1000000;
  int n_orders = 100000;
  int n_sales = 2000;
  int n_import = 200000;
  gboolean reuse = FALSE;
  gboolean warm = FALSE;
  struct rusage usage;
  GOptionEntry entries[] = {
    { "products", 0, 0, G_OPTION_ARG_INT, &n_products, "Catalog size (default 1000000)", "N" },
    { "orders", 0, 0, G_OPTION_ARG_INT, &n_orders, "Orders already in the store (default 100000)", "M" },
    { "sales", 0, 0, G_OPTION_ARG_INT, &n_sales, "Sales to time (default 2000, 0 for none)", "S" },
    { "import-items", 0, 0, G_OPTION_ARG_INT, &n_import, "Rows of the CSV import (default 200000, 0 for none)", "N" },
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &path, "Where the generated store is kept (default /tmp/kassa-bench-sale-N-M.db)", "PATH" },
    { "reuse", 0, 0, G_OPTION_ARG_NONE, &reuse, "Start from the store at PATH when it exists instead of generating it", NULL },
    { "warm", 0, 0, G_OPTION_ARG_NONE, &warm, "Read the store file through before each timed part", NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (n_products <= KASSA_SHOP_DEMO_N_HANDWRITTEN || n_orders < 0 || n_sales < 0 || n_import < 0)
    {
      fprintf (stderr, "--products must exceed %d, --sales be at least 0\n", KASSA_SHOP_DEMO_N_HANDWRITTEN);
      return EXIT_FAILURE;
    }

  if (path == NULL)
    path = g_strdup_printf ("%s/kassa-bench-sale-%d-%d.db", g_get_tmp_dir (), n_products, n_orders);
  wal = g_strconcat (path, "-wal", NULL);

  printf ("sale benchmark: %d products, %d orders, %d sales\n", n_products, n_orders, n_sales);

  if (reuse && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      /* The sales of earlier runs are in it too; they change little. */
      printf ("%-38s %s\n", "reusing the store", path);
    }
  else
    {
      generate (path, n_products, n_orders);
    }

  shop = kassa_shop_open (path, &error);
  if (shop == NULL)
    g_error ("%s", error->message);

  printf ("%-38s %8.1f MB  (+ %.1f MB write-ahead log)\n", "database file",
          file_size (path) / 1e6, file_size (wal) / 1e6);

  /* --sales 0 times the lookups alone, without a checkpoint of the
   * sales' log running beside them. */
  if (n_sales > 0)
    {
      if (warm)
        warm_store (path);
      bench_sales (shop, n_sales, n_products - KASSA_SHOP_DEMO_N_HANDWRITTEN, rand);
    }
  if (warm)
    warm_store (path);
  bench_search (shop, n_products - KASSA_SHOP_DEMO_N_HANDWRITTEN, rand);
  if (warm)
    warm_store (path);
  bench_barcode (shop, n_products - KASSA_SHOP_DEMO_N_HANDWRITTEN, rand);
  g_clear_object (&shop);

  printf ("%-38s %8.1f MB\n", "database file after the sales", file_size (path) / 1e6);

  if (n_import > 0)
    bench_import (n_import, rand);

  getrusage (RUSAGE_SELF, &usage);
  printf ("%-38s %8.1f MB\n", "peak RSS", usage.ru_maxrss / 1024.0);

  return EXIT_SUCCESS;
}
