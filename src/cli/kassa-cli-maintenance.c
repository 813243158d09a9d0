/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-cli-maintenance"

#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "kassa-cli-commands.h"
#include "kassa-shop-maintenance.h"

static void
backup_progress_cb (guint64  done,
                    guint64  total,
                    gpointer user_data)
{
  gboolean *shown = user_data;

  /* Only a terminal gets the running percentage; scripts get silence. */
  if (isatty (fileno (stderr)))
    {
      g_printerr ("\r%s %3u %%", _("Backing up…"), (guint) (done * 100 / total));
      *shown = TRUE;
    }
}

gboolean
kassa_cli_backup (KassaCliContext  *context,
                  int               argc,
                  char            **argv,
                  GError          **error)
{
  g_autoptr(KassaShop) shop = NULL;
  g_autofree char *line = NULL;
  gboolean shown = FALSE;
  gboolean ok;

  if (argc != 2)
    {
      g_set_error_literal (error, KASSA_CLI_USAGE_ERROR, 0,
                           _("backup takes one argument: the FILE to write the copy to"));
      return FALSE;
    }

  shop = kassa_cli_open_shop (context, error);
  if (shop == NULL)
    return FALSE;

  ok = kassa_shop_backup (shop, argv[1], backup_progress_cb, &shown, NULL, error);
  if (shown)
    g_printerr ("\n");
  if (!ok)
    return FALSE;

  line = g_strdup_printf (_("Backed up %s to %s\n"), context->database_path, argv[1]);
  return kassa_cli_write (context, line, error);
}

gboolean
kassa_cli_restore (KassaCliContext  *context,
                   int               argc,
                   char            **argv,
                   GError          **error)
{
  g_autofree char *previous = NULL;
  g_autofree char *line = NULL;

  if (argc != 2)
    {
      g_set_error_literal (error, KASSA_CLI_USAGE_ERROR, 0,
                           _("restore takes one argument: the backup FILE to restore"));
      return FALSE;
    }

  if (!kassa_shop_restore (argv[1], context->database_path, &previous, error))
    return FALSE;

  if (previous != NULL)
    line = g_strdup_printf (_("Restored %s from %s; the previous store is kept as %s\n"),
                            context->database_path, argv[1], previous);
  else
    line = g_strdup_printf (_("Restored %s from %s\n"), context->database_path, argv[1]);

  return kassa_cli_write (context, line, error);
}

gboolean
kassa_cli_journal (KassaCliContext  *context,
                   int               argc,
                   char            **argv,
                   GError          **error)
{
  g_autoptr(KassaShop) shop = NULL;
  g_autofree char *line = NULL;
  KassaJournalReport report;

  if (argc != 2 || !g_str_equal (argv[1], "verify"))
    {
      g_set_error_literal (error, KASSA_CLI_USAGE_ERROR, 0,
                           _("Usage: kassa-cli journal verify"));
      return FALSE;
    }

  shop = kassa_cli_open_shop (context, error);
  if (shop == NULL)
    return FALSE;

  if (!kassa_shop_verify_journal (shop, &report, error))
    return FALSE;

  line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The journal is intact: %" PRId64 " entry verified\n",
                                       "The journal is intact: %" PRId64 " entries verified\n",
                                       report.n_entries),
                          report.n_entries);
  return kassa_cli_write (context, line, error);
}
