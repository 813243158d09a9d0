/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "kassa-print-enums.h"
#include "kassa-receipt.h"

G_BEGIN_DECLS

/* ESC/POS for thermal receipt printers. The receipt is not sent as text
 * in the printer's code page: it is the same Cairo rendering as the PDF,
 * rasterized at 203 dpi (8 dots per mm; 384 dots across 58 mm paper, 576
 * across 80 mm) and thresholded to black and white, so every script
 * prints. */

#define KASSA_ESCPOS_DOTS_PER_MM   8.0
/* Rows per GS v 0 block: small enough for the input buffer of cheap
 * printers, large enough to keep the stream short. */
#define KASSA_ESCPOS_BAND_HEIGHT   128
#define KASSA_ESCPOS_THRESHOLD     128


/* A 1-bit image: @height rows of (@width + 7) / 8 bytes, the leftmost
 * dot in the most significant bit, 1 for black. A pixel is black when
 * its luminance is below @threshold (0 … 255). */
GBytes *kassa_escpos_rasterize         (cairo_surface_t   *image,
                                        guint8             threshold,
                                        guint             *width,
                                        guint             *height);
/* The receipt as the printer's dots for @paper. */
GBytes *kassa_escpos_rasterize_receipt (KassaReceipt      *receipt,
                                        KassaReceiptPaper  paper,
                                        guint             *width,
                                        guint             *height,
                                        GError           **error);

/* ESC @, the bitmap as GS v 0 blocks of at most
 * KASSA_ESCPOS_BAND_HEIGHT rows, then what @flags ask for. */
GBytes *kassa_escpos_encode_raster     (GBytes            *bits,
                                        guint              width,
                                        guint              height,
                                        KassaEscposFlags   flags);
GBytes *kassa_escpos_encode_receipt    (KassaReceipt      *receipt,
                                        KassaReceiptPaper  paper,
                                        KassaEscposFlags   flags,
                                        GError           **error);
/* Only the drawer pulse, to open the drawer without a sale. */
GBytes *kassa_escpos_encode_drawer_pulse (void);

G_END_DECLS
