/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Stripe secret key lives in the keyring and in memory, nowhere
 * else. A child process runs a card sale against the fake Stripe server
 * with a recognizable key, with every debug message on
 * (G_MESSAGES_DEBUG=all): the idempotency key recorded before the
 * request, the PaymentIntent created, the sale stored with its
 * reference, a backup taken. Then the key is searched for in the bytes
 * of the database, its WAL, the backup, everything the child wrote to
 * stdout and stderr, and the command lines involved. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kassa-cart-repository.h"
#include "kassa-catalog-repository.h"
#include "kassa-fake-stripe.h"
#include "kassa-shift-repository.h"
#include "kassa-shop-checkout.h"
#include "kassa-shop-maintenance.h"
#include "kassa-shop-private.h"
#include "kassa-shop-staff.h"
#include "kassa-stripe-client.h"
#include "kassa-stripe-state-repository.h"

/* Recognizable in any encoding a leak might take. */
#define SECRET_KEY "sk_test_51KassaLeakCanary0123456789abcdefXYZ"
#define KEY_MARKER "KassaLeakCanary"

static char *dir;

static char *
path_in_dir (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

typedef struct
{
  gboolean    done;
  JsonObject *object;
  GError     *error;
} Result;

static void
request_cb (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  Result *result = user_data;

  result->object = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (object), res, NULL,
                                                       &result->error);
  result->done = TRUE;
}

/* What runs in the child: a card sale paid through Stripe, then a backup. */
static void
run_card_sale (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = path_in_dir ("shop.db");
  g_autofree char *backup = path_in_dir ("backup.db");
  g_autoptr(KassaShop) shop = kassa_shop_open (path, &error);
  g_autoptr(KassaFakeStripe) fake = kassa_fake_stripe_new (SECRET_KEY);
  g_autoptr(KassaStripeClient) client = NULL;
  g_autoptr(KassaStripeStateRepository) state = NULL;
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  g_autoptr(KassaCatalogRepository) catalog = NULL;
  g_autoptr(KassaCartRepository) carts = NULL;
  g_autoptr(KassaShiftRepository) shifts = NULL;
  g_autoptr(KassaCatalogItem) item = NULL;
  g_autoptr(KassaCart) cart = g_object_new (KASSA_TYPE_CART, "currency-code", "EUR", NULL);
  g_autoptr(GPtrArray) payments = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(KassaOrder) order = NULL;
  g_autofree char *idempotency_key = kassa_stripe_client_new_idempotency_key ();
  g_autofree char *body = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  KassaStripeRequest request = { 0 };
  KassaPayment *payment;
  KassaDatabase *database;
  Result result = { 0 };
  gint64 staff_id, cart_id, due;

  g_assert_no_error (error);
  kassa_shop_act_as_system (shop);
  database = kassa_shop_get_database (shop);

  item = g_object_new (KASSA_TYPE_CATALOG_ITEM,
                       "name", "Coffee beans", "sku", "BEANS",
                       "price", (gint64) 1295, "currency-code", "EUR",
                       "tax-rate", (gint64) 70000, "stock-on-hand", (gint64) 10000,
                       "status", KASSA_ITEM_STATUS_ACTIVE,
                       NULL);
  catalog = kassa_catalog_repository_new (database);
  g_assert_cmpint (kassa_catalog_repository_insert (catalog, item, &error), >, 0);
  staff_id = kassa_shop_create_staff (shop, "Ada Admin", KASSA_STAFF_ROLE_ADMIN, "2468",
                                      KASSA_PIN_COST_MINIMUM, &error);
  g_assert_no_error (error);
  shifts = kassa_shift_repository_new (database);
  g_assert_cmpint (kassa_shift_repository_open (shifts, NULL, staff_id, "EUR", 10000, &error), >, 0);

  carts = kassa_cart_repository_new (database);
  g_assert_true (kassa_cart_add_item (cart, item, 2000, NULL, &error));
  cart_id = kassa_cart_repository_create (carts, cart, staff_id, &error);
  g_assert_no_error (error);
  g_assert_true (kassa_shop_get_amount_due (shop, cart_id, FALSE, &due, &error));

  /* The idempotency key is stored before the request leaves. */
  kassa_stripe_form_add_int (form, "amount", due);
  kassa_stripe_form_add (form, "currency", "eur");
  kassa_stripe_form_add (form, "allowed_payment_method_types[]", "card_present");
  body = kassa_stripe_form_encode (form);
  request.idempotency_key = idempotency_key;
  request.method = (char *) "POST";
  request.path = (char *) "/v1/payment_intents";
  request.body = body;
  request.entity_kind = (char *) "cart";
  request.entity_id = cart_id;
  request.outcome = KASSA_STRIPE_OUTCOME_PENDING;
  request.created_at = now;
  request.updated_at = now;
  state = kassa_stripe_state_repository_new (database);
  g_assert_true (kassa_stripe_state_repository_add_request (state, &request, &error));
  g_assert_no_error (error);

  client = kassa_stripe_client_new (NULL, kassa_fake_stripe_get_url (fake), SECRET_KEY);
  kassa_stripe_client_set_timeout (client, 10000);
  kassa_stripe_client_post_async (client, "/v1/payment_intents", form, idempotency_key,
                                  NULL, request_cb, &result);
  while (!result.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (result.error);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (result.object, "id"), "pi_"));
  g_assert_true (kassa_stripe_state_repository_finish_request (state, idempotency_key,
                                                               KASSA_STRIPE_OUTCOME_SUCCEEDED,
                                                               json_object_get_string_member (result.object, "id"),
                                                               &error));
  g_assert_no_error (error);

  payment = kassa_payment_new ();
  kassa_payment_set_provider_id (payment, "stripe-terminal");
  kassa_payment_set_method_label (payment, "Card");
  kassa_payment_set_amount (payment, due);
  kassa_payment_set_reference (payment, json_object_get_string_member (result.object, "id"));
  g_ptr_array_add (payments, payment);
  order = kassa_shop_complete_sale (shop, cart_id, payments, now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (order);

  g_assert_true (kassa_shop_backup (shop, backup, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  g_clear_pointer (&result.object, json_object_unref);
  /* Leave the WAL in place: it is searched too. */
  g_print ("sold %s\n", kassa_order_get_number (order));
}

/* Whether @needle occurs anywhere in @length bytes, NULs included. */
static gboolean
bytes_contain (const char *haystack,
               gsize       length,
               const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (haystack + i, needle, n) == 0)
      return TRUE;

  return FALSE;
}

static void
assert_file_clean (const char *name)
{
  g_autofree char *path = path_in_dir (name);
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return;

  g_assert_cmpuint (length, >, 0);
  g_assert_false (bytes_contain (contents, length, KEY_MARKER));
  /* The check itself works: the Stripe reference of the sale is there. */
  if (!g_str_has_suffix (name, "-wal"))
    g_assert_true (bytes_contain (contents, length, "stripe-terminal"));
}

static void
assert_cmdline_clean (const char *proc_file)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (proc_file, &contents, &length, NULL));
  g_assert_false (bytes_contain (contents, length, KEY_MARKER));
}

static void
test_key_never_stored_or_logged (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *help_out = NULL;
  g_autofree char *help_err = NULL;
  const char *kassa_cli = g_getenv ("KASSA_CLI");

  if (g_test_subprocess ())
    {
      run_card_sale ();
      return;
    }

  /* Every debug message of every domain, as a user asked to debug
   * would run it. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("G_MESSAGES_DEBUG");
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*sold S-000001*");
  /* The debug output was on, and it did log the request (a test
   * program prints its messages as TAP comments on stdout)… */
  g_test_trap_assert_stdout ("*POST /v1/payment_intents*");
  /* …but never the key. */
  g_test_trap_assert_stderr_unmatched ("*" KEY_MARKER "*");
  g_test_trap_assert_stdout_unmatched ("*" KEY_MARKER "*");

  db_path = path_in_dir ("shop.db");
  g_assert_true (g_file_test (db_path, G_FILE_TEST_EXISTS));
  assert_file_clean ("shop.db");
  assert_file_clean ("shop.db-wal");
  assert_file_clean ("backup.db");

  /* The key is never passed on a command line: not this program's, and
   * kassa-cli has no option that takes one. */
  assert_cmdline_clean ("/proc/self/cmdline");
  assert_cmdline_clean ("/proc/self/environ");
  if (kassa_cli != NULL)
    {
      const char *argv[] = { kassa_cli, "--help", NULL };
      int status;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                   &help_out, &help_err, &status, &error));
      g_assert_no_error (error);
      g_assert_nonnull (strstr (help_out, "journal"));
      g_assert_null (strstr (help_out, "--key"));
      g_assert_null (strstr (help_out, "--secret"));
      g_assert_null (strstr (help_out, "sk_"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* The child is started with the same arguments: share the folder
   * through the environment. */
  if (g_getenv ("KASSA_TEST_LEAK_DIR") != NULL)
    {
      dir = g_strdup (g_getenv ("KASSA_TEST_LEAK_DIR"));
    }
  else
    {
      dir = g_dir_make_tmp ("kassa-leak-XXXXXX", &error);
      g_assert_no_error (error);
      g_setenv ("KASSA_TEST_LEAK_DIR", dir, TRUE);
    }

  g_test_add_func ("/kassa/secret-key/never-stored-or-logged", test_key_never_stored_or_logged);

  status = g_test_run ();

  if (!g_test_subprocess ())
    {
      g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
      const char *name;

      while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
        {
          g_autofree char *file = g_build_filename (dir, name, NULL);
          g_unlink (file);
        }
      g_rmdir (dir);
    }
  g_free (dir);

  return status;
}
