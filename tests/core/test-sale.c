/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-customer.h"
#include "kassa-document-totals.h"
#include "kassa-error.h"
#include "kassa-order-line.h"
#include "kassa-sale.h"

static KassaTaxSettings
settings_for (const char        *code,
              gboolean           prices_include_tax,
              KassaTaxScope      scope,
              KassaRoundingMode  rounding)
{
  KassaTaxSettings settings = { 0 };

  settings.currency = kassa_currency_lookup (code, NULL);
  g_assert_nonnull (settings.currency);
  settings.prices_include_tax = prices_include_tax;
  settings.tax_scope = scope;
  settings.rounding = rounding;

  return settings;
}

static KassaCatalogItem *
make_item (gint64      id,
           const char *name,
           KassaItemKind kind,
           gint64      price,
           gint64      tax_rate)
{
  return g_object_new (KASSA_TYPE_CATALOG_ITEM,
                       "id", id,
                       "name", name,
                       "kind", kind,
                       "sku", name,
                       "duration-minutes", kind == KASSA_ITEM_KIND_SERVICE ? 45 : 0,
                       "price", price,
                       "currency-code", "EUR",
                       "tax-rate", tax_rate,
                       "status", KASSA_ITEM_STATUS_ACTIVE,
                       NULL);
}

static KassaCart *
make_cart (void)
{
  KassaCart *cart = g_object_new (KASSA_TYPE_CART, "currency-code", "EUR", NULL);
  g_autoptr(KassaCatalogItem) beans = make_item (7, "Beans", KASSA_ITEM_KIND_PRODUCT, 1299, 70000);
  g_autoptr(KassaCatalogItem) mug = make_item (8, "Mug", KASSA_ITEM_KIND_PRODUCT, 850, 190000);
  g_autoptr(KassaCatalogItem) tasting = make_item (9, "Tasting", KASSA_ITEM_KIND_SERVICE, 2500, 190000);

  g_assert_true (kassa_cart_add_item (cart, beans, 2500, NULL, NULL));
  g_assert_true (kassa_cart_add_item (cart, mug, 3000, NULL, NULL));
  g_assert_true (kassa_cart_add_item (cart, tasting, 1000, NULL, NULL));
  g_assert_true (kassa_cart_set_price_override (cart, 1, 799, NULL));
  g_assert_true (kassa_cart_set_line_discount (cart, 0, KASSA_DISCOUNT_PERCENT, 100000, NULL));
  g_assert_true (kassa_cart_set_document_discount (cart, KASSA_DISCOUNT_AMOUNT, 333, NULL));

  return cart;
}

/* Whatever the store's tax rules, the order a sale records adds up to
 * exactly what the cashier saw on the cart. */
static void
test_totals_match_cart (void)
{
  const gboolean inclusive[] = { FALSE, TRUE };
  const KassaTaxScope scopes[] = { KASSA_TAX_SCOPE_DOCUMENT, KASSA_TAX_SCOPE_LINE };
  const KassaRoundingMode roundings[] = { KASSA_ROUNDING_HALF_UP, KASSA_ROUNDING_HALF_EVEN };
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 28, 9, 15, 0);

  for (guint a = 0; a < G_N_ELEMENTS (inclusive); a++)
    for (guint b = 0; b < G_N_ELEMENTS (scopes); b++)
      for (guint c = 0; c < G_N_ELEMENTS (roundings); c++)
        {
          KassaTaxSettings settings = settings_for ("EUR", inclusive[a], scopes[b], roundings[c]);
          g_autoptr(KassaCart) cart = make_cart ();
          g_autoptr(KassaOrder) order = NULL;
          g_autoptr(KassaTotals) cart_totals = NULL;
          g_autoptr(KassaTotals) order_totals = NULL;
          g_autoptr(GError) error = NULL;

          order = kassa_sale_build_order (cart, &settings, now, &error);
          g_assert_no_error (error);

          cart_totals = kassa_cart_compute_totals (cart, &settings, 5, &error);
          g_assert_no_error (error);
          order_totals = kassa_order_compute_totals (order, &settings, 5, &error);
          g_assert_no_error (error);

          g_assert_cmpint (kassa_totals_get_untaxed (order_totals), ==, kassa_totals_get_untaxed (cart_totals));
          g_assert_cmpint (kassa_totals_get_tax (order_totals), ==, kassa_totals_get_tax (cart_totals));
          g_assert_cmpint (kassa_totals_get_total (order_totals), ==, kassa_totals_get_total (cart_totals));
          g_assert_cmpint (kassa_totals_get_cash_rounding (order_totals), ==,
                           kassa_totals_get_cash_rounding (cart_totals));
          g_assert_cmpint (kassa_order_get_prices_include_tax (order), ==, inclusive[a]);
          g_assert_cmpint (kassa_order_get_tax_scope (order), ==, scopes[b]);
          g_assert_cmpint (kassa_order_get_rounding (order), ==, roundings[c]);
        }
}

static void
test_lines_and_details (void)
{
  KassaTaxSettings settings = settings_for ("EUR", TRUE, KASSA_TAX_SCOPE_DOCUMENT, KASSA_ROUNDING_HALF_UP);
  g_autoptr(KassaCart) cart = make_cart ();
  g_autoptr(KassaCustomer) customer = kassa_customer_new ();
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(KassaOrderLine) mug = NULL;
  g_autoptr(KassaOrderLine) tasting = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 28, 9, 15, 0);
  const char *address = "  Ada Lovelace\nFlat 2B\r\n12  Long   Lane\nLondon N1 9GU  ";

  kassa_customer_set_id (customer, 42);
  kassa_customer_set_name (customer, "Ada Lovelace");
  g_assert_true (kassa_cart_set_customer (cart, customer, NULL));
  g_assert_true (kassa_cart_set_delivery_method (cart, KASSA_DELIVERY_METHOD_DELIVERY, NULL));
  g_assert_true (kassa_cart_set_delivery_address (cart, address, NULL));

  order = kassa_sale_build_order (cart, &settings, now, NULL);
  g_assert_nonnull (order);

  g_assert_cmpint (kassa_order_get_customer_id (order), ==, 42);
  g_assert_cmpint (kassa_order_get_mode (order), ==, KASSA_ORDER_MODE_MANUAL);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_CREATED);
  g_assert_cmpstr (kassa_order_get_currency_code (order), ==, "EUR");
  g_assert_cmpstr (kassa_order_get_shipping_address (order), ==, address);
  g_assert_true (g_date_time_equal (kassa_order_get_created_at (order), now));
  g_assert_cmpint (kassa_order_get_discount_kind (order), ==, KASSA_DISCOUNT_AMOUNT);
  g_assert_cmpint (kassa_order_get_discount_value (order), ==, 333);
  g_assert_cmpuint (g_list_model_get_n_items (kassa_order_get_lines (order)), ==, 3);

  /* The price charged is the override, not the catalog price. */
  mug = g_list_model_get_item (kassa_order_get_lines (order), 1);
  g_assert_cmpstr (kassa_order_line_get_name (mug), ==, "Mug");
  g_assert_cmpstr (kassa_order_line_get_sku (mug), ==, "Mug");
  g_assert_cmpint (kassa_order_line_get_item_id (mug), ==, 8);
  g_assert_cmpint (kassa_order_line_get_quantity (mug), ==, 3000);
  g_assert_cmpint (kassa_order_line_get_unit_price (mug), ==, 799);
  g_assert_cmpint (kassa_order_line_get_tax_rate (mug), ==, 190000);
  g_assert_cmpint (kassa_order_line_get_delivery_method (mug), ==, KASSA_DELIVERY_METHOD_DELIVERY);

  /* A service is given at the till even when the goods are sent. */
  tasting = g_list_model_get_item (kassa_order_get_lines (order), 2);
  g_assert_cmpint (kassa_order_line_get_delivery_method (tasting), ==, KASSA_DELIVERY_METHOD_NONE);
}

static void
test_refusals (void)
{
  KassaTaxSettings eur = settings_for ("EUR", FALSE, KASSA_TAX_SCOPE_DOCUMENT, KASSA_ROUNDING_HALF_UP);
  KassaTaxSettings chf = settings_for ("CHF", FALSE, KASSA_TAX_SCOPE_DOCUMENT, KASSA_ROUNDING_HALF_UP);
  g_autoptr(KassaCart) empty = g_object_new (KASSA_TYPE_CART, "currency-code", "EUR", NULL);
  g_autoptr(KassaCart) cart = make_cart ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;

  g_assert_null (kassa_sale_build_order (empty, &eur, now, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_null (kassa_sale_build_order (cart, &chf, now, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_CURRENCY_MISMATCH);
  g_clear_error (&error);

  g_assert_true (kassa_cart_park (cart, NULL));
  g_assert_null (kassa_sale_build_order (cart, &eur, now, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/sale/totals-match-cart", test_totals_match_cart);
  g_test_add_func ("/kassa/sale/lines-and-details", test_lines_and_details);
  g_test_add_func ("/kassa/sale/refusals", test_refusals);

  return g_test_run ();
}
