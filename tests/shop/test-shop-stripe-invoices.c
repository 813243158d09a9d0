/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kassa-currency.h"
#include "kassa-document-totals.h"
#include "kassa-error.h"
#include "kassa-invoice-repository.h"
#include "kassa-payment-error.h"
#include "kassa-shop-stripe-invoices.h"
#include "kassa-stripe-sync.h"

#include "stripe-test-utils.h"

static KassaInvoiceLine *
make_line (const char *name,
           gint64      quantity,
           gint64      unit_price,
           gint64      tax_rate)
{
  return g_object_new (KASSA_TYPE_INVOICE_LINE,
                       "name", name,
                       "quantity", quantity,
                       "unit-price", unit_price,
                       "tax-rate", tax_rate,
                       NULL);
}

/* An invoice of two lines at two VAT rates, issued on 1 March 2026 and
 * due 14 days later unless @issue is FALSE. */
static gint64
new_invoice (StripeFixture *fixture,
             const char    *email,
             const char    *token,
             gboolean       issue)
{
  g_autoptr(KassaInvoiceRepository) repository = kassa_invoice_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaInvoiceNumberFormat) format = NULL;
  g_autoptr(KassaInvoice) invoice = NULL;
  g_autoptr(KassaInvoiceLine) first = make_line ("Beratung", 2500, 8000, 190000);
  g_autoptr(KassaInvoiceLine) second = make_line ("Fachbuch", 1000, 2999, 70000);
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 3, 1, 10, 30, 0);
  g_autoptr(GDateTime) due = g_date_time_add_days (when, 14);
  g_autoptr(GError) error = NULL;

  invoice = g_object_new (KASSA_TYPE_INVOICE,
                          "customer-id", (gint64) 1,
                          "currency-code", "EUR",
                          "buyer-name", "Müller GmbH",
                          "buyer-email", email,
                          "buyer-address", "Hauptstraße 1\n10115 Berlin\n",
                          NULL);
  g_assert_true (kassa_invoice_add_line (invoice, first, NULL));
  g_assert_true (kassa_invoice_add_line (invoice, second, NULL));

  if (issue)
    {
      format = kassa_invoice_number_format_new (KASSA_INVOICE_NUMBER_DEFAULT_PATTERN, &error);
      g_assert_no_error (error);
      kassa_invoice_repository_issue (repository, invoice, format, when, due, token, &error);
    }
  else
    kassa_invoice_repository_save_draft (repository, invoice, &error);
  g_assert_no_error (error);

  return kassa_invoice_get_id (invoice);
}

static gint64
stored_total (StripeFixture *fixture,
              gint64         id)
{
  g_autoptr(KassaInvoiceRepository) repository = kassa_invoice_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(GError) error = NULL;
  gint64 total = 0;

  kassa_invoice_repository_get_stored_totals (repository, id, NULL, NULL, &total, &error);
  g_assert_no_error (error);

  return total;
}

static char *
push (StripeFixture  *fixture,
      gint64          id,
      gboolean        send,
      GError        **error)
{
  StripeWait wait = { NULL };
  char *url;

  kassa_shop_push_invoice_to_stripe_async (fixture->shop, fixture->client, id, send, NULL, stripe_test_done_cb, &wait);
  url = kassa_shop_push_invoice_to_stripe_finish (fixture->shop, stripe_test_wait (&wait), error);
  g_object_unref (wait.result);

  return url;
}

static const KassaFakeStripeRequest *
find_request (StripeFixture *fixture,
              const char    *method,
              const char    *path,
              guint          nth)
{
  for (guint i = 0; i < kassa_fake_stripe_get_n_requests (fixture->fake); i++)
    {
      const KassaFakeStripeRequest *request = kassa_fake_stripe_get_request (fixture->fake, i);

      if (g_str_equal (request->method, method) && g_str_equal (request->path, path) && nth-- == 0)
        return request;
    }

  return NULL;
}

static void
test_push_and_send (StripeFixture *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *again = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *finalize_path = NULL;
  g_autofree char *send_path = NULL;
  g_autofree char *invoice_id = NULL;
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  const KassaFakeStripeRequest *request;
  const char *stripe_id;
  JsonObject *remote;
  gint64 id = new_invoice (fixture, "buch@mueller.example", "token-invoice-push-000000001", TRUE);
  gint64 total = stored_total (fixture, id);
  gint64 items = 0;
  guint n_requests;

  url = push (fixture, id, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (url, "https://invoice.stripe.com/"));

  stored = kassa_shop_get_invoice_stripe_url (fixture->shop, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, url);

  /* Looked for the customer, then made one. */
  request = find_request (fixture, "GET", "/v1/customers", 0);
  g_assert_nonnull (request);
  g_assert_cmpstr (kassa_stripe_form_lookup (request->form, "email"), ==, "buch@mueller.example");
  request = find_request (fixture, "POST", "/v1/customers", 0);
  g_assert_nonnull (request);
  g_assert_cmpstr (kassa_stripe_form_lookup (request->form, "email"), ==, "buch@mueller.example");
  g_assert_cmpstr (kassa_stripe_form_lookup (request->form, "name"), ==, "Müller GmbH");

  request = find_request (fixture, "POST", "/v1/invoices", 0);
  g_assert_nonnull (request);
  g_assert_cmpstr (kassa_stripe_form_lookup (request->form, "collection_method"), ==, "send_invoice");
  g_assert_cmpstr (kassa_stripe_form_lookup (request->form, "days_until_due"), ==, "14");
  g_assert_cmpstr (kassa_stripe_form_lookup (request->form, "currency"), ==, "eur");
  g_assert_cmpstr (kassa_stripe_form_lookup (request->form, "metadata[reference]"), ==, "INV-2026-00001");

  /* Two items for exactly the issued total: 2.5 × 80.00 at 19 % and
   * 29.99 at 7 %, each with its tax. */
  for (guint i = 0; (request = find_request (fixture, "POST", "/v1/invoiceitems", i)) != NULL; i++)
    {
      gint64 amount = g_ascii_strtoll (kassa_stripe_form_lookup (request->form, "amount"), NULL, 10);

      g_assert_cmpstr (kassa_stripe_form_lookup (request->form, "currency"), ==, "eur");
      items += amount;
      if (i == 0)
        {
          g_assert_cmpint (amount, ==, 23800);
          g_assert_nonnull (strstr (kassa_stripe_form_lookup (request->form, "description"), "Beratung × 2.5"));
          g_assert_nonnull (strstr (kassa_stripe_form_lookup (request->form, "description"), "19 %"));
        }
      else
        g_assert_cmpint (amount, ==, 3209);
    }
  g_assert_cmpint (items, ==, total);
  g_assert_cmpint (total, ==, 27009);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "invoiceitem"), ==, 2);

  /* Every POST had its own key. */
  for (guint i = 0; i < kassa_fake_stripe_get_n_requests (fixture->fake); i++)
    {
      const KassaFakeStripeRequest *sent = kassa_fake_stripe_get_request (fixture->fake, i);
      const char *key = soup_message_headers_get_one (sent->headers, "Idempotency-Key");

      if (!g_str_equal (sent->method, "POST"))
        continue;
      g_assert_nonnull (key);
      g_assert_true (g_hash_table_add (keys, (gpointer) key));
    }
  g_assert_cmpuint (g_hash_table_size (keys), ==, 6);

  request = find_request (fixture, "POST", "/v1/invoices", 0);
  g_assert_nonnull (request);
  stripe_id = NULL;
  for (guint i = 0; i < kassa_fake_stripe_get_n_requests (fixture->fake); i++)
    {
      const KassaFakeStripeRequest *sent = kassa_fake_stripe_get_request (fixture->fake, i);

      if (g_str_has_suffix (sent->path, "/finalize"))
        finalize_path = g_strdup (sent->path);
      if (g_str_has_suffix (sent->path, "/send"))
        send_path = g_strdup (sent->path);
    }
  g_assert_nonnull (finalize_path);
  g_assert_nonnull (send_path);
  stripe_id = finalize_path + strlen ("/v1/invoices/");
  invoice_id = g_strndup (stripe_id, strcspn (stripe_id, "/"));
  remote = kassa_fake_stripe_get_object (fixture->fake, invoice_id);
  g_assert_nonnull (remote);
  g_assert_cmpint (json_object_get_int_member (remote, "total"), ==, total);
  g_assert_cmpstr (json_object_get_string_member (remote, "status"), ==, "open");
  g_assert_cmpint (json_object_get_int_member (remote, "sent_count"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (remote, "hosted_invoice_url"), ==, url);

  /* Pushed already: the link comes back without asking Stripe. */
  n_requests = kassa_fake_stripe_get_n_requests (fixture->fake);
  again = push (fixture, id, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, url);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, n_requests);
}

static void
test_existing_customer (StripeFixture *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  gint64 a = new_invoice (fixture, "anna@example.org", "token-invoice-push-000000002", TRUE);
  gint64 b = new_invoice (fixture, "anna@example.org", "token-invoice-push-000000003", TRUE);

  first = push (fixture, a, FALSE, &error);
  g_assert_no_error (error);
  second = push (fixture, b, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, !=, second);

  /* One customer for both; nothing sent by e-mail when not asked. */
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "POST", "/v1/customers"), ==, 1);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "customer"), ==, 1);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "invoice"), ==, 2);
  for (guint i = 0; i < kassa_fake_stripe_get_n_requests (fixture->fake); i++)
    g_assert_false (g_str_has_suffix (kassa_fake_stripe_get_request (fixture->fake, i)->path, "/send"));
}

static void
test_retry_after_failure (StripeFixture *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  KassaFakeFault fault = { 0, };
  gint64 id = new_invoice (fixture, "buch@mueller.example", "token-invoice-push-000000004", TRUE);

  fault.kind = KASSA_FAKE_FAULT_STATUS;
  fault.status = 500;
  fault.should_retry = -1;
  fault.method = "POST";
  fault.path_prefix = "/v1/invoices/";
  kassa_fake_stripe_push_fault (fixture->fake, &fault);

  url = push (fixture, id, FALSE, &error);
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME);
  g_assert_null (url);
  g_clear_error (&error);
  g_assert_null (kassa_shop_get_invoice_stripe_url (fixture->shop, id, &error));
  g_assert_no_error (error);

  /* Again: the same keys meet Stripe's stored answers, nothing doubles. */
  url = push (fixture, id, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (url);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "customer"), ==, 1);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "invoice"), ==, 1);
  g_assert_cmpuint (kassa_fake_stripe_count_objects (fixture->fake, "invoiceitem"), ==, 2);
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "POST", "/v1/invoiceitems"), ==, 4);
}

static KassaStripeSyncResult
apply_invoice_event (StripeFixture *fixture,
                     const char    *event_id,
                     const char    *type,
                     JsonObject    *invoice)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(KassaStripeEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  KassaStripeSyncResult result;

  json_node_set_object (node, invoice);
  text = json_to_string (node, FALSE);
  event = stripe_test_event (event_id, type, 1772400000, text);
  result = kassa_stripe_sync_apply_event (fixture->shop, event, &error);
  g_assert_no_error (error);

  return result;
}

/* The customer pays on Stripe's page: invoice.paid books it locally. */
static void
test_paid_through_stripe (StripeFixture *fixture,
                          gconstpointer  data)
{
  g_autoptr(KassaInvoiceRepository) repository = kassa_invoice_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaInvoice) local = NULL;
  g_autoptr(JsonObject) forged = NULL;
  g_autoptr(JsonObject) transitions = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *stripe_id = NULL;
  g_autofree char *metadata_id = NULL;
  JsonObject *remote;
  gint64 id = new_invoice (fixture, "buch@mueller.example", "token-invoice-push-000000007", TRUE);
  gint64 total = stored_total (fixture, id);

  url = push (fixture, id, FALSE, &error);
  g_assert_no_error (error);
  kassa_invoice_repository_get_stripe_link (repository, id, &stripe_id, NULL, &error);
  g_assert_no_error (error);
  remote = kassa_fake_stripe_get_object (fixture->fake, stripe_id);
  g_assert_nonnull (remote);
  metadata_id = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (remote, "metadata"), "invoice_id"),
                   ==, metadata_id);

  /* Another Stripe invoice claiming to be ours is not believed. */
  forged = stripe_test_json ("{\"id\":\"in_forged\",\"object\":\"invoice\",\"status\":\"paid\","
                             "\"amount_paid\":100,\"metadata\":{}}");
  json_object_set_string_member (json_object_get_object_member (forged, "metadata"), "invoice_id", metadata_id);
  g_test_expect_message ("kassa-stripe-sync", G_LOG_LEVEL_WARNING, "*links elsewhere*");
  g_assert_cmpint (apply_invoice_event (fixture, "evt_forged", "invoice.paid", forged), ==, KASSA_STRIPE_SYNC_IGNORED);
  g_test_assert_expected_messages ();

  json_object_set_string_member (remote, "status", "paid");
  json_object_set_int_member (remote, "amount_paid", total);
  json_object_set_int_member (transitions, "paid_at", 1772500000);
  json_object_set_object_member (remote, "status_transitions", json_object_ref (transitions));
  g_assert_cmpint (apply_invoice_event (fixture, "evt_paid", "invoice.paid", remote), ==, KASSA_STRIPE_SYNC_APPLIED);
  g_assert_cmpint (apply_invoice_event (fixture, "evt_paid", "invoice.paid", remote),
                   ==, KASSA_STRIPE_SYNC_ALREADY_APPLIED);
  g_assert_cmpint (apply_invoice_event (fixture, "evt_paid_again", "invoice.paid", remote),
                   ==, KASSA_STRIPE_SYNC_IGNORED);

  local = kassa_invoice_repository_load (repository, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_invoice_get_status (local), ==, KASSA_INVOICE_STATUS_PAID);
  g_assert_cmpint (kassa_invoice_get_paid_amount (local), ==, total);
  g_assert_cmpint (g_date_time_to_unix (kassa_invoice_get_paid_at (local)), ==, 1772500000);
}

static void
test_refused (StripeFixture *fixture,
              gconstpointer  data)
{
  g_autoptr(KassaStaff) cashier = kassa_staff_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  gint64 draft = new_invoice (fixture, "buch@mueller.example", NULL, FALSE);
  gint64 no_email = new_invoice (fixture, "", "token-invoice-push-000000005", TRUE);
  gint64 good = new_invoice (fixture, "buch@mueller.example", "token-invoice-push-000000006", TRUE);

  url = push (fixture, draft, TRUE, &error);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  url = push (fixture, no_email, TRUE, &error);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  url = push (fixture, 9999, TRUE, &error);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  kassa_staff_set_role (cashier, KASSA_STAFF_ROLE_CASHIER);
  kassa_shop_set_actor (fixture->shop, cashier);
  url = push (fixture, good, TRUE, &error);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_assert_null (url);

  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/shop-stripe-invoices/" path, StripeFixture, NULL, stripe_fixture_set_up, func, \
              stripe_fixture_tear_down)

  ADD ("push-and-send", test_push_and_send);
  ADD ("existing-customer", test_existing_customer);
  ADD ("retry-after-failure", test_retry_after_failure);
  ADD ("paid-through-stripe", test_paid_through_stripe);
  ADD ("refused", test_refused);

#undef ADD

  return g_test_run ();
}
