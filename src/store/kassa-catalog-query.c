/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-catalog-query"

#include "config.h"

#include "kassa-catalog-query.h"

/* Longest word kept, in bytes: barcodes and SKUs are far shorter. */
#define MAX_TOKEN_BYTES 64

static gboolean
is_word_char (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
    case G_UNICODE_UPPERCASE_LETTER:
    case G_UNICODE_DECIMAL_NUMBER:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_NON_SPACING_MARK:
      return TRUE;

    default:
      return FALSE;
    }
}

/* Cuts over-long words at a character boundary. */
static gsize
token_length (const char *start,
              gsize       length)
{
  if (length > MAX_TOKEN_BYTES)
    {
      const char *end = g_utf8_find_prev_char (start, start + MAX_TOKEN_BYTES + 1);
      length = end - start;
    }

  return length;
}

/* The words of @text, at most KASSA_CATALOG_SEARCH_MAX_TOKENS of them,
 * each cut to MAX_TOKEN_BYTES; %NULL when it holds none. */
static GPtrArray *
split_words (const char *text)
{
  g_autoptr(GPtrArray) words = NULL;
  g_autofree char *valid = NULL;
  g_autofree char *normalized = NULL;
  const char *word_start = NULL;

  /* Invalid bytes become U+FFFD, a separator; NFC keeps "é" typed as e
   * and a combining accent one word, as the index stored it. */
  valid = g_utf8_make_valid (text, -1);
  normalized = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);
  if (normalized == NULL)
    return NULL;

  words = g_ptr_array_new_with_free_func (g_free);

  for (const char *p = normalized; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean word = c != 0 && is_word_char (c);

      if (word && word_start == NULL)
        {
          word_start = p;
        }
      else if (!word && word_start != NULL)
        {
          g_ptr_array_add (words, g_strndup (word_start, token_length (word_start, p - word_start)));
          word_start = NULL;
          if (words->len == KASSA_CATALOG_SEARCH_MAX_TOKENS)
            break;
        }

      if (c == 0)
        break;
    }

  if (words->len == 0)
    return NULL;

  return g_steal_pointer (&words);
}

/* A string FTS5 reads as one phrase whatever it holds: barewords such as
 * AND or NEAR become text, and a quote inside is doubled. */
static void
append_quoted (GString    *query,
               const char *text)
{
  g_string_append_c (query, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (query, '"');
      g_string_append_c (query, *p);
    }
  g_string_append_c (query, '"');
}

/* Only word characters reach here, never a quote. */
static void
append_prefix (GString    *query,
               const char *word)
{
  append_quoted (query, word);
  g_string_append_c (query, '*');
}

char *
kassa_catalog_search_build_query (const char *text)
{
  g_autoptr(GPtrArray) words = NULL;
  GString *query;

  g_return_val_if_fail (text != NULL, NULL);

  words = split_words (text);
  if (words == NULL)
    return NULL;

  query = g_string_new (NULL);
  for (guint i = 0; i < words->len; i++)
    {
      if (i > 0)
        g_string_append_c (query, ' ');
      append_prefix (query, g_ptr_array_index (words, i));
    }

  return g_string_free (query, FALSE);
}

char *
kassa_catalog_search_build_expanded_query (const char                    *text,
                                           KassaCatalogSearchExpandFunc   expand,
                                           gpointer                       user_data,
                                           GByteArray                   **phrase_words,
                                           GError                       **error)
{
  g_autoptr(GPtrArray) words = NULL;
  g_autoptr(GString) query = NULL;
  g_autoptr(GByteArray) phrases = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (expand != NULL, NULL);
  g_return_val_if_fail (phrase_words != NULL && *phrase_words == NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  words = split_words (text);
  if (words == NULL)
    return NULL;

  query = g_string_new (NULL);
  phrases = g_byte_array_new ();

  for (guint i = 0; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);
      g_autoptr(GPtrArray) terms = NULL;
      guint8 word_index = i;

      if (!expand (word, &terms, user_data, error))
        return NULL;

      /* Every word must match: one the index holds no term for leaves
       * nothing to find. */
      if (terms != NULL && terms->len == 0)
        return NULL;

      /* FTS5 ANDs side by side phrases only, not a parenthesized OR. */
      if (i > 0)
        g_string_append (query, " AND ");

      if (terms == NULL)
        {
          append_prefix (query, word);
          g_byte_array_append (phrases, &word_index, 1);
          continue;
        }

      if (terms->len > 1)
        g_string_append_c (query, '(');

      for (guint j = 0; j < terms->len; j++)
        {
          if (j > 0)
            g_string_append (query, " OR ");
          append_quoted (query, g_ptr_array_index (terms, j));
          g_byte_array_append (phrases, &word_index, 1);
        }

      if (terms->len > 1)
        g_string_append_c (query, ')');
    }

  *phrase_words = g_steal_pointer (&phrases);
  return g_string_free (g_steal_pointer (&query), FALSE);
}
