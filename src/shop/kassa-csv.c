/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-csv"

#include "config.h"

#include <csv.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "kassa-csv.h"
#include "kassa-error.h"

typedef struct
{
  KassaCsvRowFunc  func;
  gpointer         user_data;
  GError          *error;

  /* The row being read: its fields one after the other, each ending in
   * a NUL, where each starts, and pointers to them for the callback.
   * One buffer per file instead of a string per field. */
  GString         *text;
  GArray          *starts;      /* of gsize */
  GPtrArray       *fields;      /* into text, not owned */
  gboolean         valid_utf8;
  guint            line;        /* where the row being read starts */
  guint            newlines;    /* line breaks inside the row's fields */
  int              last_terminator;
  gboolean         stopped;
} Parser;

static void
field_cb (void   *data,
          size_t  length,
          void   *user_data)
{
  Parser *parser = user_data;
  const char *text = data != NULL ? data : "";

  if (parser->stopped)
    return;

  for (gsize i = 0; i < length; i++)
    if (text[i] == '\n')
      parser->newlines++;

  if (!g_utf8_validate (text, length, NULL))
    parser->valid_utf8 = FALSE;

  g_array_append_val (parser->starts, parser->text->len);
  g_string_append_len (parser->text, text, length);
  g_string_append_c (parser->text, '\0');
}

static void
row_cb (int   terminator,
        void *user_data)
{
  Parser *parser = user_data;
  KassaCsvRow row;
  gboolean blank;

  if (parser->stopped)
    return;

  /* With CSV_REPALL_NL every line break outside a row arrives as an empty
   * row: the LF of a CRLF pair ends nothing, other empty rows are blank
   * lines. */
  blank = parser->starts->len == 0;
  if (blank)
    {
      if (!(terminator == '\n' && parser->last_terminator == '\r'))
        parser->line++;
      parser->last_terminator = terminator;
      return;
    }

  /* The text no longer grows, so pointers into it stay put. */
  for (guint i = 0; i < parser->starts->len; i++)
    g_ptr_array_add (parser->fields, parser->text->str + g_array_index (parser->starts, gsize, i));
  g_ptr_array_add (parser->fields, NULL);
  row.fields = (const char * const *) parser->fields->pdata;
  row.n_fields = parser->fields->len - 1;
  row.line = parser->line;
  row.valid_utf8 = parser->valid_utf8;

  if (!parser->func (&row, parser->user_data, &parser->error))
    parser->stopped = TRUE;

  parser->line += 1 + parser->newlines;
  parser->newlines = 0;
  parser->last_terminator = terminator;
  parser->valid_utf8 = TRUE;
  g_ptr_array_set_size (parser->fields, 0);
  g_array_set_size (parser->starts, 0);
  g_string_truncate (parser->text, 0);
}

gboolean
kassa_csv_parse (GInputStream     *stream,
                 KassaCsvRowFunc   func,
                 gpointer          user_data,
                 GCancellable     *cancellable,
                 GError          **error)
{
  struct csv_parser csv;
  Parser parser = { 0 };
  char buffer[64 * 1024];
  gboolean ok = TRUE;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (csv_init (&csv, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL) != 0)
    g_error ("Out of memory starting the CSV parser");

  parser.func = func;
  parser.user_data = user_data;
  parser.text = g_string_sized_new (1024);
  parser.starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  parser.fields = g_ptr_array_new ();
  parser.valid_utf8 = TRUE;
  parser.line = 1;

  for (gboolean first = TRUE; ok && !parser.stopped; first = FALSE)
    {
      gssize n_read = g_input_stream_read (stream, buffer, sizeof buffer, cancellable, error);
      const char *data = buffer;

      if (n_read < 0)
        {
          ok = FALSE;
          break;
        }
      if (n_read == 0)
        break;

      /* A byte-order mark belongs to the file, not to the first column name. */
      if (first && n_read >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
        {
          data += 3;
          n_read -= 3;
        }

      /* libcsv reads on to the end of the chunk after the callback
       * stopped; a syntax error past the stop is not the file's first
       * problem, the callback's error is. */
      if (csv_parse (&csv, data, n_read, field_cb, row_cb, &parser) != (size_t) n_read &&
          !parser.stopped)
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                       _("line %u: %s"), parser.line, csv_strerror (csv_error (&csv)));
          ok = FALSE;
        }
    }

  if (ok && !parser.stopped && csv_fini (&csv, field_cb, row_cb, &parser) != 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("line %u: %s"), parser.line, csv_strerror (csv_error (&csv)));
      ok = FALSE;
    }

  if (parser.error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&parser.error));
      ok = FALSE;
    }

  csv_free (&csv);
  g_ptr_array_unref (parser.fields);
  g_array_unref (parser.starts);
  g_string_free (parser.text, TRUE);

  return ok;
}

int
kassa_csv_find_column (const KassaCsvRow *header,
                       const char        *name)
{
  g_return_val_if_fail (header != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  for (guint i = 0; i < header->n_fields; i++)
    {
      g_autofree char *column = g_strstrip (g_strdup (header->fields[i]));

      if (g_ascii_strcasecmp (column, name) == 0)
        return (int) i;
    }

  return -1;
}

void
kassa_csv_append_row (GString            *out,
                      const char * const *fields,
                      guint               n_fields)
{
  g_return_if_fail (out != NULL);

  for (guint i = 0; i < n_fields; i++)
    {
      const char *field = fields[i] != NULL ? fields[i] : "";
      gsize length = strlen (field);
      /* Quoting at most doubles a field, plus the two enclosing quotes. */
      gsize room = 2 * length + 2;
      gsize old_len;

      if (i > 0)
        g_string_append_c (out, ',');
      old_len = out->len;
      g_string_set_size (out, old_len + room);
      g_string_set_size (out, old_len + csv_write (out->str + old_len, room, field, length));
    }

  g_string_append (out, "\r\n");
}

void
kassa_csv_problems_add (KassaCsvProblems *problems,
                        const char       *message)
{
  g_return_if_fail (problems != NULL);
  g_return_if_fail (message != NULL);

  /* A file with a wrong column in every row must not grow a message
   * per row without end. */
  if (problems->count++ >= KASSA_CSV_MAX_PROBLEMS)
    return;

  if (problems->messages == NULL)
    problems->messages = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (problems->messages, g_strdup (message));
}

void
kassa_csv_problems_clear (KassaCsvProblems *problems)
{
  g_return_if_fail (problems != NULL);

  g_clear_pointer (&problems->messages, g_ptr_array_unref);
  problems->count = 0;
}

char **
kassa_csv_problems_steal (KassaCsvProblems *problems)
{
  GPtrArray *messages;

  g_return_val_if_fail (problems != NULL, NULL);

  messages = g_steal_pointer (&problems->messages);
  problems->count = 0;
  if (messages == NULL)
    return g_new0 (char *, 1);

  g_ptr_array_set_free_func (messages, NULL);
  g_ptr_array_add (messages, NULL);
  return (char **) g_ptr_array_free (messages, FALSE);
}

void
kassa_csv_problems_set_error (KassaCsvProblems  *problems,
                              GError           **error)
{
  g_autoptr(GString) text = NULL;

  g_return_if_fail (problems != NULL);
  g_return_if_fail (problems->count > 0 && problems->messages != NULL);

  if (problems->count == 1)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID, problems->messages->pdata[0]);
      return;
    }

  text = g_string_new (NULL);
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u invalid row; nothing imported",
                                             "%u invalid rows; nothing imported", problems->count),
                          problems->count);
  for (guint i = 0; i < problems->messages->len; i++)
    g_string_append_printf (text, "\n%s", (const char *) problems->messages->pdata[i]);
  if (problems->count > problems->messages->len)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "and %u more", "and %u more",
                                                 problems->count - problems->messages->len),
                              problems->count - problems->messages->len);
    }

  g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID, text->str);
}
