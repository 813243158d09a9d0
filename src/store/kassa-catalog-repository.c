/* SPDX-License-Identifier: GPL-3.0-or-later */
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

/* A bulk load rebuilds the listing indexes when the catalog held at most
 * this many items before it (see begin_bulk_insert). */
#define BULK_REINDEX_MAX_ID 20000

/* The search index's in-memory hash while a bulk load is indexed. FTS5
 * writes a segment whenever the hash outgrows it; 1 MB (its default)
 * makes many small segments to merge, a hash much larger than the
 * processor's caches makes every word's entry a cache miss. */
#define BULK_FTS_HASH_SIZE 4194304

#define INSERT_ITEM_SQL \
  "INSERT INTO catalog_item (kind, name, description, item_type, sku, barcode, " \
  "price, currency, tax_rate, pricing, billing_interval, interval_count, cycles, " \
  "duration_minutes, stock_on_hand, status, public, sort_order, created_at, updated_at) VALUES "

/* Parameters of one item in an insert, created_at and updated_at aside. */
#define ITEM_PARAMS 18

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
static void
bind_item_at (sqlite3_stmt        *stmt,
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
  bind_item_at (stmt, 1, item, SQLITE_TRANSIENT);
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

/* A bulk load into an empty catalog builds its search index on a second
 * thread while the items go in. Indexing takes as long as saving the
 * items and their other indexes together, and SQLite writes a database
 * from one connection at a time, so the thread builds the index in a
 * private temporary database with the same FTS5 table; at the end, the
 * index's three tables are copied into the still empty ones of the
 * catalog, inside the load's transaction. The items reach the thread
 * as they are saved, with the ids they were given, so an item the store
 * refused is never indexed. */
struct _SearchBuilder
{
  sqlite3     *db;
  GThread     *thread;
  /* Of GByteArray, each row an id then NUL-terminated name, SKU,
   * barcode and description; then search_builder_end. */
  GAsyncQueue *queue;
  GByteArray  *pending;
  guint        n_pending;
  /* Set by the thread when indexing failed; read after the join. */
  char        *error;
  /* Set when the load was rolled back: the rest is only drained. */
  gint         abandoned;
  /* How the catalog declares catalog_search. */
  char        *table_sql;
};

/* Rows handed to the thread at once. */
#define SEARCH_FEED_ROWS 1024
/* Rows indexed by one statement: FTS5 writes out its hash at the end of
 * every statement, so each such chunk makes one or more segments. */
#define SEARCH_CHUNK_ROWS 32768

static char search_builder_end;

/* The shadow tables FTS5 keeps for catalog_search, other than its
 * settings, which stay the catalog's own. */
static const char * const search_tables[] = {
  "catalog_search_data", "catalog_search_idx", "catalog_search_docsize",
};

static gboolean
builder_exec (SearchBuilder *builder,
              const char    *sql)
{
  char *message = NULL;

  if (sqlite3_exec (builder->db, sql, NULL, NULL, &message) == SQLITE_OK)
    return TRUE;

  if (builder->error == NULL)
    builder->error = g_strdup (message != NULL ? message : sqlite3_errmsg (builder->db));
  sqlite3_free (message);
  return FALSE;
}

static gboolean
builder_step (SearchBuilder *builder,
              sqlite3_stmt  *stmt)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;

  if (builder->error == NULL)
    builder->error = g_strdup (sqlite3_errmsg (builder->db));
  return FALSE;
}

static gpointer
search_builder_main (gpointer data)
{
  SearchBuilder *builder = data;
  sqlite3_stmt *stage = NULL, *index = NULL, *clear = NULL;
  guint n_staged = 0;
  gboolean ok;

  ok = sqlite3_prepare_v2 (builder->db,
                           "INSERT INTO catalog_item (id, name, sku, barcode, description) "
                           "VALUES (?1, ?2, ?3, ?4, ?5)", -1, &stage, NULL) == SQLITE_OK &&
       sqlite3_prepare_v2 (builder->db,
                           "INSERT INTO catalog_search (rowid, name, sku, barcode, description) "
                           "SELECT id, name, sku, barcode, description FROM catalog_item", -1, &index, NULL) == SQLITE_OK &&
       sqlite3_prepare_v2 (builder->db, "DELETE FROM catalog_item", -1, &clear, NULL) == SQLITE_OK;
  if (!ok)
    builder->error = g_strdup (sqlite3_errmsg (builder->db));
  ok = ok && builder_exec (builder, "BEGIN");

  for (;;)
    {
      gpointer item = g_async_queue_pop (builder->queue);
      GByteArray *rows = item;
      const guint8 *at, *end;

      if (item == &search_builder_end)
        break;

      /* After a failure or a rollback the rows are only drained. */
      ok = ok && !g_atomic_int_get (&builder->abandoned);
      at = rows->data;
      end = rows->data + rows->len;
      while (ok && at < end)
        {
          gint64 id;
          const char *text = (const char *) at + sizeof id;

          memcpy (&id, at, sizeof id);
          sqlite3_bind_int64 (stage, 1, id);
          for (int column = 2; column <= 5; column++)
            {
              gsize length = strlen (text);

              sqlite3_bind_text (stage, column, text, (int) length, SQLITE_STATIC);
              text += length + 1;
            }
          ok = builder_step (builder, stage);
          at = (const guint8 *) text;
          n_staged++;
        }
      g_byte_array_unref (rows);

      if (ok && n_staged >= SEARCH_CHUNK_ROWS)
        {
          ok = builder_step (builder, index) && builder_step (builder, clear);
          n_staged = 0;
        }
    }

  if (ok && n_staged > 0)
    ok = builder_step (builder, index) && builder_step (builder, clear);
  /* The commit writes out what FTS5 still holds in memory. */
  ok = ok && builder_exec (builder, "COMMIT");

  sqlite3_finalize (stage);
  sqlite3_finalize (index);
  sqlite3_finalize (clear);

  return NULL;
}

/* NULL when the index cannot be built apart (the caller then builds it
 * at the end as before); the reason goes to the debug log. */
static SearchBuilder *
search_builder_start (KassaCatalogRepository *self)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *table_sql = NULL;
  SearchBuilder *builder;

  stmt = kassa_database_prepare (self->database,
                                 "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'catalog_search'",
                                 &local_error);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_debug ("The search index of the load is built at its end: %s",
               local_error != NULL ? local_error->message : "no catalog_search table");
      return NULL;
    }
  table_sql = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  g_clear_pointer (&stmt, kassa_statement_release);

  builder = g_new0 (SearchBuilder, 1);
  /* "": a private database that lives in memory and spills to a
   * temporary file if it outgrows its cache; gone when closed. */
  if (sqlite3_open_v2 ("", &builder->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK ||
      !builder_exec (builder, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
                              "PRAGMA cache_size = -65536") ||
      /* Named as the table's content so the same definition applies;
       * it holds a chunk of rows at a time. */
      !builder_exec (builder, "CREATE TABLE catalog_item (id INTEGER PRIMARY KEY, name TEXT, sku TEXT, "
                              "barcode TEXT, description TEXT)") ||
      !builder_exec (builder, table_sql) ||
      !builder_exec (builder, "INSERT INTO catalog_search (catalog_search, rank) VALUES ('automerge', 0); "
                              "INSERT INTO catalog_search (catalog_search, rank) VALUES ('crisismerge', 64); "
                              "INSERT INTO catalog_search (catalog_search, rank) VALUES ('hashsize', "
                              G_STRINGIFY (BULK_FTS_HASH_SIZE) ")"))
    {
      g_debug ("The search index of the load is built at its end: %s",
               builder->error != NULL ? builder->error : sqlite3_errmsg (builder->db));
      sqlite3_close_v2 (builder->db);
      g_free (builder->error);
      g_free (builder);
      return NULL;
    }

  builder->table_sql = g_steal_pointer (&table_sql);
  builder->queue = g_async_queue_new ();
  builder->pending = g_byte_array_new ();
  builder->thread = g_thread_new ("kassa-catalog-search", search_builder_main, builder);

  return builder;
}

static void
search_builder_add (SearchBuilder    *builder,
                    gint64            id,
                    KassaCatalogItem *item)
{
  const char *texts[] = {
    kassa_catalog_item_get_name (item),
    kassa_catalog_item_get_sku (item),
    kassa_catalog_item_get_barcode (item),
    kassa_catalog_item_get_description (item),
  };

  g_byte_array_append (builder->pending, (const guint8 *) &id, sizeof id);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      const char *text = texts[i] != NULL ? texts[i] : "";

      g_byte_array_append (builder->pending, (const guint8 *) text, strlen (text) + 1);
    }

  if (++builder->n_pending == SEARCH_FEED_ROWS)
    {
      g_async_queue_push (builder->queue, builder->pending);
      builder->pending = g_byte_array_new ();
      builder->n_pending = 0;
    }
}

/* Sends the last rows and waits for the thread. FALSE with @error when
 * the index could not be built. */
static gboolean
search_builder_finish (SearchBuilder  *builder,
                       GError        **error)
{
  if (builder->n_pending > 0)
    g_async_queue_push (builder->queue, g_steal_pointer (&builder->pending));
  g_async_queue_push (builder->queue, &search_builder_end);
  g_clear_pointer (&builder->thread, g_thread_join);

  if (builder->error != NULL)
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_FAILED,
                   _("Indexing the catalog for search: %s"), builder->error);
      return FALSE;
    }

  return TRUE;
}

static void
search_builder_free (SearchBuilder *builder)
{
  if (builder->thread != NULL)
    {
      g_atomic_int_set (&builder->abandoned, 1);
      search_builder_finish (builder, NULL);
    }

  g_async_queue_unref (builder->queue);
  g_clear_pointer (&builder->pending, g_byte_array_unref);
  sqlite3_close_v2 (builder->db);
  g_free (builder->error);
  g_free (builder->table_sql);
  g_free (builder);
}

/* Puts the built index in place of the catalog's empty one.
 *
 * FTS5 keeps the layout of an index in memory between transactions of
 * its connection, and reads it again only after another connection
 * wrote; it would go on seeing the empty index. So the table is created
 * anew (it is empty, and so are the tables built on it), which starts
 * it with nothing in memory, and its settings are put back before the
 * built index goes in. Its settings carry a version FTS5 compares to
 * the one in the index it reads: the built index's differs from the new
 * table's (each setting changed on the way counts), so the settings are
 * read again with it. */
static gboolean
search_builder_copy (KassaCatalogRepository  *self,
                     SearchBuilder           *builder,
                     GError                 **error)
{
  sqlite3 *db = kassa_database_get_handle (self->database);
  g_autoptr(GPtrArray) settings = g_ptr_array_new_with_free_func ((GDestroyNotify) sqlite3_value_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT k, v FROM catalog_search_config", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_ptr_array_add (settings, sqlite3_value_dup (sqlite3_column_value (stmt, 0)));
          g_ptr_array_add (settings, sqlite3_value_dup (sqlite3_column_value (stmt, 1)));
        }
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, db, rc, _("Indexing the catalog for search"));
      return FALSE;
    }

  if (!kassa_database_exec (self->database, "DROP TABLE catalog_search", error) ||
      !kassa_database_exec (self->database, builder->table_sql, error))
    return FALSE;

  rc = sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO catalog_search_config (k, v) VALUES (?1, ?2)",
                           -1, &stmt, NULL);
  for (guint i = 0; rc == SQLITE_OK && i + 1 < settings->len; i += 2)
    {
      sqlite3_bind_value (stmt, 1, settings->pdata[i]);
      sqlite3_bind_value (stmt, 2, settings->pdata[i + 1]);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (rc != SQLITE_OK)
    {
      kassa_store_set_error_from_sqlite (error, db, rc, _("Indexing the catalog for search"));
      return FALSE;
    }

  for (guint t = 0; t < G_N_ELEMENTS (search_tables); t++)
    {
      g_autofree char *delete_sql = g_strdup_printf ("DELETE FROM %s", search_tables[t]);
      g_autofree char *select_sql = g_strdup_printf ("SELECT * FROM %s", search_tables[t]);
      g_autoptr(GString) insert_sql = g_string_new (NULL);
      sqlite3_stmt *select = NULL, *insert = NULL;
      int n_columns;

      if (!kassa_database_exec (self->database, delete_sql, error))
        return FALSE;

      rc = sqlite3_prepare_v2 (builder->db, select_sql, -1, &select, NULL);
      if (rc != SQLITE_OK)
        {
          g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_FAILED,
                       _("Indexing the catalog for search: %s"), sqlite3_errmsg (builder->db));
          return FALSE;
        }

      n_columns = sqlite3_column_count (select);
      g_string_append_printf (insert_sql, "INSERT INTO %s VALUES (?", search_tables[t]);
      for (int c = 1; c < n_columns; c++)
        g_string_append (insert_sql, ", ?");
      g_string_append_c (insert_sql, ')');

      rc = sqlite3_prepare_v2 (db, insert_sql->str, -1, &insert, NULL);
      if (rc == SQLITE_OK)
        {
          while ((rc = sqlite3_step (select)) == SQLITE_ROW)
            {
              for (int c = 0; c < n_columns; c++)
                sqlite3_bind_value (insert, c + 1, sqlite3_column_value (select, c));
              rc = sqlite3_step (insert);
              sqlite3_reset (insert);
              if (rc != SQLITE_DONE)
                break;
            }
        }

      if (rc != SQLITE_DONE)
        {
          /* A failure of the main database is its own; one of the
           * temporary one is told as indexing's. */
          if (insert == NULL || sqlite3_errcode (db) != SQLITE_OK)
            kassa_store_set_error_from_sqlite (error, db, rc, _("Indexing the catalog for search"));
          else
            g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_FAILED,
                         _("Indexing the catalog for search: %s"), sqlite3_errmsg (builder->db));
        }
      sqlite3_finalize (select);
      sqlite3_finalize (insert);
      if (rc != SQLITE_DONE)
        return FALSE;
    }

  return TRUE;
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
  g_clear_pointer (&self->bulk_search, search_builder_free);

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
  if (self->bulk_search != NULL)
    search_builder_add (self->bulk_search, id, item);

  return id;
}

/* "INSERT … VALUES (?2, …, ?19, ?1, ?1), (?20, …, ?37, ?1, ?1), …": ?1 is
 * the time stamp every row of a bulk load shares. */
static char *
insert_rows_sql (guint n_rows)
{
  GString *sql = g_string_new (INSERT_ITEM_SQL);

  for (guint row = 0; row < n_rows; row++)
    {
      int first = 2 + row * ITEM_PARAMS;

      g_string_append (sql, row == 0 ? "(" : ", (");
      for (int column = 0; column < ITEM_PARAMS; column++)
        g_string_append_printf (sql, "?%d, ", first + column);
      g_string_append (sql, "?1, ?1)");
    }

  return g_string_free (sql, FALSE);
}

gboolean
kassa_catalog_repository_insert_many (KassaCatalogRepository  *self,
                                      KassaCatalogItem * const *items,
                                      guint                    n_items,
                                      GError                 **error)
{
  sqlite3 *db;
  gint64 last_id;
  int rc;

  g_return_val_if_fail (KASSA_IS_CATALOG_REPOSITORY (self), FALSE);
  g_return_val_if_fail (items != NULL || n_items == 0, FALSE);
  g_return_val_if_fail (n_items <= KASSA_CATALOG_REPOSITORY_MAX_BATCH, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->bulk_trigger_sql == NULL)
    {
      g_set_error_literal (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_FAILED,
                           _("Items go in by the batch only during a bulk load"));
      return FALSE;
    }

  for (guint i = 0; i < n_items; i++)
    {
      g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (items[i]), FALSE);
      g_return_val_if_fail (kassa_catalog_item_get_id (items[i]) == 0, FALSE);
      if (!kassa_catalog_item_validate (items[i], error))
        return FALSE;
    }

  if (n_items == 0)
    return TRUE;

  db = kassa_database_get_handle (self->database);

  /* One statement for the whole batch: SQLite sets up its cursors on
   * the table and its indexes once for all the rows, and a refusal of
   * any row leaves none of them stored. Bulk loads send full batches,
   * so a statement of another size is prepared for the last one only. */
  if (self->bulk_batch_stmt == NULL || self->bulk_batch_rows != n_items)
    {
      g_autofree char *sql = insert_rows_sql (n_items);

      g_clear_pointer (&self->bulk_batch_stmt, sqlite3_finalize);
      rc = sqlite3_prepare_v3 (db, sql, -1, SQLITE_PREPARE_PERSISTENT, &self->bulk_batch_stmt, NULL);
      if (rc != SQLITE_OK)
        {
          kassa_store_set_error_from_sqlite (error, db, rc, _("Preparing a query"));
          g_clear_pointer (&self->bulk_batch_stmt, sqlite3_finalize);
          return FALSE;
        }
      self->bulk_batch_rows = n_items;
    }

  /* The items outlive the step, so their strings are bound in place. */
  sqlite3_bind_text (self->bulk_batch_stmt, 1, self->bulk_now, -1, SQLITE_STATIC);
  for (guint i = 0; i < n_items; i++)
    bind_item_at (self->bulk_batch_stmt, 2 + i * ITEM_PARAMS, items[i], SQLITE_STATIC);

  rc = sqlite3_step (self->bulk_batch_stmt);
  sqlite3_reset (self->bulk_batch_stmt);
  sqlite3_clear_bindings (self->bulk_batch_stmt);
  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, db, rc, _("Saving the items"));
      return FALSE;
    }

  /* Each row took the next id after the table's highest, in order. */
  last_id = sqlite3_last_insert_rowid (db);
  for (guint i = 0; i < n_items; i++)
    {
      gint64 id = last_id - (n_items - 1 - i);

      kassa_catalog_item_set_id (items[i], id);
      if (self->bulk_search != NULL)
        search_builder_add (self->bulk_search, id, items[i]);
    }

  return TRUE;
}

static gboolean
query_int64 (KassaCatalogRepository  *self,
             const char              *sql,
             gint64                  *value,
             GError                 **error)
{
  g_autoptr(KassaStatement) stmt = kassa_database_prepare (self->database, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading the catalog"));
      return FALSE;
    }

  *value = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* The search index trigger of new items is set aside for the bulk and
 * put back, as the schema wrote it, at the end. One row at a time, FTS5
 * writes a segment per statement (each statement is a savepoint to it),
 * and merging those costs far more than indexing the rows in one pass. */
gboolean
kassa_catalog_repository_begin_bulk_insert (KassaCatalogRepository  *self,
                                            GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *trigger_sql = NULL;
  g_autoptr(GPtrArray) indexes = g_ptr_array_new_with_free_func (g_free);
  gint64 after_id, cache_size;
  int rc;

  g_return_val_if_fail (KASSA_IS_CATALOG_REPOSITORY (self), FALSE);
  g_return_val_if_fail (self->bulk_trigger_sql == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_database_in_transaction (self->database))
    {
      g_set_error_literal (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_NO_TRANSACTION,
                           _("Loading items in bulk must run inside a transaction"));
      return FALSE;
    }

  stmt = kassa_database_prepare (self->database,
                                 "SELECT sql FROM sqlite_schema "
                                 "WHERE type = 'trigger' AND name = 'catalog_search_insert'",
                                 error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error_literal (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_FAILED,
                             _("The catalog search index has no insert trigger"));
      else
        kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                           _("Reading the catalog"));
      return FALSE;
    }
  trigger_sql = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  g_clear_pointer (&stmt, kassa_statement_release);

  if (!query_int64 (self, "SELECT coalesce (max (id), 0) FROM catalog_item", &after_id, error) ||
      !query_int64 (self, "PRAGMA cache_size", &cache_size, error))
    return FALSE;

  /* The listing indexes order by name, so rows arrive at random places
   * in them; building them afresh from sorted rows is several times
   * faster. Worth it only while the catalog is small next to the load. */
  self->bulk_index_sql = g_ptr_array_new_with_free_func (g_free);
  if (after_id <= BULK_REINDEX_MAX_ID)
    {
      stmt = kassa_database_prepare (self->database,
                                     "SELECT name, sql FROM sqlite_schema WHERE type = 'index' "
                                     "AND tbl_name = 'catalog_item' AND sql IS NOT NULL "
                                     "AND name IN ('catalog_item_listing', 'catalog_item_order')",
                                     error);
      if (stmt == NULL)
        return FALSE;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_ptr_array_add (indexes, g_strdup_printf ("DROP INDEX \"%s\"", sqlite3_column_text (stmt, 0)));
          g_ptr_array_add (self->bulk_index_sql, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
        }
      g_clear_pointer (&stmt, kassa_statement_release);
      if (rc != SQLITE_DONE)
        {
          kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                             _("Reading the catalog"));
          g_clear_pointer (&self->bulk_index_sql, g_ptr_array_unref);
          return FALSE;
        }
    }

  for (guint i = 0; i < indexes->len; i++)
    {
      if (!kassa_database_exec (self->database, indexes->pdata[i], error))
        {
          g_clear_pointer (&self->bulk_index_sql, g_ptr_array_unref);
          return FALSE;
        }
    }

  /* Index pages of a large load do not fit the default cache; spilling
   * them to the WAL and reading them back would cost more than the rows. */
  if (!kassa_database_exec (self->database, "DROP TRIGGER catalog_search_insert", error) ||
      !kassa_database_exec (self->database, "PRAGMA cache_size = -65536", error))
    return FALSE;

  self->bulk_trigger_sql = g_steal_pointer (&trigger_sql);
  self->bulk_after_id = after_id;
  self->bulk_cache_size = cache_size;
  self->bulk_now = kassa_store_now_text ();
  if (after_id == 0)
    self->bulk_search = search_builder_start (self);

  return TRUE;
}

gboolean
kassa_catalog_repository_end_bulk_insert (KassaCatalogRepository  *self,
                                          GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *trigger_sql = NULL;
  g_autofree char *cache_pragma = NULL;
  g_autoptr(GPtrArray) index_sql = NULL;
  g_autofree char *automerge_sql = NULL;
  g_autofree char *hashsize_sql = NULL;
  SearchBuilder *search = NULL;
  gint64 n_triggers = 0, automerge = 4, hashsize = 1048576;
  gboolean ok;
  int rc;

  g_return_val_if_fail (KASSA_IS_CATALOG_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Already ended, by an earlier call that failed. */
  if (self->bulk_trigger_sql == NULL)
    return TRUE;

  trigger_sql = g_steal_pointer (&self->bulk_trigger_sql);
  index_sql = g_steal_pointer (&self->bulk_index_sql);
  g_clear_pointer (&self->bulk_batch_stmt, sqlite3_finalize);
  g_clear_pointer (&self->bulk_now, g_free);
  search = g_steal_pointer (&self->bulk_search);
  cache_pragma = g_strdup_printf ("PRAGMA cache_size = %" PRId64, self->bulk_cache_size);

  /* A rollback since begin put the trigger back and took the rows away. */
  if (!kassa_database_in_transaction (self->database) ||
      !query_int64 (self, "SELECT count (*) FROM sqlite_schema "
                    "WHERE type = 'trigger' AND name = 'catalog_search_insert'", &n_triggers, error) ||
      n_triggers > 0)
    {
      g_clear_pointer (&search, search_builder_free);
      kassa_database_exec (self->database, cache_pragma, NULL);
      return error == NULL || *error == NULL;
    }

  if (search != NULL)
    {
      /* The listing indexes are built while the thread finishes. */
      ok = TRUE;
      for (guint i = 0; ok && i < index_sql->len; i++)
        ok = kassa_database_exec (self->database, index_sql->pdata[i], error);
      ok = search_builder_finish (search, ok ? error : NULL) && ok;
      ok = ok && search_builder_copy (self, search, error);
      search_builder_free (search);
      ok = ok && kassa_database_exec (self->database, trigger_sql, error);
      kassa_database_exec (self->database, cache_pragma, NULL);

      return ok;
    }

  /* FTS5 merges its segments as it writes them; for one big insert that
   * merging costs as much as the indexing. Left unmerged up to a point,
   * the segments answer searches nearly as fast, and later writes merge
   * them a little at a time once automerge is back. The hash size
   * (see BULK_FTS_HASH_SIZE) is raised for the load as well. Both are
   * stored with the index, so they go back to what they were. */
  if (!query_int64 (self, "SELECT coalesce ((SELECT v FROM catalog_search_config WHERE k = 'automerge'), 4)",
                    &automerge, error) ||
      !query_int64 (self, "SELECT coalesce ((SELECT v FROM catalog_search_config WHERE k = 'hashsize'), 1048576)",
                    &hashsize, error) ||
      !kassa_database_exec (self->database,
                            "INSERT INTO catalog_search (catalog_search, rank) VALUES ('automerge', 0)", error) ||
      !kassa_database_exec (self->database,
                            "INSERT INTO catalog_search (catalog_search, rank) VALUES ('crisismerge', 64)", error) ||
      !kassa_database_exec (self->database,
                            "INSERT INTO catalog_search (catalog_search, rank) VALUES ('hashsize', "
                            G_STRINGIFY (BULK_FTS_HASH_SIZE) ")", error))
    {
      kassa_database_exec (self->database, cache_pragma, NULL);
      return FALSE;
    }
  automerge_sql = g_strdup_printf ("INSERT INTO catalog_search (catalog_search, rank) VALUES ('automerge', %"
                                   PRId64 ")", automerge);
  hashsize_sql = g_strdup_printf ("INSERT INTO catalog_search (catalog_search, rank) VALUES ('hashsize', %"
                                  PRId64 ")", hashsize);

  /* The same columns the trigger writes, for every item added since;
   * into an empty catalog FTS5's own rebuild does it a little faster. */
  stmt = kassa_database_prepare (self->database,
                                 self->bulk_after_id == 0
                                 ? "INSERT INTO catalog_search (catalog_search, rank) VALUES ('rebuild', ?1)"
                                 : "INSERT INTO catalog_search (rowid, name, sku, barcode, description) "
                                   "SELECT id, name, coalesce (sku, ''), coalesce (barcode, ''), description "
                                   "FROM catalog_item WHERE id > ?1 ORDER BY id",
                                 error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, self->bulk_after_id);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                             _("Indexing the catalog for search"));
          ok = FALSE;
        }
      g_clear_pointer (&stmt, kassa_statement_release);
    }

  ok = ok && kassa_database_exec (self->database, automerge_sql, error);
  ok = ok && kassa_database_exec (self->database, hashsize_sql, error);
  ok = ok && kassa_database_exec (self->database, trigger_sql, error);
  for (guint i = 0; ok && i < index_sql->len; i++)
    ok = kassa_database_exec (self->database, index_sql->pdata[i], error);
  kassa_database_exec (self->database, cache_pragma, NULL);

  return ok;
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
