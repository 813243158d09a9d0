/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gdk/x11/gdkx.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>

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
