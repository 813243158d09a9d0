/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-cli-invoices"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "kassa-cli-commands.h"
#include "kassa-shop-invoices.h"
#include "kassa-shop-orders.h"
#include "kassa-shop-print.h"

#define DEFAULT_LIST_LIMIT 100

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
            gboolean          pretty,
            GError          **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, pretty);
  text = json_generator_to_data (generator, NULL);
  line = g_strconcat (text, "\n", NULL);

  return kassa_cli_write (context, line, error);
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
    return usage (error, _("invoices import needs one FILE.json, or - for standard input"));

  bytes = kassa_cli_read_input (context, argv[1], error);
  if (bytes == NULL)
    return FALSE;

  shop = kassa_cli_open_shop (context, error);
  if (shop == NULL)
    return FALSE;

  data = g_bytes_get_data (bytes, &length);
  result = kassa_shop_import_invoices (shop, data != NULL ? data : "", length,
                                       kassa_cli_import_progress_cb, (gpointer) _("Importing invoices…"), error);
  if (result == NULL)
    return FALSE;

  return write_json (context, result, FALSE, error);
}

static gboolean
parse_status (const char          *text,
              KassaInvoiceFilter  *filter,
              GError             **error)
{
  static const struct { const char *nick; KassaInvoiceStatus status; } statuses[] = {
    { "draft", KASSA_INVOICE_STATUS_DRAFT },
    { "issued", KASSA_INVOICE_STATUS_ISSUED },
    { "paid", KASSA_INVOICE_STATUS_PAID },
    { "credited", KASSA_INVOICE_STATUS_CREDITED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      if (g_str_equal (text, statuses[i].nick))
        {
          filter->status = statuses[i].status;
          return TRUE;
        }
    }

  return usage (error, _("--status is draft, issued, paid or credited"));
}

static gboolean
run_list (KassaCliContext  *context,
          int               argc,
          char            **argv,
          GError          **error)
{
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(KassaShop) shop = NULL;
  g_autoptr(GPtrArray) invoices = NULL;
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *status = NULL;
  gboolean as_json = FALSE;
  int limit = DEFAULT_LIST_LIMIT;
  KassaInvoiceFilter filter = KASSA_INVOICE_FILTER_INIT;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status, N_("Only invoices in STATUS (draft, issued, paid, credited)"), N_("STATUS") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("Print at most N invoices"), N_("N") },
    { NULL }
  };

  options = g_option_context_new (NULL);
  g_option_context_set_help_enabled (options, FALSE);
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (options, &argc, &argv, error))
    return FALSE;

  if (argc != 1)
    return usage (error, _("invoices list takes no arguments"));
  if (limit <= 0)
    return usage (error, _("--limit takes a number above zero"));
  if (status != NULL && !parse_status (status, &filter, error))
    return FALSE;

  shop = kassa_cli_open_shop (context, error);
  if (shop == NULL)
    return FALSE;

  invoices = kassa_shop_list_invoices (shop, &filter, limit, error);
  if (invoices == NULL)
    return FALSE;

  for (guint i = 0; i < invoices->len; i++)
    {
      g_autoptr(JsonNode) node = kassa_shop_invoice_to_json (shop, invoices->pdata[i], FALSE, error);
      JsonObject *object;
      const char *reference;
      const char *issue_date;

      if (node == NULL)
        return FALSE;

      object = json_node_get_object (node);
      reference = json_object_get_string_member_with_default (object, "reference", NULL);
      issue_date = json_object_get_string_member_with_default (object, "issue_date", NULL);
      /* Reference (or the draft's id), kind, status, date, buyer, total. */
      if (reference != NULL)
        g_string_append (out, reference);
      else
        g_string_append_printf (out, "%" PRId64, json_object_get_int_member (object, "id"));
      g_string_append_printf (out, "\t%s\t%s\t%s\t%s\t%s %s\n",
                              json_object_get_string_member (object, "kind"),
                              json_object_get_string_member (object, "status"),
                              issue_date != NULL ? issue_date : "-",
                              json_object_get_string_member (json_object_get_object_member (object, "customer"),
                                                             "name"),
                              json_object_get_string_member (object, "total"),
                              json_object_get_string_member (object, "currency"));
      json_array_add_element (array, g_steal_pointer (&node));
    }

  if (as_json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

      json_node_set_array (root, array);
      return write_json (context, root, FALSE, error);
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
  g_autoptr(KassaInvoice) invoice = NULL;
  g_autoptr(JsonNode) node = NULL;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL },
    { NULL }
  };

  options = g_option_context_new (_("REF|ID"));
  g_option_context_set_help_enabled (options, FALSE);
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (options, &argc, &argv, error))
    return FALSE;

  if (argc != 2)
    return usage (error, _("invoices show takes one REF or ID"));

  shop = kassa_cli_open_shop (context, error);
  if (shop == NULL)
    return FALSE;

  invoice = kassa_shop_find_invoice (shop, argv[1], error);
  if (invoice == NULL)
    return FALSE;

  node = kassa_shop_invoice_to_json (shop, invoice, TRUE, error);
  if (node == NULL)
    return FALSE;

  return write_json (context, node, !as_json, error);
}

static gboolean
run_issue (KassaCliContext  *context,
           int               argc,
           char            **argv,
           GError          **error)
{
  g_autoptr(KassaShop) shop = NULL;
  g_autoptr(KassaInvoice) invoice = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *message = NULL;
  char *end = NULL;
  gint64 id;

  if (argc != 2)
    return usage (error, _("invoices issue takes the ID of one draft"));

  id = g_ascii_strtoll (argv[1], &end, 10);
  if (argv[1][0] == '\0' || *end != '\0' || id <= 0)
    return usage (error, _("invoices issue takes the ID of one draft, a number"));

  shop = kassa_cli_open_shop (context, error);
  if (shop == NULL)
    return FALSE;

  now = g_date_time_new_now_local ();
  invoice = kassa_shop_issue_invoice (shop, id, now, error);
  if (invoice == NULL)
    return FALSE;

  message = g_strdup_printf ("%s\n", kassa_invoice_get_reference (invoice));
  return kassa_cli_write (context, message, error);
}

static gboolean
run_pdf (KassaCliContext  *context,
         int               argc,
         char            **argv,
         GError          **error)
{
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(KassaShop) shop = NULL;
  g_autofree char *output = NULL;
  g_autofree char *page = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *message = NULL;
  KassaPageFormat format = KASSA_PAGE_FORMAT_A4;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the PDF to FILE"), N_("FILE") },
    { "page", 0, 0, G_OPTION_ARG_STRING, &page, N_("Page size: a4 or letter"), N_("SIZE") },
    { NULL }
  };

  options = g_option_context_new (_("REF|ID"));
  g_option_context_set_help_enabled (options, FALSE);
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (options, &argc, &argv, error))
    return FALSE;

  if (argc != 2)
    return usage (error, _("invoices pdf takes one REF or ID"));
  if (output == NULL || output[0] == '\0')
    return usage (error, _("invoices pdf needs -o FILE.pdf"));
  lower = g_ascii_strdown (output, -1);
  if (!g_str_has_suffix (lower, ".pdf"))
    return usage (error, _("invoices pdf writes PDF only: name the file FILE.pdf"));
  if (page != NULL && g_ascii_strcasecmp (page, "letter") == 0)
    format = KASSA_PAGE_FORMAT_LETTER;
  else if (page != NULL && g_ascii_strcasecmp (page, "a4") != 0)
    return usage (error, _("--page is a4 or letter"));

  shop = kassa_cli_open_shop (context, error);
  if (shop == NULL)
    return FALSE;

  if (!kassa_shop_print_invoice_pdf (shop, argv[1], format, output, error))
    return FALSE;

  message = g_strdup_printf (_("Wrote %s to %s\n"), argv[1], output);
  return kassa_cli_write (context, message, error);
}

/* Invoices the order ID|NUMBER as it was sold, so its receipt links the invoice. */
static gboolean
run_order (KassaCliContext  *context,
           int               argc,
           char            **argv,
           GError          **error)
{
  g_autoptr(KassaShop) shop = NULL;
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(KassaInvoice) invoice = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *message = NULL;

  if (argc != 2 || argv[1][0] == '\0')
    return usage (error, _("invoices order takes one order ID or NUMBER"));

  shop = kassa_cli_open_shop (context, error);
  if (shop == NULL)
    return FALSE;

  order = kassa_shop_find_order (shop, argv[1], error);
  if (order == NULL)
    return FALSE;

  now = g_date_time_new_now_local ();
  invoice = kassa_shop_invoice_order (shop, kassa_order_get_id (order), now, error);
  if (invoice == NULL)
    return FALSE;

  message = g_strdup_printf ("%s\n", kassa_invoice_get_reference (invoice));
  return kassa_cli_write (context, message, error);
}

/* Prints the base of public invoice links, sets it, or with --clear removes it. */
static gboolean
run_link_base (KassaCliContext  *context,
               int               argc,
               char            **argv,
               GError          **error)
{
  g_autoptr(KassaShop) shop = NULL;
  g_autofree char *base = NULL;
  g_autofree char *line = NULL;

  if (argc > 2)
    return usage (error, _("invoices link-base takes one URL, --clear, or nothing to print it"));

  shop = kassa_cli_open_shop (context, error);
  if (shop == NULL)
    return FALSE;

  if (argc == 2)
    return kassa_shop_set_invoice_link_base (shop, g_str_equal (argv[1], "--clear") ? NULL : argv[1], error);

  base = kassa_shop_get_invoice_link_base (shop, error);
  if (base == NULL)
    return error == NULL || *error == NULL;

  line = g_strconcat (base, "\n", NULL);
  return kassa_cli_write (context, line, error);
}

gboolean
kassa_cli_invoices (KassaCliContext  *context,
                    int               argc,
                    char            **argv,
                    GError          **error)
{
  const char *action;

  if (argc < 2)
    return usage (error, _("invoices needs an action: import, list, show, issue, pdf, order or link-base"));

  action = argv[1];
  if (g_str_equal (action, "import"))
    return run_import (context, argc - 1, argv + 1, error);
  else if (g_str_equal (action, "list"))
    return run_list (context, argc - 1, argv + 1, error);
  else if (g_str_equal (action, "show"))
    return run_show (context, argc - 1, argv + 1, error);
  else if (g_str_equal (action, "issue"))
    return run_issue (context, argc - 1, argv + 1, error);
  else if (g_str_equal (action, "pdf"))
    return run_pdf (context, argc - 1, argv + 1, error);
  else if (g_str_equal (action, "order"))
    return run_order (context, argc - 1, argv + 1, error);
  else if (g_str_equal (action, "link-base"))
    return run_link_base (context, argc - 1, argv + 1, error);

  {
    g_autofree char *message = g_strdup_printf (_("Unknown invoices action “%s”; use import, list, show, issue, pdf, order or link-base"),
                                                action);
    return usage (error, message);
  }
}
