/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-audit-log"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kassa-audit-log.h"
#include "kassa-journal.h"
#include "kassa-store-error.h"
#include "kassa-store-private.h"
#include "kassa-store-text.h"

struct _KassaAuditLog
{
  GObject        parent_instance;

  KassaDatabase *database;
};

G_DEFINE_FINAL_TYPE (KassaAuditLog, kassa_audit_log, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (KassaAuditEntry, kassa_audit_entry,
                     kassa_audit_entry_copy, kassa_audit_entry_free)

enum {
  PROP_0,
  PROP_DATABASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static KassaAuditEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  KassaAuditEntry *entry = g_new0 (KassaAuditEntry, 1);

  entry->id = sqlite3_column_int64 (stmt, 0);
  entry->created_at = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  entry->staff_id = sqlite3_column_int64 (stmt, 2);
  entry->action = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  entry->entity_kind = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  entry->entity_id = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  entry->details = g_strdup ((const char *) sqlite3_column_text (stmt, 6));

  return entry;
}

static void
kassa_audit_log_dispose (GObject *object)
{
  KassaAuditLog *self = (KassaAuditLog *)object;

  g_clear_object (&self->database);

  G_OBJECT_CLASS (kassa_audit_log_parent_class)->dispose (object);
}

static void
kassa_audit_log_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KassaAuditLog *self = KASSA_AUDIT_LOG (object);

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
kassa_audit_log_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KassaAuditLog *self = KASSA_AUDIT_LOG (object);

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
kassa_audit_log_class_init (KassaAuditLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kassa_audit_log_dispose;
  object_class->get_property = kassa_audit_log_get_property;
  object_class->set_property = kassa_audit_log_set_property;

  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL,
                         KASSA_TYPE_DATABASE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_audit_log_init (KassaAuditLog *self)
{
}

KassaAuditEntry *
kassa_audit_entry_copy (const KassaAuditEntry *entry)
{
  KassaAuditEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_new0 (KassaAuditEntry, 1);
  copy->id = entry->id;
  copy->created_at = g_strdup (entry->created_at);
  copy->staff_id = entry->staff_id;
  copy->action = g_strdup (entry->action);
  copy->entity_kind = g_strdup (entry->entity_kind);
  copy->entity_id = g_strdup (entry->entity_id);
  copy->details = g_strdup (entry->details);

  return copy;
}

void
kassa_audit_entry_free (KassaAuditEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->created_at);
  g_free (entry->action);
  g_free (entry->entity_kind);
  g_free (entry->entity_id);
  g_free (entry->details);
  g_free (entry);
}

KassaAuditLog *
kassa_audit_log_new (KassaDatabase *database)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (database), NULL);

  return g_object_new (KASSA_TYPE_AUDIT_LOG,
                       "database", database,
                       NULL);
}

KassaDatabase *
kassa_audit_log_get_database (KassaAuditLog *self)
{
  g_return_val_if_fail (KASSA_IS_AUDIT_LOG (self), NULL);

  return self->database;
}

/**
 * kassa_audit_log_record:
 * @self: a #KassaAuditLog
 * @staff_id: who acted, or 0 when nobody signed in did (imports, sync)
 * @action: what was done, such as `price.override` or `drawer.open`
 * @entity_kind: what it was done to, such as `order`
 * @entity_id: (nullable): which one
 * @details: (nullable): a JSON object with the particulars (old and new
 *   values); stored as canonical JSON
 * @error: a location for a #GError
 *
 * Records who did what. Call it inside the transaction of the change so
 * the record and the change are stored together; outside one it is its
 * own transaction (drawer openings change nothing else).
 *
 * Returns: the entry's id, or 0 with @error set
 */
gint64
kassa_audit_log_record (KassaAuditLog  *self,
                        gint64          staff_id,
                        const char     *action,
                        const char     *entity_kind,
                        const char     *entity_id,
                        JsonNode       *details,
                        GError        **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *details_json = NULL;
  g_autofree char *created_at = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KASSA_IS_AUDIT_LOG (self), 0);
  g_return_val_if_fail (staff_id >= 0, 0);
  g_return_val_if_fail (action != NULL && action[0] != '\0', 0);
  g_return_val_if_fail (entity_kind != NULL && entity_kind[0] != '\0', 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (details != NULL && !JSON_NODE_HOLDS_OBJECT (details))
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                   _("Audit details must be a JSON object"));
      return 0;
    }

  if (details != NULL)
    details_json = kassa_journal_canonicalize (details, error);
  else
    details_json = g_strdup ("{}");

  if (details_json == NULL)
    return 0;

  created_at = kassa_store_now_text ();
  db = kassa_database_get_handle (self->database);

  stmt = kassa_database_prepare (self->database,
                                 "INSERT INTO audit_log (created_at, staff_id, action, entity_kind, entity_id, details) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                 error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, created_at, -1, SQLITE_STATIC);
  if (staff_id > 0)
    sqlite3_bind_int64 (stmt, 2, staff_id);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_text (stmt, 3, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, entity_kind, -1, SQLITE_TRANSIENT);
  if (entity_id != NULL)
    sqlite3_bind_text (stmt, 5, entity_id, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 5);
  sqlite3_bind_text (stmt, 6, details_json, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, db, rc, _("Writing the audit log"));
      return 0;
    }

  return sqlite3_last_insert_rowid (db);
}

/**
 * kassa_audit_log_list_recent:
 * @self: a #KassaAuditLog
 * @before_id: list entries older than this id; 0 starts at the newest
 * @limit: at most this many entries
 * @error: a location for a #GError
 *
 * Pages through the log from newest to oldest: pass the id of the last
 * entry of one page as @before_id of the next. Keyed on the id rather
 * than an offset so pages stay stable while entries are added.
 *
 * Returns: (transfer full) (element-type KassaAuditEntry): the entries,
 *   newest first, or %NULL with @error set
 */
GPtrArray *
kassa_audit_log_list_recent (KassaAuditLog  *self,
                             gint64          before_id,
                             guint           limit,
                             GError        **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_AUDIT_LOG (self), NULL);
  g_return_val_if_fail (before_id >= 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT id, created_at, staff_id, action, entity_kind, entity_id, details "
                                 "FROM audit_log WHERE id < ?1 ORDER BY id DESC LIMIT ?2",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, before_id > 0 ? before_id : G_MAXINT64);
  sqlite3_bind_int64 (stmt, 2, limit);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) kassa_audit_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, entry_from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading the audit log"));
      return NULL;
    }

  return g_steal_pointer (&entries);
}

/**
 * kassa_audit_log_count:
 * @self: a #KassaAuditLog
 * @action: the action, such as `receipt.reprint`
 * @entity_kind: what it was done to
 * @entity_id: which one
 * @out_count: (out): how many entries match
 * @error: a location for a #GError
 *
 * Counts through the entity index, so it stays cheap however long the
 * log grows. Inside the transaction that records the next entry, the
 * count and the entry cannot race another writer.
 *
 * Returns: %TRUE on success
 */
gboolean
kassa_audit_log_count (KassaAuditLog  *self,
                       const char     *action,
                       const char     *entity_kind,
                       const char     *entity_id,
                       guint64        *out_count,
                       GError        **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_AUDIT_LOG (self), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);
  g_return_val_if_fail (entity_kind != NULL, FALSE);
  g_return_val_if_fail (entity_id != NULL, FALSE);
  g_return_val_if_fail (out_count != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT count (*) FROM audit_log "
                                 "WHERE entity_kind = ?1 AND entity_id = ?2 AND action = ?3",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, entity_kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, entity_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, action, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading the audit log"));
      return FALSE;
    }

  *out_count = (guint64) sqlite3_column_int64 (stmt, 0);

  return TRUE;
}
