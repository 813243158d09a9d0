/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "kassa-stripe-form.h"

G_BEGIN_DECLS

/* An in-process stand-in for api.stripe.com on 127.0.0.1, port 0. It
 * keeps PaymentIntents, Checkout Sessions, Refunds, Terminal readers,
 * Subscriptions, Customers, Invoices, Invoice items and Events in memory, records every request, enforces the Bearer key, the
 * pinned Stripe-Version and idempotency keys, and can be told to
 * misbehave. It serves on the thread-default main context it was made on. */

#define KASSA_TYPE_FAKE_STRIPE (kassa_fake_stripe_get_type ())

G_DECLARE_FINAL_TYPE (KassaFakeStripe, kassa_fake_stripe, KASSA, FAKE_STRIPE, GObject)

typedef struct
{
  char               *method;
  char               *path;
  char               *query;
  SoupMessageHeaders *headers;
  char               *body;
  KassaStripeForm    *form;     /* the body of a POST, the query otherwise */
} KassaFakeStripeRequest;

typedef enum
{
  /* Answer with @status and a Stripe error body, without acting. */
  KASSA_FAKE_FAULT_STATUS,
  /* Act, then answer only after @delay_ms. */
  KASSA_FAKE_FAULT_DELAY,
  /* Close the connection without acting or answering. */
  KASSA_FAKE_FAULT_DROP_BEFORE,
  /* Act, then close the connection without answering. */
  KASSA_FAKE_FAULT_DROP_AFTER,
} KassaFakeFaultKind;

typedef struct
{
  KassaFakeFaultKind  kind;
  guint               count;         /* requests it applies to, 0 means 1 */
  const char         *method;        /* NULL: any */
  const char         *path_prefix;   /* NULL: any */
  guint               status;        /* STATUS */
  const char         *type;          /* STATUS: error.type, NULL for api_error */
  const char         *code;
  const char         *decline_code;
  int                 should_retry;  /* -1: no Stripe-Should-Retry header */
  guint               delay_ms;      /* DELAY */
  guint               skip;          /* matching requests let through first */
} KassaFakeFault;

typedef enum
{
  KASSA_FAKE_EVENTS_NORMAL = 0,
  KASSA_FAKE_EVENTS_DUPLICATE = 1 << 0,  /* every event of a page twice */
  KASSA_FAKE_EVENTS_REORDER = 1 << 1,    /* neighbours of a page swapped */
} KassaFakeEventQuirks;

KassaFakeStripe              *kassa_fake_stripe_new                      (const char *secret_key);
const char                   *kassa_fake_stripe_get_url                  (KassaFakeStripe *self);

guint                         kassa_fake_stripe_get_n_requests           (KassaFakeStripe *self);
const KassaFakeStripeRequest *kassa_fake_stripe_get_request              (KassaFakeStripe *self,
                                                                          guint            index);
guint                         kassa_fake_stripe_count_requests           (KassaFakeStripe *self,
                                                                          const char      *method,
                                                                          const char      *path);
void                          kassa_fake_stripe_clear_requests           (KassaFakeStripe *self);

void                          kassa_fake_stripe_push_fault               (KassaFakeStripe      *self,
                                                                          const KassaFakeFault *fault);
guint                         kassa_fake_stripe_get_n_pending_faults     (KassaFakeStripe *self);
void                          kassa_fake_stripe_set_event_quirks         (KassaFakeStripe      *self,
                                                                          KassaFakeEventQuirks  quirks);

JsonObject                   *kassa_fake_stripe_get_object               (KassaFakeStripe *self,
                                                                          const char      *id);
guint                         kassa_fake_stripe_count_objects            (KassaFakeStripe *self,
                                                                          const char      *object_type);
/* For fault injection: no key may ever create two intents or sessions. */
guint                         kassa_fake_stripe_max_objects_per_key      (KassaFakeStripe *self,
                                                                          const char      *object_type,
                                                                          guint           *out_n_keys);
GPtrArray                    *kassa_fake_stripe_list_objects             (KassaFakeStripe *self,
                                                                          const char      *object_type);
gboolean                      kassa_fake_stripe_complete_checkout_session (KassaFakeStripe *self,
                                                                          const char      *id);
void                          kassa_fake_stripe_add_reader               (KassaFakeStripe *self,
                                                                          const char      *id,
                                                                          const char      *label);
const char                   *kassa_fake_stripe_add_event                (KassaFakeStripe *self,
                                                                          const char      *type,
                                                                          JsonObject      *object);
guint                         kassa_fake_stripe_get_n_events             (KassaFakeStripe *self);
JsonObject                   *kassa_fake_stripe_add_subscription         (KassaFakeStripe *self,
                                                                          const char      *id,
                                                                          const char      *customer,
                                                                          const char      *status,
                                                                          const char      *interval,
                                                                          guint            interval_count,
                                                                          gint64           current_period_end);
gint64                        kassa_fake_stripe_get_clock                (KassaFakeStripe *self);
void                          kassa_fake_stripe_set_clock                (KassaFakeStripe *self,
                                                                          gint64           now);

G_END_DECLS
