/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-core-enums.h"

G_BEGIN_DECLS

/* A customer. Addresses are kept exactly as typed (line breaks, spaces
 * and length included) because they are printed on labels and invoices.
 *
 * Anonymous till sales belong to the walk-in customer: one row the store
 * creates once, with "is-walk-in" set and the id
 * KASSA_CUSTOMER_WALK_IN_ID. It is an ordinary object, not a shared
 * singleton, so nobody can change the name under another's feet;
 * kassa_customer_new_walk_in() builds it. */

#define KASSA_CUSTOMER_WALK_IN_ID G_GINT64_CONSTANT (1)

#define KASSA_TYPE_CUSTOMER (kassa_customer_get_type ())

G_DECLARE_FINAL_TYPE (KassaCustomer, kassa_customer, KASSA, CUSTOMER, GObject)

KassaCustomer  *kassa_customer_new                  (void);
gint64          kassa_customer_get_id               (KassaCustomer *self);
void            kassa_customer_set_id               (KassaCustomer *self,
                                                     gint64         id);
const char     *kassa_customer_get_name             (KassaCustomer *self);
void            kassa_customer_set_name             (KassaCustomer *self,
                                                     const char    *name);
const char     *kassa_customer_get_email            (KassaCustomer *self);
void            kassa_customer_set_email            (KassaCustomer *self,
                                                     const char    *email);
const char     *kassa_customer_get_phone            (KassaCustomer *self);
void            kassa_customer_set_phone            (KassaCustomer *self,
                                                     const char    *phone);
const char     *kassa_customer_get_billing_address  (KassaCustomer *self);
void            kassa_customer_set_billing_address  (KassaCustomer *self,
                                                     const char    *billing_address);
const char     *kassa_customer_get_shipping_address (KassaCustomer *self);
void            kassa_customer_set_shipping_address (KassaCustomer *self,
                                                     const char    *shipping_address);
gboolean        kassa_customer_get_is_walk_in       (KassaCustomer *self);
void            kassa_customer_set_is_walk_in       (KassaCustomer *self,
                                                     gboolean       is_walk_in);

KassaCustomer       *kassa_customer_new_walk_in           (void);
/* A name unless walk-in; an e-mail address, when given, looks like one. */
gboolean             kassa_customer_validate              (KassaCustomer  *self,
                                                           GError        **error);
/* The name to show: the walk-in customer's translated label, or the name. */
const char          *kassa_customer_get_display_name      (KassaCustomer  *self);

G_END_DECLS
