/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The body of a Stripe request: an ordered list of fields whose names
 * carry the nesting in brackets (`metadata[order_id]`,
 * `line_items[0][price_data][currency]`, `expand[]`). Stripe reads
 * `application/x-www-form-urlencoded` bodies only, for every POST. */

#define KASSA_TYPE_STRIPE_FORM (kassa_stripe_form_get_type ())

typedef struct _KassaStripeForm KassaStripeForm;

GType            kassa_stripe_form_get_type   (void) G_GNUC_CONST;
KassaStripeForm *kassa_stripe_form_new        (void);
KassaStripeForm *kassa_stripe_form_copy       (const KassaStripeForm *form);
void             kassa_stripe_form_free       (KassaStripeForm *form);

void             kassa_stripe_form_add        (KassaStripeForm *form,
                                               const char      *name,
                                               const char      *value);
void             kassa_stripe_form_add_int    (KassaStripeForm *form,
                                               const char      *name,
                                               gint64           value);
void             kassa_stripe_form_add_bool   (KassaStripeForm *form,
                                               const char      *name,
                                               gboolean         value);
void             kassa_stripe_form_add_nested (KassaStripeForm *form,
                                               const char      *value,
                                               const char      *first_part,
                                               ...) G_GNUC_NULL_TERMINATED;
gboolean         kassa_stripe_form_add_json   (KassaStripeForm *form,
                                               const char      *prefix,
                                               JsonNode        *node,
                                               GError         **error);

guint            kassa_stripe_form_get_length (const KassaStripeForm *form);
const char      *kassa_stripe_form_get_name   (const KassaStripeForm *form,
                                               guint                  index);
const char      *kassa_stripe_form_get_value  (const KassaStripeForm *form,
                                               guint                  index);
const char      *kassa_stripe_form_lookup     (const KassaStripeForm *form,
                                               const char            *name);

char            *kassa_stripe_form_encode     (const KassaStripeForm *form);
KassaStripeForm *kassa_stripe_form_parse      (const char *encoded,
                                               GError    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KassaStripeForm, kassa_stripe_form_free)

G_END_DECLS
