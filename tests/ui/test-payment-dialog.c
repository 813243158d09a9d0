/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-payment-dialog.h"
#include "kassa-shop-checkout.h"
#include "till-test-utils.h"

typedef struct
{
  char               *dir;
  KassaShop          *shop;
  KassaTill          *till;
  KassaPaymentDialog *dialog;
  guint               n_completed;
} Fixture;

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
completed_cb (KassaPaymentDialog *dialog,
              KassaOrder         *order,
              Fixture            *fixture)
{
  g_assert_true (KASSA_IS_ORDER (order));
  fixture->n_completed++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  till_test_load_style ();
  fixture->shop = till_test_open_shop (&fixture->dir);
  fixture->till = kassa_till_new (fixture->shop, &error);
  g_assert_no_error (error);

  /* Green tea and a tea pot: 4.99 + 32.90. */
  g_assert_true (kassa_till_add_barcode (fixture->till, "4006381333931", NULL, &error));
  g_assert_true (kassa_till_add_barcode (fixture->till, "4006381333955", NULL, &error));
  g_assert_no_error (error);

  fixture->dialog = kassa_payment_dialog_new (fixture->till);
  g_object_add_weak_pointer (G_OBJECT (fixture->dialog), (gpointer *) &fixture->dialog);
  g_signal_connect (fixture->dialog, "completed", G_CALLBACK (completed_cb), fixture);
  gtk_window_present (GTK_WINDOW (fixture->dialog));
  g_assert_true (kassa_test_ui_wait_for (is_mapped, fixture->dialog));
  kassa_test_ui_spin (50);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->dialog));
  kassa_test_ui_spin (20);
  g_assert_null (fixture->dialog);

  g_clear_object (&fixture->till);
  g_clear_object (&fixture->shop);
  till_test_remove_dir (fixture->dir);
}

static gboolean
send_key (Fixture *fixture,
          guint    keyval)
{
  return kassa_test_ui_send_key (GTK_WINDOW (fixture->dialog), keyval, 0);
}

static GtkWidget *
find_widget (GtkWidget *widget,
             gboolean (*match) (GtkWidget *widget, gconstpointer data),
             gconstpointer data)
{
  if (match (widget, data))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
has_label (GtkWidget     *widget,
           gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

static gboolean
has_class (GtkWidget     *widget,
           gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, data) && gtk_widget_get_mapped (widget);
}

static gboolean
is_mapped_picture (GtkWidget     *widget,
                   gconstpointer  data)
{
  return GTK_IS_PICTURE (widget) && gtk_widget_get_mapped (widget);
}

static const char *
amount_due_text (Fixture *fixture)
{
  GtkWidget *label = find_widget (GTK_WIDGET (fixture->dialog), has_class, "kassa-amount-due");

  return gtk_label_get_label (GTK_LABEL (label));
}

static void
test_finalizes (Fixture       *fixture,
                gconstpointer  data)
{
  gpointer dialog = fixture->dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &dialog);
  gtk_window_destroy (GTK_WINDOW (fixture->dialog));
  kassa_test_ui_spin (20);
  g_assert_null (dialog);
  g_assert_cmpuint (kassa_till_get_empty (fixture->till), ==, FALSE);
}

static void
test_cash_with_change (Fixture       *fixture,
                       gconstpointer  data)
{
  gint64 cart_id = kassa_till_get_cart_id (fixture->till);
  KassaOrder *order;

  g_assert_nonnull (strstr (amount_due_text (fixture), "37.89"));

  /* The quick notes: exact, then the next notes above. */
  g_assert_nonnull (find_widget (GTK_WIDGET (fixture->dialog), has_label, "Exact"));
  g_assert_nonnull (find_widget (GTK_WIDGET (fixture->dialog), has_label, "€40.00"));
  g_assert_nonnull (find_widget (GTK_WIDGET (fixture->dialog), has_label, "€50.00"));

  if (!send_key (fixture, GDK_KEY_3))
    {
      g_test_skip ("keyboard input needs an X11 display");
      return;
    }
  /* Too little is refused and nothing is sold. */
  send_key (fixture, GDK_KEY_Return);
  g_assert_null (kassa_payment_dialog_get_order (fixture->dialog));
  g_assert_cmpint (kassa_till_get_cart_id (fixture->till), ==, cart_id);

  send_key (fixture, GDK_KEY_BackSpace);
  send_key (fixture, GDK_KEY_5);
  send_key (fixture, GDK_KEY_0);
  send_key (fixture, GDK_KEY_Return);

  order = kassa_payment_dialog_get_order (fixture->dialog);
  g_assert_nonnull (order);
  g_assert_cmpuint (fixture->n_completed, ==, 1);
  g_assert_cmpint (kassa_payment_dialog_get_change (fixture->dialog), ==, 5000 - 3789);
  g_assert_nonnull (find_widget (GTK_WIDGET (fixture->dialog), has_class, "kassa-change"));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (find_widget (GTK_WIDGET (fixture->dialog),
                                                                         has_class, "kassa-change"))),
                            "12.11"));
  g_assert_cmpuint (g_list_model_get_n_items (kassa_order_get_payments (order)), ==, 1);

  /* The receipt preview, by the default preference. */
  g_assert_nonnull (find_widget (GTK_WIDGET (fixture->dialog), is_mapped_picture, NULL));

  /* The till moved on to a new, empty cart. */
  g_assert_cmpint (kassa_till_get_cart_id (fixture->till), !=, cart_id);
  g_assert_true (kassa_till_get_empty (fixture->till));

  send_key (fixture, GDK_KEY_Return);
  kassa_test_ui_spin (50);
  g_assert_null (fixture->dialog);
}

static void
test_no_receipt_by_preference (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *exact;

  g_settings_set_string (settings, "receipt-action", "none");
  exact = find_widget (GTK_WIDGET (fixture->dialog), has_label, "Exact");
  g_signal_emit_by_name (exact, "clicked");
  g_settings_reset (settings, "receipt-action");

  g_assert_nonnull (kassa_payment_dialog_get_order (fixture->dialog));
  g_assert_cmpint (kassa_payment_dialog_get_change (fixture->dialog), ==, 0);
  g_assert_null (find_widget (GTK_WIDGET (fixture->dialog), is_mapped_picture, NULL));
}

static void
test_cancel_keeps_cart (Fixture       *fixture,
                        gconstpointer  data)
{
  gint64 cart_id = kassa_till_get_cart_id (fixture->till);

  if (!send_key (fixture, GDK_KEY_1))
    {
      g_test_skip ("keyboard input needs an X11 display");
      return;
    }
  send_key (fixture, GDK_KEY_Escape);
  kassa_test_ui_spin (50);

  g_assert_null (fixture->dialog);
  g_assert_cmpuint (fixture->n_completed, ==, 0);
  g_assert_cmpint (kassa_till_get_cart_id (fixture->till), ==, cart_id);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (kassa_till_get_cart (fixture->till))), ==, 2);
  g_assert_cmpint (kassa_till_get_amount_due (fixture->till), ==, 3789);
}

static void
test_split_tender (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(KassaPayment) card = kassa_payment_new ();
  g_autoptr(GError) error = NULL;
  GListModel *payments;
  GtkWidget *part;

  if (!send_key (fixture, GDK_KEY_2))
    {
      g_test_skip ("keyboard input needs an X11 display");
      return;
    }
  send_key (fixture, GDK_KEY_0);
  part = find_widget (GTK_WIDGET (fixture->dialog), has_label, "Take as _Part Payment");
  g_signal_emit_by_name (part, "clicked");

  g_assert_null (kassa_payment_dialog_get_order (fixture->dialog));
  g_assert_cmpint (kassa_payment_dialog_get_remaining (fixture->dialog, TRUE), ==, 1789);
  g_assert_nonnull (strstr (amount_due_text (fixture), "17.89"));

  /* More than is left is refused; the rest completes the sale. */
  kassa_payment_set_provider_id (card, "other");
  kassa_payment_set_amount (card, 1790);
  g_assert_false (kassa_payment_dialog_add_payment (fixture->dialog, card, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  kassa_payment_set_amount (card, 1789);
  g_assert_true (kassa_payment_dialog_add_payment (fixture->dialog, card, &error));
  g_assert_no_error (error);

  payments = kassa_order_get_payments (kassa_payment_dialog_get_order (fixture->dialog));
  g_assert_cmpuint (g_list_model_get_n_items (payments), ==, 2);
  g_assert_cmpuint (fixture->n_completed, ==, 1);
  g_assert_cmpint (kassa_payment_dialog_get_change (fixture->dialog), ==, 0);
}

static gboolean
question_shown (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        {
          *(GtkWindow **) data = window;
          return TRUE;
        }
    }

  return FALSE;
}

static void
test_cancel_after_part_payment (Fixture       *fixture,
                                gconstpointer  data)
{
  gint64 cart_id = kassa_till_get_cart_id (fixture->till);
  GtkWindow *question = NULL;
  GtkWidget *part;

  if (!send_key (fixture, GDK_KEY_1))
    {
      g_test_skip ("keyboard input needs an X11 display");
      return;
    }
  send_key (fixture, GDK_KEY_0);
  part = find_widget (GTK_WIDGET (fixture->dialog), has_label, "Take as _Part Payment");
  g_signal_emit_by_name (part, "clicked");

  /* Escape asks first: 10.00 is in the drawer. Keeping on is the default. */
  send_key (fixture, GDK_KEY_Escape);
  g_assert_true (kassa_test_ui_wait_for (question_shown, &question));
  kassa_test_ui_send_key (question, GDK_KEY_Return, 0);
  kassa_test_ui_spin (50);
  g_assert_nonnull (fixture->dialog);
  g_assert_cmpint (kassa_payment_dialog_get_remaining (fixture->dialog, TRUE), ==, 2789);

  send_key (fixture, GDK_KEY_Escape);
  question = NULL;
  g_assert_true (kassa_test_ui_wait_for (question_shown, &question));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (question), "cancel-payment");
  kassa_test_ui_spin (50);

  g_assert_null (fixture->dialog);
  g_assert_cmpuint (fixture->n_completed, ==, 0);
  g_assert_cmpint (kassa_till_get_cart_id (fixture->till), ==, cart_id);
  g_assert_cmpint (kassa_till_get_amount_due (fixture->till), ==, 3789);
}

static void
test_failed_sale_keeps_cart (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(KassaShiftRepository) shifts = kassa_shift_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaShiftRecord) shift = kassa_shift_repository_get_open (shifts, NULL, NULL);
  g_autoptr(GError) error = NULL;
  gint64 cart_id = kassa_till_get_cart_id (fixture->till);
  GtkWidget *exact;

  /* With the shift closed the sale is refused, and says why. */
  g_assert_nonnull (shift);
  g_assert_cmpint (kassa_shift_repository_close (shifts, shift->id, 1, NULL, 0,
                                                 kassa_shop_get_journal (fixture->shop), &error), >, 0);
  g_assert_no_error (error);

  exact = find_widget (GTK_WIDGET (fixture->dialog), has_label, "Exact");
  g_signal_emit_by_name (exact, "clicked");

  g_assert_null (kassa_payment_dialog_get_order (fixture->dialog));
  g_assert_cmpuint (fixture->n_completed, ==, 0);
  g_assert_cmpint (kassa_till_get_cart_id (fixture->till), ==, cart_id);
  g_assert_cmpint (kassa_payment_dialog_get_remaining (fixture->dialog, TRUE), ==, 3789);
  g_assert_nonnull (find_widget (GTK_WIDGET (fixture->dialog), has_class, "error"));
}

int
main (int   argc,
      char *argv[])
{
  if (!kassa_test_ui_init (&argc, &argv))
    {
      g_test_add_func ("/kassa/payment-dialog/no-display", kassa_test_ui_skip_no_display);
      return g_test_run ();
    }

#define ADD(path, func) \
  g_test_add ("/kassa/payment-dialog/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("finalizes", test_finalizes);
  ADD ("cash-with-change", test_cash_with_change);
  ADD ("no-receipt-by-preference", test_no_receipt_by_preference);
  ADD ("cancel-keeps-cart", test_cancel_keeps_cart);
  ADD ("split-tender", test_split_tender);
  ADD ("cancel-after-part-payment", test_cancel_after_part_payment);
  ADD ("failed-sale-keeps-cart", test_failed_sale_keeps_cart);

#undef ADD

  return g_test_run ();
}
