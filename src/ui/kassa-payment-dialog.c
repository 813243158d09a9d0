/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-payment-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "kassa-error.h"
#include "kassa-money.h"
#include "kassa-payment-dialog.h"
#include "kassa-shop-print.h"
#include "kassa-print-operation.h"
#include "kassa-receipt-output.h"
#include "kassa-sale-follow-up.h"
#include "kassa-qr-tender.h"
#include "kassa-reader-tender.h"
#include "kassa-shop-checkout.h"
#include "kassa-shop-providers.h"

/* The provider id of payments taken outside Kassa (a stand-alone card
 * terminal, a voucher), recorded with what the cashier typed. */
#define PROVIDER_OTHER "other"

/* How finely the receipt preview is drawn: about a screen's density. */
#define RECEIPT_PREVIEW_DOTS_PER_MM 5.0

struct _KassaPaymentDialog
{
  AdwWindow      parent_instance;

  KassaTill     *till;
  GPtrArray     *payments;
  gboolean       has_cash;
  gint64         tendered;
  gint64         change;
  KassaOrder    *order;
  KassaReceipt  *receipt;
  GSettings     *settings;
  GCancellable  *cancellable;

  GtkStack      *main_stack;
  GtkLabel      *due_label;
  GtkLabel      *paid_label;
  GtkStack      *tender_stack;
  GtkEntry      *tendered_entry;
  GtkBox        *quick_box;
  GtkLabel      *change_label;
  GtkWidget     *part_button;
  GtkEntry      *other_amount_entry;
  GtkEntry      *other_reference_entry;
  GtkLabel      *status_label;
  GtkLabel      *done_label;
  GtkLabel      *done_change_label;
  GtkWidget     *receipt_window;
  GtkPicture    *receipt_picture;
  GtkWidget     *done_button;
  GtkWidget     *cancel_button;
};

G_DEFINE_FINAL_TYPE (KassaPaymentDialog, kassa_payment_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_TILL,
  N_PROPS
};

enum {
  COMPLETED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
format_money (KassaPaymentDialog *self,
              gint64              amount)
{
  return kassa_money_format_display (kassa_till_get_currency (self->till), amount);
}

static gboolean
parse_money (KassaPaymentDialog  *self,
             const char          *text,
             gint64              *amount,
             GError             **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));

  /* People type either decimal mark. */
  g_strdelimit (copy, ",", '.');

  return kassa_money_parse (kassa_till_get_currency (self->till), copy, '.', amount, error);
}

/* GTK 4.8 cannot make a screen reader speak: the status label has the
 * status role and its text and description change together. */
static void
announce (KassaPaymentDialog *self,
          const char         *text,
          gboolean            is_error)
{
  gtk_label_set_label (self->status_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static gint64
paid (KassaPaymentDialog *self)
{
  gint64 sum = 0;

  for (guint i = 0; i < self->payments->len; i++)
    sum += kassa_payment_get_amount (g_ptr_array_index (self->payments, i));

  return sum;
}

static gint64
paid_in_cash (KassaPaymentDialog *self)
{
  gint64 sum = 0;

  for (guint i = 0; i < self->payments->len; i++)
    {
      KassaPayment *payment = g_ptr_array_index (self->payments, i);

      if (g_strcmp0 (kassa_payment_get_provider_id (payment), KASSA_PAYMENT_PROVIDER_CASH) == 0)
        sum += kassa_payment_get_amount (payment);
    }

  return sum;
}

static cairo_status_t
write_png_cb (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);

  return CAIRO_STATUS_SUCCESS;
}

static gboolean
cash_visible (KassaPaymentDialog *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->tender_stack), "cash") == 0;
}

static void quick_clicked_cb (GtkButton          *button,
                              KassaPaymentDialog *self);

/* The exact amount and the next notes above it. */
static void
update_quick_notes (KassaPaymentDialog *self,
                    gint64              remaining)
{
  static const gint64 notes[] = { 5, 10, 20, 50, 100, 200 };
  gint64 scale = kassa_currency_get_scale (kassa_till_get_currency (self->till));
  gint64 last = remaining;
  GtkWidget *child;
  guint n_buttons = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->quick_box))) != NULL)
    gtk_box_remove (self->quick_box, child);

  for (int i = -1; i < (int) G_N_ELEMENTS (notes) && n_buttons < 5; i++)
    {
      g_autofree char *text = NULL;
      g_autofree char *accessible = NULL;
      GtkWidget *button;
      gint64 amount;

      if (i < 0)
        amount = remaining;
      else
        {
          gint64 note = notes[i] * scale;

          amount = (remaining + note - 1) / note * note;
          if (amount <= last)
            continue;
        }

      if (amount <= 0)
        continue;

      last = amount;
      text = format_money (self, amount);
      button = gtk_button_new_with_label (i < 0 ? _("Exact") : text);
      /* Translators: a button paying with a given amount of cash */
      accessible = g_strdup_printf (_("Tendered %s"), text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      g_object_set_data_full (G_OBJECT (button), "kassa-amount", g_memdup2 (&amount, sizeof amount), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (quick_clicked_cb), self);
      gtk_box_append (self->quick_box, button);
      n_buttons++;
    }
}

static void
update_due (KassaPaymentDialog *self)
{
  gint64 remaining = kassa_payment_dialog_get_remaining (self, cash_visible (self));
  g_autofree char *due = format_money (self, remaining);
  g_autofree char *description = NULL;
  gint64 already = paid (self);

  gtk_label_set_label (self->due_label, due);
  description = g_strdup_printf (_("Amount due %s"), due);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->due_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);

  gtk_widget_set_visible (GTK_WIDGET (self->paid_label), already > 0);
  if (already > 0)
    {
      g_autofree char *paid_text = format_money (self, already);
      /* Translators: in a split payment, the amount paid so far */
      g_autofree char *text = g_strdup_printf (_("%s paid so far"), paid_text);

      gtk_label_set_label (self->paid_label, text);
    }

  update_quick_notes (self, kassa_payment_dialog_get_remaining (self, TRUE));
}

static void
print_dialog_done_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!kassa_print_operation_print_finish (KASSA_PRINT_OPERATION (object), result, NULL, &error))
    g_warning ("The receipt did not print: %s", error->message);
}

static void
print_receipt_clicked_cb (KassaPaymentDialog *self)
{
  g_autoptr(KassaPrintOperation) operation = NULL;

  g_return_if_fail (self->receipt != NULL);

  operation = kassa_print_operation_new_for_receipt (self->receipt, KASSA_RECEIPT_OUTPUT_PAPER);
  kassa_print_operation_print_async (operation, GTK_WINDOW (self), NULL, print_dialog_done_cb, NULL);
}

static void
show_receipt (KassaPaymentDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  cairo_surface_t *surface;
  GtkWidget *print_button;

  surface = kassa_receipt_render_image (self->receipt, KASSA_RECEIPT_OUTPUT_PAPER, RECEIPT_PREVIEW_DOTS_PER_MM, &error);
  if (surface == NULL)
    {
      g_warning ("No receipt preview: %s", error->message);
      return;
    }

  cairo_surface_write_to_png_stream (surface, write_png_cb, png);
  cairo_surface_destroy (surface);

  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&png));
  texture = gdk_texture_new_from_bytes (bytes, &error);
  if (texture == NULL)
    {
      g_warning ("No receipt preview: %s", error->message);
      return;
    }

  gtk_picture_set_paintable (self->receipt_picture, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (self->receipt_window, TRUE);

  /* Under the preview: the receipt on a printer with a driver, through
   * the print dialog and its own preview. */
  print_button = gtk_button_new_with_mnemonic (_("_Print…"));
  gtk_widget_set_name (print_button, "receipt-print-button");
  gtk_widget_set_halign (print_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (print_button, "pill");
  g_signal_connect_object (print_button, "clicked", G_CALLBACK (print_receipt_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (self->receipt_window)), print_button,
                              self->receipt_window);
}

static void
completed (KassaPaymentDialog *self)
{
  g_autofree char *title = NULL;
  g_autofree char *change = format_money (self, self->change);
  g_autofree char *description = NULL;
  g_autofree char *action = g_settings_get_string (self->settings, "receipt-action");

  /* Translators: %s is the number of the sale just completed */
  title = g_strdup_printf (_("Sale %s complete"), kassa_order_get_number (self->order));
  gtk_label_set_label (self->done_label, title);
  gtk_label_set_label (self->done_change_label, change);
  description = g_strdup_printf (_("%s. Change %s"), title, change);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->done_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);

  if (g_strcmp0 (action, "none") != 0)
    {
      g_autoptr(GError) error = NULL;

      self->receipt = kassa_till_build_receipt (self->till, self->order, self->tendered, self->change, &error);
      if (self->receipt == NULL)
        g_warning ("No receipt: %s", error->message);
    }

  /* "print" goes to the thermal printer, pulsing the drawer for cash,
   * or to the print dialog when no thermal printer is set up. */
  if (self->receipt != NULL && g_str_equal (action, "preview"))
    show_receipt (self);
  else if (self->receipt != NULL && g_str_equal (action, "print"))
    {
      g_autoptr(GError) local_error = NULL;

      /* So a later print of this receipt says DUPLICATE. */
      if (!kassa_shop_record_receipt_printed (kassa_till_get_shop (self->till),
                                              kassa_order_get_id (self->order), &local_error))
        g_warning ("The receipt print was not recorded: %s", local_error->message);
      kassa_sale_follow_up_print (GTK_WINDOW (self), self->settings, self->receipt, self->has_cash);
    }

  /* Nothing is left to cancel: Escape and Enter both go on. */
  gtk_widget_set_visible (self->cancel_button, FALSE);
  gtk_stack_set_visible_child_name (self->main_stack, "done");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "payment.cancel", TRUE);
  gtk_widget_grab_focus (self->done_button);

  g_signal_emit (self, signals[COMPLETED], 0, self->order);
}

static gboolean
take_cash (KassaPaymentDialog *self,
           gint64              tendered,
           gboolean            part)
{
  g_autoptr(KassaPayment) payment = NULL;
  g_autoptr(GError) error = NULL;
  gint64 remaining = kassa_payment_dialog_get_remaining (self, TRUE);

  if (tendered <= 0)
    {
      announce (self, _("Type the cash handed over"), TRUE);
      return FALSE;
    }

  if (tendered < remaining && !part)
    {
      g_autofree char *short_by = format_money (self, remaining - tendered);
      g_autofree char *text = g_strdup_printf (_("Short by %s. Take it as a part payment to pay the rest another way."),
                                               short_by);

      announce (self, text, TRUE);
      return FALSE;
    }

  payment = kassa_payment_new ();
  kassa_payment_set_provider_id (payment, KASSA_PAYMENT_PROVIDER_CASH);
  kassa_payment_set_method_label (payment, _("Cash"));
  kassa_payment_set_amount (payment, MIN (tendered, remaining));

  self->tendered += tendered;
  if (!kassa_payment_dialog_add_payment (self, payment, &error))
    {
      self->tendered -= tendered;
      announce (self, error->message, TRUE);
      return FALSE;
    }

  if (self->order != NULL)
    return TRUE;

  gtk_editable_set_text (GTK_EDITABLE (self->tendered_entry), "");
  {
    g_autofree char *amount = format_money (self, tendered);
    g_autofree char *text = g_strdup_printf (_("%s in cash taken"), amount);

    announce (self, text, FALSE);
  }

  return TRUE;
}

static void
quick_clicked_cb (GtkButton          *button,
                  KassaPaymentDialog *self)
{
  gint64 *amount = g_object_get_data (G_OBJECT (button), "kassa-amount");

  take_cash (self, *amount, FALSE);
}

static gboolean
read_tendered (KassaPaymentDialog *self,
               gint64             *tendered)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->tendered_entry));
  g_autoptr(GError) error = NULL;

  if (text[0] == '\0')
    {
      *tendered = kassa_payment_dialog_get_remaining (self, TRUE);
      return TRUE;
    }

  if (!parse_money (self, text, tendered, &error))
    {
      announce (self, error->message, TRUE);
      return FALSE;
    }

  return TRUE;
}

static void
tendered_activate_cb (KassaPaymentDialog *self)
{
  gint64 tendered;

  if (read_tendered (self, &tendered))
    take_cash (self, tendered, FALSE);
}

static void
cash_clicked_cb (KassaPaymentDialog *self)
{
  tendered_activate_cb (self);
}

static void
part_clicked_cb (KassaPaymentDialog *self)
{
  gint64 tendered;

  if (read_tendered (self, &tendered))
    take_cash (self, tendered, TRUE);
}

static void
tendered_changed_cb (KassaPaymentDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->tendered_entry));
  gint64 remaining = kassa_payment_dialog_get_remaining (self, TRUE);
  gint64 tendered;

  if (text[0] != '\0' && parse_money (self, text, &tendered, NULL) && tendered >= remaining)
    {
      g_autofree char *change = format_money (self, tendered - remaining);

      gtk_label_set_label (self->change_label, change);
    }
  else
    gtk_label_set_label (self->change_label, "—");
}

static void
other_activate_cb (KassaPaymentDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->other_amount_entry));
  const char *reference = gtk_editable_get_text (GTK_EDITABLE (self->other_reference_entry));
  g_autoptr(KassaPayment) payment = NULL;
  g_autoptr(GError) error = NULL;
  gint64 amount;

  if (text[0] == '\0')
    amount = kassa_payment_dialog_get_remaining (self, FALSE);
  else if (!parse_money (self, text, &amount, &error))
    {
      announce (self, error->message, TRUE);
      return;
    }

  payment = kassa_payment_new ();
  kassa_payment_set_provider_id (payment, PROVIDER_OTHER);
  kassa_payment_set_method_label (payment, _("Other"));
  kassa_payment_set_amount (payment, amount);
  if (reference[0] != '\0')
    kassa_payment_set_reference (payment, reference);

  if (!kassa_payment_dialog_add_payment (self, payment, &error))
    {
      announce (self, error->message, TRUE);
      return;
    }

  if (self->order == NULL)
    {
      g_autofree char *amount_text = format_money (self, amount);
      g_autofree char *announcement = g_strdup_printf (_("%s recorded"), amount_text);

      gtk_editable_set_text (GTK_EDITABLE (self->other_amount_entry), "");
      gtk_editable_set_text (GTK_EDITABLE (self->other_reference_entry), "");
      announce (self, announcement, FALSE);
    }
}

static void
tender_changed_cb (KassaPaymentDialog *self)
{
  if (self->till == NULL)
    return;

  update_due (self);

  if (cash_visible (self))
    gtk_widget_grab_focus (GTK_WIDGET (self->tendered_entry));
  else if (g_strcmp0 (gtk_stack_get_visible_child_name (self->tender_stack), "other") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->other_amount_entry));
}

static gboolean
close_idle_cb (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));

  return G_SOURCE_REMOVE;
}

static void
cancel_response_cb (AdwMessageDialog   *question,
                    const char         *response,
                    KassaPaymentDialog *self)
{
  /* Not while the question is still answering: closing this window
   * takes the question with it. */
  if (g_strcmp0 (response, "cancel-payment") == 0)
    g_idle_add_full (G_PRIORITY_DEFAULT, close_idle_cb, g_object_ref (self), g_object_unref);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KassaPaymentDialog *self = KASSA_PAYMENT_DIALOG (widget);
  g_autofree char *taken = NULL;
  AdwMessageDialog *question;

  if (self->order != NULL || self->payments->len == 0)
    {
      gtk_window_close (GTK_WINDOW (widget));
      return;
    }

  /* Part of a split tender is already in the drawer or on a card: the
   * cashier must hand it back, and should not forget. */
  taken = format_money (self, paid (self));
  question = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Cancel the Payment?"), NULL));
  adw_message_dialog_format_body (question, _("%s was already taken. Give it back to the customer; the sale "
                                              "stays in the cart."), taken);
  adw_message_dialog_add_responses (question,
                                    "keep", _("_Keep Paying"),
                                    "cancel-payment", _("_Cancel Payment"),
                                    NULL);
  adw_message_dialog_set_response_appearance (question, "cancel-payment", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (question, "keep");
  adw_message_dialog_set_close_response (question, "keep");
  g_signal_connect_object (question, "response", G_CALLBACK (cancel_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (question));
}

/* The Stripe tenders come with the providers the shop builds; without
 * a key the dialog says so once, under the tenders it has. */
static void
providers_cb (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(KassaPaymentDialog) self = user_data;
  g_autoptr(GPtrArray) providers = NULL;
  g_autoptr(GError) stripe_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reader_id = NULL;
  gboolean has_stripe = FALSE;

  providers = kassa_shop_list_payment_providers_finish (KASSA_SHOP (object), res, &stripe_error, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->till == NULL)
    return;
  if (providers == NULL)
    g_warning ("No payment providers: %s", error->message);

  reader_id = g_settings_get_string (self->settings, "stripe-reader-id");
  for (guint i = 0; providers != NULL && i < providers->len; i++)
    {
      gpointer provider = g_ptr_array_index (providers, i);

      if (KASSA_IS_STRIPE_CHECKOUT_PROVIDER (provider))
        {
          kassa_payment_dialog_add_tender (self, "stripe-qr", _("QR Code"),
                                           GTK_WIDGET (kassa_qr_tender_new (self, provider)));
          has_stripe = TRUE;
        }
      else if (KASSA_IS_STRIPE_TERMINAL_PROVIDER (provider))
        {
          kassa_payment_dialog_add_tender (self, "card-reader", _("Card Reader"),
                                           GTK_WIDGET (kassa_reader_tender_new (self, provider, reader_id)));
          has_stripe = TRUE;
        }
    }

  if (!has_stripe)
    {
      GtkWidget *hint = gtk_label_new (_("Stripe is not set up: QR code and card reader payments need a Stripe key "
                                         "in Preferences."));

      if (stripe_error != NULL)
        g_debug ("No Stripe tenders: %s", stripe_error->message);
      gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
      gtk_widget_add_css_class (hint, "dim-label");
      gtk_widget_set_name (hint, "stripe-hint");
      gtk_widget_insert_after (hint, gtk_widget_get_parent (GTK_WIDGET (self->tender_stack)),
                               GTK_WIDGET (self->tender_stack));
    }
}

static void
kassa_payment_dialog_constructed (GObject *object)
{
  KassaPaymentDialog *self = KASSA_PAYMENT_DIALOG (object);
  g_autofree char *reader_id = NULL;

  G_OBJECT_CLASS (kassa_payment_dialog_parent_class)->constructed (object);

  update_due (self);
  tendered_changed_cb (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->tendered_entry));

  reader_id = g_settings_get_string (self->settings, "stripe-reader-id");
  kassa_shop_list_payment_providers_async (kassa_till_get_shop (self->till), reader_id, 0, self->cancellable,
                                           providers_cb, g_object_ref (self));
}

static void
kassa_payment_dialog_dispose (GObject *object)
{
  KassaPaymentDialog *self = KASSA_PAYMENT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), KASSA_TYPE_PAYMENT_DIALOG);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->till);
  g_clear_object (&self->order);
  g_clear_object (&self->receipt);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->payments, g_ptr_array_unref);

  G_OBJECT_CLASS (kassa_payment_dialog_parent_class)->dispose (object);
}

static void
kassa_payment_dialog_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  KassaPaymentDialog *self = KASSA_PAYMENT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_TILL:
      g_value_set_object (value, self->till);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_payment_dialog_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  KassaPaymentDialog *self = KASSA_PAYMENT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_TILL:
      self->till = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_payment_dialog_class_init (KassaPaymentDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = kassa_payment_dialog_constructed;
  object_class->dispose = kassa_payment_dialog_dispose;
  object_class->get_property = kassa_payment_dialog_get_property;
  object_class->set_property = kassa_payment_dialog_set_property;

  properties[PROP_TILL] =
    g_param_spec_object ("till", NULL, NULL, KASSA_TYPE_TILL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KassaPaymentDialog::completed:
   * @order: the stored order
   *
   * The sale went through; the till already has a new cart.
   */
  signals[COMPLETED] =
    g_signal_new ("completed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, KASSA_TYPE_ORDER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kassapos/Kassa/ui/kassa-payment-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KassaPaymentDialog, main_stack);
  gtk_widget_class_bind_template_child (widget_class, KassaPaymentDialog, due_label);
  gtk_widget_class_bind_template_child (widget_class, KassaPaymentDialog, paid_label);
  gtk_widget_class_bind_template_child (widget_class, KassaPaymentDialog, tender_stack);
  gtk_widget_class_bind_template_child (widget_class, KassaPaymentDialog, tendered_entry);
  gtk_widget_class_bind_template_child (widget_class, KassaPaymentDialog, quick_box);
  gtk_widget_class_bind_template_child (widget_class, KassaPaymentDialog, change_label);
  gtk_widget_class_bind_template_child (widget_class, KassaPaymentDialog, part_button);
  gtk_widget_class_bind_template_child (widget_class, KassaPaymentDialog, other_amount_entry);
  gtk_widget_class_bind_template_child (widget_class, KassaPaymentDialog, other_reference_entry);
  gtk_widget_class_bind_template_child (widget_class, KassaPaymentDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, KassaPaymentDialog, done_label);
  gtk_widget_class_bind_template_child (widget_class, KassaPaymentDialog, done_change_label);
  gtk_widget_class_bind_template_child (widget_class, KassaPaymentDialog, receipt_window);
  gtk_widget_class_bind_template_child (widget_class, KassaPaymentDialog, receipt_picture);
  gtk_widget_class_bind_template_child (widget_class, KassaPaymentDialog, done_button);
  gtk_widget_class_bind_template_child (widget_class, KassaPaymentDialog, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, tendered_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, tendered_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, cash_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, part_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, other_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, tender_changed_cb);

  gtk_widget_class_install_action (widget_class, "payment.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "payment.cancel", NULL);
}

static void
kassa_payment_dialog_init (KassaPaymentDialog *self)
{
  self->payments = g_ptr_array_new_with_free_func (g_object_unref);
  self->settings = g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

KassaPaymentDialog *
kassa_payment_dialog_new (KassaTill *till)
{
  g_return_val_if_fail (KASSA_IS_TILL (till), NULL);

  return g_object_new (KASSA_TYPE_PAYMENT_DIALOG, "till", till, NULL);
}

KassaTill *
kassa_payment_dialog_get_till (KassaPaymentDialog *self)
{
  g_return_val_if_fail (KASSA_IS_PAYMENT_DIALOG (self), NULL);

  return self->till;
}

void
kassa_payment_dialog_add_tender (KassaPaymentDialog *self,
                                 const char         *name,
                                 const char         *title,
                                 GtkWidget          *page)
{
  g_return_if_fail (KASSA_IS_PAYMENT_DIALOG (self));
  g_return_if_fail (name != NULL && title != NULL);
  g_return_if_fail (GTK_IS_WIDGET (page));

  gtk_stack_add_titled (self->tender_stack, page, name, title);
}

gint64
kassa_payment_dialog_get_remaining (KassaPaymentDialog *self,
                                    gboolean            cash)
{
  g_autoptr(GError) error = NULL;
  gint64 due = 0;

  g_return_val_if_fail (KASSA_IS_PAYMENT_DIALOG (self), 0);

  if (self->order != NULL)
    return 0;

  /* Once any cash is in, the sale is a cash sale and rounds as one. */
  if (!kassa_till_compute_amount_due (self->till, cash || self->has_cash, &due, &error))
    {
      g_warning ("No amount due: %s", error->message);
      return 0;
    }

  return due - paid (self);
}

gboolean
kassa_payment_dialog_add_payment (KassaPaymentDialog  *self,
                                  KassaPayment        *payment,
                                  GError             **error)
{
  gboolean cash;
  gboolean had_cash;
  gint64 remaining;
  KassaOrder *order;

  g_return_val_if_fail (KASSA_IS_PAYMENT_DIALOG (self), FALSE);
  g_return_val_if_fail (KASSA_IS_PAYMENT (payment), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->order != NULL)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("This sale is already paid"));
      return FALSE;
    }

  cash = g_strcmp0 (kassa_payment_get_provider_id (payment), KASSA_PAYMENT_PROVIDER_CASH) == 0;
  remaining = kassa_payment_dialog_get_remaining (self, cash);
  if (kassa_payment_get_amount (payment) <= 0 || kassa_payment_get_amount (payment) > remaining)
    {
      g_autofree char *remaining_text = format_money (self, remaining);

      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("A payment must be more than zero and at most the %s still due"), remaining_text);
      return FALSE;
    }

  had_cash = self->has_cash;
  self->has_cash = self->has_cash || cash;
  g_ptr_array_add (self->payments, g_object_ref (payment));

  if (kassa_payment_get_amount (payment) < remaining)
    {
      update_due (self);
      return TRUE;
    }

  order = kassa_till_complete (self->till, self->payments, error);
  if (order == NULL)
    {
      /* Nothing was written: the cart and the earlier tenders stay. */
      g_ptr_array_remove_index (self->payments, self->payments->len - 1);
      self->has_cash = had_cash;
      update_due (self);
      return FALSE;
    }

  self->order = order;
  /* Cash taken without a note typed in was handed over exactly. */
  self->tendered = MAX (self->tendered, paid_in_cash (self));
  self->change = self->tendered - paid_in_cash (self);
  completed (self);

  return TRUE;
}

KassaOrder *
kassa_payment_dialog_get_order (KassaPaymentDialog *self)
{
  g_return_val_if_fail (KASSA_IS_PAYMENT_DIALOG (self), NULL);

  return self->order;
}

gint64
kassa_payment_dialog_get_change (KassaPaymentDialog *self)
{
  g_return_val_if_fail (KASSA_IS_PAYMENT_DIALOG (self), 0);

  return self->change;
}

KassaReceipt *
kassa_payment_dialog_get_receipt (KassaPaymentDialog *self)
{
  g_return_val_if_fail (KASSA_IS_PAYMENT_DIALOG (self), NULL);
  return self->receipt;
}
