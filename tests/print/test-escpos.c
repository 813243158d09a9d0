/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kassa-escpos.h"

#include "print-test-utils.h"

/* What a printer would make of the stream. */
typedef struct
{
  guint       n_init;
  guint       n_bands;
  guint       width_bytes;
  guint       height;
  GByteArray *bitmap;
  guint       n_cuts;
  guint       n_pulses;
  guint       fed_lines;
  /* The order of commands, one letter each: I init, R raster, F feed,
   * C cut, P pulse. */
  GString    *sequence;
} Parsed;

static void
parsed_clear (Parsed *parsed)
{
  g_byte_array_unref (parsed->bitmap);
  g_string_free (parsed->sequence, TRUE);
}

/* Reads the commands Kassa sends; anything else fails the test. */
static void
parse_stream (GBytes *stream,
              Parsed *parsed)
{
  gsize size, i = 0;
  const guint8 *p = g_bytes_get_data (stream, &size);

  memset (parsed, 0, sizeof *parsed);
  parsed->bitmap = g_byte_array_new ();
  parsed->sequence = g_string_new (NULL);

  while (i < size)
    {
      if (p[i] == 0x1b && i + 1 < size && p[i + 1] == '@')
        {
          parsed->n_init++;
          g_string_append_c (parsed->sequence, 'I');
          i += 2;
        }
      else if (p[i] == 0x1d && i + 7 < size && p[i + 1] == 'v' && p[i + 2] == '0')
        {
          guint x = p[i + 4] | p[i + 5] << 8;
          guint y = p[i + 6] | p[i + 7] << 8;

          g_assert_cmpuint (p[i + 3], ==, 0);
          g_assert_cmpuint (y, >, 0);
          g_assert_cmpuint (y, <=, KASSA_ESCPOS_BAND_HEIGHT);
          if (parsed->n_bands > 0)
            g_assert_cmpuint (x, ==, parsed->width_bytes);
          parsed->width_bytes = x;
          i += 8;
          g_assert_cmpuint (i + (gsize) x * y, <=, size);
          g_byte_array_append (parsed->bitmap, p + i, x * y);
          i += (gsize) x * y;
          parsed->height += y;
          parsed->n_bands++;
          g_string_append_c (parsed->sequence, 'R');
        }
      else if (p[i] == 0x1b && i + 2 < size && p[i + 1] == 'd')
        {
          parsed->fed_lines += p[i + 2];
          g_string_append_c (parsed->sequence, 'F');
          i += 3;
        }
      else if (p[i] == 0x1d && i + 3 < size && p[i + 1] == 'V' && p[i + 2] == 66)
        {
          parsed->n_cuts++;
          g_string_append_c (parsed->sequence, 'C');
          i += 4;
        }
      else if (p[i] == 0x1b && i + 4 < size && p[i + 1] == 'p')
        {
          g_assert_cmpuint (p[i + 2], ==, 0);
          g_assert_cmpuint (p[i + 3], >, 0);
          parsed->n_pulses++;
          g_string_append_c (parsed->sequence, 'P');
          i += 5;
        }
      else
        g_error ("unexpected byte 0x%02x at %" G_GSIZE_FORMAT, p[i], i);
    }
}

static KassaReceipt *
make_receipt (void)
{
  g_autoptr(KassaStoreProfile) profile = test_make_profile ();
  g_autoptr(KassaOrder) order = test_make_order ("R-2026-0099");
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(GBytes) logo = test_make_logo_png ();
  KassaReceipt *receipt;

  kassa_store_profile_set_logo (profile, logo);
  test_add_order_line (order, "Espresso", 2000, 350, 81000, 0);
  test_add_order_line (order, "كعك بالتمر", 1000, 410, 26000, 0);
  test_add_order_line (order, "חלה מתוקה", 1000, 520, 26000, 0);
  totals = test_order_totals (order, 5);
  receipt = kassa_receipt_new (profile, order, totals);
  kassa_receipt_set_invoice_link (receipt, "https://lumiere.example/i/Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA");
  return receipt;
}

static void
test_encode_small (void)
{
  /* Two rows of 10 dots: the first dot and the tenth on row one, the
   * whole second row. */
  const guint8 bits[] = { 0x80, 0x40, 0xff, 0xc0 };
  g_autoptr(GBytes) input = g_bytes_new_static (bits, sizeof bits);
  g_autoptr(GBytes) stream = kassa_escpos_encode_raster (input, 10, 2, KASSA_ESCPOS_CUT | KASSA_ESCPOS_OPEN_DRAWER);
  const guint8 expected[] = {
    0x1b, '@',
    0x1d, 'v', '0', 0, 2, 0, 2, 0, 0x80, 0x40, 0xff, 0xc0,
    0x1b, 'p', 0, 25, 250,
    0x1b, 'd', 4, 0x1d, 'V', 66, 0,
  };
  gsize size;
  const guint8 *data = g_bytes_get_data (stream, &size);

  g_assert_cmpmem (data, size, expected, sizeof expected);
}

static void
test_drawer_only (void)
{
  g_autoptr(GBytes) stream = kassa_escpos_encode_drawer_pulse ();
  Parsed parsed;

  parse_stream (stream, &parsed);
  g_assert_cmpstr (parsed.sequence->str, ==, "IP");
  parsed_clear (&parsed);
}

static void
test_threshold (void)
{
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 9, 1);
  guint32 *row;
  g_autoptr(GBytes) bits = NULL;
  const guint8 *data;
  guint width, height;

  cairo_surface_flush (image);
  row = (guint32 *) cairo_image_surface_get_data (image);
  row[0] = 0x000000;   /* black */
  row[1] = 0xffffff;   /* white */
  row[2] = 0x7f7f7f;   /* just below the threshold: black */
  row[3] = 0x808080;   /* at it: white */
  row[4] = 0xff0000;   /* pure red is dark for the head */
  row[5] = 0x00ff00;   /* pure green is light */
  row[6] = 0xffffff;
  row[7] = 0xffffff;
  row[8] = 0x000000;
  cairo_surface_mark_dirty (image);

  bits = kassa_escpos_rasterize (image, 128, &width, &height);
  data = g_bytes_get_data (bits, NULL);
  g_assert_cmpuint (width, ==, 9);
  g_assert_cmpuint (height, ==, 1);
  g_assert_cmpuint (g_bytes_get_size (bits), ==, 2);
  g_assert_cmphex (data[0], ==, 0xa8);
  g_assert_cmphex (data[1], ==, 0x80);
  cairo_surface_destroy (image);
}

static void
check_receipt (KassaReceiptPaper paper,
               KassaEscposFlags  flags)
{
  g_autoptr(KassaReceipt) receipt = make_receipt ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) stream = kassa_escpos_encode_receipt (receipt, paper, flags, &error);
  cairo_surface_t *image;
  guint dots = paper == KASSA_RECEIPT_PAPER_58MM ? 384 : 576;
  const guint8 *pixels;
  int stride;
  guint black = 0;
  Parsed parsed;

  g_assert_no_error (error);
  parse_stream (stream, &parsed);

  g_assert_cmpuint (parsed.n_init, ==, 1);
  g_assert_cmpuint (parsed.sequence->str[0], ==, 'I');
  g_assert_cmpuint (parsed.width_bytes * 8, ==, dots);
  g_assert_cmpuint (parsed.n_bands, ==, (parsed.height + KASSA_ESCPOS_BAND_HEIGHT - 1) / KASSA_ESCPOS_BAND_HEIGHT);
  g_assert_cmpuint (parsed.n_bands, >, 1);
  g_assert_cmpuint (parsed.n_cuts, ==, (flags & KASSA_ESCPOS_CUT) ? 1 : 0);
  g_assert_cmpuint (parsed.n_pulses, ==, (flags & KASSA_ESCPOS_OPEN_DRAWER) ? 1 : 0);
  if (flags & KASSA_ESCPOS_CUT)
    {
      /* The cut comes last, after a feed. */
      g_assert_true (g_str_has_suffix (parsed.sequence->str, "FC"));
      g_assert_cmpuint (parsed.fed_lines, >, 0);
    }

  /* The bitmap the printer gets is the Cairo rendering of the receipt,
   * dot for dot. */
  image = kassa_receipt_render_image (receipt, paper, 8.0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cairo_image_surface_get_width (image), ==, dots);
  g_assert_cmpuint (cairo_image_surface_get_height (image), ==, parsed.height);
  pixels = cairo_image_surface_get_data (image);
  stride = cairo_image_surface_get_stride (image);
  for (guint y = 0; y < parsed.height; y++)
    for (guint x = 0; x < dots; x++)
      {
        guint32 p = *(const guint32 *) (pixels + y * stride + 4 * x);
        guint luma = (((p >> 16) & 0xff) * 299 + ((p >> 8) & 0xff) * 587 + (p & 0xff) * 114) / 1000;
        gboolean dark = luma < 128;
        gboolean dot = (parsed.bitmap->data[y * parsed.width_bytes + x / 8] >> (7 - x % 8)) & 1;

        g_assert_cmpint (dark, ==, dot);
        black += dot;
      }
  /* Ink on a real share of the paper, but far from all of it. */
  g_assert_cmpuint (black, >, dots * parsed.height / 50);
  g_assert_cmpuint (black, <, dots * parsed.height / 2);

  cairo_surface_destroy (image);
  parsed_clear (&parsed);
}

static void
test_receipt_58 (void)
{
  check_receipt (KASSA_RECEIPT_PAPER_58MM, KASSA_ESCPOS_CUT);
}

static void
test_receipt_80_drawer (void)
{
  check_receipt (KASSA_RECEIPT_PAPER_80MM, KASSA_ESCPOS_CUT | KASSA_ESCPOS_OPEN_DRAWER);
}

static void
test_receipt_no_cut (void)
{
  check_receipt (KASSA_RECEIPT_PAPER_80MM, KASSA_ESCPOS_NONE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/escpos/encode-small", test_encode_small);
  g_test_add_func ("/kassa/escpos/drawer-only", test_drawer_only);
  g_test_add_func ("/kassa/escpos/threshold", test_threshold);
  g_test_add_func ("/kassa/escpos/receipt-58mm", test_receipt_58);
  g_test_add_func ("/kassa/escpos/receipt-80mm-drawer", test_receipt_80_drawer);
  g_test_add_func ("/kassa/escpos/receipt-no-cut", test_receipt_no_cut);

  return g_test_run ();
}
