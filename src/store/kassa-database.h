/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define KASSA_TYPE_DATABASE (kassa_database_get_type ())

G_DECLARE_FINAL_TYPE (KassaDatabase, kassa_database, KASSA, DATABASE, GObject)

char          *kassa_database_get_default_path     (void);
guint          kassa_database_get_latest_version   (void);

KassaDatabase *kassa_database_open                 (const char     *path,
                                                    GError        **error);
const char    *kassa_database_get_path             (KassaDatabase  *self);
guint          kassa_database_get_schema_version   (KassaDatabase  *self);

gboolean       kassa_database_begin                (KassaDatabase  *self,
                                                    GError        **error);
gboolean       kassa_database_begin_sync_behind    (KassaDatabase  *self,
                                                    GError        **error);
gboolean       kassa_database_commit               (KassaDatabase  *self,
                                                    GError        **error);
gboolean       kassa_database_rollback             (KassaDatabase  *self,
                                                    GError        **error);
gboolean       kassa_database_in_transaction       (KassaDatabase  *self);
/* Rolls back after a failure, logging a failed rollback; returns FALSE. */
gboolean       kassa_database_abort                (KassaDatabase  *self);

gboolean       kassa_database_check_integrity      (KassaDatabase  *self,
                                                    GError        **error);

G_END_DECLS
