/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-refund-repository"

#include "config.h"

#include "kassa-error.h"
#include "kassa-refund-repository.h"
#include "kassa-store-error.h"

#include "order-test-utils.h"

typedef struct
{
  OrderFixture           base;
  KassaRefundRepository *refunds;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  order_fixture_set_up (&fixture->base, data);
  fixture->refunds = kassa_refund_repository_new (fixture->base.db);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->refunds);
  order_fixture_tear_down (&fixture->base, data);
}

static KassaRefund *
amount_refund (gint64            order_id,
               gint64            amount,
               KassaRefundStatus status)
{
  KassaRefund *refund = kassa_refund_new ();

  refund->order_id = order_id;
  refund->amount = amount;
  refund->reason = KASSA_REFUND_REASON_REQUESTED_BY_CUSTOMER;
  refund->status = status;

  return refund;
}

static KassaOrder *
load_order (Fixture *fixture,
            gint64   id)
{
  g_autoptr(GError) error = NULL;
  KassaOrder *order = kassa_order_repository_load (fixture->base.orders, id, &error);

  g_assert_no_error (error);
  return order;
}

static void
test_amount_round_trip (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaRefund) refund = NULL;
  g_autoptr(KassaRefund) loaded = NULL;
  g_autoptr(KassaRefund) by_stripe = NULL;
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 total = 0;
  gint64 order_id = order_test_insert_paid (&fixture->base, "R-1", KASSA_ORDER_MODE_MANUAL, &total);
  gint64 id;

  refund = amount_refund (order_id, 500, KASSA_REFUND_STATUS_SUCCEEDED);
  refund->reason = KASSA_REFUND_REASON_DUPLICATE;
  refund->note = g_strdup ("Charged twice at the till");
  refund->stripe_refund_id = g_strdup ("re_test_1");
  refund->idempotency_key = g_strdup ("kassa-refund-1");

  id = kassa_refund_repository_create (fixture->refunds, refund, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (refund->payment_id, >, 0);
  g_assert_cmpstr (refund->currency_code, ==, "EUR");

  loaded = kassa_refund_repository_load (fixture->refunds, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (loaded->order_id, ==, order_id);
  g_assert_cmpint (loaded->payment_id, ==, refund->payment_id);
  g_assert_cmpint (loaded->amount, ==, 500);
  g_assert_cmpstr (loaded->currency_code, ==, "EUR");
  g_assert_cmpint (loaded->reason, ==, KASSA_REFUND_REASON_DUPLICATE);
  g_assert_cmpstr (loaded->note, ==, "Charged twice at the till");
  g_assert_cmpint (loaded->status, ==, KASSA_REFUND_STATUS_SUCCEEDED);
  g_assert_cmpstr (loaded->stripe_refund_id, ==, "re_test_1");
  g_assert_cmpstr (loaded->idempotency_key, ==, "kassa-refund-1");
  g_assert_null (loaded->lines);
  g_assert_true (g_date_time_equal (loaded->created_at, refund->created_at));

  by_stripe = kassa_refund_repository_load_by_stripe_id (fixture->refunds, "re_test_1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (by_stripe->id, ==, id);

  list = kassa_refund_repository_list_by_order (fixture->refunds, order_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);

  /* Booked on the order in the same transaction. */
  order = load_order (fixture, order_id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PARTIALLY_REFUNDED);
  g_assert_cmpint (kassa_order_get_amount_refunded (order), ==, 500);
}

static void
test_lines (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaRefund) refund = amount_refund (0, 0, KASSA_REFUND_STATUS_SUCCEEDED);
  g_autoptr(KassaRefund) too_many = amount_refund (0, 0, KASSA_REFUND_STATUS_PENDING);
  g_autoptr(KassaRefund) mismatch = amount_refund (0, 999, KASSA_REFUND_STATUS_PENDING);
  g_autoptr(KassaRefund) loaded = NULL;
  gint64 order_id = order_test_insert_paid (&fixture->base, "R-2", KASSA_ORDER_MODE_MANUAL, NULL);
  sqlite3 *raw;

  /* One of the two bags of coffee comes back. */
  refund->order_id = order_id;
  kassa_refund_add_line (refund, 0, KASSA_QUANTITY_ONE, 1890);
  kassa_refund_repository_create (fixture->refunds, refund, &error);
  g_assert_no_error (error);
  g_assert_cmpint (refund->amount, ==, 1890);

  loaded = kassa_refund_repository_load (fixture->refunds, refund->id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded->lines);
  g_assert_cmpuint (loaded->lines->len, ==, 1);
  g_assert_cmpuint (g_array_index (loaded->lines, KassaRefundLine, 0).line_position, ==, 0);
  g_assert_cmpint (g_array_index (loaded->lines, KassaRefundLine, 0).quantity, ==, KASSA_QUANTITY_ONE);
  g_assert_cmpint (g_array_index (loaded->lines, KassaRefundLine, 0).amount, ==, 1890);

  raw = store_test_open_raw (fixture->base.path);
  g_assert_cmpint (store_test_query_int (raw, "SELECT refunded_quantity FROM order_line WHERE position = 0"),
                   ==, KASSA_QUANTITY_ONE);
  sqlite3_close (raw);

  /* Two more bags cannot come back: only one is left. */
  too_many->order_id = order_id;
  kassa_refund_add_line (too_many, 0, 2 * KASSA_QUANTITY_ONE, 3780);
  g_assert_cmpint (kassa_refund_repository_create (fixture->refunds, too_many, &error), ==, 0);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Lines and amount must agree. */
  mismatch->order_id = order_id;
  kassa_refund_add_line (mismatch, 1, KASSA_QUANTITY_ONE, 1200);
  g_assert_cmpint (kassa_refund_repository_create (fixture->refunds, mismatch, &error), ==, 0);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID);
  g_assert_cmpint (mismatch->id, ==, 0);
}

static void
test_over_refund_refused (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(KassaRefund) first = NULL;
  g_autoptr(KassaRefund) second = NULL;
  g_autoptr(KassaRefund) rest = NULL;
  g_autoptr(KassaRefund) again = NULL;
  gint64 total = 0;
  gint64 order_id = order_test_insert_paid (&fixture->base, "R-3", KASSA_ORDER_MODE_MANUAL, &total);
  g_autofree char *sql = NULL;
  sqlite3 *raw;

  /* A pending refund already holds its amount. */
  first = amount_refund (order_id, total - 100, KASSA_REFUND_STATUS_PENDING);
  kassa_refund_repository_create (fixture->refunds, first, &error);
  g_assert_no_error (error);

  second = amount_refund (order_id, 101, KASSA_REFUND_STATUS_PENDING);
  g_assert_cmpint (kassa_refund_repository_create (fixture->refunds, second, &error), ==, 0);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Pending does not touch the order yet. */
  order = load_order (fixture, order_id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PAID);
  g_clear_object (&order);

  /* Exactly what is left is fine; it succeeds first. */
  rest = amount_refund (order_id, 100, KASSA_REFUND_STATUS_PENDING);
  kassa_refund_repository_create (fixture->refunds, rest, &error);
  g_assert_no_error (error);
  kassa_refund_repository_set_status (fixture->refunds, rest->id, KASSA_REFUND_STATUS_SUCCEEDED, "re_rest", &error);
  g_assert_no_error (error);
  order = load_order (fixture, order_id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PARTIALLY_REFUNDED);
  g_clear_object (&order);

  kassa_refund_repository_set_status (fixture->refunds, first->id, KASSA_REFUND_STATUS_SUCCEEDED, "re_first", &error);
  g_assert_no_error (error);
  order = load_order (fixture, order_id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_REFUNDED);
  g_assert_cmpint (kassa_order_get_amount_refunded (order), ==, total);

  /* Final states stay final. */
  g_assert_false (kassa_refund_repository_set_status (fixture->refunds, first->id,
                                                      KASSA_REFUND_STATUS_FAILED, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);

  again = amount_refund (order_id, 1, KASSA_REFUND_STATUS_SUCCEEDED);
  g_assert_cmpint (kassa_refund_repository_create (fixture->refunds, again, &error), ==, 0);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* The schema refuses it too, whoever writes. */
  raw = store_test_open_raw (fixture->base.path);
  sql = g_strdup_printf ("INSERT INTO refund (order_id, payment_id, amount, currency, reason, status, created_at, "
                         "updated_at) VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 1, 'EUR', 'other', "
                         "'pending', 'x', 'x')", order_id, first->payment_id);
  g_assert_cmpint (sqlite3_exec (raw, sql, NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_nonnull (strstr (sqlite3_errmsg (raw), "exceed"));
  g_assert_cmpint (sqlite3_exec (raw, "UPDATE payment SET refunded_amount = amount + 1", NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT);
  sqlite3_close (raw);
}

static void
test_failed_frees_amount (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaRefund) first = NULL;
  g_autoptr(KassaRefund) second = NULL;
  g_autoptr(KassaOrder) order = NULL;
  gint64 total = 0;
  gint64 order_id = order_test_insert_paid (&fixture->base, "R-4", KASSA_ORDER_MODE_STRIPE, &total);

  first = amount_refund (order_id, total, KASSA_REFUND_STATUS_UNKNOWN);
  kassa_refund_repository_create (fixture->refunds, first, &error);
  g_assert_no_error (error);
  kassa_refund_repository_set_status (fixture->refunds, first->id, KASSA_REFUND_STATUS_FAILED, NULL, &error);
  g_assert_no_error (error);

  second = amount_refund (order_id, total, KASSA_REFUND_STATUS_SUCCEEDED);
  kassa_refund_repository_create (fixture->refunds, second, &error);
  g_assert_no_error (error);

  order = load_order (fixture, order_id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_REFUNDED);
}

static void
test_refused_cases (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaOrder) unpaid = order_test_new ("R-5", KASSA_ORDER_MODE_MANUAL, 1, NULL);
  g_autoptr(KassaRefund) refund = NULL;
  g_autoptr(KassaRefund) dollars = NULL;
  g_autoptr(KassaRefund) nowhere = NULL;
  gint64 paid_id = order_test_insert_paid (&fixture->base, "R-6", KASSA_ORDER_MODE_MANUAL, NULL);
  gint64 id;

  /* An unpaid order has nothing to refund. */
  order_test_add_line (unpaid, "Soup", KASSA_QUANTITY_ONE, 650, 70000);
  id = kassa_order_repository_insert (fixture->base.orders, unpaid, NULL, &error);
  g_assert_no_error (error);
  refund = amount_refund (id, 100, KASSA_REFUND_STATUS_SUCCEEDED);
  g_assert_cmpint (kassa_refund_repository_create (fixture->refunds, refund, &error), ==, 0);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  dollars = amount_refund (paid_id, 100, KASSA_REFUND_STATUS_SUCCEEDED);
  dollars->currency_code = g_strdup ("USD");
  g_assert_cmpint (kassa_refund_repository_create (fixture->refunds, dollars, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_CURRENCY_MISMATCH);
  g_clear_error (&error);

  nowhere = amount_refund (paid_id + 1000, 100, KASSA_REFUND_STATUS_SUCCEEDED);
  g_assert_cmpint (kassa_refund_repository_create (fixture->refunds, nowhere, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
}

static void
test_outer_transaction (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaRefund) refund = NULL;
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 order_id = order_test_insert_paid (&fixture->base, "R-7", KASSA_ORDER_MODE_MANUAL, NULL);

  kassa_database_begin (fixture->base.db, &error);
  g_assert_no_error (error);
  refund = amount_refund (order_id, 300, KASSA_REFUND_STATUS_SUCCEEDED);
  kassa_refund_repository_create (fixture->refunds, refund, &error);
  g_assert_no_error (error);
  kassa_database_rollback (fixture->base.db, &error);
  g_assert_no_error (error);

  list = kassa_refund_repository_list_by_order (fixture->refunds, order_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  order = load_order (fixture, order_id);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PAID);
  g_assert_cmpint (kassa_order_get_amount_refunded (order), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/kassa/refund-repository/amount-round-trip", test_amount_round_trip);
  ADD ("/kassa/refund-repository/lines", test_lines);
  ADD ("/kassa/refund-repository/over-refund-refused", test_over_refund_refused);
  ADD ("/kassa/refund-repository/failed-frees-amount", test_failed_frees_amount);
  ADD ("/kassa/refund-repository/refused-cases", test_refused_cases);
  ADD ("/kassa/refund-repository/outer-transaction", test_outer_transaction);

#undef ADD

  return g_test_run ();
}
