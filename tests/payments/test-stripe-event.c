/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-stripe-event"

#include "config.h"

#include <string.h>

#include "kassa-payment-error.h"
#include "kassa-stripe-event.h"

#define COMPLETED \
  "{\"id\":\"evt_1\",\"object\":\"event\",\"api_version\":\"2026-10-28.endive\"," \
  "\"created\":1700000123,\"livemode\":false,\"type\":\"checkout.session.completed\"," \
  "\"data\":{\"object\":{\"id\":\"cs_test_1\",\"object\":\"checkout.session\"," \
  "\"amount_total\":2500,\"payment_status\":\"paid\",\"client_reference_id\":\"42\"," \
  "\"livemode\":false,\"payment_intent\":null}}}"

static void
test_parse (void)
{
  g_autoptr(KassaStripeEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  gint64 amount = 0;
  gboolean live = TRUE;

  event = kassa_stripe_event_new_from_data (COMPLETED, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_stripe_event_get_id (event), ==, "evt_1");
  g_assert_cmpstr (kassa_stripe_event_get_event_type (event), ==, "checkout.session.completed");
  g_assert_cmpint (kassa_stripe_event_get_created (event), ==, 1700000123);
  g_assert_false (kassa_stripe_event_get_livemode (event));
  g_assert_cmpstr (kassa_stripe_event_get_api_version (event), ==, "2026-10-28.endive");
  g_assert_cmpstr (kassa_stripe_event_get_object_id (event), ==, "cs_test_1");
  g_assert_cmpstr (kassa_stripe_event_get_object_type (event), ==, "checkout.session");
  g_assert_cmpstr (kassa_stripe_event_get_object_string (event, "payment_status"), ==, "paid");
  g_assert_cmpstr (kassa_stripe_event_get_object_string (event, "client_reference_id"), ==, "42");
  g_assert_null (kassa_stripe_event_get_object_string (event, "payment_intent"));
  g_assert_null (kassa_stripe_event_get_object_string (event, "amount_total"));
  g_assert_null (kassa_stripe_event_get_previous_attributes (event));
  g_assert_true (kassa_stripe_event_get_object_int (event, "amount_total", &amount));
  g_assert_cmpint (amount, ==, 2500);
  g_assert_false (kassa_stripe_event_get_object_int (event, "payment_status", &amount));
  g_assert_false (kassa_stripe_event_get_object_int (event, "missing", &amount));
  g_assert_true (kassa_stripe_event_get_object_bool (event, "livemode", &live));
  g_assert_false (live);
  g_assert_cmpuint (json_object_get_size (kassa_stripe_event_get_object (event)), ==, 7);
}

static void
test_previous_attributes (void)
{
  g_autoptr(KassaStripeEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  const char *text =
    "{\"id\":\"evt_2\",\"object\":\"event\",\"created\":1,\"livemode\":true,"
    "\"type\":\"customer.subscription.updated\","
    "\"data\":{\"object\":{\"id\":\"sub_1\",\"object\":\"subscription\",\"status\":\"past_due\"},"
    "\"previous_attributes\":{\"status\":\"active\"}}}";

  event = kassa_stripe_event_new_from_data (text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_true (kassa_stripe_event_get_livemode (event));
  g_assert_null (kassa_stripe_event_get_api_version (event));
  g_assert_cmpstr (json_object_get_string_member (kassa_stripe_event_get_previous_attributes (event),
                                                  "status"), ==, "active");
}

static void
test_malformed (void)
{
  static const char *inputs[] = {
    "",
    " ",
    "null",
    "[]",
    "42",
    "\"event\"",
    "{",
    "{\"id\":\"evt_1\"",
    "{}",
    "{\"id\":1,\"type\":\"x\",\"created\":1,\"data\":{\"object\":{\"id\":\"a\",\"object\":\"b\"}}}",
    "{\"id\":\"\",\"type\":\"x\",\"created\":1,\"data\":{\"object\":{\"id\":\"a\",\"object\":\"b\"}}}",
    "{\"id\":\"e\",\"created\":1,\"data\":{\"object\":{\"id\":\"a\",\"object\":\"b\"}}}",
    "{\"id\":\"e\",\"type\":null,\"created\":1,\"data\":{\"object\":{\"id\":\"a\",\"object\":\"b\"}}}",
    "{\"id\":\"e\",\"type\":\"x\",\"created\":1}",
    "{\"id\":\"e\",\"type\":\"x\",\"created\":1,\"data\":[]}",
    "{\"id\":\"e\",\"type\":\"x\",\"created\":1,\"data\":{\"object\":\"cs_1\"}}",
    "{\"id\":\"e\",\"type\":\"x\",\"created\":1,\"data\":{\"object\":{\"object\":\"b\"}}}",
    "{\"id\":\"e\",\"type\":\"x\",\"created\":1,\"data\":{\"object\":{\"id\":\"a\"}}}",
    "{\"id\":\"e\",\"type\":\"x\",\"data\":{\"object\":{\"id\":\"a\",\"object\":\"b\"}}}",
    "{\"id\":\"e\",\"type\":\"x\",\"created\":\"1\",\"data\":{\"object\":{\"id\":\"a\",\"object\":\"b\"}}}",
    "{\"id\":\"e\",\"type\":\"x\",\"created\":1.5,\"data\":{\"object\":{\"id\":\"a\",\"object\":\"b\"}}}",
    "{\"id\":\"e\",\"type\":\"x\",\"created\":-1,\"data\":{\"object\":{\"id\":\"a\",\"object\":\"b\"}}}",
    "{\"id\":\"e\",\"type\":\"x\",\"created\":1,\"livemode\":\"no\",\"data\":{\"object\":{\"id\":\"a\",\"object\":\"b\"}}}",
    "{\"id\":\"e\",\"object\":\"charge\",\"type\":\"x\",\"created\":1,\"data\":{\"object\":{\"id\":\"a\",\"object\":\"b\"}}}",
    "{\"id\":\"e\xff\",\"type\":\"x\",\"created\":1,\"data\":{\"object\":{\"id\":\"a\",\"object\":\"b\"}}}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(KassaStripeEvent) event = NULL;
      g_autoptr(GError) error = NULL;
      /* Escaped, so invalid UTF-8 in an input cannot garble the TAP stream. */
      g_autofree char *shown = g_strescape (inputs[i], NULL);

      g_test_message ("input %" G_GSIZE_FORMAT ": %s", i, shown);
      event = kassa_stripe_event_new_from_data (inputs[i], -1, &error);
      g_assert_null (event);
      g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_EVENT);
    }
}

static void
test_embedded_nul (void)
{
  static const char text[] = "{\"id\":\"evt_1\"}\0garbage";
  g_autoptr(KassaStripeEvent) event = NULL;
  g_autoptr(GError) error = NULL;

  event = kassa_stripe_event_new_from_data (text, sizeof text - 1, &error);
  g_assert_null (event);
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_EVENT);
}

static void
test_hostile_sizes (void)
{
  g_autoptr(GString) deep = g_string_new ("{\"id\":\"e\",\"x\":");
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaStripeEvent) event = NULL;
  g_autofree char *huge = NULL;

  /* Nesting that would blow the parser's stack. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  event = kassa_stripe_event_new_from_data (deep->str, deep->len, &error);
  g_assert_null (event);
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_EVENT);
  g_clear_error (&error);

  /* Brackets inside strings do not count as nesting. */
  g_string_assign (deep, "{\"id\":\"evt_1\",\"type\":\"t\",\"created\":1,\"note\":\"");
  for (guint i = 0; i < 1000; i++)
    g_string_append (deep, "[{\\\"");
  g_string_append (deep, "\",\"data\":{\"object\":{\"id\":\"a\",\"object\":\"b\"}}}");
  event = kassa_stripe_event_new_from_data (deep->str, deep->len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_stripe_event_get_id (event), ==, "evt_1");
  g_clear_object (&event);

  huge = g_strnfill (KASSA_STRIPE_EVENT_MAX_SIZE + 1, ' ');
  event = kassa_stripe_event_new_from_data (huge, -1, &error);
  g_assert_null (event);
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_TOO_LARGE);
}

static void
test_list (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_more = FALSE;
  g_autofree char *text = g_strdup_printf ("{\"object\":\"list\",\"has_more\":true,\"data\":[%s,%s]}",
                                           COMPLETED, COMPLETED);

  node = json_from_string (text, &error);
  g_assert_no_error (error);
  events = kassa_stripe_event_parse_list (json_node_get_object (node), &has_more, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_true (has_more);
  g_assert_cmpstr (kassa_stripe_event_get_id (g_ptr_array_index (events, 1)), ==, "evt_1");

  /* One bad event spoils the page, so the cursor never skips it. */
  g_clear_pointer (&node, json_node_unref);
  node = json_from_string ("{\"object\":\"list\",\"has_more\":false,\"data\":[{\"id\":\"evt_x\"}]}", NULL);
  g_clear_pointer (&events, g_ptr_array_unref);
  events = kassa_stripe_event_parse_list (json_node_get_object (node), &has_more, &error);
  g_assert_null (events);
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_EVENT);
  g_clear_error (&error);

  g_clear_pointer (&node, json_node_unref);
  node = json_from_string ("{\"object\":\"list\",\"data\":{}}", NULL);
  events = kassa_stripe_event_parse_list (json_node_get_object (node), NULL, &error);
  g_assert_null (events);
  g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_EVENT);
}

/* Cheap mutation fuzzing: every truncation and many byte flips of a real
 * event must give an event or an error, never a crash. */
static void
test_mutations (void)
{
  gsize length = strlen (COMPLETED);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261128);
  guint parsed = 0;

  for (gsize cut = 0; cut < length; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KassaStripeEvent) event = kassa_stripe_event_new_from_data (COMPLETED, cut, &error);

      g_assert_null (event);
      g_assert_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_EVENT);
    }

  for (guint round = 0; round < 5000; round++)
    {
      g_autofree char *copy = g_strdup (COMPLETED);
      g_autoptr(GError) error = NULL;
      g_autoptr(KassaStripeEvent) event = NULL;
      guint flips = g_rand_int_range (rand, 1, 4);

      for (guint f = 0; f < flips; f++)
        copy[g_rand_int_range (rand, 0, length)] = (char) g_rand_int_range (rand, 1, 256);

      event = kassa_stripe_event_new_from_data (copy, length, &error);
      g_assert_true ((event == NULL) != (error == NULL));
      if (event != NULL)
        {
          g_assert_nonnull (kassa_stripe_event_get_id (event));
          g_assert_nonnull (kassa_stripe_event_get_object_id (event));
          parsed++;
        }
      else
        g_assert_true (error->domain == KASSA_PAYMENT_ERROR);
    }

  /* Flips inside string values still parse; the test sees both paths. */
  g_assert_cmpuint (parsed, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/stripe-event/parse", test_parse);
  g_test_add_func ("/kassa/stripe-event/previous-attributes", test_previous_attributes);
  g_test_add_func ("/kassa/stripe-event/malformed", test_malformed);
  g_test_add_func ("/kassa/stripe-event/embedded-nul", test_embedded_nul);
  g_test_add_func ("/kassa/stripe-event/hostile-sizes", test_hostile_sizes);
  g_test_add_func ("/kassa/stripe-event/list", test_list);
  g_test_add_func ("/kassa/stripe-event/mutations", test_mutations);

  return g_test_run ();
}
