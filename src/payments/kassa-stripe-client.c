/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-stripe-client"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "kassa-payment-error.h"
#include "kassa-stripe-client.h"

/* The Stripe REST transport: authentication, API version, idempotency,
 * retries with backoff, per-try timeouts and the mapping of Stripe's
 * errors to KASSA_PAYMENT_ERROR. It knows nothing about orders; the
 * providers above build the forms and read the objects. */

struct _KassaStripeClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  char        *secret_key;
  guint        max_tries;
  guint        backoff_initial_ms;
  guint        backoff_max_ms;
  guint        timeout_ms;
};

/* libsoup 3.2 has no name for it. */
#define STATUS_TOO_MANY_REQUESTS 429

G_DEFINE_FINAL_TYPE (KassaStripeClient, kassa_stripe_client, G_TYPE_OBJECT)

typedef struct
{
  KassaStripeClient *client;
  char              *method;
  char              *path;
  char              *uri;
  GBytes            *body;
  char              *idempotency_key;
  char              *authorization;
  GCancellable      *cancellable;

  guint              max_tries;
  guint              timeout_ms;
  guint              backoff_initial_ms;
  guint              backoff_max_ms;
  guint              tries;

  /* A POST that fully left at least once without a definite answer:
   * Stripe may have acted on it. */
  gboolean           maybe_applied;

  /* The try in flight. */
  SoupMessage       *message;
  GCancellable      *attempt_cancellable;
  gulong             cancelled_id;
  GSource           *timeout_source;
  gboolean           timed_out;
  gboolean           body_sent;

  /* Between tries. */
  GSource           *sleep_source;
  GSource           *cancel_source;

  char              *request_id;
} Request;

static void start_attempt (GTask *task);

static void
wipe_string (char **string)
{
  if (*string == NULL)
    return;

  sodium_memzero (*string, strlen (*string));
  g_clear_pointer (string, g_free);
}

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;

  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
request_end_attempt (Request *request)
{
  if (request->cancelled_id != 0)
    {
      g_cancellable_disconnect (request->cancellable, request->cancelled_id);
      request->cancelled_id = 0;
    }
  clear_source (&request->timeout_source);
  g_clear_object (&request->attempt_cancellable);
  if (request->message != NULL)
    g_signal_handlers_disconnect_by_data (request->message, request);
  g_clear_object (&request->message);
}

static void
request_free (Request *request)
{
  request_end_attempt (request);
  clear_source (&request->sleep_source);
  clear_source (&request->cancel_source);
  g_clear_object (&request->client);
  g_clear_object (&request->cancellable);
  g_free (request->method);
  g_free (request->path);
  g_free (request->uri);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request->idempotency_key);
  wipe_string (&request->authorization);
  g_free (request->request_id);
  g_free (request);
}

static gboolean
is_post (Request *request)
{
  return g_str_equal (request->method, SOUP_METHOD_POST);
}

static JsonObject *
member_object (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonObject *
parse_object (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  JsonNode *root;

  if (data == NULL || length == 0 ||
      !json_parser_load_from_data (parser, data, length, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

/* Stripe masks keys in its messages, but a message kept for logs must
 * not carry the key even if that ever changes. */
static char *
scrub_secret (const char *text,
              const char *secret)
{
  GString *scrubbed;

  if (text == NULL)
    return NULL;

  scrubbed = g_string_new (text);
  if (secret != NULL && *secret != '\0')
    g_string_replace (scrubbed, secret, "[redacted]", 0);

  return g_string_free (scrubbed, FALSE);
}

static GError *
error_from_response (Request    *request,
                     guint       status,
                     JsonObject *body)
{
  JsonObject *stripe_error = member_object (body, "error");
  const char *type = member_string (stripe_error, "type");
  const char *code = member_string (stripe_error, "code");
  const char *decline_code = member_string (stripe_error, "decline_code");
  const char *param = member_string (stripe_error, "param");
  g_autofree char *stripe_message = scrub_secret (member_string (stripe_error, "message"),
                                                  request->client->secret_key);
  GError *error;

  if (status == SOUP_STATUS_PAYMENT_REQUIRED || g_strcmp0 (type, "card_error") == 0)
    {
      gboolean declined = decline_code != NULL || g_strcmp0 (code, "card_declined") == 0;

      error = g_error_new_literal (KASSA_PAYMENT_ERROR,
                                   declined ? KASSA_PAYMENT_ERROR_DECLINED : KASSA_PAYMENT_ERROR_CARD,
                                   kassa_payment_error_describe_decline (declined ? decline_code : code));
    }
  else if (g_strcmp0 (type, "idempotency_error") == 0)
    error = g_error_new_literal (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_IDEMPOTENCY,
                                 _("Stripe refused a repeated request whose details changed."));
  else if (status == SOUP_STATUS_UNAUTHORIZED)
    error = g_error_new_literal (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_AUTHENTICATION,
                                 _("Stripe refused the API key. Check the key in the preferences."));
  else if (status == SOUP_STATUS_FORBIDDEN)
    error = g_error_new_literal (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_PERMISSION,
                                 _("The Stripe API key is not allowed to do this."));
  else if (status == SOUP_STATUS_NOT_FOUND)
    error = g_error_new_literal (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_NOT_FOUND,
                                 _("Stripe does not know this object."));
  else if (status == SOUP_STATUS_CONFLICT)
    error = g_error_new_literal (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_IDEMPOTENCY,
                                 _("Stripe is still working on the same request."));
  else if (status == STATUS_TOO_MANY_REQUESTS)
    error = g_error_new_literal (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_RATE_LIMITED,
                                 _("Stripe is receiving too many requests. Try again in a moment."));
  else if (status >= 500)
    error = g_error_new (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_API,
                         _("Stripe had a problem (HTTP %u). Try again later."), status);
  else if (param != NULL)
    error = g_error_new (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST,
                         _("Stripe refused the request because of “%s”."), param);
  else
    error = g_error_new (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST,
                         _("Stripe refused the request (HTTP %u)."), status);

  kassa_payment_error_set_details (error, status, request->request_id, code,
                                   decline_code, param, stripe_message);
  return error;
}

static gboolean
should_retry_status (SoupMessage *message,
                     guint        status)
{
  const char *hint;

  hint = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                       "Stripe-Should-Retry");
  if (g_strcmp0 (hint, "true") == 0)
    return TRUE;
  if (g_strcmp0 (hint, "false") == 0)
    return FALSE;

  return status == SOUP_STATUS_CONFLICT ||
         status == STATUS_TOO_MANY_REQUESTS ||
         status >= 500;
}

/* Errors after which the request may be repeated: nothing definite came
 * back. Only these become "unknown outcome" for a POST that may have
 * been applied. */
static gboolean
is_transient (const GError *error)
{
  return g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_NETWORK) ||
         g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_TIMEOUT) ||
         g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_API) ||
         g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_RATE_LIMITED) ||
         (g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_IDEMPOTENCY) &&
          kassa_payment_error_get_http_status (error) == SOUP_STATUS_CONFLICT);
}

static void
return_cancelled (GTask *task)
{
  g_task_return_new_error (task, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_CANCELLED,
                           _("The Stripe request was cancelled."));
}

static void
return_final_error (GTask  *task,
                    GError *error)
{
  Request *request = g_task_get_task_data (task);

  if (is_post (request) && request->maybe_applied && is_transient (error))
    {
      GError *unknown;

      unknown = g_error_new_literal (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME,
                                     _("It is not known whether Stripe carried out the request. "
                                       "Check its status before trying again."));
      kassa_payment_error_set_details (unknown,
                                       kassa_payment_error_get_http_status (error),
                                       kassa_payment_error_get_request_id (error),
                                       kassa_payment_error_get_stripe_code (error),
                                       NULL, NULL,
                                       kassa_payment_error_get_stripe_message (error));
      g_debug ("%s %s: outcome unknown after %u tries: %s",
               request->method, request->path, request->tries, error->message);
      g_error_free (error);
      g_task_return_error (task, unknown);
      return;
    }

  g_task_return_error (task, error);
}

static gboolean
sleep_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

  g_clear_pointer (&request->sleep_source, g_source_unref);
  clear_source (&request->cancel_source);
  start_attempt (task);

  return G_SOURCE_REMOVE;
}

static gboolean
sleep_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

  g_clear_pointer (&request->cancel_source, g_source_unref);
  clear_source (&request->sleep_source);
  return_cancelled (task);

  return G_SOURCE_REMOVE;
}

static void
retry_or_fail (GTask  *task,
               GError *error,
               gboolean retryable)
{
  Request *request = g_task_get_task_data (task);
  guint delay;

  if (!retryable || request->tries >= request->max_tries)
    {
      return_final_error (task, error);
      return;
    }

  delay = kassa_stripe_backoff_delay_ms (request->tries, request->backoff_initial_ms,
                                         request->backoff_max_ms, g_random_int ());
  g_debug ("%s %s: try %u of %u failed (%s); again in %u ms",
           request->method, request->path, request->tries, request->max_tries,
           error->message, delay);
  g_error_free (error);

  /* Both sources hold the task; whichever fires first removes the other. */
  request->sleep_source = g_timeout_source_new (delay);
  g_source_set_callback (request->sleep_source, sleep_done_cb,
                         g_object_ref (task), g_object_unref);
  g_source_attach (request->sleep_source, g_task_get_context (task));

  if (request->cancellable != NULL)
    {
      request->cancel_source = g_cancellable_source_new (request->cancellable);
      g_source_set_callback (request->cancel_source, G_SOURCE_FUNC (sleep_cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (request->cancel_source, g_task_get_context (task));
    }
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) body = NULL;
  SoupMessage *message = request->message;
  gboolean timed_out = request->timed_out;
  gboolean body_sent = request->body_sent;
  guint status;
  GError *error;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &local_error);
  status = soup_message_get_status (message);

  g_free (request->request_id);
  request->request_id = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                                "Request-Id"));
  g_object_ref (message);
  request_end_attempt (request);

  if (bytes == NULL)
    {
      g_object_unref (message);

      if (g_cancellable_is_cancelled (request->cancellable))
        {
          g_debug ("%s %s: cancelled on try %u", request->method, request->path, request->tries);
          return_cancelled (task);
          return;
        }

      if (is_post (request) && body_sent)
        request->maybe_applied = TRUE;

      if (timed_out)
        error = g_error_new (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_TIMEOUT,
                             _("Stripe did not answer within %u seconds."),
                             MAX (1, request->timeout_ms / 1000));
      else
        error = g_error_new (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_NETWORK,
                             _("Stripe could not be reached: %s"), local_error->message);

      retry_or_fail (task, error, TRUE);
      return;
    }

  g_debug ("%s %s -> %u (Request-Id %s, try %u of %u)",
           request->method, request->path, status,
           request->request_id != NULL ? request->request_id : "none",
           request->tries, request->max_tries);

  body = parse_object (bytes);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_object_unref (message);

      if (body == NULL)
        {
          error = g_error_new_literal (KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_RESPONSE,
                                       _("Stripe sent an answer Kassa cannot read."));
          kassa_payment_error_set_details (error, status, request->request_id,
                                           NULL, NULL, NULL, NULL);
          g_task_return_error (task, error);
          return;
        }

      g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) json_object_unref);
      return;
    }

  /* A server error or a conflicting concurrent request may have left
   * the POST half done; a rate-limited one never started. */
  if (is_post (request) && (status >= 500 || status == SOUP_STATUS_CONFLICT))
    request->maybe_applied = TRUE;

  error = error_from_response (request, status, body);
  retry_or_fail (task, error, should_retry_status (message, status));
  g_object_unref (message);
}

static gboolean
attempt_timeout_cb (gpointer user_data)
{
  Request *request = user_data;

  request->timed_out = TRUE;
  g_clear_pointer (&request->timeout_source, g_source_unref);
  g_cancellable_cancel (request->attempt_cancellable);

  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
wrote_body_cb (SoupMessage *message,
               gpointer     user_data)
{
  Request *request = user_data;

  request->body_sent = TRUE;
}

static void
start_attempt (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  if (g_cancellable_is_cancelled (request->cancellable))
    {
      return_cancelled (task);
      return;
    }

  request->tries++;
  request->timed_out = FALSE;
  request->body_sent = FALSE;

  request->message = soup_message_new (request->method, request->uri);
  g_assert (request->message != NULL);

  headers = soup_message_get_request_headers (request->message);
  soup_message_headers_replace (headers, "Authorization", request->authorization);
  soup_message_headers_replace (headers, "Stripe-Version", KASSA_STRIPE_API_VERSION);
  soup_message_headers_replace (headers, "User-Agent", "Kassa/" VERSION);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (request->idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", request->idempotency_key);

  if (request->body != NULL)
    soup_message_set_request_body_from_bytes (request->message,
                                              "application/x-www-form-urlencoded",
                                              request->body);
  g_signal_connect (request->message, "wrote-body", G_CALLBACK (wrote_body_cb), request);

  request->attempt_cancellable = g_cancellable_new ();
  if (request->cancellable != NULL)
    request->cancelled_id = g_cancellable_connect (request->cancellable,
                                                   G_CALLBACK (caller_cancelled_cb),
                                                   g_object_ref (request->attempt_cancellable),
                                                   g_object_unref);

  request->timeout_source = g_timeout_source_new (request->timeout_ms);
  g_source_set_callback (request->timeout_source, attempt_timeout_cb, request, NULL);
  g_source_attach (request->timeout_source, g_task_get_context (task));

  soup_session_send_and_read_async (request->client->session, request->message,
                                    G_PRIORITY_DEFAULT, request->attempt_cancellable,
                                    send_cb, g_object_ref (task));
}

static void
kassa_stripe_client_finalize (GObject *object)
{
  KassaStripeClient *self = (KassaStripeClient *) object;

  g_clear_object (&self->session);
  g_free (self->base_url);
  wipe_string (&self->secret_key);

  G_OBJECT_CLASS (kassa_stripe_client_parent_class)->finalize (object);
}

static void
kassa_stripe_client_class_init (KassaStripeClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kassa_stripe_client_finalize;
}

static void
kassa_stripe_client_init (KassaStripeClient *self)
{
  self->max_tries = KASSA_STRIPE_DEFAULT_MAX_TRIES;
  self->backoff_initial_ms = KASSA_STRIPE_DEFAULT_BACKOFF_INITIAL_MS;
  self->backoff_max_ms = KASSA_STRIPE_DEFAULT_BACKOFF_MAX_MS;
  self->timeout_ms = KASSA_STRIPE_DEFAULT_TIMEOUT_MS;
}

/**
 * kassa_stripe_client_new:
 * @session: (nullable): the application's session, or %NULL for a new one
 * @base_url: (nullable): the API base, %NULL for api.stripe.com; the
 *   environment variable `KASSA_STRIPE_API_BASE` overrides it
 * @secret_key: (nullable): the secret or restricted key, or %NULL until
 *   it is read from the keyring
 *
 * Returns: (transfer full): a new client
 */
KassaStripeClient *
kassa_stripe_client_new (SoupSession *session,
                         const char  *base_url,
                         const char  *secret_key)
{
  KassaStripeClient *self;
  const char *override = g_getenv ("KASSA_STRIPE_API_BASE");

  g_return_val_if_fail (session == NULL || SOUP_IS_SESSION (session), NULL);

  self = g_object_new (KASSA_TYPE_STRIPE_CLIENT, NULL);

  if (session != NULL)
    self->session = g_object_ref (session);
  else
    self->session = soup_session_new_with_options ("user-agent", "Kassa/" VERSION, NULL);

  if (override != NULL && *override != '\0')
    base_url = override;
  else if (base_url == NULL || *base_url == '\0')
    base_url = KASSA_STRIPE_API_BASE_DEFAULT;

  self->base_url = g_strdup (base_url);
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';

  kassa_stripe_client_set_secret_key (self, secret_key);

  return self;
}

const char *
kassa_stripe_client_get_base_url (KassaStripeClient *self)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_CLIENT (self), NULL);

  return self->base_url;
}

/**
 * kassa_stripe_client_get_session:
 *
 * Returns: (transfer none): the session requests go through
 */
SoupSession *
kassa_stripe_client_get_session (KassaStripeClient *self)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_CLIENT (self), NULL);

  return self->session;
}

/**
 * kassa_stripe_client_set_secret_key:
 * @secret_key: (nullable): the new key
 *
 * Replaces the key; the old one is wiped from memory. Requests already
 * in flight keep the key they started with.
 */
void
kassa_stripe_client_set_secret_key (KassaStripeClient *self,
                                    const char        *secret_key)
{
  g_return_if_fail (KASSA_IS_STRIPE_CLIENT (self));

  wipe_string (&self->secret_key);
  if (secret_key != NULL && *secret_key != '\0')
    self->secret_key = g_strdup (secret_key);
}

gboolean
kassa_stripe_client_has_secret_key (KassaStripeClient *self)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_CLIENT (self), FALSE);

  return self->secret_key != NULL;
}

/**
 * kassa_stripe_client_is_test_mode:
 *
 * Returns: whether the key is a test-mode key (`sk_test_`, `rk_test_`)
 */
gboolean
kassa_stripe_client_is_test_mode (KassaStripeClient *self)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_CLIENT (self), FALSE);

  return self->secret_key != NULL &&
         (g_str_has_prefix (self->secret_key, "sk_test_") ||
          g_str_has_prefix (self->secret_key, "rk_test_"));
}

/**
 * kassa_stripe_client_set_max_tries:
 * @max_tries: tries per request including the first, at least 1
 */
void
kassa_stripe_client_set_max_tries (KassaStripeClient *self,
                                   guint              max_tries)
{
  g_return_if_fail (KASSA_IS_STRIPE_CLIENT (self));
  g_return_if_fail (max_tries >= 1);

  self->max_tries = max_tries;
}

guint
kassa_stripe_client_get_max_tries (KassaStripeClient *self)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_CLIENT (self), 0);

  return self->max_tries;
}

/**
 * kassa_stripe_client_set_backoff:
 * @initial_ms: the wait before the second try
 * @max_ms: the longest wait between tries
 */
void
kassa_stripe_client_set_backoff (KassaStripeClient *self,
                                 guint              initial_ms,
                                 guint              max_ms)
{
  g_return_if_fail (KASSA_IS_STRIPE_CLIENT (self));
  g_return_if_fail (initial_ms <= max_ms);

  self->backoff_initial_ms = initial_ms;
  self->backoff_max_ms = max_ms;
}

/**
 * kassa_stripe_client_set_timeout:
 * @timeout_ms: how long one try may take, from sending to the last byte
 */
void
kassa_stripe_client_set_timeout (KassaStripeClient *self,
                                 guint              timeout_ms)
{
  g_return_if_fail (KASSA_IS_STRIPE_CLIENT (self));
  g_return_if_fail (timeout_ms > 0);

  self->timeout_ms = timeout_ms;
}

guint
kassa_stripe_client_get_timeout (KassaStripeClient *self)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_CLIENT (self), 0);

  return self->timeout_ms;
}

/**
 * kassa_stripe_client_new_idempotency_key:
 *
 * A fresh key for one logical operation. Store it with the local record
 * before the request leaves and reuse it for every repetition.
 *
 * Returns: (transfer full): `kassa-` followed by a random UUID
 */
char *
kassa_stripe_client_new_idempotency_key (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strconcat ("kassa-", uuid, NULL);
}

/**
 * kassa_stripe_backoff_delay_ms:
 * @retry: how many tries failed so far (1 before the second try)
 * @initial_ms: the base wait
 * @max_ms: the cap
 * @random: a random number
 *
 * The wait doubles per failed try up to @max_ms; the actual wait is drawn
 * from its upper half, so tills that failed together do not come back
 * together.
 *
 * Returns: the wait in milliseconds
 */
guint
kassa_stripe_backoff_delay_ms (guint   retry,
                               guint   initial_ms,
                               guint   max_ms,
                               guint32 random)
{
  guint delay = MIN (initial_ms, max_ms);
  guint half;

  for (guint i = 1; i < retry && delay < max_ms; i++)
    delay = delay > max_ms / 2 ? max_ms : delay * 2;

  half = delay / 2;

  return delay - half + random % (half + 1);
}

static gboolean
valid_path (const char *path)
{
  /* Paths are built from Stripe ids; anything that could leave /v1/ or
   * smuggle a query is a bug in the caller. */
  return g_str_has_prefix (path, "/v1/") &&
         strstr (path, "..") == NULL &&
         strpbrk (path, "?#% \t\r\n") == NULL;
}

/**
 * kassa_stripe_client_request_async:
 * @method: %SOUP_METHOD_GET, %SOUP_METHOD_POST or %SOUP_METHOD_DELETE
 * @path: the path under the base, starting with `/v1/`
 * @form: (nullable): the body of a POST, or the query of a GET/DELETE
 * @idempotency_key: (nullable): required for POST, ignored otherwise
 * @cancellable: (nullable): a #GCancellable
 *
 * Sends one logical request, repeating it per the retry policy. A POST
 * is repeated with the same @idempotency_key, so Stripe carries it out
 * at most once.
 */
void
kassa_stripe_client_request_async (KassaStripeClient  *self,
                                   const char         *method,
                                   const char         *path,
                                   KassaStripeForm    *form,
                                   const char         *idempotency_key,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *encoded = NULL;
  Request *request;
  gboolean post;

  g_return_if_fail (KASSA_IS_STRIPE_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  post = g_str_equal (method, SOUP_METHOD_POST);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kassa_stripe_client_request_async);
  /* Cancellation is reported as KASSA_PAYMENT_ERROR_CANCELLED. */
  g_task_set_check_cancellable (task, FALSE);

  if (!post && !g_str_equal (method, SOUP_METHOD_GET) && !g_str_equal (method, SOUP_METHOD_DELETE))
    {
      g_critical ("Unsupported Stripe method %s", method);
      g_task_return_new_error (task, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_FAILED,
                               "Unsupported method %s", method);
      return;
    }

  if (!valid_path (path))
    {
      g_critical ("Invalid Stripe path %s", path);
      g_task_return_new_error (task, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_FAILED,
                               "Invalid Stripe path");
      return;
    }

  if (post && (idempotency_key == NULL || *idempotency_key == '\0' ||
               strlen (idempotency_key) > KASSA_STRIPE_IDEMPOTENCY_KEY_MAX))
    {
      g_critical ("A Stripe POST needs an idempotency key of 1 to %d characters",
                  KASSA_STRIPE_IDEMPOTENCY_KEY_MAX);
      g_task_return_new_error (task, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_FAILED,
                               "A Stripe POST needs an idempotency key");
      return;
    }

  if (self->secret_key == NULL)
    {
      g_task_return_new_error (task, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_AUTHENTICATION,
                               _("No Stripe API key is set. Enter it in the preferences."));
      return;
    }

  request = g_new0 (Request, 1);
  request->client = g_object_ref (self);
  request->method = g_strdup (method);
  request->path = g_strdup (path);
  request->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  request->authorization = g_strconcat ("Bearer ", self->secret_key, NULL);
  request->max_tries = self->max_tries;
  request->timeout_ms = self->timeout_ms;
  request->backoff_initial_ms = self->backoff_initial_ms;
  request->backoff_max_ms = self->backoff_max_ms;

  encoded = form != NULL ? kassa_stripe_form_encode (form) : g_strdup ("");
  if (post)
    {
      request->uri = g_strconcat (self->base_url, path, NULL);
      /* Stripe wants a form body on every POST, even an empty one. */
      request->body = g_bytes_new_take (g_steal_pointer (&encoded), strlen (encoded));
      request->idempotency_key = g_strdup (idempotency_key);
    }
  else if (*encoded != '\0')
    request->uri = g_strconcat (self->base_url, path, "?", encoded, NULL);
  else
    request->uri = g_strconcat (self->base_url, path, NULL);

  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  if (!g_uri_is_valid (request->uri, G_URI_FLAGS_ENCODED, NULL))
    {
      g_task_return_new_error (task, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_FAILED,
                               _("The Stripe address “%s” is not valid."), self->base_url);
      return;
    }

  start_attempt (task);
}

void
kassa_stripe_client_get_async (KassaStripeClient  *self,
                               const char         *path,
                               KassaStripeForm    *query,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  kassa_stripe_client_request_async (self, SOUP_METHOD_GET, path, query, NULL,
                                     cancellable, callback, user_data);
}

void
kassa_stripe_client_post_async (KassaStripeClient  *self,
                                const char         *path,
                                KassaStripeForm    *form,
                                const char         *idempotency_key,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  kassa_stripe_client_request_async (self, SOUP_METHOD_POST, path, form, idempotency_key,
                                     cancellable, callback, user_data);
}

void
kassa_stripe_client_delete_async (KassaStripeClient  *self,
                                  const char         *path,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  kassa_stripe_client_request_async (self, SOUP_METHOD_DELETE, path, NULL, NULL,
                                     cancellable, callback, user_data);
}

/**
 * kassa_stripe_client_request_finish:
 * @request_id: (out) (optional) (nullable): Stripe's `Request-Id` of the
 *   last answer, for support questions
 * @error: return location for a #GError of %KASSA_PAYMENT_ERROR
 *
 * Returns: (transfer full) (nullable): the object Stripe answered with
 */
JsonObject *
kassa_stripe_client_request_finish (KassaStripeClient *self,
                                    GAsyncResult      *result,
                                    char             **request_id,
                                    GError           **error)
{
  Request *request;

  g_return_val_if_fail (KASSA_IS_STRIPE_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  request = g_task_get_task_data (G_TASK (result));
  if (request_id != NULL)
    *request_id = request != NULL ? g_strdup (request->request_id) : NULL;

  return g_task_propagate_pointer (G_TASK (result), error);
}
