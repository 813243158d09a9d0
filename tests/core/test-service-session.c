/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-error.h"
#include "kassa-service-session.h"

#include "kassa-test-properties.h"

static KassaServiceSession *
make_session (guint minutes)
{
  return g_object_new (KASSA_TYPE_SERVICE_SESSION,
                       "item-id", G_GINT64_CONSTANT (3),
                       "customer-id", G_GINT64_CONSTANT (9),
                       "order-id", G_GINT64_CONSTANT (40),
                       "duration-minutes", minutes,
                       NULL);
}

static void
test_properties (void)
{
  g_autoptr(KassaServiceSession) session = kassa_service_session_new ();
  const char *skip[] = { "status", NULL };

  kassa_test_check_defaults (G_OBJECT (session));
  kassa_test_check_properties (G_OBJECT (session), skip);
}

static void
test_life (void)
{
  g_autoptr(KassaServiceSession) session = make_session (90);
  g_autoptr(GDateTime) paid = g_date_time_new_utc (2026, 11, 25, 9, 0, 0);
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 11, 25, 10, 0, 0);
  g_autoptr(GDateTime) during = g_date_time_new_utc (2026, 11, 25, 11, 0, 30);
  g_autoptr(GDateTime) just_before = g_date_time_new_utc (2026, 11, 25, 11, 29, 59);
  g_autoptr(GDateTime) end = g_date_time_new_utc (2026, 11, 25, 11, 30, 0);
  g_autoptr(GDateTime) ends_at = NULL;
  g_autoptr(GError) error = NULL;

  /* Paid but not started: the clock does not run yet. */
  g_assert_null (kassa_service_session_get_ends_at (session));
  g_assert_false (kassa_service_session_is_expired (session, end));
  g_assert_cmpuint (kassa_service_session_get_remaining_minutes (session, paid), ==, 90);

  g_assert_true (kassa_service_session_start (session, start, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kassa_service_session_get_status (session), ==, KASSA_SERVICE_SESSION_STATUS_ACTIVE);
  g_assert_true (g_date_time_equal (kassa_service_session_get_started_at (session), start));

  ends_at = kassa_service_session_get_ends_at (session);
  g_assert_true (g_date_time_equal (ends_at, end));

  g_assert_false (kassa_service_session_start (session, during, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  g_assert_true (g_date_time_equal (kassa_service_session_get_started_at (session), start));

  g_assert_false (kassa_service_session_is_expired (session, during));
  g_assert_cmpuint (kassa_service_session_get_remaining_minutes (session, during), ==, 30);
  g_assert_false (kassa_service_session_is_expired (session, just_before));
  g_assert_cmpuint (kassa_service_session_get_remaining_minutes (session, just_before), ==, 1);

  g_assert_false (kassa_service_session_expire (session, just_before, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);

  g_assert_true (kassa_service_session_is_expired (session, end));
  g_assert_cmpuint (kassa_service_session_get_remaining_minutes (session, end), ==, 0);
  g_assert_true (kassa_service_session_expire (session, end, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kassa_service_session_get_status (session), ==, KASSA_SERVICE_SESSION_STATUS_EXPIRED);
  g_assert_true (kassa_service_session_is_expired (session, start));
}

static void
test_start_needs_duration (void)
{
  g_autoptr(KassaServiceSession) session = make_session (0);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 25, 10, 0, 0);
  g_autoptr(GError) error = NULL;

  g_assert_false (kassa_service_session_start (session, now, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_null (kassa_service_session_get_started_at (session));
  g_assert_cmpint (kassa_service_session_get_status (session), ==, KASSA_SERVICE_SESSION_STATUS_PENDING);
}

static void
test_cancel (void)
{
  g_autoptr(KassaServiceSession) session = make_session (30);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 25, 10, 0, 0);
  g_autoptr(GError) error = NULL;

  g_assert_true (kassa_service_session_set_status (session, KASSA_SERVICE_SESSION_STATUS_CANCELLED, &error));
  g_assert_false (kassa_service_session_start (session, now, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_assert_false (kassa_service_session_is_expired (session, now));
  g_assert_cmpuint (kassa_service_session_get_remaining_minutes (session, now), ==, 0);
}

static void
test_renew (void)
{
  g_autoptr(KassaServiceSession) session = make_session (60);
  g_autoptr(KassaServiceSession) same = NULL;
  g_autoptr(KassaServiceSession) longer = NULL;
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 11, 25, 10, 0, 0);
  g_autoptr(GDateTime) end = g_date_time_new_utc (2026, 11, 25, 11, 0, 0);

  kassa_service_session_set_id (session, 77);
  g_assert_true (kassa_service_session_start (session, start, NULL));
  g_assert_true (kassa_service_session_expire (session, end, NULL));

  same = kassa_service_session_renew (session, 0);
  g_assert_true (same != session);
  g_assert_cmpint (kassa_service_session_get_status (same), ==, KASSA_SERVICE_SESSION_STATUS_PENDING);
  g_assert_cmpuint (kassa_service_session_get_duration_minutes (same), ==, 60);
  g_assert_cmpint (kassa_service_session_get_item_id (same), ==, 3);
  g_assert_cmpint (kassa_service_session_get_customer_id (same), ==, 9);
  g_assert_cmpint (kassa_service_session_get_id (same), ==, 0);
  g_assert_cmpint (kassa_service_session_get_order_id (same), ==, 0);
  g_assert_null (kassa_service_session_get_started_at (same));

  longer = kassa_service_session_renew (session, 120);
  g_assert_cmpuint (kassa_service_session_get_duration_minutes (longer), ==, 120);

  /* The old session stays expired. */
  g_assert_cmpint (kassa_service_session_get_status (session), ==, KASSA_SERVICE_SESSION_STATUS_EXPIRED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/service-session/properties", test_properties);
  g_test_add_func ("/kassa/service-session/life", test_life);
  g_test_add_func ("/kassa/service-session/start-needs-duration", test_start_needs_duration);
  g_test_add_func ("/kassa/service-session/cancel", test_cancel);
  g_test_add_func ("/kassa/service-session/renew", test_renew);

  return g_test_run ();
}
