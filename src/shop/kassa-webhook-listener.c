/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-webhook-listener"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "kassa-error.h"
#include "kassa-stripe-event.h"
#include "kassa-stripe-sync.h"
#include "kassa-stripe-webhook.h"
#include "kassa-webhook-listener.h"

struct _KassaWebhookListener
{
  GObject     parent_instance;

  KassaShop  *shop;
  char       *secret;
  SoupServer *server;
  guint       port;
  guint       n_applied;
  guint       n_rejected;
};

G_DEFINE_FINAL_TYPE (KassaWebhookListener, kassa_webhook_listener, G_TYPE_OBJECT)

static void
reply (SoupServerMessage *message,
       guint              status,
       const char        *text)
{
  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
}

static void
reject (KassaWebhookListener *self,
        SoupServerMessage    *message,
        guint                 status,
        const char           *why)
{
  self->n_rejected++;
  g_debug ("Webhook refused (%u): %s", status, why);
  reply (message, status, why);
}

/* Runs once the headers are in: a body announced as too large is refused
 * before it is read. */
static void
early_cb (SoupServer        *server,
          SoupServerMessage *message,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  KassaWebhookListener *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);

  if (!g_str_equal (soup_server_message_get_method (message), SOUP_METHOD_POST))
    return;

  /* A body of unknown length would be read whole before the handler
   * could measure it; Stripe always says how long its bodies are. */
  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    reject (self, message, SOUP_STATUS_BAD_REQUEST, "length required");
  else if (soup_message_headers_get_content_length (headers) > KASSA_STRIPE_WEBHOOK_MAX_BODY)
    reject (self, message, SOUP_STATUS_BAD_REQUEST, "body too large");
}

static void
webhook_cb (SoupServer        *server,
            SoupServerMessage *message,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  KassaWebhookListener *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(KassaStripeEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  const char *signature;
  const guint8 *data;
  gsize length;

  if (!g_str_equal (path, KASSA_WEBHOOK_LISTENER_PATH))
    {
      reject (self, message, SOUP_STATUS_BAD_REQUEST, "unknown path");
      return;
    }

  if (!g_str_equal (soup_server_message_get_method (message), SOUP_METHOD_POST))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (message), "Allow", "POST");
      reject (self, message, SOUP_STATUS_METHOD_NOT_ALLOWED, "POST only");
      return;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (message));
  data = g_bytes_get_data (body, &length);
  if (length > KASSA_STRIPE_WEBHOOK_MAX_BODY)
    {
      reject (self, message, SOUP_STATUS_BAD_REQUEST, "body too large");
      return;
    }

  signature = soup_message_headers_get_one (headers, "Stripe-Signature");
  if (!kassa_stripe_webhook_verify (signature, data, length, self->secret,
                                    g_get_real_time () / G_USEC_PER_SEC,
                                    KASSA_STRIPE_WEBHOOK_TOLERANCE, &error))
    {
      reject (self, message, SOUP_STATUS_BAD_REQUEST, "bad signature");
      return;
    }

  event = kassa_stripe_event_new_from_data ((const char *) data, length, &error);
  if (event == NULL)
    {
      reject (self, message, SOUP_STATUS_BAD_REQUEST, "not an event");
      return;
    }

  switch (kassa_stripe_sync_apply_event (self->shop, event, &error))
    {
    case KASSA_STRIPE_SYNC_FAILED:
      /* Not stored: a 5xx makes the sender deliver it again. */
      g_warning ("Stripe event %s not applied: %s", kassa_stripe_event_get_id (event), error->message);
      reply (message, SOUP_STATUS_INTERNAL_SERVER_ERROR, "not applied");
      return;
    case KASSA_STRIPE_SYNC_APPLIED:
      self->n_applied++;
      break;
    default:
      break;
    }

  reply (message, SOUP_STATUS_OK, "ok");
}

static void
kassa_webhook_listener_dispose (GObject *object)
{
  KassaWebhookListener *self = KASSA_WEBHOOK_LISTENER (object);

  kassa_webhook_listener_stop (self);
  g_clear_object (&self->shop);

  G_OBJECT_CLASS (kassa_webhook_listener_parent_class)->dispose (object);
}

static void
kassa_webhook_listener_finalize (GObject *object)
{
  KassaWebhookListener *self = KASSA_WEBHOOK_LISTENER (object);

  if (self->secret != NULL)
    {
      memset (self->secret, 0, strlen (self->secret));
      g_free (self->secret);
    }

  G_OBJECT_CLASS (kassa_webhook_listener_parent_class)->finalize (object);
}

static void
kassa_webhook_listener_class_init (KassaWebhookListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kassa_webhook_listener_dispose;
  object_class->finalize = kassa_webhook_listener_finalize;
}

static void
kassa_webhook_listener_init (KassaWebhookListener *self)
{
}

/**
 * kassa_webhook_listener_new:
 * @shop: the shop events are applied to
 * @webhook_secret: the `whsec_…` signing secret
 *
 * Returns: (transfer full): a listener that does not listen yet
 */
KassaWebhookListener *
kassa_webhook_listener_new (KassaShop  *shop,
                            const char *webhook_secret)
{
  KassaWebhookListener *self;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), NULL);
  g_return_val_if_fail (webhook_secret != NULL && *webhook_secret != '\0', NULL);

  self = g_object_new (KASSA_TYPE_WEBHOOK_LISTENER, NULL);
  self->shop = g_object_ref (shop);
  self->secret = g_strdup (webhook_secret);

  return self;
}

/**
 * kassa_webhook_listener_listen:
 * @self: a #KassaWebhookListener
 * @address: (nullable): must be `127.0.0.1` (the default)
 * @port: the TCP port, 0 for any free one
 * @error: a location for a #GError
 *
 * Serves on the thread-default main context.
 *
 * Returns: %TRUE when listening
 */
gboolean
kassa_webhook_listener_listen (KassaWebhookListener  *self,
                               const char            *address,
                               guint                  port,
                               GError               **error)
{
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(SoupServer) server = NULL;
  GSList *uris;

  g_return_val_if_fail (KASSA_IS_WEBHOOK_LISTENER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (address == NULL)
    address = KASSA_WEBHOOK_LISTENER_ADDRESS;

  if (!g_str_equal (address, KASSA_WEBHOOK_LISTENER_ADDRESS))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("The webhook listener only binds %s, not %s"),
                   KASSA_WEBHOOK_LISTENER_ADDRESS, address);
      return FALSE;
    }

  if (port > G_MAXUINT16)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("%u is not a TCP port"), port);
      return FALSE;
    }

  if (self->server != NULL)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("The webhook listener is already listening"));
      return FALSE;
    }

  server = soup_server_new ("server-header", "Kassa/" PACKAGE_VERSION " ", NULL);
  /* One handler for every path: anything but /webhook is refused there
   * (a path needs its own main handler beside its early one). */
  soup_server_add_early_handler (server, KASSA_WEBHOOK_LISTENER_PATH, early_cb, self, NULL);
  soup_server_add_handler (server, KASSA_WEBHOOK_LISTENER_PATH, webhook_cb, self, NULL);
  soup_server_add_handler (server, NULL, webhook_cb, self, NULL);

  loopback = g_inet_address_new_from_string (KASSA_WEBHOOK_LISTENER_ADDRESS);
  socket_address = g_inet_socket_address_new (loopback, port);
  if (!soup_server_listen (server, socket_address, 0, error))
    return FALSE;

  uris = soup_server_get_uris (server);
  self->port = uris != NULL ? (guint) g_uri_get_port (uris->data) : port;
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self->server = g_steal_pointer (&server);
  return TRUE;
}

void
kassa_webhook_listener_stop (KassaWebhookListener *self)
{
  g_return_if_fail (KASSA_IS_WEBHOOK_LISTENER (self));

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  self->port = 0;
}

guint
kassa_webhook_listener_get_port (KassaWebhookListener *self)
{
  g_return_val_if_fail (KASSA_IS_WEBHOOK_LISTENER (self), 0);

  return self->port;
}

/**
 * kassa_webhook_listener_get_url:
 * @self: a #KassaWebhookListener
 *
 * Returns: (transfer full) (nullable): what to give `stripe listen
 *   --forward-to`, or %NULL while not listening
 */
char *
kassa_webhook_listener_get_url (KassaWebhookListener *self)
{
  g_return_val_if_fail (KASSA_IS_WEBHOOK_LISTENER (self), NULL);

  if (self->server == NULL)
    return NULL;

  return g_strdup_printf ("http://%s:%u%s", KASSA_WEBHOOK_LISTENER_ADDRESS, self->port,
                          KASSA_WEBHOOK_LISTENER_PATH);
}

guint
kassa_webhook_listener_get_n_applied (KassaWebhookListener *self)
{
  g_return_val_if_fail (KASSA_IS_WEBHOOK_LISTENER (self), 0);

  return self->n_applied;
}

guint
kassa_webhook_listener_get_n_rejected (KassaWebhookListener *self)
{
  g_return_val_if_fail (KASSA_IS_WEBHOOK_LISTENER (self), 0);

  return self->n_rejected;
}
