/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * KassaJournalBreak:
 * @KASSA_JOURNAL_BREAK_NONE: the chain verifies
 * @KASSA_JOURNAL_BREAK_HASH_MISMATCH: the entry's content (time, kind,
 *   payload or sequence) no longer matches its hash: it was edited
 * @KASSA_JOURNAL_BREAK_GAP: sequence numbers are missing: entries were
 *   deleted
 * @KASSA_JOURNAL_BREAK_REORDERED: the entry links to an entry that now
 *   sits elsewhere in the sequence: entries were moved
 * @KASSA_JOURNAL_BREAK_CHAIN: the entry's previous hash matches no
 *   entry: an earlier entry was removed and the rest renumbered, or the
 *   link itself was edited
 *
 * Why a journal does not verify, for the first entry that fails.
 */
typedef enum
{
  KASSA_JOURNAL_BREAK_NONE,
  KASSA_JOURNAL_BREAK_HASH_MISMATCH,
  KASSA_JOURNAL_BREAK_GAP,
  KASSA_JOURNAL_BREAK_REORDERED,
  KASSA_JOURNAL_BREAK_CHAIN,
} KassaJournalBreak;

/**
 * KassaCashMovementKind:
 * @KASSA_CASH_MOVEMENT_PAID_IN: cash put into the drawer (change from the bank)
 * @KASSA_CASH_MOVEMENT_PAID_OUT: cash taken out (a delivery paid at the door)
 * @KASSA_CASH_MOVEMENT_NO_SALE: the drawer opened without a sale or any money moving
 */
typedef enum
{
  KASSA_CASH_MOVEMENT_PAID_IN,
  KASSA_CASH_MOVEMENT_PAID_OUT,
  KASSA_CASH_MOVEMENT_NO_SALE,
} KassaCashMovementKind;

/**
 * KassaCatalogFilter:
 * @KASSA_CATALOG_FILTER_ANY: every item, whatever its status
 * @KASSA_CATALOG_FILTER_ACTIVE: items on sale
 * @KASSA_CATALOG_FILTER_DRAFT: items being prepared
 * @KASSA_CATALOG_FILTER_ARCHIVED: items no longer sold
 *
 * Which catalog items a listing or a search shows.
 */
typedef enum
{
  KASSA_CATALOG_FILTER_ANY,
  KASSA_CATALOG_FILTER_ACTIVE,
  KASSA_CATALOG_FILTER_DRAFT,
  KASSA_CATALOG_FILTER_ARCHIVED,
} KassaCatalogFilter;

G_END_DECLS
