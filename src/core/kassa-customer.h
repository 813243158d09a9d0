/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-core-enums.h"

G_BEGIN_DECLS

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

G_END_DECLS
