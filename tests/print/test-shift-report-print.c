/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kassa-shift-report-print.h"
#include "print-test-utils.h"

static KassaShiftReportPrint *
make_z_report (gint64 difference)
{
  g_autoptr(KassaStoreProfile) profile = test_make_profile ();
  g_autoptr(GDateTime) opened = test_make_time (3, 8, 0);
  g_autoptr(GDateTime) closed = test_make_time (3, 18, 30);
  g_autoptr(GError) error = NULL;
  KassaShiftReportPrint *report;

  report = kassa_shift_report_print_new (profile, "CHF", TRUE, &error);
  g_assert_no_error (error);
  kassa_shift_report_print_set_shift (report, 42, "Front counter", "Carl Cashier", opened,
                                      "Mia Manager", closed);
  /* 200.00 + 12.95 − 3.00 + 5.00 − 15.00 = 199.95 expected. */
  kassa_shift_report_print_set_drawer (report, 20000, 1295, 300, 500, 1500, 2,
                                       19995, 19995 + difference, difference);
  kassa_shift_report_print_add_count (report, 10000, 1);
  kassa_shift_report_print_add_count (report, 5000, 1);
  kassa_shift_report_print_add_count (report, 2000, 2);
  kassa_shift_report_print_add_tender (report, "Cash", 1, 1295);
  kassa_shift_report_print_add_tender (report, "Stripe QR", 3, 8450);
  kassa_shift_report_print_add_tender (report, "Card reader (Stripe)", 1, 2000);
  kassa_shift_report_print_set_card_total (report, 10450);
  kassa_shift_report_print_set_journal (report, 1207,
                                        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
  return report;
}

/* pdftotext -layout keeps a label and its amount on one line; runs of
 * white space become one space so the checks read as the paper does. */
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

static char *
pdf_text_of (KassaShiftReportPrint *report,
             const char            *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *path = NULL;

  pdf = kassa_print_shift_report_to_pdf_bytes (report, KASSA_RECEIPT_PAPER_80MM, &error);
  g_assert_no_error (error);
  g_assert_true (memcmp (g_bytes_get_data (pdf, NULL), "%PDF", 4) == 0);
  path = test_write_tmp (dir, "z.pdf", pdf);
  return layout_text (path);
}

static void
test_z_pdf (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kassa-zprint-XXXXXX", &error);
  g_autoptr(KassaShiftReportPrint) short_report = make_z_report (-145);
  g_autoptr(KassaShiftReportPrint) over_report = make_z_report (2300);
  g_autoptr(KassaShiftReportPrint) even_report = make_z_report (0);
  g_autofree char *text = NULL;
  g_autofree char *over = NULL;
  g_autofree char *even = NULL;
  g_autofree char *pdf = NULL;

  g_assert_no_error (error);
  text = pdf_text_of (short_report, dir);
  if (text == NULL)
    goto out;

  g_assert_nonnull (strstr (text, "Z REPORT 42"));
  g_assert_nonnull (strstr (text, "Front counter"));
  g_assert_nonnull (strstr (text, "Opened by Carl Cashier"));
  g_assert_nonnull (strstr (text, "Closed by Mia Manager"));
  g_assert_nonnull (strstr (text, "Opening float CHF 200.00"));
  g_assert_nonnull (strstr (text, "Cash sales CHF 12.95"));
  g_assert_nonnull (strstr (text, "Paid in CHF 5.00"));
  g_assert_nonnull (strstr (text, "Expected cash CHF 199.95"));
  g_assert_nonnull (strstr (text, "Counted cash CHF 198.50"));
  g_assert_nonnull (strstr (text, "SHORT CHF 1.45"));
  g_assert_null (strstr (text, "OVER"));
  g_assert_nonnull (strstr (text, "2 × CHF 20.00 CHF 40.00"));
  g_assert_nonnull (strstr (text, "Stripe QR (3 payments) CHF 84.50"));
  g_assert_nonnull (strstr (text, "Cash (1 payment) CHF 12.95"));
  g_assert_nonnull (strstr (text, "Card reader (Stripe) (1 payment) CHF 20.00"));
  g_assert_nonnull (strstr (text, "Card totals Card and QR, to reconcile CHF 104.50"));
  /* The journal anchor, for `kassa-cli journal verify --anchor`. */
  g_assert_nonnull (strstr (text, "Journal Anchor 1207:9f86d081884c7d65"));
  g_assert_null (strstr (text, "9f86d081884c7d659"));

  over = pdf_text_of (over_report, dir);
  g_assert_nonnull (strstr (over, "OVER CHF 23.00"));
  g_assert_null (strstr (over, "SHORT"));
  even = pdf_text_of (even_report, dir);
  g_assert_nonnull (strstr (even, "Balanced"));

out:
  pdf = g_build_filename (dir, "z.pdf", NULL);
  g_unlink (pdf);
  g_rmdir (dir);
}

static void
test_x_report (void)
{
  g_autoptr(KassaStoreProfile) profile = test_make_profile ();
  g_autoptr(GDateTime) opened = test_make_time (3, 8, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaShiftReportPrint) report = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kassa-xprint-XXXXXX", &error);
  g_autofree char *text = NULL;
  g_autofree char *pdf = NULL;

  report = kassa_shift_report_print_new (profile, "CHF", FALSE, &error);
  g_assert_no_error (error);
  g_assert_false (kassa_shift_report_print_get_final (report));
  kassa_shift_report_print_set_shift (report, 0, "Front counter", "Carl Cashier", opened, NULL, NULL);
  kassa_shift_report_print_set_drawer (report, 20000, 0, 0, 0, 0, 0, 20000, 0, 0);

  text = pdf_text_of (report, dir);
  if (text != NULL)
    {
      g_assert_nonnull (strstr (text, "X REPORT"));
      g_assert_nonnull (strstr (text, "No payments taken"));
      /* Before the count nobody may see a difference. */
      g_assert_null (strstr (text, "Counted"));
      g_assert_null (strstr (text, "SHORT"));
      g_assert_null (strstr (text, "Closed by"));
      g_assert_null (strstr (text, "Anchor"));
    }
  pdf = g_build_filename (dir, "z.pdf", NULL);
  g_unlink (pdf);
  g_rmdir (dir);
}

static void
test_raster (void)
{
  g_autoptr(KassaShiftReportPrint) report = make_z_report (-145);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) escpos = NULL;
  cairo_surface_t *image;
  const guint8 *data;
  gsize size;
  double height = kassa_shift_report_print_measure (report, KASSA_RECEIPT_PAPER_58MM);

  /* Long enough for its sections, yet one strip of paper. */
  g_assert_cmpfloat (height, >, 200.0);
  g_assert_cmpfloat (height, <, 1200.0);

  png = kassa_print_shift_report_to_png_bytes (report, KASSA_RECEIPT_PAPER_58MM, &error);
  g_assert_no_error (error);
  g_assert_true (memcmp (g_bytes_get_data (png, NULL), "\x89PNG", 4) == 0);

  image = kassa_shift_report_print_render_image (report, KASSA_RECEIPT_PAPER_58MM, 8.0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, 384);
  cairo_surface_destroy (image);

  /* ESC @, then a GS v 0 block 48 bytes (384 dots) wide, a cut at the
   * end and never a drawer pulse. */
  escpos = kassa_print_shift_report_to_escpos_bytes (report, KASSA_RECEIPT_PAPER_58MM, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (escpos, &size);
  g_assert_cmpuint (size, >, 100);
  g_assert_cmpint (data[0], ==, 0x1b);
  g_assert_cmpint (data[1], ==, '@');
  g_assert_cmpint (data[2], ==, 0x1d);
  g_assert_cmpint (data[3], ==, 'v');
  g_assert_cmpint (data[4], ==, '0');
  g_assert_cmpint (data[6] | (data[7] << 8), ==, 48);
  g_assert_null (memmem (data, size, "\x1bp", 2));
  g_assert_nonnull (memmem (data + size - 8, 8, "\x1dV", 2));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/shift-report-print/z-pdf", test_z_pdf);
  g_test_add_func ("/kassa/shift-report-print/x-report", test_x_report);
  g_test_add_func ("/kassa/shift-report-print/raster", test_raster);

  return g_test_run ();
}
