/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-core-enums.h"
#include "kassa-totals.h"

G_BEGIN_DECLS

/* How the shop sells: its currency, how prices and taxes are entered and
 * rounded, cash rounding, how long an open cart holds stock, whether
 * stock may go negative, delivery and pickup, and how invoices and
 * credit notes are numbered and when they fall due. Setters accept
 * anything, so a preferences form can hold half-typed values;
 * kassa_store_settings_validate() says whether they can be saved. */

#define KASSA_STORE_SETTINGS_DEFAULT_CURRENCY            "EUR"
#define KASSA_STORE_SETTINGS_DEFAULT_CREDIT_NOTE_PATTERN "CN-{YYYY}-{SEQ:5}"
#define KASSA_STORE_SETTINGS_DEFAULT_RESERVATION_MINUTES 15
#define KASSA_STORE_SETTINGS_DEFAULT_INVOICE_DUE_DAYS    14

#define KASSA_TYPE_STORE_SETTINGS (kassa_store_settings_get_type ())

G_DECLARE_FINAL_TYPE (KassaStoreSettings, kassa_store_settings, KASSA, STORE_SETTINGS, GObject)

KassaStoreSettings *kassa_store_settings_new                          (void);
KassaStoreSettings *kassa_store_settings_copy                         (KassaStoreSettings *self);

const char         *kassa_store_settings_get_currency_code            (KassaStoreSettings *self);
void                kassa_store_settings_set_currency_code            (KassaStoreSettings *self,
                                                                       const char         *currency_code);
gboolean            kassa_store_settings_get_prices_include_tax       (KassaStoreSettings *self);
void                kassa_store_settings_set_prices_include_tax       (KassaStoreSettings *self,
                                                                       gboolean            prices_include_tax);
KassaTaxScope       kassa_store_settings_get_tax_scope                (KassaStoreSettings *self);
void                kassa_store_settings_set_tax_scope                (KassaStoreSettings *self,
                                                                       KassaTaxScope       tax_scope);
KassaRoundingMode   kassa_store_settings_get_rounding_mode            (KassaStoreSettings *self);
void                kassa_store_settings_set_rounding_mode            (KassaStoreSettings *self,
                                                                       KassaRoundingMode   rounding_mode);
/* In minor units of the currency (5 for 0.05 CHF); 0 means no rounding. */
gint64              kassa_store_settings_get_cash_rounding_step       (KassaStoreSettings *self);
void                kassa_store_settings_set_cash_rounding_step       (KassaStoreSettings *self,
                                                                       gint64              cash_rounding_step);
guint               kassa_store_settings_get_reservation_minutes      (KassaStoreSettings *self);
void                kassa_store_settings_set_reservation_minutes      (KassaStoreSettings *self,
                                                                       guint               reservation_minutes);
gboolean            kassa_store_settings_get_allow_negative_stock     (KassaStoreSettings *self);
void                kassa_store_settings_set_allow_negative_stock     (KassaStoreSettings *self,
                                                                       gboolean            allow_negative_stock);
gboolean            kassa_store_settings_get_delivery_enabled         (KassaStoreSettings *self);
void                kassa_store_settings_set_delivery_enabled         (KassaStoreSettings *self,
                                                                       gboolean            delivery_enabled);
gboolean            kassa_store_settings_get_pickup_enabled           (KassaStoreSettings *self);
void                kassa_store_settings_set_pickup_enabled           (KassaStoreSettings *self,
                                                                       gboolean            pickup_enabled);
const char         *kassa_store_settings_get_invoice_number_format    (KassaStoreSettings *self);
void                kassa_store_settings_set_invoice_number_format    (KassaStoreSettings *self,
                                                                       const char         *pattern);
const char         *kassa_store_settings_get_credit_note_number_format (KassaStoreSettings *self);
void                kassa_store_settings_set_credit_note_number_format (KassaStoreSettings *self,
                                                                        const char         *pattern);
guint               kassa_store_settings_get_invoice_due_days         (KassaStoreSettings *self);
void                kassa_store_settings_set_invoice_due_days         (KassaStoreSettings *self,
                                                                       guint               invoice_due_days);

/* KASSA_ERROR_INVALID (or KASSA_ERROR_UNKNOWN_CURRENCY) naming the first
 * setting that cannot be saved. */
gboolean            kassa_store_settings_validate                     (KassaStoreSettings  *self,
                                                                       GError             **error);

/* The tax rules the totals engine applies to a new cart or order under
 * these settings; fails when the currency code is unknown. */
gboolean            kassa_store_settings_get_tax_settings             (KassaStoreSettings  *self,
                                                                       KassaTaxSettings    *tax_settings,
                                                                       GError             **error);

G_END_DECLS
