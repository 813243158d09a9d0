/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-shop-maintenance"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kassa-backup.h"
#include "kassa-shop-maintenance.h"
#include "kassa-shop-private.h"

typedef struct
{
  KassaShopProgressFunc func;
  gpointer              user_data;
} Progress;

static void
backup_progress_cb (int      remaining_pages,
                    int      total_pages,
                    gpointer user_data)
{
  Progress *progress = user_data;

  if (progress->func != NULL && total_pages > 0)
    progress->func (total_pages - remaining_pages, total_pages, progress->user_data);
}

gboolean
kassa_shop_backup (KassaShop              *self,
                   const char             *destination,
                   KassaShopProgressFunc   progress,
                   gpointer                user_data,
                   GCancellable           *cancellable,
                   GError                **error)
{
  Progress forward = { progress, user_data };

  g_return_val_if_fail (KASSA_IS_SHOP (self), FALSE);
  g_return_val_if_fail (destination != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_shop_check_permission (self, KASSA_PERMISSION_MANAGE_SETTINGS, error))
    return FALSE;

  if (!kassa_backup_to_file (kassa_shop_get_database (self), destination,
                             backup_progress_cb, &forward, cancellable, error))
    return FALSE;

  if (kassa_audit_log_record (kassa_shop_get_audit_log (self), kassa_shop_get_actor_id (self),
                              "store.backup", "backup", destination, NULL, error) == 0)
    return FALSE;

  return TRUE;
}

gboolean
kassa_shop_restore (const char  *source,
                    const char  *target,
                    char       **out_previous_path,
                    GError     **error)
{
  g_return_val_if_fail (source != NULL, FALSE);
  g_return_val_if_fail (target != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return kassa_backup_restore (source, target, out_previous_path, error);
}

gboolean
kassa_shop_verify_journal (KassaShop           *self,
                           KassaJournalReport  *report,
                           GError             **error)
{
  g_return_val_if_fail (KASSA_IS_SHOP (self), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *report = (KassaJournalReport) { 0 };

  if (!kassa_shop_check_permission (self, KASSA_PERMISSION_VIEW_REPORTS, error))
    return FALSE;

  return kassa_journal_verify (kassa_shop_get_journal (self), &report->n_entries,
                               &report->first_broken, &report->reason, error);
}
