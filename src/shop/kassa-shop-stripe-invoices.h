/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kassa-shop.h"
#include "kassa-stripe-client.h"

G_BEGIN_DECLS

/* An issued invoice copied to Stripe when the store wants Stripe's
 * hosted pay page: the customer found or made by e-mail, one invoice
 * item per line for exactly the line's total from the totals engine (so
 * Stripe's total is the issued total to the cent), finalized, the
 * hosted_invoice_url kept as the invoice's public link, and, when asked,
 * sent by Stripe. Every step has a key derived from the invoice, so
 * pushing again after a failure continues rather than duplicates.
 * Needs the manage-invoices permission. */

void      kassa_shop_push_invoice_to_stripe_async   (KassaShop           *shop,
                                                     KassaStripeClient   *client,
                                                     gint64               invoice_id,
                                                     gboolean             send,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
char     *kassa_shop_push_invoice_to_stripe_finish  (KassaShop           *shop,
                                                     GAsyncResult        *result,
                                                     GError             **error);

char     *kassa_shop_get_invoice_stripe_url         (KassaShop           *shop,
                                                     gint64               invoice_id,
                                                     GError             **error);

G_END_DECLS
