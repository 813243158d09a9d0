/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kassa-csv.h"
#include "kassa-error.h"

typedef struct
{
  GPtrArray *rows;   /* of GStrv */
  GArray    *lines;  /* of guint */
  GArray    *valid;  /* of gboolean */
  guint      stop_after;
} Collected;

static gboolean
collect_row (const KassaCsvRow  *row,
             gpointer            user_data,
             GError            **error)
{
  Collected *collected = user_data;

  g_assert_null (row->fields[row->n_fields]);
  g_ptr_array_add (collected->rows, g_strdupv ((char **) row->fields));
  g_array_append_val (collected->lines, row->line);
  g_array_append_val (collected->valid, row->valid_utf8);

  if (collected->stop_after != 0 && collected->rows->len == collected->stop_after)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, "stopped at line %u", row->line);
      return FALSE;
    }

  return TRUE;
}

static void
collected_clear (Collected *collected)
{
  g_clear_pointer (&collected->rows, g_ptr_array_unref);
  g_clear_pointer (&collected->lines, g_array_unref);
  g_clear_pointer (&collected->valid, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Collected, collected_clear)

static gboolean
parse_text (const char  *text,
            gssize       length,
            Collected   *collected,
            GError     **error)
{
  g_autoptr(GInputStream) stream = NULL;

  if (length < 0)
    length = strlen (text);

  stream = g_memory_input_stream_new_from_data (g_memdup2 (text, length), length, g_free);
  collected->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  collected->lines = g_array_new (FALSE, FALSE, sizeof (guint));
  collected->valid = g_array_new (FALSE, FALSE, sizeof (gboolean));

  return kassa_csv_parse (stream, collect_row, collected, NULL, error);
}

static const char *
field (Collected *collected,
       guint      row,
       guint      column)
{
  char **fields = g_ptr_array_index (collected->rows, row);

  g_assert_cmpuint (column, <, g_strv_length (fields));
  return fields[column];
}

static void
test_csv_quoting_and_lines (void)
{
  g_auto(Collected) collected = { 0 };
  g_autoptr(GError) error = NULL;
  const char *text =
    "name,price,description\r\n"
    "\"Tea, green\",3.50,\"Loose leaf\"\r\n"
    "\r\n"
    "\"Mug \"\"Big\"\"\",9.90,\"Two\nlines\"\r\n"
    "Plain,1,\r\n";

  g_assert_true (parse_text (text, -1, &collected, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (collected.rows->len, ==, 4);

  g_assert_cmpstr (field (&collected, 1, 0), ==, "Tea, green");
  g_assert_cmpstr (field (&collected, 1, 1), ==, "3.50");
  g_assert_cmpstr (field (&collected, 2, 0), ==, "Mug \"Big\"");
  g_assert_cmpstr (field (&collected, 2, 2), ==, "Two\nlines");
  g_assert_cmpstr (field (&collected, 3, 0), ==, "Plain");
  g_assert_cmpstr (field (&collected, 3, 2), ==, "");

  /* Line numbers as an editor shows them: the blank line 3 is skipped,
   * and the row after the two-line field starts on line 6. */
  g_assert_cmpuint (g_array_index (collected.lines, guint, 0), ==, 1);
  g_assert_cmpuint (g_array_index (collected.lines, guint, 1), ==, 2);
  g_assert_cmpuint (g_array_index (collected.lines, guint, 2), ==, 4);
  g_assert_cmpuint (g_array_index (collected.lines, guint, 3), ==, 6);
}

static void
test_csv_bom_and_lf (void)
{
  g_auto(Collected) collected = { 0 };
  g_autoptr(GError) error = NULL;
  KassaCsvRow header = { 0 };
  char **fields;

  g_assert_true (parse_text ("\xEF\xBB\xBF\"sku\",Name\nA-1,Apple\nB-2,Bread", -1, &collected, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (collected.rows->len, ==, 3);
  g_assert_cmpstr (field (&collected, 0, 0), ==, "sku");
  g_assert_cmpstr (field (&collected, 2, 1), ==, "Bread");
  g_assert_cmpuint (g_array_index (collected.lines, guint, 2), ==, 3);

  fields = g_ptr_array_index (collected.rows, 0);
  header.fields = (const char * const *) fields;
  header.n_fields = g_strv_length (fields);
  g_assert_cmpint (kassa_csv_find_column (&header, "SKU"), ==, 0);
  g_assert_cmpint (kassa_csv_find_column (&header, "name"), ==, 1);
  g_assert_cmpint (kassa_csv_find_column (&header, "price"), ==, -1);
}

static void
test_csv_invalid_utf8 (void)
{
  g_auto(Collected) collected = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (parse_text ("name\nok\nbad\xC3\x28\n", -1, &collected, &error));
  g_assert_no_error (error);
  g_assert_true (g_array_index (collected.valid, gboolean, 1));
  g_assert_false (g_array_index (collected.valid, gboolean, 2));
}

static void
test_csv_errors (void)
{
  g_auto(Collected) unterminated = { 0 };
  g_auto(Collected) stopped = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_false (parse_text ("name\n\"never closed\n", -1, &unterminated, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  /* The row callback can stop the parse with its own error. */
  stopped.stop_after = 2;
  g_assert_false (parse_text ("a\nb\nc\nd\n", -1, &stopped, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "stopped at line 2");
  g_assert_cmpuint (stopped.rows->len, ==, 2);
}

/* Found by fuzz/fuzz-catalog-import: libcsv reads the rest of the chunk
 * after the callback stopped, and a syntax error there (a quote inside
 * an unquoted field) was set over the callback's error. The callback's
 * error, about the first bad row, is the one that counts. */
static void
test_csv_stop_then_syntax_error (void)
{
  g_auto(Collected) stopped = { 0 };
  g_autoptr(GError) error = NULL;

  stopped.stop_after = 1;
  g_assert_false (parse_text ("\xd6\n\xc4\"", -1, &stopped, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "stopped at line 1");
  g_assert_cmpuint (stopped.rows->len, ==, 1);
  g_clear_error (&error);
  collected_clear (&stopped);

  stopped.stop_after = 1;
  g_assert_false (parse_text ("name,famprice\nx,\"1\"\"\"2\nbroken\"quote\n", -1, &stopped, &error));
  g_assert_cmpstr (error->message, ==, "stopped at line 1");
  g_assert_cmpuint (stopped.rows->len, ==, 1);
}

static void
test_csv_write_round_trip (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(Collected) collected = { 0 };
  g_autoptr(GError) error = NULL;
  const char *row[] = { "Tea, green", "say \"hi\"", "two\nlines", "", "naïve" };

  kassa_csv_append_row (out, row, G_N_ELEMENTS (row));
  kassa_csv_append_row (out, row, 2);
  g_assert_true (g_str_has_suffix (out->str, "\r\n"));

  g_assert_true (parse_text (out->str, out->len, &collected, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (collected.rows->len, ==, 2);
  for (guint i = 0; i < G_N_ELEMENTS (row); i++)
    g_assert_cmpstr (field (&collected, 0, i), ==, row[i]);
  g_assert_cmpuint (g_strv_length (g_ptr_array_index (collected.rows, 1)), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/csv/quoting-and-lines", test_csv_quoting_and_lines);
  g_test_add_func ("/kassa/csv/bom-and-lf", test_csv_bom_and_lf);
  g_test_add_func ("/kassa/csv/invalid-utf8", test_csv_invalid_utf8);
  g_test_add_func ("/kassa/csv/errors", test_csv_errors);
  g_test_add_func ("/kassa/csv/stop-then-syntax-error", test_csv_stop_then_syntax_error);
  g_test_add_func ("/kassa/csv/write-round-trip", test_csv_write_round_trip);

  return g_test_run ();
}
