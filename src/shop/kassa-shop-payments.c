/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-shop-payments"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "kassa-cash-provider.h"
#include "kassa-currency.h"
#include "kassa-document-totals.h"
#include "kassa-error.h"
#include "kassa-invoice-repository.h"
#include "kassa-money.h"
#include "kassa-order-repository.h"
#include "kassa-payment-error.h"
#include "kassa-refund-repository.h"
#include "kassa-shop-payments.h"
#include "kassa-shop-private.h"
#include "kassa-stripe-checkout-provider.h"
#include "kassa-stripe-state-repository.h"
#include "kassa-stripe-sync.h"

/* How often a payment whose outcome is unknown is started again (with
 * the same keys) before the shop gives the question back to people. */
#define MAX_PAYMENT_TRIES 2

/* When a queued Stripe request is tried again after a failure. */

typedef struct
{
  KassaPaymentProvider *provider;
  KassaPaymentRequest  *request;
  GCancellable         *cancellable;
  gboolean              stored;
  guint                 tries;
  gint64                payment_id;
} PayData;

typedef struct
{
  KassaPaymentProvider      *provider;
  KassaPaymentRefundRequest *request;
  gint64                     refund_id;
  gboolean                   stored;
  KassaInvoice              *credit_note;
} RefundData;

static const char * const refund_reason_texts[] = {
  [KASSA_REFUND_REASON_REQUESTED_BY_CUSTOMER] = "requested_by_customer",
  [KASSA_REFUND_REASON_DUPLICATE] = "duplicate",
  [KASSA_REFUND_REASON_FRAUDULENT] = "fraudulent",
  [KASSA_REFUND_REASON_OTHER] = "other",
};

/* Helpers */

static void
pay_data_free (gpointer data)
{
  PayData *pay = data;

  g_clear_object (&pay->provider);
  g_clear_object (&pay->cancellable);
  kassa_payment_request_free (pay->request);
  g_free (pay);
}

static void
refund_data_free (gpointer data)
{
  RefundData *refund = data;

  g_clear_object (&refund->provider);
  g_clear_object (&refund->credit_note);
  kassa_payment_refund_request_free (refund->request);
  g_free (refund);
}

static gboolean
is_stripe_provider (const char *provider_id)
{
  return g_str_has_prefix (provider_id, "stripe");
}

/* Errors after which a request may still reach Stripe later. */
static gboolean
is_transient (const GError *error)
{
  return g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_NETWORK) ||
         g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_TIMEOUT) ||
         g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_API) ||
         g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_RATE_LIMITED) ||
         g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME) ||
         g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_CANCELLED);
}

static char *
id_text (gint64 id)
{
  return g_strdup_printf ("%" PRId64, id);
}

/* Lines are shown only when the whole order is paid at once; their
 * amounts come from the totals engine, so they add up to the total. */
static void
add_order_lines (KassaPaymentRequest *request,
                 KassaOrder          *order)
{
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(GError) error = NULL;
  KassaTaxSettings settings = { 0, };
  GListModel *lines = kassa_order_get_lines (order);
  guint n = g_list_model_get_n_items (lines);

  settings.currency = kassa_currency_lookup (kassa_order_get_currency_code (order), &error);
  if (settings.currency == NULL)
    return;
  totals = kassa_order_compute_totals (order, &settings, 0, &error);
  if (totals == NULL)
    {
      g_debug ("No lines for the payment page: %s", error->message);
      return;
    }

  for (guint i = 0; i < kassa_totals_get_n_lines (totals); i++)
    {
      const KassaLineTotals *line_totals = kassa_totals_get_line (totals, i);

      if (i < n)
        {
          g_autoptr(KassaOrderLine) line = g_list_model_get_item (lines, i);

          kassa_payment_request_add_line (request, kassa_order_line_get_name (line),
                                          kassa_order_line_get_quantity (line),
                                          kassa_order_line_get_unit_price (line),
                                          line_totals->total, NULL, 0);
        }
      else
        kassa_payment_request_add_line (request, _("Shipping"), KASSA_QUANTITY_ONE,
                                        line_totals->total, line_totals->total, NULL, 0);
    }
}

static KassaPayment *
find_payment (KassaOrder *order,
              gint64      payment_id)
{
  GListModel *payments = kassa_order_get_payments (order);

  for (guint i = 0; i < g_list_model_get_n_items (payments); i++)
    {
      g_autoptr(KassaPayment) payment = g_list_model_get_item (payments, i);

      if (kassa_payment_get_id (payment) == payment_id)
        return g_steal_pointer (&payment);
    }

  return NULL;
}

/* Paying */

static gboolean
record_payment (KassaShop                *self,
                PayData                  *pay,
                const KassaPaymentResult *result,
                GError                  **error)
{
  KassaDatabase *database = kassa_shop_get_database (self);
  g_autoptr(KassaOrderRepository) orders = kassa_order_repository_new (database);
  g_autoptr(KassaStripeStateRepository) state = kassa_stripe_state_repository_new (database);
  g_autoptr(KassaPayment) payment = kassa_payment_new ();
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  g_autoptr(KassaJournalEntry) entry = NULL;
  g_autofree char *order_id = id_text (pay->request->order_id);
  KassaOrderStoredTotals totals;
  const char *reference = result->provider_reference != NULL ? result->provider_reference
                                                             : result->checkout_session_id;
  gboolean paid_in_full;
  gint64 covered;

  if (!kassa_database_begin (database, error))
    return FALSE;

  order = kassa_order_repository_load (orders, pay->request->order_id, error);
  if (order == NULL ||
      !kassa_order_repository_load_totals (orders, pay->request->order_id, &totals, error))
    return kassa_database_abort (database);

  kassa_payment_set_provider_id (payment, result->provider_id);
  kassa_payment_set_amount (payment, result->amount);
  kassa_payment_set_currency_code (payment, result->currency_code);
  kassa_payment_set_method_label (payment, result->method_label);
  kassa_payment_set_reference (payment, reference);
  kassa_payment_set_paid_at (payment, result->paid_at);

  /* Cash rounding pays off the rounded-away part of what was due. */
  covered = kassa_order_get_amount_paid (order) + result->amount - result->rounding;
  paid_in_full = covered >= totals.total;

  pay->payment_id = kassa_order_repository_add_payment (orders, pay->request->order_id, payment, error);
  if (pay->payment_id == 0)
    return kassa_database_abort (database);

  if (paid_in_full && kassa_order_get_payment_status (order) != KASSA_PAYMENT_STATUS_PAID &&
      !kassa_order_repository_set_payment_status (orders, pay->request->order_id,
                                                  KASSA_PAYMENT_STATUS_PAID, result->paid_at, error))
    return kassa_database_abort (database);

  if (paid_in_full && kassa_order_get_mode (order) == KASSA_ORDER_MODE_STRIPE &&
      !kassa_order_get_certified (order) && result->provider_reference != NULL &&
      !kassa_order_repository_certify (orders, pay->request->order_id, result->provider_reference, error))
    return kassa_database_abort (database);

  if (pay->stored &&
      !kassa_stripe_state_repository_finish_request (state, pay->request->idempotency_key,
                                                     KASSA_STRIPE_OUTCOME_SUCCEEDED, reference, error))
    return kassa_database_abort (database);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "order_id");
  json_builder_add_int_value (builder, pay->request->order_id);
  json_builder_set_member_name (builder, "order_number");
  json_builder_add_string_value (builder, kassa_order_get_number (order));
  json_builder_set_member_name (builder, "payment_id");
  json_builder_add_int_value (builder, pay->payment_id);
  json_builder_set_member_name (builder, "provider");
  json_builder_add_string_value (builder, result->provider_id);
  json_builder_set_member_name (builder, "amount");
  json_builder_add_int_value (builder, result->amount);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, result->currency_code);
  if (reference != NULL)
    {
      json_builder_set_member_name (builder, "reference");
      json_builder_add_string_value (builder, reference);
    }
  if (g_strcmp0 (result->provider_id, KASSA_CASH_PROVIDER_ID) == 0)
    {
      json_builder_set_member_name (builder, "tendered");
      json_builder_add_int_value (builder, result->tendered);
      json_builder_set_member_name (builder, "change");
      json_builder_add_int_value (builder, result->change);
      json_builder_set_member_name (builder, "rounding");
      json_builder_add_int_value (builder, result->rounding);
    }
  json_builder_set_member_name (builder, "paid_in_full");
  json_builder_add_boolean_value (builder, paid_in_full);
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  entry = kassa_journal_append (kassa_shop_get_journal (self), "payment", details, error);
  if (entry == NULL ||
      kassa_audit_log_record (kassa_shop_get_audit_log (self), kassa_shop_get_actor_id (self),
                              "order.payment", "order", order_id, details, error) == 0)
    return kassa_database_abort (database);

  return kassa_database_commit (database, error);
}

/* @unknown: whether Stripe may have made the intent or session (and
 * taken money) all the same, so the settling pass must look at it. */
static void
record_payment_failure (KassaShop    *self,
                        PayData      *pay,
                        const GError *failure,
                        gboolean      unknown)
{
  KassaDatabase *database = kassa_shop_get_database (self);
  g_autoptr(KassaStripeStateRepository) state = kassa_stripe_state_repository_new (database);
  g_autoptr(KassaOrderRepository) orders = kassa_order_repository_new (database);
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *order_id = id_text (pay->request->order_id);

  if (!kassa_database_begin (database, &error))
    goto out;

  if (pay->stored &&
      (!kassa_stripe_state_repository_note_attempt (state, pay->request->idempotency_key,
                                                    failure->message, &error) ||
       !kassa_stripe_state_repository_finish_request (state, pay->request->idempotency_key,
                                                      unknown ? KASSA_STRIPE_OUTCOME_UNKNOWN
                                                              : KASSA_STRIPE_OUTCOME_FAILED,
                                                      NULL, &error)))
    {
      kassa_database_abort (database);
      goto out;
    }

  /* A declined card is a failed attempt the customer may retry. */
  order = kassa_order_repository_load (orders, pay->request->order_id, NULL);
  if (order != NULL && kassa_order_get_payment_status (order) == KASSA_PAYMENT_STATUS_CREATED &&
      g_error_matches (failure, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_DECLINED) &&
      !kassa_order_repository_set_payment_status (orders, pay->request->order_id,
                                                  KASSA_PAYMENT_STATUS_FAILED, NULL, &error))
    {
      kassa_database_abort (database);
      goto out;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "provider");
  json_builder_add_string_value (builder, kassa_payment_provider_get_id (pay->provider));
  json_builder_set_member_name (builder, "amount");
  json_builder_add_int_value (builder, pay->request->amount);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, failure->message);
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  if (kassa_audit_log_record (kassa_shop_get_audit_log (self), kassa_shop_get_actor_id (self),
                              unknown ? "order.payment_unknown" : "order.payment_failed",
                              "order", order_id, details, &error) == 0)
    {
      kassa_database_abort (database);
      goto out;
    }

  kassa_database_commit (database, &error);

out:
  if (error != NULL)
    g_warning ("Could not record a failed payment of order %s: %s", order_id, error->message);
}

static void
pay_start_cb (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KassaShop *self = g_task_get_source_object (task);
  PayData *pay = g_task_get_task_data (task);
  g_autoptr(KassaPaymentResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = kassa_payment_provider_start_finish (KASSA_PAYMENT_PROVIDER (object), res, &error);
  if (result == NULL)
    {
      /* Starting again with the same request repeats the same keys and
       * bodies: Stripe answers with what it did the first time. */
      if (g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME) &&
          pay->tries < MAX_PAYMENT_TRIES)
        {
          g_autoptr(KassaStripeStateRepository) state =
            kassa_stripe_state_repository_new (kassa_shop_get_database (self));
          g_autoptr(GError) note_error = NULL;

          if (pay->stored &&
              !kassa_stripe_state_repository_note_attempt (state, pay->request->idempotency_key,
                                                           error->message, &note_error))
            g_warning ("Could not note a payment attempt: %s", note_error->message);

          pay->tries++;
          kassa_payment_provider_start_async (pay->provider, pay->request, pay->cancellable,
                                              pay_start_cb, g_steal_pointer (&task));
          return;
        }

      /* An earlier try ended without an answer, so the intent or session
       * may exist and hold money whatever this try says: a 429 is refused
       * before Stripe looks at the key, a lost answer tells nothing. Only
       * the object itself settles it, so the request stays unknown for
       * the settling pass, and the cashier is not told that nothing was
       * taken unless the card or the cashier ended it. */
      if (pay->tries > 1 &&
          !g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME) &&
          !g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_DECLINED) &&
          !g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_CARD) &&
          !g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_CANCELLED))
        {
          GError *unknown = g_error_new_literal (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME,
                                                 _("It is not known whether the payment went through. "
                                                   "Check it before trying again."));

          g_debug ("Payment of order %" PRId64 " still unknown after %u tries: %s",
                   pay->request->order_id, pay->tries, error->message);
          g_clear_error (&error);
          error = unknown;
        }

      record_payment_failure (self, pay, error,
                              pay->tries > 1 ||
                              g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!record_payment (self, pay, result, &error))
    {
      /* The money is in but not booked: say so loudly, with the key that
       * finds it again. */
      g_warning ("Payment %s of order %" PRId64 " taken but not recorded: %s",
                 result->provider_reference != NULL ? result->provider_reference : "(cash)",
                 pay->request->order_id, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) kassa_payment_result_free);
}

/* Public API */

static gboolean
load_due (KassaShop   *self,
          gint64       order_id,
          KassaOrder **out_order,
          gint64      *out_total,
          gint64      *out_due,
          GError     **error)
{
  g_autoptr(KassaOrderRepository) orders = kassa_order_repository_new (kassa_shop_get_database (self));
  g_autoptr(KassaOrder) order = NULL;
  KassaOrderStoredTotals totals;

  order = kassa_order_repository_load (orders, order_id, error);
  if (order == NULL || !kassa_order_repository_load_totals (orders, order_id, &totals, error))
    return FALSE;

  *out_total = totals.total;
  *out_due = MAX (totals.total - kassa_order_get_amount_paid (order), 0);
  if (kassa_order_get_payment_status (order) != KASSA_PAYMENT_STATUS_CREATED &&
      kassa_order_get_payment_status (order) != KASSA_PAYMENT_STATUS_FAILED)
    *out_due = 0;
  if (out_order != NULL)
    *out_order = g_steal_pointer (&order);

  return TRUE;
}

/**
 * kassa_shop_get_order_balance:
 *
 * Returns: what is still to pay on the order in minor units (0 when it
 *   is paid, or no longer takes payments), or -1 with @error set
 */
gint64
kassa_shop_get_order_balance (KassaShop  *self,
                              gint64      order_id,
                              GError    **error)
{
  gint64 total;
  gint64 due;

  g_return_val_if_fail (KASSA_IS_SHOP (self), -1);

  if (!load_due (self, order_id, NULL, &total, &due, error))
    return -1;

  return due;
}

/* The request @provider is about to send for @entity_kind @entity_id
 * goes to disk with its idempotency key before it leaves, so a crash or
 * a lost answer can always be settled with it. *@out_stored tells
 * whether there was one: cash sends nothing. */
static gboolean
store_request (KassaShop             *self,
               KassaPaymentProvider  *provider,
               KassaPaymentRequest   *request,
               const char            *entity_kind,
               gint64                 entity_id,
               gboolean              *out_stored,
               GError               **error)
{
  g_autoptr(KassaStripeStateRepository) state = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *method = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  KassaStripeRequest row = { 0 };

  *out_stored = FALSE;
  if (!kassa_payment_provider_describe_start (provider, request, &method, &path, &body, &local_error))
    {
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  state = kassa_stripe_state_repository_new (kassa_shop_get_database (self));
  row.idempotency_key = request->idempotency_key;
  row.method = method;
  row.path = path;
  row.body = body;
  row.entity_kind = (char *) entity_kind;
  row.entity_id = entity_id;
  row.outcome = KASSA_STRIPE_OUTCOME_PENDING;
  if (!kassa_stripe_state_repository_add_request (state, &row, error))
    return FALSE;

  *out_stored = TRUE;
  return TRUE;
}

/**
 * kassa_shop_pay_order_async:
 * @provider: who takes the money
 * @order_id: a stored order
 * @amount: minor units to take now; 0 for all that is due
 * @tendered: cash handed over, for the cash provider
 *
 * Takes one payment for the order; see the header for what is stored when.
 */
void
kassa_shop_pay_order_async (KassaShop            *self,
                            KassaPaymentProvider *provider,
                            gint64                order_id,
                            gint64                amount,
                            gint64                tendered,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  KassaPaymentRequest *request;
  PayData *pay;
  gint64 total;
  gint64 due;

  g_return_if_fail (KASSA_IS_SHOP (self));
  g_return_if_fail (KASSA_IS_PAYMENT_PROVIDER (provider));
  g_return_if_fail (amount >= 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kassa_shop_pay_order_async);
  /* The provider decides what a cancel means (a payment may beat it). */
  g_task_set_check_cancellable (task, FALSE);

  if (!kassa_shop_check_permission (self, KASSA_PERMISSION_SELL, &error) ||
      !load_due (self, order_id, &order, &total, &due, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (due == 0)
    {
      g_task_return_new_error (task, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION,
                               _("Order %s has nothing left to pay"), kassa_order_get_number (order));
      return;
    }
  if (amount == 0)
    amount = due;
  if (amount > due)
    {
      g_task_return_new_error (task, KASSA_ERROR, KASSA_ERROR_INVALID,
                               _("The payment is more than order %s still owes"),
                               kassa_order_get_number (order));
      return;
    }

  request = kassa_payment_request_new (order_id, amount, kassa_order_get_currency_code (order));
  request->order_number = g_strdup (kassa_order_get_number (order));
  request->description = g_strdup_printf (_("Order %s"), kassa_order_get_number (order));
  request->tendered = tendered;
  if (amount == total)
    add_order_lines (request, order);
  if (g_strcmp0 (kassa_payment_provider_get_id (provider), KASSA_CASH_PROVIDER_ID) != 0)
    request->idempotency_key = kassa_stripe_client_new_idempotency_key ();

  pay = g_new0 (PayData, 1);
  pay->provider = g_object_ref (provider);
  pay->request = request;
  pay->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  pay->tries = 1;
  g_task_set_task_data (task, pay, pay_data_free);

  if (!store_request (self, provider, request, "order", order_id, &pay->stored, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  kassa_payment_provider_start_async (provider, request, cancellable, pay_start_cb,
                                      g_steal_pointer (&task));
}

/**
 * kassa_shop_pay_order_finish:
 * @out_payment_id: (out) (optional): the stored payment's id
 *
 * Returns: (transfer full): what was paid, or %NULL with @error set
 */
KassaPaymentResult *
kassa_shop_pay_order_finish (KassaShop     *self,
                             GAsyncResult  *result,
                             gint64        *out_payment_id,
                             GError       **error)
{
  KassaPaymentResult *paid;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  paid = g_task_propagate_pointer (G_TASK (result), error);
  if (out_payment_id != NULL)
    *out_payment_id = paid != NULL ? ((PayData *) g_task_get_task_data (G_TASK (result)))->payment_id : 0;

  return paid;
}

/* Refunding */

static gboolean
book_refund (KassaShop         *self,
             gint64             refund_id,
             KassaRefundStatus  status,
             const char        *stripe_refund_id,
             const char        *idempotency_key,
             const char        *action,
             GError           **error)
{
  KassaDatabase *database = kassa_shop_get_database (self);
  g_autoptr(KassaRefundRepository) refunds = kassa_refund_repository_new (database);
  g_autoptr(KassaStripeStateRepository) state = kassa_stripe_state_repository_new (database);
  g_autoptr(KassaRefund) refund = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *order_id = NULL;

  if (!kassa_database_begin (database, error))
    return FALSE;

  if (!kassa_refund_repository_set_status (refunds, refund_id, status, stripe_refund_id, error))
    return kassa_database_abort (database);
  refund = kassa_refund_repository_load (refunds, refund_id, error);
  if (refund == NULL)
    return kassa_database_abort (database);
  order_id = id_text (refund->order_id);

  if (idempotency_key != NULL &&
      !kassa_stripe_state_repository_finish_request (state, idempotency_key,
                                                     status == KASSA_REFUND_STATUS_FAILED
                                                       ? KASSA_STRIPE_OUTCOME_FAILED
                                                       : KASSA_STRIPE_OUTCOME_SUCCEEDED,
                                                     stripe_refund_id, error))
    return kassa_database_abort (database);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "order_id");
  json_builder_add_int_value (builder, refund->order_id);
  json_builder_set_member_name (builder, "refund_id");
  json_builder_add_int_value (builder, refund->id);
  json_builder_set_member_name (builder, "payment_id");
  json_builder_add_int_value (builder, refund->payment_id);
  json_builder_set_member_name (builder, "amount");
  json_builder_add_int_value (builder, refund->amount);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, refund->currency_code);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, refund_reason_texts[refund->reason]);
  if (refund->stripe_refund_id != NULL)
    {
      json_builder_set_member_name (builder, "stripe_refund_id");
      json_builder_add_string_value (builder, refund->stripe_refund_id);
    }
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  /* Only money that went back belongs in the journal. */
  if (status == KASSA_REFUND_STATUS_SUCCEEDED)
    {
      g_autoptr(KassaJournalEntry) entry = kassa_journal_append (kassa_shop_get_journal (self),
                                                                 "refund", details, error);

      if (entry == NULL)
        return kassa_database_abort (database);
    }

  if (kassa_audit_log_record (kassa_shop_get_audit_log (self), kassa_shop_get_actor_id (self),
                              action, "order", order_id, details, error) == 0)
    return kassa_database_abort (database);

  return kassa_database_commit (database, error);
}

static gboolean
queue_refund (KassaShop    *self,
              RefundData   *data,
              const GError *failure,
              GError      **error)
{
  KassaDatabase *database = kassa_shop_get_database (self);
  g_autoptr(KassaRefundRepository) refunds = kassa_refund_repository_new (database);
  g_autoptr(KassaStripeStateRepository) state = kassa_stripe_state_repository_new (database);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *order_id = id_text (data->request->order_id);
  gboolean unknown = !g_error_matches (failure, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_NETWORK);

  if (!kassa_database_begin (database, error))
    return FALSE;

  /* Nothing left when the network was down (pending); anything else may
   * have reached Stripe (unknown). Both hold their amount. */
  if ((unknown &&
       !kassa_refund_repository_set_status (refunds, data->refund_id, KASSA_REFUND_STATUS_UNKNOWN,
                                            NULL, error)) ||
      !kassa_stripe_state_repository_note_attempt (state, data->request->idempotency_key,
                                                   failure->message, error) ||
      (unknown &&
       !kassa_stripe_state_repository_finish_request (state, data->request->idempotency_key,
                                                      KASSA_STRIPE_OUTCOME_UNKNOWN, NULL, error)) ||
      kassa_stripe_state_repository_enqueue (state, data->request->idempotency_key, now, error) == 0)
    return kassa_database_abort (database);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "refund_id");
  json_builder_add_int_value (builder, data->refund_id);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, failure->message);
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  if (kassa_audit_log_record (kassa_shop_get_audit_log (self), kassa_shop_get_actor_id (self),
                              "order.refund_queued", "order", order_id, details, error) == 0)
    return kassa_database_abort (database);

  return kassa_database_commit (database, error);
}

static void
refund_return (GTask  *task,
               gint64  refund_id)
{
  KassaShop *self = g_task_get_source_object (task);
  g_autoptr(KassaRefundRepository) refunds = kassa_refund_repository_new (kassa_shop_get_database (self));
  GError *error = NULL;
  KassaRefund *refund = kassa_refund_repository_load (refunds, refund_id, &error);

  if (refund == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, refund, (GDestroyNotify) kassa_refund_free);
}

static void
refund_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KassaShop *self = g_task_get_source_object (task);
  RefundData *data = g_task_get_task_data (task);
  g_autoptr(KassaPaymentRefundResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) book_error = NULL;

  result = kassa_payment_provider_refund_finish (KASSA_PAYMENT_PROVIDER (object), res, &error);
  if (result != NULL)
    {
      if (!book_refund (self, data->refund_id,
                        result->succeeded ? KASSA_REFUND_STATUS_SUCCEEDED : KASSA_REFUND_STATUS_PENDING,
                        result->refund_reference, data->stored ? data->request->idempotency_key : NULL,
                        "order.refund", &book_error))
        {
          g_warning ("Refund %s made but not recorded: %s",
                     result->refund_reference != NULL ? result->refund_reference : "(cash)",
                     book_error->message);
          g_task_return_error (task, g_steal_pointer (&book_error));
          return;
        }
      refund_return (task, data->refund_id);
      return;
    }

  if (data->stored && is_transient (error))
    {
      if (!queue_refund (self, data, error, &book_error))
        {
          g_task_return_error (task, g_steal_pointer (&book_error));
          return;
        }
      refund_return (task, data->refund_id);
      return;
    }

  if (!book_refund (self, data->refund_id, KASSA_REFUND_STATUS_FAILED, NULL,
                    data->stored ? data->request->idempotency_key : NULL,
                    "order.refund_failed", &book_error))
    g_warning ("Could not record a refused refund: %s", book_error->message);
  g_task_return_error (task, g_steal_pointer (&error));
}

/* What @lines of @order come to, worked out by the totals engine under
 * the rules the order was sold with, so that a refund of lines gives
 * back what those lines cost and a credit note for them (same rules,
 * same engine) comes to the same figure. A percentage discount applies
 * to a part as to the whole; a fixed amount does not divide that way, so
 * a line with one goes back whole and an order with one is refunded by
 * amount. */
static KassaTotals *
refunded_lines_totals (KassaOrder                *order,
                       const KassaShopRefundLine *lines,
                       guint                      n_lines,
                       GError                   **error)
{
  GListModel *model = kassa_order_get_lines (order);
  guint n_order_lines = g_list_model_get_n_items (model);
  g_autofree KassaTotalsLine *figures = NULL;
  KassaTaxSettings settings = { 0, };
  KassaTotalsOptions options = { 0, };

  settings.currency = kassa_currency_lookup (kassa_order_get_currency_code (order), error);
  if (settings.currency == NULL)
    return NULL;
  settings.prices_include_tax = kassa_order_get_prices_include_tax (order);
  settings.tax_scope = kassa_order_get_tax_scope (order);
  settings.rounding = kassa_order_get_rounding (order);

  if (kassa_order_get_discount_kind (order) == KASSA_DISCOUNT_AMOUNT)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("Order %s has a discount of a fixed amount; refund it by amount"),
                   kassa_order_get_number (order));
      return NULL;
    }
  options.discount_kind = kassa_order_get_discount_kind (order);
  options.discount_value = kassa_order_get_discount_value (order);

  figures = g_new0 (KassaTotalsLine, n_lines);
  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(KassaOrderLine) line = NULL;

      if (lines[i].line_position >= n_order_lines)
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                       _("Order %s has no line %u"), kassa_order_get_number (order),
                       lines[i].line_position + 1);
          return NULL;
        }
      for (guint j = 0; j < i; j++)
        if (lines[j].line_position == lines[i].line_position)
          {
            g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                         _("Line %u is named twice in one refund"), lines[i].line_position + 1);
            return NULL;
          }

      line = g_list_model_get_item (model, lines[i].line_position);
      if (lines[i].quantity <= 0 || lines[i].quantity > kassa_order_line_get_quantity (line))
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                       _("Line %u can give back more than zero and at most what was sold"),
                       lines[i].line_position + 1);
          return NULL;
        }
      if (kassa_order_line_get_discount_kind (line) == KASSA_DISCOUNT_AMOUNT &&
          lines[i].quantity != kassa_order_line_get_quantity (line))
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                       _("Line %u has a discount of a fixed amount and goes back whole only"),
                       lines[i].line_position + 1);
          return NULL;
        }

      figures[i].quantity = lines[i].quantity;
      figures[i].unit_price = kassa_order_line_get_unit_price (line);
      figures[i].tax_rate = kassa_order_line_get_tax_rate (line);
      figures[i].discount_kind = kassa_order_line_get_discount_kind (line);
      figures[i].discount_value = kassa_order_line_get_discount_value (line);
    }

  return kassa_totals_compute (&settings, &options, figures, n_lines, error);
}

/* The issued invoice of @order_id, NULL (no error) when it has none. */
static KassaInvoice *
load_order_invoice (KassaShop  *self,
                    gint64      order_id,
                    GError    **error)
{
  g_autoptr(KassaInvoiceRepository) invoices = kassa_invoice_repository_new (kassa_shop_get_database (self));
  g_autoptr(GError) local_error = NULL;
  KassaInvoice *invoice = kassa_invoice_repository_load_for_order (invoices, order_id, &local_error);

  if (invoice == NULL && !g_error_matches (local_error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));

  return invoice;
}

/* The credit note for the refunded lines of an invoiced order: line i
 * of the invoice is line i of the order (its shipping, if any, comes
 * last and is not refunded by lines). */
static KassaInvoice *
credit_refunded_lines (KassaShop                 *self,
                       KassaInvoice              *invoice,
                       const KassaShopRefundLine *lines,
                       guint                      n_lines,
                       GError                   **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint n_invoice_lines = g_list_model_get_n_items (kassa_invoice_get_lines (invoice));
  g_autofree gint64 *quantities = g_new0 (gint64, MAX (n_invoice_lines, 1));

  for (guint i = 0; i < n_lines; i++)
    {
      if (lines[i].line_position >= n_invoice_lines)
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                       _("Invoice %s has no line %u"), kassa_invoice_get_reference (invoice),
                       lines[i].line_position + 1);
          return NULL;
        }
      quantities[lines[i].line_position] = lines[i].quantity;
    }

  return kassa_shop_credit_invoice_unchecked (self, kassa_invoice_get_id (invoice), quantities,
                                              n_invoice_lines, now, error);
}

static void
start_refund (GTask                     *task,
              KassaPaymentProvider      *provider,
              gint64                     order_id,
              gint64                     payment_id,
              gint64                     amount,
              const KassaShopRefundLine *lines,
              guint                      n_lines,
              KassaRefundReason          reason,
              const char                *note,
              GCancellable              *cancellable)
{
  KassaShop *self = g_task_get_source_object (task);
  KassaDatabase *database;
  g_autoptr(KassaOrderRepository) orders = NULL;
  g_autoptr(KassaRefundRepository) refunds = NULL;
  g_autoptr(KassaStripeStateRepository) state = NULL;
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(KassaPayment) payment = NULL;
  g_autoptr(KassaRefund) refund = NULL;
  g_autoptr(KassaTotals) line_figures = NULL;
  g_autoptr(KassaInvoice) invoice = NULL;
  g_autoptr(GError) error = NULL;
  KassaPaymentRefundRequest *request;
  RefundData *data;
  gint64 remaining;

  if (!kassa_shop_check_permission (self, KASSA_PERMISSION_APPROVE_REFUND, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  database = kassa_shop_get_database (self);
  orders = kassa_order_repository_new (database);
  refunds = kassa_refund_repository_new (database);
  state = kassa_stripe_state_repository_new (database);

  order = kassa_order_repository_load (orders, order_id, &error);
  if (order == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  payment = find_payment (order, payment_id);
  if (payment == NULL)
    {
      g_task_return_new_error (task, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                               _("Order %s has no such payment"), kassa_order_get_number (order));
      return;
    }
  if (g_strcmp0 (kassa_payment_get_provider_id (payment), kassa_payment_provider_get_id (provider)) != 0)
    {
      g_task_return_new_error (task, KASSA_ERROR, KASSA_ERROR_INVALID,
                               _("The payment was taken by %s; refund it there"),
                               kassa_payment_get_provider_id (payment));
      return;
    }

  if (lines != NULL)
    {
      line_figures = refunded_lines_totals (order, lines, n_lines, &error);
      if (line_figures == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      amount = kassa_totals_get_total (line_figures);
    }

  remaining = kassa_payment_get_amount (payment) - kassa_payment_get_refunded_amount (payment);
  if (amount == 0)
    amount = remaining;
  if (amount <= 0 || amount > remaining)
    {
      g_task_return_new_error (task, KASSA_ERROR, KASSA_ERROR_INVALID,
                               _("The refund is more than is left of the payment"));
      return;
    }

  request = kassa_payment_refund_request_new ();
  request->order_id = order_id;
  request->order_number = g_strdup (kassa_order_get_number (order));
  request->provider_reference = g_strdup (kassa_payment_get_reference (payment));
  request->amount = amount;
  request->currency_code = g_strdup (kassa_order_get_currency_code (order));
  switch (reason)
    {
    case KASSA_REFUND_REASON_REQUESTED_BY_CUSTOMER:
      request->reason = KASSA_PAYMENT_REFUND_REASON_REQUESTED_BY_CUSTOMER;
      break;
    case KASSA_REFUND_REASON_DUPLICATE:
      request->reason = KASSA_PAYMENT_REFUND_REASON_DUPLICATE;
      break;
    case KASSA_REFUND_REASON_FRAUDULENT:
      request->reason = KASSA_PAYMENT_REFUND_REASON_FRAUDULENT;
      break;
    default:
      request->reason = KASSA_PAYMENT_REFUND_REASON_NONE;
    }

  data = g_new0 (RefundData, 1);
  data->provider = g_object_ref (provider);
  data->request = request;
  g_task_set_task_data (task, data, refund_data_free);

  if (is_stripe_provider (kassa_payment_provider_get_id (provider)))
    request->idempotency_key = kassa_stripe_client_new_idempotency_key ();

  refund = kassa_refund_new ();
  refund->order_id = order_id;
  refund->payment_id = payment_id;
  refund->amount = amount;
  refund->reason = reason;
  refund->note = g_strdup (note);
  refund->status = KASSA_REFUND_STATUS_PENDING;
  refund->idempotency_key = g_strdup (request->idempotency_key);
  refund->requested_by = kassa_shop_get_actor_id (self);
  refund->approved_by = kassa_shop_get_actor_id (self);
  for (guint i = 0; line_figures != NULL && i < n_lines; i++)
    kassa_refund_add_line (refund, lines[i].line_position, lines[i].quantity,
                           kassa_totals_get_line (line_figures, i)->total);

  /* The refund (holding its amount), its key and, for an invoiced
   * order, the credit note for its lines are on disk together before
   * the request leaves. */
  if (!kassa_database_begin (database, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->refund_id = kassa_refund_repository_create (refunds, refund, &error);
  if (data->refund_id == 0)
    {
      kassa_database_abort (database);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  request->refund_id = data->refund_id;

  if (lines != NULL)
    {
      invoice = load_order_invoice (self, order_id, &error);
      if (error != NULL)
        {
          kassa_database_abort (database);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (invoice != NULL)
        {
          data->credit_note = credit_refunded_lines (self, invoice, lines, n_lines, &error);
          if (data->credit_note == NULL)
            {
              kassa_database_abort (database);
              g_task_return_error (task, g_steal_pointer (&error));
              return;
            }
        }
    }

  if (request->idempotency_key != NULL)
    {
      g_autoptr(KassaStripeForm) form = kassa_stripe_refund_build_form (request, &error);
      g_autofree char *body = form != NULL ? kassa_stripe_form_encode (form) : NULL;
      KassaStripeRequest row = {
        .idempotency_key = request->idempotency_key,
        .method = (char *) "POST",
        .path = (char *) "/v1/refunds",
        .body = body,
        .entity_kind = (char *) "refund",
        .entity_id = data->refund_id,
        .outcome = KASSA_STRIPE_OUTCOME_PENDING,
      };

      if (form == NULL || !kassa_stripe_state_repository_add_request (state, &row, &error))
        {
          kassa_database_abort (database);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      data->stored = TRUE;
    }

  if (!kassa_database_commit (database, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  kassa_payment_provider_refund_async (provider, request, cancellable, refund_cb,
                                       g_object_ref (task));
}

/**
 * kassa_shop_refund_payment_async:
 * @provider: the provider that took the payment
 * @order_id: the order
 * @payment_id: its payment to refund
 * @amount: minor units, 0 for all that is left of the payment
 * @reason: why
 * @note: (nullable): free text
 *
 * Gives money back; needs the refund-approver permission.
 */
void
kassa_shop_refund_payment_async (KassaShop            *self,
                                 KassaPaymentProvider *provider,
                                 gint64                order_id,
                                 gint64                payment_id,
                                 gint64                amount,
                                 KassaRefundReason     reason,
                                 const char           *note,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KASSA_IS_SHOP (self));
  g_return_if_fail (KASSA_IS_PAYMENT_PROVIDER (provider));
  g_return_if_fail (amount >= 0);
  g_return_if_fail ((guint) reason < G_N_ELEMENTS (refund_reason_texts));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kassa_shop_refund_payment_async);
  g_task_set_check_cancellable (task, FALSE);

  start_refund (task, provider, order_id, payment_id, amount, NULL, 0, reason, note, cancellable);
}

/**
 * kassa_shop_refund_lines_async:
 * @provider: the provider that took the payment
 * @order_id: the order
 * @payment_id: its payment the money goes back to
 * @lines: (array length=n_lines): the order lines and quantities given back
 * @n_lines: how many, at least one
 * @reason: why
 * @note: (nullable): free text
 *
 * Gives back what @lines cost, as the totals engine works it out under
 * the order's own tax rules and discounts; credits them on the order's
 * invoice when it has one. Needs the refund-approver permission.
 */
void
kassa_shop_refund_lines_async (KassaShop                 *self,
                               KassaPaymentProvider      *provider,
                               gint64                     order_id,
                               gint64                     payment_id,
                               const KassaShopRefundLine *lines,
                               guint                      n_lines,
                               KassaRefundReason          reason,
                               const char                *note,
                               GCancellable              *cancellable,
                               GAsyncReadyCallback        callback,
                               gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KASSA_IS_SHOP (self));
  g_return_if_fail (KASSA_IS_PAYMENT_PROVIDER (provider));
  g_return_if_fail (lines != NULL && n_lines > 0);
  g_return_if_fail ((guint) reason < G_N_ELEMENTS (refund_reason_texts));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kassa_shop_refund_lines_async);
  g_task_set_check_cancellable (task, FALSE);

  start_refund (task, provider, order_id, payment_id, 0, lines, n_lines, reason, note, cancellable);
}

/**
 * kassa_shop_refund_lines_finish:
 * @out_credit_note: (out) (optional) (transfer full): the credit note
 *   issued with the refund, or %NULL when the order had no invoice
 *
 * Returns: (transfer full): the refund as recorded, or %NULL with @error set
 */
KassaRefund *
kassa_shop_refund_lines_finish (KassaShop     *self,
                                GAsyncResult  *result,
                                KassaInvoice **out_credit_note,
                                GError       **error)
{
  RefundData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (out_credit_note != NULL)
    *out_credit_note = data != NULL && data->credit_note != NULL ? g_object_ref (data->credit_note) : NULL;

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * kassa_shop_refund_payment_finish:
 *
 * Returns: (transfer full): the refund as recorded, or %NULL with @error set
 */
KassaRefund *
kassa_shop_refund_payment_finish (KassaShop     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}


/* Settling payments whose outcome is unknown */

typedef struct
{
  KassaStripeClient  *client;
  GPtrArray          *rows;     /* KassaStripeRequest of orders and carts */
  guint               next;
  KassaStripeRequest *row;      /* the one in hand (borrowed) */
  char               *object_id;
  char               *intent_id;  /* a cart's payment being refunded */
  guint               settled;
  guint               left;
} Settle;

static void
settle_free (gpointer data)
{
  Settle *settle = data;

  g_clear_object (&settle->client);
  g_clear_pointer (&settle->rows, g_ptr_array_unref);
  g_free (settle->object_id);
  g_free (settle->intent_id);
  g_free (settle);
}

static void settle_next (GTask *task);

/* An answer that will not change however often the request is sent. */
static gboolean
is_refused (const GError *error)
{
  if (error->domain != KASSA_PAYMENT_ERROR)
    return FALSE;

  switch (error->code)
    {
    case KASSA_PAYMENT_ERROR_DECLINED:
    case KASSA_PAYMENT_ERROR_CARD:
    case KASSA_PAYMENT_ERROR_INVALID_REQUEST:
    case KASSA_PAYMENT_ERROR_PERMISSION:
    case KASSA_PAYMENT_ERROR_NOT_FOUND:
    case KASSA_PAYMENT_ERROR_IDEMPOTENCY:
      return TRUE;
    default:
      return FALSE;
    }
}

static const char *
object_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL;
}

/* A member that is an id or, when expanded, the object itself. */
static const char *
object_id (JsonObject *object,
           const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return object_string (json_node_get_object (node), "id");

  return object_string (object, member);
}

/* A payment the till took before its sale existed. */
static gboolean
is_cart_row (const KassaStripeRequest *row)
{
  return g_strcmp0 (row->entity_kind, "cart") == 0;
}

/* Records what became of the row's request, with the object it made. */
static void
settle_row (GTask              *owned_task,
            KassaStripeOutcome  outcome,
            const char         *type,
            JsonObject         *object)
{
  g_autoptr(GTask) task = owned_task;
  KassaShop *self = g_task_get_source_object (task);
  Settle *settle = g_task_get_task_data (task);
  g_autoptr(KassaStripeStateRepository) state = kassa_stripe_state_repository_new (kassa_shop_get_database (self));
  g_autoptr(GError) error = NULL;

  /* A cart's session or intent belongs to no order: applying it would
   * find none and change nothing (IGNORED), so it is not tried. What a
   * paid one became is settled by settle_cart_paid(). */
  if (type != NULL && object != NULL && !is_cart_row (settle->row) &&
      kassa_stripe_sync_apply_object (self, type, object, &error) == KASSA_STRIPE_SYNC_FAILED)
    {
      g_warning ("Could not book Stripe %s %s: %s", type, object_string (object, "id"), error->message);
      settle->left++;
      settle_next (g_steal_pointer (&task));
      return;
    }

  if (!kassa_stripe_state_repository_finish_request (state, settle->row->idempotency_key, outcome,
                                                     settle->object_id, &error))
    {
      g_warning ("Could not settle request %s: %s", settle->row->idempotency_key, error->message);
      settle->left++;
    }
  else
    settle->settled++;

  settle_next (g_steal_pointer (&task));
}

/* The refund of a till payment nobody booked went through (@refund), or
 * Stripe says the payment went back already (%NULL): the request is
 * settled and the audit log says what went back and why, together. */
static void
settle_cart_refunded (GTask      *owned_task,
                      JsonObject *refund)
{
  g_autoptr(GTask) task = owned_task;
  KassaShop *self = g_task_get_source_object (task);
  Settle *settle = g_task_get_task_data (task);
  KassaDatabase *database = kassa_shop_get_database (self);
  g_autoptr(KassaStripeStateRepository) state = kassa_stripe_state_repository_new (database);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *intent_id = settle->intent_id;
  g_autoptr(JsonNode) details = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cart_id = id_text (settle->row->entity_id);
  g_autofree char *currency_code = NULL;
  const KassaCurrency *currency = NULL;
  const char *stripe_currency = object_string (refund, "currency");
  JsonNode *amount_node = refund != NULL ? json_object_get_member (refund, "amount") : NULL;
  gint64 stripe_amount = amount_node != NULL && JSON_NODE_HOLDS_VALUE (amount_node)
                         ? json_node_get_int (amount_node) : 0;
  gint64 amount = stripe_amount;

  /* Stripe's minor units are not always ours (ISK, HUF, TWD). */
  if (stripe_currency != NULL)
    {
      currency_code = g_ascii_strup (stripe_currency, -1);
      currency = kassa_currency_lookup (currency_code, NULL);
    }
  if (currency != NULL && !kassa_currency_from_stripe_amount (currency, stripe_amount, &amount, NULL))
    amount = stripe_amount;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "cart_id");
  json_builder_add_int_value (builder, settle->row->entity_id);
  json_builder_set_member_name (builder, "request");
  json_builder_add_string_value (builder, settle->row->idempotency_key);
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, settle->object_id);
  json_builder_set_member_name (builder, "payment_intent");
  json_builder_add_string_value (builder, intent_id);
  if (refund != NULL)
    {
      json_builder_set_member_name (builder, "refund");
      json_builder_add_string_value (builder, object_string (refund, "id"));
      json_builder_set_member_name (builder, "amount");
      json_builder_add_int_value (builder, amount);
      json_builder_set_member_name (builder, "currency");
      json_builder_add_string_value (builder, currency_code != NULL ? currency_code : "");
    }
  else
    {
      json_builder_set_member_name (builder, "already_refunded");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, "paid at Stripe, but the till never recorded the sale");
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  if (!kassa_database_begin (database, &error))
    goto failed;
  if (!kassa_stripe_state_repository_finish_request (state, settle->row->idempotency_key,
                                                     KASSA_STRIPE_OUTCOME_SUCCEEDED, settle->object_id,
                                                     &error) ||
      kassa_audit_log_record (kassa_shop_get_audit_log (self), kassa_shop_get_actor_id (self),
                              "cart.payment_refunded", "cart", cart_id, details, &error) == 0 ||
      !kassa_database_commit (database, &error))
    {
      kassa_database_rollback (database, NULL);
      goto failed;
    }

  if (refund != NULL)
    g_warning ("Refunded %" PRId64 " %s of %s, paid at the till for cart %s but never booked on a sale",
               amount, currency_code != NULL ? currency_code : "", intent_id, cart_id);
  else
    g_warning ("%s, paid at the till for cart %s but never booked on a sale, was refunded already",
               intent_id, cart_id);
  settle->settled++;
  settle_next (g_steal_pointer (&task));
  return;

failed:
  /* The refund is made; the next pass replays it under the same key
   * and records it then. */
  g_warning ("Refunded %s of cart %s, but could not record it: %s", intent_id, cart_id, error->message);
  settle->left++;
  settle_next (g_steal_pointer (&task));
}

static void
settle_refund_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Settle *settle = g_task_get_task_data (task);
  g_autoptr(JsonObject) refund = NULL;
  g_autoptr(GError) error = NULL;
  const char *intent_id = settle->intent_id;

  refund = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (source), result, NULL, &error);

  /* Stripe keeps a key's answer for a day or so: a pass long after one
   * whose record was lost is told the money went back already (by that
   * pass, or by someone at Stripe). Either way nothing is left to give. */
  if (refund == NULL && is_refused (error) &&
      g_strcmp0 (kassa_payment_error_get_stripe_code (error), "charge_already_refunded") == 0)
    {
      settle_cart_refunded (g_steal_pointer (&task), NULL);
      return;
    }

  if (refund == NULL)
    {
      /* No answer: the next pass sends it again under the same key. A
       * refusal will not change by itself, so people must look. */
      if (is_refused (error))
        g_warning ("Stripe refused to refund %s, paid for cart %" PRId64 " which was never sold: %s",
                   intent_id, settle->row->entity_id, error->message);
      else
        g_debug ("Refunding %s failed: %s", intent_id, error->message);
      settle->left++;
      settle_next (g_steal_pointer (&task));
      return;
    }

  settle_cart_refunded (g_steal_pointer (&task), refund);
}

/* A till payment Stripe took: the sale it paid for was completed (the
 * answer was lost before it was recorded), or the cashier never saw it
 * succeed and the money must go back. */
static void
settle_cart_paid (GTask      *owned_task,
                  JsonObject *object)
{
  g_autoptr(GTask) task = owned_task;
  KassaShop *self = g_task_get_source_object (task);
  Settle *settle = g_task_get_task_data (task);
  g_autoptr(KassaOrderRepository) orders = kassa_order_repository_new (kassa_shop_get_database (self));
  g_autoptr(KassaStripeForm) form = NULL;
  g_autofree char *key = NULL;
  g_autofree char *cart_id = id_text (settle->row->entity_id);
  gboolean is_session = g_strcmp0 (object_string (object, "object"), "checkout.session") == 0;
  const char *intent_id = is_session ? object_id (object, "payment_intent") : object_string (object, "id");
  const char *subscription_id = is_session ? object_id (object, "subscription") : NULL;
  const char *payment_status = is_session ? object_string (object, "payment_status") : "paid";
  /* What the till stores as the payment's reference, in its order. */
  const char *references[] = { intent_id, subscription_id, is_session ? object_string (object, "id") : NULL };
  GCancellable *cancellable;

  for (guint i = 0; i < G_N_ELEMENTS (references); i++)
    {
      g_autoptr(KassaOrder) order = NULL;
      g_autoptr(GError) error = NULL;

      if (references[i] == NULL || references[i][0] == '\0')
        continue;

      order = kassa_order_repository_load_by_payment_reference (orders, references[i], &error);
      if (order != NULL)
        {
          g_debug ("Stripe %s of cart %s was booked on order %s", references[i], cart_id,
                   kassa_order_get_number (order));
          settle_row (g_steal_pointer (&task), KASSA_STRIPE_OUTCOME_SUCCEEDED, NULL, NULL);
          return;
        }
      if (!g_error_matches (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND))
        {
          g_warning ("Could not look for the sale of cart %s: %s", cart_id, error->message);
          settle->left++;
          settle_next (g_steal_pointer (&task));
          return;
        }
    }

  /* A subscription charges again on its own; cancelling or refunding
   * it is for people to decide, so the request stays until it is sold
   * or sorted out at Stripe. */
  if (intent_id == NULL && subscription_id != NULL)
    {
      g_warning ("Stripe Checkout Session %s started subscription %s for cart %s, whose sale was never "
                 "recorded; it is not refunded automatically: see to it at Stripe",
                 settle->object_id, subscription_id, cart_id);
      settle->left++;
      settle_next (g_steal_pointer (&task));
      return;
    }

  /* Nothing was taken, nothing will be. */
  if (g_strcmp0 (payment_status, "no_payment_required") == 0)
    {
      settle_row (g_steal_pointer (&task), KASSA_STRIPE_OUTCOME_SUCCEEDED, NULL, NULL);
      return;
    }

  /* Complete but not paid yet (a delayed method): look again later. */
  if (g_strcmp0 (payment_status, "paid") != 0 || intent_id == NULL)
    {
      g_debug ("Stripe %s of cart %s is not paid yet (%s)", settle->object_id, cart_id,
               payment_status != NULL ? payment_status : "no payment status");
      settle->left++;
      settle_next (g_steal_pointer (&task));
      return;
    }

  /* All of it, whatever Stripe holds: the key is derived from the
   * request's, so a pass cut short sends the very same refund again and
   * Stripe replays it instead of refunding twice. */
  form = kassa_stripe_form_new ();
  kassa_stripe_form_add (form, "payment_intent", intent_id);
  kassa_stripe_form_add_nested (form, cart_id, "metadata", "cart_id", NULL);
  kassa_stripe_form_add_nested (form, "sale_not_recorded", "metadata", "kassa_reason", NULL);
  key = g_strdup_printf ("%s:settle-refund", settle->row->idempotency_key);
  settle->intent_id = g_strdup (intent_id);
  cancellable = g_task_get_cancellable (task);
  kassa_stripe_client_post_async (settle->client, "/v1/refunds", form, key, cancellable,
                                  settle_refund_cb, g_steal_pointer (&task));
}

static void
settle_undo_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Settle *settle = g_task_get_task_data (task);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  const char *kind;

  object = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (source), result, NULL, &error);
  if (object == NULL)
    {
      /* Paid in the meantime, or no answer: the next pass fetches it again. */
      g_debug ("Undoing %s failed: %s", settle->object_id, error->message);
      settle->left++;
      settle_next (g_steal_pointer (&task));
      return;
    }

  kind = object_string (object, "object");
  settle_row (g_steal_pointer (&task), KASSA_STRIPE_OUTCOME_SUCCEEDED,
              g_strcmp0 (kind, "payment_intent") == 0 ? "payment_intent.canceled" : "checkout.session.expired",
              object);
}

static void
settle_fetch_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Settle *settle = g_task_get_task_data (task);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *path = NULL;
  GCancellable *cancellable;
  const char *kind;
  const char *status;

  object = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (source), result, NULL, &error);
  if (object == NULL)
    {
      settle->left++;
      settle_next (g_steal_pointer (&task));
      return;
    }

  kind = object_string (object, "object");
  status = object_string (object, "status");

  if (g_strcmp0 (kind, "checkout.session") == 0)
    {
      if (g_strcmp0 (status, "complete") == 0 && is_cart_row (settle->row))
        {
          settle_cart_paid (g_steal_pointer (&task), object);
          return;
        }
      if (g_strcmp0 (status, "complete") == 0)
        {
          settle_row (g_steal_pointer (&task), KASSA_STRIPE_OUTCOME_SUCCEEDED, "checkout.session.completed", object);
          return;
        }
      if (g_strcmp0 (status, "expired") == 0)
        {
          settle_row (g_steal_pointer (&task), KASSA_STRIPE_OUTCOME_SUCCEEDED, "checkout.session.expired", object);
          return;
        }

      /* The till gave up on this code: expire it so it can never be paid
       * behind the cashier's back. */
      key = g_strdup_printf ("%s:settle-expire", settle->row->idempotency_key);
      path = g_strdup_printf ("/v1/checkout/sessions/%s/expire", settle->object_id);
    }
  else if (g_strcmp0 (kind, "payment_intent") == 0)
    {
      if (g_strcmp0 (status, "succeeded") == 0 && is_cart_row (settle->row))
        {
          settle_cart_paid (g_steal_pointer (&task), object);
          return;
        }
      if (g_strcmp0 (status, "succeeded") == 0)
        {
          settle_row (g_steal_pointer (&task), KASSA_STRIPE_OUTCOME_SUCCEEDED, "payment_intent.succeeded", object);
          return;
        }
      if (g_strcmp0 (status, "canceled") == 0)
        {
          settle_row (g_steal_pointer (&task), KASSA_STRIPE_OUTCOME_SUCCEEDED, "payment_intent.canceled", object);
          return;
        }

      /* Authorised or still waiting for a card, but never booked: the
       * cashier was told it failed, so release it rather than capture. */
      key = g_strdup_printf ("%s:settle-cancel", settle->row->idempotency_key);
      path = g_strdup_printf ("/v1/payment_intents/%s/cancel", settle->object_id);
    }
  else
    {
      settle_row (g_steal_pointer (&task), KASSA_STRIPE_OUTCOME_SUCCEEDED, NULL, NULL);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  kassa_stripe_client_post_async (settle->client, path, NULL, key, cancellable,
                                  settle_undo_cb, g_steal_pointer (&task));
}

static void
settle_replay_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Settle *settle = g_task_get_task_data (task);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GCancellable *cancellable;
  const char *kind;
  const char *id;

  object = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (source), result, NULL, &error);
  if (object == NULL)
    {
      if (is_refused (error))
        {
          /* Stripe refused the very first request: nothing was made. */
          settle_row (g_steal_pointer (&task), KASSA_STRIPE_OUTCOME_FAILED, NULL, NULL);
          return;
        }
      settle->left++;
      settle_next (g_steal_pointer (&task));
      return;
    }

  /* The replay is Stripe's first answer; what happened since needs a
   * fresh look. */
  kind = object_string (object, "object");
  id = object_string (object, "id");
  g_free (settle->object_id);
  settle->object_id = g_strdup (id);
  if (id != NULL && g_strcmp0 (kind, "checkout.session") == 0)
    path = g_strdup_printf ("/v1/checkout/sessions/%s", id);
  else if (id != NULL && g_strcmp0 (kind, "payment_intent") == 0)
    path = g_strdup_printf ("/v1/payment_intents/%s", id);
  else
    {
      settle_row (g_steal_pointer (&task), KASSA_STRIPE_OUTCOME_SUCCEEDED, NULL, NULL);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  kassa_stripe_client_get_async (settle->client, path, NULL, cancellable,
                                 settle_fetch_cb, g_steal_pointer (&task));
}

/* Takes @owned_task. */
static void
settle_next (GTask *owned_task)
{
  g_autoptr(GTask) task = owned_task;
  Settle *settle = g_task_get_task_data (task);
  g_autoptr(KassaStripeForm) form = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (settle->next >= settle->rows->len)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  settle->row = g_ptr_array_index (settle->rows, settle->next++);
  g_clear_pointer (&settle->object_id, g_free);
  g_clear_pointer (&settle->intent_id, g_free);

  /* The very body stored before the first try, so Stripe replays. */
  if (settle->row->body != NULL && settle->row->body[0] != '\0')
    {
      form = kassa_stripe_form_parse (settle->row->body, &error);
      if (form == NULL)
        {
          g_warning ("Request %s has a body that does not parse: %s", settle->row->idempotency_key,
                     error->message);
          settle->left++;
          settle_next (g_steal_pointer (&task));
          return;
        }
    }

  cancellable = g_task_get_cancellable (task);
  kassa_stripe_client_request_async (settle->client, settle->row->method, settle->row->path, form,
                                     settle->row->idempotency_key, cancellable,
                                     settle_replay_cb, g_steal_pointer (&task));
}

/**
 * kassa_shop_settle_payments_async:
 * @client: the Stripe client to ask
 *
 * Settles the payment requests whose outcome is unknown; see the header.
 */
void
kassa_shop_settle_payments_async (KassaShop           *self,
                                  KassaStripeClient   *client,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(KassaStripeStateRepository) state = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  Settle *settle;

  g_return_if_fail (KASSA_IS_SHOP (self));
  g_return_if_fail (KASSA_IS_STRIPE_CLIENT (client));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kassa_shop_settle_payments_async);

  if (!kassa_shop_check_permission (self, KASSA_PERMISSION_SELL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  state = kassa_stripe_state_repository_new (kassa_shop_get_database (self));
  rows = kassa_stripe_state_repository_list_unsettled (state, &error);
  if (rows == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  settle = g_new0 (Settle, 1);
  settle->client = g_object_ref (client);
  settle->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) kassa_stripe_request_free);
  for (guint i = 0; i < rows->len; i++)
    {
      KassaStripeRequest *row = g_ptr_array_index (rows, i);

      if ((g_strcmp0 (row->entity_kind, "order") == 0 || is_cart_row (row)) &&
          g_strcmp0 (row->method, "POST") == 0)
        g_ptr_array_add (settle->rows, kassa_stripe_request_copy (row));
    }
  g_task_set_task_data (task, settle, settle_free);

  settle_next (g_steal_pointer (&task));
}

/**
 * kassa_shop_settle_payments_finish:
 * @out_settled: (out) (optional): requests settled
 * @out_left: (out) (optional): requests still without an answer
 */
gboolean
kassa_shop_settle_payments_finish (KassaShop     *self,
                                   GAsyncResult  *result,
                                   guint         *out_settled,
                                   guint         *out_left,
                                   GError       **error)
{
  Settle *settle;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  settle = g_task_get_task_data (G_TASK (result));
  if (out_settled != NULL)
    *out_settled = settle != NULL ? settle->settled : 0;
  if (out_left != NULL)
    *out_left = settle != NULL ? settle->left : 0;

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Paying a cart */

typedef struct
{
  KassaPaymentProvider *provider;
  char                 *idempotency_key;
  gboolean              stored;
} CartPayData;

static void
cart_pay_data_free (gpointer data)
{
  CartPayData *pay = data;

  g_clear_object (&pay->provider);
  g_free (pay->idempotency_key);
  g_free (pay);
}

static void
cart_pay_cb (GObject      *object,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KassaShop *self = g_task_get_source_object (task);
  CartPayData *pay = g_task_get_task_data (task);
  g_autoptr(KassaStripeStateRepository) state = NULL;
  g_autoptr(KassaPaymentResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) local_error = NULL;
  KassaStripeOutcome outcome;
  const char *object_id = NULL;

  result = kassa_payment_provider_start_finish (KASSA_PAYMENT_PROVIDER (object), res, &error);

  if (pay->stored)
    {
      if (result != NULL)
        {
          outcome = KASSA_STRIPE_OUTCOME_SUCCEEDED;
          object_id = result->provider_reference != NULL ? result->provider_reference
                                                         : result->checkout_session_id;
        }
      else if (is_transient (error) ||
               g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME))
        outcome = KASSA_STRIPE_OUTCOME_UNKNOWN;
      else
        outcome = KASSA_STRIPE_OUTCOME_FAILED;

      /* What Stripe said is kept with the key, whatever the sale does next. */
      state = kassa_stripe_state_repository_new (kassa_shop_get_database (self));
      if (!kassa_stripe_state_repository_finish_request (state, pay->idempotency_key, outcome,
                                                         object_id, &local_error))
        g_warning ("Could not record the answer to Stripe request %s: %s",
                   pay->idempotency_key, local_error->message);
    }

  if (result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) kassa_payment_result_free);
}

/**
 * kassa_shop_pay_cart_async:
 * @self: a #KassaShop
 * @provider: the provider taking the payment
 * @cart_id: the till's stored cart, which becomes the order once paid
 * @request: what to ask for; its idempotency key is set here when empty
 * @cancellable: (nullable): cancels the payment at the provider
 * @callback: called with the outcome
 * @user_data: for @callback
 *
 * Takes a payment at the till before the sale exists: the request and
 * its idempotency key are stored against the cart before they leave, and
 * Stripe's answer beside them, so a crash in between can be settled with
 * the same key. The caller completes the sale with the payment.
 */
void
kassa_shop_pay_cart_async (KassaShop            *self,
                           KassaPaymentProvider *provider,
                           gint64                cart_id,
                           KassaPaymentRequest  *request,
                           GCancellable         *cancellable,
                           GAsyncReadyCallback   callback,
                           gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  CartPayData *pay;

  g_return_if_fail (KASSA_IS_SHOP (self));
  g_return_if_fail (KASSA_IS_PAYMENT_PROVIDER (provider));
  g_return_if_fail (request != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kassa_shop_pay_cart_async);
  /* A payment that beat a cancel is still reported. */
  g_task_set_check_cancellable (task, FALSE);

  if (!kassa_shop_check_permission (self, KASSA_PERMISSION_SELL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (request->idempotency_key == NULL)
    request->idempotency_key = kassa_stripe_client_new_idempotency_key ();

  pay = g_new0 (CartPayData, 1);
  pay->provider = g_object_ref (provider);
  pay->idempotency_key = g_strdup (request->idempotency_key);
  g_task_set_task_data (task, pay, cart_pay_data_free);

  if (!store_request (self, provider, request, "cart", cart_id, &pay->stored, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  kassa_payment_provider_start_async (provider, request, cancellable, cart_pay_cb,
                                      g_steal_pointer (&task));
}

KassaPaymentResult *
kassa_shop_pay_cart_finish (KassaShop     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
