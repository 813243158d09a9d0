/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-print-error"

#include "config.h"

#include "kassa-print-error.h"

G_DEFINE_QUARK (kassa-print-error-quark, kassa_print_error)
