/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-database-path"

#include "config.h"

#include "kassa-database-path.h"

/**
 * kassa_database_path_get_default:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/kassa/kassa.db`
 */
char *
kassa_database_path_get_default (void)
{
  return g_build_filename (g_get_user_data_dir (), "kassa", "kassa.db", NULL);
}

/**
 * kassa_database_path_resolve:
 * @explicit_path: (nullable): a path given on the command line
 *
 * Chooses the store database the way every Kassa program does: a path
 * given on the command line wins, then `KASSA_DATABASE`, then the default.
 *
 * Returns: (transfer full): the path to use
 */
char *
kassa_database_path_resolve (const char *explicit_path)
{
  const char *from_environment;

  if (explicit_path != NULL && explicit_path[0] != '\0')
    return g_strdup (explicit_path);

  from_environment = g_getenv ("KASSA_DATABASE");
  if (from_environment != NULL && from_environment[0] != '\0')
    return g_strdup (from_environment);

  return kassa_database_path_get_default ();
}
