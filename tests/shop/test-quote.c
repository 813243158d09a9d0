/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-quote"

#include "config.h"

#include <string.h>

#include "kassa-error.h"
#include "kassa-quote.h"

static void
assert_quote (const char *input,
              const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *output = kassa_quote_compute_json (input, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (output, ==, expected);
}

static void
assert_quote_error (const char *input,
                    int         code,
                    const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *output = kassa_quote_compute_json (input, -1, &error);

  g_assert_null (output);
  g_assert_error (error, KASSA_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

/* A: 3 × 0.99 = 2.97 at 20 % → 0.594 → 0.59. B: 8.99 at 5.5 % →
 * 0.49445 → 0.49. Untaxed 11.96, tax 1.08, total 13.04; taxes sorted
 * by rate, lines in input order. */
static void
test_example (void)
{
  assert_quote ("{\"currency\":\"EUR\",\"lines\":["
                "{\"name\":\"A\",\"quantity\":\"3\",\"unit_price\":\"0.99\",\"tax_rate\":\"20\"},"
                "{\"name\":\"B\",\"quantity\":\"1\",\"unit_price\":\"8.99\",\"tax_rate\":\"5.5\"}]}",
                "{\"currency\":\"EUR\",\"untaxed\":\"11.96\",\"tax\":\"1.08\",\"total\":\"13.04\","
                "\"cash_rounding\":\"0.00\","
                "\"taxes\":[{\"rate\":\"5.5\",\"base\":\"8.99\",\"amount\":\"0.49\"},"
                "{\"rate\":\"20\",\"base\":\"2.97\",\"amount\":\"0.59\"}],"
                "\"lines\":[{\"name\":\"A\",\"net\":\"2.97\",\"tax\":\"0.59\"},"
                "{\"name\":\"B\",\"net\":\"8.99\",\"tax\":\"0.49\"}]}");
}

/* Every option spelled out, unknown keys ignored. 1.5 kg × 3.98 = 5.97,
 * 5 % off → 0.2985 → 0.30, net 5.67; 10 % off the document → 0.567 →
 * 0.57; 5.10 at 9.975 % → 0.508725 → 0.51. */
static void
test_all_options (void)
{
  assert_quote ("{\"currency\":\"eur\",\"prices_include_tax\":false,\"tax_scope\":\"document\","
                "\"rounding\":\"half-up\",\"discount\":{\"percent\":\"10\"},\"note\":\"ignored\","
                "\"lines\":[{\"name\":\"Cheese\",\"quantity\":\"1.5\",\"unit_price\":\"3.98\","
                "\"tax_rate\":\"9.975\",\"discount\":{\"percent\":\"5\"},\"sku\":42}]}",
                "{\"currency\":\"EUR\",\"untaxed\":\"5.10\",\"tax\":\"0.51\",\"total\":\"5.61\","
                "\"cash_rounding\":\"0.00\","
                "\"taxes\":[{\"rate\":\"9.975\",\"base\":\"5.10\",\"amount\":\"0.51\"}],"
                "\"lines\":[{\"name\":\"Cheese\",\"net\":\"5.10\",\"tax\":\"0.51\"}]}");
}

/* 0.25 at 10 % = 0.025: 0.03 half-up, 0.02 half-even. */
static void
test_half_even (void)
{
  assert_quote ("{\"currency\":\"EUR\",\"rounding\":\"half-even\",\"lines\":["
                "{\"name\":\"T\",\"quantity\":\"1\",\"unit_price\":\"0.25\",\"tax_rate\":\"10\"}]}",
                "{\"currency\":\"EUR\",\"untaxed\":\"0.25\",\"tax\":\"0.02\",\"total\":\"0.27\","
                "\"cash_rounding\":\"0.00\","
                "\"taxes\":[{\"rate\":\"10\",\"base\":\"0.25\",\"amount\":\"0.02\"}],"
                "\"lines\":[{\"name\":\"T\",\"net\":\"0.25\",\"tax\":\"0.02\"}]}");
  assert_quote ("{\"currency\":\"EUR\",\"lines\":["
                "{\"name\":\"T\",\"quantity\":\"1\",\"unit_price\":\"0.25\",\"tax_rate\":\"10\"}]}",
                "{\"currency\":\"EUR\",\"untaxed\":\"0.25\",\"tax\":\"0.03\",\"total\":\"0.28\","
                "\"cash_rounding\":\"0.00\","
                "\"taxes\":[{\"rate\":\"10\",\"base\":\"0.25\",\"amount\":\"0.03\"}],"
                "\"lines\":[{\"name\":\"T\",\"net\":\"0.25\",\"tax\":\"0.03\"}]}");
}

/* Gross 3 × 1.00 at 20 %: document scope 2.50 + 0.50 with the nets
 * spread 0.84/0.83/0.83; line scope 0.83 + 0.17 on every line. */
static void
test_inclusive (void)
{
  const char *lines = "\"lines\":["
    "{\"name\":\"A\",\"quantity\":\"1\",\"unit_price\":\"1.00\",\"tax_rate\":\"20\"},"
    "{\"name\":\"B\",\"quantity\":\"1\",\"unit_price\":\"1.00\",\"tax_rate\":\"20\"},"
    "{\"name\":\"C\",\"quantity\":\"1\",\"unit_price\":\"1.00\",\"tax_rate\":\"20\"}]}";
  g_autofree char *document = g_strconcat ("{\"currency\":\"EUR\",\"prices_include_tax\":true,", lines, NULL);
  g_autofree char *line = g_strconcat ("{\"currency\":\"EUR\",\"prices_include_tax\":true,"
                                       "\"tax_scope\":\"line\",", lines, NULL);

  assert_quote (document,
                "{\"currency\":\"EUR\",\"untaxed\":\"2.50\",\"tax\":\"0.50\",\"total\":\"3.00\","
                "\"cash_rounding\":\"0.00\","
                "\"taxes\":[{\"rate\":\"20\",\"base\":\"2.50\",\"amount\":\"0.50\"}],"
                "\"lines\":[{\"name\":\"A\",\"net\":\"0.84\",\"tax\":\"0.16\"},"
                "{\"name\":\"B\",\"net\":\"0.83\",\"tax\":\"0.17\"},"
                "{\"name\":\"C\",\"net\":\"0.83\",\"tax\":\"0.17\"}]}");
  assert_quote (line,
                "{\"currency\":\"EUR\",\"untaxed\":\"2.49\",\"tax\":\"0.51\",\"total\":\"3.00\","
                "\"cash_rounding\":\"0.00\","
                "\"taxes\":[{\"rate\":\"20\",\"base\":\"2.49\",\"amount\":\"0.51\"}],"
                "\"lines\":[{\"name\":\"A\",\"net\":\"0.83\",\"tax\":\"0.17\"},"
                "{\"name\":\"B\",\"net\":\"0.83\",\"tax\":\"0.17\"},"
                "{\"name\":\"C\",\"net\":\"0.83\",\"tax\":\"0.17\"}]}");
}

/* 12.33 CHF paid in cash with 0.05 coins: +0.02. */
static void
test_cash_rounding (void)
{
  assert_quote ("{\"currency\":\"CHF\",\"cash_rounding\":\"0.05\",\"lines\":["
                "{\"name\":\"Bread\",\"quantity\":\"1\",\"unit_price\":\"12.33\",\"tax_rate\":\"0\"}]}",
                "{\"currency\":\"CHF\",\"untaxed\":\"12.33\",\"tax\":\"0.00\",\"total\":\"12.33\","
                "\"cash_rounding\":\"0.02\","
                "\"taxes\":[{\"rate\":\"0\",\"base\":\"12.33\",\"amount\":\"0.00\"}],"
                "\"lines\":[{\"name\":\"Bread\",\"net\":\"12.33\",\"tax\":\"0.00\"}]}");
}

/* A return of 1 × 4.00 against a sale of 10.00 at 20 %, 1.00 off. The
 * discount is spread 10.00:−4.00 (sum 6.00) → 1.6667 and −0.6667 → 1.66
 * and −0.67 floored, the cent left to the larger fraction (0.67 of the
 * sale): 1.67 and −0.67; nets 8.33 and −3.33. Tax 5.00 × 20 % = 1.00;
 * the lines' exact taxes 1.666 and −0.666 floor to 1.66 and −0.67, the
 * cent left goes to the larger fraction (0.6 of 1.666) → 1.67, −0.67. */
static void
test_return (void)
{
  assert_quote ("{\"currency\":\"EUR\",\"discount\":{\"amount\":\"1.00\"},\"lines\":["
                "{\"name\":\"Sale\",\"quantity\":\"1\",\"unit_price\":\"10.00\",\"tax_rate\":\"20\"},"
                "{\"name\":\"Back\",\"quantity\":\"-1\",\"unit_price\":\"4.00\",\"tax_rate\":\"20\",\"return\":true}]}",
                "{\"currency\":\"EUR\",\"untaxed\":\"5.00\",\"tax\":\"1.00\",\"total\":\"6.00\","
                "\"cash_rounding\":\"0.00\","
                "\"taxes\":[{\"rate\":\"20\",\"base\":\"5.00\",\"amount\":\"1.00\"}],"
                "\"lines\":[{\"name\":\"Sale\",\"net\":\"8.33\",\"tax\":\"1.67\"},"
                "{\"name\":\"Back\",\"net\":\"-3.33\",\"tax\":\"-0.67\"}]}");
}

/* JPY has no decimals and KWD three, in the output too. */
static void
test_exponents (void)
{
  assert_quote ("{\"currency\":\"JPY\",\"lines\":["
                "{\"name\":\"Tea\",\"quantity\":\"3\",\"unit_price\":\"333\",\"tax_rate\":\"10\"}]}",
                "{\"currency\":\"JPY\",\"untaxed\":\"999\",\"tax\":\"100\",\"total\":\"1099\","
                "\"cash_rounding\":\"0\","
                "\"taxes\":[{\"rate\":\"10\",\"base\":\"999\",\"amount\":\"100\"}],"
                "\"lines\":[{\"name\":\"Tea\",\"net\":\"999\",\"tax\":\"100\"}]}");
  assert_quote ("{\"currency\":\"KWD\",\"lines\":["
                "{\"name\":\"Dates\",\"quantity\":\"1\",\"unit_price\":\"0.250\",\"tax_rate\":\"5\"}]}",
                "{\"currency\":\"KWD\",\"untaxed\":\"0.250\",\"tax\":\"0.013\",\"total\":\"0.263\","
                "\"cash_rounding\":\"0.000\","
                "\"taxes\":[{\"rate\":\"5\",\"base\":\"0.250\",\"amount\":\"0.013\"}],"
                "\"lines\":[{\"name\":\"Dates\",\"net\":\"0.250\",\"tax\":\"0.013\"}]}");
}

static void
test_empty_lines (void)
{
  assert_quote ("{\"currency\":\"EUR\",\"lines\":[]}",
                "{\"currency\":\"EUR\",\"untaxed\":\"0.00\",\"tax\":\"0.00\",\"total\":\"0.00\","
                "\"cash_rounding\":\"0.00\",\"taxes\":[],\"lines\":[]}");
}

#define LINE_OK "{\"name\":\"A\",\"quantity\":\"3\",\"unit_price\":\"0.99\",\"tax_rate\":\"20\"}"

static void
test_errors (void)
{
  static const struct { const char *input; int code; const char *message; } cases[] = {
    { "{\"currency\":\"EUR\",\"lines\":[" LINE_OK "," LINE_OK ","
      "{\"name\":\"C\",\"quantity\":\"1\",\"unit_price\":\"1.005\",\"tax_rate\":\"20\"}]}",
      KASSA_ERROR_PRECISION, "lines[2].unit_price: 1.005 has more decimals than EUR allows" },
    { "[]", KASSA_ERROR_INVALID, "input: expected a JSON object" },
    { "{\"currency\":\"XYZ\",\"lines\":[]}", KASSA_ERROR_UNKNOWN_CURRENCY,
      "currency: unknown currency code “XYZ”" },
    { "{\"lines\":[]}", KASSA_ERROR_INVALID, "currency: missing" },
    { "{\"currency\":978,\"lines\":[]}", KASSA_ERROR_INVALID, "currency: expected a string" },
    { "{\"currency\":\"EUR\"}", KASSA_ERROR_INVALID, "lines: missing" },
    { "{\"currency\":\"EUR\",\"lines\":{}}", KASSA_ERROR_INVALID, "lines: expected an array" },
    { "{\"currency\":\"EUR\",\"lines\":[\"A\"]}", KASSA_ERROR_INVALID, "lines[0]: expected an object" },
    { "{\"currency\":\"EUR\",\"lines\":[{\"quantity\":\"1\",\"unit_price\":\"1\",\"tax_rate\":\"0\"}]}",
      KASSA_ERROR_INVALID, "lines[0].name: missing" },
    { "{\"currency\":\"EUR\",\"lines\":[" LINE_OK ",{\"name\":\"B\",\"quantity\":\"abc\",\"unit_price\":\"1\",\"tax_rate\":\"0\"}]}",
      KASSA_ERROR_INVALID, "lines[1].quantity: “abc” is not a plain decimal number" },
    { "{\"currency\":\"EUR\",\"lines\":[{\"name\":\"B\",\"quantity\":3,\"unit_price\":\"1\",\"tax_rate\":\"0\"}]}",
      KASSA_ERROR_INVALID, "lines[0].quantity: expected a string" },
    { "{\"currency\":\"EUR\",\"lines\":[{\"name\":\"B\",\"quantity\":\"-2\",\"unit_price\":\"1\",\"tax_rate\":\"0\"}]}",
      KASSA_ERROR_INVALID, "lines[0].quantity: -2 is negative but the line is not a return" },
    { "{\"currency\":\"EUR\",\"lines\":[{\"name\":\"B\",\"quantity\":\"-2\",\"unit_price\":\"1\",\"tax_rate\":\"0\",\"return\":false}]}",
      KASSA_ERROR_INVALID, "lines[0].quantity: -2 is negative but the line is not a return" },
    { "{\"currency\":\"EUR\",\"lines\":[{\"name\":\"B\",\"quantity\":\"-2\",\"unit_price\":\"1\",\"tax_rate\":\"0\",\"return\":\"yes\"}]}",
      KASSA_ERROR_INVALID, "lines[0].return: expected true or false" },
    { "{\"currency\":\"EUR\",\"lines\":[{\"name\":\"B\",\"quantity\":\"1.0005\",\"unit_price\":\"1\",\"tax_rate\":\"0\"}]}",
      KASSA_ERROR_PRECISION, "lines[0].quantity: 1.0005 has more decimals than a quantity (3) allows" },
    { "{\"currency\":\"EUR\",\"lines\":[{\"name\":\"B\",\"quantity\":\"1\",\"unit_price\":\"-1\",\"tax_rate\":\"0\"}]}",
      KASSA_ERROR_INVALID, "lines[0].unit_price: -1 is negative" },
    { "{\"currency\":\"EUR\",\"lines\":[{\"name\":\"B\",\"quantity\":\"1\",\"unit_price\":\"1\",\"tax_rate\":\"120\"}]}",
      KASSA_ERROR_INVALID, "lines[0].tax_rate: 120 % is outside 0–100 %" },
    { "{\"currency\":\"EUR\",\"lines\":[{\"name\":\"B\",\"quantity\":\"1\",\"unit_price\":\"1\",\"tax_rate\":\"-5\"}]}",
      KASSA_ERROR_INVALID, "lines[0].tax_rate: -5 % is outside 0–100 %" },
    { "{\"currency\":\"EUR\",\"lines\":[{\"name\":\"B\",\"quantity\":\"1\",\"unit_price\":\"1\",\"tax_rate\":\"20%\"}]}",
      KASSA_ERROR_INVALID, "lines[0].tax_rate: “20%” is not a plain decimal number" },
    { "{\"currency\":\"EUR\",\"lines\":[{\"name\":\"B\",\"quantity\":\"1\",\"unit_price\":\"1\",\"tax_rate\":\"0\","
      "\"discount\":{\"percent\":\"150\"}}]}",
      KASSA_ERROR_INVALID, "lines[0].discount.percent: 150 % is outside 0–100 %" },
    { "{\"currency\":\"EUR\",\"lines\":[{\"name\":\"B\",\"quantity\":\"1\",\"unit_price\":\"1\",\"tax_rate\":\"0\","
      "\"discount\":{\"percent\":\"5\",\"amount\":\"1\"}}]}",
      KASSA_ERROR_INVALID, "lines[0].discount: give either percent or amount" },
    { "{\"currency\":\"EUR\",\"lines\":[" LINE_OK "],\"discount\":{}}",
      KASSA_ERROR_INVALID, "discount: give either percent or amount" },
    { "{\"currency\":\"EUR\",\"lines\":[" LINE_OK "],\"discount\":\"10\"}",
      KASSA_ERROR_INVALID, "discount: expected an object" },
    { "{\"currency\":\"EUR\",\"lines\":[{\"name\":\"A\",\"quantity\":\"3\",\"unit_price\":\"0.99\",\"tax_rate\":\"20\","
      "\"discount\":{\"amount\":\"5.00\"}}]}",
      KASSA_ERROR_INVALID, "lines[0].discount: discount 5.00 is larger than the amount 2.97" },
    { "{\"currency\":\"EUR\",\"lines\":[" LINE_OK "],\"discount\":{\"amount\":\"3.00\"}}",
      KASSA_ERROR_INVALID, "discount: discount 3.00 is larger than the amount 2.97" },
    { "{\"currency\":\"EUR\",\"lines\":[" LINE_OK "],\"tax_scope\":\"invoice\"}",
      KASSA_ERROR_INVALID, "tax_scope: “invoice” is neither document nor line" },
    { "{\"currency\":\"EUR\",\"lines\":[" LINE_OK "],\"rounding\":\"up\"}",
      KASSA_ERROR_INVALID, "rounding: “up” is neither half-up nor half-even" },
    { "{\"currency\":\"EUR\",\"lines\":[" LINE_OK "],\"prices_include_tax\":\"yes\"}",
      KASSA_ERROR_INVALID, "prices_include_tax: expected true or false" },
    { "{\"currency\":\"EUR\",\"lines\":[" LINE_OK "],\"cash_rounding\":\"0\"}",
      KASSA_ERROR_INVALID, "cash_rounding: 0 is not a coin size" },
    { "{\"currency\":\"EUR\",\"lines\":[" LINE_OK "],\"cash_rounding\":\"0.001\"}",
      KASSA_ERROR_PRECISION, "cash_rounding: 0.001 has more decimals than EUR allows" },
    { "{\"currency\":\"EUR\",\"lines\":[{\"name\":\"A\",\"quantity\":\"2\",\"unit_price\":\"92233720368547758.07\",\"tax_rate\":\"0\"}]}",
      KASSA_ERROR_OVERFLOW, "lines[0]: quantity × unit price does not fit in 64 bits of minor units" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u: %s", i, cases[i].input);
      assert_quote_error (cases[i].input, cases[i].code, cases[i].message);
    }
}

static void
test_not_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *output = kassa_quote_compute_json ("{\"currency\": \"EUR\",\n  oops", -1, &error);

  g_assert_null (output);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "input: not valid JSON: "));
  g_assert_null (strchr (error->message, '\n'));
}

/* A length shorter than the buffer is honoured. */
static void
test_length (void)
{
  const char *input = "{\"currency\":\"EUR\",\"lines\":[]}trailing garbage";
  g_autoptr(GError) error = NULL;
  g_autofree char *output = kassa_quote_compute_json (input, strlen ("{\"currency\":\"EUR\",\"lines\":[]}"), &error);

  g_assert_no_error (error);
  g_assert_nonnull (output);
  g_assert_true (g_str_has_prefix (output, "{\"currency\":\"EUR\",\"untaxed\":\"0.00\""));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/quote/example", test_example);
  g_test_add_func ("/kassa/quote/all-options", test_all_options);
  g_test_add_func ("/kassa/quote/half-even", test_half_even);
  g_test_add_func ("/kassa/quote/inclusive", test_inclusive);
  g_test_add_func ("/kassa/quote/cash-rounding", test_cash_rounding);
  g_test_add_func ("/kassa/quote/return", test_return);
  g_test_add_func ("/kassa/quote/exponents", test_exponents);
  g_test_add_func ("/kassa/quote/empty-lines", test_empty_lines);
  g_test_add_func ("/kassa/quote/errors", test_errors);
  g_test_add_func ("/kassa/quote/not-json", test_not_json);
  g_test_add_func ("/kassa/quote/length", test_length);

  return g_test_run ();
}
