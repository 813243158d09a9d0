/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-qr-tender"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <qrencode.h>
#include <string.h>

#include "kassa-error.h"
#include "kassa-payment-error.h"
#include "kassa-qr-tender.h"

/* Big enough to scan from across the counter; the picture scales it. */
#define QR_MODULE_PIXELS 8
#define QR_QUIET_MODULES 4

struct _KassaQrTender
{
  KassaTender  parent_instance;

  char        *url;

  GtkPicture  *code_picture;
  GtkLabel    *status_label;
  GtkWidget   *start_button;
  GtkWidget   *cancel_button;
};

G_DEFINE_FINAL_TYPE (KassaQrTender, kassa_qr_tender, KASSA_TYPE_TENDER)

static void
announce (KassaQrTender *self,
          const char    *text,
          gboolean       is_error)
{
  kassa_tender_announce (KASSA_TENDER (self), text, is_error);
}

static void
show_code (KassaQrTender *self,
           const char    *url)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->url, g_free);
  if (url == NULL)
    {
      gtk_picture_set_paintable (self->code_picture, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->code_picture), FALSE);
      return;
    }

  texture = kassa_qr_tender_render_code (url, QR_MODULE_PIXELS, &error);
  if (texture == NULL)
    {
      g_warning ("No QR code: %s", error->message);
      announce (self, _("The payment page's address does not fit a QR code"), TRUE);
      return;
    }

  self->url = g_strdup (url);
  gtk_picture_set_paintable (self->code_picture, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (self->code_picture), TRUE);
}

static void
status_changed_cb (KassaPaymentProvider *provider,
                   KassaPaymentProgress  progress,
                   const char           *message,
                   const char           *url,
                   KassaQrTender        *self)
{
  if (!kassa_tender_get_running (KASSA_TENDER (self)))
    return;

  switch (progress)
    {
    case KASSA_PAYMENT_PROGRESS_SHOWING_CODE:
      if (url != NULL)
        show_code (self, url);
      announce (self, _("Waiting for the customer to scan the code and pay"), FALSE);
      break;
    case KASSA_PAYMENT_PROGRESS_SUCCEEDED:
      show_code (self, NULL);
      announce (self, _("Paid"), FALSE);
      break;
    case KASSA_PAYMENT_PROGRESS_FAILED:
      show_code (self, NULL);
      announce (self, message != NULL ? message : _("The payment failed"), TRUE);
      break;
    case KASSA_PAYMENT_PROGRESS_CANCELLED:
    case KASSA_PAYMENT_PROGRESS_CANCELLING:
      show_code (self, NULL);
      announce (self, message != NULL ? message : _("Cancelled"), FALSE);
      break;
    case KASSA_PAYMENT_PROGRESS_STARTING:
    case KASSA_PAYMENT_PROGRESS_WAITING_FOR_CUSTOMER:
    case KASSA_PAYMENT_PROGRESS_PROCESSING:
    case KASSA_PAYMENT_PROGRESS_CAPTURING:
    default:
      if (message != NULL)
        announce (self, message, FALSE);
      break;
    }
}

static void
kassa_qr_tender_finish (KassaTender        *tender,
                        KassaPaymentResult *result,
                        const GError       *error)
{
  KassaQrTender *self = KASSA_QR_TENDER (tender);
  g_autoptr(GError) record_error = NULL;
  const char *reference;

  show_code (self, NULL);

  if (result == NULL)
    {
      if (g_error_matches (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_CANCELLED))
        announce (self, _("The QR payment was cancelled or expired; nothing was paid and the sale is still in the cart"),
                  FALSE);
      else
        announce (self, error->message, TRUE);
      return;
    }

  /* A subscription's first payment has no intent of its own (its
   * invoice pays it): the subscription, else the session, identifies it. */
  reference = result->provider_reference;
  if (reference == NULL)
    reference = result->subscription_id;
  if (reference == NULL)
    reference = result->checkout_session_id;

  if (!kassa_tender_record_payment (tender, result, _("QR payment"), reference, &record_error))
    {
      /* The money is in at Stripe but the sale was not booked: say so
       * plainly, the cashier must sort it out (refund or try again). */
      g_autofree char *text = g_strdup_printf (_("Paid at Stripe, but the sale could not be completed: %s"),
                                               record_error->message);

      announce (self, text, TRUE);
    }
}

static void
start_clicked_cb (KassaQrTender *self)
{
  kassa_qr_tender_start (self);
}

static void
cancel_clicked_cb (KassaQrTender *self)
{
  kassa_qr_tender_cancel (self);
}

static void
kassa_qr_tender_map (GtkWidget *widget)
{
  KassaQrTender *self = KASSA_QR_TENDER (widget);

  GTK_WIDGET_CLASS (kassa_qr_tender_parent_class)->map (widget);

  gtk_widget_grab_focus (kassa_tender_get_running (KASSA_TENDER (self)) ? self->cancel_button : self->start_button);
}

static void
kassa_qr_tender_constructed (GObject *object)
{
  G_OBJECT_CLASS (kassa_qr_tender_parent_class)->constructed (object);

  g_signal_connect_object (kassa_tender_get_provider (KASSA_TENDER (object)), "status-changed",
                           G_CALLBACK (status_changed_cb), object, 0);
}

static void
kassa_qr_tender_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KASSA_TYPE_QR_TENDER);

  G_OBJECT_CLASS (kassa_qr_tender_parent_class)->dispose (object);
}

static void
kassa_qr_tender_finalize (GObject *object)
{
  KassaQrTender *self = KASSA_QR_TENDER (object);

  g_free (self->url);

  G_OBJECT_CLASS (kassa_qr_tender_parent_class)->finalize (object);
}

static void
kassa_qr_tender_class_init (KassaQrTenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KassaTenderClass *tender_class = KASSA_TENDER_CLASS (klass);

  object_class->constructed = kassa_qr_tender_constructed;
  object_class->dispose = kassa_qr_tender_dispose;
  object_class->finalize = kassa_qr_tender_finalize;
  widget_class->map = kassa_qr_tender_map;
  tender_class->finish = kassa_qr_tender_finish;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/kassapos/Kassa/ui/kassa-qr-tender.ui");
  gtk_widget_class_bind_template_child (widget_class, KassaQrTender, code_picture);
  gtk_widget_class_bind_template_child (widget_class, KassaQrTender, status_label);
  gtk_widget_class_bind_template_child (widget_class, KassaQrTender, start_button);
  gtk_widget_class_bind_template_child (widget_class, KassaQrTender, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, start_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
}

static void
kassa_qr_tender_init (KassaQrTender *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  kassa_tender_set_widgets (KASSA_TENDER (self), self->status_label, self->start_button, self->cancel_button);
}

KassaQrTender *
kassa_qr_tender_new (KassaPaymentDialog          *dialog,
                     KassaStripeCheckoutProvider *provider)
{
  KassaQrTender *self;

  g_return_val_if_fail (KASSA_IS_PAYMENT_DIALOG (dialog), NULL);
  g_return_val_if_fail (KASSA_IS_STRIPE_CHECKOUT_PROVIDER (provider), NULL);

  self = g_object_new (KASSA_TYPE_QR_TENDER, "provider", provider, NULL);
  kassa_tender_set_dialog (KASSA_TENDER (self), dialog);

  return self;
}

KassaStripeCheckoutProvider *
kassa_qr_tender_get_provider (KassaQrTender *self)
{
  g_return_val_if_fail (KASSA_IS_QR_TENDER (self), NULL);

  return KASSA_STRIPE_CHECKOUT_PROVIDER (kassa_tender_get_provider (KASSA_TENDER (self)));
}

void
kassa_qr_tender_start (KassaQrTender *self)
{
  g_autoptr(KassaPaymentRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  KassaPaymentDialog *dialog;

  g_return_if_fail (KASSA_IS_QR_TENDER (self));

  dialog = kassa_tender_get_dialog (KASSA_TENDER (self));
  if (kassa_tender_get_running (KASSA_TENDER (self)) || dialog == NULL)
    return;

  request = kassa_tender_build_request (kassa_payment_dialog_get_till (dialog),
                                        kassa_payment_dialog_get_remaining (dialog, FALSE),
                                        KASSA_STRIPE_CHECKOUT_PROVIDER_ID, &error);
  if (request == NULL)
    {
      announce (self, error->message, TRUE);
      return;
    }

  kassa_tender_pay (KASSA_TENDER (self), request);
  announce (self, _("Opening a payment page at Stripe…"), FALSE);
}

void
kassa_qr_tender_cancel (KassaQrTender *self)
{
  g_return_if_fail (KASSA_IS_QR_TENDER (self));

  /* The provider expires the session, so the code on screen stops
   * working, and finishes the start with "cancelled". */
  kassa_tender_cancel (KASSA_TENDER (self));
}

gboolean
kassa_qr_tender_get_running (KassaQrTender *self)
{
  g_return_val_if_fail (KASSA_IS_QR_TENDER (self), FALSE);

  return kassa_tender_get_running (KASSA_TENDER (self));
}

const char *
kassa_qr_tender_get_url (KassaQrTender *self)
{
  g_return_val_if_fail (KASSA_IS_QR_TENDER (self), NULL);

  return self->url;
}

const char *
kassa_qr_tender_get_status (KassaQrTender *self)
{
  g_return_val_if_fail (KASSA_IS_QR_TENDER (self), NULL);

  return kassa_tender_get_status (KASSA_TENDER (self));
}

GdkTexture *
kassa_qr_tender_render_code (const char  *text,
                             int          module_size,
                             GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  QRcode *code;
  guint8 *pixels;
  int modules;
  int side;
  GdkTexture *texture;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (module_size > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (code == NULL)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("Cannot make a QR code of this text: %s"),
                   g_strerror (errno));
      return NULL;
    }

  modules = code->width + 2 * QR_QUIET_MODULES;
  side = modules * module_size;
  /* One grey byte a pixel, white by default. */
  pixels = g_malloc (side * side);
  memset (pixels, 0xff, side * side);

  for (int y = 0; y < code->width; y++)
    for (int x = 0; x < code->width; x++)
      {
        /* The lowest bit of each module says whether it is dark. */
        if ((code->data[y * code->width + x] & 1) == 0)
          continue;

        for (int dy = 0; dy < module_size; dy++)
          memset (pixels + ((y + QR_QUIET_MODULES) * module_size + dy) * side + (x + QR_QUIET_MODULES) * module_size,
                  0x00, module_size);
      }

  QRcode_free (code);

  /* GTK 4.8 has no one-channel memory format: expand to RGB. */
  {
    guint8 *rgb = g_malloc ((gsize) side * side * 3);

    for (gsize i = 0; i < (gsize) side * side; i++)
      rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = pixels[i];
    g_free (pixels);
    bytes = g_bytes_new_take (rgb, (gsize) side * side * 3);
  }

  texture = gdk_memory_texture_new (side, side, GDK_MEMORY_R8G8B8, bytes, (gsize) side * 3);

  return texture;
}
