/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "kassa-money.h"
#include "kassa-receipt.h"

#include "print-test-utils.h"
#include "../core/kassa-test-properties.h"

#define INVOICE_LINK "https://lumiere.example/i/Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("kassa-receipt-XXXXXX", &error);
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

static char *
money (gint64 minor)
{
  return kassa_money_format_display (kassa_currency_lookup ("CHF", NULL), minor);
}

static void
assert_has_money (const char *text,
                  gint64      minor)
{
  g_autofree char *expected = money (minor);

  if (strstr (text, expected) == NULL)
    g_error ("amount “%s” not found in “%s”", expected, text);
}

/* Whether the installed fonts have glyphs for @text. */
static gboolean
fonts_cover (const char *text)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_A8, 1, 1);
  cairo_t *cr = cairo_create (surface);
  PangoLayout *layout = pango_cairo_create_layout (cr);
  int unknown;

  pango_layout_set_text (layout, text, -1);
  unknown = pango_layout_get_unknown_glyphs_count (layout);
  g_object_unref (layout);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return unknown == 0;
}

static gboolean
pdf_page_size (const char *path,
               double     *width,
               double     *height,
               guint      *pages)
{
  const char *argv[] = { "pdfinfo", path, NULL };
  g_autofree char *info = test_run_tool (argv);
  const char *size, *count;

  if (info == NULL)
    return FALSE;
  size = strstr (info, "Page size:");
  count = strstr (info, "Pages:");
  g_assert_nonnull (size);
  g_assert_nonnull (count);
  g_assert_cmpint (sscanf (size, "Page size: %lf x %lf", width, height), ==, 2);
  g_assert_cmpint (sscanf (count, "Pages: %u", pages), ==, 1);
  return TRUE;
}

/* Goods in five scripts, a line discount, cash rounding to 0.05,
 * cash tendered with change, and an invoice link. */
static KassaReceipt *
make_goods_receipt (KassaTotals **totals_out)
{
  g_autoptr(KassaStoreProfile) profile = test_make_profile ();
  g_autoptr(KassaOrder) order = test_make_order ("R-2026-0042");
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(GBytes) logo = test_make_logo_png ();
  KassaReceipt *receipt;

  kassa_store_profile_set_logo (profile, logo);
  test_add_order_line (order, "Espresso", 2000, 350, 81000, 0);
  test_add_order_line (order, "Croissant au beurre", 3000, 233, 26000, 100000);
  test_add_order_line (order, "كعك بالتمر", 1000, 410, 26000, 0);
  test_add_order_line (order, "חלה מתוקה", 1000, 520, 26000, 0);
  test_add_order_line (order, "抹茶ラテ", 1000, 640, 81000, 0);
  totals = test_order_totals (order, 5);
  test_add_payment (order, "cash", "Cash", NULL, kassa_totals_get_amount_due (totals));

  receipt = kassa_receipt_new (profile, order, totals);
  kassa_receipt_set_cashier_name (receipt, "Nadia B.");
  kassa_receipt_set_invoice_link (receipt, INVOICE_LINK);
  kassa_receipt_set_cash_tendered (receipt, 5000, 5000 - kassa_totals_get_amount_due (totals));
  *totals_out = g_steal_pointer (&totals);
  return receipt;
}

static void
test_goods (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(KassaReceipt) receipt = make_goods_receipt (&totals);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "goods.pdf", NULL);
  g_autofree char *text = NULL;
  double width, height;
  guint pages;

  /* Cash rounding really happens here, so its line is printed. */
  g_assert_cmpint (kassa_totals_get_cash_rounding (totals), !=, 0);

  g_assert_true (kassa_print_receipt_to_pdf (receipt, KASSA_RECEIPT_PAPER_80MM, path, &error));
  g_assert_no_error (error);
  text = test_pdf_text (path);
  if (text == NULL)
    return;

  g_assert_nonnull (strstr (text, "Café Lumière"));
  g_assert_nonnull (strstr (text, "Coffee, bread & kindness"));
  test_assert_text_has_lines (text, "Rue du Marché 12\n1204 Genève");
  g_assert_nonnull (strstr (text, "CHE-123.456.789 TVA"));
  g_assert_nonnull (strstr (text, "hello@lumiere.example"));
  g_assert_nonnull (strstr (text, "+41 22 555 01 23"));
  g_assert_nonnull (strstr (text, "R-2026-0042"));
  g_assert_nonnull (strstr (text, "2026-11-28 10:15"));
  g_assert_nonnull (strstr (text, "Nadia B."));
  g_assert_nonnull (strstr (text, "Espresso"));
  g_assert_nonnull (strstr (text, "Croissant au beurre"));
  g_assert_nonnull (strstr (text, "2 ×"));
  g_assert_nonnull (strstr (text, "Discount"));
  g_assert_nonnull (strstr (text, "كعك بالتمر"));
  g_assert_nonnull (strstr (text, "חלה מתוקה"));
  g_assert_nonnull (strstr (text, "8.1 %"));
  g_assert_nonnull (strstr (text, "2.6 %"));
  g_assert_null (strstr (text, "DUPLICATE"));

  for (guint i = 0; i < kassa_totals_get_n_lines (totals); i++)
    {
      assert_has_money (text, kassa_totals_get_line (totals, i)->total);
      if (kassa_totals_get_line (totals, i)->line_discount != 0)
        assert_has_money (text, -kassa_totals_get_line (totals, i)->line_discount);
    }
  for (guint i = 0; i < kassa_totals_get_n_tax_lines (totals); i++)
    {
      assert_has_money (text, kassa_totals_get_tax_line (totals, i)->base);
      assert_has_money (text, kassa_totals_get_tax_line (totals, i)->tax);
      assert_has_money (text, kassa_totals_get_tax_line (totals, i)->gross);
    }
  assert_has_money (text, kassa_totals_get_untaxed (totals));
  assert_has_money (text, kassa_totals_get_tax (totals));
  assert_has_money (text, kassa_totals_get_total (totals));
  g_assert_nonnull (strstr (text, "Cash rounding"));
  assert_has_money (text, kassa_totals_get_cash_rounding (totals));
  assert_has_money (text, kassa_totals_get_amount_due (totals));
  g_assert_nonnull (strstr (text, "Cash tendered"));
  assert_has_money (text, 5000);
  g_assert_nonnull (strstr (text, "Change"));
  assert_has_money (text, 5000 - kassa_totals_get_amount_due (totals));
  /* A link has no spaces to break at: it wraps anywhere, but whole. */
  {
    g_autoptr(GString) joined = g_string_new (text);

    g_string_replace (joined, " ", "", 0);
    g_assert_nonnull (strstr (joined->str, INVOICE_LINK));
  }
  g_assert_nonnull (strstr (text, "Merci ! Thank you"));
  g_assert_nonnull (strstr (text, "شكرا لزيارتكم"));
  g_assert_nonnull (strstr (text, "תודה רבה"));

  if (fonts_cover ("抹茶ラテ谢谢光临"))
    {
      g_assert_nonnull (strstr (text, "抹茶ラテ"));
      g_assert_nonnull (strstr (text, "谢谢光临"));
    }
  else
    g_test_message ("no CJK font installed: CJK text is not checked");

  if (!pdf_page_size (path, &width, &height, &pages))
    return;
  g_assert_cmpfloat_with_epsilon (width, 226.77, 0.01);
  g_assert_cmpuint (pages, ==, 1);
  /* The page is the receipt's length plus the margins, not a fixed roll. */
  g_assert_cmpfloat_with_epsilon (height,
                                  kassa_receipt_measure (receipt, KASSA_RECEIPT_PAPER_80MM) + 8 * 72 / 25.4,
                                  0.5);
}

static void
test_service (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(KassaStoreProfile) profile = test_make_profile ();
  g_autoptr(KassaOrder) order = test_make_order ("R-2026-0043");
  g_autoptr(KassaServiceSession) session = kassa_service_session_new ();
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(KassaReceipt) receipt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *paid = NULL;

  test_add_order_line (order, "Sauna & steam bath", 1000, 4500, 81000, 0);
  totals = test_order_totals (order, 0);
  test_add_payment (order, "stripe_terminal", "Visa •••• 4242", "pi_3PqRsT2eZvKYlo2C1x0y9z8w",
                    kassa_totals_get_amount_due (totals));
  kassa_service_session_set_duration_minutes (session, 90);

  receipt = kassa_receipt_new (profile, order, totals);
  kassa_receipt_set_line_service (receipt, 0, "Access to sauna, steam room and rest area; towels included", session);
  pdf = kassa_print_receipt_to_pdf_bytes (receipt, KASSA_RECEIPT_PAPER_58MM, &error);
  g_assert_no_error (error);
  path = test_write_tmp (fixture->dir, "service.pdf", pdf);
  text = test_pdf_text (path);
  if (text == NULL)
    return;

  g_assert_nonnull (strstr (text, "Sauna & steam bath"));
  g_assert_nonnull (strstr (text, "Access to sauna, steam room and rest area; towels included"));
  g_assert_nonnull (strstr (text, "Duration"));
  g_assert_nonnull (strstr (text, "1 h 30 min"));
  paid = money (kassa_totals_get_line (totals, 0)->total);
  g_assert_nonnull (strstr (text, "Amount paid"));
  g_assert_nonnull (strstr (text, paid));
  g_assert_nonnull (strstr (text, "Visa •••• 4242"));
  g_assert_nonnull (strstr (text, "pi_3PqRsT2eZvKYlo2C1x0y9z8w"));
  /* No cash, no rounding, no link: none of their lines. */
  g_assert_null (strstr (text, "Cash rounding"));
  g_assert_null (strstr (text, "Change"));
  g_assert_null (strstr (text, "Your invoice"));
}

static void
test_delivery (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(KassaStoreProfile) profile = test_make_profile ();
  g_autoptr(KassaOrder) order = test_make_order ("W-2026-0007");
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(KassaReceipt) receipt = NULL;
  g_autoptr(GError) error = NULL;
  const char *note = "Deliver between 14:00 and 16:00;\nleave with the concierge if nobody answers";

  test_add_order_line (order, "Gift basket “Grand Cru”", 1000, 8900, 26000, 0);
  g_assert_true (kassa_order_set_delivery_method (order, KASSA_DELIVERY_METHOD_DELIVERY, NULL));
  g_assert_true (kassa_order_set_shipping_address (order, TEST_DELIVERY_ADDRESS, NULL));
  g_assert_true (kassa_order_set_shipping_cost (order, 1200, NULL));
  g_assert_true (kassa_order_set_shipping_tax_rate (order, 81000, NULL));
  totals = test_order_totals (order, 0);
  receipt = kassa_receipt_new (profile, order, totals);
  kassa_receipt_set_delivery_note (receipt, note);

  for (KassaReceiptPaper paper = KASSA_RECEIPT_PAPER_58MM; paper <= KASSA_RECEIPT_PAPER_80MM; paper++)
    {
      g_autofree char *name = g_strdup_printf ("delivery-%d.pdf", paper);
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_autofree char *text = NULL;
      double width, height;
      guint pages;

      g_assert_true (kassa_print_receipt_to_pdf (receipt, paper, path, &error));
      g_assert_no_error (error);
      text = test_pdf_text (path);
      if (text == NULL)
        return;

      g_assert_nonnull (strstr (text, "Delivery to:"));
      test_assert_text_has_lines (text, TEST_DELIVERY_ADDRESS);
      test_assert_text_has_lines (text, note);
      g_assert_nonnull (strstr (text, "Shipping"));
      assert_has_money (text, kassa_totals_get_line (totals, 1)->total);

      if (!pdf_page_size (path, &width, &height, &pages))
        return;
      g_assert_cmpfloat_with_epsilon (width, paper == KASSA_RECEIPT_PAPER_58MM ? 164.41 : 226.77, 0.01);
      g_assert_cmpuint (pages, ==, 1);
      g_assert_cmpfloat_with_epsilon (height, kassa_receipt_measure (receipt, paper)
                                      + (paper == KASSA_RECEIPT_PAPER_58MM ? 10 : 8) * 72 / 25.4, 0.5);
    }
}

static void
test_pickup_duplicate (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(KassaStoreProfile) profile = test_make_profile ();
  g_autoptr(KassaOrder) order = test_make_order ("R-2026-0044");
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(KassaReceipt) receipt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  double plain;

  test_add_order_line (order, "Birthday cake", 1000, 3800, 26000, 0);
  g_assert_true (kassa_order_set_delivery_method (order, KASSA_DELIVERY_METHOD_PICKUP, NULL));
  totals = test_order_totals (order, 0);
  receipt = kassa_receipt_new (profile, order, totals);
  kassa_receipt_set_delivery_note (receipt, "Saturday 29 November, 10:00–11:00\nName on the box: Léa");
  plain = kassa_receipt_measure (receipt, KASSA_RECEIPT_PAPER_80MM);

  g_assert_false (kassa_receipt_is_duplicate (receipt));
  kassa_receipt_set_reprint_count (receipt, 2);
  g_assert_true (kassa_receipt_is_duplicate (receipt));
  g_assert_cmpuint (kassa_receipt_get_reprint_count (receipt), ==, 2);
  g_assert_cmpfloat (kassa_receipt_measure (receipt, KASSA_RECEIPT_PAPER_80MM), >, plain);

  pdf = kassa_print_receipt_to_pdf_bytes (receipt, KASSA_RECEIPT_PAPER_80MM, &error);
  g_assert_no_error (error);
  path = test_write_tmp (fixture->dir, "duplicate.pdf", pdf);
  text = test_pdf_text (path);
  if (text == NULL)
    return;
  g_assert_nonnull (strstr (text, "DUPLICATE"));
  g_assert_nonnull (strstr (text, "Reprint 2"));
  g_assert_nonnull (strstr (text, "Pickup"));
  test_assert_text_has_lines (text, "Saturday 29 November, 10:00–11:00\nName on the box: Léa");
  g_assert_null (strstr (text, "Delivery to:"));
}

static void
test_qr_png (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(KassaReceipt) receipt = make_goods_receipt (&totals);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autofree char *path = NULL;
  g_autofree char *decoded = NULL;
  cairo_surface_t *surface;

  for (KassaReceiptPaper paper = KASSA_RECEIPT_PAPER_58MM; paper <= KASSA_RECEIPT_PAPER_80MM; paper++)
    {
      const char *argv[] = { "zbarimg", "--raw", "-q", NULL, NULL };

      g_clear_pointer (&png, g_bytes_unref);
      png = kassa_print_receipt_to_png_bytes (receipt, paper, &error);
      g_assert_no_error (error);
      g_clear_pointer (&path, g_free);
      path = test_write_tmp (fixture->dir, paper == KASSA_RECEIPT_PAPER_58MM ? "r58.png" : "r80.png", png);

      /* 8 dots per mm: the printable width in thermal-printer dots. */
      surface = cairo_image_surface_create_from_png (path);
      g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
      g_assert_cmpint (cairo_image_surface_get_width (surface), ==,
                       paper == KASSA_RECEIPT_PAPER_58MM ? 384 : 576);
      cairo_surface_destroy (surface);

      argv[3] = path;
      g_clear_pointer (&decoded, g_free);
      decoded = test_run_tool (argv);
      if (decoded == NULL)
        return;
      g_assert_cmpstr (g_strstrip (decoded), ==, INVOICE_LINK);
    }
}

static void
test_draw_page (void)
{
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(KassaReceipt) receipt = make_goods_receipt (&totals);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 300, 900);
  cairo_t *cr = cairo_create (surface);
  guint32 *pixels;
  int stride, dark_left = 0, dark_right = 0;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  kassa_receipt_draw_page (receipt, cr, KASSA_RECEIPT_PAPER_58MM, 300, 900, 0);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  /* Centred on a wider page: the 136 pt wide receipt leaves the outer
   * 80 pt on each side blank, and ink lies inside. */
  pixels = (guint32 *) cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface) / 4;
  for (int y = 0; y < 900; y++)
    for (int x = 0; x < 300; x++)
      if ((pixels[y * stride + x] & 0xff) < 128)
        {
          if (x < 80 || x >= 220)
            dark_left++;
          else
            dark_right++;
        }
  g_assert_cmpint (dark_left, ==, 0);
  g_assert_cmpint (dark_right, >, 1000);
  cairo_surface_destroy (surface);
}

static void
test_properties (void)
{
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(KassaReceipt) receipt = make_goods_receipt (&totals);
  g_autoptr(KassaReceipt) plain = NULL;

  /* Its defaults do not apply: profile, order and invoice are given at
   * construction. */
  (void) kassa_test_check_defaults;
  kassa_test_check_properties (G_OBJECT (receipt), NULL);

  /* Without a time of its own the receipt shows the order's. */
  plain = kassa_receipt_new (kassa_receipt_get_profile (receipt), kassa_receipt_get_order (receipt), totals);
  g_assert_true (kassa_receipt_get_time (plain) == kassa_order_get_created_at (kassa_receipt_get_order (receipt)));
  g_assert_null (kassa_receipt_get_invoice_link (plain));
  kassa_receipt_set_invoice_link (plain, "");
  g_assert_null (kassa_receipt_get_invoice_link (plain));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/kassa/receipt/goods", Fixture, NULL, fixture_setup, test_goods, fixture_teardown);
  g_test_add ("/kassa/receipt/service", Fixture, NULL, fixture_setup, test_service, fixture_teardown);
  g_test_add ("/kassa/receipt/delivery", Fixture, NULL, fixture_setup, test_delivery, fixture_teardown);
  g_test_add ("/kassa/receipt/pickup-duplicate", Fixture, NULL, fixture_setup, test_pickup_duplicate, fixture_teardown);
  g_test_add ("/kassa/receipt/qr-png", Fixture, NULL, fixture_setup, test_qr_png, fixture_teardown);
  g_test_add_func ("/kassa/receipt/draw-page", test_draw_page);
  g_test_add_func ("/kassa/receipt/properties", test_properties);

  return g_test_run ();
}
