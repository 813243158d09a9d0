/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kassa-payment-provider.h"
#include "kassa-stripe-client.h"

G_BEGIN_DECLS

/* Pay by QR: a Stripe Checkout Session for the order (subscription mode
 * when the request is), its URL shown as a QR code through
 * "status-changed" (KASSA_PAYMENT_PROGRESS_SHOWING_CODE), then the
 * session polled until it is complete and paid, expired or cancelled.
 * Cancelling expires the session so the code stops working.
 *
 * Keys: the session is created with request->idempotency_key, expired
 * with "KEY:expire". Starting again with the same request replays the
 * same session (the body is a function of the request, expiry included),
 * which is how an unknown outcome is resolved. */

#define KASSA_STRIPE_CHECKOUT_PROVIDER_ID "stripe_checkout"

/* Stripe accepts 30 min to 24 h; a till waits about the shortest. */
#define KASSA_STRIPE_CHECKOUT_EXPIRY_SECONDS (30 * 60)
#define KASSA_STRIPE_CHECKOUT_DEFAULT_POLL_MS 2000

#define KASSA_TYPE_STRIPE_CHECKOUT_PROVIDER (kassa_stripe_checkout_provider_get_type ())

G_DECLARE_FINAL_TYPE (KassaStripeCheckoutProvider, kassa_stripe_checkout_provider, KASSA, STRIPE_CHECKOUT_PROVIDER, GObject)

KassaStripeCheckoutProvider *kassa_stripe_checkout_provider_new               (KassaStripeClient           *client,
                                                                               const char                  *success_url,
                                                                               const char                  *cancel_url);
KassaStripeClient           *kassa_stripe_checkout_provider_get_client        (KassaStripeCheckoutProvider *self);
void                         kassa_stripe_checkout_provider_set_poll_interval (KassaStripeCheckoutProvider *self,
                                                                               guint                        interval_ms);
guint                        kassa_stripe_checkout_provider_get_poll_interval (KassaStripeCheckoutProvider *self);
const char                  *kassa_stripe_checkout_provider_get_session_id    (KassaStripeCheckoutProvider *self);

KassaStripeForm             *kassa_stripe_checkout_provider_build_form        (KassaStripeCheckoutProvider *self,
                                                                               const KassaPaymentRequest   *request,
                                                                               GError                     **error);

/* Shared by the Stripe providers: POST /v1/refunds for
 * request->provider_reference (a PaymentIntent) with its key. */
KassaStripeForm             *kassa_stripe_refund_build_form                   (const KassaPaymentRefundRequest *request,
                                                                               GError                         **error);
void                         kassa_stripe_refund_async                        (KassaStripeClient               *client,
                                                                               gpointer                         source_object,
                                                                               const KassaPaymentRefundRequest *request,
                                                                               GCancellable                    *cancellable,
                                                                               GAsyncReadyCallback              callback,
                                                                               gpointer                         user_data);
KassaPaymentRefundResult    *kassa_stripe_refund_finish                       (GAsyncResult                    *result,
                                                                               GError                         **error);

G_END_DECLS
