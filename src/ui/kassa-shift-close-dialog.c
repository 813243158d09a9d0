/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-shift-close-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "kassa-currency.h"
#include "kassa-money.h"
#include "kassa-receipt-output.h"
#include "kassa-shift-close-dialog.h"
#include "kassa-shop-shift-print.h"
#include "kassa-window.h"
#include "kassa-shop-shifts.h"

struct _KassaShiftCloseDialog
{
  AdwWindow             parent_instance;

  KassaShop            *shop;
  char                 *currency_code;
  const KassaCurrency  *currency;
  const gint64         *denominations;
  gsize                 n_denominations;
  GPtrArray            *spins;
  KassaShiftReport     *report;
  GSettings            *settings;

  AdwWindowTitle       *window_title;
  GtkButton            *close_shift_button;
  GtkButton            *done_button;
  GtkButton            *print_button;
  GtkButton            *cancel_button;
  GtkStack             *stack;
  GtkGrid              *count_grid;
  GtkLabel             *total_label;
  GtkLabel             *error_label;
  KassaShiftReportView *report_view;
};

G_DEFINE_FINAL_TYPE (KassaShiftCloseDialog, kassa_shift_close_dialog, ADW_TYPE_WINDOW)

enum {
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
format_money (KassaShiftCloseDialog *self,
              gint64                 amount)
{
  return kassa_money_format_display (self->currency, amount);
}

static gint64
counted_total (KassaShiftCloseDialog *self)
{
  gint64 total = 0;

  for (gsize i = 0; i < self->n_denominations; i++)
    {
      GtkSpinButton *spin = g_ptr_array_index (self->spins, i);
      gint64 pieces = gtk_spin_button_get_value_as_int (spin);
      gint64 value;

      /* The spin buttons' range keeps these far from overflowing. */
      if (kassa_checked_mul (self->denominations[i], pieces, &value))
        kassa_checked_add (total, value, &total);
    }

  return total;
}

static void
count_changed_cb (KassaShiftCloseDialog *self)
{
  g_autofree char *amount = format_money (self, counted_total (self));
  g_autofree char *text = g_strdup_printf (_("Counted: %s"), amount);

  gtk_label_set_label (self->total_label, text);
}

static void
show_error (KassaShiftCloseDialog *self,
            const char            *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
close_shift_cb (KassaShiftCloseDialog *self)
{
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (KassaDenominationCount));
  g_autoptr(KassaShiftReport) report = NULL;
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < self->n_denominations; i++)
    {
      GtkSpinButton *spin = g_ptr_array_index (self->spins, i);
      KassaDenominationCount count = { self->denominations[i], 0 };

      /* Take what is typed even if the spin button has not lost focus yet. */
      gtk_spin_button_update (spin);
      count.count = gtk_spin_button_get_value_as_int (spin);
      if (count.count > 0)
        g_array_append_val (counts, count);
    }

  report = kassa_shop_close_shift (self->shop, NULL,
                                   (const KassaDenominationCount *) counts->data, counts->len,
                                   &error);
  if (report == NULL)
    {
      show_error (self, error->message);
      return;
    }

  kassa_shift_report_view_set_report (self->report_view, report);
  gtk_stack_set_visible_child_name (self->stack, "report");
  gtk_widget_set_visible (GTK_WIDGET (self->close_shift_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->done_button), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->print_button), TRUE);
  adw_window_title_set_title (self->window_title, _("Shift Closed"));
  gtk_widget_grab_focus (GTK_WIDGET (self->done_button));

  g_clear_pointer (&self->report, kassa_shift_report_free);
  self->report = g_steal_pointer (&report);
  g_signal_emit (self, signals[CLOSED], 0, self->report->z_number);
}

static void
report_toast (KassaShiftCloseDialog *self,
              const char            *text)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (KASSA_IS_WINDOW (parent))
    kassa_window_add_toast (KASSA_WINDOW (parent), adw_toast_new (text));
  else
    g_message ("%s", text);
}

static void
report_printed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(KassaShiftCloseDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kassa_receipt_output_print_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_warning ("The Z report did not print: %s", error->message);
      report_toast (self, error->message);
    }
  /* The dialog may be gone by the time a slow printer answers. */
  if (self->print_button != NULL)
    gtk_widget_set_sensitive (GTK_WIDGET (self->print_button), TRUE);
}

static void
print_report_cb (KassaShiftCloseDialog *self)
{
  g_autoptr(KassaShiftReportPrint) print = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (self->report != NULL);

  /* The frozen figures just shown; the same report prints again later
   * from the stored shift. */
  print = kassa_shop_build_shift_report_print (self->shop, self->report, &error);
  if (print == NULL)
    {
      report_toast (self, error->message);
      return;
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->print_button), FALSE);
  kassa_receipt_output_print_shift_report_async (GTK_WINDOW (self), self->settings, print, NULL,
                                                 report_printed_cb, g_object_ref (self));
}

static void
build_count_grid (KassaShiftCloseDialog *self)
{
  GtkWidget *header;

  header = gtk_label_new (_("Note or coin"));
  gtk_label_set_xalign (GTK_LABEL (header), 0.0f);
  gtk_widget_add_css_class (header, "heading");
  gtk_grid_attach (self->count_grid, header, 0, 0, 1, 1);
  header = gtk_label_new (_("Pieces"));
  gtk_widget_add_css_class (header, "heading");
  gtk_grid_attach (self->count_grid, header, 1, 0, 1, 1);

  for (gsize i = 0; i < self->n_denominations; i++)
    {
      g_autofree char *value = format_money (self, self->denominations[i]);
      g_autofree char *accessible = g_strdup_printf (_("Number of %s pieces"), value);
      GtkWidget *label = gtk_label_new (value);
      GtkWidget *spin = gtk_spin_button_new_with_range (0, 100000, 1);

      gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_add_css_class (label, "numeric");
      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
      gtk_widget_set_name (spin, value);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                      -1);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (spin),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL,
                                      -1);
      g_signal_connect_object (spin, "value-changed", G_CALLBACK (count_changed_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_grid_attach (self->count_grid, label, 0, i + 1, 1, 1);
      gtk_grid_attach (self->count_grid, spin, 1, i + 1, 1, 1);
      g_ptr_array_add (self->spins, spin);
    }

  count_changed_cb (self);
}

static void
kassa_shift_close_dialog_dispose (GObject *object)
{
  KassaShiftCloseDialog *self = KASSA_SHIFT_CLOSE_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KASSA_TYPE_SHIFT_CLOSE_DIALOG);
  g_clear_pointer (&self->spins, g_ptr_array_unref);
  g_clear_object (&self->shop);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (kassa_shift_close_dialog_parent_class)->dispose (object);
}

static void
kassa_shift_close_dialog_finalize (GObject *object)
{
  KassaShiftCloseDialog *self = KASSA_SHIFT_CLOSE_DIALOG (object);

  g_free (self->currency_code);
  g_clear_pointer (&self->report, kassa_shift_report_free);

  G_OBJECT_CLASS (kassa_shift_close_dialog_parent_class)->finalize (object);
}

static void
kassa_shift_close_dialog_class_init (KassaShiftCloseDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kassa_shift_close_dialog_dispose;
  object_class->finalize = kassa_shift_close_dialog_finalize;

  signals[CLOSED] = g_signal_new ("closed",
                                  G_TYPE_FROM_CLASS (klass),
                                  G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 1, G_TYPE_INT64);

  g_type_ensure (KASSA_TYPE_SHIFT_REPORT_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kassapos/Kassa/ui/kassa-shift-close-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KassaShiftCloseDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, KassaShiftCloseDialog, close_shift_button);
  gtk_widget_class_bind_template_child (widget_class, KassaShiftCloseDialog, done_button);
  gtk_widget_class_bind_template_child (widget_class, KassaShiftCloseDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KassaShiftCloseDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, KassaShiftCloseDialog, count_grid);
  gtk_widget_class_bind_template_child (widget_class, KassaShiftCloseDialog, total_label);
  gtk_widget_class_bind_template_child (widget_class, KassaShiftCloseDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, KassaShiftCloseDialog, report_view);
  gtk_widget_class_bind_template_callback (widget_class, close_shift_cb);
  gtk_widget_class_bind_template_callback (widget_class, print_report_cb);
  gtk_widget_class_bind_template_child (widget_class, KassaShiftCloseDialog, print_button);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
kassa_shift_close_dialog_init (KassaShiftCloseDialog *self)
{
  self->spins = g_ptr_array_new ();
  self->settings = g_settings_new (APP_ID);

  gtk_widget_init_template (GTK_WIDGET (self));
}

KassaShiftCloseDialog *
kassa_shift_close_dialog_new (GtkWindow *parent,
                              KassaShop *shop)
{
  KassaShiftCloseDialog *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (KASSA_IS_SHOP (shop), NULL);

  self = g_object_new (KASSA_TYPE_SHIFT_CLOSE_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->shop = g_object_ref (shop);
  self->currency_code = kassa_shop_get_shift_currency (shop, NULL, &error);
  if (self->currency_code != NULL)
    self->currency = kassa_currency_lookup (self->currency_code, NULL);
  if (self->currency == NULL)
    {
      g_warning ("Could not read the drawer's currency: %s", error != NULL ? error->message : "unknown code");
      self->currency = kassa_currency_lookup ("EUR", NULL);
    }

  self->denominations = kassa_shift_get_denominations (kassa_currency_get_code (self->currency),
                                                       &self->n_denominations);
  build_count_grid (self);

  if (self->spins->len > 0)
    gtk_widget_grab_focus (g_ptr_array_index (self->spins, 0));

  return self;
}

GtkSpinButton *
kassa_shift_close_dialog_get_spin (KassaShiftCloseDialog *self,
                                   gint64                 denomination)
{
  g_return_val_if_fail (KASSA_IS_SHIFT_CLOSE_DIALOG (self), NULL);

  for (gsize i = 0; i < self->n_denominations; i++)
    if (self->denominations[i] == denomination)
      return g_ptr_array_index (self->spins, i);

  return NULL;
}

gint64
kassa_shift_close_dialog_get_counted (KassaShiftCloseDialog *self)
{
  g_return_val_if_fail (KASSA_IS_SHIFT_CLOSE_DIALOG (self), 0);

  return counted_total (self);
}

void
kassa_shift_close_dialog_close_shift (KassaShiftCloseDialog *self)
{
  g_return_if_fail (KASSA_IS_SHIFT_CLOSE_DIALOG (self));

  close_shift_cb (self);
}

KassaShiftReportView *
kassa_shift_close_dialog_get_report_view (KassaShiftCloseDialog *self)
{
  g_return_val_if_fail (KASSA_IS_SHIFT_CLOSE_DIALOG (self), NULL);

  return self->report_view;
}

const char *
kassa_shift_close_dialog_get_page (KassaShiftCloseDialog *self)
{
  g_return_val_if_fail (KASSA_IS_SHIFT_CLOSE_DIALOG (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

const KassaShiftReport *
kassa_shift_close_dialog_get_report (KassaShiftCloseDialog *self)
{
  g_return_val_if_fail (KASSA_IS_SHIFT_CLOSE_DIALOG (self), NULL);
  return self->report;
}

void
kassa_shift_close_dialog_print_report (KassaShiftCloseDialog *self)
{
  g_return_if_fail (KASSA_IS_SHIFT_CLOSE_DIALOG (self));
  g_return_if_fail (self->report != NULL);

  print_report_cb (self);
}
