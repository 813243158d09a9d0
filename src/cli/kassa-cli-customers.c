/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-cli-customers"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

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
static gboolean
parse_import_options (int                        *argc,
                      char                     ***argv,
                      KassaCustomerImportFlags   *flags,
                      GError                    **error)
{
  g_autoptr(GOptionContext) options = NULL;
  g_autofree char *decimal = NULL;
  gboolean skip_invalid = FALSE;
  GOptionEntry entries[] = {
    { "skip-invalid", 0, 0, G_OPTION_ARG_NONE, &skip_invalid, N_("Import the good rows and list the bad ones"), NULL },
    /* Customers hold no numbers; taken so one command line fits both imports. */
    { "decimal", 0, 0, G_OPTION_ARG_STRING, &decimal, N_("Decimal separator: . or ,"), N_("SEPARATOR") },
    { NULL }
  };

  options = g_option_context_new (_("FILE"));
  g_option_context_set_help_enabled (options, FALSE);
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (options, argc, argv, error))
    return FALSE;

  if (decimal != NULL && !g_str_equal (decimal, ".") && !g_str_equal (decimal, ","))
    return usage (error, _("--decimal takes “.” or “,”"));

  *flags = skip_invalid ? KASSA_CUSTOMER_IMPORT_SKIP_INVALID : KASSA_CUSTOMER_IMPORT_NONE;
  return TRUE;
}

static gboolean
import (KassaCliContext           *context,
        KassaShop                 *shop,
        const char                *path,
        KassaCustomerImportFlags   flags,
        GError                   **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFileInputStream) input = NULL;
  g_auto(GStrv) invalid_rows = NULL;
  g_autofree char *message = NULL;
  guint n = 0;
  guint n_invalid = 0;
  guint listed;

  input = g_file_read (file, NULL, error);
  if (input == NULL)
    return FALSE;

  if (!kassa_customer_import_csv (shop, G_INPUT_STREAM (input), flags, &n, &n_invalid, &invalid_rows,
                                  NULL, error))
    {
      /* Name the file: the message already names line and column. */
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }

  if (n_invalid == 0)
    {
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u customer\n", "Imported %u customers\n", n), n);
      return kassa_cli_write (context, message, error);
    }

  listed = g_strv_length (invalid_rows);
  for (guint i = 0; i < listed; i++)
    g_printerr ("%s: %s\n", path, invalid_rows[i]);
  if (n_invalid > listed)
    g_printerr (g_dngettext (GETTEXT_PACKAGE, "%s: and %u more\n", "%s: and %u more\n", n_invalid - listed),
                path, n_invalid - listed);

  /* Translators: the first %u counts customers, the second rows. */
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u customers; skipped %u invalid row\n",
                                          "Imported %u customers; skipped %u invalid rows\n", n_invalid),
                             n, n_invalid);
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
  KassaCustomerImportFlags flags = KASSA_CUSTOMER_IMPORT_NONE;
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
      if (!parse_import_options (&argc, &argv, &flags, error))
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
    return import (context, shop, argv[1], flags, error);
  else
    return export (context, shop, argv[2], error);
}
