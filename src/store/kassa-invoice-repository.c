/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-invoice-repository"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "kassa-core-enum-types.h"
#include "kassa-currency.h"
#include "kassa-document-totals.h"
#include "kassa-error.h"
#include "kassa-invoice-repository.h"
#include "kassa-store-error.h"
#include "kassa-store-private.h"
#include "kassa-store-sql.h"
#include "kassa-store-text.h"
#include "kassa-transitions.h"

struct _KassaInvoiceRepository
{
  GObject        parent_instance;

  KassaDatabase *database;
};

G_DEFINE_FINAL_TYPE (KassaInvoiceRepository, kassa_invoice_repository, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATABASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define INVOICE_COLUMNS \
  "id, kind, status, reference, credited_invoice_id, order_id, customer_id, " \
  "buyer_name, buyer_email, buyer_address, currency, prices_include_tax, tax_scope, rounding, " \
  "issue_date, due_date, paid_amount, paid_method, paid_at, public_token"

/* Every list shares one WHERE clause, so one cached statement serves
 * every combination of filters. */
#define FILTER_WHERE \
  "WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR kind = ?2) " \
  "AND (?3 IS NULL OR sequence_year = ?3) AND (?4 IS NULL OR customer_id = ?4) "

static gboolean
not_found (GError **error,
           gint64   id)
{
  g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
               _("There is no invoice %" PRId64), id);
  return FALSE;
}

static KassaTotals *
compute_totals (KassaInvoice  *invoice,
                GError       **error)
{
  KassaTaxSettings settings = { 0 };

  settings.currency = kassa_currency_lookup (kassa_invoice_get_currency_code (invoice), error);
  if (settings.currency == NULL)
    return NULL;

  /* The invoice keeps its own tax rules; only the currency counts here. */
  return kassa_invoice_compute_totals (invoice, &settings, 0, error);
}

static gboolean
check_savable (KassaInvoice  *invoice,
               GError       **error)
{
  if (kassa_invoice_get_customer_id (invoice) <= 0)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("An invoice needs a customer"));
      return FALSE;
    }

  if (kassa_invoice_get_currency_code (invoice) == NULL)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("An invoice needs a currency"));
      return FALSE;
    }

  return TRUE;
}

/* Writes the draft row and its lines; *out_id is the row's id. Runs
 * inside the caller's transaction. */
static gboolean
write_draft (KassaInvoiceRepository  *self,
             KassaInvoice            *invoice,
             gint64                  *out_id,
             GError                 **error)
{
  g_autoptr(KassaTotals) totals = NULL;
  sqlite3 *db = kassa_database_get_handle (self->database);
  gint64 id = kassa_invoice_get_id (invoice);
  GListModel *lines;
  guint n_lines;

  totals = compute_totals (invoice, error);
  if (totals == NULL)
    return FALSE;

  {
    g_autoptr(KassaStatement) stmt = NULL;

    if (id == 0)
      stmt = kassa_database_prepare (self->database,
                                     "INSERT INTO invoice (kind, credited_invoice_id, order_id, customer_id, "
                                     "buyer_name, buyer_email, buyer_address, currency, prices_include_tax, "
                                     "tax_scope, rounding, issue_date, due_date, untaxed, tax, total, "
                                     "public_token, created_at) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                                     "?16, ?17, ?18)",
                                     error);
    else
      stmt = kassa_database_prepare (self->database,
                                     "UPDATE invoice SET kind = ?1, credited_invoice_id = ?2, order_id = ?3, "
                                     "customer_id = ?4, buyer_name = ?5, buyer_email = ?6, buyer_address = ?7, "
                                     "currency = ?8, prices_include_tax = ?9, tax_scope = ?10, rounding = ?11, "
                                     "issue_date = ?12, due_date = ?13, untaxed = ?14, tax = ?15, total = ?16, "
                                     "public_token = ?17 "
                                     "WHERE id = ?19 AND status = 'draft'",
                                     error);
    if (stmt == NULL)
      return FALSE;

    sqlite3_bind_text (stmt, 1, kassa_store_enum_to_text (KASSA_TYPE_INVOICE_KIND,
                                                          kassa_invoice_get_kind (invoice)), -1, SQLITE_STATIC);
    kassa_sql_bind_id_or_null (stmt, 2, kassa_invoice_get_credited_invoice_id (invoice));
    kassa_sql_bind_id_or_null (stmt, 3, kassa_invoice_get_order_id (invoice));
    sqlite3_bind_int64 (stmt, 4, kassa_invoice_get_customer_id (invoice));
    sqlite3_bind_text (stmt, 5, kassa_invoice_get_buyer_name (invoice) ?: "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 6, kassa_invoice_get_buyer_email (invoice) ?: "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 7, kassa_invoice_get_buyer_address (invoice) ?: "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 8, kassa_invoice_get_currency_code (invoice), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int (stmt, 9, kassa_invoice_get_prices_include_tax (invoice) ? 1 : 0);
    sqlite3_bind_text (stmt, 10, kassa_store_enum_to_text (KASSA_TYPE_TAX_SCOPE,
                                                           kassa_invoice_get_tax_scope (invoice)), -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 11, kassa_store_enum_to_text (KASSA_TYPE_ROUNDING_MODE,
                                                           kassa_invoice_get_rounding (invoice)), -1, SQLITE_STATIC);
    kassa_sql_bind_time_or_null (stmt, 12, kassa_invoice_get_issue_date (invoice));
    kassa_sql_bind_time_or_null (stmt, 13, kassa_invoice_get_due_date (invoice));
    sqlite3_bind_int64 (stmt, 14, kassa_totals_get_untaxed (totals));
    sqlite3_bind_int64 (stmt, 15, kassa_totals_get_tax (totals));
    sqlite3_bind_int64 (stmt, 16, kassa_totals_get_total (totals));
    kassa_sql_bind_text_or_null (stmt, 17, kassa_invoice_get_public_token (invoice));
    if (id == 0)
      sqlite3_bind_text (stmt, 18, kassa_store_now_text (), -1, g_free);
    else
      sqlite3_bind_int64 (stmt, 19, id);

    if (!kassa_sql_run (self->database, stmt, _("Saving the invoice"), error))
      return FALSE;

    if (id == 0)
      {
        id = sqlite3_last_insert_rowid (db);
      }
    else if (sqlite3_changes (db) == 0)
      {
        g_autoptr(KassaStatement) probe = NULL;

        probe = kassa_database_prepare (self->database, "SELECT status FROM invoice WHERE id = ?1", error);
        if (probe == NULL)
          return FALSE;

        sqlite3_bind_int64 (probe, 1, id);
        if (sqlite3_step (probe) != SQLITE_ROW)
          return not_found (error, id);

        g_set_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED,
                     _("Invoice %" PRId64 " is issued; credit it instead of changing it"), id);
        return FALSE;
      }
  }

  {
    g_autoptr(KassaStatement) stmt = NULL;

    stmt = kassa_database_prepare (self->database, "DELETE FROM invoice_line WHERE invoice_id = ?1", error);
    if (stmt == NULL)
      return FALSE;

    sqlite3_bind_int64 (stmt, 1, id);
    if (!kassa_sql_run (self->database, stmt, _("Saving the invoice lines"), error))
      return FALSE;
  }

  lines = kassa_invoice_get_lines (invoice);
  n_lines = g_list_model_get_n_items (lines);
  g_assert (kassa_totals_get_n_lines (totals) == n_lines);

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(KassaInvoiceLine) line = g_list_model_get_item (lines, i);
      g_autoptr(KassaStatement) stmt = NULL;
      const KassaLineTotals *line_totals = kassa_totals_get_line (totals, i);

      stmt = kassa_database_prepare (self->database,
                                     "INSERT INTO invoice_line (invoice_id, position, name, description, "
                                     "quantity, unit_price, tax_rate, net, tax) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                     error);
      if (stmt == NULL)
        return FALSE;

      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, i);
      kassa_sql_bind_text_or_null (stmt, 3, kassa_invoice_line_get_name (line));
      sqlite3_bind_text (stmt, 4, kassa_invoice_line_get_description (line) ?: "", -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 5, kassa_invoice_line_get_quantity (line));
      sqlite3_bind_int64 (stmt, 6, kassa_invoice_line_get_unit_price (line));
      sqlite3_bind_int64 (stmt, 7, kassa_invoice_line_get_tax_rate (line));
      sqlite3_bind_int64 (stmt, 8, line_totals->net);
      sqlite3_bind_int64 (stmt, 9, line_totals->tax);

      if (!kassa_sql_run (self->database, stmt, _("Saving the invoice lines"), error))
        return FALSE;
    }

  *out_id = id;
  return TRUE;
}

/* A draft with the same content, to try the domain's issue rules on
 * before a number is spent: the caller's invoice changes only once the
 * number is stored. */
static KassaInvoice *
copy_as_draft (KassaInvoice *invoice,
               gint64        id)
{
  KassaInvoice *copy;
  GListModel *lines = kassa_invoice_get_lines (invoice);
  guint n = g_list_model_get_n_items (lines);

  copy = g_object_new (KASSA_TYPE_INVOICE,
                       "id", id,
                       "kind", kassa_invoice_get_kind (invoice),
                       "credited-invoice-id", kassa_invoice_get_credited_invoice_id (invoice),
                       "customer-id", kassa_invoice_get_customer_id (invoice),
                       "currency-code", kassa_invoice_get_currency_code (invoice),
                       "due-date", kassa_invoice_get_due_date (invoice),
                       "prices-include-tax", kassa_invoice_get_prices_include_tax (invoice),
                       "tax-scope", kassa_invoice_get_tax_scope (invoice),
                       "rounding", kassa_invoice_get_rounding (invoice),
                       NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KassaInvoiceLine) line = g_list_model_get_item (lines, i);
      g_autoptr(KassaInvoiceLine) line_copy = NULL;

      line_copy = g_object_new (KASSA_TYPE_INVOICE_LINE,
                                "name", kassa_invoice_line_get_name (line),
                                "description", kassa_invoice_line_get_description (line),
                                "quantity", kassa_invoice_line_get_quantity (line),
                                "unit-price", kassa_invoice_line_get_unit_price (line),
                                "tax-rate", kassa_invoice_line_get_tax_rate (line),
                                NULL);
      kassa_invoice_add_line (copy, line_copy, NULL);
    }

  return copy;
}

/* What the issued credit notes of @invoice_id credit so far. */
static gboolean
query_credited_total (KassaInvoiceRepository  *self,
                      gint64                   invoice_id,
                      gint64                  *out_total,
                      GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  stmt = kassa_database_prepare (self->database,
                                 "SELECT coalesce (sum (total), 0) FROM invoice "
                                 "WHERE credited_invoice_id = ?1 AND kind = 'credit-note' AND status <> 'draft'",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, invoice_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Adding up credit notes"));
      return FALSE;
    }

  *out_total = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* The rules a credit note's number depends on and the schema cannot
 * say in one line: it credits at most what is left of the invoice. */
static gboolean
check_credit_note (KassaInvoiceRepository  *self,
                   KassaInvoice            *note,
                   gint64                   note_total,
                   GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  gint64 credited_id = kassa_invoice_get_credited_invoice_id (note);
  gint64 invoice_total;
  gint64 credited;

  stmt = kassa_database_prepare (self->database,
                                 "SELECT kind, status, currency, customer_id, total, reference "
                                 "FROM invoice WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, credited_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return not_found (error, credited_id);

  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "invoice") != 0 ||
      g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), "draft") == 0)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION,
                           _("A credit note credits an issued invoice"));
      return FALSE;
    }

  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), kassa_invoice_get_currency_code (note)) != 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_CURRENCY_MISMATCH,
                   _("Invoice %s is in %s; its credit note must be too"),
                   sqlite3_column_text (stmt, 5), sqlite3_column_text (stmt, 2));
      return FALSE;
    }

  if (sqlite3_column_int64 (stmt, 3) != kassa_invoice_get_customer_id (note))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("A credit note for invoice %s goes to that invoice’s customer"),
                   sqlite3_column_text (stmt, 5));
      return FALSE;
    }

  invoice_total = sqlite3_column_int64 (stmt, 4);
  kassa_statement_release (g_steal_pointer (&stmt));

  if (!query_credited_total (self, credited_id, &credited, error))
    return FALSE;

  if (note_total <= 0 || note_total > invoice_total - credited)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("A credit note must credit more than nothing and at most the %" PRId64
                     " minor units not yet credited"),
                   invoice_total - credited);
      return FALSE;
    }

  return TRUE;
}

static gboolean
query_last_number (KassaInvoiceRepository  *self,
                   KassaInvoiceKind         kind,
                   guint                    year,
                   guint64                 *out_last,
                   GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  stmt = kassa_database_prepare (self->database,
                                 "SELECT last_value FROM invoice_sequence WHERE kind = ?1 AND year = ?2",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, kassa_store_enum_to_text (KASSA_TYPE_INVOICE_KIND, kind), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, year);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_last = sqlite3_column_int64 (stmt, 0);
      return TRUE;
    }

  if (rc == SQLITE_DONE)
    {
      *out_last = 0;
      return TRUE;
    }

  kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                     _("Reading the invoice numbers"));
  return FALSE;
}

typedef struct
{
  gint64  id;
  int     kind;
  int     status;
  char   *reference;
  gint64  credited_invoice_id;
  gint64  order_id;
  gint64  customer_id;
  char   *buyer_name;
  char   *buyer_email;
  char   *buyer_address;
  char   *currency;
  gboolean prices_include_tax;
  int     tax_scope;
  int     rounding;
  char   *issue_date;
  char   *due_date;
  gint64  paid_amount;
  char   *paid_method;
  char   *paid_at;
  char   *public_token;
} InvoiceRow;

static void
invoice_row_clear (InvoiceRow *row)
{
  g_free (row->reference);
  g_free (row->buyer_name);
  g_free (row->buyer_email);
  g_free (row->buyer_address);
  g_free (row->currency);
  g_free (row->issue_date);
  g_free (row->due_date);
  g_free (row->paid_method);
  g_free (row->paid_at);
  g_free (row->public_token);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (InvoiceRow, invoice_row_clear)

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gboolean
read_row (sqlite3_stmt  *stmt,
          InvoiceRow    *row,
          GError       **error)
{
  row->id = sqlite3_column_int64 (stmt, 0);
  row->reference = column_dup (stmt, 3);
  row->credited_invoice_id = sqlite3_column_int64 (stmt, 4);
  row->order_id = sqlite3_column_int64 (stmt, 5);
  row->customer_id = sqlite3_column_int64 (stmt, 6);
  row->buyer_name = column_dup (stmt, 7);
  row->buyer_email = column_dup (stmt, 8);
  row->buyer_address = column_dup (stmt, 9);
  row->currency = column_dup (stmt, 10);
  row->prices_include_tax = sqlite3_column_int (stmt, 11) != 0;
  row->issue_date = column_dup (stmt, 14);
  row->due_date = column_dup (stmt, 15);
  row->paid_amount = sqlite3_column_int64 (stmt, 16);
  row->paid_method = column_dup (stmt, 17);
  row->paid_at = column_dup (stmt, 18);
  row->public_token = column_dup (stmt, 19);

  return kassa_store_enum_from_text (KASSA_TYPE_INVOICE_KIND, (const char *) sqlite3_column_text (stmt, 1),
                                     &row->kind, error) &&
         kassa_store_enum_from_text (KASSA_TYPE_INVOICE_STATUS, (const char *) sqlite3_column_text (stmt, 2),
                                     &row->status, error) &&
         kassa_store_enum_from_text (KASSA_TYPE_TAX_SCOPE, (const char *) sqlite3_column_text (stmt, 12),
                                     &row->tax_scope, error) &&
         kassa_store_enum_from_text (KASSA_TYPE_ROUNDING_MODE, (const char *) sqlite3_column_text (stmt, 13),
                                     &row->rounding, error);
}

static gboolean
optional_time (const char  *text,
               GDateTime  **out_time,
               GError     **error)
{
  *out_time = NULL;

  if (text == NULL)
    return TRUE;

  *out_time = kassa_store_time_from_text (text, error);
  return *out_time != NULL;
}

static gboolean
load_lines (KassaInvoiceRepository  *self,
            KassaInvoice            *invoice,
            GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  stmt = kassa_database_prepare (self->database,
                                 "SELECT name, description, quantity, unit_price, tax_rate "
                                 "FROM invoice_line WHERE invoice_id = ?1 ORDER BY position",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, kassa_invoice_get_id (invoice));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(KassaInvoiceLine) line = kassa_invoice_line_new ();

      if (!kassa_invoice_line_set_name (line, (const char *) sqlite3_column_text (stmt, 0), error) ||
          !kassa_invoice_line_set_description (line, (const char *) sqlite3_column_text (stmt, 1), error) ||
          !kassa_invoice_line_set_quantity (line, sqlite3_column_int64 (stmt, 2), error) ||
          !kassa_invoice_line_set_unit_price (line, sqlite3_column_int64 (stmt, 3), error) ||
          !kassa_invoice_line_set_tax_rate (line, sqlite3_column_int64 (stmt, 4), error) ||
          !kassa_invoice_add_line (invoice, line, error))
        return FALSE;
    }

  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading the invoice lines"));
      return FALSE;
    }

  return TRUE;
}

/* Builds the draft, adds its lines, then replays its status through the
 * domain's own rules, so a damaged row fails here rather than later. */
static KassaInvoice *
invoice_from_row (KassaInvoiceRepository  *self,
                  const InvoiceRow        *row,
                  GError                 **error)
{
  g_autoptr(KassaInvoice) invoice = kassa_invoice_new ();
  g_autoptr(GDateTime) issue_date = NULL;
  g_autoptr(GDateTime) due_date = NULL;
  g_autoptr(GDateTime) paid_at = NULL;

  if (!optional_time (row->issue_date, &issue_date, error) ||
      !optional_time (row->due_date, &due_date, error) ||
      !optional_time (row->paid_at, &paid_at, error))
    return NULL;

  kassa_invoice_set_id (invoice, row->id);

  if (!kassa_invoice_set_kind (invoice, row->kind, error) ||
      !kassa_invoice_set_credited_invoice_id (invoice, row->credited_invoice_id, error) ||
      !kassa_invoice_set_order_id (invoice, row->order_id, error) ||
      !kassa_invoice_set_customer_id (invoice, row->customer_id, error) ||
      !kassa_invoice_set_buyer_name (invoice, row->buyer_name, error) ||
      !kassa_invoice_set_buyer_email (invoice, row->buyer_email, error) ||
      !kassa_invoice_set_buyer_address (invoice, row->buyer_address, error) ||
      !kassa_invoice_set_currency_code (invoice, row->currency, error) ||
      !kassa_invoice_set_prices_include_tax (invoice, row->prices_include_tax, error) ||
      !kassa_invoice_set_tax_scope (invoice, row->tax_scope, error) ||
      !kassa_invoice_set_rounding (invoice, row->rounding, error) ||
      !kassa_invoice_set_due_date (invoice, due_date, error) ||
      !kassa_invoice_set_public_token (invoice, row->public_token, error) ||
      !load_lines (self, invoice, error))
    return NULL;

  if (row->status == KASSA_INVOICE_STATUS_DRAFT)
    {
      if (!kassa_invoice_set_issue_date (invoice, issue_date, error))
        return NULL;

      return g_steal_pointer (&invoice);
    }

  if (!kassa_invoice_issue (invoice, row->reference, issue_date, error))
    return NULL;

  if (paid_at != NULL || row->paid_amount != 0)
    {
      kassa_invoice_set_paid_amount (invoice, row->paid_amount);
      kassa_invoice_set_paid_method (invoice, row->paid_method);
      kassa_invoice_set_paid_at (invoice, paid_at);
    }

  if (row->status == KASSA_INVOICE_STATUS_PAID || row->status == KASSA_INVOICE_STATUS_CREDITED)
    {
      /* A credited invoice may have been paid first; replay both steps. */
      if (row->status == KASSA_INVOICE_STATUS_CREDITED && row->paid_amount > 0 &&
          !kassa_invoice_set_status (invoice, KASSA_INVOICE_STATUS_PAID, error))
        return NULL;

      if (!kassa_invoice_set_status (invoice, row->status, error))
        return NULL;
    }

  return g_steal_pointer (&invoice);
}

static KassaInvoice *
load_where (KassaInvoiceRepository  *self,
            const char              *sql,
            const char              *key_text,
            gint64                   key_id,
            GError                 **error)
{
  g_auto(InvoiceRow) row = { 0 };
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  stmt = kassa_database_prepare (self->database, sql, error);
  if (stmt == NULL)
    return NULL;

  if (key_text != NULL)
    sqlite3_bind_text (stmt, 1, key_text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, key_id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      if (key_text != NULL)
        g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND, _("There is no invoice “%s”"), key_text);
      else
        not_found (error, key_id);
      return NULL;
    }

  if (rc != SQLITE_ROW)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading the invoice"));
      return NULL;
    }

  if (!read_row (stmt, &row, error))
    return NULL;

  /* The lines come from another statement: let go of this one first. */
  kassa_statement_release (g_steal_pointer (&stmt));

  return invoice_from_row (self, &row, error);
}

static void
bind_filter (sqlite3_stmt             *stmt,
             const KassaInvoiceFilter *filter)
{
  if (filter != NULL && filter->status >= 0)
    sqlite3_bind_text (stmt, 1, kassa_store_enum_to_text (KASSA_TYPE_INVOICE_STATUS, filter->status),
                       -1, SQLITE_STATIC);
  if (filter != NULL && filter->kind >= 0)
    sqlite3_bind_text (stmt, 2, kassa_store_enum_to_text (KASSA_TYPE_INVOICE_KIND, filter->kind),
                       -1, SQLITE_STATIC);
  if (filter != NULL && filter->year > 0)
    sqlite3_bind_int64 (stmt, 3, filter->year);
  if (filter != NULL && filter->customer_id > 0)
    sqlite3_bind_int64 (stmt, 4, filter->customer_id);
}

/* Loads the invoices of @stmt's first column, after the statement is
 * done with: loading uses statements of its own. */
static GPtrArray *
load_ids (KassaInvoiceRepository  *self,
          KassaStatement          *statement,
          GError                 **error)
{
  g_autoptr(KassaStatement) stmt = statement;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) invoices = NULL;
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }

  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Listing invoices"));
      return NULL;
    }

  kassa_statement_release (g_steal_pointer (&stmt));

  invoices = g_ptr_array_new_full (ids->len, g_object_unref);
  for (guint i = 0; i < ids->len; i++)
    {
      KassaInvoice *invoice = kassa_invoice_repository_load (self, g_array_index (ids, gint64, i), error);

      if (invoice == NULL)
        return NULL;

      g_ptr_array_add (invoices, invoice);
    }

  return g_steal_pointer (&invoices);
}

static void
kassa_invoice_repository_dispose (GObject *object)
{
  KassaInvoiceRepository *self = (KassaInvoiceRepository *) object;

  g_clear_object (&self->database);

  G_OBJECT_CLASS (kassa_invoice_repository_parent_class)->dispose (object);
}

static void
kassa_invoice_repository_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  KassaInvoiceRepository *self = KASSA_INVOICE_REPOSITORY (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      g_value_set_object (value, self->database);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_invoice_repository_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  KassaInvoiceRepository *self = KASSA_INVOICE_REPOSITORY (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      self->database = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_invoice_repository_class_init (KassaInvoiceRepositoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kassa_invoice_repository_dispose;
  object_class->get_property = kassa_invoice_repository_get_property;
  object_class->set_property = kassa_invoice_repository_set_property;

  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL,
                         KASSA_TYPE_DATABASE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_invoice_repository_init (KassaInvoiceRepository *self)
{
}

KassaInvoiceRepository *
kassa_invoice_repository_new (KassaDatabase *database)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (database), NULL);

  return g_object_new (KASSA_TYPE_INVOICE_REPOSITORY,
                       "database", database,
                       NULL);
}

KassaDatabase *
kassa_invoice_repository_get_database (KassaInvoiceRepository *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE_REPOSITORY (self), NULL);

  return self->database;
}

gboolean
kassa_invoice_repository_save_draft (KassaInvoiceRepository  *self,
                                     KassaInvoice            *invoice,
                                     GError                 **error)
{
  gint64 id = 0;

  g_return_val_if_fail (KASSA_IS_INVOICE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (KASSA_IS_INVOICE (invoice), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (kassa_invoice_is_locked (invoice))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED,
                   _("Invoice %s is issued; credit it instead of changing it"),
                   kassa_invoice_get_reference (invoice));
      return FALSE;
    }

  if (!check_savable (invoice, error))
    return FALSE;

  if (!kassa_database_begin (self->database, error))
    return FALSE;

  if (!write_draft (self, invoice, &id, error))
    return kassa_database_abort (self->database);

  if (!kassa_database_commit (self->database, error))
    return FALSE;

  kassa_invoice_set_id (invoice, id);
  return TRUE;
}

gboolean
kassa_invoice_repository_delete_draft (KassaInvoiceRepository  *self,
                                       gint64                   id,
                                       GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  sqlite3 *db;

  g_return_val_if_fail (KASSA_IS_INVOICE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (id > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  db = kassa_database_get_handle (self->database);

  /* Lines go with it (ON DELETE CASCADE); the trigger refuses issued ones. */
  stmt = kassa_database_prepare (self->database, "DELETE FROM invoice WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  if (!kassa_sql_run (self->database, stmt, _("Deleting the draft invoice"), error))
    return FALSE;

  if (sqlite3_changes (db) == 0)
    return not_found (error, id);

  return TRUE;
}

gboolean
kassa_invoice_repository_issue (KassaInvoiceRepository    *self,
                                KassaInvoice              *invoice,
                                KassaInvoiceNumberFormat  *format,
                                GDateTime                 *issue_time,
                                GDateTime                 *due_date,
                                const char                *public_token,
                                GError                   **error)
{
  g_autoptr(KassaInvoice) trial = NULL;
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *reference = NULL;
  KassaInvoiceKind kind;
  guint64 last = 0;
  gint64 id = 0;
  guint year;

  g_return_val_if_fail (KASSA_IS_INVOICE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (KASSA_IS_INVOICE (invoice), FALSE);
  g_return_val_if_fail (format != NULL, FALSE);
  g_return_val_if_fail (issue_time != NULL, FALSE);
  g_return_val_if_fail (public_token != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_invoice_status_check_transition (kassa_invoice_get_status (invoice),
                                              KASSA_INVOICE_STATUS_ISSUED, error))
    return FALSE;

  if (!kassa_invoice_token_is_valid (public_token))
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("A public token needs at least 22 URL-safe characters (128 bits)"));
      return FALSE;
    }

  if (!check_savable (invoice, error))
    return FALSE;

  kind = kassa_invoice_get_kind (invoice);
  year = g_date_time_get_year (issue_time);

  if (!kassa_database_begin (self->database, error))
    return FALSE;

  if (!write_draft (self, invoice, &id, error) ||
      !query_last_number (self, kind, year, &last, error))
    return kassa_database_abort (self->database);

  reference = kassa_invoice_number_format_format (format, year, g_date_time_get_month (issue_time),
                                                  last + 1, error);
  if (reference == NULL)
    return kassa_database_abort (self->database);

  /* The domain's rules decide on a copy, so a refusal leaves the
   * caller's invoice as it was and the number unspent. */
  trial = copy_as_draft (invoice, id);
  if ((due_date != NULL && !kassa_invoice_set_due_date (trial, due_date, error)) ||
      !kassa_invoice_set_public_token (trial, public_token, error) ||
      !kassa_invoice_issue (trial, reference, issue_time, error))
    return kassa_database_abort (self->database);

  totals = compute_totals (trial, error);
  if (totals == NULL)
    return kassa_database_abort (self->database);

  if (kind == KASSA_INVOICE_KIND_CREDIT_NOTE &&
      !check_credit_note (self, trial, kassa_totals_get_total (totals), error))
    return kassa_database_abort (self->database);

  stmt = kassa_database_prepare (self->database,
                                 "UPDATE invoice SET status = 'issued', reference = ?2, sequence_year = ?3, "
                                 "sequence_value = ?4, issue_date = ?5, due_date = ?6, public_token = ?7, "
                                 "untaxed = ?8, tax = ?9, total = ?10, issued_at = ?5 "
                                 "WHERE id = ?1 AND status = 'draft'",
                                 error);
  if (stmt == NULL)
    return kassa_database_abort (self->database);

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, reference, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, year);
  sqlite3_bind_int64 (stmt, 4, (gint64) last + 1);
  kassa_sql_bind_time_or_null (stmt, 5, issue_time);
  kassa_sql_bind_time_or_null (stmt, 6, kassa_invoice_get_due_date (trial));
  sqlite3_bind_text (stmt, 7, public_token, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, kassa_totals_get_untaxed (totals));
  sqlite3_bind_int64 (stmt, 9, kassa_totals_get_tax (totals));
  sqlite3_bind_int64 (stmt, 10, kassa_totals_get_total (totals));

  if (!kassa_sql_run (self->database, stmt, _("Issuing the invoice"), error))
    return kassa_database_abort (self->database);

  kassa_statement_release (g_steal_pointer (&stmt));

  if (!kassa_database_commit (self->database, error))
    return FALSE;

  /* Stored: now the caller's invoice follows, by the same rules the
   * copy has just passed. */
  kassa_invoice_set_id (invoice, id);
  if ((due_date != NULL && !kassa_invoice_set_due_date (invoice, due_date, error)) ||
      !kassa_invoice_set_public_token (invoice, public_token, error) ||
      !kassa_invoice_issue (invoice, reference, issue_time, error))
    g_return_val_if_reached (FALSE);

  return TRUE;
}

gboolean
kassa_invoice_repository_record_payment (KassaInvoiceRepository  *self,
                                         KassaInvoice            *invoice,
                                         gint64                   amount,
                                         const char              *method,
                                         GDateTime               *paid_at,
                                         GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  sqlite3 *db;

  g_return_val_if_fail (KASSA_IS_INVOICE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (KASSA_IS_INVOICE (invoice), FALSE);
  g_return_val_if_fail (paid_at != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_invoice_status_check_transition (kassa_invoice_get_status (invoice),
                                              KASSA_INVOICE_STATUS_PAID, error))
    return FALSE;

  if (amount <= 0)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("A payment must be more than zero"));
      return FALSE;
    }

  db = kassa_database_get_handle (self->database);
  stmt = kassa_database_prepare (self->database,
                                 "UPDATE invoice SET status = 'paid', paid_amount = ?2, paid_method = ?3, "
                                 "paid_at = ?4 WHERE id = ?1 AND status = 'issued'",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, kassa_invoice_get_id (invoice));
  sqlite3_bind_int64 (stmt, 2, amount);
  sqlite3_bind_text (stmt, 3, method != NULL ? method : "", -1, SQLITE_TRANSIENT);
  kassa_sql_bind_time_or_null (stmt, 4, paid_at);

  if (!kassa_sql_run (self->database, stmt, _("Recording the payment"), error))
    return FALSE;

  /* Another window or till got there first: the stored invoice is no
   * longer the issued one this object shows. */
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION,
                   _("Invoice %s is no longer waiting for payment"), kassa_invoice_get_reference (invoice));
      return FALSE;
    }

  if (!kassa_invoice_record_payment (invoice, amount, method, paid_at, error))
    g_return_val_if_reached (FALSE);

  return TRUE;
}

gboolean
kassa_invoice_repository_mark_credited (KassaInvoiceRepository  *self,
                                        KassaInvoice            *invoice,
                                        GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  KassaInvoiceStatus status;

  g_return_val_if_fail (KASSA_IS_INVOICE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (KASSA_IS_INVOICE (invoice), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  status = kassa_invoice_get_status (invoice);
  if (!kassa_invoice_status_check_transition (status, KASSA_INVOICE_STATUS_CREDITED, error))
    return FALSE;

  if (kassa_invoice_get_kind (invoice) != KASSA_INVOICE_KIND_INVOICE)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION,
                           _("A credit note cannot itself be credited"));
      return FALSE;
    }

  stmt = kassa_database_prepare (self->database,
                                 "UPDATE invoice SET status = 'credited' WHERE id = ?1 AND status = ?2",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, kassa_invoice_get_id (invoice));
  sqlite3_bind_text (stmt, 2, kassa_store_enum_to_text (KASSA_TYPE_INVOICE_STATUS, status), -1, SQLITE_STATIC);

  if (!kassa_sql_run (self->database, stmt, _("Marking the invoice credited"), error))
    return FALSE;

  if (sqlite3_changes (kassa_database_get_handle (self->database)) == 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION,
                   _("Invoice %s has changed since it was loaded"), kassa_invoice_get_reference (invoice));
      return FALSE;
    }

  if (!kassa_invoice_set_status (invoice, KASSA_INVOICE_STATUS_CREDITED, error))
    g_return_val_if_reached (FALSE);

  return TRUE;
}

KassaInvoice *
kassa_invoice_repository_load (KassaInvoiceRepository  *self,
                               gint64                   id,
                               GError                 **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_where (self, "SELECT " INVOICE_COLUMNS " FROM invoice WHERE id = ?1", NULL, id, error);
}

KassaInvoice *
kassa_invoice_repository_load_by_reference (KassaInvoiceRepository  *self,
                                            const char              *reference,
                                            GError                 **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE_REPOSITORY (self), NULL);
  g_return_val_if_fail (reference != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_where (self, "SELECT " INVOICE_COLUMNS " FROM invoice WHERE reference = ?1",
                     reference, 0, error);
}

KassaInvoice *
kassa_invoice_repository_load_by_token (KassaInvoiceRepository  *self,
                                        const char              *public_token,
                                        GError                 **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE_REPOSITORY (self), NULL);
  g_return_val_if_fail (public_token != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A draft's link is not public yet: only issued invoices answer. */
  return load_where (self, "SELECT " INVOICE_COLUMNS " FROM invoice WHERE public_token = ?1 AND status <> 'draft'",
                     public_token, 0, error);
}

KassaInvoice *
kassa_invoice_repository_load_for_order (KassaInvoiceRepository  *self,
                                         gint64                   order_id,
                                         GError                 **error)
{
  g_autoptr(GError) local_error = NULL;
  KassaInvoice *invoice;

  g_return_val_if_fail (KASSA_IS_INVOICE_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A draft has no public page yet, and a credit note is not what the
   * customer pays: only the order's issued invoice answers. */
  invoice = load_where (self,
                        "SELECT " INVOICE_COLUMNS " FROM invoice WHERE order_id = ?1 AND kind = 'invoice' "
                        "AND status <> 'draft' ORDER BY issued_at DESC, id DESC LIMIT 1",
                        NULL, order_id, &local_error);
  if (invoice == NULL)
    {
      if (g_error_matches (local_error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND))
        g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                     _("Order %" PRId64 " has no issued invoice"), order_id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
    }

  return invoice;
}

gboolean
kassa_invoice_repository_get_hosted_url (KassaInvoiceRepository  *self,
                                         gint64                   id,
                                         char                   **out_url,
                                         GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_INVOICE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (out_url != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database, "SELECT hosted_invoice_url FROM invoice WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return not_found (error, id);
  if (rc != SQLITE_ROW)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading the invoice"));
      return FALSE;
    }

  *out_url = g_strdup ((const char *) sqlite3_column_text (stmt, 0));

  return TRUE;
}

gboolean
kassa_invoice_repository_set_hosted_url (KassaInvoiceRepository  *self,
                                         gint64                   id,
                                         const char              *url,
                                         GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_INVOICE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database, "UPDATE invoice SET hosted_invoice_url = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, url != NULL ? url : "", -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Saving the invoice's Stripe page"));
      return FALSE;
    }
  if (sqlite3_changes (kassa_database_get_handle (self->database)) == 0)
    return not_found (error, id);

  return TRUE;
}

GPtrArray *
kassa_invoice_repository_list (KassaInvoiceRepository    *self,
                               const KassaInvoiceFilter  *filter,
                               guint                      offset,
                               guint                      limit,
                               GError                   **error)
{
  g_autoptr(KassaStatement) stmt = NULL;

  g_return_val_if_fail (KASSA_IS_INVOICE_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT id FROM invoice " FILTER_WHERE
                                 "ORDER BY coalesce (issued_at, created_at) DESC, id DESC "
                                 "LIMIT ?5 OFFSET ?6",
                                 error);
  if (stmt == NULL)
    return NULL;

  bind_filter (stmt, filter);
  sqlite3_bind_int64 (stmt, 5, limit > 0 ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, 6, offset);

  return load_ids (self, g_steal_pointer (&stmt), error);
}

gboolean
kassa_invoice_repository_count (KassaInvoiceRepository    *self,
                                const KassaInvoiceFilter  *filter,
                                guint64                   *out_count,
                                GError                   **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_INVOICE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (out_count != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database, "SELECT count (*) FROM invoice " FILTER_WHERE, error);
  if (stmt == NULL)
    return FALSE;

  bind_filter (stmt, filter);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Counting invoices"));
      return FALSE;
    }

  *out_count = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

GPtrArray *
kassa_invoice_repository_list_credit_notes (KassaInvoiceRepository  *self,
                                            gint64                   invoice_id,
                                            GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;

  g_return_val_if_fail (KASSA_IS_INVOICE_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT id FROM invoice "
                                 "WHERE credited_invoice_id = ?1 AND kind = 'credit-note' AND status <> 'draft' "
                                 "ORDER BY sequence_year, sequence_value",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, invoice_id);

  return load_ids (self, g_steal_pointer (&stmt), error);
}

gboolean
kassa_invoice_repository_get_credited_total (KassaInvoiceRepository  *self,
                                             gint64                   invoice_id,
                                             gint64                  *out_total,
                                             GError                 **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (out_total != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return query_credited_total (self, invoice_id, out_total, error);
}

gboolean
kassa_invoice_repository_get_stored_totals (KassaInvoiceRepository  *self,
                                            gint64                   id,
                                            gint64                  *out_untaxed,
                                            gint64                  *out_tax,
                                            gint64                  *out_total,
                                            GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_INVOICE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database, "SELECT untaxed, tax, total FROM invoice WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return not_found (error, id);

  if (rc != SQLITE_ROW)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading the invoice"));
      return FALSE;
    }

  if (out_untaxed != NULL)
    *out_untaxed = sqlite3_column_int64 (stmt, 0);
  if (out_tax != NULL)
    *out_tax = sqlite3_column_int64 (stmt, 1);
  if (out_total != NULL)
    *out_total = sqlite3_column_int64 (stmt, 2);

  return TRUE;
}

/**
 * kassa_invoice_repository_set_stripe_link:
 * @self: a #KassaInvoiceRepository
 * @id: an invoice (issued ones too: the Stripe link is not part of what
 *   issuing freezes)
 * @stripe_invoice_id: (nullable): Stripe's `in_…` id
 * @hosted_invoice_url: (nullable): Stripe's pay page, the invoice's
 *   public link once set
 * @error: a location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
kassa_invoice_repository_set_stripe_link (KassaInvoiceRepository  *self,
                                          gint64                   id,
                                          const char              *stripe_invoice_id,
                                          const char              *hosted_invoice_url,
                                          GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;

  g_return_val_if_fail (KASSA_IS_INVOICE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database,
                                 "UPDATE invoice SET stripe_invoice_id = ?2, hosted_invoice_url = ?3 WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  kassa_sql_bind_text_or_null (stmt, 2, stripe_invoice_id);
  sqlite3_bind_text (stmt, 3, hosted_invoice_url != NULL ? hosted_invoice_url : "", -1, SQLITE_TRANSIENT);
  if (!kassa_sql_run (self->database, stmt, _("Saving the invoice’s Stripe link"), error))
    return FALSE;

  if (sqlite3_changes (kassa_database_get_handle (self->database)) == 0)
    return not_found (error, id);

  return TRUE;
}

/**
 * kassa_invoice_repository_get_stripe_link:
 * @self: a #KassaInvoiceRepository
 * @id: an invoice
 * @out_stripe_invoice_id: (out) (optional) (nullable): Stripe's id, or %NULL
 * @out_hosted_invoice_url: (out) (optional) (nullable): the pay page, or %NULL
 * @error: a location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
kassa_invoice_repository_get_stripe_link (KassaInvoiceRepository  *self,
                                          gint64                   id,
                                          char                   **out_stripe_invoice_id,
                                          char                   **out_hosted_invoice_url,
                                          GError                 **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  const char *url;
  int rc;

  g_return_val_if_fail (KASSA_IS_INVOICE_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT stripe_invoice_id, hosted_invoice_url FROM invoice WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return not_found (error, id);
  if (rc != SQLITE_ROW)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading the invoice"));
      return FALSE;
    }

  url = (const char *) sqlite3_column_text (stmt, 1);
  if (out_stripe_invoice_id != NULL)
    *out_stripe_invoice_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (out_hosted_invoice_url != NULL)
    *out_hosted_invoice_url = url != NULL && *url != '\0' ? g_strdup (url) : NULL;

  return TRUE;
}
