/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-stripe-event"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kassa-payment-error.h"
#include "kassa-stripe-event.h"

/* Deeper nesting than any Stripe object has. json-glib's parser recurses
 * per level, so a hostile body of a million '[' would exhaust the stack;
 * the depth is checked before the parser sees the bytes. */
#define MAX_DEPTH 64

struct _KassaStripeEvent
{
  GObject     parent_instance;

  char       *id;
  char       *event_type;
  gint64      created;
  gboolean    livemode;
  char       *api_version;
  char       *object_id;
  char       *object_type;
  JsonObject *object;
  JsonObject *previous_attributes;
};

G_DEFINE_FINAL_TYPE (KassaStripeEvent, kassa_stripe_event, G_TYPE_OBJECT)

/* Sets the error and returns %NULL, for the many early exits. */
static gpointer
invalid (GError    **error,
         const char *what)
{
  g_set_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_EVENT,
               _("The Stripe event is malformed: %s."), what);
  return NULL;
}

/* Only counts brackets outside strings; json-glib does the real parsing. */
static gboolean
nesting_within_limit (const char *data,
                      gsize       length)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > MAX_DEPTH)
            return FALSE;
        }
      else if ((c == '}' || c == ']') && depth > 0)
        depth--;
    }

  return TRUE;
}

static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonObject *
member_object (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

static void
kassa_stripe_event_finalize (GObject *object)
{
  KassaStripeEvent *self = (KassaStripeEvent *) object;

  g_free (self->id);
  g_free (self->event_type);
  g_free (self->api_version);
  g_free (self->object_id);
  g_free (self->object_type);
  g_clear_pointer (&self->object, json_object_unref);
  g_clear_pointer (&self->previous_attributes, json_object_unref);

  G_OBJECT_CLASS (kassa_stripe_event_parent_class)->finalize (object);
}

static void
kassa_stripe_event_class_init (KassaStripeEventClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kassa_stripe_event_finalize;
}

static void
kassa_stripe_event_init (KassaStripeEvent *self)
{
}

/**
 * kassa_stripe_event_new_from_json:
 * @node: a parsed event
 * @error: return location for a #GError
 *
 * Reads `id`, `type`, `created`, `livemode`, `api_version` and
 * `data.object` (which must carry `id` and `object`). Anything missing
 * or of the wrong kind gives %KASSA_PAYMENT_ERROR_INVALID_EVENT.
 *
 * Returns: (transfer full) (nullable): the event
 */
KassaStripeEvent *
kassa_stripe_event_new_from_json (JsonNode *node,
                                  GError  **error)
{
  g_autoptr(KassaStripeEvent) self = NULL;
  JsonObject *root;
  JsonObject *data;
  JsonObject *object;
  JsonObject *previous;
  JsonNode *member;
  const char *id;
  const char *type;
  const char *kind;
  const char *object_id;
  const char *object_type;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, _("not a JSON object"));

  root = json_node_get_object (node);
  kind = member_string (root, "object");
  if (kind != NULL && !g_str_equal (kind, "event"))
    return invalid (error, _("not an event object"));

  id = member_string (root, "id");
  if (id == NULL || *id == '\0')
    return invalid (error, _("no id"));

  type = member_string (root, "type");
  if (type == NULL || *type == '\0')
    return invalid (error, _("no type"));

  data = member_object (root, "data");
  object = data != NULL ? member_object (data, "object") : NULL;
  if (object == NULL)
    return invalid (error, _("no data.object"));

  object_id = member_string (object, "id");
  object_type = member_string (object, "object");
  if (object_id == NULL || object_type == NULL)
    return invalid (error, _("data.object has no id or type"));

  self = g_object_new (KASSA_TYPE_STRIPE_EVENT, NULL);
  self->id = g_strdup (id);
  self->event_type = g_strdup (type);
  self->api_version = g_strdup (member_string (root, "api_version"));
  self->object_id = g_strdup (object_id);
  self->object_type = g_strdup (object_type);
  self->object = json_object_ref (object);

  previous = member_object (data, "previous_attributes");
  if (previous != NULL)
    self->previous_attributes = json_object_ref (previous);

  member = json_object_get_member (root, "created");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_INT64 ||
      json_node_get_int (member) < 0)
    return invalid (error, _("no creation time"));
  self->created = json_node_get_int (member);

  member = json_object_get_member (root, "livemode");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
      json_node_get_value_type (member) == G_TYPE_BOOLEAN)
    self->livemode = json_node_get_boolean (member);
  else if (member != NULL)
    return invalid (error, _("livemode is not true or false"));

  return g_steal_pointer (&self);
}

/**
 * kassa_stripe_event_new_from_data:
 * @data: (array length=length): JSON text of one event
 * @length: its length, or -1 when nul-terminated
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the event
 */
KassaStripeEvent *
kassa_stripe_event_new_from_data (const char *data,
                                  gssize      length,
                                  GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (data);

  if ((gsize) length > KASSA_STRIPE_EVENT_MAX_SIZE)
    {
      g_set_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_TOO_LARGE,
                   _("The Stripe event is larger than %u bytes."),
                   (guint) KASSA_STRIPE_EVENT_MAX_SIZE);
      return NULL;
    }

  if (length == 0 || !nesting_within_limit (data, length))
    return invalid (error, _("empty or nested too deeply"));

  /* json-glib reads up to a nul in the middle, which would silently
   * drop the rest of the body. */
  if (memchr (data, '\0', length) != NULL)
    return invalid (error, _("contains a nul byte"));

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_EVENT,
                   _("The Stripe event is not valid JSON: %s"), local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    return invalid (error, _("empty"));

  return kassa_stripe_event_new_from_json (root, error);
}

/**
 * kassa_stripe_event_parse_list:
 * @list: a `GET /v1/events` answer (`object` "list", `data`, `has_more`)
 * @has_more: (out) (optional): whether Stripe has more pages
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type KassaStripeEvent) (nullable): the
 *   events in the order Stripe sent them (newest first)
 */
GPtrArray *
kassa_stripe_event_parse_list (JsonObject *list,
                               gboolean   *has_more,
                               GError    **error)
{
  g_autoptr(GPtrArray) events = NULL;
  JsonNode *data;
  JsonNode *more;
  JsonArray *array;

  g_return_val_if_fail (list != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = json_object_get_member (list, "data");
  if (data == NULL || !JSON_NODE_HOLDS_ARRAY (data))
    return invalid (error, _("the event list has no data"));

  array = json_node_get_array (data);
  events = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      KassaStripeEvent *event;

      event = kassa_stripe_event_new_from_json (json_array_get_element (array, i), error);
      if (event == NULL)
        return NULL;
      g_ptr_array_add (events, event);
    }

  if (has_more != NULL)
    {
      more = json_object_get_member (list, "has_more");
      *has_more = more != NULL && JSON_NODE_HOLDS_VALUE (more) &&
                  json_node_get_value_type (more) == G_TYPE_BOOLEAN &&
                  json_node_get_boolean (more);
    }

  return g_steal_pointer (&events);
}

const char *
kassa_stripe_event_get_id (KassaStripeEvent *self)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_EVENT (self), NULL);
  return self->id;
}

const char *
kassa_stripe_event_get_event_type (KassaStripeEvent *self)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_EVENT (self), NULL);
  return self->event_type;
}

gint64
kassa_stripe_event_get_created (KassaStripeEvent *self)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_EVENT (self), 0);
  return self->created;
}

gboolean
kassa_stripe_event_get_livemode (KassaStripeEvent *self)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_EVENT (self), FALSE);
  return self->livemode;
}

const char *
kassa_stripe_event_get_api_version (KassaStripeEvent *self)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_EVENT (self), NULL);
  return self->api_version;
}

const char *
kassa_stripe_event_get_object_id (KassaStripeEvent *self)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_EVENT (self), NULL);
  return self->object_id;
}

const char *
kassa_stripe_event_get_object_type (KassaStripeEvent *self)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_EVENT (self), NULL);
  return self->object_type;
}

/**
 * kassa_stripe_event_get_object:
 *
 * Returns: (transfer none): `data.object`, the object as it was when the
 *   event happened
 */
JsonObject *
kassa_stripe_event_get_object (KassaStripeEvent *self)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_EVENT (self), NULL);
  return self->object;
}

/**
 * kassa_stripe_event_get_previous_attributes:
 *
 * Returns: (transfer none) (nullable): `data.previous_attributes` of
 *   `*.updated` events
 */
JsonObject *
kassa_stripe_event_get_previous_attributes (KassaStripeEvent *self)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_EVENT (self), NULL);
  return self->previous_attributes;
}

/**
 * kassa_stripe_event_get_object_string:
 *
 * Returns: (nullable): a string member of `data.object`, %NULL when it is
 *   absent, null or not a string
 */
const char *
kassa_stripe_event_get_object_string (KassaStripeEvent *self,
                                      const char       *member)
{
  g_return_val_if_fail (KASSA_IS_STRIPE_EVENT (self), NULL);
  g_return_val_if_fail (member != NULL, NULL);

  return member_string (self->object, member);
}

/**
 * kassa_stripe_event_get_object_int:
 *
 * Returns: %TRUE and sets @value when the member is an integer
 */
gboolean
kassa_stripe_event_get_object_int (KassaStripeEvent *self,
                                   const char       *member,
                                   gint64           *value)
{
  JsonNode *node;

  g_return_val_if_fail (KASSA_IS_STRIPE_EVENT (self), FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  node = json_object_get_member (self->object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  *value = json_node_get_int (node);
  return TRUE;
}

/**
 * kassa_stripe_event_get_object_bool:
 *
 * Returns: %TRUE and sets @value when the member is a boolean
 */
gboolean
kassa_stripe_event_get_object_bool (KassaStripeEvent *self,
                                    const char       *member,
                                    gboolean         *value)
{
  JsonNode *node;

  g_return_val_if_fail (KASSA_IS_STRIPE_EVENT (self), FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  node = json_object_get_member (self->object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;

  *value = json_node_get_boolean (node);
  return TRUE;
}
