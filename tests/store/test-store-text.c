/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kassa-core-enum-types.h"
#include "kassa-core-enums.h"
#include "kassa-store-error.h"
#include "kassa-store-text.h"

static void
test_store_text_enums (void)
{
  g_autoptr(GError) error = NULL;
  int value = -1;

  g_assert_cmpstr (kassa_store_enum_to_text (KASSA_TYPE_PAYMENT_STATUS, KASSA_PAYMENT_STATUS_PARTIALLY_REFUNDED),
                   ==, "partially-refunded");
  g_assert_cmpstr (kassa_store_enum_to_text (KASSA_TYPE_STAFF_ROLE, KASSA_STAFF_ROLE_CATALOG_MANAGER),
                   ==, "catalog-manager");

  g_assert_true (kassa_store_enum_from_text (KASSA_TYPE_FULFILMENT_STATUS, "ready-for-pickup", &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, KASSA_FULFILMENT_STATUS_READY_FOR_PICKUP);

  g_assert_false (kassa_store_enum_from_text (KASSA_TYPE_FULFILMENT_STATUS, "teleported", &value, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CORRUPT);
  g_assert_cmpint (value, ==, KASSA_FULFILMENT_STATUS_READY_FOR_PICKUP);
}

static void
test_store_text_times (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_offset (3600);
  g_autoptr(GDateTime) local = g_date_time_new (berlin, 2020, 2, 29, 12, 30, 15.25);
  g_autoptr(GDateTime) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = kassa_store_time_to_text (local);
  g_autofree char *now = kassa_store_now_text ();

  g_assert_cmpstr (text, ==, "2020-02-29T11:30:15.250000Z");
  parsed = kassa_store_time_from_text (text, &error);
  g_assert_no_error (error);
  g_assert_true (g_date_time_equal (parsed, local));

  /* Text order is time order. */
  g_assert_cmpint (strcmp (text, now), <, 0);

  /* The same text as GLib's own formatting, whatever the fields. */
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GDateTime) some = g_date_time_new_utc (1 + i * 47 % 9999, 1 + i % 12, 1 + i % 28,
                                                       i % 24, i * 7 % 60, (i * 13 % 60) + (i % 7) / 7.0);
      g_autofree char *ours = kassa_store_time_to_text (some);
      g_autofree char *glib = g_date_time_format (some, "%Y-%m-%dT%H:%M:%S.%fZ");

      g_assert_cmpstr (ours, ==, glib);
    }

  g_assert_null (kassa_store_time_from_text ("yesterday", &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CORRUPT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/store-text/enums", test_store_text_enums);
  g_test_add_func ("/kassa/store-text/times", test_store_text_times);

  return g_test_run ();
}
