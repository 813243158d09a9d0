/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kassa-customer.h"
#include "kassa-shop.h"

G_BEGIN_DECLS

/* Customers to and from CSV (RFC 4180, UTF-8). The first row names the
 * columns, in any order and case: name (required), email, phone,
 * billing_address, shipping_address. Fields are kept exactly as written,
 * line breaks and spaces included.
 *
 * An import is all or nothing: the first bad row stops it, nothing is
 * stored, and the KASSA_ERROR_INVALID message names the line (as an
 * editor counts them) and the column. Both directions need
 * KASSA_PERMISSION_MANAGE_CUSTOMERS and are written to the audit log. */

gboolean   kassa_customer_import_csv (KassaShop      *shop,
                                      GInputStream   *input,
                                      guint          *n_imported,
                                      GCancellable   *cancellable,
                                      GError        **error);
/* Every customer but the walk-in one, by name, with the header row. */
gboolean   kassa_customer_export_csv (KassaShop      *shop,
                                      GOutputStream  *output,
                                      guint          *n_exported,
                                      GCancellable   *cancellable,
                                      GError        **error);
/* One page of customers by name (KassaCustomer), for listings. */
GPtrArray *kassa_shop_list_customers (KassaShop      *shop,
                                      guint           offset,
                                      guint           limit,
                                      GError        **error);

G_END_DECLS
