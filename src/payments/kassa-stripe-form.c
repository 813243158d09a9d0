/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-stripe-form"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "kassa-payment-error.h"
#include "kassa-stripe-form.h"

/* Fields stay in the order they were added: Stripe does not care, but
 * the idempotency layer compares bodies, so the same call must give the
 * same bytes every time. */
struct _KassaStripeForm
{
  GPtrArray *names;
  GPtrArray *values;
};

G_DEFINE_BOXED_TYPE (KassaStripeForm, kassa_stripe_form,
                     kassa_stripe_form_copy, kassa_stripe_form_free)

/* Brackets stay readable in names (Stripe accepts them either way);
 * everything else outside the unreserved set is percent-encoded. */
#define NAME_RESERVED_ALLOWED "[]"

KassaStripeForm *
kassa_stripe_form_new (void)
{
  KassaStripeForm *form = g_new0 (KassaStripeForm, 1);

  form->names = g_ptr_array_new_with_free_func (g_free);
  form->values = g_ptr_array_new_with_free_func (g_free);

  return form;
}

KassaStripeForm *
kassa_stripe_form_copy (const KassaStripeForm *form)
{
  KassaStripeForm *copy;

  g_return_val_if_fail (form != NULL, NULL);

  copy = kassa_stripe_form_new ();
  for (guint i = 0; i < form->names->len; i++)
    kassa_stripe_form_add (copy, g_ptr_array_index (form->names, i),
                           g_ptr_array_index (form->values, i));

  return copy;
}

void
kassa_stripe_form_free (KassaStripeForm *form)
{
  if (form == NULL)
    return;

  g_ptr_array_unref (form->names);
  g_ptr_array_unref (form->values);
  g_free (form);
}

/**
 * kassa_stripe_form_add:
 * @form: a form
 * @name: the full field name, brackets included (`metadata[order_id]`)
 * @value: the value; the empty string clears a field on Stripe's side
 */
void
kassa_stripe_form_add (KassaStripeForm *form,
                       const char      *name,
                       const char      *value)
{
  g_return_if_fail (form != NULL);
  g_return_if_fail (name != NULL && *name != '\0');
  g_return_if_fail (value != NULL);

  g_ptr_array_add (form->names, g_strdup (name));
  g_ptr_array_add (form->values, g_strdup (value));
}

void
kassa_stripe_form_add_int (KassaStripeForm *form,
                           const char      *name,
                           gint64           value)
{
  char buffer[32];

  g_return_if_fail (form != NULL);

  g_snprintf (buffer, sizeof buffer, "%" PRId64, value);
  kassa_stripe_form_add (form, name, buffer);
}

void
kassa_stripe_form_add_bool (KassaStripeForm *form,
                            const char      *name,
                            gboolean         value)
{
  kassa_stripe_form_add (form, name, value ? "true" : "false");
}

/**
 * kassa_stripe_form_add_nested:
 * @form: a form
 * @value: the value
 * @first_part: the outer name (`line_items`)
 * @...: inner parts (`"0"`, `"price_data"`, `"currency"`), then %NULL; an
 *   empty part gives `[]`, an array append
 *
 * Adds `first_part[part][part]…=value`, so callers never paste brackets
 * together themselves.
 */
void
kassa_stripe_form_add_nested (KassaStripeForm *form,
                              const char      *value,
                              const char      *first_part,
                              ...)
{
  g_autoptr(GString) name = NULL;
  const char *part;
  va_list args;

  g_return_if_fail (form != NULL);
  g_return_if_fail (first_part != NULL && *first_part != '\0');

  name = g_string_new (first_part);
  va_start (args, first_part);
  while ((part = va_arg (args, const char *)) != NULL)
    g_string_append_printf (name, "[%s]", part);
  va_end (args);

  kassa_stripe_form_add (form, name->str, value);
}

static gboolean
add_json_node (KassaStripeForm *form,
               const char      *name,
               JsonNode        *node,
               GError         **error)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        for (GList *l = members; l != NULL; l = l->next)
          {
            g_autofree char *inner = name != NULL
              ? g_strdup_printf ("%s[%s]", name, (const char *) l->data)
              : g_strdup (l->data);

            if (!add_json_node (form, inner, json_object_get_member (object, l->data), error))
              return FALSE;
          }
        return TRUE;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        if (name == NULL)
          break;

        /* Stripe wants arrays of objects indexed, and accepts indices for
         * scalars too; indices keep every element's fields together. */
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            g_autofree char *inner = g_strdup_printf ("%s[%u]", name, i);

            if (!add_json_node (form, inner, json_array_get_element (array, i), error))
              return FALSE;
          }
        return TRUE;
      }

    case JSON_NODE_NULL:
      if (name == NULL)
        break;
      kassa_stripe_form_add (form, name, "");
      return TRUE;

    case JSON_NODE_VALUE:
      if (name == NULL)
        break;

      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          kassa_stripe_form_add (form, name, json_node_get_string (node));
          return TRUE;
        case G_TYPE_INT64:
          kassa_stripe_form_add_int (form, name, json_node_get_int (node));
          return TRUE;
        case G_TYPE_BOOLEAN:
          kassa_stripe_form_add_bool (form, name, json_node_get_boolean (node));
          return TRUE;
        default:
          /* Amounts are integers in minor units; a fraction here is a bug
           * upstream and must not be rounded silently. */
          g_set_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST,
                       _("The Stripe parameter “%s” is not a whole number."), name);
          return FALSE;
        }

    default:
      break;
    }

  g_set_error_literal (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST,
                       _("Stripe parameters must be a JSON object."));
  return FALSE;
}

/**
 * kassa_stripe_form_add_json:
 * @form: a form
 * @prefix: (nullable): the name @node sits under, or %NULL when @node is
 *   the object of top-level parameters
 * @node: an object, array, string, integer, boolean or null (which clears)
 * @error: return location for a #GError
 *
 * Flattens @node into bracketed fields. Floating-point numbers are refused.
 *
 * Returns: %TRUE on success; on failure @form is left with the fields
 *   added before the bad one
 */
gboolean
kassa_stripe_form_add_json (KassaStripeForm *form,
                            const char      *prefix,
                            JsonNode        *node,
                            GError         **error)
{
  g_return_val_if_fail (form != NULL, FALSE);
  g_return_val_if_fail (node != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return add_json_node (form, prefix, node, error);
}

guint
kassa_stripe_form_get_length (const KassaStripeForm *form)
{
  g_return_val_if_fail (form != NULL, 0);

  return form->names->len;
}

const char *
kassa_stripe_form_get_name (const KassaStripeForm *form,
                            guint                  index)
{
  g_return_val_if_fail (form != NULL, NULL);
  g_return_val_if_fail (index < form->names->len, NULL);

  return g_ptr_array_index (form->names, index);
}

const char *
kassa_stripe_form_get_value (const KassaStripeForm *form,
                             guint                  index)
{
  g_return_val_if_fail (form != NULL, NULL);
  g_return_val_if_fail (index < form->values->len, NULL);

  return g_ptr_array_index (form->values, index);
}

/**
 * kassa_stripe_form_lookup:
 * @form: a form
 * @name: a full field name
 *
 * Returns: (nullable): the value of the first field called @name
 */
const char *
kassa_stripe_form_lookup (const KassaStripeForm *form,
                          const char            *name)
{
  g_return_val_if_fail (form != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < form->names->len; i++)
    if (g_str_equal (g_ptr_array_index (form->names, i), name))
      return g_ptr_array_index (form->values, i);

  return NULL;
}

/**
 * kassa_stripe_form_encode:
 * @form: a form
 *
 * Returns: (transfer full): the `application/x-www-form-urlencoded` body,
 *   the empty string for an empty form
 */
char *
kassa_stripe_form_encode (const KassaStripeForm *form)
{
  GString *body;

  g_return_val_if_fail (form != NULL, NULL);

  body = g_string_new (NULL);
  for (guint i = 0; i < form->names->len; i++)
    {
      if (i > 0)
        g_string_append_c (body, '&');
      g_string_append_uri_escaped (body, g_ptr_array_index (form->names, i),
                                   NAME_RESERVED_ALLOWED, FALSE);
      g_string_append_c (body, '=');
      g_string_append_uri_escaped (body, g_ptr_array_index (form->values, i),
                                   NULL, FALSE);
    }

  return g_string_free (body, FALSE);
}

/**
 * kassa_stripe_form_parse:
 * @encoded: an `application/x-www-form-urlencoded` body
 * @error: return location for a #GError
 *
 * Reads a body back, keeping order and repeated names (`expand[]`).
 * `+` is read as a space, as browsers send it.
 *
 * Returns: (transfer full) (nullable): the form
 */
KassaStripeForm *
kassa_stripe_form_parse (const char *encoded,
                         GError    **error)
{
  g_autoptr(KassaStripeForm) form = NULL;
  g_autoptr(GError) local_error = NULL;
  GUriParamsIter iter;
  char *name;
  char *value;

  g_return_val_if_fail (encoded != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  form = kassa_stripe_form_new ();
  g_uri_params_iter_init (&iter, encoded, -1, "&", G_URI_PARAMS_WWW_FORM);
  while (g_uri_params_iter_next (&iter, &name, &value, &local_error))
    {
      g_ptr_array_add (form->names, name);
      g_ptr_array_add (form->values, value);
    }

  if (local_error != NULL)
    {
      g_set_error (error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_REQUEST,
                   _("The form body is malformed: %s"), local_error->message);
      return NULL;
    }

  return g_steal_pointer (&form);
}
