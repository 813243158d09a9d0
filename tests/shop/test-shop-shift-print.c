/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kassa-error.h"
#include "kassa-shop-shift-print.h"
#include "../print/print-test-utils.h"

#include "shift-test-utils.h"

typedef ShiftFixture Fixture;

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

  shift_fixture_sign_in (fixture, fixture->cashier_id);
  shift_id = kassa_shop_open_shift (fixture->shop, NULL, 20000, &error);
  g_assert_no_error (error);
  shift_fixture_sell_beans (fixture, KASSA_PAYMENT_PROVIDER_CASH);
  shift_fixture_sell_beans (fixture, "stripe_checkout");
  g_assert_cmpint (kassa_shop_paid_out (fixture->shop, NULL, 1500, "Window cleaner", &error), >, 0);

  /* The X report prints too, without a count or a difference. */
  shift_fixture_sign_in (fixture, fixture->manager_id);
  x = kassa_shop_get_x_report (fixture->shop, NULL, &error);
  g_assert_no_error (error);
  x_pdf = kassa_shop_render_shift_report (fixture->shop, x, KASSA_SHOP_RECEIPT_FORMAT_PDF,
                                          KASSA_RECEIPT_PAPER_80MM, &error);
  g_assert_no_error (error);
  g_assert_true (memcmp (g_bytes_get_data (x_pdf, NULL), "%PDF", 4) == 0);

  shift_fixture_sign_in (fixture, fixture->cashier_id);
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

  shift_fixture_sign_in (fixture, fixture->manager_id);
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
              shift_fixture_set_up, test_print_z_report, shift_fixture_tear_down);

  return g_test_run ();
}
