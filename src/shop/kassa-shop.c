/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-shop"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kassa-error.h"
#include "kassa-permissions.h"
#include "kassa-shop-private.h"

struct _KassaShop
{
  GObject        parent_instance;

  KassaDatabase *database;
  KassaJournal  *journal;
  KassaAuditLog *audit_log;

  KassaStaff    *actor;
  gboolean       system;
};

G_DEFINE_FINAL_TYPE (KassaShop, kassa_shop, G_TYPE_OBJECT)

static void
kassa_shop_dispose (GObject *object)
{
  KassaShop *self = KASSA_SHOP (object);

  g_clear_object (&self->actor);
  g_clear_object (&self->audit_log);
  g_clear_object (&self->journal);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (kassa_shop_parent_class)->dispose (object);
}

static void
kassa_shop_class_init (KassaShopClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kassa_shop_dispose;
}

static void
kassa_shop_init (KassaShop *self)
{
}

/**
 * kassa_shop_open:
 * @path: the store database, created with the current schema if missing
 *
 * Returns: (transfer full): the shop, with nobody acting yet
 */
KassaShop *
kassa_shop_open (const char  *path,
                 GError     **error)
{
  g_autoptr(KassaShop) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (KASSA_TYPE_SHOP, NULL);
  self->database = kassa_database_open (path, error);
  if (self->database == NULL)
    return NULL;

  self->journal = kassa_journal_new (self->database);
  self->audit_log = kassa_audit_log_new (self->database);

  return g_steal_pointer (&self);
}

const char *
kassa_shop_get_path (KassaShop *self)
{
  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);

  return kassa_database_get_path (self->database);
}

void
kassa_shop_set_actor (KassaShop  *self,
                      KassaStaff *actor)
{
  g_return_if_fail (KASSA_IS_SHOP (self));
  g_return_if_fail (actor == NULL || KASSA_IS_STAFF (actor));

  g_set_object (&self->actor, actor);
  self->system = FALSE;
}

KassaStaff *
kassa_shop_get_actor (KassaShop *self)
{
  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);

  return self->actor;
}

void
kassa_shop_act_as_system (KassaShop *self)
{
  g_return_if_fail (KASSA_IS_SHOP (self));

  g_clear_object (&self->actor);
  self->system = TRUE;
}

gboolean
kassa_shop_is_system (KassaShop *self)
{
  g_return_val_if_fail (KASSA_IS_SHOP (self), FALSE);

  return self->system;
}

gboolean
kassa_shop_check_permission (KassaShop        *self,
                             KassaPermission   permission,
                             GError          **error)
{
  g_return_val_if_fail (KASSA_IS_SHOP (self), FALSE);

  if (self->system)
    return TRUE;

  if (self->actor == NULL)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED,
                   _("Nobody is signed in: %s needs a staff member with that permission"),
                   kassa_permission_get_display_name (permission));
      return FALSE;
    }

  return kassa_staff_check_permission (self->actor, permission, error);
}

KassaDatabase *
kassa_shop_get_database (KassaShop *self)
{
  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);

  return self->database;
}

KassaJournal *
kassa_shop_get_journal (KassaShop *self)
{
  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);

  return self->journal;
}

KassaAuditLog *
kassa_shop_get_audit_log (KassaShop *self)
{
  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);

  return self->audit_log;
}

gint64
kassa_shop_get_actor_id (KassaShop *self)
{
  g_return_val_if_fail (KASSA_IS_SHOP (self), 0);

  return self->actor != NULL ? kassa_staff_get_id (self->actor) : 0;
}
