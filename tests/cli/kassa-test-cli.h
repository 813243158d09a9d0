/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What the kassa-cli tests share: a scratch folder with a database path,
 * and running the real kassa-cli (from $KASSA_CLI) on it. */

typedef struct
{
  int   status;
  char *out;
  char *err;
} KassaCliRun;

void kassa_cli_run_clear (KassaCliRun *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KassaCliRun, kassa_cli_run_clear)

typedef struct
{
  char *dir;
  char *database;
} KassaCliFixture;

void  kassa_cli_fixture_set_up    (KassaCliFixture     *fixture,
                                   gconstpointer        data);
/* Removes every file the test left in the folder, and the folder. */
void  kassa_cli_fixture_tear_down (KassaCliFixture     *fixture,
                                   gconstpointer        data);
/* Runs `kassa-cli --database DB ARGV…` with @input (may be NULL) on
 * standard input and collects its exit status and output. */
void  kassa_cli_fixture_run       (KassaCliFixture     *fixture,
                                   KassaCliRun         *run,
                                   const char          *input,
                                   const char * const  *argv);
/* Writes @contents to @name in the folder; returns its path. */
char *kassa_cli_fixture_write     (KassaCliFixture     *fixture,
                                   const char          *name,
                                   const char          *contents);
char *kassa_cli_fixture_path      (KassaCliFixture     *fixture,
                                   const char          *name);

G_END_DECLS
