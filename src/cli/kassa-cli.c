/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-cli"

#include "config.h"

#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kassa-cli-commands.h"
#include "kassa-shop.h"
#include "kassa-database-path.h"

enum {
  EXIT_USAGE = 2,
};

G_DEFINE_QUARK (kassa-cli-usage-error-quark, kassa_cli_usage_error)

static const KassaCliCommand commands[] = {
  { "quote", N_("Compute the totals of a JSON document on standard input"), kassa_cli_quote },
  { "customers", N_("List customers, or import or export them as CSV"), kassa_cli_customers },
  { "backup", N_("Copy the store to FILE while it is in use"), kassa_cli_backup },
  { "restore", N_("Replace the store with a verified backup FILE"), kassa_cli_restore },
  { "journal", N_("Verify that the journal of sales was not altered"), kassa_cli_journal },
  { "products", N_("List, search, show, import and export catalog items"), kassa_cli_products },
  { "stripe", N_("Stripe: set-key (from standard input), sync (one poll), listen [--port N]"), kassa_cli_stripe },
  { "orders", N_("Import, list and show orders; print their receipts"), kassa_cli_orders },
  { "invoices", N_("Import, list, show and issue invoices; write them as PDF"), kassa_cli_invoices },
  { "demo", N_("Fill an empty store with a demo café to try Kassa on"), kassa_cli_demo },
  { NULL }
};

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n", _("Usage: kassa-cli [--database PATH] COMMAND [ARGUMENTS…]"));
  fprintf (stream, "\n%s\n", _("Work with a Kassa store database from the command line."));
  fprintf (stream, "\n%s\n", _("Options:"));
  fprintf (stream, "  %-22s %s\n", "-d, --database PATH", _("Use the store database at PATH"));
  fprintf (stream, "  %-22s %s\n", "--version", _("Print the version and exit"));
  fprintf (stream, "  %-22s %s\n", "-h, --help", _("Show this help and exit"));
  fprintf (stream, "\n%s\n", _("Commands:"));
  for (const KassaCliCommand *command = commands; command->name != NULL; command++)
    fprintf (stream, "  %-22s %s\n", command->name, _(command->summary));
  fprintf (stream, "\n%s\n", _("The database defaults to $KASSA_DATABASE, else the kassa.db in the user data folder."));
}

static const KassaCliCommand *
find_command (const char *name)
{
  for (const KassaCliCommand *command = commands; command->name != NULL; command++)
    {
      if (g_str_equal (command->name, name))
        return command;
    }

  return NULL;
}

static int
usage_error (const char *message)
{
  g_printerr ("kassa-cli: %s\n", message);
  g_printerr ("%s\n", _("Try “kassa-cli --help” for more information."));
  return EXIT_USAGE;
}

gboolean
kassa_cli_write (KassaCliContext  *context,
                 const char       *text,
                 GError          **error)
{
  return g_output_stream_write_all (context->stdout_stream, text, strlen (text),
                                    NULL, NULL, error);
}

/* Commands run by whoever holds the file: the person at the shell is the
 * shop's system actor, as the application's own owner would be. */
KassaShop *
kassa_cli_open_shop (KassaCliContext  *context,
                     GError          **error)
{
  g_autoptr(KassaShop) shop = kassa_shop_open (context->database_path, error);

  if (shop == NULL)
    return NULL;

  kassa_shop_act_as_system (shop);

  return g_steal_pointer (&shop);
}

GBytes *
kassa_cli_read_all (KassaCliContext  *context,
                    GError          **error)
{
  g_autoptr(GOutputStream) buffer = g_memory_output_stream_new_resizable ();

  if (g_output_stream_splice (buffer, context->stdin_stream,
                              G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
    return NULL;

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (buffer));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *database_option = NULL;
  g_autofree char *database_path = NULL;
  g_autoptr(GInputStream) stdin_stream = NULL;
  g_autoptr(GOutputStream) stdout_stream = NULL;
  g_autoptr(GError) error = NULL;
  const KassaCliCommand *command;
  KassaCliContext context = { 0 };
  int first = 1;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Global options come before the command; everything after the command
   * belongs to it, so each command parses its own options. */
  for (; first < argc && argv[first][0] == '-'; first++)
    {
      const char *arg = argv[first];

      if (g_str_equal (arg, "--help") || g_str_equal (arg, "-h"))
        {
          print_usage (stdout);
          return EXIT_SUCCESS;
        }
      else if (g_str_equal (arg, "--version"))
        {
          g_print ("kassa-cli %s\n", PACKAGE_VERSION);
          return EXIT_SUCCESS;
        }
      else if (g_str_equal (arg, "--database") || g_str_equal (arg, "-d"))
        {
          if (first + 1 >= argc || argv[first + 1][0] == '\0')
            return usage_error (_("--database needs a PATH"));
          g_free (database_option);
          database_option = g_strdup (argv[++first]);
        }
      else if (g_str_has_prefix (arg, "--database="))
        {
          if (arg[strlen ("--database=")] == '\0')
            return usage_error (_("--database needs a PATH"));
          g_free (database_option);
          database_option = g_strdup (arg + strlen ("--database="));
        }
      else if (g_str_equal (arg, "--"))
        {
          first++;
          break;
        }
      else
        {
          g_autofree char *message = g_strdup_printf (_("Unknown option “%s”"), arg);
          return usage_error (message);
        }
    }

  if (first >= argc)
    return usage_error (_("No command given"));

  command = find_command (argv[first]);
  if (command == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Unknown command “%s”"), argv[first]);
      return usage_error (message);
    }

  database_path = kassa_database_path_resolve (database_option);
  stdin_stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  stdout_stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  context.database_path = database_path;
  context.stdin_stream = stdin_stream;
  context.stdout_stream = stdout_stream;

  if (!command->run (&context, argc - first, argv + first, &error))
    {
      gboolean is_usage = error->domain == KASSA_CLI_USAGE_ERROR ||
                          error->domain == G_OPTION_ERROR;

      if (is_usage)
        return usage_error (error->message);

      g_printerr ("kassa-cli: %s\n", error->message);
      return EXIT_FAILURE;
    }

  return EXIT_SUCCESS;
}
