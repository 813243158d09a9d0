/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kassa-shop.h"
#include "kassa-store-enums.h"

G_BEGIN_DECLS

/* Keeping the store file safe: backups while the shop runs, restores,
 * and the proof that the journal of sales was not altered. */

typedef void (*KassaShopProgressFunc) (guint64  done,
                                       guint64  total,
                                       gpointer user_data);

/* Copies the open store to @destination consistently while sales go on,
 * then checks the copy; an existing @destination is replaced only by a
 * verified copy. Needs the manage-settings permission. */
gboolean kassa_shop_backup         (KassaShop              *self,
                                    const char             *destination,
                                    KassaShopProgressFunc   progress,
                                    gpointer                user_data,
                                    GCancellable           *cancellable,
                                    GError                **error);

/* Replaces the store file at @target with the backup @source, which must
 * be a Kassa store that passes its integrity check; the previous file is
 * kept beside it and its path returned in @out_previous_path. Nothing
 * may have @target open. */
gboolean kassa_shop_restore        (const char             *source,
                                    const char             *target,
                                    char                  **out_previous_path,
                                    GError                **error);

typedef struct
{
  gint64             n_entries;
  /* 0 when the whole chain verifies */
  gint64             first_broken;
  KassaJournalBreak  reason;
} KassaJournalReport;

/* Walks the hash chain of the journal. A broken chain fails with
 * KASSA_STORE_ERROR_JOURNAL_BROKEN naming the first broken entry, which
 * @report also holds with the reason. Needs the view-reports permission. */
gboolean kassa_shop_verify_journal (KassaShop              *self,
                                    KassaJournalReport     *report,
                                    GError                **error);

/* Checks the journal against an anchor printed on a Z report: the
 * journal has entry @n_entries and its hash begins with @hash_prefix (at
 * least 8 hex digits). Entries deleted from the end leave a chain that
 * still verifies; the paper still knows them. Fails with
 * KASSA_STORE_ERROR_JOURNAL_BROKEN. Needs the view-reports permission. */
gboolean kassa_shop_check_journal_anchor (KassaShop    *self,
                                          gint64        n_entries,
                                          const char   *hash_prefix,
                                          GError      **error);

G_END_DECLS
