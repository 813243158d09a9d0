/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-shift-repository.h"
#include "kassa-shop.h"

G_BEGIN_DECLS

/* Shifts at the till: the use cases around one register's drawer.
 *
 * Who may do what (checked here, whatever the UI shows):
 * - open a shift: sell or manage-shifts. The till refuses sales without
 *   an open shift, and the cashier who comes in first must be able to
 *   start the day without waiting for a manager.
 * - paid in, paid out: open-drawer or manage-shifts. Paying a delivery
 *   at the door is a cashier's job; the mandatory reason and the audit
 *   entry are what keep it honest.
 * - no sale: open-drawer, with a reason, audited.
 * - X report: view-reports or manage-shifts. Cashiers cannot see it: the
 *   expected cash is what a blind close keeps from them until they have
 *   counted.
 * - close: sell or manage-shifts. The cashier counts by denomination
 *   first and sees the Z report with the expected cash and the over or
 *   short only afterwards.
 * - a Z report of an earlier shift: view-reports or manage-shifts.
 *
 * Every step that moves money or opens the drawer writes an audit entry
 * in the same transaction; the close is journaled with its Z report.
 * @register_name NULL means KASSA_SHIFT_DEFAULT_REGISTER. */

/* Card and QR takings of these providers are reconciled against Stripe. */
#define KASSA_SHIFT_STRIPE_PROVIDER_PREFIX "stripe"

typedef struct
{
  gboolean  final;            /* TRUE for a Z report, FALSE for an X report */
  gint64    shift_id;
  gint64    z_number;         /* 0 for an X report */
  char     *register_name;
  char     *currency;
  gint64    opened_by;
  char     *opened_by_name;
  char     *opened_at;        /* ISO 8601, UTC */
  gint64    closed_by;        /* 0 for an X report */
  char     *closed_by_name;   /* NULL for an X report */
  char     *closed_at;        /* NULL for an X report */

  /* The drawer, in minor units of @currency. */
  gint64    opening_float;
  gint64    cash_sales;
  gint64    cash_refunds;
  gint64    paid_in;
  gint64    paid_out;
  gint64    no_sales;
  gint64    expected_cash;
  gint64    counted_cash;     /* 0 for an X report */
  gint64    difference;       /* counted − expected: > 0 over, < 0 short */

  GArray   *counts;           /* KassaDenominationCount, largest first; empty for X */
  GPtrArray *tenders;         /* KassaShiftTender, by provider */
  gint64    card_total;       /* the tenders of Stripe providers */

  /* Z only: the journal before the close, which the printed report
   * vouches for (0 and NULL for X reports and older Z reports). */
  gint64    journal_entries;
  char     *journal_hash;
} KassaShiftReport;

#define KASSA_TYPE_SHIFT_REPORT (kassa_shift_report_get_type ())

GType             kassa_shift_report_get_type (void) G_GNUC_CONST;
KassaShiftReport *kassa_shift_report_copy     (const KassaShiftReport *report);
void              kassa_shift_report_free     (KassaShiftReport       *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KassaShiftReport, kassa_shift_report_free)

/* The notes and coins of @currency_code in minor units, largest first,
 * for the closing count (CHF, EUR, USD, GBP and others; a 1-2-5 series
 * for currencies without a table). */
const gint64     *kassa_shift_get_denominations (const char   *currency_code,
                                                 gsize        *n_denominations);

/* The register's open shift, or NULL without an error when none is.
 * No permission needed: the till must know whether it may sell. */
KassaShiftRecord *kassa_shop_get_open_shift  (KassaShop                     *shop,
                                              const char                    *register_name,
                                              GError                       **error);
/* The currency the register's drawer counts in: its open shift's, else
 * the store's, which a new shift opens with. */
char             *kassa_shop_get_shift_currency (KassaShop                  *shop,
                                                 const char                 *register_name,
                                                 GError                    **error);
/* Opens a shift in the store's currency. Returns: its id, or 0. */
gint64            kassa_shop_open_shift      (KassaShop                     *shop,
                                              const char                    *register_name,
                                              gint64                         opening_float,
                                              GError                       **error);
/* Returns: the movement's id, or 0 with @error set. */
gint64            kassa_shop_paid_in         (KassaShop                     *shop,
                                              const char                    *register_name,
                                              gint64                         amount,
                                              const char                    *reason,
                                              GError                       **error);
gint64            kassa_shop_paid_out        (KassaShop                     *shop,
                                              const char                    *register_name,
                                              gint64                         amount,
                                              const char                    *reason,
                                              GError                       **error);
gint64            kassa_shop_no_sale         (KassaShop                     *shop,
                                              const char                    *register_name,
                                              const char                    *reason,
                                              GError                       **error);
/* The open shift's figures so far. */
KassaShiftReport *kassa_shop_get_x_report    (KassaShop                     *shop,
                                              const char                    *register_name,
                                              GError                       **error);
/* Closes the open shift with the drawer counted by denomination.
 * Returns: the frozen Z report. */
KassaShiftReport *kassa_shop_close_shift     (KassaShop                     *shop,
                                              const char                    *register_name,
                                              const KassaDenominationCount  *counts,
                                              gsize                          n_counts,
                                              GError                       **error);
/* The frozen Z report of a closed shift, read from what was stored. */
KassaShiftReport *kassa_shop_get_z_report    (KassaShop                     *shop,
                                              gint64                         shift_id,
                                              GError                       **error);

G_END_DECLS
