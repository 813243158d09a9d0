/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-secrets"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "kassa-secrets.h"

/* Every call goes through libsecret's asynchronous API with a deadline:
 * a locked keyring waits for an unlock prompt that may never show (no
 * display, a prompt behind the till's full-screen window), and the till
 * must not wait with it. */

G_DEFINE_QUARK (kassa-secrets-error-quark, kassa_secrets_error)

typedef enum
{
  OPERATION_STORE,
  OPERATION_LOOKUP,
  OPERATION_CLEAR,
} Operation;

typedef struct
{
  Operation     operation;
  GCancellable *cancellable;       /* the caller's */
  GCancellable *inner;             /* handed to libsecret */
  gulong        cancelled_id;
  GSource      *timeout_source;
  gboolean      timed_out;
  gboolean      returned;
} Call;

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.kassapos.Kassa.Secret", SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

static const char *
kind_to_string (KassaSecretKind kind)
{
  switch (kind)
    {
    case KASSA_SECRET_STRIPE_SECRET_KEY:
      return "stripe-secret-key";
    case KASSA_SECRET_STRIPE_WEBHOOK_SECRET:
      return "stripe-webhook-secret";
    default:
      g_return_val_if_reached (NULL);
    }
}

static const char *
kind_to_label (KassaSecretKind kind)
{
  switch (kind)
    {
    case KASSA_SECRET_STRIPE_SECRET_KEY:
      return _("Kassa: Stripe API key");
    case KASSA_SECRET_STRIPE_WEBHOOK_SECRET:
      return _("Kassa: Stripe webhook signing secret");
    default:
      g_return_val_if_reached (NULL);
    }
}

static GHashTable *
make_attributes (KassaSecretKind kind,
                 const char     *account)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "kind", (gpointer) kind_to_string (kind));
  g_hash_table_insert (attributes, (gpointer) "account",
                       (gpointer) (account != NULL && *account != '\0' ? account : "default"));

  return attributes;
}

static void
call_free (Call *call)
{
  if (call->cancelled_id != 0)
    g_cancellable_disconnect (call->cancellable, call->cancelled_id);
  if (call->timeout_source != NULL)
    {
      g_source_destroy (call->timeout_source);
      g_source_unref (call->timeout_source);
    }
  g_clear_object (&call->cancellable);
  g_clear_object (&call->inner);
  g_free (call);
}

static GError *
translate_error (Call   *call,
                 GError *error)
{
  if (call->timed_out)
    return g_error_new_literal (KASSA_SECRETS_ERROR, KASSA_SECRETS_ERROR_TIMEOUT,
                                _("The keyring did not answer. It may be locked: unlock it "
                                  "(for example by logging in again) and try again."));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_new_literal (KASSA_SECRETS_ERROR, KASSA_SECRETS_ERROR_CANCELLED,
                                _("The keyring request was cancelled."));

  /* What libsecret reports when there is no bus, no keyring daemon, or
   * a daemon without a login keyring to store into. */
  if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_FAILED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return g_error_new (KASSA_SECRETS_ERROR, KASSA_SECRETS_ERROR_NO_SERVICE,
                        _("No keyring is available to keep the Stripe keys (%s). "
                          "Start a Secret Service such as GNOME Keyring."),
                        error->message);

  return g_error_new (KASSA_SECRETS_ERROR, KASSA_SECRETS_ERROR_FAILED,
                      _("The keyring failed: %s"), error->message);
}

static void
return_error (GTask  *task,
              GError *error)
{
  Call *call = g_task_get_task_data (task);

  if (call->returned)
    return;
  call->returned = TRUE;
  g_task_return_error (task, translate_error (call, error));
}

static gboolean
timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&call->timeout_source, g_source_unref);
  call->timed_out = TRUE;

  /* Answer now: libsecret may not come back even after cancelling. */
  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "timed out");
  return_error (task, error);
  g_cancellable_cancel (call->inner);

  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* The deadline holds a reference to the task; drop it now. */
  if (call->timeout_source != NULL)
    {
      g_source_destroy (call->timeout_source);
      g_clear_pointer (&call->timeout_source, g_source_unref);
    }

  switch (call->operation)
    {
    case OPERATION_STORE:
      if (secret_password_store_finish (result, &error))
        {
          if (!call->returned)
            g_task_return_boolean (task, TRUE);
          call->returned = TRUE;
          return;
        }
      break;

    case OPERATION_LOOKUP:
      {
        char *secret = secret_password_lookup_finish (result, &error);

        if (error == NULL)
          {
            if (!call->returned)
              g_task_return_pointer (task, secret, (GDestroyNotify) secret_password_free);
            else
              secret_password_free (secret);
            call->returned = TRUE;
            return;
          }
      }
      break;

    case OPERATION_CLEAR:
      /* FALSE without an error: there was nothing to clear. */
      secret_password_clear_finish (result, &error);
      if (error == NULL)
        {
          if (!call->returned)
            g_task_return_boolean (task, TRUE);
          call->returned = TRUE;
          return;
        }
      break;

    default:
      g_assert_not_reached ();
    }

  g_debug ("Keyring call failed: %s", error->message);
  return_error (task, error);
}

static GTask *
start_call (Operation           operation,
            guint               timeout_ms,
            GCancellable       *cancellable,
            GAsyncReadyCallback callback,
            gpointer            user_data,
            gpointer            source_tag)
{
  GTask *task;
  Call *call;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_check_cancellable (task, FALSE);

  call = g_new0 (Call, 1);
  call->operation = operation;
  call->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  call->inner = g_cancellable_new ();
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  if (cancellable != NULL)
    call->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                g_object_ref (call->inner), g_object_unref);

  call->timeout_source = g_timeout_source_new (timeout_ms > 0 ? timeout_ms
                                                              : KASSA_SECRETS_DEFAULT_TIMEOUT_MS);
  g_source_set_callback (call->timeout_source, timeout_cb, g_object_ref (task), g_object_unref);
  g_source_attach (call->timeout_source, g_task_get_context (task));

  return task;
}

/**
 * kassa_secrets_store_async:
 * @kind: which secret
 * @account: (nullable): which Stripe account it belongs to, %NULL for the
 *   default one
 * @secret: the secret; it is not logged
 * @timeout_ms: the deadline, 0 for %KASSA_SECRETS_DEFAULT_TIMEOUT_MS
 * @cancellable: (nullable): a #GCancellable
 *
 * Stores @secret in the default keyring, replacing an earlier one.
 */
void
kassa_secrets_store_async (KassaSecretKind     kind,
                           const char         *account,
                           const char         *secret,
                           guint               timeout_ms,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;
  Call *call;

  g_return_if_fail (kind_to_string (kind) != NULL);
  g_return_if_fail (secret != NULL && *secret != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = start_call (OPERATION_STORE, timeout_ms, cancellable, callback, user_data,
                     kassa_secrets_store_async);
  call = g_task_get_task_data (task);
  attributes = make_attributes (kind, account);
  secret_password_storev (get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                          kind_to_label (kind), secret, call->inner, done_cb, task);
}

gboolean
kassa_secrets_store_finish (GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * kassa_secrets_lookup_async:
 *
 * Looks a secret up. Finishing with %NULL and no error means none is
 * stored.
 */
void
kassa_secrets_lookup_async (KassaSecretKind     kind,
                            const char         *account,
                            guint               timeout_ms,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;
  Call *call;

  g_return_if_fail (kind_to_string (kind) != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = start_call (OPERATION_LOOKUP, timeout_ms, cancellable, callback, user_data,
                     kassa_secrets_lookup_async);
  call = g_task_get_task_data (task);
  attributes = make_attributes (kind, account);
  secret_password_lookupv (get_schema (), attributes, call->inner, done_cb, task);
}

/**
 * kassa_secrets_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the secret, to be released with
 *   kassa_secrets_free(); %NULL with @error unset when none is stored
 */
char *
kassa_secrets_lookup_finish (GAsyncResult *result,
                             GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * kassa_secrets_clear_async:
 *
 * Removes the secret; clearing one that is not stored succeeds.
 */
void
kassa_secrets_clear_async (KassaSecretKind     kind,
                           const char         *account,
                           guint               timeout_ms,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;
  Call *call;

  g_return_if_fail (kind_to_string (kind) != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = start_call (OPERATION_CLEAR, timeout_ms, cancellable, callback, user_data,
                     kassa_secrets_clear_async);
  call = g_task_get_task_data (task);
  attributes = make_attributes (kind, account);
  secret_password_clearv (get_schema (), attributes, call->inner, done_cb, task);
}

gboolean
kassa_secrets_clear_finish (GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * kassa_secrets_free:
 * @secret: (nullable): a secret from kassa_secrets_lookup_finish()
 *
 * Wipes and frees it.
 */
void
kassa_secrets_free (char *secret)
{
  if (secret != NULL)
    secret_password_free (secret);
}
