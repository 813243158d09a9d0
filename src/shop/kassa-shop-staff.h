/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-pin.h"
#include "kassa-shop.h"
#include "kassa-staff.h"

G_BEGIN_DECLS

/* Staff accounts and signing in. The first account of a fresh shop may
 * be created by anyone and must be an administrator; afterwards every
 * change needs KASSA_PERMISSION_MANAGE_STAFF. Every change and every
 * failed sign-in goes to the audit log. After
 * KASSA_SHOP_SIGN_IN_MAX_ATTEMPTS wrong PINs in a row the account is
 * locked for KASSA_SHOP_SIGN_IN_LOCK_SECONDS, a lock kept in the
 * database so restarting does not lift it. @cost says how hard to hash
 * new PINs (KASSA_PIN_COST_INTERACTIVE outside tests). */

#define KASSA_SHOP_SIGN_IN_MAX_ATTEMPTS 5
#define KASSA_SHOP_SIGN_IN_LOCK_SECONDS 60

/* Returns: the new member's id, or 0 with @error set. */
gint64      kassa_shop_create_staff   (KassaShop       *shop,
                                       const char      *name,
                                       KassaStaffRole   role,
                                       const char      *pin,
                                       KassaPinCost     cost,
                                       GError         **error);
gboolean    kassa_shop_rename_staff   (KassaShop       *shop,
                                       gint64           staff_id,
                                       const char      *name,
                                       GError         **error);
/* Refused when it would leave the shop without an active administrator. */
gboolean    kassa_shop_set_staff_role (KassaShop       *shop,
                                       gint64           staff_id,
                                       KassaStaffRole   role,
                                       GError         **error);
/* Members may change their own PIN; other PINs need manage-staff. */
gboolean    kassa_shop_set_staff_pin  (KassaShop       *shop,
                                       gint64           staff_id,
                                       const char      *pin,
                                       KassaPinCost     cost,
                                       GError         **error);
/* Archived members cannot sign in; they stay in the audit log and shifts.
 * The last active administrator cannot be archived. */
gboolean    kassa_shop_archive_staff  (KassaShop       *shop,
                                       gint64           staff_id,
                                       GError         **error);
/* Active members by name, for the sign-in screen: no permission needed. */
GPtrArray  *kassa_shop_list_staff     (KassaShop       *shop,
                                       GError         **error);
/* Checks @pin at @now and makes the member the shop's actor.
 * KASSA_ERROR_PERMISSION_DENIED for a wrong PIN or an archived account,
 * KASSA_ERROR_LOCKED while locked out, KASSA_ERROR_NOT_FOUND for an
 * unknown id. */
gboolean    kassa_shop_sign_in        (KassaShop       *shop,
                                       gint64           staff_id,
                                       const char      *pin,
                                       GDateTime       *now,
                                       GError         **error);
void        kassa_shop_sign_out       (KassaShop       *shop);
/* How many seconds the member's sign-in lock still runs at @now, 0 when
 * not locked, -1 with @error set: for the sign-in screen's countdown. */
gint64      kassa_shop_get_sign_in_lock_seconds (KassaShop   *shop,
                                                 gint64       staff_id,
                                                 GDateTime   *now,
                                                 GError     **error);

G_END_DECLS
