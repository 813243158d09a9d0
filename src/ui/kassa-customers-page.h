/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KASSA_TYPE_CUSTOMERS_PAGE (kassa_customers_page_get_type ())

G_DECLARE_FINAL_TYPE (KassaCustomersPage, kassa_customers_page, KASSA, CUSTOMERS_PAGE, AdwBin)

G_END_DECLS
