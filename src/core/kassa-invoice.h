/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-core-enums.h"

G_BEGIN_DECLS

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

G_END_DECLS
