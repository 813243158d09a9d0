/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kassa-invoice.h"
#include "kassa-payment-provider.h"
#include "kassa-refund-repository.h"
#include "kassa-shop.h"
#include "kassa-stripe-client.h"

G_BEGIN_DECLS

/* Taking and giving back money for stored orders, through any
 * KassaPaymentProvider.
 *
 * Paying: the shop checks the sell permission, works out what is still
 * due, stores the request's idempotency key (with the first request's
 * method, path and body) in SQLite before anything leaves, then runs the
 * provider. The payment, the order's payment status, the journal entry
 * and the audit entry are written in one transaction. An unknown outcome
 * is resolved by starting again with the same request (Stripe replays
 * what it did the first time); one that stays unknown is left marked so
 * in the request log. An order takes several payments, of any providers,
 * until it is paid in full (split tender).
 *
 * Refunding needs the refund-approver permission. The refund is recorded
 * (pending, holding its amount) with its key before the provider is
 * asked; when the network fails it is queued in the outbox under that
 * same key and sent by kassa_stripe_sync_flush_outbox_async(). */

gint64       kassa_shop_get_order_balance          (KassaShop             *self,
                                                    gint64                 order_id,
                                                    GError               **error);

/* @amount: minor units to take, 0 for all that is due; @tendered: cash
 * handed over (cash only). */
void                kassa_shop_pay_order_async     (KassaShop             *self,
                                                    KassaPaymentProvider  *provider,
                                                    gint64                 order_id,
                                                    gint64                 amount,
                                                    gint64                 tendered,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
KassaPaymentResult *kassa_shop_pay_order_finish    (KassaShop             *self,
                                                    GAsyncResult          *result,
                                                    gint64                *out_payment_id,
                                                    GError               **error);

/* @amount: minor units to give back, 0 for all that is left of the
 * payment. Finishes with the refund as recorded: succeeded, or pending /
 * unknown when it waits in the outbox. */
void                kassa_shop_refund_payment_async  (KassaShop            *self,
                                                      KassaPaymentProvider *provider,
                                                      gint64                order_id,
                                                      gint64                payment_id,
                                                      gint64                amount,
                                                      KassaRefundReason     reason,
                                                      const char           *note,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
KassaRefund        *kassa_shop_refund_payment_finish (KassaShop            *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* Settles payment requests whose outcome is unknown (or that never got
 * an answer: a crash between storing the key and the reply), those of
 * orders and those the till made for a cart (kassa_shop_pay_cart_async()).
 * Call it when no payment is in progress. Each request is sent again
 * with its stored key and body, so Stripe replays its first answer,
 * then the object is fetched.
 *
 * For orders and carts alike, an open session is expired and an intent
 * not yet succeeded (waiting for a card, authorised but not captured)
 * is cancelled, so a sale the till gave up on can never be charged
 * later; one that cannot be cancelled yet (processing) waits for the
 * next pass. A request Stripe refused is failed.
 *
 * A paid session or a succeeded intent of an order is booked on it
 * (once: it may be booked already). One of a cart is looked for among
 * the payments of stored orders (by its PaymentIntent, subscription or
 * session id, what the till keeps as the payment's reference): found,
 * the sale was completed and only its answer was lost, so the request
 * is settled. Not found, the customer paid for a sale the till never
 * recorded: the payment is refunded in full (POST /v1/refunds, with the
 * request's key + ":settle-refund", so a repeated pass is replayed by
 * Stripe rather than refunding twice), the request is settled and the
 * audit log records what went back and why ("cart.payment_refunded");
 * a payment Stripe says was refunded already is settled and recorded
 * so too. A subscription started by a cart's session (no
 * PaymentIntent) is not refunded or cancelled automatically: its
 * request stays, is counted in *@out_left and warned about on every
 * pass, for people to sort out at Stripe. A cart's session completed
 * but not paid yet (a delayed method) stays for the next pass too.
 *
 * Requests that still get no answer stay for the next pass
 * (*@out_left). */
void                kassa_shop_settle_payments_async  (KassaShop            *self,
                                                       KassaStripeClient    *client,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean            kassa_shop_settle_payments_finish (KassaShop            *self,
                                                       GAsyncResult         *result,
                                                       guint                *out_settled,
                                                       guint                *out_left,
                                                       GError              **error);

/**
 * KassaShopRefundLine:
 * @line_position: the order line, counted from 0
 * @quantity: thousandths given back, more than zero
 *
 * One line of a refund by lines.
 */
typedef struct
{
  guint  line_position;
  gint64 quantity;
} KassaShopRefundLine;

/* A refund of order lines: the amount is what the totals engine makes
 * of those lines under the order's stored tax rules and discounts
 * (percentages; a fixed-amount discount only when its line goes back
 * whole, and never on the whole order). When the order has an issued
 * invoice, a credit note for exactly those lines is issued in the same
 * transaction that records the refund; it is a legal record and stays
 * even when the provider later refuses the refund. A line is never
 * given back beyond what was sold. */
void                kassa_shop_refund_lines_async    (KassaShop                 *self,
                                                      KassaPaymentProvider      *provider,
                                                      gint64                     order_id,
                                                      gint64                     payment_id,
                                                      const KassaShopRefundLine *lines,
                                                      guint                      n_lines,
                                                      KassaRefundReason          reason,
                                                      const char                *note,
                                                      GCancellable              *cancellable,
                                                      GAsyncReadyCallback        callback,
                                                      gpointer                   user_data);
KassaRefund        *kassa_shop_refund_lines_finish   (KassaShop                 *self,
                                                      GAsyncResult              *result,
                                                      KassaInvoice             **out_credit_note,
                                                      GError                   **error);

/* A payment taken at the till before its sale exists: the request and
 * its key are stored against @cart_id before they leave, and the answer
 * beside them. */
void                kassa_shop_pay_cart_async       (KassaShop            *self,
                                                     KassaPaymentProvider *provider,
                                                     gint64                cart_id,
                                                     KassaPaymentRequest  *request,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
KassaPaymentResult *kassa_shop_pay_cart_finish      (KassaShop            *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

G_END_DECLS
