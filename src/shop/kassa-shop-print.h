/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kassa-invoice-document.h"
#include "kassa-print-enums.h"
#include "kassa-receipt.h"
#include "kassa-shop.h"

G_BEGIN_DECLS

/* Receipts and invoices of stored documents, printed through the shop.
 *
 * A receipt shows the store profile, the cashier who rang the sale up,
 * the order's lines and tenders, and its totals from the totals engine
 * with the cash rounding stored with the order; an invoiced order's
 * receipt carries the public link of its invoice (the issued invoice
 * whose order_id is the order).
 *
 * The first receipt printed through the shop for an order is the
 * original; every later one is a reprint, marked DUPLICATE with its
 * count. Both are recorded in the audit log ("receipt.print",
 * "receipt.reprint" on the order), and the count is read back from
 * there: the audit log must hold every reprint anyway, so counting it
 * keeps one record that cannot disagree with a counter, the entity
 * index keeps the count cheap, and the count and the new entry are
 * written in one transaction so two tills never print the same count. */

typedef enum
{
  KASSA_SHOP_RECEIPT_FORMAT_PDF,
  KASSA_SHOP_RECEIPT_FORMAT_PNG,
  KASSA_SHOP_RECEIPT_FORMAT_ESCPOS,
} KassaShopReceiptFormat;

/* The format @path's extension names: .pdf, .png, .escpos (or .bin).
 * FALSE for any other. */
gboolean      kassa_shop_receipt_format_from_path (const char              *path,
                                                   KassaShopReceiptFormat  *out_format);

/* The receipt of order @order_id as it stands, without recording a
 * print (reprint count 0): for an on-screen preview. Needs
 * KASSA_PERMISSION_SELL. */
KassaReceipt *kassa_shop_build_receipt            (KassaShop               *self,
                                                   gint64                   order_id,
                                                   GError                 **error);

/* Renders the receipt of order @order_id in @format for @paper and
 * writes it to @path atomically, recording the print in the same
 * transaction (nothing is recorded when writing fails). The ESC/POS
 * stream ends with a cut and never opens the drawer. @out_reprint_count
 * (nullable) receives 0 for the original, N for the Nth reprint. Needs
 * KASSA_PERMISSION_SELL. */
gboolean      kassa_shop_print_receipt            (KassaShop               *self,
                                                   gint64                   order_id,
                                                   KassaShopReceiptFormat   format,
                                                   KassaReceiptPaper        paper,
                                                   const char              *path,
                                                   guint                   *out_reprint_count,
                                                   GError                 **error);

/* The till printed the original receipt of @order_id at the sale: later
 * prints are reprints. */
gboolean      kassa_shop_record_receipt_printed   (KassaShop               *self,
                                                   gint64                   order_id,
                                                   GError                 **error);

/* The document of an issued invoice or credit note (found by reference
 * or id), with its public link (see kassa_shop_get_invoice_link()) and,
 * for a credit note, the reference of the invoice it credits. A draft
 * is refused. Needs KASSA_PERMISSION_MANAGE_INVOICES or
 * KASSA_PERMISSION_VIEW_REPORTS. */
KassaInvoiceDocument *kassa_shop_build_invoice_document (KassaShop     *self,
                                                         const char    *reference,
                                                         GError       **error);
/* The same as a PDF written atomically to @path. */
gboolean      kassa_shop_print_invoice_pdf        (KassaShop               *self,
                                                   const char              *reference,
                                                   KassaPageFormat          format,
                                                   const char              *path,
                                                   GError                 **error);

/* Where to e-mail the receipt of @order: its customer's address in
 * *@out_email, NULL there (and TRUE) for the walk-in customer or a
 * customer without one. Needs KASSA_PERMISSION_SELL. */
gboolean      kassa_shop_get_receipt_email        (KassaShop               *self,
                                                   KassaOrder              *order,
                                                   char                   **out_email,
                                                   GError                 **error);

G_END_DECLS
