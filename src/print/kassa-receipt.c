/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-receipt"

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>

#include "kassa-money.h"
#include "kassa-print-error.h"
#include "kassa-print-private.h"
#include "kassa-receipt.h"

typedef struct
{
  char  *description;
  guint  duration_minutes;
} ServiceInfo;

struct _KassaReceipt
{
  GObject parent_instance;

  KassaStoreProfile *profile;
  KassaOrder        *order;
  KassaTotals       *totals;
  char              *cashier_name;
  GDateTime         *time;
  guint              reprint_count;
  char              *invoice_link;
  gint64             cash_tendered;
  gint64             cash_change;
  char              *delivery_note;
  /* order line position → ServiceInfo */
  GHashTable        *services;

  /* Decoded once: every render would otherwise repeat the work. */
  cairo_surface_t   *logo;
  gboolean           logo_loaded;
  QRcode            *qr;
};

G_DEFINE_FINAL_TYPE (KassaReceipt, kassa_receipt, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_ORDER,
  PROP_CASHIER_NAME,
  PROP_TIME,
  PROP_REPRINT_COUNT,
  PROP_INVOICE_LINK,
  PROP_DELIVERY_NOTE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
service_info_free (gpointer data)
{
  ServiceInfo *info = data;

  g_free (info->description);
  g_free (info);
}

static void
pair_money (KassaPrintCursor           *cursor,
            const KassaCurrency        *currency,
            const char                 *label,
            gint64                      amount,
            const PangoFontDescription *font)
{
  g_autofree char *text = kassa_print_format_money (currency, amount);

  kassa_print_pair (cursor, label, text, font);
}

static void
draw_logo (KassaReceipt     *self,
           KassaPrintCursor *cursor)
{
  cairo_surface_t *logo;
  double w, h, scale;

  if (!self->logo_loaded)
    {
      self->logo = kassa_print_png_surface_new (kassa_store_profile_get_logo (self->profile));
      self->logo_loaded = TRUE;
    }
  logo = self->logo;
  if (logo == NULL)
    return;

  w = cairo_image_surface_get_width (logo);
  h = cairo_image_surface_get_height (logo);
  /* At most half the width and 20 mm high, never enlarged past its
   * pixels at 203 dpi so it stays crisp on a thermal head. */
  scale = MIN (cursor->width * 0.5 / w, 20.0 * KASSA_PT_PER_MM / h);
  scale = MIN (scale, 72.0 / 203.0 * 2.0);

  if (cursor->draw)
    {
      cairo_save (cursor->cr);
      cairo_translate (cursor->cr, cursor->x + (cursor->width - w * scale) / 2, cursor->y);
      cairo_scale (cursor->cr, scale, scale);
      cairo_set_source_surface (cursor->cr, logo, 0, 0);
      cairo_paint (cursor->cr);
      cairo_restore (cursor->cr);
    }
  cursor->y += h * scale + 4.0;
}

static void
draw_header (KassaReceipt            *self,
             KassaPrintCursor        *cursor,
             const KassaReceiptFonts *fonts)
{
  KassaStoreProfile *p = self->profile;
  const char *contacts[] = {
    kassa_store_profile_get_phone (p),
    kassa_store_profile_get_email (p),
    kassa_store_profile_get_website (p),
  };

  draw_logo (self, cursor);
  kassa_print_paragraph (cursor, kassa_store_profile_get_name (p), fonts->title, PANGO_ALIGN_CENTER);
  kassa_print_paragraph (cursor, kassa_store_profile_get_tagline (p), fonts->small, PANGO_ALIGN_CENTER);
  kassa_print_paragraph (cursor, kassa_store_profile_get_address (p), fonts->regular, PANGO_ALIGN_CENTER);
  for (guint i = 0; i < G_N_ELEMENTS (contacts); i++)
    kassa_print_paragraph (cursor, contacts[i], fonts->small, PANGO_ALIGN_CENTER);
  if (kassa_store_profile_get_tax_id (p)[0] != '\0')
    {
      g_autofree char *tax_id = g_strdup_printf (_("Tax ID: %s"), kassa_store_profile_get_tax_id (p));

      kassa_print_paragraph (cursor, tax_id, fonts->small, PANGO_ALIGN_CENTER);
    }

  if (self->reprint_count > 0)
    {
      g_autofree char *count = g_strdup_printf (_("Reprint %u"), self->reprint_count);
      double top = cursor->y + 3.0;

      cursor->y += 5.0;
      kassa_print_paragraph (cursor, _("DUPLICATE"), fonts->banner, PANGO_ALIGN_CENTER);
      kassa_print_paragraph (cursor, count, fonts->regular, PANGO_ALIGN_CENTER);
      if (cursor->draw)
        {
          cairo_save (cursor->cr);
          cairo_set_line_width (cursor->cr, 1.5);
          cairo_rectangle (cursor->cr, cursor->x + 1, top, cursor->width - 2, cursor->y - top + 2);
          cairo_stroke (cursor->cr);
          cairo_restore (cursor->cr);
        }
      cursor->y += 4.0;
    }
}

static void
draw_order_info (KassaReceipt            *self,
                 KassaPrintCursor        *cursor,
                 const KassaReceiptFonts *fonts)
{
  GDateTime *time = self->time != NULL ? self->time : kassa_order_get_created_at (self->order);
  g_autofree char *when = kassa_print_format_time (time);

  kassa_print_rule (cursor, 0.5);
  kassa_print_pair (cursor, _("Order"), kassa_order_get_number (self->order), fonts->bold);
  kassa_print_pair (cursor, _("Date"), when, fonts->regular);
  if (self->cashier_name != NULL)
    kassa_print_pair (cursor, _("Cashier"), self->cashier_name, fonts->regular);
  kassa_print_rule (cursor, 0.5);
}

static void
draw_lines (KassaReceipt            *self,
            KassaPrintCursor        *cursor,
            const KassaReceiptFonts *fonts,
            const KassaCurrency     *currency)
{
  GListModel *lines = kassa_order_get_lines (self->order);
  guint n = g_list_model_get_n_items (lines);
  guint n_totals = kassa_totals_get_n_lines (self->totals);

  for (guint i = 0; i < n && i < n_totals; i++)
    {
      g_autoptr(KassaOrderLine) line = g_list_model_get_item (lines, i);
      const KassaLineTotals *lt = kassa_totals_get_line (self->totals, i);
      ServiceInfo *service = g_hash_table_lookup (self->services, GUINT_TO_POINTER (i));
      g_autofree char *quantity = kassa_quantity_format (kassa_order_line_get_quantity (line));
      g_autofree char *unit = kassa_print_format_money (currency, kassa_order_line_get_unit_price (line));
      g_autofree char *qty_price = g_strdup_printf ("%s × %s", quantity, unit);
      g_autofree char *total = kassa_print_format_money (currency, lt->total);

      kassa_print_paragraph (cursor, kassa_order_line_get_name (line), fonts->bold, PANGO_ALIGN_LEFT);
      if (service != NULL)
        {
          g_autofree char *duration = kassa_print_format_duration (service->duration_minutes);

          kassa_print_paragraph (cursor, service->description, fonts->small, PANGO_ALIGN_LEFT);
          kassa_print_pair (cursor, _("Duration"), duration, fonts->regular);
          kassa_print_pair (cursor, qty_price, "", fonts->regular);
          if (lt->line_discount != 0)
            pair_money (cursor, currency, _("Discount"), -lt->line_discount, fonts->regular);
          if (lt->document_discount != 0)
            pair_money (cursor, currency, _("Order discount"), -lt->document_discount, fonts->regular);
          kassa_print_pair (cursor, _("Amount paid"), total, fonts->bold);
        }
      else
        {
          kassa_print_pair (cursor, qty_price, total, fonts->regular);
          if (lt->line_discount != 0)
            pair_money (cursor, currency, _("Discount"), -lt->line_discount, fonts->small);
          if (lt->document_discount != 0)
            pair_money (cursor, currency, _("Order discount"), -lt->document_discount, fonts->small);
        }
      cursor->y += 2.0;
    }

  /* The engine appends shipping after the order's lines. */
  for (guint i = n; i < n_totals; i++)
    pair_money (cursor, currency, _("Shipping"), kassa_totals_get_line (self->totals, i)->total,
                fonts->regular);
}

static void
draw_tax_table (KassaReceipt            *self,
                KassaPrintCursor        *cursor,
                const KassaReceiptFonts *fonts,
                const KassaCurrency     *currency)
{
  guint n = kassa_totals_get_n_tax_lines (self->totals);
  /* The rate is short; the three amounts share the rest evenly so they
   * keep apart even on 58 mm paper. */
  double rate_width = cursor->width * 0.19;
  double col = (cursor->width - rate_width) / 3.0;
  double x[4] = { 0, rate_width, rate_width + col, rate_width + 2 * col };
  double w[4] = { rate_width, col, col, col };
  const char *headers[] = { _("VAT"), _("Net"), _("Tax"), _("Gross") };
  double row_height = 0;

  if (n == 0)
    return;

  kassa_print_rule (cursor, 0.5);
  for (guint c = 0; c < 4; c++)
    {
      g_autoptr(PangoLayout) layout = kassa_print_layout_new (cursor, headers[c], fonts->small, w[c],
                                                              c == 0 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);

      kassa_print_show_layout (cursor, layout, cursor->x + x[c], cursor->y);
      row_height = MAX (row_height, kassa_print_layout_height (layout));
    }
  cursor->y += row_height;

  for (guint i = 0; i < n; i++)
    {
      const KassaTaxLine *tl = kassa_totals_get_tax_line (self->totals, i);
      g_autofree char *rate = kassa_rate_format (tl->rate);
      char *cells[4];

      cells[0] = g_strdup_printf ("%s %%", rate);
      cells[1] = kassa_print_format_money (currency, tl->base);
      cells[2] = kassa_print_format_money (currency, tl->tax);
      cells[3] = kassa_print_format_money (currency, tl->gross);
      row_height = 0;
      for (guint c = 0; c < 4; c++)
        {
          g_autoptr(PangoLayout) layout = kassa_print_layout_new (cursor, cells[c], fonts->small, w[c],
                                                                  c == 0 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);

          kassa_print_show_layout (cursor, layout, cursor->x + x[c], cursor->y);
          row_height = MAX (row_height, kassa_print_layout_height (layout));
          g_free (cells[c]);
        }
      cursor->y += row_height;
    }
}

static void
draw_totals (KassaReceipt            *self,
             KassaPrintCursor        *cursor,
             const KassaReceiptFonts *fonts,
             const KassaCurrency     *currency)
{
  KassaTotals *t = self->totals;

  kassa_print_rule (cursor, 0.5);
  if (kassa_totals_get_discount (t) != 0)
    pair_money (cursor, currency, _("Discounts included"), -kassa_totals_get_discount (t), fonts->regular);
  pair_money (cursor, currency, _("Untaxed"), kassa_totals_get_untaxed (t), fonts->regular);
  pair_money (cursor, currency, _("Tax"), kassa_totals_get_tax (t), fonts->regular);
  pair_money (cursor, currency, _("Total"), kassa_totals_get_total (t), fonts->title);
  if (kassa_totals_get_cash_rounding (t) != 0)
    {
      pair_money (cursor, currency, _("Cash rounding"), kassa_totals_get_cash_rounding (t), fonts->regular);
      pair_money (cursor, currency, _("Amount due"), kassa_totals_get_amount_due (t), fonts->bold);
    }
}

static void
draw_payments (KassaReceipt            *self,
               KassaPrintCursor        *cursor,
               const KassaReceiptFonts *fonts,
               const KassaCurrency     *currency)
{
  GListModel *payments = kassa_order_get_payments (self->order);
  guint n = g_list_model_get_n_items (payments);

  if (n == 0 && self->cash_tendered == 0)
    return;

  kassa_print_rule (cursor, 0.5);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KassaPayment) payment = g_list_model_get_item (payments, i);
      const char *label = kassa_payment_get_method_label (payment);
      const char *reference = kassa_payment_get_reference (payment);

      if (label == NULL || label[0] == '\0')
        label = kassa_payment_get_provider_id (payment);
      if (label == NULL || label[0] == '\0')
        label = _("Payment");
      pair_money (cursor, currency, label, kassa_payment_get_amount (payment), fonts->regular);
      if (reference != NULL && reference[0] != '\0')
        {
          g_autofree char *text = g_strdup_printf (_("Ref: %s"), reference);

          kassa_print_paragraph (cursor, text, fonts->small, PANGO_ALIGN_LEFT);
        }
    }
  if (self->cash_tendered != 0)
    {
      pair_money (cursor, currency, _("Cash tendered"), self->cash_tendered, fonts->regular);
      pair_money (cursor, currency, _("Change"), self->cash_change, fonts->bold);
    }
}

static void
draw_delivery (KassaReceipt            *self,
               KassaPrintCursor        *cursor,
               const KassaReceiptFonts *fonts)
{
  KassaDeliveryMethod method = kassa_order_get_delivery_method (self->order);
  const char *address = kassa_order_get_shipping_address (self->order);

  if (method == KASSA_DELIVERY_METHOD_NONE && self->delivery_note == NULL)
    return;

  kassa_print_rule (cursor, 0.5);
  if (method == KASSA_DELIVERY_METHOD_DELIVERY)
    {
      kassa_print_paragraph (cursor, _("Delivery to:"), fonts->bold, PANGO_ALIGN_LEFT);
      kassa_print_paragraph (cursor, address, fonts->regular, PANGO_ALIGN_LEFT);
    }
  else if (method == KASSA_DELIVERY_METHOD_PICKUP)
    kassa_print_paragraph (cursor, _("Pickup"), fonts->bold, PANGO_ALIGN_LEFT);
  kassa_print_paragraph (cursor, self->delivery_note, fonts->regular, PANGO_ALIGN_LEFT);
}

static void
draw_invoice_link (KassaReceipt            *self,
                   KassaPrintCursor        *cursor,
                   const KassaReceiptFonts *fonts)
{
  double size;

  if (self->invoice_link == NULL)
    return;

  kassa_print_rule (cursor, 0.5);
  kassa_print_paragraph (cursor, _("Your invoice:"), fonts->bold, PANGO_ALIGN_CENTER);
  if (self->qr == NULL)
    self->qr = kassa_print_qr_encode (self->invoice_link, NULL);
  if (self->qr != NULL)
    {
      size = MIN (cursor->width * 0.6, 36.0 * KASSA_PT_PER_MM);
      if (cursor->draw)
        size = kassa_print_qr_draw (cursor->cr, self->qr, cursor->x + (cursor->width - size) / 2,
                                    cursor->y, size);
      cursor->y += size;
    }
  kassa_print_paragraph (cursor, self->invoice_link, fonts->small, PANGO_ALIGN_CENTER);
}

/* The whole receipt, top to bottom; returns its height. */
static double
layout_receipt (KassaReceipt      *self,
                cairo_t           *cr,
                gboolean           draw,
                KassaReceiptPaper  paper)
{
  const KassaCurrency *currency = kassa_totals_get_currency (self->totals);
  KassaPrintCursor cursor;
  KassaReceiptFonts fonts = { 0 };
  double height;

  kassa_receipt_fonts_init (&fonts, paper);
  kassa_print_cursor_init (&cursor, cr, draw, 0, kassa_receipt_paper_get_content_width (paper), 0);
  if (draw)
    cairo_set_source_rgb (cr, 0, 0, 0);

  draw_header (self, &cursor, &fonts);
  draw_order_info (self, &cursor, &fonts);
  draw_lines (self, &cursor, &fonts, currency);
  draw_tax_table (self, &cursor, &fonts, currency);
  draw_totals (self, &cursor, &fonts, currency);
  draw_payments (self, &cursor, &fonts, currency);
  draw_delivery (self, &cursor, &fonts);
  draw_invoice_link (self, &cursor, &fonts);
  if (kassa_store_profile_get_receipt_footer (self->profile)[0] != '\0')
    {
      kassa_print_rule (&cursor, 0.5);
      kassa_print_paragraph (&cursor, kassa_store_profile_get_receipt_footer (self->profile),
                             fonts.regular, PANGO_ALIGN_CENTER);
    }

  height = ceil (cursor.y + 2.0);
  kassa_print_cursor_clear (&cursor);
  kassa_receipt_fonts_clear (&fonts);
  return height;
}

static void
kassa_receipt_finalize (GObject *object)
{
  KassaReceipt *self = (KassaReceipt *)object;

  g_clear_object (&self->profile);
  g_clear_object (&self->order);
  g_clear_pointer (&self->totals, kassa_totals_unref);
  g_clear_pointer (&self->cashier_name, g_free);
  g_clear_pointer (&self->time, g_date_time_unref);
  g_clear_pointer (&self->invoice_link, g_free);
  g_clear_pointer (&self->delivery_note, g_free);
  g_clear_pointer (&self->services, g_hash_table_unref);
  g_clear_pointer (&self->logo, cairo_surface_destroy);
  g_clear_pointer (&self->qr, QRcode_free);

  G_OBJECT_CLASS (kassa_receipt_parent_class)->finalize (object);
}

static void
kassa_receipt_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KassaReceipt *self = KASSA_RECEIPT (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    case PROP_ORDER:
      g_value_set_object (value, self->order);
      break;
    case PROP_CASHIER_NAME:
      g_value_set_string (value, self->cashier_name);
      break;
    case PROP_TIME:
      g_value_set_boxed (value, self->time);
      break;
    case PROP_REPRINT_COUNT:
      g_value_set_uint (value, self->reprint_count);
      break;
    case PROP_INVOICE_LINK:
      g_value_set_string (value, self->invoice_link);
      break;
    case PROP_DELIVERY_NOTE:
      g_value_set_string (value, self->delivery_note);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_receipt_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  KassaReceipt *self = KASSA_RECEIPT (object);

  switch (prop_id)
    {
    case PROP_CASHIER_NAME:
      kassa_receipt_set_cashier_name (self, g_value_get_string (value));
      break;
    case PROP_TIME:
      kassa_receipt_set_time (self, g_value_get_boxed (value));
      break;
    case PROP_REPRINT_COUNT:
      kassa_receipt_set_reprint_count (self, g_value_get_uint (value));
      break;
    case PROP_INVOICE_LINK:
      kassa_receipt_set_invoice_link (self, g_value_get_string (value));
      break;
    case PROP_DELIVERY_NOTE:
      kassa_receipt_set_delivery_note (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_receipt_class_init (KassaReceiptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kassa_receipt_finalize;
  object_class->get_property = kassa_receipt_get_property;
  object_class->set_property = kassa_receipt_set_property;

  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, KASSA_TYPE_STORE_PROFILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORDER] =
    g_param_spec_object ("order", NULL, NULL, KASSA_TYPE_ORDER,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CASHIER_NAME] =
    g_param_spec_string ("cashier-name", NULL, NULL, NULL, rw);
  properties[PROP_TIME] =
    g_param_spec_boxed ("time", NULL, NULL, G_TYPE_DATE_TIME, rw);
  properties[PROP_REPRINT_COUNT] =
    g_param_spec_uint ("reprint-count", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_INVOICE_LINK] =
    g_param_spec_string ("invoice-link", NULL, NULL, NULL, rw);
  properties[PROP_DELIVERY_NOTE] =
    g_param_spec_string ("delivery-note", NULL, NULL, NULL, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_receipt_init (KassaReceipt *self)
{
  self->services = g_hash_table_new_full (NULL, NULL, NULL, service_info_free);
}

double
kassa_receipt_paper_get_width (KassaReceiptPaper paper)
{
  return (paper == KASSA_RECEIPT_PAPER_58MM ? 58.0 : 80.0) * KASSA_PT_PER_MM;
}

double
kassa_receipt_paper_get_content_width (KassaReceiptPaper paper)
{
  return (paper == KASSA_RECEIPT_PAPER_58MM ? 48.0 : 72.0) * KASSA_PT_PER_MM;
}

KassaReceipt *
kassa_receipt_new (KassaStoreProfile *profile,
                   KassaOrder        *order,
                   KassaTotals       *totals)
{
  KassaReceipt *self;

  g_return_val_if_fail (KASSA_IS_STORE_PROFILE (profile), NULL);
  g_return_val_if_fail (KASSA_IS_ORDER (order), NULL);
  g_return_val_if_fail (totals != NULL, NULL);
  /* The totals of this very order: its lines, then shipping if any. */
  g_return_val_if_fail (kassa_totals_get_n_lines (totals)
                        == g_list_model_get_n_items (kassa_order_get_lines (order))
                           + (kassa_order_get_shipping_cost (order) != 0 ? 1 : 0), NULL);

  self = g_object_new (KASSA_TYPE_RECEIPT, NULL);
  self->profile = g_object_ref (profile);
  self->order = g_object_ref (order);
  self->totals = kassa_totals_ref (totals);
  return self;
}

KassaStoreProfile *
kassa_receipt_get_profile (KassaReceipt *self)
{
  g_return_val_if_fail (KASSA_IS_RECEIPT (self), NULL);
  return self->profile;
}

KassaOrder *
kassa_receipt_get_order (KassaReceipt *self)
{
  g_return_val_if_fail (KASSA_IS_RECEIPT (self), NULL);
  return self->order;
}

KassaTotals *
kassa_receipt_get_totals (KassaReceipt *self)
{
  g_return_val_if_fail (KASSA_IS_RECEIPT (self), NULL);
  return self->totals;
}

const char *
kassa_receipt_get_cashier_name (KassaReceipt *self)
{
  g_return_val_if_fail (KASSA_IS_RECEIPT (self), NULL);
  return self->cashier_name;
}

void
kassa_receipt_set_cashier_name (KassaReceipt *self,
                                const char   *cashier_name)
{
  g_return_if_fail (KASSA_IS_RECEIPT (self));

  if (g_strcmp0 (self->cashier_name, cashier_name) == 0)
    return;
  kassa_print_replace_str (&self->cashier_name, cashier_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASHIER_NAME]);
}

GDateTime *
kassa_receipt_get_time (KassaReceipt *self)
{
  g_return_val_if_fail (KASSA_IS_RECEIPT (self), NULL);
  return self->time != NULL ? self->time : kassa_order_get_created_at (self->order);
}

void
kassa_receipt_set_time (KassaReceipt *self,
                        GDateTime    *time)
{
  g_return_if_fail (KASSA_IS_RECEIPT (self));

  if (self->time == time || (self->time != NULL && time != NULL && g_date_time_equal (self->time, time)))
    return;
  if (time != NULL)
    g_date_time_ref (time);
  g_clear_pointer (&self->time, g_date_time_unref);
  self->time = time;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME]);
}

guint
kassa_receipt_get_reprint_count (KassaReceipt *self)
{
  g_return_val_if_fail (KASSA_IS_RECEIPT (self), 0);
  return self->reprint_count;
}

void
kassa_receipt_set_reprint_count (KassaReceipt *self,
                                 guint         reprint_count)
{
  g_return_if_fail (KASSA_IS_RECEIPT (self));

  if (self->reprint_count == reprint_count)
    return;
  self->reprint_count = reprint_count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPRINT_COUNT]);
}

gboolean
kassa_receipt_is_duplicate (KassaReceipt *self)
{
  g_return_val_if_fail (KASSA_IS_RECEIPT (self), FALSE);
  return self->reprint_count > 0;
}

const char *
kassa_receipt_get_invoice_link (KassaReceipt *self)
{
  g_return_val_if_fail (KASSA_IS_RECEIPT (self), NULL);
  return self->invoice_link;
}

void
kassa_receipt_set_invoice_link (KassaReceipt *self,
                                const char   *invoice_link)
{
  g_return_if_fail (KASSA_IS_RECEIPT (self));

  if (invoice_link != NULL && invoice_link[0] == '\0')
    invoice_link = NULL;
  if (g_strcmp0 (self->invoice_link, invoice_link) == 0)
    return;
  kassa_print_replace_str (&self->invoice_link, invoice_link);
  g_clear_pointer (&self->qr, QRcode_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INVOICE_LINK]);
}

void
kassa_receipt_set_cash_tendered (KassaReceipt *self,
                                 gint64        tendered,
                                 gint64        change)
{
  g_return_if_fail (KASSA_IS_RECEIPT (self));
  g_return_if_fail (tendered >= 0 && change >= 0);

  self->cash_tendered = tendered;
  self->cash_change = change;
}

const char *
kassa_receipt_get_delivery_note (KassaReceipt *self)
{
  g_return_val_if_fail (KASSA_IS_RECEIPT (self), NULL);
  return self->delivery_note;
}

void
kassa_receipt_set_delivery_note (KassaReceipt *self,
                                 const char   *delivery_note)
{
  g_return_if_fail (KASSA_IS_RECEIPT (self));

  if (delivery_note != NULL && delivery_note[0] == '\0')
    delivery_note = NULL;
  if (g_strcmp0 (self->delivery_note, delivery_note) == 0)
    return;
  kassa_print_replace_str (&self->delivery_note, delivery_note);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELIVERY_NOTE]);
}

void
kassa_receipt_set_line_service (KassaReceipt        *self,
                                guint                position,
                                const char          *description,
                                KassaServiceSession *session)
{
  ServiceInfo *info;

  g_return_if_fail (KASSA_IS_RECEIPT (self));
  g_return_if_fail (KASSA_IS_SERVICE_SESSION (session));

  info = g_new0 (ServiceInfo, 1);
  info->description = g_strdup (description);
  info->duration_minutes = kassa_service_session_get_duration_minutes (session);
  g_hash_table_replace (self->services, GUINT_TO_POINTER (position), info);
}

double
kassa_receipt_measure (KassaReceipt      *self,
                       KassaReceiptPaper  paper)
{
  cairo_t *cr;
  double height;

  g_return_val_if_fail (KASSA_IS_RECEIPT (self), 0);

  cr = kassa_print_measure_cairo_new ();
  height = layout_receipt (self, cr, FALSE, paper);
  cairo_destroy (cr);
  return height;
}

void
kassa_receipt_draw (KassaReceipt      *self,
                    cairo_t           *cr,
                    KassaReceiptPaper  paper)
{
  g_return_if_fail (KASSA_IS_RECEIPT (self));
  g_return_if_fail (cr != NULL);

  cairo_save (cr);
  layout_receipt (self, cr, TRUE, paper);
  cairo_restore (cr);
}

void
kassa_receipt_draw_page (KassaReceipt      *self,
                         cairo_t           *cr,
                         KassaReceiptPaper  paper,
                         double             width,
                         double             height,
                         guint              page_nr)
{
  g_return_if_fail (KASSA_IS_RECEIPT (self));
  g_return_if_fail (cr != NULL);
  g_return_if_fail (page_nr == 0);

  cairo_save (cr);
  cairo_translate (cr, MAX (0, (width - kassa_receipt_paper_get_content_width (paper)) / 2), 0);
  layout_receipt (self, cr, TRUE, paper);
  cairo_restore (cr);
}

cairo_surface_t *
kassa_receipt_render_image (KassaReceipt       *self,
                            KassaReceiptPaper   paper,
                            double              dots_per_mm,
                            GError            **error)
{
  double scale = dots_per_mm / KASSA_PT_PER_MM;
  double height = kassa_receipt_measure (self, paper);
  int width_px = (int) lround (kassa_receipt_paper_get_content_width (paper) * scale);
  int height_px = (int) ceil (height * scale);
  cairo_surface_t *surface;
  cairo_t *cr;

  g_return_val_if_fail (KASSA_IS_RECEIPT (self), NULL);
  g_return_val_if_fail (dots_per_mm > 0, NULL);

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width_px, height_px);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  layout_receipt (self, cr, TRUE, paper);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, KASSA_PRINT_ERROR, KASSA_PRINT_ERROR_RENDER,
                   _("Could not draw the receipt: %s"),
                   cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      return NULL;
    }
  return surface;
}

GBytes *
kassa_print_receipt_to_pdf_bytes (KassaReceipt       *receipt,
                                  KassaReceiptPaper   paper,
                                  GError            **error)
{
  g_autoptr(GByteArray) array = g_byte_array_new ();
  double width = kassa_receipt_paper_get_width (paper);
  double margin = (width - kassa_receipt_paper_get_content_width (paper)) / 2;
  double height;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (KASSA_IS_RECEIPT (receipt), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Measure first: the page is exactly as long as the receipt. */
  height = kassa_receipt_measure (receipt, paper) + 2 * margin;
  surface = cairo_pdf_surface_create_for_stream (kassa_print_write_to_array, array, width, height);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE,
                                  kassa_order_get_number (receipt->order));
  cr = cairo_create (surface);
  cairo_translate (cr, margin, margin);
  layout_receipt (receipt, cr, TRUE, paper);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, KASSA_PRINT_ERROR, KASSA_PRINT_ERROR_RENDER,
                   _("Could not write the receipt PDF: %s"), cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&array));
}

gboolean
kassa_print_receipt_to_pdf (KassaReceipt       *receipt,
                            KassaReceiptPaper   paper,
                            const char         *path,
                            GError            **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  bytes = kassa_print_receipt_to_pdf_bytes (receipt, paper, error);
  if (bytes == NULL)
    return FALSE;
  return g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error);
}

GBytes *
kassa_print_receipt_to_png_bytes (KassaReceipt       *receipt,
                                  KassaReceiptPaper   paper,
                                  GError            **error)
{
  g_autoptr(GByteArray) array = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;

  g_return_val_if_fail (KASSA_IS_RECEIPT (receipt), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  surface = kassa_receipt_render_image (receipt, paper, 8.0, error);
  if (surface == NULL)
    return NULL;
  status = cairo_surface_write_to_png_stream (surface, kassa_print_write_to_array, array);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, KASSA_PRINT_ERROR, KASSA_PRINT_ERROR_RENDER,
                   _("Could not write the receipt image: %s"), cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&array));
}

gboolean
kassa_print_receipt_to_png (KassaReceipt       *receipt,
                            KassaReceiptPaper   paper,
                            const char         *path,
                            GError            **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  bytes = kassa_print_receipt_to_png_bytes (receipt, paper, error);
  if (bytes == NULL)
    return FALSE;
  return g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error);
}
