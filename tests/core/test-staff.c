/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kassa-core-enum-types.h"
#include "kassa-error.h"
#include "kassa-permissions.h"
#include "kassa-staff.h"

#include "kassa-test-properties.h"

static void
test_properties (void)
{
  g_autoptr(KassaStaff) staff = kassa_staff_new ();

  g_assert_true (kassa_staff_get_active (staff));
  g_assert_cmpint (kassa_staff_get_role (staff), ==, KASSA_STAFF_ROLE_VIEWER);

  kassa_test_check_defaults (G_OBJECT (staff));
  kassa_test_check_properties (G_OBJECT (staff), NULL);
}

static void
test_check_every_role (void)
{
  g_autoptr(GEnumClass) roles = g_type_class_ref (KASSA_TYPE_STAFF_ROLE);
  g_autoptr(GFlagsClass) flags = g_type_class_ref (KASSA_TYPE_PERMISSION);
  g_autoptr(KassaStaff) staff = kassa_staff_new ();

  kassa_staff_set_name (staff, "Ada");

  for (guint r = 0; r < roles->n_values; r++)
    {
      kassa_staff_set_role (staff, roles->values[r].value);

      for (guint f = 0; f < flags->n_values; f++)
        {
          KassaPermission flag = flags->values[f].value;
          g_autoptr(GError) error = NULL;
          gboolean allowed;

          if (flag == KASSA_PERMISSION_NONE)
            continue;

          allowed = kassa_role_has_permission (roles->values[r].value, flag);
          g_assert_cmpint (kassa_staff_check_permission (staff, flag, &error), ==, allowed);
          g_assert_cmpint (kassa_staff_has_permission (staff, flag), ==, allowed);

          if (allowed)
            g_assert_no_error (error);
          else
            {
              g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
              g_assert_nonnull (strstr (error->message, kassa_permission_get_display_name (flag)));
              g_assert_nonnull (strstr (error->message, kassa_role_get_display_name (roles->values[r].value)));
            }
        }
    }
}

static void
test_check_message (void)
{
  g_autoptr(KassaStaff) staff = kassa_staff_new ();
  g_autoptr(GError) error = NULL;

  kassa_staff_set_role (staff, KASSA_STAFF_ROLE_CASHIER);
  g_assert_false (kassa_staff_check_permission (staff,
                                                KASSA_PERMISSION_SELL | KASSA_PERMISSION_PRICE_OVERRIDE,
                                                &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_assert_cmpstr (error->message, ==, "The role “Cashier” does not allow “Override prices”");
}

static void
test_inactive (void)
{
  g_autoptr(KassaStaff) staff = kassa_staff_new ();
  g_autoptr(GError) error = NULL;

  kassa_staff_set_name (staff, "Bob");
  kassa_staff_set_role (staff, KASSA_STAFF_ROLE_ADMIN);
  g_assert_true (kassa_staff_has_permission (staff, KASSA_PERMISSION_MANAGE_STAFF));

  kassa_staff_set_active (staff, FALSE);
  g_assert_false (kassa_staff_check_permission (staff, KASSA_PERMISSION_SELL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "Bob"));
}

static void
test_pin_hash_stored_verbatim (void)
{
  g_autoptr(KassaStaff) staff = kassa_staff_new ();
  const char *hash = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$aGFzaA";

  kassa_staff_set_pin_hash (staff, hash);
  g_assert_cmpstr (kassa_staff_get_pin_hash (staff), ==, hash);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/staff/properties", test_properties);
  g_test_add_func ("/kassa/staff/check-every-role", test_check_every_role);
  g_test_add_func ("/kassa/staff/check-message", test_check_message);
  g_test_add_func ("/kassa/staff/inactive", test_inactive);
  g_test_add_func ("/kassa/staff/pin-hash-stored-verbatim", test_pin_hash_stored_verbatim);

  return g_test_run ();
}
