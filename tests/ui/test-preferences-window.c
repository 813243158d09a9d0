/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-preferences-window.h"
#include "kassa-test-ui.h"

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_preferences_finalizes (void)
{
  KassaPreferencesWindow *preferences = kassa_preferences_window_new (NULL);
  gpointer pointer = preferences;

  g_object_add_weak_pointer (G_OBJECT (preferences), &pointer);
  gtk_window_present (GTK_WINDOW (preferences));
  kassa_test_ui_spin (50);
  gtk_window_destroy (GTK_WINDOW (preferences));
  kassa_test_ui_spin (50);

  g_assert_null (pointer);
}

static void
test_preferences_write_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  KassaPreferencesWindow *preferences;
  GtkSpinButton *spin;
  AdwComboRow *combo;

  g_settings_set_uint (settings, "auto-lock-minutes", 5);
  g_settings_set_string (settings, "receipt-action", "preview");

  preferences = kassa_preferences_window_new (NULL);
  spin = GTK_SPIN_BUTTON (find_descendant (GTK_WIDGET (preferences), GTK_TYPE_SPIN_BUTTON));
  combo = ADW_COMBO_ROW (find_descendant (GTK_WIDGET (preferences), ADW_TYPE_COMBO_ROW));

  /* The widgets show what is stored… */
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 5);
  g_assert_cmpuint (adw_combo_row_get_selected (combo), ==, 1);

  /* …and store what the person chooses. */
  gtk_spin_button_set_value (spin, 15);
  g_assert_cmpuint (g_settings_get_uint (settings, "auto-lock-minutes"), ==, 15);
  adw_combo_row_set_selected (combo, 0);
  g_assert_cmpstr (g_settings_get_string (settings, "receipt-action"), ==, "print");
  adw_combo_row_set_selected (combo, 2);
  g_assert_cmpstr (g_settings_get_string (settings, "receipt-action"), ==, "none");

  gtk_window_destroy (GTK_WINDOW (preferences));
}

int
main (int   argc,
      char *argv[])
{
  if (!kassa_test_ui_init (&argc, &argv))
    {
      g_test_add_func ("/kassa/preferences-window/no-display", kassa_test_ui_skip_no_display);
      return g_test_run ();
    }

  g_test_add_func ("/kassa/preferences-window/finalizes", test_preferences_finalizes);
  g_test_add_func ("/kassa/preferences-window/write-settings", test_preferences_write_settings);

  return g_test_run ();
}
