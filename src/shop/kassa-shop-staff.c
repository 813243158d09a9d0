/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-shop-staff"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "kassa-core-enum-types.h"
#include "kassa-error.h"
#include "kassa-permissions.h"
#include "kassa-shop-private.h"
#include "kassa-shop-staff.h"
#include "kassa-staff-repository.h"
#include "kassa-text.h"

static const char *
role_nick (KassaStaffRole role)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (KASSA_TYPE_STAFF_ROLE);
  GEnumValue *value = g_enum_get_value (klass, role);

  g_return_val_if_fail (value != NULL, "unknown");

  return value->value_nick;
}

static gboolean
audit (KassaShop   *shop,
       gint64       actor_id,
       const char  *action,
       gint64       staff_id,
       JsonBuilder *details,
       GError     **error)
{
  g_autofree char *entity_id = g_strdup_printf ("%" PRId64, staff_id);
  g_autoptr(JsonNode) node = NULL;

  if (details != NULL)
    {
      json_builder_end_object (details);
      node = json_builder_get_root (details);
    }

  return kassa_audit_log_record (kassa_shop_get_audit_log (shop), actor_id, action,
                                 "staff", entity_id, node, error) > 0;
}

static JsonBuilder *
details_new (void)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);

  return builder;
}

/* Ends the transaction the caller began: commits when @ok, else rolls
 * back and keeps the caller's error. */
static gboolean
finish (KassaShop  *shop,
        gboolean    ok,
        GError    **error)
{
  KassaDatabase *database = kassa_shop_get_database (shop);

  if (ok)
    return kassa_database_commit (database, error);

  kassa_database_rollback (database, NULL);
  return FALSE;
}

/* Refuses a change that would leave no active administrator. */
static gboolean
check_keeps_an_admin (KassaStaffRepository  *repo,
                      KassaStaff            *staff,
                      GError               **error)
{
  gint64 admins;

  if (kassa_staff_get_role (staff) != KASSA_STAFF_ROLE_ADMIN || !kassa_staff_get_active (staff))
    return TRUE;

  admins = kassa_staff_repository_count_active_with_role (repo, KASSA_STAFF_ROLE_ADMIN, error);
  if (admins < 0)
    return FALSE;

  if (admins <= 1)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("%s is the only active administrator; make someone else one first"),
                   kassa_staff_get_name (staff));
      return FALSE;
    }

  return TRUE;
}

gint64
kassa_shop_create_staff (KassaShop       *shop,
                         const char      *name,
                         KassaStaffRole   role,
                         const char      *pin,
                         KassaPinCost     cost,
                         GError         **error)
{
  g_autoptr(KassaStaffRepository) repo = NULL;
  g_autoptr(KassaStaff) staff = NULL;
  g_autoptr(JsonBuilder) details = NULL;
  g_autofree char *hash = NULL;
  KassaDatabase *database;
  gint64 existing;
  gboolean ok;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (kassa_text_is_blank (name))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("A staff member needs a name"));
      return 0;
    }

  /* Hashing takes a while; do it before the write lock is taken. */
  hash = kassa_pin_hash (pin, cost, error);
  if (hash == NULL)
    return 0;

  database = kassa_shop_get_database (shop);
  repo = kassa_staff_repository_new (database);

  if (!kassa_database_begin (database, error))
    return 0;

  /* Counted inside the transaction, so two first-run windows cannot
   * both create "the first" administrator. */
  existing = kassa_staff_repository_count (repo, error);
  ok = existing >= 0;

  if (ok && existing == 0 && role != KASSA_STAFF_ROLE_ADMIN)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("The first staff member must be an administrator"));
      ok = FALSE;
    }
  else if (ok && existing > 0)
    ok = kassa_shop_check_permission (shop, KASSA_PERMISSION_MANAGE_STAFF, error);

  if (ok)
    {
      staff = kassa_staff_new ();
      kassa_staff_set_name (staff, name);
      kassa_staff_set_role (staff, role);
      kassa_staff_set_pin_hash (staff, hash);
      kassa_staff_set_active (staff, TRUE);
      ok = kassa_staff_repository_insert (repo, staff, error);
    }

  if (ok)
    {
      details = details_new ();
      json_builder_set_member_name (details, "name");
      json_builder_add_string_value (details, name);
      json_builder_set_member_name (details, "role");
      json_builder_add_string_value (details, role_nick (role));
      json_builder_set_member_name (details, "bootstrap");
      json_builder_add_boolean_value (details, existing == 0);
      ok = audit (shop, kassa_shop_get_actor_id (shop), "staff.create",
                  kassa_staff_get_id (staff), details, error);
    }

  if (!finish (shop, ok, error))
    return 0;

  return kassa_staff_get_id (staff);
}

gboolean
kassa_shop_rename_staff (KassaShop   *shop,
                         gint64       staff_id,
                         const char  *name,
                         GError     **error)
{
  g_autoptr(KassaStaffRepository) repo = NULL;
  g_autoptr(KassaStaff) staff = NULL;
  g_autoptr(JsonBuilder) details = NULL;
  KassaDatabase *database;
  KassaStaff *actor;
  gboolean ok;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_shop_check_permission (shop, KASSA_PERMISSION_MANAGE_STAFF, error))
    return FALSE;

  database = kassa_shop_get_database (shop);
  repo = kassa_staff_repository_new (database);

  if (!kassa_database_begin (database, error))
    return FALSE;

  staff = kassa_staff_repository_get (repo, staff_id, error);
  ok = staff != NULL && kassa_staff_repository_set_name (repo, staff_id, name, error);
  if (ok)
    {
      details = details_new ();
      json_builder_set_member_name (details, "from");
      json_builder_add_string_value (details, kassa_staff_get_name (staff));
      json_builder_set_member_name (details, "to");
      json_builder_add_string_value (details, name);
      ok = audit (shop, kassa_shop_get_actor_id (shop), "staff.rename", staff_id, details, error);
    }

  if (!finish (shop, ok, error))
    return FALSE;

  actor = kassa_shop_get_actor (shop);
  if (actor != NULL && kassa_staff_get_id (actor) == staff_id)
    kassa_staff_set_name (actor, name);

  return TRUE;
}

gboolean
kassa_shop_set_staff_role (KassaShop       *shop,
                           gint64           staff_id,
                           KassaStaffRole   role,
                           GError         **error)
{
  g_autoptr(KassaStaffRepository) repo = NULL;
  g_autoptr(KassaStaff) staff = NULL;
  g_autoptr(JsonBuilder) details = NULL;
  KassaDatabase *database;
  KassaStaff *actor;
  KassaStaffRole old_role;
  gboolean ok;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_shop_check_permission (shop, KASSA_PERMISSION_MANAGE_STAFF, error))
    return FALSE;

  database = kassa_shop_get_database (shop);
  repo = kassa_staff_repository_new (database);

  if (!kassa_database_begin (database, error))
    return FALSE;

  staff = kassa_staff_repository_get (repo, staff_id, error);
  ok = staff != NULL;
  if (ok && kassa_staff_get_role (staff) == role)
    return finish (shop, TRUE, error);

  if (ok && role != KASSA_STAFF_ROLE_ADMIN)
    ok = check_keeps_an_admin (repo, staff, error);

  if (ok)
    {
      old_role = kassa_staff_get_role (staff);
      ok = kassa_staff_repository_set_role (repo, staff_id, role, error);
    }

  if (ok)
    {
      details = details_new ();
      json_builder_set_member_name (details, "from");
      json_builder_add_string_value (details, role_nick (old_role));
      json_builder_set_member_name (details, "to");
      json_builder_add_string_value (details, role_nick (role));
      ok = audit (shop, kassa_shop_get_actor_id (shop), "staff.role", staff_id, details, error);
    }

  if (!finish (shop, ok, error))
    return FALSE;

  /* Whoever acts keeps acting with the rights the database now holds. */
  actor = kassa_shop_get_actor (shop);
  if (actor != NULL && kassa_staff_get_id (actor) == staff_id)
    kassa_staff_set_role (actor, role);

  return TRUE;
}

gboolean
kassa_shop_set_staff_pin (KassaShop     *shop,
                          gint64         staff_id,
                          const char    *pin,
                          KassaPinCost   cost,
                          GError       **error)
{
  g_autoptr(KassaStaffRepository) repo = NULL;
  g_autofree char *hash = NULL;
  KassaDatabase *database;
  KassaStaff *actor;
  gboolean ok;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  actor = kassa_shop_get_actor (shop);
  if ((actor == NULL || kassa_staff_get_id (actor) != staff_id) &&
      !kassa_shop_check_permission (shop, KASSA_PERMISSION_MANAGE_STAFF, error))
    return FALSE;

  hash = kassa_pin_hash (pin, cost, error);
  if (hash == NULL)
    return FALSE;

  database = kassa_shop_get_database (shop);
  repo = kassa_staff_repository_new (database);

  if (!kassa_database_begin (database, error))
    return FALSE;

  /* The audit entry says that the PIN changed, never what it is. */
  ok = kassa_staff_repository_set_pin_hash (repo, staff_id, hash, error) &&
       audit (shop, kassa_shop_get_actor_id (shop), "staff.pin", staff_id, NULL, error);

  return finish (shop, ok, error);
}

gboolean
kassa_shop_archive_staff (KassaShop  *shop,
                          gint64      staff_id,
                          GError    **error)
{
  g_autoptr(KassaStaffRepository) repo = NULL;
  g_autoptr(KassaStaff) staff = NULL;
  KassaDatabase *database;
  gboolean ok;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_shop_check_permission (shop, KASSA_PERMISSION_MANAGE_STAFF, error))
    return FALSE;

  database = kassa_shop_get_database (shop);
  repo = kassa_staff_repository_new (database);

  if (!kassa_database_begin (database, error))
    return FALSE;

  staff = kassa_staff_repository_get (repo, staff_id, error);
  ok = staff != NULL;
  if (ok && !kassa_staff_get_active (staff))
    return finish (shop, TRUE, error);

  ok = ok &&
       check_keeps_an_admin (repo, staff, error) &&
       kassa_staff_repository_set_active (repo, staff_id, FALSE, error) &&
       audit (shop, kassa_shop_get_actor_id (shop), "staff.archive", staff_id, NULL, error);

  return finish (shop, ok, error);
}

GPtrArray *
kassa_shop_list_staff (KassaShop  *shop,
                       GError    **error)
{
  g_autoptr(KassaStaffRepository) repo = NULL;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), NULL);

  repo = kassa_staff_repository_new (kassa_shop_get_database (shop));

  return kassa_staff_repository_list (repo, FALSE, error);
}

static JsonBuilder *
refusal_details (const char *reason,
                 guint       attempt,
                 GDateTime  *locked_until)
{
  JsonBuilder *details = details_new ();

  json_builder_set_member_name (details, "reason");
  json_builder_add_string_value (details, reason);
  json_builder_set_member_name (details, "failed_attempts");
  json_builder_add_int_value (details, attempt);
  if (locked_until != NULL)
    {
      g_autofree char *until = g_date_time_format_iso8601 (locked_until);

      json_builder_set_member_name (details, "locked_until");
      json_builder_add_string_value (details, until);
    }

  return details;
}

/* Records a sign-in refused without checking the PIN (locked, archived). */
static gboolean
record_refusal (KassaShop   *shop,
                gint64       staff_id,
                const char  *reason,
                guint        failed_attempts,
                GDateTime   *locked_until,
                GError     **error)
{
  g_autoptr(JsonBuilder) details = refusal_details (reason, failed_attempts, locked_until);

  return audit (shop, 0, "staff.sign-in-failed", staff_id, details, error);
}

/* Counts a wrong PIN and locks the account at the limit. The count is
 * read again inside the write transaction, so two tills failing at the
 * same moment both count. @lock is set when this attempt locked it. */
static gboolean
record_wrong_pin (KassaShop             *shop,
                  KassaStaffRepository  *repo,
                  gint64                 staff_id,
                  GDateTime             *now,
                  GDateTime            **lock,
                  GError               **error)
{
  g_autoptr(JsonBuilder) details = NULL;
  g_autoptr(GDateTime) until = NULL;
  guint failed = 0;
  guint stored;
  gboolean ok;

  if (!kassa_database_begin (kassa_shop_get_database (shop), error))
    return FALSE;

  ok = kassa_staff_repository_get_lock (repo, staff_id, &failed, NULL, error);
  if (ok)
    {
      failed++;
      stored = failed;
      if (failed >= KASSA_SHOP_SIGN_IN_MAX_ATTEMPTS)
        {
          /* The count starts again once the lock has run out. */
          until = g_date_time_add_seconds (now, KASSA_SHOP_SIGN_IN_LOCK_SECONDS);
          stored = 0;
        }

      details = refusal_details (until != NULL ? "wrong-pin-locked" : "wrong-pin", failed, until);
      ok = kassa_staff_repository_set_lock (repo, staff_id, stored, until, error) &&
           audit (shop, 0, "staff.sign-in-failed", staff_id, details, error);
    }

  if (!finish (shop, ok, error))
    return FALSE;

  *lock = g_steal_pointer (&until);
  return TRUE;
}

static void
set_locked_error (GError    **error,
                  GDateTime  *now,
                  GDateTime  *locked_until)
{
  GTimeSpan left = g_date_time_difference (locked_until, now);
  gint64 seconds = (left + G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_SECOND;

  g_set_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED,
               g_dngettext (GETTEXT_PACKAGE,
                            "Too many wrong PINs: try again in %" PRId64 " second",
                            "Too many wrong PINs: try again in %" PRId64 " seconds",
                            seconds),
               seconds);
}

gboolean
kassa_shop_sign_in (KassaShop   *shop,
                    gint64       staff_id,
                    const char  *pin,
                    GDateTime   *now,
                    GError     **error)
{
  g_autoptr(KassaStaffRepository) repo = NULL;
  g_autoptr(KassaStaff) staff = NULL;
  g_autoptr(GDateTime) locked_until = NULL;
  g_autoptr(GError) local_error = NULL;
  KassaDatabase *database;
  guint failed = 0;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), FALSE);
  g_return_val_if_fail (pin != NULL, FALSE);
  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  database = kassa_shop_get_database (shop);
  repo = kassa_staff_repository_new (database);

  staff = kassa_staff_repository_get (repo, staff_id, error);
  if (staff == NULL ||
      !kassa_staff_repository_get_lock (repo, staff_id, &failed, &locked_until, error))
    return FALSE;

  /* While locked even the right PIN is refused, and not even checked:
   * guessing must not go on during the lock. */
  if (locked_until != NULL && g_date_time_compare (now, locked_until) < 0)
    {
      if (!record_refusal (shop, staff_id, "locked", failed, locked_until, error))
        return FALSE;
      set_locked_error (error, now, locked_until);
      return FALSE;
    }

  if (!kassa_staff_get_active (staff))
    {
      if (!record_refusal (shop, staff_id, "archived", failed, NULL, error))
        return FALSE;
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED,
                   _("%s’s account is archived"), kassa_staff_get_name (staff));
      return FALSE;
    }

  if (!kassa_pin_verify (kassa_staff_get_pin_hash (staff), pin))
    {
      g_autoptr(GDateTime) lock = NULL;

      if (!record_wrong_pin (shop, repo, staff_id, now, &lock, error))
        return FALSE;

      if (lock != NULL)
        set_locked_error (error, now, lock);
      else
        g_set_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED, _("Wrong PIN"));
      return FALSE;
    }

  if (!kassa_database_begin (database, error))
    return FALSE;

  if (!finish (shop,
               kassa_staff_repository_set_lock (repo, staff_id, 0, NULL, error) &&
               audit (shop, staff_id, "staff.sign-in", staff_id, NULL, error),
               error))
    return FALSE;

  /* Drop the hash from the object the rest of the program holds. */
  kassa_staff_set_pin_hash (staff, NULL);
  kassa_shop_set_actor (shop, staff);

  return TRUE;
}

void
kassa_shop_sign_out (KassaShop *shop)
{
  g_return_if_fail (KASSA_IS_SHOP (shop));

  kassa_shop_set_actor (shop, NULL);
}

gint64
kassa_shop_get_sign_in_lock_seconds (KassaShop  *shop,
                                     gint64      staff_id,
                                     GDateTime  *now,
                                     GError    **error)
{
  g_autoptr(KassaStaffRepository) repo = NULL;
  g_autoptr(GDateTime) locked_until = NULL;
  GTimeSpan left;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), -1);
  g_return_val_if_fail (now != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  repo = kassa_staff_repository_new (kassa_shop_get_database (shop));
  if (!kassa_staff_repository_get_lock (repo, staff_id, NULL, &locked_until, error))
    return -1;

  if (locked_until == NULL || g_date_time_compare (now, locked_until) >= 0)
    return 0;

  left = g_date_time_difference (locked_until, now);
  return (left + G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_SECOND;
}
