/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-dispute-repository"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kassa-core-enum-types.h"
#include "kassa-dispute-repository.h"
#include "kassa-error.h"
#include "kassa-order-repository.h"
#include "kassa-store-error.h"
#include "kassa-store-private.h"
#include "kassa-store-text.h"
#include "kassa-transitions.h"

struct _KassaDisputeRepository
{
  GObject               parent_instance;

  KassaDatabase        *database;
  KassaOrderRepository *orders;
};

G_DEFINE_FINAL_TYPE (KassaDisputeRepository, kassa_dispute_repository, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (KassaDispute, kassa_dispute, kassa_dispute_copy, kassa_dispute_free)

enum {
  PROP_0,
  PROP_DATABASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define DISPUTE_COLUMNS \
  "id, order_id, payment_id, stripe_dispute_id, stripe_charge_id, status, reason, amount, currency, " \
  "evidence_due_by, created_at, updated_at"

static const char *
empty_to_null (const char *text)
{
  return text != NULL && text[0] != '\0' ? text : NULL;
}

static KassaDispute *
dispute_from_row (sqlite3_stmt  *stmt,
                  GError       **error)
{
  g_autoptr(KassaDispute) dispute = kassa_dispute_new ();
  const char *due = (const char *) sqlite3_column_text (stmt, 9);
  int status;

  if (!kassa_store_enum_from_text (KASSA_TYPE_DISPUTE_STATUS, (const char *) sqlite3_column_text (stmt, 5),
                                   &status, error))
    return NULL;

  dispute->id = sqlite3_column_int64 (stmt, 0);
  dispute->order_id = sqlite3_column_int64 (stmt, 1);
  dispute->payment_id = sqlite3_column_int64 (stmt, 2);
  dispute->stripe_dispute_id = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  dispute->stripe_charge_id = g_strdup (empty_to_null ((const char *) sqlite3_column_text (stmt, 4)));
  dispute->status = status;
  dispute->reason = g_strdup (empty_to_null ((const char *) sqlite3_column_text (stmt, 6)));
  dispute->amount = sqlite3_column_int64 (stmt, 7);
  dispute->currency_code = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
  if (due != NULL && (dispute->evidence_due_by = kassa_store_time_from_text (due, error)) == NULL)
    return NULL;
  if ((dispute->created_at = kassa_store_time_from_text ((const char *) sqlite3_column_text (stmt, 10), error)) == NULL ||
      (dispute->updated_at = kassa_store_time_from_text ((const char *) sqlite3_column_text (stmt, 11), error)) == NULL)
    return NULL;

  return g_steal_pointer (&dispute);
}

static void
kassa_dispute_repository_constructed (GObject *object)
{
  KassaDisputeRepository *self = KASSA_DISPUTE_REPOSITORY (object);

  G_OBJECT_CLASS (kassa_dispute_repository_parent_class)->constructed (object);

  self->orders = kassa_order_repository_new (self->database);
}

static void
kassa_dispute_repository_dispose (GObject *object)
{
  KassaDisputeRepository *self = KASSA_DISPUTE_REPOSITORY (object);

  g_clear_object (&self->orders);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (kassa_dispute_repository_parent_class)->dispose (object);
}

static void
kassa_dispute_repository_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  KassaDisputeRepository *self = KASSA_DISPUTE_REPOSITORY (object);

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
kassa_dispute_repository_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  KassaDisputeRepository *self = KASSA_DISPUTE_REPOSITORY (object);

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
kassa_dispute_repository_class_init (KassaDisputeRepositoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = kassa_dispute_repository_constructed;
  object_class->dispose = kassa_dispute_repository_dispose;
  object_class->get_property = kassa_dispute_repository_get_property;
  object_class->set_property = kassa_dispute_repository_set_property;

  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL,
                         KASSA_TYPE_DATABASE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_dispute_repository_init (KassaDisputeRepository *self)
{
}

KassaDispute *
kassa_dispute_new (void)
{
  return g_new0 (KassaDispute, 1);
}

KassaDispute *
kassa_dispute_copy (const KassaDispute *dispute)
{
  KassaDispute *copy;

  g_return_val_if_fail (dispute != NULL, NULL);

  copy = g_memdup2 (dispute, sizeof *dispute);
  copy->stripe_dispute_id = g_strdup (dispute->stripe_dispute_id);
  copy->stripe_charge_id = g_strdup (dispute->stripe_charge_id);
  copy->reason = g_strdup (dispute->reason);
  copy->currency_code = g_strdup (dispute->currency_code);
  copy->evidence_due_by = dispute->evidence_due_by ? g_date_time_ref (dispute->evidence_due_by) : NULL;
  copy->created_at = dispute->created_at ? g_date_time_ref (dispute->created_at) : NULL;
  copy->updated_at = dispute->updated_at ? g_date_time_ref (dispute->updated_at) : NULL;

  return copy;
}

void
kassa_dispute_free (KassaDispute *dispute)
{
  if (dispute == NULL)
    return;

  g_free (dispute->stripe_dispute_id);
  g_free (dispute->stripe_charge_id);
  g_free (dispute->reason);
  g_free (dispute->currency_code);
  g_clear_pointer (&dispute->evidence_due_by, g_date_time_unref);
  g_clear_pointer (&dispute->created_at, g_date_time_unref);
  g_clear_pointer (&dispute->updated_at, g_date_time_unref);
  g_free (dispute);
}

KassaDisputeRepository *
kassa_dispute_repository_new (KassaDatabase *database)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (database), NULL);

  return g_object_new (KASSA_TYPE_DISPUTE_REPOSITORY,
                       "database", database,
                       NULL);
}

/**
 * kassa_dispute_repository_record:
 * @self: a #KassaDisputeRepository
 * @dispute: the dispute as Stripe reports it; the store fills in its id
 *   and times
 * @out_changed: (out) (optional): whether anything was written
 * @error: a location for a #GError
 *
 * Records a dispute the first time Stripe reports it and updates it on
 * later reports, with the order's dispute status in the same
 * transaction. Status changes go through the core's dispute machine, so
 * a late, older event can never move a dispute (or its order) backwards:
 * it fails with KASSA_ERROR_ILLEGAL_TRANSITION and writes nothing. A
 * report that repeats the stored state changes nothing.
 *
 * Returns: the dispute's id, or 0 with @error set
 */
gint64
kassa_dispute_repository_record (KassaDisputeRepository  *self,
                                 KassaDispute            *dispute,
                                 gboolean                *out_changed,
                                 GError                 **error)
{
  g_autoptr(KassaDispute) stored = NULL;
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *now = NULL;
  g_autofree char *due = NULL;
  sqlite3 *db;
  gboolean changed;

  g_return_val_if_fail (KASSA_IS_DISPUTE_REPOSITORY (self), 0);
  g_return_val_if_fail (dispute != NULL, 0);
  g_return_val_if_fail (dispute->stripe_dispute_id != NULL && dispute->stripe_dispute_id[0] != '\0', 0);
  g_return_val_if_fail (dispute->currency_code != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (out_changed != NULL)
    *out_changed = FALSE;

  if (dispute->status == KASSA_DISPUTE_STATUS_NONE)
    {
      g_set_error_literal (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                           _("A dispute needs a status"));
      return 0;
    }

  if (!kassa_database_begin (self->database, error))
    return 0;

  db = kassa_database_get_handle (self->database);

  stored = kassa_dispute_repository_load_by_stripe_id (self, dispute->stripe_dispute_id, &local_error);
  if (stored == NULL && !g_error_matches (local_error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return kassa_database_abort (self->database);
    }

  if (stored != NULL)
    {
      /* Stripe's report names the order it found first; keep ours. */
      if (dispute->order_id == 0)
        dispute->order_id = stored->order_id;
      if (dispute->payment_id == 0)
        dispute->payment_id = stored->payment_id;

      if (stored->status != dispute->status &&
          !kassa_dispute_status_check_transition (stored->status, dispute->status, error))
        return kassa_database_abort (self->database);
    }

  changed = stored == NULL ||
            stored->status != dispute->status ||
            stored->amount != dispute->amount ||
            stored->order_id != dispute->order_id ||
            g_strcmp0 (stored->reason, empty_to_null (dispute->reason)) != 0 ||
            (stored->evidence_due_by == NULL) != (dispute->evidence_due_by == NULL) ||
            (stored->evidence_due_by != NULL &&
             !g_date_time_equal (stored->evidence_due_by, dispute->evidence_due_by));

  if (!changed)
    {
      dispute->id = stored->id;
      if (!kassa_database_commit (self->database, error))
        return 0;
      return dispute->id;
    }

  /* The order follows the dispute, through the order's own rules (only
   * a paid order can be disputed). */
  if (dispute->order_id != 0 &&
      (stored == NULL || stored->status != dispute->status || stored->order_id != dispute->order_id))
    {
      g_autoptr(KassaOrder) order = kassa_order_repository_load (self->orders, dispute->order_id, error);

      if (order == NULL)
        return kassa_database_abort (self->database);

      if (kassa_order_get_dispute_status (order) != dispute->status &&
          !kassa_order_repository_set_dispute_status (self->orders, dispute->order_id, dispute->status, error))
        return kassa_database_abort (self->database);
    }

  now = kassa_store_now_text ();
  if (dispute->evidence_due_by != NULL)
    due = kassa_store_time_to_text (dispute->evidence_due_by);

  stmt = kassa_database_prepare (self->database,
                                 "INSERT INTO dispute (order_id, payment_id, stripe_dispute_id, stripe_charge_id, status, "
                                 "reason, amount, currency, evidence_due_by, created_at, updated_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10) "
                                 "ON CONFLICT (stripe_dispute_id) DO UPDATE SET order_id = excluded.order_id, "
                                 "payment_id = excluded.payment_id, stripe_charge_id = excluded.stripe_charge_id, "
                                 "status = excluded.status, reason = excluded.reason, amount = excluded.amount, "
                                 "currency = excluded.currency, evidence_due_by = excluded.evidence_due_by, "
                                 "updated_at = excluded.updated_at "
                                 "RETURNING id",
                                 error);
  if (stmt == NULL)
    return kassa_database_abort (self->database);

  if (dispute->order_id > 0)
    sqlite3_bind_int64 (stmt, 1, dispute->order_id);
  else
    sqlite3_bind_null (stmt, 1);
  if (dispute->payment_id > 0)
    sqlite3_bind_int64 (stmt, 2, dispute->payment_id);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_text (stmt, 3, dispute->stripe_dispute_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, dispute->stripe_charge_id ? dispute->stripe_charge_id : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, kassa_store_enum_to_text (KASSA_TYPE_DISPUTE_STATUS, dispute->status), -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, dispute->reason ? dispute->reason : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, dispute->amount);
  sqlite3_bind_text (stmt, 8, dispute->currency_code, -1, SQLITE_TRANSIENT);
  if (due != NULL)
    sqlite3_bind_text (stmt, 9, due, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 9);
  sqlite3_bind_text (stmt, 10, now, -1, SQLITE_STATIC);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      kassa_store_set_error_from_sqlite (error, db, sqlite3_extended_errcode (db), _("Saving a dispute"));
      return kassa_database_abort (self->database);
    }

  dispute->id = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, kassa_statement_release);

  if (!kassa_database_commit (self->database, error))
    {
      if (stored == NULL)
        dispute->id = 0;
      return 0;
    }

  if (out_changed != NULL)
    *out_changed = TRUE;

  return dispute->id;
}

/**
 * kassa_dispute_repository_load_by_stripe_id:
 * @self: a #KassaDisputeRepository
 * @stripe_dispute_id: Stripe's `dp_…` id
 * @error: a location for a #GError
 *
 * Returns: (transfer full): the dispute, or %NULL with @error set
 *   (KASSA_ERROR_NOT_FOUND when there is none)
 */
KassaDispute *
kassa_dispute_repository_load_by_stripe_id (KassaDisputeRepository  *self,
                                            const char              *stripe_dispute_id,
                                            GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_DISPUTE_REPOSITORY (self), NULL);
  g_return_val_if_fail (stripe_dispute_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT " DISPUTE_COLUMNS " FROM dispute WHERE stripe_dispute_id = ?1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, stripe_dispute_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                   _("There is no dispute “%s”"), stripe_dispute_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading a dispute"));
      return NULL;
    }

  return dispute_from_row (stmt, error);
}

/**
 * kassa_dispute_repository_list_by_order:
 * @self: a #KassaDisputeRepository
 * @order_id: the order
 * @error: a location for a #GError
 *
 * Returns: (transfer full) (element-type KassaDispute): the order's
 *   disputes, oldest first, or %NULL with @error set
 */
GPtrArray *
kassa_dispute_repository_list_by_order (KassaDisputeRepository  *self,
                                        gint64                   order_id,
                                        GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GPtrArray) disputes = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_DISPUTE_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT " DISPUTE_COLUMNS " FROM dispute WHERE order_id = ?1 ORDER BY id", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, order_id);
  disputes = g_ptr_array_new_with_free_func ((GDestroyNotify) kassa_dispute_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KassaDispute *dispute = dispute_from_row (stmt, error);

      if (dispute == NULL)
        return NULL;
      g_ptr_array_add (disputes, dispute);
    }

  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading disputes"));
      return NULL;
    }

  return g_steal_pointer (&disputes);
}
