/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kassa-error.h"
#include "kassa-payment-error.h"
#include "kassa-shop-subscriptions.h"
#include "kassa-stripe-state-repository.h"
#include "kassa-stripe-sync.h"

#include "stripe-test-utils.h"

static gint64
add_local (StripeFixture           *fixture,
           const char              *stripe_id,
           KassaSubscriptionStatus  status,
           gint64                   period_end)
{
  g_autoptr(KassaSubscriptionRepository) repository =
    kassa_subscription_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaSubscription) subscription = g_object_new (KASSA_TYPE_SUBSCRIPTION, "status", status, NULL);
  g_autoptr(GDateTime) end = g_date_time_new_from_unix_utc (period_end);
  g_autoptr(GError) error = NULL;

  kassa_subscription_set_stripe_subscription_id (subscription, stripe_id);
  kassa_subscription_set_stripe_customer_id (subscription, "cus_1");
  kassa_subscription_set_customer_id (subscription, 1);
  kassa_subscription_set_current_period_end (subscription, end);
  kassa_subscription_repository_save (repository, subscription, &error);
  g_assert_no_error (error);

  return kassa_subscription_get_id (subscription);
}

static KassaSubscription *
load_local (StripeFixture *fixture,
            gint64         id)
{
  g_autoptr(KassaSubscriptionRepository) repository =
    kassa_subscription_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(GError) error = NULL;
  KassaSubscription *subscription = kassa_subscription_repository_load (repository, id, &error);

  g_assert_no_error (error);
  return subscription;
}

static gboolean
change (StripeFixture            *fixture,
        gint64                    id,
        KassaSubscriptionChange   what,
        gboolean                 *queued,
        GError                  **error)
{
  StripeWait wait = { NULL };
  gboolean ok;

  kassa_shop_change_subscription_async (fixture->shop, fixture->client, id, what, NULL, stripe_test_done_cb, &wait);
  ok = kassa_shop_change_subscription_finish (fixture->shop, stripe_test_wait (&wait), queued, error);
  g_object_unref (wait.result);

  return ok;
}

static const KassaFakeStripeRequest *
last_request (StripeFixture *fixture)
{
  return kassa_fake_stripe_get_request (fixture->fake, kassa_fake_stripe_get_n_requests (fixture->fake) - 1);
}

static void
test_list (StripeFixture *fixture,
           gconstpointer  data)
{
  g_autoptr(KassaStaff) cashier = kassa_staff_new ();
  g_autoptr(KassaStaff) viewer = kassa_staff_new ();
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  KassaSubscriptionFilter active = KASSA_SUBSCRIPTION_FILTER_INIT;

  add_local (fixture, "sub_late", KASSA_SUBSCRIPTION_STATUS_ACTIVE, 1800000000);
  add_local (fixture, "sub_soon", KASSA_SUBSCRIPTION_STATUS_PAST_DUE, 1750000000);
  add_local (fixture, "sub_mid", KASSA_SUBSCRIPTION_STATUS_ACTIVE, 1760000000);

  list = kassa_shop_list_subscriptions (fixture->shop, NULL, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (kassa_subscription_get_stripe_subscription_id (g_ptr_array_index (list, 0)), ==, "sub_soon");
  g_assert_cmpint (kassa_subscription_get_status (g_ptr_array_index (list, 0)), ==,
                   KASSA_SUBSCRIPTION_STATUS_PAST_DUE);
  g_assert_cmpint (g_date_time_to_unix (kassa_subscription_get_current_period_end (g_ptr_array_index (list, 0))),
                   ==, 1750000000);
  g_assert_cmpstr (kassa_subscription_get_stripe_subscription_id (g_ptr_array_index (list, 2)), ==, "sub_late");
  g_clear_pointer (&list, g_ptr_array_unref);

  active.status = KASSA_SUBSCRIPTION_STATUS_ACTIVE;
  list = kassa_shop_list_subscriptions (fixture->shop, &active, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* A viewer reads the list; a cashier does not. */
  kassa_staff_set_role (viewer, KASSA_STAFF_ROLE_VIEWER);
  kassa_shop_set_actor (fixture->shop, viewer);
  list = kassa_shop_list_subscriptions (fixture->shop, NULL, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_clear_pointer (&list, g_ptr_array_unref);

  kassa_staff_set_role (cashier, KASSA_STAFF_ROLE_CASHIER);
  kassa_shop_set_actor (fixture->shop, cashier);
  list = kassa_shop_list_subscriptions (fixture->shop, NULL, 0, 10, &error);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_assert_null (list);
}

static void
test_permission (StripeFixture *fixture,
                 gconstpointer  data)
{
  g_autoptr(KassaStaff) cashier = kassa_staff_new ();
  g_autoptr(GError) error = NULL;
  gint64 id = add_local (fixture, "sub_p", KASSA_SUBSCRIPTION_STATUS_ACTIVE, 1800000000);

  kassa_fake_stripe_add_subscription (fixture->fake, "sub_p", "cus_1", "active", "month", 1, 1800000000);
  kassa_staff_set_role (cashier, KASSA_STAFF_ROLE_CASHIER);
  kassa_shop_set_actor (fixture->shop, cashier);

  g_assert_false (change (fixture, id, KASSA_SUBSCRIPTION_CHANGE_CANCEL_NOW, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* Nobody signed in either. */
  kassa_shop_set_actor (fixture->shop, NULL);
  g_assert_false (change (fixture, id, KASSA_SUBSCRIPTION_CHANGE_PAUSE, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_assert_cmpuint (kassa_fake_stripe_get_n_requests (fixture->fake), ==, 0);
}

static void
test_cancel_at_period_end (StripeFixture *fixture,
                           gconstpointer  data)
{
  g_autoptr(KassaStaff) manager = kassa_staff_new ();
  g_autoptr(KassaSubscription) local = NULL;
  g_autoptr(GError) error = NULL;
  const KassaFakeStripeRequest *request;
  JsonObject *remote;
  gboolean queued = TRUE;
  gint64 id = add_local (fixture, "sub_a", KASSA_SUBSCRIPTION_STATUS_ACTIVE, 1800000000);

  remote = kassa_fake_stripe_add_subscription (fixture->fake, "sub_a", "cus_1", "active", "month", 1, 1800000000);
  kassa_staff_set_role (manager, KASSA_STAFF_ROLE_MANAGER);
  kassa_shop_set_actor (fixture->shop, manager);

  g_assert_true (change (fixture, id, KASSA_SUBSCRIPTION_CHANGE_CANCEL_AT_PERIOD_END, &queued, &error));
  g_assert_no_error (error);
  g_assert_false (queued);

  request = last_request (fixture);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, "/v1/subscriptions/sub_a");
  g_assert_cmpstr (request->body, ==, "cancel_at_period_end=true");
  g_assert_nonnull (soup_message_headers_get_one (request->headers, "Idempotency-Key"));
  g_assert_true (json_object_get_boolean_member (remote, "cancel_at_period_end"));

  local = load_local (fixture, id);
  g_assert_true (kassa_subscription_get_cancel_at_period_end (local));
  g_assert_cmpint (kassa_subscription_get_status (local), ==, KASSA_SUBSCRIPTION_STATUS_ACTIVE);
}

static void
test_cancel_now (StripeFixture *fixture,
                 gconstpointer  data)
{
  g_autoptr(KassaSubscription) local = NULL;
  g_autoptr(GError) error = NULL;
  const KassaFakeStripeRequest *request;
  gint64 id = add_local (fixture, "sub_b", KASSA_SUBSCRIPTION_STATUS_ACTIVE, 1800000000);

  kassa_fake_stripe_add_subscription (fixture->fake, "sub_b", "cus_1", "active", "month", 1, 1800000000);

  g_assert_true (change (fixture, id, KASSA_SUBSCRIPTION_CHANGE_CANCEL_NOW, NULL, &error));
  g_assert_no_error (error);
  request = last_request (fixture);
  g_assert_cmpstr (request->method, ==, "DELETE");
  g_assert_cmpstr (request->path, ==, "/v1/subscriptions/sub_b");

  local = load_local (fixture, id);
  g_assert_cmpint (kassa_subscription_get_status (local), ==, KASSA_SUBSCRIPTION_STATUS_CANCELED);

  /* An ended subscription cannot be changed; nothing is sent. */
  g_assert_false (change (fixture, id, KASSA_SUBSCRIPTION_CHANGE_RESUME, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, NULL, NULL), ==, 1);
}

static void
test_pause_resume (StripeFixture *fixture,
                   gconstpointer  data)
{
  g_autoptr(KassaSubscription) local = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *remote;
  JsonObject *paused;
  gint64 id = add_local (fixture, "sub_c", KASSA_SUBSCRIPTION_STATUS_ACTIVE, 1800000000);
  gint64 paused_id = add_local (fixture, "sub_d", KASSA_SUBSCRIPTION_STATUS_PAUSED, 1800000000);

  remote = kassa_fake_stripe_add_subscription (fixture->fake, "sub_c", "cus_1", "active", "month", 1, 1800000000);
  paused = kassa_fake_stripe_add_subscription (fixture->fake, "sub_d", "cus_1", "paused", "month", 1, 1800000000);

  g_assert_true (change (fixture, id, KASSA_SUBSCRIPTION_CHANGE_PAUSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (last_request (fixture)->body, ==, "pause_collection[behavior]=void");
  g_assert_false (json_object_get_null_member (remote, "pause_collection"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (remote, "pause_collection"),
                                                  "behavior"), ==, "void");

  g_assert_true (change (fixture, id, KASSA_SUBSCRIPTION_CHANGE_RESUME, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (last_request (fixture)->path, ==, "/v1/subscriptions/sub_c");
  g_assert_cmpstr (last_request (fixture)->body, ==, "pause_collection=");
  g_assert_true (json_object_get_null_member (remote, "pause_collection"));

  /* One Stripe paused itself resumes through its own endpoint. */
  g_assert_true (change (fixture, paused_id, KASSA_SUBSCRIPTION_CHANGE_RESUME, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (last_request (fixture)->path, ==, "/v1/subscriptions/sub_d/resume");
  g_assert_cmpstr (json_object_get_string_member (paused, "status"), ==, "active");
  local = load_local (fixture, paused_id);
  g_assert_cmpint (kassa_subscription_get_status (local), ==, KASSA_SUBSCRIPTION_STATUS_ACTIVE);
}

static void
test_compute_cancel_at (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) anchor = g_date_time_new (utc, 2026, 1, 31, 9, 30, 0);
  g_autoptr(GDateTime) months = NULL;
  g_autoptr(GDateTime) quarters = NULL;
  g_autoptr(GDateTime) years = NULL;
  g_autoptr(GDateTime) weeks = NULL;
  g_autoptr(GDateTime) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  months = kassa_shop_subscription_compute_cancel_at (anchor, "month", 1, 1, &error);
  g_assert_no_error (error);
  text = g_date_time_format_iso8601 (months);
  g_assert_cmpstr (text, ==, "2026-02-28T09:30:00Z");
  g_clear_pointer (&text, g_free);

  quarters = kassa_shop_subscription_compute_cancel_at (anchor, "month", 3, 4, &error);
  g_assert_no_error (error);
  text = g_date_time_format_iso8601 (quarters);
  g_assert_cmpstr (text, ==, "2027-01-31T09:30:00Z");
  g_clear_pointer (&text, g_free);

  years = kassa_shop_subscription_compute_cancel_at (anchor, "year", 1, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_date_time_get_year (years), ==, 2028);

  weeks = kassa_shop_subscription_compute_cancel_at (anchor, "week", 2, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_date_time_difference (weeks, anchor), ==, 42 * G_TIME_SPAN_DAY);

  none = kassa_shop_subscription_compute_cancel_at (anchor, "fortnight", 1, 1, &error);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_null (none);
  g_clear_error (&error);
  none = kassa_shop_subscription_compute_cancel_at (anchor, "month", 1, 0, &error);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_null (none);
}

static void
test_limit_cycles (StripeFixture *fixture,
                   gconstpointer  data)
{
  g_autoptr(KassaSubscription) local = NULL;
  g_autoptr(GDateTime) anchor = NULL;
  g_autoptr(GDateTime) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_body = NULL;
  StripeWait wait = { NULL };
  JsonObject *remote;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 id = add_local (fixture, "sub_e", KASSA_SUBSCRIPTION_STATUS_ACTIVE, now + 30 * 86400);
  gboolean queued = TRUE;

  remote = kassa_fake_stripe_add_subscription (fixture->fake, "sub_e", "cus_1", "active", "month", 1, now + 30 * 86400);
  /* Started a week ago. */
  json_object_set_int_member (remote, "billing_cycle_anchor", now - 7 * 86400);

  kassa_shop_limit_subscription_cycles_async (fixture->shop, fixture->client, id, 6, NULL, stripe_test_done_cb, &wait);
  g_assert_true (kassa_shop_limit_subscription_cycles_finish (fixture->shop, stripe_test_wait (&wait), &queued, &error));
  g_object_unref (wait.result);
  g_assert_no_error (error);
  g_assert_false (queued);

  anchor = g_date_time_new_from_unix_utc (now - 7 * 86400);
  expected = g_date_time_add_months (anchor, 6);
  expected_body = g_strdup_printf ("cancel_at=%" G_GINT64_FORMAT, g_date_time_to_unix (expected));
  g_assert_cmpstr (last_request (fixture)->body, ==, expected_body);
  g_assert_cmpint (json_object_get_int_member (remote, "cancel_at"), ==, g_date_time_to_unix (expected));

  local = load_local (fixture, id);
  g_assert_cmpuint (kassa_subscription_get_cycle_limit (local), ==, 6);

  /* Cycles that already went by cannot be the limit. */
  json_object_set_int_member (remote, "billing_cycle_anchor", now - 400 * 86400);
  wait.result = NULL;
  kassa_shop_limit_subscription_cycles_async (fixture->shop, fixture->client, id, 2, NULL, stripe_test_done_cb, &wait);
  g_assert_false (kassa_shop_limit_subscription_cycles_finish (fixture->shop, stripe_test_wait (&wait), NULL, &error));
  g_object_unref (wait.result);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
}

static void
test_offline_queued (StripeFixture *fixture,
                     gconstpointer  data)
{
  g_autoptr(KassaSubscription) local = NULL;
  g_autoptr(GError) error = NULL;
  KassaFakeFault fault = { 0, };
  StripeWait wait = { NULL };
  gboolean queued = FALSE;
  guint sent = 0;
  gint64 id = add_local (fixture, "sub_f", KASSA_SUBSCRIPTION_STATUS_ACTIVE, 1800000000);

  kassa_fake_stripe_add_subscription (fixture->fake, "sub_f", "cus_1", "active", "month", 1, 1800000000);
  fault.kind = KASSA_FAKE_FAULT_STATUS;
  fault.status = 503;
  fault.should_retry = -1;
  fault.path_prefix = "/v1/subscriptions";
  kassa_fake_stripe_push_fault (fixture->fake, &fault);

  g_assert_true (change (fixture, id, KASSA_SUBSCRIPTION_CHANGE_CANCEL_NOW, &queued, &error));
  g_assert_no_error (error);
  g_assert_true (queued);
  local = load_local (fixture, id);
  g_assert_cmpint (kassa_subscription_get_status (local), ==, KASSA_SUBSCRIPTION_STATUS_ACTIVE);
  g_clear_object (&local);

  /* Make the entry due and let the worker send it. */
  {
    g_autoptr(KassaStripeStateRepository) state =
      kassa_stripe_state_repository_new (kassa_shop_get_database (fixture->shop));
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) later = g_date_time_add_hours (now, 3);
    g_autoptr(GPtrArray) due = kassa_stripe_state_repository_next_due (state, later, 10, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (due->len, ==, 1);
    kassa_stripe_state_repository_mark_failed (state, ((KassaStripeOutboxEntry *) g_ptr_array_index (due, 0))->id,
                                               now, "test", &error);
    g_assert_no_error (error);
  }

  kassa_stripe_sync_flush_outbox_async (fixture->shop, fixture->client, NULL, stripe_test_done_cb, &wait);
  g_assert_true (kassa_stripe_sync_flush_outbox_finish (fixture->shop, stripe_test_wait (&wait), &sent, NULL, &error));
  g_object_unref (wait.result);
  g_assert_no_error (error);
  g_assert_cmpuint (sent, ==, 1);
  g_assert_cmpstr (last_request (fixture)->method, ==, "DELETE");
  g_assert_cmpuint (kassa_fake_stripe_count_requests (fixture->fake, "DELETE", "/v1/subscriptions/sub_f"), ==, 2);

  local = load_local (fixture, id);
  g_assert_cmpint (kassa_subscription_get_status (local), ==, KASSA_SUBSCRIPTION_STATUS_CANCELED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/shop-subscriptions/" path, StripeFixture, NULL, stripe_fixture_set_up, func, \
              stripe_fixture_tear_down)

  ADD ("list", test_list);
  ADD ("permission", test_permission);
  ADD ("cancel-at-period-end", test_cancel_at_period_end);
  ADD ("cancel-now", test_cancel_now);
  ADD ("pause-resume", test_pause_resume);
  ADD ("limit-cycles", test_limit_cycles);
  ADD ("offline-queued", test_offline_queued);
  g_test_add_func ("/kassa/shop-subscriptions/compute-cancel-at", test_compute_cancel_at);

#undef ADD

  return g_test_run ();
}
