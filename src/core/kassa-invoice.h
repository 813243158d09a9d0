/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kassa-core-enums.h"
#include "kassa-invoice-line.h"

G_BEGIN_DECLS

/* An invoice or a credit note. Amounts in minor units of
 * "currency-code"; line prices gross or net after "prices-include-tax"
 * (net by default, as business customers expect). The buyer's name,
 * e-mail and address are copied onto it before it is issued, exactly as
 * typed, so it keeps showing what was true that day.
 *
 * A draft is freely editable. Issuing it (kassa_invoice_issue(), or
 * "status" set to issued once reference and issue date are set) checks
 * that it is complete and freezes it: every setter and mutator of its
 * content then fails with KASSA_ERROR_LOCKED, and mistakes are
 * corrected with a credit note (kassa_invoice_new_credit_note()).
 * Payment fields are a settlement record, not content, and stay
 * settable; kassa_invoice_record_payment() is the way to use them. The
 * public token is content: it is set before issue and then stays.
 *
 * A store loading an invoice builds the draft, adds its lines, then
 * replays its status (issued, then paid or credited); the same checks
 * run, so a damaged row is caught on load.
 *
 * The public token is not generated here: GLib's random numbers are not
 * meant for secrets, so the store draws at least 16 bytes from
 * libsodium's randombytes_buf() and encodes them as unpadded
 * base64url before setting it. */

#define KASSA_INVOICE_TOKEN_MIN_LENGTH 22

#define KASSA_TYPE_INVOICE (kassa_invoice_get_type ())

G_DECLARE_FINAL_TYPE (KassaInvoice, kassa_invoice, KASSA, INVOICE, GObject)

KassaInvoice      *kassa_invoice_new                     (void);
gint64             kassa_invoice_get_id                  (KassaInvoice *self);
void               kassa_invoice_set_id                  (KassaInvoice *self,
                                                          gint64        id);
KassaInvoiceKind   kassa_invoice_get_kind                (KassaInvoice *self);
gboolean           kassa_invoice_set_kind                (KassaInvoice      *self,
                                                          KassaInvoiceKind   kind,
                                                          GError           **error);
KassaInvoiceStatus kassa_invoice_get_status              (KassaInvoice *self);
gboolean           kassa_invoice_set_status              (KassaInvoice        *self,
                                                          KassaInvoiceStatus   status,
                                                          GError             **error);
const char        *kassa_invoice_get_reference           (KassaInvoice *self);
gboolean           kassa_invoice_set_reference           (KassaInvoice  *self,
                                                          const char    *reference,
                                                          GError       **error);
gint64             kassa_invoice_get_credited_invoice_id (KassaInvoice *self);
gboolean           kassa_invoice_set_credited_invoice_id (KassaInvoice  *self,
                                                          gint64         credited_invoice_id,
                                                          GError       **error);
gint64             kassa_invoice_get_customer_id         (KassaInvoice *self);
gboolean           kassa_invoice_set_customer_id         (KassaInvoice  *self,
                                                          gint64         customer_id,
                                                          GError       **error);
const char        *kassa_invoice_get_currency_code       (KassaInvoice *self);
gboolean           kassa_invoice_set_currency_code       (KassaInvoice  *self,
                                                          const char    *currency_code,
                                                          GError       **error);
GDateTime         *kassa_invoice_get_issue_date          (KassaInvoice *self);
gboolean           kassa_invoice_set_issue_date          (KassaInvoice  *self,
                                                          GDateTime     *issue_date,
                                                          GError       **error);
GDateTime         *kassa_invoice_get_due_date            (KassaInvoice *self);
gboolean           kassa_invoice_set_due_date            (KassaInvoice  *self,
                                                          GDateTime     *due_date,
                                                          GError       **error);
gint64             kassa_invoice_get_paid_amount         (KassaInvoice *self);
void               kassa_invoice_set_paid_amount         (KassaInvoice *self,
                                                          gint64        paid_amount);
const char        *kassa_invoice_get_paid_method         (KassaInvoice *self);
void               kassa_invoice_set_paid_method         (KassaInvoice *self,
                                                          const char   *paid_method);
GDateTime         *kassa_invoice_get_paid_at             (KassaInvoice *self);
void               kassa_invoice_set_paid_at             (KassaInvoice *self,
                                                          GDateTime    *paid_at);
const char        *kassa_invoice_get_public_token        (KassaInvoice *self);
gboolean           kassa_invoice_set_public_token        (KassaInvoice  *self,
                                                          const char    *public_token,
                                                          GError       **error);

/* At least 22 characters of [A-Za-z0-9_-]: 128 bits in base64url. */
gboolean           kassa_invoice_token_is_valid         (const char        *token);
gboolean           kassa_invoice_is_locked              (KassaInvoice      *self);

/* KassaInvoiceLine items; read-only, change lines through the invoice. */
GListModel        *kassa_invoice_get_lines              (KassaInvoice      *self);
gboolean           kassa_invoice_add_line               (KassaInvoice      *self,
                                                         KassaInvoiceLine  *line,
                                                         GError           **error);
gboolean           kassa_invoice_remove_line            (KassaInvoice      *self,
                                                         guint              position,
                                                         GError           **error);

/* Draft → issued with its reference number and issue date. On failure
 * the invoice is unchanged, so the caller can give the number back. */
gboolean           kassa_invoice_issue                  (KassaInvoice      *self,
                                                         const char        *reference,
                                                         GDateTime         *issue_date,
                                                         GError           **error);
/* Issued → paid, recording amount, method label and time. */
gboolean           kassa_invoice_record_payment         (KassaInvoice      *self,
                                                         gint64             amount,
                                                         const char        *method,
                                                         GDateTime         *paid_at,
                                                         GError           **error);
/* A draft credit note for all lines of this issued or paid invoice;
 * remove lines or change quantities for a partial credit. The invoice
 * itself moves to credited only when the caller decides it is credited
 * in full. */
KassaInvoice      *kassa_invoice_new_credit_note        (KassaInvoice      *self,
                                                         GError           **error);

gint64            kassa_invoice_get_order_id           (KassaInvoice *self);
gboolean          kassa_invoice_set_order_id           (KassaInvoice  *self,
                                                        gint64         order_id,
                                                        GError       **error);
const char       *kassa_invoice_get_buyer_name         (KassaInvoice *self);
gboolean          kassa_invoice_set_buyer_name         (KassaInvoice  *self,
                                                        const char    *buyer_name,
                                                        GError       **error);
const char       *kassa_invoice_get_buyer_email        (KassaInvoice *self);
gboolean          kassa_invoice_set_buyer_email        (KassaInvoice  *self,
                                                        const char    *buyer_email,
                                                        GError       **error);
const char       *kassa_invoice_get_buyer_address      (KassaInvoice *self);
gboolean          kassa_invoice_set_buyer_address      (KassaInvoice  *self,
                                                        const char    *buyer_address,
                                                        GError       **error);
gboolean          kassa_invoice_get_prices_include_tax (KassaInvoice *self);
gboolean          kassa_invoice_set_prices_include_tax (KassaInvoice  *self,
                                                        gboolean       prices_include_tax,
                                                        GError       **error);
KassaTaxScope     kassa_invoice_get_tax_scope          (KassaInvoice *self);
gboolean          kassa_invoice_set_tax_scope          (KassaInvoice   *self,
                                                        KassaTaxScope   tax_scope,
                                                        GError        **error);
KassaRoundingMode kassa_invoice_get_rounding           (KassaInvoice *self);
gboolean          kassa_invoice_set_rounding           (KassaInvoice       *self,
                                                        KassaRoundingMode   rounding,
                                                        GError            **error);

G_END_DECLS
