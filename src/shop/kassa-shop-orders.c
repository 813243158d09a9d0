/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-shop-orders"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "kassa-core-enum-types.h"
#include "kassa-customer-repository.h"
#include "kassa-document-totals.h"
#include "kassa-error.h"
#include "kassa-invoice-repository.h"
#include "kassa-money.h"
#include "kassa-order-repository.h"
#include "kassa-settings-repository.h"
#include "kassa-shop-orders.h"
#include "kassa-shop-private.h"
#include "kassa-text.h"

#define DEFAULT_LIST_LIMIT 100

/* -- Reading documents ------------------------------------------------ */

static gboolean
invalid (GError     **error,
         const char  *path,
         const char  *member,
         const char  *format,
         ...) G_GNUC_PRINTF (4, 5);

static gboolean
invalid (GError     **error,
         const char  *path,
         const char  *member,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (member != NULL)
    g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, "%s.%s: %s", path, member, message);
  else
    g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, "%s: %s", path, message);

  return FALSE;
}

/* The member's node, NULL when it is missing or null. */
static JsonNode *
member_node (JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

/* A number as the text it stands for: decimal strings as they are, JSON
 * integers in full; floats are refused, as 0.1 has no exact binary form. */
static gboolean
number_text (JsonNode    *node,
             const char  *path,
             const char  *member,
             char       **out,
             GError     **error)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      *out = g_strdup (json_node_get_string (node));
      return TRUE;
    }

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *out = g_strdup_printf ("%" PRId64, json_node_get_int (node));
      return TRUE;
    }

  return invalid (error, path, member, _("must be a decimal number written as a string, such as \"12.50\""));
}

static gboolean
prefix_core_error (GError     **error,
                   GError      *local_error,
                   const char  *path,
                   const char  *member)
{
  invalid (error, path, member, "%s", local_error->message);
  g_error_free (local_error);

  return FALSE;
}

gboolean
kassa_shop_json_get_string (JsonObject   *object,
                            const char   *path,
                            const char   *member,
                            gboolean      required,
                            const char  **out,
                            GError      **error)
{
  JsonNode *node = member_node (object, member);

  if (node == NULL)
    {
      if (required)
        return invalid (error, path, member, _("is required"));
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, path, member, _("must be a string"));

  if (required && kassa_text_is_blank (json_node_get_string (node)))
    return invalid (error, path, member, _("must not be empty"));

  *out = json_node_get_string (node);

  return TRUE;
}

gboolean
kassa_shop_json_get_boolean (JsonObject  *object,
                             const char  *path,
                             const char  *member,
                             gboolean    *out,
                             GError     **error)
{
  JsonNode *node = member_node (object, member);

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return invalid (error, path, member, _("must be true or false"));

  *out = json_node_get_boolean (node);

  return TRUE;
}

gboolean
kassa_shop_json_get_money (JsonObject           *object,
                           const char           *path,
                           const char           *member,
                           const KassaCurrency  *currency,
                           gboolean              required,
                           gint64               *out,
                           gboolean             *out_present,
                           GError              **error)
{
  JsonNode *node = member_node (object, member);
  g_autofree char *text = NULL;
  GError *local_error = NULL;

  if (out_present != NULL)
    *out_present = node != NULL;

  if (node == NULL)
    {
      if (required)
        return invalid (error, path, member, _("is required"));
      return TRUE;
    }

  if (!number_text (node, path, member, &text, error))
    return FALSE;

  if (!kassa_money_parse (currency, text, '.', out, &local_error))
    return prefix_core_error (error, local_error, path, member);

  return TRUE;
}

gboolean
kassa_shop_json_get_quantity (JsonObject  *object,
                              const char  *path,
                              const char  *member,
                              gint64      *out,
                              GError     **error)
{
  JsonNode *node = member_node (object, member);
  g_autofree char *text = NULL;
  GError *local_error = NULL;

  if (node == NULL)
    return invalid (error, path, member, _("is required"));

  if (!number_text (node, path, member, &text, error))
    return FALSE;

  if (!kassa_quantity_parse (text, '.', out, &local_error))
    return prefix_core_error (error, local_error, path, member);

  if (*out <= 0)
    return invalid (error, path, member, _("must be more than zero"));

  return TRUE;
}

gboolean
kassa_shop_json_get_rate (JsonObject  *object,
                          const char  *path,
                          const char  *member,
                          gboolean     required,
                          gint64      *out,
                          GError     **error)
{
  JsonNode *node = member_node (object, member);
  g_autofree char *text = NULL;
  GError *local_error = NULL;

  if (node == NULL)
    {
      if (required)
        return invalid (error, path, member, _("is required"));
      return TRUE;
    }

  if (!number_text (node, path, member, &text, error))
    return FALSE;

  if (!kassa_rate_parse (text, '.', out, &local_error))
    return prefix_core_error (error, local_error, path, member);

  if (*out < 0 || *out > KASSA_RATE_WHOLE)
    return invalid (error, path, member, _("must be a percentage from 0 to 100"));

  return TRUE;
}

gboolean
kassa_shop_json_get_time (JsonObject  *object,
                          const char  *path,
                          const char  *member,
                          gboolean     required,
                          GDateTime  **out,
                          GError     **error)
{
  const char *text = NULL;
  unsigned int year, month, day;
  char end;

  if (!kassa_shop_json_get_string (object, path, member, required, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  /* A bare date is a day of the shop's calendar. */
  if (strlen (text) == 10 && sscanf (text, "%4u-%2u-%2u%c", &year, &month, &day, &end) == 3)
    {
      if (g_date_valid_dmy (day, month, year))
        {
          g_clear_pointer (out, g_date_time_unref);
          *out = g_date_time_new_local (year, month, day, 0, 0, 0);
          if (*out != NULL)
            return TRUE;
        }
    }
  else
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      GDateTime *time = g_date_time_new_from_iso8601 (text, utc);

      if (time != NULL)
        {
          g_clear_pointer (out, g_date_time_unref);
          *out = time;
          return TRUE;
        }
    }

  return invalid (error, path, member,
                  _("“%s” is not an ISO 8601 date or time (2026-03-01 or 2026-03-01T14:30:00Z)"), text);
}

JsonArray *
kassa_shop_json_parse_array (const char   *json,
                             gssize        length,
                             const char   *what,
                             JsonParser  **out_parser,
                             GError      **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, json, length, &local_error))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("%s: not valid JSON: %s"), what, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("%s: must be a JSON array of objects"), what);
      return NULL;
    }

  *out_parser = g_steal_pointer (&parser);

  return json_node_get_array (root);
}

JsonObject *
kassa_shop_json_array_get_object (JsonArray   *array,
                                  guint        index,
                                  const char  *path,
                                  GError     **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, path, NULL, _("must be an object"));
      return NULL;
    }

  return json_node_get_object (node);
}

gboolean
kassa_shop_json_check_stated (JsonObject           *object,
                              const char           *path,
                              const char           *member,
                              const KassaCurrency  *currency,
                              gint64                computed,
                              GError              **error)
{
  gboolean present = FALSE;
  gint64 stated = 0;

  if (!kassa_shop_json_get_money (object, path, member, currency, FALSE, &stated, &present, error))
    return FALSE;

  if (present && stated != computed)
    {
      g_autofree char *stated_text = kassa_money_format_plain (currency, stated);
      g_autofree char *computed_text = kassa_money_format_plain (currency, computed);

      return invalid (error, path, member,
                      /* Translators: both are amounts such as 12.50 */
                      _("states %s but the lines come to %s under the store’s tax settings"),
                      stated_text, computed_text);
    }

  return TRUE;
}

gboolean
kassa_shop_resolve_customer (KassaShop   *self,
                             JsonObject  *object,
                             const char  *path,
                             gint64      *out_customer_id,
                             GError     **error)
{
  g_autoptr(KassaCustomerRepository) customers = kassa_customer_repository_new (kassa_shop_get_database (self));
  g_autoptr(KassaCustomer) customer = NULL;
  g_autofree char *customer_path = g_strdup_printf ("%s.customer", path);
  g_autofree char *customer_id = NULL;
  const char *name = NULL;
  const char *email = NULL;
  const char *phone = NULL;
  GError *local_error = NULL;

  if (!kassa_shop_json_get_string (object, customer_path, "name", TRUE, &name, error) ||
      !kassa_shop_json_get_string (object, customer_path, "email", FALSE, &email, error) ||
      !kassa_shop_json_get_string (object, customer_path, "phone", FALSE, &phone, error))
    return FALSE;

  if (email != NULL && email[0] != '\0')
    {
      if (!kassa_text_is_email_address (email))
        return invalid (error, customer_path, "email", _("“%s” is not an e-mail address"), email);

      if (!kassa_customer_repository_find_by_email (customers, email, &customer, error))
        return FALSE;
    }

  if (customer != NULL)
    {
      *out_customer_id = kassa_customer_get_id (customer);
      return TRUE;
    }

  customer = kassa_customer_new ();
  kassa_customer_set_name (customer, name);
  kassa_customer_set_email (customer, email);
  kassa_customer_set_phone (customer, phone);

  if (!kassa_customer_repository_insert (customers, customer, &local_error))
    return prefix_core_error (error, local_error, customer_path, NULL);

  *out_customer_id = kassa_customer_get_id (customer);
  customer_id = g_strdup_printf ("%" PRId64, *out_customer_id);

  return kassa_audit_log_record (kassa_shop_get_audit_log (self), kassa_shop_get_actor_id (self),
                                 "customer.create", "customer", customer_id, NULL, error) != 0;
}

void
kassa_shop_json_add_money (JsonBuilder          *builder,
                           const char           *member,
                           const KassaCurrency  *currency,
                           gint64                amount)
{
  g_autofree char *text = kassa_money_format_plain (currency, amount);

  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, text);
}

void
kassa_shop_json_add_time (JsonBuilder *builder,
                          const char  *member,
                          GDateTime   *time)
{
  json_builder_set_member_name (builder, member);

  if (time != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (time);
      g_autofree char *text = g_date_time_format_iso8601 (utc);

      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
}

const char *
kassa_shop_enum_nick (GType enum_type,
                      int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (enum_type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  /* The values of a static enumeration are static data: the nick
   * outlives the class reference. */
  return enum_value != NULL ? enum_value->value_nick : "";
}

/* -- Import ----------------------------------------------------------- */

typedef struct
{
  KassaStoreSettings *settings;
} Import;

static gboolean
parse_delivery_method (JsonObject           *object,
                       const char           *path,
                       KassaDeliveryMethod  *out,
                       GError              **error)
{
  const char *text = NULL;

  if (!kassa_shop_json_get_string (object, path, "delivery_method", FALSE, &text, error))
    return FALSE;

  if (text == NULL || g_str_equal (text, "none"))
    *out = KASSA_DELIVERY_METHOD_NONE;
  else if (g_str_equal (text, "pickup"))
    *out = KASSA_DELIVERY_METHOD_PICKUP;
  else if (g_str_equal (text, "delivery"))
    *out = KASSA_DELIVERY_METHOD_DELIVERY;
  else
    return invalid (error, path, "delivery_method", _("must be pickup, delivery or none, not “%s”"), text);

  return TRUE;
}

static gboolean
read_lines (JsonObject           *object,
            const char           *path,
            KassaOrder           *order,
            gint64               *out_highest_rate,
            GError              **error)
{
  const KassaCurrency *currency = kassa_currency_lookup (kassa_order_get_currency_code (order), NULL);
  KassaDeliveryMethod method = KASSA_DELIVERY_METHOD_NONE;
  JsonNode *node = member_node (object, "lines");
  JsonArray *lines;

  if (node == NULL)
    return invalid (error, path, "lines", _("is required"));
  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0)
    return invalid (error, path, "lines", _("must be an array of at least one line"));

  lines = json_node_get_array (node);
  *out_highest_rate = 0;

  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      g_autofree char *line_path = g_strdup_printf ("%s.lines[%u]", path, i);
      g_autoptr(KassaOrderLine) line = kassa_order_line_new ();
      KassaDeliveryMethod line_method = KASSA_DELIVERY_METHOD_NONE;
      JsonObject *line_object;
      const char *sku = NULL;
      const char *name = NULL;
      gint64 quantity = 0, unit_price = 0, tax_rate = 0;
      GError *local_error = NULL;

      line_object = kassa_shop_json_array_get_object (lines, i, line_path, error);
      if (line_object == NULL ||
          !kassa_shop_json_get_string (line_object, line_path, "sku", FALSE, &sku, error) ||
          !kassa_shop_json_get_string (line_object, line_path, "name", TRUE, &name, error) ||
          !kassa_shop_json_get_quantity (line_object, line_path, "quantity", &quantity, error) ||
          !kassa_shop_json_get_money (line_object, line_path, "unit_price", currency, TRUE,
                                      &unit_price, NULL, error) ||
          !kassa_shop_json_get_rate (line_object, line_path, "tax_rate", TRUE, &tax_rate, error) ||
          !parse_delivery_method (line_object, line_path, &line_method, error))
        return FALSE;

      if (unit_price < 0)
        return invalid (error, line_path, "unit_price", _("must not be negative"));

      if (!kassa_order_line_set_sku (line, sku, &local_error) ||
          !kassa_order_line_set_name (line, name, &local_error) ||
          !kassa_order_line_set_quantity (line, quantity, &local_error) ||
          !kassa_order_line_set_unit_price (line, unit_price, &local_error) ||
          !kassa_order_line_set_tax_rate (line, tax_rate, &local_error) ||
          !kassa_order_line_set_delivery_method (line, line_method, &local_error) ||
          !kassa_order_add_line (order, line, &local_error))
        return prefix_core_error (error, local_error, line_path, NULL);

      /* The order goes out the way its most demanding line does. */
      if (line_method == KASSA_DELIVERY_METHOD_DELIVERY ||
          (line_method == KASSA_DELIVERY_METHOD_PICKUP && method == KASSA_DELIVERY_METHOD_NONE))
        method = line_method;

      *out_highest_rate = MAX (*out_highest_rate, tax_rate);
    }

  return kassa_order_set_delivery_method (order, method, error);
}

static gboolean
read_payment (JsonObject           *object,
              const char           *path,
              KassaOrder           *order,
              const KassaCurrency  *currency,
              KassaTotals          *totals,
              GError              **error)
{
  g_autofree char *payment_path = g_strdup_printf ("%s.payment", path);
  g_autoptr(GDateTime) paid_at = NULL;
  g_autoptr(KassaPayment) payment = NULL;
  JsonNode *node = member_node (object, "payment");
  JsonObject *payment_object;
  const char *status = NULL;
  const char *method = NULL;
  gboolean has_amount = FALSE;
  gint64 amount = 0;
  gint64 total = kassa_totals_get_total (totals);
  GError *local_error = NULL;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, path, "payment", _("must be an object"));

  payment_object = json_node_get_object (node);
  if (!kassa_shop_json_get_string (payment_object, payment_path, "status", TRUE, &status, error))
    return FALSE;
  if (!g_str_equal (status, "paid") && !g_str_equal (status, "unpaid"))
    return invalid (error, payment_path, "status", _("must be paid or unpaid, not “%s”"), status);

  if (!kassa_shop_json_get_string (payment_object, payment_path, "method", g_str_equal (status, "paid"),
                                   &method, error) ||
      !kassa_shop_json_get_money (payment_object, payment_path, "amount", currency, g_str_equal (status, "paid"),
                                  &amount, &has_amount, error) ||
      !kassa_shop_json_get_time (payment_object, payment_path, "paid_at", FALSE, &paid_at, error))
    return FALSE;

  /* A paid order was paid in full: the amount is the engine's total,
   * and a document saying otherwise is refused rather than guessed at. */
  if (has_amount && amount != total)
    {
      g_autofree char *amount_text = kassa_money_format_plain (currency, amount);
      g_autofree char *total_text = kassa_money_format_plain (currency, total);

      return invalid (error, payment_path, "amount",
                      _("states %s but the lines come to %s under the store’s tax settings"),
                      amount_text, total_text);
    }

  if (g_str_equal (status, "unpaid"))
    return TRUE;

  if (total <= 0)
    return invalid (error, payment_path, "status", _("an order of nothing cannot be paid"));

  if (paid_at == NULL)
    paid_at = g_date_time_ref (kassa_order_get_created_at (order));

  payment = kassa_payment_new ();
  /* Money taken by another system: the tender keeps its own name, and
   * only cash counts as a cash tender. */
  kassa_payment_set_provider_id (payment, g_ascii_strcasecmp (method, "cash") == 0 ? "cash" : "import");
  kassa_payment_set_method_label (payment, method);
  kassa_payment_set_amount (payment, total);
  kassa_payment_set_currency_code (payment, kassa_currency_get_code (currency));
  kassa_payment_set_paid_at (payment, paid_at);

  if (!kassa_order_add_payment (order, payment, &local_error) ||
      !kassa_order_set_payment_status (order, KASSA_PAYMENT_STATUS_PAID, &local_error))
    return prefix_core_error (error, local_error, payment_path, NULL);

  kassa_order_set_paid_at (order, paid_at);

  return TRUE;
}

static JsonNode *
journal_payload (KassaOrder          *order,
                 const KassaCurrency *currency,
                 KassaTotals         *totals)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GListModel *payments = kassa_order_get_payments (order);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "order_id");
  json_builder_add_int_value (builder, kassa_order_get_id (order));
  json_builder_set_member_name (builder, "number");
  json_builder_add_string_value (builder, kassa_order_get_number (order));
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, kassa_currency_get_code (currency));
  kassa_shop_json_add_money (builder, "untaxed", currency, kassa_totals_get_untaxed (totals));
  kassa_shop_json_add_money (builder, "tax", currency, kassa_totals_get_tax (totals));
  kassa_shop_json_add_money (builder, "total", currency, kassa_totals_get_total (totals));
  json_builder_set_member_name (builder, "payments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (payments); i++)
    {
      g_autoptr(KassaPayment) payment = g_list_model_get_item (payments, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "method");
      json_builder_add_string_value (builder, kassa_payment_get_method_label (payment));
      kassa_shop_json_add_money (builder, "amount", currency, kassa_payment_get_amount (payment));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
import_one (KassaShop    *self,
            Import       *import,
            JsonObject   *object,
            const char   *path,
            JsonBuilder  *result,
            GError      **error)
{
  KassaDatabase *database = kassa_shop_get_database (self);
  g_autoptr(KassaOrderRepository) orders = kassa_order_repository_new (database);
  g_autoptr(KassaOrder) order = kassa_order_new ();
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(GDateTime) created_at = NULL;
  g_autofree char *number = NULL;
  g_autofree char *order_id = NULL;
  KassaTaxSettings tax = { 0 };
  const KassaCurrency *currency;
  const char *currency_code = NULL;
  const char *given_number = NULL;
  const char *shipping_address = NULL;
  const char *billing_address = NULL;
  gboolean prices_include_tax = kassa_store_settings_get_prices_include_tax (import->settings);
  gboolean has_shipping_rate = FALSE;
  gint64 customer_id = 0;
  gint64 shipping_cost = 0;
  gint64 shipping_rate = 0;
  gint64 highest_rate = 0;
  GError *local_error = NULL;

  if (!kassa_shop_json_get_string (object, path, "number", FALSE, &given_number, error) ||
      !kassa_shop_json_get_string (object, path, "currency", TRUE, &currency_code, error))
    return FALSE;

  currency = kassa_currency_lookup (currency_code, &local_error);
  if (currency == NULL)
    return prefix_core_error (error, local_error, path, "currency");

  if (member_node (object, "customer") == NULL)
    return invalid (error, path, "customer", _("is required"));
  if (!JSON_NODE_HOLDS_OBJECT (member_node (object, "customer")))
    return invalid (error, path, "customer", _("must be an object"));

  if (!kassa_shop_json_get_boolean (object, path, "prices_include_tax", &prices_include_tax, error) ||
      !kassa_shop_json_get_money (object, path, "shipping_cost", currency, FALSE, &shipping_cost, NULL, error) ||
      !kassa_shop_json_get_rate (object, path, "shipping_tax_rate", FALSE, &shipping_rate, error) ||
      !kassa_shop_json_get_string (object, path, "shipping_address", FALSE, &shipping_address, error) ||
      !kassa_shop_json_get_string (object, path, "billing_address", FALSE, &billing_address, error) ||
      !kassa_shop_json_get_time (object, path, "created_at", FALSE, &created_at, error))
    return FALSE;

  has_shipping_rate = member_node (object, "shipping_tax_rate") != NULL;
  if (shipping_cost < 0)
    return invalid (error, path, "shipping_cost", _("must not be negative"));

  if (given_number != NULL)
    {
      g_autoptr(KassaOrder) existing = NULL;
      g_autoptr(GError) lookup_error = NULL;

      existing = kassa_order_repository_load_by_number (orders, given_number, &lookup_error);
      if (existing != NULL)
        return invalid (error, path, "number", _("an order numbered “%s” already exists"), given_number);
      if (!g_error_matches (lookup_error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&lookup_error));
          return FALSE;
        }
      number = g_strdup (given_number);
    }
  else
    {
      number = kassa_order_repository_next_number (orders, error);
      if (number == NULL)
        return FALSE;
    }

  if (created_at == NULL)
    {
      /* Sold when it was paid, if the other system says when that was. */
      JsonNode *payment = member_node (object, "payment");

      if (payment != NULL && JSON_NODE_HOLDS_OBJECT (payment))
        {
          g_autofree char *payment_path = g_strdup_printf ("%s.payment", path);

          if (!kassa_shop_json_get_time (json_node_get_object (payment), payment_path, "paid_at", FALSE,
                                         &created_at, error))
            return FALSE;
        }
      if (created_at == NULL)
        created_at = g_date_time_new_now_utc ();
    }

  if (!kassa_order_set_number (order, number, &local_error) ||
      !kassa_order_set_currency_code (order, kassa_currency_get_code (currency), &local_error) ||
      !kassa_order_set_mode (order, KASSA_ORDER_MODE_MANUAL, &local_error) ||
      !kassa_order_set_prices_include_tax (order, prices_include_tax, &local_error) ||
      !kassa_order_set_tax_scope (order, kassa_store_settings_get_tax_scope (import->settings), &local_error) ||
      !kassa_order_set_rounding (order, kassa_store_settings_get_rounding_mode (import->settings), &local_error) ||
      !kassa_order_set_shipping_address (order, shipping_address, &local_error) ||
      !kassa_order_set_billing_address (order, billing_address, &local_error) ||
      !kassa_order_set_created_at (order, created_at, &local_error))
    return prefix_core_error (error, local_error, path, NULL);

  if (!read_lines (object, path, order, &highest_rate, &local_error))
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (!kassa_order_set_shipping_cost (order, shipping_cost, &local_error) ||
      !kassa_order_set_shipping_tax_rate (order, has_shipping_rate ? shipping_rate : highest_rate, &local_error))
    return prefix_core_error (error, local_error, path, "shipping_cost");

  tax.currency = currency;
  tax.prices_include_tax = prices_include_tax;
  tax.tax_scope = kassa_store_settings_get_tax_scope (import->settings);
  tax.rounding = kassa_store_settings_get_rounding_mode (import->settings);

  totals = kassa_order_compute_totals (order, &tax, 0, &local_error);
  if (totals == NULL)
    return prefix_core_error (error, local_error, path, "lines");

  if (!kassa_shop_json_check_stated (object, path, "untaxed", currency, kassa_totals_get_untaxed (totals), error) ||
      !kassa_shop_json_check_stated (object, path, "tax", currency, kassa_totals_get_tax (totals), error) ||
      !kassa_shop_json_check_stated (object, path, "total", currency, kassa_totals_get_total (totals), error) ||
      !read_payment (object, path, order, currency, totals, error))
    return FALSE;

  if (!kassa_shop_resolve_customer (self, json_node_get_object (member_node (object, "customer")), path,
                                    &customer_id, error) ||
      !kassa_order_set_customer_id (order, customer_id, error))
    return FALSE;

  if (kassa_order_repository_insert (orders, order, NULL, error) == 0)
    return FALSE;

  if (kassa_order_get_payment_status (order) == KASSA_PAYMENT_STATUS_PAID)
    {
      g_autoptr(JsonNode) payload = journal_payload (order, currency, totals);
      g_autoptr(KassaJournalEntry) entry = kassa_journal_append (kassa_shop_get_journal (self),
                                                                 "order.import", payload, error);

      if (entry == NULL)
        return FALSE;
    }

  order_id = g_strdup_printf ("%" PRId64, kassa_order_get_id (order));
  if (kassa_audit_log_record (kassa_shop_get_audit_log (self), kassa_shop_get_actor_id (self),
                              "order.import", "order", order_id, NULL, error) == 0)
    return FALSE;

  json_builder_begin_object (result);
  json_builder_set_member_name (result, "id");
  json_builder_add_int_value (result, kassa_order_get_id (order));
  json_builder_set_member_name (result, "number");
  json_builder_add_string_value (result, kassa_order_get_number (order));
  kassa_shop_json_add_money (result, "total", currency, kassa_totals_get_total (totals));
  json_builder_end_object (result);

  return TRUE;
}

JsonNode *
kassa_shop_import_orders (KassaShop              *self,
                          const char             *json,
                          gssize                  length,
                          KassaShopProgressFunc   progress,
                          gpointer                user_data,
                          GError                **error)
{
  KassaDatabase *database;
  g_autoptr(KassaSettingsRepository) settings = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonBuilder) result = NULL;
  Import import = { NULL };
  JsonArray *array;
  guint n;

  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);
  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!kassa_shop_check_permission (self, KASSA_PERMISSION_MANAGE_ORDERS, error))
    return NULL;

  array = kassa_shop_json_parse_array (json, length, "orders", &parser, error);
  if (array == NULL)
    return NULL;

  database = kassa_shop_get_database (self);
  settings = kassa_settings_repository_new (database);
  import.settings = kassa_settings_repository_load_settings (settings, NULL, error);
  if (import.settings == NULL)
    return NULL;

  result = json_builder_new ();
  json_builder_begin_array (result);
  n = json_array_get_length (array);

  if (!kassa_database_begin (database, error))
    {
      g_clear_object (&import.settings);
      return NULL;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("orders[%u]", i);
      JsonObject *object = kassa_shop_json_array_get_object (array, i, path, error);

      if (object == NULL || !import_one (self, &import, object, path, result, error))
        {
          kassa_database_rollback (database, NULL);
          g_clear_object (&import.settings);
          return NULL;
        }

      if (progress != NULL && ((i + 1) % 100 == 0 || i + 1 == n))
        progress (i + 1, n, user_data);
    }

  g_clear_object (&import.settings);

  if (!kassa_database_commit (database, error))
    return NULL;

  json_builder_end_array (result);

  return json_builder_get_root (result);
}

/* -- Reading ---------------------------------------------------------- */

static gboolean
check_can_read (KassaShop  *self,
                GError    **error)
{
  KassaStaff *actor = kassa_shop_get_actor (self);

  if (kassa_shop_is_system (self))
    return TRUE;

  if (actor != NULL &&
      (kassa_staff_has_permission (actor, KASSA_PERMISSION_SELL) ||
       kassa_staff_has_permission (actor, KASSA_PERMISSION_MANAGE_ORDERS) ||
       kassa_staff_has_permission (actor, KASSA_PERMISSION_FULFIL_ORDERS)))
    return TRUE;

  return kassa_shop_check_permission (self, KASSA_PERMISSION_VIEW_REPORTS, error);
}

static gboolean
all_digits (const char *text)
{
  if (text[0] == '\0')
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
    }

  return strlen (text) <= 18;
}

KassaOrder *
kassa_shop_find_order (KassaShop   *self,
                       const char  *id_or_number,
                       GError     **error)
{
  g_autoptr(KassaOrderRepository) orders = NULL;
  KassaOrder *order;

  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);
  g_return_val_if_fail (id_or_number != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_can_read (self, error))
    return NULL;

  orders = kassa_order_repository_new (kassa_shop_get_database (self));

  if (all_digits (id_or_number))
    {
      g_autoptr(GError) local_error = NULL;

      order = kassa_order_repository_load (orders, g_ascii_strtoll (id_or_number, NULL, 10), &local_error);
      if (order != NULL)
        return order;
      if (!g_error_matches (local_error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  order = kassa_order_repository_load_by_number (orders, id_or_number, error);
  if (order == NULL && error != NULL && g_error_matches (*error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND))
    {
      g_clear_error (error);
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                   _("No order has the id or number “%s”"), id_or_number);
    }

  return order;
}

GPtrArray *
kassa_shop_list_orders (KassaShop               *self,
                        const KassaOrderFilter  *filter,
                        guint                    limit,
                        GError                 **error)
{
  g_autoptr(KassaOrderRepository) orders = NULL;
  g_autoptr(GListModel) model = NULL;
  GPtrArray *result;

  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_can_read (self, error))
    return NULL;

  orders = kassa_order_repository_new (kassa_shop_get_database (self));
  model = kassa_order_repository_list (orders, filter, NULL, limit > 0 ? limit : DEFAULT_LIST_LIMIT, error);
  if (model == NULL)
    return NULL;

  result = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (result, g_list_model_get_item (model, i));

  return result;
}

gboolean
kassa_shop_order_filter_parse_status (KassaOrderFilter  *filter,
                                      const char        *status,
                                      GError           **error)
{
  g_autoptr(GEnumClass) payment = g_type_class_ref (KASSA_TYPE_PAYMENT_STATUS);
  g_autoptr(GEnumClass) fulfilment = g_type_class_ref (KASSA_TYPE_FULFILMENT_STATUS);
  GEnumValue *value;

  g_return_val_if_fail (filter != NULL, FALSE);
  g_return_val_if_fail (status != NULL, FALSE);

  if ((value = g_enum_get_value_by_nick (payment, status)) != NULL)
    {
      filter->by_payment_status = TRUE;
      filter->payment_status = value->value;
      return TRUE;
    }

  if ((value = g_enum_get_value_by_nick (fulfilment, status)) != NULL)
    {
      filter->by_fulfilment_status = TRUE;
      filter->fulfilment_status = value->value;
      return TRUE;
    }

  g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
               _("Unknown order status “%s”; use a payment status (created, paid, failed, expired, "
                 "partially-refunded, refunded) or a fulfilment status (unfulfilled, preparing, "
                 "ready-for-pickup, out-for-delivery, delivered, cancelled)"),
               status);

  return FALSE;
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value != NULL ? value : "");
}

static gboolean
add_lines (JsonBuilder          *builder,
           KassaOrder           *order,
           const KassaCurrency  *currency,
           GError              **error)
{
  g_autoptr(KassaTotals) totals = NULL;
  KassaTaxSettings tax = { currency, kassa_order_get_prices_include_tax (order),
                           kassa_order_get_tax_scope (order), kassa_order_get_rounding (order) };
  GListModel *lines = kassa_order_get_lines (order);
  GListModel *payments = kassa_order_get_payments (order);

  /* Line figures are not stored: the engine gives them again from the
   * rules the order keeps, exactly as at the time of sale. */
  totals = kassa_order_compute_totals (order, &tax, 0, error);
  if (totals == NULL)
    return FALSE;

  json_builder_set_member_name (builder, "lines");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(KassaOrderLine) line = g_list_model_get_item (lines, i);
      g_autofree char *quantity = kassa_quantity_format (kassa_order_line_get_quantity (line));
      g_autofree char *rate = kassa_rate_format (kassa_order_line_get_tax_rate (line));
      const KassaLineTotals *figures = kassa_totals_get_line (totals, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "sku");
      if (kassa_order_line_get_sku (line) != NULL && kassa_order_line_get_sku (line)[0] != '\0')
        json_builder_add_string_value (builder, kassa_order_line_get_sku (line));
      else
        json_builder_add_null_value (builder);
      add_string (builder, "name", kassa_order_line_get_name (line));
      add_string (builder, "quantity", quantity);
      kassa_shop_json_add_money (builder, "unit_price", currency, kassa_order_line_get_unit_price (line));
      add_string (builder, "tax_rate", rate);
      add_string (builder, "delivery_method",
                  kassa_shop_enum_nick (KASSA_TYPE_DELIVERY_METHOD, kassa_order_line_get_delivery_method (line)));
      kassa_shop_json_add_money (builder, "net", currency, figures->net);
      kassa_shop_json_add_money (builder, "tax", currency, figures->tax);
      kassa_shop_json_add_money (builder, "total", currency, figures->total);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "payments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (payments); i++)
    {
      g_autoptr(KassaPayment) payment = g_list_model_get_item (payments, i);

      json_builder_begin_object (builder);
      add_string (builder, "provider", kassa_payment_get_provider_id (payment));
      add_string (builder, "method", kassa_payment_get_method_label (payment));
      kassa_shop_json_add_money (builder, "amount", currency, kassa_payment_get_amount (payment));
      kassa_shop_json_add_money (builder, "refunded", currency, kassa_payment_get_refunded_amount (payment));
      add_string (builder, "reference", kassa_payment_get_reference (payment));
      kassa_shop_json_add_time (builder, "paid_at", kassa_payment_get_paid_at (payment));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return TRUE;
}

JsonNode *
kassa_shop_order_to_json (KassaShop   *self,
                          KassaOrder  *order,
                          gboolean     details,
                          GError     **error)
{
  KassaDatabase *database;
  g_autoptr(KassaOrderRepository) orders = NULL;
  g_autoptr(KassaCustomerRepository) customers = NULL;
  g_autoptr(KassaInvoiceRepository) invoices = NULL;
  g_autoptr(KassaCustomer) customer = NULL;
  g_autoptr(KassaInvoice) invoice = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) local_error = NULL;
  KassaOrderStoredTotals stored = { 0 };
  const KassaCurrency *currency;

  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);
  g_return_val_if_fail (KASSA_IS_ORDER (order), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  database = kassa_shop_get_database (self);
  orders = kassa_order_repository_new (database);
  customers = kassa_customer_repository_new (database);
  invoices = kassa_invoice_repository_new (database);

  currency = kassa_currency_lookup (kassa_order_get_currency_code (order), error);
  if (currency == NULL ||
      !kassa_order_repository_load_totals (orders, kassa_order_get_id (order), &stored, error))
    return NULL;

  customer = kassa_customer_repository_get (customers, kassa_order_get_customer_id (order), error);
  if (customer == NULL)
    return NULL;

  invoice = kassa_invoice_repository_load_for_order (invoices, kassa_order_get_id (order), &local_error);
  if (invoice == NULL && !g_error_matches (local_error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, kassa_order_get_id (order));
  add_string (builder, "number", kassa_order_get_number (order));
  add_string (builder, "mode", kassa_shop_enum_nick (KASSA_TYPE_ORDER_MODE, kassa_order_get_mode (order)));
  add_string (builder, "payment_status",
              kassa_shop_enum_nick (KASSA_TYPE_PAYMENT_STATUS, kassa_order_get_payment_status (order)));
  add_string (builder, "fulfilment_status",
              kassa_shop_enum_nick (KASSA_TYPE_FULFILMENT_STATUS, kassa_order_get_fulfilment_status (order)));
  add_string (builder, "dispute_status",
              kassa_shop_enum_nick (KASSA_TYPE_DISPUTE_STATUS, kassa_order_get_dispute_status (order)));
  add_string (builder, "delivery_method",
              kassa_shop_enum_nick (KASSA_TYPE_DELIVERY_METHOD, kassa_order_get_delivery_method (order)));

  json_builder_set_member_name (builder, "customer");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, kassa_customer_get_id (customer));
  add_string (builder, "name", kassa_customer_get_display_name (customer));
  add_string (builder, "email", kassa_customer_get_email (customer));
  json_builder_end_object (builder);

  add_string (builder, "currency", kassa_currency_get_code (currency));
  json_builder_set_member_name (builder, "prices_include_tax");
  json_builder_add_boolean_value (builder, kassa_order_get_prices_include_tax (order));
  kassa_shop_json_add_money (builder, "untaxed", currency, stored.untaxed);
  kassa_shop_json_add_money (builder, "tax", currency, stored.tax);
  kassa_shop_json_add_money (builder, "total", currency, stored.total);
  kassa_shop_json_add_money (builder, "cash_rounding", currency, stored.cash_rounding);
  kassa_shop_json_add_money (builder, "paid", currency, kassa_order_get_amount_paid (order));
  kassa_shop_json_add_money (builder, "shipping_cost", currency, kassa_order_get_shipping_cost (order));
  add_string (builder, "shipping_address", kassa_order_get_shipping_address (order));
  add_string (builder, "billing_address", kassa_order_get_billing_address (order));
  kassa_shop_json_add_time (builder, "created_at", kassa_order_get_created_at (order));
  kassa_shop_json_add_time (builder, "paid_at", kassa_order_get_paid_at (order));

  json_builder_set_member_name (builder, "invoice");
  if (invoice != NULL)
    json_builder_add_string_value (builder, kassa_invoice_get_reference (invoice));
  else
    json_builder_add_null_value (builder);

  if (details && !add_lines (builder, order, currency, error))
    return NULL;

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
