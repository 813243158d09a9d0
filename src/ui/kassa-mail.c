/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-mail"

#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libportal-gtk4/portal-gtk4.h>

#include "kassa-mail.h"

#define PORTAL_BUS_NAME    "org.freedesktop.portal.Desktop"
#define PORTAL_OBJECT_PATH "/org/freedesktop/portal/desktop"
#define EMAIL_INTERFACE    "org.freedesktop.portal.Email"
/* D-Bus activation of the portal can take a moment on a cold session;
 * after this the mailto: link is the better answer. */
#define PORTAL_PROBE_TIMEOUT_MS 5000
/* Attachments wait in the cache folder for the mail program to read
 * them, which it does when the message is composed or sent; a week
 * later they are only copies of what the shop can print again. */
#define OUTGOING_KEEP_DAYS 7

struct _KassaMail
{
  GObject               parent_instance;

  XdpPortal            *portal;
  KassaMailUriLauncher  launcher;
  gpointer              launcher_data;
  GDestroyNotify        launcher_destroy;
  char                 *outgoing_dir;
};

G_DEFINE_FINAL_TYPE (KassaMail, kassa_mail, G_TYPE_OBJECT)

typedef struct
{
  GtkWindow      *parent;
  char           *address;
  char           *subject;
  char           *body;
  char           *attachment;
  KassaMailRoute  route;
} Compose;

static void
compose_free (gpointer data)
{
  Compose *compose = data;

  g_clear_object (&compose->parent);
  g_free (compose->address);
  g_free (compose->subject);
  g_free (compose->body);
  g_free (compose->attachment);
  g_free (compose);
}

static gboolean
default_launcher (const char  *uri,
                  GtkWindow   *parent,
                  gpointer     user_data,
                  GError     **error)
{
  g_autoptr(GAppLaunchContext) context = NULL;
  GdkDisplay *display = parent != NULL ? gtk_widget_get_display (GTK_WIDGET (parent))
                                       : gdk_display_get_default ();

  if (display != NULL)
    context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (display));

  return g_app_info_launch_default_for_uri (uri, context, error);
}

static void
open_mailto (GTask *task)
{
  KassaMail *self = g_task_get_source_object (task);
  Compose *compose = g_task_get_task_data (task);
  g_autofree char *uri = kassa_mail_build_mailto_uri (compose->address, compose->subject, compose->body);
  g_autoptr(GError) error = NULL;

  if (!self->launcher (uri, compose->parent, self->launcher_data, &error))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("No mail program could be opened: %s"), error->message);
      return;
    }

  compose->route = KASSA_MAIL_ROUTE_MAILTO;
  g_task_return_boolean (task, TRUE);
}

static void
portal_composed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Compose *compose = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!xdp_portal_compose_email_finish (XDP_PORTAL (object), result, &error))
    {
      g_debug ("The e-mail portal failed: %s", error->message);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                                 _("The mail program could not open the message"));
      return;
    }

  compose->route = KASSA_MAIL_ROUTE_PORTAL;
  g_task_return_boolean (task, TRUE);
}

static void
portal_probed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KassaMail *self = g_task_get_source_object (task);
  Compose *compose = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(XdpParent) parent = NULL;
  const char *addresses[] = { compose->address, NULL };
  const char *attachments[] = { compose->attachment, NULL };
  GCancellable *cancellable = g_task_get_cancellable (task);

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    {
      /* No portal answers (no xdg-desktop-portal, or one without the
       * e-mail interface): the mail program still opens by mailto:. */
      g_debug ("No e-mail portal: %s", error->message);
      open_mailto (task);
      return;
    }

  if (self->portal == NULL)
    self->portal = xdp_portal_new ();
  if (compose->parent != NULL)
    parent = xdp_parent_new_gtk (compose->parent);

  xdp_portal_compose_email (self->portal, parent,
                            compose->address != NULL ? addresses : NULL, NULL, NULL,
                            compose->subject, compose->body,
                            compose->attachment != NULL ? attachments : NULL,
                            XDP_EMAIL_FLAG_NONE,
                            cancellable,
                            portal_composed_cb, g_steal_pointer (&task));
}

static void
bus_got_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);

  bus = g_bus_get_finish (result, &error);
  if (bus == NULL)
    {
      g_debug ("No session bus: %s", error->message);
      open_mailto (task);
      return;
    }

  /* Ask first whether the portal and its e-mail interface are there:
   * libportal reads the interface's version synchronously and does not
   * cope with a portal that is missing. */
  g_dbus_connection_call (bus, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH,
                          "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", EMAIL_INTERFACE, "version"),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE,
                          PORTAL_PROBE_TIMEOUT_MS, cancellable,
                          portal_probed_cb, g_steal_pointer (&task));
}

/* Removes the attachments older than OUTGOING_KEEP_DAYS. Only PDFs are
 * touched: the folder is ours, but nothing else in it is. */
static void
prune_outgoing (KassaMail *self)
{
  g_autoptr(GDir) dir = g_dir_open (self->outgoing_dir, 0, NULL);
  gint64 oldest = g_get_real_time () / G_USEC_PER_SEC - OUTGOING_KEEP_DAYS * 24 * 60 * 60;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf st;

      if (!g_str_has_suffix (name, ".pdf"))
        continue;

      path = g_build_filename (self->outgoing_dir, name, NULL);
      if (g_lstat (path, &st) == 0 && S_ISREG (st.st_mode) && st.st_mtime < oldest &&
          g_unlink (path) != 0)
        g_debug ("Could not remove the old attachment %s: %s", path, g_strerror (errno));
    }
}

static gboolean
write_pdf (KassaMail    *self,
           const char   *name,
           GBytes       *pdf,
           char        **out_path,
           GError      **error)
{
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;

  if (g_mkdir_with_parents (self->outgoing_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the folder %s: %s"), self->outgoing_dir, g_strerror (saved_errno));
      return FALSE;
    }

  prune_outgoing (self);

  /* The file's name is the attachment's name in the message. */
  file_name = g_strdup_printf ("%s.pdf", name);
  g_strdelimit (file_name, "/\\:", '-');
  path = g_build_filename (self->outgoing_dir, file_name, NULL);
  if (!g_file_set_contents_full (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;

  *out_path = g_steal_pointer (&path);
  return TRUE;
}

static void
kassa_mail_finalize (GObject *object)
{
  KassaMail *self = (KassaMail *)object;

  if (self->launcher_destroy != NULL)
    self->launcher_destroy (self->launcher_data);
  g_clear_object (&self->portal);
  g_clear_pointer (&self->outgoing_dir, g_free);

  G_OBJECT_CLASS (kassa_mail_parent_class)->finalize (object);
}

static void
kassa_mail_class_init (KassaMailClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kassa_mail_finalize;
}

static void
kassa_mail_init (KassaMail *self)
{
  self->launcher = default_launcher;
  self->outgoing_dir = g_build_filename (g_get_user_cache_dir (), "kassa", "outgoing", NULL);
}

KassaMail *
kassa_mail_new (void)
{
  return g_object_new (KASSA_TYPE_MAIL, NULL);
}

KassaMail *
kassa_mail_get_default (void)
{
  static KassaMail *instance;

  if (g_once_init_enter (&instance))
    g_once_init_leave (&instance, kassa_mail_new ());
  return instance;
}

void
kassa_mail_set_uri_launcher (KassaMail             *self,
                             KassaMailUriLauncher   launcher,
                             gpointer               user_data,
                             GDestroyNotify         destroy)
{
  g_return_if_fail (KASSA_IS_MAIL (self));

  if (self->launcher_destroy != NULL)
    self->launcher_destroy (self->launcher_data);
  self->launcher = launcher != NULL ? launcher : default_launcher;
  self->launcher_data = launcher != NULL ? user_data : NULL;
  self->launcher_destroy = launcher != NULL ? destroy : NULL;
}

const char *
kassa_mail_get_outgoing_dir (KassaMail *self)
{
  g_return_val_if_fail (KASSA_IS_MAIL (self), NULL);
  return self->outgoing_dir;
}

void
kassa_mail_set_outgoing_dir (KassaMail  *self,
                             const char *dir)
{
  g_return_if_fail (KASSA_IS_MAIL (self));
  g_return_if_fail (dir != NULL);

  g_free (self->outgoing_dir);
  self->outgoing_dir = g_strdup (dir);
}

char *
kassa_mail_build_mailto_uri (const char *address,
                             const char *subject,
                             const char *body)
{
  g_autoptr(GString) uri = g_string_new ("mailto:");
  char separator = '?';

  if (address != NULL)
    g_string_append_uri_escaped (uri, address, "@", FALSE);
  if (subject != NULL && subject[0] != '\0')
    {
      g_string_append (uri, "?subject=");
      g_string_append_uri_escaped (uri, subject, NULL, FALSE);
      separator = '&';
    }
  if (body != NULL && body[0] != '\0')
    {
      g_string_append_c (uri, separator);
      g_string_append (uri, "body=");
      g_string_append_uri_escaped (uri, body, NULL, FALSE);
    }

  return g_string_free (g_steal_pointer (&uri), FALSE);
}

void
kassa_mail_compose_async (KassaMail           *self,
                          GtkWindow           *parent,
                          const char          *address,
                          const char          *subject,
                          const char          *body,
                          const char          *attachment,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Compose *compose;

  g_return_if_fail (KASSA_IS_MAIL (self));
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  compose = g_new0 (Compose, 1);
  compose->parent = parent != NULL ? g_object_ref (parent) : NULL;
  compose->address = address != NULL && address[0] != '\0' ? g_strdup (address) : NULL;
  compose->subject = g_strdup (subject);
  compose->body = g_strdup (body);
  compose->attachment = g_strdup (attachment);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kassa_mail_compose_async);
  g_task_set_task_data (task, compose, compose_free);

  g_bus_get (G_BUS_TYPE_SESSION, cancellable, bus_got_cb, g_steal_pointer (&task));
}

gboolean
kassa_mail_compose_finish (KassaMail       *self,
                           GAsyncResult    *result,
                           KassaMailRoute  *out_route,
                           char           **out_attachment,
                           GError         **error)
{
  Compose *compose;

  g_return_val_if_fail (KASSA_IS_MAIL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  compose = g_task_get_task_data (G_TASK (result));
  if (out_route != NULL)
    *out_route = compose->route;
  if (out_attachment != NULL)
    *out_attachment = g_strdup (compose->attachment);
  return TRUE;
}

static void
send_pdf (KassaMail           *self,
          GtkWindow           *parent,
          GBytes              *pdf,
          const char          *name,
          const char          *address,
          const char          *subject,
          const char          *body,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (!write_pdf (self, name, pdf, &path, &error))
    {
      g_task_report_error (self, callback, user_data, kassa_mail_compose_async, g_steal_pointer (&error));
      return;
    }

  kassa_mail_compose_async (self, parent, address, subject, body, path, cancellable, callback, user_data);
}

void
kassa_mail_send_receipt_async (KassaMail           *self,
                               GtkWindow           *parent,
                               KassaReceipt        *receipt,
                               KassaReceiptPaper    paper,
                               const char          *address,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  KassaStoreProfile *profile;
  const char *number;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;

  g_return_if_fail (KASSA_IS_MAIL (self));
  g_return_if_fail (KASSA_IS_RECEIPT (receipt));

  pdf = kassa_print_receipt_to_pdf_bytes (receipt, paper, &error);
  if (pdf == NULL)
    {
      g_task_report_error (self, callback, user_data, kassa_mail_compose_async, g_steal_pointer (&error));
      return;
    }

  profile = kassa_receipt_get_profile (receipt);
  number = kassa_order_get_number (kassa_receipt_get_order (receipt));
  /* Translators: the file name of an e-mailed receipt, %s its sale number */
  name = g_strdup_printf (_("Receipt %s"), number);
  /* Translators: an e-mail's subject: the sale number, then the store */
  subject = g_strdup_printf (_("Your receipt %s from %s"), number, kassa_store_profile_get_name (profile));
  body = g_strdup_printf (_("Hello,\n\nthank you for your purchase. Your receipt %s is attached.\n\n%s"),
                          number, kassa_store_profile_get_name (profile));

  send_pdf (self, parent, pdf, name, address, subject, body, cancellable, callback, user_data);
}

void
kassa_mail_send_invoice_async (KassaMail             *self,
                               GtkWindow             *parent,
                               KassaInvoiceDocument  *document,
                               KassaPageFormat        format,
                               const char            *address,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data)
{
  KassaInvoice *invoice;
  const char *reference;
  gboolean credit_note;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;

  g_return_if_fail (KASSA_IS_MAIL (self));
  g_return_if_fail (KASSA_IS_INVOICE_DOCUMENT (document));

  pdf = kassa_print_invoice_to_pdf_bytes (document, format, &error);
  if (pdf == NULL)
    {
      g_task_report_error (self, callback, user_data, kassa_mail_compose_async, g_steal_pointer (&error));
      return;
    }

  invoice = kassa_invoice_document_get_invoice (document);
  reference = kassa_invoice_get_reference (invoice);
  credit_note = kassa_invoice_get_kind (invoice) == KASSA_INVOICE_KIND_CREDIT_NOTE;
  if (address == NULL)
    address = kassa_invoice_get_buyer_email (invoice);

  if (credit_note)
    {
      subject = g_strdup_printf (_("Credit note %s"), reference);
      body = g_strdup_printf (_("Hello,\n\nplease find attached credit note %s."), reference);
    }
  else
    {
      subject = g_strdup_printf (_("Invoice %s"), reference);
      body = g_strdup_printf (_("Hello,\n\nplease find attached invoice %s."), reference);
    }

  send_pdf (self, parent, pdf, subject, address, subject, body, cancellable, callback, user_data);
}

char *
kassa_mail_describe_result (KassaMailRoute  route,
                            const char     *attachment)
{
  if (route == KASSA_MAIL_ROUTE_PORTAL || attachment == NULL)
    return g_strdup (_("Message opened in your mail program"));

  /* Translators: %s is the path of the PDF to attach by hand */
  return g_strdup_printf (_("Message opened without the PDF: attach %s"), attachment);
}
