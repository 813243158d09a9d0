/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KASSA_SECRETS_ERROR (kassa_secrets_error_quark ())

/**
 * KassaSecretsError:
 * @KASSA_SECRETS_ERROR_FAILED: the keyring failed for another reason
 * @KASSA_SECRETS_ERROR_NO_SERVICE: no Secret Service runs (no session bus,
 *   no keyring daemon, or no login keyring to store into)
 * @KASSA_SECRETS_ERROR_TIMEOUT: the keyring did not answer in time, usually
 *   because it is locked and waits for a password prompt
 * @KASSA_SECRETS_ERROR_CANCELLED: the caller cancelled
 *
 * Errors of the secrets layer; messages say what to do.
 */
typedef enum
{
  KASSA_SECRETS_ERROR_FAILED,
  KASSA_SECRETS_ERROR_NO_SERVICE,
  KASSA_SECRETS_ERROR_TIMEOUT,
  KASSA_SECRETS_ERROR_CANCELLED,
} KassaSecretsError;

/**
 * KassaSecretKind:
 * @KASSA_SECRET_STRIPE_SECRET_KEY: the Stripe secret or restricted API key
 * @KASSA_SECRET_STRIPE_WEBHOOK_SECRET: the `whsec_` signing secret of the
 *   local webhook listener
 */
typedef enum
{
  KASSA_SECRET_STRIPE_SECRET_KEY,
  KASSA_SECRET_STRIPE_WEBHOOK_SECRET,
} KassaSecretKind;

/* How long a keyring call may take before it is given up. */
#define KASSA_SECRETS_DEFAULT_TIMEOUT_MS 10000

GQuark    kassa_secrets_error_quark    (void);

void      kassa_secrets_store_async    (KassaSecretKind     kind,
                                        const char         *account,
                                        const char         *secret,
                                        guint               timeout_ms,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data);
gboolean  kassa_secrets_store_finish   (GAsyncResult       *result,
                                        GError            **error);
void      kassa_secrets_lookup_async   (KassaSecretKind     kind,
                                        const char         *account,
                                        guint               timeout_ms,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data);
char     *kassa_secrets_lookup_finish  (GAsyncResult       *result,
                                        GError            **error);
void      kassa_secrets_clear_async    (KassaSecretKind     kind,
                                        const char         *account,
                                        guint               timeout_ms,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data);
gboolean  kassa_secrets_clear_finish   (GAsyncResult       *result,
                                        GError            **error);
void      kassa_secrets_free           (char               *secret);

G_END_DECLS
