/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-text.h"

static void
test_blank (void)
{
  g_assert_true (kassa_text_is_blank (NULL));
  g_assert_true (kassa_text_is_blank (""));
  g_assert_true (kassa_text_is_blank (" \t\r\n"));
  /* No-break and ideographic spaces are spaces too. */
  g_assert_true (kassa_text_is_blank ("\u00a0\u3000"));
  g_assert_false (kassa_text_is_blank (" x "));
  g_assert_false (kassa_text_is_blank ("\u00a0ä"));
}

static void
test_email_address (void)
{
  const char *good[] = { "a@b", "grace@example.org", "Jürgen@bäckerei.de" };
  const char *bad[] = { NULL, "", "no-at-sign", "@example.org", "someone@",
                        "a@b@c", "some one@example.org", "a@b\n" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (kassa_text_is_email_address (good[i]));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (kassa_text_is_email_address (bad[i]));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/text/blank", test_blank);
  g_test_add_func ("/kassa/text/email-address", test_email_address);

  return g_test_run ();
}
