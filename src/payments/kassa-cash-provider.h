/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kassa-core-enums.h"
#include "kassa-payment-provider.h"

G_BEGIN_DECLS

/* Cash at the till: the customer hands over request->tendered, the till
 * gives back the change and asks for the drawer to open. With a rounding
 * step (5 for 0.05 CHF) the amount due is rounded first, as a visible
 * rounding amount in the result. Never needs the network. */

#define KASSA_CASH_PROVIDER_ID "cash"

#define KASSA_TYPE_CASH_PROVIDER (kassa_cash_provider_get_type ())

G_DECLARE_FINAL_TYPE (KassaCashProvider, kassa_cash_provider, KASSA, CASH_PROVIDER, GObject)

KassaCashProvider *kassa_cash_provider_new               (void);
gint64             kassa_cash_provider_get_rounding_step (KassaCashProvider *self);
void               kassa_cash_provider_set_rounding_step (KassaCashProvider *self,
                                                          gint64             step);
KassaRoundingMode  kassa_cash_provider_get_rounding_mode (KassaCashProvider *self);
void               kassa_cash_provider_set_rounding_mode (KassaCashProvider *self,
                                                          KassaRoundingMode  mode);
gboolean           kassa_cash_provider_get_kick_drawer   (KassaCashProvider *self);
void               kassa_cash_provider_set_kick_drawer   (KassaCashProvider *self,
                                                          gboolean           kick_drawer);

/* The amount due for cash after rounding, and the rounding itself. */
gint64             kassa_cash_provider_round_due         (KassaCashProvider *self,
                                                          gint64             due,
                                                          gint64            *out_rounding);

G_END_DECLS
