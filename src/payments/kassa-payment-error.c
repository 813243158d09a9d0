/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-payment-error"

#include "config.h"

#include <glib/gi18n.h>

#include "kassa-payment-error.h"

/* The Stripe details ride on the GError itself (an extended error
 * domain), so they survive g_propagate_error() and g_error_copy() up to
 * the layer that shows or logs them. */
typedef struct
{
  guint  http_status;
  char  *request_id;
  char  *stripe_code;
  char  *decline_code;
  char  *param;
  char  *stripe_message;
} KassaPaymentErrorPrivate;

static void
kassa_payment_error_private_init (KassaPaymentErrorPrivate *priv)
{
}

static void
kassa_payment_error_private_copy (const KassaPaymentErrorPrivate *src,
                                  KassaPaymentErrorPrivate       *dest)
{
  dest->http_status = src->http_status;
  dest->request_id = g_strdup (src->request_id);
  dest->stripe_code = g_strdup (src->stripe_code);
  dest->decline_code = g_strdup (src->decline_code);
  dest->param = g_strdup (src->param);
  dest->stripe_message = g_strdup (src->stripe_message);
}

static void
kassa_payment_error_private_clear (KassaPaymentErrorPrivate *priv)
{
  g_clear_pointer (&priv->request_id, g_free);
  g_clear_pointer (&priv->stripe_code, g_free);
  g_clear_pointer (&priv->decline_code, g_free);
  g_clear_pointer (&priv->param, g_free);
  g_clear_pointer (&priv->stripe_message, g_free);
}

G_DEFINE_EXTENDED_ERROR (KassaPaymentError, kassa_payment_error)

static KassaPaymentErrorPrivate *
get_private (const GError *error)
{
  if (error == NULL || error->domain != KASSA_PAYMENT_ERROR)
    return NULL;

  return kassa_payment_error_get_private (error);
}

/**
 * kassa_payment_error_set_details:
 * @error: an error of the %KASSA_PAYMENT_ERROR domain
 * @http_status: the HTTP status, or 0 when no answer arrived
 * @request_id: (nullable): Stripe's `Request-Id`
 * @stripe_code: (nullable): Stripe's `error.code`
 * @decline_code: (nullable): Stripe's `error.decline_code`
 * @param: (nullable): Stripe's `error.param`
 * @stripe_message: (nullable): Stripe's English `error.message`, for logs
 *
 * Attaches what Stripe said to @error, replacing earlier details.
 */
void
kassa_payment_error_set_details (GError     *error,
                                 guint       http_status,
                                 const char *request_id,
                                 const char *stripe_code,
                                 const char *decline_code,
                                 const char *param,
                                 const char *stripe_message)
{
  KassaPaymentErrorPrivate *priv;

  g_return_if_fail (error != NULL);
  g_return_if_fail (error->domain == KASSA_PAYMENT_ERROR);

  priv = kassa_payment_error_get_private (error);
  kassa_payment_error_private_clear (priv);
  priv->http_status = http_status;
  priv->request_id = g_strdup (request_id);
  priv->stripe_code = g_strdup (stripe_code);
  priv->decline_code = g_strdup (decline_code);
  priv->param = g_strdup (param);
  priv->stripe_message = g_strdup (stripe_message);
}

guint
kassa_payment_error_get_http_status (const GError *error)
{
  KassaPaymentErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->http_status : 0;
}

const char *
kassa_payment_error_get_request_id (const GError *error)
{
  KassaPaymentErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->request_id : NULL;
}

const char *
kassa_payment_error_get_stripe_code (const GError *error)
{
  KassaPaymentErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->stripe_code : NULL;
}

const char *
kassa_payment_error_get_decline_code (const GError *error)
{
  KassaPaymentErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->decline_code : NULL;
}

const char *
kassa_payment_error_get_param (const GError *error)
{
  KassaPaymentErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->param : NULL;
}

const char *
kassa_payment_error_get_stripe_message (const GError *error)
{
  KassaPaymentErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->stripe_message : NULL;
}

/**
 * kassa_payment_error_describe_decline:
 * @decline_code: (nullable): a Stripe decline code
 *
 * Returns: a translated sentence a cashier can read to the customer; a
 *   generic one for codes Kassa does not know
 */
const char *
kassa_payment_error_describe_decline (const char *decline_code)
{
  /* The issuer's reason is shown only where it helps the customer act;
   * codes that hint at fraud read as a plain decline on purpose. */
  static const struct { const char *code; const char *text; } reasons[] = {
    { "insufficient_funds", N_("The card has insufficient funds.") },
    { "expired_card", N_("The card has expired.") },
    { "incorrect_cvc", N_("The security code is incorrect.") },
    { "incorrect_pin", N_("The PIN is incorrect.") },
    { "pin_try_exceeded", N_("Too many wrong PIN attempts.") },
    { "card_not_supported", N_("The card does not support this kind of payment.") },
    { "currency_not_supported", N_("The card does not support this currency.") },
    { "processing_error", N_("The card could not be processed. Try again.") },
    { "try_again_later", N_("The card could not be processed. Try again.") },
    { "offline_pin_required", N_("The card needs its PIN. Insert the card.") },
    { "online_or_offline_pin_required", N_("The card needs its PIN. Insert the card.") },
  };

  if (decline_code != NULL)
    {
      for (gsize i = 0; i < G_N_ELEMENTS (reasons); i++)
        if (g_str_equal (reasons[i].code, decline_code))
          return _(reasons[i].text);
    }

  return _("The card was declined. Ask for another payment method.");
}
