/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Random tokens for links handed out to customers (an invoice's public
 * token). Drawn from libsodium's randombytes_buf(), which reads the
 * kernel's CSPRNG, and written as unpadded base64url so they fit in a
 * URL as they are. */

/* 24 bytes: 192 bits, well above the 128 the invoice asks for, and a
 * whole number of base64 characters (32), so every one is random. */
#define KASSA_TOKEN_PUBLIC_BYTES 24

/* @n_bytes of randomness (at least 16) as unpadded base64url, or NULL
 * with G_IO_ERROR_FAILED when libsodium cannot start. */
char *kassa_token_generate        (gsize     n_bytes,
                                   GError  **error);
/* A token of KASSA_TOKEN_PUBLIC_BYTES for an invoice. */
char *kassa_token_generate_public (GError  **error);

G_END_DECLS
