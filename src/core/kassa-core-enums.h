/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Public enums of the domain core. Their GTypes are generated into
 * kassa-core-enum-types.h by the build. */

/* -- Money and taxes ------------------------------------------------ */

/**
 * KassaRoundingMode:
 * @KASSA_ROUNDING_HALF_UP: ties round away from zero (commercial rounding)
 * @KASSA_ROUNDING_HALF_EVEN: ties round to the even neighbour (banker's rounding)
 */
typedef enum
{
  KASSA_ROUNDING_HALF_UP,   /*< nick=half-up >*/
  KASSA_ROUNDING_HALF_EVEN, /*< nick=half-even >*/
} KassaRoundingMode;

/**
 * KassaTaxScope:
 * @KASSA_TAX_SCOPE_DOCUMENT: tax per rate on the sum of that rate's line nets, rounded once
 * @KASSA_TAX_SCOPE_LINE: tax rounded on every line, then summed per rate
 */
typedef enum
{
  KASSA_TAX_SCOPE_DOCUMENT,
  KASSA_TAX_SCOPE_LINE,
} KassaTaxScope;

/**
 * KassaDiscountKind:
 * @KASSA_DISCOUNT_NONE: no discount
 * @KASSA_DISCOUNT_PERCENT: a share of the amount, in parts per million (10 % = 100000)
 * @KASSA_DISCOUNT_AMOUNT: a fixed amount in minor units of the document currency
 */
typedef enum
{
  KASSA_DISCOUNT_NONE,
  KASSA_DISCOUNT_PERCENT,
  KASSA_DISCOUNT_AMOUNT,
} KassaDiscountKind;

/* -- Catalog, orders, invoices, subscriptions, staff ---------------- */
/**
 * KassaItemKind:
 * @KASSA_ITEM_KIND_PRODUCT: goods with stock on hand
 * @KASSA_ITEM_KIND_SERVICE: time sold by the minute, without stock
 */
typedef enum
{
  KASSA_ITEM_KIND_PRODUCT,
  KASSA_ITEM_KIND_SERVICE,
} KassaItemKind;

/**
 * KassaItemStatus:
 * @KASSA_ITEM_STATUS_ACTIVE: on sale
 * @KASSA_ITEM_STATUS_DRAFT: being prepared, not sold yet
 * @KASSA_ITEM_STATUS_ARCHIVED: no longer sold, kept for old documents
 */
typedef enum
{
  KASSA_ITEM_STATUS_ACTIVE,
  KASSA_ITEM_STATUS_DRAFT,
  KASSA_ITEM_STATUS_ARCHIVED,
} KassaItemStatus;

/**
 * KassaPricing:
 * @KASSA_PRICING_ONE_TIME: paid once
 * @KASSA_PRICING_RECURRING: billed every interval
 */
typedef enum
{
  KASSA_PRICING_ONE_TIME,
  KASSA_PRICING_RECURRING,
} KassaPricing;

/**
 * KassaBillingInterval:
 * @KASSA_BILLING_INTERVAL_NONE: no interval (one-time pricing)
 * @KASSA_BILLING_INTERVAL_MONTH: billed monthly
 * @KASSA_BILLING_INTERVAL_YEAR: billed yearly
 */
typedef enum
{
  KASSA_BILLING_INTERVAL_NONE,
  KASSA_BILLING_INTERVAL_MONTH,
  KASSA_BILLING_INTERVAL_YEAR,
} KassaBillingInterval;

/**
 * KassaOrderMode:
 * @KASSA_ORDER_MODE_MANUAL: everything stays editable (phone orders, imports, corrections)
 * @KASSA_ORDER_MODE_STRIPE: Stripe certifies amounts and lines, which then lock
 */
typedef enum
{
  KASSA_ORDER_MODE_MANUAL,
  KASSA_ORDER_MODE_STRIPE,
} KassaOrderMode;

/**
 * KassaPaymentStatus:
 * @KASSA_PAYMENT_STATUS_CREATED: waiting for payment
 * @KASSA_PAYMENT_STATUS_PAID: paid in full
 * @KASSA_PAYMENT_STATUS_FAILED: the last attempt failed; a retry may still pay
 * @KASSA_PAYMENT_STATUS_EXPIRED: never paid, given up
 * @KASSA_PAYMENT_STATUS_PARTIALLY_REFUNDED: part of the payment went back
 * @KASSA_PAYMENT_STATUS_REFUNDED: all of the payment went back
 */
typedef enum
{
  KASSA_PAYMENT_STATUS_CREATED,
  KASSA_PAYMENT_STATUS_PAID,
  KASSA_PAYMENT_STATUS_FAILED,
  KASSA_PAYMENT_STATUS_EXPIRED,
  KASSA_PAYMENT_STATUS_PARTIALLY_REFUNDED,
  KASSA_PAYMENT_STATUS_REFUNDED,
} KassaPaymentStatus;

/**
 * KassaDisputeStatus:
 * @KASSA_DISPUTE_STATUS_NONE: no dispute
 * @KASSA_DISPUTE_STATUS_WARNING_NEEDS_RESPONSE: an inquiry awaits evidence
 * @KASSA_DISPUTE_STATUS_WARNING_UNDER_REVIEW: the issuer reviews an inquiry
 * @KASSA_DISPUTE_STATUS_WARNING_CLOSED: the inquiry ended without a chargeback
 * @KASSA_DISPUTE_STATUS_NEEDS_RESPONSE: a chargeback awaits evidence
 * @KASSA_DISPUTE_STATUS_UNDER_REVIEW: the issuer reviews the evidence
 * @KASSA_DISPUTE_STATUS_WON: decided for the shop
 * @KASSA_DISPUTE_STATUS_LOST: decided for the cardholder
 */
typedef enum
{
  KASSA_DISPUTE_STATUS_NONE,
  KASSA_DISPUTE_STATUS_WARNING_NEEDS_RESPONSE,
  KASSA_DISPUTE_STATUS_WARNING_UNDER_REVIEW,
  KASSA_DISPUTE_STATUS_WARNING_CLOSED,
  KASSA_DISPUTE_STATUS_NEEDS_RESPONSE,
  KASSA_DISPUTE_STATUS_UNDER_REVIEW,
  KASSA_DISPUTE_STATUS_WON,
  KASSA_DISPUTE_STATUS_LOST,
} KassaDisputeStatus;

/**
 * KassaFulfilmentStatus:
 * @KASSA_FULFILMENT_STATUS_UNFULFILLED: nothing done yet
 * @KASSA_FULFILMENT_STATUS_PREPARING: being picked and packed
 * @KASSA_FULFILMENT_STATUS_READY_FOR_PICKUP: waiting at the counter
 * @KASSA_FULFILMENT_STATUS_OUT_FOR_DELIVERY: on its way
 * @KASSA_FULFILMENT_STATUS_DELIVERED: in the customer's hands
 * @KASSA_FULFILMENT_STATUS_CANCELLED: will not be fulfilled
 */
typedef enum
{
  KASSA_FULFILMENT_STATUS_UNFULFILLED,
  KASSA_FULFILMENT_STATUS_PREPARING,
  KASSA_FULFILMENT_STATUS_READY_FOR_PICKUP,
  KASSA_FULFILMENT_STATUS_OUT_FOR_DELIVERY,
  KASSA_FULFILMENT_STATUS_DELIVERED,
  KASSA_FULFILMENT_STATUS_CANCELLED,
} KassaFulfilmentStatus;

/**
 * KassaDeliveryMethod:
 * @KASSA_DELIVERY_METHOD_NONE: handed over at the till
 * @KASSA_DELIVERY_METHOD_PICKUP: collected later by the customer
 * @KASSA_DELIVERY_METHOD_DELIVERY: sent to the shipping address
 */
typedef enum
{
  KASSA_DELIVERY_METHOD_NONE,
  KASSA_DELIVERY_METHOD_PICKUP,
  KASSA_DELIVERY_METHOD_DELIVERY,
} KassaDeliveryMethod;

/**
 * KassaInvoiceKind:
 * @KASSA_INVOICE_KIND_INVOICE: a claim on the customer
 * @KASSA_INVOICE_KIND_CREDIT_NOTE: cancels all or part of an issued invoice
 */
typedef enum
{
  KASSA_INVOICE_KIND_INVOICE,
  KASSA_INVOICE_KIND_CREDIT_NOTE,
} KassaInvoiceKind;

/**
 * KassaInvoiceStatus:
 * @KASSA_INVOICE_STATUS_DRAFT: editable, has no reference number yet
 * @KASSA_INVOICE_STATUS_ISSUED: numbered and sent; frozen
 * @KASSA_INVOICE_STATUS_PAID: settled (for a credit note: paid out)
 * @KASSA_INVOICE_STATUS_CREDITED: cancelled in full by a credit note
 */
typedef enum
{
  KASSA_INVOICE_STATUS_DRAFT,
  KASSA_INVOICE_STATUS_ISSUED,
  KASSA_INVOICE_STATUS_PAID,
  KASSA_INVOICE_STATUS_CREDITED,
} KassaInvoiceStatus;

/**
 * KassaSubscriptionStatus:
 * @KASSA_SUBSCRIPTION_STATUS_INCOMPLETE: the first payment is pending
 * @KASSA_SUBSCRIPTION_STATUS_INCOMPLETE_EXPIRED: the first payment never came
 * @KASSA_SUBSCRIPTION_STATUS_TRIALING: in a free trial
 * @KASSA_SUBSCRIPTION_STATUS_ACTIVE: paid and running
 * @KASSA_SUBSCRIPTION_STATUS_PAST_DUE: a renewal payment failed, retries continue
 * @KASSA_SUBSCRIPTION_STATUS_PAUSED: a trial ended without a payment method
 * @KASSA_SUBSCRIPTION_STATUS_CANCELED: ended for good
 * @KASSA_SUBSCRIPTION_STATUS_UNPAID: retries exhausted, invoices stay open
 *
 * The subscription statuses as Stripe reports them.
 */
typedef enum
{
  KASSA_SUBSCRIPTION_STATUS_INCOMPLETE,
  KASSA_SUBSCRIPTION_STATUS_INCOMPLETE_EXPIRED,
  KASSA_SUBSCRIPTION_STATUS_TRIALING,
  KASSA_SUBSCRIPTION_STATUS_ACTIVE,
  KASSA_SUBSCRIPTION_STATUS_PAST_DUE,
  KASSA_SUBSCRIPTION_STATUS_PAUSED,
  KASSA_SUBSCRIPTION_STATUS_CANCELED,
  KASSA_SUBSCRIPTION_STATUS_UNPAID,
} KassaSubscriptionStatus;

/**
 * KassaServiceSessionStatus:
 * @KASSA_SERVICE_SESSION_STATUS_PENDING: paid, the first service has not been given
 * @KASSA_SERVICE_SESSION_STATUS_ACTIVE: running since the first service
 * @KASSA_SERVICE_SESSION_STATUS_EXPIRED: the paid duration is used up
 * @KASSA_SERVICE_SESSION_STATUS_CANCELLED: ended early (refund, mistake)
 */
typedef enum
{
  KASSA_SERVICE_SESSION_STATUS_PENDING,
  KASSA_SERVICE_SESSION_STATUS_ACTIVE,
  KASSA_SERVICE_SESSION_STATUS_EXPIRED,
  KASSA_SERVICE_SESSION_STATUS_CANCELLED,
} KassaServiceSessionStatus;

/**
 * KassaStaffRole:
 * @KASSA_STAFF_ROLE_ADMIN: everything, including staff and settings
 * @KASSA_STAFF_ROLE_MANAGER: runs the shop, but not staff accounts or settings
 * @KASSA_STAFF_ROLE_CASHIER: sells at the till
 * @KASSA_STAFF_ROLE_CATALOG_MANAGER: keeps the catalog
 * @KASSA_STAFF_ROLE_FULFILMENT: prepares and hands over orders
 * @KASSA_STAFF_ROLE_SERVICE_PROVIDER: gives paid services
 * @KASSA_STAFF_ROLE_REFUND_APPROVER: refunds and approves refunds
 * @KASSA_STAFF_ROLE_VIEWER: reads reports only
 */
typedef enum
{
  KASSA_STAFF_ROLE_ADMIN,
  KASSA_STAFF_ROLE_MANAGER,
  KASSA_STAFF_ROLE_CASHIER,
  KASSA_STAFF_ROLE_CATALOG_MANAGER,
  KASSA_STAFF_ROLE_FULFILMENT,
  KASSA_STAFF_ROLE_SERVICE_PROVIDER,
  KASSA_STAFF_ROLE_REFUND_APPROVER,
  KASSA_STAFF_ROLE_VIEWER,
} KassaStaffRole;

/**
 * KassaPermission:
 * @KASSA_PERMISSION_NONE: no permission
 * @KASSA_PERMISSION_SELL: ring up and take payment
 * @KASSA_PERMISSION_DISCOUNT: give line and document discounts
 * @KASSA_PERMISSION_PRICE_OVERRIDE: change a line's unit price
 * @KASSA_PERMISSION_VOID_LINE: remove a line from a cart
 * @KASSA_PERMISSION_REFUND: refund a sale
 * @KASSA_PERMISSION_APPROVE_REFUND: approve someone else's refund
 * @KASSA_PERMISSION_OPEN_DRAWER: open the cash drawer without a sale
 * @KASSA_PERMISSION_MANAGE_CATALOG: edit items, prices and stock
 * @KASSA_PERMISSION_MANAGE_CUSTOMERS: edit customers
 * @KASSA_PERMISSION_MANAGE_ORDERS: edit and cancel orders
 * @KASSA_PERMISSION_FULFIL_ORDERS: move orders through fulfilment
 * @KASSA_PERMISSION_GIVE_SERVICE: start and end service sessions
 * @KASSA_PERMISSION_MANAGE_INVOICES: draft, issue and credit invoices
 * @KASSA_PERMISSION_MANAGE_SUBSCRIPTIONS: change and cancel subscriptions
 * @KASSA_PERMISSION_VIEW_REPORTS: read sales reports and the journal
 * @KASSA_PERMISSION_MANAGE_SHIFTS: open and close shifts, count the drawer
 * @KASSA_PERMISSION_MANAGE_STAFF: add staff, set roles and PINs
 * @KASSA_PERMISSION_MANAGE_SETTINGS: change store settings and payment providers
 */
typedef enum /*< flags >*/
{
  KASSA_PERMISSION_NONE                 = 0,
  KASSA_PERMISSION_SELL                 = 1 << 0,
  KASSA_PERMISSION_DISCOUNT             = 1 << 1,
  KASSA_PERMISSION_PRICE_OVERRIDE       = 1 << 2,
  KASSA_PERMISSION_VOID_LINE            = 1 << 3,
  KASSA_PERMISSION_REFUND               = 1 << 4,
  KASSA_PERMISSION_APPROVE_REFUND       = 1 << 5,
  KASSA_PERMISSION_OPEN_DRAWER          = 1 << 6,
  KASSA_PERMISSION_MANAGE_CATALOG       = 1 << 7,
  KASSA_PERMISSION_MANAGE_CUSTOMERS     = 1 << 8,
  KASSA_PERMISSION_MANAGE_ORDERS        = 1 << 9,
  KASSA_PERMISSION_FULFIL_ORDERS        = 1 << 10,
  KASSA_PERMISSION_GIVE_SERVICE         = 1 << 11,
  KASSA_PERMISSION_MANAGE_INVOICES      = 1 << 12,
  KASSA_PERMISSION_MANAGE_SUBSCRIPTIONS = 1 << 13,
  KASSA_PERMISSION_VIEW_REPORTS         = 1 << 14,
  KASSA_PERMISSION_MANAGE_SHIFTS        = 1 << 15,
  KASSA_PERMISSION_MANAGE_STAFF         = 1 << 16,
  KASSA_PERMISSION_MANAGE_SETTINGS      = 1 << 17,
} KassaPermission;

#define KASSA_PERMISSION_ALL ((KassaPermission) ((1 << 18) - 1))

G_END_DECLS
