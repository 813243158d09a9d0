/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KASSA_TYPE_PREFERENCES_WINDOW (kassa_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (KassaPreferencesWindow, kassa_preferences_window, KASSA, PREFERENCES_WINDOW, AdwPreferencesWindow)

KassaPreferencesWindow *kassa_preferences_window_new (GtkWindow *transient_for);

G_END_DECLS
