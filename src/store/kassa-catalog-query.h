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

G_END_DECLS
