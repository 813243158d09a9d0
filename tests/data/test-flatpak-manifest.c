/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Checks the Flatpak manifest against the tree it builds: the application id,
 * the command, the sandbox permissions, the sources of every module and, when
 * flatpak-builder is installed, what flatpak-builder itself makes of it.
 *
 * The manifest path comes from the first argument or KASSA_FLATPAK_MANIFEST;
 * KASSA_APP_ID names the expected application id and KASSA_PROGRAMS the
 * programs the project installs, separated by colons, the first being the
 * graphical one the manifest must start.
 */

#include <string.h>

#include <glib.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

static char *manifest_path;

/* Permissions the application needs: the display, the GPU, the network for
 * Stripe, and IPC for X11 shared memory. */
static const char * const required_finish_args[] = {
  "--share=ipc",
  "--share=network",
  "--socket=wayland",
  "--socket=fallback-x11",
  "--device=dri",
  NULL
};

/* Printing goes through the print portal, keys through the Secret portal and
 * files through the file chooser portal, so none of these is needed. */
static const char * const forbidden_finish_args[] = {
  "--socket=cups",
  "--socket=x11",
  "--socket=session-bus",
  "--socket=system-bus",
  "--talk-name=org.freedesktop.secrets",
  "--device=all",
  NULL
};

/* Any form of these (":ro", ":rw", a subfolder) opens the host files. */
static const char * const forbidden_filesystems[] = {
  "host",
  "host-os",
  "host-etc",
  "home",
  "~",
  NULL
};

static JsonNode *
load_json (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));

  return json_node_copy (json_parser_get_root (parser));
}

static JsonObject *
load_manifest (JsonNode **out_root)
{
  JsonNode *root = load_json (manifest_path);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  *out_root = root;

  return json_node_get_object (root);
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static char **
get_programs (void)
{
  const char *programs = g_getenv ("KASSA_PROGRAMS");

  g_assert_nonnull (programs);

  return g_strsplit (programs, ":", -1);
}

static gboolean
is_sha256 (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;

  return TRUE;
}

static gboolean
check_path_exists (const char *base_dir,
                   const char *module_name,
                   const char *relative)
{
  g_autofree char *path = NULL;

  /* A manifest that names host paths builds only on one machine. */
  if (relative == NULL || g_path_is_absolute (relative))
    {
      g_test_fail_printf ("module %s: source path %s is not relative to the manifest",
                          module_name, relative ? relative : "(none)");
      return FALSE;
    }

  path = g_build_filename (base_dir, relative, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_fail_printf ("module %s: source path %s does not exist", module_name, relative);
      return FALSE;
    }

  return TRUE;
}

static void
check_source (const char *base_dir,
              const char *module_name,
              JsonNode   *source_node)
{
  JsonObject *source;
  const char *type;

  /* A string is a file holding more sources. */
  if (JSON_NODE_HOLDS_VALUE (source_node))
    {
      check_path_exists (base_dir, module_name, json_node_get_string (source_node));
      return;
    }

  g_assert_true (JSON_NODE_HOLDS_OBJECT (source_node));
  source = json_node_get_object (source_node);
  type = get_string_member (source, "type");
  g_assert_nonnull (type);

  if (g_str_equal (type, "dir") || g_str_equal (type, "file")
      || g_str_equal (type, "patch") || g_str_equal (type, "archive"))
    {
      const char *path = get_string_member (source, "path");

      if (path != NULL)
        check_path_exists (base_dir, module_name, path);
      else if (g_str_equal (type, "dir"))
        g_test_fail_printf ("module %s: a dir source needs a path", module_name);
    }

  if (g_str_equal (type, "patch") && json_object_has_member (source, "paths"))
    {
      JsonArray *paths = json_object_get_array_member (source, "paths");

      for (guint i = 0; i < json_array_get_length (paths); i++)
        check_path_exists (base_dir, module_name,
                           json_array_get_string_element (paths, i));
    }

  /* Whatever is downloaded must be pinned to its exact bytes. */
  if ((g_str_equal (type, "archive") || g_str_equal (type, "file"))
      && !json_object_has_member (source, "path"))
    {
      const char *url = get_string_member (source, "url");
      const char *sha256 = get_string_member (source, "sha256");

      if (url == NULL || !g_str_has_prefix (url, "https://"))
        g_test_fail_printf ("module %s: a download needs an https url, not %s",
                            module_name, url ? url : "(none)");
      if (!is_sha256 (sha256))
        g_test_fail_printf ("module %s: %s needs a sha256 of 64 lower-case hex digits",
                            module_name, url ? url : "a download");
    }
}

static void
check_modules (const char *base_dir,
               JsonArray  *modules,
               GHashTable *seen_names,
               guint      *n_modules)
{
  for (guint i = 0; i < json_array_get_length (modules); i++)
    {
      JsonNode *node = json_array_get_element (modules, i);
      JsonObject *module;
      const char *name;

      /* A string is a file holding one module, relative to this one. */
      if (JSON_NODE_HOLDS_VALUE (node))
        {
          const char *relative = json_node_get_string (node);
          g_autofree char *path = g_build_filename (base_dir, relative, NULL);
          g_autofree char *dir = g_path_get_dirname (path);
          g_autoptr(JsonNode) included = NULL;
          g_autoptr(JsonArray) single = json_array_new ();

          if (!check_path_exists (base_dir, "(included)", relative))
            continue;
          included = load_json (path);
          json_array_add_element (single, json_node_copy (included));
          check_modules (dir, single, seen_names, n_modules);
          continue;
        }

      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      module = json_node_get_object (node);
      name = get_string_member (module, "name");
      g_assert_nonnull (name);
      g_assert_cmpstr (name, !=, "");

      if (!g_hash_table_add (seen_names, g_strdup (name)))
        g_test_fail_printf ("module name %s appears more than once", name);
      (*n_modules)++;

      if (json_object_has_member (module, "sources"))
        {
          JsonArray *sources = json_object_get_array_member (module, "sources");

          g_assert_cmpuint (json_array_get_length (sources), >, 0);
          for (guint j = 0; j < json_array_get_length (sources); j++)
            check_source (base_dir, name, json_array_get_element (sources, j));
        }

      if (json_object_has_member (module, "modules"))
        check_modules (base_dir, json_object_get_array_member (module, "modules"),
                       seen_names, n_modules);
    }
}

static JsonObject *
find_module (JsonArray  *modules,
             const char *name)
{
  for (guint i = 0; i < json_array_get_length (modules); i++)
    {
      JsonNode *node = json_array_get_element (modules, i);

      if (JSON_NODE_HOLDS_OBJECT (node)
          && g_strcmp0 (get_string_member (json_node_get_object (node), "name"), name) == 0)
        return json_node_get_object (node);
    }

  return NULL;
}

static void
test_manifest_parses (void)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *manifest = load_manifest (&root);

  g_assert_cmpstr (get_string_member (manifest, "runtime"), ==, "org.gnome.Platform");
  g_assert_cmpstr (get_string_member (manifest, "sdk"), ==, "org.gnome.Sdk");
  g_assert_nonnull (get_string_member (manifest, "runtime-version"));
  g_assert_true (json_object_has_member (manifest, "modules"));
}

static void
test_manifest_app_id (void)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *manifest = load_manifest (&root);
  const char *id = get_string_member (manifest, "id");
  const char *app_id = get_string_member (manifest, "app-id");

  /* flatpak-builder takes either spelling, but not both. */
  g_assert_true ((id == NULL) != (app_id == NULL));
  g_assert_cmpstr (id ? id : app_id, ==, g_getenv ("KASSA_APP_ID"));
}

static void
test_manifest_command (void)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *manifest = load_manifest (&root);
  g_auto(GStrv) programs = get_programs ();
  const char *command = get_string_member (manifest, "command");
  JsonArray *modules = json_object_get_array_member (manifest, "modules");
  JsonObject *app_module;

  g_assert_nonnull (command);
  g_assert_true (g_strv_contains ((const char * const *) programs, command));
  g_assert_cmpstr (command, ==, programs[0]);

  /* The application is the last module, and it must build the program the
   * command starts. */
  g_assert_cmpuint (json_array_get_length (modules), >, 0);
  app_module = find_module (modules, "kassa");
  g_assert_nonnull (app_module);
  g_assert_true (json_array_get_object_element (modules, json_array_get_length (modules) - 1)
                 == app_module);
  g_assert_cmpstr (get_string_member (app_module, "buildsystem"), ==, "meson");

  if (json_object_has_member (app_module, "config-opts"))
    {
      JsonArray *opts = json_object_get_array_member (app_module, "config-opts");

      for (guint i = 0; i < json_array_get_length (opts); i++)
        g_assert_cmpstr (json_array_get_string_element (opts, i), !=, "-Dui=false");
    }
}

static void
test_manifest_finish_args (void)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *manifest = load_manifest (&root);
  JsonArray *args = json_object_get_array_member (manifest, "finish-args");
  g_autoptr(GPtrArray) strings = g_ptr_array_new ();

  g_assert_nonnull (args);
  for (guint i = 0; i < json_array_get_length (args); i++)
    g_ptr_array_add (strings, (gpointer) json_array_get_string_element (args, i));
  g_ptr_array_add (strings, NULL);

  for (guint i = 0; required_finish_args[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) strings->pdata, required_finish_args[i]))
      g_test_fail_printf ("finish-args lack %s", required_finish_args[i]);

  for (guint i = 0; i < strings->len - 1; i++)
    {
      const char *arg = g_ptr_array_index (strings, i);

      for (guint j = 0; forbidden_finish_args[j] != NULL; j++)
        if (g_str_equal (arg, forbidden_finish_args[j]))
          g_test_fail_printf ("finish-args must not contain %s", arg);

      if (g_str_has_prefix (arg, "--filesystem="))
        {
          const char *place = arg + strlen ("--filesystem=");

          for (guint j = 0; forbidden_filesystems[j] != NULL; j++)
            {
              gsize len = strlen (forbidden_filesystems[j]);

              if (strncmp (place, forbidden_filesystems[j], len) == 0
                  && (place[len] == '\0' || place[len] == ':' || place[len] == '/'))
                g_test_fail_printf ("finish-args must not open the host files: %s", arg);
            }
        }
    }
}

static void
test_manifest_sources (void)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *manifest = load_manifest (&root);
  g_autofree char *base_dir = g_path_get_dirname (manifest_path);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n_modules = 0;

  check_modules (base_dir, json_object_get_array_member (manifest, "modules"),
                 names, &n_modules);
  g_assert_cmpuint (n_modules, >, 0);
}

/* The application module builds the checkout the manifest lives in. */
static void
test_manifest_app_source (void)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *manifest = load_manifest (&root);
  g_autofree char *base_dir = g_path_get_dirname (manifest_path);
  JsonObject *app_module = find_module (json_object_get_array_member (manifest, "modules"),
                                        "kassa");
  JsonArray *sources;
  JsonObject *source;
  g_autofree char *project = NULL;

  g_assert_nonnull (app_module);
  sources = json_object_get_array_member (app_module, "sources");
  g_assert_cmpuint (json_array_get_length (sources), ==, 1);
  source = json_array_get_object_element (sources, 0);
  g_assert_cmpstr (get_string_member (source, "type"), ==, "dir");

  project = g_build_filename (base_dir, get_string_member (source, "path"),
                              "meson.build", NULL);
  g_assert_true (g_file_test (project, G_FILE_TEST_IS_REGULAR));
}

static gboolean
mentions_problem (const char *text)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);

  return strstr (lower, "warning") != NULL || strstr (lower, "error") != NULL
         || strstr (lower, "critical") != NULL;
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      GFileInfo *info;
      GFile *child;

      while (g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
        remove_tree (child);
    }

  g_file_delete (file, NULL, NULL);
}

static void
test_manifest_flatpak_builder (void)
{
  g_autofree char *program = g_find_program_in_path ("flatpak-builder");
  g_autofree char *work_dir = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GFile) work = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  int status = 0;
  const char *argv[] = { NULL, "--show-manifest", NULL, NULL };

  if (program == NULL)
    {
      g_test_skip ("flatpak-builder is not installed, so its reading of the manifest is not checked");
      return;
    }

  /* flatpak-builder leaves a state folder in its working folder; keep it
   * out of the tree. */
  work_dir = g_dir_make_tmp ("kassa-flatpak-XXXXXX", &error);
  g_assert_no_error (error);
  work = g_file_new_for_path (work_dir);

  argv[0] = program;
  argv[2] = manifest_path;
  g_spawn_sync (work_dir, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, &err, &status, &error);
  remove_tree (work);
  g_assert_no_error (error);

  g_strstrip (err);
  if (*err != '\0')
    g_test_message ("flatpak-builder said: %s", err);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
  if (mentions_problem (err))
    {
      g_test_fail_printf ("flatpak-builder warned about the manifest: %s", err);
      return;
    }

  /* What it printed back is the manifest as it understood it. */
  parser = json_parser_new ();
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (get_string_member (json_node_get_object (json_parser_get_root (parser)), "id"),
                   ==, g_getenv ("KASSA_APP_ID"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (argc > 1)
    manifest_path = g_canonicalize_filename (argv[1], NULL);
  else if (g_getenv ("KASSA_FLATPAK_MANIFEST") != NULL)
    manifest_path = g_canonicalize_filename (g_getenv ("KASSA_FLATPAK_MANIFEST"), NULL);
  else
    g_error ("give the manifest as the first argument or in KASSA_FLATPAK_MANIFEST");

  if (g_getenv ("KASSA_APP_ID") == NULL)
    g_setenv ("KASSA_APP_ID", "io.github.kassapos.Kassa", TRUE);
  if (g_getenv ("KASSA_PROGRAMS") == NULL)
    g_setenv ("KASSA_PROGRAMS", "kassa:kassa-cli", TRUE);

  g_test_add_func ("/kassa/flatpak-manifest/parses", test_manifest_parses);
  g_test_add_func ("/kassa/flatpak-manifest/app-id", test_manifest_app_id);
  g_test_add_func ("/kassa/flatpak-manifest/command", test_manifest_command);
  g_test_add_func ("/kassa/flatpak-manifest/finish-args", test_manifest_finish_args);
  g_test_add_func ("/kassa/flatpak-manifest/sources", test_manifest_sources);
  g_test_add_func ("/kassa/flatpak-manifest/app-source", test_manifest_app_source);
  g_test_add_func ("/kassa/flatpak-manifest/flatpak-builder", test_manifest_flatpak_builder);

  return g_test_run ();
}
