/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kassa-shop.h"
#include "kassa-stripe-client.h"

G_BEGIN_DECLS

/* The payment providers a till offers, built by the shop from its own
 * settings so the window and kassa-cli never wire them by hand.
 *
 * Cash always comes first, with the store's cash rounding step and
 * rounding mode. With a Stripe secret key (KASSA_STRIPE_SECRET_KEY in
 * the environment for headless use, else the keyring through
 * src/secrets) come a Stripe Checkout provider (pay by QR) and a Stripe
 * Terminal provider (card reader) sharing one KassaStripeClient. The
 * API base is KASSA_STRIPE_API_BASE, else the store setting
 * "stripe.api-base", else Stripe's. The Checkout success and cancel
 * pages come from "stripe.success-url" and "stripe.cancel-url". The key
 * itself is never stored by the shop. */

#define KASSA_SHOP_STRIPE_API_BASE_KEY    "stripe.api-base"
#define KASSA_SHOP_STRIPE_SUCCESS_URL_KEY "stripe.success-url"
#define KASSA_SHOP_STRIPE_CANCEL_URL_KEY  "stripe.cancel-url"

/* Where the customer's phone lands after paying when the store names no
 * page: Stripe insists on one, and the till follows the session itself. */
#define KASSA_SHOP_STRIPE_DEFAULT_SUCCESS_URL "https://kassapos.github.io/paid"

#define KASSA_SHOP_STRIPE_SECRET_KEY_VARIABLE "KASSA_STRIPE_SECRET_KEY"
#define KASSA_SHOP_STRIPE_API_BASE_VARIABLE   "KASSA_STRIPE_API_BASE"

/* Builds the providers with @secret_key (NULL or empty: cash only).
 * @reader_id: (nullable): the card reader the Terminal provider uses.
 * Fails only when the store's settings cannot be read or name a bad URL.
 * Returns: (transfer full) (element-type KassaPaymentProvider): cash
 *   first, then Stripe Checkout and Stripe Terminal */
GPtrArray *kassa_shop_make_payment_providers         (KassaShop           *self,
                                                      const char          *secret_key,
                                                      const char          *reader_id,
                                                      GError             **error);

/* Looks the key up (environment, then keyring, which is given
 * @timeout_ms, 0 for the default, so a locked keyring never hangs the
 * till) and builds the providers. Stripe missing is not a failure: the
 * till still sells for cash, and @out_stripe_error says why (no key
 * stored, no keyring available, the keyring timed out). */
void       kassa_shop_list_payment_providers_async   (KassaShop           *self,
                                                      const char          *reader_id,
                                                      guint                timeout_ms,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GPtrArray *kassa_shop_list_payment_providers_finish  (KassaShop           *self,
                                                      GAsyncResult        *result,
                                                      GError             **out_stripe_error,
                                                      GError             **error);

/* The Stripe client the providers of @providers share, or NULL when
 * they hold none (cash only). (transfer none) */
KassaStripeClient *kassa_shop_providers_get_stripe_client (GPtrArray *providers);

G_END_DECLS
