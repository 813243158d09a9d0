/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A shop on a fresh database beside a fake Stripe server, for the tests
 * of the Stripe use cases. */

#include <glib/gstdio.h>

#include "kassa-fake-stripe.h"
#include "kassa-money.h"
#include "kassa-order-repository.h"
#include "kassa-shop-private.h"
#include "kassa-stripe-client.h"
#include "kassa-stripe-event.h"

#define STRIPE_TEST_KEY "sk_test_kassa_sync"

typedef struct
{
  char                 *dir;
  char                 *path;
  KassaShop            *shop;
  KassaOrderRepository *orders;
  KassaFakeStripe      *fake;
  KassaStripeClient    *client;
  SoupSession          *session;
} StripeFixture;

static inline void
stripe_fixture_set_up (StripeFixture *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("kassa-stripe-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "kassa.db", NULL);
  fixture->shop = kassa_shop_open (fixture->path, &error);
  g_assert_no_error (error);
  kassa_shop_act_as_system (fixture->shop);
  fixture->orders = kassa_order_repository_new (kassa_shop_get_database (fixture->shop));

  fixture->fake = kassa_fake_stripe_new (STRIPE_TEST_KEY);
  /* Recent events, as Stripe's are: older ones mean a gap to the poller. */
  kassa_fake_stripe_set_clock (fixture->fake, g_get_real_time () / G_USEC_PER_SEC - 3600);
  fixture->session = soup_session_new ();
  fixture->client = kassa_stripe_client_new (fixture->session, kassa_fake_stripe_get_url (fixture->fake),
                                             STRIPE_TEST_KEY);
  /* Failures are injected on purpose: one try each, no waiting. */
  kassa_stripe_client_set_max_tries (fixture->client, 1);
  kassa_stripe_client_set_backoff (fixture->client, 1, 1);
}

static inline void
stripe_fixture_tear_down (StripeFixture *fixture,
                          gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->client);
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->fake);
  g_clear_object (&fixture->orders);
  g_clear_object (&fixture->shop);

  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);

      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* A Stripe order of one line for @total euro cents, tax free, waiting
 * for payment; the Checkout Session id when given. */
static inline gint64
stripe_test_insert_order_in_mode (StripeFixture  *fixture,
                                  const char     *number,
                                  const char     *session_id,
                                  gint64          total,
                                  KassaOrderMode  mode)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaOrder) order = kassa_order_new ();
  g_autoptr(KassaOrderLine) line = kassa_order_line_new ();
  gint64 id;

  kassa_order_set_number (order, number, &error);
  g_assert_no_error (error);
  kassa_order_set_customer_id (order, 1, &error);
  g_assert_no_error (error);
  kassa_order_set_currency_code (order, "EUR", &error);
  g_assert_no_error (error);
  kassa_order_set_mode (order, mode, &error);
  g_assert_no_error (error);
  kassa_order_set_prices_include_tax (order, TRUE, &error);
  g_assert_no_error (error);
  if (session_id != NULL)
    {
      kassa_order_set_stripe_checkout_session_id (order, session_id, &error);
      g_assert_no_error (error);
    }

  kassa_order_line_set_name (line, "Espresso beans", &error);
  g_assert_no_error (error);
  kassa_order_line_set_quantity (line, KASSA_QUANTITY_ONE, &error);
  g_assert_no_error (error);
  kassa_order_line_set_unit_price (line, total, &error);
  g_assert_no_error (error);
  kassa_order_line_set_tax_rate (line, 0, &error);
  g_assert_no_error (error);
  kassa_order_add_line (order, line, &error);
  g_assert_no_error (error);

  id = kassa_order_repository_insert (fixture->orders, order, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static inline gint64
stripe_test_insert_order (StripeFixture *fixture,
                          const char    *number,
                          const char    *session_id,
                          gint64         total)
{
  return stripe_test_insert_order_in_mode (fixture, number, session_id, total, KASSA_ORDER_MODE_STRIPE);
}

static inline KassaOrder *
stripe_test_load_order (StripeFixture *fixture,
                        gint64         id)
{
  g_autoptr(GError) error = NULL;
  KassaOrder *order = kassa_order_repository_load (fixture->orders, id, &error);

  g_assert_no_error (error);
  return order;
}

static inline KassaStripeEvent *
stripe_test_event (const char *id,
                   const char *type,
                   gint64      created,
                   const char *object_json)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("{\"id\":\"%s\",\"object\":\"event\",\"type\":\"%s\","
                                           "\"created\":%" G_GINT64_FORMAT ",\"livemode\":false,"
                                           "\"api_version\":\"%s\",\"data\":{\"object\":%s}}",
                                           id, type, created, KASSA_STRIPE_API_VERSION, object_json);
  KassaStripeEvent *event = kassa_stripe_event_new_from_data (text, -1, &error);

  g_assert_no_error (error);
  return event;
}

static inline JsonObject *
stripe_test_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (text, &error);

  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

typedef struct
{
  GAsyncResult *result;
} StripeWait;

static inline void
stripe_test_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  StripeWait *wait = user_data;

  wait->result = g_object_ref (result);
}

/* Runs the default main context until the async call answered. */
static inline GAsyncResult *
stripe_test_wait (StripeWait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return wait->result;
}
