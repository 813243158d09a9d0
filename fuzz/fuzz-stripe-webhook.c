/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Stripe-Signature header and the body of a webhook call come from
 * whoever reaches the listener. The input is a header line, a newline,
 * then the body. Any header is refused with an error unless it carries
 * a valid signature of exactly this body under the secret; a header the
 * verifier builds itself for the same body always passes, and one byte
 * of the body changed always fails. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "kassa-stripe-webhook.h"

#include "kassa-fuzz.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define SECRET "whsec_test_secret"
#define NOW 1700000000

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *header = NULL;
  g_autofree char *good = NULL;
  g_autofree guint8 *changed = NULL;
  const guint8 *newline = memchr (data, '\n', size);
  const guint8 *body;
  gsize body_length;
  gboolean ok;

  kassa_fuzz_init ();

  if (newline == NULL)
    return 0;

  header = g_strndup ((const char *) data, newline - data);
  body = newline + 1;
  body_length = size - (newline + 1 - data);

  ok = kassa_stripe_webhook_verify (header, body, body_length, SECRET, NOW,
                                    KASSA_STRIPE_WEBHOOK_TOLERANCE, &error);
  g_assert (ok == (error == NULL));
  g_clear_error (&error);

  /* What the verifier signs itself it accepts… */
  good = kassa_stripe_webhook_build_header (SECRET, NOW - 10, body, body_length);
  g_assert (kassa_stripe_webhook_verify (good, body, body_length, SECRET, NOW,
                                         KASSA_STRIPE_WEBHOOK_TOLERANCE, &error));
  g_assert_no_error (error);

  /* …and nothing else: not another body, not another secret. */
  if (body_length > 0)
    {
      changed = g_memdup2 (body, body_length);
      changed[body_length / 2] ^= 0x01;
      g_assert (!kassa_stripe_webhook_verify (good, changed, body_length, SECRET, NOW,
                                              KASSA_STRIPE_WEBHOOK_TOLERANCE, &error));
      g_assert (error != NULL);
      g_clear_error (&error);
    }
  g_assert (!kassa_stripe_webhook_verify (good, body, body_length, "whsec_other", NOW,
                                          KASSA_STRIPE_WEBHOOK_TOLERANCE, &error));
  g_assert (error != NULL);

  return 0;
}
