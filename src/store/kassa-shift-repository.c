/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-shift-repository"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "kassa-error.h"
#include "kassa-money.h"
#include "kassa-shift-repository.h"
#include "kassa-store-enum-types.h"
#include "kassa-store-private.h"
#include "kassa-store-text.h"
#include "kassa-text.h"

struct _KassaShiftRepository
{
  GObject        parent_instance;

  KassaDatabase *database;
};

G_DEFINE_FINAL_TYPE (KassaShiftRepository, kassa_shift_repository, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (KassaShiftRecord, kassa_shift_record,
                     kassa_shift_record_copy, kassa_shift_record_free)

#define SHIFT_COLUMNS \
  "id, register_name, status, currency, opened_by, opened_at, opening_float, closed_by, closed_at, " \
  "z_number, counted_cash, expected_cash, z_report"

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static KassaShiftRecord *
record_from_row (sqlite3_stmt *stmt)
{
  KassaShiftRecord *record = g_new0 (KassaShiftRecord, 1);

  record->id = sqlite3_column_int64 (stmt, 0);
  record->register_name = column_dup (stmt, 1);
  record->closed = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "closed") == 0;
  record->currency = column_dup (stmt, 3);
  record->opened_by = sqlite3_column_int64 (stmt, 4);
  record->opened_at = column_dup (stmt, 5);
  record->opening_float = sqlite3_column_int64 (stmt, 6);
  record->closed_by = sqlite3_column_int64 (stmt, 7);
  record->closed_at = column_dup (stmt, 8);
  record->z_number = sqlite3_column_int64 (stmt, 9);
  record->counted_cash = sqlite3_column_int64 (stmt, 10);
  record->expected_cash = sqlite3_column_int64 (stmt, 11);
  record->z_report = column_dup (stmt, 12);

  return record;
}

static void
sqlite_error (KassaShiftRepository  *self,
              GError               **error,
              int                    rc,
              const char            *what)
{
  kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc, what);
}

static void
not_found (GError **error,
           gint64   id)
{
  g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
               _("There is no shift number %" PRId64), id);
}

static gboolean
finish (KassaShiftRepository  *self,
        gboolean               ok,
        GError               **error)
{
  if (ok)
    return kassa_database_commit (self->database, error);

  kassa_database_rollback (self->database, NULL);
  return FALSE;
}

/* Runs a one-row, one-integer query whose statement the caller bound. */
static gboolean
step_int (KassaShiftRepository  *self,
          sqlite3_stmt          *stmt,
          int                    column,
          gint64                *out,
          GError               **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW)
    {
      sqlite_error (self, error, rc, _("Reading the drawer"));
      return FALSE;
    }

  *out = sqlite3_column_int64 (stmt, column);
  return TRUE;
}

static void
kassa_shift_repository_dispose (GObject *object)
{
  KassaShiftRepository *self = KASSA_SHIFT_REPOSITORY (object);

  g_clear_object (&self->database);

  G_OBJECT_CLASS (kassa_shift_repository_parent_class)->dispose (object);
}

static void
kassa_shift_repository_class_init (KassaShiftRepositoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kassa_shift_repository_dispose;
}

static void
kassa_shift_repository_init (KassaShiftRepository *self)
{
}

KassaShiftRecord *
kassa_shift_record_copy (const KassaShiftRecord *record)
{
  KassaShiftRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = g_memdup2 (record, sizeof *record);
  copy->register_name = g_strdup (record->register_name);
  copy->currency = g_strdup (record->currency);
  copy->opened_at = g_strdup (record->opened_at);
  copy->closed_at = g_strdup (record->closed_at);
  copy->z_report = g_strdup (record->z_report);

  return copy;
}

void
kassa_shift_record_free (KassaShiftRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->register_name);
  g_free (record->currency);
  g_free (record->opened_at);
  g_free (record->closed_at);
  g_free (record->z_report);
  g_free (record);
}

KassaShiftRepository *
kassa_shift_repository_new (KassaDatabase *database)
{
  KassaShiftRepository *self;

  g_return_val_if_fail (KASSA_IS_DATABASE (database), NULL);

  self = g_object_new (KASSA_TYPE_SHIFT_REPOSITORY, NULL);
  self->database = g_object_ref (database);

  return self;
}

gint64
kassa_shift_repository_open (KassaShiftRepository  *self,
                             const char            *register_name,
                             gint64                 staff_id,
                             const char            *currency,
                             gint64                 opening_float,
                             GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KASSA_IS_SHIFT_REPOSITORY (self), 0);
  g_return_val_if_fail (currency != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (register_name == NULL)
    register_name = KASSA_SHIFT_DEFAULT_REGISTER;

  if (kassa_text_is_blank (register_name))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("A register needs a name"));
      return 0;
    }

  if (opening_float < 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("The opening float cannot be negative"));
      return 0;
    }

  stmt = kassa_database_prepare (self->database,
                                 "INSERT INTO shift (register_name, currency, opened_by, opened_at, opening_float) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5)",
                                 error);
  if (stmt == NULL)
    return 0;

  now = kassa_store_now_text ();
  sqlite3_bind_text (stmt, 1, register_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, currency, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, staff_id);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, opening_float);

  db = kassa_database_get_handle (self->database);
  rc = sqlite3_step (stmt);
  if ((rc & 0xff) == SQLITE_CONSTRAINT && sqlite3_extended_errcode (db) == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT,
                   _("Register “%s” already has an open shift; close it first"), register_name);
      return 0;
    }
  if (rc != SQLITE_DONE)
    {
      sqlite_error (self, error, rc, _("Opening a shift"));
      return 0;
    }

  return sqlite3_last_insert_rowid (db);
}

KassaShiftRecord *
kassa_shift_repository_get (KassaShiftRepository  *self,
                            gint64                 shift_id,
                            GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_SHIFT_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT " SHIFT_COLUMNS " FROM shift WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, shift_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return record_from_row (stmt);

  if (rc == SQLITE_DONE)
    not_found (error, shift_id);
  else
    sqlite_error (self, error, rc, _("Reading a shift"));
  return NULL;
}

KassaShiftRecord *
kassa_shift_repository_get_open (KassaShiftRepository  *self,
                                 const char            *register_name,
                                 GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_SHIFT_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT " SHIFT_COLUMNS " FROM shift WHERE register_name = ?1 AND status = 'open'",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, register_name != NULL ? register_name : KASSA_SHIFT_DEFAULT_REGISTER,
                     -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return record_from_row (stmt);

  if (rc != SQLITE_DONE)
    sqlite_error (self, error, rc, _("Reading a shift"));
  return NULL;
}

gint64
kassa_shift_repository_add_movement (KassaShiftRepository   *self,
                                     gint64                  shift_id,
                                     KassaCashMovementKind   kind,
                                     gint64                  amount,
                                     const char             *reason,
                                     gint64                  staff_id,
                                     GError                **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(KassaShiftRecord) shift = NULL;
  g_autofree char *now = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KASSA_IS_SHIFT_REPOSITORY (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (kassa_text_is_blank (reason))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   kind == KASSA_CASH_MOVEMENT_NO_SALE
                   ? _("Opening the drawer without a sale needs a reason")
                   : _("Cash paid in or out needs a reason"));
      return 0;
    }

  if (kind == KASSA_CASH_MOVEMENT_NO_SALE ? amount != 0 : amount <= 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   kind == KASSA_CASH_MOVEMENT_NO_SALE
                   ? _("Opening the drawer without a sale moves no money")
                   : _("Cash paid in or out needs an amount above zero"));
      return 0;
    }

  shift = kassa_shift_repository_get (self, shift_id, error);
  if (shift == NULL)
    return 0;

  if (shift->closed)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED,
                   _("Shift %" PRId64 " is closed; open a new one"), shift_id);
      return 0;
    }

  stmt = kassa_database_prepare (self->database,
                                 "INSERT INTO cash_movement (shift_id, kind, amount, reason, staff_id, created_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                 error);
  if (stmt == NULL)
    return 0;

  now = kassa_store_now_text ();
  sqlite3_bind_int64 (stmt, 1, shift_id);
  sqlite3_bind_text (stmt, 2, kassa_store_enum_to_text (KASSA_TYPE_CASH_MOVEMENT_KIND, kind), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, amount);
  sqlite3_bind_text (stmt, 4, reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, staff_id);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);

  db = kassa_database_get_handle (self->database);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      sqlite_error (self, error, rc, _("Recording a cash movement"));
      return 0;
    }

  return sqlite3_last_insert_rowid (db);
}

gboolean
kassa_shift_repository_compute_cash (KassaShiftRepository  *self,
                                     gint64                 shift_id,
                                     KassaShiftCash        *cash,
                                     GError               **error)
{
  g_autoptr(KassaShiftRecord) shift = NULL;
  g_autoptr(KassaStatement) sales = NULL;
  g_autoptr(KassaStatement) refunds = NULL;
  g_autoptr(KassaStatement) movements = NULL;
  KassaShiftCash result = { 0 };
  gint64 expected;

  g_return_val_if_fail (KASSA_IS_SHIFT_REPOSITORY (self), FALSE);
  g_return_val_if_fail (cash != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  shift = kassa_shift_repository_get (self, shift_id, error);
  if (shift == NULL)
    return FALSE;

  result.opening_float = shift->opening_float;

  sales = kassa_database_prepare (self->database,
                                  "SELECT coalesce (sum (p.amount), 0) FROM payment p "
                                  "JOIN \"order\" o ON o.id = p.order_id "
                                  "WHERE o.shift_id = ?1 AND p.provider = 'cash' AND p.status = 'succeeded'",
                                  error);
  if (sales == NULL)
    return FALSE;
  sqlite3_bind_int64 (sales, 1, shift_id);
  if (!step_int (self, sales, 0, &result.cash_sales, error))
    return FALSE;

  refunds = kassa_database_prepare (self->database,
                                    "SELECT coalesce (sum (r.amount), 0) FROM refund r "
                                    "JOIN payment p ON p.id = r.payment_id "
                                    "WHERE r.shift_id = ?1 AND r.status = 'succeeded' AND p.provider = 'cash'",
                                    error);
  if (refunds == NULL)
    return FALSE;
  sqlite3_bind_int64 (refunds, 1, shift_id);
  if (!step_int (self, refunds, 0, &result.cash_refunds, error))
    return FALSE;

  movements = kassa_database_prepare (self->database,
                                      "SELECT coalesce (sum (amount) FILTER (WHERE kind = 'paid-in'), 0), "
                                      "coalesce (sum (amount) FILTER (WHERE kind = 'paid-out'), 0), "
                                      "count (*) FILTER (WHERE kind = 'no-sale') "
                                      "FROM cash_movement WHERE shift_id = ?1",
                                      error);
  if (movements == NULL)
    return FALSE;
  sqlite3_bind_int64 (movements, 1, shift_id);
  if (!step_int (self, movements, 0, &result.paid_in, error))
    return FALSE;
  result.paid_out = sqlite3_column_int64 (movements, 1);
  result.no_sales = sqlite3_column_int64 (movements, 2);

  if (!kassa_checked_add (result.opening_float, result.cash_sales, &expected) ||
      !kassa_checked_sub (expected, result.cash_refunds, &expected) ||
      !kassa_checked_add (expected, result.paid_in, &expected) ||
      !kassa_checked_sub (expected, result.paid_out, &expected))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_OVERFLOW,
                   _("The drawer's amounts are too large to add up"));
      return FALSE;
    }

  result.expected_cash = expected;
  *cash = result;

  return TRUE;
}

void
kassa_shift_tender_free (KassaShiftTender *tender)
{
  if (tender == NULL)
    return;

  g_free (tender->provider);
  g_free (tender);
}

GPtrArray *
kassa_shift_repository_list_tenders (KassaShiftRepository  *self,
                                     gint64                 shift_id,
                                     GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GPtrArray) tenders = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_SHIFT_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT p.provider, count (*), coalesce (sum (p.amount), 0) FROM payment p "
                                 "JOIN \"order\" o ON o.id = p.order_id "
                                 "WHERE o.shift_id = ?1 AND p.status = 'succeeded' "
                                 "GROUP BY p.provider ORDER BY p.provider",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, shift_id);
  tenders = g_ptr_array_new_with_free_func ((GDestroyNotify) kassa_shift_tender_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KassaShiftTender *tender = g_new0 (KassaShiftTender, 1);

      tender->provider = column_dup (stmt, 0);
      tender->payments = sqlite3_column_int64 (stmt, 1);
      tender->amount = sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (tenders, tender);
    }

  if (rc != SQLITE_DONE)
    {
      sqlite_error (self, error, rc, _("Reading the shift's takings"));
      return NULL;
    }

  return g_steal_pointer (&tenders);
}

static JsonNode *
build_z_report (KassaShiftRecord             *shift,
                gint64                        z_number,
                gint64                        staff_id,
                const char                   *closed_at,
                const KassaShiftCash         *cash,
                gint64                        counted,
                const KassaDenominationCount *counts,
                gsize                         n_counts,
                GPtrArray                    *tenders,
                KassaJournalEntry            *journal_head)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "z_number");
  json_builder_add_int_value (builder, z_number);
  json_builder_set_member_name (builder, "shift_id");
  json_builder_add_int_value (builder, shift->id);
  json_builder_set_member_name (builder, "register");
  json_builder_add_string_value (builder, shift->register_name);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, shift->currency);
  json_builder_set_member_name (builder, "opened_by");
  json_builder_add_int_value (builder, shift->opened_by);
  json_builder_set_member_name (builder, "opened_at");
  json_builder_add_string_value (builder, shift->opened_at);
  json_builder_set_member_name (builder, "closed_by");
  json_builder_add_int_value (builder, staff_id);
  json_builder_set_member_name (builder, "closed_at");
  json_builder_add_string_value (builder, closed_at);
  json_builder_set_member_name (builder, "opening_float");
  json_builder_add_int_value (builder, cash->opening_float);
  json_builder_set_member_name (builder, "cash_sales");
  json_builder_add_int_value (builder, cash->cash_sales);
  json_builder_set_member_name (builder, "cash_refunds");
  json_builder_add_int_value (builder, cash->cash_refunds);
  json_builder_set_member_name (builder, "paid_in");
  json_builder_add_int_value (builder, cash->paid_in);
  json_builder_set_member_name (builder, "paid_out");
  json_builder_add_int_value (builder, cash->paid_out);
  json_builder_set_member_name (builder, "no_sales");
  json_builder_add_int_value (builder, cash->no_sales);
  json_builder_set_member_name (builder, "expected_cash");
  json_builder_add_int_value (builder, cash->expected_cash);
  json_builder_set_member_name (builder, "counted_cash");
  json_builder_add_int_value (builder, counted);
  json_builder_set_member_name (builder, "difference");
  json_builder_add_int_value (builder, counted - cash->expected_cash);
  json_builder_set_member_name (builder, "count");
  json_builder_begin_array (builder);
  for (gsize i = 0; i < n_counts; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "denomination");
      json_builder_add_int_value (builder, counts[i].denomination);
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, counts[i].count);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "tenders");
  json_builder_begin_array (builder);
  for (guint i = 0; i < tenders->len; i++)
    {
      KassaShiftTender *tender = g_ptr_array_index (tenders, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "provider");
      json_builder_add_string_value (builder, tender->provider);
      json_builder_set_member_name (builder, "payments");
      json_builder_add_int_value (builder, tender->payments);
      json_builder_set_member_name (builder, "amount");
      json_builder_add_int_value (builder, tender->amount);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  /* The journal as it stood before this close: printed on the report,
   * it vouches on paper for every entry up to it, so entries deleted
   * from the end later on are found (kassa-cli journal verify --anchor). */
  json_builder_set_member_name (builder, "journal");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "entries");
  json_builder_add_int_value (builder, journal_head != NULL ? journal_head->sequence : 0);
  json_builder_set_member_name (builder, "hash");
  json_builder_add_string_value (builder, journal_head != NULL ? journal_head->hash : KASSA_JOURNAL_GENESIS_HASH);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

gint64
kassa_shift_repository_close (KassaShiftRepository          *self,
                              gint64                         shift_id,
                              gint64                         staff_id,
                              const KassaDenominationCount  *counts,
                              gsize                          n_counts,
                              KassaJournal                  *journal,
                              GError                       **error)
{
  g_autoptr(KassaShiftRecord) shift = NULL;
  g_autoptr(KassaStatement) insert_count = NULL;
  g_autoptr(KassaStatement) next_z = NULL;
  g_autoptr(KassaStatement) update = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(KassaJournalEntry) entry = NULL;
  g_autoptr(KassaJournalEntry) journal_head = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *report_text = NULL;
  g_autofree char *closed_at = NULL;
  g_autoptr(GPtrArray) tenders = NULL;
  KassaShiftCash cash;
  gint64 counted = 0;
  gint64 z_number = 0;
  int rc;

  g_return_val_if_fail (KASSA_IS_SHIFT_REPOSITORY (self), 0);
  g_return_val_if_fail (counts != NULL || n_counts == 0, 0);
  g_return_val_if_fail (KASSA_IS_JOURNAL (journal), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  for (gsize i = 0; i < n_counts; i++)
    {
      gint64 value;

      if (counts[i].denomination <= 0 || counts[i].count < 0)
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                       _("A count needs a denomination above zero and a number of pieces of at least zero"));
          return 0;
        }

      for (gsize j = 0; j < i; j++)
        {
          if (counts[j].denomination == counts[i].denomination)
            {
              g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("The denomination %" PRId64 " was counted twice"),
                           counts[i].denomination);
              return 0;
            }
        }

      if (!kassa_checked_mul (counts[i].denomination, counts[i].count, &value) ||
          !kassa_checked_add (counted, value, &counted))
        {
          g_set_error (error, KASSA_ERROR, KASSA_ERROR_OVERFLOW,
                       _("The counted cash is too large to add up"));
          return 0;
        }
    }

  if (!kassa_database_begin (self->database, error))
    return 0;

  shift = kassa_shift_repository_get (self, shift_id, error);
  if (shift == NULL)
    return finish (self, FALSE, error);

  if (shift->closed)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED,
                   _("Shift %" PRId64 " is already closed with Z report %" PRId64),
                   shift_id, shift->z_number);
      return finish (self, FALSE, error);
    }

  if (!kassa_shift_repository_compute_cash (self, shift_id, &cash, error))
    return finish (self, FALSE, error);

  tenders = kassa_shift_repository_list_tenders (self, shift_id, error);
  if (tenders == NULL)
    return finish (self, FALSE, error);

  insert_count = kassa_database_prepare (self->database,
                                         "INSERT INTO shift_count (shift_id, denomination, count) VALUES (?1, ?2, ?3)",
                                         error);
  if (insert_count == NULL)
    return finish (self, FALSE, error);

  for (gsize i = 0; i < n_counts; i++)
    {
      sqlite3_reset (insert_count);
      sqlite3_bind_int64 (insert_count, 1, shift_id);
      sqlite3_bind_int64 (insert_count, 2, counts[i].denomination);
      sqlite3_bind_int64 (insert_count, 3, counts[i].count);
      rc = sqlite3_step (insert_count);
      if (rc != SQLITE_DONE)
        {
          sqlite_error (self, error, rc, _("Recording the drawer count"));
          return finish (self, FALSE, error);
        }
    }

  /* Taken inside the write transaction, so Z numbers have no gaps and
   * no two closes share one. */
  next_z = kassa_database_prepare (self->database,
                                   "SELECT coalesce (max (z_number), 0) + 1 FROM shift", error);
  if (next_z == NULL || !step_int (self, next_z, 0, &z_number, error))
    return finish (self, FALSE, error);

  journal_head = kassa_journal_get_last (journal, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return finish (self, FALSE, error);
    }

  closed_at = kassa_store_now_text ();
  report = build_z_report (shift, z_number, staff_id, closed_at, &cash, counted, counts, n_counts, tenders,
                           journal_head);
  report_text = kassa_journal_canonicalize (report, error);
  if (report_text == NULL)
    return finish (self, FALSE, error);

  update = kassa_database_prepare (self->database,
                                   "UPDATE shift SET status = 'closed', z_number = ?1, closed_by = ?2, "
                                   "closed_at = ?3, counted_cash = ?4, expected_cash = ?5, z_report = ?6 "
                                   "WHERE id = ?7",
                                   error);
  if (update == NULL)
    return finish (self, FALSE, error);

  sqlite3_bind_int64 (update, 1, z_number);
  sqlite3_bind_int64 (update, 2, staff_id);
  sqlite3_bind_text (update, 3, closed_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (update, 4, counted);
  sqlite3_bind_int64 (update, 5, cash.expected_cash);
  sqlite3_bind_text (update, 6, report_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (update, 7, shift_id);
  rc = sqlite3_step (update);
  if (rc != SQLITE_DONE)
    {
      sqlite_error (self, error, rc, _("Closing a shift"));
      return finish (self, FALSE, error);
    }

  entry = kassa_journal_append (journal, "shift.close", report, error);
  if (entry == NULL)
    return finish (self, FALSE, error);

  if (!finish (self, TRUE, error))
    return 0;

  return z_number;
}

GArray *
kassa_shift_repository_get_counts (KassaShiftRepository  *self,
                                   gint64                 shift_id,
                                   GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GArray) counts = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_SHIFT_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT denomination, count FROM shift_count WHERE shift_id = ?1 "
                                 "ORDER BY denomination DESC",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, shift_id);
  counts = g_array_new (FALSE, FALSE, sizeof (KassaDenominationCount));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KassaDenominationCount count = {
        sqlite3_column_int64 (stmt, 0),
        sqlite3_column_int64 (stmt, 1),
      };
      g_array_append_val (counts, count);
    }

  if (rc != SQLITE_DONE)
    {
      sqlite_error (self, error, rc, _("Reading the drawer count"));
      return NULL;
    }

  return g_steal_pointer (&counts);
}
