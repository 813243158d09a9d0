/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-reports-page"

#include "config.h"

#include "kassa-reports-page.h"

struct _KassaReportsPage
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (KassaReportsPage, kassa_reports_page, ADW_TYPE_BIN)

static void
kassa_reports_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KASSA_TYPE_REPORTS_PAGE);

  G_OBJECT_CLASS (kassa_reports_page_parent_class)->dispose (object);
}

static void
kassa_reports_page_class_init (KassaReportsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kassa_reports_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kassapos/Kassa/ui/kassa-reports-page.ui");
}

static void
kassa_reports_page_init (KassaReportsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
