/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-sell-page"

#include "config.h"

#include "kassa-sell-page.h"

struct _KassaSellPage
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (KassaSellPage, kassa_sell_page, ADW_TYPE_BIN)

static void
kassa_sell_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KASSA_TYPE_SELL_PAGE);

  G_OBJECT_CLASS (kassa_sell_page_parent_class)->dispose (object);
}

static void
kassa_sell_page_class_init (KassaSellPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kassa_sell_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kassapos/Kassa/ui/kassa-sell-page.ui");
}

static void
kassa_sell_page_init (KassaSellPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
