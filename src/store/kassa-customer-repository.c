/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-customer-repository"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "kassa-customer-repository.h"
#include "kassa-error.h"
#include "kassa-store-private.h"
#include "kassa-store-sql.h"
#include "kassa-store-text.h"

struct _KassaCustomerRepository
{
  GObject        parent_instance;

  KassaDatabase *database;
};

G_DEFINE_FINAL_TYPE (KassaCustomerRepository, kassa_customer_repository, G_TYPE_OBJECT)

#define CUSTOMER_COLUMNS "id, name, email, phone, billing_address, shipping_address, is_walk_in"

/* The core keeps "no text" as NULL; the columns hold ''. */
static const char *
text_or_empty (const char *text)
{
  return text != NULL ? text : "";
}

static KassaCustomer *
customer_from_row (sqlite3_stmt *stmt)
{
  KassaCustomer *customer = kassa_customer_new ();

  kassa_customer_set_id (customer, sqlite3_column_int64 (stmt, 0));
  kassa_customer_set_name (customer, kassa_sql_column_text (stmt, 1));
  kassa_customer_set_email (customer, kassa_sql_column_text (stmt, 2));
  kassa_customer_set_phone (customer, kassa_sql_column_text (stmt, 3));
  kassa_customer_set_billing_address (customer, kassa_sql_column_text (stmt, 4));
  kassa_customer_set_shipping_address (customer, kassa_sql_column_text (stmt, 5));
  kassa_customer_set_is_walk_in (customer, sqlite3_column_int (stmt, 6));

  return customer;
}

/* SQLite's LIKE and lower() fold ASCII only; people search "élise" for
 * "Élise". Case folding in GLib covers all of Unicode. */
static void
casefold_func (sqlite3_context  *context,
               int               argc,
               sqlite3_value   **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);
  char *folded;

  if (text == NULL)
    {
      sqlite3_result_null (context);
      return;
    }

  folded = g_utf8_casefold (text, -1);
  sqlite3_result_text (context, folded, -1, g_free);
}

/* The typed prefix as a LIKE pattern that matches it literally. */
static char *
like_prefix_pattern (const char *prefix)
{
  g_autofree char *folded = g_utf8_casefold (prefix, -1);
  GString *pattern = g_string_sized_new (strlen (folded) + 2);

  for (const char *p = folded; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');

  return g_string_free (pattern, FALSE);
}

static GPtrArray *
collect (KassaCustomerRepository  *self,
         sqlite3_stmt             *stmt,
         GError                  **error)
{
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (customers, customer_from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading customers"));
      return NULL;
    }

  return g_steal_pointer (&customers);
}

static void
not_found (GError **error,
           gint64   id)
{
  g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
               _("There is no customer number %" PRId64), id);
}

static void
kassa_customer_repository_dispose (GObject *object)
{
  KassaCustomerRepository *self = KASSA_CUSTOMER_REPOSITORY (object);

  g_clear_object (&self->database);

  G_OBJECT_CLASS (kassa_customer_repository_parent_class)->dispose (object);
}

static void
kassa_customer_repository_class_init (KassaCustomerRepositoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kassa_customer_repository_dispose;
}

static void
kassa_customer_repository_init (KassaCustomerRepository *self)
{
}

KassaCustomerRepository *
kassa_customer_repository_new (KassaDatabase *database)
{
  KassaCustomerRepository *self;

  g_return_val_if_fail (KASSA_IS_DATABASE (database), NULL);

  self = g_object_new (KASSA_TYPE_CUSTOMER_REPOSITORY, NULL);
  self->database = g_object_ref (database);

  sqlite3_create_function_v2 (kassa_database_get_handle (database), "kassa_casefold", 1,
                              SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                              NULL, casefold_func, NULL, NULL, NULL);

  return self;
}

static void
bind_customer (sqlite3_stmt  *stmt,
               KassaCustomer *customer)
{
  sqlite3_bind_text (stmt, 1, text_or_empty (kassa_customer_get_name (customer)), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, text_or_empty (kassa_customer_get_email (customer)), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, text_or_empty (kassa_customer_get_phone (customer)), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, text_or_empty (kassa_customer_get_billing_address (customer)), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, text_or_empty (kassa_customer_get_shipping_address (customer)), -1, SQLITE_TRANSIENT);
}

gboolean
kassa_customer_repository_insert (KassaCustomerRepository  *self,
                                  KassaCustomer            *customer,
                                  GError                  **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KASSA_IS_CUSTOMER_REPOSITORY (self), FALSE);
  g_return_val_if_fail (KASSA_IS_CUSTOMER (customer), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (kassa_customer_get_is_walk_in (customer))
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT,
                   _("There is only one walk-in customer"));
      return FALSE;
    }

  if (!kassa_customer_validate (customer, error))
    return FALSE;

  stmt = kassa_database_prepare (self->database,
                                 "INSERT INTO customer (name, email, phone, billing_address, shipping_address, "
                                 "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                                 error);
  if (stmt == NULL)
    return FALSE;

  now = kassa_store_now_text ();
  bind_customer (stmt, customer);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);

  db = kassa_database_get_handle (self->database);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, db, rc, _("Saving a customer"));
      return FALSE;
    }

  kassa_customer_set_id (customer, sqlite3_last_insert_rowid (db));

  return TRUE;
}

gboolean
kassa_customer_repository_update (KassaCustomerRepository  *self,
                                  KassaCustomer            *customer,
                                  GError                  **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KASSA_IS_CUSTOMER_REPOSITORY (self), FALSE);
  g_return_val_if_fail (KASSA_IS_CUSTOMER (customer), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_customer_validate (customer, error))
    return FALSE;

  /* is_walk_in is not written: no edit turns someone into the walk-in
   * customer or back. */
  stmt = kassa_database_prepare (self->database,
                                 "UPDATE customer SET name = ?1, email = ?2, phone = ?3, billing_address = ?4, "
                                 "shipping_address = ?5, updated_at = ?6 WHERE id = ?7",
                                 error);
  if (stmt == NULL)
    return FALSE;

  now = kassa_store_now_text ();
  bind_customer (stmt, customer);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, kassa_customer_get_id (customer));

  db = kassa_database_get_handle (self->database);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, db, rc, _("Saving a customer"));
      return FALSE;
    }

  if (sqlite3_changes (db) == 0)
    {
      not_found (error, kassa_customer_get_id (customer));
      return FALSE;
    }

  return TRUE;
}

KassaCustomer *
kassa_customer_repository_get (KassaCustomerRepository  *self,
                               gint64                    id,
                               GError                  **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_CUSTOMER_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT " CUSTOMER_COLUMNS " FROM customer WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return customer_from_row (stmt);

  if (rc == SQLITE_DONE)
    not_found (error, id);
  else
    kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                       _("Reading a customer"));

  return NULL;
}

gboolean
kassa_customer_repository_find_by_email (KassaCustomerRepository  *self,
                                         const char               *email,
                                         KassaCustomer           **out_customer,
                                         GError                  **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_CUSTOMER_REPOSITORY (self), FALSE);
  g_return_val_if_fail (email != NULL, FALSE);
  g_return_val_if_fail (out_customer != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *out_customer = NULL;
  if (email[0] == '\0')
    return TRUE;

  /* Written to use the partial index customer_email. */
  stmt = kassa_database_prepare (self->database,
                                 "SELECT " CUSTOMER_COLUMNS " FROM customer "
                                 "WHERE email = ?1 COLLATE NOCASE AND email <> '' AND is_walk_in = 0 "
                                 "ORDER BY id LIMIT 1",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, email, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_customer = customer_from_row (stmt);
  else if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading a customer"));
      return FALSE;
    }

  return TRUE;
}

GPtrArray *
kassa_customer_repository_search (KassaCustomerRepository  *self,
                                  const char               *prefix,
                                  guint                     limit,
                                  GError                  **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *pattern = NULL;

  g_return_val_if_fail (KASSA_IS_CUSTOMER_REPOSITORY (self), NULL);
  g_return_val_if_fail (prefix != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT " CUSTOMER_COLUMNS " FROM customer WHERE is_walk_in = 0 AND ("
                                 "kassa_casefold (name) LIKE ?1 ESCAPE '\\' OR "
                                 "kassa_casefold (email) LIKE ?1 ESCAPE '\\' OR "
                                 "kassa_casefold (phone) LIKE ?1 ESCAPE '\\') "
                                 /* Sort only the matches: walking the name index
                                  * would fold every row before giving up on a
                                  * prefix nobody has. */
                                 "ORDER BY +name COLLATE NOCASE, id LIMIT ?2",
                                 error);
  if (stmt == NULL)
    return NULL;

  pattern = like_prefix_pattern (prefix);
  sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, limit);

  return collect (self, stmt, error);
}

GPtrArray *
kassa_customer_repository_list (KassaCustomerRepository  *self,
                                guint                     offset,
                                guint                     limit,
                                GError                  **error)
{
  g_autoptr(KassaStatement) stmt = NULL;

  g_return_val_if_fail (KASSA_IS_CUSTOMER_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT " CUSTOMER_COLUMNS " FROM customer WHERE is_walk_in = 0 "
                                 "ORDER BY name COLLATE NOCASE, id LIMIT ?1 OFFSET ?2",
                                 error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, limit);
  sqlite3_bind_int64 (stmt, 2, offset);

  return collect (self, stmt, error);
}

gint64
kassa_customer_repository_count (KassaCustomerRepository  *self,
                                 GError                  **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_CUSTOMER_REPOSITORY (self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT count (*) FROM customer WHERE is_walk_in = 0", error);
  if (stmt == NULL)
    return -1;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Counting customers"));
      return -1;
    }

  return sqlite3_column_int64 (stmt, 0);
}

gboolean
kassa_customer_repository_delete (KassaCustomerRepository  *self,
                                  gint64                    id,
                                  GError                  **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (KASSA_IS_CUSTOMER_REPOSITORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self->database, "DELETE FROM customer WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  db = kassa_database_get_handle (self->database);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      if (sqlite3_changes (db) == 0)
        {
          not_found (error, id);
          return FALSE;
        }
      return TRUE;
    }

  /* The schema's trigger and foreign keys speak SQL; say it in words. */
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      if (strstr (sqlite3_errmsg (db), "walk-in") != NULL)
        g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT,
                     _("The walk-in customer cannot be deleted: anonymous sales belong to it"));
      else
        g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT,
                     _("The customer cannot be deleted: orders, invoices or subscriptions refer to them"));
      return FALSE;
    }

  kassa_store_set_error_from_sqlite (error, db, rc, _("Deleting a customer"));
  return FALSE;
}
