/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-cli-quote"

#include "config.h"

#include <glib/gi18n.h>

#include "kassa-cli-commands.h"
#include "kassa-quote.h"

/* Quotes never touch a database: the document on standard input carries
 * every setting the totals depend on. */
gboolean
kassa_cli_quote (KassaCliContext  *context,
                 int               argc,
                 char            **argv,
                 GError          **error)
{
  g_autoptr(GBytes) input = NULL;
  g_autofree char *output = NULL;
  g_autofree char *line = NULL;
  const char *data;
  gsize length;

  if (argc > 1)
    {
      g_set_error (error, KASSA_CLI_USAGE_ERROR, 0,
                   _("quote takes no arguments: it reads a JSON document on standard input"));
      return FALSE;
    }

  input = kassa_cli_read_all (context, error);
  if (input == NULL)
    return FALSE;

  data = g_bytes_get_data (input, &length);
  output = kassa_quote_compute_json (data, length, error);
  if (output == NULL)
    return FALSE;

  line = g_strconcat (output, "\n", NULL);
  return kassa_cli_write (context, line, error);
}
