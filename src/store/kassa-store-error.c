/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-store-error"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kassa-store-error.h"
#include "kassa-store-private.h"

G_DEFINE_QUARK (kassa-store-error-quark, kassa_store_error)

static KassaStoreError
code_from_sqlite (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return KASSA_STORE_ERROR_BUSY;
    case SQLITE_CONSTRAINT:
      return KASSA_STORE_ERROR_CONSTRAINT;
    case SQLITE_CORRUPT:
      return KASSA_STORE_ERROR_CORRUPT;
    case SQLITE_NOTADB:
      return KASSA_STORE_ERROR_NOT_A_KASSA_DATABASE;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_FULL:
    case SQLITE_NOLFS:
      return KASSA_STORE_ERROR_IO;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return KASSA_STORE_ERROR_READ_ONLY;
    case SQLITE_INTERRUPT:
      return KASSA_STORE_ERROR_CANCELLED;
    default:
      return KASSA_STORE_ERROR_FAILED;
    }
}

void
kassa_store_set_error_from_sqlite (GError     **error,
                                   sqlite3     *db,
                                   int          rc,
                                   const char  *what)
{
  const char *detail;

  /* The connection's message is only meaningful when it belongs to
   * this failure; sqlite3_errstr() always matches the code. */
  if (db != NULL && sqlite3_extended_errcode (db) == rc)
    detail = sqlite3_errmsg (db);
  else
    detail = sqlite3_errstr (rc);

  g_set_error (error, KASSA_STORE_ERROR, code_from_sqlite (rc),
               /* Translators: the first %s says what was being done, the second is the database's reason */
               _("%s failed: %s"), what, detail);
}
