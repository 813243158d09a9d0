/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * KassaCurrency:
 *
 * One entry of the ISO 4217 table: the code, the number of minor-unit
 * digits and how Stripe expects amounts in it. Entries are static and
 * live as long as the program; compare them by pointer.
 */
typedef struct _KassaCurrency KassaCurrency;

const KassaCurrency *kassa_currency_lookup            (const char          *code,
                                                       GError             **error);
const char          *kassa_currency_get_code          (const KassaCurrency *currency);
guint                kassa_currency_get_exponent      (const KassaCurrency *currency);
gint64               kassa_currency_get_scale         (const KassaCurrency *currency);
const char          *kassa_currency_get_symbol        (const KassaCurrency *currency);
const char          *kassa_currency_get_stripe_code   (const KassaCurrency *currency);
gboolean             kassa_currency_to_stripe_amount  (const KassaCurrency *currency,
                                                       gint64               minor,
                                                       gint64              *stripe_amount,
                                                       GError             **error);
gboolean             kassa_currency_from_stripe_amount (const KassaCurrency *currency,
                                                        gint64               stripe_amount,
                                                        gint64              *minor,
                                                        GError             **error);

G_END_DECLS
