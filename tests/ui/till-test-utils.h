/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A scratch shop for the till's widget tests: a few items with
 * barcodes, an administrator signed in, a shift open. */

#include <glib/gstdio.h>

#include "kassa-catalog-repository.h"
#include "kassa-money.h"
#include "kassa-settings-repository.h"
#include "kassa-shift-repository.h"
#include "kassa-shop-private.h"
#include "kassa-shop-staff.h"
#include "kassa-test-ui.h"

typedef struct
{
  const char *name;
  const char *barcode;
  gint64      price;
} TillTestItem;

static const TillTestItem till_test_items[] = {
  { "Green tea", "4006381333931", 499 },
  { "Black tea", "4006381333948", 459 },
  { "Tea pot", "4006381333955", 3290 },
  { "Stoneware mug", "4006381333962", 1250 },
  { "Honey 500 g", "4006381333979", 875 },
  { "Oat biscuits", "4006381333986", 325 },
  { "Espresso beans 1 kg", "4006381333993", 2490 },
  { "Milk frother", "4006381334006", 1999 },
  { "Gift card", "4006381334013", 2500 },
  { "Linen tea towel", "4006381334020", 1150 },
};

static inline KassaShop *
till_test_open_shop (char **dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(KassaSettingsRepository) settings_repository = NULL;
  g_autoptr(KassaStoreSettings) settings = NULL;
  g_autoptr(KassaStoreProfile) profile = NULL;
  g_autoptr(KassaCatalogRepository) catalog = NULL;
  g_autoptr(KassaShiftRepository) shifts = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  KassaDatabase *database;
  KassaShop *shop;
  gint64 staff_id;

  *dir = g_dir_make_tmp ("kassa-till-ui-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (*dir, "shop.db", NULL);
  shop = kassa_shop_open (path, &error);
  g_assert_no_error (error);
  database = kassa_shop_get_database (shop);

  staff_id = kassa_shop_create_staff (shop, "Ada", KASSA_STAFF_ROLE_ADMIN, "2468", KASSA_PIN_COST_MINIMUM, &error);
  g_assert_no_error (error);
  g_assert_true (kassa_shop_sign_in (shop, staff_id, "2468", now, &error));
  g_assert_no_error (error);

  settings_repository = kassa_settings_repository_new (database);
  settings = kassa_settings_repository_load_settings (settings_repository, "EUR", &error);
  g_assert_no_error (error);
  kassa_store_settings_set_prices_include_tax (settings, TRUE);
  kassa_store_settings_set_allow_negative_stock (settings, TRUE);
  kassa_store_settings_set_delivery_enabled (settings, TRUE);
  kassa_store_settings_set_pickup_enabled (settings, TRUE);
  g_assert_true (kassa_settings_repository_save_settings (settings_repository, settings, &error));
  g_assert_no_error (error);
  profile = kassa_settings_repository_load_profile (settings_repository, &error);
  g_assert_no_error (error);
  kassa_store_profile_set_name (profile, "Teahouse Lindenberg");
  g_assert_true (kassa_settings_repository_save_profile (settings_repository, profile, &error));
  g_assert_no_error (error);

  catalog = kassa_catalog_repository_new (database);
  for (guint i = 0; i < G_N_ELEMENTS (till_test_items); i++)
    {
      g_autoptr(KassaCatalogItem) item = NULL;

      item = g_object_new (KASSA_TYPE_CATALOG_ITEM,
                           "name", till_test_items[i].name,
                           "sku", till_test_items[i].barcode,
                           "barcode", till_test_items[i].barcode,
                           "kind", KASSA_ITEM_KIND_PRODUCT,
                           "price", till_test_items[i].price,
                           "currency-code", "EUR",
                           "tax-rate", i % 3 == 0 ? G_GINT64_CONSTANT (70000) : G_GINT64_CONSTANT (190000),
                           "stock-on-hand", G_GINT64_CONSTANT (50000),
                           "status", KASSA_ITEM_STATUS_ACTIVE,
                           NULL);
      kassa_catalog_repository_insert (catalog, item, &error);
      g_assert_no_error (error);
    }

  shifts = kassa_shift_repository_new (database);
  g_assert_cmpint (kassa_shift_repository_open (shifts, NULL, staff_id, "EUR", 10000, &error), >, 0);
  g_assert_no_error (error);

  return shop;
}

static inline void
till_test_remove_dir (char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (dir);
  g_free (dir);
}

/* The application loads its style sheet itself; a lone widget needs it
 * loaded to look as it does there. */
static inline void
till_test_load_style (void)
{
  static GtkCssProvider *provider;

  if (provider != NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/kassapos/Kassa/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

/* Renders @widget's window as it is on screen into a PNG. */
static inline void
till_test_save_screenshot (GtkWidget  *widget,
                           const char *path)
{
  GtkNative *native = gtk_widget_get_native (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (native));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (GTK_WIDGET (native));
  int height = gtk_widget_get_height (GTK_WIDGET (native));

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (native), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}
