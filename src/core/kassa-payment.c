/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-payment"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kassa-core-enum-types.h"
#include "kassa-error.h"
#include "kassa-payment.h"

struct _KassaPayment
{
  GObject parent_instance;

  gint64     id;
  char      *provider_id;
  gint64     amount;
  char      *currency_code;
  char      *method_label;
  char      *reference;
  GDateTime *paid_at;
  gint64     refunded_amount;
};

G_DEFINE_FINAL_TYPE (KassaPayment, kassa_payment, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PROVIDER_ID,
  PROP_AMOUNT,
  PROP_CURRENCY_CODE,
  PROP_METHOD_LABEL,
  PROP_REFERENCE,
  PROP_PAID_AT,
  PROP_REFUNDED_AMOUNT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
kassa_payment_finalize (GObject *object)
{
  KassaPayment *self = KASSA_PAYMENT (object);

  g_clear_pointer (&self->provider_id, g_free);
  g_clear_pointer (&self->currency_code, g_free);
  g_clear_pointer (&self->method_label, g_free);
  g_clear_pointer (&self->reference, g_free);
  g_clear_pointer (&self->paid_at, g_date_time_unref);

  G_OBJECT_CLASS (kassa_payment_parent_class)->finalize (object);
}

static void
kassa_payment_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KassaPayment *self = KASSA_PAYMENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_PROVIDER_ID:
      g_value_set_string (value, self->provider_id);
      break;

    case PROP_AMOUNT:
      g_value_set_int64 (value, self->amount);
      break;

    case PROP_CURRENCY_CODE:
      g_value_set_string (value, self->currency_code);
      break;

    case PROP_METHOD_LABEL:
      g_value_set_string (value, self->method_label);
      break;

    case PROP_REFERENCE:
      g_value_set_string (value, self->reference);
      break;

    case PROP_PAID_AT:
      g_value_set_boxed (value, self->paid_at);
      break;

    case PROP_REFUNDED_AMOUNT:
      g_value_set_int64 (value, self->refunded_amount);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_payment_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  KassaPayment *self = KASSA_PAYMENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      kassa_payment_set_id (self, g_value_get_int64 (value));
      break;

    case PROP_PROVIDER_ID:
      kassa_payment_set_provider_id (self, g_value_get_string (value));
      break;

    case PROP_AMOUNT:
      kassa_payment_set_amount (self, g_value_get_int64 (value));
      break;

    case PROP_CURRENCY_CODE:
      kassa_payment_set_currency_code (self, g_value_get_string (value));
      break;

    case PROP_METHOD_LABEL:
      kassa_payment_set_method_label (self, g_value_get_string (value));
      break;

    case PROP_REFERENCE:
      kassa_payment_set_reference (self, g_value_get_string (value));
      break;

    case PROP_PAID_AT:
      kassa_payment_set_paid_at (self, g_value_get_boxed (value));
      break;

    case PROP_REFUNDED_AMOUNT:
      kassa_payment_set_refunded_amount (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_payment_class_init (KassaPaymentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kassa_payment_finalize;
  object_class->get_property = kassa_payment_get_property;
  object_class->set_property = kassa_payment_set_property;

  properties [PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_PROVIDER_ID] =
    g_param_spec_string ("provider-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_AMOUNT] =
    g_param_spec_int64 ("amount", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_CURRENCY_CODE] =
    g_param_spec_string ("currency-code", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_METHOD_LABEL] =
    g_param_spec_string ("method-label", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_REFERENCE] =
    g_param_spec_string ("reference", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_PAID_AT] =
    g_param_spec_boxed ("paid-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_REFUNDED_AMOUNT] =
    g_param_spec_int64 ("refunded-amount", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_payment_init (KassaPayment *self)
{
}

KassaPayment *
kassa_payment_new (void)
{
  return g_object_new (KASSA_TYPE_PAYMENT, NULL);
}

gint64
kassa_payment_get_id (KassaPayment *self)
{
  g_return_val_if_fail (KASSA_IS_PAYMENT (self), 0);

  return self->id;
}

void
kassa_payment_set_id (KassaPayment *self,
                      gint64        id)
{
  g_return_if_fail (KASSA_IS_PAYMENT (self));

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ID]);
}

const char *
kassa_payment_get_provider_id (KassaPayment *self)
{
  g_return_val_if_fail (KASSA_IS_PAYMENT (self), NULL);

  return self->provider_id;
}

void
kassa_payment_set_provider_id (KassaPayment *self,
                               const char   *provider_id)
{
  g_return_if_fail (KASSA_IS_PAYMENT (self));

  if (g_strcmp0 (self->provider_id, provider_id) == 0)
    return;

  g_free (self->provider_id);
  self->provider_id = g_strdup (provider_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PROVIDER_ID]);
}

gint64
kassa_payment_get_amount (KassaPayment *self)
{
  g_return_val_if_fail (KASSA_IS_PAYMENT (self), 0);

  return self->amount;
}

void
kassa_payment_set_amount (KassaPayment *self,
                          gint64        amount)
{
  g_return_if_fail (KASSA_IS_PAYMENT (self));

  if (self->amount == amount)
    return;

  self->amount = amount;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_AMOUNT]);
}

const char *
kassa_payment_get_currency_code (KassaPayment *self)
{
  g_return_val_if_fail (KASSA_IS_PAYMENT (self), NULL);

  return self->currency_code;
}

void
kassa_payment_set_currency_code (KassaPayment *self,
                                 const char   *currency_code)
{
  g_return_if_fail (KASSA_IS_PAYMENT (self));

  if (g_strcmp0 (self->currency_code, currency_code) == 0)
    return;

  g_free (self->currency_code);
  self->currency_code = g_strdup (currency_code);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CURRENCY_CODE]);
}

const char *
kassa_payment_get_method_label (KassaPayment *self)
{
  g_return_val_if_fail (KASSA_IS_PAYMENT (self), NULL);

  return self->method_label;
}

void
kassa_payment_set_method_label (KassaPayment *self,
                                const char   *method_label)
{
  g_return_if_fail (KASSA_IS_PAYMENT (self));

  if (g_strcmp0 (self->method_label, method_label) == 0)
    return;

  g_free (self->method_label);
  self->method_label = g_strdup (method_label);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_METHOD_LABEL]);
}

const char *
kassa_payment_get_reference (KassaPayment *self)
{
  g_return_val_if_fail (KASSA_IS_PAYMENT (self), NULL);

  return self->reference;
}

void
kassa_payment_set_reference (KassaPayment *self,
                             const char   *reference)
{
  g_return_if_fail (KASSA_IS_PAYMENT (self));

  if (g_strcmp0 (self->reference, reference) == 0)
    return;

  g_free (self->reference);
  self->reference = g_strdup (reference);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_REFERENCE]);
}

GDateTime *
kassa_payment_get_paid_at (KassaPayment *self)
{
  g_return_val_if_fail (KASSA_IS_PAYMENT (self), NULL);

  return self->paid_at;
}

void
kassa_payment_set_paid_at (KassaPayment *self,
                           GDateTime    *paid_at)
{
  g_return_if_fail (KASSA_IS_PAYMENT (self));

  if (self->paid_at == paid_at ||
      (self->paid_at != NULL && paid_at != NULL && g_date_time_equal (self->paid_at, paid_at)))
    return;

  g_clear_pointer (&self->paid_at, g_date_time_unref);
  if (paid_at != NULL)
    self->paid_at = g_date_time_ref (paid_at);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PAID_AT]);
}

gint64
kassa_payment_get_refunded_amount (KassaPayment *self)
{
  g_return_val_if_fail (KASSA_IS_PAYMENT (self), 0);

  return self->refunded_amount;
}

void
kassa_payment_set_refunded_amount (KassaPayment *self,
                                   gint64        refunded_amount)
{
  g_return_if_fail (KASSA_IS_PAYMENT (self));

  if (self->refunded_amount == refunded_amount)
    return;

  self->refunded_amount = refunded_amount;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_REFUNDED_AMOUNT]);
}
