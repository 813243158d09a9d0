/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kassa-shop.h"
#include "kassa-stripe-client.h"
#include "kassa-stripe-event.h"
#include "kassa-stripe-form.h"

G_BEGIN_DECLS

/* Keeping the local records in step with Stripe, without a public URL.
 *
 * Events reach the shop two ways — the events poller and the local
 * webhook listener — and both hand them to kassa_stripe_sync_apply_event(),
 * which records the event id and applies it in one transaction, so an
 * event is applied exactly once whichever path brings it first, and an
 * order never moves backwards (a late failure leaves a paid order paid).
 *
 * Work that must reach Stripe while the network may be down is queued in
 * the outbox with its idempotency key and sent by
 * kassa_stripe_sync_flush_outbox_async() with that same key. */

/**
 * KassaStripeSyncResult:
 * @KASSA_STRIPE_SYNC_FAILED: the event could not be applied; nothing changed
 * @KASSA_STRIPE_SYNC_APPLIED: the event changed local records
 * @KASSA_STRIPE_SYNC_ALREADY_APPLIED: the event id was seen before
 * @KASSA_STRIPE_SYNC_IGNORED: recorded, but nothing local changed (an
 *   unknown object, a type Kassa does not follow, or a status that would
 *   move a record backwards)
 */
typedef enum
{
  KASSA_STRIPE_SYNC_FAILED,
  KASSA_STRIPE_SYNC_APPLIED,
  KASSA_STRIPE_SYNC_ALREADY_APPLIED,
  KASSA_STRIPE_SYNC_IGNORED,
} KassaStripeSyncResult;

/**
 * KassaStripeSyncStats:
 * @n_events: distinct events fetched
 * @n_applied: events that changed local records
 * @n_already_applied: events seen before (also duplicates within a page)
 * @n_ignored: events recorded without a local change
 * @n_reconciled: local orders checked against Stripe after a gap
 * @gap: whether the stored cursor was gone and objects were listed instead
 */
typedef struct
{
  guint    n_events;
  guint    n_applied;
  guint    n_already_applied;
  guint    n_ignored;
  guint    n_reconciled;
  gboolean gap;
} KassaStripeSyncStats;

/* Outbox retries: 30 s doubling, capped at an hour, jittered down to
 * half (so never sooner than 15 s). */
#define KASSA_STRIPE_OUTBOX_BACKOFF_INITIAL_MS 30000
#define KASSA_STRIPE_OUTBOX_BACKOFF_MAX_MS 3600000
/* Entries sent per flush. */
#define KASSA_STRIPE_OUTBOX_BATCH 50

const char * const    *kassa_stripe_sync_get_event_types         (void);

KassaStripeSyncResult  kassa_stripe_sync_apply_event             (KassaShop             *shop,
                                                                  KassaStripeEvent      *event,
                                                                  GError               **error);

/* Applies a fetched @object as if an event of @type had reported it
 * (no event id is recorded): how a request whose outcome was unknown is
 * settled once the object is fetched again. */
KassaStripeSyncResult  kassa_stripe_sync_apply_object            (KassaShop             *shop,
                                                                  const char            *type,
                                                                  JsonObject            *object,
                                                                  GError               **error);

void                   kassa_stripe_sync_poll_async              (KassaShop             *shop,
                                                                  KassaStripeClient     *client,
                                                                  GCancellable          *cancellable,
                                                                  GAsyncReadyCallback    callback,
                                                                  gpointer               user_data);
gboolean               kassa_stripe_sync_poll_finish             (KassaShop             *shop,
                                                                  GAsyncResult          *result,
                                                                  KassaStripeSyncStats  *out_stats,
                                                                  GError               **error);

char                  *kassa_stripe_sync_queue_request           (KassaShop             *shop,
                                                                  const char            *method,
                                                                  const char            *path,
                                                                  KassaStripeForm       *form,
                                                                  const char            *entity_kind,
                                                                  gint64                 entity_id,
                                                                  GError               **error);

void                   kassa_stripe_sync_send_async              (KassaShop             *shop,
                                                                  KassaStripeClient     *client,
                                                                  const char            *method,
                                                                  const char            *path,
                                                                  KassaStripeForm       *form,
                                                                  const char            *entity_kind,
                                                                  gint64                 entity_id,
                                                                  GCancellable          *cancellable,
                                                                  GAsyncReadyCallback    callback,
                                                                  gpointer               user_data);
JsonObject            *kassa_stripe_sync_send_finish             (KassaShop             *shop,
                                                                  GAsyncResult          *result,
                                                                  gboolean              *out_queued,
                                                                  GError               **error);

void                   kassa_stripe_sync_flush_outbox_async      (KassaShop             *shop,
                                                                  KassaStripeClient     *client,
                                                                  GCancellable          *cancellable,
                                                                  GAsyncReadyCallback    callback,
                                                                  gpointer               user_data);
gboolean               kassa_stripe_sync_flush_outbox_finish     (KassaShop             *shop,
                                                                  GAsyncResult          *result,
                                                                  guint                 *out_sent,
                                                                  guint                 *out_failed,
                                                                  GError               **error);

G_END_DECLS
