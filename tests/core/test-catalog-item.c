/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-catalog-item.h"
#include "kassa-error.h"

#include "kassa-test-properties.h"

static KassaCatalogItem *
make_valid_product (void)
{
  KassaCatalogItem *item = kassa_catalog_item_new ();

  kassa_catalog_item_set_name (item, "Espresso beans 1 kg");
  kassa_catalog_item_set_price (item, 2490);
  kassa_catalog_item_set_currency_code (item, "EUR");
  kassa_catalog_item_set_tax_rate (item, 70000);
  kassa_catalog_item_set_stock_on_hand (item, 12500);

  return item;
}

static void
test_properties (void)
{
  g_autoptr(KassaCatalogItem) item = kassa_catalog_item_new ();

  kassa_test_check_defaults (G_OBJECT (item));
  g_assert_cmpint (kassa_catalog_item_get_status (item), ==, KASSA_ITEM_STATUS_DRAFT);
  g_assert_cmpuint (kassa_catalog_item_get_interval_count (item), ==, 1);
  g_assert_true (kassa_catalog_item_get_public (item));
  kassa_test_check_properties (G_OBJECT (item), NULL);
}

static void
test_image_paths (void)
{
  g_autoptr(KassaCatalogItem) item = kassa_catalog_item_new ();
  const char *paths[] = { "a.png", "b.png", NULL };
  const char *same[] = { "a.png", "b.png", NULL };
  guint count = 0;

  g_signal_connect (item, "notify::image-paths", G_CALLBACK (kassa_test_count_notify_cb), &count);

  kassa_catalog_item_set_image_paths (item, paths);
  g_assert_cmpuint (count, ==, 1);
  g_assert_true (g_strv_equal (kassa_catalog_item_get_image_paths (item), paths));
  /* A copy, not the caller's array. */
  g_assert_true (kassa_catalog_item_get_image_paths (item) != paths);

  kassa_catalog_item_set_image_paths (item, same);
  g_assert_cmpuint (count, ==, 1);

  kassa_catalog_item_set_image_paths (item, NULL);
  g_assert_cmpuint (count, ==, 2);
  g_assert_null (kassa_catalog_item_get_image_paths (item));
}

static void
expect_invalid (KassaCatalogItem *item,
                const char       *message)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (kassa_catalog_item_validate (item, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_validate_product (void)
{
  g_autoptr(KassaCatalogItem) item = make_valid_product ();
  g_autoptr(GError) error = NULL;

  g_assert_true (kassa_catalog_item_validate (item, &error));
  g_assert_no_error (error);

  kassa_catalog_item_set_name (item, " \t ");
  expect_invalid (item, "An item needs a name");
  kassa_catalog_item_set_name (item, "Beans");

  kassa_catalog_item_set_price (item, -1);
  expect_invalid (item, "A price cannot be negative");
  kassa_catalog_item_set_price (item, 0);
  g_assert_true (kassa_catalog_item_validate (item, NULL));

  kassa_catalog_item_set_currency_code (item, "eur");
  expect_invalid (item, "A price needs a three-letter currency code");
  kassa_catalog_item_set_currency_code (item, "EURO");
  expect_invalid (item, "A price needs a three-letter currency code");
  kassa_catalog_item_set_currency_code (item, "CHF");

  kassa_catalog_item_set_tax_rate (item, 1000001);
  expect_invalid (item, "A tax rate must lie between 0 and 100 %");
  kassa_catalog_item_set_tax_rate (item, -1);
  expect_invalid (item, "A tax rate must lie between 0 and 100 %");
  kassa_catalog_item_set_tax_rate (item, 81000);

  kassa_catalog_item_set_duration_minutes (item, 30);
  expect_invalid (item, "A product has no duration; make it a service");
  kassa_catalog_item_set_duration_minutes (item, 0);

  /* Oversold stock is a fact to record, not an invalid item. */
  kassa_catalog_item_set_stock_on_hand (item, -3000);
  g_assert_true (kassa_catalog_item_validate (item, NULL));
}

static void
test_validate_service (void)
{
  g_autoptr(KassaCatalogItem) item = make_valid_product ();

  kassa_catalog_item_set_stock_on_hand (item, 0);
  kassa_catalog_item_set_kind (item, KASSA_ITEM_KIND_SERVICE);
  expect_invalid (item, "A service needs a duration");

  kassa_catalog_item_set_duration_minutes (item, 45);
  g_assert_true (kassa_catalog_item_validate (item, NULL));

  kassa_catalog_item_set_stock_on_hand (item, 1000);
  expect_invalid (item, "A service has no stock");
}

static void
test_validate_recurring (void)
{
  g_autoptr(KassaCatalogItem) item = make_valid_product ();

  kassa_catalog_item_set_interval (item, KASSA_BILLING_INTERVAL_MONTH);
  expect_invalid (item, "A one-time price has no billing interval");
  kassa_catalog_item_set_interval (item, KASSA_BILLING_INTERVAL_NONE);

  kassa_catalog_item_set_cycles (item, 3);
  expect_invalid (item, "A one-time price has no billing cycles");
  kassa_catalog_item_set_cycles (item, 0);

  kassa_catalog_item_set_pricing (item, KASSA_PRICING_RECURRING);
  expect_invalid (item, "A recurring price needs a billing interval");

  kassa_catalog_item_set_interval (item, KASSA_BILLING_INTERVAL_MONTH);
  g_assert_true (kassa_catalog_item_validate (item, NULL));
  kassa_catalog_item_set_interval_count (item, 0);
  expect_invalid (item, "A recurring price needs an interval count of at least 1");

  kassa_catalog_item_set_interval_count (item, 3);
  kassa_catalog_item_set_cycles (item, 12);
  g_assert_true (kassa_catalog_item_validate (item, NULL));

  kassa_catalog_item_set_interval_count (item, 37);
  expect_invalid (item, "A billing interval cannot be longer than three years");
  kassa_catalog_item_set_interval (item, KASSA_BILLING_INTERVAL_YEAR);
  kassa_catalog_item_set_interval_count (item, 3);
  g_assert_true (kassa_catalog_item_validate (item, NULL));
  kassa_catalog_item_set_interval_count (item, 4);
  expect_invalid (item, "A billing interval cannot be longer than three years");
}

static void
test_sellable (void)
{
  g_autoptr(KassaCatalogItem) item = make_valid_product ();

  g_assert_false (kassa_catalog_item_is_sellable (item));
  kassa_catalog_item_set_status (item, KASSA_ITEM_STATUS_ACTIVE);
  g_assert_true (kassa_catalog_item_is_sellable (item));
  kassa_catalog_item_set_price (item, -5);
  g_assert_false (kassa_catalog_item_is_sellable (item));
  kassa_catalog_item_set_price (item, 5);
  kassa_catalog_item_set_status (item, KASSA_ITEM_STATUS_ARCHIVED);
  g_assert_false (kassa_catalog_item_is_sellable (item));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/catalog-item/properties", test_properties);
  g_test_add_func ("/kassa/catalog-item/image-paths", test_image_paths);
  g_test_add_func ("/kassa/catalog-item/validate-product", test_validate_product);
  g_test_add_func ("/kassa/catalog-item/validate-service", test_validate_service);
  g_test_add_func ("/kassa/catalog-item/validate-recurring", test_validate_recurring);
  g_test_add_func ("/kassa/catalog-item/sellable", test_sellable);

  return g_test_run ();
}
