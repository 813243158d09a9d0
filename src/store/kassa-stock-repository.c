/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-stock-repository"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "kassa-audit-log.h"
#include "kassa-error.h"
#include "kassa-money.h"
#include "kassa-stock-repository.h"
#include "kassa-store-error.h"
#include "kassa-store-private.h"
#include "kassa-store-sql.h"
#include "kassa-store-text.h"

struct _KassaStockRepository
{
  GObject        parent_instance;

  KassaDatabase *database;
};

G_DEFINE_FINAL_TYPE (KassaStockRepository, kassa_stock_repository, G_TYPE_OBJECT)

typedef struct
{
  gint64  item_id;
  gint64  quantity;
  gint64  on_hand;
  char   *name;
} SoldItem;

static void
sold_item_clear (SoldItem *sold)
{
  g_free (sold->name);
}

/* Stock on hand of @item_id and what live reservations hold of it,
 * leaving out the lines of @except_cart_id and the line
 * @except_line_id (0 for none). */
static gboolean
query_stock (KassaStockRepository  *self,
             gint64                 item_id,
             const char            *now,
             gint64                 except_cart_id,
             gint64                 except_line_id,
             gint64                *on_hand,
             gint64                *held,
             char                 **name,
             GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  stmt = kassa_database_prepare (self->database,
                                 "SELECT ci.stock_on_hand, ci.name, "
                                 " (SELECT coalesce (sum (r.quantity), 0) FROM stock_reservation AS r "
                                 "  JOIN cart_line AS cl ON cl.id = r.cart_line_id "
                                 "  WHERE r.item_id = ci.id AND r.expires_at > ?2 "
                                 "  AND cl.cart_id IS NOT ?3 AND r.cart_line_id IS NOT ?4) "
                                 "FROM catalog_item AS ci WHERE ci.id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, item_id);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, except_cart_id);
  sqlite3_bind_int64 (stmt, 4, except_line_id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                   _("No catalog item has the id %" PRId64), item_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading the stock"));
      return FALSE;
    }

  *on_hand = sqlite3_column_int64 (stmt, 0);
  if (name != NULL)
    *name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  *held = sqlite3_column_int64 (stmt, 2);

  return TRUE;
}

static gboolean
refuse_oversell (const char  *name,
                 gint64       available,
                 gint64       wanted,
                 GError     **error)
{
  g_autofree char *available_text = kassa_quantity_format (MAX (available, 0));
  g_autofree char *wanted_text = kassa_quantity_format (wanted);

  g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT,
               /* Translators: "Only 2 of “Coffee beans” available, 3 wanted" */
               _("Only %s of “%s” available, %s wanted"),
               available_text, name, wanted_text);
  return FALSE;
}

static void
kassa_stock_repository_dispose (GObject *object)
{
  KassaStockRepository *self = (KassaStockRepository *) object;

  g_clear_object (&self->database);

  G_OBJECT_CLASS (kassa_stock_repository_parent_class)->dispose (object);
}

static void
kassa_stock_repository_class_init (KassaStockRepositoryClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kassa_stock_repository_dispose;
}

static void
kassa_stock_repository_init (KassaStockRepository *self)
{
}

KassaStockRepository *
kassa_stock_repository_new (KassaDatabase *database)
{
  KassaStockRepository *self;

  g_return_val_if_fail (KASSA_IS_DATABASE (database), NULL);

  self = g_object_new (KASSA_TYPE_STOCK_REPOSITORY, NULL);
  self->database = g_object_ref (database);

  return self;
}

gboolean
kassa_stock_repository_reserve (KassaStockRepository  *self,
                                gint64                 cart_line_id,
                                gint64                 item_id,
                                gint64                 quantity,
                                GDateTime             *now,
                                guint                  minutes,
                                gboolean               allow_negative,
                                GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *now_text = NULL;
  g_autofree char *expires_text = NULL;
  g_autofree char *name = NULL;
  gint64 on_hand, held;

  g_return_val_if_fail (KASSA_IS_STOCK_REPOSITORY (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (quantity <= 0 || minutes == 0)
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                   _("A reservation needs a positive quantity and duration"));
      return FALSE;
    }

  now_text = kassa_store_time_to_text (now);
  expires = g_date_time_add_minutes (now, minutes);
  expires_text = kassa_store_time_to_text (expires);

  if (!query_stock (self, item_id, now_text, 0, cart_line_id, &on_hand, &held, &name, error))
    return FALSE;

  if (!allow_negative && on_hand - held < quantity)
    return refuse_oversell (name, on_hand - held, quantity, error);

  stmt = kassa_database_prepare (self->database,
                                 "INSERT INTO stock_reservation (cart_line_id, item_id, quantity, expires_at) "
                                 "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (cart_line_id) DO UPDATE SET "
                                 "item_id = excluded.item_id, quantity = excluded.quantity, expires_at = excluded.expires_at",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, cart_line_id);
  sqlite3_bind_int64 (stmt, 2, item_id);
  sqlite3_bind_int64 (stmt, 3, quantity);
  sqlite3_bind_text (stmt, 4, expires_text, -1, SQLITE_STATIC);

  return kassa_sql_run (self->database, stmt, _("Reserving stock"), error);
}

gboolean
kassa_stock_repository_release (KassaStockRepository  *self,
                                gint64                 cart_line_id,
                                GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;

  g_return_val_if_fail (KASSA_IS_STOCK_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database,
                                 "DELETE FROM stock_reservation WHERE cart_line_id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, cart_line_id);
  return kassa_sql_run (self->database, stmt, _("Releasing stock"), error);
}

gboolean
kassa_stock_repository_get_available (KassaStockRepository  *self,
                                      gint64                 item_id,
                                      GDateTime             *now,
                                      gint64                *available,
                                      GError               **error)
{
  g_autofree char *now_text = NULL;
  gint64 on_hand, held;

  g_return_val_if_fail (KASSA_IS_STOCK_REPOSITORY (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (available != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  now_text = kassa_store_time_to_text (now);
  if (!query_stock (self, item_id, now_text, 0, 0, &on_hand, &held, NULL, error))
    return FALSE;

  *available = on_hand - held;
  return TRUE;
}

gboolean
kassa_stock_repository_purge_expired (KassaStockRepository  *self,
                                      GDateTime             *now,
                                      guint                 *n_removed,
                                      GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now_text = NULL;

  g_return_val_if_fail (KASSA_IS_STOCK_REPOSITORY (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database,
                                 "DELETE FROM stock_reservation WHERE expires_at <= ?1", error);
  if (stmt == NULL)
    return FALSE;

  now_text = kassa_store_time_to_text (now);
  sqlite3_bind_text (stmt, 1, now_text, -1, SQLITE_STATIC);
  if (!kassa_sql_run (self->database, stmt, _("Releasing expired stock"), error))
    return FALSE;

  if (n_removed != NULL)
    *n_removed = sqlite3_changes (kassa_database_get_handle (self->database));

  return TRUE;
}

gboolean
kassa_stock_repository_sell (KassaStockRepository  *self,
                             gint64                 cart_id,
                             GDateTime             *now,
                             gboolean               allow_negative,
                             GError               **error)
{
  g_autoptr(KassaStatement) lines = NULL;
  g_autoptr(GArray) sold = NULL;
  g_autofree char *now_text = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_STOCK_REPOSITORY (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_database_in_transaction (self->database))
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_NO_TRANSACTION,
                   _("Stock is sold inside the transaction that records the sale"));
      return FALSE;
    }

  now_text = kassa_store_time_to_text (now);

  lines = kassa_database_prepare (self->database,
                                  "SELECT cl.item_id, sum (cl.quantity) FROM cart_line AS cl "
                                  "JOIN catalog_item AS ci ON ci.id = cl.item_id "
                                  "WHERE cl.cart_id = ?1 AND ci.kind = 'product' "
                                  "GROUP BY cl.item_id ORDER BY cl.item_id",
                                  error);
  if (lines == NULL)
    return FALSE;

  sqlite3_bind_int64 (lines, 1, cart_id);

  /* Check every line before changing anything, so a refusal leaves the
   * caller's transaction as it was. */
  sold = g_array_new (FALSE, TRUE, sizeof (SoldItem));
  g_array_set_clear_func (sold, (GDestroyNotify) sold_item_clear);
  while ((rc = sqlite3_step (lines)) == SQLITE_ROW)
    {
      SoldItem item = { 0 };

      item.item_id = sqlite3_column_int64 (lines, 0);
      item.quantity = sqlite3_column_int64 (lines, 1);
      g_array_append_val (sold, item);
    }

  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading the cart"));
      return FALSE;
    }

  g_clear_pointer (&lines, kassa_statement_release);

  for (guint i = 0; i < sold->len; i++)
    {
      SoldItem *item = &g_array_index (sold, SoldItem, i);
      gint64 held;

      if (!query_stock (self, item->item_id, now_text, cart_id, 0,
                        &item->on_hand, &held, &item->name, error))
        return FALSE;

      if (!allow_negative && item->quantity > 0 && item->on_hand - held < item->quantity)
        return refuse_oversell (item->name, item->on_hand - held, item->quantity, error);
    }

  for (guint i = 0; i < sold->len; i++)
    {
      SoldItem *item = &g_array_index (sold, SoldItem, i);
      g_autoptr(KassaStatement) update = NULL;

      update = kassa_database_prepare (self->database,
                                       "UPDATE catalog_item SET stock_on_hand = stock_on_hand - ?2, updated_at = ?3 "
                                       "WHERE id = ?1",
                                       error);
      if (update == NULL)
        return FALSE;

      sqlite3_bind_int64 (update, 1, item->item_id);
      sqlite3_bind_int64 (update, 2, item->quantity);
      sqlite3_bind_text (update, 3, now_text, -1, SQLITE_STATIC);
      if (!kassa_sql_run (self->database, update, _("Selling stock"), error))
        return FALSE;
    }

  {
    g_autoptr(KassaStatement) release = NULL;

    release = kassa_database_prepare (self->database,
                                      "DELETE FROM stock_reservation WHERE cart_line_id IN "
                                      "(SELECT id FROM cart_line WHERE cart_id = ?1)",
                                      error);
    if (release == NULL)
      return FALSE;

    sqlite3_bind_int64 (release, 1, cart_id);
    return kassa_sql_run (self->database, release, _("Selling stock"), error);
  }
}

gboolean
kassa_stock_repository_adjust (KassaStockRepository  *self,
                               gint64                 item_id,
                               gint64                 delta,
                               const char            *reason,
                               gint64                 staff_id,
                               gint64                *new_stock,
                               GError               **error)
{
  g_autoptr(KassaStatement) update = NULL;
  g_autoptr(KassaAuditLog) audit = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *now_text = NULL;
  g_autofree char *entity_id = NULL;
  g_autofree char *delta_text = NULL;
  g_autofree char *before_text = NULL;
  g_autofree char *after_text = NULL;
  g_autofree char *trimmed = NULL;
  gint64 before = 0, held, after;

  g_return_val_if_fail (KASSA_IS_STOCK_REPOSITORY (self), FALSE);
  g_return_val_if_fail (reason != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trimmed = g_strstrip (g_strdup (reason));
  if (trimmed[0] == '\0')
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                   _("A stock adjustment needs a reason"));
      return FALSE;
    }

  if (delta == 0)
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                   _("A stock adjustment must change the stock"));
      return FALSE;
    }

  now_text = kassa_store_now_text ();

  if (!kassa_database_begin (self->database, error))
    return FALSE;

  if (!query_stock (self, item_id, now_text, 0, 0, &before, &held, NULL, error))
    goto fail;

  if (!kassa_checked_add (before, delta, &after))
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                   _("The stock would overflow"));
      goto fail;
    }

  update = kassa_database_prepare (self->database,
                                   "UPDATE catalog_item SET stock_on_hand = ?2, updated_at = ?3 WHERE id = ?1",
                                   error);
  if (update == NULL)
    goto fail;

  sqlite3_bind_int64 (update, 1, item_id);
  sqlite3_bind_int64 (update, 2, after);
  sqlite3_bind_text (update, 3, now_text, -1, SQLITE_STATIC);
  if (!kassa_sql_run (self->database, update, _("Adjusting stock"), error))
    goto fail;

  delta_text = kassa_quantity_format (delta);
  before_text = kassa_quantity_format (before);
  after_text = kassa_quantity_format (after);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "delta");
  json_builder_add_string_value (builder, delta_text);
  json_builder_set_member_name (builder, "before");
  json_builder_add_string_value (builder, before_text);
  json_builder_set_member_name (builder, "after");
  json_builder_add_string_value (builder, after_text);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, trimmed);
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  audit = kassa_audit_log_new (self->database);
  entity_id = g_strdup_printf ("%" PRId64, item_id);
  if (kassa_audit_log_record (audit, staff_id, "stock.adjust", "catalog_item", entity_id,
                              details, error) == 0)
    goto fail;

  if (!kassa_database_commit (self->database, error))
    return FALSE;

  if (new_stock != NULL)
    *new_stock = after;

  return TRUE;

fail:
  kassa_database_rollback (self->database, NULL);
  return FALSE;
}
