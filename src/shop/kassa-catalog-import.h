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
 * CSV: RFC 4180, UTF-8 (a byte-order mark is skipped), a header row
 * naming the columns in any order (case ignored); only name and price
 * are required. Export writes them all, in this order:
 *
 *   name             text, required
 *   description      text
 *   kind             product | service (default product)
 *   type             free-text category
 *   sku              text, unique
 *   barcode          text, unique
 *   price            exact decimal in the currency's unit: "12.50",
 *                    "1200" for JPY; required
 *   currency         ISO 4217 code, "EUR" (default: the store's currency)
 *   tax_rate         percent, exact: "20", "5.5" (default: the store's
 *                    default tax rate, else 0)
 *   pricing          one_time | recurring (default one_time; "one-time"
 *                    is read too)
 *   interval         month | year, recurring prices only (empty or
 *                    "none" for none)
 *   interval_count   whole number ≥ 1 (default 1)
 *   cycles           whole number, 0 = until cancelled (default 0)
 *   duration_minutes whole number, services only (default 0)
 *   stock            stock on hand, exact decimal: "12", "2.5" (default 0)
 *   status           active | draft | archived (default active)
 *   public           true | false (also 1/0, yes/no; default true)
 *   sort_order       whole number (default 0)
 *
 * An empty field takes the default. Unknown columns are refused, so a
 * misspelt header is not silently dropped. Price, tax rate and stock
 * use a decimal point, or a decimal comma with
 * KASSA_CATALOG_IMPORT_DECIMAL_COMMA (such a field is then quoted:
 * "12,50").
 *
 * JSON: an array of objects with the same field names. Amounts, rates
 * and stock are strings holding exact decimals (never JSON floats);
 * the whole-number fields may be JSON integers or strings, public a
 * boolean; sku, barcode and interval may be null.
 *
 * Import runs in one transaction and reads the whole file, naming every
 * bad row — "line 17, column price: “12,5x” is not an amount" for CSV,
 * "item 17, field price: …" for JSON. SKUs twice in the file or already
 * in the store are bad rows too. By default one bad row keeps the whole
 * file out: the KASSA_ERROR_INVALID message is that row's, or for
 * several "3 invalid rows; nothing imported" and one line per row (the
 * first KASSA_CSV_MAX_PROBLEMS, then "and 37 more"). With
 * KASSA_CATALOG_IMPORT_SKIP_INVALID the good rows are kept and the bad
 * ones listed in the result. A header without name or price, or with an
 * unknown column, is one error and nothing is imported.
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
  /* Good rows are kept, bad ones reported in the result. */
  KASSA_CATALOG_IMPORT_SKIP_INVALID    = 1 << 1,
  /* Numbers are written with a decimal comma: "12,50". */
  KASSA_CATALOG_IMPORT_DECIMAL_COMMA   = 1 << 2,
} KassaCatalogImportFlags;

/**
 * KassaCatalogImportResult:
 * @n_added: new items
 * @n_updated: items updated by SKU
 * @n_invalid: rows skipped as invalid (KASSA_CATALOG_IMPORT_SKIP_INVALID)
 * @invalid_rows: the first KASSA_CSV_MAX_PROBLEMS of them, one message
 *   each, NULL-terminated, or NULL when there were none; free with
 *   kassa_catalog_import_result_clear()
 */
typedef struct
{
  guint   n_added;
  guint   n_updated;
  guint   n_invalid;
  char  **invalid_rows;
} KassaCatalogImportResult;

void      kassa_catalog_import_result_clear (KassaCatalogImportResult *result);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KassaCatalogImportResult, kassa_catalog_import_result_clear)

/* Called every few hundred rows read and once at the end with the
 * number of rows read so far. */
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
