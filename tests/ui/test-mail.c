/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <utime.h>

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gio/gunixfdlist.h>
#include <glib/gstdio.h>

#include "kassa-mail.h"
#include "kassa-test-ui.h"
#include "../print/print-test-utils.h"

/* A stand-in for xdg-desktop-portal's e-mail interface, owning the
 * portal's name on the test's own session bus. It runs in a thread of
 * its own: libportal reads the interface's version with a blocking call
 * from the main thread. */

static const char portal_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.portal.Email'>"
  "    <method name='ComposeEmail'>"
  "      <arg type='s' name='parent_window' direction='in'/>"
  "      <arg type='a{sv}' name='options' direction='in'/>"
  "      <arg type='o' name='handle' direction='out'/>"
  "    </method>"
  "    <property name='version' type='u' access='read'/>"
  "  </interface>"
  "</node>";

typedef struct
{
  GMutex        lock;
  GCond         cond;
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  gboolean      owned;
  guint32       response;

  /* What ComposeEmail was given. */
  guint         n_calls;
  char        **addresses;
  char         *subject;
  char         *body;
  guint         n_attachments;
  char         *attachment_head;
} PortalMock;

static GVariant *
mock_get_property (GDBusConnection  *connection,
                   const char       *sender,
                   const char       *object_path,
                   const char       *interface_name,
                   const char       *property_name,
                   GError          **error,
                   gpointer          user_data)
{
  return g_variant_new_uint32 (4);
}

static void
mock_method_call (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *object_path,
                  const char            *interface_name,
                  const char            *method_name,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  PortalMock *mock = user_data;
  g_autoptr(GVariant) options = NULL;
  g_autoptr(GVariant) fds = NULL;
  g_autofree char *sender_part = NULL;
  g_autofree char *handle = NULL;
  GUnixFDList *fd_list;
  const char *parent_window;
  const char *token = "t";

  g_variant_get (parameters, "(&s@a{sv})", &parent_window, &options);
  g_variant_lookup (options, "handle_token", "&s", &token);

  g_mutex_lock (&mock->lock);
  mock->n_calls++;
  g_clear_pointer (&mock->addresses, g_strfreev);
  g_clear_pointer (&mock->subject, g_free);
  g_clear_pointer (&mock->body, g_free);
  g_clear_pointer (&mock->attachment_head, g_free);
  g_variant_lookup (options, "addresses", "^as", &mock->addresses);
  g_variant_lookup (options, "subject", "s", &mock->subject);
  g_variant_lookup (options, "body", "s", &mock->body);

  fds = g_variant_lookup_value (options, "attachment_fds", G_VARIANT_TYPE ("ah"));
  fd_list = g_dbus_message_get_unix_fd_list (g_dbus_method_invocation_get_message (invocation));
  mock->n_attachments = fds != NULL ? (guint) g_variant_n_children (fds) : 0;
  if (mock->n_attachments > 0 && fd_list != NULL)
    {
      gint32 index;
      int fd;

      g_variant_get_child (fds, 0, "h", &index);
      fd = g_unix_fd_list_get (fd_list, index, NULL);
      if (fd >= 0)
        {
          /* The portal hands out O_PATH descriptors: read through /proc,
           * as the real portal does when it passes a path on. */
          g_autofree char *proc = g_strdup_printf ("/proc/self/fd/%d", fd);
          g_autofree char *contents = NULL;
          gsize length = 0;

          if (g_file_get_contents (proc, &contents, &length, NULL))
            mock->attachment_head = g_strndup (contents, MIN (length, 8));
          close (fd);
        }
    }
  g_cond_broadcast (&mock->cond);
  g_mutex_unlock (&mock->lock);

  /* The request object libportal listens on: the caller's unique name
   * without the colon, dots as underscores, then the token. */
  sender_part = g_strdup (sender + 1);
  g_strdelimit (sender_part, ".", '_');
  handle = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", sender_part, token);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", handle));

  g_dbus_connection_emit_signal (connection, sender, handle,
                                 "org.freedesktop.portal.Request", "Response",
                                 g_variant_new ("(u@a{sv})", mock->response,
                                                g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)),
                                 NULL);
}

static const GDBusInterfaceVTable mock_vtable = {
  mock_method_call, mock_get_property, NULL, { 0 },
};

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  PortalMock *mock = user_data;

  g_mutex_lock (&mock->lock);
  mock->owned = TRUE;
  g_cond_broadcast (&mock->cond);
  g_mutex_unlock (&mock->lock);
}

static gpointer
mock_thread (gpointer data)
{
  PortalMock *mock = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (portal_xml, &error);
  g_autoptr(GDBusConnection) connection = NULL;
  g_autofree char *address = NULL;
  guint registration, owner;

  g_main_context_push_thread_default (mock->context);

  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  connection = g_dbus_connection_new_for_address_sync (address,
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  registration = g_dbus_connection_register_object (connection, "/org/freedesktop/portal/desktop",
                                                    info->interfaces[0], &mock_vtable, mock, NULL, &error);
  g_assert_no_error (error);
  owner = g_bus_own_name_on_connection (connection, "org.freedesktop.portal.Desktop",
                                        G_BUS_NAME_OWNER_FLAGS_NONE,
                                        name_acquired_cb, NULL, mock, NULL);

  g_main_loop_run (mock->loop);

  g_bus_unown_name (owner);
  g_dbus_connection_unregister_object (connection, registration);
  g_dbus_connection_flush_sync (connection, NULL, NULL);
  g_main_context_pop_thread_default (mock->context);
  return NULL;
}

static PortalMock *
portal_mock_start (guint32 response)
{
  PortalMock *mock = g_new0 (PortalMock, 1);
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  g_mutex_init (&mock->lock);
  g_cond_init (&mock->cond);
  mock->response = response;
  mock->context = g_main_context_new ();
  mock->loop = g_main_loop_new (mock->context, FALSE);
  mock->thread = g_thread_new ("portal-mock", mock_thread, mock);

  g_mutex_lock (&mock->lock);
  while (!mock->owned)
    if (!g_cond_wait_until (&mock->cond, &mock->lock, deadline))
      break;
  g_assert_true (mock->owned);
  g_mutex_unlock (&mock->lock);
  return mock;
}

static void
portal_mock_stop (PortalMock *mock)
{
  g_main_loop_quit (mock->loop);
  g_main_context_wakeup (mock->context);
  g_thread_join (mock->thread);
  g_main_loop_unref (mock->loop);
  g_main_context_unref (mock->context);
  g_strfreev (mock->addresses);
  g_free (mock->subject);
  g_free (mock->body);
  g_free (mock->attachment_head);
  g_mutex_clear (&mock->lock);
  g_cond_clear (&mock->cond);
  g_free (mock);

  /* Wait until the bus has taken the name back, so the next test sees
   * no portal. */
  for (int i = 0; i < 200; i++)
    {
      g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
      g_autoptr(GVariant) reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                               "org.freedesktop.DBus", "NameHasOwner",
                                                               g_variant_new ("(s)", "org.freedesktop.portal.Desktop"),
                                                               G_VARIANT_TYPE ("(b)"), 0, -1, NULL, NULL);
      gboolean owned = TRUE;

      if (reply != NULL)
        g_variant_get (reply, "(b)", &owned);
      if (!owned)
        return;
      kassa_test_ui_spin (10);
    }
}

typedef struct
{
  GAsyncResult *result;
  GPtrArray    *launched;
} Call;

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Call *call = user_data;

  call->result = g_object_ref (result);
}

static gboolean
call_done (gpointer data)
{
  return ((Call *) data)->result != NULL;
}

static gboolean
record_uri (const char  *uri,
            GtkWindow   *parent,
            gpointer     user_data,
            GError     **error)
{
  Call *call = user_data;

  g_ptr_array_add (call->launched, g_strdup (uri));
  return TRUE;
}

static KassaReceipt *
make_receipt (void)
{
  g_autoptr(KassaStoreProfile) profile = test_make_profile ();
  g_autoptr(KassaOrder) order = test_make_order ("S-000123");
  g_autoptr(KassaTotals) totals = NULL;

  test_add_order_line (order, "Espresso beans", 2000, 1490, 26000, 0);
  totals = test_order_totals (order, 0);
  return kassa_receipt_new (profile, order, totals);
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
set_age_days (const char *path,
              int         days)
{
  struct utimbuf times;

  times.actime = times.modtime = g_get_real_time () / G_USEC_PER_SEC - days * 24 * 60 * 60;
  g_assert_cmpint (g_utime (path, &times), ==, 0);
}

static void
test_portal_receipt (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kassa-mail-XXXXXX", &error);
  g_autoptr(KassaMail) mail = kassa_mail_new ();
  g_autoptr(KassaReceipt) receipt = make_receipt ();
  g_autoptr(GPtrArray) launched = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *attachment = NULL;
  g_autofree char *message = NULL;
  g_autofree char *old_pdf = NULL;
  g_autofree char *recent_pdf = NULL;
  g_autofree char *old_other = NULL;
  Call call = { NULL, launched };
  KassaMailRoute route = KASSA_MAIL_ROUTE_MAILTO;
  PortalMock *mock;
  GtkWidget *window = gtk_window_new ();

  g_assert_no_error (error);
  kassa_mail_set_outgoing_dir (mail, dir);
  kassa_mail_set_uri_launcher (mail, record_uri, &call, NULL);
  mock = portal_mock_start (0);

  /* Attachments of last month are cleared away, yesterday's stay, and
   * what is not an attachment is left alone. */
  old_pdf = g_build_filename (dir, "Receipt S-000001.pdf", NULL);
  recent_pdf = g_build_filename (dir, "Receipt S-000100.pdf", NULL);
  old_other = g_build_filename (dir, "notes.txt", NULL);
  g_assert_true (g_file_set_contents (old_pdf, "%PDF-1.5", -1, NULL));
  g_assert_true (g_file_set_contents (recent_pdf, "%PDF-1.5", -1, NULL));
  g_assert_true (g_file_set_contents (old_other, "kept", -1, NULL));
  set_age_days (old_pdf, 30);
  set_age_days (old_other, 30);
  set_age_days (recent_pdf, 1);

  gtk_window_present (GTK_WINDOW (window));
  kassa_mail_send_receipt_async (mail, GTK_WINDOW (window), receipt, KASSA_RECEIPT_PAPER_80MM,
                                 "jane@example.com", NULL, done_cb, &call);
  g_assert_true (kassa_test_ui_wait_for (call_done, &call));
  g_assert_true (kassa_mail_compose_finish (mail, call.result, &route, &attachment, &error));
  g_assert_no_error (error);
  g_assert_cmpint (route, ==, KASSA_MAIL_ROUTE_PORTAL);
  g_assert_cmpuint (launched->len, ==, 0);

  g_mutex_lock (&mock->lock);
  g_assert_cmpuint (mock->n_calls, ==, 1);
  g_assert_nonnull (mock->addresses);
  g_assert_cmpstr (mock->addresses[0], ==, "jane@example.com");
  g_assert_null (mock->addresses[1]);
  g_assert_nonnull (strstr (mock->subject, "S-000123"));
  g_assert_nonnull (strstr (mock->subject, "Café Lumière"));
  g_assert_nonnull (strstr (mock->body, "receipt S-000123 is attached"));
  g_assert_cmpuint (mock->n_attachments, ==, 1);
  g_assert_nonnull (mock->attachment_head);
  g_assert_true (g_str_has_prefix (mock->attachment_head, "%PDF"));
  g_mutex_unlock (&mock->lock);

  /* The attachment is named after the sale and stays for the mail
   * program to read. */
  g_assert_true (g_str_has_prefix (attachment, dir));
  g_assert_true (g_str_has_suffix (attachment, "Receipt S-000123.pdf"));
  g_assert_true (g_file_test (attachment, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (old_pdf, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (recent_pdf, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (old_other, G_FILE_TEST_IS_REGULAR));
  message = kassa_mail_describe_result (route, attachment);
  g_assert_cmpstr (message, ==, "Message opened in your mail program");

  portal_mock_stop (mock);
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&call.result);
  remove_dir (dir);
}

static void
test_portal_invoice_cancelled (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kassa-mail-XXXXXX", &error);
  g_autoptr(KassaMail) mail = kassa_mail_new ();
  g_autoptr(KassaStoreProfile) profile = test_make_profile ();
  g_autoptr(KassaInvoice) invoice = test_make_invoice (3);
  g_autoptr(KassaTotals) totals = test_invoice_totals (invoice);
  g_autoptr(KassaInvoiceDocument) document = kassa_invoice_document_new (profile, invoice, totals);
  g_autoptr(GPtrArray) launched = g_ptr_array_new_with_free_func (g_free);
  Call call = { NULL, launched };
  PortalMock *mock;

  kassa_mail_set_outgoing_dir (mail, dir);
  kassa_mail_set_uri_launcher (mail, record_uri, &call, NULL);
  /* The user closes the composer: response 1. */
  mock = portal_mock_start (1);

  /* No address given: the buyer's. */
  kassa_mail_send_invoice_async (mail, NULL, document, KASSA_PAGE_FORMAT_A4, NULL, NULL, done_cb, &call);
  g_assert_true (kassa_test_ui_wait_for (call_done, &call));
  g_assert_false (kassa_mail_compose_finish (mail, call.result, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Cancelling is an answer: no mailto: behind the user's back. */
  g_assert_cmpuint (launched->len, ==, 0);

  g_mutex_lock (&mock->lock);
  g_assert_cmpstr (mock->addresses[0], ==, "accounts@mueller.example");
  g_assert_cmpstr (mock->subject, ==, "Invoice INV-2026-000017");
  g_assert_true (g_str_has_prefix (mock->attachment_head, "%PDF"));
  g_mutex_unlock (&mock->lock);

  portal_mock_stop (mock);
  g_clear_object (&call.result);
  remove_dir (dir);
}

static void
test_mailto_fallback (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kassa-mail-XXXXXX", &error);
  g_autoptr(KassaMail) mail = kassa_mail_new ();
  g_autoptr(KassaReceipt) receipt = make_receipt ();
  g_autoptr(GPtrArray) launched = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *attachment = NULL;
  g_autofree char *message = NULL;
  Call call = { NULL, launched };
  KassaMailRoute route = KASSA_MAIL_ROUTE_PORTAL;
  const char *uri;

  kassa_mail_set_outgoing_dir (mail, dir);
  kassa_mail_set_uri_launcher (mail, record_uri, &call, NULL);

  /* Nobody owns org.freedesktop.portal.Desktop on this bus. */
  kassa_mail_send_receipt_async (mail, NULL, receipt, KASSA_RECEIPT_PAPER_80MM,
                                 "jane+shop@example.com", NULL, done_cb, &call);
  g_assert_true (kassa_test_ui_wait_for (call_done, &call));
  g_assert_true (kassa_mail_compose_finish (mail, call.result, &route, &attachment, &error));
  g_assert_no_error (error);
  g_assert_cmpint (route, ==, KASSA_MAIL_ROUTE_MAILTO);

  g_assert_cmpuint (launched->len, ==, 1);
  uri = g_ptr_array_index (launched, 0);
  g_assert_true (g_str_has_prefix (uri, "mailto:jane%2Bshop@example.com?subject=Your%20receipt%20S-000123%20from%20Caf%C3%A9%20Lumi%C3%A8re&body=Hello%2C%0A%0A"));
  g_assert_null (strchr (uri, ' '));

  /* mailto: carries no attachment: the user is told where the PDF is. */
  message = kassa_mail_describe_result (route, attachment);
  g_assert_nonnull (strstr (message, "without the PDF"));
  g_assert_nonnull (strstr (message, attachment));
  g_assert_true (g_file_test (attachment, G_FILE_TEST_IS_REGULAR));

  g_clear_object (&call.result);
  remove_dir (dir);
}

static void
test_mailto_uri (void)
{
  g_autofree char *bare = kassa_mail_build_mailto_uri (NULL, NULL, NULL);
  g_autofree char *body_only = kassa_mail_build_mailto_uri ("a@b.example", NULL, "x&y=z");

  g_assert_cmpstr (bare, ==, "mailto:");
  g_assert_cmpstr (body_only, ==, "mailto:a@b.example?body=x%26y%3Dz");
}

int
main (int   argc,
      char *argv[])
{
  if (!kassa_test_ui_init (&argc, &argv))
    {
      g_test_add_func ("/kassa/mail/no-display", kassa_test_ui_skip_no_display);
      return g_test_run ();
    }

  g_test_add_func ("/kassa/mail/mailto-uri", test_mailto_uri);
  g_test_add_func ("/kassa/mail/portal-receipt", test_portal_receipt);
  g_test_add_func ("/kassa/mail/portal-invoice-cancelled", test_portal_invoice_cancelled);
  g_test_add_func ("/kassa/mail/mailto-fallback", test_mailto_fallback);

  return g_test_run ();
}
