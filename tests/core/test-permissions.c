/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-core-enum-types.h"
#include "kassa-permissions.h"

#define P(x) KASSA_PERMISSION_##x

/* The role table as documented, written out flag by flag. */
static const struct {
  KassaStaffRole  role;
  KassaPermission permissions;
} expected[] = {
  { KASSA_STAFF_ROLE_ADMIN,
    P (SELL) | P (DISCOUNT) | P (PRICE_OVERRIDE) | P (VOID_LINE) | P (REFUND) |
    P (APPROVE_REFUND) | P (OPEN_DRAWER) | P (MANAGE_CATALOG) | P (MANAGE_CUSTOMERS) |
    P (MANAGE_ORDERS) | P (FULFIL_ORDERS) | P (GIVE_SERVICE) | P (MANAGE_INVOICES) |
    P (MANAGE_SUBSCRIPTIONS) | P (VIEW_REPORTS) | P (MANAGE_SHIFTS) | P (MANAGE_STAFF) |
    P (MANAGE_SETTINGS) },
  { KASSA_STAFF_ROLE_MANAGER,
    P (SELL) | P (DISCOUNT) | P (PRICE_OVERRIDE) | P (VOID_LINE) | P (REFUND) |
    P (APPROVE_REFUND) | P (OPEN_DRAWER) | P (MANAGE_CATALOG) | P (MANAGE_CUSTOMERS) |
    P (MANAGE_ORDERS) | P (FULFIL_ORDERS) | P (GIVE_SERVICE) | P (MANAGE_INVOICES) |
    P (MANAGE_SUBSCRIPTIONS) | P (VIEW_REPORTS) | P (MANAGE_SHIFTS) },
  { KASSA_STAFF_ROLE_CASHIER,
    P (SELL) | P (DISCOUNT) | P (VOID_LINE) | P (REFUND) | P (OPEN_DRAWER) |
    P (MANAGE_CUSTOMERS) },
  { KASSA_STAFF_ROLE_CATALOG_MANAGER, P (MANAGE_CATALOG) | P (VIEW_REPORTS) },
  { KASSA_STAFF_ROLE_FULFILMENT, P (FULFIL_ORDERS) },
  { KASSA_STAFF_ROLE_SERVICE_PROVIDER, P (GIVE_SERVICE) },
  { KASSA_STAFF_ROLE_REFUND_APPROVER, P (REFUND) | P (APPROVE_REFUND) },
  { KASSA_STAFF_ROLE_VIEWER, P (VIEW_REPORTS) },
};

static void
test_every_role (void)
{
  g_autoptr(GEnumClass) roles = g_type_class_ref (KASSA_TYPE_STAFF_ROLE);
  g_autoptr(GFlagsClass) flags = g_type_class_ref (KASSA_TYPE_PERMISSION);

  /* A new role must be added to the table above. */
  g_assert_cmpuint (roles->n_values, ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_cmphex (kassa_role_get_permissions (expected[i].role), ==, expected[i].permissions);

      for (guint f = 0; f < flags->n_values; f++)
        {
          KassaPermission flag = flags->values[f].value;

          if (flag == KASSA_PERMISSION_NONE)
            continue;

          g_assert_cmpint (kassa_role_has_permission (expected[i].role, flag), ==,
                           (expected[i].permissions & flag) != 0);
        }
    }
}

static void
test_combined (void)
{
  g_assert_true (kassa_role_has_permission (KASSA_STAFF_ROLE_CASHIER, P (SELL) | P (DISCOUNT)));
  /* All of them, not any of them. */
  g_assert_false (kassa_role_has_permission (KASSA_STAFF_ROLE_CASHIER, P (SELL) | P (PRICE_OVERRIDE)));
}

static void
test_all_flags (void)
{
  g_autoptr(GFlagsClass) flags = g_type_class_ref (KASSA_TYPE_PERMISSION);
  guint all = 0;

  for (guint f = 0; f < flags->n_values; f++)
    all |= flags->values[f].value;

  g_assert_cmphex (all, ==, KASSA_PERMISSION_ALL);
}

static void
test_display_names (void)
{
  g_autoptr(GEnumClass) roles = g_type_class_ref (KASSA_TYPE_STAFF_ROLE);
  g_autoptr(GFlagsClass) flags = g_type_class_ref (KASSA_TYPE_PERMISSION);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < roles->n_values; i++)
    {
      const char *name = kassa_role_get_display_name (roles->values[i].value);

      g_assert_nonnull (name);
      g_assert_false (g_hash_table_contains (seen, name));
      g_hash_table_add (seen, (gpointer) name);
    }

  for (guint f = 0; f < flags->n_values; f++)
    {
      const char *name;

      if (flags->values[f].value == KASSA_PERMISSION_NONE)
        continue;

      name = kassa_permission_get_display_name (flags->values[f].value);
      g_assert_nonnull (name);
      g_assert_false (g_hash_table_contains (seen, name));
      g_hash_table_add (seen, (gpointer) name);
    }

  g_assert_cmpstr (kassa_role_get_display_name (KASSA_STAFF_ROLE_CATALOG_MANAGER), ==, "Catalog manager");
  g_assert_cmpstr (kassa_permission_get_display_name (P (PRICE_OVERRIDE)), ==, "Override prices");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/permissions/every-role", test_every_role);
  g_test_add_func ("/kassa/permissions/combined", test_combined);
  g_test_add_func ("/kassa/permissions/all-flags", test_all_flags);
  g_test_add_func ("/kassa/permissions/display-names", test_display_names);

  return g_test_run ();
}
