/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The search box: whatever a cashier types (or a scanner sends), the
 * query built from it parses in a real FTS5 MATCH over an index made
 * like the catalog's, and runs without an SQL error. */
#include "config.h"

#include <stdint.h>

#include <sqlite3.h>

#include "kassa-catalog-query.h"

#include "kassa-fuzz.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static sqlite3 *db;
static sqlite3_stmt *match;

static void
exec_or_die (const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* The same tokenizer and prefix indexes as the catalog_search table of
 * the schema, with a few rows so a MATCH has something to walk. */
static void
set_up (void)
{
  if (sqlite3_open (":memory:", &db) != SQLITE_OK)
    g_error ("Cannot open an in-memory database");

  exec_or_die ("CREATE VIRTUAL TABLE catalog_search USING fts5 ("
               "  name, sku, barcode, description,"
               "  tokenize = 'unicode61 remove_diacritics 2',"
               "  prefix = '1 2 3')");
  exec_or_die ("INSERT INTO catalog_search (name, sku, barcode, description) VALUES "
               "('Café crème', 'CAF-1', '4006381333931', 'Bohnen, 1 kg'),"
               "('Tee \"Earl Grey\"', 'TEA-2', '', 'AND OR NOT NEAR'),"
               "('日本茶', 'JP-3', '4901234567894', 'sencha * ^ ( )')");

  if (sqlite3_prepare_v2 (db,
                          "SELECT rowid, bm25 (catalog_search, 10.0, 5.0, 5.0, 1.0) "
                          "FROM catalog_search WHERE catalog_search MATCH ?1",
                          -1, &match, NULL) != SQLITE_OK)
    g_error ("Cannot prepare the MATCH: %s", sqlite3_errmsg (db));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *query = NULL;
  int rc;

  kassa_fuzz_init ();

  if (db == NULL)
    set_up ();

  query = kassa_catalog_search_build_query (text);
  if (query == NULL)
    return 0;

  g_assert (g_utf8_validate (query, -1, NULL));

  sqlite3_reset (match);
  sqlite3_bind_text (match, 1, query, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (match)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    g_error ("The query «%s» built from «%s» failed: %s", query, text, sqlite3_errmsg (db));

  return 0;
}
