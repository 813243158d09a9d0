/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-customer"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kassa-core-enum-types.h"
#include "kassa-error.h"
#include "kassa-text.h"
#include "kassa-customer.h"

struct _KassaCustomer
{
  GObject parent_instance;

  gint64    id;
  char     *name;
  char     *email;
  char     *phone;
  char     *billing_address;
  char     *shipping_address;
  gboolean  is_walk_in;
};

G_DEFINE_FINAL_TYPE (KassaCustomer, kassa_customer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_EMAIL,
  PROP_PHONE,
  PROP_BILLING_ADDRESS,
  PROP_SHIPPING_ADDRESS,
  PROP_IS_WALK_IN,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
kassa_customer_finalize (GObject *object)
{
  KassaCustomer *self = KASSA_CUSTOMER (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->phone, g_free);
  g_clear_pointer (&self->billing_address, g_free);
  g_clear_pointer (&self->shipping_address, g_free);

  G_OBJECT_CLASS (kassa_customer_parent_class)->finalize (object);
}

static void
kassa_customer_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  KassaCustomer *self = KASSA_CUSTOMER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;

    case PROP_PHONE:
      g_value_set_string (value, self->phone);
      break;

    case PROP_BILLING_ADDRESS:
      g_value_set_string (value, self->billing_address);
      break;

    case PROP_SHIPPING_ADDRESS:
      g_value_set_string (value, self->shipping_address);
      break;

    case PROP_IS_WALK_IN:
      g_value_set_boolean (value, self->is_walk_in);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_customer_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  KassaCustomer *self = KASSA_CUSTOMER (object);

  switch (prop_id)
    {
    case PROP_ID:
      kassa_customer_set_id (self, g_value_get_int64 (value));
      break;

    case PROP_NAME:
      kassa_customer_set_name (self, g_value_get_string (value));
      break;

    case PROP_EMAIL:
      kassa_customer_set_email (self, g_value_get_string (value));
      break;

    case PROP_PHONE:
      kassa_customer_set_phone (self, g_value_get_string (value));
      break;

    case PROP_BILLING_ADDRESS:
      kassa_customer_set_billing_address (self, g_value_get_string (value));
      break;

    case PROP_SHIPPING_ADDRESS:
      kassa_customer_set_shipping_address (self, g_value_get_string (value));
      break;

    case PROP_IS_WALK_IN:
      kassa_customer_set_is_walk_in (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_customer_class_init (KassaCustomerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kassa_customer_finalize;
  object_class->get_property = kassa_customer_get_property;
  object_class->set_property = kassa_customer_set_property;

  properties [PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_PHONE] =
    g_param_spec_string ("phone", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_BILLING_ADDRESS] =
    g_param_spec_string ("billing-address", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_SHIPPING_ADDRESS] =
    g_param_spec_string ("shipping-address", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_IS_WALK_IN] =
    g_param_spec_boolean ("is-walk-in", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_customer_init (KassaCustomer *self)
{
}

KassaCustomer *
kassa_customer_new (void)
{
  return g_object_new (KASSA_TYPE_CUSTOMER, NULL);
}

gint64
kassa_customer_get_id (KassaCustomer *self)
{
  g_return_val_if_fail (KASSA_IS_CUSTOMER (self), 0);

  return self->id;
}

void
kassa_customer_set_id (KassaCustomer *self,
                       gint64         id)
{
  g_return_if_fail (KASSA_IS_CUSTOMER (self));

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ID]);
}

const char *
kassa_customer_get_name (KassaCustomer *self)
{
  g_return_val_if_fail (KASSA_IS_CUSTOMER (self), NULL);

  return self->name;
}

void
kassa_customer_set_name (KassaCustomer *self,
                         const char    *name)
{
  g_return_if_fail (KASSA_IS_CUSTOMER (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_NAME]);
}

const char *
kassa_customer_get_email (KassaCustomer *self)
{
  g_return_val_if_fail (KASSA_IS_CUSTOMER (self), NULL);

  return self->email;
}

void
kassa_customer_set_email (KassaCustomer *self,
                          const char    *email)
{
  g_return_if_fail (KASSA_IS_CUSTOMER (self));

  if (g_strcmp0 (self->email, email) == 0)
    return;

  g_free (self->email);
  self->email = g_strdup (email);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_EMAIL]);
}

const char *
kassa_customer_get_phone (KassaCustomer *self)
{
  g_return_val_if_fail (KASSA_IS_CUSTOMER (self), NULL);

  return self->phone;
}

void
kassa_customer_set_phone (KassaCustomer *self,
                          const char    *phone)
{
  g_return_if_fail (KASSA_IS_CUSTOMER (self));

  if (g_strcmp0 (self->phone, phone) == 0)
    return;

  g_free (self->phone);
  self->phone = g_strdup (phone);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PHONE]);
}

const char *
kassa_customer_get_billing_address (KassaCustomer *self)
{
  g_return_val_if_fail (KASSA_IS_CUSTOMER (self), NULL);

  return self->billing_address;
}

void
kassa_customer_set_billing_address (KassaCustomer *self,
                                    const char    *billing_address)
{
  g_return_if_fail (KASSA_IS_CUSTOMER (self));

  if (g_strcmp0 (self->billing_address, billing_address) == 0)
    return;

  g_free (self->billing_address);
  self->billing_address = g_strdup (billing_address);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BILLING_ADDRESS]);
}

const char *
kassa_customer_get_shipping_address (KassaCustomer *self)
{
  g_return_val_if_fail (KASSA_IS_CUSTOMER (self), NULL);

  return self->shipping_address;
}

void
kassa_customer_set_shipping_address (KassaCustomer *self,
                                     const char    *shipping_address)
{
  g_return_if_fail (KASSA_IS_CUSTOMER (self));

  if (g_strcmp0 (self->shipping_address, shipping_address) == 0)
    return;

  g_free (self->shipping_address);
  self->shipping_address = g_strdup (shipping_address);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SHIPPING_ADDRESS]);
}

gboolean
kassa_customer_get_is_walk_in (KassaCustomer *self)
{
  g_return_val_if_fail (KASSA_IS_CUSTOMER (self), FALSE);

  return self->is_walk_in;
}

void
kassa_customer_set_is_walk_in (KassaCustomer *self,
                               gboolean       is_walk_in)
{
  g_return_if_fail (KASSA_IS_CUSTOMER (self));

  is_walk_in = !!is_walk_in;

  if (self->is_walk_in == is_walk_in)
    return;

  self->is_walk_in = is_walk_in;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_IS_WALK_IN]);
}

KassaCustomer *
kassa_customer_new_walk_in (void)
{
  return g_object_new (KASSA_TYPE_CUSTOMER,
                       "id", KASSA_CUSTOMER_WALK_IN_ID,
                       "is-walk-in", TRUE,
                       NULL);
}

gboolean
kassa_customer_validate (KassaCustomer  *self,
                         GError        **error)
{
  g_return_val_if_fail (KASSA_IS_CUSTOMER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!self->is_walk_in && kassa_text_is_blank (self->name))
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("A customer needs a name"));
      return FALSE;
    }

  if (self->email == NULL || self->email[0] == '\0')
    return TRUE;

  if (!kassa_text_is_email_address (self->email))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("“%s” is not an e-mail address"), self->email);
      return FALSE;
    }

  return TRUE;
}

const char *
kassa_customer_get_display_name (KassaCustomer *self)
{
  g_return_val_if_fail (KASSA_IS_CUSTOMER (self), NULL);

  if (self->is_walk_in && (self->name == NULL || self->name[0] == '\0'))
    return _("Walk-in customer");

  return self->name != NULL ? self->name : "";
}
