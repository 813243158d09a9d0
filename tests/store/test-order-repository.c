/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-order-repository"

#include "config.h"

#include "kassa-error.h"
#include "kassa-store-error.h"

#include "order-test-utils.h"

static void
assert_times_equal (GDateTime *a,
                    GDateTime *b)
{
  if (a == NULL || b == NULL)
    {
      g_assert_true (a == b);
      return;
    }

  g_assert_true (g_date_time_equal (a, b));
  /* Microseconds survive the trip. */
  g_assert_cmpint (g_date_time_get_microsecond (a), ==, g_date_time_get_microsecond (b));
}

static void
assert_orders_equal (KassaOrder *a,
                     KassaOrder *b)
{
  GListModel *lines_a = kassa_order_get_lines (a);
  GListModel *lines_b = kassa_order_get_lines (b);
  GListModel *payments_a = kassa_order_get_payments (a);
  GListModel *payments_b = kassa_order_get_payments (b);
  g_autoptr(KassaTotals) totals_a = order_test_totals (a);
  g_autoptr(KassaTotals) totals_b = order_test_totals (b);

  g_assert_cmpint (kassa_order_get_id (a), ==, kassa_order_get_id (b));
  g_assert_cmpstr (kassa_order_get_number (a), ==, kassa_order_get_number (b));
  g_assert_cmpint (kassa_order_get_customer_id (a), ==, kassa_order_get_customer_id (b));
  g_assert_cmpstr (kassa_order_get_currency_code (a), ==, kassa_order_get_currency_code (b));
  g_assert_cmpint (kassa_order_get_mode (a), ==, kassa_order_get_mode (b));
  g_assert_cmpint (kassa_order_get_certified (a), ==, kassa_order_get_certified (b));
  g_assert_cmpint (kassa_order_get_payment_status (a), ==, kassa_order_get_payment_status (b));
  g_assert_cmpint (kassa_order_get_dispute_status (a), ==, kassa_order_get_dispute_status (b));
  g_assert_cmpint (kassa_order_get_fulfilment_status (a), ==, kassa_order_get_fulfilment_status (b));
  g_assert_cmpint (kassa_order_get_delivery_method (a), ==, kassa_order_get_delivery_method (b));
  g_assert_cmpint (kassa_order_get_shipping_cost (a), ==, kassa_order_get_shipping_cost (b));
  g_assert_cmpint (kassa_order_get_shipping_tax_rate (a), ==, kassa_order_get_shipping_tax_rate (b));
  g_assert_cmpstr (kassa_order_get_shipping_address (a), ==, kassa_order_get_shipping_address (b));
  g_assert_cmpstr (kassa_order_get_billing_address (a), ==, kassa_order_get_billing_address (b));
  g_assert_cmpstr (kassa_order_get_tracking_url (a), ==, kassa_order_get_tracking_url (b));
  g_assert_cmpstr (kassa_order_get_shipping_status (a), ==, kassa_order_get_shipping_status (b));
  g_assert_cmpstr (kassa_order_get_stripe_checkout_session_id (a), ==, kassa_order_get_stripe_checkout_session_id (b));
  g_assert_cmpstr (kassa_order_get_stripe_payment_intent_id (a), ==, kassa_order_get_stripe_payment_intent_id (b));
  assert_times_equal (kassa_order_get_created_at (a), kassa_order_get_created_at (b));
  assert_times_equal (kassa_order_get_paid_at (a), kassa_order_get_paid_at (b));
  g_assert_cmpint (kassa_order_get_prices_include_tax (a), ==, kassa_order_get_prices_include_tax (b));
  g_assert_cmpint (kassa_order_get_tax_scope (a), ==, kassa_order_get_tax_scope (b));
  g_assert_cmpint (kassa_order_get_rounding (a), ==, kassa_order_get_rounding (b));
  g_assert_cmpint (kassa_order_get_discount_kind (a), ==, kassa_order_get_discount_kind (b));
  g_assert_cmpint (kassa_order_get_discount_value (a), ==, kassa_order_get_discount_value (b));
  g_assert_cmpint (kassa_order_is_locked (a), ==, kassa_order_is_locked (b));

  g_assert_cmpuint (g_list_model_get_n_items (lines_a), ==, g_list_model_get_n_items (lines_b));
  for (guint i = 0; i < g_list_model_get_n_items (lines_a); i++)
    {
      g_autoptr(KassaOrderLine) la = g_list_model_get_item (lines_a, i);
      g_autoptr(KassaOrderLine) lb = g_list_model_get_item (lines_b, i);

      g_assert_cmpint (kassa_order_line_get_item_id (la), ==, kassa_order_line_get_item_id (lb));
      g_assert_cmpstr (kassa_order_line_get_sku (la), ==, kassa_order_line_get_sku (lb));
      g_assert_cmpstr (kassa_order_line_get_name (la), ==, kassa_order_line_get_name (lb));
      g_assert_cmpint (kassa_order_line_get_quantity (la), ==, kassa_order_line_get_quantity (lb));
      g_assert_cmpint (kassa_order_line_get_unit_price (la), ==, kassa_order_line_get_unit_price (lb));
      g_assert_cmpint (kassa_order_line_get_tax_rate (la), ==, kassa_order_line_get_tax_rate (lb));
      g_assert_cmpint (kassa_order_line_get_discount_kind (la), ==, kassa_order_line_get_discount_kind (lb));
      g_assert_cmpint (kassa_order_line_get_discount_value (la), ==, kassa_order_line_get_discount_value (lb));
      g_assert_cmpint (kassa_order_line_get_delivery_method (la), ==, kassa_order_line_get_delivery_method (lb));
      g_assert_cmpint (kassa_order_line_get_locked (la), ==, kassa_order_line_get_locked (lb));
    }

  g_assert_cmpuint (g_list_model_get_n_items (payments_a), ==, g_list_model_get_n_items (payments_b));
  for (guint i = 0; i < g_list_model_get_n_items (payments_a); i++)
    {
      g_autoptr(KassaPayment) pa = g_list_model_get_item (payments_a, i);
      g_autoptr(KassaPayment) pb = g_list_model_get_item (payments_b, i);

      g_assert_cmpint (kassa_payment_get_id (pa), ==, kassa_payment_get_id (pb));
      g_assert_cmpint (kassa_payment_get_id (pa), >, 0);
      g_assert_cmpstr (kassa_payment_get_provider_id (pa), ==, kassa_payment_get_provider_id (pb));
      g_assert_cmpint (kassa_payment_get_amount (pa), ==, kassa_payment_get_amount (pb));
      g_assert_cmpstr (kassa_payment_get_currency_code (pa), ==, kassa_payment_get_currency_code (pb));
      g_assert_cmpstr (kassa_payment_get_method_label (pa), ==, kassa_payment_get_method_label (pb));
      g_assert_cmpstr (kassa_payment_get_reference (pa), ==, kassa_payment_get_reference (pb));
      assert_times_equal (kassa_payment_get_paid_at (pa), kassa_payment_get_paid_at (pb));
      g_assert_cmpint (kassa_payment_get_refunded_amount (pa), ==, kassa_payment_get_refunded_amount (pb));
    }

  /* Totals come from the engine on both sides, line by line. */
  g_assert_cmpint (kassa_totals_get_untaxed (totals_a), ==, kassa_totals_get_untaxed (totals_b));
  g_assert_cmpint (kassa_totals_get_tax (totals_a), ==, kassa_totals_get_tax (totals_b));
  g_assert_cmpint (kassa_totals_get_total (totals_a), ==, kassa_totals_get_total (totals_b));
  g_assert_cmpuint (kassa_totals_get_n_lines (totals_a), ==, kassa_totals_get_n_lines (totals_b));
  for (guint i = 0; i < kassa_totals_get_n_lines (totals_a); i++)
    {
      g_assert_cmpint (kassa_totals_get_line (totals_a, i)->net, ==, kassa_totals_get_line (totals_b, i)->net);
      g_assert_cmpint (kassa_totals_get_line (totals_a, i)->tax, ==, kassa_totals_get_line (totals_b, i)->tax);
    }
}

static void
assert_stored_totals (OrderFixture *fixture,
                      KassaOrder   *order)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaTotals) totals = order_test_totals (order);
  KassaOrderStoredTotals stored = { 0, };

  kassa_order_repository_load_totals (fixture->orders, kassa_order_get_id (order), &stored, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored.untaxed, ==, kassa_totals_get_untaxed (totals));
  g_assert_cmpint (stored.tax, ==, kassa_totals_get_tax (totals));
  g_assert_cmpint (stored.total, ==, kassa_totals_get_total (totals));
}

/* Every field set away from its default, so a column that is not
 * written or read back shows. */
static KassaOrder *
full_manual_order (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) created = order_test_time (2026, 11, 27, 9, 59, 58.123456);
  g_autoptr(GDateTime) paid = order_test_time (2026, 11, 27, 10, 1, 0.000007);
  g_autoptr(KassaOrderLine) line = kassa_order_line_new ();
  KassaOrder *order = order_test_new ("2026-000123", KASSA_ORDER_MODE_MANUAL, 1, created);

  kassa_order_set_prices_include_tax (order, FALSE, &error);
  g_assert_no_error (error);
  kassa_order_set_tax_scope (order, KASSA_TAX_SCOPE_LINE, &error);
  g_assert_no_error (error);
  kassa_order_set_rounding (order, KASSA_ROUNDING_HALF_EVEN, &error);
  g_assert_no_error (error);
  kassa_order_set_discount_kind (order, KASSA_DISCOUNT_PERCENT, &error);
  g_assert_no_error (error);
  kassa_order_set_discount_value (order, 50000, &error);
  g_assert_no_error (error);
  kassa_order_set_delivery_method (order, KASSA_DELIVERY_METHOD_DELIVERY, &error);
  g_assert_no_error (error);
  kassa_order_set_shipping_cost (order, 490, &error);
  g_assert_no_error (error);
  kassa_order_set_shipping_tax_rate (order, 190000, &error);
  g_assert_no_error (error);
  /* Stored exactly as typed: trailing spaces, blank lines, accents. */
  kassa_order_set_shipping_address (order, "Jürgen Müller  \nHauptstraße 1\n\n10115 Berlin ", &error);
  g_assert_no_error (error);
  kassa_order_set_billing_address (order, "Müller GmbH\r\nPostfach 12", &error);
  g_assert_no_error (error);
  kassa_order_set_shipping_status (order, "label printed");
  kassa_order_set_tracking_url (order, "https://track.example/?id=AB12&lang=de");
  kassa_order_set_paid_at (order, paid);

  kassa_order_line_set_item_id (line, 0, &error);
  g_assert_no_error (error);
  kassa_order_line_set_sku (line, "CHS-125", &error);
  g_assert_no_error (error);
  kassa_order_line_set_name (line, "Gruyère, by weight", &error);
  g_assert_no_error (error);
  kassa_order_line_set_quantity (line, 1234, &error);
  g_assert_no_error (error);
  kassa_order_line_set_unit_price (line, 2990, &error);
  g_assert_no_error (error);
  kassa_order_line_set_tax_rate (line, 70000, &error);
  g_assert_no_error (error);
  kassa_order_line_set_discount_kind (line, KASSA_DISCOUNT_AMOUNT, &error);
  g_assert_no_error (error);
  kassa_order_line_set_discount_value (line, 100, &error);
  g_assert_no_error (error);
  kassa_order_line_set_delivery_method (line, KASSA_DELIVERY_METHOD_DELIVERY, &error);
  g_assert_no_error (error);
  kassa_order_add_line (order, line, &error);
  g_assert_no_error (error);

  order_test_add_line (order, "Wine glass", 6 * KASSA_QUANTITY_ONE, 833, 190000);
  order_test_add_line (order, "Returned glass", -KASSA_QUANTITY_ONE, 833, 190000);

  order_test_add_payment (order, "cash", 3000, "");
  order_test_add_payment (order, "stripe_terminal", 5000, "ch_3Nsplit");

  return order;
}

static void
test_round_trip (OrderFixture  *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaOrder) order = full_manual_order ();
  g_autoptr(KassaOrder) loaded = NULL;
  g_autoptr(KassaOrder) by_number = NULL;
  gint64 id;

  id = kassa_order_repository_insert (fixture->orders, order, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (kassa_order_get_id (order), ==, id);

  loaded = kassa_order_repository_load (fixture->orders, id, &error);
  g_assert_no_error (error);
  assert_orders_equal (order, loaded);
  assert_stored_totals (fixture, loaded);
  g_assert_cmpint (kassa_order_get_amount_paid (loaded), ==, 8000);

  by_number = kassa_order_repository_load_by_number (fixture->orders, "2026-000123", &error);
  g_assert_no_error (error);
  assert_orders_equal (order, by_number);

  g_clear_object (&by_number);
  by_number = kassa_order_repository_load_by_number (fixture->orders, "2026-999999", &error);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_assert_null (by_number);
}

static KassaOrder *
certified_stripe_order (const char *number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) created = order_test_time (2026, 11, 27, 11, 0, 0.5);
  g_autofree char *session = g_strconcat ("cs_test_", number, NULL);
  g_autofree char *intent = g_strconcat ("pi_test_", number, NULL);
  KassaOrder *order = order_test_new (number, KASSA_ORDER_MODE_STRIPE, 1, created);
  g_autoptr(KassaTotals) totals = NULL;

  kassa_order_set_delivery_method (order, KASSA_DELIVERY_METHOD_PICKUP, &error);
  g_assert_no_error (error);
  kassa_order_set_shipping_address (order, "Counter 2", &error);
  g_assert_no_error (error);
  kassa_order_set_stripe_checkout_session_id (order, session, &error);
  g_assert_no_error (error);
  kassa_order_set_stripe_payment_intent_id (order, intent);
  order_test_add_line (order, "Espresso machine", KASSA_QUANTITY_ONE, 34900, 190000);
  order_test_add_line (order, "Descaler", 3 * KASSA_QUANTITY_ONE, 799, 190000);
  totals = order_test_totals (order);
  order_test_add_payment (order, "stripe_checkout", kassa_totals_get_total (totals), intent);
  kassa_order_set_payment_status (order, KASSA_PAYMENT_STATUS_PAID, &error);
  g_assert_no_error (error);
  kassa_order_set_certified (order, TRUE, &error);
  g_assert_no_error (error);

  return order;
}

static void
test_round_trip_certified (OrderFixture  *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaOrder) order = certified_stripe_order ("S-1");
  g_autoptr(KassaOrder) loaded = NULL;
  g_autoptr(KassaOrder) by_session = NULL;
  g_autoptr(KassaOrder) by_intent = NULL;
  g_autoptr(KassaOrderLine) line = NULL;
  gint64 id;

  id = kassa_order_repository_insert (fixture->orders, order, NULL, &error);
  g_assert_no_error (error);

  loaded = kassa_order_repository_load (fixture->orders, id, &error);
  g_assert_no_error (error);
  g_assert_true (kassa_order_is_locked (loaded));
  assert_orders_equal (order, loaded);
  assert_stored_totals (fixture, loaded);

  /* The loaded copy is as locked as the original. */
  line = g_list_model_get_item (kassa_order_get_lines (loaded), 0);
  g_assert_true (kassa_order_line_get_locked (line));
  kassa_order_set_shipping_address (loaded, "elsewhere", &error);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED);
  g_clear_error (&error);

  by_session = kassa_order_repository_load_by_stripe_reference (fixture->orders, "cs_test_S-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_order_get_id (by_session), ==, id);
  by_intent = kassa_order_repository_load_by_stripe_reference (fixture->orders, "pi_test_S-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_order_get_id (by_intent), ==, id);
}

static void
test_cash_rounding_and_context (OrderFixture  *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaOrder) order = order_test_new ("C-1", KASSA_ORDER_MODE_MANUAL, 1, NULL);
  KassaOrderSaleContext context = { 0, 0, 0, 5 };
  KassaOrderStoredTotals stored = { 0, };
  sqlite3 *raw;
  gint64 id;

  /* 10.02 rounds to 10.00 with a 0.05 step. */
  order_test_add_line (order, "Bread", KASSA_QUANTITY_ONE, 1002, 25000);
  id = kassa_order_repository_insert (fixture->orders, order, &context, &error);
  g_assert_no_error (error);

  /* A missing creation time became now. */
  g_assert_nonnull (kassa_order_get_created_at (order));

  kassa_order_repository_load_totals (fixture->orders, id, &stored, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored.total, ==, 1002);
  g_assert_cmpint (stored.cash_rounding, ==, -2);
  g_assert_cmpint (stored.untaxed + stored.tax, ==, stored.total);

  raw = store_test_open_raw (fixture->path);
  g_assert_cmpint (store_test_query_int (raw, "SELECT count(*) FROM \"order\" WHERE staff_id IS NULL "
                                              "AND shift_id IS NULL AND cart_id IS NULL"), ==, 1);
  sqlite3_close (raw);
}

static void
test_outer_transaction (OrderFixture  *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaOrder) first = order_test_new ("T-1", KASSA_ORDER_MODE_MANUAL, 1, NULL);
  g_autoptr(KassaOrder) second = order_test_new ("T-2", KASSA_ORDER_MODE_MANUAL, 1, NULL);
  g_autoptr(KassaOrder) duplicate = order_test_new ("T-2", KASSA_ORDER_MODE_MANUAL, 1, NULL);
  g_autoptr(KassaOrder) loaded = NULL;
  gint64 id;

  order_test_add_line (first, "Tea", KASSA_QUANTITY_ONE, 350, 70000);
  order_test_add_line (second, "Tea", KASSA_QUANTITY_ONE, 350, 70000);
  order_test_add_line (duplicate, "Tea", KASSA_QUANTITY_ONE, 350, 70000);
  order_test_add_payment (duplicate, "cash", 350, "");

  /* The sale rolls back: the order goes with it. */
  kassa_database_begin (fixture->db, &error);
  g_assert_no_error (error);
  id = kassa_order_repository_insert (fixture->orders, first, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (kassa_database_in_transaction (fixture->db));
  kassa_database_rollback (fixture->db, &error);
  g_assert_no_error (error);

  loaded = kassa_order_repository_load (fixture->orders, id, &error);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_assert_null (loaded);
  g_clear_error (&error);

  /* A refused insert undoes only itself; the sale goes on and commits. */
  kassa_database_begin (fixture->db, &error);
  g_assert_no_error (error);
  id = kassa_order_repository_insert (fixture->orders, second, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_order_repository_insert (fixture->orders, duplicate, NULL, &error), ==, 0);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (kassa_order_get_id (duplicate), ==, 0);
  g_assert_true (kassa_database_in_transaction (fixture->db));
  kassa_database_commit (fixture->db, &error);
  g_assert_no_error (error);

  loaded = kassa_order_repository_load (fixture->orders, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_order_get_number (loaded), ==, "T-2");
  g_assert_cmpuint (g_list_model_get_n_items (kassa_order_get_payments (loaded)), ==, 0);
}

static guint
count_all (OrderFixture           *fixture,
           const KassaOrderFilter *filter,
           guint                   page_size)
{
  g_autoptr(KassaOrder) last = NULL;
  guint count = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GListModel) page = kassa_order_repository_list (fixture->orders, filter, last, page_size, &error);
      guint n;

      g_assert_no_error (error);
      n = g_list_model_get_n_items (page);
      g_assert_cmpuint (n, <=, page_size);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(KassaOrder) order = g_list_model_get_item (page, i);

          /* Strictly newest first, across pages too. */
          if (last != NULL)
            {
              int cmp = g_date_time_compare (kassa_order_get_created_at (last),
                                             kassa_order_get_created_at (order));

              g_assert_true (cmp > 0 || (cmp == 0 && kassa_order_get_id (last) > kassa_order_get_id (order)));
            }
          g_set_object (&last, order);
        }

      count += n;
      if (n < page_size)
        return count;
    }
}

static void
test_list_filters_paging (OrderFixture  *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) page = NULL;
  g_autoptr(KassaOrder) newest = NULL;
  gint64 alice = order_test_add_customer (fixture, "Alice");
  KassaOrderFilter filter = { 0, };

  /* 30 orders over 15 days, two per day at the same second so paging
   * must fall back on the id. */
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *number = g_strdup_printf ("L-%02u", i);
      g_autoptr(GDateTime) created = order_test_time (2026, 11, 1 + i / 2, 12, 0, 0);
      g_autoptr(KassaOrder) order = order_test_new (number,
                                                    i % 3 == 0 ? KASSA_ORDER_MODE_STRIPE : KASSA_ORDER_MODE_MANUAL,
                                                    i % 5 == 0 ? alice : 1, created);

      order_test_add_line (order, "Item", KASSA_QUANTITY_ONE, 100 + i, 190000);
      if (i % 2 == 0)
        {
          order_test_add_payment (order, "cash", 100 + i, "");
          kassa_order_set_payment_status (order, KASSA_PAYMENT_STATUS_PAID, &error);
          g_assert_no_error (error);
        }
      if (i % 4 == 0)
        {
          kassa_order_set_fulfilment_status (order, KASSA_FULFILMENT_STATUS_PREPARING, &error);
          g_assert_no_error (error);
        }

      kassa_order_repository_insert (fixture->orders, order, NULL, &error);
      g_assert_no_error (error);
    }

  page = kassa_order_repository_list (fixture->orders, NULL, NULL, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (page), ==, 5);
  newest = g_list_model_get_item (page, 0);
  g_assert_cmpstr (kassa_order_get_number (newest), ==, "L-29");
  g_assert_cmpuint (g_list_model_get_n_items (kassa_order_get_lines (newest)), ==, 1);

  g_assert_cmpuint (count_all (fixture, NULL, 7), ==, 30);
  g_assert_cmpuint (count_all (fixture, NULL, 30), ==, 30);

  filter.by_payment_status = TRUE;
  filter.payment_status = KASSA_PAYMENT_STATUS_PAID;
  g_assert_cmpuint (count_all (fixture, &filter, 4), ==, 15);

  filter.by_fulfilment_status = TRUE;
  filter.fulfilment_status = KASSA_FULFILMENT_STATUS_PREPARING;
  g_assert_cmpuint (count_all (fixture, &filter, 4), ==, 8);

  memset (&filter, 0, sizeof filter);
  filter.by_mode = TRUE;
  filter.mode = KASSA_ORDER_MODE_STRIPE;
  g_assert_cmpuint (count_all (fixture, &filter, 3), ==, 10);

  memset (&filter, 0, sizeof filter);
  filter.customer_id = alice;
  g_assert_cmpuint (count_all (fixture, &filter, 2), ==, 6);

  /* Days 3 to 5 inclusive: orders 4 … 9. */
  memset (&filter, 0, sizeof filter);
  filter.created_from = order_test_time (2026, 11, 3, 0, 0, 0);
  filter.created_until = order_test_time (2026, 11, 6, 0, 0, 0);
  g_assert_cmpuint (count_all (fixture, &filter, 4), ==, 6);
  filter.customer_id = alice;
  g_assert_cmpuint (count_all (fixture, &filter, 4), ==, 1);
  g_date_time_unref (filter.created_from);
  g_date_time_unref (filter.created_until);
}

static void
test_lock_trigger (OrderFixture  *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaOrder) order = certified_stripe_order ("S-7");
  g_autoptr(KassaOrder) stale = NULL;
  g_autoptr(KassaOrder) stale_line = NULL;
  g_autoptr(KassaOrderLine) line = NULL;
  g_autoptr(KassaOrder) loaded = NULL;
  g_autoptr(KassaOrder) uncertified = order_test_new ("S-8", KASSA_ORDER_MODE_STRIPE, 1, NULL);
  g_autofree char *address = NULL;
  sqlite3 *raw;
  gint64 id;
  gint64 id8;

  id = kassa_order_repository_insert (fixture->orders, order, NULL, &error);
  g_assert_no_error (error);

  /* Editable parts of a certified order still change. */
  kassa_order_repository_set_tracking_url (fixture->orders, id, "https://track.example/S-7", &error);
  g_assert_no_error (error);
  kassa_order_repository_set_shipping_status (fixture->orders, id, "at the counter", &error);
  g_assert_no_error (error);
  kassa_order_repository_set_fulfilment_status (fixture->orders, id, KASSA_FULFILMENT_STATUS_PREPARING, &error);
  g_assert_no_error (error);
  kassa_order_repository_set_fulfilment_status (fixture->orders, id, KASSA_FULFILMENT_STATUS_READY_FOR_PICKUP, &error);
  g_assert_no_error (error);

  loaded = kassa_order_repository_load (fixture->orders, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_order_get_tracking_url (loaded), ==, "https://track.example/S-7");
  g_assert_cmpstr (kassa_order_get_shipping_status (loaded), ==, "at the counter");
  g_assert_cmpint (kassa_order_get_fulfilment_status (loaded), ==, KASSA_FULFILMENT_STATUS_READY_FOR_PICKUP);

  /* Writing the whole order back unchanged is fine. */
  kassa_order_repository_update (fixture->orders, loaded, &error);
  g_assert_no_error (error);

  /* A copy taken before Stripe certified the order does not know it is
   * locked; the schema still refuses, and says which order. */
  order_test_add_line (uncertified, "Grinder", KASSA_QUANTITY_ONE, 12900, 190000);
  id8 = kassa_order_repository_insert (fixture->orders, uncertified, NULL, &error);
  g_assert_no_error (error);
  stale = kassa_order_repository_load (fixture->orders, id8, &error);
  g_assert_no_error (error);
  stale_line = kassa_order_repository_load (fixture->orders, id8, &error);
  g_assert_no_error (error);
  kassa_order_repository_certify (fixture->orders, id8, "pi_test_S-8", &error);
  g_assert_no_error (error);

  kassa_order_set_shipping_address (stale, "Somewhere else 5", &error);
  g_assert_no_error (error);
  g_assert_false (kassa_order_repository_update (fixture->orders, stale, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "S-8"));
  g_assert_nonnull (strstr (error->message, "Stripe"));
  g_clear_error (&error);
  g_assert_false (kassa_database_in_transaction (fixture->db));

  /* Only a line changed: refused as well. */
  line = g_list_model_get_item (kassa_order_get_lines (stale_line), 0);
  kassa_order_line_set_unit_price (line, 1, &error);
  g_assert_no_error (error);
  g_assert_false (kassa_order_repository_update (fixture->orders, stale_line, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "S-8"));
  g_clear_error (&error);

  g_clear_object (&loaded);
  loaded = kassa_order_repository_load (fixture->orders, id8, &error);
  g_assert_no_error (error);
  g_assert_true (kassa_order_is_locked (loaded));
  g_clear_object (&line);
  line = g_list_model_get_item (kassa_order_get_lines (loaded), 0);
  g_assert_cmpint (kassa_order_line_get_unit_price (line), ==, 12900);

  /* Around the repository, straight SQL meets the same trigger. */
  raw = store_test_open_raw (fixture->path);
  g_assert_cmpint (sqlite3_exec (raw, "UPDATE \"order\" SET shipping_address = 'x' WHERE number = 'S-7'",
                                 NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_nonnull (strstr (sqlite3_errmsg (raw), "locked"));
  g_assert_cmpint (sqlite3_exec (raw, "UPDATE order_line SET unit_price = 1 WHERE order_id = "
                                      "(SELECT id FROM \"order\" WHERE number = 'S-7')",
                                 NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (raw, "UPDATE \"order\" SET tracking_url = 'https://t.example/1' "
                                      "WHERE number = 'S-7'", NULL, NULL, NULL), ==, SQLITE_OK);
  address = store_test_query_text (raw, "SELECT shipping_address FROM \"order\" WHERE number = 'S-8'");
  g_assert_cmpstr (address, ==, "");
  sqlite3_close (raw);
}

static void
test_manual_update (OrderFixture  *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaOrder) order = full_manual_order ();
  g_autoptr(KassaOrder) loaded = NULL;
  g_autoptr(KassaOrder) reloaded = NULL;
  g_autoptr(KassaOrderLine) line = NULL;
  gint64 id;

  id = kassa_order_repository_insert (fixture->orders, order, NULL, &error);
  g_assert_no_error (error);
  loaded = kassa_order_repository_load (fixture->orders, id, &error);
  g_assert_no_error (error);

  kassa_order_set_billing_address (loaded, "Neue Adresse 9", &error);
  g_assert_no_error (error);
  kassa_order_set_discount_kind (loaded, KASSA_DISCOUNT_NONE, &error);
  g_assert_no_error (error);
  kassa_order_set_discount_value (loaded, 0, &error);
  g_assert_no_error (error);
  kassa_order_remove_line (loaded, 2, &error);
  g_assert_no_error (error);
  line = g_list_model_get_item (kassa_order_get_lines (loaded), 1);
  kassa_order_line_set_unit_price (line, 900, &error);
  g_assert_no_error (error);
  order_test_add_line (loaded, "Napkins", 2 * KASSA_QUANTITY_ONE, 250, 190000);
  order_test_add_line (loaded, "Candle", KASSA_QUANTITY_ONE, 450, 190000);

  kassa_order_repository_update (fixture->orders, loaded, &error);
  g_assert_no_error (error);

  reloaded = kassa_order_repository_load (fixture->orders, id, &error);
  g_assert_no_error (error);
  assert_orders_equal (loaded, reloaded);
  assert_stored_totals (fixture, reloaded);
  g_assert_cmpuint (g_list_model_get_n_items (kassa_order_get_lines (reloaded)), ==, 4);
}

static void
test_transitions (OrderFixture  *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaOrder) order = order_test_new ("X-1", KASSA_ORDER_MODE_MANUAL, 1, NULL);
  g_autoptr(KassaOrder) loaded = NULL;
  g_autoptr(GDateTime) paid = order_test_time (2026, 11, 28, 8, 0, 0);
  gint64 id;

  order_test_add_line (order, "Cake", KASSA_QUANTITY_ONE, 420, 70000);
  id = kassa_order_repository_insert (fixture->orders, order, NULL, &error);
  g_assert_no_error (error);

  /* Illegal moves are refused by the core before anything is written. */
  g_assert_false (kassa_order_repository_set_fulfilment_status (fixture->orders, id,
                                                                KASSA_FULFILMENT_STATUS_DELIVERED, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  /* Ready for pickup needs an order for pickup. */
  kassa_order_repository_set_fulfilment_status (fixture->orders, id, KASSA_FULFILMENT_STATUS_PREPARING, &error);
  g_assert_no_error (error);
  g_assert_false (kassa_order_repository_set_fulfilment_status (fixture->orders, id,
                                                                KASSA_FULFILMENT_STATUS_READY_FOR_PICKUP, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  /* Only paid orders are disputed. */
  g_assert_false (kassa_order_repository_set_dispute_status (fixture->orders, id,
                                                             KASSA_DISPUTE_STATUS_NEEDS_RESPONSE, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  /* A manual order is not certified by Stripe. */
  g_assert_false (kassa_order_repository_certify (fixture->orders, id, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  kassa_order_repository_set_payment_status (fixture->orders, id, KASSA_PAYMENT_STATUS_PAID, paid, &error);
  g_assert_no_error (error);
  g_assert_false (kassa_order_repository_set_payment_status (fixture->orders, id,
                                                             KASSA_PAYMENT_STATUS_CREATED, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  kassa_order_repository_set_dispute_status (fixture->orders, id, KASSA_DISPUTE_STATUS_NEEDS_RESPONSE, &error);
  g_assert_no_error (error);

  loaded = kassa_order_repository_load (fixture->orders, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_order_get_payment_status (loaded), ==, KASSA_PAYMENT_STATUS_PAID);
  g_assert_cmpint (kassa_order_get_fulfilment_status (loaded), ==, KASSA_FULFILMENT_STATUS_PREPARING);
  g_assert_cmpint (kassa_order_get_dispute_status (loaded), ==, KASSA_DISPUTE_STATUS_NEEDS_RESPONSE);
  assert_times_equal (kassa_order_get_paid_at (loaded), paid);

  g_assert_false (kassa_order_repository_set_tracking_url (fixture->orders, id + 100, "x", &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
}

static void
test_split_tender (OrderFixture  *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaOrder) order = order_test_new ("P-1", KASSA_ORDER_MODE_MANUAL, 1, NULL);
  g_autoptr(KassaOrder) loaded = NULL;
  g_autoptr(KassaPayment) card = order_test_payment ("stripe_terminal", 6000, "ch_1");
  g_autoptr(KassaPayment) cash = order_test_payment ("cash", 4000, "");
  g_autoptr(KassaPayment) dollars = order_test_payment ("cash", 100, "");
  gint64 id;

  order_test_add_line (order, "Jacket", KASSA_QUANTITY_ONE, 10000, 190000);
  id = kassa_order_repository_insert (fixture->orders, order, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (kassa_order_repository_add_payment (fixture->orders, id, card, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_order_repository_add_payment (fixture->orders, id, cash, &error), >,
                   kassa_payment_get_id (card));
  g_assert_no_error (error);

  kassa_payment_set_currency_code (dollars, "USD");
  g_assert_cmpint (kassa_order_repository_add_payment (fixture->orders, id, dollars, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_CURRENCY_MISMATCH);
  g_assert_cmpint (kassa_payment_get_id (dollars), ==, 0);
  g_clear_error (&error);

  loaded = kassa_order_repository_load (fixture->orders, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (kassa_order_get_payments (loaded)), ==, 2);
  g_assert_cmpint (kassa_order_get_amount_paid (loaded), ==, 10000);
}

/* A till sale keeps its card payment's PaymentIntent only as the
 * payment's reference; that finds the order, an unknown or empty one
 * does not. */
static void
test_load_by_payment_reference (OrderFixture  *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaOrder) first = order_test_new ("R-1", KASSA_ORDER_MODE_MANUAL, 1, NULL);
  g_autoptr(KassaOrder) second = order_test_new ("R-2", KASSA_ORDER_MODE_MANUAL, 1, NULL);
  g_autoptr(KassaOrder) found = NULL;
  g_autoptr(KassaPayment) cash = order_test_payment ("cash", 4000, "");
  g_autoptr(KassaPayment) card = order_test_payment ("stripe_terminal", 6000, "pi_till_R2");
  g_autoptr(KassaPayment) qr = order_test_payment ("stripe_checkout", 1000, "pi_till_R1");
  gint64 first_id, second_id;

  order_test_add_line (first, "Scarf", KASSA_QUANTITY_ONE, 1000, 190000);
  order_test_add_line (second, "Jacket", KASSA_QUANTITY_ONE, 10000, 190000);
  first_id = kassa_order_repository_insert (fixture->orders, first, NULL, &error);
  g_assert_no_error (error);
  second_id = kassa_order_repository_insert (fixture->orders, second, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_order_repository_add_payment (fixture->orders, first_id, qr, &error), >, 0);
  g_assert_cmpint (kassa_order_repository_add_payment (fixture->orders, second_id, cash, &error), >, 0);
  g_assert_cmpint (kassa_order_repository_add_payment (fixture->orders, second_id, card, &error), >, 0);
  g_assert_no_error (error);

  found = kassa_order_repository_load_by_payment_reference (fixture->orders, "pi_till_R2", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_order_get_id (found), ==, second_id);
  g_assert_cmpstr (kassa_order_get_number (found), ==, "R-2");
  g_assert_cmpuint (g_list_model_get_n_items (kassa_order_get_payments (found)), ==, 2);
  g_clear_object (&found);

  found = kassa_order_repository_load_by_payment_reference (fixture->orders, "pi_till_R1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_order_get_id (found), ==, first_id);
  g_clear_object (&found);

  /* Not an order's Stripe ids: only what a payment carries counts. */
  g_assert_null (kassa_order_repository_load_by_payment_reference (fixture->orders, "pi_till_R3", &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
}

static void
test_stripe_ids_unique (OrderFixture  *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaOrder) first = certified_stripe_order ("W-1");
  g_autoptr(KassaOrder) again = order_test_new ("W-2", KASSA_ORDER_MODE_MANUAL, 1, NULL);
  g_autoptr(KassaOrder) till = order_test_new ("T-1", KASSA_ORDER_MODE_MANUAL, 1, NULL);
  g_autoptr(KassaOrder) other_till = order_test_new ("T-2", KASSA_ORDER_MODE_MANUAL, 1, NULL);

  g_assert_cmpint (kassa_order_repository_insert (fixture->orders, first, NULL, &error), >, 0);
  g_assert_no_error (error);
  order_test_add_line (again, "Descaler", KASSA_QUANTITY_ONE, 799, 190000);

  /* A second order of the same Checkout Session is refused… */
  kassa_order_set_stripe_checkout_session_id (again, "cs_test_W-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_order_repository_insert (fixture->orders, again, NULL, &error), ==, 0);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* …and of the same PaymentIntent too. */
  kassa_order_set_stripe_checkout_session_id (again, "cs_test_W-2", &error);
  g_assert_no_error (error);
  kassa_order_set_stripe_payment_intent_id (again, "pi_test_W-1");
  g_assert_cmpint (kassa_order_repository_insert (fixture->orders, again, NULL, &error), ==, 0);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* Till sales have neither, as many as there are. */
  order_test_add_line (till, "Tea", KASSA_QUANTITY_ONE, 350, 70000);
  order_test_add_line (other_till, "Tea", KASSA_QUANTITY_ONE, 350, 70000);
  g_assert_cmpint (kassa_order_repository_insert (fixture->orders, till, NULL, &error), >, 0);
  g_assert_cmpint (kassa_order_repository_insert (fixture->orders, other_till, NULL, &error), >, 0);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, OrderFixture, NULL, order_fixture_set_up, func, order_fixture_tear_down)

  ADD ("/kassa/order-repository/round-trip", test_round_trip);
  ADD ("/kassa/order-repository/round-trip-certified", test_round_trip_certified);
  ADD ("/kassa/order-repository/cash-rounding-and-context", test_cash_rounding_and_context);
  ADD ("/kassa/order-repository/outer-transaction", test_outer_transaction);
  ADD ("/kassa/order-repository/list-filters-paging", test_list_filters_paging);
  ADD ("/kassa/order-repository/lock-trigger", test_lock_trigger);
  ADD ("/kassa/order-repository/manual-update", test_manual_update);
  ADD ("/kassa/order-repository/transitions", test_transitions);
  ADD ("/kassa/order-repository/split-tender", test_split_tender);
  ADD ("/kassa/order-repository/stripe-ids-unique", test_stripe_ids_unique);
  ADD ("/kassa/order-repository/load-by-payment-reference", test_load_by_payment_reference);

#undef ADD

  return g_test_run ();
}
