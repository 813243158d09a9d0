/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The bulk load of the catalog: kassa_catalog_repository_begin_bulk_insert(),
 * _insert_many() and _end_bulk_insert(), and the SearchBuilder that builds
 * the search index of a load into an empty catalog on a thread of its own. */
#define G_LOG_DOMAIN "kassa-catalog-bulk"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "kassa-catalog-repository-private.h"
#include "kassa-store-error.h"
#include "kassa-store-text.h"

/* A bulk load rebuilds the listing indexes when the catalog held at most
 * this many items before it (see begin_bulk_insert). */
#define BULK_REINDEX_MAX_ID 20000

/* The search index's in-memory hash while a bulk load is indexed. FTS5
 * writes a segment whenever the hash outgrows it; 1 MB (its default)
 * makes many small segments to merge, a hash much larger than the
 * processor's caches makes every word's entry a cache miss. */
#define BULK_FTS_HASH_SIZE 4194304

/* From this many items a load into an empty catalog builds its search
 * index on a thread as it goes; a smaller one indexes at its end, which
 * is quicker than starting a thread and a private database for it. */
#define BULK_SEARCH_THREAD_ROWS 1000

/* Parameters of one item in an insert, created_at and updated_at aside. */
#define ITEM_PARAMS 18

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
  /* Set by the thread once it took the end of the rows from the queue. */
  gboolean     ended;
  /* How the catalog declares catalog_search. */
  char        *table_sql;
};

/* Rows handed to the thread at once. */
#define SEARCH_FEED_ROWS 1024

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

/* The rows reach FTS5 through a virtual table that reads the queue, so
 * one INSERT … SELECT indexes them all. FTS5 writes its hash out at the
 * end of every statement: rows inserted one statement each would make a
 * segment each. Through the virtual table a segment is written only when
 * the hash is full, and the rows no longer pass through a table on the
 * way. */
typedef struct
{
  sqlite3_vtab   base;
  SearchBuilder *builder;
} RowsTable;

typedef struct
{
  sqlite3_vtab_cursor base;
  SearchBuilder      *builder;
  GByteArray         *rows;
  const guint8       *next;
  gint64              id;
  const char         *texts[4];
  int                 lengths[4];
  gboolean            eof;
} RowsCursor;

static int
rows_connect (sqlite3             *db,
              void                *aux,
              int                  argc,
              const char * const  *argv,
              sqlite3_vtab       **out_vtab,
              char               **out_error)
{
  RowsTable *table;
  int rc;

  rc = sqlite3_declare_vtab (db, "CREATE TABLE x (id INTEGER, name TEXT, sku TEXT, barcode TEXT, description TEXT)");
  if (rc != SQLITE_OK)
    return rc;

  table = g_new0 (RowsTable, 1);
  table->builder = aux;
  *out_vtab = &table->base;

  return SQLITE_OK;
}

static int
rows_disconnect (sqlite3_vtab *vtab)
{
  g_free (vtab);
  return SQLITE_OK;
}

static int
rows_best_index (sqlite3_vtab       *vtab,
                 sqlite3_index_info *info)
{
  info->estimatedCost = 1e6;
  return SQLITE_OK;
}

static int
rows_open (sqlite3_vtab         *vtab,
           sqlite3_vtab_cursor **out_cursor)
{
  RowsCursor *cursor = g_new0 (RowsCursor, 1);

  cursor->builder = ((RowsTable *) vtab)->builder;
  cursor->eof = TRUE;
  *out_cursor = &cursor->base;

  return SQLITE_OK;
}

static int
rows_close (sqlite3_vtab_cursor *base)
{
  RowsCursor *cursor = (RowsCursor *) base;

  g_clear_pointer (&cursor->rows, g_byte_array_unref);
  g_free (cursor);
  return SQLITE_OK;
}

/* Moves to the next row, waiting for the next batch when this one is
 * done; at the end of the load, or once it was rolled back, the cursor
 * is at its end. */
static int
rows_next (sqlite3_vtab_cursor *base)
{
  RowsCursor *cursor = (RowsCursor *) base;
  SearchBuilder *builder = cursor->builder;
  const char *text;

  while (cursor->rows == NULL || cursor->next >= cursor->rows->data + cursor->rows->len)
    {
      gpointer item;

      g_clear_pointer (&cursor->rows, g_byte_array_unref);
      if (builder->ended || g_atomic_int_get (&builder->abandoned))
        {
          cursor->eof = TRUE;
          return SQLITE_OK;
        }

      item = g_async_queue_pop (builder->queue);
      if (item == &search_builder_end)
        {
          builder->ended = TRUE;
          cursor->eof = TRUE;
          return SQLITE_OK;
        }
      cursor->rows = item;
      cursor->next = cursor->rows->data;
    }

  memcpy (&cursor->id, cursor->next, sizeof cursor->id);
  text = (const char *) cursor->next + sizeof cursor->id;
  for (guint column = 0; column < 4; column++)
    {
      cursor->texts[column] = text;
      cursor->lengths[column] = (int) strlen (text);
      text += cursor->lengths[column] + 1;
    }
  cursor->next = (const guint8 *) text;
  cursor->eof = FALSE;

  return SQLITE_OK;
}

static int
rows_filter (sqlite3_vtab_cursor  *base,
             int                   index_number,
             const char           *index_string,
             int                   argc,
             sqlite3_value       **argv)
{
  return rows_next (base);
}

static int
rows_eof (sqlite3_vtab_cursor *base)
{
  return ((RowsCursor *) base)->eof;
}

static int
rows_column (sqlite3_vtab_cursor *base,
             sqlite3_context     *context,
             int                  column)
{
  RowsCursor *cursor = (RowsCursor *) base;

  /* The texts stay in place until the cursor moves on. */
  if (column == 0)
    sqlite3_result_int64 (context, cursor->id);
  else
    sqlite3_result_text (context, cursor->texts[column - 1], cursor->lengths[column - 1], SQLITE_STATIC);

  return SQLITE_OK;
}

static int
rows_rowid (sqlite3_vtab_cursor *base,
            sqlite3_int64       *out_rowid)
{
  *out_rowid = ((RowsCursor *) base)->id;
  return SQLITE_OK;
}

static const sqlite3_module rows_module = {
  .iVersion = 0,
  .xConnect = rows_connect,
  .xBestIndex = rows_best_index,
  .xDisconnect = rows_disconnect,
  .xOpen = rows_open,
  .xClose = rows_close,
  .xFilter = rows_filter,
  .xNext = rows_next,
  .xEof = rows_eof,
  .xColumn = rows_column,
  .xRowid = rows_rowid,
};

static gpointer
search_builder_main (gpointer data)
{
  SearchBuilder *builder = data;
  gboolean ok;

  ok = builder_exec (builder, "BEGIN") &&
       builder_exec (builder, "INSERT INTO catalog_search (rowid, name, sku, barcode, description) "
                              "SELECT id, name, sku, barcode, description FROM kassa_search_rows");
  /* The commit writes out what FTS5 still holds in memory; after a
   * rollback of the load it is not needed. */
  ok = ok && !g_atomic_int_get (&builder->abandoned) && builder_exec (builder, "COMMIT");

  /* After a failure the rest of the rows are only drained. */
  while (!builder->ended)
    {
      gpointer item = g_async_queue_pop (builder->queue);

      if (item == &search_builder_end)
        builder->ended = TRUE;
      else
        g_byte_array_unref (item);
    }

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
      sqlite3_create_module (builder->db, "kassa_search_rows", &rows_module, builder) != SQLITE_OK ||
      /* The same definition, naming catalog_item as its content: FTS5
       * reads the content only to delete or rank, which never happens
       * here, so that table need not exist. */
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

/* @texts: the name, SKU, barcode and description, each possibly NULL. */
static void
search_builder_add (SearchBuilder *builder,
                    gint64         id,
                    const char    *texts[4])
{
  g_byte_array_append (builder->pending, (const guint8 *) &id, sizeof id);
  for (guint i = 0; i < 4; i++)
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

/* Starts the index's thread for a load that reached
 * BULK_SEARCH_THREAD_ROWS, and hands it the items saved up to @last_id,
 * read back from the catalog: those the store took, with their ids. The
 * rest of a batch saved together comes after, one by one. */
static void
start_search_builder (KassaCatalogRepository *self,
                      gint64                  last_id)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  int rc;

  self->bulk_search_wanted = FALSE;
  self->bulk_search = search_builder_start (self);
  if (self->bulk_search == NULL)
    return;

  stmt = kassa_database_prepare (self->database,
                                 "SELECT id, name, sku, barcode, description FROM catalog_item "
                                 "WHERE id > ?1 AND id <= ?2 ORDER BY id",
                                 &local_error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, self->bulk_after_id);
      sqlite3_bind_int64 (stmt, 2, last_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *texts[4];

          for (int column = 1; column <= 4; column++)
            texts[column - 1] = (const char *) sqlite3_column_text (stmt, column);
          search_builder_add (self->bulk_search, sqlite3_column_int64 (stmt, 0), texts);
        }
      if (rc == SQLITE_DONE)
        return;
    }

  /* The end of the load indexes everything instead. */
  g_debug ("The search index of the load is built at its end: %s",
           local_error != NULL ? local_error->message : sqlite3_errmsg (kassa_database_get_handle (self->database)));
  g_clear_pointer (&self->bulk_search, kassa_catalog_search_builder_free);
}

void
kassa_catalog_bulk_added (KassaCatalogRepository *self,
                          gint64                  id,
                          KassaCatalogItem       *item)
{
  self->bulk_rows++;

  if (self->bulk_search != NULL)
    {
      const char *texts[] = {
        kassa_catalog_item_get_name (item),
        kassa_catalog_item_get_sku (item),
        kassa_catalog_item_get_barcode (item),
        kassa_catalog_item_get_description (item),
      };

      search_builder_add (self->bulk_search, id, texts);
    }
  else if (self->bulk_search_wanted && self->bulk_rows >= BULK_SEARCH_THREAD_ROWS)
    {
      /* This item is in the catalog already: read back with the rest. */
      start_search_builder (self, id);
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

void
kassa_catalog_search_builder_free (SearchBuilder *builder)
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
    kassa_catalog_bind_item_at (self->bulk_batch_stmt, 2 + i * ITEM_PARAMS, items[i], SQLITE_STATIC);

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
      kassa_catalog_bulk_added (self, id, items[i]);
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
  self->bulk_search_wanted = after_id == 0;
  self->bulk_rows = 0;

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
  self->bulk_search_wanted = FALSE;
  cache_pragma = g_strdup_printf ("PRAGMA cache_size = %" PRId64, self->bulk_cache_size);

  /* A rollback since begin put the trigger back and took the rows away. */
  if (!kassa_database_in_transaction (self->database) ||
      !query_int64 (self, "SELECT count (*) FROM sqlite_schema "
                    "WHERE type = 'trigger' AND name = 'catalog_search_insert'", &n_triggers, error) ||
      n_triggers > 0)
    {
      g_clear_pointer (&search, kassa_catalog_search_builder_free);
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
      kassa_catalog_search_builder_free (search);
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
