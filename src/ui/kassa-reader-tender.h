/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kassa-payment-dialog.h"
#include "kassa-stripe-terminal-provider.h"
#include "kassa-tender.h"

G_BEGIN_DECLS

/* The card-reader page of the payment dialog: the cashier picks one of
 * the account's Stripe Terminal readers (the till's "stripe-reader-id"
 * preselected), sends what is still due to it and follows the reader's
 * action. Paid, the payment goes to the dialog, which completes the
 * sale; cancelled, the reader's action and the intent are cancelled and
 * the cart stays as it was. */

#define KASSA_TYPE_READER_TENDER (kassa_reader_tender_get_type ())

G_DECLARE_FINAL_TYPE (KassaReaderTender, kassa_reader_tender, KASSA, READER_TENDER, KassaTender)

KassaReaderTender           *kassa_reader_tender_new            (KassaPaymentDialog          *dialog,
                                                                 KassaStripeTerminalProvider *provider,
                                                                 const char                  *default_reader_id);
KassaStripeTerminalProvider *kassa_reader_tender_get_provider   (KassaReaderTender           *self);
/* Readers are listed once the page is built; TRUE when the list came. */
gboolean                     kassa_reader_tender_get_loaded     (KassaReaderTender           *self);
/* (nullable): the reader chosen in the list */
const char                  *kassa_reader_tender_get_reader_id  (KassaReaderTender           *self);
/* The same as the charge and cancel buttons. */
void                         kassa_reader_tender_start          (KassaReaderTender           *self);
void                         kassa_reader_tender_cancel         (KassaReaderTender           *self);
gboolean                     kassa_reader_tender_get_running    (KassaReaderTender           *self);
const char                  *kassa_reader_tender_get_status     (KassaReaderTender           *self);

G_END_DECLS
