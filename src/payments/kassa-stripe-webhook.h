/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Webhook bodies larger than this are refused before any HMAC is
 * computed; real Stripe events are a few kilobytes. */
#define KASSA_STRIPE_WEBHOOK_MAX_BODY (256 * 1024)

/* Seconds a signature stays valid around its timestamp, as Stripe's
 * libraries use. */
#define KASSA_STRIPE_WEBHOOK_TOLERANCE 300

char     *kassa_stripe_webhook_compute_signature (const char   *secret,
                                                  gint64        timestamp,
                                                  const guint8 *payload,
                                                  gsize         length);
char     *kassa_stripe_webhook_build_header      (const char   *secret,
                                                  gint64        timestamp,
                                                  const guint8 *payload,
                                                  gsize         length);
gboolean  kassa_stripe_webhook_verify            (const char   *header,
                                                  const guint8 *payload,
                                                  gsize         length,
                                                  const char   *secret,
                                                  gint64        now,
                                                  gint64        tolerance,
                                                  GError      **error);

G_END_DECLS
