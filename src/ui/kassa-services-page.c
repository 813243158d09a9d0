/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-services-page"

#include "config.h"

#include "kassa-services-page.h"

struct _KassaServicesPage
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (KassaServicesPage, kassa_services_page, ADW_TYPE_BIN)

static void
kassa_services_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KASSA_TYPE_SERVICES_PAGE);

  G_OBJECT_CLASS (kassa_services_page_parent_class)->dispose (object);
}

static void
kassa_services_page_class_init (KassaServicesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kassa_services_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kassapos/Kassa/ui/kassa-services-page.ui");
}

static void
kassa_services_page_init (KassaServicesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
