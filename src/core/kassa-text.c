/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-text"

#include "config.h"

#include <string.h>

#include "kassa-text.h"

gboolean
kassa_text_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return FALSE;
    }

  return TRUE;
}

gboolean
kassa_text_is_email_address (const char *text)
{
  const char *at;

  if (text == NULL)
    return FALSE;

  at = strchr (text, '@');

  return at != NULL && at != text && at[1] != '\0' &&
         strchr (at + 1, '@') == NULL && strpbrk (text, " \t\r\n") == NULL;
}
