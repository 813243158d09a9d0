/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-database.h"
#include "kassa-invoice.h"
#include "kassa-invoice-number.h"

G_BEGIN_DECLS

/* Invoices and credit notes in the database.
 *
 * Drafts are saved with their lines and stay editable. Issuing one
 * takes the next number of its kind's sequence for the issue year in
 * the same transaction that freezes it, so a rolled-back issue gives its
 * number back and two tills never share one. The schema's triggers keep
 * an issued invoice as issued: only its payment (once), its status
 * moving on and its Stripe link may change. Mistakes and refunds are
 * corrected with credit notes, which have their own sequence and never
 * touch the invoice they credit.
 *
 * Invoice objects are not transactional: when a caller rolls back a
 * transaction around an issue or a payment, it reloads the invoice.
 *
 * Errors: KASSA_STORE_ERROR from the database, KASSA_ERROR from the
 * domain rules (KASSA_ERROR_NOT_FOUND for a missing invoice). */

#define KASSA_CREDIT_NOTE_NUMBER_DEFAULT_PATTERN "CN-{YYYY}-{SEQ:5}"

/**
 * KassaInvoiceFilter:
 * @status: a #KassaInvoiceStatus, or -1 for any
 * @kind: a #KassaInvoiceKind, or -1 for any
 * @year: the year of the number (the issue year), or 0 for any; drafts
 *   have none and only match 0
 * @customer_id: the customer, or 0 for any
 */
typedef struct
{
  gint   status;
  gint   kind;
  guint  year;
  gint64 customer_id;
} KassaInvoiceFilter;

#define KASSA_INVOICE_FILTER_INIT { -1, -1, 0, 0 }

#define KASSA_TYPE_INVOICE_REPOSITORY (kassa_invoice_repository_get_type ())

G_DECLARE_FINAL_TYPE (KassaInvoiceRepository, kassa_invoice_repository, KASSA, INVOICE_REPOSITORY, GObject)

KassaInvoiceRepository *kassa_invoice_repository_new              (KassaDatabase            *database);
KassaDatabase          *kassa_invoice_repository_get_database     (KassaInvoiceRepository   *self);

/* Inserts a draft (id 0, which then gets its id) or rewrites a saved
 * one with all its lines. */
gboolean                kassa_invoice_repository_save_draft       (KassaInvoiceRepository   *self,
                                                                   KassaInvoice             *invoice,
                                                                   GError                  **error);
gboolean                kassa_invoice_repository_delete_draft     (KassaInvoiceRepository   *self,
                                                                   gint64                    id,
                                                                   GError                  **error);

/* Saves the draft, numbers it from @format with the next value of its
 * kind's sequence for the year of @issue_time (in @issue_time's time
 * zone: the shop's calendar), stores its totals from the totals engine,
 * its due date (@due_date, or the draft's own when NULL), @public_token
 * and the issue time, and freezes it, in one transaction. @invoice is
 * updated only when that transaction was committed (or folded into the
 * caller's). A credit note must credit an issued invoice of the same
 * customer and currency and, with the notes issued before it, credit no
 * more than that invoice's total. */
gboolean                kassa_invoice_repository_issue            (KassaInvoiceRepository   *self,
                                                                   KassaInvoice             *invoice,
                                                                   KassaInvoiceNumberFormat *format,
                                                                   GDateTime                *issue_time,
                                                                   GDateTime                *due_date,
                                                                   const char               *public_token,
                                                                   GError                  **error);
/* Issued → paid with the amount (minor units of the invoice's
 * currency), method label and time of the payment. */
gboolean                kassa_invoice_repository_record_payment   (KassaInvoiceRepository   *self,
                                                                   KassaInvoice             *invoice,
                                                                   gint64                    amount,
                                                                   const char               *method,
                                                                   GDateTime                *paid_at,
                                                                   GError                  **error);
/* Issued or paid → credited, once the caller has credited it in full. */
gboolean                kassa_invoice_repository_mark_credited    (KassaInvoiceRepository   *self,
                                                                   KassaInvoice             *invoice,
                                                                   GError                  **error);

KassaInvoice           *kassa_invoice_repository_load             (KassaInvoiceRepository   *self,
                                                                   gint64                    id,
                                                                   GError                  **error);
KassaInvoice           *kassa_invoice_repository_load_by_reference (KassaInvoiceRepository  *self,
                                                                   const char               *reference,
                                                                   GError                  **error);
KassaInvoice           *kassa_invoice_repository_load_by_token    (KassaInvoiceRepository   *self,
                                                                   const char               *public_token,
                                                                   GError                  **error);

/* The newest issued invoice (not credit note) made for order
 * @order_id, or NULL with KASSA_ERROR_NOT_FOUND when it has none. */
KassaInvoice           *kassa_invoice_repository_load_for_order   (KassaInvoiceRepository   *self,
                                                                   gint64                    order_id,
                                                                   GError                  **error);
/* The page Stripe hosts for the invoice ("" when Stripe has none): it
 * is a Stripe link, so it may still be set on an issued invoice. */
gboolean                kassa_invoice_repository_get_hosted_url   (KassaInvoiceRepository   *self,
                                                                   gint64                    id,
                                                                   char                    **out_url,
                                                                   GError                  **error);
gboolean                kassa_invoice_repository_set_hosted_url   (KassaInvoiceRepository   *self,
                                                                   gint64                    id,
                                                                   const char               *url,
                                                                   GError                  **error);

/* Newest first: by issue time, drafts by the time they were created.
 * Returns: (transfer full) (element-type KassaInvoice) */
GPtrArray              *kassa_invoice_repository_list             (KassaInvoiceRepository   *self,
                                                                   const KassaInvoiceFilter *filter,
                                                                   guint                     offset,
                                                                   guint                     limit,
                                                                   GError                  **error);
gboolean                kassa_invoice_repository_count            (KassaInvoiceRepository   *self,
                                                                   const KassaInvoiceFilter *filter,
                                                                   guint64                  *out_count,
                                                                   GError                  **error);

/* The issued credit notes of @invoice_id, oldest first.
 * Returns: (transfer full) (element-type KassaInvoice) */
GPtrArray              *kassa_invoice_repository_list_credit_notes (KassaInvoiceRepository  *self,
                                                                   gint64                    invoice_id,
                                                                   GError                  **error);
/* What the issued credit notes of @invoice_id credit in all. */
gboolean                kassa_invoice_repository_get_credited_total (KassaInvoiceRepository *self,
                                                                   gint64                    invoice_id,
                                                                   gint64                   *out_total,
                                                                   GError                  **error);
/* The totals stored when the invoice was issued (or last saved, for a
 * draft), as the engine computed them; any out argument may be NULL. */
gboolean                kassa_invoice_repository_get_stored_totals (KassaInvoiceRepository  *self,
                                                                   gint64                    id,
                                                                   gint64                   *out_untaxed,
                                                                   gint64                   *out_tax,
                                                                   gint64                   *out_total,
                                                                   GError                  **error);

/* The invoice's copy in Stripe, when the store pushed it there: its id
 * and its hosted pay page (the public link). */
gboolean                kassa_invoice_repository_set_stripe_link  (KassaInvoiceRepository  *self,
                                                                   gint64                    id,
                                                                   const char               *stripe_invoice_id,
                                                                   const char               *hosted_invoice_url,
                                                                   GError                  **error);
gboolean                kassa_invoice_repository_get_stripe_link  (KassaInvoiceRepository  *self,
                                                                   gint64                    id,
                                                                   char                    **out_stripe_invoice_id,
                                                                   char                    **out_hosted_invoice_url,
                                                                   GError                  **error);

G_END_DECLS
