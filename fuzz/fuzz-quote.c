/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The input of `kassa-cli quote`: any bytes are refused with an error or
 * give totals that add up — lines' nets to the untaxed amount, the rates'
 * taxes to the tax, untaxed and tax to the total. */
#include "config.h"

#include <stdint.h>

#include <json-glib/json-glib.h>

#include "kassa-currency.h"
#include "kassa-money.h"
#include "kassa-quote.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gint64
amount_of (const KassaCurrency *currency,
           JsonObject          *object,
           const char          *member)
{
  gint64 value = 0;

  g_assert (kassa_money_parse (currency, json_object_get_string_member (object, member),
                               '.', &value, NULL));
  return value;
}

static gint64
sum_of (const KassaCurrency *currency,
        JsonArray           *array,
        const char          *member)
{
  gint64 sum = 0;

  for (guint i = 0; i < json_array_get_length (array); i++)
    g_assert (kassa_checked_add (sum, amount_of (currency, json_array_get_object_element (array, i),
                                                 member), &sum));
  return sum;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *output = NULL;
  g_autoptr(JsonParser) parser = NULL;
  const KassaCurrency *currency;
  JsonObject *quote;
  gint64 untaxed, tax, total;

  output = kassa_quote_compute_json ((const char *) data, size, NULL);
  if (output == NULL)
    return 0;

  parser = json_parser_new ();
  g_assert (json_parser_load_from_data (parser, output, -1, NULL));
  quote = json_node_get_object (json_parser_get_root (parser));
  currency = kassa_currency_lookup (json_object_get_string_member (quote, "currency"), NULL);
  g_assert (currency != NULL);

  untaxed = amount_of (currency, quote, "untaxed");
  tax = amount_of (currency, quote, "tax");
  total = amount_of (currency, quote, "total");

  g_assert (untaxed + tax == total);
  g_assert (sum_of (currency, json_object_get_array_member (quote, "lines"), "net") == untaxed);
  g_assert (sum_of (currency, json_object_get_array_member (quote, "lines"), "tax") == tax);
  g_assert (sum_of (currency, json_object_get_array_member (quote, "taxes"), "amount") == tax);
  g_assert (sum_of (currency, json_object_get_array_member (quote, "taxes"), "base") == untaxed);

  return 0;
}
