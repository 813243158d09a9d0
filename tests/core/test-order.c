/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-error.h"
#include "kassa-order.h"

#include "kassa-test-properties.h"

static KassaOrderLine *
make_line (const char *sku,
           gint64      quantity,
           gint64      unit_price)
{
  return g_object_new (KASSA_TYPE_ORDER_LINE,
                       "sku", sku,
                       "name", sku,
                       "quantity", quantity,
                       "unit-price", unit_price,
                       "tax-rate", G_GINT64_CONSTANT (190000),
                       NULL);
}

static KassaPayment *
make_payment (const char *currency,
              gint64      amount)
{
  return g_object_new (KASSA_TYPE_PAYMENT,
                       "provider-id", "cash",
                       "currency-code", currency,
                       "amount", amount,
                       NULL);
}

static KassaOrder *
make_order (KassaOrderMode mode)
{
  KassaOrder *order = g_object_new (KASSA_TYPE_ORDER,
                                    "number", "1001",
                                    "currency-code", "EUR",
                                    "mode", mode,
                                    NULL);
  g_autoptr(KassaOrderLine) a = make_line ("A", 2000, 500);
  g_autoptr(KassaOrderLine) b = make_line ("B", 1000, 1200);

  g_assert_true (kassa_order_add_line (order, a, NULL));
  g_assert_true (kassa_order_add_line (order, b, NULL));

  return order;
}

static void
test_properties (void)
{
  g_autoptr(KassaOrder) order = kassa_order_new ();
  const char *skip[] = { "certified", "payment-status", "dispute-status", "fulfilment-status", NULL };

  kassa_test_check_defaults (G_OBJECT (order));
  kassa_test_check_properties (G_OBJECT (order), skip);
}

static void
test_statuses_load_unchecked (void)
{
  /* A store loads what it saved: no replay through the machines. */
  g_autoptr(KassaOrder) order = g_object_new (KASSA_TYPE_ORDER,
                                              "payment-status", KASSA_PAYMENT_STATUS_REFUNDED,
                                              "dispute-status", KASSA_DISPUTE_STATUS_LOST,
                                              "fulfilment-status", KASSA_FULFILMENT_STATUS_DELIVERED,
                                              NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_REFUNDED);
  g_assert_cmpint (kassa_order_get_dispute_status (order), ==, KASSA_DISPUTE_STATUS_LOST);
  g_assert_cmpint (kassa_order_get_fulfilment_status (order), ==, KASSA_FULFILMENT_STATUS_DELIVERED);

  /* After construction, the machines apply. */
  g_assert_false (kassa_order_set_payment_status (order, KASSA_PAYMENT_STATUS_PAID, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_REFUNDED);
}

static void
test_payment_status (void)
{
  g_autoptr(KassaOrder) order = make_order (KASSA_ORDER_MODE_MANUAL);
  g_autoptr(GError) error = NULL;
  guint count = 0;

  g_signal_connect (order, "notify::payment-status", G_CALLBACK (kassa_test_count_notify_cb), &count);

  g_assert_true (kassa_order_set_payment_status (order, KASSA_PAYMENT_STATUS_FAILED, &error));
  g_assert_true (kassa_order_set_payment_status (order, KASSA_PAYMENT_STATUS_PAID, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 2);

  /* Staying put is not a change and not an error. */
  g_assert_true (kassa_order_set_payment_status (order, KASSA_PAYMENT_STATUS_PAID, &error));
  g_assert_cmpuint (count, ==, 2);

  g_assert_false (kassa_order_set_payment_status (order, KASSA_PAYMENT_STATUS_CREATED, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_assert_cmpstr (error->message, ==, "Payment status cannot go from “Paid” to “Awaiting payment”");
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PAID);
  g_assert_cmpuint (count, ==, 2);
}

static void
test_dispute_needs_payment (void)
{
  g_autoptr(KassaOrder) order = make_order (KASSA_ORDER_MODE_STRIPE);
  g_autoptr(GError) error = NULL;

  g_assert_false (kassa_order_set_dispute_status (order, KASSA_DISPUTE_STATUS_NEEDS_RESPONSE, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_assert_cmpstr (error->message, ==, "An order that is “Awaiting payment” cannot be disputed");
  g_clear_error (&error);

  g_assert_true (kassa_order_set_payment_status (order, KASSA_PAYMENT_STATUS_PAID, NULL));
  g_assert_true (kassa_order_set_dispute_status (order, KASSA_DISPUTE_STATUS_NEEDS_RESPONSE, &error));
  g_assert_true (kassa_order_set_dispute_status (order, KASSA_DISPUTE_STATUS_UNDER_REVIEW, &error));
  g_assert_true (kassa_order_set_dispute_status (order, KASSA_DISPUTE_STATUS_WON, &error));
  g_assert_no_error (error);

  g_assert_false (kassa_order_set_dispute_status (order, KASSA_DISPUTE_STATUS_LOST, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
}

static void
test_fulfilment_pickup_and_delivery (void)
{
  g_autoptr(KassaOrder) pickup = make_order (KASSA_ORDER_MODE_MANUAL);
  g_autoptr(KassaOrder) delivery = make_order (KASSA_ORDER_MODE_MANUAL);
  g_autoptr(GError) error = NULL;

  g_assert_true (kassa_order_set_delivery_method (pickup, KASSA_DELIVERY_METHOD_PICKUP, NULL));
  g_assert_true (kassa_order_set_fulfilment_status (pickup, KASSA_FULFILMENT_STATUS_PREPARING, &error));
  g_assert_false (kassa_order_set_fulfilment_status (pickup, KASSA_FULFILMENT_STATUS_OUT_FOR_DELIVERY, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  g_assert_true (kassa_order_set_fulfilment_status (pickup, KASSA_FULFILMENT_STATUS_READY_FOR_PICKUP, &error));
  g_assert_true (kassa_order_set_fulfilment_status (pickup, KASSA_FULFILMENT_STATUS_DELIVERED, &error));
  g_assert_no_error (error);

  g_assert_true (kassa_order_set_delivery_method (delivery, KASSA_DELIVERY_METHOD_DELIVERY, NULL));
  g_assert_true (kassa_order_set_fulfilment_status (delivery, KASSA_FULFILMENT_STATUS_PREPARING, &error));
  g_assert_false (kassa_order_set_fulfilment_status (delivery, KASSA_FULFILMENT_STATUS_READY_FOR_PICKUP, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  g_assert_true (kassa_order_set_fulfilment_status (delivery, KASSA_FULFILMENT_STATUS_OUT_FOR_DELIVERY, &error));
  g_assert_true (kassa_order_set_fulfilment_status (delivery, KASSA_FULFILMENT_STATUS_CANCELLED, &error));
  g_assert_no_error (error);
  g_assert_false (kassa_order_set_fulfilment_status (delivery, KASSA_FULFILMENT_STATUS_DELIVERED, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
}

#define ASSERT_LOCKED(call)                                   \
  G_STMT_START {                                              \
    g_autoptr(GError) _error = NULL;                          \
    GError **error = &_error;                                 \
    g_assert_false (call);                                    \
    g_assert_error (_error, KASSA_ERROR, KASSA_ERROR_LOCKED); \
  } G_STMT_END

static void
test_stripe_mode_locks (void)
{
  g_autoptr(KassaOrder) order = make_order (KASSA_ORDER_MODE_STRIPE);
  g_autoptr(KassaOrderLine) extra = make_line ("C", 1000, 1);
  g_autoptr(KassaOrderLine) first = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 11, 25, 12, 0, 0);
  g_autoptr(KassaPayment) payment = make_payment ("EUR", 2200);
  g_autoptr(GError) error = NULL;
  guint count = 0;

  g_assert_true (kassa_order_set_delivery_method (order, KASSA_DELIVERY_METHOD_DELIVERY, NULL));
  g_assert_true (kassa_order_set_shipping_address (order, "Main St 1\n12345 Town", NULL));
  g_assert_true (kassa_order_set_shipping_cost (order, 490, NULL));
  g_assert_false (kassa_order_is_locked (order));

  g_assert_true (kassa_order_set_certified (order, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (kassa_order_is_locked (order));

  g_signal_connect (order, "notify", G_CALLBACK (kassa_test_count_notify_cb), &count);

  ASSERT_LOCKED (kassa_order_set_number (order, "1002", error));
  ASSERT_LOCKED (kassa_order_set_customer_id (order, 7, error));
  ASSERT_LOCKED (kassa_order_set_currency_code (order, "USD", error));
  ASSERT_LOCKED (kassa_order_set_mode (order, KASSA_ORDER_MODE_MANUAL, error));
  ASSERT_LOCKED (kassa_order_set_certified (order, FALSE, error));
  ASSERT_LOCKED (kassa_order_set_delivery_method (order, KASSA_DELIVERY_METHOD_PICKUP, error));
  ASSERT_LOCKED (kassa_order_set_shipping_cost (order, 0, error));
  ASSERT_LOCKED (kassa_order_set_shipping_tax_rate (order, 70000, error));
  ASSERT_LOCKED (kassa_order_set_shipping_address (order, "Elsewhere", error));
  ASSERT_LOCKED (kassa_order_set_billing_address (order, "Elsewhere", error));
  ASSERT_LOCKED (kassa_order_set_stripe_checkout_session_id (order, "cs_other", error));
  ASSERT_LOCKED (kassa_order_set_created_at (order, when, error));
  ASSERT_LOCKED (kassa_order_set_prices_include_tax (order, TRUE, error));
  ASSERT_LOCKED (kassa_order_set_tax_scope (order, KASSA_TAX_SCOPE_LINE, error));
  ASSERT_LOCKED (kassa_order_set_rounding (order, KASSA_ROUNDING_HALF_EVEN, error));
  ASSERT_LOCKED (kassa_order_set_discount_kind (order, KASSA_DISCOUNT_AMOUNT, error));
  ASSERT_LOCKED (kassa_order_set_discount_value (order, 10, error));
  ASSERT_LOCKED (kassa_order_add_line (order, extra, error));
  ASSERT_LOCKED (kassa_order_remove_line (order, 0, error));

  /* The lines themselves are frozen too. */
  first = g_list_model_get_item (kassa_order_get_lines (order), 0);
  g_assert_true (kassa_order_line_get_locked (first));
  ASSERT_LOCKED (kassa_order_line_set_quantity (first, 5000, error));
  ASSERT_LOCKED (kassa_order_line_set_unit_price (first, 1, error));
  ASSERT_LOCKED (kassa_order_line_set_discount_kind (first, KASSA_DISCOUNT_PERCENT, error));
  ASSERT_LOCKED (kassa_order_line_set_item_id (first, 8, error));

  g_assert_cmpuint (count, ==, 0);
  g_assert_cmpstr (kassa_order_get_number (order), ==, "1001");
  g_assert_cmpstr (kassa_order_get_currency_code (order), ==, "EUR");
  g_assert_cmpstr (kassa_order_get_shipping_address (order), ==, "Main St 1\n12345 Town");
  g_assert_cmpint (kassa_order_get_shipping_cost (order), ==, 490);
  g_assert_cmpuint (g_list_model_get_n_items (kassa_order_get_lines (order)), ==, 2);
  g_assert_cmpint (kassa_order_line_get_quantity (first), ==, 2000);

  /* What stays open: fulfilment, tracking, and what Stripe reports. */
  g_assert_true (kassa_order_set_fulfilment_status (order, KASSA_FULFILMENT_STATUS_PREPARING, &error));
  g_assert_true (kassa_order_set_fulfilment_status (order, KASSA_FULFILMENT_STATUS_OUT_FOR_DELIVERY, &error));
  kassa_order_set_tracking_url (order, "https://track.example/abc");
  kassa_order_set_shipping_status (order, "In transit, Leipzig hub");
  kassa_order_set_stripe_payment_intent_id (order, "pi_123");
  kassa_order_set_paid_at (order, when);
  g_assert_true (kassa_order_add_payment (order, payment, &error));
  g_assert_true (kassa_order_set_payment_status (order, KASSA_PAYMENT_STATUS_PAID, &error));
  g_assert_true (kassa_order_record_refund (order, 0, 200, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (kassa_order_get_tracking_url (order), ==, "https://track.example/abc");
  g_assert_cmpstr (kassa_order_get_shipping_status (order), ==, "In transit, Leipzig hub");
  g_assert_cmpint (kassa_order_get_fulfilment_status (order), ==, KASSA_FULFILMENT_STATUS_OUT_FOR_DELIVERY);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PARTIALLY_REFUNDED);
}

static void
test_manual_mode_editable (void)
{
  g_autoptr(KassaOrder) order = make_order (KASSA_ORDER_MODE_MANUAL);
  g_autoptr(KassaOrderLine) extra = make_line ("C", 1000, 1);
  g_autoptr(KassaOrderLine) first = NULL;
  g_autoptr(GError) error = NULL;

  /* Manual orders are never certified. */
  g_assert_false (kassa_order_set_certified (order, TRUE, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kassa_order_get_certified (order));

  g_assert_true (kassa_order_set_payment_status (order, KASSA_PAYMENT_STATUS_PAID, NULL));

  g_assert_true (kassa_order_set_number (order, "1002", &error));
  g_assert_true (kassa_order_set_currency_code (order, "CHF", &error));
  g_assert_true (kassa_order_set_shipping_cost (order, 900, &error));
  g_assert_true (kassa_order_add_line (order, extra, &error));
  g_assert_true (kassa_order_remove_line (order, 0, &error));
  g_assert_no_error (error);

  first = g_list_model_get_item (kassa_order_get_lines (order), 0);
  g_assert_cmpstr (kassa_order_line_get_sku (first), ==, "B");
  g_assert_true (kassa_order_line_set_quantity (first, 3000, &error));
  g_assert_no_error (error);

  g_assert_false (kassa_order_remove_line (order, 2, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
}

static void
test_certify_needs_lines (void)
{
  g_autoptr(KassaOrder) order = g_object_new (KASSA_TYPE_ORDER,
                                              "mode", KASSA_ORDER_MODE_STRIPE,
                                              NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (kassa_order_set_certified (order, TRUE, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_false (kassa_order_is_locked (order));
}

static void
test_locked_message (void)
{
  g_autoptr(KassaOrder) order = make_order (KASSA_ORDER_MODE_STRIPE);
  g_autoptr(GError) error = NULL;

  g_assert_true (kassa_order_set_certified (order, TRUE, NULL));
  g_assert_false (kassa_order_set_shipping_address (order, "x", &error));
  g_assert_cmpstr (error->message, ==, "Order 1001 is certified by Stripe; its shipping-address cannot change");
}

static void
test_stripe_before_certification (void)
{
  g_autoptr(KassaOrder) order = make_order (KASSA_ORDER_MODE_STRIPE);
  g_autoptr(KassaOrderLine) extra = make_line ("C", 1000, 1);

  /* Until Stripe certifies it, a Stripe order is still being put together. */
  g_assert_true (kassa_order_add_line (order, extra, NULL));
  g_assert_true (kassa_order_set_shipping_cost (order, 100, NULL));
  g_assert_true (kassa_order_set_mode (order, KASSA_ORDER_MODE_MANUAL, NULL));
}

static void
test_payments_and_refunds (void)
{
  g_autoptr(KassaOrder) order = make_order (KASSA_ORDER_MODE_MANUAL);
  g_autoptr(KassaPayment) cash = make_payment ("EUR", 1000);
  g_autoptr(KassaPayment) card = make_payment ("EUR", 1200);
  g_autoptr(KassaPayment) dollars = make_payment ("USD", 1000);
  g_autoptr(KassaPayment) zero = make_payment ("EUR", 0);
  g_autoptr(KassaPayment) late = make_payment ("EUR", 5);
  g_autoptr(GError) error = NULL;

  g_assert_false (kassa_order_add_payment (order, dollars, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_CURRENCY_MISMATCH);
  g_clear_error (&error);
  g_assert_false (kassa_order_add_payment (order, zero, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (kassa_order_add_payment (order, cash, &error));
  g_assert_true (kassa_order_add_payment (order, card, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kassa_order_get_amount_paid (order), ==, 2200);

  /* Nothing to refund before the order is paid; the payment is untouched. */
  g_assert_false (kassa_order_record_refund (order, 0, 100, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  g_assert_cmpint (kassa_payment_get_refunded_amount (cash), ==, 0);

  g_assert_true (kassa_order_set_payment_status (order, KASSA_PAYMENT_STATUS_PAID, NULL));

  g_assert_false (kassa_order_record_refund (order, 0, 1001, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kassa_order_record_refund (order, 0, 0, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kassa_order_record_refund (order, 2, 10, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (kassa_order_record_refund (order, 0, 400, &error));
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PARTIALLY_REFUNDED);
  g_assert_true (kassa_order_record_refund (order, 0, 600, &error));
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_PARTIALLY_REFUNDED);
  g_assert_cmpint (kassa_payment_get_refunded_amount (cash), ==, 1000);
  g_assert_true (kassa_order_record_refund (order, 1, 1200, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kassa_order_get_payment_status (order), ==, KASSA_PAYMENT_STATUS_REFUNDED);
  g_assert_cmpint (kassa_order_get_amount_refunded (order), ==, 2200);

  g_assert_false (kassa_order_add_payment (order, late, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
}

static void
test_addresses_exact (void)
{
  g_autoptr(KassaOrder) order = kassa_order_new ();
  const char *address = "  Attn: Goods In \n\n  Unit 7, Dock Road\t\nPort  Talbot   SA13 1RB  ";

  g_assert_true (kassa_order_set_shipping_address (order, address, NULL));
  g_assert_true (kassa_order_set_billing_address (order, address, NULL));
  g_assert_cmpstr (kassa_order_get_shipping_address (order), ==, address);
  g_assert_cmpstr (kassa_order_get_billing_address (order), ==, address);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/order/properties", test_properties);
  g_test_add_func ("/kassa/order/statuses-load-unchecked", test_statuses_load_unchecked);
  g_test_add_func ("/kassa/order/payment-status", test_payment_status);
  g_test_add_func ("/kassa/order/dispute-needs-payment", test_dispute_needs_payment);
  g_test_add_func ("/kassa/order/fulfilment-pickup-and-delivery", test_fulfilment_pickup_and_delivery);
  g_test_add_func ("/kassa/order/stripe-mode-locks", test_stripe_mode_locks);
  g_test_add_func ("/kassa/order/stripe-before-certification", test_stripe_before_certification);
  g_test_add_func ("/kassa/order/certify-needs-lines", test_certify_needs_lines);
  g_test_add_func ("/kassa/order/locked-message", test_locked_message);
  g_test_add_func ("/kassa/order/manual-mode-editable", test_manual_mode_editable);
  g_test_add_func ("/kassa/order/payments-and-refunds", test_payments_and_refunds);
  g_test_add_func ("/kassa/order/addresses-exact", test_addresses_exact);

  return g_test_run ();
}
