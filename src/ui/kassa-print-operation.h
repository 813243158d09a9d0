/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kassa-invoice-document.h"
#include "kassa-receipt.h"
#include "kassa-shift-report-print.h"

G_BEGIN_DECLS

/* Printing a receipt, an invoice or a shift report on a printer with a
 * driver (an office printer, or a receipt printer set up in CUPS),
 * through GtkPrintOperation: the print dialog with its preview, or the
 * print portal inside Flatpak. The pages are drawn by the print layer's
 * draw_page functions, so what prints is what the PDF shows. Receipts
 * and shift reports default to a page as wide as the roll and as long
 * as the content; invoices to the page format given. */

#define KASSA_TYPE_PRINT_OPERATION (kassa_print_operation_get_type ())

G_DECLARE_FINAL_TYPE (KassaPrintOperation, kassa_print_operation, KASSA, PRINT_OPERATION, GObject)

KassaPrintOperation *kassa_print_operation_new_for_receipt      (KassaReceipt           *receipt,
                                                                 KassaReceiptPaper       paper);
KassaPrintOperation *kassa_print_operation_new_for_invoice      (KassaInvoiceDocument   *document,
                                                                 KassaPageFormat         format);
KassaPrintOperation *kassa_print_operation_new_for_shift_report (KassaShiftReportPrint  *report,
                                                                 KassaReceiptPaper       paper);

/* The underlying operation, for settings a caller wants to add (an
 * export file name, the print settings kept from the last job). */
GtkPrintOperation   *kassa_print_operation_get_operation        (KassaPrintOperation    *self);

/* Runs the operation with @action and waits: for
 * GTK_PRINT_OPERATION_ACTION_EXPORT (with an export file name set) and
 * tests. */
GtkPrintOperationResult kassa_print_operation_run               (KassaPrintOperation    *self,
                                                                 GtkPrintOperationAction action,
                                                                 GtkWindow              *parent,
                                                                 GError                **error);

/* Shows the print dialog (with Preview) without blocking; finishes
 * when the job was handed on or the dialog closed. */
void                 kassa_print_operation_print_async          (KassaPrintOperation    *self,
                                                                 GtkWindow              *parent,
                                                                 GCancellable           *cancellable,
                                                                 GAsyncReadyCallback     callback,
                                                                 gpointer                user_data);
/* Returns: FALSE with @error on failure; TRUE with *@out_printed FALSE
 * when the user cancelled. */
gboolean             kassa_print_operation_print_finish         (KassaPrintOperation    *self,
                                                                 GAsyncResult           *result,
                                                                 gboolean               *out_printed,
                                                                 GError                **error);

G_END_DECLS
