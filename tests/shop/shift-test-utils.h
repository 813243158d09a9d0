/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A Swiss shop on a fresh database with a staff member of each role
 * that runs a till, for the tests of shifts and their reports. */

#include <glib/gstdio.h>

#include "kassa-cart-repository.h"
#include "kassa-catalog-repository.h"
#include "kassa-settings-repository.h"
#include "kassa-shop-checkout.h"
#include "kassa-shop-private.h"
#include "kassa-shop-staff.h"

typedef struct
{
  char      *dir;
  KassaShop *shop;
  gint64     beans_id;
  gint64     admin_id;
  gint64     manager_id;
  gint64     cashier_id;
  gint64     viewer_id;
  gint64     approver_id;
} ShiftFixture;

static inline gint64
shift_fixture_create_staff (ShiftFixture   *fixture,
                            const char     *name,
                            KassaStaffRole  role)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = kassa_shop_create_staff (fixture->shop, name, role, "1357", KASSA_PIN_COST_MINIMUM, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static inline void
shift_fixture_sign_in (ShiftFixture *fixture,
                       gint64        staff_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_assert_true (kassa_shop_sign_in (fixture->shop, staff_id, "1357", now, &error));
  g_assert_no_error (error);
}

static inline void
shift_fixture_set_up (ShiftFixture  *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(KassaSettingsRepository) settings_repository = NULL;
  g_autoptr(KassaStoreSettings) settings = NULL;
  g_autoptr(KassaCatalogRepository) catalog = NULL;
  g_autoptr(KassaCatalogItem) beans = NULL;
  KassaDatabase *database;

  fixture->dir = g_dir_make_tmp ("kassa-shift-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "shop.db", NULL);
  fixture->shop = kassa_shop_open (path, &error);
  g_assert_no_error (error);
  kassa_shop_act_as_system (fixture->shop);
  database = kassa_shop_get_database (fixture->shop);

  /* A Swiss shop: prices include tax, cash rounds to 0.05. */
  settings_repository = kassa_settings_repository_new (database);
  settings = kassa_settings_repository_load_settings (settings_repository, "CHF", &error);
  g_assert_no_error (error);
  kassa_store_settings_set_prices_include_tax (settings, TRUE);
  kassa_store_settings_set_cash_rounding_step (settings, 5);
  g_assert_true (kassa_settings_repository_save_settings (settings_repository, settings, &error));

  beans = g_object_new (KASSA_TYPE_CATALOG_ITEM,
                        "name", "Beans", "sku", "BEANS", "kind", KASSA_ITEM_KIND_PRODUCT,
                        "price", 1295, "currency-code", "CHF", "tax-rate", 26000,
                        "stock-on-hand", 100000, "status", KASSA_ITEM_STATUS_ACTIVE, NULL);
  catalog = kassa_catalog_repository_new (database);
  fixture->beans_id = kassa_catalog_repository_insert (catalog, beans, &error);
  g_assert_no_error (error);

  fixture->admin_id = shift_fixture_create_staff (fixture, "Ada", KASSA_STAFF_ROLE_ADMIN);
  fixture->manager_id = shift_fixture_create_staff (fixture, "Mia", KASSA_STAFF_ROLE_MANAGER);
  fixture->cashier_id = shift_fixture_create_staff (fixture, "Carl", KASSA_STAFF_ROLE_CASHIER);
  fixture->viewer_id = shift_fixture_create_staff (fixture, "Vera", KASSA_STAFF_ROLE_VIEWER);
  fixture->approver_id = shift_fixture_create_staff (fixture, "Rob", KASSA_STAFF_ROLE_REFUND_APPROVER);
  kassa_shop_sign_out (fixture->shop);
}

static inline void
shift_fixture_tear_down (ShiftFixture  *fixture,
                         gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->shop);

  dir = g_dir_open (fixture->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

/* Sells one bag of beans (12.95) with one tender. */
static inline void
shift_fixture_sell_beans (ShiftFixture *fixture,
                          const char   *provider)
{
  KassaDatabase *database = kassa_shop_get_database (fixture->shop);
  g_autoptr(KassaCatalogRepository) catalog = kassa_catalog_repository_new (database);
  g_autoptr(KassaCartRepository) carts = kassa_cart_repository_new (database);
  g_autoptr(KassaCart) cart = g_object_new (KASSA_TYPE_CART, "currency-code", "CHF", NULL);
  g_autoptr(KassaCatalogItem) beans = kassa_catalog_repository_get (catalog, fixture->beans_id, NULL);
  g_autoptr(GPtrArray) payments = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  KassaPayment *payment;
  gint64 cart_id;

  g_assert_true (kassa_cart_add_item (cart, beans, 1000, NULL, &error));
  cart_id = kassa_cart_repository_create (carts, cart, 0, &error);
  g_assert_no_error (error);

  payment = kassa_payment_new ();
  kassa_payment_set_provider_id (payment, provider);
  kassa_payment_set_amount (payment, 1295);
  kassa_payment_set_method_label (payment, provider);
  g_ptr_array_add (payments, payment);

  order = kassa_shop_complete_sale (fixture->shop, cart_id, payments, now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (order);
}
