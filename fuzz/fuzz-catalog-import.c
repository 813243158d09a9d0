/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Product files from anywhere: the first byte picks the format ('j' for
 * JSON, anything else CSV), the rest is the file. Any file is imported
 * or refused with an error, never half of it, and never a crash. Each
 * import runs inside a transaction that is rolled back, so every input
 * meets the same store. */
#include "config.h"

#include <stdint.h>
#include <unistd.h>

#include "kassa-catalog-import.h"
#include "kassa-catalog-repository.h"
#include "kassa-database.h"

#include "kassa-fuzz.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static KassaDatabase *database;
static KassaCatalogRepository *catalog;

static void
remove_store (void)
{
  g_clear_object (&catalog);
  database = NULL;
  kassa_fuzz_store_remove ();
}

static void
set_up (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaCatalogItem) existing = NULL;

  database = kassa_fuzz_store_open ("kassa-fuzz-import-XXXXXX");
  catalog = kassa_catalog_repository_new (database);

  /* One item already there, so updates and duplicate SKUs are reachable. */
  existing = g_object_new (KASSA_TYPE_CATALOG_ITEM,
                           "name", "Coffee beans",
                           "sku", "COF-1",
                           "barcode", "4006381333931",
                           "price", 1295,
                           "currency-code", "EUR",
                           NULL);
  kassa_catalog_repository_insert (catalog, existing, &error);
  g_assert_no_error (error);

  atexit (remove_store);
}

static guint
count_items (void)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert (kassa_catalog_repository_count (catalog, KASSA_CATALOG_FILTER_ANY, &n, &error));
  g_assert_no_error (error);

  return n;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  KassaCatalogImportResult result = { 0 };
  KassaCatalogFormat format;
  KassaCatalogImportFlags flags;
  guint before;
  gboolean ok;

  kassa_fuzz_init ();

  if (size < 1)
    return 0;
  if (database == NULL)
    set_up ();

  format = data[0] == 'j' ? KASSA_CATALOG_FORMAT_JSON : KASSA_CATALOG_FORMAT_CSV;
  flags = (data[0] & 0x80) ? KASSA_CATALOG_IMPORT_UPDATE_EXISTING : KASSA_CATALOG_IMPORT_NONE;
  stream = g_memory_input_stream_new_from_data (data + 1, size - 1, NULL);

  before = count_items ();
  g_assert (kassa_database_begin (database, &error));
  ok = kassa_catalog_import (database, stream, format, flags, NULL, NULL, &result, NULL, &error);

  /* Refused with a reason, or imported; nothing in between. */
  if (ok)
    {
      g_assert_no_error (error);
      g_assert_cmpuint (count_items (), ==, before + result.n_added);
    }
  else
    {
      g_assert (error != NULL && error->message != NULL && *error->message != '\0');
      g_clear_error (&error);
      g_assert_cmpuint (count_items (), ==, before);
    }

  g_assert (kassa_database_rollback (database, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_items (), ==, before);

  return 0;
}
