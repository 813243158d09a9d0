/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-error.h"

G_DEFINE_QUARK (kassa-error-quark, kassa_error)
