/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-store-sql"

#include "config.h"

#include "kassa-store-sql.h"
#include "kassa-store-text.h"

const char *
kassa_sql_column_text (KassaStatement *stmt,
                       int             column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? text : "";
}

void
kassa_sql_bind_text_or_null (KassaStatement *stmt,
                             int             index,
                             const char     *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

void
kassa_sql_bind_id_or_null (KassaStatement *stmt,
                           int             index,
                           gint64          id)
{
  if (id > 0)
    sqlite3_bind_int64 (stmt, index, id);
  else
    sqlite3_bind_null (stmt, index);
}

void
kassa_sql_bind_time_or_null (KassaStatement *stmt,
                             int             index,
                             GDateTime      *time)
{
  if (time != NULL)
    sqlite3_bind_text (stmt, index, kassa_store_time_to_text (time), -1, g_free);
  else
    sqlite3_bind_null (stmt, index);
}

gboolean
kassa_sql_run (KassaDatabase   *database,
               KassaStatement  *stmt,
               const char      *what,
               GError         **error)
{
  int rc = sqlite3_step (stmt);

  /* A statement with RETURNING answers with its row. */
  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    return TRUE;

  kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (database), rc, what);
  return FALSE;
}
