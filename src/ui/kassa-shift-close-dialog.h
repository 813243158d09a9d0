/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kassa-shop.h"
#include "kassa-shift-report-view.h"

G_BEGIN_DECLS

#define KASSA_TYPE_SHIFT_CLOSE_DIALOG (kassa_shift_close_dialog_get_type ())

G_DECLARE_FINAL_TYPE (KassaShiftCloseDialog, kassa_shift_close_dialog, KASSA, SHIFT_CLOSE_DIALOG, AdwWindow)

/* The blind close: one spin button per note and coin of the drawer's
 * currency, the counted total, and only after closing the Z report with
 * the expected cash and the over or short. Emits ::closed with the Z
 * number. */

KassaShiftCloseDialog *kassa_shift_close_dialog_new          (GtkWindow             *parent,
                                                              KassaShop             *shop);
/* The spin button for @denomination (minor units), or NULL. */
GtkSpinButton         *kassa_shift_close_dialog_get_spin     (KassaShiftCloseDialog *self,
                                                              gint64                 denomination);
/* What has been counted so far, in minor units. */
gint64                 kassa_shift_close_dialog_get_counted  (KassaShiftCloseDialog *self);
/* Closes as the Close Shift button does. */
void                   kassa_shift_close_dialog_close_shift  (KassaShiftCloseDialog *self);
KassaShiftReportView  *kassa_shift_close_dialog_get_report_view (KassaShiftCloseDialog *self);
/* The Z report shown after closing, or NULL before. */
const KassaShiftReport *kassa_shift_close_dialog_get_report  (KassaShiftCloseDialog *self);
/* Prints the Z report as the Print Z Report button does: on the
 * thermal printer, or through the print dialog when there is none. */
void                   kassa_shift_close_dialog_print_report (KassaShiftCloseDialog *self);
/* "count" or "report". */
const char            *kassa_shift_close_dialog_get_page     (KassaShiftCloseDialog *self);

G_END_DECLS
