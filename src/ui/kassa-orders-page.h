/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KASSA_TYPE_ORDERS_PAGE (kassa_orders_page_get_type ())

G_DECLARE_FINAL_TYPE (KassaOrdersPage, kassa_orders_page, KASSA, ORDERS_PAGE, AdwBin)

G_END_DECLS
