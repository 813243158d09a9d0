/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kassa-error.h"
#include "kassa-pin.h"

static void
test_hash_and_verify (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = kassa_pin_hash ("4711", KASSA_PIN_COST_MINIMUM, &error);
  g_autofree char *again = NULL;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_null (strstr (hash, "4711"));

  g_assert_true (kassa_pin_verify (hash, "4711"));
  g_assert_false (kassa_pin_verify (hash, "4712"));
  g_assert_false (kassa_pin_verify (hash, "47110"));
  g_assert_false (kassa_pin_verify (hash, ""));

  /* A fresh salt every time. */
  again = kassa_pin_hash ("4711", KASSA_PIN_COST_MINIMUM, &error);
  g_assert_cmpstr (hash, !=, again);
  g_assert_true (kassa_pin_verify (again, "4711"));
}

static void
test_interactive_cost (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;

  hash = kassa_pin_hash ("123456", KASSA_PIN_COST_INTERACTIVE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (hash, "m=65536"));
  g_assert_true (kassa_pin_verify (hash, "123456"));
}

static void
test_check (void)
{
  const char *bad[] = { "", "123", "1234567890123", "12a4", " 1234", "１２３４", NULL };

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("PIN “%s”", bad[i]);
      g_assert_false (kassa_pin_check (bad[i], &error));
      g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
      g_assert_null (kassa_pin_hash (bad[i], KASSA_PIN_COST_MINIMUM, NULL));
    }

  g_assert_true (kassa_pin_check ("0000", NULL));
  g_assert_true (kassa_pin_check ("123456789012", NULL));
}

static void
test_malformed_hash (void)
{
  g_assert_false (kassa_pin_verify ("", "1234"));
  g_assert_false (kassa_pin_verify ("1234", "1234"));
  g_assert_false (kassa_pin_verify ("$argon2id$v=19$m=8,t=1,p=1$bad", "1234"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/pin/hash-and-verify", test_hash_and_verify);
  g_test_add_func ("/kassa/pin/interactive-cost", test_interactive_cost);
  g_test_add_func ("/kassa/pin/check", test_check);
  g_test_add_func ("/kassa/pin/malformed-hash", test_malformed_hash);

  return g_test_run ();
}
