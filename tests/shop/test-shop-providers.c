/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-shop-providers"

#include "config.h"

#include <glib/gstdio.h>

#include "kassa-cash-provider.h"
#include "kassa-error.h"
#include "kassa-fake-stripe.h"
#include "kassa-secrets.h"
#include "kassa-settings-repository.h"
#include "kassa-shop-private.h"
#include "kassa-shop-providers.h"
#include "kassa-stripe-checkout-provider.h"
#include "kassa-stripe-terminal-provider.h"

#define SECRET_KEY "sk_test_kassa_providers_4711"
#define READER "tmr_simulated_front"

typedef struct
{
  char            *dir;
  KassaShop       *shop;
  KassaFakeStripe *fake;
} Fixture;

typedef struct
{
  gboolean   done;
  GPtrArray *providers;
  GPtrArray *readers;
  GError    *stripe_error;
  GError    *error;
} Outcome;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("kassa-shop-providers-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "shop.db", NULL);
  fixture->shop = kassa_shop_open (path, &error);
  g_assert_no_error (error);
  kassa_shop_act_as_system (fixture->shop);

  fixture->fake = kassa_fake_stripe_new (SECRET_KEY);
  kassa_fake_stripe_add_reader (fixture->fake, READER, "Front till");

  g_unsetenv (KASSA_SHOP_STRIPE_SECRET_KEY_VARIABLE);
  g_unsetenv (KASSA_SHOP_STRIPE_API_BASE_VARIABLE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_unsetenv (KASSA_SHOP_STRIPE_SECRET_KEY_VARIABLE);
  g_unsetenv (KASSA_SHOP_STRIPE_API_BASE_VARIABLE);
  g_clear_object (&fixture->fake);
  g_assert_finalize_object (fixture->shop);

  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->providers, g_ptr_array_unref);
  g_clear_pointer (&outcome->readers, g_ptr_array_unref);
  g_clear_error (&outcome->stripe_error);
  g_clear_error (&outcome->error);
  outcome->done = FALSE;
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->providers = kassa_shop_list_payment_providers_finish (KASSA_SHOP (object), result,
                                                                 &outcome->stripe_error, &outcome->error);
  outcome->done = TRUE;
}

static void
readers_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->readers = kassa_stripe_terminal_provider_list_readers_finish (KASSA_STRIPE_TERMINAL_PROVIDER (object),
                                                                         result, &outcome->error);
  outcome->done = TRUE;
}

static void
wait_for (Outcome *outcome)
{
  while (!outcome->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
list_providers (Fixture *fixture,
                Outcome *outcome)
{
  outcome_clear (outcome);
  kassa_shop_list_payment_providers_async (fixture->shop, READER, 3000, NULL, list_cb, outcome);
  wait_for (outcome);
}

static void
set_text (Fixture    *fixture,
          const char *key,
          const char *value)
{
  g_autoptr(KassaSettingsRepository) settings = kassa_settings_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(GError) error = NULL;

  kassa_settings_repository_set_text (settings, key, value, &error);
  g_assert_no_error (error);
}

/* Without a key (and here without any keyring: main() points the
 * session bus nowhere) the till still gets cash, with the store's cash
 * rounding, and a plain reason why card and QR are off; it never hangs. */
static void
test_cash_only_without_key (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(KassaSettingsRepository) settings = kassa_settings_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaStoreSettings) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  Outcome outcome = { 0, };
  KassaCashProvider *cash;

  store = kassa_settings_repository_load_settings (settings, NULL, &error);
  g_assert_no_error (error);
  kassa_store_settings_set_cash_rounding_step (store, 5);
  kassa_store_settings_set_rounding_mode (store, KASSA_ROUNDING_HALF_EVEN);
  kassa_settings_repository_save_settings (settings, store, &error);
  g_assert_no_error (error);

  list_providers (fixture, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, 10.0);
  g_assert_nonnull (outcome.providers);
  g_assert_cmpuint (outcome.providers->len, ==, 1);
  cash = g_ptr_array_index (outcome.providers, 0);
  g_assert_true (KASSA_IS_CASH_PROVIDER (cash));
  g_assert_cmpint (kassa_cash_provider_get_rounding_step (cash), ==, 5);
  g_assert_cmpint (kassa_cash_provider_get_rounding_mode (cash), ==, KASSA_ROUNDING_HALF_EVEN);
  g_assert_null (kassa_shop_providers_get_stripe_client (outcome.providers));

  g_assert_nonnull (outcome.stripe_error);
  g_assert_true (g_error_matches (outcome.stripe_error, KASSA_SECRETS_ERROR, KASSA_SECRETS_ERROR_NO_SERVICE) ||
                 g_error_matches (outcome.stripe_error, KASSA_SECRETS_ERROR, KASSA_SECRETS_ERROR_TIMEOUT));
  g_assert_nonnull (strstr (outcome.stripe_error->message, "Card and QR payments are off"));
  outcome_clear (&outcome);
}

/* With the key in the environment and the fake server as API base: cash,
 * Checkout and Terminal, the two Stripe ones on one client that really
 * reaches the server with that key. */
static void
test_stripe_from_environment (Fixture       *fixture,
                              gconstpointer  data)
{
  Outcome outcome = { 0, };
  KassaStripeClient *client;
  KassaStripeCheckoutProvider *checkout;
  KassaStripeTerminalProvider *terminal;
  g_autofree char *success_url = NULL;
  g_autofree char *cancel_url = NULL;

  g_setenv (KASSA_SHOP_STRIPE_SECRET_KEY_VARIABLE, SECRET_KEY, TRUE);
  g_setenv (KASSA_SHOP_STRIPE_API_BASE_VARIABLE, kassa_fake_stripe_get_url (fixture->fake), TRUE);
  set_text (fixture, KASSA_SHOP_STRIPE_CANCEL_URL_KEY, "https://shop.example/cancelled");

  list_providers (fixture, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_no_error (outcome.stripe_error);
  g_assert_cmpuint (outcome.providers->len, ==, 3);
  g_assert_true (KASSA_IS_CASH_PROVIDER (g_ptr_array_index (outcome.providers, 0)));
  checkout = g_ptr_array_index (outcome.providers, 1);
  terminal = g_ptr_array_index (outcome.providers, 2);
  g_assert_true (KASSA_IS_STRIPE_CHECKOUT_PROVIDER (checkout));
  g_assert_true (KASSA_IS_STRIPE_TERMINAL_PROVIDER (terminal));

  client = kassa_shop_providers_get_stripe_client (outcome.providers);
  g_assert_nonnull (client);
  g_assert_true (kassa_stripe_checkout_provider_get_client (checkout) == client);
  g_assert_true (kassa_stripe_terminal_provider_get_client (terminal) == client);
  g_assert_cmpstr (kassa_stripe_client_get_base_url (client), ==, kassa_fake_stripe_get_url (fixture->fake));
  g_assert_true (kassa_stripe_client_is_test_mode (client));
  g_assert_cmpstr (kassa_stripe_terminal_provider_get_reader_id (terminal), ==, READER);

  g_object_get (checkout, "success-url", &success_url, "cancel-url", &cancel_url, NULL);
  g_assert_cmpstr (success_url, ==, KASSA_SHOP_STRIPE_DEFAULT_SUCCESS_URL);
  g_assert_cmpstr (cancel_url, ==, "https://shop.example/cancelled");

  /* The fake answers only to the right key. */
  outcome.done = FALSE;
  kassa_stripe_terminal_provider_list_readers_async (terminal, NULL, readers_cb, &outcome);
  wait_for (&outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpuint (outcome.readers->len, ==, 1);
  g_assert_cmpstr (((KassaStripeReader *) g_ptr_array_index (outcome.readers, 0))->id, ==, READER);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 1);
  outcome_clear (&outcome);
}

/* Without KASSA_STRIPE_API_BASE the store setting names the server;
 * a setting that is no http(s) URL is refused plainly. */
static void
test_api_base_setting (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) providers = NULL;
  g_autoptr(GError) error = NULL;

  set_text (fixture, KASSA_SHOP_STRIPE_API_BASE_KEY, kassa_fake_stripe_get_url (fixture->fake));
  set_text (fixture, KASSA_SHOP_STRIPE_SUCCESS_URL_KEY, "https://shop.example/thanks");
  providers = kassa_shop_make_payment_providers (fixture->shop, SECRET_KEY, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (providers->len, ==, 3);
  g_assert_cmpstr (kassa_stripe_client_get_base_url (kassa_shop_providers_get_stripe_client (providers)), ==,
                   kassa_fake_stripe_get_url (fixture->fake));
  {
    g_autofree char *success_url = NULL;

    g_object_get (g_ptr_array_index (providers, 1), "success-url", &success_url, NULL);
    g_assert_cmpstr (success_url, ==, "https://shop.example/thanks");
  }
  g_clear_pointer (&providers, g_ptr_array_unref);

  /* No setting at all: Stripe itself. */
  set_text (fixture, KASSA_SHOP_STRIPE_API_BASE_KEY, NULL);
  providers = kassa_shop_make_payment_providers (fixture->shop, SECRET_KEY, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_stripe_client_get_base_url (kassa_shop_providers_get_stripe_client (providers)), ==,
                   KASSA_STRIPE_API_BASE_DEFAULT);
  g_clear_pointer (&providers, g_ptr_array_unref);

  set_text (fixture, KASSA_SHOP_STRIPE_API_BASE_KEY, "file:///etc/passwd");
  providers = kassa_shop_make_payment_providers (fixture->shop, SECRET_KEY, NULL, &error);
  g_assert_null (providers);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, KASSA_SHOP_STRIPE_API_BASE_KEY));
  g_clear_error (&error);

  /* Cash alone needs none of it. */
  providers = kassa_shop_make_payment_providers (fixture->shop, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (providers->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  /* No Secret Service here: the keyring path must fail fast and plainly. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/kassa-test-bus", TRUE);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/shop-providers/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("cash-only-without-key", test_cash_only_without_key);
  ADD ("stripe-from-environment", test_stripe_from_environment);
  ADD ("api-base-setting", test_api_base_setting);

  return g_test_run ();
}
