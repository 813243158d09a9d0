/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-catalog-model.h"
#include "catalog-test-utils.h"

/* Adds @n active items named "Item 00001" … with SKUs S00001 …, one in
 * ten of them a draft. */
static void
add_items (KassaDatabase *database,
           guint          n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf (
    "WITH RECURSIVE seq (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %u) "
    "INSERT INTO catalog_item (kind, name, sku, price, currency, tax_rate, status, created_at, updated_at) "
    "SELECT 'product', printf ('Item %%05d', n), printf ('S%%05d', n), n, 'EUR', 200000, "
    "CASE WHEN n %% 10 = 0 THEN 'draft' ELSE 'active' END, '2026-01-01T00:00:00.000000Z', "
    "'2026-01-01T00:00:00.000000Z' FROM seq", n);

  g_assert_true (kassa_database_exec (database, sql, &error));
  g_assert_no_error (error);
}

typedef struct
{
  guint calls;
  guint position;
  guint removed;
  guint added;
} Changes;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->calls++;
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
}

static const char *
name_at (GListModel *model,
         guint       position)
{
  g_autoptr(KassaCatalogItem) item = g_list_model_get_item (model, position);
  static char name[64];

  g_assert_nonnull (item);
  g_strlcpy (name, kassa_catalog_item_get_name (item), sizeof name);
  return name;
}

static void
test_paging (CatalogFixture *fixture,
             gconstpointer   data)
{
  g_autoptr(KassaCatalogModel) model = NULL;
  GListModel *list;
  gpointer past_end;

  add_items (fixture->database, 2500);
  model = kassa_catalog_model_new (fixture->database);
  list = G_LIST_MODEL (model);

  g_assert_true (g_list_model_get_item_type (list) == KASSA_TYPE_CATALOG_ITEM);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2500);
  /* Counting reads no page. */
  g_assert_cmpuint (kassa_catalog_model_get_n_cached_pages (model), ==, 0);

  g_assert_cmpstr (name_at (list, 0), ==, "Item 00001");
  g_assert_cmpstr (name_at (list, 199), ==, "Item 00200");
  g_assert_cmpuint (kassa_catalog_model_get_n_cached_pages (model), ==, 1);
  g_assert_cmpstr (name_at (list, 200), ==, "Item 00201");
  g_assert_cmpstr (name_at (list, 2499), ==, "Item 02500");
  g_assert_cmpuint (kassa_catalog_model_get_n_cached_pages (model), ==, 3);

  past_end = g_list_model_get_item (list, 2500);
  g_assert_null (past_end);

  /* Walking the whole list keeps only the most recent pages. */
  for (guint i = 0; i < 2500; i++)
    {
      g_autoptr(KassaCatalogItem) item = g_list_model_get_item (list, i);
      g_autofree char *expected = g_strdup_printf ("S%05u", i + 1);

      g_assert_cmpstr (kassa_catalog_item_get_sku (item), ==, expected);
    }
  g_assert_cmpuint (kassa_catalog_model_get_n_cached_pages (model), ==, KASSA_CATALOG_MODEL_MAX_PAGES);

  /* The page used last survives; the first was evicted and comes back. */
  g_assert_cmpstr (name_at (list, 0), ==, "Item 00001");
  g_assert_cmpuint (kassa_catalog_model_get_n_cached_pages (model), ==, KASSA_CATALOG_MODEL_MAX_PAGES);
}

static void
test_filter_and_search (CatalogFixture *fixture,
                        gconstpointer   data)
{
  g_autoptr(KassaCatalogModel) model = NULL;
  GListModel *list;
  Changes changes = { 0 };

  add_items (fixture->database, 300);
  model = kassa_catalog_model_new (fixture->database);
  list = G_LIST_MODEL (model);
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &changes);

  kassa_catalog_model_set_filter (model, KASSA_CATALOG_FILTER_DRAFT);
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (changes.removed, ==, 300);
  g_assert_cmpuint (changes.added, ==, 30);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 30);
  g_assert_cmpstr (name_at (list, 0), ==, "Item 00010");

  kassa_catalog_model_set_filter (model, KASSA_CATALOG_FILTER_ACTIVE);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 270);

  kassa_catalog_model_set_search_text (model, "item 0012");
  g_assert_cmpstr (kassa_catalog_model_get_search_text (model), ==, "item 0012");
  /* 00120 … 00129, less the draft 00120. */
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 9);
  g_assert_null (g_list_model_get_item (list, 9));

  kassa_catalog_model_set_search_text (model, "s0029");
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 9);

  kassa_catalog_model_set_search_text (model, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 270);
}

static void
test_reload (CatalogFixture *fixture,
             gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(KassaCatalogModel) model = NULL;
  Changes changes = { 0 };

  add_items (fixture->database, 10);
  model = kassa_catalog_model_new (fixture->database);
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  g_assert_cmpstr (name_at (G_LIST_MODEL (model), 0), ==, "Item 00001");

  catalog_test_add (repository, "Aardvark plush", "AAR-1", NULL, 1500);

  /* Not told yet: the cached page still answers. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 10);
  g_assert_cmpuint (changes.calls, ==, 0);

  kassa_catalog_model_reload (model);
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.removed, ==, 10);
  g_assert_cmpuint (changes.added, ==, 11);
  g_assert_cmpstr (name_at (G_LIST_MODEL (model), 0), ==, "Aardvark plush");
}

static void
test_paging_with_ties (CatalogFixture *fixture,
                       gconstpointer   data)
{
  g_autoptr(KassaCatalogModel) model = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *list;
  gint64 previous_id = 0;
  int previous_order = -1;

  /* Same name everywhere, three sort orders: only the id breaks ties. */
  g_assert_true (kassa_database_exec (fixture->database,
                                      "WITH RECURSIVE seq (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 1900) "
                                      "INSERT INTO catalog_item (kind, name, price, currency, tax_rate, status, sort_order, "
                                      "created_at, updated_at) SELECT 'product', 'Same', 1, 'EUR', 0, 'active', n % 3, "
                                      "'2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z' FROM seq",
                                      &error));
  g_assert_no_error (error);

  model = kassa_catalog_model_new (fixture->database);
  list = G_LIST_MODEL (model);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1900);

  /* Forwards, then pages again after they were evicted (read from the
   * anchors of their predecessors). */
  for (guint round = 0; round < 2; round++)
    {
      previous_id = 0;
      previous_order = -1;
      for (guint i = 0; i < 1900; i++)
        {
          g_autoptr(KassaCatalogItem) item = g_list_model_get_item (list, i);
          int order = kassa_catalog_item_get_sort_order (item);
          gint64 id = kassa_catalog_item_get_id (item);

          g_assert_true (order > previous_order || (order == previous_order && id > previous_id));
          previous_order = order;
          previous_id = id;
        }
    }

  /* A jump far ahead lands on the same rows as reading from the start. */
  {
    g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
    g_autoptr(GPtrArray) direct = kassa_catalog_repository_list (repository, KASSA_CATALOG_FILTER_ANY, 1700, 1, &error);
    g_autoptr(KassaCatalogItem) jumped = NULL;

    kassa_catalog_model_reload (model);
    g_assert_cmpstr (name_at (list, 0), ==, "Same");
    jumped = g_list_model_get_item (list, 1700);
    g_assert_cmpint (kassa_catalog_item_get_id (jumped), ==, kassa_catalog_item_get_id (direct->pdata[0]));
  }
}

static void
test_empty_catalog (CatalogFixture *fixture,
                    gconstpointer   data)
{
  g_autoptr(KassaCatalogModel) model = kassa_catalog_model_new (fixture->database);
  Changes changes = { 0 };

  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 0));

  /* Nothing to say when nothing changed. */
  kassa_catalog_model_reload (model);
  g_assert_cmpuint (changes.calls, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/catalog-model/" path, CatalogFixture, NULL, \
              catalog_fixture_set_up, func, catalog_fixture_tear_down)

  ADD ("paging", test_paging);
  ADD ("paging-with-ties", test_paging_with_ties);
  ADD ("filter-and-search", test_filter_and_search);
  ADD ("reload", test_reload);
  ADD ("empty-catalog", test_empty_catalog);

  return g_test_run ();
}
