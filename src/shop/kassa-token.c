/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-token"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "kassa-token.h"

/* sodium_init() is safe to call again, but checking its result once
 * keeps the failure in one place. */
static gboolean
ensure_sodium (GError **error)
{
  static gsize initialized = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&initialized))
    {
      ok = sodium_init () >= 0;
      g_once_init_leave (&initialized, 1);
    }

  if (!ok)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         _("The system’s random number source is not available"));

  return ok;
}

char *
kassa_token_generate (gsize    n_bytes,
                      GError **error)
{
  g_autofree guchar *bytes = NULL;
  char *token;
  gsize token_size;

  g_return_val_if_fail (n_bytes >= 16 && n_bytes <= 1024, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ensure_sodium (error))
    return NULL;

  bytes = g_malloc (n_bytes);
  randombytes_buf (bytes, n_bytes);

  token_size = sodium_base64_ENCODED_LEN (n_bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  token = g_malloc (token_size);
  sodium_bin2base64 (token, token_size, bytes, n_bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);

  /* Nothing of the secret stays behind in freed memory. */
  sodium_memzero (bytes, n_bytes);

  return token;
}

char *
kassa_token_generate_public (GError **error)
{
  return kassa_token_generate (KASSA_TOKEN_PUBLIC_BYTES, error);
}
