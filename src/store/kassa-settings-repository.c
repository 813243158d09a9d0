/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-settings-repository"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kassa-core-enum-types.h"
#include "kassa-settings-repository.h"
#include "kassa-store-private.h"
#include "kassa-store-sql.h"
#include "kassa-store-text.h"

struct _KassaSettingsRepository
{
  GObject        parent_instance;

  KassaDatabase *database;
};

G_DEFINE_FINAL_TYPE (KassaSettingsRepository, kassa_settings_repository, G_TYPE_OBJECT)

static void
kassa_settings_repository_dispose (GObject *object)
{
  KassaSettingsRepository *self = KASSA_SETTINGS_REPOSITORY (object);

  g_clear_object (&self->database);

  G_OBJECT_CLASS (kassa_settings_repository_parent_class)->dispose (object);
}

static void
kassa_settings_repository_class_init (KassaSettingsRepositoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kassa_settings_repository_dispose;
}

static void
kassa_settings_repository_init (KassaSettingsRepository *self)
{
}

KassaSettingsRepository *
kassa_settings_repository_new (KassaDatabase *database)
{
  KassaSettingsRepository *self;

  g_return_val_if_fail (KASSA_IS_DATABASE (database), NULL);

  self = g_object_new (KASSA_TYPE_SETTINGS_REPOSITORY, NULL);
  self->database = g_object_ref (database);

  return self;
}

KassaStoreProfile *
kassa_settings_repository_load_profile (KassaSettingsRepository  *self,
                                        GError                  **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(KassaStoreProfile) profile = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_SETTINGS_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT name, tagline, address, tax_id, email, phone, website, "
                                 "receipt_footer, logo FROM store_profile WHERE id = 1",
                                 error);
  if (stmt == NULL)
    return NULL;

  profile = kassa_store_profile_new ();
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      kassa_store_profile_set_name (profile, kassa_sql_column_text (stmt, 0));
      kassa_store_profile_set_tagline (profile, kassa_sql_column_text (stmt, 1));
      kassa_store_profile_set_address (profile, kassa_sql_column_text (stmt, 2));
      kassa_store_profile_set_tax_id (profile, kassa_sql_column_text (stmt, 3));
      kassa_store_profile_set_email (profile, kassa_sql_column_text (stmt, 4));
      kassa_store_profile_set_phone (profile, kassa_sql_column_text (stmt, 5));
      kassa_store_profile_set_website (profile, kassa_sql_column_text (stmt, 6));
      kassa_store_profile_set_receipt_footer (profile, kassa_sql_column_text (stmt, 7));

      if (sqlite3_column_type (stmt, 8) == SQLITE_BLOB)
        {
          g_autoptr(GBytes) logo = g_bytes_new (sqlite3_column_blob (stmt, 8),
                                                sqlite3_column_bytes (stmt, 8));
          kassa_store_profile_set_logo (profile, logo);
        }
    }
  else if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading the store profile"));
      return NULL;
    }

  return g_steal_pointer (&profile);
}

gboolean
kassa_settings_repository_save_profile (KassaSettingsRepository  *self,
                                        KassaStoreProfile        *profile,
                                        GError                  **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = NULL;
  GBytes *logo;
  int rc;

  g_return_val_if_fail (KASSA_IS_SETTINGS_REPOSITORY (self), FALSE);
  g_return_val_if_fail (KASSA_IS_STORE_PROFILE (profile), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_store_profile_validate (profile, error))
    return FALSE;

  stmt = kassa_database_prepare (self->database,
                                 "INSERT INTO store_profile (id, name, tagline, address, tax_id, email, phone, "
                                 "website, receipt_footer, logo, updated_at) "
                                 "VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
                                 "ON CONFLICT (id) DO UPDATE SET name = excluded.name, tagline = excluded.tagline, "
                                 "address = excluded.address, tax_id = excluded.tax_id, email = excluded.email, "
                                 "phone = excluded.phone, website = excluded.website, "
                                 "receipt_footer = excluded.receipt_footer, logo = excluded.logo, "
                                 "updated_at = excluded.updated_at",
                                 error);
  if (stmt == NULL)
    return FALSE;

  now = kassa_store_now_text ();
  sqlite3_bind_text (stmt, 1, kassa_store_profile_get_name (profile), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kassa_store_profile_get_tagline (profile), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, kassa_store_profile_get_address (profile), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, kassa_store_profile_get_tax_id (profile), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, kassa_store_profile_get_email (profile), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, kassa_store_profile_get_phone (profile), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, kassa_store_profile_get_website (profile), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, kassa_store_profile_get_receipt_footer (profile), -1, SQLITE_TRANSIENT);

  logo = kassa_store_profile_get_logo (profile);
  if (logo != NULL)
    {
      gsize size;
      gconstpointer data = g_bytes_get_data (logo, &size);

      sqlite3_bind_blob64 (stmt, 9, data, size, SQLITE_TRANSIENT);
    }
  else
    sqlite3_bind_null (stmt, 9);
  sqlite3_bind_text (stmt, 10, now, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Saving the store profile"));
      return FALSE;
    }

  return TRUE;
}

KassaStoreSettings *
kassa_settings_repository_load_settings (KassaSettingsRepository  *self,
                                         const char               *default_currency,
                                         GError                  **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(KassaStoreSettings) settings = NULL;
  int tax_scope, rounding;
  int rc;

  g_return_val_if_fail (KASSA_IS_SETTINGS_REPOSITORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = kassa_database_prepare (self->database,
                                 "SELECT currency, prices_include_tax, tax_scope, rounding, cash_rounding_step, "
                                 "reservation_minutes, allow_negative_stock, delivery_enabled, pickup_enabled, "
                                 "invoice_number_format, credit_note_number_format, invoice_due_days "
                                 "FROM store_settings WHERE id = 1",
                                 error);
  if (stmt == NULL)
    return NULL;

  settings = kassa_store_settings_new ();
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      if (default_currency != NULL)
        kassa_store_settings_set_currency_code (settings, default_currency);
      return g_steal_pointer (&settings);
    }

  if (rc != SQLITE_ROW)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading the store settings"));
      return NULL;
    }

  if (!kassa_store_enum_from_text (KASSA_TYPE_TAX_SCOPE, kassa_sql_column_text (stmt, 2), &tax_scope, error) ||
      !kassa_store_enum_from_text (KASSA_TYPE_ROUNDING_MODE, kassa_sql_column_text (stmt, 3), &rounding, error))
    return NULL;

  kassa_store_settings_set_currency_code (settings, kassa_sql_column_text (stmt, 0));
  kassa_store_settings_set_prices_include_tax (settings, sqlite3_column_int (stmt, 1));
  kassa_store_settings_set_tax_scope (settings, tax_scope);
  kassa_store_settings_set_rounding_mode (settings, rounding);
  kassa_store_settings_set_cash_rounding_step (settings, sqlite3_column_int64 (stmt, 4));
  kassa_store_settings_set_reservation_minutes (settings, sqlite3_column_int (stmt, 5));
  kassa_store_settings_set_allow_negative_stock (settings, sqlite3_column_int (stmt, 6));
  kassa_store_settings_set_delivery_enabled (settings, sqlite3_column_int (stmt, 7));
  kassa_store_settings_set_pickup_enabled (settings, sqlite3_column_int (stmt, 8));
  kassa_store_settings_set_invoice_number_format (settings, kassa_sql_column_text (stmt, 9));
  kassa_store_settings_set_credit_note_number_format (settings, kassa_sql_column_text (stmt, 10));
  kassa_store_settings_set_invoice_due_days (settings, sqlite3_column_int (stmt, 11));

  return g_steal_pointer (&settings);
}

gboolean
kassa_settings_repository_save_settings (KassaSettingsRepository  *self,
                                         KassaStoreSettings       *settings,
                                         GError                  **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *now = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_SETTINGS_REPOSITORY (self), FALSE);
  g_return_val_if_fail (KASSA_IS_STORE_SETTINGS (settings), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_store_settings_validate (settings, error))
    return FALSE;

  stmt = kassa_database_prepare (self->database,
                                 "INSERT INTO store_settings (id, currency, prices_include_tax, tax_scope, rounding, "
                                 "cash_rounding_step, reservation_minutes, allow_negative_stock, delivery_enabled, "
                                 "pickup_enabled, invoice_number_format, credit_note_number_format, invoice_due_days, "
                                 "updated_at) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
                                 "ON CONFLICT (id) DO UPDATE SET currency = excluded.currency, "
                                 "prices_include_tax = excluded.prices_include_tax, tax_scope = excluded.tax_scope, "
                                 "rounding = excluded.rounding, cash_rounding_step = excluded.cash_rounding_step, "
                                 "reservation_minutes = excluded.reservation_minutes, "
                                 "allow_negative_stock = excluded.allow_negative_stock, "
                                 "delivery_enabled = excluded.delivery_enabled, pickup_enabled = excluded.pickup_enabled, "
                                 "invoice_number_format = excluded.invoice_number_format, "
                                 "credit_note_number_format = excluded.credit_note_number_format, "
                                 "invoice_due_days = excluded.invoice_due_days, updated_at = excluded.updated_at",
                                 error);
  if (stmt == NULL)
    return FALSE;

  now = kassa_store_now_text ();
  sqlite3_bind_text (stmt, 1, kassa_store_settings_get_currency_code (settings), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, kassa_store_settings_get_prices_include_tax (settings));
  sqlite3_bind_text (stmt, 3, kassa_store_enum_to_text (KASSA_TYPE_TAX_SCOPE,
                                                        kassa_store_settings_get_tax_scope (settings)),
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, kassa_store_enum_to_text (KASSA_TYPE_ROUNDING_MODE,
                                                        kassa_store_settings_get_rounding_mode (settings)),
                     -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, kassa_store_settings_get_cash_rounding_step (settings));
  sqlite3_bind_int64 (stmt, 6, kassa_store_settings_get_reservation_minutes (settings));
  sqlite3_bind_int (stmt, 7, kassa_store_settings_get_allow_negative_stock (settings));
  sqlite3_bind_int (stmt, 8, kassa_store_settings_get_delivery_enabled (settings));
  sqlite3_bind_int (stmt, 9, kassa_store_settings_get_pickup_enabled (settings));
  sqlite3_bind_text (stmt, 10, kassa_store_settings_get_invoice_number_format (settings), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, kassa_store_settings_get_credit_note_number_format (settings), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 12, kassa_store_settings_get_invoice_due_days (settings));
  sqlite3_bind_text (stmt, 13, now, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Saving the store settings"));
      return FALSE;
    }

  return TRUE;
}

gboolean
kassa_settings_repository_get_text (KassaSettingsRepository  *self,
                                    const char               *key,
                                    char                    **out_value,
                                    GError                  **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_SETTINGS_REPOSITORY (self), FALSE);
  g_return_val_if_fail (key != NULL && key[0] != '\0', FALSE);
  g_return_val_if_fail (out_value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *out_value = NULL;

  stmt = kassa_database_prepare (self->database, "SELECT value FROM settings WHERE key = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading a setting"));
      return FALSE;
    }

  return TRUE;
}

gboolean
kassa_settings_repository_set_text (KassaSettingsRepository  *self,
                                    const char               *key,
                                    const char               *value,
                                    GError                  **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_SETTINGS_REPOSITORY (self), FALSE);
  g_return_val_if_fail (key != NULL && key[0] != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (value != NULL)
    stmt = kassa_database_prepare (self->database,
                                   "INSERT INTO settings (key, value) VALUES (?1, ?2) "
                                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                   error);
  else
    stmt = kassa_database_prepare (self->database, "DELETE FROM settings WHERE key = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Saving a setting"));
      return FALSE;
    }

  return TRUE;
}
