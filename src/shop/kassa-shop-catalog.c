/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-shop-catalog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kassa-catalog-repository.h"
#include "kassa-error.h"
#include "kassa-shop-catalog.h"
#include "kassa-shop-private.h"

static gboolean
check_read (KassaShop  *self,
            GError    **error)
{
  /* A cashier looks items up to sell them; a catalog manager to edit them. */
  if (kassa_shop_check_permission (self, KASSA_PERMISSION_SELL, NULL))
    return TRUE;

  return kassa_shop_check_permission (self, KASSA_PERMISSION_MANAGE_CATALOG, error);
}

static KassaCatalogRepository *
repository_of (KassaShop *self)
{
  return kassa_catalog_repository_new (kassa_shop_get_database (self));
}

GPtrArray *
kassa_shop_list_catalog (KassaShop           *self,
                         KassaCatalogFilter   filter,
                         guint                offset,
                         guint                limit,
                         GError             **error)
{
  g_autoptr(KassaCatalogRepository) repository = NULL;

  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_read (self, error))
    return NULL;

  repository = repository_of (self);
  return kassa_catalog_repository_list (repository, filter, offset, limit, error);
}

GPtrArray *
kassa_shop_search_catalog (KassaShop           *self,
                           const char          *text,
                           KassaCatalogFilter   filter,
                           guint                limit,
                           GError             **error)
{
  g_autoptr(KassaCatalogRepository) repository = NULL;

  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_read (self, error))
    return NULL;

  repository = repository_of (self);
  return kassa_catalog_repository_search (repository, text, filter, limit, error);
}

KassaCatalogItem *
kassa_shop_get_item_by_sku (KassaShop   *self,
                            const char  *sku,
                            GError     **error)
{
  g_autoptr(KassaCatalogRepository) repository = NULL;
  g_autoptr(GError) local_error = NULL;
  KassaCatalogItem *item;

  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);
  g_return_val_if_fail (sku != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_read (self, error))
    return NULL;

  repository = repository_of (self);
  item = kassa_catalog_repository_get_by_sku (repository, sku, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (item == NULL)
    g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                 _("No item has the SKU “%s”"), sku);

  return item;
}

gboolean
kassa_shop_import_catalog (KassaShop                  *self,
                           GInputStream               *stream,
                           KassaCatalogFormat          format,
                           KassaCatalogImportFlags     flags,
                           KassaCatalogImportProgress  progress,
                           gpointer                    user_data,
                           KassaCatalogImportResult   *result,
                           GCancellable               *cancellable,
                           GError                    **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_auto(KassaCatalogImportResult) counts = { 0 };
  KassaDatabase *database;

  g_return_val_if_fail (KASSA_IS_SHOP (self), FALSE);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_shop_check_permission (self, KASSA_PERMISSION_MANAGE_CATALOG, error))
    return FALSE;

  database = kassa_shop_get_database (self);

  /* The audit record joins the import's transaction: both or neither. */
  if (!kassa_database_begin (database, error))
    return FALSE;

  if (!kassa_catalog_import (database, stream, format, flags, progress, user_data,
                             &counts, cancellable, error))
    goto fail;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, format == KASSA_CATALOG_FORMAT_CSV ? "csv" : "json");
  json_builder_set_member_name (builder, "added");
  json_builder_add_int_value (builder, counts.n_added);
  json_builder_set_member_name (builder, "updated");
  json_builder_add_int_value (builder, counts.n_updated);
  json_builder_set_member_name (builder, "invalid");
  json_builder_add_int_value (builder, counts.n_invalid);
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  if (kassa_audit_log_record (kassa_shop_get_audit_log (self), kassa_shop_get_actor_id (self),
                              "catalog.import", "catalog", NULL, details, error) == 0)
    goto fail;

  if (!kassa_database_commit (database, error))
    return FALSE;

  if (result != NULL)
    {
      *result = counts;
      counts.invalid_rows = NULL;
    }

  return TRUE;

fail:
  kassa_database_rollback (database, NULL);
  return FALSE;
}

gboolean
kassa_shop_export_catalog (KassaShop           *self,
                           GOutputStream       *stream,
                           KassaCatalogFormat   format,
                           GCancellable        *cancellable,
                           GError             **error)
{
  g_return_val_if_fail (KASSA_IS_SHOP (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_shop_check_permission (self, KASSA_PERMISSION_MANAGE_CATALOG, error))
    return FALSE;

  return kassa_catalog_export (kassa_shop_get_database (self), stream, format, cancellable, error);
}
