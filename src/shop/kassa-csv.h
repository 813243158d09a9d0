/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * KassaCsvRow:
 * @fields: the row's fields, NUL-terminated strings borrowed for the call
 * @n_fields: how many fields the row has
 * @line: the line of the file on which the row starts (1 for the first)
 * @valid_utf8: FALSE when a field is not valid UTF-8 (the fields are then
 *   passed as read, for the caller to report)
 */
typedef struct
{
  const char * const *fields;
  guint               n_fields;
  guint               line;
  gboolean            valid_utf8;
} KassaCsvRow;

/* Return FALSE (with @error set) to stop parsing. */
typedef gboolean (*KassaCsvRowFunc) (const KassaCsvRow  *row,
                                     gpointer            user_data,
                                     GError            **error);

/* Parses RFC 4180 CSV from @stream row by row, without holding the file in
 * memory: quoted fields with commas, quotes and line breaks; CRLF or LF;
 * a UTF-8 byte-order mark at the start is skipped; blank lines are
 * skipped but counted, so line numbers match what an editor shows. */
gboolean  kassa_csv_parse        (GInputStream        *stream,
                                  KassaCsvRowFunc      func,
                                  gpointer             user_data,
                                  GCancellable        *cancellable,
                                  GError             **error);

/* Finds @name among @header's columns, ignoring case and surrounding
 * spaces. Returns the column index or -1. */
int       kassa_csv_find_column  (const KassaCsvRow   *header,
                                  const char          *name);

/* Appends one row, every field quoted as RFC 4180 asks, ending in CRLF. */
void      kassa_csv_append_row   (GString             *out,
                                  const char * const  *fields,
                                  guint                n_fields);

/* How many bad rows an import names one by one; the rest are counted. */
#define KASSA_CSV_MAX_PROBLEMS 100

/**
 * KassaCsvProblems:
 * @messages: the first KASSA_CSV_MAX_PROBLEMS messages, one per bad row
 *   ("line 3, column price: …"), NULL until the first
 * @count: how many bad rows there were in all
 *
 * The bad rows of an import, collected so that one pass over a file
 * names every mistake in it instead of only the first.
 */
typedef struct
{
  GPtrArray *messages;
  guint      count;
} KassaCsvProblems;

void      kassa_csv_problems_add       (KassaCsvProblems    *problems,
                                        const char          *message);
void      kassa_csv_problems_clear     (KassaCsvProblems    *problems);
/* The messages as a NULL-terminated array (never NULL), emptying @problems. */
char    **kassa_csv_problems_steal     (KassaCsvProblems    *problems);
/* KASSA_ERROR_INVALID: one bad row is its own message; several are
 * "3 invalid rows; nothing imported" followed by one line per row and,
 * past the limit, "and 37 more". */
void      kassa_csv_problems_set_error (KassaCsvProblems    *problems,
                                        GError             **error);

G_END_DECLS
