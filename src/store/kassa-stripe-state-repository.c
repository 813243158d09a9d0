/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-stripe-state-repository"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kassa-error.h"
#include "kassa-store-error.h"
#include "kassa-store-private.h"
#include "kassa-store-text.h"
#include "kassa-stripe-state-repository.h"

/* The newest event id already applied, kept in the settings table so a
 * backup carries it. */
#define EVENTS_CURSOR_KEY "stripe.events-cursor"

struct _KassaStripeStateRepository
{
  GObject        parent_instance;

  KassaDatabase *database;
};

G_DEFINE_FINAL_TYPE (KassaStripeStateRepository, kassa_stripe_state_repository, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (KassaStripeRequest, kassa_stripe_request,
                     kassa_stripe_request_copy, kassa_stripe_request_free)
G_DEFINE_BOXED_TYPE (KassaStripeOutboxEntry, kassa_stripe_outbox_entry,
                     kassa_stripe_outbox_entry_copy, kassa_stripe_outbox_entry_free)

enum {
  PROP_0,
  PROP_DATABASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const outcome_texts[] = {
  [KASSA_STRIPE_OUTCOME_PENDING] = "pending",
  [KASSA_STRIPE_OUTCOME_SUCCEEDED] = "succeeded",
  [KASSA_STRIPE_OUTCOME_FAILED] = "failed",
  [KASSA_STRIPE_OUTCOME_UNKNOWN] = "unknown",
};

#define REQUEST_COLUMNS \
  "idempotency_key, method, path, body, entity_kind, entity_id, outcome, object_id, attempts, " \
  "last_error, created_at, updated_at"

static const char *
empty_to_null (const char *text)
{
  return text != NULL && text[0] != '\0' ? text : NULL;
}

static gboolean
run (KassaStripeStateRepository  *self,
     sqlite3_stmt                *stmt,
     const char                  *what,
     GError                     **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    return TRUE;

  kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc, what);
  return FALSE;
}

static gboolean
expect_change (KassaStripeStateRepository  *self,
               const char                  *what,
               GError                     **error)
{
  if (sqlite3_changes (kassa_database_get_handle (self->database)) > 0)
    return TRUE;

  g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND, _("There is no such %s"), what);
  return FALSE;
}

static KassaStripeRequest *
request_from_row (sqlite3_stmt  *stmt,
                  GError       **error)
{
  g_autoptr(KassaStripeRequest) request = g_new0 (KassaStripeRequest, 1);
  const char *outcome = (const char *) sqlite3_column_text (stmt, 6);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (outcome_texts); i++)
    if (g_strcmp0 (outcome_texts[i], outcome) == 0)
      break;
  if (i == G_N_ELEMENTS (outcome_texts))
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CORRUPT,
                   _("A Stripe request has an unknown outcome “%s”"), outcome);
      return NULL;
    }

  request->idempotency_key = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  request->method = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  request->path = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  request->body = g_strdup (empty_to_null ((const char *) sqlite3_column_text (stmt, 3)));
  request->entity_kind = g_strdup (empty_to_null ((const char *) sqlite3_column_text (stmt, 4)));
  request->entity_id = sqlite3_column_int64 (stmt, 5);
  request->outcome = i;
  request->object_id = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  request->attempts = sqlite3_column_int64 (stmt, 8);
  request->last_error = g_strdup (empty_to_null ((const char *) sqlite3_column_text (stmt, 9)));
  if ((request->created_at = kassa_store_time_from_text ((const char *) sqlite3_column_text (stmt, 10), error)) == NULL ||
      (request->updated_at = kassa_store_time_from_text ((const char *) sqlite3_column_text (stmt, 11), error)) == NULL)
    return NULL;

  return g_steal_pointer (&request);
}

static KassaStripeRequest *
load_request_where (KassaStripeStateRepository  *self,
                    KassaStatement              *stmt,
                    GError                     **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND, _("There is no such Stripe request"));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading a Stripe request"));
      return NULL;
    }

  return request_from_row (stmt, error);
}

static void
kassa_stripe_state_repository_dispose (GObject *object)
{
  KassaStripeStateRepository *self = KASSA_STRIPE_STATE_REPOSITORY (object);

  g_clear_object (&self->database);

  G_OBJECT_CLASS (kassa_stripe_state_repository_parent_class)->dispose (object);
}

static void
kassa_stripe_state_repository_get_property (GObject    *object,
                                            guint       prop_id,
                                            GValue     *value,
                                            GParamSpec *pspec)
{
  KassaStripeStateRepository *self = KASSA_STRIPE_STATE_REPOSITORY (object);

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
kassa_stripe_state_repository_set_property (GObject      *object,
                                            guint         prop_id,
                                            const GValue *value,
                                            GParamSpec   *pspec)
{
  KassaStripeStateRepository *self = KASSA_STRIPE_STATE_REPOSITORY (object);

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
kassa_stripe_state_repository_class_init (KassaStripeStateRepositoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kassa_stripe_state_repository_dispose;
  object_class->get_property = kassa_stripe_state_repository_get_property;
  object_class->set_property = kassa_stripe_state_repository_set_property;

  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL,
                         KASSA_TYPE_DATABASE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_stripe_state_repository_init (KassaStripeStateRepository *self)
{
}

KassaStripeRequest *
kassa_stripe_request_copy (const KassaStripeRequest *request)
{
  KassaStripeRequest *copy;

  g_return_val_if_fail (request != NULL, NULL);

  copy = g_memdup2 (request, sizeof *request);
  copy->idempotency_key = g_strdup (request->idempotency_key);
  copy->method = g_strdup (request->method);
  copy->path = g_strdup (request->path);
  copy->body = g_strdup (request->body);
  copy->entity_kind = g_strdup (request->entity_kind);
  copy->object_id = g_strdup (request->object_id);
  copy->last_error = g_strdup (request->last_error);
  copy->created_at = request->created_at ? g_date_time_ref (request->created_at) : NULL;
  copy->updated_at = request->updated_at ? g_date_time_ref (request->updated_at) : NULL;

  return copy;
}

void
kassa_stripe_request_free (KassaStripeRequest *request)
{
  if (request == NULL)
    return;

  g_free (request->idempotency_key);
  g_free (request->method);
  g_free (request->path);
  g_free (request->body);
  g_free (request->entity_kind);
  g_free (request->object_id);
  g_free (request->last_error);
  g_clear_pointer (&request->created_at, g_date_time_unref);
  g_clear_pointer (&request->updated_at, g_date_time_unref);
  g_free (request);
}

KassaStripeOutboxEntry *
kassa_stripe_outbox_entry_copy (const KassaStripeOutboxEntry *entry)
{
  KassaStripeOutboxEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_memdup2 (entry, sizeof *entry);
  copy->idempotency_key = g_strdup (entry->idempotency_key);
  copy->next_attempt_at = entry->next_attempt_at ? g_date_time_ref (entry->next_attempt_at) : NULL;
  copy->created_at = entry->created_at ? g_date_time_ref (entry->created_at) : NULL;

  return copy;
}

void
kassa_stripe_outbox_entry_free (KassaStripeOutboxEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->idempotency_key);
  g_clear_pointer (&entry->next_attempt_at, g_date_time_unref);
  g_clear_pointer (&entry->created_at, g_date_time_unref);
  g_free (entry);
}

KassaStripeStateRepository *
kassa_stripe_state_repository_new (KassaDatabase *database)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (database), NULL);

  return g_object_new (KASSA_TYPE_STRIPE_STATE_REPOSITORY,
                       "database", database,
                       NULL);
}

/**
 * kassa_stripe_state_repository_record_event:
 * @self: a #KassaStripeStateRepository
 * @event_id: Stripe's `evt_…` id
 * @type: the event type, such as `checkout.session.completed`
 * @created: the event's creation time, Unix seconds
 * @out_is_new: (out): %TRUE when the event was not seen before
 * @error: a location for a #GError
 *
 * Notes an event as applied unless it already was. Call it in the
 * transaction that applies the event and apply it only when it is new:
 * a duplicate delivery (polling and the webhook both, or Stripe sending
 * twice) then changes nothing.
 *
 * Returns: %TRUE on success
 */
gboolean
kassa_stripe_state_repository_record_event (KassaStripeStateRepository  *self,
                                            const char                  *event_id,
                                            const char                  *type,
                                            gint64                       created,
                                            gboolean                    *out_is_new,
                                            GError                     **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = kassa_store_now_text ();

  g_return_val_if_fail (KASSA_IS_STRIPE_STATE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (event_id != NULL && event_id[0] != '\0', FALSE);
  g_return_val_if_fail (type != NULL, FALSE);
  g_return_val_if_fail (out_is_new != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database,
                                 "INSERT INTO stripe_event (id, type, created, applied_at) VALUES (?1, ?2, ?3, ?4) "
                                 "ON CONFLICT (id) DO NOTHING",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, event_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, created);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_STATIC);
  if (!run (self, stmt, _("Recording a Stripe event"), error))
    return FALSE;

  *out_is_new = sqlite3_changes (kassa_database_get_handle (self->database)) > 0;
  return TRUE;
}

gboolean
kassa_stripe_state_repository_has_event (KassaStripeStateRepository  *self,
                                         const char                  *event_id,
                                         gboolean                    *out_seen,
                                         GError                     **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_STRIPE_STATE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (event_id != NULL, FALSE);
  g_return_val_if_fail (out_seen != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database, "SELECT 1 FROM stripe_event WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, event_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading Stripe events"));
      return FALSE;
    }

  *out_seen = rc == SQLITE_ROW;
  return TRUE;
}

/**
 * kassa_stripe_state_repository_get_event_created:
 * @self: a #KassaStripeStateRepository
 * @event_id: an event id
 * @out_known: (out): whether the event was recorded
 * @out_created: (out): when Stripe created it (Unix time), 0 when unknown
 * @error: a location for a #GError
 *
 * Tells how old an applied event is, so the poller knows a cursor Stripe
 * no longer keeps events for before asking.
 *
 * Returns: %TRUE on success
 */
gboolean
kassa_stripe_state_repository_get_event_created (KassaStripeStateRepository  *self,
                                                 const char                  *event_id,
                                                 gboolean                    *out_known,
                                                 gint64                      *out_created,
                                                 GError                     **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_STRIPE_STATE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (event_id != NULL, FALSE);
  g_return_val_if_fail (out_known != NULL && out_created != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database, "SELECT created FROM stripe_event WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, event_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading Stripe events"));
      return FALSE;
    }

  *out_known = rc == SQLITE_ROW;
  *out_created = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

/**
 * kassa_stripe_state_repository_get_events_cursor:
 * @self: a #KassaStripeStateRepository
 * @out_event_id: (out) (transfer full) (nullable): the newest event id
 *   processed, for `ending_before`; %NULL before the first sync
 * @error: a location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
kassa_stripe_state_repository_get_events_cursor (KassaStripeStateRepository  *self,
                                                 char                       **out_event_id,
                                                 GError                     **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_STRIPE_STATE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (out_event_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *out_event_id = NULL;

  stmt = kassa_database_prepare (self->database, "SELECT value FROM settings WHERE key = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, EVENTS_CURSOR_KEY, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_event_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading the Stripe events cursor"));
      return FALSE;
    }

  return TRUE;
}

/**
 * kassa_stripe_state_repository_set_events_cursor:
 * @self: a #KassaStripeStateRepository
 * @event_id: the newest event id processed
 * @error: a location for a #GError
 *
 * Moves the cursor; call it in the transaction that applied the event.
 *
 * Returns: %TRUE on success
 */
gboolean
kassa_stripe_state_repository_set_events_cursor (KassaStripeStateRepository  *self,
                                                 const char                  *event_id,
                                                 GError                     **error)
{
  g_autoptr(KassaStatement) stmt = NULL;

  g_return_val_if_fail (KASSA_IS_STRIPE_STATE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (event_id != NULL && event_id[0] != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database,
                                 "INSERT INTO settings (key, value) VALUES (?1, ?2) "
                                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, EVENTS_CURSOR_KEY, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, event_id, -1, SQLITE_TRANSIENT);

  return run (self, stmt, _("Saving the Stripe events cursor"), error);
}

/**
 * kassa_stripe_state_repository_add_request:
 * @self: a #KassaStripeStateRepository
 * @request: the request about to be sent; @outcome, @attempts, times are
 *   ignored (a new request is pending, never sent)
 * @error: a location for a #GError
 *
 * Stores a request's idempotency key with the local record it serves,
 * before the request leaves, in the transaction that writes that
 * record: after a crash or timeout the retry finds and reuses the key,
 * so Stripe never acts twice. A key used before is refused
 * (KASSA_STORE_ERROR_CONSTRAINT).
 *
 * Returns: %TRUE when stored
 */
gboolean
kassa_stripe_state_repository_add_request (KassaStripeStateRepository  *self,
                                           const KassaStripeRequest    *request,
                                           GError                     **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = kassa_store_now_text ();

  g_return_val_if_fail (KASSA_IS_STRIPE_STATE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (request->idempotency_key != NULL, FALSE);
  g_return_val_if_fail (request->method != NULL && request->path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (request->idempotency_key[0] == '\0' || strlen (request->idempotency_key) > 255)
    {
      g_set_error_literal (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                           _("An idempotency key has 1 to 255 characters"));
      return FALSE;
    }

  stmt = kassa_database_prepare (self->database,
                                 "INSERT INTO stripe_request (idempotency_key, method, path, body, entity_kind, "
                                 "entity_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, request->idempotency_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, request->method, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, request->path, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, request->body ? request->body : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, request->entity_kind ? request->entity_kind : "", -1, SQLITE_TRANSIENT);
  if (request->entity_id > 0)
    sqlite3_bind_int64 (stmt, 6, request->entity_id);
  else
    sqlite3_bind_null (stmt, 6);
  sqlite3_bind_text (stmt, 7, now, -1, SQLITE_STATIC);

  return run (self, stmt, _("Saving a Stripe request"), error);
}

KassaStripeRequest *
kassa_stripe_state_repository_load_request (KassaStripeStateRepository  *self,
                                            const char                  *idempotency_key,
                                            GError                     **error)
{
  g_autoptr(KassaStatement) stmt = NULL;

  g_return_val_if_fail (KASSA_IS_STRIPE_STATE_REPOSITORY (self), NULL);
  g_return_val_if_fail (idempotency_key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT " REQUEST_COLUMNS " FROM stripe_request WHERE idempotency_key = ?1",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, idempotency_key, -1, SQLITE_TRANSIENT);
  return load_request_where (self, stmt, error);
}

/**
 * kassa_stripe_state_repository_find_request:
 * @self: a #KassaStripeStateRepository
 * @entity_kind: the local record's kind
 * @entity_id: its id
 * @method: the request's method
 * @path: the request's path
 * @error: a location for a #GError
 *
 * Finds the newest request made for a local record, so a retry reuses
 * its key instead of making a new one.
 *
 * Returns: (transfer full): the request, or %NULL with @error set
 *   (KASSA_ERROR_NOT_FOUND when there is none)
 */
KassaStripeRequest *
kassa_stripe_state_repository_find_request (KassaStripeStateRepository  *self,
                                            const char                  *entity_kind,
                                            gint64                       entity_id,
                                            const char                  *method,
                                            const char                  *path,
                                            GError                     **error)
{
  g_autoptr(KassaStatement) stmt = NULL;

  g_return_val_if_fail (KASSA_IS_STRIPE_STATE_REPOSITORY (self), NULL);
  g_return_val_if_fail (entity_kind != NULL && method != NULL && path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT " REQUEST_COLUMNS " FROM stripe_request "
                                 "WHERE entity_kind = ?1 AND entity_id = ?2 AND method = ?3 AND path = ?4 "
                                 "ORDER BY created_at DESC LIMIT 1",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, entity_kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, entity_id);
  sqlite3_bind_text (stmt, 3, method, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, path, -1, SQLITE_TRANSIENT);
  return load_request_where (self, stmt, error);
}

/**
 * kassa_stripe_state_repository_note_attempt:
 * @self: a #KassaStripeStateRepository
 * @idempotency_key: the request
 * @last_error: (nullable): why the attempt failed, for logs
 * @error: a location for a #GError
 *
 * Counts one more try of a request.
 *
 * Returns: %TRUE on success
 */
gboolean
kassa_stripe_state_repository_note_attempt (KassaStripeStateRepository  *self,
                                            const char                  *idempotency_key,
                                            const char                  *last_error,
                                            GError                     **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = kassa_store_now_text ();

  g_return_val_if_fail (KASSA_IS_STRIPE_STATE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (idempotency_key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database,
                                 "UPDATE stripe_request SET attempts = attempts + 1, "
                                 "last_error = coalesce (?2, last_error), updated_at = ?3 WHERE idempotency_key = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, idempotency_key, -1, SQLITE_TRANSIENT);
  if (last_error != NULL)
    sqlite3_bind_text (stmt, 2, last_error, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);

  return run (self, stmt, _("Saving a Stripe request"), error) &&
         expect_change (self, _("Stripe request"), error);
}

/**
 * kassa_stripe_state_repository_finish_request:
 * @self: a #KassaStripeStateRepository
 * @idempotency_key: the request
 * @outcome: how it ended (pending again is refused)
 * @object_id: (nullable): the id of what Stripe created or changed
 * @error: a location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
kassa_stripe_state_repository_finish_request (KassaStripeStateRepository  *self,
                                              const char                  *idempotency_key,
                                              KassaStripeOutcome           outcome,
                                              const char                  *object_id,
                                              GError                     **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = kassa_store_now_text ();

  g_return_val_if_fail (KASSA_IS_STRIPE_STATE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (idempotency_key != NULL, FALSE);
  g_return_val_if_fail (outcome > KASSA_STRIPE_OUTCOME_PENDING && outcome <= KASSA_STRIPE_OUTCOME_UNKNOWN, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database,
                                 "UPDATE stripe_request SET outcome = ?2, object_id = coalesce (?3, object_id), "
                                 "updated_at = ?4 WHERE idempotency_key = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, idempotency_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, outcome_texts[outcome], -1, SQLITE_STATIC);
  if (object_id != NULL)
    sqlite3_bind_text (stmt, 3, object_id, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 3);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_STATIC);

  return run (self, stmt, _("Saving a Stripe request"), error) &&
         expect_change (self, _("Stripe request"), error);
}

/**
 * kassa_stripe_state_repository_list_unsettled:
 * @self: a #KassaStripeStateRepository
 * @error: a location for a #GError
 *
 * The requests still pending or of unknown outcome, oldest first: what
 * a start after a crash must retry (same key) or look up.
 *
 * Returns: (transfer full) (element-type KassaStripeRequest): the
 *   requests, or %NULL with @error set
 */
GPtrArray *
kassa_stripe_state_repository_list_unsettled (KassaStripeStateRepository  *self,
                                              GError                     **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_STRIPE_STATE_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT " REQUEST_COLUMNS " FROM stripe_request "
                                 "WHERE outcome IN ('pending', 'unknown') ORDER BY created_at, idempotency_key",
                                 error);
  if (stmt == NULL)
    return NULL;

  requests = g_ptr_array_new_with_free_func ((GDestroyNotify) kassa_stripe_request_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KassaStripeRequest *request = request_from_row (stmt, error);

      if (request == NULL)
        return NULL;
      g_ptr_array_add (requests, request);
    }

  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading Stripe requests"));
      return NULL;
    }

  return g_steal_pointer (&requests);
}

/**
 * kassa_stripe_state_repository_enqueue:
 * @self: a #KassaStripeStateRepository
 * @idempotency_key: a request stored with
 *   kassa_stripe_state_repository_add_request()
 * @due_at: (nullable): when to send it first; %NULL for now
 * @error: a location for a #GError
 *
 * Queues a request that must reach Stripe even while offline.
 *
 * Returns: the entry's id, or 0 with @error set
 */
gint64
kassa_stripe_state_repository_enqueue (KassaStripeStateRepository  *self,
                                       const char                  *idempotency_key,
                                       GDateTime                   *due_at,
                                       GError                     **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = kassa_store_now_text ();
  g_autofree char *due = NULL;

  g_return_val_if_fail (KASSA_IS_STRIPE_STATE_REPOSITORY (self), 0);
  g_return_val_if_fail (idempotency_key != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  due = due_at != NULL ? kassa_store_time_to_text (due_at) : g_strdup (now);

  stmt = kassa_database_prepare (self->database,
                                 "INSERT INTO stripe_outbox (idempotency_key, next_attempt_at, created_at) "
                                 "VALUES (?1, ?2, ?3)",
                                 error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, idempotency_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, due, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  if (!run (self, stmt, _("Queueing a Stripe request"), error))
    return 0;

  return sqlite3_last_insert_rowid (kassa_database_get_handle (self->database));
}

/**
 * kassa_stripe_state_repository_next_due:
 * @self: a #KassaStripeStateRepository
 * @now: (nullable): the time to compare with; %NULL for now
 * @limit: at most this many entries
 * @error: a location for a #GError
 *
 * Returns: (transfer full) (element-type KassaStripeOutboxEntry): the
 *   queued entries due at @now, earliest due first (then in the order
 *   they were queued), or %NULL with @error set
 */
GPtrArray *
kassa_stripe_state_repository_next_due (KassaStripeStateRepository  *self,
                                        GDateTime                   *now,
                                        guint                        limit,
                                        GError                     **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *now_text = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_STRIPE_STATE_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  now_text = now != NULL ? kassa_store_time_to_text (now) : kassa_store_now_text ();

  stmt = kassa_database_prepare (self->database,
                                 "SELECT id, idempotency_key, next_attempt_at, created_at FROM stripe_outbox "
                                 "WHERE status = 'queued' AND next_attempt_at <= ?1 "
                                 "ORDER BY next_attempt_at, id LIMIT ?2",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, now_text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) kassa_stripe_outbox_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(KassaStripeOutboxEntry) entry = g_new0 (KassaStripeOutboxEntry, 1);

      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->idempotency_key = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      if ((entry->next_attempt_at = kassa_store_time_from_text ((const char *) sqlite3_column_text (stmt, 2), error)) == NULL ||
          (entry->created_at = kassa_store_time_from_text ((const char *) sqlite3_column_text (stmt, 3), error)) == NULL)
        return NULL;

      g_ptr_array_add (entries, g_steal_pointer (&entry));
    }

  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading the Stripe outbox"));
      return NULL;
    }

  return g_steal_pointer (&entries);
}

/**
 * kassa_stripe_state_repository_mark_done:
 * @self: a #KassaStripeStateRepository
 * @entry_id: an outbox entry
 * @error: a location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
kassa_stripe_state_repository_mark_done (KassaStripeStateRepository  *self,
                                         gint64                       entry_id,
                                         GError                     **error)
{
  g_autoptr(KassaStatement) stmt = NULL;

  g_return_val_if_fail (KASSA_IS_STRIPE_STATE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database,
                                 "UPDATE stripe_outbox SET status = 'done' WHERE id = ?1 AND status = 'queued'",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, entry_id);
  return run (self, stmt, _("Saving the Stripe outbox"), error) &&
         expect_change (self, _("queued Stripe request"), error);
}

/**
 * kassa_stripe_state_repository_mark_failed:
 * @self: a #KassaStripeStateRepository
 * @entry_id: an outbox entry
 * @retry_at: (nullable): when to try again (the caller's backoff); %NULL
 *   gives up on the entry for good
 * @last_error: (nullable): why it failed, kept on its request
 * @error: a location for a #GError
 *
 * Counts a failed try on the entry's request and either pushes the
 * entry back to @retry_at or marks it failed.
 *
 * Returns: %TRUE on success
 */
gboolean
kassa_stripe_state_repository_mark_failed (KassaStripeStateRepository  *self,
                                           gint64                       entry_id,
                                           GDateTime                   *retry_at,
                                           const char                  *last_error,
                                           GError                     **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(KassaStatement) attempt = NULL;
  g_autofree char *now = kassa_store_now_text ();

  g_return_val_if_fail (KASSA_IS_STRIPE_STATE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_database_begin (self->database, error))
    return FALSE;

  stmt = kassa_database_prepare (self->database,
                                 "UPDATE stripe_outbox SET status = ?2, next_attempt_at = coalesce (?3, next_attempt_at) "
                                 "WHERE id = ?1 AND status = 'queued'",
                                 error);
  if (stmt == NULL)
    goto fail;

  sqlite3_bind_int64 (stmt, 1, entry_id);
  sqlite3_bind_text (stmt, 2, retry_at != NULL ? "queued" : "failed", -1, SQLITE_STATIC);
  if (retry_at != NULL)
    sqlite3_bind_text (stmt, 3, kassa_store_time_to_text (retry_at), -1, g_free);
  else
    sqlite3_bind_null (stmt, 3);
  if (!run (self, stmt, _("Saving the Stripe outbox"), error) ||
      !expect_change (self, _("queued Stripe request"), error))
    goto fail;

  attempt = kassa_database_prepare (self->database,
                                    "UPDATE stripe_request SET attempts = attempts + 1, "
                                    "last_error = coalesce (?2, last_error), updated_at = ?3 "
                                    "WHERE idempotency_key = (SELECT idempotency_key FROM stripe_outbox WHERE id = ?1)",
                                    error);
  if (attempt == NULL)
    goto fail;

  sqlite3_bind_int64 (attempt, 1, entry_id);
  if (last_error != NULL)
    sqlite3_bind_text (attempt, 2, last_error, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (attempt, 2);
  sqlite3_bind_text (attempt, 3, now, -1, SQLITE_STATIC);
  if (!run (self, attempt, _("Saving a Stripe request"), error))
    goto fail;

  return kassa_database_commit (self->database, error);

fail:
  return kassa_database_abort (self->database);
}
