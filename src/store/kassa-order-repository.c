/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-order-repository"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "kassa-core-enum-types.h"
#include "kassa-currency.h"
#include "kassa-document-totals.h"
#include "kassa-error.h"
#include "kassa-order-repository.h"
#include "kassa-store-error.h"
#include "kassa-store-private.h"
#include "kassa-store-sql.h"
#include "kassa-store-text.h"

struct _KassaOrderRepository
{
  GObject        parent_instance;

  KassaDatabase *database;
};

G_DEFINE_FINAL_TYPE (KassaOrderRepository, kassa_order_repository, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATABASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define ORDER_COLUMNS \
  "id, number, customer_id, currency, mode, certified, payment_status, dispute_status, " \
  "fulfilment_status, delivery_method, shipping_cost, shipping_tax_rate, shipping_address, " \
  "billing_address, shipping_status, tracking_url, prices_include_tax, tax_scope, rounding, " \
  "discount_kind, discount_value, stripe_checkout_session_id, stripe_payment_intent_id, " \
  "created_at, paid_at"

/* -- Helpers ----------------------------------------------------------- */

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

/* The schema keeps "no value" of free-text columns as '' (NOT NULL);
 * the domain keeps it as NULL. */
static const char *
column_text_or_null (sqlite3_stmt *stmt,
                     int           column)
{
  const char *text = column_text (stmt, column);

  return text != NULL && text[0] != '\0' ? text : NULL;
}

static void
bind_enum (sqlite3_stmt *stmt,
           int           index,
           GType         type,
           int           value)
{
  sqlite3_bind_text (stmt, index, kassa_store_enum_to_text (type, value), -1, SQLITE_STATIC);
}

static gboolean
read_enum (sqlite3_stmt  *stmt,
           int            column,
           GType          type,
           int           *out_value,
           GError       **error)
{
  return kassa_store_enum_from_text (type, column_text (stmt, column), out_value, error);
}

static gboolean
read_time (sqlite3_stmt  *stmt,
           int            column,
           GDateTime    **out_time,
           GError       **error)
{
  const char *text = column_text (stmt, column);

  *out_time = NULL;
  if (text == NULL)
    return TRUE;

  *out_time = kassa_store_time_from_text (text, error);
  return *out_time != NULL;
}

/* The lock triggers of the schema say what they refuse in a message
 * meant for logs; people are told which order and why. */
static void
set_order_error_from_sqlite (GError      **error,
                             sqlite3      *db,
                             int           rc,
                             const char   *number,
                             const char   *what)
{
  if ((rc & 0xff) == SQLITE_CONSTRAINT &&
      sqlite3_extended_errcode (db) == SQLITE_CONSTRAINT_TRIGGER &&
      strstr (sqlite3_errmsg (db), "Stripe-managed") != NULL)
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT,
                   /* Translators: %s is an order number */
                   _("Order %s is managed by Stripe: its amounts, lines and addresses can no longer change"),
                   number != NULL ? number : "?");
      return;
    }

  kassa_store_set_error_from_sqlite (error, db, rc, what);
}

/* An order takes no payments once refunded (or expired), so it is built
 * in the state it had when they came in and moved on, through a legal
 * transition, after they were added. */
static KassaPaymentStatus
status_before_payments (KassaPaymentStatus stored)
{
  switch (stored)
    {
    case KASSA_PAYMENT_STATUS_PARTIALLY_REFUNDED:
    case KASSA_PAYMENT_STATUS_REFUNDED:
      return KASSA_PAYMENT_STATUS_PAID;
    case KASSA_PAYMENT_STATUS_EXPIRED:
      return KASSA_PAYMENT_STATUS_CREATED;
    case KASSA_PAYMENT_STATUS_CREATED:
    case KASSA_PAYMENT_STATUS_PAID:
    case KASSA_PAYMENT_STATUS_FAILED:
    default:
      return stored;
    }
}

static KassaOrder *
order_from_row (sqlite3_stmt        *stmt,
                gboolean            *out_certified,
                KassaPaymentStatus  *out_payment_status,
                GError             **error)
{
  g_autoptr(GDateTime) created_at = NULL;
  g_autoptr(GDateTime) paid_at = NULL;
  int mode, payment_status, dispute_status, fulfilment_status, delivery_method;
  int tax_scope, rounding, discount_kind;

  if (!read_enum (stmt, 4, KASSA_TYPE_ORDER_MODE, &mode, error) ||
      !read_enum (stmt, 6, KASSA_TYPE_PAYMENT_STATUS, &payment_status, error) ||
      !read_enum (stmt, 7, KASSA_TYPE_DISPUTE_STATUS, &dispute_status, error) ||
      !read_enum (stmt, 8, KASSA_TYPE_FULFILMENT_STATUS, &fulfilment_status, error) ||
      !read_enum (stmt, 9, KASSA_TYPE_DELIVERY_METHOD, &delivery_method, error) ||
      !read_enum (stmt, 17, KASSA_TYPE_TAX_SCOPE, &tax_scope, error) ||
      !read_enum (stmt, 18, KASSA_TYPE_ROUNDING_MODE, &rounding, error) ||
      !read_enum (stmt, 19, KASSA_TYPE_DISCOUNT_KIND, &discount_kind, error) ||
      !read_time (stmt, 23, &created_at, error) ||
      !read_time (stmt, 24, &paid_at, error))
    return NULL;

  *out_certified = sqlite3_column_int (stmt, 5) != 0;
  *out_payment_status = payment_status;

  /* Statuses given at construction are taken as loaded, not
   * transitioned; "certified" comes last, once the lines are in. */
  return g_object_new (KASSA_TYPE_ORDER,
                       "id", sqlite3_column_int64 (stmt, 0),
                       "number", column_text (stmt, 1),
                       "customer-id", sqlite3_column_int64 (stmt, 2),
                       "currency-code", column_text (stmt, 3),
                       "mode", mode,
                       "payment-status", status_before_payments (payment_status),
                       "dispute-status", dispute_status,
                       "fulfilment-status", fulfilment_status,
                       "delivery-method", delivery_method,
                       "shipping-cost", sqlite3_column_int64 (stmt, 10),
                       "shipping-tax-rate", sqlite3_column_int64 (stmt, 11),
                       "shipping-address", column_text_or_null (stmt, 12),
                       "billing-address", column_text_or_null (stmt, 13),
                       "shipping-status", column_text_or_null (stmt, 14),
                       "tracking-url", column_text_or_null (stmt, 15),
                       "prices-include-tax", sqlite3_column_int (stmt, 16) != 0,
                       "tax-scope", tax_scope,
                       "rounding", rounding,
                       "discount-kind", discount_kind,
                       "discount-value", sqlite3_column_int64 (stmt, 20),
                       "stripe-checkout-session-id", column_text (stmt, 21),
                       "stripe-payment-intent-id", column_text (stmt, 22),
                       "created-at", created_at,
                       "paid-at", paid_at,
                       NULL);
}

static gboolean
load_lines (KassaOrderRepository  *self,
            KassaOrder            *order,
            GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  stmt = kassa_database_prepare (self->database,
                                 "SELECT item_id, sku, name, quantity, unit_price, tax_rate, "
                                 "discount_kind, discount_value, delivery_method "
                                 "FROM order_line WHERE order_id = ?1 ORDER BY position",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, kassa_order_get_id (order));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(KassaOrderLine) line = kassa_order_line_new ();
      int discount_kind, delivery_method;

      if (!read_enum (stmt, 6, KASSA_TYPE_DISCOUNT_KIND, &discount_kind, error) ||
          !read_enum (stmt, 8, KASSA_TYPE_DELIVERY_METHOD, &delivery_method, error))
        return FALSE;

      /* A fresh line is unlocked, so these setters cannot fail. */
      if (!kassa_order_line_set_item_id (line, sqlite3_column_int64 (stmt, 0), error) ||
          !kassa_order_line_set_sku (line, column_text (stmt, 1), error) ||
          !kassa_order_line_set_name (line, column_text (stmt, 2), error) ||
          !kassa_order_line_set_quantity (line, sqlite3_column_int64 (stmt, 3), error) ||
          !kassa_order_line_set_unit_price (line, sqlite3_column_int64 (stmt, 4), error) ||
          !kassa_order_line_set_tax_rate (line, sqlite3_column_int64 (stmt, 5), error) ||
          !kassa_order_line_set_discount_kind (line, discount_kind, error) ||
          !kassa_order_line_set_discount_value (line, sqlite3_column_int64 (stmt, 7), error) ||
          !kassa_order_line_set_delivery_method (line, delivery_method, error) ||
          !kassa_order_add_line (order, line, error))
        return FALSE;
    }

  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading order lines"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
load_payments (KassaOrderRepository  *self,
               KassaOrder            *order,
               GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  stmt = kassa_database_prepare (self->database,
                                 "SELECT id, provider, amount, currency, method_label, reference, "
                                 "paid_at, refunded_amount "
                                 "FROM payment WHERE order_id = ?1 ORDER BY id",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, kassa_order_get_id (order));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(KassaPayment) payment = kassa_payment_new ();
      g_autoptr(GDateTime) paid_at = NULL;

      if (!read_time (stmt, 6, &paid_at, error))
        return FALSE;

      kassa_payment_set_id (payment, sqlite3_column_int64 (stmt, 0));
      kassa_payment_set_provider_id (payment, column_text (stmt, 1));
      kassa_payment_set_amount (payment, sqlite3_column_int64 (stmt, 2));
      kassa_payment_set_currency_code (payment, column_text (stmt, 3));
      kassa_payment_set_method_label (payment, column_text_or_null (stmt, 4));
      kassa_payment_set_reference (payment, column_text_or_null (stmt, 5));
      kassa_payment_set_paid_at (payment, paid_at);

      /* Payments come into an order without refunds; what went back
       * is restored once the payment belongs to it. */
      if (!kassa_order_add_payment (order, payment, error))
        return FALSE;
      kassa_payment_set_refunded_amount (payment, sqlite3_column_int64 (stmt, 7));
    }

  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading payments"));
      return FALSE;
    }

  return TRUE;
}

/* Reads one order row of @stmt (already stepped to SQLITE_ROW) with its
 * lines and payments. */
static KassaOrder *
complete_order (KassaOrderRepository  *self,
                sqlite3_stmt          *stmt,
                GError               **error)
{
  g_autoptr(KassaOrder) order = NULL;
  KassaPaymentStatus payment_status = KASSA_PAYMENT_STATUS_CREATED;
  gboolean certified = FALSE;

  order = order_from_row (stmt, &certified, &payment_status, error);
  if (order == NULL ||
      !load_lines (self, order, error) ||
      !load_payments (self, order, error) ||
      !kassa_order_set_payment_status (order, payment_status, error))
    return NULL;

  if (certified && !kassa_order_set_certified (order, TRUE, error))
    return NULL;

  return g_steal_pointer (&order);
}

static KassaOrder *
load_one (KassaOrderRepository  *self,
          const char            *sql,
          gint64                 id,
          const char            *text,
          GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(KassaOrder) order = NULL;
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
      if (text != NULL)
        g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                     _("There is no order “%s”"), text);
      else
        g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                     _("There is no order with id %" PRId64), id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading an order"));
      return NULL;
    }

  /* Lines and payments use statements of their own; this one is done. */
  order = complete_order (self, stmt, error);

  return g_steal_pointer (&order);
}

static gboolean
insert_payment (KassaOrderRepository  *self,
                gint64                 order_id,
                KassaPayment          *payment,
                GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = kassa_store_now_text ();

  stmt = kassa_database_prepare (self->database,
                                 "INSERT INTO payment (order_id, provider, amount, currency, method_label, "
                                 "reference, refunded_amount, paid_at, created_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, order_id);
  sqlite3_bind_text (stmt, 2, kassa_payment_get_provider_id (payment), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, kassa_payment_get_amount (payment));
  sqlite3_bind_text (stmt, 4, kassa_payment_get_currency_code (payment), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, kassa_payment_get_method_label (payment)
                                ? kassa_payment_get_method_label (payment) : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, kassa_payment_get_reference (payment)
                                ? kassa_payment_get_reference (payment) : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, kassa_payment_get_refunded_amount (payment));
  kassa_sql_bind_time_or_null (stmt, 8, kassa_payment_get_paid_at (payment));
  sqlite3_bind_text (stmt, 9, now, -1, SQLITE_STATIC);

  if (!kassa_sql_run (self->database, stmt, _("Saving a payment"), error))
    return FALSE;

  kassa_payment_set_id (payment, sqlite3_last_insert_rowid (kassa_database_get_handle (self->database)));

  return TRUE;
}

static KassaTotals *
compute_totals (KassaOrder  *order,
                gint64       cash_rounding_step,
                GError     **error)
{
  const KassaCurrency *currency;
  KassaTaxSettings settings = { 0, };

  currency = kassa_currency_lookup (kassa_order_get_currency_code (order), error);
  if (currency == NULL)
    return NULL;

  /* Only the currency is taken from the settings: the order keeps its
   * own tax rules. */
  settings.currency = currency;
  settings.prices_include_tax = kassa_order_get_prices_include_tax (order);
  settings.tax_scope = kassa_order_get_tax_scope (order);
  settings.rounding = kassa_order_get_rounding (order);

  return kassa_order_compute_totals (order, &settings, cash_rounding_step, error);
}

/* Writes the lines of an editable order: rows are keyed on position, so
 * a line keeps its id (and the refunds that point at it). */
static gboolean
write_lines (KassaOrderRepository  *self,
             KassaOrder            *order,
             KassaTotals           *totals,
             GError               **error)
{
  GListModel *lines = kassa_order_get_lines (order);
  guint n = g_list_model_get_n_items (lines);
  sqlite3 *db = kassa_database_get_handle (self->database);
  g_autoptr(KassaStatement) trim = NULL;
  int rc;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KassaOrderLine) line = g_list_model_get_item (lines, i);
      g_autoptr(KassaStatement) stmt = NULL;
      const KassaLineTotals *line_totals = kassa_totals_get_line (totals, i);

      stmt = kassa_database_prepare (self->database,
                                     "INSERT INTO order_line (order_id, position, item_id, sku, name, quantity, "
                                     "unit_price, tax_rate, discount_kind, discount_value, delivery_method, net, tax) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
                                     "ON CONFLICT (order_id, position) DO UPDATE SET item_id = excluded.item_id, "
                                     "sku = excluded.sku, name = excluded.name, quantity = excluded.quantity, "
                                     "unit_price = excluded.unit_price, tax_rate = excluded.tax_rate, "
                                     "discount_kind = excluded.discount_kind, discount_value = excluded.discount_value, "
                                     "delivery_method = excluded.delivery_method, net = excluded.net, tax = excluded.tax",
                                     error);
      if (stmt == NULL)
        return FALSE;

      sqlite3_bind_int64 (stmt, 1, kassa_order_get_id (order));
      sqlite3_bind_int64 (stmt, 2, i);
      kassa_sql_bind_id_or_null (stmt, 3, kassa_order_line_get_item_id (line));
      kassa_sql_bind_text_or_null (stmt, 4, kassa_order_line_get_sku (line));
      sqlite3_bind_text (stmt, 5, kassa_order_line_get_name (line) ? kassa_order_line_get_name (line) : "",
                         -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 6, kassa_order_line_get_quantity (line));
      sqlite3_bind_int64 (stmt, 7, kassa_order_line_get_unit_price (line));
      sqlite3_bind_int64 (stmt, 8, kassa_order_line_get_tax_rate (line));
      bind_enum (stmt, 9, KASSA_TYPE_DISCOUNT_KIND, kassa_order_line_get_discount_kind (line));
      sqlite3_bind_int64 (stmt, 10, kassa_order_line_get_discount_value (line));
      bind_enum (stmt, 11, KASSA_TYPE_DELIVERY_METHOD, kassa_order_line_get_delivery_method (line));
      sqlite3_bind_int64 (stmt, 12, line_totals->net);
      sqlite3_bind_int64 (stmt, 13, line_totals->tax);

      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          set_order_error_from_sqlite (error, db, rc, kassa_order_get_number (order),
                                             _("Saving an order line"));
          return FALSE;
        }
    }

  trim = kassa_database_prepare (self->database,
                                 "DELETE FROM order_line WHERE order_id = ?1 AND position >= ?2",
                                 error);
  if (trim == NULL)
    return FALSE;

  sqlite3_bind_int64 (trim, 1, kassa_order_get_id (order));
  sqlite3_bind_int64 (trim, 2, n);
  rc = sqlite3_step (trim);
  if (rc != SQLITE_DONE)
    {
      set_order_error_from_sqlite (error, db, rc, kassa_order_get_number (order),
                                         _("Removing order lines"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_insertable (KassaOrder  *order,
                  GError     **error)
{
  if (kassa_order_get_id (order) != 0)
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                   _("Order %s is already stored"), kassa_order_get_number (order));
      return FALSE;
    }

  if (kassa_order_get_number (order) == NULL || kassa_order_get_number (order)[0] == '\0')
    {
      g_set_error_literal (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                           _("An order needs a number before it is stored"));
      return FALSE;
    }

  if (kassa_order_get_customer_id (order) <= 0)
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                   _("Order %s has no customer"), kassa_order_get_number (order));
      return FALSE;
    }

  return TRUE;
}

/* -- GObject ----------------------------------------------------------- */

static void
kassa_order_repository_dispose (GObject *object)
{
  KassaOrderRepository *self = KASSA_ORDER_REPOSITORY (object);

  g_clear_object (&self->database);

  G_OBJECT_CLASS (kassa_order_repository_parent_class)->dispose (object);
}

static void
kassa_order_repository_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  KassaOrderRepository *self = KASSA_ORDER_REPOSITORY (object);

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
kassa_order_repository_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  KassaOrderRepository *self = KASSA_ORDER_REPOSITORY (object);

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
kassa_order_repository_class_init (KassaOrderRepositoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kassa_order_repository_dispose;
  object_class->get_property = kassa_order_repository_get_property;
  object_class->set_property = kassa_order_repository_set_property;

  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL,
                         KASSA_TYPE_DATABASE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_order_repository_init (KassaOrderRepository *self)
{
}

/* -- Public API -------------------------------------------------------- */

KassaOrderRepository *
kassa_order_repository_new (KassaDatabase *database)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (database), NULL);

  return g_object_new (KASSA_TYPE_ORDER_REPOSITORY,
                       "database", database,
                       NULL);
}

KassaDatabase *
kassa_order_repository_get_database (KassaOrderRepository *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER_REPOSITORY (self), NULL);

  return self->database;
}

/**
 * kassa_order_repository_insert:
 * @self: a #KassaOrderRepository
 * @order: a new order (id 0) with its number, customer, lines and payments
 * @context: (nullable): where the sale happened and how cash was rounded
 * @error: a location for a #GError
 *
 * Stores @order with its lines, payments and the totals the engine
 * computes for it. Inside a transaction the caller opened (the sale,
 * which also moves stock and writes the journal) it becomes part of it;
 * otherwise it is its own transaction. On success the order and its
 * payments carry their new ids; a missing creation time becomes now.
 *
 * Returns: the order's id, or 0 with @error set
 */
gint64
kassa_order_repository_insert (KassaOrderRepository         *self,
                               KassaOrder                   *order,
                               const KassaOrderSaleContext  *context,
                               GError                      **error)
{
  static const KassaOrderSaleContext no_context = { 0, };
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *updated_at = NULL;
  GListModel *payments;
  sqlite3 *db;
  gint64 order_id;
  int rc;

  g_return_val_if_fail (KASSA_IS_ORDER_REPOSITORY (self), 0);
  g_return_val_if_fail (KASSA_IS_ORDER (order), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (context == NULL)
    context = &no_context;

  if (!check_insertable (order, error))
    return 0;

  if (kassa_order_get_created_at (order) == NULL)
    {
      now = g_date_time_new_now_utc ();
      if (!kassa_order_set_created_at (order, now, error))
        return 0;
    }

  totals = compute_totals (order, context->cash_rounding_step, error);
  if (totals == NULL)
    return 0;

  if (!kassa_database_begin (self->database, error))
    return 0;

  db = kassa_database_get_handle (self->database);
  updated_at = kassa_store_now_text ();

  /* "certified" is written last: the schema refuses lines for an order
   * that is already locked. */
  stmt = kassa_database_prepare (self->database,
                                 "INSERT INTO \"order\" (number, customer_id, currency, mode, certified, "
                                 "payment_status, dispute_status, fulfilment_status, delivery_method, "
                                 "shipping_cost, shipping_tax_rate, shipping_address, billing_address, "
                                 "shipping_status, tracking_url, prices_include_tax, tax_scope, rounding, "
                                 "discount_kind, discount_value, untaxed, tax, total, cash_rounding, "
                                 "stripe_checkout_session_id, stripe_payment_intent_id, staff_id, shift_id, "
                                 "cart_id, created_at, paid_at, updated_at) "
                                 "VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                                 "?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, "
                                 "?30, ?31)",
                                 error);
  if (stmt == NULL)
    return kassa_database_abort (self->database);

  sqlite3_bind_text (stmt, 1, kassa_order_get_number (order), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, kassa_order_get_customer_id (order));
  kassa_sql_bind_text_or_null (stmt, 3, kassa_order_get_currency_code (order));
  bind_enum (stmt, 4, KASSA_TYPE_ORDER_MODE, kassa_order_get_mode (order));
  bind_enum (stmt, 5, KASSA_TYPE_PAYMENT_STATUS, kassa_order_get_payment_status (order));
  bind_enum (stmt, 6, KASSA_TYPE_DISPUTE_STATUS, kassa_order_get_dispute_status (order));
  bind_enum (stmt, 7, KASSA_TYPE_FULFILMENT_STATUS, kassa_order_get_fulfilment_status (order));
  bind_enum (stmt, 8, KASSA_TYPE_DELIVERY_METHOD, kassa_order_get_delivery_method (order));
  sqlite3_bind_int64 (stmt, 9, kassa_order_get_shipping_cost (order));
  sqlite3_bind_int64 (stmt, 10, kassa_order_get_shipping_tax_rate (order));
  sqlite3_bind_text (stmt, 11, kassa_order_get_shipping_address (order) ? kassa_order_get_shipping_address (order) : "",
                     -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 12, kassa_order_get_billing_address (order) ? kassa_order_get_billing_address (order) : "",
                     -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 13, kassa_order_get_shipping_status (order) ? kassa_order_get_shipping_status (order) : "",
                     -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 14, kassa_order_get_tracking_url (order) ? kassa_order_get_tracking_url (order) : "",
                     -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 15, kassa_order_get_prices_include_tax (order) ? 1 : 0);
  bind_enum (stmt, 16, KASSA_TYPE_TAX_SCOPE, kassa_order_get_tax_scope (order));
  bind_enum (stmt, 17, KASSA_TYPE_ROUNDING_MODE, kassa_order_get_rounding (order));
  bind_enum (stmt, 18, KASSA_TYPE_DISCOUNT_KIND, kassa_order_get_discount_kind (order));
  sqlite3_bind_int64 (stmt, 19, kassa_order_get_discount_value (order));
  sqlite3_bind_int64 (stmt, 20, kassa_totals_get_untaxed (totals));
  sqlite3_bind_int64 (stmt, 21, kassa_totals_get_tax (totals));
  sqlite3_bind_int64 (stmt, 22, kassa_totals_get_total (totals));
  sqlite3_bind_int64 (stmt, 23, kassa_totals_get_cash_rounding (totals));
  kassa_sql_bind_text_or_null (stmt, 24, kassa_order_get_stripe_checkout_session_id (order));
  kassa_sql_bind_text_or_null (stmt, 25, kassa_order_get_stripe_payment_intent_id (order));
  kassa_sql_bind_id_or_null (stmt, 26, context->staff_id);
  kassa_sql_bind_id_or_null (stmt, 27, context->shift_id);
  kassa_sql_bind_id_or_null (stmt, 28, context->cart_id);
  kassa_sql_bind_time_or_null (stmt, 29, kassa_order_get_created_at (order));
  kassa_sql_bind_time_or_null (stmt, 30, kassa_order_get_paid_at (order));
  sqlite3_bind_text (stmt, 31, updated_at, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      set_order_error_from_sqlite (error, db, rc, kassa_order_get_number (order),
                                         _("Saving an order"));
      return kassa_database_abort (self->database);
    }
  g_clear_pointer (&stmt, kassa_statement_release);

  order_id = sqlite3_last_insert_rowid (db);
  kassa_order_set_id (order, order_id);

  if (!write_lines (self, order, totals, error))
    goto fail;

  payments = kassa_order_get_payments (order);
  for (guint i = 0; i < g_list_model_get_n_items (payments); i++)
    {
      g_autoptr(KassaPayment) payment = g_list_model_get_item (payments, i);

      if (!insert_payment (self, order_id, payment, error))
        goto fail;
    }

  if (kassa_order_get_certified (order))
    {
      stmt = kassa_database_prepare (self->database,
                                     "UPDATE \"order\" SET certified = 1 WHERE id = ?1", error);
      if (stmt == NULL ||
          (sqlite3_bind_int64 (stmt, 1, order_id),
           !kassa_sql_run (self->database, stmt, _("Saving an order"), error)))
        goto fail;
    }

  if (!kassa_database_commit (self->database, error))
    goto fail_committed;

  return order_id;

fail:
  kassa_database_abort (self->database);
fail_committed:
  /* Nothing was stored: the objects must not claim ids. */
  kassa_order_set_id (order, 0);
  payments = kassa_order_get_payments (order);
  for (guint i = 0; i < g_list_model_get_n_items (payments); i++)
    {
      g_autoptr(KassaPayment) payment = g_list_model_get_item (payments, i);

      kassa_payment_set_id (payment, 0);
    }
  return 0;
}

/**
 * kassa_order_repository_load:
 * @self: a #KassaOrderRepository
 * @order_id: the order's id
 * @error: a location for a #GError
 *
 * Returns: (transfer full): the order with its lines and payments, or
 *   %NULL with @error set (KASSA_ERROR_NOT_FOUND when there is none)
 */
KassaOrder *
kassa_order_repository_load (KassaOrderRepository  *self,
                             gint64                 order_id,
                             GError               **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_one (self, "SELECT " ORDER_COLUMNS " FROM \"order\" WHERE id = ?1",
                   order_id, NULL, error);
}

/**
 * kassa_order_repository_load_by_number:
 * @self: a #KassaOrderRepository
 * @number: the order number people read on the receipt
 * @error: a location for a #GError
 *
 * Returns: (transfer full): the order, or %NULL with @error set
 */
KassaOrder *
kassa_order_repository_load_by_number (KassaOrderRepository  *self,
                                       const char            *number,
                                       GError               **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER_REPOSITORY (self), NULL);
  g_return_val_if_fail (number != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_one (self, "SELECT " ORDER_COLUMNS " FROM \"order\" WHERE number = ?1",
                   0, number, error);
}

/**
 * kassa_order_repository_load_by_stripe_reference:
 * @self: a #KassaOrderRepository
 * @reference: a Checkout Session id (`cs_…`) or PaymentIntent id (`pi_…`)
 * @error: a location for a #GError
 *
 * Finds the order a Stripe event talks about.
 *
 * Returns: (transfer full): the order, or %NULL with @error set
 */
KassaOrder *
kassa_order_repository_load_by_stripe_reference (KassaOrderRepository  *self,
                                                 const char            *reference,
                                                 GError               **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER_REPOSITORY (self), NULL);
  g_return_val_if_fail (reference != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Two lookups rather than an OR, so each uses its unique index. */
  if (g_str_has_prefix (reference, "pi_"))
    return load_one (self, "SELECT " ORDER_COLUMNS " FROM \"order\" WHERE stripe_payment_intent_id = ?1",
                     0, reference, error);

  return load_one (self, "SELECT " ORDER_COLUMNS " FROM \"order\" WHERE stripe_checkout_session_id = ?1",
                   0, reference, error);
}

/**
 * kassa_order_repository_load_by_payment_reference:
 * @self: a #KassaOrderRepository
 * @reference: what a payment's provider reference holds: a PaymentIntent,
 *   Checkout Session or subscription id, a reader's transaction id
 * @error: a location for a #GError
 *
 * Finds the order one of whose payments carries @reference: how a
 * payment taken at the till before its sale existed is matched to the
 * sale it became.
 *
 * Returns: (transfer full): the order, or %NULL with @error set
 *   (%KASSA_ERROR_NOT_FOUND when no payment carries @reference)
 */
KassaOrder *
kassa_order_repository_load_by_payment_reference (KassaOrderRepository  *self,
                                                  const char            *reference,
                                                  GError               **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER_REPOSITORY (self), NULL);
  g_return_val_if_fail (reference != NULL && *reference != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A reference is one payment's; should two carry it, the first booked
   * decides. Payments without one store '', which never matches here. */
  return load_one (self,
                   "SELECT " ORDER_COLUMNS " FROM \"order\" WHERE id = "
                   "(SELECT order_id FROM payment WHERE reference = ?1 ORDER BY id LIMIT 1)",
                   0, reference, error);
}

/* Runs @sql, which selects columns of one order by "id = ?1", and leaves
 * the statement on that order's row; KASSA_ERROR_NOT_FOUND when no order
 * has @order_id. */
static KassaStatement *
step_order_row (KassaOrderRepository  *self,
                const char            *sql,
                gint64                 order_id,
                GError               **error)
{
  g_autoptr(KassaStatement) stmt = kassa_database_prepare (self->database, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, order_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                   _("There is no order with id %" PRId64), order_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading an order"));
      return NULL;
    }

  return g_steal_pointer (&stmt);
}

/**
 * kassa_order_repository_load_totals:
 * @self: a #KassaOrderRepository
 * @order_id: the order's id
 * @out_totals: (out): the totals stored with the order
 * @error: a location for a #GError
 *
 * Returns: %TRUE when @out_totals was filled
 */
gboolean
kassa_order_repository_load_totals (KassaOrderRepository    *self,
                                    gint64                   order_id,
                                    KassaOrderStoredTotals  *out_totals,
                                    GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;

  g_return_val_if_fail (KASSA_IS_ORDER_REPOSITORY (self), FALSE);
  g_return_val_if_fail (out_totals != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = step_order_row (self, "SELECT untaxed, tax, total, cash_rounding FROM \"order\" WHERE id = ?1",
                         order_id, error);
  if (stmt == NULL)
    return FALSE;

  out_totals->untaxed = sqlite3_column_int64 (stmt, 0);
  out_totals->tax = sqlite3_column_int64 (stmt, 1);
  out_totals->total = sqlite3_column_int64 (stmt, 2);
  out_totals->cash_rounding = sqlite3_column_int64 (stmt, 3);

  return TRUE;
}

gboolean
kassa_order_repository_load_sale_context (KassaOrderRepository   *self,
                                          gint64                  order_id,
                                          KassaOrderSaleContext  *out_context,
                                          GError                **error)
{
  g_autoptr(KassaStatement) stmt = NULL;

  g_return_val_if_fail (KASSA_IS_ORDER_REPOSITORY (self), FALSE);
  g_return_val_if_fail (out_context != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = step_order_row (self, "SELECT staff_id, shift_id, cart_id FROM \"order\" WHERE id = ?1",
                         order_id, error);
  if (stmt == NULL)
    return FALSE;

  out_context->staff_id = sqlite3_column_int64 (stmt, 0);
  out_context->shift_id = sqlite3_column_int64 (stmt, 1);
  out_context->cart_id = sqlite3_column_int64 (stmt, 2);
  out_context->cash_rounding_step = 0;

  return TRUE;
}

/**
 * kassa_order_repository_list:
 * @self: a #KassaOrderRepository
 * @filter: (nullable): which orders to list; %NULL for all
 * @after: (nullable): the last order of the previous page, or %NULL for
 *   the first page
 * @limit: at most this many orders
 * @error: a location for a #GError
 *
 * Lists orders newest first (by creation time, then id), each with its
 * lines and payments. Pages are keyed on the last order shown rather
 * than an offset, so they stay stable while the till adds orders and
 * stay fast deep into the history.
 *
 * Returns: (transfer full): a #GListModel of #KassaOrder, or %NULL with
 *   @error set
 */
GListModel *
kassa_order_repository_list (KassaOrderRepository    *self,
                             const KassaOrderFilter  *filter,
                             KassaOrder              *after,
                             guint                    limit,
                             GError                 **error)
{
  static const KassaOrderFilter everything = { 0, };
  g_autoptr(GString) sql = NULL;
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GListStore) orders = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_ORDER_REPOSITORY (self), NULL);
  g_return_val_if_fail (after == NULL || KASSA_IS_ORDER (after), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (filter == NULL)
    filter = &everything;

  if (after != NULL && kassa_order_get_created_at (after) == NULL)
    {
      g_set_error_literal (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                           _("A page can only follow a stored order"));
      return NULL;
    }

  /* Only the conditions in use go into the query, so SQLite can pick
   * the matching index; the few combinations share the statement cache. */
  sql = g_string_new ("SELECT " ORDER_COLUMNS " FROM \"order\" WHERE 1");
  if (filter->by_payment_status)
    g_string_append (sql, " AND payment_status = ?1");
  if (filter->by_fulfilment_status)
    g_string_append (sql, " AND fulfilment_status = ?2");
  if (filter->by_mode)
    g_string_append (sql, " AND mode = ?3");
  if (filter->customer_id > 0)
    g_string_append (sql, " AND customer_id = ?4");
  if (filter->created_from != NULL)
    g_string_append (sql, " AND created_at >= ?5");
  if (filter->created_until != NULL)
    g_string_append (sql, " AND created_at < ?6");
  if (after != NULL)
    g_string_append (sql, " AND (created_at < ?7 OR (created_at = ?7 AND id < ?8))");
  g_string_append (sql, " ORDER BY created_at DESC, id DESC LIMIT ?9");

  stmt = kassa_database_prepare (self->database, sql->str, error);
  if (stmt == NULL)
    return NULL;

  if (filter->by_payment_status)
    bind_enum (stmt, 1, KASSA_TYPE_PAYMENT_STATUS, filter->payment_status);
  if (filter->by_fulfilment_status)
    bind_enum (stmt, 2, KASSA_TYPE_FULFILMENT_STATUS, filter->fulfilment_status);
  if (filter->by_mode)
    bind_enum (stmt, 3, KASSA_TYPE_ORDER_MODE, filter->mode);
  if (filter->customer_id > 0)
    sqlite3_bind_int64 (stmt, 4, filter->customer_id);
  if (filter->created_from != NULL)
    kassa_sql_bind_time_or_null (stmt, 5, filter->created_from);
  if (filter->created_until != NULL)
    kassa_sql_bind_time_or_null (stmt, 6, filter->created_until);
  if (after != NULL)
    {
      kassa_sql_bind_time_or_null (stmt, 7, kassa_order_get_created_at (after));
      sqlite3_bind_int64 (stmt, 8, kassa_order_get_id (after));
    }
  sqlite3_bind_int64 (stmt, 9, limit);

  orders = g_list_store_new (KASSA_TYPE_ORDER);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(KassaOrder) order = complete_order (self, stmt, error);

      if (order == NULL)
        return NULL;

      g_list_store_append (orders, order);
    }

  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Listing orders"));
      return NULL;
    }

  return G_LIST_MODEL (g_steal_pointer (&orders));
}

/**
 * kassa_order_repository_update:
 * @self: a #KassaOrderRepository
 * @order: a stored order, changed in memory
 * @error: a location for a #GError
 *
 * Writes what the order's editor may change: number, customer, currency,
 * tax rules, discount, delivery, shipping, addresses, tracking, Stripe
 * references, times and (while the order is not locked) its lines, with
 * totals recomputed. Statuses and payments only change through the
 * functions made for them, which check the transition.
 *
 * A Stripe-managed order whose amounts are already certified refuses
 * every change but fulfilment, shipping status and tracking: the schema
 * enforces it even when @order is an old copy, and the refusal comes
 * back as KASSA_STORE_ERROR_CONSTRAINT naming the order.
 *
 * Returns: %TRUE when the order was saved
 */
gboolean
kassa_order_repository_update (KassaOrderRepository  *self,
                               KassaOrder            *order,
                               GError               **error)
{
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *updated_at = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KASSA_IS_ORDER_REPOSITORY (self), FALSE);
  g_return_val_if_fail (KASSA_IS_ORDER (order), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (kassa_order_get_id (order) <= 0)
    {
      g_set_error_literal (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                           _("Only a stored order can be updated"));
      return FALSE;
    }

  if (!kassa_database_begin (self->database, error))
    return FALSE;

  db = kassa_database_get_handle (self->database);

  /* The cash rounding line belongs to the tender, not to the editor:
   * it stays as stored. */
  totals = compute_totals (order, 0, error);
  if (totals == NULL)
    return kassa_database_abort (self->database);

  updated_at = kassa_store_now_text ();

  stmt = kassa_database_prepare (self->database,
                                 "UPDATE \"order\" SET number = ?2, customer_id = ?3, currency = ?4, mode = ?5, "
                                 "delivery_method = ?6, shipping_cost = ?7, shipping_tax_rate = ?8, "
                                 "shipping_address = ?9, billing_address = ?10, shipping_status = ?11, "
                                 "tracking_url = ?12, prices_include_tax = ?13, tax_scope = ?14, rounding = ?15, "
                                 "discount_kind = ?16, discount_value = ?17, untaxed = ?18, tax = ?19, total = ?20, "
                                 "stripe_checkout_session_id = ?21, stripe_payment_intent_id = ?22, "
                                 "created_at = ?23, paid_at = ?24, updated_at = ?25 WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return kassa_database_abort (self->database);

  sqlite3_bind_int64 (stmt, 1, kassa_order_get_id (order));
  kassa_sql_bind_text_or_null (stmt, 2, kassa_order_get_number (order));
  sqlite3_bind_int64 (stmt, 3, kassa_order_get_customer_id (order));
  kassa_sql_bind_text_or_null (stmt, 4, kassa_order_get_currency_code (order));
  bind_enum (stmt, 5, KASSA_TYPE_ORDER_MODE, kassa_order_get_mode (order));
  bind_enum (stmt, 6, KASSA_TYPE_DELIVERY_METHOD, kassa_order_get_delivery_method (order));
  sqlite3_bind_int64 (stmt, 7, kassa_order_get_shipping_cost (order));
  sqlite3_bind_int64 (stmt, 8, kassa_order_get_shipping_tax_rate (order));
  sqlite3_bind_text (stmt, 9, kassa_order_get_shipping_address (order) ? kassa_order_get_shipping_address (order) : "",
                     -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, kassa_order_get_billing_address (order) ? kassa_order_get_billing_address (order) : "",
                     -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, kassa_order_get_shipping_status (order) ? kassa_order_get_shipping_status (order) : "",
                     -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 12, kassa_order_get_tracking_url (order) ? kassa_order_get_tracking_url (order) : "",
                     -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 13, kassa_order_get_prices_include_tax (order) ? 1 : 0);
  bind_enum (stmt, 14, KASSA_TYPE_TAX_SCOPE, kassa_order_get_tax_scope (order));
  bind_enum (stmt, 15, KASSA_TYPE_ROUNDING_MODE, kassa_order_get_rounding (order));
  bind_enum (stmt, 16, KASSA_TYPE_DISCOUNT_KIND, kassa_order_get_discount_kind (order));
  sqlite3_bind_int64 (stmt, 17, kassa_order_get_discount_value (order));
  sqlite3_bind_int64 (stmt, 18, kassa_totals_get_untaxed (totals));
  sqlite3_bind_int64 (stmt, 19, kassa_totals_get_tax (totals));
  sqlite3_bind_int64 (stmt, 20, kassa_totals_get_total (totals));
  kassa_sql_bind_text_or_null (stmt, 21, kassa_order_get_stripe_checkout_session_id (order));
  kassa_sql_bind_text_or_null (stmt, 22, kassa_order_get_stripe_payment_intent_id (order));
  kassa_sql_bind_time_or_null (stmt, 23, kassa_order_get_created_at (order));
  kassa_sql_bind_time_or_null (stmt, 24, kassa_order_get_paid_at (order));
  sqlite3_bind_text (stmt, 25, updated_at, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      set_order_error_from_sqlite (error, db, rc, kassa_order_get_number (order),
                                         _("Saving an order"));
      return kassa_database_abort (self->database);
    }
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                   _("There is no order with id %" PRId64), kassa_order_get_id (order));
      return kassa_database_abort (self->database);
    }

  if (!kassa_order_is_locked (order) && !write_lines (self, order, totals, error))
    return kassa_database_abort (self->database);

  return kassa_database_commit (self->database, error);
}

/* Loads the order inside the caller's transaction, lets @apply change it
 * through the core rules, and writes @sql with the new value. */
typedef gboolean (*ApplyFunc) (KassaOrder    *order,
                               gconstpointer  value,
                               GError       **error);

static gboolean
change_order (KassaOrderRepository  *self,
              gint64                 order_id,
              ApplyFunc              apply,
              gconstpointer          value,
              const char            *sql,
              void                 (*bind) (sqlite3_stmt *stmt, KassaOrder *order),
              GError               **error)
{
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *updated_at = NULL;
  int rc;

  if (!kassa_database_begin (self->database, error))
    return FALSE;

  order = kassa_order_repository_load (self, order_id, error);
  if (order == NULL || !apply (order, value, error))
    return kassa_database_abort (self->database);

  stmt = kassa_database_prepare (self->database, sql, error);
  if (stmt == NULL)
    return kassa_database_abort (self->database);

  updated_at = kassa_store_now_text ();
  sqlite3_bind_int64 (stmt, 1, order_id);
  sqlite3_bind_text (stmt, 2, updated_at, -1, SQLITE_STATIC);
  bind (stmt, order);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      set_order_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         kassa_order_get_number (order), _("Saving an order"));
      return kassa_database_abort (self->database);
    }

  return kassa_database_commit (self->database, error);
}

static gboolean
apply_fulfilment (KassaOrder     *order,
                  gconstpointer   value,
                  GError        **error)
{
  return kassa_order_set_fulfilment_status (order, *(const KassaFulfilmentStatus *) value, error);
}

static void
bind_fulfilment (sqlite3_stmt *stmt,
                 KassaOrder   *order)
{
  bind_enum (stmt, 3, KASSA_TYPE_FULFILMENT_STATUS, kassa_order_get_fulfilment_status (order));
}

gboolean
kassa_order_repository_set_fulfilment_status (KassaOrderRepository   *self,
                                              gint64                  order_id,
                                              KassaFulfilmentStatus   status,
                                              GError                **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return change_order (self, order_id, apply_fulfilment, &status,
                       "UPDATE \"order\" SET fulfilment_status = ?3, updated_at = ?2 WHERE id = ?1",
                       bind_fulfilment, error);
}

static gboolean
apply_shipping_status (KassaOrder     *order,
                       gconstpointer   value,
                       GError        **error)
{
  kassa_order_set_shipping_status (order, value);
  return TRUE;
}

static void
bind_shipping_status (sqlite3_stmt *stmt,
                      KassaOrder   *order)
{
  const char *text = kassa_order_get_shipping_status (order);

  sqlite3_bind_text (stmt, 3, text ? text : "", -1, SQLITE_TRANSIENT);
}

gboolean
kassa_order_repository_set_shipping_status (KassaOrderRepository  *self,
                                            gint64                 order_id,
                                            const char            *shipping_status,
                                            GError               **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return change_order (self, order_id, apply_shipping_status, shipping_status,
                       "UPDATE \"order\" SET shipping_status = ?3, updated_at = ?2 WHERE id = ?1",
                       bind_shipping_status, error);
}

static gboolean
apply_tracking_url (KassaOrder     *order,
                    gconstpointer   value,
                    GError        **error)
{
  kassa_order_set_tracking_url (order, value);
  return TRUE;
}

static void
bind_tracking_url (sqlite3_stmt *stmt,
                   KassaOrder   *order)
{
  const char *text = kassa_order_get_tracking_url (order);

  sqlite3_bind_text (stmt, 3, text ? text : "", -1, SQLITE_TRANSIENT);
}

gboolean
kassa_order_repository_set_tracking_url (KassaOrderRepository  *self,
                                         gint64                 order_id,
                                         const char            *tracking_url,
                                         GError               **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return change_order (self, order_id, apply_tracking_url, tracking_url,
                       "UPDATE \"order\" SET tracking_url = ?3, updated_at = ?2 WHERE id = ?1",
                       bind_tracking_url, error);
}

typedef struct
{
  KassaPaymentStatus  status;
  GDateTime          *paid_at;
} PaymentChange;

static gboolean
apply_payment_status (KassaOrder     *order,
                      gconstpointer   value,
                      GError        **error)
{
  const PaymentChange *change = value;

  if (!kassa_order_set_payment_status (order, change->status, error))
    return FALSE;

  if (change->paid_at != NULL)
    kassa_order_set_paid_at (order, change->paid_at);

  return TRUE;
}

static void
bind_payment_status (sqlite3_stmt *stmt,
                     KassaOrder   *order)
{
  bind_enum (stmt, 3, KASSA_TYPE_PAYMENT_STATUS, kassa_order_get_payment_status (order));
  kassa_sql_bind_time_or_null (stmt, 4, kassa_order_get_paid_at (order));
}

/**
 * kassa_order_repository_set_payment_status:
 * @self: a #KassaOrderRepository
 * @order_id: the order's id
 * @status: the new payment status; must be a legal transition
 * @paid_at: (nullable): when it was paid, for @status paid
 * @error: a location for a #GError
 *
 * Returns: %TRUE when the status was saved; KASSA_ERROR_ILLEGAL_TRANSITION
 *   when the core refuses the change
 */
gboolean
kassa_order_repository_set_payment_status (KassaOrderRepository  *self,
                                           gint64                 order_id,
                                           KassaPaymentStatus     status,
                                           GDateTime             *paid_at,
                                           GError               **error)
{
  PaymentChange change = { status, paid_at };

  g_return_val_if_fail (KASSA_IS_ORDER_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return change_order (self, order_id, apply_payment_status, &change,
                       "UPDATE \"order\" SET payment_status = ?3, paid_at = ?4, updated_at = ?2 WHERE id = ?1",
                       bind_payment_status, error);
}

static gboolean
apply_dispute_status (KassaOrder     *order,
                      gconstpointer   value,
                      GError        **error)
{
  return kassa_order_set_dispute_status (order, *(const KassaDisputeStatus *) value, error);
}

static void
bind_dispute_status (sqlite3_stmt *stmt,
                     KassaOrder   *order)
{
  bind_enum (stmt, 3, KASSA_TYPE_DISPUTE_STATUS, kassa_order_get_dispute_status (order));
}

gboolean
kassa_order_repository_set_dispute_status (KassaOrderRepository  *self,
                                           gint64                 order_id,
                                           KassaDisputeStatus     status,
                                           GError               **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return change_order (self, order_id, apply_dispute_status, &status,
                       "UPDATE \"order\" SET dispute_status = ?3, updated_at = ?2 WHERE id = ?1",
                       bind_dispute_status, error);
}

static gboolean
apply_certify (KassaOrder     *order,
               gconstpointer   value,
               GError        **error)
{
  if (value != NULL)
    kassa_order_set_stripe_payment_intent_id (order, value);

  return kassa_order_set_certified (order, TRUE, error);
}

static void
bind_certify (sqlite3_stmt *stmt,
              KassaOrder   *order)
{
  kassa_sql_bind_text_or_null (stmt, 3, kassa_order_get_stripe_payment_intent_id (order));
}

/**
 * kassa_order_repository_certify:
 * @self: a #KassaOrderRepository
 * @order_id: a Stripe order's id
 * @stripe_payment_intent_id: (nullable): the PaymentIntent Stripe reported
 * @error: a location for a #GError
 *
 * Marks a Stripe order as certified by Stripe: from then on its amounts,
 * lines and addresses are locked, in the core and in the schema.
 *
 * Returns: %TRUE when saved
 */
gboolean
kassa_order_repository_certify (KassaOrderRepository  *self,
                                gint64                 order_id,
                                const char            *stripe_payment_intent_id,
                                GError               **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return change_order (self, order_id, apply_certify, stripe_payment_intent_id,
                       "UPDATE \"order\" SET certified = 1, stripe_payment_intent_id = ?3, updated_at = ?2 "
                       "WHERE id = ?1",
                       bind_certify, error);
}

/**
 * kassa_order_repository_add_payment:
 * @self: a #KassaOrderRepository
 * @order_id: the order's id
 * @payment: a new payment (a further tender of a split payment)
 * @error: a location for a #GError
 *
 * Adds a payment to a stored order after the core accepted it (same
 * currency, above zero, order still takes payments). The payment status
 * does not change here: the caller compares what was paid with the
 * totals and moves it with kassa_order_repository_set_payment_status(),
 * in the same transaction.
 *
 * Returns: the payment's id, or 0 with @error set
 */
gint64
kassa_order_repository_add_payment (KassaOrderRepository  *self,
                                    gint64                 order_id,
                                    KassaPayment          *payment,
                                    GError               **error)
{
  g_autoptr(KassaOrder) order = NULL;

  g_return_val_if_fail (KASSA_IS_ORDER_REPOSITORY (self), 0);
  g_return_val_if_fail (KASSA_IS_PAYMENT (payment), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (kassa_payment_get_id (payment) != 0)
    {
      g_set_error_literal (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                           _("The payment is already stored"));
      return 0;
    }

  if (!kassa_database_begin (self->database, error))
    return 0;

  order = kassa_order_repository_load (self, order_id, error);
  if (order == NULL ||
      !kassa_order_add_payment (order, payment, error) ||
      !insert_payment (self, order_id, payment, error))
    {
      kassa_payment_set_id (payment, 0);
      return kassa_database_abort (self->database);
    }

  if (!kassa_database_commit (self->database, error))
    {
      kassa_payment_set_id (payment, 0);
      return 0;
    }

  return kassa_payment_get_id (payment);
}

/**
 * kassa_order_repository_next_number:
 * @self: a #KassaOrderRepository
 * @error: a location for a #GError
 *
 * The number for the next order rung up at the till: "S-" and the next
 * row id, six digits at least. Call it inside the transaction that stores
 * the order: the write lock keeps it unique. Till numbers need not be
 * gapless (a rolled-back sale may skip one); invoices are.
 *
 * Returns: (transfer full): the number, or %NULL with @error set
 */
char *
kassa_order_repository_next_number (KassaOrderRepository  *self,
                                    GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_ORDER_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT coalesce (max (id), 0) + 1 FROM \"order\"",
                                 error);
  if (stmt == NULL)
    return NULL;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Numbering an order"));
      return NULL;
    }

  return g_strdup_printf ("S-%06" PRId64, (gint64) sqlite3_column_int64 (stmt, 0));
}

/**
 * kassa_order_repository_get_line_ids:
 * @self: a #KassaOrderRepository
 * @order_id: a stored order
 * @error: a location for a #GError
 *
 * The row ids of the order's lines, in line order, for records that point
 * at one line (a service session sold on it, a refund of it).
 *
 * Returns: (transfer full) (element-type gint64): the ids, or %NULL with
 *   @error set
 */
GArray *
kassa_order_repository_get_line_ids (KassaOrderRepository  *self,
                                     gint64                 order_id,
                                     GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  g_return_val_if_fail (KASSA_IS_ORDER_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT id FROM order_line WHERE order_id = ?1 ORDER BY position",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, order_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }

  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading an order"));
      return NULL;
    }

  return g_steal_pointer (&ids);
}
