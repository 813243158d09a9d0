/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-customers-page.h"
#include "kassa-invoices-page.h"
#include "kassa-orders-page.h"
#include "kassa-products-page.h"
#include "kassa-reports-page.h"
#include "kassa-sell-page.h"
#include "kassa-services-page.h"
#include "kassa-subscriptions-page.h"
#include "kassa-test-ui.h"
#include "kassa-window.h"

typedef struct
{
  const char *name;
  const char *title;
  GType     (*get_type) (void);
} PageSpec;

static const PageSpec pages[] = {
  { "sell", "Sell", kassa_sell_page_get_type },
  { "products", "Products", kassa_products_page_get_type },
  { "orders", "Orders", kassa_orders_page_get_type },
  { "invoices", "Invoices", kassa_invoices_page_get_type },
  { "subscriptions", "Subscriptions", kassa_subscriptions_page_get_type },
  { "customers", "Customers", kassa_customers_page_get_type },
  { "services", "Services", kassa_services_page_get_type },
  { "reports", "Reports", kassa_reports_page_get_type },
};

typedef struct
{
  KassaApplication *application;
  KassaWindow      *window;
  KassaShop        *shop;
  char             *dir;
} Fixture;

static gboolean
window_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
widget_has_focus (gpointer data)
{
  return gtk_widget_has_focus (GTK_WIDGET (data));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  /* Every test starts from the defaults, whatever the previous one saved. */
  g_settings_reset (settings, "last-page");
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");

  fixture->application = kassa_test_ui_application_new ();
  fixture->window = kassa_window_new (fixture->application);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (kassa_test_ui_wait_for (window_is_mapped, fixture->window));

  /* An administrator signs in and sees every page. */
  fixture->shop = kassa_test_ui_new_shop (&fixture->dir);
  kassa_test_ui_add_staff (fixture->shop, "Ada", KASSA_STAFF_ROLE_ADMIN, "2468");
  kassa_window_set_shop (fixture->window, fixture->shop);
  kassa_test_ui_sign_in (GTK_WIDGET (kassa_window_get_lock_screen (fixture->window)), "Ada", "2468");
  g_assert_false (kassa_window_is_locked (fixture->window));
  kassa_test_ui_spin (20);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GtkWidget) window = GTK_WIDGET (g_object_ref (fixture->window));

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->application);
  kassa_test_ui_remove_shop (fixture->shop, fixture->dir);
}

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

static GtkWidget *
visible_page (KassaWindow *window)
{
  AdwViewStack *stack = ADW_VIEW_STACK (find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK));

  return adw_view_stack_get_visible_child (stack);
}

static GtkListBox *
sidebar (KassaWindow *window)
{
  /* The lock screen has a list of its own; the sidebar is in the leaflet. */
  GtkWidget *leaflet = find_descendant (GTK_WIDGET (window), ADW_TYPE_LEAFLET);

  return GTK_LIST_BOX (find_descendant (leaflet, GTK_TYPE_LIST_BOX));
}

static void
test_window_opens_on_sell (Fixture       *fixture,
                           gconstpointer  user_data)
{
  GtkListBoxRow *row;

  g_assert_cmpstr (kassa_window_get_page_name (fixture->window), ==, "sell");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->window)), ==, "Sell");

  row = gtk_list_box_get_selected_row (sidebar (fixture->window));
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (row)), ==, "sell");
}

static void
test_window_shows_every_page (Fixture       *fixture,
                              gconstpointer  user_data)
{
  GtkListBox *list = sidebar (fixture->window);
  guint n_rows = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_assert_cmpuint (n_rows, <, G_N_ELEMENTS (pages));
      g_assert_cmpstr (gtk_widget_get_name (child), ==, pages[n_rows].name);
      n_rows++;
    }
  g_assert_cmpuint (n_rows, ==, G_N_ELEMENTS (pages));

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkWidget *page;
      AdwStatusPage *status;

      kassa_window_show_page (fixture->window, pages[i].name);
      kassa_test_ui_spin (20);

      page = visible_page (fixture->window);
      g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (page, pages[i].get_type ()));
      g_assert_true (gtk_widget_get_mapped (page));
      g_assert_cmpstr (kassa_window_get_page_name (fixture->window), ==, pages[i].name);
      g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->window)), ==, pages[i].title);
      g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (gtk_list_box_get_selected_row (list))),
                       ==, pages[i].name);

      status = ADW_STATUS_PAGE (find_descendant (page, ADW_TYPE_STATUS_PAGE));
      g_assert_nonnull (status);
      g_assert_cmpstr (adw_status_page_get_title (status), ==, pages[i].title);
      g_assert_cmpuint (strlen (adw_status_page_get_description (status)), >, 20);
    }
}

static void
test_window_switches_by_action (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.show-page", "s", "orders"));
  g_assert_cmpstr (kassa_window_get_page_name (fixture->window), ==, "orders");
  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (visible_page (fixture->window), KASSA_TYPE_ORDERS_PAGE));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.show-page", "s", "reports"));
  g_assert_cmpstr (kassa_window_get_page_name (fixture->window), ==, "reports");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->window)), ==, "Reports");
}

static void
test_window_switches_by_keyboard (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  GtkListBox *list = sidebar (fixture->window);
  GtkListBoxRow *row;

  /* Ctrl+digit jumps straight to a page. */
  if (!kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_3, GDK_CONTROL_MASK))
    {
      g_test_skip ("keyboard input needs an X11 display");
      return;
    }
  g_assert_cmpstr (kassa_window_get_page_name (fixture->window), ==, "orders");

  kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_8, GDK_CONTROL_MASK);
  g_assert_cmpstr (kassa_window_get_page_name (fixture->window), ==, "reports");

  /* Arrow keys walk the sidebar, and the page follows the selection. */
  row = gtk_list_box_get_row_at_index (list, 0);
  gtk_widget_grab_focus (GTK_WIDGET (row));
  kassa_test_ui_spin (50);
  kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_Down, 0);
  kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_Down, 0);
  g_assert_cmpstr (kassa_window_get_page_name (fixture->window), ==, "orders");
  kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_Up, 0);
  g_assert_cmpstr (kassa_window_get_page_name (fixture->window), ==, "products");

  /* F9 returns to the sidebar with the current page's row focused. */
  kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_5, GDK_CONTROL_MASK);
  g_assert_cmpstr (kassa_window_get_page_name (fixture->window), ==, "subscriptions");
  gtk_widget_grab_focus (GTK_WIDGET (fixture->window));
  g_assert_false (gtk_widget_has_focus (GTK_WIDGET (gtk_list_box_get_selected_row (list))));
  kassa_test_ui_send_key (GTK_WINDOW (fixture->window), GDK_KEY_F9, 0);
  row = gtk_list_box_get_selected_row (list);
  g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (row)), ==, "subscriptions");
  /* Focus moves when the X server has delivered F9; give a loaded machine time. */
  g_assert_true (kassa_test_ui_wait_for (widget_has_focus, row));
}

static void
test_window_keeps_state (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  KassaWindow *second;

  kassa_window_show_page (fixture->window, "invoices");
  g_assert_cmpstr (g_settings_get_string (settings, "last-page"), ==, "invoices");

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 900, 640);
  gtk_window_close (GTK_WINDOW (fixture->window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);

  /* The next window opens where this one left off. */
  second = kassa_window_new (fixture->application);
  g_assert_cmpstr (kassa_window_get_page_name (second), ==, "invoices");
  gtk_window_destroy (GTK_WINDOW (second));

  fixture->window = kassa_window_new (fixture->application);
}

static void
test_window_finalizes (void)
{
  g_autoptr(KassaApplication) application = kassa_test_ui_application_new ();
  KassaWindow *window = kassa_window_new (application);
  GtkWidget *page;
  gpointer window_pointer = window;
  gpointer page_pointer;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (kassa_test_ui_wait_for (window_is_mapped, window));

  kassa_window_show_page (window, "customers");
  page = visible_page (window);
  page_pointer = page;
  g_object_add_weak_pointer (G_OBJECT (window), &window_pointer);
  g_object_add_weak_pointer (G_OBJECT (page), &page_pointer);

  gtk_window_destroy (GTK_WINDOW (window));
  kassa_test_ui_spin (50);

  g_assert_null (window_pointer);
  g_assert_null (page_pointer);
}

int
main (int   argc,
      char *argv[])
{
  if (!kassa_test_ui_init (&argc, &argv))
    {
      g_test_add_func ("/kassa/window/no-display", kassa_test_ui_skip_no_display);
      return g_test_run ();
    }

  g_test_add ("/kassa/window/opens-on-sell", Fixture, NULL,
              fixture_set_up, test_window_opens_on_sell, fixture_tear_down);
  g_test_add ("/kassa/window/shows-every-page", Fixture, NULL,
              fixture_set_up, test_window_shows_every_page, fixture_tear_down);
  g_test_add ("/kassa/window/switches-by-action", Fixture, NULL,
              fixture_set_up, test_window_switches_by_action, fixture_tear_down);
  g_test_add ("/kassa/window/switches-by-keyboard", Fixture, NULL,
              fixture_set_up, test_window_switches_by_keyboard, fixture_tear_down);
  g_test_add ("/kassa/window/keeps-state", Fixture, NULL,
              fixture_set_up, test_window_keeps_state, fixture_tear_down);
  g_test_add_func ("/kassa/window/finalizes", test_window_finalizes);

  return g_test_run ();
}
