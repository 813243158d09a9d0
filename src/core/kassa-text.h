/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The few checks on text people type that several domain objects share. */

/* NULL, empty, or only white space (any Unicode space). */
gboolean kassa_text_is_blank         (const char *text);
/* Deliberately loose: one @ with something on each side and no spaces.
 * Whether mail arrives is for the mail server to say. */
gboolean kassa_text_is_email_address (const char *text);

G_END_DECLS
