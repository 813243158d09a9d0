/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-fake-stripe"

#include "config.h"

#include <string.h>

#include "kassa-fake-stripe.h"
#include "kassa-payment-error.h"
#include "kassa-stripe-client.h"
#include "kassa-stripe-event.h"

/* The fake server is what the payment providers are tested against, so
 * its Stripe behaviour is checked here through the real client. */

#define SECRET_KEY "sk_test_fake_server"

typedef struct
{
  KassaFakeStripe   *fake;
  KassaStripeClient *client;
} Fixture;

typedef struct
{
  gboolean    done;
  JsonObject *object;
  GError     *error;
} Result;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->fake = kassa_fake_stripe_new (SECRET_KEY);
  fixture->client = kassa_stripe_client_new (NULL, kassa_fake_stripe_get_url (fixture->fake),
                                             SECRET_KEY);
  kassa_stripe_client_set_backoff (fixture->client, 1, 8);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->fake);
}

static void
done_cb (GObject      *object,
         GAsyncResult *res,
         gpointer      user_data)
{
  Result *result = user_data;

  result->object = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (object), res,
                                                       NULL, &result->error);
  result->done = TRUE;
}

/* Sends one request; returns the object or NULL with @error set. */
static JsonObject *
call (Fixture         *fixture,
      const char      *method,
      const char      *path,
      KassaStripeForm *form,
      GError         **error)
{
  g_autofree char *key = NULL;
  Result result = { 0 };

  if (g_str_equal (method, "POST"))
    key = kassa_stripe_client_new_idempotency_key ();

  kassa_stripe_client_request_async (fixture->client, method, path, form, key, NULL,
                                     done_cb, &result);
  while (!result.done)
    g_main_context_iteration (NULL, TRUE);

  if (result.error != NULL)
    g_propagate_error (error, result.error);

  return result.object;
}

static JsonObject *
create_intent (Fixture    *fixture,
               gint64      amount,
               const char *capture_method)
{
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *intent;

  kassa_stripe_form_add_int (form, "amount", amount);
  kassa_stripe_form_add (form, "currency", "eur");
  kassa_stripe_form_add (form, "allowed_payment_method_types[]", "card_present");
  kassa_stripe_form_add (form, "capture_method", capture_method);
  kassa_stripe_form_add (form, "metadata[order_id]", "7");
  intent = call (fixture, "POST", "/v1/payment_intents", form, &error);
  g_assert_no_error (error);

  return intent;
}

static void
test_checkout (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  g_autoptr(JsonObject) session = NULL;
  g_autoptr(JsonObject) fetched = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) expired = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *second_path = NULL;
  JsonObject *intent;

  kassa_stripe_form_add (form, "mode", "payment");
  kassa_stripe_form_add (form, "line_items[0][price_data][currency]", "eur");
  kassa_stripe_form_add (form, "line_items[0][price_data][unit_amount]", "1250");
  kassa_stripe_form_add (form, "line_items[0][price_data][product_data][name]", "Tea");
  kassa_stripe_form_add (form, "line_items[0][quantity]", "2");
  kassa_stripe_form_add (form, "line_items[1][price_data][currency]", "eur");
  kassa_stripe_form_add (form, "line_items[1][price_data][unit_amount]", "333");
  kassa_stripe_form_add (form, "line_items[1][price_data][product_data][name]", "Cake");
  kassa_stripe_form_add (form, "line_items[1][quantity]", "1");
  kassa_stripe_form_add (form, "client_reference_id", "order-42");
  kassa_stripe_form_add (form, "success_url", "https://example.org/ok");
  kassa_stripe_form_add (form, "metadata[order_id]", "42");

  session = call (fixture, "POST", "/v1/checkout/sessions", form, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (session, "amount_total"), ==, 2833);
  g_assert_cmpstr (json_object_get_string_member (session, "status"), ==, "open");
  g_assert_cmpstr (json_object_get_string_member (session, "payment_status"), ==, "unpaid");
  g_assert_cmpstr (json_object_get_string_member (session, "client_reference_id"), ==, "order-42");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (session, "url"), "https://"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (session, "metadata"),
                                                  "order_id"), ==, "42");

  /* The customer pays; polling sees it. */
  g_assert_true (kassa_fake_stripe_complete_checkout_session (fixture->fake,
                                                              json_object_get_string_member (session, "id")));
  path = g_strdup_printf ("/v1/checkout/sessions/%s", json_object_get_string_member (session, "id"));
  fetched = call (fixture, "GET", path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (fetched, "status"), ==, "complete");
  g_assert_cmpstr (json_object_get_string_member (fetched, "payment_status"), ==, "paid");
  intent = kassa_fake_stripe_get_object (fixture->fake, json_object_get_string_member (fetched, "payment_intent"));
  g_assert_nonnull (intent);
  g_assert_cmpstr (json_object_get_string_member (intent, "status"), ==, "succeeded");
  g_assert_cmpint (json_object_get_int_member (intent, "amount_received"), ==, 2833);

  /* A paid session cannot expire; an open one can, once. */
  g_free (path);
  path = g_strdup_printf ("/v1/checkout/sessions/%s/expire", json_object_get_string_member (session, "id"));
  g_assert_null (call (fixture, "POST", path, NULL, &error));
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST);
  g_clear_error (&error);

  second = call (fixture, "POST", "/v1/checkout/sessions", form, &error);
  g_assert_no_error (error);
  second_path = g_strdup_printf ("/v1/checkout/sessions/%s/expire", json_object_get_string_member (second, "id"));
  expired = call (fixture, "POST", second_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (expired, "status"), ==, "expired");
  g_assert_false (kassa_fake_stripe_complete_checkout_session (fixture->fake,
                                                               json_object_get_string_member (second, "id")));

  /* Line items are checked as Stripe does. */
  {
    g_autoptr(KassaStripeForm) bad = kassa_stripe_form_new ();

    kassa_stripe_form_add (bad, "mode", "payment");
    kassa_stripe_form_add (bad, "line_items[0][price_data][currency]", "eur");
    kassa_stripe_form_add (bad, "line_items[0][price_data][unit_amount]", "100");
    kassa_stripe_form_add (bad, "line_items[0][price_data][product_data][name]", "Half");
    kassa_stripe_form_add (bad, "line_items[0][quantity]", "0.5");
    g_assert_null (call (fixture, "POST", "/v1/checkout/sessions", bad, &error));
    g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST);
    g_assert_cmpstr (kassa_payment_error_get_param (error), ==, "line_items[0][quantity]");
  }
}

static void
test_intents_and_refunds (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(JsonObject) manual = create_intent (fixture, 5000, "manual");
  g_autoptr(JsonObject) other = create_intent (fixture, 800, "automatic");
  g_autoptr(JsonObject) captured = NULL;
  g_autoptr(JsonObject) canceled = NULL;
  g_autoptr(JsonObject) refund = NULL;
  g_autoptr(KassaStripeForm) present = kassa_stripe_form_new ();
  g_autoptr(KassaStripeForm) process = kassa_stripe_form_new ();
  g_autoptr(KassaStripeForm) refund_form = kassa_stripe_form_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *capture_path = NULL;
  g_autofree char *cancel_path = NULL;
  JsonObject *reader;

  g_assert_cmpstr (json_object_get_string_member (manual, "status"), ==, "requires_payment_method");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (manual, "payment_method_types"), 0),
                   ==, "card_present");

  /* Pay the manual one on a reader, then capture. */
  kassa_fake_stripe_add_reader (fixture->fake, "tmr_fake", "Till 1");
  kassa_stripe_form_add (process, "payment_intent", json_object_get_string_member (manual, "id"));
  g_clear_pointer (&captured, json_object_unref);
  captured = call (fixture, "POST", "/v1/terminal/readers/tmr_fake/process_payment_intent", process, &error);
  g_assert_no_error (error);
  g_clear_pointer (&captured, json_object_unref);
  captured = call (fixture, "POST", "/v1/test_helpers/terminal/readers/tmr_fake/present_payment_method",
                   present, &error);
  g_assert_no_error (error);
  g_clear_pointer (&captured, json_object_unref);

  capture_path = g_strdup_printf ("/v1/payment_intents/%s/capture", json_object_get_string_member (manual, "id"));
  captured = call (fixture, "POST", capture_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (captured, "status"), ==, "succeeded");
  g_assert_cmpint (json_object_get_int_member (captured, "amount_received"), ==, 5000);
  reader = kassa_fake_stripe_get_object (fixture->fake, "tmr_fake");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (reader, "action"), "status"),
                   ==, "succeeded");

  /* Partial refunds up to what was received, then no more. */
  kassa_stripe_form_add (refund_form, "payment_intent", json_object_get_string_member (manual, "id"));
  kassa_stripe_form_add (refund_form, "amount", "3000");
  kassa_stripe_form_add (refund_form, "reason", "requested_by_customer");
  refund = call (fixture, "POST", "/v1/refunds", refund_form, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (refund, "amount"), ==, 3000);
  g_assert_cmpstr (json_object_get_string_member (refund, "status"), ==, "succeeded");
  g_clear_pointer (&refund, json_object_unref);
  refund = call (fixture, "POST", "/v1/refunds", refund_form, &error);
  g_assert_null (refund);
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST);
  g_assert_cmpstr (kassa_payment_error_get_stripe_code (error), ==, "amount_too_large");
  g_clear_error (&error);

  /* A PaymentIntent never paid cannot be refunded but can be cancelled. */
  g_clear_pointer (&refund_form, kassa_stripe_form_free);
  refund_form = kassa_stripe_form_new ();
  kassa_stripe_form_add (refund_form, "payment_intent", json_object_get_string_member (other, "id"));
  g_assert_null (call (fixture, "POST", "/v1/refunds", refund_form, &error));
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST);
  g_clear_error (&error);

  cancel_path = g_strdup_printf ("/v1/payment_intents/%s/cancel", json_object_get_string_member (other, "id"));
  canceled = call (fixture, "POST", cancel_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (canceled, "status"), ==, "canceled");
  g_assert_null (call (fixture, "POST", capture_path, NULL, &error));
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST);
}

static void
test_terminal (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(JsonObject) intent = create_intent (fixture, 1999, "automatic");
  g_autoptr(KassaStripeForm) process = kassa_stripe_form_new ();
  g_autoptr(KassaStripeForm) declined_card = kassa_stripe_form_new ();
  g_autoptr(JsonObject) reader = NULL;
  g_autoptr(JsonObject) list = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *action;
  JsonObject *live_intent;

  kassa_fake_stripe_add_reader (fixture->fake, "tmr_a", "Front");
  kassa_fake_stripe_add_reader (fixture->fake, "tmr_b", "Back");
  list = call (fixture, "GET", "/v1/terminal/readers", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (list, "data")), ==, 2);

  kassa_stripe_form_add (process, "payment_intent", json_object_get_string_member (intent, "id"));
  reader = call (fixture, "POST", "/v1/terminal/readers/tmr_a/process_payment_intent", process, &error);
  g_assert_no_error (error);
  action = json_object_get_object_member (reader, "action");
  g_assert_cmpstr (json_object_get_string_member (action, "status"), ==, "in_progress");
  g_assert_cmpstr (json_object_get_string_member (action, "type"), ==, "process_payment_intent");

  /* Busy while in progress. */
  g_assert_null (call (fixture, "POST", "/v1/terminal/readers/tmr_a/process_payment_intent", process, &error));
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST);
  g_assert_cmpstr (kassa_payment_error_get_stripe_code (error), ==, "terminal_reader_busy");
  g_clear_error (&error);

  /* A declining test card fails the action and leaves the intent open. */
  kassa_stripe_form_add (declined_card, "card_present[number]", "4000000000009995");
  g_clear_pointer (&reader, json_object_unref);
  reader = call (fixture, "POST", "/v1/test_helpers/terminal/readers/tmr_a/present_payment_method",
                 declined_card, &error);
  g_assert_no_error (error);
  action = json_object_get_object_member (reader, "action");
  g_assert_cmpstr (json_object_get_string_member (action, "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (action, "failure_code"), ==, "card_declined");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (action, "api_error"),
                                                  "decline_code"), ==, "insufficient_funds");
  live_intent = kassa_fake_stripe_get_object (fixture->fake, json_object_get_string_member (intent, "id"));
  g_assert_cmpstr (json_object_get_string_member (live_intent, "status"), ==, "requires_payment_method");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (live_intent, "last_payment_error"),
                                                  "decline_code"), ==, "insufficient_funds");

  /* The cart shows on the reader. */
  {
    g_autoptr(KassaStripeForm) display = kassa_stripe_form_new ();
    g_autoptr(JsonObject) shown = NULL;

    kassa_stripe_form_add (display, "type", "cart");
    kassa_stripe_form_add (display, "cart[currency]", "eur");
    kassa_stripe_form_add (display, "cart[line_items][0][description]", "Tea");
    kassa_stripe_form_add (display, "cart[line_items][0][amount]", "1999");
    kassa_stripe_form_add (display, "cart[line_items][0][quantity]", "1");
    g_assert_null (call (fixture, "POST", "/v1/terminal/readers/tmr_b/set_reader_display", display, &error));
    g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST);
    g_assert_cmpstr (kassa_payment_error_get_param (error), ==, "cart[total]");
    g_clear_error (&error);

    kassa_stripe_form_add (display, "cart[total]", "1999");
    shown = call (fixture, "POST", "/v1/terminal/readers/tmr_b/set_reader_display", display, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (shown, "action"), "type"),
                     ==, "set_reader_display");
  }

  /* Start again, then the cashier cancels. */
  g_clear_pointer (&reader, json_object_unref);
  reader = call (fixture, "POST", "/v1/terminal/readers/tmr_a/process_payment_intent", process, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reader, json_object_unref);
  reader = call (fixture, "POST", "/v1/terminal/readers/tmr_a/cancel_action", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_null_member (reader, "action"));

  /* Nothing to tap on an idle reader. */
  g_assert_null (call (fixture, "POST", "/v1/test_helpers/terminal/readers/tmr_a/present_payment_method",
                       NULL, &error));
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST);
  g_clear_error (&error);

  g_assert_null (call (fixture, "GET", "/v1/terminal/readers/tmr_zzz", NULL, &error));
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_NOT_FOUND);
}

static GPtrArray *
list_events (Fixture    *fixture,
             const char *cursor_name,
             const char *cursor,
             gint64      limit,
             gboolean   *has_more)
{
  g_autoptr(KassaStripeForm) query = kassa_stripe_form_new ();
  g_autoptr(JsonObject) list = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *events;

  kassa_stripe_form_add_int (query, "limit", limit);
  if (cursor != NULL)
    kassa_stripe_form_add (query, cursor_name, cursor);
  list = call (fixture, "GET", "/v1/events", query, &error);
  g_assert_no_error (error);
  events = kassa_stripe_event_parse_list (list, has_more, &error);
  g_assert_no_error (error);

  return events;
}

static const char *
event_id (GPtrArray *events,
          guint      index)
{
  return kassa_stripe_event_get_id (g_ptr_array_index (events, index));
}

static void
test_events (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(JsonObject) object = json_object_new ();
  char *ids[5] = { NULL };
  gboolean has_more = FALSE;

  json_object_set_string_member (object, "id", "cs_test_x");
  json_object_set_string_member (object, "object", "checkout.session");
  for (guint i = 0; i < 5; i++)
    ids[i] = g_strdup (kassa_fake_stripe_add_event (fixture->fake, "checkout.session.completed", object));
  g_assert_cmpuint (kassa_fake_stripe_get_n_events (fixture->fake), ==, 5);

  /* Newest first. */
  page = list_events (fixture, NULL, NULL, 2, &has_more);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_cmpstr (event_id (page, 0), ==, ids[4]);
  g_assert_cmpstr (event_id (page, 1), ==, ids[3]);
  g_assert_true (has_more);
  g_clear_pointer (&page, g_ptr_array_unref);

  /* Older ones after a cursor. */
  page = list_events (fixture, "starting_after", ids[3], 10, &has_more);
  g_assert_cmpuint (page->len, ==, 3);
  g_assert_cmpstr (event_id (page, 0), ==, ids[2]);
  g_assert_cmpstr (event_id (page, 2), ==, ids[0]);
  g_assert_false (has_more);
  g_clear_pointer (&page, g_ptr_array_unref);

  /* Newer ones before a cursor: the page right above it. */
  page = list_events (fixture, "ending_before", ids[0], 2, &has_more);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_cmpstr (event_id (page, 0), ==, ids[2]);
  g_assert_cmpstr (event_id (page, 1), ==, ids[1]);
  g_assert_true (has_more);
  g_clear_pointer (&page, g_ptr_array_unref);

  page = list_events (fixture, "ending_before", ids[4], 2, &has_more);
  g_assert_cmpuint (page->len, ==, 0);
  g_assert_false (has_more);
  g_clear_pointer (&page, g_ptr_array_unref);

  /* Quirks a poller must survive. */
  kassa_fake_stripe_set_event_quirks (fixture->fake, KASSA_FAKE_EVENTS_DUPLICATE);
  page = list_events (fixture, NULL, NULL, 2, &has_more);
  g_assert_cmpuint (page->len, ==, 4);
  g_assert_cmpstr (event_id (page, 0), ==, ids[4]);
  g_assert_cmpstr (event_id (page, 1), ==, ids[4]);
  g_clear_pointer (&page, g_ptr_array_unref);

  kassa_fake_stripe_set_event_quirks (fixture->fake, KASSA_FAKE_EVENTS_REORDER);
  page = list_events (fixture, NULL, NULL, 2, &has_more);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_cmpstr (event_id (page, 0), ==, ids[3]);
  g_assert_cmpstr (event_id (page, 1), ==, ids[4]);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_free (ids[i]);
}

static void
test_events_from_objects (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(JsonObject) intent = create_intent (fixture, 100, "automatic");
  g_autoptr(JsonObject) list = NULL;
  g_autoptr(KassaStripeForm) query = kassa_stripe_form_new ();
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  KassaStripeEvent *event;
  gint64 amount = 0;

  kassa_stripe_form_add (query, "types[]", "payment_intent.created");
  list = call (fixture, "GET", "/v1/events", query, &error);
  g_assert_no_error (error);
  events = kassa_stripe_event_parse_list (list, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  event = g_ptr_array_index (events, 0);
  g_assert_cmpstr (kassa_stripe_event_get_object_id (event), ==, json_object_get_string_member (intent, "id"));
  g_assert_cmpstr (kassa_stripe_event_get_api_version (event), ==, KASSA_STRIPE_API_VERSION);
  g_assert_true (kassa_stripe_event_get_object_int (event, "amount", &amount));
  g_assert_cmpint (amount, ==, 100);
}

static void
raw_cb (GObject      *object,
        GAsyncResult *res,
        gpointer      user_data)
{
  GBytes **reply = user_data;
  g_autoptr(GError) error = NULL;

  *reply = soup_session_send_and_read_finish (SOUP_SESSION (object), res, &error);
  g_assert_no_error (error);
}

/* The server runs on this thread, so the request must not block it. */
static guint
send_raw (SoupSession *session,
          SoupMessage *message)
{
  g_autoptr(GBytes) reply = NULL;

  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, raw_cb, &reply);
  while (reply == NULL)
    g_main_context_iteration (NULL, TRUE);

  return soup_message_get_status (message);
}

static void
test_strictness (Fixture       *fixture,
                 gconstpointer  data)
{
  SoupSession *session = kassa_stripe_client_get_session (fixture->client);
  g_autofree char *url = g_strconcat (kassa_fake_stripe_get_url (fixture->fake), "/v1/payment_intents", NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = g_bytes_new_static ("amount=1&currency=eur", 21);

  /* A POST without an idempotency key is refused: Kassa never sends one. */
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                "Bearer " SECRET_KEY);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Stripe-Version",
                                KASSA_STRIPE_API_VERSION);
  soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded", body);
  g_assert_cmpuint (send_raw (session, message), ==, 400);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "payment_intent"), ==, 0);

  /* Nor a wrong API version. */
  g_clear_object (&message);
  message = soup_message_new ("GET", url);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                "Bearer " SECRET_KEY);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Stripe-Version",
                                "2020-08-27");
  g_assert_cmpuint (send_raw (session, message), ==, 400);
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, NULL, "/v1/payment_intents"), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/fake-stripe/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("checkout", test_checkout);
  ADD ("intents-and-refunds", test_intents_and_refunds);
  ADD ("terminal", test_terminal);
  ADD ("events", test_events);
  ADD ("events-from-objects", test_events_from_objects);
  ADD ("strictness", test_strictness);

#undef ADD

  return g_test_run ();
}
