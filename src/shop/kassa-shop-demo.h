/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-pin.h"
#include "kassa-shop.h"

G_BEGIN_DECLS

/* A demo store, to try Kassa and to benchmark it.
 *
 * kassa_shop_fill_demo() fills an empty store with a small café and
 * deli: its profile (name, address, tagline, receipt footer, a logo),
 * settings (EUR unless told otherwise, prices including tax), tax rates,
 * two staff members who can sign in (KASSA_SHOP_DEMO_ADMIN_PIN and
 * KASSA_SHOP_DEMO_CASHIER_PIN), about forty hand-written items — coffee,
 * pastries, deli, the "Coffee club" subscription, the 90-minute "Barista
 * course" — and generated ones up to @n_products, twenty customers, an
 * open shift, @n_orders till sales spread over the past four weeks and
 * made through kassa_shop_complete_sale() (so each has its journal
 * entry), and a few issued invoices. The same seed gives the same
 * store. A store that already has catalog items is refused with
 * KASSA_ERROR_INVALID, so nobody's shop gets demo data by mistake.
 *
 * Only the system actor (a local tool with the file in hand) may fill a
 * store; the sales are rung up by the demo cashier. */

#define KASSA_SHOP_DEMO_ADMIN_NAME   "Demo Admin"
#define KASSA_SHOP_DEMO_ADMIN_PIN    "1234"
#define KASSA_SHOP_DEMO_CASHIER_NAME "Demo Cashier"
#define KASSA_SHOP_DEMO_CASHIER_PIN  "0000"

/* How many items the demo writes by hand; a smaller @n_products still
 * gets all of them. */
#define KASSA_SHOP_DEMO_N_HANDWRITTEN 40
#define KASSA_SHOP_DEMO_N_CUSTOMERS   20
#define KASSA_SHOP_DEMO_N_INVOICES    3

/* Which part the demo is filling, for progress reports. */
typedef enum
{
  KASSA_SHOP_DEMO_STAGE_PRODUCTS,
  KASSA_SHOP_DEMO_STAGE_ORDERS,
} KassaShopDemoStage;

typedef void (*KassaShopDemoProgress) (KassaShopDemoStage stage,
                                       guint              n_done,
                                       guint              n_total,
                                       gpointer           user_data);

typedef struct
{
  guint                  n_products;
  guint                  n_orders;
  guint32                seed;
  /* NULL for EUR. */
  const char            *currency;
  /* KASSA_PIN_COST_INTERACTIVE for a store people sign in to. */
  KassaPinCost           pin_cost;
  KassaShopDemoProgress  progress;
  gpointer               user_data;
} KassaShopDemoOptions;

#define KASSA_SHOP_DEMO_OPTIONS_INIT { 40, 60, 1, NULL, KASSA_PIN_COST_INTERACTIVE, NULL, NULL }

typedef struct
{
  guint  n_items;
  guint  n_customers;
  guint  n_orders;
  guint  n_invoices;
  gint64 admin_id;
  gint64 cashier_id;
  gint64 shift_id;
} KassaShopDemoResult;

gboolean kassa_shop_fill_demo (KassaShop                  *shop,
                               const KassaShopDemoOptions *options,
                               KassaShopDemoResult        *result,
                               GError                    **error);

void     kassa_shop_demo_generated_barcode (guint  n,
                                            char   out[14]);

G_END_DECLS
