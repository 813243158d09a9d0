/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "kassa-stripe-form.h"

G_BEGIN_DECLS

/* How callers use it (the payment providers):
 *
 *  1. Build the parameters with KassaStripeForm.
 *  2. For a POST, take a key from kassa_stripe_client_new_idempotency_key()
 *     and store it with the local record (through the shop and store
 *     layers) before sending; reuse it for every later attempt of the
 *     same operation, also after a restart.
 *  3. Call kassa_stripe_client_post_async() / _get_async() /
 *     _delete_async() and read the object with
 *     kassa_stripe_client_request_finish().
 *  4. On %KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME (or CANCELLED after the
 *     request may have left), repeat the POST with the same key —
 *     Stripe replays its first answer — or fetch the object by id.
 *
 * Transient failures are retried inside one call; the error that comes
 * out is final for that call. */

/* The API version Kassa is written against; every request names it. */
#define KASSA_STRIPE_API_VERSION "2026-10-28.endive"
#define KASSA_STRIPE_API_BASE_DEFAULT "https://api.stripe.com"

/* Defaults of the retry policy (see STRIPE facts: 0.5 s doubling,
 * capped at 5 s, jittered) and of the per-try timeout. */
#define KASSA_STRIPE_DEFAULT_MAX_TRIES 4
#define KASSA_STRIPE_DEFAULT_BACKOFF_INITIAL_MS 500
#define KASSA_STRIPE_DEFAULT_BACKOFF_MAX_MS 5000
#define KASSA_STRIPE_DEFAULT_TIMEOUT_MS 30000

/* Stripe's limit on Idempotency-Key. */
#define KASSA_STRIPE_IDEMPOTENCY_KEY_MAX 255

#define KASSA_TYPE_STRIPE_CLIENT (kassa_stripe_client_get_type ())

G_DECLARE_FINAL_TYPE (KassaStripeClient, kassa_stripe_client, KASSA, STRIPE_CLIENT, GObject)

KassaStripeClient *kassa_stripe_client_new                (SoupSession *session,
                                                           const char  *base_url,
                                                           const char  *secret_key);
const char        *kassa_stripe_client_get_base_url       (KassaStripeClient *self);
SoupSession       *kassa_stripe_client_get_session        (KassaStripeClient *self);
void               kassa_stripe_client_set_secret_key     (KassaStripeClient *self,
                                                           const char        *secret_key);
gboolean           kassa_stripe_client_has_secret_key     (KassaStripeClient *self);
gboolean           kassa_stripe_client_is_test_mode       (KassaStripeClient *self);
void               kassa_stripe_client_set_max_tries      (KassaStripeClient *self,
                                                           guint              max_tries);
guint              kassa_stripe_client_get_max_tries      (KassaStripeClient *self);
void               kassa_stripe_client_set_backoff        (KassaStripeClient *self,
                                                           guint              initial_ms,
                                                           guint              max_ms);
void               kassa_stripe_client_set_timeout        (KassaStripeClient *self,
                                                           guint              timeout_ms);
guint              kassa_stripe_client_get_timeout        (KassaStripeClient *self);

char              *kassa_stripe_client_new_idempotency_key (void);
guint              kassa_stripe_backoff_delay_ms          (guint   retry,
                                                           guint   initial_ms,
                                                           guint   max_ms,
                                                           guint32 random);

void               kassa_stripe_client_request_async      (KassaStripeClient  *self,
                                                           const char         *method,
                                                           const char         *path,
                                                           KassaStripeForm    *form,
                                                           const char         *idempotency_key,
                                                           GCancellable       *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer            user_data);
void               kassa_stripe_client_get_async          (KassaStripeClient  *self,
                                                           const char         *path,
                                                           KassaStripeForm    *query,
                                                           GCancellable       *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer            user_data);
void               kassa_stripe_client_post_async         (KassaStripeClient  *self,
                                                           const char         *path,
                                                           KassaStripeForm    *form,
                                                           const char         *idempotency_key,
                                                           GCancellable       *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer            user_data);
void               kassa_stripe_client_delete_async       (KassaStripeClient  *self,
                                                           const char         *path,
                                                           GCancellable       *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer            user_data);
JsonObject        *kassa_stripe_client_request_finish     (KassaStripeClient  *self,
                                                           GAsyncResult       *result,
                                                           char              **request_id,
                                                           GError            **error);

G_END_DECLS
