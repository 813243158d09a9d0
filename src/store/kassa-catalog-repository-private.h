/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the files of KassaCatalogRepository share; only src/store/ sees it.
 *
 * kassa-catalog-repository.c holds the items' CRUD, their pictures and
 * the GObject; kassa-catalog-search.c the search. The public functions of
 * the search are defined in its file, next to the helpers they call, not
 * wrapped by functions of the repository's file calling internal ones: a
 * wrapper would only give each function a second name and its file a
 * prototype to keep in step, while kassa-catalog-repository.h stays the
 * one declaration of the whole API either way. So the instance struct is
 * declared here, for every file of the repository to read its fields. */

#include "kassa-catalog-repository.h"
#include "kassa-store-private.h"

G_BEGIN_DECLS

#define ITEM_COLUMNS \
  "ci.id, ci.kind, ci.name, ci.description, ci.item_type, ci.sku, ci.barcode, ci.price, " \
  "ci.currency, ci.tax_rate, ci.pricing, ci.billing_interval, ci.interval_count, ci.cycles, " \
  "ci.duration_minutes, ci.stock_on_hand, ci.status, ci.public, ci.sort_order"

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
  /* Into an empty catalog: the search index, built meanwhile. */
  SearchBuilder *bulk_search;
  /* The multi-row insert of insert_many, for batches of bulk_batch_rows. */
  sqlite3_stmt  *bulk_batch_stmt;
  guint          bulk_batch_rows;
};

/* The status a filter lists, NULL for every status. */
const char *kassa_catalog_filter_status (KassaCatalogFilter       filter);
/* Collects the rows of @stmt (ITEM_COLUMNS) as items; NULL with @error
 * on failure. */
GPtrArray  *kassa_catalog_collect_items (KassaCatalogRepository  *self,
                                         sqlite3_stmt            *stmt,
                                         const char              *what,
                                         GError                 **error);

G_END_DECLS
