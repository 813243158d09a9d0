/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-error.h"
#include "kassa-shop-maintenance.h"
#include "kassa-shop-shifts.h"
#include "kassa-store-error.h"

#include "shift-test-utils.h"

typedef ShiftFixture Fixture;

static KassaAuditEntry *
last_audit (Fixture *fixture)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = kassa_audit_log_list_recent (kassa_shop_get_audit_log (fixture->shop), 0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);

  return kassa_audit_entry_copy (g_ptr_array_index (entries, 0));
}

static void
test_open_permissions (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaShiftRecord) open = NULL;
  g_autoptr(KassaAuditEntry) entry = NULL;
  gint64 shift_id;

  /* Nobody signed in, a viewer, a refund approver: no. */
  g_assert_cmpint (kassa_shop_open_shift (fixture->shop, NULL, 20000, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  shift_fixture_sign_in (fixture, fixture->viewer_id);
  g_assert_cmpint (kassa_shop_open_shift (fixture->shop, NULL, 20000, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  shift_fixture_sign_in (fixture, fixture->approver_id);
  g_assert_cmpint (kassa_shop_open_shift (fixture->shop, NULL, 20000, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_null (kassa_shop_get_open_shift (fixture->shop, NULL, &error));
  g_assert_no_error (error);

  /* A cashier opens the day. */
  shift_fixture_sign_in (fixture, fixture->cashier_id);
  shift_id = kassa_shop_open_shift (fixture->shop, NULL, 20000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (shift_id, >, 0);

  open = kassa_shop_get_open_shift (fixture->shop, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (open->id, ==, shift_id);
  g_assert_cmpint (open->opening_float, ==, 20000);
  g_assert_cmpint (open->opened_by, ==, fixture->cashier_id);
  g_assert_cmpstr (open->currency, ==, "CHF");

  entry = last_audit (fixture);
  g_assert_cmpstr (entry->action, ==, "shift.open");
  g_assert_cmpint (entry->staff_id, ==, fixture->cashier_id);
  g_assert_nonnull (strstr (entry->details, "\"opening_float\":20000"));

  /* One open shift per register; another register may open. */
  g_assert_cmpint (kassa_shop_open_shift (fixture->shop, NULL, 100, &error), ==, 0);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (kassa_shop_open_shift (fixture->shop, "back", 100, &error), >, shift_id);
  g_assert_no_error (error);

  /* A negative float is refused. */
  g_assert_cmpint (kassa_shop_open_shift (fixture->shop, "side", -1, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
}

static void
test_movements (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaAuditEntry) entry = NULL;
  g_autoptr(KassaShiftReport) report = NULL;
  gint64 id;

  /* Nothing moves without an open shift. */
  shift_fixture_sign_in (fixture, fixture->cashier_id);
  g_assert_cmpint (kassa_shop_paid_in (fixture->shop, NULL, 500, "Change", &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (kassa_shop_open_shift (fixture->shop, NULL, 20000, &error), >, 0);

  /* The reason is mandatory, the amount above zero. */
  g_assert_cmpint (kassa_shop_paid_out (fixture->shop, NULL, 1250, "   ", &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (kassa_shop_paid_out (fixture->shop, NULL, 1250, NULL, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (kassa_shop_paid_out (fixture->shop, NULL, 0, "Milk", &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (kassa_shop_no_sale (fixture->shop, NULL, "", &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  id = kassa_shop_paid_out (fixture->shop, NULL, 1250, "Milk delivery", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  entry = last_audit (fixture);
  g_assert_cmpstr (entry->action, ==, "shift.paid-out");
  g_assert_cmpint (entry->staff_id, ==, fixture->cashier_id);
  g_assert_nonnull (strstr (entry->details, "\"amount\":1250"));
  g_assert_nonnull (strstr (entry->details, "\"reason\":\"Milk delivery\""));
  g_clear_pointer (&entry, kassa_audit_entry_free);

  g_assert_cmpint (kassa_shop_paid_in (fixture->shop, NULL, 5000, "Change from the bank", &error), >, id);
  g_assert_cmpint (kassa_shop_no_sale (fixture->shop, NULL, "Customer needed change", &error), >, 0);
  g_assert_no_error (error);
  entry = last_audit (fixture);
  g_assert_cmpstr (entry->action, ==, "shift.no-sale");
  g_assert_nonnull (strstr (entry->details, "Customer needed change"));

  /* Without the drawer permission, no money moves and the drawer stays shut. */
  shift_fixture_sign_in (fixture, fixture->approver_id);
  g_assert_cmpint (kassa_shop_paid_out (fixture->shop, NULL, 100, "Coffee", &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (kassa_shop_no_sale (fixture->shop, NULL, "Look", &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* 200.00 − 12.50 + 50.00, one drawer opening. */
  shift_fixture_sign_in (fixture, fixture->manager_id);
  report = kassa_shop_get_x_report (fixture->shop, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (report->final);
  g_assert_cmpint (report->paid_out, ==, 1250);
  g_assert_cmpint (report->paid_in, ==, 5000);
  g_assert_cmpint (report->no_sales, ==, 1);
  g_assert_cmpint (report->expected_cash, ==, 23750);
}

static void
test_x_report (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaShiftReport) report = NULL;
  g_autoptr(KassaShiftReport) copy = NULL;
  KassaShiftTender *tender;

  shift_fixture_sign_in (fixture, fixture->cashier_id);
  g_assert_cmpint (kassa_shop_open_shift (fixture->shop, NULL, 20000, &error), >, 0);
  shift_fixture_sell_beans (fixture, KASSA_PAYMENT_PROVIDER_CASH);
  shift_fixture_sell_beans (fixture, KASSA_PAYMENT_PROVIDER_CASH);
  shift_fixture_sell_beans (fixture, "stripe_terminal");

  /* The close is blind: the cashier may not peek at the expected cash. */
  g_assert_null (kassa_shop_get_x_report (fixture->shop, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  shift_fixture_sign_in (fixture, fixture->viewer_id);
  report = kassa_shop_get_x_report (fixture->shop, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (report->final);
  g_assert_cmpint (report->z_number, ==, 0);
  g_assert_cmpstr (report->register_name, ==, "main");
  g_assert_cmpstr (report->currency, ==, "CHF");
  g_assert_cmpstr (report->opened_by_name, ==, "Carl");
  g_assert_cmpint (report->cash_sales, ==, 2590);
  g_assert_cmpint (report->expected_cash, ==, 22590);
  g_assert_cmpuint (report->counts->len, ==, 0);
  g_assert_cmpuint (report->tenders->len, ==, 2);
  tender = g_ptr_array_index (report->tenders, 0);
  g_assert_cmpstr (tender->provider, ==, "cash");
  g_assert_cmpint (tender->payments, ==, 2);
  g_assert_cmpint (tender->amount, ==, 2590);
  tender = g_ptr_array_index (report->tenders, 1);
  g_assert_cmpstr (tender->provider, ==, "stripe_terminal");
  g_assert_cmpint (tender->amount, ==, 1295);
  g_assert_cmpint (report->card_total, ==, 1295);

  copy = kassa_shift_report_copy (report);
  g_assert_cmpint (copy->expected_cash, ==, 22590);
  g_assert_cmpstr (((KassaShiftTender *) g_ptr_array_index (copy->tenders, 1))->provider, ==, "stripe_terminal");
}

static void
test_close_short_and_over (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaShiftReport) z = NULL;
  g_autoptr(KassaShiftReport) second = NULL;
  g_autoptr(KassaShiftReport) again = NULL;
  g_autoptr(KassaAuditEntry) entry = NULL;
  g_autoptr(KassaJournalEntry) journal = NULL;
  g_autoptr(KassaJournalEntry) before_close = NULL;
  /* 100 + 50 + 2 × 20 + 3 × 2 + 0.50 = 196.50 */
  const KassaDenominationCount count[] = { { 10000, 1 }, { 5000, 1 }, { 2000, 2 }, { 200, 3 }, { 50, 1 } };
  /* 2 × 100 + 20 + 2 + 2 × 0.50 = 223.00 */
  const KassaDenominationCount over[] = { { 10000, 2 }, { 2000, 1 }, { 200, 1 }, { 50, 2 } };
  gint64 first_shift;

  shift_fixture_sign_in (fixture, fixture->cashier_id);
  first_shift = kassa_shop_open_shift (fixture->shop, NULL, 20000, &error);
  shift_fixture_sell_beans (fixture, KASSA_PAYMENT_PROVIDER_CASH);
  shift_fixture_sell_beans (fixture, "stripe_checkout");
  g_assert_cmpint (kassa_shop_paid_out (fixture->shop, NULL, 1500, "Window cleaner", &error), >, 0);
  g_assert_no_error (error);

  /* A viewer reads reports but does not close the till. */
  shift_fixture_sign_in (fixture, fixture->viewer_id);
  g_assert_null (kassa_shop_close_shift (fixture->shop, NULL, count, G_N_ELEMENTS (count), &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* Expected 200.00 + 12.95 − 15.00 = 197.95; counted 196.50: 1.45 short. */
  shift_fixture_sign_in (fixture, fixture->cashier_id);
  z = kassa_shop_close_shift (fixture->shop, NULL, count, G_N_ELEMENTS (count), &error);
  g_assert_no_error (error);
  g_assert_true (z->final);
  g_assert_cmpint (z->z_number, ==, 1);
  g_assert_cmpint (z->shift_id, ==, first_shift);
  g_assert_cmpint (z->expected_cash, ==, 19795);
  g_assert_cmpint (z->counted_cash, ==, 19650);
  g_assert_cmpint (z->difference, ==, -145);
  g_assert_cmpint (z->paid_out, ==, 1500);
  g_assert_cmpint (z->cash_sales, ==, 1295);
  g_assert_cmpint (z->card_total, ==, 1295);
  g_assert_cmpuint (z->tenders->len, ==, 2);
  g_assert_cmpuint (z->counts->len, ==, 5);
  g_assert_cmpint (g_array_index (z->counts, KassaDenominationCount, 3).denomination, ==, 200);
  g_assert_cmpint (g_array_index (z->counts, KassaDenominationCount, 3).count, ==, 3);
  g_assert_cmpstr (z->closed_by_name, ==, "Carl");
  g_assert_nonnull (z->closed_at);

  entry = last_audit (fixture);
  g_assert_cmpstr (entry->action, ==, "shift.close");
  g_assert_nonnull (strstr (entry->details, "\"difference\":-145"));
  journal = kassa_journal_get_last (kassa_shop_get_journal (fixture->shop), &error);
  g_assert_cmpstr (journal->kind, ==, "shift.close");
  g_assert_nonnull (strstr (journal->payload, "\"tenders\":["));

  /* The report vouches for the journal as it stood before the close. */
  before_close = kassa_journal_get_entry (kassa_shop_get_journal (fixture->shop), journal->sequence - 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (before_close);
  g_assert_cmpint (z->journal_entries, ==, journal->sequence - 1);
  g_assert_cmpstr (z->journal_hash, ==, before_close->hash);

  /* Closed means closed: nothing more to close or move. */
  g_assert_null (kassa_shop_close_shift (fixture->shop, NULL, count, 1, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (kassa_shop_paid_in (fixture->shop, NULL, 100, "Late", &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  /* The next shift is Z 2: 223.00 counted against its 200.00 float, 23.00 over. */
  g_assert_cmpint (kassa_shop_open_shift (fixture->shop, NULL, 20000, &error), >, first_shift);
  second = kassa_shop_close_shift (fixture->shop, NULL, over, G_N_ELEMENTS (over), &error);
  g_assert_no_error (error);
  g_assert_cmpint (second->z_number, ==, 2);
  g_assert_cmpint (second->expected_cash, ==, 20000);
  g_assert_cmpint (second->counted_cash, ==, 22300);
  g_assert_cmpint (second->difference, ==, 2300);
  g_assert_cmpint (second->card_total, ==, 0);

  /* Later, the first Z report reads back exactly as frozen — to those
   * allowed to read reports. */
  g_assert_null (kassa_shop_get_z_report (fixture->shop, first_shift, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  shift_fixture_sign_in (fixture, fixture->viewer_id);
  again = kassa_shop_get_z_report (fixture->shop, first_shift, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->z_number, ==, 1);
  g_assert_cmpint (again->difference, ==, -145);
  g_assert_cmpint (again->card_total, ==, 1295);
  g_assert_cmpuint (again->counts->len, ==, 5);
  g_assert_cmpint (again->journal_entries, ==, z->journal_entries);
  g_assert_cmpstr (again->journal_hash, ==, z->journal_hash);

  /* And the journal still holds what it vouches for. */
  g_assert_true (kassa_shop_check_journal_anchor (fixture->shop, again->journal_entries, again->journal_hash, &error));
  g_assert_no_error (error);
}

static void
test_denominations (void)
{
  const gint64 *values;
  gsize n = 0;

  values = kassa_shift_get_denominations ("CHF", &n);
  g_assert_cmpuint (n, ==, 13);
  g_assert_cmpint (values[0], ==, 100000);
  g_assert_cmpint (values[n - 1], ==, 5);

  values = kassa_shift_get_denominations ("USD", &n);
  g_assert_cmpint (values[8], ==, 25);

  values = kassa_shift_get_denominations ("EUR", &n);
  g_assert_cmpuint (n, ==, 15);
  g_assert_cmpint (values[0], ==, 50000);

  /* Strictly decreasing everywhere, the fallback included. */
  for (guint c = 0; c < 3; c++)
    {
      values = kassa_shift_get_denominations ((const char *[]) { "GBP", "JPY", "XYZ" }[c], &n);
      g_assert_cmpuint (n, >, 5);
      for (gsize i = 1; i < n; i++)
        g_assert_cmpint (values[i], <, values[i - 1]);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/kassa/shop-shifts/open-permissions", Fixture, NULL,
              shift_fixture_set_up, test_open_permissions, shift_fixture_tear_down);
  g_test_add ("/kassa/shop-shifts/movements", Fixture, NULL,
              shift_fixture_set_up, test_movements, shift_fixture_tear_down);
  g_test_add ("/kassa/shop-shifts/x-report", Fixture, NULL,
              shift_fixture_set_up, test_x_report, shift_fixture_tear_down);
  g_test_add ("/kassa/shop-shifts/close-short-and-over", Fixture, NULL,
              shift_fixture_set_up, test_close_short_and_over, shift_fixture_tear_down);
  g_test_add_func ("/kassa/shop-shifts/denominations", test_denominations);

  return g_test_run ();
}
