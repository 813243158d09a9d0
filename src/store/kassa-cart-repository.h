/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-cart.h"
#include "kassa-database.h"

G_BEGIN_DECLS

/* Carts saved as they change, so open and parked carts survive a crash
 * or a power cut. Save after every change (kassa_cart_repository_save()
 * writes the cart in one small transaction), or let
 * kassa_cart_repository_watch() do it on every "changed".
 *
 * The repository remembers which row each KassaCartLine object is saved
 * in, so a line keeps its row (and the stock reserved for it) while
 * other lines come and go around it. */

typedef struct
{
  gint64    id;
  gboolean  parked;
  char     *label;
  gint64    staff_id;      /* 0 when nobody was signed in */
  gint64    customer_id;
  guint     n_lines;
  char     *updated_at;
} KassaCartSummary;

#define KASSA_TYPE_CART_SUMMARY (kassa_cart_summary_get_type ())

GType             kassa_cart_summary_get_type (void) G_GNUC_CONST;
KassaCartSummary *kassa_cart_summary_copy     (const KassaCartSummary *summary);
void              kassa_cart_summary_free     (KassaCartSummary       *summary);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KassaCartSummary, kassa_cart_summary_free)

#define KASSA_TYPE_CART_REPOSITORY (kassa_cart_repository_get_type ())

G_DECLARE_FINAL_TYPE (KassaCartRepository, kassa_cart_repository, KASSA, CART_REPOSITORY, GObject)

KassaCartRepository *kassa_cart_repository_new    (KassaDatabase        *database);

/* Saves @cart as a new open (or parked) cart. Returns: its id, or 0. */
gint64               kassa_cart_repository_create (KassaCartRepository  *self,
                                                   KassaCart            *cart,
                                                   gint64                staff_id,
                                                   GError              **error);
/* Writes the cart's header and lines as they are now. */
gboolean             kassa_cart_repository_save   (KassaCartRepository  *self,
                                                   gint64                cart_id,
                                                   KassaCart            *cart,
                                                   GError              **error);
/* Saves on every "changed" and property change of @cart from now on,
 * until the cart is finalized or unwatched; a failed save is logged as
 * a warning. */
void                 kassa_cart_repository_watch  (KassaCartRepository  *self,
                                                   gint64                cart_id,
                                                   KassaCart            *cart);
void                 kassa_cart_repository_unwatch (KassaCartRepository *self,
                                                    KassaCart           *cart);
/* Rebuilds the cart from its rows: items as they were rung up (name,
 * SKU, price and tax rate), overrides, discounts, customer, delivery
 * and whether it is parked. */
KassaCart           *kassa_cart_repository_load   (KassaCartRepository  *self,
                                                   gint64                cart_id,
                                                   GError              **error);
/* Parks @cart under @label (a name to find it by, may be empty). */
gboolean             kassa_cart_repository_park   (KassaCartRepository  *self,
                                                   gint64                cart_id,
                                                   KassaCart            *cart,
                                                   const char           *label,
                                                   GError              **error);
/* Loads a parked cart and makes it open again. */
KassaCart           *kassa_cart_repository_resume (KassaCartRepository  *self,
                                                   gint64                cart_id,
                                                   GError              **error);
/* Open and parked carts, oldest change first (the till resumes them
 * after a restart). */
GPtrArray           *kassa_cart_repository_list   (KassaCartRepository  *self,
                                                   gboolean              parked,
                                                   GError              **error);
/* Removes the cart, its lines and what they reserved. */
gboolean             kassa_cart_repository_delete (KassaCartRepository  *self,
                                                   gint64                cart_id,
                                                   GError              **error);

/* The cart_line row @line was last saved in (what its stock reservation
 * is keyed by), or 0 when it has not been saved yet. */
gint64               kassa_cart_repository_get_line_id (KassaCartRepository *self,
                                                        KassaCartLine       *line);

/* Marks an open cart sold, inside the sale's transaction; it stays as the
 * record of what was rung up. */
gboolean             kassa_cart_repository_complete (KassaCartRepository *self,
                                                     gint64               cart_id,
                                                     GError             **error);

G_END_DECLS
