/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-shift-report-print"

#include "config.h"

#include <inttypes.h>
#include <math.h>

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>

#include "kassa-escpos.h"
#include "kassa-money.h"
#include "kassa-print-error.h"
#include "kassa-print-private.h"
#include "kassa-receipt.h"
#include "kassa-shift-report-print.h"

typedef struct
{
  char   *title;
  gint64  payments;
  gint64  amount;
} Tender;

typedef struct
{
  gint64 denomination;
  gint64 count;
} Count;

struct _KassaShiftReportPrint
{
  GObject parent_instance;

  KassaStoreProfile   *profile;
  const KassaCurrency *currency;
  gboolean             final;

  gint64               z_number;
  char                *register_name;
  char                *opened_by;
  GDateTime           *opened_at;
  char                *closed_by;
  GDateTime           *closed_at;

  gint64               opening_float;
  gint64               cash_sales;
  gint64               cash_refunds;
  gint64               paid_in;
  gint64               paid_out;
  gint64               no_sales;
  gint64               expected_cash;
  gint64               counted_cash;
  gint64               difference;

  GArray              *counts;
  GPtrArray           *tenders;
  gint64               card_total;

  gint64               journal_entries;
  char                *journal_hash;
};

G_DEFINE_FINAL_TYPE (KassaShiftReportPrint, kassa_shift_report_print, G_TYPE_OBJECT)

static void
tender_free (gpointer data)
{
  Tender *tender = data;

  g_free (tender->title);
  g_free (tender);
}

static void
pair_money (KassaShiftReportPrint      *self,
            KassaPrintCursor           *cursor,
            const char                 *label,
            gint64                      amount,
            const PangoFontDescription *font)
{
  g_autofree char *text = kassa_print_format_money (self->currency, amount);

  kassa_print_pair (cursor, label, text, font);
}

static void
section (KassaPrintCursor           *cursor,
         const char                 *title,
         const PangoFontDescription *font)
{
  cursor->y += 3.0;
  kassa_print_rule (cursor, 0.5);
  kassa_print_paragraph (cursor, title, font, PANGO_ALIGN_LEFT);
}

static void
draw_header (KassaShiftReportPrint   *self,
             KassaPrintCursor        *cursor,
             const KassaReceiptFonts *fonts)
{
  g_autofree char *title = NULL;
  g_autofree char *opened_at = kassa_print_format_time (self->opened_at);

  kassa_print_paragraph (cursor, kassa_store_profile_get_name (self->profile), fonts->title, PANGO_ALIGN_CENTER);
  kassa_print_paragraph (cursor, kassa_store_profile_get_address (self->profile), fonts->small, PANGO_ALIGN_CENTER);
  cursor->y += 4.0;

  if (self->final)
    /* Translators: the heading of a shift's closing report */
    title = g_strdup_printf (_("Z REPORT %" PRId64), self->z_number);
  else
    title = g_strdup (_("X REPORT"));
  kassa_print_paragraph (cursor, title, fonts->title, PANGO_ALIGN_CENTER);
  if (!self->final)
    kassa_print_paragraph (cursor, _("Shift still open, figures so far"), fonts->small, PANGO_ALIGN_CENTER);
  cursor->y += 3.0;

  kassa_print_pair (cursor, _("Register"), self->register_name, fonts->regular);
  kassa_print_pair (cursor, _("Opened by"), self->opened_by, fonts->regular);
  kassa_print_pair (cursor, _("Opened at"), opened_at, fonts->regular);
  if (self->final)
    {
      g_autofree char *closed_at = kassa_print_format_time (self->closed_at);

      kassa_print_pair (cursor, _("Closed by"), self->closed_by, fonts->regular);
      kassa_print_pair (cursor, _("Closed at"), closed_at, fonts->regular);
    }
}

static void
draw_drawer (KassaShiftReportPrint   *self,
             KassaPrintCursor        *cursor,
             const KassaReceiptFonts *fonts)
{
  g_autofree char *no_sales = g_strdup_printf ("%" PRId64, self->no_sales);

  section (cursor, _("Cash drawer"), fonts->bold);
  pair_money (self, cursor, _("Opening float"), self->opening_float, fonts->regular);
  pair_money (self, cursor, _("Cash sales"), self->cash_sales, fonts->regular);
  pair_money (self, cursor, _("Cash refunds"), -self->cash_refunds, fonts->regular);
  pair_money (self, cursor, _("Paid in"), self->paid_in, fonts->regular);
  pair_money (self, cursor, _("Paid out"), -self->paid_out, fonts->regular);
  kassa_print_pair (cursor, _("No sale (drawer opened)"), no_sales, fonts->regular);
  pair_money (self, cursor, _("Expected cash"), self->expected_cash, fonts->bold);

  if (!self->final)
    return;

  pair_money (self, cursor, _("Counted cash"), self->counted_cash, fonts->bold);
  if (self->difference > 0)
    pair_money (self, cursor, _("OVER"), self->difference, fonts->bold);
  else if (self->difference < 0)
    pair_money (self, cursor, _("SHORT"), -self->difference, fonts->bold);
  else
    kassa_print_pair (cursor, _("Over/short"), _("Balanced"), fonts->bold);
}

static void
draw_counts (KassaShiftReportPrint   *self,
             KassaPrintCursor        *cursor,
             const KassaReceiptFonts *fonts)
{
  if (self->counts->len == 0)
    return;

  section (cursor, _("Closing count"), fonts->bold);
  for (guint i = 0; i < self->counts->len; i++)
    {
      const Count *count = &g_array_index (self->counts, Count, i);
      g_autofree char *denomination = kassa_print_format_money (self->currency, count->denomination);
      g_autofree char *label = g_strdup_printf ("%" PRId64 " × %s", count->count, denomination);
      gint64 value;

      if (!kassa_checked_mul (count->denomination, count->count, &value))
        value = G_MAXINT64;
      pair_money (self, cursor, label, value, fonts->small);
    }
}

static void
draw_tenders (KassaShiftReportPrint   *self,
              KassaPrintCursor        *cursor,
              const KassaReceiptFonts *fonts)
{
  section (cursor, _("Tenders by provider"), fonts->bold);
  if (self->tenders->len == 0)
    kassa_print_paragraph (cursor, _("No payments taken"), fonts->regular, PANGO_ALIGN_LEFT);

  for (guint i = 0; i < self->tenders->len; i++)
    {
      const Tender *tender = g_ptr_array_index (self->tenders, i);
      /* Translators: a payment provider and how many payments it took */
      g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (%" PRId64 " payment)",
                                                          "%s (%" PRId64 " payments)",
                                                          (gulong) MIN (tender->payments, G_MAXLONG)),
                                                tender->title, tender->payments);

      pair_money (self, cursor, label, tender->amount, fonts->regular);
    }

  section (cursor, _("Card totals"), fonts->bold);
  pair_money (self, cursor, _("Card and QR, to reconcile with Stripe"), self->card_total, fonts->bold);
}

/* What to check `kassa-cli journal verify --anchor` against later: the
 * hash cut to a length that is quick to type and still no accident. */
static void
draw_journal (KassaShiftReportPrint   *self,
              KassaPrintCursor        *cursor,
              const KassaReceiptFonts *fonts)
{
  g_autofree char *text = NULL;

  if (self->journal_hash == NULL)
    return;

  section (cursor, _("Journal"), fonts->bold);
  /* Translators: the journal's entries so far and the start of the last
   * one's hash, to check the journal against later */
  text = g_strdup_printf (_("Anchor %" PRId64 ":%.16s"), self->journal_entries, self->journal_hash);
  kassa_print_paragraph (cursor, text, fonts->regular, PANGO_ALIGN_LEFT);
}

/* The whole report, top to bottom; returns its height. */
static double
layout_report (KassaShiftReportPrint *self,
               cairo_t               *cr,
               gboolean               draw,
               KassaReceiptPaper      paper)
{
  KassaPrintCursor cursor;
  KassaReceiptFonts fonts = { 0 };
  double height;

  kassa_receipt_fonts_init (&fonts, paper);
  kassa_print_cursor_init (&cursor, cr, draw, 0, kassa_receipt_paper_get_content_width (paper), 0);
  if (draw)
    cairo_set_source_rgb (cr, 0, 0, 0);

  draw_header (self, &cursor, &fonts);
  draw_drawer (self, &cursor, &fonts);
  draw_counts (self, &cursor, &fonts);
  draw_tenders (self, &cursor, &fonts);
  draw_journal (self, &cursor, &fonts);

  height = ceil (cursor.y + 2.0);
  kassa_print_cursor_clear (&cursor);
  kassa_receipt_fonts_clear (&fonts);
  return height;
}

static void
kassa_shift_report_print_finalize (GObject *object)
{
  KassaShiftReportPrint *self = (KassaShiftReportPrint *)object;

  g_clear_object (&self->profile);
  g_clear_pointer (&self->register_name, g_free);
  g_clear_pointer (&self->opened_by, g_free);
  g_clear_pointer (&self->closed_by, g_free);
  g_clear_pointer (&self->opened_at, g_date_time_unref);
  g_clear_pointer (&self->closed_at, g_date_time_unref);
  g_clear_pointer (&self->counts, g_array_unref);
  g_clear_pointer (&self->tenders, g_ptr_array_unref);
  g_clear_pointer (&self->journal_hash, g_free);

  G_OBJECT_CLASS (kassa_shift_report_print_parent_class)->finalize (object);
}

static void
kassa_shift_report_print_class_init (KassaShiftReportPrintClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kassa_shift_report_print_finalize;
}

static void
kassa_shift_report_print_init (KassaShiftReportPrint *self)
{
  self->counts = g_array_new (FALSE, FALSE, sizeof (Count));
  self->tenders = g_ptr_array_new_with_free_func (tender_free);
  self->register_name = g_strdup ("");
  self->opened_by = g_strdup ("");
}

KassaShiftReportPrint *
kassa_shift_report_print_new (KassaStoreProfile  *profile,
                              const char         *currency_code,
                              gboolean            final,
                              GError            **error)
{
  KassaShiftReportPrint *self;
  const KassaCurrency *currency;

  g_return_val_if_fail (KASSA_IS_STORE_PROFILE (profile), NULL);
  g_return_val_if_fail (currency_code != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  currency = kassa_currency_lookup (currency_code, error);
  if (currency == NULL)
    return NULL;

  self = g_object_new (KASSA_TYPE_SHIFT_REPORT_PRINT, NULL);
  self->profile = g_object_ref (profile);
  self->currency = currency;
  self->final = final;
  return self;
}

void
kassa_shift_report_print_set_journal (KassaShiftReportPrint *self,
                                      gint64                 n_entries,
                                      const char            *last_hash)
{
  g_return_if_fail (KASSA_IS_SHIFT_REPORT_PRINT (self));
  g_return_if_fail (n_entries >= 0);
  g_return_if_fail (last_hash != NULL);

  self->journal_entries = n_entries;
  kassa_print_replace_str (&self->journal_hash, last_hash);
}

gboolean
kassa_shift_report_print_get_final (KassaShiftReportPrint *self)
{
  g_return_val_if_fail (KASSA_IS_SHIFT_REPORT_PRINT (self), FALSE);
  return self->final;
}

void
kassa_shift_report_print_set_shift (KassaShiftReportPrint *self,
                                    gint64                 z_number,
                                    const char            *register_name,
                                    const char            *opened_by,
                                    GDateTime             *opened_at,
                                    const char            *closed_by,
                                    GDateTime             *closed_at)
{
  g_return_if_fail (KASSA_IS_SHIFT_REPORT_PRINT (self));
  g_return_if_fail (opened_at != NULL);
  g_return_if_fail (!self->final || closed_at != NULL);

  self->z_number = z_number;
  kassa_print_replace_str (&self->register_name, register_name != NULL ? register_name : "");
  kassa_print_replace_str (&self->opened_by, opened_by != NULL ? opened_by : "");
  kassa_print_replace_str (&self->closed_by, closed_by != NULL ? closed_by : "");
  g_clear_pointer (&self->opened_at, g_date_time_unref);
  g_clear_pointer (&self->closed_at, g_date_time_unref);
  self->opened_at = g_date_time_ref (opened_at);
  if (closed_at != NULL)
    self->closed_at = g_date_time_ref (closed_at);
}

void
kassa_shift_report_print_set_drawer (KassaShiftReportPrint *self,
                                     gint64                 opening_float,
                                     gint64                 cash_sales,
                                     gint64                 cash_refunds,
                                     gint64                 paid_in,
                                     gint64                 paid_out,
                                     gint64                 no_sales,
                                     gint64                 expected_cash,
                                     gint64                 counted_cash,
                                     gint64                 difference)
{
  g_return_if_fail (KASSA_IS_SHIFT_REPORT_PRINT (self));

  self->opening_float = opening_float;
  self->cash_sales = cash_sales;
  self->cash_refunds = cash_refunds;
  self->paid_in = paid_in;
  self->paid_out = paid_out;
  self->no_sales = no_sales;
  self->expected_cash = expected_cash;
  self->counted_cash = counted_cash;
  self->difference = difference;
}

void
kassa_shift_report_print_add_count (KassaShiftReportPrint *self,
                                    gint64                 denomination,
                                    gint64                 count)
{
  Count entry = { denomination, count };

  g_return_if_fail (KASSA_IS_SHIFT_REPORT_PRINT (self));

  g_array_append_val (self->counts, entry);
}

void
kassa_shift_report_print_add_tender (KassaShiftReportPrint *self,
                                     const char            *title,
                                     gint64                 payments,
                                     gint64                 amount)
{
  Tender *tender;

  g_return_if_fail (KASSA_IS_SHIFT_REPORT_PRINT (self));
  g_return_if_fail (title != NULL);

  tender = g_new0 (Tender, 1);
  tender->title = g_strdup (title);
  tender->payments = payments;
  tender->amount = amount;
  g_ptr_array_add (self->tenders, tender);
}

void
kassa_shift_report_print_set_card_total (KassaShiftReportPrint *self,
                                         gint64                 card_total)
{
  g_return_if_fail (KASSA_IS_SHIFT_REPORT_PRINT (self));
  self->card_total = card_total;
}

double
kassa_shift_report_print_measure (KassaShiftReportPrint *self,
                                  KassaReceiptPaper      paper)
{
  cairo_t *cr;
  double height;

  g_return_val_if_fail (KASSA_IS_SHIFT_REPORT_PRINT (self), 0);
  g_return_val_if_fail (self->opened_at != NULL, 0);

  cr = kassa_print_measure_cairo_new ();
  height = layout_report (self, cr, FALSE, paper);
  cairo_destroy (cr);
  return height;
}

void
kassa_shift_report_print_draw (KassaShiftReportPrint *self,
                               cairo_t               *cr,
                               KassaReceiptPaper      paper)
{
  g_return_if_fail (KASSA_IS_SHIFT_REPORT_PRINT (self));
  g_return_if_fail (self->opened_at != NULL);
  g_return_if_fail (cr != NULL);

  cairo_save (cr);
  layout_report (self, cr, TRUE, paper);
  cairo_restore (cr);
}

void
kassa_shift_report_print_draw_page (KassaShiftReportPrint *self,
                                    cairo_t               *cr,
                                    KassaReceiptPaper      paper,
                                    double                 width,
                                    double                 height,
                                    guint                  page_nr)
{
  g_return_if_fail (KASSA_IS_SHIFT_REPORT_PRINT (self));
  g_return_if_fail (self->opened_at != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (page_nr == 0);

  cairo_save (cr);
  cairo_translate (cr, MAX (0, (width - kassa_receipt_paper_get_content_width (paper)) / 2), 0);
  layout_report (self, cr, TRUE, paper);
  cairo_restore (cr);
}

cairo_surface_t *
kassa_shift_report_print_render_image (KassaShiftReportPrint  *self,
                                       KassaReceiptPaper       paper,
                                       double                  dots_per_mm,
                                       GError                **error)
{
  double scale = dots_per_mm / KASSA_PT_PER_MM;
  cairo_surface_t *surface;
  cairo_t *cr;
  int width_px, height_px;

  g_return_val_if_fail (KASSA_IS_SHIFT_REPORT_PRINT (self), NULL);
  g_return_val_if_fail (self->opened_at != NULL, NULL);
  g_return_val_if_fail (dots_per_mm > 0, NULL);

  width_px = (int) lround (kassa_receipt_paper_get_content_width (paper) * scale);
  height_px = (int) ceil (kassa_shift_report_print_measure (self, paper) * scale);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width_px, height_px);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  layout_report (self, cr, TRUE, paper);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, KASSA_PRINT_ERROR, KASSA_PRINT_ERROR_RENDER,
                   _("Could not draw the shift report: %s"),
                   cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      return NULL;
    }
  return surface;
}

GBytes *
kassa_print_shift_report_to_pdf_bytes (KassaShiftReportPrint  *report,
                                       KassaReceiptPaper       paper,
                                       GError                **error)
{
  g_autoptr(GByteArray) array = g_byte_array_new ();
  g_autofree char *title = NULL;
  double width = kassa_receipt_paper_get_width (paper);
  double margin = (width - kassa_receipt_paper_get_content_width (paper)) / 2;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (KASSA_IS_SHIFT_REPORT_PRINT (report), NULL);
  g_return_val_if_fail (report->opened_at != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  surface = cairo_pdf_surface_create_for_stream (kassa_print_write_to_array, array, width,
                                                 kassa_shift_report_print_measure (report, paper) + 2 * margin);
  title = report->final ? g_strdup_printf (_("Z Report %" PRId64), report->z_number) : g_strdup (_("X Report"));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cr = cairo_create (surface);
  cairo_translate (cr, margin, margin);
  layout_report (report, cr, TRUE, paper);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, KASSA_PRINT_ERROR, KASSA_PRINT_ERROR_RENDER,
                   _("Could not write the shift report PDF: %s"), cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&array));
}

GBytes *
kassa_print_shift_report_to_png_bytes (KassaShiftReportPrint  *report,
                                       KassaReceiptPaper       paper,
                                       GError                **error)
{
  g_autoptr(GByteArray) array = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;

  g_return_val_if_fail (KASSA_IS_SHIFT_REPORT_PRINT (report), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  surface = kassa_shift_report_print_render_image (report, paper, 8.0, error);
  if (surface == NULL)
    return NULL;
  status = cairo_surface_write_to_png_stream (surface, kassa_print_write_to_array, array);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, KASSA_PRINT_ERROR, KASSA_PRINT_ERROR_RENDER,
                   _("Could not write the shift report image: %s"), cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&array));
}

GBytes *
kassa_print_shift_report_to_escpos_bytes (KassaShiftReportPrint  *report,
                                          KassaReceiptPaper       paper,
                                          GError                **error)
{
  g_autoptr(GBytes) bits = NULL;
  cairo_surface_t *image;
  guint width, height;

  g_return_val_if_fail (KASSA_IS_SHIFT_REPORT_PRINT (report), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  image = kassa_shift_report_print_render_image (report, paper, KASSA_ESCPOS_DOTS_PER_MM, error);
  if (image == NULL)
    return NULL;
  bits = kassa_escpos_rasterize (image, KASSA_ESCPOS_THRESHOLD, &width, &height);
  cairo_surface_destroy (image);
  /* A report is paper for the office, not a sale: the drawer stays shut. */
  return kassa_escpos_encode_raster (bits, width, height, KASSA_ESCPOS_CUT);
}
