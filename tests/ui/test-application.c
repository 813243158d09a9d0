/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "kassa-preferences-window.h"
#include "kassa-test-ui.h"
#include "kassa-window.h"

static gboolean
window_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static void
assert_accel (GtkApplication *application,
              const char     *action,
              const char     *expected)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (application, action);

  g_assert_nonnull (accels);
  g_assert_cmpstr (accels[0], ==, expected);
}

static void
test_application_actions (void)
{
  g_autoptr(KassaApplication) application = kassa_test_ui_application_new ();
  const char * const expected[] = { "quit", "about", "preferences", "shortcuts" };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_true (g_action_group_has_action (G_ACTION_GROUP (application), expected[i]));

  assert_accel (GTK_APPLICATION (application), "app.quit", "<Control>q");
  assert_accel (GTK_APPLICATION (application), "app.preferences", "<Control>comma");
  assert_accel (GTK_APPLICATION (application), "app.shortcuts", "<Control>question");
}

static void
test_application_opens_dialogs (void)
{
  g_autoptr(KassaApplication) application = kassa_test_ui_application_new ();
  KassaWindow *window = kassa_window_new (application);
  GtkWindow *about;
  GtkWindow *preferences;
  GtkShortcutsWindow *overlay;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (kassa_test_ui_wait_for (window_is_mapped, window));

  g_action_group_activate_action (G_ACTION_GROUP (application), "about", NULL);
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==, APP_ID);
  gtk_window_destroy (about);

  g_action_group_activate_action (G_ACTION_GROUP (application), "preferences", NULL);
  preferences = find_toplevel (KASSA_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  g_assert_true (gtk_window_get_transient_for (preferences) == GTK_WINDOW (window));
  gtk_window_destroy (preferences);

  /* The shortcuts window comes from the resource at gtk/help-overlay.ui. */
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (overlay);
  g_action_group_activate_action (G_ACTION_GROUP (application), "shortcuts", NULL);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  gtk_widget_set_visible (GTK_WIDGET (overlay), FALSE);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_application_quit_closes_windows (void)
{
  g_autoptr(KassaApplication) application = kassa_test_ui_application_new ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  KassaWindow *window = kassa_window_new (application);
  gpointer window_pointer = window;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (kassa_test_ui_wait_for (window_is_mapped, window));
  g_object_add_weak_pointer (G_OBJECT (window), &window_pointer);
  gtk_window_set_default_size (GTK_WINDOW (window), 1010, 700);

  g_action_group_activate_action (G_ACTION_GROUP (application), "quit", NULL);
  kassa_test_ui_spin (50);

  /* Quitting went through the window's close, which saved its size. */
  g_assert_null (window_pointer);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1010);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (application)));
}

static void
test_application_database_path (void)
{
  g_autoptr(KassaApplication) application = kassa_application_new ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "kassa", "kassa.db", NULL);

  g_unsetenv ("KASSA_DATABASE");
  g_assert_cmpstr (kassa_application_get_database_path (application), ==, expected);
}

static void
test_application_open_shop (void)
{
  g_autofree char *dir = g_dir_make_tmp ("kassa-app-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "shop.db", NULL);
  g_autofree char *junk = g_build_filename (dir, "junk.db", NULL);
  g_autoptr(KassaApplication) application = NULL;
  g_autoptr(KassaApplication) refused = NULL;
  g_autoptr(GError) error = NULL;

  /* The store file is created on first use, once. */
  g_setenv ("KASSA_DATABASE", path, TRUE);
  application = kassa_application_new ();
  g_assert_null (kassa_application_get_shop (application));
  g_assert_true (kassa_application_open_shop (application, &error));
  g_assert_no_error (error);
  g_assert_nonnull (kassa_application_get_shop (application));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (kassa_shop_get_path (kassa_application_get_shop (application)), ==, path);
  g_assert_true (kassa_application_open_shop (application, NULL));

  /* A file that is not a Kassa store is refused and left as it was. */
  g_assert_true (g_file_set_contents (junk, "not a database at all", -1, NULL));
  g_setenv ("KASSA_DATABASE", junk, TRUE);
  refused = kassa_application_new ();
  g_assert_false (kassa_application_open_shop (refused, &error));
  g_assert_nonnull (error);
  g_assert_null (kassa_application_get_shop (refused));
  g_unsetenv ("KASSA_DATABASE");

  g_clear_object (&application);
  g_remove (path);
  g_remove (junk);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_remove (wal);
    g_remove (shm);
  }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (!kassa_test_ui_init (&argc, &argv))
    {
      g_test_add_func ("/kassa/application/no-display", kassa_test_ui_skip_no_display);
      return g_test_run ();
    }

  g_test_add_func ("/kassa/application/actions", test_application_actions);
  g_test_add_func ("/kassa/application/opens-dialogs", test_application_opens_dialogs);
  g_test_add_func ("/kassa/application/quit-closes-windows", test_application_quit_closes_windows);
  g_test_add_func ("/kassa/application/database-path", test_application_database_path);
  g_test_add_func ("/kassa/application/open-shop", test_application_open_shop);

  return g_test_run ();
}
