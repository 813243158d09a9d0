/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-print-util"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "kassa-money.h"
#include "kassa-print-error.h"
#include "kassa-print-private.h"

void
kassa_receipt_fonts_init (KassaReceiptFonts *fonts,
                          KassaReceiptPaper  paper)
{
  double base = paper == KASSA_RECEIPT_PAPER_58MM ? 7.0 : 8.5;

  fonts->regular = pango_font_description_from_string ("Sans");
  pango_font_description_set_absolute_size (fonts->regular, base * PANGO_SCALE);
  fonts->bold = pango_font_description_copy (fonts->regular);
  pango_font_description_set_weight (fonts->bold, PANGO_WEIGHT_BOLD);
  fonts->small = pango_font_description_copy (fonts->regular);
  pango_font_description_set_absolute_size (fonts->small, (base - 1.0) * PANGO_SCALE);
  fonts->title = pango_font_description_copy (fonts->bold);
  pango_font_description_set_absolute_size (fonts->title, (base * 1.5) * PANGO_SCALE);
  fonts->banner = pango_font_description_copy (fonts->bold);
  pango_font_description_set_absolute_size (fonts->banner, (base * 1.8) * PANGO_SCALE);
}

void
kassa_receipt_fonts_clear (KassaReceiptFonts *fonts)
{
  g_clear_pointer (&fonts->regular, pango_font_description_free);
  g_clear_pointer (&fonts->bold, pango_font_description_free);
  g_clear_pointer (&fonts->small, pango_font_description_free);
  g_clear_pointer (&fonts->title, pango_font_description_free);
  g_clear_pointer (&fonts->banner, pango_font_description_free);
}

void
kassa_print_cursor_init (KassaPrintCursor *cursor,
                         cairo_t          *cr,
                         gboolean          draw,
                         double            x,
                         double            width,
                         double            y)
{
  cairo_font_options_t *options;

  cursor->cr = cr;
  cursor->draw = draw;
  cursor->x = x;
  cursor->width = width;
  cursor->y = y;
  cursor->context = pango_cairo_create_context (cr);

  /* Sizes are in user units (points on paper) whatever the target, and
   * glyph advances are not snapped to device pixels: a PDF, a preview and
   * the 203 dpi thermal raster then break lines at the same places. */
  pango_cairo_context_set_resolution (cursor->context, 72.0);
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (cursor->context, options);
  cairo_font_options_destroy (options);
  pango_context_set_round_glyph_positions (cursor->context, FALSE);
}

void
kassa_print_cursor_clear (KassaPrintCursor *cursor)
{
  g_clear_object (&cursor->context);
}

cairo_t *
kassa_print_measure_cairo_new (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_A8, 1, 1);
  cairo_t *cr = cairo_create (surface);

  cairo_surface_destroy (surface);
  return cr;
}

PangoLayout *
kassa_print_layout_new (KassaPrintCursor           *cursor,
                        const char                 *text,
                        const PangoFontDescription *font,
                        double                      width,
                        PangoAlignment              align)
{
  PangoLayout *layout = pango_layout_new (cursor->context);

  pango_layout_set_font_description (layout, font);
  /* Typed text is shown as typed: never markup, never ellipsized. */
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) floor (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_alignment (layout, align);
  return layout;
}

double
kassa_print_layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

double
kassa_print_layout_width (PangoLayout *layout)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  return (double) logical.width / PANGO_SCALE;
}

void
kassa_print_show_layout (KassaPrintCursor *cursor,
                         PangoLayout      *layout,
                         double            x,
                         double            y)
{
  if (!cursor->draw)
    return;

  cairo_move_to (cursor->cr, x, y);
  pango_cairo_show_layout (cursor->cr, layout);
}

void
kassa_print_paragraph (KassaPrintCursor           *cursor,
                       const char                 *text,
                       const PangoFontDescription *font,
                       PangoAlignment              align)
{
  g_autoptr(PangoLayout) layout = NULL;

  if (text == NULL || text[0] == '\0')
    return;

  layout = kassa_print_layout_new (cursor, text, font, cursor->width, align);
  kassa_print_show_layout (cursor, layout, cursor->x, cursor->y);
  cursor->y += kassa_print_layout_height (layout);
}

void
kassa_print_pair (KassaPrintCursor           *cursor,
                  const char                 *left,
                  const char                 *right,
                  const PangoFontDescription *font)
{
  g_autoptr(PangoLayout) right_layout = NULL;
  g_autoptr(PangoLayout) left_layout = NULL;
  double right_width, gap = 4.0, left_width;

  right_layout = kassa_print_layout_new (cursor, right, font, -1, PANGO_ALIGN_LEFT);
  right_width = kassa_print_layout_width (right_layout);

  /* An amount wider than half the line still shows whole: the label
   * then takes the line above it. */
  left_width = cursor->width - right_width - gap;
  if (left_width < cursor->width / 3)
    {
      kassa_print_paragraph (cursor, left, font, PANGO_ALIGN_LEFT);
      g_object_unref (right_layout);
      right_layout = kassa_print_layout_new (cursor, right, font, cursor->width, PANGO_ALIGN_RIGHT);
      kassa_print_show_layout (cursor, right_layout, cursor->x, cursor->y);
      cursor->y += kassa_print_layout_height (right_layout);
      return;
    }

  left_layout = kassa_print_layout_new (cursor, left, font, left_width, PANGO_ALIGN_LEFT);
  kassa_print_show_layout (cursor, left_layout, cursor->x, cursor->y);
  kassa_print_show_layout (cursor, right_layout,
                           cursor->x + cursor->width - right_width, cursor->y);
  cursor->y += MAX (kassa_print_layout_height (left_layout),
                    kassa_print_layout_height (right_layout));
}

void
kassa_print_rule (KassaPrintCursor *cursor,
                  double            line_width)
{
  double y = cursor->y + 3.0;

  if (cursor->draw)
    {
      cairo_save (cursor->cr);
      cairo_set_line_width (cursor->cr, line_width);
      cairo_move_to (cursor->cr, cursor->x, y);
      cairo_line_to (cursor->cr, cursor->x + cursor->width, y);
      cairo_stroke (cursor->cr);
      cairo_restore (cursor->cr);
    }
  cursor->y += 6.0;
}

QRcode *
kassa_print_qr_encode (const char  *text,
                       GError     **error)
{
  QRcode *qr;

  g_return_val_if_fail (text != NULL, NULL);

  qr = QRcode_encodeString8bit (text, 0, QR_ECLEVEL_M);
  if (qr == NULL)
    g_set_error (error, KASSA_PRINT_ERROR, KASSA_PRINT_ERROR_INVALID,
                 _("The link is too long for a QR code"));
  return qr;
}

double
kassa_print_qr_draw (cairo_t      *cr,
                     const QRcode *qr,
                     double        x,
                     double        y,
                     double        size)
{
  const int quiet = 4;
  int total = qr->width + 2 * quiet;
  double dx = 1.0, dy = 0.0, device_unit, module;

  /* How many device pixels one user unit spans, so each module covers
   * a whole number of them where the target is a raster. */
  cairo_user_to_device_distance (cr, &dx, &dy);
  device_unit = sqrt (dx * dx + dy * dy);
  module = size / total;
  if (device_unit > 0 && floor (module * device_unit) >= 1.0)
    module = floor (module * device_unit) / device_unit;

  cairo_save (cr);
  /* Hard edges on rasters; vector targets have none to soften, and
   * asking a PDF surface for them makes it fall back to an image. */
  if (cairo_surface_get_type (cairo_get_target (cr)) == CAIRO_SURFACE_TYPE_IMAGE)
    cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, module * total, module * total);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  /* One rectangle per run of dark modules keeps the path short. */
  for (int row = 0; row < qr->width; row++)
    for (int col = 0; col < qr->width; col++)
      if (qr->data[row * qr->width + col] & 1)
        {
          int end = col;

          while (end + 1 < qr->width && (qr->data[row * qr->width + end + 1] & 1))
            end++;
          cairo_rectangle (cr,
                           x + (col + quiet) * module,
                           y + (row + quiet) * module,
                           module * (end - col + 1), module);
          col = end;
        }
  cairo_fill (cr);
  cairo_restore (cr);

  return module * total;
}

typedef struct
{
  const guint8 *data;
  gsize         length;
  gsize         offset;
} PngReader;

static cairo_status_t
read_png_cb (void          *closure,
             unsigned char *data,
             unsigned int   length)
{
  PngReader *reader = closure;

  if (reader->length - reader->offset < length)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, reader->data + reader->offset, length);
  reader->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

cairo_surface_t *
kassa_print_png_surface_new (GBytes *png)
{
  PngReader reader = { 0 };
  cairo_surface_t *surface;

  if (png == NULL)
    return NULL;

  reader.data = g_bytes_get_data (png, &reader.length);
  surface = cairo_image_surface_create_from_png_stream (read_png_cb, &reader);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_warning ("Store logo is not a readable PNG: %s",
                 cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      return NULL;
    }
  return surface;
}

char *
kassa_print_format_money (const KassaCurrency *currency,
                          gint64               minor)
{
  return kassa_money_format_display (currency, minor);
}

char *
kassa_print_format_time (GDateTime *time)
{
  if (time == NULL)
    return g_strdup ("");
  /* ISO order reads the same in every country a till may stand in. */
  return g_date_time_format (time, "%Y-%m-%d %H:%M");
}

char *
kassa_print_format_date (GDateTime *date)
{
  if (date == NULL)
    return g_strdup ("");
  return g_date_time_format (date, "%Y-%m-%d");
}

char *
kassa_print_format_duration (guint minutes)
{
  guint hours = minutes / 60, rest = minutes % 60;

  if (hours == 0)
    return g_strdup_printf (_("%u min"), rest);
  if (rest == 0)
    return g_strdup_printf (_("%u h"), hours);
  return g_strdup_printf (_("%u h %u min"), hours, rest);
}

cairo_status_t
kassa_print_write_to_array (void                *closure,
                            const unsigned char *data,
                            unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

void
kassa_print_replace_str (char       **slot,
                         const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*slot);
  *slot = copy;
}
