/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-catalog-item.h"
#include "kassa-database.h"
#include "kassa-store-enums.h"

G_BEGIN_DECLS

/* Pictures of an item, kept as blobs in the database so a backup carries
 * them. Accepted media types: image/png, image/jpeg, image/webp and
 * image/svg+xml, and the bytes must look like the type they claim. */
typedef struct
{
  gint64  id;
  gint64  item_id;
  int     position;
  char   *media_type;
  GBytes *data;
} KassaCatalogImage;

#define KASSA_TYPE_CATALOG_IMAGE (kassa_catalog_image_get_type ())

GType              kassa_catalog_image_get_type (void) G_GNUC_CONST;
KassaCatalogImage *kassa_catalog_image_copy     (const KassaCatalogImage *image);
void               kassa_catalog_image_free     (KassaCatalogImage       *image);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KassaCatalogImage, kassa_catalog_image_free)

/* How many results a search returns at most, whatever the caller asks. */
#define KASSA_CATALOG_SEARCH_MAX_RESULTS 1000

#define KASSA_TYPE_CATALOG_REPOSITORY (kassa_catalog_repository_get_type ())

G_DECLARE_FINAL_TYPE (KassaCatalogRepository, kassa_catalog_repository, KASSA, CATALOG_REPOSITORY, GObject)

KassaCatalogRepository *kassa_catalog_repository_new            (KassaDatabase           *database);
KassaDatabase          *kassa_catalog_repository_get_database   (KassaCatalogRepository  *self);

/* Saves a new item (its id must be 0) and sets its id. An empty SKU or
 * barcode is stored as none. A SKU or barcode another item already uses
 * is refused with KASSA_STORE_ERROR_CONSTRAINT naming the field and the
 * value; an item that does not validate with KASSA_ERROR_INVALID. */
gint64                  kassa_catalog_repository_insert         (KassaCatalogRepository  *self,
                                                                 KassaCatalogItem        *item,
                                                                 GError                 **error);
/* Loading many items at once. Between begin and end, inside the caller's
 * transaction (KASSA_STORE_ERROR_NO_TRANSACTION otherwise), items
 * inserted are not added to the search index one by one: end adds them
 * all in one pass, which is many times faster, and only then do they
 * show up in searches. Into an empty catalog that pass runs on a thread
 * of its own while the items go in, and end waits for it. Updates stay
 * indexed as they happen. Rolling the transaction back undoes the pause
 * as well; ending is then needless (it only lets the thread go). */
gboolean                kassa_catalog_repository_begin_bulk_insert (KassaCatalogRepository  *self,
                                                                    GError                 **error);
gboolean                kassa_catalog_repository_end_bulk_insert   (KassaCatalogRepository  *self,
                                                                    GError                 **error);

/* How many items insert_many takes at once. */
#define KASSA_CATALOG_REPOSITORY_MAX_BATCH 64

/* Saves up to KASSA_CATALOG_REPOSITORY_MAX_BATCH new items (ids 0) in one
 * statement and sets their ids; during a bulk load only. All or none: an
 * item that does not validate is refused with KASSA_ERROR_INVALID, a SKU
 * or barcode already used (in the store or in the batch) with
 * KASSA_STORE_ERROR_CONSTRAINT without naming the item, and nothing of
 * the batch is stored. Inserting the items one by one then tells which
 * was refused and why. */
gboolean                kassa_catalog_repository_insert_many       (KassaCatalogRepository  *self,
                                                                    KassaCatalogItem * const *items,
                                                                    guint                    n_items,
                                                                    GError                 **error);
/* Saves every field of an existing item; KASSA_ERROR_NOT_FOUND when no
 * item has its id. */
gboolean                kassa_catalog_repository_update         (KassaCatalogRepository  *self,
                                                                 KassaCatalogItem        *item,
                                                                 GError                 **error);
/* Lookups return %NULL without an error when nothing matches. Barcodes
 * and SKUs are compared exactly, through their unique indexes. */
KassaCatalogItem       *kassa_catalog_repository_get            (KassaCatalogRepository  *self,
                                                                 gint64                   id,
                                                                 GError                 **error);
KassaCatalogItem       *kassa_catalog_repository_get_by_sku     (KassaCatalogRepository  *self,
                                                                 const char              *sku,
                                                                 GError                 **error);
KassaCatalogItem       *kassa_catalog_repository_get_by_barcode (KassaCatalogRepository  *self,
                                                                 const char              *barcode,
                                                                 GError                 **error);
/* Takes an item off sale; it stays for old orders and documents. */
gboolean                kassa_catalog_repository_archive        (KassaCatalogRepository  *self,
                                                                 gint64                   id,
                                                                 GError                 **error);

/* Items in listing order (sort order, then name, then id). */
GPtrArray              *kassa_catalog_repository_list           (KassaCatalogRepository  *self,
                                                                 KassaCatalogFilter       filter,
                                                                 guint                    offset,
                                                                 guint                    limit,
                                                                 GError                 **error);
/* Like kassa_catalog_repository_list(), but starting after @anchor (an
 * item of an earlier page) in listing order, then skipping @offset more:
 * paging on from a known item walks only the rows it returns, however
 * deep in the catalog it is. A %NULL @anchor starts at the beginning. */
GPtrArray              *kassa_catalog_repository_list_after     (KassaCatalogRepository  *self,
                                                                 KassaCatalogFilter       filter,
                                                                 KassaCatalogItem        *anchor,
                                                                 guint                    offset,
                                                                 guint                    limit,
                                                                 GError                 **error);
/* Items with an id above @after_id in id order, for walking the whole
 * catalog (exports) in time linear in its size. */
GPtrArray              *kassa_catalog_repository_list_by_id     (KassaCatalogRepository  *self,
                                                                 gint64                   after_id,
                                                                 guint                    limit,
                                                                 GError                 **error);
gboolean                kassa_catalog_repository_count          (KassaCatalogRepository  *self,
                                                                 KassaCatalogFilter       filter,
                                                                 guint                   *n_items,
                                                                 GError                 **error);

/* Full-text search over name, SKU, barcode and description as the
 * cashier types: every word is a prefix, diacritics and case do not
 * matter, any text is safe (see kassa_catalog_search_build_query()).
 * Ranked by relevance (BM25 over the columns, the name weighing most and
 * the description least), then sort order, name and id. So that one
 * letter answers at once in a huge catalog, relevance is judged among
 * the first 500 matches in index order when the words match more items
 * than that; typing more narrows it. A search that is one word of more
 * than 16 index terms (a few digits of barcodes sharing their start)
 * finds instead the items of those terms' first 500 rows in term
 * order, ordered by the column the word is in (name, then SKU or
 * barcode, then description), then sort order, name and id. With other
 * words, such a word in more than 2000 rows is looked for in the text of
 * the first 2000 items the others match, ranked as above. At most
 * @limit results
 * (capped at KASSA_CATALOG_SEARCH_MAX_RESULTS); text without any word
 * finds nothing.
 *
 * Returns: (transfer full) (element-type KassaCatalogItem) */
GPtrArray              *kassa_catalog_repository_search         (KassaCatalogRepository  *self,
                                                                 const char              *text,
                                                                 KassaCatalogFilter       filter,
                                                                 guint                    limit,
                                                                 GError                 **error);

gint64                  kassa_catalog_repository_add_image      (KassaCatalogRepository  *self,
                                                                 gint64                   item_id,
                                                                 const char              *media_type,
                                                                 GBytes                  *data,
                                                                 GError                 **error);
/* Returns: (transfer full) (element-type KassaCatalogImage): by position */
GPtrArray              *kassa_catalog_repository_list_images    (KassaCatalogRepository  *self,
                                                                 gint64                   item_id,
                                                                 GError                 **error);
gboolean                kassa_catalog_repository_remove_image   (KassaCatalogRepository  *self,
                                                                 gint64                   image_id,
                                                                 GError                 **error);

G_END_DECLS
