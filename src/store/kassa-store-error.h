/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KASSA_STORE_ERROR (kassa_store_error_quark ())

/**
 * KassaStoreError:
 * @KASSA_STORE_ERROR_FAILED: an unexpected database failure
 * @KASSA_STORE_ERROR_NOT_A_KASSA_DATABASE: the file is not SQLite, or is
 *   another application's SQLite file
 * @KASSA_STORE_ERROR_TOO_NEW: the file was written by a newer Kassa whose
 *   schema this build does not know
 * @KASSA_STORE_ERROR_CORRUPT: the file is damaged
 * @KASSA_STORE_ERROR_CONSTRAINT: a rule of the schema refused the change
 *   (unique value, foreign key, trigger)
 * @KASSA_STORE_ERROR_BUSY: another connection held the lock longer than the
 *   busy timeout
 * @KASSA_STORE_ERROR_IO: reading or writing the file failed (disk full,
 *   permissions, missing folder)
 * @KASSA_STORE_ERROR_READ_ONLY: the file or its folder cannot be written
 * @KASSA_STORE_ERROR_MIGRATION: a schema migration failed and was rolled back
 * @KASSA_STORE_ERROR_NO_TRANSACTION: the operation must run inside a
 *   transaction the caller opened
 * @KASSA_STORE_ERROR_JOURNAL_BROKEN: the journal's hash chain does not verify
 * @KASSA_STORE_ERROR_INVALID: a value handed to the store is not acceptable
 * @KASSA_STORE_ERROR_CANCELLED: the caller cancelled a long operation
 *
 * Errors of the persistence layer.
 */
typedef enum
{
  KASSA_STORE_ERROR_FAILED,
  KASSA_STORE_ERROR_NOT_A_KASSA_DATABASE,
  KASSA_STORE_ERROR_TOO_NEW,
  KASSA_STORE_ERROR_CORRUPT,
  KASSA_STORE_ERROR_CONSTRAINT,
  KASSA_STORE_ERROR_BUSY,
  KASSA_STORE_ERROR_IO,
  KASSA_STORE_ERROR_READ_ONLY,
  KASSA_STORE_ERROR_MIGRATION,
  KASSA_STORE_ERROR_NO_TRANSACTION,
  KASSA_STORE_ERROR_JOURNAL_BROKEN,
  KASSA_STORE_ERROR_INVALID,
  KASSA_STORE_ERROR_CANCELLED,
} KassaStoreError;

GQuark kassa_store_error_quark (void);

G_END_DECLS
