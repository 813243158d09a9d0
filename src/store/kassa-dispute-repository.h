/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-core-enums.h"
#include "kassa-database.h"

G_BEGIN_DECLS

/**
 * KassaDispute:
 * @id: 0 until stored
 * @order_id: the disputed order, or 0 when Stripe's charge matches none
 * @payment_id: the disputed payment, or 0
 * @stripe_dispute_id: Stripe's `dp_…` id
 * @stripe_charge_id: (nullable): the disputed charge
 * @status: where the dispute stands (inquiries are the warning states)
 * @reason: (nullable): Stripe's reason (`fraudulent`, `product_not_received`, …)
 * @amount: minor units held or taken back
 * @currency_code: the dispute's currency
 * @evidence_due_by: (nullable): when evidence must reach Stripe
 * @created_at: (nullable): set by the store
 * @updated_at: (nullable): set by the store
 */
typedef struct
{
  gint64              id;
  gint64              order_id;
  gint64              payment_id;
  char               *stripe_dispute_id;
  char               *stripe_charge_id;
  KassaDisputeStatus  status;
  char               *reason;
  gint64              amount;
  char               *currency_code;
  GDateTime          *evidence_due_by;
  GDateTime          *created_at;
  GDateTime          *updated_at;
} KassaDispute;

#define KASSA_TYPE_DISPUTE (kassa_dispute_get_type ())

GType         kassa_dispute_get_type (void) G_GNUC_CONST;
KassaDispute *kassa_dispute_new      (void);
KassaDispute *kassa_dispute_copy     (const KassaDispute *dispute);
void          kassa_dispute_free     (KassaDispute       *dispute);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KassaDispute, kassa_dispute_free)

#define KASSA_TYPE_DISPUTE_REPOSITORY (kassa_dispute_repository_get_type ())

G_DECLARE_FINAL_TYPE (KassaDisputeRepository, kassa_dispute_repository, KASSA, DISPUTE_REPOSITORY, GObject)

KassaDisputeRepository *kassa_dispute_repository_new               (KassaDatabase           *database);

gint64                  kassa_dispute_repository_record            (KassaDisputeRepository  *self,
                                                                    KassaDispute            *dispute,
                                                                    gboolean                *out_changed,
                                                                    GError                 **error);
KassaDispute           *kassa_dispute_repository_load_by_stripe_id (KassaDisputeRepository  *self,
                                                                    const char              *stripe_dispute_id,
                                                                    GError                 **error);
GPtrArray              *kassa_dispute_repository_list_by_order     (KassaDisputeRepository  *self,
                                                                    gint64                   order_id,
                                                                    GError                 **error);

G_END_DECLS
