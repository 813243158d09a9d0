/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kassa-invoice.h"
#include "kassa-invoice-repository.h"
#include "kassa-shop.h"
#include "kassa-shop-maintenance.h"

G_BEGIN_DECLS

/* Invoices and credit notes: imports from other systems, issuing,
 * crediting, and invoices as JSON for scripts.
 *
 * kassa_shop_import_invoices() reads a JSON array of
 *
 *   [{"customer": {"name", "email"}, "currency", "prices_include_tax"?,
 *     "issue_date", "due_date", "lines": [{"name", "description"?,
 *     "quantity", "unit_price", "tax_rate"}], "issue": true|false}]
 *
 * (amounts decimal strings, rates percents, dates ISO 8601; optionally
 * the stated "untaxed", "tax" and "total", refused when the engine
 * disagrees). Each becomes a draft; with "issue": true it is issued at
 * once with the next gapless number of the store's invoice number
 * format for the year of its issue date, and a public token. All or
 * nothing in one transaction, errors naming the member
 * ("invoices[1].lines[0].tax_rate: …"). Every invoice issued is
 * journalled; everything is audited. Needs
 * KASSA_PERMISSION_MANAGE_INVOICES.
 *
 * Returns: (transfer full): [{"id": 1, "reference": "INV-2026-00001" or
 *   null, "untaxed": "10.00", "tax": "2.00", "total": "12.00"}]
 */
JsonNode     *kassa_shop_import_invoices   (KassaShop              *self,
                                            const char             *json,
                                            gssize                  length,
                                            KassaShopProgressFunc   progress,
                                            gpointer                user_data,
                                            GError                **error);

/* Issues draft @invoice_id at @now (its due date, or @now plus the
 * store's due days when it has none) with the next number and a public
 * token, journalled and audited. Needs KASSA_PERMISSION_MANAGE_INVOICES.
 * Returns: (transfer full): the issued invoice */
KassaInvoice *kassa_shop_issue_invoice     (KassaShop              *self,
                                            gint64                  invoice_id,
                                            GDateTime              *now,
                                            GError                **error);

/* Invoices order @order_id as it was sold (its lines, its shipping as a
 * last line, its tax rules, the customer's name, e-mail and billing
 * address) and issues the invoice at @now, linked to the order so its
 * receipt can point at it. An order with discounts cannot be invoiced
 * this way (KASSA_ERROR_INVALID). A paid order's invoice records the
 * payment. Needs KASSA_PERMISSION_MANAGE_INVOICES.
 * Returns: (transfer full): the issued invoice */
KassaInvoice *kassa_shop_invoice_order     (KassaShop              *self,
                                            gint64                  order_id,
                                            GDateTime              *now,
                                            GError                **error);

/* Issues a credit note for issued or paid invoice @invoice_id at @now:
 * for all of it when @quantities is NULL, else with line i's quantity
 * (thousandths) set to @quantities[i], lines of quantity 0 left out
 * (@n_quantities must be the invoice's number of lines). The invoice is
 * marked credited once its notes credit all of it. Journalled as
 * "credit-note" and audited. Needs KASSA_PERMISSION_MANAGE_INVOICES.
 * Returns: (transfer full): the issued credit note */
KassaInvoice *kassa_shop_credit_invoice    (KassaShop              *self,
                                            gint64                  invoice_id,
                                            const gint64           *quantities,
                                            guint                   n_quantities,
                                            GDateTime              *now,
                                            GError                **error);

/* By reference ("INV-2026-00001"), or by id when @reference_or_id is
 * all digits and no invoice has that reference. */
KassaInvoice *kassa_shop_find_invoice      (KassaShop              *self,
                                            const char             *reference_or_id,
                                            GError                **error);

/* Newest first; @filter may be NULL; at most @limit (0: 100).
 * Returns: (transfer full) (element-type KassaInvoice) */
GPtrArray    *kassa_shop_list_invoices     (KassaShop              *self,
                                            const KassaInvoiceFilter *filter,
                                            guint                   limit,
                                            GError                **error);

/* An invoice as JSON: id, kind, status, reference, the invoice a credit
 * note credits, order id, buyer, currency, dates, totals as decimal
 * strings, payment record, public link; with @details its lines too. */
JsonNode     *kassa_shop_invoice_to_json   (KassaShop              *self,
                                            KassaInvoice           *invoice,
                                            gboolean                details,
                                            GError                **error);

/* Where customers see an issued invoice: the page Stripe hosts for it
 * when there is one, else the store's public link base followed by the
 * invoice's token. *@out_link is NULL for a draft or when the store has
 * neither. */
gboolean      kassa_shop_get_invoice_link  (KassaShop              *self,
                                            KassaInvoice           *invoice,
                                            char                  **out_link,
                                            GError                **error);

/* The base URL of public invoice pages ("https://shop.example/i/"), an
 * http or https URL; NULL removes it. Needs
 * KASSA_PERMISSION_MANAGE_SETTINGS. */
#define KASSA_SHOP_INVOICE_LINK_BASE_KEY "invoice.public-link-base"
gboolean      kassa_shop_set_invoice_link_base (KassaShop          *self,
                                                const char         *base,
                                                GError            **error);
char         *kassa_shop_get_invoice_link_base (KassaShop          *self,
                                                GError            **error);

G_END_DECLS
