/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Only src/store/ and its tests include this header: nothing above the
 * store layer may see SQLite types. */

#include <sqlite3.h>

#include "kassa-database.h"
#include "kassa-store-error.h"

G_BEGIN_DECLS

/* The application_id pragma of every Kassa database: "KaSs". */
#define KASSA_DATABASE_APPLICATION_ID 0x4B615373

/* A step's SQL is inline (@sql) or, for the long ones, a file compiled
 * into the store's resources (@resource, used when @sql is NULL). */
typedef struct
{
  guint       version;
  const char *description;
  const char *sql;
  const char *resource;
} KassaMigration;

/* A cached statement borrowed from the database. Releasing it resets it
 * so it does not keep a read transaction open. */
typedef sqlite3_stmt KassaStatement;

void                   kassa_store_configure_sqlite        (void);

void                   kassa_statement_release             (KassaStatement  *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KassaStatement, kassa_statement_release)

void                   kassa_store_set_error_from_sqlite   (GError         **error,
                                                            sqlite3         *db,
                                                            int              rc,
                                                            const char      *what);

const KassaMigration  *kassa_database_get_migrations       (gsize           *n_migrations);
KassaDatabase         *kassa_database_open_with_migrations (const char      *path,
                                                            const KassaMigration *migrations,
                                                            gsize            n_migrations,
                                                            GError         **error);
sqlite3               *kassa_database_get_handle           (KassaDatabase   *self);
KassaStatement        *kassa_database_prepare              (KassaDatabase   *self,
                                                            const char      *sql,
                                                            GError         **error);
gboolean               kassa_database_exec                 (KassaDatabase   *self,
                                                            const char      *sql,
                                                            GError         **error);
guint                  kassa_database_get_n_cached_statements (KassaDatabase *self);
guint                  kassa_database_get_n_checkpoints    (KassaDatabase   *self);
guint                  kassa_database_get_n_wal_syncs      (KassaDatabase   *self);
guint64                kassa_database_get_n_rollbacks      (KassaDatabase   *self);
int                    kassa_database_get_wal_pages        (KassaDatabase   *self);
gboolean               kassa_store_check_candidate         (const char      *path,
                                                            gboolean         run_integrity_check,
                                                            gint            *out_version,
                                                            GError         **error);

G_END_DECLS
