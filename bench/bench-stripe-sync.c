/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-stripe-sync"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <time.h>

#include "kassa-bench.h"
#include "kassa-money.h"
#include "kassa-order-repository.h"
#include "kassa-shop-private.h"
#include "kassa-stripe-sync.h"

/* A till catching up on a busy day of QR payments: every event applied
 * in its own transaction (payment, order paid, journal, audit), then the
 * same events delivered again (the webhook and the poller both bring
 * them), then events for objects the shop does not know. */

#define N_ORDERS 2000

static void
report (const char *what,
        gint64      elapsed_ns,
        guint       rounds)
{
  printf ("%-34s %8.1f µs each, %8.0f per second\n", what,
          (double) elapsed_ns / rounds / 1000.0, rounds / ((double) elapsed_ns / 1e9));
}

static KassaStripeEvent *
make_event (const char *id,
            gint64      order_id,
            const char *intent)
{
  g_autofree char *text = g_strdup_printf ("{\"id\":\"%s\",\"object\":\"event\",\"type\":\"checkout.session.completed\","
                                           "\"created\":%" G_GINT64_FORMAT ",\"livemode\":false,\"data\":{\"object\":{"
                                           "\"id\":\"cs_%s\",\"object\":\"checkout.session\",\"client_reference_id\":\"%"
                                           G_GINT64_FORMAT "\",\"payment_intent\":\"%s\",\"amount_total\":1990,"
                                           "\"currency\":\"eur\",\"status\":\"complete\",\"payment_status\":\"paid\"}}}",
                                           id, 1700000000 + order_id, id, order_id, intent);

  return kassa_stripe_event_new_from_data (text, -1, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kassa-bench-sync-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "kassa.db", NULL);
  g_autoptr(KassaShop) shop = kassa_shop_open (path, &error);
  g_autoptr(KassaOrderRepository) orders = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) unknown = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 started;

  g_assert_no_error (error);
  kassa_shop_act_as_system (shop);
  orders = kassa_order_repository_new (kassa_shop_get_database (shop));

  for (guint i = 0; i < N_ORDERS; i++)
    {
      g_autoptr(KassaOrder) order = kassa_order_new ();
      g_autoptr(KassaOrderLine) line = kassa_order_line_new ();
      g_autofree char *number = g_strdup_printf ("B-%05u", i);
      gint64 id;

      kassa_order_set_number (order, number, NULL);
      kassa_order_set_customer_id (order, 1, NULL);
      kassa_order_set_currency_code (order, "EUR", NULL);
      kassa_order_set_mode (order, KASSA_ORDER_MODE_STRIPE, NULL);
      kassa_order_set_prices_include_tax (order, TRUE, NULL);
      kassa_order_line_set_name (line, "Flat white", NULL);
      kassa_order_line_set_quantity (line, KASSA_QUANTITY_ONE, NULL);
      kassa_order_line_set_unit_price (line, 1990, NULL);
      kassa_order_line_set_tax_rate (line, 70000, NULL);
      kassa_order_add_line (order, line, NULL);
      id = kassa_order_repository_insert (orders, order, NULL, &error);
      g_assert_no_error (error);
      g_array_append_val (ids, id);
    }

  for (guint i = 0; i < N_ORDERS; i++)
    {
      g_autofree char *event_id = g_strdup_printf ("evt_bench_%u", i);
      g_autofree char *unknown_id = g_strdup_printf ("evt_unknown_%u", i);
      g_autofree char *intent = g_strdup_printf ("pi_bench_%u", i);
      g_autofree char *other = g_strdup_printf ("pi_other_%u", i);

      g_ptr_array_add (events, make_event (event_id, g_array_index (ids, gint64, i), intent));
      g_ptr_array_add (unknown, make_event (unknown_id, 1000000 + i, other));
    }

  started = now_ns ();
  for (guint i = 0; i < events->len; i++)
    g_assert_cmpint (kassa_stripe_sync_apply_event (shop, g_ptr_array_index (events, i), NULL),
                     ==, KASSA_STRIPE_SYNC_APPLIED);
  report ("apply: payment booked", now_ns () - started, events->len);

  started = now_ns ();
  for (guint i = 0; i < events->len; i++)
    g_assert_cmpint (kassa_stripe_sync_apply_event (shop, g_ptr_array_index (events, i), NULL),
                     ==, KASSA_STRIPE_SYNC_ALREADY_APPLIED);
  report ("apply: duplicate delivery", now_ns () - started, events->len);

  /* What the poller does: a page of events in one transaction. */
  {
    g_autoptr(GPtrArray) more = g_ptr_array_new_with_free_func (g_object_unref);
    KassaDatabase *database = kassa_shop_get_database (shop);

    for (guint i = 0; i < N_ORDERS; i++)
      {
        g_autofree char *event_id = g_strdup_printf ("evt_page_%u", i);
        g_autofree char *intent = g_strdup_printf ("pi_page_%u", i);

        g_ptr_array_add (more, make_event (event_id, 2000000 + i, intent));
      }

    started = now_ns ();
    for (guint page = 0; page < more->len; page += 100)
      {
        g_assert_true (kassa_database_begin (database, NULL));
        for (guint i = page; i < MIN (page + 100, more->len); i++)
          g_assert_cmpint (kassa_stripe_sync_apply_event (shop, g_ptr_array_index (more, i), NULL),
                           ==, KASSA_STRIPE_SYNC_IGNORED);
        g_assert_true (kassa_database_commit (database, NULL));
      }
    report ("apply: pages of 100, one commit", now_ns () - started, more->len);
  }

  started = now_ns ();
  for (guint i = 0; i < unknown->len; i++)
    g_assert_cmpint (kassa_stripe_sync_apply_event (shop, g_ptr_array_index (unknown, i), NULL),
                     ==, KASSA_STRIPE_SYNC_IGNORED);
  report ("apply: object unknown locally", now_ns () - started, unknown->len);

  g_clear_object (&orders);
  g_clear_object (&shop);
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

  return 0;
}
