/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-refund-repository"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "kassa-core-enum-types.h"
#include "kassa-error.h"
#include "kassa-refund-repository.h"
#include "kassa-store-error.h"
#include "kassa-store-private.h"
#include "kassa-store-sql.h"
#include "kassa-store-text.h"

struct _KassaRefundRepository
{
  GObject               parent_instance;

  KassaDatabase        *database;
  KassaOrderRepository *orders;
};

G_DEFINE_FINAL_TYPE (KassaRefundRepository, kassa_refund_repository, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (KassaRefund, kassa_refund, kassa_refund_copy, kassa_refund_free)

enum {
  PROP_0,
  PROP_DATABASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* As the schema's CHECKs spell them. */
static const char * const reason_texts[] = {
  [KASSA_REFUND_REASON_REQUESTED_BY_CUSTOMER] = "requested-by-customer",
  [KASSA_REFUND_REASON_DUPLICATE] = "duplicate",
  [KASSA_REFUND_REASON_FRAUDULENT] = "fraudulent",
  [KASSA_REFUND_REASON_OTHER] = "other",
};

static const char * const status_texts[] = {
  [KASSA_REFUND_STATUS_PENDING] = "pending",
  [KASSA_REFUND_STATUS_SUCCEEDED] = "succeeded",
  [KASSA_REFUND_STATUS_FAILED] = "failed",
  [KASSA_REFUND_STATUS_UNKNOWN] = "unknown",
};

#define REFUND_COLUMNS \
  "id, order_id, payment_id, amount, currency, reason, note, status, stripe_refund_id, " \
  "idempotency_key, requested_by, approved_by, created_at, updated_at"

static int
text_index (const char * const *texts,
            guint               n_texts,
            const char         *text)
{
  for (guint i = 0; i < n_texts; i++)
    if (g_strcmp0 (texts[i], text) == 0)
      return i;

  return -1;
}

static gboolean
read_lines (KassaRefundRepository  *self,
            KassaRefund            *refund,
            GError                **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  stmt = kassa_database_prepare (self->database,
                                 "SELECT l.position, r.quantity, r.amount FROM refund_line r "
                                 "JOIN order_line l ON l.id = r.order_line_id "
                                 "WHERE r.refund_id = ?1 ORDER BY l.position",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, refund->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    kassa_refund_add_line (refund, sqlite3_column_int (stmt, 0),
                           sqlite3_column_int64 (stmt, 1), sqlite3_column_int64 (stmt, 2));

  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading refund lines"));
      return FALSE;
    }

  return TRUE;
}

static KassaRefund *
refund_from_row (sqlite3_stmt  *stmt,
                 GError       **error)
{
  g_autoptr(KassaRefund) refund = kassa_refund_new ();
  const char *note = (const char *) sqlite3_column_text (stmt, 6);
  int reason = text_index (reason_texts, G_N_ELEMENTS (reason_texts),
                           (const char *) sqlite3_column_text (stmt, 5));
  int status = text_index (status_texts, G_N_ELEMENTS (status_texts),
                           (const char *) sqlite3_column_text (stmt, 7));

  if (reason < 0 || status < 0)
    {
      g_set_error_literal (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CORRUPT,
                           _("A refund has a reason or status this version does not know"));
      return NULL;
    }

  refund->id = sqlite3_column_int64 (stmt, 0);
  refund->order_id = sqlite3_column_int64 (stmt, 1);
  refund->payment_id = sqlite3_column_int64 (stmt, 2);
  refund->amount = sqlite3_column_int64 (stmt, 3);
  refund->currency_code = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  refund->reason = reason;
  refund->note = note != NULL && note[0] != '\0' ? g_strdup (note) : NULL;
  refund->status = status;
  refund->stripe_refund_id = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
  refund->idempotency_key = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
  refund->requested_by = sqlite3_column_int64 (stmt, 10);
  refund->approved_by = sqlite3_column_int64 (stmt, 11);
  refund->created_at = kassa_store_time_from_text ((const char *) sqlite3_column_text (stmt, 12), error);
  if (refund->created_at == NULL)
    return NULL;
  refund->updated_at = kassa_store_time_from_text ((const char *) sqlite3_column_text (stmt, 13), error);
  if (refund->updated_at == NULL)
    return NULL;

  return g_steal_pointer (&refund);
}

static KassaRefund *
load_where (KassaRefundRepository  *self,
            const char             *sql,
            gint64                  id,
            const char             *text,
            GError                **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(KassaRefund) refund = NULL;
  int rc;

  stmt = kassa_database_prepare (self->database, sql, error);
  if (stmt == NULL)
    return NULL;

  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND, _("There is no such refund"));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading a refund"));
      return NULL;
    }

  refund = refund_from_row (stmt, error);
  if (refund == NULL || !read_lines (self, refund, error))
    return NULL;

  return g_steal_pointer (&refund);
}

/* What is held against a payment: refunds that went back or may still. */
static gboolean
reserved_for_payment (KassaRefundRepository  *self,
                      gint64                  payment_id,
                      gint64                 *out_reserved,
                      GError                **error)
{
  g_autoptr(KassaStatement) stmt = NULL;

  stmt = kassa_database_prepare (self->database,
                                 "SELECT coalesce (sum (amount), 0) FROM refund "
                                 "WHERE payment_id = ?1 AND status <> 'failed'",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, payment_id);
  if (!kassa_sql_run (self->database, stmt, _("Reading refunds"), error))
    return FALSE;

  *out_reserved = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static guint
find_payment (KassaOrder *order,
              gint64      payment_id)
{
  GListModel *payments = kassa_order_get_payments (order);

  for (guint i = 0; i < g_list_model_get_n_items (payments); i++)
    {
      g_autoptr(KassaPayment) payment = g_list_model_get_item (payments, i);

      if (kassa_payment_get_id (payment) == payment_id)
        return i;
    }

  return G_MAXUINT;
}

/* Books a refund that went back: the payment's refunded amount and the
 * order's payment status move through the core, the returned lines keep
 * count of what came back. Runs in the caller's transaction. */
static gboolean
apply_refund (KassaRefundRepository  *self,
              const KassaRefund      *refund,
              GError                **error)
{
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(KassaPayment) payment = NULL;
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = kassa_store_now_text ();
  guint position;

  order = kassa_order_repository_load (self->orders, refund->order_id, error);
  if (order == NULL)
    return FALSE;

  position = find_payment (order, refund->payment_id);
  if (position == G_MAXUINT)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                           _("The refunded payment does not belong to the order"));
      return FALSE;
    }

  if (!kassa_order_record_refund (order, position, refund->amount, error))
    return FALSE;

  payment = g_list_model_get_item (kassa_order_get_payments (order), position);

  stmt = kassa_database_prepare (self->database,
                                 "UPDATE payment SET refunded_amount = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, refund->payment_id);
  sqlite3_bind_int64 (stmt, 2, kassa_payment_get_refunded_amount (payment));
  if (!kassa_sql_run (self->database, stmt, _("Saving a refund"), error))
    return FALSE;
  g_clear_pointer (&stmt, kassa_statement_release);

  stmt = kassa_database_prepare (self->database,
                                 "UPDATE \"order\" SET payment_status = ?2, updated_at = ?3 WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, refund->order_id);
  sqlite3_bind_text (stmt, 2, kassa_store_enum_to_text (KASSA_TYPE_PAYMENT_STATUS,
                                                        kassa_order_get_payment_status (order)),
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  if (!kassa_sql_run (self->database, stmt, _("Saving a refund"), error))
    return FALSE;
  g_clear_pointer (&stmt, kassa_statement_release);

  stmt = kassa_database_prepare (self->database,
                                 "UPDATE order_line SET refunded_quantity = refunded_quantity + "
                                 "(SELECT quantity FROM refund_line WHERE refund_id = ?1 AND order_line_id = order_line.id) "
                                 "WHERE id IN (SELECT order_line_id FROM refund_line WHERE refund_id = ?1)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, refund->id);

  return kassa_sql_run (self->database, stmt, _("Saving a refund"), error);
}

static gboolean
insert_lines (KassaRefundRepository  *self,
              const KassaRefund      *refund,
              GError                **error)
{
  if (refund->lines == NULL)
    return TRUE;

  for (guint i = 0; i < refund->lines->len; i++)
    {
      const KassaRefundLine *line = &g_array_index (refund->lines, KassaRefundLine, i);
      g_autoptr(KassaStatement) lookup = NULL;
      g_autoptr(KassaStatement) insert = NULL;
      gint64 line_id, left;

      /* What the line sold minus what other live refunds already take. */
      lookup = kassa_database_prepare (self->database,
                                       "SELECT l.id, l.quantity - coalesce ((SELECT sum (r.quantity) FROM refund_line r "
                                       "JOIN refund f ON f.id = r.refund_id "
                                       "WHERE r.order_line_id = l.id AND f.status <> 'failed'), 0) "
                                       "FROM order_line l WHERE l.order_id = ?1 AND l.position = ?2",
                                       error);
      if (lookup == NULL)
        return FALSE;

      sqlite3_bind_int64 (lookup, 1, refund->order_id);
      sqlite3_bind_int64 (lookup, 2, line->line_position);
      if (sqlite3_step (lookup) != SQLITE_ROW)
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                       _("The order has no line %u"), line->line_position + 1);
          return FALSE;
        }

      line_id = sqlite3_column_int64 (lookup, 0);
      left = sqlite3_column_int64 (lookup, 1);
      if (line->quantity <= 0 || line->amount <= 0 || line->quantity > left)
        {
          g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                       _("Line %u cannot give back that quantity: more than zero and at most what was sold and not yet refunded"),
                       line->line_position + 1);
          return FALSE;
        }

      insert = kassa_database_prepare (self->database,
                                       "INSERT INTO refund_line (refund_id, order_line_id, quantity, amount) "
                                       "VALUES (?1, ?2, ?3, ?4)",
                                       error);
      if (insert == NULL)
        return FALSE;

      sqlite3_bind_int64 (insert, 1, refund->id);
      sqlite3_bind_int64 (insert, 2, line_id);
      sqlite3_bind_int64 (insert, 3, line->quantity);
      sqlite3_bind_int64 (insert, 4, line->amount);
      if (!kassa_sql_run (self->database, insert, _("Saving a refund"), error))
        return FALSE;
    }

  return TRUE;
}

/* Checks the refund against the order and picks its payment; leaves
 * the choice in @refund. */
static gboolean
check_refund (KassaRefundRepository  *self,
              KassaOrder             *order,
              KassaRefund            *refund,
              GError                **error)
{
  g_autoptr(KassaOrder) check = NULL;
  GListModel *payments = kassa_order_get_payments (order);
  guint position = G_MAXUINT;
  gint64 line_sum = 0;

  if (refund->currency_code == NULL)
    refund->currency_code = g_strdup (kassa_order_get_currency_code (order));
  else if (g_strcmp0 (refund->currency_code, kassa_order_get_currency_code (order)) != 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_CURRENCY_MISMATCH,
                   _("A refund in %s cannot go back on an order in %s"),
                   refund->currency_code, kassa_order_get_currency_code (order));
      return FALSE;
    }

  if (refund->lines != NULL)
    for (guint i = 0; i < refund->lines->len; i++)
      {
        gint64 amount = g_array_index (refund->lines, KassaRefundLine, i).amount;

        if (amount <= 0 || line_sum > G_MAXINT64 - amount)
          {
            g_set_error_literal (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                                 _("Every refunded line must give back more than zero"));
            return FALSE;
          }
        line_sum += amount;
      }

  if (refund->lines != NULL && refund->lines->len > 0)
    {
      if (refund->amount == 0)
        refund->amount = line_sum;
      else if (refund->amount != line_sum)
        {
          g_set_error_literal (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                               _("A refund of lines refunds what its lines add up to"));
          return FALSE;
        }
    }

  if (refund->amount <= 0)
    {
      g_set_error_literal (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                           _("A refund must be more than zero"));
      return FALSE;
    }

  for (guint i = 0; i < g_list_model_get_n_items (payments); i++)
    {
      g_autoptr(KassaPayment) payment = g_list_model_get_item (payments, i);
      gint64 reserved = 0;

      if (refund->payment_id != 0 && kassa_payment_get_id (payment) != refund->payment_id)
        continue;

      if (!reserved_for_payment (self, kassa_payment_get_id (payment), &reserved, error))
        return FALSE;

      if (kassa_payment_get_amount (payment) - reserved >= refund->amount)
        {
          position = i;
          break;
        }

      if (refund->payment_id != 0)
        {
          g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                       _("Only %" PRId64 " of this payment can still be refunded"),
                       kassa_payment_get_amount (payment) - reserved);
          return FALSE;
        }
    }

  if (position == G_MAXUINT)
    {
      if (refund->payment_id != 0)
        g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                             _("The refunded payment does not belong to the order"));
      else
        g_set_error_literal (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                             _("No payment of the order has that much left to refund"));
      return FALSE;
    }

  {
    g_autoptr(KassaPayment) payment = g_list_model_get_item (payments, position);

    refund->payment_id = kassa_payment_get_id (payment);
  }

  /* The core has the last word on whether the order may be refunded at
   * all (paid, not already refunded in full); ask it on the loaded copy. */
  return kassa_order_record_refund (order, position, refund->amount, error);
}

static void
kassa_refund_repository_constructed (GObject *object)
{
  KassaRefundRepository *self = KASSA_REFUND_REPOSITORY (object);

  G_OBJECT_CLASS (kassa_refund_repository_parent_class)->constructed (object);

  self->orders = kassa_order_repository_new (self->database);
}

static void
kassa_refund_repository_dispose (GObject *object)
{
  KassaRefundRepository *self = KASSA_REFUND_REPOSITORY (object);

  g_clear_object (&self->orders);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (kassa_refund_repository_parent_class)->dispose (object);
}

static void
kassa_refund_repository_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  KassaRefundRepository *self = KASSA_REFUND_REPOSITORY (object);

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
kassa_refund_repository_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  KassaRefundRepository *self = KASSA_REFUND_REPOSITORY (object);

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
kassa_refund_repository_class_init (KassaRefundRepositoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = kassa_refund_repository_constructed;
  object_class->dispose = kassa_refund_repository_dispose;
  object_class->get_property = kassa_refund_repository_get_property;
  object_class->set_property = kassa_refund_repository_set_property;

  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL,
                         KASSA_TYPE_DATABASE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_refund_repository_init (KassaRefundRepository *self)
{
}

KassaRefund *
kassa_refund_new (void)
{
  return g_new0 (KassaRefund, 1);
}

KassaRefund *
kassa_refund_copy (const KassaRefund *refund)
{
  KassaRefund *copy;

  g_return_val_if_fail (refund != NULL, NULL);

  copy = g_memdup2 (refund, sizeof *refund);
  copy->currency_code = g_strdup (refund->currency_code);
  copy->note = g_strdup (refund->note);
  copy->stripe_refund_id = g_strdup (refund->stripe_refund_id);
  copy->idempotency_key = g_strdup (refund->idempotency_key);
  copy->created_at = refund->created_at ? g_date_time_ref (refund->created_at) : NULL;
  copy->updated_at = refund->updated_at ? g_date_time_ref (refund->updated_at) : NULL;
  copy->lines = NULL;
  if (refund->lines != NULL)
    {
      copy->lines = g_array_sized_new (FALSE, FALSE, sizeof (KassaRefundLine), refund->lines->len);
      g_array_append_vals (copy->lines, refund->lines->data, refund->lines->len);
    }

  return copy;
}

void
kassa_refund_free (KassaRefund *refund)
{
  if (refund == NULL)
    return;

  g_free (refund->currency_code);
  g_free (refund->note);
  g_free (refund->stripe_refund_id);
  g_free (refund->idempotency_key);
  g_clear_pointer (&refund->created_at, g_date_time_unref);
  g_clear_pointer (&refund->updated_at, g_date_time_unref);
  g_clear_pointer (&refund->lines, g_array_unref);
  g_free (refund);
}

void
kassa_refund_add_line (KassaRefund *refund,
                       guint        line_position,
                       gint64       quantity,
                       gint64       amount)
{
  KassaRefundLine line = { line_position, quantity, amount };

  g_return_if_fail (refund != NULL);

  if (refund->lines == NULL)
    refund->lines = g_array_new (FALSE, FALSE, sizeof (KassaRefundLine));

  g_array_append_val (refund->lines, line);
}

KassaRefundRepository *
kassa_refund_repository_new (KassaDatabase *database)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (database), NULL);

  return g_object_new (KASSA_TYPE_REFUND_REPOSITORY,
                       "database", database,
                       NULL);
}

/**
 * kassa_refund_repository_create:
 * @self: a #KassaRefundRepository
 * @refund: the refund to record (id 0); the store fills in its id,
 *   currency, payment, amount (from its lines) and times
 * @error: a location for a #GError
 *
 * Records a refund of an amount or of lines, in the caller's transaction
 * when one is open. Pending and unknown refunds hold their amount
 * against the payment so two refunds in flight can never add up to more
 * than was paid; a succeeded one also moves the payment's refunded
 * amount and the order's payment status (partially refunded, refunded)
 * through the core, in the same transaction. The schema refuses a
 * refund beyond its payment as well.
 *
 * Returns: the refund's id, or 0 with @error set
 */
gint64
kassa_refund_repository_create (KassaRefundRepository  *self,
                                KassaRefund            *refund,
                                GError                **error)
{
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KASSA_IS_REFUND_REPOSITORY (self), 0);
  g_return_val_if_fail (refund != NULL, 0);
  g_return_val_if_fail (refund->reason <= KASSA_REFUND_REASON_OTHER, 0);
  g_return_val_if_fail (refund->status <= KASSA_REFUND_STATUS_UNKNOWN, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (refund->id != 0)
    {
      g_set_error_literal (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                           _("The refund is already stored"));
      return 0;
    }

  if (!kassa_database_begin (self->database, error))
    return 0;

  db = kassa_database_get_handle (self->database);

  order = kassa_order_repository_load (self->orders, refund->order_id, error);
  if (order == NULL || !check_refund (self, order, refund, error))
    return kassa_database_abort (self->database);

  now = kassa_store_now_text ();
  stmt = kassa_database_prepare (self->database,
                                 "INSERT INTO refund (order_id, payment_id, amount, currency, reason, note, status, "
                                 "stripe_refund_id, idempotency_key, requested_by, approved_by, created_at, updated_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
                                 error);
  if (stmt == NULL)
    return kassa_database_abort (self->database);

  sqlite3_bind_int64 (stmt, 1, refund->order_id);
  sqlite3_bind_int64 (stmt, 2, refund->payment_id);
  sqlite3_bind_int64 (stmt, 3, refund->amount);
  sqlite3_bind_text (stmt, 4, refund->currency_code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, reason_texts[refund->reason], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, refund->note ? refund->note : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, status_texts[refund->status], -1, SQLITE_STATIC);
  kassa_sql_bind_text_or_null (stmt, 8, refund->stripe_refund_id);
  kassa_sql_bind_text_or_null (stmt, 9, refund->idempotency_key);
  kassa_sql_bind_id_or_null (stmt, 10, refund->requested_by);
  kassa_sql_bind_id_or_null (stmt, 11, refund->approved_by);
  sqlite3_bind_text (stmt, 12, now, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, db, rc, _("Saving a refund"));
      return kassa_database_abort (self->database);
    }

  refund->id = sqlite3_last_insert_rowid (db);

  if (!insert_lines (self, refund, error) ||
      (refund->status == KASSA_REFUND_STATUS_SUCCEEDED && !apply_refund (self, refund, error)))
    {
      kassa_database_abort (self->database);
      refund->id = 0;
      return 0;
    }

  if (!kassa_database_commit (self->database, error))
    {
      refund->id = 0;
      return 0;
    }

  g_clear_pointer (&refund->created_at, g_date_time_unref);
  g_clear_pointer (&refund->updated_at, g_date_time_unref);
  refund->created_at = kassa_store_time_from_text (now, NULL);
  refund->updated_at = g_date_time_ref (refund->created_at);

  return refund->id;
}

/**
 * kassa_refund_repository_set_status:
 * @self: a #KassaRefundRepository
 * @refund_id: the refund
 * @status: where it stands now
 * @stripe_refund_id: (nullable): Stripe's id, once known
 * @error: a location for a #GError
 *
 * Moves a pending or unknown refund on. Succeeded and failed are final.
 * Reaching succeeded books the refund on its payment and order (see
 * kassa_refund_repository_create()); failed frees the held amount.
 *
 * Returns: %TRUE when saved
 */
gboolean
kassa_refund_repository_set_status (KassaRefundRepository  *self,
                                    gint64                  refund_id,
                                    KassaRefundStatus       status,
                                    const char             *stripe_refund_id,
                                    GError                **error)
{
  g_autoptr(KassaRefund) refund = NULL;
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = NULL;

  g_return_val_if_fail (KASSA_IS_REFUND_REPOSITORY (self), FALSE);
  g_return_val_if_fail (status <= KASSA_REFUND_STATUS_UNKNOWN, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_database_begin (self->database, error))
    return FALSE;

  refund = kassa_refund_repository_load (self, refund_id, error);
  if (refund == NULL)
    return kassa_database_abort (self->database);

  if (refund->status != status &&
      (refund->status == KASSA_REFUND_STATUS_SUCCEEDED || refund->status == KASSA_REFUND_STATUS_FAILED))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION,
                   _("A refund that %s stays so"),
                   refund->status == KASSA_REFUND_STATUS_SUCCEEDED ? _("succeeded") : _("failed"));
      return kassa_database_abort (self->database);
    }

  now = kassa_store_now_text ();
  stmt = kassa_database_prepare (self->database,
                                 "UPDATE refund SET status = ?2, stripe_refund_id = coalesce (?3, stripe_refund_id), "
                                 "updated_at = ?4 WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return kassa_database_abort (self->database);

  sqlite3_bind_int64 (stmt, 1, refund_id);
  sqlite3_bind_text (stmt, 2, status_texts[status], -1, SQLITE_STATIC);
  kassa_sql_bind_text_or_null (stmt, 3, stripe_refund_id);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_STATIC);
  if (!kassa_sql_run (self->database, stmt, _("Saving a refund"), error))
    return kassa_database_abort (self->database);

  if (status == KASSA_REFUND_STATUS_SUCCEEDED && refund->status != KASSA_REFUND_STATUS_SUCCEEDED &&
      !apply_refund (self, refund, error))
    return kassa_database_abort (self->database);

  return kassa_database_commit (self->database, error);
}

/**
 * kassa_refund_repository_load:
 * @self: a #KassaRefundRepository
 * @refund_id: the refund's id
 * @error: a location for a #GError
 *
 * Returns: (transfer full): the refund with its lines, or %NULL with
 *   @error set
 */
KassaRefund *
kassa_refund_repository_load (KassaRefundRepository  *self,
                              gint64                  refund_id,
                              GError                **error)
{
  g_return_val_if_fail (KASSA_IS_REFUND_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_where (self, "SELECT " REFUND_COLUMNS " FROM refund WHERE id = ?1", refund_id, NULL, error);
}

/**
 * kassa_refund_repository_load_by_stripe_id:
 * @self: a #KassaRefundRepository
 * @stripe_refund_id: Stripe's `re_…` id
 * @error: a location for a #GError
 *
 * Returns: (transfer full): the refund, or %NULL with @error set
 */
KassaRefund *
kassa_refund_repository_load_by_stripe_id (KassaRefundRepository  *self,
                                           const char             *stripe_refund_id,
                                           GError                **error)
{
  g_return_val_if_fail (KASSA_IS_REFUND_REPOSITORY (self), NULL);
  g_return_val_if_fail (stripe_refund_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_where (self, "SELECT " REFUND_COLUMNS " FROM refund WHERE stripe_refund_id = ?1",
                     0, stripe_refund_id, error);
}

/**
 * kassa_refund_repository_list_by_order:
 * @self: a #KassaRefundRepository
 * @order_id: the order
 * @error: a location for a #GError
 *
 * Returns: (transfer full) (element-type KassaRefund): the order's
 *   refunds, oldest first, or %NULL with @error set
 */
GPtrArray *
kassa_refund_repository_list_by_order (KassaRefundRepository  *self,
                                       gint64                  order_id,
                                       GError                **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GPtrArray) refunds = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_REFUND_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT " REFUND_COLUMNS " FROM refund WHERE order_id = ?1 ORDER BY id",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, order_id);
  refunds = g_ptr_array_new_with_free_func ((GDestroyNotify) kassa_refund_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KassaRefund *refund = refund_from_row (stmt, error);

      if (refund == NULL)
        return NULL;
      g_ptr_array_add (refunds, refund);
      if (!read_lines (self, refund, error))
        return NULL;
    }

  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading refunds"));
      return NULL;
    }

  return g_steal_pointer (&refunds);
}
