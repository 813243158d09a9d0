/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* How the store writes enumerations and times as TEXT columns. For
 * src/store/ and its tests. */

#include <glib-object.h>

G_BEGIN_DECLS

/* Enumerations are stored as their GEnumValue nick ("partially-refunded"),
 * readable with the sqlite3 tool and stable across reordering. */
const char *kassa_store_enum_to_text   (GType        enum_type,
                                        int          value);
gboolean    kassa_store_enum_from_text (GType        enum_type,
                                        const char  *text,
                                        int         *value,
                                        GError     **error);

/* Times are UTC ISO 8601 with microseconds: 2026-11-25T11:26:54.123456Z,
 * which sorts as text in time order. */
char       *kassa_store_time_to_text   (GDateTime   *time);
char       *kassa_store_now_text       (void);
GDateTime  *kassa_store_time_from_text (const char  *text,
                                        GError     **error);

G_END_DECLS
