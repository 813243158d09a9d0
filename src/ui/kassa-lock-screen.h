/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kassa-pin.h"
#include "kassa-shop.h"

G_BEGIN_DECLS

#define KASSA_TYPE_LOCK_SCREEN (kassa_lock_screen_get_type ())

G_DECLARE_FINAL_TYPE (KassaLockScreen, kassa_lock_screen, KASSA, LOCK_SCREEN, AdwBin)

/* Who is at the till: the active staff, a PIN pad that also takes the
 * keyboard's digits, Backspace and Enter, and on a fresh shop the form
 * that creates the first administrator. Emits ::unlocked once someone
 * has signed in; the shop's actor is then that person. */

KassaLockScreen *kassa_lock_screen_new          (void);
KassaShop       *kassa_lock_screen_get_shop     (KassaLockScreen *self);
void             kassa_lock_screen_set_shop     (KassaLockScreen *self,
                                                 KassaShop       *shop);
/* Reads the staff again and forgets any PIN typed so far. */
void             kassa_lock_screen_reload       (KassaLockScreen *self);
/* How hard new PINs are hashed (the first administrator's). */
void             kassa_lock_screen_set_pin_cost (KassaLockScreen *self,
                                                 KassaPinCost     cost);
/* The error or lockout message shown, or NULL. */
const char      *kassa_lock_screen_get_message  (KassaLockScreen *self);
/* "sign-in" or "bootstrap". */
const char      *kassa_lock_screen_get_mode     (KassaLockScreen *self);

G_END_DECLS
