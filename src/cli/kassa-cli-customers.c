/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-cli-customers"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "kassa-cli-commands.h"
#include "kassa-customer-import.h"
#include "kassa-shop.h"

#define LIST_PAGE 500

static gboolean
usage (GError     **error,
       const char  *message)
{
  g_set_error_literal (error, KASSA_CLI_USAGE_ERROR, 0, message);
  return FALSE;
}

/* One customer per line: tabs and line breaks inside a field would
 * break the columns, so they show as spaces here (the database keeps
 * them). */
static void
append_field (GString    *out,
              const char *text)
{
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    g_string_append_c (out, (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p);
}

static gboolean
list (KassaCliContext  *context,
      KassaShop        *shop,
      GError          **error)
{
  guint offset = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) page = kassa_shop_list_customers (shop, offset, LIST_PAGE, error);
      g_autoptr(GString) out = g_string_new (NULL);

      if (page == NULL)
        return FALSE;

      for (guint i = 0; i < page->len; i++)
        {
          KassaCustomer *customer = page->pdata[i];

          g_string_append_printf (out, "%" PRId64 "\t", kassa_customer_get_id (customer));
          append_field (out, kassa_customer_get_name (customer));
          g_string_append_c (out, '\t');
          append_field (out, kassa_customer_get_email (customer));
          g_string_append_c (out, '\t');
          append_field (out, kassa_customer_get_phone (customer));
          g_string_append_c (out, '\n');
        }

      if (!kassa_cli_write (context, out->str, error))
        return FALSE;

      offset += page->len;
      if (page->len < LIST_PAGE)
        return TRUE;
    }
}

/* import [--skip-invalid] [--decimal .|,] FILE: the options, read
 * before any database is opened so a usage error touches none. */
typedef struct
{
  KassaCustomerImportFlags flags;
  /* A line every PROGRESS_LINE_EVERY rows even when standard error is
   * no terminal. */
  gboolean                 progress_lines;
  gboolean                 progress_shown;
  /* The final call repeats the last count. */
  guint                    last_line;
} ImportOptions;

#define PROGRESS_LINE_EVERY 10000

static gboolean
parse_import_options (int             *argc,
                      char          ***argv,
                      ImportOptions   *import_options,
                      GError         **error)
{
  g_autoptr(GOptionContext) options = NULL;
  g_autofree char *decimal = NULL;
  gboolean skip_invalid = FALSE;
  GOptionEntry entries[] = {
    { "skip-invalid", 0, 0, G_OPTION_ARG_NONE, &skip_invalid, N_("Import the good rows and list the bad ones"), NULL },
    /* Customers hold no numbers; taken so one command line fits both imports. */
    { "decimal", 0, 0, G_OPTION_ARG_STRING, &decimal, N_("Decimal separator: . or ,"), N_("SEPARATOR") },
    { "progress", 0, 0, G_OPTION_ARG_NONE, &import_options->progress_lines,
      N_("Report progress on standard error even when it is not a terminal"), NULL },
    { NULL }
  };

  options = g_option_context_new (_("FILE"));
  g_option_context_set_help_enabled (options, FALSE);
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (options, argc, argv, error))
    return FALSE;

  if (decimal != NULL && !g_str_equal (decimal, ".") && !g_str_equal (decimal, ","))
    return usage (error, _("--decimal takes “.” or “,”"));

  import_options->flags = skip_invalid ? KASSA_CUSTOMER_IMPORT_SKIP_INVALID : KASSA_CUSTOMER_IMPORT_NONE;
  return TRUE;
}

static void
import_progress_cb (guint    n_done,
                    gpointer user_data)
{
  ImportOptions *options = user_data;

  if (isatty (fileno (stderr)))
    {
      options->progress_shown = TRUE;
      g_printerr ("\r");
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "Importing customers… %u row", "Importing customers… %u rows", n_done),
                  n_done);
    }
  else if (options->progress_lines && n_done % PROGRESS_LINE_EVERY == 0 && n_done != options->last_line)
    {
      options->last_line = n_done;
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "Importing customers… %u row\n", "Importing customers… %u rows\n", n_done),
                  n_done);
    }
}

static gboolean
import (KassaCliContext  *context,
        KassaShop        *shop,
        const char       *path,
        ImportOptions    *options,
        GError          **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFileInputStream) input = NULL;
  g_auto(KassaCustomerImportResult) result = { 0 };
  g_autofree char *message = NULL;
  guint n, n_invalid, listed;
  gboolean ok;

  input = g_file_read (file, NULL, error);
  if (input == NULL)
    return FALSE;

  ok = kassa_customer_import_csv (shop, G_INPUT_STREAM (input), options->flags, import_progress_cb, options,
                                  &result, NULL, error);
  if (options->progress_shown)
    g_printerr ("\n");
  if (!ok)
    {
      /* Name the file: the message already names line and column. */
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }

  n = result.n_imported;
  n_invalid = result.n_invalid;
  if (n_invalid == 0)
    {
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u customer\n", "Imported %u customers\n", n), n);
      return kassa_cli_write (context, message, error);
    }

  listed = g_strv_length (result.invalid_rows);
  for (guint i = 0; i < listed; i++)
    g_printerr ("%s: %s\n", path, result.invalid_rows[i]);
  if (n_invalid > listed)
    g_printerr (g_dngettext (GETTEXT_PACKAGE, "%s: and %u more\n", "%s: and %u more\n", n_invalid - listed),
                path, n_invalid - listed);

  {
    g_autofree char *imported = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u customer",
                                                              "Imported %u customers", n), n);
    g_autofree char *skipped = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "skipped %u invalid row",
                                                             "skipped %u invalid rows", n_invalid), n_invalid);

    /* Translators: "Imported 97 customers; skipped 3 invalid rows" */
    message = g_strdup_printf (_("%s; %s\n"), imported, skipped);
  }
  return kassa_cli_write (context, message, error);
}

static gboolean
export (KassaCliContext  *context,
        KassaShop        *shop,
        const char       *path,
        GError          **error)
{
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *message = NULL;
  guint n = 0;

  if (!kassa_customer_export_csv (shop, output, &n, NULL, error) ||
      !g_output_stream_close (output, NULL, error))
    return FALSE;

  /* Written whole or not at all: a failed export never leaves half a
   * file where a good one was. */
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (output));
  if (!g_file_set_contents_full (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
    return FALSE;

  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u customer\n", "Exported %u customers\n", n), n);
  return kassa_cli_write (context, message, error);
}

gboolean
kassa_cli_customers (KassaCliContext  *context,
                     int               argc,
                     char            **argv,
                     GError          **error)
{
  g_autoptr(KassaShop) shop = NULL;
  ImportOptions import_options = { 0 };
  const char *action;

  if (argc < 2)
    return usage (error, _("customers needs an action: list, import FILE or export FILE"));

  action = argv[1];
  if (g_str_equal (action, "list"))
    {
      if (argc != 2)
        return usage (error, _("customers list takes no arguments"));
    }
  else if (g_str_equal (action, "import"))
    {
      argc--;
      argv++;
      if (!parse_import_options (&argc, &argv, &import_options, error))
        return FALSE;
      if (argc != 2 || argv[1][0] == '\0')
        return usage (error, _("customers import needs one FILE"));
    }
  else if (g_str_equal (action, "export"))
    {
      if (argc != 3 || argv[2][0] == '\0')
        return usage (error, _("customers export needs one FILE"));
    }
  else
    {
      g_autofree char *message = g_strdup_printf (_("Unknown customers action “%s”; use list, import or export"),
                                                  action);
      return usage (error, message);
    }

  shop = kassa_cli_open_shop (context, error);
  if (shop == NULL)
    return FALSE;

  if (g_str_equal (action, "list"))
    return list (context, shop, error);
  else if (g_str_equal (action, "import"))
    return import (context, shop, argv[1], &import_options, error);
  else
    return export (context, shop, argv[2], error);
}
