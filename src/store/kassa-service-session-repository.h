/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-database.h"
#include "kassa-service-session.h"

G_BEGIN_DECLS

/* Service sessions in the database: sold with an order line, started at
 * the first service given, running for the paid duration, then expired.
 * The stored end time is the domain's (start + duration), so lists of
 * what is running or about to run out are index lookups. Nothing here
 * reads the clock: callers pass "now".
 *
 * A stored status only moves along the domain's transitions, and an
 * object loaded before another till started or ended the session cannot
 * move the row. Errors: KASSA_STORE_ERROR from the database, KASSA_ERROR
 * from the domain rules (KASSA_ERROR_NOT_FOUND for a missing session). */

#define KASSA_TYPE_SERVICE_SESSION_REPOSITORY (kassa_service_session_repository_get_type ())

G_DECLARE_FINAL_TYPE (KassaServiceSessionRepository, kassa_service_session_repository, KASSA,
                      SERVICE_SESSION_REPOSITORY, GObject)

KassaServiceSessionRepository *kassa_service_session_repository_new            (KassaDatabase                  *database);
KassaDatabase                 *kassa_service_session_repository_get_database   (KassaServiceSessionRepository  *self);

/* Inserts a sold session (id 0, which then gets its id; it needs an
 * order, a customer and a duration) or updates every field of a stored
 * one; a changed status must be a legal transition from the stored one. */
gboolean                       kassa_service_session_repository_save           (KassaServiceSessionRepository  *self,
                                                                                KassaServiceSession            *session,
                                                                                GError                        **error);
KassaServiceSession           *kassa_service_session_repository_load           (KassaServiceSessionRepository  *self,
                                                                                gint64                          id,
                                                                                GError                        **error);

/* Pending → active at @now, by @provider_staff_id (0 for nobody named). */
gboolean                       kassa_service_session_repository_start          (KassaServiceSessionRepository  *self,
                                                                                KassaServiceSession            *session,
                                                                                GDateTime                      *now,
                                                                                gint64                          provider_staff_id,
                                                                                GError                        **error);
/* Active → expired, once its paid time has run out at @now. */
gboolean                       kassa_service_session_repository_expire         (KassaServiceSessionRepository  *self,
                                                                                KassaServiceSession            *session,
                                                                                GDateTime                      *now,
                                                                                GError                        **error);
/* Pending or active → cancelled (a refund, a mistake). */
gboolean                       kassa_service_session_repository_cancel         (KassaServiceSessionRepository  *self,
                                                                                KassaServiceSession            *session,
                                                                                GError                        **error);
/* Expires every active session whose time has run out at @now, in one
 * transaction; *@out_n_expired (may be NULL) says how many. */
gboolean                       kassa_service_session_repository_expire_due     (KassaServiceSessionRepository  *self,
                                                                                GDateTime                      *now,
                                                                                guint                          *out_n_expired,
                                                                                GError                        **error);

/* The sessions a customer (0: every customer) can still use at @now:
 * not started yet, or running with time left. Running ones first,
 * soonest end first, then the pending ones oldest first.
 * Returns: (transfer full) (element-type KassaServiceSession) */
GPtrArray                     *kassa_service_session_repository_list_active    (KassaServiceSessionRepository  *self,
                                                                                gint64                          customer_id,
                                                                                GDateTime                      *now,
                                                                                GError                        **error);
/* Running sessions of a customer (0: every customer) that end after
 * @now and no later than @within after it, soonest first.
 * Returns: (transfer full) (element-type KassaServiceSession) */
GPtrArray                     *kassa_service_session_repository_list_expiring  (KassaServiceSessionRepository  *self,
                                                                                gint64                          customer_id,
                                                                                GDateTime                      *now,
                                                                                GTimeSpan                       within,
                                                                                GError                        **error);
/* The sessions sold with @order_id, in the order they were stored.
 * Returns: (transfer full) (element-type KassaServiceSession) */
GPtrArray                     *kassa_service_session_repository_list_for_order (KassaServiceSessionRepository  *self,
                                                                                gint64                          order_id,
                                                                                GError                        **error);

G_END_DECLS
