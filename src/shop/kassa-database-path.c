/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-database-path"

#include "config.h"

#include "kassa-database.h"
#include "kassa-database-path.h"

/**
 * kassa_database_path_resolve:
 * @explicit_path: (nullable): a path given on the command line
 *
 * Chooses the store database the way every Kassa program does: a path
 * given on the command line wins, then `KASSA_DATABASE`, then the default
 * under the user data folder.
 *
 * Returns: (transfer full): the path to use
 */
char *
kassa_database_path_resolve (const char *explicit_path)
{
  if (explicit_path != NULL && explicit_path[0] != '\0')
    return g_strdup (explicit_path);

  return kassa_database_get_default_path ();
}
