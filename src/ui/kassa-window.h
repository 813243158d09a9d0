/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kassa-application.h"

G_BEGIN_DECLS

#define KASSA_TYPE_WINDOW (kassa_window_get_type ())

G_DECLARE_FINAL_TYPE (KassaWindow, kassa_window, KASSA, WINDOW, AdwApplicationWindow)

KassaWindow *kassa_window_new            (KassaApplication *application);
const char  *kassa_window_get_page_name  (KassaWindow      *self);
void         kassa_window_show_page      (KassaWindow      *self,
                                          const char       *name);
void         kassa_window_add_toast      (KassaWindow      *self,
                                          AdwToast         *toast);

G_END_DECLS
