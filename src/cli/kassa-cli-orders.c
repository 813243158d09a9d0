/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-cli-orders"

#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "kassa-cli-commands.h"
#include "kassa-shop-orders.h"
#include "kassa-shop-print.h"

#define DEFAULT_LIST_LIMIT 100

/* Below this many documents an import is over before progress would help. */
#define PROGRESS_MINIMUM 1000

static gboolean
usage (GError     **error,
       const char  *message)
{
  g_set_error_literal (error, KASSA_CLI_USAGE_ERROR, 0, message);
  return FALSE;
}

static gboolean
write_json (KassaCliContext  *context,
            JsonNode         *node,
            GError          **error)
{
  g_autofree char *text = json_to_string (node, FALSE);
  g_autofree char *line = g_strconcat (text, "\n", NULL);

  return kassa_cli_write (context, line, error);
}

/* Reads FILE, or standard input for "-". */
GBytes *
kassa_cli_read_input (KassaCliContext  *context,
                      const char       *path,
                      GError          **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (g_str_equal (path, "-"))
    return kassa_cli_read_all (context, error);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

/* A terminal sees a running count; a log sees a line every tenth of a
 * long import. Standard output stays the result alone. */
void
kassa_cli_import_progress_cb (guint64  done,
                              guint64  total,
                              gpointer user_data)
{
  const char *what = user_data;

  if (isatty (fileno (stderr)))
    g_printerr ("\r%s %" PRIu64 "/%" PRIu64 "%s", what, done, total,
                done == total ? "\n" : "");
  else if (total >= PROGRESS_MINIMUM && (done * 10 / total != (done - MIN (done, 100)) * 10 / total || done == total))
    g_printerr ("%s %" PRIu64 "/%" PRIu64 "\n", what, done, total);
}

static gboolean
run_import (KassaCliContext  *context,
            int               argc,
            char            **argv,
            GError          **error)
{
  g_autoptr(KassaShop) shop = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) result = NULL;
  gsize length = 0;
  const char *data;

  if (argc != 2 || argv[1][0] == '\0')
    return usage (error, _("orders import needs one FILE.json, or - for standard input"));

  bytes = kassa_cli_read_input (context, argv[1], error);
  if (bytes == NULL)
    return FALSE;

  shop = kassa_cli_open_shop (context, error);
  if (shop == NULL)
    return FALSE;

  data = g_bytes_get_data (bytes, &length);
  result = kassa_shop_import_orders (shop, data != NULL ? data : "", length,
                                     kassa_cli_import_progress_cb, (gpointer) _("Importing orders…"), error);
  if (result == NULL)
    return FALSE;

  return write_json (context, result, error);
}

static gboolean
run_list (KassaCliContext  *context,
          int               argc,
          char            **argv,
          GError          **error)
{
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(KassaShop) shop = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *status = NULL;
  gboolean as_json = FALSE;
  int limit = DEFAULT_LIST_LIMIT;
  KassaOrderFilter filter = { 0 };
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status, N_("Only orders in payment or fulfilment STATUS"), N_("STATUS") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("Print at most N orders"), N_("N") },
    { NULL }
  };

  options = g_option_context_new (NULL);
  g_option_context_set_help_enabled (options, FALSE);
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (options, &argc, &argv, error))
    return FALSE;

  if (argc != 1)
    return usage (error, _("orders list takes no arguments"));
  if (limit <= 0)
    return usage (error, _("--limit takes a number above zero"));
  if (status != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (!kassa_shop_order_filter_parse_status (&filter, status, &local_error))
        return usage (error, local_error->message);
    }

  shop = kassa_cli_open_shop (context, error);
  if (shop == NULL)
    return FALSE;

  orders = kassa_shop_list_orders (shop, &filter, limit, error);
  if (orders == NULL)
    return FALSE;

  for (guint i = 0; i < orders->len; i++)
    {
      g_autoptr(JsonNode) node = kassa_shop_order_to_json (shop, orders->pdata[i], FALSE, error);
      JsonObject *object;

      if (node == NULL)
        return FALSE;

      object = json_node_get_object (node);
      /* Number, creation time, customer, total, payment and fulfilment. */
      g_string_append_printf (out, "%s\t%s\t%s\t%s %s\t%s\t%s\n",
                              json_object_get_string_member (object, "number"),
                              json_object_get_string_member (object, "created_at"),
                              json_object_get_string_member (json_object_get_object_member (object, "customer"),
                                                             "name"),
                              json_object_get_string_member (object, "total"),
                              json_object_get_string_member (object, "currency"),
                              json_object_get_string_member (object, "payment_status"),
                              json_object_get_string_member (object, "fulfilment_status"));
      json_array_add_element (array, g_steal_pointer (&node));
    }

  if (as_json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

      json_node_set_array (root, array);
      return write_json (context, root, error);
    }

  return kassa_cli_write (context, out->str, error);
}

static gboolean
run_show (KassaCliContext  *context,
          int               argc,
          char            **argv,
          GError          **error)
{
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(KassaShop) shop = NULL;
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(JsonNode) node = NULL;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL },
    { NULL }
  };

  options = g_option_context_new (_("ID|NUMBER"));
  g_option_context_set_help_enabled (options, FALSE);
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (options, &argc, &argv, error))
    return FALSE;

  if (argc != 2)
    return usage (error, _("orders show takes one ID or NUMBER"));

  shop = kassa_cli_open_shop (context, error);
  if (shop == NULL)
    return FALSE;

  order = kassa_shop_find_order (shop, argv[1], error);
  if (order == NULL)
    return FALSE;

  node = kassa_shop_order_to_json (shop, order, TRUE, error);
  if (node == NULL)
    return FALSE;

  if (!as_json)
    {
      /* JSON is the one full form; people get it spread out to read. */
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;
      g_autofree char *line = NULL;

      json_generator_set_root (generator, node);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      line = g_strconcat (text, "\n", NULL);
      return kassa_cli_write (context, line, error);
    }

  return write_json (context, node, error);
}

static gboolean
run_receipt (KassaCliContext  *context,
             int               argc,
             char            **argv,
             GError          **error)
{
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(KassaShop) shop = NULL;
  g_autoptr(KassaOrder) order = NULL;
  g_autofree char *output = NULL;
  g_autofree char *message = NULL;
  int paper_mm = 80;
  guint reprint = 0;
  KassaShopReceiptFormat format;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the receipt to FILE (.pdf, .png or .escpos)"), N_("FILE") },
    { "paper", 0, 0, G_OPTION_ARG_INT, &paper_mm, N_("Paper width in mm: 58 or 80"), N_("MM") },
    { NULL }
  };

  options = g_option_context_new (_("ID|NUMBER"));
  g_option_context_set_help_enabled (options, FALSE);
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (options, &argc, &argv, error))
    return FALSE;

  if (argc != 2)
    return usage (error, _("orders receipt takes one ID or NUMBER"));
  if (output == NULL || output[0] == '\0')
    return usage (error, _("orders receipt needs -o FILE.pdf, FILE.png or FILE.escpos"));
  if (!kassa_shop_receipt_format_from_path (output, &format))
    return usage (error, _("The receipt format follows the file’s extension: .pdf, .png or .escpos"));
  if (paper_mm != 58 && paper_mm != 80)
    return usage (error, _("--paper is 58 or 80"));

  shop = kassa_cli_open_shop (context, error);
  if (shop == NULL)
    return FALSE;

  order = kassa_shop_find_order (shop, argv[1], error);
  if (order == NULL)
    return FALSE;

  if (!kassa_shop_print_receipt (shop, kassa_order_get_id (order), format,
                                 paper_mm == 58 ? KASSA_RECEIPT_PAPER_58MM : KASSA_RECEIPT_PAPER_80MM,
                                 output, &reprint, error))
    return FALSE;

  if (reprint > 0)
    message = g_strdup_printf (_("Wrote reprint %u of the receipt of order %s to %s\n"),
                               reprint, kassa_order_get_number (order), output);
  else
    message = g_strdup_printf (_("Wrote the receipt of order %s to %s\n"), kassa_order_get_number (order), output);

  return kassa_cli_write (context, message, error);
}

gboolean
kassa_cli_orders (KassaCliContext  *context,
                  int               argc,
                  char            **argv,
                  GError          **error)
{
  const char *action;

  if (argc < 2)
    return usage (error, _("orders needs an action: import, list, show or receipt"));

  action = argv[1];
  if (g_str_equal (action, "import"))
    return run_import (context, argc - 1, argv + 1, error);
  else if (g_str_equal (action, "list"))
    return run_list (context, argc - 1, argv + 1, error);
  else if (g_str_equal (action, "show"))
    return run_show (context, argc - 1, argv + 1, error);
  else if (g_str_equal (action, "receipt"))
    return run_receipt (context, argc - 1, argv + 1, error);

  {
    g_autofree char *message = g_strdup_printf (_("Unknown orders action “%s”; use import, list, show or receipt"),
                                                action);
    return usage (error, message);
  }
}
