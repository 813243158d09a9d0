/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

/* Shared by the domain tests: drives every writable property of an
 * object through two different values and checks that each real change
 * notifies exactly once, that setting the same value again does not
 * notify, and that the value reads back. */

static void
kassa_test_count_notify_cb (GObject    *object,
                            GParamSpec *pspec,
                            guint      *count)
{
  (*count)++;
}

static gboolean
kassa_test_values_equal (GParamSpec   *pspec,
                         const GValue *a,
                         const GValue *b)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);

  if (type == G_TYPE_DATE_TIME)
    {
      GDateTime *x = g_value_get_boxed (a);
      GDateTime *y = g_value_get_boxed (b);

      return x == y || (x != NULL && y != NULL && g_date_time_equal (x, y));
    }

  if (type == G_TYPE_STRV)
    {
      const char * const *x = g_value_get_boxed (a);
      const char * const *y = g_value_get_boxed (b);

      return x == y || (x != NULL && y != NULL && g_strv_equal (x, y));
    }

  if (type == G_TYPE_BYTES)
    {
      GBytes *x = g_value_get_boxed (a);
      GBytes *y = g_value_get_boxed (b);

      return x == y || (x != NULL && y != NULL && g_bytes_equal (x, y));
    }

  return g_param_values_cmp (pspec, a, b) == 0;
}

/* Fills @value with a value of @pspec's type that differs from @avoid. */
static void
kassa_test_make_value (GParamSpec   *pspec,
                       const GValue *avoid,
                       guint         seed,
                       GValue       *value)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);

  g_value_init (value, type);

  for (guint attempt = 0; attempt < 16; attempt++, seed++)
    {
      if (type == G_TYPE_STRING)
        {
          /* Leading and trailing blanks and a line break: stored as typed. */
          g_autofree char *text = g_strdup_printf ("  value %u\n  of %s ", seed, pspec->name);
          g_value_set_string (value, text);
        }
      else if (type == G_TYPE_INT64)
        {
          GParamSpecInt64 *spec = G_PARAM_SPEC_INT64 (pspec);
          g_value_set_int64 (value, CLAMP ((gint64) 1000 + seed, spec->minimum, spec->maximum));
        }
      else if (type == G_TYPE_INT)
        {
          GParamSpecInt *spec = G_PARAM_SPEC_INT (pspec);
          g_value_set_int (value, CLAMP (-5 + (int) seed, spec->minimum, spec->maximum));
        }
      else if (type == G_TYPE_UINT)
        {
          GParamSpecUInt *spec = G_PARAM_SPEC_UINT (pspec);
          g_value_set_uint (value, CLAMP (3 + seed, spec->minimum, spec->maximum));
        }
      else if (type == G_TYPE_BOOLEAN)
        g_value_set_boolean (value, !g_value_get_boolean (avoid));
      else if (G_TYPE_IS_ENUM (type))
        {
          GEnumClass *klass = G_PARAM_SPEC_ENUM (pspec)->enum_class;
          g_value_set_enum (value, klass->values[seed % klass->n_values].value);
        }
      else if (type == G_TYPE_DATE_TIME)
        {
          g_autoptr(GDateTime) dt = g_date_time_new_utc (2026, 1 + seed % 12, 1 + seed % 28, 9, 30, 0);
          g_value_set_boxed (value, dt);
        }
      else if (type == G_TYPE_STRV)
        {
          g_autofree char *a = g_strdup_printf ("images/%u-front.png", seed);
          g_autofree char *b = g_strdup_printf ("images/%u-back.png", seed);
          const char *strv[] = { a, b, NULL };
          g_value_set_boxed (value, strv);
        }
      else if (type == G_TYPE_BYTES)
        {
          g_autofree char *data = g_strdup_printf ("bytes %u of %s", seed, pspec->name);
          g_autoptr(GBytes) bytes = g_bytes_new (data, strlen (data));
          g_value_set_boxed (value, bytes);
        }
      else if (G_TYPE_IS_OBJECT (type))
        {
          g_autoptr(GObject) object = g_object_new (type, NULL);
          g_value_set_object (value, object);
        }
      else
        g_error ("No test values for property %s of type %s", pspec->name, g_type_name (type));

      if (!kassa_test_values_equal (pspec, value, avoid))
        return;

      g_value_reset (value);
    }

  g_error ("Could not find a second value for %s", pspec->name);
}

/* A fresh object's values agree with its property defaults, so what a
 * GtkBuilder file or a binding assumes is what a new object holds. */
static void
kassa_test_check_defaults (GObject *object)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_pspecs);

  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;
      g_auto(GValue) fallback = G_VALUE_INIT;

      g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (pspecs[i]));
      g_value_init (&fallback, G_PARAM_SPEC_VALUE_TYPE (pspecs[i]));
      g_object_get_property (object, pspecs[i]->name, &value);
      g_param_value_set_default (pspecs[i], &fallback);

      g_test_message ("default of %s", pspecs[i]->name);
      g_assert_true (kassa_test_values_equal (pspecs[i], &value, &fallback));
    }
}

/* @skip: properties with rules of their own (state machines, one-way
 * locks), tested separately. */
static void
kassa_test_check_properties (GObject            *object,
                             const char * const *skip)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;
  guint n_checked = 0;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_pspecs);

  for (guint i = 0; i < n_pspecs; i++)
    {
      GParamSpec *pspec = pspecs[i];
      g_auto(GValue) initial = G_VALUE_INIT;
      g_auto(GValue) first = G_VALUE_INIT;
      g_auto(GValue) second = G_VALUE_INIT;
      g_auto(GValue) read = G_VALUE_INIT;
      g_autofree char *signal = NULL;
      guint count = 0;
      gulong handler;

      if (skip != NULL && g_strv_contains (skip, pspec->name))
        continue;

      if (!(pspec->flags & G_PARAM_WRITABLE))
        continue;

      g_assert_true (pspec->flags & G_PARAM_READABLE);
      g_assert_true (pspec->flags & G_PARAM_EXPLICIT_NOTIFY);

      g_value_init (&initial, G_PARAM_SPEC_VALUE_TYPE (pspec));
      g_object_get_property (object, pspec->name, &initial);

      kassa_test_make_value (pspec, &initial, 1, &first);
      kassa_test_make_value (pspec, &first, 2, &second);

      signal = g_strdup_printf ("notify::%s", pspec->name);
      handler = g_signal_connect (object, signal, G_CALLBACK (kassa_test_count_notify_cb), &count);

      g_object_set_property (object, pspec->name, &first);
      g_test_message ("property %s", pspec->name);
      g_assert_cmpuint (count, ==, 1);

      g_value_init (&read, G_PARAM_SPEC_VALUE_TYPE (pspec));
      g_object_get_property (object, pspec->name, &read);
      g_assert_true (kassa_test_values_equal (pspec, &read, &first));

      /* The same value again is not a change. */
      g_object_set_property (object, pspec->name, &first);
      g_assert_cmpuint (count, ==, 1);

      g_object_set_property (object, pspec->name, &second);
      g_assert_cmpuint (count, ==, 2);

      g_value_reset (&read);
      g_object_get_property (object, pspec->name, &read);
      g_assert_true (kassa_test_values_equal (pspec, &read, &second));

      g_signal_handler_disconnect (object, handler);
      n_checked++;
    }

  /* A type whose properties all got skipped would make this test hollow. */
  g_assert_cmpuint (n_checked, >, 0);
}
