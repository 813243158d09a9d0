/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "kassa-cart-repository.h"
#include "kassa-catalog-repository.h"
#include "kassa-error.h"
#include "kassa-settings-repository.h"
#include "kassa-shift-repository.h"
#include "kassa-shop-checkout.h"
#include "kassa-shop-invoices.h"
#include "kassa-shop-orders.h"
#include "kassa-shop-print.h"
#include "kassa-shop-private.h"
#include "kassa-shop-staff.h"
#include "kassa-staff-repository.h"

#include "../print/print-test-utils.h"

typedef struct
{
  char      *dir;
  KassaShop *shop;
  GDateTime *now;
} Fixture;

static const char *paid_order =
  "[{\"number\": \"W-1001\", \"customer\": {\"name\": \"Ada Lovelace\", \"email\": \"ada@example.org\"},"
  "  \"currency\": \"EUR\", \"prices_include_tax\": true,"
  "  \"lines\": [{\"sku\": \"TEA-1\", \"name\": \"Green tea\", \"quantity\": \"2\", \"unit_price\": \"4.50\", \"tax_rate\": \"7\"},"
  "             {\"name\": \"Teapot\", \"quantity\": 1, \"unit_price\": \"29.90\", \"tax_rate\": \"19\","
  "              \"delivery_method\": \"delivery\"}],"
  "  \"shipping_cost\": \"4.90\", \"shipping_address\": \"12 Analytical Row\\nLondon\","
  "  \"payment\": {\"status\": \"paid\", \"method\": \"Visa\", \"amount\": \"43.80\", \"paid_at\": \"2026-03-01T10:00:00Z\"}}]";

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(KassaSettingsRepository) settings = NULL;
  g_autoptr(KassaStoreProfile) profile = kassa_store_profile_new ();

  fixture->dir = g_dir_make_tmp ("kassa-shop-print-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "shop.db", NULL);
  fixture->shop = kassa_shop_open (path, &error);
  g_assert_no_error (error);
  kassa_shop_act_as_system (fixture->shop);
  fixture->now = g_date_time_new_utc (2026, 3, 10, 9, 30, 0);

  settings = kassa_settings_repository_new (kassa_shop_get_database (fixture->shop));
  kassa_store_profile_set_name (profile, "Teehaus Lovelace");
  kassa_store_profile_set_receipt_footer (profile, "Thank you for your visit");
  g_assert_true (kassa_settings_repository_save_profile (settings, profile, &error));
  g_assert_no_error (error);
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

static gint64
import_order (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = kassa_shop_import_orders (fixture->shop, paid_order, -1, NULL, NULL, &error);

  g_assert_no_error (error);
  return json_object_get_int_member (json_array_get_object_element (json_node_get_array (result), 0), "id");
}

static guint64
count_audit (Fixture    *fixture,
             const char *action,
             gint64      order_id)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, order_id);
  g_autoptr(GError) error = NULL;
  guint64 count = 0;

  g_assert_true (kassa_audit_log_count (kassa_shop_get_audit_log (fixture->shop), action, "order", id,
                                        &count, &error));
  g_assert_no_error (error);
  return count;
}

/* Prints the receipt to NAME in the folder and returns its text. */
static char *
print_pdf (Fixture           *fixture,
           gint64             order_id,
           const char        *name,
           KassaReceiptPaper  paper,
           guint             *reprint)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (kassa_shop_print_receipt (fixture->shop, order_id, KASSA_SHOP_RECEIPT_FORMAT_PDF, paper,
                                           path, reprint, &error));
  g_assert_no_error (error);

  return test_pdf_text (path);
}

static void
test_reprints (Fixture       *fixture,
               gconstpointer  data)
{
  gint64 order_id = import_order (fixture);
  g_autofree char *original = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  guint reprint = 99;

  original = print_pdf (fixture, order_id, "original.pdf", KASSA_RECEIPT_PAPER_80MM, &reprint);
  if (original == NULL)
    return;
  g_assert_cmpuint (reprint, ==, 0);
  g_assert_nonnull (strstr (original, "W-1001"));
  g_assert_nonnull (strstr (original, "Teehaus Lovelace"));
  g_assert_nonnull (strstr (original, "Thank you for your visit"));
  g_assert_nonnull (strstr (original, "43.80"));
  g_assert_nonnull (strstr (original, "Visa"));
  g_assert_nonnull (strstr (original, "12 Analytical Row London"));
  g_assert_null (strstr (original, "DUPLICATE"));
  g_assert_cmpuint (count_audit (fixture, "receipt.print", order_id), ==, 1);
  g_assert_cmpuint (count_audit (fixture, "receipt.reprint", order_id), ==, 0);

  first = print_pdf (fixture, order_id, "first.pdf", KASSA_RECEIPT_PAPER_58MM, &reprint);
  g_assert_cmpuint (reprint, ==, 1);
  g_assert_nonnull (strstr (first, "DUPLICATE"));
  g_assert_nonnull (strstr (first, "Reprint 1"));
  g_assert_nonnull (strstr (first, "W-1001"));

  second = print_pdf (fixture, order_id, "second.pdf", KASSA_RECEIPT_PAPER_80MM, &reprint);
  g_assert_cmpuint (reprint, ==, 2);
  g_assert_nonnull (strstr (second, "Reprint 2"));

  /* The log holds one original and every reprint. */
  g_assert_cmpuint (count_audit (fixture, "receipt.print", order_id), ==, 1);
  g_assert_cmpuint (count_audit (fixture, "receipt.reprint", order_id), ==, 2);
}

/* The till printed the receipt at the sale: the first print asked for
 * afterwards is already a duplicate, and recording twice counts once. */
static void
test_printed_at_sale (Fixture       *fixture,
                      gconstpointer  data)
{
  gint64 order_id = import_order (fixture);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  guint reprint = 99;

  g_assert_true (kassa_shop_record_receipt_printed (fixture->shop, order_id, &error));
  g_assert_no_error (error);
  g_assert_true (kassa_shop_record_receipt_printed (fixture->shop, order_id, &error));
  g_assert_cmpuint (count_audit (fixture, "receipt.print", order_id), ==, 1);

  text = print_pdf (fixture, order_id, "again.pdf", KASSA_RECEIPT_PAPER_80MM, &reprint);
  g_assert_cmpuint (reprint, ==, 1);
  if (text != NULL)
    g_assert_nonnull (strstr (text, "DUPLICATE"));
  g_assert_cmpuint (count_audit (fixture, "receipt.reprint", order_id), ==, 1);
}

static void
test_failed_write (Fixture       *fixture,
                   gconstpointer  data)
{
  gint64 order_id = import_order (fixture);
  g_autofree char *path = g_build_filename (fixture->dir, "missing", "receipt.pdf", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  guint reprint = 99;

  g_assert_false (kassa_shop_print_receipt (fixture->shop, order_id, KASSA_SHOP_RECEIPT_FORMAT_PDF,
                                            KASSA_RECEIPT_PAPER_80MM, path, &reprint, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_cmpuint (reprint, ==, 99);
  g_assert_cmpuint (count_audit (fixture, "receipt.print", order_id), ==, 0);

  /* What never came out of the printer was no original. */
  text = print_pdf (fixture, order_id, "receipt.pdf", KASSA_RECEIPT_PAPER_80MM, &reprint);
  g_assert_cmpuint (reprint, ==, 0);
  if (text != NULL)
    g_assert_null (strstr (text, "DUPLICATE"));
}

static void
test_formats (Fixture       *fixture,
              gconstpointer  data)
{
  gint64 order_id = import_order (fixture);
  g_autofree char *png = g_build_filename (fixture->dir, "receipt.PNG", NULL);
  g_autofree char *escpos = g_build_filename (fixture->dir, "receipt.escpos", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  KassaShopReceiptFormat format;
  gsize length = 0;

  g_assert_true (kassa_shop_receipt_format_from_path (png, &format));
  g_assert_cmpint (format, ==, KASSA_SHOP_RECEIPT_FORMAT_PNG);
  g_assert_true (kassa_shop_receipt_format_from_path ("r.pdf", &format));
  g_assert_cmpint (format, ==, KASSA_SHOP_RECEIPT_FORMAT_PDF);
  g_assert_true (kassa_shop_receipt_format_from_path (escpos, &format));
  g_assert_cmpint (format, ==, KASSA_SHOP_RECEIPT_FORMAT_ESCPOS);
  g_assert_false (kassa_shop_receipt_format_from_path ("receipt.txt", &format));

  g_assert_true (kassa_shop_print_receipt (fixture->shop, order_id, KASSA_SHOP_RECEIPT_FORMAT_PNG,
                                           KASSA_RECEIPT_PAPER_80MM, png, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (png, &contents, &length, &error));
  g_assert_cmpuint (length, >, 8);
  g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);
  g_clear_pointer (&contents, g_free);

  g_assert_true (kassa_shop_print_receipt (fixture->shop, order_id, KASSA_SHOP_RECEIPT_FORMAT_ESCPOS,
                                           KASSA_RECEIPT_PAPER_58MM, escpos, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (escpos, &contents, &length, &error));
  g_assert_cmpuint (length, >, 20);
  /* ESC @, a raster block 48 bytes (384 dots) wide, and the cut at the
   * end with no drawer pulse before it: a reprint opens no drawer. */
  g_assert_cmpmem (contents, 2, "\x1b@", 2);
  g_assert_cmpmem (contents + 2, 6, "\x1dv0\0\x30\0", 6);
  g_assert_cmpmem (contents + length - 4, 4, "\x1dV\x42\0", 4);
  g_assert_false (contents[length - 12] == 0x1b && contents[length - 11] == 'p');
  g_assert_cmpuint (count_audit (fixture, "receipt.print", order_id), ==, 1);
  g_assert_cmpuint (count_audit (fixture, "receipt.reprint", order_id), ==, 1);
}

/* The text with all white space and hyphens taken out, so a URL wrapped
 * over lines reads whole: pdftotext drops a hyphen that ends a line as
 * if it were hyphenation, and tokens may hold hyphens. */
static char *
squeeze (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isspace (*p) && *p != '-')
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

static void
test_invoice_link (Fixture       *fixture,
                   gconstpointer  data)
{
  gint64 order_id = import_order (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaInvoice) invoice = NULL;
  g_autoptr(KassaReceipt) receipt = NULL;
  g_autofree char *link = NULL;
  g_autofree char *text = NULL;
  g_autofree char *squeezed = NULL;
  g_autofree char *squeezed_link = NULL;

  /* Without an invoice there is no link to print. */
  receipt = kassa_shop_build_receipt (fixture->shop, order_id, &error);
  g_assert_no_error (error);
  g_assert_null (kassa_receipt_get_invoice_link (receipt));
  g_assert_cmpuint (kassa_receipt_get_reprint_count (receipt), ==, 0);
  g_clear_object (&receipt);

  g_assert_true (kassa_shop_set_invoice_link_base (fixture->shop, "https://k.example/i/", &error));
  invoice = kassa_shop_invoice_order (fixture->shop, order_id, fixture->now, &error);
  g_assert_no_error (error);
  link = g_strconcat ("https://k.example/i/", kassa_invoice_get_public_token (invoice), NULL);

  receipt = kassa_shop_build_receipt (fixture->shop, order_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_receipt_get_invoice_link (receipt), ==, link);

  text = print_pdf (fixture, order_id, "receipt.pdf", KASSA_RECEIPT_PAPER_80MM, NULL);
  if (text == NULL)
    return;
  squeezed = squeeze (text);
  squeezed_link = squeeze (link);
  g_assert_nonnull (strstr (squeezed, squeezed_link));
}

static void
test_cash_sale (Fixture       *fixture,
                gconstpointer  data)
{
  KassaDatabase *database = kassa_shop_get_database (fixture->shop);
  g_autoptr(KassaSettingsRepository) settings_repository = kassa_settings_repository_new (database);
  g_autoptr(KassaCatalogRepository) catalog = kassa_catalog_repository_new (database);
  g_autoptr(KassaCartRepository) carts = kassa_cart_repository_new (database);
  g_autoptr(KassaShiftRepository) shifts = kassa_shift_repository_new (database);
  g_autoptr(KassaStaffRepository) staff = kassa_staff_repository_new (database);
  g_autoptr(KassaStoreSettings) settings = NULL;
  g_autoptr(KassaStaff) cashier = NULL;
  g_autoptr(KassaCart) cart = g_object_new (KASSA_TYPE_CART, "currency-code", "CHF", NULL);
  g_autoptr(KassaCatalogItem) beans = NULL;
  g_autoptr(GPtrArray) payments = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(KassaPayment) cash = kassa_payment_new ();
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(KassaReceipt) receipt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 cashier_id, cart_id, due = 0;

  /* A Swiss till: gross prices, cash rounded to 0.05 CHF. */
  settings = kassa_settings_repository_load_settings (settings_repository, "CHF", &error);
  g_assert_no_error (error);
  kassa_store_settings_set_prices_include_tax (settings, TRUE);
  kassa_store_settings_set_cash_rounding_step (settings, 5);
  g_assert_true (kassa_settings_repository_save_settings (settings_repository, settings, &error));

  beans = g_object_new (KASSA_TYPE_CATALOG_ITEM, "name", "Coffee beans", "sku", "BEANS",
                        "kind", KASSA_ITEM_KIND_PRODUCT, "price", 1297, "currency-code", "CHF",
                        "tax-rate", 26000, "stock-on-hand", 10000, "status", KASSA_ITEM_STATUS_ACTIVE, NULL);
  g_assert_cmpint (kassa_catalog_repository_insert (catalog, beans, &error), >, 0);
  g_assert_no_error (error);

  kassa_shop_create_staff (fixture->shop, "Owner", KASSA_STAFF_ROLE_ADMIN, "2468", KASSA_PIN_COST_MINIMUM, &error);
  g_assert_no_error (error);
  cashier_id = kassa_shop_create_staff (fixture->shop, "Carla Cashier", KASSA_STAFF_ROLE_CASHIER, "1357",
                                        KASSA_PIN_COST_MINIMUM, &error);
  g_assert_no_error (error);
  cashier = kassa_staff_repository_get (staff, cashier_id, &error);
  g_assert_cmpint (kassa_shift_repository_open (shifts, NULL, cashier_id, "CHF", 20000, &error), >, 0);
  g_assert_no_error (error);

  g_assert_true (kassa_cart_add_item (cart, beans, 1000, NULL, &error));
  cart_id = kassa_cart_repository_create (carts, cart, cashier_id, &error);
  g_assert_no_error (error);

  kassa_shop_set_actor (fixture->shop, cashier);
  g_assert_true (kassa_shop_get_amount_due (fixture->shop, cart_id, TRUE, &due, &error));
  g_assert_no_error (error);
  /* 12.97 rounds to 12.95 in cash. */
  g_assert_cmpint (due, ==, 1295);
  kassa_payment_set_provider_id (cash, KASSA_PAYMENT_PROVIDER_CASH);
  kassa_payment_set_method_label (cash, "Cash");
  kassa_payment_set_amount (cash, due);
  g_ptr_array_add (payments, g_object_ref (cash));
  order = kassa_shop_complete_sale (fixture->shop, cart_id, payments, fixture->now, &error);
  g_assert_no_error (error);

  receipt = kassa_shop_build_receipt (fixture->shop, kassa_order_get_id (order), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_receipt_get_cashier_name (receipt), ==, "Carla Cashier");
  g_assert_cmpint (kassa_totals_get_total (kassa_receipt_get_totals (receipt)), ==, 1297);
  g_assert_cmpint (kassa_totals_get_cash_rounding (kassa_receipt_get_totals (receipt)), ==, -2);
  g_assert_cmpint (kassa_totals_get_amount_due (kassa_receipt_get_totals (receipt)), ==, 1295);

  text = print_pdf (fixture, kassa_order_get_id (order), "sale.pdf", KASSA_RECEIPT_PAPER_80MM, NULL);
  if (text == NULL)
    return;
  g_assert_nonnull (strstr (text, "Carla Cashier"));
  g_assert_nonnull (strstr (text, "Cash rounding"));
  g_assert_nonnull (strstr (text, kassa_order_get_number (order)));
}

static void
test_invoice_pdf (Fixture       *fixture,
                  gconstpointer  data)
{
  gint64 order_id = import_order (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaInvoice) invoice = NULL;
  g_autoptr(KassaInvoice) note = NULL;
  g_autoptr(JsonNode) drafts = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "invoice.pdf", NULL);
  g_autofree char *note_path = g_build_filename (fixture->dir, "credit-note.pdf", NULL);
  g_autofree char *draft_path = g_build_filename (fixture->dir, "draft.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *squeezed = NULL;
  g_autofree char *squeezed_link = NULL;
  g_autofree char *info = NULL;
  g_autofree char *link = NULL;
  const char *pdfinfo[] = { "pdfinfo", NULL, NULL };

  g_assert_true (kassa_shop_set_invoice_link_base (fixture->shop, "https://k.example/i/", &error));
  invoice = kassa_shop_invoice_order (fixture->shop, order_id, fixture->now, &error);
  g_assert_no_error (error);

  g_assert_true (kassa_shop_print_invoice_pdf (fixture->shop, "INV-2026-00001", KASSA_PAGE_FORMAT_LETTER,
                                               path, &error));
  g_assert_no_error (error);
  text = test_pdf_text (path);
  if (text == NULL)
    return;
  g_assert_nonnull (strstr (text, "INV-2026-00001"));
  g_assert_nonnull (strstr (text, "Ada Lovelace"));
  g_assert_nonnull (strstr (text, "Teehaus Lovelace"));
  g_assert_nonnull (strstr (text, "43.80"));
  squeezed = squeeze (text);
  link = g_strconcat ("https://k.example/i/", kassa_invoice_get_public_token (invoice), NULL);
  squeezed_link = squeeze (link);
  g_assert_nonnull (strstr (squeezed, squeezed_link));
  pdfinfo[1] = path;
  info = test_run_tool (pdfinfo);
  g_assert_nonnull (strstr (info, "612 x 792 pts"));
  g_clear_pointer (&text, g_free);

  note = kassa_shop_credit_invoice (fixture->shop, kassa_invoice_get_id (invoice), NULL, 0, fixture->now, &error);
  g_assert_no_error (error);
  g_assert_true (kassa_shop_print_invoice_pdf (fixture->shop, kassa_invoice_get_reference (note),
                                               KASSA_PAGE_FORMAT_A4, note_path, &error));
  g_assert_no_error (error);
  text = test_pdf_text (note_path);
  g_assert_nonnull (strstr (text, "CN-2026-00001"));
  g_assert_nonnull (strstr (text, "INV-2026-00001"));

  /* A draft has no number to print. */
  drafts = kassa_shop_import_invoices (fixture->shop,
                                       "[{\"customer\": {\"name\": \"A\"}, \"currency\": \"EUR\","
                                       "\"issue_date\": \"2026-03-01\", \"due_date\": \"2026-03-31\","
                                       "\"lines\": [{\"name\": \"A\", \"quantity\": \"1\", \"unit_price\": \"1\","
                                       "\"tax_rate\": \"7\"}]}]", -1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (kassa_shop_print_invoice_pdf (fixture->shop, "3", KASSA_PAGE_FORMAT_A4, draft_path, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_false (g_file_test (draft_path, G_FILE_TEST_EXISTS));
}

static void
test_receipt_email (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(KassaOrderRepository) orders = kassa_order_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(KassaOrder) walk_in = kassa_order_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;
  g_autofree char *none = g_strdup ("stale");

  order = kassa_order_repository_load (orders, import_order (fixture), &error);
  g_assert_no_error (error);
  g_assert_true (kassa_shop_get_receipt_email (fixture->shop, order, &email, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (email, ==, "ada@example.org");

  /* The walk-in customer is no one to write to. */
  g_assert_true (kassa_order_set_customer_id (walk_in, KASSA_CUSTOMER_WALK_IN_ID, NULL));
  g_clear_pointer (&none, g_free);
  g_assert_true (kassa_shop_get_receipt_email (fixture->shop, walk_in, &none, &error));
  g_assert_no_error (error);
  g_assert_null (none);

  /* Nobody signed in: no customer data. */
  kassa_shop_sign_out (fixture->shop);
  g_assert_false (kassa_shop_get_receipt_email (fixture->shop, order, &none, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_assert_null (none);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/shop-print/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("reprints", test_reprints);
  ADD ("printed-at-sale", test_printed_at_sale);
  ADD ("failed-write", test_failed_write);
  ADD ("formats", test_formats);
  ADD ("invoice-link", test_invoice_link);
  ADD ("cash-sale", test_cash_sale);
  ADD ("invoice-pdf", test_invoice_pdf);
  ADD ("receipt-email", test_receipt_email);

#undef ADD

  return g_test_run ();
}
