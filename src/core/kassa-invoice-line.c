/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-invoice-line"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kassa-core-enum-types.h"
#include "kassa-error.h"
#include "kassa-invoice-line.h"

struct _KassaInvoiceLine
{
  GObject parent_instance;

  char     *name;
  char     *description;
  gint64    quantity;
  gint64    unit_price;
  gint64    tax_rate;
  gboolean  locked;
};

G_DEFINE_FINAL_TYPE (KassaInvoiceLine, kassa_invoice_line, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_QUANTITY,
  PROP_UNIT_PRICE,
  PROP_TAX_RATE,
  PROP_LOCKED,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static gboolean
kassa_invoice_line_check_editable (KassaInvoiceLine  *self,
                                   const char        *property,
                                   GError           **error)
{
  if (!self->locked)
    return TRUE;

  g_set_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED,
               _("The line “%s” of an issued invoice cannot change its %s; issue a credit note instead"),
               self->name != NULL ? self->name : "", property);
  return FALSE;
}

static void
kassa_invoice_line_finalize (GObject *object)
{
  KassaInvoiceLine *self = KASSA_INVOICE_LINE (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (kassa_invoice_line_parent_class)->finalize (object);
}

static void
kassa_invoice_line_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  KassaInvoiceLine *self = KASSA_INVOICE_LINE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
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

    case PROP_LOCKED:
      g_value_set_boolean (value, self->locked);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_invoice_line_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  KassaInvoiceLine *self = KASSA_INVOICE_LINE (object);
  g_autoptr(GError) error = NULL;

  switch (prop_id)
    {
    case PROP_NAME:
      if (!kassa_invoice_line_set_name (self, g_value_get_string (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_DESCRIPTION:
      if (!kassa_invoice_line_set_description (self, g_value_get_string (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_QUANTITY:
      if (!kassa_invoice_line_set_quantity (self, g_value_get_int64 (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_UNIT_PRICE:
      if (!kassa_invoice_line_set_unit_price (self, g_value_get_int64 (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_TAX_RATE:
      if (!kassa_invoice_line_set_tax_rate (self, g_value_get_int64 (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_LOCKED:
      kassa_invoice_line_set_locked (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_invoice_line_class_init (KassaInvoiceLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kassa_invoice_line_finalize;
  object_class->get_property = kassa_invoice_line_get_property;
  object_class->set_property = kassa_invoice_line_set_property;

  properties [PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL,
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

  properties [PROP_LOCKED] =
    g_param_spec_boolean ("locked", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_invoice_line_init (KassaInvoiceLine *self)
{
  self->quantity = 1000;
}

KassaInvoiceLine *
kassa_invoice_line_new (void)
{
  return g_object_new (KASSA_TYPE_INVOICE_LINE, NULL);
}

const char *
kassa_invoice_line_get_name (KassaInvoiceLine *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE_LINE (self), NULL);

  return self->name;
}

gboolean
kassa_invoice_line_set_name (KassaInvoiceLine  *self,
                             const char        *name,
                             GError           **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE_LINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (self->name, name) == 0)
    return TRUE;

  if (!kassa_invoice_line_check_editable (self, "name", error))
    return FALSE;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_NAME]);

  return TRUE;
}

const char *
kassa_invoice_line_get_description (KassaInvoiceLine *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE_LINE (self), NULL);

  return self->description;
}

gboolean
kassa_invoice_line_set_description (KassaInvoiceLine  *self,
                                    const char        *description,
                                    GError           **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE_LINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (self->description, description) == 0)
    return TRUE;

  if (!kassa_invoice_line_check_editable (self, "description", error))
    return FALSE;

  g_free (self->description);
  self->description = g_strdup (description);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DESCRIPTION]);

  return TRUE;
}

gint64
kassa_invoice_line_get_quantity (KassaInvoiceLine *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE_LINE (self), 1000);

  return self->quantity;
}

gboolean
kassa_invoice_line_set_quantity (KassaInvoiceLine  *self,
                                 gint64             quantity,
                                 GError           **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE_LINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->quantity == quantity)
    return TRUE;

  if (!kassa_invoice_line_check_editable (self, "quantity", error))
    return FALSE;

  self->quantity = quantity;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_QUANTITY]);

  return TRUE;
}

gint64
kassa_invoice_line_get_unit_price (KassaInvoiceLine *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE_LINE (self), 0);

  return self->unit_price;
}

gboolean
kassa_invoice_line_set_unit_price (KassaInvoiceLine  *self,
                                   gint64             unit_price,
                                   GError           **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE_LINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->unit_price == unit_price)
    return TRUE;

  if (!kassa_invoice_line_check_editable (self, "unit-price", error))
    return FALSE;

  self->unit_price = unit_price;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_UNIT_PRICE]);

  return TRUE;
}

gint64
kassa_invoice_line_get_tax_rate (KassaInvoiceLine *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE_LINE (self), 0);

  return self->tax_rate;
}

gboolean
kassa_invoice_line_set_tax_rate (KassaInvoiceLine  *self,
                                 gint64             tax_rate,
                                 GError           **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE_LINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->tax_rate == tax_rate)
    return TRUE;

  if (!kassa_invoice_line_check_editable (self, "tax-rate", error))
    return FALSE;

  self->tax_rate = tax_rate;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TAX_RATE]);

  return TRUE;
}

gboolean
kassa_invoice_line_get_locked (KassaInvoiceLine *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE_LINE (self), FALSE);

  return self->locked;
}

void
kassa_invoice_line_set_locked (KassaInvoiceLine *self,
                               gboolean          locked)
{
  g_return_if_fail (KASSA_IS_INVOICE_LINE (self));

  locked = !!locked;

  if (self->locked == locked)
    return;

  /* Locking is one way: what was certified or issued stays so. */
  g_return_if_fail (locked);

  self->locked = locked;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LOCKED]);
}
