/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-preferences-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kassa-preferences-window.h"
#include "kassa-secrets.h"
#include "kassa-shop-providers.h"
#include "kassa-stripe-terminal-provider.h"

struct _KassaPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  GtkSpinButton        *auto_lock_spin;
  AdwComboRow          *receipt_action_row;
  AdwComboRow          *printer_kind_row;
  AdwEntryRow          *printer_target_entry;

  AdwActionRow         *secret_key_status_row;
  GtkWidget            *secret_key_remove_button;
  AdwPasswordEntryRow  *secret_key_entry;
  AdwActionRow         *webhook_secret_status_row;
  GtkWidget            *webhook_secret_remove_button;
  AdwPasswordEntryRow  *webhook_secret_entry;
  GtkSpinner           *readers_spinner;
  GtkButton            *readers_refresh_button;
  AdwComboRow          *reader_row;
  GtkStringList        *reader_names;

  KassaShop            *shop;
  GCancellable         *cancellable;
  GPtrArray            *reader_ids;  /* parallel to reader_names */
  guint                 n_pending;
  gboolean              secret_key_stored;
  gboolean              filling_readers;
  gboolean              loading_readers;
  gboolean              disposed;
};

G_DEFINE_FINAL_TYPE (KassaPreferencesWindow, kassa_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The combo row lists the schema's enum nicks in this order. */
static const char * const receipt_actions[] = { "print", "preview", "none" };

static gboolean
receipt_action_to_selected (GValue   *value,
                            GVariant *variant,
                            gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (receipt_actions); i++)
    {
      if (g_str_equal (nick, receipt_actions[i]))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
selected_to_receipt_action (const GValue       *value,
                            const GVariantType *expected_type,
                            gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected >= G_N_ELEMENTS (receipt_actions))
    return NULL;

  return g_variant_new_string (receipt_actions[selected]);
}

/* -- Receipt printer ---------------------------------------------------- */

/* The combo row lists the schema's printer kinds in this order. */
static const char * const printer_kinds[] = { "none", "device", "network", "cups" };

static gboolean
printer_kind_to_selected (GValue   *value,
                          GVariant *variant,
                          gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (printer_kinds); i++)
    if (g_str_equal (nick, printer_kinds[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  return FALSE;
}

static GVariant *
selected_to_printer_kind (const GValue       *value,
                          const GVariantType *expected_type,
                          gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected >= G_N_ELEMENTS (printer_kinds))
    return NULL;

  return g_variant_new_string (printer_kinds[selected]);
}

static void
printer_kind_selected_cb (KassaPreferencesWindow *self)
{
  static const char * const titles[] = {
    N_("Printer Address"),
    N_("Device Path (/dev/usb/lp0)"),
    N_("Host and Port (192.168.1.50:9100)"),
    N_("CUPS Queue Name"),
  };
  guint selected = adw_combo_row_get_selected (self->printer_kind_row);

  if (self->printer_target_entry == NULL || selected >= G_N_ELEMENTS (titles))
    return;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->printer_target_entry), _(titles[selected]));
  gtk_widget_set_sensitive (GTK_WIDGET (self->printer_target_entry), selected != 0);
}

/* Refuses an address the printer code could not use, so a typo shows
 * here and not at the first sale. */
static gboolean
check_printer_target (const char  *kind,
                      const char  *target,
                      GError     **error)
{
  if (g_str_equal (kind, "device") && (!g_str_has_prefix (target, "/dev/") || strlen (target) <= 5))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A printer device is a path under /dev, such as /dev/usb/lp0"));
      return FALSE;
    }

  if (g_str_equal (kind, "network"))
    {
      g_autoptr(GSocketConnectable) address = g_network_address_parse (target, 9100, NULL);

      if (address == NULL || *target == '\0')
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("A network printer is a host name or address with an optional port, such as 192.168.1.50:9100"));
          return FALSE;
        }
    }

  if (g_str_equal (kind, "cups"))
    {
      gboolean ok = *target != '\0';

      for (const char *p = target; ok && *p != '\0'; p++)
        if (g_ascii_isspace (*p) || *p == '/' || *p == '#')
          ok = FALSE;
      if (!ok)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("A CUPS queue name has no spaces, slashes or “#”"));
          return FALSE;
        }
    }

  return TRUE;
}

static void
printer_target_apply_cb (KassaPreferencesWindow *self)
{
  g_autofree char *kind = g_settings_get_string (self->settings, "receipt-printer-kind");
  g_autofree char *target = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->printer_target_entry))));
  g_autoptr(GError) error = NULL;

  if (!check_printer_target (kind, target, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->printer_target_entry), "error");
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->printer_target_entry), "error");
  g_settings_set_string (self->settings, "receipt-printer-target", target);
}

/* -- Payments ------------------------------------------------------------ */

/* How long the page waits for the keyring: a locked keyring may wait on
 * a prompt nobody sees, and the page must tell people rather than hang. */
#define KEYRING_TIMEOUT_MS 8000

/* A call in flight holds the window weakly: a window closed meanwhile
 * is gone, not kept alive past its parent. */
typedef struct
{
  GWeakRef        self;
  KassaSecretKind kind;
} KeyCall;

static KeyCall *
key_call_new (KassaPreferencesWindow *self,
              KassaSecretKind         kind)
{
  KeyCall *call = g_new0 (KeyCall, 1);

  g_weak_ref_init (&call->self, self);
  call->kind = kind;
  self->n_pending++;

  return call;
}

/* The window, when it is still there and open: (transfer full). */
static KassaPreferencesWindow *
key_call_finish (KeyCall *call)
{
  KassaPreferencesWindow *self = g_weak_ref_get (&call->self);

  if (self == NULL)
    return NULL;

  self->n_pending--;
  if (self->disposed)
    g_clear_object (&self);

  return self;
}

static void
key_call_free (KeyCall *call)
{
  g_weak_ref_clear (&call->self);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KeyCall, key_call_free)

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, KASSA_SECRETS_ERROR, KASSA_SECRETS_ERROR_CANCELLED);
}

/* "sk_test_…4242": enough to tell keys apart, nothing to pay with. */
static char *
mask_secret (const char *secret)
{
  gsize length = strlen (secret);
  const char *last_underscore = strrchr (secret, '_');
  gsize prefix = last_underscore != NULL ? (gsize) (last_underscore - secret) + 1 : 0;

  if (length < prefix + 8)
    return g_strndup (secret, prefix);

  return g_strdup_printf ("%.*s…%s", (int) prefix, secret, secret + length - 4);
}

static void
show_key_status (KassaPreferencesWindow *self,
                 KassaSecretKind         kind,
                 const char             *secret,
                 const GError           *error)
{
  AdwActionRow *row = kind == KASSA_SECRET_STRIPE_SECRET_KEY ? self->secret_key_status_row
                                                             : self->webhook_secret_status_row;
  GtkWidget *remove = kind == KASSA_SECRET_STRIPE_SECRET_KEY ? self->secret_key_remove_button
                                                             : self->webhook_secret_remove_button;
  g_autofree char *masked = NULL;
  g_autofree char *text = NULL;

  if (error != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      adw_action_row_set_subtitle (row, error->message);
      gtk_widget_set_sensitive (remove, FALSE);
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  gtk_widget_set_sensitive (remove, secret != NULL);

  if (secret == NULL)
    {
      adw_action_row_set_subtitle (row, kind == KASSA_SECRET_STRIPE_SECRET_KEY
                                          ? _("No key is stored: card and QR payments are off")
                                          : _("No signing secret is stored"));
      return;
    }

  masked = mask_secret (secret);
  if (kind == KASSA_SECRET_STRIPE_WEBHOOK_SECRET)
    text = g_strdup_printf (_("A signing secret is stored (%s)"), masked);
  else if (strstr (secret, "_test_") != NULL)
    text = g_strdup_printf (_("A test key is stored (%s): payments are simulated"), masked);
  else
    text = g_strdup_printf (_("A live key is stored (%s): payments are real"), masked);
  adw_action_row_set_subtitle (row, text);
}

static void load_readers (KassaPreferencesWindow *self);

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KeyCall) call = user_data;
  g_autoptr(KassaPreferencesWindow) self = key_call_finish (call);
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = kassa_secrets_lookup_finish (result, &error);
  if (self == NULL || is_cancelled (error))
    {
      kassa_secrets_free (secret);
      return;
    }

  show_key_status (self, call->kind, secret, error);
  if (call->kind == KASSA_SECRET_STRIPE_SECRET_KEY)
    {
      self->secret_key_stored = secret != NULL;
      load_readers (self);
    }
  kassa_secrets_free (secret);
}

static void
refresh_key_status (KassaPreferencesWindow *self,
                    KassaSecretKind         kind)
{
  kassa_secrets_lookup_async (kind, NULL, KEYRING_TIMEOUT_MS, self->cancellable, lookup_cb,
                              key_call_new (self, kind));
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KeyCall) call = user_data;
  g_autoptr(KassaPreferencesWindow) self = key_call_finish (call);
  g_autoptr(GError) error = NULL;
  gboolean stored = kassa_secrets_store_finish (result, &error);

  if (self == NULL || is_cancelled (error))
    return;
  if (!stored)
    {
      show_key_status (self, call->kind, NULL, error);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
      return;
    }

  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (call->kind == KASSA_SECRET_STRIPE_SECRET_KEY
                                                     ? _("Secret key stored in the keyring")
                                                     : _("Signing secret stored in the keyring")));
  refresh_key_status (self, call->kind);
}

static void
cleared_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KeyCall) call = user_data;
  g_autoptr(KassaPreferencesWindow) self = key_call_finish (call);
  g_autoptr(GError) error = NULL;
  gboolean cleared = kassa_secrets_clear_finish (result, &error);

  if (self == NULL || is_cancelled (error))
    return;
  if (!cleared)
    {
      show_key_status (self, call->kind, NULL, error);
      return;
    }

  refresh_key_status (self, call->kind);
}

/* Only what Stripe calls a secret key goes in: a publishable key (pk_)
 * or a stray paste would only fail later, at the till. */
static gboolean
check_secret (KassaSecretKind   kind,
              const char       *secret,
              GError          **error)
{
  gboolean ok;

  if (kind == KASSA_SECRET_STRIPE_SECRET_KEY)
    ok = (g_str_has_prefix (secret, "sk_") || g_str_has_prefix (secret, "rk_")) && strlen (secret) > 12;
  else
    ok = g_str_has_prefix (secret, "whsec_") && strlen (secret) > 10;

  for (const char *p = secret; ok && *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      ok = FALSE;

  if (!ok)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         kind == KASSA_SECRET_STRIPE_SECRET_KEY
                           ? _("That is not a Stripe secret key: it starts with “sk_” or “rk_” (a publishable “pk_” key cannot take payments)")
                           : _("That is not a webhook signing secret: it starts with “whsec_”"));

  return ok;
}

static void
apply_secret (KassaPreferencesWindow *self,
              KassaSecretKind         kind,
              AdwEntryRow            *entry)
{
  g_autofree char *secret = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  g_autoptr(GError) error = NULL;

  /* The entry lets go of its copy at once. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "");

  if (!check_secret (kind, secret, &error))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
  else
    kassa_secrets_store_async (kind, NULL, secret, KEYRING_TIMEOUT_MS, self->cancellable, stored_cb,
                               key_call_new (self, kind));

  memset (secret, 0, strlen (secret));
}

static void
secret_key_apply_cb (KassaPreferencesWindow *self)
{
  apply_secret (self, KASSA_SECRET_STRIPE_SECRET_KEY, ADW_ENTRY_ROW (self->secret_key_entry));
}

static void
webhook_secret_apply_cb (KassaPreferencesWindow *self)
{
  apply_secret (self, KASSA_SECRET_STRIPE_WEBHOOK_SECRET, ADW_ENTRY_ROW (self->webhook_secret_entry));
}

static void
secret_key_remove_clicked_cb (KassaPreferencesWindow *self)
{
  kassa_secrets_clear_async (KASSA_SECRET_STRIPE_SECRET_KEY, NULL, KEYRING_TIMEOUT_MS, self->cancellable,
                             cleared_cb, key_call_new (self, KASSA_SECRET_STRIPE_SECRET_KEY));
}

static void
webhook_secret_remove_clicked_cb (KassaPreferencesWindow *self)
{
  kassa_secrets_clear_async (KASSA_SECRET_STRIPE_WEBHOOK_SECRET, NULL, KEYRING_TIMEOUT_MS, self->cancellable,
                             cleared_cb, key_call_new (self, KASSA_SECRET_STRIPE_WEBHOOK_SECRET));
}

/* -- Card reader ---------------------------------------------------------- */

/* Fills the reader list: "None", then @readers, and the chosen reader
 * even when it is not among them (offline, or the list not loaded). */
static void
fill_readers (KassaPreferencesWindow *self,
              GPtrArray              *readers)
{
  g_autofree char *chosen = g_settings_get_string (self->settings, "stripe-reader-id");
  g_autofree char *chosen_label = g_settings_get_string (self->settings, "stripe-reader-label");
  guint selected = 0;

  self->filling_readers = TRUE;

  gtk_string_list_splice (self->reader_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->reader_names)), NULL);
  g_ptr_array_set_size (self->reader_ids, 0);

  gtk_string_list_append (self->reader_names, _("None"));
  g_ptr_array_add (self->reader_ids, g_strdup (""));

  for (guint i = 0; readers != NULL && i < readers->len; i++)
    {
      KassaStripeReader *reader = g_ptr_array_index (readers, i);
      g_autofree char *name = g_strdup_printf (g_strcmp0 (reader->status, "offline") == 0
                                                 ? _("%s (%s, offline)") : _("%s (%s)"),
                                               reader->label != NULL && *reader->label != '\0'
                                                 ? reader->label : reader->id,
                                               reader->id);

      gtk_string_list_append (self->reader_names, name);
      g_ptr_array_add (self->reader_ids, g_strdup (reader->id));
      if (g_strcmp0 (reader->id, chosen) == 0)
        selected = self->reader_ids->len - 1;
    }

  if (selected == 0 && *chosen != '\0')
    {
      g_autofree char *name = g_strdup_printf (_("%s (%s, not listed)"),
                                               *chosen_label != '\0' ? chosen_label : chosen, chosen);

      gtk_string_list_append (self->reader_names, name);
      g_ptr_array_add (self->reader_ids, g_strdup (chosen));
      selected = self->reader_ids->len - 1;
    }

  adw_combo_row_set_selected (self->reader_row, selected);
  self->filling_readers = FALSE;
}

static void
readers_done (KassaPreferencesWindow *self,
              const char             *subtitle)
{
  self->loading_readers = FALSE;
  gtk_spinner_stop (self->readers_spinner);
  gtk_widget_set_sensitive (GTK_WIDGET (self->readers_refresh_button), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->reader_row), subtitle);
}

static void
readers_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KeyCall) call = user_data;
  g_autoptr(KassaPreferencesWindow) self = key_call_finish (call);
  g_autoptr(GPtrArray) readers = NULL;
  g_autoptr(GError) error = NULL;

  readers = kassa_stripe_terminal_provider_list_readers_finish (KASSA_STRIPE_TERMINAL_PROVIDER (object),
                                                                result, &error);
  if (self != NULL && !is_cancelled (error))
    {
      if (readers == NULL)
        readers_done (self, error->message);
      else
        {
          fill_readers (self, readers);
          readers_done (self, readers->len == 0 ? _("The Stripe account has no registered readers")
                                                : _("Card payments go to this reader"));
        }
    }
}

static void
providers_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(KeyCall) call = user_data;
  g_autoptr(KassaPreferencesWindow) self = key_call_finish (call);
  g_autoptr(GPtrArray) providers = NULL;
  g_autoptr(GError) stripe_error = NULL;
  g_autoptr(GError) error = NULL;

  providers = kassa_shop_list_payment_providers_finish (KASSA_SHOP (object), result, &stripe_error, &error);

  if (self != NULL && !is_cancelled (error))
    {
      KassaStripeTerminalProvider *terminal = NULL;

      for (guint i = 0; providers != NULL && i < providers->len; i++)
        if (KASSA_IS_STRIPE_TERMINAL_PROVIDER (g_ptr_array_index (providers, i)))
          terminal = g_ptr_array_index (providers, i);

      if (terminal != NULL)
        kassa_stripe_terminal_provider_list_readers_async (terminal, self->cancellable, readers_cb,
                                                           key_call_new (self, KASSA_SECRET_STRIPE_SECRET_KEY));
      else
        readers_done (self, error != NULL ? error->message
                                          : stripe_error != NULL ? stripe_error->message
                                                                 : _("Store a secret key to list the account's readers"));
    }
}

static void
load_readers (KassaPreferencesWindow *self)
{
  if (self->loading_readers)
    return;

  fill_readers (self, NULL);

  if (self->shop == NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->reader_row),
                                   _("Open a store to list its Stripe account's readers"));
      return;
    }
  if (!self->secret_key_stored && g_getenv (KASSA_SHOP_STRIPE_SECRET_KEY_VARIABLE) == NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->reader_row),
                                   _("Store a secret key to list the account's readers"));
      return;
    }

  self->loading_readers = TRUE;
  gtk_spinner_start (self->readers_spinner);
  gtk_widget_set_sensitive (GTK_WIDGET (self->readers_refresh_button), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->reader_row), _("Asking Stripe for the readers…"));
  kassa_shop_list_payment_providers_async (self->shop, NULL, KEYRING_TIMEOUT_MS, self->cancellable,
                                           providers_cb, key_call_new (self, KASSA_SECRET_STRIPE_SECRET_KEY));
}

static void
readers_refresh_clicked_cb (KassaPreferencesWindow *self)
{
  load_readers (self);
}

static void
reader_selected_cb (KassaPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->reader_row);
  g_autofree char *label = NULL;
  const char *id;

  if (self->filling_readers || selected >= self->reader_ids->len)
    return;

  id = g_ptr_array_index (self->reader_ids, selected);
  label = g_strdup (*id != '\0' ? gtk_string_list_get_string (self->reader_names, selected) : "");
  /* "Front till (tmr_…)": keep the name only. */
  if (*id != '\0' && g_str_has_suffix (label, ")") && strstr (label, " (") != NULL)
    *strstr (label, " (") = '\0';

  g_settings_set_string (self->settings, "stripe-reader-id", id);
  g_settings_set_string (self->settings, "stripe-reader-label", label);
}

static void
kassa_preferences_window_dispose (GObject *object)
{
  KassaPreferencesWindow *self = KASSA_PREFERENCES_WINDOW (object);

  /* Calls in flight hold the window; they see the cancel and touch
   * nothing once it is gone. */
  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), KASSA_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->shop);

  G_OBJECT_CLASS (kassa_preferences_window_parent_class)->dispose (object);
}

static void
kassa_preferences_window_finalize (GObject *object)
{
  KassaPreferencesWindow *self = KASSA_PREFERENCES_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->reader_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (kassa_preferences_window_parent_class)->finalize (object);
}

static void
kassa_preferences_window_class_init (KassaPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kassa_preferences_window_dispose;
  object_class->finalize = kassa_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kassapos/Kassa/ui/kassa-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KassaPreferencesWindow, auto_lock_spin);
  gtk_widget_class_bind_template_child (widget_class, KassaPreferencesWindow, receipt_action_row);
  gtk_widget_class_bind_template_child (widget_class, KassaPreferencesWindow, printer_kind_row);
  gtk_widget_class_bind_template_child (widget_class, KassaPreferencesWindow, printer_target_entry);
  gtk_widget_class_bind_template_callback (widget_class, printer_kind_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, printer_target_apply_cb);
  gtk_widget_class_bind_template_child (widget_class, KassaPreferencesWindow, secret_key_status_row);
  gtk_widget_class_bind_template_child (widget_class, KassaPreferencesWindow, secret_key_remove_button);
  gtk_widget_class_bind_template_child (widget_class, KassaPreferencesWindow, secret_key_entry);
  gtk_widget_class_bind_template_child (widget_class, KassaPreferencesWindow, webhook_secret_status_row);
  gtk_widget_class_bind_template_child (widget_class, KassaPreferencesWindow, webhook_secret_remove_button);
  gtk_widget_class_bind_template_child (widget_class, KassaPreferencesWindow, webhook_secret_entry);
  gtk_widget_class_bind_template_child (widget_class, KassaPreferencesWindow, readers_spinner);
  gtk_widget_class_bind_template_child (widget_class, KassaPreferencesWindow, readers_refresh_button);
  gtk_widget_class_bind_template_child (widget_class, KassaPreferencesWindow, reader_row);
  gtk_widget_class_bind_template_child (widget_class, KassaPreferencesWindow, reader_names);
  gtk_widget_class_bind_template_callback (widget_class, secret_key_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, webhook_secret_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, secret_key_remove_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, webhook_secret_remove_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, readers_refresh_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, reader_selected_cb);
}

static void
kassa_preferences_window_init (KassaPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->reader_ids = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "auto-lock-minutes",
                   self->auto_lock_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "receipt-action",
                                self->receipt_action_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                receipt_action_to_selected,
                                selected_to_receipt_action,
                                NULL, NULL);

  {
    g_autofree char *target = g_settings_get_string (self->settings, "receipt-printer-target");

    gtk_editable_set_text (GTK_EDITABLE (self->printer_target_entry), target);
  }
  g_settings_bind_with_mapping (self->settings, "receipt-printer-kind",
                                self->printer_kind_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                printer_kind_to_selected,
                                selected_to_printer_kind,
                                NULL, NULL);
  printer_kind_selected_cb (self);

  fill_readers (self, NULL);
  refresh_key_status (self, KASSA_SECRET_STRIPE_SECRET_KEY);
  refresh_key_status (self, KASSA_SECRET_STRIPE_WEBHOOK_SECRET);
}

KassaPreferencesWindow *
kassa_preferences_window_new (GtkWindow *transient_for)
{
  g_return_val_if_fail (transient_for == NULL || GTK_IS_WINDOW (transient_for), NULL);

  return g_object_new (KASSA_TYPE_PREFERENCES_WINDOW,
                       "transient-for", transient_for,
                       NULL);
}

void
kassa_preferences_window_set_shop (KassaPreferencesWindow *self,
                                   KassaShop              *shop)
{
  g_return_if_fail (KASSA_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (shop == NULL || KASSA_IS_SHOP (shop));

  if (!g_set_object (&self->shop, shop))
    return;

  load_readers (self);
}

guint
kassa_preferences_window_get_n_pending (KassaPreferencesWindow *self)
{
  g_return_val_if_fail (KASSA_IS_PREFERENCES_WINDOW (self), 0);

  return self->n_pending;
}
