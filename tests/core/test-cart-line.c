/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-cart-line.h"

#include "kassa-test-properties.h"

static void
test_properties (void)
{
  g_autoptr(KassaCartLine) line = kassa_cart_line_new ();

  kassa_test_check_defaults (G_OBJECT (line));
  kassa_test_check_properties (G_OBJECT (line), NULL);
}

static void
test_unit_price (void)
{
  g_autoptr(KassaCatalogItem) item = kassa_catalog_item_new ();
  g_autoptr(KassaCartLine) line = NULL;

  kassa_catalog_item_set_price (item, 450);
  line = kassa_cart_line_new_for_item (item, 2500);

  g_assert_true (kassa_cart_line_get_item (line) == item);
  g_assert_cmpint (kassa_cart_line_get_quantity (line), ==, 2500);
  g_assert_cmpint (kassa_cart_line_get_unit_price (line), ==, 450);

  /* Follows the catalog until overridden. */
  kassa_catalog_item_set_price (item, 500);
  g_assert_cmpint (kassa_cart_line_get_unit_price (line), ==, 500);

  kassa_cart_line_set_price_override (line, 0);
  kassa_cart_line_set_has_price_override (line, TRUE);
  g_assert_cmpint (kassa_cart_line_get_unit_price (line), ==, 0);

  kassa_cart_line_set_has_price_override (line, FALSE);
  g_assert_cmpint (kassa_cart_line_get_unit_price (line), ==, 500);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/cart-line/properties", test_properties);
  g_test_add_func ("/kassa/cart-line/unit-price", test_unit_price);

  return g_test_run ();
}
