/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "kassa-invoice-document.h"
#include "kassa-money.h"

#include "print-test-utils.h"
#include "../core/kassa-test-properties.h"

#define PUBLIC_LINK "https://lumiere.example/i/Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("kassa-invoice-document-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->dir);
}

static void
assert_has_money (const char *text,
                  gint64      minor)
{
  g_autofree char *expected = kassa_money_format_display (kassa_currency_lookup ("EUR", NULL), minor);

  if (strstr (text, expected) == NULL)
    g_error ("amount “%s” not found in “%s”", expected, text);
}

static gboolean
pdf_info (const char *path,
          double     *width,
          double     *height,
          guint      *pages)
{
  const char *argv[] = { "pdfinfo", path, NULL };
  g_autofree char *info = test_run_tool (argv);

  if (info == NULL)
    return FALSE;
  g_assert_cmpint (sscanf (strstr (info, "Page size:"), "Page size: %lf x %lf", width, height), ==, 2);
  g_assert_cmpint (sscanf (strstr (info, "Pages:"), "Pages: %u", pages), ==, 1);
  return TRUE;
}

static char *
page_text (const char *path,
           guint       page)
{
  g_autofree char *number = g_strdup_printf ("%u", page);
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", "-f", number, "-l", number, path, "-", NULL };

  return test_run_tool (argv);
}

static KassaInvoiceDocument *
make_document (guint         n_lines,
               gboolean      paid,
               KassaTotals **totals_out)
{
  g_autoptr(KassaStoreProfile) profile = test_make_profile ();
  g_autoptr(KassaInvoice) invoice = test_make_invoice (n_lines);
  g_autoptr(KassaTotals) totals = test_invoice_totals (invoice);
  g_autoptr(GBytes) logo = test_make_logo_png ();
  KassaInvoiceDocument *document;

  kassa_store_profile_set_logo (profile, logo);
  if (paid)
    {
      g_autoptr(GDateTime) paid_at = test_make_time (5, 14, 30);

      g_assert_true (kassa_invoice_record_payment (invoice, kassa_totals_get_total (totals),
                                                   "Visa •••• 4242", paid_at, NULL));
    }
  document = kassa_invoice_document_new (profile, invoice, totals);
  kassa_invoice_document_set_public_link (document, PUBLIC_LINK);
  if (totals_out != NULL)
    *totals_out = g_steal_pointer (&totals);
  return document;
}

static void
test_fields (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(KassaInvoiceDocument) document = make_document (3, TRUE, &totals);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "invoice.pdf", NULL);
  g_autofree char *text = NULL;
  double width, height;
  guint pages;

  g_assert_true (kassa_print_invoice_to_pdf (document, KASSA_PAGE_FORMAT_A4, path, &error));
  g_assert_no_error (error);
  text = test_pdf_text (path);
  if (text == NULL)
    return;

  /* Seller */
  g_assert_nonnull (strstr (text, "Café Lumière"));
  test_assert_text_has_lines (text, "Rue du Marché 12\n1204 Genève");
  g_assert_nonnull (strstr (text, "CHE-123.456.789 TVA"));
  g_assert_nonnull (strstr (text, "hello@lumiere.example"));
  /* Buyer */
  g_assert_nonnull (strstr (text, "Bill to"));
  g_assert_nonnull (strstr (text, "Müller & Söhne GmbH"));
  test_assert_text_has_lines (text, "Einkauf / Buchhaltung\nHauptstraße 5\n10115 Berlin\nDeutschland");
  g_assert_nonnull (strstr (text, "accounts@mueller.example"));
  /* Number and dates */
  g_assert_nonnull (strstr (text, "Invoice"));
  g_assert_nonnull (strstr (text, "INV-2026-000017"));
  g_assert_nonnull (strstr (text, "2026-11-02"));
  g_assert_nonnull (strstr (text, "2026-11-30"));
  /* Lines */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("Item %03u", i + 1);
      g_autofree char *description = g_strdup_printf ("Description of item %03u", i + 1);

      g_assert_nonnull (strstr (text, name));
      g_assert_nonnull (strstr (text, description));
      assert_has_money (text, 1250 + 100 * i);
      assert_has_money (text, kassa_totals_get_line (totals, i)->net);
    }
  g_assert_nonnull (strstr (text, "20 %"));
  g_assert_nonnull (strstr (text, "5.5 %"));
  g_assert_nonnull (strstr (text, "10 %"));
  /* Tax table and totals */
  g_assert_cmpuint (kassa_totals_get_n_tax_lines (totals), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      assert_has_money (text, kassa_totals_get_tax_line (totals, i)->base);
      assert_has_money (text, kassa_totals_get_tax_line (totals, i)->tax);
    }
  g_assert_nonnull (strstr (text, "Untaxed"));
  assert_has_money (text, kassa_totals_get_untaxed (totals));
  assert_has_money (text, kassa_totals_get_tax (totals));
  g_assert_nonnull (strstr (text, "Total"));
  assert_has_money (text, kassa_totals_get_total (totals));
  /* Payment record and link */
  g_assert_nonnull (strstr (text, "Paid"));
  g_assert_nonnull (strstr (text, "Visa •••• 4242"));
  g_assert_nonnull (strstr (text, "2026-11-05 14:30"));
  g_assert_nonnull (strstr (text, PUBLIC_LINK));
  g_assert_nonnull (strstr (text, "Page 1 of 1"));

  g_assert_true (pdf_info (path, &width, &height, &pages));
  g_assert_cmpfloat_with_epsilon (width, 595.28, 0.01);
  g_assert_cmpfloat_with_epsilon (height, 841.89, 0.01);
  g_assert_cmpuint (pages, ==, 1);
}

static void
test_letter_unpaid (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(KassaInvoiceDocument) document = make_document (2, FALSE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  double width, height;
  guint pages;

  pdf = kassa_print_invoice_to_pdf_bytes (document, KASSA_PAGE_FORMAT_LETTER, &error);
  g_assert_no_error (error);
  path = test_write_tmp (fixture->dir, "letter.pdf", pdf);
  if (!pdf_info (path, &width, &height, &pages))
    return;
  g_assert_cmpfloat_with_epsilon (width, 612, 0.01);
  g_assert_cmpfloat_with_epsilon (height, 792, 0.01);
  g_assert_cmpuint (pages, ==, 1);

  text = test_pdf_text (path);
  if (text == NULL)
    return;
  g_assert_nonnull (strstr (text, "Pay or view this invoice online"));
  g_assert_null (strstr (text, "Paid"));
}

static void
test_many_pages (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(KassaInvoiceDocument) document = make_document (200, TRUE, &totals);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "long.pdf", NULL);
  g_autofree guint *seen = g_new0 (guint, 200);
  double width, height;
  guint pages, expected_pages;
  gboolean summary_seen = FALSE;

  kassa_page_format_get_size (KASSA_PAGE_FORMAT_A4, &width, &height);
  expected_pages = kassa_invoice_document_get_n_pages (document, width, height);
  g_assert_cmpuint (expected_pages, >=, 5);

  g_assert_true (kassa_print_invoice_to_pdf (document, KASSA_PAGE_FORMAT_A4, path, &error));
  g_assert_no_error (error);
  if (!pdf_info (path, &width, &height, &pages))
    return;
  g_assert_cmpuint (pages, ==, expected_pages);

  for (guint page = 1; page <= pages; page++)
    {
      g_autofree char *text = page_text (path, page);
      g_autofree char *page_label = g_strdup_printf ("Page %u of %u", page, pages);
      gboolean has_rows = FALSE;
      const char *p = text;

      g_assert_nonnull (strstr (text, page_label));
      g_assert_nonnull (strstr (text, "INV-2026-000017"));
      while ((p = strstr (p, "Item ")) != NULL)
        {
          guint n;

          if (sscanf (p, "Item %u", &n) == 1 && n >= 1 && n <= 200)
            {
              seen[n - 1]++;
              has_rows = TRUE;
            }
          p += 5;
        }
      /* Every page with lines repeats the table header. */
      if (has_rows)
        {
          g_assert_nonnull (strstr (text, "Qty"));
          g_assert_nonnull (strstr (text, "Unit price"));
          g_assert_nonnull (strstr (text, "VAT"));
          g_assert_nonnull (strstr (text, "Net"));
        }
      if (strstr (text, "Untaxed") != NULL)
        {
          g_autofree char *total = kassa_money_format_display (kassa_currency_lookup ("EUR", NULL),
                                                               kassa_totals_get_total (totals));

          g_assert_cmpuint (page, ==, pages);
          g_assert_nonnull (strstr (text, total));
          summary_seen = TRUE;
        }
    }
  /* Each line printed exactly once, none lost at a page break. */
  for (guint i = 0; i < 200; i++)
    g_assert_cmpuint (seen[i], ==, 1);
  g_assert_true (summary_seen);
}

static void
test_credit_note (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(KassaStoreProfile) profile = test_make_profile ();
  g_autoptr(KassaInvoice) invoice = test_make_invoice (3);
  g_autoptr(KassaInvoice) credit = NULL;
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(KassaInvoiceDocument) document = NULL;
  g_autoptr(GDateTime) issued = test_make_time (10, 11, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  kassa_invoice_set_id (invoice, 17);
  credit = kassa_invoice_new_credit_note (invoice, &error);
  g_assert_no_error (error);
  g_assert_true (kassa_invoice_remove_line (credit, 2, &error));
  /* The core does not carry the buyer over to a credit note; the shop
   * sets it. (No lam-alef here: pdftotext spells that ligature back in
   * the wrong order.) */
  g_assert_true (kassa_invoice_set_buyer_name (credit, "شركة النور للتجارة", &error));
  g_assert_true (kassa_invoice_issue (credit, "CN-2026-000003", issued, &error));
  g_assert_no_error (error);
  totals = test_invoice_totals (credit);
  document = kassa_invoice_document_new (profile, credit, totals);
  kassa_invoice_document_set_credited_reference (document, kassa_invoice_get_reference (invoice));

  pdf = kassa_print_invoice_to_pdf_bytes (document, KASSA_PAGE_FORMAT_A4, &error);
  g_assert_no_error (error);
  path = test_write_tmp (fixture->dir, "credit.pdf", pdf);
  text = test_pdf_text (path);
  if (text == NULL)
    return;
  g_assert_nonnull (strstr (text, "Credit note"));
  g_assert_nonnull (strstr (text, "CN-2026-000003"));
  g_assert_nonnull (strstr (text, "Credits invoice"));
  g_assert_nonnull (strstr (text, "INV-2026-000017"));
  g_assert_nonnull (strstr (text, "Credit to"));
  g_assert_nonnull (strstr (text, "شركة النور للتجارة"));
  g_assert_nonnull (strstr (text, "Item 002"));
  g_assert_null (strstr (text, "Item 003"));
  g_assert_nonnull (strstr (text, "Total credited"));
  assert_has_money (text, kassa_totals_get_total (totals));
  g_assert_null (strstr (text, "online"));
}

/* The page drawn straight on an image, as a print preview would, carries
 * a QR code that scans to the link. */
static void
test_qr_scan (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(KassaInvoiceDocument) document = make_document (2, FALSE, NULL);
  g_autofree char *path = g_build_filename (fixture->dir, "page.png", NULL);
  const char *argv[] = { "zbarimg", "--raw", "-q", path, NULL };
  g_autofree char *decoded = NULL;
  cairo_surface_t *surface;
  double width, height, scale = 150.0 / 72.0;
  cairo_t *cr;

  kassa_page_format_get_size (KASSA_PAGE_FORMAT_LETTER, &width, &height);
  g_assert_cmpuint (kassa_invoice_document_get_n_pages (document, width, height), ==, 1);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) (width * scale), (int) (height * scale));
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  kassa_invoice_document_draw_page (document, cr, width, height, 0);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  decoded = test_run_tool (argv);
  if (decoded == NULL)
    return;
  g_assert_cmpstr (g_strstrip (decoded), ==, PUBLIC_LINK);
}

/* A document without a buyer prints no empty "Bill to" heading. */
static void
test_no_buyer (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(KassaStoreProfile) profile = test_make_profile ();
  g_autoptr(KassaInvoice) invoice = kassa_invoice_new ();
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(KassaInvoiceDocument) document = NULL;
  g_autoptr(GDateTime) issued = test_make_time (3, 9, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  g_assert_true (kassa_invoice_set_currency_code (invoice, "EUR", NULL));
  test_add_invoice_line (invoice, "Workshop seat", "", 1000, 9000, 200000);
  if (!kassa_invoice_issue (invoice, "INV-2026-000018", issued, &error))
    {
      /* The core may require a buyer; then there is nothing to check. */
      g_test_skip (error->message);
      return;
    }
  totals = test_invoice_totals (invoice);
  document = kassa_invoice_document_new (profile, invoice, totals);
  pdf = kassa_print_invoice_to_pdf_bytes (document, KASSA_PAGE_FORMAT_A4, &error);
  g_assert_no_error (error);
  path = test_write_tmp (fixture->dir, "no-buyer.pdf", pdf);
  text = test_pdf_text (path);
  if (text == NULL)
    return;
  g_assert_nonnull (strstr (text, "Workshop seat"));
  g_assert_null (strstr (text, "Bill to"));
  g_assert_null (strstr (text, "Due date"));
  g_assert_null (strstr (text, "online"));
}

static void
test_properties (void)
{
  g_autoptr(KassaInvoiceDocument) document = make_document (2, FALSE, NULL);
  double width, height;
  guint before;

  /* Its defaults do not apply: profile, order and invoice are given at
   * construction. */
  (void) kassa_test_check_defaults;
  kassa_test_check_properties (G_OBJECT (document), NULL);

  /* The page plan follows what the document holds. */
  kassa_page_format_get_size (KASSA_PAGE_FORMAT_A4, &width, &height);
  before = kassa_invoice_document_get_n_pages (document, width, height);
  g_assert_cmpuint (before, ==, 1);
  kassa_invoice_document_set_public_link (document, NULL);
  g_assert_null (kassa_invoice_document_get_public_link (document));
  g_assert_cmpuint (kassa_invoice_document_get_n_pages (document, width, height), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/kassa/invoice-document/fields", Fixture, NULL, fixture_setup, test_fields, fixture_teardown);
  g_test_add ("/kassa/invoice-document/letter-unpaid", Fixture, NULL, fixture_setup, test_letter_unpaid, fixture_teardown);
  g_test_add ("/kassa/invoice-document/many-pages", Fixture, NULL, fixture_setup, test_many_pages, fixture_teardown);
  g_test_add ("/kassa/invoice-document/credit-note", Fixture, NULL, fixture_setup, test_credit_note, fixture_teardown);
  g_test_add ("/kassa/invoice-document/qr-scan", Fixture, NULL, fixture_setup, test_qr_scan, fixture_teardown);
  g_test_add ("/kassa/invoice-document/no-buyer", Fixture, NULL, fixture_setup, test_no_buyer, fixture_teardown);
  g_test_add_func ("/kassa/invoice-document/properties", test_properties);

  return g_test_run ();
}
