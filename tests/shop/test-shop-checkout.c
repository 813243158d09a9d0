/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "kassa-cart-repository.h"
#include "kassa-catalog-repository.h"
#include "kassa-document-totals.h"
#include "kassa-error.h"
#include "kassa-order-repository.h"
#include "kassa-service-session-repository.h"
#include "kassa-settings-repository.h"
#include "kassa-shift-repository.h"
#include "kassa-shop-checkout.h"
#include "kassa-shop-maintenance.h"
#include "kassa-shop-staff.h"
#include "kassa-shop-private.h"
#include "kassa-store-error.h"

typedef struct
{
  char      *dir;
  KassaShop *shop;
  gint64     beans_id;
  gint64     tasting_id;
  GDateTime *now;
} Fixture;

static KassaCatalogItem *
make_item (const char    *sku,
           KassaItemKind  kind,
           gint64         price,
           gint64         tax_rate,
           gint64         stock)
{
  return g_object_new (KASSA_TYPE_CATALOG_ITEM,
                       "name", sku,
                       "sku", sku,
                       "kind", kind,
                       "duration-minutes", kind == KASSA_ITEM_KIND_SERVICE ? 45 : 0,
                       "price", price,
                       "currency-code", "CHF",
                       "tax-rate", tax_rate,
                       "stock-on-hand", stock,
                       "status", KASSA_ITEM_STATUS_ACTIVE,
                       NULL);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(KassaSettingsRepository) settings_repository = NULL;
  g_autoptr(KassaStoreSettings) settings = NULL;
  g_autoptr(KassaCatalogRepository) catalog = NULL;
  g_autoptr(KassaCatalogItem) beans = make_item ("BEANS", KASSA_ITEM_KIND_PRODUCT, 1295, 26000, 10000);
  g_autoptr(KassaCatalogItem) tasting = make_item ("TASTING", KASSA_ITEM_KIND_SERVICE, 2500, 81000, 0);
  KassaDatabase *database;

  fixture->dir = g_dir_make_tmp ("kassa-checkout-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "shop.db", NULL);
  fixture->shop = kassa_shop_open (path, &error);
  g_assert_no_error (error);
  kassa_shop_act_as_system (fixture->shop);
  database = kassa_shop_get_database (fixture->shop);
  fixture->now = g_date_time_new_utc (2026, 11, 28, 10, 15, 0);

  /* A Swiss shop: prices include tax, cash rounds to 0.05. */
  settings_repository = kassa_settings_repository_new (database);
  settings = kassa_settings_repository_load_settings (settings_repository, "CHF", &error);
  g_assert_no_error (error);
  kassa_store_settings_set_prices_include_tax (settings, TRUE);
  kassa_store_settings_set_cash_rounding_step (settings, 5);
  g_assert_true (kassa_settings_repository_save_settings (settings_repository, settings, &error));
  g_assert_no_error (error);

  catalog = kassa_catalog_repository_new (database);
  fixture->beans_id = kassa_catalog_repository_insert (catalog, beans, &error);
  g_assert_no_error (error);
  fixture->tasting_id = kassa_catalog_repository_insert (catalog, tasting, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->shop);
  g_clear_pointer (&fixture->now, g_date_time_unref);

  dir = g_dir_open (fixture->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static void
open_shift (Fixture *fixture)
{
  g_autoptr(KassaShiftRepository) shifts = kassa_shift_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(GError) error = NULL;
  gint64 staff_id;

  staff_id = kassa_shop_create_staff (fixture->shop, "Ada Admin", KASSA_STAFF_ROLE_ADMIN, "2468",
                                      KASSA_PIN_COST_MINIMUM, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_shift_repository_open (shifts, NULL, staff_id, "CHF", 20000, &error), >, 0);
  g_assert_no_error (error);
}

/* 2.5 kg of beans and one tasting for a named customer. */
static gint64
store_cart (Fixture *fixture,
            gint64   beans_quantity)
{
  KassaDatabase *database = kassa_shop_get_database (fixture->shop);
  g_autoptr(KassaCatalogRepository) catalog = kassa_catalog_repository_new (database);
  g_autoptr(KassaCartRepository) carts = kassa_cart_repository_new (database);
  g_autoptr(KassaCart) cart = g_object_new (KASSA_TYPE_CART, "currency-code", "CHF", NULL);
  g_autoptr(KassaCatalogItem) beans = kassa_catalog_repository_get (catalog, fixture->beans_id, NULL);
  g_autoptr(KassaCatalogItem) tasting = kassa_catalog_repository_get (catalog, fixture->tasting_id, NULL);
  g_autoptr(GError) error = NULL;
  gint64 cart_id;

  g_assert_true (kassa_cart_add_item (cart, beans, beans_quantity, NULL, &error));
  g_assert_true (kassa_cart_add_item (cart, tasting, 1000, NULL, &error));
  g_assert_no_error (error);
  cart_id = kassa_cart_repository_create (carts, cart, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cart_id, >, 0);

  return cart_id;
}

static KassaPayment *
make_payment (const char *provider,
              gint64      amount)
{
  KassaPayment *payment = kassa_payment_new ();

  kassa_payment_set_provider_id (payment, provider);
  kassa_payment_set_amount (payment, amount);
  kassa_payment_set_method_label (payment, provider);

  return payment;
}

static gint64
count_orders (Fixture *fixture)
{
  g_autoptr(KassaOrderRepository) orders = kassa_order_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(GListModel) list = kassa_order_repository_list (orders, NULL, NULL, 100, NULL);

  g_assert_nonnull (list);
  return g_list_model_get_n_items (list);
}

static gint64
journal_entries (Fixture *fixture)
{
  KassaJournalReport report;
  g_autoptr(GError) error = NULL;

  g_assert_true (kassa_shop_verify_journal (fixture->shop, &report, &error));
  g_assert_no_error (error);

  return report.n_entries;
}

static gint64
stock_of_beans (Fixture *fixture)
{
  g_autoptr(KassaCatalogRepository) catalog = kassa_catalog_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaCatalogItem) beans = kassa_catalog_repository_get (catalog, fixture->beans_id, NULL);

  return kassa_catalog_item_get_stock_on_hand (beans);
}

/* Whether the cart is still open at the till (not sold). */
static gboolean
cart_is_open (Fixture *fixture,
              gint64   cart_id)
{
  g_autoptr(KassaCartRepository) carts = kassa_cart_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(GPtrArray) open = kassa_cart_repository_list (carts, FALSE, NULL);

  g_assert_nonnull (open);
  for (guint i = 0; i < open->len; i++)
    {
      KassaCartSummary *summary = g_ptr_array_index (open, i);

      if (summary->id == cart_id)
        return TRUE;
    }

  return FALSE;
}

static void
test_cash_sale (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) payments = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(KassaOrderRepository) orders = NULL;
  g_autoptr(KassaOrder) stored = NULL;
  g_autoptr(KassaServiceSessionRepository) sessions = NULL;
  g_autoptr(GPtrArray) active = NULL;
  KassaOrderStoredTotals totals;
  gint64 cart_id, due, due_card;

  open_shift (fixture);
  cart_id = store_cart (fixture, 2500);

  /* 2.5 × 12.95 = 32.375 → 32.38, plus 25.00: 57.38, 57.40 in cash. */
  g_assert_true (kassa_shop_get_amount_due (fixture->shop, cart_id, TRUE, &due, &error));
  g_assert_no_error (error);
  g_assert_cmpint (due, ==, 5740);
  g_assert_true (kassa_shop_get_amount_due (fixture->shop, cart_id, FALSE, &due_card, &error));
  g_assert_cmpint (due_card, ==, 5738);

  g_ptr_array_add (payments, make_payment (KASSA_PAYMENT_PROVIDER_CASH, due));
  order = kassa_shop_complete_sale (fixture->shop, cart_id, payments, fixture->now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (order);

  g_assert_cmpstr (kassa_order_get_number (order), ==, "S-000001");
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PAID);

  /* What was stored is what was sold, totals included. */
  orders = kassa_order_repository_new (kassa_shop_get_database (fixture->shop));
  stored = kassa_order_repository_load_by_number (orders, "S-000001", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_order_get_amount_paid (stored), ==, 5740);
  g_assert_cmpuint (g_list_model_get_n_items (kassa_order_get_lines (stored)), ==, 2);
  g_assert_true (kassa_order_repository_load_totals (orders, kassa_order_get_id (stored), &totals, &error));
  g_assert_cmpint (totals.total, ==, 5738);
  g_assert_cmpint (totals.cash_rounding, ==, 2);
  g_assert_cmpint (totals.untaxed + totals.tax, ==, totals.total);

  /* Stock went down, the cart is gone, the sale is in the journal, and
   * the tasting waits to be given. */
  g_assert_cmpint (stock_of_beans (fixture), ==, 7500);
  g_assert_false (cart_is_open (fixture, cart_id));
  g_assert_cmpint (journal_entries (fixture), ==, 1);
  sessions = kassa_service_session_repository_new (kassa_shop_get_database (fixture->shop));
  active = kassa_service_session_repository_list_for_order (sessions, kassa_order_get_id (stored), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (active->len, ==, 1);

  /* The same cart cannot be sold twice. */
  g_assert_null (kassa_shop_complete_sale (fixture->shop, cart_id, payments, fixture->now, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_assert_cmpint (count_orders (fixture), ==, 1);
}

static void
test_split_tender (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) payments = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(KassaOrder) order = NULL;
  gint64 cart_id;

  open_shift (fixture);
  cart_id = store_cart (fixture, 1000);

  /* 12.95 + 25.00 = 37.95: 20.00 in cash (no rounding needed at .95),
   * the rest by card. */
  g_ptr_array_add (payments, make_payment (KASSA_PAYMENT_PROVIDER_CASH, 2000));
  g_ptr_array_add (payments, make_payment ("stripe-terminal", 1795));
  order = kassa_shop_complete_sale (fixture->shop, cart_id, payments, fixture->now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (kassa_order_get_payments (order)), ==, 2);
  g_assert_cmpint (kassa_order_get_amount_paid (order), ==, 3795);
}

/* Every refusal leaves the store exactly as it was: no order, the cart
 * and its stock untouched, nothing in the journal. */
static void
assert_nothing_written (Fixture *fixture,
                        gint64   cart_id)
{
  g_assert_cmpint (count_orders (fixture), ==, 0);
  g_assert_true (cart_is_open (fixture, cart_id));
  g_assert_cmpint (stock_of_beans (fixture), ==, 10000);
  g_assert_cmpint (journal_entries (fixture), ==, 0);
}

static void
test_wrong_amount_refused (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) payments = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 cart_id;

  open_shift (fixture);
  cart_id = store_cart (fixture, 2500);

  /* The card amount is not rounded: 57.40 by card is too much. */
  g_ptr_array_add (payments, make_payment ("stripe-terminal", 5740));
  g_assert_null (kassa_shop_complete_sale (fixture->shop, cart_id, payments, fixture->now, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  assert_nothing_written (fixture, cart_id);
}

static void
test_no_shift_refused (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) payments = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 cart_id = store_cart (fixture, 2500);

  g_ptr_array_add (payments, make_payment (KASSA_PAYMENT_PROVIDER_CASH, 5740));
  g_assert_null (kassa_shop_complete_sale (fixture->shop, cart_id, payments, fixture->now, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  assert_nothing_written (fixture, cart_id);
}

static void
test_oversell_refused (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) payments = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 cart_id, due;

  open_shift (fixture);
  cart_id = store_cart (fixture, 11000);
  g_assert_true (kassa_shop_get_amount_due (fixture->shop, cart_id, TRUE, &due, NULL));

  /* The order insert succeeded inside the transaction before the stock
   * refused: it must be rolled back with everything else. */
  g_ptr_array_add (payments, make_payment (KASSA_PAYMENT_PROVIDER_CASH, due));
  g_assert_null (kassa_shop_complete_sale (fixture->shop, cart_id, payments, fixture->now, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_assert_cmpint (count_orders (fixture), ==, 0);
  g_assert_true (cart_is_open (fixture, cart_id));
  g_assert_cmpint (stock_of_beans (fixture), ==, 10000);
  g_assert_cmpint (journal_entries (fixture), ==, 0);
}

static void
test_permission (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) payments = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(KassaStaff) viewer = kassa_staff_new ();
  g_autoptr(KassaStaff) cashier = kassa_staff_new ();
  g_autoptr(KassaOrder) order = NULL;
  gint64 cart_id;

  open_shift (fixture);
  cart_id = store_cart (fixture, 1000);
  g_ptr_array_add (payments, make_payment (KASSA_PAYMENT_PROVIDER_CASH, 3795));

  kassa_staff_set_name (viewer, "Val Viewer");
  kassa_staff_set_role (viewer, KASSA_STAFF_ROLE_VIEWER);
  kassa_shop_set_actor (fixture->shop, viewer);
  g_assert_null (kassa_shop_complete_sale (fixture->shop, cart_id, payments, fixture->now, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (count_orders (fixture) + 0, ==, 0);

  kassa_staff_set_name (cashier, "Cas Cashier");
  kassa_staff_set_role (cashier, KASSA_STAFF_ROLE_CASHIER);
  kassa_shop_set_actor (fixture->shop, cashier);
  order = kassa_shop_complete_sale (fixture->shop, cart_id, payments, fixture->now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (order);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/shop-checkout/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("cash-sale", test_cash_sale);
  ADD ("split-tender", test_split_tender);
  ADD ("wrong-amount-refused", test_wrong_amount_refused);
  ADD ("no-shift-refused", test_no_shift_refused);
  ADD ("oversell-refused", test_oversell_refused);
  ADD ("permission", test_permission);

  return g_test_run ();
}
