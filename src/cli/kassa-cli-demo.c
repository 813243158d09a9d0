/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-cli-demo"

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "kassa-cli-commands.h"
#include "kassa-shop-demo.h"

/* Below these a demo is done before anyone would wait for it. */
#define LARGE_PRODUCTS 20000
#define LARGE_ORDERS   2000

typedef struct
{
  gboolean tty;
  gboolean shown;
  guint    last_tenth[2];
} Progress;

static void
progress_cb (KassaShopDemoStage stage,
             guint              n_done,
             guint              n_total,
             gpointer           user_data)
{
  Progress *progress = user_data;
  const char *what = stage == KASSA_SHOP_DEMO_STAGE_PRODUCTS ? _("Products") : _("Orders");
  guint tenth = n_total > 0 ? (guint) ((guint64) n_done * 10 / n_total) : 10;

  if ((stage == KASSA_SHOP_DEMO_STAGE_PRODUCTS && n_total < LARGE_PRODUCTS) ||
      (stage == KASSA_SHOP_DEMO_STAGE_ORDERS && n_total < LARGE_ORDERS))
    return;

  /* A terminal gets a running count; a log gets a line every tenth. */
  if (progress->tty)
    {
      g_printerr ("\r%s: %u / %u", what, n_done, n_total);
      if (n_done == n_total)
        g_printerr ("\n");
    }
  else if (tenth != progress->last_tenth[stage] || n_done == n_total)
    {
      g_printerr ("%s: %u / %u\n", what, n_done, n_total);
    }

  progress->last_tenth[stage] = tenth;
  progress->shown = TRUE;
}

gboolean
kassa_cli_demo (KassaCliContext  *context,
                int               argc,
                char            **argv,
                GError          **error)
{
  KassaShopDemoOptions options = KASSA_SHOP_DEMO_OPTIONS_INIT;
  KassaShopDemoResult result = { 0 };
  Progress progress = { 0 };
  g_autoptr(GOptionContext) option_context = NULL;
  g_autoptr(KassaShop) shop = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *currency = NULL;
  int n_products = options.n_products;
  int n_orders = options.n_orders;
  gint64 seed = options.seed;
  GOptionEntry entries[] = {
    { "products", 0, 0, G_OPTION_ARG_INT, &n_products,
      N_("Catalog items to make, at least the 40 written by hand (default 40)"), N_("N") },
    { "orders", 0, 0, G_OPTION_ARG_INT, &n_orders, N_("Till sales to make (default 60)"), N_("M") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Seed of the generator: the same seed, the same store (default 1)"), N_("S") },
    { "currency", 0, 0, G_OPTION_ARG_STRING, &currency, N_("Currency of the store (default EUR)"), N_("CODE") },
    { NULL }
  };

  option_context = g_option_context_new (NULL);
  g_option_context_set_summary (option_context,
                                _("Fill an empty store with a demo café: profile, staff, catalog, customers, sales and invoices."));
  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (option_context, TRUE);
  if (!g_option_context_parse (option_context, &argc, &argv, error))
    return FALSE;

  if (argc != 1)
    {
      g_set_error (error, KASSA_CLI_USAGE_ERROR, 0, _("demo takes no arguments, only options: “%s”"), argv[1]);
      return FALSE;
    }
  if (n_products < 0 || n_orders < 0 || seed < 0 || seed > G_MAXUINT32)
    {
      g_set_error_literal (error, KASSA_CLI_USAGE_ERROR, 0,
                           _("--products and --orders take a count, --seed a number from 0 to 4294967295"));
      return FALSE;
    }

  options.n_products = n_products;
  options.n_orders = n_orders;
  options.seed = (guint32) seed;
  options.currency = currency;
  options.progress = progress_cb;
  options.user_data = &progress;
  progress.tty = isatty (fileno (stderr));

  shop = kassa_cli_open_shop (context, error);
  if (shop == NULL)
    return FALSE;

  if (!kassa_shop_fill_demo (shop, &options, &result, error))
    return FALSE;

  g_string_append_printf (out, _("Demo store ready in %s\n"), context->database_path);
  g_string_append_printf (out, _("  %u catalog items, %u customers, %u orders, %u invoices, a shift open\n"),
                          result.n_items, result.n_customers, result.n_orders, result.n_invoices);
  g_string_append_printf (out, "%s\n", _("Sign in with:"));
  g_string_append_printf (out, "  %-14s %s %s\n", KASSA_SHOP_DEMO_ADMIN_NAME, _("PIN"), KASSA_SHOP_DEMO_ADMIN_PIN);
  g_string_append_printf (out, "  %-14s %s %s\n", KASSA_SHOP_DEMO_CASHIER_NAME, _("PIN"), KASSA_SHOP_DEMO_CASHIER_PIN);

  return kassa_cli_write (context, out->str, error);
}
