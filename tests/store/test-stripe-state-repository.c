/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-stripe-state-repository"

#include "config.h"

#include "kassa-database.h"
#include "kassa-error.h"
#include "kassa-store-error.h"
#include "kassa-store-private.h"
#include "kassa-stripe-state-repository.h"

#include "store-test-utils.h"

typedef struct
{
  char                       *dir;
  char                       *path;
  KassaDatabase              *db;
  KassaStripeStateRepository *state;
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
  fixture->state = kassa_stripe_state_repository_new (fixture->db);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->state);
  g_clear_object (&fixture->db);
  store_test_remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static GDateTime *
utc (int hour, int minute, double seconds)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();

  return g_date_time_new (tz, 2026, 11, 28, hour, minute, seconds);
}

static void
add_request (Fixture    *fixture,
             const char *key,
             const char *path,
             gint64      entity_id)
{
  g_autoptr(GError) error = NULL;
  KassaStripeRequest request = { 0, };

  request.idempotency_key = (char *) key;
  request.method = (char *) "POST";
  request.path = (char *) path;
  request.body = (char *) "payment_intent=pi_1&amount=500";
  request.entity_kind = (char *) "refund";
  request.entity_id = entity_id;

  kassa_stripe_state_repository_add_request (fixture->state, &request, &error);
  g_assert_no_error (error);
}

static void
test_duplicate_events (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean is_new = FALSE;
  gboolean seen = TRUE;
  sqlite3 *raw;

  kassa_stripe_state_repository_has_event (fixture->state, "evt_1", &seen, &error);
  g_assert_no_error (error);
  g_assert_false (seen);

  kassa_stripe_state_repository_record_event (fixture->state, "evt_1", "checkout.session.completed",
                                              1764300000, &is_new, &error);
  g_assert_no_error (error);
  g_assert_true (is_new);

  /* The webhook delivers what polling already applied. */
  kassa_stripe_state_repository_record_event (fixture->state, "evt_1", "checkout.session.completed",
                                              1764300000, &is_new, &error);
  g_assert_no_error (error);
  g_assert_false (is_new);

  kassa_stripe_state_repository_record_event (fixture->state, "evt_2", "charge.refunded",
                                              1764300050, &is_new, &error);
  g_assert_no_error (error);
  g_assert_true (is_new);

  kassa_stripe_state_repository_has_event (fixture->state, "evt_1", &seen, &error);
  g_assert_no_error (error);
  g_assert_true (seen);

  raw = store_test_open_raw (fixture->path);
  g_assert_cmpint (store_test_query_int (raw, "SELECT count(*) FROM stripe_event"), ==, 2);
  sqlite3_close (raw);

  /* Recorded in a transaction that rolls back, the event stays new. */
  kassa_database_begin (fixture->db, &error);
  g_assert_no_error (error);
  kassa_stripe_state_repository_record_event (fixture->state, "evt_3", "charge.dispute.created",
                                              1764300100, &is_new, &error);
  g_assert_no_error (error);
  g_assert_true (is_new);
  kassa_database_rollback (fixture->db, &error);
  g_assert_no_error (error);
  kassa_stripe_state_repository_record_event (fixture->state, "evt_3", "charge.dispute.created",
                                              1764300100, &is_new, &error);
  g_assert_no_error (error);
  g_assert_true (is_new);
}

static void
test_events_cursor (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *moved = NULL;

  kassa_stripe_state_repository_get_events_cursor (fixture->state, &cursor, &error);
  g_assert_no_error (error);
  g_assert_null (cursor);

  kassa_stripe_state_repository_set_events_cursor (fixture->state, "evt_10", &error);
  g_assert_no_error (error);
  kassa_stripe_state_repository_set_events_cursor (fixture->state, "evt_11", &error);
  g_assert_no_error (error);

  kassa_stripe_state_repository_get_events_cursor (fixture->state, &moved, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (moved, ==, "evt_11");
}

static void
test_requests (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaStripeRequest) loaded = NULL;
  g_autoptr(KassaStripeRequest) found = NULL;
  g_autoptr(KassaStripeRequest) finished = NULL;
  g_autoptr(GPtrArray) unsettled = NULL;
  g_autoptr(GPtrArray) settled = NULL;
  g_autofree char *too_long = g_strnfill (256, 'k');
  KassaStripeRequest bad = { 0, };

  add_request (fixture, "kassa-refund-7-1", "/v1/refunds", 7);

  loaded = kassa_stripe_state_repository_load_request (fixture->state, "kassa-refund-7-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->method, ==, "POST");
  g_assert_cmpstr (loaded->path, ==, "/v1/refunds");
  g_assert_cmpstr (loaded->body, ==, "payment_intent=pi_1&amount=500");
  g_assert_cmpstr (loaded->entity_kind, ==, "refund");
  g_assert_cmpint (loaded->entity_id, ==, 7);
  g_assert_cmpint (loaded->outcome, ==, KASSA_STRIPE_OUTCOME_PENDING);
  g_assert_null (loaded->object_id);
  g_assert_cmpint (loaded->attempts, ==, 0);

  /* A retry finds the key it must reuse. */
  found = kassa_stripe_state_repository_find_request (fixture->state, "refund", 7, "POST", "/v1/refunds", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->idempotency_key, ==, "kassa-refund-7-1");

  /* A key is used for one request only. */
  bad.idempotency_key = (char *) "kassa-refund-7-1";
  bad.method = (char *) "POST";
  bad.path = (char *) "/v1/refunds";
  g_assert_false (kassa_stripe_state_repository_add_request (fixture->state, &bad, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  bad.idempotency_key = too_long;
  g_assert_false (kassa_stripe_state_repository_add_request (fixture->state, &bad, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  kassa_stripe_state_repository_note_attempt (fixture->state, "kassa-refund-7-1", "timeout", &error);
  g_assert_no_error (error);
  add_request (fixture, "kassa-refund-8-1", "/v1/refunds", 8);

  unsettled = kassa_stripe_state_repository_list_unsettled (fixture->state, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unsettled->len, ==, 2);

  kassa_stripe_state_repository_finish_request (fixture->state, "kassa-refund-7-1",
                                                KASSA_STRIPE_OUTCOME_SUCCEEDED, "re_123", &error);
  g_assert_no_error (error);
  kassa_stripe_state_repository_finish_request (fixture->state, "kassa-refund-8-1",
                                                KASSA_STRIPE_OUTCOME_UNKNOWN, NULL, &error);
  g_assert_no_error (error);

  finished = kassa_stripe_state_repository_load_request (fixture->state, "kassa-refund-7-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (finished->outcome, ==, KASSA_STRIPE_OUTCOME_SUCCEEDED);
  g_assert_cmpstr (finished->object_id, ==, "re_123");
  g_assert_cmpint (finished->attempts, ==, 1);
  g_assert_cmpstr (finished->last_error, ==, "timeout");

  /* Unknown still needs a look. */
  settled = kassa_stripe_state_repository_list_unsettled (fixture->state, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (settled->len, ==, 1);
  g_assert_cmpstr (((KassaStripeRequest *) settled->pdata[0])->idempotency_key, ==, "kassa-refund-8-1");

  g_assert_false (kassa_stripe_state_repository_finish_request (fixture->state, "nope",
                                                                KASSA_STRIPE_OUTCOME_FAILED, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
}

static void
test_outbox_ordering (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) t0 = utc (10, 0, 0);
  g_autoptr(GDateTime) t1 = utc (10, 0, 1);
  g_autoptr(GDateTime) t5 = utc (10, 0, 5);
  g_autoptr(GDateTime) t9 = utc (10, 0, 9);
  g_autoptr(GDateTime) t30 = utc (10, 0, 30);
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(GPtrArray) last = NULL;
  g_autoptr(KassaStripeRequest) request = NULL;
  gint64 a, b, c;

  add_request (fixture, "k-a", "/v1/refunds", 1);
  add_request (fixture, "k-b", "/v1/refunds", 2);
  add_request (fixture, "k-c", "/v1/refunds", 3);

  /* Queued out of order; due order wins, then queue order. */
  c = kassa_stripe_state_repository_enqueue (fixture->state, "k-c", t5, &error);
  g_assert_no_error (error);
  a = kassa_stripe_state_repository_enqueue (fixture->state, "k-a", t1, &error);
  g_assert_no_error (error);
  b = kassa_stripe_state_repository_enqueue (fixture->state, "k-b", t1, &error);
  g_assert_no_error (error);

  due = kassa_stripe_state_repository_next_due (fixture->state, t0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 0);
  g_clear_pointer (&due, g_ptr_array_unref);

  due = kassa_stripe_state_repository_next_due (fixture->state, t5, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 3);
  g_assert_cmpint (((KassaStripeOutboxEntry *) due->pdata[0])->id, ==, a);
  g_assert_cmpint (((KassaStripeOutboxEntry *) due->pdata[1])->id, ==, b);
  g_assert_cmpint (((KassaStripeOutboxEntry *) due->pdata[2])->id, ==, c);
  g_assert_cmpstr (((KassaStripeOutboxEntry *) due->pdata[0])->idempotency_key, ==, "k-a");
  g_assert_true (g_date_time_equal (((KassaStripeOutboxEntry *) due->pdata[2])->next_attempt_at, t5));

  /* a is done, b backs off to 0:09, c gives up. */
  kassa_stripe_state_repository_mark_done (fixture->state, a, &error);
  g_assert_no_error (error);
  kassa_stripe_state_repository_mark_failed (fixture->state, b, t9, "HTTP 503", &error);
  g_assert_no_error (error);
  kassa_stripe_state_repository_mark_failed (fixture->state, c, NULL, "HTTP 400", &error);
  g_assert_no_error (error);

  later = kassa_stripe_state_repository_next_due (fixture->state, t5, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (later->len, ==, 0);

  last = kassa_stripe_state_repository_next_due (fixture->state, t30, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (last->len, ==, 1);
  g_assert_cmpint (((KassaStripeOutboxEntry *) last->pdata[0])->id, ==, b);

  request = kassa_stripe_state_repository_load_request (fixture->state, "k-b", &error);
  g_assert_no_error (error);
  g_assert_cmpint (request->attempts, ==, 1);
  g_assert_cmpstr (request->last_error, ==, "HTTP 503");

  /* Done entries are done. */
  g_assert_false (kassa_stripe_state_repository_mark_done (fixture->state, a, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* An entry needs its request stored first. */
  g_assert_cmpint (kassa_stripe_state_repository_enqueue (fixture->state, "k-missing", NULL, &error), ==, 0);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/kassa/stripe-state-repository/duplicate-events", test_duplicate_events);
  ADD ("/kassa/stripe-state-repository/events-cursor", test_events_cursor);
  ADD ("/kassa/stripe-state-repository/requests", test_requests);
  ADD ("/kassa/stripe-state-repository/outbox-ordering", test_outbox_ordering);

#undef ADD

  return g_test_run ();
}
