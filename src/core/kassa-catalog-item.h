/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-core-enums.h"

G_BEGIN_DECLS

/* Something the shop sells: a product (with stock on hand, in
 * thousandths) or a service (sold by duration). Price in minor units of
 * "currency-code", tax rate in ppm; recurring pricing bills every
 * "interval-count" intervals, "cycles" times (0 = until cancelled).
 * "item-type" is a free-text category. Setters accept anything, so a
 * half-filled form can live in the object; kassa_catalog_item_validate()
 * says whether it can be saved. */

#define KASSA_TYPE_CATALOG_ITEM (kassa_catalog_item_get_type ())

G_DECLARE_FINAL_TYPE (KassaCatalogItem, kassa_catalog_item, KASSA, CATALOG_ITEM, GObject)

KassaCatalogItem    *kassa_catalog_item_new                  (void);
gint64               kassa_catalog_item_get_id               (KassaCatalogItem *self);
void                 kassa_catalog_item_set_id               (KassaCatalogItem *self,
                                                              gint64            id);
KassaItemKind        kassa_catalog_item_get_kind             (KassaCatalogItem *self);
void                 kassa_catalog_item_set_kind             (KassaCatalogItem *self,
                                                              KassaItemKind     kind);
const char          *kassa_catalog_item_get_name             (KassaCatalogItem *self);
void                 kassa_catalog_item_set_name             (KassaCatalogItem *self,
                                                              const char       *name);
const char          *kassa_catalog_item_get_description      (KassaCatalogItem *self);
void                 kassa_catalog_item_set_description      (KassaCatalogItem *self,
                                                              const char       *description);
const char          *kassa_catalog_item_get_item_type        (KassaCatalogItem *self);
void                 kassa_catalog_item_set_item_type        (KassaCatalogItem *self,
                                                              const char       *item_type);
const char          *kassa_catalog_item_get_sku              (KassaCatalogItem *self);
void                 kassa_catalog_item_set_sku              (KassaCatalogItem *self,
                                                              const char       *sku);
const char          *kassa_catalog_item_get_barcode          (KassaCatalogItem *self);
void                 kassa_catalog_item_set_barcode          (KassaCatalogItem *self,
                                                              const char       *barcode);
gint64               kassa_catalog_item_get_price            (KassaCatalogItem *self);
void                 kassa_catalog_item_set_price            (KassaCatalogItem *self,
                                                              gint64            price);
const char          *kassa_catalog_item_get_currency_code    (KassaCatalogItem *self);
void                 kassa_catalog_item_set_currency_code    (KassaCatalogItem *self,
                                                              const char       *currency_code);
gint64               kassa_catalog_item_get_tax_rate         (KassaCatalogItem *self);
void                 kassa_catalog_item_set_tax_rate         (KassaCatalogItem *self,
                                                              gint64            tax_rate);
KassaPricing         kassa_catalog_item_get_pricing          (KassaCatalogItem *self);
void                 kassa_catalog_item_set_pricing          (KassaCatalogItem *self,
                                                              KassaPricing      pricing);
KassaBillingInterval kassa_catalog_item_get_interval         (KassaCatalogItem *self);
void                 kassa_catalog_item_set_interval         (KassaCatalogItem     *self,
                                                              KassaBillingInterval  interval);
guint                kassa_catalog_item_get_interval_count   (KassaCatalogItem *self);
void                 kassa_catalog_item_set_interval_count   (KassaCatalogItem *self,
                                                              guint             interval_count);
guint                kassa_catalog_item_get_cycles           (KassaCatalogItem *self);
void                 kassa_catalog_item_set_cycles           (KassaCatalogItem *self,
                                                              guint             cycles);
guint                kassa_catalog_item_get_duration_minutes (KassaCatalogItem *self);
void                 kassa_catalog_item_set_duration_minutes (KassaCatalogItem *self,
                                                              guint             duration_minutes);
gint64               kassa_catalog_item_get_stock_on_hand    (KassaCatalogItem *self);
void                 kassa_catalog_item_set_stock_on_hand    (KassaCatalogItem *self,
                                                              gint64            stock_on_hand);
KassaItemStatus      kassa_catalog_item_get_status           (KassaCatalogItem *self);
void                 kassa_catalog_item_set_status           (KassaCatalogItem *self,
                                                              KassaItemStatus   status);
gboolean             kassa_catalog_item_get_public           (KassaCatalogItem *self);
void                 kassa_catalog_item_set_public           (KassaCatalogItem *self,
                                                              gboolean          public);
int                  kassa_catalog_item_get_sort_order       (KassaCatalogItem *self);
void                 kassa_catalog_item_set_sort_order       (KassaCatalogItem *self,
                                                              int               sort_order);
const char * const  *kassa_catalog_item_get_image_paths      (KassaCatalogItem *self);
void                 kassa_catalog_item_set_image_paths      (KassaCatalogItem   *self,
                                                              const char * const *image_paths);

/* KASSA_ERROR_INVALID naming the first rule broken. */
gboolean             kassa_catalog_item_validate             (KassaCatalogItem  *self,
                                                              GError           **error);
/* Whether a till may sell it now (active, and a service has a duration). */
gboolean             kassa_catalog_item_is_sellable          (KassaCatalogItem  *self);

G_END_DECLS
