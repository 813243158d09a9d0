/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "kassa-order.h"
#include "kassa-print-enums.h"
#include "kassa-service-session.h"
#include "kassa-store-profile.h"
#include "kassa-totals.h"

G_BEGIN_DECLS

/* Paper width and the printable width inside it, in points. */
double kassa_receipt_paper_get_width         (KassaReceiptPaper paper);
double kassa_receipt_paper_get_content_width (KassaReceiptPaper paper);

/* Everything a receipt shows, filled in by the shop; the print layer
 * only draws it. Totals come from kassa_order_compute_totals() (with the
 * cash rounding step when the tender was cash): the receipt adds up
 * nothing itself. Its lines are the order's lines in order, then the
 * shipping line when the order has one.
 *
 * A reprint count above zero prints "DUPLICATE" and the count; the shop
 * records the reprint in the audit log, using
 * kassa_receipt_is_duplicate() and the count it set. */

#define KASSA_TYPE_RECEIPT (kassa_receipt_get_type ())

G_DECLARE_FINAL_TYPE (KassaReceipt, kassa_receipt, KASSA, RECEIPT, GObject)

KassaReceipt      *kassa_receipt_new                (KassaStoreProfile   *profile,
                                                     KassaOrder          *order,
                                                     KassaTotals         *totals);
KassaStoreProfile *kassa_receipt_get_profile        (KassaReceipt        *self);
KassaOrder        *kassa_receipt_get_order          (KassaReceipt        *self);
KassaTotals       *kassa_receipt_get_totals         (KassaReceipt        *self);

const char        *kassa_receipt_get_cashier_name   (KassaReceipt        *self);
void               kassa_receipt_set_cashier_name   (KassaReceipt        *self,
                                                     const char          *cashier_name);
/* When the sale happened; the order's creation time when unset. */
GDateTime         *kassa_receipt_get_time           (KassaReceipt        *self);
void               kassa_receipt_set_time           (KassaReceipt        *self,
                                                     GDateTime           *time);
guint              kassa_receipt_get_reprint_count  (KassaReceipt        *self);
void               kassa_receipt_set_reprint_count  (KassaReceipt        *self,
                                                     guint                reprint_count);
gboolean           kassa_receipt_is_duplicate       (KassaReceipt        *self);
/* The invoice's public link, printed with a QR code; NULL for none. */
const char        *kassa_receipt_get_invoice_link   (KassaReceipt        *self);
void               kassa_receipt_set_invoice_link   (KassaReceipt        *self,
                                                     const char          *invoice_link);
/* What the customer handed over in cash and the change given back, as
 * the shop computed them; both 0 when no cash was tendered. */
void               kassa_receipt_set_cash_tendered  (KassaReceipt        *self,
                                                     gint64               tendered,
                                                     gint64               change);
/* Pickup or delivery instructions as typed (time slot, place, notes);
 * printed after the order's delivery method and shipping address. */
const char        *kassa_receipt_get_delivery_note  (KassaReceipt        *self);
void               kassa_receipt_set_delivery_note  (KassaReceipt        *self,
                                                     const char          *delivery_note);
/* Marks order line @position as a service: its description and the
 * session's paid duration are printed under it. */
void               kassa_receipt_set_line_service   (KassaReceipt        *self,
                                                     guint                position,
                                                     const char          *description,
                                                     KassaServiceSession *session);

/* Layout. The receipt is laid out in the printable width of @paper
 * starting at the origin of @cr; kassa_receipt_measure() gives the height
 * it takes, kassa_receipt_draw() draws it (black on whatever is below). */
double             kassa_receipt_measure            (KassaReceipt        *self,
                                                     KassaReceiptPaper    paper);
void               kassa_receipt_draw               (KassaReceipt        *self,
                                                     cairo_t             *cr,
                                                     KassaReceiptPaper    paper);
/* One page of @width × @height points (a print dialog's page): the
 * receipt is centred horizontally. A receipt is one page: @page_nr is 0. */
void               kassa_receipt_draw_page          (KassaReceipt        *self,
                                                     cairo_t             *cr,
                                                     KassaReceiptPaper    paper,
                                                     double               width,
                                                     double               height,
                                                     guint                page_nr);

/* The printable area at @dots_per_mm, white background, RGB24. */
cairo_surface_t   *kassa_receipt_render_image       (KassaReceipt        *self,
                                                     KassaReceiptPaper    paper,
                                                     double               dots_per_mm,
                                                     GError             **error);

/* A PDF page as wide as the paper and as long as the receipt. */
GBytes            *kassa_print_receipt_to_pdf_bytes (KassaReceipt        *receipt,
                                                     KassaReceiptPaper    paper,
                                                     GError             **error);
gboolean           kassa_print_receipt_to_pdf       (KassaReceipt        *receipt,
                                                     KassaReceiptPaper    paper,
                                                     const char          *path,
                                                     GError             **error);
/* A PNG of the printable area at 8 dots per mm (203 dpi). */
GBytes            *kassa_print_receipt_to_png_bytes (KassaReceipt        *receipt,
                                                     KassaReceiptPaper    paper,
                                                     GError             **error);
gboolean           kassa_print_receipt_to_png       (KassaReceipt        *receipt,
                                                     KassaReceiptPaper    paper,
                                                     const char          *path,
                                                     GError             **error);

G_END_DECLS
