/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the files of KassaCatalogRepository share; only src/store/ sees it.
 *
 * kassa-catalog-repository.c holds the items' CRUD, their pictures and
 * the GObject; kassa-catalog-search.c the search; kassa-catalog-bulk.c
 * the bulk load. The public functions of the search and of the bulk load
 * are defined in those files, next to the helpers they call, not wrapped
 * by functions of the repository's file calling internal ones: a wrapper
 * would only give each function a second name and its file a prototype
 * to keep in step, while kassa-catalog-repository.h stays the one
 * declaration of the whole API either way. The bulk load keeps its state
 * between begin and end in the repository's fields, which the CRUD reads
 * too (an insert during the load, an update of an item it added), so the
 * instance struct is declared here. */

#include "kassa-catalog-repository.h"
#include "kassa-store-private.h"

G_BEGIN_DECLS

#define INSERT_ITEM_SQL \
  "INSERT INTO catalog_item (kind, name, description, item_type, sku, barcode, " \
  "price, currency, tax_rate, pricing, billing_interval, interval_count, cycles, " \
  "duration_minutes, stock_on_hand, status, public, sort_order, created_at, updated_at) VALUES "

#define ITEM_COLUMNS \
  "ci.id, ci.kind, ci.name, ci.description, ci.item_type, ci.sku, ci.barcode, ci.price, " \
  "ci.currency, ci.tax_rate, ci.pricing, ci.billing_interval, ci.interval_count, ci.cycles, " \
  "ci.duration_minutes, ci.stock_on_hand, ci.status, ci.public, ci.sort_order"

/* Builds the search index of a bulk load on a thread (see
 * kassa-catalog-bulk.c). */
typedef struct _SearchBuilder SearchBuilder;

struct _KassaCatalogRepository
{
  GObject        parent_instance;

  KassaDatabase *database;

  /* While bulk inserting: the search trigger set aside, the highest id
   * before the first new item, the page cache size to go back to, and
   * the one time stamp every new item gets. */
  char          *bulk_trigger_sql;
  GPtrArray     *bulk_index_sql;
  gint64         bulk_after_id;
  gint64         bulk_cache_size;
  char          *bulk_now;
  /* Into an empty catalog: the search index, built meanwhile once the
   * load is large enough to be worth a thread (bulk_search_wanted). */
  SearchBuilder *bulk_search;
  gboolean       bulk_search_wanted;
  guint          bulk_rows;
  /* The multi-row insert of insert_many, for batches of bulk_batch_rows. */
  sqlite3_stmt  *bulk_batch_stmt;
  guint          bulk_batch_rows;
};

/* kassa-catalog-repository.c */

/* The status a filter lists, NULL for every status. */
const char *kassa_catalog_filter_status       (KassaCatalogFilter        filter);
/* Collects the rows of @stmt (ITEM_COLUMNS) as items; NULL with @error
 * on failure. */
GPtrArray  *kassa_catalog_collect_items       (KassaCatalogRepository   *self,
                                               sqlite3_stmt             *stmt,
                                               const char               *what,
                                               GError                  **error);
/* Binds ?first … ?first+17 with the item's fields in ITEM_COLUMNS order,
 * id left out. */
void        kassa_catalog_bind_item_at        (sqlite3_stmt             *stmt,
                                               int                       first,
                                               KassaCatalogItem         *item,
                                               sqlite3_destructor_type   text_destructor);

/* kassa-catalog-bulk.c */

/* Notes an item the load saved, with its id, for the search index. */
void        kassa_catalog_bulk_added          (KassaCatalogRepository   *self,
                                               gint64                    id,
                                               KassaCatalogItem         *item);
/* Stops the thread, dropping what it has not indexed, and frees @builder. */
void        kassa_catalog_search_builder_free (SearchBuilder            *builder);

G_END_DECLS
