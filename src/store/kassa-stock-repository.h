/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-database.h"

G_BEGIN_DECLS

/* Stock on hand and the stock that open carts hold. Quantities are
 * thousandths (KASSA_QUANTITY_ONE is one unit). A reservation belongs to
 * one cart line and lives until it expires, is released, or the cart is
 * sold; times are passed in by the caller so the clock is testable. */

#define KASSA_TYPE_STOCK_REPOSITORY (kassa_stock_repository_get_type ())

G_DECLARE_FINAL_TYPE (KassaStockRepository, kassa_stock_repository, KASSA, STOCK_REPOSITORY, GObject)

KassaStockRepository *kassa_stock_repository_new           (KassaDatabase         *database);

/* Holds @quantity of @item_id for @cart_line_id until @now + @minutes,
 * replacing the line's earlier reservation. Refused with
 * KASSA_STORE_ERROR_CONSTRAINT when less is available than asked (the
 * line's own earlier reservation not counted), unless @allow_negative. */
gboolean              kassa_stock_repository_reserve       (KassaStockRepository  *self,
                                                            gint64                 cart_line_id,
                                                            gint64                 item_id,
                                                            gint64                 quantity,
                                                            GDateTime             *now,
                                                            guint                  minutes,
                                                            gboolean               allow_negative,
                                                            GError               **error);
gboolean              kassa_stock_repository_release       (KassaStockRepository  *self,
                                                            gint64                 cart_line_id,
                                                            GError               **error);
/* Stock on hand minus the reservations still live at @now. */
gboolean              kassa_stock_repository_get_available (KassaStockRepository  *self,
                                                            gint64                 item_id,
                                                            GDateTime             *now,
                                                            gint64                *available,
                                                            GError               **error);
/* Drops reservations that expired by @now; @n_removed may be NULL. */
gboolean              kassa_stock_repository_purge_expired (KassaStockRepository  *self,
                                                            GDateTime             *now,
                                                            guint                 *n_removed,
                                                            GError               **error);
/* Sells cart @cart_id: inside the caller's transaction
 * (KASSA_STORE_ERROR_NO_TRANSACTION otherwise) decrements the stock of
 * every product on the cart's lines and drops the cart's reservations.
 * Other carts' live reservations count against the stock: selling more
 * than is available is refused with KASSA_STORE_ERROR_CONSTRAINT naming
 * the item, unless @allow_negative. Services have no stock; lines with a
 * negative quantity (returns) put stock back. On error nothing changed
 * within the caller's transaction. */
gboolean              kassa_stock_repository_sell          (KassaStockRepository  *self,
                                                            gint64                 cart_id,
                                                            GDateTime             *now,
                                                            gboolean               allow_negative,
                                                            GError               **error);
/* Changes stock on hand by @delta (a count, a delivery, breakage) and
 * records @reason, who did it (@staff_id, 0 for the system) and the
 * stock before and after in the audit log, in one transaction. */
gboolean              kassa_stock_repository_adjust        (KassaStockRepository  *self,
                                                            gint64                 item_id,
                                                            gint64                 delta,
                                                            const char            *reason,
                                                            gint64                 staff_id,
                                                            gint64                *new_stock,
                                                            GError               **error);

G_END_DECLS
