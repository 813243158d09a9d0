/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KASSA_ERROR (kassa_error_quark ())

/**
 * KassaError:
 * @KASSA_ERROR_INVALID: a value is malformed or out of its allowed range
 * @KASSA_ERROR_UNKNOWN_CURRENCY: a currency code the table does not know
 * @KASSA_ERROR_CURRENCY_MISMATCH: amounts of different currencies were combined
 * @KASSA_ERROR_OVERFLOW: an amount does not fit in 64 bits of minor units
 * @KASSA_ERROR_PRECISION: more decimals than the currency or quantity allows
 * @KASSA_ERROR_ILLEGAL_TRANSITION: a state change the domain rules forbid
 * @KASSA_ERROR_LOCKED: a field that may no longer change (Stripe-managed order, issued invoice)
 * @KASSA_ERROR_PERMISSION_DENIED: the staff member's role does not allow it
 * @KASSA_ERROR_NOT_FOUND: the referenced thing does not exist
 *
 * Errors of the domain core. Every message names the rule or the field
 * that was broken, so it can be shown as one line.
 */
typedef enum
{
  KASSA_ERROR_INVALID,
  KASSA_ERROR_UNKNOWN_CURRENCY,
  KASSA_ERROR_CURRENCY_MISMATCH,
  KASSA_ERROR_OVERFLOW,
  KASSA_ERROR_PRECISION,
  KASSA_ERROR_ILLEGAL_TRANSITION,
  KASSA_ERROR_LOCKED,
  KASSA_ERROR_PERMISSION_DENIED,
  KASSA_ERROR_NOT_FOUND,
} KassaError;

GQuark kassa_error_quark (void);

G_END_DECLS
