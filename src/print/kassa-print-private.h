/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include "kassa-currency.h"
#include "kassa-print-enums.h"

G_BEGIN_DECLS

/* Drawing helpers shared by the receipt and the invoice layouts. Not
 * installed; only src/print/ includes this. */

#define KASSA_PT_PER_MM (72.0 / 25.4)

/* The type of receipt paper: the receipt's and the shift reports',
 * so what comes out of one printer reads alike. */
typedef struct
{
  PangoFontDescription *regular;
  PangoFontDescription *bold;
  PangoFontDescription *small;
  PangoFontDescription *title;
  PangoFontDescription *banner;
} KassaReceiptFonts;

void             kassa_receipt_fonts_init       (KassaReceiptFonts          *fonts,
                                                 KassaReceiptPaper           paper);
void             kassa_receipt_fonts_clear      (KassaReceiptFonts          *fonts);

/* A place to lay text out: a pango context bound to @cr and a vertical
 * cursor. With @draw FALSE nothing is painted, so the same code measures
 * a document before its page size is known. */
typedef struct
{
  cairo_t      *cr;
  PangoContext *context;
  gboolean      draw;
  double        x;
  double        width;
  double        y;
} KassaPrintCursor;

void             kassa_print_cursor_init        (KassaPrintCursor           *cursor,
                                                 cairo_t                    *cr,
                                                 gboolean                    draw,
                                                 double                      x,
                                                 double                      width,
                                                 double                      y);
void             kassa_print_cursor_clear       (KassaPrintCursor           *cursor);

/* A context that measures without a real target (for page sizes). */
cairo_t         *kassa_print_measure_cairo_new  (void);

PangoLayout     *kassa_print_layout_new         (KassaPrintCursor           *cursor,
                                                 const char                 *text,
                                                 const PangoFontDescription *font,
                                                 double                      width,
                                                 PangoAlignment              align);
double           kassa_print_layout_height      (PangoLayout                *layout);
double           kassa_print_layout_width       (PangoLayout                *layout);
void             kassa_print_show_layout        (KassaPrintCursor           *cursor,
                                                 PangoLayout                *layout,
                                                 double                      x,
                                                 double                      y);

/* A paragraph over the cursor's width; wraps, never shortens. */
void             kassa_print_paragraph          (KassaPrintCursor           *cursor,
                                                 const char                 *text,
                                                 const PangoFontDescription *font,
                                                 PangoAlignment              align);
/* @left wrapped in what @right leaves free, @right against the right edge. */
void             kassa_print_pair               (KassaPrintCursor           *cursor,
                                                 const char                 *left,
                                                 const char                 *right,
                                                 const PangoFontDescription *font);
void             kassa_print_rule               (KassaPrintCursor           *cursor,
                                                 double                      line_width);

/* A QR code of @text in 8-bit mode, error correction M. */
QRcode          *kassa_print_qr_encode          (const char                 *text,
                                                 GError                    **error);
/* The modules as filled rectangles in a @size square at (@x, @y),
 * quiet zone included; modules are snapped to whole device pixels so a
 * raster stays sharp enough to scan. Returns the side actually used. */
double           kassa_print_qr_draw            (cairo_t                    *cr,
                                                 const QRcode               *qr,
                                                 double                      x,
                                                 double                      y,
                                                 double                      size);

/* An image surface from PNG bytes, NULL when they do not decode. */
cairo_surface_t *kassa_print_png_surface_new    (GBytes                     *png);

char            *kassa_print_format_money       (const KassaCurrency        *currency,
                                                 gint64                      minor);
char            *kassa_print_format_time        (GDateTime                  *time);
char            *kassa_print_format_date        (GDateTime                  *date);
char            *kassa_print_format_duration    (guint                       minutes);

/* GLib 2.74 has no g_set_str(). */
void             kassa_print_replace_str        (char                      **slot,
                                                 const char                 *value);

/* cairo write callback appending to a GByteArray. */
cairo_status_t   kassa_print_write_to_array     (void                       *closure,
                                                 const unsigned char        *data,
                                                 unsigned int                length);

G_END_DECLS
