/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-cart"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "kassa-core-enum-types.h"
#include "kassa-error.h"
#include "kassa-cart.h"
#include "kassa-money.h"

struct _KassaCart
{
  GObject parent_instance;

  char                *currency_code;
  KassaCustomer       *customer;
  KassaDeliveryMethod  delivery_method;
  char                *delivery_address;
  KassaDiscountKind    discount_kind;
  gint64               discount_value;
  gboolean             parked;

  GPtrArray           *lines;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KassaCart, kassa_cart, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_CURRENCY_CODE,
  PROP_CUSTOMER,
  PROP_DELIVERY_METHOD,
  PROP_DELIVERY_ADDRESS,
  PROP_DISCOUNT_KIND,
  PROP_DISCOUNT_VALUE,
  PROP_PARKED,
  PROP_N_ITEMS,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static gboolean
kassa_cart_check_editable (KassaCart   *self,
                           const char  *property,
                           GError     **error)
{
  if (!self->parked)
    return TRUE;

  g_set_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED,
               /* Translators: %s is a property name such as customer */
               _("The cart is parked; resume it before changing its %s"),
               property);
  return FALSE;
}

static gboolean
invalid (GError     **error,
         const char  *message)
{
  g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID, message);
  return FALSE;
}

static KassaCartLine *
get_line (KassaCart  *self,
          guint       position,
          GError    **error)
{
  if (position >= self->lines->len)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                   _("The cart has no line %u"), position + 1);
      return NULL;
    }

  return g_ptr_array_index (self->lines, position);
}

static gboolean
check_discount (KassaDiscountKind   kind,
                gint64              value,
                GError            **error)
{
  switch (kind)
    {
    case KASSA_DISCOUNT_NONE:
      if (value != 0)
        return invalid (error, _("No discount cannot have a value"));
      return TRUE;

    case KASSA_DISCOUNT_PERCENT:
      if (value <= 0 || value > KASSA_RATE_WHOLE)
        return invalid (error, _("A percent discount must lie above 0 and up to 100 %"));
      return TRUE;

    case KASSA_DISCOUNT_AMOUNT:
      /* Whether it exceeds what it discounts is for the totals to say. */
      if (value <= 0)
        return invalid (error, _("A discount amount must be more than zero"));
      return TRUE;

    default:
      return invalid (error, _("Unknown discount kind"));
    }
}

static void
emit_changed (KassaCart *self)
{
  g_signal_emit (self, signals [CHANGED], 0);
}

static void
line_notify_cb (KassaCart  *self,
                GParamSpec *pspec,
                GObject    *line)
{
  emit_changed (self);
}

static void
take_line (KassaCart     *self,
           guint          position,
           KassaCartLine *line)
{
  g_signal_connect_object (line, "notify",
                           G_CALLBACK (line_notify_cb),
                           self,
                           G_CONNECT_SWAPPED);
  g_ptr_array_insert (self->lines, position, line);
}

static void
items_changed (KassaCart *self,
               guint      position,
               guint      removed,
               guint      added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_ITEMS]);
  emit_changed (self);
}

static void
drop_line (gpointer data)
{
  KassaCartLine *line = data;

  /* The line may outlive the cart (undo), so it must not keep calling us. */
  g_signal_handlers_disconnect_matched (line, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                        G_CALLBACK (line_notify_cb), NULL);
  g_object_unref (line);
}

static GType
kassa_cart_get_item_type (GListModel *model)
{
  return KASSA_TYPE_CART_LINE;
}

static guint
kassa_cart_get_n_items (GListModel *model)
{
  return KASSA_CART (model)->lines->len;
}

static gpointer
kassa_cart_get_item (GListModel *model,
                     guint       position)
{
  KassaCart *self = KASSA_CART (model);

  if (position >= self->lines->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->lines, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = kassa_cart_get_item_type;
  iface->get_n_items = kassa_cart_get_n_items;
  iface->get_item = kassa_cart_get_item;
}

static void
kassa_cart_dispose (GObject *object)
{
  KassaCart *self = KASSA_CART (object);

  g_clear_object (&self->customer);
  g_clear_pointer (&self->lines, g_ptr_array_unref);

  G_OBJECT_CLASS (kassa_cart_parent_class)->dispose (object);
}

static void
kassa_cart_finalize (GObject *object)
{
  KassaCart *self = KASSA_CART (object);

  g_clear_pointer (&self->currency_code, g_free);
  g_clear_pointer (&self->delivery_address, g_free);

  G_OBJECT_CLASS (kassa_cart_parent_class)->finalize (object);
}

static void
kassa_cart_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KassaCart *self = KASSA_CART (object);

  switch (prop_id)
    {
    case PROP_CURRENCY_CODE:
      g_value_set_string (value, self->currency_code);
      break;

    case PROP_CUSTOMER:
      g_value_set_object (value, self->customer);
      break;

    case PROP_DELIVERY_METHOD:
      g_value_set_enum (value, self->delivery_method);
      break;

    case PROP_DELIVERY_ADDRESS:
      g_value_set_string (value, self->delivery_address);
      break;

    case PROP_DISCOUNT_KIND:
      g_value_set_enum (value, self->discount_kind);
      break;

    case PROP_DISCOUNT_VALUE:
      g_value_set_int64 (value, self->discount_value);
      break;

    case PROP_PARKED:
      g_value_set_boolean (value, self->parked);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->lines->len);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_cart_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  KassaCart *self = KASSA_CART (object);
  g_autoptr(GError) error = NULL;

  switch (prop_id)
    {
    case PROP_CURRENCY_CODE:
      if (!kassa_cart_set_currency_code (self, g_value_get_string (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_CUSTOMER:
      if (!kassa_cart_set_customer (self, g_value_get_object (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_DELIVERY_METHOD:
      if (!kassa_cart_set_delivery_method (self, g_value_get_enum (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_DELIVERY_ADDRESS:
      if (!kassa_cart_set_delivery_address (self, g_value_get_string (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_DISCOUNT_KIND:
      if (!kassa_cart_set_discount_kind (self, g_value_get_enum (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_DISCOUNT_VALUE:
      if (!kassa_cart_set_discount_value (self, g_value_get_int64 (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_PARKED:
      if (!kassa_cart_set_parked (self, g_value_get_boolean (value), &error))
        g_warning ("%s", error->message);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_cart_class_init (KassaCartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kassa_cart_dispose;
  object_class->finalize = kassa_cart_finalize;
  object_class->get_property = kassa_cart_get_property;
  object_class->set_property = kassa_cart_set_property;

  properties [PROP_CURRENCY_CODE] =
    g_param_spec_string ("currency-code", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_CUSTOMER] =
    g_param_spec_object ("customer", NULL, NULL,
                         KASSA_TYPE_CUSTOMER,
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

  properties [PROP_DELIVERY_ADDRESS] =
    g_param_spec_string ("delivery-address", NULL, NULL,
                         NULL,
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

  properties [PROP_PARKED] =
    g_param_spec_boolean ("parked", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  /* Read-only: it mirrors the list, which changes through the cart. */
  properties [PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KassaCart::changed:
   *
   * Anything that affects the totals changed: a line was added, removed
   * or edited, or a discount changed. Structure changes also emit
   * GListModel::items-changed; edits of a line only notify on the line.
   */
  signals [CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
kassa_cart_init (KassaCart *self)
{
  self->lines = g_ptr_array_new_with_free_func (drop_line);
}

KassaCart *
kassa_cart_new (void)
{
  return g_object_new (KASSA_TYPE_CART, NULL);
}

const char *
kassa_cart_get_currency_code (KassaCart *self)
{
  g_return_val_if_fail (KASSA_IS_CART (self), NULL);

  return self->currency_code;
}

gboolean
kassa_cart_set_currency_code (KassaCart   *self,
                              const char  *currency_code,
                              GError     **error)
{
  g_return_val_if_fail (KASSA_IS_CART (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (self->currency_code, currency_code) == 0)
    return TRUE;

  if (!kassa_cart_check_editable (self, "currency-code", error))
    return FALSE;

  /* The lines' prices are in the old currency. */
  if (self->lines->len > 0)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_CURRENCY_MISMATCH,
                           _("Empty the cart before changing its currency"));
      return FALSE;
    }

  g_free (self->currency_code);
  self->currency_code = g_strdup (currency_code);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CURRENCY_CODE]);

  return TRUE;
}

KassaCustomer *
kassa_cart_get_customer (KassaCart *self)
{
  g_return_val_if_fail (KASSA_IS_CART (self), NULL);

  return self->customer;
}

gboolean
kassa_cart_set_customer (KassaCart      *self,
                         KassaCustomer  *customer,
                         GError        **error)
{
  g_return_val_if_fail (KASSA_IS_CART (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->customer == customer)
    return TRUE;

  if (!kassa_cart_check_editable (self, "customer", error))
    return FALSE;

  g_set_object (&self->customer, customer);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CUSTOMER]);

  return TRUE;
}

KassaDeliveryMethod
kassa_cart_get_delivery_method (KassaCart *self)
{
  g_return_val_if_fail (KASSA_IS_CART (self), KASSA_DELIVERY_METHOD_NONE);

  return self->delivery_method;
}

gboolean
kassa_cart_set_delivery_method (KassaCart            *self,
                                KassaDeliveryMethod   delivery_method,
                                GError              **error)
{
  g_return_val_if_fail (KASSA_IS_CART (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->delivery_method == delivery_method)
    return TRUE;

  if (!kassa_cart_check_editable (self, "delivery-method", error))
    return FALSE;

  self->delivery_method = delivery_method;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DELIVERY_METHOD]);

  return TRUE;
}

const char *
kassa_cart_get_delivery_address (KassaCart *self)
{
  g_return_val_if_fail (KASSA_IS_CART (self), NULL);

  return self->delivery_address;
}

gboolean
kassa_cart_set_delivery_address (KassaCart   *self,
                                 const char  *delivery_address,
                                 GError     **error)
{
  g_return_val_if_fail (KASSA_IS_CART (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (self->delivery_address, delivery_address) == 0)
    return TRUE;

  if (!kassa_cart_check_editable (self, "delivery-address", error))
    return FALSE;

  g_free (self->delivery_address);
  self->delivery_address = g_strdup (delivery_address);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DELIVERY_ADDRESS]);

  return TRUE;
}

KassaDiscountKind
kassa_cart_get_discount_kind (KassaCart *self)
{
  g_return_val_if_fail (KASSA_IS_CART (self), KASSA_DISCOUNT_NONE);

  return self->discount_kind;
}

gboolean
kassa_cart_set_discount_kind (KassaCart          *self,
                              KassaDiscountKind   discount_kind,
                              GError            **error)
{
  g_return_val_if_fail (KASSA_IS_CART (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->discount_kind == discount_kind)
    return TRUE;

  if (!kassa_cart_check_editable (self, "discount-kind", error))
    return FALSE;

  self->discount_kind = discount_kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DISCOUNT_KIND]);
  emit_changed (self);

  return TRUE;
}

gint64
kassa_cart_get_discount_value (KassaCart *self)
{
  g_return_val_if_fail (KASSA_IS_CART (self), 0);

  return self->discount_value;
}

gboolean
kassa_cart_set_discount_value (KassaCart  *self,
                               gint64      discount_value,
                               GError    **error)
{
  g_return_val_if_fail (KASSA_IS_CART (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->discount_value == discount_value)
    return TRUE;

  if (!kassa_cart_check_editable (self, "discount-value", error))
    return FALSE;

  self->discount_value = discount_value;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DISCOUNT_VALUE]);
  emit_changed (self);

  return TRUE;
}

gboolean
kassa_cart_get_parked (KassaCart *self)
{
  g_return_val_if_fail (KASSA_IS_CART (self), FALSE);

  return self->parked;
}

gboolean
kassa_cart_set_parked (KassaCart  *self,
                       gboolean    parked,
                       GError    **error)
{
  g_return_val_if_fail (KASSA_IS_CART (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  parked = !!parked;

  if (self->parked == parked)
    return TRUE;

  if (parked && self->lines->len == 0)
    return invalid (error, _("An empty cart cannot be parked"));

  self->parked = parked;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PARKED]);

  return TRUE;
}

gboolean
kassa_cart_park (KassaCart  *self,
                 GError    **error)
{
  g_return_val_if_fail (KASSA_IS_CART (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->parked)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION,
                           _("The cart is already parked"));
      return FALSE;
    }

  return kassa_cart_set_parked (self, TRUE, error);
}

gboolean
kassa_cart_resume (KassaCart  *self,
                   GError    **error)
{
  g_return_val_if_fail (KASSA_IS_CART (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!self->parked)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION,
                           _("Only a parked cart can be resumed"));
      return FALSE;
    }

  return kassa_cart_set_parked (self, FALSE, error);
}

static gboolean
check_item (KassaCart         *self,
            KassaCatalogItem  *item,
            GError           **error)
{
  if (!kassa_catalog_item_is_sellable (item))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("“%s” is not on sale"),
                   kassa_catalog_item_get_name (item) ? kassa_catalog_item_get_name (item) : "");
      return FALSE;
    }

  if (g_strcmp0 (kassa_catalog_item_get_currency_code (item), self->currency_code) != 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_CURRENCY_MISMATCH,
                   _("“%s” is priced in %s but the cart is in %s"),
                   kassa_catalog_item_get_name (item),
                   kassa_catalog_item_get_currency_code (item),
                   self->currency_code ? self->currency_code : "?");
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_quantity (gint64   quantity,
                GError **error)
{
  if (quantity <= 0)
    return invalid (error, _("A quantity must be more than zero; remove the line instead"));

  return TRUE;
}

gboolean
kassa_cart_add_item (KassaCart         *self,
                     KassaCatalogItem  *item,
                     gint64             quantity,
                     guint             *position,
                     GError           **error)
{
  KassaCartLine *line;
  guint pos;

  g_return_val_if_fail (KASSA_IS_CART (self), FALSE);
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (item), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_cart_check_editable (self, "lines", error) ||
      !check_quantity (quantity, error) ||
      !check_item (self, item, error))
    return FALSE;

  /* Scanning the same thing twice means two of it, not two lines; a line
   * with its own price or discount is kept apart so those stay visible. */
  for (pos = 0; pos < self->lines->len; pos++)
    {
      gint64 sum;

      line = g_ptr_array_index (self->lines, pos);

      if (kassa_cart_line_get_item (line) != item ||
          kassa_cart_line_get_has_price_override (line) ||
          kassa_cart_line_get_discount_kind (line) != KASSA_DISCOUNT_NONE)
        continue;

      /* Both are positive, so only the upper bound can break. */
      if (quantity > G_MAXINT64 - kassa_cart_line_get_quantity (line))
        {
          g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_OVERFLOW,
                               _("The quantity is too large"));
          return FALSE;
        }

      sum = kassa_cart_line_get_quantity (line) + quantity;
      kassa_cart_line_set_quantity (line, sum);
      if (position != NULL)
        *position = pos;
      return TRUE;
    }

  pos = self->lines->len;
  take_line (self, pos, kassa_cart_line_new_for_item (item, quantity));
  items_changed (self, pos, 0, 1);

  if (position != NULL)
    *position = pos;

  return TRUE;
}

gboolean
kassa_cart_set_quantity (KassaCart  *self,
                         guint       position,
                         gint64      quantity,
                         GError    **error)
{
  KassaCartLine *line;

  g_return_val_if_fail (KASSA_IS_CART (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_cart_check_editable (self, "lines", error) ||
      !(line = get_line (self, position, error)) ||
      !check_quantity (quantity, error))
    return FALSE;

  kassa_cart_line_set_quantity (line, quantity);

  return TRUE;
}

KassaCartLine *
kassa_cart_remove_line (KassaCart  *self,
                        guint       position,
                        GError    **error)
{
  KassaCartLine *line;

  g_return_val_if_fail (KASSA_IS_CART (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!kassa_cart_check_editable (self, "lines", error) ||
      !(line = get_line (self, position, error)))
    return NULL;

  g_object_ref (line);
  g_ptr_array_remove_index (self->lines, position);
  items_changed (self, position, 1, 0);

  return line;
}

gboolean
kassa_cart_insert_line (KassaCart      *self,
                        guint           position,
                        KassaCartLine  *line,
                        GError        **error)
{
  KassaCatalogItem *item;

  g_return_val_if_fail (KASSA_IS_CART (self), FALSE);
  g_return_val_if_fail (KASSA_IS_CART_LINE (line), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_cart_check_editable (self, "lines", error))
    return FALSE;

  for (guint i = 0; i < self->lines->len; i++)
    g_return_val_if_fail (g_ptr_array_index (self->lines, i) != line, FALSE);

  if (position > self->lines->len)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                   _("The cart has no position %u"), position + 1);
      return FALSE;
    }

  item = kassa_cart_line_get_item (line);
  if (item == NULL)
    return invalid (error, _("A cart line needs an item"));

  if (!check_quantity (kassa_cart_line_get_quantity (line), error) ||
      !check_item (self, item, error))
    return FALSE;

  take_line (self, position, g_object_ref (line));
  items_changed (self, position, 0, 1);

  return TRUE;
}

gboolean
kassa_cart_set_line_discount (KassaCart          *self,
                              guint               position,
                              KassaDiscountKind   kind,
                              gint64              value,
                              GError            **error)
{
  KassaCartLine *line;

  g_return_val_if_fail (KASSA_IS_CART (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_cart_check_editable (self, "lines", error) ||
      !(line = get_line (self, position, error)) ||
      !check_discount (kind, value, error))
    return FALSE;

  g_object_freeze_notify (G_OBJECT (line));
  kassa_cart_line_set_discount_kind (line, kind);
  kassa_cart_line_set_discount_value (line, value);
  g_object_thaw_notify (G_OBJECT (line));

  return TRUE;
}

gboolean
kassa_cart_set_price_override (KassaCart  *self,
                               guint       position,
                               gint64      price,
                               GError    **error)
{
  KassaCartLine *line;

  g_return_val_if_fail (KASSA_IS_CART (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_cart_check_editable (self, "lines", error) ||
      !(line = get_line (self, position, error)))
    return FALSE;

  if (price < 0)
    return invalid (error, _("A price cannot be negative"));

  g_object_freeze_notify (G_OBJECT (line));
  kassa_cart_line_set_price_override (line, price);
  kassa_cart_line_set_has_price_override (line, TRUE);
  g_object_thaw_notify (G_OBJECT (line));

  return TRUE;
}

gboolean
kassa_cart_clear_price_override (KassaCart  *self,
                                 guint       position,
                                 GError    **error)
{
  KassaCartLine *line;

  g_return_val_if_fail (KASSA_IS_CART (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_cart_check_editable (self, "lines", error) ||
      !(line = get_line (self, position, error)))
    return FALSE;

  g_object_freeze_notify (G_OBJECT (line));
  kassa_cart_line_set_has_price_override (line, FALSE);
  kassa_cart_line_set_price_override (line, 0);
  g_object_thaw_notify (G_OBJECT (line));

  return TRUE;
}

gboolean
kassa_cart_set_document_discount (KassaCart          *self,
                                  KassaDiscountKind   kind,
                                  gint64              value,
                                  GError            **error)
{
  g_return_val_if_fail (KASSA_IS_CART (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_cart_check_editable (self, "discount", error) ||
      !check_discount (kind, value, error))
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  kassa_cart_set_discount_kind (self, kind, NULL);
  kassa_cart_set_discount_value (self, value, NULL);
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

gboolean
kassa_cart_clear (KassaCart  *self,
                  GError    **error)
{
  guint n;

  g_return_val_if_fail (KASSA_IS_CART (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_cart_check_editable (self, "lines", error))
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));

  kassa_cart_set_customer (self, NULL, NULL);
  kassa_cart_set_delivery_method (self, KASSA_DELIVERY_METHOD_NONE, NULL);
  kassa_cart_set_delivery_address (self, NULL, NULL);
  kassa_cart_set_discount_kind (self, KASSA_DISCOUNT_NONE, NULL);
  kassa_cart_set_discount_value (self, 0, NULL);

  n = self->lines->len;
  if (n > 0)
    {
      g_ptr_array_set_size (self->lines, 0);
      items_changed (self, 0, n, 0);
    }

  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

gboolean
kassa_cart_validate (KassaCart  *self,
                     GError    **error)
{
  const char *address;

  g_return_val_if_fail (KASSA_IS_CART (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->parked)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_LOCKED,
                           _("The cart is parked; resume it before checking out"));
      return FALSE;
    }

  if (self->lines->len == 0)
    return invalid (error, _("The cart is empty"));

  address = self->delivery_address;
  if (self->delivery_method == KASSA_DELIVERY_METHOD_DELIVERY)
    {
      gboolean blank = TRUE;

      for (const char *p = address; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
        {
          if (!g_unichar_isspace (g_utf8_get_char (p)))
            {
              blank = FALSE;
              break;
            }
        }

      if (blank)
        return invalid (error, _("A delivery needs an address"));
    }

  return TRUE;
}
