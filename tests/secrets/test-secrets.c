/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-secrets"

#include "config.h"

#include <string.h>

#include "kassa-secrets.h"

/* The round trip needs the suite's session bus with an unlocked keyring
 * (build-aux/headless-session.sh) and is skipped without one. The
 * failure modes run in subprocesses on a private bus of their own, so
 * they never depend on, or touch, a real keyring. */

typedef struct
{
  gboolean      done;
  gboolean      ok;
  char         *secret;
  GError       *error;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->secret, kassa_secrets_free);
  g_clear_error (&result->error);
  result->done = FALSE;
  result->ok = FALSE;
}

static void
store_cb (GObject      *object,
          GAsyncResult *res,
          gpointer      user_data)
{
  Result *result = user_data;

  result->ok = kassa_secrets_store_finish (res, &result->error);
  result->done = TRUE;
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  Result *result = user_data;

  result->secret = kassa_secrets_lookup_finish (res, &result->error);
  result->ok = result->error == NULL;
  result->done = TRUE;
}

static void
clear_cb (GObject      *object,
          GAsyncResult *res,
          gpointer      user_data)
{
  Result *result = user_data;

  result->ok = kassa_secrets_clear_finish (res, &result->error);
  result->done = TRUE;
}

static void
wait_for (Result *result)
{
  while (!result->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
store (KassaSecretKind kind,
       const char     *account,
       const char     *secret,
       guint           timeout_ms,
       GCancellable   *cancellable,
       Result         *result)
{
  result_clear (result);
  kassa_secrets_store_async (kind, account, secret, timeout_ms, cancellable, store_cb, result);
  wait_for (result);
}

static void
lookup (KassaSecretKind kind,
        const char     *account,
        guint           timeout_ms,
        GCancellable   *cancellable,
        Result         *result)
{
  result_clear (result);
  kassa_secrets_lookup_async (kind, account, timeout_ms, cancellable, lookup_cb, result);
  wait_for (result);
}

static void
clear (KassaSecretKind kind,
       const char     *account,
       Result         *result)
{
  result_clear (result);
  kassa_secrets_clear_async (kind, account, 10000, NULL, clear_cb, result);
  wait_for (result);
}

/* Whether a Secret Service owns its name on the session bus, asked with
 * a short timeout so a missing bus cannot stall the test. */
static gboolean
secret_service_running (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    return FALSE;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    return FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE,
                                       2000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);

  return has_owner;
}

static void
test_round_trip (void)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *account = g_strconcat ("kassa-test-", uuid, NULL);
  Result result = { 0 };

  if (!secret_service_running ())
    {
      g_test_skip ("No Secret Service on the session bus; run the suite inside "
                   "dbus-run-session with build-aux/headless-session.sh");
      return;
    }

  lookup (KASSA_SECRET_STRIPE_SECRET_KEY, account, 10000, NULL, &result);
  g_assert_no_error (result.error);
  g_assert_null (result.secret);

  store (KASSA_SECRET_STRIPE_SECRET_KEY, account, "sk_test_first", 10000, NULL, &result);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  store (KASSA_SECRET_STRIPE_WEBHOOK_SECRET, account, "whsec_kept_apart", 10000, NULL, &result);
  g_assert_no_error (result.error);

  lookup (KASSA_SECRET_STRIPE_SECRET_KEY, account, 10000, NULL, &result);
  g_assert_no_error (result.error);
  g_assert_cmpstr (result.secret, ==, "sk_test_first");

  /* Storing again replaces. */
  store (KASSA_SECRET_STRIPE_SECRET_KEY, account, "sk_test_second", 10000, NULL, &result);
  g_assert_no_error (result.error);
  lookup (KASSA_SECRET_STRIPE_SECRET_KEY, account, 10000, NULL, &result);
  g_assert_cmpstr (result.secret, ==, "sk_test_second");

  /* Kinds and accounts do not mix. */
  lookup (KASSA_SECRET_STRIPE_WEBHOOK_SECRET, account, 10000, NULL, &result);
  g_assert_cmpstr (result.secret, ==, "whsec_kept_apart");
  lookup (KASSA_SECRET_STRIPE_SECRET_KEY, "kassa-test-other-account", 10000, NULL, &result);
  g_assert_no_error (result.error);
  g_assert_null (result.secret);

  clear (KASSA_SECRET_STRIPE_SECRET_KEY, account, &result);
  g_assert_no_error (result.error);
  lookup (KASSA_SECRET_STRIPE_SECRET_KEY, account, 10000, NULL, &result);
  g_assert_no_error (result.error);
  g_assert_null (result.secret);
  lookup (KASSA_SECRET_STRIPE_WEBHOOK_SECRET, account, 10000, NULL, &result);
  g_assert_cmpstr (result.secret, ==, "whsec_kept_apart");

  /* Clearing what is not there is fine. */
  clear (KASSA_SECRET_STRIPE_SECRET_KEY, account, &result);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);

  clear (KASSA_SECRET_STRIPE_WEBHOOK_SECRET, account, &result);
  g_assert_no_error (result.error);
  result_clear (&result);
}

static void
test_no_bus (void)
{
  Result result = { 0 };

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  /* A bus address that leads nowhere, and no X display to autolaunch. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/kassa-test-bus", TRUE);
  g_unsetenv ("DISPLAY");

  lookup (KASSA_SECRET_STRIPE_SECRET_KEY, NULL, 5000, NULL, &result);
  g_assert_error (result.error, KASSA_SECRETS_ERROR, KASSA_SECRETS_ERROR_NO_SERVICE);
  store (KASSA_SECRET_STRIPE_SECRET_KEY, NULL, "sk_test_x", 5000, NULL, &result);
  g_assert_error (result.error, KASSA_SECRETS_ERROR, KASSA_SECRETS_ERROR_NO_SERVICE);
  g_assert_nonnull (strstr (result.error->message, "keyring"));
  g_assert_null (strstr (result.error->message, "sk_test_x"));
  result_clear (&result);
}

static GTestDBus *
private_bus_up (void)
{
  g_autofree char *daemon = g_find_program_in_path ("dbus-daemon");
  GTestDBus *bus;

  if (daemon == NULL)
    return NULL;

  g_unsetenv ("DISPLAY");
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  return bus;
}

static void
test_no_service (void)
{
  g_autoptr(GTestDBus) bus = NULL;
  Result result = { 0 };

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  bus = private_bus_up ();
  if (bus == NULL)
    {
      g_test_skip ("dbus-daemon is not installed");
      return;
    }

  lookup (KASSA_SECRET_STRIPE_SECRET_KEY, NULL, 5000, NULL, &result);
  g_assert_error (result.error, KASSA_SECRETS_ERROR, KASSA_SECRETS_ERROR_NO_SERVICE);
  result_clear (&result);
  g_test_dbus_down (bus);
}

/* Swallows every call to the pretend keyring, as a keyring waiting on an
 * unlock prompt nobody sees appears to its callers. */
static GDBusMessage *
swallow_calls_cb (GDBusConnection *connection,
                  GDBusMessage    *message,
                  gboolean         incoming,
                  gpointer         user_data)
{
  if (incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL)
    {
      g_object_unref (message);
      return NULL;
    }

  return message;
}

static void
test_hanging_keyring (void)
{
  g_autoptr(GTestDBus) bus = NULL;
  g_autoptr(GDBusConnection) keyring = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GError) error = NULL;
  Result result = { 0 };
  gint64 started;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  bus = private_bus_up ();
  if (bus == NULL)
    {
      g_test_skip ("dbus-daemon is not installed");
      return;
    }

  keyring = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                                    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                    G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                    NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_add_filter (keyring, swallow_calls_cb, NULL, NULL);
  reply = g_dbus_connection_call_sync (keyring, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.secrets", 0),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE,
                                       5000, NULL, &error);
  g_assert_no_error (error);

  started = g_get_monotonic_time ();
  store (KASSA_SECRET_STRIPE_SECRET_KEY, NULL, "sk_test_x", 300, NULL, &result);
  g_assert_error (result.error, KASSA_SECRETS_ERROR, KASSA_SECRETS_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);

  lookup (KASSA_SECRET_STRIPE_SECRET_KEY, NULL, 300, NULL, &result);
  g_assert_error (result.error, KASSA_SECRETS_ERROR, KASSA_SECRETS_ERROR_TIMEOUT);

  /* The caller can give up before the deadline. */
  cancellable = g_cancellable_new ();
  g_cancellable_cancel (cancellable);
  lookup (KASSA_SECRET_STRIPE_SECRET_KEY, NULL, 60000, cancellable, &result);
  g_assert_error (result.error, KASSA_SECRETS_ERROR, KASSA_SECRETS_ERROR_CANCELLED);
  result_clear (&result);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/secrets/round-trip", test_round_trip);
  g_test_add_func ("/kassa/secrets/no-bus", test_no_bus);
  g_test_add_func ("/kassa/secrets/no-service", test_no_service);
  g_test_add_func ("/kassa/secrets/hanging-keyring", test_hanging_keyring);

  return g_test_run ();
}
