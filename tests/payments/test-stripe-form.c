/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-stripe-form"

#include "config.h"

#include <string.h>

#include "kassa-payment-error.h"
#include "kassa-stripe-form.h"

static void
test_empty (void)
{
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  g_autofree char *body = kassa_stripe_form_encode (form);

  g_assert_cmpstr (body, ==, "");
  g_assert_cmpuint (kassa_stripe_form_get_length (form), ==, 0);
}

static void
test_builder (void)
{
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  g_autofree char *body = NULL;

  kassa_stripe_form_add (form, "mode", "payment");
  kassa_stripe_form_add_nested (form, "eur", "line_items", "0", "price_data", "currency", NULL);
  kassa_stripe_form_add_nested (form, "1250", "line_items", "0", "price_data", "unit_amount", NULL);
  kassa_stripe_form_add_nested (form, "Café crème", "line_items", "0", "price_data", "product_data", "name", NULL);
  kassa_stripe_form_add_int (form, "line_items[0][quantity]", 2);
  kassa_stripe_form_add_nested (form, "42", "metadata", "order_id", NULL);
  kassa_stripe_form_add_nested (form, "payment_intent", "expand", "", NULL);
  kassa_stripe_form_add_bool (form, "cancel_at_period_end", TRUE);
  kassa_stripe_form_add (form, "success_url", "https://shop.example/ok?order=42&x=a b");
  kassa_stripe_form_add_int (form, "amount", -5);

  body = kassa_stripe_form_encode (form);
  g_assert_cmpstr (body, ==,
                   "mode=payment"
                   "&line_items[0][price_data][currency]=eur"
                   "&line_items[0][price_data][unit_amount]=1250"
                   "&line_items[0][price_data][product_data][name]=Caf%C3%A9%20cr%C3%A8me"
                   "&line_items[0][quantity]=2"
                   "&metadata[order_id]=42"
                   "&expand[]=payment_intent"
                   "&cancel_at_period_end=true"
                   "&success_url=https%3A%2F%2Fshop.example%2Fok%3Forder%3D42%26x%3Da%20b"
                   "&amount=-5");

  g_assert_cmpstr (kassa_stripe_form_lookup (form, "metadata[order_id]"), ==, "42");
  g_assert_null (kassa_stripe_form_lookup (form, "metadata"));
}

static void
test_escaping_names (void)
{
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  g_autofree char *body = NULL;

  /* Metadata keys come from people; '&' and '=' must not split fields. */
  kassa_stripe_form_add_nested (form, "x=1&y", "metadata", "a&b=c", NULL);
  body = kassa_stripe_form_encode (form);
  g_assert_cmpstr (body, ==, "metadata[a%26b%3Dc]=x%3D1%26y");
}

static void
test_json (void)
{
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;

  node = json_from_string ("{\"mode\":\"payment\","
                           "\"line_items\":[{\"price_data\":{\"currency\":\"eur\",\"unit_amount\":1250,"
                           "\"product_data\":{\"name\":\"Tea\"}},\"quantity\":1},"
                           "{\"price_data\":{\"currency\":\"eur\",\"unit_amount\":300,"
                           "\"product_data\":{\"name\":\"Cake\"}},\"quantity\":3}],"
                           "\"metadata\":{\"order_id\":\"42\",\"till\":\"1\"},"
                           "\"automatic_tax\":{\"enabled\":false},"
                           "\"description\":null}", &error);
  g_assert_no_error (error);

  g_assert_true (kassa_stripe_form_add_json (form, NULL, node, &error));
  g_assert_no_error (error);

  body = kassa_stripe_form_encode (form);
  g_assert_cmpstr (body, ==,
                   "mode=payment"
                   "&line_items[0][price_data][currency]=eur"
                   "&line_items[0][price_data][unit_amount]=1250"
                   "&line_items[0][price_data][product_data][name]=Tea"
                   "&line_items[0][quantity]=1"
                   "&line_items[1][price_data][currency]=eur"
                   "&line_items[1][price_data][unit_amount]=300"
                   "&line_items[1][price_data][product_data][name]=Cake"
                   "&line_items[1][quantity]=3"
                   "&metadata[order_id]=42"
                   "&metadata[till]=1"
                   "&automatic_tax[enabled]=false"
                   "&description=");
}

static void
test_json_prefix (void)
{
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string ("[\"card_present\",\"interac_present\"]", NULL);
  g_autofree char *body = NULL;

  g_assert_true (kassa_stripe_form_add_json (form, "allowed_payment_method_types", node, &error));
  g_assert_no_error (error);
  body = kassa_stripe_form_encode (form);
  g_assert_cmpstr (body, ==,
                   "allowed_payment_method_types[0]=card_present"
                   "&allowed_payment_method_types[1]=interac_present");
}

static void
test_json_refuses_fractions (void)
{
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string ("{\"amount\":12.5}", NULL);
  g_autoptr(JsonNode) scalar = json_from_string ("7", NULL);

  g_assert_false (kassa_stripe_form_add_json (form, NULL, node, &error));
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "amount"));
  g_clear_error (&error);

  /* A bare scalar has no name to go under. */
  g_assert_false (kassa_stripe_form_add_json (form, NULL, scalar, &error));
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST);
  g_assert_cmpuint (kassa_stripe_form_get_length (form), ==, 0);
}

static void
test_round_trip (void)
{
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  g_autoptr(KassaStripeForm) parsed = NULL;
  g_autoptr(KassaStripeForm) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *again = NULL;

  kassa_stripe_form_add (form, "expand[]", "a");
  kassa_stripe_form_add (form, "expand[]", "b");
  kassa_stripe_form_add (form, "metadata[note]", "ümlaut & co = 100%");
  kassa_stripe_form_add (form, "empty", "");
  body = kassa_stripe_form_encode (form);

  parsed = kassa_stripe_form_parse (body, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kassa_stripe_form_get_length (parsed), ==, 4);
  g_assert_cmpstr (kassa_stripe_form_get_name (parsed, 1), ==, "expand[]");
  g_assert_cmpstr (kassa_stripe_form_get_value (parsed, 1), ==, "b");
  g_assert_cmpstr (kassa_stripe_form_lookup (parsed, "metadata[note]"), ==, "ümlaut & co = 100%");
  g_assert_cmpstr (kassa_stripe_form_lookup (parsed, "empty"), ==, "");

  copy = kassa_stripe_form_copy (parsed);
  again = kassa_stripe_form_encode (copy);
  g_assert_cmpstr (again, ==, body);

  /* Browsers send spaces as '+'. */
  g_clear_pointer (&parsed, kassa_stripe_form_free);
  parsed = kassa_stripe_form_parse ("q=a+b", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_stripe_form_lookup (parsed, "q"), ==, "a b");
}

static void
test_parse_malformed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaStripeForm) parsed = NULL;

  parsed = kassa_stripe_form_parse ("a=%zz", &error);
  g_assert_null (parsed);
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/stripe-form/empty", test_empty);
  g_test_add_func ("/kassa/stripe-form/builder", test_builder);
  g_test_add_func ("/kassa/stripe-form/escaping-names", test_escaping_names);
  g_test_add_func ("/kassa/stripe-form/json", test_json);
  g_test_add_func ("/kassa/stripe-form/json-prefix", test_json_prefix);
  g_test_add_func ("/kassa/stripe-form/json-refuses-fractions", test_json_refuses_fractions);
  g_test_add_func ("/kassa/stripe-form/round-trip", test_round_trip);
  g_test_add_func ("/kassa/stripe-form/parse-malformed", test_parse_malformed);

  return g_test_run ();
}
