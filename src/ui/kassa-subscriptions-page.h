/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KASSA_TYPE_SUBSCRIPTIONS_PAGE (kassa_subscriptions_page_get_type ())

G_DECLARE_FINAL_TYPE (KassaSubscriptionsPage, kassa_subscriptions_page, KASSA, SUBSCRIPTIONS_PAGE, AdwBin)

G_END_DECLS
