/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "kassa-customer-repository.h"
#include "kassa-error.h"
#include "kassa-order-repository.h"
#include "kassa-settings-repository.h"
#include "kassa-shop-maintenance.h"
#include "kassa-shop-orders.h"
#include "kassa-shop-private.h"
#include "kassa-shop-staff.h"
#include "kassa-staff-repository.h"

typedef struct
{
  char      *dir;
  KassaShop *shop;
} Fixture;

/* A German web shop's export: gross prices, a delivery, a paid card
 * payment, and a second order by the same customer with another case
 * in the e-mail address and no number. */
static const char *two_orders =
  "[{\"number\": \"W-1001\", \"customer\": {\"name\": \"Ada Lovelace\", \"email\": \"ada@example.org\","
  "   \"phone\": \"+44 20 7946 0000\"},"
  "  \"currency\": \"EUR\", \"prices_include_tax\": true,"
  "  \"lines\": [{\"sku\": \"TEA-1\", \"name\": \"Green tea\", \"quantity\": \"2\", \"unit_price\": \"4.50\", \"tax_rate\": \"7\"},"
  "             {\"name\": \"Teapot\", \"quantity\": 1, \"unit_price\": \"29.90\", \"tax_rate\": \"19\","
  "              \"delivery_method\": \"delivery\"}],"
  "  \"shipping_cost\": \"4.90\", \"shipping_address\": \"12 Analytical Row\\nFlat 3\\nLondon\","
  "  \"billing_address\": \"Same as shipping\","
  "  \"payment\": {\"status\": \"paid\", \"method\": \"Visa\", \"amount\": \"43.80\", \"paid_at\": \"2026-03-01T10:00:00Z\"}},"
  " {\"customer\": {\"name\": \"A. Lovelace\", \"email\": \"ADA@example.org\"}, \"currency\": \"EUR\","
  "  \"lines\": [{\"name\": \"Cake\", \"quantity\": \"1.5\", \"unit_price\": \"3.00\", \"tax_rate\": \"7\","
  "              \"delivery_method\": \"pickup\"}],"
  "  \"payment\": {\"status\": \"unpaid\"}}]";

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("kassa-shop-orders-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "shop.db", NULL);
  fixture->shop = kassa_shop_open (path, &error);
  g_assert_no_error (error);
  kassa_shop_act_as_system (fixture->shop);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->shop);

  dir = g_dir_open (fixture->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);
      g_assert_cmpint (g_unlink (file), ==, 0);
    }
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->dir);
}

static guint
count_orders (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orders = kassa_shop_list_orders (fixture->shop, NULL, 1000, &error);

  g_assert_no_error (error);
  return orders->len;
}

static gint64
count_customers (Fixture *fixture)
{
  g_autoptr(KassaCustomerRepository) customers = kassa_customer_repository_new (kassa_shop_get_database (fixture->shop));

  return kassa_customer_repository_count (customers, NULL);
}

static gint64
journal_entries (Fixture *fixture)
{
  KassaJournalReport report;
  g_autoptr(GError) error = NULL;

  g_assert_true (kassa_shop_verify_journal (fixture->shop, &report, &error));
  g_assert_no_error (error);

  return report.n_entries;
}

static char *
import_to_string (Fixture     *fixture,
                  const char  *json,
                  GError     **error)
{
  g_autoptr(JsonNode) result = kassa_shop_import_orders (fixture->shop, json, -1, NULL, NULL, error);

  return result != NULL ? json_to_string (result, FALSE) : NULL;
}

static void
progress_cb (guint64  done,
             guint64  total,
             gpointer user_data)
{
  GArray *calls = user_data;

  g_assert_cmpuint (done, <=, total);
  g_array_append_val (calls, done);
}

static void
test_import (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GArray) calls = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(KassaOrder) first = NULL;
  g_autoptr(KassaOrder) second = NULL;
  g_autofree char *text = NULL;
  KassaOrderStoredTotals stored;
  g_autoptr(KassaOrderRepository) orders = kassa_order_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaPayment) payment = NULL;
  gint64 entries_before = journal_entries (fixture);

  result = kassa_shop_import_orders (fixture->shop, two_orders, -1, progress_cb, calls, &error);
  g_assert_no_error (error);
  text = json_to_string (result, FALSE);
  /* 2 × 4.50 + 29.90 + 4.90 shipping, gross; the second order takes the
   * store's next number. */
  g_assert_cmpstr (text, ==,
                   "[{\"id\":1,\"number\":\"W-1001\",\"total\":\"43.80\"},"
                   "{\"id\":2,\"number\":\"S-000002\",\"total\":\"4.50\"}]");
  g_assert_cmpuint (calls->len, ==, 1);
  g_assert_cmpuint (g_array_index (calls, guint64, 0), ==, 2);

  first = kassa_shop_find_order (fixture->shop, "W-1001", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_order_get_mode (first), ==, KASSA_ORDER_MODE_MANUAL);
  g_assert_cmpint (kassa_order_get_payment_status (first), ==, KASSA_PAYMENT_STATUS_PAID);
  g_assert_cmpint (kassa_order_get_delivery_method (first), ==, KASSA_DELIVERY_METHOD_DELIVERY);
  g_assert_cmpstr (kassa_order_get_shipping_address (first), ==, "12 Analytical Row\nFlat 3\nLondon");
  g_assert_cmpstr (kassa_order_get_billing_address (first), ==, "Same as shipping");
  g_assert_true (kassa_order_get_prices_include_tax (first));
  /* Shipping follows the main supply: the highest rate of the lines. */
  g_assert_cmpint (kassa_order_get_shipping_tax_rate (first), ==, 190000);
  g_assert_cmpuint (g_list_model_get_n_items (kassa_order_get_lines (first)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (kassa_order_get_payments (first)), ==, 1);
  payment = g_list_model_get_item (kassa_order_get_payments (first), 0);
  g_assert_cmpint (kassa_payment_get_amount (payment), ==, 4380);
  g_assert_cmpstr (kassa_payment_get_method_label (payment), ==, "Visa");
  g_assert_cmpint (g_date_time_to_unix (kassa_order_get_created_at (first)), ==, 1772359200);

  g_assert_true (kassa_order_repository_load_totals (orders, kassa_order_get_id (first), &stored, &error));
  g_assert_no_error (error);
  /* 9.00 at 7 % and 34.80 at 19 %: 0.59 + 5.56 tax. */
  g_assert_cmpint (stored.total, ==, 4380);
  g_assert_cmpint (stored.tax, ==, 615);
  g_assert_cmpint (stored.untaxed, ==, 3765);

  /* The same customer, found by e-mail without regard to case. */
  second = kassa_shop_find_order (fixture->shop, "2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_order_get_number (second), ==, "S-000002");
  g_assert_cmpint (kassa_order_get_customer_id (second), ==, kassa_order_get_customer_id (first));
  g_assert_cmpint (kassa_order_get_payment_status (second), ==, KASSA_PAYMENT_STATUS_CREATED);
  g_assert_cmpint (kassa_order_get_delivery_method (second), ==, KASSA_DELIVERY_METHOD_PICKUP);
  g_assert_cmpint (count_customers (fixture), ==, 1);

  /* Only the paid order is money taken: one journal entry. */
  g_assert_cmpint (journal_entries (fixture), ==, entries_before + 1);
}

static void
test_all_or_nothing (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  /* The first order is fine and creates a customer; the second's line
   * price is a float. */
  const char *json =
    "[{\"customer\": {\"name\": \"Grace\", \"email\": \"grace@example.org\"}, \"currency\": \"EUR\","
    "  \"lines\": [{\"name\": \"Tea\", \"quantity\": \"1\", \"unit_price\": \"2.00\", \"tax_rate\": \"7\"}]},"
    " {\"customer\": {\"name\": \"Linus\"}, \"currency\": \"EUR\","
    "  \"lines\": [{\"name\": \"Tea\", \"quantity\": \"1\", \"unit_price\": \"2.00\", \"tax_rate\": \"7\"},"
    "             {\"name\": \"Mug\", \"quantity\": \"1\", \"unit_price\": 9.99, \"tax_rate\": \"19\"}]}]";

  text = import_to_string (fixture, json, &error);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_null (text);
  g_assert_true (g_str_has_prefix (error->message, "orders[1].lines[1].unit_price: "));
  g_assert_cmpuint (count_orders (fixture), ==, 0);
  g_assert_cmpint (count_customers (fixture), ==, 0);

  /* The numbers were given back too: the next import starts over. */
  g_clear_error (&error);
  text = import_to_string (fixture, "[{\"customer\": {\"name\": \"Grace\"}, \"currency\": \"EUR\","
                                    "\"lines\": [{\"name\": \"Tea\", \"quantity\": 1, \"unit_price\": 2,"
                                    "\"tax_rate\": 7}]}]", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "[{\"id\":1,\"number\":\"S-000001\",\"total\":\"2.00\"}]");
}

typedef struct
{
  const char *json;
  const char *prefix;
} BadCase;

static void
test_errors (Fixture       *fixture,
             gconstpointer  data)
{
  static const BadCase cases[] = {
    { "{\"orders\": []}", "orders: must be a JSON array" },
    { "[{\"customer\": ", "orders: not valid JSON" },
    { "[42]", "orders[0]: must be an object" },
    { "[{\"currency\": \"EUR\", \"lines\": []}]", "orders[0].customer: is required" },
    { "[{\"customer\": {\"email\": \"x@example.org\"}, \"currency\": \"EUR\","
      "\"lines\": [{\"name\": \"A\", \"quantity\": \"1\", \"unit_price\": \"1\", \"tax_rate\": \"0\"}]}]",
      "orders[0].customer.name: is required" },
    { "[{\"customer\": {\"name\": \"A\", \"email\": \"not an address\"}, \"currency\": \"EUR\","
      "\"lines\": [{\"name\": \"A\", \"quantity\": \"1\", \"unit_price\": \"1\", \"tax_rate\": \"0\"}]}]",
      "orders[0].customer.email: " },
    { "[{\"customer\": {\"name\": \"A\"}, \"currency\": \"XYZ\", \"lines\": []}]", "orders[0].currency: " },
    { "[{\"customer\": {\"name\": \"A\"}, \"currency\": \"EUR\", \"lines\": []}]",
      "orders[0].lines: must be an array of at least one line" },
    { "[{\"customer\": {\"name\": \"A\"}, \"currency\": \"EUR\","
      "\"lines\": [{\"name\": \"A\", \"quantity\": \"0\", \"unit_price\": \"1\", \"tax_rate\": \"0\"}]}]",
      "orders[0].lines[0].quantity: must be more than zero" },
    { "[{\"customer\": {\"name\": \"A\"}, \"currency\": \"JPY\","
      "\"lines\": [{\"name\": \"A\", \"quantity\": \"1\", \"unit_price\": \"1.5\", \"tax_rate\": \"10\"}]}]",
      "orders[0].lines[0].unit_price: " },
    { "[{\"customer\": {\"name\": \"A\"}, \"currency\": \"EUR\","
      "\"lines\": [{\"name\": \"A\", \"quantity\": \"1\", \"unit_price\": \"1\", \"tax_rate\": \"120\"}]}]",
      "orders[0].lines[0].tax_rate: must be a percentage from 0 to 100" },
    { "[{\"customer\": {\"name\": \"A\"}, \"currency\": \"EUR\","
      "\"lines\": [{\"name\": \"A\", \"quantity\": \"1\", \"unit_price\": \"1\", \"tax_rate\": \"7\","
      "\"delivery_method\": \"drone\"}]}]",
      "orders[0].lines[0].delivery_method: must be pickup, delivery or none" },
    { "[{\"customer\": {\"name\": \"A\"}, \"currency\": \"EUR\","
      "\"lines\": [{\"name\": \"A\", \"quantity\": \"1\", \"unit_price\": \"1\", \"tax_rate\": \"7\"}],"
      "\"payment\": {\"status\": \"refunded\"}}]",
      "orders[0].payment.status: must be paid or unpaid" },
    { "[{\"customer\": {\"name\": \"A\"}, \"currency\": \"EUR\","
      "\"lines\": [{\"name\": \"A\", \"quantity\": \"1\", \"unit_price\": \"1\", \"tax_rate\": \"7\"}],"
      "\"payment\": {\"status\": \"paid\", \"method\": \"cash\", \"amount\": \"1.00\", \"paid_at\": \"yesterday\"}}]",
      "orders[0].payment.paid_at: " },
    { "[{\"customer\": {\"name\": \"A\"}, \"currency\": \"EUR\","
      "\"lines\": [{\"name\": \"A\", \"quantity\": \"1\", \"unit_price\": \"1\", \"tax_rate\": \"7\"}],"
      "\"payment\": {\"status\": \"paid\", \"amount\": \"1.00\"}}]",
      "orders[0].payment.method: is required" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = import_to_string (fixture, cases[i].json, &error);

      g_test_message ("case %u: %s", i, cases[i].json);
      g_assert_null (text);
      g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
      if (!g_str_has_prefix (error->message, cases[i].prefix))
        g_error ("case %u: “%s” does not start with “%s”", i, error->message, cases[i].prefix);
      /* One line, for a terminal and a log. */
      g_assert_null (strchr (error->message, '\n'));
    }

  g_assert_cmpuint (count_orders (fixture), ==, 0);
}

static void
test_stated_totals (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(KassaSettingsRepository) settings_repository = kassa_settings_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaStoreSettings) settings = NULL;

  /* A B2B store: prices are net unless the order says otherwise. */
  settings = kassa_settings_repository_load_settings (settings_repository, "EUR", &error);
  g_assert_no_error (error);
  kassa_store_settings_set_prices_include_tax (settings, FALSE);
  g_assert_true (kassa_settings_repository_save_settings (settings_repository, settings, &error));

  /* 3 × 10.00 net at 19 % is 35.70, not the 30.00 the gross reading gives. */
  text = import_to_string (fixture, "[{\"customer\": {\"name\": \"A\"}, \"currency\": \"EUR\", \"total\": \"30.00\","
                                    "\"lines\": [{\"name\": \"A\", \"quantity\": \"3\", \"unit_price\": \"10.00\","
                                    "\"tax_rate\": \"19\"}]}]", &error);
  g_assert_null (text);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "orders[0].total: states 30.00 but the lines come to 35.70 under the store’s tax settings");
  g_clear_error (&error);

  text = import_to_string (fixture, "[{\"customer\": {\"name\": \"A\"}, \"currency\": \"EUR\", \"tax\": \"5.70\","
                                    "\"untaxed\": \"30.00\", \"total\": \"35.70\","
                                    "\"lines\": [{\"name\": \"A\", \"quantity\": \"3\", \"unit_price\": \"10.00\","
                                    "\"tax_rate\": \"19\"}],"
                                    "\"payment\": {\"status\": \"paid\", \"method\": \"Bank\", \"amount\": \"35.00\"}}]",
                           &error);
  g_assert_null (text);
  g_assert_true (g_str_has_prefix (error->message, "orders[0].payment.amount: states 35.00 but the lines come to 35.70"));
  g_clear_error (&error);

  /* Agreeing totals are taken. */
  text = import_to_string (fixture, "[{\"customer\": {\"name\": \"A\"}, \"currency\": \"EUR\", \"tax\": \"5.70\","
                                    "\"untaxed\": \"30.00\", \"total\": \"35.70\","
                                    "\"lines\": [{\"name\": \"A\", \"quantity\": \"3\", \"unit_price\": \"10.00\","
                                    "\"tax_rate\": \"19\"}],"
                                    "\"payment\": {\"status\": \"paid\", \"method\": \"Bank\", \"amount\": \"35.70\"}}]",
                           &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "[{\"id\":1,\"number\":\"S-000001\",\"total\":\"35.70\"}]");
}

static void
test_duplicate_number (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *json = "[{\"number\": \"X-1\", \"customer\": {\"name\": \"A\"}, \"currency\": \"EUR\","
                     "\"lines\": [{\"name\": \"A\", \"quantity\": \"1\", \"unit_price\": \"1\", \"tax_rate\": \"7\"}]},"
                     " {\"number\": \"X-1\", \"customer\": {\"name\": \"B\"}, \"currency\": \"EUR\","
                     "\"lines\": [{\"name\": \"B\", \"quantity\": \"1\", \"unit_price\": \"1\", \"tax_rate\": \"7\"}]}]";

  text = import_to_string (fixture, json, &error);
  g_assert_null (text);
  g_assert_cmpstr (error->message, ==, "orders[1].number: an order numbered “X-1” already exists");
  g_assert_cmpuint (count_orders (fixture), ==, 0);
}

static void
test_list_show (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GPtrArray) paid = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(KassaOrder) missing = NULL;
  KassaOrderFilter filter = { 0 };
  JsonObject *object;
  JsonObject *line;

  result = kassa_shop_import_orders (fixture->shop, two_orders, -1, NULL, NULL, &error);
  g_assert_no_error (error);

  all = kassa_shop_list_orders (fixture->shop, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);

  g_assert_true (kassa_shop_order_filter_parse_status (&filter, "paid", &error));
  paid = kassa_shop_list_orders (fixture->shop, &filter, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (paid->len, ==, 1);
  g_assert_cmpstr (kassa_order_get_number (paid->pdata[0]), ==, "W-1001");

  g_assert_false (kassa_shop_order_filter_parse_status (&filter, "lost", &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  order = kassa_shop_find_order (fixture->shop, "1", &error);
  g_assert_no_error (error);
  node = kassa_shop_order_to_json (fixture->shop, order, TRUE, &error);
  g_assert_no_error (error);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "number"), ==, "W-1001");
  g_assert_cmpstr (json_object_get_string_member (object, "payment_status"), ==, "paid");
  g_assert_cmpstr (json_object_get_string_member (object, "total"), ==, "43.80");
  g_assert_cmpstr (json_object_get_string_member (object, "tax"), ==, "6.15");
  g_assert_cmpstr (json_object_get_string_member (object, "created_at"), ==, "2026-03-01T10:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "customer"), "email"),
                   ==, "ada@example.org");
  g_assert_true (json_node_is_null (json_object_get_member (object, "invoice")));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "lines")), ==, 2);
  line = json_array_get_object_element (json_object_get_array_member (object, "lines"), 0);
  g_assert_cmpstr (json_object_get_string_member (line, "sku"), ==, "TEA-1");
  g_assert_cmpstr (json_object_get_string_member (line, "quantity"), ==, "2");
  g_assert_cmpstr (json_object_get_string_member (line, "net"), ==, "8.41");
  g_assert_cmpstr (json_object_get_string_member (line, "tax"), ==, "0.59");
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (object, "payments"), 0),
                     "amount"), ==, "43.80");

  missing = kassa_shop_find_order (fixture->shop, "W-9999", &error);
  g_assert_null (missing);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
}

static void
sign_in (Fixture        *fixture,
         KassaStaffRole  role)
{
  g_autoptr(KassaStaffRepository) staff = kassa_staff_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaStaff) member = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) existing = NULL;
  gint64 id;

  /* Staff are made by the system, the first of them an administrator. */
  kassa_shop_act_as_system (fixture->shop);
  existing = kassa_staff_repository_list (staff, TRUE, &error);
  g_assert_no_error (error);
  if (existing->len == 0)
    {
      kassa_shop_create_staff (fixture->shop, "Owner", KASSA_STAFF_ROLE_ADMIN, "2468", KASSA_PIN_COST_MINIMUM, &error);
      g_assert_no_error (error);
    }

  id = kassa_shop_create_staff (fixture->shop, "Someone", role, "1357", KASSA_PIN_COST_MINIMUM, &error);
  g_assert_no_error (error);
  member = kassa_staff_repository_get (staff, id, &error);
  g_assert_no_error (error);
  kassa_shop_set_actor (fixture->shop, member);
}

static void
test_permissions (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GPtrArray) orders = NULL;

  sign_in (fixture, KASSA_STAFF_ROLE_CASHIER);
  result = kassa_shop_import_orders (fixture->shop, two_orders, -1, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* A cashier looks orders up. */
  orders = kassa_shop_list_orders (fixture->shop, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (orders->len, ==, 0);
  g_clear_pointer (&orders, g_ptr_array_unref);

  sign_in (fixture, KASSA_STAFF_ROLE_SERVICE_PROVIDER);
  orders = kassa_shop_list_orders (fixture->shop, NULL, 0, &error);
  g_assert_null (orders);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  sign_in (fixture, KASSA_STAFF_ROLE_MANAGER);
  result = kassa_shop_import_orders (fixture->shop, two_orders, -1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/shop-orders/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("import", test_import);
  ADD ("all-or-nothing", test_all_or_nothing);
  ADD ("errors", test_errors);
  ADD ("stated-totals", test_stated_totals);
  ADD ("duplicate-number", test_duplicate_number);
  ADD ("list-show", test_list_show);
  ADD ("permissions", test_permissions);

#undef ADD

  return g_test_run ();
}
