/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kassa-database.h"

G_BEGIN_DECLS

/**
 * KassaBackupProgressFunc:
 * @remaining_pages: pages still to copy
 * @total_pages: pages in the database
 * @user_data: the data given with the callback
 *
 * Called after each chunk of a backup or restore copy.
 */
typedef void (*KassaBackupProgressFunc) (int      remaining_pages,
                                         int      total_pages,
                                         gpointer user_data);

gboolean kassa_backup_to_file        (KassaDatabase            *database,
                                      const char               *destination,
                                      KassaBackupProgressFunc   progress,
                                      gpointer                  user_data,
                                      GCancellable             *cancellable,
                                      GError                  **error);
void     kassa_backup_to_file_async  (KassaDatabase            *database,
                                      const char               *destination,
                                      KassaBackupProgressFunc   progress,
                                      gpointer                  progress_data,
                                      GCancellable             *cancellable,
                                      GAsyncReadyCallback       callback,
                                      gpointer                  user_data);
gboolean kassa_backup_to_file_finish (KassaDatabase            *database,
                                      GAsyncResult             *result,
                                      GError                  **error);

gboolean kassa_backup_verify_file    (const char               *path,
                                      GError                  **error);

gboolean kassa_backup_restore        (const char               *source,
                                      const char               *target,
                                      char                    **out_previous_path,
                                      GError                  **error);
void     kassa_backup_restore_async  (const char               *source,
                                      const char               *target,
                                      GCancellable             *cancellable,
                                      GAsyncReadyCallback       callback,
                                      gpointer                  user_data);
gboolean kassa_backup_restore_finish (GAsyncResult             *result,
                                      char                    **out_previous_path,
                                      GError                  **error);

G_END_DECLS
