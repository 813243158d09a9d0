/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-stripe-client"

#include "config.h"

#include <string.h>

#include "kassa-fake-stripe.h"
#include "kassa-payment-error.h"
#include "kassa-stripe-client.h"

#define SECRET_KEY "sk_test_kassa_DoNotLogMe_4242"

/* Every log line of the program, to prove the key never appears. */
static GString *captured_logs;

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
  char       *request_id;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->object, json_object_unref);
  g_clear_error (&result->error);
  g_clear_pointer (&result->request_id, g_free);
  result->done = FALSE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->fake = kassa_fake_stripe_new (SECRET_KEY);
  fixture->client = kassa_stripe_client_new (NULL, kassa_fake_stripe_get_url (fixture->fake),
                                             SECRET_KEY);
  /* Tiny waits keep the suite fast; the policy is the same. */
  kassa_stripe_client_set_backoff (fixture->client, 1, 8);
  /* Generous per-try time: the machine may be loaded. Tests about
   * timeouts set their own. */
  kassa_stripe_client_set_timeout (fixture->client, 10000);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->fake);
}

static void
request_cb (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  Result *result = user_data;

  result->object = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (object), res,
                                                       &result->request_id, &result->error);
  result->done = TRUE;
}

static void
run (Fixture         *fixture,
     const char      *method,
     const char      *path,
     KassaStripeForm *form,
     const char      *key,
     GCancellable    *cancellable,
     Result          *result)
{
  result_clear (result);
  kassa_stripe_client_request_async (fixture->client, method, path, form, key,
                                     cancellable, request_cb, result);
  while (!result->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true ((result->object == NULL) != (result->error == NULL));
}

static KassaStripeForm *
intent_form (gint64 amount)
{
  KassaStripeForm *form = kassa_stripe_form_new ();

  kassa_stripe_form_add_int (form, "amount", amount);
  kassa_stripe_form_add (form, "currency", "eur");
  kassa_stripe_form_add (form, "allowed_payment_method_types[]", "card_present");
  kassa_stripe_form_add (form, "capture_method", "automatic");
  kassa_stripe_form_add_nested (form, "42", "metadata", "order_id", NULL);

  return form;
}

static void
push (Fixture           *fixture,
      KassaFakeFaultKind kind,
      guint              count,
      guint              status,
      int                should_retry,
      guint              delay_ms)
{
  KassaFakeFault fault = {
    .kind = kind,
    .count = count,
    .status = status,
    .should_retry = should_retry,
    .delay_ms = delay_ms,
  };

  kassa_fake_stripe_push_fault (fixture->fake, &fault);
}

static void
assert_all_requests_same (Fixture *fixture)
{
  const KassaFakeStripeRequest *first = kassa_fake_stripe_get_request (fixture->fake, 0);

  for (guint i = 1; i < kassa_fake_stripe_get_n_requests (fixture->fake); i++)
    {
      const KassaFakeStripeRequest *request = kassa_fake_stripe_get_request (fixture->fake, i);

      g_assert_cmpstr (request->body, ==, first->body);
      g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Idempotency-Key"), ==,
                       soup_message_headers_get_one (first->headers, "Idempotency-Key"));
    }
}

static void
test_headers (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(KassaStripeForm) form = intent_form (1250);
  g_autofree char *key = kassa_stripe_client_new_idempotency_key ();
  const KassaFakeStripeRequest *request;
  Result result = { 0 };

  run (fixture, "POST", "/v1/payment_intents", form, key, NULL, &result);
  g_assert_no_error (result.error);
  g_assert_cmpstr (json_object_get_string_member (result.object, "object"), ==, "payment_intent");
  g_assert_cmpint (json_object_get_int_member (result.object, "amount"), ==, 1250);
  g_assert_cmpstr (json_object_get_string_member (result.object, "status"), ==, "requires_payment_method");
  g_assert_true (g_str_has_prefix (result.request_id, "req_fake_"));

  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 1);
  request = kassa_fake_stripe_get_request (fixture->fake, 0);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, "/v1/payment_intents");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==,
                   "Bearer " SECRET_KEY);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Stripe-Version"), ==,
                   "2026-10-28.endive");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Idempotency-Key"), ==, key);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "User-Agent"), ==, "Kassa/" VERSION);
  g_assert_cmpstr (soup_message_headers_get_content_type (request->headers, NULL), ==,
                   "application/x-www-form-urlencoded");
  g_assert_cmpstr (request->body, ==,
                   "amount=1250&currency=eur&allowed_payment_method_types[]=card_present"
                   "&capture_method=automatic&metadata[order_id]=42");
  g_assert_true (g_str_has_prefix (key, "kassa-"));
  g_assert_cmpuint (strlen (key), ==, strlen ("kassa-") + 36);
  result_clear (&result);
}

static void
test_get_query_and_delete (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(KassaStripeForm) query = kassa_stripe_form_new ();
  const KassaFakeStripeRequest *request;
  Result result = { 0 };

  kassa_stripe_form_add_int (query, "limit", 2);
  kassa_stripe_form_add (query, "types[]", "checkout.session.completed");
  run (fixture, "GET", "/v1/events", query, NULL, NULL, &result);
  g_assert_no_error (result.error);
  g_assert_cmpstr (json_object_get_string_member (result.object, "object"), ==, "list");

  request = kassa_fake_stripe_get_request (fixture->fake, 0);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->query, ==, "limit=2&types[]=checkout.session.completed");
  g_assert_null (soup_message_headers_get_one (request->headers, "Idempotency-Key"));
  g_assert_cmpstr (request->body, ==, "");

  /* DELETE goes out too (the fake has no deletable object: 404). */
  run (fixture, "DELETE", "/v1/subscriptions/sub_1", NULL, NULL, NULL, &result);
  g_assert_error (result.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_NOT_FOUND);
  g_assert_cmpstr (kassa_fake_stripe_get_request (fixture->fake, 1)->method, ==, "DELETE");
  result_clear (&result);
}

static void
test_retry_5xx (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(KassaStripeForm) form = intent_form (500);
  Result result = { 0 };

  push (fixture, KASSA_FAKE_FAULT_STATUS, 2, 503, -1, 0);
  run (fixture, "POST", "/v1/payment_intents", form, "key-5xx", NULL, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 3);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "payment_intent"), ==, 1);
  assert_all_requests_same (fixture);
  result_clear (&result);
}

static void
test_retry_exhausted (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(KassaStripeForm) form = intent_form (500);
  Result result = { 0 };

  /* A read gives up with the server error. */
  push (fixture, KASSA_FAKE_FAULT_STATUS, 10, 500, -1, 0);
  run (fixture, "GET", "/v1/payment_intents/pi_missing", NULL, NULL, NULL, &result);
  g_assert_error (result.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_API);
  g_assert_cmpuint (kassa_payment_error_get_http_status (result.error), ==, 500);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==,
                    KASSA_STRIPE_DEFAULT_MAX_TRIES);

  /* A change after server errors may have happened: unknown. */
  kassa_fake_stripe_clear_requests (fixture->fake);
  run (fixture, "POST", "/v1/payment_intents", form, "key-exhausted", NULL, &result);
  g_assert_error (result.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME);
  g_assert_cmpuint (kassa_payment_error_get_http_status (result.error), ==, 500);
  g_assert_nonnull (kassa_payment_error_get_request_id (result.error));
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 4);
  assert_all_requests_same (fixture);

  /* Fewer tries when configured. */
  kassa_fake_stripe_clear_requests (fixture->fake);
  kassa_stripe_client_set_max_tries (fixture->client, 2);
  run (fixture, "GET", "/v1/payment_intents/pi_missing", NULL, NULL, NULL, &result);
  g_assert_error (result.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_API);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 2);
  result_clear (&result);
}

static void
test_rate_limit (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(KassaStripeForm) form = intent_form (700);
  Result result = { 0 };

  push (fixture, KASSA_FAKE_FAULT_STATUS, 1, 429, -1, 0);
  run (fixture, "POST", "/v1/payment_intents", form, "key-429", NULL, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 2);

  /* The limiter answers before anything runs: a POST that only ever got
   * 429 did not happen, and says so. */
  kassa_fake_stripe_clear_requests (fixture->fake);
  push (fixture, KASSA_FAKE_FAULT_STATUS, 10, 429, -1, 0);
  run (fixture, "POST", "/v1/payment_intents", form, "key-429-b", NULL, &result);
  g_assert_error (result.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_RATE_LIMITED);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 4);
  result_clear (&result);
}

static void
test_should_retry_header (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(KassaStripeForm) form = intent_form (900);
  Result result = { 0 };

  /* "true" makes even a 400 worth repeating. */
  push (fixture, KASSA_FAKE_FAULT_STATUS, 1, 400, TRUE, 0);
  run (fixture, "POST", "/v1/payment_intents", form, "key-hint-true", NULL, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 2);

  /* "false" stops even a 503. */
  kassa_fake_stripe_clear_requests (fixture->fake);
  push (fixture, KASSA_FAKE_FAULT_STATUS, 5, 503, FALSE, 0);
  run (fixture, "GET", "/v1/events", NULL, NULL, NULL, &result);
  g_assert_error (result.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_API);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 1);
  result_clear (&result);
}

static void
test_conflict (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(KassaStripeForm) form = intent_form (1000);
  Result result = { 0 };

  push (fixture, KASSA_FAKE_FAULT_STATUS, 1, 409, -1, 0);
  run (fixture, "POST", "/v1/payment_intents", form, "key-409", NULL, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 2);
  assert_all_requests_same (fixture);
  result_clear (&result);
}

static void
test_no_retry_on_4xx (Fixture       *fixture,
                      gconstpointer  data)
{
  static const guint statuses[] = { 400, 401, 402, 403, 404 };
  Result result = { 0 };

  for (gsize i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      kassa_fake_stripe_clear_requests (fixture->fake);
      push (fixture, KASSA_FAKE_FAULT_STATUS, 5, statuses[i], -1, 0);
      run (fixture, "GET", "/v1/events", NULL, NULL, NULL, &result);
      g_assert_nonnull (result.error);
      g_assert_cmpuint (kassa_payment_error_get_http_status (result.error), ==, statuses[i]);
      g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 1);
      /* Clear the faults left over. */
      while (kassa_fake_stripe_get_n_pending_faults (fixture->fake) > 0)
        run (fixture, "GET", "/v1/events", NULL, NULL, NULL, &result);
    }
  result_clear (&result);
}

static void
test_error_mapping (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(KassaStripeForm) form = intent_form (1200);
  g_autoptr(KassaStripeForm) no_amount = kassa_stripe_form_new ();
  KassaFakeFault declined = {
    .kind = KASSA_FAKE_FAULT_STATUS, .status = 402, .type = "card_error",
    .code = "card_declined", .decline_code = "insufficient_funds", .should_retry = -1,
  };
  KassaFakeFault expired = {
    .kind = KASSA_FAKE_FAULT_STATUS, .status = 402, .type = "card_error",
    .code = "expired_card", .should_retry = -1,
  };
  KassaFakeFault forbidden = {
    .kind = KASSA_FAKE_FAULT_STATUS, .status = 403, .type = "invalid_request_error",
    .should_retry = -1,
  };
  Result result = { 0 };

  kassa_fake_stripe_push_fault (fixture->fake, &declined);
  run (fixture, "POST", "/v1/payment_intents", form, "key-declined", NULL, &result);
  g_assert_error (result.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_DECLINED);
  g_assert_cmpstr (result.error->message, ==, "The card has insufficient funds.");
  g_assert_cmpstr (kassa_payment_error_get_decline_code (result.error), ==, "insufficient_funds");
  g_assert_cmpstr (kassa_payment_error_get_stripe_code (result.error), ==, "card_declined");
  g_assert_cmpstr (kassa_payment_error_get_stripe_message (result.error), ==, "Injected failure.");
  g_assert_true (g_str_has_prefix (kassa_payment_error_get_request_id (result.error), "req_fake_"));
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 1);

  kassa_fake_stripe_push_fault (fixture->fake, &expired);
  run (fixture, "POST", "/v1/payment_intents", form, "key-expired", NULL, &result);
  g_assert_error (result.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_CARD);
  g_assert_cmpstr (result.error->message, ==, "The card has expired.");
  g_assert_null (kassa_payment_error_get_decline_code (result.error));

  kassa_fake_stripe_push_fault (fixture->fake, &forbidden);
  run (fixture, "GET", "/v1/events", NULL, NULL, NULL, &result);
  g_assert_error (result.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_PERMISSION);

  /* The fake validates like Stripe: the missing parameter is named. */
  kassa_stripe_form_add (no_amount, "currency", "eur");
  run (fixture, "POST", "/v1/payment_intents", no_amount, "key-no-amount", NULL, &result);
  g_assert_error (result.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST);
  g_assert_cmpstr (kassa_payment_error_get_param (result.error), ==, "amount");
  g_assert_cmpstr (kassa_payment_error_get_stripe_code (result.error), ==, "parameter_missing");
  g_assert_nonnull (strstr (result.error->message, "amount"));

  run (fixture, "GET", "/v1/payment_intents/pi_nope", NULL, NULL, NULL, &result);
  g_assert_error (result.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_NOT_FOUND);
  g_assert_cmpstr (kassa_payment_error_get_stripe_code (result.error), ==, "resource_missing");
  result_clear (&result);
}

static void
test_authentication (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(KassaStripeClient) wrong = NULL;
  g_autoptr(KassaStripeClient) keyless = NULL;
  Result result = { 0 };

  wrong = kassa_stripe_client_new (NULL, kassa_fake_stripe_get_url (fixture->fake),
                                   "sk_test_wrong_key_000");
  kassa_stripe_client_set_backoff (wrong, 1, 8);
  g_set_object (&fixture->client, wrong);
  run (fixture, "GET", "/v1/events", NULL, NULL, NULL, &result);
  g_assert_error (result.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_AUTHENTICATION);
  g_assert_null (strstr (result.error->message, "sk_test_wrong_key_000"));
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 1);
  g_assert_true (kassa_stripe_client_is_test_mode (wrong));

  /* Without a key nothing is sent. */
  keyless = kassa_stripe_client_new (NULL, kassa_fake_stripe_get_url (fixture->fake), NULL);
  g_assert_false (kassa_stripe_client_has_secret_key (keyless));
  g_set_object (&fixture->client, keyless);
  run (fixture, "GET", "/v1/events", NULL, NULL, NULL, &result);
  g_assert_error (result.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_AUTHENTICATION);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 1);

  kassa_stripe_client_set_secret_key (keyless, SECRET_KEY);
  run (fixture, "GET", "/v1/events", NULL, NULL, NULL, &result);
  g_assert_no_error (result.error);
  result_clear (&result);
}

static void
test_idempotent_replay (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(KassaStripeForm) form = intent_form (2000);
  g_autoptr(KassaStripeForm) other = intent_form (2001);
  g_autofree char *first_id = NULL;
  Result result = { 0 };

  run (fixture, "POST", "/v1/payment_intents", form, "key-replay", NULL, &result);
  g_assert_no_error (result.error);
  first_id = g_strdup (json_object_get_string_member (result.object, "id"));

  /* The same operation again (after a crash, say) gets the same object. */
  run (fixture, "POST", "/v1/payment_intents", form, "key-replay", NULL, &result);
  g_assert_no_error (result.error);
  g_assert_cmpstr (json_object_get_string_member (result.object, "id"), ==, first_id);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "payment_intent"), ==, 1);

  /* Reusing the key for something else is refused, not retried. */
  run (fixture, "POST", "/v1/payment_intents", other, "key-replay", NULL, &result);
  g_assert_error (result.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_IDEMPOTENCY);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 3);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "payment_intent"), ==, 1);
  result_clear (&result);
}

static void
test_dropped_connection (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(KassaStripeForm) form = intent_form (3000);
  g_autofree char *id = NULL;
  Result result = { 0 };

  /* Dropped before acting, once: the retry does it. */
  push (fixture, KASSA_FAKE_FAULT_DROP_BEFORE, 1, 0, -1, 0);
  run (fixture, "POST", "/v1/payment_intents", form, "key-drop-before", NULL, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "payment_intent"), ==, 1);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 2);

  /* Acted, then dropped every time: the caller must look. */
  kassa_fake_stripe_clear_requests (fixture->fake);
  push (fixture, KASSA_FAKE_FAULT_DROP_AFTER, 4, 0, -1, 0);
  run (fixture, "POST", "/v1/payment_intents", form, "key-drop-after", NULL, &result);
  g_assert_error (result.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 4);
  assert_all_requests_same (fixture);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "payment_intent"), ==, 2);

  /* Resolving it: the same key again returns what Stripe did. */
  run (fixture, "POST", "/v1/payment_intents", form, "key-drop-after", NULL, &result);
  g_assert_no_error (result.error);
  id = g_strdup (json_object_get_string_member (result.object, "id"));
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "payment_intent"), ==, 2);
  g_assert_nonnull (kassa_fake_stripe_get_object (fixture->fake, id));
  result_clear (&result);
}

static void
test_network_unreachable (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(KassaStripeForm) form = intent_form (3100);
  g_autoptr(KassaStripeClient) client = NULL;
  g_autofree char *url = g_strdup (kassa_fake_stripe_get_url (fixture->fake));
  Result result = { 0 };

  /* Nothing listens on the port any more. */
  g_clear_object (&fixture->fake);
  client = kassa_stripe_client_new (NULL, url, SECRET_KEY);
  kassa_stripe_client_set_backoff (client, 1, 8);
  g_set_object (&fixture->client, client);

  run (fixture, "POST", "/v1/payment_intents", form, "key-refused", NULL, &result);
  g_assert_error (result.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_NETWORK);
  g_assert_cmpuint (kassa_payment_error_get_http_status (result.error), ==, 0);
  result_clear (&result);
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(KassaStripeForm) form = intent_form (4000);
  g_autofree char *id = NULL;
  Result result = { 0 };

  /* Short tries against answers held back much longer; every answer
   * that must arrive in time gets a generous deadline instead, so a
   * loaded machine does not make the test flaky. */
  kassa_stripe_client_set_timeout (fixture->client, 200);
  kassa_stripe_client_set_max_tries (fixture->client, 1);

  /* A slow read times out. */
  push (fixture, KASSA_FAKE_FAULT_DELAY, 1, 0, -1, 20000);
  run (fixture, "GET", "/v1/events", NULL, NULL, NULL, &result);
  g_assert_error (result.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_TIMEOUT);

  /* A slow change happened on Stripe's side but the answer came too late. */
  push (fixture, KASSA_FAKE_FAULT_DELAY, 1, 0, -1, 20000);
  run (fixture, "POST", "/v1/payment_intents", form, "key-slow", NULL, &result);
  g_assert_error (result.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "payment_intent"), ==, 1);

  /* Resolving it with the same key replays, not creates. */
  kassa_stripe_client_set_timeout (fixture->client, 10000);
  run (fixture, "POST", "/v1/payment_intents", form, "key-slow", NULL, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "payment_intent"), ==, 1);

  /* With retries, a single slow answer is absorbed. */
  kassa_stripe_client_set_timeout (fixture->client, 1000);
  kassa_stripe_client_set_max_tries (fixture->client, 3);
  kassa_fake_stripe_clear_requests (fixture->fake);
  push (fixture, KASSA_FAKE_FAULT_DELAY, 1, 0, -1, 20000);
  run (fixture, "POST", "/v1/payment_intents", form, "key-slow-2", NULL, &result);
  g_assert_no_error (result.error);
  id = g_strdup (json_object_get_string_member (result.object, "id"));
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), >=, 2);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "payment_intent"), ==, 2);
  assert_all_requests_same (fixture);
  result_clear (&result);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));

  return G_SOURCE_REMOVE;
}

static void
test_cancellation (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(KassaStripeForm) form = intent_form (5000);
  g_autoptr(GCancellable) cancellable = NULL;
  Result result = { 0 };
  gint64 started;

  /* Already cancelled: nothing leaves. */
  cancellable = g_cancellable_new ();
  g_cancellable_cancel (cancellable);
  run (fixture, "POST", "/v1/payment_intents", form, "key-cancel-0", cancellable, &result);
  g_assert_error (result.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_CANCELLED);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 0);

  /* Cancelled while waiting for a slow answer. */
  g_clear_object (&cancellable);
  cancellable = g_cancellable_new ();
  push (fixture, KASSA_FAKE_FAULT_DELAY, 1, 0, -1, 5000);
  g_timeout_add (100, cancel_cb, cancellable);
  started = g_get_monotonic_time ();
  run (fixture, "GET", "/v1/events", NULL, NULL, cancellable, &result);
  g_assert_error (result.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 4 * G_USEC_PER_SEC);

  /* Cancelled during the wait between tries. */
  g_clear_object (&cancellable);
  cancellable = g_cancellable_new ();
  kassa_fake_stripe_clear_requests (fixture->fake);
  kassa_stripe_client_set_backoff (fixture->client, 20000, 20000);
  push (fixture, KASSA_FAKE_FAULT_STATUS, 1, 500, -1, 0);
  g_timeout_add (100, cancel_cb, cancellable);
  started = g_get_monotonic_time ();
  run (fixture, "GET", "/v1/events", NULL, NULL, cancellable, &result);
  g_assert_error (result.error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 1);
  result_clear (&result);
}

static void
test_backoff (void)
{
  /* The first wait lies in the upper half of 0.5 s. */
  g_assert_cmpuint (kassa_stripe_backoff_delay_ms (1, 500, 5000, 0), ==, 250);
  g_assert_cmpuint (kassa_stripe_backoff_delay_ms (1, 500, 5000, 250), ==, 500);
  g_assert_cmpuint (kassa_stripe_backoff_delay_ms (1, 500, 5000, 251), ==, 250);
  /* Doubling: 1 s, 2 s, 4 s, then the 5 s cap. */
  g_assert_cmpuint (kassa_stripe_backoff_delay_ms (2, 500, 5000, 500), ==, 1000);
  g_assert_cmpuint (kassa_stripe_backoff_delay_ms (3, 500, 5000, 1000), ==, 2000);
  g_assert_cmpuint (kassa_stripe_backoff_delay_ms (4, 500, 5000, 2000), ==, 4000);
  g_assert_cmpuint (kassa_stripe_backoff_delay_ms (5, 500, 5000, 2500), ==, 5000);
  g_assert_cmpuint (kassa_stripe_backoff_delay_ms (5, 500, 5000, 0), ==, 2500);
  g_assert_cmpuint (kassa_stripe_backoff_delay_ms (1000, 500, 5000, G_MAXUINT32), <=, 5000);

  for (guint retry = 1; retry < 50; retry++)
    {
      guint delay = kassa_stripe_backoff_delay_ms (retry, 500, 5000, g_random_int ());

      g_assert_cmpuint (delay, >=, 250);
      g_assert_cmpuint (delay, <=, 5000);
    }
}

static void
test_base_url (void)
{
  g_autoptr(KassaStripeClient) plain = kassa_stripe_client_new (NULL, NULL, "sk_live_x");
  g_autoptr(KassaStripeClient) given = kassa_stripe_client_new (NULL, "http://127.0.0.1:9/", "rk_test_x");
  g_autoptr(KassaStripeClient) overridden = NULL;

  g_assert_cmpstr (kassa_stripe_client_get_base_url (plain), ==, "https://api.stripe.com");
  g_assert_false (kassa_stripe_client_is_test_mode (plain));
  g_assert_cmpstr (kassa_stripe_client_get_base_url (given), ==, "http://127.0.0.1:9");
  g_assert_true (kassa_stripe_client_is_test_mode (given));

  g_setenv ("KASSA_STRIPE_API_BASE", "http://127.0.0.1:10", TRUE);
  overridden = kassa_stripe_client_new (NULL, "http://127.0.0.1:9", "sk_test_x");
  g_unsetenv ("KASSA_STRIPE_API_BASE");
  g_assert_cmpstr (kassa_stripe_client_get_base_url (overridden), ==, "http://127.0.0.1:10");
  g_assert_cmpuint (kassa_stripe_client_get_max_tries (plain), ==, KASSA_STRIPE_DEFAULT_MAX_TRIES);
  g_assert_cmpuint (kassa_stripe_client_get_timeout (plain), ==, KASSA_STRIPE_DEFAULT_TIMEOUT_MS);
}

/* Runs last: by now every path above has logged. */
static void
test_no_secret_in_logs (void)
{
  g_assert_nonnull (strstr (captured_logs->str, "Request-Id req_fake_"));
  g_assert_nonnull (strstr (captured_logs->str, "POST /v1/payment_intents"));
  g_assert_null (strstr (captured_logs->str, SECRET_KEY));
  g_assert_null (strstr (captured_logs->str, "DoNotLogMe"));
  g_assert_null (strstr (captured_logs->str, "sk_test_wrong_key_000"));
}

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE"))
      {
        g_string_append_len (captured_logs, fields[i].value, fields[i].length);
        g_string_append_c (captured_logs, '\n');
      }

  /* Debug output would break TAP on stdout; warnings still show. */
  if (log_level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
    return G_LOG_WRITER_HANDLED;

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_unsetenv ("KASSA_STRIPE_API_BASE");
  captured_logs = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/stripe-client/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("headers", test_headers);
  ADD ("get-query-and-delete", test_get_query_and_delete);
  ADD ("retry-5xx", test_retry_5xx);
  ADD ("retry-exhausted", test_retry_exhausted);
  ADD ("rate-limit", test_rate_limit);
  ADD ("should-retry-header", test_should_retry_header);
  ADD ("conflict", test_conflict);
  ADD ("no-retry-on-4xx", test_no_retry_on_4xx);
  ADD ("error-mapping", test_error_mapping);
  ADD ("authentication", test_authentication);
  ADD ("idempotent-replay", test_idempotent_replay);
  ADD ("dropped-connection", test_dropped_connection);
  ADD ("network-unreachable", test_network_unreachable);
  ADD ("timeout", test_timeout);
  ADD ("cancellation", test_cancellation);
  g_test_add_func ("/kassa/stripe-client/backoff", test_backoff);
  g_test_add_func ("/kassa/stripe-client/base-url", test_base_url);
  g_test_add_func ("/kassa/stripe-client/no-secret-in-logs", test_no_secret_in_logs);

#undef ADD

  return g_test_run ();
}
