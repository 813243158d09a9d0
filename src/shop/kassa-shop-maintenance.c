/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-shop-maintenance"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "kassa-backup.h"
#include "kassa-error.h"
#include "kassa-journal.h"
#include "kassa-store-error.h"
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

gboolean
kassa_shop_check_journal_anchor (KassaShop   *self,
                                 gint64       n_entries,
                                 const char  *hash_prefix,
                                 GError     **error)
{
  g_autoptr(KassaJournalEntry) entry = NULL;
  g_autoptr(KassaJournalEntry) last = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *prefix = NULL;
  const char *hash;
  gsize length;

  g_return_val_if_fail (KASSA_IS_SHOP (self), FALSE);
  g_return_val_if_fail (hash_prefix != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_shop_check_permission (self, KASSA_PERMISSION_VIEW_REPORTS, error))
    return FALSE;

  prefix = g_ascii_strdown (hash_prefix, -1);
  length = strlen (prefix);
  if (n_entries < 0 || length < 8 || length > 64 || strspn (prefix, "0123456789abcdef") != length)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("“%" PRId64 ":%s” is not a journal anchor: it is an entry number, a colon and "
                     "at least 8 hex digits of its hash, as a Z report prints them"),
                   n_entries, hash_prefix);
      return FALSE;
    }

  if (n_entries == 0)
    hash = KASSA_JOURNAL_GENESIS_HASH;
  else
    {
      entry = kassa_journal_get_entry (kassa_shop_get_journal (self), n_entries, &local_error);
      if (entry == NULL && local_error == NULL)
        {
          last = kassa_journal_get_last (kassa_shop_get_journal (self), &local_error);
          if (local_error == NULL)
            g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_JOURNAL_BROKEN,
                         _("The journal ends at entry %" PRId64 ", but a Z report vouches for entry %"
                           PRId64 ": entries were deleted from its end"),
                         last != NULL ? last->sequence : 0, n_entries);
        }
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      if (entry == NULL)
        return FALSE;
      hash = entry->hash;
    }

  if (!g_str_has_prefix (hash, prefix))
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_JOURNAL_BROKEN,
                   _("Journal entry %" PRId64 " is not the one the Z report vouches for: "
                     "the journal was rewritten"),
                   n_entries);
      return FALSE;
    }

  return TRUE;
}
