/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-cli-products"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kassa-cli-commands.h"
#include "kassa-shop-catalog.h"

#define DEFAULT_LIST_LIMIT 100
#define DEFAULT_SEARCH_LIMIT 20

static gboolean
usage (GError     **error,
       const char  *message)
{
  g_set_error_literal (error, KASSA_CLI_USAGE_ERROR, 0, message);
  return FALSE;
}

static KassaShop *
open_shop (KassaCliContext  *context,
           GError          **error)
{
  KassaShop *shop = kassa_shop_open (context->database_path, error);

  /* Whoever holds the file and runs the tool acts for the shop. */
  if (shop != NULL)
    kassa_shop_act_as_system (shop);

  return shop;
}

static gboolean
parse_status (const char          *text,
              KassaCatalogFilter  *filter,
              GError             **error)
{
  static const struct {
    const char         *name;
    KassaCatalogFilter  filter;
  } names[] = {
    { "any", KASSA_CATALOG_FILTER_ANY },
    { "active", KASSA_CATALOG_FILTER_ACTIVE },
    { "draft", KASSA_CATALOG_FILTER_DRAFT },
    { "archived", KASSA_CATALOG_FILTER_ARCHIVED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_str_equal (text, names[i].name))
        {
          *filter = names[i].filter;
          return TRUE;
        }
    }

  g_set_error (error, KASSA_CLI_USAGE_ERROR, 0,
               _("Unknown status “%s”: use any, active, draft or archived"), text);
  return FALSE;
}

static char *
json_line (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  return g_strconcat (text, "\n", NULL);
}

/* One line per item for people: SKU, name, price and currency, status. */
static gboolean
write_items (KassaCliContext  *context,
             GPtrArray        *items,
             gboolean          as_json,
             GError          **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (as_json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autofree char *line = NULL;

      for (guint i = 0; i < items->len; i++)
        {
          JsonNode *node = kassa_catalog_item_to_json (items->pdata[i], error);

          if (node == NULL)
            return FALSE;
          json_array_add_element (array, node);
        }

      json_node_set_array (root, array);
      line = json_line (root);
      return kassa_cli_write (context, line, error);
    }

  for (guint i = 0; i < items->len; i++)
    {
      g_autoptr(JsonNode) node = kassa_catalog_item_to_json (items->pdata[i], error);
      JsonObject *object;

      if (node == NULL)
        return FALSE;

      object = json_node_get_object (node);
      g_string_append_printf (out, "%s\t%s\t%s %s\t%s\n",
                              json_object_get_string_member_with_default (object, "sku", "-") ?: "-",
                              json_object_get_string_member (object, "name"),
                              json_object_get_string_member (object, "price"),
                              json_object_get_string_member (object, "currency"),
                              json_object_get_string_member (object, "status"));
    }

  return kassa_cli_write (context, out->str, error);
}

static gboolean
run_list (KassaCliContext  *context,
          int               argc,
          char            **argv,
          gboolean          search,
          GError          **error)
{
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(KassaShop) shop = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *status = NULL;
  gboolean as_json = FALSE;
  int limit = search ? DEFAULT_SEARCH_LIMIT : DEFAULT_LIST_LIMIT;
  int offset = 0;
  KassaCatalogFilter filter = search ? KASSA_CATALOG_FILTER_ACTIVE : KASSA_CATALOG_FILTER_ANY;
  GOptionEntry list_entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status, N_("Only items of STATUS (any, active, draft, archived)"), N_("STATUS") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("Print at most N items"), N_("N") },
    { "offset", 0, 0, G_OPTION_ARG_INT, &offset, N_("Skip the first N items"), N_("N") },
    { NULL }
  };

  options = g_option_context_new (search ? _("TEXT") : NULL);
  g_option_context_set_help_enabled (options, FALSE);
  /* Search results come best first and are few: no paging through them.
   * Cutting the table before --offset leaves it out of search. */
  if (search)
    list_entries[3].long_name = NULL;
  g_option_context_add_main_entries (options, list_entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (options, &argc, &argv, error))
    return FALSE;

  if (status != NULL && !parse_status (status, &filter, error))
    return FALSE;
  if (limit < 0 || offset < 0)
    return usage (error, _("--limit and --offset take a number of zero or more"));

  if (search && argc != 2)
    return usage (error, _("products search takes one TEXT"));
  if (!search && argc != 1)
    return usage (error, _("products list takes no arguments"));

  shop = open_shop (context, error);
  if (shop == NULL)
    return FALSE;

  if (search)
    items = kassa_shop_search_catalog (shop, argv[1], filter, limit, error);
  else
    items = kassa_shop_list_catalog (shop, filter, offset, limit, error);
  if (items == NULL)
    return FALSE;

  return write_items (context, items, as_json, error);
}

static gboolean
run_show (KassaCliContext  *context,
          int               argc,
          char            **argv,
          GError          **error)
{
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(KassaShop) shop = NULL;
  g_autoptr(KassaCatalogItem) item = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  options = g_option_context_new (_("SKU"));
  g_option_context_set_help_enabled (options, FALSE);
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (options, &argc, &argv, error))
    return FALSE;

  if (argc != 2)
    return usage (error, _("products show takes one SKU"));

  shop = open_shop (context, error);
  if (shop == NULL)
    return FALSE;

  item = kassa_shop_get_item_by_sku (shop, argv[1], error);
  if (item == NULL)
    return FALSE;

  node = kassa_catalog_item_to_json (item, error);
  if (node == NULL)
    return FALSE;

  if (as_json)
    {
      g_autofree char *line = json_line (node);

      return kassa_cli_write (context, line, error);
    }

  /* The file format's field names, so what people read is what they import. */
  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *member = l->data;
      JsonNode *value = json_object_get_member (object, member);
      g_autofree char *text = NULL;

      if (JSON_NODE_HOLDS_NULL (value))
        text = g_strdup ("");
      else if (json_node_get_value_type (value) == G_TYPE_STRING)
        text = g_strdup (json_node_get_string (value));
      else
        text = json_to_string (value, FALSE);

      g_string_append_printf (out, "%s: %s\n", member, text);
    }

  return kassa_cli_write (context, out->str, error);
}

/* The format from --format, else from the file's extension; "-" needs --format. */
static gboolean
pick_format (const char          *path,
             const char          *format_name,
             KassaCatalogFormat  *format,
             GError             **error)
{
  g_autoptr(GError) local_error = NULL;

  if (format_name != NULL)
    {
      if (!kassa_catalog_format_from_name (format_name, format, &local_error))
        return usage (error, local_error->message);
      return TRUE;
    }

  if (g_str_equal (path, "-"))
    return usage (error, _("Reading or writing “-” needs --format csv or --format json"));

  if (!kassa_catalog_format_from_path (path, format, &local_error))
    return usage (error, local_error->message);

  return TRUE;
}

/* Rows read so far, on standard error: rewritten in place on a
 * terminal; elsewhere, with --progress, a line every PROGRESS_LINE_EVERY
 * rows, so logs and tests stay quiet unless asked. */
typedef struct
{
  gboolean terminal;
  gboolean lines;
  gboolean shown;
  /* The final call repeats the last count. */
  guint    last_line;
} Progress;

#define PROGRESS_LINE_EVERY 10000

static void
import_progress_cb (guint    n_done,
                    gpointer user_data)
{
  Progress *progress = user_data;

  if (progress->terminal)
    {
      progress->shown = TRUE;
      g_printerr ("\r");
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "Importing products… %u row", "Importing products… %u rows", n_done), n_done);
    }
  else if (progress->lines && n_done % PROGRESS_LINE_EVERY == 0 && n_done != progress->last_line)
    {
      progress->last_line = n_done;
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "Importing products… %u row\n", "Importing products… %u rows\n", n_done), n_done);
    }
}

/* The rows an import left out, one per line. */
static void
print_invalid_rows (const KassaCatalogImportResult *result)
{
  guint listed = result->invalid_rows != NULL ? g_strv_length (result->invalid_rows) : 0;

  for (guint i = 0; i < listed; i++)
    g_printerr ("%s\n", result->invalid_rows[i]);
  if (result->n_invalid > listed)
    g_printerr (g_dngettext (GETTEXT_PACKAGE, "and %u more\n", "and %u more\n", result->n_invalid - listed),
                result->n_invalid - listed);
}

static gboolean
parse_decimal (const char  *text,
               gboolean    *comma,
               GError     **error)
{
  if (text == NULL || g_str_equal (text, "."))
    *comma = FALSE;
  else if (g_str_equal (text, ","))
    *comma = TRUE;
  else
    return usage (error, _("--decimal takes “.” or “,”"));

  return TRUE;
}

static gboolean
run_import (KassaCliContext  *context,
            int               argc,
            char            **argv,
            GError          **error)
{
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(KassaShop) shop = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *decimal = NULL;
  g_autofree char *summary = NULL;
  gboolean update = FALSE;
  gboolean skip_invalid = FALSE;
  gboolean decimal_comma = FALSE;
  Progress progress = { 0 };
  KassaCatalogImportFlags flags = KASSA_CATALOG_IMPORT_NONE;
  KassaCatalogFormat format;
  g_auto(KassaCatalogImportResult) result = { 0 };
  gboolean ok;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name, N_("csv or json (default: from the file name)"), N_("FORMAT") },
    { "update", 0, 0, G_OPTION_ARG_NONE, &update, N_("Update items whose SKU already exists"), NULL },
    { "skip-invalid", 0, 0, G_OPTION_ARG_NONE, &skip_invalid, N_("Import the good rows and list the bad ones"), NULL },
    { "decimal", 0, 0, G_OPTION_ARG_STRING, &decimal, N_("Decimal separator of prices, rates and stock: . or ,"), N_("SEPARATOR") },
    { "progress", 0, 0, G_OPTION_ARG_NONE, &progress.lines, N_("Report progress on standard error even when it is not a terminal"), NULL },
    { NULL }
  };

  options = g_option_context_new (_("FILE"));
  g_option_context_set_help_enabled (options, FALSE);
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (options, &argc, &argv, error))
    return FALSE;

  if (argc != 2)
    return usage (error, _("products import takes one FILE (“-” for standard input)"));

  if (!pick_format (argv[1], format_name, &format, error))
    return FALSE;

  if (!parse_decimal (decimal, &decimal_comma, error))
    return FALSE;

  if (update)
    flags |= KASSA_CATALOG_IMPORT_UPDATE_EXISTING;
  if (skip_invalid)
    flags |= KASSA_CATALOG_IMPORT_SKIP_INVALID;
  if (decimal_comma)
    flags |= KASSA_CATALOG_IMPORT_DECIMAL_COMMA;

  if (g_str_equal (argv[1], "-"))
    {
      stream = g_object_ref (context->stdin_stream);
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[1]);

      stream = G_INPUT_STREAM (g_file_read (file, NULL, error));
      if (stream == NULL)
        return FALSE;
    }

  shop = open_shop (context, error);
  if (shop == NULL)
    return FALSE;

  progress.terminal = isatty (fileno (stderr));
  ok = kassa_shop_import_catalog (shop, stream, format, flags, import_progress_cb, &progress,
                                  &result, NULL, error);
  if (progress.shown)
    g_printerr ("\n");
  if (!ok)
    return FALSE;

  if (result.n_invalid > 0)
    {
      print_invalid_rows (&result);
      summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u added, %u updated; skipped %u invalid row\n",
                                              "%u added, %u updated; skipped %u invalid rows\n",
                                              result.n_invalid),
                                 result.n_added, result.n_updated, result.n_invalid);
    }
  else
    summary = g_strdup_printf (_("%u added, %u updated\n"), result.n_added, result.n_updated);

  return kassa_cli_write (context, summary, error);
}

static gboolean
run_export (KassaCliContext  *context,
            int               argc,
            char            **argv,
            GError          **error)
{
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(KassaShop) shop = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  g_autofree char *format_name = NULL;
  KassaCatalogFormat format;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name, N_("csv or json (default: from the file name)"), N_("FORMAT") },
    { NULL }
  };

  options = g_option_context_new (_("FILE"));
  g_option_context_set_help_enabled (options, FALSE);
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (options, &argc, &argv, error))
    return FALSE;

  if (argc != 2)
    return usage (error, _("products export takes one FILE (“-” for standard output)"));

  if (!pick_format (argv[1], format_name, &format, error))
    return FALSE;

  shop = open_shop (context, error);
  if (shop == NULL)
    return FALSE;

  if (g_str_equal (argv[1], "-"))
    {
      return kassa_shop_export_catalog (shop, context->stdout_stream, format, NULL, error);
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[1]);

      /* Written beside and renamed on close: a failed export leaves the
       * old file whole. */
      stream = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error));
      if (stream == NULL)
        return FALSE;

      if (!kassa_shop_export_catalog (shop, stream, format, NULL, error))
        {
          g_autoptr(GCancellable) cancelled = g_cancellable_new ();

          /* Closing with a cancelled cancellable drops the temporary file. */
          g_cancellable_cancel (cancelled);
          g_output_stream_close (stream, cancelled, NULL);
          return FALSE;
        }

      return g_output_stream_close (stream, NULL, error);
    }
}

gboolean
kassa_cli_products (KassaCliContext  *context,
                    int               argc,
                    char            **argv,
                    GError          **error)
{
  const char *verb;

  if (argc < 2)
    return usage (error, _("products needs one of list, search, show, import, export"));

  verb = argv[1];
  if (g_str_equal (verb, "list"))
    return run_list (context, argc - 1, argv + 1, FALSE, error);
  if (g_str_equal (verb, "search"))
    return run_list (context, argc - 1, argv + 1, TRUE, error);
  if (g_str_equal (verb, "show"))
    return run_show (context, argc - 1, argv + 1, error);
  if (g_str_equal (verb, "import"))
    return run_import (context, argc - 1, argv + 1, error);
  if (g_str_equal (verb, "export"))
    return run_export (context, argc - 1, argv + 1, error);

  g_set_error (error, KASSA_CLI_USAGE_ERROR, 0,
               _("Unknown products command “%s”: use list, search, show, import or export"), verb);
  return FALSE;
}
