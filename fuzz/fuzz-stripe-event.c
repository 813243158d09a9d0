/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Event bodies come from the network: any bytes are refused with an
 * error or give an event with an id and a type, whose accessors answer
 * for any member name without crashing. A list page of events is parsed
 * too when the bytes are a JSON object. */
#include "config.h"

#include <stdint.h>

#include <json-glib/json-glib.h>

#include "kassa-stripe-event.h"

#include "kassa-fuzz.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
touch_event (KassaStripeEvent *event)
{
  static const char * const members[] = { "id", "object", "amount", "status", "livemode", "", NULL };
  gint64 number;
  gboolean flag;

  g_assert (kassa_stripe_event_get_id (event) != NULL && *kassa_stripe_event_get_id (event) != '\0');
  g_assert (kassa_stripe_event_get_event_type (event) != NULL);
  (void) kassa_stripe_event_get_created (event);
  (void) kassa_stripe_event_get_livemode (event);
  (void) kassa_stripe_event_get_api_version (event);
  (void) kassa_stripe_event_get_object_id (event);
  (void) kassa_stripe_event_get_object_type (event);
  (void) kassa_stripe_event_get_object (event);
  (void) kassa_stripe_event_get_previous_attributes (event);

  for (guint i = 0; members[i] != NULL; i++)
    {
      (void) kassa_stripe_event_get_object_string (event, members[i]);
      (void) kassa_stripe_event_get_object_int (event, members[i], &number);
      (void) kassa_stripe_event_get_object_bool (event, members[i], &flag);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaStripeEvent) event = NULL;
  g_autoptr(JsonParser) parser = NULL;

  kassa_fuzz_init ();

  event = kassa_stripe_event_new_from_data ((const char *) data, size, &error);
  if (event == NULL)
    {
      g_assert (error != NULL);
      g_clear_error (&error);
    }
  else
    {
      g_assert_no_error (error);
      touch_event (event);
    }

  /* The same bytes as a page of /v1/events. */
  parser = json_parser_new_immutable ();
  /* Empty text parses to no root at all. */
  if (json_parser_load_from_data (parser, (const char *) data, size, NULL) &&
      json_parser_get_root (parser) != NULL &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_autoptr(GPtrArray) events = NULL;
      gboolean has_more = FALSE;

      events = kassa_stripe_event_parse_list (json_node_get_object (json_parser_get_root (parser)),
                                              &has_more, &error);
      if (events == NULL)
        g_assert (error != NULL);
      else
        for (guint i = 0; i < events->len; i++)
          touch_event (g_ptr_array_index (events, i));
    }

  return 0;
}
