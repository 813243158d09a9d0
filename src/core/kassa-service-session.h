/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-core-enums.h"

G_BEGIN_DECLS

/* A paid stretch of a service. It starts at the first service given
 * after payment (not at the payment), ends "duration-minutes" later and
 * then expires; selling the service again renews it as a new session.
 * Nothing here reads the clock: callers pass "now".
 *
 * "status" follows the table in kassa-transitions.c: the value given to
 * g_object_new() is taken as loaded, every later change is checked. */

#define KASSA_TYPE_SERVICE_SESSION (kassa_service_session_get_type ())

G_DECLARE_FINAL_TYPE (KassaServiceSession, kassa_service_session, KASSA, SERVICE_SESSION, GObject)

KassaServiceSession      *kassa_service_session_new                  (void);
gint64                    kassa_service_session_get_id               (KassaServiceSession *self);
void                      kassa_service_session_set_id               (KassaServiceSession *self,
                                                                      gint64               id);
gint64                    kassa_service_session_get_item_id          (KassaServiceSession *self);
void                      kassa_service_session_set_item_id          (KassaServiceSession *self,
                                                                      gint64               item_id);
gint64                    kassa_service_session_get_customer_id      (KassaServiceSession *self);
void                      kassa_service_session_set_customer_id      (KassaServiceSession *self,
                                                                      gint64               customer_id);
gint64                    kassa_service_session_get_order_id         (KassaServiceSession *self);
void                      kassa_service_session_set_order_id         (KassaServiceSession *self,
                                                                      gint64               order_id);
guint                     kassa_service_session_get_duration_minutes (KassaServiceSession *self);
void                      kassa_service_session_set_duration_minutes (KassaServiceSession *self,
                                                                      guint                duration_minutes);
KassaServiceSessionStatus kassa_service_session_get_status           (KassaServiceSession *self);
gboolean                  kassa_service_session_set_status           (KassaServiceSession        *self,
                                                                      KassaServiceSessionStatus   status,
                                                                      GError                    **error);
GDateTime                *kassa_service_session_get_started_at       (KassaServiceSession *self);
void                      kassa_service_session_set_started_at       (KassaServiceSession *self,
                                                                      GDateTime           *started_at);

/* Pending → active, starting the clock at @now. */
gboolean              kassa_service_session_start                 (KassaServiceSession  *self,
                                                                   GDateTime            *now,
                                                                   GError              **error);
/* started-at + duration, or NULL while the session has not started. */
GDateTime            *kassa_service_session_get_ends_at           (KassaServiceSession  *self);
/* Whether the paid time of a started session has run out at @now. */
gboolean              kassa_service_session_is_expired            (KassaServiceSession  *self,
                                                                   GDateTime            *now);
/* Whole minutes left at @now, rounded up; the full duration before the
 * start, 0 once expired. */
guint                 kassa_service_session_get_remaining_minutes (KassaServiceSession  *self,
                                                                   GDateTime            *now);
/* Active → expired, when is_expired() says so at @now. */
gboolean              kassa_service_session_expire                (KassaServiceSession  *self,
                                                                   GDateTime            *now,
                                                                   GError              **error);
/* A new, pending session of the same item for the same customer, for
 * @duration_minutes (0 keeps this session's duration). It has no id and
 * no order yet: the sale that pays for it sets them. */
KassaServiceSession  *kassa_service_session_renew                 (KassaServiceSession  *self,
                                                                   guint                 duration_minutes);

gint64                kassa_service_session_get_order_line_id     (KassaServiceSession *self);
void                  kassa_service_session_set_order_line_id     (KassaServiceSession *self,
                                                                   gint64               order_line_id);
gint64                kassa_service_session_get_provider_staff_id (KassaServiceSession *self);
void                  kassa_service_session_set_provider_staff_id (KassaServiceSession *self,
                                                                   gint64               provider_staff_id);

G_END_DECLS
