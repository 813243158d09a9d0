/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-preferences-window"

#include "config.h"

#include "kassa-preferences-window.h"

struct _KassaPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  GtkSpinButton        *auto_lock_spin;
  AdwComboRow          *receipt_action_row;
};

G_DEFINE_FINAL_TYPE (KassaPreferencesWindow, kassa_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The combo row lists the schema's enum nicks in this order. */
static const char * const receipt_actions[] = { "print", "preview", "none" };

static gboolean
receipt_action_to_selected (GValue   *value,
                            GVariant *variant,
                            gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (receipt_actions); i++)
    {
      if (g_str_equal (nick, receipt_actions[i]))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
selected_to_receipt_action (const GValue       *value,
                            const GVariantType *expected_type,
                            gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected >= G_N_ELEMENTS (receipt_actions))
    return NULL;

  return g_variant_new_string (receipt_actions[selected]);
}

static void
kassa_preferences_window_dispose (GObject *object)
{
  KassaPreferencesWindow *self = KASSA_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KASSA_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (kassa_preferences_window_parent_class)->dispose (object);
}

static void
kassa_preferences_window_class_init (KassaPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kassa_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kassapos/Kassa/ui/kassa-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KassaPreferencesWindow, auto_lock_spin);
  gtk_widget_class_bind_template_child (widget_class, KassaPreferencesWindow, receipt_action_row);
}

static void
kassa_preferences_window_init (KassaPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "auto-lock-minutes",
                   self->auto_lock_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "receipt-action",
                                self->receipt_action_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                receipt_action_to_selected,
                                selected_to_receipt_action,
                                NULL, NULL);
}

KassaPreferencesWindow *
kassa_preferences_window_new (GtkWindow *transient_for)
{
  g_return_val_if_fail (transient_for == NULL || GTK_IS_WINDOW (transient_for), NULL);

  return g_object_new (KASSA_TYPE_PREFERENCES_WINDOW,
                       "transient-for", transient_for,
                       NULL);
}
