/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-tax-rate-repository"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "kassa-error.h"
#include "kassa-store-error.h"
#include "kassa-store-private.h"
#include "kassa-tax-rate-repository.h"

struct _KassaTaxRateRepository
{
  GObject        parent_instance;

  KassaDatabase *database;
};

G_DEFINE_FINAL_TYPE (KassaTaxRateRepository, kassa_tax_rate_repository, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (KassaTaxRateEntry, kassa_tax_rate_entry,
                     kassa_tax_rate_entry_copy, kassa_tax_rate_entry_free)

static KassaTaxRateEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  KassaTaxRateEntry *entry = g_new0 (KassaTaxRateEntry, 1);

  entry->id = sqlite3_column_int64 (stmt, 0);
  entry->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  entry->rate = sqlite3_column_int64 (stmt, 2);
  entry->is_default = sqlite3_column_int (stmt, 3) != 0;
  entry->archived = sqlite3_column_int (stmt, 4) != 0;

  return entry;
}

/* Runs a statement with one id parameter; NOT_FOUND when no row changed. */
static gboolean
run_on_id (KassaTaxRateRepository  *self,
           const char              *sql,
           gint64                   id,
           const char              *what,
           GError                 **error)
{
  g_autoptr(KassaStatement) stmt = kassa_database_prepare (self->database, sql, error);
  sqlite3 *db = kassa_database_get_handle (self->database);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, db, rc, what);
      return FALSE;
    }

  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                   _("No usable tax rate has the id %" PRId64), id);
      return FALSE;
    }

  return TRUE;
}

static void
kassa_tax_rate_repository_dispose (GObject *object)
{
  KassaTaxRateRepository *self = (KassaTaxRateRepository *) object;

  g_clear_object (&self->database);

  G_OBJECT_CLASS (kassa_tax_rate_repository_parent_class)->dispose (object);
}

static void
kassa_tax_rate_repository_class_init (KassaTaxRateRepositoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kassa_tax_rate_repository_dispose;
}

static void
kassa_tax_rate_repository_init (KassaTaxRateRepository *self)
{
}

KassaTaxRateEntry *
kassa_tax_rate_entry_copy (const KassaTaxRateEntry *entry)
{
  KassaTaxRateEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_memdup2 (entry, sizeof *entry);
  copy->name = g_strdup (entry->name);

  return copy;
}

void
kassa_tax_rate_entry_free (KassaTaxRateEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->name);
  g_free (entry);
}

KassaTaxRateRepository *
kassa_tax_rate_repository_new (KassaDatabase *database)
{
  KassaTaxRateRepository *self;

  g_return_val_if_fail (KASSA_IS_DATABASE (database), NULL);

  self = g_object_new (KASSA_TYPE_TAX_RATE_REPOSITORY, NULL);
  self->database = g_object_ref (database);

  return self;
}

GPtrArray *
kassa_tax_rate_repository_list (KassaTaxRateRepository  *self,
                                gboolean                 include_archived,
                                GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_TAX_RATE_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT id, name, rate, is_default, archived FROM tax_rate "
                                 "WHERE ?1 OR archived = 0 ORDER BY rate, name, id",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int (stmt, 1, include_archived ? 1 : 0);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) kassa_tax_rate_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, entry_from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading the tax rates"));
      return NULL;
    }

  return g_steal_pointer (&entries);
}

gint64
kassa_tax_rate_repository_add (KassaTaxRateRepository  *self,
                               const char              *name,
                               gint64                   rate,
                               GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *trimmed = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KASSA_IS_TAX_RATE_REPOSITORY (self), 0);
  g_return_val_if_fail (name != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  trimmed = g_strstrip (g_strdup (name));
  if (trimmed[0] == '\0' || rate < 0 || rate > 1000000)
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                   _("A tax rate needs a name and a rate between 0 and 100 %%"));
      return 0;
    }

  stmt = kassa_database_prepare (self->database,
                                 "INSERT INTO tax_rate (name, rate) VALUES (?1, ?2)",
                                 error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, rate);

  db = kassa_database_get_handle (self->database);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, db, rc, _("Saving the tax rate"));
      return 0;
    }

  return sqlite3_last_insert_rowid (db);
}

gboolean
kassa_tax_rate_repository_set_default (KassaTaxRateRepository  *self,
                                       gint64                   id,
                                       GError                 **error)
{
  g_return_val_if_fail (KASSA_IS_TAX_RATE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Clearing and setting in one transaction keeps the one-default index
   * satisfied at every commit. */
  if (!kassa_database_begin (self->database, error))
    return FALSE;

  if (!kassa_database_exec (self->database, "UPDATE tax_rate SET is_default = 0 WHERE is_default = 1", error))
    {
      kassa_database_rollback (self->database, NULL);
      return FALSE;
    }

  if (!run_on_id (self, "UPDATE tax_rate SET is_default = 1 WHERE id = ?1 AND archived = 0", id,
                  _("Changing the default tax rate"), error))
    {
      kassa_database_rollback (self->database, NULL);
      return FALSE;
    }

  return kassa_database_commit (self->database, error);
}

KassaTaxRateEntry *
kassa_tax_rate_repository_get_default (KassaTaxRateRepository  *self,
                                       GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_TAX_RATE_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT id, name, rate, is_default, archived FROM tax_rate WHERE is_default = 1",
                                 error);
  if (stmt == NULL)
    return NULL;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return entry_from_row (stmt);

  if (rc != SQLITE_DONE)
    kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                       _("Reading the tax rates"));
  return NULL;
}

gboolean
kassa_tax_rate_repository_archive (KassaTaxRateRepository  *self,
                                   gint64                   id,
                                   GError                 **error)
{
  g_return_val_if_fail (KASSA_IS_TAX_RATE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return run_on_id (self, "UPDATE tax_rate SET archived = 1, is_default = 0 WHERE id = ?1", id,
                    _("Archiving the tax rate"), error);
}
