/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KASSA_PAYMENT_ERROR (kassa_payment_error_quark ())

/**
 * KassaPaymentError:
 * @KASSA_PAYMENT_ERROR_FAILED: an unexpected failure
 * @KASSA_PAYMENT_ERROR_DECLINED: the card issuer declined the payment; the
 *   decline code says why
 * @KASSA_PAYMENT_ERROR_CARD: another card problem (expired, wrong CVC, …)
 * @KASSA_PAYMENT_ERROR_INVALID_REQUEST: Stripe refused the parameters (a bug
 *   or an unsupported setting; the parameter name is kept)
 * @KASSA_PAYMENT_ERROR_AUTHENTICATION: the API key is missing, wrong or revoked
 * @KASSA_PAYMENT_ERROR_PERMISSION: a restricted key lacks the permission
 * @KASSA_PAYMENT_ERROR_NOT_FOUND: the object does not exist
 * @KASSA_PAYMENT_ERROR_IDEMPOTENCY: the idempotency key was reused with other
 *   parameters
 * @KASSA_PAYMENT_ERROR_RATE_LIMITED: too many requests, still so after retrying
 * @KASSA_PAYMENT_ERROR_API: Stripe failed on its side
 * @KASSA_PAYMENT_ERROR_NETWORK: Stripe could not be reached; nothing was sent
 * @KASSA_PAYMENT_ERROR_TIMEOUT: a read-only request took too long
 * @KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME: a request that changes something may or
 *   may not have taken effect; fetch the object (or repeat the request with
 *   the same idempotency key) before doing anything else
 * @KASSA_PAYMENT_ERROR_CANCELLED: the caller cancelled; a change may still have
 *   reached Stripe, which repeating it with the same key resolves
 * @KASSA_PAYMENT_ERROR_INVALID_RESPONSE: the answer was not what Stripe sends
 * @KASSA_PAYMENT_ERROR_SIGNATURE: a webhook signature is missing, malformed,
 *   wrong or outside the tolerance window
 * @KASSA_PAYMENT_ERROR_TOO_LARGE: a body is larger than Kassa accepts
 * @KASSA_PAYMENT_ERROR_INVALID_EVENT: an event is not well formed
 *
 * Errors of the payments layer. The message is for people and translated;
 * the Stripe details (decline code, error code, request id, HTTP status,
 * parameter, Stripe's own message) travel with the error and are read with
 * the accessors below.
 */
typedef enum
{
  KASSA_PAYMENT_ERROR_FAILED,
  KASSA_PAYMENT_ERROR_DECLINED,
  KASSA_PAYMENT_ERROR_CARD,
  KASSA_PAYMENT_ERROR_INVALID_REQUEST,
  KASSA_PAYMENT_ERROR_AUTHENTICATION,
  KASSA_PAYMENT_ERROR_PERMISSION,
  KASSA_PAYMENT_ERROR_NOT_FOUND,
  KASSA_PAYMENT_ERROR_IDEMPOTENCY,
  KASSA_PAYMENT_ERROR_RATE_LIMITED,
  KASSA_PAYMENT_ERROR_API,
  KASSA_PAYMENT_ERROR_NETWORK,
  KASSA_PAYMENT_ERROR_TIMEOUT,
  KASSA_PAYMENT_ERROR_UNKNOWN_OUTCOME,
  KASSA_PAYMENT_ERROR_CANCELLED,
  KASSA_PAYMENT_ERROR_INVALID_RESPONSE,
  KASSA_PAYMENT_ERROR_SIGNATURE,
  KASSA_PAYMENT_ERROR_TOO_LARGE,
  KASSA_PAYMENT_ERROR_INVALID_EVENT,
} KassaPaymentError;

GQuark      kassa_payment_error_quark              (void);

void        kassa_payment_error_set_details        (GError     *error,
                                                    guint       http_status,
                                                    const char *request_id,
                                                    const char *stripe_code,
                                                    const char *decline_code,
                                                    const char *param,
                                                    const char *stripe_message);
guint       kassa_payment_error_get_http_status    (const GError *error);
const char *kassa_payment_error_get_request_id     (const GError *error);
const char *kassa_payment_error_get_stripe_code    (const GError *error);
const char *kassa_payment_error_get_decline_code   (const GError *error);
const char *kassa_payment_error_get_param          (const GError *error);
const char *kassa_payment_error_get_stripe_message (const GError *error);

const char *kassa_payment_error_describe_decline   (const char *decline_code);

G_END_DECLS
