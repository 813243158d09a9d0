/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kassa-print-operation.h"
#include "kassa-test-ui.h"
#include "../print/print-test-utils.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("kassa-print-op-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "out.pdf", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *keep = g_getenv ("KASSA_TEST_KEEP_DIR");

  /* Kept on request, to look at the pages. */
  if (keep != NULL && g_file_test (fixture->path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *name = g_strdelimit (g_strdup (g_test_get_path ()), "/", '-');
      g_autofree char *kept = g_strdup_printf ("%s/%s.pdf", keep, name);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_get_contents (fixture->path, &contents, &length, NULL))
        g_file_set_contents (kept, contents, length, NULL);
    }
  g_unlink (fixture->path);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
export (KassaPrintOperation *operation,
        const char          *path)
{
  g_autoptr(GError) error = NULL;
  GtkPrintOperationResult result;

  gtk_print_operation_set_export_filename (kassa_print_operation_get_operation (operation), path);
  result = kassa_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, GTK_PRINT_OPERATION_RESULT_APPLY);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static char *
pdf_info (const char *path)
{
  const char *argv[] = { "pdfinfo", path, NULL };

  return test_run_tool (argv);
}

static void
test_receipt (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(KassaStoreProfile) profile = test_make_profile ();
  g_autoptr(KassaOrder) order = test_make_order ("S-000123");
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(KassaReceipt) receipt = NULL;
  g_autoptr(KassaPrintOperation) operation = NULL;
  g_autofree char *text = NULL;
  g_autofree char *info = NULL;

  test_add_order_line (order, "Espresso beans", 2000, 1490, 26000, 0);
  test_add_order_line (order, "Oat milk", 1000, 350, 26000, 0);
  test_add_payment (order, "cash", "Cash", NULL, 3330);
  totals = test_order_totals (order, 5);
  receipt = kassa_receipt_new (profile, order, totals);
  kassa_receipt_set_cashier_name (receipt, "Carl");

  operation = kassa_print_operation_new_for_receipt (receipt, KASSA_RECEIPT_PAPER_80MM);
  export (operation, fixture->path);

  text = test_pdf_text (fixture->path);
  if (text == NULL)
    return;
  g_assert_nonnull (strstr (text, "S-000123"));
  g_assert_nonnull (strstr (text, "Espresso beans"));
  g_assert_nonnull (strstr (text, "Oat milk"));
  g_assert_nonnull (strstr (text, "Carl"));
  g_assert_nonnull (strstr (text, "33.30"));

  /* One page as wide as the 80 mm roll. */
  info = pdf_info (fixture->path);
  g_assert_nonnull (strstr (info, "Pages:           1\n"));
  g_assert_nonnull (strstr (info, "Page size:       226.772 x "));
}

static void
test_invoice_pages (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(KassaStoreProfile) profile = test_make_profile ();
  g_autoptr(KassaInvoice) invoice = test_make_invoice (120);
  g_autoptr(KassaTotals) totals = test_invoice_totals (invoice);
  g_autoptr(KassaInvoiceDocument) document = kassa_invoice_document_new (profile, invoice, totals);
  g_autoptr(KassaPrintOperation) operation = NULL;
  g_autofree char *text = NULL;
  g_autofree char *info = NULL;
  g_autofree char *pages = NULL;
  g_autofree char *last = NULL;
  guint n_pages = kassa_invoice_document_get_n_pages (document, 595.28, 841.89);

  g_assert_cmpuint (n_pages, >, 1);
  operation = kassa_print_operation_new_for_invoice (document, KASSA_PAGE_FORMAT_A4);
  export (operation, fixture->path);

  info = pdf_info (fixture->path);
  if (info == NULL)
    return;
  /* The page count follows the layout on the page the operation used. */
  pages = g_strdup_printf ("Pages:           %u\n", n_pages);
  g_assert_nonnull (strstr (info, pages));
  g_assert_nonnull (strstr (info, "Page size:       595.276 x 841.89 pts (A4)"));

  text = test_pdf_text (fixture->path);
  last = g_strdup_printf ("Page %u of %u", n_pages, n_pages);
  g_assert_nonnull (strstr (text, "INV-2026-000017"));
  g_assert_nonnull (strstr (text, "Item 001"));
  g_assert_nonnull (strstr (text, "Item 120"));
  g_assert_nonnull (strstr (text, "Page 1 of"));
  g_assert_nonnull (strstr (text, last));
}

static void
test_shift_report (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(KassaStoreProfile) profile = test_make_profile ();
  g_autoptr(GDateTime) opened = test_make_time (3, 8, 0);
  g_autoptr(GDateTime) closed = test_make_time (3, 18, 0);
  g_autoptr(KassaShiftReportPrint) report = NULL;
  g_autoptr(KassaPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  report = kassa_shift_report_print_new (profile, "CHF", TRUE, &error);
  g_assert_no_error (error);
  kassa_shift_report_print_set_shift (report, 7, "Front counter", "Carl", opened, "Mia", closed);
  kassa_shift_report_print_set_drawer (report, 20000, 5000, 0, 0, 0, 0, 25000, 24800, -200);
  kassa_shift_report_print_add_tender (report, "Cash", 4, 5000);

  operation = kassa_print_operation_new_for_shift_report (report, KASSA_RECEIPT_PAPER_58MM);
  export (operation, fixture->path);

  text = test_pdf_text (fixture->path);
  if (text == NULL)
    return;
  g_assert_nonnull (strstr (text, "Z REPORT 7"));
  g_assert_nonnull (strstr (text, "SHORT"));
  g_assert_nonnull (strstr (text, "CHF 2.00"));
}

static void
test_finalize (void)
{
  g_autoptr(KassaStoreProfile) profile = test_make_profile ();
  g_autoptr(KassaOrder) order = test_make_order ("S-000124");
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(KassaReceipt) receipt = NULL;
  KassaPrintOperation *operation;
  GtkPrintOperation *gtk_operation;

  test_add_order_line (order, "Tea", 1000, 400, 26000, 0);
  totals = test_order_totals (order, 0);
  receipt = kassa_receipt_new (profile, order, totals);

  operation = kassa_print_operation_new_for_receipt (receipt, KASSA_RECEIPT_PAPER_58MM);
  gtk_operation = kassa_print_operation_get_operation (operation);
  g_object_add_weak_pointer (G_OBJECT (operation), (gpointer *) &operation);
  g_object_add_weak_pointer (G_OBJECT (gtk_operation), (gpointer *) &gtk_operation);
  g_object_unref (operation);
  g_assert_null (operation);
  g_assert_null (gtk_operation);
}

int
main (int   argc,
      char *argv[])
{
  if (!kassa_test_ui_init (&argc, &argv))
    {
      g_test_add_func ("/kassa/print-operation/no-display", kassa_test_ui_skip_no_display);
      return g_test_run ();
    }

  g_test_add_func ("/kassa/print-operation/finalize", test_finalize);
  g_test_add ("/kassa/print-operation/receipt", Fixture, NULL,
              fixture_set_up, test_receipt, fixture_tear_down);
  g_test_add ("/kassa/print-operation/invoice-pages", Fixture, NULL,
              fixture_set_up, test_invoice_pages, fixture_tear_down);
  g_test_add ("/kassa/print-operation/shift-report", Fixture, NULL,
              fixture_set_up, test_shift_report, fixture_tear_down);

  return g_test_run ();
}
