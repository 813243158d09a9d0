/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-shop-invoices"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "kassa-core-enum-types.h"
#include "kassa-customer-repository.h"
#include "kassa-document-totals.h"
#include "kassa-error.h"
#include "kassa-invoice-number.h"
#include "kassa-invoice-repository.h"
#include "kassa-money.h"
#include "kassa-order-repository.h"
#include "kassa-settings-repository.h"
#include "kassa-shop-invoices.h"
#include "kassa-shop-private.h"
#include "kassa-text.h"
#include "kassa-token.h"

#define DEFAULT_LIST_LIMIT 100

/* -- Helpers ---------------------------------------------------------- */

static gboolean
prefixed (GError     **error,
          GError      *local_error,
          const char  *path)
{
  g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, "%s: %s", path, local_error->message);
  g_error_free (local_error);

  return FALSE;
}

static KassaStoreSettings *
load_settings (KassaShop  *self,
               GError    **error)
{
  g_autoptr(KassaSettingsRepository) settings = kassa_settings_repository_new (kassa_shop_get_database (self));

  return kassa_settings_repository_load_settings (settings, NULL, error);
}

/* The totals of @invoice under the rules it keeps; only the currency
 * comes from outside it. */
static KassaTotals *
invoice_totals (KassaInvoice  *invoice,
                GError       **error)
{
  KassaTaxSettings tax = { 0 };

  tax.currency = kassa_currency_lookup (kassa_invoice_get_currency_code (invoice), error);
  if (tax.currency == NULL)
    return NULL;

  tax.prices_include_tax = kassa_invoice_get_prices_include_tax (invoice);
  tax.tax_scope = kassa_invoice_get_tax_scope (invoice);
  tax.rounding = kassa_invoice_get_rounding (invoice);

  return kassa_invoice_compute_totals (invoice, &tax, 0, error);
}

static gboolean
audit (KassaShop     *self,
       const char    *action,
       KassaInvoice  *invoice,
       GError       **error)
{
  g_autofree char *id = g_strdup_printf ("%" PRId64, kassa_invoice_get_id (invoice));

  return kassa_audit_log_record (kassa_shop_get_audit_log (self), kassa_shop_get_actor_id (self),
                                 action, "invoice", id, NULL, error) != 0;
}

static gboolean
journal_issue (KassaShop     *self,
               KassaInvoice  *invoice,
               GError       **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(KassaJournalEntry) entry = NULL;
  g_autoptr(KassaTotals) totals = invoice_totals (invoice, error);
  gboolean credit_note = kassa_invoice_get_kind (invoice) == KASSA_INVOICE_KIND_CREDIT_NOTE;
  const KassaCurrency *currency;

  if (totals == NULL)
    return FALSE;

  currency = kassa_totals_get_currency (totals);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "invoice_id");
  json_builder_add_int_value (builder, kassa_invoice_get_id (invoice));
  json_builder_set_member_name (builder, "reference");
  json_builder_add_string_value (builder, kassa_invoice_get_reference (invoice));
  if (credit_note)
    {
      json_builder_set_member_name (builder, "credited_invoice_id");
      json_builder_add_int_value (builder, kassa_invoice_get_credited_invoice_id (invoice));
    }
  json_builder_set_member_name (builder, "customer_id");
  json_builder_add_int_value (builder, kassa_invoice_get_customer_id (invoice));
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, kassa_currency_get_code (currency));
  kassa_shop_json_add_money (builder, "untaxed", currency, kassa_totals_get_untaxed (totals));
  kassa_shop_json_add_money (builder, "tax", currency, kassa_totals_get_tax (totals));
  kassa_shop_json_add_money (builder, "total", currency, kassa_totals_get_total (totals));
  json_builder_end_object (builder);

  payload = json_builder_get_root (builder);
  entry = kassa_journal_append (kassa_shop_get_journal (self), credit_note ? "credit-note" : "invoice",
                                payload, error);

  return entry != NULL;
}

/* Numbers, tokens, freezes and journals @invoice inside the caller's
 * transaction. */
static gboolean
issue_in_transaction (KassaShop           *self,
                      KassaStoreSettings  *settings,
                      KassaInvoice        *invoice,
                      GDateTime           *issue_time,
                      GDateTime           *due_date,
                      GError             **error)
{
  g_autoptr(KassaInvoiceRepository) invoices = kassa_invoice_repository_new (kassa_shop_get_database (self));
  g_autoptr(KassaInvoiceNumberFormat) format = NULL;
  g_autofree char *token = NULL;
  gboolean credit_note = kassa_invoice_get_kind (invoice) == KASSA_INVOICE_KIND_CREDIT_NOTE;

  format = kassa_invoice_number_format_new (credit_note
                                            ? kassa_store_settings_get_credit_note_number_format (settings)
                                            : kassa_store_settings_get_invoice_number_format (settings),
                                            error);
  if (format == NULL)
    return FALSE;

  token = kassa_token_generate_public (error);
  if (token == NULL)
    return FALSE;

  return kassa_invoice_repository_issue (invoices, invoice, format, issue_time, due_date, token, error) &&
         journal_issue (self, invoice, error) &&
         audit (self, credit_note ? "credit-note.issue" : "invoice.issue", invoice, error);
}

static GDateTime *
default_due_date (KassaStoreSettings *settings,
                  GDateTime          *issue_time)
{
  return g_date_time_add_days (issue_time, kassa_store_settings_get_invoice_due_days (settings));
}

/* -- Import ----------------------------------------------------------- */

static gboolean
read_lines (JsonObject    *object,
            const char    *path,
            KassaInvoice  *invoice,
            GError       **error)
{
  const KassaCurrency *currency = kassa_currency_lookup (kassa_invoice_get_currency_code (invoice), NULL);
  JsonNode *node = json_object_get_member (object, "lines");
  JsonArray *lines;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("%s.lines: is required"), path);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("%s.lines: must be an array of at least one line"), path);
      return FALSE;
    }

  lines = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      g_autofree char *line_path = g_strdup_printf ("%s.lines[%u]", path, i);
      g_autoptr(KassaInvoiceLine) line = kassa_invoice_line_new ();
      JsonObject *line_object;
      const char *name = NULL;
      const char *description = NULL;
      gint64 quantity = 0, unit_price = 0, tax_rate = 0;
      GError *local_error = NULL;

      line_object = kassa_shop_json_array_get_object (lines, i, line_path, error);
      if (line_object == NULL ||
          !kassa_shop_json_get_string (line_object, line_path, "name", TRUE, &name, error) ||
          !kassa_shop_json_get_string (line_object, line_path, "description", FALSE, &description, error) ||
          !kassa_shop_json_get_quantity (line_object, line_path, "quantity", &quantity, error) ||
          !kassa_shop_json_get_money (line_object, line_path, "unit_price", currency, TRUE,
                                      &unit_price, NULL, error) ||
          !kassa_shop_json_get_rate (line_object, line_path, "tax_rate", TRUE, &tax_rate, error))
        return FALSE;

      if (unit_price < 0)
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                       _("%s.unit_price: must not be negative; credit an invoice with a credit note"),
                       line_path);
          return FALSE;
        }

      if (!kassa_invoice_line_set_name (line, name, &local_error) ||
          !kassa_invoice_line_set_description (line, description, &local_error) ||
          !kassa_invoice_line_set_quantity (line, quantity, &local_error) ||
          !kassa_invoice_line_set_unit_price (line, unit_price, &local_error) ||
          !kassa_invoice_line_set_tax_rate (line, tax_rate, &local_error) ||
          !kassa_invoice_add_line (invoice, line, &local_error))
        return prefixed (error, local_error, line_path);
    }

  return TRUE;
}

/* The buyer as the customer record has it, the e-mail of the document
 * winning over an empty one. */
static gboolean
copy_buyer (KassaShop     *self,
            KassaInvoice  *invoice,
            gint64         customer_id,
            GError       **error)
{
  g_autoptr(KassaCustomerRepository) customers = kassa_customer_repository_new (kassa_shop_get_database (self));
  g_autoptr(KassaCustomer) customer = kassa_customer_repository_get (customers, customer_id, error);
  const char *address;

  if (customer == NULL)
    return FALSE;

  address = kassa_customer_get_billing_address (customer);
  if (address == NULL || address[0] == '\0')
    address = kassa_customer_get_shipping_address (customer);

  return kassa_invoice_set_customer_id (invoice, customer_id, error) &&
         kassa_invoice_set_buyer_name (invoice, kassa_customer_get_display_name (customer), error) &&
         kassa_invoice_set_buyer_email (invoice, kassa_customer_get_email (customer), error) &&
         kassa_invoice_set_buyer_address (invoice, address, error);
}

static gboolean
import_one (KassaShop           *self,
            KassaStoreSettings  *settings,
            JsonObject          *object,
            const char          *path,
            JsonBuilder         *result,
            GError             **error)
{
  g_autoptr(KassaInvoiceRepository) invoices = kassa_invoice_repository_new (kassa_shop_get_database (self));
  g_autoptr(KassaInvoice) invoice = kassa_invoice_new ();
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(GDateTime) issue_date = NULL;
  g_autoptr(GDateTime) due_date = NULL;
  const KassaCurrency *currency;
  const char *currency_code = NULL;
  gboolean prices_include_tax = kassa_store_settings_get_prices_include_tax (settings);
  gboolean issue = FALSE;
  gint64 customer_id = 0;
  JsonNode *customer;
  GError *local_error = NULL;

  if (!kassa_shop_json_get_string (object, path, "currency", TRUE, &currency_code, error))
    return FALSE;

  currency = kassa_currency_lookup (currency_code, &local_error);
  if (currency == NULL)
    {
      g_autofree char *member_path = g_strdup_printf ("%s.currency", path);
      return prefixed (error, local_error, member_path);
    }

  customer = json_object_get_member (object, "customer");
  if (customer == NULL || !JSON_NODE_HOLDS_OBJECT (customer))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   customer == NULL ? _("%s.customer: is required") : _("%s.customer: must be an object"), path);
      return FALSE;
    }

  if (!kassa_shop_json_get_boolean (object, path, "prices_include_tax", &prices_include_tax, error) ||
      !kassa_shop_json_get_boolean (object, path, "issue", &issue, error) ||
      !kassa_shop_json_get_time (object, path, "issue_date", TRUE, &issue_date, error) ||
      !kassa_shop_json_get_time (object, path, "due_date", TRUE, &due_date, error))
    return FALSE;

  if (g_date_time_compare (due_date, issue_date) < 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("%s.due_date: falls before the issue date"), path);
      return FALSE;
    }

  if (!kassa_invoice_set_kind (invoice, KASSA_INVOICE_KIND_INVOICE, &local_error) ||
      !kassa_invoice_set_currency_code (invoice, kassa_currency_get_code (currency), &local_error) ||
      !kassa_invoice_set_prices_include_tax (invoice, prices_include_tax, &local_error) ||
      !kassa_invoice_set_tax_scope (invoice, kassa_store_settings_get_tax_scope (settings), &local_error) ||
      !kassa_invoice_set_rounding (invoice, kassa_store_settings_get_rounding_mode (settings), &local_error) ||
      !kassa_invoice_set_issue_date (invoice, issue_date, &local_error) ||
      !kassa_invoice_set_due_date (invoice, due_date, &local_error))
    return prefixed (error, local_error, path);

  if (!read_lines (object, path, invoice, error))
    return FALSE;

  totals = invoice_totals (invoice, &local_error);
  if (totals == NULL)
    {
      g_autofree char *member_path = g_strdup_printf ("%s.lines", path);
      return prefixed (error, local_error, member_path);
    }

  if (!kassa_shop_json_check_stated (object, path, "untaxed", currency, kassa_totals_get_untaxed (totals), error) ||
      !kassa_shop_json_check_stated (object, path, "tax", currency, kassa_totals_get_tax (totals), error) ||
      !kassa_shop_json_check_stated (object, path, "total", currency, kassa_totals_get_total (totals), error))
    return FALSE;

  if (!kassa_shop_resolve_customer (self, json_node_get_object (customer), path, &customer_id, error))
    return FALSE;

  if (!copy_buyer (self, invoice, customer_id, &local_error))
    return prefixed (error, local_error, path);

  /* The buyer is shown as the document names them, whatever the
   * customer record found by e-mail says. */
  {
    const char *name = NULL;
    const char *email = NULL;
    g_autofree char *customer_path = g_strdup_printf ("%s.customer", path);

    if (!kassa_shop_json_get_string (json_node_get_object (customer), customer_path, "name", TRUE,
                                     &name, error) ||
        !kassa_shop_json_get_string (json_node_get_object (customer), customer_path, "email", FALSE,
                                     &email, error) ||
        !kassa_invoice_set_buyer_name (invoice, name, error))
      return FALSE;
    if (email != NULL && email[0] != '\0' && !kassa_invoice_set_buyer_email (invoice, email, error))
      return FALSE;
  }

  if (!kassa_invoice_repository_save_draft (invoices, invoice, error) ||
      !audit (self, "invoice.import", invoice, error))
    return FALSE;

  if (issue && !issue_in_transaction (self, settings, invoice, issue_date, due_date, &local_error))
    return prefixed (error, local_error, path);

  json_builder_begin_object (result);
  json_builder_set_member_name (result, "id");
  json_builder_add_int_value (result, kassa_invoice_get_id (invoice));
  json_builder_set_member_name (result, "reference");
  if (kassa_invoice_get_reference (invoice) != NULL)
    json_builder_add_string_value (result, kassa_invoice_get_reference (invoice));
  else
    json_builder_add_null_value (result);
  kassa_shop_json_add_money (result, "untaxed", currency, kassa_totals_get_untaxed (totals));
  kassa_shop_json_add_money (result, "tax", currency, kassa_totals_get_tax (totals));
  kassa_shop_json_add_money (result, "total", currency, kassa_totals_get_total (totals));
  json_builder_end_object (result);

  return TRUE;
}

JsonNode *
kassa_shop_import_invoices (KassaShop              *self,
                            const char             *json,
                            gssize                  length,
                            KassaShopProgressFunc   progress,
                            gpointer                user_data,
                            GError                **error)
{
  KassaDatabase *database;
  g_autoptr(KassaStoreSettings) settings = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonBuilder) result = NULL;
  JsonArray *array;
  guint n;

  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);
  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!kassa_shop_check_permission (self, KASSA_PERMISSION_MANAGE_INVOICES, error))
    return NULL;

  array = kassa_shop_json_parse_array (json, length, "invoices", &parser, error);
  if (array == NULL)
    return NULL;

  settings = load_settings (self, error);
  if (settings == NULL)
    return NULL;

  database = kassa_shop_get_database (self);
  result = json_builder_new ();
  json_builder_begin_array (result);
  n = json_array_get_length (array);

  if (!kassa_database_begin (database, error))
    return NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("invoices[%u]", i);
      JsonObject *object = kassa_shop_json_array_get_object (array, i, path, error);

      if (object == NULL || !import_one (self, settings, object, path, result, error))
        {
          kassa_database_rollback (database, NULL);
          return NULL;
        }

      if (progress != NULL && ((i + 1) % 100 == 0 || i + 1 == n))
        progress (i + 1, n, user_data);
    }

  if (!kassa_database_commit (database, error))
    return NULL;

  json_builder_end_array (result);

  return json_builder_get_root (result);
}

/* -- Issuing and crediting -------------------------------------------- */

KassaInvoice *
kassa_shop_issue_invoice (KassaShop   *self,
                          gint64       invoice_id,
                          GDateTime   *now,
                          GError     **error)
{
  KassaDatabase *database;
  g_autoptr(KassaInvoiceRepository) invoices = NULL;
  g_autoptr(KassaStoreSettings) settings = NULL;
  g_autoptr(KassaInvoice) invoice = NULL;
  g_autoptr(GDateTime) due_date = NULL;

  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!kassa_shop_check_permission (self, KASSA_PERMISSION_MANAGE_INVOICES, error))
    return NULL;

  database = kassa_shop_get_database (self);
  invoices = kassa_invoice_repository_new (database);

  settings = load_settings (self, error);
  if (settings == NULL || !kassa_database_begin (database, error))
    return NULL;

  invoice = kassa_invoice_repository_load (invoices, invoice_id, error);
  if (invoice != NULL && kassa_invoice_get_status (invoice) != KASSA_INVOICE_STATUS_DRAFT)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("Invoice %" PRId64 " is already issued as %s"),
                   invoice_id, kassa_invoice_get_reference (invoice));
      g_clear_object (&invoice);
    }

  if (invoice != NULL)
    {
      GDateTime *draft_due = kassa_invoice_get_due_date (invoice);

      /* A due date the draft was given before today is kept only when
       * it still lies ahead; otherwise the store's terms apply. */
      if (draft_due != NULL && g_date_time_compare (draft_due, now) >= 0)
        due_date = g_date_time_ref (draft_due);
      else
        due_date = default_due_date (settings, now);
    }

  if (invoice != NULL &&
      issue_in_transaction (self, settings, invoice, now, due_date, error) &&
      kassa_database_commit (database, error))
    return g_steal_pointer (&invoice);

  if (kassa_database_in_transaction (database))
    kassa_database_rollback (database, NULL);

  return NULL;
}

static gboolean
build_order_invoice (KassaShop     *self,
                     KassaOrder    *order,
                     KassaInvoice  *invoice,
                     GError       **error)
{
  GListModel *lines = kassa_order_get_lines (order);

  if (kassa_order_get_discount_kind (order) != KASSA_DISCOUNT_NONE)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("Order %s has a discount, which an invoice line cannot carry"),
                   kassa_order_get_number (order));
      return FALSE;
    }

  if (!kassa_invoice_set_kind (invoice, KASSA_INVOICE_KIND_INVOICE, error) ||
      !kassa_invoice_set_order_id (invoice, kassa_order_get_id (order), error) ||
      !kassa_invoice_set_currency_code (invoice, kassa_order_get_currency_code (order), error) ||
      !kassa_invoice_set_prices_include_tax (invoice, kassa_order_get_prices_include_tax (order), error) ||
      !kassa_invoice_set_tax_scope (invoice, kassa_order_get_tax_scope (order), error) ||
      !kassa_invoice_set_rounding (invoice, kassa_order_get_rounding (order), error) ||
      !copy_buyer (self, invoice, kassa_order_get_customer_id (order), error))
    return FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(KassaOrderLine) order_line = g_list_model_get_item (lines, i);
      g_autoptr(KassaInvoiceLine) line = kassa_invoice_line_new ();

      if (kassa_order_line_get_discount_kind (order_line) != KASSA_DISCOUNT_NONE)
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                       _("Order %s has a discount, which an invoice line cannot carry"),
                       kassa_order_get_number (order));
          return FALSE;
        }

      if (!kassa_invoice_line_set_name (line, kassa_order_line_get_name (order_line), error) ||
          !kassa_invoice_line_set_quantity (line, kassa_order_line_get_quantity (order_line), error) ||
          !kassa_invoice_line_set_unit_price (line, kassa_order_line_get_unit_price (order_line), error) ||
          !kassa_invoice_line_set_tax_rate (line, kassa_order_line_get_tax_rate (order_line), error) ||
          !kassa_invoice_add_line (invoice, line, error))
        return FALSE;
    }

  if (kassa_order_get_shipping_cost (order) != 0)
    {
      g_autoptr(KassaInvoiceLine) line = kassa_invoice_line_new ();

      if (!kassa_invoice_line_set_name (line, _("Shipping"), error) ||
          !kassa_invoice_line_set_quantity (line, KASSA_QUANTITY_ONE, error) ||
          !kassa_invoice_line_set_unit_price (line, kassa_order_get_shipping_cost (order), error) ||
          !kassa_invoice_line_set_tax_rate (line, kassa_order_get_shipping_tax_rate (order), error) ||
          !kassa_invoice_add_line (invoice, line, error))
        return FALSE;
    }

  return TRUE;
}

KassaInvoice *
kassa_shop_invoice_order (KassaShop   *self,
                          gint64       order_id,
                          GDateTime   *now,
                          GError     **error)
{
  KassaDatabase *database;
  g_autoptr(KassaOrderRepository) orders = NULL;
  g_autoptr(KassaInvoiceRepository) invoices = NULL;
  g_autoptr(KassaStoreSettings) settings = NULL;
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(KassaInvoice) invoice = NULL;
  g_autoptr(KassaInvoice) existing = NULL;
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(GDateTime) due_date = NULL;
  g_autoptr(GError) local_error = NULL;
  KassaOrderStoredTotals stored = { 0 };

  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!kassa_shop_check_permission (self, KASSA_PERMISSION_MANAGE_INVOICES, error))
    return NULL;

  database = kassa_shop_get_database (self);
  orders = kassa_order_repository_new (database);
  invoices = kassa_invoice_repository_new (database);

  settings = load_settings (self, error);
  if (settings == NULL || !kassa_database_begin (database, error))
    return NULL;

  order = kassa_order_repository_load (orders, order_id, error);
  if (order == NULL || !kassa_order_repository_load_totals (orders, order_id, &stored, error))
    goto fail;

  existing = kassa_invoice_repository_load_for_order (invoices, order_id, &local_error);
  if (existing != NULL)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("Order %s is already invoiced as %s"),
                   kassa_order_get_number (order), kassa_invoice_get_reference (existing));
      goto fail;
    }
  if (!g_error_matches (local_error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto fail;
    }

  invoice = kassa_invoice_new ();
  if (!build_order_invoice (self, order, invoice, error))
    goto fail;

  /* The invoice must say what the order said: the same engine on the
   * same lines under the same rules, checked rather than assumed. */
  totals = invoice_totals (invoice, error);
  if (totals == NULL)
    goto fail;
  if (kassa_totals_get_total (totals) != stored.total || kassa_totals_get_tax (totals) != stored.tax)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("The invoice of order %s would not add up to the order’s stored totals"),
                   kassa_order_get_number (order));
      goto fail;
    }

  due_date = default_due_date (settings, now);
  if (!kassa_invoice_repository_save_draft (invoices, invoice, error) ||
      !issue_in_transaction (self, settings, invoice, now, due_date, error))
    goto fail;

  if (kassa_order_get_payment_status (order) == KASSA_PAYMENT_STATUS_PAID && stored.total > 0)
    {
      GListModel *payments = kassa_order_get_payments (order);
      g_autoptr(KassaPayment) payment = g_list_model_get_n_items (payments) > 0
                                        ? g_list_model_get_item (payments, 0) : NULL;
      GDateTime *paid_at = kassa_order_get_paid_at (order);
      const char *method = payment != NULL ? kassa_payment_get_method_label (payment) : NULL;

      if (method == NULL || method[0] == '\0')
        method = payment != NULL ? kassa_payment_get_provider_id (payment) : "";

      if (!kassa_invoice_repository_record_payment (invoices, invoice, stored.total, method,
                                                    paid_at != NULL ? paid_at : now, error))
        goto fail;
    }

  if (!kassa_database_commit (database, error))
    return NULL;

  return g_steal_pointer (&invoice);

fail:
  kassa_database_rollback (database, NULL);
  return NULL;
}

KassaInvoice *
kassa_shop_credit_invoice (KassaShop     *self,
                           gint64         invoice_id,
                           const gint64  *quantities,
                           guint          n_quantities,
                           GDateTime     *now,
                           GError       **error)
{
  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!kassa_shop_check_permission (self, KASSA_PERMISSION_MANAGE_INVOICES, error))
    return NULL;

  return kassa_shop_credit_invoice_unchecked (self, invoice_id, quantities, n_quantities, now, error);
}

/* The credit note an approved refund of invoiced lines brings with it:
 * the refund approver's permission covers it (kassa-shop-private.h). */
KassaInvoice *
kassa_shop_credit_invoice_unchecked (KassaShop     *self,
                                     gint64         invoice_id,
                                     const gint64  *quantities,
                                     guint          n_quantities,
                                     GDateTime     *now,
                                     GError       **error)
{
  KassaDatabase *database;
  g_autoptr(KassaInvoiceRepository) invoices = NULL;
  g_autoptr(KassaStoreSettings) settings = NULL;
  g_autoptr(KassaInvoice) invoice = NULL;
  g_autoptr(KassaInvoice) note = NULL;
  g_autoptr(KassaTotals) invoice_figures = NULL;
  gint64 credited = 0;

  database = kassa_shop_get_database (self);
  invoices = kassa_invoice_repository_new (database);

  settings = load_settings (self, error);
  if (settings == NULL || !kassa_database_begin (database, error))
    return NULL;

  invoice = kassa_invoice_repository_load (invoices, invoice_id, error);
  if (invoice == NULL)
    goto fail;

  note = kassa_invoice_new_credit_note (invoice, error);
  if (note == NULL)
    goto fail;

  if (quantities != NULL)
    {
      guint n_lines = g_list_model_get_n_items (kassa_invoice_get_lines (note));

      if (n_quantities != n_lines)
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                       _("Invoice %s has %u lines, not %u"), kassa_invoice_get_reference (invoice),
                       n_lines, n_quantities);
          goto fail;
        }

      /* Backwards, so removing a line leaves the positions still to come. */
      for (guint i = n_lines; i-- > 0;)
        {
          g_autoptr(KassaInvoiceLine) line = g_list_model_get_item (kassa_invoice_get_lines (note), i);

          if (quantities[i] == 0)
            {
              if (!kassa_invoice_remove_line (note, i, error))
                goto fail;
            }
          else if (quantities[i] < 0 || quantities[i] > kassa_invoice_line_get_quantity (line))
            {
              g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("Line %u of invoice %s can be credited for 0 to its quantity only"),
                           i + 1, kassa_invoice_get_reference (invoice));
              goto fail;
            }
          else if (!kassa_invoice_line_set_quantity (line, quantities[i], error))
            goto fail;
        }
    }

  if (!kassa_invoice_repository_save_draft (invoices, note, error) ||
      !issue_in_transaction (self, settings, note, now, NULL, error))
    goto fail;

  invoice_figures = invoice_totals (invoice, error);
  if (invoice_figures == NULL ||
      !kassa_invoice_repository_get_credited_total (invoices, invoice_id, &credited, error))
    goto fail;

  if (credited >= kassa_totals_get_total (invoice_figures) &&
      (!kassa_invoice_repository_mark_credited (invoices, invoice, error) ||
       !audit (self, "invoice.credited", invoice, error)))
    goto fail;

  if (!kassa_database_commit (database, error))
    return NULL;

  return g_steal_pointer (&note);

fail:
  kassa_database_rollback (database, NULL);
  return NULL;
}

/* -- Reading ---------------------------------------------------------- */

static gboolean
check_can_read (KassaShop  *self,
                GError    **error)
{
  KassaStaff *actor = kassa_shop_get_actor (self);

  if (kassa_shop_is_system (self))
    return TRUE;

  if (actor != NULL && kassa_staff_has_permission (actor, KASSA_PERMISSION_MANAGE_INVOICES))
    return TRUE;

  return kassa_shop_check_permission (self, KASSA_PERMISSION_VIEW_REPORTS, error);
}

KassaInvoice *
kassa_shop_find_invoice (KassaShop   *self,
                         const char  *reference_or_id,
                         GError     **error)
{
  g_autoptr(KassaInvoiceRepository) invoices = NULL;
  g_autoptr(GError) local_error = NULL;
  KassaInvoice *invoice;
  gboolean digits = reference_or_id != NULL && reference_or_id[0] != '\0' && strlen (reference_or_id) <= 18;

  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);
  g_return_val_if_fail (reference_or_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_can_read (self, error))
    return NULL;

  invoices = kassa_invoice_repository_new (kassa_shop_get_database (self));

  invoice = kassa_invoice_repository_load_by_reference (invoices, reference_or_id, &local_error);
  if (invoice != NULL)
    return invoice;
  if (!g_error_matches (local_error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  for (const char *p = reference_or_id; digits && *p != '\0'; p++)
    digits = g_ascii_isdigit (*p);

  if (digits)
    {
      g_clear_error (&local_error);
      invoice = kassa_invoice_repository_load (invoices, g_ascii_strtoll (reference_or_id, NULL, 10),
                                               &local_error);
      if (invoice != NULL)
        return invoice;
      if (!g_error_matches (local_error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
               _("No invoice has the reference or id “%s”"), reference_or_id);

  return NULL;
}

GPtrArray *
kassa_shop_list_invoices (KassaShop                 *self,
                          const KassaInvoiceFilter  *filter,
                          guint                      limit,
                          GError                   **error)
{
  g_autoptr(KassaInvoiceRepository) invoices = NULL;

  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_can_read (self, error))
    return NULL;

  invoices = kassa_invoice_repository_new (kassa_shop_get_database (self));

  return kassa_invoice_repository_list (invoices, filter, 0, limit > 0 ? limit : DEFAULT_LIST_LIMIT, error);
}

char *
kassa_shop_get_invoice_link_base (KassaShop  *self,
                                  GError    **error)
{
  g_autoptr(KassaSettingsRepository) settings = NULL;
  char *base = NULL;

  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);

  settings = kassa_settings_repository_new (kassa_shop_get_database (self));
  if (!kassa_settings_repository_get_text (settings, KASSA_SHOP_INVOICE_LINK_BASE_KEY, &base, error))
    return NULL;

  return base;
}

gboolean
kassa_shop_set_invoice_link_base (KassaShop   *self,
                                  const char  *base,
                                  GError     **error)
{
  g_autoptr(KassaSettingsRepository) settings = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) details = NULL;
  KassaDatabase *database;

  g_return_val_if_fail (KASSA_IS_SHOP (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_shop_check_permission (self, KASSA_PERMISSION_MANAGE_SETTINGS, error))
    return FALSE;

  if (base != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (base, G_URI_FLAGS_NONE, NULL);
      const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

      if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0' ||
          (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0))
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                       _("“%s” is not an http or https address"), base);
          return FALSE;
        }
    }

  database = kassa_shop_get_database (self);
  settings = kassa_settings_repository_new (database);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "link_base");
  if (base != NULL)
    json_builder_add_string_value (builder, base);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  if (!kassa_database_begin (database, error))
    return FALSE;

  if (kassa_settings_repository_set_text (settings, KASSA_SHOP_INVOICE_LINK_BASE_KEY, base, error) &&
      kassa_audit_log_record (kassa_shop_get_audit_log (self), kassa_shop_get_actor_id (self),
                              "settings.invoice-link-base", "settings", NULL, details, error) != 0 &&
      kassa_database_commit (database, error))
    return TRUE;

  kassa_database_rollback (database, NULL);
  return FALSE;
}

gboolean
kassa_shop_get_invoice_link (KassaShop     *self,
                             KassaInvoice  *invoice,
                             char         **out_link,
                             GError       **error)
{
  g_autoptr(KassaInvoiceRepository) invoices = NULL;
  g_autofree char *hosted = NULL;
  g_autofree char *base = NULL;

  g_return_val_if_fail (KASSA_IS_SHOP (self), FALSE);
  g_return_val_if_fail (KASSA_IS_INVOICE (invoice), FALSE);
  g_return_val_if_fail (out_link != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *out_link = NULL;

  /* A draft's token is not public yet. */
  if (kassa_invoice_get_status (invoice) == KASSA_INVOICE_STATUS_DRAFT ||
      kassa_invoice_get_public_token (invoice) == NULL)
    return TRUE;

  invoices = kassa_invoice_repository_new (kassa_shop_get_database (self));
  if (!kassa_invoice_repository_get_hosted_url (invoices, kassa_invoice_get_id (invoice), &hosted, error))
    return FALSE;

  if (hosted != NULL && hosted[0] != '\0')
    {
      *out_link = g_steal_pointer (&hosted);
      return TRUE;
    }

  base = kassa_shop_get_invoice_link_base (self, error);
  if (base == NULL)
    return error == NULL || *error == NULL;

  *out_link = g_strconcat (base, g_str_has_suffix (base, "/") ? "" : "/",
                           kassa_invoice_get_public_token (invoice), NULL);

  return TRUE;
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_date (JsonBuilder *builder,
          const char  *member,
          GDateTime   *date)
{
  json_builder_set_member_name (builder, member);

  if (date != NULL)
    {
      /* A date of the shop's calendar, as it was entered. */
      g_autoptr(GDateTime) local = g_date_time_to_local (date);
      g_autofree char *text = g_date_time_format (local, "%Y-%m-%d");

      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
}

JsonNode *
kassa_shop_invoice_to_json (KassaShop     *self,
                            KassaInvoice  *invoice,
                            gboolean       details,
                            GError       **error)
{
  g_autoptr(KassaInvoiceRepository) invoices = NULL;
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *link = NULL;
  const KassaCurrency *currency;

  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);
  g_return_val_if_fail (KASSA_IS_INVOICE (invoice), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  invoices = kassa_invoice_repository_new (kassa_shop_get_database (self));
  totals = invoice_totals (invoice, error);
  if (totals == NULL || !kassa_shop_get_invoice_link (self, invoice, &link, error))
    return NULL;

  currency = kassa_totals_get_currency (totals);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, kassa_invoice_get_id (invoice));
  add_string (builder, "kind", kassa_shop_enum_nick (KASSA_TYPE_INVOICE_KIND, kassa_invoice_get_kind (invoice)));
  add_string (builder, "status",
              kassa_shop_enum_nick (KASSA_TYPE_INVOICE_STATUS, kassa_invoice_get_status (invoice)));
  add_string (builder, "reference", kassa_invoice_get_reference (invoice));

  if (kassa_invoice_get_kind (invoice) == KASSA_INVOICE_KIND_CREDIT_NOTE)
    {
      g_autoptr(KassaInvoice) credited = kassa_invoice_repository_load (invoices,
                                                                       kassa_invoice_get_credited_invoice_id (invoice),
                                                                       error);
      if (credited == NULL)
        return NULL;
      add_string (builder, "credits", kassa_invoice_get_reference (credited));
    }

  json_builder_set_member_name (builder, "order_id");
  if (kassa_invoice_get_order_id (invoice) > 0)
    json_builder_add_int_value (builder, kassa_invoice_get_order_id (invoice));
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "customer");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, kassa_invoice_get_customer_id (invoice));
  add_string (builder, "name", kassa_invoice_get_buyer_name (invoice));
  add_string (builder, "email", kassa_invoice_get_buyer_email (invoice));
  add_string (builder, "address", kassa_invoice_get_buyer_address (invoice));
  json_builder_end_object (builder);

  add_string (builder, "currency", kassa_currency_get_code (currency));
  json_builder_set_member_name (builder, "prices_include_tax");
  json_builder_add_boolean_value (builder, kassa_invoice_get_prices_include_tax (invoice));
  add_date (builder, "issue_date", kassa_invoice_get_issue_date (invoice));
  add_date (builder, "due_date", kassa_invoice_get_due_date (invoice));
  kassa_shop_json_add_money (builder, "untaxed", currency, kassa_totals_get_untaxed (totals));
  kassa_shop_json_add_money (builder, "tax", currency, kassa_totals_get_tax (totals));
  kassa_shop_json_add_money (builder, "total", currency, kassa_totals_get_total (totals));
  kassa_shop_json_add_money (builder, "paid_amount", currency, kassa_invoice_get_paid_amount (invoice));
  add_string (builder, "paid_method", kassa_invoice_get_paid_method (invoice));
  kassa_shop_json_add_time (builder, "paid_at", kassa_invoice_get_paid_at (invoice));
  add_string (builder, "public_link", link);

  if (details)
    {
      GListModel *lines = kassa_invoice_get_lines (invoice);

      json_builder_set_member_name (builder, "lines");
      json_builder_begin_array (builder);
      for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
        {
          g_autoptr(KassaInvoiceLine) line = g_list_model_get_item (lines, i);
          g_autofree char *quantity = kassa_quantity_format (kassa_invoice_line_get_quantity (line));
          g_autofree char *rate = kassa_rate_format (kassa_invoice_line_get_tax_rate (line));
          const KassaLineTotals *figures = kassa_totals_get_line (totals, i);

          json_builder_begin_object (builder);
          add_string (builder, "name", kassa_invoice_line_get_name (line));
          add_string (builder, "description", kassa_invoice_line_get_description (line));
          add_string (builder, "quantity", quantity);
          kassa_shop_json_add_money (builder, "unit_price", currency, kassa_invoice_line_get_unit_price (line));
          add_string (builder, "tax_rate", rate);
          kassa_shop_json_add_money (builder, "net", currency, figures->net);
          kassa_shop_json_add_money (builder, "tax", currency, figures->tax);
          kassa_shop_json_add_money (builder, "total", currency, figures->total);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
