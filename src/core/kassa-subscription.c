/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-subscription"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kassa-core-enum-types.h"
#include "kassa-error.h"
#include "kassa-subscription.h"
#include "kassa-transitions.h"

struct _KassaSubscription
{
  GObject parent_instance;

  gint64                   id;
  KassaSubscriptionStatus  status;
  char                    *stripe_subscription_id;
  char                    *stripe_customer_id;
  gint64                   item_id;
  gint64                   customer_id;
  GDateTime               *current_period_end;
  gboolean                 cancel_at_period_end;
  guint                    cycles_billed;
  guint                    cycle_limit;
  gint64                   order_id;

  /* Until construction ends, "status" is loaded, not transitioned. */
  guint constructed : 1;
};

G_DEFINE_FINAL_TYPE (KassaSubscription, kassa_subscription, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_STATUS,
  PROP_STRIPE_SUBSCRIPTION_ID,
  PROP_STRIPE_CUSTOMER_ID,
  PROP_ITEM_ID,
  PROP_CUSTOMER_ID,
  PROP_CURRENT_PERIOD_END,
  PROP_CANCEL_AT_PERIOD_END,
  PROP_CYCLES_BILLED,
  PROP_CYCLE_LIMIT,
  PROP_ORDER_ID,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
kassa_subscription_finalize (GObject *object)
{
  KassaSubscription *self = KASSA_SUBSCRIPTION (object);

  g_clear_pointer (&self->stripe_subscription_id, g_free);
  g_clear_pointer (&self->stripe_customer_id, g_free);
  g_clear_pointer (&self->current_period_end, g_date_time_unref);

  G_OBJECT_CLASS (kassa_subscription_parent_class)->finalize (object);
}

static void
kassa_subscription_constructed (GObject *object)
{
  KassaSubscription *self = KASSA_SUBSCRIPTION (object);

  G_OBJECT_CLASS (kassa_subscription_parent_class)->constructed (object);

  self->constructed = TRUE;
}

static void
kassa_subscription_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  KassaSubscription *self = KASSA_SUBSCRIPTION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_STRIPE_SUBSCRIPTION_ID:
      g_value_set_string (value, self->stripe_subscription_id);
      break;

    case PROP_STRIPE_CUSTOMER_ID:
      g_value_set_string (value, self->stripe_customer_id);
      break;

    case PROP_ITEM_ID:
      g_value_set_int64 (value, self->item_id);
      break;

    case PROP_CUSTOMER_ID:
      g_value_set_int64 (value, self->customer_id);
      break;

    case PROP_CURRENT_PERIOD_END:
      g_value_set_boxed (value, self->current_period_end);
      break;

    case PROP_CANCEL_AT_PERIOD_END:
      g_value_set_boolean (value, self->cancel_at_period_end);
      break;

    case PROP_CYCLES_BILLED:
      g_value_set_uint (value, self->cycles_billed);
      break;

    case PROP_CYCLE_LIMIT:
      g_value_set_uint (value, self->cycle_limit);
      break;

    case PROP_ORDER_ID:
      g_value_set_int64 (value, self->order_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_subscription_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  KassaSubscription *self = KASSA_SUBSCRIPTION (object);
  g_autoptr(GError) error = NULL;

  switch (prop_id)
    {
    case PROP_ID:
      kassa_subscription_set_id (self, g_value_get_int64 (value));
      break;

    case PROP_STATUS:
      if (!self->constructed)
        self->status = g_value_get_enum (value);
      else if (!kassa_subscription_set_status (self, g_value_get_enum (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_STRIPE_SUBSCRIPTION_ID:
      kassa_subscription_set_stripe_subscription_id (self, g_value_get_string (value));
      break;

    case PROP_STRIPE_CUSTOMER_ID:
      kassa_subscription_set_stripe_customer_id (self, g_value_get_string (value));
      break;

    case PROP_ITEM_ID:
      kassa_subscription_set_item_id (self, g_value_get_int64 (value));
      break;

    case PROP_CUSTOMER_ID:
      kassa_subscription_set_customer_id (self, g_value_get_int64 (value));
      break;

    case PROP_CURRENT_PERIOD_END:
      kassa_subscription_set_current_period_end (self, g_value_get_boxed (value));
      break;

    case PROP_CANCEL_AT_PERIOD_END:
      kassa_subscription_set_cancel_at_period_end (self, g_value_get_boolean (value));
      break;

    case PROP_CYCLES_BILLED:
      kassa_subscription_set_cycles_billed (self, g_value_get_uint (value));
      break;

    case PROP_CYCLE_LIMIT:
      kassa_subscription_set_cycle_limit (self, g_value_get_uint (value));
      break;

    case PROP_ORDER_ID:
      kassa_subscription_set_order_id (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_subscription_class_init (KassaSubscriptionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = kassa_subscription_constructed;
  object_class->finalize = kassa_subscription_finalize;
  object_class->get_property = kassa_subscription_get_property;
  object_class->set_property = kassa_subscription_set_property;

  properties [PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       KASSA_TYPE_SUBSCRIPTION_STATUS,
                       KASSA_SUBSCRIPTION_STATUS_INCOMPLETE,
                       (G_PARAM_READWRITE |
                        G_PARAM_CONSTRUCT |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_STRIPE_SUBSCRIPTION_ID] =
    g_param_spec_string ("stripe-subscription-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_STRIPE_CUSTOMER_ID] =
    g_param_spec_string ("stripe-customer-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_ITEM_ID] =
    g_param_spec_int64 ("item-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_CUSTOMER_ID] =
    g_param_spec_int64 ("customer-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_CURRENT_PERIOD_END] =
    g_param_spec_boxed ("current-period-end", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_CANCEL_AT_PERIOD_END] =
    g_param_spec_boolean ("cancel-at-period-end", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  properties [PROP_CYCLES_BILLED] =
    g_param_spec_uint ("cycles-billed", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_CYCLE_LIMIT] =
    g_param_spec_uint ("cycle-limit", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_ORDER_ID] =
    g_param_spec_int64 ("order-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_subscription_init (KassaSubscription *self)
{
}

KassaSubscription *
kassa_subscription_new (void)
{
  return g_object_new (KASSA_TYPE_SUBSCRIPTION, NULL);
}

gint64
kassa_subscription_get_id (KassaSubscription *self)
{
  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION (self), 0);

  return self->id;
}

void
kassa_subscription_set_id (KassaSubscription *self,
                           gint64             id)
{
  g_return_if_fail (KASSA_IS_SUBSCRIPTION (self));

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ID]);
}

KassaSubscriptionStatus
kassa_subscription_get_status (KassaSubscription *self)
{
  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION (self), KASSA_SUBSCRIPTION_STATUS_INCOMPLETE);

  return self->status;
}

gboolean
kassa_subscription_set_status (KassaSubscription        *self,
                               KassaSubscriptionStatus   status,
                               GError                  **error)
{
  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->status == status)
    return TRUE;

  if (!kassa_subscription_status_check_transition (self->status, status, error))
    return FALSE;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATUS]);

  return TRUE;
}

const char *
kassa_subscription_get_stripe_subscription_id (KassaSubscription *self)
{
  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION (self), NULL);

  return self->stripe_subscription_id;
}

void
kassa_subscription_set_stripe_subscription_id (KassaSubscription *self,
                                               const char        *stripe_subscription_id)
{
  g_return_if_fail (KASSA_IS_SUBSCRIPTION (self));

  if (g_strcmp0 (self->stripe_subscription_id, stripe_subscription_id) == 0)
    return;

  g_free (self->stripe_subscription_id);
  self->stripe_subscription_id = g_strdup (stripe_subscription_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STRIPE_SUBSCRIPTION_ID]);
}

const char *
kassa_subscription_get_stripe_customer_id (KassaSubscription *self)
{
  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION (self), NULL);

  return self->stripe_customer_id;
}

void
kassa_subscription_set_stripe_customer_id (KassaSubscription *self,
                                           const char        *stripe_customer_id)
{
  g_return_if_fail (KASSA_IS_SUBSCRIPTION (self));

  if (g_strcmp0 (self->stripe_customer_id, stripe_customer_id) == 0)
    return;

  g_free (self->stripe_customer_id);
  self->stripe_customer_id = g_strdup (stripe_customer_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STRIPE_CUSTOMER_ID]);
}

gint64
kassa_subscription_get_item_id (KassaSubscription *self)
{
  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION (self), 0);

  return self->item_id;
}

void
kassa_subscription_set_item_id (KassaSubscription *self,
                                gint64             item_id)
{
  g_return_if_fail (KASSA_IS_SUBSCRIPTION (self));

  if (self->item_id == item_id)
    return;

  self->item_id = item_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ITEM_ID]);
}

gint64
kassa_subscription_get_customer_id (KassaSubscription *self)
{
  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION (self), 0);

  return self->customer_id;
}

void
kassa_subscription_set_customer_id (KassaSubscription *self,
                                    gint64             customer_id)
{
  g_return_if_fail (KASSA_IS_SUBSCRIPTION (self));

  if (self->customer_id == customer_id)
    return;

  self->customer_id = customer_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CUSTOMER_ID]);
}

GDateTime *
kassa_subscription_get_current_period_end (KassaSubscription *self)
{
  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION (self), NULL);

  return self->current_period_end;
}

void
kassa_subscription_set_current_period_end (KassaSubscription *self,
                                           GDateTime         *current_period_end)
{
  g_return_if_fail (KASSA_IS_SUBSCRIPTION (self));

  if (self->current_period_end == current_period_end ||
      (self->current_period_end != NULL && current_period_end != NULL && g_date_time_equal (self->current_period_end, current_period_end)))
    return;

  g_clear_pointer (&self->current_period_end, g_date_time_unref);
  if (current_period_end != NULL)
    self->current_period_end = g_date_time_ref (current_period_end);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CURRENT_PERIOD_END]);
}

gboolean
kassa_subscription_get_cancel_at_period_end (KassaSubscription *self)
{
  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION (self), FALSE);

  return self->cancel_at_period_end;
}

void
kassa_subscription_set_cancel_at_period_end (KassaSubscription *self,
                                             gboolean           cancel_at_period_end)
{
  g_return_if_fail (KASSA_IS_SUBSCRIPTION (self));

  cancel_at_period_end = !!cancel_at_period_end;

  if (self->cancel_at_period_end == cancel_at_period_end)
    return;

  self->cancel_at_period_end = cancel_at_period_end;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CANCEL_AT_PERIOD_END]);
}

guint
kassa_subscription_get_cycles_billed (KassaSubscription *self)
{
  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION (self), 0);

  return self->cycles_billed;
}

void
kassa_subscription_set_cycles_billed (KassaSubscription *self,
                                      guint              cycles_billed)
{
  g_return_if_fail (KASSA_IS_SUBSCRIPTION (self));

  if (self->cycles_billed == cycles_billed)
    return;

  self->cycles_billed = cycles_billed;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CYCLES_BILLED]);
}

guint
kassa_subscription_get_cycle_limit (KassaSubscription *self)
{
  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION (self), 0);

  return self->cycle_limit;
}

void
kassa_subscription_set_cycle_limit (KassaSubscription *self,
                                    guint              cycle_limit)
{
  g_return_if_fail (KASSA_IS_SUBSCRIPTION (self));

  if (self->cycle_limit == cycle_limit)
    return;

  self->cycle_limit = cycle_limit;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CYCLE_LIMIT]);
}

gboolean
kassa_subscription_record_renewal (KassaSubscription  *self,
                                   GDateTime          *next_period_end,
                                   GError            **error)
{
  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION (self), FALSE);
  g_return_val_if_fail (next_period_end != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->status != KASSA_SUBSCRIPTION_STATUS_ACTIVE &&
      self->status != KASSA_SUBSCRIPTION_STATUS_TRIALING)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION,
                   _("A subscription that is “%s” cannot be renewed"),
                   kassa_subscription_status_get_display_name (self->status));
      return FALSE;
    }

  if (kassa_subscription_get_cycles_left (self) == 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The subscription has already billed its %u cycle",
                                "The subscription has already billed all of its %u cycles",
                                self->cycle_limit),
                   self->cycle_limit);
      return FALSE;
    }

  if (self->current_period_end != NULL &&
      g_date_time_compare (next_period_end, self->current_period_end) <= 0)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("A renewal must move the period end forward"));
      return FALSE;
    }

  kassa_subscription_set_cycles_billed (self, self->cycles_billed + 1);
  kassa_subscription_set_current_period_end (self, next_period_end);

  return TRUE;
}

gint64
kassa_subscription_get_cycles_left (KassaSubscription *self)
{
  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION (self), 0);

  if (self->cycle_limit == 0)
    return -1;

  if (self->cycles_billed >= self->cycle_limit)
    return 0;

  return (gint64) self->cycle_limit - self->cycles_billed;
}

gint64
kassa_subscription_get_order_id (KassaSubscription *self)
{
  g_return_val_if_fail (KASSA_IS_SUBSCRIPTION (self), 0);

  return self->order_id;
}

void
kassa_subscription_set_order_id (KassaSubscription *self,
                                 gint64             order_id)
{
  g_return_if_fail (KASSA_IS_SUBSCRIPTION (self));

  if (self->order_id == order_id)
    return;

  self->order_id = order_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ORDER_ID]);
}
