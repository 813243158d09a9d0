/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-customer.h"
#include "kassa-database.h"

G_BEGIN_DECLS

/* Customers in the database. Texts, addresses above all, are stored and
 * read back exactly as typed. A missing customer is KASSA_ERROR_NOT_FOUND;
 * a change the schema refuses is KASSA_STORE_ERROR_CONSTRAINT with a
 * message that says why (the walk-in customer cannot be deleted, a
 * customer with orders neither). */

#define KASSA_TYPE_CUSTOMER_REPOSITORY (kassa_customer_repository_get_type ())

G_DECLARE_FINAL_TYPE (KassaCustomerRepository, kassa_customer_repository, KASSA, CUSTOMER_REPOSITORY, GObject)

KassaCustomerRepository *kassa_customer_repository_new    (KassaDatabase            *database);

/* Validates, stores, and sets the new id on @customer. */
gboolean                 kassa_customer_repository_insert (KassaCustomerRepository  *self,
                                                           KassaCustomer            *customer,
                                                           GError                  **error);
gboolean                 kassa_customer_repository_update (KassaCustomerRepository  *self,
                                                           KassaCustomer            *customer,
                                                           GError                  **error);
KassaCustomer           *kassa_customer_repository_get    (KassaCustomerRepository  *self,
                                                           gint64                    id,
                                                           GError                  **error);
/* Customers whose name, e-mail address or phone number starts with
 * @prefix, ignoring case; % and _ in @prefix are plain characters. By
 * name, at most @limit. The walk-in customer is left out of searches
 * and lists: it is no one to look up. */
GPtrArray               *kassa_customer_repository_search (KassaCustomerRepository  *self,
                                                           const char               *prefix,
                                                           guint                     limit,
                                                           GError                  **error);
/* The oldest customer with this e-mail address, compared without
 * regard to ASCII case as the e-mail index does; *@out_customer is
 * NULL (and TRUE returned) when nobody has it. */
gboolean                 kassa_customer_repository_find_by_email (KassaCustomerRepository  *self,
                                                                  const char               *email,
                                                                  KassaCustomer           **out_customer,
                                                                  GError                  **error);
/* One page of all customers by name (then id, so pages are stable). */
GPtrArray               *kassa_customer_repository_list   (KassaCustomerRepository  *self,
                                                           guint                     offset,
                                                           guint                     limit,
                                                           GError                  **error);
/* How many customers, the walk-in customer left out. */
gint64                   kassa_customer_repository_count  (KassaCustomerRepository  *self,
                                                           GError                  **error);
gboolean                 kassa_customer_repository_delete (KassaCustomerRepository  *self,
                                                           gint64                    id,
                                                           GError                  **error);

G_END_DECLS
