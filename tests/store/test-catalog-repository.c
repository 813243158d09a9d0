/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kassa-catalog-query.h"
#include "kassa-error.h"
#include "catalog-test-utils.h"

static void
test_insert_and_get (CatalogFixture *fixture,
                     gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(KassaCatalogItem) item = catalog_test_item ("Coffee beans", "COF-1", "4006381333931", 1299);
  g_autoptr(KassaCatalogItem) read = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  kassa_catalog_item_set_description (item, "Arabica, 1 kg");
  kassa_catalog_item_set_item_type (item, "Groceries");
  kassa_catalog_item_set_stock_on_hand (item, 12500);
  kassa_catalog_item_set_sort_order (item, 3);
  kassa_catalog_item_set_public (item, FALSE);

  id = kassa_catalog_repository_insert (repository, item, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (kassa_catalog_item_get_id (item), ==, id);

  read = kassa_catalog_repository_get (repository, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (read);
  g_assert_cmpstr (kassa_catalog_item_get_name (read), ==, "Coffee beans");
  g_assert_cmpstr (kassa_catalog_item_get_description (read), ==, "Arabica, 1 kg");
  g_assert_cmpstr (kassa_catalog_item_get_item_type (read), ==, "Groceries");
  g_assert_cmpstr (kassa_catalog_item_get_sku (read), ==, "COF-1");
  g_assert_cmpstr (kassa_catalog_item_get_barcode (read), ==, "4006381333931");
  g_assert_cmpint (kassa_catalog_item_get_price (read), ==, 1299);
  g_assert_cmpstr (kassa_catalog_item_get_currency_code (read), ==, "EUR");
  g_assert_cmpint (kassa_catalog_item_get_tax_rate (read), ==, 200000);
  g_assert_cmpint (kassa_catalog_item_get_stock_on_hand (read), ==, 12500);
  g_assert_cmpint (kassa_catalog_item_get_sort_order (read), ==, 3);
  g_assert_false (kassa_catalog_item_get_public (read));
  g_assert_cmpint (kassa_catalog_item_get_status (read), ==, KASSA_ITEM_STATUS_ACTIVE);
  g_assert_cmpint (kassa_catalog_item_get_kind (read), ==, KASSA_ITEM_KIND_PRODUCT);

  g_clear_object (&read);
  read = kassa_catalog_repository_get (repository, id + 100, &error);
  g_assert_no_error (error);
  g_assert_null (read);
}

static void
test_recurring_service (CatalogFixture *fixture,
                        gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(KassaCatalogItem) item = catalog_test_item ("Yoga class", NULL, NULL, 4500);
  g_autoptr(KassaCatalogItem) read = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  kassa_catalog_item_set_kind (item, KASSA_ITEM_KIND_SERVICE);
  kassa_catalog_item_set_duration_minutes (item, 60);
  kassa_catalog_item_set_pricing (item, KASSA_PRICING_RECURRING);
  kassa_catalog_item_set_interval (item, KASSA_BILLING_INTERVAL_MONTH);
  kassa_catalog_item_set_interval_count (item, 3);
  kassa_catalog_item_set_cycles (item, 4);
  id = kassa_catalog_repository_insert (repository, item, &error);
  g_assert_no_error (error);

  read = kassa_catalog_repository_get (repository, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_catalog_item_get_kind (read), ==, KASSA_ITEM_KIND_SERVICE);
  g_assert_cmpuint (kassa_catalog_item_get_duration_minutes (read), ==, 60);
  g_assert_cmpint (kassa_catalog_item_get_pricing (read), ==, KASSA_PRICING_RECURRING);
  g_assert_cmpint (kassa_catalog_item_get_interval (read), ==, KASSA_BILLING_INTERVAL_MONTH);
  g_assert_cmpuint (kassa_catalog_item_get_interval_count (read), ==, 3);
  g_assert_cmpuint (kassa_catalog_item_get_cycles (read), ==, 4);
  g_assert_null (kassa_catalog_item_get_sku (read));
  g_assert_null (kassa_catalog_item_get_barcode (read));
}

static void
test_invalid_item_refused (CatalogFixture *fixture,
                           gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(KassaCatalogItem) item = catalog_test_item ("Broken", NULL, NULL, -5);
  g_autoptr(GError) error = NULL;
  guint n = 99;

  g_assert_cmpint (kassa_catalog_repository_insert (repository, item, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (kassa_catalog_repository_count (repository, KASSA_CATALOG_FILTER_ANY, &n, &error));
  g_assert_cmpuint (n, ==, 0);
}

static void
test_unique_sku_and_barcode (CatalogFixture *fixture,
                             gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(KassaCatalogItem) same_sku = catalog_test_item ("Tea", "COF-1", "111", 300);
  g_autoptr(KassaCatalogItem) same_barcode = catalog_test_item ("Tea", "TEA-1", "4006381333931", 300);
  g_autoptr(KassaCatalogItem) second = NULL;
  g_autoptr(GError) error = NULL;
  gint64 tea;

  catalog_test_add (repository, "Coffee beans", "COF-1", "4006381333931", 1299);

  g_assert_cmpint (kassa_catalog_repository_insert (repository, same_sku, &error), ==, 0);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_assert_cmpstr (error->message, ==, "SKU “COF-1” is already used by “Coffee beans”");
  g_clear_error (&error);

  g_assert_cmpint (kassa_catalog_repository_insert (repository, same_barcode, &error), ==, 0);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_assert_cmpstr (error->message, ==, "Barcode “4006381333931” is already used by “Coffee beans”");
  g_clear_error (&error);

  /* Empty codes are no codes: many items may lack them. */
  catalog_test_add (repository, "Bag", "", "", 10);
  catalog_test_add (repository, "Box", "", "", 20);

  /* Updating an item to another's SKU is refused too; keeping its own is fine. */
  tea = catalog_test_add (repository, "Tea", "TEA-1", NULL, 300);
  second = kassa_catalog_repository_get (repository, tea, &error);
  g_assert_no_error (error);
  g_assert_true (kassa_catalog_repository_update (repository, second, &error));
  g_assert_no_error (error);
  kassa_catalog_item_set_sku (second, "COF-1");
  g_assert_false (kassa_catalog_repository_update (repository, second, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
}

static void
test_update_and_lookups (CatalogFixture *fixture,
                         gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(KassaCatalogItem) item = NULL;
  g_autoptr(KassaCatalogItem) by_sku = NULL;
  g_autoptr(KassaCatalogItem) by_barcode = NULL;
  g_autoptr(KassaCatalogItem) missing = NULL;
  g_autoptr(KassaCatalogItem) ghost = catalog_test_item ("Ghost", NULL, NULL, 1);
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = catalog_test_add (repository, "Coffee beans", "COF-1", "4006381333931", 1299);
  catalog_test_add (repository, "Tea", "TEA-1", "4006381333948", 300);

  item = kassa_catalog_repository_get (repository, id, &error);
  kassa_catalog_item_set_price (item, 1399);
  kassa_catalog_item_set_barcode (item, "5000000000001");
  g_assert_true (kassa_catalog_repository_update (repository, item, &error));
  g_assert_no_error (error);

  by_sku = kassa_catalog_repository_get_by_sku (repository, "COF-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_catalog_item_get_price (by_sku), ==, 1399);

  by_barcode = kassa_catalog_repository_get_by_barcode (repository, "5000000000001", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_catalog_item_get_id (by_barcode), ==, id);

  /* Exact only: a prefix of a barcode is not a barcode. */
  missing = kassa_catalog_repository_get_by_barcode (repository, "500000000000", &error);
  g_assert_no_error (error);
  g_assert_null (missing);
  missing = kassa_catalog_repository_get_by_barcode (repository, "4006381333931", &error);
  g_assert_null (missing);

  kassa_catalog_item_set_id (ghost, 9999);
  g_assert_false (kassa_catalog_repository_update (repository, ghost, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
}

static void
test_archive_and_list (CatalogFixture *fixture,
                       gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) active = NULL;
  g_autoptr(GPtrArray) archived = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;
  gint64 tea;

  catalog_test_add (repository, "Coffee beans", "COF-1", NULL, 1299);
  tea = catalog_test_add (repository, "Tea", "TEA-1", NULL, 300);
  catalog_test_add (repository, "Apple juice", "JUI-1", NULL, 250);

  g_assert_true (kassa_catalog_repository_archive (repository, tea, &error));
  g_assert_no_error (error);
  g_assert_false (kassa_catalog_repository_archive (repository, 4242, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  all = kassa_catalog_repository_list (repository, KASSA_CATALOG_FILTER_ANY, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 3);
  /* Same sort order: by name. */
  g_assert_cmpstr (kassa_catalog_item_get_name (all->pdata[0]), ==, "Apple juice");
  g_assert_cmpstr (kassa_catalog_item_get_name (all->pdata[1]), ==, "Coffee beans");
  g_assert_cmpstr (kassa_catalog_item_get_name (all->pdata[2]), ==, "Tea");

  active = kassa_catalog_repository_list (repository, KASSA_CATALOG_FILTER_ACTIVE, 0, 10, &error);
  g_assert_cmpuint (active->len, ==, 2);
  archived = kassa_catalog_repository_list (repository, KASSA_CATALOG_FILTER_ARCHIVED, 0, 10, &error);
  g_assert_cmpuint (archived->len, ==, 1);
  g_assert_cmpint (kassa_catalog_item_get_status (archived->pdata[0]), ==, KASSA_ITEM_STATUS_ARCHIVED);

  page = kassa_catalog_repository_list (repository, KASSA_CATALOG_FILTER_ANY, 1, 1, &error);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_cmpstr (kassa_catalog_item_get_name (page->pdata[0]), ==, "Coffee beans");

  g_assert_true (kassa_catalog_repository_count (repository, KASSA_CATALOG_FILTER_ACTIVE, &n, &error));
  g_assert_cmpuint (n, ==, 2);
  g_assert_true (kassa_catalog_repository_count (repository, KASSA_CATALOG_FILTER_DRAFT, &n, &error));
  g_assert_cmpuint (n, ==, 0);
}

static void
test_search (CatalogFixture *fixture,
             gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaCatalogItem) edit = NULL;
  gint64 cafe;

  catalog_test_add (repository, "Coffee beans", "COF-1", "4006381333931", 1299);
  catalog_test_add (repository, "Coffee filter", "FIL-9", NULL, 199);
  cafe = catalog_test_add (repository, "Café crème", "CAF-2", NULL, 350);
  catalog_test_add (repository, "Tea", "TEA-1", NULL, 300);

  found = kassa_catalog_repository_search (repository, "coff", KASSA_CATALOG_FILTER_ACTIVE, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = kassa_catalog_repository_search (repository, "coff bea", KASSA_CATALOG_FILTER_ACTIVE, 10, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (kassa_catalog_item_get_name (found->pdata[0]), ==, "Coffee beans");
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Diacritics and case do not matter, either way round. */
  found = kassa_catalog_repository_search (repository, "CREME", KASSA_CATALOG_FILTER_ACTIVE, 10, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (kassa_catalog_item_get_id (found->pdata[0]), ==, cafe);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = kassa_catalog_repository_search (repository, "cafè", KASSA_CATALOG_FILTER_ACTIVE, 10, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* SKU and barcode prefixes. */
  found = kassa_catalog_repository_search (repository, "fil-9", KASSA_CATALOG_FILTER_ACTIVE, 10, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (kassa_catalog_item_get_sku (found->pdata[0]), ==, "FIL-9");
  g_clear_pointer (&found, g_ptr_array_unref);
  found = kassa_catalog_repository_search (repository, "400638", KASSA_CATALOG_FILTER_ACTIVE, 10, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Limit, and archived items only when asked for. */
  found = kassa_catalog_repository_search (repository, "c", KASSA_CATALOG_FILTER_ACTIVE, 2, &error);
  g_assert_cmpuint (found->len, ==, 2);
  g_clear_pointer (&found, g_ptr_array_unref);

  g_assert_true (kassa_catalog_repository_archive (repository, cafe, &error));
  found = kassa_catalog_repository_search (repository, "creme", KASSA_CATALOG_FILTER_ACTIVE, 10, &error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = kassa_catalog_repository_search (repository, "creme", KASSA_CATALOG_FILTER_ANY, 10, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* The index follows renames. */
  edit = kassa_catalog_repository_get_by_sku (repository, "TEA-1", &error);
  kassa_catalog_item_set_name (edit, "Rooibos");
  g_assert_true (kassa_catalog_repository_update (repository, edit, &error));
  found = kassa_catalog_repository_search (repository, "tea", KASSA_CATALOG_FILTER_ACTIVE, 10, &error);
  /* "TEA-1" is still its SKU. */
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = kassa_catalog_repository_search (repository, "rooi", KASSA_CATALOG_FILTER_ACTIVE, 10, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Nothing typed finds nothing. */
  found = kassa_catalog_repository_search (repository, " -- ", KASSA_CATALOG_FILTER_ANY, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
}

static void
test_search_ranking (CatalogFixture *fixture,
                     gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(KassaCatalogItem) described = catalog_test_item ("Mug", "MUG-1", NULL, 500);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  kassa_catalog_item_set_description (described, "For milk coffee and more");
  kassa_catalog_repository_insert (repository, described, &error);
  g_assert_no_error (error);
  catalog_test_add (repository, "Milk", "MLK-1", NULL, 120);

  /* A match in the name outranks one in the description. */
  found = kassa_catalog_repository_search (repository, "milk", KASSA_CATALOG_FILTER_ACTIVE, 10, &error);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpstr (kassa_catalog_item_get_name (found->pdata[0]), ==, "Milk");
  g_assert_cmpstr (kassa_catalog_item_get_name (found->pdata[1]), ==, "Mug");
}

/* The MATCH expressions the searches ran, as SQLite bound them. */
static int
record_match_cb (unsigned  type,
                 void     *user_data,
                 void     *statement,
                 void     *unused)
{
  GPtrArray *matches = user_data;
  sqlite3_stmt *stmt = statement;

  /* The ranked MATCH, or the walk of one word's many terms. */
  if (type == SQLITE_TRACE_STMT &&
      (strstr (sqlite3_sql (stmt), "kassa_rank") != NULL ||
       strstr (sqlite3_sql (stmt), "GROUP BY doc") != NULL))
    {
      char *sql = sqlite3_expanded_sql (stmt);

      g_ptr_array_add (matches, g_strdup (sql));
      sqlite3_free (sql);
    }

  return 0;
}

/* The ids the search finds, best first, and the MATCH or the walk of
 * terms it ran (NULL when it ran neither). */
static GArray *
search_ids (CatalogFixture          *fixture,
            KassaCatalogRepository  *repository,
            const char              *text,
            char                   **match)
{
  sqlite3 *db = kassa_database_get_handle (fixture->database);
  g_autoptr(GPtrArray) matches = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  sqlite3_trace_v2 (db, SQLITE_TRACE_STMT, record_match_cb, matches);
  found = kassa_catalog_repository_search (repository, text, KASSA_CATALOG_FILTER_ANY,
                                           KASSA_CATALOG_SEARCH_MAX_RESULTS, &error);
  sqlite3_trace_v2 (db, 0, NULL, NULL);
  g_assert_no_error (error);

  for (guint i = 0; i < found->len; i++)
    {
      gint64 id = kassa_catalog_item_get_id (found->pdata[i]);
      g_array_append_val (ids, id);
    }

  g_assert_cmpuint (matches->len, <=, 1);
  *match = matches->len > 0 ? g_strdup (matches->pdata[0]) : NULL;

  return ids;
}

/* The ids, best first, of the plain prefix query "word"* "word"* with
 * the same ranking and order: what the search found before it expanded
 * words into terms. */
static GArray *
prefix_query_first_ids (CatalogFixture *fixture,
                        const char     *text,
                        int             n_candidates);

static GArray *
prefix_query_ids (CatalogFixture *fixture,
                  const char     *text)
{
  return prefix_query_first_ids (fixture, text, -1);
}

/* The same, ranking the first @n_candidates matches in index order as
 * the search does (all when negative). */
static GArray *
prefix_query_first_ids (CatalogFixture *fixture,
                        const char     *text,
                        int             n_candidates)
{
  g_autofree char *query = kassa_catalog_search_build_query (text);
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  if (query == NULL)
    return ids;

  stmt = kassa_database_prepare (fixture->database,
                                 "SELECT ci.id FROM "
                                 "(SELECT rowid AS item_id, kassa_rank (catalog_search) AS score "
                                 " FROM catalog_search WHERE catalog_search MATCH ?1 LIMIT ?2) AS hit "
                                 "JOIN catalog_item AS ci ON ci.id = hit.item_id "
                                 "ORDER BY hit.score, ci.sort_order, ci.name, ci.id",
                                 &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, query, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, n_candidates);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);

  return ids;
}

static void
assert_same_ids (GArray *found,
                 GArray *expected)
{
  g_assert_cmpuint (found->len, ==, expected->len);
  for (guint i = 0; i < found->len; i++)
    g_assert_cmpint (g_array_index (found, gint64, i), ==, g_array_index (expected, gint64, i));
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The same ids, in any order, each once. */
static void
assert_same_id_set (GArray *found,
                    GArray *expected)
{
  g_autoptr(GArray) sorted_found = g_array_copy (found);
  g_autoptr(GArray) sorted_expected = g_array_copy (expected);

  g_array_sort (sorted_found, compare_ids);
  g_array_sort (sorted_expected, compare_ids);
  for (guint i = 1; i < sorted_found->len; i++)
    g_assert_cmpint (g_array_index (sorted_found, gint64, i - 1), <, g_array_index (sorted_found, gint64, i));
  assert_same_ids (sorted_found, sorted_expected);
}

static void
add_described (KassaCatalogRepository *repository,
               const char             *name,
               const char             *description)
{
  g_autoptr(KassaCatalogItem) item = catalog_test_item (name, NULL, NULL, 100);
  g_autoptr(GError) error = NULL;

  kassa_catalog_item_set_description (item, description);
  g_assert_cmpint (kassa_catalog_repository_insert (repository, item, &error), >, 0);
  g_assert_no_error (error);
}

static void
test_search_expansion (CatalogFixture *fixture,
                       gconstpointer   data)
{
  static const struct {
    const char *text;
    /* What the MATCH holds: an expanded word, or the prefix kept; NULL
     * when the search runs no MATCH at all. */
    const char *match;
    guint       n_found;
    /* A word with more terms than the cap, alone: the bounds of the
     * walk of its terms that runs instead of a MATCH. */
    const char *walk;
  } cases[] = {
    /* Several terms, one, each folded as the index folds words. */
    { "coff", "(\"coffee\" OR \"coffeemaker\" OR \"coffees\")", 4 },
    { "COFFEE", "(\"coffee\" OR \"coffeemaker\" OR \"coffees\")", 4 },
    { "coffees", "\"coffees\"", 1 },
    { "Coffeem", "\"coffeemaker\"", 1 },
    { "CAFÉ", "(\"cafe\" OR \"cafetiere\")", 3 },
    { "cafe\xcc\x81", "(\"cafe\" OR \"cafetiere\")", 3 },
    { "Caffè", "\"caffe\"", 1 },
    { "cafét", "\"cafetiere\"", 1 },
    /* Up to the longest prefix index the prefix stays. */
    { "caf", "\"caf\"*", 4 },
    { "c", "\"c\"*", 27 },
    /* More terms than the cap, alone: the items come from the terms'
     * rows, without a MATCH. With another word the prefix stays. */
    { "choc", NULL, 20, "term >= 'choc' AND term < 'chod'" },
    { "CHOCOLAT", NULL, 20, "term >= 'chocolat' AND term < 'chocolau'" },
    { "chocolat bar", "\"chocolat\"* AND \"bar\"*", 20 },
    { "chocolatek", "\"chocolatek\"", 1 },
    /* A word the index has no term for finds nothing, without a MATCH. */
    { "chocolatez", NULL, 0 },
    { "zzzz", NULL, 0 },
    { "coffee zzzz", NULL, 0 },
    /* Two words, and a word twice. */
    { "coff bea", "(\"coffee\" OR \"coffeemaker\" OR \"coffees\") AND \"bea\"*", 1 },
    { "café CRÈ", "(\"cafe\" OR \"cafetiere\") AND \"CRÈ\"*", 1 },
    { "bea coffe", "\"bea\"* AND (\"coffee\" OR \"coffeemaker\" OR \"coffees\")", 1 },
    { "coffee coff", "(\"coffee\" OR \"coffeemaker\" OR \"coffees\") AND (\"coffee\" OR \"coffeemaker\" OR \"coffees\")", 4 },
    /* Words in the description, and digits. */
    /* A term in many items, then another: the expansion seeks past
     * the first rather than walking all its rows. */
    { "shel", "(\"shelf\" OR \"shelves\")", 45 },
    { "shelf", "\"shelf\"", 44 },
    { "batch 1", "\"batch\" AND \"1\"*", 2 },
    { "4006", "\"4006381333931\"", 1 },
    /* An AND, OR or NEAR typed is a term like any other. */
    { "near", "\"nearly\"", 1 },
  };
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);

  catalog_test_add (repository, "Coffee beans", "COF-1", "4006381333931", 1299);
  catalog_test_add (repository, "Coffees of Brazil", NULL, NULL, 900);
  catalog_test_add (repository, "Coffeemaker", NULL, NULL, 4900);
  add_described (repository, "Café crème", "Coffee with cream, batch 1, shelf A1");
  add_described (repository, "CAFÉ NOIR", "Batch 12, shelf B2");
  add_described (repository, "Caffè latte", "shelf C3, nearly sold out");
  add_described (repository, "Cafetière", "Shelf D4");
  for (char c = 'a'; c <= 't'; c++)
    {
      g_autofree char *name = g_strdup_printf ("Chocolate%c bar", c);
      catalog_test_add (repository, name, NULL, NULL, 200);
    }
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *name = g_strdup_printf ("Box %u", i);
      add_described (repository, name, "Shelf stock");
    }
  add_described (repository, "Shelves", NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GArray) found = NULL;
      g_autoptr(GArray) expected = NULL;
      g_autofree char *match = NULL;

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, cases[i].text);
      found = search_ids (fixture, repository, cases[i].text, &match);
      expected = prefix_query_ids (fixture, cases[i].text);

      /* The same items in the same order as the prefix query; the walk
       * of a word's terms orders them by its own rule. */
      if (cases[i].walk != NULL)
        assert_same_id_set (found, expected);
      else
        assert_same_ids (found, expected);
      g_assert_cmpuint (found->len, ==, cases[i].n_found);

      if (cases[i].walk != NULL)
        {
          g_assert_nonnull (match);
          if (strstr (match, cases[i].walk) == NULL || strstr (match, "MATCH") != NULL)
            g_error ("“%s” ran %s, not a walk of %s", cases[i].text, match, cases[i].walk);
        }
      else if (cases[i].match == NULL)
        {
          g_assert_null (match);
        }
      else
        {
          g_autofree char *bound = g_strdup_printf ("MATCH '%s'", cases[i].match);

          g_assert_nonnull (match);
          if (strstr (match, bound) == NULL)
            g_error ("“%s” ran %s, not %s", cases[i].text, match, bound);
        }
    }
}

/* Whatever is typed, the expanded search finds what the prefix query
 * finds, in the same order. */
static void
test_search_expansion_random (CatalogFixture *fixture,
                              gconstpointer   data)
{
  static const char *words[] = {
    "coffee", "coffees", "Coffeemaker", "café", "CAFÉS", "cafetière", "Caffè", "crème", "creamy",
    "shelf", "shelves", "batch", "Batches", "naïve", "NAÏVETÉ", "straße", "STRASSE", "Ærø", "øre",
    "日本茶", "日本酒", "ﬁlter", "filters", "ǅemal", "dženan", "a\xcc\x81\xcc\x81" "bcde",
    "abcd\xe2\x83\x9d" "efgh", "12345", "123456", "1234567",
  };
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  GRand *rand = g_rand_new_with_seed (g_test_rand_int ());

  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s %s", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                                               words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
      g_autofree char *description = g_strdup_printf ("%s %s %s", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                                                      words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                                                      words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);

      add_described (repository, name, description);
    }

  for (guint round = 0; round < 300; round++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      guint n_words = g_rand_int_range (rand, 1, 4);
      g_autoptr(GArray) found = NULL;
      g_autoptr(GArray) expected = NULL;
      g_autofree char *match = NULL;

      for (guint w = 0; w < n_words; w++)
        {
          const char *word = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];
          glong length = g_utf8_strlen (word, -1);
          glong typed = g_rand_int_range (rand, 1, length + 1);

          if (w > 0)
            g_string_append_c (text, ' ');
          g_string_append_len (text, word, g_utf8_offset_to_pointer (word, typed) - word);
        }

      g_test_message ("round %u: %s", round, text->str);
      found = search_ids (fixture, repository, text->str, &match);
      expected = prefix_query_ids (fixture, text->str);
      assert_same_ids (found, expected);
    }

  g_rand_free (rand);
}

static gboolean
ids_contain (GArray *ids,
             gint64  id)
{
  for (guint i = 0; i < ids->len; i++)
    {
      if (g_array_index (ids, gint64, i) == id)
        return TRUE;
    }

  return FALSE;
}

/* A word alone with more terms than the cap (digits of barcodes) finds
 * the items of its terms' first rows in term order, each once, ordered
 * by the weight of the column it is in, then as any search; each is an
 * item the prefix query finds. */
static void
test_search_many_terms (CatalogFixture *fixture,
                        gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(KassaCatalogItem) described = catalog_test_item ("Gift wrap", NULL, NULL, 100);
  g_autoptr(GArray) barcoded = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) found = NULL;
  g_autoptr(GArray) expected = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *match = NULL;
  gint64 named, in_sku, in_description, archived;

  catalog_test_add (repository, "Coffee beans", "COF-1", "4006381333931", 1299);
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *name = g_strdup_printf ("Tin %02u", 29 - i);
      g_autofree char *code = g_strdup_printf ("20000000000%02u", i);
      gint64 id = catalog_test_add (repository, name, NULL, code, 100);

      g_array_append_val (barcoded, id);
    }
  named = catalog_test_add (repository, "Voucher 200099", NULL, "2000000000099", 1000);
  in_sku = catalog_test_add (repository, "Ribbon", "2000-R", NULL, 50);
  kassa_catalog_item_set_description (described, "Lot 200055");
  in_description = kassa_catalog_repository_insert (repository, described, &error);
  g_assert_no_error (error);
  archived = g_array_index (barcoded, gint64, 7);
  g_assert_true (kassa_catalog_repository_archive (repository, archived, &error));
  g_assert_no_error (error);

  found = search_ids (fixture, repository, "2000", &match);
  expected = prefix_query_ids (fixture, "2000");
  g_assert_nonnull (match);
  g_assert_null (strstr (match, "MATCH"));
  g_assert_cmpuint (found->len, ==, 33);
  assert_same_id_set (found, expected);

  /* The name first (the voucher's barcode counts less), the SKU and
   * barcodes by name ("Ribbon" before "Tin 00"), the description last. */
  g_assert_cmpint (g_array_index (found, gint64, 0), ==, named);
  g_assert_cmpint (g_array_index (found, gint64, 1), ==, in_sku);
  g_assert_cmpint (g_array_index (found, gint64, 2), ==, g_array_index (barcoded, gint64, 29));
  g_assert_cmpint (g_array_index (found, gint64, 31), ==, g_array_index (barcoded, gint64, 0));
  g_assert_cmpint (g_array_index (found, gint64, 32), ==, in_description);

  /* As any search: the status filter, the limit. */
  items = kassa_catalog_repository_search (repository, "2000", KASSA_CATALOG_FILTER_ACTIVE, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 32);
  for (guint i = 0; i < items->len; i++)
    g_assert_cmpint (kassa_catalog_item_get_id (items->pdata[i]), !=, archived);
  g_clear_pointer (&items, g_ptr_array_unref);

  items = kassa_catalog_repository_search (repository, "2000", KASSA_CATALOG_FILTER_ARCHIVED, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpint (kassa_catalog_item_get_id (items->pdata[0]), ==, archived);
  g_clear_pointer (&items, g_ptr_array_unref);

  items = kassa_catalog_repository_search (repository, "2000", KASSA_CATALOG_FILTER_ANY, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 3);
  g_assert_cmpint (kassa_catalog_item_get_id (items->pdata[2]), ==, g_array_index (barcoded, gint64, 29));
  g_clear_pointer (&items, g_ptr_array_unref);
  g_clear_pointer (&found, g_array_unref);
  g_clear_pointer (&expected, g_array_unref);
  g_clear_pointer (&match, g_free);

  /* More rows than the search ranks: the first 500 in term order, the
   * term "2000" of the SKU, then the barcodes; "200055" and "200099"
   * come after every barcode, the voucher is found by its barcode. */
  g_assert_true (kassa_database_begin (fixture->database, &error));
  for (guint i = 0; i < 600; i++)
    {
      g_autofree char *name = g_strdup_printf ("Jar %03u", i);
      g_autofree char *code = g_strdup_printf ("2000000001%03u", i);

      catalog_test_add (repository, name, NULL, code, 100);
    }
  g_assert_true (kassa_database_commit (fixture->database, &error));
  g_assert_no_error (error);

  found = search_ids (fixture, repository, "2000", &match);
  expected = prefix_query_ids (fixture, "2000");
  g_assert_cmpuint (expected->len, ==, 633);
  g_assert_cmpuint (found->len, ==, 500);
  for (guint i = 0; i < found->len; i++)
    g_assert_true (ids_contain (expected, g_array_index (found, gint64, i)));
  g_assert_true (ids_contain (found, in_sku));
  g_assert_true (ids_contain (found, g_array_index (barcoded, gint64, 29)));
  g_assert_true (ids_contain (found, named));
  g_assert_false (ids_contain (found, in_description));
  g_clear_pointer (&found, g_array_unref);
  g_clear_pointer (&match, g_free);

  /* One more digit narrows the terms as the prefix query narrows. */
  found = search_ids (fixture, repository, "2000000001", &match);
  g_clear_pointer (&expected, g_array_unref);
  expected = prefix_query_ids (fixture, "2000000001");
  g_assert_cmpuint (expected->len, ==, 600);
  g_assert_cmpuint (found->len, ==, 500);
  for (guint i = 0; i < found->len; i++)
    g_assert_true (ids_contain (expected, g_array_index (found, gint64, i)));
}

/* Several words, one of them with terms in more rows than the search
 * merges quickly (digits of the barcodes): the other words make the
 * query, the rank looks for the digits in each row's text, and the
 * search finds what the prefix query finds, in the same order. */
static void
test_search_broad_word (CatalogFixture *fixture,
                        gconstpointer   data)
{
  static const struct {
    const char *text;
    /* What the MATCH holds and, when the digits are left out of it,
     * the words the rank looks for. */
    const char *match;
    const char *broad;
    guint       n_found;
  } cases[] = {
    { "2000 coffee", "\"coffee\"", "'2000'", 500 },
    { "COFFEE 2000", "\"coffee\"", "'2000'", 500 },
    { "2000 cof", "\"cof\"*", "'2000'", 500 },
    { "2000 coffee 20000001", "\"coffee\"", "'2000 20000001'", 500 },
    { "2000 edition", "\"edition\"", "'2000'", 2 },
    { "2000 tea tin", "\"tea\"* AND \"tin\"*", "'2000'", 500 },
    /* Digits in few rows stay in the query: FTS5 merges them quickly. */
    { "200000010000 coffee", "(\"2000000100000\" OR \"2000000100001\" OR \"2000000100002\" OR \"2000000100004\" OR \"2000000100005\" OR \"2000000100006\" OR \"2000000100008\" OR \"2000000100009\") AND \"coffee\"", NULL, 3 },
    { "2000000100 coffee", "\"2000000100\"* AND \"coffee\"", NULL, 250 },
    { "200000010 coffee", "\"coffee\"", "'200000010'", 500 },
    /* Up to the longest prefix index the digits stay too. */
    { "200 coffee", "\"200\"* AND \"coffee\"", NULL, 500 },
    /* Every word with many rows: the prefix query as it was. */
    { "2000 2000", "\"2000\"* AND \"2000\"*", NULL, 500 },
    /* A word without terms finds nothing. */
    { "2000 zzzz", NULL, NULL, 0 },
  };
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(GError) error = NULL;

  /* Three in four items have a barcode; of those, one in three is
   * coffee. Coffee without a barcode tests that the digits filter. */
  g_assert_true (kassa_database_begin (fixture->database, &error));
  for (guint i = 0; i < 2800; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s %04u", i % 3 == 0 ? "Coffee jar" : "Tea tin", i);
      g_autofree char *code = g_strdup_printf ("20000001%05u", i);

      catalog_test_add (repository, name, NULL, i % 4 == 3 ? NULL : code, 100);
    }
  add_described (repository, "Coffee 2000 edition", "Coffee, lot 2000");
  add_described (repository, "Coffee 1999 edition", NULL);
  add_described (repository, "Tea 2000 edition", "Lot 20001");
  g_assert_true (kassa_database_commit (fixture->database, &error));
  g_assert_no_error (error);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GArray) found = NULL;
      g_autoptr(GArray) expected = NULL;
      g_autofree char *match = NULL;

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, cases[i].text);
      found = search_ids (fixture, repository, cases[i].text, &match);
      expected = prefix_query_first_ids (fixture, cases[i].text, 500);

      /* The same items in the same order as the prefix query ranking
       * its first 500 matches, as the search did before. */
      assert_same_ids (found, expected);
      g_assert_cmpuint (found->len, ==, cases[i].n_found);

      if (cases[i].match == NULL)
        {
          g_assert_null (match);
        }
      else
        {
          g_autofree char *bound = g_strdup_printf ("MATCH '%s'", cases[i].match);

          g_assert_nonnull (match);
          if (strstr (match, bound) == NULL)
            g_error ("“%s” ran %s, not %s", cases[i].text, match, bound);
          if (cases[i].broad != NULL)
            {
              g_autofree char *rank = g_strdup_printf (", %s) AS score", cases[i].broad);

              if (strstr (match, rank) == NULL)
                g_error ("“%s” ran %s, without %s", cases[i].text, match, cases[i].broad);
            }
          else if (strstr (match, ") AS score") == NULL || strstr (match, "', '") != NULL)
            {
              g_error ("“%s” ran %s, looking for words outside the MATCH", cases[i].text, match);
            }
        }
    }

  /* The other word in more items than the search walks, few of the
   * first with the digits: those found are ranked, each a match the
   * prefix query ranks too. */
  g_assert_true (kassa_database_begin (fixture->database, &error));
  for (guint i = 0; i < 2500; i++)
    {
      g_autofree char *name = g_strdup_printf ("Plain mug %04u", i);
      g_autofree char *code = g_strdup_printf ("20000002%05u", i);

      catalog_test_add (repository, name, NULL, i < 1900 ? NULL : code, 100);
    }
  g_assert_true (kassa_database_commit (fixture->database, &error));
  g_assert_no_error (error);

  {
    g_autoptr(GArray) found = NULL;
    g_autoptr(GArray) expected = NULL;
    g_autofree char *match = NULL;

    found = search_ids (fixture, repository, "2000 plain", &match);
    expected = prefix_query_first_ids (fixture, "2000 plain", 500);
    g_assert_nonnull (strstr (match, "MATCH '\"plain\"'"));
    g_assert_cmpuint (expected->len, ==, 500);
    g_assert_cmpuint (found->len, ==, 100);
    for (guint i = 0; i < found->len; i++)
      g_assert_true (ids_contain (expected, g_array_index (found, gint64, i)));
  }
}

static void
test_search_empty_vocabulary (CatalogFixture *fixture,
                              gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(GArray) found = NULL;
  g_autofree char *match = NULL;

  found = search_ids (fixture, repository, "coffee", &match);
  g_assert_cmpuint (found->len, ==, 0);
  g_assert_null (match);
  g_clear_pointer (&found, g_array_unref);

  found = search_ids (fixture, repository, "co", &match);
  g_assert_cmpuint (found->len, ==, 0);
  g_assert_nonnull (match);
  g_clear_pointer (&found, g_array_unref);
  g_clear_pointer (&match, g_free);

  /* The first item is found at once, by a word of it longer than the
   * prefix indexes. */
  catalog_test_add (repository, "Coffee beans", "COF-1", NULL, 1299);
  found = search_ids (fixture, repository, "coffe", &match);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_nonnull (strstr (match, "MATCH '\"coffee\"'"));
}

/* Terms are read within the search's own transaction, so an item added
 * and not yet committed is found by its words too. */
static void
test_search_in_transaction (CatalogFixture *fixture,
                            gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(GArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *match = NULL;

  catalog_test_add (repository, "Rooibos", "ROO-1", NULL, 400);
  g_assert_true (kassa_database_begin (fixture->database, &error));
  catalog_test_add (repository, "Rooibos vanilla", "ROO-2", NULL, 450);
  found = search_ids (fixture, repository, "rooib vanil", &match);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_true (kassa_database_rollback (fixture->database, &error));
  g_clear_pointer (&found, g_array_unref);
  g_clear_pointer (&match, g_free);

  found = search_ids (fixture, repository, "vanil", &match);
  g_assert_cmpuint (found->len, ==, 0);
  g_assert_null (match);
}

static GBytes *
bytes_of (const char *text,
          gsize       length)
{
  return g_bytes_new (text, length);
}

static void
test_images (CatalogFixture *fixture,
             gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(GBytes) png = bytes_of ("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  g_autoptr(GBytes) jpeg = bytes_of ("\xFF\xD8\xFF\xE0\0\x10JFIF", 10);
  g_autoptr(GBytes) svg = bytes_of ("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>", 61);
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GError) error = NULL;
  gint64 item, first, second, third;

  item = catalog_test_add (repository, "Coffee beans", "COF-1", NULL, 1299);

  first = kassa_catalog_repository_add_image (repository, item, "image/png", png, &error);
  g_assert_no_error (error);
  second = kassa_catalog_repository_add_image (repository, item, "image/jpeg", jpeg, &error);
  g_assert_no_error (error);
  third = kassa_catalog_repository_add_image (repository, item, "image/svg+xml", svg, &error);
  g_assert_no_error (error);

  /* Type and bytes must agree, and only image types are stored. */
  g_assert_cmpint (kassa_catalog_repository_add_image (repository, item, "image/png", jpeg, &error), ==, 0);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (kassa_catalog_repository_add_image (repository, item, "text/html", svg, &error), ==, 0);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  images = kassa_catalog_repository_list_images (repository, item, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (images->len, ==, 3);
  g_assert_cmpint (((KassaCatalogImage *) images->pdata[0])->id, ==, first);
  g_assert_cmpstr (((KassaCatalogImage *) images->pdata[0])->media_type, ==, "image/png");
  g_assert_true (g_bytes_equal (((KassaCatalogImage *) images->pdata[0])->data, png));
  g_assert_cmpint (((KassaCatalogImage *) images->pdata[1])->position, ==, 1);
  g_assert_true (g_bytes_equal (((KassaCatalogImage *) images->pdata[1])->data, jpeg));
  g_clear_pointer (&images, g_ptr_array_unref);

  g_assert_true (kassa_catalog_repository_remove_image (repository, second, &error));
  g_assert_false (kassa_catalog_repository_remove_image (repository, second, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  images = kassa_catalog_repository_list_images (repository, item, &error);
  g_assert_cmpuint (images->len, ==, 2);
  g_assert_cmpint (((KassaCatalogImage *) images->pdata[1])->id, ==, third);
}

/* How many items the catalog holds, whatever their status. */
static guint
item_count (KassaCatalogRepository *repository)
{
  g_autoptr(GError) error = NULL;
  guint n_items = 0;

  g_assert_true (kassa_catalog_repository_count (repository, KASSA_CATALOG_FILTER_ANY, &n_items, &error));
  g_assert_no_error (error);
  return n_items;
}

static guint
search_count (KassaCatalogRepository *repository,
              const char             *text)
{
  g_autoptr(GPtrArray) found = kassa_catalog_repository_search (repository, text, KASSA_CATALOG_FILTER_ANY, 50, NULL);

  g_assert_nonnull (found);
  return found->len;
}

static void
test_bulk_insert (CatalogFixture *fixture,
                  gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(GError) error = NULL;

  /* Outside a transaction the pause would outlive the load. */
  g_assert_false (kassa_catalog_repository_begin_bulk_insert (repository, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_NO_TRANSACTION);
  g_clear_error (&error);

  catalog_test_add (repository, "Coffee beans", "COF-1", "4006381333931", 1299);

  g_assert_true (kassa_database_begin (fixture->database, &error));
  g_assert_true (kassa_catalog_repository_begin_bulk_insert (repository, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *name = g_strdup_printf ("Green tea %u", i);
      g_autofree char *sku = g_strdup_printf ("TEA-%u", i);

      catalog_test_add (repository, name, sku, NULL, 300 + i);
    }

  /* The unique indexes still refuse, with the friendly message. */
  {
    g_autoptr(KassaCatalogItem) twin = catalog_test_item ("Black tea", "TEA-7", NULL, 300);
    g_autoptr(KassaCatalogItem) copy = catalog_test_item ("Beans again", "COF-2", "4006381333931", 300);

    g_assert_cmpint (kassa_catalog_repository_insert (repository, twin, &error), ==, 0);
    g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
    g_assert_nonnull (strstr (error->message, "Green tea 7"));
    g_clear_error (&error);
    g_assert_cmpint (kassa_catalog_repository_insert (repository, copy, &error), ==, 0);
    g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
    g_assert_nonnull (strstr (error->message, "Coffee beans"));
    g_clear_error (&error);
  }

  /* Not searchable until the load ends; then all of them are. */
  g_assert_cmpuint (search_count (repository, "green"), ==, 0);
  g_assert_true (kassa_catalog_repository_end_bulk_insert (repository, &error));
  g_assert_no_error (error);
  g_assert_true (kassa_database_commit (fixture->database, &error));
  g_assert_cmpuint (search_count (repository, "green"), ==, 50);
  g_assert_cmpuint (search_count (repository, "tea 299"), ==, 1);
  g_assert_cmpuint (search_count (repository, "coffee"), ==, 1);
  g_assert_cmpuint (item_count (repository), ==, 301);
  g_assert_true (kassa_database_check_integrity (fixture->database, &error));
  g_assert_no_error (error);

  /* The trigger is back: a single insert is searchable at once. */
  catalog_test_add (repository, "Oolong", "OOL-1", NULL, 700);
  g_assert_cmpuint (search_count (repository, "oolong"), ==, 1);
  g_assert_true (kassa_database_exec (fixture->database,
                                      "INSERT INTO catalog_search (catalog_search, rank) VALUES ('integrity-check', 1)",
                                      &error));
  g_assert_no_error (error);
}

static void
test_bulk_insert_empty (CatalogFixture *fixture,
                        gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(GError) error = NULL;

  /* Into an empty catalog the index is rebuilt whole. */
  g_assert_true (kassa_database_begin (fixture->database, &error));
  g_assert_true (kassa_catalog_repository_begin_bulk_insert (repository, &error));
  for (guint i = 0; i < 120; i++)
    {
      g_autofree char *name = g_strdup_printf ("Rye bread %u", i);
      g_autofree char *code = g_strdup_printf ("200%09u7", i);

      catalog_test_add (repository, name, NULL, code, 300 + i);
    }
  g_assert_true (kassa_catalog_repository_end_bulk_insert (repository, &error));
  g_assert_no_error (error);
  g_assert_true (kassa_database_commit (fixture->database, &error));

  g_assert_cmpuint (search_count (repository, "ry"), ==, 50);
  g_assert_cmpuint (search_count (repository, "bread 119"), ==, 1);
  g_assert_cmpuint (search_count (repository, "2000000000117"), ==, 1);
  g_assert_true (kassa_database_exec (fixture->database,
                                      "INSERT INTO catalog_search (catalog_search, rank) VALUES ('integrity-check', 1)",
                                      &error));
  g_assert_no_error (error);

  /* Later single inserts and updates keep the index whole. */
  {
    g_autoptr(KassaCatalogItem) item = kassa_catalog_repository_get_by_barcode (repository, "2000000000117", &error);

    kassa_catalog_item_set_name (item, "Spelt loaf");
    g_assert_true (kassa_catalog_repository_update (repository, item, &error));
    g_assert_no_error (error);
    catalog_test_add (repository, "Rye crackers", "RYE-C", NULL, 250);
  }
  g_assert_cmpuint (search_count (repository, "spelt"), ==, 1);
  g_assert_cmpuint (search_count (repository, "rye crack"), ==, 1);
  g_assert_true (kassa_database_exec (fixture->database,
                                      "INSERT INTO catalog_search (catalog_search, rank) VALUES ('integrity-check', 1)",
                                      &error));
  g_assert_no_error (error);
}

static void
test_bulk_insert_rollback (CatalogFixture *fixture,
                           gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(KassaCatalogItem) item = catalog_test_item ("Rooibos", "ROO-1", NULL, 400);
  g_autoptr(GError) error = NULL;

  g_assert_true (kassa_database_begin (fixture->database, &error));
  g_assert_true (kassa_catalog_repository_begin_bulk_insert (repository, &error));
  g_assert_cmpint (kassa_catalog_repository_insert (repository, item, &error), >, 0);
  g_assert_no_error (error);

  /* Its search entry does not exist yet for an update to replace. */
  kassa_catalog_item_set_name (item, "Red bush tea");
  g_assert_false (kassa_catalog_repository_update (repository, item, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_true (kassa_database_rollback (fixture->database, &error));
  g_assert_true (kassa_catalog_repository_end_bulk_insert (repository, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (item_count (repository), ==, 0);
  catalog_test_add (repository, "Rooibos", "ROO-1", NULL, 400);
  g_assert_cmpuint (search_count (repository, "rooibos"), ==, 1);
  g_assert_true (kassa_database_check_integrity (fixture->database, &error));
  g_assert_no_error (error);
}


/* Saves @n_items items through insert_many in full batches and the rest
 * in a last, shorter one, the way a bulk import does. */
static void
insert_in_batches (KassaCatalogRepository *repository,
                   guint                   first,
                   guint                   n_items)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  for (guint i = first; i < first + n_items; i++)
    {
      static const char *words[] = { "Green", "Rooibos", "Black", "Roasted", "Oolong", "Tea", "Coffee", "Bread" };
      g_autofree char *name = g_strdup_printf ("%s %s %u", words[i % 8], words[(i / 8) % 8], i);
      g_autofree char *sku = g_strdup_printf ("B-%06u", i);
      g_autofree char *code = g_strdup_printf ("300%09u", i);
      g_autofree char *description = g_strdup_printf ("Batch %u, shelf %c%u", i % 977, 'A' + i % 26, i % 50);
      KassaCatalogItem *item = catalog_test_item (name, i % 5 == 0 ? NULL : sku, i % 3 == 0 ? NULL : code, 100 + i);

      kassa_catalog_item_set_description (item, description);
      g_ptr_array_add (batch, item);
      if (batch->len == KASSA_CATALOG_REPOSITORY_MAX_BATCH || i == first + n_items - 1)
        {
          g_assert_true (kassa_catalog_repository_insert_many (repository, (KassaCatalogItem **) batch->pdata,
                                                               batch->len, &error));
          g_assert_no_error (error);
          g_ptr_array_set_size (batch, 0);
        }
    }
}

static GArray *
found_ids (KassaCatalogRepository *repository,
           const char             *text)
{
  g_autoptr(GPtrArray) found = kassa_catalog_repository_search (repository, text, KASSA_CATALOG_FILTER_ANY, 200, NULL);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_assert_nonnull (found);
  for (guint i = 0; i < found->len; i++)
    {
      gint64 id = kassa_catalog_item_get_id (found->pdata[i]);

      g_array_append_val (ids, id);
    }

  return ids;
}

static void
assert_search_index_whole (KassaDatabase *database)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kassa_database_exec (database,
                                      "INSERT INTO catalog_search (catalog_search, rank) VALUES ('integrity-check', 1)",
                                      &error));
  g_assert_no_error (error);
}

static void
test_insert_many (CatalogFixture *fixture,
                  gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  KassaCatalogItem *items[KASSA_CATALOG_REPOSITORY_MAX_BATCH] = { NULL };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autofree char *name = g_strdup_printf ("Herbal tea %u", i);
      g_autofree char *sku = g_strdup_printf ("HRB-%u", i);

      items[i] = catalog_test_item (name, sku, NULL, 250 + i);
    }

  /* Only during a bulk load, whose unique indexes do the checking. */
  g_assert_true (kassa_database_begin (fixture->database, &error));
  g_assert_false (kassa_catalog_repository_insert_many (repository, items, 4, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_FAILED);
  g_clear_error (&error);

  catalog_test_add (repository, "Peppermint", "PEP-1", "4006381333931", 199);
  g_assert_true (kassa_catalog_repository_begin_bulk_insert (repository, &error));

  /* A SKU the store holds refuses the whole batch, and nothing of it stays. */
  kassa_catalog_item_set_sku (items[40], "PEP-1");
  g_assert_false (kassa_catalog_repository_insert_many (repository, items, G_N_ELEMENTS (items), &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpuint (item_count (repository), ==, 1);
  g_assert_cmpint (kassa_catalog_item_get_id (items[0]), ==, 0);

  /* So does a SKU twice in the batch, or an item that does not validate. */
  kassa_catalog_item_set_sku (items[40], "HRB-3");
  g_assert_false (kassa_catalog_repository_insert_many (repository, items, G_N_ELEMENTS (items), &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  kassa_catalog_item_set_sku (items[40], "HRB-40");
  kassa_catalog_item_set_price (items[63], -1);
  g_assert_false (kassa_catalog_repository_insert_many (repository, items, G_N_ELEMENTS (items), &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (item_count (repository), ==, 1);

  /* A full batch, then a short one: ids follow on, in order. */
  kassa_catalog_item_set_price (items[63], 313);
  g_assert_true (kassa_catalog_repository_insert_many (repository, items, G_N_ELEMENTS (items), &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    g_assert_cmpint (kassa_catalog_item_get_id (items[i]), ==, 2 + i);
  g_assert_true (kassa_catalog_repository_insert_many (repository, items, 0, &error));
  g_assert_no_error (error);
  {
    g_autoptr(KassaCatalogItem) one = catalog_test_item ("Chamomile", "CHA-1", "4006381333948", 180);
    g_autoptr(KassaCatalogItem) read = NULL;

    g_assert_true (kassa_catalog_repository_insert_many (repository, &one, 1, &error));
    g_assert_no_error (error);
    g_assert_cmpint (kassa_catalog_item_get_id (one), ==, 66);
    read = kassa_catalog_repository_get (repository, 66, &error);
    g_assert_cmpstr (kassa_catalog_item_get_name (read), ==, "Chamomile");
    g_assert_cmpstr (kassa_catalog_item_get_barcode (read), ==, "4006381333948");
    g_assert_cmpint (kassa_catalog_item_get_price (read), ==, 180);
  }

  g_assert_true (kassa_catalog_repository_end_bulk_insert (repository, &error));
  g_assert_no_error (error);
  g_assert_true (kassa_database_commit (fixture->database, &error));

  {
    g_autoptr(KassaCatalogItem) last = kassa_catalog_repository_get_by_sku (repository, "HRB-63", &error);

    g_assert_cmpstr (kassa_catalog_item_get_name (last), ==, "Herbal tea 63");
    g_assert_cmpint (kassa_catalog_item_get_price (last), ==, 313);
    g_assert_null (kassa_catalog_item_get_barcode (last));
    g_assert_cmpint (kassa_catalog_item_get_status (last), ==, KASSA_ITEM_STATUS_ACTIVE);
  }
  g_assert_cmpuint (search_count (repository, "herbal"), ==, 50);
  g_assert_cmpuint (search_count (repository, "herbal 63"), ==, 1);
  g_assert_cmpuint (search_count (repository, "chamomile"), ==, 1);
  assert_search_index_whole (fixture->database);

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    g_object_unref (items[i]);
}

/* A load rolled back while its index is being built: the thread stops,
 * nothing of the load stays, and the next load builds its index again. */
static void
test_bulk_search_rollback (CatalogFixture *fixture,
                           gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(GError) error = NULL;

  g_assert_true (kassa_database_begin (fixture->database, &error));
  g_assert_true (kassa_catalog_repository_begin_bulk_insert (repository, &error));
  insert_in_batches (repository, 1, 3000);
  g_assert_true (kassa_database_rollback (fixture->database, &error));
  g_assert_true (kassa_catalog_repository_end_bulk_insert (repository, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (item_count (repository), ==, 0);
  g_assert_cmpuint (search_count (repository, "rooibos"), ==, 0);
  assert_search_index_whole (fixture->database);

  g_assert_true (kassa_database_begin (fixture->database, &error));
  g_assert_true (kassa_catalog_repository_begin_bulk_insert (repository, &error));
  insert_in_batches (repository, 1, 2000);
  g_assert_true (kassa_catalog_repository_end_bulk_insert (repository, &error));
  g_assert_no_error (error);
  g_assert_true (kassa_database_commit (fixture->database, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (item_count (repository), ==, 2000);
  g_assert_cmpuint (search_count (repository, "B-001999"), ==, 1);
  g_assert_cmpuint (search_count (repository, "rooibos bread 505"), ==, 1);
  assert_search_index_whole (fixture->database);
  g_assert_true (kassa_database_check_integrity (fixture->database, &error));
  g_assert_no_error (error);
}

/* The index built beside a load into an empty catalog answers every
 * search as the one the trigger keeps row by row. */
static void
test_bulk_search_as_trigger (CatalogFixture *fixture,
                             gconstpointer   data)
{
  static const char *queries[] = {
    "r", "ro", "roo", "rooibos tea", "tea", "green b", "shelf a1", "batch 7", "b-000", "B-000517",
    "300000000041", "coffee bread 1", "t", "oolong roasted",
  };
  g_autoptr(KassaCatalogRepository) bulk = kassa_catalog_repository_new (fixture->database);
  g_autoptr(KassaCatalogRepository) rows = NULL;
  g_autoptr(KassaDatabase) other = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "rows.db", NULL);
  g_autoptr(GError) error = NULL;

  other = kassa_database_open (path, &error);
  g_assert_no_error (error);
  rows = kassa_catalog_repository_new (other);

  /* More than one hand-over to the indexing thread (1,024 rows). */
  g_assert_true (kassa_database_begin (fixture->database, &error));
  g_assert_true (kassa_catalog_repository_begin_bulk_insert (bulk, &error));
  insert_in_batches (bulk, 1, 1500);
  g_assert_true (kassa_catalog_repository_end_bulk_insert (bulk, &error));
  g_assert_no_error (error);
  g_assert_true (kassa_database_commit (fixture->database, &error));

  g_assert_true (kassa_database_begin (other, &error));
  for (guint i = 1; i <= 1500; i++)
    {
      static const char *words[] = { "Green", "Rooibos", "Black", "Roasted", "Oolong", "Tea", "Coffee", "Bread" };
      g_autofree char *name = g_strdup_printf ("%s %s %u", words[i % 8], words[(i / 8) % 8], i);
      g_autofree char *sku = g_strdup_printf ("B-%06u", i);
      g_autofree char *code = g_strdup_printf ("300%09u", i);
      g_autofree char *description = g_strdup_printf ("Batch %u, shelf %c%u", i % 977, 'A' + i % 26, i % 50);
      g_autoptr(KassaCatalogItem) item = catalog_test_item (name, i % 5 == 0 ? NULL : sku, i % 3 == 0 ? NULL : code, 100 + i);

      kassa_catalog_item_set_description (item, description);
      g_assert_cmpint (kassa_catalog_repository_insert (rows, item, &error), ==, i);
    }
  g_assert_true (kassa_database_commit (other, &error));

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GArray) expected = found_ids (rows, queries[q]);
      g_autoptr(GArray) found = found_ids (bulk, queries[q]);

      g_test_message ("“%s”: %u results", queries[q], expected->len);
      g_assert_cmpuint (expected->len, >, 0);
      g_assert_cmpmem (found->data, found->len * sizeof (gint64), expected->data, expected->len * sizeof (gint64));
    }
  assert_search_index_whole (fixture->database);
  g_assert_true (kassa_database_check_integrity (fixture->database, &error));
  g_assert_no_error (error);
}

/* A load large enough for FTS5 to write its hash out several times. */
static void
test_bulk_search_chunks (CatalogFixture *fixture,
                         gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;

  /* A search before the load has FTS5 hold the empty index in memory,
   * and a setting of the index must outlive the load. */
  g_assert_cmpuint (search_count (repository, "rooibos"), ==, 0);
  g_assert_true (kassa_database_exec (fixture->database,
                                      "INSERT INTO catalog_search (catalog_search, rank) VALUES ('automerge', 8)",
                                      &error));
  g_assert_no_error (error);

  g_assert_true (kassa_database_begin (fixture->database, &error));
  g_assert_true (kassa_catalog_repository_begin_bulk_insert (repository, &error));
  insert_in_batches (repository, 1, 40000);
  /* The one-by-one path feeds the index too. */
  catalog_test_add (repository, "Lapsang souchong", "LAP-1", NULL, 640);
  g_assert_true (kassa_catalog_repository_end_bulk_insert (repository, &error));
  g_assert_no_error (error);
  g_assert_true (kassa_database_commit (fixture->database, &error));

  g_assert_cmpuint (item_count (repository), ==, 40001);
  g_assert_cmpuint (search_count (repository, "B-000001"), ==, 1);
  g_assert_cmpuint (search_count (repository, "B-039999"), ==, 1);
  g_assert_cmpuint (search_count (repository, "rooibos bread 39993"), ==, 1);
  g_assert_cmpuint (search_count (repository, "lapsang"), ==, 1);
  assert_search_index_whole (fixture->database);

  stmt = kassa_database_prepare (fixture->database, "SELECT v FROM catalog_search_config WHERE k = 'automerge'",
                                 &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 8);
  g_clear_pointer (&stmt, kassa_statement_release);

  /* Later items are indexed one by one again. */
  catalog_test_add (repository, "Darjeeling", "DAR-1", NULL, 720);
  g_assert_cmpuint (search_count (repository, "darjeeling"), ==, 1);
  assert_search_index_whole (fixture->database);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/catalog-repository/" path, CatalogFixture, NULL, \
              catalog_fixture_set_up, func, catalog_fixture_tear_down)

  ADD ("insert-and-get", test_insert_and_get);
  ADD ("recurring-service", test_recurring_service);
  ADD ("invalid-item-refused", test_invalid_item_refused);
  ADD ("unique-sku-and-barcode", test_unique_sku_and_barcode);
  ADD ("update-and-lookups", test_update_and_lookups);
  ADD ("archive-and-list", test_archive_and_list);
  ADD ("search", test_search);
  ADD ("search-ranking", test_search_ranking);
  ADD ("search-expansion", test_search_expansion);
  ADD ("search-expansion-random", test_search_expansion_random);
  ADD ("search-many-terms", test_search_many_terms);
  ADD ("search-broad-word", test_search_broad_word);
  ADD ("search-empty-vocabulary", test_search_empty_vocabulary);
  ADD ("search-in-transaction", test_search_in_transaction);
  ADD ("images", test_images);
  ADD ("bulk-insert", test_bulk_insert);
  ADD ("bulk-insert-rollback", test_bulk_insert_rollback);
  ADD ("bulk-insert-empty", test_bulk_insert_empty);
  ADD ("insert-many", test_insert_many);
  ADD ("bulk-search-as-trigger", test_bulk_search_as_trigger);
  ADD ("bulk-search-chunks", test_bulk_search_chunks);
  ADD ("bulk-search-rollback", test_bulk_search_rollback);

  return g_test_run ();
}
