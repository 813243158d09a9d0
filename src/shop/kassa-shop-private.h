/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* For src/shop/ only: the use-case files reach the store through these. */

#include "kassa-audit-log.h"
#include "kassa-database.h"
#include "kassa-journal.h"
#include "kassa-shop.h"

G_BEGIN_DECLS

KassaDatabase *kassa_shop_get_database  (KassaShop *self);
KassaJournal  *kassa_shop_get_journal   (KassaShop *self);
KassaAuditLog *kassa_shop_get_audit_log (KassaShop *self);

/* The actor's staff id for the audit log: 0 for the system. */
gint64         kassa_shop_get_actor_id  (KassaShop *self);

G_END_DECLS
