/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-pin"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "kassa-error.h"
#include "kassa-pin.h"

static gboolean
ensure_sodium (GError **error)
{
  /* Safe to call repeatedly and from several threads; < 0 means no
   * usable randomness, and no hash may be made without it. */
  if (sodium_init () < 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("The cryptography library could not start"));
      return FALSE;
    }

  return TRUE;
}

gboolean
kassa_pin_check (const char  *pin,
                 GError     **error)
{
  gsize length = pin != NULL ? strlen (pin) : 0;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (length < KASSA_PIN_MIN_LENGTH || length > KASSA_PIN_MAX_LENGTH)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("A PIN has %d to %d digits"), KASSA_PIN_MIN_LENGTH, KASSA_PIN_MAX_LENGTH);
      return FALSE;
    }

  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isdigit (pin[i]))
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("A PIN has only digits"));
          return FALSE;
        }
    }

  return TRUE;
}

char *
kassa_pin_hash (const char    *pin,
                KassaPinCost   cost,
                GError       **error)
{
  char hash[crypto_pwhash_STRBYTES];
  unsigned long long opslimit;
  size_t memlimit;

  g_return_val_if_fail (pin != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!kassa_pin_check (pin, error) || !ensure_sodium (error))
    return NULL;

  if (cost == KASSA_PIN_COST_MINIMUM)
    {
      opslimit = crypto_pwhash_OPSLIMIT_MIN;
      memlimit = crypto_pwhash_MEMLIMIT_MIN;
    }
  else
    {
      opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
      memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    }

  /* crypto_pwhash_str uses argon2id in libsodium ≥ 1.0.15. */
  if (crypto_pwhash_str (hash, pin, strlen (pin), opslimit, memlimit) != 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("Not enough memory to hash the PIN"));
      return NULL;
    }

  return g_strdup (hash);
}

gboolean
kassa_pin_verify (const char *hash,
                  const char *pin)
{
  g_return_val_if_fail (hash != NULL, FALSE);
  g_return_val_if_fail (pin != NULL, FALSE);

  if (!ensure_sodium (NULL))
    return FALSE;

  /* A staff member without a PIN cannot sign in. */
  if (hash[0] == '\0' || strlen (hash) >= crypto_pwhash_STRBYTES)
    return FALSE;

  return crypto_pwhash_str_verify (hash, pin, strlen (pin)) == 0;
}
