/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-shop-print"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "kassa-customer-repository.h"
#include "kassa-document-totals.h"
#include "kassa-error.h"
#include "kassa-escpos.h"
#include "kassa-invoice-repository.h"
#include "kassa-order-repository.h"
#include "kassa-settings-repository.h"
#include "kassa-shop-invoices.h"
#include "kassa-shop-print.h"
#include "kassa-shop-private.h"
#include "kassa-staff-repository.h"

#define ACTION_PRINT   "receipt.print"
#define ACTION_REPRINT "receipt.reprint"

gboolean
kassa_shop_receipt_format_from_path (const char              *path,
                                     KassaShopReceiptFormat  *out_format)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (out_format != NULL, FALSE);

  lower = g_ascii_strdown (path, -1);
  if (g_str_has_suffix (lower, ".pdf"))
    *out_format = KASSA_SHOP_RECEIPT_FORMAT_PDF;
  else if (g_str_has_suffix (lower, ".png"))
    *out_format = KASSA_SHOP_RECEIPT_FORMAT_PNG;
  else if (g_str_has_suffix (lower, ".escpos") || g_str_has_suffix (lower, ".bin"))
    *out_format = KASSA_SHOP_RECEIPT_FORMAT_ESCPOS;
  else
    return FALSE;

  return TRUE;
}

/* The order's totals as the receipt prints them. The engine recomputes
 * them from the rules the order keeps and they must equal the stored
 * ones. The cash rounding step itself is not stored, only the rounding
 * it gave: any step that gives the same rounding of the same total
 * yields the very same figures, so the store's step is tried first,
 * then the steps cash is commonly rounded to. */
static KassaTotals *
order_totals (KassaOrder                    *order,
              const KassaOrderStoredTotals  *stored,
              gint64                         store_step,
              GError                       **error)
{
  static const gint64 common_steps[] = { 5, 10, 20, 25, 50, 100, 500, 1000 };
  g_autoptr(KassaTotals) totals = NULL;
  KassaTaxSettings tax = { 0 };
  gint64 total;

  tax.currency = kassa_currency_lookup (kassa_order_get_currency_code (order), error);
  if (tax.currency == NULL)
    return NULL;

  tax.prices_include_tax = kassa_order_get_prices_include_tax (order);
  tax.tax_scope = kassa_order_get_tax_scope (order);
  tax.rounding = kassa_order_get_rounding (order);

  totals = kassa_order_compute_totals (order, &tax, 0, error);
  if (totals == NULL)
    return NULL;

  total = kassa_totals_get_total (totals);
  if (kassa_totals_get_untaxed (totals) != stored->untaxed ||
      kassa_totals_get_tax (totals) != stored->tax ||
      total != stored->total)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("Order %s does not add up to the totals stored with it"),
                   kassa_order_get_number (order));
      return NULL;
    }

  if (stored->cash_rounding == 0)
    return g_steal_pointer (&totals);

  for (guint i = 0; i <= G_N_ELEMENTS (common_steps); i++)
    {
      gint64 step = i == 0 ? store_step : common_steps[i - 1];

      if (step <= 0 || kassa_cash_round (total, step, tax.rounding) - total != stored->cash_rounding)
        continue;

      return kassa_order_compute_totals (order, &tax, step, error);
    }

  g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
               _("The cash rounding stored with order %s fits no rounding step"),
               kassa_order_get_number (order));

  return NULL;
}

static KassaReceipt *
build_receipt (KassaShop   *self,
               gint64       order_id,
               GError     **error)
{
  KassaDatabase *database = kassa_shop_get_database (self);
  g_autoptr(KassaOrderRepository) orders = kassa_order_repository_new (database);
  g_autoptr(KassaSettingsRepository) settings_repository = kassa_settings_repository_new (database);
  g_autoptr(KassaInvoiceRepository) invoices = kassa_invoice_repository_new (database);
  g_autoptr(KassaStoreProfile) profile = NULL;
  g_autoptr(KassaStoreSettings) settings = NULL;
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(KassaInvoice) invoice = NULL;
  g_autoptr(KassaReceipt) receipt = NULL;
  g_autoptr(GError) local_error = NULL;
  KassaOrderStoredTotals stored = { 0 };
  KassaOrderSaleContext context = { 0 };

  profile = kassa_settings_repository_load_profile (settings_repository, error);
  if (profile == NULL)
    return NULL;

  settings = kassa_settings_repository_load_settings (settings_repository, NULL, error);
  if (settings == NULL)
    return NULL;

  order = kassa_order_repository_load (orders, order_id, error);
  if (order == NULL ||
      !kassa_order_repository_load_totals (orders, order_id, &stored, error) ||
      !kassa_order_repository_load_sale_context (orders, order_id, &context, error))
    return NULL;

  totals = order_totals (order, &stored, kassa_store_settings_get_cash_rounding_step (settings), error);
  if (totals == NULL)
    return NULL;

  receipt = kassa_receipt_new (profile, order, totals);

  if (context.staff_id > 0)
    {
      g_autoptr(KassaStaffRepository) staff = kassa_staff_repository_new (database);
      g_autoptr(KassaStaff) cashier = kassa_staff_repository_get (staff, context.staff_id, error);

      if (cashier == NULL)
        return NULL;
      kassa_receipt_set_cashier_name (receipt, kassa_staff_get_name (cashier));
    }

  invoice = kassa_invoice_repository_load_for_order (invoices, order_id, &local_error);
  if (invoice != NULL)
    {
      g_autofree char *link = NULL;

      if (!kassa_shop_get_invoice_link (self, invoice, &link, error))
        return NULL;
      kassa_receipt_set_invoice_link (receipt, link);
    }
  else if (!g_error_matches (local_error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return g_steal_pointer (&receipt);
}

KassaReceipt *
kassa_shop_build_receipt (KassaShop  *self,
                          gint64      order_id,
                          GError    **error)
{
  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!kassa_shop_check_permission (self, KASSA_PERMISSION_SELL, error))
    return NULL;

  return build_receipt (self, order_id, error);
}

static GBytes *
render_receipt (KassaReceipt            *receipt,
                KassaShopReceiptFormat   format,
                KassaReceiptPaper        paper,
                GError                 **error)
{
  switch (format)
    {
    case KASSA_SHOP_RECEIPT_FORMAT_PDF:
      return kassa_print_receipt_to_pdf_bytes (receipt, paper, error);

    case KASSA_SHOP_RECEIPT_FORMAT_PNG:
      return kassa_print_receipt_to_png_bytes (receipt, paper, error);

    case KASSA_SHOP_RECEIPT_FORMAT_ESCPOS:
      /* A printed copy, not a sale: cut, but leave the drawer shut. */
      return kassa_escpos_encode_receipt (receipt, paper, KASSA_ESCPOS_CUT, error);

    default:
      g_return_val_if_reached (NULL);
    }
}

static gboolean
write_bytes (const char  *path,
             GBytes      *bytes,
             GError     **error)
{
  /* Whole or not at all: a failed print never leaves half a file where
   * a good one was. */
  return g_file_set_contents_full (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

gboolean
kassa_shop_print_receipt (KassaShop               *self,
                          gint64                   order_id,
                          KassaShopReceiptFormat   format,
                          KassaReceiptPaper        paper,
                          const char              *path,
                          guint                   *out_reprint_count,
                          GError                 **error)
{
  KassaDatabase *database;
  KassaAuditLog *audit_log;
  g_autoptr(KassaReceipt) receipt = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *entity_id = NULL;
  guint64 n_prints = 0;
  guint64 n_reprints = 0;
  guint reprint_count;

  g_return_val_if_fail (KASSA_IS_SHOP (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_shop_check_permission (self, KASSA_PERMISSION_SELL, error))
    return FALSE;

  database = kassa_shop_get_database (self);
  audit_log = kassa_shop_get_audit_log (self);
  entity_id = g_strdup_printf ("%" PRId64, order_id);

  if (!kassa_database_begin (database, error))
    return FALSE;

  receipt = build_receipt (self, order_id, error);
  if (receipt == NULL ||
      !kassa_audit_log_count (audit_log, ACTION_PRINT, "order", entity_id, &n_prints, error) ||
      !kassa_audit_log_count (audit_log, ACTION_REPRINT, "order", entity_id, &n_reprints, error))
    goto fail;

  reprint_count = n_prints > 0 ? (guint) MIN (n_reprints + 1, G_MAXUINT) : 0;
  kassa_receipt_set_reprint_count (receipt, reprint_count);

  bytes = render_receipt (receipt, format, paper, error);
  if (bytes == NULL)
    goto fail;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reprint");
  json_builder_add_int_value (builder, reprint_count);
  json_builder_set_member_name (builder, "paper");
  json_builder_add_string_value (builder, paper == KASSA_RECEIPT_PAPER_58MM ? "58mm" : "80mm");
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  if (kassa_audit_log_record (audit_log, kassa_shop_get_actor_id (self),
                              kassa_receipt_is_duplicate (receipt) ? ACTION_REPRINT : ACTION_PRINT,
                              "order", entity_id, details, error) == 0 ||
      !write_bytes (path, bytes, error))
    goto fail;

  if (!kassa_database_commit (database, error))
    return FALSE;

  if (out_reprint_count != NULL)
    *out_reprint_count = reprint_count;

  return TRUE;

fail:
  kassa_database_rollback (database, NULL);
  return FALSE;
}

KassaInvoiceDocument *
kassa_shop_build_invoice_document (KassaShop   *self,
                                   const char  *reference,
                                   GError     **error)
{
  KassaDatabase *database;
  g_autoptr(KassaSettingsRepository) settings = NULL;
  g_autoptr(KassaInvoiceRepository) invoices = NULL;
  g_autoptr(KassaStoreProfile) profile = NULL;
  g_autoptr(KassaInvoice) invoice = NULL;
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(KassaInvoiceDocument) document = NULL;
  g_autofree char *link = NULL;
  KassaTaxSettings tax = { 0 };

  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);
  g_return_val_if_fail (reference != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* kassa_shop_find_invoice() checks who may read invoices. */
  invoice = kassa_shop_find_invoice (self, reference, error);
  if (invoice == NULL)
    return NULL;

  if (kassa_invoice_get_status (invoice) == KASSA_INVOICE_STATUS_DRAFT)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("Invoice %" PRId64 " is a draft: issue it before printing it"),
                   kassa_invoice_get_id (invoice));
      return NULL;
    }

  database = kassa_shop_get_database (self);
  settings = kassa_settings_repository_new (database);
  invoices = kassa_invoice_repository_new (database);

  profile = kassa_settings_repository_load_profile (settings, error);
  if (profile == NULL)
    return NULL;

  tax.currency = kassa_currency_lookup (kassa_invoice_get_currency_code (invoice), error);
  if (tax.currency == NULL)
    return NULL;
  tax.prices_include_tax = kassa_invoice_get_prices_include_tax (invoice);
  tax.tax_scope = kassa_invoice_get_tax_scope (invoice);
  tax.rounding = kassa_invoice_get_rounding (invoice);

  totals = kassa_invoice_compute_totals (invoice, &tax, 0, error);
  if (totals == NULL || !kassa_shop_get_invoice_link (self, invoice, &link, error))
    return NULL;

  document = kassa_invoice_document_new (profile, invoice, totals);
  kassa_invoice_document_set_public_link (document, link);

  if (kassa_invoice_get_kind (invoice) == KASSA_INVOICE_KIND_CREDIT_NOTE)
    {
      g_autoptr(KassaInvoice) credited = NULL;

      credited = kassa_invoice_repository_load (invoices, kassa_invoice_get_credited_invoice_id (invoice), error);
      if (credited == NULL)
        return NULL;
      kassa_invoice_document_set_credited_reference (document, kassa_invoice_get_reference (credited));
    }

  return g_steal_pointer (&document);
}

gboolean
kassa_shop_print_invoice_pdf (KassaShop        *self,
                              const char       *reference,
                              KassaPageFormat   format,
                              const char       *path,
                              GError          **error)
{
  g_autoptr(KassaInvoiceDocument) document = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (KASSA_IS_SHOP (self), FALSE);
  g_return_val_if_fail (reference != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  document = kassa_shop_build_invoice_document (self, reference, error);
  if (document == NULL)
    return FALSE;

  bytes = kassa_print_invoice_to_pdf_bytes (document, format, error);

  return bytes != NULL && write_bytes (path, bytes, error);
}

gboolean
kassa_shop_get_receipt_email (KassaShop   *self,
                              KassaOrder  *order,
                              char       **out_email,
                              GError     **error)
{
  g_autoptr(KassaCustomerRepository) customers = NULL;
  g_autoptr(KassaCustomer) customer = NULL;
  gint64 customer_id;
  const char *email;

  g_return_val_if_fail (KASSA_IS_SHOP (self), FALSE);
  g_return_val_if_fail (KASSA_IS_ORDER (order), FALSE);
  g_return_val_if_fail (out_email != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *out_email = NULL;
  if (!kassa_shop_check_permission (self, KASSA_PERMISSION_SELL, error))
    return FALSE;

  customer_id = kassa_order_get_customer_id (order);
  if (customer_id <= 0 || customer_id == KASSA_CUSTOMER_WALK_IN_ID)
    return TRUE;

  customers = kassa_customer_repository_new (kassa_shop_get_database (self));
  customer = kassa_customer_repository_get (customers, customer_id, error);
  if (customer == NULL)
    return FALSE;

  email = kassa_customer_get_email (customer);
  if (email != NULL && email[0] != '\0')
    *out_email = g_strdup (email);
  return TRUE;
}

/**
 * kassa_shop_record_receipt_printed:
 * @self: a #KassaShop
 * @order_id: the order whose receipt the till just printed
 * @error: a location for a #GError
 *
 * Records in the audit log that the original receipt of @order_id went to
 * a printer at the sale, so every later print says DUPLICATE. Does
 * nothing when a print is already recorded. Needs KASSA_PERMISSION_SELL.
 */
gboolean
kassa_shop_record_receipt_printed (KassaShop  *self,
                                   gint64      order_id,
                                   GError    **error)
{
  KassaAuditLog *audit_log;
  g_autofree char *entity_id = NULL;
  guint64 n_prints = 0;

  g_return_val_if_fail (KASSA_IS_SHOP (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_shop_check_permission (self, KASSA_PERMISSION_SELL, error))
    return FALSE;

  audit_log = kassa_shop_get_audit_log (self);
  entity_id = g_strdup_printf ("%" PRId64, order_id);

  if (!kassa_audit_log_count (audit_log, ACTION_PRINT, "order", entity_id, &n_prints, error))
    return FALSE;
  if (n_prints > 0)
    return TRUE;

  return kassa_audit_log_record (audit_log, kassa_shop_get_actor_id (self), ACTION_PRINT,
                                 "order", entity_id, NULL, error) != 0;
}
