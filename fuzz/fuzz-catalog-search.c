/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The catalog search as the till runs it, on a real store: whatever a
 * cashier types, each of its paths — prefixes the index keeps, words
 * expanded into the index's terms, a word with more terms than that
 * takes, digits in thousands of barcodes alone or with other words —
 * answers without an error, within the limit, with items that exist. */
#include "config.h"

#include <stdint.h>

#include "kassa-catalog-repository.h"
#include "kassa-database.h"

#include "kassa-fuzz.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define N_ITEMS 2600
#define LIMIT 20

static KassaDatabase *database;
static KassaCatalogRepository *catalog;

static void
remove_store (void)
{
  g_clear_object (&catalog);
  database = NULL;
  kassa_fuzz_store_remove ();
}

/* Enough items that barcode digits have thousands of terms, and words
 * with accents, scripts, quotes and more terms than one expansion holds. */
static void
set_up (void)
{
  static const char *words[] = {
    "Café", "crème", "Coffee", "Cookies", "Cocoa", "Coconut", "Cola", "Cold", "Colombia", "Comté",
    "Corn", "Cotton", "Couscous", "Crab", "Cranberry", "Cream", "Crisps", "Croissant", "Cucumber",
    "Curry", "日本茶", "Чай", "شاي", "\"Earl", "Grey\"", "AND", "NEAR", "Tee",
  };
  g_autoptr(GError) error = NULL;

  database = kassa_fuzz_store_open ("kassa-fuzz-search-XXXXXX");
  catalog = kassa_catalog_repository_new (database);

  g_assert (kassa_database_begin (database, &error));
  for (guint n = 1; n <= N_ITEMS; n++)
    {
      g_autofree char *name = g_strdup_printf ("%s %s %u", words[n % G_N_ELEMENTS (words)],
                                               words[(n / 7) % G_N_ELEMENTS (words)], n);
      g_autofree char *sku = g_strdup_printf ("SKU-%05u", n);
      g_autofree char *barcode = g_strdup_printf ("2000%09u", n);
      g_autofree char *description = g_strdup_printf ("Batch %u, shelf %c%u", n % 97, 'A' + n % 26, n % 50);
      g_autoptr(KassaCatalogItem) item = g_object_new (KASSA_TYPE_CATALOG_ITEM,
                                                       "name", name,
                                                       "sku", sku,
                                                       "barcode", barcode,
                                                       "description", description,
                                                       "price", (gint64) (100 + n),
                                                       "currency-code", "EUR",
                                                       "status", n % 10 == 0 ? KASSA_ITEM_STATUS_DRAFT
                                                                             : KASSA_ITEM_STATUS_ACTIVE,
                                                       NULL);

      kassa_catalog_repository_insert (catalog, item, &error);
      g_assert_no_error (error);
    }
  g_assert (kassa_database_commit (database, &error));
  g_assert_no_error (error);

  atexit (remove_store);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *text = g_strndup ((const char *) data, size);

  kassa_fuzz_init ();

  if (database == NULL)
    set_up ();

  found = kassa_catalog_repository_search (catalog, text, KASSA_CATALOG_FILTER_ACTIVE, LIMIT, &error);
  if (found == NULL)
    g_error ("Searching for «%s» failed: %s", text, error != NULL ? error->message : "no error");

  g_assert_cmpuint (found->len, <=, LIMIT);
  for (guint i = 0; i < found->len; i++)
    {
      KassaCatalogItem *item = g_ptr_array_index (found, i);

      g_assert_cmpint (kassa_catalog_item_get_id (item), >=, 1);
      g_assert_cmpint (kassa_catalog_item_get_id (item), <=, N_ITEMS);
      g_assert_cmpint (kassa_catalog_item_get_status (item), ==, KASSA_ITEM_STATUS_ACTIVE);
    }

  return 0;
}
