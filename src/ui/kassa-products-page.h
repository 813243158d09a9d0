/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KASSA_TYPE_PRODUCTS_PAGE (kassa_products_page_get_type ())

G_DECLARE_FINAL_TYPE (KassaProductsPage, kassa_products_page, KASSA, PRODUCTS_PAGE, AdwBin)

G_END_DECLS
