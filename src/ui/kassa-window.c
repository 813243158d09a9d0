/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-window"

#include "config.h"

#include <glib/gi18n.h>

#include "kassa-customers-page.h"
#include "kassa-invoices-page.h"
#include "kassa-lock-screen.h"
#include "kassa-orders-page.h"
#include "kassa-products-page.h"
#include "kassa-reports-page.h"
#include "kassa-sell-page.h"
#include "kassa-permissions.h"
#include "kassa-services-page.h"
#include "kassa-shift-close-dialog.h"
#include "kassa-shift-dialog.h"
#include "kassa-shift-report-view.h"
#include "kassa-shop-shifts.h"
#include "kassa-shop-staff.h"
#include "kassa-subscriptions-page.h"
#include "kassa-window.h"

struct _KassaWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GtkSelectionModel    *pages;
  KassaShop            *shop;

  /* Milliseconds without input before the till locks; 0 never. */
  guint                 auto_lock_ms;
  guint                 auto_lock_id;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *lock_stack;
  KassaLockScreen      *lock_screen;
  GtkLabel             *actor_label;
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

/* What a role needs to see each page; any one of the flags will do.
 * The shop refuses whatever the role may not do on the page anyway. */
static const KassaPermission page_permissions[] = {
  KASSA_PERMISSION_SELL,
  KASSA_PERMISSION_MANAGE_CATALOG,
  KASSA_PERMISSION_MANAGE_ORDERS | KASSA_PERMISSION_FULFIL_ORDERS | KASSA_PERMISSION_APPROVE_REFUND,
  KASSA_PERMISSION_MANAGE_INVOICES,
  KASSA_PERMISSION_MANAGE_SUBSCRIPTIONS,
  KASSA_PERMISSION_MANAGE_CUSTOMERS,
  KASSA_PERMISSION_GIVE_SERVICE,
  KASSA_PERMISSION_VIEW_REPORTS | KASSA_PERMISSION_MANAGE_SHIFTS,
};

G_STATIC_ASSERT (G_N_ELEMENTS (page_permissions) == G_N_ELEMENTS (page_names));

/* The window actions that need someone signed in. */
static const char * const guarded_actions[] = {
  "win.show-page", "win.show-sidebar", "win.lock",
  "win.open-shift", "win.paid-in", "win.paid-out", "win.no-sale",
  "win.x-report", "win.close-shift",
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
  /* Pages the signed-in role may not use are hidden with their row. */
  g_object_bind_property (page, "visible", row, "visible", G_BINDING_SYNC_CREATE);

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


static KassaPermission
actor_permissions (KassaWindow *self)
{
  KassaStaff *actor;

  if (self->shop == NULL)
    return KASSA_PERMISSION_NONE;

  actor = kassa_shop_get_actor (self->shop);
  if (actor == NULL)
    return KASSA_PERMISSION_NONE;

  return kassa_role_get_permissions (kassa_staff_get_role (actor));
}

static gboolean
is_locked (KassaWindow *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->lock_stack), "lock") == 0;
}

/* Offers only the drawer steps the role may take in the shift's state. */
static void
update_actions (KassaWindow *self)
{
  g_autoptr(KassaShiftRecord) shift = NULL;
  KassaPermission permissions = actor_permissions (self);
  gboolean locked = is_locked (self);
  gboolean open = FALSE;

#define HAS(flags) ((permissions & (flags)) != 0)

  if (!locked && self->shop != NULL)
    {
      g_autoptr(GError) error = NULL;

      shift = kassa_shop_get_open_shift (self->shop, NULL, &error);
      if (error != NULL)
        g_warning ("Could not read the open shift: %s", error->message);
      open = shift != NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (guarded_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), guarded_actions[i], !locked);

  if (!locked)
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-shift",
                                     !open && HAS (KASSA_PERMISSION_SELL | KASSA_PERMISSION_MANAGE_SHIFTS));
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.paid-in",
                                     open && HAS (KASSA_PERMISSION_OPEN_DRAWER | KASSA_PERMISSION_MANAGE_SHIFTS));
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.paid-out",
                                     open && HAS (KASSA_PERMISSION_OPEN_DRAWER | KASSA_PERMISSION_MANAGE_SHIFTS));
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.no-sale",
                                     open && HAS (KASSA_PERMISSION_OPEN_DRAWER));
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.x-report",
                                     open && HAS (KASSA_PERMISSION_VIEW_REPORTS | KASSA_PERMISSION_MANAGE_SHIFTS));
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-shift",
                                     open && HAS (KASSA_PERMISSION_SELL | KASSA_PERMISSION_MANAGE_SHIFTS));
    }

#undef HAS
}

/* Hides the pages the signed-in role may not use, and leaves a hidden
 * page for the first one it may. */
static void
apply_permissions (KassaWindow *self)
{
  KassaPermission permissions = actor_permissions (self);
  const char *first_allowed = NULL;
  const char *current;
  KassaStaff *actor = self->shop != NULL ? kassa_shop_get_actor (self->shop) : NULL;

  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      GtkWidget *child = adw_view_stack_get_child_by_name (self->stack, page_names[i]);
      AdwViewStackPage *page = adw_view_stack_get_page (self->stack, child);
      gboolean allowed = (permissions & page_permissions[i]) != 0;

      adw_view_stack_page_set_visible (page, allowed);
      if (allowed && first_allowed == NULL)
        first_allowed = page_names[i];
    }

  current = adw_view_stack_get_visible_child_name (self->stack);
  if (first_allowed != NULL &&
      !adw_view_stack_page_get_visible (adw_view_stack_get_page (self->stack,
                                                                  adw_view_stack_get_child_by_name (self->stack, current))))
    adw_view_stack_set_visible_child_name (self->stack, first_allowed);

  if (actor != NULL)
    {
      const char *role = kassa_role_get_display_name (kassa_staff_get_role (actor));
      g_autofree char *who = g_strdup_printf (_("Signed in as %s, %s"), kassa_staff_get_name (actor), role);

      gtk_label_set_label (self->actor_label, kassa_staff_get_name (actor));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->actor_label), who);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->actor_label),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, who,
                                      -1);
    }
  else
    gtk_label_set_label (self->actor_label, "");

  update_actions (self);
}

/* Preferences change the shop; the lock keeps them out of reach too. */
static void
set_app_actions_enabled (KassaWindow *self,
                         gboolean     enabled)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  GAction *action;

  if (application == NULL)
    return;

  action = g_action_map_lookup_action (G_ACTION_MAP (application), "preferences");
  if (G_IS_SIMPLE_ACTION (action))
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static gboolean
auto_lock_cb (gpointer user_data)
{
  KassaWindow *self = user_data;

  self->auto_lock_id = 0;
  g_debug ("Locking after %u ms without input", self->auto_lock_ms);
  kassa_window_lock (self);

  return G_SOURCE_REMOVE;
}

static void
restart_auto_lock (KassaWindow *self)
{
  g_clear_handle_id (&self->auto_lock_id, g_source_remove);

  if (self->auto_lock_ms == 0 || is_locked (self))
    return;

  self->auto_lock_id = g_timeout_add (self->auto_lock_ms, auto_lock_cb, self);
}

static void
activity_cb (KassaWindow *self)
{
  if (self->auto_lock_id != 0)
    restart_auto_lock (self);
}

static gboolean
key_activity_cb (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 KassaWindow           *self)
{
  activity_cb (self);

  return GDK_EVENT_PROPAGATE;
}

static void
motion_activity_cb (GtkEventControllerMotion *controller,
                    double                    x,
                    double                    y,
                    KassaWindow              *self)
{
  activity_cb (self);
}

/* Counting a drawer can take a while: input in the window's dialogs
 * keeps the till unlocked as input in the window does. */
static void
watch_activity (KassaWindow *self,
                GtkWidget   *widget)
{
  GtkEventController *controller;

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (key_activity_cb), self, 0);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_motion_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "motion", G_CALLBACK (motion_activity_cb), self, 0);
  gtk_widget_add_controller (widget, controller);
}

/* The dialogs acted for whoever signed out; the next person starts
 * from the window. The shortcuts window only hides: the window owns it. */
static void
close_dialogs (KassaWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(GPtrArray) dialogs = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (window) == GTK_WINDOW (self))
        g_ptr_array_add (dialogs, g_steal_pointer (&window));
    }

  for (guint i = 0; i < dialogs->len; i++)
    {
      GtkWindow *dialog = g_ptr_array_index (dialogs, i);

      if (GTK_IS_SHORTCUTS_WINDOW (dialog))
        gtk_widget_set_visible (GTK_WIDGET (dialog), FALSE);
      else
        gtk_window_destroy (dialog);
    }
}

static void
auto_lock_minutes_changed_cb (KassaWindow *self)
{
  kassa_window_set_auto_lock_timeout (self, g_settings_get_uint (self->settings, "auto-lock-minutes") * 60 * 1000);
}

static void
lock_screen_unlocked_cb (KassaWindow *self)
{
  GtkWidget *page;

  gtk_stack_set_visible_child_name (self->lock_stack, "main");
  set_app_actions_enabled (self, TRUE);
  apply_permissions (self);
  restart_auto_lock (self);

  page = adw_view_stack_get_visible_child (self->stack);
  if (page != NULL && !gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD))
    {
      GtkListBoxRow *row = gtk_list_box_get_selected_row (self->sidebar);

      if (row != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (row));
    }
}

static void
shift_changed_cb (KassaWindow *self)
{
  update_actions (self);
}

static void
shift_dialog_done_cb (KassaShiftDialog *dialog,
                      gint64            id,
                      KassaWindow      *self)
{
  const char *message = NULL;

  switch (kassa_shift_dialog_get_mode (dialog))
    {
    case KASSA_SHIFT_DIALOG_OPEN:
      message = _("Shift opened");
      break;
    case KASSA_SHIFT_DIALOG_PAID_IN:
      message = _("Paid in recorded");
      break;
    case KASSA_SHIFT_DIALOG_PAID_OUT:
      message = _("Paid out recorded");
      break;
    case KASSA_SHIFT_DIALOG_NO_SALE:
      message = _("Drawer opened without a sale");
      break;
    default:
      g_assert_not_reached ();
    }

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
  update_actions (self);
}

static void
present_shift_dialog (KassaWindow          *self,
                      KassaShiftDialogMode  mode)
{
  KassaShiftDialog *dialog;

  if (self->shop == NULL)
    return;

  dialog = kassa_shift_dialog_new (GTK_WINDOW (self), self->shop, mode);
  g_signal_connect_object (dialog, "done", G_CALLBACK (shift_dialog_done_cb), self, 0);
  watch_activity (self, GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_shift_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  present_shift_dialog (KASSA_WINDOW (widget), KASSA_SHIFT_DIALOG_OPEN);
}

static void
paid_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  present_shift_dialog (KASSA_WINDOW (widget), KASSA_SHIFT_DIALOG_PAID_IN);
}

static void
paid_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  present_shift_dialog (KASSA_WINDOW (widget), KASSA_SHIFT_DIALOG_PAID_OUT);
}

static void
no_sale_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  present_shift_dialog (KASSA_WINDOW (widget), KASSA_SHIFT_DIALOG_NO_SALE);
}

static void
x_report_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KassaWindow *self = KASSA_WINDOW (widget);
  g_autoptr(KassaShiftReport) report = NULL;
  g_autoptr(GError) error = NULL;
  KassaShiftReportView *view;
  GtkWidget *window;
  GtkWidget *box;
  GtkWidget *scrolled;
  GtkWidget *clamp;

  if (self->shop == NULL)
    return;

  report = kassa_shop_get_x_report (self->shop, NULL, &error);
  if (report == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }

  view = kassa_shift_report_view_new ();
  kassa_shift_report_view_set_report (view, report);

  clamp = adw_clamp_new ();
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (view));
  gtk_widget_set_margin_top (clamp, 18);
  gtk_widget_set_margin_bottom (clamp, 18);
  gtk_widget_set_margin_start (clamp, 12);
  gtk_widget_set_margin_end (clamp, 12);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_widget_set_vexpand (scrolled, TRUE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), scrolled);

  window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), _("X Report"));
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 480, 640);
  adw_window_set_content (ADW_WINDOW (window), box);
  watch_activity (self, window);
  gtk_window_present (GTK_WINDOW (window));
}

static void
close_shift_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KassaWindow *self = KASSA_WINDOW (widget);
  KassaShiftCloseDialog *dialog;

  if (self->shop == NULL)
    return;

  dialog = kassa_shift_close_dialog_new (GTK_WINDOW (self), self->shop);
  g_signal_connect_object (dialog, "closed", G_CALLBACK (shift_changed_cb), self, G_CONNECT_SWAPPED);
  watch_activity (self, GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
lock_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  kassa_window_lock (KASSA_WINDOW (widget));
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

  g_clear_handle_id (&self->auto_lock_id, g_source_remove);
  g_clear_object (&self->pages);
  g_clear_object (&self->settings);
  g_clear_object (&self->shop);

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
  g_type_ensure (KASSA_TYPE_LOCK_SCREEN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kassapos/Kassa/ui/kassa-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KassaWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KassaWindow, lock_stack);
  gtk_widget_class_bind_template_child (widget_class, KassaWindow, lock_screen);
  gtk_widget_class_bind_template_child (widget_class, KassaWindow, actor_label);
  gtk_widget_class_bind_template_child (widget_class, KassaWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, KassaWindow, sidebar_pane);
  gtk_widget_class_bind_template_child (widget_class, KassaWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, KassaWindow, content_pane);
  gtk_widget_class_bind_template_child (widget_class, KassaWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, KassaWindow, page_title);
  gtk_widget_class_bind_template_callback (widget_class, stack_visible_child_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, lock_screen_unlocked_cb);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_action);
  gtk_widget_class_install_action (widget_class, "win.open-shift", NULL, open_shift_action);
  gtk_widget_class_install_action (widget_class, "win.paid-in", NULL, paid_in_action);
  gtk_widget_class_install_action (widget_class, "win.paid-out", NULL, paid_out_action);
  gtk_widget_class_install_action (widget_class, "win.no-sale", NULL, no_sale_action);
  gtk_widget_class_install_action (widget_class, "win.x-report", NULL, x_report_action);
  gtk_widget_class_install_action (widget_class, "win.close-shift", NULL, close_shift_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.lock", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_O, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.open-shift", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_A, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.paid-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_P, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.paid-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_N, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.no-sale", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_X, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.x-report", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_E, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.close-shift", NULL);

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
  GtkEventController *controller;

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

  /* Any key or pointer movement over the window counts as someone at the till. */
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (key_activity_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
  controller = gtk_event_controller_motion_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "motion", G_CALLBACK (motion_activity_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  g_signal_connect_object (self->settings, "changed::auto-lock-minutes",
                           G_CALLBACK (auto_lock_minutes_changed_cb), self, G_CONNECT_SWAPPED);
  self->auto_lock_ms = g_settings_get_uint (self->settings, "auto-lock-minutes") * 60 * 1000;

  /* Nobody has signed in yet. */
  gtk_stack_set_visible_child_name (self->lock_stack, "lock");
  update_actions (self);
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

  /* A page hidden from the signed-in role stays out of reach. */
  if (is_locked (self) ||
      !adw_view_stack_page_get_visible (adw_view_stack_get_page (self->stack, child)))
    return;

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

void
kassa_window_set_shop (KassaWindow *self,
                       KassaShop   *shop)
{
  g_return_if_fail (KASSA_IS_WINDOW (self));
  g_return_if_fail (shop == NULL || KASSA_IS_SHOP (shop));

  if (!g_set_object (&self->shop, shop))
    return;

  kassa_lock_screen_set_shop (self->lock_screen, shop);
  kassa_window_lock (self);
}

KassaShop *
kassa_window_get_shop (KassaWindow *self)
{
  g_return_val_if_fail (KASSA_IS_WINDOW (self), NULL);

  return self->shop;
}

void
kassa_window_lock (KassaWindow *self)
{
  g_return_if_fail (KASSA_IS_WINDOW (self));

  g_clear_handle_id (&self->auto_lock_id, g_source_remove);

  /* Whoever was signed in stops acting the moment the till locks. */
  if (self->shop != NULL)
    kassa_shop_sign_out (self->shop);

  close_dialogs (self);
  gtk_stack_set_visible_child_name (self->lock_stack, "lock");
  kassa_lock_screen_reload (self->lock_screen);
  set_app_actions_enabled (self, FALSE);
  /* The pages keep the last role's visibility behind the lock; the next
   * person's apply when they sign in. */
  gtk_label_set_label (self->actor_label, "");
  update_actions (self);
  gtk_widget_child_focus (GTK_WIDGET (self->lock_screen), GTK_DIR_TAB_FORWARD);
}

gboolean
kassa_window_is_locked (KassaWindow *self)
{
  g_return_val_if_fail (KASSA_IS_WINDOW (self), TRUE);

  return is_locked (self);
}

KassaLockScreen *
kassa_window_get_lock_screen (KassaWindow *self)
{
  g_return_val_if_fail (KASSA_IS_WINDOW (self), NULL);

  return self->lock_screen;
}

void
kassa_window_set_auto_lock_timeout (KassaWindow *self,
                                    guint        milliseconds)
{
  g_return_if_fail (KASSA_IS_WINDOW (self));

  self->auto_lock_ms = milliseconds;
  restart_auto_lock (self);
}
