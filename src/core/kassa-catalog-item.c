/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-catalog-item"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kassa-core-enum-types.h"
#include "kassa-error.h"
#include "kassa-text.h"
#include "kassa-catalog-item.h"
#include "kassa-money.h"

struct _KassaCatalogItem
{
  GObject parent_instance;

  gint64                id;
  KassaItemKind         kind;
  char                 *name;
  char                 *description;
  char                 *item_type;
  char                 *sku;
  char                 *barcode;
  gint64                price;
  char                 *currency_code;
  gint64                tax_rate;
  KassaPricing          pricing;
  KassaBillingInterval  interval;
  guint                 interval_count;
  guint                 cycles;
  guint                 duration_minutes;
  gint64                stock_on_hand;
  KassaItemStatus       status;
  gboolean              public;
  int                   sort_order;
  char                 **image_paths;
};

G_DEFINE_FINAL_TYPE (KassaCatalogItem, kassa_catalog_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_ITEM_TYPE,
  PROP_SKU,
  PROP_BARCODE,
  PROP_PRICE,
  PROP_CURRENCY_CODE,
  PROP_TAX_RATE,
  PROP_PRICING,
  PROP_INTERVAL,
  PROP_INTERVAL_COUNT,
  PROP_CYCLES,
  PROP_DURATION_MINUTES,
  PROP_STOCK_ON_HAND,
  PROP_STATUS,
  PROP_PUBLIC,
  PROP_SORT_ORDER,
  PROP_IMAGE_PATHS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* Only the shape: whether the currency table knows the code is the
 * store's business when it saves. */
static gboolean
is_currency_code (const char *code)
{
  if (code == NULL || strlen (code) != 3)
    return FALSE;

  for (guint i = 0; i < 3; i++)
    {
      if (!g_ascii_isupper (code[i]))
        return FALSE;
    }

  return TRUE;
}

static gboolean
invalid (GError     **error,
         const char  *message)
{
  g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID, message);
  return FALSE;
}

static void
kassa_catalog_item_finalize (GObject *object)
{
  KassaCatalogItem *self = KASSA_CATALOG_ITEM (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->item_type, g_free);
  g_clear_pointer (&self->sku, g_free);
  g_clear_pointer (&self->barcode, g_free);
  g_clear_pointer (&self->currency_code, g_free);
  g_clear_pointer (&self->image_paths, g_strfreev);

  G_OBJECT_CLASS (kassa_catalog_item_parent_class)->finalize (object);
}

static void
kassa_catalog_item_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  KassaCatalogItem *self = KASSA_CATALOG_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_ITEM_TYPE:
      g_value_set_string (value, self->item_type);
      break;

    case PROP_SKU:
      g_value_set_string (value, self->sku);
      break;

    case PROP_BARCODE:
      g_value_set_string (value, self->barcode);
      break;

    case PROP_PRICE:
      g_value_set_int64 (value, self->price);
      break;

    case PROP_CURRENCY_CODE:
      g_value_set_string (value, self->currency_code);
      break;

    case PROP_TAX_RATE:
      g_value_set_int64 (value, self->tax_rate);
      break;

    case PROP_PRICING:
      g_value_set_enum (value, self->pricing);
      break;

    case PROP_INTERVAL:
      g_value_set_enum (value, self->interval);
      break;

    case PROP_INTERVAL_COUNT:
      g_value_set_uint (value, self->interval_count);
      break;

    case PROP_CYCLES:
      g_value_set_uint (value, self->cycles);
      break;

    case PROP_DURATION_MINUTES:
      g_value_set_uint (value, self->duration_minutes);
      break;

    case PROP_STOCK_ON_HAND:
      g_value_set_int64 (value, self->stock_on_hand);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_PUBLIC:
      g_value_set_boolean (value, self->public);
      break;

    case PROP_SORT_ORDER:
      g_value_set_int (value, self->sort_order);
      break;

    case PROP_IMAGE_PATHS:
      g_value_set_boxed (value, self->image_paths);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_catalog_item_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  KassaCatalogItem *self = KASSA_CATALOG_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      kassa_catalog_item_set_id (self, g_value_get_int64 (value));
      break;

    case PROP_KIND:
      kassa_catalog_item_set_kind (self, g_value_get_enum (value));
      break;

    case PROP_NAME:
      kassa_catalog_item_set_name (self, g_value_get_string (value));
      break;

    case PROP_DESCRIPTION:
      kassa_catalog_item_set_description (self, g_value_get_string (value));
      break;

    case PROP_ITEM_TYPE:
      kassa_catalog_item_set_item_type (self, g_value_get_string (value));
      break;

    case PROP_SKU:
      kassa_catalog_item_set_sku (self, g_value_get_string (value));
      break;

    case PROP_BARCODE:
      kassa_catalog_item_set_barcode (self, g_value_get_string (value));
      break;

    case PROP_PRICE:
      kassa_catalog_item_set_price (self, g_value_get_int64 (value));
      break;

    case PROP_CURRENCY_CODE:
      kassa_catalog_item_set_currency_code (self, g_value_get_string (value));
      break;

    case PROP_TAX_RATE:
      kassa_catalog_item_set_tax_rate (self, g_value_get_int64 (value));
      break;

    case PROP_PRICING:
      kassa_catalog_item_set_pricing (self, g_value_get_enum (value));
      break;

    case PROP_INTERVAL:
      kassa_catalog_item_set_interval (self, g_value_get_enum (value));
      break;

    case PROP_INTERVAL_COUNT:
      kassa_catalog_item_set_interval_count (self, g_value_get_uint (value));
      break;

    case PROP_CYCLES:
      kassa_catalog_item_set_cycles (self, g_value_get_uint (value));
      break;

    case PROP_DURATION_MINUTES:
      kassa_catalog_item_set_duration_minutes (self, g_value_get_uint (value));
      break;

    case PROP_STOCK_ON_HAND:
      kassa_catalog_item_set_stock_on_hand (self, g_value_get_int64 (value));
      break;

    case PROP_STATUS:
      kassa_catalog_item_set_status (self, g_value_get_enum (value));
      break;

    case PROP_PUBLIC:
      kassa_catalog_item_set_public (self, g_value_get_boolean (value));
      break;

    case PROP_SORT_ORDER:
      kassa_catalog_item_set_sort_order (self, g_value_get_int (value));
      break;

    case PROP_IMAGE_PATHS:
      kassa_catalog_item_set_image_paths (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_catalog_item_class_init (KassaCatalogItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kassa_catalog_item_finalize;
  object_class->get_property = kassa_catalog_item_get_property;
  object_class->set_property = kassa_catalog_item_set_property;

  properties [PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       KASSA_TYPE_ITEM_KIND,
                       KASSA_ITEM_KIND_PRODUCT,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

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

  properties [PROP_ITEM_TYPE] =
    g_param_spec_string ("item-type", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_SKU] =
    g_param_spec_string ("sku", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_BARCODE] =
    g_param_spec_string ("barcode", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_PRICE] =
    g_param_spec_int64 ("price", NULL, NULL,
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

  properties [PROP_TAX_RATE] =
    g_param_spec_int64 ("tax-rate", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_PRICING] =
    g_param_spec_enum ("pricing", NULL, NULL,
                       KASSA_TYPE_PRICING,
                       KASSA_PRICING_ONE_TIME,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_INTERVAL] =
    g_param_spec_enum ("interval", NULL, NULL,
                       KASSA_TYPE_BILLING_INTERVAL,
                       KASSA_BILLING_INTERVAL_NONE,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_INTERVAL_COUNT] =
    g_param_spec_uint ("interval-count", NULL, NULL,
                       0, G_MAXUINT, 1,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_CYCLES] =
    g_param_spec_uint ("cycles", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_DURATION_MINUTES] =
    g_param_spec_uint ("duration-minutes", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_STOCK_ON_HAND] =
    g_param_spec_int64 ("stock-on-hand", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       KASSA_TYPE_ITEM_STATUS,
                       KASSA_ITEM_STATUS_DRAFT,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_PUBLIC] =
    g_param_spec_boolean ("public", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  properties [PROP_SORT_ORDER] =
    g_param_spec_int ("sort-order", NULL, NULL,
                      G_MININT, G_MAXINT, 0,
                      (G_PARAM_READWRITE |
                       G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS));

  properties [PROP_IMAGE_PATHS] =
    g_param_spec_boxed ("image-paths", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_catalog_item_init (KassaCatalogItem *self)
{
  /* Nothing goes on sale before someone says it is ready. */
  self->status = KASSA_ITEM_STATUS_DRAFT;
  self->interval_count = 1;
  self->public = TRUE;
}

KassaCatalogItem *
kassa_catalog_item_new (void)
{
  return g_object_new (KASSA_TYPE_CATALOG_ITEM, NULL);
}

gint64
kassa_catalog_item_get_id (KassaCatalogItem *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (self), 0);

  return self->id;
}

void
kassa_catalog_item_set_id (KassaCatalogItem *self,
                           gint64            id)
{
  g_return_if_fail (KASSA_IS_CATALOG_ITEM (self));

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ID]);
}

KassaItemKind
kassa_catalog_item_get_kind (KassaCatalogItem *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (self), KASSA_ITEM_KIND_PRODUCT);

  return self->kind;
}

void
kassa_catalog_item_set_kind (KassaCatalogItem *self,
                             KassaItemKind     kind)
{
  g_return_if_fail (KASSA_IS_CATALOG_ITEM (self));

  if (self->kind == kind)
    return;

  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_KIND]);
}

const char *
kassa_catalog_item_get_name (KassaCatalogItem *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (self), NULL);

  return self->name;
}

void
kassa_catalog_item_set_name (KassaCatalogItem *self,
                             const char       *name)
{
  g_return_if_fail (KASSA_IS_CATALOG_ITEM (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_NAME]);
}

const char *
kassa_catalog_item_get_description (KassaCatalogItem *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (self), NULL);

  return self->description;
}

void
kassa_catalog_item_set_description (KassaCatalogItem *self,
                                    const char       *description)
{
  g_return_if_fail (KASSA_IS_CATALOG_ITEM (self));

  if (g_strcmp0 (self->description, description) == 0)
    return;

  g_free (self->description);
  self->description = g_strdup (description);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DESCRIPTION]);
}

const char *
kassa_catalog_item_get_item_type (KassaCatalogItem *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (self), NULL);

  return self->item_type;
}

void
kassa_catalog_item_set_item_type (KassaCatalogItem *self,
                                  const char       *item_type)
{
  g_return_if_fail (KASSA_IS_CATALOG_ITEM (self));

  if (g_strcmp0 (self->item_type, item_type) == 0)
    return;

  g_free (self->item_type);
  self->item_type = g_strdup (item_type);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ITEM_TYPE]);
}

const char *
kassa_catalog_item_get_sku (KassaCatalogItem *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (self), NULL);

  return self->sku;
}

void
kassa_catalog_item_set_sku (KassaCatalogItem *self,
                            const char       *sku)
{
  g_return_if_fail (KASSA_IS_CATALOG_ITEM (self));

  if (g_strcmp0 (self->sku, sku) == 0)
    return;

  g_free (self->sku);
  self->sku = g_strdup (sku);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SKU]);
}

const char *
kassa_catalog_item_get_barcode (KassaCatalogItem *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (self), NULL);

  return self->barcode;
}

void
kassa_catalog_item_set_barcode (KassaCatalogItem *self,
                                const char       *barcode)
{
  g_return_if_fail (KASSA_IS_CATALOG_ITEM (self));

  if (g_strcmp0 (self->barcode, barcode) == 0)
    return;

  g_free (self->barcode);
  self->barcode = g_strdup (barcode);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BARCODE]);
}

gint64
kassa_catalog_item_get_price (KassaCatalogItem *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (self), 0);

  return self->price;
}

void
kassa_catalog_item_set_price (KassaCatalogItem *self,
                              gint64            price)
{
  g_return_if_fail (KASSA_IS_CATALOG_ITEM (self));

  if (self->price == price)
    return;

  self->price = price;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PRICE]);
}

const char *
kassa_catalog_item_get_currency_code (KassaCatalogItem *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (self), NULL);

  return self->currency_code;
}

void
kassa_catalog_item_set_currency_code (KassaCatalogItem *self,
                                      const char       *currency_code)
{
  g_return_if_fail (KASSA_IS_CATALOG_ITEM (self));

  if (g_strcmp0 (self->currency_code, currency_code) == 0)
    return;

  g_free (self->currency_code);
  self->currency_code = g_strdup (currency_code);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CURRENCY_CODE]);
}

gint64
kassa_catalog_item_get_tax_rate (KassaCatalogItem *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (self), 0);

  return self->tax_rate;
}

void
kassa_catalog_item_set_tax_rate (KassaCatalogItem *self,
                                 gint64            tax_rate)
{
  g_return_if_fail (KASSA_IS_CATALOG_ITEM (self));

  if (self->tax_rate == tax_rate)
    return;

  self->tax_rate = tax_rate;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TAX_RATE]);
}

KassaPricing
kassa_catalog_item_get_pricing (KassaCatalogItem *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (self), KASSA_PRICING_ONE_TIME);

  return self->pricing;
}

void
kassa_catalog_item_set_pricing (KassaCatalogItem *self,
                                KassaPricing      pricing)
{
  g_return_if_fail (KASSA_IS_CATALOG_ITEM (self));

  if (self->pricing == pricing)
    return;

  self->pricing = pricing;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PRICING]);
}

KassaBillingInterval
kassa_catalog_item_get_interval (KassaCatalogItem *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (self), KASSA_BILLING_INTERVAL_NONE);

  return self->interval;
}

void
kassa_catalog_item_set_interval (KassaCatalogItem     *self,
                                 KassaBillingInterval  interval)
{
  g_return_if_fail (KASSA_IS_CATALOG_ITEM (self));

  if (self->interval == interval)
    return;

  self->interval = interval;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_INTERVAL]);
}

guint
kassa_catalog_item_get_interval_count (KassaCatalogItem *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (self), 1);

  return self->interval_count;
}

void
kassa_catalog_item_set_interval_count (KassaCatalogItem *self,
                                       guint             interval_count)
{
  g_return_if_fail (KASSA_IS_CATALOG_ITEM (self));

  if (self->interval_count == interval_count)
    return;

  self->interval_count = interval_count;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_INTERVAL_COUNT]);
}

guint
kassa_catalog_item_get_cycles (KassaCatalogItem *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (self), 0);

  return self->cycles;
}

void
kassa_catalog_item_set_cycles (KassaCatalogItem *self,
                               guint             cycles)
{
  g_return_if_fail (KASSA_IS_CATALOG_ITEM (self));

  if (self->cycles == cycles)
    return;

  self->cycles = cycles;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CYCLES]);
}

guint
kassa_catalog_item_get_duration_minutes (KassaCatalogItem *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (self), 0);

  return self->duration_minutes;
}

void
kassa_catalog_item_set_duration_minutes (KassaCatalogItem *self,
                                         guint             duration_minutes)
{
  g_return_if_fail (KASSA_IS_CATALOG_ITEM (self));

  if (self->duration_minutes == duration_minutes)
    return;

  self->duration_minutes = duration_minutes;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DURATION_MINUTES]);
}

gint64
kassa_catalog_item_get_stock_on_hand (KassaCatalogItem *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (self), 0);

  return self->stock_on_hand;
}

void
kassa_catalog_item_set_stock_on_hand (KassaCatalogItem *self,
                                      gint64            stock_on_hand)
{
  g_return_if_fail (KASSA_IS_CATALOG_ITEM (self));

  if (self->stock_on_hand == stock_on_hand)
    return;

  self->stock_on_hand = stock_on_hand;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STOCK_ON_HAND]);
}

KassaItemStatus
kassa_catalog_item_get_status (KassaCatalogItem *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (self), KASSA_ITEM_STATUS_DRAFT);

  return self->status;
}

void
kassa_catalog_item_set_status (KassaCatalogItem *self,
                               KassaItemStatus   status)
{
  g_return_if_fail (KASSA_IS_CATALOG_ITEM (self));

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATUS]);
}

gboolean
kassa_catalog_item_get_public (KassaCatalogItem *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (self), FALSE);

  return self->public;
}

void
kassa_catalog_item_set_public (KassaCatalogItem *self,
                               gboolean          public)
{
  g_return_if_fail (KASSA_IS_CATALOG_ITEM (self));

  public = !!public;

  if (self->public == public)
    return;

  self->public = public;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PUBLIC]);
}

int
kassa_catalog_item_get_sort_order (KassaCatalogItem *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (self), 0);

  return self->sort_order;
}

void
kassa_catalog_item_set_sort_order (KassaCatalogItem *self,
                                   int               sort_order)
{
  g_return_if_fail (KASSA_IS_CATALOG_ITEM (self));

  if (self->sort_order == sort_order)
    return;

  self->sort_order = sort_order;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SORT_ORDER]);
}

const char * const *
kassa_catalog_item_get_image_paths (KassaCatalogItem *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (self), NULL);

  return (const char * const *) self->image_paths;
}

void
kassa_catalog_item_set_image_paths (KassaCatalogItem   *self,
                                    const char * const *image_paths)
{
  g_return_if_fail (KASSA_IS_CATALOG_ITEM (self));

  if (self->image_paths == (char **) image_paths ||
      (self->image_paths != NULL && image_paths != NULL &&
       g_strv_equal ((const char * const *) self->image_paths, image_paths)))
    return;

  g_strfreev (self->image_paths);
  self->image_paths = g_strdupv ((char **) image_paths);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_IMAGE_PATHS]);
}

gboolean
kassa_catalog_item_validate (KassaCatalogItem  *self,
                             GError           **error)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (kassa_text_is_blank (self->name))
    return invalid (error, _("An item needs a name"));

  if (self->price < 0)
    return invalid (error, _("A price cannot be negative"));

  if (!is_currency_code (self->currency_code))
    return invalid (error, _("A price needs a three-letter currency code"));

  if (self->tax_rate < 0 || self->tax_rate > KASSA_RATE_WHOLE)
    return invalid (error, _("A tax rate must lie between 0 and 100 %"));

  switch (self->pricing)
    {
    case KASSA_PRICING_ONE_TIME:
      if (self->interval != KASSA_BILLING_INTERVAL_NONE)
        return invalid (error, _("A one-time price has no billing interval"));
      if (self->cycles != 0)
        return invalid (error, _("A one-time price has no billing cycles"));
      break;

    case KASSA_PRICING_RECURRING:
      if (self->interval == KASSA_BILLING_INTERVAL_NONE)
        return invalid (error, _("A recurring price needs a billing interval"));
      if (self->interval_count == 0)
        return invalid (error, _("A recurring price needs an interval count of at least 1"));
      /* Stripe bills at most once every three years. */
      if ((self->interval == KASSA_BILLING_INTERVAL_YEAR && self->interval_count > 3) ||
          (self->interval == KASSA_BILLING_INTERVAL_MONTH && self->interval_count > 36))
        return invalid (error, _("A billing interval cannot be longer than three years"));
      break;

    default:
      g_return_val_if_reached (FALSE);
    }

  switch (self->kind)
    {
    case KASSA_ITEM_KIND_PRODUCT:
      if (self->duration_minutes != 0)
        return invalid (error, _("A product has no duration; make it a service"));
      break;

    case KASSA_ITEM_KIND_SERVICE:
      if (self->duration_minutes == 0)
        return invalid (error, _("A service needs a duration"));
      if (self->stock_on_hand != 0)
        return invalid (error, _("A service has no stock"));
      break;

    default:
      g_return_val_if_reached (FALSE);
    }

  return TRUE;
}

gboolean
kassa_catalog_item_is_sellable (KassaCatalogItem *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (self), FALSE);

  return self->status == KASSA_ITEM_STATUS_ACTIVE &&
         kassa_catalog_item_validate (self, NULL);
}
