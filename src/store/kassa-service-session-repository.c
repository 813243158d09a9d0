/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-service-session-repository"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "kassa-core-enum-types.h"
#include "kassa-error.h"
#include "kassa-service-session-repository.h"
#include "kassa-store-error.h"
#include "kassa-store-private.h"
#include "kassa-store-sql.h"
#include "kassa-store-text.h"
#include "kassa-transitions.h"

struct _KassaServiceSessionRepository
{
  GObject        parent_instance;

  KassaDatabase *database;
};

G_DEFINE_FINAL_TYPE (KassaServiceSessionRepository, kassa_service_session_repository, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATABASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define SESSION_COLUMNS \
  "id, order_id, order_line_id, item_id, customer_id, duration_minutes, status, provider_staff_id, " \
  "started_at"

/* Takes @time. */
/* For the getters that hand back a new reference. */
static void
bind_time_take (sqlite3_stmt *stmt,
                int           index,
                GDateTime    *time)
{
  kassa_sql_bind_time_or_null (stmt, index, time);
  g_clear_pointer (&time, g_date_time_unref);
}

static const char *
status_text (KassaServiceSessionStatus status)
{
  return kassa_store_enum_to_text (KASSA_TYPE_SERVICE_SESSION_STATUS, status);
}

static gboolean
sqlite_failed (KassaServiceSessionRepository  *self,
               int                             rc,
               const char                     *what,
               GError                        **error)
{
  kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc, what);
  return FALSE;
}

static gboolean
not_found (GError **error,
           gint64   id)
{
  g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
               _("There is no service session %" PRId64), id);
  return FALSE;
}

static gboolean
changed_elsewhere (KassaServiceSession  *session,
                   GError              **error)
{
  g_set_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION,
               _("Service session %" PRId64 " has changed since it was loaded"),
               kassa_service_session_get_id (session));
  return FALSE;
}

/* The domain's rules are tried on a copy, so the caller's session only
 * changes once the database has. */
static KassaServiceSession *
copy_session (KassaServiceSession *session)
{
  return g_object_new (KASSA_TYPE_SERVICE_SESSION,
                       "id", kassa_service_session_get_id (session),
                       "item-id", kassa_service_session_get_item_id (session),
                       "customer-id", kassa_service_session_get_customer_id (session),
                       "order-id", kassa_service_session_get_order_id (session),
                       "order-line-id", kassa_service_session_get_order_line_id (session),
                       "provider-staff-id", kassa_service_session_get_provider_staff_id (session),
                       "duration-minutes", kassa_service_session_get_duration_minutes (session),
                       "status", kassa_service_session_get_status (session),
                       "started-at", kassa_service_session_get_started_at (session),
                       NULL);
}

static KassaServiceSession *
session_from_row (sqlite3_stmt  *stmt,
                  GError       **error)
{
  g_autoptr(GDateTime) started_at = NULL;
  const char *started_text = (const char *) sqlite3_column_text (stmt, 8);
  int status;

  if (!kassa_store_enum_from_text (KASSA_TYPE_SERVICE_SESSION_STATUS, (const char *) sqlite3_column_text (stmt, 6),
                                   &status, error))
    return NULL;

  if (started_text != NULL)
    {
      started_at = kassa_store_time_from_text (started_text, error);
      if (started_at == NULL)
        return NULL;
    }

  /* "status" given at construction is taken as loaded, not transitioned. */
  return g_object_new (KASSA_TYPE_SERVICE_SESSION,
                       "id", (gint64) sqlite3_column_int64 (stmt, 0),
                       "order-id", (gint64) sqlite3_column_int64 (stmt, 1),
                       "order-line-id", (gint64) sqlite3_column_int64 (stmt, 2),
                       "item-id", (gint64) sqlite3_column_int64 (stmt, 3),
                       "customer-id", (gint64) sqlite3_column_int64 (stmt, 4),
                       "duration-minutes", (guint) sqlite3_column_int64 (stmt, 5),
                       "status", status,
                       "provider-staff-id", (gint64) sqlite3_column_int64 (stmt, 7),
                       "started-at", started_at,
                       NULL);
}

static GPtrArray *
collect (KassaServiceSessionRepository  *self,
         KassaStatement                 *statement,
         GError                        **error)
{
  g_autoptr(KassaStatement) stmt = statement;
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KassaServiceSession *session = session_from_row (stmt, error);

      if (session == NULL)
        return NULL;

      g_ptr_array_add (sessions, session);
    }

  if (rc != SQLITE_DONE)
    {
      sqlite_failed (self, rc, _("Listing service sessions"), error);
      return NULL;
    }

  return g_steal_pointer (&sessions);
}

/* Inside the caller's transaction: the stored row may only have moved
 * forward to what @session says, and a start time stays once set. */
static gboolean
check_against_stored (KassaServiceSessionRepository  *self,
                      KassaServiceSession            *session,
                      GError                        **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *started_text = NULL;
  gint64 id = kassa_service_session_get_id (session);
  const char *stored_started;
  int stored_status;
  int rc;

  stmt = kassa_database_prepare (self->database,
                                 "SELECT status, started_at FROM service_session WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return not_found (error, id);
  if (rc != SQLITE_ROW)
    return sqlite_failed (self, rc, _("Reading the service session"), error);

  if (!kassa_store_enum_from_text (KASSA_TYPE_SERVICE_SESSION_STATUS, (const char *) sqlite3_column_text (stmt, 0),
                                   &stored_status, error))
    return FALSE;

  if (stored_status != (int) kassa_service_session_get_status (session) &&
      !kassa_service_session_status_check_transition (stored_status, kassa_service_session_get_status (session),
                                                      error))
    return FALSE;

  stored_started = (const char *) sqlite3_column_text (stmt, 1);
  if (kassa_service_session_get_started_at (session) != NULL)
    started_text = kassa_store_time_to_text (kassa_service_session_get_started_at (session));

  if (stored_started != NULL && g_strcmp0 (stored_started, started_text) != 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED,
                   _("Service session %" PRId64 " has started; its start time stays"), id);
      return FALSE;
    }

  return TRUE;
}

static void
kassa_service_session_repository_dispose (GObject *object)
{
  KassaServiceSessionRepository *self = (KassaServiceSessionRepository *) object;

  g_clear_object (&self->database);

  G_OBJECT_CLASS (kassa_service_session_repository_parent_class)->dispose (object);
}

static void
kassa_service_session_repository_get_property (GObject    *object,
                                               guint       prop_id,
                                               GValue     *value,
                                               GParamSpec *pspec)
{
  KassaServiceSessionRepository *self = KASSA_SERVICE_SESSION_REPOSITORY (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      g_value_set_object (value, self->database);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_service_session_repository_set_property (GObject      *object,
                                               guint         prop_id,
                                               const GValue *value,
                                               GParamSpec   *pspec)
{
  KassaServiceSessionRepository *self = KASSA_SERVICE_SESSION_REPOSITORY (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      self->database = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_service_session_repository_class_init (KassaServiceSessionRepositoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kassa_service_session_repository_dispose;
  object_class->get_property = kassa_service_session_repository_get_property;
  object_class->set_property = kassa_service_session_repository_set_property;

  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL,
                         KASSA_TYPE_DATABASE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_service_session_repository_init (KassaServiceSessionRepository *self)
{
}

KassaServiceSessionRepository *
kassa_service_session_repository_new (KassaDatabase *database)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (database), NULL);

  return g_object_new (KASSA_TYPE_SERVICE_SESSION_REPOSITORY,
                       "database", database,
                       NULL);
}

KassaDatabase *
kassa_service_session_repository_get_database (KassaServiceSessionRepository *self)
{
  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION_REPOSITORY (self), NULL);

  return self->database;
}

gboolean
kassa_service_session_repository_save (KassaServiceSessionRepository  *self,
                                       KassaServiceSession            *session,
                                       GError                        **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  gint64 id;
  int rc;

  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION_REPOSITORY (self), FALSE);
  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION (session), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (kassa_service_session_get_order_id (session) <= 0 ||
      kassa_service_session_get_customer_id (session) <= 0 ||
      kassa_service_session_get_duration_minutes (session) == 0)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("A service session is sold with an order, to a customer, for a paid duration"));
      return FALSE;
    }

  id = kassa_service_session_get_id (session);

  if (!kassa_database_begin (self->database, error))
    return FALSE;

  if (id > 0 && !check_against_stored (self, session, error))
    return kassa_database_abort (self->database);

  if (id == 0)
    stmt = kassa_database_prepare (self->database,
                                   "INSERT INTO service_session (order_id, order_line_id, item_id, customer_id, "
                                   "duration_minutes, status, provider_staff_id, started_at, ends_at, created_at) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                                   error);
  else
    stmt = kassa_database_prepare (self->database,
                                   "UPDATE service_session SET order_id = ?1, order_line_id = ?2, item_id = ?3, "
                                   "customer_id = ?4, duration_minutes = ?5, status = ?6, provider_staff_id = ?7, "
                                   "started_at = ?8, ends_at = ?9 WHERE id = ?11",
                                   error);
  if (stmt == NULL)
    return kassa_database_abort (self->database);

  sqlite3_bind_int64 (stmt, 1, kassa_service_session_get_order_id (session));
  kassa_sql_bind_id_or_null (stmt, 2, kassa_service_session_get_order_line_id (session));
  kassa_sql_bind_id_or_null (stmt, 3, kassa_service_session_get_item_id (session));
  sqlite3_bind_int64 (stmt, 4, kassa_service_session_get_customer_id (session));
  sqlite3_bind_int64 (stmt, 5, kassa_service_session_get_duration_minutes (session));
  sqlite3_bind_text (stmt, 6, status_text (kassa_service_session_get_status (session)), -1, SQLITE_STATIC);
  kassa_sql_bind_id_or_null (stmt, 7, kassa_service_session_get_provider_staff_id (session));
  kassa_sql_bind_time_or_null (stmt, 8, kassa_service_session_get_started_at (session));
  bind_time_take (stmt, 9, kassa_service_session_get_ends_at (session));
  if (id == 0)
    sqlite3_bind_text (stmt, 10, kassa_store_now_text (), -1, g_free);
  else
    sqlite3_bind_int64 (stmt, 11, id);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      sqlite_failed (self, rc, _("Saving the service session"), error);
      return kassa_database_abort (self->database);
    }

  if (id == 0)
    id = sqlite3_last_insert_rowid (kassa_database_get_handle (self->database));

  kassa_statement_release (g_steal_pointer (&stmt));

  if (!kassa_database_commit (self->database, error))
    return FALSE;

  kassa_service_session_set_id (session, id);
  return TRUE;
}

KassaServiceSession *
kassa_service_session_repository_load (KassaServiceSessionRepository  *self,
                                       gint64                          id,
                                       GError                        **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT " SESSION_COLUMNS " FROM service_session WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return session_from_row (stmt, error);

  if (rc == SQLITE_DONE)
    not_found (error, id);
  else
    sqlite_failed (self, rc, _("Reading the service session"), error);

  return NULL;
}

gboolean
kassa_service_session_repository_start (KassaServiceSessionRepository  *self,
                                        KassaServiceSession            *session,
                                        GDateTime                      *now,
                                        gint64                          provider_staff_id,
                                        GError                        **error)
{
  g_autoptr(KassaServiceSession) trial = NULL;
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION_REPOSITORY (self), FALSE);
  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION (session), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (provider_staff_id >= 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trial = copy_session (session);
  if (!kassa_service_session_start (trial, now, error))
    return FALSE;

  /* Only the pending row this object was loaded from, with the duration
   * it shows: a second till starting it too finds it started. */
  stmt = kassa_database_prepare (self->database,
                                 "UPDATE service_session SET status = 'active', started_at = ?3, ends_at = ?4, "
                                 "provider_staff_id = ?5 "
                                 "WHERE id = ?1 AND status = 'pending' AND duration_minutes = ?2",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, kassa_service_session_get_id (session));
  sqlite3_bind_int64 (stmt, 2, kassa_service_session_get_duration_minutes (session));
  kassa_sql_bind_time_or_null (stmt, 3, kassa_service_session_get_started_at (trial));
  bind_time_take (stmt, 4, kassa_service_session_get_ends_at (trial));
  kassa_sql_bind_id_or_null (stmt, 5, provider_staff_id);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return sqlite_failed (self, rc, _("Starting the service session"), error);

  if (sqlite3_changes (kassa_database_get_handle (self->database)) == 0)
    return changed_elsewhere (session, error);

  if (!kassa_service_session_start (session, now, error))
    g_return_val_if_reached (FALSE);
  kassa_service_session_set_provider_staff_id (session, provider_staff_id);

  return TRUE;
}

gboolean
kassa_service_session_repository_expire (KassaServiceSessionRepository  *self,
                                         KassaServiceSession            *session,
                                         GDateTime                      *now,
                                         GError                        **error)
{
  g_autoptr(KassaServiceSession) trial = NULL;
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION_REPOSITORY (self), FALSE);
  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION (session), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trial = copy_session (session);
  if (!kassa_service_session_expire (trial, now, error))
    return FALSE;

  stmt = kassa_database_prepare (self->database,
                                 "UPDATE service_session SET status = 'expired' WHERE id = ?1 AND status = 'active'",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, kassa_service_session_get_id (session));

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return sqlite_failed (self, rc, _("Ending the service session"), error);

  if (sqlite3_changes (kassa_database_get_handle (self->database)) == 0)
    return changed_elsewhere (session, error);

  if (!kassa_service_session_expire (session, now, error))
    g_return_val_if_reached (FALSE);

  return TRUE;
}

gboolean
kassa_service_session_repository_cancel (KassaServiceSessionRepository  *self,
                                         KassaServiceSession            *session,
                                         GError                        **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  KassaServiceSessionStatus current;
  int rc;

  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION_REPOSITORY (self), FALSE);
  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION (session), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  current = kassa_service_session_get_status (session);
  if (!kassa_service_session_status_check_transition (current, KASSA_SERVICE_SESSION_STATUS_CANCELLED, error))
    return FALSE;

  stmt = kassa_database_prepare (self->database,
                                 "UPDATE service_session SET status = 'cancelled' WHERE id = ?1 AND status = ?2",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, kassa_service_session_get_id (session));
  sqlite3_bind_text (stmt, 2, status_text (current), -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return sqlite_failed (self, rc, _("Cancelling the service session"), error);

  if (sqlite3_changes (kassa_database_get_handle (self->database)) == 0)
    return changed_elsewhere (session, error);

  if (!kassa_service_session_set_status (session, KASSA_SERVICE_SESSION_STATUS_CANCELLED, error))
    g_return_val_if_reached (FALSE);

  return TRUE;
}

gboolean
kassa_service_session_repository_expire_due (KassaServiceSessionRepository  *self,
                                             GDateTime                      *now,
                                             guint                          *out_n_expired,
                                             GError                        **error)
{
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(KassaStatement) stmt = NULL;

  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION_REPOSITORY (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_database_begin (self->database, error))
    return FALSE;

  stmt = kassa_database_prepare (self->database,
                                 "SELECT " SESSION_COLUMNS " FROM service_session "
                                 "WHERE status = 'active' AND ends_at <= ?1 ORDER BY ends_at, id",
                                 error);
  if (stmt == NULL)
    return kassa_database_abort (self->database);

  kassa_sql_bind_time_or_null (stmt, 1, now);
  due = collect (self, g_steal_pointer (&stmt), error);
  if (due == NULL)
    return kassa_database_abort (self->database);

  /* The query only narrows the search; the domain says what has run out. */
  for (guint i = 0; i < due->len; i++)
    if (!kassa_service_session_repository_expire (self, g_ptr_array_index (due, i), now, error))
      return kassa_database_abort (self->database);

  if (!kassa_database_commit (self->database, error))
    return FALSE;

  if (out_n_expired != NULL)
    *out_n_expired = due->len;

  return TRUE;
}

GPtrArray *
kassa_service_session_repository_list_active (KassaServiceSessionRepository  *self,
                                              gint64                          customer_id,
                                              GDateTime                      *now,
                                              GError                        **error)
{
  KassaStatement *stmt;

  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION_REPOSITORY (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT " SESSION_COLUMNS " FROM service_session "
                                 "WHERE (?1 IS NULL OR customer_id = ?1) "
                                 "AND (status = 'pending' OR (status = 'active' AND ends_at > ?2)) "
                                 "ORDER BY status = 'pending', ends_at, id",
                                 error);
  if (stmt == NULL)
    return NULL;

  kassa_sql_bind_id_or_null (stmt, 1, customer_id);
  kassa_sql_bind_time_or_null (stmt, 2, now);

  return collect (self, stmt, error);
}

GPtrArray *
kassa_service_session_repository_list_expiring (KassaServiceSessionRepository  *self,
                                                gint64                          customer_id,
                                                GDateTime                      *now,
                                                GTimeSpan                       within,
                                                GError                        **error)
{
  KassaStatement *stmt;

  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION_REPOSITORY (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);
  g_return_val_if_fail (within >= 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT " SESSION_COLUMNS " FROM service_session "
                                 "WHERE (?1 IS NULL OR customer_id = ?1) "
                                 "AND status = 'active' AND ends_at > ?2 AND ends_at <= ?3 "
                                 "ORDER BY ends_at, id",
                                 error);
  if (stmt == NULL)
    return NULL;

  kassa_sql_bind_id_or_null (stmt, 1, customer_id);
  kassa_sql_bind_time_or_null (stmt, 2, now);
  bind_time_take (stmt, 3, g_date_time_add (now, within));

  return collect (self, stmt, error);
}

GPtrArray *
kassa_service_session_repository_list_for_order (KassaServiceSessionRepository  *self,
                                                 gint64                          order_id,
                                                 GError                        **error)
{
  KassaStatement *stmt;

  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT " SESSION_COLUMNS " FROM service_session WHERE order_id = ?1 ORDER BY id",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, order_id);

  return collect (self, stmt, error);
}
