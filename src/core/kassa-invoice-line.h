/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-core-enums.h"

G_BEGIN_DECLS

/* One line of an invoice: quantity in thousandths, net unit price in
 * minor units of the invoice's currency, VAT rate in ppm. The invoice
 * locks its lines when it is issued; from then on every setter fails
 * with KASSA_ERROR_LOCKED and "locked" cannot be cleared. */

#define KASSA_TYPE_INVOICE_LINE (kassa_invoice_line_get_type ())

G_DECLARE_FINAL_TYPE (KassaInvoiceLine, kassa_invoice_line, KASSA, INVOICE_LINE, GObject)

KassaInvoiceLine  *kassa_invoice_line_new             (void);
const char        *kassa_invoice_line_get_name        (KassaInvoiceLine *self);
gboolean           kassa_invoice_line_set_name        (KassaInvoiceLine  *self,
                                                       const char        *name,
                                                       GError           **error);
const char        *kassa_invoice_line_get_description (KassaInvoiceLine *self);
gboolean           kassa_invoice_line_set_description (KassaInvoiceLine  *self,
                                                       const char        *description,
                                                       GError           **error);
gint64             kassa_invoice_line_get_quantity    (KassaInvoiceLine *self);
gboolean           kassa_invoice_line_set_quantity    (KassaInvoiceLine  *self,
                                                       gint64             quantity,
                                                       GError           **error);
gint64             kassa_invoice_line_get_unit_price  (KassaInvoiceLine *self);
gboolean           kassa_invoice_line_set_unit_price  (KassaInvoiceLine  *self,
                                                       gint64             unit_price,
                                                       GError           **error);
gint64             kassa_invoice_line_get_tax_rate    (KassaInvoiceLine *self);
gboolean           kassa_invoice_line_set_tax_rate    (KassaInvoiceLine  *self,
                                                       gint64             tax_rate,
                                                       GError           **error);
gboolean           kassa_invoice_line_get_locked      (KassaInvoiceLine *self);
void               kassa_invoice_line_set_locked      (KassaInvoiceLine *self,
                                                       gboolean          locked);

G_END_DECLS
