/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-core-enums.h"
#include "kassa-staff.h"

G_BEGIN_DECLS

#define KASSA_TYPE_SHOP (kassa_shop_get_type ())

G_DECLARE_FINAL_TYPE (KassaShop, kassa_shop, KASSA, SHOP, GObject)

KassaShop   *kassa_shop_open                (const char       *path,
                                             GError          **error);
const char  *kassa_shop_get_path            (KassaShop        *self);

/* Who acts. Every use case checks the actor's permissions here in the
 * shop, whatever the user interface shows. Nobody acts until someone
 * signs in (set_actor) or a local tool with the file in hand — kassa-cli —
 * declares itself the system (act_as_system). */
void         kassa_shop_set_actor           (KassaShop        *self,
                                             KassaStaff       *actor);
KassaStaff  *kassa_shop_get_actor           (KassaShop        *self);
void         kassa_shop_act_as_system       (KassaShop        *self);
gboolean     kassa_shop_is_system           (KassaShop        *self);
gboolean     kassa_shop_check_permission    (KassaShop        *self,
                                             KassaPermission   permission,
                                             GError          **error);

G_END_DECLS
