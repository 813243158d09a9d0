/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-application"

#include "config.h"

#include <glib/gi18n.h>

#include "kassa-application.h"
#include "kassa-database-path.h"
#include "kassa-preferences-window.h"
#include "kassa-shop.h"
#include "kassa-window.h"

struct _KassaApplication
{
  AdwApplication  parent_instance;

  char           *database_path;
  KassaShop      *shop;
};

G_DEFINE_FINAL_TYPE (KassaApplication, kassa_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Use the store database at PATH"), N_("PATH") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { NULL }
};

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GApplication *application = G_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (application));

  /* Closing the windows lets each save its state first. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }

  g_application_quit (application);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Kassa developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (application),
                        "application-name", _("Kassa"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Kassa developers"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/kassapos/kassa",
                        "issue-url", "https://github.com/kassapos/kassa/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The Kassa developers",
                        /* Translators: put your names here, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  KassaPreferencesWindow *preferences;

  preferences = kassa_preferences_window_new (gtk_application_get_active_window (application));
  kassa_preferences_window_set_shop (preferences, kassa_application_get_shop (KASSA_APPLICATION (application)));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  GtkShortcutsWindow *overlay;

  if (!GTK_IS_APPLICATION_WINDOW (window))
    return;

  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  if (overlay != NULL)
    gtk_window_present (GTK_WINDOW (overlay));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "preferences", preferences_action },
  { "shortcuts", shortcuts_action },
};

static int
kassa_application_handle_local_options (GApplication *application,
                                        GVariantDict *options)
{
  KassaApplication *self = KASSA_APPLICATION (application);
  const char *database = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", "kassa", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  g_variant_dict_lookup (options, "database", "^&ay", &database);
  g_clear_pointer (&self->database_path, g_free);
  self->database_path = kassa_database_path_resolve (database);

  return G_APPLICATION_CLASS (kassa_application_parent_class)->handle_local_options (application, options);
}

static void
kassa_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };
  static const char *no_accels[] = { NULL };
  GtkApplication *gtk_application = GTK_APPLICATION (application);

  G_APPLICATION_CLASS (kassa_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   application);
  gtk_application_set_accels_for_action (gtk_application, "app.quit", quit_accels);
  gtk_application_set_accels_for_action (gtk_application, "app.preferences", preferences_accels);
  /* app.shortcuts owns Ctrl+? so the menu shows it; GTK's own window action would clash. */
  gtk_application_set_accels_for_action (gtk_application, "win.show-help-overlay", no_accels);
  gtk_application_set_accels_for_action (gtk_application, "app.shortcuts", shortcuts_accels);
}

static void
open_failed_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         GApplication     *application)
{
  g_application_quit (application);
}

/* Nothing can be sold or looked up without the store, so a database that
 * cannot be opened is said plainly, with its path, and the application
 * ends instead of showing empty pages. */
static void
show_open_error (KassaApplication *self,
                 GtkWindow        *window,
                 const GError     *error)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (window, _("The Store Cannot Be Opened"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog), "%s\n\n%s",
                                  error->message, kassa_application_get_database_path (self));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "quit", _("_Quit"));
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (open_failed_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
kassa_application_activate (GApplication *application)
{
  KassaApplication *self = KASSA_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));
  g_autoptr(GError) error = NULL;

  if (window == NULL)
    window = GTK_WINDOW (kassa_window_new (self));

  gtk_window_present (window);

  if (self->shop == NULL && !kassa_application_open_shop (self, &error))
    show_open_error (self, window, error);
  else if (KASSA_IS_WINDOW (window) && kassa_window_get_shop (KASSA_WINDOW (window)) == NULL)
    kassa_window_set_shop (KASSA_WINDOW (window), self->shop);
}

static void
kassa_application_finalize (GObject *object)
{
  KassaApplication *self = KASSA_APPLICATION (object);

  g_clear_pointer (&self->database_path, g_free);
  g_clear_object (&self->shop);

  G_OBJECT_CLASS (kassa_application_parent_class)->finalize (object);
}

static void
kassa_application_class_init (KassaApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = kassa_application_finalize;
  application_class->handle_local_options = kassa_application_handle_local_options;
  application_class->startup = kassa_application_startup;
  application_class->activate = kassa_application_activate;
}

static void
kassa_application_init (KassaApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Point of sale and store management"));
}

KassaApplication *
kassa_application_new (void)
{
  return g_object_new (KASSA_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/kassapos/Kassa",
                       NULL);
}

/**
 * kassa_application_get_database_path:
 *
 * Returns: the store database this process works on: `--database`, else
 *   `KASSA_DATABASE`, else the default under the user data folder
 */
const char *
kassa_application_get_database_path (KassaApplication *self)
{
  g_return_val_if_fail (KASSA_IS_APPLICATION (self), NULL);

  if (self->database_path == NULL)
    self->database_path = kassa_database_path_resolve (NULL);

  return self->database_path;
}

/**
 * kassa_application_open_shop:
 *
 * Opens the store database at kassa_application_get_database_path(),
 * creating it on first use. Activating the application does this; it
 * does nothing when the store is already open.
 */
gboolean
kassa_application_open_shop (KassaApplication  *self,
                             GError           **error)
{
  g_return_val_if_fail (KASSA_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->shop != NULL)
    return TRUE;

  self->shop = kassa_shop_open (kassa_application_get_database_path (self), error);

  return self->shop != NULL;
}

/**
 * kassa_application_get_shop:
 *
 * Returns: (transfer none) (nullable): the open store, or %NULL before
 *   the application was activated or when the database could not be opened
 */
KassaShop *
kassa_application_get_shop (KassaApplication *self)
{
  g_return_val_if_fail (KASSA_IS_APPLICATION (self), NULL);

  return self->shop;
}
