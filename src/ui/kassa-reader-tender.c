/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-reader-tender"

#include "config.h"

#include <glib/gi18n.h>

#include "kassa-payment-error.h"
#include "kassa-reader-tender.h"

struct _KassaReaderTender
{
  KassaTender    parent_instance;

  GPtrArray     *reader_ids;
  char          *default_reader_id;
  gboolean       loaded;

  GtkDropDown   *reader_dropdown;
  GtkStringList *reader_names;
  GtkLabel      *status_label;
  GtkWidget     *start_button;
  GtkWidget     *cancel_button;
};

G_DEFINE_FINAL_TYPE (KassaReaderTender, kassa_reader_tender, KASSA_TYPE_TENDER)

static void
announce (KassaReaderTender *self,
          const char        *text,
          gboolean           is_error)
{
  kassa_tender_announce (KASSA_TENDER (self), text, is_error);
}

static KassaStripeTerminalProvider *
get_provider (KassaReaderTender *self)
{
  return KASSA_STRIPE_TERMINAL_PROVIDER (kassa_tender_get_provider (KASSA_TENDER (self)));
}

static void
kassa_reader_tender_update (KassaTender *tender)
{
  KassaReaderTender *self = KASSA_READER_TENDER (tender);
  gboolean running = kassa_tender_get_running (tender);

  KASSA_TENDER_CLASS (kassa_reader_tender_parent_class)->update (tender);

  gtk_widget_set_sensitive (self->start_button, kassa_reader_tender_get_reader_id (self) != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reader_dropdown), !running && self->reader_ids->len > 0);
}

static void
status_changed_cb (KassaPaymentProvider *provider,
                   KassaPaymentProgress  progress,
                   const char           *message,
                   const char           *url,
                   KassaReaderTender    *self)
{
  if (!kassa_tender_get_running (KASSA_TENDER (self)) || message == NULL)
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
      kassa_reader_tender_update (KASSA_TENDER (self));
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

  kassa_reader_tender_update (KASSA_TENDER (self));
}

static void
selected_cb (KassaReaderTender *self)
{
  const char *id = kassa_reader_tender_get_reader_id (self);

  if (id != NULL && !kassa_tender_get_running (KASSA_TENDER (self)))
    kassa_stripe_terminal_provider_set_reader_id (get_provider (self), id);
  kassa_reader_tender_update (KASSA_TENDER (self));
}

static void
kassa_reader_tender_finish (KassaTender        *tender,
                            KassaPaymentResult *result,
                            const GError       *error)
{
  KassaReaderTender *self = KASSA_READER_TENDER (tender);
  g_autoptr(GError) record_error = NULL;

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

  if (!kassa_tender_record_payment (tender, result, _("Card"), result->provider_reference, &record_error))
    {
      g_autofree char *text = g_strdup_printf (_("Charged, but the sale could not be completed: %s"),
                                               record_error->message);

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

  if (kassa_tender_get_running (KASSA_TENDER (self)))
    gtk_widget_grab_focus (self->cancel_button);
  else if (gtk_widget_get_sensitive (self->start_button))
    gtk_widget_grab_focus (self->start_button);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->reader_dropdown));
}

static void
kassa_reader_tender_constructed (GObject *object)
{
  G_OBJECT_CLASS (kassa_reader_tender_parent_class)->constructed (object);

  g_signal_connect_object (kassa_tender_get_provider (KASSA_TENDER (object)), "status-changed",
                           G_CALLBACK (status_changed_cb), object, 0);
}

static void
kassa_reader_tender_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KASSA_TYPE_READER_TENDER);

  G_OBJECT_CLASS (kassa_reader_tender_parent_class)->dispose (object);
}

static void
kassa_reader_tender_finalize (GObject *object)
{
  KassaReaderTender *self = KASSA_READER_TENDER (object);

  g_ptr_array_unref (self->reader_ids);
  g_free (self->default_reader_id);

  G_OBJECT_CLASS (kassa_reader_tender_parent_class)->finalize (object);
}

static void
kassa_reader_tender_class_init (KassaReaderTenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KassaTenderClass *tender_class = KASSA_TENDER_CLASS (klass);

  object_class->constructed = kassa_reader_tender_constructed;
  object_class->dispose = kassa_reader_tender_dispose;
  object_class->finalize = kassa_reader_tender_finalize;
  widget_class->map = kassa_reader_tender_map;
  tender_class->update = kassa_reader_tender_update;
  tender_class->finish = kassa_reader_tender_finish;

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
  self->reader_ids = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));
  kassa_tender_set_widgets (KASSA_TENDER (self), self->status_label, self->start_button, self->cancel_button);
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
  kassa_tender_set_dialog (KASSA_TENDER (self), dialog);
  self->default_reader_id = g_strdup (default_reader_id);
  if (self->default_reader_id == NULL || self->default_reader_id[0] == '\0')
    self->default_reader_id = g_strdup (kassa_stripe_terminal_provider_get_reader_id (provider));

  kassa_reader_tender_update (KASSA_TENDER (self));
  announce (self, _("Looking for card readers…"), FALSE);
  kassa_stripe_terminal_provider_list_readers_async (provider, kassa_tender_get_cancellable (KASSA_TENDER (self)),
                                                     readers_cb, g_object_ref (self));

  return self;
}

KassaStripeTerminalProvider *
kassa_reader_tender_get_provider (KassaReaderTender *self)
{
  g_return_val_if_fail (KASSA_IS_READER_TENDER (self), NULL);

  return get_provider (self);
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
  KassaPaymentDialog *dialog;
  const char *reader_id;

  g_return_if_fail (KASSA_IS_READER_TENDER (self));

  dialog = kassa_tender_get_dialog (KASSA_TENDER (self));
  if (kassa_tender_get_running (KASSA_TENDER (self)) || dialog == NULL)
    return;

  reader_id = kassa_reader_tender_get_reader_id (self);
  if (reader_id == NULL)
    {
      announce (self, _("Choose a card reader first"), TRUE);
      return;
    }

  request = kassa_tender_build_request (kassa_payment_dialog_get_till (dialog),
                                        kassa_payment_dialog_get_remaining (dialog, FALSE),
                                        KASSA_STRIPE_TERMINAL_PROVIDER_ID, &error);
  if (request == NULL)
    {
      announce (self, error->message, TRUE);
      return;
    }

  kassa_stripe_terminal_provider_set_reader_id (get_provider (self), reader_id);
  kassa_tender_pay (KASSA_TENDER (self), request);
  announce (self, _("Sending the amount to the reader…"), FALSE);
}

void
kassa_reader_tender_cancel (KassaReaderTender *self)
{
  g_return_if_fail (KASSA_IS_READER_TENDER (self));

  /* The provider clears the reader's action and cancels the intent,
   * then finishes the start with "cancelled". */
  kassa_tender_cancel (KASSA_TENDER (self));
}

gboolean
kassa_reader_tender_get_running (KassaReaderTender *self)
{
  g_return_val_if_fail (KASSA_IS_READER_TENDER (self), FALSE);

  return kassa_tender_get_running (KASSA_TENDER (self));
}

const char *
kassa_reader_tender_get_status (KassaReaderTender *self)
{
  g_return_val_if_fail (KASSA_IS_READER_TENDER (self), NULL);

  return kassa_tender_get_status (KASSA_TENDER (self));
}
