/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-dispute-repository"

#include "config.h"

#include "kassa-dispute-repository.h"
#include "kassa-error.h"
#include "kassa-store-error.h"

#include "order-test-utils.h"

typedef struct
{
  OrderFixture            base;
  KassaDisputeRepository *disputes;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  order_fixture_set_up (&fixture->base, data);
  fixture->disputes = kassa_dispute_repository_new (fixture->base.db);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->disputes);
  order_fixture_tear_down (&fixture->base, data);
}

static KassaDispute *
stripe_dispute (gint64             order_id,
                KassaDisputeStatus status)
{
  KassaDispute *dispute = kassa_dispute_new ();

  dispute->order_id = order_id;
  dispute->stripe_dispute_id = g_strdup ("dp_test_1");
  dispute->stripe_charge_id = g_strdup ("ch_test_1");
  dispute->status = status;
  dispute->reason = g_strdup ("product_not_received");
  dispute->amount = 4980;
  dispute->currency_code = g_strdup ("EUR");
  dispute->evidence_due_by = order_test_time (2026, 12, 8, 23, 59, 59);

  return dispute;
}

static KassaDisputeStatus
order_dispute_status (Fixture *fixture,
                      gint64   order_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaOrder) order = kassa_order_repository_load (fixture->base.orders, order_id, &error);

  g_assert_no_error (error);
  return kassa_order_get_dispute_status (order);
}

static void
test_record_and_update (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDispute) created = NULL;
  g_autoptr(KassaDispute) review = NULL;
  g_autoptr(KassaDispute) won = NULL;
  g_autoptr(KassaDispute) loaded = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 order_id = order_test_insert_paid (&fixture->base, "D-1", KASSA_ORDER_MODE_STRIPE, NULL);
  gboolean changed = FALSE;
  gint64 id;

  created = stripe_dispute (order_id, KASSA_DISPUTE_STATUS_NEEDS_RESPONSE);
  id = kassa_dispute_repository_record (fixture->disputes, created, &changed, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_true (changed);
  g_assert_cmpint (order_dispute_status (fixture, order_id), ==, KASSA_DISPUTE_STATUS_NEEDS_RESPONSE);

  loaded = kassa_dispute_repository_load_by_stripe_id (fixture->disputes, "dp_test_1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (loaded->id, ==, id);
  g_assert_cmpint (loaded->order_id, ==, order_id);
  g_assert_cmpstr (loaded->stripe_charge_id, ==, "ch_test_1");
  g_assert_cmpint (loaded->status, ==, KASSA_DISPUTE_STATUS_NEEDS_RESPONSE);
  g_assert_cmpstr (loaded->reason, ==, "product_not_received");
  g_assert_cmpint (loaded->amount, ==, 4980);
  g_assert_cmpstr (loaded->currency_code, ==, "EUR");
  g_assert_true (g_date_time_equal (loaded->evidence_due_by, created->evidence_due_by));

  /* The same report again changes nothing. */
  kassa_dispute_repository_record (fixture->disputes, created, &changed, &error);
  g_assert_no_error (error);
  g_assert_false (changed);

  /* A later report without the order keeps the link. */
  review = stripe_dispute (0, KASSA_DISPUTE_STATUS_UNDER_REVIEW);
  g_assert_cmpint (kassa_dispute_repository_record (fixture->disputes, review, &changed, &error), ==, id);
  g_assert_no_error (error);
  g_assert_true (changed);
  g_assert_cmpint (review->order_id, ==, order_id);
  g_assert_cmpint (order_dispute_status (fixture, order_id), ==, KASSA_DISPUTE_STATUS_UNDER_REVIEW);

  won = stripe_dispute (order_id, KASSA_DISPUTE_STATUS_WON);
  kassa_dispute_repository_record (fixture->disputes, won, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (order_dispute_status (fixture, order_id), ==, KASSA_DISPUTE_STATUS_WON);

  list = kassa_dispute_repository_list_by_order (fixture->disputes, order_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (((KassaDispute *) list->pdata[0])->status, ==, KASSA_DISPUTE_STATUS_WON);
}

static void
test_never_backwards (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaDispute) lost = NULL;
  g_autoptr(KassaDispute) late = NULL;
  g_autoptr(KassaDispute) loaded = NULL;
  gint64 order_id = order_test_insert_paid (&fixture->base, "D-2", KASSA_ORDER_MODE_STRIPE, NULL);

  lost = stripe_dispute (order_id, KASSA_DISPUTE_STATUS_NEEDS_RESPONSE);
  kassa_dispute_repository_record (fixture->disputes, lost, NULL, &error);
  g_assert_no_error (error);
  lost->status = KASSA_DISPUTE_STATUS_LOST;
  kassa_dispute_repository_record (fixture->disputes, lost, NULL, &error);
  g_assert_no_error (error);

  /* An older event arriving late is refused and writes nothing. */
  late = stripe_dispute (order_id, KASSA_DISPUTE_STATUS_UNDER_REVIEW);
  late->amount = 1;
  g_assert_cmpint (kassa_dispute_repository_record (fixture->disputes, late, NULL, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_assert_false (kassa_database_in_transaction (fixture->base.db));

  loaded = kassa_dispute_repository_load_by_stripe_id (fixture->disputes, "dp_test_1", NULL);
  g_assert_cmpint (loaded->status, ==, KASSA_DISPUTE_STATUS_LOST);
  g_assert_cmpint (loaded->amount, ==, 4980);
  g_assert_cmpint (order_dispute_status (fixture, order_id), ==, KASSA_DISPUTE_STATUS_LOST);
}

static void
test_unpaid_order_refused (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaOrder) order = order_test_new ("D-3", KASSA_ORDER_MODE_STRIPE, 1, NULL);
  g_autoptr(KassaDispute) dispute = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(KassaDispute) unmatched = NULL;
  gint64 order_id;

  order_test_add_line (order, "Lamp", KASSA_QUANTITY_ONE, 4980, 190000);
  order_id = kassa_order_repository_insert (fixture->base.orders, order, NULL, &error);
  g_assert_no_error (error);

  /* The order's own rule: only a paid order is disputed. */
  dispute = stripe_dispute (order_id, KASSA_DISPUTE_STATUS_NEEDS_RESPONSE);
  g_assert_cmpint (kassa_dispute_repository_record (fixture->disputes, dispute, NULL, &error), ==, 0);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  list = kassa_dispute_repository_list_by_order (fixture->disputes, order_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);

  /* A dispute on a charge that matches no order is still kept. */
  unmatched = stripe_dispute (0, KASSA_DISPUTE_STATUS_WARNING_NEEDS_RESPONSE);
  g_free (unmatched->stripe_dispute_id);
  unmatched->stripe_dispute_id = g_strdup ("dp_test_unmatched");
  g_assert_cmpint (kassa_dispute_repository_record (fixture->disputes, unmatched, NULL, &error), >, 0);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/kassa/dispute-repository/record-and-update", test_record_and_update);
  ADD ("/kassa/dispute-repository/never-backwards", test_never_backwards);
  ADD ("/kassa/dispute-repository/unpaid-order-refused", test_unpaid_order_refused);

#undef ADD

  return g_test_run ();
}
