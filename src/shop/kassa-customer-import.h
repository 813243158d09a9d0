/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kassa-customer.h"
#include "kassa-shop.h"

G_BEGIN_DECLS

/* Customers to and from CSV (RFC 4180, UTF-8, a byte-order mark
 * skipped). The first row names the columns, in any order and case:
 * name (required), email, phone, billing_address, shipping_address.
 * Fields are kept exactly as written, line breaks and spaces included.
 *
 * An import reads the whole file and names every bad row (line as an
 * editor counts them, and column). By default it is all or nothing: one
 * bad row and nothing is stored, the KASSA_ERROR_INVALID message being
 * that row's or, for several, "3 invalid rows; nothing imported" and
 * one line per row (see kassa_csv_problems_set_error()). With
 * KASSA_CUSTOMER_IMPORT_SKIP_INVALID the good rows are stored and the
 * bad ones returned in the result. A header problem is one error. Both directions need
 * KASSA_PERMISSION_MANAGE_CUSTOMERS and are written to the audit log. */

typedef enum
{
  KASSA_CUSTOMER_IMPORT_NONE         = 0,
  KASSA_CUSTOMER_IMPORT_SKIP_INVALID = 1 << 0,
} KassaCustomerImportFlags;

/**
 * KassaCustomerImportResult:
 * @n_imported: customers stored
 * @n_invalid: rows skipped as invalid (KASSA_CUSTOMER_IMPORT_SKIP_INVALID)
 * @invalid_rows: the first KASSA_CSV_MAX_PROBLEMS of them, one message
 *   each, NULL-terminated, or NULL when there were none; free with
 *   kassa_customer_import_result_clear()
 */
typedef struct
{
  guint   n_imported;
  guint   n_invalid;
  char  **invalid_rows;
} KassaCustomerImportResult;

void       kassa_customer_import_result_clear (KassaCustomerImportResult *result);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KassaCustomerImportResult, kassa_customer_import_result_clear)

/* Called every few hundred rows read and once at the end with the
 * number of rows read so far. */
typedef void (*KassaCustomerImportProgress) (guint    n_done,
                                             gpointer user_data);

/* @result is filled on success only. */
gboolean   kassa_customer_import_csv (KassaShop                    *shop,
                                      GInputStream                 *input,
                                      KassaCustomerImportFlags      flags,
                                      KassaCustomerImportProgress   progress,
                                      gpointer                      user_data,
                                      KassaCustomerImportResult    *result,
                                      GCancellable                 *cancellable,
                                      GError                      **error);
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
