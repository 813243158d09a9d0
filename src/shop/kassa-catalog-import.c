/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-catalog-import"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "kassa-catalog-import.h"
#include "kassa-catalog-repository.h"
#include "kassa-core-enum-types.h"
#include "kassa-csv.h"
#include "kassa-error.h"
#include "kassa-money.h"
#include "kassa-settings-repository.h"
#include "kassa-store-error.h"
#include "kassa-tax-rate-repository.h"

#define PROGRESS_EVERY 500
#define EXPORT_BATCH 1000
#define EXPORT_FLUSH_BYTES 65536

typedef enum
{
  COLUMN_NAME,
  COLUMN_DESCRIPTION,
  COLUMN_KIND,
  COLUMN_TYPE,
  COLUMN_SKU,
  COLUMN_BARCODE,
  COLUMN_PRICE,
  COLUMN_CURRENCY,
  COLUMN_TAX_RATE,
  COLUMN_PRICING,
  COLUMN_INTERVAL,
  COLUMN_INTERVAL_COUNT,
  COLUMN_CYCLES,
  COLUMN_DURATION_MINUTES,
  COLUMN_STOCK,
  COLUMN_STATUS,
  COLUMN_PUBLIC,
  COLUMN_SORT_ORDER,
  N_COLUMNS
} Column;

static const char * const column_names[N_COLUMNS] = {
  "name", "description", "kind", "type", "sku", "barcode", "price", "currency",
  "tax_rate", "pricing", "interval", "interval_count", "cycles", "duration_minutes",
  "stock", "status", "public", "sort_order",
};

/* Where a row came from: a line of a CSV file or an item of a JSON array. */
typedef struct
{
  gboolean json;
  guint    number;
} Location;

typedef struct
{
  KassaDatabase              *database;
  KassaCatalogRepository     *repository;
  KassaCatalogImportFlags     flags;
  KassaCatalogImportProgress  progress;
  gpointer                    user_data;
  /* Checked at every row: not every stream's reads are cancellable. */
  GCancellable               *cancellable;
  KassaCatalogImportResult    result;
  gint64                      default_tax_rate;
  /* For rows that leave the currency out: the store's. */
  const KassaCurrency        *default_currency;
  char                        decimal_point;
  guint                       n_done;
  KassaCsvProblems            problems;
  /* SKUs seen in this file when updates are allowed: the unique index
   * cannot tell a second row for a SKU from an update of the store's. */
  GHashTable                 *skus_seen;
  /* CSV: column → field index, -1 when the file lacks the column. */
  int                         field_of[N_COLUMNS];
  gboolean                    have_header;
  /* New items only: they go in through the catalog's bulk load, a
   * batch at a time: n_batch items wait to be saved, each from the row
   * at batch_where[i]. A JSON file's items come from @pool, reused from
   * batch to batch; a CSV file's from the reading thread (see Reader). */
  gboolean                    bulk;
  GPtrArray                  *pool;
  guint                       n_batch;
  KassaCatalogItem           *batch[KASSA_CATALOG_REPOSITORY_MAX_BATCH];
  Location                    batch_where[KASSA_CATALOG_REPOSITORY_MAX_BATCH];
} Import;

static int
find_column (const char *name)
{
  g_autofree char *key = g_ascii_strdown (name, -1);

  g_strstrip (key);
  for (int i = 0; i < N_COLUMNS; i++)
    {
      if (g_str_equal (key, column_names[i]))
        return i;
    }

  return -1;
}

/* "line 17, column price: “12,5x” is not an amount" */
static gboolean G_GNUC_PRINTF (4, 5)
field_error (GError         **error,
             const Location  *at,
             Column           column,
             const char      *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (at->json)
    g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                 /* Translators: "item 17, field price: “12,5x” is not an amount" */
                 _("item %u, field %s: %s"), at->number, column_names[column], message);
  else
    g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                 /* Translators: "line 17, column price: “12,5x” is not an amount" */
                 _("line %u, column %s: %s"), at->number, column_names[column], message);
  return FALSE;
}

/* An error of the row as a whole: "line 17: a service needs a duration". */
static gboolean
row_error (GError         **error,
           const Location  *at,
           const char      *message)
{
  if (at->json)
    g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("item %u: %s"), at->number, message);
  else
    g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("line %u: %s"), at->number, message);
  return FALSE;
}

static gboolean
parse_enum (GType        type,
            const char  *text,
            int          fallback,
            int         *value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *found;

  if (text[0] == '\0')
    {
      *value = fallback;
      return TRUE;
    }

  found = g_enum_get_value_by_nick (klass, text);
  if (found == NULL)
    return FALSE;

  *value = found->value;
  return TRUE;
}

static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *found = g_enum_get_value (klass, value);

  return found != NULL ? found->value_nick : "";
}

/* The file's words, which are not the enum nicks: "one_time" (and the
 * older "one-time"), and no interval written as nothing. */
static gboolean
parse_pricing (const char *text,
               int        *value)
{
  if (text[0] == '\0' || g_str_equal (text, "one_time") || g_str_equal (text, "one-time"))
    *value = KASSA_PRICING_ONE_TIME;
  else if (g_str_equal (text, "recurring"))
    *value = KASSA_PRICING_RECURRING;
  else
    return FALSE;

  return TRUE;
}

static const char *
pricing_name (KassaPricing pricing)
{
  return pricing == KASSA_PRICING_RECURRING ? "recurring" : "one_time";
}

static gboolean
parse_interval (const char *text,
                int        *value)
{
  if (text[0] == '\0' || g_str_equal (text, "none"))
    *value = KASSA_BILLING_INTERVAL_NONE;
  else if (g_str_equal (text, "month"))
    *value = KASSA_BILLING_INTERVAL_MONTH;
  else if (g_str_equal (text, "year"))
    *value = KASSA_BILLING_INTERVAL_YEAR;
  else
    return FALSE;

  return TRUE;
}

static const char *
interval_name (KassaBillingInterval interval)
{
  switch (interval)
    {
    case KASSA_BILLING_INTERVAL_MONTH:
      return "month";
    case KASSA_BILLING_INTERVAL_YEAR:
      return "year";
    case KASSA_BILLING_INTERVAL_NONE:
    default:
      return "";
    }
}

static gboolean
parse_int (const char *text,
           gint64      min,
           gint64      max,
           gint64      fallback,
           gint64     *value)
{
  if (text[0] == '\0')
    {
      *value = fallback;
      return TRUE;
    }

  return g_ascii_string_to_signed (text, 10, min, max, value, NULL);
}

static gboolean
parse_bool (const char *text,
            gboolean   *value)
{
  static const char *yes[] = { "true", "1", "yes" };
  static const char *no[] = { "false", "0", "no" };

  if (text[0] == '\0')
    {
      *value = TRUE;
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      if (g_ascii_strcasecmp (text, yes[i]) == 0)
        return (*value = TRUE);
      if (g_ascii_strcasecmp (text, no[i]) == 0)
        return !(*value = FALSE);
    }

  return FALSE;
}

/* Refuses a SKU or barcode another item holds, naming the row's column;
 * @existing gets the item holding the SKU when updates are allowed. */
static gboolean
check_codes (Import              *import,
             const char          *sku,
             const char          *barcode,
             const Location      *where,
             KassaCatalogItem   **existing,
             GError             **error)
{
  g_autoptr(GError) local_error = NULL;

  if (sku[0] != '\0')
    {
      *existing = kassa_catalog_repository_get_by_sku (import->repository, sku, error);
      if (*existing == NULL && error != NULL && *error != NULL)
        return FALSE;

      if (*existing != NULL && !(import->flags & KASSA_CATALOG_IMPORT_UPDATE_EXISTING))
        return field_error (error, where, COLUMN_SKU, _("“%s” is already used by “%s”"),
                            sku, kassa_catalog_item_get_name (*existing));
    }

  if (barcode[0] != '\0')
    {
      g_autoptr(KassaCatalogItem) holder = NULL;

      holder = kassa_catalog_repository_get_by_barcode (import->repository, barcode, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      if (holder != NULL &&
          (*existing == NULL || kassa_catalog_item_get_id (holder) != kassa_catalog_item_get_id (*existing)))
        return field_error (error, where, COLUMN_BARCODE, _("“%s” is already used by “%s”"),
                            barcode, kassa_catalog_item_get_name (holder));
    }

  return TRUE;
}

/* A refusal of this row's content is the row's problem (KASSA_ERROR_INVALID
 * naming the row); anything else (a full disk, a broken file) ends the
 * import. */
static gboolean
save_failed (const Location  *where,
             GError         **local_error,
             GError         **error)
{
  if (g_error_matches (*local_error, KASSA_ERROR, KASSA_ERROR_INVALID) ||
      g_error_matches (*local_error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT))
    return row_error (error, where, (*local_error)->message);

  g_propagate_error (error, g_steal_pointer (local_error));
  return FALSE;
}

/* Saves one new item; a SKU or barcode already taken is named by column. */
static gboolean
insert_item (Import            *import,
             KassaCatalogItem  *item,
             const Location    *where,
             GError           **error)
{
  g_autoptr(GError) local_error = NULL;

  if (kassa_catalog_repository_insert (import->repository, item, &local_error) == 0)
    {
      g_autoptr(KassaCatalogItem) holder = NULL;

      /* In bulk the unique indexes check the codes, and this only runs
       * to explain a refusal. */
      if (import->bulk &&
          g_error_matches (local_error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT) &&
          !check_codes (import,
                        kassa_catalog_item_get_sku (item) ?: "",
                        kassa_catalog_item_get_barcode (item) ?: "",
                        where, &holder, error))
        return FALSE;
      return save_failed (where, &local_error, error);
    }

  import->result.n_added++;
  return TRUE;
}

/* Saves the rows waiting in the batch. When the store refuses the batch,
 * its rows go in one by one so that each refused row is named with its
 * line, as if there had been no batch. FALSE only for errors that end
 * the import. */
static gboolean
flush_batch (Import  *import,
             GError **error)
{
  KassaCatalogItem **items = import->batch;
  g_autoptr(GError) local_error = NULL;
  guint n = import->n_batch;
  gboolean ok = TRUE;

  if (n == 0)
    return TRUE;
  import->n_batch = 0;

  if (kassa_catalog_repository_insert_many (import->repository, items, n, &local_error))
    import->result.n_added += n;
  else if (!g_error_matches (local_error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT) &&
           !g_error_matches (local_error, KASSA_ERROR, KASSA_ERROR_INVALID))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      ok = FALSE;
    }
  else
    {
      for (guint i = 0; ok && i < n; i++)
        {
          g_autoptr(GError) row_error = NULL;

          if (insert_item (import, items[i], &import->batch_where[i], &row_error))
            continue;

          if (g_error_matches (row_error, KASSA_ERROR, KASSA_ERROR_INVALID))
            kassa_csv_problems_add (&import->problems, row_error->message);
          else
            {
              g_propagate_error (error, g_steal_pointer (&row_error));
              ok = FALSE;
            }
        }
    }

  for (guint i = 0; i < n; i++)
    kassa_catalog_item_set_id (items[i], 0);

  return ok;
}

/* Files a bad row among the problems, after the rows before it that wait
 * in the batch, so the problems stay in the order of the file. */
static gboolean
add_problem (Import      *import,
             const char  *message,
             GError     **error)
{
  if (import->bulk && !flush_batch (import, error))
    return FALSE;

  kassa_csv_problems_add (&import->problems, message);
  return TRUE;
}

/* Fills @item from one row's fields (never NULL: "" when absent) and
 * checks it, as the store would. Reads only the import's settings, so
 * the reading thread may call it. */
static gboolean
build_item (const Import        *import,
            const char * const  *values,
            const Location      *where,
            KassaCatalogItem    *item,
            GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  const KassaCurrency *currency;
  gint64 price, rate, stock, number;
  int kind, pricing, interval, status;
  gboolean is_public;
  const char *sku = values[COLUMN_SKU];
  const char *barcode = values[COLUMN_BARCODE];

  if (values[COLUMN_NAME][0] == '\0')
    return field_error (error, where, COLUMN_NAME, _("an item needs a name"));
  kassa_catalog_item_set_name (item, values[COLUMN_NAME]);
  kassa_catalog_item_set_description (item, values[COLUMN_DESCRIPTION]);
  kassa_catalog_item_set_item_type (item, values[COLUMN_TYPE]);
  kassa_catalog_item_set_sku (item, sku[0] != '\0' ? sku : NULL);
  kassa_catalog_item_set_barcode (item, barcode[0] != '\0' ? barcode : NULL);

  if (values[COLUMN_CURRENCY][0] == '\0')
    currency = import->default_currency;
  else
    currency = kassa_currency_lookup (values[COLUMN_CURRENCY], NULL);
  if (currency == NULL)
    return field_error (error, where, COLUMN_CURRENCY, _("“%s” is not a currency code"),
                        values[COLUMN_CURRENCY]);
  kassa_catalog_item_set_currency_code (item, kassa_currency_get_code (currency));

  if (values[COLUMN_PRICE][0] == '\0')
    return field_error (error, where, COLUMN_PRICE, _("an item needs a price"));

  if (!kassa_money_parse (currency, values[COLUMN_PRICE], import->decimal_point, &price, &local_error))
    {
      if (g_error_matches (local_error, KASSA_ERROR, KASSA_ERROR_PRECISION))
        return field_error (error, where, COLUMN_PRICE, _("“%s” has more decimals than %s has"),
                            values[COLUMN_PRICE], kassa_currency_get_code (currency));
      if (g_error_matches (local_error, KASSA_ERROR, KASSA_ERROR_OVERFLOW))
        return field_error (error, where, COLUMN_PRICE, _("“%s” is too large"), values[COLUMN_PRICE]);
      return field_error (error, where, COLUMN_PRICE, _("“%s” is not an amount"), values[COLUMN_PRICE]);
    }
  kassa_catalog_item_set_price (item, price);

  if (values[COLUMN_TAX_RATE][0] == '\0')
    rate = import->default_tax_rate;
  else if (!kassa_rate_parse (values[COLUMN_TAX_RATE], import->decimal_point, &rate, NULL) ||
           rate < 0 || rate > KASSA_RATE_WHOLE)
    return field_error (error, where, COLUMN_TAX_RATE, _("“%s” is not a tax rate in percent"),
                        values[COLUMN_TAX_RATE]);
  kassa_catalog_item_set_tax_rate (item, rate);

  if (!parse_enum (KASSA_TYPE_ITEM_KIND, values[COLUMN_KIND], KASSA_ITEM_KIND_PRODUCT, &kind))
    return field_error (error, where, COLUMN_KIND, _("“%s” is neither product nor service"),
                        values[COLUMN_KIND]);
  kassa_catalog_item_set_kind (item, kind);

  if (!parse_pricing (values[COLUMN_PRICING], &pricing))
    return field_error (error, where, COLUMN_PRICING, _("“%s” is neither one_time nor recurring"),
                        values[COLUMN_PRICING]);
  kassa_catalog_item_set_pricing (item, pricing);

  if (!parse_interval (values[COLUMN_INTERVAL], &interval))
    return field_error (error, where, COLUMN_INTERVAL, _("“%s” is neither month nor year"),
                        values[COLUMN_INTERVAL]);
  kassa_catalog_item_set_interval (item, interval);

  if (!parse_int (values[COLUMN_INTERVAL_COUNT], 1, 1000, 1, &number))
    return field_error (error, where, COLUMN_INTERVAL_COUNT, _("“%s” is not a whole number from 1"),
                        values[COLUMN_INTERVAL_COUNT]);
  kassa_catalog_item_set_interval_count (item, number);

  if (!parse_int (values[COLUMN_CYCLES], 0, G_MAXINT, 0, &number))
    return field_error (error, where, COLUMN_CYCLES, _("“%s” is not a whole number"),
                        values[COLUMN_CYCLES]);
  kassa_catalog_item_set_cycles (item, number);

  if (!parse_int (values[COLUMN_DURATION_MINUTES], 0, G_MAXINT, 0, &number))
    return field_error (error, where, COLUMN_DURATION_MINUTES, _("“%s” is not a whole number of minutes"),
                        values[COLUMN_DURATION_MINUTES]);
  kassa_catalog_item_set_duration_minutes (item, number);

  if (values[COLUMN_STOCK][0] == '\0')
    stock = 0;
  else if (!kassa_quantity_parse (values[COLUMN_STOCK], import->decimal_point, &stock, NULL))
    return field_error (error, where, COLUMN_STOCK, _("“%s” is not a quantity"), values[COLUMN_STOCK]);
  kassa_catalog_item_set_stock_on_hand (item, stock);

  if (!parse_enum (KASSA_TYPE_ITEM_STATUS, values[COLUMN_STATUS], KASSA_ITEM_STATUS_ACTIVE, &status))
    return field_error (error, where, COLUMN_STATUS, _("“%s” is not active, draft or archived"),
                        values[COLUMN_STATUS]);
  kassa_catalog_item_set_status (item, status);

  if (!parse_bool (values[COLUMN_PUBLIC], &is_public))
    return field_error (error, where, COLUMN_PUBLIC, _("“%s” is neither true nor false"),
                        values[COLUMN_PUBLIC]);
  kassa_catalog_item_set_public (item, is_public);

  if (!parse_int (values[COLUMN_SORT_ORDER], G_MININT, G_MAXINT, 0, &number))
    return field_error (error, where, COLUMN_SORT_ORDER, _("“%s” is not a whole number"),
                        values[COLUMN_SORT_ORDER]);
  kassa_catalog_item_set_sort_order (item, number);

  if (!kassa_catalog_item_validate (item, &local_error))
    return row_error (error, where, local_error->message);

  return TRUE;
}

/* Builds an item from one row's fields and saves it, or puts it in the
 * batch of a bulk load. */
static gboolean
apply_row (Import              *import,
           const char * const  *values,
           const Location      *where,
           GError             **error)
{
  g_autoptr(KassaCatalogItem) item = NULL;
  g_autoptr(KassaCatalogItem) existing = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *sku = values[COLUMN_SKU];
  const char *barcode = values[COLUMN_BARCODE];

  /* build_item sets every field, so an item of the pool needs no clearing. */
  if (import->bulk)
    {
      if (import->n_batch == import->pool->len)
        g_ptr_array_add (import->pool, kassa_catalog_item_new ());
      item = g_object_ref (import->pool->pdata[import->n_batch]);
    }
  else
    item = kassa_catalog_item_new ();

  if (!build_item (import, values, where, item, error))
    return FALSE;

  /* Codes are checked here too so the error names the row's column. In
   * bulk the unique indexes check them, and this only runs to explain a
   * refusal. */
  if (!import->bulk && !check_codes (import, sku, barcode, where, &existing, error))
    return FALSE;

  if (import->skus_seen != NULL && sku[0] != '\0')
    {
      gpointer line;

      if (g_hash_table_lookup_extended (import->skus_seen, sku, NULL, &line))
        return field_error (error, where, COLUMN_SKU,
                            where->json ? _("“%s” is already in item %u") : _("“%s” is already on line %u"),
                            sku, GPOINTER_TO_UINT (line));
    }

  if (import->bulk)
    {
      import->batch[import->n_batch] = item;
      import->batch_where[import->n_batch++] = *where;
      if (import->n_batch == KASSA_CATALOG_REPOSITORY_MAX_BATCH)
        return flush_batch (import, error);
      return TRUE;
    }

  if (existing != NULL)
    {
      kassa_catalog_item_set_id (item, kassa_catalog_item_get_id (existing));
      if (!kassa_catalog_repository_update (import->repository, item, &local_error))
        return save_failed (where, &local_error, error);
      import->result.n_updated++;
    }
  else if (!insert_item (import, item, where, error))
    return FALSE;

  /* Only a row that went in claims its SKU for the rest of the file. */
  if (import->skus_seen != NULL && sku[0] != '\0')
    g_hash_table_insert (import->skus_seen, g_strdup (sku), GUINT_TO_POINTER (where->number));

  return TRUE;
}

static void
row_done (Import *import)
{
  if (++import->n_done % PROGRESS_EVERY == 0 && import->progress != NULL)
    import->progress (import->n_done, import->user_data);
}

/* Runs one row and files a bad one among the problems, so the import
 * goes on to name every bad row in the file. FALSE only for errors that
 * end the import. */
static gboolean
import_row (Import              *import,
            const char * const  *values,
            const Location      *where,
            GError             **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!apply_row (import, values, where, &local_error))
    {
      if (!g_error_matches (local_error, KASSA_ERROR, KASSA_ERROR_INVALID))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!add_problem (import, local_error->message, error))
        return FALSE;
    }

  row_done (import);
  return TRUE;
}

/* Reads the header row into field_of. */
static gboolean
csv_header (Import             *import,
            const KassaCsvRow  *row,
            GError            **error)
{
  static const Column required[] = { COLUMN_NAME, COLUMN_PRICE };

  for (int i = 0; i < N_COLUMNS; i++)
    import->field_of[i] = -1;

  for (guint i = 0; i < row->n_fields; i++)
    {
      int column = find_column (row->fields[i]);

      if (column < 0)
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                       _("line %u: unknown column “%s”"), row->line, row->fields[i]);
          return FALSE;
        }
      if (import->field_of[column] >= 0)
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                       _("line %u: column “%s” appears twice"), row->line, column_names[column]);
          return FALSE;
        }
      import->field_of[column] = i;
    }

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      if (import->field_of[required[i]] < 0)
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                       _("line %u: the header lacks the column “%s”"), row->line,
                       column_names[required[i]]);
          return FALSE;
        }
    }

  import->have_header = TRUE;
  return TRUE;
}

/* NULL for a row whose text can be read, else the row's problem; FALSE
 * with @error when the header itself cannot be read. */
static gboolean
csv_check_utf8 (const Import       *import,
                const KassaCsvRow  *row,
                char              **problem,
                GError            **error)
{
  *problem = NULL;
  if (row->valid_utf8)
    return TRUE;

  *problem = g_strdup_printf (_("line %u: the text is not UTF-8; save the file as UTF-8"), row->line);

  /* Without readable column names nothing after them can be read. */
  if (!import->have_header)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID, *problem);
      g_clear_pointer (problem, g_free);
      return FALSE;
    }

  return TRUE;
}

static void
csv_values (const Import       *import,
            const KassaCsvRow  *row,
            const char         *values[N_COLUMNS])
{
  for (int i = 0; i < N_COLUMNS; i++)
    {
      int field = import->field_of[i];

      values[i] = field >= 0 && (guint) field < row->n_fields ? row->fields[field] : "";
    }
}

static gboolean
csv_row_cb (const KassaCsvRow  *row,
            gpointer            user_data,
            GError            **error)
{
  Import *import = user_data;
  g_autofree char *problem = NULL;
  const char *values[N_COLUMNS];
  Location where = { FALSE, row->line };

  if (g_cancellable_set_error_if_cancelled (import->cancellable, error))
    return FALSE;

  if (!csv_check_utf8 (import, row, &problem, error))
    return FALSE;
  if (problem != NULL)
    {
      if (!add_problem (import, problem, error))
        return FALSE;
      row_done (import);
      return TRUE;
    }

  if (!import->have_header)
    return csv_header (import, row, error);

  csv_values (import, row, values);
  return import_row (import, values, &where, error);
}

/* A bulk load of a CSV file reads and checks its rows on a thread of its
 * own while this one saves them: reading took a fifth of the time the
 * saving does. The reader hands over batches of rows in the file's
 * order, each row an item or the reason it is bad, so the saving side
 * files problems in the same order as a single thread would. A fixed
 * number of batches goes back and forth, which bounds the memory a
 * large file takes when saving is the slower side. */
/* Each hand-over wakes the other thread; batches of several store
 * batches keep the two from waking each other at every one. */
#define READER_BATCH_ROWS (8 * KASSA_CATALOG_REPOSITORY_MAX_BATCH)
#define READER_N_BATCHES 8

typedef struct
{
  guint             n_rows;
  gboolean          last;
  Location          where[READER_BATCH_ROWS];
  /* Row i is items[i] when problems[i] is NULL. The items are the
   * batch's own and reused. */
  KassaCatalogItem *items[READER_BATCH_ROWS];
  char             *problems[READER_BATCH_ROWS];
} RowBatch;

typedef struct
{
  /* The reader only reads the import's settings, and writes its header
   * fields (field_of, have_header), which nothing else touches until
   * the reader is joined. */
  Import        *import;
  GInputStream  *stream;
  GCancellable  *cancellable;
  GAsyncQueue   *full;
  GAsyncQueue   *empty;
  RowBatch      *current;
  /* Set when the saving side failed and the rest of the file is moot. */
  gint           stop;
  gboolean       ok;
  GError        *error;
} Reader;

static void
row_batch_free (RowBatch *batch)
{
  for (guint i = 0; i < READER_BATCH_ROWS; i++)
    {
      g_clear_object (&batch->items[i]);
      g_clear_pointer (&batch->problems[i], g_free);
    }
  g_free (batch);
}

static gboolean
reader_row_cb (const KassaCsvRow  *row,
               gpointer            user_data,
               GError            **error)
{
  Reader *reader = user_data;
  RowBatch *batch = reader->current;
  guint i = batch->n_rows;
  g_autoptr(GError) local_error = NULL;
  const char *values[N_COLUMNS];
  Location where = { FALSE, row->line };

  if (g_cancellable_set_error_if_cancelled (reader->import->cancellable, error))
    return FALSE;

  if (g_atomic_int_get (&reader->stop))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The import stopped");
      return FALSE;
    }

  if (!csv_check_utf8 (reader->import, row, &batch->problems[i], error))
    return FALSE;

  if (batch->problems[i] == NULL)
    {
      if (!reader->import->have_header)
        return csv_header (reader->import, row, error);

      if (batch->items[i] == NULL)
        batch->items[i] = kassa_catalog_item_new ();
      kassa_catalog_item_set_id (batch->items[i], 0);

      csv_values (reader->import, row, values);
      if (!build_item (reader->import, values, &where, batch->items[i], &local_error))
        {
          if (!g_error_matches (local_error, KASSA_ERROR, KASSA_ERROR_INVALID))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          batch->problems[i] = g_strdup (local_error->message);
        }
    }

  batch->where[i] = where;
  if (++batch->n_rows == READER_BATCH_ROWS)
    {
      g_async_queue_push (reader->full, batch);
      reader->current = g_async_queue_pop (reader->empty);
    }

  return TRUE;
}

static gpointer
reader_main (gpointer data)
{
  Reader *reader = data;

  reader->current = g_async_queue_pop (reader->empty);
  reader->ok = kassa_csv_parse (reader->stream, reader_row_cb, reader, reader->cancellable, &reader->error);
  reader->current->last = TRUE;
  g_async_queue_push (reader->full, g_steal_pointer (&reader->current));

  return NULL;
}

/* Saves the rows of one batch from the reader; FALSE only for errors
 * that end the import. */
static gboolean
save_row_batch (Import    *import,
                RowBatch  *batch,
                GError   **error)
{
  for (guint i = 0; i < batch->n_rows; i++)
    {
      if (batch->problems[i] != NULL)
        {
          if (!add_problem (import, batch->problems[i], error))
            return FALSE;
          g_clear_pointer (&batch->problems[i], g_free);
        }
      else
        {
          import->batch[import->n_batch] = batch->items[i];
          import->batch_where[import->n_batch++] = batch->where[i];
          if (import->n_batch == KASSA_CATALOG_REPOSITORY_MAX_BATCH && !flush_batch (import, error))
            return FALSE;
        }
      row_done (import);
    }

  /* The items go back to the reader, so they are saved first. */
  return flush_batch (import, error);
}

static gboolean
import_csv_threaded (Import        *import,
                     GInputStream  *stream,
                     GCancellable  *cancellable,
                     GError       **error)
{
  Reader reader = { 0 };
  GThread *thread;
  RowBatch *batch;
  gboolean ok = TRUE;

  reader.import = import;
  reader.stream = stream;
  reader.cancellable = cancellable;
  reader.full = g_async_queue_new ();
  reader.empty = g_async_queue_new ();
  for (guint i = 0; i < READER_N_BATCHES; i++)
    g_async_queue_push (reader.empty, g_new0 (RowBatch, 1));

  thread = g_thread_new ("kassa-csv-reader", reader_main, &reader);

  /* After a failure the batches still come back to the reader until its
   * last one, so it is never left waiting for one. */
  for (gboolean last = FALSE; !last;)
    {
      batch = g_async_queue_pop (reader.full);
      last = batch->last;

      if (ok && !save_row_batch (import, batch, error))
        {
          ok = FALSE;
          g_atomic_int_set (&reader.stop, 1);
        }

      for (guint i = 0; i < batch->n_rows; i++)
        g_clear_pointer (&batch->problems[i], g_free);
      batch->n_rows = 0;
      batch->last = FALSE;
      g_async_queue_push (reader.empty, batch);
    }
  g_thread_join (thread);

  if (ok && !reader.ok)
    {
      g_propagate_error (error, g_steal_pointer (&reader.error));
      ok = FALSE;
    }
  g_clear_error (&reader.error);

  while ((batch = g_async_queue_try_pop (reader.empty)) != NULL)
    row_batch_free (batch);
  g_async_queue_unref (reader.full);
  g_async_queue_unref (reader.empty);

  return ok;
}

/* The fields of one JSON item as the text a CSV row would hold; the
 * strings are borrowed from @object or added to @owned. */
static gboolean
json_item_values (JsonObject      *object,
                  const Location  *where,
                  const char      *values[N_COLUMNS],
                  GPtrArray       *owned,
                  GError         **error)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;

  for (int c = 0; c < N_COLUMNS; c++)
    values[c] = "";

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, &value))
    {
      int column = find_column (member);
      GType type;

      if (column < 0)
        {
          g_autofree char *message = g_strdup_printf (_("unknown field “%s”"), member);

          return row_error (error, where, message);
        }

      if (JSON_NODE_HOLDS_NULL (value))
        continue;

      if (!JSON_NODE_HOLDS_VALUE (value))
        return field_error (error, where, column, _("not a single value"));

      type = json_node_get_value_type (value);
      if (type == G_TYPE_STRING)
        values[column] = json_node_get_string (value);
      else if (type == G_TYPE_INT64)
        {
          char *text = g_strdup_printf ("%" PRId64, json_node_get_int (value));
          g_ptr_array_add (owned, text);
          values[column] = text;
        }
      else if (type == G_TYPE_BOOLEAN)
        values[column] = json_node_get_boolean (value) ? "true" : "false";
      else
        /* A binary fraction cannot hold 0.10 exactly. */
        return field_error (error, where, column,
                            _("write numbers with decimals as strings, such as \"12.50\""));
    }

  return TRUE;
}

static gboolean
import_json (Import        *import,
             GInputStream  *stream,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  JsonArray *array;

  if (!json_parser_load_from_stream (parser, stream, cancellable, error))
    return FALSE;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("A catalog file in JSON is an array of items"));
      return FALSE;
    }

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      Location where = { TRUE, i + 1 };
      g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GError) local_error = NULL;
      const char *values[N_COLUMNS];

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          row_error (&local_error, &where, _("not an object"));
          if (!add_problem (import, local_error->message, error))
            return FALSE;
          row_done (import);
          continue;
        }

      if (!json_item_values (json_node_get_object (element), &where, values, owned, &local_error))
        {
          if (!add_problem (import, local_error->message, error))
            return FALSE;
          row_done (import);
          continue;
        }

      if (!import_row (import, values, &where, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
kassa_catalog_format_from_name (const char          *name,
                                KassaCatalogFormat  *format,
                                GError             **error)
{
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (format != NULL, FALSE);

  if (g_ascii_strcasecmp (name, "csv") == 0)
    *format = KASSA_CATALOG_FORMAT_CSV;
  else if (g_ascii_strcasecmp (name, "json") == 0)
    *format = KASSA_CATALOG_FORMAT_JSON;
  else
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("Unknown catalog format “%s”: use csv or json"), name);
      return FALSE;
    }

  return TRUE;
}

gboolean
kassa_catalog_format_from_path (const char          *path,
                                KassaCatalogFormat  *format,
                                GError             **error)
{
  const char *dot;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (format != NULL, FALSE);

  dot = strrchr (path, '.');
  if (dot == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL ||
      !kassa_catalog_format_from_name (dot + 1, format, NULL))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("Cannot tell the format of “%s”: name it .csv or .json"), path);
      return FALSE;
    }

  return TRUE;
}

gboolean
kassa_catalog_import (KassaDatabase              *database,
                      GInputStream               *stream,
                      KassaCatalogFormat          format,
                      KassaCatalogImportFlags     flags,
                      KassaCatalogImportProgress  progress,
                      gpointer                    user_data,
                      KassaCatalogImportResult   *result,
                      GCancellable               *cancellable,
                      GError                    **error)
{
  g_autoptr(KassaCatalogRepository) repository = NULL;
  g_autoptr(KassaTaxRateRepository) tax_rates = NULL;
  g_autoptr(KassaTaxRateEntry) default_rate = NULL;
  g_autoptr(KassaSettingsRepository) settings_repository = NULL;
  g_autoptr(KassaStoreSettings) settings = NULL;
  g_autoptr(GHashTable) skus_seen = NULL;
  g_autoptr(GPtrArray) pool = NULL;
  Import import = { 0 };
  gboolean ok;

  g_return_val_if_fail (KASSA_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  repository = kassa_catalog_repository_new (database);
  tax_rates = kassa_tax_rate_repository_new (database);

  if (!kassa_database_begin (database, error))
    return FALSE;

  default_rate = kassa_tax_rate_repository_get_default (tax_rates, error);
  if (default_rate == NULL && error != NULL && *error != NULL)
    {
      kassa_database_rollback (database, NULL);
      return FALSE;
    }

  import.database = database;
  import.repository = repository;
  import.flags = flags;
  import.progress = progress;
  import.user_data = user_data;
  import.cancellable = cancellable;
  import.default_tax_rate = default_rate != NULL ? default_rate->rate : 0;
  import.decimal_point = (flags & KASSA_CATALOG_IMPORT_DECIMAL_COMMA) ? ',' : '.';

  settings_repository = kassa_settings_repository_new (database);
  settings = kassa_settings_repository_load_settings (settings_repository, NULL, error);
  if (settings == NULL)
    {
      kassa_database_rollback (database, NULL);
      return FALSE;
    }
  import.default_currency = kassa_currency_lookup (kassa_store_settings_get_currency_code (settings), NULL);

  if (flags & KASSA_CATALOG_IMPORT_UPDATE_EXISTING)
    {
      skus_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      import.skus_seen = skus_seen;
    }

  /* A file of new items is indexed for search in one pass at the end;
   * updates must replace entries as they go. */
  if (!(flags & KASSA_CATALOG_IMPORT_UPDATE_EXISTING))
    {
      if (!kassa_catalog_repository_begin_bulk_insert (repository, error))
        {
          kassa_database_rollback (database, NULL);
          return FALSE;
        }
      import.bulk = TRUE;
      pool = g_ptr_array_new_with_free_func (g_object_unref);
      import.pool = pool;
    }

  if (format == KASSA_CATALOG_FORMAT_CSV)
    {
      if (import.bulk)
        ok = import_csv_threaded (&import, stream, cancellable, error);
      else
        ok = kassa_csv_parse (stream, csv_row_cb, &import, cancellable, error);
      if (ok && !import.have_header)
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                       _("The file is empty: a catalog file starts with a header row"));
          ok = FALSE;
        }
    }
  else
    {
      ok = import_json (&import, stream, cancellable, error);
    }

  if (ok && import.bulk)
    ok = flush_batch (&import, error);

  /* All or nothing unless asked otherwise: every bad row is named, and
   * the good ones go back out with them. */
  if (ok && import.problems.count > 0 && !(flags & KASSA_CATALOG_IMPORT_SKIP_INVALID))
    {
      kassa_csv_problems_set_error (&import.problems, error);
      ok = FALSE;
    }

  if (ok && import.bulk)
    ok = kassa_catalog_repository_end_bulk_insert (repository, error);

  if (!ok)
    {
      kassa_database_rollback (database, NULL);
      if (import.bulk)
        kassa_catalog_repository_end_bulk_insert (repository, NULL);
      kassa_csv_problems_clear (&import.problems);
      return FALSE;
    }

  if (!kassa_database_commit (database, error))
    {
      kassa_csv_problems_clear (&import.problems);
      return FALSE;
    }

  if (progress != NULL)
    progress (import.n_done, user_data);

  if (result != NULL)
    {
      *result = import.result;
      result->n_invalid = import.problems.count;
      /* NULL when every row went in, so callers that never skip need
       * not clear the result. */
      result->invalid_rows = import.problems.count > 0 ? kassa_csv_problems_steal (&import.problems) : NULL;
    }
  kassa_csv_problems_clear (&import.problems);

  return TRUE;
}

void
kassa_catalog_import_result_clear (KassaCatalogImportResult *result)
{
  g_return_if_fail (result != NULL);

  g_clear_pointer (&result->invalid_rows, g_strfreev);
  result->n_added = 0;
  result->n_updated = 0;
  result->n_invalid = 0;
}

/* The fields of @item as export writes them; NULL entries for absent codes. */
static gboolean
item_fields (KassaCatalogItem  *item,
             char              *fields[N_COLUMNS],
             GError           **error)
{
  const KassaCurrency *currency;

  currency = kassa_currency_lookup (kassa_catalog_item_get_currency_code (item), error);
  if (currency == NULL)
    return FALSE;

  fields[COLUMN_SKU] = g_strdup (kassa_catalog_item_get_sku (item));
  fields[COLUMN_BARCODE] = g_strdup (kassa_catalog_item_get_barcode (item));
  fields[COLUMN_NAME] = g_strdup (kassa_catalog_item_get_name (item));
  fields[COLUMN_DESCRIPTION] = g_strdup (kassa_catalog_item_get_description (item) ?: "");
  fields[COLUMN_TYPE] = g_strdup (kassa_catalog_item_get_item_type (item) ?: "");
  fields[COLUMN_KIND] = g_strdup (enum_nick (KASSA_TYPE_ITEM_KIND, kassa_catalog_item_get_kind (item)));
  fields[COLUMN_PRICE] = kassa_money_format_plain (currency, kassa_catalog_item_get_price (item));
  fields[COLUMN_CURRENCY] = g_strdup (kassa_currency_get_code (currency));
  fields[COLUMN_TAX_RATE] = kassa_rate_format (kassa_catalog_item_get_tax_rate (item));
  fields[COLUMN_PRICING] = g_strdup (pricing_name (kassa_catalog_item_get_pricing (item)));
  fields[COLUMN_INTERVAL] = g_strdup (interval_name (kassa_catalog_item_get_interval (item)));
  fields[COLUMN_INTERVAL_COUNT] = g_strdup_printf ("%u", kassa_catalog_item_get_interval_count (item));
  fields[COLUMN_CYCLES] = g_strdup_printf ("%u", kassa_catalog_item_get_cycles (item));
  fields[COLUMN_DURATION_MINUTES] = g_strdup_printf ("%u", kassa_catalog_item_get_duration_minutes (item));
  fields[COLUMN_STOCK] = kassa_quantity_format (kassa_catalog_item_get_stock_on_hand (item));
  fields[COLUMN_STATUS] = g_strdup (enum_nick (KASSA_TYPE_ITEM_STATUS, kassa_catalog_item_get_status (item)));
  fields[COLUMN_PUBLIC] = g_strdup (kassa_catalog_item_get_public (item) ? "true" : "false");
  fields[COLUMN_SORT_ORDER] = g_strdup_printf ("%d", kassa_catalog_item_get_sort_order (item));

  return TRUE;
}

static void
fields_clear (char *fields[N_COLUMNS])
{
  for (int i = 0; i < N_COLUMNS; i++)
    g_clear_pointer (&fields[i], g_free);
}

JsonNode *
kassa_catalog_item_to_json (KassaCatalogItem  *item,
                            GError           **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  char *fields[N_COLUMNS] = { NULL };

  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (item), NULL);

  if (!item_fields (item, fields, error))
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  for (int i = 0; i < N_COLUMNS; i++)
    {
      json_builder_set_member_name (builder, column_names[i]);

      switch (i)
        {
        case COLUMN_INTERVAL_COUNT:
        case COLUMN_CYCLES:
        case COLUMN_DURATION_MINUTES:
        case COLUMN_SORT_ORDER:
          json_builder_add_int_value (builder, g_ascii_strtoll (fields[i], NULL, 10));
          break;

        case COLUMN_PUBLIC:
          json_builder_add_boolean_value (builder, kassa_catalog_item_get_public (item));
          break;

        case COLUMN_INTERVAL:
          /* A one-time price has no interval at all. */
          if (fields[i][0] == '\0')
            json_builder_add_null_value (builder);
          else
            json_builder_add_string_value (builder, fields[i]);
          break;

        default:
          if (fields[i] != NULL)
            json_builder_add_string_value (builder, fields[i]);
          else
            json_builder_add_null_value (builder);
        }
    }
  json_builder_end_object (builder);
  fields_clear (fields);

  return json_builder_get_root (builder);
}

static gboolean
flush (GOutputStream  *stream,
       GString        *buffer,
       gsize           threshold,
       GCancellable   *cancellable,
       GError        **error)
{
  if (buffer->len < threshold || buffer->len == 0)
    return TRUE;

  if (!g_output_stream_write_all (stream, buffer->str, buffer->len, NULL, cancellable, error))
    return FALSE;

  g_string_truncate (buffer, 0);
  return TRUE;
}

gboolean
kassa_catalog_export (KassaDatabase   *database,
                      GOutputStream   *stream,
                      KassaCatalogFormat format,
                      GCancellable    *cancellable,
                      GError         **error)
{
  g_autoptr(KassaCatalogRepository) repository = NULL;
  g_autoptr(GString) buffer = g_string_new (NULL);
  gint64 after_id = 0;
  gboolean first = TRUE;

  g_return_val_if_fail (KASSA_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  repository = kassa_catalog_repository_new (database);

  if (format == KASSA_CATALOG_FORMAT_CSV)
    kassa_csv_append_row (buffer, column_names, N_COLUMNS);
  else
    g_string_append (buffer, "[\n");

  for (;;)
    {
      g_autoptr(GPtrArray) items = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      items = kassa_catalog_repository_list_by_id (repository, after_id, EXPORT_BATCH, error);
      if (items == NULL)
        return FALSE;
      if (items->len == 0)
        break;

      for (guint i = 0; i < items->len; i++)
        {
          KassaCatalogItem *item = items->pdata[i];

          if (format == KASSA_CATALOG_FORMAT_CSV)
            {
              char *fields[N_COLUMNS] = { NULL };

              if (!item_fields (item, fields, error))
                return FALSE;

              for (int c = 0; c < N_COLUMNS; c++)
                {
                  if (fields[c] == NULL)
                    fields[c] = g_strdup ("");
                }

              kassa_csv_append_row (buffer, (const char * const *) fields, N_COLUMNS);
              fields_clear (fields);
            }
          else
            {
              g_autoptr(JsonNode) node = kassa_catalog_item_to_json (item, error);
              g_autofree char *text = NULL;

              if (node == NULL)
                return FALSE;

              text = json_to_string (node, FALSE);
              if (!first)
                g_string_append (buffer, ",\n");
              g_string_append (buffer, text);
              first = FALSE;
            }
        }

      after_id = kassa_catalog_item_get_id (items->pdata[items->len - 1]);

      if (!flush (stream, buffer, EXPORT_FLUSH_BYTES, cancellable, error))
        return FALSE;
    }

  if (format == KASSA_CATALOG_FORMAT_JSON)
    g_string_append (buffer, first ? "]\n" : "\n]\n");

  return flush (stream, buffer, 0, cancellable, error);
}
