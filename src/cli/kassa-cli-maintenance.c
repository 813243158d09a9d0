/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-cli-maintenance"

#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
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

/* "N:HASH", as a Z report prints its journal anchor. */
static gboolean
parse_anchor (const char  *text,
              gint64      *n_entries,
              const char **hash_prefix,
              GError     **error)
{
  const char *colon = strchr (text, ':');
  g_autofree char *number = NULL;
  guint64 value = 0;

  if (colon != NULL)
    number = g_strndup (text, colon - text);
  if (number == NULL || !g_ascii_string_to_unsigned (number, 10, 0, G_MAXINT64, &value, NULL))
    {
      g_set_error (error, KASSA_CLI_USAGE_ERROR, 0,
                   _("“%s” is not a journal anchor: give the entry number, a colon and the hash, "
                     "as the Z report prints them"),
                   text);
      return FALSE;
    }

  *n_entries = (gint64) value;
  *hash_prefix = colon + 1;
  return TRUE;
}

gboolean
kassa_cli_journal (KassaCliContext  *context,
                   int               argc,
                   char            **argv,
                   GError          **error)
{
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(KassaShop) shop = NULL;
  g_autofree char *line = NULL;
  g_autofree char *anchor = NULL;
  g_autofree char *anchor_line = NULL;
  const char *hash_prefix = NULL;
  gint64 anchor_entries = 0;
  KassaJournalReport report;
  GOptionEntry entries[] = {
    { "anchor", 0, 0, G_OPTION_ARG_STRING, &anchor,
      N_("Also check the journal against the anchor a Z report printed"), N_("N:HASH") },
    { NULL }
  };

  options = g_option_context_new (NULL);
  g_option_context_set_help_enabled (options, FALSE);
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (options, &argc, &argv, error))
    return FALSE;

  if (argc != 2 || !g_str_equal (argv[1], "verify"))
    {
      g_set_error_literal (error, KASSA_CLI_USAGE_ERROR, 0,
                           _("Usage: kassa-cli journal verify [--anchor N:HASH]"));
      return FALSE;
    }

  if (anchor != NULL && !parse_anchor (anchor, &anchor_entries, &hash_prefix, error))
    return FALSE;

  shop = kassa_cli_open_shop (context, error);
  if (shop == NULL)
    return FALSE;

  if (!kassa_shop_verify_journal (shop, &report, error))
    return FALSE;

  if (anchor != NULL &&
      !kassa_shop_check_journal_anchor (shop, anchor_entries, hash_prefix, error))
    return FALSE;

  line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The journal is intact: %" PRId64 " entry verified\n",
                                       "The journal is intact: %" PRId64 " entries verified\n",
                                       report.n_entries),
                          report.n_entries);
  if (anchor != NULL)
    {
      anchor_line = g_strdup_printf (_("It holds entry %" PRId64 " as the Z report printed it\n"),
                                     anchor_entries);
      return kassa_cli_write (context, line, error) && kassa_cli_write (context, anchor_line, error);
    }

  return kassa_cli_write (context, line, error);
}
