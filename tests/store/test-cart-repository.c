/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-cart-repository"

#include "config.h"

#include <string.h>

#include "kassa-cart-repository.h"
#include "kassa-customer-repository.h"
#include "kassa-error.h"
#include "kassa-store-private.h"

#include "store-test-utils.h"

typedef struct
{
  char                *dir;
  char                *path;
  KassaDatabase       *db;
  KassaCartRepository *repo;
  KassaCatalogItem    *coffee;
  KassaCatalogItem    *cake;
  KassaCatalogItem    *haircut;
} Fixture;

static void
exec (KassaDatabase *db,
      const char    *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kassa_database_exec (db, sql, &error));
  g_assert_no_error (error);
}

static KassaCatalogItem *
item (gint64         id,
      KassaItemKind  kind,
      const char    *name,
      const char    *sku,
      gint64         price,
      gint64         tax_rate)
{
  KassaCatalogItem *item = kassa_catalog_item_new ();

  kassa_catalog_item_set_id (item, id);
  kassa_catalog_item_set_kind (item, kind);
  kassa_catalog_item_set_name (item, name);
  kassa_catalog_item_set_sku (item, sku);
  kassa_catalog_item_set_price (item, price);
  kassa_catalog_item_set_tax_rate (item, tax_rate);
  kassa_catalog_item_set_currency_code (item, "EUR");
  kassa_catalog_item_set_status (item, KASSA_ITEM_STATUS_ACTIVE);
  if (kind == KASSA_ITEM_KIND_SERVICE)
    kassa_catalog_item_set_duration_minutes (item, 30);

  return item;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = store_test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "kassa.db", NULL);
  fixture->db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->repo = kassa_cart_repository_new (fixture->db);

  exec (fixture->db,
        "INSERT INTO catalog_item (id, kind, name, sku, price, currency, tax_rate, status, duration_minutes, "
        "created_at, updated_at) VALUES "
        "(10, 'product', 'Coffee', 'COF-1', 350, 'EUR', 70000, 'active', 0, 'x', 'x'), "
        "(11, 'product', 'Cake', NULL, 420, 'EUR', 70000, 'active', 0, 'x', 'x'), "
        "(12, 'service', 'Haircut', 'HC', 3000, 'EUR', 200000, 'active', 30, 'x', 'x')");
  exec (fixture->db, "INSERT INTO staff (id, name, role, created_at, updated_at) VALUES (1, 'Carl', 'cashier', 'x', 'x')");
  exec (fixture->db, "INSERT INTO customer (id, name, shipping_address, created_at, updated_at) "
                     "VALUES (5, 'Ada', '  Flat 2\nLondon  ', 'x', 'x')");

  fixture->coffee = item (10, KASSA_ITEM_KIND_PRODUCT, "Coffee", "COF-1", 350, 70000);
  fixture->cake = item (11, KASSA_ITEM_KIND_PRODUCT, "Cake", NULL, 420, 70000);
  fixture->haircut = item (12, KASSA_ITEM_KIND_SERVICE, "Haircut", "HC", 3000, 200000);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->coffee);
  g_clear_object (&fixture->cake);
  g_clear_object (&fixture->haircut);
  g_clear_object (&fixture->repo);
  g_clear_object (&fixture->db);
  store_test_remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static KassaCart *
new_cart (void)
{
  KassaCart *cart = kassa_cart_new ();

  g_assert_true (kassa_cart_set_currency_code (cart, "EUR", NULL));

  return cart;
}

/* Fills @cart with something of everything a cart can hold. */
static void
fill (Fixture   *fixture,
      KassaCart *cart)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaCustomerRepository) customers = kassa_customer_repository_new (fixture->db);
  g_autoptr(KassaCustomer) ada = kassa_customer_repository_get (customers, 5, &error);

  g_assert_true (kassa_cart_add_item (cart, fixture->coffee, 2000, NULL, &error));
  g_assert_true (kassa_cart_add_item (cart, fixture->cake, 1500, NULL, &error));
  g_assert_true (kassa_cart_add_item (cart, fixture->haircut, 1000, NULL, &error));
  g_assert_true (kassa_cart_set_price_override (cart, 1, 399, &error));
  g_assert_true (kassa_cart_set_line_discount (cart, 0, KASSA_DISCOUNT_PERCENT, 100000, &error));
  g_assert_true (kassa_cart_set_line_discount (cart, 2, KASSA_DISCOUNT_AMOUNT, 500, &error));
  g_assert_true (kassa_cart_set_document_discount (cart, KASSA_DISCOUNT_AMOUNT, 100, &error));
  g_assert_true (kassa_cart_set_customer (cart, ada, &error));
  g_assert_true (kassa_cart_set_delivery_method (cart, KASSA_DELIVERY_METHOD_DELIVERY, &error));
  g_assert_true (kassa_cart_set_delivery_address (cart, "  Flat 2\n\nLondon  ", &error));
  g_assert_no_error (error);
}

static void
assert_filled (KassaCart *cart)
{
  g_autoptr(KassaCartLine) coffee = g_list_model_get_item (G_LIST_MODEL (cart), 0);
  g_autoptr(KassaCartLine) cake = g_list_model_get_item (G_LIST_MODEL (cart), 1);
  g_autoptr(KassaCartLine) haircut = g_list_model_get_item (G_LIST_MODEL (cart), 2);
  KassaCatalogItem *item;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cart)), ==, 3);
  g_assert_cmpstr (kassa_cart_get_currency_code (cart), ==, "EUR");

  item = kassa_cart_line_get_item (coffee);
  g_assert_cmpint (kassa_catalog_item_get_id (item), ==, 10);
  g_assert_cmpstr (kassa_catalog_item_get_name (item), ==, "Coffee");
  g_assert_cmpstr (kassa_catalog_item_get_sku (item), ==, "COF-1");
  g_assert_cmpint (kassa_catalog_item_get_tax_rate (item), ==, 70000);
  g_assert_cmpint (kassa_cart_line_get_quantity (coffee), ==, 2000);
  g_assert_false (kassa_cart_line_get_has_price_override (coffee));
  g_assert_cmpint (kassa_cart_line_get_unit_price (coffee), ==, 350);
  g_assert_cmpint (kassa_cart_line_get_discount_kind (coffee), ==, KASSA_DISCOUNT_PERCENT);
  g_assert_cmpint (kassa_cart_line_get_discount_value (coffee), ==, 100000);

  g_assert_cmpint (kassa_cart_line_get_quantity (cake), ==, 1500);
  g_assert_true (kassa_cart_line_get_has_price_override (cake));
  g_assert_cmpint (kassa_cart_line_get_unit_price (cake), ==, 399);
  g_assert_cmpint (kassa_catalog_item_get_price (kassa_cart_line_get_item (cake)), ==, 420);
  g_assert_null (kassa_catalog_item_get_sku (kassa_cart_line_get_item (cake)));

  item = kassa_cart_line_get_item (haircut);
  g_assert_cmpint (kassa_catalog_item_get_kind (item), ==, KASSA_ITEM_KIND_SERVICE);
  g_assert_cmpuint (kassa_catalog_item_get_duration_minutes (item), ==, 30);
  g_assert_cmpint (kassa_cart_line_get_discount_kind (haircut), ==, KASSA_DISCOUNT_AMOUNT);
  g_assert_cmpint (kassa_cart_line_get_discount_value (haircut), ==, 500);

  g_assert_cmpint (kassa_cart_get_discount_kind (cart), ==, KASSA_DISCOUNT_AMOUNT);
  g_assert_cmpint (kassa_cart_get_discount_value (cart), ==, 100);
  g_assert_cmpint (kassa_customer_get_id (kassa_cart_get_customer (cart)), ==, 5);
  g_assert_cmpstr (kassa_customer_get_name (kassa_cart_get_customer (cart)), ==, "Ada");
  g_assert_cmpint (kassa_cart_get_delivery_method (cart), ==, KASSA_DELIVERY_METHOD_DELIVERY);
  g_assert_cmpstr (kassa_cart_get_delivery_address (cart), ==, "  Flat 2\n\nLondon  ");
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaCart) cart = new_cart ();
  g_autoptr(KassaCart) loaded = NULL;
  g_autoptr(GPtrArray) open = NULL;
  gint64 id;

  fill (fixture, cart);
  id = kassa_cart_repository_create (fixture->repo, cart, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  loaded = kassa_cart_repository_load (fixture->repo, id, &error);
  g_assert_no_error (error);
  assert_filled (loaded);
  g_assert_false (kassa_cart_get_parked (loaded));

  open = kassa_cart_repository_list (fixture->repo, FALSE, &error);
  g_assert_cmpuint (open->len, ==, 1);
  g_assert_cmpint (((KassaCartSummary *) open->pdata[0])->id, ==, id);
  g_assert_cmpuint (((KassaCartSummary *) open->pdata[0])->n_lines, ==, 3);
  g_assert_cmpint (((KassaCartSummary *) open->pdata[0])->staff_id, ==, 1);
  g_assert_cmpint (((KassaCartSummary *) open->pdata[0])->customer_id, ==, 5);
}

/* Copies the database and its write-ahead log as they are on disk this
 * instant, as a crash would leave them, without closing anything. */
static char *
crash_copy (Fixture *fixture)
{
  g_autofree char *copy = g_build_filename (fixture->dir, "crashed.db", NULL);
  const char *suffixes[] = { "", "-wal", NULL };

  for (guint i = 0; suffixes[i] != NULL; i++)
    {
      g_autofree char *from = g_strconcat (fixture->path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (copy, suffixes[i], NULL);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;

      if (!g_file_test (from, G_FILE_TEST_EXISTS))
        continue;
      bytes = store_test_read (from);
      g_file_set_contents (to, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
      g_assert_no_error (error);
    }

  return g_steal_pointer (&copy);
}

static void
test_survives_crash (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaCart) cart = new_cart ();
  g_autoptr(KassaCart) parked = new_cart ();
  g_autoptr(KassaDatabase) reopened = NULL;
  g_autoptr(KassaCartRepository) repo = NULL;
  g_autoptr(KassaCart) loaded = NULL;
  g_autoptr(KassaCart) loaded_parked = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GPtrArray) on_hold = NULL;
  g_autofree char *copy = NULL;
  gint64 id, parked_id;

  /* Every change is saved as it happens; nothing is saved at the end. */
  id = kassa_cart_repository_create (fixture->repo, cart, 1, &error);
  g_assert_no_error (error);
  kassa_cart_repository_watch (fixture->repo, id, cart);
  fill (fixture, cart);

  parked_id = kassa_cart_repository_create (fixture->repo, parked, 1, &error);
  kassa_cart_repository_watch (fixture->repo, parked_id, parked);
  g_assert_true (kassa_cart_add_item (parked, fixture->cake, 1000, NULL, &error));
  g_assert_true (kassa_cart_set_quantity (parked, 0, 4000, &error));
  g_assert_true (kassa_cart_park (parked, &error));
  g_assert_no_error (error);

  copy = crash_copy (fixture);
  reopened = kassa_database_open (copy, &error);
  g_assert_no_error (error);
  repo = kassa_cart_repository_new (reopened);

  open = kassa_cart_repository_list (repo, FALSE, &error);
  g_assert_cmpuint (open->len, ==, 1);
  on_hold = kassa_cart_repository_list (repo, TRUE, &error);
  g_assert_cmpuint (on_hold->len, ==, 1);

  loaded = kassa_cart_repository_load (repo, id, &error);
  g_assert_no_error (error);
  assert_filled (loaded);

  loaded_parked = kassa_cart_repository_load (repo, parked_id, &error);
  g_assert_no_error (error);
  g_assert_true (kassa_cart_get_parked (loaded_parked));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (loaded_parked)), ==, 1);
  {
    g_autoptr(KassaCartLine) line = g_list_model_get_item (G_LIST_MODEL (loaded_parked), 0);
    g_assert_cmpint (kassa_cart_line_get_quantity (line), ==, 4000);
  }

  kassa_cart_repository_unwatch (fixture->repo, cart);
  kassa_cart_repository_unwatch (fixture->repo, parked);
}

static void
test_park_resume (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaCart) cart = new_cart ();
  g_autoptr(KassaCart) loaded = NULL;
  g_autoptr(KassaCart) resumed = NULL;
  g_autoptr(GPtrArray) on_hold = NULL;
  g_autoptr(GPtrArray) open = NULL;
  KassaCartSummary *summary;
  gint64 id;

  g_assert_true (kassa_cart_add_item (cart, fixture->coffee, 1000, NULL, &error));
  id = kassa_cart_repository_create (fixture->repo, cart, 0, &error);
  g_assert_no_error (error);

  g_assert_true (kassa_cart_repository_park (fixture->repo, id, cart, "Table 4", &error));
  g_assert_no_error (error);
  g_assert_true (kassa_cart_get_parked (cart));

  on_hold = kassa_cart_repository_list (fixture->repo, TRUE, &error);
  g_assert_cmpuint (on_hold->len, ==, 1);
  summary = on_hold->pdata[0];
  g_assert_cmpint (summary->id, ==, id);
  g_assert_true (summary->parked);
  g_assert_cmpstr (summary->label, ==, "Table 4");
  g_assert_cmpint (summary->staff_id, ==, 0);
  g_assert_cmpint (summary->customer_id, ==, 1);
  g_assert_cmpuint (summary->n_lines, ==, 1);

  /* A parked cart comes back parked: nobody edits it by accident. */
  loaded = kassa_cart_repository_load (fixture->repo, id, &error);
  g_assert_true (kassa_cart_get_parked (loaded));
  g_assert_false (kassa_cart_add_item (loaded, fixture->cake, 1000, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED);
  g_clear_error (&error);

  resumed = kassa_cart_repository_resume (fixture->repo, id, &error);
  g_assert_no_error (error);
  g_assert_false (kassa_cart_get_parked (resumed));
  g_assert_true (kassa_cart_add_item (resumed, fixture->cake, 1000, NULL, &error));

  on_hold = (g_ptr_array_unref (on_hold), kassa_cart_repository_list (fixture->repo, TRUE, &error));
  g_assert_cmpuint (on_hold->len, ==, 0);
  open = kassa_cart_repository_list (fixture->repo, FALSE, &error);
  g_assert_cmpuint (open->len, ==, 1);
  /* The label stays, to find the cart by. */
  g_assert_cmpstr (((KassaCartSummary *) open->pdata[0])->label, ==, "Table 4");
}

static void
test_lines_keep_their_rows (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaCart) cart = new_cart ();
  g_autoptr(KassaCartLine) removed = NULL;
  g_autoptr(KassaCart) loaded = NULL;
  g_autofree char *reserve = NULL;
  gint64 id, cake_row;
  sqlite3 *raw;

  g_assert_true (kassa_cart_add_item (cart, fixture->coffee, 1000, NULL, &error));
  g_assert_true (kassa_cart_add_item (cart, fixture->cake, 2000, NULL, &error));
  g_assert_true (kassa_cart_add_item (cart, fixture->haircut, 1000, NULL, &error));
  id = kassa_cart_repository_create (fixture->repo, cart, 1, &error);
  g_assert_no_error (error);

  raw = store_test_open_raw (fixture->path);
  cake_row = store_test_query_int (raw, "SELECT id FROM cart_line WHERE name = 'Cake'");
  reserve = g_strdup_printf ("INSERT INTO stock_reservation (cart_line_id, item_id, quantity, expires_at) "
                             "VALUES (%" G_GINT64_FORMAT ", 11, 2000, '2099-01-01T00:00:00.000000Z')", cake_row);
  store_test_exec_raw (raw, reserve);

  /* Removing the first line moves the cake up; its row and its
   * reservation move with it. */
  removed = kassa_cart_remove_line (cart, 0, &error);
  g_assert_true (kassa_cart_repository_save (fixture->repo, id, cart, &error));
  g_assert_no_error (error);

  g_assert_cmpint (store_test_query_int (raw, "SELECT count (*) FROM cart_line"), ==, 2);
  g_assert_cmpint (store_test_query_int (raw, "SELECT position FROM cart_line WHERE name = 'Cake'"), ==, 0);
  g_assert_cmpint (store_test_query_int (raw, "SELECT id FROM cart_line WHERE name = 'Cake'"), ==, cake_row);
  g_assert_cmpint (store_test_query_int (raw, "SELECT count (*) FROM stock_reservation"), ==, 1);

  /* Put back in front: a new row at position 0, the others shift. */
  g_assert_true (kassa_cart_insert_line (cart, 0, removed, &error));
  g_assert_true (kassa_cart_repository_save (fixture->repo, id, cart, &error));
  g_assert_no_error (error);
  g_assert_cmpint (store_test_query_int (raw, "SELECT position FROM cart_line WHERE name = 'Cake'"), ==, 1);
  g_assert_cmpint (store_test_query_int (raw, "SELECT id FROM cart_line WHERE name = 'Cake'"), ==, cake_row);
  sqlite3_close (raw);

  loaded = kassa_cart_repository_load (fixture->repo, id, &error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (loaded)), ==, 3);
  {
    g_autoptr(KassaCartLine) first = g_list_model_get_item (G_LIST_MODEL (loaded), 0);
    g_assert_cmpstr (kassa_catalog_item_get_name (kassa_cart_line_get_item (first)), ==, "Coffee");
  }
}

/* Rows the next save writes, read from SQLite's change counter. */
static int
changes_of_save (Fixture   *fixture,
                 gint64     id,
                 KassaCart *cart)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = kassa_database_get_handle (fixture->db);
  int before = sqlite3_total_changes (db);

  g_assert_true (kassa_cart_repository_save (fixture->repo, id, cart, &error));
  g_assert_no_error (error);
  return sqlite3_total_changes (db) - before;
}

/* What the file holds for cart @id, line by line: "name×quantity@position". */
static char *
stored_lines (Fixture *fixture,
              gint64   id)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  stmt = kassa_database_prepare (fixture->db,
                                 "SELECT name, quantity, position FROM cart_line WHERE cart_id = ?1 ORDER BY position",
                                 NULL);
  g_assert_nonnull (stmt);
  sqlite3_bind_int64 (stmt, 1, id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (text, "%s%s×%" G_GINT64_FORMAT "@%d", text->len > 0 ? " " : "",
                            (const char *) sqlite3_column_text (stmt, 0), (gint64) sqlite3_column_int64 (stmt, 1),
                            sqlite3_column_int (stmt, 2));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
assert_stored (Fixture    *fixture,
               gint64      id,
               const char *expected)
{
  g_autofree char *lines = stored_lines (fixture, id);

  g_assert_cmpstr (lines, ==, expected);
}

/* A scan or a new quantity writes the cart's header and that one line,
 * not every line again; anything else, or a rollback since the last
 * save, writes the cart whole, and the file always ends up as the cart. */
static void
test_saves_what_changed (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaCart) cart = new_cart ();
  g_autoptr(KassaCartLine) removed = NULL;
  gint64 id;

  g_assert_true (kassa_cart_add_item (cart, fixture->coffee, 1000, NULL, &error));
  g_assert_true (kassa_cart_add_item (cart, fixture->cake, 1000, NULL, &error));
  id = kassa_cart_repository_create (fixture->repo, cart, 1, &error);
  g_assert_no_error (error);
  assert_stored (fixture, id, "Coffee×1000@0 Cake×1000@1");

  /* Nothing changed: the header only. */
  g_assert_cmpint (changes_of_save (fixture, id, cart), ==, 1);

  /* A scan: the header and the new line. */
  g_assert_true (kassa_cart_add_item (cart, fixture->haircut, 1000, NULL, &error));
  g_assert_cmpint (changes_of_save (fixture, id, cart), ==, 2);
  assert_stored (fixture, id, "Coffee×1000@0 Cake×1000@1 Haircut×1000@2");

  /* A new quantity: the header and that line. */
  g_assert_true (kassa_cart_set_quantity (cart, 1, 3000, &error));
  g_assert_cmpint (changes_of_save (fixture, id, cart), ==, 2);
  assert_stored (fixture, id, "Coffee×1000@0 Cake×3000@1 Haircut×1000@2");

  /* A line taken out of the middle: the whole cart. */
  removed = kassa_cart_remove_line (cart, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (changes_of_save (fixture, id, cart), >, 2);
  assert_stored (fixture, id, "Cake×3000@0 Haircut×1000@1");

  /* The removed line, changed while out, put back at the end where its
   * old row would fit: it is a new row, not the deleted one. */
  g_assert_true (kassa_cart_set_quantity (cart, 1, 2000, &error));
  g_assert_cmpint (changes_of_save (fixture, id, cart), ==, 2);
  g_assert_true (kassa_cart_insert_line (cart, 2, removed, &error));
  g_assert_no_error (error);
  changes_of_save (fixture, id, cart);
  assert_stored (fixture, id, "Cake×3000@0 Haircut×2000@1 Coffee×1000@2");

  /* The last line taken out and put back unchanged: its old row is
   * gone, so it is written as a new one. */
  {
    g_autoptr(KassaCartLine) last = kassa_cart_remove_line (cart, 2, &error);

    g_assert_no_error (error);
    changes_of_save (fixture, id, cart);
    assert_stored (fixture, id, "Cake×3000@0 Haircut×2000@1");
    g_assert_true (kassa_cart_insert_line (cart, 2, last, &error));
    g_assert_no_error (error);
    changes_of_save (fixture, id, cart);
    assert_stored (fixture, id, "Cake×3000@0 Haircut×2000@1 Coffee×1000@2");
  }

  /* A save rolled back with its transaction: the next save writes the
   * cart whole again, and what the rollback undid is back in the file. */
  g_assert_true (kassa_database_begin (fixture->db, &error));
  g_assert_true (kassa_cart_add_item (cart, fixture->cake, 1000, NULL, &error));
  g_assert_cmpint (changes_of_save (fixture, id, cart), ==, 2);
  g_assert_true (kassa_database_rollback (fixture->db, &error));
  g_assert_no_error (error);
  assert_stored (fixture, id, "Cake×3000@0 Haircut×2000@1 Coffee×1000@2");
  changes_of_save (fixture, id, cart);
  assert_stored (fixture, id, "Cake×4000@0 Haircut×2000@1 Coffee×1000@2");
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaCart) cart = new_cart ();
  g_autoptr(KassaCart) gone = NULL;
  gint64 id;
  sqlite3 *raw;

  g_assert_true (kassa_cart_add_item (cart, fixture->coffee, 1000, NULL, &error));
  id = kassa_cart_repository_create (fixture->repo, cart, 1, &error);

  g_assert_true (kassa_cart_repository_delete (fixture->repo, id, &error));
  g_assert_no_error (error);
  gone = kassa_cart_repository_load (fixture->repo, id, &error);
  g_assert_null (gone);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (kassa_cart_repository_save (fixture->repo, id, cart, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (kassa_cart_repository_delete (fixture->repo, id, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);

  raw = store_test_open_raw (fixture->path);
  g_assert_cmpint (store_test_query_int (raw, "SELECT count (*) FROM cart_line"), ==, 0);
  sqlite3_close (raw);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/cart-repository/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("round-trip", test_round_trip);
  ADD ("survives-crash", test_survives_crash);
  ADD ("park-resume", test_park_resume);
  ADD ("lines-keep-their-rows", test_lines_keep_their_rows);
  ADD ("delete", test_delete);
  ADD ("saves-what-changed", test_saves_what_changed);

  return g_test_run ();
}
