/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-lock-screen.h"
#include "kassa-shift-close-dialog.h"
#include "kassa-shift-dialog.h"
#include "kassa-shop-shifts.h"
#include "kassa-shop-staff.h"
#include "kassa-test-ui.h"
#include "kassa-window.h"

typedef struct
{
  KassaApplication *application;
  KassaWindow      *window;
  KassaLockScreen  *lock_screen;
  KassaShop        *shop;
  char             *dir;
} Fixture;

static gboolean
window_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
window_is_locked (gpointer data)
{
  return kassa_window_is_locked (KASSA_WINDOW (data));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  gboolean with_staff = GPOINTER_TO_INT (user_data);

  g_settings_reset (settings, "last-page");
  g_settings_reset (settings, "auto-lock-minutes");

  fixture->shop = kassa_test_ui_new_shop (&fixture->dir);
  if (with_staff)
    {
      kassa_test_ui_add_staff (fixture->shop, "Ada", KASSA_STAFF_ROLE_ADMIN, "2468");
      kassa_test_ui_add_staff (fixture->shop, "Carl", KASSA_STAFF_ROLE_CASHIER, "1357");
      kassa_shop_sign_out (fixture->shop);
    }

  fixture->application = kassa_test_ui_application_new ();
  fixture->window = kassa_window_new (fixture->application);
  fixture->lock_screen = kassa_window_get_lock_screen (fixture->window);
  kassa_lock_screen_set_pin_cost (fixture->lock_screen, KASSA_PIN_COST_MINIMUM);
  kassa_window_set_shop (fixture->window, fixture->shop);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (kassa_test_ui_wait_for (window_is_mapped, fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->application);
  kassa_test_ui_remove_shop (fixture->shop, fixture->dir);
}

static GtkListBox *
sidebar (KassaWindow *window)
{
  /* The first list box of the main content; the lock screen's comes first in the tree. */
  GtkWidget *leaflet = kassa_test_ui_find_descendant (GTK_WIDGET (window), ADW_TYPE_LEAFLET);

  return GTK_LIST_BOX (kassa_test_ui_find_descendant (leaflet, GTK_TYPE_LIST_BOX));
}

static GtkWidget *
sidebar_row (KassaWindow *window,
             const char  *name)
{
  return kassa_test_ui_find_named (GTK_WIDGET (sidebar (window)), name);
}

static GtkWindow *find_toplevel (GType type);

static GtkWidget *
find_with_css_class (GtkWidget  *widget,
                     const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_with_css_class (child, css_class);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
type_keys (Fixture    *fixture,
           const char *digits)
{
  for (const char *c = digits; *c != '\0'; c++)
    kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_0 + (*c - '0'), 0);
}

static void
test_lock_screen_finalizes (void)
{
  KassaLockScreen *lock_screen = kassa_lock_screen_new ();
  GtkWidget *window = gtk_window_new ();
  gpointer pointer = lock_screen;

  g_object_add_weak_pointer (G_OBJECT (lock_screen), &pointer);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (lock_screen));
  gtk_window_present (GTK_WINDOW (window));
  kassa_test_ui_spin (50);
  g_assert_cmpstr (kassa_lock_screen_get_mode (lock_screen), ==, "sign-in");
  gtk_window_destroy (GTK_WINDOW (window));
  kassa_test_ui_spin (50);

  g_assert_null (pointer);
}

static void
test_bootstrap_first_admin (Fixture       *fixture,
                            gconstpointer  user_data)
{
  GtkWidget *lock = GTK_WIDGET (fixture->lock_screen);
  GtkWidget *name_row;
  GtkWidget *pin_row;
  GtkWidget *again_row;
  GtkWidget *create;
  g_autoptr(GPtrArray) staff = NULL;
  KassaStaff *actor;

  /* A fresh shop: no staff yet, so the window asks for the first administrator. */
  g_assert_true (kassa_window_is_locked (fixture->window));
  g_assert_cmpstr (kassa_lock_screen_get_mode (fixture->lock_screen), ==, "bootstrap");

  name_row = kassa_test_ui_find_descendant (lock, ADW_TYPE_ENTRY_ROW);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (name_row)), ==, "Name");
  pin_row = gtk_widget_get_next_sibling (name_row);
  again_row = gtk_widget_get_next_sibling (pin_row);
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (pin_row));
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (again_row));
  create = kassa_test_ui_find_button (lock, "_Create Administrator");
  g_assert_nonnull (create);

  /* A name is needed, the PIN must be digits, and typed the same twice. */
  gtk_editable_set_text (GTK_EDITABLE (pin_row), "2468");
  gtk_editable_set_text (GTK_EDITABLE (again_row), "2468");
  g_signal_emit_by_name (create, "clicked");
  g_assert_cmpstr (kassa_lock_screen_get_message (fixture->lock_screen), ==, "Enter the administrator’s name");

  gtk_editable_set_text (GTK_EDITABLE (name_row), "Ada Lovelace");
  gtk_editable_set_text (GTK_EDITABLE (pin_row), "24a8");
  gtk_editable_set_text (GTK_EDITABLE (again_row), "24a8");
  g_signal_emit_by_name (create, "clicked");
  g_assert_cmpstr (kassa_lock_screen_get_message (fixture->lock_screen), ==, "A PIN has only digits");

  gtk_editable_set_text (GTK_EDITABLE (pin_row), "2468");
  gtk_editable_set_text (GTK_EDITABLE (again_row), "2469");
  g_signal_emit_by_name (create, "clicked");
  g_assert_cmpstr (kassa_lock_screen_get_message (fixture->lock_screen), ==,
                   "The two PINs differ; type the same PIN twice");
  g_assert_true (kassa_window_is_locked (fixture->window));
  staff = kassa_shop_list_staff (fixture->shop, NULL);
  g_assert_cmpuint (staff->len, ==, 0);
  g_clear_pointer (&staff, g_ptr_array_unref);

  gtk_editable_set_text (GTK_EDITABLE (again_row), "2468");
  g_signal_emit_by_name (create, "clicked");

  /* The administrator exists, is signed in, and sees the till. */
  g_assert_false (kassa_window_is_locked (fixture->window));
  actor = kassa_shop_get_actor (fixture->shop);
  g_assert_nonnull (actor);
  g_assert_cmpstr (kassa_staff_get_name (actor), ==, "Ada Lovelace");
  g_assert_cmpint (kassa_staff_get_role (actor), ==, KASSA_STAFF_ROLE_ADMIN);
  staff = kassa_shop_list_staff (fixture->shop, NULL);
  g_assert_cmpuint (staff->len, ==, 1);
  g_assert_cmpstr (kassa_window_get_page_name (fixture->window), ==, "sell");

  /* Locking again shows the sign-in page with the one member chosen. */
  kassa_window_lock (fixture->window);
  g_assert_cmpstr (kassa_lock_screen_get_mode (fixture->lock_screen), ==, "sign-in");
  g_assert_nonnull (kassa_test_ui_find_staff_row (lock, "Ada Lovelace"));
}

static void
test_sign_in_by_keyboard (Fixture       *fixture,
                          gconstpointer  user_data)
{
  GtkWidget *lock = GTK_WIDGET (fixture->lock_screen);
  GtkWidget *row = kassa_test_ui_find_staff_row (lock, "Carl");
  GtkWidget *list = kassa_test_ui_find_descendant (lock, GTK_TYPE_LIST_BOX);
  GtkWidget *pin_label;

  g_assert_true (kassa_window_is_locked (fixture->window));
  g_assert_cmpstr (kassa_lock_screen_get_mode (fixture->lock_screen), ==, "sign-in");
  g_assert_nonnull (kassa_test_ui_find_staff_row (lock, "Ada"));
  g_assert_nonnull (row);

  /* Choose by arrow keys from the first row, then type the PIN. */
  gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0)));
  if (!kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_Down, 0))
    {
      g_test_skip ("keyboard input needs an X11 display");
      return;
    }
  g_assert_true (gtk_list_box_get_selected_row (GTK_LIST_BOX (list)) == GTK_LIST_BOX_ROW (row));

  type_keys (fixture, "13");
  pin_label = find_with_css_class (lock, "kassa-pin-dots");
  g_assert_true (GTK_IS_LABEL (pin_label));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (pin_label)), ==, "●●");

  /* Backspace takes one back; a keypad digit counts as well. */
  kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_BackSpace, 0);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (pin_label)), ==, "●");
  type_keys (fixture, "357");
  g_assert_true (kassa_window_is_locked (fixture->window));
  kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_Return, 0);

  g_assert_false (kassa_window_is_locked (fixture->window));
  g_assert_cmpstr (kassa_staff_get_name (kassa_shop_get_actor (fixture->shop)), ==, "Carl");
}

static void
test_wrong_pin (Fixture       *fixture,
                gconstpointer  user_data)
{
  GtkWidget *lock = GTK_WIDGET (fixture->lock_screen);

  gtk_list_box_select_row (GTK_LIST_BOX (kassa_test_ui_find_descendant (lock, GTK_TYPE_LIST_BOX)),
                           GTK_LIST_BOX_ROW (kassa_test_ui_find_staff_row (lock, "Carl")));
  g_assert_null (kassa_lock_screen_get_message (fixture->lock_screen));

  if (!kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_9, 0))
    {
      g_test_skip ("keyboard input needs an X11 display");
      return;
    }
  type_keys (fixture, "999");
  kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_KP_Enter, 0);

  g_assert_true (kassa_window_is_locked (fixture->window));
  g_assert_null (kassa_shop_get_actor (fixture->shop));
  g_assert_cmpstr (kassa_lock_screen_get_message (fixture->lock_screen), ==, "Wrong PIN");

  /* Typing again clears the message; the right PIN then works. */
  kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_1, 0);
  g_assert_null (kassa_lock_screen_get_message (fixture->lock_screen));
  kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_BackSpace, 0);
  kassa_test_ui_sign_in (lock, "Carl", "1357");
  g_assert_false (kassa_window_is_locked (fixture->window));
}

static void
test_lockout (Fixture       *fixture,
              gconstpointer  user_data)
{
  GtkWidget *lock = GTK_WIDGET (fixture->lock_screen);
  const char *message;

  for (guint i = 0; i < 4; i++)
    {
      kassa_test_ui_sign_in (lock, "Carl", "0000");
      g_assert_cmpstr (kassa_lock_screen_get_message (fixture->lock_screen), ==, "Wrong PIN");
    }

  /* The fifth wrong PIN locks Carl for a minute, and the screen counts down. */
  kassa_test_ui_sign_in (lock, "Carl", "0000");
  message = kassa_lock_screen_get_message (fixture->lock_screen);
  g_assert_nonnull (message);
  g_assert_true (g_str_has_prefix (message, "Too many wrong PINs: try again in "));
  g_assert_true (g_str_has_suffix (message, " seconds"));
  g_assert_true (strstr (message, " 60 ") != NULL || strstr (message, " 59 ") != NULL ||
                 strstr (message, " 58 ") != NULL);

  /* Even the right PIN is refused while the lock runs… */
  kassa_test_ui_sign_in (lock, "Carl", "1357");
  g_assert_true (kassa_window_is_locked (fixture->window));
  g_assert_true (g_str_has_prefix (kassa_lock_screen_get_message (fixture->lock_screen),
                                   "Too many wrong PINs: try again in "));

  /* …but only Carl is locked out. Choosing Ada clears the message. */
  kassa_test_ui_sign_in (lock, "Ada", "2468");
  g_assert_false (kassa_window_is_locked (fixture->window));
  g_assert_cmpstr (kassa_staff_get_name (kassa_shop_get_actor (fixture->shop)), ==, "Ada");

  /* Coming back to Carl shows how long his lock still runs. */
  kassa_window_lock (fixture->window);
  gtk_list_box_select_row (GTK_LIST_BOX (kassa_test_ui_find_descendant (lock, GTK_TYPE_LIST_BOX)),
                           GTK_LIST_BOX_ROW (kassa_test_ui_find_staff_row (lock, "Carl")));
  g_assert_true (g_str_has_prefix (kassa_lock_screen_get_message (fixture->lock_screen),
                                   "Too many wrong PINs: try again in "));
}

static void
test_ctrl_l_locks (Fixture       *fixture,
                   gconstpointer  user_data)
{
  GtkWidget *focus;

  kassa_test_ui_sign_in (GTK_WIDGET (fixture->lock_screen), "Ada", "2468");
  g_assert_false (kassa_window_is_locked (fixture->window));
  kassa_test_ui_spin (20);

  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->application), "preferences"));

  if (!kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_l, GDK_CONTROL_MASK))
    {
      g_test_skip ("keyboard input needs an X11 display");
      return;
    }

  g_assert_true (kassa_window_is_locked (fixture->window));
  g_assert_null (kassa_shop_get_actor (fixture->shop));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->application), "preferences"));

  /* While locked the keyboard reaches nothing else: page shortcuts do
   * nothing and Tab stays on the lock screen. */
  kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_3, GDK_CONTROL_MASK);
  g_assert_cmpstr (kassa_window_get_page_name (fixture->window), ==, "sell");
  g_assert_true (kassa_window_is_locked (fixture->window));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "orders");
  g_assert_cmpstr (kassa_window_get_page_name (fixture->window), ==, "sell");

  for (guint i = 0; i < 20; i++)
    {
      kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_Tab, 0);
      focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
      g_assert_nonnull (focus);
      g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (fixture->lock_screen)));
    }

  kassa_test_ui_sign_in (GTK_WIDGET (fixture->lock_screen), "Carl", "1357");
  g_assert_false (kassa_window_is_locked (fixture->window));
  g_assert_cmpstr (kassa_staff_get_name (kassa_shop_get_actor (fixture->shop)), ==, "Carl");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->application), "preferences"));
}

static void
test_auto_lock (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWindow *dialog;

  /* Zero never locks. */
  g_settings_set_uint (settings, "auto-lock-minutes", 0);
  kassa_test_ui_sign_in (GTK_WIDGET (fixture->lock_screen), "Ada", "2468");
  kassa_test_ui_spin (400);
  g_assert_false (kassa_window_is_locked (fixture->window));

  /* A short idle time locks on its own, and input postpones it. */
  /* Two seconds leave a loaded machine room between the steps. */
  kassa_window_set_auto_lock_timeout (fixture->window, 2000);
  kassa_test_ui_spin (1200);
  if (kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_Shift_L, 0))
    {
      kassa_test_ui_spin (1000);
      g_assert_false (kassa_window_is_locked (fixture->window));

      /* Typing in one of the window's dialogs counts as well. */
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-shift", NULL));
      dialog = find_toplevel (KASSA_TYPE_SHIFT_DIALOG);
      g_assert_nonnull (dialog);
      kassa_test_ui_spin (300);
      g_assert_false (kassa_window_is_locked (fixture->window));
      kassa_test_ui_send_key (dialog, GDK_KEY_1, 0);
      kassa_test_ui_spin (1000);
      g_assert_false (kassa_window_is_locked (fixture->window));
      g_assert_nonnull (find_toplevel (KASSA_TYPE_SHIFT_DIALOG));
    }
  else
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-shift", NULL));

  /* The lock comes all the same, and the dialog does not outlive it. */
  g_assert_true (kassa_test_ui_wait_for (window_is_locked, fixture->window));
  g_assert_null (kassa_shop_get_actor (fixture->shop));
  g_assert_null (find_toplevel (KASSA_TYPE_SHIFT_DIALOG));

  /* The setting in minutes drives it again once changed. */
  g_settings_set_uint (settings, "auto-lock-minutes", 5);
  kassa_test_ui_sign_in (GTK_WIDGET (fixture->lock_screen), "Ada", "2468");
  kassa_test_ui_spin (800);
  g_assert_false (kassa_window_is_locked (fixture->window));
}

static void
test_cashier_sees_less (Fixture       *fixture,
                        gconstpointer  user_data)
{
  static const char * const admin_only[] = { "products", "orders", "invoices", "subscriptions", "services", "reports" };

  kassa_test_ui_sign_in (GTK_WIDGET (fixture->lock_screen), "Carl", "1357");
  g_assert_false (kassa_window_is_locked (fixture->window));

  g_assert_true (gtk_widget_get_visible (sidebar_row (fixture->window, "sell")));
  g_assert_true (gtk_widget_get_visible (sidebar_row (fixture->window, "customers")));
  for (guint i = 0; i < G_N_ELEMENTS (admin_only); i++)
    {
      g_assert_false (gtk_widget_get_visible (sidebar_row (fixture->window, admin_only[i])));
      kassa_window_show_page (fixture->window, admin_only[i]);
      g_assert_cmpstr (kassa_window_get_page_name (fixture->window), !=, admin_only[i]);
    }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.lock", NULL));
  g_assert_true (kassa_window_is_locked (fixture->window));

  /* An administrator sees every page again. */
  kassa_test_ui_sign_in (GTK_WIDGET (fixture->lock_screen), "Ada", "2468");
  for (guint i = 0; i < G_N_ELEMENTS (admin_only); i++)
    g_assert_true (gtk_widget_get_visible (sidebar_row (fixture->window, admin_only[i])));
  kassa_window_show_page (fixture->window, "reports");
  g_assert_cmpstr (kassa_window_get_page_name (fixture->window), ==, "reports");

  /* A cashier signing in after that lands on a page they may use. */
  kassa_window_lock (fixture->window);
  kassa_test_ui_sign_in (GTK_WIDGET (fixture->lock_screen), "Carl", "1357");
  g_assert_cmpstr (kassa_window_get_page_name (fixture->window), ==, "sell");
}

/* The first toplevel of @type other than the main window, or NULL. */
static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      GtkWindow *window = g_list_model_get_item (toplevels, i);

      /* GTK's own list keeps the window alive without this reference. */
      g_object_unref (window);
      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static GtkWindow *
find_titled_toplevel (const char *title)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      GtkWindow *window = g_list_model_get_item (toplevels, i);

      /* GTK's own list keeps the window alive without this reference. */
      g_object_unref (window);
      if (g_strcmp0 (gtk_window_get_title (window), title) == 0 && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static void
test_shift_actions_follow_role (Fixture       *fixture,
                                gconstpointer  user_data)
{
  GtkWidget *lock = GTK_WIDGET (fixture->lock_screen);
  GtkWindow *dialog;
  g_autoptr(KassaShiftRecord) shift = NULL;

  /* Carl opens the day from the keyboard. */
  kassa_test_ui_sign_in (lock, "Carl", "1357");
  kassa_test_ui_spin (50);
  if (!kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_o, GDK_CONTROL_MASK | GDK_SHIFT_MASK))
    {
      g_test_skip ("keyboard input needs an X11 display");
      return;
    }
  dialog = find_toplevel (KASSA_TYPE_SHIFT_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpint (kassa_shift_dialog_get_mode (KASSA_SHIFT_DIALOG (dialog)), ==, KASSA_SHIFT_DIALOG_OPEN);
  gtk_editable_set_text (GTK_EDITABLE (kassa_test_ui_find_descendant (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW)), "150");
  kassa_shift_dialog_confirm (KASSA_SHIFT_DIALOG (dialog));
  kassa_test_ui_spin (50);
  g_assert_null (find_toplevel (KASSA_TYPE_SHIFT_DIALOG));
  shift = kassa_shop_get_open_shift (fixture->shop, NULL, NULL);
  g_assert_nonnull (shift);
  g_assert_cmpint (shift->opening_float, ==, 15000);

  /* The shift is open: opening again is not offered, and the X report
   * is not offered to a cashier, whose close is blind. */
  kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_o, GDK_CONTROL_MASK | GDK_SHIFT_MASK);
  g_assert_null (find_toplevel (KASSA_TYPE_SHIFT_DIALOG));
  kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_x, GDK_CONTROL_MASK | GDK_SHIFT_MASK);
  g_assert_null (find_titled_toplevel ("X Report"));

  /* Paid out and no sale are a cashier's to do. */
  kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_p, GDK_CONTROL_MASK | GDK_SHIFT_MASK);
  dialog = find_toplevel (KASSA_TYPE_SHIFT_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpint (kassa_shift_dialog_get_mode (KASSA_SHIFT_DIALOG (dialog)), ==, KASSA_SHIFT_DIALOG_PAID_OUT);
  kassa_test_ui_send_key (dialog, GDK_KEY_Escape, 0);
  g_assert_null (find_toplevel (KASSA_TYPE_SHIFT_DIALOG));

  /* The manager of the day sees the X report. */
  kassa_window_lock (fixture->window);
  kassa_test_ui_sign_in (lock, "Ada", "2468");
  kassa_test_ui_spin (50);
  kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_x, GDK_CONTROL_MASK | GDK_SHIFT_MASK);
  dialog = find_titled_toplevel ("X Report");
  g_assert_nonnull (dialog);
  gtk_window_destroy (dialog);

  /* Closing goes through the count. */
  kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK);
  dialog = find_toplevel (KASSA_TYPE_SHIFT_CLOSE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (kassa_shift_close_dialog_get_page (KASSA_SHIFT_CLOSE_DIALOG (dialog)), ==, "count");
  gtk_window_destroy (dialog);
}

/* With KASSA_SCREENSHOT_DIR set, saves the lock screen as people see it:
 * three members, one chosen, after a wrong PIN. */
static void
test_screenshot (Fixture       *fixture,
                 gconstpointer  user_data)
{
  const char *dir = g_getenv ("KASSA_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  GtkWidget *lock = GTK_WIDGET (fixture->lock_screen);

  kassa_test_ui_add_staff (fixture->shop, "Mia Manager", KASSA_STAFF_ROLE_MANAGER, "8642");
  kassa_window_lock (fixture->window);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1024, 720);
  kassa_test_ui_sign_in (lock, "Carl", "1111");
  kassa_test_ui_spin (300);
  g_assert_cmpstr (kassa_lock_screen_get_message (fixture->lock_screen), ==, "Wrong PIN");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), >, 900);

  if (dir == NULL)
    {
      g_test_skip ("set KASSA_SCREENSHOT_DIR to save the screenshot");
      return;
    }

  path = g_build_filename (dir, "lock-screen.png", NULL);
  kassa_test_ui_save_png (GTK_WIDGET (fixture->window), path);
  g_test_message ("Saved %s", path);
}

int
main (int   argc,
      char *argv[])
{
  if (!kassa_test_ui_init (&argc, &argv))
    {
      g_test_add_func ("/kassa/lock-screen/no-display", kassa_test_ui_skip_no_display);
      return g_test_run ();
    }

  g_test_add_func ("/kassa/lock-screen/finalizes", test_lock_screen_finalizes);
  g_test_add ("/kassa/lock-screen/bootstrap-first-admin", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_bootstrap_first_admin, fixture_tear_down);
  g_test_add ("/kassa/lock-screen/sign-in-by-keyboard", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_sign_in_by_keyboard, fixture_tear_down);
  g_test_add ("/kassa/lock-screen/wrong-pin", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_wrong_pin, fixture_tear_down);
  g_test_add ("/kassa/lock-screen/lockout", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_lockout, fixture_tear_down);
  g_test_add ("/kassa/lock-screen/ctrl-l-locks", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_ctrl_l_locks, fixture_tear_down);
  g_test_add ("/kassa/lock-screen/auto-lock", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_auto_lock, fixture_tear_down);
  g_test_add ("/kassa/lock-screen/cashier-sees-less", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_cashier_sees_less, fixture_tear_down);

  g_test_add ("/kassa/lock-screen/shift-actions-follow-role", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_shift_actions_follow_role, fixture_tear_down);
  g_test_add ("/kassa/lock-screen/screenshot", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_screenshot, fixture_tear_down);

  return g_test_run ();
}
