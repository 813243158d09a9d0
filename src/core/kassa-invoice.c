/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-invoice"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "kassa-core-enum-types.h"
#include "kassa-error.h"
#include "kassa-invoice.h"
#include "kassa-transitions.h"

struct _KassaInvoice
{
  GObject parent_instance;

  gint64              id;
  KassaInvoiceKind    kind;
  KassaInvoiceStatus  status;
  char               *reference;
  gint64              credited_invoice_id;
  gint64              customer_id;
  char               *currency_code;
  GDateTime          *issue_date;
  GDateTime          *due_date;
  gint64              paid_amount;
  char               *paid_method;
  GDateTime          *paid_at;
  char               *public_token;
  gint64              order_id;
  char               *buyer_name;
  char               *buyer_email;
  char               *buyer_address;
  gboolean            prices_include_tax;
  KassaTaxScope       tax_scope;
  KassaRoundingMode   rounding;

  GListStore         *lines;
};

G_DEFINE_FINAL_TYPE (KassaInvoice, kassa_invoice, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_STATUS,
  PROP_REFERENCE,
  PROP_CREDITED_INVOICE_ID,
  PROP_CUSTOMER_ID,
  PROP_CURRENCY_CODE,
  PROP_ISSUE_DATE,
  PROP_DUE_DATE,
  PROP_PAID_AMOUNT,
  PROP_PAID_METHOD,
  PROP_PAID_AT,
  PROP_PUBLIC_TOKEN,
  PROP_ORDER_ID,
  PROP_BUYER_NAME,
  PROP_BUYER_EMAIL,
  PROP_BUYER_ADDRESS,
  PROP_PRICES_INCLUDE_TAX,
  PROP_TAX_SCOPE,
  PROP_ROUNDING,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static gboolean
kassa_invoice_check_editable (KassaInvoice  *self,
                              const char    *property,
                              GError       **error)
{
  if (self->status == KASSA_INVOICE_STATUS_DRAFT)
    return TRUE;

  g_set_error (error, KASSA_ERROR, KASSA_ERROR_LOCKED,
               /* Translators: the last %s is a property name such as due-date */
               _("Invoice %s is issued; credit it instead of changing its %s"),
               self->reference != NULL ? self->reference : "", property);
  return FALSE;
}

static gboolean
invalid (GError     **error,
         const char  *message)
{
  g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID, message);
  return FALSE;
}

/* What must hold before a number is spent on the invoice: numbers are
 * gapless, so an issue that would fail later must fail here. */
static gboolean
check_issuable (KassaInvoice  *self,
                const char    *reference,
                GDateTime     *issue_date,
                GError       **error)
{
  if (reference == NULL || reference[0] == '\0')
    return invalid (error, _("An invoice needs a reference number to be issued"));

  if (issue_date == NULL)
    return invalid (error, _("An invoice needs an issue date to be issued"));

  if (self->currency_code == NULL || strlen (self->currency_code) != 3)
    return invalid (error, _("An invoice needs a currency to be issued"));

  if (g_list_model_get_n_items (G_LIST_MODEL (self->lines)) == 0)
    return invalid (error, _("An invoice needs at least one line to be issued"));

  if (self->kind == KASSA_INVOICE_KIND_CREDIT_NOTE && self->credited_invoice_id == 0)
    return invalid (error, _("A credit note must name the invoice it credits"));

  if (self->kind == KASSA_INVOICE_KIND_INVOICE && self->credited_invoice_id != 0)
    return invalid (error, _("Only a credit note credits another invoice"));

  if (self->due_date != NULL && g_date_time_compare (self->due_date, issue_date) < 0)
    return invalid (error, _("An invoice cannot fall due before it is issued"));

  return TRUE;
}

static void
lock_lines (KassaInvoice *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->lines));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KassaInvoiceLine) line = g_list_model_get_item (G_LIST_MODEL (self->lines), i);

      kassa_invoice_line_set_locked (line, TRUE);
    }
}

static void
kassa_invoice_dispose (GObject *object)
{
  KassaInvoice *self = KASSA_INVOICE (object);

  g_clear_object (&self->lines);

  G_OBJECT_CLASS (kassa_invoice_parent_class)->dispose (object);
}

static void
kassa_invoice_finalize (GObject *object)
{
  KassaInvoice *self = KASSA_INVOICE (object);

  g_clear_pointer (&self->reference, g_free);
  g_clear_pointer (&self->currency_code, g_free);
  g_clear_pointer (&self->issue_date, g_date_time_unref);
  g_clear_pointer (&self->due_date, g_date_time_unref);
  g_clear_pointer (&self->paid_method, g_free);
  g_clear_pointer (&self->paid_at, g_date_time_unref);
  g_clear_pointer (&self->public_token, g_free);

  g_clear_pointer (&self->buyer_name, g_free);
  g_clear_pointer (&self->buyer_email, g_free);
  g_clear_pointer (&self->buyer_address, g_free);
  G_OBJECT_CLASS (kassa_invoice_parent_class)->finalize (object);
}

static void
kassa_invoice_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KassaInvoice *self = KASSA_INVOICE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_REFERENCE:
      g_value_set_string (value, self->reference);
      break;

    case PROP_CREDITED_INVOICE_ID:
      g_value_set_int64 (value, self->credited_invoice_id);
      break;

    case PROP_CUSTOMER_ID:
      g_value_set_int64 (value, self->customer_id);
      break;

    case PROP_CURRENCY_CODE:
      g_value_set_string (value, self->currency_code);
      break;

    case PROP_ISSUE_DATE:
      g_value_set_boxed (value, self->issue_date);
      break;

    case PROP_DUE_DATE:
      g_value_set_boxed (value, self->due_date);
      break;

    case PROP_PAID_AMOUNT:
      g_value_set_int64 (value, self->paid_amount);
      break;

    case PROP_PAID_METHOD:
      g_value_set_string (value, self->paid_method);
      break;

    case PROP_PAID_AT:
      g_value_set_boxed (value, self->paid_at);
      break;

    case PROP_PUBLIC_TOKEN:
      g_value_set_string (value, self->public_token);
      break;

    case PROP_ORDER_ID:
      g_value_set_int64 (value, self->order_id);
      break;

    case PROP_BUYER_NAME:
      g_value_set_string (value, self->buyer_name);
      break;

    case PROP_BUYER_EMAIL:
      g_value_set_string (value, self->buyer_email);
      break;

    case PROP_BUYER_ADDRESS:
      g_value_set_string (value, self->buyer_address);
      break;

    case PROP_PRICES_INCLUDE_TAX:
      g_value_set_boolean (value, self->prices_include_tax);
      break;

    case PROP_TAX_SCOPE:
      g_value_set_enum (value, self->tax_scope);
      break;

    case PROP_ROUNDING:
      g_value_set_enum (value, self->rounding);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_invoice_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  KassaInvoice *self = KASSA_INVOICE (object);
  g_autoptr(GError) error = NULL;

  switch (prop_id)
    {
    case PROP_ID:
      kassa_invoice_set_id (self, g_value_get_int64 (value));
      break;

    case PROP_KIND:
      if (!kassa_invoice_set_kind (self, g_value_get_enum (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_STATUS:
      if (!kassa_invoice_set_status (self, g_value_get_enum (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_REFERENCE:
      if (!kassa_invoice_set_reference (self, g_value_get_string (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_CREDITED_INVOICE_ID:
      if (!kassa_invoice_set_credited_invoice_id (self, g_value_get_int64 (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_CUSTOMER_ID:
      if (!kassa_invoice_set_customer_id (self, g_value_get_int64 (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_CURRENCY_CODE:
      if (!kassa_invoice_set_currency_code (self, g_value_get_string (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_ISSUE_DATE:
      if (!kassa_invoice_set_issue_date (self, g_value_get_boxed (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_DUE_DATE:
      if (!kassa_invoice_set_due_date (self, g_value_get_boxed (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_PAID_AMOUNT:
      kassa_invoice_set_paid_amount (self, g_value_get_int64 (value));
      break;

    case PROP_PAID_METHOD:
      kassa_invoice_set_paid_method (self, g_value_get_string (value));
      break;

    case PROP_PAID_AT:
      kassa_invoice_set_paid_at (self, g_value_get_boxed (value));
      break;

    case PROP_PUBLIC_TOKEN:
      if (!kassa_invoice_set_public_token (self, g_value_get_string (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_ORDER_ID:
      if (!kassa_invoice_set_order_id (self, g_value_get_int64 (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_BUYER_NAME:
      if (!kassa_invoice_set_buyer_name (self, g_value_get_string (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_BUYER_EMAIL:
      if (!kassa_invoice_set_buyer_email (self, g_value_get_string (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_BUYER_ADDRESS:
      if (!kassa_invoice_set_buyer_address (self, g_value_get_string (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_PRICES_INCLUDE_TAX:
      if (!kassa_invoice_set_prices_include_tax (self, g_value_get_boolean (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_TAX_SCOPE:
      if (!kassa_invoice_set_tax_scope (self, g_value_get_enum (value), &error))
        g_warning ("%s", error->message);
      break;

    case PROP_ROUNDING:
      if (!kassa_invoice_set_rounding (self, g_value_get_enum (value), &error))
        g_warning ("%s", error->message);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_invoice_class_init (KassaInvoiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kassa_invoice_dispose;
  object_class->finalize = kassa_invoice_finalize;
  object_class->get_property = kassa_invoice_get_property;
  object_class->set_property = kassa_invoice_set_property;

  properties [PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       KASSA_TYPE_INVOICE_KIND,
                       KASSA_INVOICE_KIND_INVOICE,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       KASSA_TYPE_INVOICE_STATUS,
                       KASSA_INVOICE_STATUS_DRAFT,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_REFERENCE] =
    g_param_spec_string ("reference", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_CREDITED_INVOICE_ID] =
    g_param_spec_int64 ("credited-invoice-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_CUSTOMER_ID] =
    g_param_spec_int64 ("customer-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_CURRENCY_CODE] =
    g_param_spec_string ("currency-code", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_ISSUE_DATE] =
    g_param_spec_boxed ("issue-date", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_DUE_DATE] =
    g_param_spec_boxed ("due-date", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_PAID_AMOUNT] =
    g_param_spec_int64 ("paid-amount", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_PAID_METHOD] =
    g_param_spec_string ("paid-method", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_PAID_AT] =
    g_param_spec_boxed ("paid-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_PUBLIC_TOKEN] =
    g_param_spec_string ("public-token", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_ORDER_ID] =
    g_param_spec_int64 ("order-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties [PROP_BUYER_NAME] =
    g_param_spec_string ("buyer-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_BUYER_EMAIL] =
    g_param_spec_string ("buyer-email", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_BUYER_ADDRESS] =
    g_param_spec_string ("buyer-address", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_PRICES_INCLUDE_TAX] =
    g_param_spec_boolean ("prices-include-tax", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  properties [PROP_TAX_SCOPE] =
    g_param_spec_enum ("tax-scope", NULL, NULL,
                       KASSA_TYPE_TAX_SCOPE,
                       KASSA_TAX_SCOPE_DOCUMENT,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_ROUNDING] =
    g_param_spec_enum ("rounding", NULL, NULL,
                       KASSA_TYPE_ROUNDING_MODE,
                       KASSA_ROUNDING_HALF_UP,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_invoice_init (KassaInvoice *self)
{
  self->lines = g_list_store_new (KASSA_TYPE_INVOICE_LINE);
}

KassaInvoice *
kassa_invoice_new (void)
{
  return g_object_new (KASSA_TYPE_INVOICE, NULL);
}

gint64
kassa_invoice_get_id (KassaInvoice *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), 0);

  return self->id;
}

void
kassa_invoice_set_id (KassaInvoice *self,
                      gint64        id)
{
  g_return_if_fail (KASSA_IS_INVOICE (self));

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ID]);
}

KassaInvoiceKind
kassa_invoice_get_kind (KassaInvoice *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), KASSA_INVOICE_KIND_INVOICE);

  return self->kind;
}

gboolean
kassa_invoice_set_kind (KassaInvoice      *self,
                        KassaInvoiceKind   kind,
                        GError           **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->kind == kind)
    return TRUE;

  if (!kassa_invoice_check_editable (self, "kind", error))
    return FALSE;

  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_KIND]);

  return TRUE;
}

KassaInvoiceStatus
kassa_invoice_get_status (KassaInvoice *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), KASSA_INVOICE_STATUS_DRAFT);

  return self->status;
}

gboolean
kassa_invoice_set_status (KassaInvoice        *self,
                          KassaInvoiceStatus   status,
                          GError             **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->status == status)
    return TRUE;

  if (!kassa_invoice_status_check_transition (self->status, status, error))
    return FALSE;

  switch (status)
    {
    case KASSA_INVOICE_STATUS_ISSUED:
      if (!check_issuable (self, self->reference, self->issue_date, error))
        return FALSE;
      lock_lines (self);
      break;

    case KASSA_INVOICE_STATUS_PAID:
      if (self->paid_amount <= 0)
        return invalid (error, _("Record the payment before marking the invoice paid"));
      break;

    case KASSA_INVOICE_STATUS_CREDITED:
      if (self->kind == KASSA_INVOICE_KIND_CREDIT_NOTE)
        {
          g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION,
                               _("A credit note cannot itself be credited"));
          return FALSE;
        }
      break;

    case KASSA_INVOICE_STATUS_DRAFT:
    default:
      g_assert_not_reached ();
    }

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATUS]);

  return TRUE;
}

const char *
kassa_invoice_get_reference (KassaInvoice *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), NULL);

  return self->reference;
}

gboolean
kassa_invoice_set_reference (KassaInvoice  *self,
                             const char    *reference,
                             GError       **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (self->reference, reference) == 0)
    return TRUE;

  if (!kassa_invoice_check_editable (self, "reference", error))
    return FALSE;

  g_free (self->reference);
  self->reference = g_strdup (reference);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_REFERENCE]);

  return TRUE;
}

gint64
kassa_invoice_get_credited_invoice_id (KassaInvoice *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), 0);

  return self->credited_invoice_id;
}

gboolean
kassa_invoice_set_credited_invoice_id (KassaInvoice  *self,
                                       gint64         credited_invoice_id,
                                       GError       **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->credited_invoice_id == credited_invoice_id)
    return TRUE;

  if (!kassa_invoice_check_editable (self, "credited-invoice-id", error))
    return FALSE;

  self->credited_invoice_id = credited_invoice_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CREDITED_INVOICE_ID]);

  return TRUE;
}

gint64
kassa_invoice_get_customer_id (KassaInvoice *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), 0);

  return self->customer_id;
}

gboolean
kassa_invoice_set_customer_id (KassaInvoice  *self,
                               gint64         customer_id,
                               GError       **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->customer_id == customer_id)
    return TRUE;

  if (!kassa_invoice_check_editable (self, "customer-id", error))
    return FALSE;

  self->customer_id = customer_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CUSTOMER_ID]);

  return TRUE;
}

const char *
kassa_invoice_get_currency_code (KassaInvoice *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), NULL);

  return self->currency_code;
}

gboolean
kassa_invoice_set_currency_code (KassaInvoice  *self,
                                 const char    *currency_code,
                                 GError       **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (self->currency_code, currency_code) == 0)
    return TRUE;

  if (!kassa_invoice_check_editable (self, "currency-code", error))
    return FALSE;

  g_free (self->currency_code);
  self->currency_code = g_strdup (currency_code);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CURRENCY_CODE]);

  return TRUE;
}

GDateTime *
kassa_invoice_get_issue_date (KassaInvoice *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), NULL);

  return self->issue_date;
}

gboolean
kassa_invoice_set_issue_date (KassaInvoice  *self,
                              GDateTime     *issue_date,
                              GError       **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->issue_date == issue_date ||
      (self->issue_date != NULL && issue_date != NULL && g_date_time_equal (self->issue_date, issue_date)))
    return TRUE;

  if (!kassa_invoice_check_editable (self, "issue-date", error))
    return FALSE;

  g_clear_pointer (&self->issue_date, g_date_time_unref);
  if (issue_date != NULL)
    self->issue_date = g_date_time_ref (issue_date);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ISSUE_DATE]);

  return TRUE;
}

GDateTime *
kassa_invoice_get_due_date (KassaInvoice *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), NULL);

  return self->due_date;
}

gboolean
kassa_invoice_set_due_date (KassaInvoice  *self,
                            GDateTime     *due_date,
                            GError       **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->due_date == due_date ||
      (self->due_date != NULL && due_date != NULL && g_date_time_equal (self->due_date, due_date)))
    return TRUE;

  if (!kassa_invoice_check_editable (self, "due-date", error))
    return FALSE;

  g_clear_pointer (&self->due_date, g_date_time_unref);
  if (due_date != NULL)
    self->due_date = g_date_time_ref (due_date);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DUE_DATE]);

  return TRUE;
}

gint64
kassa_invoice_get_paid_amount (KassaInvoice *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), 0);

  return self->paid_amount;
}

void
kassa_invoice_set_paid_amount (KassaInvoice *self,
                               gint64        paid_amount)
{
  g_return_if_fail (KASSA_IS_INVOICE (self));

  if (self->paid_amount == paid_amount)
    return;

  self->paid_amount = paid_amount;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PAID_AMOUNT]);
}

const char *
kassa_invoice_get_paid_method (KassaInvoice *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), NULL);

  return self->paid_method;
}

void
kassa_invoice_set_paid_method (KassaInvoice *self,
                               const char   *paid_method)
{
  g_return_if_fail (KASSA_IS_INVOICE (self));

  if (g_strcmp0 (self->paid_method, paid_method) == 0)
    return;

  g_free (self->paid_method);
  self->paid_method = g_strdup (paid_method);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PAID_METHOD]);
}

GDateTime *
kassa_invoice_get_paid_at (KassaInvoice *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), NULL);

  return self->paid_at;
}

void
kassa_invoice_set_paid_at (KassaInvoice *self,
                           GDateTime    *paid_at)
{
  g_return_if_fail (KASSA_IS_INVOICE (self));

  if (self->paid_at == paid_at ||
      (self->paid_at != NULL && paid_at != NULL && g_date_time_equal (self->paid_at, paid_at)))
    return;

  g_clear_pointer (&self->paid_at, g_date_time_unref);
  if (paid_at != NULL)
    self->paid_at = g_date_time_ref (paid_at);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PAID_AT]);
}

const char *
kassa_invoice_get_public_token (KassaInvoice *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), NULL);

  return self->public_token;
}

gboolean
kassa_invoice_set_public_token (KassaInvoice  *self,
                                const char    *public_token,
                                GError       **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (self->public_token, public_token) == 0)
    return TRUE;

  if (!kassa_invoice_check_editable (self, "public-token", error))
    return FALSE;

  if (public_token != NULL && !kassa_invoice_token_is_valid (public_token))
    return invalid (error, _("A public token needs at least 22 URL-safe characters (128 bits)"));

  g_free (self->public_token);
  self->public_token = g_strdup (public_token);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PUBLIC_TOKEN]);

  return TRUE;
}

gboolean
kassa_invoice_token_is_valid (const char *token)
{
  gsize len = 0;

  g_return_val_if_fail (token != NULL, FALSE);

  for (const char *p = token; *p != '\0'; p++, len++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
        return FALSE;
    }

  return len >= KASSA_INVOICE_TOKEN_MIN_LENGTH;
}

gboolean
kassa_invoice_is_locked (KassaInvoice *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), FALSE);

  return self->status != KASSA_INVOICE_STATUS_DRAFT;
}

GListModel *
kassa_invoice_get_lines (KassaInvoice *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), NULL);

  return G_LIST_MODEL (self->lines);
}

gboolean
kassa_invoice_add_line (KassaInvoice      *self,
                        KassaInvoiceLine  *line,
                        GError           **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), FALSE);
  g_return_val_if_fail (KASSA_IS_INVOICE_LINE (line), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_invoice_check_editable (self, "lines", error))
    return FALSE;

  g_list_store_append (self->lines, line);

  return TRUE;
}

gboolean
kassa_invoice_remove_line (KassaInvoice  *self,
                           guint          position,
                           GError       **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_invoice_check_editable (self, "lines", error))
    return FALSE;

  if (position >= g_list_model_get_n_items (G_LIST_MODEL (self->lines)))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                   _("The invoice has no line %u"), position + 1);
      return FALSE;
    }

  g_list_store_remove (self->lines, position);

  return TRUE;
}

gboolean
kassa_invoice_issue (KassaInvoice  *self,
                     const char    *reference,
                     GDateTime     *issue_date,
                     GError       **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_invoice_status_check_transition (self->status, KASSA_INVOICE_STATUS_ISSUED, error))
    return FALSE;

  /* All checks first, so a refused issue changes nothing. */
  if (!check_issuable (self, reference, issue_date, error))
    return FALSE;

  kassa_invoice_set_reference (self, reference, NULL);
  kassa_invoice_set_issue_date (self, issue_date, NULL);

  return kassa_invoice_set_status (self, KASSA_INVOICE_STATUS_ISSUED, error);
}

gboolean
kassa_invoice_record_payment (KassaInvoice  *self,
                              gint64         amount,
                              const char    *method,
                              GDateTime     *paid_at,
                              GError       **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), FALSE);
  g_return_val_if_fail (paid_at != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kassa_invoice_status_check_transition (self->status, KASSA_INVOICE_STATUS_PAID, error))
    return FALSE;

  if (amount <= 0)
    return invalid (error, _("A payment must be more than zero"));

  kassa_invoice_set_paid_amount (self, amount);
  kassa_invoice_set_paid_method (self, method);
  kassa_invoice_set_paid_at (self, paid_at);

  return kassa_invoice_set_status (self, KASSA_INVOICE_STATUS_PAID, error);
}

KassaInvoice *
kassa_invoice_new_credit_note (KassaInvoice  *self,
                               GError       **error)
{
  g_autoptr(KassaInvoice) note = NULL;
  guint n;

  g_return_val_if_fail (KASSA_IS_INVOICE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->kind != KASSA_INVOICE_KIND_INVOICE ||
      (self->status != KASSA_INVOICE_STATUS_ISSUED && self->status != KASSA_INVOICE_STATUS_PAID))
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION,
                           _("Only an issued or paid invoice can be credited"));
      return NULL;
    }

  if (self->id == 0)
    {
      invalid (error, _("Save the invoice before crediting it"));
      return NULL;
    }

  /* The note takes back what the invoice charged, so it keeps the
   * invoice's tax rules (gross prices stay gross), its buyer and order. */
  note = g_object_new (KASSA_TYPE_INVOICE,
                       "kind", KASSA_INVOICE_KIND_CREDIT_NOTE,
                       "credited-invoice-id", self->id,
                       "customer-id", self->customer_id,
                       "order-id", self->order_id,
                       "currency-code", self->currency_code,
                       "prices-include-tax", self->prices_include_tax,
                       "tax-scope", self->tax_scope,
                       "rounding", self->rounding,
                       "buyer-name", self->buyer_name,
                       "buyer-email", self->buyer_email,
                       "buyer-address", self->buyer_address,
                       NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->lines));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KassaInvoiceLine) line = g_list_model_get_item (G_LIST_MODEL (self->lines), i);
      g_autoptr(KassaInvoiceLine) copy = NULL;

      copy = g_object_new (KASSA_TYPE_INVOICE_LINE,
                           "name", kassa_invoice_line_get_name (line),
                           "description", kassa_invoice_line_get_description (line),
                           "quantity", kassa_invoice_line_get_quantity (line),
                           "unit-price", kassa_invoice_line_get_unit_price (line),
                           "tax-rate", kassa_invoice_line_get_tax_rate (line),
                           NULL);
      g_list_store_append (note->lines, copy);
    }

  return g_steal_pointer (&note);
}

gint64
kassa_invoice_get_order_id (KassaInvoice *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), 0);

  return self->order_id;
}

gboolean
kassa_invoice_set_order_id (KassaInvoice  *self,
                            gint64         order_id,
                            GError       **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->order_id == order_id)
    return TRUE;

  if (!kassa_invoice_check_editable (self, "order-id", error))
    return FALSE;

  self->order_id = order_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ORDER_ID]);

  return TRUE;
}

const char *
kassa_invoice_get_buyer_name (KassaInvoice *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), NULL);

  return self->buyer_name;
}

gboolean
kassa_invoice_set_buyer_name (KassaInvoice  *self,
                              const char    *buyer_name,
                              GError       **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (self->buyer_name, buyer_name) == 0)
    return TRUE;

  if (!kassa_invoice_check_editable (self, "buyer-name", error))
    return FALSE;

  g_free (self->buyer_name);
  self->buyer_name = g_strdup (buyer_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUYER_NAME]);

  return TRUE;
}

const char *
kassa_invoice_get_buyer_email (KassaInvoice *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), NULL);

  return self->buyer_email;
}

gboolean
kassa_invoice_set_buyer_email (KassaInvoice  *self,
                               const char    *buyer_email,
                               GError       **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (self->buyer_email, buyer_email) == 0)
    return TRUE;

  if (!kassa_invoice_check_editable (self, "buyer-email", error))
    return FALSE;

  g_free (self->buyer_email);
  self->buyer_email = g_strdup (buyer_email);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUYER_EMAIL]);

  return TRUE;
}

const char *
kassa_invoice_get_buyer_address (KassaInvoice *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), NULL);

  return self->buyer_address;
}

gboolean
kassa_invoice_set_buyer_address (KassaInvoice  *self,
                                 const char    *buyer_address,
                                 GError       **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (self->buyer_address, buyer_address) == 0)
    return TRUE;

  if (!kassa_invoice_check_editable (self, "buyer-address", error))
    return FALSE;

  g_free (self->buyer_address);
  self->buyer_address = g_strdup (buyer_address);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUYER_ADDRESS]);

  return TRUE;
}

gboolean
kassa_invoice_get_prices_include_tax (KassaInvoice *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), FALSE);

  return self->prices_include_tax;
}

gboolean
kassa_invoice_set_prices_include_tax (KassaInvoice  *self,
                                      gboolean       prices_include_tax,
                                      GError       **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  prices_include_tax = !!prices_include_tax;

  if (self->prices_include_tax == prices_include_tax)
    return TRUE;

  if (!kassa_invoice_check_editable (self, "prices-include-tax", error))
    return FALSE;

  self->prices_include_tax = prices_include_tax;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PRICES_INCLUDE_TAX]);

  return TRUE;
}

KassaTaxScope
kassa_invoice_get_tax_scope (KassaInvoice *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), KASSA_TAX_SCOPE_DOCUMENT);

  return self->tax_scope;
}

gboolean
kassa_invoice_set_tax_scope (KassaInvoice   *self,
                             KassaTaxScope   tax_scope,
                             GError        **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->tax_scope == tax_scope)
    return TRUE;

  if (!kassa_invoice_check_editable (self, "tax-scope", error))
    return FALSE;

  self->tax_scope = tax_scope;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TAX_SCOPE]);

  return TRUE;
}

KassaRoundingMode
kassa_invoice_get_rounding (KassaInvoice *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), KASSA_ROUNDING_HALF_UP);

  return self->rounding;
}

gboolean
kassa_invoice_set_rounding (KassaInvoice       *self,
                            KassaRoundingMode   rounding,
                            GError            **error)
{
  g_return_val_if_fail (KASSA_IS_INVOICE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->rounding == rounding)
    return TRUE;

  if (!kassa_invoice_check_editable (self, "rounding", error))
    return FALSE;

  self->rounding = rounding;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ROUNDING]);

  return TRUE;
}
