/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kassa-receipt.h"
#include "kassa-till.h"

G_BEGIN_DECLS

/* What follows a completed sale once the payment dialog is done: the
 * receipt printed when the preferences say so, and a toast offering to
 * e-mail it. */

/* Prints @receipt on the till's printer (see kassa-receipt-output.h),
 * pulsing the drawer when @open_drawer. Runs on after @dialog closes;
 * a failure is shown as a toast in the main window under @dialog. */
void      kassa_sale_follow_up_print      (GtkWindow       *dialog,
                                           GSettings       *settings,
                                           KassaReceipt    *receipt,
                                           gboolean         open_drawer);

/* A toast saying @title with an "E-mail Receipt" button: it opens the
 * mail program with the receipt attached, addressed to the customer
 * when their address is known and asking for one otherwise. @receipt
 * may be NULL: the stored order's receipt is built then. */
AdwToast *kassa_sale_follow_up_toast_new  (KassaTill       *till,
                                           KassaOrder      *order,
                                           KassaReceipt    *receipt,
                                           const char      *title);
/* Shows @toast on @overlay once @dialog (if any and still open) is
 * gone, so the toast's time does not run out behind it. Takes @toast. */
void      kassa_sale_follow_up_show_toast (AdwToastOverlay *overlay,
                                           AdwToast        *toast,
                                           GtkWindow       *dialog);

/* Starts e-mailing the receipt as the toast's button does; for the
 * Orders page and tests. @parent receives the address prompt and the
 * outcome toast (when it is a KassaWindow). */
void      kassa_sale_follow_up_email      (GtkWindow       *parent,
                                           KassaTill       *till,
                                           KassaOrder      *order,
                                           KassaReceipt    *receipt);

G_END_DECLS
