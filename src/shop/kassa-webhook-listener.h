/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kassa-shop.h"

G_BEGIN_DECLS

/* A local endpoint for `stripe listen --forward-to
 * http://127.0.0.1:PORT/webhook`: POST only, one path, a bounded body, a
 * verified `Stripe-Signature`, and every event applied through
 * kassa_stripe_sync_apply_event() like a polled one. Anything else gets
 * 400 (405 for another method on the path). It only ever binds the
 * loopback address: a till must not take payments news from the network. */

#define KASSA_WEBHOOK_LISTENER_ADDRESS "127.0.0.1"
#define KASSA_WEBHOOK_LISTENER_PATH "/webhook"

#define KASSA_TYPE_WEBHOOK_LISTENER (kassa_webhook_listener_get_type ())

G_DECLARE_FINAL_TYPE (KassaWebhookListener, kassa_webhook_listener, KASSA, WEBHOOK_LISTENER, GObject)

KassaWebhookListener *kassa_webhook_listener_new            (KassaShop            *shop,
                                                             const char           *webhook_secret);
gboolean              kassa_webhook_listener_listen         (KassaWebhookListener *self,
                                                             const char           *address,
                                                             guint                 port,
                                                             GError              **error);
void                  kassa_webhook_listener_stop           (KassaWebhookListener *self);
guint                 kassa_webhook_listener_get_port       (KassaWebhookListener *self);
char                 *kassa_webhook_listener_get_url        (KassaWebhookListener *self);
guint                 kassa_webhook_listener_get_n_applied  (KassaWebhookListener *self);
guint                 kassa_webhook_listener_get_n_rejected (KassaWebhookListener *self);

G_END_DECLS
