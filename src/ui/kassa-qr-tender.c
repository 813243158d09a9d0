/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-qr-tender"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <qrencode.h>
#include <string.h>

#include "kassa-error.h"
#include "kassa-money.h"
#include "kassa-payment-error.h"
#include "kassa-qr-tender.h"
#include "kassa-shop-payments.h"
#include "kassa-stripe-client.h"

/* Big enough to scan from across the counter; the picture scales it. */
#define QR_MODULE_PIXELS 8
#define QR_QUIET_MODULES 4

struct _KassaQrTender
{
  AdwBin                       parent_instance;

  KassaPaymentDialog          *dialog;   /* weak: it owns this page */
  KassaStripeCheckoutProvider *provider;
  GCancellable                *cancellable;
  char                        *url;
  char                        *status;
  gint64                       amount;
  gboolean                     running;

  GtkPicture                  *code_picture;
  GtkLabel                    *status_label;
  GtkWidget                   *start_button;
  GtkWidget                   *cancel_button;
};

G_DEFINE_FINAL_TYPE (KassaQrTender, kassa_qr_tender, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PROVIDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The dialog's way: GTK 4.8 cannot make a screen reader speak, so the
 * status label has the status role and its description follows it. */
static void
announce (KassaQrTender *self,
          const char    *text,
          gboolean       is_error)
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
set_running (KassaQrTender *self,
             gboolean       running)
{
  self->running = running;
  gtk_widget_set_visible (self->start_button, !running);
  gtk_widget_set_visible (self->cancel_button, running);
  if (running)
    gtk_widget_grab_focus (self->cancel_button);
  else if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (self->start_button);
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
  if (!self->running)
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
start_cb (GObject      *object,
          GAsyncResult *res,
          gpointer      user_data)
{
  g_autoptr(KassaQrTender) self = user_data;
  g_autoptr(KassaPaymentResult) result = NULL;
  g_autoptr(KassaPayment) payment = NULL;
  g_autoptr(GError) error = NULL;
  const char *reference;

  result = kassa_shop_pay_cart_finish (KASSA_SHOP (object), res, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->dialog == NULL)
    return;

  set_running (self, FALSE);
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

  payment = kassa_payment_new ();
  kassa_payment_set_provider_id (payment, result->provider_id);
  kassa_payment_set_amount (payment, result->amount);
  kassa_payment_set_currency_code (payment, result->currency_code);
  kassa_payment_set_method_label (payment, result->method_label != NULL ? result->method_label : _("QR payment"));
  kassa_payment_set_reference (payment, reference);
  if (result->paid_at != NULL)
    kassa_payment_set_paid_at (payment, result->paid_at);

  if (!kassa_payment_dialog_add_payment (self->dialog, payment, &error))
    {
      /* The money is in at Stripe but the sale was not booked: say so
       * plainly, the cashier must sort it out (refund or try again). */
      g_autofree char *text = g_strdup_printf (_("Paid at Stripe, but the sale could not be completed: %s"),
                                               error->message);

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

  gtk_widget_grab_focus (self->running ? self->cancel_button : self->start_button);
}

/* The dialog going away does not dispose this page while the start's
 * callback still holds it: leaving the window is when a payment in
 * progress must be withdrawn, so the code cannot be paid later. */
static void
kassa_qr_tender_unroot (GtkWidget *widget)
{
  KassaQrTender *self = KASSA_QR_TENDER (widget);

  if (self->running && self->provider != NULL)
    kassa_payment_provider_cancel (KASSA_PAYMENT_PROVIDER (self->provider));

  GTK_WIDGET_CLASS (kassa_qr_tender_parent_class)->unroot (widget);
}

static void
kassa_qr_tender_dispose (GObject *object)
{
  KassaQrTender *self = KASSA_QR_TENDER (object);

  /* A session left open could still be paid after the dialog is gone:
   * withdraw it. */
  if (self->running && self->provider != NULL)
    kassa_payment_provider_cancel (KASSA_PAYMENT_PROVIDER (self->provider));
  g_cancellable_cancel (self->cancellable);

  if (self->dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  self->dialog = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (object), KASSA_TYPE_QR_TENDER);

  g_clear_object (&self->provider);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (kassa_qr_tender_parent_class)->dispose (object);
}

static void
kassa_qr_tender_finalize (GObject *object)
{
  KassaQrTender *self = KASSA_QR_TENDER (object);

  g_free (self->url);
  g_free (self->status);

  G_OBJECT_CLASS (kassa_qr_tender_parent_class)->finalize (object);
}

static void
kassa_qr_tender_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KassaQrTender *self = KASSA_QR_TENDER (object);

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
kassa_qr_tender_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KassaQrTender *self = KASSA_QR_TENDER (object);

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
kassa_qr_tender_class_init (KassaQrTenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kassa_qr_tender_dispose;
  object_class->finalize = kassa_qr_tender_finalize;
  object_class->get_property = kassa_qr_tender_get_property;
  object_class->set_property = kassa_qr_tender_set_property;
  widget_class->map = kassa_qr_tender_map;
  widget_class->unroot = kassa_qr_tender_unroot;

  properties[PROP_PROVIDER] =
    g_param_spec_object ("provider", NULL, NULL, KASSA_TYPE_STRIPE_CHECKOUT_PROVIDER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

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
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

KassaQrTender *
kassa_qr_tender_new (KassaPaymentDialog          *dialog,
                     KassaStripeCheckoutProvider *provider)
{
  KassaQrTender *self;

  g_return_val_if_fail (KASSA_IS_PAYMENT_DIALOG (dialog), NULL);
  g_return_val_if_fail (KASSA_IS_STRIPE_CHECKOUT_PROVIDER (provider), NULL);

  self = g_object_new (KASSA_TYPE_QR_TENDER, "provider", provider, NULL);
  self->dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialog);

  return self;
}

KassaStripeCheckoutProvider *
kassa_qr_tender_get_provider (KassaQrTender *self)
{
  g_return_val_if_fail (KASSA_IS_QR_TENDER (self), NULL);

  return self->provider;
}

void
kassa_qr_tender_start (KassaQrTender *self)
{
  g_autoptr(KassaPaymentRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  KassaTill *till;
  gint64 amount;

  g_return_if_fail (KASSA_IS_QR_TENDER (self));

  if (self->running || self->dialog == NULL)
    return;

  till = kassa_payment_dialog_get_till (self->dialog);
  amount = kassa_payment_dialog_get_remaining (self->dialog, FALSE);
  request = kassa_qr_tender_build_request (till, amount, KASSA_STRIPE_CHECKOUT_PROVIDER_ID, &error);
  if (request == NULL)
    {
      announce (self, error->message, TRUE);
      return;
    }

  self->amount = amount;
  set_running (self, TRUE);
  announce (self, _("Opening a payment page at Stripe…"), FALSE);
  /* Through the shop, which stores the request's key against the cart
   * before it leaves. */
  kassa_shop_pay_cart_async (kassa_till_get_shop (till), KASSA_PAYMENT_PROVIDER (self->provider),
                             kassa_till_get_cart_id (till), request, self->cancellable,
                             start_cb, g_object_ref (self));
}

void
kassa_qr_tender_cancel (KassaQrTender *self)
{
  g_return_if_fail (KASSA_IS_QR_TENDER (self));

  if (!self->running)
    return;

  /* The provider expires the session, so the code on screen stops
   * working, and finishes the start with "cancelled". */
  kassa_payment_provider_cancel (KASSA_PAYMENT_PROVIDER (self->provider));
}

gboolean
kassa_qr_tender_get_running (KassaQrTender *self)
{
  g_return_val_if_fail (KASSA_IS_QR_TENDER (self), FALSE);

  return self->running;
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

  return self->status != NULL ? self->status : "";
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
kassa_qr_tender_build_request (KassaTill   *till,
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
