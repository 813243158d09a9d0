/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-error.h"
#include "kassa-invoice.h"

#include "kassa-test-properties.h"

#define TOKEN "q3Zk9-_xW4mB7pL2nR8tYc"

static KassaInvoiceLine *
make_line (const char *name,
           gint64      quantity,
           gint64      unit_price)
{
  return g_object_new (KASSA_TYPE_INVOICE_LINE,
                       "name", name,
                       "description", "  as agreed \n",
                       "quantity", quantity,
                       "unit-price", unit_price,
                       "tax-rate", G_GINT64_CONSTANT (200000),
                       NULL);
}

static KassaInvoice *
make_draft (void)
{
  KassaInvoice *invoice = g_object_new (KASSA_TYPE_INVOICE,
                                        "id", G_GINT64_CONSTANT (11),
                                        "customer-id", G_GINT64_CONSTANT (5),
                                        "currency-code", "GBP",
                                        NULL);
  g_autoptr(KassaInvoiceLine) a = make_line ("Consulting", 7500, 9000);
  g_autoptr(KassaInvoiceLine) b = make_line ("Travel", 1000, 12000);

  g_assert_true (kassa_invoice_add_line (invoice, a, NULL));
  g_assert_true (kassa_invoice_add_line (invoice, b, NULL));

  return invoice;
}

static void
test_properties (void)
{
  g_autoptr(KassaInvoice) invoice = kassa_invoice_new ();
  const char *skip[] = { "status", "public-token", NULL };

  kassa_test_check_defaults (G_OBJECT (invoice));
  kassa_test_check_properties (G_OBJECT (invoice), skip);
}

static void
test_public_token (void)
{
  g_autoptr(KassaInvoice) invoice = kassa_invoice_new ();
  g_autoptr(GError) error = NULL;
  static const char *bad[] = {
    "short", "q3Zk9-_xW4mB7pL2nR8tY",   /* 21 characters: 126 bits */
    "q3Zk9+/xW4mB7pL2nR8tYc",          /* base64, not base64url */
    "q3Zk9-_xW4mB7pL2nR8tYc=",         /* padding */
    "q3Zk9 xW4mB7pL2nR8tYcAA",
  };

  g_assert_true (kassa_invoice_set_public_token (invoice, TOKEN, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_invoice_get_public_token (invoice), ==, TOKEN);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (kassa_invoice_token_is_valid (bad[i]));
      g_assert_false (kassa_invoice_set_public_token (invoice, bad[i], &error));
      g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
      g_clear_error (&error);
    }

  g_assert_cmpstr (kassa_invoice_get_public_token (invoice), ==, TOKEN);
}

static void
test_issue (void)
{
  g_autoptr(KassaInvoice) invoice = make_draft ();
  g_autoptr(GDateTime) issued = g_date_time_new_utc (2026, 11, 25, 0, 0, 0);
  g_autoptr(GDateTime) due = g_date_time_new_utc (2026, 12, 25, 0, 0, 0);
  g_autoptr(GDateTime) early = g_date_time_new_utc (2026, 11, 1, 0, 0, 0);
  g_autoptr(KassaInvoice) empty = kassa_invoice_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (kassa_invoice_is_locked (invoice));

  /* An empty draft cannot be issued. */
  kassa_invoice_set_currency_code (empty, "GBP", NULL);
  g_assert_false (kassa_invoice_issue (empty, "INV-2026-00001", issued, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (kassa_invoice_issue (invoice, "", issued, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kassa_invoice_issue (invoice, "INV-2026-00001", NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  /* A refused issue leaves the draft as it was. */
  g_assert_true (kassa_invoice_set_due_date (invoice, early, NULL));
  g_assert_false (kassa_invoice_issue (invoice, "INV-2026-00001", issued, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "An invoice cannot fall due before it is issued");
  g_clear_error (&error);
  g_assert_null (kassa_invoice_get_reference (invoice));
  g_assert_null (kassa_invoice_get_issue_date (invoice));
  g_assert_cmpint (kassa_invoice_get_status (invoice), ==, KASSA_INVOICE_STATUS_DRAFT);

  g_assert_true (kassa_invoice_set_due_date (invoice, due, NULL));
  g_assert_true (kassa_invoice_issue (invoice, "INV-2026-00001", issued, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kassa_invoice_get_status (invoice), ==, KASSA_INVOICE_STATUS_ISSUED);
  g_assert_cmpstr (kassa_invoice_get_reference (invoice), ==, "INV-2026-00001");
  g_assert_true (g_date_time_equal (kassa_invoice_get_issue_date (invoice), issued));
  g_assert_true (kassa_invoice_is_locked (invoice));

  g_assert_false (kassa_invoice_issue (invoice, "INV-2026-00002", issued, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_assert_cmpstr (kassa_invoice_get_reference (invoice), ==, "INV-2026-00001");
}

#define ASSERT_LOCKED(call)                                   \
  G_STMT_START {                                              \
    g_autoptr(GError) _error = NULL;                          \
    GError **error = &_error;                                 \
    g_assert_false (call);                                    \
    g_assert_error (_error, KASSA_ERROR, KASSA_ERROR_LOCKED); \
  } G_STMT_END

static void
test_issued_locks (void)
{
  g_autoptr(KassaInvoice) invoice = make_draft ();
  g_autoptr(GDateTime) issued = g_date_time_new_utc (2026, 11, 25, 0, 0, 0);
  g_autoptr(GDateTime) other = g_date_time_new_utc (2027, 1, 1, 0, 0, 0);
  g_autoptr(KassaInvoiceLine) extra = make_line ("Extra", 1000, 1);
  g_autoptr(KassaInvoiceLine) first = NULL;
  guint count = 0;

  g_assert_true (kassa_invoice_set_public_token (invoice, TOKEN, NULL));
  g_assert_true (kassa_invoice_set_buyer_name (invoice, "ACME Ltd", NULL));
  g_assert_true (kassa_invoice_issue (invoice, "INV-2026-00007", issued, NULL));
  g_signal_connect (invoice, "notify", G_CALLBACK (kassa_test_count_notify_cb), &count);

  ASSERT_LOCKED (kassa_invoice_set_kind (invoice, KASSA_INVOICE_KIND_CREDIT_NOTE, error));
  ASSERT_LOCKED (kassa_invoice_set_reference (invoice, "INV-2026-00008", error));
  ASSERT_LOCKED (kassa_invoice_set_credited_invoice_id (invoice, 3, error));
  ASSERT_LOCKED (kassa_invoice_set_customer_id (invoice, 6, error));
  ASSERT_LOCKED (kassa_invoice_set_currency_code (invoice, "EUR", error));
  ASSERT_LOCKED (kassa_invoice_set_issue_date (invoice, other, error));
  ASSERT_LOCKED (kassa_invoice_set_due_date (invoice, other, error));
  ASSERT_LOCKED (kassa_invoice_add_line (invoice, extra, error));
  ASSERT_LOCKED (kassa_invoice_remove_line (invoice, 0, error));

  first = g_list_model_get_item (kassa_invoice_get_lines (invoice), 0);
  g_assert_true (kassa_invoice_line_get_locked (first));
  ASSERT_LOCKED (kassa_invoice_line_set_unit_price (first, 1, error));
  ASSERT_LOCKED (kassa_invoice_line_set_name (first, "Something else", error));

  g_assert_cmpuint (count, ==, 0);
  g_assert_cmpstr (kassa_invoice_get_reference (invoice), ==, "INV-2026-00007");
  g_assert_cmpstr (kassa_invoice_get_currency_code (invoice), ==, "GBP");
  g_assert_cmpuint (g_list_model_get_n_items (kassa_invoice_get_lines (invoice)), ==, 2);
  g_assert_cmpint (kassa_invoice_line_get_unit_price (first), ==, 9000);

  /* The shared link must keep working once the invoice is sent. */
  ASSERT_LOCKED (kassa_invoice_set_public_token (invoice, "other-token-0123456789ab", error));
  ASSERT_LOCKED (kassa_invoice_set_order_id (invoice, 3, error));
  ASSERT_LOCKED (kassa_invoice_set_buyer_name (invoice, "Someone else", error));
  ASSERT_LOCKED (kassa_invoice_set_buyer_email (invoice, "x@example.org", error));
  ASSERT_LOCKED (kassa_invoice_set_buyer_address (invoice, "Elsewhere", error));
  ASSERT_LOCKED (kassa_invoice_set_prices_include_tax (invoice, TRUE, error));
  ASSERT_LOCKED (kassa_invoice_set_tax_scope (invoice, KASSA_TAX_SCOPE_LINE, error));
  ASSERT_LOCKED (kassa_invoice_set_rounding (invoice, KASSA_ROUNDING_HALF_EVEN, error));
  g_assert_cmpuint (count, ==, 0);
  g_assert_cmpstr (kassa_invoice_get_public_token (invoice), ==, TOKEN);

  /* The settlement record is not content. */
  kassa_invoice_set_paid_method (invoice, "Cash");
  g_assert_cmpstr (kassa_invoice_get_paid_method (invoice), ==, "Cash");
}

static void
test_payment (void)
{
  g_autoptr(KassaInvoice) invoice = make_draft ();
  g_autoptr(GDateTime) issued = g_date_time_new_utc (2026, 11, 25, 0, 0, 0);
  g_autoptr(GDateTime) paid = g_date_time_new_utc (2026, 12, 2, 14, 5, 0);
  g_autoptr(GError) error = NULL;

  g_assert_false (kassa_invoice_record_payment (invoice, 100, "Bank transfer", paid, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);

  g_assert_true (kassa_invoice_issue (invoice, "INV-2026-00009", issued, NULL));

  g_assert_false (kassa_invoice_set_status (invoice, KASSA_INVOICE_STATUS_PAID, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kassa_invoice_record_payment (invoice, 0, "Bank transfer", paid, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (kassa_invoice_record_payment (invoice, 82200, "Bank transfer", paid, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kassa_invoice_get_status (invoice), ==, KASSA_INVOICE_STATUS_PAID);
  g_assert_cmpint (kassa_invoice_get_paid_amount (invoice), ==, 82200);
  g_assert_cmpstr (kassa_invoice_get_paid_method (invoice), ==, "Bank transfer");
  g_assert_true (g_date_time_equal (kassa_invoice_get_paid_at (invoice), paid));

  g_assert_false (kassa_invoice_set_status (invoice, KASSA_INVOICE_STATUS_ISSUED, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
}

static void
test_credit_note (void)
{
  g_autoptr(KassaInvoice) invoice = make_draft ();
  g_autoptr(KassaInvoice) note = NULL;
  g_autoptr(KassaInvoiceLine) line = NULL;
  g_autoptr(GDateTime) issued = g_date_time_new_utc (2026, 11, 25, 0, 0, 0);
  g_autoptr(GError) error = NULL;

  /* A draft is edited, not credited. */
  g_assert_null (kassa_invoice_new_credit_note (invoice, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);

  /* Gross prices, line rounding, half-even and the buyer carry over:
   * a note that took back a gross invoice as net would credit too much. */
  g_object_set (invoice,
                "prices-include-tax", TRUE,
                "tax-scope", KASSA_TAX_SCOPE_LINE,
                "rounding", KASSA_ROUNDING_HALF_EVEN,
                "buyer-name", "Müller & Söhne GmbH",
                "buyer-address", "Hauptstraße 5\n10115 Berlin",
                NULL);
  g_assert_true (kassa_invoice_set_order_id (invoice, 77, NULL));

  g_assert_true (kassa_invoice_issue (invoice, "INV-2026-00010", issued, NULL));
  note = kassa_invoice_new_credit_note (invoice, &error);
  g_assert_no_error (error);
  g_assert_nonnull (note);

  g_assert_cmpint (kassa_invoice_get_kind (note), ==, KASSA_INVOICE_KIND_CREDIT_NOTE);
  g_assert_cmpint (kassa_invoice_get_status (note), ==, KASSA_INVOICE_STATUS_DRAFT);
  g_assert_cmpint (kassa_invoice_get_credited_invoice_id (note), ==, 11);
  g_assert_cmpint (kassa_invoice_get_customer_id (note), ==, 5);
  g_assert_cmpstr (kassa_invoice_get_currency_code (note), ==, "GBP");
  g_assert_cmpuint (g_list_model_get_n_items (kassa_invoice_get_lines (note)), ==, 2);
  g_assert_true (kassa_invoice_get_prices_include_tax (note));
  g_assert_cmpint (kassa_invoice_get_tax_scope (note), ==, KASSA_TAX_SCOPE_LINE);
  g_assert_cmpint (kassa_invoice_get_rounding (note), ==, KASSA_ROUNDING_HALF_EVEN);
  g_assert_cmpstr (kassa_invoice_get_buyer_name (note), ==, "Müller & Söhne GmbH");
  g_assert_cmpstr (kassa_invoice_get_buyer_address (note), ==, "Hauptstraße 5\n10115 Berlin");
  g_assert_cmpint (kassa_invoice_get_order_id (note), ==, 77);

  /* Its lines are copies, free to change for a partial credit. */
  line = g_list_model_get_item (kassa_invoice_get_lines (note), 0);
  g_assert_false (kassa_invoice_line_get_locked (line));
  g_assert_cmpstr (kassa_invoice_line_get_description (line), ==, "  as agreed \n");
  g_assert_true (kassa_invoice_line_set_quantity (line, 2500, NULL));
  g_assert_true (kassa_invoice_remove_line (note, 1, NULL));

  g_assert_true (kassa_invoice_issue (note, "CN-2026-00001", issued, &error));
  g_assert_no_error (error);

  /* A credit note is never itself credited; the invoice can be. */
  g_assert_null (kassa_invoice_new_credit_note (note, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  g_assert_false (kassa_invoice_set_status (note, KASSA_INVOICE_STATUS_CREDITED, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);

  g_assert_true (kassa_invoice_set_status (invoice, KASSA_INVOICE_STATUS_CREDITED, &error));
  g_assert_no_error (error);
}

static void
test_credit_note_needs_reference (void)
{
  g_autoptr(KassaInvoice) note = make_draft ();
  g_autoptr(GDateTime) issued = g_date_time_new_utc (2026, 11, 25, 0, 0, 0);
  g_autoptr(GError) error = NULL;

  g_assert_true (kassa_invoice_set_kind (note, KASSA_INVOICE_KIND_CREDIT_NOTE, NULL));
  g_assert_false (kassa_invoice_issue (note, "CN-1", issued, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "A credit note must name the invoice it credits");
  g_clear_error (&error);

  g_assert_true (kassa_invoice_set_kind (note, KASSA_INVOICE_KIND_INVOICE, NULL));
  g_assert_true (kassa_invoice_set_credited_invoice_id (note, 4, NULL));
  g_assert_false (kassa_invoice_issue (note, "INV-1", issued, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
}

static void
test_load_by_replay (void)
{
  g_autoptr(KassaInvoice) invoice = make_draft ();
  g_autoptr(GDateTime) issued = g_date_time_new_utc (2026, 11, 25, 0, 0, 0);
  g_autoptr(GError) error = NULL;

  /* How the store rebuilds an issued invoice: fields, lines, then status. */
  g_assert_true (kassa_invoice_set_reference (invoice, "INV-2026-00003", NULL));
  g_assert_true (kassa_invoice_set_issue_date (invoice, issued, NULL));
  g_assert_true (kassa_invoice_set_status (invoice, KASSA_INVOICE_STATUS_ISSUED, &error));
  g_assert_no_error (error);
  g_assert_true (kassa_invoice_is_locked (invoice));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/invoice/properties", test_properties);
  g_test_add_func ("/kassa/invoice/public-token", test_public_token);
  g_test_add_func ("/kassa/invoice/issue", test_issue);
  g_test_add_func ("/kassa/invoice/issued-locks", test_issued_locks);
  g_test_add_func ("/kassa/invoice/payment", test_payment);
  g_test_add_func ("/kassa/invoice/credit-note", test_credit_note);
  g_test_add_func ("/kassa/invoice/credit-note-needs-reference", test_credit_note_needs_reference);
  g_test_add_func ("/kassa/invoice/load-by-replay", test_load_by_replay);

  return g_test_run ();
}
