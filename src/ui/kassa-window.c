/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-window"

#include "config.h"

#include <glib/gi18n.h>

#include "kassa-customers-page.h"
#include "kassa-invoices-page.h"
#include "kassa-orders-page.h"
#include "kassa-products-page.h"
#include "kassa-reports-page.h"
#include "kassa-sell-page.h"
#include "kassa-services-page.h"
#include "kassa-subscriptions-page.h"
#include "kassa-window.h"

struct _KassaWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GtkSelectionModel    *pages;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar_pane;
  GtkListBox           *sidebar;
  GtkWidget            *content_pane;
  AdwViewStack         *stack;
  AdwWindowTitle       *page_title;
};

G_DEFINE_FINAL_TYPE (KassaWindow, kassa_window, ADW_TYPE_APPLICATION_WINDOW)

/* The order of the pages in the sidebar and of their Ctrl+digit shortcuts. */
static const char * const page_names[] = {
  "sell", "products", "orders", "invoices",
  "subscriptions", "customers", "services", "reports",
};

static GtkWidget *
create_sidebar_row (gpointer item,
                    gpointer user_data)
{
  AdwViewStackPage *page = item;
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *image;
  GtkWidget *label;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  image = gtk_image_new_from_icon_name (adw_view_stack_page_get_icon_name (page));
  label = gtk_label_new (adw_view_stack_page_get_title (page));
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_name (row, adw_view_stack_page_get_name (page));

  return row;
}

static GtkListBoxRow *
find_sidebar_row (KassaWindow *self,
                  const char  *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX_ROW (child) &&
          g_strcmp0 (gtk_widget_get_name (child), name) == 0)
        return GTK_LIST_BOX_ROW (child);
    }

  return NULL;
}

static void
sync_page_title (KassaWindow *self)
{
  GtkWidget *child = adw_view_stack_get_visible_child (self->stack);
  AdwViewStackPage *page;

  if (child == NULL)
    return;

  page = adw_view_stack_get_page (self->stack, child);
  adw_window_title_set_title (self->page_title, adw_view_stack_page_get_title (page));
  gtk_window_set_title (GTK_WINDOW (self), adw_view_stack_page_get_title (page));
}

static void
stack_visible_child_changed_cb (KassaWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->stack);
  GtkListBoxRow *row = find_sidebar_row (self, name);

  if (row != NULL && gtk_list_box_get_selected_row (self->sidebar) != row)
    gtk_list_box_select_row (self->sidebar, row);

  sync_page_title (self);
}

static void
sidebar_row_selected_cb (GtkListBox    *sidebar,
                         GtkListBoxRow *row,
                         KassaWindow   *self)
{
  if (row == NULL)
    return;

  adw_view_stack_set_visible_child_name (self->stack, gtk_widget_get_name (GTK_WIDGET (row)));
}

static void
sidebar_row_activated_cb (GtkListBox    *sidebar,
                          GtkListBoxRow *row,
                          KassaWindow   *self)
{
  /* Narrow windows show one pane: choosing a page moves on to it. */
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KassaWindow *self = KASSA_WINDOW (widget);

  kassa_window_show_page (self, g_variant_get_string (parameter, NULL));
}

static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  KassaWindow *self = KASSA_WINDOW (widget);
  GtkListBoxRow *row;

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);

  row = gtk_list_box_get_selected_row (self->sidebar);
  if (row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
save_window_state (KassaWindow *self)
{
  int width;
  int height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);
}

static gboolean
kassa_window_close_request (GtkWindow *window)
{
  save_window_state (KASSA_WINDOW (window));

  return GTK_WINDOW_CLASS (kassa_window_parent_class)->close_request (window);
}

static void
kassa_window_dispose (GObject *object)
{
  KassaWindow *self = KASSA_WINDOW (object);

  if (self->sidebar != NULL)
    gtk_list_box_bind_model (self->sidebar, NULL, NULL, NULL, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), KASSA_TYPE_WINDOW);

  g_clear_object (&self->pages);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (kassa_window_parent_class)->dispose (object);
}

static void
kassa_window_class_init (KassaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = kassa_window_dispose;
  window_class->close_request = kassa_window_close_request;

  /* The page types are instantiated by the template. */
  g_type_ensure (KASSA_TYPE_SELL_PAGE);
  g_type_ensure (KASSA_TYPE_PRODUCTS_PAGE);
  g_type_ensure (KASSA_TYPE_ORDERS_PAGE);
  g_type_ensure (KASSA_TYPE_INVOICES_PAGE);
  g_type_ensure (KASSA_TYPE_SUBSCRIPTIONS_PAGE);
  g_type_ensure (KASSA_TYPE_CUSTOMERS_PAGE);
  g_type_ensure (KASSA_TYPE_SERVICES_PAGE);
  g_type_ensure (KASSA_TYPE_REPORTS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kassapos/Kassa/ui/kassa-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KassaWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KassaWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, KassaWindow, sidebar_pane);
  gtk_widget_class_bind_template_child (widget_class, KassaWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, KassaWindow, content_pane);
  gtk_widget_class_bind_template_child (widget_class, KassaWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, KassaWindow, page_title);
  gtk_widget_class_bind_template_callback (widget_class, stack_visible_child_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);

  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_CONTROL_MASK,
                                         "win.show-page", "s", page_names[i]);
  /* F9 is the usual sidebar key; Alt+Left is the leaflet's own back gesture. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0,
                                       "win.show-sidebar", NULL);
}

static void
kassa_window_init (KassaWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->pages = adw_view_stack_get_pages (self->stack);
  gtk_list_box_bind_model (self->sidebar, G_LIST_MODEL (self->pages),
                           create_sidebar_row, self, NULL);

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_settings_bind (self->settings, "last-page",
                   self->stack, "visible-child-name",
                   G_SETTINGS_BIND_DEFAULT);

  stack_visible_child_changed_cb (self);
}

KassaWindow *
kassa_window_new (KassaApplication *application)
{
  g_return_val_if_fail (KASSA_IS_APPLICATION (application), NULL);

  return g_object_new (KASSA_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

const char *
kassa_window_get_page_name (KassaWindow *self)
{
  g_return_val_if_fail (KASSA_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->stack);
}

void
kassa_window_show_page (KassaWindow *self,
                        const char  *name)
{
  GtkWidget *child;

  g_return_if_fail (KASSA_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  child = adw_view_stack_get_child_by_name (self->stack, name);
  if (child == NULL)
    {
      g_warning ("No page named “%s”", name);
      return;
    }

  adw_view_stack_set_visible_child (self->stack, child);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  gtk_widget_child_focus (child, GTK_DIR_TAB_FORWARD);
}

void
kassa_window_add_toast (KassaWindow *self,
                        AdwToast    *toast)
{
  g_return_if_fail (KASSA_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
