/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-audit-log.h"
#include "kassa-stock-repository.h"
#include "catalog-test-utils.h"

#define ONE 1000

typedef struct
{
  CatalogFixture          base;
  KassaCatalogRepository *catalog;
  KassaStockRepository   *stock;
  gint64                  beans;
  GDateTime              *now;
} StockFixture;

static void
stock_set_up (StockFixture  *fixture,
              gconstpointer  data)
{
  g_autoptr(KassaCatalogItem) item = catalog_test_item ("Coffee beans", "COF-1", NULL, 1299);
  g_autoptr(GError) error = NULL;

  catalog_fixture_set_up (&fixture->base, data);
  fixture->catalog = kassa_catalog_repository_new (fixture->base.database);
  fixture->stock = kassa_stock_repository_new (fixture->base.database);
  kassa_catalog_item_set_stock_on_hand (item, 10 * ONE);
  fixture->beans = kassa_catalog_repository_insert (fixture->catalog, item, &error);
  g_assert_no_error (error);
  fixture->now = g_date_time_new_utc (2026, 11, 28, 10, 0, 0);
}

static void
stock_tear_down (StockFixture  *fixture,
                 gconstpointer  data)
{
  g_clear_object (&fixture->catalog);
  g_clear_object (&fixture->stock);
  g_date_time_unref (fixture->now);
  catalog_fixture_tear_down (&fixture->base, data);
}

/* A cart with one line of @quantity thousandths of @item_id; returns the
 * line's id and the cart's in @cart_id. */
static gint64
add_cart_line (StockFixture *fixture,
               gint64        item_id,
               gint64        quantity,
               gint64       *cart_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  sqlite3 *db = kassa_database_get_handle (fixture->base.database);

  g_assert_true (kassa_database_exec (fixture->base.database,
                                      "INSERT INTO cart (currency, created_at, updated_at) "
                                      "VALUES ('EUR', '2026-11-28T10:00:00.000000Z', '2026-11-28T10:00:00.000000Z')",
                                      &error));
  *cart_id = sqlite3_last_insert_rowid (db);
  sql = g_strdup_printf ("INSERT INTO cart_line (cart_id, position, item_id, name, quantity, unit_price, item_price, tax_rate) "
                         "VALUES (%" G_GINT64_FORMAT ", 0, %" G_GINT64_FORMAT ", 'x', %" G_GINT64_FORMAT ", 1299, 1299, 200000)",
                         *cart_id, item_id, quantity);
  g_assert_true (kassa_database_exec (fixture->base.database, sql, &error));
  g_assert_no_error (error);

  return sqlite3_last_insert_rowid (db);
}

static gint64
available (StockFixture *fixture,
           GDateTime    *at)
{
  g_autoptr(GError) error = NULL;
  gint64 value = G_MININT64;

  g_assert_true (kassa_stock_repository_get_available (fixture->stock, fixture->beans, at, &value, &error));
  g_assert_no_error (error);

  return value;
}

static gint64
on_hand (StockFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaCatalogItem) item = kassa_catalog_repository_get (fixture->catalog, fixture->beans, &error);

  return kassa_catalog_item_get_stock_on_hand (item);
}

static void
test_reserve_and_expire (StockFixture  *fixture,
                         gconstpointer  data)
{
  g_autoptr(GDateTime) later = g_date_time_add_minutes (fixture->now, 14);
  g_autoptr(GDateTime) expired = g_date_time_add_minutes (fixture->now, 15);
  g_autoptr(GError) error = NULL;
  gint64 cart, line;
  guint removed = 99;

  line = add_cart_line (fixture, fixture->beans, 3 * ONE, &cart);
  g_assert_true (kassa_stock_repository_reserve (fixture->stock, line, fixture->beans, 3 * ONE,
                                                 fixture->now, 15, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (available (fixture, fixture->now), ==, 7 * ONE);
  g_assert_cmpint (available (fixture, later), ==, 7 * ONE);
  /* At the minute it expires it no longer holds anything. */
  g_assert_cmpint (available (fixture, expired), ==, 10 * ONE);

  /* Changing the line's quantity replaces its reservation. */
  g_assert_true (kassa_stock_repository_reserve (fixture->stock, line, fixture->beans, 5 * ONE,
                                                 fixture->now, 15, FALSE, &error));
  g_assert_cmpint (available (fixture, fixture->now), ==, 5 * ONE);

  /* The line's own reservation does not count against itself. */
  g_assert_true (kassa_stock_repository_reserve (fixture->stock, line, fixture->beans, 10 * ONE,
                                                 fixture->now, 15, FALSE, &error));
  g_assert_no_error (error);

  g_assert_true (kassa_stock_repository_purge_expired (fixture->stock, later, &removed, &error));
  g_assert_cmpuint (removed, ==, 0);
  g_assert_true (kassa_stock_repository_purge_expired (fixture->stock, expired, &removed, &error));
  g_assert_cmpuint (removed, ==, 1);
  g_assert_cmpint (available (fixture, fixture->now), ==, 10 * ONE);
}

static void
test_reserve_refuses_oversell (StockFixture  *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 cart_a, cart_b, line_a, line_b;

  line_a = add_cart_line (fixture, fixture->beans, 8 * ONE, &cart_a);
  line_b = add_cart_line (fixture, fixture->beans, 3 * ONE, &cart_b);

  g_assert_true (kassa_stock_repository_reserve (fixture->stock, line_a, fixture->beans, 8 * ONE,
                                                 fixture->now, 15, FALSE, &error));
  g_assert_false (kassa_stock_repository_reserve (fixture->stock, line_b, fixture->beans, 3 * ONE,
                                                  fixture->now, 15, FALSE, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_assert_cmpstr (error->message, ==, "Only 2 of “Coffee beans” available, 3 wanted");
  g_clear_error (&error);

  g_assert_true (kassa_stock_repository_reserve (fixture->stock, line_b, fixture->beans, 3 * ONE,
                                                 fixture->now, 15, TRUE, &error));
  g_assert_cmpint (available (fixture, fixture->now), ==, -1 * ONE);

  g_assert_true (kassa_stock_repository_release (fixture->stock, line_a, &error));
  g_assert_cmpint (available (fixture, fixture->now), ==, 7 * ONE);
}

static void
test_sell (StockFixture  *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 cart, line, other_cart, other_line;
  KassaDatabase *database = fixture->base.database;

  line = add_cart_line (fixture, fixture->beans, 4 * ONE, &cart);
  other_line = add_cart_line (fixture, fixture->beans, 5 * ONE, &other_cart);
  g_assert_true (kassa_stock_repository_reserve (fixture->stock, line, fixture->beans, 4 * ONE,
                                                 fixture->now, 15, FALSE, &error));
  g_assert_true (kassa_stock_repository_reserve (fixture->stock, other_line, fixture->beans, 5 * ONE,
                                                 fixture->now, 15, FALSE, &error));

  /* Only inside the caller's transaction. */
  g_assert_false (kassa_stock_repository_sell (fixture->stock, cart, fixture->now, FALSE, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_NO_TRANSACTION);
  g_clear_error (&error);

  g_assert_true (kassa_database_begin (database, &error));
  g_assert_true (kassa_stock_repository_sell (fixture->stock, cart, fixture->now, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (kassa_database_commit (database, &error));

  g_assert_cmpint (on_hand (fixture), ==, 6 * ONE);
  /* The sold cart's reservation is gone, the other cart's stays. */
  g_assert_cmpint (available (fixture, fixture->now), ==, 1 * ONE);
}

static void
test_sell_refuses_oversell (StockFixture  *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 cart, other_cart, other_line;
  g_autoptr(GDateTime) after_expiry = g_date_time_add_minutes (fixture->now, 30);
  KassaDatabase *database = fixture->base.database;

  add_cart_line (fixture, fixture->beans, 6 * ONE, &cart);
  other_line = add_cart_line (fixture, fixture->beans, 5 * ONE, &other_cart);
  g_assert_true (kassa_stock_repository_reserve (fixture->stock, other_line, fixture->beans, 5 * ONE,
                                                 fixture->now, 15, FALSE, &error));

  g_assert_true (kassa_database_begin (database, &error));
  g_assert_false (kassa_stock_repository_sell (fixture->stock, cart, fixture->now, FALSE, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_assert_cmpstr (error->message, ==, "Only 5 of “Coffee beans” available, 6 wanted");
  g_clear_error (&error);
  g_assert_cmpint (on_hand (fixture), ==, 10 * ONE);

  /* Once the other cart's hold has expired there is enough. */
  g_assert_true (kassa_stock_repository_sell (fixture->stock, cart, after_expiry, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (kassa_database_commit (database, &error));
  g_assert_cmpint (on_hand (fixture), ==, 4 * ONE);
}

static void
test_sell_negative_allowed (StockFixture  *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 cart;
  KassaDatabase *database = fixture->base.database;

  add_cart_line (fixture, fixture->beans, 12 * ONE, &cart);

  g_assert_true (kassa_database_begin (database, &error));
  g_assert_true (kassa_stock_repository_sell (fixture->stock, cart, fixture->now, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (kassa_database_commit (database, &error));
  g_assert_cmpint (on_hand (fixture), ==, -2 * ONE);
}

static void
test_adjust (StockFixture  *fixture,
             gconstpointer  data)
{
  g_autoptr(KassaAuditLog) audit = kassa_audit_log_new (fixture->base.database);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  KassaAuditEntry *entry;
  gint64 stock = 0;

  g_assert_true (kassa_stock_repository_adjust (fixture->stock, fixture->beans, 2500, "Delivery",
                                                0, &stock, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stock, ==, 12500);
  g_assert_cmpint (on_hand (fixture), ==, 12500);

  g_assert_false (kassa_stock_repository_adjust (fixture->stock, fixture->beans, -1000, "  ",
                                                 0, &stock, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kassa_stock_repository_adjust (fixture->stock, 999, -1000, "Breakage",
                                                 0, &stock, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  entries = kassa_audit_log_list_recent (audit, 0, 10, &error);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = entries->pdata[0];
  g_assert_cmpstr (entry->action, ==, "stock.adjust");
  g_assert_cmpstr (entry->entity_kind, ==, "catalog_item");
  g_assert_cmpstr (entry->details, ==,
                   "{\"after\":\"12.5\",\"before\":\"10\",\"delta\":\"2.5\",\"reason\":\"Delivery\"}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/stock-repository/" path, StockFixture, NULL, \
              stock_set_up, func, stock_tear_down)

  ADD ("reserve-and-expire", test_reserve_and_expire);
  ADD ("reserve-refuses-oversell", test_reserve_refuses_oversell);
  ADD ("sell", test_sell);
  ADD ("sell-refuses-oversell", test_sell_refuses_oversell);
  ADD ("sell-negative-allowed", test_sell_negative_allowed);
  ADD ("adjust", test_adjust);

  return g_test_run ();
}
