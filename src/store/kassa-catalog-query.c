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

static void
append_token (GString    *query,
              const char *start,
              gsize       length)
{
  /* Cut over-long words at a character boundary. */
  if (length > MAX_TOKEN_BYTES)
    {
      const char *end = g_utf8_find_prev_char (start, start + MAX_TOKEN_BYTES + 1);
      length = end - start;
    }

  if (query->len > 0)
    g_string_append_c (query, ' ');

  /* Only word characters reach here, never a quote, so the string needs
   * no escaping; the quotes make FTS5 read barewords such as AND or NEAR
   * as text. */
  g_string_append_c (query, '"');
  g_string_append_len (query, start, length);
  g_string_append (query, "\"*");
}

char *
kassa_catalog_search_build_query (const char *text)
{
  g_autoptr(GString) query = NULL;
  g_autofree char *valid = NULL;
  g_autofree char *normalized = NULL;
  const char *word_start = NULL;
  guint n_tokens = 0;

  g_return_val_if_fail (text != NULL, NULL);

  /* Invalid bytes become U+FFFD, a separator; NFC keeps "é" typed as e
   * and a combining accent one word, as the index stored it. */
  valid = g_utf8_make_valid (text, -1);
  normalized = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);
  if (normalized == NULL)
    return NULL;

  query = g_string_new (NULL);

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
          append_token (query, word_start, p - word_start);
          word_start = NULL;
          if (++n_tokens == KASSA_CATALOG_SEARCH_MAX_TOKENS)
            break;
        }

      if (c == 0)
        break;
    }

  if (query->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&query), FALSE);
}
