/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kassa-printer-output.h"
#include "kassa-receipt.h"
#include "kassa-shift-report-print.h"

G_BEGIN_DECLS

/* Receipts and shift reports on the till's printer, as the preferences
 * set it up ("receipt-printer-kind", "receipt-printer-target"): a
 * thermal printer on a device file, the network or a raw CUPS queue gets
 * ESC/POS bytes; with none of those ("none") the print dialog opens for
 * a printer with a driver. Receipts print on 80 mm rolls. */

#define KASSA_RECEIPT_OUTPUT_PAPER KASSA_RECEIPT_PAPER_80MM

/* The thermal printer the preferences name, or NULL without an error
 * when they name none (print through the dialog then). */
KassaPrinterOutput *kassa_receipt_output_from_settings   (GSettings             *settings,
                                                          GError               **error);

/* Prints @receipt. @open_drawer pulses the cash drawer with it (a sale
 * with a cash tender); only a thermal printer can. */
void      kassa_receipt_output_print_receipt_async      (GtkWindow             *parent,
                                                          GSettings             *settings,
                                                          KassaReceipt          *receipt,
                                                          gboolean               open_drawer,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
/* Prints an X or Z report; never opens the drawer. */
void      kassa_receipt_output_print_shift_report_async (GtkWindow             *parent,
                                                          GSettings             *settings,
                                                          KassaShiftReportPrint *report,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
/* FALSE with @error when printing failed; TRUE when it printed or the
 * user closed the print dialog. */
gboolean  kassa_receipt_output_print_finish             (GAsyncResult          *result,
                                                          GError               **error);

G_END_DECLS
