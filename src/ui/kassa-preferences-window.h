/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kassa-shop.h"

G_BEGIN_DECLS

#define KASSA_TYPE_PREFERENCES_WINDOW (kassa_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (KassaPreferencesWindow, kassa_preferences_window, KASSA, PREFERENCES_WINDOW, AdwPreferencesWindow)

KassaPreferencesWindow *kassa_preferences_window_new            (GtkWindow              *transient_for);

/* The open store, whose payment providers list the card readers; NULL
 * leaves the reader list empty. */
void                    kassa_preferences_window_set_shop       (KassaPreferencesWindow *self,
                                                                 KassaShop              *shop);

/* Keyring and Stripe calls still in flight. */
guint                   kassa_preferences_window_get_n_pending  (KassaPreferencesWindow *self);

G_END_DECLS
