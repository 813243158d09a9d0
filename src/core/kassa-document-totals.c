/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-document-totals"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kassa-document-totals.h"
#include "kassa-error.h"
#include "kassa-money.h"

static gboolean
check_currency (const KassaTaxSettings  *settings,
                const char              *document_currency,
                GError                 **error)
{
  const char *code = kassa_currency_get_code (settings->currency);

  if (g_strcmp0 (code, document_currency) == 0)
    return TRUE;

  g_set_error (error, KASSA_ERROR, KASSA_ERROR_CURRENCY_MISMATCH,
               _("The document is in %s but the totals were asked for in %s"),
               document_currency != NULL ? document_currency : "?", code);
  return FALSE;
}

KassaTotals *
kassa_cart_compute_totals (KassaCart               *cart,
                           const KassaTaxSettings  *settings,
                           gint64                   cash_rounding_step,
                           GError                 **error)
{
  g_autofree KassaTotalsLine *lines = NULL;
  KassaTotalsOptions options = { 0 };
  guint n;

  g_return_val_if_fail (KASSA_IS_CART (cart), NULL);
  g_return_val_if_fail (settings != NULL && settings->currency != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_currency (settings, kassa_cart_get_currency_code (cart), error))
    return NULL;

  n = g_list_model_get_n_items (G_LIST_MODEL (cart));
  lines = g_new0 (KassaTotalsLine, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KassaCartLine) line = g_list_model_get_item (G_LIST_MODEL (cart), i);
      KassaCatalogItem *item = kassa_cart_line_get_item (line);

      lines[i].quantity = kassa_cart_line_get_quantity (line);
      lines[i].unit_price = kassa_cart_line_get_unit_price (line);
      lines[i].tax_rate = item != NULL ? kassa_catalog_item_get_tax_rate (item) : 0;
      lines[i].discount_kind = kassa_cart_line_get_discount_kind (line);
      lines[i].discount_value = kassa_cart_line_get_discount_value (line);
    }

  options.discount_kind = kassa_cart_get_discount_kind (cart);
  options.discount_value = kassa_cart_get_discount_value (cart);
  options.cash_rounding_step = cash_rounding_step;

  return kassa_totals_compute (settings, &options, lines, n, error);
}

KassaTotals *
kassa_order_compute_totals (KassaOrder              *order,
                            const KassaTaxSettings  *settings,
                            gint64                   cash_rounding_step,
                            GError                 **error)
{
  g_autofree KassaTotalsLine *lines = NULL;
  KassaTaxSettings order_settings;
  KassaTotalsOptions options = { 0 };
  GListModel *model;
  gint64 shipping;
  guint n, n_lines;

  g_return_val_if_fail (KASSA_IS_ORDER (order), NULL);
  g_return_val_if_fail (settings != NULL && settings->currency != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_currency (settings, kassa_order_get_currency_code (order), error))
    return NULL;

  model = kassa_order_get_lines (order);
  n = g_list_model_get_n_items (model);
  shipping = kassa_order_get_shipping_cost (order);
  n_lines = n + (shipping != 0 ? 1 : 0);
  lines = g_new0 (KassaTotalsLine, MAX (n_lines, 1));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KassaOrderLine) line = g_list_model_get_item (model, i);

      lines[i].quantity = kassa_order_line_get_quantity (line);
      lines[i].unit_price = kassa_order_line_get_unit_price (line);
      lines[i].tax_rate = kassa_order_line_get_tax_rate (line);
      lines[i].discount_kind = kassa_order_line_get_discount_kind (line);
      lines[i].discount_value = kassa_order_line_get_discount_value (line);
    }

  if (shipping != 0)
    {
      lines[n].quantity = KASSA_QUANTITY_ONE;
      lines[n].unit_price = shipping;
      lines[n].tax_rate = kassa_order_get_shipping_tax_rate (order);
      lines[n].discount_kind = KASSA_DISCOUNT_NONE;
    }

  /* The rules the order was made under, not today's store settings: a
   * reprint must show what was charged. */
  order_settings.currency = settings->currency;
  order_settings.prices_include_tax = kassa_order_get_prices_include_tax (order);
  order_settings.tax_scope = kassa_order_get_tax_scope (order);
  order_settings.rounding = kassa_order_get_rounding (order);

  options.discount_kind = kassa_order_get_discount_kind (order);
  options.discount_value = kassa_order_get_discount_value (order);
  options.cash_rounding_step = cash_rounding_step;

  return kassa_totals_compute (&order_settings, &options, lines, n_lines, error);
}

KassaTotals *
kassa_invoice_compute_totals (KassaInvoice            *invoice,
                              const KassaTaxSettings  *settings,
                              gint64                   cash_rounding_step,
                              GError                 **error)
{
  g_autofree KassaTotalsLine *lines = NULL;
  KassaTaxSettings invoice_settings;
  KassaTotalsOptions options = { 0 };
  GListModel *model;
  guint n;

  g_return_val_if_fail (KASSA_IS_INVOICE (invoice), NULL);
  g_return_val_if_fail (settings != NULL && settings->currency != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_currency (settings, kassa_invoice_get_currency_code (invoice), error))
    return NULL;

  model = kassa_invoice_get_lines (invoice);
  n = g_list_model_get_n_items (model);
  lines = g_new0 (KassaTotalsLine, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KassaInvoiceLine) line = g_list_model_get_item (model, i);

      lines[i].quantity = kassa_invoice_line_get_quantity (line);
      lines[i].unit_price = kassa_invoice_line_get_unit_price (line);
      lines[i].tax_rate = kassa_invoice_line_get_tax_rate (line);
      lines[i].discount_kind = KASSA_DISCOUNT_NONE;
    }

  invoice_settings.currency = settings->currency;
  invoice_settings.prices_include_tax = kassa_invoice_get_prices_include_tax (invoice);
  invoice_settings.tax_scope = kassa_invoice_get_tax_scope (invoice);
  invoice_settings.rounding = kassa_invoice_get_rounding (invoice);
  options.cash_rounding_step = cash_rounding_step;

  return kassa_totals_compute (&invoice_settings, &options, lines, n, error);
}
