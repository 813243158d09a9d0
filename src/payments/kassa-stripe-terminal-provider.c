/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-stripe-terminal-provider"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "kassa-currency.h"
#include "kassa-money.h"
#include "kassa-payment-error.h"
#include "kassa-stripe-checkout-provider.h"
#include "kassa-stripe-terminal-provider.h"

/* How often an unclear capture is looked at again before the run ends
 * with an unknown outcome. */
#define MAX_CAPTURE_TRIES 2

struct _KassaStripeTerminalProvider
{
  GObject            parent_instance;

  KassaStripeClient *client;
  char              *reader_id;
  gboolean           manual_capture;
  guint              poll_interval_ms;

  GTask             *task;
  char              *payment_intent_id;
};

typedef struct
{
  KassaPaymentRequest *request;
  KassaStripeForm     *form;
  const KassaCurrency *currency;
  char                *reader_id;
  char                *intent_id;
  GSource             *poll_source;
  GCancellable        *cancellable;
  gulong               cancelled_id;
  GError              *final_error;     /* why the intent is being cancelled */
  guint                capture_tries;
  gboolean             cancel_requested;
  gboolean             authorised;      /* the intent was seen holding money */
  gboolean             cancelling;
  gboolean             in_flight;
  gboolean             finished;
} Run;

static void kassa_stripe_terminal_provider_iface_init (KassaPaymentProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KassaStripeTerminalProvider, kassa_stripe_terminal_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KASSA_TYPE_PAYMENT_PROVIDER,
                                                      kassa_stripe_terminal_provider_iface_init))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_READER_ID,
  PROP_MANUAL_CAPTURE,
  PROP_POLL_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void poll_reader (GTask *task);
static void fetch_intent (GTask *task);
static void cancel_intent (GTask *task, GError *final_error);
static void clear_reader_action (GTask *task);

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
  g_clear_error (&run->final_error);
  g_free (run->reader_id);
  g_free (run->intent_id);
  g_free (run);
}

void
kassa_stripe_reader_free (KassaStripeReader *reader)
{
  if (reader == NULL)
    return;

  g_free (reader->id);
  g_free (reader->label);
  g_free (reader->device_type);
  g_free (reader->status);
  g_free (reader);
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
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

static gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;

  return json_node_get_int (node);
}

static char *
derived_key (Run        *run,
             const char *step)
{
  return g_strconcat (run->request->idempotency_key, ":", step, NULL);
}

static gboolean
is_transient (const GError *error)
{
  return g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_NETWORK) ||
         g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_TIMEOUT) ||
         g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_API) ||
         g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_RATE_LIMITED);
}

static void
finish_run (GTask              *task,
            GError             *error,
            KassaPaymentResult *result)
{
  KassaStripeTerminalProvider *self = g_task_get_source_object (task);
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
                                          KASSA_PAYMENT_PROGRESS_SUCCEEDED, _("Paid by card."), NULL);
      g_task_return_pointer (task, result, (GDestroyNotify) kassa_payment_result_free);
    }
}

static GError *
cancelled_error (void)
{
  return g_error_new_literal (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_CANCELLED,
                              _("The card payment was cancelled."));
}

static char *
method_label (JsonObject *intent)
{
  JsonObject *charge = member_object (intent, "latest_charge");
  JsonObject *details = member_object (member_object (charge, "payment_method_details"), "card_present");
  const char *brand = member_string (details, "brand");
  const char *last4 = member_string (details, "last4");

  if (brand != NULL && last4 != NULL)
    {
      g_autofree char *name = g_strdup (brand);

      name[0] = g_ascii_toupper (name[0]);
      return g_strdup_printf ("%s •••• %s", name, last4);
    }

  return g_strdup (_("Card"));
}

static void
succeed (GTask      *task,
         JsonObject *intent)
{
  Run *run = g_task_get_task_data (task);
  g_autoptr(KassaPaymentResult) result = kassa_payment_result_new (KASSA_STRIPE_TERMINAL_PROVIDER_ID);
  g_autoptr(GError) error = NULL;

  if (!kassa_currency_from_stripe_amount (run->currency, member_int (intent, "amount_received"),
                                          &result->amount, &error))
    {
      finish_run (task, g_steal_pointer (&error), NULL);
      return;
    }
  result->currency_code = g_strdup (run->request->currency_code);
  result->method_label = method_label (intent);
  result->provider_reference = g_strdup (run->intent_id);
  result->reader_id = g_strdup (run->reader_id);
  result->paid_at = g_date_time_new_now_utc ();
  finish_run (task, NULL, g_steal_pointer (&result));
}

static gboolean
poll_timeout_cb (gpointer user_data)
{
  poll_reader (user_data);

  return G_SOURCE_REMOVE;
}

static void
schedule_poll (GTask *task)
{
  KassaStripeTerminalProvider *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  g_assert (run->poll_source == NULL);
  run->poll_source = g_timeout_source_new (self->poll_interval_ms);
  g_task_attach_source (task, run->poll_source, poll_timeout_cb);
}

/* Cancelling the intent ends every unsuccessful run, so no authorisation
 * is left hanging on the customer's card. */
static void
cancel_intent_cb (GObject      *object,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(JsonObject) intent = NULL;
  g_autoptr(GError) error = NULL;

  run->in_flight = FALSE;
  intent = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (object), res, NULL, &error);
  if (intent == NULL)
    {
      g_debug ("Cancelling %s failed: %s", run->intent_id, error->message);

      /* An authorisation that could not be released still holds the
       * customer's money: that is no failed payment, but one whose end
       * is not known until the intent is looked at again. */
      if (run->authorised)
        {
          g_clear_error (&run->final_error);
          finish_run (task,
                      g_error_new_literal (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME,
                                           _("The card payment could not be cancelled and may still hold "
                                             "the amount. Check it before trying again.")),
                      NULL);
          return;
        }
    }

  finish_run (task, g_steal_pointer (&run->final_error), NULL);
}

static void
cancel_intent (GTask  *task,
               GError *final_error)
{
  KassaStripeTerminalProvider *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autofree char *path = g_strdup_printf ("/v1/payment_intents/%s/cancel", run->intent_id);
  g_autofree char *key = derived_key (run, "cancel");

  g_clear_error (&run->final_error);
  run->final_error = final_error;
  run->cancelling = TRUE;
  run->in_flight = TRUE;
  kassa_stripe_client_post_async (self->client, path, NULL, key, NULL, cancel_intent_cb,
                                  g_object_ref (task));
}

static void
capture_cb (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(JsonObject) intent = NULL;
  g_autoptr(GError) error = NULL;

  run->in_flight = FALSE;
  intent = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (object), res, NULL, &error);
  if (intent != NULL && g_strcmp0 (member_string (intent, "status"), "succeeded") == 0)
    {
      succeed (task, intent);
      return;
    }

  /* Whatever went wrong, the intent itself says whether the money was
   * taken; fetching it never captures twice. */
  if (intent == NULL)
    g_debug ("Capturing %s: %s", run->intent_id, error->message);
  if (run->capture_tries >= MAX_CAPTURE_TRIES)
    {
      if (error == NULL || !g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME))
        {
          g_clear_error (&error);
          error = g_error_new_literal (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME,
                                       _("It is not known whether the card payment was captured. "
                                         "Check it before trying again."));
        }
      finish_run (task, g_steal_pointer (&error), NULL);
      return;
    }
  fetch_intent (task);
}

static void
capture (GTask *task)
{
  KassaStripeTerminalProvider *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autofree char *path = g_strdup_printf ("/v1/payment_intents/%s/capture", run->intent_id);
  g_autofree char *key = derived_key (run, "capture");

  run->capture_tries++;
  run->in_flight = TRUE;
  kassa_payment_provider_emit_status (KASSA_PAYMENT_PROVIDER (self), KASSA_PAYMENT_PROGRESS_CAPTURING,
                                      _("Taking the payment…"), NULL);
  kassa_stripe_client_post_async (self->client, path, NULL, key, NULL, capture_cb,
                                  g_object_ref (task));
}

/* The intent decides once the reader is done with it (or gave it up). */
static void
intent_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(JsonObject) intent = NULL;
  g_autoptr(GError) error = NULL;
  const char *status;

  run->in_flight = FALSE;
  intent = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (object), res, NULL, &error);
  if (intent == NULL)
    {
      if (is_transient (error))
        {
          schedule_poll (task);
          return;
        }
      finish_run (task, g_steal_pointer (&error), NULL);
      return;
    }

  status = member_string (intent, "status");
  run->authorised = g_strcmp0 (status, "requires_capture") == 0;
  if (g_strcmp0 (status, "succeeded") == 0)
    succeed (task, intent);
  else if (g_strcmp0 (status, "requires_capture") == 0 && run->cancel_requested)
    cancel_intent (task, cancelled_error ());
  else if (g_strcmp0 (status, "requires_capture") == 0)
    capture (task);
  else if (g_strcmp0 (status, "canceled") == 0)
    finish_run (task, cancelled_error (), NULL);
  else if (g_strcmp0 (status, "processing") == 0 && !run->cancel_requested)
    schedule_poll (task);
  else
    /* requires_payment_method: the reader let go of it without a card. */
    cancel_intent (task, cancelled_error ());
}

static void
fetch_intent (GTask *task)
{
  KassaStripeTerminalProvider *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autofree char *path = g_strdup_printf ("/v1/payment_intents/%s", run->intent_id);
  g_autoptr(KassaStripeForm) query = kassa_stripe_form_new ();

  kassa_stripe_form_add (query, "expand[]", "latest_charge");
  run->in_flight = TRUE;
  kassa_stripe_client_get_async (self->client, path, query, NULL, intent_cb, g_object_ref (task));
}

static GError *
action_error (JsonObject *action)
{
  JsonObject *api_error = member_object (action, "api_error");
  const char *decline_code = member_string (api_error, "decline_code");
  const char *code = member_string (action, "failure_code");
  const char *stripe_message = member_string (action, "failure_message");
  GError *error;

  if (g_strcmp0 (code, "card_declined") == 0 || decline_code != NULL)
    error = g_error_new_literal (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_DECLINED,
                                 kassa_payment_error_describe_decline (decline_code));
  else
    error = g_error_new_literal (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_CARD,
                                 _("The reader could not take the card."));
  kassa_payment_error_set_details (error, 0, NULL, code, decline_code, NULL, stripe_message);

  return error;
}

static void
reader_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(JsonObject) reader = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *action;
  const char *status;

  run->in_flight = FALSE;
  reader = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (object), res, NULL, &error);
  if (reader == NULL)
    {
      if (run->cancel_requested)
        clear_reader_action (task);
      else if (is_transient (error))
        schedule_poll (task);
      else
        cancel_intent (task, g_steal_pointer (&error));
      return;
    }

  action = member_object (reader, "action");
  if (action == NULL ||
      g_strcmp0 (member_string (action, "type"), "process_payment_intent") != 0 ||
      g_strcmp0 (member_string (member_object (action, "process_payment_intent"), "payment_intent"),
                 run->intent_id) != 0)
    {
      /* The action is gone (cleared on the reader or elsewhere). */
      fetch_intent (task);
      return;
    }

  status = member_string (action, "status");
  if (g_strcmp0 (status, "succeeded") == 0)
    fetch_intent (task);
  else if (g_strcmp0 (status, "failed") == 0)
    cancel_intent (task, action_error (action));
  else if (run->cancel_requested)
    clear_reader_action (task);
  else
    schedule_poll (task);
}

static void
poll_reader (GTask *task)
{
  KassaStripeTerminalProvider *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autofree char *path = g_strdup_printf ("/v1/terminal/readers/%s", run->reader_id);

  g_clear_pointer (&run->poll_source, g_source_unref);
  run->in_flight = TRUE;
  kassa_stripe_client_get_async (self->client, path, NULL, NULL, reader_cb, g_object_ref (task));
}

static void
cancel_action_cb (GObject      *object,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(JsonObject) reader = NULL;
  g_autoptr(GError) error = NULL;

  run->in_flight = FALSE;
  reader = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (object), res, NULL, &error);
  if (reader == NULL)
    g_debug ("Clearing the reader's action failed: %s", error->message);

  /* The card may have gone through just before: the intent says. */
  fetch_intent (task);
}

static void
clear_reader_action (GTask *task)
{
  KassaStripeTerminalProvider *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autofree char *path = g_strdup_printf ("/v1/terminal/readers/%s/cancel_action", run->reader_id);
  g_autofree char *key = derived_key (run, "cancel_action");

  if (run->poll_source != NULL)
    {
      g_source_destroy (run->poll_source);
      g_clear_pointer (&run->poll_source, g_source_unref);
    }
  run->cancelling = TRUE;
  run->in_flight = TRUE;
  kassa_payment_provider_emit_status (KASSA_PAYMENT_PROVIDER (self), KASSA_PAYMENT_PROGRESS_CANCELLING,
                                      _("Cancelling on the reader…"), NULL);
  kassa_stripe_client_post_async (self->client, path, NULL, key, NULL, cancel_action_cb,
                                  g_object_ref (task));
}

static void
process_cb (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KassaStripeTerminalProvider *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(JsonObject) reader = NULL;
  g_autoptr(GError) error = NULL;

  run->in_flight = FALSE;
  reader = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (object), res, NULL, &error);
  if (reader == NULL &&
      !g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME))
    {
      cancel_intent (task, g_steal_pointer (&error));
      return;
    }

  if (run->cancel_requested)
    {
      clear_reader_action (task);
      return;
    }

  /* After an unknown outcome the reader itself shows whether it holds
   * the intent; polling it is the check. */
  kassa_payment_provider_emit_status (KASSA_PAYMENT_PROVIDER (self),
                                      KASSA_PAYMENT_PROGRESS_WAITING_FOR_CUSTOMER,
                                      _("Present the card on the reader."), NULL);
  schedule_poll (task);
}

static void
process (GTask *task)
{
  KassaStripeTerminalProvider *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autofree char *path = g_strdup_printf ("/v1/terminal/readers/%s/process_payment_intent",
                                           run->reader_id);
  g_autofree char *key = derived_key (run, "process");
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();

  if (run->cancel_requested)
    {
      cancel_intent (task, cancelled_error ());
      return;
    }

  kassa_stripe_form_add (form, "payment_intent", run->intent_id);
  run->in_flight = TRUE;
  kassa_payment_provider_emit_status (KASSA_PAYMENT_PROVIDER (self), KASSA_PAYMENT_PROGRESS_PROCESSING,
                                      _("Sending the payment to the reader…"), NULL);
  kassa_stripe_client_post_async (self->client, path, form, key, NULL, process_cb,
                                  g_object_ref (task));
}

static void
display_cb (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(JsonObject) reader = NULL;
  g_autoptr(GError) error = NULL;

  run->in_flight = FALSE;
  reader = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (object), res, NULL, &error);
  /* Not every reader shows a cart; the payment goes on without it. */
  if (reader == NULL)
    g_debug ("The reader did not show the cart: %s", error->message);

  process (task);
}

static gboolean
show_cart (GTask *task)
{
  KassaStripeTerminalProvider *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autofree char *path = g_strdup_printf ("/v1/terminal/readers/%s/set_reader_display",
                                           run->reader_id);
  g_autofree char *key = derived_key (run, "display");
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  gint64 amount;

  if (!kassa_payment_request_lines_match (run->request))
    return FALSE;

  kassa_stripe_form_add (form, "type", "cart");
  kassa_stripe_form_add (form, "cart[currency]", kassa_currency_get_stripe_code (run->currency));
  for (guint i = 0; i < run->request->lines->len; i++)
    {
      const KassaPaymentLine *line = g_ptr_array_index (run->request->lines, i);
      g_autofree char *index = g_strdup_printf ("%u", i);
      g_autofree char *amount_text = NULL;
      g_autofree char *quantity_text = NULL;
      gint64 quantity = line->quantity / KASSA_QUANTITY_ONE;
      gint64 unit = line->unit_amount;
      gint64 product;

      /* Whole units at one price as they are, anything else as one unit
       * of the line's total, as on the Checkout page. */
      if (line->quantity % KASSA_QUANTITY_ONE != 0 || quantity < 1 ||
          !kassa_checked_mul (quantity, unit, &product) || product != line->amount)
        {
          quantity = 1;
          unit = line->amount;
        }
      if (!kassa_currency_to_stripe_amount (run->currency, unit, &amount, NULL))
        return FALSE;
      amount_text = g_strdup_printf ("%" PRId64, amount);
      quantity_text = g_strdup_printf ("%" PRId64, quantity);
      kassa_stripe_form_add_nested (form, line->name, "cart", "line_items", index, "description", NULL);
      kassa_stripe_form_add_nested (form, amount_text, "cart", "line_items", index, "amount", NULL);
      kassa_stripe_form_add_nested (form, quantity_text, "cart", "line_items", index, "quantity", NULL);
    }
  if (!kassa_currency_to_stripe_amount (run->currency, run->request->amount, &amount, NULL))
    return FALSE;
  kassa_stripe_form_add_int (form, "cart[total]", amount);

  run->in_flight = TRUE;
  kassa_stripe_client_post_async (self->client, path, form, key, NULL, display_cb,
                                  g_object_ref (task));

  return TRUE;
}

static void
create_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KassaStripeTerminalProvider *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(JsonObject) intent = NULL;
  g_autoptr(GError) error = NULL;
  const char *status;

  run->in_flight = FALSE;
  intent = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (object), res, NULL, &error);
  if (intent == NULL)
    {
      finish_run (task, g_steal_pointer (&error), NULL);
      return;
    }

  run->intent_id = g_strdup (member_string (intent, "id"));
  if (run->intent_id == NULL)
    {
      finish_run (task, g_error_new_literal (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_RESPONSE,
                                             _("Stripe answered without a payment.")),
                  NULL);
      return;
    }
  g_free (self->payment_intent_id);
  self->payment_intent_id = g_strdup (run->intent_id);

  /* Starting again with the same key replays the intent as it was
   * created; its current state is what counts. */
  status = member_string (intent, "status");
  if (g_strcmp0 (status, "requires_payment_method") != 0)
    {
      fetch_intent (task);
      return;
    }

  if (run->cancel_requested)
    cancel_intent (task, cancelled_error ());
  else if (!show_cart (task))
    process (task);
}

static void
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  kassa_payment_provider_cancel (KASSA_PAYMENT_PROVIDER (user_data));
}

/* Overrides */

static const char *
kassa_stripe_terminal_provider_get_id (KassaPaymentProvider *provider)
{
  return KASSA_STRIPE_TERMINAL_PROVIDER_ID;
}

static const char *
kassa_stripe_terminal_provider_get_display_name (KassaPaymentProvider *provider)
{
  return _("Card reader");
}

static gboolean
kassa_stripe_terminal_provider_describe_start (KassaPaymentProvider       *provider,
                                               const KassaPaymentRequest  *request,
                                               char                      **method,
                                               char                      **path,
                                               char                      **body,
                                               GError                    **error)
{
  KassaStripeTerminalProvider *self = KASSA_STRIPE_TERMINAL_PROVIDER (provider);
  g_autoptr(KassaStripeForm) form = kassa_stripe_terminal_provider_build_form (self, request, error);

  if (form == NULL)
    return FALSE;

  *method = g_strdup ("POST");
  *path = g_strdup ("/v1/payment_intents");
  *body = kassa_stripe_form_encode (form);

  return TRUE;
}

static void
kassa_stripe_terminal_provider_start_async (KassaPaymentProvider      *provider,
                                            const KassaPaymentRequest *request,
                                            GCancellable              *cancellable,
                                            GAsyncReadyCallback        callback,
                                            gpointer                   user_data)
{
  KassaStripeTerminalProvider *self = KASSA_STRIPE_TERMINAL_PROVIDER (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  Run *run;

  g_task_set_source_tag (task, kassa_stripe_terminal_provider_start_async);
  g_task_set_check_cancellable (task, FALSE);

  if (self->task != NULL)
    {
      g_task_return_new_error (task, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_FAILED,
                               _("The card reader is busy with another payment."));
      return;
    }
  if (self->reader_id == NULL)
    {
      g_task_return_new_error (task, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST,
                               _("No card reader is selected."));
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
  run->reader_id = g_strdup (self->reader_id);
  g_task_set_task_data (task, run, run_free);
  run->currency = kassa_currency_lookup (request->currency_code, &error);
  if (run->currency == NULL ||
      (run->form = kassa_stripe_terminal_provider_build_form (self, request, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->task = g_object_ref (task);
  g_clear_pointer (&self->payment_intent_id, g_free);

  kassa_payment_provider_emit_status (provider, KASSA_PAYMENT_PROGRESS_STARTING,
                                      _("Preparing the card payment…"), NULL);
  run->in_flight = TRUE;
  kassa_stripe_client_post_async (self->client, "/v1/payment_intents", run->form,
                                  request->idempotency_key, NULL, create_cb, g_object_ref (task));

  if (cancellable != NULL)
    {
      run->cancellable = g_object_ref (cancellable);
      run->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), self, NULL);
    }
}

static KassaPaymentResult *
kassa_stripe_terminal_provider_start_finish (KassaPaymentProvider  *provider,
                                             GAsyncResult          *result,
                                             GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
kassa_stripe_terminal_provider_cancel (KassaPaymentProvider *provider)
{
  KassaStripeTerminalProvider *self = KASSA_STRIPE_TERMINAL_PROVIDER (provider);
  Run *run;

  if (self->task == NULL)
    return;

  run = g_task_get_task_data (self->task);
  if (run->cancel_requested)
    return;
  run->cancel_requested = TRUE;

  /* While a request is in flight its answer sees the flag; while the
   * reader waits for a card, clear it now. */
  if (!run->in_flight && !run->cancelling && run->poll_source != NULL)
    clear_reader_action (self->task);
}

static void
refund_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  KassaPaymentRefundResult *result = kassa_stripe_refund_finish (res, &error);

  if (result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, (GDestroyNotify) kassa_payment_refund_result_free);
}

static void
kassa_stripe_terminal_provider_refund_async (KassaPaymentProvider            *provider,
                                             const KassaPaymentRefundRequest *request,
                                             GCancellable                    *cancellable,
                                             GAsyncReadyCallback              callback,
                                             gpointer                         user_data)
{
  KassaStripeTerminalProvider *self = KASSA_STRIPE_TERMINAL_PROVIDER (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, kassa_stripe_terminal_provider_refund_async);
  kassa_stripe_refund_async (self->client, NULL, request, cancellable, refund_cb,
                             g_steal_pointer (&task));
}

static KassaPaymentRefundResult *
kassa_stripe_terminal_provider_refund_finish (KassaPaymentProvider  *provider,
                                              GAsyncResult          *result,
                                              GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
kassa_stripe_terminal_provider_finalize (GObject *object)
{
  KassaStripeTerminalProvider *self = KASSA_STRIPE_TERMINAL_PROVIDER (object);

  g_assert (self->task == NULL);
  g_clear_object (&self->client);
  g_free (self->reader_id);
  g_free (self->payment_intent_id);

  G_OBJECT_CLASS (kassa_stripe_terminal_provider_parent_class)->finalize (object);
}

static void
kassa_stripe_terminal_provider_get_property (GObject    *object,
                                             guint       prop_id,
                                             GValue     *value,
                                             GParamSpec *pspec)
{
  KassaStripeTerminalProvider *self = KASSA_STRIPE_TERMINAL_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_READER_ID:
      g_value_set_string (value, self->reader_id);
      break;
    case PROP_MANUAL_CAPTURE:
      g_value_set_boolean (value, self->manual_capture);
      break;
    case PROP_POLL_INTERVAL:
      g_value_set_uint (value, self->poll_interval_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_stripe_terminal_provider_set_property (GObject      *object,
                                             guint         prop_id,
                                             const GValue *value,
                                             GParamSpec   *pspec)
{
  KassaStripeTerminalProvider *self = KASSA_STRIPE_TERMINAL_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_READER_ID:
      kassa_stripe_terminal_provider_set_reader_id (self, g_value_get_string (value));
      break;
    case PROP_MANUAL_CAPTURE:
      kassa_stripe_terminal_provider_set_manual_capture (self, g_value_get_boolean (value));
      break;
    case PROP_POLL_INTERVAL:
      kassa_stripe_terminal_provider_set_poll_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_stripe_terminal_provider_iface_init (KassaPaymentProviderInterface *iface)
{
  iface->get_id = kassa_stripe_terminal_provider_get_id;
  iface->get_display_name = kassa_stripe_terminal_provider_get_display_name;
  iface->describe_start = kassa_stripe_terminal_provider_describe_start;
  iface->start_async = kassa_stripe_terminal_provider_start_async;
  iface->start_finish = kassa_stripe_terminal_provider_start_finish;
  iface->cancel = kassa_stripe_terminal_provider_cancel;
  iface->refund_async = kassa_stripe_terminal_provider_refund_async;
  iface->refund_finish = kassa_stripe_terminal_provider_refund_finish;
}

static void
kassa_stripe_terminal_provider_class_init (KassaStripeTerminalProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kassa_stripe_terminal_provider_finalize;
  object_class->get_property = kassa_stripe_terminal_provider_get_property;
  object_class->set_property = kassa_stripe_terminal_provider_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, KASSA_TYPE_STRIPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READER_ID] =
    g_param_spec_string ("reader-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MANUAL_CAPTURE] =
    g_param_spec_boolean ("manual-capture", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POLL_INTERVAL] =
    g_param_spec_uint ("poll-interval", NULL, NULL, 1, 60000, KASSA_STRIPE_TERMINAL_DEFAULT_POLL_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_stripe_terminal_provider_init (KassaStripeTerminalProvider *self)
{
  self->manual_capture = TRUE;
  self->poll_interval_ms = KASSA_STRIPE_TERMINAL_DEFAULT_POLL_MS;
}

/* Public API */

KassaStripeTerminalProvider *
kassa_stripe_terminal_provider_new (KassaStripeClient *client)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_CLIENT (client), NULL);

  return g_object_new (KASSA_TYPE_STRIPE_TERMINAL_PROVIDER, "client", client, NULL);
}

KassaStripeClient *
kassa_stripe_terminal_provider_get_client (KassaStripeTerminalProvider *self)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_TERMINAL_PROVIDER (self), NULL);

  return self->client;
}

const char *
kassa_stripe_terminal_provider_get_reader_id (KassaStripeTerminalProvider *self)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_TERMINAL_PROVIDER (self), NULL);

  return self->reader_id;
}

/**
 * kassa_stripe_terminal_provider_set_reader_id:
 * @reader_id: (nullable): a `tmr_…` id from the list of readers
 *
 * Selects the reader the next payment goes to.
 */
void
kassa_stripe_terminal_provider_set_reader_id (KassaStripeTerminalProvider *self,
                                              const char                  *reader_id)
{
  g_return_if_fail (KASSA_IS_STRIPE_TERMINAL_PROVIDER (self));

  if (g_strcmp0 (self->reader_id, reader_id) == 0)
    return;

  g_free (self->reader_id);
  self->reader_id = g_strdup (reader_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READER_ID]);
}

gboolean
kassa_stripe_terminal_provider_get_manual_capture (KassaStripeTerminalProvider *self)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_TERMINAL_PROVIDER (self), FALSE);

  return self->manual_capture;
}

void
kassa_stripe_terminal_provider_set_manual_capture (KassaStripeTerminalProvider *self,
                                                   gboolean                     manual)
{
  g_return_if_fail (KASSA_IS_STRIPE_TERMINAL_PROVIDER (self));

  manual = !!manual;
  if (self->manual_capture == manual)
    return;

  self->manual_capture = manual;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MANUAL_CAPTURE]);
}

void
kassa_stripe_terminal_provider_set_poll_interval (KassaStripeTerminalProvider *self,
                                                  guint                        interval_ms)
{
  g_return_if_fail (KASSA_IS_STRIPE_TERMINAL_PROVIDER (self));
  g_return_if_fail (interval_ms > 0);

  if (self->poll_interval_ms == interval_ms)
    return;

  self->poll_interval_ms = interval_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLL_INTERVAL]);
}

/**
 * kassa_stripe_terminal_provider_get_payment_intent_id:
 *
 * Returns: (nullable): the PaymentIntent of the running or last payment
 */
const char *
kassa_stripe_terminal_provider_get_payment_intent_id (KassaStripeTerminalProvider *self)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_TERMINAL_PROVIDER (self), NULL);

  return self->payment_intent_id;
}

/**
 * kassa_stripe_terminal_provider_build_form:
 *
 * Returns: (transfer full): the body of `POST /v1/payment_intents` for
 *   @request, or %NULL with @error set
 */
KassaStripeForm *
kassa_stripe_terminal_provider_build_form (KassaStripeTerminalProvider *self,
                                           const KassaPaymentRequest   *request,
                                           GError                     **error)
{
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  g_autofree char *order_id = NULL;
  const KassaCurrency *currency;
  gint64 amount;

  g_return_val_if_fail (KASSA_IS_STRIPE_TERMINAL_PROVIDER (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  if (request->mode != KASSA_PAYMENT_MODE_PAYMENT)
    {
      g_set_error_literal (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST,
                           _("Subscriptions are started by QR payment, not on the card reader."));
      return NULL;
    }
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
  if (!kassa_currency_to_stripe_amount (currency, request->amount, &amount, error))
    return NULL;

  kassa_stripe_form_add_int (form, "amount", amount);
  kassa_stripe_form_add (form, "currency", kassa_currency_get_stripe_code (currency));
  kassa_stripe_form_add (form, "allowed_payment_method_types[]", "card_present");
  kassa_stripe_form_add (form, "capture_method", self->manual_capture ? "manual" : "automatic");
  if (request->description != NULL)
    kassa_stripe_form_add (form, "description", request->description);
  order_id = g_strdup_printf ("%" PRId64, request->order_id);
  kassa_stripe_form_add_nested (form, order_id, "metadata", "order_id", NULL);
  if (request->order_number != NULL)
    kassa_stripe_form_add_nested (form, request->order_number, "metadata", "order_number", NULL);

  return g_steal_pointer (&form);
}

static void
list_readers_cb (GObject      *object,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) list = NULL;
  g_autoptr(GPtrArray) readers = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *data;

  list = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (object), res, NULL, &error);
  if (list == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = json_object_get_member (list, "data");
  if (data == NULL || !JSON_NODE_HOLDS_ARRAY (data))
    {
      g_task_return_new_error (task, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_RESPONSE,
                               _("Stripe answered without a list of readers."));
      return;
    }

  readers = g_ptr_array_new_with_free_func ((GDestroyNotify) kassa_stripe_reader_free);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (data)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (data), i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      KassaStripeReader *reader;

      if (member_string (object, "id") == NULL)
        continue;
      reader = g_new0 (KassaStripeReader, 1);
      reader->id = g_strdup (member_string (object, "id"));
      reader->label = g_strdup (member_string (object, "label"));
      reader->device_type = g_strdup (member_string (object, "device_type"));
      reader->status = g_strdup (member_string (object, "status"));
      g_ptr_array_add (readers, reader);
    }

  g_task_return_pointer (task, g_steal_pointer (&readers), (GDestroyNotify) g_ptr_array_unref);
}

void
kassa_stripe_terminal_provider_list_readers_async (KassaStripeTerminalProvider *self,
                                                   GCancellable                *cancellable,
                                                   GAsyncReadyCallback          callback,
                                                   gpointer                     user_data)
{
  GTask *task;
  g_autoptr(KassaStripeForm) query = kassa_stripe_form_new ();

  g_return_if_fail (KASSA_IS_STRIPE_TERMINAL_PROVIDER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kassa_stripe_terminal_provider_list_readers_async);
  kassa_stripe_form_add_int (query, "limit", 100);
  kassa_stripe_client_get_async (self->client, "/v1/terminal/readers", query, cancellable,
                                 list_readers_cb, task);
}

/**
 * kassa_stripe_terminal_provider_list_readers_finish:
 *
 * Returns: (transfer container) (element-type KassaStripeReader): the
 *   readers, or %NULL with @error set
 */
GPtrArray *
kassa_stripe_terminal_provider_list_readers_finish (KassaStripeTerminalProvider  *self,
                                                    GAsyncResult                 *result,
                                                    GError                      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
present_cb (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) reader = NULL;
  GError *error = NULL;

  reader = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (object), res, NULL, &error);
  if (reader == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
kassa_stripe_terminal_provider_present_test_card_async (KassaStripeTerminalProvider *self,
                                                        const char                  *card_number,
                                                        GCancellable                *cancellable,
                                                        GAsyncReadyCallback          callback,
                                                        gpointer                     user_data)
{
  GTask *task;
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  g_autofree char *path = NULL;
  g_autofree char *key = NULL;

  g_return_if_fail (KASSA_IS_STRIPE_TERMINAL_PROVIDER (self));
  g_return_if_fail (card_number != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kassa_stripe_terminal_provider_present_test_card_async);

  if (self->reader_id == NULL || !kassa_stripe_client_is_test_mode (self->client))
    {
      g_task_return_new_error (task, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST,
                               _("Test cards work on a simulated reader in test mode only."));
      g_object_unref (task);
      return;
    }

  path = g_strdup_printf ("/v1/test_helpers/terminal/readers/%s/present_payment_method",
                          self->reader_id);
  key = kassa_stripe_client_new_idempotency_key ();
  kassa_stripe_form_add (form, "card_present[number]", card_number);
  kassa_stripe_client_post_async (self->client, path, form, key, cancellable, present_cb, task);
}

gboolean
kassa_stripe_terminal_provider_present_test_card_finish (KassaStripeTerminalProvider  *self,
                                                         GAsyncResult                 *result,
                                                         GError                      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
