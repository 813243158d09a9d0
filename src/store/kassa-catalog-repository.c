/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The catalog's items and their pictures: saving, reading, listing,
 * counting and archiving them, and the GObject. The search is in
 * kassa-catalog-search.c, the bulk load in kassa-catalog-bulk.c. */
#define G_LOG_DOMAIN "kassa-catalog-repository"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "kassa-catalog-repository-private.h"
#include "kassa-core-enum-types.h"
#include "kassa-error.h"
#include "kassa-store-error.h"
#include "kassa-store-private.h"
#include "kassa-store-sql.h"
#include "kassa-store-text.h"

G_DEFINE_FINAL_TYPE (KassaCatalogRepository, kassa_catalog_repository, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (KassaCatalogImage, kassa_catalog_image,
                     kassa_catalog_image_copy, kassa_catalog_image_free)

enum {
  PROP_0,
  PROP_DATABASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static int
enum_column (sqlite3_stmt *stmt,
             int           column,
             GType         type)
{
  int value = 0;

  /* The schema's CHECK constraints only let known nicks in. */
  if (!kassa_store_enum_from_text (type, kassa_sql_column_text (stmt, column), &value, NULL))
    g_warning ("Unknown %s “%s” in the catalog", g_type_name (type), kassa_sql_column_text (stmt, column));

  return value;
}

static KassaCatalogItem *
item_from_row (sqlite3_stmt *stmt)
{
  KassaCatalogItem *item = kassa_catalog_item_new ();

  kassa_catalog_item_set_id (item, sqlite3_column_int64 (stmt, 0));
  kassa_catalog_item_set_kind (item, enum_column (stmt, 1, KASSA_TYPE_ITEM_KIND));
  kassa_catalog_item_set_name (item, kassa_sql_column_text (stmt, 2));
  kassa_catalog_item_set_description (item, kassa_sql_column_text (stmt, 3));
  kassa_catalog_item_set_item_type (item, kassa_sql_column_text (stmt, 4));
  kassa_catalog_item_set_sku (item, (const char *) sqlite3_column_text (stmt, 5));
  kassa_catalog_item_set_barcode (item, (const char *) sqlite3_column_text (stmt, 6));
  kassa_catalog_item_set_price (item, sqlite3_column_int64 (stmt, 7));
  kassa_catalog_item_set_currency_code (item, kassa_sql_column_text (stmt, 8));
  kassa_catalog_item_set_tax_rate (item, sqlite3_column_int64 (stmt, 9));
  kassa_catalog_item_set_pricing (item, enum_column (stmt, 10, KASSA_TYPE_PRICING));
  kassa_catalog_item_set_interval (item, enum_column (stmt, 11, KASSA_TYPE_BILLING_INTERVAL));
  kassa_catalog_item_set_interval_count (item, sqlite3_column_int (stmt, 12));
  kassa_catalog_item_set_cycles (item, sqlite3_column_int (stmt, 13));
  kassa_catalog_item_set_duration_minutes (item, sqlite3_column_int (stmt, 14));
  kassa_catalog_item_set_stock_on_hand (item, sqlite3_column_int64 (stmt, 15));
  kassa_catalog_item_set_status (item, enum_column (stmt, 16, KASSA_TYPE_ITEM_STATUS));
  kassa_catalog_item_set_public (item, sqlite3_column_int (stmt, 17) != 0);
  kassa_catalog_item_set_sort_order (item, sqlite3_column_int (stmt, 18));

  return item;
}

const char *
kassa_catalog_filter_status (KassaCatalogFilter filter)
{
  switch (filter)
    {
    case KASSA_CATALOG_FILTER_ACTIVE:
      return "active";
    case KASSA_CATALOG_FILTER_DRAFT:
      return "draft";
    case KASSA_CATALOG_FILTER_ARCHIVED:
      return "archived";
    case KASSA_CATALOG_FILTER_ANY:
    default:
      return NULL;
    }
}

static void
bind_optional_text (sqlite3_stmt            *stmt,
                    int                      index,
                    const char              *text,
                    sqlite3_destructor_type  destructor)
{
  if (text != NULL && text[0] != '\0')
    sqlite3_bind_text (stmt, index, text, -1, destructor);
  else
    sqlite3_bind_null (stmt, index);
}

/* Collects the rows of @stmt as items; NULL with @error on failure. */
GPtrArray *
kassa_catalog_collect_items (KassaCatalogRepository  *self,
                             sqlite3_stmt            *stmt,
                             const char              *what,
                             GError                 **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, item_from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc, what);
      return NULL;
    }

  return g_steal_pointer (&items);
}

static KassaCatalogItem *
get_one (KassaCatalogRepository  *self,
         const char              *sql,
         const char              *text,
         gint64                   id,
         GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  stmt = kassa_database_prepare (self->database, sql, error);
  if (stmt == NULL)
    return NULL;

  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return item_from_row (stmt);

  if (rc != SQLITE_DONE)
    kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                       _("Reading the catalog"));
  return NULL;
}

/* Unique columns are checked before writing so the refusal can say
 * which field and which item holds the value, which SQLite's own
 * constraint message does not. */
static gboolean
check_unique (KassaCatalogRepository  *self,
              const char              *column,
              const char              *label,
              const char              *value,
              gint64                   own_id,
              GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *sql = NULL;
  int rc;

  if (value == NULL || value[0] == '\0')
    return TRUE;

  /* @column is one of two literals, so the statements stay few in the cache. */
  sql = g_strdup_printf ("SELECT name FROM catalog_item WHERE %s = ?1 AND id <> ?2", column);
  stmt = kassa_database_prepare (self->database, sql, error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, own_id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT,
                   /* Translators: "SKU “A-1” is already used by “Coffee beans”" */
                   _("%s “%s” is already used by “%s”"),
                   label, value, kassa_sql_column_text (stmt, 0));
      return FALSE;
    }

  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading the catalog"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_item (KassaCatalogRepository  *self,
            KassaCatalogItem        *item,
            gint64                   own_id,
            GError                 **error)
{
  return kassa_catalog_item_validate (item, error) &&
         check_unique (self, "sku", _("SKU"), kassa_catalog_item_get_sku (item), own_id, error) &&
         check_unique (self, "barcode", _("Barcode"), kassa_catalog_item_get_barcode (item), own_id, error);
}

/* Binds ?first … ?first+17 with the item's fields in ITEM_COLUMNS order,
 * id left out. @text_destructor is SQLITE_STATIC when the item outlives
 * the statement's step, as in a bulk batch, which spares a copy of every
 * string. */
void
kassa_catalog_bind_item_at (sqlite3_stmt        *stmt,
                            int                  first,
                            KassaCatalogItem    *item,
                            sqlite3_destructor_type text_destructor)
{
  int i = first - 1;

  sqlite3_bind_text (stmt, i + 1, kassa_store_enum_to_text (KASSA_TYPE_ITEM_KIND, kassa_catalog_item_get_kind (item)), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, i + 2, kassa_catalog_item_get_name (item), -1, text_destructor);
  sqlite3_bind_text (stmt, i + 3, kassa_catalog_item_get_description (item) ?: "", -1, text_destructor);
  sqlite3_bind_text (stmt, i + 4, kassa_catalog_item_get_item_type (item) ?: "", -1, text_destructor);
  bind_optional_text (stmt, i + 5, kassa_catalog_item_get_sku (item), text_destructor);
  bind_optional_text (stmt, i + 6, kassa_catalog_item_get_barcode (item), text_destructor);
  sqlite3_bind_int64 (stmt, i + 7, kassa_catalog_item_get_price (item));
  sqlite3_bind_text (stmt, i + 8, kassa_catalog_item_get_currency_code (item), -1, text_destructor);
  sqlite3_bind_int64 (stmt, i + 9, kassa_catalog_item_get_tax_rate (item));
  sqlite3_bind_text (stmt, i + 10, kassa_store_enum_to_text (KASSA_TYPE_PRICING, kassa_catalog_item_get_pricing (item)), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, i + 11, kassa_store_enum_to_text (KASSA_TYPE_BILLING_INTERVAL, kassa_catalog_item_get_interval (item)), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, i + 12, kassa_catalog_item_get_interval_count (item));
  sqlite3_bind_int64 (stmt, i + 13, kassa_catalog_item_get_cycles (item));
  sqlite3_bind_int64 (stmt, i + 14, kassa_catalog_item_get_duration_minutes (item));
  sqlite3_bind_int64 (stmt, i + 15, kassa_catalog_item_get_stock_on_hand (item));
  sqlite3_bind_text (stmt, i + 16, kassa_store_enum_to_text (KASSA_TYPE_ITEM_STATUS, kassa_catalog_item_get_status (item)), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, i + 17, kassa_catalog_item_get_public (item) ? 1 : 0);
  sqlite3_bind_int (stmt, i + 18, kassa_catalog_item_get_sort_order (item));
}

/* Binds ?1 … ?18 with the item's fields in ITEM_COLUMNS order, id left out. */
static void
bind_item (sqlite3_stmt     *stmt,
           KassaCatalogItem *item)
{
  kassa_catalog_bind_item_at (stmt, 1, item, SQLITE_TRANSIENT);
}

static gboolean
media_type_matches (const char *media_type,
                    GBytes     *data)
{
  gsize length;
  const guchar *bytes = g_bytes_get_data (data, &length);

  if (g_str_equal (media_type, "image/png"))
    return length >= 8 && memcmp (bytes, "\x89PNG\r\n\x1a\n", 8) == 0;
  if (g_str_equal (media_type, "image/jpeg"))
    return length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;
  if (g_str_equal (media_type, "image/webp"))
    return length >= 12 && memcmp (bytes, "RIFF", 4) == 0 && memcmp (bytes + 8, "WEBP", 4) == 0;
  if (g_str_equal (media_type, "image/svg+xml"))
    return length > 0 && g_strstr_len ((const char *) bytes, MIN (length, 4096), "<svg") != NULL;

  return FALSE;
}

static void
kassa_catalog_repository_dispose (GObject *object)
{
  KassaCatalogRepository *self = (KassaCatalogRepository *) object;

  g_clear_object (&self->database);
  g_clear_pointer (&self->bulk_trigger_sql, g_free);
  g_clear_pointer (&self->bulk_index_sql, g_ptr_array_unref);
  g_clear_pointer (&self->bulk_now, g_free);
  g_clear_pointer (&self->bulk_batch_stmt, sqlite3_finalize);
  g_clear_pointer (&self->bulk_search, kassa_catalog_search_builder_free);

  G_OBJECT_CLASS (kassa_catalog_repository_parent_class)->dispose (object);
}

static void
kassa_catalog_repository_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  KassaCatalogRepository *self = KASSA_CATALOG_REPOSITORY (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      g_value_set_object (value, self->database);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_catalog_repository_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  KassaCatalogRepository *self = KASSA_CATALOG_REPOSITORY (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      self->database = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_catalog_repository_class_init (KassaCatalogRepositoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kassa_catalog_repository_dispose;
  object_class->get_property = kassa_catalog_repository_get_property;
  object_class->set_property = kassa_catalog_repository_set_property;

  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL,
                         KASSA_TYPE_DATABASE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_catalog_repository_init (KassaCatalogRepository *self)
{
}

KassaCatalogImage *
kassa_catalog_image_copy (const KassaCatalogImage *image)
{
  KassaCatalogImage *copy;

  g_return_val_if_fail (image != NULL, NULL);

  copy = g_new0 (KassaCatalogImage, 1);
  copy->id = image->id;
  copy->item_id = image->item_id;
  copy->position = image->position;
  copy->media_type = g_strdup (image->media_type);
  copy->data = image->data != NULL ? g_bytes_ref (image->data) : NULL;

  return copy;
}

void
kassa_catalog_image_free (KassaCatalogImage *image)
{
  if (image == NULL)
    return;

  g_free (image->media_type);
  g_clear_pointer (&image->data, g_bytes_unref);
  g_free (image);
}

KassaCatalogRepository *
kassa_catalog_repository_new (KassaDatabase *database)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (database), NULL);

  return g_object_new (KASSA_TYPE_CATALOG_REPOSITORY,
                       "database", database,
                       NULL);
}

KassaDatabase *
kassa_catalog_repository_get_database (KassaCatalogRepository *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_REPOSITORY (self), NULL);

  return self->database;
}

gint64
kassa_catalog_repository_insert (KassaCatalogRepository  *self,
                                 KassaCatalogItem        *item,
                                 GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = NULL;
  sqlite3 *db;
  gint64 id;
  int rc;

  g_return_val_if_fail (KASSA_IS_CATALOG_REPOSITORY (self), 0);
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (item), 0);
  g_return_val_if_fail (kassa_catalog_item_get_id (item) == 0, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  /* In bulk the unique indexes do the checking, and the friendlier
   * message is looked up only when they refuse. */
  if (self->bulk_trigger_sql != NULL ? !kassa_catalog_item_validate (item, error)
                                     : !check_item (self, item, 0, error))
    return 0;

  stmt = kassa_database_prepare (self->database,
                                 INSERT_ITEM_SQL
                                 "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?19)",
                                 error);
  if (stmt == NULL)
    return 0;

  if (self->bulk_now == NULL)
    now = kassa_store_now_text ();
  bind_item (stmt, item);
  sqlite3_bind_text (stmt, 19, self->bulk_now != NULL ? self->bulk_now : now, -1, SQLITE_STATIC);

  db = kassa_database_get_handle (self->database);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      if (self->bulk_trigger_sql != NULL && (rc & 0xff) == SQLITE_CONSTRAINT)
        {
          g_autoptr(GError) local_error = NULL;

          g_clear_pointer (&stmt, kassa_statement_release);
          if (!check_item (self, item, 0, &local_error))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return 0;
            }
        }
      kassa_store_set_error_from_sqlite (error, db, rc, _("Saving the item"));
      return 0;
    }

  id = sqlite3_last_insert_rowid (db);
  kassa_catalog_item_set_id (item, id);
  if (self->bulk_trigger_sql != NULL)
    kassa_catalog_bulk_added (self, id, item);

  return id;
}

gboolean
kassa_catalog_repository_update (KassaCatalogRepository  *self,
                                 KassaCatalogItem        *item,
                                 GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = NULL;
  sqlite3 *db;
  gint64 id;
  int rc;

  g_return_val_if_fail (KASSA_IS_CATALOG_REPOSITORY (self), FALSE);
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (item), FALSE);
  g_return_val_if_fail (kassa_catalog_item_get_id (item) > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  id = kassa_catalog_item_get_id (item);
  if (self->bulk_trigger_sql != NULL && id > self->bulk_after_id)
    {
      /* Its search entry does not exist yet for the update to replace. */
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_FAILED,
                   _("Item %" PRId64 " was added in this bulk load and cannot change before it ends"), id);
      return FALSE;
    }
  if (!check_item (self, item, id, error))
    return FALSE;

  stmt = kassa_database_prepare (self->database,
                                 "UPDATE catalog_item SET kind = ?1, name = ?2, description = ?3, item_type = ?4, "
                                 "sku = ?5, barcode = ?6, price = ?7, currency = ?8, tax_rate = ?9, pricing = ?10, "
                                 "billing_interval = ?11, interval_count = ?12, cycles = ?13, duration_minutes = ?14, "
                                 "stock_on_hand = ?15, status = ?16, public = ?17, sort_order = ?18, updated_at = ?19 "
                                 "WHERE id = ?20",
                                 error);
  if (stmt == NULL)
    return FALSE;

  now = kassa_store_now_text ();
  bind_item (stmt, item);
  sqlite3_bind_text (stmt, 19, now, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 20, id);

  db = kassa_database_get_handle (self->database);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, db, rc, _("Saving the item"));
      return FALSE;
    }

  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                   _("No catalog item has the id %" PRId64), id);
      return FALSE;
    }

  return TRUE;
}

KassaCatalogItem *
kassa_catalog_repository_get (KassaCatalogRepository  *self,
                              gint64                   id,
                              GError                 **error)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return get_one (self, "SELECT " ITEM_COLUMNS " FROM catalog_item AS ci WHERE ci.id = ?1",
                  NULL, id, error);
}

KassaCatalogItem *
kassa_catalog_repository_get_by_sku (KassaCatalogRepository  *self,
                                     const char              *sku,
                                     GError                 **error)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_REPOSITORY (self), NULL);
  g_return_val_if_fail (sku != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return get_one (self, "SELECT " ITEM_COLUMNS " FROM catalog_item AS ci WHERE ci.sku = ?1",
                  sku, 0, error);
}

KassaCatalogItem *
kassa_catalog_repository_get_by_barcode (KassaCatalogRepository  *self,
                                         const char              *barcode,
                                         GError                 **error)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_REPOSITORY (self), NULL);
  g_return_val_if_fail (barcode != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return get_one (self, "SELECT " ITEM_COLUMNS " FROM catalog_item AS ci WHERE ci.barcode = ?1",
                  barcode, 0, error);
}

gboolean
kassa_catalog_repository_archive (KassaCatalogRepository  *self,
                                  gint64                   id,
                                  GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KASSA_IS_CATALOG_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database,
                                 "UPDATE catalog_item SET status = 'archived', updated_at = ?2 WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;

  now = kassa_store_now_text ();
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);

  db = kassa_database_get_handle (self->database);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, db, rc, _("Archiving the item"));
      return FALSE;
    }

  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                   _("No catalog item has the id %" PRId64), id);
      return FALSE;
    }

  return TRUE;
}

GPtrArray *
kassa_catalog_repository_list (KassaCatalogRepository  *self,
                               KassaCatalogFilter       filter,
                               guint                    offset,
                               guint                    limit,
                               GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  const char *status;

  g_return_val_if_fail (KASSA_IS_CATALOG_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The page's ids come from the listing index alone, so skipping to a
   * far offset walks index entries, not rows. */
  status = kassa_catalog_filter_status (filter);
  if (status != NULL)
    stmt = kassa_database_prepare (self->database,
                                   "SELECT " ITEM_COLUMNS " FROM "
                                   "(SELECT id FROM catalog_item WHERE status = ?1 "
                                   " ORDER BY sort_order, name, id LIMIT ?2 OFFSET ?3) AS page "
                                   "JOIN catalog_item AS ci ON ci.id = page.id "
                                   "ORDER BY ci.sort_order, ci.name, ci.id",
                                   error);
  else
    stmt = kassa_database_prepare (self->database,
                                   "SELECT " ITEM_COLUMNS " FROM "
                                   "(SELECT id FROM catalog_item "
                                   " ORDER BY sort_order, name, id LIMIT ?2 OFFSET ?3) AS page "
                                   "JOIN catalog_item AS ci ON ci.id = page.id "
                                   "ORDER BY ci.sort_order, ci.name, ci.id",
                                   error);
  if (stmt == NULL)
    return NULL;

  if (status != NULL)
    sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit);
  sqlite3_bind_int64 (stmt, 3, offset);

  return kassa_catalog_collect_items (self, stmt, _("Listing the catalog"), error);
}

GPtrArray *
kassa_catalog_repository_list_after (KassaCatalogRepository  *self,
                                     KassaCatalogFilter       filter,
                                     KassaCatalogItem        *anchor,
                                     guint                    offset,
                                     guint                    limit,
                                     GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  const char *status;

  g_return_val_if_fail (KASSA_IS_CATALOG_REPOSITORY (self), NULL);
  g_return_val_if_fail (anchor == NULL || KASSA_IS_CATALOG_ITEM (anchor), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (anchor == NULL)
    return kassa_catalog_repository_list (self, filter, offset, limit, error);

  /* The row value comparison follows the listing index, so SQLite seeks
   * straight to the anchor. */
  status = kassa_catalog_filter_status (filter);
  if (status != NULL)
    stmt = kassa_database_prepare (self->database,
                                   "SELECT " ITEM_COLUMNS " FROM "
                                   "(SELECT id FROM catalog_item WHERE status = ?1 "
                                   " AND (sort_order, name, id) > (?4, ?5, ?6) "
                                   " ORDER BY sort_order, name, id LIMIT ?2 OFFSET ?3) AS page "
                                   "JOIN catalog_item AS ci ON ci.id = page.id "
                                   "ORDER BY ci.sort_order, ci.name, ci.id",
                                   error);
  else
    stmt = kassa_database_prepare (self->database,
                                   "SELECT " ITEM_COLUMNS " FROM "
                                   "(SELECT id FROM catalog_item "
                                   " WHERE (sort_order, name, id) > (?4, ?5, ?6) "
                                   " ORDER BY sort_order, name, id LIMIT ?2 OFFSET ?3) AS page "
                                   "JOIN catalog_item AS ci ON ci.id = page.id "
                                   "ORDER BY ci.sort_order, ci.name, ci.id",
                                   error);
  if (stmt == NULL)
    return NULL;

  if (status != NULL)
    sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit);
  sqlite3_bind_int64 (stmt, 3, offset);
  sqlite3_bind_int (stmt, 4, kassa_catalog_item_get_sort_order (anchor));
  sqlite3_bind_text (stmt, 5, kassa_catalog_item_get_name (anchor), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, kassa_catalog_item_get_id (anchor));

  return kassa_catalog_collect_items (self, stmt, _("Listing the catalog"), error);
}

GPtrArray *
kassa_catalog_repository_list_by_id (KassaCatalogRepository  *self,
                                     gint64                   after_id,
                                     guint                    limit,
                                     GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;

  g_return_val_if_fail (KASSA_IS_CATALOG_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT " ITEM_COLUMNS " FROM catalog_item AS ci "
                                 "WHERE ci.id > ?1 ORDER BY ci.id LIMIT ?2",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, after_id);
  sqlite3_bind_int64 (stmt, 2, limit);

  return kassa_catalog_collect_items (self, stmt, _("Listing the catalog"), error);
}

gboolean
kassa_catalog_repository_count (KassaCatalogRepository  *self,
                                KassaCatalogFilter       filter,
                                guint                   *n_items,
                                GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  const char *status;
  int rc;

  g_return_val_if_fail (KASSA_IS_CATALOG_REPOSITORY (self), FALSE);
  g_return_val_if_fail (n_items != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  status = kassa_catalog_filter_status (filter);
  stmt = kassa_database_prepare (self->database,
                                 status != NULL
                                 ? "SELECT count(*) FROM catalog_item WHERE status = ?1"
                                 : "SELECT count(*) FROM catalog_item",
                                 error);
  if (stmt == NULL)
    return FALSE;

  if (status != NULL)
    sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Counting the catalog"));
      return FALSE;
    }

  *n_items = (guint) MIN (sqlite3_column_int64 (stmt, 0), G_MAXUINT);
  return TRUE;
}

gint64
kassa_catalog_repository_add_image (KassaCatalogRepository  *self,
                                    gint64                   item_id,
                                    const char              *media_type,
                                    GBytes                  *data,
                                    GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  gconstpointer bytes;
  gsize length;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KASSA_IS_CATALOG_REPOSITORY (self), 0);
  g_return_val_if_fail (media_type != NULL, 0);
  g_return_val_if_fail (data != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!media_type_matches (media_type, data))
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                   _("The picture is not a PNG, JPEG, WebP or SVG image of type “%s”"), media_type);
      return 0;
    }

  stmt = kassa_database_prepare (self->database,
                                 "INSERT INTO catalog_image (item_id, position, media_type, data) "
                                 "VALUES (?1, (SELECT coalesce (max (position) + 1, 0) FROM catalog_image WHERE item_id = ?1), ?2, ?3)",
                                 error);
  if (stmt == NULL)
    return 0;

  bytes = g_bytes_get_data (data, &length);
  sqlite3_bind_int64 (stmt, 1, item_id);
  sqlite3_bind_text (stmt, 2, media_type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob64 (stmt, 3, bytes, length, SQLITE_STATIC);

  db = kassa_database_get_handle (self->database);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, db, rc, _("Saving the picture"));
      return 0;
    }

  return sqlite3_last_insert_rowid (db);
}

GPtrArray *
kassa_catalog_repository_list_images (KassaCatalogRepository  *self,
                                      gint64                   item_id,
                                      GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GPtrArray) images = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_CATALOG_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT id, item_id, position, media_type, data FROM catalog_image "
                                 "WHERE item_id = ?1 ORDER BY position",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, item_id);

  images = g_ptr_array_new_with_free_func ((GDestroyNotify) kassa_catalog_image_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KassaCatalogImage *image = g_new0 (KassaCatalogImage, 1);

      image->id = sqlite3_column_int64 (stmt, 0);
      image->item_id = sqlite3_column_int64 (stmt, 1);
      image->position = sqlite3_column_int (stmt, 2);
      image->media_type = g_strdup (kassa_sql_column_text (stmt, 3));
      image->data = g_bytes_new (sqlite3_column_blob (stmt, 4), sqlite3_column_bytes (stmt, 4));
      g_ptr_array_add (images, image);
    }

  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading the pictures"));
      return NULL;
    }

  return g_steal_pointer (&images);
}

gboolean
kassa_catalog_repository_remove_image (KassaCatalogRepository  *self,
                                       gint64                   image_id,
                                       GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KASSA_IS_CATALOG_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database, "DELETE FROM catalog_image WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, image_id);

  db = kassa_database_get_handle (self->database);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, db, rc, _("Removing the picture"));
      return FALSE;
    }

  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                   _("No picture has the id %" PRId64), image_id);
      return FALSE;
    }

  return TRUE;
}
