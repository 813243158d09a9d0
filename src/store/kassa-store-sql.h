/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Only src/store/ includes this: the small moves every repository makes
 * between SQLite rows and the domain's values. */

#include "kassa-store-private.h"

G_BEGIN_DECLS

/* The column's text, "" for NULL: the domain keeps no text as "". */
const char *kassa_sql_column_text        (KassaStatement  *stmt,
                                          int              column);
/* NULL when @text is NULL, so optional columns stay NULL. */
void        kassa_sql_bind_text_or_null  (KassaStatement  *stmt,
                                          int              index,
                                          const char      *text);
/* Ids of 0 mean "none" in the domain and NULL in the database. */
void        kassa_sql_bind_id_or_null    (KassaStatement  *stmt,
                                          int              index,
                                          gint64           id);
/* A time as the store writes times (ISO 8601 UTC), or NULL. */
void        kassa_sql_bind_time_or_null  (KassaStatement  *stmt,
                                          int              index,
                                          GDateTime       *time);
/* Runs a statement that writes; an SQLite error becomes a
 * KASSA_STORE_ERROR saying @what was being done. */
gboolean    kassa_sql_run                (KassaDatabase   *database,
                                          KassaStatement  *stmt,
                                          const char      *what,
                                          GError         **error);

G_END_DECLS
