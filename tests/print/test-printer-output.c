/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kassa-print-error.h"
#include "kassa-printer-output.h"

#include "../core/kassa-test-properties.h"

typedef struct
{
  char       *dir;
  GMainLoop  *loop;
  GError     *error;
  gboolean    sent;
  gboolean    done;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("kassa-printer-output-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->loop = g_main_loop_new (NULL, FALSE);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->dir);
  g_main_loop_unref (fixture->loop);
  g_clear_error (&fixture->error);
}

static GBytes *
make_payload (gsize size)
{
  guint8 *data = g_malloc (size);

  /* ESC/POS-like bytes, every value included. */
  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 7 + i / 256);
  return g_bytes_new_take (data, size);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *fixture = user_data;

  fixture->sent = kassa_printer_output_send_finish (KASSA_PRINTER_OUTPUT (object), result, &fixture->error);
  fixture->done = TRUE;
  g_main_loop_quit (fixture->loop);
}

static void
send_and_wait (Fixture            *fixture,
               KassaPrinterOutput *output,
               GBytes             *payload,
               GCancellable       *cancellable)
{
  fixture->done = FALSE;
  g_clear_error (&fixture->error);
  kassa_printer_output_send_async (output, payload, cancellable, sent_cb, fixture);
  while (!fixture->done)
    g_main_loop_run (fixture->loop);
}

static void
test_device (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "lp0", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "lp1", NULL);
  g_autoptr(KassaPrinterOutput) output = kassa_printer_output_new_device (path);
  g_autoptr(KassaPrinterOutput) nowhere = kassa_printer_output_new_device (missing);
  g_autoptr(GBytes) payload = make_payload (100000);
  g_autofree char *written = NULL;
  gsize length;

  g_assert_cmpint (kassa_printer_output_get_kind (output), ==, KASSA_PRINTER_OUTPUT_DEVICE);
  /* A device node exists before anyone writes to it. */
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  send_and_wait (fixture, output, payload, NULL);
  g_assert_no_error (fixture->error);
  g_assert_true (fixture->sent);
  g_assert_true (g_file_get_contents (path, &written, &length, NULL));
  g_assert_cmpmem (written, length, g_bytes_get_data (payload, NULL), g_bytes_get_size (payload));

  /* A missing device is an error, and no file appears in its place. */
  send_and_wait (fixture, nowhere, payload, NULL);
  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

/* A printer on port 9100: reads until the client closes. */
typedef struct
{
  GMutex      lock;
  GByteArray *received;
  gboolean    closed;
  gboolean    stall;
  /* Handlers still running: the Printer lives on the test's stack, so
   * stopping waits for them. */
  gint        running;
} Printer;

static gboolean
printer_run_cb (GThreadedSocketService *service,
                GSocketConnection      *connection,
                GObject                *source,
                Printer                *printer)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  guint8 buffer[8192];
  gssize n;

  g_atomic_int_inc (&printer->running);

  if (printer->stall)
    {
      /* Out of paper: accept, never read, until the client gives up. */
      while (g_input_stream_read (in, buffer, 0, NULL, NULL) == 0 && !g_atomic_int_get (&printer->closed))
        g_usleep (10000);
      g_atomic_int_dec_and_test (&printer->running);
      return TRUE;
    }

  while ((n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL)) > 0)
    {
      g_mutex_lock (&printer->lock);
      g_byte_array_append (printer->received, buffer, n);
      g_mutex_unlock (&printer->lock);
    }
  g_atomic_int_set (&printer->closed, TRUE);
  g_atomic_int_dec_and_test (&printer->running);
  return TRUE;
}

static GSocketService *
start_printer (Printer *printer,
               guint16 *port)
{
  GSocketService *service = g_threaded_socket_service_new (2);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_init (&printer->lock);
  printer->received = g_byte_array_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (service, "run", G_CALLBACK (printer_run_cb), printer);
  g_socket_service_start (service);
  return service;
}

static void
stop_printer (GSocketService *service,
              Printer        *printer)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_atomic_int_set (&printer->closed, TRUE);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  while (g_atomic_int_get (&printer->running) > 0 && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  g_assert_cmpint (g_atomic_int_get (&printer->running), ==, 0);
  g_object_unref (service);
  g_byte_array_unref (printer->received);
  g_mutex_clear (&printer->lock);
}

static void
test_tcp (Fixture       *fixture,
          gconstpointer  data)
{
  Printer printer = { 0 };
  guint16 port;
  GSocketService *service = start_printer (&printer, &port);
  g_autoptr(KassaPrinterOutput) output = kassa_printer_output_new_tcp ("127.0.0.1", port);
  g_autoptr(GBytes) payload = make_payload (300000);
  gint64 deadline;

  g_assert_cmpint (kassa_printer_output_get_port (output), ==, port);
  send_and_wait (fixture, output, payload, NULL);
  g_assert_no_error (fixture->error);
  g_assert_true (fixture->sent);

  /* The printer thread may still be draining its socket. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!g_atomic_int_get (&printer.closed) && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  g_assert_true (g_atomic_int_get (&printer.closed));
  g_mutex_lock (&printer.lock);
  g_assert_cmpmem (printer.received->data, printer.received->len,
                   g_bytes_get_data (payload, NULL), g_bytes_get_size (payload));
  g_mutex_unlock (&printer.lock);

  stop_printer (service, &printer);
}

static void
test_tcp_default_port (void)
{
  g_autoptr(KassaPrinterOutput) output = kassa_printer_output_new_tcp ("printer.local", 0);

  g_assert_cmpint (kassa_printer_output_get_kind (output), ==, KASSA_PRINTER_OUTPUT_TCP);
  g_assert_cmpstr (kassa_printer_output_get_target (output), ==, "printer.local");
  g_assert_cmpint (kassa_printer_output_get_port (output), ==, 9100);
  g_assert_cmpuint (kassa_printer_output_get_timeout (output), ==, KASSA_PRINTER_OUTPUT_DEFAULT_TIMEOUT);
}

static void
test_properties (void)
{
  g_autoptr(KassaPrinterOutput) output = kassa_printer_output_new_cups ("KITCHEN");

  kassa_test_check_defaults (G_OBJECT (output));
  kassa_test_check_properties (G_OBJECT (output), NULL);
  g_assert_cmpint (kassa_printer_output_get_kind (output), ==, KASSA_PRINTER_OUTPUT_CUPS);
  g_assert_cmpstr (kassa_printer_output_get_target (output), ==, "KITCHEN");
}

static void
test_tcp_refused (Fixture       *fixture,
                  gconstpointer  data)
{
  Printer printer = { 0 };
  guint16 port;
  GSocketService *service = start_printer (&printer, &port);
  g_autoptr(KassaPrinterOutput) output = NULL;
  g_autoptr(GBytes) payload = make_payload (10);

  /* A port that was just free again: nobody listens there. */
  stop_printer (service, &printer);
  output = kassa_printer_output_new_tcp ("127.0.0.1", port);
  send_and_wait (fixture, output, payload, NULL);
  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_false (fixture->sent);
}

static void
test_tcp_timeout (Fixture       *fixture,
                  gconstpointer  data)
{
  Printer printer = { 0 };
  guint16 port;
  GSocketService *service = NULL;
  g_autoptr(KassaPrinterOutput) output = NULL;
  /* More than loopback socket buffers hold, so the write must wait. */
  g_autoptr(GBytes) payload = make_payload (64 * 1024 * 1024);
  gint64 start;

  printer.stall = TRUE;
  service = start_printer (&printer, &port);
  output = kassa_printer_output_new_tcp ("127.0.0.1", port);
  kassa_printer_output_set_timeout (output, 1);

  start = g_get_monotonic_time ();
  send_and_wait (fixture, output, payload, NULL);
  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC / 2);
  stop_printer (service, &printer);
}

static void
test_tcp_cancel (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(KassaPrinterOutput) output = kassa_printer_output_new_tcp ("127.0.0.1", 9);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) payload = make_payload (10);

  g_cancellable_cancel (cancellable);
  send_and_wait (fixture, output, payload, cancellable);
  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* A stand-in for CUPS' lp that records its arguments and input. */
static void
install_fake_lp (Fixture    *fixture,
                 const char *body)
{
  g_autofree char *script = g_build_filename (fixture->dir, "lp", NULL);
  g_autofree char *text = g_strdup_printf ("#!/bin/sh\n%s\n", body);
  g_autofree char *path = g_strdup_printf ("%s:%s", fixture->dir, g_getenv ("PATH"));

  g_assert_true (g_file_set_contents (script, text, -1, NULL));
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);
  g_setenv ("PATH", path, TRUE);
}

static void
test_cups (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
  g_autofree char *body = g_strdup_printf ("printf '%%s\\n' \"$@\" > '%s/args'\ncat > '%s/data'",
                                           fixture->dir, fixture->dir);
  g_autofree char *args_path = g_build_filename (fixture->dir, "args", NULL);
  g_autofree char *data_path = g_build_filename (fixture->dir, "data", NULL);
  g_autoptr(KassaPrinterOutput) output = kassa_printer_output_new_cups ("KITCHEN");
  g_autoptr(GBytes) payload = make_payload (200000);
  g_autofree char *args = NULL;
  g_autofree char *written = NULL;
  gsize length;

  install_fake_lp (fixture, body);
  send_and_wait (fixture, output, payload, NULL);
  g_setenv ("PATH", old_path, TRUE);
  g_assert_no_error (fixture->error);
  g_assert_true (fixture->sent);

  g_assert_true (g_file_get_contents (args_path, &args, NULL, NULL));
  g_assert_cmpstr (args, ==, "-d\nKITCHEN\n-o\nraw\n");
  g_assert_true (g_file_get_contents (data_path, &written, &length, NULL));
  g_assert_cmpmem (written, length, g_bytes_get_data (payload, NULL), g_bytes_get_size (payload));
}

static void
test_cups_refused (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
  g_autoptr(KassaPrinterOutput) output = kassa_printer_output_new_cups ("NOPE");
  g_autoptr(GBytes) payload = make_payload (10);

  install_fake_lp (fixture, "cat > /dev/null\necho 'lp: The printer or class does not exist.' >&2\nexit 1");
  send_and_wait (fixture, output, payload, NULL);
  g_setenv ("PATH", old_path, TRUE);
  g_assert_error (fixture->error, KASSA_PRINT_ERROR, KASSA_PRINT_ERROR_PRINTER);
  g_assert_nonnull (strstr (fixture->error->message, "does not exist"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/kassa/printer-output/device", Fixture, NULL, fixture_setup, test_device, fixture_teardown);
  g_test_add ("/kassa/printer-output/tcp", Fixture, NULL, fixture_setup, test_tcp, fixture_teardown);
  g_test_add_func ("/kassa/printer-output/tcp-default-port", test_tcp_default_port);
  g_test_add_func ("/kassa/printer-output/properties", test_properties);
  g_test_add ("/kassa/printer-output/tcp-refused", Fixture, NULL, fixture_setup, test_tcp_refused, fixture_teardown);
  g_test_add ("/kassa/printer-output/tcp-timeout", Fixture, NULL, fixture_setup, test_tcp_timeout, fixture_teardown);
  g_test_add ("/kassa/printer-output/tcp-cancel", Fixture, NULL, fixture_setup, test_tcp_cancel, fixture_teardown);
  g_test_add ("/kassa/printer-output/cups", Fixture, NULL, fixture_setup, test_cups, fixture_teardown);
  g_test_add ("/kassa/printer-output/cups-refused", Fixture, NULL, fixture_setup, test_cups_refused, fixture_teardown);

  return g_test_run ();
}
