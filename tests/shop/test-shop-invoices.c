/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "kassa-error.h"
#include "kassa-invoice-repository.h"
#include "kassa-settings-repository.h"
#include "kassa-shop-invoices.h"
#include "kassa-shop-maintenance.h"
#include "kassa-shop-orders.h"
#include "kassa-shop-private.h"
#include "kassa-shop-staff.h"
#include "kassa-staff-repository.h"

typedef struct
{
  char      *dir;
  KassaShop *shop;
  GDateTime *now;
} Fixture;

/* Net prices (B2B); the first is issued, the second stays a draft. */
static const char *two_invoices =
  "[{\"customer\": {\"name\": \"Grace Hopper\", \"email\": \"grace@example.org\"}, \"currency\": \"EUR\","
  "  \"prices_include_tax\": false, \"issue_date\": \"2026-03-02\", \"due_date\": \"2026-03-16\","
  "  \"lines\": [{\"name\": \"Consulting\", \"description\": \"Compiler review, March\", \"quantity\": \"3\","
  "              \"unit_price\": \"120.00\", \"tax_rate\": \"19\"},"
  "             {\"name\": \"Travel\", \"quantity\": 1, \"unit_price\": \"80.00\", \"tax_rate\": \"7\"}],"
  "  \"issue\": true, \"total\": \"514.00\"},"
  " {\"customer\": {\"name\": \"Dr. Grace Hopper\", \"email\": \"Grace@example.org\"}, \"currency\": \"EUR\","
  "  \"prices_include_tax\": false, \"issue_date\": \"2026-03-05\", \"due_date\": \"2026-04-04\","
  "  \"lines\": [{\"name\": \"Workshop\", \"quantity\": \"1\", \"unit_price\": \"500\", \"tax_rate\": \"19\"}],"
  "  \"issue\": false}]";

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("kassa-shop-invoices-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "shop.db", NULL);
  fixture->shop = kassa_shop_open (path, &error);
  g_assert_no_error (error);
  kassa_shop_act_as_system (fixture->shop);
  fixture->now = g_date_time_new_local (2026, 3, 10, 9, 30, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->shop);
  g_clear_pointer (&fixture->now, g_date_time_unref);

  dir = g_dir_open (fixture->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);
      g_assert_cmpint (g_unlink (file), ==, 0);
    }
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->dir);
}

static char *
import_to_string (Fixture     *fixture,
                  const char  *json,
                  GError     **error)
{
  g_autoptr(JsonNode) result = kassa_shop_import_invoices (fixture->shop, json, -1, NULL, NULL, error);

  return result != NULL ? json_to_string (result, FALSE) : NULL;
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

static guint
count_invoices (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) invoices = kassa_shop_list_invoices (fixture->shop, NULL, 0, &error);

  g_assert_no_error (error);
  return invoices->len;
}

static void
test_import (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(KassaInvoice) issued = NULL;
  g_autoptr(KassaInvoice) draft = NULL;
  g_autoptr(KassaInvoice) second = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GDateTime) due = NULL;
  JsonObject *object;
  JsonObject *line;
  gint64 entries_before = journal_entries (fixture);

  text = import_to_string (fixture, two_invoices, &error);
  g_assert_no_error (error);
  /* 360.00 at 19 % and 80.00 at 7 %: 68.40 + 5.60 tax; 500.00 + 95.00. */
  g_assert_cmpstr (text, ==,
                   "[{\"id\":1,\"reference\":\"INV-2026-00001\",\"untaxed\":\"440.00\",\"tax\":\"74.00\",\"total\":\"514.00\"},"
                   "{\"id\":2,\"reference\":null,\"untaxed\":\"500.00\",\"tax\":\"95.00\",\"total\":\"595.00\"}]");
  g_assert_cmpint (journal_entries (fixture), ==, entries_before + 1);

  issued = kassa_shop_find_invoice (fixture->shop, "INV-2026-00001", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_invoice_get_status (issued), ==, KASSA_INVOICE_STATUS_ISSUED);
  g_assert_true (kassa_invoice_token_is_valid (kassa_invoice_get_public_token (issued)));
  g_assert_cmpstr (kassa_invoice_get_buyer_name (issued), ==, "Grace Hopper");
  g_assert_cmpstr (kassa_invoice_get_buyer_email (issued), ==, "grace@example.org");

  node = kassa_shop_invoice_to_json (fixture->shop, issued, TRUE, &error);
  g_assert_no_error (error);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "issue_date"), ==, "2026-03-02");
  g_assert_cmpstr (json_object_get_string_member (object, "due_date"), ==, "2026-03-16");
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "issued");
  g_assert_cmpstr (json_object_get_string_member (object, "tax"), ==, "74.00");
  g_assert_true (json_node_is_null (json_object_get_member (object, "public_link")));
  line = json_array_get_object_element (json_object_get_array_member (object, "lines"), 0);
  g_assert_cmpstr (json_object_get_string_member (line, "description"), ==, "Compiler review, March");
  g_assert_cmpstr (json_object_get_string_member (line, "net"), ==, "360.00");
  g_assert_cmpstr (json_object_get_string_member (line, "tax"), ==, "68.40");

  /* Issuing the draft takes the next number: no gap, no repeat. */
  draft = kassa_shop_find_invoice (fixture->shop, "2", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_invoice_get_status (draft), ==, KASSA_INVOICE_STATUS_DRAFT);
  /* One customer, found by e-mail; each invoice names the buyer as its
   * document did. */
  g_assert_cmpint (kassa_invoice_get_customer_id (draft), ==, kassa_invoice_get_customer_id (issued));
  g_assert_cmpstr (kassa_invoice_get_buyer_name (draft), ==, "Dr. Grace Hopper");
  g_assert_cmpstr (kassa_invoice_get_buyer_email (draft), ==, "Grace@example.org");
  second = kassa_shop_issue_invoice (fixture->shop, kassa_invoice_get_id (draft), fixture->now, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_invoice_get_reference (second), ==, "INV-2026-00002");
  /* Its own due date still lies ahead, so it is kept. */
  due = g_date_time_new_local (2026, 4, 4, 0, 0, 0);
  g_assert_true (g_date_time_equal (kassa_invoice_get_due_date (second), due));
  g_assert_cmpint (journal_entries (fixture), ==, entries_before + 2);

  g_clear_object (&second);
  second = kassa_shop_issue_invoice (fixture->shop, kassa_invoice_get_id (draft), fixture->now, &error);
  g_assert_null (second);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
}

static void
test_all_or_nothing (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *bad = NULL;

  /* The second invoice lacks its due date: nothing of the first stays,
   * not even its number. */
  bad = g_strdup_printf ("[%s, {\"customer\": {\"name\": \"X\"}, \"currency\": \"EUR\", \"issue_date\": \"2026-03-01\","
                         "\"lines\": [{\"name\": \"A\", \"quantity\": \"1\", \"unit_price\": \"1\", \"tax_rate\": \"7\"}],"
                         "\"issue\": true}]",
                         "{\"customer\": {\"name\": \"Y\"}, \"currency\": \"EUR\", \"issue_date\": \"2026-03-01\","
                         "\"due_date\": \"2026-03-31\", \"issue\": true,"
                         "\"lines\": [{\"name\": \"A\", \"quantity\": \"1\", \"unit_price\": \"1\", \"tax_rate\": \"7\"}]}");
  text = import_to_string (fixture, bad, &error);
  g_assert_null (text);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "invoices[1].due_date: is required");
  g_assert_cmpuint (count_invoices (fixture), ==, 0);
  g_clear_error (&error);

  text = import_to_string (fixture, two_invoices, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "\"reference\":\"INV-2026-00001\""));
}

static void
test_errors (Fixture       *fixture,
             gconstpointer  data)
{
  static const struct { const char *json; const char *message; } cases[] = {
    { "[{\"customer\": {\"name\": \"A\"}, \"currency\": \"EUR\", \"issue_date\": \"2026-03-10\","
      "\"due_date\": \"2026-03-01\", \"lines\": [{\"name\": \"A\", \"quantity\": \"1\", \"unit_price\": \"1\","
      "\"tax_rate\": \"7\"}]}]",
      "invoices[0].due_date: falls before the issue date" },
    { "[{\"customer\": {\"name\": \"A\"}, \"currency\": \"EUR\", \"issue_date\": \"2026-03-01\","
      "\"due_date\": \"2026-03-31\", \"lines\": [{\"name\": \"A\", \"quantity\": \"1\", \"unit_price\": \"-5\","
      "\"tax_rate\": \"7\"}]}]",
      "invoices[0].lines[0].unit_price: must not be negative; credit an invoice with a credit note" },
    { "[{\"customer\": {\"name\": \"A\"}, \"currency\": \"EUR\", \"issue_date\": \"2026-03-01\","
      "\"due_date\": \"2026-03-31\", \"issue\": \"yes\", \"lines\": []}]",
      "invoices[0].issue: must be true or false" },
    { "[{\"customer\": {\"name\": \"A\"}, \"currency\": \"EUR\", \"issue_date\": \"2026-03-01\","
      "\"due_date\": \"2026-03-31\", \"lines\": [{\"quantity\": \"1\", \"unit_price\": \"1\", \"tax_rate\": \"7\"}]}]",
      "invoices[0].lines[0].name: is required" },
    { "[{\"customer\": {\"name\": \"A\"}, \"currency\": \"EUR\", \"issue_date\": \"2026-03-01\","
      "\"due_date\": \"2026-03-31\", \"prices_include_tax\": false, \"tax\": \"0.10\","
      "\"lines\": [{\"name\": \"A\", \"quantity\": \"1\", \"unit_price\": \"1\", \"tax_rate\": \"7\"}]}]",
      "invoices[0].tax: states 0.10 but the lines come to 0.07 under the store’s tax settings" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = import_to_string (fixture, cases[i].json, &error);

      g_assert_null (text);
      g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }

  g_assert_cmpuint (count_invoices (fixture), ==, 0);
}

static gint64
import_paid_order (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = NULL;

  result = kassa_shop_import_orders (fixture->shop,
                                     "[{\"customer\": {\"name\": \"Ada\", \"email\": \"ada@example.org\"},"
                                     "\"currency\": \"EUR\", \"prices_include_tax\": true,"
                                     "\"lines\": [{\"name\": \"Tea\", \"quantity\": \"2\", \"unit_price\": \"4.50\","
                                     "\"tax_rate\": \"7\"}], \"shipping_cost\": \"4.90\","
                                     "\"payment\": {\"status\": \"paid\", \"method\": \"Visa\", \"amount\": \"13.90\","
                                     "\"paid_at\": \"2026-03-01T10:00:00Z\"}}]",
                                     -1, NULL, NULL, &error);
  g_assert_no_error (error);

  return json_object_get_int_member (json_array_get_object_element (json_node_get_array (result), 0), "id");
}

static void
test_invoice_order (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaInvoice) invoice = NULL;
  g_autoptr(KassaInvoice) again = NULL;
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 order_id = import_paid_order (fixture);
  GListModel *lines;

  invoice = kassa_shop_invoice_order (fixture->shop, order_id, fixture->now, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_invoice_get_reference (invoice), ==, "INV-2026-00001");
  g_assert_cmpint (kassa_invoice_get_order_id (invoice), ==, order_id);
  g_assert_cmpint (kassa_invoice_get_status (invoice), ==, KASSA_INVOICE_STATUS_PAID);
  g_assert_cmpint (kassa_invoice_get_paid_amount (invoice), ==, 1390);
  g_assert_cmpstr (kassa_invoice_get_paid_method (invoice), ==, "Visa");
  lines = kassa_invoice_get_lines (invoice);
  g_assert_cmpuint (g_list_model_get_n_items (lines), ==, 2);

  /* The order now names its invoice. */
  order = kassa_shop_find_order (fixture->shop, "1", &error);
  g_assert_no_error (error);
  node = kassa_shop_order_to_json (fixture->shop, order, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "invoice"), ==, "INV-2026-00001");

  again = kassa_shop_invoice_order (fixture->shop, order_id, fixture->now, &error);
  g_assert_null (again);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
}

static void
test_credit_note (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(KassaInvoice) partial = NULL;
  g_autoptr(KassaInvoice) rest = NULL;
  g_autoptr(KassaInvoice) invoice = NULL;
  g_autoptr(KassaInvoice) too_much = NULL;
  g_autoptr(JsonNode) node = NULL;
  const gint64 one_consulting_day[] = { 1000, 0 };
  const gint64 the_rest[] = { 2000, 1000 };
  gint64 entries_before;

  text = import_to_string (fixture, two_invoices, &error);
  g_assert_no_error (error);
  entries_before = journal_entries (fixture);

  partial = kassa_shop_credit_invoice (fixture->shop, 1, one_consulting_day, 2, fixture->now, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_invoice_get_kind (partial), ==, KASSA_INVOICE_KIND_CREDIT_NOTE);
  g_assert_cmpstr (kassa_invoice_get_reference (partial), ==, "CN-2026-00001");
  g_assert_cmpuint (g_list_model_get_n_items (kassa_invoice_get_lines (partial)), ==, 1);
  node = kassa_shop_invoice_to_json (fixture->shop, partial, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "total"), ==, "142.80");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "credits"), ==, "INV-2026-00001");

  invoice = kassa_shop_find_invoice (fixture->shop, "INV-2026-00001", &error);
  g_assert_cmpint (kassa_invoice_get_status (invoice), ==, KASSA_INVOICE_STATUS_ISSUED);
  g_clear_object (&invoice);

  /* Three days where two are left is refused. */
  too_much = kassa_shop_credit_invoice (fixture->shop, 1, (const gint64[]) { 4000, 0 }, 2, fixture->now, &error);
  g_assert_null (too_much);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  rest = kassa_shop_credit_invoice (fixture->shop, 1, the_rest, 2, fixture->now, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_invoice_get_reference (rest), ==, "CN-2026-00002");

  invoice = kassa_shop_find_invoice (fixture->shop, "INV-2026-00001", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_invoice_get_status (invoice), ==, KASSA_INVOICE_STATUS_CREDITED);
  g_assert_cmpint (journal_entries (fixture), ==, entries_before + 2);
}

static void
test_link (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *link = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(KassaInvoice) issued = NULL;
  g_autoptr(KassaInvoice) draft = NULL;
  g_autoptr(KassaInvoiceRepository) invoices = kassa_invoice_repository_new (kassa_shop_get_database (fixture->shop));

  text = import_to_string (fixture, two_invoices, &error);
  g_assert_no_error (error);
  issued = kassa_shop_find_invoice (fixture->shop, "INV-2026-00001", &error);
  draft = kassa_shop_find_invoice (fixture->shop, "2", &error);
  g_assert_no_error (error);

  /* No base and no Stripe page: no link. */
  g_assert_true (kassa_shop_get_invoice_link (fixture->shop, issued, &link, &error));
  g_assert_no_error (error);
  g_assert_null (link);

  g_assert_false (kassa_shop_set_invoice_link_base (fixture->shop, "ftp://shop.example/", &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (kassa_shop_set_invoice_link_base (fixture->shop, "https://shop.example/i", &error));
  g_assert_no_error (error);

  g_assert_true (kassa_shop_get_invoice_link (fixture->shop, issued, &link, &error));
  expected = g_strconcat ("https://shop.example/i/", kassa_invoice_get_public_token (issued), NULL);
  g_assert_cmpstr (link, ==, expected);
  g_clear_pointer (&link, g_free);

  /* A draft's page is not public. */
  g_assert_true (kassa_shop_get_invoice_link (fixture->shop, draft, &link, &error));
  g_assert_null (link);

  /* Stripe's hosted page, once there is one, is where customers pay. */
  g_assert_true (kassa_invoice_repository_set_hosted_url (invoices, kassa_invoice_get_id (issued),
                                                          "https://invoice.stripe.com/i/acct_1/test_abc", &error));
  g_assert_no_error (error);
  g_assert_true (kassa_shop_get_invoice_link (fixture->shop, issued, &link, &error));
  g_assert_cmpstr (link, ==, "https://invoice.stripe.com/i/acct_1/test_abc");
}

static void
test_permissions (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(KassaStaffRepository) staff = kassa_staff_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaStaff) viewer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GPtrArray) invoices = NULL;
  gint64 id;

  kassa_shop_create_staff (fixture->shop, "Owner", KASSA_STAFF_ROLE_ADMIN, "2468", KASSA_PIN_COST_MINIMUM, &error);
  g_assert_no_error (error);
  id = kassa_shop_create_staff (fixture->shop, "Val", KASSA_STAFF_ROLE_VIEWER, "1357", KASSA_PIN_COST_MINIMUM, &error);
  g_assert_no_error (error);
  viewer = kassa_staff_repository_get (staff, id, &error);
  kassa_shop_set_actor (fixture->shop, viewer);

  result = kassa_shop_import_invoices (fixture->shop, two_invoices, -1, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  g_assert_false (kassa_shop_set_invoice_link_base (fixture->shop, "https://shop.example/", &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* Reports readers read invoices. */
  invoices = kassa_shop_list_invoices (fixture->shop, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (invoices->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/shop-invoices/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("import", test_import);
  ADD ("all-or-nothing", test_all_or_nothing);
  ADD ("errors", test_errors);
  ADD ("invoice-order", test_invoice_order);
  ADD ("credit-note", test_credit_note);
  ADD ("link", test_link);
  ADD ("permissions", test_permissions);

#undef ADD

  return g_test_run ();
}
