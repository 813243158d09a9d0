/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-stripe-terminal-provider"

#include "config.h"

#include <string.h>

#include "provider-test-utils.h"
#include "kassa-stripe-terminal-provider.h"

#define READER "tmr_simulated_1"
#define CARD_OK "4242424242424242"
#define CARD_DECLINED "4000000000000002"

#define INTENT_BODY \
  "amount=1150" \
  "&currency=eur" \
  "&allowed_payment_method_types[]=card_present" \
  "&capture_method=manual" \
  "&metadata[order_id]=42" \
  "&metadata[order_number]=K-0042"

#define DISPLAY_BODY \
  "type=cart" \
  "&cart[currency]=eur" \
  "&cart[line_items][0][description]=Coffee" \
  "&cart[line_items][0][amount]=350" \
  "&cart[line_items][0][quantity]=2" \
  "&cart[line_items][1][description]=Cake" \
  "&cart[line_items][1][amount]=450" \
  "&cart[line_items][1][quantity]=1" \
  "&cart[total]=1150"

typedef struct
{
  KassaFakeStripe             *fake;
  KassaStripeClient           *client;
  KassaStripeTerminalProvider *provider;
  Outcome                      outcome;
  enum { ON_WAIT_NOTHING, ON_WAIT_TAP, ON_WAIT_CANCEL } on_wait;
  const char                  *card;
  gboolean                     tapped;
  GError                      *tap_error;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->fake = kassa_fake_stripe_new (TEST_SECRET_KEY);
  kassa_fake_stripe_add_reader (fixture->fake, READER, "Till 1");
  fixture->client = test_client_new (fixture->fake);
  fixture->provider = kassa_stripe_terminal_provider_new (fixture->client);
  kassa_stripe_terminal_provider_set_poll_interval (fixture->provider, 5);
  kassa_stripe_terminal_provider_set_reader_id (fixture->provider, READER);
  fixture->card = CARD_OK;
  outcome_init (&fixture->outcome);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  outcome_clear (&fixture->outcome);
  g_clear_error (&fixture->tap_error);
  g_assert_finalize_object (fixture->provider);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->fake);
}

static void
tapped_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  Fixture *fixture = user_data;

  kassa_stripe_terminal_provider_present_test_card_finish (KASSA_STRIPE_TERMINAL_PROVIDER (object),
                                                           res, &fixture->tap_error);
  fixture->tapped = TRUE;
}

static void
waiting_cb (KassaPaymentProvider *provider,
            KassaPaymentProgress  progress,
            const char           *message,
            const char           *url,
            gpointer              user_data)
{
  Fixture *fixture = user_data;

  if (progress != KASSA_PAYMENT_PROGRESS_WAITING_FOR_CUSTOMER)
    return;

  if (fixture->on_wait == ON_WAIT_TAP)
    kassa_stripe_terminal_provider_present_test_card_async (fixture->provider, fixture->card, NULL,
                                                            tapped_cb, fixture);
  else if (fixture->on_wait == ON_WAIT_CANCEL)
    kassa_payment_provider_cancel (provider);
}

static void
start (Fixture             *fixture,
       KassaPaymentRequest *request)
{
  gulong id = g_signal_connect (fixture->provider, "status-changed", G_CALLBACK (waiting_cb), fixture);

  outcome_clear (&fixture->outcome);
  outcome_init (&fixture->outcome);
  test_start (KASSA_PAYMENT_PROVIDER (fixture->provider), request, NULL, &fixture->outcome);
  g_signal_handler_disconnect (fixture->provider, id);
}

static JsonObject *
intent (Fixture *fixture)
{
  const char *id = kassa_stripe_terminal_provider_get_payment_intent_id (fixture->provider);

  g_assert_nonnull (id);
  return kassa_fake_stripe_get_object (fixture->fake, id);
}

static void
readers_cb (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  GPtrArray **readers = user_data;
  g_autoptr(GError) error = NULL;

  *readers = kassa_stripe_terminal_provider_list_readers_finish (KASSA_STRIPE_TERMINAL_PROVIDER (object),
                                                                 res, &error);
  g_assert_no_error (error);
}

static void
test_list_readers (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) readers = NULL;
  KassaStripeReader *reader;

  kassa_fake_stripe_add_reader (fixture->fake, "tmr_simulated_2", "Till 2");
  kassa_stripe_terminal_provider_list_readers_async (fixture->provider, NULL, readers_cb, &readers);
  while (readers == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (readers->len, ==, 2);
  reader = g_ptr_array_index (readers, 0);
  g_assert_cmpstr (reader->id, ==, READER);
  g_assert_cmpstr (reader->label, ==, "Till 1");
  g_assert_cmpstr (reader->status, ==, "online");
  g_assert_cmpstr (reader->device_type, ==, "simulated_wisepos_e");
  reader = g_ptr_array_index (readers, 1);
  g_assert_cmpstr (reader->label, ==, "Till 2");
  g_assert_cmpstr (kassa_fake_stripe_get_request (fixture->fake, 0)->path, ==, "/v1/terminal/readers");
}

static void
test_tap_succeeds (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = test_request_new ("kassa-test-card-1");
  g_autofree char *process_path = g_strdup_printf ("/v1/terminal/readers/%s/process_payment_intent", READER);
  g_autofree char *display_path = g_strdup_printf ("/v1/terminal/readers/%s/set_reader_display", READER);
  g_autofree char *capture_path = NULL;
  g_autofree char *process_body = NULL;
  g_autofree char *method = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  const KassaFakeStripeRequest *sent;
  KassaPaymentResult *result;

  g_assert_true (kassa_payment_provider_describe_start (KASSA_PAYMENT_PROVIDER (fixture->provider),
                                                        request, &method, &path, &body, &error));
  g_assert_cmpstr (path, ==, "/v1/payment_intents");
  g_assert_cmpstr (body, ==, INTENT_BODY);

  fixture->on_wait = ON_WAIT_TAP;
  start (fixture, request);
  g_assert_no_error (fixture->outcome.error);
  g_assert_true (fixture->tapped);
  g_assert_no_error (fixture->tap_error);

  sent = kassa_fake_stripe_get_request (fixture->fake, 0);
  g_assert_cmpstr (sent->path, ==, "/v1/payment_intents");
  g_assert_cmpstr (sent->body, ==, INTENT_BODY);
  g_assert_cmpstr (soup_message_headers_get_one (sent->headers, "Idempotency-Key"), ==, "kassa-test-card-1");

  sent = test_find_request (fixture->fake, "POST", display_path);
  g_assert_nonnull (sent);
  g_assert_cmpstr (sent->body, ==, DISPLAY_BODY);
  g_assert_cmpstr (soup_message_headers_get_one (sent->headers, "Idempotency-Key"), ==, "kassa-test-card-1:display");

  result = fixture->outcome.result;
  process_body = g_strdup_printf ("payment_intent=%s", result->provider_reference);
  sent = test_find_request (fixture->fake, "POST", process_path);
  g_assert_nonnull (sent);
  g_assert_cmpstr (sent->body, ==, process_body);
  g_assert_cmpstr (soup_message_headers_get_one (sent->headers, "Idempotency-Key"), ==, "kassa-test-card-1:process");

  capture_path = g_strdup_printf ("/v1/payment_intents/%s/capture", result->provider_reference);
  g_assert_cmpuint (test_count_with_key (fixture->fake, capture_path, "kassa-test-card-1:capture"), ==, 1);

  g_assert_cmpstr (result->provider_id, ==, KASSA_STRIPE_TERMINAL_PROVIDER_ID);
  g_assert_cmpint (result->amount, ==, 1150);
  g_assert_cmpstr (result->reader_id, ==, READER);
  g_assert_cmpstr (json_object_get_string_member (intent (fixture), "status"), ==, "succeeded");
  g_assert_cmpint (json_object_get_int_member (intent (fixture), "amount_received"), ==, 1150);
  g_assert_true (outcome_saw (&fixture->outcome, KASSA_PAYMENT_PROGRESS_WAITING_FOR_CUSTOMER));
  g_assert_true (outcome_saw (&fixture->outcome, KASSA_PAYMENT_PROGRESS_CAPTURING));
  g_assert_true (outcome_saw (&fixture->outcome, KASSA_PAYMENT_PROGRESS_SUCCEEDED));
}

static void
test_automatic_capture (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = test_request_new ("kassa-test-card-auto");

  kassa_stripe_terminal_provider_set_manual_capture (fixture->provider, FALSE);
  fixture->on_wait = ON_WAIT_TAP;
  start (fixture, request);
  g_assert_no_error (fixture->outcome.error);
  g_assert_cmpstr (kassa_stripe_form_lookup (kassa_fake_stripe_get_request (fixture->fake, 0)->form,
                                             "capture_method"), ==, "automatic");
  g_assert_false (outcome_saw (&fixture->outcome, KASSA_PAYMENT_PROGRESS_CAPTURING));
  g_assert_cmpstr (json_object_get_string_member (intent (fixture), "status"), ==, "succeeded");
}

static void
test_tap_declined (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = test_request_new ("kassa-test-card-declined");
  g_autofree char *cancel_path = NULL;

  fixture->on_wait = ON_WAIT_TAP;
  fixture->card = CARD_DECLINED;
  start (fixture, request);

  g_assert_error (fixture->outcome.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_DECLINED);
  g_assert_cmpstr (kassa_payment_error_get_decline_code (fixture->outcome.error), ==, "generic_decline");
  g_assert_cmpstr (kassa_payment_error_get_stripe_code (fixture->outcome.error), ==, "card_declined");
  g_assert_true (outcome_saw (&fixture->outcome, KASSA_PAYMENT_PROGRESS_FAILED));

  /* Nothing stays authorised after a decline. */
  g_assert_cmpstr (json_object_get_string_member (intent (fixture), "status"), ==, "canceled");
  cancel_path = g_strdup_printf ("/v1/payment_intents/%s/cancel",
                                 kassa_stripe_terminal_provider_get_payment_intent_id (fixture->provider));
  g_assert_cmpuint (test_count_with_key (fixture->fake, cancel_path, "kassa-test-card-declined:cancel"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (intent (fixture), "amount_received"), ==, 0);
}

static void
test_cancel_on_reader (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = test_request_new ("kassa-test-card-cancel");
  g_autofree char *action_path = g_strdup_printf ("/v1/terminal/readers/%s/cancel_action", READER);
  JsonObject *reader;

  fixture->on_wait = ON_WAIT_CANCEL;
  start (fixture, request);

  g_assert_error (fixture->outcome.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_CANCELLED);
  g_assert_true (outcome_saw (&fixture->outcome, KASSA_PAYMENT_PROGRESS_CANCELLING));
  g_assert_true (outcome_saw (&fixture->outcome, KASSA_PAYMENT_PROGRESS_CANCELLED));
  g_assert_cmpuint (test_count_with_key (fixture->fake, action_path, "kassa-test-card-cancel:cancel_action"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (intent (fixture), "status"), ==, "canceled");
  reader = kassa_fake_stripe_get_object (fixture->fake, READER);
  g_assert_true (json_object_get_null_member (reader, "action"));
}

static void
tapped_then_cancel_cb (GObject      *object,
                       GAsyncResult *res,
                       gpointer      user_data)
{
  Fixture *fixture = user_data;

  tapped_cb (object, res, user_data);
  g_assert_no_error (fixture->tap_error);
  /* The card is authorised now; the cashier gives up all the same. */
  g_assert_cmpstr (json_object_get_string_member (intent (fixture), "status"), ==, "requires_capture");
  kassa_payment_provider_cancel (KASSA_PAYMENT_PROVIDER (fixture->provider));
}

static void
tap_then_cancel_cb (KassaPaymentProvider *provider,
                    KassaPaymentProgress  progress,
                    const char           *message,
                    const char           *url,
                    gpointer              user_data)
{
  Fixture *fixture = user_data;

  if (progress == KASSA_PAYMENT_PROGRESS_WAITING_FOR_CUSTOMER)
    kassa_stripe_terminal_provider_present_test_card_async (fixture->provider, CARD_OK, NULL,
                                                            tapped_then_cancel_cb, fixture);
}

/* Cancelled after the card was authorised, and releasing the
 * authorisation is refused on every try: the money may still be held,
 * so the outcome is unknown, not a cancelled payment. */
static void
test_unreleased_authorisation_unknown (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = test_request_new ("kassa-test-card-held");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *cancel_path = NULL;
  KassaFakeFault limited = {
    .kind = KASSA_FAKE_FAULT_STATUS, .count = 2, .method = "POST",
    .path_prefix = "/v1/payment_intents/pi_", .status = 429,
    .type = "invalid_request_error", .code = "rate_limit", .should_retry = -1,
  };
  gulong id;

  kassa_stripe_client_set_max_tries (fixture->client, 2);
  kassa_fake_stripe_push_fault (fixture->fake, &limited);
  /* Slow polls, so the cancel lands before the provider sees the tap. */
  kassa_stripe_terminal_provider_set_poll_interval (fixture->provider, 300);
  id = g_signal_connect (fixture->provider, "status-changed", G_CALLBACK (tap_then_cancel_cb), fixture);
  start (fixture, request);
  g_signal_handler_disconnect (fixture->provider, id);

  g_assert_true (fixture->tapped);
  g_assert_cmpuint (kassa_fake_stripe_get_n_pending_faults (fixture->fake), ==, 0);
  cancel_path = g_strdup_printf ("/v1/payment_intents/%s/cancel",
                                 kassa_stripe_terminal_provider_get_payment_intent_id (fixture->provider));
  g_assert_cmpuint (test_count_with_key (fixture->fake, cancel_path, "kassa-test-card-held:cancel"), ==, 2);
  g_assert_error (fixture->outcome.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME);
  g_assert_cmpstr (json_object_get_string_member (intent (fixture), "status"), ==, "requires_capture");
  g_assert_cmpint (json_object_get_int_member (intent (fixture), "amount_received"), ==, 0);

  /* Started again with the same key and the cashier's cancel, the
   * replayed intent is released once Stripe answers, never captured. */
  g_cancellable_cancel (cancellable);
  outcome_clear (&fixture->outcome);
  outcome_init (&fixture->outcome);
  test_start (KASSA_PAYMENT_PROVIDER (fixture->provider), request, cancellable, &fixture->outcome);
  g_assert_error (fixture->outcome.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_CANCELLED);
  g_assert_cmpstr (json_object_get_string_member (intent (fixture), "status"), ==, "canceled");
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "payment_intent"), ==, 1);
}

static void
test_unknown_capture_never_charges_twice (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = test_request_new ("kassa-test-card-capture");
  KassaFakeFault drop = {
    .kind = KASSA_FAKE_FAULT_DROP_AFTER, .count = 2, .method = "POST",
    .path_prefix = "/v1/payment_intents/pi_",
  };

  /* The capture goes through but its answers are lost. */
  kassa_stripe_client_set_max_tries (fixture->client, 2);
  kassa_fake_stripe_push_fault (fixture->fake, &drop);
  fixture->on_wait = ON_WAIT_TAP;
  start (fixture, request);

  g_assert_no_error (fixture->outcome.error);
  g_assert_cmpint (fixture->outcome.result->amount, ==, 1150);
  g_assert_cmpstr (json_object_get_string_member (intent (fixture), "status"), ==, "succeeded");
  g_assert_cmpint (json_object_get_int_member (intent (fixture), "amount_received"), ==, 1150);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "payment_intent"), ==, 1);
}

static void
test_capture_timeout_never_charges_twice (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = test_request_new ("kassa-test-card-slow");
  g_autofree char *capture_path = NULL;
  KassaFakeFault slow = {
    .kind = KASSA_FAKE_FAULT_DELAY, .count = 1, .method = "POST",
    .path_prefix = "/v1/payment_intents/pi_", .delay_ms = 1500,
  };

  /* The capture is made at once but answered after the client gave up
   * on it; the retry with the same key gets Stripe's first answer. */
  kassa_stripe_client_set_timeout (fixture->client, 300);
  kassa_fake_stripe_push_fault (fixture->fake, &slow);
  fixture->on_wait = ON_WAIT_TAP;
  start (fixture, request);

  g_assert_no_error (fixture->outcome.error);
  capture_path = g_strdup_printf ("/v1/payment_intents/%s/capture",
                                  fixture->outcome.result->provider_reference);
  g_assert_cmpuint (test_count_with_key (fixture->fake, capture_path, "kassa-test-card-slow:capture"), >=, 2);
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "POST", capture_path), ==,
                    test_count_with_key (fixture->fake, capture_path, "kassa-test-card-slow:capture"));
  g_assert_cmpint (json_object_get_int_member (intent (fixture), "amount_received"), ==, 1150);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "payment_intent"), ==, 1);
}

static void
test_server_errors_reuse_keys (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = test_request_new ("kassa-test-card-5xx");
  g_autofree char *process_path = g_strdup_printf ("/v1/terminal/readers/%s/process_payment_intent", READER);
  KassaFakeFault create = {
    .kind = KASSA_FAKE_FAULT_STATUS, .count = 2, .method = "POST",
    .path_prefix = "/v1/payment_intents", .status = 500, .should_retry = -1,
  };
  KassaFakeFault process = {
    .kind = KASSA_FAKE_FAULT_STATUS, .count = 1, .method = "POST",
    .path_prefix = process_path, .status = 429, .should_retry = -1,
  };
  KassaFakeFault poll = {
    .kind = KASSA_FAKE_FAULT_STATUS, .count = 1, .method = "GET",
    .path_prefix = "/v1/terminal/readers/", .status = 502, .should_retry = -1,
  };

  kassa_fake_stripe_push_fault (fixture->fake, &create);
  kassa_fake_stripe_push_fault (fixture->fake, &process);
  kassa_fake_stripe_push_fault (fixture->fake, &poll);
  fixture->on_wait = ON_WAIT_TAP;
  start (fixture, request);

  g_assert_no_error (fixture->outcome.error);
  g_assert_cmpuint (test_count_with_key (fixture->fake, "/v1/payment_intents", "kassa-test-card-5xx"), ==, 3);
  g_assert_cmpuint (test_count_with_key (fixture->fake, process_path, "kassa-test-card-5xx:process"), ==, 2);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "payment_intent"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (intent (fixture), "amount_received"), ==, 1150);
}

static void
test_decline_on_create_mapped (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = test_request_new ("kassa-test-card-402");
  KassaFakeFault fault = {
    .kind = KASSA_FAKE_FAULT_STATUS, .count = 1, .method = "POST",
    .path_prefix = "/v1/payment_intents", .status = 402, .type = "card_error",
    .code = "card_declined", .decline_code = "stolen_card", .should_retry = -1,
  };

  kassa_fake_stripe_push_fault (fixture->fake, &fault);
  start (fixture, request);
  g_assert_error (fixture->outcome.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_DECLINED);
  g_assert_cmpstr (kassa_payment_error_get_decline_code (fixture->outcome.error), ==, "stolen_card");
  /* 402 is never retried. */
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 1);
}

static void
test_no_reader (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = test_request_new ("kassa-test-card-none");

  kassa_stripe_terminal_provider_set_reader_id (fixture->provider, NULL);
  start (fixture, request);
  g_assert_error (fixture->outcome.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 0);

  /* Subscriptions start by QR only. */
  kassa_stripe_terminal_provider_set_reader_id (fixture->provider, READER);
  request->mode = KASSA_PAYMENT_MODE_SUBSCRIPTION;
  start (fixture, request);
  g_assert_error (fixture->outcome.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/stripe-terminal-provider/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("list-readers", test_list_readers);
  ADD ("tap-succeeds", test_tap_succeeds);
  ADD ("automatic-capture", test_automatic_capture);
  ADD ("tap-declined", test_tap_declined);
  ADD ("cancel-on-reader", test_cancel_on_reader);
  ADD ("unreleased-authorisation-unknown", test_unreleased_authorisation_unknown);
  ADD ("unknown-capture-never-charges-twice", test_unknown_capture_never_charges_twice);
  ADD ("capture-timeout-never-charges-twice", test_capture_timeout_never_charges_twice);
  ADD ("server-errors-reuse-keys", test_server_errors_reuse_keys);
  ADD ("decline-on-create-mapped", test_decline_on_create_mapped);
  ADD ("no-reader", test_no_reader);

  return g_test_run ();
}
