/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KASSA_TYPE_SERVICES_PAGE (kassa_services_page_get_type ())

G_DECLARE_FINAL_TYPE (KassaServicesPage, kassa_services_page, KASSA, SERVICES_PAGE, AdwBin)

G_END_DECLS
