/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-sell-page"

#include "config.h"

#include <glib/gi18n.h>

#include "kassa-application.h"
#include "kassa-customer-dialog.h"
#include "kassa-error.h"
#include "kassa-money.h"
#include "kassa-payment-dialog.h"
#include "kassa-result-slot.h"
#include "kassa-sale-follow-up.h"
#include "kassa-sell-page.h"

/* How many search results the list shows: about three times what fits
 * in view, to choose from with the arrows while typing; a longer list
 * only costs every keystroke, and every scan that clears it, its rows. */
#define RESULTS_LIMIT 20

typedef void (*CellBindFunc) (KassaSellPage *self,
                              GtkListItem   *list_item);

typedef void (*AskTextFunc) (KassaSellPage *self,
                             const char    *response,
                             const char    *text);

struct _KassaSellPage
{
  AdwBin              parent_instance;

  KassaShop          *shop;
  KassaTill          *till;
  KassaCart          *cart;
  GtkSingleSelection *cart_selection;
  /* The results are rows that keep their places (KassaResultSlot); the
   * slots made so far wait in result_slots for longer result lists. */
  GListStore         *results;
  GPtrArray          *result_slots;
  GtkSingleSelection *results_selection;
  /* Cart cells currently bound, so new totals reach them. */
  GHashTable         *bound_cells;

  KassaCartLine      *undo_line;
  guint               undo_position;
  gint64              undo_cart_id;

  /* What the results are for: arrows and Enter must not act on results
   * of an older text while the entry's search delay runs. */
  char               *searched_text;

  KassaSellPageClock  clock;
  gpointer            clock_data;
  gint64              last_key_time;
  guint               fast_run;
  guint               typed_search_id;
  /* A scanner's characters after the first few, held back from the
   * entry until the burst ends (see hold_burst_char()). */
  GString            *burst;
  guint               burst_flush_id;

  AdwToastOverlay    *toast_overlay;
  GtkStack           *main_stack;
  GtkSearchEntry     *search_entry;
  GtkRevealer        *message_revealer;
  GtkLabel           *message_label;
  GtkScrolledWindow  *results_window;
  GtkListView        *results_view;
  GtkColumnView      *cart_view;
  GtkWidget          *empty_page;
  GtkLabel           *customer_label;
  GtkLabel           *delivery_label;
  GtkLabel           *untaxed_label;
  GtkBox             *tax_box;
  GtkWidget          *discount_title_label;
  GtkLabel           *discount_label;
  GtkLabel           *total_label;
  GtkLabel           *amount_due_label;
  GtkMenuButton      *parked_button;
  GtkPopover         *parked_popover;
  GtkListBox         *parked_list;
  GtkLabel           *live_label;
};

G_DEFINE_FINAL_TYPE (KassaSellPage, kassa_sell_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SHOP,
  PROP_TILL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_actions (KassaSellPage *self);

static char *
format_money (KassaSellPage *self,
              gint64         amount)
{
  if (self->till == NULL)
    return g_strdup ("");

  return kassa_money_format_display (kassa_till_get_currency (self->till), amount);
}

/* People type either decimal mark; the parsers take one. */
static char *
normalize_decimal (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text != NULL ? text : ""));

  g_strdelimit (copy, ",", '.');

  return g_steal_pointer (&copy);
}

static void
refocus_search (KassaSellPage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self->search_entry)))
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* GTK 4.8 has no way to make a screen reader speak: the live label has
 * the status role, and its text and accessible description change
 * together, which screen readers announce. */
static void
announce (KassaSellPage *self,
          const char    *text)
{
  gtk_label_set_label (self->live_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->live_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

static void
show_toast (KassaSellPage *self,
            const char    *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  announce (self, text);
}

static void
show_message (KassaSellPage *self,
              const char    *text)
{
  gtk_label_set_label (self->message_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->message_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
  gtk_revealer_set_reveal_child (self->message_revealer, TRUE);
  announce (self, text);
}

static void
hide_message (KassaSellPage *self)
{
  gtk_revealer_set_reveal_child (self->message_revealer, FALSE);
}

static void
show_error (KassaSellPage *self,
            const GError  *error)
{
  g_debug ("%s", error->message);
  show_message (self, error->message);
}

static guint
selected_position (KassaSellPage *self)
{
  if (self->cart_selection == NULL)
    return GTK_INVALID_LIST_POSITION;

  return gtk_single_selection_get_selected (self->cart_selection);
}

static void
select_line (KassaSellPage *self,
             guint          position)
{
  if (self->cart_selection == NULL ||
      position >= g_list_model_get_n_items (G_LIST_MODEL (self->cart_selection)))
    return;

  gtk_single_selection_set_selected (self->cart_selection, position);
}

static KassaCartLine *
line_at (KassaSellPage *self,
         guint          position)
{
  if (self->cart == NULL || position == GTK_INVALID_LIST_POSITION)
    return NULL;

  return g_list_model_get_item (G_LIST_MODEL (self->cart), position);
}

static guint
position_of_line (KassaSellPage *self,
                  KassaCartLine *line)
{
  guint n_items = self->cart != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->cart)) : 0;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(KassaCartLine) other = g_list_model_get_item (G_LIST_MODEL (self->cart), i);

      if (other == line)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static const char *
line_name (KassaCartLine *line)
{
  return kassa_catalog_item_get_name (kassa_cart_line_get_item (line));
}

/* Cells -------------------------------------------------------------- */

static void
text_cell_setup_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *list_item,
                    KassaSellPage            *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
}

static void
number_cell_setup_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *list_item,
                      KassaSellPage            *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
  gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (list_item, label);
}

static void
remember_cell (KassaSellPage *self,
               GtkListItem   *list_item,
               CellBindFunc   func)
{
  g_hash_table_insert (self->bound_cells, list_item, func);
}

static void
set_cell_text (GtkListItem *list_item,
               const char  *text)
{
  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)), text);
}

static void
bind_name (KassaSellPage *self,
           GtkListItem   *list_item)
{
  KassaCartLine *line = gtk_list_item_get_item (list_item);

  set_cell_text (list_item, line_name (line));
}

static void
bind_quantity (KassaSellPage *self,
               GtkListItem   *list_item)
{
  KassaCartLine *line = gtk_list_item_get_item (list_item);
  g_autofree char *text = kassa_quantity_format (kassa_cart_line_get_quantity (line));

  set_cell_text (list_item, text);
}

static void
bind_price (KassaSellPage *self,
            GtkListItem   *list_item)
{
  KassaCartLine *line = gtk_list_item_get_item (list_item);
  g_autofree char *text = format_money (self, kassa_cart_line_get_unit_price (line));

  set_cell_text (list_item, text);
}

static const KassaLineTotals *
line_totals (KassaSellPage *self,
             KassaCartLine *line)
{
  KassaTotals *totals = self->till != NULL ? kassa_till_get_totals (self->till) : NULL;
  guint position = position_of_line (self, line);

  if (totals == NULL || position == GTK_INVALID_LIST_POSITION ||
      position >= kassa_totals_get_n_lines (totals))
    return NULL;

  return kassa_totals_get_line (totals, position);
}

static void
bind_discount (KassaSellPage *self,
               GtkListItem   *list_item)
{
  KassaCartLine *line = gtk_list_item_get_item (list_item);
  const KassaLineTotals *totals = line_totals (self, line);
  g_autofree char *text = NULL;

  if (totals != NULL && totals->line_discount + totals->document_discount != 0)
    text = format_money (self, -(totals->line_discount + totals->document_discount));

  set_cell_text (list_item, text != NULL ? text : "");
}

static void
bind_total (KassaSellPage *self,
            GtkListItem   *list_item)
{
  KassaCartLine *line = gtk_list_item_get_item (list_item);
  const KassaLineTotals *totals = line_totals (self, line);
  KassaTotals *all = self->till != NULL ? kassa_till_get_totals (self->till) : NULL;
  g_autofree char *text = NULL;

  /* What the customer pays for the line: gross when prices include tax. */
  if (totals != NULL && all != NULL)
    text = format_money (self, totals->amount - totals->line_discount - totals->document_discount);

  set_cell_text (list_item, text != NULL ? text : "");
}

#define DEFINE_BIND_CB(name, func) \
  static void \
  name (GtkSignalListItemFactory *factory, \
        GtkListItem              *list_item, \
        KassaSellPage            *self) \
  { \
    remember_cell (self, list_item, func); \
    func (self, list_item); \
  }

DEFINE_BIND_CB (name_cell_bind_cb, bind_name)
DEFINE_BIND_CB (quantity_cell_bind_cb, bind_quantity)
DEFINE_BIND_CB (price_cell_bind_cb, bind_price)
DEFINE_BIND_CB (discount_cell_bind_cb, bind_discount)
DEFINE_BIND_CB (total_cell_bind_cb, bind_total)

#undef DEFINE_BIND_CB

static void
cell_unbind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                KassaSellPage            *self)
{
  g_hash_table_remove (self->bound_cells, list_item);
}

static void
refresh_cells (KassaSellPage *self)
{
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  g_hash_table_iter_init (&iter, self->bound_cells);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GtkListItem *list_item = key;
      CellBindFunc func = value;

      if (gtk_list_item_get_item (list_item) != NULL)
        func (self, list_item);
    }
}

static void
result_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 KassaSellPage            *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *code = gtk_label_new (NULL);
  GtkWidget *price = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (code, "dim-label");
  gtk_widget_add_css_class (code, "caption");
  gtk_widget_add_css_class (price, "numeric");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), code);
  gtk_box_append (GTK_BOX (box), price);
  gtk_list_item_set_child (list_item, box);
}

static void
show_result (KassaSellPage *self,
             GtkListItem   *list_item)
{
  KassaCatalogItem *item = kassa_result_slot_get_item (gtk_list_item_get_item (list_item));
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *name = gtk_widget_get_first_child (box);
  GtkWidget *code = gtk_widget_get_next_sibling (name);
  GtkWidget *price = gtk_widget_get_next_sibling (code);
  const char *barcode = kassa_catalog_item_get_barcode (item);
  const char *sku = kassa_catalog_item_get_sku (item);
  g_autofree char *price_text = format_money (self, kassa_catalog_item_get_price (item));

  gtk_label_set_label (GTK_LABEL (name), kassa_catalog_item_get_name (item));
  gtk_label_set_label (GTK_LABEL (code), barcode != NULL && barcode[0] != '\0' ? barcode : (sku != NULL ? sku : ""));
  gtk_label_set_label (GTK_LABEL (price), price_text);
}

static void
result_slot_changed_cb (KassaResultSlot *slot,
                        GParamSpec      *pspec,
                        GtkListItem     *list_item)
{
  KassaSellPage *self = g_object_get_data (G_OBJECT (list_item), "kassa-sell-page");

  if (kassa_result_slot_get_item (slot) != NULL)
    show_result (self, list_item);
}

static void
result_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                KassaSellPage            *self)
{
  KassaResultSlot *slot = gtk_list_item_get_item (list_item);

  g_object_set_data (G_OBJECT (list_item), "kassa-sell-page", self);
  g_signal_connect (slot, "notify::item", G_CALLBACK (result_slot_changed_cb), list_item);
  show_result (self, list_item);
}

static void
result_unbind_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  KassaSellPage            *self)
{
  KassaResultSlot *slot = gtk_list_item_get_item (list_item);

  g_signal_handlers_disconnect_by_func (slot, result_slot_changed_cb, list_item);
}

/* Totals -------------------------------------------------------------- */

static void
update_totals (KassaSellPage *self)
{
  KassaTotals *totals = self->till != NULL ? kassa_till_get_totals (self->till) : NULL;
  g_autofree char *untaxed = NULL;
  g_autofree char *total = NULL;
  g_autofree char *due = NULL;
  g_autofree char *discount = NULL;
  g_autofree char *announcement = NULL;
  GtkWidget *child;
  gint64 discount_amount = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tax_box))) != NULL)
    gtk_box_remove (self->tax_box, child);

  if (totals == NULL)
    {
      gtk_label_set_label (self->untaxed_label, "");
      gtk_label_set_label (self->total_label, "");
      gtk_label_set_label (self->amount_due_label, "");
      gtk_widget_set_visible (self->discount_title_label, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->discount_label), FALSE);
      return;
    }

  for (guint i = 0; i < kassa_totals_get_n_tax_lines (totals); i++)
    {
      const KassaTaxLine *line = kassa_totals_get_tax_line (totals, i);
      g_autofree char *rate = kassa_rate_format (line->rate);
      g_autofree char *tax = format_money (self, line->tax);
      g_autofree char *title = g_strdup_printf (_("Tax %s %%"), rate);
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *title_label = gtk_label_new (title);
      GtkWidget *tax_label = gtk_label_new (tax);

      gtk_label_set_xalign (GTK_LABEL (title_label), 0.0f);
      gtk_widget_set_hexpand (title_label, TRUE);
      gtk_widget_add_css_class (tax_label, "numeric");
      gtk_box_append (GTK_BOX (row), title_label);
      gtk_box_append (GTK_BOX (row), tax_label);
      gtk_box_append (self->tax_box, row);
    }

  /* The engine's discount covers line and document discounts alike. */
  discount_amount = kassa_totals_get_discount (totals);
  gtk_widget_set_visible (self->discount_title_label, discount_amount != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->discount_label), discount_amount != 0);
  discount = format_money (self, -discount_amount);
  gtk_label_set_label (self->discount_label, discount);

  untaxed = format_money (self, kassa_totals_get_untaxed (totals));
  total = format_money (self, kassa_totals_get_total (totals));
  due = format_money (self, kassa_totals_get_amount_due (totals));
  gtk_label_set_label (self->untaxed_label, untaxed);
  gtk_label_set_label (self->total_label, total);
  gtk_label_set_label (self->amount_due_label, due);

  announcement = g_strdup_printf (_("Amount due %s"), due);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->amount_due_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, announcement,
                                  -1);

  refresh_cells (self);
}

static void
update_customer (KassaSellPage *self)
{
  KassaCustomer *customer = self->cart != NULL ? kassa_cart_get_customer (self->cart) : NULL;
  KassaDeliveryMethod method = self->cart != NULL ? kassa_cart_get_delivery_method (self->cart)
                                                  : KASSA_DELIVERY_METHOD_NONE;
  const char *address = self->cart != NULL ? kassa_cart_get_delivery_address (self->cart) : NULL;

  if (customer != NULL && !kassa_customer_get_is_walk_in (customer))
    gtk_label_set_label (self->customer_label, kassa_customer_get_display_name (customer));
  else
    gtk_label_set_label (self->customer_label, _("Walk-in customer"));

  if (method == KASSA_DELIVERY_METHOD_NONE)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->delivery_label), FALSE);
      return;
    }

  if (method == KASSA_DELIVERY_METHOD_PICKUP)
    {
      g_autofree char *text = g_strdup_printf (_("Pickup: %s"), address != NULL ? address : "");
      gtk_label_set_label (self->delivery_label, text);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("Delivery to: %s"), address != NULL ? address : "");
      gtk_label_set_label (self->delivery_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->delivery_label), TRUE);
}

static void
cart_items_changed_cb (KassaSellPage *self)
{
  gboolean empty = self->till == NULL || kassa_till_get_empty (self->till);

  gtk_widget_set_visible (self->empty_page, empty);
  update_actions (self);
}

static void
till_totals_changed_cb (KassaSellPage *self)
{
  update_totals (self);
}

static void
cart_notify_cb (KassaSellPage *self)
{
  update_customer (self);
}

static void
selection_changed_cb (KassaSellPage *self)
{
  update_actions (self);
}

static void
set_cart (KassaSellPage *self,
          KassaCart     *cart)
{
  if (self->cart == cart)
    return;

  if (self->cart != NULL)
    g_signal_handlers_disconnect_by_data (self->cart, self);
  if (self->cart_selection != NULL)
    g_signal_handlers_disconnect_by_data (self->cart_selection, self);

  g_set_object (&self->cart, cart);
  g_clear_object (&self->cart_selection);

  if (cart != NULL)
    {
      self->cart_selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (cart)));
      gtk_single_selection_set_autoselect (self->cart_selection, FALSE);
      gtk_single_selection_set_can_unselect (self->cart_selection, TRUE);
      gtk_single_selection_set_selected (self->cart_selection, GTK_INVALID_LIST_POSITION);
      g_signal_connect_object (cart, "items-changed", G_CALLBACK (cart_items_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (cart, "notify", G_CALLBACK (cart_notify_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->cart_selection, "notify::selected", G_CALLBACK (selection_changed_cb),
                               self, G_CONNECT_SWAPPED);
    }

  gtk_column_view_set_model (self->cart_view, GTK_SELECTION_MODEL (self->cart_selection));

  /* An undo belongs to the cart it was made in. */
  g_clear_object (&self->undo_line);

  update_customer (self);
  cart_items_changed_cb (self);
}

static void
till_cart_changed_cb (KassaSellPage *self)
{
  set_cart (self, kassa_till_get_cart (self->till));
  update_totals (self);
}

static void
set_till (KassaSellPage *self,
          KassaTill     *till)
{
  if (self->till == till)
    return;

  if (self->till != NULL)
    g_signal_handlers_disconnect_by_data (self->till, self);

  g_set_object (&self->till, till);

  if (till != NULL)
    {
      g_signal_connect_object (till, "notify::totals", G_CALLBACK (till_totals_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (till, "notify::cart", G_CALLBACK (till_cart_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }

  set_cart (self, till != NULL ? kassa_till_get_cart (till) : NULL);
  update_totals (self);
  gtk_stack_set_visible_child_name (self->main_stack, till != NULL ? "till" : "signed-out");
  update_actions (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TILL]);
}

/* The shop checks every operation; this only spares the cashier a
 * refusal for what their role cannot do anyway. */
static gboolean
may (KassaSellPage   *self,
     KassaPermission  permission)
{
  return self->shop != NULL && kassa_shop_check_permission (self->shop, permission, NULL);
}

static void
update_actions (KassaSellPage *self)
{
  gboolean has_till = self->till != NULL;
  gboolean has_lines = has_till && !kassa_till_get_empty (self->till);
  gboolean has_selection = has_lines && selected_position (self) != GTK_INVALID_LIST_POSITION;
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "sell.pay", has_lines);
  gtk_widget_action_set_enabled (widget, "sell.park", has_lines);
  gtk_widget_action_set_enabled (widget, "sell.discount", has_lines && may (self, KASSA_PERMISSION_DISCOUNT));
  gtk_widget_action_set_enabled (widget, "sell.customer", has_till);
  gtk_widget_action_set_enabled (widget, "sell.no-sale", has_till && may (self, KASSA_PERMISSION_OPEN_DRAWER));
  gtk_widget_action_set_enabled (widget, "sell.show-parked", has_till);
  gtk_widget_action_set_enabled (widget, "sell.quantity-up", has_selection);
  gtk_widget_action_set_enabled (widget, "sell.quantity-down", has_selection);
  gtk_widget_action_set_enabled (widget, "sell.quantity-entry", has_selection);
  gtk_widget_action_set_enabled (widget, "sell.remove-line", has_selection && may (self, KASSA_PERMISSION_VOID_LINE));
  gtk_widget_action_set_enabled (widget, "sell.undo-remove", has_till && self->undo_line != NULL);
}

/* Adding -------------------------------------------------------------- */

/* Shows @items in the results. The rows already in the list stay and
 * take the new items in their places; only the rows beyond either count
 * come or go. */
static void
set_results (KassaSellPage *self,
             GPtrArray     *items)
{
  guint n_before = g_list_model_get_n_items (G_LIST_MODEL (self->results));
  guint n_after = items != NULL ? items->len : 0;

  while (self->result_slots->len < n_after)
    g_ptr_array_add (self->result_slots, kassa_result_slot_new ());

  for (guint i = 0; i < n_after; i++)
    kassa_result_slot_set_item (self->result_slots->pdata[i], items->pdata[i]);

  /* The same slots go back in at the same places: the list recognizes
   * them and keeps their rows, and the selection starts over. */
  g_list_store_splice (self->results, 0, n_before, self->result_slots->pdata, n_after);

  /* Rows no longer shown let go of their items. */
  for (guint i = n_after; i < n_before; i++)
    kassa_result_slot_set_item (self->result_slots->pdata[i], NULL);
}

static void
clear_search (KassaSellPage *self)
{
  g_string_truncate (self->burst, 0);
  g_clear_handle_id (&self->burst_flush_id, g_source_remove);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  set_results (self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->results_window), FALSE);
  g_clear_pointer (&self->searched_text, g_free);
  self->fast_run = 0;
}

/* GTK 4.8 scrolls list views through their "list.scroll-to-item"
 * action; a column view's rows are an inner list view. */
static void
scroll_cart_to (KassaSellPage *self,
                guint          position)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->cart_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_VIEW (child))
        {
          gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
          return;
        }
    }
}

static void
added (KassaSellPage *self,
       guint          position)
{
  g_autoptr(KassaCartLine) line = line_at (self, position);
  g_autofree char *quantity = NULL;
  g_autofree char *text = NULL;

  hide_message (self);
  select_line (self, position);
  scroll_cart_to (self, position);

  if (line != NULL)
    {
      quantity = kassa_quantity_format (kassa_cart_line_get_quantity (line));
      /* Translators: an item added to the cart, then its quantity */
      text = g_strdup_printf (_("%s, quantity %s"), line_name (line), quantity);
      announce (self, text);
    }
}

static void
add_item (KassaSellPage    *self,
          KassaCatalogItem *item)
{
  g_autoptr(GError) error = NULL;
  guint position = 0;

  if (!kassa_till_add_item (self->till, item, KASSA_QUANTITY_ONE, &position, &error))
    show_error (self, error);
  else
    added (self, position);
}

static gboolean
add_barcode (KassaSellPage *self,
             const char    *barcode)
{
  g_autoptr(GError) error = NULL;
  guint position = 0;

  if (!kassa_till_add_barcode (self->till, barcode, &position, &error))
    {
      if (g_error_matches (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND))
        {
          /* Said twice on purpose: the banner stays until the next scan,
           * the toast reaches a cashier looking at the customer. */
          show_message (self, error->message);
          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
        }
      else
        show_error (self, error);
      return FALSE;
    }

  added (self, position);
  return TRUE;
}

static void
add_selected_result (KassaSellPage *self)
{
  KassaResultSlot *slot = gtk_single_selection_get_selected_item (self->results_selection);
  KassaCatalogItem *item = slot != NULL ? kassa_result_slot_get_item (slot) : NULL;

  if (item == NULL)
    return;

  g_object_ref (item);
  clear_search (self);
  add_item (self, item);
  g_object_unref (item);
}

static void
search_changed_cb (KassaSellPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  /* Already searched, when arrows or Enter ran ahead of the delay. */
  if (g_strcmp0 (text, self->searched_text) == 0)
    return;

  g_free (self->searched_text);
  self->searched_text = g_strdup (text);

  if (self->till == NULL || text[0] == '\0')
    {
      set_results (self, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->results_window), FALSE);
      return;
    }

  items = kassa_till_search (self->till, text, RESULTS_LIMIT, &error);
  if (items == NULL)
    {
      show_error (self, error);
      return;
    }

  set_results (self, items);
  gtk_widget_set_visible (GTK_WIDGET (self->results_window), items->len > 0);
  if (items->len > 0)
    gtk_single_selection_set_selected (self->results_selection, 0);
}

static void
results_activate_cb (GtkListView   *view,
                     guint          position,
                     KassaSellPage *self)
{
  gtk_single_selection_set_selected (self->results_selection, position);
  add_selected_result (self);
  refocus_search (self);
}

static void
flush_search (KassaSellPage *self)
{
  search_changed_cb (self);
}

static void
move_result (KassaSellPage *self,
             int            delta)
{
  guint n_items;
  guint selected;
  guint next;

  flush_search (self);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->results));
  selected = gtk_single_selection_get_selected (self->results_selection);
  if (n_items == 0)
    return;

  if (selected == GTK_INVALID_LIST_POSITION)
    next = delta > 0 ? 0 : n_items - 1;
  else if (delta < 0)
    next = selected == 0 ? 0 : selected - 1;
  else
    next = MIN (selected + 1, n_items - 1);

  gtk_single_selection_set_selected (self->results_selection, next);
  gtk_widget_activate_action (GTK_WIDGET (self->results_view), "list.scroll-to-item", "u", next);
}

static gint64
key_time (KassaSellPage *self,
          GdkEvent      *event)
{
  if (self->clock != NULL)
    return self->clock (self->clock_data);

  return event != NULL ? (gint64) gdk_event_get_time (event) : g_get_monotonic_time () / 1000;
}

static void
enter_pressed (KassaSellPage *self,
               gint64         now)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  gboolean scanned;

  /* A scan: every character came in one fast burst, and Enter with it. */
  scanned = self->fast_run >= KASSA_SELL_PAGE_SCAN_MIN_LENGTH &&
            self->fast_run == g_utf8_strlen (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), -1) &&
            now - self->last_key_time <= KASSA_SELL_PAGE_SCAN_INTERVAL_MS;

  if (text[0] == '\0')
    return;

  if (scanned)
    {
      clear_search (self);
      add_barcode (self, text);
      return;
    }

  flush_search (self);

  if (gtk_single_selection_get_selected_item (self->results_selection) != NULL &&
      gtk_widget_get_visible (GTK_WIDGET (self->results_window)))
    {
      add_selected_result (self);
      return;
    }

  /* A barcode typed by hand before the search caught up. */
  clear_search (self);
  add_barcode (self, text);
}

/* A key typed by a person searches at once, before the next frame; the
 * entry's search delay is left for a scanner's burst, whose digits are
 * not worth a search each. By the time this runs the keys already
 * queued behind the typed one have been handled, so a burst has begun
 * when the run grew. */
static gboolean
typed_search_cb (gpointer data)
{
  KassaSellPage *self = data;

  self->typed_search_id = 0;
  if (self->fast_run <= 1)
    flush_search (self);

  return G_SOURCE_REMOVE;
}

/* Notes when a character came, to tell a scanner's burst from typing. */
static void
note_key (KassaSellPage *self,
          guint          keyval,
          gint64         now,
          gboolean       empty)
{
  gunichar ch = gdk_keyval_to_unicode (keyval);

  if (ch != 0 && g_unichar_isprint (ch))
    {
      if (empty || now - self->last_key_time > KASSA_SELL_PAGE_SCAN_INTERVAL_MS)
        self->fast_run = 1;
      else
        self->fast_run++;
      self->last_key_time = now;
    }
  else if (keyval == GDK_KEY_BackSpace)
    {
      /* A scanner never corrects itself. */
      self->fast_run = 0;
    }
}

/* Puts the held characters of a burst into the entry, all at once. */
static void
flush_burst (KassaSellPage *self)
{
  GtkEditable *editable = GTK_EDITABLE (self->search_entry);
  int position;

  g_clear_handle_id (&self->burst_flush_id, g_source_remove);
  if (self->burst->len == 0)
    return;

  /* Where the burst's first characters went: at the cursor. */
  position = gtk_editable_get_position (editable);
  gtk_editable_insert_text (editable, self->burst->str, (int) self->burst->len, &position);
  gtk_editable_set_position (editable, position);
  g_string_truncate (self->burst, 0);
}

static gboolean
burst_ended_cb (gpointer data)
{
  KassaSellPage *self = data;

  self->burst_flush_id = 0;
  flush_burst (self);

  return G_SOURCE_REMOVE;
}

/* Once keys come as fast as only a scanner sends them, the entry does not
 * take them one by one — each costs it a tenth of a millisecond, which
 * adds up over a barcode — but at the end of the burst: at Enter, at any
 * other key, or when no key came for a scan's interval. */
static gboolean
hold_burst_char (KassaSellPage *self,
                 gunichar       ch)
{
  if (self->fast_run < KASSA_SELL_PAGE_SCAN_MIN_LENGTH - 1)
    return FALSE;

  g_string_append_unichar (self->burst, ch);
  g_clear_handle_id (&self->burst_flush_id, g_source_remove);
  self->burst_flush_id = g_timeout_add (KASSA_SELL_PAGE_SCAN_INTERVAL_MS, burst_ended_cb, self);
  return TRUE;
}

static gboolean
search_key_pressed_cb (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       KassaSellPage         *self)
{
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  gunichar ch = gdk_keyval_to_unicode (keyval);
  gboolean printable = ch != 0 && g_unichar_isprint (ch);
  gint64 now = key_time (self, event);
  gboolean empty;

  if (self->till == NULL)
    return GDK_EVENT_PROPAGATE;

  /* Whatever else the key does, it sees the whole text. */
  if (!printable || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)))
    flush_burst (self);
  empty = gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] == '\0' && self->burst->len == 0;

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return GDK_EVENT_PROPAGATE;

  switch (keyval)
    {
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      enter_pressed (self, now);
      self->fast_run = 0;
      return GDK_EVENT_STOP;

    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      move_result (self, 1);
      return GDK_EVENT_STOP;

    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      move_result (self, -1);
      return GDK_EVENT_STOP;

    case GDK_KEY_Escape:
      if (!empty)
        {
          clear_search (self);
          return GDK_EVENT_STOP;
        }
      hide_message (self);
      return GDK_EVENT_PROPAGATE;

    /* With nothing typed, these work on the cart; inside a search they
     * are text ("T-shirt"). The keypad's always work on the cart. */
    case GDK_KEY_KP_Add:
      gtk_widget_activate_action (GTK_WIDGET (self), "sell.quantity-up", NULL);
      return GDK_EVENT_STOP;
    case GDK_KEY_KP_Subtract:
      gtk_widget_activate_action (GTK_WIDGET (self), "sell.quantity-down", NULL);
      return GDK_EVENT_STOP;
    case GDK_KEY_KP_Multiply:
      gtk_widget_activate_action (GTK_WIDGET (self), "sell.quantity-entry", NULL);
      return GDK_EVENT_STOP;
    case GDK_KEY_plus:
      if (!empty)
        break;
      gtk_widget_activate_action (GTK_WIDGET (self), "sell.quantity-up", NULL);
      return GDK_EVENT_STOP;
    case GDK_KEY_minus:
      if (!empty)
        break;
      gtk_widget_activate_action (GTK_WIDGET (self), "sell.quantity-down", NULL);
      return GDK_EVENT_STOP;
    case GDK_KEY_asterisk:
      if (!empty)
        break;
      gtk_widget_activate_action (GTK_WIDGET (self), "sell.quantity-entry", NULL);
      return GDK_EVENT_STOP;
    case GDK_KEY_Delete:
    case GDK_KEY_KP_Delete:
      if (!empty)
        break;
      gtk_widget_activate_action (GTK_WIDGET (self), "sell.remove-line", NULL);
      return GDK_EVENT_STOP;

    default:
      break;
    }

  note_key (self, keyval, now, empty);
  if (printable && hold_burst_char (self, ch))
    return GDK_EVENT_STOP;
  if (self->fast_run <= 1 && self->typed_search_id == 0)
    self->typed_search_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, typed_search_cb, self, NULL);

  return GDK_EVENT_PROPAGATE;
}

/* The keys that work on the selected cart line through the page's
 * bindings when the search entry does not have the focus. */
static gboolean
is_cart_key (guint keyval)
{
  switch (keyval)
    {
    case GDK_KEY_plus:
    case GDK_KEY_minus:
    case GDK_KEY_asterisk:
    case GDK_KEY_KP_Add:
    case GDK_KEY_KP_Subtract:
    case GDK_KEY_KP_Multiply:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Keys typed while something else in the page has the focus (a cart
 * line the cashier clicked): text goes to the search entry, so a scan is
 * never lost, and the focus goes with it for the Enter that follows. */
static gboolean
page_key_pressed_cb (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     KassaSellPage         *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkEditable *editable = GTK_EDITABLE (self->search_entry);
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  gunichar ch = gdk_keyval_to_unicode (keyval);
  char text[7];
  int length;
  int position;

  if (self->till == NULL || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0 ||
      ch == 0 || !g_unichar_isprint (ch) || is_cart_key (keyval) ||
      (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->search_entry))))
    return GDK_EVENT_PROPAGATE;

  note_key (self, keyval, key_time (self, event), gtk_editable_get_text (editable)[0] == '\0');

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  /* Terminated too: handlers of "insert-text" may read it as a string. */
  length = g_unichar_to_utf8 (ch, text);
  text[length] = '\0';
  position = g_utf8_strlen (gtk_editable_get_text (editable), -1);
  gtk_editable_insert_text (editable, text, length, &position);
  gtk_editable_set_position (editable, -1);

  return GDK_EVENT_STOP;
}

static void
message_close_clicked_cb (KassaSellPage *self)
{
  hide_message (self);
  refocus_search (self);
}

/* Asking for one value ------------------------------------------------ */

typedef struct
{
  KassaSellPage *self;
  GtkEditable   *entry;
  AskTextFunc    func;
} AskText;

static void
ask_text_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      AskText          *ask)
{
  if (g_strcmp0 (response, "cancel") != 0)
    ask->func (ask->self, response, gtk_editable_get_text (ask->entry));

  refocus_search (ask->self);
  g_object_unref (ask->self);
  g_free (ask);
}

/* A small question with one line of text; @responses are id, label pairs
 * after "cancel", the first one the default. */
static AdwMessageDialog *
ask_text (KassaSellPage *self,
          const char    *heading,
          const char    *body,
          const char    *initial,
          const char    *entry_label,
          AskTextFunc    func,
          ...)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;
  GtkWidget *entry = gtk_entry_new ();
  AskText *ask = g_new0 (AskText, 1);
  const char *id;
  gboolean first = TRUE;
  va_list args;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       heading, body));
  adw_message_dialog_add_response (dialog, "cancel", _("_Cancel"));
  adw_message_dialog_set_close_response (dialog, "cancel");

  va_start (args, func);
  while ((id = va_arg (args, const char *)) != NULL)
    {
      const char *label = va_arg (args, const char *);

      adw_message_dialog_add_response (dialog, id, label);
      if (first)
        {
          adw_message_dialog_set_default_response (dialog, id);
          adw_message_dialog_set_response_appearance (dialog, id, ADW_RESPONSE_SUGGESTED);
          first = FALSE;
        }
    }
  va_end (args);

  gtk_editable_set_text (GTK_EDITABLE (entry), initial != NULL ? initial : "");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, entry_label, -1);
  adw_message_dialog_set_extra_child (dialog, entry);

  ask->self = g_object_ref (self);
  ask->entry = GTK_EDITABLE (entry);
  ask->func = func;
  g_signal_connect (dialog, "response", G_CALLBACK (ask_text_response_cb), ask);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);

  return dialog;
}

/* Actions -------------------------------------------------------------- */

static void
change_quantity (KassaSellPage *self,
                 gint64         delta)
{
  guint position = selected_position (self);
  g_autoptr(KassaCartLine) line = line_at (self, position);
  g_autoptr(GError) error = NULL;
  gint64 quantity;

  if (line == NULL)
    return;

  quantity = kassa_cart_line_get_quantity (line) + delta;
  if (quantity <= 0)
    {
      show_message (self, _("Press Delete to remove the line"));
      return;
    }

  if (!kassa_till_set_quantity (self->till, position, quantity, &error))
    show_error (self, error);
  else
    added (self, position);
}

static void
quantity_up_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  change_quantity (KASSA_SELL_PAGE (widget), KASSA_QUANTITY_ONE);
}

static void
quantity_down_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  change_quantity (KASSA_SELL_PAGE (widget), -KASSA_QUANTITY_ONE);
}

static void
quantity_entered (KassaSellPage *self,
                  const char    *response,
                  const char    *text)
{
  g_autofree char *normalized = normalize_decimal (text);
  g_autoptr(GError) error = NULL;
  guint position = selected_position (self);
  gint64 quantity;

  if (!kassa_quantity_parse (normalized, '.', &quantity, &error) ||
      !kassa_till_set_quantity (self->till, position, quantity, &error))
    show_error (self, error);
  else
    added (self, position);
}

static void
quantity_entry_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  KassaSellPage *self = KASSA_SELL_PAGE (widget);
  g_autoptr(KassaCartLine) line = line_at (self, selected_position (self));
  g_autofree char *current = NULL;

  if (line == NULL)
    return;

  current = kassa_quantity_format (kassa_cart_line_get_quantity (line));
  ask_text (self, _("Quantity"), line_name (line), current, _("Quantity"),
            quantity_entered, "set", _("_Set"), NULL);
}

static void
remove_line_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KassaSellPage *self = KASSA_SELL_PAGE (widget);
  guint position = selected_position (self);
  g_autoptr(KassaCartLine) line = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  AdwToast *toast;
  guint n_items;

  if (position == GTK_INVALID_LIST_POSITION)
    return;

  line = kassa_till_remove_line (self->till, position, &error);
  if (line == NULL)
    {
      show_error (self, error);
      return;
    }

  g_set_object (&self->undo_line, line);
  self->undo_position = position;
  self->undo_cart_id = kassa_till_get_cart_id (self->till);

  /* Translators: %s is the name of an item */
  text = g_strdup_printf (_("Removed %s"), line_name (line));
  toast = adw_toast_new (text);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "sell.undo-remove");
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  announce (self, text);

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->cart));
  if (n_items > 0)
    select_line (self, MIN (position, n_items - 1));
  update_actions (self);
  refocus_search (self);
}

static void
undo_remove_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KassaSellPage *self = KASSA_SELL_PAGE (widget);
  g_autoptr(KassaCartLine) line = g_steal_pointer (&self->undo_line);
  g_autoptr(GError) error = NULL;

  if (line == NULL || self->till == NULL || kassa_till_get_cart_id (self->till) != self->undo_cart_id)
    return;

  if (!kassa_till_restore_line (self->till, self->undo_position, line, &error))
    show_error (self, error);
  else
    added (self, MIN (self->undo_position, g_list_model_get_n_items (G_LIST_MODEL (self->cart)) - 1));

  update_actions (self);
  refocus_search (self);
}

static gboolean
parse_discount (KassaSellPage      *self,
                const char         *text,
                KassaDiscountKind  *kind,
                gint64             *value,
                GError            **error)
{
  g_autofree char *normalized = normalize_decimal (text);
  gsize length = strlen (normalized);

  if (length == 0 || g_strcmp0 (normalized, "0") == 0)
    {
      *kind = KASSA_DISCOUNT_NONE;
      *value = 0;
      return TRUE;
    }

  if (normalized[length - 1] == '%')
    {
      normalized[length - 1] = '\0';
      g_strstrip (normalized);
      *kind = KASSA_DISCOUNT_PERCENT;
      return kassa_rate_parse (normalized, '.', value, error);
    }

  *kind = KASSA_DISCOUNT_AMOUNT;
  return kassa_money_parse (kassa_till_get_currency (self->till), normalized, '.', value, error);
}

static void
discount_entered (KassaSellPage *self,
                  const char    *response,
                  const char    *text)
{
  g_autoptr(GError) error = NULL;
  KassaDiscountKind kind;
  gint64 value;
  guint position = selected_position (self);
  gboolean ok;

  if (!parse_discount (self, text, &kind, &value, &error))
    {
      show_error (self, error);
      return;
    }

  if (g_strcmp0 (response, "line") == 0 && position != GTK_INVALID_LIST_POSITION)
    ok = kassa_till_set_line_discount (self->till, position, kind, value, &error);
  else
    ok = kassa_till_set_document_discount (self->till, kind, value, &error);

  if (!ok)
    show_error (self, error);
  else
    announce (self, _("Discount applied"));
}

static void
discount_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KassaSellPage *self = KASSA_SELL_PAGE (widget);
  g_autoptr(KassaCartLine) line = line_at (self, selected_position (self));
  AdwMessageDialog *dialog;

  dialog = ask_text (self, _("Discount"),
                     _("An amount, or a percentage such as 10%. Zero removes the discount."),
                     NULL, _("Discount"), discount_entered,
                     "sale", _("Whole _Sale"),
                     line != NULL ? "line" : NULL, _("This _Line"),
                     NULL);
  if (line != NULL)
    {
      adw_message_dialog_set_default_response (dialog, "line");
      adw_message_dialog_set_response_appearance (dialog, "line", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_response_appearance (dialog, "sale", ADW_RESPONSE_DEFAULT);
    }
}

static void
park_entered (KassaSellPage *self,
              const char    *response,
              const char    *text)
{
  g_autoptr(GError) error = NULL;

  if (!kassa_till_park (self->till, text, &error))
    show_error (self, error);
  else
    show_toast (self, _("Sale parked"));
}

static void
park_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KassaSellPage *self = KASSA_SELL_PAGE (widget);

  ask_text (self, _("Park the Sale"), _("A name to find it by later, such as the customer’s."),
            NULL, _("Label"), park_entered, "park", _("_Park"), NULL);
}

static void
no_sale_entered (KassaSellPage *self,
                 const char    *response,
                 const char    *text)
{
  g_autoptr(GError) error = NULL;

  if (!kassa_till_no_sale (self->till, text, &error))
    show_error (self, error);
  else
    show_toast (self, _("Drawer opened without a sale"));
}

static void
no_sale_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  KassaSellPage *self = KASSA_SELL_PAGE (widget);

  ask_text (self, _("No Sale"), _("Say why the drawer is opened. It is recorded on the shift."),
            NULL, _("Reason"), no_sale_entered, "open", _("_Open Drawer"), NULL);
}

static void
parked_row_activated_cb (GtkListBox    *list,
                         GtkListBoxRow *row,
                         KassaSellPage *self)
{
  g_autoptr(GError) error = NULL;
  gint64 cart_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "kassa-cart-id"));

  gtk_popover_popdown (self->parked_popover);

  if (!kassa_till_resume (self->till, cart_id, &error))
    show_error (self, error);
  else
    show_toast (self, _("Sale resumed"));

  refocus_search (self);
}

static void parked_row_activated_cb (GtkListBox    *list,
                                     GtkListBoxRow *row,
                                     KassaSellPage *self);

/* The popover is built the first time it opens: most days it never is. */
static void
create_parked_popover (KassaSellPage *self)
{
  GtkWidget *scrolled;
  GtkWidget *list;

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Parked sales"), -1);
  g_signal_connect_object (list, "row-activated", G_CALLBACK (parked_row_activated_cb), self, 0);

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
  gtk_scrolled_window_set_min_content_width (GTK_SCROLLED_WINDOW (scrolled), 280);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);

  self->parked_popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_child (self->parked_popover, scrolled);
  self->parked_list = GTK_LIST_BOX (list);
  gtk_menu_button_set_popover (self->parked_button, GTK_WIDGET (self->parked_popover));
}

static void
parked_popover_show_cb (KassaSellPage *self)
{
  g_autoptr(GPtrArray) parked = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->parked_list))) != NULL)
    gtk_list_box_remove (self->parked_list, child);

  if (self->till == NULL)
    return;

  parked = kassa_till_list_parked (self->till, &error);
  if (parked == NULL)
    {
      show_error (self, error);
      return;
    }

  if (parked->len == 0)
    {
      GtkWidget *label = gtk_label_new (_("No parked sales"));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 12);
      gtk_widget_set_margin_bottom (label, 12);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_list_box_append (self->parked_list, label);
      return;
    }

  for (guint i = 0; i < parked->len; i++)
    {
      KassaCartSummary *summary = g_ptr_array_index (parked, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u line, %s",
                                                                "%u lines, %s", summary->n_lines),
                                                   summary->n_lines, summary->updated_at);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     summary->label != NULL && summary->label[0] != '\0'
                                     ? summary->label : _("Unnamed sale"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "kassa-cart-id", GSIZE_TO_POINTER ((gsize) summary->id));
      gtk_list_box_append (self->parked_list, row);
    }
}

static void
parked_create_popup_cb (GtkMenuButton *button,
                        gpointer       user_data)
{
  KassaSellPage *self = user_data;

  if (self->parked_popover == NULL)
    create_parked_popover (self);

  parked_popover_show_cb (self);
}

static void
show_parked_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KassaSellPage *self = KASSA_SELL_PAGE (widget);

  gtk_menu_button_popup (self->parked_button);
}

static void
customer_response_cb (KassaCustomerDialog *dialog,
                      const char          *response,
                      KassaSellPage       *self)
{
  const GError *error = kassa_customer_dialog_get_error (dialog);

  if (error != NULL)
    show_error (self, error);

  update_customer (self);
  refocus_search (self);
}

static void
customer_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KassaSellPage *self = KASSA_SELL_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  KassaCustomerDialog *dialog;

  if (self->till == NULL)
    return;

  dialog = kassa_customer_dialog_new (self->till);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "response", G_CALLBACK (customer_response_cb), self, G_CONNECT_AFTER);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
payment_completed_cb (KassaPaymentDialog *dialog,
                      KassaOrder         *order,
                      KassaSellPage      *self)
{
  g_autofree char *text = NULL;
  gint64 change = kassa_payment_dialog_get_change (dialog);

  if (change > 0)
    {
      g_autofree char *change_text = format_money (self, change);

      /* Translators: a sale number, then the change given back */
      text = g_strdup_printf (_("Sale %s complete, change %s"), kassa_order_get_number (order), change_text);
    }
  else
    text = g_strdup_printf (_("Sale %s complete"), kassa_order_get_number (order));

  /* Offers to e-mail the receipt; shown once the dialog closes. */
  kassa_sale_follow_up_show_toast (self->toast_overlay,
                                   kassa_sale_follow_up_toast_new (self->till, order,
                                                                   kassa_payment_dialog_get_receipt (dialog),
                                                                   text),
                                   GTK_WINDOW (dialog));
}

static void
payment_destroy_cb (KassaSellPage *self)
{
  refocus_search (self);
}

static void
pay_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  KassaSellPage *self = KASSA_SELL_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  KassaPaymentDialog *dialog;

  if (self->till == NULL || kassa_till_get_empty (self->till))
    return;

  dialog = kassa_payment_dialog_new (self->till);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "completed", G_CALLBACK (payment_completed_cb), self, 0);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (payment_destroy_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  refocus_search (KASSA_SELL_PAGE (widget));
}

/* Opening the till ----------------------------------------------------- */

static void
open_till (KassaSellPage *self)
{
  g_autoptr(KassaTill) till = NULL;
  g_autoptr(GError) error = NULL;

  if (self->shop == NULL || kassa_shop_get_actor (self->shop) == NULL)
    {
      set_till (self, NULL);
      return;
    }

  till = kassa_till_new (self->shop, &error);
  if (till == NULL)
    {
      g_debug ("No till: %s", error->message);
      adw_status_page_set_description (ADW_STATUS_PAGE (gtk_stack_get_child_by_name (self->main_stack,
                                                                                      "signed-out")),
                                       error->message);
    }

  set_till (self, till);
}

/* The window may join its application only after its template rooted
 * the page, so the shop is looked for again when the page shows. */
static void
find_application_shop (KassaSellPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *application;

  if (self->shop != NULL || !GTK_IS_WINDOW (root))
    return;

  application = gtk_window_get_application (GTK_WINDOW (root));
  if (KASSA_IS_APPLICATION (application) && kassa_application_get_shop (KASSA_APPLICATION (application)) != NULL)
    kassa_sell_page_set_shop (self, kassa_application_get_shop (KASSA_APPLICATION (application)));
}

static void
kassa_sell_page_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (kassa_sell_page_parent_class)->root (widget);

  find_application_shop (KASSA_SELL_PAGE (widget));
}

static void
kassa_sell_page_map (GtkWidget *widget)
{
  KassaSellPage *self = KASSA_SELL_PAGE (widget);

  GTK_WIDGET_CLASS (kassa_sell_page_parent_class)->map (widget);

  find_application_shop (self);
  /* Someone may have signed in since the page last showed. */
  if (self->till == NULL && self->shop != NULL)
    open_till (self);

  refocus_search (self);
}

static void
kassa_sell_page_unmap (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  /* A hidden page must not keep the focus: the cashier's keys (and the
   * page's own, such as F4) would land on a till nobody sees. */
  if (focus != NULL && gtk_widget_is_ancestor (focus, widget))
    gtk_root_set_focus (root, NULL);

  GTK_WIDGET_CLASS (kassa_sell_page_parent_class)->unmap (widget);
}

static gboolean
kassa_sell_page_grab_focus (GtkWidget *widget)
{
  KassaSellPage *self = KASSA_SELL_PAGE (widget);

  if (self->till != NULL)
    return gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));

  return GTK_WIDGET_CLASS (kassa_sell_page_parent_class)->grab_focus (widget);
}

static void
kassa_sell_page_dispose (GObject *object)
{
  KassaSellPage *self = KASSA_SELL_PAGE (object);

  g_clear_handle_id (&self->typed_search_id, g_source_remove);
  g_clear_handle_id (&self->burst_flush_id, g_source_remove);
  set_till (self, NULL);
  if (self->cart_view != NULL)
    gtk_column_view_set_model (self->cart_view, NULL);
  if (self->results_view != NULL)
    gtk_list_view_set_model (self->results_view, NULL);

  /* AdwBin unparents its child itself; the template must not as well. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), KASSA_TYPE_SELL_PAGE);

  g_clear_object (&self->undo_line);
  g_clear_object (&self->cart_selection);
  g_clear_object (&self->cart);
  g_clear_object (&self->results_selection);
  g_clear_object (&self->results);
  g_clear_pointer (&self->result_slots, g_ptr_array_unref);
  g_clear_object (&self->shop);

  G_OBJECT_CLASS (kassa_sell_page_parent_class)->dispose (object);
}

static void
kassa_sell_page_finalize (GObject *object)
{
  KassaSellPage *self = KASSA_SELL_PAGE (object);

  g_clear_pointer (&self->bound_cells, g_hash_table_unref);
  g_clear_pointer (&self->searched_text, g_free);
  g_string_free (self->burst, TRUE);

  G_OBJECT_CLASS (kassa_sell_page_parent_class)->finalize (object);
}

static void
kassa_sell_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KassaSellPage *self = KASSA_SELL_PAGE (object);

  switch (prop_id)
    {
    case PROP_SHOP:
      g_value_set_object (value, self->shop);
      break;
    case PROP_TILL:
      g_value_set_object (value, self->till);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_sell_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KassaSellPage *self = KASSA_SELL_PAGE (object);

  switch (prop_id)
    {
    case PROP_SHOP:
      kassa_sell_page_set_shop (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_sell_page_class_init (KassaSellPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kassa_sell_page_dispose;
  object_class->finalize = kassa_sell_page_finalize;
  object_class->get_property = kassa_sell_page_get_property;
  object_class->set_property = kassa_sell_page_set_property;
  widget_class->root = kassa_sell_page_root;
  widget_class->map = kassa_sell_page_map;
  widget_class->unmap = kassa_sell_page_unmap;
  widget_class->grab_focus = kassa_sell_page_grab_focus;

  properties[PROP_SHOP] =
    g_param_spec_object ("shop", NULL, NULL, KASSA_TYPE_SHOP,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TILL] =
    g_param_spec_object ("till", NULL, NULL, KASSA_TYPE_TILL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kassapos/Kassa/ui/kassa-sell-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KassaSellPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KassaSellPage, main_stack);
  gtk_widget_class_bind_template_child (widget_class, KassaSellPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KassaSellPage, message_revealer);
  gtk_widget_class_bind_template_child (widget_class, KassaSellPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, KassaSellPage, results_window);
  gtk_widget_class_bind_template_child (widget_class, KassaSellPage, results_view);
  gtk_widget_class_bind_template_child (widget_class, KassaSellPage, cart_view);
  gtk_widget_class_bind_template_child (widget_class, KassaSellPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, KassaSellPage, customer_label);
  gtk_widget_class_bind_template_child (widget_class, KassaSellPage, delivery_label);
  gtk_widget_class_bind_template_child (widget_class, KassaSellPage, untaxed_label);
  gtk_widget_class_bind_template_child (widget_class, KassaSellPage, tax_box);
  gtk_widget_class_bind_template_child (widget_class, KassaSellPage, discount_title_label);
  gtk_widget_class_bind_template_child (widget_class, KassaSellPage, discount_label);
  gtk_widget_class_bind_template_child (widget_class, KassaSellPage, total_label);
  gtk_widget_class_bind_template_child (widget_class, KassaSellPage, amount_due_label);
  gtk_widget_class_bind_template_child (widget_class, KassaSellPage, parked_button);
  gtk_widget_class_bind_template_child (widget_class, KassaSellPage, live_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, message_close_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, results_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, result_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, result_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, result_unbind_cb);
  gtk_widget_class_bind_template_callback (widget_class, text_cell_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, number_cell_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_cell_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, quantity_cell_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, price_cell_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, discount_cell_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, total_cell_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, cell_unbind_cb);

  gtk_widget_class_install_action (widget_class, "sell.pay", NULL, pay_action);
  gtk_widget_class_install_action (widget_class, "sell.discount", NULL, discount_action);
  gtk_widget_class_install_action (widget_class, "sell.park", NULL, park_action);
  gtk_widget_class_install_action (widget_class, "sell.show-parked", NULL, show_parked_action);
  gtk_widget_class_install_action (widget_class, "sell.customer", NULL, customer_action);
  gtk_widget_class_install_action (widget_class, "sell.no-sale", NULL, no_sale_action);
  gtk_widget_class_install_action (widget_class, "sell.quantity-up", NULL, quantity_up_action);
  gtk_widget_class_install_action (widget_class, "sell.quantity-down", NULL, quantity_down_action);
  gtk_widget_class_install_action (widget_class, "sell.quantity-entry", NULL, quantity_entry_action);
  gtk_widget_class_install_action (widget_class, "sell.remove-line", NULL, remove_line_action);
  gtk_widget_class_install_action (widget_class, "sell.undo-remove", NULL, undo_remove_action);
  gtk_widget_class_install_action (widget_class, "sell.focus-search", NULL, focus_search_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F12, 0, "sell.pay", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F8, 0, "sell.discount", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F6, 0, "sell.park", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F6, GDK_SHIFT_MASK, "sell.show-parked", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F7, 0, "sell.customer", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F4, 0, "sell.no-sale", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "sell.quantity-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "sell.quantity-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "sell.quantity-down", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "sell.quantity-down", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_asterisk, 0, "sell.quantity-entry", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Multiply, 0, "sell.quantity-entry", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "sell.remove-line", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "sell.remove-line", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "sell.undo-remove", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "sell.focus-search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F3, 0, "sell.focus-search", NULL);

  g_type_ensure (KASSA_TYPE_PAYMENT_DIALOG);
  g_type_ensure (KASSA_TYPE_CUSTOMER_DIALOG);
}

static void
kassa_sell_page_init (KassaSellPage *self)
{
  GtkEventController *controller;

  self->bound_cells = g_hash_table_new (NULL, NULL);
  self->burst = g_string_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->results = g_list_store_new (KASSA_TYPE_RESULT_SLOT);
  self->result_slots = g_ptr_array_new_with_free_func (g_object_unref);
  self->results_selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->results)));
  gtk_single_selection_set_autoselect (self->results_selection, TRUE);
  gtk_list_view_set_model (self->results_view, GTK_SELECTION_MODEL (self->results_selection));

  /* Before the entry's own text handling: Enter, the arrows and the
   * cart keys are the till's, and every keystroke's time is noted. */
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (search_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), controller);

  /* A scan or a search typed while the cart has the focus still lands in
   * the entry; the page's own keys (+, -, Delete…) are matched first. */
  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (page_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gtk_menu_button_set_create_popup_func (self->parked_button, parked_create_popup_cb, self, NULL);

  gtk_stack_set_visible_child_name (self->main_stack, "signed-out");
  update_totals (self);
  update_actions (self);
}

KassaShop *
kassa_sell_page_get_shop (KassaSellPage *self)
{
  g_return_val_if_fail (KASSA_IS_SELL_PAGE (self), NULL);

  return self->shop;
}

void
kassa_sell_page_set_shop (KassaSellPage *self,
                          KassaShop     *shop)
{
  g_return_if_fail (KASSA_IS_SELL_PAGE (self));
  g_return_if_fail (shop == NULL || KASSA_IS_SHOP (shop));

  if (g_set_object (&self->shop, shop))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOP]);

  open_till (self);
}

void
kassa_sell_page_reload (KassaSellPage *self)
{
  g_return_if_fail (KASSA_IS_SELL_PAGE (self));

  set_till (self, NULL);
  open_till (self);
}

KassaTill *
kassa_sell_page_get_till (KassaSellPage *self)
{
  g_return_val_if_fail (KASSA_IS_SELL_PAGE (self), NULL);

  return self->till;
}

void
kassa_sell_page_set_clock (KassaSellPage      *self,
                           KassaSellPageClock  clock,
                           gpointer            user_data)
{
  g_return_if_fail (KASSA_IS_SELL_PAGE (self));

  self->clock = clock;
  self->clock_data = user_data;
}
