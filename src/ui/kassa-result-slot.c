/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-result-slot"

#include "config.h"

#include "kassa-result-slot.h"

/*
 * A row of the search results at the till. The row keeps its place in
 * the list while the item shown in it changes, so each keystroke only
 * relabels the rows the list already has instead of the list throwing
 * its row widgets away and building new ones.
 */
struct _KassaResultSlot
{
  GObject           parent_instance;

  KassaCatalogItem *item;
};

G_DEFINE_FINAL_TYPE (KassaResultSlot, kassa_result_slot, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kassa_result_slot_dispose (GObject *object)
{
  KassaResultSlot *self = KASSA_RESULT_SLOT (object);

  g_clear_object (&self->item);

  G_OBJECT_CLASS (kassa_result_slot_parent_class)->dispose (object);
}

static void
kassa_result_slot_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KassaResultSlot *self = KASSA_RESULT_SLOT (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_result_slot_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  KassaResultSlot *self = KASSA_RESULT_SLOT (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      kassa_result_slot_set_item (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_result_slot_class_init (KassaResultSlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kassa_result_slot_dispose;
  object_class->get_property = kassa_result_slot_get_property;
  object_class->set_property = kassa_result_slot_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL,
                         KASSA_TYPE_CATALOG_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_result_slot_init (KassaResultSlot *self)
{
}

KassaResultSlot *
kassa_result_slot_new (void)
{
  return g_object_new (KASSA_TYPE_RESULT_SLOT, NULL);
}

/**
 * kassa_result_slot_get_item:
 * @self: a #KassaResultSlot
 *
 * Returns: (transfer none) (nullable): the item the row shows
 */
KassaCatalogItem *
kassa_result_slot_get_item (KassaResultSlot *self)
{
  g_return_val_if_fail (KASSA_IS_RESULT_SLOT (self), NULL);

  return self->item;
}

void
kassa_result_slot_set_item (KassaResultSlot  *self,
                            KassaCatalogItem *item)
{
  g_return_if_fail (KASSA_IS_RESULT_SLOT (self));
  g_return_if_fail (item == NULL || KASSA_IS_CATALOG_ITEM (item));

  if (g_set_object (&self->item, item))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}
