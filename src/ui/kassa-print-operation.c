/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-print-operation"

#include "config.h"

#include <glib/gi18n.h>

#include "kassa-print-operation.h"

typedef enum
{
  DOCUMENT_RECEIPT,
  DOCUMENT_INVOICE,
  DOCUMENT_SHIFT_REPORT,
} DocumentKind;

struct _KassaPrintOperation
{
  GObject                parent_instance;

  DocumentKind           kind;
  GObject               *document;
  KassaReceiptPaper      paper;
  GtkPrintOperation     *operation;
  GTask                 *task;
};

G_DEFINE_FINAL_TYPE (KassaPrintOperation, kassa_print_operation, G_TYPE_OBJECT)

#define MM_PER_PT (25.4 / 72.0)

static void
begin_print_cb (GtkPrintOperation   *operation,
                GtkPrintContext     *context,
                KassaPrintOperation *self)
{
  guint n_pages = 1;

  /* Only an invoice flows over pages; how many depends on the page the
   * user chose in the dialog. */
  if (self->kind == DOCUMENT_INVOICE)
    n_pages = kassa_invoice_document_get_n_pages (KASSA_INVOICE_DOCUMENT (self->document),
                                                  gtk_print_context_get_width (context),
                                                  gtk_print_context_get_height (context));
  gtk_print_operation_set_n_pages (operation, MAX (n_pages, 1));
}

static void
draw_page_cb (GtkPrintOperation   *operation,
              GtkPrintContext     *context,
              int                  page_nr,
              KassaPrintOperation *self)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  double height = gtk_print_context_get_height (context);

  switch (self->kind)
    {
    case DOCUMENT_RECEIPT:
      kassa_receipt_draw_page (KASSA_RECEIPT (self->document), cr, self->paper, width, height, page_nr);
      break;

    case DOCUMENT_INVOICE:
      kassa_invoice_document_draw_page (KASSA_INVOICE_DOCUMENT (self->document), cr, width, height, page_nr);
      break;

    case DOCUMENT_SHIFT_REPORT:
      kassa_shift_report_print_draw_page (KASSA_SHIFT_REPORT_PRINT (self->document), cr, self->paper,
                                          width, height, page_nr);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
done_cb (GtkPrintOperation       *operation,
         GtkPrintOperationResult  result,
         KassaPrintOperation     *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  g_autoptr(GError) error = NULL;

  if (task == NULL)
    return;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not print: %s"),
                               error != NULL ? error->message : _("unknown error"));
      return;
    }

  g_task_set_task_data (task, GINT_TO_POINTER (result == GTK_PRINT_OPERATION_RESULT_APPLY), NULL);
  g_task_return_boolean (task, TRUE);
}

/* A roll is as long as the content: a page of the roll's width and the
 * content's length, with the layout's own margins. */
static void
set_roll_page (KassaPrintOperation *self,
               double               content_height,
               const char          *name)
{
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  GtkPaperSize *size;
  double width = kassa_receipt_paper_get_width (self->paper);
  double margin = (width - kassa_receipt_paper_get_content_width (self->paper)) / 2;

  size = gtk_paper_size_new_custom (name, name, width * MM_PER_PT,
                                    (content_height + 2 * margin) * MM_PER_PT, GTK_UNIT_MM);
  gtk_page_setup_set_paper_size (setup, size);
  gtk_page_setup_set_top_margin (setup, margin, GTK_UNIT_POINTS);
  gtk_page_setup_set_bottom_margin (setup, margin, GTK_UNIT_POINTS);
  gtk_page_setup_set_left_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_right_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_print_operation_set_default_page_setup (self->operation, setup);
  gtk_paper_size_free (size);
}

static KassaPrintOperation *
print_operation_new (DocumentKind  kind,
                     gpointer      document,
                     const char   *job_name)
{
  KassaPrintOperation *self = g_object_new (KASSA_TYPE_PRINT_OPERATION, NULL);

  self->kind = kind;
  self->document = g_object_ref (document);
  gtk_print_operation_set_job_name (self->operation, job_name);
  return self;
}

static void
kassa_print_operation_dispose (GObject *object)
{
  KassaPrintOperation *self = (KassaPrintOperation *)object;

  if (self->operation != NULL)
    g_signal_handlers_disconnect_by_data (self->operation, self);
  g_clear_object (&self->operation);
  g_clear_object (&self->document);
  g_clear_object (&self->task);

  G_OBJECT_CLASS (kassa_print_operation_parent_class)->dispose (object);
}

static void
kassa_print_operation_class_init (KassaPrintOperationClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kassa_print_operation_dispose;
}

static void
kassa_print_operation_init (KassaPrintOperation *self)
{
  self->operation = gtk_print_operation_new ();
  gtk_print_operation_set_embed_page_setup (self->operation, TRUE);
  gtk_print_operation_set_unit (self->operation, GTK_UNIT_POINTS);
  g_signal_connect (self->operation, "begin-print", G_CALLBACK (begin_print_cb), self);
  g_signal_connect (self->operation, "draw-page", G_CALLBACK (draw_page_cb), self);
  g_signal_connect (self->operation, "done", G_CALLBACK (done_cb), self);
}

KassaPrintOperation *
kassa_print_operation_new_for_receipt (KassaReceipt      *receipt,
                                       KassaReceiptPaper  paper)
{
  KassaPrintOperation *self;
  g_autofree char *job = NULL;

  g_return_val_if_fail (KASSA_IS_RECEIPT (receipt), NULL);

  /* Translators: a print job's name, %s the sale number */
  job = g_strdup_printf (_("Receipt %s"), kassa_order_get_number (kassa_receipt_get_order (receipt)));
  self = print_operation_new (DOCUMENT_RECEIPT, receipt, job);
  self->paper = paper;
  set_roll_page (self, kassa_receipt_measure (receipt, paper), job);
  return self;
}

KassaPrintOperation *
kassa_print_operation_new_for_invoice (KassaInvoiceDocument *document,
                                       KassaPageFormat       format)
{
  KassaPrintOperation *self;
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  GtkPaperSize *size;
  const char *reference;

  g_return_val_if_fail (KASSA_IS_INVOICE_DOCUMENT (document), NULL);

  reference = kassa_invoice_get_reference (kassa_invoice_document_get_invoice (document));
  self = print_operation_new (DOCUMENT_INVOICE, document, reference);

  /* The layout keeps its own margins inside the page it is given. */
  size = gtk_paper_size_new (format == KASSA_PAGE_FORMAT_LETTER ? GTK_PAPER_NAME_LETTER : GTK_PAPER_NAME_A4);
  gtk_page_setup_set_paper_size_and_default_margins (setup, size);
  gtk_page_setup_set_top_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_bottom_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_left_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_right_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_print_operation_set_default_page_setup (self->operation, setup);
  gtk_paper_size_free (size);
  return self;
}

KassaPrintOperation *
kassa_print_operation_new_for_shift_report (KassaShiftReportPrint *report,
                                            KassaReceiptPaper      paper)
{
  KassaPrintOperation *self;
  const char *job;

  g_return_val_if_fail (KASSA_IS_SHIFT_REPORT_PRINT (report), NULL);

  job = kassa_shift_report_print_get_final (report) ? _("Z Report") : _("X Report");
  self = print_operation_new (DOCUMENT_SHIFT_REPORT, report, job);
  self->paper = paper;
  set_roll_page (self, kassa_shift_report_print_measure (report, paper), job);
  return self;
}

GtkPrintOperation *
kassa_print_operation_get_operation (KassaPrintOperation *self)
{
  g_return_val_if_fail (KASSA_IS_PRINT_OPERATION (self), NULL);
  return self->operation;
}

GtkPrintOperationResult
kassa_print_operation_run (KassaPrintOperation      *self,
                           GtkPrintOperationAction   action,
                           GtkWindow                *parent,
                           GError                  **error)
{
  g_return_val_if_fail (KASSA_IS_PRINT_OPERATION (self), GTK_PRINT_OPERATION_RESULT_ERROR);
  g_return_val_if_fail (self->task == NULL, GTK_PRINT_OPERATION_RESULT_ERROR);

  gtk_print_operation_set_allow_async (self->operation, FALSE);
  return gtk_print_operation_run (self->operation, action, parent, error);
}

void
kassa_print_operation_print_async (KassaPrintOperation *self,
                                   GtkWindow           *parent,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  GtkPrintOperationResult result;

  g_return_if_fail (KASSA_IS_PRINT_OPERATION (self));
  g_return_if_fail (self->task == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kassa_print_operation_print_async);
  self->task = g_object_ref (task);

  gtk_print_operation_set_allow_async (self->operation, TRUE);
  result = gtk_print_operation_run (self->operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                    parent, &error);
  /* "done" has already run when the operation finished synchronously. */
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR && self->task != NULL)
    {
      g_clear_object (&self->task);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not print: %s"),
                               error != NULL ? error->message : _("unknown error"));
    }
}

gboolean
kassa_print_operation_print_finish (KassaPrintOperation  *self,
                                    GAsyncResult         *result,
                                    gboolean             *out_printed,
                                    GError              **error)
{
  g_return_val_if_fail (KASSA_IS_PRINT_OPERATION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (out_printed != NULL)
    *out_printed = GPOINTER_TO_INT (g_task_get_task_data (G_TASK (result)));
  return TRUE;
}
