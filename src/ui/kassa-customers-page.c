/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-customers-page"

#include "config.h"

#include "kassa-customers-page.h"

struct _KassaCustomersPage
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (KassaCustomersPage, kassa_customers_page, ADW_TYPE_BIN)

static void
kassa_customers_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KASSA_TYPE_CUSTOMERS_PAGE);

  G_OBJECT_CLASS (kassa_customers_page_parent_class)->dispose (object);
}

static void
kassa_customers_page_class_init (KassaCustomersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kassa_customers_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kassapos/Kassa/ui/kassa-customers-page.ui");
}

static void
kassa_customers_page_init (KassaCustomersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
