/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-stripe-event"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kassa-bench.h"
#include "kassa-stripe-event.h"
#include "kassa-stripe-form.h"
#include "kassa-stripe-webhook.h"

/* The event path of a till catching up after a day offline: signature
 * checks, event parsing and the form encoding of outgoing requests. */

#define ROUNDS 20000

/* Keeps the compiler from dropping the work. */
static volatile gsize sink;

static char *
make_event (guint n)
{
  return g_strdup_printf ("{\"id\":\"evt_%u\",\"object\":\"event\",\"api_version\":\"2026-10-28.endive\","
                          "\"created\":%u,\"livemode\":false,\"pending_webhooks\":0,"
                          "\"type\":\"checkout.session.completed\",\"data\":{\"object\":{"
                          "\"id\":\"cs_test_%u\",\"object\":\"checkout.session\",\"amount_total\":%u,"
                          "\"currency\":\"eur\",\"client_reference_id\":\"order-%u\",\"mode\":\"payment\","
                          "\"payment_intent\":\"pi_%u\",\"payment_status\":\"paid\",\"status\":\"complete\","
                          "\"metadata\":{\"order_id\":\"%u\",\"till\":\"1\"},\"url\":null}}}",
                          n, 1700000000 + n, n, 100 + n % 10000, n, n, n);
}

static void
report (const char *what,
        gint64      elapsed_ns,
        guint       rounds)
{
  printf ("%-28s %8.2f µs each, %10.0f per second\n", what,
          (double) elapsed_ns / rounds / 1000.0,
          rounds / ((double) elapsed_ns / 1e9));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);
  gint64 started;

  for (guint i = 0; i < ROUNDS; i++)
    {
      char *event = make_event (i);

      g_ptr_array_add (events, event);
      g_ptr_array_add (headers, kassa_stripe_webhook_build_header ("whsec_bench", 1700000000,
                                                                   (const guint8 *) event, strlen (event)));
    }

  started = now_ns ();
  for (guint i = 0; i < ROUNDS; i++)
    {
      const char *event = g_ptr_array_index (events, i);

      if (!kassa_stripe_webhook_verify (g_ptr_array_index (headers, i), (const guint8 *) event,
                                        strlen (event), "whsec_bench", 1700000000, 300, NULL))
        g_error ("signature %u did not verify", i);
    }
  report ("webhook signature check", now_ns () - started, ROUNDS);

  started = now_ns ();
  for (guint i = 0; i < ROUNDS; i++)
    {
      g_autoptr(KassaStripeEvent) event = NULL;

      event = kassa_stripe_event_new_from_data (g_ptr_array_index (events, i), -1, NULL);
      if (event == NULL)
        g_error ("event %u did not parse", i);
      sink += strlen (kassa_stripe_event_get_object_id (event));
    }
  report ("event parse", now_ns () - started, ROUNDS);

  started = now_ns ();
  for (guint i = 0; i < ROUNDS; i++)
    {
      g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
      g_autofree char *body = NULL;

      kassa_stripe_form_add (form, "mode", "payment");
      for (guint line = 0; line < 10; line++)
        {
          g_autofree char *index = g_strdup_printf ("%u", line);

          kassa_stripe_form_add_nested (form, "eur", "line_items", index, "price_data", "currency", NULL);
          kassa_stripe_form_add_nested (form, "1250", "line_items", index, "price_data", "unit_amount", NULL);
          kassa_stripe_form_add_nested (form, "Café crème", "line_items", index, "price_data",
                                        "product_data", "name", NULL);
          kassa_stripe_form_add_nested (form, "1", "line_items", index, "quantity", NULL);
        }
      kassa_stripe_form_add (form, "metadata[order_id]", "42");
      body = kassa_stripe_form_encode (form);
      sink += strlen (body);
    }
  report ("10-line Checkout form", now_ns () - started, ROUNDS);

  return 0;
}
