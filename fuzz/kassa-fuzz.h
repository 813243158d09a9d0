/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdlib.h>

#include <glib.h>

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

G_END_DECLS
