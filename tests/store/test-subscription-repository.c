/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-subscription-repository"

#include "config.h"

#include "kassa-core-enum-types.h"
#include "kassa-database.h"
#include "kassa-error.h"
#include "kassa-store-error.h"
#include "kassa-store-private.h"
#include "kassa-subscription-repository.h"

#include "store-test-utils.h"

typedef struct
{
  char                        *dir;
  char                        *path;
  KassaDatabase               *db;
  KassaSubscriptionRepository *repo;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = store_test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "kassa.db", NULL);
  fixture->db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->repo = kassa_subscription_repository_new (fixture->db);

  store_test_exec_raw (kassa_database_get_handle (fixture->db),
                       "INSERT INTO customer (id, name, created_at, updated_at) VALUES "
                       "(2, 'Ana', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'), "
                       "(3, 'Ben', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z');"
                       "INSERT INTO catalog_item (id, kind, name, price, currency, tax_rate, pricing, "
                       "billing_interval, status, created_at, updated_at) VALUES "
                       "(5, 'product', 'Coffee club', 1500, 'EUR', 70000, 'recurring', 'month', 'active', "
                       "'2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->repo);
  g_clear_object (&fixture->db);
  store_test_remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static GDateTime *
day (int year,
     int month,
     int mday)
{
  return g_date_time_new_utc (year, month, mday, 12, 0, 0);
}

static KassaSubscription *
make_subscription (gint64                   customer_id,
                   KassaSubscriptionStatus  status,
                   const char              *stripe_id,
                   GDateTime               *period_end)
{
  return g_object_new (KASSA_TYPE_SUBSCRIPTION,
                       "customer-id", customer_id,
                       "status", status,
                       "stripe-subscription-id", stripe_id,
                       "stripe-customer-id", stripe_id != NULL ? "cus_ana" : NULL,
                       "current-period-end", period_end,
                       NULL);
}

static KassaSubscription *
save_new (Fixture                 *fixture,
          gint64                   customer_id,
          KassaSubscriptionStatus  status,
          const char              *stripe_id,
          GDateTime               *period_end)
{
  g_autoptr(GError) error = NULL;
  KassaSubscription *subscription = make_subscription (customer_id, status, stripe_id, period_end);

  kassa_subscription_repository_save (fixture->repo, subscription, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_subscription_get_id (subscription), >, 0);

  return subscription;
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) period_end = g_date_time_new_utc (2026, 12, 28, 9, 41, 7.125);
  g_autoptr(KassaSubscription) subscription = make_subscription (2, KASSA_SUBSCRIPTION_STATUS_TRIALING,
                                                                 "sub_1Qx", period_end);
  g_autoptr(KassaSubscription) loaded = NULL;
  g_autoptr(KassaSubscription) by_stripe = NULL;
  g_autoptr(KassaSubscription) local_a = NULL;
  g_autoptr(KassaSubscription) local_b = NULL;
  g_autoptr(KassaSubscription) duplicate = NULL;

  kassa_subscription_set_item_id (subscription, 5);
  kassa_subscription_set_cycle_limit (subscription, 12);
  kassa_subscription_set_cycles_billed (subscription, 3);
  kassa_subscription_set_cancel_at_period_end (subscription, TRUE);

  kassa_subscription_repository_save (fixture->repo, subscription, &error);
  g_assert_no_error (error);

  loaded = kassa_subscription_repository_load (fixture->repo, kassa_subscription_get_id (subscription), &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_subscription_get_status (loaded), ==, KASSA_SUBSCRIPTION_STATUS_TRIALING);
  g_assert_cmpstr (kassa_subscription_get_stripe_subscription_id (loaded), ==, "sub_1Qx");
  g_assert_cmpstr (kassa_subscription_get_stripe_customer_id (loaded), ==, "cus_ana");
  g_assert_cmpint (kassa_subscription_get_customer_id (loaded), ==, 2);
  g_assert_cmpint (kassa_subscription_get_item_id (loaded), ==, 5);
  g_assert_cmpint (kassa_subscription_get_order_id (loaded), ==, 0);
  g_assert_true (g_date_time_equal (kassa_subscription_get_current_period_end (loaded), period_end));
  g_assert_true (kassa_subscription_get_cancel_at_period_end (loaded));
  g_assert_cmpuint (kassa_subscription_get_cycles_billed (loaded), ==, 3);
  g_assert_cmpuint (kassa_subscription_get_cycle_limit (loaded), ==, 12);
  g_assert_cmpint (kassa_subscription_get_cycles_left (loaded), ==, 9);

  by_stripe = kassa_subscription_repository_load_by_stripe_id (fixture->repo, "sub_1Qx", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_subscription_get_id (by_stripe), ==, kassa_subscription_get_id (subscription));

  /* Subscriptions sold without Stripe do not collide on the empty id. */
  local_a = save_new (fixture, 3, KASSA_SUBSCRIPTION_STATUS_ACTIVE, NULL, NULL);
  local_b = save_new (fixture, 3, KASSA_SUBSCRIPTION_STATUS_ACTIVE, "", NULL);
  g_assert_cmpint (store_test_query_int (kassa_database_get_handle (fixture->db),
                                         "SELECT count (*) FROM subscription WHERE stripe_subscription_id IS NULL"),
                   ==, 2);

  /* But two rows never mirror the same Stripe subscription. */
  duplicate = make_subscription (3, KASSA_SUBSCRIPTION_STATUS_ACTIVE, "sub_1Qx", NULL);
  g_assert_false (kassa_subscription_repository_save (fixture->repo, duplicate, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (kassa_subscription_get_id (duplicate), ==, 0);

  g_assert_null (kassa_subscription_repository_load (fixture->repo, 999, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (kassa_subscription_repository_load_by_stripe_id (fixture->repo, "sub_nope", &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  {
    g_autoptr(KassaSubscription) nobody = make_subscription (0, KASSA_SUBSCRIPTION_STATUS_ACTIVE, NULL, NULL);

    g_assert_false (kassa_subscription_repository_save (fixture->repo, nobody, &error));
    g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
    g_clear_error (&error);
  }
}

static KassaSubscriptionStatus
stored_status (Fixture *fixture,
               gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaSubscription) loaded = kassa_subscription_repository_load (fixture->repo, id, &error);

  g_assert_no_error (error);
  return kassa_subscription_get_status (loaded);
}

static void
test_status (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaSubscription) subscription = save_new (fixture, 2, KASSA_SUBSCRIPTION_STATUS_ACTIVE,
                                                        "sub_a", NULL);
  g_autoptr(KassaSubscription) stale = NULL;
  gint64 id = kassa_subscription_get_id (subscription);

  stale = kassa_subscription_repository_load (fixture->repo, id, &error);
  g_assert_no_error (error);

  kassa_subscription_repository_update_status (fixture->repo, subscription,
                                               KASSA_SUBSCRIPTION_STATUS_PAST_DUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_subscription_get_status (subscription), ==, KASSA_SUBSCRIPTION_STATUS_PAST_DUE);
  g_assert_cmpint (stored_status (fixture, id), ==, KASSA_SUBSCRIPTION_STATUS_PAST_DUE);

  /* The domain's table decides: past due cannot go to trialing. */
  g_assert_false (kassa_subscription_repository_update_status (fixture->repo, subscription,
                                                               KASSA_SUBSCRIPTION_STATUS_TRIALING, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  g_assert_cmpint (stored_status (fixture, id), ==, KASSA_SUBSCRIPTION_STATUS_PAST_DUE);

  /* An object loaded before the change cannot move the row from where
   * it no longer is. */
  g_assert_false (kassa_subscription_repository_update_status (fixture->repo, stale,
                                                               KASSA_SUBSCRIPTION_STATUS_CANCELED, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  g_assert_cmpint (kassa_subscription_get_status (stale), ==, KASSA_SUBSCRIPTION_STATUS_ACTIVE);
  g_assert_cmpint (stored_status (fixture, id), ==, KASSA_SUBSCRIPTION_STATUS_PAST_DUE);

  kassa_subscription_repository_update_status (fixture->repo, subscription,
                                               KASSA_SUBSCRIPTION_STATUS_CANCELED, &error);
  g_assert_no_error (error);

  /* Saving a whole object checks its status against the stored one:
   * the stale object thinks active → past due is fine, but the row is
   * canceled, and canceled is final. */
  g_assert_true (kassa_subscription_set_status (stale, KASSA_SUBSCRIPTION_STATUS_PAST_DUE, NULL));
  g_assert_false (kassa_subscription_repository_save (fixture->repo, stale, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  g_assert_cmpint (stored_status (fixture, id), ==, KASSA_SUBSCRIPTION_STATUS_CANCELED);

  /* A legal move through save is stored. */
  {
    g_autoptr(KassaSubscription) other = save_new (fixture, 2, KASSA_SUBSCRIPTION_STATUS_INCOMPLETE, NULL, NULL);

    g_assert_true (kassa_subscription_set_status (other, KASSA_SUBSCRIPTION_STATUS_ACTIVE, NULL));
    kassa_subscription_set_cancel_at_period_end (other, TRUE);
    kassa_subscription_repository_save (fixture->repo, other, &error);
    g_assert_no_error (error);
    g_assert_cmpint (stored_status (fixture, kassa_subscription_get_id (other)), ==,
                     KASSA_SUBSCRIPTION_STATUS_ACTIVE);
  }
}

static void
test_renewal (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) jan = day (2026, 1, 15);
  g_autoptr(GDateTime) feb = day (2026, 2, 15);
  g_autoptr(GDateTime) mar = day (2026, 3, 15);
  g_autoptr(GDateTime) apr = day (2026, 4, 15);
  g_autoptr(KassaSubscription) subscription = make_subscription (2, KASSA_SUBSCRIPTION_STATUS_ACTIVE,
                                                                 "sub_r", jan);
  g_autoptr(KassaSubscription) stale = NULL;
  g_autoptr(KassaSubscription) loaded = NULL;
  gint64 id;

  kassa_subscription_set_cycle_limit (subscription, 2);
  kassa_subscription_repository_save (fixture->repo, subscription, &error);
  g_assert_no_error (error);
  id = kassa_subscription_get_id (subscription);

  stale = kassa_subscription_repository_load (fixture->repo, id, &error);
  g_assert_no_error (error);

  kassa_subscription_repository_record_renewal (fixture->repo, subscription, feb, &error);
  g_assert_no_error (error);

  /* The period must move forward. */
  g_assert_false (kassa_subscription_repository_record_renewal (fixture->repo, subscription, jan, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  /* Billing the same cycle twice from an old copy is refused, and the
   * copy is left as it was. */
  g_assert_false (kassa_subscription_repository_record_renewal (fixture->repo, stale, feb, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  g_assert_cmpuint (kassa_subscription_get_cycles_billed (stale), ==, 0);
  g_assert_true (g_date_time_equal (kassa_subscription_get_current_period_end (stale), jan));

  kassa_subscription_repository_record_renewal (fixture->repo, subscription, mar, &error);
  g_assert_no_error (error);

  /* The limit of two cycles is reached. */
  g_assert_false (kassa_subscription_repository_record_renewal (fixture->repo, subscription, apr, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  loaded = kassa_subscription_repository_load (fixture->repo, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kassa_subscription_get_cycles_billed (loaded), ==, 2);
  g_assert_cmpint (kassa_subscription_get_cycles_left (loaded), ==, 0);
  g_assert_true (g_date_time_equal (kassa_subscription_get_current_period_end (loaded), mar));

  /* Saving the stale copy would un-bill a cycle. */
  g_assert_false (kassa_subscription_repository_save (fixture->repo, stale, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
}

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) d1 = day (2026, 12, 1);
  g_autoptr(GDateTime) d2 = day (2026, 12, 5);
  g_autoptr(GDateTime) d3 = day (2026, 12, 9);
  g_autoptr(GDateTime) cut = day (2026, 12, 6);
  g_autoptr(KassaSubscription) a = save_new (fixture, 2, KASSA_SUBSCRIPTION_STATUS_ACTIVE, "sub_a", d3);
  g_autoptr(KassaSubscription) b = save_new (fixture, 2, KASSA_SUBSCRIPTION_STATUS_PAST_DUE, "sub_b", d1);
  g_autoptr(KassaSubscription) c = save_new (fixture, 3, KASSA_SUBSCRIPTION_STATUS_ACTIVE, "sub_c", d2);
  g_autoptr(KassaSubscription) d = save_new (fixture, 3, KASSA_SUBSCRIPTION_STATUS_INCOMPLETE, "sub_d", NULL);
  g_autoptr(GPtrArray) list = NULL;
  KassaSubscriptionFilter filter = KASSA_SUBSCRIPTION_FILTER_INIT;

#define ID_AT(array, i) kassa_subscription_get_id (g_ptr_array_index ((array), (i)))

  list = kassa_subscription_repository_list (fixture->repo, NULL, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 4);
  /* Soonest billing first, none last. */
  g_assert_cmpint (ID_AT (list, 0), ==, kassa_subscription_get_id (b));
  g_assert_cmpint (ID_AT (list, 1), ==, kassa_subscription_get_id (c));
  g_assert_cmpint (ID_AT (list, 2), ==, kassa_subscription_get_id (a));
  g_assert_cmpint (ID_AT (list, 3), ==, kassa_subscription_get_id (d));
  g_clear_pointer (&list, g_ptr_array_unref);

  list = kassa_subscription_repository_list (fixture->repo, NULL, 1, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpint (ID_AT (list, 0), ==, kassa_subscription_get_id (c));
  g_assert_cmpint (ID_AT (list, 1), ==, kassa_subscription_get_id (a));
  g_clear_pointer (&list, g_ptr_array_unref);

  filter.status = KASSA_SUBSCRIPTION_STATUS_ACTIVE;
  list = kassa_subscription_repository_list (fixture->repo, &filter, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpint (ID_AT (list, 0), ==, kassa_subscription_get_id (c));
  g_clear_pointer (&list, g_ptr_array_unref);

  filter.customer_id = 2;
  list = kassa_subscription_repository_list (fixture->repo, &filter, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (ID_AT (list, 0), ==, kassa_subscription_get_id (a));
  g_clear_pointer (&list, g_ptr_array_unref);

  /* What bills before the 6th, whatever its status or customer. */
  filter = (KassaSubscriptionFilter) KASSA_SUBSCRIPTION_FILTER_INIT;
  filter.billing_before = cut;
  list = kassa_subscription_repository_list (fixture->repo, &filter, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpint (ID_AT (list, 0), ==, kassa_subscription_get_id (b));
  g_assert_cmpint (ID_AT (list, 1), ==, kassa_subscription_get_id (c));
  g_clear_pointer (&list, g_ptr_array_unref);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/kassa/subscription-repository/round-trip", test_round_trip);
  ADD ("/kassa/subscription-repository/status", test_status);
  ADD ("/kassa/subscription-repository/renewal", test_renewal);
  ADD ("/kassa/subscription-repository/list", test_list);

  return g_test_run ();
}
