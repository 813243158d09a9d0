/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-document-totals.h"
#include "kassa-error.h"

static KassaTaxSettings
settings_for (const char *code,
              gboolean    prices_include_tax)
{
  g_autoptr(GError) error = NULL;
  KassaTaxSettings settings = { 0 };

  settings.currency = kassa_currency_lookup (code, &error);
  g_assert_no_error (error);
  settings.prices_include_tax = prices_include_tax;
  settings.tax_scope = KASSA_TAX_SCOPE_DOCUMENT;
  settings.rounding = KASSA_ROUNDING_HALF_UP;

  return settings;
}

static KassaCatalogItem *
make_item (const char *currency,
           gint64      price,
           gint64      tax_rate)
{
  return g_object_new (KASSA_TYPE_CATALOG_ITEM,
                       "name", "Item",
                       "price", price,
                       "currency-code", currency,
                       "tax-rate", tax_rate,
                       "status", KASSA_ITEM_STATUS_ACTIVE,
                       NULL);
}

static KassaCart *
make_cart (const char *currency)
{
  KassaCart *cart = g_object_new (KASSA_TYPE_CART, "currency-code", currency, NULL);
  g_autoptr(KassaCatalogItem) tea = make_item (currency, 350, 70000);
  g_autoptr(KassaCatalogItem) cake = make_item (currency, 420, 190000);

  g_assert_true (kassa_cart_add_item (cart, tea, 2000, NULL, NULL));
  g_assert_true (kassa_cart_add_item (cart, cake, 1000, NULL, NULL));

  return cart;
}

static void
assert_totals (KassaTotals *totals,
               gint64       untaxed,
               gint64       tax,
               gint64       total)
{
  g_assert_nonnull (totals);
  g_assert_cmpint (kassa_totals_get_untaxed (totals), ==, untaxed);
  g_assert_cmpint (kassa_totals_get_tax (totals), ==, tax);
  g_assert_cmpint (kassa_totals_get_total (totals), ==, total);
}

static void
test_cart_net (void)
{
  g_autoptr(KassaCart) cart = make_cart ("EUR");
  KassaTaxSettings settings = settings_for ("EUR", FALSE);
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(GError) error = NULL;

  /* 2 × 3.50 at 7 % and 1 × 4.20 at 19 %: tax 0.49 + 0.798 → 0.80. */
  totals = kassa_cart_compute_totals (cart, &settings, 0, &error);
  g_assert_no_error (error);
  assert_totals (totals, 1120, 129, 1249);
  g_assert_cmpuint (kassa_totals_get_n_lines (totals), ==, 2);
  g_assert_cmpint (kassa_totals_get_line (totals, 0)->net, ==, 700);
  g_assert_cmpint (kassa_totals_get_line (totals, 1)->net, ==, 420);
  g_assert_cmpuint (kassa_totals_get_n_tax_lines (totals), ==, 2);
  g_assert_cmpint (kassa_totals_get_amount_due (totals), ==, 1249);
}

static void
test_cart_gross (void)
{
  g_autoptr(KassaCart) cart = make_cart ("EUR");
  KassaTaxSettings settings = settings_for ("EUR", TRUE);
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(GError) error = NULL;

  /* Retail: the shelf prices are what the customer pays. */
  totals = kassa_cart_compute_totals (cart, &settings, 0, &error);
  g_assert_no_error (error);
  assert_totals (totals, 1007, 113, 1120);
}

static void
test_cart_discounts_and_override (void)
{
  g_autoptr(KassaCart) cart = make_cart ("EUR");
  KassaTaxSettings settings = settings_for ("EUR", FALSE);
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(GError) error = NULL;

  /* Cake at 4.00 instead of 4.20, tea 50 % off, then 1.00 off the lot. */
  g_assert_true (kassa_cart_set_price_override (cart, 1, 400, NULL));
  g_assert_true (kassa_cart_set_line_discount (cart, 0, KASSA_DISCOUNT_PERCENT, 500000, NULL));
  g_assert_true (kassa_cart_set_document_discount (cart, KASSA_DISCOUNT_AMOUNT, 100, NULL));

  totals = kassa_cart_compute_totals (cart, &settings, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_totals_get_line (totals, 0)->amount, ==, 700);
  g_assert_cmpint (kassa_totals_get_line (totals, 0)->line_discount, ==, 350);
  g_assert_cmpint (kassa_totals_get_line (totals, 1)->amount, ==, 400);
  g_assert_cmpint (kassa_totals_get_discount (totals), ==, 450);
  g_assert_cmpint (kassa_totals_get_untaxed (totals), ==, 650);
  g_assert_cmpint (kassa_totals_get_total (totals),
                   ==, kassa_totals_get_untaxed (totals) + kassa_totals_get_tax (totals));
}

static void
test_cart_cash_rounding (void)
{
  g_autoptr(KassaCart) cart = make_cart ("CHF");
  KassaTaxSettings settings = settings_for ("CHF", FALSE);
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(GError) error = NULL;

  totals = kassa_cart_compute_totals (cart, &settings, 5, &error);
  g_assert_no_error (error);
  assert_totals (totals, 1120, 129, 1249);
  g_assert_cmpint (kassa_totals_get_cash_rounding (totals), ==, 1);
  g_assert_cmpint (kassa_totals_get_amount_due (totals), ==, 1250);
}

static void
test_currency_mismatch (void)
{
  g_autoptr(KassaCart) cart = make_cart ("EUR");
  g_autoptr(KassaOrder) order = g_object_new (KASSA_TYPE_ORDER, "currency-code", "EUR", NULL);
  g_autoptr(KassaInvoice) invoice = g_object_new (KASSA_TYPE_INVOICE, "currency-code", "EUR", NULL);
  KassaTaxSettings settings = settings_for ("USD", FALSE);
  g_autoptr(GError) error = NULL;

  g_assert_null (kassa_cart_compute_totals (cart, &settings, 0, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_CURRENCY_MISMATCH);
  g_clear_error (&error);
  g_assert_null (kassa_order_compute_totals (order, &settings, 0, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_CURRENCY_MISMATCH);
  g_clear_error (&error);
  g_assert_null (kassa_invoice_compute_totals (invoice, &settings, 0, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_CURRENCY_MISMATCH);
}

static KassaOrder *
make_order (void)
{
  KassaOrder *order = g_object_new (KASSA_TYPE_ORDER, "currency-code", "EUR", NULL);
  g_autoptr(KassaOrderLine) a = g_object_new (KASSA_TYPE_ORDER_LINE,
                                              "quantity", G_GINT64_CONSTANT (2000),
                                              "unit-price", G_GINT64_CONSTANT (500),
                                              "tax-rate", G_GINT64_CONSTANT (190000),
                                              NULL);
  g_autoptr(KassaOrderLine) b = g_object_new (KASSA_TYPE_ORDER_LINE,
                                              "quantity", G_GINT64_CONSTANT (1000),
                                              "unit-price", G_GINT64_CONSTANT (1200),
                                              "tax-rate", G_GINT64_CONSTANT (190000),
                                              NULL);

  g_assert_true (kassa_order_add_line (order, a, NULL));
  g_assert_true (kassa_order_add_line (order, b, NULL));

  return order;
}

static void
test_order (void)
{
  g_autoptr(KassaOrder) order = make_order ();
  KassaTaxSettings settings = settings_for ("EUR", FALSE);
  KassaTaxSettings gross = settings_for ("EUR", TRUE);
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(KassaTotals) same = NULL;
  g_autoptr(KassaTotals) shipped = NULL;
  g_autoptr(GError) error = NULL;

  totals = kassa_order_compute_totals (order, &settings, 0, &error);
  g_assert_no_error (error);
  assert_totals (totals, 2200, 418, 2618);
  g_assert_cmpuint (kassa_totals_get_n_lines (totals), ==, 2);

  /* The order's own rules count, not what the store says today. */
  same = kassa_order_compute_totals (order, &gross, 0, &error);
  g_assert_no_error (error);
  assert_totals (same, 2200, 418, 2618);

  g_assert_true (kassa_order_set_shipping_cost (order, 490, NULL));
  g_assert_true (kassa_order_set_shipping_tax_rate (order, 190000, NULL));
  shipped = kassa_order_compute_totals (order, &settings, 0, &error);
  g_assert_no_error (error);
  /* 26.90 at 19 % = 5.111 → 5.11. */
  assert_totals (shipped, 2690, 511, 3201);
  g_assert_cmpuint (kassa_totals_get_n_lines (shipped), ==, 3);
  g_assert_cmpint (kassa_totals_get_line (shipped, 2)->net, ==, 490);
}

static void
test_order_own_rules (void)
{
  g_autoptr(KassaOrder) order = make_order ();
  g_autoptr(KassaOrderLine) first = NULL;
  KassaTaxSettings settings = settings_for ("EUR", FALSE);
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(GError) error = NULL;

  /* A till order: gross prices, 10 % off the first line, 2.00 off the lot. */
  g_assert_true (kassa_order_set_prices_include_tax (order, TRUE, NULL));
  first = g_list_model_get_item (kassa_order_get_lines (order), 0);
  g_assert_true (kassa_order_line_set_discount_kind (first, KASSA_DISCOUNT_PERCENT, NULL));
  g_assert_true (kassa_order_line_set_discount_value (first, 100000, NULL));
  g_assert_true (kassa_order_set_discount_kind (order, KASSA_DISCOUNT_AMOUNT, NULL));
  g_assert_true (kassa_order_set_discount_value (order, 200, NULL));

  /* Gross 10.00 − 1.00 + 12.00 − 2.00 = 19.00 at 19 %: net 15.97, tax 3.03. */
  totals = kassa_order_compute_totals (order, &settings, 0, &error);
  g_assert_no_error (error);
  assert_totals (totals, 1597, 303, 1900);
  g_assert_cmpint (kassa_totals_get_discount (totals), ==, 300);
}

static void
test_invoice (void)
{
  g_autoptr(KassaInvoice) invoice = g_object_new (KASSA_TYPE_INVOICE, "currency-code", "GBP", NULL);
  g_autoptr(KassaInvoiceLine) a = g_object_new (KASSA_TYPE_INVOICE_LINE,
                                                "quantity", G_GINT64_CONSTANT (7500),
                                                "unit-price", G_GINT64_CONSTANT (9000),
                                                "tax-rate", G_GINT64_CONSTANT (200000),
                                                NULL);
  g_autoptr(KassaInvoiceLine) b = g_object_new (KASSA_TYPE_INVOICE_LINE,
                                                "quantity", G_GINT64_CONSTANT (1000),
                                                "unit-price", G_GINT64_CONSTANT (12000),
                                                "tax-rate", G_GINT64_CONSTANT (0),
                                                NULL);
  KassaTaxSettings settings = settings_for ("GBP", TRUE);
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(KassaTotals) gross = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (kassa_invoice_add_line (invoice, a, NULL));
  g_assert_true (kassa_invoice_add_line (invoice, b, NULL));

  /* 7.5 h × 90.00 at 20 % and 120.00 untaxed travel. */
  totals = kassa_invoice_compute_totals (invoice, &settings, 0, &error);
  g_assert_no_error (error);
  assert_totals (totals, 79500, 13500, 93000);
  g_assert_cmpuint (kassa_totals_get_n_tax_lines (totals), ==, 2);

  /* The same lines read as gross prices: 675.00 holds 112.50 tax. */
  g_assert_true (kassa_invoice_set_prices_include_tax (invoice, TRUE, NULL));
  gross = kassa_invoice_compute_totals (invoice, &settings, 0, &error);
  g_assert_no_error (error);
  assert_totals (gross, 68250, 11250, 79500);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/document-totals/cart-net", test_cart_net);
  g_test_add_func ("/kassa/document-totals/cart-gross", test_cart_gross);
  g_test_add_func ("/kassa/document-totals/cart-discounts-and-override", test_cart_discounts_and_override);
  g_test_add_func ("/kassa/document-totals/cart-cash-rounding", test_cart_cash_rounding);
  g_test_add_func ("/kassa/document-totals/currency-mismatch", test_currency_mismatch);
  g_test_add_func ("/kassa/document-totals/order", test_order);
  g_test_add_func ("/kassa/document-totals/order-own-rules", test_order_own_rules);
  g_test_add_func ("/kassa/document-totals/invoice", test_invoice);

  return g_test_run ();
}
