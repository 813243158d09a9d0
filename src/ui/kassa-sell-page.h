/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kassa-shop.h"
#include "kassa-till.h"

G_BEGIN_DECLS

/* The till: a search entry that keeps the focus, the cart, the totals
 * and the keys a cashier works with. A barcode scanner is a keyboard
 * that types fast and presses Enter: keystrokes closer together than
 * KASSA_SELL_PAGE_SCAN_INTERVAL_MS, at least KASSA_SELL_PAGE_SCAN_MIN_LENGTH
 * of them, are a scan and add their item at once. */

#define KASSA_SELL_PAGE_SCAN_INTERVAL_MS 40
#define KASSA_SELL_PAGE_SCAN_MIN_LENGTH  4

/* Milliseconds on any steady clock. */
typedef gint64 (*KassaSellPageClock) (gpointer user_data);

#define KASSA_TYPE_SELL_PAGE (kassa_sell_page_get_type ())

G_DECLARE_FINAL_TYPE (KassaSellPage, kassa_sell_page, KASSA, SELL_PAGE, AdwBin)

/* The page finds the application's shop when it is shown; tests and the
 * sign-in screen hand it one. Setting the shop (again) reopens the till
 * for whoever is signed in now. */
KassaShop *kassa_sell_page_get_shop  (KassaSellPage      *self);
void       kassa_sell_page_set_shop  (KassaSellPage      *self,
                                      KassaShop          *shop);
/* Reopens the till after the signed-in staff member changed. */
void       kassa_sell_page_reload    (KassaSellPage      *self);
/* (nullable): the till, while someone who may sell is signed in */
KassaTill *kassa_sell_page_get_till  (KassaSellPage      *self);
/* Replaces the key event times used to tell scans from typing. */
void       kassa_sell_page_set_clock (KassaSellPage      *self,
                                      KassaSellPageClock  clock,
                                      gpointer            user_data);

G_END_DECLS
