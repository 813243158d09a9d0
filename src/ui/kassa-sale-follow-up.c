/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-sale-follow-up"

#include "config.h"

#include <glib/gi18n.h>

#include "kassa-mail.h"
#include "kassa-receipt-output.h"
#include "kassa-sale-follow-up.h"
#include "kassa-shop-print.h"
#include "kassa-window.h"

#define TOAST_DATA "kassa-sale-follow-up"

typedef struct
{
  KassaTill    *till;
  KassaOrder   *order;
  KassaReceipt *receipt;
} Sale;

static void
sale_free (gpointer data)
{
  Sale *sale = data;

  g_clear_object (&sale->till);
  g_clear_object (&sale->order);
  g_clear_object (&sale->receipt);
  g_free (sale);
}

static Sale *
sale_new (KassaTill    *till,
          KassaOrder   *order,
          KassaReceipt *receipt)
{
  Sale *sale = g_new0 (Sale, 1);

  sale->till = g_object_ref (till);
  sale->order = g_object_ref (order);
  sale->receipt = receipt != NULL ? g_object_ref (receipt) : NULL;
  return sale;
}

/* The main window's toasts; the payment dialog sits on top of it. */
static void
toast_in (GtkWindow  *window,
          const char *text)
{
  while (window != NULL && !KASSA_IS_WINDOW (window))
    window = gtk_window_get_transient_for (window);

  if (window == NULL)
    {
      g_message ("%s", text);
      return;
    }
  kassa_window_add_toast (KASSA_WINDOW (window), adw_toast_new (text));
}

/* Printing ---------------------------------------------------------------- */

static void
printed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GWeakRef *parent_ref = user_data;
  g_autoptr(GtkWindow) parent = g_weak_ref_get (parent_ref);
  g_autoptr(GError) error = NULL;

  if (!kassa_receipt_output_print_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_warning ("The receipt did not print: %s", error->message);
      toast_in (parent, error->message);
    }
  g_weak_ref_clear (parent_ref);
  g_free (parent_ref);
}

void
kassa_sale_follow_up_print (GtkWindow    *dialog,
                            GSettings    *settings,
                            KassaReceipt *receipt,
                            gboolean      open_drawer)
{
  GWeakRef *parent_ref;
  GtkWindow *parent;

  g_return_if_fail (dialog == NULL || GTK_IS_WINDOW (dialog));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (KASSA_IS_RECEIPT (receipt));

  /* The dialog closes for the next sale long before a slow printer
   * answers: report to the window below it. */
  parent = dialog != NULL ? gtk_window_get_transient_for (dialog) : NULL;
  parent_ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (parent_ref, parent != NULL ? parent : dialog);

  kassa_receipt_output_print_receipt_async (dialog, settings, receipt, open_drawer, NULL,
                                            printed_cb, parent_ref);
}

/* E-mail ------------------------------------------------------------------ */

typedef struct
{
  GWeakRef parent;
  char    *address;
} MailJob;

static void
mail_job_free (MailJob *job)
{
  g_weak_ref_clear (&job->parent);
  g_free (job->address);
  g_free (job);
}

static void
mailed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  MailJob *job = user_data;
  g_autoptr(GtkWindow) parent = g_weak_ref_get (&job->parent);
  g_autoptr(GError) error = NULL;
  g_autofree char *attachment = NULL;
  g_autofree char *text = NULL;
  KassaMailRoute route;

  if (kassa_mail_compose_finish (KASSA_MAIL (object), result, &route, &attachment, &error))
    {
      text = kassa_mail_describe_result (route, attachment);
      toast_in (parent, text);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_warning ("The receipt was not e-mailed: %s", error->message);
      toast_in (parent, error->message);
    }

  mail_job_free (job);
}

static void
send_receipt (GtkWindow  *parent,
              Sale       *sale,
              const char *address)
{
  g_autoptr(KassaReceipt) built = NULL;
  g_autoptr(GError) error = NULL;
  KassaReceipt *receipt = sale->receipt;
  MailJob *job;

  if (receipt == NULL)
    {
      built = kassa_shop_build_receipt (kassa_till_get_shop (sale->till), kassa_order_get_id (sale->order), &error);
      if (built == NULL)
        {
          toast_in (parent, error->message);
          return;
        }
      receipt = built;
    }

  job = g_new0 (MailJob, 1);
  g_weak_ref_init (&job->parent, parent);
  job->address = g_strdup (address);
  kassa_mail_send_receipt_async (kassa_mail_get_default (), parent, receipt, KASSA_RECEIPT_OUTPUT_PAPER,
                                 address, NULL, mailed_cb, job);
}

static void
address_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  Sale *sale = g_object_get_data (G_OBJECT (dialog), TOAST_DATA);
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *address = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (!g_str_equal (response, "send"))
    return;

  /* An empty address still opens the message: the mail program asks. */
  send_receipt (gtk_window_get_transient_for (GTK_WINDOW (dialog)), sale, address[0] != '\0' ? address : NULL);
}

static void
address_activate_cb (GtkEntry         *entry,
                     AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "send");
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
ask_address (GtkWindow *parent,
             Sale      *sale)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("E-mail Receipt"),
                                                       _("The customer has no e-mail address on file. Type the address to send the receipt to.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "send", _("_Send"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "send", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "send");
  adw_message_dialog_set_close_response (dialog, "cancel");

  entry = gtk_entry_new ();
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_EMAIL);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("name@example.com"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Customer e-mail address"),
                                  -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  g_signal_connect (entry, "activate", G_CALLBACK (address_activate_cb), dialog);

  g_object_set_data_full (G_OBJECT (dialog), TOAST_DATA,
                          sale_new (sale->till, sale->order, sale->receipt), sale_free);
  g_signal_connect (dialog, "response", G_CALLBACK (address_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
email (GtkWindow *parent,
       Sale      *sale)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;

  if (!kassa_shop_get_receipt_email (kassa_till_get_shop (sale->till), sale->order, &address, &error))
    {
      toast_in (parent, error->message);
      return;
    }

  if (address == NULL)
    ask_address (parent, sale);
  else
    send_receipt (parent, sale, address);
}

void
kassa_sale_follow_up_email (GtkWindow    *parent,
                            KassaTill    *till,
                            KassaOrder   *order,
                            KassaReceipt *receipt)
{
  Sale sale = { till, order, receipt };

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (KASSA_IS_TILL (till));
  g_return_if_fail (KASSA_IS_ORDER (order));
  g_return_if_fail (receipt == NULL || KASSA_IS_RECEIPT (receipt));

  email (parent, &sale);
}

/* The toast ----------------------------------------------------------------- */

static void
toast_button_clicked_cb (AdwToast *toast,
                         gpointer  user_data)
{
  Sale *sale = g_object_get_data (G_OBJECT (toast), TOAST_DATA);
  GtkWidget *overlay = user_data;
  GtkRoot *root = overlay != NULL ? gtk_widget_get_root (overlay) : NULL;

  email (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, sale);
}

AdwToast *
kassa_sale_follow_up_toast_new (KassaTill    *till,
                                KassaOrder   *order,
                                KassaReceipt *receipt,
                                const char   *title)
{
  AdwToast *toast;

  g_return_val_if_fail (KASSA_IS_TILL (till), NULL);
  g_return_val_if_fail (KASSA_IS_ORDER (order), NULL);
  g_return_val_if_fail (receipt == NULL || KASSA_IS_RECEIPT (receipt), NULL);
  g_return_val_if_fail (title != NULL, NULL);

  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("E-mail _Receipt"));
  /* Long enough to reach for the button after handing over the change. */
  adw_toast_set_timeout (toast, 10);
  g_object_set_data_full (G_OBJECT (toast), TOAST_DATA, sale_new (till, order, receipt), sale_free);
  return toast;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
dialog_gone_cb (GtkWindow *dialog,
                gpointer   user_data)
{
  AdwToast *toast = user_data;
  g_autoptr(AdwToastOverlay) overlay = g_weak_ref_get (g_object_get_data (G_OBJECT (toast), "kassa-overlay"));

  if (overlay != NULL)
    adw_toast_overlay_add_toast (overlay, g_object_ref (toast));
}

void
kassa_sale_follow_up_show_toast (AdwToastOverlay *overlay,
                                 AdwToast        *toast,
                                 GtkWindow       *dialog)
{
  GWeakRef *overlay_ref;

  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));
  g_return_if_fail (ADW_IS_TOAST (toast));
  g_return_if_fail (dialog == NULL || GTK_IS_WINDOW (dialog));

  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (toast_button_clicked_cb), overlay, 0);

  if (dialog == NULL || !gtk_widget_get_visible (GTK_WIDGET (dialog)))
    {
      adw_toast_overlay_add_toast (overlay, toast);
      return;
    }

  /* The toast waits with the dialog and goes up when it closes, so its
   * time does not run out behind the dialog. */
  overlay_ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (overlay_ref, overlay);
  g_object_set_data_full (G_OBJECT (toast), "kassa-overlay", overlay_ref, weak_ref_free);
  g_signal_connect_data (dialog, "destroy", G_CALLBACK (dialog_gone_cb), toast,
                         (GClosureNotify) (void (*) (void)) g_object_unref, 0);
}
