/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-stripe-webhook"

#include "config.h"

#include <string.h>

#include "kassa-payment-error.h"
#include "kassa-stripe-webhook.h"

/* The shared test vector (also reproducible with Stripe's own libraries). */
#define SECRET "whsec_test_secret"
#define TIMESTAMP G_GINT64_CONSTANT (1700000000)
#define PAYLOAD "{\"id\":\"evt_test_1\",\"object\":\"event\",\"type\":\"checkout.session.completed\"," \
                "\"data\":{\"object\":{\"id\":\"cs_test_1\",\"object\":\"checkout.session\"}}}"
#define SIGNATURE "4a2a3f39402d4bd02442ede6e477b3cbea42955b23b6d2cdab72e5a256f346f1"

static gboolean
verify (const char *header,
        const char *payload,
        gint64      now,
        GError    **error)
{
  return kassa_stripe_webhook_verify (header, (const guint8 *) payload, strlen (payload),
                                      SECRET, now, KASSA_STRIPE_WEBHOOK_TOLERANCE, error);
}

static void
test_vector (void)
{
  g_autofree char *signature = NULL;
  g_autofree char *header = NULL;
  g_autoptr(GError) error = NULL;

  signature = kassa_stripe_webhook_compute_signature (SECRET, TIMESTAMP,
                                                      (const guint8 *) PAYLOAD, strlen (PAYLOAD));
  g_assert_cmpstr (signature, ==, SIGNATURE);

  header = kassa_stripe_webhook_build_header (SECRET, TIMESTAMP,
                                              (const guint8 *) PAYLOAD, strlen (PAYLOAD));
  g_assert_cmpstr (header, ==, "t=1700000000,v1=" SIGNATURE);

  g_assert_true (verify (header, PAYLOAD, TIMESTAMP, &error));
  g_assert_no_error (error);
}

static void
test_multiple_signatures (void)
{
  g_autoptr(GError) error = NULL;
  const char *rotating = "t=1700000000,"
                         "v1=0000000000000000000000000000000000000000000000000000000000000000,"
                         "v0=ffff,"
                         "v1=" SIGNATURE;
  const char *spaced = "t=1700000000, v1=" SIGNATURE;

  /* During a secret rotation Stripe signs with old and new secrets. */
  g_assert_true (verify (rotating, PAYLOAD, TIMESTAMP + 10, &error));
  g_assert_no_error (error);
  g_assert_true (verify (spaced, PAYLOAD, TIMESTAMP, &error));
  g_assert_no_error (error);
}

static void
test_tolerance (void)
{
  const char *header = "t=1700000000,v1=" SIGNATURE;
  g_autoptr(GError) error = NULL;

  g_assert_true (verify (header, PAYLOAD, TIMESTAMP + 300, &error));
  g_assert_true (verify (header, PAYLOAD, TIMESTAMP - 300, &error));
  g_assert_no_error (error);

  g_assert_false (verify (header, PAYLOAD, TIMESTAMP + 301, &error));
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_SIGNATURE);
  g_clear_error (&error);

  g_assert_false (verify (header, PAYLOAD, TIMESTAMP - 301, &error));
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_SIGNATURE);
}

static void
test_rejects (void)
{
  static const char *bad_headers[] = {
    "",
    "v1=" SIGNATURE,                                 /* no timestamp */
    "t=1700000000",                                  /* no signature */
    "t=1700000000,v0=" SIGNATURE,                    /* only the legacy scheme */
    "t=abc,v1=" SIGNATURE,
    "t=-1700000000,v1=" SIGNATURE,
    "t=1700000001,v1=" SIGNATURE,                    /* timestamp is signed too */
    "t=1700000000,v1=" SIGNATURE "00",               /* wrong length */
    "t=1700000000,v1=4A2A3F39402D4BD02442EDE6E477B3CBEA42955B23B6D2CDAB72E5A256F346F1",
    "t=1700000000,v1=",
    "t=99999999999999999999999,v1=" SIGNATURE,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad_headers); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("header: %s", bad_headers[i]);
      g_assert_false (verify (bad_headers[i], PAYLOAD, TIMESTAMP, &error));
      g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_SIGNATURE);
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (verify (NULL, PAYLOAD, TIMESTAMP, &error));
    g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_SIGNATURE);
  }

  /* A changed body, and the right body under another secret. */
  {
    g_autoptr(GError) error = NULL;
    const char *header = "t=1700000000,v1=" SIGNATURE;

    g_assert_false (verify (header, PAYLOAD " ", TIMESTAMP, &error));
    g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_SIGNATURE);
    g_clear_error (&error);

    g_assert_false (kassa_stripe_webhook_verify (header, (const guint8 *) PAYLOAD, strlen (PAYLOAD),
                                                 "whsec_other", TIMESTAMP, 300, &error));
    g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_SIGNATURE);
  }
}

static void
test_oversized (void)
{
  gsize length = KASSA_STRIPE_WEBHOOK_MAX_BODY + 1;
  g_autofree guint8 *body = g_malloc0 (length);
  g_autofree char *header = NULL;
  g_autoptr(GError) error = NULL;

  /* Even a correctly signed body is refused when too large. */
  header = kassa_stripe_webhook_build_header (SECRET, TIMESTAMP, body, length);
  g_assert_false (kassa_stripe_webhook_verify (header, body, length, SECRET, TIMESTAMP, 300, &error));
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_TOO_LARGE);
  g_clear_error (&error);

  g_clear_pointer (&header, g_free);
  header = kassa_stripe_webhook_build_header (SECRET, TIMESTAMP, body, length - 1);
  g_assert_true (kassa_stripe_webhook_verify (header, body, length - 1, SECRET, TIMESTAMP, 300, &error));
  g_assert_no_error (error);
}

static void
test_binary_body (void)
{
  static const guint8 body[] = { '{', 0, 0xff, '}' };
  g_autofree char *header = kassa_stripe_webhook_build_header (SECRET, TIMESTAMP, body, sizeof body);
  g_autoptr(GError) error = NULL;

  /* The raw bytes are signed, nul bytes included. */
  g_assert_true (kassa_stripe_webhook_verify (header, body, sizeof body, SECRET, TIMESTAMP, 300, &error));
  g_assert_no_error (error);
  g_assert_false (kassa_stripe_webhook_verify (header, body, 1, SECRET, TIMESTAMP, 300, &error));
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_SIGNATURE);
}

/* Cross-check with Stripe's Node library when the test run provides it
 * (KASSA_TEST_STRIPE_NODE_MODULES naming a node_modules folder that holds
 * `stripe`); otherwise skipped. */
static void
test_node_peer (void)
{
  const char *modules = g_getenv ("KASSA_TEST_STRIPE_NODE_MODULES");
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *stripe_dir = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *script =
    "const s = require('stripe')('sk_test_x');"
    "process.stdout.write(s.webhooks.generateTestHeaderString({"
    "payload: process.argv[1], secret: 'whsec_test_secret', timestamp: 1700000000}));";
  int status = 0;

  if (modules == NULL || node == NULL)
    {
      g_test_skip ("Set KASSA_TEST_STRIPE_NODE_MODULES and install node to compare with stripe-node");
      return;
    }
  stripe_dir = g_build_filename (modules, "stripe", NULL);
  if (!g_file_test (stripe_dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("No stripe package in KASSA_TEST_STRIPE_NODE_MODULES");
      return;
    }

  {
    const char *argv[] = { node, "-e", script, PAYLOAD, NULL };
    g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "NODE_PATH", modules, TRUE);

    g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL,
                  &out, &err, &status, &error);
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_autofree char *reason = g_strdup_printf ("stripe-node did not run: %s", err);

      g_test_skip (reason);
      return;
    }

  g_assert_cmpstr (out, ==, "t=1700000000,v1=" SIGNATURE);
  g_assert_true (verify (out, PAYLOAD, TIMESTAMP, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/stripe-webhook/vector", test_vector);
  g_test_add_func ("/kassa/stripe-webhook/multiple-signatures", test_multiple_signatures);
  g_test_add_func ("/kassa/stripe-webhook/tolerance", test_tolerance);
  g_test_add_func ("/kassa/stripe-webhook/rejects", test_rejects);
  g_test_add_func ("/kassa/stripe-webhook/oversized", test_oversized);
  g_test_add_func ("/kassa/stripe-webhook/binary-body", test_binary_body);
  g_test_add_func ("/kassa/stripe-webhook/node-peer", test_node_peer);

  return g_test_run ();
}
