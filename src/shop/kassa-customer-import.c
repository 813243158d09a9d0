/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-customer-import"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kassa-csv.h"
#include "kassa-customer-import.h"
#include "kassa-customer-repository.h"
#include "kassa-error.h"
#include "kassa-shop-private.h"
#include "kassa-store-error.h"
#include "kassa-text.h"

/* How many customers an export reads at a time. */
#define EXPORT_PAGE 500
#define PROGRESS_EVERY 500

enum {
  COLUMN_NAME,
  COLUMN_EMAIL,
  COLUMN_PHONE,
  COLUMN_BILLING_ADDRESS,
  COLUMN_SHIPPING_ADDRESS,
  N_COLUMNS
};

static const char *column_names[N_COLUMNS] = {
  "name", "email", "phone", "billing_address", "shipping_address",
};

typedef struct
{
  KassaCustomerRepository     *repository;
  /* Field index of each column in the file, -1 when absent. */
  int                          fields[N_COLUMNS];
  guint                        n_header_fields;
  gboolean                     have_header;
  guint                        n_imported;
  guint                        n_done;
  KassaCustomerImportProgress  progress;
  gpointer                     user_data;
  KassaCsvProblems             problems;
} Import;

static const char *
field (const KassaCsvRow *row,
       Import            *import,
       guint              column)
{
  int index = import->fields[column];

  return index >= 0 ? row->fields[index] : "";
}

static gboolean
read_header (const KassaCsvRow  *row,
             Import             *import,
             GError            **error)
{
  for (guint i = 0; i < N_COLUMNS; i++)
    import->fields[i] = kassa_csv_find_column (row, column_names[i]);

  if (import->fields[COLUMN_NAME] < 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("line %u: the header has no “name” column"), row->line);
      return FALSE;
    }

  /* A misspelt column would otherwise be dropped without a word. */
  for (guint i = 0; i < row->n_fields; i++)
    {
      gboolean known = FALSE;

      for (guint c = 0; c < N_COLUMNS; c++)
        known |= import->fields[c] == (int) i;

      if (!known)
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                       _("line %u, column %u: unknown column “%s” (known: name, email, phone, "
                         "billing_address, shipping_address)"),
                       row->line, i + 1, row->fields[i]);
          return FALSE;
        }
    }

  import->n_header_fields = row->n_fields;
  import->have_header = TRUE;

  return TRUE;
}

/* Checks and stores one data row; KASSA_ERROR_INVALID names what is
 * wrong with it, any other error ends the import. */
static gboolean
import_row (const KassaCsvRow  *row,
            Import             *import,
            GError            **error)
{
  g_autoptr(KassaCustomer) customer = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *email;

  if (!row->valid_utf8)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("line %u: the text is not UTF-8; save the file as UTF-8"), row->line);
      return FALSE;
    }

  if (row->n_fields != import->n_header_fields)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("line %u: %u fields where the header has %u"),
                   row->line, row->n_fields, import->n_header_fields);
      return FALSE;
    }

  if (kassa_text_is_blank (field (row, import, COLUMN_NAME)))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("line %u, column “name”: a customer needs a name"), row->line);
      return FALSE;
    }

  email = field (row, import, COLUMN_EMAIL);
  if (email[0] != '\0' && !kassa_text_is_email_address (email))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("line %u, column “email”: “%s” is not an e-mail address"), row->line, email);
      return FALSE;
    }

  customer = kassa_customer_new ();
  kassa_customer_set_name (customer, field (row, import, COLUMN_NAME));
  kassa_customer_set_email (customer, email);
  kassa_customer_set_phone (customer, field (row, import, COLUMN_PHONE));
  kassa_customer_set_billing_address (customer, field (row, import, COLUMN_BILLING_ADDRESS));
  kassa_customer_set_shipping_address (customer, field (row, import, COLUMN_SHIPPING_ADDRESS));

  if (!kassa_customer_repository_insert (import->repository, customer, &local_error))
    {
      if (g_error_matches (local_error, KASSA_ERROR, KASSA_ERROR_INVALID) ||
          g_error_matches (local_error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT))
        g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                     _("line %u: %s"), row->line, local_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  import->n_imported++;

  return TRUE;
}

static gboolean
import_row_cb (const KassaCsvRow  *row,
               gpointer            user_data,
               GError            **error)
{
  Import *import = user_data;
  g_autoptr(GError) local_error = NULL;

  if (!import->have_header)
    {
      if (!row->valid_utf8)
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                       _("line %u: the text is not UTF-8; save the file as UTF-8"), row->line);
          return FALSE;
        }
      return read_header (row, import, error);
    }

  /* A bad row is noted and the file read on, so that one pass names
   * every mistake in it. */
  if (!import_row (row, import, &local_error))
    {
      if (!g_error_matches (local_error, KASSA_ERROR, KASSA_ERROR_INVALID))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      kassa_csv_problems_add (&import->problems, local_error->message);
    }

  if (++import->n_done % PROGRESS_EVERY == 0 && import->progress != NULL)
    import->progress (import->n_done, import->user_data);

  return TRUE;
}

static gboolean
audit (KassaShop   *shop,
       const char  *action,
       guint        count,
       GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, count);
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  return kassa_audit_log_record (kassa_shop_get_audit_log (shop), kassa_shop_get_actor_id (shop),
                                 action, "customer", NULL, details, error) > 0;
}

void
kassa_customer_import_result_clear (KassaCustomerImportResult *result)
{
  g_return_if_fail (result != NULL);

  g_clear_pointer (&result->invalid_rows, g_strfreev);
  result->n_imported = 0;
  result->n_invalid = 0;
}

gboolean
kassa_customer_import_csv (KassaShop                    *shop,
                           GInputStream                 *input,
                           KassaCustomerImportFlags      flags,
                           KassaCustomerImportProgress   progress,
                           gpointer                      user_data,
                           KassaCustomerImportResult    *result,
                           GCancellable                 *cancellable,
                           GError                      **error)
{
  KassaDatabase *database;
  Import import = { 0 };
  gboolean ok;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), FALSE);
  g_return_val_if_fail (G_IS_INPUT_STREAM (input), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_shop_check_permission (shop, KASSA_PERMISSION_MANAGE_CUSTOMERS, error))
    return FALSE;

  database = kassa_shop_get_database (shop);
  import.repository = kassa_customer_repository_new (database);
  import.progress = progress;
  import.user_data = user_data;

  /* One transaction for the whole file: a bad row on line 9,000 leaves
   * the shop exactly as it was. */
  ok = kassa_database_begin (database, error);
  if (ok)
    {
      ok = kassa_csv_parse (input, import_row_cb, &import, cancellable, error);

      if (ok && !import.have_header)
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                       _("line 1: the file is empty; it needs a header row"));
          ok = FALSE;
        }

      if (ok && import.problems.count > 0 && !(flags & KASSA_CUSTOMER_IMPORT_SKIP_INVALID))
        {
          kassa_csv_problems_set_error (&import.problems, error);
          ok = FALSE;
        }

      ok = ok && audit (shop, "customer.import", import.n_imported, error);

      if (ok)
        ok = kassa_database_commit (database, error);
      else
        kassa_database_rollback (database, NULL);
    }

  g_clear_object (&import.repository);

  if (ok && progress != NULL)
    progress (import.n_done, user_data);

  if (ok && result != NULL)
    {
      result->n_imported = import.n_imported;
      result->n_invalid = import.problems.count;
      result->invalid_rows = import.problems.count > 0 ? kassa_csv_problems_steal (&import.problems) : NULL;
    }
  kassa_csv_problems_clear (&import.problems);

  return ok;
}

gboolean
kassa_customer_export_csv (KassaShop      *shop,
                           GOutputStream  *output,
                           guint          *n_exported,
                           GCancellable   *cancellable,
                           GError        **error)
{
  g_autoptr(KassaCustomerRepository) repository = NULL;
  g_autoptr(GString) out = NULL;
  guint count = 0;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (output), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_shop_check_permission (shop, KASSA_PERMISSION_MANAGE_CUSTOMERS, error))
    return FALSE;

  repository = kassa_customer_repository_new (kassa_shop_get_database (shop));
  out = g_string_new (NULL);
  kassa_csv_append_row (out, column_names, N_COLUMNS);

  for (;;)
    {
      g_autoptr(GPtrArray) page = kassa_customer_repository_list (repository, count, EXPORT_PAGE, error);

      if (page == NULL)
        return FALSE;

      for (guint i = 0; i < page->len; i++)
        {
          KassaCustomer *customer = page->pdata[i];
          const char *fields[N_COLUMNS] = {
            kassa_customer_get_name (customer),
            kassa_customer_get_email (customer),
            kassa_customer_get_phone (customer),
            kassa_customer_get_billing_address (customer),
            kassa_customer_get_shipping_address (customer),
          };

          for (guint f = 0; f < N_COLUMNS; f++)
            if (fields[f] == NULL)
              fields[f] = "";

          kassa_csv_append_row (out, fields, N_COLUMNS);
        }

      if (!g_output_stream_write_all (output, out->str, out->len, NULL, cancellable, error))
        return FALSE;
      g_string_truncate (out, 0);

      count += page->len;
      if (page->len < EXPORT_PAGE)
        break;
    }

  if (!audit (shop, "customer.export", count, error))
    return FALSE;

  if (n_exported != NULL)
    *n_exported = count;

  return TRUE;
}

GPtrArray *
kassa_shop_list_customers (KassaShop  *shop,
                           guint       offset,
                           guint       limit,
                           GError    **error)
{
  g_autoptr(KassaCustomerRepository) repository = NULL;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  repository = kassa_customer_repository_new (kassa_shop_get_database (shop));

  return kassa_customer_repository_list (repository, offset, limit, error);
}
