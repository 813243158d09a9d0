/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-invoice-number"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "kassa-error.h"
#include "kassa-invoice-number.h"

#define MAX_WIDTH 12
#define MAX_PATTERN 64

typedef enum
{
  TOKEN_LITERAL,
  TOKEN_YEAR4,
  TOKEN_YEAR2,
  TOKEN_MONTH,
  TOKEN_SEQ,
} TokenKind;

typedef struct
{
  TokenKind  kind;
  char      *literal;
  guint      width;
} Token;

struct _KassaInvoiceNumberFormat
{
  gatomicrefcount  ref_count;
  char            *pattern;
  GArray          *tokens;
};

G_DEFINE_BOXED_TYPE (KassaInvoiceNumberFormat, kassa_invoice_number_format,
                     kassa_invoice_number_format_ref, kassa_invoice_number_format_unref)

static void
token_clear (gpointer data)
{
  Token *token = data;

  g_clear_pointer (&token->literal, g_free);
}

static gboolean
bad_pattern (GError     **error,
             const char  *pattern,
             const char  *reason)
{
  g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
               /* Translators: the first %s is the pattern, the second why it is refused */
               _("The invoice number format “%s” is invalid: %s"),
               pattern, reason);
  return FALSE;
}

static gboolean
parse_field (const char  *field,
             Token       *token)
{
  if (strcmp (field, "YYYY") == 0)
    token->kind = TOKEN_YEAR4, token->width = 4;
  else if (strcmp (field, "YY") == 0)
    token->kind = TOKEN_YEAR2, token->width = 2;
  else if (strcmp (field, "MM") == 0)
    token->kind = TOKEN_MONTH, token->width = 2;
  else if (strcmp (field, "SEQ") == 0)
    token->kind = TOKEN_SEQ, token->width = 1;
  else if (g_str_has_prefix (field, "SEQ:"))
    {
      const char *digits = field + strlen ("SEQ:");
      guint64 width;

      if (*digits == '\0' || strlen (digits) > 2 ||
          !g_ascii_string_to_unsigned (digits, 10, 1, MAX_WIDTH, &width, NULL))
        return FALSE;

      token->kind = TOKEN_SEQ;
      token->width = (guint) width;
    }
  else
    return FALSE;

  return TRUE;
}

static gboolean
tokenize (const char  *pattern,
          GArray      *tokens,
          GError     **error)
{
  const char *p = pattern;
  guint n_seq = 0;
  guint n_year = 0;

  if (*pattern == '\0')
    return bad_pattern (error, pattern, _("it is empty"));

  if (strlen (pattern) > MAX_PATTERN)
    return bad_pattern (error, pattern, _("it is longer than 64 characters"));

  if (!g_utf8_validate (pattern, -1, NULL))
    return bad_pattern (error, pattern, _("it is not valid UTF-8"));

  while (*p != '\0')
    {
      Token token = { 0 };

      if (*p == '{')
        {
          const char *end = strchr (p, '}');
          g_autofree char *field = NULL;

          if (end == NULL)
            return bad_pattern (error, pattern, _("a “{” is never closed"));

          field = g_strndup (p + 1, end - p - 1);
          if (strchr (field, '{') != NULL)
            return bad_pattern (error, pattern, _("a “{” is never closed"));

          if (!parse_field (field, &token))
            {
              g_autofree char *reason =
                g_strdup_printf (_("“{%s}” is not a field (use YYYY, YY, MM, SEQ or SEQ:1 to SEQ:12)"), field);
              return bad_pattern (error, pattern, reason);
            }

          p = end + 1;
        }
      else if (*p == '}')
        return bad_pattern (error, pattern, _("a “}” has no “{”"));
      else
        {
          const char *end = p;

          while (*end != '\0' && *end != '{' && *end != '}')
            {
              /* Control characters would end up on paper and in file names. */
              if (g_ascii_iscntrl (*end))
                return bad_pattern (error, pattern, _("it holds a control character"));
              end++;
            }

          token.kind = TOKEN_LITERAL;
          token.literal = g_strndup (p, end - p);
          p = end;
        }

      if (token.kind == TOKEN_SEQ)
        n_seq++;
      if (token.kind == TOKEN_YEAR4 || token.kind == TOKEN_YEAR2)
        n_year++;

      g_array_append_val (tokens, token);
    }

  if (n_seq != 1)
    return bad_pattern (error, pattern, _("it needs exactly one {SEQ}"));

  if (n_year == 0)
    return bad_pattern (error, pattern, _("it needs {YYYY} or {YY}, since the sequence starts again every year"));

  /* {SEQ} has no fixed length, so only text (or the end) can tell where it
   * stops when a number is read back. */
  for (guint i = 0; i + 1 < tokens->len; i++)
    {
      if (g_array_index (tokens, Token, i).kind == TOKEN_SEQ &&
          g_array_index (tokens, Token, i + 1).kind != TOKEN_LITERAL)
        return bad_pattern (error, pattern, _("{SEQ} must be followed by text or end the format"));
    }

  return TRUE;
}

KassaInvoiceNumberFormat *
kassa_invoice_number_format_new (const char  *pattern,
                                 GError     **error)
{
  g_autoptr(GArray) tokens = NULL;
  KassaInvoiceNumberFormat *self;

  g_return_val_if_fail (pattern != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  tokens = g_array_new (FALSE, TRUE, sizeof (Token));
  g_array_set_clear_func (tokens, token_clear);

  if (!tokenize (pattern, tokens, error))
    return NULL;

  self = g_new0 (KassaInvoiceNumberFormat, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->pattern = g_strdup (pattern);
  self->tokens = g_steal_pointer (&tokens);

  return self;
}

KassaInvoiceNumberFormat *
kassa_invoice_number_format_ref (KassaInvoiceNumberFormat *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
kassa_invoice_number_format_unref (KassaInvoiceNumberFormat *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_pointer (&self->tokens, g_array_unref);
  g_clear_pointer (&self->pattern, g_free);
  g_free (self);
}

const char *
kassa_invoice_number_format_get_pattern (KassaInvoiceNumberFormat *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->pattern;
}

char *
kassa_invoice_number_format_format (KassaInvoiceNumberFormat  *self,
                                    guint                      year,
                                    guint                      month,
                                    guint64                    sequence,
                                    GError                   **error)
{
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (year < 1 || year > 9999)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("%u is not a year from 1 to 9999"), year);
      return NULL;
    }

  if (month < 1 || month > 12)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("%u is not a month from 1 to 12"), month);
      return NULL;
    }

  if (sequence < 1)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("Invoice sequences start at 1"));
      return NULL;
    }

  out = g_string_new (NULL);

  for (guint i = 0; i < self->tokens->len; i++)
    {
      const Token *token = &g_array_index (self->tokens, Token, i);

      switch (token->kind)
        {
        case TOKEN_LITERAL:
          g_string_append (out, token->literal);
          break;

        case TOKEN_YEAR4:
          g_string_append_printf (out, "%04u", year);
          break;

        case TOKEN_YEAR2:
          g_string_append_printf (out, "%02u", year % 100);
          break;

        case TOKEN_MONTH:
          g_string_append_printf (out, "%02u", month);
          break;

        case TOKEN_SEQ:
          g_string_append_printf (out, "%0*" PRIu64, (int) token->width, sequence);
          break;

        default:
          g_assert_not_reached ();
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
read_digits (const char  **p,
             guint         n,
             guint64      *value)
{
  guint64 v = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      v = v * 10 + (guint64) ((*p)[i] - '0');
    }

  *p += n;
  *value = v;

  return TRUE;
}

gboolean
kassa_invoice_number_format_parse (KassaInvoiceNumberFormat  *self,
                                   const char                *number,
                                   guint                     *year,
                                   guint                     *month,
                                   guint64                   *sequence,
                                   GError                   **error)
{
  const char *p = number;
  guint64 y = 0, m = 0, seq = 0;
  gboolean have_year4 = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (number != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < self->tokens->len; i++)
    {
      const Token *token = &g_array_index (self->tokens, Token, i);
      guint64 v;

      switch (token->kind)
        {
        case TOKEN_LITERAL:
          if (!g_str_has_prefix (p, token->literal))
            goto mismatch;
          p += strlen (token->literal);
          break;

        case TOKEN_YEAR4:
          if (!read_digits (&p, 4, &v) || v == 0 || (have_year4 && v != y))
            goto mismatch;
          y = v;
          have_year4 = TRUE;
          break;

        case TOKEN_YEAR2:
          if (!read_digits (&p, 2, &v) || (y != 0 && v != y % 100))
            goto mismatch;
          if (!have_year4)
            y = 2000 + v;
          break;

        case TOKEN_MONTH:
          if (!read_digits (&p, 2, &v) || v < 1 || v > 12 || (m != 0 && v != m))
            goto mismatch;
          m = v;
          break;

        case TOKEN_SEQ:
          {
            guint n = 0;

            while (g_ascii_isdigit (p[n]))
              n++;

            /* Twenty digits could overflow; nobody issues that many invoices. */
            if (n < token->width || n > 19 || !read_digits (&p, n, &v) || v == 0)
              goto mismatch;
            seq = v;
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  if (*p != '\0')
    goto mismatch;

  if (year != NULL)
    *year = (guint) y;
  if (month != NULL)
    *month = (guint) m;
  if (sequence != NULL)
    *sequence = seq;

  return TRUE;

mismatch:
  g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
               _("“%s” does not match the invoice number format “%s”"),
               number, self->pattern);
  return FALSE;
}
