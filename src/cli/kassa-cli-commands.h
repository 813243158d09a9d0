/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kassa-shop.h"

G_BEGIN_DECLS

/* Errors in this domain are usage errors: the command line itself was
 * wrong. kassa-cli exits 2 for them and 1 for any other error. */
#define KASSA_CLI_USAGE_ERROR (kassa_cli_usage_error_quark ())
GQuark kassa_cli_usage_error_quark (void);

typedef struct
{
  /* The database every command works on, already resolved from
   * --database, KASSA_DATABASE or the default. */
  const char    *database_path;
  GInputStream  *stdin_stream;
  GOutputStream *stdout_stream;
} KassaCliContext;

/**
 * KassaCliCommandFunc:
 * @argc: the command's own arguments, argv[0] being the command name
 *
 * Returns: TRUE on success; otherwise sets @error (KASSA_CLI_USAGE_ERROR
 *   or G_OPTION_ERROR for a usage error, anything else for a failure)
 */
typedef gboolean (*KassaCliCommandFunc) (KassaCliContext  *context,
                                         int               argc,
                                         char            **argv,
                                         GError          **error);

typedef struct
{
  const char          *name;
  const char          *summary;
  KassaCliCommandFunc  run;
} KassaCliCommand;

gboolean  kassa_cli_write    (KassaCliContext  *context,
                             const char       *text,
                             GError          **error);
KassaShop *kassa_cli_open_shop (KassaCliContext  *context,
                                GError          **error);
GBytes   *kassa_cli_read_all (KassaCliContext  *context,
                             GError          **error);

/* The commands, one file each. */
gboolean kassa_cli_quote (KassaCliContext  *context,
                          int               argc,
                          char            **argv,
                          GError          **error);
gboolean kassa_cli_customers (KassaCliContext  *context,
                              int               argc,
                              char            **argv,
                              GError          **error);

gboolean kassa_cli_backup (KassaCliContext  *context,
                           int               argc,
                           char            **argv,
                           GError          **error);
gboolean kassa_cli_restore (KassaCliContext  *context,
                            int               argc,
                            char            **argv,
                            GError          **error);
gboolean kassa_cli_journal (KassaCliContext  *context,
                            int               argc,
                            char            **argv,
                            GError          **error);
/* products list|search TEXT|show SKU|import FILE|export FILE */
gboolean kassa_cli_products (KassaCliContext  *context,
                             int               argc,
                             char            **argv,
                             GError          **error);
gboolean kassa_cli_stripe (KassaCliContext  *context,
                           int               argc,
                           char            **argv,
                           GError          **error);

/* orders import FILE|-, list, show ID|NUMBER, receipt ID -o FILE */
gboolean kassa_cli_orders (KassaCliContext  *context,
                           int               argc,
                           char            **argv,
                           GError          **error);
/* invoices import FILE|-, list, show REF, issue ID, pdf REF -o FILE,
 * order ID|NUMBER, link-base [URL|--clear] */
gboolean kassa_cli_invoices (KassaCliContext  *context,
                             int               argc,
                             char            **argv,
                             GError          **error);

/* For the importing commands: FILE, or standard input for "-"; and
 * their progress on standard error. */
GBytes  *kassa_cli_read_input         (KassaCliContext  *context,
                                       const char       *path,
                                       GError          **error);
void     kassa_cli_import_progress_cb (guint64           done,
                                       guint64           total,
                                       gpointer          user_data);
/* demo [--products N] [--orders M] [--seed S] [--currency CODE] */
gboolean kassa_cli_demo (KassaCliContext  *context,
                         int               argc,
                         char            **argv,
                         GError          **error);

G_END_DECLS
