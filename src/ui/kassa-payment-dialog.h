/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kassa-payment.h"
#include "kassa-till.h"

G_BEGIN_DECLS

/* Taking payment for the till's cart. Tenders are pages of a stack
 * (cash and "other" built in); each settles part or all of what is due
 * with kassa_payment_dialog_add_payment(). When the payments reach the
 * amount due the sale is completed in one transaction, "completed" is
 * emitted with the order, and the dialog shows the change and, after
 * the "receipt-action" preference, the receipt. Cancelling, or a sale
 * that fails, leaves the cart as it was. */

#define KASSA_TYPE_PAYMENT_DIALOG (kassa_payment_dialog_get_type ())

G_DECLARE_FINAL_TYPE (KassaPaymentDialog, kassa_payment_dialog, KASSA, PAYMENT_DIALOG, AdwWindow)

KassaPaymentDialog *kassa_payment_dialog_new           (KassaTill          *till);
KassaTill          *kassa_payment_dialog_get_till      (KassaPaymentDialog *self);
/* Another way to pay (a provider's QR code or card reader): @page goes
 * into the tender stack under @name and @title. */
void                kassa_payment_dialog_add_tender    (KassaPaymentDialog *self,
                                                        const char         *name,
                                                        const char         *title,
                                                        GtkWidget          *page);
/* What is still to pay, with cash rounding when @cash. */
gint64              kassa_payment_dialog_get_remaining (KassaPaymentDialog *self,
                                                        gboolean            cash);
/* Records a settled tender; completes the sale once the payments add up
 * to the amount due. FALSE with @error when it is more than is due or
 * the sale could not be completed. */
gboolean            kassa_payment_dialog_add_payment   (KassaPaymentDialog *self,
                                                        KassaPayment       *payment,
                                                        GError            **error);
/* (nullable): the completed order */
KassaOrder         *kassa_payment_dialog_get_order     (KassaPaymentDialog *self);
/* Cash handed back, once completed. */
gint64              kassa_payment_dialog_get_change    (KassaPaymentDialog *self);
/* The receipt of the completed sale, as previewed or printed; NULL
 * before completion or when the preferences ask for no receipt. */
KassaReceipt       *kassa_payment_dialog_get_receipt   (KassaPaymentDialog *self);

G_END_DECLS
