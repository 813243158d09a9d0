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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "kassa-audit-log.h"
#include "kassa-cart-repository.h"
#include "kassa-catalog-repository.h"
#include "kassa-customer-repository.h"
#include "kassa-document-totals.h"
#include "kassa-invoice-repository.h"
#include "kassa-money.h"
#include "kassa-order-repository.h"
#include "kassa-settings-repository.h"
#include "kassa-shift-repository.h"
#include "kassa-shop-checkout.h"
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
  /* What the checks have seen so far. Orders, invoices, adjustments
   * and promises never change once committed, so each check after a
   * kill reads only what is new, and the loop ends with a full check
   * from scratch; the integrity check and the journal walk cover the
   * whole file every time. */
  gint64      last_order_id;
  gint64      last_audit_id;
  GHashTable *sold;            /* item id → quantity sold */
  GHashTable *adjusted;        /* item id → sum of stock adjustments */
  GHashTable *invoice_numbers; /* "year/sequence" seen */
  GHashTable *year_counts;     /* year → invoices seen */
  gsize       promises_read;   /* bytes of the side file checked */
  guint       n_orders;
  guint       n_invoices;
  guint       n_adjustments;
  guint       n_promised;
  guint       n_promised_stock;
} Fixture;

static void
fixture_forget (Fixture *fixture)
{
  g_clear_pointer (&fixture->sold, g_hash_table_unref);
  g_clear_pointer (&fixture->adjusted, g_hash_table_unref);
  g_clear_pointer (&fixture->invoice_numbers, g_hash_table_unref);
  g_clear_pointer (&fixture->year_counts, g_hash_table_unref);
  fixture->sold = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  fixture->adjusted = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  fixture->invoice_numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fixture->year_counts = g_hash_table_new (NULL, NULL);
  fixture->last_order_id = 0;
  fixture->last_audit_id = 0;
  fixture->promises_read = 0;
  fixture->n_orders = 0;
  fixture->n_invoices = 0;
  fixture->n_adjustments = 0;
  fixture->n_promised = 0;
  fixture->n_promised_stock = 0;
}

static void
add_quantity (GHashTable *table,
              gint64      item_id,
              gint64      quantity)
{
  gpointer key = GINT_TO_POINTER ((int) item_id);
  gint64 *total = g_hash_table_lookup (table, key);

  if (total == NULL)
    {
      total = g_new0 (gint64, 1);
      g_hash_table_insert (table, key, total);
    }
  *total += quantity;
}

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

  /* A child of checks-see-a-loss dies on purpose before its tear-down:
   * it works in a folder its parent removes. */
  if (g_test_subprocess () && g_getenv ("KASSA_CRASH_CHILD_DIR") != NULL)
    {
      fixture->dir = g_strdup (g_getenv ("KASSA_CRASH_CHILD_DIR"));
      g_assert_cmpint (g_mkdir_with_parents (fixture->dir, 0700), ==, 0);
    }
  else
    {
      fixture->dir = g_dir_make_tmp ("kassa-crash-XXXXXX", &error);
      g_assert_no_error (error);
    }
  fixture->path = g_build_filename (fixture->dir, "shop.db", NULL);
  fixture->side_path = g_build_filename (fixture->dir, "committed.txt", NULL);
  fixture_forget (fixture);

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

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_dir (fixture->dir);
  g_free (fixture->dir);
  g_clear_pointer (&fixture->sold, g_hash_table_unref);
  g_clear_pointer (&fixture->adjusted, g_hash_table_unref);
  g_clear_pointer (&fixture->invoice_numbers, g_hash_table_unref);
  g_clear_pointer (&fixture->year_counts, g_hash_table_unref);
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

/* The stored lines, priced again by the totals engine, come to the
 * stored totals; the cash rounding is the store's 0.05 on cash sales
 * and nothing on card sales. */
static void
check_lines_against_totals (KassaOrder                   *order,
                            const KassaOrderStoredTotals *stored)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaPayment) payment = g_list_model_get_item (kassa_order_get_payments (order), 0);
  gboolean cash = g_strcmp0 (kassa_payment_get_provider_id (payment), KASSA_PAYMENT_PROVIDER_CASH) == 0;
  KassaTaxSettings settings = { kassa_currency_lookup ("CHF", NULL), TRUE, KASSA_TAX_SCOPE_DOCUMENT, KASSA_ROUNDING_HALF_UP };
  g_autoptr(KassaTotals) totals = kassa_order_compute_totals (order, &settings, cash ? 5 : 0, &error);

  g_assert_no_error (error);
  g_assert_cmpint (kassa_totals_get_untaxed (totals), ==, stored->untaxed);
  g_assert_cmpint (kassa_totals_get_tax (totals), ==, stored->tax);
  g_assert_cmpint (kassa_totals_get_total (totals), ==, stored->total);
  g_assert_cmpint (kassa_totals_get_cash_rounding (totals), ==, stored->cash_rounding);
}

/* Every order new since the last check: lines, payments that add up
 * to its stored total plus the cash rounding, stored totals that add
 * up; what it sold goes into the fixture's sums. Orders are listed
 * newest first, so the walk stops at the first one already seen. */
static void
check_orders (Fixture   *fixture,
              KassaShop *shop)
{
  g_autoptr(KassaOrderRepository) orders = kassa_order_repository_new (kassa_shop_get_database (shop));
  g_autoptr(KassaOrder) after = NULL;
  g_autoptr(GError) error = NULL;
  gint64 newest = fixture->last_order_id;
  gboolean seen_all = FALSE;

  while (!seen_all)
    {
      g_autoptr(GListModel) page = kassa_order_repository_list (orders, NULL, after, 200, &error);
      guint n_page;

      g_assert_no_error (error);
      n_page = g_list_model_get_n_items (page);
      if (n_page == 0)
        break;

      for (guint i = 0; i < n_page && !seen_all; i++)
        {
          g_autoptr(KassaOrder) listed = g_list_model_get_item (page, i);
          g_autoptr(KassaOrder) order = NULL;
          KassaOrderStoredTotals totals;
          GListModel *lines;

          if (kassa_order_get_id (listed) <= fixture->last_order_id)
            {
              seen_all = TRUE;
              break;
            }
          newest = MAX (newest, kassa_order_get_id (listed));

          order = kassa_order_repository_load (orders, kassa_order_get_id (listed), &error);
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
          check_lines_against_totals (order, &totals);

          for (guint j = 0; j < g_list_model_get_n_items (lines); j++)
            {
              g_autoptr(KassaOrderLine) line = g_list_model_get_item (lines, j);

              g_assert_cmpint (kassa_order_line_get_quantity (line), >, 0);
              add_quantity (fixture->sold, kassa_order_line_get_item_id (line),
                            kassa_order_line_get_quantity (line));
            }
          fixture->n_orders++;
        }

      g_set_object (&after, g_list_model_get_item (page, n_page - 1));
      g_object_unref (after);
    }

  fixture->last_order_id = newest;
}

/* Stock changes from the audit log, where each adjustment records its
 * delta in the same transaction as the change; newest first, so the
 * walk stops at the first entry already seen. */
static void
collect_adjustments (Fixture   *fixture,
                     KassaShop *shop)
{
  KassaAuditLog *audit = kassa_shop_get_audit_log (shop);
  g_autoptr(GError) error = NULL;
  gint64 before_id = 0;
  gint64 newest = fixture->last_audit_id;
  gboolean seen_all = FALSE;

  while (!seen_all)
    {
      g_autoptr(GPtrArray) page = kassa_audit_log_list_recent (audit, before_id, 1000, &error);

      g_assert_no_error (error);
      if (page->len == 0)
        break;

      for (guint i = 0; i < page->len; i++)
        {
          KassaAuditEntry *entry = g_ptr_array_index (page, i);
          g_autoptr(JsonParser) parser = NULL;
          gint64 delta;

          if (entry->id <= fixture->last_audit_id)
            {
              seen_all = TRUE;
              break;
            }
          newest = MAX (newest, entry->id);
          before_id = entry->id;
          if (g_strcmp0 (entry->action, "stock.adjust") != 0)
            continue;

          parser = json_parser_new ();
          g_assert_true (json_parser_load_from_data (parser, entry->details, -1, NULL));
          g_assert_true (kassa_quantity_parse (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "delta"),
                                               '.', &delta, &error));
          g_assert_no_error (error);
          add_quantity (fixture->adjusted, g_ascii_strtoll (entry->entity_id, NULL, 10), delta);
          fixture->n_adjustments++;
        }
    }

  fixture->last_audit_id = newest;
}

static void
check_stock (Fixture   *fixture,
             KassaShop *shop)
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
      gint64 *sold_quantity = g_hash_table_lookup (fixture->sold, key);
      gint64 *adjusted_quantity = g_hash_table_lookup (fixture->adjusted, key);

      g_assert_cmpint (kassa_catalog_item_get_stock_on_hand (item), ==,
                       INITIAL_STOCK
                       - (sold_quantity != NULL ? *sold_quantity : 0)
                       + (adjusted_quantity != NULL ? *adjusted_quantity : 0));
    }
}

/* Issued invoices number 1, 2, 3, … in every year: no repeat (each
 * number is seen once), no gap (a year's highest number is its count),
 * and no draft left behind by an issue cut short. Listed newest first,
 * so the new ones are the first few. */
static void
check_invoices (Fixture   *fixture,
                KassaShop *shop)
{
  g_autoptr(KassaInvoiceRepository) invoices = kassa_invoice_repository_new (kassa_shop_get_database (shop));
  g_autoptr(KassaInvoiceNumberFormat) format = kassa_invoice_number_format_new (KASSA_INVOICE_NUMBER_DEFAULT_PATTERN, NULL);
  g_autoptr(GError) error = NULL;
  KassaInvoiceFilter drafts = KASSA_INVOICE_FILTER_INIT;
  KassaInvoiceFilter all = KASSA_INVOICE_FILTER_INIT;
  guint64 n_drafts = 0, n_all = 0;
  GHashTableIter iter;
  gpointer key;
  guint offset = 0;

  drafts.status = KASSA_INVOICE_STATUS_DRAFT;
  g_assert_true (kassa_invoice_repository_count (invoices, &drafts, &n_drafts, &error));
  g_assert_cmpuint (n_drafts, ==, 0);
  g_assert_true (kassa_invoice_repository_count (invoices, &all, &n_all, &error));
  g_assert_cmpuint (n_all, >=, fixture->n_invoices);

  while (offset < n_all - fixture->n_invoices)
    {
      g_autoptr(GPtrArray) page = kassa_invoice_repository_list (invoices, &all, offset,
                                                                 MIN (500, n_all - fixture->n_invoices - offset),
                                                                 &error);

      g_assert_no_error (error);
      g_assert_cmpuint (page->len, >, 0);
      offset += page->len;

      for (guint i = 0; i < page->len; i++)
        {
          KassaInvoice *invoice = g_ptr_array_index (page, i);
          guint year = 0;
          guint64 sequence = 0;
          char *number;

          g_assert_cmpint (kassa_invoice_get_status (invoice), ==, KASSA_INVOICE_STATUS_ISSUED);
          g_assert_true (kassa_invoice_number_format_parse (format, kassa_invoice_get_reference (invoice),
                                                            &year, NULL, &sequence, &error));
          g_assert_no_error (error);
          number = g_strdup_printf ("%u/%" G_GUINT64_FORMAT, year, sequence);
          if (!g_hash_table_add (fixture->invoice_numbers, number))
            g_error ("Invoice number %s was issued twice", kassa_invoice_get_reference (invoice));
          g_hash_table_insert (fixture->year_counts, GUINT_TO_POINTER (year),
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (fixture->year_counts,
                                                                                        GUINT_TO_POINTER (year))) + 1));
        }
    }
  fixture->n_invoices = n_all;

  /* With no repeats, numbers 1…count with none above count have no gap. */
  g_hash_table_iter_init (&iter, fixture->invoice_numbers);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint year = 0;
      guint64 sequence = 0;

      g_assert_cmpint (sscanf (key, "%u/%" G_GUINT64_FORMAT, &year, &sequence), ==, 2);
      g_assert_cmpuint (sequence, >=, 1);
      g_assert_cmpuint (sequence, <=, GPOINTER_TO_UINT (g_hash_table_lookup (fixture->year_counts,
                                                                             GUINT_TO_POINTER (year))));
    }
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
  gsize length = 0;
  const char *line;

  if (!g_file_get_contents (fixture->side_path, &contents, &length, NULL))
    return;

  g_assert_cmpuint (length, >=, fixture->promises_read);
  line = contents + fixture->promises_read;
  for (const char *end; (end = memchr (line, '\n', contents + length - line)) != NULL; line = end + 1)
    {
      g_autofree char *text = g_strndup (line, end - line);
      g_auto(GStrv) fields = g_strsplit (text, " ", -1);
      gint64 id;

      g_assert_cmpuint (g_strv_length (fields), >=, 3);
      id = g_ascii_strtoll (fields[1], NULL, 10);

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
          fixture->n_promised_stock++;
        }
      fixture->n_promised++;
    }
  fixture->promises_read = line - contents;

  /* The audit log holds at least every adjustment that was promised. */
  g_assert_cmpuint (fixture->n_adjustments, >=, fixture->n_promised_stock);
}

static void
check_store (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaShop) shop = kassa_shop_open (fixture->path, &error);
  KassaJournalReport report;

  g_assert_no_error (error);
  kassa_shop_act_as_system (shop);

  g_assert_true (kassa_database_check_integrity (kassa_shop_get_database (shop), &error));
  g_assert_no_error (error);
  g_assert_true (kassa_shop_verify_journal (shop, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (report.first_broken, ==, 0);

  check_orders (fixture, shop);
  /* One journal entry per sale, written in the sale's transaction. */
  g_assert_cmpint (report.n_entries, ==, fixture->n_orders);
  collect_adjustments (fixture, shop);
  check_stock (fixture, shop);
  check_invoices (fixture, shop);
  check_promises (fixture, shop);
}

/* Carts stored but never sold: each is a kill that landed inside a
 * sale, between storing the cart and the sale's commit. */
static guint
count_open_carts (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaShop) shop = kassa_shop_open (fixture->path, &error);
  g_autoptr(KassaCartRepository) carts = NULL;
  g_autoptr(GPtrArray) open = NULL;

  g_assert_no_error (error);
  carts = kassa_cart_repository_new (kassa_shop_get_database (shop));
  open = kassa_cart_repository_list (carts, FALSE, &error);
  g_assert_no_error (error);

  return open->len;
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
      if ((i + 1) % 100 == 0)
        g_test_message ("%u kills: %u sales, %u invoices, %u stock changes",
                        i + 1, fixture->n_orders, fixture->n_invoices, fixture->n_adjustments);
    }

  /* Everything once more from scratch, as a fresh reader sees it. */
  fixture_forget (fixture);
  check_store (fixture);

  g_test_message ("survived %u kills in %.1f s: %u sales, %u invoices, %u stock changes; "
                  "%u kills inside a sale; %u committed operations promised, 0 lost",
                  n_kills, (g_get_monotonic_time () - start) / 1e6,
                  fixture->n_orders, fixture->n_invoices, fixture->n_adjustments,
                  count_open_carts (fixture), fixture->n_promised);
  /* A loop that never got as far as a sale proves nothing. */
  g_assert_cmpuint (fixture->n_orders, >, 0);
  g_assert_cmpuint (fixture->n_invoices, >, 0);
  g_assert_cmpuint (fixture->n_promised, >, 0);
}

/* The checks are not blind: a promised sale that is not in the store, or
 * stock that moved without a sale or an audited adjustment, fails them. */
static void
test_checks_see_a_loss (Fixture       *fixture,
                        gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      const char *what = g_getenv ("KASSA_CRASH_LOSS");

      run_and_kill (fixture, 7, 300);
      check_store (fixture);

      if (g_strcmp0 (what, "sale") == 0)
        {
          g_assert_true (g_file_set_contents (fixture->side_path, "sale 999999 S-999999 100\n", -1, NULL));
          fixture->promises_read = 0;
        }
      else
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(KassaShop) shop = kassa_shop_open (fixture->path, &error);
          g_autoptr(KassaCatalogRepository) catalog = kassa_catalog_repository_new (kassa_shop_get_database (shop));
          g_autoptr(KassaCatalogItem) item = kassa_catalog_repository_get_by_sku (catalog, "MUG", &error);

          /* Stock changed behind the audit log's back. */
          g_assert_no_error (error);
          kassa_catalog_item_set_stock_on_hand (item, kassa_catalog_item_get_stock_on_hand (item) - 1000);
          g_assert_true (kassa_catalog_repository_update (catalog, item, &error));
          g_assert_no_error (error);
        }

      check_store (fixture);
      return;
    }

  g_autofree char *child_dir = g_build_filename (fixture->dir, "child", NULL);

  g_setenv ("KASSA_CRASH_CHILD_DIR", child_dir, TRUE);

  g_setenv ("KASSA_CRASH_LOSS", "sale", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  remove_dir (child_dir);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*check_promises*There is no order with id 999999*");

  g_setenv ("KASSA_CRASH_LOSS", "stock", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  remove_dir (child_dir);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*check_stock*stock_on_hand*");

  g_unsetenv ("KASSA_CRASH_LOSS");
  g_unsetenv ("KASSA_CRASH_CHILD_DIR");
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
  g_test_add ("/kassa/crash-loop/checks-see-a-loss", Fixture, NULL,
              fixture_set_up, test_checks_see_a_loss, fixture_tear_down);

  return g_test_run ();
}
