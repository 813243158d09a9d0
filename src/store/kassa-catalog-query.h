/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The most words of a search that reach the index; a cashier never types
 * more, and the cap keeps a pasted paragraph from building a huge query. */
#define KASSA_CATALOG_SEARCH_MAX_TOKENS 8

/* Turns what a person typed into an FTS5 MATCH expression that cannot
 * fail to parse: the text is cut into words at every character that is
 * neither a letter, a digit nor a mark (as the unicode61 tokenizer cuts
 * it), each word becomes a quoted string matched as a prefix, and the
 * words are ANDed. FTS5 operators (AND, OR, NOT, NEAR, quotes, '*', '^',
 * '-', ':', '+', parentheses) thereby lose their meaning and are searched
 * as plain words or ignored. "Coff bea" becomes "coff"* "bea"*.
 *
 * Returns: (transfer full) (nullable): the expression, or %NULL when the
 *   text holds no word at all (search nothing rather than everything) */
char *kassa_catalog_search_build_query (const char *text);

/**
 * KassaCatalogSearchExpandFunc:
 * @word: one word of the search, as kassa_catalog_search_build_query()
 *   cut it
 * @terms: (out) (transfer full) (nullable): where to put the terms
 * @user_data: the data handed to kassa_catalog_search_build_expanded_query()
 * @error: a location for a #GError
 *
 * Looks up which terms of the index start with @word. Leaving @terms
 * %NULL keeps the word a prefix ("word"*); an array, even an empty one,
 * says those are all the terms the index holds with that prefix.
 *
 * Returns: %FALSE with @error set on failure
 */
typedef gboolean (*KassaCatalogSearchExpandFunc) (const char  *word,
                                                  GPtrArray  **terms,
                                                  gpointer     user_data,
                                                  GError     **error);

/* As kassa_catalog_search_build_query(), but a word @expand knows the
 * index's terms for becomes the OR of those terms, quoted (a quote in a
 * term doubled), and the words are ANDed: ("coffee" OR "coffees") AND
 * "bea"*. FTS5 walks the rows of a term or an OR of terms lazily, while
 * a prefix longer than the table's prefix indexes makes it merge every
 * row of every term with that prefix before the first match; for a word
 * in every item that is most of the catalog. The phrases of the
 * expression are numbered left to right; @phrase_words receives, for
 * each, the index of the word it came from, so a ranking can count the
 * terms of one word together.
 *
 * Returns: (transfer full) (nullable): the expression, or %NULL when
 *   nothing can match (no word, or a word without terms; @error unset)
 *   or @expand failed (@error set) */
char *kassa_catalog_search_build_expanded_query (const char                    *text,
                                                 KassaCatalogSearchExpandFunc   expand,
                                                 gpointer                       user_data,
                                                 GByteArray                   **phrase_words,
                                                 GError                       **error);

G_END_DECLS
