/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kassa-currency.h"
#include "kassa-money.h"
#include "kassa-shift-close-dialog.h"
#include "kassa-shift-dialog.h"
#include "kassa-shift-report-view.h"
#include "kassa-shop-shifts.h"
#include "kassa-shop-staff.h"
#include "kassa-test-ui.h"

typedef struct
{
  KassaShop *shop;
  char      *dir;
  gint64     done_id;
  guint      done_count;
  gint64     z_number;
} Fixture;

static gboolean
widget_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gint64 cashier;

  fixture->shop = kassa_test_ui_new_shop (&fixture->dir);
  kassa_test_ui_add_staff (fixture->shop, "Ada", KASSA_STAFF_ROLE_ADMIN, "2468");
  cashier = kassa_test_ui_add_staff (fixture->shop, "Carl", KASSA_STAFF_ROLE_CASHIER, "1357");
  g_assert_true (kassa_shop_sign_in (fixture->shop, cashier, "1357", now, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  kassa_test_ui_remove_shop (fixture->shop, fixture->dir);
}

static char *
money (gint64 amount)
{
  return kassa_money_format_display (kassa_currency_lookup ("EUR", NULL), amount);
}

static void
done_cb (GObject *dialog,
         gint64   id,
         Fixture *fixture)
{
  fixture->done_id = id;
  fixture->done_count++;
}

static void
closed_cb (GObject *dialog,
           gint64   z_number,
           Fixture *fixture)
{
  fixture->z_number = z_number;
}

static void
type_text (GtkWindow  *window,
           const char *text)
{
  for (const char *c = text; *c != '\0'; c++)
    kassa_test_ui_send_key (window, *c == '.' ? GDK_KEY_period : gdk_unicode_to_keyval (*c), 0);
}

static KassaShiftReport *
x_report_as_admin (Fixture *fixture)
{
  g_autoptr(KassaStaff) cashier = g_object_ref (kassa_shop_get_actor (fixture->shop));
  KassaShiftReport *report;

  kassa_shop_act_as_system (fixture->shop);
  report = kassa_shop_get_x_report (fixture->shop, NULL, NULL);
  kassa_shop_set_actor (fixture->shop, cashier);
  g_assert_nonnull (report);

  return report;
}

/* A mapped label showing exactly @text, or NULL. */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
assert_finalizes (GtkWidget *widget)
{
  gpointer pointer = widget;

  g_object_add_weak_pointer (G_OBJECT (widget), &pointer);
  gtk_window_present (GTK_WINDOW (widget));
  kassa_test_ui_spin (50);
  gtk_window_destroy (GTK_WINDOW (widget));
  kassa_test_ui_spin (50);
  g_assert_null (pointer);
}

static void
test_dialogs_finalize (Fixture       *fixture,
                       gconstpointer  user_data)
{
  KassaShiftReportView *view = kassa_shift_report_view_new ();
  GtkWidget *window = gtk_window_new ();
  gpointer pointer = view;

  assert_finalizes (GTK_WIDGET (kassa_shift_dialog_new (NULL, fixture->shop, KASSA_SHIFT_DIALOG_OPEN)));
  assert_finalizes (GTK_WIDGET (kassa_shift_dialog_new (NULL, fixture->shop, KASSA_SHIFT_DIALOG_NO_SALE)));
  assert_finalizes (GTK_WIDGET (kassa_shift_close_dialog_new (NULL, fixture->shop)));

  g_object_add_weak_pointer (G_OBJECT (view), &pointer);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  kassa_test_ui_spin (50);
  gtk_window_destroy (GTK_WINDOW (window));
  kassa_test_ui_spin (50);
  g_assert_null (pointer);
}

static void
test_open_with_float (Fixture       *fixture,
                      gconstpointer  user_data)
{
  KassaShiftDialog *dialog = kassa_shift_dialog_new (NULL, fixture->shop, KASSA_SHIFT_DIALOG_OPEN);
  g_autoptr(KassaShiftRecord) shift = NULL;
  gpointer pointer = dialog;
  GtkWidget *amount;

  g_object_add_weak_pointer (G_OBJECT (dialog), &pointer);
  g_signal_connect (dialog, "done", G_CALLBACK (done_cb), fixture);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (kassa_test_ui_wait_for (widget_is_mapped, dialog));

  /* The float's row has the focus and says the currency; no reason asked. */
  amount = kassa_test_ui_find_descendant (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (amount)), ==, "Opening float (EUR)");
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_next_sibling (amount)));
  gtk_widget_grab_focus (amount);

  if (!kassa_test_ui_send_key (GTK_WINDOW (dialog), GDK_KEY_2, 0))
    {
      g_test_skip ("keyboard input needs an X11 display");
      gtk_window_destroy (GTK_WINDOW (dialog));
      return;
    }
  type_text (GTK_WINDOW (dialog), "00.50");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (amount)), ==, "200.50");
  kassa_test_ui_send_key (GTK_WINDOW (dialog), GDK_KEY_Return, 0);
  kassa_test_ui_spin (50);

  /* Enter opened the shift with that float and closed the dialog. */
  g_assert_cmpuint (fixture->done_count, ==, 1);
  g_assert_null (pointer);
  shift = kassa_shop_get_open_shift (fixture->shop, NULL, NULL);
  g_assert_nonnull (shift);
  g_assert_cmpint (shift->id, ==, fixture->done_id);
  g_assert_cmpint (shift->opening_float, ==, 20050);
  g_assert_cmpstr (shift->currency, ==, "EUR");

  /* A second open is refused inside the dialog, which stays. */
  dialog = kassa_shift_dialog_new (NULL, fixture->shop, KASSA_SHIFT_DIALOG_OPEN);
  amount = kassa_test_ui_find_descendant (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW);
  gtk_editable_set_text (GTK_EDITABLE (amount), "10");
  kassa_shift_dialog_confirm (dialog);
  g_assert_nonnull (kassa_shift_dialog_get_error (dialog));
  g_assert_nonnull (strstr (kassa_shift_dialog_get_error (dialog), "already has an open shift"));
  g_assert_cmpuint (fixture->done_count, ==, 1);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_paid_out_needs_reason (Fixture       *fixture,
                            gconstpointer  user_data)
{
  KassaShiftDialog *dialog;
  g_autoptr(KassaShiftReport) before = NULL;
  g_autoptr(KassaShiftReport) after = NULL;
  GtkWidget *amount;
  GtkWidget *reason;
  gpointer pointer;

  g_assert_cmpint (kassa_shop_open_shift (fixture->shop, NULL, 20000, NULL), >, 0);

  dialog = kassa_shift_dialog_new (NULL, fixture->shop, KASSA_SHIFT_DIALOG_PAID_OUT);
  pointer = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &pointer);
  g_signal_connect (dialog, "done", G_CALLBACK (done_cb), fixture);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (kassa_test_ui_wait_for (widget_is_mapped, dialog));

  amount = kassa_test_ui_find_descendant (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW);
  reason = gtk_widget_get_next_sibling (amount);
  g_assert_true (gtk_widget_get_visible (reason));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (reason)), ==, "Reason (required)");

  /* An amount without a reason stays in the dialog with a message. */
  gtk_editable_set_text (GTK_EDITABLE (amount), "12,50");
  gtk_widget_grab_focus (amount);
  if (kassa_test_ui_send_key (GTK_WINDOW (dialog), GDK_KEY_Return, 0))
    kassa_test_ui_spin (50);
  else
    kassa_shift_dialog_confirm (dialog);
  g_assert_cmpstr (kassa_shift_dialog_get_error (dialog), ==, "Say why: a reason is required");
  g_assert_nonnull (pointer);
  g_assert_cmpuint (fixture->done_count, ==, 0);
  before = x_report_as_admin (fixture);
  g_assert_cmpint (before->paid_out, ==, 0);

  /* Blanks are no reason either; a real one records the paid out. */
  gtk_editable_set_text (GTK_EDITABLE (reason), "   ");
  kassa_shift_dialog_confirm (dialog);
  g_assert_cmpstr (kassa_shift_dialog_get_error (dialog), ==, "Say why: a reason is required");

  gtk_editable_set_text (GTK_EDITABLE (reason), "Milk delivery");
  kassa_shift_dialog_confirm (dialog);
  kassa_test_ui_spin (50);
  g_assert_cmpuint (fixture->done_count, ==, 1);
  g_assert_cmpint (fixture->done_id, >, 0);
  g_assert_null (pointer);

  after = x_report_as_admin (fixture);
  g_assert_cmpint (after->paid_out, ==, 1250);
  g_assert_cmpint (after->expected_cash, ==, 18750);

  /* A bad amount is named before anything is written. */
  dialog = kassa_shift_dialog_new (NULL, fixture->shop, KASSA_SHIFT_DIALOG_PAID_IN);
  amount = kassa_test_ui_find_descendant (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW);
  gtk_editable_set_text (GTK_EDITABLE (amount), "12.345");
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_next_sibling (amount)), "Change");
  kassa_shift_dialog_confirm (dialog);
  g_assert_nonnull (kassa_shift_dialog_get_error (dialog));
  g_assert_cmpuint (fixture->done_count, ==, 1);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_blind_close (Fixture       *fixture,
                  gconstpointer  user_data)
{
  KassaShiftCloseDialog *dialog;
  KassaShiftReportView *view;
  g_autofree char *expected = money (18500);
  g_autofree char *counted = money (18400);
  g_autofree char *one = money (100);
  g_autofree char *counted_text = NULL;
  g_autofree char *short_text = NULL;
  const struct { gint64 denomination; int count; } count[] = {
    { 10000, 1 }, { 5000, 1 }, { 2000, 1 }, { 1000, 1 }, { 200, 2 },
  };
  GtkWidget *label;

  g_assert_cmpint (kassa_shop_open_shift (fixture->shop, NULL, 20000, NULL), >, 0);
  g_assert_cmpint (kassa_shop_paid_out (fixture->shop, NULL, 1500, "Window cleaner", NULL), >, 0);

  dialog = kassa_shift_close_dialog_new (NULL, fixture->shop);
  g_signal_connect (dialog, "closed", G_CALLBACK (closed_cb), fixture);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (kassa_test_ui_wait_for (widget_is_mapped, dialog));

  /* Blind: the count page says nothing of what the drawer should hold. */
  g_assert_cmpstr (kassa_shift_close_dialog_get_page (dialog), ==, "count");
  view = kassa_shift_close_dialog_get_report_view (dialog);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (view)));
  g_assert_null (kassa_shift_report_view_get_report (view));

  /* One spin button per euro note and coin, the 500 note down to 1 cent. */
  g_assert_nonnull (kassa_shift_close_dialog_get_spin (dialog, 50000));
  g_assert_nonnull (kassa_shift_close_dialog_get_spin (dialog, 1));
  g_assert_null (kassa_shift_close_dialog_get_spin (dialog, 25));

  /* Type the first count by keyboard into the focused spin button. */
  gtk_widget_grab_focus (GTK_WIDGET (kassa_shift_close_dialog_get_spin (dialog, 10000)));
  if (kassa_test_ui_send_key (GTK_WINDOW (dialog), GDK_KEY_1, 0))
    kassa_test_ui_send_key (GTK_WINDOW (dialog), GDK_KEY_Tab, 0);
  else
    gtk_spin_button_set_value (kassa_shift_close_dialog_get_spin (dialog, 10000), 1);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (kassa_shift_close_dialog_get_spin (dialog, 10000)), ==, 1);

  for (guint i = 1; i < G_N_ELEMENTS (count); i++)
    gtk_spin_button_set_value (kassa_shift_close_dialog_get_spin (dialog, count[i].denomination), count[i].count);
  g_assert_cmpint (kassa_shift_close_dialog_get_counted (dialog), ==, 18400);

  /* The running total is shown, the expected amount is not. */
  counted_text = g_strdup_printf ("Counted: %s", counted);
  label = find_label (GTK_WIDGET (dialog), counted_text);
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_mapped (label));
  g_assert_null (find_label (GTK_WIDGET (dialog), expected));

  kassa_shift_close_dialog_close_shift (dialog);

  /* Now the Z report: 184.00 counted against 185.00 expected. */
  g_assert_cmpint (fixture->z_number, ==, 1);
  g_assert_cmpstr (kassa_shift_close_dialog_get_page (dialog), ==, "report");
  short_text = g_strdup_printf ("Short by %s", one);
  g_assert_cmpstr (kassa_shift_report_view_get_difference (view), ==, short_text);
  g_assert_cmpstr (kassa_shift_report_view_lookup (view, "Expected cash"), ==, expected);
  g_assert_cmpstr (kassa_shift_report_view_lookup (view, "Counted cash"), ==, counted);
  g_assert_cmpstr (kassa_shift_report_view_lookup (view, "Over or short"), ==, short_text);
  g_assert_cmpint (kassa_shift_report_view_get_report (view)->z_number, ==, 1);
  g_assert_null (kassa_shop_get_open_shift (fixture->shop, NULL, NULL));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Closing with no shift open says so in the dialog. */
  dialog = kassa_shift_close_dialog_new (NULL, fixture->shop);
  kassa_shift_close_dialog_close_shift (dialog);
  g_assert_cmpstr (kassa_shift_close_dialog_get_page (dialog), ==, "count");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_over (Fixture       *fixture,
           gconstpointer  user_data)
{
  KassaShiftCloseDialog *dialog;
  KassaShiftReportView *view;
  g_autofree char *over = money (550);
  g_autofree char *over_text = NULL;

  g_assert_cmpint (kassa_shop_open_shift (fixture->shop, NULL, 10000, NULL), >, 0);

  dialog = kassa_shift_close_dialog_new (NULL, fixture->shop);
  gtk_spin_button_set_value (kassa_shift_close_dialog_get_spin (dialog, 10000), 1);
  gtk_spin_button_set_value (kassa_shift_close_dialog_get_spin (dialog, 500), 1);
  gtk_spin_button_set_value (kassa_shift_close_dialog_get_spin (dialog, 50), 1);
  kassa_shift_close_dialog_close_shift (dialog);

  view = kassa_shift_close_dialog_get_report_view (dialog);
  over_text = g_strdup_printf ("Over by %s", over);
  g_assert_cmpstr (kassa_shift_report_view_get_difference (view), ==, over_text);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
file_has_data (gpointer data)
{
  GStatBuf st;

  return g_stat (data, &st) == 0 && st.st_size > 0;
}

static void
test_print_z_report (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *device = g_build_filename (fixture->dir, "lp0", NULL);
  g_autofree char *bytes = NULL;
  KassaShiftCloseDialog *dialog;
  GtkWidget *print_button;
  gsize size;

  g_assert_true (g_file_set_contents (device, "", 0, NULL));
  g_settings_set_string (settings, "receipt-printer-kind", "device");
  g_settings_set_string (settings, "receipt-printer-target", device);
  g_assert_cmpint (kassa_shop_open_shift (fixture->shop, NULL, 20000, NULL), >, 0);

  dialog = kassa_shift_close_dialog_new (NULL, fixture->shop);
  g_signal_connect (dialog, "closed", G_CALLBACK (closed_cb), fixture);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (kassa_test_ui_wait_for (widget_is_mapped, dialog));

  /* Printing is offered once the shift is closed, not before. */
  g_assert_null (kassa_shift_close_dialog_get_report (dialog));
  gtk_spin_button_set_value (kassa_shift_close_dialog_get_spin (dialog, 10000), 2);
  kassa_shift_close_dialog_close_shift (dialog);
  g_assert_cmpint (kassa_shift_close_dialog_get_report (dialog)->z_number, ==, 1);

  print_button = find_label (GTK_WIDGET (dialog), "_Print Z Report");
  g_assert_nonnull (print_button);
  print_button = gtk_widget_get_ancestor (print_button, GTK_TYPE_BUTTON);
  g_assert_true (gtk_widget_get_visible (print_button));
  gtk_widget_activate (print_button);

  g_assert_true (kassa_test_ui_wait_for (file_has_data, device));
  kassa_test_ui_spin (200);
  g_assert_true (g_file_get_contents (device, &bytes, &size, NULL));
  /* ESC/POS raster for 80 mm paper, cut, and the drawer left shut. */
  g_assert_cmpint (bytes[0], ==, 0x1b);
  g_assert_cmpint (bytes[1], ==, '@');
  g_assert_cmpint ((guint8) bytes[6] | ((guint8) bytes[7] << 8), ==, 72);
  g_assert_null (memmem (bytes, size, "\x1bp", 2));
  g_assert_nonnull (memmem (bytes, size, "\x1dV", 2));

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_settings_reset (settings, "receipt-printer-kind");
  g_settings_reset (settings, "receipt-printer-target");
  g_unlink (device);
}

int
main (int   argc,
      char *argv[])
{
  if (!kassa_test_ui_init (&argc, &argv))
    {
      g_test_add_func ("/kassa/shift-dialogs/no-display", kassa_test_ui_skip_no_display);
      return g_test_run ();
    }

  g_test_add ("/kassa/shift-dialogs/finalize", Fixture, NULL,
              fixture_set_up, test_dialogs_finalize, fixture_tear_down);
  g_test_add ("/kassa/shift-dialogs/open-with-float", Fixture, NULL,
              fixture_set_up, test_open_with_float, fixture_tear_down);
  g_test_add ("/kassa/shift-dialogs/paid-out-needs-reason", Fixture, NULL,
              fixture_set_up, test_paid_out_needs_reason, fixture_tear_down);
  g_test_add ("/kassa/shift-dialogs/blind-close-short", Fixture, NULL,
              fixture_set_up, test_blind_close, fixture_tear_down);
  g_test_add ("/kassa/shift-dialogs/close-over", Fixture, NULL,
              fixture_set_up, test_over, fixture_tear_down);
  g_test_add ("/kassa/shift-dialogs/print-z-report", Fixture, NULL,
              fixture_set_up, test_print_z_report, fixture_tear_down);

  return g_test_run ();
}
