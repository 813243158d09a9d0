/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kassa-catalog-import.h"
#include "kassa-catalog-item.h"
#include "kassa-shop.h"
#include "kassa-store-enums.h"

G_BEGIN_DECLS

/* The catalog use cases. Reading needs the sell or the manage-catalog
 * permission; importing and exporting need manage-catalog, and an import
 * is recorded in the audit log with its counts, in its transaction.
 * Refusals are KASSA_ERROR_PERMISSION_DENIED. */

/* Returns: (transfer full) (element-type KassaCatalogItem) */
GPtrArray        *kassa_shop_list_catalog       (KassaShop                  *self,
                                                 KassaCatalogFilter          filter,
                                                 guint                       offset,
                                                 guint                       limit,
                                                 GError                    **error);
/* Returns: (transfer full) (element-type KassaCatalogItem) */
GPtrArray        *kassa_shop_search_catalog     (KassaShop                  *self,
                                                 const char                 *text,
                                                 KassaCatalogFilter          filter,
                                                 guint                       limit,
                                                 GError                    **error);
/* KASSA_ERROR_NOT_FOUND when no item has @sku. */
KassaCatalogItem *kassa_shop_get_item_by_sku    (KassaShop                  *self,
                                                 const char                 *sku,
                                                 GError                    **error);
gboolean          kassa_shop_import_catalog     (KassaShop                  *self,
                                                 GInputStream               *stream,
                                                 KassaCatalogFormat          format,
                                                 KassaCatalogImportFlags     flags,
                                                 KassaCatalogImportProgress  progress,
                                                 gpointer                    user_data,
                                                 KassaCatalogImportResult   *result,
                                                 GCancellable               *cancellable,
                                                 GError                    **error);
gboolean          kassa_shop_export_catalog     (KassaShop                  *self,
                                                 GOutputStream              *stream,
                                                 KassaCatalogFormat          format,
                                                 GCancellable               *cancellable,
                                                 GError                    **error);

G_END_DECLS
