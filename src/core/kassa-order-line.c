/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-order-line"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kassa-core-enum-types.h"
#include "kassa-error.h"
#include "kassa-order-line.h"

struct _KassaOrderLine
{
  GObject parent_instance;

  char                *sku;
  char                *name;
  gint64               quantity;
  gint64               unit_price;
  gint64               tax_rate;
  KassaDeliveryMethod  delivery_method;
  gboolean             locked;
  gint64               item_id;
  KassaDiscountKind    discount_kind;
  gint64               discount_value;
};

G_DEFINE_FINAL_TYPE (KassaOrderLine, kassa_order_line, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SKU,
  PROP_NAME,
  PROP_QUANTITY,
  PROP_UNIT_PRICE,
  PROP_TAX_RATE,
  PROP_DELIVERY_METHOD,
  PROP_LOCKED,
  PROP_ITEM_ID,
  PROP_DISCOUNT_KIND,
  PROP_DISCOUNT_VALUE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static gboolean
kassa_order_line_check_editable (KassaOrderLine  *self,
                                 const char      *property,
                                 GError         **error)
{
  if (!self->locked)
    return TRUE;

  g_set_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED,
               _("The line “%s” of a Stripe order cannot change its %s"),
               self->name != NULL ? self->name : "", property);
  return FALSE;
}

static void
kassa_order_line_finalize (GObject *object)
{
  KassaOrderLine *self = KASSA_ORDER_LINE (object);

  g_clear_pointer (&self->sku, g_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (kassa_order_line_parent_class)->finalize (object);
}

static void
kassa_order_line_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  KassaOrderLine *self = KASSA_ORDER_LINE (object);

  switch (prop_id)
    {
    case PROP_SKU:
      g_value_set_string (value, self->sku);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_QUANTITY:
      g_value_set_int64 (value, self->quantity);
      break;

    case PROP_UNIT_PRICE:
      g_value_set_int64 (value, self->unit_price);
      break;

    case PROP_TAX_RATE:
      g_value_set_int64 (value, self->tax_rate);
      break;

    case PROP_DELIVERY_METHOD:
      g_value_set_enum (value, self->delivery_method);
      break;

    case PROP_LOCKED:
      g_value_set_boolean (value, self->locked);
      break;

    case PROP_ITEM_ID:
      g_value_set_int64 (value, self->item_id);
      break;

    case PROP_DISCOUNT_KIND:
      g_value_set_enum (value, self->discount_kind);
      break;

    case PROP_DISCOUNT_VALUE:
      g_value_set_int64 (value, self->discount_value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_order_line_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  KassaOrderLine *self = KASSA_ORDER_LINE (object);
  g_autoptr(GError) error = NULL;

  switch (prop_id)
    {
    case PROP_SKU:
      if (!kassa_order_line_set_sku (self, g_value_get_string (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_NAME:
      if (!kassa_order_line_set_name (self, g_value_get_string (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_QUANTITY:
      if (!kassa_order_line_set_quantity (self, g_value_get_int64 (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_UNIT_PRICE:
      if (!kassa_order_line_set_unit_price (self, g_value_get_int64 (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_TAX_RATE:
      if (!kassa_order_line_set_tax_rate (self, g_value_get_int64 (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_DELIVERY_METHOD:
      if (!kassa_order_line_set_delivery_method (self, g_value_get_enum (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_LOCKED:
      kassa_order_line_set_locked (self, g_value_get_boolean (value));
      break;

    case PROP_ITEM_ID:
      if (!kassa_order_line_set_item_id (self, g_value_get_int64 (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_DISCOUNT_KIND:
      if (!kassa_order_line_set_discount_kind (self, g_value_get_enum (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_DISCOUNT_VALUE:
      if (!kassa_order_line_set_discount_value (self, g_value_get_int64 (value), &error))
        g_warning ("%s", error->message);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_order_line_class_init (KassaOrderLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kassa_order_line_finalize;
  object_class->get_property = kassa_order_line_get_property;
  object_class->set_property = kassa_order_line_set_property;

  properties [PROP_SKU] =
    g_param_spec_string ("sku", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_QUANTITY] =
    g_param_spec_int64 ("quantity", NULL, NULL,
                        G_MININT64, G_MAXINT64, 1000,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_UNIT_PRICE] =
    g_param_spec_int64 ("unit-price", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_TAX_RATE] =
    g_param_spec_int64 ("tax-rate", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_DELIVERY_METHOD] =
    g_param_spec_enum ("delivery-method", NULL, NULL,
                       KASSA_TYPE_DELIVERY_METHOD,
                       KASSA_DELIVERY_METHOD_NONE,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_LOCKED] =
    g_param_spec_boolean ("locked", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  properties [PROP_ITEM_ID] =
    g_param_spec_int64 ("item-id", NULL, NULL,
                        0, G_MAXINT64, 0,
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

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_order_line_init (KassaOrderLine *self)
{
  self->quantity = 1000;
}

KassaOrderLine *
kassa_order_line_new (void)
{
  return g_object_new (KASSA_TYPE_ORDER_LINE, NULL);
}

const char *
kassa_order_line_get_sku (KassaOrderLine *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER_LINE (self), NULL);

  return self->sku;
}

gboolean
kassa_order_line_set_sku (KassaOrderLine  *self,
                          const char      *sku,
                          GError         **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER_LINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (self->sku, sku) == 0)
    return TRUE;

  if (!kassa_order_line_check_editable (self, "sku", error))
    return FALSE;

  g_free (self->sku);
  self->sku = g_strdup (sku);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SKU]);

  return TRUE;
}

const char *
kassa_order_line_get_name (KassaOrderLine *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER_LINE (self), NULL);

  return self->name;
}

gboolean
kassa_order_line_set_name (KassaOrderLine  *self,
                           const char      *name,
                           GError         **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER_LINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (self->name, name) == 0)
    return TRUE;

  if (!kassa_order_line_check_editable (self, "name", error))
    return FALSE;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_NAME]);

  return TRUE;
}

gint64
kassa_order_line_get_quantity (KassaOrderLine *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER_LINE (self), 1000);

  return self->quantity;
}

gboolean
kassa_order_line_set_quantity (KassaOrderLine  *self,
                               gint64           quantity,
                               GError         **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER_LINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->quantity == quantity)
    return TRUE;

  if (!kassa_order_line_check_editable (self, "quantity", error))
    return FALSE;

  self->quantity = quantity;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_QUANTITY]);

  return TRUE;
}

gint64
kassa_order_line_get_unit_price (KassaOrderLine *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER_LINE (self), 0);

  return self->unit_price;
}

gboolean
kassa_order_line_set_unit_price (KassaOrderLine  *self,
                                 gint64           unit_price,
                                 GError         **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER_LINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->unit_price == unit_price)
    return TRUE;

  if (!kassa_order_line_check_editable (self, "unit-price", error))
    return FALSE;

  self->unit_price = unit_price;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_UNIT_PRICE]);

  return TRUE;
}

gint64
kassa_order_line_get_tax_rate (KassaOrderLine *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER_LINE (self), 0);

  return self->tax_rate;
}

gboolean
kassa_order_line_set_tax_rate (KassaOrderLine  *self,
                               gint64           tax_rate,
                               GError         **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER_LINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->tax_rate == tax_rate)
    return TRUE;

  if (!kassa_order_line_check_editable (self, "tax-rate", error))
    return FALSE;

  self->tax_rate = tax_rate;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TAX_RATE]);

  return TRUE;
}

KassaDeliveryMethod
kassa_order_line_get_delivery_method (KassaOrderLine *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER_LINE (self), KASSA_DELIVERY_METHOD_NONE);

  return self->delivery_method;
}

gboolean
kassa_order_line_set_delivery_method (KassaOrderLine       *self,
                                      KassaDeliveryMethod   delivery_method,
                                      GError              **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER_LINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->delivery_method == delivery_method)
    return TRUE;

  if (!kassa_order_line_check_editable (self, "delivery-method", error))
    return FALSE;

  self->delivery_method = delivery_method;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DELIVERY_METHOD]);

  return TRUE;
}

gboolean
kassa_order_line_get_locked (KassaOrderLine *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER_LINE (self), FALSE);

  return self->locked;
}

void
kassa_order_line_set_locked (KassaOrderLine *self,
                             gboolean        locked)
{
  g_return_if_fail (KASSA_IS_ORDER_LINE (self));

  locked = !!locked;

  if (self->locked == locked)
    return;

  /* Locking is one way: what was certified or issued stays so. */
  g_return_if_fail (locked);

  self->locked = locked;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LOCKED]);
}

gint64
kassa_order_line_get_item_id (KassaOrderLine *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER_LINE (self), 0);

  return self->item_id;
}

gboolean
kassa_order_line_set_item_id (KassaOrderLine  *self,
                              gint64           item_id,
                              GError         **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER_LINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->item_id == item_id)
    return TRUE;

  if (!kassa_order_line_check_editable (self, "item-id", error))
    return FALSE;

  self->item_id = item_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ITEM_ID]);

  return TRUE;
}

KassaDiscountKind
kassa_order_line_get_discount_kind (KassaOrderLine *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER_LINE (self), KASSA_DISCOUNT_NONE);

  return self->discount_kind;
}

gboolean
kassa_order_line_set_discount_kind (KassaOrderLine     *self,
                                    KassaDiscountKind   discount_kind,
                                    GError            **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER_LINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->discount_kind == discount_kind)
    return TRUE;

  if (!kassa_order_line_check_editable (self, "discount-kind", error))
    return FALSE;

  self->discount_kind = discount_kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DISCOUNT_KIND]);

  return TRUE;
}

gint64
kassa_order_line_get_discount_value (KassaOrderLine *self)
{
  g_return_val_if_fail (KASSA_IS_ORDER_LINE (self), 0);

  return self->discount_value;
}

gboolean
kassa_order_line_set_discount_value (KassaOrderLine  *self,
                                     gint64           discount_value,
                                     GError         **error)
{
  g_return_val_if_fail (KASSA_IS_ORDER_LINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->discount_value == discount_value)
    return TRUE;

  if (!kassa_order_line_check_editable (self, "discount-value", error))
    return FALSE;

  self->discount_value = discount_value;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DISCOUNT_VALUE]);

  return TRUE;
}
