/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-database.h"
#include "kassa-order-repository.h"

G_BEGIN_DECLS

/**
 * KassaRefundReason:
 * @KASSA_REFUND_REASON_REQUESTED_BY_CUSTOMER: the customer asked for it
 * @KASSA_REFUND_REASON_DUPLICATE: the customer paid twice
 * @KASSA_REFUND_REASON_FRAUDULENT: the payment was fraudulent
 * @KASSA_REFUND_REASON_OTHER: anything else; the note says what
 *
 * Why money went back; the first three are Stripe's reasons.
 */
typedef enum
{
  KASSA_REFUND_REASON_REQUESTED_BY_CUSTOMER,
  KASSA_REFUND_REASON_DUPLICATE,
  KASSA_REFUND_REASON_FRAUDULENT,
  KASSA_REFUND_REASON_OTHER,
} KassaRefundReason;

/**
 * KassaRefundStatus:
 * @KASSA_REFUND_STATUS_PENDING: asked for, not confirmed (a Stripe refund
 *   on its way); its amount is already held against the payment
 * @KASSA_REFUND_STATUS_SUCCEEDED: the money went back
 * @KASSA_REFUND_STATUS_FAILED: it did not; the amount is free again
 * @KASSA_REFUND_STATUS_UNKNOWN: the request's outcome is not known yet
 *   (timeout); held like a pending refund
 */
typedef enum
{
  KASSA_REFUND_STATUS_PENDING,
  KASSA_REFUND_STATUS_SUCCEEDED,
  KASSA_REFUND_STATUS_FAILED,
  KASSA_REFUND_STATUS_UNKNOWN,
} KassaRefundStatus;

/**
 * KassaRefundLine:
 * @line_position: the refunded order line (its position in the order)
 * @quantity: thousandths given back, more than zero
 * @amount: minor units refunded for it, more than zero
 */
typedef struct
{
  guint  line_position;
  gint64 quantity;
  gint64 amount;
} KassaRefundLine;

/**
 * KassaRefund:
 * @id: 0 until stored
 * @order_id: the refunded order
 * @payment_id: the payment the money goes back to; 0 lets the store pick
 *   the first payment with enough left
 * @amount: minor units in the order's currency; with @lines, their sum
 * @currency_code: (nullable): the order's currency; filled when NULL
 * @reason: why
 * @note: (nullable): free text
 * @status: where the refund stands
 * @stripe_refund_id: (nullable): Stripe's `re_…` id
 * @idempotency_key: (nullable): the key of the Stripe request
 * @requested_by: staff id, or 0
 * @approved_by: staff id, or 0
 * @created_at: (nullable): set by the store
 * @updated_at: (nullable): set by the store
 * @lines: (element-type KassaRefundLine) (nullable): returned lines, or
 *   %NULL for a refund of an amount only
 */
typedef struct
{
  gint64             id;
  gint64             order_id;
  gint64             payment_id;
  gint64             amount;
  char              *currency_code;
  KassaRefundReason  reason;
  char              *note;
  KassaRefundStatus  status;
  char              *stripe_refund_id;
  char              *idempotency_key;
  gint64             requested_by;
  gint64             approved_by;
  GDateTime         *created_at;
  GDateTime         *updated_at;
  GArray            *lines;
} KassaRefund;

#define KASSA_TYPE_REFUND (kassa_refund_get_type ())

GType        kassa_refund_get_type  (void) G_GNUC_CONST;
KassaRefund *kassa_refund_new       (void);
KassaRefund *kassa_refund_copy      (const KassaRefund *refund);
void         kassa_refund_free      (KassaRefund       *refund);
void         kassa_refund_add_line  (KassaRefund       *refund,
                                     guint              line_position,
                                     gint64             quantity,
                                     gint64             amount);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KassaRefund, kassa_refund_free)

#define KASSA_TYPE_REFUND_REPOSITORY (kassa_refund_repository_get_type ())

G_DECLARE_FINAL_TYPE (KassaRefundRepository, kassa_refund_repository, KASSA, REFUND_REPOSITORY, GObject)

KassaRefundRepository *kassa_refund_repository_new                 (KassaDatabase          *database);

gint64                 kassa_refund_repository_create              (KassaRefundRepository  *self,
                                                                    KassaRefund            *refund,
                                                                    GError                **error);
gboolean               kassa_refund_repository_set_status          (KassaRefundRepository  *self,
                                                                    gint64                  refund_id,
                                                                    KassaRefundStatus       status,
                                                                    const char             *stripe_refund_id,
                                                                    GError                **error);
KassaRefund           *kassa_refund_repository_load                (KassaRefundRepository  *self,
                                                                    gint64                  refund_id,
                                                                    GError                **error);
KassaRefund           *kassa_refund_repository_load_by_stripe_id   (KassaRefundRepository  *self,
                                                                    const char             *stripe_refund_id,
                                                                    GError                **error);
GPtrArray             *kassa_refund_repository_list_by_order       (KassaRefundRepository  *self,
                                                                    gint64                  order_id,
                                                                    GError                **error);

G_END_DECLS
