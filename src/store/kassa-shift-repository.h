/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-database.h"
#include "kassa-journal.h"
#include "kassa-store-enums.h"

G_BEGIN_DECLS

/* Shifts at the till: opened with a float by a staff member, cash paid
 * in and out with a reason, "no sale" drawer openings with a reason, and
 * a close that counts the drawer by denomination and freezes a numbered
 * Z report. One open shift per register.
 *
 * Expected cash = float + cash sales − cash refunds + paid in − paid out.
 * Cash sales are the succeeded payments of provider "cash" of the orders
 * rung up in the shift (order.shift_id); cash refunds are the succeeded
 * refunds of cash payments paid out of the shift's drawer
 * (refund.shift_id), whichever shift the sale was in. */

#define KASSA_SHIFT_DEFAULT_REGISTER "main"

typedef struct
{
  gint64  id;
  char   *register_name;
  gboolean closed;
  char   *currency;
  gint64  opened_by;
  char   *opened_at;
  gint64  opening_float;
  gint64  closed_by;      /* 0 while open */
  char   *closed_at;      /* NULL while open */
  gint64  z_number;       /* 0 while open */
  gint64  counted_cash;
  gint64  expected_cash;
  char   *z_report;       /* canonical JSON, NULL while open */
} KassaShiftRecord;

#define KASSA_TYPE_SHIFT_RECORD (kassa_shift_record_get_type ())

GType             kassa_shift_record_get_type (void) G_GNUC_CONST;
KassaShiftRecord *kassa_shift_record_copy     (const KassaShiftRecord *record);
void              kassa_shift_record_free     (KassaShiftRecord       *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KassaShiftRecord, kassa_shift_record_free)

/* The drawer's figures, all in minor units of the shift's currency. */
typedef struct
{
  gint64 opening_float;
  gint64 cash_sales;
  gint64 cash_refunds;
  gint64 paid_in;
  gint64 paid_out;
  gint64 no_sales;        /* how many times the drawer opened without a sale */
  gint64 expected_cash;
} KassaShiftCash;

/* One line of the closing count: @count notes or coins of @denomination
 * minor units. */
typedef struct
{
  gint64 denomination;
  gint64 count;
} KassaDenominationCount;

/* What one payment provider took in a shift: the succeeded payments of
 * the orders rung up in it, before refunds. */
typedef struct
{
  char   *provider;
  gint64  payments;
  gint64  amount;
} KassaShiftTender;

void kassa_shift_tender_free (KassaShiftTender *tender);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KassaShiftTender, kassa_shift_tender_free)

#define KASSA_TYPE_SHIFT_REPOSITORY (kassa_shift_repository_get_type ())

G_DECLARE_FINAL_TYPE (KassaShiftRepository, kassa_shift_repository, KASSA, SHIFT_REPOSITORY, GObject)

KassaShiftRepository *kassa_shift_repository_new          (KassaDatabase                 *database);

/* Returns: the new shift's id, or 0 with @error set
 * (KASSA_STORE_ERROR_CONSTRAINT when @register_name has an open shift). */
gint64                kassa_shift_repository_open         (KassaShiftRepository          *self,
                                                           const char                    *register_name,
                                                           gint64                         staff_id,
                                                           const char                    *currency,
                                                           gint64                         opening_float,
                                                           GError                       **error);
KassaShiftRecord     *kassa_shift_repository_get          (KassaShiftRepository          *self,
                                                           gint64                         shift_id,
                                                           GError                       **error);
/* The register's open shift, or NULL without an error when none is. */
KassaShiftRecord     *kassa_shift_repository_get_open     (KassaShiftRepository          *self,
                                                           const char                    *register_name,
                                                           GError                       **error);
/* Paid in and paid out need an amount > 0, a no-sale 0; all need a
 * reason. Returns: the movement's id, or 0 with @error set. */
gint64                kassa_shift_repository_add_movement (KassaShiftRepository          *self,
                                                           gint64                         shift_id,
                                                           KassaCashMovementKind          kind,
                                                           gint64                         amount,
                                                           const char                    *reason,
                                                           gint64                         staff_id,
                                                           GError                       **error);
gboolean              kassa_shift_repository_compute_cash (KassaShiftRepository          *self,
                                                           gint64                         shift_id,
                                                           KassaShiftCash                *cash,
                                                           GError                       **error);
/* The shift's takings by provider, by provider id; an array of
 * KassaShiftTender that frees its elements. */
GPtrArray            *kassa_shift_repository_list_tenders (KassaShiftRepository          *self,
                                                           gint64                         shift_id,
                                                           GError                       **error);
/* Counts the drawer, computes what it should hold, takes the next Z
 * number, freezes the Z report and appends it to @journal, all in one
 * transaction. The report freezes the takings by provider too, so card
 * totals can be reconciled later against what the provider paid out.
 * Denominations must be distinct. Returns: the Z number,
 * or 0 with @error set. */
gint64                kassa_shift_repository_close        (KassaShiftRepository          *self,
                                                           gint64                         shift_id,
                                                           gint64                         staff_id,
                                                           const KassaDenominationCount  *counts,
                                                           gsize                          n_counts,
                                                           KassaJournal                  *journal,
                                                           GError                       **error);
/* The closing count, by denomination from the largest. */
GArray               *kassa_shift_repository_get_counts   (KassaShiftRepository          *self,
                                                           gint64                         shift_id,
                                                           GError                       **error);

G_END_DECLS
