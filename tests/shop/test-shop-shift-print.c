/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kassa-cart-repository.h"
#include "kassa-catalog-repository.h"
#include "kassa-error.h"
#include "kassa-settings-repository.h"
#include "kassa-shop-checkout.h"
#include "kassa-shop-private.h"
#include "kassa-shop-shift-print.h"
#include "kassa-shop-staff.h"
#include "../print/print-test-utils.h"

typedef struct
{
  char      *dir;
  KassaShop *shop;
  gint64     beans_id;
  gint64     tasting_id;
  gint64     admin_id;
  gint64     manager_id;
  gint64     cashier_id;
  gint64     viewer_id;
  gint64     approver_id;
} Fixture;

static gint64
create_staff (Fixture        *fixture,
              const char     *name,
              KassaStaffRole  role)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = kassa_shop_create_staff (fixture->shop, name, role, "1357", KASSA_PIN_COST_MINIMUM, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static void
sign_in (Fixture *fixture,
         gint64   staff_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_assert_true (kassa_shop_sign_in (fixture->shop, staff_id, "1357", now, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(KassaSettingsRepository) settings_repository = NULL;
  g_autoptr(KassaStoreSettings) settings = NULL;
  g_autoptr(KassaCatalogRepository) catalog = NULL;
  g_autoptr(KassaCatalogItem) beans = NULL;
  KassaDatabase *database;

  fixture->dir = g_dir_make_tmp ("kassa-shift-print-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "shop.db", NULL);
  fixture->shop = kassa_shop_open (path, &error);
  g_assert_no_error (error);
  kassa_shop_act_as_system (fixture->shop);
  database = kassa_shop_get_database (fixture->shop);

  /* A Swiss shop: prices include tax, cash rounds to 0.05. */
  settings_repository = kassa_settings_repository_new (database);
  settings = kassa_settings_repository_load_settings (settings_repository, "CHF", &error);
  g_assert_no_error (error);
  kassa_store_settings_set_prices_include_tax (settings, TRUE);
  kassa_store_settings_set_cash_rounding_step (settings, 5);
  g_assert_true (kassa_settings_repository_save_settings (settings_repository, settings, &error));

  beans = g_object_new (KASSA_TYPE_CATALOG_ITEM,
                        "name", "Beans", "sku", "BEANS", "kind", KASSA_ITEM_KIND_PRODUCT,
                        "price", 1295, "currency-code", "CHF", "tax-rate", 26000,
                        "stock-on-hand", 100000, "status", KASSA_ITEM_STATUS_ACTIVE, NULL);
  catalog = kassa_catalog_repository_new (database);
  fixture->beans_id = kassa_catalog_repository_insert (catalog, beans, &error);
  g_assert_no_error (error);

  fixture->admin_id = create_staff (fixture, "Ada", KASSA_STAFF_ROLE_ADMIN);
  fixture->manager_id = create_staff (fixture, "Mia", KASSA_STAFF_ROLE_MANAGER);
  fixture->cashier_id = create_staff (fixture, "Carl", KASSA_STAFF_ROLE_CASHIER);
  fixture->viewer_id = create_staff (fixture, "Vera", KASSA_STAFF_ROLE_VIEWER);
  fixture->approver_id = create_staff (fixture, "Rob", KASSA_STAFF_ROLE_REFUND_APPROVER);
  kassa_shop_sign_out (fixture->shop);
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
      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

/* Sells one bag of beans (12.95) with one tender. */
static void
sell_beans (Fixture    *fixture,
            const char *provider)
{
  KassaDatabase *database = kassa_shop_get_database (fixture->shop);
  g_autoptr(KassaCatalogRepository) catalog = kassa_catalog_repository_new (database);
  g_autoptr(KassaCartRepository) carts = kassa_cart_repository_new (database);
  g_autoptr(KassaCart) cart = g_object_new (KASSA_TYPE_CART, "currency-code", "CHF", NULL);
  g_autoptr(KassaCatalogItem) beans = kassa_catalog_repository_get (catalog, fixture->beans_id, NULL);
  g_autoptr(GPtrArray) payments = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  KassaPayment *payment;
  gint64 cart_id;

  g_assert_true (kassa_cart_add_item (cart, beans, 1000, NULL, &error));
  cart_id = kassa_cart_repository_create (carts, cart, 0, &error);
  g_assert_no_error (error);

  payment = kassa_payment_new ();
  kassa_payment_set_provider_id (payment, provider);
  kassa_payment_set_amount (payment, 1295);
  kassa_payment_set_method_label (payment, provider);
  g_ptr_array_add (payments, payment);

  order = kassa_shop_complete_sale (fixture->shop, cart_id, payments, now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (order);
}

static char *
layout_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-layout", "-enc", "UTF-8", path, "-", NULL };
  g_autofree char *raw = test_run_tool (argv);
  g_autoptr(GRegex) spaces = g_regex_new ("\\s+", 0, 0, NULL);

  if (raw == NULL)
    return NULL;
  return g_regex_replace_literal (spaces, raw, -1, 0, " ", 0, NULL);
}

static void
test_print_z_report (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaShiftReport) z = NULL;
  g_autoptr(KassaShiftReport) x = NULL;
  g_autoptr(GBytes) x_pdf = NULL;
  g_autoptr(GBytes) escpos = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *pdf_path = g_build_filename (fixture->dir, "z-1.pdf", NULL);
  g_autofree char *again_path = g_build_filename (fixture->dir, "z-1-again.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  /* 100 + 50 + 2 × 20 + 3 × 2 + 0.50 = 196.50 against 197.95 expected. */
  const KassaDenominationCount count[] = { { 10000, 1 }, { 5000, 1 }, { 2000, 2 }, { 200, 3 }, { 50, 1 } };
  gint64 shift_id;

  sign_in (fixture, fixture->cashier_id);
  shift_id = kassa_shop_open_shift (fixture->shop, NULL, 20000, &error);
  g_assert_no_error (error);
  sell_beans (fixture, KASSA_PAYMENT_PROVIDER_CASH);
  sell_beans (fixture, "stripe_checkout");
  g_assert_cmpint (kassa_shop_paid_out (fixture->shop, NULL, 1500, "Window cleaner", &error), >, 0);

  /* The X report prints too, without a count or a difference. */
  sign_in (fixture, fixture->manager_id);
  x = kassa_shop_get_x_report (fixture->shop, NULL, &error);
  g_assert_no_error (error);
  x_pdf = kassa_shop_render_shift_report (fixture->shop, x, KASSA_SHOP_RECEIPT_FORMAT_PDF,
                                          KASSA_RECEIPT_PAPER_80MM, &error);
  g_assert_no_error (error);
  g_assert_true (memcmp (g_bytes_get_data (x_pdf, NULL), "%PDF", 4) == 0);

  sign_in (fixture, fixture->cashier_id);
  z = kassa_shop_close_shift (fixture->shop, NULL, count, G_N_ELEMENTS (count), &error);
  g_assert_no_error (error);
  escpos = kassa_shop_render_shift_report (fixture->shop, z, KASSA_SHOP_RECEIPT_FORMAT_ESCPOS,
                                           KASSA_RECEIPT_PAPER_80MM, &error);
  g_assert_no_error (error);
  g_assert_cmpint (((const guint8 *) g_bytes_get_data (escpos, NULL))[0], ==, 0x1b);

  /* A cashier sees the Z report at close but does not read old ones. */
  g_assert_false (kassa_shop_print_z_report (fixture->shop, shift_id, KASSA_SHOP_RECEIPT_FORMAT_PDF,
                                             KASSA_RECEIPT_PAPER_80MM, pdf_path, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (g_file_test (pdf_path, G_FILE_TEST_EXISTS));

  sign_in (fixture, fixture->manager_id);
  g_assert_true (kassa_shop_print_z_report (fixture->shop, shift_id, KASSA_SHOP_RECEIPT_FORMAT_PDF,
                                            KASSA_RECEIPT_PAPER_80MM, pdf_path, &error));
  g_assert_no_error (error);

  entries = kassa_audit_log_list_recent (kassa_shop_get_audit_log (fixture->shop), 0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((KassaAuditEntry *) g_ptr_array_index (entries, 0))->action, ==, "shift.z-report.print");

  text = layout_text (pdf_path);
  if (text == NULL)
    return;
  g_assert_nonnull (strstr (text, "Z REPORT 1"));
  g_assert_nonnull (strstr (text, "Opened by Carl"));
  g_assert_nonnull (strstr (text, "Closed by Carl"));
  g_assert_nonnull (strstr (text, "Expected cash CHF 197.95"));
  g_assert_nonnull (strstr (text, "Counted cash CHF 196.50"));
  g_assert_nonnull (strstr (text, "SHORT CHF 1.45"));
  g_assert_nonnull (strstr (text, "Paid out -CHF 15.00"));
  g_assert_nonnull (strstr (text, "Cash (1 payment) CHF 12.95"));
  g_assert_nonnull (strstr (text, "Stripe QR (1 payment) CHF 12.95"));
  g_assert_nonnull (strstr (text, "3 × CHF 2.00 CHF 6.00"));

  /* Kept: printed again later, it is the very same report. */
  g_assert_true (kassa_shop_print_z_report (fixture->shop, shift_id, KASSA_SHOP_RECEIPT_FORMAT_PDF,
                                            KASSA_RECEIPT_PAPER_80MM, again_path, &error));
  g_assert_no_error (error);
  again = layout_text (again_path);
  g_assert_cmpstr (again, ==, text);

  /* An open shift has no Z report to print. */
  g_assert_cmpint (kassa_shop_open_shift (fixture->shop, NULL, 20000, &error), >, shift_id);
  g_assert_false (kassa_shop_print_z_report (fixture->shop, shift_id + 1, KASSA_SHOP_RECEIPT_FORMAT_PDF,
                                             KASSA_RECEIPT_PAPER_80MM, again_path, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/kassa/shop-shift-print/z-report", Fixture, NULL,
              fixture_set_up, test_print_z_report, fixture_tear_down);

  return g_test_run ();
}
