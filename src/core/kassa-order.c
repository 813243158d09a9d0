/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-order"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "kassa-core-enum-types.h"
#include "kassa-error.h"
#include "kassa-order.h"
#include "kassa-transitions.h"

struct _KassaOrder
{
  GObject parent_instance;

  gint64                 id;
  char                  *number;
  gint64                 customer_id;
  char                  *currency_code;
  KassaOrderMode         mode;
  gboolean               certified;
  KassaPaymentStatus     payment_status;
  KassaDisputeStatus     dispute_status;
  KassaFulfilmentStatus  fulfilment_status;
  KassaDeliveryMethod    delivery_method;
  gint64                 shipping_cost;
  gint64                 shipping_tax_rate;
  char                  *shipping_address;
  char                  *billing_address;
  char                  *tracking_url;
  char                  *stripe_checkout_session_id;
  char                  *stripe_payment_intent_id;
  GDateTime             *created_at;
  GDateTime             *paid_at;
  gboolean               prices_include_tax;
  KassaTaxScope          tax_scope;
  KassaRoundingMode      rounding;
  KassaDiscountKind      discount_kind;
  gint64                 discount_value;
  char                  *shipping_status;

  GListStore            *lines;
  GListStore            *payments;

  /* Until construction ends, the statuses are loaded, not transitioned. */
  guint                  constructed : 1;
};

G_DEFINE_FINAL_TYPE (KassaOrder, kassa_order, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NUMBER,
  PROP_CUSTOMER_ID,
  PROP_CURRENCY_CODE,
  PROP_MODE,
  PROP_CERTIFIED,
  PROP_PAYMENT_STATUS,
  PROP_DISPUTE_STATUS,
  PROP_FULFILMENT_STATUS,
  PROP_DELIVERY_METHOD,
  PROP_SHIPPING_COST,
  PROP_SHIPPING_TAX_RATE,
  PROP_SHIPPING_ADDRESS,
  PROP_BILLING_ADDRESS,
  PROP_TRACKING_URL,
  PROP_STRIPE_CHECKOUT_SESSION_ID,
  PROP_STRIPE_PAYMENT_INTENT_ID,
  PROP_CREATED_AT,
  PROP_PAID_AT,
  PROP_PRICES_INCLUDE_TAX,
  PROP_TAX_SCOPE,
  PROP_ROUNDING,
  PROP_DISCOUNT_KIND,
  PROP_DISCOUNT_VALUE,
  PROP_SHIPPING_STATUS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* What a customer agreed to and Stripe charged is frozen once Stripe has
 * certified it; fulfilment, tracking and the payment and dispute states
 * that Stripe itself reports keep moving. */
static gboolean
kassa_order_check_editable (KassaOrder  *self,
                            const char  *property,
                            GError     **error)
{
  if (!kassa_order_is_locked (self))
    return TRUE;

  if (self->number != NULL)
    g_set_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED,
                 /* Translators: the last %s is a property name such as shipping-address */
                 _("Order %s is certified by Stripe; its %s cannot change"),
                 self->number, property);
  else
    g_set_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED,
                 /* Translators: %s is a property name such as shipping-address */
                 _("The order is certified by Stripe; its %s cannot change"),
                 property);
  return FALSE;
}

static gboolean
was_paid (KassaPaymentStatus status)
{
  return status == KASSA_PAYMENT_STATUS_PAID ||
         status == KASSA_PAYMENT_STATUS_PARTIALLY_REFUNDED ||
         status == KASSA_PAYMENT_STATUS_REFUNDED;
}

static void
lock_lines (KassaOrder *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->lines));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KassaOrderLine) line = g_list_model_get_item (G_LIST_MODEL (self->lines), i);

      kassa_order_line_set_locked (line, TRUE);
    }
}

static void
kassa_order_dispose (GObject *object)
{
  KassaOrder *self = KASSA_ORDER (object);

  g_clear_object (&self->lines);
  g_clear_object (&self->payments);

  G_OBJECT_CLASS (kassa_order_parent_class)->dispose (object);
}

static void
kassa_order_finalize (GObject *object)
{
  KassaOrder *self = KASSA_ORDER (object);

  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->currency_code, g_free);
  g_clear_pointer (&self->shipping_address, g_free);
  g_clear_pointer (&self->billing_address, g_free);
  g_clear_pointer (&self->tracking_url, g_free);
  g_clear_pointer (&self->stripe_checkout_session_id, g_free);
  g_clear_pointer (&self->stripe_payment_intent_id, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->paid_at, g_date_time_unref);

  g_clear_pointer (&self->shipping_status, g_free);
  G_OBJECT_CLASS (kassa_order_parent_class)->finalize (object);
}

static void
kassa_order_constructed (GObject *object)
{
  KassaOrder *self = KASSA_ORDER (object);

  G_OBJECT_CLASS (kassa_order_parent_class)->constructed (object);

  self->constructed = TRUE;
}

static void
kassa_order_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  KassaOrder *self = KASSA_ORDER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_NUMBER:
      g_value_set_string (value, self->number);
      break;

    case PROP_CUSTOMER_ID:
      g_value_set_int64 (value, self->customer_id);
      break;

    case PROP_CURRENCY_CODE:
      g_value_set_string (value, self->currency_code);
      break;

    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;

    case PROP_CERTIFIED:
      g_value_set_boolean (value, self->certified);
      break;

    case PROP_PAYMENT_STATUS:
      g_value_set_enum (value, self->payment_status);
      break;

    case PROP_DISPUTE_STATUS:
      g_value_set_enum (value, self->dispute_status);
      break;

    case PROP_FULFILMENT_STATUS:
      g_value_set_enum (value, self->fulfilment_status);
      break;

    case PROP_DELIVERY_METHOD:
      g_value_set_enum (value, self->delivery_method);
      break;

    case PROP_SHIPPING_COST:
      g_value_set_int64 (value, self->shipping_cost);
      break;

    case PROP_SHIPPING_TAX_RATE:
      g_value_set_int64 (value, self->shipping_tax_rate);
      break;

    case PROP_SHIPPING_ADDRESS:
      g_value_set_string (value, self->shipping_address);
      break;

    case PROP_BILLING_ADDRESS:
      g_value_set_string (value, self->billing_address);
      break;

    case PROP_TRACKING_URL:
      g_value_set_string (value, self->tracking_url);
      break;

    case PROP_STRIPE_CHECKOUT_SESSION_ID:
      g_value_set_string (value, self->stripe_checkout_session_id);
      break;

    case PROP_STRIPE_PAYMENT_INTENT_ID:
      g_value_set_string (value, self->stripe_payment_intent_id);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    case PROP_PAID_AT:
      g_value_set_boxed (value, self->paid_at);
      break;

    case PROP_PRICES_INCLUDE_TAX:
      g_value_set_boolean (value, self->prices_include_tax);
      break;

    case PROP_TAX_SCOPE:
      g_value_set_enum (value, self->tax_scope);
      break;

    case PROP_ROUNDING:
      g_value_set_enum (value, self->rounding);
      break;

    case PROP_DISCOUNT_KIND:
      g_value_set_enum (value, self->discount_kind);
      break;

    case PROP_DISCOUNT_VALUE:
      g_value_set_int64 (value, self->discount_value);
      break;

    case PROP_SHIPPING_STATUS:
      g_value_set_string (value, self->shipping_status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_order_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  KassaOrder *self = KASSA_ORDER (object);
  g_autoptr(GError) error = NULL;

  switch (prop_id)
    {
    case PROP_ID:
      kassa_order_set_id (self, g_value_get_int64 (value));
      break;

    case PROP_NUMBER:
      if (!kassa_order_set_number (self, g_value_get_string (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_CUSTOMER_ID:
      if (!kassa_order_set_customer_id (self, g_value_get_int64 (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_CURRENCY_CODE:
      if (!kassa_order_set_currency_code (self, g_value_get_string (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_MODE:
      if (!kassa_order_set_mode (self, g_value_get_enum (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_CERTIFIED:
      if (!kassa_order_set_certified (self, g_value_get_boolean (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_PAYMENT_STATUS:
      if (!self->constructed)
        self->payment_status = g_value_get_enum (value);
      else if (!kassa_order_set_payment_status (self, g_value_get_enum (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_DISPUTE_STATUS:
      if (!self->constructed)
        self->dispute_status = g_value_get_enum (value);
      else if (!kassa_order_set_dispute_status (self, g_value_get_enum (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_FULFILMENT_STATUS:
      if (!self->constructed)
        self->fulfilment_status = g_value_get_enum (value);
      else if (!kassa_order_set_fulfilment_status (self, g_value_get_enum (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_DELIVERY_METHOD:
      if (!kassa_order_set_delivery_method (self, g_value_get_enum (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_SHIPPING_COST:
      if (!kassa_order_set_shipping_cost (self, g_value_get_int64 (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_SHIPPING_TAX_RATE:
      if (!kassa_order_set_shipping_tax_rate (self, g_value_get_int64 (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_SHIPPING_ADDRESS:
      if (!kassa_order_set_shipping_address (self, g_value_get_string (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_BILLING_ADDRESS:
      if (!kassa_order_set_billing_address (self, g_value_get_string (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_TRACKING_URL:
      kassa_order_set_tracking_url (self, g_value_get_string (value));
      break;

    case PROP_STRIPE_CHECKOUT_SESSION_ID:
      if (!kassa_order_set_stripe_checkout_session_id (self, g_value_get_string (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_STRIPE_PAYMENT_INTENT_ID:
      kassa_order_set_stripe_payment_intent_id (self, g_value_get_string (value));
      break;

    case PROP_CREATED_AT:
      if (!kassa_order_set_created_at (self, g_value_get_boxed (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_PAID_AT:
      kassa_order_set_paid_at (self, g_value_get_boxed (value));
      break;

    case PROP_PRICES_INCLUDE_TAX:
      if (!kassa_order_set_prices_include_tax (self, g_value_get_boolean (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_TAX_SCOPE:
      if (!kassa_order_set_tax_scope (self, g_value_get_enum (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_ROUNDING:
      if (!kassa_order_set_rounding (self, g_value_get_enum (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_DISCOUNT_KIND:
      if (!kassa_order_set_discount_kind (self, g_value_get_enum (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_DISCOUNT_VALUE:
      if (!kassa_order_set_discount_value (self, g_value_get_int64 (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_SHIPPING_STATUS:
      kassa_order_set_shipping_status (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_order_class_init (KassaOrderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = kassa_order_constructed;
  object_class->dispose = kassa_order_dispose;
  object_class->finalize = kassa_order_finalize;
  object_class->get_property = kassa_order_get_property;
  object_class->set_property = kassa_order_set_property;

  properties [PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_NUMBER] =
    g_param_spec_string ("number", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_CUSTOMER_ID] =
    g_param_spec_int64 ("customer-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_CURRENCY_CODE] =
    g_param_spec_string ("currency-code", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL,
                       KASSA_TYPE_ORDER_MODE,
                       KASSA_ORDER_MODE_MANUAL,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_CERTIFIED] =
    g_param_spec_boolean ("certified", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  properties [PROP_PAYMENT_STATUS] =
    g_param_spec_enum ("payment-status", NULL, NULL,
                       KASSA_TYPE_PAYMENT_STATUS,
                       KASSA_PAYMENT_STATUS_CREATED,
                       (G_PARAM_READWRITE |
                        G_PARAM_CONSTRUCT |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_DISPUTE_STATUS] =
    g_param_spec_enum ("dispute-status", NULL, NULL,
                       KASSA_TYPE_DISPUTE_STATUS,
                       KASSA_DISPUTE_STATUS_NONE,
                       (G_PARAM_READWRITE |
                        G_PARAM_CONSTRUCT |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_FULFILMENT_STATUS] =
    g_param_spec_enum ("fulfilment-status", NULL, NULL,
                       KASSA_TYPE_FULFILMENT_STATUS,
                       KASSA_FULFILMENT_STATUS_UNFULFILLED,
                       (G_PARAM_READWRITE |
                        G_PARAM_CONSTRUCT |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_DELIVERY_METHOD] =
    g_param_spec_enum ("delivery-method", NULL, NULL,
                       KASSA_TYPE_DELIVERY_METHOD,
                       KASSA_DELIVERY_METHOD_NONE,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_SHIPPING_COST] =
    g_param_spec_int64 ("shipping-cost", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_SHIPPING_TAX_RATE] =
    g_param_spec_int64 ("shipping-tax-rate", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_SHIPPING_ADDRESS] =
    g_param_spec_string ("shipping-address", NULL, NULL,
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

  properties [PROP_TRACKING_URL] =
    g_param_spec_string ("tracking-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_STRIPE_CHECKOUT_SESSION_ID] =
    g_param_spec_string ("stripe-checkout-session-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_STRIPE_PAYMENT_INTENT_ID] =
    g_param_spec_string ("stripe-payment-intent-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_PAID_AT] =
    g_param_spec_boxed ("paid-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_PRICES_INCLUDE_TAX] =
    g_param_spec_boolean ("prices-include-tax", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  properties [PROP_TAX_SCOPE] =
    g_param_spec_enum ("tax-scope", NULL, NULL,
                       KASSA_TYPE_TAX_SCOPE,
                       KASSA_TAX_SCOPE_DOCUMENT,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_ROUNDING] =
    g_param_spec_enum ("rounding", NULL, NULL,
                       KASSA_TYPE_ROUNDING_MODE,
                       KASSA_ROUNDING_HALF_UP,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_DISCOUNT_KIND] =
    g_param_spec_enum ("discount-kind", NULL, NULL,
                       KASSA_TYPE_DISCOUNT_KIND,
                       KASSA_DISCOUNT_NONE,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_DISCOUNT_VALUE] =
    g_param_spec_int64 ("discount-value", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_SHIPPING_STATUS] =
    g_param_spec_string ("shipping-status", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_order_init (KassaOrder *self)
{
  self->lines = g_list_store_new (KASSA_TYPE_ORDER_LINE);
  self->payments = g_list_store_new (KASSA_TYPE_PAYMENT);
}

KassaOrder *
kassa_order_new (void)
{
  return g_object_new (KASSA_TYPE_ORDER, NULL);
}

gint64
kassa_order_get_id (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), 0);

  return self->id;
}

void
kassa_order_set_id (KassaOrder *self,
                    gint64      id)
{
  g_return_if_fail (KASSA_IS_ORDER (self));

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ID]);
}

const char *
kassa_order_get_number (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), NULL);

  return self->number;
}

gboolean
kassa_order_set_number (KassaOrder  *self,
                        const char  *number,
                        GError     **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (self->number, number) == 0)
    return TRUE;

  if (!kassa_order_check_editable (self, "number", error))
    return FALSE;

  g_free (self->number);
  self->number = g_strdup (number);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_NUMBER]);

  return TRUE;
}

gint64
kassa_order_get_customer_id (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), 0);

  return self->customer_id;
}

gboolean
kassa_order_set_customer_id (KassaOrder  *self,
                             gint64       customer_id,
                             GError     **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->customer_id == customer_id)
    return TRUE;

  if (!kassa_order_check_editable (self, "customer-id", error))
    return FALSE;

  self->customer_id = customer_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CUSTOMER_ID]);

  return TRUE;
}

const char *
kassa_order_get_currency_code (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), NULL);

  return self->currency_code;
}

gboolean
kassa_order_set_currency_code (KassaOrder  *self,
                               const char  *currency_code,
                               GError     **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (self->currency_code, currency_code) == 0)
    return TRUE;

  if (!kassa_order_check_editable (self, "currency-code", error))
    return FALSE;

  g_free (self->currency_code);
  self->currency_code = g_strdup (currency_code);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CURRENCY_CODE]);

  return TRUE;
}

KassaOrderMode
kassa_order_get_mode (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), KASSA_ORDER_MODE_MANUAL);

  return self->mode;
}

gboolean
kassa_order_set_mode (KassaOrder      *self,
                      KassaOrderMode   mode,
                      GError         **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->mode == mode)
    return TRUE;

  if (!kassa_order_check_editable (self, "mode", error))
    return FALSE;

  self->mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MODE]);

  return TRUE;
}

gboolean
kassa_order_get_certified (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);

  return self->certified;
}

gboolean
kassa_order_set_certified (KassaOrder  *self,
                           gboolean     certified,
                           GError     **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  certified = !!certified;

  if (self->certified == certified)
    return TRUE;

  if (!certified)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_LOCKED,
                           _("An order certified by Stripe cannot be reopened"));
      return FALSE;
    }

  if (self->mode != KASSA_ORDER_MODE_STRIPE)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("Only Stripe orders are certified by Stripe"));
      return FALSE;
    }

  if (g_list_model_get_n_items (G_LIST_MODEL (self->lines)) == 0)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("An order without lines cannot be certified"));
      return FALSE;
    }

  self->certified = TRUE;
  lock_lines (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CERTIFIED]);

  return TRUE;
}

KassaPaymentStatus
kassa_order_get_payment_status (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), KASSA_PAYMENT_STATUS_CREATED);

  return self->payment_status;
}

gboolean
kassa_order_set_payment_status (KassaOrder          *self,
                                KassaPaymentStatus   payment_status,
                                GError             **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->payment_status == payment_status)
    return TRUE;

  if (!kassa_payment_status_check_transition (self->payment_status, payment_status, error))
    return FALSE;

  self->payment_status = payment_status;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PAYMENT_STATUS]);

  return TRUE;
}

KassaDisputeStatus
kassa_order_get_dispute_status (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), KASSA_DISPUTE_STATUS_NONE);

  return self->dispute_status;
}

gboolean
kassa_order_set_dispute_status (KassaOrder          *self,
                                KassaDisputeStatus   dispute_status,
                                GError             **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->dispute_status == dispute_status)
    return TRUE;

  if (!kassa_dispute_status_check_transition (self->dispute_status, dispute_status, error))
    return FALSE;

  if (!was_paid (self->payment_status))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION,
                   _("An order that is “%s” cannot be disputed"),
                   kassa_payment_status_get_display_name (self->payment_status));
      return FALSE;
    }

  self->dispute_status = dispute_status;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DISPUTE_STATUS]);

  return TRUE;
}

KassaFulfilmentStatus
kassa_order_get_fulfilment_status (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), KASSA_FULFILMENT_STATUS_UNFULFILLED);

  return self->fulfilment_status;
}

gboolean
kassa_order_set_fulfilment_status (KassaOrder             *self,
                                   KassaFulfilmentStatus   fulfilment_status,
                                   GError                **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->fulfilment_status == fulfilment_status)
    return TRUE;

  if (!kassa_fulfilment_status_check_transition (self->fulfilment_status, fulfilment_status, error))
    return FALSE;

  if (fulfilment_status == KASSA_FULFILMENT_STATUS_READY_FOR_PICKUP &&
      self->delivery_method != KASSA_DELIVERY_METHOD_PICKUP)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION,
                   _("Only an order for pickup can be ready for pickup (this one is “%s”)"),
                   kassa_delivery_method_get_display_name (self->delivery_method));
      return FALSE;
    }

  if (fulfilment_status == KASSA_FULFILMENT_STATUS_OUT_FOR_DELIVERY &&
      self->delivery_method != KASSA_DELIVERY_METHOD_DELIVERY)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION,
                   _("Only an order for delivery can go out for delivery (this one is “%s”)"),
                   kassa_delivery_method_get_display_name (self->delivery_method));
      return FALSE;
    }

  self->fulfilment_status = fulfilment_status;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FULFILMENT_STATUS]);

  return TRUE;
}

KassaDeliveryMethod
kassa_order_get_delivery_method (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), KASSA_DELIVERY_METHOD_NONE);

  return self->delivery_method;
}

gboolean
kassa_order_set_delivery_method (KassaOrder           *self,
                                 KassaDeliveryMethod   delivery_method,
                                 GError              **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->delivery_method == delivery_method)
    return TRUE;

  if (!kassa_order_check_editable (self, "delivery-method", error))
    return FALSE;

  self->delivery_method = delivery_method;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DELIVERY_METHOD]);

  return TRUE;
}

gint64
kassa_order_get_shipping_cost (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), 0);

  return self->shipping_cost;
}

gboolean
kassa_order_set_shipping_cost (KassaOrder  *self,
                               gint64       shipping_cost,
                               GError     **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->shipping_cost == shipping_cost)
    return TRUE;

  if (!kassa_order_check_editable (self, "shipping-cost", error))
    return FALSE;

  self->shipping_cost = shipping_cost;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SHIPPING_COST]);

  return TRUE;
}

gint64
kassa_order_get_shipping_tax_rate (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), 0);

  return self->shipping_tax_rate;
}

gboolean
kassa_order_set_shipping_tax_rate (KassaOrder  *self,
                                   gint64       shipping_tax_rate,
                                   GError     **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->shipping_tax_rate == shipping_tax_rate)
    return TRUE;

  if (!kassa_order_check_editable (self, "shipping-tax-rate", error))
    return FALSE;

  self->shipping_tax_rate = shipping_tax_rate;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SHIPPING_TAX_RATE]);

  return TRUE;
}

const char *
kassa_order_get_shipping_address (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), NULL);

  return self->shipping_address;
}

gboolean
kassa_order_set_shipping_address (KassaOrder  *self,
                                  const char  *shipping_address,
                                  GError     **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (self->shipping_address, shipping_address) == 0)
    return TRUE;

  if (!kassa_order_check_editable (self, "shipping-address", error))
    return FALSE;

  g_free (self->shipping_address);
  self->shipping_address = g_strdup (shipping_address);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SHIPPING_ADDRESS]);

  return TRUE;
}

const char *
kassa_order_get_billing_address (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), NULL);

  return self->billing_address;
}

gboolean
kassa_order_set_billing_address (KassaOrder  *self,
                                 const char  *billing_address,
                                 GError     **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (self->billing_address, billing_address) == 0)
    return TRUE;

  if (!kassa_order_check_editable (self, "billing-address", error))
    return FALSE;

  g_free (self->billing_address);
  self->billing_address = g_strdup (billing_address);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BILLING_ADDRESS]);

  return TRUE;
}

const char *
kassa_order_get_tracking_url (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), NULL);

  return self->tracking_url;
}

void
kassa_order_set_tracking_url (KassaOrder *self,
                              const char *tracking_url)
{
  g_return_if_fail (KASSA_IS_ORDER (self));

  if (g_strcmp0 (self->tracking_url, tracking_url) == 0)
    return;

  g_free (self->tracking_url);
  self->tracking_url = g_strdup (tracking_url);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TRACKING_URL]);
}

const char *
kassa_order_get_stripe_checkout_session_id (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), NULL);

  return self->stripe_checkout_session_id;
}

gboolean
kassa_order_set_stripe_checkout_session_id (KassaOrder  *self,
                                            const char  *stripe_checkout_session_id,
                                            GError     **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (self->stripe_checkout_session_id, stripe_checkout_session_id) == 0)
    return TRUE;

  if (!kassa_order_check_editable (self, "stripe-checkout-session-id", error))
    return FALSE;

  g_free (self->stripe_checkout_session_id);
  self->stripe_checkout_session_id = g_strdup (stripe_checkout_session_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STRIPE_CHECKOUT_SESSION_ID]);

  return TRUE;
}

const char *
kassa_order_get_stripe_payment_intent_id (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), NULL);

  return self->stripe_payment_intent_id;
}

void
kassa_order_set_stripe_payment_intent_id (KassaOrder *self,
                                          const char *stripe_payment_intent_id)
{
  g_return_if_fail (KASSA_IS_ORDER (self));

  if (g_strcmp0 (self->stripe_payment_intent_id, stripe_payment_intent_id) == 0)
    return;

  g_free (self->stripe_payment_intent_id);
  self->stripe_payment_intent_id = g_strdup (stripe_payment_intent_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STRIPE_PAYMENT_INTENT_ID]);
}

GDateTime *
kassa_order_get_created_at (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), NULL);

  return self->created_at;
}

gboolean
kassa_order_set_created_at (KassaOrder  *self,
                            GDateTime   *created_at,
                            GError     **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->created_at == created_at ||
      (self->created_at != NULL && created_at != NULL && g_date_time_equal (self->created_at, created_at)))
    return TRUE;

  if (!kassa_order_check_editable (self, "created-at", error))
    return FALSE;

  g_clear_pointer (&self->created_at, g_date_time_unref);
  if (created_at != NULL)
    self->created_at = g_date_time_ref (created_at);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CREATED_AT]);

  return TRUE;
}

GDateTime *
kassa_order_get_paid_at (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), NULL);

  return self->paid_at;
}

void
kassa_order_set_paid_at (KassaOrder *self,
                         GDateTime  *paid_at)
{
  g_return_if_fail (KASSA_IS_ORDER (self));

  if (self->paid_at == paid_at ||
      (self->paid_at != NULL && paid_at != NULL && g_date_time_equal (self->paid_at, paid_at)))
    return;

  g_clear_pointer (&self->paid_at, g_date_time_unref);
  if (paid_at != NULL)
    self->paid_at = g_date_time_ref (paid_at);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PAID_AT]);
}

gboolean
kassa_order_is_locked (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);

  return self->mode == KASSA_ORDER_MODE_STRIPE && self->certified;
}

GListModel *
kassa_order_get_lines (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), NULL);

  return G_LIST_MODEL (self->lines);
}

gboolean
kassa_order_add_line (KassaOrder      *self,
                      KassaOrderLine  *line,
                      GError         **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (KASSA_IS_ORDER_LINE (line), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_order_check_editable (self, "lines", error))
    return FALSE;

  g_list_store_append (self->lines, line);

  return TRUE;
}

gboolean
kassa_order_remove_line (KassaOrder  *self,
                         guint        position,
                         GError     **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_order_check_editable (self, "lines", error))
    return FALSE;

  if (position >= g_list_model_get_n_items (G_LIST_MODEL (self->lines)))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                   _("The order has no line %u"), position + 1);
      return FALSE;
    }

  g_list_store_remove (self->lines, position);

  return TRUE;
}

GListModel *
kassa_order_get_payments (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), NULL);

  return G_LIST_MODEL (self->payments);
}

gboolean
kassa_order_add_payment (KassaOrder    *self,
                         KassaPayment  *payment,
                         GError       **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (KASSA_IS_PAYMENT (payment), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (kassa_payment_get_currency_code (payment), self->currency_code) != 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_CURRENCY_MISMATCH,
                   _("A payment in %s cannot pay an order in %s"),
                   kassa_payment_get_currency_code (payment) ? kassa_payment_get_currency_code (payment) : "?",
                   self->currency_code ? self->currency_code : "?");
      return FALSE;
    }

  if (kassa_payment_get_amount (payment) <= 0)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("A payment must be more than zero"));
      return FALSE;
    }

  if (kassa_payment_get_refunded_amount (payment) != 0)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("Refunds are recorded on the order, not brought in with a payment"));
      return FALSE;
    }

  if (self->payment_status == KASSA_PAYMENT_STATUS_EXPIRED ||
      self->payment_status == KASSA_PAYMENT_STATUS_REFUNDED)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION,
                   _("An order that is “%s” takes no more payments"),
                   kassa_payment_status_get_display_name (self->payment_status));
      return FALSE;
    }

  g_list_store_append (self->payments, payment);

  return TRUE;
}

static gint64
sum_payments (KassaOrder *self,
              gboolean    refunded)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->payments));
  gint64 sum = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KassaPayment) payment = g_list_model_get_item (G_LIST_MODEL (self->payments), i);

      sum += refunded ? kassa_payment_get_refunded_amount (payment)
                      : kassa_payment_get_amount (payment);
    }

  return sum;
}

gint64
kassa_order_get_amount_paid (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), 0);

  return sum_payments (self, FALSE);
}

gint64
kassa_order_get_amount_refunded (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), 0);

  return sum_payments (self, TRUE);
}

gboolean
kassa_order_record_refund (KassaOrder  *self,
                           guint        payment_position,
                           gint64       amount,
                           GError     **error)
{
  g_autoptr(KassaPayment) payment = NULL;
  KassaPaymentStatus next;
  gint64 refundable;

  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  payment = g_list_model_get_item (G_LIST_MODEL (self->payments), payment_position);
  if (payment == NULL)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                   _("The order has no payment %u"), payment_position + 1);
      return FALSE;
    }

  refundable = kassa_payment_get_amount (payment) - kassa_payment_get_refunded_amount (payment);
  if (amount <= 0 || amount > refundable)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("A refund must be more than zero and at most what is left of the payment"));
      return FALSE;
    }

  next = kassa_order_get_amount_refunded (self) + amount == kassa_order_get_amount_paid (self)
           ? KASSA_PAYMENT_STATUS_REFUNDED
           : KASSA_PAYMENT_STATUS_PARTIALLY_REFUNDED;

  /* Check before touching the payment so a refused refund leaves no trace. */
  if (!kassa_payment_status_check_transition (self->payment_status, next, error))
    return FALSE;

  kassa_payment_set_refunded_amount (payment, kassa_payment_get_refunded_amount (payment) + amount);

  return kassa_order_set_payment_status (self, next, error);
}

gboolean
kassa_order_get_prices_include_tax (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);

  return self->prices_include_tax;
}

gboolean
kassa_order_set_prices_include_tax (KassaOrder  *self,
                                    gboolean     prices_include_tax,
                                    GError     **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  prices_include_tax = !!prices_include_tax;

  if (self->prices_include_tax == prices_include_tax)
    return TRUE;

  if (!kassa_order_check_editable (self, "prices-include-tax", error))
    return FALSE;

  self->prices_include_tax = prices_include_tax;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PRICES_INCLUDE_TAX]);

  return TRUE;
}

KassaTaxScope
kassa_order_get_tax_scope (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), KASSA_TAX_SCOPE_DOCUMENT);

  return self->tax_scope;
}

gboolean
kassa_order_set_tax_scope (KassaOrder     *self,
                           KassaTaxScope   tax_scope,
                           GError        **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->tax_scope == tax_scope)
    return TRUE;

  if (!kassa_order_check_editable (self, "tax-scope", error))
    return FALSE;

  self->tax_scope = tax_scope;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TAX_SCOPE]);

  return TRUE;
}

KassaRoundingMode
kassa_order_get_rounding (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), KASSA_ROUNDING_HALF_UP);

  return self->rounding;
}

gboolean
kassa_order_set_rounding (KassaOrder         *self,
                          KassaRoundingMode   rounding,
                          GError            **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->rounding == rounding)
    return TRUE;

  if (!kassa_order_check_editable (self, "rounding", error))
    return FALSE;

  self->rounding = rounding;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ROUNDING]);

  return TRUE;
}

KassaDiscountKind
kassa_order_get_discount_kind (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), KASSA_DISCOUNT_NONE);

  return self->discount_kind;
}

gboolean
kassa_order_set_discount_kind (KassaOrder         *self,
                               KassaDiscountKind   discount_kind,
                               GError            **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->discount_kind == discount_kind)
    return TRUE;

  if (!kassa_order_check_editable (self, "discount-kind", error))
    return FALSE;

  self->discount_kind = discount_kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DISCOUNT_KIND]);

  return TRUE;
}

gint64
kassa_order_get_discount_value (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), 0);

  return self->discount_value;
}

gboolean
kassa_order_set_discount_value (KassaOrder  *self,
                                gint64       discount_value,
                                GError     **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->discount_value == discount_value)
    return TRUE;

  if (!kassa_order_check_editable (self, "discount-value", error))
    return FALSE;

  self->discount_value = discount_value;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DISCOUNT_VALUE]);

  return TRUE;
}

const char *
kassa_order_get_shipping_status (KassaOrder *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER (self), NULL);

  return self->shipping_status;
}

void
kassa_order_set_shipping_status (KassaOrder *self,
                                 const char *shipping_status)
{
  g_return_if_fail (KASSA_IS_ORDER (self));

  if (g_strcmp0 (self->shipping_status, shipping_status) == 0)
    return;

  g_free (self->shipping_status);
  self->shipping_status = g_strdup (shipping_status);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SHIPPING_STATUS]);
}
