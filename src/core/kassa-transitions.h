/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "kassa-core-enums.h"

G_BEGIN_DECLS

/* Every status machine of the domain lives here, so the rules can be
 * read (and reviewed) in one table each.
 *
 * For each machine:
 *   _can_transition ()   whether @from → @to is legal
 *   _check_transition () the same, with a KASSA_ERROR_ILLEGAL_TRANSITION
 *                        that names the rule
 *   _next ()             the legal next states, for the UI to offer; writes
 *                        at most @n_out of them into @out and returns how
 *                        many there are in all (call with 0 to count)
 *   _get_display_name () a translated label
 *
 * Staying in the same state is not a transition, except where the table
 * lists it (a second partial refund). */

gboolean    kassa_payment_status_can_transition          (KassaPaymentStatus         from,
                                                          KassaPaymentStatus         to);
gboolean    kassa_payment_status_check_transition        (KassaPaymentStatus         from,
                                                          KassaPaymentStatus         to,
                                                          GError                   **error);
guint       kassa_payment_status_next                    (KassaPaymentStatus         from,
                                                          KassaPaymentStatus        *out,
                                                          guint                      n_out);
const char *kassa_payment_status_get_display_name        (KassaPaymentStatus         status);

gboolean    kassa_dispute_status_can_transition          (KassaDisputeStatus         from,
                                                          KassaDisputeStatus         to);
gboolean    kassa_dispute_status_check_transition        (KassaDisputeStatus         from,
                                                          KassaDisputeStatus         to,
                                                          GError                   **error);
guint       kassa_dispute_status_next                    (KassaDisputeStatus         from,
                                                          KassaDisputeStatus        *out,
                                                          guint                      n_out);
const char *kassa_dispute_status_get_display_name        (KassaDisputeStatus         status);

gboolean    kassa_fulfilment_status_can_transition       (KassaFulfilmentStatus      from,
                                                          KassaFulfilmentStatus      to);
gboolean    kassa_fulfilment_status_check_transition     (KassaFulfilmentStatus      from,
                                                          KassaFulfilmentStatus      to,
                                                          GError                   **error);
guint       kassa_fulfilment_status_next                 (KassaFulfilmentStatus      from,
                                                          KassaFulfilmentStatus     *out,
                                                          guint                      n_out);
const char *kassa_fulfilment_status_get_display_name     (KassaFulfilmentStatus      status);

gboolean    kassa_invoice_status_can_transition          (KassaInvoiceStatus         from,
                                                          KassaInvoiceStatus         to);
gboolean    kassa_invoice_status_check_transition        (KassaInvoiceStatus         from,
                                                          KassaInvoiceStatus         to,
                                                          GError                   **error);
guint       kassa_invoice_status_next                    (KassaInvoiceStatus         from,
                                                          KassaInvoiceStatus        *out,
                                                          guint                      n_out);
const char *kassa_invoice_status_get_display_name        (KassaInvoiceStatus         status);

gboolean    kassa_subscription_status_can_transition     (KassaSubscriptionStatus    from,
                                                          KassaSubscriptionStatus    to);
gboolean    kassa_subscription_status_check_transition   (KassaSubscriptionStatus    from,
                                                          KassaSubscriptionStatus    to,
                                                          GError                   **error);
guint       kassa_subscription_status_next               (KassaSubscriptionStatus    from,
                                                          KassaSubscriptionStatus   *out,
                                                          guint                      n_out);
const char *kassa_subscription_status_get_display_name   (KassaSubscriptionStatus    status);

gboolean    kassa_service_session_status_can_transition  (KassaServiceSessionStatus  from,
                                                          KassaServiceSessionStatus  to);
gboolean    kassa_service_session_status_check_transition (KassaServiceSessionStatus from,
                                                           KassaServiceSessionStatus to,
                                                           GError                  **error);
guint       kassa_service_session_status_next            (KassaServiceSessionStatus  from,
                                                          KassaServiceSessionStatus *out,
                                                          guint                      n_out);
const char *kassa_service_session_status_get_display_name (KassaServiceSessionStatus status);

/* Labels for the enums that have no state machine. */
const char *kassa_delivery_method_get_display_name       (KassaDeliveryMethod        method);
const char *kassa_order_mode_get_display_name            (KassaOrderMode             mode);
const char *kassa_invoice_kind_get_display_name          (KassaInvoiceKind           kind);

G_END_DECLS
