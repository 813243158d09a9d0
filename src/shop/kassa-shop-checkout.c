/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-shop-checkout"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "kassa-cart-line.h"
#include "kassa-cart-repository.h"
#include "kassa-catalog-item.h"
#include "kassa-currency.h"
#include "kassa-document-totals.h"
#include "kassa-error.h"
#include "kassa-money.h"
#include "kassa-order-line.h"
#include "kassa-order-repository.h"
#include "kassa-sale.h"
#include "kassa-service-session.h"
#include "kassa-service-session-repository.h"
#include "kassa-settings-repository.h"
#include "kassa-shift-repository.h"
#include "kassa-shop-checkout.h"
#include "kassa-shop-private.h"
#include "kassa-stock-repository.h"

/* Everything a sale is priced under, read once before it is written. */
typedef struct
{
  KassaStoreSettings *settings;
  KassaTaxSettings    tax;
  KassaCart          *cart;
  KassaOrder         *order;
  KassaTotals        *totals;
  gint64              cash_rounding_step;
} Sale;

static void
sale_clear (Sale *sale)
{
  g_clear_object (&sale->settings);
  g_clear_object (&sale->cart);
  g_clear_object (&sale->order);
  g_clear_pointer (&sale->totals, kassa_totals_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Sale, sale_clear)

static gboolean
has_cash_tender (GPtrArray *payments)
{
  for (guint i = 0; payments != NULL && i < payments->len; i++)
    {
      if (g_strcmp0 (kassa_payment_get_provider_id (g_ptr_array_index (payments, i)),
                     KASSA_PAYMENT_PROVIDER_CASH) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
price_sale (KassaShop  *self,
            gint64      cart_id,
            gboolean    cash,
            GDateTime  *now,
            Sale       *sale,
            GError    **error)
{
  KassaDatabase *database = kassa_shop_get_database (self);
  g_autoptr(KassaSettingsRepository) settings = kassa_settings_repository_new (database);
  g_autoptr(KassaCartRepository) carts = kassa_cart_repository_new (database);

  sale->settings = kassa_settings_repository_load_settings (settings, NULL, error);
  if (sale->settings == NULL ||
      !kassa_store_settings_get_tax_settings (sale->settings, &sale->tax, error))
    return FALSE;

  sale->cart = kassa_cart_repository_load (carts, cart_id, error);
  if (sale->cart == NULL)
    return FALSE;

  sale->order = kassa_sale_build_order (sale->cart, &sale->tax, now, error);
  if (sale->order == NULL)
    return FALSE;

  sale->cash_rounding_step = cash ? kassa_store_settings_get_cash_rounding_step (sale->settings) : 0;
  sale->totals = kassa_order_compute_totals (sale->order, &sale->tax, sale->cash_rounding_step, error);

  return sale->totals != NULL;
}

static gint64
amount_due_of (const Sale *sale)
{
  /* The engine guarantees this cannot overflow: it computed both. */
  return kassa_totals_get_total (sale->totals) + kassa_totals_get_cash_rounding (sale->totals);
}

static gboolean
take_payments (Sale       *sale,
               GPtrArray  *payments,
               GDateTime  *now,
               GError    **error)
{
  const char *currency = kassa_currency_get_code (sale->tax.currency);
  gint64 due = amount_due_of (sale);
  gint64 paid = 0;

  for (guint i = 0; i < payments->len; i++)
    {
      KassaPayment *payment = g_ptr_array_index (payments, i);

      if (kassa_payment_get_amount (payment) <= 0)
        {
          g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                               _("Every payment must be more than zero"));
          return FALSE;
        }
      if (kassa_payment_get_currency_code (payment) == NULL)
        kassa_payment_set_currency_code (payment, currency);
      if (kassa_payment_get_paid_at (payment) == NULL)
        kassa_payment_set_paid_at (payment, now);
      if (!kassa_checked_add (paid, kassa_payment_get_amount (payment), &paid))
        {
          g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_OVERFLOW,
                               _("The payments add up to more than can be counted"));
          return FALSE;
        }
    }

  if (paid != due)
    {
      g_autofree char *paid_text = kassa_money_format_display (sale->tax.currency, paid);
      g_autofree char *due_text = kassa_money_format_display (sale->tax.currency, due);

      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   /* Translators: both are amounts of money */
                   _("The payments come to %s but %s is due"), paid_text, due_text);
      return FALSE;
    }

  for (guint i = 0; i < payments->len; i++)
    {
      if (!kassa_order_add_payment (sale->order, g_ptr_array_index (payments, i), error))
        return FALSE;
    }

  kassa_order_set_paid_at (sale->order, now);

  return kassa_order_set_payment_status (sale->order, KASSA_PAYMENT_STATUS_PAID, error);
}

/* One session per service line, waiting for the first time the service
 * is given. */
static gboolean
sell_services (KassaShop  *self,
               Sale       *sale,
               GError    **error)
{
  KassaDatabase *database = kassa_shop_get_database (self);
  g_autoptr(KassaOrderRepository) orders = kassa_order_repository_new (database);
  g_autoptr(KassaServiceSessionRepository) sessions = kassa_service_session_repository_new (database);
  g_autoptr(GArray) line_ids = NULL;
  guint n_lines = g_list_model_get_n_items (G_LIST_MODEL (sale->cart));

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(KassaCartLine) line = g_list_model_get_item (G_LIST_MODEL (sale->cart), i);
      KassaCatalogItem *item = kassa_cart_line_get_item (line);
      g_autoptr(KassaServiceSession) session = NULL;

      if (kassa_catalog_item_get_kind (item) != KASSA_ITEM_KIND_SERVICE)
        continue;

      if (line_ids == NULL)
        {
          line_ids = kassa_order_repository_get_line_ids (orders, kassa_order_get_id (sale->order), error);
          if (line_ids == NULL)
            return FALSE;
          g_assert (line_ids->len == n_lines);
        }

      session = kassa_service_session_new ();
      kassa_service_session_set_item_id (session, kassa_catalog_item_get_id (item));
      kassa_service_session_set_customer_id (session, kassa_order_get_customer_id (sale->order));
      kassa_service_session_set_order_id (session, kassa_order_get_id (sale->order));
      kassa_service_session_set_order_line_id (session, g_array_index (line_ids, gint64, i));
      /* A quantity of two sessions' worth buys twice the time. */
      kassa_service_session_set_duration_minutes (session,
                                                  kassa_catalog_item_get_duration_minutes (item) *
                                                  kassa_cart_line_get_quantity (line) / 1000);

      if (!kassa_service_session_repository_save (sessions, session, error))
        return FALSE;
    }

  return TRUE;
}

static JsonNode *
build_journal_payload (Sale   *sale,
                       gint64  staff_id,
                       gint64  shift_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const KassaCurrency *currency = sale->tax.currency;
  GListModel *lines = kassa_order_get_lines (sale->order);
  GListModel *payments = kassa_order_get_payments (sale->order);

#define AMOUNT(name, value) \
  G_STMT_START { \
    g_autofree char *text_ = kassa_money_format_plain (currency, (value)); \
    json_builder_set_member_name (builder, (name)); \
    json_builder_add_string_value (builder, text_); \
  } G_STMT_END

  /* Members in the journal's canonical order (ascending by name), so
   * the journal writes the payload as it is instead of sorting a copy. */
  json_builder_begin_object (builder);
  AMOUNT ("cash_rounding", kassa_totals_get_cash_rounding (sale->totals));
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, kassa_currency_get_code (currency));

  json_builder_set_member_name (builder, "lines");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(KassaOrderLine) line = g_list_model_get_item (lines, i);
      g_autofree char *quantity = kassa_quantity_format (kassa_order_line_get_quantity (line));
      g_autofree char *rate = kassa_rate_format (kassa_order_line_get_tax_rate (line));
      const KassaLineTotals *result = kassa_totals_get_line (sale->totals, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, kassa_order_line_get_name (line));
      AMOUNT ("net", result->net);
      json_builder_set_member_name (builder, "quantity");
      json_builder_add_string_value (builder, quantity);
      json_builder_set_member_name (builder, "sku");
      json_builder_add_string_value (builder, kassa_order_line_get_sku (line));
      AMOUNT ("tax", result->tax);
      json_builder_set_member_name (builder, "tax_rate");
      json_builder_add_string_value (builder, rate);
      AMOUNT ("unit_price", kassa_order_line_get_unit_price (line));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "number");
  json_builder_add_string_value (builder, kassa_order_get_number (sale->order));
  json_builder_set_member_name (builder, "order_id");
  json_builder_add_int_value (builder, kassa_order_get_id (sale->order));

  json_builder_set_member_name (builder, "payments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (payments); i++)
    {
      g_autoptr(KassaPayment) payment = g_list_model_get_item (payments, i);

      json_builder_begin_object (builder);
      AMOUNT ("amount", kassa_payment_get_amount (payment));
      json_builder_set_member_name (builder, "provider");
      json_builder_add_string_value (builder, kassa_payment_get_provider_id (payment));
      json_builder_set_member_name (builder, "reference");
      json_builder_add_string_value (builder, kassa_payment_get_reference (payment));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "shift_id");
  json_builder_add_int_value (builder, shift_id);
  json_builder_set_member_name (builder, "staff_id");
  json_builder_add_int_value (builder, staff_id);
  AMOUNT ("tax", kassa_totals_get_tax (sale->totals));
  AMOUNT ("total", kassa_totals_get_total (sale->totals));
  AMOUNT ("untaxed", kassa_totals_get_untaxed (sale->totals));
  json_builder_end_object (builder);

#undef AMOUNT

  return json_builder_get_root (builder);
}

static gboolean
store_sale (KassaShop         *self,
            gint64             cart_id,
            const KassaShiftRecord *shift,
            Sale              *sale,
            GDateTime         *now,
            GError           **error)
{
  KassaDatabase *database = kassa_shop_get_database (self);
  g_autoptr(KassaOrderRepository) orders = kassa_order_repository_new (database);
  g_autoptr(KassaStockRepository) stock = kassa_stock_repository_new (database);
  g_autoptr(KassaCartRepository) carts = kassa_cart_repository_new (database);
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(KassaJournalEntry) entry = NULL;
  g_autofree char *number = NULL;
  g_autofree char *order_id = NULL;
  KassaOrderSaleContext context = {
    .staff_id = kassa_shop_get_actor_id (self),
    .shift_id = shift->id,
    .cart_id = cart_id,
    .cash_rounding_step = sale->cash_rounding_step,
  };

  number = kassa_order_repository_next_number (orders, error);
  if (number == NULL || !kassa_order_set_number (sale->order, number, error))
    return FALSE;

  if (kassa_order_repository_insert (orders, sale->order, &context, error) == 0)
    return FALSE;

  if (!kassa_stock_repository_sell (stock, cart_id, now,
                                    kassa_store_settings_get_allow_negative_stock (sale->settings),
                                    error))
    return FALSE;

  if (!sell_services (self, sale, error))
    return FALSE;

  if (!kassa_cart_repository_complete (carts, cart_id, error))
    return FALSE;

  payload = build_journal_payload (sale, context.staff_id, shift->id);
  entry = kassa_journal_append (kassa_shop_get_journal (self), "sale", payload, error);
  if (entry == NULL)
    return FALSE;

  order_id = g_strdup_printf ("%" PRId64, kassa_order_get_id (sale->order));

  return kassa_audit_log_record (kassa_shop_get_audit_log (self), context.staff_id,
                                 "order.complete", "order", order_id, NULL, error) != 0;
}

KassaOrder *
kassa_shop_complete_sale (KassaShop   *self,
                          gint64       cart_id,
                          GPtrArray   *payments,
                          GDateTime   *now,
                          GError     **error)
{
  KassaDatabase *database;
  g_autoptr(KassaShiftRepository) shifts = NULL;
  g_autoptr(KassaShiftRecord) shift = NULL;
  g_auto(Sale) sale = { 0 };

  g_return_val_if_fail (KASSA_IS_SHOP (self), NULL);
  g_return_val_if_fail (payments != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!kassa_shop_check_permission (self, KASSA_PERMISSION_SELL, error))
    return NULL;

  if (payments->len == 0)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("A sale needs at least one payment"));
      return NULL;
    }

  database = kassa_shop_get_database (self);
  shifts = kassa_shift_repository_new (database);

  if (!kassa_database_begin (database, error))
    return NULL;

  shift = kassa_shift_repository_get_open (shifts, NULL, error);
  if (shift == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                             _("No shift is open: open the till with a float before selling"));
    }
  else if (price_sale (self, cart_id, has_cash_tender (payments), now, &sale, error) &&
           take_payments (&sale, payments, now, error) &&
           store_sale (self, cart_id, shift, &sale, now, error) &&
           kassa_database_commit (database, error))
    {
      return g_object_ref (sale.order);
    }

  kassa_database_rollback (database, NULL);

  return NULL;
}

gboolean
kassa_shop_get_amount_due (KassaShop  *self,
                           gint64      cart_id,
                           gboolean    cash,
                           gint64     *amount_due,
                           GError    **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_auto(Sale) sale = { 0 };

  g_return_val_if_fail (KASSA_IS_SHOP (self), FALSE);
  g_return_val_if_fail (amount_due != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_shop_check_permission (self, KASSA_PERMISSION_SELL, error) ||
      !price_sale (self, cart_id, cash, now, &sale, error))
    return FALSE;

  *amount_due = amount_due_of (&sale);

  return TRUE;
}
