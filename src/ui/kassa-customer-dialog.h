/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kassa-till.h"

G_BEGIN_DECLS

/* Who the sale is for and how it leaves the shop: a customer found by
 * name or created from what is typed, or the walk-in customer; taken
 * now, picked up or delivered, with the address exactly as typed.
 * "Attach" applies it all to the till's cart. */

#define KASSA_TYPE_CUSTOMER_DIALOG (kassa_customer_dialog_get_type ())

G_DECLARE_FINAL_TYPE (KassaCustomerDialog, kassa_customer_dialog, KASSA, CUSTOMER_DIALOG, AdwMessageDialog)

KassaCustomerDialog *kassa_customer_dialog_new      (KassaTill           *till);
/* What went wrong when the last response was applied, or NULL. */
const GError        *kassa_customer_dialog_get_error (KassaCustomerDialog *self);

G_END_DECLS
