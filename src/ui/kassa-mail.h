/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kassa-invoice-document.h"
#include "kassa-receipt.h"

G_BEGIN_DECLS

/* "Send" for receipts and invoices: the document is written as a PDF
 * and the user's own mail program opens with the recipient, subject,
 * message and the PDF attached, through the desktop's e-mail portal
 * (which works inside Flatpak and whatever mail program is set up).
 * Without a portal on the session bus, a mailto: link opens the mail
 * program with recipient, subject and message only: mailto: cannot
 * carry an attachment, so the caller tells the user where the PDF is. */

typedef enum
{
  KASSA_MAIL_ROUTE_PORTAL,
  KASSA_MAIL_ROUTE_MAILTO,
} KassaMailRoute;

/* Opens @uri (a mailto: link); the default asks GIO for the default
 * handler. Tests replace it. */
typedef gboolean (*KassaMailUriLauncher) (const char  *uri,
                                          GtkWindow   *parent,
                                          gpointer     user_data,
                                          GError     **error);

#define KASSA_TYPE_MAIL (kassa_mail_get_type ())

G_DECLARE_FINAL_TYPE (KassaMail, kassa_mail, KASSA, MAIL, GObject)

KassaMail *kassa_mail_new                   (void);
/* The application's instance (created on first use). */
KassaMail *kassa_mail_get_default           (void);
void       kassa_mail_set_uri_launcher      (KassaMail             *self,
                                             KassaMailUriLauncher   launcher,
                                             gpointer               user_data,
                                             GDestroyNotify         destroy);
/* Where the PDFs to attach are written: the user cache's kassa/outgoing
 * unless set. They stay there, as the mail program may read them only
 * when the message is sent. */
const char *kassa_mail_get_outgoing_dir     (KassaMail             *self);
void       kassa_mail_set_outgoing_dir      (KassaMail             *self,
                                             const char            *dir);

/* mailto:@address?subject=…&body=… with every part escaped; @address
 * may be NULL or empty. */
char      *kassa_mail_build_mailto_uri      (const char            *address,
                                             const char            *subject,
                                             const char            *body);

/* Opens a new message. @parent, @address and @attachment may be NULL. */
void       kassa_mail_compose_async         (KassaMail             *self,
                                             GtkWindow             *parent,
                                             const char            *address,
                                             const char            *subject,
                                             const char            *body,
                                             const char            *attachment,
                                             GCancellable          *cancellable,
                                             GAsyncReadyCallback    callback,
                                             gpointer               user_data);
/* @out_route: how the message was opened. @out_attachment: the PDF's
 * path (for kassa_mail_send_*; the caller's @attachment otherwise). */
gboolean   kassa_mail_compose_finish        (KassaMail             *self,
                                             GAsyncResult          *result,
                                             KassaMailRoute        *out_route,
                                             char                 **out_attachment,
                                             GError               **error);

/* The receipt as a PDF named after its order, then a new message to
 * @address with it. Finish with kassa_mail_compose_finish(). */
void       kassa_mail_send_receipt_async    (KassaMail             *self,
                                             GtkWindow             *parent,
                                             KassaReceipt          *receipt,
                                             KassaReceiptPaper      paper,
                                             const char            *address,
                                             GCancellable          *cancellable,
                                             GAsyncReadyCallback    callback,
                                             gpointer               user_data);
/* The invoice or credit note as a PDF named after its number, then a
 * new message to @address (the buyer's e-mail when NULL). */
void       kassa_mail_send_invoice_async    (KassaMail             *self,
                                             GtkWindow             *parent,
                                             KassaInvoiceDocument  *document,
                                             KassaPageFormat        format,
                                             const char            *address,
                                             GCancellable          *cancellable,
                                             GAsyncReadyCallback    callback,
                                             gpointer               user_data);

/* What to tell the user once the mail program opened: with mailto: the
 * PDF is not attached, so the message says where it is. */
char      *kassa_mail_describe_result       (KassaMailRoute         route,
                                             const char            *attachment);

G_END_DECLS
