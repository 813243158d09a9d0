/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-fake-stripe"

#include "config.h"

#include <string.h>

#include "kassa-fake-stripe.h"
#include "kassa-stripe-client.h"

/* Test card numbers with the meaning Stripe gives them. */
#define CARD_DECLINED "4000000000000002"
#define CARD_INSUFFICIENT_FUNDS "4000000000009995"

/* Creation times start here and advance one second per object, so lists
 * have a stable order. */
#define FAKE_EPOCH G_GINT64_CONSTANT (1700000000)

typedef struct
{
  char   *body;
  guint   status;
  char   *response;
} StoredResult;

typedef struct
{
  KassaFakeFault  fault;
  char           *method;
  char           *path_prefix;
  char           *type;
  char           *code;
  char           *decline_code;
} PendingFault;

struct _KassaFakeStripe
{
  GObject               parent_instance;

  SoupServer           *server;
  char                 *url;
  char                 *secret_key;

  GPtrArray            *requests;     /* KassaFakeStripeRequest */
  GQueue                faults;       /* PendingFault */
  GHashTable           *idempotency;  /* key → StoredResult */
  GHashTable           *objects;      /* id → JsonObject */
  GPtrArray            *object_order; /* ids in creation order */
  GHashTable           *refunded;     /* payment intent id → gint64* */
  GPtrArray            *events;       /* JsonObject, oldest first */
  KassaFakeEventQuirks  quirks;
  GList                *delayed;      /* Delayed answers still waiting */
  gint64                clock;
  guint                 serial;
  GHashTable           *created_by_key; /* Idempotency-Key → GPtrArray of ids */
  const char           *current_key;    /* of the request being routed */
};

G_DEFINE_FINAL_TYPE (KassaFakeStripe, kassa_fake_stripe, G_TYPE_OBJECT)

typedef struct
{
  guint       status;
  JsonObject *body;
} Reply;

static void
request_free (KassaFakeStripeRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_clear_pointer (&request->headers, soup_message_headers_unref);
  g_free (request->body);
  g_clear_pointer (&request->form, kassa_stripe_form_free);
  g_free (request);
}

static void
stored_result_free (StoredResult *result)
{
  g_free (result->body);
  g_free (result->response);
  g_free (result);
}

static void
pending_fault_free (PendingFault *pending)
{
  g_free (pending->method);
  g_free (pending->path_prefix);
  g_free (pending->type);
  g_free (pending->code);
  g_free (pending->decline_code);
  g_free (pending);
}

static PendingFault *
pending_fault_copy (const PendingFault *pending)
{
  PendingFault *copy = g_new0 (PendingFault, 1);

  copy->fault = pending->fault;
  copy->type = g_strdup (pending->type);
  copy->code = g_strdup (pending->code);
  copy->decline_code = g_strdup (pending->decline_code);

  return copy;
}

static char *
next_id (KassaFakeStripe *self,
         const char      *prefix)
{
  return g_strdup_printf ("%s_fake_%u", prefix, ++self->serial);
}

static gint64
tick (KassaFakeStripe *self)
{
  return self->clock++;
}

static Reply
reply_object (JsonObject *object)
{
  return (Reply) { SOUP_STATUS_OK, json_object_ref (object) };
}

static Reply
reply_error (guint       status,
             const char *type,
             const char *code,
             const char *param,
             const char *message)
{
  JsonObject *body = json_object_new ();
  JsonObject *error = json_object_new ();

  json_object_set_string_member (error, "type", type);
  if (code != NULL)
    json_object_set_string_member (error, "code", code);
  if (param != NULL)
    json_object_set_string_member (error, "param", param);
  json_object_set_string_member (error, "message", message);
  json_object_set_object_member (body, "error", error);

  return (Reply) { status, body };
}

static Reply
reply_missing_param (const char *param)
{
  g_autofree char *message = g_strdup_printf ("Missing required param: %s.", param);

  return reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "parameter_missing",
                      param, message);
}

static Reply
reply_no_such (const char *what,
               const char *id)
{
  g_autofree char *message = g_strdup_printf ("No such %s: '%s'", what, id);

  return reply_error (SOUP_STATUS_NOT_FOUND, "invalid_request_error", "resource_missing",
                      "id", message);
}

static Reply
reply_bad_state (const char *message)
{
  return reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error",
                      "payment_intent_unexpected_state", NULL, message);
}

static gboolean
form_int (KassaStripeForm *form,
          const char      *name,
          gint64          *value)
{
  const char *text = kassa_stripe_form_lookup (form, name);

  return text != NULL && g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, value, NULL);
}

static JsonObject *
metadata_from_form (KassaStripeForm *form)
{
  JsonObject *metadata = json_object_new ();

  for (guint i = 0; i < kassa_stripe_form_get_length (form); i++)
    {
      const char *name = kassa_stripe_form_get_name (form, i);

      if (g_str_has_prefix (name, "metadata[") && g_str_has_suffix (name, "]"))
        {
          g_autofree char *key = g_strndup (name + 9, strlen (name) - 10);

          json_object_set_string_member (metadata, key, kassa_stripe_form_get_value (form, i));
        }
    }

  return metadata;
}

static JsonObject *
store_object (KassaFakeStripe *self,
              JsonObject      *object)
{
  const char *id = json_object_get_string_member (object, "id");

  if (!g_hash_table_contains (self->objects, id))
    {
      g_ptr_array_add (self->object_order, g_strdup (id));
      if (self->current_key != NULL)
        {
          GPtrArray *ids = g_hash_table_lookup (self->created_by_key, self->current_key);

          if (ids == NULL)
            {
              ids = g_ptr_array_new_with_free_func (g_free);
              g_hash_table_insert (self->created_by_key, g_strdup (self->current_key), ids);
            }
          g_ptr_array_add (ids, g_strdup (id));
        }
    }
  g_hash_table_replace (self->objects, g_strdup (id), object);

  return object;
}

static JsonObject *
lookup_typed (KassaFakeStripe *self,
              const char      *id,
              const char      *object_type)
{
  JsonObject *object = g_hash_table_lookup (self->objects, id);

  if (object == NULL || g_strcmp0 (json_object_get_string_member (object, "object"), object_type) != 0)
    return NULL;

  return object;
}

static void
emit_event (KassaFakeStripe *self,
            const char      *type,
            JsonObject      *object)
{
  kassa_fake_stripe_add_event (self, type, object);
}

/* PaymentIntents */

static JsonObject *
new_payment_intent (KassaFakeStripe *self,
                    gint64           amount,
                    const char      *currency,
                    const char      *capture_method,
                    JsonObject      *metadata)
{
  JsonObject *intent = json_object_new ();
  g_autofree char *id = next_id (self, "pi");
  g_autofree char *secret = g_strdup_printf ("%s_secret_fake", id);

  json_object_set_string_member (intent, "id", id);
  json_object_set_string_member (intent, "object", "payment_intent");
  json_object_set_int_member (intent, "amount", amount);
  json_object_set_int_member (intent, "amount_capturable", 0);
  json_object_set_int_member (intent, "amount_received", 0);
  json_object_set_string_member (intent, "currency", currency);
  json_object_set_string_member (intent, "capture_method", capture_method);
  json_object_set_string_member (intent, "client_secret", secret);
  json_object_set_int_member (intent, "created", tick (self));
  json_object_set_null_member (intent, "latest_charge");
  json_object_set_null_member (intent, "last_payment_error");
  json_object_set_boolean_member (intent, "livemode", FALSE);
  json_object_set_object_member (intent, "metadata", metadata);
  json_object_set_string_member (intent, "status", "requires_payment_method");

  return store_object (self, intent);
}

static void
succeed_payment_intent (KassaFakeStripe *self,
                        JsonObject      *intent)
{
  gint64 amount = json_object_get_int_member (intent, "amount");
  g_autofree char *charge = next_id (self, "ch");

  json_object_set_string_member (intent, "latest_charge", charge);
  if (g_strcmp0 (json_object_get_string_member (intent, "capture_method"), "manual") == 0)
    {
      json_object_set_string_member (intent, "status", "requires_capture");
      json_object_set_int_member (intent, "amount_capturable", amount);
      emit_event (self, "payment_intent.amount_capturable_updated", intent);
    }
  else
    {
      json_object_set_string_member (intent, "status", "succeeded");
      json_object_set_int_member (intent, "amount_received", amount);
      emit_event (self, "payment_intent.succeeded", intent);
    }
}

static Reply
create_payment_intent (KassaFakeStripe *self,
                       KassaStripeForm *form)
{
  const char *currency = kassa_stripe_form_lookup (form, "currency");
  const char *capture_method = kassa_stripe_form_lookup (form, "capture_method");
  JsonObject *intent;
  JsonArray *types;
  gint64 amount;

  if (!form_int (form, "amount", &amount))
    return reply_missing_param ("amount");
  if (amount < 1)
    return reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "amount_too_small",
                        "amount", "Amount must be at least 1.");
  if (currency == NULL)
    return reply_missing_param ("currency");
  if (capture_method == NULL)
    capture_method = "automatic";
  if (!g_str_equal (capture_method, "automatic") && !g_str_equal (capture_method, "manual") &&
      !g_str_equal (capture_method, "automatic_async"))
    return reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "parameter_invalid",
                        "capture_method", "Invalid capture_method.");

  intent = new_payment_intent (self, amount, currency, capture_method, metadata_from_form (form));

  types = json_array_new ();
  for (guint i = 0; i < kassa_stripe_form_get_length (form); i++)
    if (g_str_has_prefix (kassa_stripe_form_get_name (form, i), "allowed_payment_method_types["))
      json_array_add_string_element (types, kassa_stripe_form_get_value (form, i));
  if (json_array_get_length (types) == 0)
    json_array_add_string_element (types, "card");
  json_object_set_array_member (intent, "allowed_payment_method_types", json_array_ref (types));
  json_object_set_array_member (intent, "payment_method_types", types);

  emit_event (self, "payment_intent.created", intent);

  return reply_object (intent);
}

static Reply
cancel_payment_intent (KassaFakeStripe *self,
                       JsonObject      *intent)
{
  const char *status = json_object_get_string_member (intent, "status");

  if (g_str_equal (status, "succeeded") || g_str_equal (status, "canceled"))
    return reply_bad_state ("This PaymentIntent can no longer be canceled.");

  json_object_set_string_member (intent, "status", "canceled");
  json_object_set_int_member (intent, "canceled_at", tick (self));
  json_object_set_int_member (intent, "amount_capturable", 0);
  emit_event (self, "payment_intent.canceled", intent);

  return reply_object (intent);
}

static Reply
capture_payment_intent (KassaFakeStripe *self,
                        JsonObject      *intent,
                        KassaStripeForm *form)
{
  gint64 capturable = json_object_get_int_member (intent, "amount_capturable");
  gint64 amount = capturable;

  if (!g_str_equal (json_object_get_string_member (intent, "status"), "requires_capture"))
    return reply_bad_state ("This PaymentIntent could not be captured because it has a status "
                            "other than requires_capture.");

  if (kassa_stripe_form_lookup (form, "amount_to_capture") != NULL &&
      (!form_int (form, "amount_to_capture", &amount) || amount < 1 || amount > capturable))
    return reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "amount_too_large",
                        "amount_to_capture", "The amount to capture is invalid.");

  json_object_set_string_member (intent, "status", "succeeded");
  json_object_set_int_member (intent, "amount_received", amount);
  json_object_set_int_member (intent, "amount_capturable", 0);
  emit_event (self, "payment_intent.succeeded", intent);

  return reply_object (intent);
}

/* Checkout Sessions */

static Reply
create_checkout_session (KassaFakeStripe *self,
                         KassaStripeForm *form)
{
  const char *mode = kassa_stripe_form_lookup (form, "mode");
  const char *currency = NULL;
  g_autofree char *id = NULL;
  g_autofree char *url = NULL;
  JsonObject *session;
  gint64 total = 0;
  gint64 expires_at;
  guint i;

  if (mode == NULL)
    return reply_missing_param ("mode");
  if (!g_str_equal (mode, "payment") && !g_str_equal (mode, "subscription"))
    return reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "parameter_invalid",
                        "mode", "Invalid mode.");

  for (i = 0; ; i++)
    {
      g_autofree char *quantity_name = g_strdup_printf ("line_items[%u][quantity]", i);
      g_autofree char *amount_name = g_strdup_printf ("line_items[%u][price_data][unit_amount]", i);
      g_autofree char *currency_name = g_strdup_printf ("line_items[%u][price_data][currency]", i);
      g_autofree char *product_name = g_strdup_printf ("line_items[%u][price_data][product_data][name]", i);
      const char *line_currency;
      gint64 quantity;
      gint64 unit_amount;

      if (kassa_stripe_form_lookup (form, quantity_name) == NULL)
        break;
      if (!form_int (form, quantity_name, &quantity) || quantity < 1)
        return reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "parameter_invalid_integer",
                            quantity_name, "Quantity must be a positive whole number.");
      if (!form_int (form, amount_name, &unit_amount) || unit_amount < 0)
        return reply_missing_param (amount_name);
      line_currency = kassa_stripe_form_lookup (form, currency_name);
      if (line_currency == NULL)
        return reply_missing_param (currency_name);
      if (kassa_stripe_form_lookup (form, product_name) == NULL)
        return reply_missing_param (product_name);
      if (currency != NULL && !g_str_equal (currency, line_currency))
        return reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "parameter_invalid",
                            currency_name, "All line items must share one currency.");
      currency = line_currency;
      total += unit_amount * quantity;
    }

  if (i == 0)
    return reply_missing_param ("line_items");

  id = next_id (self, "cs_test");
  url = g_strdup_printf ("https://checkout.stripe.com/c/pay/%s", id);

  session = json_object_new ();
  json_object_set_string_member (session, "id", id);
  json_object_set_string_member (session, "object", "checkout.session");
  json_object_set_string_member (session, "mode", mode);
  json_object_set_int_member (session, "amount_total", total);
  json_object_set_string_member (session, "currency", currency);
  json_object_set_int_member (session, "created", tick (self));
  if (!form_int (form, "expires_at", &expires_at))
    expires_at = self->clock + 24 * 3600;
  json_object_set_int_member (session, "expires_at", expires_at);
  json_object_set_string_member (session, "status", "open");
  json_object_set_string_member (session, "payment_status", "unpaid");
  json_object_set_null_member (session, "payment_intent");
  json_object_set_null_member (session, "subscription");
  json_object_set_string_member (session, "url", url);
  json_object_set_boolean_member (session, "livemode", FALSE);
  if (kassa_stripe_form_lookup (form, "client_reference_id") != NULL)
    json_object_set_string_member (session, "client_reference_id",
                                   kassa_stripe_form_lookup (form, "client_reference_id"));
  else
    json_object_set_null_member (session, "client_reference_id");
  if (kassa_stripe_form_lookup (form, "success_url") != NULL)
    json_object_set_string_member (session, "success_url", kassa_stripe_form_lookup (form, "success_url"));
  json_object_set_object_member (session, "metadata", metadata_from_form (form));
  store_object (self, session);

  return reply_object (session);
}

static Reply
expire_checkout_session (KassaFakeStripe *self,
                         JsonObject      *session)
{
  if (!g_str_equal (json_object_get_string_member (session, "status"), "open"))
    return reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", NULL, NULL,
                        "Only Checkout Sessions with a status of open can be expired.");

  json_object_set_string_member (session, "status", "expired");
  json_object_set_null_member (session, "url");
  emit_event (self, "checkout.session.expired", session);

  return reply_object (session);
}

/* Refunds */

static Reply
create_refund (KassaFakeStripe *self,
               KassaStripeForm *form)
{
  const char *intent_id = kassa_stripe_form_lookup (form, "payment_intent");
  const char *reason = kassa_stripe_form_lookup (form, "reason");
  g_autofree char *id = NULL;
  JsonObject *intent;
  JsonObject *refund;
  gint64 *refunded;
  gint64 remaining;
  gint64 amount;

  if (intent_id == NULL)
    return reply_missing_param ("payment_intent");
  intent = lookup_typed (self, intent_id, "payment_intent");
  if (intent == NULL)
    return reply_no_such ("payment_intent", intent_id);
  if (!g_str_equal (json_object_get_string_member (intent, "status"), "succeeded"))
    return reply_bad_state ("This PaymentIntent has not succeeded.");
  if (reason != NULL && !g_str_equal (reason, "duplicate") && !g_str_equal (reason, "fraudulent") &&
      !g_str_equal (reason, "requested_by_customer"))
    return reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "parameter_invalid",
                        "reason", "Invalid reason.");

  refunded = g_hash_table_lookup (self->refunded, intent_id);
  if (refunded == NULL)
    {
      refunded = g_new0 (gint64, 1);
      g_hash_table_insert (self->refunded, g_strdup (intent_id), refunded);
    }
  remaining = json_object_get_int_member (intent, "amount_received") - *refunded;

  if (kassa_stripe_form_lookup (form, "amount") == NULL)
    amount = remaining;
  else if (!form_int (form, "amount", &amount) || amount < 1)
    return reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "parameter_invalid_integer",
                        "amount", "Invalid amount.");

  if (remaining == 0)
    return reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "charge_already_refunded",
                        NULL, "The charge has already been refunded.");
  if (amount > remaining)
    return reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "amount_too_large",
                        "amount", "The refund amount is greater than what is left to refund.");

  *refunded += amount;
  id = next_id (self, "re");
  refund = json_object_new ();
  json_object_set_string_member (refund, "id", id);
  json_object_set_string_member (refund, "object", "refund");
  json_object_set_int_member (refund, "amount", amount);
  json_object_set_string_member (refund, "currency", json_object_get_string_member (intent, "currency"));
  json_object_set_string_member (refund, "payment_intent", intent_id);
  json_object_set_string_member (refund, "charge", json_object_get_string_member (intent, "latest_charge"));
  json_object_set_int_member (refund, "created", tick (self));
  if (reason != NULL)
    json_object_set_string_member (refund, "reason", reason);
  else
    json_object_set_null_member (refund, "reason");
  json_object_set_string_member (refund, "status", "succeeded");
  json_object_set_object_member (refund, "metadata", metadata_from_form (form));
  store_object (self, refund);
  emit_event (self, "refund.created", refund);

  return reply_object (refund);
}

/* Terminal readers */

static Reply
process_payment_intent (KassaFakeStripe *self,
                        JsonObject      *reader,
                        KassaStripeForm *form)
{
  const char *intent_id = kassa_stripe_form_lookup (form, "payment_intent");
  JsonObject *action;
  JsonObject *process;
  JsonObject *current;
  JsonObject *intent;

  if (intent_id == NULL)
    return reply_missing_param ("payment_intent");
  intent = lookup_typed (self, intent_id, "payment_intent");
  if (intent == NULL)
    return reply_no_such ("payment_intent", intent_id);
  if (!g_str_equal (json_object_get_string_member (intent, "status"), "requires_payment_method"))
    return reply_bad_state ("This PaymentIntent cannot be processed in its current state.");

  current = json_object_get_null_member (reader, "action") ? NULL
            : json_object_get_object_member (reader, "action");
  if (current != NULL && g_str_equal (json_object_get_string_member (current, "status"), "in_progress"))
    return reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "terminal_reader_busy",
                        NULL, "The reader is busy with another action.");

  process = json_object_new ();
  json_object_set_string_member (process, "payment_intent", intent_id);
  action = json_object_new ();
  json_object_set_string_member (action, "type", "process_payment_intent");
  json_object_set_string_member (action, "status", "in_progress");
  json_object_set_null_member (action, "failure_code");
  json_object_set_null_member (action, "failure_message");
  json_object_set_object_member (action, "process_payment_intent", process);
  json_object_set_object_member (reader, "action", action);

  return reply_object (reader);
}

static Reply
cancel_reader_action (KassaFakeStripe *self,
                      JsonObject      *reader)
{
  /* The fake leaves the reader idle (no action); the PaymentIntent
   * stays open for another try, as with Stripe. */
  json_object_set_null_member (reader, "action");

  return reply_object (reader);
}

static Reply
set_reader_display (KassaFakeStripe *self,
                    JsonObject      *reader,
                    KassaStripeForm *form)
{
  JsonObject *action;

  gint64 total;

  if (g_strcmp0 (kassa_stripe_form_lookup (form, "type"), "cart") != 0)
    return reply_missing_param ("type");
  if (kassa_stripe_form_lookup (form, "cart[currency]") == NULL)
    return reply_missing_param ("cart[currency]");
  if (!form_int (form, "cart[total]", &total))
    return reply_missing_param ("cart[total]");

  action = json_object_new ();
  json_object_set_string_member (action, "type", "set_reader_display");
  json_object_set_string_member (action, "status", "succeeded");
  json_object_set_null_member (action, "failure_code");
  json_object_set_null_member (action, "failure_message");
  json_object_set_object_member (reader, "action", action);

  return reply_object (reader);
}

static Reply
present_payment_method (KassaFakeStripe *self,
                        JsonObject      *reader,
                        KassaStripeForm *form)
{
  const char *number = kassa_stripe_form_lookup (form, "card_present[number]");
  JsonObject *action;
  JsonObject *intent;

  action = json_object_get_null_member (reader, "action") ? NULL
           : json_object_get_object_member (reader, "action");
  if (action == NULL || !g_str_equal (json_object_get_string_member (action, "status"), "in_progress"))
    return reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "terminal_reader_timeout",
                        NULL, "The reader has no action waiting for a card.");

  intent = lookup_typed (self, json_object_get_string_member (json_object_get_object_member (action, "process_payment_intent"),
                                                              "payment_intent"),
                         "payment_intent");
  g_assert (intent != NULL);

  if (g_strcmp0 (number, CARD_DECLINED) == 0 || g_strcmp0 (number, CARD_INSUFFICIENT_FUNDS) == 0)
    {
      JsonObject *last_error = json_object_new ();
      const char *decline = g_str_equal (number, CARD_DECLINED) ? "generic_decline" : "insufficient_funds";

      json_object_set_string_member (last_error, "type", "card_error");
      json_object_set_string_member (last_error, "code", "card_declined");
      json_object_set_string_member (last_error, "decline_code", decline);
      json_object_set_string_member (last_error, "message", "Your card was declined.");
      json_object_set_object_member (intent, "last_payment_error", last_error);
      json_object_set_string_member (action, "status", "failed");
      json_object_set_string_member (action, "failure_code", "card_declined");
      json_object_set_string_member (action, "failure_message", "Your card was declined.");
      /* Newer readers also say which API error failed the action. */
      {
        JsonObject *api_error = json_object_new ();

        json_object_set_string_member (api_error, "type", "card_error");
        json_object_set_string_member (api_error, "code", "card_declined");
        json_object_set_string_member (api_error, "decline_code", decline);
        json_object_set_string_member (api_error, "message", "Your card was declined.");
        json_object_set_object_member (action, "api_error", api_error);
      }
      emit_event (self, "payment_intent.payment_failed", intent);
      return reply_object (reader);
    }

  succeed_payment_intent (self, intent);
  json_object_set_string_member (action, "status", "succeeded");

  return reply_object (reader);
}

static Reply
list_readers (KassaFakeStripe *self)
{
  JsonObject *list = json_object_new ();
  JsonArray *data = json_array_new ();

  for (guint i = 0; i < self->object_order->len; i++)
    {
      JsonObject *object = lookup_typed (self, g_ptr_array_index (self->object_order, i),
                                         "terminal.reader");

      if (object != NULL)
        json_array_add_object_element (data, json_object_ref (object));
    }

  json_object_set_string_member (list, "object", "list");
  json_object_set_string_member (list, "url", "/v1/terminal/readers");
  json_object_set_boolean_member (list, "has_more", FALSE);
  json_object_set_array_member (list, "data", data);

  return (Reply) { SOUP_STATUS_OK, list };
}

/* Subscriptions */

static Reply
update_subscription (KassaFakeStripe *self,
                     JsonObject      *subscription,
                     KassaStripeForm *form)
{
  const char *cancel_at_period_end = kassa_stripe_form_lookup (form, "cancel_at_period_end");
  const char *behavior = kassa_stripe_form_lookup (form, "pause_collection[behavior]");
  const char *pause = kassa_stripe_form_lookup (form, "pause_collection");
  gint64 cancel_at;

  if (g_str_equal (json_object_get_string_member (subscription, "status"), "canceled"))
    return reply_bad_state ("A canceled subscription can only update its cancellation_details and metadata.");

  if (cancel_at_period_end != NULL)
    {
      if (!g_str_equal (cancel_at_period_end, "true") && !g_str_equal (cancel_at_period_end, "false"))
        return reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "parameter_invalid_boolean",
                            "cancel_at_period_end", "Invalid boolean.");
      json_object_set_boolean_member (subscription, "cancel_at_period_end", g_str_equal (cancel_at_period_end, "true"));
    }

  if (kassa_stripe_form_lookup (form, "cancel_at") != NULL)
    {
      if (!form_int (form, "cancel_at", &cancel_at) || cancel_at <= self->clock)
        return reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "parameter_invalid_integer",
                            "cancel_at", "cancel_at must be in the future.");
      json_object_set_int_member (subscription, "cancel_at", cancel_at);
    }

  if (behavior != NULL)
    {
      JsonObject *pause_collection = json_object_new ();

      if (!g_str_equal (behavior, "void") && !g_str_equal (behavior, "keep_as_draft") &&
          !g_str_equal (behavior, "mark_uncollectible"))
        return reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "parameter_invalid",
                            "pause_collection[behavior]", "Invalid behavior.");
      json_object_set_string_member (pause_collection, "behavior", behavior);
      json_object_set_null_member (pause_collection, "resumes_at");
      json_object_set_object_member (subscription, "pause_collection", pause_collection);
    }
  else if (pause != NULL)
    {
      if (*pause != '\0')
        return reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "parameter_invalid",
                            "pause_collection", "Invalid pause_collection.");
      json_object_set_null_member (subscription, "pause_collection");
    }

  emit_event (self, "customer.subscription.updated", subscription);

  return reply_object (subscription);
}

static Reply
cancel_subscription (KassaFakeStripe *self,
                     JsonObject      *subscription)
{
  if (g_str_equal (json_object_get_string_member (subscription, "status"), "canceled"))
    return reply_bad_state ("This subscription is already canceled.");

  json_object_set_string_member (subscription, "status", "canceled");
  json_object_set_int_member (subscription, "canceled_at", tick (self));
  emit_event (self, "customer.subscription.deleted", subscription);

  return reply_object (subscription);
}

static Reply
resume_subscription (KassaFakeStripe *self,
                     JsonObject      *subscription)
{
  if (!g_str_equal (json_object_get_string_member (subscription, "status"), "paused"))
    return reply_bad_state ("Only paused subscriptions can be resumed.");

  json_object_set_string_member (subscription, "status", "active");
  emit_event (self, "customer.subscription.resumed", subscription);

  return reply_object (subscription);
}

/* Customers */

static Reply
create_customer (KassaFakeStripe *self,
                 KassaStripeForm *form)
{
  g_autofree char *id = next_id (self, "cus");
  JsonObject *customer = json_object_new ();
  const char *email = kassa_stripe_form_lookup (form, "email");
  const char *name = kassa_stripe_form_lookup (form, "name");

  json_object_set_string_member (customer, "id", id);
  json_object_set_string_member (customer, "object", "customer");
  json_object_set_int_member (customer, "created", tick (self));
  if (email != NULL)
    json_object_set_string_member (customer, "email", email);
  else
    json_object_set_null_member (customer, "email");
  if (name != NULL)
    json_object_set_string_member (customer, "name", name);
  else
    json_object_set_null_member (customer, "name");
  json_object_set_object_member (customer, "metadata", metadata_from_form (form));
  store_object (self, customer);

  return reply_object (customer);
}

static Reply
list_objects (KassaFakeStripe *self,
              const char      *object_type,
              const char      *url,
              const char      *member,
              const char      *value)
{
  JsonObject *list = json_object_new ();
  JsonArray *data = json_array_new ();

  /* Newest first, as Stripe lists. */
  for (guint i = self->object_order->len; i > 0; i--)
    {
      JsonObject *object = lookup_typed (self, g_ptr_array_index (self->object_order, i - 1), object_type);

      if (object == NULL)
        continue;
      if (member != NULL && value != NULL &&
          (!json_object_has_member (object, member) || json_object_get_null_member (object, member) ||
           g_strcmp0 (json_object_get_string_member (object, member), value) != 0))
        continue;
      json_array_add_object_element (data, json_object_ref (object));
    }

  json_object_set_string_member (list, "object", "list");
  json_object_set_string_member (list, "url", url);
  json_object_set_boolean_member (list, "has_more", FALSE);
  json_object_set_array_member (list, "data", data);

  return (Reply) { SOUP_STATUS_OK, list };
}

/* Invoices */

static Reply
create_invoice (KassaFakeStripe *self,
                KassaStripeForm *form)
{
  const char *customer_id = kassa_stripe_form_lookup (form, "customer");
  const char *collection = kassa_stripe_form_lookup (form, "collection_method");
  const char *currency = kassa_stripe_form_lookup (form, "currency");
  g_autofree char *id = NULL;
  JsonObject *invoice;
  JsonObject *lines;
  gint64 days = 0;

  if (customer_id == NULL)
    return reply_missing_param ("customer");
  if (lookup_typed (self, customer_id, "customer") == NULL)
    return reply_no_such ("customer", customer_id);
  if (g_strcmp0 (collection, "send_invoice") == 0 && !form_int (form, "days_until_due", &days))
    return reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "parameter_missing",
                        "days_until_due", "days_until_due is required with send_invoice.");

  id = next_id (self, "in");
  invoice = json_object_new ();
  json_object_set_string_member (invoice, "id", id);
  json_object_set_string_member (invoice, "object", "invoice");
  json_object_set_string_member (invoice, "customer", customer_id);
  json_object_set_string_member (invoice, "collection_method", collection != NULL ? collection : "charge_automatically");
  json_object_set_string_member (invoice, "currency", currency != NULL ? currency : "eur");
  json_object_set_int_member (invoice, "created", tick (self));
  json_object_set_int_member (invoice, "due_date", days > 0 ? self->clock + days * 86400 : 0);
  json_object_set_string_member (invoice, "status", "draft");
  json_object_set_int_member (invoice, "amount_due", 0);
  json_object_set_int_member (invoice, "total", 0);
  json_object_set_null_member (invoice, "number");
  json_object_set_null_member (invoice, "hosted_invoice_url");
  json_object_set_null_member (invoice, "invoice_pdf");
  json_object_set_boolean_member (invoice, "livemode", FALSE);
  json_object_set_object_member (invoice, "metadata", metadata_from_form (form));
  lines = json_object_new ();
  json_object_set_string_member (lines, "object", "list");
  json_object_set_array_member (lines, "data", json_array_new ());
  json_object_set_object_member (invoice, "lines", lines);
  store_object (self, invoice);

  return reply_object (invoice);
}

static Reply
create_invoice_item (KassaFakeStripe *self,
                     KassaStripeForm *form)
{
  const char *customer_id = kassa_stripe_form_lookup (form, "customer");
  const char *invoice_id = kassa_stripe_form_lookup (form, "invoice");
  const char *currency = kassa_stripe_form_lookup (form, "currency");
  g_autofree char *id = NULL;
  JsonObject *invoice = NULL;
  JsonObject *item;
  gint64 amount;

  if (customer_id == NULL)
    return reply_missing_param ("customer");
  if (lookup_typed (self, customer_id, "customer") == NULL)
    return reply_no_such ("customer", customer_id);
  if (!form_int (form, "amount", &amount))
    return reply_missing_param ("amount");
  if (currency == NULL)
    return reply_missing_param ("currency");
  if (invoice_id != NULL)
    {
      invoice = lookup_typed (self, invoice_id, "invoice");
      if (invoice == NULL)
        return reply_no_such ("invoice", invoice_id);
      if (!g_str_equal (json_object_get_string_member (invoice, "status"), "draft"))
        return reply_bad_state ("Items can only be added to draft invoices.");
      if (g_strcmp0 (json_object_get_string_member (invoice, "customer"), customer_id) != 0)
        return reply_bad_state ("The invoice belongs to another customer.");
    }

  id = next_id (self, "ii");
  item = json_object_new ();
  json_object_set_string_member (item, "id", id);
  json_object_set_string_member (item, "object", "invoiceitem");
  json_object_set_string_member (item, "customer", customer_id);
  json_object_set_int_member (item, "amount", amount);
  json_object_set_string_member (item, "currency", currency);
  if (kassa_stripe_form_lookup (form, "description") != NULL)
    json_object_set_string_member (item, "description", kassa_stripe_form_lookup (form, "description"));
  if (invoice_id != NULL)
    json_object_set_string_member (item, "invoice", invoice_id);
  else
    json_object_set_null_member (item, "invoice");
  json_object_set_object_member (item, "metadata", metadata_from_form (form));
  store_object (self, item);

  if (invoice != NULL)
    {
      JsonArray *lines = json_object_get_array_member (json_object_get_object_member (invoice, "lines"), "data");

      json_array_add_object_element (lines, json_object_ref (item));
      json_object_set_int_member (invoice, "total", json_object_get_int_member (invoice, "total") + amount);
      json_object_set_int_member (invoice, "amount_due", json_object_get_int_member (invoice, "total"));
    }

  return reply_object (item);
}

static Reply
finalize_invoice (KassaFakeStripe *self,
                  JsonObject      *invoice)
{
  g_autofree char *number = NULL;
  g_autofree char *url = NULL;
  g_autofree char *pdf = NULL;
  const char *id = json_object_get_string_member (invoice, "id");

  if (!g_str_equal (json_object_get_string_member (invoice, "status"), "draft"))
    return reply_bad_state ("This invoice is already finalized.");

  number = g_strdup_printf ("FAKE-%04u", ++self->serial);
  url = g_strdup_printf ("https://invoice.stripe.com/i/acct_fake/%s", id);
  pdf = g_strdup_printf ("https://pay.stripe.com/invoice/acct_fake/%s/pdf", id);
  json_object_set_string_member (invoice, "status", "open");
  json_object_set_string_member (invoice, "number", number);
  json_object_set_string_member (invoice, "hosted_invoice_url", url);
  json_object_set_string_member (invoice, "invoice_pdf", pdf);
  emit_event (self, "invoice.finalized", invoice);

  return reply_object (invoice);
}

static Reply
send_invoice (KassaFakeStripe *self,
              JsonObject      *invoice)
{
  if (!g_str_equal (json_object_get_string_member (invoice, "status"), "open"))
    return reply_bad_state ("Only open invoices can be sent.");
  if (!g_str_equal (json_object_get_string_member (invoice, "collection_method"), "send_invoice"))
    return reply_bad_state ("Only invoices with collection_method send_invoice can be sent.");

  json_object_set_int_member (invoice, "sent_count",
                              (json_object_has_member (invoice, "sent_count")
                                 ? json_object_get_int_member (invoice, "sent_count") : 0) + 1);
  emit_event (self, "invoice.sent", invoice);

  return reply_object (invoice);
}

/* Events */

static gint
find_event (GPtrArray  *newest_first,
            const char *id)
{
  for (guint i = 0; i < newest_first->len; i++)
    if (g_str_equal (json_object_get_string_member (g_ptr_array_index (newest_first, i), "id"), id))
      return (gint) i;

  return -1;
}

static Reply
list_events (KassaFakeStripe *self,
             KassaStripeForm *form)
{
  g_autoptr(GPtrArray) matching = g_ptr_array_new ();
  g_autoptr(GPtrArray) page = g_ptr_array_new ();
  const char *starting_after = kassa_stripe_form_lookup (form, "starting_after");
  const char *ending_before = kassa_stripe_form_lookup (form, "ending_before");
  JsonObject *list;
  JsonArray *data;
  gboolean has_more;
  gboolean any_type = TRUE;
  gint64 created_gte = G_MININT64;
  gint64 limit = 10;
  guint start;
  guint end;

  if (kassa_stripe_form_lookup (form, "limit") != NULL &&
      (!form_int (form, "limit", &limit) || limit < 1 || limit > 100))
    return reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", "parameter_invalid_integer",
                        "limit", "limit must be between 1 and 100.");
  if (starting_after != NULL && ending_before != NULL)
    return reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", NULL, NULL,
                        "You may only specify one of starting_after and ending_before.");
  form_int (form, "created[gte]", &created_gte);

  for (guint i = 0; i < kassa_stripe_form_get_length (form); i++)
    if (g_str_equal (kassa_stripe_form_get_name (form, i), "types[]"))
      any_type = FALSE;

  for (guint i = self->events->len; i > 0; i--)
    {
      JsonObject *event = g_ptr_array_index (self->events, i - 1);
      const char *type = json_object_get_string_member (event, "type");
      gboolean wanted = any_type;

      for (guint j = 0; !wanted && j < kassa_stripe_form_get_length (form); j++)
        wanted = g_str_equal (kassa_stripe_form_get_name (form, j), "types[]") &&
                 g_str_equal (kassa_stripe_form_get_value (form, j), type);

      if (wanted && json_object_get_int_member (event, "created") >= created_gte)
        g_ptr_array_add (matching, event);
    }

  if (starting_after != NULL || ending_before != NULL)
    {
      gint position = find_event (matching, starting_after != NULL ? starting_after : ending_before);

      if (position < 0)
        return reply_no_such ("event", starting_after != NULL ? starting_after : ending_before);

      if (starting_after != NULL)
        {
          start = position + 1;
          end = MIN (matching->len, start + (guint) limit);
          has_more = end < matching->len;
        }
      else
        {
          end = position;
          start = end > limit ? end - limit : 0;
          has_more = start > 0;
        }
    }
  else
    {
      start = 0;
      end = MIN (matching->len, (guint) limit);
      has_more = end < matching->len;
    }

  for (guint i = start; i < end; i++)
    {
      g_ptr_array_add (page, g_ptr_array_index (matching, i));
      if (self->quirks & KASSA_FAKE_EVENTS_DUPLICATE)
        g_ptr_array_add (page, g_ptr_array_index (matching, i));
    }

  if (self->quirks & KASSA_FAKE_EVENTS_REORDER)
    for (guint i = 0; i + 1 < page->len; i += 2)
      {
        gpointer first = page->pdata[i];

        page->pdata[i] = page->pdata[i + 1];
        page->pdata[i + 1] = first;
      }

  data = json_array_new ();
  for (guint i = 0; i < page->len; i++)
    json_array_add_object_element (data, json_object_ref (g_ptr_array_index (page, i)));

  list = json_object_new ();
  json_object_set_string_member (list, "object", "list");
  json_object_set_string_member (list, "url", "/v1/events");
  json_object_set_boolean_member (list, "has_more", has_more);
  json_object_set_array_member (list, "data", data);

  return (Reply) { SOUP_STATUS_OK, list };
}

/* Routing */

static Reply
route (KassaFakeStripe *self,
       const char      *method,
       const char      *path,
       KassaStripeForm *form)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  guint n = g_strv_length (parts);
  gboolean get = g_str_equal (method, "GET");
  gboolean post = g_str_equal (method, "POST");
  JsonObject *object;

  /* parts[0] is the empty string before the first slash. */
  if (n < 3 || !g_str_equal (parts[1], "v1"))
    return reply_error (SOUP_STATUS_NOT_FOUND, "invalid_request_error", NULL, NULL,
                        "Unrecognized request URL.");

  if (g_str_equal (parts[2], "payment_intents"))
    {
      if (n == 3 && post)
        return create_payment_intent (self, form);
      if (n >= 4 && (object = lookup_typed (self, parts[3], "payment_intent")) == NULL)
        return reply_no_such ("payment_intent", parts[3]);
      if (n == 4 && get)
        return reply_object (object);
      if (n == 5 && post && g_str_equal (parts[4], "cancel"))
        return cancel_payment_intent (self, object);
      if (n == 5 && post && g_str_equal (parts[4], "capture"))
        return capture_payment_intent (self, object, form);
    }
  else if (g_str_equal (parts[2], "checkout") && n >= 4 && g_str_equal (parts[3], "sessions"))
    {
      if (n == 4 && post)
        return create_checkout_session (self, form);
      if (n >= 5 && (object = lookup_typed (self, parts[4], "checkout.session")) == NULL)
        return reply_no_such ("checkout.session", parts[4]);
      if (n == 5 && get)
        return reply_object (object);
      if (n == 6 && post && g_str_equal (parts[5], "expire"))
        return expire_checkout_session (self, object);
    }
  else if (g_str_equal (parts[2], "refunds"))
    {
      if (n == 3 && post)
        return create_refund (self, form);
      if (n == 4 && get)
        {
          if ((object = lookup_typed (self, parts[3], "refund")) == NULL)
            return reply_no_such ("refund", parts[3]);
          return reply_object (object);
        }
    }
  else if (g_str_equal (parts[2], "terminal") && n >= 4 && g_str_equal (parts[3], "readers"))
    {
      if (n == 4 && get)
        return list_readers (self);
      if (n >= 5 && (object = lookup_typed (self, parts[4], "terminal.reader")) == NULL)
        return reply_no_such ("terminal.reader", parts[4]);
      if (n == 5 && get)
        return reply_object (object);
      if (n == 6 && post && g_str_equal (parts[5], "process_payment_intent"))
        return process_payment_intent (self, object, form);
      if (n == 6 && post && g_str_equal (parts[5], "cancel_action"))
        return cancel_reader_action (self, object);
      if (n == 6 && post && g_str_equal (parts[5], "set_reader_display"))
        return set_reader_display (self, object, form);
    }
  else if (g_str_equal (parts[2], "test_helpers") && n == 7 && post &&
           g_str_equal (parts[3], "terminal") && g_str_equal (parts[4], "readers") &&
           g_str_equal (parts[6], "present_payment_method"))
    {
      if ((object = lookup_typed (self, parts[5], "terminal.reader")) == NULL)
        return reply_no_such ("terminal.reader", parts[5]);
      return present_payment_method (self, object, form);
    }
  else if (g_str_equal (parts[2], "subscriptions"))
    {
      if (n >= 4 && (object = lookup_typed (self, parts[3], "subscription")) == NULL)
        return reply_no_such ("subscription", parts[3]);
      if (n == 4 && get)
        return reply_object (object);
      if (n == 4 && post)
        return update_subscription (self, object, form);
      if (n == 4 && g_str_equal (method, "DELETE"))
        return cancel_subscription (self, object);
      if (n == 5 && post && g_str_equal (parts[4], "resume"))
        return resume_subscription (self, object);
    }
  else if (g_str_equal (parts[2], "customers"))
    {
      if (n == 3 && post)
        return create_customer (self, form);
      if (n == 3 && get)
        return list_objects (self, "customer", "/v1/customers", "email", kassa_stripe_form_lookup (form, "email"));
      if (n == 4 && get)
        {
          if ((object = lookup_typed (self, parts[3], "customer")) == NULL)
            return reply_no_such ("customer", parts[3]);
          return reply_object (object);
        }
    }
  else if (g_str_equal (parts[2], "invoiceitems"))
    {
      if (n == 3 && post)
        return create_invoice_item (self, form);
    }
  else if (g_str_equal (parts[2], "invoices"))
    {
      if (n == 3 && post)
        return create_invoice (self, form);
      if (n >= 4 && (object = lookup_typed (self, parts[3], "invoice")) == NULL)
        return reply_no_such ("invoice", parts[3]);
      if (n == 4 && get)
        return reply_object (object);
      if (n == 5 && post && g_str_equal (parts[4], "finalize"))
        return finalize_invoice (self, object);
      if (n == 5 && post && g_str_equal (parts[4], "send"))
        return send_invoice (self, object);
    }
  else if (g_str_equal (parts[2], "events"))
    {
      if (n == 3 && get)
        return list_events (self, form);
      if (n == 4 && get)
        {
          if ((object = lookup_typed (self, parts[3], "event")) == NULL)
            return reply_no_such ("event", parts[3]);
          return reply_object (object);
        }
    }

  return reply_error (SOUP_STATUS_NOT_FOUND, "invalid_request_error", NULL, NULL,
                      "Unrecognized request URL.");
}

/* Transport */

static void
respond (KassaFakeStripe   *self,
         SoupServerMessage *message,
         guint              status,
         const char        *body,
         gboolean           replayed)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);
  g_autofree char *request_id = g_strdup_printf ("req_fake_%u", self->requests->len);

  soup_server_message_set_status (message, status, NULL);
  soup_message_headers_replace (headers, "Request-Id", request_id);
  soup_message_headers_replace (headers, "Stripe-Version", KASSA_STRIPE_API_VERSION);
  if (replayed)
    soup_message_headers_replace (headers, "Idempotent-Replayed", "true");
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY,
                                    body, strlen (body));
}

static char *
reply_to_string (Reply *reply)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, g_steal_pointer (&reply->body));

  return json_to_string (node, FALSE);
}

static void
drop_connection (SoupServerMessage *message)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (message);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

static PendingFault *
take_fault (KassaFakeStripe *self,
            const char      *method,
            const char      *path)
{
  for (GList *l = self->faults.head; l != NULL; l = l->next)
    {
      PendingFault *pending = l->data;

      if (pending->method != NULL && !g_str_equal (pending->method, method))
        continue;
      if (pending->path_prefix != NULL && !g_str_has_prefix (path, pending->path_prefix))
        continue;
      if (pending->fault.skip > 0)
        {
          pending->fault.skip--;
          continue;
        }

      if (--pending->fault.count == 0)
        {
          g_queue_delete_link (&self->faults, l);
          return pending;
        }

      return pending_fault_copy (pending);
    }

  return NULL;
}

typedef struct
{
  KassaFakeStripe   *self;
  SoupServerMessage *message;
  guint              source_id;
  gboolean           disconnected;
} Delayed;

static void
delayed_free (Delayed *delayed)
{
  g_signal_handlers_disconnect_by_data (delayed->message, delayed);
  g_clear_handle_id (&delayed->source_id, g_source_remove);
  g_object_unref (delayed->message);
  g_free (delayed);
}

static void
delayed_disconnected_cb (SoupServerMessage *message,
                         Delayed           *delayed)
{
  delayed->disconnected = TRUE;
}

static gboolean
delayed_unpause_cb (gpointer user_data)
{
  Delayed *delayed = user_data;

  delayed->source_id = 0;
  delayed->self->delayed = g_list_remove (delayed->self->delayed, delayed);
  if (!delayed->disconnected)
    soup_server_message_unpause (delayed->message);
  delayed_free (delayed);

  return G_SOURCE_REMOVE;
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *message,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  KassaFakeStripe *self = user_data;
  KassaFakeStripeRequest *request;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  g_autoptr(GBytes) body_bytes = NULL;
  g_autofree char *expected_auth = NULL;
  g_autofree char *response = NULL;
  const char *method = soup_server_message_get_method (message);
  const char *key;
  PendingFault *fault;
  StoredResult *stored;
  Reply reply;
  gboolean post;

  request = g_new0 (KassaFakeStripeRequest, 1);
  request->method = g_strdup (method);
  request->path = g_strdup (path);
  request->query = g_strdup (g_uri_get_query (soup_server_message_get_uri (message)));
  request->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  {
    SoupMessageHeadersIter iter;
    const char *name;
    const char *value;

    soup_message_headers_iter_init (&iter, headers);
    while (soup_message_headers_iter_next (&iter, &name, &value))
      soup_message_headers_append (request->headers, name, value);
  }
  body_bytes = soup_message_body_flatten (soup_server_message_get_request_body (message));
  request->body = g_strndup (g_bytes_get_data (body_bytes, NULL), g_bytes_get_size (body_bytes));
  post = g_str_equal (method, "POST");
  request->form = kassa_stripe_form_parse (post ? request->body
                                                : (request->query != NULL ? request->query : ""),
                                           NULL);
  if (request->form == NULL)
    request->form = kassa_stripe_form_new ();
  g_ptr_array_add (self->requests, request);

  expected_auth = g_strconcat ("Bearer ", self->secret_key, NULL);
  if (g_strcmp0 (soup_message_headers_get_one (headers, "Authorization"), expected_auth) != 0)
    {
      reply = reply_error (SOUP_STATUS_UNAUTHORIZED, "invalid_request_error", NULL, NULL,
                           "Invalid API Key provided: sk_test_****");
      response = reply_to_string (&reply);
      respond (self, message, reply.status, response, FALSE);
      return;
    }

  if (g_strcmp0 (soup_message_headers_get_one (headers, "Stripe-Version"), KASSA_STRIPE_API_VERSION) != 0)
    {
      reply = reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", NULL, NULL,
                           "Invalid Stripe API version.");
      response = reply_to_string (&reply);
      respond (self, message, reply.status, response, FALSE);
      return;
    }

  if (post && g_strcmp0 (soup_message_headers_get_content_type (headers, NULL),
                         "application/x-www-form-urlencoded") != 0)
    {
      reply = reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", NULL, NULL,
                           "Request bodies must be form-encoded.");
      response = reply_to_string (&reply);
      respond (self, message, reply.status, response, FALSE);
      return;
    }

  fault = take_fault (self, method, path);

  if (fault != NULL && fault->fault.kind == KASSA_FAKE_FAULT_STATUS)
    {
      JsonObject *error;

      reply = reply_error (fault->fault.status,
                           fault->type != NULL ? fault->type : "api_error",
                           fault->code, NULL, "Injected failure.");
      error = json_object_get_object_member (reply.body, "error");
      if (fault->decline_code != NULL)
        json_object_set_string_member (error, "decline_code", fault->decline_code);
      response = reply_to_string (&reply);
      respond (self, message, reply.status, response, FALSE);
      if (fault->fault.should_retry >= 0)
        soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                      "Stripe-Should-Retry",
                                      fault->fault.should_retry ? "true" : "false");
      pending_fault_free (fault);
      return;
    }

  if (fault != NULL && fault->fault.kind == KASSA_FAKE_FAULT_DROP_BEFORE)
    {
      pending_fault_free (fault);
      drop_connection (message);
      return;
    }

  key = soup_message_headers_get_one (headers, "Idempotency-Key");
  stored = post && key != NULL ? g_hash_table_lookup (self->idempotency, key) : NULL;

  if (post && key == NULL)
    {
      /* Stripe accepts this; Kassa never sends it, so the fake refuses. */
      reply = reply_error (SOUP_STATUS_BAD_REQUEST, "invalid_request_error", NULL, NULL,
                           "Kassa sends an Idempotency-Key with every POST.");
      response = reply_to_string (&reply);
      respond (self, message, reply.status, response, FALSE);
    }
  else if (stored != NULL && !g_str_equal (stored->body, request->body))
    {
      reply = reply_error (SOUP_STATUS_BAD_REQUEST, "idempotency_error", NULL, NULL,
                           "Keys for idempotent requests can only be used with the same "
                           "parameters they were first used with.");
      response = reply_to_string (&reply);
      respond (self, message, reply.status, response, FALSE);
    }
  else if (stored != NULL)
    respond (self, message, stored->status, stored->response, TRUE);
  else
    {
      self->current_key = post ? key : NULL;
      reply = route (self, method, path, request->form);
      self->current_key = NULL;
      response = reply_to_string (&reply);

      /* Stripe keeps the result once an endpoint started executing;
       * parameter validation failures are not kept. */
      if (post && key != NULL && (SOUP_STATUS_IS_SUCCESSFUL (reply.status) || reply.status == 402))
        {
          stored = g_new0 (StoredResult, 1);
          stored->body = g_strdup (request->body);
          stored->status = reply.status;
          stored->response = g_strdup (response);
          g_hash_table_insert (self->idempotency, g_strdup (key), stored);
        }

      respond (self, message, reply.status, response, FALSE);
    }

  if (fault != NULL && fault->fault.kind == KASSA_FAKE_FAULT_DROP_AFTER)
    drop_connection (message);
  else if (fault != NULL && fault->fault.kind == KASSA_FAKE_FAULT_DELAY)
    {
      Delayed *delayed = g_new0 (Delayed, 1);

      delayed->self = self;
      delayed->message = g_object_ref (message);
      g_signal_connect (message, "disconnected", G_CALLBACK (delayed_disconnected_cb), delayed);
      soup_server_message_pause (message);
      delayed->source_id = g_timeout_add (fault->fault.delay_ms, delayed_unpause_cb, delayed);
      self->delayed = g_list_prepend (self->delayed, delayed);
    }

  g_clear_pointer (&fault, pending_fault_free);
}

static void
kassa_fake_stripe_finalize (GObject *object)
{
  KassaFakeStripe *self = (KassaFakeStripe *) object;

  g_list_free_full (g_steal_pointer (&self->delayed), (GDestroyNotify) delayed_free);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_free (self->url);
  g_free (self->secret_key);
  g_ptr_array_unref (self->requests);
  g_queue_clear_full (&self->faults, (GDestroyNotify) pending_fault_free);
  g_hash_table_unref (self->idempotency);
  g_hash_table_unref (self->objects);
  g_ptr_array_unref (self->object_order);
  g_hash_table_unref (self->refunded);
  g_ptr_array_unref (self->events);
  g_hash_table_unref (self->created_by_key);

  G_OBJECT_CLASS (kassa_fake_stripe_parent_class)->finalize (object);
}

static void
kassa_fake_stripe_class_init (KassaFakeStripeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kassa_fake_stripe_finalize;
}

static void
kassa_fake_stripe_init (KassaFakeStripe *self)
{
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  g_queue_init (&self->faults);
  self->idempotency = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) stored_result_free);
  self->objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) json_object_unref);
  self->object_order = g_ptr_array_new_with_free_func (g_free);
  self->refunded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->clock = FAKE_EPOCH;
  self->created_by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) g_ptr_array_unref);
}

/**
 * kassa_fake_stripe_new:
 * @secret_key: the only key the server accepts
 *
 * Starts listening on 127.0.0.1 with a free port.
 */
KassaFakeStripe *
kassa_fake_stripe_new (const char *secret_key)
{
  g_autoptr(GError) error = NULL;
  KassaFakeStripe *self;
  GSList *uris;
  GUri *uri;

  g_return_val_if_fail (secret_key != NULL, NULL);

  self = g_object_new (KASSA_TYPE_FAKE_STRIPE, NULL);
  self->secret_key = g_strdup (secret_key);
  self->server = soup_server_new ("server-header", "kassa-fake-stripe", NULL);
  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("The fake Stripe server cannot listen: %s", error->message);

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  uri = uris->data;
  self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uri));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return self;
}

const char *
kassa_fake_stripe_get_url (KassaFakeStripe *self)
{
  return self->url;
}

guint
kassa_fake_stripe_get_n_requests (KassaFakeStripe *self)
{
  return self->requests->len;
}

const KassaFakeStripeRequest *
kassa_fake_stripe_get_request (KassaFakeStripe *self,
                               guint            index)
{
  g_assert_cmpuint (index, <, self->requests->len);

  return g_ptr_array_index (self->requests, index);
}

/**
 * kassa_fake_stripe_count_requests:
 * @method: (nullable): a method, or %NULL for any
 * @path: (nullable): an exact path, or %NULL for any
 */
guint
kassa_fake_stripe_count_requests (KassaFakeStripe *self,
                                  const char      *method,
                                  const char      *path)
{
  guint count = 0;

  for (guint i = 0; i < self->requests->len; i++)
    {
      KassaFakeStripeRequest *request = g_ptr_array_index (self->requests, i);

      if ((method == NULL || g_str_equal (method, request->method)) &&
          (path == NULL || g_str_equal (path, request->path)))
        count++;
    }

  return count;
}

void
kassa_fake_stripe_clear_requests (KassaFakeStripe *self)
{
  g_ptr_array_set_size (self->requests, 0);
}

/**
 * kassa_fake_stripe_push_fault:
 * @fault: what to do to the next matching requests
 *
 * Faults apply in the order pushed, each to its next `count` matching
 * requests, and sit in front of the idempotency layer as a load
 * balancer or rate limiter would.
 */
void
kassa_fake_stripe_push_fault (KassaFakeStripe      *self,
                              const KassaFakeFault *fault)
{
  PendingFault *pending = g_new0 (PendingFault, 1);

  pending->fault = *fault;
  if (pending->fault.count == 0)
    pending->fault.count = 1;
  pending->method = g_strdup (fault->method);
  pending->path_prefix = g_strdup (fault->path_prefix);
  pending->type = g_strdup (fault->type);
  pending->code = g_strdup (fault->code);
  pending->decline_code = g_strdup (fault->decline_code);
  g_queue_push_tail (&self->faults, pending);
}

guint
kassa_fake_stripe_get_n_pending_faults (KassaFakeStripe *self)
{
  return self->faults.length;
}

void
kassa_fake_stripe_set_event_quirks (KassaFakeStripe      *self,
                                    KassaFakeEventQuirks  quirks)
{
  self->quirks = quirks;
}

/**
 * kassa_fake_stripe_get_object:
 *
 * Returns: (transfer none) (nullable): the live object with that id
 */
JsonObject *
kassa_fake_stripe_get_object (KassaFakeStripe *self,
                              const char      *id)
{
  return g_hash_table_lookup (self->objects, id);
}

guint
kassa_fake_stripe_count_objects (KassaFakeStripe *self,
                                 const char      *object_type)
{
  GHashTableIter iter;
  gpointer value;
  guint count = 0;

  g_hash_table_iter_init (&iter, self->objects);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_strcmp0 (json_object_get_string_member (value, "object"), object_type) == 0)
      count++;

  return count;
}

/**
 * kassa_fake_stripe_complete_checkout_session:
 *
 * What a customer paying on the Checkout page does: the session becomes
 * complete and paid, with a succeeded PaymentIntent, and
 * `checkout.session.completed` is recorded.
 *
 * Returns: %FALSE when the session does not exist or is not open
 */
gboolean
kassa_fake_stripe_complete_checkout_session (KassaFakeStripe *self,
                                             const char      *id)
{
  JsonObject *session = lookup_typed (self, id, "checkout.session");
  JsonObject *intent;

  if (session == NULL || !g_str_equal (json_object_get_string_member (session, "status"), "open"))
    return FALSE;

  intent = new_payment_intent (self, json_object_get_int_member (session, "amount_total"),
                               json_object_get_string_member (session, "currency"),
                               "automatic", json_object_new ());
  succeed_payment_intent (self, intent);

  json_object_set_string_member (session, "status", "complete");
  json_object_set_string_member (session, "payment_status", "paid");
  json_object_set_string_member (session, "payment_intent",
                                 json_object_get_string_member (intent, "id"));
  json_object_set_null_member (session, "url");
  emit_event (self, "checkout.session.completed", session);

  return TRUE;
}

/**
 * kassa_fake_stripe_add_reader:
 *
 * Registers a simulated reader, online and idle.
 */
void
kassa_fake_stripe_add_reader (KassaFakeStripe *self,
                              const char      *id,
                              const char      *label)
{
  JsonObject *reader = json_object_new ();

  json_object_set_string_member (reader, "id", id);
  json_object_set_string_member (reader, "object", "terminal.reader");
  json_object_set_string_member (reader, "device_type", "simulated_wisepos_e");
  json_object_set_string_member (reader, "label", label);
  json_object_set_string_member (reader, "status", "online");
  json_object_set_boolean_member (reader, "livemode", FALSE);
  json_object_set_null_member (reader, "action");
  store_object (self, reader);
}

/**
 * kassa_fake_stripe_add_event:
 * @type: the event type
 * @object: the object; a snapshot is taken
 *
 * Returns: (transfer none): the new event's id
 */
const char *
kassa_fake_stripe_add_event (KassaFakeStripe *self,
                             const char      *type,
                             JsonObject      *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  g_autofree char *id = next_id (self, "evt");
  JsonObject *event = json_object_new ();
  JsonObject *data = json_object_new ();

  /* json_node_copy() shares the object; the event must keep the state
   * of the moment, so it is copied through its text. */
  json_node_set_object (node, object);
  text = json_to_string (node, FALSE);
  json_object_set_member (data, "object", json_from_string (text, NULL));

  json_object_set_string_member (event, "id", id);
  json_object_set_string_member (event, "object", "event");
  json_object_set_string_member (event, "api_version", KASSA_STRIPE_API_VERSION);
  json_object_set_int_member (event, "created", tick (self));
  json_object_set_boolean_member (event, "livemode", FALSE);
  json_object_set_int_member (event, "pending_webhooks", 0);
  json_object_set_string_member (event, "type", type);
  json_object_set_object_member (event, "data", data);

  g_ptr_array_add (self->events, event);
  store_object (self, json_object_ref (event));

  return json_object_get_string_member (event, "id");
}

guint
kassa_fake_stripe_get_n_events (KassaFakeStripe *self)
{
  return self->events->len;
}

/**
 * kassa_fake_stripe_add_subscription:
 * @status: Stripe's status (`active`, `paused`, …)
 * @interval: `day`, `week`, `month` or `year`
 * @interval_count: periods per cycle
 * @current_period_end: the end of the item's current period (Unix time)
 *
 * Registers a subscription with one item, as a QR checkout in
 * subscription mode would have left it.
 *
 * Returns: (transfer none): the subscription
 */
JsonObject *
kassa_fake_stripe_add_subscription (KassaFakeStripe *self,
                                    const char      *id,
                                    const char      *customer,
                                    const char      *status,
                                    const char      *interval,
                                    guint            interval_count,
                                    gint64           current_period_end)
{
  JsonObject *subscription = json_object_new ();
  JsonObject *items = json_object_new ();
  JsonArray *data = json_array_new ();
  JsonObject *item = json_object_new ();
  JsonObject *price = json_object_new ();
  JsonObject *recurring = json_object_new ();
  gint64 created = tick (self);

  json_object_set_string_member (recurring, "interval", interval);
  json_object_set_int_member (recurring, "interval_count", interval_count);
  json_object_set_string_member (price, "id", "price_fake");
  json_object_set_string_member (price, "object", "price");
  json_object_set_object_member (price, "recurring", recurring);
  json_object_set_string_member (item, "id", "si_fake");
  json_object_set_string_member (item, "object", "subscription_item");
  json_object_set_object_member (item, "price", price);
  json_object_set_int_member (item, "current_period_start", created);
  json_object_set_int_member (item, "current_period_end", current_period_end);
  json_array_add_object_element (data, item);
  json_object_set_string_member (items, "object", "list");
  json_object_set_array_member (items, "data", data);

  json_object_set_string_member (subscription, "id", id);
  json_object_set_string_member (subscription, "object", "subscription");
  json_object_set_string_member (subscription, "customer", customer);
  json_object_set_string_member (subscription, "status", status);
  json_object_set_int_member (subscription, "created", created);
  json_object_set_int_member (subscription, "start_date", created);
  json_object_set_int_member (subscription, "billing_cycle_anchor", created);
  json_object_set_boolean_member (subscription, "cancel_at_period_end", FALSE);
  json_object_set_null_member (subscription, "cancel_at");
  json_object_set_null_member (subscription, "pause_collection");
  json_object_set_object_member (subscription, "items", items);
  json_object_set_object_member (subscription, "metadata", json_object_new ());

  return store_object (self, subscription);
}

/**
 * kassa_fake_stripe_get_clock:
 *
 * Returns: the fake's current time (Unix seconds), which only moves as
 *   objects and events are made
 */
gint64
kassa_fake_stripe_get_clock (KassaFakeStripe *self)
{
  return self->clock;
}

/**
 * kassa_fake_stripe_set_clock:
 * @now: Unix seconds the next object or event is created at
 *
 * Objects are dated from a fixed day in 2023 unless a test needs them
 * recent (Stripe keeps events 30 days, and the poller knows it).
 */
void
kassa_fake_stripe_set_clock (KassaFakeStripe *self,
                             gint64           now)
{
  self->clock = now;
}

/**
 * kassa_fake_stripe_max_objects_per_key:
 * @object_type: "payment_intent", "checkout.session", …
 * @out_n_keys: (out) (optional): how many keys created at least one
 *
 * Returns: the most objects of @object_type that requests carrying one
 *   Idempotency-Key created (1 when every key made at most one)
 */
guint
kassa_fake_stripe_max_objects_per_key (KassaFakeStripe *self,
                                       const char      *object_type,
                                       guint           *out_n_keys)
{
  GHashTableIter iter;
  gpointer value;
  guint most = 0;
  guint n_keys = 0;

  g_hash_table_iter_init (&iter, self->created_by_key);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GPtrArray *ids = value;
      guint count = 0;

      for (guint i = 0; i < ids->len; i++)
        {
          JsonObject *object = g_hash_table_lookup (self->objects, g_ptr_array_index (ids, i));

          if (object != NULL && g_strcmp0 (json_object_get_string_member (object, "object"), object_type) == 0)
            count++;
        }
      most = MAX (most, count);
      n_keys += count > 0;
    }

  if (out_n_keys != NULL)
    *out_n_keys = n_keys;

  return most;
}

/**
 * kassa_fake_stripe_list_objects:
 *
 * Returns: (transfer container) (element-type JsonObject): the objects of
 *   @object_type in creation order, owned by the server
 */
GPtrArray *
kassa_fake_stripe_list_objects (KassaFakeStripe *self,
                                const char      *object_type)
{
  GPtrArray *list = g_ptr_array_new ();

  for (guint i = 0; i < self->object_order->len; i++)
    {
      JsonObject *object = g_hash_table_lookup (self->objects, g_ptr_array_index (self->object_order, i));

      if (object != NULL && g_strcmp0 (json_object_get_string_member (object, "object"), object_type) == 0)
        g_ptr_array_add (list, object);
    }

  return list;
}
