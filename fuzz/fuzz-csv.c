/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CSV reader under every import: any bytes parse or fail with an
 * error, line numbers never go backwards, and a file written back from
 * the rows it read parses to the same rows. */
#include "config.h"

#include <stdint.h>

#include "kassa-csv.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

typedef struct
{
  GPtrArray *rows;
  guint      last_line;
} Collected;

static void
collected_clear (Collected *collected)
{
  g_clear_pointer (&collected->rows, g_ptr_array_unref);
}

static gboolean
collect_row_cb (const KassaCsvRow  *row,
                gpointer            user_data,
                GError            **error)
{
  Collected *collected = user_data;

  g_assert (row->line >= 1 && row->line >= collected->last_line);
  collected->last_line = row->line;

  if (row->valid_utf8)
    g_ptr_array_add (collected->rows, g_strdupv ((char **) row->fields));

  return TRUE;
}

static gboolean
parse (const char *data,
       gsize       size,
       Collected  *collected)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (data, size, NULL);

  collected->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  collected->last_line = 0;

  return kassa_csv_parse (stream, collect_row_cb, collected, NULL, NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  Collected first = { 0 }, second = { 0 };
  g_autoptr(GString) written = g_string_new (NULL);

  if (parse ((const char *) data, size, &first))
    {
      for (guint i = 0; i < first.rows->len; i++)
        {
          char **fields = g_ptr_array_index (first.rows, i);

          kassa_csv_append_row (written, (const char * const *) fields, g_strv_length (fields));
        }

      g_assert (parse (written->str, written->len, &second));
      /* Blank rows are skipped on reading, so only compare what came back. */
      g_assert_cmpuint (second.rows->len, <=, first.rows->len);
      for (guint i = 0, j = 0; i < second.rows->len; i++, j++)
        {
          char **fields = g_ptr_array_index (second.rows, i);

          while (j < first.rows->len &&
                 !g_strv_equal ((const char * const *) g_ptr_array_index (first.rows, j),
                                (const char * const *) fields))
            j++;
          g_assert (j < first.rows->len);
        }
    }

  collected_clear (&first);
  collected_clear (&second);

  return 0;
}
