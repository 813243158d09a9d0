/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "kassa-fake-stripe.h"
#include "kassa-money.h"
#include "kassa-order-repository.h"
#include "kassa-shop-private.h"
#include "kassa-stripe-webhook.h"

#define TEST_KEY "sk_test_kassa_cli"
#define TEST_WEBHOOK_SECRET "whsec_cli_secret"

typedef struct
{
  char            *dir;
  char            *path;
  KassaFakeStripe *fake;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("kassa-cli-stripe-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "kassa.db", NULL);
  fixture->fake = kassa_fake_stripe_new (TEST_KEY);
  kassa_fake_stripe_set_clock (fixture->fake, g_get_real_time () / G_USEC_PER_SEC - 3600);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  g_clear_object (&fixture->fake);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);

      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* A launcher whose child finds no keyring at once (no session bus), and
 * has only the Stripe variables the test gives it. */
static GSubprocessLauncher *
new_launcher (Fixture *fixture)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                             G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                             G_SUBPROCESS_FLAGS_STDERR_PIPE);

  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/kassa-test-bus", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "KASSA_STRIPE_SECRET_KEY");
  g_subprocess_launcher_unsetenv (launcher, "KASSA_STRIPE_WEBHOOK_SECRET");
  g_subprocess_launcher_setenv (launcher, "KASSA_STRIPE_API_BASE", kassa_fake_stripe_get_url (fixture->fake), TRUE);

  return launcher;
}

/* Runs kassa-cli --database PATH @argv while the fake server keeps
 * serving on this thread. */
static void
run_cli (Fixture             *fixture,
         GSubprocessLauncher *launcher,
         const char          *input,
         const char * const  *argv,
         Run                 *run)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (args, (gpointer) g_getenv ("KASSA_CLI"));
  g_ptr_array_add (args, (gpointer) "--database");
  g_ptr_array_add (args, fixture->path);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, input, NULL, communicate_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_communicate_utf8_finish (process, result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static void
test_set_key_refuses_argv (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (fixture);
  const char *const *cases[] = {
    (const char *[]) { "stripe", "set-key", "sk_test_4eC39HqLyjWDarjtT1zdp7dc", NULL },
    (const char *[]) { "stripe", "set-key", "--key=sk_test_4eC39HqLyjWDarjtT1zdp7dc", NULL },
    (const char *[]) { "stripe", "set-key", "--webhook-secret", "whsec_4eC39HqLyjWDarjtT1zdp7dc", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Run run = { 0 };

      run_cli (fixture, launcher, "", cases[i], &run);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, "standard input"));
      /* The key is not repeated anywhere. */
      g_assert_null (strstr (run.err, "4eC39HqLyjWDarjtT1zdp7dc"));
      g_assert_null (strstr (run.out, "4eC39HqLyjWDarjtT1zdp7dc"));
      run_clear (&run);
    }
}

static void
test_set_key_input (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (fixture);
  Run run = { 0 };

  /* Not a key: refused before any keyring is asked, not echoed. */
  run_cli (fixture, launcher, "pk_test_4eC39HqLyjWDarjtT1zdp7dc\n",
           (const char *[]) { "stripe", "set-key", NULL }, &run);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "not a Stripe secret key"));
  g_assert_null (strstr (run.err, "4eC39HqLyjWDarjtT1zdp7dc"));
  run_clear (&run);

  run_cli (fixture, launcher, "sk_test_4eC39HqLyjWDarjtT1zdp7dc\n",
           (const char *[]) { "stripe", "set-key", "--webhook-secret", NULL }, &run);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "whsec_"));
  run_clear (&run);

  run_cli (fixture, launcher, "", (const char *[]) { "stripe", "set-key", NULL }, &run);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "No key"));
  run_clear (&run);

  /* A good key with no keyring: a plain error, no hang, no key shown. */
  run_cli (fixture, launcher, "sk_test_4eC39HqLyjWDarjtT1zdp7dc\n",
           (const char *[]) { "stripe", "set-key", NULL }, &run);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "keyring"));
  g_assert_null (strstr (run.err, "4eC39HqLyjWDarjtT1zdp7dc"));
  g_assert_cmpstr (run.out, ==, "");
  run_clear (&run);
}

static gint64
insert_order (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaShop) shop = kassa_shop_open (fixture->path, &error);
  g_autoptr(KassaOrderRepository) orders = NULL;
  g_autoptr(KassaOrder) order = kassa_order_new ();
  g_autoptr(KassaOrderLine) line = kassa_order_line_new ();
  gint64 id;

  g_assert_no_error (error);
  orders = kassa_order_repository_new (kassa_shop_get_database (shop));
  kassa_order_set_number (order, "CLI-1", &error);
  kassa_order_set_customer_id (order, 1, &error);
  kassa_order_set_currency_code (order, "EUR", &error);
  kassa_order_set_mode (order, KASSA_ORDER_MODE_STRIPE, &error);
  kassa_order_set_prices_include_tax (order, TRUE, &error);
  kassa_order_line_set_name (line, "Tea", &error);
  kassa_order_line_set_quantity (line, KASSA_QUANTITY_ONE, &error);
  kassa_order_line_set_unit_price (line, 1234, &error);
  kassa_order_line_set_tax_rate (line, 0, &error);
  kassa_order_add_line (order, line, &error);
  g_assert_no_error (error);
  id = kassa_order_repository_insert (orders, order, NULL, &error);
  g_assert_no_error (error);

  return id;
}

static KassaPaymentStatus
order_status (Fixture *fixture,
              gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaShop) shop = kassa_shop_open (fixture->path, &error);
  g_autoptr(KassaOrderRepository) orders = NULL;
  g_autoptr(KassaOrder) order = NULL;

  g_assert_no_error (error);
  orders = kassa_order_repository_new (kassa_shop_get_database (shop));
  order = kassa_order_repository_load (orders, id, &error);
  g_assert_no_error (error);

  return kassa_order_get_payment_status (order);
}

static char *
paid_session_json (gint64 order_id)
{
  return g_strdup_printf ("{\"id\":\"cs_test_cli\",\"object\":\"checkout.session\",\"client_reference_id\":\"%"
                          G_GINT64_FORMAT "\",\"payment_intent\":\"pi_cli\",\"amount_total\":1234,"
                          "\"currency\":\"eur\",\"status\":\"complete\",\"payment_status\":\"paid\"}",
                          order_id);
}

static void
test_sync (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (fixture);
  g_autoptr(JsonObject) session = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) summary = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *stats;
  Run run = { 0 };
  gint64 id = insert_order (fixture);

  /* No key anywhere: a clear error. */
  run_cli (fixture, launcher, NULL, (const char *[]) { "stripe", "sync", NULL }, &run);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "kassa-cli: "));
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 0);
  run_clear (&run);

  json = paid_session_json (id);
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  kassa_fake_stripe_add_event (fixture->fake, "checkout.session.completed", json_node_get_object (node));

  g_subprocess_launcher_setenv (launcher, "KASSA_STRIPE_SECRET_KEY", TEST_KEY, TRUE);
  run_cli (fixture, launcher, NULL, (const char *[]) { "stripe", "sync", NULL }, &run);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  summary = json_from_string (run.out, &error);
  g_assert_no_error (error);
  stats = json_node_get_object (summary);
  g_assert_cmpint (json_object_get_int_member (stats, "events"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (stats, "applied"), ==, 1);
  g_assert_false (json_object_get_boolean_member (stats, "gap"));
  g_assert_cmpint (order_status (fixture, id), ==, KASSA_PAYMENT_STATUS_PAID);
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "GET", "/v1/events"), ==, 1);
  run_clear (&run);
  g_clear_pointer (&summary, json_node_unref);

  /* Again: the cursor stands after that event, nothing more. */
  run_cli (fixture, launcher, NULL, (const char *[]) { "stripe", "sync", NULL }, &run);
  g_assert_cmpint (run.status, ==, 0);
  summary = json_from_string (run.out, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (summary), "events"), ==, 0);
  run_clear (&run);

  run_cli (fixture, launcher, NULL, (const char *[]) { "stripe", "sync", "now", NULL }, &run);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
}

typedef struct
{
  GDataInputStream *stdout_data;
  char             *line;
  gboolean          done;
} LineRead;

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LineRead *read = user_data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  read->done = TRUE;
}

static void
test_listen (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (fixture);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(SoupSession) http = soup_session_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GAsyncResult) sent = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *header = NULL;
  g_autofree char *event = NULL;
  g_autofree char *url = NULL;
  LineRead read = { NULL };
  const char *start;
  gint64 id = insert_order (fixture);
  Run run = { 0 };

  /* Refused arguments first. */
  run_cli (fixture, launcher, NULL, (const char *[]) { "stripe", "listen", "--port", "70000", NULL }, &run);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  run_cli (fixture, launcher, NULL, (const char *[]) { "stripe", "listen", "--port", "0", NULL }, &run);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "KASSA_STRIPE_WEBHOOK_SECRET"));
  run_clear (&run);

  g_subprocess_launcher_setenv (launcher, "KASSA_STRIPE_WEBHOOK_SECRET", TEST_WEBHOOK_SECRET, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("KASSA_CLI"), "--database", fixture->path,
                                         "stripe", "listen", "--port", "0", NULL);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, NULL, read_line_cb, &read);
  while (!read.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (read.line);
  start = strstr (read.line, "http://127.0.0.1:");
  g_assert_nonnull (start);
  url = g_strndup (start, strcspn (start, " "));
  g_assert_true (g_str_has_suffix (url, "/webhook"));
  g_free (read.line);

  body = paid_session_json (id);
  event = g_strdup_printf ("{\"id\":\"evt_cli_listen\",\"object\":\"event\",\"type\":\"checkout.session.completed\","
                           "\"created\":1700000000,\"livemode\":false,\"data\":{\"object\":%s}}", body);
  header = kassa_stripe_webhook_build_header (TEST_WEBHOOK_SECRET, g_get_real_time () / G_USEC_PER_SEC,
                                              (const guint8 *) event, strlen (event));
  message = soup_message_new ("POST", url);
  {
    g_autoptr(GBytes) bytes = g_bytes_new_static (event, strlen (event));

    soup_message_set_request_body_from_bytes (message, "application/json", bytes);
  }
  soup_message_headers_replace (soup_message_get_request_headers (message), "Stripe-Signature", header);
  soup_session_send_and_read_async (http, message, G_PRIORITY_DEFAULT, NULL, communicate_cb, &sent);
  while (sent == NULL)
    g_main_context_iteration (NULL, TRUE);
  reply = soup_session_send_and_read_finish (http, sent, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  g_assert_cmpint (order_status (fixture, id), ==, KASSA_PAYMENT_STATUS_PAID);

  /* SIGTERM ends it cleanly. */
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/kassa/cli-stripe/set-key-refuses-argv", Fixture, NULL,
              fixture_set_up, test_set_key_refuses_argv, fixture_tear_down);
  g_test_add ("/kassa/cli-stripe/set-key-input", Fixture, NULL,
              fixture_set_up, test_set_key_input, fixture_tear_down);
  g_test_add ("/kassa/cli-stripe/sync", Fixture, NULL, fixture_set_up, test_sync, fixture_tear_down);
  g_test_add ("/kassa/cli-stripe/listen", Fixture, NULL, fixture_set_up, test_listen, fixture_tear_down);

  return g_test_run ();
}
