/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kassa-payment-provider.h"
#include "kassa-stripe-client.h"

G_BEGIN_DECLS

/* A Stripe Terminal card reader, driven from the server side: create a
 * card_present PaymentIntent, show the cart on the reader, hand the
 * intent to the reader, poll the reader's action until it succeeded or
 * failed, then capture.
 *
 * Capture is manual by default: the reader only authorises, and the till
 * captures once it has seen the action succeed. A sale the cashier
 * abandons after the tap (or a crash before the order is booked) then
 * leaves an authorisation that cancelling releases at once, instead of a
 * charge that needs a refund (with its fee and days of delay for the
 * customer). The capture carries its own key and an unknown outcome is
 * resolved by fetching the intent, so it never charges twice.
 *
 * Keys, derived from request->idempotency_key: the intent is created
 * with KEY, the cart shown with "KEY:display", the intent handed over
 * with "KEY:process", captured with "KEY:capture", and on cancel the
 * action cleared with "KEY:cancel_action" and the intent cancelled with
 * "KEY:cancel". */

#define KASSA_STRIPE_TERMINAL_PROVIDER_ID "stripe_terminal"
#define KASSA_STRIPE_TERMINAL_DEFAULT_POLL_MS 1000

/**
 * KassaStripeReader:
 * @id: `tmr_…`
 * @label: the name given to the reader
 * @device_type: `bbpos_wisepos_e`, `simulated_wisepos_e`, …
 * @status: `online` or `offline`
 */
typedef struct
{
  char *id;
  char *label;
  char *device_type;
  char *status;
} KassaStripeReader;

void kassa_stripe_reader_free (KassaStripeReader *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KassaStripeReader, kassa_stripe_reader_free)

#define KASSA_TYPE_STRIPE_TERMINAL_PROVIDER (kassa_stripe_terminal_provider_get_type ())

G_DECLARE_FINAL_TYPE (KassaStripeTerminalProvider, kassa_stripe_terminal_provider, KASSA, STRIPE_TERMINAL_PROVIDER, GObject)

KassaStripeTerminalProvider *kassa_stripe_terminal_provider_new                 (KassaStripeClient           *client);
KassaStripeClient           *kassa_stripe_terminal_provider_get_client          (KassaStripeTerminalProvider *self);
const char                  *kassa_stripe_terminal_provider_get_reader_id       (KassaStripeTerminalProvider *self);
void                         kassa_stripe_terminal_provider_set_reader_id       (KassaStripeTerminalProvider *self,
                                                                                 const char                  *reader_id);
gboolean                     kassa_stripe_terminal_provider_get_manual_capture  (KassaStripeTerminalProvider *self);
void                         kassa_stripe_terminal_provider_set_manual_capture  (KassaStripeTerminalProvider *self,
                                                                                 gboolean                     manual);
void                         kassa_stripe_terminal_provider_set_poll_interval   (KassaStripeTerminalProvider *self,
                                                                                 guint                        interval_ms);
const char                  *kassa_stripe_terminal_provider_get_payment_intent_id (KassaStripeTerminalProvider *self);

KassaStripeForm             *kassa_stripe_terminal_provider_build_form          (KassaStripeTerminalProvider *self,
                                                                                 const KassaPaymentRequest   *request,
                                                                                 GError                     **error);

/* The account's registered readers. */
void                         kassa_stripe_terminal_provider_list_readers_async  (KassaStripeTerminalProvider *self,
                                                                                 GCancellable                *cancellable,
                                                                                 GAsyncReadyCallback          callback,
                                                                                 gpointer                     user_data);
GPtrArray                   *kassa_stripe_terminal_provider_list_readers_finish (KassaStripeTerminalProvider *self,
                                                                                 GAsyncResult                *result,
                                                                                 GError                     **error);

/* Test mode only: a simulated reader is tapped with a test card number
 * (4242424242424242 succeeds, 4000000000000002 is declined). */
void                         kassa_stripe_terminal_provider_present_test_card_async  (KassaStripeTerminalProvider *self,
                                                                                      const char                  *card_number,
                                                                                      GCancellable                *cancellable,
                                                                                      GAsyncReadyCallback          callback,
                                                                                      gpointer                     user_data);
gboolean                     kassa_stripe_terminal_provider_present_test_card_finish (KassaStripeTerminalProvider *self,
                                                                                      GAsyncResult                *result,
                                                                                      GError                     **error);

G_END_DECLS
