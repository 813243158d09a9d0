/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-shop-shifts"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "kassa-currency.h"
#include "kassa-error.h"
#include "kassa-settings-repository.h"
#include "kassa-shop-private.h"
#include "kassa-shop-shifts.h"
#include "kassa-staff-repository.h"
#include "kassa-store-enums.h"

G_DEFINE_BOXED_TYPE (KassaShiftReport, kassa_shift_report,
                     kassa_shift_report_copy, kassa_shift_report_free)

/* What a drawer holds, largest first. Rarely seen pieces (the USD 50 ¢
 * and dollar coins, the EUR 1 and 2 ¢ in Finland) are still listed: a
 * count of zero costs nothing, a missing row loses money. */
static const gint64 chf_denominations[] = {
  100000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5,
};
static const gint64 eur_denominations[] = {
  50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1,
};
static const gint64 usd_denominations[] = {
  10000, 5000, 2000, 1000, 500, 200, 100, 50, 25, 10, 5, 1,
};
static const gint64 gbp_denominations[] = {
  5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1,
};
static const gint64 jpy_denominations[] = {
  10000, 5000, 2000, 1000, 500, 100, 50, 10, 5, 1,
};
static const gint64 generic_denominations[] = {
  50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1,
};

static const struct
{
  const char   *code;
  const gint64 *values;
  gsize         n_values;
} denomination_tables[] = {
  { "CHF", chf_denominations, G_N_ELEMENTS (chf_denominations) },
  { "EUR", eur_denominations, G_N_ELEMENTS (eur_denominations) },
  { "USD", usd_denominations, G_N_ELEMENTS (usd_denominations) },
  { "GBP", gbp_denominations, G_N_ELEMENTS (gbp_denominations) },
  { "JPY", jpy_denominations, G_N_ELEMENTS (jpy_denominations) },
};

/* Ends the transaction the caller began: commits when @ok, else rolls
 * back and keeps the caller's error. */
static gboolean
finish (KassaShop  *shop,
        gboolean    ok,
        GError    **error)
{
  KassaDatabase *database = kassa_shop_get_database (shop);

  if (ok)
    return kassa_database_commit (database, error);

  kassa_database_rollback (database, NULL);
  return FALSE;
}

/* Succeeds when the actor holds at least one of @first and @second; the
 * error names @first, the permission the role usually has. */
static gboolean
check_either (KassaShop        *shop,
              KassaPermission   first,
              KassaPermission   second,
              GError          **error)
{
  if (kassa_shop_check_permission (shop, second, NULL))
    return TRUE;

  return kassa_shop_check_permission (shop, first, error);
}

static gboolean
audit (KassaShop   *shop,
       const char  *action,
       gint64       shift_id,
       JsonBuilder *details,
       GError     **error)
{
  g_autofree char *entity_id = g_strdup_printf ("%" PRId64, shift_id);
  g_autoptr(JsonNode) node = NULL;

  json_builder_end_object (details);
  node = json_builder_get_root (details);

  return kassa_audit_log_record (kassa_shop_get_audit_log (shop), kassa_shop_get_actor_id (shop),
                                 action, "shift", entity_id, node, error) > 0;
}

static JsonBuilder *
details_new (void)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);

  return builder;
}

static const char *
register_or_default (const char *register_name)
{
  return register_name != NULL ? register_name : KASSA_SHIFT_DEFAULT_REGISTER;
}

static KassaShiftRecord *
require_open_shift (KassaShiftRepository  *repo,
                    const char            *register_name,
                    GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  KassaShiftRecord *shift;

  shift = kassa_shift_repository_get_open (repo, register_name, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (shift == NULL)
    g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                 _("No shift is open on register “%s”"), register_or_default (register_name));

  return shift;
}

static char *
staff_name (KassaShop *shop,
            gint64     staff_id)
{
  g_autoptr(KassaStaffRepository) repo = NULL;
  g_autoptr(KassaStaff) staff = NULL;

  if (staff_id <= 0)
    return g_strdup (_("System"));

  repo = kassa_staff_repository_new (kassa_shop_get_database (shop));
  staff = kassa_staff_repository_get (repo, staff_id, NULL);
  if (staff == NULL)
    return g_strdup_printf (_("Staff member %" PRId64), staff_id);

  return g_strdup (kassa_staff_get_name (staff));
}

static KassaShiftReport *
report_new (void)
{
  KassaShiftReport *report = g_new0 (KassaShiftReport, 1);

  report->counts = g_array_new (FALSE, FALSE, sizeof (KassaDenominationCount));
  report->tenders = g_ptr_array_new_with_free_func ((GDestroyNotify) kassa_shift_tender_free);

  return report;
}

static void
report_sum_cards (KassaShiftReport *report)
{
  report->card_total = 0;
  for (guint i = 0; i < report->tenders->len; i++)
    {
      KassaShiftTender *tender = g_ptr_array_index (report->tenders, i);

      if (g_str_has_prefix (tender->provider, KASSA_SHIFT_STRIPE_PROVIDER_PREFIX))
        report->card_total += tender->amount;
    }
}

static gint64
member_int (JsonObject *object,
            const char *name)
{
  return json_object_get_int_member_with_default (object, name, 0);
}

/* A Z report is read back from the JSON frozen at the close, never
 * computed again: what was journaled is what is shown and printed. */
static KassaShiftReport *
report_from_z (KassaShop        *shop,
               KassaShiftRecord *shift,
               GError          **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(KassaShiftReport) report = NULL;
  JsonObject *object;
  JsonObject *journal;
  JsonArray *array;

  if (!json_parser_load_from_data (parser, shift->z_report, -1, error))
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("The Z report of shift %" PRId64 " is damaged"), shift->id);
      return NULL;
    }

  object = json_node_get_object (json_parser_get_root (parser));
  report = report_new ();
  report->final = TRUE;
  report->shift_id = shift->id;
  report->z_number = member_int (object, "z_number");
  report->register_name = g_strdup (json_object_get_string_member_with_default (object, "register", shift->register_name));
  report->currency = g_strdup (json_object_get_string_member_with_default (object, "currency", shift->currency));
  report->opened_by = member_int (object, "opened_by");
  report->opened_at = g_strdup (json_object_get_string_member_with_default (object, "opened_at", shift->opened_at));
  report->closed_by = member_int (object, "closed_by");
  report->closed_at = g_strdup (json_object_get_string_member_with_default (object, "closed_at", shift->closed_at));
  report->opening_float = member_int (object, "opening_float");
  report->cash_sales = member_int (object, "cash_sales");
  report->cash_refunds = member_int (object, "cash_refunds");
  report->paid_in = member_int (object, "paid_in");
  report->paid_out = member_int (object, "paid_out");
  report->no_sales = member_int (object, "no_sales");
  report->expected_cash = member_int (object, "expected_cash");
  report->counted_cash = member_int (object, "counted_cash");
  report->difference = member_int (object, "difference");
  report->opened_by_name = staff_name (shop, report->opened_by);
  report->closed_by_name = staff_name (shop, report->closed_by);

  array = json_object_get_array_member (object, "count");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *line = json_array_get_object_element (array, i);
      KassaDenominationCount count = { member_int (line, "denomination"), member_int (line, "count") };

      g_array_append_val (report->counts, count);
    }

  array = json_object_has_member (object, "tenders") ? json_object_get_array_member (object, "tenders") : NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *line = json_array_get_object_element (array, i);
      KassaShiftTender *tender = g_new0 (KassaShiftTender, 1);

      tender->provider = g_strdup (json_object_get_string_member_with_default (line, "provider", ""));
      tender->payments = member_int (line, "payments");
      tender->amount = member_int (line, "amount");
      g_ptr_array_add (report->tenders, tender);
    }

  report_sum_cards (report);

  journal = json_object_has_member (object, "journal") ? json_object_get_object_member (object, "journal") : NULL;
  if (journal != NULL && json_object_has_member (journal, "hash"))
    {
      report->journal_entries = member_int (journal, "entries");
      report->journal_hash = g_strdup (json_object_get_string_member (journal, "hash"));
    }

  return g_steal_pointer (&report);
}

static gint64
add_movement (KassaShop              *shop,
              const char             *register_name,
              KassaCashMovementKind   kind,
              gint64                  amount,
              const char             *reason,
              GError                **error)
{
  static const char * const actions[] = {
    [KASSA_CASH_MOVEMENT_PAID_IN] = "shift.paid-in",
    [KASSA_CASH_MOVEMENT_PAID_OUT] = "shift.paid-out",
    [KASSA_CASH_MOVEMENT_NO_SALE] = "shift.no-sale",
  };
  g_autoptr(KassaShiftRepository) repo = NULL;
  g_autoptr(KassaShiftRecord) shift = NULL;
  g_autoptr(JsonBuilder) details = NULL;
  KassaDatabase *database = kassa_shop_get_database (shop);
  gint64 movement_id;
  gboolean ok;

  if (kind == KASSA_CASH_MOVEMENT_NO_SALE)
    {
      if (!kassa_shop_check_permission (shop, KASSA_PERMISSION_OPEN_DRAWER, error))
        return 0;
    }
  else if (!check_either (shop, KASSA_PERMISSION_OPEN_DRAWER, KASSA_PERMISSION_MANAGE_SHIFTS, error))
    return 0;

  if (kind != KASSA_CASH_MOVEMENT_NO_SALE && amount <= 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   kind == KASSA_CASH_MOVEMENT_PAID_IN
                   ? _("Enter the amount paid in")
                   : _("Enter the amount paid out"));
      return 0;
    }

  repo = kassa_shift_repository_new (database);
  if (!kassa_database_begin (database, error))
    return 0;

  shift = require_open_shift (repo, register_name, error);
  movement_id = shift == NULL ? 0 :
    kassa_shift_repository_add_movement (repo, shift->id, kind, amount, reason,
                                         kassa_shop_get_actor_id (shop), error);
  ok = movement_id > 0;

  if (ok)
    {
      details = details_new ();
      json_builder_set_member_name (details, "movement_id");
      json_builder_add_int_value (details, movement_id);
      json_builder_set_member_name (details, "amount");
      json_builder_add_int_value (details, amount);
      json_builder_set_member_name (details, "currency");
      json_builder_add_string_value (details, shift->currency);
      json_builder_set_member_name (details, "reason");
      json_builder_add_string_value (details, reason);
      ok = audit (shop, actions[kind], shift->id, details, error);
    }

  if (!finish (shop, ok, error))
    return 0;

  return movement_id;
}

void
kassa_shift_report_free (KassaShiftReport *report)
{
  if (report == NULL)
    return;

  g_free (report->register_name);
  g_free (report->currency);
  g_free (report->opened_by_name);
  g_free (report->opened_at);
  g_free (report->closed_by_name);
  g_free (report->closed_at);
  g_free (report->journal_hash);
  g_clear_pointer (&report->counts, g_array_unref);
  g_clear_pointer (&report->tenders, g_ptr_array_unref);
  g_free (report);
}

KassaShiftReport *
kassa_shift_report_copy (const KassaShiftReport *report)
{
  KassaShiftReport *copy;

  g_return_val_if_fail (report != NULL, NULL);

  copy = g_memdup2 (report, sizeof *report);
  copy->register_name = g_strdup (report->register_name);
  copy->currency = g_strdup (report->currency);
  copy->opened_by_name = g_strdup (report->opened_by_name);
  copy->opened_at = g_strdup (report->opened_at);
  copy->closed_by_name = g_strdup (report->closed_by_name);
  copy->closed_at = g_strdup (report->closed_at);
  copy->journal_hash = g_strdup (report->journal_hash);

  copy->counts = g_array_new (FALSE, FALSE, sizeof (KassaDenominationCount));
  g_array_append_vals (copy->counts, report->counts->data, report->counts->len);

  copy->tenders = g_ptr_array_new_with_free_func ((GDestroyNotify) kassa_shift_tender_free);
  for (guint i = 0; i < report->tenders->len; i++)
    {
      const KassaShiftTender *tender = g_ptr_array_index (report->tenders, i);
      KassaShiftTender *tender_copy = g_memdup2 (tender, sizeof *tender);

      tender_copy->provider = g_strdup (tender->provider);
      g_ptr_array_add (copy->tenders, tender_copy);
    }

  return copy;
}

const gint64 *
kassa_shift_get_denominations (const char *currency_code,
                               gsize      *n_denominations)
{
  g_return_val_if_fail (n_denominations != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (denomination_tables); i++)
    {
      if (g_strcmp0 (currency_code, denomination_tables[i].code) == 0)
        {
          *n_denominations = denomination_tables[i].n_values;
          return denomination_tables[i].values;
        }
    }

  *n_denominations = G_N_ELEMENTS (generic_denominations);
  return generic_denominations;
}

KassaShiftRecord *
kassa_shop_get_open_shift (KassaShop   *shop,
                           const char  *register_name,
                           GError     **error)
{
  g_autoptr(KassaShiftRepository) repo = NULL;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  repo = kassa_shift_repository_new (kassa_shop_get_database (shop));

  return kassa_shift_repository_get_open (repo, register_name, error);
}

char *
kassa_shop_get_shift_currency (KassaShop   *shop,
                               const char  *register_name,
                               GError     **error)
{
  g_autoptr(KassaShiftRecord) open = NULL;
  g_autoptr(KassaSettingsRepository) settings_repo = NULL;
  g_autoptr(KassaStoreSettings) settings = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  open = kassa_shop_get_open_shift (shop, register_name, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (open != NULL)
    return g_strdup (open->currency);

  settings_repo = kassa_settings_repository_new (kassa_shop_get_database (shop));
  settings = kassa_settings_repository_load_settings (settings_repo, NULL, error);
  if (settings == NULL)
    return NULL;

  return g_strdup (kassa_store_settings_get_currency_code (settings));
}

gint64
kassa_shop_open_shift (KassaShop   *shop,
                       const char  *register_name,
                       gint64       opening_float,
                       GError     **error)
{
  g_autoptr(KassaShiftRepository) repo = NULL;
  g_autoptr(KassaSettingsRepository) settings_repo = NULL;
  g_autoptr(KassaStoreSettings) settings = NULL;
  g_autoptr(JsonBuilder) details = NULL;
  KassaDatabase *database;
  const char *currency;
  gint64 shift_id;
  gboolean ok;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!check_either (shop, KASSA_PERMISSION_SELL, KASSA_PERMISSION_MANAGE_SHIFTS, error))
    return 0;

  database = kassa_shop_get_database (shop);
  settings_repo = kassa_settings_repository_new (database);
  settings = kassa_settings_repository_load_settings (settings_repo, NULL, error);
  if (settings == NULL)
    return 0;
  currency = kassa_store_settings_get_currency_code (settings);

  repo = kassa_shift_repository_new (database);
  if (!kassa_database_begin (database, error))
    return 0;

  shift_id = kassa_shift_repository_open (repo, register_name, kassa_shop_get_actor_id (shop),
                                          currency, opening_float, error);
  ok = shift_id > 0;
  if (ok)
    {
      details = details_new ();
      json_builder_set_member_name (details, "register");
      json_builder_add_string_value (details, register_or_default (register_name));
      json_builder_set_member_name (details, "opening_float");
      json_builder_add_int_value (details, opening_float);
      json_builder_set_member_name (details, "currency");
      json_builder_add_string_value (details, currency);
      ok = audit (shop, "shift.open", shift_id, details, error);
    }

  if (!finish (shop, ok, error))
    return 0;

  return shift_id;
}

gint64
kassa_shop_paid_in (KassaShop   *shop,
                    const char  *register_name,
                    gint64       amount,
                    const char  *reason,
                    GError     **error)
{
  g_return_val_if_fail (KASSA_IS_SHOP (shop), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  return add_movement (shop, register_name, KASSA_CASH_MOVEMENT_PAID_IN, amount, reason, error);
}

gint64
kassa_shop_paid_out (KassaShop   *shop,
                     const char  *register_name,
                     gint64       amount,
                     const char  *reason,
                     GError     **error)
{
  g_return_val_if_fail (KASSA_IS_SHOP (shop), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  return add_movement (shop, register_name, KASSA_CASH_MOVEMENT_PAID_OUT, amount, reason, error);
}

gint64
kassa_shop_no_sale (KassaShop   *shop,
                    const char  *register_name,
                    const char  *reason,
                    GError     **error)
{
  g_return_val_if_fail (KASSA_IS_SHOP (shop), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  return add_movement (shop, register_name, KASSA_CASH_MOVEMENT_NO_SALE, 0, reason, error);
}

KassaShiftReport *
kassa_shop_get_x_report (KassaShop   *shop,
                         const char  *register_name,
                         GError     **error)
{
  g_autoptr(KassaShiftRepository) repo = NULL;
  g_autoptr(KassaShiftRecord) shift = NULL;
  g_autoptr(KassaShiftReport) report = NULL;
  g_autoptr(GPtrArray) tenders = NULL;
  KassaShiftCash cash;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_either (shop, KASSA_PERMISSION_VIEW_REPORTS, KASSA_PERMISSION_MANAGE_SHIFTS, error))
    return NULL;

  repo = kassa_shift_repository_new (kassa_shop_get_database (shop));
  shift = require_open_shift (repo, register_name, error);
  if (shift == NULL ||
      !kassa_shift_repository_compute_cash (repo, shift->id, &cash, error))
    return NULL;

  tenders = kassa_shift_repository_list_tenders (repo, shift->id, error);
  if (tenders == NULL)
    return NULL;

  report = report_new ();
  report->final = FALSE;
  report->shift_id = shift->id;
  report->register_name = g_strdup (shift->register_name);
  report->currency = g_strdup (shift->currency);
  report->opened_by = shift->opened_by;
  report->opened_by_name = staff_name (shop, shift->opened_by);
  report->opened_at = g_strdup (shift->opened_at);
  report->opening_float = cash.opening_float;
  report->cash_sales = cash.cash_sales;
  report->cash_refunds = cash.cash_refunds;
  report->paid_in = cash.paid_in;
  report->paid_out = cash.paid_out;
  report->no_sales = cash.no_sales;
  report->expected_cash = cash.expected_cash;
  g_ptr_array_extend_and_steal (report->tenders, g_steal_pointer (&tenders));
  report_sum_cards (report);

  return g_steal_pointer (&report);
}

KassaShiftReport *
kassa_shop_close_shift (KassaShop                     *shop,
                        const char                    *register_name,
                        const KassaDenominationCount  *counts,
                        gsize                          n_counts,
                        GError                       **error)
{
  g_autoptr(KassaShiftRepository) repo = NULL;
  g_autoptr(KassaShiftRecord) shift = NULL;
  g_autoptr(KassaShiftRecord) closed = NULL;
  g_autoptr(JsonBuilder) details = NULL;
  KassaDatabase *database;
  gint64 z_number = 0;
  gboolean ok;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), NULL);
  g_return_val_if_fail (counts != NULL || n_counts == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_either (shop, KASSA_PERMISSION_SELL, KASSA_PERMISSION_MANAGE_SHIFTS, error))
    return NULL;

  database = kassa_shop_get_database (shop);
  repo = kassa_shift_repository_new (database);

  /* The repository's own transaction nests as a savepoint, so the Z
   * report, the journal entry and the audit entry land together. */
  if (!kassa_database_begin (database, error))
    return NULL;

  shift = require_open_shift (repo, register_name, error);
  ok = shift != NULL;
  if (ok)
    {
      z_number = kassa_shift_repository_close (repo, shift->id, kassa_shop_get_actor_id (shop),
                                               counts, n_counts, kassa_shop_get_journal (shop), error);
      ok = z_number > 0;
    }

  if (ok)
    {
      closed = kassa_shift_repository_get (repo, shift->id, error);
      ok = closed != NULL;
    }

  if (ok)
    {
      details = details_new ();
      json_builder_set_member_name (details, "z_number");
      json_builder_add_int_value (details, z_number);
      json_builder_set_member_name (details, "counted_cash");
      json_builder_add_int_value (details, closed->counted_cash);
      json_builder_set_member_name (details, "expected_cash");
      json_builder_add_int_value (details, closed->expected_cash);
      json_builder_set_member_name (details, "difference");
      json_builder_add_int_value (details, closed->counted_cash - closed->expected_cash);
      json_builder_set_member_name (details, "currency");
      json_builder_add_string_value (details, closed->currency);
      ok = audit (shop, "shift.close", shift->id, details, error);
    }

  if (!finish (shop, ok, error))
    return NULL;

  return report_from_z (shop, closed, error);
}

KassaShiftReport *
kassa_shop_get_z_report (KassaShop  *shop,
                         gint64      shift_id,
                         GError    **error)
{
  g_autoptr(KassaShiftRepository) repo = NULL;
  g_autoptr(KassaShiftRecord) shift = NULL;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_either (shop, KASSA_PERMISSION_VIEW_REPORTS, KASSA_PERMISSION_MANAGE_SHIFTS, error))
    return NULL;

  repo = kassa_shift_repository_new (kassa_shop_get_database (shop));
  shift = kassa_shift_repository_get (repo, shift_id, error);
  if (shift == NULL)
    return NULL;

  if (!shift->closed)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("Shift %" PRId64 " is still open: it has an X report, not a Z report"),
                   shift_id);
      return NULL;
    }

  return report_from_z (shop, shift, error);
}
