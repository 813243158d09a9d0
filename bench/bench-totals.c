/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-totals"

#include "config.h"

#include <stdio.h>
#include <time.h>

#include "kassa-bench.h"
#include "kassa-totals.h"

#define BATCH 10000

typedef struct
{
  guint           n_lines;
  KassaTotalsLine lines[50];
} Cart;

static void
fill_cart (GRand *rand,
           Cart  *cart,
           guint  n_lines)
{
  static const gint64 rates[] = { 0, 55000, 100000, 200000 };

  cart->n_lines = n_lines;
  for (guint i = 0; i < n_lines; i++)
    {
      KassaTotalsLine *line = &cart->lines[i];

      line->quantity = g_rand_int_range (rand, 0, 4) == 0
                       ? g_rand_int_range (rand, 1, 5000)
                       : 1000 * g_rand_int_range (rand, 1, 6);
      line->unit_price = g_rand_int_range (rand, 1, 10000);
      line->tax_rate = rates[g_rand_int_range (rand, 0, G_N_ELEMENTS (rates))];
      if (g_rand_int_range (rand, 0, 5) == 0)
        {
          line->discount_kind = KASSA_DISCOUNT_PERCENT;
          line->discount_value = g_rand_int_range (rand, 0, 500000);
        }
      else
        {
          line->discount_kind = KASSA_DISCOUNT_NONE;
          line->discount_value = 0;
        }
    }
}

/* Keeps the compiler from dropping the work. */
static volatile gint64 sink;

static double
time_cart (const KassaTaxSettings   *settings,
           const KassaTotalsOptions *options,
           const Cart               *cart,
           guint                     iterations)
{
  gint64 start, end;

  for (guint i = 0; i < iterations / 10; i++)
    {
      KassaTotals *totals = kassa_totals_compute (settings, options, cart->lines, cart->n_lines, NULL);

      sink += kassa_totals_get_total (totals);
      kassa_totals_unref (totals);
    }

  start = now_ns ();
  for (guint i = 0; i < iterations; i++)
    {
      KassaTotals *totals = kassa_totals_compute (settings, options, cart->lines, cart->n_lines, NULL);

      sink += kassa_totals_get_total (totals);
      kassa_totals_unref (totals);
    }
  end = now_ns ();

  return (double) (end - start) / iterations;
}

int
main (int   argc,
      char *argv[])
{
  const guint32 seed = 4217;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  KassaTaxSettings settings = { NULL, FALSE, KASSA_TAX_SCOPE_DOCUMENT, KASSA_ROUNDING_HALF_UP };
  KassaTotalsOptions options = { KASSA_DISCOUNT_PERCENT, 50000, 5 };
  g_autofree Cart *carts = g_new (Cart, BATCH);
  Cart cart;
  gint64 random_ns = 0, n_random = 0, lines_total = 0;
  const guint n_carts = 1000000;

  settings.currency = kassa_currency_lookup ("EUR", NULL);

  printf ("kassa_totals_compute, seed %u\n", seed);

  fill_cart (rand, &cart, 10);
  for (guint variant = 0; variant < 4; variant++)
    {
      settings.prices_include_tax = variant & 1;
      settings.tax_scope = (variant & 2) ? KASSA_TAX_SCOPE_LINE : KASSA_TAX_SCOPE_DOCUMENT;
      printf ("10-line cart, %s prices, %s scope: %8.1f ns per cart\n",
              settings.prices_include_tax ? "gross" : "net",
              settings.tax_scope == KASSA_TAX_SCOPE_LINE ? "line" : "document",
              time_cart (&settings, &options, &cart, 2000000));
    }

  settings.prices_include_tax = FALSE;
  settings.tax_scope = KASSA_TAX_SCOPE_DOCUMENT;
  fill_cart (rand, &cart, 50);
  printf ("50-line cart, net prices, document scope: %8.1f ns per cart\n",
          time_cart (&settings, &options, &cart, 500000));

  /* Random carts are made a batch at a time, outside the timed part. */
  for (guint done = 0; done < n_carts; done += BATCH)
    {
      gint64 start, end;

      for (guint i = 0; i < BATCH; i++)
        {
          fill_cart (rand, &carts[i], g_rand_int_range (rand, 1, 31));
          lines_total += carts[i].n_lines;
        }

      settings.prices_include_tax = g_rand_boolean (rand);
      settings.tax_scope = g_rand_boolean (rand) ? KASSA_TAX_SCOPE_LINE : KASSA_TAX_SCOPE_DOCUMENT;
      settings.rounding = g_rand_boolean (rand) ? KASSA_ROUNDING_HALF_EVEN : KASSA_ROUNDING_HALF_UP;

      start = now_ns ();
      for (guint i = 0; i < BATCH; i++)
        {
          KassaTotals *totals = kassa_totals_compute (&settings, &options, carts[i].lines,
                                                      carts[i].n_lines, NULL);

          sink += kassa_totals_get_total (totals);
          kassa_totals_unref (totals);
        }
      end = now_ns ();

      random_ns += end - start;
      n_random += BATCH;
    }

  printf ("%" G_GINT64_FORMAT " random carts (1–30 lines, %.1f on average): %8.1f ns per cart\n",
          n_random, (double) lines_total / n_random, (double) random_ns / n_random);

  return 0;
}
