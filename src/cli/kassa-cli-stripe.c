/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-cli-stripe"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "kassa-cli-commands.h"
#include "kassa-secrets.h"
#include "kassa-shop.h"
#include "kassa-stripe-client.h"
#include "kassa-stripe-sync.h"
#include "kassa-webhook-listener.h"

/* Keys come from the environment (headless use) or the keyring, never
 * from the command line: argv is readable by every user of the machine
 * and lands in shell histories. */
#define SECRET_KEY_VARIABLE "KASSA_STRIPE_SECRET_KEY"
#define WEBHOOK_SECRET_VARIABLE "KASSA_STRIPE_WEBHOOK_SECRET"

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

static void
wipe (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
}

static char *
find_secret (KassaSecretKind   kind,
             const char       *variable,
             GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *from_environment = g_getenv (variable);
  char *secret;

  if (from_environment != NULL && *from_environment != '\0')
    return g_strdup (from_environment);

  kassa_secrets_lookup_async (kind, NULL, KASSA_SECRETS_DEFAULT_TIMEOUT_MS, NULL, done_cb, &result);
  secret = kassa_secrets_lookup_finish (wait_for (&result), &local_error);
  if (local_error != NULL)
    {
      /* Headless machines have no keyring: say what else works. */
      g_set_error (error, local_error->domain, local_error->code, _("%s For use without a keyring, set %s."),
                   local_error->message, variable);
      return NULL;
    }

  if (secret == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   kind == KASSA_SECRET_STRIPE_SECRET_KEY
                     ? _("No Stripe secret key: store one with “kassa-cli stripe set-key” or set %s")
                     : _("No webhook signing secret: store one with “kassa-cli stripe set-key --webhook-secret” or set %s"),
                   variable);
      return NULL;
    }

  /* The keyring's copy is in non-pageable memory; ours is short-lived. */
  {
    char *copy = g_strdup (secret);

    kassa_secrets_free (secret);
    return copy;
  }
}

static KassaShop *
open_shop (KassaCliContext  *context,
           GError          **error)
{
  KassaShop *shop = kassa_shop_open (context->database_path, error);

  if (shop != NULL)
    kassa_shop_act_as_system (shop);

  return shop;
}

/* -- set-key --------------------------------------------------------------- */

static gboolean
stripe_set_key (KassaCliContext  *context,
                int               argc,
                char            **argv,
                GError          **error)
{
  g_autoptr(GBytes) input = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *key = NULL;
  KassaSecretKind kind = KASSA_SECRET_STRIPE_SECRET_KEY;
  const char *data;
  gsize length;
  gboolean ok;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--webhook-secret"))
        kind = KASSA_SECRET_STRIPE_WEBHOOK_SECRET;
      else
        {
          /* Never repeat the argument: it may be the key itself. */
          g_set_error_literal (error, KASSA_CLI_USAGE_ERROR, 0,
                               _("stripe set-key takes no key on the command line: "
                                 "it reads the key from standard input"));
          return FALSE;
        }
    }

  input = kassa_cli_read_all (context, error);
  if (input == NULL)
    return FALSE;

  data = g_bytes_get_data (input, &length);
  key = g_strstrip (g_strndup (data != NULL ? data : "", length));

  if (*key == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("No key on standard input"));
      return FALSE;
    }

  if (strpbrk (key, " \t\r\n") != NULL || strlen (key) > 1024 ||
      (kind == KASSA_SECRET_STRIPE_SECRET_KEY &&
       !g_str_has_prefix (key, "sk_") && !g_str_has_prefix (key, "rk_")) ||
      (kind == KASSA_SECRET_STRIPE_WEBHOOK_SECRET && !g_str_has_prefix (key, "whsec_")))
    {
      wipe (key);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           kind == KASSA_SECRET_STRIPE_SECRET_KEY
                             ? _("That is not a Stripe secret key (sk_…) or restricted key (rk_…)")
                             : _("That is not a webhook signing secret (whsec_…)"));
      return FALSE;
    }

  kassa_secrets_store_async (kind, NULL, key, KASSA_SECRETS_DEFAULT_TIMEOUT_MS, NULL, done_cb, &result);
  ok = kassa_secrets_store_finish (wait_for (&result), error);
  wipe (key);
  if (!ok)
    return FALSE;

  return kassa_cli_write (context,
                          kind == KASSA_SECRET_STRIPE_SECRET_KEY
                            ? _("Stored the Stripe secret key in the keyring.\n")
                            : _("Stored the webhook signing secret in the keyring.\n"),
                          error);
}

/* -- sync ------------------------------------------------------------------ */

static gboolean
stripe_sync (KassaCliContext  *context,
             int               argc,
             char            **argv,
             GError          **error)
{
  g_autoptr(KassaShop) shop = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(KassaStripeClient) client = NULL;
  g_autoptr(GAsyncResult) flushed = NULL;
  g_autoptr(GAsyncResult) polled = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *key = NULL;
  g_autofree char *json = NULL;
  g_autofree char *line = NULL;
  KassaStripeSyncStats stats = { 0, };
  guint sent = 0;
  guint failed = 0;

  if (argc > 1)
    {
      g_set_error_literal (error, KASSA_CLI_USAGE_ERROR, 0, _("stripe sync takes no arguments"));
      return FALSE;
    }

  shop = open_shop (context, error);
  if (shop == NULL)
    return FALSE;

  key = find_secret (KASSA_SECRET_STRIPE_SECRET_KEY, SECRET_KEY_VARIABLE, error);
  if (key == NULL)
    return FALSE;

  session = soup_session_new_with_options ("user-agent", "Kassa/" PACKAGE_VERSION, NULL);
  client = kassa_stripe_client_new (session, NULL, key);
  wipe (key);

  /* Queued work first: a refund waiting since the network came back
   * should not wait for the events as well. */
  kassa_stripe_sync_flush_outbox_async (shop, client, NULL, done_cb, &flushed);
  if (!kassa_stripe_sync_flush_outbox_finish (shop, wait_for (&flushed), &sent, &failed, error))
    return FALSE;

  kassa_stripe_sync_poll_async (shop, client, NULL, done_cb, &polled);
  if (!kassa_stripe_sync_poll_finish (shop, wait_for (&polled), &stats, error))
    return FALSE;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "events");
  json_builder_add_int_value (builder, stats.n_events);
  json_builder_set_member_name (builder, "applied");
  json_builder_add_int_value (builder, stats.n_applied);
  json_builder_set_member_name (builder, "already_applied");
  json_builder_add_int_value (builder, stats.n_already_applied);
  json_builder_set_member_name (builder, "ignored");
  json_builder_add_int_value (builder, stats.n_ignored);
  json_builder_set_member_name (builder, "reconciled");
  json_builder_add_int_value (builder, stats.n_reconciled);
  json_builder_set_member_name (builder, "gap");
  json_builder_add_boolean_value (builder, stats.gap);
  json_builder_set_member_name (builder, "outbox_sent");
  json_builder_add_int_value (builder, sent);
  json_builder_set_member_name (builder, "outbox_failed");
  json_builder_add_int_value (builder, failed);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  line = g_strconcat (json, "\n", NULL);

  return kassa_cli_write (context, line, error);
}

/* -- listen ---------------------------------------------------------------- */

static gboolean
quit_cb (gpointer user_data)
{
  gboolean *running = user_data;

  *running = FALSE;
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_port (const char  *text,
            guint       *out_port,
            GError     **error)
{
  guint64 port;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT16, &port, NULL))
    {
      g_set_error_literal (error, KASSA_CLI_USAGE_ERROR, 0, _("--port needs a number from 0 to 65535"));
      return FALSE;
    }

  *out_port = (guint) port;
  return TRUE;
}

static gboolean
stripe_listen (KassaCliContext  *context,
               int               argc,
               char            **argv,
               GError          **error)
{
  g_autoptr(KassaShop) shop = NULL;
  g_autoptr(KassaWebhookListener) listener = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *url = NULL;
  g_autofree char *line = NULL;
  gboolean running = TRUE;
  guint sigint_id;
  guint sigterm_id;
  guint port = 0;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--port"))
        {
          if (!parse_port (i + 1 < argc ? argv[++i] : NULL, &port, error))
            return FALSE;
        }
      else if (g_str_has_prefix (argv[i], "--port="))
        {
          if (!parse_port (argv[i] + strlen ("--port="), &port, error))
            return FALSE;
        }
      else
        {
          g_set_error (error, KASSA_CLI_USAGE_ERROR, 0, _("Unknown argument “%s” to stripe listen"), argv[i]);
          return FALSE;
        }
    }

  shop = open_shop (context, error);
  if (shop == NULL)
    return FALSE;

  secret = find_secret (KASSA_SECRET_STRIPE_WEBHOOK_SECRET, WEBHOOK_SECRET_VARIABLE, error);
  if (secret == NULL)
    return FALSE;

  listener = kassa_webhook_listener_new (shop, secret);
  wipe (secret);
  if (!kassa_webhook_listener_listen (listener, NULL, port, error))
    return FALSE;

  url = kassa_webhook_listener_get_url (listener);
  line = g_strdup_printf (_("Listening on %s — forward with: stripe listen --forward-to %s\n"), url, url);
  if (!kassa_cli_write (context, line, error))
    return FALSE;

  sigint_id = g_unix_signal_add (SIGINT, quit_cb, &running);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, &running);

  while (running)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  kassa_webhook_listener_stop (listener);

  g_printerr (_("Stopped after %u events applied, %u requests refused\n"),
              kassa_webhook_listener_get_n_applied (listener),
              kassa_webhook_listener_get_n_rejected (listener));

  return TRUE;
}

/**
 * kassa_cli_stripe:
 *
 * `stripe set-key [--webhook-secret]`, `stripe sync`, `stripe listen
 * [--port N]`.
 */
gboolean
kassa_cli_stripe (KassaCliContext  *context,
                  int               argc,
                  char            **argv,
                  GError          **error)
{
  if (argc < 2)
    {
      g_set_error_literal (error, KASSA_CLI_USAGE_ERROR, 0,
                           _("stripe needs a subcommand: set-key, sync or listen"));
      return FALSE;
    }

  if (g_str_equal (argv[1], "set-key"))
    return stripe_set_key (context, argc - 1, argv + 1, error);
  if (g_str_equal (argv[1], "sync"))
    return stripe_sync (context, argc - 1, argv + 1, error);
  if (g_str_equal (argv[1], "listen"))
    return stripe_listen (context, argc - 1, argv + 1, error);

  g_set_error (error, KASSA_CLI_USAGE_ERROR, 0, _("Unknown stripe subcommand “%s”"), argv[1]);
  return FALSE;
}
