/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-staff-repository"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "kassa-core-enum-types.h"
#include "kassa-error.h"
#include "kassa-staff-repository.h"
#include "kassa-store-private.h"
#include "kassa-store-sql.h"
#include "kassa-store-text.h"
#include "kassa-text.h"

struct _KassaStaffRepository
{
  GObject        parent_instance;

  KassaDatabase *database;
};

G_DEFINE_FINAL_TYPE (KassaStaffRepository, kassa_staff_repository, G_TYPE_OBJECT)

static void
not_found (GError **error,
           gint64   id)
{
  g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
               _("There is no staff member number %" PRId64), id);
}

static KassaStaff *
staff_from_row (sqlite3_stmt  *stmt,
                GError       **error)
{
  g_autoptr(KassaStaff) staff = kassa_staff_new ();
  int role;

  if (!kassa_store_enum_from_text (KASSA_TYPE_STAFF_ROLE, kassa_sql_column_text (stmt, 2), &role, error))
    return NULL;

  kassa_staff_set_id (staff, sqlite3_column_int64 (stmt, 0));
  kassa_staff_set_name (staff, kassa_sql_column_text (stmt, 1));
  kassa_staff_set_role (staff, role);
  kassa_staff_set_pin_hash (staff, kassa_sql_column_text (stmt, 3));
  kassa_staff_set_active (staff, sqlite3_column_int (stmt, 4));

  return g_steal_pointer (&staff);
}

/* Runs an UPDATE of one member that the caller bound. */
static gboolean
update_one (KassaStaffRepository  *self,
            sqlite3_stmt          *stmt,
            gint64                 id,
            GError               **error)
{
  sqlite3 *db = kassa_database_get_handle (self->database);
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, db, rc, _("Saving a staff member"));
      return FALSE;
    }

  if (sqlite3_changes (db) == 0)
    {
      not_found (error, id);
      return FALSE;
    }

  return TRUE;
}

static void
kassa_staff_repository_dispose (GObject *object)
{
  KassaStaffRepository *self = KASSA_STAFF_REPOSITORY (object);

  g_clear_object (&self->database);

  G_OBJECT_CLASS (kassa_staff_repository_parent_class)->dispose (object);
}

static void
kassa_staff_repository_class_init (KassaStaffRepositoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kassa_staff_repository_dispose;
}

static void
kassa_staff_repository_init (KassaStaffRepository *self)
{
}

KassaStaffRepository *
kassa_staff_repository_new (KassaDatabase *database)
{
  KassaStaffRepository *self;

  g_return_val_if_fail (KASSA_IS_DATABASE (database), NULL);

  self = g_object_new (KASSA_TYPE_STAFF_REPOSITORY, NULL);
  self->database = g_object_ref (database);

  return self;
}

gboolean
kassa_staff_repository_insert (KassaStaffRepository  *self,
                               KassaStaff            *staff,
                               GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = NULL;
  const char *pin_hash;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KASSA_IS_STAFF_REPOSITORY (self), FALSE);
  g_return_val_if_fail (KASSA_IS_STAFF (staff), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (kassa_text_is_blank (kassa_staff_get_name (staff)))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("A staff member needs a name"));
      return FALSE;
    }

  stmt = kassa_database_prepare (self->database,
                                 "INSERT INTO staff (name, role, pin_hash, active, created_at, updated_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                                 error);
  if (stmt == NULL)
    return FALSE;

  now = kassa_store_now_text ();
  pin_hash = kassa_staff_get_pin_hash (staff);
  sqlite3_bind_text (stmt, 1, kassa_staff_get_name (staff), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kassa_store_enum_to_text (KASSA_TYPE_STAFF_ROLE, kassa_staff_get_role (staff)),
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, pin_hash != NULL ? pin_hash : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, kassa_staff_get_active (staff));
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);

  db = kassa_database_get_handle (self->database);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, db, rc, _("Saving a staff member"));
      return FALSE;
    }

  kassa_staff_set_id (staff, sqlite3_last_insert_rowid (db));

  return TRUE;
}

KassaStaff *
kassa_staff_repository_get (KassaStaffRepository  *self,
                            gint64                 id,
                            GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_STAFF_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT id, name, role, pin_hash, active FROM staff WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return staff_from_row (stmt, error);

  if (rc == SQLITE_DONE)
    not_found (error, id);
  else
    kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                       _("Reading a staff member"));
  return NULL;
}

GPtrArray *
kassa_staff_repository_list (KassaStaffRepository  *self,
                             gboolean               include_archived,
                             GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GPtrArray) members = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_STAFF_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT id, name, role, pin_hash, active FROM staff "
                                 "WHERE active = 1 OR ?1 ORDER BY name COLLATE NOCASE, id",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int (stmt, 1, include_archived ? 1 : 0);
  members = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KassaStaff *staff = staff_from_row (stmt, error);

      if (staff == NULL)
        return NULL;
      g_ptr_array_add (members, staff);
    }

  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading staff"));
      return NULL;
    }

  return g_steal_pointer (&members);
}

static gint64
count_query (KassaStaffRepository  *self,
             sqlite3_stmt          *stmt,
             GError               **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Counting staff"));
      return -1;
    }

  return sqlite3_column_int64 (stmt, 0);
}

gint64
kassa_staff_repository_count (KassaStaffRepository  *self,
                              GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;

  g_return_val_if_fail (KASSA_IS_STAFF_REPOSITORY (self), -1);

  stmt = kassa_database_prepare (self->database, "SELECT count (*) FROM staff", error);
  if (stmt == NULL)
    return -1;

  return count_query (self, stmt, error);
}

gint64
kassa_staff_repository_count_active_with_role (KassaStaffRepository  *self,
                                               KassaStaffRole         role,
                                               GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;

  g_return_val_if_fail (KASSA_IS_STAFF_REPOSITORY (self), -1);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT count (*) FROM staff WHERE active = 1 AND role = ?1", error);
  if (stmt == NULL)
    return -1;

  sqlite3_bind_text (stmt, 1, kassa_store_enum_to_text (KASSA_TYPE_STAFF_ROLE, role), -1, SQLITE_STATIC);

  return count_query (self, stmt, error);
}

gboolean
kassa_staff_repository_set_name (KassaStaffRepository  *self,
                                 gint64                 id,
                                 const char            *name,
                                 GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = NULL;

  g_return_val_if_fail (KASSA_IS_STAFF_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (kassa_text_is_blank (name))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("A staff member needs a name"));
      return FALSE;
    }

  stmt = kassa_database_prepare (self->database,
                                 "UPDATE staff SET name = ?1, updated_at = ?2 WHERE id = ?3", error);
  if (stmt == NULL)
    return FALSE;

  now = kassa_store_now_text ();
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, id);

  return update_one (self, stmt, id, error);
}

gboolean
kassa_staff_repository_set_role (KassaStaffRepository  *self,
                                 gint64                 id,
                                 KassaStaffRole         role,
                                 GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = NULL;

  g_return_val_if_fail (KASSA_IS_STAFF_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database,
                                 "UPDATE staff SET role = ?1, updated_at = ?2 WHERE id = ?3", error);
  if (stmt == NULL)
    return FALSE;

  now = kassa_store_now_text ();
  sqlite3_bind_text (stmt, 1, kassa_store_enum_to_text (KASSA_TYPE_STAFF_ROLE, role), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, id);

  return update_one (self, stmt, id, error);
}

gboolean
kassa_staff_repository_set_pin_hash (KassaStaffRepository  *self,
                                     gint64                 id,
                                     const char            *pin_hash,
                                     GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = NULL;

  g_return_val_if_fail (KASSA_IS_STAFF_REPOSITORY (self), FALSE);
  g_return_val_if_fail (pin_hash != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database,
                                 "UPDATE staff SET pin_hash = ?1, failed_attempts = 0, locked_until = NULL, "
                                 "updated_at = ?2 WHERE id = ?3",
                                 error);
  if (stmt == NULL)
    return FALSE;

  now = kassa_store_now_text ();
  sqlite3_bind_text (stmt, 1, pin_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, id);

  return update_one (self, stmt, id, error);
}

gboolean
kassa_staff_repository_set_active (KassaStaffRepository  *self,
                                   gint64                 id,
                                   gboolean               active,
                                   GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = NULL;

  g_return_val_if_fail (KASSA_IS_STAFF_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database,
                                 "UPDATE staff SET active = ?1, updated_at = ?2 WHERE id = ?3", error);
  if (stmt == NULL)
    return FALSE;

  now = kassa_store_now_text ();
  sqlite3_bind_int (stmt, 1, active ? 1 : 0);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, id);

  return update_one (self, stmt, id, error);
}

gboolean
kassa_staff_repository_get_lock (KassaStaffRepository  *self,
                                 gint64                 id,
                                 guint                 *failed_attempts,
                                 GDateTime            **locked_until,
                                 GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GDateTime) until = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_STAFF_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT failed_attempts, locked_until FROM staff WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      not_found (error, id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading a staff member"));
      return FALSE;
    }

  if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
    {
      until = kassa_store_time_from_text (kassa_sql_column_text (stmt, 1), error);
      if (until == NULL)
        return FALSE;
    }

  if (failed_attempts != NULL)
    *failed_attempts = sqlite3_column_int (stmt, 0);
  if (locked_until != NULL)
    *locked_until = g_steal_pointer (&until);

  return TRUE;
}

gboolean
kassa_staff_repository_set_lock (KassaStaffRepository  *self,
                                 gint64                 id,
                                 guint                  failed_attempts,
                                 GDateTime             *locked_until,
                                 GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *until = NULL;

  g_return_val_if_fail (KASSA_IS_STAFF_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* updated_at stays: it records edits of the account, not sign-ins. */
  stmt = kassa_database_prepare (self->database,
                                 "UPDATE staff SET failed_attempts = ?1, locked_until = ?2 WHERE id = ?3", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, failed_attempts);
  if (locked_until != NULL)
    {
      until = kassa_store_time_to_text (locked_until);
      sqlite3_bind_text (stmt, 2, until, -1, SQLITE_TRANSIENT);
    }
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_int64 (stmt, 3, id);

  return update_one (self, stmt, id, error);
}
