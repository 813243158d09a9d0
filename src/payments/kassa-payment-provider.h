/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One way of taking money: cash, a QR code for Stripe Checkout, a Stripe
 * Terminal card reader, and whatever comes next behind the same calls.
 *
 * The shop builds a KassaPaymentRequest for an order (amount, currency,
 * lines to show, the idempotency key it has already stored), calls
 * kassa_payment_provider_start_async() and listens to "status-changed"
 * for what to show the cashier (waiting for the customer, the QR code's
 * URL, the reader processing, …). The start finishes once, with a
 * KassaPaymentResult when the money is in, or an error of the
 * KASSA_PAYMENT_ERROR domain: DECLINED, CANCELLED (the cashier gave up
 * or the session expired), UNKNOWN_OUTCOME (nothing definite came back;
 * starting again with the same request, hence the same keys, replays
 * what Stripe did instead of charging twice).
 *
 * Keys: the caller chooses request->idempotency_key and stores it with
 * its local record before starting. A provider that needs more than one
 * changing request (create, then process, capture, cancel) derives the
 * others from it as "KEY:step", so the one stored key is enough to
 * repeat every step after a crash. kassa_payment_provider_describe_start()
 * tells the caller the first request (method, path, form body) so it can
 * store it beside the key before anything leaves.
 *
 * A mobile-money provider (M-Pesa, MTN MoMo, …) fits as is: it sends a
 * push prompt to request->customer_phone, emits WAITING_FOR_CUSTOMER
 * with "Confirm on your phone" (or SHOWING_CODE with a USSD or QR
 * payload in the url argument), polls or waits for its callback,
 * finishes with the operator's transaction id in
 * result->provider_reference, and refunds through refund_async() with
 * that id — the same calls and signal as the Stripe providers. */

/**
 * KassaPaymentProgress:
 * @KASSA_PAYMENT_PROGRESS_STARTING: talking to the provider
 * @KASSA_PAYMENT_PROGRESS_WAITING_FOR_CUSTOMER: the customer must act
 *   (tap a card, hand over cash, confirm on a phone)
 * @KASSA_PAYMENT_PROGRESS_SHOWING_CODE: show the url argument as a QR code
 * @KASSA_PAYMENT_PROGRESS_PROCESSING: the provider is working on it
 * @KASSA_PAYMENT_PROGRESS_CAPTURING: authorised; taking the money
 * @KASSA_PAYMENT_PROGRESS_CANCELLING: the cashier cancelled; undoing it
 * @KASSA_PAYMENT_PROGRESS_SUCCEEDED: paid
 * @KASSA_PAYMENT_PROGRESS_FAILED: declined or failed
 * @KASSA_PAYMENT_PROGRESS_CANCELLED: cancelled or expired, nothing paid
 *
 * Where a payment stands, for the till's screen.
 */
typedef enum
{
  KASSA_PAYMENT_PROGRESS_STARTING,
  KASSA_PAYMENT_PROGRESS_WAITING_FOR_CUSTOMER,
  KASSA_PAYMENT_PROGRESS_SHOWING_CODE,
  KASSA_PAYMENT_PROGRESS_PROCESSING,
  KASSA_PAYMENT_PROGRESS_CAPTURING,
  KASSA_PAYMENT_PROGRESS_CANCELLING,
  KASSA_PAYMENT_PROGRESS_SUCCEEDED,
  KASSA_PAYMENT_PROGRESS_FAILED,
  KASSA_PAYMENT_PROGRESS_CANCELLED,
} KassaPaymentProgress;

GType kassa_payment_progress_get_type (void) G_GNUC_CONST;
#define KASSA_TYPE_PAYMENT_PROGRESS (kassa_payment_progress_get_type ())

/**
 * KassaPaymentMode:
 * @KASSA_PAYMENT_MODE_PAYMENT: a one-time payment
 * @KASSA_PAYMENT_MODE_SUBSCRIPTION: the first payment of a subscription;
 *   the recurring lines say how often it repeats
 */
typedef enum
{
  KASSA_PAYMENT_MODE_PAYMENT,
  KASSA_PAYMENT_MODE_SUBSCRIPTION,
} KassaPaymentMode;

/**
 * KassaPaymentRefundReason:
 * @KASSA_PAYMENT_REFUND_REASON_NONE: none given to the provider
 * @KASSA_PAYMENT_REFUND_REASON_REQUESTED_BY_CUSTOMER: the customer asked
 * @KASSA_PAYMENT_REFUND_REASON_DUPLICATE: paid twice
 * @KASSA_PAYMENT_REFUND_REASON_FRAUDULENT: a fraudulent payment
 */
typedef enum
{
  KASSA_PAYMENT_REFUND_REASON_NONE,
  KASSA_PAYMENT_REFUND_REASON_REQUESTED_BY_CUSTOMER,
  KASSA_PAYMENT_REFUND_REASON_DUPLICATE,
  KASSA_PAYMENT_REFUND_REASON_FRAUDULENT,
} KassaPaymentRefundReason;

/**
 * KassaPaymentLine:
 * @name: what people read on the QR page or the reader
 * @quantity: thousandths
 * @unit_amount: minor units per whole unit (gross)
 * @amount: the line's total in minor units (gross), from the totals engine
 * @recurring_interval: (nullable): "day", "week", "month" or "year" for a
 *   recurring line, %NULL for a one-time line
 * @recurring_interval_count: intervals between billings, 1 or more
 */
typedef struct
{
  char   *name;
  gint64  quantity;
  gint64  unit_amount;
  gint64  amount;
  char   *recurring_interval;
  guint   recurring_interval_count;
} KassaPaymentLine;

/**
 * KassaPaymentRequest:
 * @order_id: the local order
 * @order_number: (nullable): its number, for people and metadata
 * @amount: minor units to take now (the whole order or one part of a
 *   split tender)
 * @currency_code: ISO 4217
 * @description: (nullable): shown on the payment page or reader
 * @lines: (element-type KassaPaymentLine): the lines to show; when their
 *   amounts do not add up to @amount (a part payment) providers show one
 *   line with @description instead
 * @idempotency_key: (nullable): chosen and stored by the caller; needed
 *   by providers that talk to a server
 * @customer_email: (nullable): prefilled on the payment page
 * @customer_phone: (nullable): for providers that prompt a phone
 * @mode: payment or subscription
 * @tendered: cash handed over, minor units (cash only)
 * @created_at: when the request was made; time-dependent parameters
 *   (a session's expiry) derive from it, so the same request always
 *   encodes to the same body and a replay with its key is accepted
 */
typedef struct
{
  gint64            order_id;
  char             *order_number;
  gint64            amount;
  char             *currency_code;
  char             *description;
  GPtrArray        *lines;
  char             *idempotency_key;
  char             *customer_email;
  char             *customer_phone;
  KassaPaymentMode  mode;
  gint64            tendered;
  GDateTime        *created_at;
} KassaPaymentRequest;

#define KASSA_TYPE_PAYMENT_REQUEST (kassa_payment_request_get_type ())

GType                kassa_payment_request_get_type (void) G_GNUC_CONST;
KassaPaymentRequest *kassa_payment_request_new      (gint64                     order_id,
                                                     gint64                     amount,
                                                     const char                *currency_code);
KassaPaymentRequest *kassa_payment_request_copy     (const KassaPaymentRequest *request);
void                 kassa_payment_request_free     (KassaPaymentRequest       *request);
void                 kassa_payment_request_add_line (KassaPaymentRequest       *request,
                                                     const char                *name,
                                                     gint64                     quantity,
                                                     gint64                     unit_amount,
                                                     gint64                     amount,
                                                     const char                *recurring_interval,
                                                     guint                      recurring_interval_count);
gboolean             kassa_payment_request_lines_match (const KassaPaymentRequest *request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KassaPaymentRequest, kassa_payment_request_free)

/**
 * KassaPaymentResult:
 * @provider_id: the provider that took it
 * @amount: minor units applied to the order (for cash: the amount due
 *   after rounding, not what was tendered)
 * @currency_code: ISO 4217
 * @method_label: what people read ("Cash", "Visa •••• 4242", "QR payment")
 * @provider_reference: (nullable): the provider's id of the charge (a
 *   Stripe PaymentIntent `pi_…`, a mobile-money transaction id)
 * @checkout_session_id: (nullable): Stripe Checkout's `cs_…`
 * @subscription_id: (nullable): Stripe's `sub_…` in subscription mode
 * @reader_id: (nullable): the Terminal reader that took the card
 * @paid_at: when the money came in
 * @tendered: cash handed over (cash only)
 * @change: cash given back (cash only)
 * @rounding: cash rounding applied to the amount due (cash only; the
 *   amount is the due amount plus this)
 * @open_drawer: the till should kick the cash drawer open
 */
typedef struct
{
  char      *provider_id;
  gint64     amount;
  char      *currency_code;
  char      *method_label;
  char      *provider_reference;
  char      *checkout_session_id;
  char      *subscription_id;
  char      *reader_id;
  GDateTime *paid_at;
  gint64     tendered;
  gint64     change;
  gint64     rounding;
  gboolean   open_drawer;
} KassaPaymentResult;

#define KASSA_TYPE_PAYMENT_RESULT (kassa_payment_result_get_type ())

GType               kassa_payment_result_get_type (void) G_GNUC_CONST;
KassaPaymentResult *kassa_payment_result_new      (const char               *provider_id);
KassaPaymentResult *kassa_payment_result_copy     (const KassaPaymentResult *result);
void                kassa_payment_result_free     (KassaPaymentResult       *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KassaPaymentResult, kassa_payment_result_free)

/**
 * KassaPaymentRefundRequest:
 * @order_id: the local order (sent as metadata)
 * @order_number: (nullable): its number
 * @refund_id: the local refund record (sent as metadata), or 0
 * @provider_reference: (nullable): the payment's provider reference
 * @amount: minor units to give back; 0 gives back all that is left
 * @currency_code: ISO 4217
 * @reason: why
 * @idempotency_key: (nullable): chosen and stored by the caller
 */
typedef struct
{
  gint64                    order_id;
  char                     *order_number;
  gint64                    refund_id;
  char                     *provider_reference;
  gint64                    amount;
  char                     *currency_code;
  KassaPaymentRefundReason  reason;
  char                     *idempotency_key;
} KassaPaymentRefundRequest;

/**
 * KassaPaymentRefundResult:
 * @refund_reference: (nullable): the provider's refund id (`re_…`)
 * @amount: minor units given back
 * @succeeded: %TRUE when the money went back, %FALSE while it is pending
 *   at the provider
 */
typedef struct
{
  char     *refund_reference;
  gint64    amount;
  gboolean  succeeded;
} KassaPaymentRefundResult;

#define KASSA_TYPE_PAYMENT_REFUND_REQUEST (kassa_payment_refund_request_get_type ())
#define KASSA_TYPE_PAYMENT_REFUND_RESULT (kassa_payment_refund_result_get_type ())

GType                      kassa_payment_refund_request_get_type (void) G_GNUC_CONST;
KassaPaymentRefundRequest *kassa_payment_refund_request_new      (void);
KassaPaymentRefundRequest *kassa_payment_refund_request_copy     (const KassaPaymentRefundRequest *request);
void                       kassa_payment_refund_request_free     (KassaPaymentRefundRequest       *request);
GType                      kassa_payment_refund_result_get_type  (void) G_GNUC_CONST;
KassaPaymentRefundResult  *kassa_payment_refund_result_new       (void);
KassaPaymentRefundResult  *kassa_payment_refund_result_copy      (const KassaPaymentRefundResult *result);
void                       kassa_payment_refund_result_free      (KassaPaymentRefundResult       *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KassaPaymentRefundRequest, kassa_payment_refund_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KassaPaymentRefundResult, kassa_payment_refund_result_free)

#define KASSA_TYPE_PAYMENT_PROVIDER (kassa_payment_provider_get_type ())

G_DECLARE_INTERFACE (KassaPaymentProvider, kassa_payment_provider, KASSA, PAYMENT_PROVIDER, GObject)

struct _KassaPaymentProviderInterface
{
  GTypeInterface parent_iface;

  const char               *(*get_id)            (KassaPaymentProvider       *self);
  const char               *(*get_display_name)  (KassaPaymentProvider       *self);
  gboolean                  (*describe_start)    (KassaPaymentProvider       *self,
                                                  const KassaPaymentRequest  *request,
                                                  char                      **method,
                                                  char                      **path,
                                                  char                      **body,
                                                  GError                    **error);
  void                      (*start_async)       (KassaPaymentProvider       *self,
                                                  const KassaPaymentRequest  *request,
                                                  GCancellable               *cancellable,
                                                  GAsyncReadyCallback         callback,
                                                  gpointer                    user_data);
  KassaPaymentResult       *(*start_finish)      (KassaPaymentProvider       *self,
                                                  GAsyncResult               *result,
                                                  GError                    **error);
  void                      (*cancel)            (KassaPaymentProvider       *self);
  void                      (*refund_async)      (KassaPaymentProvider       *self,
                                                  const KassaPaymentRefundRequest *request,
                                                  GCancellable               *cancellable,
                                                  GAsyncReadyCallback         callback,
                                                  gpointer                    user_data);
  KassaPaymentRefundResult *(*refund_finish)     (KassaPaymentProvider       *self,
                                                  GAsyncResult               *result,
                                                  GError                    **error);
};

const char               *kassa_payment_provider_get_id           (KassaPaymentProvider       *self);
const char               *kassa_payment_provider_get_display_name (KassaPaymentProvider       *self);
gboolean                  kassa_payment_provider_describe_start   (KassaPaymentProvider       *self,
                                                                   const KassaPaymentRequest  *request,
                                                                   char                      **method,
                                                                   char                      **path,
                                                                   char                      **body,
                                                                   GError                    **error);
void                      kassa_payment_provider_start_async      (KassaPaymentProvider       *self,
                                                                   const KassaPaymentRequest  *request,
                                                                   GCancellable               *cancellable,
                                                                   GAsyncReadyCallback         callback,
                                                                   gpointer                    user_data);
KassaPaymentResult       *kassa_payment_provider_start_finish     (KassaPaymentProvider       *self,
                                                                   GAsyncResult               *result,
                                                                   GError                    **error);
void                      kassa_payment_provider_cancel           (KassaPaymentProvider       *self);
void                      kassa_payment_provider_refund_async     (KassaPaymentProvider       *self,
                                                                   const KassaPaymentRefundRequest *request,
                                                                   GCancellable               *cancellable,
                                                                   GAsyncReadyCallback         callback,
                                                                   gpointer                    user_data);
KassaPaymentRefundResult *kassa_payment_provider_refund_finish    (KassaPaymentProvider       *self,
                                                                   GAsyncResult               *result,
                                                                   GError                    **error);

/* For implementations: emits "status-changed". */
void                      kassa_payment_provider_emit_status      (KassaPaymentProvider       *self,
                                                                   KassaPaymentProgress        progress,
                                                                   const char                 *message,
                                                                   const char                 *url);

G_END_DECLS
