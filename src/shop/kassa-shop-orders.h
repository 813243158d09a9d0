/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kassa-order.h"
#include "kassa-order-repository.h"
#include "kassa-shop.h"
#include "kassa-shop-maintenance.h"

G_BEGIN_DECLS

/* Orders from other systems, and orders as JSON for scripts.
 *
 * kassa_shop_import_orders() reads a JSON array of manual-mode orders:
 *
 *   [{"number"?, "customer": {"name", "email"?, "phone"?}, "currency",
 *     "prices_include_tax"?, "lines": [{"sku"?, "name", "quantity",
 *     "unit_price", "tax_rate", "delivery_method"? (pickup|delivery|none)}],
 *     "shipping_cost"?, "shipping_address"?, "billing_address"?,
 *     "payment"?: {"status": "paid"|"unpaid", "method", "amount", "paid_at"}}]
 *
 * Amounts are decimal strings in the order's currency, quantities
 * decimal numbers of units, tax rates percents, times ISO 8601. Beyond
 * the format, an order may state "created_at", "shipping_tax_rate"
 * (else the highest rate of its lines, as shipping follows the main
 * supply) and its "untaxed", "tax" and "total". Totals always come from
 * the totals engine under the store's tax settings (prices gross or net
 * as the order says, else as the store does); an order whose stated
 * totals or paid amount disagree with them is refused. Customers are
 * found by e-mail address or created. Orders without a number take the
 * store's next one.
 *
 * All or nothing: one transaction, and the first bad order stops it
 * with KASSA_ERROR_INVALID naming the member ("orders[2].lines[0].unit_price:
 * …"). Each order gets an audit entry, each paid one a journal entry.
 * Needs KASSA_PERMISSION_MANAGE_ORDERS.
 *
 * Returns: (transfer full): [{"id": 1, "number": "S-000001", "total": "12.50"}]
 */
JsonNode   *kassa_shop_import_orders   (KassaShop               *self,
                                        const char              *json,
                                        gssize                   length,
                                        KassaShopProgressFunc    progress,
                                        gpointer                 user_data,
                                        GError                 **error);

/* An order by id, or by number when @id_or_number is not all digits or
 * no order has that id. KASSA_ERROR_NOT_FOUND when neither matches. */
KassaOrder *kassa_shop_find_order      (KassaShop               *self,
                                        const char              *id_or_number,
                                        GError                 **error);

/* Newest first, at most @limit (0: 100). Reading orders needs one of
 * the permissions of people who work with them (sell, manage or fulfil
 * orders, view reports).
 * Returns: (transfer full) (element-type KassaOrder) */
GPtrArray  *kassa_shop_list_orders     (KassaShop               *self,
                                        const KassaOrderFilter  *filter,
                                        guint                    limit,
                                        GError                 **error);

/* An order as JSON: ids, number, statuses, customer, currency, the
 * stored totals as decimal strings, addresses, times in ISO 8601, the
 * reference of its invoice (or null); with @details also its lines
 * (with their net and tax) and payments. */
JsonNode   *kassa_shop_order_to_json   (KassaShop               *self,
                                        KassaOrder              *order,
                                        gboolean                 details,
                                        GError                 **error);

/* Parses a payment status ("paid") or fulfilment status ("delivered")
 * nick into @filter. */
gboolean    kassa_shop_order_filter_parse_status (KassaOrderFilter  *filter,
                                                  const char        *status,
                                                  GError           **error);

G_END_DECLS
