/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-database.h"
#include "kassa-store-profile.h"
#include "kassa-store-settings.h"

G_BEGIN_DECLS

/* The store profile and the store settings, one of each per database so
 * backups carry them. A database nobody configured yet reads as the
 * defaults. */

#define KASSA_TYPE_SETTINGS_REPOSITORY (kassa_settings_repository_get_type ())

G_DECLARE_FINAL_TYPE (KassaSettingsRepository, kassa_settings_repository, KASSA, SETTINGS_REPOSITORY, GObject)

KassaSettingsRepository *kassa_settings_repository_new           (KassaDatabase            *database);

/* An empty profile (no name yet) when none was saved. */
KassaStoreProfile       *kassa_settings_repository_load_profile  (KassaSettingsRepository  *self,
                                                                  GError                  **error);
/* Validates first (KASSA_ERROR_INVALID); texts and logo stored as given. */
gboolean                 kassa_settings_repository_save_profile  (KassaSettingsRepository  *self,
                                                                  KassaStoreProfile        *profile,
                                                                  GError                  **error);

/* The defaults, in @default_currency (NULL for EUR), when none were saved. */
KassaStoreSettings      *kassa_settings_repository_load_settings (KassaSettingsRepository  *self,
                                                                  const char               *default_currency,
                                                                  GError                  **error);
gboolean                 kassa_settings_repository_save_settings (KassaSettingsRepository  *self,
                                                                  KassaStoreSettings       *settings,
                                                                  GError                  **error);

/* Settings that need no column of their own (the public invoice link's
 * base URL, for one), as text under a dotted @key. A key never set
 * reads as NULL. */
gboolean                 kassa_settings_repository_get_text      (KassaSettingsRepository  *self,
                                                                  const char               *key,
                                                                  char                    **out_value,
                                                                  GError                  **error);
/* NULL removes the key. */
gboolean                 kassa_settings_repository_set_text      (KassaSettingsRepository  *self,
                                                                  const char               *key,
                                                                  const char               *value,
                                                                  GError                  **error);

G_END_DECLS
