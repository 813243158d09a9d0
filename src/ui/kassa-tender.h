/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kassa-payment-dialog.h"
#include "kassa-payment-provider.h"

G_BEGIN_DECLS

/* What the Stripe pages of the payment dialog share: the dialog they pay
 * into (weak: it owns them), their provider, a status line, start and
 * cancel buttons, and the payment in progress, which is withdrawn when
 * the page leaves the window so that it cannot be paid later. A page
 * says what a finished payment means to the cashier (finish). */

#define KASSA_TYPE_TENDER (kassa_tender_get_type ())

G_DECLARE_DERIVABLE_TYPE (KassaTender, kassa_tender, KASSA, TENDER, AdwBin)

struct _KassaTenderClass
{
  AdwBinClass parent_class;

  /* After the payment started or ended: the page's buttons. The default
   * shows the start button or the cancel button. */
  void (*update) (KassaTender *self);
  /* The payment ended with @result, or with @error (not cancelled by
   * the page going away). */
  void (*finish) (KassaTender              *self,
                  KassaPaymentResult       *result,
                  const GError             *error);
};

/* For the page's init, after its template: its status label and
 * buttons. */
void                  kassa_tender_set_widgets     (KassaTender          *self,
                                                    GtkLabel             *status_label,
                                                    GtkWidget            *start_button,
                                                    GtkWidget            *cancel_button);
void                  kassa_tender_set_dialog      (KassaTender          *self,
                                                    KassaPaymentDialog   *dialog);
/* (nullable): gone with the dialog */
KassaPaymentDialog   *kassa_tender_get_dialog      (KassaTender          *self);
KassaPaymentProvider *kassa_tender_get_provider    (KassaTender          *self);
GCancellable         *kassa_tender_get_cancellable (KassaTender          *self);

/* Shows @text in the status line, which screen readers announce. */
void                  kassa_tender_announce        (KassaTender          *self,
                                                    const char           *text,
                                                    gboolean              is_error);
const char           *kassa_tender_get_status      (KassaTender          *self);

/* Pays the till's cart with @request through the shop, which stores the
 * request's key against the cart before it leaves. */
void                  kassa_tender_pay             (KassaTender          *self,
                                                    KassaPaymentRequest  *request);
/* Withdraws the payment in progress; it then finishes as cancelled. */
void                  kassa_tender_cancel          (KassaTender          *self);
gboolean              kassa_tender_get_running     (KassaTender          *self);

/* Hands the paid @result to the dialog as a payment, which completes the
 * sale. @method_label stands in for a result without one. */
gboolean              kassa_tender_record_payment  (KassaTender          *self,
                                                    KassaPaymentResult   *result,
                                                    const char           *method_label,
                                                    const char           *reference,
                                                    GError              **error);

/* The request for @amount of the till's cart, not yet an order: lines
 * when it is the whole cart, subscription mode when the cart holds
 * recurring items, and a new idempotency key. */
KassaPaymentRequest  *kassa_tender_build_request   (KassaTill            *till,
                                                    gint64                amount,
                                                    const char           *provider_id,
                                                    GError              **error);

G_END_DECLS
