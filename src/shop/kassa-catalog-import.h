/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "kassa-catalog-item.h"
#include "kassa-database.h"

G_BEGIN_DECLS

/*
 * Catalog files.
 *
 * CSV: RFC 4180, UTF-8, a header row naming the columns (in any order,
 * case ignored); export writes them in this order:
 *
 *   sku              text, optional, unique
 *   barcode          text, optional, unique
 *   name             text, required
 *   description      text, optional
 *   item_type        free-text category, optional
 *   kind             product | service (default product)
 *   price            exact decimal in the currency's unit, '.' as decimal
 *                    point: "12.50", "1200" for JPY; required
 *   currency         ISO 4217 code, "EUR"; required
 *   tax_rate         percent, exact: "20", "5.5" (default: the store's
 *                    default tax rate, else 0)
 *   pricing          one-time | recurring (default one-time)
 *   interval         none | month | year (default none)
 *   interval_count   whole number ≥ 1 (default 1)
 *   cycles           whole number, 0 = until cancelled (default 0)
 *   duration_minutes whole number, services only (default 0)
 *   stock            stock on hand, exact decimal: "12", "2.5" (default 0)
 *   status           active | draft | archived (default active)
 *   public           true | false (also 1/0, yes/no; default true)
 *   sort_order       whole number (default 0)
 *
 * An empty field takes the default. Unknown columns are refused, so a
 * misspelt header is not silently dropped.
 *
 * JSON: an array of objects with the same field names. Amounts, rates
 * and stock are strings holding exact decimals (never JSON floats);
 * the whole-number fields may be JSON integers or strings, public a
 * boolean; sku and barcode may be null.
 *
 * Import runs in one transaction: the first bad row undoes the whole
 * file, and the error names it — "line 17, column price: “12,5x” is not
 * an amount" for CSV, "item 17, field price: …" for JSON.
 */

typedef enum
{
  KASSA_CATALOG_FORMAT_CSV,
  KASSA_CATALOG_FORMAT_JSON,
} KassaCatalogFormat;

typedef enum
{
  KASSA_CATALOG_IMPORT_NONE            = 0,
  /* A row whose SKU an item already has updates that item instead of
   * being refused as a duplicate. */
  KASSA_CATALOG_IMPORT_UPDATE_EXISTING = 1 << 0,
} KassaCatalogImportFlags;

typedef struct
{
  guint n_added;
  guint n_updated;
} KassaCatalogImportResult;

/* Called every few hundred rows and once at the end with the number of
 * rows done so far. */
typedef void (*KassaCatalogImportProgress) (guint    n_done,
                                            gpointer user_data);

/* ".csv" or ".json", case ignored; KASSA_ERROR_INVALID otherwise. */
gboolean  kassa_catalog_format_from_path (const char                 *path,
                                          KassaCatalogFormat         *format,
                                          GError                    **error);
gboolean  kassa_catalog_format_from_name (const char                 *name,
                                          KassaCatalogFormat         *format,
                                          GError                    **error);

/* The mechanics, without permission checks: the shop's
 * kassa_shop_import_catalog() and kassa_shop_export_catalog() are what
 * the application and kassa-cli call. */
gboolean  kassa_catalog_import           (KassaDatabase              *database,
                                          GInputStream               *stream,
                                          KassaCatalogFormat          format,
                                          KassaCatalogImportFlags     flags,
                                          KassaCatalogImportProgress  progress,
                                          gpointer                    user_data,
                                          KassaCatalogImportResult   *result,
                                          GCancellable               *cancellable,
                                          GError                    **error);
/* Writes every item in id order, so importing the file into an empty
 * catalog and exporting again gives the same bytes. */
gboolean  kassa_catalog_export           (KassaDatabase              *database,
                                          GOutputStream              *stream,
                                          KassaCatalogFormat          format,
                                          GCancellable               *cancellable,
                                          GError                    **error);

/* One item as a JSON object with the file format's fields. */
JsonNode *kassa_catalog_item_to_json     (KassaCatalogItem           *item,
                                          GError                    **error);

G_END_DECLS
