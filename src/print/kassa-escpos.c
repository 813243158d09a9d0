/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-escpos"

#include "config.h"

#include "kassa-escpos.h"

#define ESC 0x1b
#define GS  0x1d

/* Lines fed before the cut so the last printed row clears the blade. */
#define FEED_LINES 4

static void
append_init (GByteArray *out)
{
  const guint8 init[] = { ESC, '@' };

  g_byte_array_append (out, init, sizeof init);
}

static void
append_drawer_pulse (GByteArray *out)
{
  /* Pin 2, 50 ms on, 500 ms off: what drawers expect. */
  const guint8 pulse[] = { ESC, 'p', 0, 25, 250 };

  g_byte_array_append (out, pulse, sizeof pulse);
}

GBytes *
kassa_escpos_rasterize (cairo_surface_t *image,
                        guint8           threshold,
                        guint           *width,
                        guint           *height)
{
  const guint8 *data;
  guint8 *bits;
  int w, h, stride;
  guint row_bytes;

  g_return_val_if_fail (image != NULL, NULL);
  g_return_val_if_fail (cairo_image_surface_get_format (image) == CAIRO_FORMAT_RGB24
                        || cairo_image_surface_get_format (image) == CAIRO_FORMAT_ARGB32, NULL);
  g_return_val_if_fail (width != NULL && height != NULL, NULL);

  cairo_surface_flush (image);
  data = cairo_image_surface_get_data (image);
  w = cairo_image_surface_get_width (image);
  h = cairo_image_surface_get_height (image);
  stride = cairo_image_surface_get_stride (image);
  row_bytes = (w + 7) / 8;
  bits = g_malloc0 ((gsize) row_bytes * h);

  for (int y = 0; y < h; y++)
    {
      const guint32 *row = (const guint32 *) (data + (gsize) y * stride);

      for (int x = 0; x < w; x++)
        {
          guint32 p = row[x];
          guint r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
          /* Integer Rec. 601 luma. */
          guint luma = (r * 299 + g * 587 + b * 114) / 1000;

          if (luma < threshold)
            bits[(gsize) y * row_bytes + x / 8] |= 0x80 >> (x % 8);
        }
    }

  *width = w;
  *height = h;
  return g_bytes_new_take (bits, (gsize) row_bytes * h);
}

GBytes *
kassa_escpos_rasterize_receipt (KassaReceipt       *receipt,
                                KassaReceiptPaper   paper,
                                guint              *width,
                                guint              *height,
                                GError            **error)
{
  cairo_surface_t *image;
  GBytes *bits;

  g_return_val_if_fail (KASSA_IS_RECEIPT (receipt), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  image = kassa_receipt_render_image (receipt, paper, KASSA_ESCPOS_DOTS_PER_MM, error);
  if (image == NULL)
    return NULL;
  bits = kassa_escpos_rasterize (image, KASSA_ESCPOS_THRESHOLD, width, height);
  cairo_surface_destroy (image);
  return bits;
}

GBytes *
kassa_escpos_encode_raster (GBytes           *bits,
                            guint             width,
                            guint             height,
                            KassaEscposFlags  flags)
{
  GByteArray *out;
  const guint8 *data;
  guint row_bytes = (width + 7) / 8;
  gsize size;

  g_return_val_if_fail (bits != NULL, NULL);
  g_return_val_if_fail (row_bytes <= 0xffff, NULL);
  data = g_bytes_get_data (bits, &size);
  g_return_val_if_fail (size == (gsize) row_bytes * height, NULL);

  out = g_byte_array_sized_new (size + 64 + 8 * (height / KASSA_ESCPOS_BAND_HEIGHT + 1));
  append_init (out);

  for (guint top = 0; top < height; top += KASSA_ESCPOS_BAND_HEIGHT)
    {
      guint rows = MIN (KASSA_ESCPOS_BAND_HEIGHT, height - top);
      /* GS v 0 m xL xH yL yH: m = 0 is normal density, x in bytes. */
      const guint8 header[] = {
        GS, 'v', '0', 0,
        row_bytes & 0xff, row_bytes >> 8,
        rows & 0xff, rows >> 8,
      };

      g_byte_array_append (out, header, sizeof header);
      g_byte_array_append (out, data + (gsize) top * row_bytes, (guint) rows * row_bytes);
    }

  if (flags & KASSA_ESCPOS_OPEN_DRAWER)
    append_drawer_pulse (out);

  if (flags & KASSA_ESCPOS_CUT)
    {
      /* ESC d n feeds n lines; GS V 66 0 feeds to the cutter and cuts
       * partially, leaving a hinge so the receipt does not drop. */
      const guint8 cut[] = { ESC, 'd', FEED_LINES, GS, 'V', 66, 0 };

      g_byte_array_append (out, cut, sizeof cut);
    }

  return g_byte_array_free_to_bytes (out);
}

GBytes *
kassa_escpos_encode_receipt (KassaReceipt       *receipt,
                             KassaReceiptPaper   paper,
                             KassaEscposFlags    flags,
                             GError            **error)
{
  g_autoptr(GBytes) bits = NULL;
  guint width, height;

  g_return_val_if_fail (KASSA_IS_RECEIPT (receipt), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bits = kassa_escpos_rasterize_receipt (receipt, paper, &width, &height, error);
  if (bits == NULL)
    return NULL;
  return kassa_escpos_encode_raster (bits, width, height, flags);
}

GBytes *
kassa_escpos_encode_drawer_pulse (void)
{
  GByteArray *out = g_byte_array_new ();

  append_init (out);
  append_drawer_pulse (out);
  return g_byte_array_free_to_bytes (out);
}
