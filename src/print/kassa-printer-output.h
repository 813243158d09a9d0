/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kassa-print-enums.h"

G_BEGIN_DECLS

#define KASSA_PRINTER_OUTPUT_DEFAULT_PORT    9100
#define KASSA_PRINTER_OUTPUT_DEFAULT_TIMEOUT 10

/* Where printer bytes (ESC/POS) go. Sending is asynchronous and
 * cancellable; network sends fail with G_IO_ERROR_TIMED_OUT when the
 * printer does not take the job within the timeout, a queue that
 * refuses the job fails with KASSA_PRINT_ERROR_PRINTER. */

#define KASSA_TYPE_PRINTER_OUTPUT (kassa_printer_output_get_type ())

G_DECLARE_FINAL_TYPE (KassaPrinterOutput, kassa_printer_output, KASSA, PRINTER_OUTPUT, GObject)

KassaPrinterOutput     *kassa_printer_output_new_device  (const char           *path);
/* @port 0 means 9100. */
KassaPrinterOutput     *kassa_printer_output_new_tcp     (const char           *host,
                                                          guint16               port);
KassaPrinterOutput     *kassa_printer_output_new_cups    (const char           *queue);

KassaPrinterOutputKind  kassa_printer_output_get_kind    (KassaPrinterOutput   *self);
/* The device path, host or queue name. */
const char             *kassa_printer_output_get_target  (KassaPrinterOutput   *self);
guint16                 kassa_printer_output_get_port    (KassaPrinterOutput   *self);
/* Seconds for the whole send over TCP (connect and write); 0 for none. */
guint                   kassa_printer_output_get_timeout (KassaPrinterOutput   *self);
void                    kassa_printer_output_set_timeout (KassaPrinterOutput   *self,
                                                          guint                 seconds);

void                    kassa_printer_output_send_async  (KassaPrinterOutput   *self,
                                                          GBytes               *data,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean                kassa_printer_output_send_finish (KassaPrinterOutput   *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

G_END_DECLS
