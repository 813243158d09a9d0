/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-print"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "kassa-escpos.h"
#include "kassa-invoice-document.h"
#include "kassa-receipt.h"

#include "print-test-utils.h"

#define RUNS 1000

typedef GBytes *(*RenderFunc) (gpointer document);

static gint64
now_ns (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* Medians of @runs calls in milliseconds: CPU time of this thread (what
 * the code costs, even on a busy machine) and wall-clock time. */
static void
time_it (const char *label,
         RenderFunc  render,
         gpointer    document,
         guint       runs,
         double      goal_ms)
{
  g_autofree gint64 *cpu = g_new (gint64, runs);
  g_autofree gint64 *wall = g_new (gint64, runs);
  gsize bytes = 0;
  double cpu_median, wall_median, cpu_p95;

  for (guint i = 0; i < 10; i++)
    g_bytes_unref (render (document));

  for (guint i = 0; i < runs; i++)
    {
      gint64 cpu_start = now_ns (CLOCK_THREAD_CPUTIME_ID);
      gint64 wall_start = now_ns (CLOCK_MONOTONIC);
      GBytes *out = render (document);

      wall[i] = now_ns (CLOCK_MONOTONIC) - wall_start;
      cpu[i] = now_ns (CLOCK_THREAD_CPUTIME_ID) - cpu_start;
      bytes = g_bytes_get_size (out);
      g_bytes_unref (out);
    }
  qsort (cpu, runs, sizeof (gint64), compare_gint64);
  qsort (wall, runs, sizeof (gint64), compare_gint64);
  cpu_median = cpu[runs / 2] / 1e6;
  cpu_p95 = cpu[runs * 95 / 100] / 1e6;
  wall_median = wall[runs / 2] / 1e6;
  printf ("%-34s cpu median %7.3f ms  p95 %7.3f ms  wall median %7.3f ms  (%zu bytes)%s\n",
          label, cpu_median, cpu_p95, wall_median, bytes,
          goal_ms > 0 ? (cpu_median <= goal_ms ? "  goal met" : "  GOAL MISSED") : "");
}

static KassaReceipt *
make_receipt (void)
{
  g_autoptr(KassaStoreProfile) profile = test_make_profile ();
  g_autoptr(KassaOrder) order = test_make_order ("R-2026-0042");
  g_autoptr(KassaTotals) totals = NULL;
  g_autoptr(GBytes) logo = test_make_logo_png ();
  KassaReceipt *receipt;

  kassa_store_profile_set_logo (profile, logo);
  test_add_order_line (order, "Espresso", 2000, 350, 81000, 0);
  test_add_order_line (order, "Croissant au beurre", 3000, 233, 26000, 100000);
  test_add_order_line (order, "كعك بالتمر", 1000, 410, 26000, 0);
  test_add_order_line (order, "חלה מתוקה", 1000, 520, 26000, 0);
  test_add_order_line (order, "Pain de campagne, 1 kg", 1000, 640, 26000, 0);
  test_add_order_line (order, "Confiture d'abricots", 2000, 790, 26000, 0);
  g_assert_true (kassa_order_set_delivery_method (order, KASSA_DELIVERY_METHOD_DELIVERY, NULL));
  g_assert_true (kassa_order_set_shipping_address (order, TEST_DELIVERY_ADDRESS, NULL));
  totals = test_order_totals (order, 5);
  test_add_payment (order, "cash", "Cash", NULL, kassa_totals_get_amount_due (totals));

  receipt = kassa_receipt_new (profile, order, totals);
  kassa_receipt_set_cashier_name (receipt, "Nadia B.");
  kassa_receipt_set_invoice_link (receipt, "https://lumiere.example/i/Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA");
  kassa_receipt_set_cash_tendered (receipt, 5000, 5000 - kassa_totals_get_amount_due (totals));
  return receipt;
}

static KassaInvoiceDocument *
make_invoice (guint n_lines)
{
  g_autoptr(KassaStoreProfile) profile = test_make_profile ();
  g_autoptr(KassaInvoice) invoice = test_make_invoice (n_lines);
  g_autoptr(KassaTotals) totals = test_invoice_totals (invoice);
  g_autoptr(GBytes) logo = test_make_logo_png ();
  g_autoptr(GDateTime) paid_at = test_make_time (5, 14, 30);
  KassaInvoiceDocument *document;

  kassa_store_profile_set_logo (profile, logo);
  g_assert_true (kassa_invoice_record_payment (invoice, kassa_totals_get_total (totals),
                                               "Visa •••• 4242", paid_at, NULL));
  document = kassa_invoice_document_new (profile, invoice, totals);
  kassa_invoice_document_set_public_link (document, "https://lumiere.example/i/Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA");
  return document;
}

static GBytes *
render_receipt_pdf (gpointer receipt)
{
  return kassa_print_receipt_to_pdf_bytes (receipt, KASSA_RECEIPT_PAPER_80MM, NULL);
}

static GBytes *
render_invoice_pdf (gpointer document)
{
  return kassa_print_invoice_to_pdf_bytes (document, KASSA_PAGE_FORMAT_A4, NULL);
}

static GBytes *
render_escpos (gpointer receipt)
{
  return kassa_escpos_encode_receipt (receipt, KASSA_RECEIPT_PAPER_80MM,
                                      KASSA_ESCPOS_CUT | KASSA_ESCPOS_OPEN_DRAWER, NULL);
}

typedef struct
{
  GBytes *bits;
  guint   width;
  guint   height;
} Raster;

static GBytes *
encode_only (gpointer data)
{
  Raster *raster = data;

  return kassa_escpos_encode_raster (raster->bits, raster->width, raster->height, KASSA_ESCPOS_CUT);
}

static void
write_samples (const char           *dir,
               KassaReceipt         *receipt,
               KassaInvoiceDocument *invoice)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *r80_png = g_build_filename (dir, "receipt-80mm.png", NULL);
  g_autofree char *r58_png = g_build_filename (dir, "receipt-58mm.png", NULL);
  g_autofree char *r80_pdf = g_build_filename (dir, "receipt-80mm.pdf", NULL);
  g_autofree char *inv_pdf = g_build_filename (dir, "invoice-a4.pdf", NULL);

  if (!kassa_print_receipt_to_png (receipt, KASSA_RECEIPT_PAPER_80MM, r80_png, &error)
      || !kassa_print_receipt_to_png (receipt, KASSA_RECEIPT_PAPER_58MM, r58_png, &error)
      || !kassa_print_receipt_to_pdf (receipt, KASSA_RECEIPT_PAPER_80MM, r80_pdf, &error)
      || !kassa_print_invoice_to_pdf (invoice, KASSA_PAGE_FORMAT_A4, inv_pdf, &error))
    g_error ("%s", error->message);
  printf ("samples written to %s\n", dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KassaReceipt) receipt = make_receipt ();
  g_autoptr(KassaInvoiceDocument) invoice = make_invoice (12);
  g_autoptr(KassaInvoiceDocument) long_invoice = make_invoice (200);
  Raster raster = { 0 };

  /* bench-print [DIR]: also writes sample outputs to look at. */
  if (argc > 1)
    write_samples (argv[1], receipt, long_invoice);

  raster.bits = kassa_escpos_rasterize_receipt (receipt, KASSA_RECEIPT_PAPER_80MM,
                                                &raster.width, &raster.height, NULL);
  printf ("%d renders each\n", RUNS);
  time_it ("receipt PDF, 80 mm, 6 lines", render_receipt_pdf, receipt, RUNS, 5.0);
  time_it ("invoice PDF, A4, 12 lines", render_invoice_pdf, invoice, RUNS, 20.0);
  time_it ("invoice PDF, A4, 200 lines", render_invoice_pdf, long_invoice, RUNS / 10, 0);
  time_it ("ESC/POS receipt (render+encode)", render_escpos, receipt, RUNS, 0);
  time_it ("ESC/POS encode only (576 dots)", encode_only, &raster, RUNS, 0);
  g_bytes_unref (raster.bits);
  return 0;
}
