/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KASSA_TYPE_SELL_PAGE (kassa_sell_page_get_type ())

G_DECLARE_FINAL_TYPE (KassaSellPage, kassa_sell_page, KASSA, SELL_PAGE, AdwBin)

G_END_DECLS
