/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "kassa-catalog-query.h"
#include "catalog-test-utils.h"

static void
test_build (void)
{
  static const struct {
    const char *text;
    const char *query;
  } cases[] = {
    { "coff", "\"coff\"*" },
    { "Coff bea", "\"Coff\"* \"bea\"*" },
    { "  coff   bea  ", "\"coff\"* \"bea\"*" },
    { "\"coff\"", "\"coff\"*" },
    { "coff*", "\"coff\"*" },
    { "a AND b", "\"a\"* \"AND\"* \"b\"*" },
    { "NEAR(a b)", "\"NEAR\"* \"a\"* \"b\"*" },
    { "name:tea", "\"name\"* \"tea\"*" },
    { "-tea +milk ^x", "\"tea\"* \"milk\"* \"x\"*" },
    { "COF-1", "\"COF\"* \"1\"*" },
    { "café", "\"café\"*" },
    /* A decomposed accent joins its letter. */
    { "cafe\xcc\x81", "\"café\"*" },
    { "日本茶", "\"日本茶\"*" },
    { "", NULL },
    { "   ", NULL },
    { "\"*():-^+", NULL },
    { "\xff\xfe", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *query = kassa_catalog_search_build_query (cases[i].text);
      g_autofree char *escaped = g_strescape (cases[i].text, NULL);

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, escaped);
      g_assert_cmpstr (query, ==, cases[i].query);
    }
}

static void
test_limits (void)
{
  g_autoptr(GString) long_word = g_string_new (NULL);
  g_autofree char *query = NULL;
  g_autofree char *many = NULL;

  for (guint i = 0; i < 100; i++)
    g_string_append (long_word, "é");

  /* Cut at a character boundary: 32 two-byte characters. */
  query = kassa_catalog_search_build_query (long_word->str);
  g_assert_true (g_utf8_validate (query, -1, NULL));
  g_assert_cmpuint (strlen (query), ==, 64 + 3);

  many = kassa_catalog_search_build_query ("a b c d e f g h i j k l");
  g_assert_cmpstr (many, ==, "\"a\"* \"b\"* \"c\"* \"d\"* \"e\"* \"f\"* \"g\"* \"h\"*");
}

/* Stands in for the index: "coff" has several terms, "tea" one, "zzz"
 * none, a word with a quote one with a quote, and "fail" fails. */
static gboolean
fake_expand (const char  *word,
             GPtrArray  **terms,
             gpointer     user_data,
             GError     **error)
{
  GPtrArray *seen = user_data;

  g_ptr_array_add (seen, g_strdup (word));

  if (g_str_equal (word, "fail"))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no terms today");
      return FALSE;
    }

  if (g_str_equal (word, "coff"))
    {
      *terms = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (*terms, g_strdup ("coffee"));
      g_ptr_array_add (*terms, g_strdup ("coffees"));
    }
  else if (g_str_equal (word, "tea"))
    {
      *terms = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (*terms, g_strdup ("tea"));
    }
  else if (g_str_equal (word, "quote"))
    {
      *terms = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (*terms, g_strdup ("quo\"te"));
      g_ptr_array_add (*terms, g_strdup ("\"\""));
    }
  else if (g_str_equal (word, "zzz"))
    {
      *terms = g_ptr_array_new_with_free_func (g_free);
    }

  return TRUE;
}

static void
test_build_expanded (void)
{
  static const struct {
    const char *text;
    const char *query;
    const char *phrase_words;
    guint       n_phrase_words;
    const char *seen;
  } cases[] = {
    { "coff", "(\"coffee\" OR \"coffees\")", "\0\0", 2, "coff" },
    { "tea", "\"tea\"", "\0", 1, "tea" },
    { "be", "\"be\"*", "\0", 1, "be" },
    { "Coff", "\"Coff\"*", "\0", 1, "Coff" },
    { "coff bea tea", "(\"coffee\" OR \"coffees\") AND \"bea\"* AND \"tea\"", "\0\0\1\2", 4, "coff|bea|tea" },
    { "bea coff", "\"bea\"* AND (\"coffee\" OR \"coffees\")", "\0\1\1", 3, "bea|coff" },
    { "(coff) AND \"tea\"*", "(\"coffee\" OR \"coffees\") AND \"AND\"* AND \"tea\"", "\0\0\1\2", 4, "coff|AND|tea" },
    /* A quote in a term is doubled. */
    { "quote", "(\"quo\"\"te\" OR \"\"\"\"\"\")", "\0\0", 2, "quote" },
    /* A word without terms: nothing can match, and the words after it
     * are not looked up. */
    { "zzz", NULL, NULL, 0, "zzz" },
    { "coff zzz tea", NULL, NULL, 0, "coff|zzz" },
    { "", NULL, NULL, 0, "" },
    { " -- ", NULL, NULL, 0, "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GByteArray) phrase_words = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *query = NULL;
      g_autofree char *seen_words = NULL;

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, cases[i].text);
      query = kassa_catalog_search_build_expanded_query (cases[i].text, fake_expand, seen, &phrase_words, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (query, ==, cases[i].query);

      g_ptr_array_add (seen, NULL);
      seen_words = g_strjoinv ("|", (char **) seen->pdata);
      g_assert_cmpstr (seen_words, ==, cases[i].seen);

      if (cases[i].query == NULL)
        {
          g_assert_null (phrase_words);
          continue;
        }

      g_assert_nonnull (phrase_words);
      g_assert_cmpmem (phrase_words->data, phrase_words->len, cases[i].phrase_words, cases[i].n_phrase_words);
    }
}

static void
test_build_expanded_failure (void)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GByteArray) phrase_words = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *query = NULL;

  query = kassa_catalog_search_build_expanded_query ("coff fail tea", fake_expand, seen, &phrase_words, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_null (query);
  g_assert_null (phrase_words);
  g_assert_cmpuint (seen->len, ==, 2);
}

/* Expanded or not, at most KASSA_CATALOG_SEARCH_MAX_TOKENS words reach
 * the index, each cut as the prefix query cuts it. */
static void
test_build_expanded_limits (void)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GByteArray) phrase_words = NULL;
  g_autoptr(GString) long_word = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *query = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < 100; i++)
    g_string_append (long_word, "é");

  text = g_strconcat ("a b c d e f g ", long_word->str, " i j", NULL);
  query = kassa_catalog_search_build_expanded_query (text, fake_expand, seen, &phrase_words, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, KASSA_CATALOG_SEARCH_MAX_TOKENS);
  g_assert_cmpuint (strlen (seen->pdata[7]), ==, 64);
  g_assert_cmpuint (phrase_words->len, ==, KASSA_CATALOG_SEARCH_MAX_TOKENS);
  g_assert_true (g_str_has_prefix (query, "\"a\"* AND \"b\"* AND"));
}

static const char *nasty[] = {
  "\"", "\"\"", "\"\"\"", "*", "**", "'", "''", "-", "--", ":", "::", "(", ")", "()", "(((", ")))",
  "^", "+", "NEAR", "NEAR(", "NEAR(a b, 2)", "AND", "OR", "NOT", "a AND", "AND a", "a OR OR b",
  "NOT a", "a NOT", "name:", "name:tea", "{name sku}: tea", "{", "}", "\\", "\\\"", "%", "_",
  "coff*bea", "\"coff", "coff\"", "*coff", "sku:COF-1", "- coff", "a - b", "a:b:c", "\x01\x02",
  "\t\n\r", "💩", "👍🏽", "\xe2\x80\x8b", "ﬁ", "ǅ", "\xcc\x81", "a\xcc\x81\xcc\x81\xcc\x81",
  "\xff", "\xc3", "\xed\xa0\x80", "SELECT * FROM catalog_item", "'; DROP TABLE catalog_item; --",
  "rank", "bm25(", "catalog_search", "0x", "1e10", "NULL",
};

static void
assert_search_works (KassaCatalogRepository *repository,
                     const char             *text)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  found = kassa_catalog_repository_search (repository, text, KASSA_CATALOG_FILTER_ANY, 50, &error);
  if (error != NULL)
    g_error ("searching for “%s” failed: %s", g_strescape (text, NULL), error->message);
  g_assert_nonnull (found);
}

static void
test_nasty_inputs (CatalogFixture *fixture,
                   gconstpointer   data)
{
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  catalog_test_add (repository, "Coffee beans", "COF-1", "4006381333931", 1299);
  catalog_test_add (repository, "NEAR and far AND NOT", "OPS-1", NULL, 100);

  for (gsize i = 0; i < G_N_ELEMENTS (nasty); i++)
    assert_search_works (repository, nasty[i]);

  /* Operators are words like any other. */
  found = kassa_catalog_repository_search (repository, "near AND not", KASSA_CATALOG_FILTER_ANY, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (kassa_catalog_item_get_sku (found->pdata[0]), ==, "OPS-1");
  g_clear_pointer (&found, g_ptr_array_unref);

  found = kassa_catalog_repository_search (repository, "\"coff* bea", KASSA_CATALOG_FILTER_ANY, 10, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (kassa_catalog_item_get_sku (found->pdata[0]), ==, "COF-1");

  /* The table is still there. */
  g_assert_nonnull (kassa_catalog_repository_get_by_sku (repository, "COF-1", &error));
}

static void
test_random_inputs (CatalogFixture *fixture,
                    gconstpointer   data)
{
  static const char *pieces[] = {
    "\"", "*", "(", ")", ":", "-", "+", "^", "{", "}", " ", "AND", "OR", "NOT", "NEAR", ",",
    "coff", "bea", "é", "\xcc\x81", "💩", "日", "\t", "'", "\\", "0", "sku", "name",
  };
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (fixture->database);
  GRand *rand = g_rand_new_with_seed (g_test_rand_int ());

  catalog_test_add (repository, "Coffee beans", "COF-1", "4006381333931", 1299);

  for (guint round = 0; round < 2000; round++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      guint length = g_rand_int_range (rand, 0, 12);

      for (guint i = 0; i < length; i++)
        {
          if (g_rand_boolean (rand))
            {
              g_string_append (text, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
            }
          else
            {
              /* Any code point but NUL and surrogates, as UTF-8. */
              gunichar c;

              do
                c = g_rand_int_range (rand, 1, round % 2 ? 0x80 : 0x110000);
              while (c >= 0xD800 && c <= 0xDFFF);
              g_string_append_unichar (text, c);
            }
        }

      assert_search_works (repository, text->str);
    }

  /* Raw bytes too, invalid UTF-8 included. */
  for (guint round = 0; round < 500; round++)
    {
      char bytes[16];
      guint length = g_rand_int_range (rand, 1, sizeof bytes);

      for (guint i = 0; i < length - 1; i++)
        bytes[i] = (char) g_rand_int_range (rand, 1, 256);
      bytes[length - 1] = '\0';
      assert_search_works (repository, bytes);
    }

  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/catalog-query/build", test_build);
  g_test_add_func ("/kassa/catalog-query/limits", test_limits);
  g_test_add_func ("/kassa/catalog-query/build-expanded", test_build_expanded);
  g_test_add_func ("/kassa/catalog-query/build-expanded-failure", test_build_expanded_failure);
  g_test_add_func ("/kassa/catalog-query/build-expanded-limits", test_build_expanded_limits);
  g_test_add ("/kassa/catalog-query/nasty-inputs", CatalogFixture, NULL,
              catalog_fixture_set_up, test_nasty_inputs, catalog_fixture_tear_down);
  g_test_add ("/kassa/catalog-query/random-inputs", CatalogFixture, NULL,
              catalog_fixture_set_up, test_random_inputs, catalog_fixture_tear_down);

  return g_test_run ();
}
