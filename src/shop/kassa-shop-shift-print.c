/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-shop-shift-print"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "kassa-error.h"
#include "kassa-settings-repository.h"
#include "kassa-shop-private.h"
#include "kassa-shop-shift-print.h"

#define ACTION_PRINT_Z "shift.z-report.print"

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

static GDateTime *
parse_time (const char  *text,
            GError     **error)
{
  GDateTime *time = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  if (time == NULL)
    g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                 _("The shift report holds an unreadable time “%s”"), text != NULL ? text : "");
  return time;
}

KassaShiftReportPrint *
kassa_shop_build_shift_report_print (KassaShop               *self,
                                     const KassaShiftReport  *report,
                                     GError                 **error)
{
  g_autoptr(KassaSettingsRepository) settings = NULL;
  g_autoptr(KassaStoreProfile) profile = NULL;
  g_autoptr(KassaShiftReportPrint) print = NULL;
  g_autoptr(GDateTime) opened_at = NULL;
  g_autoptr(GDateTime) closed_at = NULL;

  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);
  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  settings = kassa_settings_repository_new (kassa_shop_get_database (self));
  profile = kassa_settings_repository_load_profile (settings, error);
  if (profile == NULL)
    return NULL;

  opened_at = parse_time (report->opened_at, error);
  if (opened_at == NULL)
    return NULL;
  if (report->final)
    {
      closed_at = parse_time (report->closed_at, error);
      if (closed_at == NULL)
        return NULL;
    }

  print = kassa_shift_report_print_new (profile, report->currency, report->final, error);
  if (print == NULL)
    return NULL;

  kassa_shift_report_print_set_shift (print, report->z_number, report->register_name,
                                      report->opened_by_name, opened_at,
                                      report->closed_by_name, closed_at);
  kassa_shift_report_print_set_drawer (print, report->opening_float, report->cash_sales,
                                       report->cash_refunds, report->paid_in, report->paid_out,
                                       report->no_sales, report->expected_cash,
                                       report->counted_cash, report->difference);
  for (guint i = 0; report->counts != NULL && i < report->counts->len; i++)
    {
      const KassaDenominationCount *count = &g_array_index (report->counts, KassaDenominationCount, i);

      kassa_shift_report_print_add_count (print, count->denomination, count->count);
    }
  for (guint i = 0; report->tenders != NULL && i < report->tenders->len; i++)
    {
      const KassaShiftTender *tender = g_ptr_array_index (report->tenders, i);

      kassa_shift_report_print_add_tender (print, provider_title (tender->provider),
                                           tender->payments, tender->amount);
    }
  kassa_shift_report_print_set_card_total (print, report->card_total);
  if (report->journal_hash != NULL)
    kassa_shift_report_print_set_journal (print, report->journal_entries, report->journal_hash);

  return g_steal_pointer (&print);
}

GBytes *
kassa_shop_render_shift_report (KassaShop               *self,
                                const KassaShiftReport  *report,
                                KassaShopReceiptFormat   format,
                                KassaReceiptPaper        paper,
                                GError                 **error)
{
  g_autoptr(KassaShiftReportPrint) print = NULL;

  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);
  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  print = kassa_shop_build_shift_report_print (self, report, error);
  if (print == NULL)
    return NULL;

  switch (format)
    {
    case KASSA_SHOP_RECEIPT_FORMAT_PDF:
      return kassa_print_shift_report_to_pdf_bytes (print, paper, error);

    case KASSA_SHOP_RECEIPT_FORMAT_PNG:
      return kassa_print_shift_report_to_png_bytes (print, paper, error);

    case KASSA_SHOP_RECEIPT_FORMAT_ESCPOS:
      return kassa_print_shift_report_to_escpos_bytes (print, paper, error);

    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
kassa_shop_print_z_report (KassaShop               *self,
                           gint64                   shift_id,
                           KassaShopReceiptFormat   format,
                           KassaReceiptPaper        paper,
                           const char              *path,
                           GError                 **error)
{
  g_autoptr(KassaShiftReport) report = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *entity_id = NULL;
  KassaDatabase *database;

  g_return_val_if_fail (KASSA_IS_SHOP (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* kassa_shop_get_z_report() checks who may read it. */
  report = kassa_shop_get_z_report (self, shift_id, error);
  if (report == NULL)
    return FALSE;

  bytes = kassa_shop_render_shift_report (self, report, format, paper, error);
  if (bytes == NULL)
    return FALSE;

  database = kassa_shop_get_database (self);
  entity_id = g_strdup_printf ("%" PRId64, shift_id);
  if (!kassa_database_begin (database, error))
    return FALSE;

  /* Whole or not at all, and recorded only when written. */
  if (kassa_audit_log_record (kassa_shop_get_audit_log (self), kassa_shop_get_actor_id (self),
                              ACTION_PRINT_Z, "shift", entity_id, NULL, error) == 0 ||
      !g_file_set_contents_full (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
    {
      kassa_database_rollback (database, NULL);
      return FALSE;
    }

  return kassa_database_commit (database, error);
}
