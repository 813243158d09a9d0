/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-reader-tender"

#include "config.h"

#include <glib/gi18n.h>

#include "kassa-payment-error.h"
#include "kassa-qr-tender.h"
#include "kassa-reader-tender.h"
#include "kassa-shop-payments.h"

struct _KassaReaderTender
{
  AdwBin                       parent_instance;

  KassaPaymentDialog          *dialog;   /* weak: it owns this page */
  KassaStripeTerminalProvider *provider;
  GCancellable                *cancellable;
  GPtrArray                   *reader_ids;
  char                        *default_reader_id;
  char                        *status;
  gboolean                     loaded;
  gboolean                     running;

  GtkDropDown                 *reader_dropdown;
  GtkStringList               *reader_names;
  GtkLabel                    *status_label;
  GtkWidget                   *start_button;
  GtkWidget                   *cancel_button;
};

G_DEFINE_FINAL_TYPE (KassaReaderTender, kassa_reader_tender, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PROVIDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* As the dialog does: the status role, the description following. */
static void
announce (KassaReaderTender *self,
          const char        *text,
          gboolean           is_error)
{
  g_free (self->status);
  self->status = g_strdup (text);
  gtk_label_set_label (self->status_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
update_sensitivity (KassaReaderTender *self)
{
  gboolean has_reader = kassa_reader_tender_get_reader_id (self) != NULL;

  gtk_widget_set_sensitive (self->start_button, has_reader);
  gtk_widget_set_visible (self->start_button, !self->running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reader_dropdown), !self->running && self->reader_ids->len > 0);
  gtk_widget_set_visible (self->cancel_button, self->running);
}

static void
set_running (KassaReaderTender *self,
             gboolean           running)
{
  self->running = running;
  update_sensitivity (self);
  if (running)
    gtk_widget_grab_focus (self->cancel_button);
  else if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (self->start_button);
}

static void
status_changed_cb (KassaPaymentProvider *provider,
                   KassaPaymentProgress  progress,
                   const char           *message,
                   const char           *url,
                   KassaReaderTender    *self)
{
  if (!self->running || message == NULL)
    return;

  announce (self, message, progress == KASSA_PAYMENT_PROGRESS_FAILED);
}

static void
readers_cb (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(KassaReaderTender) self = user_data;
  g_autoptr(GPtrArray) readers = NULL;
  g_autoptr(GError) error = NULL;
  guint selected = GTK_INVALID_LIST_POSITION;

  readers = kassa_stripe_terminal_provider_list_readers_finish (KASSA_STRIPE_TERMINAL_PROVIDER (object), res, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loaded = TRUE;
  if (readers == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The card readers could not be listed: %s"), error->message);

      announce (self, text, TRUE);
      update_sensitivity (self);
      return;
    }

  for (guint i = 0; i < readers->len; i++)
    {
      KassaStripeReader *reader = g_ptr_array_index (readers, i);
      g_autofree char *name = NULL;

      if (g_strcmp0 (reader->status, "offline") == 0)
        /* Translators: a card reader in the list that is switched off */
        name = g_strdup_printf (_("%s (offline)"), reader->label != NULL ? reader->label : reader->id);
      else
        name = g_strdup (reader->label != NULL ? reader->label : reader->id);

      g_ptr_array_add (self->reader_ids, g_strdup (reader->id));
      gtk_string_list_append (self->reader_names, name);
      if (g_strcmp0 (reader->id, self->default_reader_id) == 0)
        selected = i;
    }

  if (readers->len == 0)
    announce (self, _("No card reader is registered with Stripe"), TRUE);
  else
    {
      gtk_drop_down_set_selected (self->reader_dropdown, selected != GTK_INVALID_LIST_POSITION ? selected : 0);
      announce (self, _("Choose the reader and charge the card"), FALSE);
    }

  update_sensitivity (self);
}

static void
selected_cb (KassaReaderTender *self)
{
  const char *id = kassa_reader_tender_get_reader_id (self);

  if (id != NULL && !self->running)
    kassa_stripe_terminal_provider_set_reader_id (self->provider, id);
  update_sensitivity (self);
}

static void
start_cb (GObject      *object,
          GAsyncResult *res,
          gpointer      user_data)
{
  g_autoptr(KassaReaderTender) self = user_data;
  g_autoptr(KassaPaymentResult) result = NULL;
  g_autoptr(KassaPayment) payment = NULL;
  g_autoptr(GError) error = NULL;

  result = kassa_shop_pay_cart_finish (KASSA_SHOP (object), res, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->dialog == NULL)
    return;

  set_running (self, FALSE);

  if (result == NULL)
    {
      if (g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_CANCELLED))
        announce (self, _("The card payment was cancelled; nothing was charged and the sale is still in the cart"),
                  FALSE);
      else if (g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_DECLINED))
        {
          g_autofree char *text = g_strdup_printf (_("Declined: %s"), error->message);

          announce (self, text, TRUE);
        }
      else
        announce (self, error->message, TRUE);
      return;
    }

  payment = kassa_payment_new ();
  kassa_payment_set_provider_id (payment, result->provider_id);
  kassa_payment_set_amount (payment, result->amount);
  kassa_payment_set_currency_code (payment, result->currency_code);
  kassa_payment_set_method_label (payment, result->method_label != NULL ? result->method_label : _("Card"));
  kassa_payment_set_reference (payment, result->provider_reference);
  if (result->paid_at != NULL)
    kassa_payment_set_paid_at (payment, result->paid_at);

  if (!kassa_payment_dialog_add_payment (self->dialog, payment, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Charged, but the sale could not be completed: %s"),
                                               error->message);

      announce (self, text, TRUE);
      return;
    }

  announce (self, _("Paid"), FALSE);
}

static void
start_clicked_cb (KassaReaderTender *self)
{
  kassa_reader_tender_start (self);
}

static void
cancel_clicked_cb (KassaReaderTender *self)
{
  kassa_reader_tender_cancel (self);
}

static void
kassa_reader_tender_map (GtkWidget *widget)
{
  KassaReaderTender *self = KASSA_READER_TENDER (widget);

  GTK_WIDGET_CLASS (kassa_reader_tender_parent_class)->map (widget);

  if (self->running)
    gtk_widget_grab_focus (self->cancel_button);
  else if (gtk_widget_get_sensitive (self->start_button))
    gtk_widget_grab_focus (self->start_button);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->reader_dropdown));
}

/* The dialog going away does not dispose this page while the start's
 * callback still holds it: leaving the window is when a payment in
 * progress must be withdrawn, so the reader action cannot be paid later. */
static void
kassa_reader_tender_unroot (GtkWidget *widget)
{
  KassaReaderTender *self = KASSA_READER_TENDER (widget);

  if (self->running && self->provider != NULL)
    kassa_payment_provider_cancel (KASSA_PAYMENT_PROVIDER (self->provider));

  GTK_WIDGET_CLASS (kassa_reader_tender_parent_class)->unroot (widget);
}

static void
kassa_reader_tender_dispose (GObject *object)
{
  KassaReaderTender *self = KASSA_READER_TENDER (object);

  /* An intent left on the reader could still be tapped after the
   * dialog is gone: withdraw it. */
  if (self->running && self->provider != NULL)
    kassa_payment_provider_cancel (KASSA_PAYMENT_PROVIDER (self->provider));
  g_cancellable_cancel (self->cancellable);

  if (self->dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  self->dialog = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (object), KASSA_TYPE_READER_TENDER);

  g_clear_object (&self->provider);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (kassa_reader_tender_parent_class)->dispose (object);
}

static void
kassa_reader_tender_finalize (GObject *object)
{
  KassaReaderTender *self = KASSA_READER_TENDER (object);

  g_ptr_array_unref (self->reader_ids);
  g_free (self->default_reader_id);
  g_free (self->status);

  G_OBJECT_CLASS (kassa_reader_tender_parent_class)->finalize (object);
}

static void
kassa_reader_tender_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  KassaReaderTender *self = KASSA_READER_TENDER (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      g_value_set_object (value, self->provider);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_reader_tender_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  KassaReaderTender *self = KASSA_READER_TENDER (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      self->provider = g_value_dup_object (value);
      if (self->provider != NULL)
        g_signal_connect_object (self->provider, "status-changed", G_CALLBACK (status_changed_cb), self, 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_reader_tender_class_init (KassaReaderTenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kassa_reader_tender_dispose;
  object_class->finalize = kassa_reader_tender_finalize;
  object_class->get_property = kassa_reader_tender_get_property;
  object_class->set_property = kassa_reader_tender_set_property;
  widget_class->map = kassa_reader_tender_map;
  widget_class->unroot = kassa_reader_tender_unroot;

  properties[PROP_PROVIDER] =
    g_param_spec_object ("provider", NULL, NULL, KASSA_TYPE_STRIPE_TERMINAL_PROVIDER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/kassapos/Kassa/ui/kassa-reader-tender.ui");
  gtk_widget_class_bind_template_child (widget_class, KassaReaderTender, reader_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KassaReaderTender, reader_names);
  gtk_widget_class_bind_template_child (widget_class, KassaReaderTender, status_label);
  gtk_widget_class_bind_template_child (widget_class, KassaReaderTender, start_button);
  gtk_widget_class_bind_template_child (widget_class, KassaReaderTender, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, start_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, selected_cb);
}

static void
kassa_reader_tender_init (KassaReaderTender *self)
{
  self->cancellable = g_cancellable_new ();
  self->reader_ids = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));
}

KassaReaderTender *
kassa_reader_tender_new (KassaPaymentDialog          *dialog,
                         KassaStripeTerminalProvider *provider,
                         const char                  *default_reader_id)
{
  KassaReaderTender *self;

  g_return_val_if_fail (KASSA_IS_PAYMENT_DIALOG (dialog), NULL);
  g_return_val_if_fail (KASSA_IS_STRIPE_TERMINAL_PROVIDER (provider), NULL);

  self = g_object_new (KASSA_TYPE_READER_TENDER, "provider", provider, NULL);
  self->dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialog);
  self->default_reader_id = g_strdup (default_reader_id);
  if (self->default_reader_id == NULL || self->default_reader_id[0] == '\0')
    self->default_reader_id = g_strdup (kassa_stripe_terminal_provider_get_reader_id (provider));

  update_sensitivity (self);
  announce (self, _("Looking for card readers…"), FALSE);
  kassa_stripe_terminal_provider_list_readers_async (provider, self->cancellable, readers_cb, g_object_ref (self));

  return self;
}

KassaStripeTerminalProvider *
kassa_reader_tender_get_provider (KassaReaderTender *self)
{
  g_return_val_if_fail (KASSA_IS_READER_TENDER (self), NULL);

  return self->provider;
}

gboolean
kassa_reader_tender_get_loaded (KassaReaderTender *self)
{
  g_return_val_if_fail (KASSA_IS_READER_TENDER (self), FALSE);

  return self->loaded;
}

const char *
kassa_reader_tender_get_reader_id (KassaReaderTender *self)
{
  guint selected;

  g_return_val_if_fail (KASSA_IS_READER_TENDER (self), NULL);

  selected = gtk_drop_down_get_selected (self->reader_dropdown);
  if (selected == GTK_INVALID_LIST_POSITION || selected >= self->reader_ids->len)
    return NULL;

  return g_ptr_array_index (self->reader_ids, selected);
}

void
kassa_reader_tender_start (KassaReaderTender *self)
{
  g_autoptr(KassaPaymentRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  const char *reader_id;
  gint64 amount;

  g_return_if_fail (KASSA_IS_READER_TENDER (self));

  if (self->running || self->dialog == NULL)
    return;

  reader_id = kassa_reader_tender_get_reader_id (self);
  if (reader_id == NULL)
    {
      announce (self, _("Choose a card reader first"), TRUE);
      return;
    }

  amount = kassa_payment_dialog_get_remaining (self->dialog, FALSE);
  request = kassa_qr_tender_build_request (kassa_payment_dialog_get_till (self->dialog), amount,
                                           KASSA_STRIPE_TERMINAL_PROVIDER_ID, &error);
  if (request == NULL)
    {
      announce (self, error->message, TRUE);
      return;
    }

  kassa_stripe_terminal_provider_set_reader_id (self->provider, reader_id);
  set_running (self, TRUE);
  announce (self, _("Sending the amount to the reader…"), FALSE);
  /* Through the shop, which stores the request's key against the cart
   * before it leaves. */
  kassa_shop_pay_cart_async (kassa_till_get_shop (kassa_payment_dialog_get_till (self->dialog)), KASSA_PAYMENT_PROVIDER (self->provider),
                             kassa_till_get_cart_id (kassa_payment_dialog_get_till (self->dialog)), request, self->cancellable,
                             start_cb, g_object_ref (self));
}

void
kassa_reader_tender_cancel (KassaReaderTender *self)
{
  g_return_if_fail (KASSA_IS_READER_TENDER (self));

  if (!self->running)
    return;

  /* The provider clears the reader's action and cancels the intent,
   * then finishes the start with "cancelled". */
  kassa_payment_provider_cancel (KASSA_PAYMENT_PROVIDER (self->provider));
}

gboolean
kassa_reader_tender_get_running (KassaReaderTender *self)
{
  g_return_val_if_fail (KASSA_IS_READER_TENDER (self), FALSE);

  return self->running;
}

const char *
kassa_reader_tender_get_status (KassaReaderTender *self)
{
  g_return_val_if_fail (KASSA_IS_READER_TENDER (self), NULL);

  return self->status != NULL ? self->status : "";
}
