/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-quote"

#include "config.h"

#include <json-glib/json-glib.h>

#include "kassa-error.h"
#include "kassa-money.h"
#include "kassa-quote.h"
#include "kassa-totals.h"

typedef struct
{
  char     *name;
  gboolean  is_return;
} QuoteLineInfo;

static void
quote_line_info_clear (QuoteLineInfo *info)
{
  g_clear_pointer (&info->name, g_free);
}

/* Looks @name up in @object. Absent and null members give NULL without
 * an error unless @required; a member of another type than @type is an
 * error naming @path. */
static gboolean
get_member (JsonObject   *object,
            const char   *name,
            const char   *path,
            gboolean      required,
            JsonNodeType  type,
            GType         value_type,
            JsonNode    **out,
            GError      **error)
{
  JsonNode *node = json_object_get_member (object, name);
  static const char *type_names[] = { "an object", "an array", "a value", "null" };
  const char *expected;

  *out = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, "%s: missing", path);
          return FALSE;
        }
      return TRUE;
    }

  if (value_type == G_TYPE_STRING)
    expected = "a string";
  else if (value_type == G_TYPE_BOOLEAN)
    expected = "true or false";
  else
    expected = type_names[type];

  if (JSON_NODE_TYPE (node) != type
      || (type == JSON_NODE_VALUE && json_node_get_value_type (node) != value_type))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, "%s: expected %s", path, expected);
      return FALSE;
    }

  *out = node;
  return TRUE;
}

static gboolean
get_string (JsonObject   *object,
            const char   *name,
            const char   *path,
            gboolean      required,
            const char  **out,
            GError      **error)
{
  JsonNode *node;

  if (!get_member (object, name, path, required, JSON_NODE_VALUE, G_TYPE_STRING, &node, error))
    return FALSE;
  *out = node != NULL ? json_node_get_string (node) : NULL;
  return TRUE;
}

static gboolean
get_boolean (JsonObject  *object,
             const char  *name,
             const char  *path,
             gboolean    *out,
             GError     **error)
{
  JsonNode *node;

  if (!get_member (object, name, path, FALSE, JSON_NODE_VALUE, G_TYPE_BOOLEAN, &node, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
parse_rate_field (const char  *text,
                  const char  *path,
                  gint64      *ppm,
                  GError     **error)
{
  if (!kassa_rate_parse (text, '.', ppm, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  if (*ppm < 0 || *ppm > KASSA_RATE_WHOLE)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   "%s: %s %% is outside 0–100 %%", path, text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_money_field (const KassaCurrency  *currency,
                   const char           *text,
                   const char           *path,
                   gint64               *minor,
                   GError              **error)
{
  if (!kassa_money_parse (currency, text, '.', minor, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  if (*minor < 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, "%s: %s is negative", path, text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_discount (JsonObject          *parent,
                const char          *parent_path,
                const KassaCurrency *currency,
                KassaDiscountKind   *kind,
                gint64              *value,
                GError             **error)
{
  g_autofree char *path = NULL;
  g_autofree char *percent_path = NULL;
  g_autofree char *amount_path = NULL;
  JsonNode *node;
  JsonObject *object;
  const char *percent = NULL, *amount = NULL;

  path = parent_path != NULL ? g_strconcat (parent_path, ".discount", NULL) : g_strdup ("discount");
  *kind = KASSA_DISCOUNT_NONE;
  *value = 0;

  if (!get_member (parent, "discount", path, FALSE, JSON_NODE_OBJECT, G_TYPE_INVALID, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  object = json_node_get_object (node);
  percent_path = g_strconcat (path, ".percent", NULL);
  amount_path = g_strconcat (path, ".amount", NULL);
  if (!get_string (object, "percent", percent_path, FALSE, &percent, error)
      || !get_string (object, "amount", amount_path, FALSE, &amount, error))
    return FALSE;

  if ((percent == NULL) == (amount == NULL))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   "%s: give either percent or amount", path);
      return FALSE;
    }

  if (percent != NULL)
    {
      *kind = KASSA_DISCOUNT_PERCENT;
      return parse_rate_field (percent, percent_path, value, error);
    }

  *kind = KASSA_DISCOUNT_AMOUNT;
  return parse_money_field (currency, amount, amount_path, value, error);
}

static gboolean
parse_line (JsonNode             *node,
            guint                 index,
            const KassaCurrency  *currency,
            KassaTotalsLine      *line,
            QuoteLineInfo        *info,
            GError              **error)
{
  g_autofree char *path = g_strdup_printf ("lines[%u]", index);
  g_autofree char *name_path = g_strconcat (path, ".name", NULL);
  g_autofree char *quantity_path = g_strconcat (path, ".quantity", NULL);
  g_autofree char *price_path = g_strconcat (path, ".unit_price", NULL);
  g_autofree char *rate_path = g_strconcat (path, ".tax_rate", NULL);
  g_autofree char *return_path = g_strconcat (path, ".return", NULL);
  JsonObject *object;
  const char *name, *quantity, *price, *rate;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, "%s: expected an object", path);
      return FALSE;
    }
  object = json_node_get_object (node);

  if (!get_string (object, "name", name_path, TRUE, &name, error)
      || !get_string (object, "quantity", quantity_path, TRUE, &quantity, error)
      || !get_string (object, "unit_price", price_path, TRUE, &price, error)
      || !get_string (object, "tax_rate", rate_path, TRUE, &rate, error)
      || !get_boolean (object, "return", return_path, &info->is_return, error))
    return FALSE;

  info->name = g_strdup (name);

  if (!kassa_quantity_parse (quantity, '.', &line->quantity, error))
    {
      g_prefix_error (error, "%s: ", quantity_path);
      return FALSE;
    }
  /* A negative quantity gives money back: only an explicit return may. */
  if (line->quantity < 0 && !info->is_return)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   "%s: %s is negative but the line is not a return", quantity_path, quantity);
      return FALSE;
    }

  return parse_money_field (currency, price, price_path, &line->unit_price, error)
         && parse_rate_field (rate, rate_path, &line->tax_rate, error)
         && parse_discount (object, path, currency, &line->discount_kind,
                            &line->discount_value, error);
}

static void
add_amount (JsonBuilder         *builder,
            const char          *name,
            const KassaCurrency *currency,
            gint64               minor)
{
  g_autofree char *text = kassa_money_format_plain (currency, minor);

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, text);
}

static char *
totals_to_json (const KassaTotals    *totals,
                const QuoteLineInfo  *infos)
{
  const KassaCurrency *currency = kassa_totals_get_currency (totals);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, kassa_currency_get_code (currency));
  add_amount (builder, "untaxed", currency, kassa_totals_get_untaxed (totals));
  add_amount (builder, "tax", currency, kassa_totals_get_tax (totals));
  add_amount (builder, "total", currency, kassa_totals_get_total (totals));
  add_amount (builder, "cash_rounding", currency, kassa_totals_get_cash_rounding (totals));

  json_builder_set_member_name (builder, "taxes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < kassa_totals_get_n_tax_lines (totals); i++)
    {
      const KassaTaxLine *tax_line = kassa_totals_get_tax_line (totals, i);
      g_autofree char *rate = kassa_rate_format (tax_line->rate);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "rate");
      json_builder_add_string_value (builder, rate);
      add_amount (builder, "base", currency, tax_line->base);
      add_amount (builder, "amount", currency, tax_line->tax);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "lines");
  json_builder_begin_array (builder);
  for (guint i = 0; i < kassa_totals_get_n_lines (totals); i++)
    {
      const KassaLineTotals *line = kassa_totals_get_line (totals, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, infos[i].name);
      add_amount (builder, "net", currency, line->net);
      add_amount (builder, "tax", currency, line->tax);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

char *
kassa_quote_compute_json (const char  *input,
                          gssize       length,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(KassaTotals) totals = NULL;
  g_autofree KassaTotalsLine *lines = NULL;
  g_autoptr(GArray) infos = NULL;
  KassaTaxSettings settings = { NULL, FALSE, KASSA_TAX_SCOPE_DOCUMENT, KASSA_ROUNDING_HALF_UP };
  KassaTotalsOptions options = { KASSA_DISCOUNT_NONE, 0, 0 };
  JsonNode *root, *lines_node;
  JsonObject *object;
  JsonArray *array;
  const char *code, *scope = NULL, *rounding = NULL, *cash = NULL;
  guint n_lines;

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!json_parser_load_from_data (parser, input, length, &parse_error))
    {
      g_auto(GStrv) parts = g_strsplit_set (parse_error->message, "\r\n", -1);
      g_autofree char *one_line = g_strjoinv (" ", parts);

      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, "input: not valid JSON: %s", one_line);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           "input: expected a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);

  if (!get_string (object, "currency", "currency", TRUE, &code, error))
    return NULL;
  settings.currency = kassa_currency_lookup (code, error);
  if (settings.currency == NULL)
    {
      g_prefix_error (error, "currency: ");
      return NULL;
    }

  if (!get_boolean (object, "prices_include_tax", "prices_include_tax",
                    &settings.prices_include_tax, error)
      || !get_string (object, "tax_scope", "tax_scope", FALSE, &scope, error)
      || !get_string (object, "rounding", "rounding", FALSE, &rounding, error)
      || !get_string (object, "cash_rounding", "cash_rounding", FALSE, &cash, error))
    return NULL;

  if (scope == NULL || g_str_equal (scope, "document"))
    settings.tax_scope = KASSA_TAX_SCOPE_DOCUMENT;
  else if (g_str_equal (scope, "line"))
    settings.tax_scope = KASSA_TAX_SCOPE_LINE;
  else
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   "tax_scope: “%s” is neither document nor line", scope);
      return NULL;
    }

  if (rounding == NULL || g_str_equal (rounding, "half-up"))
    settings.rounding = KASSA_ROUNDING_HALF_UP;
  else if (g_str_equal (rounding, "half-even"))
    settings.rounding = KASSA_ROUNDING_HALF_EVEN;
  else
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   "rounding: “%s” is neither half-up nor half-even", rounding);
      return NULL;
    }

  if (cash != NULL)
    {
      if (!parse_money_field (settings.currency, cash, "cash_rounding",
                              &options.cash_rounding_step, error))
        return NULL;
      if (options.cash_rounding_step == 0)
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                       "cash_rounding: %s is not a coin size", cash);
          return NULL;
        }
    }

  if (!parse_discount (object, NULL, settings.currency, &options.discount_kind,
                       &options.discount_value, error))
    return NULL;

  if (!get_member (object, "lines", "lines", TRUE, JSON_NODE_ARRAY, G_TYPE_INVALID,
                   &lines_node, error))
    return NULL;
  array = json_node_get_array (lines_node);
  n_lines = json_array_get_length (array);

  lines = g_new0 (KassaTotalsLine, MAX (n_lines, 1));
  infos = g_array_sized_new (FALSE, TRUE, sizeof (QuoteLineInfo), n_lines);
  g_array_set_clear_func (infos, (GDestroyNotify) quote_line_info_clear);
  g_array_set_size (infos, n_lines);

  for (guint i = 0; i < n_lines; i++)
    if (!parse_line (json_array_get_element (array, i), i, settings.currency,
                     &lines[i], &g_array_index (infos, QuoteLineInfo, i), error))
      return NULL;

  totals = kassa_totals_compute (&settings, &options, lines, n_lines, error);
  if (totals == NULL)
    return NULL;

  return totals_to_json (totals, (QuoteLineInfo *) (gpointer) infos->data);
}
