/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The victim of the crash loop (test-crash-loop.c): sells at the till,
 * issues invoices and changes stock as fast as it can, until it is
 * killed. Only after a commit has returned does it append what it saw
 * committed to the side file and fsync it, so every line there is a
 * promise the store must keep after any kill.
 *
 *   kassa-crash-driver DATABASE SIDE-FILE SEED CUSTOMER-ID
 *
 * It never exits on its own except on an error, which the loop reports. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "kassa-cart-repository.h"
#include "kassa-catalog-repository.h"
#include "kassa-invoice-repository.h"
#include "kassa-shop-checkout.h"
#include "kassa-shop-private.h"
#include "kassa-stock-repository.h"

typedef struct
{
  KassaShop                *shop;
  KassaDatabase            *database;
  GPtrArray                *items;
  KassaInvoiceNumberFormat *format;
  gint64                    customer_id;
  GRand                    *rand;
  int                       side_fd;
} Driver;

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("kassa-crash-driver: %s: %s\n", what, error != NULL ? error->message : g_strerror (errno));
  exit (2);
}

/* Appends one line and makes it durable before going on. */
static void
promise (Driver     *driver,
         const char *format,
         ...)
{
  g_autofree char *line = NULL;
  va_list args;
  gsize length, written = 0;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  length = strlen (line);

  while (written < length)
    {
      ssize_t n = write (driver->side_fd, line + written, length - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        die ("writing the side file", NULL);
      written += n;
    }
  if (fsync (driver->side_fd) != 0)
    die ("syncing the side file", NULL);
}

static KassaCatalogItem *
pick_item (Driver *driver)
{
  return g_ptr_array_index (driver->items, g_rand_int_range (driver->rand, 0, driver->items->len));
}

static void
sell (Driver *driver)
{
  g_autoptr(KassaCartRepository) carts = kassa_cart_repository_new (driver->database);
  g_autoptr(KassaCart) cart = g_object_new (KASSA_TYPE_CART, "currency-code", "CHF", NULL);
  g_autoptr(GPtrArray) payments = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(KassaPayment) payment = kassa_payment_new ();
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint n_lines = g_rand_int_range (driver->rand, 1, 4);
  gboolean cash = g_rand_boolean (driver->rand);
  gint64 cart_id, due;

  for (guint i = 0; i < n_lines; i++)
    {
      /* Whole units mostly, now and then weighed goods. */
      gint64 quantity = g_rand_int_range (driver->rand, 0, 4) == 0
                        ? g_rand_int_range (driver->rand, 100, 2500)
                        : 1000 * g_rand_int_range (driver->rand, 1, 4);

      if (!kassa_cart_add_item (cart, pick_item (driver), quantity, NULL, &error))
        die ("adding to the cart", error);
    }

  cart_id = kassa_cart_repository_create (carts, cart, 0, &error);
  if (cart_id == 0)
    die ("storing the cart", error);
  if (!kassa_shop_get_amount_due (driver->shop, cart_id, cash, &due, &error))
    die ("computing the amount due", error);

  kassa_payment_set_provider_id (payment, cash ? KASSA_PAYMENT_PROVIDER_CASH : "stripe-terminal");
  kassa_payment_set_method_label (payment, cash ? "Cash" : "Card");
  kassa_payment_set_amount (payment, due);
  g_ptr_array_add (payments, g_steal_pointer (&payment));

  order = kassa_shop_complete_sale (driver->shop, cart_id, payments, now, &error);
  if (order == NULL)
    die ("completing the sale", error);

  promise (driver, "sale %" G_GINT64_FORMAT " %s %" G_GINT64_FORMAT "\n",
           kassa_order_get_id (order), kassa_order_get_number (order), due);
}

static void
issue_invoice (Driver *driver)
{
  g_autoptr(KassaInvoiceRepository) invoices = kassa_invoice_repository_new (driver->database);
  g_autoptr(KassaInvoice) invoice = NULL;
  g_autoptr(KassaInvoiceLine) line = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *token = g_strdup_printf ("crash-token-%08x%08x%08x",
                                            g_rand_int (driver->rand), g_rand_int (driver->rand),
                                            g_rand_int (driver->rand));

  invoice = g_object_new (KASSA_TYPE_INVOICE,
                          "customer-id", driver->customer_id,
                          "currency-code", "CHF",
                          "buyer-name", "Berg AG",
                          "buyer-email", "buchhaltung@berg.example",
                          NULL);
  line = g_object_new (KASSA_TYPE_INVOICE_LINE,
                       "name", "Beratung",
                       "quantity", (gint64) 1000 * g_rand_int_range (driver->rand, 1, 9),
                       "unit-price", (gint64) g_rand_int_range (driver->rand, 100, 100000),
                       "tax-rate", (gint64) 81000,
                       NULL);
  if (!kassa_invoice_add_line (invoice, line, &error))
    die ("adding an invoice line", error);

  /* The issue folds into the caller's transaction, as a use case that
   * issues an invoice with a sale would run it. */
  if (!kassa_database_begin (driver->database, &error))
    die ("starting the invoice transaction", error);
  if (!kassa_invoice_repository_issue (invoices, invoice, driver->format, now, NULL, token, &error))
    die ("issuing an invoice", error);
  if (!kassa_database_commit (driver->database, &error))
    die ("committing the invoice", error);

  promise (driver, "invoice %" G_GINT64_FORMAT " %s\n",
           kassa_invoice_get_id (invoice), kassa_invoice_get_reference (invoice));
}

static void
change_stock (Driver *driver)
{
  g_autoptr(KassaStockRepository) stock = kassa_stock_repository_new (driver->database);
  g_autoptr(GError) error = NULL;
  KassaCatalogItem *item = pick_item (driver);
  /* A delivery or some breakage, in whole units. */
  gint64 delta = 1000 * (g_rand_int_range (driver->rand, 0, 3) == 0
                         ? -g_rand_int_range (driver->rand, 1, 3)
                         : g_rand_int_range (driver->rand, 1, 20));
  gint64 new_stock;

  if (!kassa_stock_repository_adjust (stock, kassa_catalog_item_get_id (item), delta,
                                      delta > 0 ? "Delivery" : "Breakage", 0, &new_stock, &error))
    die ("changing stock", error);

  promise (driver, "stock %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
           kassa_catalog_item_get_id (item), delta);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaCatalogRepository) catalog = NULL;
  Driver driver = { 0 };

#ifdef __linux__
  /* Never outlive the loop that kills it, should the loop itself die. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () == 1)
    return 2;
#endif

  if (argc != 5)
    {
      g_printerr ("Usage: kassa-crash-driver DATABASE SIDE-FILE SEED CUSTOMER-ID\n");
      return 2;
    }

  driver.side_fd = open (argv[2], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (driver.side_fd < 0)
    die ("opening the side file", NULL);
  driver.rand = g_rand_new_with_seed ((guint32) g_ascii_strtoull (argv[3], NULL, 10));
  driver.customer_id = g_ascii_strtoll (argv[4], NULL, 10);

  driver.shop = kassa_shop_open (argv[1], &error);
  if (driver.shop == NULL)
    die ("opening the store", error);
  kassa_shop_act_as_system (driver.shop);
  driver.database = kassa_shop_get_database (driver.shop);

  catalog = kassa_catalog_repository_new (driver.database);
  driver.items = kassa_catalog_repository_list_by_id (catalog, 0, 100, &error);
  if (driver.items == NULL || driver.items->len == 0)
    die ("listing the items", error);
  driver.format = kassa_invoice_number_format_new (KASSA_INVOICE_NUMBER_DEFAULT_PATTERN, &error);
  if (driver.format == NULL)
    die ("making the invoice number format", error);

  for (;;)
    {
      guint what = g_rand_int_range (driver.rand, 0, 10);

      if (what < 6)
        sell (&driver);
      else if (what < 8)
        issue_invoice (&driver);
      else
        change_stock (&driver);
    }
}
