/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Staff PINs, hashed with argon2id (libsodium's crypto_pwhash_str). Only
 * the encoded hash is stored; it carries its own salt and limits, so a
 * hash made with one cost verifies whatever cost is current. */

/**
 * KassaPinCost:
 * @KASSA_PIN_COST_INTERACTIVE: libsodium's interactive limits, for real PINs
 * @KASSA_PIN_COST_MINIMUM: the smallest limits libsodium accepts, for tests
 */
typedef enum
{
  KASSA_PIN_COST_INTERACTIVE,
  KASSA_PIN_COST_MINIMUM,
} KassaPinCost;

#define KASSA_PIN_MIN_LENGTH 4
#define KASSA_PIN_MAX_LENGTH 12

/* 4 to 12 digits; KASSA_ERROR_INVALID otherwise. */
gboolean  kassa_pin_check   (const char    *pin,
                             GError       **error);
/* Returns: (transfer full): the encoded hash, or NULL with @error set. */
char     *kassa_pin_hash    (const char    *pin,
                             KassaPinCost   cost,
                             GError       **error);
/* Constant time in the PIN; FALSE for a wrong PIN or a malformed hash. */
gboolean  kassa_pin_verify  (const char    *hash,
                             const char    *pin);

G_END_DECLS
