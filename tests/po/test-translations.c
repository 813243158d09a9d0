/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

/* Each kind of source that carries translatable strings, checked once in
 * the German catalogue the build compiled. */
static void
test_translations_german_catalogue (void)
{
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Sell"), ==, "Verkaufen");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Products"), ==, "Produkte");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "No command given"), ==, "Kein Befehl angegeben");
  g_assert_cmpstr (g_dpgettext2 (GETTEXT_PACKAGE, "shortcut window", "Quit"), ==, "Beenden");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Lock the till after idle minutes"), ==,
                   "Kasse nach Minuten ohne Eingabe sperren");
}

static void
test_translations_desktop_file (void)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  g_key_file_load_from_file (key_file, g_getenv ("KASSA_DESKTOP_FILE"), G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);

  name = g_key_file_get_locale_string (key_file, "Desktop Entry", "GenericName", "de", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "Kassensystem");
}

static void
test_translations_metainfo (void)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (g_getenv ("KASSA_METAINFO_FILE"), &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, "<summary xml:lang=\"de\">"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* C.UTF-8 always exists; LANGUAGE then picks the catalogue. */
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "de", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("KASSA_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  g_test_add_func ("/kassa/translations/german-catalogue", test_translations_german_catalogue);
  g_test_add_func ("/kassa/translations/desktop-file", test_translations_desktop_file);
  g_test_add_func ("/kassa/translations/metainfo", test_translations_metainfo);

  return g_test_run ();
}
