/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-sale"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kassa-cart-line.h"
#include "kassa-catalog-item.h"
#include "kassa-currency.h"
#include "kassa-customer.h"
#include "kassa-error.h"
#include "kassa-order-line.h"
#include "kassa-sale.h"

static KassaOrderLine *
build_line (KassaCartLine        *cart_line,
            KassaDeliveryMethod   delivery_method,
            GError              **error)
{
  g_autoptr(KassaOrderLine) line = kassa_order_line_new ();
  KassaCatalogItem *item = kassa_cart_line_get_item (cart_line);

  if (item == NULL)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("A cart line has no item"));
      return NULL;
    }

  if (!kassa_order_line_set_item_id (line, kassa_catalog_item_get_id (item), error) ||
      !kassa_order_line_set_name (line, kassa_catalog_item_get_name (item), error) ||
      !kassa_order_line_set_sku (line, kassa_catalog_item_get_sku (item), error) ||
      !kassa_order_line_set_quantity (line, kassa_cart_line_get_quantity (cart_line), error) ||
      !kassa_order_line_set_unit_price (line, kassa_cart_line_get_unit_price (cart_line), error) ||
      !kassa_order_line_set_tax_rate (line, kassa_catalog_item_get_tax_rate (item), error) ||
      !kassa_order_line_set_discount_kind (line, kassa_cart_line_get_discount_kind (cart_line), error) ||
      !kassa_order_line_set_discount_value (line, kassa_cart_line_get_discount_value (cart_line), error))
    return NULL;

  /* Services are given at the till, whatever happens to the goods. */
  if (kassa_catalog_item_get_kind (item) == KASSA_ITEM_KIND_SERVICE)
    delivery_method = KASSA_DELIVERY_METHOD_NONE;
  if (!kassa_order_line_set_delivery_method (line, delivery_method, error))
    return NULL;

  return g_steal_pointer (&line);
}

KassaOrder *
kassa_sale_build_order (KassaCart               *cart,
                        const KassaTaxSettings  *settings,
                        GDateTime               *now,
                        GError                 **error)
{
  g_autoptr(KassaOrder) order = NULL;
  KassaCustomer *customer;
  KassaDeliveryMethod delivery_method;
  const char *address;
  guint n_lines;

  g_return_val_if_fail (KASSA_IS_CART (cart), NULL);
  g_return_val_if_fail (settings != NULL && settings->currency != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (kassa_cart_get_parked (cart))
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_LOCKED,
                           _("A parked cart cannot be sold; resume it first"));
      return NULL;
    }

  n_lines = g_list_model_get_n_items (G_LIST_MODEL (cart));
  if (n_lines == 0)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("The cart is empty"));
      return NULL;
    }

  if (g_strcmp0 (kassa_cart_get_currency_code (cart),
                 kassa_currency_get_code (settings->currency)) != 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_CURRENCY_MISMATCH,
                   _("The cart is in %s but the store sells in %s"),
                   kassa_cart_get_currency_code (cart),
                   kassa_currency_get_code (settings->currency));
      return NULL;
    }

  order = kassa_order_new ();
  customer = kassa_cart_get_customer (cart);
  delivery_method = kassa_cart_get_delivery_method (cart);
  address = kassa_cart_get_delivery_address (cart);

  if (!kassa_order_set_currency_code (order, kassa_currency_get_code (settings->currency), error) ||
      !kassa_order_set_mode (order, KASSA_ORDER_MODE_MANUAL, error) ||
      !kassa_order_set_created_at (order, now, error) ||
      !kassa_order_set_customer_id (order, customer != NULL ? kassa_customer_get_id (customer)
                                                            : KASSA_CUSTOMER_WALK_IN_ID, error) ||
      !kassa_order_set_prices_include_tax (order, settings->prices_include_tax, error) ||
      !kassa_order_set_tax_scope (order, settings->tax_scope, error) ||
      !kassa_order_set_rounding (order, settings->rounding, error) ||
      !kassa_order_set_discount_kind (order, kassa_cart_get_discount_kind (cart), error) ||
      !kassa_order_set_discount_value (order, kassa_cart_get_discount_value (cart), error) ||
      !kassa_order_set_delivery_method (order, delivery_method, error))
    return NULL;

  if (delivery_method == KASSA_DELIVERY_METHOD_DELIVERY &&
      !kassa_order_set_shipping_address (order, address, error))
    return NULL;

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(KassaCartLine) cart_line = g_list_model_get_item (G_LIST_MODEL (cart), i);
      g_autoptr(KassaOrderLine) line = build_line (cart_line, delivery_method, error);

      if (line == NULL || !kassa_order_add_line (order, line, error))
        return NULL;
    }

  return g_steal_pointer (&order);
}
