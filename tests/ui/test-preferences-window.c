/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "kassa-fake-stripe.h"
#include "kassa-preferences-window.h"
#include "kassa-secrets.h"
#include "kassa-test-ui.h"

#define TEST_SECRET_KEY "sk_test_kassa_ui_51Hx9QkDoNotLeak"
#define TEST_WEBHOOK_SECRET "whsec_kassa_ui_7f3c9a1bDoNotLeak"
#define READER "tmr_simulated_counter"

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

static void
test_preferences_finalizes (void)
{
  KassaPreferencesWindow *preferences = kassa_preferences_window_new (NULL);
  gpointer pointer = preferences;

  g_object_add_weak_pointer (G_OBJECT (preferences), &pointer);
  gtk_window_present (GTK_WINDOW (preferences));
  kassa_test_ui_spin (50);
  gtk_window_destroy (GTK_WINDOW (preferences));
  kassa_test_ui_spin (50);

  g_assert_null (pointer);
}

static void
test_preferences_write_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  KassaPreferencesWindow *preferences;
  GtkSpinButton *spin;
  AdwComboRow *combo;

  g_settings_set_uint (settings, "auto-lock-minutes", 5);
  g_settings_set_string (settings, "receipt-action", "preview");

  preferences = kassa_preferences_window_new (NULL);
  spin = GTK_SPIN_BUTTON (find_descendant (GTK_WIDGET (preferences), GTK_TYPE_SPIN_BUTTON));
  combo = ADW_COMBO_ROW (find_descendant (GTK_WIDGET (preferences), ADW_TYPE_COMBO_ROW));

  /* The widgets show what is stored… */
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 5);
  g_assert_cmpuint (adw_combo_row_get_selected (combo), ==, 1);

  /* …and store what the person chooses. */
  gtk_spin_button_set_value (spin, 15);
  g_assert_cmpuint (g_settings_get_uint (settings, "auto-lock-minutes"), ==, 15);
  adw_combo_row_set_selected (combo, 0);
  g_assert_cmpstr (g_settings_get_string (settings, "receipt-action"), ==, "print");
  adw_combo_row_set_selected (combo, 2);
  g_assert_cmpstr (g_settings_get_string (settings, "receipt-action"), ==, "none");

  gtk_window_destroy (GTK_WINDOW (preferences));
}

/* -- Payments page -------------------------------------------------------- */

typedef struct
{
  gboolean  done;
  char     *secret;
  GError   *error;
} Lookup;

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Lookup *lookup = user_data;

  lookup->secret = kassa_secrets_lookup_finish (result, &lookup->error);
  lookup->done = TRUE;
}

/* What the keyring holds now, through the same layer the page uses. */
static char *
keyring_lookup (KassaSecretKind   kind,
                GError          **error)
{
  Lookup lookup = { 0, };
  char *copy;

  kassa_secrets_lookup_async (kind, NULL, 5000, NULL, lookup_cb, &lookup);
  while (!lookup.done)
    g_main_context_iteration (NULL, TRUE);
  if (lookup.error != NULL)
    {
      g_propagate_error (error, lookup.error);
      return NULL;
    }

  copy = g_strdup (lookup.secret);
  kassa_secrets_free (lookup.secret);
  return copy;
}

static void
cleared_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;

  kassa_secrets_clear_finish (result, NULL);
  *done = TRUE;
}

static void
keyring_clear (KassaSecretKind kind)
{
  gboolean done = FALSE;

  kassa_secrets_clear_async (kind, NULL, 5000, NULL, cleared_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Without an unlocked Secret Service (a plain `meson test`) the keyring
 * tests say so and skip; build-aux/headless-session.sh provides one. */
static gboolean
keyring_available (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = keyring_lookup (KASSA_SECRET_STRIPE_SECRET_KEY, &error);

  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf ("no keyring: %s", error->message);

      g_test_skip (message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
settled (gpointer data)
{
  return kassa_preferences_window_get_n_pending (data) == 0;
}

static void
wait_settled (KassaPreferencesWindow *preferences)
{
  g_assert_true (kassa_test_ui_wait_for (settled, preferences));
}

static GtkWidget *
find_named (GtkWidget  *widget,
            GType       type,
            const char *title)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, type, title);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* No key of the app's settings holds @secret, whatever its type. */
static void
assert_not_in_settings (const char *secret)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  g_assert_cmpuint (g_strv_length (keys), >, 0);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      g_assert_null (strstr (text, secret));
    }
}

static void
test_payments_store_and_remove_key (void)
{
  KassaPreferencesWindow *preferences;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *webhook = NULL;
  GtkWidget *status;
  GtkWidget *entry;
  GtkWidget *webhook_entry;
  GtkWidget *remove;
  const char *subtitle;

  if (!keyring_available ())
    return;
  keyring_clear (KASSA_SECRET_STRIPE_SECRET_KEY);
  keyring_clear (KASSA_SECRET_STRIPE_WEBHOOK_SECRET);

  preferences = kassa_preferences_window_new (NULL);
  gtk_window_present (GTK_WINDOW (preferences));
  wait_settled (preferences);

  status = find_named (GTK_WIDGET (preferences), ADW_TYPE_ACTION_ROW, "Secret Key");
  entry = find_named (GTK_WIDGET (preferences), ADW_TYPE_PASSWORD_ENTRY_ROW, "New Secret Key (sk_… or rk_…)");
  webhook_entry = find_named (GTK_WIDGET (preferences), ADW_TYPE_PASSWORD_ENTRY_ROW, "New Webhook Secret (whsec_…)");
  remove = find_button (GTK_WIDGET (preferences), "_Remove");
  g_assert_nonnull (status);
  g_assert_nonnull (entry);
  g_assert_nonnull (webhook_entry);
  g_assert_nonnull (remove);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (status)), ==,
                   "No key is stored: card and QR payments are off");
  g_assert_false (gtk_widget_get_sensitive (remove));

  /* A publishable key is no secret key: refused, nothing stored. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "pk_test_kassa_ui_51Hx9QkPublishable");
  g_signal_emit_by_name (entry, "apply");
  wait_settled (preferences);
  stored = keyring_lookup (KASSA_SECRET_STRIPE_SECRET_KEY, &error);
  g_assert_no_error (error);
  g_assert_null (stored);

  /* Entered and applied: in the keyring, out of the entry, masked on
   * screen, and nowhere in GSettings. */
  gtk_editable_set_text (GTK_EDITABLE (entry), TEST_SECRET_KEY);
  g_signal_emit_by_name (entry, "apply");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  wait_settled (preferences);

  stored = keyring_lookup (KASSA_SECRET_STRIPE_SECRET_KEY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, TEST_SECRET_KEY);
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (status));
  g_assert_nonnull (strstr (subtitle, "A test key is stored"));
  g_assert_nonnull (strstr (subtitle, "sk_test_kassa_ui_…Leak"));
  g_assert_null (strstr (subtitle, TEST_SECRET_KEY));
  g_assert_true (gtk_widget_get_sensitive (remove));
  assert_not_in_settings (TEST_SECRET_KEY);
  assert_not_in_settings ("51Hx9Qk");

  gtk_editable_set_text (GTK_EDITABLE (webhook_entry), TEST_WEBHOOK_SECRET);
  g_signal_emit_by_name (webhook_entry, "apply");
  wait_settled (preferences);
  webhook = keyring_lookup (KASSA_SECRET_STRIPE_WEBHOOK_SECRET, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (webhook, ==, TEST_WEBHOOK_SECRET);
  assert_not_in_settings (TEST_WEBHOOK_SECRET);

  /* Removing the secret key clears it from the keyring, and only it. */
  g_signal_emit_by_name (remove, "clicked");
  wait_settled (preferences);
  g_clear_pointer (&stored, g_free);
  stored = keyring_lookup (KASSA_SECRET_STRIPE_SECRET_KEY, &error);
  g_assert_no_error (error);
  g_assert_null (stored);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (status)), ==,
                   "No key is stored: card and QR payments are off");
  g_assert_false (gtk_widget_get_sensitive (remove));
  g_clear_pointer (&webhook, g_free);
  webhook = keyring_lookup (KASSA_SECRET_STRIPE_WEBHOOK_SECRET, &error);
  g_assert_cmpstr (webhook, ==, TEST_WEBHOOK_SECRET);

  gtk_window_destroy (GTK_WINDOW (preferences));
  keyring_clear (KASSA_SECRET_STRIPE_WEBHOOK_SECRET);
}

static gboolean
readers_listed (gpointer data)
{
  AdwComboRow *row = data;

  return g_list_model_get_n_items (adw_combo_row_get_model (row)) == 2;
}

/* With a store open and a key (here from the environment), the readers
 * come from Stripe; the choice lands in GSettings. */
static void
test_payments_choose_reader (void)
{
  g_autoptr(KassaFakeStripe) fake = kassa_fake_stripe_new (TEST_SECRET_KEY);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaShop) shop = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *chosen = NULL;
  g_autofree char *label = NULL;
  KassaPreferencesWindow *preferences;
  AdwComboRow *row;
  GListModel *model;

  kassa_fake_stripe_add_reader (fake, READER, "Counter");
  g_settings_set_string (settings, "stripe-reader-id", "");
  g_setenv ("KASSA_STRIPE_SECRET_KEY", TEST_SECRET_KEY, TRUE);
  g_setenv ("KASSA_STRIPE_API_BASE", kassa_fake_stripe_get_url (fake), TRUE);

  dir = g_dir_make_tmp ("kassa-ui-prefs-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "shop.db", NULL);
  shop = kassa_shop_open (path, &error);
  g_assert_no_error (error);

  preferences = kassa_preferences_window_new (NULL);
  kassa_preferences_window_set_shop (preferences, shop);
  gtk_window_present (GTK_WINDOW (preferences));
  row = ADW_COMBO_ROW (find_named (GTK_WIDGET (preferences), ADW_TYPE_COMBO_ROW, "Reader"));
  g_assert_nonnull (row);
  g_assert_true (kassa_test_ui_wait_for (readers_listed, row));
  wait_settled (preferences);

  model = adw_combo_row_get_model (row);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), 0), ==, "None");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), 1), ==, "Counter (" READER ")");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fake, "GET", "/v1/terminal/readers"), ==, 1);

  adw_combo_row_set_selected (row, 1);
  chosen = g_settings_get_string (settings, "stripe-reader-id");
  label = g_settings_get_string (settings, "stripe-reader-label");
  g_assert_cmpstr (chosen, ==, READER);
  g_assert_cmpstr (label, ==, "Counter");
  assert_not_in_settings (TEST_SECRET_KEY);

  gtk_window_destroy (GTK_WINDOW (preferences));
  kassa_test_ui_spin (20);
  g_unsetenv ("KASSA_STRIPE_SECRET_KEY");
  g_unsetenv ("KASSA_STRIPE_API_BASE");
  g_clear_object (&shop);
  {
    g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
    const char *name;

    while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
      {
        g_autofree char *file = g_build_filename (dir, name, NULL);

        g_unlink (file);
      }
  }
  g_rmdir (dir);
}

/* The receipt printer's connection and address land in GSettings; an
 * address the printer code could not use is refused. */
static void
test_printer_destination (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  KassaPreferencesWindow *preferences;
  g_autofree char *target = NULL;
  g_autofree char *kind = NULL;
  AdwComboRow *combo;
  GtkWidget *entry;

  g_settings_reset (settings, "receipt-printer-kind");
  g_settings_reset (settings, "receipt-printer-target");

  preferences = kassa_preferences_window_new (NULL);
  combo = ADW_COMBO_ROW (find_named (GTK_WIDGET (preferences), ADW_TYPE_COMBO_ROW, "Receipt Printer"));
  entry = find_named (GTK_WIDGET (preferences), ADW_TYPE_ENTRY_ROW, "Printer Address");
  g_assert_nonnull (combo);
  g_assert_nonnull (entry);
  g_assert_cmpuint (adw_combo_row_get_selected (combo), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (entry));

  adw_combo_row_set_selected (combo, 2);
  kind = g_settings_get_string (settings, "receipt-printer-kind");
  g_assert_cmpstr (kind, ==, "network");
  g_assert_true (gtk_widget_get_sensitive (entry));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (entry)), ==,
                   "Host and Port (192.168.1.50:9100)");

  gtk_editable_set_text (GTK_EDITABLE (entry), "printer:notaport");
  g_signal_emit_by_name (entry, "apply");
  target = g_settings_get_string (settings, "receipt-printer-target");
  g_assert_cmpstr (target, ==, "");
  g_assert_true (gtk_widget_has_css_class (entry, "error"));

  gtk_editable_set_text (GTK_EDITABLE (entry), " 192.168.1.50:9100 ");
  g_signal_emit_by_name (entry, "apply");
  g_clear_pointer (&target, g_free);
  target = g_settings_get_string (settings, "receipt-printer-target");
  g_assert_cmpstr (target, ==, "192.168.1.50:9100");
  g_assert_false (gtk_widget_has_css_class (entry, "error"));

  /* A device must be a path under /dev. */
  adw_combo_row_set_selected (combo, 1);
  gtk_editable_set_text (GTK_EDITABLE (entry), "lp0");
  g_signal_emit_by_name (entry, "apply");
  g_clear_pointer (&target, g_free);
  target = g_settings_get_string (settings, "receipt-printer-target");
  g_assert_cmpstr (target, ==, "192.168.1.50:9100");
  gtk_editable_set_text (GTK_EDITABLE (entry), "/dev/usb/lp0");
  g_signal_emit_by_name (entry, "apply");
  g_clear_pointer (&target, g_free);
  target = g_settings_get_string (settings, "receipt-printer-target");
  g_assert_cmpstr (target, ==, "/dev/usb/lp0");

  gtk_window_destroy (GTK_WINDOW (preferences));

  /* A new window shows what is stored. */
  preferences = kassa_preferences_window_new (NULL);
  combo = ADW_COMBO_ROW (find_named (GTK_WIDGET (preferences), ADW_TYPE_COMBO_ROW, "Receipt Printer"));
  entry = find_named (GTK_WIDGET (preferences), ADW_TYPE_ENTRY_ROW, "Device Path (/dev/usb/lp0)");
  g_assert_cmpuint (adw_combo_row_get_selected (combo), ==, 1);
  g_assert_nonnull (entry);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "/dev/usb/lp0");
  gtk_window_destroy (GTK_WINDOW (preferences));
}

int
main (int   argc,
      char *argv[])
{
  if (!kassa_test_ui_init (&argc, &argv))
    {
      g_test_add_func ("/kassa/preferences-window/no-display", kassa_test_ui_skip_no_display);
      return g_test_run ();
    }

  g_test_add_func ("/kassa/preferences-window/finalizes", test_preferences_finalizes);
  g_test_add_func ("/kassa/preferences-window/write-settings", test_preferences_write_settings);
  g_test_add_func ("/kassa/preferences-window/printer-destination", test_printer_destination);
  g_test_add_func ("/kassa/preferences-window/payments-store-and-remove-key", test_payments_store_and_remove_key);
  g_test_add_func ("/kassa/preferences-window/payments-choose-reader", test_payments_choose_reader);

  return g_test_run ();
}
