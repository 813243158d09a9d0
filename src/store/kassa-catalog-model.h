/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kassa-database.h"
#include "kassa-store-enums.h"

G_BEGIN_DECLS

/* A GListModel of KassaCatalogItem over the catalog, for lists of any
 * size: rows are read from SQLite a page (KASSA_CATALOG_MODEL_PAGE_SIZE
 * items) at a time when asked for, and only the most recently used
 * KASSA_CATALOG_MODEL_MAX_PAGES pages are kept, so a million-item catalog
 * is never held whole. The number of items comes from COUNT.
 *
 * Without search text the items are in listing order (sort order, name,
 * id), filtered by status. With search text they are the search's
 * results, best first, at most KASSA_CATALOG_SEARCH_MAX_RESULTS.
 *
 * The model does not watch the database: whoever changes the catalog
 * calls kassa_catalog_model_reload(), which emits items-changed. */

#define KASSA_CATALOG_MODEL_PAGE_SIZE 200
#define KASSA_CATALOG_MODEL_MAX_PAGES 8

#define KASSA_TYPE_CATALOG_MODEL (kassa_catalog_model_get_type ())

G_DECLARE_FINAL_TYPE (KassaCatalogModel, kassa_catalog_model, KASSA, CATALOG_MODEL, GObject)

KassaCatalogModel  *kassa_catalog_model_new               (KassaDatabase      *database);
const char         *kassa_catalog_model_get_search_text   (KassaCatalogModel  *self);
void                kassa_catalog_model_set_search_text   (KassaCatalogModel  *self,
                                                           const char         *search_text);
KassaCatalogFilter  kassa_catalog_model_get_filter        (KassaCatalogModel  *self);
void                kassa_catalog_model_set_filter        (KassaCatalogModel  *self,
                                                           KassaCatalogFilter  filter);
/* Forgets every cached page, counts again and emits items-changed for
 * the whole list. */
void                kassa_catalog_model_reload            (KassaCatalogModel  *self);
/* How many pages are held now (for tests and benchmarks). */
guint               kassa_catalog_model_get_n_cached_pages (KassaCatalogModel *self);

G_END_DECLS
