/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-receipt-output"

#include "config.h"

#include <glib/gi18n.h>

#include "kassa-escpos.h"
#include "kassa-print-operation.h"
#include "kassa-receipt-output.h"

KassaPrinterOutput *
kassa_receipt_output_from_settings (GSettings  *settings,
                                    GError    **error)
{
  g_autofree char *kind = NULL;
  g_autofree char *target = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  kind = g_settings_get_string (settings, "receipt-printer-kind");
  target = g_strstrip (g_settings_get_string (settings, "receipt-printer-target"));

  if (g_str_equal (kind, "none"))
    return NULL;

  if (target[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The receipt printer has no address: set it in the preferences"));
      return NULL;
    }

  if (g_str_equal (kind, "device"))
    return kassa_printer_output_new_device (target);

  if (g_str_equal (kind, "cups"))
    return kassa_printer_output_new_cups (target);

  if (g_str_equal (kind, "network"))
    {
      g_autoptr(GSocketConnectable) address = g_network_address_parse (target, KASSA_PRINTER_OUTPUT_DEFAULT_PORT, NULL);

      if (address == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("The receipt printer’s address “%s” is not a host and port"), target);
          return NULL;
        }
      return kassa_printer_output_new_tcp (g_network_address_get_hostname (G_NETWORK_ADDRESS (address)),
                                           g_network_address_get_port (G_NETWORK_ADDRESS (address)));
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("Unknown receipt printer connection “%s”"), kind);
  return NULL;
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!kassa_printer_output_send_finish (KASSA_PRINTER_OUTPUT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                                 _("The receipt printer did not print: %s"), error->message);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
dialog_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!kassa_print_operation_print_finish (KASSA_PRINT_OPERATION (object), result, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Sends @escpos to the thermal printer, or opens the print dialog of
 * @operation when none is set up. */
static void
print_either (GtkWindow           *parent,
              GSettings           *settings,
              GBytes            *(*encode) (gpointer, GError **),
              gpointer             document,
              KassaPrintOperation *(*dialog) (gpointer),
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(KassaPrinterOutput) output = NULL;
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, kassa_receipt_output_print_finish);

  output = kassa_receipt_output_from_settings (settings, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (output != NULL)
    {
      g_autoptr(GBytes) bytes = encode (document, &error);

      if (bytes == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      kassa_printer_output_send_async (output, bytes, cancellable, sent_cb, g_steal_pointer (&task));
    }
  else
    {
      g_autoptr(KassaPrintOperation) operation = dialog (document);

      kassa_print_operation_print_async (operation, parent, cancellable, dialog_done_cb, g_steal_pointer (&task));
    }
}

typedef struct
{
  KassaReceipt *receipt;
  gboolean      open_drawer;
} ReceiptJob;

static GBytes *
encode_receipt (gpointer   data,
                GError   **error)
{
  ReceiptJob *job = data;

  return kassa_escpos_encode_receipt (job->receipt, KASSA_RECEIPT_OUTPUT_PAPER,
                                      KASSA_ESCPOS_CUT | (job->open_drawer ? KASSA_ESCPOS_OPEN_DRAWER : 0),
                                      error);
}

static KassaPrintOperation *
receipt_dialog (gpointer data)
{
  ReceiptJob *job = data;

  return kassa_print_operation_new_for_receipt (job->receipt, KASSA_RECEIPT_OUTPUT_PAPER);
}

void
kassa_receipt_output_print_receipt_async (GtkWindow           *parent,
                                          GSettings           *settings,
                                          KassaReceipt        *receipt,
                                          gboolean             open_drawer,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  ReceiptJob job = { receipt, open_drawer };

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (KASSA_IS_RECEIPT (receipt));

  print_either (parent, settings, encode_receipt, &job, receipt_dialog, cancellable, callback, user_data);
}

static GBytes *
encode_report (gpointer   data,
               GError   **error)
{
  return kassa_print_shift_report_to_escpos_bytes (data, KASSA_RECEIPT_OUTPUT_PAPER, error);
}

static KassaPrintOperation *
report_dialog (gpointer data)
{
  return kassa_print_operation_new_for_shift_report (data, KASSA_RECEIPT_OUTPUT_PAPER);
}

void
kassa_receipt_output_print_shift_report_async (GtkWindow             *parent,
                                               GSettings             *settings,
                                               KassaShiftReportPrint *report,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data)
{
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (KASSA_IS_SHIFT_REPORT_PRINT (report));

  print_either (parent, settings, encode_report, report, report_dialog, cancellable, callback, user_data);
}

gboolean
kassa_receipt_output_print_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kassa_receipt_output_print_finish, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
