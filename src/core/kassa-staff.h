/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-core-enums.h"

G_BEGIN_DECLS

/* A member of staff. The PIN is hashed elsewhere (argon2id); the core
 * only keeps the encoded hash string and never sees the PIN. */

#define KASSA_TYPE_STAFF (kassa_staff_get_type ())

G_DECLARE_FINAL_TYPE (KassaStaff, kassa_staff, KASSA, STAFF, GObject)

KassaStaff    *kassa_staff_new          (void);
gint64         kassa_staff_get_id       (KassaStaff *self);
void           kassa_staff_set_id       (KassaStaff *self,
                                         gint64      id);
const char    *kassa_staff_get_name     (KassaStaff *self);
void           kassa_staff_set_name     (KassaStaff *self,
                                         const char *name);
KassaStaffRole kassa_staff_get_role     (KassaStaff *self);
void           kassa_staff_set_role     (KassaStaff     *self,
                                         KassaStaffRole  role);
const char    *kassa_staff_get_pin_hash (KassaStaff *self);
void           kassa_staff_set_pin_hash (KassaStaff *self,
                                         const char *pin_hash);
gboolean       kassa_staff_get_active   (KassaStaff *self);
void           kassa_staff_set_active   (KassaStaff *self,
                                         gboolean    active);

/* TRUE when the role grants every flag of @permission and the account
 * is active. */
gboolean             kassa_staff_has_permission   (KassaStaff       *self,
                                                   KassaPermission   permission);
/* The same as a GError: KASSA_ERROR_PERMISSION_DENIED naming the
 * missing permission (or the deactivated account). */
gboolean             kassa_staff_check_permission (KassaStaff       *self,
                                                   KassaPermission   permission,
                                                   GError          **error);

G_END_DECLS
