/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kassa-database.h"
#include "kassa-store-enums.h"
#include "kassa-store-enum-types.h"

G_BEGIN_DECLS

/* What the first entry's previous hash is: nothing came before it. */
#define KASSA_JOURNAL_GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

typedef struct
{
  gint64  sequence;
  char   *created_at;
  char   *kind;
  char   *payload;
  char   *previous_hash;
  char   *hash;
} KassaJournalEntry;

#define KASSA_TYPE_JOURNAL_ENTRY (kassa_journal_entry_get_type ())

GType              kassa_journal_entry_get_type     (void) G_GNUC_CONST;
KassaJournalEntry *kassa_journal_entry_copy         (const KassaJournalEntry *entry);
void               kassa_journal_entry_free         (KassaJournalEntry       *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KassaJournalEntry, kassa_journal_entry_free)

#define KASSA_TYPE_JOURNAL (kassa_journal_get_type ())

G_DECLARE_FINAL_TYPE (KassaJournal, kassa_journal, KASSA, JOURNAL, GObject)

KassaJournal      *kassa_journal_new                (KassaDatabase      *database);
KassaDatabase     *kassa_journal_get_database       (KassaJournal       *self);

KassaJournalEntry *kassa_journal_append             (KassaJournal       *self,
                                                     const char         *kind,
                                                     JsonNode           *payload,
                                                     GError            **error);
KassaJournalEntry *kassa_journal_get_last           (KassaJournal       *self,
                                                     GError            **error);
KassaJournalEntry *kassa_journal_get_entry          (KassaJournal       *self,
                                                     gint64              sequence,
                                                     GError            **error);
gboolean           kassa_journal_verify             (KassaJournal       *self,
                                                     gint64             *out_n_entries,
                                                     gint64             *out_first_broken,
                                                     KassaJournalBreak  *out_reason,
                                                     GError            **error);

char              *kassa_journal_canonicalize       (JsonNode           *node,
                                                     GError            **error);
char              *kassa_journal_compute_hash       (const char         *previous_hash,
                                                     gint64              sequence,
                                                     const char         *created_at,
                                                     const char         *kind,
                                                     const char         *payload);

G_END_DECLS
