/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kassa-print-enums.h"
#include "kassa-shift-report-print.h"
#include "kassa-shop-print.h"
#include "kassa-shop-shifts.h"
#include "kassa-shop.h"

G_BEGIN_DECLS

/* X and Z reports on paper. The figures are the report's as the shop
 * gave them (a Z report is frozen in the store at close, so printing
 * it again any day later prints the very same figures); the store's
 * profile heads it. */

/* The printable layout of @report, under the store's profile. No
 * permission beyond the one that produced @report. */
KassaShiftReportPrint *kassa_shop_build_shift_report_print (KassaShop               *self,
                                                            const KassaShiftReport  *report,
                                                            GError                 **error);
/* @report rendered in @format for @paper (ESC/POS ends with a cut and
 * never opens the drawer). */
GBytes                *kassa_shop_render_shift_report      (KassaShop               *self,
                                                            const KassaShiftReport  *report,
                                                            KassaShopReceiptFormat   format,
                                                            KassaReceiptPaper        paper,
                                                            GError                 **error);
/* The frozen Z report of closed shift @shift_id, written atomically to
 * @path in @format, and the print recorded in the audit log
 * ("shift.z-report.print" on the shift) in the same transaction.
 * Needs KASSA_PERMISSION_VIEW_REPORTS or KASSA_PERMISSION_MANAGE_SHIFTS,
 * as reading the report does. */
gboolean               kassa_shop_print_z_report           (KassaShop               *self,
                                                            gint64                   shift_id,
                                                            KassaShopReceiptFormat   format,
                                                            KassaReceiptPaper        paper,
                                                            const char              *path,
                                                            GError                 **error);

G_END_DECLS
