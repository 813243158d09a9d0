/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-database.h"

G_BEGIN_DECLS

/**
 * KassaStripeOutcome:
 * @KASSA_STRIPE_OUTCOME_PENDING: recorded, not answered yet (or never sent)
 * @KASSA_STRIPE_OUTCOME_SUCCEEDED: Stripe answered with success
 * @KASSA_STRIPE_OUTCOME_FAILED: Stripe refused it for good (4xx other than 409/429)
 * @KASSA_STRIPE_OUTCOME_UNKNOWN: retries ran out; fetch the object to learn more
 */
typedef enum
{
  KASSA_STRIPE_OUTCOME_PENDING,
  KASSA_STRIPE_OUTCOME_SUCCEEDED,
  KASSA_STRIPE_OUTCOME_FAILED,
  KASSA_STRIPE_OUTCOME_UNKNOWN,
} KassaStripeOutcome;

/**
 * KassaStripeRequest:
 * @idempotency_key: the `Idempotency-Key` sent with every try
 * @method: `POST`, `DELETE`
 * @path: `/v1/refunds`
 * @body: (nullable): the form-encoded body, so a retry sends the same one
 * @entity_kind: (nullable): the local record it is for (`order`, `refund`)
 * @entity_id: that record's id, or 0
 * @outcome: where the request stands
 * @object_id: (nullable): the id of the object Stripe answered with
 * @attempts: how often it was sent
 * @last_error: (nullable): the last failure, for logs
 * @created_at: (nullable): set by the store
 * @updated_at: (nullable): set by the store
 */
typedef struct
{
  char               *idempotency_key;
  char               *method;
  char               *path;
  char               *body;
  char               *entity_kind;
  gint64              entity_id;
  KassaStripeOutcome  outcome;
  char               *object_id;
  gint64              attempts;
  char               *last_error;
  GDateTime          *created_at;
  GDateTime          *updated_at;
} KassaStripeRequest;

#define KASSA_TYPE_STRIPE_REQUEST (kassa_stripe_request_get_type ())

GType               kassa_stripe_request_get_type (void) G_GNUC_CONST;
KassaStripeRequest *kassa_stripe_request_copy     (const KassaStripeRequest *request);
void                kassa_stripe_request_free     (KassaStripeRequest       *request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KassaStripeRequest, kassa_stripe_request_free)

/**
 * KassaStripeOutboxEntry:
 * @id: the entry
 * @idempotency_key: its request (load it for method, path and body)
 * @next_attempt_at: when it is due
 * @created_at: when it was queued
 */
typedef struct
{
  gint64     id;
  char      *idempotency_key;
  GDateTime *next_attempt_at;
  GDateTime *created_at;
} KassaStripeOutboxEntry;

#define KASSA_TYPE_STRIPE_OUTBOX_ENTRY (kassa_stripe_outbox_entry_get_type ())

GType                   kassa_stripe_outbox_entry_get_type (void) G_GNUC_CONST;
KassaStripeOutboxEntry *kassa_stripe_outbox_entry_copy     (const KassaStripeOutboxEntry *entry);
void                    kassa_stripe_outbox_entry_free     (KassaStripeOutboxEntry       *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KassaStripeOutboxEntry, kassa_stripe_outbox_entry_free)

#define KASSA_TYPE_STRIPE_STATE_REPOSITORY (kassa_stripe_state_repository_get_type ())

G_DECLARE_FINAL_TYPE (KassaStripeStateRepository, kassa_stripe_state_repository, KASSA, STRIPE_STATE_REPOSITORY, GObject)

KassaStripeStateRepository *kassa_stripe_state_repository_new (KassaDatabase *database);

/* Events */
gboolean            kassa_stripe_state_repository_record_event      (KassaStripeStateRepository  *self,
                                                                     const char                  *event_id,
                                                                     const char                  *type,
                                                                     gint64                       created,
                                                                     gboolean                    *out_is_new,
                                                                     GError                     **error);
gboolean            kassa_stripe_state_repository_has_event         (KassaStripeStateRepository  *self,
                                                                     const char                  *event_id,
                                                                     gboolean                    *out_seen,
                                                                     GError                     **error);
gboolean            kassa_stripe_state_repository_get_event_created (KassaStripeStateRepository  *self,
                                                                     const char                  *event_id,
                                                                     gboolean                    *out_known,
                                                                     gint64                      *out_created,
                                                                     GError                     **error);
gboolean            kassa_stripe_state_repository_get_events_cursor (KassaStripeStateRepository  *self,
                                                                     char                       **out_event_id,
                                                                     GError                     **error);
gboolean            kassa_stripe_state_repository_set_events_cursor (KassaStripeStateRepository  *self,
                                                                     const char                  *event_id,
                                                                     GError                     **error);

/* Idempotent requests */
gboolean            kassa_stripe_state_repository_add_request       (KassaStripeStateRepository  *self,
                                                                     const KassaStripeRequest    *request,
                                                                     GError                     **error);
KassaStripeRequest *kassa_stripe_state_repository_load_request      (KassaStripeStateRepository  *self,
                                                                     const char                  *idempotency_key,
                                                                     GError                     **error);
KassaStripeRequest *kassa_stripe_state_repository_find_request      (KassaStripeStateRepository  *self,
                                                                     const char                  *entity_kind,
                                                                     gint64                       entity_id,
                                                                     const char                  *method,
                                                                     const char                  *path,
                                                                     GError                     **error);
gboolean            kassa_stripe_state_repository_note_attempt      (KassaStripeStateRepository  *self,
                                                                     const char                  *idempotency_key,
                                                                     const char                  *last_error,
                                                                     GError                     **error);
gboolean            kassa_stripe_state_repository_finish_request    (KassaStripeStateRepository  *self,
                                                                     const char                  *idempotency_key,
                                                                     KassaStripeOutcome           outcome,
                                                                     const char                  *object_id,
                                                                     GError                     **error);
GPtrArray          *kassa_stripe_state_repository_list_unsettled    (KassaStripeStateRepository  *self,
                                                                     GError                     **error);

/* Outbox */
gint64              kassa_stripe_state_repository_enqueue           (KassaStripeStateRepository  *self,
                                                                     const char                  *idempotency_key,
                                                                     GDateTime                   *due_at,
                                                                     GError                     **error);
GPtrArray          *kassa_stripe_state_repository_next_due          (KassaStripeStateRepository  *self,
                                                                     GDateTime                   *now,
                                                                     guint                        limit,
                                                                     GError                     **error);
gboolean            kassa_stripe_state_repository_mark_done         (KassaStripeStateRepository  *self,
                                                                     gint64                       entry_id,
                                                                     GError                     **error);
gboolean            kassa_stripe_state_repository_mark_failed       (KassaStripeStateRepository  *self,
                                                                     gint64                       entry_id,
                                                                     GDateTime                   *retry_at,
                                                                     const char                  *last_error,
                                                                     GError                     **error);

G_END_DECLS
