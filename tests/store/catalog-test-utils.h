/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kassa-catalog-item.h"
#include "kassa-catalog-repository.h"
#include "kassa-store-private.h"
#include "store-test-utils.h"

typedef struct
{
  char          *dir;
  KassaDatabase *database;
} CatalogFixture;

static inline void
catalog_fixture_set_up (CatalogFixture *fixture,
                        gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = store_test_make_dir ();
  path = g_build_filename (fixture->dir, "kassa.db", NULL);
  fixture->database = kassa_database_open (path, &error);
  g_assert_no_error (error);
}

static inline void
catalog_fixture_tear_down (CatalogFixture *fixture,
                           gconstpointer   data)
{
  g_assert_finalize_object (fixture->database);
  store_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
}

static inline KassaCatalogItem *
catalog_test_item (const char *name,
                   const char *sku,
                   const char *barcode,
                   gint64      price)
{
  KassaCatalogItem *item = kassa_catalog_item_new ();

  kassa_catalog_item_set_name (item, name);
  kassa_catalog_item_set_sku (item, sku);
  kassa_catalog_item_set_barcode (item, barcode);
  kassa_catalog_item_set_price (item, price);
  kassa_catalog_item_set_currency_code (item, "EUR");
  kassa_catalog_item_set_tax_rate (item, 200000);
  kassa_catalog_item_set_status (item, KASSA_ITEM_STATUS_ACTIVE);

  return item;
}

static inline gint64
catalog_test_add (KassaCatalogRepository *repository,
                  const char             *name,
                  const char             *sku,
                  const char             *barcode,
                  gint64                  price)
{
  g_autoptr(KassaCatalogItem) item = catalog_test_item (name, sku, barcode, price);
  g_autoptr(GError) error = NULL;
  gint64 id = kassa_catalog_repository_insert (repository, item, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}
