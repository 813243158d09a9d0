/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-cart.h"
#include "kassa-cart-repository.h"
#include "kassa-catalog-item.h"
#include "kassa-customer.h"
#include "kassa-order.h"
#include "kassa-receipt.h"
#include "kassa-shop.h"
#include "kassa-totals.h"

G_BEGIN_DECLS

/* The open cart at the till. Every change is saved as it happens (the
 * cart repository watches the cart), so a crash or a power cut loses
 * nothing: a new till resumes the open cart left behind. Products hold
 * stock for the store's reservation minutes while they sit in the cart.
 *
 * "cart" is replaced after a sale, a park or a resume; "totals" and
 * "amount-due" follow every change of the cart, computed by the totals
 * engine, so an interface binds to them rather than adding up itself.
 *
 * Every operation checks the actor's permission through the shop:
 * selling (KASSA_PERMISSION_SELL), removing a line (VOID_LINE),
 * discounts (DISCOUNT), price overrides (PRICE_OVERRIDE) and creating a
 * customer (MANAGE_CUSTOMERS). Removed lines and price overrides are
 * recorded in the audit log. */

#define KASSA_TYPE_TILL (kassa_till_get_type ())

G_DECLARE_FINAL_TYPE (KassaTill, kassa_till, KASSA, TILL, GObject)

/* Resumes the most recent open cart, or starts a new one. */
KassaTill           *kassa_till_new                   (KassaShop          *shop,
                                                       GError            **error);
KassaShop           *kassa_till_get_shop              (KassaTill          *self);
KassaCart           *kassa_till_get_cart              (KassaTill          *self);
gint64               kassa_till_get_cart_id           (KassaTill          *self);
const KassaCurrency *kassa_till_get_currency          (KassaTill          *self);
gboolean             kassa_till_get_empty             (KassaTill          *self);
/* (transfer none): the cart's totals without cash rounding, or NULL
 * when they cannot be computed (the reason is logged). */
KassaTotals         *kassa_till_get_totals            (KassaTill          *self);
/* What is due for a tender that is not cash. */
gint64               kassa_till_get_amount_due        (KassaTill          *self);
/* What is due, with the store's cash rounding when @cash. */
gboolean             kassa_till_compute_amount_due    (KassaTill          *self,
                                                       gboolean            cash,
                                                       gint64             *amount_due,
                                                       GError            **error);

/* Returns: (transfer full) (element-type KassaCatalogItem) */
GPtrArray           *kassa_till_search                (KassaTill          *self,
                                                       const char         *text,
                                                       guint               limit,
                                                       GError            **error);
gboolean             kassa_till_add_item              (KassaTill          *self,
                                                       KassaCatalogItem   *item,
                                                       gint64              quantity,
                                                       guint              *position,
                                                       GError            **error);
/* KASSA_ERROR_NOT_FOUND naming the barcode when no active item has it. */
gboolean             kassa_till_add_barcode           (KassaTill          *self,
                                                       const char         *barcode,
                                                       guint              *position,
                                                       GError            **error);
gboolean             kassa_till_set_quantity          (KassaTill          *self,
                                                       guint               position,
                                                       gint64              quantity,
                                                       GError            **error);
/* Returns: (transfer full): the removed line, for kassa_till_restore_line() */
KassaCartLine       *kassa_till_remove_line           (KassaTill          *self,
                                                       guint               position,
                                                       GError            **error);
/* Undoes a removal: puts @line back at @position and reserves again. */
gboolean             kassa_till_restore_line          (KassaTill          *self,
                                                       guint               position,
                                                       KassaCartLine      *line,
                                                       GError            **error);
gboolean             kassa_till_set_line_discount     (KassaTill          *self,
                                                       guint               position,
                                                       KassaDiscountKind   kind,
                                                       gint64              value,
                                                       GError            **error);
gboolean             kassa_till_set_document_discount (KassaTill          *self,
                                                       KassaDiscountKind   kind,
                                                       gint64              value,
                                                       GError            **error);
gboolean             kassa_till_set_price_override    (KassaTill          *self,
                                                       guint               position,
                                                       gint64              price,
                                                       GError            **error);

/* Puts the cart on hold under @label and starts a new one. */
gboolean             kassa_till_park                  (KassaTill          *self,
                                                       const char         *label,
                                                       GError            **error);
/* Returns: (transfer full) (element-type KassaCartSummary) */
GPtrArray           *kassa_till_list_parked           (KassaTill          *self,
                                                       GError            **error);
/* Makes parked cart @cart_id the till's cart. A current cart with lines
 * is parked first (without a label), an empty one dropped. */
gboolean             kassa_till_resume                (KassaTill          *self,
                                                       gint64              cart_id,
                                                       GError            **error);

/* Returns: (transfer full) (element-type KassaCustomer) */
GPtrArray           *kassa_till_search_customers      (KassaTill          *self,
                                                       const char         *text,
                                                       guint               limit,
                                                       GError            **error);
/* Saves a new customer from what the cashier typed (a name and at least
 * an e-mail address or a phone number may be empty) and attaches it. */
KassaCustomer       *kassa_till_create_customer       (KassaTill          *self,
                                                       const char         *name,
                                                       const char         *email,
                                                       const char         *phone,
                                                       GError            **error);
/* @customer NULL goes back to the walk-in customer. */
gboolean             kassa_till_set_customer          (KassaTill          *self,
                                                       KassaCustomer      *customer,
                                                       GError            **error);
/* The address is kept exactly as typed. */
gboolean             kassa_till_set_delivery          (KassaTill          *self,
                                                       KassaDeliveryMethod method,
                                                       const char         *address,
                                                       GError            **error);

/* Completes the sale with one cash payment of the amount due (cash
 * rounding applied); @tendered is the money handed over, @change what
 * goes back. Refused when @tendered is short.
 * Returns: (transfer full): the stored order */
KassaOrder          *kassa_till_pay_cash              (KassaTill          *self,
                                                       gint64              tendered,
                                                       gint64             *change,
                                                       GError            **error);
/* Completes the sale with @payments (a split tender is several) through
 * kassa_shop_complete_sale(), then starts a new cart. On failure the
 * cart stays as it was.
 * Returns: (transfer full): the stored order */
KassaOrder          *kassa_till_complete              (KassaTill          *self,
                                                       GPtrArray          *payments,
                                                       GError            **error);

/* Opens the drawer without a sale (KASSA_PERMISSION_OPEN_DRAWER): a
 * no-sale movement with @reason on the open shift, and an audit entry. */
gboolean             kassa_till_no_sale               (KassaTill          *self,
                                                       const char         *reason,
                                                       GError            **error);

/* The receipt of @order, a sale of this till, under the store's profile;
 * @tendered and @change are the cash handed over and given back (0 when
 * no cash was tendered). */
KassaReceipt        *kassa_till_build_receipt         (KassaTill          *self,
                                                       KassaOrder         *order,
                                                       gint64              tendered,
                                                       gint64              change,
                                                       GError            **error);

G_END_DECLS
