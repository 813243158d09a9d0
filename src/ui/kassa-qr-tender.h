/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kassa-payment-dialog.h"
#include "kassa-stripe-checkout-provider.h"
#include "kassa-tender.h"

G_BEGIN_DECLS

/* The pay-by-QR page of the payment dialog: a Stripe Checkout Session
 * for what is still due, its URL shown large as a QR code, the status as
 * the provider reports it. Paid, the payment goes to the dialog, which
 * completes the sale; cancelled or expired, the cart stays as it was.
 * A cart holding recurring items opens the session in subscription mode
 * (the whole amount at once: a subscription cannot be split). */

#define KASSA_TYPE_QR_TENDER (kassa_qr_tender_get_type ())

G_DECLARE_FINAL_TYPE (KassaQrTender, kassa_qr_tender, KASSA, QR_TENDER, KassaTender)

KassaQrTender               *kassa_qr_tender_new          (KassaPaymentDialog          *dialog,
                                                           KassaStripeCheckoutProvider *provider);
KassaStripeCheckoutProvider *kassa_qr_tender_get_provider (KassaQrTender               *self);
/* Starts a session for the amount left; the same as the start button. */
void                         kassa_qr_tender_start        (KassaQrTender               *self);
/* Expires the session on screen; the same as the cancel button. */
void                         kassa_qr_tender_cancel       (KassaQrTender               *self);
gboolean                     kassa_qr_tender_get_running  (KassaQrTender               *self);
/* (nullable): the URL the QR code on screen encodes */
const char                  *kassa_qr_tender_get_url      (KassaQrTender               *self);
const char                  *kassa_qr_tender_get_status   (KassaQrTender               *self);

/* A QR code of @text, @module_size pixels a module with the quiet zone
 * around it, black on white; NULL with @error when it does not encode. */
GdkTexture                  *kassa_qr_tender_render_code  (const char                  *text,
                                                           int                          module_size,
                                                           GError                     **error);

G_END_DECLS
