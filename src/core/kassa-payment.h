/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-core-enums.h"

G_BEGIN_DECLS

/* Money received for an order. "provider-id" names the payment provider
 * ("cash", "stripe_checkout", "stripe_terminal", …), "method-label" is
 * what people read ("Visa •••• 4242"), "reference" the provider's id of
 * the charge. "amount" is what was applied to the order in minor units
 * of "currency-code" (for cash, not what was tendered). Refunds are
 * recorded through kassa_order_record_refund(), which keeps
 * "refunded-amount" and the order's payment status in step. */

#define KASSA_TYPE_PAYMENT (kassa_payment_get_type ())

G_DECLARE_FINAL_TYPE (KassaPayment, kassa_payment, KASSA, PAYMENT, GObject)

KassaPayment  *kassa_payment_new                 (void);
gint64         kassa_payment_get_id              (KassaPayment *self);
void           kassa_payment_set_id              (KassaPayment *self,
                                                  gint64        id);
const char    *kassa_payment_get_provider_id     (KassaPayment *self);
void           kassa_payment_set_provider_id     (KassaPayment *self,
                                                  const char   *provider_id);
gint64         kassa_payment_get_amount          (KassaPayment *self);
void           kassa_payment_set_amount          (KassaPayment *self,
                                                  gint64        amount);
const char    *kassa_payment_get_currency_code   (KassaPayment *self);
void           kassa_payment_set_currency_code   (KassaPayment *self,
                                                  const char   *currency_code);
const char    *kassa_payment_get_method_label    (KassaPayment *self);
void           kassa_payment_set_method_label    (KassaPayment *self,
                                                  const char   *method_label);
const char    *kassa_payment_get_reference       (KassaPayment *self);
void           kassa_payment_set_reference       (KassaPayment *self,
                                                  const char   *reference);
GDateTime     *kassa_payment_get_paid_at         (KassaPayment *self);
void           kassa_payment_set_paid_at         (KassaPayment *self,
                                                  GDateTime    *paid_at);
gint64         kassa_payment_get_refunded_amount (KassaPayment *self);
void           kassa_payment_set_refunded_amount (KassaPayment *self,
                                                  gint64        refunded_amount);

G_END_DECLS
