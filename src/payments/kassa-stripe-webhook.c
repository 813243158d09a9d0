/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-stripe-webhook"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "kassa-payment-error.h"
#include "kassa-stripe-webhook.h"

/* Hex digits of an HMAC-SHA256. */
#define SIGNATURE_LENGTH 64

/* Longest header accepted: a timestamp and a handful of signatures
 * (Stripe sends one per active secret during a rotation). */
#define MAX_HEADER_LENGTH 4096

/**
 * kassa_stripe_webhook_compute_signature:
 * @secret: the whole endpoint secret, `whsec_` included
 * @timestamp: the `t=` value
 * @payload: (array length=length): the raw body bytes
 * @length: their length
 *
 * Returns: (transfer full): the lowercase hex HMAC-SHA256 of
 *   `timestamp "." payload`, keyed with @secret
 */
char *
kassa_stripe_webhook_compute_signature (const char   *secret,
                                        gint64        timestamp,
                                        const guint8 *payload,
                                        gsize         length)
{
  g_autoptr(GHmac) hmac = NULL;
  char prefix[32];

  g_return_val_if_fail (secret != NULL, NULL);
  g_return_val_if_fail (payload != NULL || length == 0, NULL);

  g_snprintf (prefix, sizeof prefix, "%" PRId64 ".", timestamp);
  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret));
  g_hmac_update (hmac, (const guchar *) prefix, -1);
  if (length > 0)
    g_hmac_update (hmac, payload, length);

  return g_strdup (g_hmac_get_string (hmac));
}

/**
 * kassa_stripe_webhook_build_header:
 *
 * Returns: (transfer full): a `Stripe-Signature` value `t=…,v1=…` as
 *   Stripe would send it, for tests and the local fake server
 */
char *
kassa_stripe_webhook_build_header (const char   *secret,
                                   gint64        timestamp,
                                   const guint8 *payload,
                                   gsize         length)
{
  g_autofree char *signature = NULL;

  g_return_val_if_fail (secret != NULL, NULL);

  signature = kassa_stripe_webhook_compute_signature (secret, timestamp, payload, length);

  return g_strdup_printf ("t=%" PRId64 ",v1=%s", timestamp, signature);
}

static gboolean
parse_timestamp (const char *text,
                 gint64     *out)
{
  guint64 value;

  /* Digits only: no sign, no spaces, no hex, and small enough to add
   * the tolerance to without overflowing. */
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64 / 2, &value, NULL))
    return FALSE;

  *out = (gint64) value;
  return TRUE;
}

/**
 * kassa_stripe_webhook_verify:
 * @header: (nullable): the `Stripe-Signature` header
 * @payload: (array length=length): the raw body exactly as received
 * @length: its length
 * @secret: the endpoint secret (`whsec_…`)
 * @now: the current Unix time in seconds (injected so tests can move it)
 * @tolerance: seconds allowed between @now and the signed timestamp
 * @error: return location for a #GError
 *
 * Accepts the body when any `v1` signature matches (compared in constant
 * time) and the timestamp lies within @tolerance of @now. `v0` and
 * unknown schemes are ignored, as Stripe documents.
 *
 * Returns: %TRUE when the body is authentic
 */
gboolean
kassa_stripe_webhook_verify (const char   *header,
                             const guint8 *payload,
                             gsize         length,
                             const char   *secret,
                             gint64        now,
                             gint64        tolerance,
                             GError      **error)
{
  g_auto(GStrv) items = NULL;
  g_autofree char *expected = NULL;
  gboolean have_timestamp = FALSE;
  gboolean have_v1 = FALSE;
  gboolean matched = FALSE;
  gint64 timestamp = 0;

  g_return_val_if_fail (payload != NULL || length == 0, FALSE);
  g_return_val_if_fail (secret != NULL && *secret != '\0', FALSE);
  g_return_val_if_fail (tolerance >= 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (length > KASSA_STRIPE_WEBHOOK_MAX_BODY)
    {
      g_set_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_TOO_LARGE,
                   _("The webhook body is larger than %u bytes."),
                   (guint) KASSA_STRIPE_WEBHOOK_MAX_BODY);
      return FALSE;
    }

  if (header == NULL || *header == '\0' || strlen (header) > MAX_HEADER_LENGTH)
    {
      g_set_error_literal (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_SIGNATURE,
                           _("The webhook has no usable Stripe-Signature header."));
      return FALSE;
    }

  /* First pass: the timestamp, which the signatures depend on. */
  items = g_strsplit (header, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);

      if (g_str_has_prefix (item, "t=") && !have_timestamp)
        {
          if (!parse_timestamp (item + 2, &timestamp))
            {
              g_set_error_literal (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_SIGNATURE,
                                   _("The webhook signature has a malformed timestamp."));
              return FALSE;
            }
          have_timestamp = TRUE;
        }
    }

  if (!have_timestamp)
    {
      g_set_error_literal (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_SIGNATURE,
                           _("The webhook signature has no timestamp."));
      return FALSE;
    }

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_FAILED,
                           _("The cryptography library could not start."));
      return FALSE;
    }

  expected = kassa_stripe_webhook_compute_signature (secret, timestamp, payload, length);

  /* Every candidate is compared, matched or not, so the time taken does
   * not tell which one matched. */
  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = items[i];

      if (!g_str_has_prefix (item, "v1="))
        continue;

      have_v1 = TRUE;
      item += 3;
      if (strlen (item) != SIGNATURE_LENGTH)
        continue;

      if (sodium_memcmp (item, expected, SIGNATURE_LENGTH) == 0)
        matched = TRUE;
    }

  if (!have_v1)
    {
      g_set_error_literal (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_SIGNATURE,
                           _("The webhook has no v1 signature."));
      return FALSE;
    }

  if (!matched)
    {
      g_set_error_literal (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_SIGNATURE,
                           _("The webhook signature does not match its body."));
      return FALSE;
    }

  if (now - timestamp > tolerance || timestamp - now > tolerance)
    {
      g_set_error_literal (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_SIGNATURE,
                           _("The webhook signature is too old or from the future; check the clock."));
      return FALSE;
    }

  return TRUE;
}
