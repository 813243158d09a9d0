/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "kassa-audit-log.h"
#include "kassa-catalog-repository.h"
#include "kassa-error.h"
#include "kassa-money.h"
#include "kassa-settings-repository.h"
#include "kassa-shift-repository.h"
#include "kassa-shop-checkout.h"
#include "kassa-shop-private.h"
#include "kassa-shop-staff.h"
#include "kassa-stock-repository.h"
#include "kassa-store-error.h"
#include "kassa-till.h"

typedef struct
{
  char      *dir;
  KassaShop *shop;
  gint64     admin_id;
  gint64     cashier_id;
  gint64     tea_id;
  gint64     mug_id;
  GDateTime *now;
} Fixture;

static gint64
insert_item (KassaCatalogRepository *catalog,
             const char             *name,
             const char             *barcode,
             gint64                  price,
             gint64                  stock)
{
  g_autoptr(KassaCatalogItem) item = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  item = g_object_new (KASSA_TYPE_CATALOG_ITEM,
                       "name", name,
                       "sku", barcode,
                       "barcode", barcode,
                       "kind", KASSA_ITEM_KIND_PRODUCT,
                       "price", price,
                       "currency-code", "EUR",
                       "tax-rate", G_GINT64_CONSTANT (200000),
                       "stock-on-hand", stock,
                       "status", KASSA_ITEM_STATUS_ACTIVE,
                       NULL);
  id = kassa_catalog_repository_insert (catalog, item, &error);
  g_assert_no_error (error);

  return id;
}

static void
sign_in (Fixture *fixture,
         gint64   staff_id,
         const char *pin)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kassa_shop_sign_in (fixture->shop, staff_id, pin, fixture->now, &error));
  g_assert_no_error (error);
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
  g_autoptr(KassaShiftRepository) shifts = NULL;
  KassaDatabase *database;

  fixture->dir = g_dir_make_tmp ("kassa-till-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "shop.db", NULL);
  fixture->shop = kassa_shop_open (path, &error);
  g_assert_no_error (error);
  database = kassa_shop_get_database (fixture->shop);
  fixture->now = g_date_time_new_now_utc ();

  fixture->admin_id = kassa_shop_create_staff (fixture->shop, "Ada", KASSA_STAFF_ROLE_ADMIN, "2468",
                                               KASSA_PIN_COST_MINIMUM, &error);
  g_assert_no_error (error);
  sign_in (fixture, fixture->admin_id, "2468");
  fixture->cashier_id = kassa_shop_create_staff (fixture->shop, "Carl", KASSA_STAFF_ROLE_CASHIER, "1357",
                                                 KASSA_PIN_COST_MINIMUM, &error);
  g_assert_no_error (error);

  /* Cash rounds to 0.05, stock may not go negative. */
  settings_repository = kassa_settings_repository_new (database);
  settings = kassa_settings_repository_load_settings (settings_repository, "EUR", &error);
  g_assert_no_error (error);
  kassa_store_settings_set_prices_include_tax (settings, TRUE);
  kassa_store_settings_set_cash_rounding_step (settings, 5);
  kassa_store_settings_set_allow_negative_stock (settings, FALSE);
  kassa_store_settings_set_delivery_enabled (settings, TRUE);
  g_assert_true (kassa_settings_repository_save_settings (settings_repository, settings, &error));
  g_assert_no_error (error);

  catalog = kassa_catalog_repository_new (database);
  fixture->tea_id = insert_item (catalog, "Green tea", "4006381333931", 499, 5 * KASSA_QUANTITY_ONE);
  fixture->mug_id = insert_item (catalog, "Stoneware mug", "4006381333948", 1250, 2 * KASSA_QUANTITY_ONE);

  shifts = kassa_shift_repository_new (database);
  g_assert_cmpint (kassa_shift_repository_open (shifts, NULL, fixture->admin_id, "EUR", 10000, &error), >, 0);
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

static KassaTill *
new_till (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  KassaTill *till = kassa_till_new (fixture->shop, &error);

  g_assert_no_error (error);
  g_assert_nonnull (till);

  return till;
}

static gint64
available (Fixture *fixture,
           gint64   item_id)
{
  g_autoptr(KassaStockRepository) stock = kassa_stock_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  gint64 value = -1;

  g_assert_true (kassa_stock_repository_get_available (stock, item_id, now, &value, &error));
  g_assert_no_error (error);

  return value;
}

static gint64
line_quantity (KassaTill *till,
               guint      position)
{
  g_autoptr(KassaCartLine) line = g_list_model_get_item (G_LIST_MODEL (kassa_till_get_cart (till)), position);

  g_assert_nonnull (line);
  return kassa_cart_line_get_quantity (line);
}

static guint
n_lines (KassaTill *till)
{
  return g_list_model_get_n_items (G_LIST_MODEL (kassa_till_get_cart (till)));
}

static KassaAuditEntry *
last_audit (Fixture *fixture)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = kassa_audit_log_list_recent (kassa_shop_get_audit_log (fixture->shop), 0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);

  return kassa_audit_entry_copy (g_ptr_array_index (entries, 0));
}

static void
test_barcode (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(KassaTill) till = new_till (fixture);
  g_autoptr(GError) error = NULL;
  guint position = 99;

  g_assert_true (kassa_till_get_empty (till));
  g_assert_true (kassa_till_add_barcode (till, "4006381333931", &position, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (position, ==, 0);
  g_assert_true (kassa_till_add_barcode (till, " 4006381333931\n", &position, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_lines (till), ==, 1);
  g_assert_cmpint (line_quantity (till, 0), ==, 2000);
  g_assert_false (kassa_till_get_empty (till));

  /* Two teas are held for this cart. */
  g_assert_cmpint (available (fixture, fixture->tea_id), ==, 3000);

  g_assert_false (kassa_till_add_barcode (till, "999", &position, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "999"));
  g_assert_cmpuint (n_lines (till), ==, 1);
}

static void
test_totals (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(KassaTill) till = new_till (fixture);
  g_autoptr(GError) error = NULL;
  guint notified = 0;
  gint64 cash_due = 0;

  g_signal_connect_swapped (till, "notify::totals", G_CALLBACK (g_atomic_int_inc), &notified);

  g_assert_cmpint (kassa_till_get_amount_due (till), ==, 0);
  g_assert_true (kassa_till_add_barcode (till, "4006381333931", NULL, &error));
  g_assert_true (kassa_till_add_barcode (till, "4006381333948", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notified, >=, 2);

  /* 4.99 + 12.50, tax included at 20 %. */
  g_assert_cmpint (kassa_till_get_amount_due (till), ==, 1749);
  g_assert_cmpint (kassa_totals_get_total (kassa_till_get_totals (till)), ==, 1749);
  g_assert_cmpint (kassa_totals_get_tax (kassa_till_get_totals (till)), ==, 291);
  g_assert_true (kassa_till_compute_amount_due (till, TRUE, &cash_due, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cash_due, ==, 1750);

  g_assert_true (kassa_till_set_document_discount (till, KASSA_DISCOUNT_AMOUNT, 249, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kassa_till_get_amount_due (till), ==, 1500);
  g_assert_true (kassa_till_set_line_discount (till, 1, KASSA_DISCOUNT_PERCENT, 10 * KASSA_RATE_PERCENT, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kassa_till_get_amount_due (till), ==, 1375);

  /* A discount larger than what it comes off is refused, and the cart
   * keeps the one it had. */
  g_assert_false (kassa_till_set_line_discount (till, 0, KASSA_DISCOUNT_AMOUNT, 500, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kassa_till_set_document_discount (till, KASSA_DISCOUNT_AMOUNT, 99999, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (kassa_cart_get_discount_value (kassa_till_get_cart (till)), ==, 249);
  g_assert_cmpint (kassa_till_get_amount_due (till), ==, 1375);

  /* 10.00 off three teas (14.97): one tea (4.99) cannot take it. */
  g_assert_true (kassa_till_set_quantity (till, 0, 3000, &error));
  g_assert_true (kassa_till_set_line_discount (till, 0, KASSA_DISCOUNT_AMOUNT, 1000, &error));
  g_assert_no_error (error);
  g_assert_false (kassa_till_set_quantity (till, 0, 1000, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (kassa_cart_line_get_quantity (g_list_model_get_item (G_LIST_MODEL (kassa_till_get_cart (till)), 0)), ==, 3000);
  /* Removing the mug would leave less than the 6.00 off the sale. */
  g_assert_true (kassa_till_set_document_discount (till, KASSA_DISCOUNT_AMOUNT, 600, &error));
  g_assert_no_error (error);
  g_assert_null (kassa_till_remove_line (till, 1, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (n_lines (till), ==, 2);
}

static void
test_quantity_and_stock (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(KassaTill) till = new_till (fixture);
  g_autoptr(GError) error = NULL;

  g_assert_true (kassa_till_add_barcode (till, "4006381333948", NULL, &error));
  g_assert_true (kassa_till_set_quantity (till, 0, 2000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (available (fixture, fixture->mug_id), ==, 0);

  /* Only two mugs: a third is refused and the line keeps two. */
  g_assert_false (kassa_till_set_quantity (till, 0, 3000, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (line_quantity (till, 0), ==, 2000);
  g_assert_false (kassa_till_add_barcode (till, "4006381333948", NULL, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (line_quantity (till, 0), ==, 2000);

  g_assert_true (kassa_till_set_quantity (till, 0, 1000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (available (fixture, fixture->mug_id), ==, 1000);

  g_assert_false (kassa_till_set_quantity (till, 4, 1000, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
}

static void
test_remove_and_undo (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(KassaTill) till = new_till (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaCartLine) line = NULL;
  g_autoptr(KassaAuditEntry) entry = NULL;

  g_assert_true (kassa_till_add_barcode (till, "4006381333931", NULL, &error));
  g_assert_true (kassa_till_add_barcode (till, "4006381333948", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (available (fixture, fixture->tea_id), ==, 4000);

  line = kassa_till_remove_line (till, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_cmpuint (n_lines (till), ==, 1);
  g_assert_cmpint (available (fixture, fixture->tea_id), ==, 5000);
  g_assert_cmpint (kassa_till_get_amount_due (till), ==, 1250);

  entry = last_audit (fixture);
  g_assert_cmpstr (entry->action, ==, "cart.remove-line");
  g_assert_cmpint (entry->staff_id, ==, fixture->admin_id);
  g_assert_nonnull (strstr (entry->details, "Green tea"));

  g_assert_true (kassa_till_restore_line (till, 0, line, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_lines (till), ==, 2);
  g_assert_cmpstr (kassa_catalog_item_get_name (kassa_cart_line_get_item (g_list_model_get_item (G_LIST_MODEL (kassa_till_get_cart (till)), 0))), ==, "Green tea");
  g_assert_cmpint (available (fixture, fixture->tea_id), ==, 4000);
  g_assert_cmpint (kassa_till_get_amount_due (till), ==, 1749);
}

static void
test_permissions (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(KassaTill) till = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaAuditEntry) entry = NULL;

  sign_in (fixture, fixture->cashier_id, "1357");
  till = new_till (fixture);
  g_assert_true (kassa_till_add_barcode (till, "4006381333931", NULL, &error));
  g_assert_no_error (error);

  /* A cashier gives discounts but does not change prices. */
  g_assert_true (kassa_till_set_line_discount (till, 0, KASSA_DISCOUNT_AMOUNT, 99, &error));
  g_assert_no_error (error);
  g_assert_false (kassa_till_set_price_override (till, 0, 100, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (kassa_till_get_amount_due (till), ==, 400);

  sign_in (fixture, fixture->admin_id, "2468");
  g_assert_true (kassa_till_set_price_override (till, 0, 300, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kassa_till_get_amount_due (till), ==, 201);
  entry = last_audit (fixture);
  g_assert_cmpstr (entry->action, ==, "cart.price-override");
  g_assert_nonnull (strstr (entry->details, "\"previous_price\":499"));

  /* Nobody signed in: nothing happens. */
  kassa_shop_sign_out (fixture->shop);
  g_assert_false (kassa_till_add_barcode (till, "4006381333931", NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_null (kassa_till_remove_line (till, 0, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_assert_cmpuint (n_lines (till), ==, 1);
}

static void
test_resume_after_crash (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(KassaTill) till = new_till (fixture);
  g_autoptr(KassaTill) again = NULL;
  g_autoptr(GError) error = NULL;
  gint64 cart_id = kassa_till_get_cart_id (till);

  g_assert_cmpint (cart_id, >, 0);
  g_assert_true (kassa_till_add_barcode (till, "4006381333931", NULL, &error));
  g_assert_true (kassa_till_set_quantity (till, 0, 3000, &error));
  g_assert_true (kassa_till_set_delivery (till, KASSA_DELIVERY_METHOD_DELIVERY,
                                          "  Rue du Lac 4\n1003 Lausanne ", &error));
  g_assert_no_error (error);
  g_clear_object (&till);

  again = new_till (fixture);
  g_assert_cmpint (kassa_till_get_cart_id (again), ==, cart_id);
  g_assert_cmpuint (n_lines (again), ==, 1);
  g_assert_cmpint (line_quantity (again, 0), ==, 3000);
  g_assert_cmpstr (kassa_cart_get_delivery_address (kassa_till_get_cart (again)), ==,
                   "  Rue du Lac 4\n1003 Lausanne ");
  g_assert_cmpint (kassa_till_get_amount_due (again), ==, 1497);
  g_assert_cmpint (available (fixture, fixture->tea_id), ==, 2000);
}

static void
test_park_resume (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(KassaTill) till = new_till (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) parked = NULL;
  KassaCartSummary *summary;
  gint64 first_id = kassa_till_get_cart_id (till);
  gint64 second_id;

  g_assert_false (kassa_till_park (till, "nothing", &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (kassa_till_add_barcode (till, "4006381333931", NULL, &error));
  g_assert_true (kassa_till_park (till, "Lady in the red coat", &error));
  g_assert_no_error (error);
  second_id = kassa_till_get_cart_id (till);
  g_assert_cmpint (second_id, !=, first_id);
  g_assert_true (kassa_till_get_empty (till));
  g_assert_cmpint (kassa_till_get_amount_due (till), ==, 0);

  parked = kassa_till_list_parked (till, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parked->len, ==, 1);
  summary = g_ptr_array_index (parked, 0);
  g_assert_cmpint (summary->id, ==, first_id);
  g_assert_cmpstr (summary->label, ==, "Lady in the red coat");
  g_assert_cmpuint (summary->n_lines, ==, 1);

  /* The empty cart in the way is dropped, not parked. */
  g_assert_true (kassa_till_resume (till, first_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kassa_till_get_cart_id (till), ==, first_id);
  g_assert_cmpuint (n_lines (till), ==, 1);
  g_assert_cmpint (kassa_till_get_amount_due (till), ==, 499);
  g_clear_pointer (&parked, g_ptr_array_unref);
  parked = kassa_till_list_parked (till, &error);
  g_assert_cmpuint (parked->len, ==, 0);

  /* Resuming the one that is already open, or one that is not parked. */
  g_assert_true (kassa_till_resume (till, first_id, &error));
  g_assert_false (kassa_till_resume (till, second_id, &error));
  g_assert_nonnull (error);
}

static void
test_customer (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(KassaTill) till = new_till (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaCustomer) customer = NULL;
  g_autoptr(GPtrArray) found = NULL;

  customer = kassa_till_create_customer (till, "Zoë Dupont", "zoe@example.org", "", &error);
  g_assert_no_error (error);
  g_assert_nonnull (customer);
  g_assert_cmpint (kassa_customer_get_id (customer), >, 1);
  g_assert_true (kassa_cart_get_customer (kassa_till_get_cart (till)) == customer);

  found = kassa_till_search_customers (till, "zo", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (kassa_customer_get_email (g_ptr_array_index (found, 0)), ==, "zoe@example.org");

  g_assert_null (kassa_till_create_customer (till, "", "", "", &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (kassa_till_set_customer (till, NULL, &error));
  g_assert_no_error (error);
}

static void
test_pay_cash (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(KassaTill) till = new_till (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(KassaCatalogRepository) catalog = kassa_catalog_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaCatalogItem) tea = NULL;
  gint64 sold_cart;
  gint64 change = -1;

  g_assert_true (kassa_till_add_barcode (till, "4006381333931", NULL, &error));
  g_assert_true (kassa_till_add_barcode (till, "4006381333948", NULL, &error));
  g_assert_no_error (error);
  sold_cart = kassa_till_get_cart_id (till);

  /* 17.49 rounds to 17.50 in cash; 17 is short. */
  g_assert_null (kassa_till_pay_cash (till, 1700, &change, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (change, ==, -1);
  g_assert_cmpint (kassa_till_get_cart_id (till), ==, sold_cart);

  order = kassa_till_pay_cash (till, 2000, &change, &error);
  g_assert_no_error (error);
  g_assert_nonnull (order);
  g_assert_cmpint (change, ==, 250);
  g_assert_nonnull (kassa_order_get_number (order));
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PAID);

  /* A fresh cart, and the tea left the shelf. */
  g_assert_cmpint (kassa_till_get_cart_id (till), !=, sold_cart);
  g_assert_true (kassa_till_get_empty (till));
  tea = kassa_catalog_repository_get (catalog, fixture->tea_id, &error);
  g_assert_cmpint (kassa_catalog_item_get_stock_on_hand (tea), ==, 4000);
  g_assert_cmpint (available (fixture, fixture->tea_id), ==, 4000);

  /* An empty cart cannot be paid. */
  g_assert_null (kassa_till_pay_cash (till, 2000, &change, &error));
  g_assert_nonnull (error);
}

static void
test_failed_sale_keeps_cart (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(KassaTill) till = new_till (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) payments = g_ptr_array_new_with_free_func (g_object_unref);
  KassaPayment *cash = kassa_payment_new ();
  KassaPayment *card = kassa_payment_new ();
  g_autoptr(KassaOrder) order = NULL;
  gint64 cart_id;

  g_assert_true (kassa_till_add_barcode (till, "4006381333948", NULL, &error));
  g_assert_no_error (error);
  cart_id = kassa_till_get_cart_id (till);

  /* A split tender that does not add up is refused. */
  kassa_payment_set_provider_id (cash, KASSA_PAYMENT_PROVIDER_CASH);
  kassa_payment_set_amount (cash, 500);
  kassa_payment_set_provider_id (card, "other");
  kassa_payment_set_amount (card, 500);
  g_ptr_array_add (payments, cash);
  g_ptr_array_add (payments, card);
  g_assert_null (kassa_till_complete (till, payments, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (kassa_till_get_cart_id (till), ==, cart_id);
  g_assert_cmpuint (n_lines (till), ==, 1);

  /* 12.50 is a multiple of 0.05: cash rounding changes nothing. */
  kassa_payment_set_amount (card, 750);
  order = kassa_till_complete (till, payments, &error);
  g_assert_no_error (error);
  g_assert_nonnull (order);
  g_assert_cmpuint (g_list_model_get_n_items (kassa_order_get_payments (order)), ==, 2);
  g_assert_cmpint (kassa_till_get_cart_id (till), !=, cart_id);
}

static void
test_no_sale_and_receipt (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(KassaTill) till = new_till (fixture);
  g_autoptr(KassaShiftRepository) shifts = kassa_shift_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaShiftRecord) shift = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(KassaReceipt) receipt = NULL;
  g_autoptr(GBytes) png = NULL;
  KassaShiftCash cash;
  gint64 change = 0;

  g_assert_false (kassa_till_no_sale (till, "  ", &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (kassa_till_no_sale (till, "Change for the bakery", &error));
  g_assert_no_error (error);
  shift = kassa_shift_repository_get_open (shifts, NULL, &error);
  g_assert_true (kassa_shift_repository_compute_cash (shifts, shift->id, &cash, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cash.no_sales, ==, 1);

  g_assert_true (kassa_till_add_barcode (till, "4006381333931", NULL, &error));
  order = kassa_till_pay_cash (till, 1000, &change, &error);
  g_assert_no_error (error);
  g_assert_cmpint (change, ==, 500);
  receipt = kassa_till_build_receipt (till, order, 1000, change, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_receipt_get_cashier_name (receipt), ==, "Ada");
  /* 4.99 paid in cash is 5.00. */
  g_assert_cmpint (kassa_totals_get_amount_due (kassa_receipt_get_totals (receipt)), ==, 500);
  png = kassa_print_receipt_to_png_bytes (receipt, KASSA_RECEIPT_PAPER_80MM, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (png), >, 100);

  /* A cashier may open the drawer; a viewer may not. */
  kassa_shop_sign_out (fixture->shop);
  g_assert_false (kassa_till_no_sale (till, "Just looking", &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/till/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("barcode", test_barcode);
  ADD ("totals", test_totals);
  ADD ("quantity-and-stock", test_quantity_and_stock);
  ADD ("remove-and-undo", test_remove_and_undo);
  ADD ("permissions", test_permissions);
  ADD ("resume-after-crash", test_resume_after_crash);
  ADD ("park-resume", test_park_resume);
  ADD ("customer", test_customer);
  ADD ("pay-cash", test_pay_cash);
  ADD ("failed-sale-keeps-cart", test_failed_sale_keeps_cart);
  ADD ("no-sale-and-receipt", test_no_sale_and_receipt);

#undef ADD

  return g_test_run ();
}
