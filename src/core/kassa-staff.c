/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-staff"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kassa-core-enum-types.h"
#include "kassa-error.h"
#include "kassa-permissions.h"
#include "kassa-staff.h"

struct _KassaStaff
{
  GObject parent_instance;

  gint64          id;
  char           *name;
  KassaStaffRole  role;
  char           *pin_hash;
  gboolean        active;
};

G_DEFINE_FINAL_TYPE (KassaStaff, kassa_staff, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_ROLE,
  PROP_PIN_HASH,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
kassa_staff_finalize (GObject *object)
{
  KassaStaff *self = KASSA_STAFF (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->pin_hash, g_free);

  G_OBJECT_CLASS (kassa_staff_parent_class)->finalize (object);
}

static void
kassa_staff_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  KassaStaff *self = KASSA_STAFF (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;

    case PROP_PIN_HASH:
      g_value_set_string (value, self->pin_hash);
      break;

    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_staff_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  KassaStaff *self = KASSA_STAFF (object);

  switch (prop_id)
    {
    case PROP_ID:
      kassa_staff_set_id (self, g_value_get_int64 (value));
      break;

    case PROP_NAME:
      kassa_staff_set_name (self, g_value_get_string (value));
      break;

    case PROP_ROLE:
      kassa_staff_set_role (self, g_value_get_enum (value));
      break;

    case PROP_PIN_HASH:
      kassa_staff_set_pin_hash (self, g_value_get_string (value));
      break;

    case PROP_ACTIVE:
      kassa_staff_set_active (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_staff_class_init (KassaStaffClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kassa_staff_finalize;
  object_class->get_property = kassa_staff_get_property;
  object_class->set_property = kassa_staff_set_property;

  properties [PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL,
                       KASSA_TYPE_STAFF_ROLE,
                       KASSA_STAFF_ROLE_VIEWER,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_PIN_HASH] =
    g_param_spec_string ("pin-hash", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_staff_init (KassaStaff *self)
{
  /* A new account can do the least until someone grants more. */
  self->role = KASSA_STAFF_ROLE_VIEWER;
  self->active = TRUE;
}

KassaStaff *
kassa_staff_new (void)
{
  return g_object_new (KASSA_TYPE_STAFF, NULL);
}

gint64
kassa_staff_get_id (KassaStaff *self)
{
  g_return_val_if_fail (KASSA_IS_STAFF (self), 0);

  return self->id;
}

void
kassa_staff_set_id (KassaStaff *self,
                    gint64      id)
{
  g_return_if_fail (KASSA_IS_STAFF (self));

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ID]);
}

const char *
kassa_staff_get_name (KassaStaff *self)
{
  g_return_val_if_fail (KASSA_IS_STAFF (self), NULL);

  return self->name;
}

void
kassa_staff_set_name (KassaStaff *self,
                      const char *name)
{
  g_return_if_fail (KASSA_IS_STAFF (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_NAME]);
}

KassaStaffRole
kassa_staff_get_role (KassaStaff *self)
{
  g_return_val_if_fail (KASSA_IS_STAFF (self), KASSA_STAFF_ROLE_VIEWER);

  return self->role;
}

void
kassa_staff_set_role (KassaStaff     *self,
                      KassaStaffRole  role)
{
  g_return_if_fail (KASSA_IS_STAFF (self));

  if (self->role == role)
    return;

  self->role = role;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ROLE]);
}

const char *
kassa_staff_get_pin_hash (KassaStaff *self)
{
  g_return_val_if_fail (KASSA_IS_STAFF (self), NULL);

  return self->pin_hash;
}

void
kassa_staff_set_pin_hash (KassaStaff *self,
                          const char *pin_hash)
{
  g_return_if_fail (KASSA_IS_STAFF (self));

  if (g_strcmp0 (self->pin_hash, pin_hash) == 0)
    return;

  g_free (self->pin_hash);
  self->pin_hash = g_strdup (pin_hash);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PIN_HASH]);
}

gboolean
kassa_staff_get_active (KassaStaff *self)
{
  g_return_val_if_fail (KASSA_IS_STAFF (self), FALSE);

  return self->active;
}

void
kassa_staff_set_active (KassaStaff *self,
                        gboolean    active)
{
  g_return_if_fail (KASSA_IS_STAFF (self));

  active = !!active;

  if (self->active == active)
    return;

  self->active = active;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ACTIVE]);
}

gboolean
kassa_staff_has_permission (KassaStaff      *self,
                            KassaPermission  permission)
{
  g_return_val_if_fail (KASSA_IS_STAFF (self), FALSE);

  return kassa_staff_check_permission (self, permission, NULL);
}

gboolean
kassa_staff_check_permission (KassaStaff       *self,
                              KassaPermission   permission,
                              GError          **error)
{
  KassaPermission missing;

  g_return_val_if_fail (KASSA_IS_STAFF (self), FALSE);
  g_return_val_if_fail (permission != KASSA_PERMISSION_NONE, FALSE);
  g_return_val_if_fail ((permission & ~KASSA_PERMISSION_ALL) == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!self->active)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED,
                   _("%s’s account is deactivated"),
                   self->name != NULL ? self->name : _("This staff member"));
      return FALSE;
    }

  missing = permission & ~kassa_role_get_permissions (self->role);
  if (missing == KASSA_PERMISSION_NONE)
    return TRUE;

  /* Name the lowest missing flag: one clear line beats a list. */
  missing = (KassaPermission) ((guint) missing & (~(guint) missing + 1));
  g_set_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED,
               /* Translators: e.g. The role “Cashier” does not allow “Override prices” */
               _("The role “%s” does not allow “%s”"),
               kassa_role_get_display_name (self->role),
               kassa_permission_get_display_name (missing));

  return FALSE;
}
