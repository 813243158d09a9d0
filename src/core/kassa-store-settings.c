/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-store-settings"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "kassa-core-enum-types.h"
#include "kassa-currency.h"
#include "kassa-error.h"
#include "kassa-invoice-number.h"
#include "kassa-store-settings.h"

/* A reservation longer than a day is a forgotten cart, not a sale. */
#define MAX_RESERVATION_MINUTES (24 * 60)
#define MAX_INVOICE_DUE_DAYS    365

struct _KassaStoreSettings
{
  GObject            parent_instance;

  char              *currency_code;
  gboolean           prices_include_tax;
  KassaTaxScope      tax_scope;
  KassaRoundingMode  rounding_mode;
  gint64             cash_rounding_step;
  guint              reservation_minutes;
  gboolean           allow_negative_stock;
  gboolean           delivery_enabled;
  gboolean           pickup_enabled;
  char              *invoice_number_format;
  char              *credit_note_number_format;
  guint              invoice_due_days;
};

G_DEFINE_FINAL_TYPE (KassaStoreSettings, kassa_store_settings, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CURRENCY_CODE,
  PROP_PRICES_INCLUDE_TAX,
  PROP_TAX_SCOPE,
  PROP_ROUNDING_MODE,
  PROP_CASH_ROUNDING_STEP,
  PROP_RESERVATION_MINUTES,
  PROP_ALLOW_NEGATIVE_STOCK,
  PROP_DELIVERY_ENABLED,
  PROP_PICKUP_ENABLED,
  PROP_INVOICE_NUMBER_FORMAT,
  PROP_CREDIT_NOTE_NUMBER_FORMAT,
  PROP_INVOICE_DUE_DAYS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_string (KassaStoreSettings  *self,
            char               **field,
            const char          *value,
            guint                prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_boolean (KassaStoreSettings *self,
             gboolean           *field,
             gboolean            value,
             guint               prop_id)
{
  value = !!value;
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_uint (KassaStoreSettings *self,
          guint              *field,
          guint               value,
          guint               prop_id)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static gboolean
check_pattern (const char  *pattern,
               const char  *what,
               GError     **error)
{
  g_autoptr(KassaInvoiceNumberFormat) format = NULL;
  g_autoptr(GError) local_error = NULL;

  format = kassa_invoice_number_format_new (pattern != NULL ? pattern : "", &local_error);
  if (format == NULL)
    {
      /* Translators: the first %s is "Invoice numbers" or "Credit note numbers" */
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("%s: %s"), what, local_error->message);
      return FALSE;
    }

  return TRUE;
}

static void
kassa_store_settings_finalize (GObject *object)
{
  KassaStoreSettings *self = KASSA_STORE_SETTINGS (object);

  g_clear_pointer (&self->currency_code, g_free);
  g_clear_pointer (&self->invoice_number_format, g_free);
  g_clear_pointer (&self->credit_note_number_format, g_free);

  G_OBJECT_CLASS (kassa_store_settings_parent_class)->finalize (object);
}

static void
kassa_store_settings_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  KassaStoreSettings *self = KASSA_STORE_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_CURRENCY_CODE:
      g_value_set_string (value, self->currency_code);
      break;
    case PROP_PRICES_INCLUDE_TAX:
      g_value_set_boolean (value, self->prices_include_tax);
      break;
    case PROP_TAX_SCOPE:
      g_value_set_enum (value, self->tax_scope);
      break;
    case PROP_ROUNDING_MODE:
      g_value_set_enum (value, self->rounding_mode);
      break;
    case PROP_CASH_ROUNDING_STEP:
      g_value_set_int64 (value, self->cash_rounding_step);
      break;
    case PROP_RESERVATION_MINUTES:
      g_value_set_uint (value, self->reservation_minutes);
      break;
    case PROP_ALLOW_NEGATIVE_STOCK:
      g_value_set_boolean (value, self->allow_negative_stock);
      break;
    case PROP_DELIVERY_ENABLED:
      g_value_set_boolean (value, self->delivery_enabled);
      break;
    case PROP_PICKUP_ENABLED:
      g_value_set_boolean (value, self->pickup_enabled);
      break;
    case PROP_INVOICE_NUMBER_FORMAT:
      g_value_set_string (value, self->invoice_number_format);
      break;
    case PROP_CREDIT_NOTE_NUMBER_FORMAT:
      g_value_set_string (value, self->credit_note_number_format);
      break;
    case PROP_INVOICE_DUE_DAYS:
      g_value_set_uint (value, self->invoice_due_days);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_store_settings_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  KassaStoreSettings *self = KASSA_STORE_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_CURRENCY_CODE:
      kassa_store_settings_set_currency_code (self, g_value_get_string (value));
      break;
    case PROP_PRICES_INCLUDE_TAX:
      kassa_store_settings_set_prices_include_tax (self, g_value_get_boolean (value));
      break;
    case PROP_TAX_SCOPE:
      kassa_store_settings_set_tax_scope (self, g_value_get_enum (value));
      break;
    case PROP_ROUNDING_MODE:
      kassa_store_settings_set_rounding_mode (self, g_value_get_enum (value));
      break;
    case PROP_CASH_ROUNDING_STEP:
      kassa_store_settings_set_cash_rounding_step (self, g_value_get_int64 (value));
      break;
    case PROP_RESERVATION_MINUTES:
      kassa_store_settings_set_reservation_minutes (self, g_value_get_uint (value));
      break;
    case PROP_ALLOW_NEGATIVE_STOCK:
      kassa_store_settings_set_allow_negative_stock (self, g_value_get_boolean (value));
      break;
    case PROP_DELIVERY_ENABLED:
      kassa_store_settings_set_delivery_enabled (self, g_value_get_boolean (value));
      break;
    case PROP_PICKUP_ENABLED:
      kassa_store_settings_set_pickup_enabled (self, g_value_get_boolean (value));
      break;
    case PROP_INVOICE_NUMBER_FORMAT:
      kassa_store_settings_set_invoice_number_format (self, g_value_get_string (value));
      break;
    case PROP_CREDIT_NOTE_NUMBER_FORMAT:
      kassa_store_settings_set_credit_note_number_format (self, g_value_get_string (value));
      break;
    case PROP_INVOICE_DUE_DAYS:
      kassa_store_settings_set_invoice_due_days (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_store_settings_class_init (KassaStoreSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kassa_store_settings_finalize;
  object_class->get_property = kassa_store_settings_get_property;
  object_class->set_property = kassa_store_settings_set_property;

  properties[PROP_CURRENCY_CODE] =
    g_param_spec_string ("currency-code", NULL, NULL, KASSA_STORE_SETTINGS_DEFAULT_CURRENCY, flags);
  /* Retail shops price shelves with tax included; B2B shops switch it off. */
  properties[PROP_PRICES_INCLUDE_TAX] =
    g_param_spec_boolean ("prices-include-tax", NULL, NULL, TRUE, flags);
  properties[PROP_TAX_SCOPE] =
    g_param_spec_enum ("tax-scope", NULL, NULL,
                       KASSA_TYPE_TAX_SCOPE, KASSA_TAX_SCOPE_DOCUMENT, flags);
  properties[PROP_ROUNDING_MODE] =
    g_param_spec_enum ("rounding-mode", NULL, NULL,
                       KASSA_TYPE_ROUNDING_MODE, KASSA_ROUNDING_HALF_UP, flags);
  properties[PROP_CASH_ROUNDING_STEP] =
    g_param_spec_int64 ("cash-rounding-step", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_RESERVATION_MINUTES] =
    g_param_spec_uint ("reservation-minutes", NULL, NULL, 0, G_MAXUINT,
                       KASSA_STORE_SETTINGS_DEFAULT_RESERVATION_MINUTES, flags);
  properties[PROP_ALLOW_NEGATIVE_STOCK] =
    g_param_spec_boolean ("allow-negative-stock", NULL, NULL, FALSE, flags);
  properties[PROP_DELIVERY_ENABLED] =
    g_param_spec_boolean ("delivery-enabled", NULL, NULL, FALSE, flags);
  properties[PROP_PICKUP_ENABLED] =
    g_param_spec_boolean ("pickup-enabled", NULL, NULL, FALSE, flags);
  properties[PROP_INVOICE_NUMBER_FORMAT] =
    g_param_spec_string ("invoice-number-format", NULL, NULL,
                         KASSA_INVOICE_NUMBER_DEFAULT_PATTERN, flags);
  properties[PROP_CREDIT_NOTE_NUMBER_FORMAT] =
    g_param_spec_string ("credit-note-number-format", NULL, NULL,
                         KASSA_STORE_SETTINGS_DEFAULT_CREDIT_NOTE_PATTERN, flags);
  properties[PROP_INVOICE_DUE_DAYS] =
    g_param_spec_uint ("invoice-due-days", NULL, NULL, 0, G_MAXUINT,
                       KASSA_STORE_SETTINGS_DEFAULT_INVOICE_DUE_DAYS, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_store_settings_init (KassaStoreSettings *self)
{
  self->currency_code = g_strdup (KASSA_STORE_SETTINGS_DEFAULT_CURRENCY);
  self->prices_include_tax = TRUE;
  self->tax_scope = KASSA_TAX_SCOPE_DOCUMENT;
  self->rounding_mode = KASSA_ROUNDING_HALF_UP;
  self->reservation_minutes = KASSA_STORE_SETTINGS_DEFAULT_RESERVATION_MINUTES;
  self->invoice_number_format = g_strdup (KASSA_INVOICE_NUMBER_DEFAULT_PATTERN);
  self->credit_note_number_format = g_strdup (KASSA_STORE_SETTINGS_DEFAULT_CREDIT_NOTE_PATTERN);
  self->invoice_due_days = KASSA_STORE_SETTINGS_DEFAULT_INVOICE_DUE_DAYS;
}

KassaStoreSettings *
kassa_store_settings_new (void)
{
  return g_object_new (KASSA_TYPE_STORE_SETTINGS, NULL);
}

KassaStoreSettings *
kassa_store_settings_copy (KassaStoreSettings *self)
{
  KassaStoreSettings *copy;

  g_return_val_if_fail (KASSA_IS_STORE_SETTINGS (self), NULL);

  copy = kassa_store_settings_new ();
  g_free (copy->currency_code);
  copy->currency_code = g_strdup (self->currency_code);
  copy->prices_include_tax = self->prices_include_tax;
  copy->tax_scope = self->tax_scope;
  copy->rounding_mode = self->rounding_mode;
  copy->cash_rounding_step = self->cash_rounding_step;
  copy->reservation_minutes = self->reservation_minutes;
  copy->allow_negative_stock = self->allow_negative_stock;
  copy->delivery_enabled = self->delivery_enabled;
  copy->pickup_enabled = self->pickup_enabled;
  g_free (copy->invoice_number_format);
  copy->invoice_number_format = g_strdup (self->invoice_number_format);
  g_free (copy->credit_note_number_format);
  copy->credit_note_number_format = g_strdup (self->credit_note_number_format);
  copy->invoice_due_days = self->invoice_due_days;

  return copy;
}

const char *
kassa_store_settings_get_currency_code (KassaStoreSettings *self)
{
  g_return_val_if_fail (KASSA_IS_STORE_SETTINGS (self), NULL);

  return self->currency_code;
}

void
kassa_store_settings_set_currency_code (KassaStoreSettings *self,
                                        const char         *currency_code)
{
  g_return_if_fail (KASSA_IS_STORE_SETTINGS (self));

  set_string (self, &self->currency_code, currency_code, PROP_CURRENCY_CODE);
}

gboolean
kassa_store_settings_get_prices_include_tax (KassaStoreSettings *self)
{
  g_return_val_if_fail (KASSA_IS_STORE_SETTINGS (self), FALSE);

  return self->prices_include_tax;
}

void
kassa_store_settings_set_prices_include_tax (KassaStoreSettings *self,
                                             gboolean            prices_include_tax)
{
  g_return_if_fail (KASSA_IS_STORE_SETTINGS (self));

  set_boolean (self, &self->prices_include_tax, prices_include_tax, PROP_PRICES_INCLUDE_TAX);
}

KassaTaxScope
kassa_store_settings_get_tax_scope (KassaStoreSettings *self)
{
  g_return_val_if_fail (KASSA_IS_STORE_SETTINGS (self), KASSA_TAX_SCOPE_DOCUMENT);

  return self->tax_scope;
}

void
kassa_store_settings_set_tax_scope (KassaStoreSettings *self,
                                    KassaTaxScope       tax_scope)
{
  g_return_if_fail (KASSA_IS_STORE_SETTINGS (self));

  if (self->tax_scope == tax_scope)
    return;

  self->tax_scope = tax_scope;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAX_SCOPE]);
}

KassaRoundingMode
kassa_store_settings_get_rounding_mode (KassaStoreSettings *self)
{
  g_return_val_if_fail (KASSA_IS_STORE_SETTINGS (self), KASSA_ROUNDING_HALF_UP);

  return self->rounding_mode;
}

void
kassa_store_settings_set_rounding_mode (KassaStoreSettings *self,
                                        KassaRoundingMode   rounding_mode)
{
  g_return_if_fail (KASSA_IS_STORE_SETTINGS (self));

  if (self->rounding_mode == rounding_mode)
    return;

  self->rounding_mode = rounding_mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROUNDING_MODE]);
}

gint64
kassa_store_settings_get_cash_rounding_step (KassaStoreSettings *self)
{
  g_return_val_if_fail (KASSA_IS_STORE_SETTINGS (self), 0);

  return self->cash_rounding_step;
}

void
kassa_store_settings_set_cash_rounding_step (KassaStoreSettings *self,
                                             gint64              cash_rounding_step)
{
  g_return_if_fail (KASSA_IS_STORE_SETTINGS (self));

  if (self->cash_rounding_step == cash_rounding_step)
    return;

  self->cash_rounding_step = cash_rounding_step;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASH_ROUNDING_STEP]);
}

guint
kassa_store_settings_get_reservation_minutes (KassaStoreSettings *self)
{
  g_return_val_if_fail (KASSA_IS_STORE_SETTINGS (self), 0);

  return self->reservation_minutes;
}

void
kassa_store_settings_set_reservation_minutes (KassaStoreSettings *self,
                                              guint               reservation_minutes)
{
  g_return_if_fail (KASSA_IS_STORE_SETTINGS (self));

  set_uint (self, &self->reservation_minutes, reservation_minutes, PROP_RESERVATION_MINUTES);
}

gboolean
kassa_store_settings_get_allow_negative_stock (KassaStoreSettings *self)
{
  g_return_val_if_fail (KASSA_IS_STORE_SETTINGS (self), FALSE);

  return self->allow_negative_stock;
}

void
kassa_store_settings_set_allow_negative_stock (KassaStoreSettings *self,
                                               gboolean            allow_negative_stock)
{
  g_return_if_fail (KASSA_IS_STORE_SETTINGS (self));

  set_boolean (self, &self->allow_negative_stock, allow_negative_stock, PROP_ALLOW_NEGATIVE_STOCK);
}

gboolean
kassa_store_settings_get_delivery_enabled (KassaStoreSettings *self)
{
  g_return_val_if_fail (KASSA_IS_STORE_SETTINGS (self), FALSE);

  return self->delivery_enabled;
}

void
kassa_store_settings_set_delivery_enabled (KassaStoreSettings *self,
                                           gboolean            delivery_enabled)
{
  g_return_if_fail (KASSA_IS_STORE_SETTINGS (self));

  set_boolean (self, &self->delivery_enabled, delivery_enabled, PROP_DELIVERY_ENABLED);
}

gboolean
kassa_store_settings_get_pickup_enabled (KassaStoreSettings *self)
{
  g_return_val_if_fail (KASSA_IS_STORE_SETTINGS (self), FALSE);

  return self->pickup_enabled;
}

void
kassa_store_settings_set_pickup_enabled (KassaStoreSettings *self,
                                         gboolean            pickup_enabled)
{
  g_return_if_fail (KASSA_IS_STORE_SETTINGS (self));

  set_boolean (self, &self->pickup_enabled, pickup_enabled, PROP_PICKUP_ENABLED);
}

const char *
kassa_store_settings_get_invoice_number_format (KassaStoreSettings *self)
{
  g_return_val_if_fail (KASSA_IS_STORE_SETTINGS (self), NULL);

  return self->invoice_number_format;
}

void
kassa_store_settings_set_invoice_number_format (KassaStoreSettings *self,
                                                const char         *pattern)
{
  g_return_if_fail (KASSA_IS_STORE_SETTINGS (self));

  set_string (self, &self->invoice_number_format, pattern, PROP_INVOICE_NUMBER_FORMAT);
}

const char *
kassa_store_settings_get_credit_note_number_format (KassaStoreSettings *self)
{
  g_return_val_if_fail (KASSA_IS_STORE_SETTINGS (self), NULL);

  return self->credit_note_number_format;
}

void
kassa_store_settings_set_credit_note_number_format (KassaStoreSettings *self,
                                                    const char         *pattern)
{
  g_return_if_fail (KASSA_IS_STORE_SETTINGS (self));

  set_string (self, &self->credit_note_number_format, pattern, PROP_CREDIT_NOTE_NUMBER_FORMAT);
}

guint
kassa_store_settings_get_invoice_due_days (KassaStoreSettings *self)
{
  g_return_val_if_fail (KASSA_IS_STORE_SETTINGS (self), 0);

  return self->invoice_due_days;
}

void
kassa_store_settings_set_invoice_due_days (KassaStoreSettings *self,
                                           guint               invoice_due_days)
{
  g_return_if_fail (KASSA_IS_STORE_SETTINGS (self));

  set_uint (self, &self->invoice_due_days, invoice_due_days, PROP_INVOICE_DUE_DAYS);
}

gboolean
kassa_store_settings_validate (KassaStoreSettings  *self,
                               GError             **error)
{
  const KassaCurrency *currency;

  g_return_val_if_fail (KASSA_IS_STORE_SETTINGS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  currency = kassa_currency_lookup (self->currency_code != NULL ? self->currency_code : "", error);
  if (currency == NULL)
    return FALSE;

  if (self->tax_scope != KASSA_TAX_SCOPE_DOCUMENT && self->tax_scope != KASSA_TAX_SCOPE_LINE)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("The tax rounding scope is not one Kassa knows"));
      return FALSE;
    }

  if (self->rounding_mode != KASSA_ROUNDING_HALF_UP && self->rounding_mode != KASSA_ROUNDING_HALF_EVEN)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("The rounding mode is not one Kassa knows"));
      return FALSE;
    }

  /* Sweden rounds cash to whole kronor; a step of a hundred major units
   * would change prices rather than round them. */
  if (self->cash_rounding_step < 0 ||
      self->cash_rounding_step >= kassa_currency_get_scale (currency) * 100)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("The cash rounding step must be between 0 (none) and %" PRId64 " minor units"),
                   kassa_currency_get_scale (currency) * 100 - 1);
      return FALSE;
    }

  if (self->reservation_minutes < 1 || self->reservation_minutes > MAX_RESERVATION_MINUTES)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("Stock reservations must last between 1 and %u minutes"),
                   (guint) MAX_RESERVATION_MINUTES);
      return FALSE;
    }

  if (self->invoice_due_days > MAX_INVOICE_DUE_DAYS)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("Invoices must fall due within %u days"), (guint) MAX_INVOICE_DUE_DAYS);
      return FALSE;
    }

  if (!check_pattern (self->invoice_number_format, _("Invoice numbers"), error) ||
      !check_pattern (self->credit_note_number_format, _("Credit note numbers"), error))
    return FALSE;

  /* Invoices and credit notes share the reference column: one pattern
   * for both would hand out the same reference twice. */
  if (g_strcmp0 (self->invoice_number_format, self->credit_note_number_format) == 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("Invoices and credit notes need different number formats"));
      return FALSE;
    }

  return TRUE;
}

gboolean
kassa_store_settings_get_tax_settings (KassaStoreSettings  *self,
                                       KassaTaxSettings    *tax_settings,
                                       GError             **error)
{
  const KassaCurrency *currency;

  g_return_val_if_fail (KASSA_IS_STORE_SETTINGS (self), FALSE);
  g_return_val_if_fail (tax_settings != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  currency = kassa_currency_lookup (kassa_store_settings_get_currency_code (self), error);
  if (currency == NULL)
    return FALSE;

  *tax_settings = (KassaTaxSettings) {
    .currency = currency,
    .prices_include_tax = kassa_store_settings_get_prices_include_tax (self),
    .tax_scope = kassa_store_settings_get_tax_scope (self),
    .rounding = kassa_store_settings_get_rounding_mode (self),
  };

  return TRUE;
}
