/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Invoice reference numbers such as INV-2026-00042, from a pattern of
 * literal text and these fields:
 *
 *   {YYYY}   the issue year, four digits
 *   {YY}     the issue year, last two digits
 *   {MM}     the issue month, two digits
 *   {SEQ}    the sequence number, as many digits as it has
 *   {SEQ:N}  the sequence number, zero-padded to at least N digits (1–12)
 *
 * The sequence counts issued invoices per calendar year of the issue
 * date: the first invoice issued in a year gets 1. That is why every
 * pattern must hold {YYYY} or {YY} (or numbers would repeat after the
 * reset) and exactly one {SEQ}. A sequence that outgrows its width gets
 * more digits rather than wrapping. The counter itself lives in the
 * store, which takes the next number in the same transaction that
 * issues the invoice, so numbers stay gapless. */

#define KASSA_INVOICE_NUMBER_DEFAULT_PATTERN "INV-{YYYY}-{SEQ:5}"

#define KASSA_TYPE_INVOICE_NUMBER_FORMAT (kassa_invoice_number_format_get_type ())

typedef struct _KassaInvoiceNumberFormat KassaInvoiceNumberFormat;

GType                     kassa_invoice_number_format_get_type    (void) G_GNUC_CONST;

/* KASSA_ERROR_INVALID naming what is wrong with @pattern. */
KassaInvoiceNumberFormat *kassa_invoice_number_format_new         (const char                *pattern,
                                                                   GError                   **error);
KassaInvoiceNumberFormat *kassa_invoice_number_format_ref         (KassaInvoiceNumberFormat  *self);
void                      kassa_invoice_number_format_unref       (KassaInvoiceNumberFormat  *self);
const char               *kassa_invoice_number_format_get_pattern (KassaInvoiceNumberFormat  *self);

/* @year 1–9999, @month 1–12, @sequence ≥ 1. */
char                     *kassa_invoice_number_format_format      (KassaInvoiceNumberFormat  *self,
                                                                   guint                      year,
                                                                   guint                      month,
                                                                   guint64                    sequence,
                                                                   GError                   **error);
/* The reverse, for finding where a year's sequence stands. Any out
 * argument may be NULL. With {YY} only, the year is 2000 + YY; without
 * {MM}, @month is 0. */
gboolean                  kassa_invoice_number_format_parse       (KassaInvoiceNumberFormat  *self,
                                                                   const char                *number,
                                                                   guint                     *year,
                                                                   guint                     *month,
                                                                   guint64                   *sequence,
                                                                   GError                   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KassaInvoiceNumberFormat, kassa_invoice_number_format_unref)

G_END_DECLS
