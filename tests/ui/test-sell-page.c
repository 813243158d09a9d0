/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-customer-dialog.h"
#include "kassa-payment-dialog.h"
#include "kassa-result-slot.h"
#include "kassa-sell-page.h"
#include "kassa-window.h"
#include "till-test-utils.h"

typedef struct
{
  char          *dir;
  KassaShop     *shop;
  GtkWindow     *window;
  KassaSellPage *page;
  gint64         clock;
} Fixture;

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  till_test_load_style ();
  fixture->shop = till_test_open_shop (&fixture->dir);

  fixture->window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (fixture->window, 1180, 720);
  fixture->page = g_object_new (KASSA_TYPE_SELL_PAGE, NULL);
  adw_window_set_content (ADW_WINDOW (fixture->window), GTK_WIDGET (fixture->page));
  kassa_sell_page_set_shop (fixture->page, fixture->shop);
  gtk_window_present (fixture->window);
  g_assert_true (kassa_test_ui_wait_for (is_mapped, fixture->page));
  kassa_test_ui_spin (50);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  /* Dialogs a test left open go with it. */
  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i - 1);

      gtk_window_destroy (window);
    }
  kassa_test_ui_spin (20);

  g_clear_object (&fixture->shop);
  till_test_remove_dir (fixture->dir);
}

static gboolean
send_key (Fixture *fixture,
          guint    keyval)
{
  return kassa_test_ui_send_key (fixture->window, keyval, 0);
}

static gboolean
type_text (Fixture    *fixture,
           const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      guint keyval = gdk_unicode_to_keyval ((guchar) *p);

      if (!send_key (fixture, keyval))
        return FALSE;
    }

  return TRUE;
}

/* A scanner's keystrokes come 10 ms apart. */
static gint64
fast_clock (gpointer data)
{
  Fixture *fixture = data;

  fixture->clock += 10;
  return fixture->clock;
}

static gboolean
scan (Fixture    *fixture,
      const char *barcode)
{
  gboolean sent;

  kassa_sell_page_set_clock (fixture->page, fast_clock, fixture);
  sent = type_text (fixture, barcode) && send_key (fixture, GDK_KEY_Return);
  kassa_sell_page_set_clock (fixture->page, NULL, NULL);

  return sent;
}

static KassaCart *
cart (Fixture *fixture)
{
  return kassa_till_get_cart (kassa_sell_page_get_till (fixture->page));
}

static guint
n_lines (Fixture *fixture)
{
  return g_list_model_get_n_items (G_LIST_MODEL (cart (fixture)));
}

static KassaCartLine *
line (Fixture *fixture,
      guint    position)
{
  KassaCartLine *line = g_list_model_get_item (G_LIST_MODEL (cart (fixture)), position);

  g_assert_nonnull (line);
  g_object_unref (line);

  return line;
}

static const char *
line_name (Fixture *fixture,
           guint    position)
{
  return kassa_catalog_item_get_name (kassa_cart_line_get_item (line (fixture, position)));
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
is_type (GtkWidget     *widget,
         gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

static gboolean
is_results_view (GtkWidget     *widget,
                 gconstpointer  data)
{
  GtkSelectionModel *model;

  if (!GTK_IS_LIST_VIEW (widget))
    return FALSE;

  model = gtk_list_view_get_model (GTK_LIST_VIEW (widget));
  return GTK_IS_SINGLE_SELECTION (model) &&
         g_list_model_get_item_type (gtk_single_selection_get_model (GTK_SINGLE_SELECTION (model))) ==
         KASSA_TYPE_RESULT_SLOT;
}

static gboolean
is_message_label (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (gtk_widget_get_parent (widget), "kassa-message");
}

static gboolean
is_amount_due (GtkWidget     *widget,
               gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "kassa-amount-due");
}

static GtkSearchEntry *
search_entry (Fixture *fixture)
{
  return GTK_SEARCH_ENTRY (find_widget (GTK_WIDGET (fixture->page), is_type,
                                        GSIZE_TO_POINTER (GTK_TYPE_SEARCH_ENTRY)));
}

static gboolean
search_has_focus (Fixture *fixture)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));

  return focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (search_entry (fixture)));
}

static gboolean
results_shown (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *view = find_widget (GTK_WIDGET (fixture->page), is_results_view, NULL);

  return gtk_widget_get_visible (gtk_widget_get_parent (view)) &&
         g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (view)))) > 1;
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  GType type = GPOINTER_TO_SIZE (data);
  GtkWindow *window = find_toplevel (type);

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

static gboolean
dialog_gone (gpointer data)
{
  return find_toplevel (GPOINTER_TO_SIZE (data)) == NULL;
}

static void
test_finalizes (void)
{
  KassaSellPage *page = g_object_ref_sink (g_object_new (KASSA_TYPE_SELL_PAGE, NULL));
  gpointer pointer = page;

  g_object_add_weak_pointer (G_OBJECT (page), &pointer);
  g_object_unref (page);
  g_assert_null (pointer);
}

static void
test_customer_dialog_finalizes (Fixture       *fixture,
                                gconstpointer  data)
{
  KassaCustomerDialog *dialog = kassa_customer_dialog_new (kassa_sell_page_get_till (fixture->page));
  gpointer pointer = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &pointer);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (kassa_test_ui_wait_for (is_mapped, dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
  kassa_test_ui_spin (20);
  g_assert_null (pointer);
}

static void
test_finalizes_with_till (Fixture       *fixture,
                          gconstpointer  data)
{
  gpointer page = fixture->page;
  gpointer till = kassa_sell_page_get_till (fixture->page);

  g_assert_nonnull (till);
  g_object_add_weak_pointer (G_OBJECT (page), &page);
  g_object_add_weak_pointer (G_OBJECT (till), &till);
  gtk_window_destroy (fixture->window);
  kassa_test_ui_spin (50);

  g_assert_null (page);
  g_assert_null (till);
}

static void
test_needs_sell_permission (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  GtkStack *stack;
  gint64 staff_id;

  staff_id = kassa_shop_create_staff (fixture->shop, "Cat", KASSA_STAFF_ROLE_CATALOG_MANAGER, "1111",
                                      KASSA_PIN_COST_MINIMUM, &error);
  g_assert_no_error (error);
  g_assert_true (kassa_shop_sign_in (fixture->shop, staff_id, "1111", now, &error));
  g_assert_no_error (error);

  /* Someone who may not sell sees no till, and the keys do nothing. */
  kassa_sell_page_reload (fixture->page);
  g_assert_null (kassa_sell_page_get_till (fixture->page));
  stack = GTK_STACK (find_widget (GTK_WIDGET (fixture->page), is_type, GSIZE_TO_POINTER (GTK_TYPE_STACK)));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "signed-out");
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "sell.no-sale", NULL) &&
                  find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL);

  kassa_shop_sign_out (fixture->shop);
  kassa_sell_page_reload (fixture->page);
  g_assert_null (kassa_sell_page_get_till (fixture->page));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "signed-out");
}

static void
test_search_and_pick (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkListView *view;
  GtkSingleSelection *selection;
  g_autoptr(KassaCatalogItem) second = NULL;

  g_assert_true (search_has_focus (fixture));
  if (!type_text (fixture, "tea"))
    {
      g_test_skip ("keyboard input needs an X11 display");
      return;
    }
  g_assert_true (kassa_test_ui_wait_for (results_shown, fixture));

  /* The first result is chosen; Down moves to the second. */
  view = GTK_LIST_VIEW (find_widget (GTK_WIDGET (fixture->page), is_results_view, NULL));
  selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (view));
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 0);
  send_key (fixture, GDK_KEY_Down);
  send_key (fixture, GDK_KEY_Down);
  send_key (fixture, GDK_KEY_Up);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 1);
  second = g_object_ref (kassa_result_slot_get_item (gtk_single_selection_get_selected_item (selection)));
  g_assert_nonnull (strstr (kassa_catalog_item_get_name (second), "ea"));

  send_key (fixture, GDK_KEY_Return);
  g_assert_cmpuint (n_lines (fixture), ==, 1);
  g_assert_cmpint (kassa_catalog_item_get_id (kassa_cart_line_get_item (line (fixture, 0))), ==,
                   kassa_catalog_item_get_id (second));

  /* The entry is ready for the next item. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search_entry (fixture))), ==, "");
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (view))));
  g_assert_true (search_has_focus (fixture));
}

/* Each keystroke relabels the rows the list already has: the row widgets
 * stay, and show the new results. */
static void
test_results_keep_rows (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkListView *view;
  GtkSingleSelection *selection;
  GtkWidget *first_row;
  GtkWidget *name_label;
  KassaResultSlot *slot;

  if (!type_text (fixture, "t"))
    {
      g_test_skip ("keyboard input needs an X11 display");
      return;
    }
  g_assert_true (kassa_test_ui_wait_for (results_shown, fixture));
  kassa_test_ui_spin (100);

  view = GTK_LIST_VIEW (find_widget (GTK_WIDGET (fixture->page), is_results_view, NULL));
  selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (view));
  first_row = gtk_widget_get_first_child (GTK_WIDGET (view));
  g_assert_nonnull (first_row);
  g_object_add_weak_pointer (G_OBJECT (first_row), (gpointer *) &first_row);

  send_key (fixture, GDK_KEY_e);
  send_key (fixture, GDK_KEY_a);
  kassa_test_ui_spin (100);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search_entry (fixture))), ==, "tea");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), >, 1);

  /* The same widget, showing the first result of the new text. */
  g_assert_nonnull (first_row);
  g_assert_true (gtk_widget_get_first_child (GTK_WIDGET (view)) == first_row);
  slot = g_list_model_get_item (G_LIST_MODEL (selection), 0);
  name_label = gtk_widget_get_first_child (gtk_widget_get_first_child (first_row));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (name_label)), ==,
                   kassa_catalog_item_get_name (kassa_result_slot_get_item (slot)));
  g_assert_nonnull (strstr (kassa_catalog_item_get_name (kassa_result_slot_get_item (slot)), "ea"));
  g_object_unref (slot);
  g_object_remove_weak_pointer (G_OBJECT (first_row), (gpointer *) &first_row);

  /* Nothing matches: the rows are gone and the list hides. */
  send_key (fixture, GDK_KEY_space);
  type_text (fixture, "zzzz");
  kassa_test_ui_spin (100);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 0);
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (view))));
}

static void
test_arrows_run_ahead_of_search (Fixture       *fixture,
                                 gconstpointer  data)
{
  GtkListView *view = GTK_LIST_VIEW (find_widget (GTK_WIDGET (fixture->page), is_results_view, NULL));
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (view));
  g_autoptr(KassaCatalogItem) chosen = NULL;

  /* A fast typist presses Down before the search delay is over: the
   * search runs at once, and its late signal does not reset the choice. */
  gtk_editable_set_text (GTK_EDITABLE (search_entry (fixture)), "tea");
  if (!send_key (fixture, GDK_KEY_Down))
    {
      g_test_skip ("keyboard input needs an X11 display");
      return;
    }
  kassa_test_ui_spin (300);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), >, 1);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 1);
  chosen = g_object_ref (kassa_result_slot_get_item (gtk_single_selection_get_selected_item (selection)));

  send_key (fixture, GDK_KEY_Return);
  g_assert_cmpuint (n_lines (fixture), ==, 1);
  g_assert_cmpint (kassa_catalog_item_get_id (kassa_cart_line_get_item (line (fixture, 0))), ==,
                   kassa_catalog_item_get_id (chosen));
}

static void
test_typed_key_searches_at_once (Fixture       *fixture,
                                 gconstpointer  data)
{
  /* Were the entry's delay still in the way, nothing would show for
   * ten seconds; a key a person types searches before the next frame. */
  g_object_set (search_entry (fixture), "search-delay", 10000, NULL);
  if (!send_key (fixture, GDK_KEY_t))
    {
      g_test_skip ("keyboard input needs an X11 display");
      return;
    }
  g_assert_true (results_shown (fixture));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search_entry (fixture))), ==, "t");
}

static void
test_scan (Fixture       *fixture,
           gconstpointer  data)
{
  GtkLabel *due = GTK_LABEL (find_widget (GTK_WIDGET (fixture->page), is_amount_due, NULL));

  if (!scan (fixture, "4006381333931"))
    {
      g_test_skip ("keyboard input needs an X11 display");
      return;
    }
  g_assert_cmpuint (n_lines (fixture), ==, 1);
  g_assert_cmpstr (line_name (fixture, 0), ==, "Green tea");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search_entry (fixture))), ==, "");

  scan (fixture, "4006381333931");
  scan (fixture, "4006381333962");
  g_assert_cmpuint (n_lines (fixture), ==, 2);
  g_assert_cmpint (kassa_cart_line_get_quantity (line (fixture, 0)), ==, 2000);
  g_assert_cmpstr (line_name (fixture, 1), ==, "Stoneware mug");
  /* 2 × 4.99 + 12.50, updated as the items came in. */
  g_assert_nonnull (strstr (gtk_label_get_label (due), "22.48"));
  g_assert_true (search_has_focus (fixture));
}

static void
test_scan_with_cart_focused (Fixture       *fixture,
                             gconstpointer  data)
{
  GtkWidget *cart_view = find_widget (GTK_WIDGET (fixture->page), is_type,
                                      GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW));

  if (!scan (fixture, "4006381333931"))
    {
      g_test_skip ("keyboard input needs an X11 display");
      return;
    }

  /* The cashier clicked a line; the next scan must not be lost. */
  gtk_widget_grab_focus (cart_view);
  g_assert_false (search_has_focus (fixture));
  scan (fixture, "4006381333962");
  g_assert_cmpuint (n_lines (fixture), ==, 2);
  g_assert_cmpstr (line_name (fixture, 1), ==, "Stoneware mug");
  g_assert_true (search_has_focus (fixture));

  /* While the cart has the focus its own keys still work on it. */
  gtk_widget_grab_focus (cart_view);
  send_key (fixture, GDK_KEY_KP_Add);
  g_assert_cmpint (kassa_cart_line_get_quantity (line (fixture, 1)), ==, 2000);
}

static void
test_unknown_barcode (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkLabel *message = GTK_LABEL (find_widget (GTK_WIDGET (fixture->page), is_message_label, NULL));
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n_windows = g_list_model_get_n_items (toplevels);

  if (!scan (fixture, "12345678"))
    {
      g_test_skip ("keyboard input needs an X11 display");
      return;
    }

  g_assert_cmpuint (n_lines (fixture), ==, 0);
  g_assert_nonnull (strstr (gtk_label_get_label (message), "12345678"));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (gtk_widget_get_ancestor (GTK_WIDGET (message),
                                                                                     GTK_TYPE_REVEALER))));
  /* Said without a dialog, and the next scan can follow at once. */
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, n_windows);
  g_assert_true (search_has_focus (fixture));
  scan (fixture, "4006381333948");
  g_assert_cmpuint (n_lines (fixture), ==, 1);
}

/* A scanner's characters after the first few wait for the end of the
 * burst before they reach the entry (which the benchmark times); none
 * may be lost or come out of order, however the burst ends: at Enter
 * (the scan tests), at another key, or when the keys stop. */
static void
test_burst_reaches_entry (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkEditable *entry = GTK_EDITABLE (search_entry (fixture));

  kassa_sell_page_set_clock (fixture->page, fast_clock, fixture);
  if (!type_text (fixture, "400638"))
    {
      kassa_sell_page_set_clock (fixture->page, NULL, NULL);
      g_test_skip ("keyboard input needs an X11 display");
      return;
    }

  /* Another key acts on the whole text. */
  send_key (fixture, GDK_KEY_BackSpace);
  send_key (fixture, GDK_KEY_Left);
  type_text (fixture, "9");
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "400693");
  kassa_sell_page_set_clock (fixture->page, NULL, NULL);

  /* Keys that stop without Enter all come in, at the end. */
  gtk_editable_set_text (entry, "");
  kassa_sell_page_set_clock (fixture->page, fast_clock, fixture);
  type_text (fixture, "1234567");
  kassa_sell_page_set_clock (fixture->page, NULL, NULL);
  kassa_test_ui_spin (KASSA_SELL_PAGE_SCAN_INTERVAL_MS * 3);
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "1234567");
  g_assert_cmpint (gtk_editable_get_position (entry), ==, 7);

  /* A burst typed in front of other text stays in front of it. */
  gtk_editable_set_text (entry, "xyz");
  gtk_editable_set_position (entry, 0);
  kassa_sell_page_set_clock (fixture->page, fast_clock, fixture);
  type_text (fixture, "98765");
  kassa_sell_page_set_clock (fixture->page, NULL, NULL);
  kassa_test_ui_spin (KASSA_SELL_PAGE_SCAN_INTERVAL_MS * 3);
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "98765xyz");
  g_assert_cmpint (gtk_editable_get_position (entry), ==, 5);
  g_assert_cmpuint (n_lines (fixture), ==, 0);
}

static void
test_typing_is_not_a_scan (Fixture       *fixture,
                           gconstpointer  data)
{
  /* Typed by hand (the real clock, 100 ms a key), a barcode is a search;
   * Enter adds the one item it finds. */
  if (!type_text (fixture, "4006381333979"))
    {
      g_test_skip ("keyboard input needs an X11 display");
      return;
    }
  kassa_test_ui_spin (150);
  send_key (fixture, GDK_KEY_Return);
  g_assert_cmpuint (n_lines (fixture), ==, 1);
  g_assert_cmpstr (line_name (fixture, 0), ==, "Honey 500 g");
}

static void
test_quantity_keys_and_undo (Fixture       *fixture,
                             gconstpointer  data)
{
  KassaTill *till = kassa_sell_page_get_till (fixture->page);

  if (!scan (fixture, "4006381333931"))
    {
      g_test_skip ("keyboard input needs an X11 display");
      return;
    }
  scan (fixture, "4006381333962");
  g_assert_cmpuint (n_lines (fixture), ==, 2);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (fixture->page)));

  /* The line just scanned is the selected one. */
  send_key (fixture, GDK_KEY_KP_Add);
  send_key (fixture, GDK_KEY_KP_Add);
  g_assert_cmpint (kassa_cart_line_get_quantity (line (fixture, 1)), ==, 3000);
  send_key (fixture, GDK_KEY_KP_Subtract);
  g_assert_cmpint (kassa_cart_line_get_quantity (line (fixture, 1)), ==, 2000);
  g_assert_cmpint (kassa_till_get_amount_due (till), ==, 499 + 2 * 1250);

  /* "-" typed into a search is text, not a quantity. */
  type_text (fixture, "t-");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search_entry (fixture))), ==, "t-");
  g_assert_cmpint (kassa_cart_line_get_quantity (line (fixture, 1)), ==, 2000);
  send_key (fixture, GDK_KEY_Escape);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search_entry (fixture))), ==, "");

  send_key (fixture, GDK_KEY_Delete);
  g_assert_cmpuint (n_lines (fixture), ==, 1);
  g_assert_cmpstr (line_name (fixture, 0), ==, "Green tea");
  g_assert_cmpint (kassa_till_get_amount_due (till), ==, 499);

  /* The toast's Undo puts the line back where it was. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "sell.undo-remove", NULL);
  g_assert_cmpuint (n_lines (fixture), ==, 2);
  g_assert_cmpstr (line_name (fixture, 1), ==, "Stoneware mug");
  g_assert_cmpint (kassa_cart_line_get_quantity (line (fixture, 1)), ==, 2000);
  g_assert_cmpint (kassa_till_get_amount_due (till), ==, 499 + 2 * 1250);
  g_assert_true (search_has_focus (fixture));
}

static void
test_pay_disabled_when_empty (Fixture       *fixture,
                              gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n_windows = g_list_model_get_n_items (toplevels);

  if (!send_key (fixture, GDK_KEY_F12))
    {
      g_test_skip ("keyboard input needs an X11 display");
      return;
    }
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, n_windows);
  g_assert_null (find_toplevel (KASSA_TYPE_PAYMENT_DIALOG));
}

static void
test_park_and_resume (Fixture       *fixture,
                      gconstpointer  data)
{
  KassaTill *till = kassa_sell_page_get_till (fixture->page);
  GtkWindow *dialog;
  GtkListBox *list;
  GtkWidget *row;
  gint64 parked_id;

  if (!scan (fixture, "4006381333955"))
    {
      g_test_skip ("keyboard input needs an X11 display");
      return;
    }
  parked_id = kassa_till_get_cart_id (till);

  send_key (fixture, GDK_KEY_F6);
  g_assert_true (kassa_test_ui_wait_for (dialog_shown, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG)));
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  kassa_test_ui_send_key (dialog, GDK_KEY_M, GDK_SHIFT_MASK);
  kassa_test_ui_send_key (dialog, GDK_KEY_r, 0);
  kassa_test_ui_send_key (dialog, GDK_KEY_Return, 0);
  g_assert_true (kassa_test_ui_wait_for (dialog_gone, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG)));

  g_assert_cmpuint (n_lines (fixture), ==, 0);
  g_assert_cmpint (kassa_till_get_cart_id (till), !=, parked_id);

  /* Shift+F6 lists the parked sales; choosing one resumes it. */
  scan (fixture, "4006381333931");
  kassa_test_ui_send_key (fixture->window, GDK_KEY_F6, GDK_SHIFT_MASK);
  list = GTK_LIST_BOX (find_widget (GTK_WIDGET (fixture->page), is_type, GSIZE_TO_POINTER (GTK_TYPE_LIST_BOX)));
  g_assert_true (kassa_test_ui_wait_for (is_mapped, list));
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (list, 0));
  g_assert_true (ADW_IS_ACTION_ROW (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Mr");
  g_signal_emit_by_name (row, "activate");

  g_assert_cmpint (kassa_till_get_cart_id (till), ==, parked_id);
  g_assert_cmpuint (n_lines (fixture), ==, 1);
  g_assert_cmpstr (line_name (fixture, 0), ==, "Tea pot");
  /* The sale that was in the way waits in its turn. */
  g_assert_cmpuint (kassa_till_list_parked (till, NULL)->len, ==, 1);
}

static void
test_pay_cash (Fixture       *fixture,
               gconstpointer  data)
{
  KassaTill *till = kassa_sell_page_get_till (fixture->page);
  KassaPaymentDialog *dialog;
  gint64 cart_id;

  if (!scan (fixture, "4006381333931"))
    {
      g_test_skip ("keyboard input needs an X11 display");
      return;
    }
  scan (fixture, "4006381333986");
  cart_id = kassa_till_get_cart_id (till);

  send_key (fixture, GDK_KEY_F12);
  g_assert_true (kassa_test_ui_wait_for (dialog_shown, GSIZE_TO_POINTER (KASSA_TYPE_PAYMENT_DIALOG)));
  dialog = KASSA_PAYMENT_DIALOG (find_toplevel (KASSA_TYPE_PAYMENT_DIALOG));
  kassa_test_ui_spin (50);

  if (g_getenv ("KASSA_SCREENSHOT_DIR") != NULL)
    {
      g_autofree char *path = g_build_filename (g_getenv ("KASSA_SCREENSHOT_DIR"), "payment.png", NULL);

      kassa_test_ui_spin (300);
      till_test_save_screenshot (GTK_WIDGET (dialog), path);
    }

  kassa_test_ui_send_key (GTK_WINDOW (dialog), GDK_KEY_2, 0);
  kassa_test_ui_send_key (GTK_WINDOW (dialog), GDK_KEY_0, 0);
  kassa_test_ui_send_key (GTK_WINDOW (dialog), GDK_KEY_Return, 0);

  g_assert_nonnull (kassa_payment_dialog_get_order (dialog));
  /* 4.99 + 3.25 from 20. */
  g_assert_cmpint (kassa_payment_dialog_get_change (dialog), ==, 2000 - 824);
  g_assert_cmpint (kassa_till_get_cart_id (till), !=, cart_id);
  g_assert_cmpuint (n_lines (fixture), ==, 0);

  if (g_getenv ("KASSA_SCREENSHOT_DIR") != NULL)
    {
      g_autofree char *path = g_build_filename (g_getenv ("KASSA_SCREENSHOT_DIR"), "payment-done.png", NULL);

      kassa_test_ui_spin (300);
      till_test_save_screenshot (GTK_WIDGET (dialog), path);
    }

  kassa_test_ui_send_key (GTK_WINDOW (dialog), GDK_KEY_Return, 0);
  g_assert_true (kassa_test_ui_wait_for (dialog_gone, GSIZE_TO_POINTER (KASSA_TYPE_PAYMENT_DIALOG)));
  kassa_test_ui_spin (50);
  g_assert_true (search_has_focus (fixture));
}

static GtkWindow *
wait_for_message_dialog (void)
{
  g_assert_true (kassa_test_ui_wait_for (dialog_shown, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG)));
  kassa_test_ui_spin (50);

  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
}

static void
answer (GtkWindow  *dialog,
        const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      guint keyval = gdk_unicode_to_keyval ((guchar) *p);
      gboolean upper = g_ascii_isupper (*p);

      /* XTest presses keys, not characters: the shifted ones need Shift. */
      kassa_test_ui_send_key (dialog, upper ? gdk_keyval_to_lower (keyval) : keyval,
                              upper || strchr ("%*+", *p) != NULL ? GDK_SHIFT_MASK : 0);
    }
  kassa_test_ui_send_key (dialog, GDK_KEY_Return, 0);
  g_assert_true (kassa_test_ui_wait_for (dialog_gone, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG)));
  kassa_test_ui_spin (50);
}

static gboolean
is_label_with (GtkWidget     *widget,
               gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0;
}

static void
test_dialogs (Fixture       *fixture,
              gconstpointer  data)
{
  KassaTill *till = kassa_sell_page_get_till (fixture->page);
  g_autoptr(KassaShiftRepository) shifts = kassa_shift_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaShiftRecord) shift = NULL;
  KassaCustomer *customer;
  KassaShiftCash cash;
  GtkWindow *dialog;
  gint64 customer_id;

  if (!scan (fixture, "4006381333962"))
    {
      g_test_skip ("keyboard input needs an X11 display");
      return;
    }

  /* "*" with nothing typed asks for the selected line's quantity. */
  send_key (fixture, GDK_KEY_KP_Multiply);
  answer (wait_for_message_dialog (), "4");
  g_assert_cmpint (kassa_cart_line_get_quantity (line (fixture, 0)), ==, 4000);

  /* F8 discounts the selected line by default. */
  send_key (fixture, GDK_KEY_F8);
  answer (wait_for_message_dialog (), "10%");
  g_assert_cmpint (kassa_cart_line_get_discount_kind (line (fixture, 0)), ==, KASSA_DISCOUNT_PERCENT);
  g_assert_cmpint (kassa_till_get_amount_due (till), ==, 4500);

  /* F7 creates a customer from a name typed in, and shows it. */
  send_key (fixture, GDK_KEY_F7);
  answer (wait_for_message_dialog (), "Zoe Dupont");
  customer = kassa_cart_get_customer (cart (fixture));
  g_assert_nonnull (customer);
  g_assert_cmpstr (kassa_customer_get_name (customer), ==, "Zoe Dupont");
  g_assert_nonnull (find_widget (GTK_WIDGET (fixture->page), is_label_with, "Zoe Dupont"));
  customer_id = kassa_customer_get_id (customer);

  /* Typed again, the same customer is found rather than made twice;
   * the delivery address is kept exactly as typed. */
  send_key (fixture, GDK_KEY_F7);
  dialog = wait_for_message_dialog ();
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find_widget (GTK_WIDGET (dialog), is_type,
                                                          GSIZE_TO_POINTER (GTK_TYPE_DROP_DOWN))),
                              KASSA_DELIVERY_METHOD_DELIVERY);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (find_widget (GTK_WIDGET (dialog), is_type,
                                                                                  GSIZE_TO_POINTER (GTK_TYPE_TEXT_VIEW)))),
                            " Rue du Lac 4\n\n1003 Lausanne  ", -1);
  if (g_getenv ("KASSA_SCREENSHOT_DIR") != NULL)
    {
      g_autofree char *path = g_build_filename (g_getenv ("KASSA_SCREENSHOT_DIR"), "customer.png", NULL);

      kassa_test_ui_spin (300);
      till_test_save_screenshot (GTK_WIDGET (dialog), path);
    }
  answer (dialog, "");
  g_assert_cmpint (kassa_cart_get_delivery_method (cart (fixture)), ==, KASSA_DELIVERY_METHOD_DELIVERY);
  g_assert_cmpstr (kassa_cart_get_delivery_address (cart (fixture)), ==, " Rue du Lac 4\n\n1003 Lausanne  ");
  g_assert_nonnull (find_widget (GTK_WIDGET (fixture->page), is_label_with,
                                 "Delivery to:  Rue du Lac 4\n\n1003 Lausanne  "));
  g_assert_cmpint (kassa_customer_get_id (kassa_cart_get_customer (cart (fixture))), ==, customer_id);
  g_assert_cmpuint (kassa_till_search_customers (till, "Zoe", 10, NULL)->len, ==, 1);

  /* F4 opens the drawer for a reason, on the shift. */
  send_key (fixture, GDK_KEY_F4);
  answer (wait_for_message_dialog (), "change");
  shift = kassa_shift_repository_get_open (shifts, NULL, NULL);
  g_assert_true (kassa_shift_repository_compute_cash (shifts, shift->id, &cash, NULL));
  g_assert_cmpint (cash.no_sales, ==, 1);
  g_assert_true (search_has_focus (fixture));
}

static void
test_screenshot (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *dir = g_getenv ("KASSA_SCREENSHOT_DIR");
  KassaTill *till = kassa_sell_page_get_till (fixture->page);
  g_autofree char *path = NULL;

  if (dir == NULL)
    {
      g_test_skip ("set KASSA_SCREENSHOT_DIR to take screenshots");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (till_test_items); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (kassa_till_add_barcode (till, till_test_items[i].barcode, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (kassa_till_set_quantity (till, 1, 2000, NULL));
  g_assert_true (kassa_till_set_quantity (till, 5, 3000, NULL));
  g_assert_true (kassa_till_set_line_discount (till, 3, KASSA_DISCOUNT_PERCENT, 100000, NULL));
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "sell.focus-search", NULL);
  kassa_test_ui_spin (50);
  type_text (fixture, "te");
  kassa_test_ui_spin (400);

  path = g_build_filename (dir, "sell-page.png", NULL);
  till_test_save_screenshot (GTK_WIDGET (fixture->page), path);
}

static gboolean
is_sell_page (GtkWidget     *widget,
              gconstpointer  data)
{
  return KASSA_IS_SELL_PAGE (widget);
}

/* The picture for the software centre: the whole window, as it opens. */
static void
test_window_screenshot (void)
{
  const char *dir = g_getenv ("KASSA_SCREENSHOT_DIR");
  g_autoptr(KassaApplication) application = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *scratch = NULL;
  g_autoptr(KassaShop) setup = NULL;
  KassaSellPage *page;
  KassaWindow *window;
  KassaTill *till;

  if (dir == NULL)
    {
      g_test_skip ("set KASSA_SCREENSHOT_DIR to take screenshots");
      return;
    }

  till_test_load_style ();
  setup = till_test_open_shop (&scratch);
  path = g_strdup (kassa_shop_get_path (setup));
  g_clear_object (&setup);

  g_setenv ("KASSA_DATABASE", path, TRUE);
  application = kassa_test_ui_application_new ();
  g_assert_true (kassa_application_open_shop (application, &error));
  g_assert_no_error (error);
  g_assert_true (kassa_shop_sign_in (kassa_application_get_shop (application), 1, "2468", now, &error));
  g_assert_no_error (error);

  window = kassa_window_new (application);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 760);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (kassa_test_ui_wait_for (is_mapped, window));
  page = KASSA_SELL_PAGE (find_widget (GTK_WIDGET (window), is_sell_page, NULL));
  g_assert_true (kassa_test_ui_wait_for (is_mapped, page));
  g_assert_true (kassa_sell_page_get_shop (page) == kassa_application_get_shop (application));
  kassa_sell_page_reload (page);
  till = kassa_sell_page_get_till (page);
  g_assert_nonnull (till);

  for (guint i = 0; i < G_N_ELEMENTS (till_test_items); i++)
    g_assert_true (kassa_till_add_barcode (till, till_test_items[i].barcode, NULL, NULL));
  g_assert_true (kassa_till_set_quantity (till, 1, 2000, NULL));
  g_assert_true (kassa_till_set_quantity (till, 5, 3000, NULL));
  g_assert_true (kassa_till_set_line_discount (till, 3, KASSA_DISCOUNT_PERCENT, 100000, NULL));
  g_assert_nonnull (kassa_till_create_customer (till, "Marta Lindqvist", "marta@example.org", "", NULL));
  kassa_test_ui_spin (500);

  shot = g_build_filename (dir, "sell-page-window.png", NULL);
  till_test_save_screenshot (GTK_WIDGET (window), shot);

  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("KASSA_DATABASE");
  till_test_remove_dir (g_path_get_dirname (path));
}

int
main (int   argc,
      char *argv[])
{
  if (!kassa_test_ui_init (&argc, &argv))
    {
      g_test_add_func ("/kassa/sell-page/no-display", kassa_test_ui_skip_no_display);
      return g_test_run ();
    }

#define ADD(path, func) \
  g_test_add ("/kassa/sell-page/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/kassa/sell-page/finalizes", test_finalizes);
  ADD ("finalizes-with-till", test_finalizes_with_till);
  ADD ("customer-dialog-finalizes", test_customer_dialog_finalizes);
  ADD ("needs-sell-permission", test_needs_sell_permission);
  ADD ("search-and-pick", test_search_and_pick);
  ADD ("arrows-run-ahead-of-search", test_arrows_run_ahead_of_search);
  ADD ("results-keep-rows", test_results_keep_rows);
  ADD ("typed-key-searches-at-once", test_typed_key_searches_at_once);
  ADD ("scan", test_scan);
  ADD ("scan-with-cart-focused", test_scan_with_cart_focused);
  ADD ("unknown-barcode", test_unknown_barcode);
  ADD ("typing-is-not-a-scan", test_typing_is_not_a_scan);
  ADD ("burst-reaches-entry", test_burst_reaches_entry);
  ADD ("quantity-keys-and-undo", test_quantity_keys_and_undo);
  ADD ("pay-disabled-when-empty", test_pay_disabled_when_empty);
  ADD ("park-and-resume", test_park_and_resume);
  ADD ("pay-cash", test_pay_cash);
  ADD ("dialogs", test_dialogs);
  ADD ("screenshot", test_screenshot);
  g_test_add_func ("/kassa/sell-page/window-screenshot", test_window_screenshot);

#undef ADD

  return g_test_run ();
}
