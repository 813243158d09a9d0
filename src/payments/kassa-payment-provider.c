/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-payment-provider"

#include "config.h"

#include <glib/gi18n.h>

#include "kassa-money.h"
#include "kassa-payment-provider.h"

G_DEFINE_ENUM_TYPE (KassaPaymentProgress, kassa_payment_progress,
                    G_DEFINE_ENUM_VALUE (KASSA_PAYMENT_PROGRESS_STARTING, "starting"),
                    G_DEFINE_ENUM_VALUE (KASSA_PAYMENT_PROGRESS_WAITING_FOR_CUSTOMER, "waiting-for-customer"),
                    G_DEFINE_ENUM_VALUE (KASSA_PAYMENT_PROGRESS_SHOWING_CODE, "showing-code"),
                    G_DEFINE_ENUM_VALUE (KASSA_PAYMENT_PROGRESS_PROCESSING, "processing"),
                    G_DEFINE_ENUM_VALUE (KASSA_PAYMENT_PROGRESS_CAPTURING, "capturing"),
                    G_DEFINE_ENUM_VALUE (KASSA_PAYMENT_PROGRESS_CANCELLING, "cancelling"),
                    G_DEFINE_ENUM_VALUE (KASSA_PAYMENT_PROGRESS_SUCCEEDED, "succeeded"),
                    G_DEFINE_ENUM_VALUE (KASSA_PAYMENT_PROGRESS_FAILED, "failed"),
                    G_DEFINE_ENUM_VALUE (KASSA_PAYMENT_PROGRESS_CANCELLED, "cancelled"))

G_DEFINE_BOXED_TYPE (KassaPaymentRequest, kassa_payment_request,
                     kassa_payment_request_copy, kassa_payment_request_free)
G_DEFINE_BOXED_TYPE (KassaPaymentResult, kassa_payment_result,
                     kassa_payment_result_copy, kassa_payment_result_free)
G_DEFINE_BOXED_TYPE (KassaPaymentRefundRequest, kassa_payment_refund_request,
                     kassa_payment_refund_request_copy, kassa_payment_refund_request_free)
G_DEFINE_BOXED_TYPE (KassaPaymentRefundResult, kassa_payment_refund_result,
                     kassa_payment_refund_result_copy, kassa_payment_refund_result_free)

G_DEFINE_INTERFACE (KassaPaymentProvider, kassa_payment_provider, G_TYPE_OBJECT)

enum {
  STATUS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Lines */

static void
payment_line_free (gpointer data)
{
  KassaPaymentLine *line = data;

  g_free (line->name);
  g_free (line->recurring_interval);
  g_free (line);
}

static gpointer
payment_line_copy (gconstpointer src,
                   gpointer      user_data)
{
  const KassaPaymentLine *line = src;
  KassaPaymentLine *copy = g_memdup2 (line, sizeof *line);

  copy->name = g_strdup (line->name);
  copy->recurring_interval = g_strdup (line->recurring_interval);

  return copy;
}

/* Requests */

/**
 * kassa_payment_request_new:
 * @order_id: the local order
 * @amount: minor units to take
 * @currency_code: ISO 4217
 *
 * Returns: (transfer full): a request made now, in payment mode, without lines
 */
KassaPaymentRequest *
kassa_payment_request_new (gint64      order_id,
                           gint64      amount,
                           const char *currency_code)
{
  KassaPaymentRequest *request = g_new0 (KassaPaymentRequest, 1);

  request->order_id = order_id;
  request->amount = amount;
  request->currency_code = g_strdup (currency_code);
  request->lines = g_ptr_array_new_with_free_func (payment_line_free);
  request->mode = KASSA_PAYMENT_MODE_PAYMENT;
  request->created_at = g_date_time_new_now_utc ();

  return request;
}

KassaPaymentRequest *
kassa_payment_request_copy (const KassaPaymentRequest *request)
{
  KassaPaymentRequest *copy;

  g_return_val_if_fail (request != NULL, NULL);

  copy = g_memdup2 (request, sizeof *request);
  copy->order_number = g_strdup (request->order_number);
  copy->currency_code = g_strdup (request->currency_code);
  copy->description = g_strdup (request->description);
  copy->idempotency_key = g_strdup (request->idempotency_key);
  copy->customer_email = g_strdup (request->customer_email);
  copy->customer_phone = g_strdup (request->customer_phone);
  copy->created_at = request->created_at != NULL ? g_date_time_ref (request->created_at) : NULL;
  copy->lines = g_ptr_array_new_with_free_func (payment_line_free);
  if (request->lines != NULL)
    g_ptr_array_extend (copy->lines, request->lines, payment_line_copy, NULL);

  return copy;
}

void
kassa_payment_request_free (KassaPaymentRequest *request)
{
  if (request == NULL)
    return;

  g_free (request->order_number);
  g_free (request->currency_code);
  g_free (request->description);
  g_free (request->idempotency_key);
  g_free (request->customer_email);
  g_free (request->customer_phone);
  g_clear_pointer (&request->created_at, g_date_time_unref);
  g_clear_pointer (&request->lines, g_ptr_array_unref);
  g_free (request);
}

void
kassa_payment_request_add_line (KassaPaymentRequest *request,
                                const char          *name,
                                gint64               quantity,
                                gint64               unit_amount,
                                gint64               amount,
                                const char          *recurring_interval,
                                guint                recurring_interval_count)
{
  KassaPaymentLine *line;

  g_return_if_fail (request != NULL);
  g_return_if_fail (name != NULL);

  line = g_new0 (KassaPaymentLine, 1);
  line->name = g_strdup (name);
  line->quantity = quantity;
  line->unit_amount = unit_amount;
  line->amount = amount;
  line->recurring_interval = g_strdup (recurring_interval);
  line->recurring_interval_count = MAX (recurring_interval_count, 1);
  if (request->lines == NULL)
    request->lines = g_ptr_array_new_with_free_func (payment_line_free);
  g_ptr_array_add (request->lines, line);
}

/**
 * kassa_payment_request_lines_match:
 *
 * Returns: %TRUE when the request has lines and their amounts add up to
 *   its amount exactly, so they can be shown as the bill
 */
gboolean
kassa_payment_request_lines_match (const KassaPaymentRequest *request)
{
  gint64 sum = 0;

  g_return_val_if_fail (request != NULL, FALSE);

  if (request->lines == NULL || request->lines->len == 0)
    return FALSE;

  for (guint i = 0; i < request->lines->len; i++)
    {
      const KassaPaymentLine *line = g_ptr_array_index (request->lines, i);

      if (line->amount < 0 || !kassa_checked_add (sum, line->amount, &sum))
        return FALSE;
    }

  return sum == request->amount;
}

/* Results */

KassaPaymentResult *
kassa_payment_result_new (const char *provider_id)
{
  KassaPaymentResult *result = g_new0 (KassaPaymentResult, 1);

  result->provider_id = g_strdup (provider_id);

  return result;
}

KassaPaymentResult *
kassa_payment_result_copy (const KassaPaymentResult *result)
{
  KassaPaymentResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = g_memdup2 (result, sizeof *result);
  copy->provider_id = g_strdup (result->provider_id);
  copy->currency_code = g_strdup (result->currency_code);
  copy->method_label = g_strdup (result->method_label);
  copy->provider_reference = g_strdup (result->provider_reference);
  copy->checkout_session_id = g_strdup (result->checkout_session_id);
  copy->subscription_id = g_strdup (result->subscription_id);
  copy->reader_id = g_strdup (result->reader_id);
  copy->paid_at = result->paid_at != NULL ? g_date_time_ref (result->paid_at) : NULL;

  return copy;
}

void
kassa_payment_result_free (KassaPaymentResult *result)
{
  if (result == NULL)
    return;

  g_free (result->provider_id);
  g_free (result->currency_code);
  g_free (result->method_label);
  g_free (result->provider_reference);
  g_free (result->checkout_session_id);
  g_free (result->subscription_id);
  g_free (result->reader_id);
  g_clear_pointer (&result->paid_at, g_date_time_unref);
  g_free (result);
}

/* Refunds */

KassaPaymentRefundRequest *
kassa_payment_refund_request_new (void)
{
  return g_new0 (KassaPaymentRefundRequest, 1);
}

KassaPaymentRefundRequest *
kassa_payment_refund_request_copy (const KassaPaymentRefundRequest *request)
{
  KassaPaymentRefundRequest *copy;

  g_return_val_if_fail (request != NULL, NULL);

  copy = g_memdup2 (request, sizeof *request);
  copy->order_number = g_strdup (request->order_number);
  copy->provider_reference = g_strdup (request->provider_reference);
  copy->currency_code = g_strdup (request->currency_code);
  copy->idempotency_key = g_strdup (request->idempotency_key);

  return copy;
}

void
kassa_payment_refund_request_free (KassaPaymentRefundRequest *request)
{
  if (request == NULL)
    return;

  g_free (request->order_number);
  g_free (request->provider_reference);
  g_free (request->currency_code);
  g_free (request->idempotency_key);
  g_free (request);
}

KassaPaymentRefundResult *
kassa_payment_refund_result_new (void)
{
  return g_new0 (KassaPaymentRefundResult, 1);
}

KassaPaymentRefundResult *
kassa_payment_refund_result_copy (const KassaPaymentRefundResult *result)
{
  KassaPaymentRefundResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = g_memdup2 (result, sizeof *result);
  copy->refund_reference = g_strdup (result->refund_reference);

  return copy;
}

void
kassa_payment_refund_result_free (KassaPaymentRefundResult *result)
{
  if (result == NULL)
    return;

  g_free (result->refund_reference);
  g_free (result);
}

/* Interface */

static gboolean
kassa_payment_provider_real_describe_start (KassaPaymentProvider       *self,
                                            const KassaPaymentRequest  *request,
                                            char                      **method,
                                            char                      **path,
                                            char                      **body,
                                            GError                    **error)
{
  /* Providers that send nothing anywhere (cash) have nothing to store. */
  return FALSE;
}

static void
kassa_payment_provider_real_cancel (KassaPaymentProvider *self)
{
}

static void
kassa_payment_provider_default_init (KassaPaymentProviderInterface *iface)
{
  iface->describe_start = kassa_payment_provider_real_describe_start;
  iface->cancel = kassa_payment_provider_real_cancel;

  /**
   * KassaPaymentProvider::status-changed:
   * @self: the provider
   * @progress: a #KassaPaymentProgress
   * @message: a sentence for the cashier, translated
   * @url: (nullable): for %KASSA_PAYMENT_PROGRESS_SHOWING_CODE, what the
   *   QR code encodes
   *
   * Where the running payment stands.
   */
  signals[STATUS_CHANGED] =
    g_signal_new ("status-changed",
                  G_TYPE_FROM_INTERFACE (iface),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  KASSA_TYPE_PAYMENT_PROGRESS,
                  G_TYPE_STRING,
                  G_TYPE_STRING);
}

const char *
kassa_payment_provider_get_id (KassaPaymentProvider *self)
{
  g_return_val_if_fail (KASSA_IS_PAYMENT_PROVIDER (self), NULL);

  return KASSA_PAYMENT_PROVIDER_GET_IFACE (self)->get_id (self);
}

const char *
kassa_payment_provider_get_display_name (KassaPaymentProvider *self)
{
  g_return_val_if_fail (KASSA_IS_PAYMENT_PROVIDER (self), NULL);

  return KASSA_PAYMENT_PROVIDER_GET_IFACE (self)->get_display_name (self);
}

/**
 * kassa_payment_provider_describe_start:
 * @method: (out): the HTTP method of the first changing request
 * @path: (out): its path
 * @body: (out): its form-encoded body
 *
 * Says which request kassa_payment_provider_start_async() sends first
 * for @request, so the caller can store it with its idempotency key
 * before anything leaves.
 *
 * Returns: %TRUE when the provider sends a request; %FALSE without
 *   @error when it sends none, %FALSE with @error when @request is unfit
 */
gboolean
kassa_payment_provider_describe_start (KassaPaymentProvider       *self,
                                       const KassaPaymentRequest  *request,
                                       char                      **method,
                                       char                      **path,
                                       char                      **body,
                                       GError                    **error)
{
  g_return_val_if_fail (KASSA_IS_PAYMENT_PROVIDER (self), FALSE);
  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (method != NULL && path != NULL && body != NULL, FALSE);

  *method = *path = *body = NULL;

  return KASSA_PAYMENT_PROVIDER_GET_IFACE (self)->describe_start (self, request, method, path,
                                                                   body, error);
}

/**
 * kassa_payment_provider_start_async:
 * @request: what to take; copied
 * @cancellable: (nullable): cancelling it cancels the payment as
 *   kassa_payment_provider_cancel() does
 *
 * Takes a payment. One payment runs at a time per provider.
 */
void
kassa_payment_provider_start_async (KassaPaymentProvider      *self,
                                    const KassaPaymentRequest *request,
                                    GCancellable              *cancellable,
                                    GAsyncReadyCallback        callback,
                                    gpointer                   user_data)
{
  g_return_if_fail (KASSA_IS_PAYMENT_PROVIDER (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  KASSA_PAYMENT_PROVIDER_GET_IFACE (self)->start_async (self, request, cancellable, callback,
                                                        user_data);
}

/**
 * kassa_payment_provider_start_finish:
 *
 * Returns: (transfer full): what was paid, or %NULL with @error set
 */
KassaPaymentResult *
kassa_payment_provider_start_finish (KassaPaymentProvider  *self,
                                     GAsyncResult          *result,
                                     GError               **error)
{
  g_return_val_if_fail (KASSA_IS_PAYMENT_PROVIDER (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  return KASSA_PAYMENT_PROVIDER_GET_IFACE (self)->start_finish (self, result, error);
}

/**
 * kassa_payment_provider_cancel:
 *
 * The cashier gives up on the running payment: the provider withdraws it
 * (expires the QR session, clears the reader, cancels the intent) and
 * the start finishes with %KASSA_PAYMENT_ERROR_CANCELLED — unless the
 * money came in first, which it then reports.
 */
void
kassa_payment_provider_cancel (KassaPaymentProvider *self)
{
  g_return_if_fail (KASSA_IS_PAYMENT_PROVIDER (self));

  KASSA_PAYMENT_PROVIDER_GET_IFACE (self)->cancel (self);
}

/**
 * kassa_payment_provider_refund_async:
 * @request: what to give back; copied
 *
 * Gives money back to a payment this provider took.
 */
void
kassa_payment_provider_refund_async (KassaPaymentProvider            *self,
                                     const KassaPaymentRefundRequest *request,
                                     GCancellable                    *cancellable,
                                     GAsyncReadyCallback              callback,
                                     gpointer                         user_data)
{
  g_return_if_fail (KASSA_IS_PAYMENT_PROVIDER (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (request->amount >= 0);

  KASSA_PAYMENT_PROVIDER_GET_IFACE (self)->refund_async (self, request, cancellable, callback,
                                                         user_data);
}

/**
 * kassa_payment_provider_refund_finish:
 *
 * Returns: (transfer full): the refund, or %NULL with @error set
 */
KassaPaymentRefundResult *
kassa_payment_provider_refund_finish (KassaPaymentProvider  *self,
                                      GAsyncResult          *result,
                                      GError               **error)
{
  g_return_val_if_fail (KASSA_IS_PAYMENT_PROVIDER (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  return KASSA_PAYMENT_PROVIDER_GET_IFACE (self)->refund_finish (self, result, error);
}

void
kassa_payment_provider_emit_status (KassaPaymentProvider *self,
                                    KassaPaymentProgress  progress,
                                    const char           *message,
                                    const char           *url)
{
  g_return_if_fail (KASSA_IS_PAYMENT_PROVIDER (self));

  g_debug ("%s: %s", kassa_payment_provider_get_id (self), message != NULL ? message : "");
  g_signal_emit (self, signals[STATUS_CHANGED], 0, progress, message, url);
}
