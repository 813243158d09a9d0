/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Builders shared by the print tests and the print benchmark: a store
 * profile, orders and invoices with known contents, and the external
 * tools (pdftotext, pdfinfo, zbarimg) that read the output back. */

#include <string.h>

#include <cairo.h>
#include <gio/gio.h>

#include "kassa-document-totals.h"
#include "kassa-invoice.h"
#include "kassa-order.h"
#include "kassa-store-profile.h"

#define TEST_ADDRESS "Café Lumière\nRue du Marché 12, 2nd floor, door on the left behind the bakery\n\nCase postale 1234\n1204 Genève\nSwitzerland"
#define TEST_FOOTER "Merci ! Thank you\nشكرا لزيارتكم\nתודה רבה\n谢谢光临"
#define TEST_DELIVERY_ADDRESS "Ms Jane Q. Public-Longname\nAppartement 5B, Résidence « Les Tilleuls »\nChemin des Très-Longues-Vignes 143bis\nCH-1208 Genève\nRing twice; the bell on the left is broken, use the side gate after 18:00"

static inline cairo_status_t
test_append_cb (void                *closure,
                const unsigned char *data,
                unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static inline GBytes *
test_make_logo_png (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 120, 60);
  cairo_t *cr = cairo_create (surface);
  GByteArray *array = g_byte_array_new ();

  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_arc (cr, 30, 30, 25, 0, 6.2832);
  cairo_fill (cr);
  cairo_rectangle (cr, 65, 10, 50, 40);
  cairo_set_line_width (cr, 6);
  cairo_stroke (cr);
  cairo_destroy (cr);

  cairo_surface_write_to_png_stream (surface, test_append_cb, array);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (array);
}

static inline KassaStoreProfile *
test_make_profile (void)
{
  KassaStoreProfile *profile = kassa_store_profile_new ();

  kassa_store_profile_set_name (profile, "Café Lumière");
  kassa_store_profile_set_tagline (profile, "Coffee, bread & kindness");
  kassa_store_profile_set_address (profile, "Rue du Marché 12\n1204 Genève");
  kassa_store_profile_set_tax_id (profile, "CHE-123.456.789 TVA");
  kassa_store_profile_set_email (profile, "hello@lumiere.example");
  kassa_store_profile_set_phone (profile, "+41 22 555 01 23");
  kassa_store_profile_set_website (profile, "lumiere.example");
  kassa_store_profile_set_receipt_footer (profile, TEST_FOOTER);
  return profile;
}

static inline GDateTime *
test_make_time (int day, int hour, int minute)
{
  return g_date_time_new_utc (2026, 11, day, hour, minute, 0);
}

static inline void
test_add_order_line (KassaOrder *order,
                     const char *name,
                     gint64      quantity,
                     gint64      unit_price,
                     gint64      tax_rate,
                     gint64      discount_percent_ppm)
{
  g_autoptr(KassaOrderLine) line = kassa_order_line_new ();

  g_assert_true (kassa_order_line_set_name (line, name, NULL));
  g_assert_true (kassa_order_line_set_quantity (line, quantity, NULL));
  g_assert_true (kassa_order_line_set_unit_price (line, unit_price, NULL));
  g_assert_true (kassa_order_line_set_tax_rate (line, tax_rate, NULL));
  if (discount_percent_ppm != 0)
    {
      g_assert_true (kassa_order_line_set_discount_kind (line, KASSA_DISCOUNT_PERCENT, NULL));
      g_assert_true (kassa_order_line_set_discount_value (line, discount_percent_ppm, NULL));
    }
  g_assert_true (kassa_order_add_line (order, line, NULL));
}

static inline KassaOrder *
test_make_order (const char *number)
{
  KassaOrder *order = kassa_order_new ();
  g_autoptr(GDateTime) created = test_make_time (28, 10, 15);

  g_assert_true (kassa_order_set_number (order, number, NULL));
  g_assert_true (kassa_order_set_currency_code (order, "CHF", NULL));
  g_assert_true (kassa_order_set_prices_include_tax (order, TRUE, NULL));
  g_assert_true (kassa_order_set_created_at (order, created, NULL));
  return order;
}

static inline KassaTotals *
test_order_totals (KassaOrder *order,
                   gint64      cash_step)
{
  g_autoptr(GError) error = NULL;
  KassaTaxSettings settings = { 0 };
  KassaTotals *totals;

  settings.currency = kassa_currency_lookup (kassa_order_get_currency_code (order), NULL);
  totals = kassa_order_compute_totals (order, &settings, cash_step, &error);
  g_assert_no_error (error);
  return totals;
}

static inline void
test_add_payment (KassaOrder *order,
                  const char *provider,
                  const char *label,
                  const char *reference,
                  gint64      amount)
{
  g_autoptr(KassaPayment) payment = kassa_payment_new ();

  kassa_payment_set_provider_id (payment, provider);
  kassa_payment_set_method_label (payment, label);
  kassa_payment_set_reference (payment, reference);
  kassa_payment_set_currency_code (payment, kassa_order_get_currency_code (order));
  kassa_payment_set_amount (payment, amount);
  g_assert_true (kassa_order_add_payment (order, payment, NULL));
}

static inline void
test_add_invoice_line (KassaInvoice *invoice,
                       const char   *name,
                       const char   *description,
                       gint64        quantity,
                       gint64        unit_price,
                       gint64        tax_rate)
{
  g_autoptr(KassaInvoiceLine) line = kassa_invoice_line_new ();

  g_assert_true (kassa_invoice_line_set_name (line, name, NULL));
  g_assert_true (kassa_invoice_line_set_description (line, description, NULL));
  g_assert_true (kassa_invoice_line_set_quantity (line, quantity, NULL));
  g_assert_true (kassa_invoice_line_set_unit_price (line, unit_price, NULL));
  g_assert_true (kassa_invoice_line_set_tax_rate (line, tax_rate, NULL));
  g_assert_true (kassa_invoice_add_line (invoice, line, NULL));
}

/* An issued invoice of @n_lines lines in EUR. */
static inline KassaInvoice *
test_make_invoice (guint n_lines)
{
  KassaInvoice *invoice = kassa_invoice_new ();
  g_autoptr(GDateTime) issued = test_make_time (2, 9, 0);
  g_autoptr(GDateTime) due = test_make_time (30, 0, 0);
  static const gint64 rates[] = { 200000, 55000, 100000 };

  g_assert_true (kassa_invoice_set_currency_code (invoice, "EUR", NULL));
  g_assert_true (kassa_invoice_set_buyer_name (invoice, "Müller & Söhne GmbH", NULL));
  g_assert_true (kassa_invoice_set_buyer_email (invoice, "accounts@mueller.example", NULL));
  g_assert_true (kassa_invoice_set_buyer_address (invoice, "Einkauf / Buchhaltung\nHauptstraße 5\n10115 Berlin\nDeutschland", NULL));
  g_assert_true (kassa_invoice_set_due_date (invoice, due, NULL));
  g_assert_true (kassa_invoice_set_public_token (invoice, "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA", NULL));
  for (guint i = 0; i < n_lines; i++)
    {
      g_autofree char *name = g_strdup_printf ("Item %03u", i + 1);
      g_autofree char *description = g_strdup_printf ("Description of item %03u", i + 1);

      test_add_invoice_line (invoice, name, description, 1000 * (1 + i % 3), 1250 + 100 * i,
                             rates[i % G_N_ELEMENTS (rates)]);
    }
  g_assert_true (kassa_invoice_issue (invoice, "INV-2026-000017", issued, NULL));
  return invoice;
}

static inline KassaTotals *
test_invoice_totals (KassaInvoice *invoice)
{
  g_autoptr(GError) error = NULL;
  KassaTaxSettings settings = { 0 };
  KassaTotals *totals;

  settings.currency = kassa_currency_lookup (kassa_invoice_get_currency_code (invoice), NULL);
  totals = kassa_invoice_compute_totals (invoice, &settings, 0, &error);
  g_assert_no_error (error);
  return totals;
}

/* Runs @argv, returns its standard output; NULL (and a TAP skip) when
 * the program is not installed. */
static inline char *
test_run_tool (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *program = g_find_program_in_path (argv[0]);
  char *out = NULL;
  int status;

  if (program == NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s is not installed", argv[0]);

      g_test_skip (message);
      return NULL;
    }
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static inline char *
test_write_tmp (const char *dir,
                const char *name,
                GBytes     *bytes)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return path;
}

/* pdftotext's text with every run of white space made one space, so a
 * wrapped line still reads as typed. */
static inline char *
test_pdf_text (const char *pdf_path)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf_path, "-", NULL };
  g_autofree char *raw = test_run_tool (argv);
  g_autoptr(GString) out = NULL;
  gboolean space = FALSE;

  if (raw == NULL)
    return NULL;
  out = g_string_new (NULL);
  for (const char *p = raw; *p; p++)
    {
      if (g_ascii_isspace (*p) || *p == '\f')
        space = TRUE;
      else
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Every line of @typed, its white space folded, occurs in @text. */
static inline void
test_assert_text_has_lines (const char *text,
                            const char *typed)
{
  g_auto(GStrv) lines = g_strsplit (typed, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      g_autofree char *folded = NULL;

      if (lines[i][0] == '\0')
        continue;
      folded = g_strjoinv (" ", words);
      if (strstr (text, folded) == NULL)
        g_error ("“%s” not found in “%s”", folded, text);
    }
}
