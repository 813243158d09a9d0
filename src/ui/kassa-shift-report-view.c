/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-shift-report-view"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "kassa-currency.h"
#include "kassa-money.h"
#include "kassa-shift-report-view.h"

struct _KassaShiftReportView
{
  AdwBin            parent_instance;

  KassaShiftReport *report;

  GtkLabel         *title_label;
  GtkLabel         *difference_label;
  GtkListBox       *drawer_list;
  GtkListBox       *tender_list;
};

G_DEFINE_FINAL_TYPE (KassaShiftReportView, kassa_shift_report_view, ADW_TYPE_BIN)

static char *
format_money (const KassaShiftReport *report,
              gint64                  amount)
{
  const KassaCurrency *currency = kassa_currency_lookup (report->currency, NULL);

  if (currency == NULL)
    return g_strdup_printf ("%" PRId64 " %s", amount, report->currency);

  return kassa_money_format_display (currency, amount);
}

/* "2026-11-28T06:04:29.125754Z" as people read it, in local time. */
static char *
format_time (const char *iso)
{
  g_autoptr(GDateTime) utc = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup (iso != NULL ? iso : "");

  local = g_date_time_to_local (utc);
  /* Translators: a date and time on shift reports, see g_date_time_format() */
  return g_date_time_format (local, _("%Y-%m-%d %H:%M"));
}

static void
add_row (GtkListBox *list,
         const char *title,
         const char *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_add_css_class (label, "numeric");
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  g_object_set_data_full (G_OBJECT (row), "kassa-title", g_strdup (title), g_free);
  g_object_set_data_full (G_OBJECT (row), "kassa-value", g_strdup (value), g_free);
  gtk_list_box_append (list, row);
}

static void
add_money_row (KassaShiftReportView *self,
               GtkListBox           *list,
               const char           *title,
               gint64                amount)
{
  g_autofree char *value = format_money (self->report, amount);

  add_row (list, title, value);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static const char *
provider_title (const char *provider)
{
  if (g_str_equal (provider, "cash"))
    return _("Cash");
  if (g_str_equal (provider, "stripe_checkout"))
    return _("Stripe QR");
  if (g_str_equal (provider, "stripe_terminal"))
    return _("Card reader (Stripe)");

  return provider;
}

static void
rebuild (KassaShiftReportView *self)
{
  const KassaShiftReport *report = self->report;
  g_autofree char *title = NULL;
  g_autofree char *no_sales = NULL;
  g_autofree char *opened = NULL;
  g_autofree char *opened_at = NULL;

  clear_list (self->drawer_list);
  clear_list (self->tender_list);

  if (report == NULL)
    {
      gtk_label_set_label (self->title_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->difference_label), FALSE);
      return;
    }

  if (report->final)
    title = g_strdup_printf (_("Z Report %" PRId64 " — Register “%s”"),
                             report->z_number, report->register_name);
  else
    title = g_strdup_printf (_("X Report — Register “%s”, Shift Still Open"), report->register_name);
  gtk_label_set_label (self->title_label, title);

  opened_at = format_time (report->opened_at);
  /* Translators: when and by whom, "2026-11-28 08:00 by Ada" */
  opened = g_strdup_printf (_("%s by %s"), opened_at,
                            report->opened_by_name != NULL ? report->opened_by_name : "");
  add_row (self->drawer_list, _("Opened"), opened);
  if (report->final)
    {
      g_autofree char *closed_at = format_time (report->closed_at);
      g_autofree char *closed = g_strdup_printf (_("%s by %s"), closed_at,
                                                 report->closed_by_name != NULL ? report->closed_by_name : "");
      add_row (self->drawer_list, _("Closed"), closed);
    }

  add_money_row (self, self->drawer_list, _("Opening float"), report->opening_float);
  add_money_row (self, self->drawer_list, _("Cash sales"), report->cash_sales);
  add_money_row (self, self->drawer_list, _("Cash refunds"), report->cash_refunds);
  add_money_row (self, self->drawer_list, _("Paid in"), report->paid_in);
  add_money_row (self, self->drawer_list, _("Paid out"), report->paid_out);
  no_sales = g_strdup_printf ("%" PRId64, report->no_sales);
  add_row (self->drawer_list, _("Drawer opened without a sale"), no_sales);
  add_money_row (self, self->drawer_list, _("Expected cash"), report->expected_cash);

  if (report->final)
    {
      g_autofree char *amount = format_money (report, ABS (report->difference));
      g_autofree char *difference = NULL;

      add_money_row (self, self->drawer_list, _("Counted cash"), report->counted_cash);

      if (report->difference > 0)
        difference = g_strdup_printf (_("Over by %s"), amount);
      else if (report->difference < 0)
        difference = g_strdup_printf (_("Short by %s"), amount);
      else
        difference = g_strdup (_("The drawer balances"));

      add_row (self->drawer_list, _("Over or short"), difference);
      gtk_label_set_label (self->difference_label, difference);
      gtk_widget_remove_css_class (GTK_WIDGET (self->difference_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->difference_label), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->difference_label),
                                report->difference < 0 ? "error" : "success");
      gtk_widget_set_visible (GTK_WIDGET (self->difference_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->difference_label), FALSE);

  for (guint i = 0; i < report->tenders->len; i++)
    {
      const KassaShiftTender *tender = g_ptr_array_index (report->tenders, i);
      g_autofree char *amount = format_money (report, tender->amount);
      g_autofree char *value = g_strdup_printf (g_dngettext (NULL, "%s in %" PRId64 " payment",
                                                             "%s in %" PRId64 " payments",
                                                             tender->payments),
                                                amount, tender->payments);

      add_row (self->tender_list, provider_title (tender->provider), value);
    }
  add_money_row (self, self->tender_list, _("Card and QR total to reconcile with Stripe"),
                 report->card_total);
}

static void
kassa_shift_report_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KASSA_TYPE_SHIFT_REPORT_VIEW);

  G_OBJECT_CLASS (kassa_shift_report_view_parent_class)->dispose (object);
}

static void
kassa_shift_report_view_finalize (GObject *object)
{
  KassaShiftReportView *self = KASSA_SHIFT_REPORT_VIEW (object);

  g_clear_pointer (&self->report, kassa_shift_report_free);

  G_OBJECT_CLASS (kassa_shift_report_view_parent_class)->finalize (object);
}

static void
kassa_shift_report_view_class_init (KassaShiftReportViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kassa_shift_report_view_dispose;
  object_class->finalize = kassa_shift_report_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kassapos/Kassa/ui/kassa-shift-report-view.ui");
  gtk_widget_class_bind_template_child (widget_class, KassaShiftReportView, title_label);
  gtk_widget_class_bind_template_child (widget_class, KassaShiftReportView, difference_label);
  gtk_widget_class_bind_template_child (widget_class, KassaShiftReportView, drawer_list);
  gtk_widget_class_bind_template_child (widget_class, KassaShiftReportView, tender_list);
}

static void
kassa_shift_report_view_init (KassaShiftReportView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

KassaShiftReportView *
kassa_shift_report_view_new (void)
{
  return g_object_new (KASSA_TYPE_SHIFT_REPORT_VIEW, NULL);
}

void
kassa_shift_report_view_set_report (KassaShiftReportView   *self,
                                    const KassaShiftReport *report)
{
  g_return_if_fail (KASSA_IS_SHIFT_REPORT_VIEW (self));

  g_clear_pointer (&self->report, kassa_shift_report_free);
  if (report != NULL)
    self->report = kassa_shift_report_copy (report);

  rebuild (self);
}

const KassaShiftReport *
kassa_shift_report_view_get_report (KassaShiftReportView *self)
{
  g_return_val_if_fail (KASSA_IS_SHIFT_REPORT_VIEW (self), NULL);

  return self->report;
}

const char *
kassa_shift_report_view_get_difference (KassaShiftReportView *self)
{
  g_return_val_if_fail (KASSA_IS_SHIFT_REPORT_VIEW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->difference_label)))
    return NULL;

  return gtk_label_get_label (self->difference_label);
}

const char *
kassa_shift_report_view_lookup (KassaShiftReportView *self,
                                const char           *title)
{
  GtkListBox *lists[2];

  g_return_val_if_fail (KASSA_IS_SHIFT_REPORT_VIEW (self), NULL);
  g_return_val_if_fail (title != NULL, NULL);

  lists[0] = self->drawer_list;
  lists[1] = self->tender_list;
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (lists[i]));
         row != NULL;
         row = gtk_widget_get_next_sibling (row))
      {
        if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "kassa-title"), title) == 0)
          return g_object_get_data (G_OBJECT (row), "kassa-value");
      }

  return NULL;
}
