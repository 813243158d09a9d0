/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KASSA_TYPE_INVOICES_PAGE (kassa_invoices_page_get_type ())

G_DECLARE_FINAL_TYPE (KassaInvoicesPage, kassa_invoices_page, KASSA, INVOICES_PAGE, AdwBin)

G_END_DECLS
