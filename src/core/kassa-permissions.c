/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-permissions"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kassa-permissions.h"

/* Till work: ring up, discount, void a line, refund (a refund approver
 * or manager still has to approve what the shop's rules send for
 * approval), open the drawer, take down a customer's details. A price
 * override is a manager's call. */
#define CASHIER_PERMISSIONS (KASSA_PERMISSION_SELL | \
                             KASSA_PERMISSION_DISCOUNT | \
                             KASSA_PERMISSION_VOID_LINE | \
                             KASSA_PERMISSION_REFUND | \
                             KASSA_PERMISSION_OPEN_DRAWER | \
                             KASSA_PERMISSION_MANAGE_CUSTOMERS)

/* Staff accounts and store settings (payment providers, taxes,
 * numbering) stay with the owner: a manager who could change them could
 * grant themselves anything. */
#define MANAGER_PERMISSIONS (KASSA_PERMISSION_ALL & \
                             ~(KASSA_PERMISSION_MANAGE_STAFF | \
                               KASSA_PERMISSION_MANAGE_SETTINGS))

KassaPermission
kassa_role_get_permissions (KassaStaffRole role)
{
  switch (role)
    {
    case KASSA_STAFF_ROLE_ADMIN:
      return KASSA_PERMISSION_ALL;

    case KASSA_STAFF_ROLE_MANAGER:
      return MANAGER_PERMISSIONS;

    case KASSA_STAFF_ROLE_CASHIER:
      return CASHIER_PERMISSIONS;

    case KASSA_STAFF_ROLE_CATALOG_MANAGER:
      /* Sales per item are what tell them what to stock. */
      return KASSA_PERMISSION_MANAGE_CATALOG | KASSA_PERMISSION_VIEW_REPORTS;

    case KASSA_STAFF_ROLE_FULFILMENT:
      return KASSA_PERMISSION_FULFIL_ORDERS;

    case KASSA_STAFF_ROLE_SERVICE_PROVIDER:
      return KASSA_PERMISSION_GIVE_SERVICE;

    case KASSA_STAFF_ROLE_REFUND_APPROVER:
      return KASSA_PERMISSION_REFUND | KASSA_PERMISSION_APPROVE_REFUND;

    case KASSA_STAFF_ROLE_VIEWER:
      return KASSA_PERMISSION_VIEW_REPORTS;

    default:
      g_return_val_if_reached (KASSA_PERMISSION_NONE);
    }
}

gboolean
kassa_role_has_permission (KassaStaffRole  role,
                           KassaPermission permission)
{
  g_return_val_if_fail (permission != KASSA_PERMISSION_NONE, FALSE);
  g_return_val_if_fail ((permission & ~KASSA_PERMISSION_ALL) == 0, FALSE);

  return (kassa_role_get_permissions (role) & permission) == permission;
}

const char *
kassa_role_get_display_name (KassaStaffRole role)
{
  switch (role)
    {
    case KASSA_STAFF_ROLE_ADMIN:
      return _("Administrator");
    case KASSA_STAFF_ROLE_MANAGER:
      return _("Manager");
    case KASSA_STAFF_ROLE_CASHIER:
      return _("Cashier");
    case KASSA_STAFF_ROLE_CATALOG_MANAGER:
      return _("Catalog manager");
    case KASSA_STAFF_ROLE_FULFILMENT:
      return _("Fulfilment");
    case KASSA_STAFF_ROLE_SERVICE_PROVIDER:
      return _("Service provider");
    case KASSA_STAFF_ROLE_REFUND_APPROVER:
      return _("Refund approver");
    case KASSA_STAFF_ROLE_VIEWER:
      return _("Viewer");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
kassa_permission_get_display_name (KassaPermission permission)
{
  switch (permission)
    {
    case KASSA_PERMISSION_SELL:
      return _("Sell");
    case KASSA_PERMISSION_DISCOUNT:
      return _("Give discounts");
    case KASSA_PERMISSION_PRICE_OVERRIDE:
      return _("Override prices");
    case KASSA_PERMISSION_VOID_LINE:
      return _("Void lines");
    case KASSA_PERMISSION_REFUND:
      return _("Refund");
    case KASSA_PERMISSION_APPROVE_REFUND:
      return _("Approve refunds");
    case KASSA_PERMISSION_OPEN_DRAWER:
      return _("Open the cash drawer");
    case KASSA_PERMISSION_MANAGE_CATALOG:
      return _("Manage the catalog");
    case KASSA_PERMISSION_MANAGE_CUSTOMERS:
      return _("Manage customers");
    case KASSA_PERMISSION_MANAGE_ORDERS:
      return _("Manage orders");
    case KASSA_PERMISSION_FULFIL_ORDERS:
      return _("Fulfil orders");
    case KASSA_PERMISSION_GIVE_SERVICE:
      return _("Give services");
    case KASSA_PERMISSION_MANAGE_INVOICES:
      return _("Manage invoices");
    case KASSA_PERMISSION_MANAGE_SUBSCRIPTIONS:
      return _("Manage subscriptions");
    case KASSA_PERMISSION_VIEW_REPORTS:
      return _("View reports");
    case KASSA_PERMISSION_MANAGE_SHIFTS:
      return _("Manage shifts");
    case KASSA_PERMISSION_MANAGE_STAFF:
      return _("Manage staff");
    case KASSA_PERMISSION_MANAGE_SETTINGS:
      return _("Manage settings");
    case KASSA_PERMISSION_NONE:
    default:
      g_return_val_if_reached (NULL);
    }
}
