/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-shift-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "kassa-currency.h"
#include "kassa-error.h"
#include "kassa-money.h"
#include "kassa-shift-dialog.h"
#include "kassa-shop-shifts.h"
#include "kassa-text.h"

struct _KassaShiftDialog
{
  AdwWindow             parent_instance;

  KassaShop            *shop;
  KassaShiftDialogMode  mode;
  char                 *currency;

  AdwWindowTitle       *window_title;
  GtkButton            *confirm_button;
  GtkLabel             *description_label;
  AdwEntryRow          *amount_row;
  AdwEntryRow          *reason_row;
  GtkLabel             *error_label;
};

G_DEFINE_FINAL_TYPE (KassaShiftDialog, kassa_shift_dialog, ADW_TYPE_WINDOW)

enum {
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (KassaShiftDialog *self,
            const char       *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* People type "12.50" or "12,50"; both mean the same here. */
static gboolean
parse_amount (KassaShiftDialog  *self,
              gint64            *amount,
              GError           **error)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->amount_row))));
  const KassaCurrency *currency = kassa_currency_lookup (self->currency, error);
  char point = strchr (text, ',') != NULL && strchr (text, '.') == NULL ? ',' : '.';

  if (currency == NULL)
    return FALSE;

  if (*text == '\0')
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("Enter an amount"));
      return FALSE;
    }

  if (!kassa_money_parse (currency, text, point, amount, error))
    return FALSE;

  if (*amount < 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID, _("The amount cannot be negative"));
      return FALSE;
    }

  return TRUE;
}

static void
confirm_cb (KassaShiftDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  gint64 amount = 0;
  gint64 id = 0;

  if (self->mode != KASSA_SHIFT_DIALOG_NO_SALE && !parse_amount (self, &amount, &error))
    {
      show_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->amount_row));
      return;
    }

  reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_row))));
  if (self->mode != KASSA_SHIFT_DIALOG_OPEN && kassa_text_is_blank (reason))
    {
      show_error (self, _("Say why: a reason is required"));
      gtk_widget_grab_focus (GTK_WIDGET (self->reason_row));
      return;
    }

  switch (self->mode)
    {
    case KASSA_SHIFT_DIALOG_OPEN:
      id = kassa_shop_open_shift (self->shop, NULL, amount, &error);
      break;
    case KASSA_SHIFT_DIALOG_PAID_IN:
      id = kassa_shop_paid_in (self->shop, NULL, amount, reason, &error);
      break;
    case KASSA_SHIFT_DIALOG_PAID_OUT:
      id = kassa_shop_paid_out (self->shop, NULL, amount, reason, &error);
      break;
    case KASSA_SHIFT_DIALOG_NO_SALE:
      id = kassa_shop_no_sale (self->shop, NULL, reason, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (id == 0)
    {
      show_error (self, error->message);
      return;
    }

  g_signal_emit (self, signals[DONE], 0, id);
  gtk_window_close (GTK_WINDOW (self));
}

static void
setup_mode (KassaShiftDialog *self)
{
  const char *title = NULL;
  const char *button = NULL;
  const char *description = NULL;
  g_autofree char *amount_title = NULL;

  switch (self->mode)
    {
    case KASSA_SHIFT_DIALOG_OPEN:
      title = _("Open Shift");
      button = _("_Open Shift");
      description = _("Count the cash the drawer starts with.");
      amount_title = g_strdup_printf (_("Opening float (%s)"), self->currency);
      break;
    case KASSA_SHIFT_DIALOG_PAID_IN:
      title = _("Paid In");
      button = _("_Record");
      description = _("Cash put into the drawer without a sale, such as change from the bank.");
      amount_title = g_strdup_printf (_("Amount paid in (%s)"), self->currency);
      break;
    case KASSA_SHIFT_DIALOG_PAID_OUT:
      title = _("Paid Out");
      button = _("_Record");
      description = _("Cash taken out of the drawer, such as a delivery paid at the door.");
      amount_title = g_strdup_printf (_("Amount paid out (%s)"), self->currency);
      break;
    case KASSA_SHIFT_DIALOG_NO_SALE:
      title = _("No Sale");
      button = _("_Open Drawer");
      description = _("Open the drawer without a sale. Every opening is recorded with its reason.");
      break;
    default:
      g_assert_not_reached ();
    }

  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);
  gtk_button_set_label (self->confirm_button, button);
  gtk_label_set_label (self->description_label, description);
  gtk_widget_set_visible (GTK_WIDGET (self->amount_row), amount_title != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->reason_row), self->mode != KASSA_SHIFT_DIALOG_OPEN);
  if (amount_title != NULL)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->amount_row), amount_title);

  gtk_widget_grab_focus (self->mode == KASSA_SHIFT_DIALOG_NO_SALE
                         ? GTK_WIDGET (self->reason_row) : GTK_WIDGET (self->amount_row));
}

static void
kassa_shift_dialog_dispose (GObject *object)
{
  KassaShiftDialog *self = KASSA_SHIFT_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KASSA_TYPE_SHIFT_DIALOG);
  g_clear_object (&self->shop);

  G_OBJECT_CLASS (kassa_shift_dialog_parent_class)->dispose (object);
}

static void
kassa_shift_dialog_finalize (GObject *object)
{
  KassaShiftDialog *self = KASSA_SHIFT_DIALOG (object);

  g_free (self->currency);

  G_OBJECT_CLASS (kassa_shift_dialog_parent_class)->finalize (object);
}

static void
kassa_shift_dialog_class_init (KassaShiftDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kassa_shift_dialog_dispose;
  object_class->finalize = kassa_shift_dialog_finalize;

  signals[DONE] = g_signal_new ("done",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL,
                                G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kassapos/Kassa/ui/kassa-shift-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KassaShiftDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, KassaShiftDialog, confirm_button);
  gtk_widget_class_bind_template_child (widget_class, KassaShiftDialog, description_label);
  gtk_widget_class_bind_template_child (widget_class, KassaShiftDialog, amount_row);
  gtk_widget_class_bind_template_child (widget_class, KassaShiftDialog, reason_row);
  gtk_widget_class_bind_template_child (widget_class, KassaShiftDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, confirm_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
kassa_shift_dialog_init (KassaShiftDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

KassaShiftDialog *
kassa_shift_dialog_new (GtkWindow            *parent,
                        KassaShop            *shop,
                        KassaShiftDialogMode  mode)
{
  KassaShiftDialog *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (KASSA_IS_SHOP (shop), NULL);
  g_return_val_if_fail (mode <= KASSA_SHIFT_DIALOG_NO_SALE, NULL);

  self = g_object_new (KASSA_TYPE_SHIFT_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->shop = g_object_ref (shop);
  self->mode = mode;
  self->currency = kassa_shop_get_shift_currency (shop, NULL, &error);
  if (self->currency == NULL)
    {
      g_warning ("Could not read the drawer's currency: %s", error->message);
      self->currency = g_strdup ("EUR");
    }

  setup_mode (self);

  return self;
}

KassaShiftDialogMode
kassa_shift_dialog_get_mode (KassaShiftDialog *self)
{
  g_return_val_if_fail (KASSA_IS_SHIFT_DIALOG (self), KASSA_SHIFT_DIALOG_OPEN);

  return self->mode;
}

const char *
kassa_shift_dialog_get_error (KassaShiftDialog *self)
{
  g_return_val_if_fail (KASSA_IS_SHIFT_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;

  return gtk_label_get_label (self->error_label);
}

void
kassa_shift_dialog_confirm (KassaShiftDialog *self)
{
  g_return_if_fail (KASSA_IS_SHIFT_DIALOG (self));

  confirm_cb (self);
}
