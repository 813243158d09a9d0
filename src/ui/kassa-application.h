/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kassa-shop.h"

G_BEGIN_DECLS

#define KASSA_TYPE_APPLICATION (kassa_application_get_type ())

G_DECLARE_FINAL_TYPE (KassaApplication, kassa_application, KASSA, APPLICATION, AdwApplication)

KassaApplication *kassa_application_new               (void);
const char       *kassa_application_get_database_path (KassaApplication *self);
gboolean          kassa_application_open_shop         (KassaApplication  *self,
                                                       GError           **error);
KassaShop        *kassa_application_get_shop          (KassaApplication *self);

G_END_DECLS
