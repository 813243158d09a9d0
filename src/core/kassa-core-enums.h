/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Public enums of the domain core. Their GTypes are generated into
 * kassa-core-enum-types.h by the build. */

/* -- Money and taxes ------------------------------------------------ */

/**
 * KassaRoundingMode:
 * @KASSA_ROUNDING_HALF_UP: ties round away from zero (commercial rounding)
 * @KASSA_ROUNDING_HALF_EVEN: ties round to the even neighbour (banker's rounding)
 */
typedef enum
{
  KASSA_ROUNDING_HALF_UP,
  KASSA_ROUNDING_HALF_EVEN,
} KassaRoundingMode;

/**
 * KassaTaxScope:
 * @KASSA_TAX_SCOPE_DOCUMENT: tax per rate on the sum of that rate's line nets, rounded once
 * @KASSA_TAX_SCOPE_LINE: tax rounded on every line, then summed per rate
 */
typedef enum
{
  KASSA_TAX_SCOPE_DOCUMENT,
  KASSA_TAX_SCOPE_LINE,
} KassaTaxScope;

/**
 * KassaDiscountKind:
 * @KASSA_DISCOUNT_NONE: no discount
 * @KASSA_DISCOUNT_PERCENT: a share of the amount, in parts per million (10 % = 100000)
 * @KASSA_DISCOUNT_AMOUNT: a fixed amount in minor units of the document currency
 */
typedef enum
{
  KASSA_DISCOUNT_NONE,
  KASSA_DISCOUNT_PERCENT,
  KASSA_DISCOUNT_AMOUNT,
} KassaDiscountKind;

/* -- Catalog, orders, invoices, subscriptions, staff ---------------- */
/* (domain enums follow below) */

G_END_DECLS
