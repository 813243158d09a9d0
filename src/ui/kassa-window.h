/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kassa-application.h"
#include "kassa-lock-screen.h"
#include "kassa-shop.h"

G_BEGIN_DECLS

#define KASSA_TYPE_WINDOW (kassa_window_get_type ())

G_DECLARE_FINAL_TYPE (KassaWindow, kassa_window, KASSA, WINDOW, AdwApplicationWindow)

KassaWindow *kassa_window_new            (KassaApplication *application);
const char  *kassa_window_get_page_name  (KassaWindow      *self);
void         kassa_window_show_page      (KassaWindow      *self,
                                          const char       *name);
void         kassa_window_add_toast      (KassaWindow      *self,
                                          AdwToast         *toast);

/* The window starts locked: the lock screen stays over everything until
 * someone signs in, and comes back on win.lock (Ctrl+L) or after the
 * auto-lock-minutes setting's idle time. Setting a shop locks. */
void             kassa_window_set_shop              (KassaWindow *self,
                                                     KassaShop   *shop);
KassaShop       *kassa_window_get_shop              (KassaWindow *self);
void             kassa_window_lock                  (KassaWindow *self);
gboolean         kassa_window_is_locked             (KassaWindow *self);
KassaLockScreen *kassa_window_get_lock_screen       (KassaWindow *self);
/* Overrides auto-lock-minutes until the setting next changes; 0 never locks. */
void             kassa_window_set_auto_lock_timeout (KassaWindow *self,
                                                     guint        milliseconds);

G_END_DECLS
