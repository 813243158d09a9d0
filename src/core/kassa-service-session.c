/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-service-session"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kassa-core-enum-types.h"
#include "kassa-error.h"
#include "kassa-service-session.h"
#include "kassa-transitions.h"

struct _KassaServiceSession
{
  GObject parent_instance;

  gint64                     id;
  gint64                     item_id;
  gint64                     customer_id;
  gint64                     order_id;
  guint                      duration_minutes;
  KassaServiceSessionStatus  status;
  GDateTime                 *started_at;
  gint64                     order_line_id;
  gint64                     provider_staff_id;

  /* Until construction ends, "status" is loaded, not transitioned. */
  guint constructed : 1;
};

G_DEFINE_FINAL_TYPE (KassaServiceSession, kassa_service_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_ITEM_ID,
  PROP_CUSTOMER_ID,
  PROP_ORDER_ID,
  PROP_DURATION_MINUTES,
  PROP_STATUS,
  PROP_STARTED_AT,
  PROP_ORDER_LINE_ID,
  PROP_PROVIDER_STAFF_ID,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
kassa_service_session_finalize (GObject *object)
{
  KassaServiceSession *self = KASSA_SERVICE_SESSION (object);

  g_clear_pointer (&self->started_at, g_date_time_unref);

  G_OBJECT_CLASS (kassa_service_session_parent_class)->finalize (object);
}

static void
kassa_service_session_constructed (GObject *object)
{
  KassaServiceSession *self = KASSA_SERVICE_SESSION (object);

  G_OBJECT_CLASS (kassa_service_session_parent_class)->constructed (object);

  self->constructed = TRUE;
}

static void
kassa_service_session_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  KassaServiceSession *self = KASSA_SERVICE_SESSION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_ITEM_ID:
      g_value_set_int64 (value, self->item_id);
      break;

    case PROP_CUSTOMER_ID:
      g_value_set_int64 (value, self->customer_id);
      break;

    case PROP_ORDER_ID:
      g_value_set_int64 (value, self->order_id);
      break;

    case PROP_DURATION_MINUTES:
      g_value_set_uint (value, self->duration_minutes);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_STARTED_AT:
      g_value_set_boxed (value, self->started_at);
      break;

    case PROP_ORDER_LINE_ID:
      g_value_set_int64 (value, self->order_line_id);
      break;

    case PROP_PROVIDER_STAFF_ID:
      g_value_set_int64 (value, self->provider_staff_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_service_session_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  KassaServiceSession *self = KASSA_SERVICE_SESSION (object);
  g_autoptr(GError) error = NULL;

  switch (prop_id)
    {
    case PROP_ID:
      kassa_service_session_set_id (self, g_value_get_int64 (value));
      break;

    case PROP_ITEM_ID:
      kassa_service_session_set_item_id (self, g_value_get_int64 (value));
      break;

    case PROP_CUSTOMER_ID:
      kassa_service_session_set_customer_id (self, g_value_get_int64 (value));
      break;

    case PROP_ORDER_ID:
      kassa_service_session_set_order_id (self, g_value_get_int64 (value));
      break;

    case PROP_DURATION_MINUTES:
      kassa_service_session_set_duration_minutes (self, g_value_get_uint (value));
      break;

    case PROP_STATUS:
      if (!self->constructed)
        self->status = g_value_get_enum (value);
      else if (!kassa_service_session_set_status (self, g_value_get_enum (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_STARTED_AT:
      kassa_service_session_set_started_at (self, g_value_get_boxed (value));
      break;

    case PROP_ORDER_LINE_ID:
      kassa_service_session_set_order_line_id (self, g_value_get_int64 (value));
      break;

    case PROP_PROVIDER_STAFF_ID:
      kassa_service_session_set_provider_staff_id (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_service_session_class_init (KassaServiceSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = kassa_service_session_constructed;
  object_class->finalize = kassa_service_session_finalize;
  object_class->get_property = kassa_service_session_get_property;
  object_class->set_property = kassa_service_session_set_property;

  properties [PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_ITEM_ID] =
    g_param_spec_int64 ("item-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_CUSTOMER_ID] =
    g_param_spec_int64 ("customer-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_ORDER_ID] =
    g_param_spec_int64 ("order-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_DURATION_MINUTES] =
    g_param_spec_uint ("duration-minutes", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       KASSA_TYPE_SERVICE_SESSION_STATUS,
                       KASSA_SERVICE_SESSION_STATUS_PENDING,
                       (G_PARAM_READWRITE |
                        G_PARAM_CONSTRUCT |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_STARTED_AT] =
    g_param_spec_boxed ("started-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_ORDER_LINE_ID] =
    g_param_spec_int64 ("order-line-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_PROVIDER_STAFF_ID] =
    g_param_spec_int64 ("provider-staff-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_service_session_init (KassaServiceSession *self)
{
}

KassaServiceSession *
kassa_service_session_new (void)
{
  return g_object_new (KASSA_TYPE_SERVICE_SESSION, NULL);
}

gint64
kassa_service_session_get_id (KassaServiceSession *self)
{
  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION (self), 0);

  return self->id;
}

void
kassa_service_session_set_id (KassaServiceSession *self,
                              gint64               id)
{
  g_return_if_fail (KASSA_IS_SERVICE_SESSION (self));

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ID]);
}

gint64
kassa_service_session_get_item_id (KassaServiceSession *self)
{
  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION (self), 0);

  return self->item_id;
}

void
kassa_service_session_set_item_id (KassaServiceSession *self,
                                   gint64               item_id)
{
  g_return_if_fail (KASSA_IS_SERVICE_SESSION (self));

  if (self->item_id == item_id)
    return;

  self->item_id = item_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ITEM_ID]);
}

gint64
kassa_service_session_get_customer_id (KassaServiceSession *self)
{
  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION (self), 0);

  return self->customer_id;
}

void
kassa_service_session_set_customer_id (KassaServiceSession *self,
                                       gint64               customer_id)
{
  g_return_if_fail (KASSA_IS_SERVICE_SESSION (self));

  if (self->customer_id == customer_id)
    return;

  self->customer_id = customer_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CUSTOMER_ID]);
}

gint64
kassa_service_session_get_order_id (KassaServiceSession *self)
{
  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION (self), 0);

  return self->order_id;
}

void
kassa_service_session_set_order_id (KassaServiceSession *self,
                                    gint64               order_id)
{
  g_return_if_fail (KASSA_IS_SERVICE_SESSION (self));

  if (self->order_id == order_id)
    return;

  self->order_id = order_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ORDER_ID]);
}

guint
kassa_service_session_get_duration_minutes (KassaServiceSession *self)
{
  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION (self), 0);

  return self->duration_minutes;
}

void
kassa_service_session_set_duration_minutes (KassaServiceSession *self,
                                            guint                duration_minutes)
{
  g_return_if_fail (KASSA_IS_SERVICE_SESSION (self));

  if (self->duration_minutes == duration_minutes)
    return;

  self->duration_minutes = duration_minutes;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DURATION_MINUTES]);
}

KassaServiceSessionStatus
kassa_service_session_get_status (KassaServiceSession *self)
{
  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION (self), KASSA_SERVICE_SESSION_STATUS_PENDING);

  return self->status;
}

gboolean
kassa_service_session_set_status (KassaServiceSession        *self,
                                  KassaServiceSessionStatus   status,
                                  GError                    **error)
{
  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->status == status)
    return TRUE;

  if (!kassa_service_session_status_check_transition (self->status, status, error))
    return FALSE;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATUS]);

  return TRUE;
}

GDateTime *
kassa_service_session_get_started_at (KassaServiceSession *self)
{
  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION (self), NULL);

  return self->started_at;
}

void
kassa_service_session_set_started_at (KassaServiceSession *self,
                                      GDateTime           *started_at)
{
  g_return_if_fail (KASSA_IS_SERVICE_SESSION (self));

  if (self->started_at == started_at ||
      (self->started_at != NULL && started_at != NULL && g_date_time_equal (self->started_at, started_at)))
    return;

  g_clear_pointer (&self->started_at, g_date_time_unref);
  if (started_at != NULL)
    self->started_at = g_date_time_ref (started_at);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STARTED_AT]);
}

gboolean
kassa_service_session_start (KassaServiceSession  *self,
                             GDateTime            *now,
                             GError              **error)
{
  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_service_session_status_check_transition (self->status,
                                                      KASSA_SERVICE_SESSION_STATUS_ACTIVE,
                                                      error))
    return FALSE;

  if (self->duration_minutes == 0)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("A service session needs a paid duration to start"));
      return FALSE;
    }

  kassa_service_session_set_started_at (self, now);
  return kassa_service_session_set_status (self, KASSA_SERVICE_SESSION_STATUS_ACTIVE, error);
}

GDateTime *
kassa_service_session_get_ends_at (KassaServiceSession *self)
{
  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION (self), NULL);

  if (self->started_at == NULL)
    return NULL;

  return g_date_time_add_minutes (self->started_at, (int) self->duration_minutes);
}

gboolean
kassa_service_session_is_expired (KassaServiceSession *self,
                                  GDateTime           *now)
{
  g_autoptr(GDateTime) ends_at = NULL;

  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  if (self->status == KASSA_SERVICE_SESSION_STATUS_EXPIRED)
    return TRUE;

  if (self->status != KASSA_SERVICE_SESSION_STATUS_ACTIVE)
    return FALSE;

  ends_at = kassa_service_session_get_ends_at (self);

  return ends_at != NULL && g_date_time_compare (now, ends_at) >= 0;
}

guint
kassa_service_session_get_remaining_minutes (KassaServiceSession *self,
                                             GDateTime           *now)
{
  g_autoptr(GDateTime) ends_at = NULL;
  GTimeSpan left;

  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION (self), 0);
  g_return_val_if_fail (now != NULL, 0);

  switch (self->status)
    {
    case KASSA_SERVICE_SESSION_STATUS_PENDING:
      return self->duration_minutes;

    case KASSA_SERVICE_SESSION_STATUS_ACTIVE:
      break;

    case KASSA_SERVICE_SESSION_STATUS_EXPIRED:
    case KASSA_SERVICE_SESSION_STATUS_CANCELLED:
    default:
      return 0;
    }

  ends_at = kassa_service_session_get_ends_at (self);
  left = g_date_time_difference (ends_at, now);
  if (left <= 0)
    return 0;

  /* A customer with 30 seconds left still has "1 minute", not 0. */
  return (guint) ((left + G_TIME_SPAN_MINUTE - 1) / G_TIME_SPAN_MINUTE);
}

gboolean
kassa_service_session_expire (KassaServiceSession  *self,
                              GDateTime            *now,
                              GError              **error)
{
  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_service_session_status_check_transition (self->status,
                                                      KASSA_SERVICE_SESSION_STATUS_EXPIRED,
                                                      error))
    return FALSE;

  if (!kassa_service_session_is_expired (self, now))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The session still has %u minute left",
                                "The session still has %u minutes left",
                                kassa_service_session_get_remaining_minutes (self, now)),
                   kassa_service_session_get_remaining_minutes (self, now));
      return FALSE;
    }

  return kassa_service_session_set_status (self, KASSA_SERVICE_SESSION_STATUS_EXPIRED, error);
}

KassaServiceSession *
kassa_service_session_renew (KassaServiceSession *self,
                             guint                duration_minutes)
{
  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION (self), NULL);

  return g_object_new (KASSA_TYPE_SERVICE_SESSION,
                       "item-id", self->item_id,
                       "customer-id", self->customer_id,
                       "duration-minutes", duration_minutes != 0 ? duration_minutes : self->duration_minutes,
                       NULL);
}

gint64
kassa_service_session_get_order_line_id (KassaServiceSession *self)
{
  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION (self), 0);

  return self->order_line_id;
}

void
kassa_service_session_set_order_line_id (KassaServiceSession *self,
                                         gint64               order_line_id)
{
  g_return_if_fail (KASSA_IS_SERVICE_SESSION (self));

  if (self->order_line_id == order_line_id)
    return;

  self->order_line_id = order_line_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ORDER_LINE_ID]);
}

gint64
kassa_service_session_get_provider_staff_id (KassaServiceSession *self)
{
  g_return_val_if_fail (KASSA_IS_SERVICE_SESSION (self), 0);

  return self->provider_staff_id;
}

void
kassa_service_session_set_provider_staff_id (KassaServiceSession *self,
                                             gint64               provider_staff_id)
{
  g_return_if_fail (KASSA_IS_SERVICE_SESSION (self));

  if (self->provider_staff_id == provider_staff_id)
    return;

  self->provider_staff_id = provider_staff_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PROVIDER_STAFF_ID]);
}
