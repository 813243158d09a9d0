/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *kassa_database_path_resolve (const char *explicit_path);

G_END_DECLS
