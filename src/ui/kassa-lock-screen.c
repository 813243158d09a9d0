/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-lock-screen"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>

#include "kassa-error.h"
#include "kassa-lock-screen.h"
#include "kassa-permissions.h"
#include "kassa-shop-staff.h"


struct _KassaLockScreen
{
  AdwBin        parent_instance;

  KassaShop    *shop;
  GString      *pin;
  KassaPinCost  pin_cost;
  guint         countdown_id;

  GtkStack     *mode_stack;
  GtkListBox   *staff_list;
  GtkLabel     *pin_label;
  GtkLabel     *message_label;
  GtkGrid      *pin_pad;
  AdwEntryRow  *admin_name_row;
  AdwEntryRow  *admin_pin_row;
  AdwEntryRow  *admin_pin_again_row;
  GtkLabel     *bootstrap_message_label;
};

G_DEFINE_FINAL_TYPE (KassaLockScreen, kassa_lock_screen, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SHOP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  UNLOCKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_pin (KassaLockScreen *self)
{
  /* Overwrite before forgetting: the PIN should not linger in freed memory. */
  memset (self->pin->str, 0, self->pin->len);
  g_string_truncate (self->pin, 0);
}

static void
sync_pin_label (KassaLockScreen *self)
{
  g_autoptr(GString) dots = g_string_new (NULL);
  g_autofree char *description = NULL;

  for (gsize i = 0; i < self->pin->len; i++)
    g_string_append (dots, "●");

  /* Until a digit is typed the row says what it is for. */
  gtk_label_set_label (self->pin_label, dots->len > 0 ? dots->str : _("Type your PIN"));
  if (dots->len > 0)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->pin_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->pin_label), "title-2");
      gtk_widget_add_css_class (GTK_WIDGET (self->pin_label), "filled");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->pin_label), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (self->pin_label), "title-2");
      gtk_widget_remove_css_class (GTK_WIDGET (self->pin_label), "filled");
    }

  description = g_strdup_printf (g_dngettext (NULL, "%u digit entered", "%u digits entered",
                                              self->pin->len),
                                 (guint) self->pin->len);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->pin_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
}

static void
show_message (KassaLockScreen *self,
              const char      *message)
{
  gtk_label_set_label (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

static gint64
selected_staff_id (KassaLockScreen *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->staff_list);

  if (row == NULL)
    return 0;

  return GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "kassa-staff-id"));
}

static void
stop_countdown (KassaLockScreen *self)
{
  g_clear_handle_id (&self->countdown_id, g_source_remove);
}

/* Shows how long the selected member's lock still runs. Returns TRUE
 * while it runs. */
static gboolean
update_lock_message (KassaLockScreen *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gint64 staff_id = selected_staff_id (self);
  gint64 seconds;

  if (self->shop == NULL || staff_id == 0)
    return FALSE;

  seconds = kassa_shop_get_sign_in_lock_seconds (self->shop, staff_id, now, &error);
  if (seconds < 0)
    {
      g_warning ("Could not read the sign-in lock: %s", error->message);
      return FALSE;
    }

  if (seconds == 0)
    {
      show_message (self, NULL);
      return FALSE;
    }

  message = g_strdup_printf (g_dngettext (NULL,
                                          "Too many wrong PINs: try again in %" PRId64 " second",
                                          "Too many wrong PINs: try again in %" PRId64 " seconds",
                                          seconds),
                             seconds);
  show_message (self, message);

  return TRUE;
}

static gboolean
countdown_cb (gpointer user_data)
{
  KassaLockScreen *self = user_data;

  if (update_lock_message (self))
    return G_SOURCE_CONTINUE;

  self->countdown_id = 0;
  return G_SOURCE_REMOVE;
}

static void
start_countdown (KassaLockScreen *self)
{
  stop_countdown (self);

  if (update_lock_message (self))
    self->countdown_id = g_timeout_add_seconds (1, countdown_cb, self);
}

static void
append_digit (KassaLockScreen *self,
              char             digit)
{
  if (self->pin->len >= KASSA_PIN_MAX_LENGTH)
    return;

  g_string_append_c (self->pin, digit);
  sync_pin_label (self);

  /* A new try makes the last "Wrong PIN" old news; a lockout stays shown. */
  if (self->countdown_id == 0)
    show_message (self, NULL);
}

static void
delete_digit (KassaLockScreen *self)
{
  if (self->pin->len == 0)
    return;

  self->pin->str[self->pin->len - 1] = '\0';
  g_string_truncate (self->pin, self->pin->len - 1);
  sync_pin_label (self);
}

static void
submit_pin (KassaLockScreen *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  gint64 staff_id = selected_staff_id (self);
  gboolean ok;

  if (self->shop == NULL)
    return;

  if (staff_id == 0)
    {
      show_message (self, _("Choose your name first"));
      return;
    }

  if (self->pin->len == 0)
    {
      show_message (self, _("Type your PIN"));
      return;
    }

  ok = kassa_shop_sign_in (self->shop, staff_id, self->pin->str, now, &error);
  clear_pin (self);
  sync_pin_label (self);

  if (ok)
    {
      stop_countdown (self);
      show_message (self, NULL);
      g_signal_emit (self, signals[UNLOCKED], 0);
      return;
    }

  if (g_error_matches (error, KASSA_ERROR, KASSA_ERROR_LOCKED))
    start_countdown (self);
  else if (g_error_matches (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED))
    show_message (self, error->message);
  else
    {
      g_warning ("Signing in failed: %s", error->message);
      show_message (self, _("Signing in failed; try again"));
    }
}

static void
pad_button_clicked_cb (GtkButton       *button,
                       KassaLockScreen *self)
{
  const char *key = g_object_get_data (G_OBJECT (button), "kassa-pad-key");

  if (g_str_equal (key, "back"))
    delete_digit (self);
  else if (g_str_equal (key, "enter"))
    submit_pin (self);
  else
    append_digit (self, key[0]);
}

static int
digit_for_keyval (guint keyval)
{
  if (keyval >= GDK_KEY_0 && keyval <= GDK_KEY_9)
    return keyval - GDK_KEY_0;
  if (keyval >= GDK_KEY_KP_0 && keyval <= GDK_KEY_KP_9)
    return keyval - GDK_KEY_KP_0;

  return -1;
}

/* Captured before any child sees the key, so digits reach the PIN
 * wherever the focus is on the sign-in page (the staff list keeps the
 * arrow keys). */
static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                KassaLockScreen       *self)
{
  int digit;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->mode_stack), "sign-in") != 0)
    return GDK_EVENT_PROPAGATE;

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return GDK_EVENT_PROPAGATE;

  digit = digit_for_keyval (keyval);
  if (digit >= 0)
    {
      append_digit (self, '0' + digit);
      return GDK_EVENT_STOP;
    }

  switch (keyval)
    {
    case GDK_KEY_BackSpace:
      delete_digit (self);
      return GDK_EVENT_STOP;

    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      submit_pin (self);
      return GDK_EVENT_STOP;

    case GDK_KEY_Escape:
      clear_pin (self);
      sync_pin_label (self);
      return GDK_EVENT_STOP;

    default:
      return GDK_EVENT_PROPAGATE;
    }
}

static void
staff_row_selected_cb (KassaLockScreen *self,
                       GtkListBoxRow   *row)
{
  /* The list empties itself while the template is disposed. */
  if (self->pin_label == NULL)
    return;

  /* A check mark says whose PIN is being typed, plainer than the row's shade. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->staff_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *check = g_object_get_data (G_OBJECT (child), "kassa-check");

      if (check != NULL)
        gtk_widget_set_visible (check, child == GTK_WIDGET (row));
    }

  clear_pin (self);
  sync_pin_label (self);
  show_message (self, NULL);
  start_countdown (self);
}

static void
staff_row_activated_cb (KassaLockScreen *self,
                        GtkListBoxRow   *row)
{
  if (self->pin->len > 0)
    submit_pin (self);
}

static void
show_bootstrap_message (KassaLockScreen *self,
                        const char      *message)
{
  gtk_label_set_label (self->bootstrap_message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->bootstrap_message_label), message != NULL);
}

static void
create_admin_cb (KassaLockScreen *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->admin_pin_row));
  const char *again = gtk_editable_get_text (GTK_EDITABLE (self->admin_pin_again_row));
  gint64 staff_id;

  if (self->shop == NULL)
    return;

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->admin_name_row))));
  if (*name == '\0')
    {
      show_bootstrap_message (self, _("Enter the administrator’s name"));
      gtk_widget_grab_focus (GTK_WIDGET (self->admin_name_row));
      return;
    }

  if (!kassa_pin_check (pin, &error))
    {
      show_bootstrap_message (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->admin_pin_row));
      return;
    }

  if (!g_str_equal (pin, again))
    {
      show_bootstrap_message (self, _("The two PINs differ; type the same PIN twice"));
      gtk_editable_set_text (GTK_EDITABLE (self->admin_pin_again_row), "");
      gtk_widget_grab_focus (GTK_WIDGET (self->admin_pin_again_row));
      return;
    }

  staff_id = kassa_shop_create_staff (self->shop, name, KASSA_STAFF_ROLE_ADMIN, pin,
                                      self->pin_cost, &error);
  if (staff_id == 0 || !kassa_shop_sign_in (self->shop, staff_id, pin, now, &error))
    {
      show_bootstrap_message (self, error->message);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->admin_pin_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->admin_pin_again_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->admin_name_row), "");
  show_bootstrap_message (self, NULL);

  kassa_lock_screen_reload (self);
  g_signal_emit (self, signals[UNLOCKED], 0);
}

static GtkWidget *
create_staff_row (KassaStaff *staff)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), kassa_staff_get_name (staff));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               kassa_role_get_display_name (kassa_staff_get_role (staff)));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("avatar-default-symbolic"));
  check = gtk_image_new_from_icon_name ("object-select-symbolic");
  gtk_widget_set_visible (check, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Chosen"),
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
  g_object_set_data (G_OBJECT (row), "kassa-check", check);
  g_object_set_data (G_OBJECT (row), "kassa-staff-id",
                     GSIZE_TO_POINTER ((gsize) kassa_staff_get_id (staff)));

  return row;
}

static void
build_pin_pad (KassaLockScreen *self)
{
  static const struct {
    const char *key;
    const char *label;
    const char *icon;
    const char *accessible;
  } keys[] = {
    { "1", "1" }, { "2", "2" }, { "3", "3" },
    { "4", "4" }, { "5", "5" }, { "6", "6" },
    { "7", "7" }, { "8", "8" }, { "9", "9" },
    { "back", NULL, "edit-clear-symbolic", N_("Delete last digit") },
    { "0", "0" },
    { "enter", NULL, "go-next-symbolic", N_("Sign in") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkWidget *button;

      if (keys[i].icon != NULL)
        {
          button = gtk_button_new_from_icon_name (keys[i].icon);
          gtk_widget_set_tooltip_text (button, _(keys[i].accessible));
          gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, _(keys[i].accessible),
                                          -1);
        }
      else
        button = gtk_button_new_with_label (keys[i].label);

      /* The keyboard keeps its place in the staff list while the pad is used. */
      gtk_widget_set_focus_on_click (button, FALSE);
      gtk_widget_set_size_request (button, 72, 48);
      gtk_widget_add_css_class (button, "title-3");
      if (g_str_equal (keys[i].key, "enter"))
        gtk_widget_add_css_class (button, "suggested-action");
      gtk_widget_set_name (button, keys[i].key);
      g_object_set_data (G_OBJECT (button), "kassa-pad-key", (gpointer) keys[i].key);
      g_signal_connect_object (button, "clicked", G_CALLBACK (pad_button_clicked_cb), self, 0);
      gtk_grid_attach (self->pin_pad, button, i % 3, i / 3, 1, 1);
    }
}

static void
focus_first_control (KassaLockScreen *self)
{
  GtkListBoxRow *row;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->mode_stack), "bootstrap") == 0)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->admin_name_row));
      return;
    }

  row = gtk_list_box_get_selected_row (self->staff_list);
  if (row == NULL)
    row = gtk_list_box_get_row_at_index (self->staff_list, 0);
  if (row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
kassa_lock_screen_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (kassa_lock_screen_parent_class)->map (widget);

  focus_first_control (KASSA_LOCK_SCREEN (widget));
}

static void
kassa_lock_screen_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KassaLockScreen *self = KASSA_LOCK_SCREEN (object);

  switch (prop_id)
    {
    case PROP_SHOP:
      g_value_set_object (value, self->shop);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_lock_screen_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  KassaLockScreen *self = KASSA_LOCK_SCREEN (object);

  switch (prop_id)
    {
    case PROP_SHOP:
      kassa_lock_screen_set_shop (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_lock_screen_dispose (GObject *object)
{
  KassaLockScreen *self = KASSA_LOCK_SCREEN (object);

  stop_countdown (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), KASSA_TYPE_LOCK_SCREEN);
  g_clear_object (&self->shop);

  G_OBJECT_CLASS (kassa_lock_screen_parent_class)->dispose (object);
}

static void
kassa_lock_screen_finalize (GObject *object)
{
  KassaLockScreen *self = KASSA_LOCK_SCREEN (object);

  clear_pin (self);
  g_string_free (self->pin, TRUE);

  G_OBJECT_CLASS (kassa_lock_screen_parent_class)->finalize (object);
}

static void
kassa_lock_screen_class_init (KassaLockScreenClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = kassa_lock_screen_get_property;
  object_class->set_property = kassa_lock_screen_set_property;
  object_class->dispose = kassa_lock_screen_dispose;
  object_class->finalize = kassa_lock_screen_finalize;
  widget_class->map = kassa_lock_screen_map;

  properties[PROP_SHOP] =
    g_param_spec_object ("shop", NULL, NULL,
                         KASSA_TYPE_SHOP,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[UNLOCKED] = g_signal_new ("unlocked",
                                    G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kassapos/Kassa/ui/kassa-lock-screen.ui");
  gtk_widget_class_bind_template_child (widget_class, KassaLockScreen, mode_stack);
  gtk_widget_class_bind_template_child (widget_class, KassaLockScreen, staff_list);
  gtk_widget_class_bind_template_child (widget_class, KassaLockScreen, pin_label);
  gtk_widget_class_bind_template_child (widget_class, KassaLockScreen, message_label);
  gtk_widget_class_bind_template_child (widget_class, KassaLockScreen, pin_pad);
  gtk_widget_class_bind_template_child (widget_class, KassaLockScreen, admin_name_row);
  gtk_widget_class_bind_template_child (widget_class, KassaLockScreen, admin_pin_row);
  gtk_widget_class_bind_template_child (widget_class, KassaLockScreen, admin_pin_again_row);
  gtk_widget_class_bind_template_child (widget_class, KassaLockScreen, bootstrap_message_label);
  gtk_widget_class_bind_template_callback (widget_class, staff_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, staff_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_admin_cb);

  gtk_widget_class_set_css_name (widget_class, "kassa-lock-screen");
}

static void
kassa_lock_screen_init (KassaLockScreen *self)
{
  GtkEventController *controller;

  self->pin = g_string_sized_new (KASSA_PIN_MAX_LENGTH + 1);
  self->pin_cost = KASSA_PIN_COST_INTERACTIVE;

  gtk_widget_init_template (GTK_WIDGET (self));
  build_pin_pad (self);
  sync_pin_label (self);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

KassaLockScreen *
kassa_lock_screen_new (void)
{
  return g_object_new (KASSA_TYPE_LOCK_SCREEN, NULL);
}

KassaShop *
kassa_lock_screen_get_shop (KassaLockScreen *self)
{
  g_return_val_if_fail (KASSA_IS_LOCK_SCREEN (self), NULL);

  return self->shop;
}

void
kassa_lock_screen_set_shop (KassaLockScreen *self,
                            KassaShop       *shop)
{
  g_return_if_fail (KASSA_IS_LOCK_SCREEN (self));
  g_return_if_fail (shop == NULL || KASSA_IS_SHOP (shop));

  if (!g_set_object (&self->shop, shop))
    return;

  kassa_lock_screen_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOP]);
}

void
kassa_lock_screen_reload (KassaLockScreen *self)
{
  g_autoptr(GPtrArray) staff = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  GtkListBoxRow *first;

  g_return_if_fail (KASSA_IS_LOCK_SCREEN (self));

  stop_countdown (self);
  clear_pin (self);
  sync_pin_label (self);
  show_message (self, NULL);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->staff_list))) != NULL)
    gtk_list_box_remove (self->staff_list, child);

  if (self->shop == NULL)
    {
      gtk_stack_set_visible_child_name (self->mode_stack, "sign-in");
      return;
    }

  staff = kassa_shop_list_staff (self->shop, &error);
  if (staff == NULL)
    {
      g_warning ("Could not list the staff: %s", error->message);
      gtk_stack_set_visible_child_name (self->mode_stack, "sign-in");
      show_message (self, _("The staff list cannot be read"));
      return;
    }

  if (staff->len == 0)
    {
      gtk_stack_set_visible_child_name (self->mode_stack, "bootstrap");
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        focus_first_control (self);
      return;
    }

  for (guint i = 0; i < staff->len; i++)
    gtk_list_box_append (self->staff_list, create_staff_row (g_ptr_array_index (staff, i)));

  gtk_stack_set_visible_child_name (self->mode_stack, "sign-in");

  /* With one person there is nobody else to choose. */
  first = gtk_list_box_get_row_at_index (self->staff_list, 0);
  if (staff->len == 1)
    gtk_list_box_select_row (self->staff_list, first);

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    focus_first_control (self);
}

void
kassa_lock_screen_set_pin_cost (KassaLockScreen *self,
                                KassaPinCost     cost)
{
  g_return_if_fail (KASSA_IS_LOCK_SCREEN (self));

  self->pin_cost = cost;
}

const char *
kassa_lock_screen_get_message (KassaLockScreen *self)
{
  GtkLabel *label;

  g_return_val_if_fail (KASSA_IS_LOCK_SCREEN (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->mode_stack), "bootstrap") == 0)
    label = self->bootstrap_message_label;
  else
    label = self->message_label;

  if (!gtk_widget_get_visible (GTK_WIDGET (label)))
    return NULL;

  return gtk_label_get_label (label);
}

const char *
kassa_lock_screen_get_mode (KassaLockScreen *self)
{
  g_return_val_if_fail (KASSA_IS_LOCK_SCREEN (self), NULL);

  return gtk_stack_get_visible_child_name (self->mode_stack);
}
