/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-transitions"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kassa-error.h"
#include "kassa-transitions.h"

#define TO(s) (1u << (s))

typedef struct
{
  const char         *what;     /* N_() */
  const char * const *names;    /* N_(), one per state */
  guint               n_states;
  const guint32      *allowed;  /* per state: the TO() mask of its next states */
} Machine;

/* -- Payment ---------------------------------------------------------- */

static const char * const payment_names[] = {
  [KASSA_PAYMENT_STATUS_CREATED] = N_("Awaiting payment"),
  [KASSA_PAYMENT_STATUS_PAID] = N_("Paid"),
  [KASSA_PAYMENT_STATUS_FAILED] = N_("Payment failed"),
  [KASSA_PAYMENT_STATUS_EXPIRED] = N_("Expired"),
  [KASSA_PAYMENT_STATUS_PARTIALLY_REFUNDED] = N_("Partially refunded"),
  [KASSA_PAYMENT_STATUS_REFUNDED] = N_("Refunded"),
};

/* A failed attempt may still be followed by a successful one (another
 * card, cash) until the order expires. Money that came in never makes
 * the order unpaid again: it only goes back out as refunds. */
static const guint32 payment_allowed[] = {
  [KASSA_PAYMENT_STATUS_CREATED] = TO (KASSA_PAYMENT_STATUS_PAID) |
                                   TO (KASSA_PAYMENT_STATUS_FAILED) |
                                   TO (KASSA_PAYMENT_STATUS_EXPIRED),
  [KASSA_PAYMENT_STATUS_PAID] = TO (KASSA_PAYMENT_STATUS_PARTIALLY_REFUNDED) |
                                TO (KASSA_PAYMENT_STATUS_REFUNDED),
  [KASSA_PAYMENT_STATUS_FAILED] = TO (KASSA_PAYMENT_STATUS_PAID) |
                                  TO (KASSA_PAYMENT_STATUS_EXPIRED),
  [KASSA_PAYMENT_STATUS_EXPIRED] = 0,
  [KASSA_PAYMENT_STATUS_PARTIALLY_REFUNDED] = TO (KASSA_PAYMENT_STATUS_PARTIALLY_REFUNDED) |
                                              TO (KASSA_PAYMENT_STATUS_REFUNDED),
  [KASSA_PAYMENT_STATUS_REFUNDED] = 0,
};

static const Machine payment_machine = {
  N_("Payment status"), payment_names, G_N_ELEMENTS (payment_names), payment_allowed,
};

/* -- Dispute ---------------------------------------------------------- */

static const char * const dispute_names[] = {
  [KASSA_DISPUTE_STATUS_NONE] = N_("No dispute"),
  [KASSA_DISPUTE_STATUS_WARNING_NEEDS_RESPONSE] = N_("Inquiry needs response"),
  [KASSA_DISPUTE_STATUS_WARNING_UNDER_REVIEW] = N_("Inquiry under review"),
  [KASSA_DISPUTE_STATUS_WARNING_CLOSED] = N_("Inquiry closed"),
  [KASSA_DISPUTE_STATUS_NEEDS_RESPONSE] = N_("Dispute needs response"),
  [KASSA_DISPUTE_STATUS_UNDER_REVIEW] = N_("Dispute under review"),
  [KASSA_DISPUTE_STATUS_WON] = N_("Dispute won"),
  [KASSA_DISPUTE_STATUS_LOST] = N_("Dispute lost"),
};

/* An inquiry (warning) can escalate to a chargeback at any point before
 * or after it closes; a chargeback ends won or lost, and an unanswered
 * one is lost, or won when the cardholder withdraws it. */
static const guint32 dispute_allowed[] = {
  [KASSA_DISPUTE_STATUS_NONE] = TO (KASSA_DISPUTE_STATUS_WARNING_NEEDS_RESPONSE) |
                                TO (KASSA_DISPUTE_STATUS_NEEDS_RESPONSE),
  [KASSA_DISPUTE_STATUS_WARNING_NEEDS_RESPONSE] = TO (KASSA_DISPUTE_STATUS_WARNING_UNDER_REVIEW) |
                                                  TO (KASSA_DISPUTE_STATUS_WARNING_CLOSED) |
                                                  TO (KASSA_DISPUTE_STATUS_NEEDS_RESPONSE),
  [KASSA_DISPUTE_STATUS_WARNING_UNDER_REVIEW] = TO (KASSA_DISPUTE_STATUS_WARNING_CLOSED) |
                                                TO (KASSA_DISPUTE_STATUS_NEEDS_RESPONSE),
  [KASSA_DISPUTE_STATUS_WARNING_CLOSED] = TO (KASSA_DISPUTE_STATUS_NEEDS_RESPONSE),
  [KASSA_DISPUTE_STATUS_NEEDS_RESPONSE] = TO (KASSA_DISPUTE_STATUS_UNDER_REVIEW) |
                                          TO (KASSA_DISPUTE_STATUS_WON) |
                                          TO (KASSA_DISPUTE_STATUS_LOST),
  [KASSA_DISPUTE_STATUS_UNDER_REVIEW] = TO (KASSA_DISPUTE_STATUS_WON) |
                                        TO (KASSA_DISPUTE_STATUS_LOST),
  [KASSA_DISPUTE_STATUS_WON] = 0,
  [KASSA_DISPUTE_STATUS_LOST] = 0,
};

static const Machine dispute_machine = {
  N_("Dispute status"), dispute_names, G_N_ELEMENTS (dispute_names), dispute_allowed,
};

/* -- Fulfilment ------------------------------------------------------- */

static const char * const fulfilment_names[] = {
  [KASSA_FULFILMENT_STATUS_UNFULFILLED] = N_("Unfulfilled"),
  [KASSA_FULFILMENT_STATUS_PREPARING] = N_("Preparing"),
  [KASSA_FULFILMENT_STATUS_READY_FOR_PICKUP] = N_("Ready for pickup"),
  [KASSA_FULFILMENT_STATUS_OUT_FOR_DELIVERY] = N_("Out for delivery"),
  [KASSA_FULFILMENT_STATUS_DELIVERED] = N_("Delivered"),
  [KASSA_FULFILMENT_STATUS_CANCELLED] = N_("Cancelled"),
};

/* Delivered and cancelled are final; every other state may be cancelled
 * (an uncollected pickup, a parcel that comes back). Whether pickup or
 * delivery applies is the order's business: see kassa_order. */
static const guint32 fulfilment_allowed[] = {
  [KASSA_FULFILMENT_STATUS_UNFULFILLED] = TO (KASSA_FULFILMENT_STATUS_PREPARING) |
                                          TO (KASSA_FULFILMENT_STATUS_CANCELLED),
  [KASSA_FULFILMENT_STATUS_PREPARING] = TO (KASSA_FULFILMENT_STATUS_READY_FOR_PICKUP) |
                                        TO (KASSA_FULFILMENT_STATUS_OUT_FOR_DELIVERY) |
                                        TO (KASSA_FULFILMENT_STATUS_CANCELLED),
  [KASSA_FULFILMENT_STATUS_READY_FOR_PICKUP] = TO (KASSA_FULFILMENT_STATUS_DELIVERED) |
                                               TO (KASSA_FULFILMENT_STATUS_CANCELLED),
  [KASSA_FULFILMENT_STATUS_OUT_FOR_DELIVERY] = TO (KASSA_FULFILMENT_STATUS_DELIVERED) |
                                               TO (KASSA_FULFILMENT_STATUS_CANCELLED),
  [KASSA_FULFILMENT_STATUS_DELIVERED] = 0,
  [KASSA_FULFILMENT_STATUS_CANCELLED] = 0,
};

static const Machine fulfilment_machine = {
  N_("Fulfilment status"), fulfilment_names, G_N_ELEMENTS (fulfilment_names), fulfilment_allowed,
};

/* -- Invoice ---------------------------------------------------------- */

static const char * const invoice_names[] = {
  [KASSA_INVOICE_STATUS_DRAFT] = N_("Draft"),
  [KASSA_INVOICE_STATUS_ISSUED] = N_("Issued"),
  [KASSA_INVOICE_STATUS_PAID] = N_("Paid"),
  [KASSA_INVOICE_STATUS_CREDITED] = N_("Credited"),
};

/* An issued invoice is never edited nor un-issued: a credit note
 * cancels it, before or after it was paid. A draft that is not wanted
 * is deleted, not transitioned. */
static const guint32 invoice_allowed[] = {
  [KASSA_INVOICE_STATUS_DRAFT] = TO (KASSA_INVOICE_STATUS_ISSUED),
  [KASSA_INVOICE_STATUS_ISSUED] = TO (KASSA_INVOICE_STATUS_PAID) |
                                  TO (KASSA_INVOICE_STATUS_CREDITED),
  [KASSA_INVOICE_STATUS_PAID] = TO (KASSA_INVOICE_STATUS_CREDITED),
  [KASSA_INVOICE_STATUS_CREDITED] = 0,
};

static const Machine invoice_machine = {
  N_("Invoice status"), invoice_names, G_N_ELEMENTS (invoice_names), invoice_allowed,
};

/* -- Subscription ----------------------------------------------------- */

static const char * const subscription_names[] = {
  [KASSA_SUBSCRIPTION_STATUS_INCOMPLETE] = N_("Incomplete"),
  [KASSA_SUBSCRIPTION_STATUS_INCOMPLETE_EXPIRED] = N_("Incomplete, expired"),
  [KASSA_SUBSCRIPTION_STATUS_TRIALING] = N_("Trial"),
  [KASSA_SUBSCRIPTION_STATUS_ACTIVE] = N_("Active"),
  [KASSA_SUBSCRIPTION_STATUS_PAST_DUE] = N_("Past due"),
  [KASSA_SUBSCRIPTION_STATUS_PAUSED] = N_("Paused"),
  [KASSA_SUBSCRIPTION_STATUS_CANCELED] = N_("Canceled"),
  [KASSA_SUBSCRIPTION_STATUS_UNPAID] = N_("Unpaid"),
};

/* Follows Stripe's life cycle: the first payment makes an incomplete
 * subscription active (or trialing) or lets it expire; a failed renewal
 * makes it past due, then unpaid once the retries run out; a trial that
 * ends without a payment method pauses it. Canceled and
 * incomplete-expired are final. */
static const guint32 subscription_allowed[] = {
  [KASSA_SUBSCRIPTION_STATUS_INCOMPLETE] = TO (KASSA_SUBSCRIPTION_STATUS_ACTIVE) |
                                           TO (KASSA_SUBSCRIPTION_STATUS_TRIALING) |
                                           TO (KASSA_SUBSCRIPTION_STATUS_INCOMPLETE_EXPIRED) |
                                           TO (KASSA_SUBSCRIPTION_STATUS_CANCELED),
  [KASSA_SUBSCRIPTION_STATUS_INCOMPLETE_EXPIRED] = 0,
  [KASSA_SUBSCRIPTION_STATUS_TRIALING] = TO (KASSA_SUBSCRIPTION_STATUS_ACTIVE) |
                                         TO (KASSA_SUBSCRIPTION_STATUS_PAST_DUE) |
                                         TO (KASSA_SUBSCRIPTION_STATUS_PAUSED) |
                                         TO (KASSA_SUBSCRIPTION_STATUS_CANCELED),
  [KASSA_SUBSCRIPTION_STATUS_ACTIVE] = TO (KASSA_SUBSCRIPTION_STATUS_PAST_DUE) |
                                       TO (KASSA_SUBSCRIPTION_STATUS_CANCELED),
  [KASSA_SUBSCRIPTION_STATUS_PAST_DUE] = TO (KASSA_SUBSCRIPTION_STATUS_ACTIVE) |
                                         TO (KASSA_SUBSCRIPTION_STATUS_UNPAID) |
                                         TO (KASSA_SUBSCRIPTION_STATUS_CANCELED),
  [KASSA_SUBSCRIPTION_STATUS_PAUSED] = TO (KASSA_SUBSCRIPTION_STATUS_ACTIVE) |
                                       TO (KASSA_SUBSCRIPTION_STATUS_CANCELED),
  [KASSA_SUBSCRIPTION_STATUS_CANCELED] = 0,
  [KASSA_SUBSCRIPTION_STATUS_UNPAID] = TO (KASSA_SUBSCRIPTION_STATUS_ACTIVE) |
                                       TO (KASSA_SUBSCRIPTION_STATUS_CANCELED),
};

static const Machine subscription_machine = {
  N_("Subscription status"), subscription_names, G_N_ELEMENTS (subscription_names), subscription_allowed,
};

/* -- Service session -------------------------------------------------- */

static const char * const session_names[] = {
  [KASSA_SERVICE_SESSION_STATUS_PENDING] = N_("Not started"),
  [KASSA_SERVICE_SESSION_STATUS_ACTIVE] = N_("Running"),
  [KASSA_SERVICE_SESSION_STATUS_EXPIRED] = N_("Expired"),
  [KASSA_SERVICE_SESSION_STATUS_CANCELLED] = N_("Cancelled"),
};

/* Renewal does not revive a session: it sells a new one. */
static const guint32 session_allowed[] = {
  [KASSA_SERVICE_SESSION_STATUS_PENDING] = TO (KASSA_SERVICE_SESSION_STATUS_ACTIVE) |
                                           TO (KASSA_SERVICE_SESSION_STATUS_CANCELLED),
  [KASSA_SERVICE_SESSION_STATUS_ACTIVE] = TO (KASSA_SERVICE_SESSION_STATUS_EXPIRED) |
                                          TO (KASSA_SERVICE_SESSION_STATUS_CANCELLED),
  [KASSA_SERVICE_SESSION_STATUS_EXPIRED] = 0,
  [KASSA_SERVICE_SESSION_STATUS_CANCELLED] = 0,
};

static const Machine session_machine = {
  N_("Service session status"), session_names, G_N_ELEMENTS (session_names), session_allowed,
};

/* -- The machinery ---------------------------------------------------- */

static gboolean
machine_can (const Machine *m,
             guint          from,
             guint          to)
{
  g_return_val_if_fail (from < m->n_states, FALSE);
  g_return_val_if_fail (to < m->n_states, FALSE);

  return (m->allowed[from] & TO (to)) != 0;
}

static gboolean
machine_check (const Machine  *m,
               guint           from,
               guint           to,
               GError        **error)
{
  g_return_val_if_fail (from < m->n_states, FALSE);
  g_return_val_if_fail (to < m->n_states, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (machine_can (m, from, to))
    return TRUE;

  if (from == to)
    g_set_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION,
                 /* Translators: e.g. Payment status is already “Paid” */
                 _("%s is already “%s”"),
                 _(m->what), _(m->names[from]));
  else if (m->allowed[from] == 0)
    g_set_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION,
                 /* Translators: e.g. Payment status cannot go from “Refunded” to “Paid”: “Refunded” is final */
                 _("%s cannot go from “%s” to “%s”: “%s” is final"),
                 _(m->what), _(m->names[from]), _(m->names[to]), _(m->names[from]));
  else
    g_set_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION,
                 /* Translators: e.g. Payment status cannot go from “Paid” to “Awaiting payment” */
                 _("%s cannot go from “%s” to “%s”"),
                 _(m->what), _(m->names[from]), _(m->names[to]));

  return FALSE;
}

static guint
machine_next (const Machine *m,
              guint          from,
              guint         *out,
              guint          n_out)
{
  guint n = 0;

  g_return_val_if_fail (from < m->n_states, 0);
  g_return_val_if_fail (out != NULL || n_out == 0, 0);

  for (guint to = 0; to < m->n_states; to++)
    {
      if (!machine_can (m, from, to))
        continue;
      if (n < n_out)
        out[n] = to;
      n++;
    }

  return n;
}

static const char *
machine_name (const Machine *m,
              guint          state)
{
  g_return_val_if_fail (state < m->n_states, NULL);

  return _(m->names[state]);
}

/* The enums are plain ints in C, but writing through an enum pointer as
 * guint is not something to rely on: copy through a local buffer. */
#define DEFINE_MACHINE(prefix, Type, machine)                               \
  gboolean                                                                  \
  prefix##_can_transition (Type from,                                       \
                           Type to)                                         \
  {                                                                         \
    return machine_can (&machine, from, to);                                \
  }                                                                         \
                                                                            \
  gboolean                                                                  \
  prefix##_check_transition (Type     from,                                 \
                             Type     to,                                   \
                             GError **error)                                \
  {                                                                         \
    return machine_check (&machine, from, to, error);                       \
  }                                                                         \
                                                                            \
  guint                                                                     \
  prefix##_next (Type  from,                                                \
                 Type *out,                                                 \
                 guint n_out)                                               \
  {                                                                         \
    guint buf[32];                                                          \
    guint n;                                                                \
                                                                            \
    n = machine_next (&machine, from, buf, MIN (n_out, G_N_ELEMENTS (buf))); \
    for (guint i = 0; i < MIN (n, n_out); i++)                              \
      out[i] = (Type) buf[i];                                               \
    return n;                                                               \
  }                                                                         \
                                                                            \
  const char *                                                              \
  prefix##_get_display_name (Type status)                                   \
  {                                                                         \
    return machine_name (&machine, status);                                 \
  }

DEFINE_MACHINE (kassa_payment_status, KassaPaymentStatus, payment_machine)
DEFINE_MACHINE (kassa_dispute_status, KassaDisputeStatus, dispute_machine)
DEFINE_MACHINE (kassa_fulfilment_status, KassaFulfilmentStatus, fulfilment_machine)
DEFINE_MACHINE (kassa_invoice_status, KassaInvoiceStatus, invoice_machine)
DEFINE_MACHINE (kassa_subscription_status, KassaSubscriptionStatus, subscription_machine)
DEFINE_MACHINE (kassa_service_session_status, KassaServiceSessionStatus, session_machine)

const char *
kassa_delivery_method_get_display_name (KassaDeliveryMethod method)
{
  switch (method)
    {
    case KASSA_DELIVERY_METHOD_NONE:
      return _("At the till");
    case KASSA_DELIVERY_METHOD_PICKUP:
      return _("Pickup");
    case KASSA_DELIVERY_METHOD_DELIVERY:
      return _("Delivery");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
kassa_order_mode_get_display_name (KassaOrderMode mode)
{
  switch (mode)
    {
    case KASSA_ORDER_MODE_MANUAL:
      return _("Manual");
    case KASSA_ORDER_MODE_STRIPE:
      return _("Stripe");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
kassa_invoice_kind_get_display_name (KassaInvoiceKind kind)
{
  switch (kind)
    {
    case KASSA_INVOICE_KIND_INVOICE:
      return _("Invoice");
    case KASSA_INVOICE_KIND_CREDIT_NOTE:
      return _("Credit note");
    default:
      g_return_val_if_reached (NULL);
    }
}
