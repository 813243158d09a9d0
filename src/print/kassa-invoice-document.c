/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-invoice-document"

#include "config.h"

#include <math.h>

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>

#include "kassa-invoice-document.h"
#include "kassa-money.h"
#include "kassa-print-error.h"
#include "kassa-print-private.h"

#define MARGIN        (15.0 * KASSA_PT_PER_MM)
#define FOOTER_HEIGHT 28.0
#define ROW_PADDING   3.0
#define N_COLUMNS     5

/* Where the pages break, for one page size. */
typedef struct
{
  double  width;
  double  height;
  guint   n_pages;
  /* first_row[p] … first_row[p + 1] - 1 are on page p */
  guint  *first_row;
  guint   summary_page;
} Plan;

struct _KassaInvoiceDocument
{
  GObject parent_instance;

  KassaStoreProfile *profile;
  KassaInvoice      *invoice;
  KassaTotals       *totals;
  char              *public_link;
  char              *credited_reference;
  Plan              *plan;

  /* Decoded once: every page would otherwise repeat the work. */
  cairo_surface_t   *logo;
  gboolean           logo_loaded;
  QRcode            *qr;
};

G_DEFINE_FINAL_TYPE (KassaInvoiceDocument, kassa_invoice_document, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INVOICE,
  PROP_PUBLIC_LINK,
  PROP_CREDITED_REFERENCE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

typedef struct
{
  PangoFontDescription *regular;
  PangoFontDescription *bold;
  PangoFontDescription *small;
  PangoFontDescription *large;
  PangoFontDescription *title;
} Fonts;

/* Column edges of the line table: item, quantity, unit price, VAT, net. */
typedef struct
{
  double x[N_COLUMNS];
  double w[N_COLUMNS];
} Columns;

static void
plan_free (Plan *plan)
{
  g_free (plan->first_row);
  g_free (plan);
}

static void
fonts_init (Fonts *fonts)
{
  fonts->regular = pango_font_description_from_string ("Sans");
  pango_font_description_set_absolute_size (fonts->regular, 9.0 * PANGO_SCALE);
  fonts->bold = pango_font_description_copy (fonts->regular);
  pango_font_description_set_weight (fonts->bold, PANGO_WEIGHT_BOLD);
  fonts->small = pango_font_description_copy (fonts->regular);
  pango_font_description_set_absolute_size (fonts->small, 7.5 * PANGO_SCALE);
  fonts->large = pango_font_description_copy (fonts->bold);
  pango_font_description_set_absolute_size (fonts->large, 12.0 * PANGO_SCALE);
  fonts->title = pango_font_description_copy (fonts->bold);
  pango_font_description_set_absolute_size (fonts->title, 18.0 * PANGO_SCALE);
}

static void
fonts_clear (Fonts *fonts)
{
  g_clear_pointer (&fonts->regular, pango_font_description_free);
  g_clear_pointer (&fonts->bold, pango_font_description_free);
  g_clear_pointer (&fonts->small, pango_font_description_free);
  g_clear_pointer (&fonts->large, pango_font_description_free);
  g_clear_pointer (&fonts->title, pango_font_description_free);
}

static void
columns_init (Columns *cols,
              double   x,
              double   width)
{
  static const double fixed[N_COLUMNS] = { 0, 55, 85, 50, 90 };
  double right = x + width;

  for (int c = N_COLUMNS - 1; c > 0; c--)
    {
      cols->w[c] = fixed[c];
      right -= fixed[c];
      cols->x[c] = right;
    }
  cols->x[0] = x;
  cols->w[0] = right - x - 6.0;
}

static gboolean
is_credit_note (KassaInvoiceDocument *self)
{
  return kassa_invoice_get_kind (self->invoice) == KASSA_INVOICE_KIND_CREDIT_NOTE;
}

static gboolean
is_blank (const char *text)
{
  return text == NULL || text[0] == '\0';
}

static const char *
document_title (KassaInvoiceDocument *self)
{
  return is_credit_note (self) ? _("Credit note") : _("Invoice");
}

/* A row of cells laid out side by side; returns the row's height. */
static double
draw_cells (KassaPrintCursor            *cursor,
            const Columns               *cols,
            const char * const          *cells,
            const PangoFontDescription  *font)
{
  double height = 0;

  for (int c = 0; c < N_COLUMNS; c++)
    {
      g_autoptr(PangoLayout) layout = NULL;

      if (cells[c] == NULL)
        continue;
      layout = kassa_print_layout_new (cursor, cells[c], font, cols->w[c],
                                       c == 0 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);
      kassa_print_show_layout (cursor, layout, cols->x[c], cursor->y);
      height = MAX (height, kassa_print_layout_height (layout));
    }
  return height;
}

static void
draw_logo (KassaInvoiceDocument *self,
           KassaPrintCursor     *cursor,
           double                max_width)
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
  scale = MIN (max_width / w, 18.0 * KASSA_PT_PER_MM / h);
  scale = MIN (scale, 1.0);
  if (cursor->draw)
    {
      cairo_save (cursor->cr);
      cairo_translate (cursor->cr, cursor->x, cursor->y);
      cairo_scale (cursor->cr, scale, scale);
      cairo_set_source_surface (cursor->cr, logo, 0, 0);
      cairo_paint (cursor->cr);
      cairo_restore (cursor->cr);
    }
  cursor->y += h * scale + 6.0;
}

/* Seller on the left, title, number and dates on the right, buyer
 * below; only on the first page. */
static void
draw_first_header (KassaInvoiceDocument *self,
                   KassaPrintCursor     *cursor,
                   const Fonts          *fonts)
{
  KassaStoreProfile *p = self->profile;
  KassaPrintCursor left = *cursor, right = *cursor;
  g_autofree char *issued = kassa_print_format_date (kassa_invoice_get_issue_date (self->invoice));
  g_autofree char *due = kassa_print_format_date (kassa_invoice_get_due_date (self->invoice));
  const char *contacts[] = {
    kassa_store_profile_get_phone (p),
    kassa_store_profile_get_email (p),
    kassa_store_profile_get_website (p),
  };

  left.width = cursor->width * 0.55;
  right.x = cursor->x + cursor->width * 0.6;
  right.width = cursor->width * 0.4;

  draw_logo (self, &left, left.width);
  kassa_print_paragraph (&left, kassa_store_profile_get_name (p), fonts->large, PANGO_ALIGN_LEFT);
  kassa_print_paragraph (&left, kassa_store_profile_get_tagline (p), fonts->small, PANGO_ALIGN_LEFT);
  kassa_print_paragraph (&left, kassa_store_profile_get_address (p), fonts->regular, PANGO_ALIGN_LEFT);
  for (guint i = 0; i < G_N_ELEMENTS (contacts); i++)
    kassa_print_paragraph (&left, contacts[i], fonts->small, PANGO_ALIGN_LEFT);
  if (kassa_store_profile_get_tax_id (p)[0] != '\0')
    {
      g_autofree char *tax_id = g_strdup_printf (_("Tax ID: %s"), kassa_store_profile_get_tax_id (p));

      kassa_print_paragraph (&left, tax_id, fonts->small, PANGO_ALIGN_LEFT);
    }

  kassa_print_paragraph (&right, document_title (self), fonts->title, PANGO_ALIGN_RIGHT);
  right.y += 4.0;
  kassa_print_pair (&right, _("Number"), kassa_invoice_get_reference (self->invoice), fonts->bold);
  kassa_print_pair (&right, _("Issue date"), issued, fonts->regular);
  if (kassa_invoice_get_due_date (self->invoice) != NULL)
    kassa_print_pair (&right, _("Due date"), due, fonts->regular);
  if (self->credited_reference != NULL)
    kassa_print_pair (&right, _("Credits invoice"), self->credited_reference, fonts->regular);

  cursor->y = MAX (left.y, right.y) + 14.0;

  if (is_blank (kassa_invoice_get_buyer_name (self->invoice))
      && is_blank (kassa_invoice_get_buyer_address (self->invoice))
      && is_blank (kassa_invoice_get_buyer_email (self->invoice)))
    return;

  left.y = right.y = cursor->y;
  kassa_print_paragraph (&left, is_credit_note (self) ? _("Credit to") : _("Bill to"),
                         fonts->bold, PANGO_ALIGN_LEFT);
  kassa_print_paragraph (&left, kassa_invoice_get_buyer_name (self->invoice), fonts->regular, PANGO_ALIGN_LEFT);
  kassa_print_paragraph (&left, kassa_invoice_get_buyer_address (self->invoice), fonts->regular, PANGO_ALIGN_LEFT);
  kassa_print_paragraph (&left, kassa_invoice_get_buyer_email (self->invoice), fonts->small, PANGO_ALIGN_LEFT);
  cursor->y = left.y + 14.0;
}

static void
draw_next_header (KassaInvoiceDocument *self,
                  KassaPrintCursor     *cursor,
                  const Fonts          *fonts)
{
  g_autofree char *title = g_strdup_printf ("%s %s", document_title (self),
                                            kassa_invoice_get_reference (self->invoice));

  kassa_print_pair (cursor, kassa_store_profile_get_name (self->profile), title, fonts->bold);
  cursor->y += 10.0;
}

static void
draw_table_header (KassaPrintCursor *cursor,
                   const Columns    *cols,
                   const Fonts      *fonts)
{
  const char *cells[N_COLUMNS] = { _("Item"), _("Qty"), _("Unit price"), _("VAT"), _("Net") };

  cursor->y += draw_cells (cursor, cols, cells, fonts->bold);
  kassa_print_rule (cursor, 0.8);
}

static void
draw_row (KassaInvoiceDocument *self,
          KassaPrintCursor     *cursor,
          const Columns        *cols,
          const Fonts          *fonts,
          guint                 index)
{
  const KassaCurrency *currency = kassa_totals_get_currency (self->totals);
  g_autoptr(KassaInvoiceLine) line = g_list_model_get_item (kassa_invoice_get_lines (self->invoice), index);
  const KassaLineTotals *lt = kassa_totals_get_line (self->totals, index);
  g_autofree char *quantity = kassa_quantity_format (kassa_invoice_line_get_quantity (line));
  g_autofree char *unit = kassa_print_format_money (currency, kassa_invoice_line_get_unit_price (line));
  g_autofree char *rate = kassa_rate_format (kassa_invoice_line_get_tax_rate (line));
  g_autofree char *rate_text = g_strdup_printf ("%s %%", rate);
  g_autofree char *net = kassa_print_format_money (currency, lt->net);
  const char *cells[N_COLUMNS] = { NULL, quantity, unit, rate_text, net };
  const char *description = kassa_invoice_line_get_description (line);
  g_autoptr(PangoLayout) name = NULL;
  double item_height, cells_height, height;

  name = kassa_print_layout_new (cursor, kassa_invoice_line_get_name (line), fonts->regular,
                                 cols->w[0], PANGO_ALIGN_LEFT);
  kassa_print_show_layout (cursor, name, cols->x[0], cursor->y);
  item_height = kassa_print_layout_height (name);
  if (description != NULL && description[0] != '\0')
    {
      g_autoptr(PangoLayout) desc = kassa_print_layout_new (cursor, description, fonts->small,
                                                            cols->w[0], PANGO_ALIGN_LEFT);

      kassa_print_show_layout (cursor, desc, cols->x[0], cursor->y + item_height);
      item_height += kassa_print_layout_height (desc);
    }
  /* Drawn once, outside MAX (), which evaluates its arguments twice. */
  cells_height = draw_cells (cursor, cols, cells, fonts->regular);
  height = MAX (item_height, cells_height);
  cursor->y += height + ROW_PADDING;
}

static void
draw_summary (KassaInvoiceDocument *self,
              KassaPrintCursor     *cursor,
              const Fonts          *fonts)
{
  const KassaCurrency *currency = kassa_totals_get_currency (self->totals);
  KassaTotals *t = self->totals;
  KassaPrintCursor taxes = *cursor, totals = *cursor;
  Columns cols;
  const char *head[N_COLUMNS] = { NULL, _("VAT rate"), _("Base"), NULL, _("Tax") };
  GDateTime *paid_at = kassa_invoice_get_paid_at (self->invoice);

  kassa_print_rule (cursor, 0.8);
  cursor->y += 4.0;

  /* Per-rate table on the left, totals on the right. */
  taxes.y = totals.y = cursor->y;
  taxes.width = cursor->width * 0.5;
  columns_init (&cols, taxes.x, taxes.width);
  cols.x[1] = taxes.x;
  cols.w[1] = 60;
  cols.x[2] = taxes.x + 60;
  cols.w[2] = 90;
  cols.x[4] = taxes.x + 150;
  cols.w[4] = 80;
  taxes.y += draw_cells (&taxes, &cols, head, fonts->bold);
  for (guint i = 0; i < kassa_totals_get_n_tax_lines (t); i++)
    {
      const KassaTaxLine *tl = kassa_totals_get_tax_line (t, i);
      g_autofree char *rate = kassa_rate_format (tl->rate);
      g_autofree char *rate_text = g_strdup_printf ("%s %%", rate);
      g_autofree char *base = kassa_print_format_money (currency, tl->base);
      g_autofree char *tax = kassa_print_format_money (currency, tl->tax);
      const char *cells[N_COLUMNS] = { NULL, rate_text, base, NULL, tax };

      taxes.y += draw_cells (&taxes, &cols, cells, fonts->regular);
    }

  totals.x = cursor->x + cursor->width * 0.6;
  totals.width = cursor->width * 0.4;
  {
    g_autofree char *untaxed = kassa_print_format_money (currency, kassa_totals_get_untaxed (t));
    g_autofree char *tax = kassa_print_format_money (currency, kassa_totals_get_tax (t));
    g_autofree char *total = kassa_print_format_money (currency, kassa_totals_get_total (t));

    kassa_print_pair (&totals, _("Untaxed"), untaxed, fonts->regular);
    kassa_print_pair (&totals, _("Tax"), tax, fonts->regular);
    kassa_print_rule (&totals, 0.5);
    kassa_print_pair (&totals, is_credit_note (self) ? _("Total credited") : _("Total"), total, fonts->large);
  }
  cursor->y = MAX (taxes.y, totals.y) + 12.0;

  if (paid_at != NULL || kassa_invoice_get_status (self->invoice) == KASSA_INVOICE_STATUS_PAID)
    {
      g_autofree char *amount = kassa_print_format_money (currency, kassa_invoice_get_paid_amount (self->invoice));
      g_autofree char *when = kassa_print_format_time (paid_at);
      const char *method = kassa_invoice_get_paid_method (self->invoice);
      g_autofree char *text = NULL;

      /* Translators: amount, payment method, date and time */
      text = g_strdup_printf (_("Paid %s by %s on %s"), amount,
                              method != NULL && method[0] != '\0' ? method : _("unknown method"),
                              when);
      kassa_print_paragraph (cursor, text, fonts->bold, PANGO_ALIGN_LEFT);
      cursor->y += 8.0;
    }

  if (self->public_link != NULL)
    {
      KassaPrintCursor text = *cursor;
      double size = 32.0 * KASSA_PT_PER_MM;

      if (self->qr == NULL)
        self->qr = kassa_print_qr_encode (self->public_link, NULL);
      if (self->qr != NULL)
        {
          if (cursor->draw)
            size = kassa_print_qr_draw (cursor->cr, self->qr, cursor->x, cursor->y, size);
        }
      else
        size = 0;
      text.x = cursor->x + size + 10.0;
      text.width = cursor->width - size - 10.0;
      text.y += 10.0;
      kassa_print_paragraph (&text,
                             kassa_invoice_get_status (self->invoice) == KASSA_INVOICE_STATUS_ISSUED
                             && !is_credit_note (self)
                             ? _("Pay or view this invoice online:") : _("View this document online:"),
                             fonts->bold, PANGO_ALIGN_LEFT);
      kassa_print_paragraph (&text, self->public_link, fonts->regular, PANGO_ALIGN_LEFT);
      cursor->y = MAX (cursor->y + size, text.y);
    }
}

static void
draw_footer (KassaInvoiceDocument *self,
             KassaPrintCursor     *cursor,
             const Fonts          *fonts,
             double                page_height,
             guint                 page_nr,
             guint                 n_pages)
{
  g_autofree char *page = g_strdup_printf (_("Page %u of %u"), page_nr + 1, n_pages);
  g_autofree char *left = NULL;
  const char *tax_id = kassa_store_profile_get_tax_id (self->profile);

  left = tax_id[0] != '\0'
         ? g_strdup_printf ("%s · %s", kassa_store_profile_get_name (self->profile), tax_id)
         : g_strdup (kassa_store_profile_get_name (self->profile));
  cursor->y = page_height - MARGIN - FOOTER_HEIGHT + 8.0;
  kassa_print_rule (cursor, 0.5);
  kassa_print_pair (cursor, left, page, fonts->small);
}

static double
body_bottom (double height)
{
  return height - MARGIN - FOOTER_HEIGHT;
}

static Plan *
compute_plan (KassaInvoiceDocument *self,
              double                width,
              double                height)
{
  cairo_t *cr = kassa_print_measure_cairo_new ();
  guint n_rows = g_list_model_get_n_items (kassa_invoice_get_lines (self->invoice));
  double bottom = body_bottom (height), y, first_top, next_top, summary;
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (guint));
  KassaPrintCursor cursor;
  Columns cols;
  Fonts fonts;
  Plan *plan;
  guint row = 0;

  fonts_init (&fonts);
  kassa_print_cursor_init (&cursor, cr, FALSE, MARGIN, width - 2 * MARGIN, MARGIN);
  columns_init (&cols, cursor.x, cursor.width);

  draw_first_header (self, &cursor, &fonts);
  draw_table_header (&cursor, &cols, &fonts);
  first_top = cursor.y;
  cursor.y = MARGIN;
  draw_next_header (self, &cursor, &fonts);
  draw_table_header (&cursor, &cols, &fonts);
  next_top = cursor.y;
  cursor.y = 0;
  draw_summary (self, &cursor, &fonts);
  summary = cursor.y;

  y = first_top;
  g_array_append_val (starts, row);
  while (row < n_rows)
    {
      double before = cursor.y = y;

      draw_row (self, &cursor, &cols, &fonts, row);
      /* A row taller than a page still goes somewhere: alone on its page. */
      if (cursor.y > bottom && before > next_top)
        {
          g_array_append_val (starts, row);
          y = next_top;
          continue;
        }
      y = cursor.y;
      row++;
    }

  plan = g_new0 (Plan, 1);
  plan->width = width;
  plan->height = height;
  if (y + summary > bottom && n_rows > 0)
    g_array_append_val (starts, row);
  plan->n_pages = starts->len;
  plan->summary_page = plan->n_pages - 1;
  g_array_append_val (starts, n_rows);
  plan->first_row = (guint *) g_array_free (g_steal_pointer (&starts), FALSE);

  kassa_print_cursor_clear (&cursor);
  fonts_clear (&fonts);
  cairo_destroy (cr);
  return plan;
}

static Plan *
get_plan (KassaInvoiceDocument *self,
          double                width,
          double                height)
{
  if (self->plan == NULL || self->plan->width != width || self->plan->height != height)
    {
      g_clear_pointer (&self->plan, plan_free);
      self->plan = compute_plan (self, width, height);
    }
  return self->plan;
}

static void
kassa_invoice_document_finalize (GObject *object)
{
  KassaInvoiceDocument *self = (KassaInvoiceDocument *)object;

  g_clear_object (&self->profile);
  g_clear_object (&self->invoice);
  g_clear_pointer (&self->totals, kassa_totals_unref);
  g_clear_pointer (&self->public_link, g_free);
  g_clear_pointer (&self->credited_reference, g_free);
  g_clear_pointer (&self->plan, plan_free);
  g_clear_pointer (&self->logo, cairo_surface_destroy);
  g_clear_pointer (&self->qr, QRcode_free);

  G_OBJECT_CLASS (kassa_invoice_document_parent_class)->finalize (object);
}

static void
kassa_invoice_document_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  KassaInvoiceDocument *self = KASSA_INVOICE_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_INVOICE:
      g_value_set_object (value, self->invoice);
      break;
    case PROP_PUBLIC_LINK:
      g_value_set_string (value, self->public_link);
      break;
    case PROP_CREDITED_REFERENCE:
      g_value_set_string (value, self->credited_reference);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_invoice_document_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  KassaInvoiceDocument *self = KASSA_INVOICE_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_PUBLIC_LINK:
      kassa_invoice_document_set_public_link (self, g_value_get_string (value));
      break;
    case PROP_CREDITED_REFERENCE:
      kassa_invoice_document_set_credited_reference (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_invoice_document_class_init (KassaInvoiceDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kassa_invoice_document_finalize;
  object_class->get_property = kassa_invoice_document_get_property;
  object_class->set_property = kassa_invoice_document_set_property;

  properties[PROP_INVOICE] =
    g_param_spec_object ("invoice", NULL, NULL, KASSA_TYPE_INVOICE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PUBLIC_LINK] =
    g_param_spec_string ("public-link", NULL, NULL, NULL, rw);
  properties[PROP_CREDITED_REFERENCE] =
    g_param_spec_string ("credited-reference", NULL, NULL, NULL, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_invoice_document_init (KassaInvoiceDocument *self)
{
}

void
kassa_page_format_get_size (KassaPageFormat  format,
                            double          *width,
                            double          *height)
{
  g_return_if_fail (width != NULL && height != NULL);

  if (format == KASSA_PAGE_FORMAT_LETTER)
    {
      *width = 612.0;
      *height = 792.0;
    }
  else
    {
      *width = 210.0 * KASSA_PT_PER_MM;
      *height = 297.0 * KASSA_PT_PER_MM;
    }
}

KassaInvoiceDocument *
kassa_invoice_document_new (KassaStoreProfile *profile,
                            KassaInvoice      *invoice,
                            KassaTotals       *totals)
{
  KassaInvoiceDocument *self;

  g_return_val_if_fail (KASSA_IS_STORE_PROFILE (profile), NULL);
  g_return_val_if_fail (KASSA_IS_INVOICE (invoice), NULL);
  g_return_val_if_fail (totals != NULL, NULL);
  g_return_val_if_fail (kassa_totals_get_n_lines (totals)
                        == g_list_model_get_n_items (kassa_invoice_get_lines (invoice)), NULL);

  self = g_object_new (KASSA_TYPE_INVOICE_DOCUMENT, NULL);
  self->profile = g_object_ref (profile);
  self->invoice = g_object_ref (invoice);
  self->totals = kassa_totals_ref (totals);
  return self;
}

KassaInvoice *
kassa_invoice_document_get_invoice (KassaInvoiceDocument *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE_DOCUMENT (self), NULL);
  return self->invoice;
}

const char *
kassa_invoice_document_get_public_link (KassaInvoiceDocument *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE_DOCUMENT (self), NULL);
  return self->public_link;
}

void
kassa_invoice_document_set_public_link (KassaInvoiceDocument *self,
                                        const char           *public_link)
{
  g_return_if_fail (KASSA_IS_INVOICE_DOCUMENT (self));

  if (public_link != NULL && public_link[0] == '\0')
    public_link = NULL;
  if (g_strcmp0 (self->public_link, public_link) == 0)
    return;
  kassa_print_replace_str (&self->public_link, public_link);
  g_clear_pointer (&self->plan, plan_free);
  g_clear_pointer (&self->qr, QRcode_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PUBLIC_LINK]);
}

const char *
kassa_invoice_document_get_credited_reference (KassaInvoiceDocument *self)
{
  g_return_val_if_fail (KASSA_IS_INVOICE_DOCUMENT (self), NULL);
  return self->credited_reference;
}

void
kassa_invoice_document_set_credited_reference (KassaInvoiceDocument *self,
                                               const char           *reference)
{
  g_return_if_fail (KASSA_IS_INVOICE_DOCUMENT (self));

  if (reference != NULL && reference[0] == '\0')
    reference = NULL;
  if (g_strcmp0 (self->credited_reference, reference) == 0)
    return;
  kassa_print_replace_str (&self->credited_reference, reference);
  g_clear_pointer (&self->plan, plan_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREDITED_REFERENCE]);
}

guint
kassa_invoice_document_get_n_pages (KassaInvoiceDocument *self,
                                    double                width,
                                    double                height)
{
  g_return_val_if_fail (KASSA_IS_INVOICE_DOCUMENT (self), 0);
  g_return_val_if_fail (width > 2 * MARGIN && height > 2 * MARGIN + FOOTER_HEIGHT, 0);

  return get_plan (self, width, height)->n_pages;
}

void
kassa_invoice_document_draw_page (KassaInvoiceDocument *self,
                                  cairo_t              *cr,
                                  double                width,
                                  double                height,
                                  guint                 page_nr)
{
  KassaPrintCursor cursor;
  Columns cols;
  Fonts fonts;
  Plan *plan;

  g_return_if_fail (KASSA_IS_INVOICE_DOCUMENT (self));
  g_return_if_fail (cr != NULL);

  plan = get_plan (self, width, height);
  g_return_if_fail (page_nr < plan->n_pages);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  fonts_init (&fonts);
  kassa_print_cursor_init (&cursor, cr, TRUE, MARGIN, width - 2 * MARGIN, MARGIN);
  columns_init (&cols, cursor.x, cursor.width);

  if (page_nr == 0)
    draw_first_header (self, &cursor, &fonts);
  else
    draw_next_header (self, &cursor, &fonts);

  if (plan->first_row[page_nr] < plan->first_row[page_nr + 1] || page_nr == 0)
    {
      draw_table_header (&cursor, &cols, &fonts);
      for (guint row = plan->first_row[page_nr]; row < plan->first_row[page_nr + 1]; row++)
        draw_row (self, &cursor, &cols, &fonts, row);
    }
  if (page_nr == plan->summary_page)
    draw_summary (self, &cursor, &fonts);

  draw_footer (self, &cursor, &fonts, height, page_nr, plan->n_pages);

  kassa_print_cursor_clear (&cursor);
  fonts_clear (&fonts);
  cairo_restore (cr);
}

GBytes *
kassa_print_invoice_to_pdf_bytes (KassaInvoiceDocument  *document,
                                  KassaPageFormat        format,
                                  GError               **error)
{
  g_autoptr(GByteArray) array = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;
  double width, height;
  guint n_pages;
  cairo_t *cr;

  g_return_val_if_fail (KASSA_IS_INVOICE_DOCUMENT (document), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  kassa_page_format_get_size (format, &width, &height);
  n_pages = kassa_invoice_document_get_n_pages (document, width, height);
  surface = cairo_pdf_surface_create_for_stream (kassa_print_write_to_array, array, width, height);
  if (kassa_invoice_get_reference (document->invoice) != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE,
                                    kassa_invoice_get_reference (document->invoice));
  cr = cairo_create (surface);
  for (guint page = 0; page < n_pages; page++)
    {
      kassa_invoice_document_draw_page (document, cr, width, height, page);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, KASSA_PRINT_ERROR, KASSA_PRINT_ERROR_RENDER,
                   _("Could not write the invoice PDF: %s"), cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&array));
}

gboolean
kassa_print_invoice_to_pdf (KassaInvoiceDocument  *document,
                            KassaPageFormat        format,
                            const char            *path,
                            GError               **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  bytes = kassa_print_invoice_to_pdf_bytes (document, format, error);
  if (bytes == NULL)
    return FALSE;
  return g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error);
}
