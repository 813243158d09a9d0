/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdlib.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "kassa-database.h"

G_BEGIN_DECLS

/* A warning or a critical means a bug the input reached (a GError set
 * twice, a precondition broken), so it must count as a crash. GLib's
 * fatal warnings raise SIGTRAP, which libFuzzer does not catch; abort()
 * it does, and it keeps the input. */
static GLogWriterOutput
kassa_fuzz_log_writer (GLogLevelFlags   log_level,
                       const GLogField *fields,
                       gsize            n_fields,
                       gpointer         user_data)
{
  if (log_level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO | G_LOG_LEVEL_MESSAGE))
    return G_LOG_WRITER_HANDLED;

  g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
  abort ();
}

static inline void
kassa_fuzz_init (void)
{
  static gboolean done;

  if (!done)
    {
      g_log_set_writer_func (kassa_fuzz_log_writer, NULL, NULL);
      done = TRUE;
    }
}

/* The store of a target that needs one: a new file in a temporary
 * folder of its own. */
typedef struct
{
  char          *dir;
  KassaDatabase *database;
} KassaFuzzStore;

static inline KassaFuzzStore *
kassa_fuzz_store (void)
{
  static KassaFuzzStore store;

  return &store;
}

/* Closes the store and removes its folder. Whatever else holds the
 * database must let go of it first. */
static inline void
kassa_fuzz_store_remove (void)
{
  KassaFuzzStore *store = kassa_fuzz_store ();
  g_autoptr(GDir) handle = NULL;
  const char *name;

  g_clear_object (&store->database);
  if (store->dir == NULL)
    return;

  handle = g_dir_open (store->dir, 0, NULL);
  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *file = g_build_filename (store->dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (store->dir);
  g_clear_pointer (&store->dir, g_free);
}

/* Opens the store in a folder made from @dir_template (as for
 * g_dir_make_tmp()); the caller removes it with
 * kassa_fuzz_store_remove(). */
static inline KassaDatabase *
kassa_fuzz_store_open (const char *dir_template)
{
  KassaFuzzStore *store = kassa_fuzz_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  store->dir = g_dir_make_tmp (dir_template, &error);
  g_assert_no_error (error);
  path = g_build_filename (store->dir, "shop.db", NULL);
  store->database = kassa_database_open (path, &error);
  g_assert_no_error (error);

  return store->database;
}

G_END_DECLS
