/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-till"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "kassa-catalog-repository.h"
#include "kassa-customer-repository.h"
#include "kassa-document-totals.h"
#include "kassa-error.h"
#include "kassa-money.h"
#include "kassa-settings-repository.h"
#include "kassa-shift-repository.h"
#include "kassa-shop-catalog.h"
#include "kassa-shop-checkout.h"
#include "kassa-shop-private.h"
#include "kassa-stock-repository.h"
#include "kassa-till.h"

struct _KassaTill
{
  GObject              parent_instance;

  KassaShop           *shop;
  KassaCartRepository *carts;
  KassaStockRepository *stock;
  KassaStoreSettings  *settings;
  KassaTaxSettings     tax;

  KassaCart           *cart;
  gint64               cart_id;
  KassaTotals         *totals;
};

G_DEFINE_FINAL_TYPE (KassaTill, kassa_till, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SHOP,
  PROP_CART,
  PROP_CART_ID,
  PROP_EMPTY,
  PROP_TOTALS,
  PROP_AMOUNT_DUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
can_sell (KassaTill  *self,
          GError    **error)
{
  return kassa_shop_check_permission (self->shop, KASSA_PERMISSION_SELL, error);
}

static gboolean
check_position (KassaTill  *self,
                guint       position,
                GError    **error)
{
  if (position >= g_list_model_get_n_items (G_LIST_MODEL (self->cart)))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                   _("The cart has no line %u"), position + 1);
      return FALSE;
    }

  return TRUE;
}

static void
audit (KassaTill   *self,
       const char  *action,
       JsonBuilder *details)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = details != NULL ? json_builder_get_root (details) : NULL;
  g_autofree char *cart_id = g_strdup_printf ("%" PRId64, self->cart_id);

  /* The change itself is already saved; a failed audit entry must not
   * undo what the customer sees, so it is logged loudly instead. */
  if (kassa_audit_log_record (kassa_shop_get_audit_log (self->shop), kassa_shop_get_actor_id (self->shop),
                              action, "cart", cart_id, node, &error) == 0)
    g_warning ("Could not audit %s on cart %s: %s", action, cart_id, error->message);
}

static JsonBuilder *
line_details (KassaCartLine *line)
{
  JsonBuilder *builder = json_builder_new ();
  KassaCatalogItem *item = kassa_cart_line_get_item (line);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "item_id");
  json_builder_add_int_value (builder, kassa_catalog_item_get_id (item));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, kassa_catalog_item_get_name (item));
  json_builder_set_member_name (builder, "quantity");
  json_builder_add_int_value (builder, kassa_cart_line_get_quantity (line));
  json_builder_set_member_name (builder, "unit_price");
  json_builder_add_int_value (builder, kassa_cart_line_get_unit_price (line));

  return builder;
}

/* Holds stock for @line for the store's reservation minutes. Services
 * and return lines hold nothing. */
static gboolean
reserve_line (KassaTill      *self,
              KassaCartLine  *line,
              GError        **error)
{
  KassaCatalogItem *item = kassa_cart_line_get_item (line);
  gint64 line_id = kassa_cart_repository_get_line_id (self->carts, line);
  g_autoptr(GDateTime) now = NULL;

  if (line_id == 0 || kassa_catalog_item_get_id (item) == 0)
    return TRUE;

  if (kassa_catalog_item_get_kind (item) != KASSA_ITEM_KIND_PRODUCT ||
      kassa_cart_line_get_quantity (line) <= 0)
    return kassa_stock_repository_release (self->stock, line_id, error);

  now = g_date_time_new_now_utc ();

  return kassa_stock_repository_reserve (self->stock, line_id, kassa_catalog_item_get_id (item),
                                         kassa_cart_line_get_quantity (line), now,
                                         kassa_store_settings_get_reservation_minutes (self->settings),
                                         kassa_store_settings_get_allow_negative_stock (self->settings),
                                         error);
}

static gboolean
reserve_position (KassaTill  *self,
                  guint       position,
                  GError    **error)
{
  g_autoptr(KassaCartLine) line = g_list_model_get_item (G_LIST_MODEL (self->cart), position);

  return reserve_line (self, line, error);
}

/* The cart checks a discount's form, not whether it fits the amount it
 * comes off; the totals engine does. So a discount is tried on a copy of
 * the cart first, and the real cart only ever holds one that adds up. */
static KassaCart *
copy_cart (KassaTill *self)
{
  KassaCart *copy = g_object_new (KASSA_TYPE_CART,
                                  "currency-code", kassa_cart_get_currency_code (self->cart),
                                  NULL);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->cart));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(KassaCartLine) line = g_list_model_get_item (G_LIST_MODEL (self->cart), i);
      g_autoptr(KassaCartLine) twin = kassa_cart_line_new_for_item (kassa_cart_line_get_item (line),
                                                                    kassa_cart_line_get_quantity (line));

      kassa_cart_line_set_has_price_override (twin, kassa_cart_line_get_has_price_override (line));
      kassa_cart_line_set_price_override (twin, kassa_cart_line_get_price_override (line));
      kassa_cart_line_set_discount_kind (twin, kassa_cart_line_get_discount_kind (line));
      kassa_cart_line_set_discount_value (twin, kassa_cart_line_get_discount_value (line));
      kassa_cart_insert_line (copy, i, twin, NULL);
    }

  kassa_cart_set_document_discount (copy, kassa_cart_get_discount_kind (self->cart),
                                    kassa_cart_get_discount_value (self->cart), NULL);

  return copy;
}

static gboolean
check_totals (KassaTill  *self,
              KassaCart  *cart,
              GError    **error)
{
  g_autoptr(KassaTotals) totals = kassa_cart_compute_totals (cart, &self->tax, 0, error);

  return totals != NULL;
}

static void
update_totals (KassaTill *self)
{
  g_autoptr(GError) error = NULL;
  KassaTotals *totals;

  totals = kassa_cart_compute_totals (self->cart, &self->tax, 0, &error);
  if (totals == NULL)
    g_warning ("Could not compute the cart's totals: %s", error->message);

  g_clear_pointer (&self->totals, kassa_totals_unref);
  self->totals = totals;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTALS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AMOUNT_DUE]);
}

static void
cart_changed_cb (KassaTill *self)
{
  update_totals (self);
}

static void
cart_items_changed_cb (KassaTill *self,
                       guint      position,
                       guint      removed,
                       guint      added)
{
  /* "empty" only moves when the cart goes from or to no lines. */
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->cart));

  if ((n_items == 0) != (n_items + removed - added == 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMPTY]);
}

static void
set_cart (KassaTill *self,
          KassaCart *cart,
          gint64     cart_id)
{
  if (self->cart != NULL)
    {
      kassa_cart_repository_unwatch (self->carts, self->cart);
      g_signal_handlers_disconnect_by_data (self->cart, self);
      g_clear_object (&self->cart);
    }

  self->cart = g_object_ref (cart);
  self->cart_id = cart_id;

  /* The repository saves first, so the reservations that follow a
   * change find the line's row. */
  kassa_cart_repository_watch (self->carts, cart_id, cart);
  g_signal_connect_object (cart, "changed", G_CALLBACK (cart_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (cart, "items-changed", G_CALLBACK (cart_items_changed_cb), self,
                           G_CONNECT_SWAPPED);

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CART]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CART_ID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMPTY]);
  update_totals (self);
  g_object_thaw_notify (G_OBJECT (self));
}

/* A resumed cart's reservations may have run out while it waited. */
static void
refresh_reservations (KassaTill *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->cart));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!reserve_position (self, i, &error))
        g_debug ("Line %u of cart %" PRId64 " holds no stock: %s",
                 i + 1, self->cart_id, error->message);
    }
}

static gboolean
load_settings (KassaTill  *self,
               GError    **error)
{
  g_autoptr(KassaSettingsRepository) repository =
    kassa_settings_repository_new (kassa_shop_get_database (self->shop));
  g_autoptr(KassaStoreSettings) settings = kassa_settings_repository_load_settings (repository, NULL, error);

  if (settings == NULL || !kassa_store_settings_get_tax_settings (settings, &self->tax, error))
    return FALSE;

  g_set_object (&self->settings, settings);

  return TRUE;
}

static gboolean
start_new_cart (KassaTill  *self,
                GError    **error)
{
  g_autoptr(KassaCart) cart = NULL;
  gint64 cart_id;

  /* Settings may have changed since the last sale: a new cart takes
   * them as they are now. */
  if (!load_settings (self, error))
    return FALSE;

  cart = g_object_new (KASSA_TYPE_CART,
                       "currency-code", kassa_store_settings_get_currency_code (self->settings),
                       NULL);
  cart_id = kassa_cart_repository_create (self->carts, cart, kassa_shop_get_actor_id (self->shop), error);
  if (cart_id == 0)
    return FALSE;

  set_cart (self, cart, cart_id);

  return TRUE;
}

static KassaOrder *
complete (KassaTill  *self,
          GPtrArray  *payments,
          GError    **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(KassaOrder) order = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!kassa_cart_validate (self->cart, error))
    return NULL;

  /* The watch saves on every change, but a failed save is only logged:
   * the sale is made from the stored cart, so make sure it is current. */
  if (!kassa_cart_repository_save (self->carts, self->cart_id, self->cart, error))
    return NULL;

  order = kassa_shop_complete_sale (self->shop, self->cart_id, payments, now, error);
  if (order == NULL)
    return NULL;

  if (!start_new_cart (self, &local_error))
    g_warning ("Sale %s is complete but no new cart could be started: %s",
               kassa_order_get_number (order), local_error->message);

  return g_steal_pointer (&order);
}

static void
kassa_till_dispose (GObject *object)
{
  KassaTill *self = KASSA_TILL (object);

  if (self->cart != NULL)
    {
      kassa_cart_repository_unwatch (self->carts, self->cart);
      g_signal_handlers_disconnect_by_data (self->cart, self);
    }
  g_clear_object (&self->cart);
  g_clear_pointer (&self->totals, kassa_totals_unref);
  g_clear_object (&self->settings);
  g_clear_object (&self->stock);
  g_clear_object (&self->carts);
  g_clear_object (&self->shop);

  G_OBJECT_CLASS (kassa_till_parent_class)->dispose (object);
}

static void
kassa_till_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KassaTill *self = KASSA_TILL (object);

  switch (prop_id)
    {
    case PROP_SHOP:
      g_value_set_object (value, self->shop);
      break;
    case PROP_CART:
      g_value_set_object (value, self->cart);
      break;
    case PROP_CART_ID:
      g_value_set_int64 (value, self->cart_id);
      break;
    case PROP_EMPTY:
      g_value_set_boolean (value, kassa_till_get_empty (self));
      break;
    case PROP_TOTALS:
      g_value_set_boxed (value, self->totals);
      break;
    case PROP_AMOUNT_DUE:
      g_value_set_int64 (value, kassa_till_get_amount_due (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_till_class_init (KassaTillClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kassa_till_dispose;
  object_class->get_property = kassa_till_get_property;

  properties[PROP_SHOP] =
    g_param_spec_object ("shop", NULL, NULL, KASSA_TYPE_SHOP,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CART] =
    g_param_spec_object ("cart", NULL, NULL, KASSA_TYPE_CART,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CART_ID] =
    g_param_spec_int64 ("cart-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EMPTY] =
    g_param_spec_boolean ("empty", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTALS] =
    g_param_spec_boxed ("totals", NULL, NULL, KASSA_TYPE_TOTALS,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AMOUNT_DUE] =
    g_param_spec_int64 ("amount-due", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_till_init (KassaTill *self)
{
}

KassaTill *
kassa_till_new (KassaShop  *shop,
                GError    **error)
{
  g_autoptr(KassaTill) self = NULL;
  g_autoptr(GPtrArray) open = NULL;
  KassaDatabase *database;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!kassa_shop_check_permission (shop, KASSA_PERMISSION_SELL, error))
    return NULL;

  self = g_object_new (KASSA_TYPE_TILL, NULL);
  self->shop = g_object_ref (shop);
  database = kassa_shop_get_database (shop);
  self->carts = kassa_cart_repository_new (database);
  self->stock = kassa_stock_repository_new (database);

  if (!load_settings (self, error))
    return NULL;

  open = kassa_cart_repository_list (self->carts, FALSE, error);
  if (open == NULL)
    return NULL;

  /* The cart being rung up when the till last stopped is the newest. */
  for (guint i = open->len; i > 0; i--)
    {
      KassaCartSummary *summary = g_ptr_array_index (open, i - 1);
      g_autoptr(KassaCart) cart = NULL;
      g_autoptr(GError) local_error = NULL;

      cart = kassa_cart_repository_load (self->carts, summary->id, &local_error);
      if (cart == NULL)
        {
          g_warning ("Could not resume cart %" PRId64 ": %s", summary->id, local_error->message);
          continue;
        }

      set_cart (self, cart, summary->id);
      refresh_reservations (self);

      return g_steal_pointer (&self);
    }

  if (!start_new_cart (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

KassaShop *
kassa_till_get_shop (KassaTill *self)
{
  g_return_val_if_fail (KASSA_IS_TILL (self), NULL);

  return self->shop;
}

KassaCart *
kassa_till_get_cart (KassaTill *self)
{
  g_return_val_if_fail (KASSA_IS_TILL (self), NULL);

  return self->cart;
}

gint64
kassa_till_get_cart_id (KassaTill *self)
{
  g_return_val_if_fail (KASSA_IS_TILL (self), 0);

  return self->cart_id;
}

const KassaCurrency *
kassa_till_get_currency (KassaTill *self)
{
  g_return_val_if_fail (KASSA_IS_TILL (self), NULL);

  return self->tax.currency;
}

gboolean
kassa_till_get_empty (KassaTill *self)
{
  g_return_val_if_fail (KASSA_IS_TILL (self), TRUE);

  return self->cart == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->cart)) == 0;
}

KassaTotals *
kassa_till_get_totals (KassaTill *self)
{
  g_return_val_if_fail (KASSA_IS_TILL (self), NULL);

  return self->totals;
}

gint64
kassa_till_get_amount_due (KassaTill *self)
{
  g_return_val_if_fail (KASSA_IS_TILL (self), 0);

  return self->totals != NULL ? kassa_totals_get_amount_due (self->totals) : 0;
}

gboolean
kassa_till_compute_amount_due (KassaTill  *self,
                               gboolean    cash,
                               gint64     *amount_due,
                               GError    **error)
{
  g_autoptr(KassaTotals) totals = NULL;
  gint64 step;

  g_return_val_if_fail (KASSA_IS_TILL (self), FALSE);
  g_return_val_if_fail (amount_due != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  step = cash ? kassa_store_settings_get_cash_rounding_step (self->settings) : 0;
  totals = kassa_cart_compute_totals (self->cart, &self->tax, step, error);
  if (totals == NULL)
    return FALSE;

  *amount_due = kassa_totals_get_amount_due (totals);

  return TRUE;
}

GPtrArray *
kassa_till_search (KassaTill   *self,
                   const char  *text,
                   guint        limit,
                   GError     **error)
{
  g_return_val_if_fail (KASSA_IS_TILL (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return kassa_shop_search_catalog (self->shop, text, KASSA_CATALOG_FILTER_ACTIVE, limit, error);
}

gboolean
kassa_till_add_item (KassaTill         *self,
                     KassaCatalogItem  *item,
                     gint64             quantity,
                     guint             *position,
                     GError           **error)
{
  KassaDatabase *database = kassa_shop_get_database (self->shop);
  guint n_before;
  guint at = 0;

  g_return_val_if_fail (KASSA_IS_TILL (self), FALSE);
  g_return_val_if_fail (KASSA_IS_CATALOG_ITEM (item), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!can_sell (self, error))
    return FALSE;

  n_before = g_list_model_get_n_items (G_LIST_MODEL (self->cart));

  /* The cart merges a scan into a plain line of the same item object;
   * every lookup makes a new object, so hand it the line's own. */
  for (guint i = 0; i < n_before && kassa_catalog_item_get_id (item) > 0; i++)
    {
      g_autoptr(KassaCartLine) line = g_list_model_get_item (G_LIST_MODEL (self->cart), i);
      KassaCatalogItem *line_item = kassa_cart_line_get_item (line);

      if (kassa_catalog_item_get_id (line_item) == kassa_catalog_item_get_id (item) &&
          !kassa_cart_line_get_has_price_override (line) &&
          kassa_cart_line_get_discount_kind (line) == KASSA_DISCOUNT_NONE)
        {
          item = line_item;
          break;
        }
    }

  /* The saved line and its reservation go to disk together: one
   * transaction, and a refusal leaves neither. The disk sync follows
   * behind the commit, off the cashier's path (see
   * kassa_cart_repository_save()). */
  if (!kassa_database_begin_sync_behind (database, error))
    return FALSE;

  if (!kassa_cart_add_item (self->cart, item, quantity, &at, error))
    {
      kassa_database_rollback (database, NULL);
      return FALSE;
    }

  if (!reserve_position (self, at, error) || !kassa_database_commit (database, error))
    {
      g_autoptr(KassaCartLine) line = g_list_model_get_item (G_LIST_MODEL (self->cart), at);
      g_autoptr(KassaCartLine) removed = NULL;

      if (kassa_database_in_transaction (database))
        kassa_database_rollback (database, NULL);

      /* Not enough stock: take back what was just added. */
      if (g_list_model_get_n_items (G_LIST_MODEL (self->cart)) > n_before)
        removed = kassa_cart_remove_line (self->cart, at, NULL);
      else
        kassa_cart_set_quantity (self->cart, at, kassa_cart_line_get_quantity (line) - quantity, NULL);
      return FALSE;
    }

  if (position != NULL)
    *position = at;

  return TRUE;
}

gboolean
kassa_till_add_barcode (KassaTill   *self,
                        const char  *barcode,
                        guint       *position,
                        GError     **error)
{
  g_autoptr(KassaCatalogRepository) catalog = NULL;
  g_autoptr(KassaCatalogItem) item = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *code = NULL;

  g_return_val_if_fail (KASSA_IS_TILL (self), FALSE);
  g_return_val_if_fail (barcode != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!can_sell (self, error))
    return FALSE;

  code = g_strstrip (g_strdup (barcode));
  catalog = kassa_catalog_repository_new (kassa_shop_get_database (self->shop));
  item = kassa_catalog_repository_get_by_barcode (catalog, code, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (item == NULL || kassa_catalog_item_get_status (item) != KASSA_ITEM_STATUS_ACTIVE)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                   /* Translators: %s is a scanned barcode */
                   _("No item on sale has the barcode %s"), code);
      return FALSE;
    }

  return kassa_till_add_item (self, item, KASSA_QUANTITY_ONE, position, error);
}

gboolean
kassa_till_set_quantity (KassaTill  *self,
                         guint       position,
                         gint64      quantity,
                         GError    **error)
{
  KassaDatabase *database = kassa_shop_get_database (self->shop);
  g_autoptr(KassaCartLine) line = NULL;
  g_autoptr(KassaCart) copy = NULL;
  gint64 before;

  g_return_val_if_fail (KASSA_IS_TILL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!can_sell (self, error) || !check_position (self, position, error))
    return FALSE;

  line = g_list_model_get_item (G_LIST_MODEL (self->cart), position);
  before = kassa_cart_line_get_quantity (line);
  if (before == quantity)
    return TRUE;

  /* Fewer of a line can leave a discount larger than what it is off. */
  copy = copy_cart (self);
  if (!kassa_cart_set_quantity (copy, position, quantity, error) ||
      !check_totals (self, copy, error))
    return FALSE;

  if (!kassa_database_begin_sync_behind (database, error))
    return FALSE;

  if (!kassa_cart_set_quantity (self->cart, position, quantity, error))
    {
      kassa_database_rollback (database, NULL);
      return FALSE;
    }

  if (!reserve_line (self, line, error) || !kassa_database_commit (database, error))
    {
      if (kassa_database_in_transaction (database))
        kassa_database_rollback (database, NULL);
      kassa_cart_set_quantity (self->cart, position, before, NULL);
      return FALSE;
    }

  return TRUE;
}

KassaCartLine *
kassa_till_remove_line (KassaTill  *self,
                        guint       position,
                        GError    **error)
{
  g_autoptr(KassaCartLine) line = NULL;
  g_autoptr(KassaCartLine) removed = NULL;
  g_autoptr(KassaCart) copy = NULL;
  g_autoptr(JsonBuilder) details = NULL;

  g_return_val_if_fail (KASSA_IS_TILL (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!kassa_shop_check_permission (self->shop, KASSA_PERMISSION_VOID_LINE, error) ||
      !check_position (self, position, error))
    return NULL;

  /* An amount off the whole sale may be more than what is left. */
  copy = copy_cart (self);
  removed = kassa_cart_remove_line (copy, position, error);
  if (removed == NULL || !check_totals (self, copy, error))
    return NULL;

  /* The saved row goes with the line, and its reservation with it. */
  line = kassa_cart_remove_line (self->cart, position, error);
  if (line == NULL)
    return NULL;

  details = line_details (line);
  json_builder_set_member_name (details, "position");
  json_builder_add_int_value (details, position);
  json_builder_end_object (details);
  audit (self, "cart.remove-line", details);

  return g_steal_pointer (&line);
}

gboolean
kassa_till_restore_line (KassaTill      *self,
                         guint           position,
                         KassaCartLine  *line,
                         GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonBuilder) details = NULL;

  g_return_val_if_fail (KASSA_IS_TILL (self), FALSE);
  g_return_val_if_fail (KASSA_IS_CART_LINE (line), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!can_sell (self, error))
    return FALSE;

  position = MIN (position, g_list_model_get_n_items (G_LIST_MODEL (self->cart)));
  if (!kassa_cart_insert_line (self->cart, position, line, error))
    return FALSE;

  /* The line is back whatever the stock says now: undo must undo. The
   * sale itself checks the stock again. */
  if (!reserve_line (self, line, &local_error))
    g_debug ("The restored line holds no stock: %s", local_error->message);

  details = line_details (line);
  json_builder_set_member_name (details, "position");
  json_builder_add_int_value (details, position);
  json_builder_end_object (details);
  audit (self, "cart.restore-line", details);

  return TRUE;
}

gboolean
kassa_till_set_line_discount (KassaTill          *self,
                              guint               position,
                              KassaDiscountKind   kind,
                              gint64              value,
                              GError            **error)
{
  g_autoptr(KassaCart) copy = NULL;

  g_return_val_if_fail (KASSA_IS_TILL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_shop_check_permission (self->shop, KASSA_PERMISSION_DISCOUNT, error) ||
      !check_position (self, position, error))
    return FALSE;

  copy = copy_cart (self);
  if (!kassa_cart_set_line_discount (copy, position, kind, value, error) ||
      !check_totals (self, copy, error))
    return FALSE;

  return kassa_cart_set_line_discount (self->cart, position, kind, value, error);
}

gboolean
kassa_till_set_document_discount (KassaTill          *self,
                                  KassaDiscountKind   kind,
                                  gint64              value,
                                  GError            **error)
{
  g_autoptr(KassaCart) copy = NULL;

  g_return_val_if_fail (KASSA_IS_TILL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_shop_check_permission (self->shop, KASSA_PERMISSION_DISCOUNT, error))
    return FALSE;

  copy = copy_cart (self);
  if (!kassa_cart_set_document_discount (copy, kind, value, error) ||
      !check_totals (self, copy, error))
    return FALSE;

  return kassa_cart_set_document_discount (self->cart, kind, value, error);
}

gboolean
kassa_till_set_price_override (KassaTill  *self,
                               guint       position,
                               gint64      price,
                               GError    **error)
{
  g_autoptr(KassaCartLine) line = NULL;
  g_autoptr(KassaCart) copy = NULL;
  g_autoptr(JsonBuilder) details = NULL;
  gint64 before;

  g_return_val_if_fail (KASSA_IS_TILL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_shop_check_permission (self->shop, KASSA_PERMISSION_PRICE_OVERRIDE, error) ||
      !check_position (self, position, error))
    return FALSE;

  line = g_list_model_get_item (G_LIST_MODEL (self->cart), position);
  before = kassa_cart_line_get_unit_price (line);

  copy = copy_cart (self);
  if (!kassa_cart_set_price_override (copy, position, price, error) ||
      !check_totals (self, copy, error))
    return FALSE;

  if (!kassa_cart_set_price_override (self->cart, position, price, error))
    return FALSE;

  details = line_details (line);
  json_builder_set_member_name (details, "previous_price");
  json_builder_add_int_value (details, before);
  json_builder_end_object (details);
  audit (self, "cart.price-override", details);

  return TRUE;
}

gboolean
kassa_till_park (KassaTill   *self,
                 const char  *label,
                 GError     **error)
{
  g_return_val_if_fail (KASSA_IS_TILL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!can_sell (self, error))
    return FALSE;

  if (kassa_till_get_empty (self))
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("An empty cart cannot be parked"));
      return FALSE;
    }

  if (!kassa_cart_repository_park (self->carts, self->cart_id, self->cart, label, error))
    return FALSE;

  return start_new_cart (self, error);
}

GPtrArray *
kassa_till_list_parked (KassaTill  *self,
                        GError    **error)
{
  g_return_val_if_fail (KASSA_IS_TILL (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!can_sell (self, error))
    return NULL;

  return kassa_cart_repository_list (self->carts, TRUE, error);
}

gboolean
kassa_till_resume (KassaTill  *self,
                   gint64      cart_id,
                   GError    **error)
{
  g_autoptr(KassaCart) cart = NULL;
  gint64 previous_id;

  g_return_val_if_fail (KASSA_IS_TILL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!can_sell (self, error))
    return FALSE;

  if (cart_id == self->cart_id)
    return TRUE;

  cart = kassa_cart_repository_load (self->carts, cart_id, error);
  if (cart == NULL)
    return FALSE;
  if (!kassa_cart_get_parked (cart))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("Cart %" PRId64 " is not parked"), cart_id);
      return FALSE;
    }
  g_clear_object (&cart);

  /* Nothing is lost: a cart with lines waits in the parked list. */
  previous_id = self->cart_id;
  if (!kassa_till_get_empty (self))
    {
      if (!kassa_cart_repository_park (self->carts, self->cart_id, self->cart, "", error))
        return FALSE;
    }

  cart = kassa_cart_repository_resume (self->carts, cart_id, error);
  if (cart == NULL)
    return FALSE;

  if (kassa_till_get_empty (self))
    {
      g_autoptr(GError) local_error = NULL;

      kassa_cart_repository_unwatch (self->carts, self->cart);
      if (!kassa_cart_repository_delete (self->carts, previous_id, &local_error))
        g_warning ("Could not drop empty cart %" PRId64 ": %s", previous_id, local_error->message);
    }

  set_cart (self, cart, cart_id);
  refresh_reservations (self);

  return TRUE;
}

GPtrArray *
kassa_till_search_customers (KassaTill   *self,
                             const char  *text,
                             guint        limit,
                             GError     **error)
{
  g_autoptr(KassaCustomerRepository) customers = NULL;

  g_return_val_if_fail (KASSA_IS_TILL (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!can_sell (self, error))
    return NULL;

  customers = kassa_customer_repository_new (kassa_shop_get_database (self->shop));

  return kassa_customer_repository_search (customers, text, limit, error);
}

KassaCustomer *
kassa_till_create_customer (KassaTill   *self,
                            const char  *name,
                            const char  *email,
                            const char  *phone,
                            GError     **error)
{
  g_autoptr(KassaCustomerRepository) customers = NULL;
  g_autoptr(KassaCustomer) customer = NULL;
  g_autofree char *customer_id = NULL;

  g_return_val_if_fail (KASSA_IS_TILL (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!can_sell (self, error) ||
      !kassa_shop_check_permission (self->shop, KASSA_PERMISSION_MANAGE_CUSTOMERS, error))
    return NULL;

  customer = kassa_customer_new ();
  kassa_customer_set_name (customer, name);
  if (email != NULL && email[0] != '\0')
    kassa_customer_set_email (customer, email);
  if (phone != NULL && phone[0] != '\0')
    kassa_customer_set_phone (customer, phone);

  customers = kassa_customer_repository_new (kassa_shop_get_database (self->shop));
  if (!kassa_customer_validate (customer, error) ||
      !kassa_customer_repository_insert (customers, customer, error))
    return NULL;

  customer_id = g_strdup_printf ("%" PRId64, kassa_customer_get_id (customer));
  if (kassa_audit_log_record (kassa_shop_get_audit_log (self->shop), kassa_shop_get_actor_id (self->shop),
                              "customer.create", "customer", customer_id, NULL, error) == 0)
    return NULL;

  if (!kassa_cart_set_customer (self->cart, customer, error))
    return NULL;

  return g_steal_pointer (&customer);
}

gboolean
kassa_till_set_customer (KassaTill      *self,
                         KassaCustomer  *customer,
                         GError        **error)
{
  g_return_val_if_fail (KASSA_IS_TILL (self), FALSE);
  g_return_val_if_fail (customer == NULL || KASSA_IS_CUSTOMER (customer), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!can_sell (self, error))
    return FALSE;

  return kassa_cart_set_customer (self->cart, customer, error);
}

gboolean
kassa_till_set_delivery (KassaTill            *self,
                         KassaDeliveryMethod   method,
                         const char           *address,
                         GError              **error)
{
  g_return_val_if_fail (KASSA_IS_TILL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!can_sell (self, error))
    return FALSE;

  if (method == KASSA_DELIVERY_METHOD_DELIVERY && !kassa_store_settings_get_delivery_enabled (self->settings))
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("This shop does not deliver"));
      return FALSE;
    }
  if (method == KASSA_DELIVERY_METHOD_PICKUP && !kassa_store_settings_get_pickup_enabled (self->settings))
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("This shop does not offer pickup"));
      return FALSE;
    }

  return kassa_cart_set_delivery_method (self->cart, method, error) &&
         kassa_cart_set_delivery_address (self->cart, address != NULL ? address : "", error);
}

KassaOrder *
kassa_till_pay_cash (KassaTill  *self,
                     gint64      tendered,
                     gint64     *change,
                     GError    **error)
{
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(KassaPayment) payment = NULL;
  KassaOrder *order;
  gint64 due;

  g_return_val_if_fail (KASSA_IS_TILL (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!can_sell (self, error) || !kassa_cart_validate (self->cart, error))
    return NULL;

  if (!kassa_till_compute_amount_due (self, TRUE, &due, error))
    return NULL;

  if (tendered < due)
    {
      g_autofree char *tendered_text = kassa_money_format_display (self->tax.currency, tendered);
      g_autofree char *due_text = kassa_money_format_display (self->tax.currency, due);

      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   /* Translators: both are amounts of money */
                   _("%s is less than the %s due"), tendered_text, due_text);
      return NULL;
    }

  payment = kassa_payment_new ();
  kassa_payment_set_provider_id (payment, KASSA_PAYMENT_PROVIDER_CASH);
  kassa_payment_set_amount (payment, due);
  kassa_payment_set_method_label (payment, _("Cash"));
  payments = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (payments, g_steal_pointer (&payment));

  order = complete (self, payments, error);
  if (order != NULL && change != NULL)
    *change = tendered - due;

  return order;
}

KassaOrder *
kassa_till_complete (KassaTill  *self,
                     GPtrArray  *payments,
                     GError    **error)
{
  g_return_val_if_fail (KASSA_IS_TILL (self), NULL);
  g_return_val_if_fail (payments != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!can_sell (self, error))
    return NULL;

  return complete (self, payments, error);
}

gboolean
kassa_till_no_sale (KassaTill   *self,
                    const char  *reason,
                    GError     **error)
{
  g_autoptr(KassaShiftRepository) shifts = NULL;
  g_autoptr(KassaShiftRecord) shift = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *movement_id = NULL;
  g_autofree char *trimmed = NULL;
  gint64 id;

  g_return_val_if_fail (KASSA_IS_TILL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_shop_check_permission (self->shop, KASSA_PERMISSION_OPEN_DRAWER, error))
    return FALSE;

  trimmed = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("Say why the drawer is opened without a sale"));
      return FALSE;
    }

  shifts = kassa_shift_repository_new (kassa_shop_get_database (self->shop));
  shift = kassa_shift_repository_get_open (shifts, NULL, &local_error);
  if (shift == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                             _("No shift is open: open the till with a float first"));
      return FALSE;
    }

  id = kassa_shift_repository_add_movement (shifts, shift->id, KASSA_CASH_MOVEMENT_NO_SALE, 0, trimmed,
                                            kassa_shop_get_actor_id (self->shop), error);
  if (id == 0)
    return FALSE;

  movement_id = g_strdup_printf ("%" PRId64, id);

  return kassa_audit_log_record (kassa_shop_get_audit_log (self->shop), kassa_shop_get_actor_id (self->shop),
                                 "drawer.no-sale", "cash_movement", movement_id, NULL, error) != 0;
}

KassaReceipt *
kassa_till_build_receipt (KassaTill   *self,
                          KassaOrder  *order,
                          gint64       tendered,
                          gint64       change,
                          GError     **error)
{
  g_autoptr(KassaSettingsRepository) settings = NULL;
  g_autoptr(KassaStoreProfile) profile = NULL;
  g_autoptr(KassaTotals) totals = NULL;
  KassaReceipt *receipt;
  GListModel *payments;
  KassaStaff *actor;
  gint64 step = 0;

  g_return_val_if_fail (KASSA_IS_TILL (self), NULL);
  g_return_val_if_fail (KASSA_IS_ORDER (order), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!can_sell (self, error))
    return NULL;

  settings = kassa_settings_repository_new (kassa_shop_get_database (self->shop));
  profile = kassa_settings_repository_load_profile (settings, error);
  if (profile == NULL)
    return NULL;

  /* The receipt shows the amount the sale was paid at: cash rounded
   * when a tender was cash, as kassa_shop_complete_sale() priced it. */
  payments = kassa_order_get_payments (order);
  for (guint i = 0; i < g_list_model_get_n_items (payments); i++)
    {
      g_autoptr(KassaPayment) payment = g_list_model_get_item (payments, i);

      if (g_strcmp0 (kassa_payment_get_provider_id (payment), KASSA_PAYMENT_PROVIDER_CASH) == 0)
        step = kassa_store_settings_get_cash_rounding_step (self->settings);
    }

  totals = kassa_order_compute_totals (order, &self->tax, step, error);
  if (totals == NULL)
    return NULL;

  receipt = kassa_receipt_new (profile, order, totals);
  actor = kassa_shop_get_actor (self->shop);
  if (actor != NULL)
    kassa_receipt_set_cashier_name (receipt, kassa_staff_get_name (actor));
  if (kassa_order_get_paid_at (order) != NULL)
    kassa_receipt_set_time (receipt, kassa_order_get_paid_at (order));
  kassa_receipt_set_cash_tendered (receipt, tendered, change);

  return receipt;
}
