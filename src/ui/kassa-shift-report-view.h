/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kassa-shop-shifts.h"

G_BEGIN_DECLS

#define KASSA_TYPE_SHIFT_REPORT_VIEW (kassa_shift_report_view_get_type ())

G_DECLARE_FINAL_TYPE (KassaShiftReportView, kassa_shift_report_view, KASSA, SHIFT_REPORT_VIEW, AdwBin)

/* Shows an X or Z report: the drawer's figures, for a Z report the
 * count and the over or short, and the takings by tender with the card
 * total to reconcile against Stripe. */

KassaShiftReportView   *kassa_shift_report_view_new             (void);
void                    kassa_shift_report_view_set_report      (KassaShiftReportView   *self,
                                                                 const KassaShiftReport *report);
const KassaShiftReport *kassa_shift_report_view_get_report      (KassaShiftReportView   *self);
/* "Over by …", "Short by …", "The drawer balances", or NULL for X. */
const char             *kassa_shift_report_view_get_difference  (KassaShiftReportView   *self);
/* The value shown on the row titled @title, or NULL. */
const char             *kassa_shift_report_view_lookup          (KassaShiftReportView   *self,
                                                                 const char             *title);

G_END_DECLS
