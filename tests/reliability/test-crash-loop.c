/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The crash loop: kassa-crash-driver sells, issues invoices and changes
 * stock while this process kills it with SIGKILL after a random delay,
 * again and again. After every kill the store must be whole: SQLite's
 * integrity check passes, the journal verifies, every order is complete
 * (lines, payments and stock agree with its stored totals), invoice
 * numbers run without a gap or a repeat in every year, and everything
 * the driver saw committed is there.
 *
 * `meson test` runs the short form (KASSA_CRASH_KILLS, 30 by default);
 * `test-crash-loop --long` runs 1,000 kills and `--kills N --seed S`
 * any other loop. The figures are printed as TAP comments. */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "kassa-audit-log.h"
#include "kassa-catalog-repository.h"
#include "kassa-customer-repository.h"
#include "kassa-invoice-repository.h"
#include "kassa-money.h"
#include "kassa-order-repository.h"
#include "kassa-settings-repository.h"
#include "kassa-shift-repository.h"
#include "kassa-shop-maintenance.h"
#include "kassa-shop-private.h"
#include "kassa-shop-staff.h"

#define INITIAL_STOCK ((gint64) 1000000 * 1000)

static guint n_kills = 30;
static char *driver_path;
static guint32 seed = 20261128;

typedef struct
{
  char       *dir;
  char       *path;
  char       *side_path;
  gint64      customer_id;
  /* What the checks found after the last kill. */
  guint       n_orders;
  guint       n_invoices;
  guint       n_adjustments;
  guint       n_promised;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaShop) shop = NULL;
  g_autoptr(KassaSettingsRepository) settings_repository = NULL;
  g_autoptr(KassaStoreSettings) settings = NULL;
  g_autoptr(KassaCatalogRepository) catalog = NULL;
  g_autoptr(KassaShiftRepository) shifts = NULL;
  g_autoptr(KassaCustomerRepository) customers = NULL;
  g_autoptr(KassaCustomer) customer = kassa_customer_new ();
  static const struct { const char *sku; gint64 price; gint64 tax_rate; } items[] = {
    { "BEANS", 1295, 26000 },
    { "MUG", 840, 81000 },
    { "TEA", 435, 81000 },
    { "CAKE", 350, 26000 },
  };
  KassaDatabase *database;
  gint64 staff_id;

  fixture->dir = g_dir_make_tmp ("kassa-crash-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "shop.db", NULL);
  fixture->side_path = g_build_filename (fixture->dir, "committed.txt", NULL);

  shop = kassa_shop_open (fixture->path, &error);
  g_assert_no_error (error);
  kassa_shop_act_as_system (shop);
  database = kassa_shop_get_database (shop);

  /* A Swiss shop: prices include tax, cash rounds to 0.05, so cash sales
   * carry a rounding line. */
  settings_repository = kassa_settings_repository_new (database);
  settings = kassa_settings_repository_load_settings (settings_repository, "CHF", &error);
  g_assert_no_error (error);
  kassa_store_settings_set_prices_include_tax (settings, TRUE);
  kassa_store_settings_set_cash_rounding_step (settings, 5);
  g_assert_true (kassa_settings_repository_save_settings (settings_repository, settings, &error));

  catalog = kassa_catalog_repository_new (database);
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autoptr(KassaCatalogItem) item = g_object_new (KASSA_TYPE_CATALOG_ITEM,
                                                       "name", items[i].sku,
                                                       "sku", items[i].sku,
                                                       "price", items[i].price,
                                                       "currency-code", "CHF",
                                                       "tax-rate", items[i].tax_rate,
                                                       "stock-on-hand", INITIAL_STOCK,
                                                       "status", KASSA_ITEM_STATUS_ACTIVE,
                                                       NULL);

      g_assert_cmpint (kassa_catalog_repository_insert (catalog, item, &error), >, 0);
      g_assert_no_error (error);
    }

  staff_id = kassa_shop_create_staff (shop, "Ada Admin", KASSA_STAFF_ROLE_ADMIN, "2468",
                                      KASSA_PIN_COST_MINIMUM, &error);
  g_assert_no_error (error);
  shifts = kassa_shift_repository_new (database);
  g_assert_cmpint (kassa_shift_repository_open (shifts, NULL, staff_id, "CHF", 20000, &error), >, 0);
  g_assert_no_error (error);

  customers = kassa_customer_repository_new (database);
  kassa_customer_set_name (customer, "Berg AG");
  kassa_customer_set_email (customer, "buchhaltung@berg.example");
  g_assert_true (kassa_customer_repository_insert (customers, customer, &error));
  g_assert_no_error (error);
  fixture->customer_id = kassa_customer_get_id (customer);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->side_path);
}

/* Starts the driver and kills it after @delay_ms. */
static void
run_and_kill (Fixture *fixture,
              guint32  run_seed,
              guint    delay_ms)
{
  g_autoptr(GError) error = NULL;
  const char *driver = driver_path;
  g_autofree char *seed_text = g_strdup_printf ("%" G_GUINT32_FORMAT, run_seed);
  g_autofree char *customer_text = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->customer_id);
  const char *argv[] = { driver, fixture->path, fixture->side_path, seed_text, customer_text, NULL };
  GPid pid;
  int status;

  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);

  g_usleep ((gulong) delay_ms * 1000);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);

  /* It must have died of the kill, not of an error of its own. */
  if (!WIFSIGNALED (status) || WTERMSIG (status) != SIGKILL)
    g_error ("The driver stopped by itself (status %d) before the kill", status);
}

static gint64
sum_payments (KassaOrder *order)
{
  GListModel *payments = kassa_order_get_payments (order);
  gint64 sum = 0;

  for (guint i = 0; i < g_list_model_get_n_items (payments); i++)
    {
      g_autoptr(KassaPayment) payment = g_list_model_get_item (payments, i);

      sum += kassa_payment_get_amount (payment);
    }

  return sum;
}

/* Every order: lines, payments that add up to its stored total plus the
 * cash rounding, stored totals that add up; adds what it sold to @sold. */
static void
check_orders (Fixture    *fixture,
              KassaShop  *shop,
              GHashTable *sold)
{
  g_autoptr(KassaOrderRepository) orders = kassa_order_repository_new (kassa_shop_get_database (shop));
  g_autoptr(KassaOrder) after = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  for (;;)
    {
      g_autoptr(GListModel) page = kassa_order_repository_list (orders, NULL, after, 500, &error);
      guint n_page;

      g_assert_no_error (error);
      n_page = g_list_model_get_n_items (page);
      if (n_page == 0)
        break;

      for (guint i = 0; i < n_page; i++)
        {
          g_autoptr(KassaOrder) listed = g_list_model_get_item (page, i);
          g_autoptr(KassaOrder) order = kassa_order_repository_load (orders, kassa_order_get_id (listed), &error);
          KassaOrderStoredTotals totals;
          GListModel *lines;

          g_assert_no_error (error);
          g_assert_true (kassa_order_repository_load_totals (orders, kassa_order_get_id (order), &totals, &error));
          g_assert_no_error (error);

          lines = kassa_order_get_lines (order);
          g_assert_cmpuint (g_list_model_get_n_items (lines), >=, 1);
          g_assert_cmpuint (g_list_model_get_n_items (kassa_order_get_payments (order)), ==, 1);
          g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PAID);
          g_assert_cmpint (totals.untaxed + totals.tax, ==, totals.total);
          g_assert_cmpint (sum_payments (order), ==, totals.total + totals.cash_rounding);
          g_assert_cmpint (kassa_order_get_amount_paid (order), ==, totals.total + totals.cash_rounding);

          for (guint j = 0; j < g_list_model_get_n_items (lines); j++)
            {
              g_autoptr(KassaOrderLine) line = g_list_model_get_item (lines, j);
              gpointer key = GINT_TO_POINTER ((int) kassa_order_line_get_item_id (line));
              gint64 *total = g_hash_table_lookup (sold, key);

              g_assert_cmpint (kassa_order_line_get_quantity (line), >, 0);
              if (total == NULL)
                {
                  total = g_new0 (gint64, 1);
                  g_hash_table_insert (sold, key, total);
                }
              *total += kassa_order_line_get_quantity (line);
            }
          n++;
        }

      g_set_object (&after, g_list_model_get_item (page, n_page - 1));
      g_object_unref (after);
    }

  fixture->n_orders = n;
}

/* Stock changes from the audit log, where each adjustment records its
 * delta in the same transaction as the change. */
static void
collect_adjustments (Fixture    *fixture,
                     KassaShop  *shop,
                     GHashTable *adjusted)
{
  KassaAuditLog *audit = kassa_shop_get_audit_log (shop);
  g_autoptr(GError) error = NULL;
  gint64 before_id = 0;
  guint n = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) page = kassa_audit_log_list_recent (audit, before_id, 1000, &error);

      g_assert_no_error (error);
      if (page->len == 0)
        break;

      for (guint i = 0; i < page->len; i++)
        {
          KassaAuditEntry *entry = g_ptr_array_index (page, i);
          g_autoptr(JsonParser) parser = NULL;
          gpointer key;
          gint64 delta, *total;

          before_id = entry->id;
          if (g_strcmp0 (entry->action, "stock.adjust") != 0)
            continue;

          parser = json_parser_new ();
          g_assert_true (json_parser_load_from_data (parser, entry->details, -1, NULL));
          g_assert_true (kassa_quantity_parse (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "delta"),
                                               '.', &delta, &error));
          g_assert_no_error (error);

          key = GINT_TO_POINTER ((int) g_ascii_strtoll (entry->entity_id, NULL, 10));
          total = g_hash_table_lookup (adjusted, key);
          if (total == NULL)
            {
              total = g_new0 (gint64, 1);
              g_hash_table_insert (adjusted, key, total);
            }
          *total += delta;
          n++;
        }
    }

  fixture->n_adjustments = n;
}

static void
check_stock (KassaShop  *shop,
             GHashTable *sold,
             GHashTable *adjusted)
{
  g_autoptr(KassaCatalogRepository) catalog = kassa_catalog_repository_new (kassa_shop_get_database (shop));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = kassa_catalog_repository_list_by_id (catalog, 0, 100, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 4);
  for (guint i = 0; i < items->len; i++)
    {
      KassaCatalogItem *item = g_ptr_array_index (items, i);
      gpointer key = GINT_TO_POINTER ((int) kassa_catalog_item_get_id (item));
      gint64 *sold_quantity = g_hash_table_lookup (sold, key);
      gint64 *adjusted_quantity = g_hash_table_lookup (adjusted, key);

      g_assert_cmpint (kassa_catalog_item_get_stock_on_hand (item), ==,
                       INITIAL_STOCK
                       - (sold_quantity != NULL ? *sold_quantity : 0)
                       + (adjusted_quantity != NULL ? *adjusted_quantity : 0));
    }
}

static int
compare_sequences (gconstpointer a,
                   gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

/* Issued invoices number 1, 2, 3, … in every year: no gap, no repeat,
 * and no draft left behind by an issue cut short. */
static void
check_invoices (Fixture   *fixture,
                KassaShop *shop)
{
  g_autoptr(KassaInvoiceRepository) invoices = kassa_invoice_repository_new (kassa_shop_get_database (shop));
  g_autoptr(KassaInvoiceNumberFormat) format = kassa_invoice_number_format_new (KASSA_INVOICE_NUMBER_DEFAULT_PATTERN, NULL);
  g_autoptr(GHashTable) per_year = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  g_autoptr(GError) error = NULL;
  KassaInvoiceFilter drafts = KASSA_INVOICE_FILTER_INIT;
  KassaInvoiceFilter all = KASSA_INVOICE_FILTER_INIT;
  guint64 n_drafts = 0;
  GHashTableIter iter;
  gpointer value;
  guint offset = 0, n = 0;

  drafts.status = KASSA_INVOICE_STATUS_DRAFT;
  g_assert_true (kassa_invoice_repository_count (invoices, &drafts, &n_drafts, &error));
  g_assert_cmpuint (n_drafts, ==, 0);

  for (;;)
    {
      g_autoptr(GPtrArray) page = kassa_invoice_repository_list (invoices, &all, offset, 500, &error);

      g_assert_no_error (error);
      if (page->len == 0)
        break;
      offset += page->len;

      for (guint i = 0; i < page->len; i++)
        {
          KassaInvoice *invoice = g_ptr_array_index (page, i);
          guint year = 0;
          guint64 sequence = 0;
          GArray *sequences;

          g_assert_true (kassa_invoice_number_format_parse (format, kassa_invoice_get_reference (invoice),
                                                            &year, NULL, &sequence, &error));
          g_assert_no_error (error);
          sequences = g_hash_table_lookup (per_year, GUINT_TO_POINTER (year));
          if (sequences == NULL)
            {
              sequences = g_array_new (FALSE, FALSE, sizeof (guint64));
              g_hash_table_insert (per_year, GUINT_TO_POINTER (year), sequences);
            }
          g_array_append_val (sequences, sequence);
          n++;
        }
    }

  g_hash_table_iter_init (&iter, per_year);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GArray *sequences = value;

      g_array_sort (sequences, compare_sequences);
      for (guint i = 0; i < sequences->len; i++)
        g_assert_cmpuint (g_array_index (sequences, guint64, i), ==, i + 1);
    }

  fixture->n_invoices = n;
}

/* Every line the driver wrote after a commit names something that is in
 * the store. A kill in the middle of a write leaves a last line without
 * its newline: that one was never promised. */
static void
check_promises (Fixture   *fixture,
                KassaShop *shop)
{
  KassaDatabase *database = kassa_shop_get_database (shop);
  g_autoptr(KassaOrderRepository) orders = kassa_order_repository_new (database);
  g_autoptr(KassaInvoiceRepository) invoices = kassa_invoice_repository_new (database);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_lines, n_stock = 0, n = 0;

  if (!g_file_get_contents (fixture->side_path, &contents, NULL, NULL))
    return;

  lines = g_strsplit (contents, "\n", -1);
  /* The piece after the last newline is empty or unfinished. */
  n_lines = g_strv_length (lines) - 1;

  for (guint i = 0; i < n_lines; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], " ", -1);
      gint64 id = g_ascii_strtoll (fields[1], NULL, 10);

      if (g_str_equal (fields[0], "sale"))
        {
          g_autoptr(KassaOrder) order = kassa_order_repository_load (orders, id, &error);
          KassaOrderStoredTotals totals;

          g_assert_no_error (error);
          g_assert_cmpstr (kassa_order_get_number (order), ==, fields[2]);
          g_assert_true (kassa_order_repository_load_totals (orders, id, &totals, &error));
          g_assert_cmpint (totals.total + totals.cash_rounding, ==, g_ascii_strtoll (fields[3], NULL, 10));
        }
      else if (g_str_equal (fields[0], "invoice"))
        {
          g_autoptr(KassaInvoice) invoice = kassa_invoice_repository_load (invoices, id, &error);

          g_assert_no_error (error);
          g_assert_cmpstr (kassa_invoice_get_reference (invoice), ==, fields[2]);
          g_assert_cmpint (kassa_invoice_get_status (invoice), ==, KASSA_INVOICE_STATUS_ISSUED);
        }
      else
        {
          g_assert_cmpstr (fields[0], ==, "stock");
          n_stock++;
        }
      n++;
    }

  /* The audit log holds at least every adjustment that was promised. */
  g_assert_cmpuint (fixture->n_adjustments, >=, n_stock);
  fixture->n_promised = n;
}

static void
check_store (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaShop) shop = kassa_shop_open (fixture->path, &error);
  g_autoptr(GHashTable) sold = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GHashTable) adjusted = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  KassaJournalReport report;

  g_assert_no_error (error);
  kassa_shop_act_as_system (shop);

  g_assert_true (kassa_database_check_integrity (kassa_shop_get_database (shop), &error));
  g_assert_no_error (error);
  g_assert_true (kassa_shop_verify_journal (shop, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (report.first_broken, ==, 0);

  check_orders (fixture, shop, sold);
  /* One journal entry per sale, written in the sale's transaction. */
  g_assert_cmpint (report.n_entries, ==, fixture->n_orders);
  collect_adjustments (fixture, shop, adjusted);
  check_stock (shop, sold, adjusted);
  check_invoices (fixture, shop);
  check_promises (fixture, shop);
}

static void
test_sigkill_loop (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gint64 start = g_get_monotonic_time ();

  g_test_message ("%u kills, seed %" G_GUINT32_FORMAT, n_kills, seed);

  for (guint i = 0; i < n_kills; i++)
    {
      /* Sometimes while the store opens, mostly in the middle of work. */
      guint delay_ms = g_rand_int_range (rand, 0, 8) == 0
                       ? g_rand_int_range (rand, 1, 30)
                       : g_rand_int_range (rand, 30, 400);

      run_and_kill (fixture, g_rand_int (rand), delay_ms);
      check_store (fixture);
    }

  g_test_message ("survived %u kills in %.1f s: %u sales, %u invoices, %u stock changes; "
                  "%u committed operations promised, 0 lost",
                  n_kills, (g_get_monotonic_time () - start) / 1e6,
                  fixture->n_orders, fixture->n_invoices, fixture->n_adjustments,
                  fixture->n_promised);
  /* A loop that never got as far as a sale proves nothing. */
  g_assert_cmpuint (fixture->n_orders, >, 0);
  g_assert_cmpuint (fixture->n_invoices, >, 0);
  g_assert_cmpuint (fixture->n_promised, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  const char *kills_env = g_getenv ("KASSA_CRASH_KILLS");
  int kept = 1;

  if (kills_env != NULL)
    n_kills = (guint) g_ascii_strtoull (kills_env, NULL, 10);

  /* Our own options go before the test framework sees the rest. */
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--long"))
        n_kills = 1000;
      else if (g_str_equal (argv[i], "--kills") && i + 1 < argc)
        n_kills = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
      else if (g_str_equal (argv[i], "--seed") && i + 1 < argc)
        seed = (guint32) g_ascii_strtoull (argv[++i], NULL, 10);
      else
        argv[kept++] = argv[i];
    }
  argc = kept;
  argv[argc] = NULL;

  g_test_init (&argc, &argv, NULL);

  /* Beside this program unless the build says where. */
  if (g_getenv ("KASSA_CRASH_DRIVER") != NULL)
    driver_path = g_strdup (g_getenv ("KASSA_CRASH_DRIVER"));
  else
    {
      g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
      g_autofree char *dir = g_path_get_dirname (self != NULL ? self : argv[0]);

      driver_path = g_build_filename (dir, "kassa-crash-driver", NULL);
    }

  g_test_add ("/kassa/crash-loop/sigkill", Fixture, NULL,
              fixture_set_up, test_sigkill_loop, fixture_tear_down);

  return g_test_run ();
}
