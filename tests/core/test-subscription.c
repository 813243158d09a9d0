/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-error.h"
#include "kassa-subscription.h"

#include "kassa-test-properties.h"

static void
test_properties (void)
{
  g_autoptr(KassaSubscription) sub = kassa_subscription_new ();
  const char *skip[] = { "status", NULL };

  kassa_test_check_defaults (G_OBJECT (sub));
  g_assert_cmpint (kassa_subscription_get_status (sub), ==, KASSA_SUBSCRIPTION_STATUS_INCOMPLETE);
  kassa_test_check_properties (G_OBJECT (sub), skip);
}

static void
test_status (void)
{
  g_autoptr(KassaSubscription) sub = kassa_subscription_new ();
  g_autoptr(KassaSubscription) loaded = NULL;
  g_autoptr(GError) error = NULL;
  guint count = 0;

  g_signal_connect (sub, "notify::status", G_CALLBACK (kassa_test_count_notify_cb), &count);

  g_assert_true (kassa_subscription_set_status (sub, KASSA_SUBSCRIPTION_STATUS_ACTIVE, &error));
  g_assert_true (kassa_subscription_set_status (sub, KASSA_SUBSCRIPTION_STATUS_PAST_DUE, &error));
  g_assert_true (kassa_subscription_set_status (sub, KASSA_SUBSCRIPTION_STATUS_UNPAID, &error));
  g_assert_true (kassa_subscription_set_status (sub, KASSA_SUBSCRIPTION_STATUS_CANCELED, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 4);

  g_assert_false (kassa_subscription_set_status (sub, KASSA_SUBSCRIPTION_STATUS_ACTIVE, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_assert_cmpint (kassa_subscription_get_status (sub), ==, KASSA_SUBSCRIPTION_STATUS_CANCELED);
  g_assert_cmpuint (count, ==, 4);
  g_clear_error (&error);

  /* What the store saved is taken as is at construction. */
  loaded = g_object_new (KASSA_TYPE_SUBSCRIPTION,
                         "status", KASSA_SUBSCRIPTION_STATUS_PAST_DUE,
                         NULL);
  g_assert_cmpint (kassa_subscription_get_status (loaded), ==, KASSA_SUBSCRIPTION_STATUS_PAST_DUE);
  g_assert_false (kassa_subscription_set_status (loaded, KASSA_SUBSCRIPTION_STATUS_TRIALING, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
}

static void
test_renewal (void)
{
  g_autoptr(KassaSubscription) sub = kassa_subscription_new ();
  g_autoptr(GDateTime) jan = g_date_time_new_utc (2026, 1, 31, 0, 0, 0);
  g_autoptr(GDateTime) feb = g_date_time_new_utc (2026, 2, 28, 0, 0, 0);
  g_autoptr(GDateTime) mar = g_date_time_new_utc (2026, 3, 31, 0, 0, 0);
  g_autoptr(GDateTime) apr = g_date_time_new_utc (2026, 4, 30, 0, 0, 0);
  g_autoptr(GError) error = NULL;

  kassa_subscription_set_cycle_limit (sub, 2);
  kassa_subscription_set_current_period_end (sub, jan);
  g_assert_cmpint (kassa_subscription_get_cycles_left (sub), ==, 2);

  g_assert_false (kassa_subscription_record_renewal (sub, feb, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);

  g_assert_true (kassa_subscription_set_status (sub, KASSA_SUBSCRIPTION_STATUS_ACTIVE, NULL));

  g_assert_false (kassa_subscription_record_renewal (sub, jan, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (kassa_subscription_record_renewal (sub, feb, &error));
  g_assert_cmpuint (kassa_subscription_get_cycles_billed (sub), ==, 1);
  g_assert_cmpint (kassa_subscription_get_cycles_left (sub), ==, 1);
  g_assert_true (g_date_time_equal (kassa_subscription_get_current_period_end (sub), feb));

  g_assert_true (kassa_subscription_record_renewal (sub, mar, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kassa_subscription_get_cycles_left (sub), ==, 0);

  g_assert_false (kassa_subscription_record_renewal (sub, apr, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_cmpuint (kassa_subscription_get_cycles_billed (sub), ==, 2);
  g_assert_true (g_date_time_equal (kassa_subscription_get_current_period_end (sub), mar));

  /* Unlimited. */
  kassa_subscription_set_cycle_limit (sub, 0);
  g_assert_cmpint (kassa_subscription_get_cycles_left (sub), ==, -1);
  g_clear_error (&error);
  g_assert_true (kassa_subscription_record_renewal (sub, apr, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/subscription/properties", test_properties);
  g_test_add_func ("/kassa/subscription/status", test_status);
  g_test_add_func ("/kassa/subscription/renewal", test_renewal);

  return g_test_run ();
}
