/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-catalog-item.h"

G_BEGIN_DECLS

#define KASSA_TYPE_RESULT_SLOT (kassa_result_slot_get_type ())

G_DECLARE_FINAL_TYPE (KassaResultSlot, kassa_result_slot, KASSA, RESULT_SLOT, GObject)

KassaResultSlot  *kassa_result_slot_new      (void);
KassaCatalogItem *kassa_result_slot_get_item (KassaResultSlot  *self);
void              kassa_result_slot_set_item (KassaResultSlot  *self,
                                              KassaCatalogItem *item);

G_END_DECLS
