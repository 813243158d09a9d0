/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-stripe-checkout-provider"

#include "config.h"

#include <string.h>

#include "provider-test-utils.h"
#include "kassa-stripe-checkout-provider.h"

#define SUCCESS_URL "https://shop.example/paid"
#define CANCEL_URL "https://shop.example/cancelled"

/* The form body of the session for test_request_new (), 2026-11-28
 * 10:00 UTC + 30 min = 1795861800. */
#define SESSION_BODY \
  "mode=payment" \
  "&line_items[0][price_data][currency]=eur" \
  "&line_items[0][price_data][unit_amount]=350" \
  "&line_items[0][price_data][product_data][name]=Coffee" \
  "&line_items[0][quantity]=2" \
  "&line_items[1][price_data][currency]=eur" \
  "&line_items[1][price_data][unit_amount]=450" \
  "&line_items[1][price_data][product_data][name]=Cake" \
  "&line_items[1][quantity]=1" \
  "&client_reference_id=42" \
  "&metadata[order_id]=42" \
  "&metadata[order_number]=K-0042" \
  "&expires_at=1795861800" \
  "&success_url=https%3A%2F%2Fshop.example%2Fpaid" \
  "&cancel_url=https%3A%2F%2Fshop.example%2Fcancelled"

typedef struct
{
  KassaFakeStripe             *fake;
  KassaStripeClient           *client;
  KassaStripeCheckoutProvider *provider;
  Outcome                      outcome;
  /* What to do once the QR code shows */
  enum { ON_CODE_NOTHING, ON_CODE_PAY, ON_CODE_EXPIRE, ON_CODE_CANCEL, ON_CODE_CANCELLABLE } on_code;
  GCancellable                *cancellable;
  char                        *url;
} Fixture;

static GString *captured_logs;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->fake = kassa_fake_stripe_new (TEST_SECRET_KEY);
  fixture->client = test_client_new (fixture->fake);
  fixture->provider = kassa_stripe_checkout_provider_new (fixture->client, SUCCESS_URL, CANCEL_URL);
  kassa_stripe_checkout_provider_set_poll_interval (fixture->provider, 5);
  fixture->cancellable = g_cancellable_new ();
  outcome_init (&fixture->outcome);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  outcome_clear (&fixture->outcome);
  g_assert_finalize_object (fixture->provider);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->fake);
  g_clear_object (&fixture->cancellable);
  g_free (fixture->url);
}

static void
code_shown_cb (KassaPaymentProvider *provider,
               KassaPaymentProgress  progress,
               const char           *message,
               const char           *url,
               gpointer              user_data)
{
  Fixture *fixture = user_data;
  const char *session_id;

  if (progress != KASSA_PAYMENT_PROGRESS_SHOWING_CODE)
    return;

  g_assert_nonnull (url);
  g_free (fixture->url);
  fixture->url = g_strdup (url);
  session_id = kassa_stripe_checkout_provider_get_session_id (fixture->provider);
  g_assert_nonnull (session_id);

  switch (fixture->on_code)
    {
    case ON_CODE_PAY:
      g_assert_true (kassa_fake_stripe_complete_checkout_session (fixture->fake, session_id));
      break;
    case ON_CODE_EXPIRE:
      /* What Stripe does at expires_at. */
      json_object_set_string_member (kassa_fake_stripe_get_object (fixture->fake, session_id),
                                     "status", "expired");
      break;
    case ON_CODE_CANCEL:
      kassa_payment_provider_cancel (provider);
      break;
    case ON_CODE_CANCELLABLE:
      g_cancellable_cancel (fixture->cancellable);
      break;
    case ON_CODE_NOTHING:
      break;
    }
}

static void
start (Fixture             *fixture,
       KassaPaymentRequest *request)
{
  gulong id = g_signal_connect (fixture->provider, "status-changed", G_CALLBACK (code_shown_cb), fixture);

  outcome_clear (&fixture->outcome);
  outcome_init (&fixture->outcome);
  test_start (KASSA_PAYMENT_PROVIDER (fixture->provider), request, fixture->cancellable,
              &fixture->outcome);
  g_signal_handler_disconnect (fixture->provider, id);
}

static void
test_pay_sends_exact_form (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = test_request_new ("kassa-test-qr-1");
  const KassaFakeStripeRequest *sent;
  KassaPaymentResult *result;
  g_autofree char *method = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *session;

  /* What the shop stores before sending is what is sent. */
  g_assert_true (kassa_payment_provider_describe_start (KASSA_PAYMENT_PROVIDER (fixture->provider),
                                                        request, &method, &path, &body, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (method, ==, "POST");
  g_assert_cmpstr (path, ==, "/v1/checkout/sessions");
  g_assert_cmpstr (body, ==, SESSION_BODY);

  fixture->on_code = ON_CODE_PAY;
  start (fixture, request);
  g_assert_no_error (fixture->outcome.error);

  sent = kassa_fake_stripe_get_request (fixture->fake, 0);
  g_assert_cmpstr (sent->method, ==, "POST");
  g_assert_cmpstr (sent->path, ==, "/v1/checkout/sessions");
  g_assert_cmpstr (sent->body, ==, SESSION_BODY);
  g_assert_cmpstr (soup_message_headers_get_one (sent->headers, "Idempotency-Key"), ==, "kassa-test-qr-1");
  g_assert_cmpstr (soup_message_headers_get_one (sent->headers, "Stripe-Version"), ==, KASSA_STRIPE_API_VERSION);
  g_assert_cmpstr (soup_message_headers_get_one (sent->headers, "Authorization"), ==, "Bearer " TEST_SECRET_KEY);
  g_assert_cmpstr (soup_message_headers_get_content_type (sent->headers, NULL), ==,
                   "application/x-www-form-urlencoded");

  result = fixture->outcome.result;
  session = kassa_fake_stripe_get_object (fixture->fake, result->checkout_session_id);
  g_assert_nonnull (session);
  g_assert_cmpstr (json_object_get_string_member (session, "status"), ==, "complete");
  g_assert_cmpstr (result->provider_id, ==, KASSA_STRIPE_CHECKOUT_PROVIDER_ID);
  g_assert_cmpint (result->amount, ==, 1150);
  g_assert_cmpstr (result->currency_code, ==, "EUR");
  g_assert_cmpstr (result->provider_reference, ==, json_object_get_string_member (session, "payment_intent"));
  g_assert_true (g_str_has_prefix (result->provider_reference, "pi_"));
  g_assert_nonnull (result->paid_at);
  g_assert_nonnull (result->method_label);
  g_assert_true (g_str_has_prefix (fixture->url, "https://checkout.stripe.com/c/pay/cs_test"));

  /* The session was looked at until it was paid, never created twice. */
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "checkout.session"), ==, 1);
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "GET", NULL), >=, 1);
  g_assert_true (outcome_saw (&fixture->outcome, KASSA_PAYMENT_PROGRESS_STARTING));
  g_assert_true (outcome_saw (&fixture->outcome, KASSA_PAYMENT_PROGRESS_SHOWING_CODE));
  g_assert_true (outcome_saw (&fixture->outcome, KASSA_PAYMENT_PROGRESS_SUCCEEDED));
}

static void
test_expired_session (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = test_request_new ("kassa-test-qr-expired");

  fixture->on_code = ON_CODE_EXPIRE;
  start (fixture, request);

  g_assert_error (fixture->outcome.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_CANCELLED);
  g_assert_true (outcome_saw (&fixture->outcome, KASSA_PAYMENT_PROGRESS_CANCELLED));
  /* Stripe expired it; Kassa had nothing to withdraw. */
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "POST", NULL), ==, 1);
}

static void
check_cancelled (Fixture    *fixture,
                 const char *key)
{
  const char *session_id = kassa_stripe_checkout_provider_get_session_id (fixture->provider);
  g_autofree char *path = g_strdup_printf ("/v1/checkout/sessions/%s/expire", session_id);
  g_autofree char *expire_key = g_strconcat (key, ":expire", NULL);
  JsonObject *session = kassa_fake_stripe_get_object (fixture->fake, session_id);

  g_assert_error (fixture->outcome.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_CANCELLED);
  g_assert_true (outcome_saw (&fixture->outcome, KASSA_PAYMENT_PROGRESS_CANCELLING));
  g_assert_true (outcome_saw (&fixture->outcome, KASSA_PAYMENT_PROGRESS_CANCELLED));
  g_assert_cmpstr (json_object_get_string_member (session, "status"), ==, "expired");
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "POST", path), ==, 1);
  g_assert_cmpuint (test_count_with_key (fixture->fake, path, expire_key), ==, 1);
  g_assert_cmpstr (test_find_request (fixture->fake, "POST", path)->body, ==, "");
}

static void
test_cancel_expires_session (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = test_request_new ("kassa-test-qr-cancel");

  fixture->on_code = ON_CODE_CANCEL;
  start (fixture, request);
  check_cancelled (fixture, "kassa-test-qr-cancel");
}

static void
test_cancellable_expires_session (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = test_request_new ("kassa-test-qr-cancellable");

  fixture->on_code = ON_CODE_CANCELLABLE;
  start (fixture, request);
  check_cancelled (fixture, "kassa-test-qr-cancellable");
}

/* The cashier gives up, but withdrawing the code is rate-limited on
 * every try: the customer may still pay it, so the outcome is unknown;
 * started again with the cancel, the same key withdraws it. */
static void
test_cancel_unanswered_is_unknown (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = test_request_new ("kassa-test-qr-cancel-limited");
  KassaFakeFault limited = {
    .kind = KASSA_FAKE_FAULT_STATUS, .count = 2, .method = "POST",
    .path_prefix = "/v1/checkout/sessions/cs_", .status = 429,
    .type = "invalid_request_error", .code = "rate_limit", .should_retry = -1,
  };
  g_autofree char *path = NULL;
  JsonObject *session;

  kassa_stripe_client_set_max_tries (fixture->client, 2);
  kassa_fake_stripe_push_fault (fixture->fake, &limited);
  fixture->on_code = ON_CODE_CANCELLABLE;
  start (fixture, request);

  g_assert_cmpuint (kassa_fake_stripe_get_n_pending_faults (fixture->fake), ==, 0);
  g_assert_error (fixture->outcome.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME);
  session = kassa_fake_stripe_get_object (fixture->fake,
                                          kassa_stripe_checkout_provider_get_session_id (fixture->provider));
  g_assert_cmpstr (json_object_get_string_member (session, "status"), ==, "open");
  path = g_strdup_printf ("/v1/checkout/sessions/%s/expire",
                          kassa_stripe_checkout_provider_get_session_id (fixture->provider));
  g_assert_cmpuint (test_count_with_key (fixture->fake, path, "kassa-test-qr-cancel-limited:expire"), ==, 2);

  fixture->on_code = ON_CODE_NOTHING;
  start (fixture, request);
  g_assert_error (fixture->outcome.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_CANCELLED);
  g_assert_cmpstr (json_object_get_string_member (session, "status"), ==, "expired");
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "checkout.session"), ==, 1);
}

static void
test_cancel_after_payment_reports_payment (Fixture       *fixture,
                                           gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = test_request_new ("kassa-test-qr-late-cancel");
  gulong id;

  /* The customer pays, then the cashier presses cancel before the next
   * look: the refused expiry leads to the paid session. */
  fixture->on_code = ON_CODE_PAY;
  id = g_signal_connect_swapped (fixture->provider, "status-changed",
                                 G_CALLBACK (kassa_payment_provider_cancel), fixture->provider);
  start (fixture, request);
  g_signal_handler_disconnect (fixture->provider, id);

  g_assert_no_error (fixture->outcome.error);
  g_assert_cmpint (fixture->outcome.result->amount, ==, 1150);
}

static void
test_retries_reuse_key (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = test_request_new ("kassa-test-qr-retry");
  KassaFakeFault fault = {
    .kind = KASSA_FAKE_FAULT_STATUS, .count = 2, .method = "POST",
    .path_prefix = "/v1/checkout/sessions", .status = 500, .should_retry = -1,
  };

  kassa_fake_stripe_push_fault (fixture->fake, &fault);
  fixture->on_code = ON_CODE_PAY;
  start (fixture, request);

  g_assert_no_error (fixture->outcome.error);
  g_assert_cmpuint (test_count_with_key (fixture->fake, "/v1/checkout/sessions", "kassa-test-qr-retry"), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (kassa_fake_stripe_get_request (fixture->fake, i)->body, ==, SESSION_BODY);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "checkout.session"), ==, 1);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "payment_intent"), ==, 1);
}

static void
test_unknown_outcome_resolved_by_replay (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = test_request_new ("kassa-test-qr-unknown");
  KassaFakeFault fault = {
    .kind = KASSA_FAKE_FAULT_DROP_AFTER, .count = 2, .method = "POST",
    .path_prefix = "/v1/checkout/sessions",
  };
  g_autofree char *first_session = NULL;
  JsonObject *session;

  kassa_stripe_client_set_max_tries (fixture->client, 2);
  kassa_fake_stripe_push_fault (fixture->fake, &fault);
  start (fixture, request);

  /* Stripe made the session but the answer never came. */
  g_assert_error (fixture->outcome.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "checkout.session"), ==, 1);

  /* Starting again with the same request replays that session. */
  fixture->on_code = ON_CODE_PAY;
  start (fixture, request);
  g_assert_no_error (fixture->outcome.error);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "checkout.session"), ==, 1);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "payment_intent"), ==, 1);
  first_session = g_strdup (fixture->outcome.result->checkout_session_id);
  session = kassa_fake_stripe_get_object (fixture->fake, first_session);
  g_assert_cmpint (json_object_get_int_member (session, "amount_total"), ==, 1150);
  g_assert_cmpuint (test_count_with_key (fixture->fake, "/v1/checkout/sessions", "kassa-test-qr-unknown"), ==, 3);
}

static void
test_polling_survives_server_errors (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = test_request_new ("kassa-test-qr-poll");
  KassaFakeFault fault = {
    .kind = KASSA_FAKE_FAULT_STATUS, .count = 4, .method = "GET",
    .path_prefix = "/v1/checkout/sessions/", .status = 503, .should_retry = -1,
  };

  kassa_stripe_client_set_max_tries (fixture->client, 2);
  kassa_fake_stripe_push_fault (fixture->fake, &fault);
  fixture->on_code = ON_CODE_PAY;
  start (fixture, request);

  g_assert_no_error (fixture->outcome.error);
  g_assert_cmpuint (kassa_fake_stripe_get_n_pending_faults (fixture->fake), ==, 0);
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "GET", NULL), >=, 5);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "payment_intent"), ==, 1);
}

static void
test_declined_create_is_final (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = test_request_new ("kassa-test-qr-402");
  KassaFakeFault fault = {
    .kind = KASSA_FAKE_FAULT_STATUS, .count = 1, .method = "POST",
    .path_prefix = "/v1/checkout/sessions", .status = 402, .type = "card_error",
    .code = "card_declined", .decline_code = "insufficient_funds", .should_retry = -1,
  };

  kassa_fake_stripe_push_fault (fixture->fake, &fault);
  start (fixture, request);

  g_assert_error (fixture->outcome.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_DECLINED);
  g_assert_cmpstr (kassa_payment_error_get_decline_code (fixture->outcome.error), ==, "insufficient_funds");
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 1);
  g_assert_true (outcome_saw (&fixture->outcome, KASSA_PAYMENT_PROGRESS_FAILED));
}

static void
test_subscription_form (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = kassa_payment_request_new (7, 1900, "EUR");
  g_autoptr(KassaStripeForm) form = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;

  request->mode = KASSA_PAYMENT_MODE_SUBSCRIPTION;
  request->customer_email = g_strdup ("ana@example.org");
  g_clear_pointer (&request->created_at, g_date_time_unref);
  kassa_payment_request_add_line (request, "Gym", 1000, 1900, 1900, "month", 3);

  form = kassa_stripe_checkout_provider_build_form (fixture->provider, request, &error);
  g_assert_no_error (error);
  body = kassa_stripe_form_encode (form);
  g_assert_cmpstr (body, ==,
                   "mode=subscription"
                   "&line_items[0][price_data][currency]=eur"
                   "&line_items[0][price_data][unit_amount]=1900"
                   "&line_items[0][price_data][product_data][name]=Gym"
                   "&line_items[0][price_data][recurring][interval]=month"
                   "&line_items[0][price_data][recurring][interval_count]=3"
                   "&line_items[0][quantity]=1"
                   "&client_reference_id=7"
                   "&metadata[order_id]=7"
                   "&customer_email=ana%40example.org"
                   "&success_url=https%3A%2F%2Fshop.example%2Fpaid"
                   "&cancel_url=https%3A%2F%2Fshop.example%2Fcancelled");

  /* A recurring line cannot be paid once. */
  g_clear_pointer (&form, kassa_stripe_form_free);
  request->mode = KASSA_PAYMENT_MODE_PAYMENT;
  form = kassa_stripe_checkout_provider_build_form (fixture->provider, request, &error);
  g_assert_null (form);
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST);
}

static void
test_part_payment_and_weighed_lines (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = kassa_payment_request_new (9, 1000, "JPY");
  g_autoptr(KassaStripeForm) form = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&request->created_at, g_date_time_unref);
  kassa_payment_request_add_line (request, "Rice", 1500, 400, 600, NULL, 0);
  kassa_payment_request_add_line (request, "Tea", 2000, 200, 400, NULL, 0);

  /* 1.5 kg goes as one unit of its total; JPY has no minor unit. */
  form = kassa_stripe_checkout_provider_build_form (fixture->provider, request, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_stripe_form_lookup (form, "line_items[0][price_data][currency]"), ==, "jpy");
  g_assert_cmpstr (kassa_stripe_form_lookup (form, "line_items[0][quantity]"), ==, "1");
  g_assert_cmpstr (kassa_stripe_form_lookup (form, "line_items[0][price_data][unit_amount]"), ==, "600");
  g_assert_cmpstr (kassa_stripe_form_lookup (form, "line_items[1][quantity]"), ==, "2");
  g_assert_cmpstr (kassa_stripe_form_lookup (form, "line_items[1][price_data][unit_amount]"), ==, "200");

  /* One part of a split tender: one line for the part. */
  g_clear_pointer (&form, kassa_stripe_form_free);
  request->amount = 300;
  request->order_number = g_strdup ("K-9");
  form = kassa_stripe_checkout_provider_build_form (fixture->provider, request, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_stripe_form_lookup (form, "line_items[0][price_data][product_data][name]"), ==, "Order K-9");
  g_assert_cmpstr (kassa_stripe_form_lookup (form, "line_items[0][price_data][unit_amount]"), ==, "300");
  g_assert_cmpstr (kassa_stripe_form_lookup (form, "line_items[0][quantity]"), ==, "1");
  g_assert_null (kassa_stripe_form_lookup (form, "line_items[1][quantity]"));

  /* A currency the table does not know is refused. */
  g_clear_pointer (&form, kassa_stripe_form_free);
  g_free (request->currency_code);
  request->currency_code = g_strdup ("XYZ");
  form = kassa_stripe_checkout_provider_build_form (fixture->provider, request, &error);
  g_assert_null (form);
  g_assert_nonnull (error);
}

static void
test_refund (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = test_request_new ("kassa-test-qr-refund");
  g_autoptr(KassaPaymentRefundRequest) refund = kassa_payment_refund_request_new ();
  g_autofree char *expected = NULL;
  g_autofree char *intent_id = NULL;
  const KassaFakeStripeRequest *sent;
  KassaFakeFault fault = {
    .kind = KASSA_FAKE_FAULT_STATUS, .count = 1, .method = "POST",
    .path_prefix = "/v1/refunds", .status = 500, .should_retry = -1,
  };
  Outcome outcome;

  fixture->on_code = ON_CODE_PAY;
  start (fixture, request);
  g_assert_no_error (fixture->outcome.error);
  intent_id = g_strdup (fixture->outcome.result->provider_reference);

  refund->order_id = 42;
  refund->order_number = g_strdup ("K-0042");
  refund->refund_id = 7;
  refund->provider_reference = g_strdup (intent_id);
  refund->amount = 300;
  refund->currency_code = g_strdup ("EUR");
  refund->reason = KASSA_PAYMENT_REFUND_REASON_REQUESTED_BY_CUSTOMER;
  refund->idempotency_key = g_strdup ("kassa-test-refund-1");

  kassa_fake_stripe_clear_requests (fixture->fake);
  kassa_fake_stripe_push_fault (fixture->fake, &fault);
  outcome_init (&outcome);
  run_refund (KASSA_PAYMENT_PROVIDER (fixture->provider), refund, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_true (g_str_has_prefix (outcome.refund->refund_reference, "re_"));
  g_assert_cmpint (outcome.refund->amount, ==, 300);
  g_assert_true (outcome.refund->succeeded);

  expected = g_strdup_printf ("payment_intent=%s&amount=300&reason=requested_by_customer"
                              "&metadata[order_id]=42&metadata[order_number]=K-0042"
                              "&metadata[refund_id]=7", intent_id);
  sent = kassa_fake_stripe_get_request (fixture->fake, 1);
  g_assert_cmpstr (sent->path, ==, "/v1/refunds");
  g_assert_cmpstr (sent->body, ==, expected);
  g_assert_cmpuint (test_count_with_key (fixture->fake, "/v1/refunds", "kassa-test-refund-1"), ==, 2);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "refund"), ==, 1);

  /* The same refund again (a retry after a crash) replays it. */
  {
    g_autofree char *first = g_strdup (outcome.refund->refund_reference);

    outcome_clear (&outcome);
    outcome_init (&outcome);
    run_refund (KASSA_PAYMENT_PROVIDER (fixture->provider), refund, &outcome);
    g_assert_no_error (outcome.error);
    g_assert_cmpstr (outcome.refund->refund_reference, ==, first);
    g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "refund"), ==, 1);
  }
  outcome_clear (&outcome);
}

static void
test_busy_and_bad_requests (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(KassaPaymentRequest) request = test_request_new (NULL);
  KassaPaymentProvider *provider = KASSA_PAYMENT_PROVIDER (fixture->provider);

  g_assert_cmpstr (kassa_payment_provider_get_id (provider), ==, "stripe_checkout");
  g_assert_nonnull (kassa_payment_provider_get_display_name (provider));

  /* No key, no request: nothing may leave without one. */
  start (fixture, request);
  g_assert_error (fixture->outcome.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 0);
}

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      g_string_append_printf (captured_logs, "%s\n", (const char *) fields[i].value);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  return G_LOG_WRITER_HANDLED;
}

static void
test_key_never_logged (void)
{
  g_assert_cmpuint (captured_logs->len, >, 0);
  g_assert_null (strstr (captured_logs->str, "DoNotLogMe"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  captured_logs = g_string_new (NULL);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_log_set_writer_func (capture_writer, NULL, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/stripe-checkout-provider/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("pay-sends-exact-form", test_pay_sends_exact_form);
  ADD ("expired-session", test_expired_session);
  ADD ("cancel-expires-session", test_cancel_expires_session);
  ADD ("cancellable-expires-session", test_cancellable_expires_session);
  ADD ("cancel-after-payment", test_cancel_after_payment_reports_payment);
  ADD ("cancel-unanswered-is-unknown", test_cancel_unanswered_is_unknown);
  ADD ("retries-reuse-key", test_retries_reuse_key);
  ADD ("unknown-outcome-replay", test_unknown_outcome_resolved_by_replay);
  ADD ("polling-survives-errors", test_polling_survives_server_errors);
  ADD ("declined-create", test_declined_create_is_final);
  ADD ("subscription-form", test_subscription_form);
  ADD ("part-payment-and-weighed-lines", test_part_payment_and_weighed_lines);
  ADD ("refund", test_refund);
  ADD ("bad-requests", test_busy_and_bad_requests);
  g_test_add_func ("/kassa/stripe-checkout-provider/key-never-logged", test_key_never_logged);

  return g_test_run ();
}
