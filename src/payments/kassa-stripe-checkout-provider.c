/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-stripe-checkout-provider"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "kassa-currency.h"
#include "kassa-money.h"
#include "kassa-payment-error.h"
#include "kassa-stripe-checkout-provider.h"

struct _KassaStripeCheckoutProvider
{
  GObject            parent_instance;

  KassaStripeClient *client;
  char              *success_url;
  char              *cancel_url;
  guint              poll_interval_ms;

  GTask             *task;        /* the running payment, or NULL */
  char              *session_id;  /* of the running or last payment */
};

typedef struct
{
  KassaPaymentRequest *request;
  KassaStripeForm     *form;
  const KassaCurrency *currency;
  char                *session_id;
  GSource             *poll_source;
  GCancellable        *cancellable;
  gulong               cancelled_id;
  gboolean             cancel_requested;
  gboolean             expiring;
  gboolean             finished;
} Run;

static void kassa_stripe_checkout_provider_iface_init (KassaPaymentProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KassaStripeCheckoutProvider, kassa_stripe_checkout_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KASSA_TYPE_PAYMENT_PROVIDER,
                                                      kassa_stripe_checkout_provider_iface_init))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_SUCCESS_URL,
  PROP_CANCEL_URL,
  PROP_POLL_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void poll_session (GTask *task);
static void expire_session (GTask *task);

/* Helpers */

static void
run_free (gpointer data)
{
  Run *run = data;

  g_assert (run->poll_source == NULL);
  g_assert (run->cancelled_id == 0);
  kassa_payment_request_free (run->request);
  g_clear_pointer (&run->form, kassa_stripe_form_free);
  g_clear_object (&run->cancellable);
  g_free (run->session_id);
  g_free (run);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* A reference that may come back expanded ({"id": …}) or as a plain id. */
static const char *
member_id (JsonObject *object,
           const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return member_string (json_node_get_object (node), "id");

  return member_string (object, name);
}

static gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;

  return json_node_get_int (node);
}

static gboolean
add_amount (KassaStripeForm      *form,
            const char           *name,
            const KassaCurrency  *currency,
            gint64                minor,
            GError              **error)
{
  gint64 amount;

  if (!kassa_currency_to_stripe_amount (currency, minor, &amount, error))
    return FALSE;
  kassa_stripe_form_add_int (form, name, amount);

  return TRUE;
}

static gboolean
add_line (KassaStripeForm      *form,
          guint                 index,
          const KassaCurrency  *currency,
          const char           *name,
          gint64                quantity,
          gint64                unit_amount,
          const char           *interval,
          guint                 interval_count,
          GError              **error)
{
  g_autofree char *prefix = g_strdup_printf ("line_items[%u]", index);
  g_autofree char *amount_name = g_strdup_printf ("%s[price_data][unit_amount]", prefix);
  g_autofree char *quantity_name = g_strdup_printf ("%s[quantity]", prefix);
  g_autofree char *index_text = g_strdup_printf ("%u", index);

  kassa_stripe_form_add_nested (form, kassa_currency_get_stripe_code (currency),
                                "line_items", index_text, "price_data", "currency", NULL);
  if (!add_amount (form, amount_name, currency, unit_amount, error))
    return FALSE;
  kassa_stripe_form_add_nested (form, name, "line_items", index_text, "price_data",
                                "product_data", "name", NULL);
  if (interval != NULL)
    {
      g_autofree char *count = g_strdup_printf ("%u", MAX (interval_count, 1));

      kassa_stripe_form_add_nested (form, interval, "line_items", index_text, "price_data",
                                    "recurring", "interval", NULL);
      kassa_stripe_form_add_nested (form, count, "line_items", index_text, "price_data",
                                    "recurring", "interval_count", NULL);
    }
  kassa_stripe_form_add_int (form, quantity_name, quantity);

  return TRUE;
}

static void
add_order_metadata (KassaStripeForm *form,
                    gint64           order_id,
                    const char      *order_number)
{
  g_autofree char *id = g_strdup_printf ("%" PRId64, order_id);

  kassa_stripe_form_add_nested (form, id, "metadata", "order_id", NULL);
  if (order_number != NULL)
    kassa_stripe_form_add_nested (form, order_number, "metadata", "order_number", NULL);
}

static char *
derived_key (const char *key,
             const char *step)
{
  return g_strconcat (key, ":", step, NULL);
}

static void
finish_run (GTask  *task,
            GError *error,
            KassaPaymentResult *result)
{
  KassaStripeCheckoutProvider *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  g_assert (!run->finished);
  run->finished = TRUE;
  if (run->poll_source != NULL)
    {
      g_source_destroy (run->poll_source);
      g_clear_pointer (&run->poll_source, g_source_unref);
    }
  if (run->cancelled_id != 0)
    {
      g_cancellable_disconnect (run->cancellable, run->cancelled_id);
      run->cancelled_id = 0;
    }

  if (self->task == task)
    g_clear_object (&self->task);

  if (error != NULL)
    {
      KassaPaymentProgress progress = KASSA_PAYMENT_PROGRESS_FAILED;

      if (g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_CANCELLED))
        progress = KASSA_PAYMENT_PROGRESS_CANCELLED;
      kassa_payment_provider_emit_status (KASSA_PAYMENT_PROVIDER (self), progress, error->message, NULL);
      g_task_return_error (task, error);
    }
  else
    {
      kassa_payment_provider_emit_status (KASSA_PAYMENT_PROVIDER (self),
                                          KASSA_PAYMENT_PROGRESS_SUCCEEDED, _("Paid."), NULL);
      g_task_return_pointer (task, result, (GDestroyNotify) kassa_payment_result_free);
    }
}

static gboolean
is_transient (const GError *error)
{
  return g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_NETWORK) ||
         g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_TIMEOUT) ||
         g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_API) ||
         g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_RATE_LIMITED);
}

static gboolean
poll_timeout_cb (gpointer user_data)
{
  poll_session (user_data);

  return G_SOURCE_REMOVE;
}

static void
schedule_poll (GTask *task)
{
  KassaStripeCheckoutProvider *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  g_assert (run->poll_source == NULL);
  run->poll_source = g_timeout_source_new (self->poll_interval_ms);
  g_task_attach_source (task, run->poll_source, poll_timeout_cb);
}

/* What the session says decides the run; an open one is polled again. */
static void
handle_session (GTask      *task,
                JsonObject *session)
{
  Run *run = g_task_get_task_data (task);
  const char *status = member_string (session, "status");
  const char *payment_status = member_string (session, "payment_status");

  if (g_strcmp0 (status, "complete") == 0 &&
      (g_strcmp0 (payment_status, "paid") == 0 || g_strcmp0 (payment_status, "no_payment_required") == 0))
    {
      g_autoptr(KassaPaymentResult) result = kassa_payment_result_new (KASSA_STRIPE_CHECKOUT_PROVIDER_ID);
      g_autoptr(GError) error = NULL;
      gint64 amount = run->request->amount;

      if (json_object_has_member (session, "amount_total") &&
          !kassa_currency_from_stripe_amount (run->currency, member_int (session, "amount_total"),
                                              &amount, &error))
        {
          finish_run (task, g_steal_pointer (&error), NULL);
          return;
        }

      result->amount = amount;
      result->currency_code = g_strdup (run->request->currency_code);
      result->method_label = g_strdup (_("QR payment"));
      result->provider_reference = g_strdup (member_id (session, "payment_intent"));
      result->checkout_session_id = g_strdup (run->session_id);
      result->subscription_id = g_strdup (member_id (session, "subscription"));
      result->paid_at = g_date_time_new_now_utc ();
      finish_run (task, NULL, g_steal_pointer (&result));
      return;
    }

  if (g_strcmp0 (status, "expired") == 0)
    {
      finish_run (task,
                  g_error_new_literal (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_CANCELLED,
                                       run->cancel_requested
                                         ? _("The QR payment was cancelled.")
                                         : _("The QR code expired before it was paid.")),
                  NULL);
      return;
    }

  if (run->cancel_requested && !run->expiring)
    {
      expire_session (task);
      return;
    }

  /* Open, or complete with the money still on its way (a delayed
   * method): look again shortly. */
  schedule_poll (task);
}

static void
get_session_cb (GObject      *object,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(JsonObject) session = NULL;
  g_autoptr(GError) error = NULL;

  session = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (object), res, NULL, &error);

  if (session == NULL)
    {
      if (!is_transient (error))
        {
          finish_run (task, g_steal_pointer (&error), NULL);
          return;
        }
      /* The QR code stays valid while the network is away: keep looking. */
      g_debug ("Polling session %s failed: %s", run->session_id, error->message);
      if (run->cancel_requested && !run->expiring)
        {
          expire_session (task);
          return;
        }
      schedule_poll (task);
      return;
    }

  handle_session (task, session);
}

static void
poll_session (GTask *task)
{
  KassaStripeCheckoutProvider *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autofree char *path = g_strdup_printf ("/v1/checkout/sessions/%s", run->session_id);

  g_clear_pointer (&run->poll_source, g_source_unref);
  kassa_stripe_client_get_async (self->client, path, NULL, NULL, get_session_cb,
                                 g_object_ref (task));
}

static void
expire_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(JsonObject) session = NULL;
  g_autoptr(GError) error = NULL;

  session = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (object), res, NULL, &error);

  if (session != NULL)
    {
      handle_session (task, session);
      return;
    }

  /* Stripe refuses to expire a session that is no longer open: it was
   * paid (or expired) meanwhile, which the session itself tells. */
  if (g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST))
    {
      poll_session (task);
      return;
    }

  /* Without an answer the code may still be open and be paid after the
   * cashier gave up: that is no failed payment, and the session must be
   * looked at (and withdrawn) again. */
  if (is_transient (error) ||
      g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME))
    {
      g_debug ("Withdrawing session %s failed: %s", run->session_id, error->message);
      g_clear_error (&error);
      error = g_error_new_literal (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME,
                                   _("The QR code could not be withdrawn and may still be paid. "
                                     "Check it before trying again."));
    }

  finish_run (task, g_steal_pointer (&error), NULL);
}

static void
expire_session (GTask *task)
{
  KassaStripeCheckoutProvider *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autofree char *path = g_strdup_printf ("/v1/checkout/sessions/%s/expire", run->session_id);
  g_autofree char *key = derived_key (run->request->idempotency_key, "expire");

  if (run->poll_source != NULL)
    {
      g_source_destroy (run->poll_source);
      g_clear_pointer (&run->poll_source, g_source_unref);
    }

  run->expiring = TRUE;
  kassa_payment_provider_emit_status (KASSA_PAYMENT_PROVIDER (self),
                                      KASSA_PAYMENT_PROGRESS_CANCELLING,
                                      _("Withdrawing the QR code…"), NULL);
  kassa_stripe_client_post_async (self->client, path, NULL, key, NULL, expire_cb,
                                  g_object_ref (task));
}

static void
create_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KassaStripeCheckoutProvider *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(JsonObject) session = NULL;
  g_autoptr(GError) error = NULL;
  const char *url;

  session = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (object), res, NULL, &error);
  if (session == NULL)
    {
      finish_run (task, g_steal_pointer (&error), NULL);
      return;
    }

  run->session_id = g_strdup (member_string (session, "id"));
  if (run->session_id == NULL)
    {
      finish_run (task, g_error_new_literal (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_RESPONSE,
                                             _("Stripe answered without a session.")),
                  NULL);
      return;
    }
  g_free (self->session_id);
  self->session_id = g_strdup (run->session_id);

  url = member_string (session, "url");
  if (url != NULL && g_strcmp0 (member_string (session, "status"), "open") == 0)
    kassa_payment_provider_emit_status (KASSA_PAYMENT_PROVIDER (self),
                                        KASSA_PAYMENT_PROGRESS_SHOWING_CODE,
                                        _("Scan the code to pay."), url);

  handle_session (task, session);
}

static void
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  KassaStripeCheckoutProvider *self = user_data;

  kassa_payment_provider_cancel (KASSA_PAYMENT_PROVIDER (self));
}

/* Overrides */

static const char *
kassa_stripe_checkout_provider_get_id (KassaPaymentProvider *provider)
{
  return KASSA_STRIPE_CHECKOUT_PROVIDER_ID;
}

static const char *
kassa_stripe_checkout_provider_get_display_name (KassaPaymentProvider *provider)
{
  return _("Pay by QR code");
}

static gboolean
kassa_stripe_checkout_provider_describe_start (KassaPaymentProvider       *provider,
                                               const KassaPaymentRequest  *request,
                                               char                      **method,
                                               char                      **path,
                                               char                      **body,
                                               GError                    **error)
{
  KassaStripeCheckoutProvider *self = KASSA_STRIPE_CHECKOUT_PROVIDER (provider);
  g_autoptr(KassaStripeForm) form = kassa_stripe_checkout_provider_build_form (self, request, error);

  if (form == NULL)
    return FALSE;

  *method = g_strdup ("POST");
  *path = g_strdup ("/v1/checkout/sessions");
  *body = kassa_stripe_form_encode (form);

  return TRUE;
}

static void
kassa_stripe_checkout_provider_start_async (KassaPaymentProvider      *provider,
                                            const KassaPaymentRequest *request,
                                            GCancellable              *cancellable,
                                            GAsyncReadyCallback        callback,
                                            gpointer                   user_data)
{
  KassaStripeCheckoutProvider *self = KASSA_STRIPE_CHECKOUT_PROVIDER (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  Run *run;

  g_task_set_source_tag (task, kassa_stripe_checkout_provider_start_async);
  /* A cancel still reports a payment that beat it. */
  g_task_set_check_cancellable (task, FALSE);

  if (self->task != NULL)
    {
      g_task_return_new_error (task, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_FAILED,
                               _("A QR payment is already running."));
      return;
    }
  if (request->idempotency_key == NULL)
    {
      g_task_return_new_error (task, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST,
                               _("The payment has no idempotency key."));
      return;
    }

  run = g_new0 (Run, 1);
  run->request = kassa_payment_request_copy (request);
  g_task_set_task_data (task, run, run_free);
  run->currency = kassa_currency_lookup (request->currency_code, &error);
  if (run->currency == NULL ||
      (run->form = kassa_stripe_checkout_provider_build_form (self, request, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->task = g_object_ref (task);
  g_clear_pointer (&self->session_id, g_free);

  kassa_payment_provider_emit_status (provider, KASSA_PAYMENT_PROGRESS_STARTING,
                                      _("Preparing the QR code…"), NULL);

  kassa_stripe_client_post_async (self->client, "/v1/checkout/sessions", run->form,
                                  request->idempotency_key, NULL, create_cb, g_object_ref (task));

  if (cancellable != NULL)
    {
      run->cancellable = g_object_ref (cancellable);
      run->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), self, NULL);
    }
}

static KassaPaymentResult *
kassa_stripe_checkout_provider_start_finish (KassaPaymentProvider  *provider,
                                             GAsyncResult          *result,
                                             GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
kassa_stripe_checkout_provider_cancel (KassaPaymentProvider *provider)
{
  KassaStripeCheckoutProvider *self = KASSA_STRIPE_CHECKOUT_PROVIDER (provider);
  Run *run;

  if (self->task == NULL)
    return;

  run = g_task_get_task_data (self->task);
  if (run->cancel_requested)
    return;
  run->cancel_requested = TRUE;

  /* With a request in flight (or its answer being handled) the answer
   * sees the flag in handle_session(); while waiting for the next look,
   * expire now. One request at a time, always. */
  if (run->poll_source != NULL)
    expire_session (self->task);
}

static void
kassa_stripe_checkout_provider_refund_async (KassaPaymentProvider            *provider,
                                             const KassaPaymentRefundRequest *request,
                                             GCancellable                    *cancellable,
                                             GAsyncReadyCallback              callback,
                                             gpointer                         user_data)
{
  KassaStripeCheckoutProvider *self = KASSA_STRIPE_CHECKOUT_PROVIDER (provider);

  kassa_stripe_refund_async (self->client, self, request, cancellable, callback, user_data);
}

static KassaPaymentRefundResult *
kassa_stripe_checkout_provider_refund_finish (KassaPaymentProvider  *provider,
                                              GAsyncResult          *result,
                                              GError               **error)
{
  return kassa_stripe_refund_finish (result, error);
}

static void
kassa_stripe_checkout_provider_dispose (GObject *object)
{
  KassaStripeCheckoutProvider *self = KASSA_STRIPE_CHECKOUT_PROVIDER (object);

  /* A running payment holds a reference to its provider: there is none. */
  g_assert (self->task == NULL);

  G_OBJECT_CLASS (kassa_stripe_checkout_provider_parent_class)->dispose (object);
}

static void
kassa_stripe_checkout_provider_finalize (GObject *object)
{
  KassaStripeCheckoutProvider *self = KASSA_STRIPE_CHECKOUT_PROVIDER (object);

  g_clear_object (&self->client);
  g_free (self->success_url);
  g_free (self->cancel_url);
  g_free (self->session_id);

  G_OBJECT_CLASS (kassa_stripe_checkout_provider_parent_class)->finalize (object);
}

static void
kassa_stripe_checkout_provider_get_property (GObject    *object,
                                             guint       prop_id,
                                             GValue     *value,
                                             GParamSpec *pspec)
{
  KassaStripeCheckoutProvider *self = KASSA_STRIPE_CHECKOUT_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_SUCCESS_URL:
      g_value_set_string (value, self->success_url);
      break;
    case PROP_CANCEL_URL:
      g_value_set_string (value, self->cancel_url);
      break;
    case PROP_POLL_INTERVAL:
      g_value_set_uint (value, self->poll_interval_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_stripe_checkout_provider_set_property (GObject      *object,
                                             guint         prop_id,
                                             const GValue *value,
                                             GParamSpec   *pspec)
{
  KassaStripeCheckoutProvider *self = KASSA_STRIPE_CHECKOUT_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_SUCCESS_URL:
      self->success_url = g_value_dup_string (value);
      break;
    case PROP_CANCEL_URL:
      self->cancel_url = g_value_dup_string (value);
      break;
    case PROP_POLL_INTERVAL:
      kassa_stripe_checkout_provider_set_poll_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_stripe_checkout_provider_iface_init (KassaPaymentProviderInterface *iface)
{
  iface->get_id = kassa_stripe_checkout_provider_get_id;
  iface->get_display_name = kassa_stripe_checkout_provider_get_display_name;
  iface->describe_start = kassa_stripe_checkout_provider_describe_start;
  iface->start_async = kassa_stripe_checkout_provider_start_async;
  iface->start_finish = kassa_stripe_checkout_provider_start_finish;
  iface->cancel = kassa_stripe_checkout_provider_cancel;
  iface->refund_async = kassa_stripe_checkout_provider_refund_async;
  iface->refund_finish = kassa_stripe_checkout_provider_refund_finish;
}

static void
kassa_stripe_checkout_provider_class_init (KassaStripeCheckoutProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kassa_stripe_checkout_provider_dispose;
  object_class->finalize = kassa_stripe_checkout_provider_finalize;
  object_class->get_property = kassa_stripe_checkout_provider_get_property;
  object_class->set_property = kassa_stripe_checkout_provider_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, KASSA_TYPE_STRIPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUCCESS_URL] =
    g_param_spec_string ("success-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CANCEL_URL] =
    g_param_spec_string ("cancel-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POLL_INTERVAL] =
    g_param_spec_uint ("poll-interval", NULL, NULL, 1, 60000, KASSA_STRIPE_CHECKOUT_DEFAULT_POLL_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_stripe_checkout_provider_init (KassaStripeCheckoutProvider *self)
{
  self->poll_interval_ms = KASSA_STRIPE_CHECKOUT_DEFAULT_POLL_MS;
}

/* Public API */

/**
 * kassa_stripe_checkout_provider_new:
 * @client: the Stripe client
 * @success_url: where the payment page sends the customer after paying
 *   (a store setting)
 * @cancel_url: (nullable): where it sends them on giving up
 */
KassaStripeCheckoutProvider *
kassa_stripe_checkout_provider_new (KassaStripeClient *client,
                                    const char        *success_url,
                                    const char        *cancel_url)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_CLIENT (client), NULL);
  g_return_val_if_fail (success_url != NULL, NULL);

  return g_object_new (KASSA_TYPE_STRIPE_CHECKOUT_PROVIDER,
                       "client", client,
                       "success-url", success_url,
                       "cancel-url", cancel_url,
                       NULL);
}

KassaStripeClient *
kassa_stripe_checkout_provider_get_client (KassaStripeCheckoutProvider *self)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_CHECKOUT_PROVIDER (self), NULL);

  return self->client;
}

void
kassa_stripe_checkout_provider_set_poll_interval (KassaStripeCheckoutProvider *self,
                                                  guint                        interval_ms)
{
  g_return_if_fail (KASSA_IS_STRIPE_CHECKOUT_PROVIDER (self));
  g_return_if_fail (interval_ms > 0);

  if (self->poll_interval_ms == interval_ms)
    return;

  self->poll_interval_ms = interval_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLL_INTERVAL]);
}

guint
kassa_stripe_checkout_provider_get_poll_interval (KassaStripeCheckoutProvider *self)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_CHECKOUT_PROVIDER (self), 0);

  return self->poll_interval_ms;
}

/**
 * kassa_stripe_checkout_provider_get_session_id:
 *
 * Returns: (nullable): the session of the running or last payment
 */
const char *
kassa_stripe_checkout_provider_get_session_id (KassaStripeCheckoutProvider *self)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_CHECKOUT_PROVIDER (self), NULL);

  return self->session_id;
}

/**
 * kassa_stripe_checkout_provider_build_form:
 *
 * The body of `POST /v1/checkout/sessions` for @request. Lines whose
 * amounts add up to the request's are sent as they are (a fractional
 * quantity as quantity 1 at its line amount, since Stripe counts whole
 * units); otherwise (one part of a split tender) one line carries the
 * amount under the description.
 *
 * Returns: (transfer full): the form, or %NULL with @error set
 */
KassaStripeForm *
kassa_stripe_checkout_provider_build_form (KassaStripeCheckoutProvider *self,
                                           const KassaPaymentRequest   *request,
                                           GError                     **error)
{
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  g_autofree char *order_id = NULL;
  const KassaCurrency *currency;
  gboolean subscription;
  guint n = 0;

  g_return_val_if_fail (KASSA_IS_STRIPE_CHECKOUT_PROVIDER (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  currency = kassa_currency_lookup (request->currency_code, error);
  if (currency == NULL)
    return NULL;
  if (kassa_currency_get_stripe_code (currency) == NULL)
    {
      g_set_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST,
                   _("Stripe does not take payments in %s."), request->currency_code);
      return NULL;
    }
  if (request->amount <= 0)
    {
      g_set_error_literal (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST,
                           _("There is nothing to pay."));
      return NULL;
    }

  subscription = request->mode == KASSA_PAYMENT_MODE_SUBSCRIPTION;
  if (subscription && !kassa_payment_request_lines_match (request))
    {
      g_set_error_literal (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST,
                           _("A subscription is paid in full, with its lines."));
      return NULL;
    }

  kassa_stripe_form_add (form, "mode", subscription ? "subscription" : "payment");

  if (kassa_payment_request_lines_match (request))
    {
      gboolean any_recurring = FALSE;

      for (guint i = 0; i < request->lines->len; i++)
        {
          const KassaPaymentLine *line = g_ptr_array_index (request->lines, i);
          gint64 quantity = line->quantity / KASSA_QUANTITY_ONE;
          gint64 unit_amount = line->unit_amount;
          gint64 product;

          /* Stripe counts whole units at one price; anything else (a
           * weighed line, a line discount) goes as one unit of its total. */
          if (line->quantity % KASSA_QUANTITY_ONE != 0 || quantity < 1 ||
              !kassa_checked_mul (quantity, unit_amount, &product) || product != line->amount)
            {
              quantity = 1;
              unit_amount = line->amount;
            }

          if (line->recurring_interval != NULL)
            any_recurring = TRUE;
          if (line->recurring_interval != NULL && !subscription)
            {
              g_set_error_literal (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST,
                                   _("A recurring item needs a subscription payment."));
              return NULL;
            }
          if (!add_line (form, n++, currency, line->name, quantity, unit_amount,
                         line->recurring_interval, line->recurring_interval_count, error))
            return NULL;
        }

      if (subscription && !any_recurring)
        {
          g_set_error_literal (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST,
                               _("A subscription needs a recurring item."));
          return NULL;
        }
    }
  else
    {
      g_autofree char *name = NULL;

      if (request->description != NULL)
        name = g_strdup (request->description);
      else if (request->order_number != NULL)
        name = g_strdup_printf (_("Order %s"), request->order_number);
      else
        name = g_strdup (_("Payment"));

      if (!add_line (form, n++, currency, name, 1, request->amount, NULL, 0, error))
        return NULL;
    }

  order_id = g_strdup_printf ("%" PRId64, request->order_id);
  kassa_stripe_form_add (form, "client_reference_id", order_id);
  add_order_metadata (form, request->order_id, request->order_number);
  if (request->customer_email != NULL)
    kassa_stripe_form_add (form, "customer_email", request->customer_email);
  if (request->created_at != NULL)
    kassa_stripe_form_add_int (form, "expires_at",
                               g_date_time_to_unix (request->created_at) + KASSA_STRIPE_CHECKOUT_EXPIRY_SECONDS);
  kassa_stripe_form_add (form, "success_url", self->success_url);
  if (self->cancel_url != NULL)
    kassa_stripe_form_add (form, "cancel_url", self->cancel_url);

  return g_steal_pointer (&form);
}

/* Refunds, shared with the Terminal provider */

/**
 * kassa_stripe_refund_build_form:
 *
 * Returns: (transfer full): the body of `POST /v1/refunds`, or %NULL
 *   with @error set
 */
KassaStripeForm *
kassa_stripe_refund_build_form (const KassaPaymentRefundRequest  *request,
                                GError                          **error)
{
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  static const char * const reasons[] = {
    [KASSA_PAYMENT_REFUND_REASON_NONE] = NULL,
    [KASSA_PAYMENT_REFUND_REASON_REQUESTED_BY_CUSTOMER] = "requested_by_customer",
    [KASSA_PAYMENT_REFUND_REASON_DUPLICATE] = "duplicate",
    [KASSA_PAYMENT_REFUND_REASON_FRAUDULENT] = "fraudulent",
  };

  g_return_val_if_fail (request != NULL, NULL);

  if (request->provider_reference == NULL)
    {
      g_set_error_literal (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST,
                           _("The payment has no Stripe reference to refund."));
      return NULL;
    }

  kassa_stripe_form_add (form, "payment_intent", request->provider_reference);
  if (request->amount > 0)
    {
      const KassaCurrency *currency = kassa_currency_lookup (request->currency_code, error);

      if (currency == NULL || !add_amount (form, "amount", currency, request->amount, error))
        return NULL;
    }
  if ((guint) request->reason < G_N_ELEMENTS (reasons) && reasons[request->reason] != NULL)
    kassa_stripe_form_add (form, "reason", reasons[request->reason]);
  add_order_metadata (form, request->order_id, request->order_number);
  if (request->refund_id > 0)
    {
      g_autofree char *refund_id = g_strdup_printf ("%" PRId64, request->refund_id);

      kassa_stripe_form_add_nested (form, refund_id, "metadata", "refund_id", NULL);
    }

  return g_steal_pointer (&form);
}

static void
refund_post_cb (GObject      *object,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const KassaPaymentRefundRequest *request = g_task_get_task_data (task);
  g_autoptr(KassaPaymentRefundResult) result = NULL;
  g_autoptr(JsonObject) refund = NULL;
  g_autoptr(GError) error = NULL;
  const KassaCurrency *currency;
  const char *status;

  refund = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (object), res, NULL, &error);
  if (refund == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  status = member_string (refund, "status");
  if (g_strcmp0 (status, "failed") == 0 || g_strcmp0 (status, "canceled") == 0)
    {
      g_task_return_new_error (task, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_FAILED,
                               _("Stripe could not make the refund."));
      return;
    }

  result = kassa_payment_refund_result_new ();
  result->refund_reference = g_strdup (member_string (refund, "id"));
  result->succeeded = g_strcmp0 (status, "succeeded") == 0;
  currency = kassa_currency_lookup (request->currency_code, &error);
  if (currency == NULL ||
      !kassa_currency_from_stripe_amount (currency, member_int (refund, "amount"), &result->amount, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&result),
                         (GDestroyNotify) kassa_payment_refund_result_free);
}

/**
 * kassa_stripe_refund_async:
 * @source_object: (nullable): the provider, as the result's source
 *
 * Refunds a PaymentIntent with request->idempotency_key; repeating it
 * with the same request replays Stripe's first answer.
 */
void
kassa_stripe_refund_async (KassaStripeClient               *client,
                           gpointer                         source_object,
                           const KassaPaymentRefundRequest *request,
                           GCancellable                    *cancellable,
                           GAsyncReadyCallback              callback,
                           gpointer                         user_data)
{
  g_autoptr(GTask) task = g_task_new (source_object, cancellable, callback, user_data);
  g_autoptr(KassaStripeForm) form = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (KASSA_IS_STRIPE_CLIENT (client));
  g_return_if_fail (request != NULL);

  g_task_set_source_tag (task, kassa_stripe_refund_async);
  g_task_set_task_data (task, kassa_payment_refund_request_copy (request),
                        (GDestroyNotify) kassa_payment_refund_request_free);

  if (request->idempotency_key == NULL)
    {
      g_task_return_new_error (task, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST,
                               _("The refund has no idempotency key."));
      return;
    }

  form = kassa_stripe_refund_build_form (request, &error);
  if (form == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  kassa_stripe_client_post_async (client, "/v1/refunds", form, request->idempotency_key,
                                  cancellable, refund_post_cb, g_steal_pointer (&task));
}

KassaPaymentRefundResult *
kassa_stripe_refund_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
