/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Events are parsed from untrusted bytes (a webhook body or a list page);
 * anything larger is refused before parsing. */
#define KASSA_STRIPE_EVENT_MAX_SIZE (1024 * 1024)

#define KASSA_TYPE_STRIPE_EVENT (kassa_stripe_event_get_type ())

G_DECLARE_FINAL_TYPE (KassaStripeEvent, kassa_stripe_event, KASSA, STRIPE_EVENT, GObject)

KassaStripeEvent *kassa_stripe_event_new_from_data         (const char *data,
                                                            gssize      length,
                                                            GError    **error);
KassaStripeEvent *kassa_stripe_event_new_from_json         (JsonNode   *node,
                                                            GError    **error);
GPtrArray        *kassa_stripe_event_parse_list            (JsonObject *list,
                                                            gboolean   *has_more,
                                                            GError    **error);

const char       *kassa_stripe_event_get_id                (KassaStripeEvent *self);
const char       *kassa_stripe_event_get_event_type        (KassaStripeEvent *self);
gint64            kassa_stripe_event_get_created           (KassaStripeEvent *self);
gboolean          kassa_stripe_event_get_livemode          (KassaStripeEvent *self);
const char       *kassa_stripe_event_get_api_version       (KassaStripeEvent *self);
const char       *kassa_stripe_event_get_object_id         (KassaStripeEvent *self);
const char       *kassa_stripe_event_get_object_type       (KassaStripeEvent *self);
JsonObject       *kassa_stripe_event_get_object            (KassaStripeEvent *self);
JsonObject       *kassa_stripe_event_get_previous_attributes (KassaStripeEvent *self);
const char       *kassa_stripe_event_get_object_string     (KassaStripeEvent *self,
                                                            const char       *member);
gboolean          kassa_stripe_event_get_object_int        (KassaStripeEvent *self,
                                                            const char       *member,
                                                            gint64           *value);
gboolean          kassa_stripe_event_get_object_bool       (KassaStripeEvent *self,
                                                            const char       *member,
                                                            gboolean         *value);

G_END_DECLS
