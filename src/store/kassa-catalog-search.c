/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The catalog search: the kassa_rank() function of the index, the
 * expansion of typed words into the index's terms, the narrowed and
 * the term-walking searches, and kassa_catalog_repository_search(). */
#define G_LOG_DOMAIN "kassa-catalog-search"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kassa-catalog-query.h"
#include "kassa-catalog-repository-private.h"
#include "kassa-store-error.h"

/* How many matches of the index a search ranks. A one-letter prefix
 * matches a large part of a big catalog; ranking all of it would take
 * far longer than a keystroke. */
#define SEARCH_CANDIDATES 500

/* The longest prefix catalog_search keeps an index for (prefix='1 2 3'),
 * in characters. A longer typed word is looked up among the index's
 * terms instead (see expand_word). */
#define SEARCH_PREFIX_INDEX_CHARS 3

/* The most terms a typed word is expanded into. Each costs a seek in
 * the index; a word with more keeps its prefix query, which is slow
 * only when the terms' rows are many (a run of digits of the barcodes),
 * rarely typed into the search box. */
#define SEARCH_MAX_EXPANSION 16

/* A word with more terms than SEARCH_MAX_EXPANSION, typed with others,
 * is left out of the query when more rows than this hold its terms
 * (see search_narrowed); FTS5 merges fewer quickly. */
#define SEARCH_BROAD_ROWS 2000

/* How many matches of the other words a search walks to find the
 * SEARCH_CANDIDATES that also hold the broad words. */
#define SEARCH_NARROWED_ROWS (4 * SEARCH_CANDIDATES)

/* How many occurrences of one term the expansion walks before it seeks
 * past the term: about what a seek costs in a catalog of a million. */
#define SEARCH_TERM_STEPS 32

/* Column weights of the search ranking, in catalog_search column order:
 * the name weighs most, the description least. */
static const double rank_weights[] = { 10.0, 5.0, 5.0, 1.0 };
#define RANK_MAX_WORDS KASSA_CATALOG_SEARCH_MAX_TOKENS
#define RANK_N_COLUMNS G_N_ELEMENTS (rank_weights)

typedef struct
{
  double average_size[RANK_N_COLUMNS];
} RankAverages;

/* The prefixes of the words kassa_rank() looks for in a row's text, and
 * how many tokens of one column start with each. */
typedef struct
{
  const char *prefixes[RANK_MAX_WORDS];
  int         lengths[RANK_MAX_WORDS];
  int         n_prefixes;
  int         counts[RANK_MAX_WORDS];
} RankPrefixes;

static int
count_prefix_cb (void       *user_data,
                 int         flags,
                 const char *token,
                 int         n_token,
                 int         start,
                 int         end)
{
  RankPrefixes *prefixes = user_data;

  if ((flags & FTS5_TOKEN_COLOCATED) != 0)
    return SQLITE_OK;

  for (int i = 0; i < prefixes->n_prefixes; i++)
    {
      if (n_token >= prefixes->lengths[i] &&
          memcmp (token, prefixes->prefixes[i], prefixes->lengths[i]) == 0)
        prefixes->counts[i]++;
    }

  return SQLITE_OK;
}

/* kassa_rank(catalog_search [, phrase_words [, prefixes]]): Okapi BM25 (k1 = 1.2,
 * b = 0.75) over the weighted columns, as FTS5's bm25() computes it, but
 * with the same inverse document frequency for every word. bm25() counts
 * the rows matching each word first — for a one-letter prefix, most of
 * a big catalog — which alone takes longer than a keystroke. Every word
 * of a catalog search must match, so the frequency would only weigh the
 * words against each other. Lower is better, as with bm25().
 *
 * phrase_words, a blob, holds for each phrase of the query the typed
 * word it stands for: a word expanded into several terms counts the
 * instances of all of them, as its prefix query did. Without it each
 * phrase is a word.
 *
 * prefixes, text, holds words left out of the query, folded and
 * separated by spaces: words with so many terms that FTS5 would merge
 * the rows of all of them first. The row's own text, tokenized as the
 * index did, gives their counts, as the instances of a prefix query
 * would; a row without one of them scores NULL, as a prefix query would
 * not have matched it. */
static void
rank_function (const Fts5ExtensionApi  *api,
               Fts5Context             *fts,
               sqlite3_context         *context,
               int                      n_values,
               sqlite3_value          **values)
{
  const double k1 = 1.2, b = 0.75;
  int counts[RANK_MAX_WORDS][RANK_N_COLUMNS] = { { 0 } };
  const guint8 *phrase_words = NULL;
  int n_phrase_words = 0;
  int prefix_counts[RANK_MAX_WORDS][RANK_N_COLUMNS] = { { 0 } };
  RankPrefixes prefixes = { 0 };
  RankAverages *averages;
  int n_phrases, n_columns, n_inst;
  double score = 0.0;

  if (n_values > 0 && sqlite3_value_type (values[0]) == SQLITE_BLOB)
    {
      phrase_words = sqlite3_value_blob (values[0]);
      n_phrase_words = sqlite3_value_bytes (values[0]);
    }

  if (n_values > 1 && sqlite3_value_type (values[1]) == SQLITE_TEXT)
    {
      const char *text = (const char *) sqlite3_value_text (values[1]);

      for (const char *p = text; *p != '\0' && prefixes.n_prefixes < RANK_MAX_WORDS; )
        {
          const char *end = strchr (p, ' ');
          int length = end != NULL ? end - p : (int) strlen (p);

          if (length > 0)
            {
              prefixes.prefixes[prefixes.n_prefixes] = p;
              prefixes.lengths[prefixes.n_prefixes] = length;
              prefixes.n_prefixes++;
            }
          p += length;
          if (*p == ' ')
            p++;
        }
    }

  n_phrases = api->xPhraseCount (fts);
  n_columns = MIN (api->xColumnCount (fts), (int) RANK_N_COLUMNS);

  averages = api->xGetAuxdata (fts, 0);
  if (averages == NULL)
    {
      sqlite3_int64 n_rows = 0;

      averages = g_new0 (RankAverages, 1);
      if (api->xRowCount (fts, &n_rows) == SQLITE_OK && n_rows > 0)
        {
          for (int column = 0; column < n_columns; column++)
            {
              sqlite3_int64 total = 0;

              api->xColumnTotalSize (fts, column, &total);
              averages->average_size[column] = (double) total / n_rows;
            }
        }

      if (api->xSetAuxdata (fts, averages, g_free) != SQLITE_OK)
        {
          sqlite3_result_error_code (context, SQLITE_NOMEM);
          return;
        }
    }

  if (api->xInstCount (fts, &n_inst) != SQLITE_OK)
    {
      sqlite3_result_error (context, "kassa_rank: no instances", -1);
      return;
    }

  for (int i = 0; i < n_inst; i++)
    {
      int phrase, column, offset, word;

      if (api->xInst (fts, i, &phrase, &column, &offset) != SQLITE_OK ||
          phrase < 0 || phrase >= n_phrases || column >= n_columns)
        continue;

      if (phrase_words != NULL)
        word = phrase < n_phrase_words ? phrase_words[phrase] : RANK_MAX_WORDS;
      else
        word = phrase;

      if (word < RANK_MAX_WORDS)
        counts[word][column]++;
    }

  if (prefixes.n_prefixes > 0)
    {
      int found[RANK_MAX_WORDS] = { 0 };

      for (int column = 0; column < n_columns; column++)
        {
          const char *text = NULL;
          int n_text = 0;

          memset (prefixes.counts, 0, sizeof prefixes.counts);
          if (api->xColumnText (fts, column, &text, &n_text) != SQLITE_OK ||
              (text != NULL && api->xTokenize (fts, text, n_text, &prefixes, count_prefix_cb) != SQLITE_OK))
            {
              sqlite3_result_error (context, "kassa_rank: no text", -1);
              return;
            }

          for (int i = 0; i < prefixes.n_prefixes; i++)
            {
              prefix_counts[i][column] = prefixes.counts[i];
              found[i] += prefixes.counts[i];
            }
        }

      for (int i = 0; i < prefixes.n_prefixes; i++)
        {
          if (found[i] == 0)
            {
              sqlite3_result_null (context);
              return;
            }
        }
    }

  for (int column = 0; column < n_columns; column++)
    {
      int size = 0;
      double norm;

      api->xColumnSize (fts, column, &size);
      norm = averages->average_size[column] > 0.0
             ? 1.0 - b + b * size / averages->average_size[column]
             : 1.0;

      for (int word = 0; word < RANK_MAX_WORDS; word++)
        {
          double tf = counts[word][column];

          if (tf > 0.0)
            score += rank_weights[column] * tf * (k1 + 1.0) / (tf + k1 * norm);
        }

      for (int i = 0; i < prefixes.n_prefixes; i++)
        {
          double tf = prefix_counts[i][column];

          if (tf > 0.0)
            score += rank_weights[column] * tf * (k1 + 1.0) / (tf + k1 * norm);
        }
    }

  sqlite3_result_double (context, -score);
}

/* Registers kassa_rank() once on the database's connection; returns the
 * connection's FTS5 API. */
static fts5_api *
ensure_search (KassaCatalogRepository  *self,
               GError                 **error)
{
  static const char *key = "kassa-catalog-search";
  sqlite3 *db = kassa_database_get_handle (self->database);
  sqlite3_stmt *stmt = NULL;
  fts5_api *api = NULL;
  int rc;

  api = g_object_get_data (G_OBJECT (self->database), key);
  if (api != NULL)
    return api;

  rc = sqlite3_prepare_v2 (db, "SELECT fts5 (?1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_pointer (stmt, 1, (void *) &api, "fts5_api_ptr", NULL);
      sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);

  if (api == NULL || api->iVersion < 2)
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_FAILED,
                   _("This SQLite lacks full-text search (FTS5)"));
      return NULL;
    }

  rc = api->xCreateFunction (api, "kassa_rank", NULL, rank_function, NULL);
  if (rc != SQLITE_OK)
    {
      kassa_store_set_error_from_sqlite (error, db, rc, _("Preparing the catalog search"));
      return NULL;
    }

  /* The API lives as long as the connection, which the database owns. */
  g_object_set_data (G_OBJECT (self->database), key, api);
  return api;
}

/* Makes the index's terms readable as a table: an fts5vocab table of
 * type instance finds the first term after a given one with a seek,
 * where type row would count each term's rows first. A temporary table
 * belongs to this connection alone and leaves the file as it is. It is
 * looked for at each search because creating it is part of whatever
 * transaction is open, and goes when that is rolled back. */
static gboolean
ensure_terms_table (KassaCatalogRepository  *self,
                    GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  stmt = kassa_database_prepare (self->database,
                                 "SELECT 1 FROM temp.sqlite_master WHERE name = 'kassa_catalog_terms'",
                                 error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Preparing the catalog search"));
      return FALSE;
    }

  return kassa_database_exec (self->database,
                              "CREATE VIRTUAL TABLE temp.kassa_catalog_terms "
                              "USING fts5vocab ('main', 'catalog_search', 'instance')",
                              error);
}

/* The index's tokenizer, made as catalog_search's tokenize option says,
 * so a typed word is folded (case, diacritics) exactly as the index
 * folded the catalog's words. */
typedef struct
{
  KassaCatalogRepository *self;
  fts5_tokenizer          methods;
  Fts5Tokenizer          *tokenizer;
  /* The folded prefixes of the words with more terms than
   * SEARCH_MAX_EXPANSION, and the other words as typed. */
  GPtrArray              *over_cap;
  GPtrArray              *kept;
} SearchExpansion;

static gboolean
search_expansion_init (SearchExpansion         *expansion,
                       KassaCatalogRepository  *self,
                       fts5_api                *api,
                       GError                 **error)
{
  static const char *arguments[] = { "remove_diacritics", "2" };
  sqlite3 *db = kassa_database_get_handle (self->database);
  void *tokenizer_data = NULL;
  int rc;

  expansion->self = self;
  expansion->tokenizer = NULL;
  expansion->over_cap = NULL;
  expansion->kept = NULL;

  rc = api->xFindTokenizer (api, "unicode61", &tokenizer_data, &expansion->methods);
  if (rc == SQLITE_OK)
    rc = expansion->methods.xCreate (tokenizer_data, (const char **) arguments, G_N_ELEMENTS (arguments),
                                     &expansion->tokenizer);
  if (rc != SQLITE_OK)
    {
      kassa_store_set_error_from_sqlite (error, db, rc, _("Preparing the catalog search"));
      return FALSE;
    }

  expansion->over_cap = g_ptr_array_new_with_free_func (g_free);
  expansion->kept = g_ptr_array_new_with_free_func (g_free);
  return TRUE;
}

static void
search_expansion_clear (SearchExpansion *expansion)
{
  if (expansion->tokenizer != NULL)
    expansion->methods.xDelete (expansion->tokenizer);
  expansion->tokenizer = NULL;
  g_clear_pointer (&expansion->over_cap, g_ptr_array_unref);
  g_clear_pointer (&expansion->kept, g_ptr_array_unref);
}

static int
collect_token_cb (void       *user_data,
                  int         flags,
                  const char *token,
                  int         n_token,
                  int         start,
                  int         end)
{
  GPtrArray *tokens = user_data;

  /* Synonyms of the token before; unicode61 makes none. */
  if ((flags & FTS5_TOKEN_COLOCATED) == 0)
    g_ptr_array_add (tokens, g_strndup (token, n_token));

  return SQLITE_OK;
}

/* A word folding to one token longer than the prefix indexes becomes
 * the index's terms with that prefix, found by seeking from each term to
 * the next one. */
static gboolean
expand_word_terms (const char  *word,
                   GPtrArray  **terms,
                   gpointer     user_data,
                   GError     **error)
{
  SearchExpansion *expansion = user_data;
  KassaDatabase *database = expansion->self->database;
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *from = NULL;
  const char *prefix;
  int rc;

  *terms = NULL;

  /* FTS5 tokenizes a "word"* string of a query with these flags. */
  rc = expansion->methods.xTokenize (expansion->tokenizer, tokens,
                                     FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX,
                                     word, strlen (word), collect_token_cb);
  if (rc != SQLITE_OK)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (database), rc,
                                         _("Searching the catalog"));
      return FALSE;
    }

  /* Several tokens make a phrase, which stays as it was. */
  if (tokens->len != 1)
    return TRUE;

  prefix = g_ptr_array_index (tokens, 0);
  if (g_utf8_strlen (prefix, -1) <= SEARCH_PREFIX_INDEX_CHARS)
    return TRUE;

  stmt = kassa_database_prepare (database,
                                 "SELECT term FROM temp.kassa_catalog_terms WHERE term >= ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;

  found = g_ptr_array_new_with_free_func (g_free);
  from = g_strdup (prefix);

  /* The table has a row for each place a term occurs, in term order.
   * Terms that occur a few times (the codes of the barcode column)
   * follow one another within a few steps; after SEARCH_TERM_STEPS rows
   * of one term, a seek past it is cheaper than walking its rows. */
  for (;;)
    {
      guint n_steps = 0;

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, from, -1, SQLITE_TRANSIENT);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *term = (const char *) sqlite3_column_text (stmt, 0);

          if (term == NULL || !g_str_has_prefix (term, prefix))
            break;

          if (found->len == 0 || strcmp (term, g_ptr_array_index (found, found->len - 1)) != 0)
            {
              if (found->len == SEARCH_MAX_EXPANSION)
                {
                  g_ptr_array_add (expansion->over_cap, g_strdup (prefix));
                  return TRUE;
                }

              g_ptr_array_add (found, g_strdup (term));
              n_steps = 0;
            }

          if (++n_steps == SEARCH_TERM_STEPS)
            break;
        }

      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (database), rc,
                                             _("Searching the catalog"));
          return FALSE;
        }

      /* Past the prefix or the last term: every term is known. */
      if (n_steps < SEARCH_TERM_STEPS)
        break;

      /* The least string after the term: terms hold no control
       * characters, unicode61 cuts words at them. */
      g_free (from);
      from = g_strconcat (g_ptr_array_index (found, found->len - 1), "\001", NULL);
    }

  *terms = g_steal_pointer (&found);
  return TRUE;
}

/* KassaCatalogSearchExpandFunc: expand_word_terms(), noting which words
 * have more terms than the cap and which not. */
static gboolean
expand_word (const char  *word,
             GPtrArray  **terms,
             gpointer     user_data,
             GError     **error)
{
  SearchExpansion *expansion = user_data;
  guint n_over_cap = expansion->over_cap->len;

  if (!expand_word_terms (word, terms, user_data, error))
    return FALSE;

  if (expansion->over_cap->len == n_over_cap)
    g_ptr_array_add (expansion->kept, g_strdup (word));

  return TRUE;
}

/* The least string greater than every string starting with @prefix,
 * byte for byte as the index orders its terms. A term is UTF-8, whose
 * bytes are never 0xff, so the last byte can always grow. */
static char *
prefix_upper_bound (const char *prefix)
{
  char *upper = g_strdup (prefix);
  gsize length = strlen (upper);

  g_assert (length > 0 && (guchar) upper[length - 1] < 0xff);
  upper[length - 1] = (char) ((guchar) upper[length - 1] + 1);

  return upper;
}

/* A search that is one word with more terms than SEARCH_MAX_EXPANSION
 * (a few digits of the barcodes, which every generated code shares):
 * FTS5 would merge the rows of all those terms before its first match,
 * some 60 ms for a million of them. The index's own rows, read in term
 * order from the terms table, name the items instead; the table walks
 * them lazily, so the first SEARCH_CANDIDATES cost about a millisecond.
 * Every one of them has a word with that prefix, as the prefix query's
 * matches have, but they are the first in term order rather than in
 * item order.
 *
 * kassa_rank() is not at hand without a MATCH. For one word it mostly
 * follows the weight of the column the word is in, so the items are
 * ordered by the best column weight of their walked rows (name 10, SKU
 * and barcode 5, description 1, as rank_weights), then sort order, name
 * and id as any search. Word counts and column lengths, which BM25 also
 * weighs, are left out. */
static GPtrArray *
search_prefix_terms (KassaCatalogRepository  *self,
                     const char              *prefix,
                     KassaCatalogFilter       filter,
                     guint                    limit,
                     GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *upper = prefix_upper_bound (prefix);
  const char *status;

  G_STATIC_ASSERT (RANK_N_COLUMNS == 4);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT " ITEM_COLUMNS " FROM "
                                 "(SELECT doc AS item_id, "
                                 "  max (CASE col WHEN 'name' THEN ?5 WHEN 'sku' THEN ?6 "
                                 "       WHEN 'barcode' THEN ?7 ELSE ?8 END) AS weight "
                                 " FROM (SELECT doc, col FROM temp.kassa_catalog_terms "
                                 "       WHERE term >= ?1 AND term < ?2 LIMIT ?9) "
                                 " GROUP BY doc) AS hit "
                                 "JOIN catalog_item AS ci ON ci.id = hit.item_id "
                                 "WHERE ?3 IS NULL OR ci.status = ?3 "
                                 "ORDER BY hit.weight DESC, ci.sort_order, ci.name, ci.id LIMIT ?4",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, upper, -1, SQLITE_STATIC);
  status = kassa_catalog_filter_status (filter);
  if (status != NULL)
    sqlite3_bind_text (stmt, 3, status, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, MIN (limit, KASSA_CATALOG_SEARCH_MAX_RESULTS));
  for (guint column = 0; column < RANK_N_COLUMNS; column++)
    sqlite3_bind_double (stmt, 5 + column, rank_weights[column]);
  /* Rows, not items: an item whose word is in two columns has two. */
  sqlite3_bind_int (stmt, 9, SEARCH_CANDIDATES);

  return kassa_catalog_collect_items (self, stmt, _("Searching the catalog"), error);
}

/* Whether more than SEARCH_BROAD_ROWS rows of the index hold a term
 * starting with @prefix. FTS5 merges a few thousand rows of a prefix in
 * well under a millisecond; a million take 60. */
static gboolean
prefix_is_broad (KassaCatalogRepository  *self,
                 const char              *prefix,
                 gboolean                *is_broad,
                 GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *upper = prefix_upper_bound (prefix);
  int rc;

  stmt = kassa_database_prepare (self->database,
                                 "SELECT count (*) FROM "
                                 "(SELECT 1 FROM temp.kassa_catalog_terms "
                                 " WHERE term >= ?1 AND term < ?2 LIMIT ?3)",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, upper, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, SEARCH_BROAD_ROWS + 1);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Searching the catalog"));
      return FALSE;
    }

  *is_broad = sqlite3_column_int (stmt, 0) > SEARCH_BROAD_ROWS;
  return TRUE;
}

/* The strings of @words separated by spaces. */
static char *
join_words (GPtrArray *words)
{
  GString *joined = g_string_new (NULL);

  for (guint i = 0; i < words->len; i++)
    {
      if (i > 0)
        g_string_append_c (joined, ' ');
      g_string_append (joined, g_ptr_array_index (words, i));
    }

  return g_string_free (joined, FALSE);
}

/* A search of several words where some, @broad (folded, separated by
 * spaces), have terms in very many rows ("2000 coffee"): @query holds
 * the other words only, and kassa_rank() finds the broad ones in the
 * text of each row the query matches, scoring it as the whole prefix
 * query would and NULL when one is missing. The rows come in item order
 * as the prefix query's do, so the first SEARCH_CANDIDATES kept are the
 * ones it would rank, unless the other words match more than
 * SEARCH_NARROWED_ROWS items before: then those found so far are
 * ranked, which only leaves matches out. */
/* The parameters both search statements share: ?1 the MATCH query, ?2
 * the candidates ranked, ?3 the status filter, ?4 the results wanted and
 * ?5 the typed word of each phrase, for kassa_rank(). */
static void
bind_search (sqlite3_stmt       *stmt,
             const char         *query,
             KassaCatalogFilter  filter,
             guint               limit,
             GByteArray         *phrase_words)
{
  const char *status = kassa_catalog_filter_status (filter);

  sqlite3_bind_text (stmt, 1, query, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, SEARCH_CANDIDATES);
  if (status != NULL)
    sqlite3_bind_text (stmt, 3, status, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, MIN (limit, KASSA_CATALOG_SEARCH_MAX_RESULTS));
  sqlite3_bind_blob (stmt, 5, phrase_words->data, phrase_words->len, SQLITE_STATIC);
}

static GPtrArray *
search_narrowed (KassaCatalogRepository  *self,
                 const char              *query,
                 GByteArray              *phrase_words,
                 const char              *broad,
                 KassaCatalogFilter       filter,
                 guint                    limit,
                 GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;

  /* A subquery with a LIMIT under a WHERE is not flattened, so the rank
   * is computed once per row. */
  stmt = kassa_database_prepare (self->database,
                                 "SELECT " ITEM_COLUMNS " FROM "
                                 "(SELECT item_id, score FROM "
                                 " (SELECT rowid AS item_id, kassa_rank (catalog_search, ?5, ?6) AS score "
                                 "  FROM catalog_search WHERE catalog_search MATCH ?1 LIMIT ?7) "
                                 " WHERE score IS NOT NULL LIMIT ?2) AS hit "
                                 "JOIN catalog_item AS ci ON ci.id = hit.item_id "
                                 "WHERE ?3 IS NULL OR ci.status = ?3 "
                                 "ORDER BY hit.score, ci.sort_order, ci.name, ci.id LIMIT ?4",
                                 error);
  if (stmt == NULL)
    return NULL;

  bind_search (stmt, query, filter, limit, phrase_words);
  sqlite3_bind_text (stmt, 6, broad, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 7, SEARCH_NARROWED_ROWS);

  return kassa_catalog_collect_items (self, stmt, _("Searching the catalog"), error);
}

GPtrArray *
kassa_catalog_repository_search (KassaCatalogRepository  *self,
                                 const char              *text,
                                 KassaCatalogFilter       filter,
                                 guint                    limit,
                                 GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GByteArray) phrase_words = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *query = NULL;
  g_autofree char *broad = NULL;
  SearchExpansion expansion;
  fts5_api *api;

  g_return_val_if_fail (KASSA_IS_CATALOG_REPOSITORY (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (limit == 0)
    return g_ptr_array_new_with_free_func (g_object_unref);

  api = ensure_search (self, error);
  if (api == NULL || !ensure_terms_table (self, error) ||
      !search_expansion_init (&expansion, self, api, error))
    return NULL;

  query = kassa_catalog_search_build_expanded_query (text, expand_word, &expansion, &phrase_words, &local_error);

  /* One word, kept a prefix for its many terms. */
  if (query != NULL && expansion.over_cap->len == 1 && expansion.kept->len == 0)
    {
      g_autofree char *prefix = g_strdup (g_ptr_array_index (expansion.over_cap, 0));

      search_expansion_clear (&expansion);
      return search_prefix_terms (self, prefix, filter, limit, error);
    }

  /* Several words, some with many rows: the others make the query, and
   * the rank looks for those in the rows the others match. */
  if (query != NULL && expansion.over_cap->len > 0 && expansion.kept->len > 0)
    {
      gboolean is_broad = FALSE;

      for (guint i = 0; i < expansion.over_cap->len && !is_broad; i++)
        {
          if (!prefix_is_broad (self, g_ptr_array_index (expansion.over_cap, i), &is_broad, &local_error))
            break;
        }

      if (is_broad)
        {
          g_autofree char *others = NULL;

          broad = join_words (expansion.over_cap);
          others = join_words (expansion.kept);
          g_clear_pointer (&query, g_free);
          g_clear_pointer (&phrase_words, g_byte_array_unref);
          query = kassa_catalog_search_build_expanded_query (others, expand_word, &expansion,
                                                             &phrase_words, &local_error);
        }
    }

  search_expansion_clear (&expansion);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (query == NULL)
    return g_ptr_array_new_with_free_func (g_object_unref);

  if (broad != NULL)
    return search_narrowed (self, query, phrase_words, broad, filter, limit, error);

  /* The inner query stops after SEARCH_CANDIDATES matches so the rank
   * is computed for those only. */
  stmt = kassa_database_prepare (self->database,
                                 "SELECT " ITEM_COLUMNS " FROM "
                                 "(SELECT rowid AS item_id, kassa_rank (catalog_search, ?5) AS score "
                                 " FROM catalog_search WHERE catalog_search MATCH ?1 LIMIT ?2) AS hit "
                                 "JOIN catalog_item AS ci ON ci.id = hit.item_id "
                                 "WHERE ?3 IS NULL OR ci.status = ?3 "
                                 "ORDER BY hit.score, ci.sort_order, ci.name, ci.id LIMIT ?4",
                                 error);
  if (stmt == NULL)
    return NULL;

  bind_search (stmt, query, filter, limit, phrase_words);

  return kassa_catalog_collect_items (self, stmt, _("Searching the catalog"), error);
}
