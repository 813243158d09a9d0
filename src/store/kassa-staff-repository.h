/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-database.h"
#include "kassa-staff.h"

G_BEGIN_DECLS

/* Staff members in the database. They are archived, never deleted: the
 * audit log and the shifts keep pointing at them. The PIN is stored only
 * as the encoded hash the shop layer made. Failed sign-ins and a lockout
 * time are kept here so a restart does not reset them. A missing member
 * is KASSA_ERROR_NOT_FOUND. */

#define KASSA_TYPE_STAFF_REPOSITORY (kassa_staff_repository_get_type ())

G_DECLARE_FINAL_TYPE (KassaStaffRepository, kassa_staff_repository, KASSA, STAFF_REPOSITORY, GObject)

KassaStaffRepository *kassa_staff_repository_new          (KassaDatabase         *database);

/* Stores name, role, PIN hash and active flag; sets the new id. */
gboolean              kassa_staff_repository_insert       (KassaStaffRepository  *self,
                                                           KassaStaff            *staff,
                                                           GError               **error);
KassaStaff           *kassa_staff_repository_get          (KassaStaffRepository  *self,
                                                           gint64                 id,
                                                           GError               **error);
/* By name; archived members only when @include_archived. */
GPtrArray            *kassa_staff_repository_list         (KassaStaffRepository  *self,
                                                           gboolean               include_archived,
                                                           GError               **error);
/* Every member ever created, archived ones included (0: nobody yet). */
gint64                kassa_staff_repository_count        (KassaStaffRepository  *self,
                                                           GError               **error);
/* Active members holding @role. */
gint64                kassa_staff_repository_count_active_with_role (KassaStaffRepository  *self,
                                                                     KassaStaffRole         role,
                                                                     GError               **error);
gboolean              kassa_staff_repository_set_name     (KassaStaffRepository  *self,
                                                           gint64                 id,
                                                           const char            *name,
                                                           GError               **error);
gboolean              kassa_staff_repository_set_role     (KassaStaffRepository  *self,
                                                           gint64                 id,
                                                           KassaStaffRole         role,
                                                           GError               **error);
/* A new PIN also clears failed attempts and any lockout. */
gboolean              kassa_staff_repository_set_pin_hash (KassaStaffRepository  *self,
                                                           gint64                 id,
                                                           const char            *pin_hash,
                                                           GError               **error);
gboolean              kassa_staff_repository_set_active   (KassaStaffRepository  *self,
                                                           gint64                 id,
                                                           gboolean               active,
                                                           GError               **error);
/* @locked_until: (out) (transfer full) (nullable): NULL when not locked. */
gboolean              kassa_staff_repository_get_lock     (KassaStaffRepository  *self,
                                                           gint64                 id,
                                                           guint                 *failed_attempts,
                                                           GDateTime            **locked_until,
                                                           GError               **error);
gboolean              kassa_staff_repository_set_lock     (KassaStaffRepository  *self,
                                                           gint64                 id,
                                                           guint                  failed_attempts,
                                                           GDateTime             *locked_until,
                                                           GError               **error);

G_END_DECLS
