/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KASSA_PRINT_ERROR (kassa_print_error_quark ())

/**
 * KassaPrintError:
 * @KASSA_PRINT_ERROR_INVALID: the document cannot be laid out (missing totals, bad link)
 * @KASSA_PRINT_ERROR_RENDER: cairo failed to produce the output
 * @KASSA_PRINT_ERROR_PRINTER: the printer or print queue refused the job
 *
 * Errors of the printing layer. I/O errors of files and sockets are
 * passed on in their own domains.
 */
typedef enum
{
  KASSA_PRINT_ERROR_INVALID,
  KASSA_PRINT_ERROR_RENDER,
  KASSA_PRINT_ERROR_PRINTER,
} KassaPrintError;

GQuark kassa_print_error_quark (void);

G_END_DECLS
