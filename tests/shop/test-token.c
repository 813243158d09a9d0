/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-token"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "kassa-invoice.h"
#include "kassa-token.h"

#define URL_SAFE "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

static void
test_public_shape (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = kassa_token_generate_public (&error);
  guchar decoded[64];
  size_t decoded_len = 0;

  g_assert_no_error (error);
  g_assert_nonnull (token);

  /* 24 bytes are exactly 32 characters, with no padding. */
  g_assert_cmpuint (strlen (token), ==, 32);
  g_assert_cmpuint (strspn (token, URL_SAFE), ==, 32);
  g_assert_null (strchr (token, '='));
  g_assert_true (kassa_invoice_token_is_valid (token));

  /* It decodes back to the number of random bytes it claims. */
  g_assert_cmpint (sodium_base642bin (decoded, sizeof decoded, token, strlen (token),
                                      NULL, &decoded_len, NULL,
                                      sodium_base64_VARIANT_URLSAFE_NO_PADDING), ==, 0);
  g_assert_cmpuint (decoded_len, ==, KASSA_TOKEN_PUBLIC_BYTES);
}

static void
test_lengths (void)
{
  /* Unpadded base64 of n bytes is ceil (4n / 3) characters. */
  static const struct { gsize bytes; gsize chars; } cases[] = {
    { 16, 22 }, { 17, 23 }, { 18, 24 }, { 32, 43 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *token = kassa_token_generate (cases[i].bytes, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (strlen (token), ==, cases[i].chars);
      g_assert_cmpuint (strspn (token, URL_SAFE), ==, cases[i].chars);
      g_assert_true (kassa_invoice_token_is_valid (token));
    }
}

static void
test_unique_and_spread (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint counts[256] = { 0 };
  const guint n = 20000;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      char *token = kassa_token_generate_public (&error);

      g_assert_no_error (error);
      for (const char *p = token; *p != '\0'; p++)
        counts[(guchar) *p]++;

      g_assert_true (g_hash_table_add (seen, token));
    }

  g_assert_cmpuint (g_hash_table_size (seen), ==, n);

  /* 640,000 characters over 64 symbols: each is expected 10,000 times.
   * A source stuck on part of the alphabet (a bad encoding, a constant
   * byte) lands far outside ±15 %; a fair one never does. */
  for (const char *c = URL_SAFE; *c != '\0'; c++)
    {
      g_assert_cmpuint (counts[(guchar) *c], >, 8500);
      g_assert_cmpuint (counts[(guchar) *c], <, 11500);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/token/public-shape", test_public_shape);
  g_test_add_func ("/kassa/token/lengths", test_lengths);
  g_test_add_func ("/kassa/token/unique-and-spread", test_unique_and_spread);

  return g_test_run ();
}
