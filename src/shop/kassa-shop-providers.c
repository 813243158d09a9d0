/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-shop-providers"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "kassa-cash-provider.h"
#include "kassa-error.h"
#include "kassa-secrets.h"
#include "kassa-settings-repository.h"
#include "kassa-shop-private.h"
#include "kassa-shop-providers.h"
#include "kassa-stripe-checkout-provider.h"
#include "kassa-stripe-terminal-provider.h"

typedef struct
{
  char  *reader_id;
  GError *stripe_error;
} ListData;

static void
list_data_free (gpointer data)
{
  ListData *list = data;

  g_free (list->reader_id);
  g_clear_error (&list->stripe_error);
  g_free (list);
}

/* A stored URL is used as a request target or handed to Stripe, so it
 * must be an absolute http(s) URL. */
static gboolean
check_url (const char  *key,
           const char  *url,
           GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "http") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("The setting “%s” must be an http or https address, not “%s”"), key, url);
      return FALSE;
    }

  return TRUE;
}

static gboolean
get_url_setting (KassaSettingsRepository  *settings,
                 const char               *key,
                 char                    **out_url,
                 GError                  **error)
{
  g_autofree char *value = NULL;

  if (!kassa_settings_repository_get_text (settings, key, &value, error))
    return FALSE;
  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);
  if (value != NULL && !check_url (key, value, error))
    return FALSE;

  *out_url = g_steal_pointer (&value);
  return TRUE;
}

GPtrArray *
kassa_shop_make_payment_providers (KassaShop   *self,
                                   const char  *secret_key,
                                   const char  *reader_id,
                                   GError     **error)
{
  g_autoptr(KassaSettingsRepository) settings = NULL;
  g_autoptr(KassaStoreSettings) store = NULL;
  g_autoptr(GPtrArray) providers = NULL;
  g_autoptr(KassaCashProvider) cash = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(KassaStripeClient) client = NULL;
  g_autofree char *api_base = NULL;
  g_autofree char *success_url = NULL;
  g_autofree char *cancel_url = NULL;
  KassaStripeTerminalProvider *terminal;
  const char *from_environment;

  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  settings = kassa_settings_repository_new (kassa_shop_get_database (self));
  store = kassa_settings_repository_load_settings (settings, NULL, error);
  if (store == NULL)
    return NULL;

  providers = g_ptr_array_new_with_free_func (g_object_unref);

  cash = kassa_cash_provider_new ();
  kassa_cash_provider_set_rounding_step (cash, kassa_store_settings_get_cash_rounding_step (store));
  kassa_cash_provider_set_rounding_mode (cash, kassa_store_settings_get_rounding_mode (store));
  g_ptr_array_add (providers, g_steal_pointer (&cash));

  if (secret_key == NULL || *secret_key == '\0')
    return g_steal_pointer (&providers);

  from_environment = g_getenv (KASSA_SHOP_STRIPE_API_BASE_VARIABLE);
  if (from_environment != NULL && *from_environment != '\0')
    {
      if (!check_url (KASSA_SHOP_STRIPE_API_BASE_VARIABLE, from_environment, error))
        return NULL;
      api_base = g_strdup (from_environment);
    }
  else if (!get_url_setting (settings, KASSA_SHOP_STRIPE_API_BASE_KEY, &api_base, error))
    return NULL;

  if (!get_url_setting (settings, KASSA_SHOP_STRIPE_SUCCESS_URL_KEY, &success_url, error) ||
      !get_url_setting (settings, KASSA_SHOP_STRIPE_CANCEL_URL_KEY, &cancel_url, error))
    return NULL;

  session = soup_session_new_with_options ("user-agent", "Kassa/" PACKAGE_VERSION, NULL);
  client = kassa_stripe_client_new (session, api_base, secret_key);

  g_ptr_array_add (providers,
                   kassa_stripe_checkout_provider_new (client,
                                                       success_url != NULL ? success_url
                                                                           : KASSA_SHOP_STRIPE_DEFAULT_SUCCESS_URL,
                                                       cancel_url));
  terminal = kassa_stripe_terminal_provider_new (client);
  if (reader_id != NULL && *reader_id != '\0')
    kassa_stripe_terminal_provider_set_reader_id (terminal, reader_id);
  g_ptr_array_add (providers, terminal);

  return g_steal_pointer (&providers);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KassaShop *self = g_task_get_source_object (task);
  ListData *list = g_task_get_task_data (task);
  g_autoptr(GError) lookup_error = NULL;
  GPtrArray *providers;
  GError *error = NULL;
  char *secret;

  secret = kassa_secrets_lookup_finish (result, &lookup_error);
  if (lookup_error != NULL)
    g_set_error (&list->stripe_error, lookup_error->domain, lookup_error->code,
                 _("Card and QR payments are off: %s"), lookup_error->message);
  else if (secret == NULL)
    g_set_error_literal (&list->stripe_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         _("Card and QR payments are off: no Stripe secret key is stored"));

  providers = kassa_shop_make_payment_providers (self, secret, list->reader_id, &error);
  kassa_secrets_free (secret);

  if (providers == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, providers, (GDestroyNotify) g_ptr_array_unref);
}

void
kassa_shop_list_payment_providers_async (KassaShop           *self,
                                         const char          *reader_id,
                                         guint                timeout_ms,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ListData *list;
  const char *from_environment;

  g_return_if_fail (KASSA_IS_SHOP (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kassa_shop_list_payment_providers_async);

  list = g_new0 (ListData, 1);
  list->reader_id = g_strdup (reader_id);
  g_task_set_task_data (task, list, list_data_free);

  /* Headless machines (CI, a server) have no keyring: the environment
   * is read and never written anywhere. */
  from_environment = g_getenv (KASSA_SHOP_STRIPE_SECRET_KEY_VARIABLE);
  if (from_environment != NULL && *from_environment != '\0')
    {
      GError *error = NULL;
      GPtrArray *providers = kassa_shop_make_payment_providers (self, from_environment, reader_id, &error);

      if (providers == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, providers, (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  kassa_secrets_lookup_async (KASSA_SECRET_STRIPE_SECRET_KEY, NULL,
                              timeout_ms > 0 ? timeout_ms : KASSA_SECRETS_DEFAULT_TIMEOUT_MS,
                              cancellable, lookup_cb, g_steal_pointer (&task));
}

GPtrArray *
kassa_shop_list_payment_providers_finish (KassaShop     *self,
                                          GAsyncResult  *result,
                                          GError       **out_stripe_error,
                                          GError       **error)
{
  ListData *list;
  GPtrArray *providers;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  providers = g_task_propagate_pointer (G_TASK (result), error);
  list = g_task_get_task_data (G_TASK (result));
  if (providers != NULL && out_stripe_error != NULL && list->stripe_error != NULL)
    *out_stripe_error = g_error_copy (list->stripe_error);

  return providers;
}

KassaStripeClient *
kassa_shop_providers_get_stripe_client (GPtrArray *providers)
{
  g_return_val_if_fail (providers != NULL, NULL);

  for (guint i = 0; i < providers->len; i++)
    {
      gpointer provider = g_ptr_array_index (providers, i);

      if (KASSA_IS_STRIPE_CHECKOUT_PROVIDER (provider))
        return kassa_stripe_checkout_provider_get_client (provider);
      if (KASSA_IS_STRIPE_TERMINAL_PROVIDER (provider))
        return kassa_stripe_terminal_provider_get_client (provider);
    }

  return NULL;
}
