/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "kassa-core-enums.h"

G_BEGIN_DECLS

/* Which role may do what. The shop layer checks these before every
 * operation; the UI only mirrors them. */

KassaPermission  kassa_role_get_permissions         (KassaStaffRole   role);
gboolean         kassa_role_has_permission          (KassaStaffRole   role,
                                                     KassaPermission  permission);
const char      *kassa_role_get_display_name        (KassaStaffRole   role);

/* @permission must be a single flag. */
const char      *kassa_permission_get_display_name  (KassaPermission  permission);

G_END_DECLS
