/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gdk/x11/gdkx.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>

#include <glib/gstdio.h>

#include "kassa-shop-staff.h"
#include "kassa-test-ui.h"

gboolean
kassa_test_ui_init (int    *argc,
                    char ***argv)
{
  g_test_init (argc, argv, NULL);

  if (!gtk_init_check ())
    return FALSE;

  adw_init ();
  return TRUE;
}

void
kassa_test_ui_skip_no_display (void)
{
  g_test_skip ("no display: run the UI tests under Xvfb");
}

KassaApplication *
kassa_test_ui_application_new (void)
{
  static KassaApplication *application;
  g_autoptr(GError) error = NULL;

  /* GtkApplication exports itself on the session bus when registered, and
   * only one can be exported per path: the whole test program shares one. */
  if (application == NULL)
    {
      application = kassa_application_new ();
      g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
      g_application_register (G_APPLICATION (application), NULL, &error);
      g_assert_no_error (error);
    }

  return g_object_ref (application);
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
kassa_test_ui_wait_for (gboolean (*condition) (gpointer data),
                        gpointer   data)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (5, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (timeout_id);

  return condition (data);
}

void
kassa_test_ui_spin (guint milliseconds)
{
  gboolean timed_out = FALSE;

  g_timeout_add (milliseconds, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

static void
send_keysym (Display  *xdisplay,
             KeySym    keysym,
             gboolean  press)
{
  KeyCode keycode = XKeysymToKeycode (xdisplay, keysym);

  g_assert_cmpuint (keycode, !=, 0);
  XTestFakeKeyEvent (xdisplay, keycode, press, CurrentTime);
}

gboolean
kassa_test_ui_send_key (GtkWindow       *window,
                        guint            keyval,
                        GdkModifierType  modifiers)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (window));
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  Display *xdisplay;

  if (!GDK_IS_X11_DISPLAY (display) || surface == NULL)
    return FALSE;

  xdisplay = gdk_x11_display_get_xdisplay (display);

  /* Without a window manager nobody hands out focus: take it. */
  XSetInputFocus (xdisplay, gdk_x11_surface_get_xid (surface), RevertToParent, CurrentTime);

  if (modifiers & GDK_CONTROL_MASK)
    send_keysym (xdisplay, XK_Control_L, TRUE);
  if (modifiers & GDK_ALT_MASK)
    send_keysym (xdisplay, XK_Alt_L, TRUE);
  if (modifiers & GDK_SHIFT_MASK)
    send_keysym (xdisplay, XK_Shift_L, TRUE);

  send_keysym (xdisplay, keyval, TRUE);
  send_keysym (xdisplay, keyval, FALSE);

  if (modifiers & GDK_SHIFT_MASK)
    send_keysym (xdisplay, XK_Shift_L, FALSE);
  if (modifiers & GDK_ALT_MASK)
    send_keysym (xdisplay, XK_Alt_L, FALSE);
  if (modifiers & GDK_CONTROL_MASK)
    send_keysym (xdisplay, XK_Control_L, FALSE);

  XSync (xdisplay, False);
  kassa_test_ui_spin (100);

  return TRUE;
}

KassaShop *
kassa_test_ui_new_shop (char **dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  KassaShop *shop;

  *dir = g_dir_make_tmp ("kassa-ui-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (*dir, "shop.db", NULL);
  shop = kassa_shop_open (path, &error);
  g_assert_no_error (error);

  return shop;
}

void
kassa_test_ui_remove_shop (KassaShop *shop,
                           char      *dir)
{
  g_autoptr(GDir) handle = NULL;
  const char *name;

  g_object_unref (shop);

  handle = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (dir);
  g_free (dir);
}

gint64
kassa_test_ui_add_staff (KassaShop      *shop,
                         const char     *name,
                         KassaStaffRole  role,
                         const char     *pin)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaStaff) actor = NULL;
  gint64 id;

  if (kassa_shop_get_actor (shop) != NULL)
    actor = g_object_ref (kassa_shop_get_actor (shop));

  kassa_shop_act_as_system (shop);
  id = kassa_shop_create_staff (shop, name, role, pin, KASSA_PIN_COST_MINIMUM, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  kassa_shop_set_actor (shop, actor);

  return id;
}

GtkWidget *
kassa_test_ui_find_descendant (GtkWidget *widget,
                               GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = kassa_test_ui_find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
kassa_test_ui_find_named (GtkWidget  *widget,
                          const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = kassa_test_ui_find_named (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
kassa_test_ui_find_button (GtkWidget  *widget,
                           const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = kassa_test_ui_find_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
kassa_test_ui_find_staff_row (GtkWidget  *lock_screen,
                              const char *name)
{
  GtkWidget *list = kassa_test_ui_find_descendant (lock_screen, GTK_TYPE_LIST_BOX);

  for (GtkWidget *row = gtk_widget_get_first_child (list);
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (ADW_IS_PREFERENCES_ROW (row) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), name) == 0)
        return row;
    }

  return NULL;
}

void
kassa_test_ui_sign_in (GtkWidget  *lock_screen,
                       const char *name,
                       const char *pin)
{
  GtkWidget *list = kassa_test_ui_find_descendant (lock_screen, GTK_TYPE_LIST_BOX);
  GtkWidget *row = kassa_test_ui_find_staff_row (lock_screen, name);

  g_assert_nonnull (row);
  gtk_list_box_select_row (GTK_LIST_BOX (list), GTK_LIST_BOX_ROW (row));

  for (const char *digit = pin; *digit != '\0'; digit++)
    {
      char key[2] = { *digit, '\0' };
      GtkWidget *button = kassa_test_ui_find_named (lock_screen, key);

      g_assert_true (GTK_IS_BUTTON (button));
      g_signal_emit_by_name (button, "clicked");
    }

  g_signal_emit_by_name (kassa_test_ui_find_named (lock_screen, "enter"), "clicked");
}

void
kassa_test_ui_save_png (GtkWidget  *widget,
                        const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  g_assert_nonnull (renderer);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}
