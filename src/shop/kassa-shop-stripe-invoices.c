/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-shop-stripe-invoices"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "kassa-currency.h"
#include "kassa-document-totals.h"
#include "kassa-error.h"
#include "kassa-invoice-repository.h"
#include "kassa-payment-error.h"
#include "kassa-shop-private.h"
#include "kassa-shop-stripe-invoices.h"
#include "kassa-stripe-state-repository.h"

typedef enum
{
  STEP_FIND_CUSTOMER,
  STEP_CREATE_CUSTOMER,
  STEP_CREATE_INVOICE,
  STEP_ADD_ITEM,
  STEP_FINALIZE,
  STEP_SEND,
} Step;

typedef struct
{
  KassaShop                  *shop;
  KassaStripeClient          *client;
  KassaStripeStateRepository *state;
  KassaInvoiceRepository     *invoices;
  KassaInvoice               *invoice;
  KassaTotals                *totals;
  gboolean                    send;
  char                       *key_base;
  char                       *key;       /* of the request in flight */
  char                       *customer;
  char                       *stripe_invoice;
  char                       *hosted_url;
  guint                       next_line;
  Step                        step;
} Push;

static void
push_free (Push *push)
{
  g_clear_object (&push->shop);
  g_clear_object (&push->client);
  g_clear_object (&push->state);
  g_clear_object (&push->invoices);
  g_clear_object (&push->invoice);
  g_clear_pointer (&push->totals, kassa_totals_unref);
  g_free (push->key_base);
  g_free (push->key);
  g_free (push->customer);
  g_free (push->stripe_invoice);
  g_free (push->hosted_url);
  g_free (push);
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* 2500 thousandths → "2.5"; 190000 ppm at 4 digits → "19". */
static char *
format_fixed (gint64 value,
              guint  digits)
{
  gint64 scale = 1;
  g_autofree char *fraction = NULL;
  gsize length;

  for (guint i = 0; i < digits; i++)
    scale *= 10;

  if (value % scale == 0)
    return g_strdup_printf ("%" PRId64, value / scale);

  fraction = g_strdup_printf ("%0*" PRId64, (int) digits, ABS (value % scale));
  length = strlen (fraction);
  while (length > 0 && fraction[length - 1] == '0')
    fraction[--length] = '\0';

  return g_strdup_printf ("%s%" PRId64 ".%s", value < 0 ? "-" : "", ABS (value / scale), fraction);
}

static void step_done_cb (GObject *source, GAsyncResult *result, gpointer user_data);

/* Every POST of a push has a key made from the invoice and the step, so
 * a second push after a failure meets Stripe's stored answers instead
 * of making a second customer or invoice. The key is stored before the
 * request leaves, like every other. */
/* Takes @owned_task: handed on to the request, or dropped on failure. */
static void
post (GTask           *owned_task,
      const char      *path,
      KassaStripeForm *form,
      const char      *step_name)
{
  g_autoptr(GTask) task = owned_task;
  Push *push = g_task_get_task_data (task);
  g_autoptr(KassaStripeRequest) existing = NULL;
  g_autoptr(GError) error = NULL;

  g_free (push->key);
  push->key = g_strdup_printf ("%s-%s", push->key_base, step_name);

  existing = kassa_stripe_state_repository_load_request (push->state, push->key, &error);
  if (existing == NULL)
    {
      KassaStripeRequest request = { 0, };
      g_autofree char *body = kassa_stripe_form_encode (form);

      if (!g_error_matches (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_clear_error (&error);

      request.idempotency_key = push->key;
      request.method = (char *) "POST";
      request.path = (char *) path;
      request.body = body;
      request.entity_kind = (char *) "invoice";
      request.entity_id = kassa_invoice_get_id (push->invoice);
      if (!kassa_stripe_state_repository_add_request (push->state, &request, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  kassa_stripe_client_post_async (push->client, path, form, push->key, g_task_get_cancellable (task),
                                  step_done_cb, g_object_ref (task));
}

static void
find_customer (GTask *task)
{
  Push *push = g_task_get_task_data (task);
  g_autoptr(KassaStripeForm) query = kassa_stripe_form_new ();

  push->step = STEP_FIND_CUSTOMER;
  kassa_stripe_form_add (query, "email", kassa_invoice_get_buyer_email (push->invoice));
  kassa_stripe_form_add_int (query, "limit", 1);
  kassa_stripe_client_get_async (push->client, "/v1/customers", query, g_task_get_cancellable (task),
                                 step_done_cb, task);
}

static void
create_customer (GTask *task)
{
  Push *push = g_task_get_task_data (task);
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  const char *name = kassa_invoice_get_buyer_name (push->invoice);

  push->step = STEP_CREATE_CUSTOMER;
  kassa_stripe_form_add (form, "email", kassa_invoice_get_buyer_email (push->invoice));
  if (name != NULL && *name != '\0')
    kassa_stripe_form_add (form, "name", name);
  kassa_stripe_form_add_int (form, "metadata[kassa_customer_id]", kassa_invoice_get_customer_id (push->invoice));
  post (task, "/v1/customers", form, "customer");
}

static void
create_invoice (GTask *task)
{
  Push *push = g_task_get_task_data (task);
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  g_autofree char *currency = g_ascii_strdown (kassa_invoice_get_currency_code (push->invoice), -1);
  GDateTime *issued = kassa_invoice_get_issue_date (push->invoice);
  GDateTime *due = kassa_invoice_get_due_date (push->invoice);
  gint64 days = 0;

  /* From the frozen dates, not from today: the same push repeated
   * tomorrow must send the same parameters under the same key. */
  if (issued != NULL && due != NULL)
    days = MAX (0, g_date_time_difference (due, issued) / G_TIME_SPAN_DAY);

  push->step = STEP_CREATE_INVOICE;
  kassa_stripe_form_add (form, "customer", push->customer);
  kassa_stripe_form_add (form, "currency", currency);
  kassa_stripe_form_add (form, "collection_method", "send_invoice");
  kassa_stripe_form_add_int (form, "days_until_due", days);
  kassa_stripe_form_add_bool (form, "auto_advance", FALSE);
  kassa_stripe_form_add (form, "pending_invoice_items_behavior", "exclude");
  kassa_stripe_form_add_int (form, "metadata[invoice_id]", kassa_invoice_get_id (push->invoice));
  kassa_stripe_form_add (form, "metadata[reference]", kassa_invoice_get_reference (push->invoice));
  post (task, "/v1/invoices", form, "invoice");
}

static void
add_item (GTask *task)
{
  Push *push = g_task_get_task_data (task);
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  g_autoptr(KassaInvoiceLine) line = g_list_model_get_item (kassa_invoice_get_lines (push->invoice), push->next_line);
  const KassaLineTotals *line_totals = kassa_totals_get_line (push->totals, push->next_line);
  g_autofree char *currency = g_ascii_strdown (kassa_invoice_get_currency_code (push->invoice), -1);
  g_autofree char *quantity = format_fixed (kassa_invoice_line_get_quantity (line), 3);
  g_autofree char *rate = format_fixed (kassa_invoice_line_get_tax_rate (line), 4);
  g_autofree char *description = NULL;
  g_autofree char *step_name = g_strdup_printf ("item-%u", push->next_line);

  /* The line's total with its share of the tax, as the engine computed
   * it: the items add up to the issued total exactly. */
  description = g_strdup_printf (_("%s × %s (incl. %s %% VAT)"), kassa_invoice_line_get_name (line), quantity, rate);

  push->step = STEP_ADD_ITEM;
  kassa_stripe_form_add (form, "customer", push->customer);
  kassa_stripe_form_add (form, "invoice", push->stripe_invoice);
  kassa_stripe_form_add (form, "currency", currency);
  kassa_stripe_form_add_int (form, "amount", line_totals->total);
  kassa_stripe_form_add (form, "description", description);
  kassa_stripe_form_add_int (form, "metadata[line]", push->next_line + 1);
  post (task, "/v1/invoiceitems", form, step_name);
}

static void
finalize (GTask *task)
{
  Push *push = g_task_get_task_data (task);
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  g_autofree char *path = g_strdup_printf ("/v1/invoices/%s/finalize", push->stripe_invoice);

  push->step = STEP_FINALIZE;
  kassa_stripe_form_add_bool (form, "auto_advance", FALSE);
  post (task, path, form, "finalize");
}

static void
send_invoice (GTask *task)
{
  Push *push = g_task_get_task_data (task);
  g_autoptr(KassaStripeForm) form = kassa_stripe_form_new ();
  g_autofree char *path = g_strdup_printf ("/v1/invoices/%s/send", push->stripe_invoice);

  push->step = STEP_SEND;
  post (task, path, form, "send");
}

static gboolean
audit (Push    *push,
       GError **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *entity = g_strdup_printf ("%" PRId64, kassa_invoice_get_id (push->invoice));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reference");
  json_builder_add_string_value (builder, kassa_invoice_get_reference (push->invoice));
  json_builder_set_member_name (builder, "stripe_invoice");
  json_builder_add_string_value (builder, push->stripe_invoice);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, kassa_totals_get_total (push->totals));
  json_builder_set_member_name (builder, "sent");
  json_builder_add_boolean_value (builder, push->send);
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  return kassa_audit_log_record (kassa_shop_get_audit_log (push->shop), kassa_shop_get_actor_id (push->shop),
                                 "invoice-pushed-to-stripe", "invoice", entity, details, error) > 0;
}

static void
step_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Push *push = g_task_get_task_data (task);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;

  object = kassa_stripe_client_request_finish (KASSA_STRIPE_CLIENT (source), result, NULL, &error);
  if (object == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (push->step != STEP_FIND_CUSTOMER &&
      !kassa_stripe_state_repository_finish_request (push->state, push->key, KASSA_STRIPE_OUTCOME_SUCCEEDED,
                                                     string_member (object, "id"), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  switch (push->step)
    {
    case STEP_FIND_CUSTOMER:
      {
        JsonNode *data = json_object_has_member (object, "data") ? json_object_get_member (object, "data") : NULL;
        JsonArray *found = data != NULL && JSON_NODE_HOLDS_ARRAY (data) ? json_node_get_array (data) : NULL;

        if (found != NULL && json_array_get_length (found) > 0)
          {
            push->customer = g_strdup (string_member (json_array_get_object_element (found, 0), "id"));
            if (push->customer != NULL)
              {
                create_invoice (g_steal_pointer (&task));
                return;
              }
          }
        create_customer (g_steal_pointer (&task));
        return;
      }

    case STEP_CREATE_CUSTOMER:
      push->customer = g_strdup (string_member (object, "id"));
      create_invoice (g_steal_pointer (&task));
      return;

    case STEP_CREATE_INVOICE:
      g_free (push->stripe_invoice);
      push->stripe_invoice = g_strdup (string_member (object, "id"));
      if (push->stripe_invoice == NULL ||
          !kassa_invoice_repository_set_stripe_link (push->invoices, kassa_invoice_get_id (push->invoice),
                                                     push->stripe_invoice, NULL, &error))
        {
          if (error == NULL)
            g_set_error_literal (&error, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_RESPONSE,
                                 _("Stripe answered without an invoice id"));
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      push->next_line = 0;
      add_item (g_steal_pointer (&task));
      return;

    case STEP_ADD_ITEM:
      if (++push->next_line < kassa_totals_get_n_lines (push->totals))
        add_item (g_steal_pointer (&task));
      else
        finalize (g_steal_pointer (&task));
      return;

    case STEP_FINALIZE:
      {
        gint64 stripe_total = -1;

        if (json_object_has_member (object, "total"))
          stripe_total = json_object_get_int_member (object, "total");
        push->hosted_url = g_strdup (string_member (object, "hosted_invoice_url"));
        if (push->hosted_url == NULL)
          {
            g_task_return_new_error (task, KASSA_PAYMENT_ERROR, KASSA_PAYMENT_ERROR_INVALID_RESPONSE,
                                     "%s", _("Stripe finalized the invoice without a pay page"));
            return;
          }
        if (stripe_total != kassa_totals_get_total (push->totals))
          {
            g_task_return_new_error (task, KASSA_ERROR, KASSA_ERROR_INVALID,
                                     _("Stripe’s invoice total (%" PRId64 ") differs from the issued total (%"
                                       PRId64 ")"),
                                     stripe_total, kassa_totals_get_total (push->totals));
            return;
          }
        if (!kassa_invoice_repository_set_stripe_link (push->invoices, kassa_invoice_get_id (push->invoice),
                                                       push->stripe_invoice, push->hosted_url, &error) ||
            !audit (push, &error))
          {
            g_task_return_error (task, g_steal_pointer (&error));
            return;
          }
        if (push->send)
          send_invoice (g_steal_pointer (&task));
        else
          g_task_return_pointer (task, g_strdup (push->hosted_url), g_free);
        return;
      }

    case STEP_SEND:
      g_task_return_pointer (task, g_strdup (push->hosted_url), g_free);
      return;

    default:
      g_assert_not_reached ();
    }
}

static gboolean
prepare (Push     *push,
         gint64    invoice_id,
         GError  **error)
{
  g_autoptr(GChecksum) checksum = NULL;
  KassaTaxSettings settings = { 0, };
  const char *email;
  gint64 stored_total = 0;

  if (!kassa_shop_check_permission (push->shop, KASSA_PERMISSION_MANAGE_INVOICES, error))
    return FALSE;

  push->invoice = kassa_invoice_repository_load (push->invoices, invoice_id, error);
  if (push->invoice == NULL)
    return FALSE;

  if (kassa_invoice_get_kind (push->invoice) != KASSA_INVOICE_KIND_INVOICE ||
      kassa_invoice_get_status (push->invoice) != KASSA_INVOICE_STATUS_ISSUED)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("Only an issued, unpaid invoice can be paid through Stripe"));
      return FALSE;
    }

  email = kassa_invoice_get_buyer_email (push->invoice);
  if (email == NULL || strchr (email, '@') == NULL)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("Stripe needs the buyer’s e-mail address to send the invoice"));
      return FALSE;
    }

  settings.currency = kassa_currency_lookup (kassa_invoice_get_currency_code (push->invoice), error);
  if (settings.currency == NULL)
    return FALSE;
  push->totals = kassa_invoice_compute_totals (push->invoice, &settings, 0, error);
  if (push->totals == NULL)
    return FALSE;

  /* What Stripe will ask for must be what was issued, to the cent. */
  if (!kassa_invoice_repository_get_stored_totals (push->invoices, invoice_id, NULL, NULL, &stored_total, error))
    return FALSE;
  if (stored_total != kassa_totals_get_total (push->totals) || kassa_totals_get_n_lines (push->totals) == 0)
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("The invoice’s lines do not add up to its issued total"));
      return FALSE;
    }

  /* The public token is random and frozen with the invoice: a stable,
   * unguessable base for the keys, hashed so it never leaves as is. */
  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *) "kassa-stripe-invoice:", -1);
  g_checksum_update (checksum, (const guchar *) kassa_invoice_get_public_token (push->invoice), -1);
  push->key_base = g_strndup (g_checksum_get_string (checksum), 40);

  return TRUE;
}

/**
 * kassa_shop_push_invoice_to_stripe_async:
 * @shop: a #KassaShop
 * @client: the Stripe client
 * @invoice_id: an issued invoice
 * @send: whether Stripe should e-mail it to the buyer
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the hosted invoice page
 * @user_data: for @callback
 *
 * Needs Stripe: the pay page only exists once Stripe finalized the
 * invoice. An invoice already pushed is only sent again when asked.
 */
void
kassa_shop_push_invoice_to_stripe_async (KassaShop           *shop,
                                         KassaStripeClient   *client,
                                         gint64               invoice_id,
                                         gboolean             send,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Push *push;

  g_return_if_fail (KASSA_IS_SHOP (shop));
  g_return_if_fail (KASSA_IS_STRIPE_CLIENT (client));

  task = g_task_new (shop, cancellable, callback, user_data);
  g_task_set_source_tag (task, kassa_shop_push_invoice_to_stripe_async);

  push = g_new0 (Push, 1);
  push->shop = g_object_ref (shop);
  push->client = g_object_ref (client);
  push->send = send;
  push->state = kassa_stripe_state_repository_new (kassa_shop_get_database (shop));
  push->invoices = kassa_invoice_repository_new (kassa_shop_get_database (shop));
  g_task_set_task_data (task, push, (GDestroyNotify) push_free);

  if (!prepare (push, invoice_id, &error) ||
      !kassa_invoice_repository_get_stripe_link (push->invoices, invoice_id, &push->stripe_invoice,
                                                 &push->hosted_url, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (push->hosted_url != NULL)
    {
      if (send)
        send_invoice (g_steal_pointer (&task));
      else
        g_task_return_pointer (task, g_strdup (push->hosted_url), g_free);
      return;
    }

  find_customer (g_steal_pointer (&task));
}

/**
 * kassa_shop_push_invoice_to_stripe_finish:
 *
 * Returns: (transfer full): the hosted invoice page, or %NULL with @error set
 */
char *
kassa_shop_push_invoice_to_stripe_finish (KassaShop     *shop,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (KASSA_IS_SHOP (shop), NULL);
  g_return_val_if_fail (g_task_is_valid (result, shop), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kassa_shop_push_invoice_to_stripe_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * kassa_shop_get_invoice_stripe_url:
 * @shop: a #KassaShop
 * @invoice_id: an invoice
 * @error: a location for a #GError
 *
 * Returns: (transfer full) (nullable): the invoice's Stripe pay page, or
 *   %NULL (without @error) when it was not pushed
 */
char *
kassa_shop_get_invoice_stripe_url (KassaShop  *shop,
                                   gint64      invoice_id,
                                   GError    **error)
{
  g_autoptr(KassaInvoiceRepository) invoices = NULL;
  char *url = NULL;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  invoices = kassa_invoice_repository_new (kassa_shop_get_database (shop));
  kassa_invoice_repository_get_stripe_link (invoices, invoice_id, NULL, &url, error);

  return url;
}
