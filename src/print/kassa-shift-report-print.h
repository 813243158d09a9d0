/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "kassa-print-enums.h"
#include "kassa-store-profile.h"

G_BEGIN_DECLS

/* An X or Z report on receipt paper, drawn with the receipt's Pango
 * approach so the same layout serves a PDF, a print dialog's page, the
 * PNG preview and a thermal printer. The shop fills in the figures it
 * froze at close (or computed so far for an X report); the layout adds
 * up nothing itself. Amounts are minor units of the report's currency. */

#define KASSA_TYPE_SHIFT_REPORT_PRINT (kassa_shift_report_print_get_type ())

G_DECLARE_FINAL_TYPE (KassaShiftReportPrint, kassa_shift_report_print, KASSA, SHIFT_REPORT_PRINT, GObject)

/* @final TRUE for a Z report. */
KassaShiftReportPrint *kassa_shift_report_print_new        (KassaStoreProfile     *profile,
                                                            const char            *currency_code,
                                                            gboolean               final,
                                                            GError               **error);
gboolean               kassa_shift_report_print_get_final  (KassaShiftReportPrint *self);
/* @z_number 0 for an X report; @closed_by and @closed_at NULL for an
 * X report. */
void                   kassa_shift_report_print_set_shift  (KassaShiftReportPrint *self,
                                                            gint64                 z_number,
                                                            const char            *register_name,
                                                            const char            *opened_by,
                                                            GDateTime             *opened_at,
                                                            const char            *closed_by,
                                                            GDateTime             *closed_at);
/* @difference is counted − expected: above 0 over, below 0 short.
 * @counted_cash and @difference are ignored for an X report. */
void                   kassa_shift_report_print_set_drawer (KassaShiftReportPrint *self,
                                                            gint64                 opening_float,
                                                            gint64                 cash_sales,
                                                            gint64                 cash_refunds,
                                                            gint64                 paid_in,
                                                            gint64                 paid_out,
                                                            gint64                 no_sales,
                                                            gint64                 expected_cash,
                                                            gint64                 counted_cash,
                                                            gint64                 difference);
/* The closing count, in the order to print (largest first). */
void                   kassa_shift_report_print_add_count  (KassaShiftReportPrint *self,
                                                            gint64                 denomination,
                                                            gint64                 count);
/* @title is the provider as people read it ("Cash", "Stripe QR"). */
void                   kassa_shift_report_print_add_tender (KassaShiftReportPrint *self,
                                                            const char            *title,
                                                            gint64                 payments,
                                                            gint64                 amount);
void                   kassa_shift_report_print_set_card_total (KassaShiftReportPrint *self,
                                                                gint64                 card_total);
/* The journal the report vouches for: its entries and the last one's hash. */
void                   kassa_shift_report_print_set_journal (KassaShiftReportPrint *self,
                                                             gint64                 n_entries,
                                                             const char            *last_hash);

double                 kassa_shift_report_print_measure    (KassaShiftReportPrint *self,
                                                            KassaReceiptPaper      paper);
void                   kassa_shift_report_print_draw       (KassaShiftReportPrint *self,
                                                            cairo_t               *cr,
                                                            KassaReceiptPaper      paper);
/* One page of @width × @height points, the report centred horizontally;
 * a report is one page: @page_nr is 0. */
void                   kassa_shift_report_print_draw_page  (KassaShiftReportPrint *self,
                                                            cairo_t               *cr,
                                                            KassaReceiptPaper      paper,
                                                            double                 width,
                                                            double                 height,
                                                            guint                  page_nr);
/* The printable area at @dots_per_mm, white background, RGB24. */
cairo_surface_t       *kassa_shift_report_print_render_image (KassaShiftReportPrint *self,
                                                              KassaReceiptPaper      paper,
                                                              double                 dots_per_mm,
                                                              GError               **error);

GBytes                *kassa_print_shift_report_to_pdf_bytes    (KassaShiftReportPrint *report,
                                                                 KassaReceiptPaper      paper,
                                                                 GError               **error);
GBytes                *kassa_print_shift_report_to_png_bytes    (KassaShiftReportPrint *report,
                                                                 KassaReceiptPaper      paper,
                                                                 GError               **error);
/* ESC/POS raster at 203 dpi, ending with a cut; never opens the drawer. */
GBytes                *kassa_print_shift_report_to_escpos_bytes (KassaShiftReportPrint *report,
                                                                 KassaReceiptPaper      paper,
                                                                 GError               **error);

G_END_DECLS
