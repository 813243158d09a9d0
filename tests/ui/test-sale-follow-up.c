/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kassa-shop-checkout.h"
#include "kassa-mail.h"
#include "kassa-payment-dialog.h"
#include "kassa-receipt-output.h"
#include "kassa-sale-follow-up.h"
#include "till-test-utils.h"

typedef struct
{
  char      *dir;
  KassaShop *shop;
  KassaTill *till;
  GSettings *settings;
  GPtrArray *launched;
} Fixture;

static gboolean
record_uri (const char  *uri,
            GtkWindow   *parent,
            gpointer     user_data,
            GError     **error)
{
  Fixture *fixture = user_data;

  g_ptr_array_add (fixture->launched, g_strdup (uri));
  return TRUE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *outgoing = NULL;

  fixture->shop = till_test_open_shop (&fixture->dir);
  fixture->till = kassa_till_new (fixture->shop, &error);
  g_assert_no_error (error);
  fixture->settings = g_settings_new (APP_ID);
  fixture->launched = g_ptr_array_new_with_free_func (g_free);

  /* No e-mail portal runs on the test's bus: mailto:, caught here. */
  outgoing = g_build_filename (fixture->dir, "outgoing", NULL);
  kassa_mail_set_outgoing_dir (kassa_mail_get_default (), outgoing);
  kassa_mail_set_uri_launcher (kassa_mail_get_default (), record_uri, fixture, NULL);

  /* Green tea: 4.99. */
  g_assert_true (kassa_till_add_barcode (fixture->till, "4006381333931", NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *outgoing = g_build_filename (fixture->dir, "outgoing", NULL);
  g_autoptr(GDir) dir = g_dir_open (outgoing, 0, NULL);
  const char *name;

  kassa_mail_set_uri_launcher (kassa_mail_get_default (), NULL, NULL, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (outgoing, name, NULL);
      g_unlink (path);
    }
  g_rmdir (outgoing);

  g_settings_reset (fixture->settings, "receipt-action");
  g_settings_reset (fixture->settings, "receipt-printer-kind");
  g_settings_reset (fixture->settings, "receipt-printer-target");
  g_clear_object (&fixture->settings);
  g_clear_pointer (&fixture->launched, g_ptr_array_unref);
  g_clear_object (&fixture->till);
  g_clear_object (&fixture->shop);
  till_test_remove_dir (fixture->dir);
}

static GtkWidget *
find_entry (GtkWidget *widget)
{
  if (GTK_IS_ENTRY (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_entry (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Types 10.00 handed over into the cash tender, as the cashier does. */
static KassaPaymentDialog *
pay_cash (Fixture *fixture)
{
  KassaPaymentDialog *dialog = kassa_payment_dialog_new (fixture->till);
  GtkWidget *entry;

  gtk_window_present (GTK_WINDOW (dialog));
  entry = find_entry (GTK_WIDGET (dialog));
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "10.00");
  g_signal_emit_by_name (entry, "activate");
  g_assert_nonnull (kassa_payment_dialog_get_order (dialog));
  g_assert_cmpint (kassa_payment_dialog_get_change (dialog), ==, 1000 - 499);
  return dialog;
}

static gboolean
file_has_data (gpointer data)
{
  GStatBuf st;

  return g_stat (data, &st) == 0 && st.st_size > 0;
}

static void
test_thermal_print (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *device = g_build_filename (fixture->dir, "lp0", NULL);
  g_autofree char *bytes = NULL;
  KassaPaymentDialog *dialog;
  gsize size;

  g_assert_true (g_file_set_contents (device, "", 0, NULL));
  g_settings_set_string (fixture->settings, "receipt-action", "print");
  g_settings_set_string (fixture->settings, "receipt-printer-kind", "device");
  g_settings_set_string (fixture->settings, "receipt-printer-target", device);

  dialog = pay_cash (fixture);
  g_assert_nonnull (kassa_payment_dialog_get_receipt (dialog));
  g_assert_true (kassa_test_ui_wait_for (file_has_data, device));
  /* Let the write finish. */
  kassa_test_ui_spin (200);

  g_assert_true (g_file_get_contents (device, &bytes, &size, NULL));
  /* ESC @, a raster as wide as 80 mm paper (576 dots, 72 bytes), the
   * drawer pulse for the cash tender, and a cut. */
  g_assert_cmpint (bytes[0], ==, 0x1b);
  g_assert_cmpint (bytes[1], ==, '@');
  g_assert_true (memcmp (bytes + 2, "\x1dv0\x00", 4) == 0);
  g_assert_cmpint ((guint8) bytes[6] | ((guint8) bytes[7] << 8), ==, 72);
  g_assert_nonnull (memmem (bytes, size, "\x1bp", 2));
  g_assert_nonnull (memmem (bytes, size, "\x1dV", 2));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
is_button_labelled (GtkWidget  *widget,
                    const char *label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (is_button_labelled (widget, label))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_label_text (GtkWidget  *widget,
                const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (has_label_text (child, text))
      return TRUE;
  return FALSE;
}

static void
test_preview_print_button (Fixture       *fixture,
                           gconstpointer  data)
{
  KassaPaymentDialog *dialog;

  g_settings_set_string (fixture->settings, "receipt-action", "preview");
  dialog = pay_cash (fixture);
  g_assert_nonnull (kassa_payment_dialog_get_receipt (dialog));
  /* The preview offers the print dialog. */
  g_assert_nonnull (find_button (GTK_WIDGET (dialog), "_Print…"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* No receipt wanted: none built, nothing printed. */
  g_settings_set_string (fixture->settings, "receipt-action", "none");
  g_assert_true (kassa_till_add_barcode (fixture->till, "4006381333931", NULL, NULL));
  dialog = pay_cash (fixture);
  g_assert_null (kassa_payment_dialog_get_receipt (dialog));
  g_assert_null (find_button (GTK_WIDGET (dialog), "_Print…"));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
launched_one (gpointer data)
{
  return ((Fixture *) data)->launched->len > 0;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

static void
test_toast_email_asks_address (Fixture       *fixture,
                               gconstpointer  data)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();
  KassaPaymentDialog *dialog;
  AdwMessageDialog *question;
  AdwToast *toast;
  KassaOrder *order;
  g_autofree char *title = NULL;
  const char *uri;

  g_settings_set_string (fixture->settings, "receipt-action", "none");
  gtk_window_set_child (GTK_WINDOW (window), overlay);
  gtk_window_present (GTK_WINDOW (window));

  dialog = pay_cash (fixture);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (window));
  order = kassa_payment_dialog_get_order (dialog);
  title = g_strdup_printf ("Sale %s complete", kassa_order_get_number (order));

  toast = kassa_sale_follow_up_toast_new (fixture->till, order, NULL, title);
  g_object_ref (toast);
  kassa_sale_follow_up_show_toast (ADW_TOAST_OVERLAY (overlay), toast, GTK_WINDOW (dialog));
  kassa_test_ui_spin (50);

  /* Not behind the dialog: it goes up once the dialog closes. */
  g_assert_false (has_label_text (overlay, title));
  gtk_window_destroy (GTK_WINDOW (dialog));
  kassa_test_ui_spin (100);
  g_assert_true (has_label_text (overlay, title));
  g_assert_nonnull (find_button (overlay, "E-mail _Receipt"));

  /* A walk-in sale has no address: the button asks for one. */
  g_signal_emit_by_name (toast, "button-clicked");
  g_assert_true (kassa_test_ui_wait_for (message_dialog_shown, NULL));
  question = find_message_dialog ();
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (question)), " walkin@example.com ");
  adw_message_dialog_response (question, "send");
  gtk_window_destroy (GTK_WINDOW (question));

  g_assert_true (kassa_test_ui_wait_for (launched_one, fixture));
  uri = g_ptr_array_index (fixture->launched, 0);
  g_assert_true (g_str_has_prefix (uri, "mailto:walkin@example.com?subject=Your%20receipt%20"));
  g_assert_nonnull (strstr (uri, kassa_order_get_number (order)));

  /* The user hears that the PDF is not attached (no portal here). */
  g_object_unref (toast);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_email_known_customer (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(KassaCustomer) customer = NULL;
  g_autoptr(GError) error = NULL;
  KassaPaymentDialog *dialog;
  KassaOrder *order;
  const char *uri;

  g_settings_set_string (fixture->settings, "receipt-action", "preview");
  customer = kassa_till_create_customer (fixture->till, "Jane Roe", "jane.roe@example.com", "", &error);
  g_assert_no_error (error);

  dialog = pay_cash (fixture);
  order = kassa_payment_dialog_get_order (dialog);
  kassa_sale_follow_up_email (GTK_WINDOW (dialog), fixture->till, order, kassa_payment_dialog_get_receipt (dialog));

  /* Straight to the mail program, to the customer's address. */
  g_assert_null (find_message_dialog ());
  g_assert_true (kassa_test_ui_wait_for (launched_one, fixture));
  uri = g_ptr_array_index (fixture->launched, 0);
  g_assert_true (g_str_has_prefix (uri, "mailto:jane.roe@example.com?subject="));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

int
main (int   argc,
      char *argv[])
{
  if (!kassa_test_ui_init (&argc, &argv))
    {
      g_test_add_func ("/kassa/sale-follow-up/no-display", kassa_test_ui_skip_no_display);
      return g_test_run ();
    }

  g_test_add ("/kassa/sale-follow-up/thermal-print", Fixture, NULL,
              fixture_set_up, test_thermal_print, fixture_tear_down);
  g_test_add ("/kassa/sale-follow-up/preview-print-button", Fixture, NULL,
              fixture_set_up, test_preview_print_button, fixture_tear_down);
  g_test_add ("/kassa/sale-follow-up/toast-email-asks-address", Fixture, NULL,
              fixture_set_up, test_toast_email_asks_address, fixture_tear_down);
  g_test_add ("/kassa/sale-follow-up/email-known-customer", Fixture, NULL,
              fixture_set_up, test_email_known_customer, fixture_tear_down);

  return g_test_run ();
}
