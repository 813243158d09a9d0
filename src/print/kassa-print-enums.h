/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Public enums of the printing layer. Their GTypes are generated into
 * kassa-print-enum-types.h by the build. */

/**
 * KassaReceiptPaper:
 * @KASSA_RECEIPT_PAPER_58MM: 58 mm roll, 48 mm printable (384 dots at 203 dpi)
 * @KASSA_RECEIPT_PAPER_80MM: 80 mm roll, 72 mm printable (576 dots at 203 dpi)
 */
typedef enum
{
  KASSA_RECEIPT_PAPER_58MM,
  KASSA_RECEIPT_PAPER_80MM,
} KassaReceiptPaper;

/**
 * KassaPageFormat:
 * @KASSA_PAGE_FORMAT_A4: 210 × 297 mm (595.28 × 841.89 pt)
 * @KASSA_PAGE_FORMAT_LETTER: 8.5 × 11 in (612 × 792 pt)
 */
typedef enum
{
  KASSA_PAGE_FORMAT_A4,
  KASSA_PAGE_FORMAT_LETTER,
} KassaPageFormat;

/**
 * KassaEscposFlags:
 * @KASSA_ESCPOS_NONE: print only
 * @KASSA_ESCPOS_CUT: feed past the tear bar and cut (GS V)
 * @KASSA_ESCPOS_OPEN_DRAWER: pulse the cash drawer on pin 2 (ESC p)
 */
typedef enum /*< flags >*/
{
  KASSA_ESCPOS_NONE        = 0,
  KASSA_ESCPOS_CUT         = 1 << 0,
  KASSA_ESCPOS_OPEN_DRAWER = 1 << 1,
} KassaEscposFlags;

/**
 * KassaPrinterOutputKind:
 * @KASSA_PRINTER_OUTPUT_DEVICE: a device file (/dev/usb/lp0) written directly
 * @KASSA_PRINTER_OUTPUT_TCP: a network printer's raw port (9100, "JetDirect")
 * @KASSA_PRINTER_OUTPUT_CUPS: a raw CUPS queue, through `lp -d QUEUE -o raw`
 */
typedef enum
{
  KASSA_PRINTER_OUTPUT_DEVICE,
  KASSA_PRINTER_OUTPUT_TCP,
  KASSA_PRINTER_OUTPUT_CUPS,
} KassaPrinterOutputKind;

G_END_DECLS
