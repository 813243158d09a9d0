/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-printer-output"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "kassa-print-error.h"
#include "kassa-printer-output.h"

struct _KassaPrinterOutput
{
  GObject                 parent_instance;

  KassaPrinterOutputKind  kind;
  char                   *target;
  guint16                 port;
  guint                   timeout;
};

G_DEFINE_FINAL_TYPE (KassaPrinterOutput, kassa_printer_output, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* State of one TCP send. The task's cancellable is our own, chained to
 * the caller's, so the timeout can cancel the send without touching the
 * caller's object. */
typedef struct
{
  GBytes       *data;
  GCancellable *caller_cancellable;
  gulong        caller_handler;
  GSource      *timeout_source;
  gboolean      timed_out;
} TcpSend;

static void
tcp_send_free (gpointer data)
{
  TcpSend *send = data;

  if (send->caller_handler != 0)
    g_cancellable_disconnect (send->caller_cancellable, send->caller_handler);
  g_clear_object (&send->caller_cancellable);
  if (send->timeout_source != NULL)
    {
      g_source_destroy (send->timeout_source);
      g_source_unref (send->timeout_source);
    }
  g_bytes_unref (send->data);
  g_free (send);
}

static void
tcp_return_error (GTask  *task,
                  GError *error)
{
  TcpSend *send = g_task_get_task_data (task);

  if (send->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               _("The printer did not answer in time"));
      return;
    }
  g_task_return_error (task, error);
}

static gboolean
tcp_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  TcpSend *send = g_task_get_task_data (task);

  send->timed_out = TRUE;
  g_cancellable_cancel (g_task_get_cancellable (task));
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *caller,
                     GCancellable *own)
{
  g_cancellable_cancel (own);
}

static void
tcp_closed_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_io_stream_close_finish (G_IO_STREAM (object), result, &error))
    tcp_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
tcp_written_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GSocketConnection *connection = g_object_get_data (G_OBJECT (task), "connection");
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      tcp_return_error (task, error);
      return;
    }
  g_io_stream_close_async (G_IO_STREAM (connection), G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), tcp_closed_cb, g_object_ref (task));
}

static void
tcp_connected_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcpSend *send = g_task_get_task_data (task);
  GSocketConnection *connection;
  GError *error = NULL;

  connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (object), result, &error);
  if (connection == NULL)
    {
      tcp_return_error (task, error);
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "connection", connection, g_object_unref);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                   g_bytes_get_data (send->data, NULL), g_bytes_get_size (send->data),
                                   G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   tcp_written_cb, g_object_ref (task));
}

static void
send_tcp (KassaPrinterOutput *self,
          GTask              *task,
          GBytes             *data,
          GCancellable       *cancellable)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  TcpSend *send = g_new0 (TcpSend, 1);

  send->data = g_bytes_ref (data);
  g_task_set_task_data (task, send, tcp_send_free);
  if (cancellable != NULL)
    {
      send->caller_cancellable = g_object_ref (cancellable);
      send->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                    g_object_ref (g_task_get_cancellable (task)),
                                                    g_object_unref);
    }
  if (self->timeout > 0)
    {
      send->timeout_source = g_timeout_source_new_seconds (self->timeout);
      g_source_set_callback (send->timeout_source, tcp_timeout_cb, task, NULL);
      g_source_attach (send->timeout_source, g_task_get_context (task));
    }

  g_socket_client_connect_to_host_async (client, self->target, self->port,
                                         g_task_get_cancellable (task),
                                         tcp_connected_cb, g_object_ref (task));
}

static void
device_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  KassaPrinterOutput *self = source_object;
  gsize size, done = 0;
  const guint8 *data = g_bytes_get_data (task_data, &size);
  int fd;

  /* No O_CREAT: a mistyped device path must fail, not leave a file. */
  fd = g_open (self->target, O_WRONLY | O_NOCTTY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("Could not open printer %s: %s"), self->target, g_strerror (saved));
      return;
    }
  while (done < size)
    {
      gssize n;

      if (g_task_return_error_if_cancelled (task))
        {
          close (fd);
          return;
        }
      n = write (fd, data + done, size - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          close (fd);
          g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                                   _("Could not write to printer %s: %s"), self->target, g_strerror (saved));
          return;
        }
      done += n;
    }
  if (close (fd) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("Could not write to printer %s: %s"), self->target, g_strerror (saved));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
lp_done_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GSubprocess *process = G_SUBPROCESS (object);
  KassaPrinterOutput *self = g_task_get_source_object (task);
  g_autoptr(GBytes) err = NULL;
  GError *error = NULL;

  if (!g_subprocess_communicate_finish (process, result, NULL, &err, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!g_subprocess_get_successful (process))
    {
      g_autofree char *message = NULL;

      message = err != NULL ? g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err)) : g_strdup ("");
      g_task_return_new_error (task, KASSA_PRINT_ERROR, KASSA_PRINT_ERROR_PRINTER,
                               _("The print queue %s refused the job: %s"), self->target,
                               g_strstrip (message));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
send_cups (KassaPrinterOutput *self,
           GTask              *task,
           GBytes             *data,
           GCancellable       *cancellable)
{
  g_autoptr(GSubprocess) process = NULL;
  GError *error = NULL;

  /* Raw: CUPS passes the ESC/POS bytes through untouched. */
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                              | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                              | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error,
                              "lp", "-d", self->target, "-o", "raw", NULL);
  if (process == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_subprocess_communicate_async (process, data, cancellable, lp_done_cb, g_object_ref (task));
}

static void
kassa_printer_output_finalize (GObject *object)
{
  KassaPrinterOutput *self = (KassaPrinterOutput *)object;

  g_clear_pointer (&self->target, g_free);

  G_OBJECT_CLASS (kassa_printer_output_parent_class)->finalize (object);
}

static void
kassa_printer_output_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  KassaPrinterOutput *self = KASSA_PRINTER_OUTPUT (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_printer_output_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  KassaPrinterOutput *self = KASSA_PRINTER_OUTPUT (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      kassa_printer_output_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_printer_output_class_init (KassaPrinterOutputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kassa_printer_output_finalize;
  object_class->get_property = kassa_printer_output_get_property;
  object_class->set_property = kassa_printer_output_set_property;

  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, KASSA_PRINTER_OUTPUT_DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_printer_output_init (KassaPrinterOutput *self)
{
  self->timeout = KASSA_PRINTER_OUTPUT_DEFAULT_TIMEOUT;
}

static KassaPrinterOutput *
output_new (KassaPrinterOutputKind  kind,
            const char             *target,
            guint16                 port)
{
  KassaPrinterOutput *self = g_object_new (KASSA_TYPE_PRINTER_OUTPUT, NULL);

  self->kind = kind;
  self->target = g_strdup (target);
  self->port = port;
  return self;
}

KassaPrinterOutput *
kassa_printer_output_new_device (const char *path)
{
  g_return_val_if_fail (path != NULL && path[0] != '\0', NULL);

  return output_new (KASSA_PRINTER_OUTPUT_DEVICE, path, 0);
}

KassaPrinterOutput *
kassa_printer_output_new_tcp (const char *host,
                              guint16     port)
{
  g_return_val_if_fail (host != NULL && host[0] != '\0', NULL);

  return output_new (KASSA_PRINTER_OUTPUT_TCP, host,
                     port != 0 ? port : KASSA_PRINTER_OUTPUT_DEFAULT_PORT);
}

KassaPrinterOutput *
kassa_printer_output_new_cups (const char *queue)
{
  g_return_val_if_fail (queue != NULL && queue[0] != '\0', NULL);
  /* The name goes on lp's command line: no option smuggling. */
  g_return_val_if_fail (queue[0] != '-', NULL);

  return output_new (KASSA_PRINTER_OUTPUT_CUPS, queue, 0);
}

KassaPrinterOutputKind
kassa_printer_output_get_kind (KassaPrinterOutput *self)
{
  g_return_val_if_fail (KASSA_IS_PRINTER_OUTPUT (self), 0);
  return self->kind;
}

const char *
kassa_printer_output_get_target (KassaPrinterOutput *self)
{
  g_return_val_if_fail (KASSA_IS_PRINTER_OUTPUT (self), NULL);
  return self->target;
}

guint16
kassa_printer_output_get_port (KassaPrinterOutput *self)
{
  g_return_val_if_fail (KASSA_IS_PRINTER_OUTPUT (self), 0);
  return self->port;
}

guint
kassa_printer_output_get_timeout (KassaPrinterOutput *self)
{
  g_return_val_if_fail (KASSA_IS_PRINTER_OUTPUT (self), 0);
  return self->timeout;
}

void
kassa_printer_output_set_timeout (KassaPrinterOutput *self,
                                  guint               seconds)
{
  g_return_if_fail (KASSA_IS_PRINTER_OUTPUT (self));

  if (self->timeout == seconds)
    return;
  self->timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

void
kassa_printer_output_send_async (KassaPrinterOutput  *self,
                                 GBytes              *data,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KASSA_IS_PRINTER_OUTPUT (self));
  g_return_if_fail (data != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  switch (self->kind)
    {
    case KASSA_PRINTER_OUTPUT_DEVICE:
      task = g_task_new (self, cancellable, callback, user_data);
      g_task_set_source_tag (task, kassa_printer_output_send_async);
      g_task_set_task_data (task, g_bytes_ref (data), (GDestroyNotify) g_bytes_unref);
      g_task_run_in_thread (task, device_thread);
      break;

    case KASSA_PRINTER_OUTPUT_TCP:
      {
        g_autoptr(GCancellable) own = g_cancellable_new ();

        task = g_task_new (self, own, callback, user_data);
        g_task_set_source_tag (task, kassa_printer_output_send_async);
        /* Our cancellable also fires on timeout; the error says which. */
        g_task_set_check_cancellable (task, FALSE);
        send_tcp (self, task, data, cancellable);
      }
      break;

    case KASSA_PRINTER_OUTPUT_CUPS:
      task = g_task_new (self, cancellable, callback, user_data);
      g_task_set_source_tag (task, kassa_printer_output_send_async);
      send_cups (self, task, data, cancellable);
      break;

    default:
      g_assert_not_reached ();
    }
}

gboolean
kassa_printer_output_send_finish (KassaPrinterOutput  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (KASSA_IS_PRINTER_OUTPUT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
