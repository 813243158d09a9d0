/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-subscription-repository"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "kassa-core-enum-types.h"
#include "kassa-error.h"
#include "kassa-store-error.h"
#include "kassa-store-private.h"
#include "kassa-store-sql.h"
#include "kassa-store-text.h"
#include "kassa-subscription-repository.h"
#include "kassa-transitions.h"

struct _KassaSubscriptionRepository
{
  GObject        parent_instance;

  KassaDatabase *database;
};

G_DEFINE_FINAL_TYPE (KassaSubscriptionRepository, kassa_subscription_repository, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATABASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define SUBSCRIPTION_COLUMNS \
  "id, stripe_subscription_id, stripe_customer_id, customer_id, item_id, order_id, status, " \
  "current_period_end, cancel_at_period_end, cycles_billed, cycle_limit"

static const char *
status_text (KassaSubscriptionStatus status)
{
  return kassa_store_enum_to_text (KASSA_TYPE_SUBSCRIPTION_STATUS, status);
}

static gboolean
sqlite_failed (KassaSubscriptionRepository  *self,
               int                           rc,
               const char                   *what,
               GError                      **error)
{
  kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc, what);
  return FALSE;
}

static gboolean
not_found (GError **error,
           gint64   id)
{
  g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
               _("There is no subscription %" PRId64), id);
  return FALSE;
}

static void
bind_fields (sqlite3_stmt      *stmt,
             KassaSubscription *subscription)
{
  const char *stripe_id = kassa_subscription_get_stripe_subscription_id (subscription);

  /* Subscriptions sold without Stripe have no id there; NULL keeps the
   * UNIQUE column free for them all. */
  if (stripe_id != NULL && stripe_id[0] != '\0')
    sqlite3_bind_text (stmt, 1, stripe_id, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_text (stmt, 2, kassa_subscription_get_stripe_customer_id (subscription) ?: "", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, kassa_subscription_get_customer_id (subscription));
  kassa_sql_bind_id_or_null (stmt, 4, kassa_subscription_get_item_id (subscription));
  kassa_sql_bind_id_or_null (stmt, 5, kassa_subscription_get_order_id (subscription));
  sqlite3_bind_text (stmt, 6, status_text (kassa_subscription_get_status (subscription)), -1, SQLITE_STATIC);
  kassa_sql_bind_time_or_null (stmt, 7, kassa_subscription_get_current_period_end (subscription));
  sqlite3_bind_int (stmt, 8, kassa_subscription_get_cancel_at_period_end (subscription) ? 1 : 0);
  sqlite3_bind_int64 (stmt, 9, kassa_subscription_get_cycles_billed (subscription));
  sqlite3_bind_int64 (stmt, 10, kassa_subscription_get_cycle_limit (subscription));
  sqlite3_bind_text (stmt, 11, kassa_store_now_text (), -1, g_free);
}

/* Inside the caller's transaction: the stored row may only have moved
 * forward to what @subscription now says. */
static gboolean
check_against_stored (KassaSubscriptionRepository  *self,
                      KassaSubscription            *subscription,
                      GError                      **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  gint64 id = kassa_subscription_get_id (subscription);
  int stored_status;
  int rc;

  stmt = kassa_database_prepare (self->database,
                                 "SELECT status, cycles_billed FROM subscription WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return not_found (error, id);
  if (rc != SQLITE_ROW)
    return sqlite_failed (self, rc, _("Reading the subscription"), error);

  if (!kassa_store_enum_from_text (KASSA_TYPE_SUBSCRIPTION_STATUS, (const char *) sqlite3_column_text (stmt, 0),
                                   &stored_status, error))
    return FALSE;

  if (stored_status != (int) kassa_subscription_get_status (subscription) &&
      !kassa_subscription_status_check_transition (stored_status, kassa_subscription_get_status (subscription),
                                                   error))
    return FALSE;

  if (sqlite3_column_int64 (stmt, 1) > kassa_subscription_get_cycles_billed (subscription))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("Subscription %" PRId64 " has already billed %" PRId64 " cycles"),
                   id, (gint64) sqlite3_column_int64 (stmt, 1));
      return FALSE;
    }

  return TRUE;
}

static KassaSubscription *
subscription_from_row (sqlite3_stmt  *stmt,
                       GError       **error)
{
  g_autoptr(GDateTime) period_end = NULL;
  const char *period_end_text = (const char *) sqlite3_column_text (stmt, 7);
  int status;

  if (!kassa_store_enum_from_text (KASSA_TYPE_SUBSCRIPTION_STATUS, (const char *) sqlite3_column_text (stmt, 6),
                                   &status, error))
    return NULL;

  if (period_end_text != NULL)
    {
      period_end = kassa_store_time_from_text (period_end_text, error);
      if (period_end == NULL)
        return NULL;
    }

  /* "status" given at construction is taken as loaded, not transitioned. */
  return g_object_new (KASSA_TYPE_SUBSCRIPTION,
                       "id", (gint64) sqlite3_column_int64 (stmt, 0),
                       "stripe-subscription-id", (const char *) sqlite3_column_text (stmt, 1),
                       "stripe-customer-id", (const char *) sqlite3_column_text (stmt, 2),
                       "customer-id", (gint64) sqlite3_column_int64 (stmt, 3),
                       "item-id", (gint64) sqlite3_column_int64 (stmt, 4),
                       "order-id", (gint64) sqlite3_column_int64 (stmt, 5),
                       "status", status,
                       "current-period-end", period_end,
                       "cancel-at-period-end", sqlite3_column_int (stmt, 8) != 0,
                       "cycles-billed", (guint) sqlite3_column_int64 (stmt, 9),
                       "cycle-limit", (guint) sqlite3_column_int64 (stmt, 10),
                       NULL);
}

static KassaSubscription *
load_where (KassaSubscriptionRepository  *self,
            const char                   *sql,
            const char                   *key_text,
            gint64                        key_id,
            GError                      **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  stmt = kassa_database_prepare (self->database, sql, error);
  if (stmt == NULL)
    return NULL;

  if (key_text != NULL)
    sqlite3_bind_text (stmt, 1, key_text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, key_id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return subscription_from_row (stmt, error);

  if (rc != SQLITE_DONE)
    {
      sqlite_failed (self, rc, _("Reading the subscription"), error);
      return NULL;
    }

  if (key_text != NULL)
    g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND, _("There is no subscription “%s”"), key_text);
  else
    not_found (error, key_id);

  return NULL;
}

static void
kassa_subscription_repository_dispose (GObject *object)
{
  KassaSubscriptionRepository *self = (KassaSubscriptionRepository *) object;

  g_clear_object (&self->database);

  G_OBJECT_CLASS (kassa_subscription_repository_parent_class)->dispose (object);
}

static void
kassa_subscription_repository_get_property (GObject    *object,
                                            guint       prop_id,
                                            GValue     *value,
                                            GParamSpec *pspec)
{
  KassaSubscriptionRepository *self = KASSA_SUBSCRIPTION_REPOSITORY (object);

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
kassa_subscription_repository_set_property (GObject      *object,
                                            guint         prop_id,
                                            const GValue *value,
                                            GParamSpec   *pspec)
{
  KassaSubscriptionRepository *self = KASSA_SUBSCRIPTION_REPOSITORY (object);

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
kassa_subscription_repository_class_init (KassaSubscriptionRepositoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kassa_subscription_repository_dispose;
  object_class->get_property = kassa_subscription_repository_get_property;
  object_class->set_property = kassa_subscription_repository_set_property;

  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL,
                         KASSA_TYPE_DATABASE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_subscription_repository_init (KassaSubscriptionRepository *self)
{
}

KassaSubscriptionRepository *
kassa_subscription_repository_new (KassaDatabase *database)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (database), NULL);

  return g_object_new (KASSA_TYPE_SUBSCRIPTION_REPOSITORY,
                       "database", database,
                       NULL);
}

KassaDatabase *
kassa_subscription_repository_get_database (KassaSubscriptionRepository *self)
{
  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION_REPOSITORY (self), NULL);

  return self->database;
}

gboolean
kassa_subscription_repository_save (KassaSubscriptionRepository  *self,
                                    KassaSubscription            *subscription,
                                    GError                      **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  gint64 id;
  int rc;

  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION_REPOSITORY (self), FALSE);
  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION (subscription), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (kassa_subscription_get_customer_id (subscription) <= 0)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("A subscription needs a customer"));
      return FALSE;
    }

  id = kassa_subscription_get_id (subscription);

  if (!kassa_database_begin (self->database, error))
    return FALSE;

  if (id > 0 && !check_against_stored (self, subscription, error))
    return kassa_database_abort (self->database);

  if (id == 0)
    stmt = kassa_database_prepare (self->database,
                                   "INSERT INTO subscription (stripe_subscription_id, stripe_customer_id, "
                                   "customer_id, item_id, order_id, status, current_period_end, "
                                   "cancel_at_period_end, cycles_billed, cycle_limit, created_at, updated_at) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
                                   error);
  else
    stmt = kassa_database_prepare (self->database,
                                   "UPDATE subscription SET stripe_subscription_id = ?1, stripe_customer_id = ?2, "
                                   "customer_id = ?3, item_id = ?4, order_id = ?5, status = ?6, "
                                   "current_period_end = ?7, cancel_at_period_end = ?8, cycles_billed = ?9, "
                                   "cycle_limit = ?10, updated_at = ?11 WHERE id = ?12",
                                   error);
  if (stmt == NULL)
    return kassa_database_abort (self->database);

  bind_fields (stmt, subscription);
  if (id > 0)
    sqlite3_bind_int64 (stmt, 12, id);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      sqlite_failed (self, rc, _("Saving the subscription"), error);
      return kassa_database_abort (self->database);
    }

  if (id == 0)
    id = sqlite3_last_insert_rowid (kassa_database_get_handle (self->database));

  kassa_statement_release (g_steal_pointer (&stmt));

  if (!kassa_database_commit (self->database, error))
    return FALSE;

  kassa_subscription_set_id (subscription, id);
  return TRUE;
}

KassaSubscription *
kassa_subscription_repository_load (KassaSubscriptionRepository  *self,
                                    gint64                        id,
                                    GError                      **error)
{
  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_where (self, "SELECT " SUBSCRIPTION_COLUMNS " FROM subscription WHERE id = ?1", NULL, id, error);
}

KassaSubscription *
kassa_subscription_repository_load_by_stripe_id (KassaSubscriptionRepository  *self,
                                                 const char                   *stripe_subscription_id,
                                                 GError                      **error)
{
  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION_REPOSITORY (self), NULL);
  g_return_val_if_fail (stripe_subscription_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_where (self, "SELECT " SUBSCRIPTION_COLUMNS " FROM subscription WHERE stripe_subscription_id = ?1",
                     stripe_subscription_id, 0, error);
}

GPtrArray *
kassa_subscription_repository_list (KassaSubscriptionRepository    *self,
                                    const KassaSubscriptionFilter  *filter,
                                    guint                           offset,
                                    guint                           limit,
                                    GError                        **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GPtrArray) subscriptions = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT " SUBSCRIPTION_COLUMNS " FROM subscription "
                                 "WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR customer_id = ?2) "
                                 "AND (?3 IS NULL OR current_period_end < ?3) "
                                 "ORDER BY current_period_end IS NULL, current_period_end, id "
                                 "LIMIT ?4 OFFSET ?5",
                                 error);
  if (stmt == NULL)
    return NULL;

  if (filter != NULL && filter->status >= 0)
    sqlite3_bind_text (stmt, 1, status_text (filter->status), -1, SQLITE_STATIC);
  if (filter != NULL && filter->customer_id > 0)
    sqlite3_bind_int64 (stmt, 2, filter->customer_id);
  if (filter != NULL && filter->billing_before != NULL)
    kassa_sql_bind_time_or_null (stmt, 3, filter->billing_before);
  sqlite3_bind_int64 (stmt, 4, limit > 0 ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, 5, offset);

  subscriptions = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KassaSubscription *subscription = subscription_from_row (stmt, error);

      if (subscription == NULL)
        return NULL;

      g_ptr_array_add (subscriptions, subscription);
    }

  if (rc != SQLITE_DONE)
    {
      sqlite_failed (self, rc, _("Listing subscriptions"), error);
      return NULL;
    }

  return g_steal_pointer (&subscriptions);
}

gboolean
kassa_subscription_repository_update_status (KassaSubscriptionRepository  *self,
                                             KassaSubscription            *subscription,
                                             KassaSubscriptionStatus       status,
                                             GError                      **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  KassaSubscriptionStatus current;
  int rc;

  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION_REPOSITORY (self), FALSE);
  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION (subscription), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  current = kassa_subscription_get_status (subscription);
  if (current == status)
    return TRUE;

  if (!kassa_subscription_status_check_transition (current, status, error))
    return FALSE;

  stmt = kassa_database_prepare (self->database,
                                 "UPDATE subscription SET status = ?3, updated_at = ?4 "
                                 "WHERE id = ?1 AND status = ?2",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, kassa_subscription_get_id (subscription));
  sqlite3_bind_text (stmt, 2, status_text (current), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, status_text (status), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, kassa_store_now_text (), -1, g_free);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return sqlite_failed (self, rc, _("Saving the subscription"), error);

  /* A webhook or another window moved it since it was loaded. */
  if (sqlite3_changes (kassa_database_get_handle (self->database)) == 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION,
                   _("Subscription %" PRId64 " has changed since it was loaded"),
                   kassa_subscription_get_id (subscription));
      return FALSE;
    }

  if (!kassa_subscription_set_status (subscription, status, error))
    g_return_val_if_reached (FALSE);

  return TRUE;
}

gboolean
kassa_subscription_repository_record_renewal (KassaSubscriptionRepository  *self,
                                              KassaSubscription            *subscription,
                                              GDateTime                    *next_period_end,
                                              GError                      **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GDateTime) old_period_end = NULL;
  guint old_cycles;
  int rc;

  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION_REPOSITORY (self), FALSE);
  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION (subscription), FALSE);
  g_return_val_if_fail (next_period_end != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  old_cycles = kassa_subscription_get_cycles_billed (subscription);
  if (kassa_subscription_get_current_period_end (subscription) != NULL)
    old_period_end = g_date_time_ref (kassa_subscription_get_current_period_end (subscription));

  /* The domain decides; on refusal it changed nothing. */
  if (!kassa_subscription_record_renewal (subscription, next_period_end, error))
    return FALSE;

  stmt = kassa_database_prepare (self->database,
                                 "UPDATE subscription SET cycles_billed = ?3, current_period_end = ?4, "
                                 "updated_at = ?5 WHERE id = ?1 AND cycles_billed = ?2 AND status = ?6",
                                 error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, kassa_subscription_get_id (subscription));
      sqlite3_bind_int64 (stmt, 2, old_cycles);
      sqlite3_bind_int64 (stmt, 3, kassa_subscription_get_cycles_billed (subscription));
      kassa_sql_bind_time_or_null (stmt, 4, next_period_end);
      sqlite3_bind_text (stmt, 5, kassa_store_now_text (), -1, g_free);
      sqlite3_bind_text (stmt, 6, status_text (kassa_subscription_get_status (subscription)), -1, SQLITE_STATIC);

      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        sqlite_failed (self, rc, _("Saving the subscription"), error);
      else if (sqlite3_changes (kassa_database_get_handle (self->database)) == 0)
        g_set_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION,
                     _("Subscription %" PRId64 " has changed since it was loaded"),
                     kassa_subscription_get_id (subscription));
      else
        return TRUE;
    }

  /* Not stored: the object goes back to what the database holds. */
  kassa_subscription_set_cycles_billed (subscription, old_cycles);
  kassa_subscription_set_current_period_end (subscription, old_period_end);
  return FALSE;
}
