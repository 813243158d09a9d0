/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kassa-database.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  id;
  char   *created_at;
  gint64  staff_id;      /* 0 when no staff member acted (system, import) */
  char   *action;
  char   *entity_kind;
  char   *entity_id;     /* nullable */
  char   *details;       /* canonical JSON object */
} KassaAuditEntry;

#define KASSA_TYPE_AUDIT_ENTRY (kassa_audit_entry_get_type ())

GType            kassa_audit_entry_get_type  (void) G_GNUC_CONST;
KassaAuditEntry *kassa_audit_entry_copy      (const KassaAuditEntry *entry);
void             kassa_audit_entry_free      (KassaAuditEntry       *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KassaAuditEntry, kassa_audit_entry_free)

#define KASSA_TYPE_AUDIT_LOG (kassa_audit_log_get_type ())

G_DECLARE_FINAL_TYPE (KassaAuditLog, kassa_audit_log, KASSA, AUDIT_LOG, GObject)

KassaAuditLog   *kassa_audit_log_new          (KassaDatabase   *database);
KassaDatabase   *kassa_audit_log_get_database (KassaAuditLog   *self);

gint64           kassa_audit_log_record       (KassaAuditLog   *self,
                                               gint64           staff_id,
                                               const char      *action,
                                               const char      *entity_kind,
                                               const char      *entity_id,
                                               JsonNode        *details,
                                               GError         **error);
/* How many entries record @action on the entity (@entity_kind,
 * @entity_id): how often a receipt was reprinted, for one. */
gboolean         kassa_audit_log_count        (KassaAuditLog   *self,
                                               const char      *action,
                                               const char      *entity_kind,
                                               const char      *entity_id,
                                               guint64         *out_count,
                                               GError         **error);
GPtrArray       *kassa_audit_log_list_recent  (KassaAuditLog   *self,
                                               gint64           before_id,
                                               guint            limit,
                                               GError         **error);

G_END_DECLS
