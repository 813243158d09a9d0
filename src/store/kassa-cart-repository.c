/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-cart-repository"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "kassa-cart-repository.h"
#include "kassa-core-enum-types.h"
#include "kassa-customer-repository.h"
#include "kassa-error.h"
#include "kassa-store-private.h"
#include "kassa-store-sql.h"
#include "kassa-store-text.h"

struct _KassaCartRepository
{
  GObject        parent_instance;

  KassaDatabase *database;
};

G_DEFINE_FINAL_TYPE (KassaCartRepository, kassa_cart_repository, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (KassaCartSummary, kassa_cart_summary,
                     kassa_cart_summary_copy, kassa_cart_summary_free)

/* What a line object was last saved as: its cart_line row, and the
 * values written there (SavedLine). */
G_DEFINE_QUARK (kassa-cart-line-row, line_row)
/* What the last save of a cart object left in its cart (SavedCart). */
G_DEFINE_QUARK (kassa-cart-saved, cart_saved)

typedef struct
{
  gint64   row;
  gint64   cart_id;
  guint    position;
  gint64   item_id;
  gint64   quantity;
  gint64   unit_price;
  gint64   item_price;
  gboolean price_overridden;
  gint64   tax_rate;
  int      discount_kind;
  gint64   discount_value;
} SavedLine;

typedef struct
{
  gint64  cart_id;
  /* The cart_line rows it left, by position. */
  GArray *rows;
  /* The database's rollbacks when it was saved: after another one, what
   * was written then may be undone. */
  guint64 n_rollbacks;
} SavedCart;

static void
saved_cart_free (gpointer data)
{
  SavedCart *saved = data;

  g_array_unref (saved->rows);
  g_free (saved);
}

typedef struct
{
  KassaCartRepository *repository;
  gint64               cart_id;
} Watch;

static gint64
line_get_row (KassaCartLine *line)
{
  SavedLine *saved = g_object_get_qdata (G_OBJECT (line), line_row_quark ());

  return saved != NULL ? saved->row : 0;
}

/* The row of a line loaded from @cart_id, its values unknown. */
static void
line_set_row (KassaCartLine *line,
              gint64         cart_id,
              gint64         row)
{
  SavedLine *saved = g_new0 (SavedLine, 1);

  saved->row = row;
  saved->cart_id = cart_id;
  saved->position = G_MAXUINT;
  g_object_set_qdata_full (G_OBJECT (line), line_row_quark (), saved, g_free);
}

static void
line_note_saved (KassaCartLine *line,
                 gint64         cart_id,
                 gint64         row,
                 guint          position)
{
  KassaCatalogItem *item = kassa_cart_line_get_item (line);
  SavedLine *saved = g_new0 (SavedLine, 1);

  saved->row = row;
  saved->cart_id = cart_id;
  saved->position = position;
  saved->item_id = kassa_catalog_item_get_id (item);
  saved->quantity = kassa_cart_line_get_quantity (line);
  saved->unit_price = kassa_cart_line_get_unit_price (line);
  saved->item_price = kassa_catalog_item_get_price (item);
  saved->price_overridden = kassa_cart_line_get_has_price_override (line);
  saved->tax_rate = kassa_catalog_item_get_tax_rate (item);
  saved->discount_kind = kassa_cart_line_get_discount_kind (line);
  saved->discount_value = kassa_cart_line_get_discount_value (line);
  g_object_set_qdata_full (G_OBJECT (line), line_row_quark (), saved, g_free);
}

/* The line's row in @cart_id already holds it, at @position. The item's
 * name and SKU are not compared: a line keeps the item object it was
 * made with. */
static gboolean
line_is_saved (KassaCartLine *line,
               gint64         cart_id,
               guint          position)
{
  SavedLine *saved = g_object_get_qdata (G_OBJECT (line), line_row_quark ());
  KassaCatalogItem *item = kassa_cart_line_get_item (line);

  return saved != NULL && saved->cart_id == cart_id && saved->position == position &&
         saved->item_id == kassa_catalog_item_get_id (item) &&
         saved->quantity == kassa_cart_line_get_quantity (line) &&
         saved->unit_price == kassa_cart_line_get_unit_price (line) &&
         saved->item_price == kassa_catalog_item_get_price (item) &&
         saved->price_overridden == kassa_cart_line_get_has_price_override (line) &&
         saved->tax_rate == kassa_catalog_item_get_tax_rate (item) &&
         saved->discount_kind == (int) kassa_cart_line_get_discount_kind (line) &&
         saved->discount_value == kassa_cart_line_get_discount_value (line);
}

static const char *
nick (GType type,
      int   value)
{
  return kassa_store_enum_to_text (type, value);
}

static void
sqlite_error (KassaCartRepository  *self,
              GError              **error,
              int                   rc,
              const char           *what)
{
  kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc, what);
}

static void
not_found (GError **error,
           gint64   id)
{
  g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
               _("There is no open or parked cart number %" PRId64), id);
}

static gboolean
finish (KassaCartRepository  *self,
        gboolean              ok,
        GError              **error)
{
  if (ok)
    return kassa_database_commit (self->database, error);

  kassa_database_rollback (self->database, NULL);
  return FALSE;
}

static gint64
customer_id_of (KassaCart *cart)
{
  KassaCustomer *customer = kassa_cart_get_customer (cart);

  if (customer == NULL || kassa_customer_get_is_walk_in (customer) || kassa_customer_get_id (customer) <= 0)
    return KASSA_CUSTOMER_WALK_IN_ID;

  return kassa_customer_get_id (customer);
}

static gboolean
save_line (KassaCartRepository  *self,
           gint64                cart_id,
           guint                 position,
           KassaCartLine        *line,
           GError              **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  KassaCatalogItem *item = kassa_cart_line_get_item (line);
  sqlite3 *db = kassa_database_get_handle (self->database);
  gint64 row = line_get_row (line);
  const char *sku = kassa_catalog_item_get_sku (item);
  const char *name = kassa_catalog_item_get_name (item);
  int rc;

  /* Update the line's own row when it has one in this cart, so what was
   * reserved for it stays attached; otherwise add a row. */
  stmt = kassa_database_prepare (self->database,
                                 row > 0
                                 ? "UPDATE cart_line SET position = ?2, item_id = ?3, name = ?4, sku = ?5, "
                                   "quantity = ?6, unit_price = ?7, item_price = ?8, price_overridden = ?9, "
                                   "tax_rate = ?10, discount_kind = ?11, discount_value = ?12 "
                                   "WHERE cart_id = ?1 AND id = ?13"
                                 : "INSERT INTO cart_line (cart_id, position, item_id, name, sku, quantity, "
                                   "unit_price, item_price, price_overridden, tax_rate, discount_kind, "
                                   "discount_value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, cart_id);
  sqlite3_bind_int64 (stmt, 2, position);
  if (kassa_catalog_item_get_id (item) > 0)
    sqlite3_bind_int64 (stmt, 3, kassa_catalog_item_get_id (item));
  else
    sqlite3_bind_null (stmt, 3);
  sqlite3_bind_text (stmt, 4, name != NULL ? name : "", -1, SQLITE_TRANSIENT);
  if (sku != NULL && sku[0] != '\0')
    sqlite3_bind_text (stmt, 5, sku, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 5);
  sqlite3_bind_int64 (stmt, 6, kassa_cart_line_get_quantity (line));
  sqlite3_bind_int64 (stmt, 7, kassa_cart_line_get_unit_price (line));
  sqlite3_bind_int64 (stmt, 8, kassa_catalog_item_get_price (item));
  sqlite3_bind_int (stmt, 9, kassa_cart_line_get_has_price_override (line));
  sqlite3_bind_int64 (stmt, 10, kassa_catalog_item_get_tax_rate (item));
  sqlite3_bind_text (stmt, 11, nick (KASSA_TYPE_DISCOUNT_KIND, kassa_cart_line_get_discount_kind (line)),
                     -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 12, kassa_cart_line_get_discount_value (line));
  if (row > 0)
    sqlite3_bind_int64 (stmt, 13, row);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      sqlite_error (self, error, rc, _("Saving a cart line"));
      return FALSE;
    }

  if (row > 0 && sqlite3_changes (db) == 0)
    {
      /* The object was saved in another cart (or its row is gone): it
       * is a new line here. */
      g_object_set_qdata (G_OBJECT (line), line_row_quark (), NULL);
      g_clear_pointer (&stmt, kassa_statement_release);
      return save_line (self, cart_id, position, line, error);
    }

  line_note_saved (line, cart_id, row > 0 ? row : sqlite3_last_insert_rowid (db), position);

  return TRUE;
}

/* Whether the rows of @cart_id are those the cart object's last save
 * left, each still held by the line at its place: the lines since then
 * were only changed or added at the end, and no rollback since could
 * have undone the save. */
static gboolean
rows_in_place (KassaCartRepository *self,
               gint64               cart_id,
               KassaCart           *cart)
{
  SavedCart *saved = g_object_get_qdata (G_OBJECT (cart), cart_saved_quark ());
  GListModel *lines = G_LIST_MODEL (cart);
  guint n_lines = g_list_model_get_n_items (lines);

  if (saved == NULL || saved->cart_id != cart_id || n_lines < saved->rows->len ||
      saved->n_rollbacks != kassa_database_get_n_rollbacks (self->database))
    return FALSE;

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(KassaCartLine) line = g_list_model_get_item (lines, i);
      SavedLine *saved_line = g_object_get_qdata (G_OBJECT (line), line_row_quark ());
      gboolean has_row = saved_line != NULL && saved_line->cart_id == cart_id;

      if (i < saved->rows->len
          ? !has_row || saved_line->row != g_array_index (saved->rows, gint64, i) || saved_line->position != i
          : has_row)
        return FALSE;
    }

  return TRUE;
}

static void
cart_note_saved (KassaCartRepository *self,
                 gint64               cart_id,
                 KassaCart           *cart)
{
  GListModel *lines = G_LIST_MODEL (cart);
  guint n_lines = g_list_model_get_n_items (lines);
  SavedCart *saved = g_new0 (SavedCart, 1);

  saved->cart_id = cart_id;
  saved->rows = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_lines);
  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(KassaCartLine) line = g_list_model_get_item (lines, i);
      gint64 row = line_get_row (line);

      g_array_append_val (saved->rows, row);
    }
  saved->n_rollbacks = kassa_database_get_n_rollbacks (self->database);
  g_object_set_qdata_full (G_OBJECT (cart), cart_saved_quark (), saved, saved_cart_free);
}

static gboolean
save_cart (KassaCartRepository  *self,
           gint64                cart_id,
           KassaCart            *cart,
           const char           *label,
           GError              **error)
{
  g_autoptr(KassaStatement) header = NULL;
  g_autoptr(KassaStatement) move_aside = NULL;
  g_autoptr(KassaStatement) drop_removed = NULL;
  g_autofree char *now = kassa_store_now_text ();
  GListModel *lines = G_LIST_MODEL (cart);
  sqlite3 *db = kassa_database_get_handle (self->database);
  const char *address = kassa_cart_get_delivery_address (cart);
  guint n_lines;
  int rc;

  header = kassa_database_prepare (self->database,
                                   "UPDATE cart SET status = ?2, label = coalesce (?3, label), customer_id = ?4, "
                                   "currency = ?5, discount_kind = ?6, discount_value = ?7, delivery_method = ?8, "
                                   "delivery_address = ?9, updated_at = ?10 "
                                   "WHERE id = ?1 AND status IN ('open', 'parked')",
                                   error);
  if (header == NULL)
    return FALSE;

  sqlite3_bind_int64 (header, 1, cart_id);
  sqlite3_bind_text (header, 2, kassa_cart_get_parked (cart) ? "parked" : "open", -1, SQLITE_STATIC);
  if (label != NULL)
    sqlite3_bind_text (header, 3, label, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (header, 3);
  sqlite3_bind_int64 (header, 4, customer_id_of (cart));
  sqlite3_bind_text (header, 5, kassa_cart_get_currency_code (cart), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (header, 6, nick (KASSA_TYPE_DISCOUNT_KIND, kassa_cart_get_discount_kind (cart)),
                     -1, SQLITE_STATIC);
  sqlite3_bind_int64 (header, 7, kassa_cart_get_discount_value (cart));
  sqlite3_bind_text (header, 8, nick (KASSA_TYPE_DELIVERY_METHOD, kassa_cart_get_delivery_method (cart)),
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (header, 9, address != NULL ? address : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (header, 10, now, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (header);
  if (rc != SQLITE_DONE)
    {
      sqlite_error (self, error, rc, _("Saving a cart"));
      return FALSE;
    }
  if (sqlite3_changes (db) == 0)
    {
      not_found (error, cart_id);
      return FALSE;
    }

  n_lines = g_list_model_get_n_items (lines);

  /* Most saves follow one scan or one change of a line: with every row
   * still where the last save left it, only what changed is written,
   * not the whole cart again. */
  if (rows_in_place (self, cart_id, cart))
    {
      for (guint i = 0; i < n_lines; i++)
        {
          g_autoptr(KassaCartLine) line = g_list_model_get_item (lines, i);

          if (!line_is_saved (line, cart_id, i) && !save_line (self, cart_id, i, line, error))
            return FALSE;
        }

      cart_note_saved (self, cart_id, cart);
      return TRUE;
    }

  /* Every row steps aside to a negative position, so lines can take any
   * position without tripping UNIQUE (cart_id, position); rows no line
   * claims back are the removed lines. */
  move_aside = kassa_database_prepare (self->database,
                                       "UPDATE cart_line SET position = -1 - position WHERE cart_id = ?1",
                                       error);
  if (move_aside == NULL)
    return FALSE;
  sqlite3_bind_int64 (move_aside, 1, cart_id);
  rc = sqlite3_step (move_aside);
  if (rc != SQLITE_DONE)
    {
      sqlite_error (self, error, rc, _("Saving a cart"));
      return FALSE;
    }
  g_clear_pointer (&move_aside, kassa_statement_release);

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(KassaCartLine) line = g_list_model_get_item (lines, i);

      if (!save_line (self, cart_id, i, line, error))
        return FALSE;
    }

  drop_removed = kassa_database_prepare (self->database,
                                         "DELETE FROM cart_line WHERE cart_id = ?1 AND position < 0", error);
  if (drop_removed == NULL)
    return FALSE;
  sqlite3_bind_int64 (drop_removed, 1, cart_id);
  rc = sqlite3_step (drop_removed);
  if (rc != SQLITE_DONE)
    {
      sqlite_error (self, error, rc, _("Saving a cart"));
      return FALSE;
    }

  cart_note_saved (self, cart_id, cart);
  return TRUE;
}

static void
watch_free (gpointer  data,
            GClosure *closure)
{
  Watch *watch = data;

  g_clear_object (&watch->repository);
  g_free (watch);
}

static void
cart_changed_cb (KassaCart *cart,
                 Watch     *watch)
{
  g_autoptr(GError) error = NULL;

  if (!kassa_cart_repository_save (watch->repository, watch->cart_id, cart, &error))
    g_warning ("Could not save cart %" PRId64 ": %s", watch->cart_id, error->message);
}

/* The customer, delivery details and parking notify without "changed"
 * (they do not move totals), and they must survive a crash too. */
static void
cart_notify_cb (KassaCart  *cart,
                GParamSpec *pspec,
                Watch      *watch)
{
  cart_changed_cb (cart, watch);
}

static void
kassa_cart_repository_dispose (GObject *object)
{
  KassaCartRepository *self = KASSA_CART_REPOSITORY (object);

  g_clear_object (&self->database);

  G_OBJECT_CLASS (kassa_cart_repository_parent_class)->dispose (object);
}

static void
kassa_cart_repository_class_init (KassaCartRepositoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kassa_cart_repository_dispose;
}

static void
kassa_cart_repository_init (KassaCartRepository *self)
{
}

KassaCartSummary *
kassa_cart_summary_copy (const KassaCartSummary *summary)
{
  KassaCartSummary *copy;

  g_return_val_if_fail (summary != NULL, NULL);

  copy = g_memdup2 (summary, sizeof *summary);
  copy->label = g_strdup (summary->label);
  copy->updated_at = g_strdup (summary->updated_at);

  return copy;
}

void
kassa_cart_summary_free (KassaCartSummary *summary)
{
  if (summary == NULL)
    return;

  g_free (summary->label);
  g_free (summary->updated_at);
  g_free (summary);
}

KassaCartRepository *
kassa_cart_repository_new (KassaDatabase *database)
{
  KassaCartRepository *self;

  g_return_val_if_fail (KASSA_IS_DATABASE (database), NULL);

  self = g_object_new (KASSA_TYPE_CART_REPOSITORY, NULL);
  self->database = g_object_ref (database);

  return self;
}

gint64
kassa_cart_repository_create (KassaCartRepository  *self,
                              KassaCart            *cart,
                              gint64                staff_id,
                              GError              **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = NULL;
  const char *currency;
  gint64 cart_id = 0;
  int rc;

  g_return_val_if_fail (KASSA_IS_CART_REPOSITORY (self), 0);
  g_return_val_if_fail (KASSA_IS_CART (cart), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  currency = kassa_cart_get_currency_code (cart);
  if (currency == NULL)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("A cart needs a currency"));
      return 0;
    }

  if (!kassa_database_begin (self->database, error))
    return 0;

  stmt = kassa_database_prepare (self->database,
                                 "INSERT INTO cart (staff_id, currency, created_at, updated_at) "
                                 "VALUES (?1, ?2, ?3, ?3)",
                                 error);
  if (stmt == NULL)
    return finish (self, FALSE, error);

  now = kassa_store_now_text ();
  if (staff_id > 0)
    sqlite3_bind_int64 (stmt, 1, staff_id);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_text (stmt, 2, currency, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      sqlite_error (self, error, rc, _("Saving a cart"));
      return finish (self, FALSE, error);
    }

  cart_id = sqlite3_last_insert_rowid (kassa_database_get_handle (self->database));
  g_clear_pointer (&stmt, kassa_statement_release);

  if (!finish (self, save_cart (self, cart_id, cart, NULL, error), error))
    return 0;

  return cart_id;
}

gboolean
kassa_cart_repository_save (KassaCartRepository  *self,
                            gint64                cart_id,
                            KassaCart            *cart,
                            GError              **error)
{
  g_return_val_if_fail (KASSA_IS_CART_REPOSITORY (self), FALSE);
  g_return_val_if_fail (KASSA_IS_CART (cart), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* An open cart changes with every scan, and the cashier would feel a
   * disk sync on each; what a power cut could take is the last moment's
   * scan, which the cashier sees missing and scans again. */
  if (!kassa_database_begin_sync_behind (self->database, error))
    return FALSE;

  return finish (self, save_cart (self, cart_id, cart, NULL, error), error);
}

void
kassa_cart_repository_watch (KassaCartRepository *self,
                             gint64               cart_id,
                             KassaCart           *cart)
{
  g_return_if_fail (KASSA_IS_CART_REPOSITORY (self));
  g_return_if_fail (KASSA_IS_CART (cart));

  for (guint i = 0; i < 2; i++)
    {
      Watch *watch = g_new0 (Watch, 1);

      watch->repository = g_object_ref (self);
      watch->cart_id = cart_id;
      if (i == 0)
        g_signal_connect_data (cart, "changed", G_CALLBACK (cart_changed_cb), watch, watch_free, 0);
      else
        g_signal_connect_data (cart, "notify", G_CALLBACK (cart_notify_cb), watch, watch_free, 0);
    }
}

void
kassa_cart_repository_unwatch (KassaCartRepository *self,
                               KassaCart           *cart)
{
  g_return_if_fail (KASSA_IS_CART_REPOSITORY (self));
  g_return_if_fail (KASSA_IS_CART (cart));

  g_signal_handlers_disconnect_matched (cart, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, cart_changed_cb, NULL);
  g_signal_handlers_disconnect_matched (cart, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, cart_notify_cb, NULL);
}

static gboolean
load_lines (KassaCartRepository  *self,
            gint64                cart_id,
            KassaCart            *cart,
            GError              **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  const char *currency = kassa_cart_get_currency_code (cart);
  guint position = 0;
  int rc;

  stmt = kassa_database_prepare (self->database,
                                 "SELECT l.id, l.item_id, l.name, l.sku, l.quantity, l.unit_price, l.item_price, "
                                 "l.price_overridden, l.tax_rate, l.discount_kind, l.discount_value, "
                                 "c.kind, c.duration_minutes "
                                 "FROM cart_line l LEFT JOIN catalog_item c ON c.id = l.item_id "
                                 "WHERE l.cart_id = ?1 ORDER BY l.position",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, cart_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(KassaCatalogItem) item = kassa_catalog_item_new ();
      g_autoptr(KassaCartLine) line = NULL;
      int discount_kind;

      /* The item as it was rung up: a later price change in the catalog
       * does not reach into a parked sale. */
      kassa_catalog_item_set_id (item, sqlite3_column_int64 (stmt, 1));
      kassa_catalog_item_set_name (item, kassa_sql_column_text (stmt, 2));
      if (sqlite3_column_type (stmt, 3) != SQLITE_NULL)
        kassa_catalog_item_set_sku (item, kassa_sql_column_text (stmt, 3));
      kassa_catalog_item_set_price (item, sqlite3_column_int64 (stmt, 6));
      kassa_catalog_item_set_tax_rate (item, sqlite3_column_int64 (stmt, 8));
      kassa_catalog_item_set_currency_code (item, currency);
      kassa_catalog_item_set_status (item, KASSA_ITEM_STATUS_ACTIVE);
      if (g_strcmp0 (kassa_sql_column_text (stmt, 11), "service") == 0)
        {
          kassa_catalog_item_set_kind (item, KASSA_ITEM_KIND_SERVICE);
          kassa_catalog_item_set_duration_minutes (item, sqlite3_column_int (stmt, 12));
        }

      if (!kassa_store_enum_from_text (KASSA_TYPE_DISCOUNT_KIND, kassa_sql_column_text (stmt, 9), &discount_kind, error))
        return FALSE;

      line = kassa_cart_line_new_for_item (item, sqlite3_column_int64 (stmt, 4));
      line_set_row (line, cart_id, sqlite3_column_int64 (stmt, 0));

      if (!kassa_cart_insert_line (cart, position, line, error))
        return FALSE;

      if (sqlite3_column_int (stmt, 7) &&
          !kassa_cart_set_price_override (cart, position, sqlite3_column_int64 (stmt, 5), error))
        return FALSE;

      if (discount_kind != KASSA_DISCOUNT_NONE &&
          !kassa_cart_set_line_discount (cart, position, discount_kind, sqlite3_column_int64 (stmt, 10), error))
        return FALSE;

      position++;
    }

  if (rc != SQLITE_DONE)
    {
      sqlite_error (self, error, rc, _("Reading a cart"));
      return FALSE;
    }

  return TRUE;
}

KassaCart *
kassa_cart_repository_load (KassaCartRepository  *self,
                            gint64                cart_id,
                            GError              **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(KassaCart) cart = NULL;
  g_autofree char *currency = NULL;
  g_autofree char *address = NULL;
  int discount_kind, delivery_method;
  gint64 discount_value, customer_id;
  gboolean parked;
  int rc;

  g_return_val_if_fail (KASSA_IS_CART_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT status, customer_id, currency, discount_kind, discount_value, "
                                 "delivery_method, delivery_address FROM cart "
                                 "WHERE id = ?1 AND status IN ('open', 'parked')",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, cart_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        not_found (error, cart_id);
      else
        sqlite_error (self, error, rc, _("Reading a cart"));
      return NULL;
    }

  parked = g_str_equal (kassa_sql_column_text (stmt, 0), "parked");
  customer_id = sqlite3_column_int64 (stmt, 1);
  currency = g_strdup (kassa_sql_column_text (stmt, 2));
  if (!kassa_store_enum_from_text (KASSA_TYPE_DISCOUNT_KIND, kassa_sql_column_text (stmt, 3), &discount_kind, error) ||
      !kassa_store_enum_from_text (KASSA_TYPE_DELIVERY_METHOD, kassa_sql_column_text (stmt, 5), &delivery_method, error))
    return NULL;
  discount_value = sqlite3_column_int64 (stmt, 4);
  address = g_strdup (kassa_sql_column_text (stmt, 6));
  g_clear_pointer (&stmt, kassa_statement_release);

  cart = kassa_cart_new ();
  if (!kassa_cart_set_currency_code (cart, currency, error) ||
      !kassa_cart_set_delivery_method (cart, delivery_method, error) ||
      !kassa_cart_set_delivery_address (cart, address[0] != '\0' ? address : NULL, error))
    return NULL;

  if (customer_id != KASSA_CUSTOMER_WALK_IN_ID)
    {
      g_autoptr(KassaCustomerRepository) customers = kassa_customer_repository_new (self->database);
      g_autoptr(KassaCustomer) customer = kassa_customer_repository_get (customers, customer_id, error);

      if (customer == NULL || !kassa_cart_set_customer (cart, customer, error))
        return NULL;
    }

  if (!load_lines (self, cart_id, cart, error))
    return NULL;

  if (discount_kind != KASSA_DISCOUNT_NONE &&
      !kassa_cart_set_document_discount (cart, discount_kind, discount_value, error))
    return NULL;

  /* Last: a parked cart refuses every change. */
  if (parked && !kassa_cart_set_parked (cart, TRUE, error))
    return NULL;

  return g_steal_pointer (&cart);
}

gboolean
kassa_cart_repository_park (KassaCartRepository  *self,
                            gint64                cart_id,
                            KassaCart            *cart,
                            const char           *label,
                            GError              **error)
{
  g_return_val_if_fail (KASSA_IS_CART_REPOSITORY (self), FALSE);
  g_return_val_if_fail (KASSA_IS_CART (cart), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_cart_get_parked (cart) && !kassa_cart_park (cart, error))
    return FALSE;

  if (!kassa_database_begin (self->database, error))
    return FALSE;

  return finish (self, save_cart (self, cart_id, cart, label != NULL ? label : "", error), error);
}

KassaCart *
kassa_cart_repository_resume (KassaCartRepository  *self,
                              gint64                cart_id,
                              GError              **error)
{
  g_autoptr(KassaCart) cart = NULL;

  g_return_val_if_fail (KASSA_IS_CART_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  cart = kassa_cart_repository_load (self, cart_id, error);
  if (cart == NULL)
    return NULL;

  if (kassa_cart_get_parked (cart) && !kassa_cart_resume (cart, error))
    return NULL;

  if (!kassa_cart_repository_save (self, cart_id, cart, error))
    return NULL;

  return g_steal_pointer (&cart);
}

GPtrArray *
kassa_cart_repository_list (KassaCartRepository  *self,
                            gboolean              parked,
                            GError              **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GPtrArray) carts = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_CART_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT c.id, c.status, c.label, c.staff_id, c.customer_id, c.updated_at, "
                                 "(SELECT count (*) FROM cart_line l WHERE l.cart_id = c.id) "
                                 "FROM cart c WHERE c.status = ?1 ORDER BY c.updated_at, c.id",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, parked ? "parked" : "open", -1, SQLITE_STATIC);
  carts = g_ptr_array_new_with_free_func ((GDestroyNotify) kassa_cart_summary_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KassaCartSummary *summary = g_new0 (KassaCartSummary, 1);

      summary->id = sqlite3_column_int64 (stmt, 0);
      summary->parked = g_str_equal (kassa_sql_column_text (stmt, 1), "parked");
      summary->label = g_strdup (kassa_sql_column_text (stmt, 2));
      summary->staff_id = sqlite3_column_int64 (stmt, 3);
      summary->customer_id = sqlite3_column_int64 (stmt, 4);
      summary->updated_at = g_strdup (kassa_sql_column_text (stmt, 5));
      summary->n_lines = sqlite3_column_int (stmt, 6);
      g_ptr_array_add (carts, summary);
    }

  if (rc != SQLITE_DONE)
    {
      sqlite_error (self, error, rc, _("Reading carts"));
      return NULL;
    }

  return g_steal_pointer (&carts);
}

gboolean
kassa_cart_repository_delete (KassaCartRepository  *self,
                              gint64                cart_id,
                              GError              **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KASSA_IS_CART_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Orders keep pointing at the carts they came from; only carts that
   * never became a sale go. */
  stmt = kassa_database_prepare (self->database,
                                 "DELETE FROM cart WHERE id = ?1 AND status IN ('open', 'parked')", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, cart_id);
  db = kassa_database_get_handle (self->database);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      sqlite_error (self, error, rc, _("Deleting a cart"));
      return FALSE;
    }

  if (sqlite3_changes (db) == 0)
    {
      not_found (error, cart_id);
      return FALSE;
    }

  return TRUE;
}

/**
 * kassa_cart_repository_complete:
 * @self: a #KassaCartRepository
 * @cart_id: an open cart
 * @error: a location for a #GError
 *
 * Marks the cart as sold, inside the sale's transaction. The cart and its
 * lines stay as the record of what was rung up; only an open cart can be
 * completed, so the same cart is never sold twice.
 *
 * Returns: %TRUE on success; KASSA_ERROR_INVALID when the cart is not open
 */
gboolean
kassa_cart_repository_complete (KassaCartRepository  *self,
                                gint64                cart_id,
                                GError              **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_CART_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database,
                                 "UPDATE cart SET status = 'completed', updated_at = ?2 "
                                 "WHERE id = ?1 AND status = 'open'", error);
  if (stmt == NULL)
    return FALSE;

  now = kassa_store_now_text ();
  sqlite3_bind_int64 (stmt, 1, cart_id);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      sqlite_error (self, error, rc, _("Completing a cart"));
      return FALSE;
    }

  if (sqlite3_changes (kassa_database_get_handle (self->database)) == 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("Cart %" PRId64 " is not open: it was sold, parked or removed"),
                   cart_id);
      return FALSE;
    }

  return TRUE;
}

gint64
kassa_cart_repository_get_line_id (KassaCartRepository *self,
                                   KassaCartLine       *line)
{
  g_return_val_if_fail (KASSA_IS_CART_REPOSITORY (self), 0);
  g_return_val_if_fail (KASSA_IS_CART_LINE (line), 0);

  return line_get_row (line);
}
