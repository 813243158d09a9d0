/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* For src/shop/ only: the use-case files reach the store through these. */

#include <json-glib/json-glib.h>

#include "kassa-audit-log.h"
#include "kassa-currency.h"
#include "kassa-database.h"
#include "kassa-invoice.h"
#include "kassa-journal.h"
#include "kassa-shop.h"

G_BEGIN_DECLS

KassaDatabase *kassa_shop_get_database  (KassaShop *self);
KassaJournal  *kassa_shop_get_journal   (KassaShop *self);
KassaAuditLog *kassa_shop_get_audit_log (KassaShop *self);

/* The actor's staff id for the audit log: 0 for the system. */
gint64         kassa_shop_get_actor_id  (KassaShop *self);

/* kassa_shop_credit_invoice() without its permission check, for use
 * cases whose own permission covers the credit note (a refund of
 * invoiced lines). Nests in the caller's transaction. */
KassaInvoice *kassa_shop_credit_invoice_unchecked (KassaShop     *self,
                                                   gint64         invoice_id,
                                                   const gint64  *quantities,
                                                   guint          n_quantities,
                                                   GDateTime     *now,
                                                   GError       **error);

/* Reading documents other systems feed in (kassa-shop-orders.c). Every
 * error is KASSA_ERROR_INVALID and starts with the member's path, as
 * in "orders[2].lines[0].unit_price: …". Amounts are decimal strings
 * ("12.50"; a JSON integer counts as whole units, a JSON float is
 * refused because it cannot hold cents exactly); quantities likewise;
 * rates are percents; times ISO 8601, a bare date meaning midnight in
 * the shop's time zone. @out is left alone when an optional member is
 * missing (or null). */
gboolean kassa_shop_json_get_string   (JsonObject           *object,
                                       const char           *path,
                                       const char           *member,
                                       gboolean              required,
                                       const char          **out,
                                       GError              **error);
gboolean kassa_shop_json_get_boolean  (JsonObject           *object,
                                       const char           *path,
                                       const char           *member,
                                       gboolean             *out,
                                       GError              **error);
gboolean kassa_shop_json_get_money    (JsonObject           *object,
                                       const char           *path,
                                       const char           *member,
                                       const KassaCurrency  *currency,
                                       gboolean              required,
                                       gint64               *out,
                                       gboolean             *out_present,
                                       GError              **error);
gboolean kassa_shop_json_get_quantity (JsonObject           *object,
                                       const char           *path,
                                       const char           *member,
                                       gint64               *out,
                                       GError              **error);
gboolean kassa_shop_json_get_rate     (JsonObject           *object,
                                       const char           *path,
                                       const char           *member,
                                       gboolean              required,
                                       gint64               *out,
                                       GError              **error);
gboolean kassa_shop_json_get_time     (JsonObject           *object,
                                       const char           *path,
                                       const char           *member,
                                       gboolean              required,
                                       GDateTime           **out,
                                       GError              **error);
/* The root of @json as an array; the error names @what ("orders"). */
JsonArray *kassa_shop_json_parse_array (const char          *json,
                                        gssize               length,
                                        const char          *what,
                                        JsonParser         **out_parser,
                                        GError             **error);
/* The object at @index of @array, or an error naming "@what[@index]". */
JsonObject *kassa_shop_json_array_get_object (JsonArray     *array,
                                              guint          index,
                                              const char    *path,
                                              GError       **error);
/* Checks a stated total against the engine's: an error naming @member
 * when they differ. Nothing happens when the document states none. */
gboolean kassa_shop_json_check_stated (JsonObject           *object,
                                       const char           *path,
                                       const char           *member,
                                       const KassaCurrency  *currency,
                                       gint64                computed,
                                       GError              **error);
/* Finds the customer of @object ({"name", "email"?, "phone"?}) by
 * e-mail address, or creates one, inside the caller's transaction. */
gboolean kassa_shop_resolve_customer  (KassaShop            *self,
                                       JsonObject           *object,
                                       const char           *path,
                                       gint64               *out_customer_id,
                                       GError              **error);
/* Adds "@member": "12.50" to @builder's open object. */
void     kassa_shop_json_add_money    (JsonBuilder          *builder,
                                       const char           *member,
                                       const KassaCurrency  *currency,
                                       gint64                amount);
/* ISO 8601 in UTC, or JSON null for a NULL time. */
void     kassa_shop_json_add_time     (JsonBuilder          *builder,
                                       const char           *member,
                                       GDateTime            *time);
/* The nick of an enumeration value ("partially-refunded"). */
const char *kassa_shop_enum_nick      (GType                 enum_type,
                                       int                   value);

G_END_DECLS
