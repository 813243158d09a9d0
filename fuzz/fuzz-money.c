/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Money, quantity and rate parsing: any input is refused with an error or
 * parsed into a value that formats back and parses to the same value. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "kassa-currency.h"
#include "kassa-money.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char *codes[] = { "EUR", "JPY", "BHD", "CHF", "USD", "KRW", "ISK", "UGX" };

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const KassaCurrency *currency;
  g_autofree char *text = NULL;
  char decimal_point;
  gint64 value, again;

  if (size < 2)
    return 0;

  currency = kassa_currency_lookup (codes[data[0] % G_N_ELEMENTS (codes)], NULL);
  g_assert (currency != NULL);
  decimal_point = (data[1] & 1) ? ',' : '.';
  text = g_strndup ((const char *) data + 2, size - 2);

  if (kassa_money_parse (currency, text, decimal_point, &value, NULL))
    {
      g_autofree char *plain = kassa_money_format_plain (currency, value);
      g_autofree char *display = kassa_money_format_display (currency, value);

      g_assert (kassa_money_parse (currency, plain, '.', &again, NULL));
      g_assert (again == value);
      g_assert (display != NULL && g_utf8_validate (display, -1, NULL));
    }

  if (kassa_quantity_parse (text, decimal_point, &value, NULL))
    {
      g_autofree char *plain = kassa_quantity_format (value);

      g_assert (kassa_quantity_parse (plain, '.', &again, NULL));
      g_assert (again == value);
    }

  if (kassa_rate_parse (text, decimal_point, &value, NULL))
    {
      g_autofree char *plain = kassa_rate_format (value);

      g_assert (kassa_rate_parse (plain, '.', &again, NULL));
      g_assert (again == value);
    }

  return 0;
}
