/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Orders for the tests of the order, refund and dispute repositories. */

#include "kassa-currency.h"
#include "kassa-database.h"
#include "kassa-document-totals.h"
#include "kassa-money.h"
#include "kassa-order-repository.h"
#include "kassa-store-private.h"

#include "store-test-utils.h"

typedef struct
{
  char                 *dir;
  char                 *path;
  KassaDatabase        *db;
  KassaOrderRepository *orders;
} OrderFixture;

static inline void
order_fixture_set_up (OrderFixture  *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = store_test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "kassa.db", NULL);
  fixture->db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->orders = kassa_order_repository_new (fixture->db);
}

static inline void
order_fixture_tear_down (OrderFixture  *fixture,
                         gconstpointer  data)
{
  g_clear_object (&fixture->orders);
  g_clear_object (&fixture->db);
  store_test_remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static inline gint64
order_test_add_customer (OrderFixture *fixture,
                         const char   *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("INSERT INTO customer (name, created_at, updated_at) "
                                          "VALUES ('%s', '2026-01-01T00:00:00.000000Z', "
                                          "'2026-01-01T00:00:00.000000Z')", name);

  kassa_database_exec (fixture->db, sql, &error);
  g_assert_no_error (error);

  return sqlite3_last_insert_rowid (kassa_database_get_handle (fixture->db));
}

static inline GDateTime *
order_test_time (int year, int month, int day, int hour, int minute, double seconds)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  return g_date_time_new (utc, year, month, day, hour, minute, seconds);
}

static inline KassaOrder *
order_test_new (const char     *number,
                KassaOrderMode  mode,
                gint64          customer_id,
                GDateTime      *created_at)
{
  g_autoptr(GError) error = NULL;
  KassaOrder *order = kassa_order_new ();

  kassa_order_set_number (order, number, &error);
  g_assert_no_error (error);
  kassa_order_set_customer_id (order, customer_id, &error);
  g_assert_no_error (error);
  kassa_order_set_currency_code (order, "EUR", &error);
  g_assert_no_error (error);
  kassa_order_set_mode (order, mode, &error);
  g_assert_no_error (error);
  kassa_order_set_prices_include_tax (order, TRUE, &error);
  g_assert_no_error (error);
  if (created_at != NULL)
    {
      kassa_order_set_created_at (order, created_at, &error);
      g_assert_no_error (error);
    }

  return order;
}

static inline void
order_test_add_line (KassaOrder *order,
                     const char *name,
                     gint64      quantity,
                     gint64      unit_price,
                     gint64      tax_rate)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaOrderLine) line = kassa_order_line_new ();

  kassa_order_line_set_name (line, name, &error);
  g_assert_no_error (error);
  kassa_order_line_set_quantity (line, quantity, &error);
  g_assert_no_error (error);
  kassa_order_line_set_unit_price (line, unit_price, &error);
  g_assert_no_error (error);
  kassa_order_line_set_tax_rate (line, tax_rate, &error);
  g_assert_no_error (error);
  kassa_order_add_line (order, line, &error);
  g_assert_no_error (error);
}

static inline KassaPayment *
order_test_payment (const char *provider,
                    gint64      amount,
                    const char *reference)
{
  g_autoptr(GDateTime) paid_at = order_test_time (2026, 11, 27, 10, 15, 2.250001);
  KassaPayment *payment = kassa_payment_new ();

  kassa_payment_set_provider_id (payment, provider);
  kassa_payment_set_amount (payment, amount);
  kassa_payment_set_currency_code (payment, "EUR");
  kassa_payment_set_method_label (payment, provider);
  /* The store keeps "no reference" as NULL, however it came in. */
  kassa_payment_set_reference (payment, reference != NULL && reference[0] != '\0' ? reference : NULL);
  kassa_payment_set_paid_at (payment, paid_at);

  return payment;
}

static inline void
order_test_add_payment (KassaOrder *order,
                        const char *provider,
                        gint64      amount,
                        const char *reference)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaPayment) payment = order_test_payment (provider, amount, reference);

  kassa_order_add_payment (order, payment, &error);
  g_assert_no_error (error);
}

static inline KassaTotals *
order_test_totals (KassaOrder *order)
{
  g_autoptr(GError) error = NULL;
  KassaTaxSettings settings = { 0, };
  KassaTotals *totals;

  settings.currency = kassa_currency_lookup (kassa_order_get_currency_code (order), &error);
  g_assert_no_error (error);
  totals = kassa_order_compute_totals (order, &settings, 0, &error);
  g_assert_no_error (error);

  return totals;
}

/* A paid order of two lines, stored; returns its id. */
static inline gint64
order_test_insert_paid (OrderFixture   *fixture,
                        const char     *number,
                        KassaOrderMode  mode,
                        gint64         *out_total)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) created = order_test_time (2026, 11, 27, 10, 0, 0);
  g_autoptr(KassaOrder) order = order_test_new (number, mode, 1, created);
  g_autoptr(KassaTotals) totals = NULL;
  gint64 id;

  order_test_add_line (order, "Coffee beans 1 kg", 2 * KASSA_QUANTITY_ONE, 1890, 70000);
  order_test_add_line (order, "Mug", KASSA_QUANTITY_ONE, 1200, 190000);
  totals = order_test_totals (order);
  order_test_add_payment (order, "cash", kassa_totals_get_total (totals), "");
  kassa_order_set_payment_status (order, KASSA_PAYMENT_STATUS_PAID, &error);
  g_assert_no_error (error);

  id = kassa_order_repository_insert (fixture->orders, order, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  if (out_total != NULL)
    *out_total = kassa_totals_get_total (totals);

  return id;
}
