/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-cash-provider"

#include "config.h"

#include <glib/gi18n.h>

#include "kassa-cash-provider.h"
#include "kassa-core-enum-types.h"
#include "kassa-currency.h"
#include "kassa-payment-error.h"
#include "kassa-totals.h"

struct _KassaCashProvider
{
  GObject           parent_instance;

  gint64            rounding_step;
  KassaRoundingMode rounding_mode;
  gboolean          kick_drawer;
};

static void kassa_cash_provider_iface_init (KassaPaymentProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KassaCashProvider, kassa_cash_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KASSA_TYPE_PAYMENT_PROVIDER,
                                                      kassa_cash_provider_iface_init))

enum {
  PROP_0,
  PROP_ROUNDING_STEP,
  PROP_ROUNDING_MODE,
  PROP_KICK_DRAWER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Overrides */

static const char *
kassa_cash_provider_get_id (KassaPaymentProvider *provider)
{
  return KASSA_CASH_PROVIDER_ID;
}

static const char *
kassa_cash_provider_get_display_name (KassaPaymentProvider *provider)
{
  return _("Cash");
}

static void
kassa_cash_provider_start_async (KassaPaymentProvider      *provider,
                                 const KassaPaymentRequest *request,
                                 GCancellable              *cancellable,
                                 GAsyncReadyCallback        callback,
                                 gpointer                   user_data)
{
  KassaCashProvider *self = KASSA_CASH_PROVIDER (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(KassaPaymentResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 rounding = 0;
  gint64 due;

  g_task_set_source_tag (task, kassa_cash_provider_start_async);

  if (kassa_currency_lookup (request->currency_code, &error) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (request->amount <= 0)
    {
      g_task_return_new_error (task, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST,
                               _("There is nothing to pay."));
      return;
    }

  due = kassa_cash_provider_round_due (self, request->amount, &rounding);

  /* The till never books a cash sale it has not been handed in full:
   * a short tender is a mistake to correct, not a part payment (split
   * tenders are separate payments for their own amounts). */
  if (request->tendered < due)
    {
      kassa_payment_provider_emit_status (provider, KASSA_PAYMENT_PROGRESS_FAILED,
                                          _("The cash handed over is less than the amount due."),
                                          NULL);
      g_task_return_new_error (task, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST,
                               _("The cash handed over is less than the amount due."));
      return;
    }

  result = kassa_payment_result_new (KASSA_CASH_PROVIDER_ID);
  result->amount = due;
  result->currency_code = g_strdup (request->currency_code);
  result->method_label = g_strdup (_("Cash"));
  result->paid_at = g_date_time_new_now_utc ();
  result->tendered = request->tendered;
  result->change = request->tendered - due;
  result->rounding = rounding;
  result->open_drawer = self->kick_drawer;

  kassa_payment_provider_emit_status (provider, KASSA_PAYMENT_PROGRESS_SUCCEEDED,
                                      _("Paid in cash."), NULL);
  g_task_return_pointer (task, g_steal_pointer (&result),
                         (GDestroyNotify) kassa_payment_result_free);
}

static KassaPaymentResult *
kassa_cash_provider_start_finish (KassaPaymentProvider  *provider,
                                  GAsyncResult          *result,
                                  GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
kassa_cash_provider_refund_async (KassaPaymentProvider            *provider,
                                  const KassaPaymentRefundRequest *request,
                                  GCancellable                    *cancellable,
                                  GAsyncReadyCallback              callback,
                                  gpointer                         user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  KassaPaymentRefundResult *result;

  g_task_set_source_tag (task, kassa_cash_provider_refund_async);

  /* Cash keeps no record of what is left to give back; the shop knows
   * and names the amount. */
  if (request->amount <= 0)
    {
      g_task_return_new_error (task, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST,
                               _("A cash refund needs an amount."));
      return;
    }

  result = kassa_payment_refund_result_new ();
  result->amount = request->amount;
  result->succeeded = TRUE;
  g_task_return_pointer (task, result, (GDestroyNotify) kassa_payment_refund_result_free);
}

static KassaPaymentRefundResult *
kassa_cash_provider_refund_finish (KassaPaymentProvider  *provider,
                                   GAsyncResult          *result,
                                   GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
kassa_cash_provider_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  KassaCashProvider *self = KASSA_CASH_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_ROUNDING_STEP:
      g_value_set_int64 (value, self->rounding_step);
      break;
    case PROP_ROUNDING_MODE:
      g_value_set_enum (value, self->rounding_mode);
      break;
    case PROP_KICK_DRAWER:
      g_value_set_boolean (value, self->kick_drawer);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_cash_provider_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  KassaCashProvider *self = KASSA_CASH_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_ROUNDING_STEP:
      kassa_cash_provider_set_rounding_step (self, g_value_get_int64 (value));
      break;
    case PROP_ROUNDING_MODE:
      kassa_cash_provider_set_rounding_mode (self, g_value_get_enum (value));
      break;
    case PROP_KICK_DRAWER:
      kassa_cash_provider_set_kick_drawer (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_cash_provider_iface_init (KassaPaymentProviderInterface *iface)
{
  iface->get_id = kassa_cash_provider_get_id;
  iface->get_display_name = kassa_cash_provider_get_display_name;
  iface->start_async = kassa_cash_provider_start_async;
  iface->start_finish = kassa_cash_provider_start_finish;
  iface->refund_async = kassa_cash_provider_refund_async;
  iface->refund_finish = kassa_cash_provider_refund_finish;
}

static void
kassa_cash_provider_class_init (KassaCashProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = kassa_cash_provider_get_property;
  object_class->set_property = kassa_cash_provider_set_property;

  properties[PROP_ROUNDING_STEP] =
    g_param_spec_int64 ("rounding-step", NULL, NULL, 0, G_MAXINT32, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROUNDING_MODE] =
    g_param_spec_enum ("rounding-mode", NULL, NULL, KASSA_TYPE_ROUNDING_MODE,
                       KASSA_ROUNDING_HALF_UP,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KICK_DRAWER] =
    g_param_spec_boolean ("kick-drawer", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_cash_provider_init (KassaCashProvider *self)
{
  self->rounding_mode = KASSA_ROUNDING_HALF_UP;
  self->kick_drawer = TRUE;
}

/* Public API */

KassaCashProvider *
kassa_cash_provider_new (void)
{
  return g_object_new (KASSA_TYPE_CASH_PROVIDER, NULL);
}

gint64
kassa_cash_provider_get_rounding_step (KassaCashProvider *self)
{
  g_return_val_if_fail (KASSA_IS_CASH_PROVIDER (self), 0);

  return self->rounding_step;
}

void
kassa_cash_provider_set_rounding_step (KassaCashProvider *self,
                                       gint64             step)
{
  g_return_if_fail (KASSA_IS_CASH_PROVIDER (self));
  g_return_if_fail (step >= 0);

  if (self->rounding_step == step)
    return;

  self->rounding_step = step;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROUNDING_STEP]);
}

KassaRoundingMode
kassa_cash_provider_get_rounding_mode (KassaCashProvider *self)
{
  g_return_val_if_fail (KASSA_IS_CASH_PROVIDER (self), KASSA_ROUNDING_HALF_UP);

  return self->rounding_mode;
}

void
kassa_cash_provider_set_rounding_mode (KassaCashProvider *self,
                                       KassaRoundingMode  mode)
{
  g_return_if_fail (KASSA_IS_CASH_PROVIDER (self));

  if (self->rounding_mode == mode)
    return;

  self->rounding_mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROUNDING_MODE]);
}

gboolean
kassa_cash_provider_get_kick_drawer (KassaCashProvider *self)
{
  g_return_val_if_fail (KASSA_IS_CASH_PROVIDER (self), FALSE);

  return self->kick_drawer;
}

void
kassa_cash_provider_set_kick_drawer (KassaCashProvider *self,
                                     gboolean           kick_drawer)
{
  g_return_if_fail (KASSA_IS_CASH_PROVIDER (self));

  kick_drawer = !!kick_drawer;
  if (self->kick_drawer == kick_drawer)
    return;

  self->kick_drawer = kick_drawer;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KICK_DRAWER]);
}

/**
 * kassa_cash_provider_round_due:
 * @due: minor units due
 * @out_rounding: (out) (optional): the rounded amount minus @due
 *
 * Returns: what the customer pays in cash: @due rounded to the step by
 *   the core's cash rounding, or @due itself without a step
 */
gint64
kassa_cash_provider_round_due (KassaCashProvider *self,
                               gint64             due,
                               gint64            *out_rounding)
{
  gint64 rounded = due;

  g_return_val_if_fail (KASSA_IS_CASH_PROVIDER (self), due);

  if (self->rounding_step > 1)
    rounded = kassa_cash_round (due, self->rounding_step, self->rounding_mode);
  if (out_rounding != NULL)
    *out_rounding = rounded - due;

  return rounded;
}
