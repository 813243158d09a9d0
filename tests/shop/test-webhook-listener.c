/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kassa-error.h"
#include "kassa-stripe-webhook.h"
#include "kassa-webhook-listener.h"

#include "stripe-test-utils.h"

#define WEBHOOK_SECRET "whsec_test_secret"

typedef struct
{
  StripeFixture         base;
  KassaWebhookListener *listener;
  SoupSession          *http;
} ListenerFixture;

static void
listener_set_up (ListenerFixture *fixture,
                 gconstpointer    data)
{
  g_autoptr(GError) error = NULL;

  stripe_fixture_set_up (&fixture->base, data);
  fixture->listener = kassa_webhook_listener_new (fixture->base.shop, WEBHOOK_SECRET);
  kassa_webhook_listener_listen (fixture->listener, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kassa_webhook_listener_get_port (fixture->listener), >, 0);
  fixture->http = soup_session_new ();
}

static void
listener_tear_down (ListenerFixture *fixture,
                    gconstpointer    data)
{
  g_clear_object (&fixture->http);
  g_clear_object (&fixture->listener);
  stripe_fixture_tear_down (&fixture->base, data);
}

static guint
send_full (ListenerFixture *fixture,
           const char      *method,
           const char      *path,
           const char      *body,
           gsize            length,
           const char      *signature,
           gboolean         chunked)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s",
                                          kassa_webhook_listener_get_port (fixture->listener), path);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  StripeWait wait = { NULL };

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, length);

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }
  if (signature != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "Stripe-Signature", signature);
  if (chunked)
    soup_message_headers_set_encoding (soup_message_get_request_headers (message), SOUP_ENCODING_CHUNKED);

  soup_session_send_and_read_async (fixture->http, message, G_PRIORITY_DEFAULT, NULL, stripe_test_done_cb, &wait);
  reply = soup_session_send_and_read_finish (fixture->http, stripe_test_wait (&wait), &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);

  return soup_message_get_status (message);
}

static guint
send (ListenerFixture *fixture,
      const char      *method,
      const char      *path,
      const char      *body,
      gsize            length,
      const char      *signature)
{
  return send_full (fixture, method, path, body, length, signature, FALSE);
}

static char *
paid_event (gint64      order_id,
            const char *event_id)
{
  return g_strdup_printf ("{\"id\":\"%s\",\"object\":\"event\",\"type\":\"checkout.session.completed\","
                          "\"created\":1700000100,\"livemode\":false,\"api_version\":\"%s\",\"data\":{\"object\":"
                          "{\"id\":\"cs_test_w\",\"object\":\"checkout.session\",\"client_reference_id\":\"%"
                          G_GINT64_FORMAT "\",\"payment_intent\":\"pi_w\",\"amount_total\":1500,\"currency\":\"eur\","
                          "\"status\":\"complete\",\"payment_status\":\"paid\"}}}",
                          event_id, KASSA_STRIPE_API_VERSION, order_id);
}

static char *
sign (const char *body,
      gint64      timestamp)
{
  return kassa_stripe_webhook_build_header (WEBHOOK_SECRET, timestamp, (const guint8 *) body, strlen (body));
}

static gint64
now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
test_good_signature (ListenerFixture *fixture,
                     gconstpointer    data)
{
  g_autoptr(KassaOrder) order = NULL;
  gint64 id = stripe_test_insert_order (&fixture->base, "W-1", "cs_test_w", 1500);
  g_autofree char *body = paid_event (id, "evt_w1");
  g_autofree char *header = sign (body, now ());
  g_autofree char *url = kassa_webhook_listener_get_url (fixture->listener);
  g_autofree char *expected_url = g_strdup_printf ("http://127.0.0.1:%u/webhook",
                                                   kassa_webhook_listener_get_port (fixture->listener));

  g_assert_cmpstr (url, ==, expected_url);
  g_assert_cmpuint (send (fixture, "POST", "/webhook", body, strlen (body), header), ==, 200);
  g_assert_cmpuint (kassa_webhook_listener_get_n_applied (fixture->listener), ==, 1);

  order = stripe_test_load_order (&fixture->base, id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PAID);
  g_assert_cmpint (kassa_order_get_amount_paid (order), ==, 1500);
  g_clear_object (&order);

  /* Delivered again (stripe listen retries): accepted, applied once. */
  g_assert_cmpuint (send (fixture, "POST", "/webhook", body, strlen (body), header), ==, 200);
  g_assert_cmpuint (kassa_webhook_listener_get_n_applied (fixture->listener), ==, 1);
  order = stripe_test_load_order (&fixture->base, id);
  g_assert_cmpint (kassa_order_get_amount_paid (order), ==, 1500);
  g_assert_cmpuint (kassa_webhook_listener_get_n_rejected (fixture->listener), ==, 0);
}

static void
test_rejected (ListenerFixture *fixture,
               gconstpointer    data)
{
  g_autoptr(KassaOrder) order = NULL;
  gint64 id = stripe_test_insert_order (&fixture->base, "W-2", "cs_test_w", 1500);
  g_autofree char *body = paid_event (id, "evt_w2");
  g_autofree char *good = sign (body, now ());
  g_autofree char *stale = sign (body, now () - 400);
  g_autofree char *future = sign (body, now () + 400);
  g_autofree char *other_secret = kassa_stripe_webhook_build_header ("whsec_other", now (),
                                                                     (const guint8 *) body, strlen (body));
  g_autofree char *tampered = g_strdup (body);
  g_autofree char *large = NULL;
  g_autofree char *large_header = NULL;
  gsize large_length = KASSA_STRIPE_WEBHOOK_MAX_BODY + 1024;

  *strstr (tampered, "1500") = '9';

  g_assert_cmpuint (send (fixture, "POST", "/webhook", body, strlen (body), NULL), ==, 400);
  g_assert_cmpuint (send (fixture, "POST", "/webhook", body, strlen (body), "t=1,v1=00"), ==, 400);
  g_assert_cmpuint (send (fixture, "POST", "/webhook", body, strlen (body), other_secret), ==, 400);
  g_assert_cmpuint (send (fixture, "POST", "/webhook", tampered, strlen (tampered), good), ==, 400);
  g_assert_cmpuint (send (fixture, "POST", "/webhook", body, strlen (body), stale), ==, 400);
  g_assert_cmpuint (send (fixture, "POST", "/webhook", body, strlen (body), future), ==, 400);
  g_assert_cmpuint (send (fixture, "GET", "/webhook", NULL, 0, NULL), ==, 405);
  g_assert_cmpuint (send (fixture, "PUT", "/webhook", body, strlen (body), good), ==, 405);
  g_assert_cmpuint (send (fixture, "POST", "/hook", body, strlen (body), good), ==, 400);
  g_assert_cmpuint (send (fixture, "POST", "/webhook/x", body, strlen (body), good), ==, 400);
  g_assert_cmpuint (send (fixture, "POST", "/", body, strlen (body), good), ==, 400);

  /* Too large, even when signed. */
  large = g_malloc (large_length + 1);
  memset (large, ' ', large_length);
  memcpy (large, body, strlen (body));
  large[large_length] = '\0';
  large_header = sign (large, now ());
  g_assert_cmpuint (send (fixture, "POST", "/webhook", large, large_length, large_header), ==, 400);

  /* A body of unannounced length, even a signed one. */
  g_assert_cmpuint (send_full (fixture, "POST", "/webhook", body, strlen (body), good, TRUE), ==, 400);

  /* Signed, but not an event. */
  {
    const char *junk = "{\"hello\":\"world\"}";
    g_autofree char *junk_header = sign (junk, now ());

    g_assert_cmpuint (send (fixture, "POST", "/webhook", junk, strlen (junk), junk_header), ==, 400);
  }

  g_assert_cmpuint (kassa_webhook_listener_get_n_rejected (fixture->listener), ==, 14);
  g_assert_cmpuint (kassa_webhook_listener_get_n_applied (fixture->listener), ==, 0);
  order = stripe_test_load_order (&fixture->base, id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_CREATED);
  g_clear_object (&order);

  /* The good one still goes through after all that. */
  g_assert_cmpuint (send (fixture, "POST", "/webhook", body, strlen (body), good), ==, 200);
  order = stripe_test_load_order (&fixture->base, id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PAID);
}

static void
test_loopback_only (StripeFixture *fixture,
                    gconstpointer  data)
{
  const char *refused[] = { "0.0.0.0", "::", "::1", "192.168.1.10", "localhost", "127.0.0.2", "" };
  g_autoptr(KassaWebhookListener) listener = kassa_webhook_listener_new (fixture->shop, WEBHOOK_SECRET);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_assert_false (kassa_webhook_listener_listen (listener, refused[i], 0, &error));
      g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
      g_clear_error (&error);
      g_assert_cmpuint (kassa_webhook_listener_get_port (listener), ==, 0);
    }

  g_assert_null (kassa_webhook_listener_get_url (listener));
  g_assert_true (kassa_webhook_listener_listen (listener, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  url = kassa_webhook_listener_get_url (listener);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  kassa_webhook_listener_stop (listener);
  g_assert_cmpuint (kassa_webhook_listener_get_port (listener), ==, 0);
}

/* Headers made by Stripe's own Node library, when it is installed. */
static void
test_npm_stripe_headers (ListenerFixture *fixture,
                         gconstpointer    data)
{
  const char *modules = g_getenv ("KASSA_TEST_STRIPE_NODE_MODULES");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaOrder) order = NULL;
  g_autofree char *body = NULL;
  g_autofree char *header = NULL;
  g_autofree char *timestamp = NULL;
  gint64 id;

  if (modules == NULL || *modules == '\0')
    {
      g_test_skip ("KASSA_TEST_STRIPE_NODE_MODULES does not point at the npm stripe package");
      return;
    }

  id = stripe_test_insert_order (&fixture->base, "W-3", "cs_test_w", 1500);
  body = paid_event (id, "evt_w3");
  timestamp = g_strdup_printf ("%" G_GINT64_FORMAT, now ());

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_subprocess_launcher_setenv (launcher, "NODE_PATH", modules, TRUE);
  g_subprocess_launcher_setenv (launcher, "KASSA_SECRET", WEBHOOK_SECRET, TRUE);
  g_subprocess_launcher_setenv (launcher, "KASSA_TIMESTAMP", timestamp, TRUE);
  node = g_subprocess_launcher_spawn (launcher, &error, "node", "-e",
                                      "const chunks = [];"
                                      "process.stdin.on('data', c => chunks.push(c));"
                                      "process.stdin.on('end', () => {"
                                      "  const stripe = require('stripe')('sk_test_unused');"
                                      "  process.stdout.write(stripe.webhooks.generateTestHeaderString({"
                                      "    payload: Buffer.concat(chunks).toString('utf8'),"
                                      "    secret: process.env.KASSA_SECRET,"
                                      "    timestamp: Number(process.env.KASSA_TIMESTAMP)}));"
                                      "});",
                                      NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (node, body, NULL, &header, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (node));
  g_assert_true (g_str_has_prefix (header, "t="));

  g_assert_cmpuint (send (fixture, "POST", "/webhook", body, strlen (body), header), ==, 200);
  order = stripe_test_load_order (&fixture->base, id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PAID);

  /* Its header for another body is refused. */
  {
    g_autofree char *other = paid_event (id, "evt_w4");

    g_assert_cmpuint (send (fixture, "POST", "/webhook", other, strlen (other), header), ==, 400);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/kassa/webhook-listener/good-signature", ListenerFixture, NULL,
              listener_set_up, test_good_signature, listener_tear_down);
  g_test_add ("/kassa/webhook-listener/rejected", ListenerFixture, NULL,
              listener_set_up, test_rejected, listener_tear_down);
  g_test_add ("/kassa/webhook-listener/loopback-only", StripeFixture, NULL,
              stripe_fixture_set_up, test_loopback_only, stripe_fixture_tear_down);
  g_test_add ("/kassa/webhook-listener/npm-stripe-headers", ListenerFixture, NULL,
              listener_set_up, test_npm_stripe_headers, listener_tear_down);

  return g_test_run ();
}
