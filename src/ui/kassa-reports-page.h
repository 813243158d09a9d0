/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KASSA_TYPE_REPORTS_PAGE (kassa_reports_page_get_type ())

G_DECLARE_FINAL_TYPE (KassaReportsPage, kassa_reports_page, KASSA, REPORTS_PAGE, AdwBin)

G_END_DECLS
