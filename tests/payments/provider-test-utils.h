/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Driving payment providers against the fake Stripe server. */

#include "kassa-fake-stripe.h"
#include "kassa-payment-error.h"
#include "kassa-payment-provider.h"
#include "kassa-stripe-client.h"

#define TEST_SECRET_KEY "sk_test_kassa_providers_DoNotLogMe_31337"

typedef struct
{
  KassaPaymentProgress progress;
  char                *message;
  char                *url;
} StatusChange;

typedef struct
{
  gboolean                  done;
  KassaPaymentResult       *result;
  KassaPaymentRefundResult *refund;
  GError                   *error;
  GPtrArray                *changes;  /* StatusChange */
} Outcome;

typedef void (*StatusHook) (KassaPaymentProvider *provider,
                            KassaPaymentProgress  progress,
                            const char           *url,
                            gpointer              user_data);

static inline void
status_change_free (gpointer data)
{
  StatusChange *change = data;

  g_free (change->message);
  g_free (change->url);
  g_free (change);
}

static inline void
outcome_init (Outcome *outcome)
{
  memset (outcome, 0, sizeof *outcome);
  outcome->changes = g_ptr_array_new_with_free_func (status_change_free);
}

static inline void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->result, kassa_payment_result_free);
  g_clear_pointer (&outcome->refund, kassa_payment_refund_result_free);
  g_clear_error (&outcome->error);
  g_clear_pointer (&outcome->changes, g_ptr_array_unref);
  outcome->done = FALSE;
}

static inline gboolean
outcome_saw (Outcome              *outcome,
             KassaPaymentProgress  progress)
{
  for (guint i = 0; i < outcome->changes->len; i++)
    if (((StatusChange *) g_ptr_array_index (outcome->changes, i))->progress == progress)
      return TRUE;

  return FALSE;
}

static inline void
test_record_status_cb (KassaPaymentProvider *provider,
                       KassaPaymentProgress  progress,
                       const char           *message,
                       const char           *url,
                       gpointer              user_data)
{
  Outcome *outcome = user_data;
  StatusChange *change = g_new0 (StatusChange, 1);

  g_assert_nonnull (message);
  change->progress = progress;
  change->message = g_strdup (message);
  change->url = g_strdup (url);
  g_ptr_array_add (outcome->changes, change);
}

static inline void
test_start_cb (GObject      *object,
               GAsyncResult *res,
               gpointer      user_data)
{
  Outcome *outcome = user_data;

  g_assert_false (outcome->done);
  outcome->result = kassa_payment_provider_start_finish (KASSA_PAYMENT_PROVIDER (object), res,
                                                         &outcome->error);
  g_assert_true ((outcome->result == NULL) != (outcome->error == NULL));
  outcome->done = TRUE;
}

static inline void
test_refund_cb (GObject      *object,
                GAsyncResult *res,
                gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->refund = kassa_payment_provider_refund_finish (KASSA_PAYMENT_PROVIDER (object), res,
                                                          &outcome->error);
  g_assert_true ((outcome->refund == NULL) != (outcome->error == NULL));
  outcome->done = TRUE;
}

static gboolean
test_deadline_cb (gpointer user_data)
{
  g_error ("A payment flow did not finish within a minute");
  return G_SOURCE_REMOVE;
}

/* Iterates until @outcome is done, with a generous deadline so a stuck
 * flow fails the test instead of hanging it. */
static inline void
test_wait (Outcome *outcome)
{
  guint deadline = g_timeout_add_seconds (60, test_deadline_cb, NULL);

  while (!outcome->done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (deadline);
}

static inline void
test_start (KassaPaymentProvider      *provider,
            const KassaPaymentRequest *request,
            GCancellable              *cancellable,
            Outcome                   *outcome)
{
  gulong id = g_signal_connect (provider, "status-changed", G_CALLBACK (test_record_status_cb), outcome);

  kassa_payment_provider_start_async (provider, request, cancellable, test_start_cb, outcome);
  test_wait (outcome);
  g_signal_handler_disconnect (provider, id);
}

static inline void
run_refund (KassaPaymentProvider            *provider,
             const KassaPaymentRefundRequest *request,
             Outcome                         *outcome)
{
  kassa_payment_provider_refund_async (provider, request, NULL, test_refund_cb, outcome);
  test_wait (outcome);
}

static inline KassaStripeClient *
test_client_new (KassaFakeStripe *fake)
{
  KassaStripeClient *client = kassa_stripe_client_new (NULL, kassa_fake_stripe_get_url (fake),
                                                       TEST_SECRET_KEY);

  kassa_stripe_client_set_backoff (client, 1, 8);
  kassa_stripe_client_set_timeout (client, 10000);

  return client;
}

/* Order 42, "K-0042": 2 coffees at 3.50 and a cake at 4.50, 11.50 EUR. */
static inline KassaPaymentRequest *
test_request_new (const char *key)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  KassaPaymentRequest *request = kassa_payment_request_new (42, 1150, "EUR");

  request->order_number = g_strdup ("K-0042");
  request->idempotency_key = g_strdup (key);
  g_clear_pointer (&request->created_at, g_date_time_unref);
  request->created_at = g_date_time_new (utc, 2026, 11, 28, 10, 0, 0);
  kassa_payment_request_add_line (request, "Coffee", 2000, 350, 700, NULL, 0);
  kassa_payment_request_add_line (request, "Cake", 1000, 450, 450, NULL, 0);

  return request;
}

static inline guint
test_count_with_key (KassaFakeStripe *fake,
                     const char      *path,
                     const char      *key)
{
  guint count = 0;

  for (guint i = 0; i < kassa_fake_stripe_get_n_requests (fake); i++)
    {
      const KassaFakeStripeRequest *request = kassa_fake_stripe_get_request (fake, i);

      if (g_str_equal (request->path, path) &&
          g_strcmp0 (soup_message_headers_get_one (request->headers, "Idempotency-Key"), key) == 0)
        count++;
    }

  return count;
}

static inline const KassaFakeStripeRequest *
test_find_request (KassaFakeStripe *fake,
                   const char      *method,
                   const char      *path)
{
  for (guint i = 0; i < kassa_fake_stripe_get_n_requests (fake); i++)
    {
      const KassaFakeStripeRequest *request = kassa_fake_stripe_get_request (fake, i);

      if (g_str_equal (request->method, method) && g_str_equal (request->path, path))
        return request;
    }

  return NULL;
}
