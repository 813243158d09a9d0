/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "kassa-invoice.h"
#include "kassa-print-enums.h"
#include "kassa-store-profile.h"
#include "kassa-totals.h"

G_BEGIN_DECLS

void kassa_page_format_get_size (KassaPageFormat  format,
                                 double          *width,
                                 double          *height);

/* Everything an invoice or credit note shows, filled in by the shop:
 * the seller's profile, the invoice (buyer, number, dates, lines,
 * payment record) and its totals from kassa_invoice_compute_totals(),
 * whose lines follow the invoice's lines. The document adds up nothing
 * itself. */

#define KASSA_TYPE_INVOICE_DOCUMENT (kassa_invoice_document_get_type ())

G_DECLARE_FINAL_TYPE (KassaInvoiceDocument, kassa_invoice_document, KASSA, INVOICE_DOCUMENT, GObject)

KassaInvoiceDocument *kassa_invoice_document_new                (KassaStoreProfile    *profile,
                                                                 KassaInvoice         *invoice,
                                                                 KassaTotals          *totals);
KassaInvoice         *kassa_invoice_document_get_invoice        (KassaInvoiceDocument *self);
/* The invoice's public page, where it can be viewed and paid; printed
 * with a QR code. NULL for none. */
const char           *kassa_invoice_document_get_public_link    (KassaInvoiceDocument *self);
void                  kassa_invoice_document_set_public_link    (KassaInvoiceDocument *self,
                                                                 const char           *public_link);
/* For a credit note: the number of the invoice it credits. */
const char           *kassa_invoice_document_get_credited_reference (KassaInvoiceDocument *self);
void                  kassa_invoice_document_set_credited_reference (KassaInvoiceDocument *self,
                                                                     const char           *reference);

/* Pages of @width × @height points (a PDF page or a print dialog's
 * page). The line table flows over as many pages as it needs, its
 * header repeated on each, and every page says "Page N of M". */
guint                 kassa_invoice_document_get_n_pages        (KassaInvoiceDocument *self,
                                                                 double                width,
                                                                 double                height);
void                  kassa_invoice_document_draw_page          (KassaInvoiceDocument *self,
                                                                 cairo_t              *cr,
                                                                 double                width,
                                                                 double                height,
                                                                 guint                 page_nr);

GBytes               *kassa_print_invoice_to_pdf_bytes          (KassaInvoiceDocument *document,
                                                                 KassaPageFormat       format,
                                                                 GError              **error);
gboolean              kassa_print_invoice_to_pdf                (KassaInvoiceDocument *document,
                                                                 KassaPageFormat       format,
                                                                 const char           *path,
                                                                 GError              **error);

G_END_DECLS
