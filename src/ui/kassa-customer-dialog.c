/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-customer-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "kassa-customer-dialog.h"

/* How many customers a name is looked up among. */
#define SEARCH_LIMIT 20

struct _KassaCustomerDialog
{
  AdwMessageDialog  parent_instance;

  KassaTill        *till;
  GError           *error;

  GtkEditable      *name_entry;
  GtkEditable      *email_entry;
  GtkEditable      *phone_entry;
  GtkDropDown      *method_dropdown;
  GtkTextView      *address_view;
};

G_DEFINE_FINAL_TYPE (KassaCustomerDialog, kassa_customer_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  PROP_0,
  PROP_TILL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* An existing customer of exactly that name, so a regular is not made
 * twice. */
static KassaCustomer *
find_customer (KassaCustomerDialog *self,
               const char          *name)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *wanted = g_utf8_casefold (name, -1);

  found = kassa_till_search_customers (self->till, name, SEARCH_LIMIT, NULL);
  for (guint i = 0; found != NULL && i < found->len; i++)
    {
      KassaCustomer *candidate = g_ptr_array_index (found, i);
      g_autofree char *candidate_name = g_utf8_casefold (kassa_customer_get_name (candidate), -1);

      if (g_strcmp0 (candidate_name, wanted) == 0)
        return g_object_ref (candidate);
    }

  return NULL;
}

static gboolean
attach (KassaCustomerDialog  *self,
        GError              **error)
{
  const char *name = gtk_editable_get_text (self->name_entry);
  g_autoptr(KassaCustomer) customer = NULL;
  g_autofree char *address = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->address_view);
  GtkTextIter start;
  GtkTextIter end;

  if (name[0] != '\0')
    {
      customer = find_customer (self, name);
      if (customer != NULL)
        {
          if (!kassa_till_set_customer (self->till, customer, error))
            return FALSE;
        }
      else
        {
          customer = kassa_till_create_customer (self->till, name,
                                                 gtk_editable_get_text (self->email_entry),
                                                 gtk_editable_get_text (self->phone_entry),
                                                 error);
          if (customer == NULL)
            return FALSE;
        }
    }

  /* Kept exactly as typed: no trimming, line breaks and all. */
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  address = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  return kassa_till_set_delivery (self->till, gtk_drop_down_get_selected (self->method_dropdown),
                                  address, error);
}

static void
response_cb (KassaCustomerDialog *self,
             const char          *response)
{
  g_clear_error (&self->error);

  if (g_strcmp0 (response, "walk-in") == 0)
    kassa_till_set_customer (self->till, NULL, &self->error);
  else if (g_strcmp0 (response, "attach") == 0)
    attach (self, &self->error);
}

static void
kassa_customer_dialog_constructed (GObject *object)
{
  KassaCustomerDialog *self = KASSA_CUSTOMER_DIALOG (object);
  KassaCart *cart = kassa_till_get_cart (self->till);
  KassaCustomer *customer = kassa_cart_get_customer (cart);
  const char *address = kassa_cart_get_delivery_address (cart);

  G_OBJECT_CLASS (kassa_customer_dialog_parent_class)->constructed (object);

  if (customer != NULL && !kassa_customer_get_is_walk_in (customer))
    {
      gtk_editable_set_text (self->name_entry, kassa_customer_get_name (customer));
      gtk_editable_set_text (self->email_entry, kassa_customer_get_email (customer) ?: "");
      gtk_editable_set_text (self->phone_entry, kassa_customer_get_phone (customer) ?: "");
    }
  gtk_drop_down_set_selected (self->method_dropdown, kassa_cart_get_delivery_method (cart));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->address_view), address != NULL ? address : "", -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

static void
kassa_customer_dialog_dispose (GObject *object)
{
  KassaCustomerDialog *self = KASSA_CUSTOMER_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), KASSA_TYPE_CUSTOMER_DIALOG);
  g_clear_object (&self->till);

  G_OBJECT_CLASS (kassa_customer_dialog_parent_class)->dispose (object);
}

static void
kassa_customer_dialog_finalize (GObject *object)
{
  KassaCustomerDialog *self = KASSA_CUSTOMER_DIALOG (object);

  g_clear_error (&self->error);

  G_OBJECT_CLASS (kassa_customer_dialog_parent_class)->finalize (object);
}

static void
kassa_customer_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  KassaCustomerDialog *self = KASSA_CUSTOMER_DIALOG (object);

  switch (prop_id)
    {
    case PROP_TILL:
      g_value_set_object (value, self->till);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_customer_dialog_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  KassaCustomerDialog *self = KASSA_CUSTOMER_DIALOG (object);

  switch (prop_id)
    {
    case PROP_TILL:
      self->till = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_customer_dialog_class_init (KassaCustomerDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = kassa_customer_dialog_constructed;
  object_class->dispose = kassa_customer_dialog_dispose;
  object_class->finalize = kassa_customer_dialog_finalize;
  object_class->get_property = kassa_customer_dialog_get_property;
  object_class->set_property = kassa_customer_dialog_set_property;

  properties[PROP_TILL] =
    g_param_spec_object ("till", NULL, NULL, KASSA_TYPE_TILL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kassapos/Kassa/ui/kassa-customer-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KassaCustomerDialog, name_entry);
  gtk_widget_class_bind_template_child (widget_class, KassaCustomerDialog, email_entry);
  gtk_widget_class_bind_template_child (widget_class, KassaCustomerDialog, phone_entry);
  gtk_widget_class_bind_template_child (widget_class, KassaCustomerDialog, method_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KassaCustomerDialog, address_view);
  gtk_widget_class_bind_template_callback (widget_class, response_cb);
}

static void
kassa_customer_dialog_init (KassaCustomerDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

KassaCustomerDialog *
kassa_customer_dialog_new (KassaTill *till)
{
  g_return_val_if_fail (KASSA_IS_TILL (till), NULL);

  return g_object_new (KASSA_TYPE_CUSTOMER_DIALOG, "till", till, NULL);
}

const GError *
kassa_customer_dialog_get_error (KassaCustomerDialog *self)
{
  g_return_val_if_fail (KASSA_IS_CUSTOMER_DIALOG (self), NULL);

  return self->error;
}
