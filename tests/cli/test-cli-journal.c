/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Journal tampering, as an attacker with the file and the sqlite3 tool
 * would try it: drop the triggers that protect the journal, then edit a
 * payload, delete an entry, delete one and renumber the rest, or swap
 * two entries. `kassa-cli journal verify` must fail (exit 1) every time
 * and name the first broken entry. */
#include "config.h"

#include <string.h>

#include "kassa-cart-repository.h"
#include "kassa-catalog-repository.h"
#include "kassa-journal.h"
#include "kassa-settings-repository.h"
#include "kassa-shift-repository.h"
#include "kassa-shop-checkout.h"
#include "kassa-shop-private.h"
#include "kassa-shop-staff.h"
#include "kassa-test-cli.h"

#define N_SALES 4

#define RUN(fixture, run, input, ...) \
  kassa_cli_fixture_run ((fixture), (run), (input), (const char *[]) { __VA_ARGS__, NULL })

/* Four till sales, so the journal holds entries 1 to 4. */
static void
fill_store (KassaCliFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaShop) shop = kassa_shop_open (fixture->database, &error);
  g_autoptr(KassaCatalogRepository) catalog = NULL;
  g_autoptr(KassaCartRepository) carts = NULL;
  g_autoptr(KassaShiftRepository) shifts = NULL;
  g_autoptr(KassaCatalogItem) item = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 28, 10, 15, 0);
  KassaDatabase *database;
  gint64 staff_id;

  g_assert_no_error (error);
  kassa_shop_act_as_system (shop);
  database = kassa_shop_get_database (shop);

  item = g_object_new (KASSA_TYPE_CATALOG_ITEM,
                       "name", "Coffee beans",
                       "sku", "BEANS",
                       "price", (gint64) 1295,
                       "currency-code", "EUR",
                       "tax-rate", (gint64) 70000,
                       "stock-on-hand", (gint64) 100000,
                       "status", KASSA_ITEM_STATUS_ACTIVE,
                       NULL);
  catalog = kassa_catalog_repository_new (database);
  g_assert_cmpint (kassa_catalog_repository_insert (catalog, item, &error), >, 0);
  g_assert_no_error (error);

  staff_id = kassa_shop_create_staff (shop, "Ada Admin", KASSA_STAFF_ROLE_ADMIN, "2468",
                                      KASSA_PIN_COST_MINIMUM, &error);
  g_assert_no_error (error);
  shifts = kassa_shift_repository_new (database);
  g_assert_cmpint (kassa_shift_repository_open (shifts, NULL, staff_id, "EUR", 10000, &error), >, 0);
  g_assert_no_error (error);

  carts = kassa_cart_repository_new (database);
  for (guint i = 1; i <= N_SALES; i++)
    {
      g_autoptr(KassaCart) cart = g_object_new (KASSA_TYPE_CART, "currency-code", "EUR", NULL);
      g_autoptr(GPtrArray) payments = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(KassaOrder) order = NULL;
      KassaPayment *payment = kassa_payment_new ();
      gint64 cart_id, due;

      g_assert_true (kassa_cart_add_item (cart, item, 1000 * i, NULL, &error));
      cart_id = kassa_cart_repository_create (carts, cart, staff_id, &error);
      g_assert_no_error (error);
      g_assert_true (kassa_shop_get_amount_due (shop, cart_id, TRUE, &due, &error));
      kassa_payment_set_provider_id (payment, KASSA_PAYMENT_PROVIDER_CASH);
      kassa_payment_set_amount (payment, due);
      g_ptr_array_add (payments, payment);
      order = kassa_shop_complete_sale (shop, cart_id, payments, now, &error);
      g_assert_no_error (error);
      g_assert_nonnull (order);
    }
}

static void
sqlite (KassaCliFixture *fixture,
        const char      *sql,
        gboolean         expect_success)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { "sqlite3", "-bail", fixture->database, sql, NULL };
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (expect_success)
    {
      if (!g_spawn_check_wait_status (status, &error))
        g_error ("sqlite3 failed on «%s»: %s", sql, err);
    }
  else
    {
      g_assert_false (g_spawn_check_wait_status (status, NULL));
    }
}

static void
assert_broken_at (KassaCliFixture *fixture,
                  const char      *expected)
{
  g_auto(KassaCliRun) run = { 0 };

  RUN (fixture, &run, NULL, "journal", "verify");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  if (strstr (run.err, expected) == NULL)
    g_error ("«%s» not in «%s»", expected, run.err);
}

static void
set_up (KassaCliFixture *fixture,
        gconstpointer    data)
{
  g_auto(KassaCliRun) run = { 0 };
  g_autofree char *sqlite3 = g_find_program_in_path ("sqlite3");

  kassa_cli_fixture_set_up (fixture, data);
  if (sqlite3 == NULL)
    return;

  fill_store (fixture);
  RUN (fixture, &run, NULL, "journal", "verify");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "The journal is intact: 4 entries verified\n");
}

static gboolean
have_sqlite3 (void)
{
  g_autofree char *path = g_find_program_in_path ("sqlite3");

  if (path == NULL)
    g_test_skip ("The sqlite3 tool is not installed");

  return path != NULL;
}

static void
test_triggers_refuse (KassaCliFixture *fixture,
                      gconstpointer    data)
{
  g_auto(KassaCliRun) run = { 0 };

  if (!have_sqlite3 ())
    return;

  /* With the triggers in place the tool itself is refused. */
  sqlite (fixture, "UPDATE journal SET payload = json_set (payload, '$.total', '0.00') WHERE sequence = 2", FALSE);
  sqlite (fixture, "DELETE FROM journal WHERE sequence = 3", FALSE);
  sqlite (fixture, "INSERT OR REPLACE INTO journal SELECT * FROM journal WHERE sequence = 1", FALSE);

  RUN (fixture, &run, NULL, "journal", "verify");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "The journal is intact: 4 entries verified\n");
}

static void
test_edit_payload (KassaCliFixture *fixture,
                   gconstpointer    data)
{
  if (!have_sqlite3 ())
    return;

  /* A sale made to look smaller than it was. */
  sqlite (fixture,
          "DROP TRIGGER journal_no_update;"
          "UPDATE journal SET payload = json_set (payload, '$.total', '0.01') WHERE sequence = 2;",
          TRUE);
  assert_broken_at (fixture, "Journal entry 2 does not match its hash");
}

static void
test_delete_row (KassaCliFixture *fixture,
                 gconstpointer    data)
{
  if (!have_sqlite3 ())
    return;

  sqlite (fixture,
          "DROP TRIGGER journal_no_delete;"
          "DELETE FROM journal WHERE sequence = 3;",
          TRUE);
  assert_broken_at (fixture, "Journal entry 3 is missing");
}

static void
test_delete_and_renumber (KassaCliFixture *fixture,
                          gconstpointer    data)
{
  if (!have_sqlite3 ())
    return;

  /* Closing the gap leaves entry 2 linked to a hash nothing has. */
  sqlite (fixture,
          "DROP TRIGGER journal_no_delete;"
          "DROP TRIGGER journal_no_update;"
          "DELETE FROM journal WHERE sequence = 2;"
          "UPDATE journal SET sequence = sequence - 1 WHERE sequence > 2;",
          TRUE);
  assert_broken_at (fixture, "Journal entry 2 does not follow the entry before it");
}

static void
test_delete_last (KassaCliFixture *fixture,
                  gconstpointer    data)
{
  g_auto(KassaCliRun) run = { 0 };

  if (!have_sqlite3 ())
    return;

  /* Cutting the tail leaves a shorter chain that still verifies: the
   * count of entries gives it away, and so does the anchor a Z report
   * printed (see test_anchor). */
  sqlite (fixture,
          "DROP TRIGGER journal_no_delete;"
          "DELETE FROM journal WHERE sequence = 4;",
          TRUE);
  RUN (fixture, &run, NULL, "journal", "verify");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "The journal is intact: 3 entries verified\n");
}

/* The anchor of entry @sequence as a Z report prints it. */
static char *
anchor_of (KassaCliFixture *fixture,
           gint64           sequence)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDatabase) database = kassa_database_open (fixture->database, &error);
  g_autoptr(KassaJournal) journal = NULL;
  g_autoptr(KassaJournalEntry) entry = NULL;

  g_assert_no_error (error);
  journal = kassa_journal_new (database);
  entry = kassa_journal_get_entry (journal, sequence, &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%.16s", sequence, entry->hash);
}

static void
test_anchor (KassaCliFixture *fixture,
             gconstpointer    data)
{
  g_autofree char *anchor = NULL;
  g_autofree char *wrong = NULL;

  if (!have_sqlite3 ())
    return;

  anchor = anchor_of (fixture, 3);

  /* The journal holds what the paper vouches for. */
  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "journal", "verify", "--anchor", anchor);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "The journal is intact: 4 entries verified\n"
                                  "It holds entry 3 as the Z report printed it\n");
  }

  /* An anchor that is not one is a usage error, before the file is read. */
  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "journal", "verify", "--anchor", "three");
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "not a journal anchor"));
  }
  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "journal", "verify", "--anchor", "3:abc");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "at least 8 hex digits"));
  }

  /* Another hash at that entry. */
  wrong = g_strdup_printf ("3:%s", anchor[2] == '0' ? "1111111111111111" : "0000000000000000");
  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "journal", "verify", "--anchor", wrong);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "Journal entry 3 is not the one the Z report vouches for"));
  }

  /* The tail cut off: the chain that is left verifies, the anchor does not. */
  sqlite (fixture,
          "DROP TRIGGER journal_no_delete;"
          "DELETE FROM journal WHERE sequence >= 3;",
          TRUE);
  {
    g_auto(KassaCliRun) run = { 0 };

    RUN (fixture, &run, NULL, "journal", "verify", "--anchor", anchor);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.out, ==, "");
    g_assert_nonnull (strstr (run.err, "The journal ends at entry 2, but a Z report vouches for entry 3"));
  }
}

static void
test_reorder_rows (KassaCliFixture *fixture,
                   gconstpointer    data)
{
  if (!have_sqlite3 ())
    return;

  /* Entries 2 and 3 swap places, hashes and all. */
  sqlite (fixture,
          "DROP TRIGGER journal_no_update;"
          "UPDATE journal SET sequence = 100 WHERE sequence = 2;"
          "UPDATE journal SET sequence = 2 WHERE sequence = 3;"
          "UPDATE journal SET sequence = 3 WHERE sequence = 100;",
          TRUE);
  assert_broken_at (fixture, "Journal entry 2 is out of place");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/cli-journal/" path, KassaCliFixture, NULL, \
              set_up, func, kassa_cli_fixture_tear_down)

  ADD ("triggers-refuse", test_triggers_refuse);
  ADD ("edit-payload", test_edit_payload);
  ADD ("delete-row", test_delete_row);
  ADD ("delete-and-renumber", test_delete_and_renumber);
  ADD ("delete-last", test_delete_last);
  ADD ("reorder-rows", test_reorder_rows);
  ADD ("anchor", test_anchor);

  return g_test_run ();
}
