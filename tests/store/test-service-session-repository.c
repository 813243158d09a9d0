/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-service-session-repository"

#include "config.h"

#include "kassa-core-enum-types.h"
#include "kassa-database.h"
#include "kassa-error.h"
#include "kassa-service-session-repository.h"
#include "kassa-store-error.h"
#include "kassa-store-private.h"

#include "store-test-utils.h"

typedef struct
{
  char                          *dir;
  char                          *path;
  KassaDatabase                 *db;
  KassaServiceSessionRepository *repo;
  GDateTime                     *now;
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
  fixture->repo = kassa_service_session_repository_new (fixture->db);
  fixture->now = g_date_time_new_utc (2026, 11, 28, 14, 0, 0);

  /* Two customers, a sauna pass sold on order 7, line 70, and the
   * staff member who lets people in. */
  store_test_exec_raw (kassa_database_get_handle (fixture->db),
                       "INSERT INTO customer (id, name, created_at, updated_at) VALUES "
                       "(2, 'Ana', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'), "
                       "(3, 'Ben', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z');"
                       "INSERT INTO staff (id, name, role, created_at, updated_at) VALUES "
                       "(4, 'Cleo', 'service-provider', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z');"
                       "INSERT INTO catalog_item (id, kind, name, price, currency, tax_rate, duration_minutes, "
                       "status, created_at, updated_at) VALUES "
                       "(5, 'service', 'Sauna, 90 minutes', 1800, 'EUR', 70000, 90, 'active', "
                       "'2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z');"
                       "INSERT INTO \"order\" (id, number, customer_id, currency, mode, prices_include_tax, "
                       "tax_scope, rounding, untaxed, tax, total, created_at, updated_at) VALUES "
                       "(7, 'A-7', 2, 'EUR', 'manual', 1, 'document', 'half-up', 1682, 118, 1800, "
                       "'2026-11-28T13:00:00.000000Z', '2026-11-28T13:00:00.000000Z'), "
                       "(8, 'A-8', 3, 'EUR', 'manual', 1, 'document', 'half-up', 1682, 118, 1800, "
                       "'2026-11-28T13:00:00.000000Z', '2026-11-28T13:00:00.000000Z');"
                       "INSERT INTO order_line (id, order_id, position, item_id, name, quantity, unit_price, "
                       "tax_rate, net, tax) VALUES "
                       "(70, 7, 0, 5, 'Sauna, 90 minutes', 1000, 1800, 70000, 1682, 118), "
                       "(80, 8, 0, 5, 'Sauna, 90 minutes', 1000, 1800, 70000, 1682, 118)");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->now, g_date_time_unref);
  g_clear_object (&fixture->repo);
  g_clear_object (&fixture->db);
  store_test_remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static GDateTime *
minutes_from (GDateTime *time,
              int        minutes)
{
  return g_date_time_add_minutes (time, minutes);
}

/* A session as sold, or as loaded in some later state. */
static KassaServiceSession *
save_session (Fixture                   *fixture,
              gint64                     customer_id,
              KassaServiceSessionStatus  status,
              GDateTime                 *started_at,
              guint                      duration_minutes)
{
  g_autoptr(GError) error = NULL;
  KassaServiceSession *session = g_object_new (KASSA_TYPE_SERVICE_SESSION,
                                               "order-id", (gint64) (customer_id == 2 ? 7 : 8),
                                               "order-line-id", (gint64) (customer_id == 2 ? 70 : 80),
                                               "item-id", (gint64) 5,
                                               "customer-id", customer_id,
                                               "duration-minutes", duration_minutes,
                                               "status", status,
                                               "started-at", started_at,
                                               NULL);

  kassa_service_session_repository_save (fixture->repo, session, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_service_session_get_id (session), >, 0);

  return session;
}

static KassaServiceSession *
reload (Fixture             *fixture,
        KassaServiceSession *session)
{
  g_autoptr(GError) error = NULL;
  KassaServiceSession *loaded = kassa_service_session_repository_load (fixture->repo,
                                                                       kassa_service_session_get_id (session),
                                                                       &error);

  g_assert_no_error (error);
  return loaded;
}

static char *
stored_text (Fixture             *fixture,
             KassaServiceSession *session,
             const char          *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce (%s, 'NULL') FROM service_session WHERE id = %"
                                          G_GINT64_FORMAT, column, kassa_service_session_get_id (session));

  return store_test_query_text (kassa_database_get_handle (fixture->db), sql);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaServiceSession) sold = save_session (fixture, 2, KASSA_SERVICE_SESSION_STATUS_PENDING, NULL, 90);
  g_autoptr(KassaServiceSession) loaded = reload (fixture, sold);
  g_autoptr(GPtrArray) for_order = NULL;
  g_autofree char *ends_at = stored_text (fixture, sold, "ends_at");

  g_assert_cmpint (kassa_service_session_get_status (loaded), ==, KASSA_SERVICE_SESSION_STATUS_PENDING);
  g_assert_cmpint (kassa_service_session_get_order_id (loaded), ==, 7);
  g_assert_cmpint (kassa_service_session_get_order_line_id (loaded), ==, 70);
  g_assert_cmpint (kassa_service_session_get_item_id (loaded), ==, 5);
  g_assert_cmpint (kassa_service_session_get_customer_id (loaded), ==, 2);
  g_assert_cmpuint (kassa_service_session_get_duration_minutes (loaded), ==, 90);
  g_assert_cmpint (kassa_service_session_get_provider_staff_id (loaded), ==, 0);
  g_assert_null (kassa_service_session_get_started_at (loaded));
  g_assert_cmpstr (ends_at, ==, "NULL");

  for_order = kassa_service_session_repository_list_for_order (fixture->repo, 7, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (for_order->len, ==, 1);
  g_assert_cmpint (kassa_service_session_get_id (g_ptr_array_index (for_order, 0)), ==,
                   kassa_service_session_get_id (sold));

  g_assert_null (kassa_service_session_repository_load (fixture->repo, 999, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Sold without an order or duration: refused before the database. */
  {
    g_autoptr(KassaServiceSession) unsold = g_object_new (KASSA_TYPE_SERVICE_SESSION,
                                                          "customer-id", (gint64) 2,
                                                          "duration-minutes", 30u,
                                                          NULL);

    g_assert_false (kassa_service_session_repository_save (fixture->repo, unsold, &error));
    g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
    g_clear_error (&error);

    /* An order that does not exist is the database's to refuse. */
    kassa_service_session_set_order_id (unsold, 99);
    g_assert_false (kassa_service_session_repository_save (fixture->repo, unsold, &error));
    g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
    g_clear_error (&error);
    g_assert_cmpint (kassa_service_session_get_id (unsold), ==, 0);
  }
}

static void
test_start_and_expire (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaServiceSession) session = save_session (fixture, 2, KASSA_SERVICE_SESSION_STATUS_PENDING,
                                                         NULL, 90);
  g_autoptr(KassaServiceSession) other_till = reload (fixture, session);
  g_autoptr(KassaServiceSession) loaded = NULL;
  g_autoptr(GDateTime) almost = minutes_from (fixture->now, 89);
  g_autoptr(GDateTime) over = minutes_from (fixture->now, 90);
  g_autoptr(GDateTime) expected_end = minutes_from (fixture->now, 90);
  g_autofree char *ends_at = NULL;
  g_autofree char *status = NULL;

  kassa_service_session_repository_start (fixture->repo, session, fixture->now, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_service_session_get_status (session), ==, KASSA_SERVICE_SESSION_STATUS_ACTIVE);
  g_assert_true (g_date_time_equal (kassa_service_session_get_started_at (session), fixture->now));
  g_assert_cmpint (kassa_service_session_get_provider_staff_id (session), ==, 4);

  ends_at = stored_text (fixture, session, "ends_at");
  g_assert_cmpstr (ends_at, ==, "2026-11-28T15:30:00.000000Z");

  loaded = reload (fixture, session);
  g_assert_cmpint (kassa_service_session_get_status (loaded), ==, KASSA_SERVICE_SESSION_STATUS_ACTIVE);
  g_assert_true (g_date_time_equal (kassa_service_session_get_started_at (loaded), fixture->now));
  {
    g_autoptr(GDateTime) loaded_end = kassa_service_session_get_ends_at (loaded);

    g_assert_true (g_date_time_equal (loaded_end, expected_end));
  }
  g_assert_cmpint (kassa_service_session_get_provider_staff_id (loaded), ==, 4);

  /* The first service starts the clock once; another till that still
   * shows it pending cannot start it again later. */
  g_assert_false (kassa_service_session_repository_start (fixture->repo, other_till, almost, 4, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  g_assert_cmpint (kassa_service_session_get_status (other_till), ==, KASSA_SERVICE_SESSION_STATUS_PENDING);
  g_assert_false (kassa_service_session_repository_start (fixture->repo, session, almost, 4, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  g_free (ends_at);
  ends_at = stored_text (fixture, session, "ends_at");
  g_assert_cmpstr (ends_at, ==, "2026-11-28T15:30:00.000000Z");

  /* Saving that stale copy would rewrite the start: refused. */
  g_assert_true (kassa_service_session_start (other_till, almost, NULL));
  g_assert_false (kassa_service_session_repository_save (fixture->repo, other_till, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED);
  g_clear_error (&error);

  /* A minute left: not expired yet. */
  g_assert_false (kassa_service_session_repository_expire (fixture->repo, session, almost, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  status = stored_text (fixture, session, "status");
  g_assert_cmpstr (status, ==, "active");

  kassa_service_session_repository_expire (fixture->repo, session, over, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_service_session_get_status (session), ==, KASSA_SERVICE_SESSION_STATUS_EXPIRED);
  g_free (status);
  status = stored_text (fixture, session, "status");
  g_assert_cmpstr (status, ==, "expired");

  /* Expired is final, whichever way it is asked. */
  g_assert_false (kassa_service_session_repository_cancel (fixture->repo, session, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);

  g_clear_object (&loaded);
  loaded = reload (fixture, session);
  g_assert_cmpint (kassa_service_session_get_status (loaded), ==, KASSA_SERVICE_SESSION_STATUS_EXPIRED);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaServiceSession) pending = save_session (fixture, 2, KASSA_SERVICE_SESSION_STATUS_PENDING,
                                                         NULL, 60);
  g_autoptr(KassaServiceSession) stale = reload (fixture, pending);
  g_autoptr(KassaServiceSession) running = save_session (fixture, 3, KASSA_SERVICE_SESSION_STATUS_ACTIVE,
                                                         fixture->now, 60);
  g_autoptr(KassaServiceSession) loaded = NULL;
  g_autofree char *status = NULL;

  kassa_service_session_repository_cancel (fixture->repo, pending, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_service_session_get_status (pending), ==, KASSA_SERVICE_SESSION_STATUS_CANCELLED);

  /* A refunded pass does not start. */
  g_assert_false (kassa_service_session_repository_start (fixture->repo, stale, fixture->now, 0, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  status = stored_text (fixture, pending, "status");
  g_assert_cmpstr (status, ==, "cancelled");

  /* Saving the stale object would move cancelled back to pending. */
  g_assert_false (kassa_service_session_repository_save (fixture->repo, stale, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);

  kassa_service_session_repository_cancel (fixture->repo, running, &error);
  g_assert_no_error (error);
  loaded = reload (fixture, running);
  g_assert_cmpint (kassa_service_session_get_status (loaded), ==, KASSA_SERVICE_SESSION_STATUS_CANCELLED);
  g_assert_true (g_date_time_equal (kassa_service_session_get_started_at (loaded), fixture->now));
}

#define ID(session) kassa_service_session_get_id (session)

static void
assert_ids (GPtrArray           *sessions,
            KassaServiceSession *first,
            ...)
{
  va_list args;
  guint n = 0;

  va_start (args, first);
  for (KassaServiceSession *expected = first; expected != NULL; expected = va_arg (args, KassaServiceSession *))
    {
      g_assert_cmpuint (n, <, sessions->len);
      g_assert_cmpint (ID (g_ptr_array_index (sessions, n)), ==, ID (expected));
      n++;
    }
  va_end (args);

  g_assert_cmpuint (sessions->len, ==, n);
}

static void
test_lists_and_expiry (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) started_60_ago = minutes_from (fixture->now, -60);
  g_autoptr(GDateTime) started_80_ago = minutes_from (fixture->now, -80);
  g_autoptr(GDateTime) started_95_ago = minutes_from (fixture->now, -95);
  g_autoptr(GDateTime) later = minutes_from (fixture->now, 31);
  /* Ends in 30 minutes, in 3 hours, not started, someone else's in 10,
   * ran out 5 minutes ago, and two that are over. */
  g_autoptr(KassaServiceSession) soon = save_session (fixture, 2, KASSA_SERVICE_SESSION_STATUS_ACTIVE,
                                                      started_60_ago, 90);
  g_autoptr(KassaServiceSession) long_one = save_session (fixture, 2, KASSA_SERVICE_SESSION_STATUS_ACTIVE,
                                                          started_60_ago, 240);
  g_autoptr(KassaServiceSession) waiting = save_session (fixture, 2, KASSA_SERVICE_SESSION_STATUS_PENDING,
                                                         NULL, 90);
  g_autoptr(KassaServiceSession) bens = save_session (fixture, 3, KASSA_SERVICE_SESSION_STATUS_ACTIVE,
                                                      started_80_ago, 90);
  g_autoptr(KassaServiceSession) ran_out = save_session (fixture, 2, KASSA_SERVICE_SESSION_STATUS_ACTIVE,
                                                         started_95_ago, 90);
  g_autoptr(KassaServiceSession) expired = save_session (fixture, 2, KASSA_SERVICE_SESSION_STATUS_EXPIRED,
                                                         started_95_ago, 30);
  g_autoptr(KassaServiceSession) cancelled = save_session (fixture, 2, KASSA_SERVICE_SESSION_STATUS_CANCELLED,
                                                           NULL, 30);
  g_autoptr(GPtrArray) list = NULL;
  guint n_expired = 99;

  list = kassa_service_session_repository_list_active (fixture->repo, 2, fixture->now, &error);
  g_assert_no_error (error);
  assert_ids (list, soon, long_one, waiting, NULL);
  g_clear_pointer (&list, g_ptr_array_unref);

  list = kassa_service_session_repository_list_active (fixture->repo, 0, fixture->now, &error);
  g_assert_no_error (error);
  assert_ids (list, bens, soon, long_one, waiting, NULL);
  g_clear_pointer (&list, g_ptr_array_unref);

  list = kassa_service_session_repository_list_expiring (fixture->repo, 2, fixture->now, G_TIME_SPAN_HOUR, &error);
  g_assert_no_error (error);
  assert_ids (list, soon, NULL);
  g_clear_pointer (&list, g_ptr_array_unref);

  list = kassa_service_session_repository_list_expiring (fixture->repo, 0, fixture->now, G_TIME_SPAN_HOUR, &error);
  g_assert_no_error (error);
  assert_ids (list, bens, soon, NULL);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Exactly at the end counts as expiring within 30 minutes. */
  list = kassa_service_session_repository_list_expiring (fixture->repo, 2, fixture->now, 30 * G_TIME_SPAN_MINUTE,
                                                         &error);
  g_assert_no_error (error);
  assert_ids (list, soon, NULL);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Only the one whose time ran out expires now... */
  kassa_service_session_repository_expire_due (fixture->repo, fixture->now, &n_expired, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_expired, ==, 1);
  {
    g_autoptr(KassaServiceSession) loaded = reload (fixture, ran_out);

    g_assert_cmpint (kassa_service_session_get_status (loaded), ==, KASSA_SERVICE_SESSION_STATUS_EXPIRED);
  }

  /* ...then, half an hour on, Ben's and the 30-minute one; doing it
   * again finds nothing more. */
  kassa_service_session_repository_expire_due (fixture->repo, later, &n_expired, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_expired, ==, 2);
  kassa_service_session_repository_expire_due (fixture->repo, later, &n_expired, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_expired, ==, 0);

  list = kassa_service_session_repository_list_active (fixture->repo, 0, later, &error);
  g_assert_no_error (error);
  assert_ids (list, long_one, waiting, NULL);
  g_clear_pointer (&list, g_ptr_array_unref);

  g_assert_cmpint (store_test_query_int (kassa_database_get_handle (fixture->db),
                                         "SELECT count (*) FROM service_session WHERE status = 'expired'"), ==, 4);
  (void) expired;
  (void) cancelled;
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/kassa/service-session-repository/round-trip", test_round_trip);
  ADD ("/kassa/service-session-repository/start-and-expire", test_start_and_expire);
  ADD ("/kassa/service-session-repository/cancel", test_cancel);
  ADD ("/kassa/service-session-repository/lists-and-expiry", test_lists_and_expiry);

  return g_test_run ();
}
