/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-cart-line"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kassa-core-enum-types.h"
#include "kassa-error.h"
#include "kassa-cart-line.h"

struct _KassaCartLine
{
  GObject parent_instance;

  KassaCatalogItem  *item;
  gint64             quantity;
  gboolean           has_price_override;
  gint64             price_override;
  KassaDiscountKind  discount_kind;
  gint64             discount_value;
};

G_DEFINE_FINAL_TYPE (KassaCartLine, kassa_cart_line, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ITEM,
  PROP_QUANTITY,
  PROP_HAS_PRICE_OVERRIDE,
  PROP_PRICE_OVERRIDE,
  PROP_DISCOUNT_KIND,
  PROP_DISCOUNT_VALUE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
kassa_cart_line_dispose (GObject *object)
{
  KassaCartLine *self = KASSA_CART_LINE (object);

  g_clear_object (&self->item);

  G_OBJECT_CLASS (kassa_cart_line_parent_class)->dispose (object);
}

static void
kassa_cart_line_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KassaCartLine *self = KASSA_CART_LINE (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;

    case PROP_QUANTITY:
      g_value_set_int64 (value, self->quantity);
      break;

    case PROP_HAS_PRICE_OVERRIDE:
      g_value_set_boolean (value, self->has_price_override);
      break;

    case PROP_PRICE_OVERRIDE:
      g_value_set_int64 (value, self->price_override);
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
kassa_cart_line_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KassaCartLine *self = KASSA_CART_LINE (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      kassa_cart_line_set_item (self, g_value_get_object (value));
      break;

    case PROP_QUANTITY:
      kassa_cart_line_set_quantity (self, g_value_get_int64 (value));
      break;

    case PROP_HAS_PRICE_OVERRIDE:
      kassa_cart_line_set_has_price_override (self, g_value_get_boolean (value));
      break;

    case PROP_PRICE_OVERRIDE:
      kassa_cart_line_set_price_override (self, g_value_get_int64 (value));
      break;

    case PROP_DISCOUNT_KIND:
      kassa_cart_line_set_discount_kind (self, g_value_get_enum (value));
      break;

    case PROP_DISCOUNT_VALUE:
      kassa_cart_line_set_discount_value (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_cart_line_class_init (KassaCartLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kassa_cart_line_dispose;
  object_class->get_property = kassa_cart_line_get_property;
  object_class->set_property = kassa_cart_line_set_property;

  properties [PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL,
                         KASSA_TYPE_CATALOG_ITEM,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_QUANTITY] =
    g_param_spec_int64 ("quantity", NULL, NULL,
                        G_MININT64, G_MAXINT64, 1000,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_HAS_PRICE_OVERRIDE] =
    g_param_spec_boolean ("has-price-override", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  properties [PROP_PRICE_OVERRIDE] =
    g_param_spec_int64 ("price-override", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
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
kassa_cart_line_init (KassaCartLine *self)
{
  self->quantity = 1000;
}

KassaCartLine *
kassa_cart_line_new (void)
{
  return g_object_new (KASSA_TYPE_CART_LINE, NULL);
}

KassaCatalogItem *
kassa_cart_line_get_item (KassaCartLine *self)
{
  g_return_val_if_fail (KASSA_IS_CART_LINE (self), NULL);

  return self->item;
}

void
kassa_cart_line_set_item (KassaCartLine    *self,
                          KassaCatalogItem *item)
{
  g_return_if_fail (KASSA_IS_CART_LINE (self));

  if (self->item == item)
    return;

  g_set_object (&self->item, item);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ITEM]);
}

gint64
kassa_cart_line_get_quantity (KassaCartLine *self)
{
  g_return_val_if_fail (KASSA_IS_CART_LINE (self), 1000);

  return self->quantity;
}

void
kassa_cart_line_set_quantity (KassaCartLine *self,
                              gint64         quantity)
{
  g_return_if_fail (KASSA_IS_CART_LINE (self));

  if (self->quantity == quantity)
    return;

  self->quantity = quantity;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_QUANTITY]);
}

gboolean
kassa_cart_line_get_has_price_override (KassaCartLine *self)
{
  g_return_val_if_fail (KASSA_IS_CART_LINE (self), FALSE);

  return self->has_price_override;
}

void
kassa_cart_line_set_has_price_override (KassaCartLine *self,
                                        gboolean       has_price_override)
{
  g_return_if_fail (KASSA_IS_CART_LINE (self));

  has_price_override = !!has_price_override;

  if (self->has_price_override == has_price_override)
    return;

  self->has_price_override = has_price_override;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_HAS_PRICE_OVERRIDE]);
}

gint64
kassa_cart_line_get_price_override (KassaCartLine *self)
{
  g_return_val_if_fail (KASSA_IS_CART_LINE (self), 0);

  return self->price_override;
}

void
kassa_cart_line_set_price_override (KassaCartLine *self,
                                    gint64         price_override)
{
  g_return_if_fail (KASSA_IS_CART_LINE (self));

  if (self->price_override == price_override)
    return;

  self->price_override = price_override;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PRICE_OVERRIDE]);
}

KassaDiscountKind
kassa_cart_line_get_discount_kind (KassaCartLine *self)
{
  g_return_val_if_fail (KASSA_IS_CART_LINE (self), KASSA_DISCOUNT_NONE);

  return self->discount_kind;
}

void
kassa_cart_line_set_discount_kind (KassaCartLine     *self,
                                   KassaDiscountKind  discount_kind)
{
  g_return_if_fail (KASSA_IS_CART_LINE (self));

  if (self->discount_kind == discount_kind)
    return;

  self->discount_kind = discount_kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DISCOUNT_KIND]);
}

gint64
kassa_cart_line_get_discount_value (KassaCartLine *self)
{
  g_return_val_if_fail (KASSA_IS_CART_LINE (self), 0);

  return self->discount_value;
}

void
kassa_cart_line_set_discount_value (KassaCartLine *self,
                                    gint64         discount_value)
{
  g_return_if_fail (KASSA_IS_CART_LINE (self));

  if (self->discount_value == discount_value)
    return;

  self->discount_value = discount_value;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DISCOUNT_VALUE]);
}

KassaCartLine *
kassa_cart_line_new_for_item (KassaCatalogItem *item,
                              gint64            quantity)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (item), NULL);

  return g_object_new (KASSA_TYPE_CART_LINE,
                       "item", item,
                       "quantity", quantity,
                       NULL);
}

gint64
kassa_cart_line_get_unit_price (KassaCartLine *self)
{
  g_return_val_if_fail (KASSA_IS_CART_LINE (self), 0);

  if (self->has_price_override)
    return self->price_override;

  return self->item != NULL ? kassa_catalog_item_get_price (self->item) : 0;
}
