/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-tender"

#include "config.h"

#include <glib/gi18n.h>

#include "kassa-error.h"
#include "kassa-shop-payments.h"
#include "kassa-stripe-checkout-provider.h"
#include "kassa-stripe-client.h"
#include "kassa-tender.h"

typedef struct
{
  KassaPaymentDialog   *dialog;   /* weak: it owns this page */
  KassaPaymentProvider *provider;
  GCancellable         *cancellable;
  char                 *status;
  gboolean              running;

  /* The page's own template children. */
  GtkLabel             *status_label;
  GtkWidget            *start_button;
  GtkWidget            *cancel_button;
} KassaTenderPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (KassaTender, kassa_tender, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PROVIDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_running (KassaTender *self,
             gboolean     running)
{
  KassaTenderPrivate *priv = kassa_tender_get_instance_private (self);

  priv->running = running;
  KASSA_TENDER_GET_CLASS (self)->update (self);
  if (running)
    gtk_widget_grab_focus (priv->cancel_button);
  else if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (priv->start_button);
}

static void
kassa_tender_real_update (KassaTender *self)
{
  KassaTenderPrivate *priv = kassa_tender_get_instance_private (self);

  gtk_widget_set_visible (priv->start_button, !priv->running);
  gtk_widget_set_visible (priv->cancel_button, priv->running);
}

static void
pay_cb (GObject      *object,
        GAsyncResult *res,
        gpointer      user_data)
{
  g_autoptr(KassaTender) self = user_data;
  KassaTenderPrivate *priv = kassa_tender_get_instance_private (self);
  g_autoptr(KassaPaymentResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = kassa_shop_pay_cart_finish (KASSA_SHOP (object), res, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || priv->dialog == NULL)
    return;

  set_running (self, FALSE);
  KASSA_TENDER_GET_CLASS (self)->finish (self, result, error);
}

/* The dialog going away does not dispose this page while the payment's
 * callback still holds it: leaving the window is when a payment in
 * progress must be withdrawn, so that it cannot be paid later. */
static void
kassa_tender_unroot (GtkWidget *widget)
{
  KassaTenderPrivate *priv = kassa_tender_get_instance_private (KASSA_TENDER (widget));

  if (priv->running && priv->provider != NULL)
    kassa_payment_provider_cancel (priv->provider);

  GTK_WIDGET_CLASS (kassa_tender_parent_class)->unroot (widget);
}

static void
kassa_tender_dispose (GObject *object)
{
  KassaTenderPrivate *priv = kassa_tender_get_instance_private (KASSA_TENDER (object));

  /* A payment left open (a session, an intent on a reader) could still
   * be paid after the dialog is gone: withdraw it. */
  if (priv->running && priv->provider != NULL)
    kassa_payment_provider_cancel (priv->provider);
  g_cancellable_cancel (priv->cancellable);

  if (priv->dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (priv->dialog), (gpointer *) &priv->dialog);
  priv->dialog = NULL;

  g_clear_object (&priv->provider);
  g_clear_object (&priv->cancellable);
  priv->status_label = NULL;
  priv->start_button = NULL;
  priv->cancel_button = NULL;

  G_OBJECT_CLASS (kassa_tender_parent_class)->dispose (object);
}

static void
kassa_tender_finalize (GObject *object)
{
  KassaTenderPrivate *priv = kassa_tender_get_instance_private (KASSA_TENDER (object));

  g_free (priv->status);

  G_OBJECT_CLASS (kassa_tender_parent_class)->finalize (object);
}

static void
kassa_tender_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  KassaTenderPrivate *priv = kassa_tender_get_instance_private (KASSA_TENDER (object));

  switch (prop_id)
    {
    case PROP_PROVIDER:
      g_value_set_object (value, priv->provider);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_tender_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  KassaTenderPrivate *priv = kassa_tender_get_instance_private (KASSA_TENDER (object));

  switch (prop_id)
    {
    case PROP_PROVIDER:
      priv->provider = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_tender_class_init (KassaTenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kassa_tender_dispose;
  object_class->finalize = kassa_tender_finalize;
  object_class->get_property = kassa_tender_get_property;
  object_class->set_property = kassa_tender_set_property;
  widget_class->unroot = kassa_tender_unroot;
  klass->update = kassa_tender_real_update;

  properties[PROP_PROVIDER] =
    g_param_spec_object ("provider", NULL, NULL, KASSA_TYPE_PAYMENT_PROVIDER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_tender_init (KassaTender *self)
{
  KassaTenderPrivate *priv = kassa_tender_get_instance_private (self);

  priv->cancellable = g_cancellable_new ();
}

void
kassa_tender_set_widgets (KassaTender *self,
                          GtkLabel    *status_label,
                          GtkWidget   *start_button,
                          GtkWidget   *cancel_button)
{
  KassaTenderPrivate *priv = kassa_tender_get_instance_private (self);

  g_return_if_fail (KASSA_IS_TENDER (self));
  g_return_if_fail (GTK_IS_LABEL (status_label));
  g_return_if_fail (GTK_IS_WIDGET (start_button) && GTK_IS_WIDGET (cancel_button));

  priv->status_label = status_label;
  priv->start_button = start_button;
  priv->cancel_button = cancel_button;
}

void
kassa_tender_set_dialog (KassaTender        *self,
                         KassaPaymentDialog *dialog)
{
  KassaTenderPrivate *priv = kassa_tender_get_instance_private (self);

  g_return_if_fail (KASSA_IS_TENDER (self));
  g_return_if_fail (KASSA_IS_PAYMENT_DIALOG (dialog));
  g_return_if_fail (priv->dialog == NULL);

  priv->dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &priv->dialog);
}

KassaPaymentDialog *
kassa_tender_get_dialog (KassaTender *self)
{
  KassaTenderPrivate *priv = kassa_tender_get_instance_private (self);

  g_return_val_if_fail (KASSA_IS_TENDER (self), NULL);

  return priv->dialog;
}

KassaPaymentProvider *
kassa_tender_get_provider (KassaTender *self)
{
  KassaTenderPrivate *priv = kassa_tender_get_instance_private (self);

  g_return_val_if_fail (KASSA_IS_TENDER (self), NULL);

  return priv->provider;
}

GCancellable *
kassa_tender_get_cancellable (KassaTender *self)
{
  KassaTenderPrivate *priv = kassa_tender_get_instance_private (self);

  g_return_val_if_fail (KASSA_IS_TENDER (self), NULL);

  return priv->cancellable;
}

/* GTK 4.8 cannot make a screen reader speak: the status label has the
 * status role, and its text and description change together. */
void
kassa_tender_announce (KassaTender *self,
                       const char  *text,
                       gboolean     is_error)
{
  KassaTenderPrivate *priv = kassa_tender_get_instance_private (self);

  g_return_if_fail (KASSA_IS_TENDER (self));
  g_return_if_fail (text != NULL);

  g_free (priv->status);
  priv->status = g_strdup (text);
  gtk_label_set_label (priv->status_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (priv->status_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (priv->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (priv->status_label), "error");
}

const char *
kassa_tender_get_status (KassaTender *self)
{
  KassaTenderPrivate *priv = kassa_tender_get_instance_private (self);

  g_return_val_if_fail (KASSA_IS_TENDER (self), NULL);

  return priv->status != NULL ? priv->status : "";
}

void
kassa_tender_pay (KassaTender         *self,
                  KassaPaymentRequest *request)
{
  KassaTenderPrivate *priv = kassa_tender_get_instance_private (self);
  KassaTill *till;

  g_return_if_fail (KASSA_IS_TENDER (self));
  g_return_if_fail (request != NULL);

  if (priv->running || priv->dialog == NULL)
    return;

  till = kassa_payment_dialog_get_till (priv->dialog);
  set_running (self, TRUE);
  kassa_shop_pay_cart_async (kassa_till_get_shop (till), priv->provider, kassa_till_get_cart_id (till),
                             request, priv->cancellable, pay_cb, g_object_ref (self));
}

void
kassa_tender_cancel (KassaTender *self)
{
  KassaTenderPrivate *priv = kassa_tender_get_instance_private (self);

  g_return_if_fail (KASSA_IS_TENDER (self));

  if (priv->running)
    kassa_payment_provider_cancel (priv->provider);
}

gboolean
kassa_tender_get_running (KassaTender *self)
{
  KassaTenderPrivate *priv = kassa_tender_get_instance_private (self);

  g_return_val_if_fail (KASSA_IS_TENDER (self), FALSE);

  return priv->running;
}

gboolean
kassa_tender_record_payment (KassaTender         *self,
                             KassaPaymentResult  *result,
                             const char          *method_label,
                             const char          *reference,
                             GError             **error)
{
  KassaTenderPrivate *priv = kassa_tender_get_instance_private (self);
  g_autoptr(KassaPayment) payment = NULL;

  g_return_val_if_fail (KASSA_IS_TENDER (self), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  /* Pages finish only while their dialog is there. */
  g_return_val_if_fail (priv->dialog != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  payment = kassa_payment_new ();
  kassa_payment_set_provider_id (payment, result->provider_id);
  kassa_payment_set_amount (payment, result->amount);
  kassa_payment_set_currency_code (payment, result->currency_code);
  kassa_payment_set_method_label (payment, result->method_label != NULL ? result->method_label : method_label);
  kassa_payment_set_reference (payment, reference);
  if (result->paid_at != NULL)
    kassa_payment_set_paid_at (payment, result->paid_at);

  return kassa_payment_dialog_add_payment (priv->dialog, payment, error);
}

static const char *
interval_name (KassaBillingInterval interval)
{
  switch (interval)
    {
    case KASSA_BILLING_INTERVAL_MONTH:
      return "month";
    case KASSA_BILLING_INTERVAL_YEAR:
      return "year";
    case KASSA_BILLING_INTERVAL_NONE:
    default:
      return NULL;
    }
}

KassaPaymentRequest *
kassa_tender_build_request (KassaTill   *till,
                            gint64       amount,
                            const char  *provider_id,
                            GError     **error)
{
  g_autoptr(KassaPaymentRequest) request = NULL;
  KassaCart *cart;
  KassaTotals *totals;
  gboolean recurring = FALSE;
  gboolean whole;
  guint n_lines;

  g_return_val_if_fail (KASSA_IS_TILL (till), NULL);
  g_return_val_if_fail (provider_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (amount <= 0)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("Nothing is left to pay"));
      return NULL;
    }

  cart = kassa_till_get_cart (till);
  totals = kassa_till_get_totals (till);
  n_lines = g_list_model_get_n_items (G_LIST_MODEL (cart));
  whole = amount == kassa_till_get_amount_due (till) && totals != NULL &&
          kassa_totals_get_n_lines (totals) >= n_lines;

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(KassaCartLine) line = g_list_model_get_item (G_LIST_MODEL (cart), i);
      KassaCatalogItem *item = kassa_cart_line_get_item (line);

      if (kassa_catalog_item_get_pricing (item) == KASSA_PRICING_RECURRING)
        recurring = TRUE;
    }

  if (recurring && g_strcmp0 (provider_id, KASSA_STRIPE_CHECKOUT_PROVIDER_ID) != 0)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("A subscription is paid by QR code, so that it renews on its own"));
      return NULL;
    }
  if (recurring && !whole)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("A sale with a subscription is paid by QR code in one payment, not split"));
      return NULL;
    }

  request = kassa_payment_request_new (0, amount, kassa_currency_get_code (kassa_till_get_currency (till)));
  request->description = g_strdup (_("Sale at the till"));
  request->idempotency_key = kassa_stripe_client_new_idempotency_key ();
  request->created_at = g_date_time_new_now_utc ();
  request->mode = recurring ? KASSA_PAYMENT_MODE_SUBSCRIPTION : KASSA_PAYMENT_MODE_PAYMENT;

  /* Lines only when the whole cart is paid at once; their amounts come
   * from the totals engine, so they add up to the amount. */
  if (whole)
    for (guint i = 0; i < n_lines; i++)
      {
        g_autoptr(KassaCartLine) line = g_list_model_get_item (G_LIST_MODEL (cart), i);
        KassaCatalogItem *item = kassa_cart_line_get_item (line);
        const KassaLineTotals *line_totals = kassa_totals_get_line (totals, i);
        gboolean line_recurring = kassa_catalog_item_get_pricing (item) == KASSA_PRICING_RECURRING;

        kassa_payment_request_add_line (request, kassa_catalog_item_get_name (item),
                                        kassa_cart_line_get_quantity (line),
                                        kassa_cart_line_get_unit_price (line),
                                        line_totals->total,
                                        line_recurring ? interval_name (kassa_catalog_item_get_interval (item)) : NULL,
                                        line_recurring ? MAX (kassa_catalog_item_get_interval_count (item), 1) : 0);
      }

  return g_steal_pointer (&request);
}
