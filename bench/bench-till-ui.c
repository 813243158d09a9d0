/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-till-ui"

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <X11/extensions/XTest.h>

#include "kassa-bench.h"
#include "kassa-application.h"
#include "kassa-cart-repository.h"
#include "kassa-lock-screen.h"
#include "kassa-sell-page.h"
#include "kassa-shop-private.h"
#include "kassa-shop-demo.h"
#include "kassa-shop-staff.h"
#include "kassa-window.h"

/* The till in the real application over a 1,000,000-item store, as a
 * cashier meets it:
 *
 *  - start: process start until the Sell page's search entry holds the
 *    focus in a drawn frame, the PIN check included (the PIN typed in no
 *    time); each start is a new process;
 *  - keystroke: a real key press (XTest, through the X server) typed at
 *    a person's pace until the results list has the new results, and
 *    until the frame showing them is drawn;
 *  - scan: thirteen digits and Enter as fast as a scanner sends them,
 *    from Enter until the cart has the line, and until it is drawn.
 *
 * Run it under Xvfb (it needs an X11 display):
 *   xvfb-run -a -s '-screen 0 1280x800x24' _build/bench/bench-till-ui
 * Xvfb has no graphics card, so GTK's GL renderer would run on a
 * software emulation of one and time the emulation; unless GSK_RENDERER
 * says otherwise the application draws with GTK's Cairo renderer, GTK's
 * own software path. It prints how much of the store file the system
 * holds in memory: a till that has been selling has all of it there, and
 * scans of items whose pages are not wait for the disk.
 * The store is made with the demo generator once and kept in /tmp
 * (--store PATH to choose; an existing file is reused as is). */

#define N_STARTS        6
#define N_SCANS         300
#define LINES_PER_CART  20
#define TYPE_PAUSE_MS   160
#define SCAN_PAUSE_MS   80
#define WAIT_LIMIT_MS   2000

static const char *words[] = {
  "coffee", "organic", "cheese", "roasted", "chocolate", "honey", "rustic", "candles",
  "batteries", "pepper", "notebook", "golden", "towel", "spicy", "juice", "olives",
  "frozen", "cookies", "premium", "sponge", "bread", "dark", "gloves", "creamy",
};

static void
report (const char *what,
        GArray     *samples)
{
  if (samples->len == 0)
    {
      printf ("%-44s no samples\n", what);
      return;
    }

  g_array_sort (samples, compare_gint64);
  printf ("%-44s median %8.2f ms   p99 %8.2f ms   max %8.2f ms   (n = %u)\n", what,
          g_array_index (samples, gint64, samples->len / 2) / 1e6,
          g_array_index (samples, gint64, MIN (samples->len - 1, samples->len * 99 / 100)) / 1e6,
          g_array_index (samples, gint64, samples->len - 1) / 1e6,
          samples->len);
  fflush (stdout);
}

/* ---- the application, in a child process ---- */

typedef enum
{
  STAGE_LOCKED,
  STAGE_UNLOCKING,
  STAGE_TYPING,
  STAGE_SCANNING,
  STAGE_DONE,
} Stage;

typedef struct
{
  KassaApplication *application;
  KassaWindow      *window;
  KassaSellPage    *page;
  GtkWidget        *entry;
  GListModel       *results;
  KassaCart        *cart;
  gboolean          measure;
  guint             n_products;
  GRand            *rand;

  Stage             stage;
  gint64            started;       /* process start, from the parent */
  gint64            lock_shown;
  gint64            signed_in;
  gint64            ready;

  /* One measured action at a time. */
  gint64            sent;
  gint64            changed;
  gboolean          waiting_change;
  gboolean          waiting_paint;
  guint             timeout_id;
  guint             word;
  guint             letter;
  guint             scans;
  guint             n_missed;

  GArray           *key_model;
  GArray           *key_paint;
  GArray           *scan_model;
  GArray           *scan_paint;
  GArray           *scan_whole;
  gint64            scan_first;
  char              barcode[14];
  /* The carts this run parked, taken out of the store at its end. */
  GArray           *parked;
} Bench;

static void next_action (Bench *bench);

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static Display *
xdisplay_of (Bench *bench)
{
  return gdk_x11_display_get_xdisplay (gtk_widget_get_display (GTK_WIDGET (bench->window)));
}

static void
send_keysym (Display *xdisplay,
             KeySym   keysym)
{
  KeyCode code = XKeysymToKeycode (xdisplay, keysym);

  XTestFakeKeyEvent (xdisplay, code, True, CurrentTime);
  XTestFakeKeyEvent (xdisplay, code, False, CurrentTime);
}

static void
take_focus (Bench *bench)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (bench->window));

  /* No window manager under Xvfb hands out the focus: take it. */
  XSetInputFocus (xdisplay_of (bench), gdk_x11_surface_get_xid (surface), RevertToParent, CurrentTime);
}

static gboolean
action_timeout_cb (gpointer data)
{
  Bench *bench = data;

  bench->timeout_id = 0;
  bench->n_missed++;
  g_debug ("%s %s changed nothing", bench->stage == STAGE_SCANNING ? "scan" : "key",
           bench->stage == STAGE_SCANNING ? bench->barcode : words[bench->word]);
  bench->waiting_change = FALSE;
  bench->waiting_paint = FALSE;
  next_action (bench);

  return G_SOURCE_REMOVE;
}

static void
wait_for_change (Bench *bench)
{
  bench->waiting_change = TRUE;
  bench->waiting_paint = FALSE;
  g_clear_handle_id (&bench->timeout_id, g_source_remove);
  bench->timeout_id = g_timeout_add (WAIT_LIMIT_MS, action_timeout_cb, bench);
}

static gboolean
pause_done_cb (gpointer data)
{
  Bench *bench = data;

  bench->timeout_id = 0;
  next_action (bench);

  return G_SOURCE_REMOVE;
}

static void
results_changed_cb (GListModel *model,
                    guint       position,
                    guint       removed,
                    guint       added,
                    Bench      *bench)
{
  if (bench->stage != STAGE_TYPING || !bench->waiting_change)
    return;

  bench->changed = now_ns ();
  g_array_append_val (bench->key_model, (gint64) { bench->changed - bench->sent });
  bench->waiting_change = FALSE;
  bench->waiting_paint = TRUE;
}

static void cart_changed_cb (GListModel *model,
                             guint       position,
                             guint       removed,
                             guint       added,
                             Bench      *bench);

static void
follow_cart (Bench *bench)
{
  KassaTill *till = kassa_sell_page_get_till (bench->page);
  KassaCart *cart = till != NULL ? kassa_till_get_cart (till) : NULL;

  if (cart == bench->cart)
    return;

  if (bench->cart != NULL)
    g_signal_handlers_disconnect_by_func (bench->cart, cart_changed_cb, bench);
  g_set_object (&bench->cart, cart);
  if (cart != NULL)
    g_signal_connect (cart, "items-changed", G_CALLBACK (cart_changed_cb), bench);
}

static void
cart_changed_cb (GListModel *model,
                 guint       position,
                 guint       removed,
                 guint       added,
                 Bench      *bench)
{
  if (bench->stage != STAGE_SCANNING || !bench->waiting_change || added == 0)
    return;

  bench->changed = now_ns ();
  g_array_append_val (bench->scan_model, (gint64) { bench->changed - bench->sent });
  g_array_append_val (bench->scan_whole, (gint64) { bench->changed - bench->scan_first });
  bench->waiting_change = FALSE;
  bench->waiting_paint = TRUE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                Bench         *bench)
{
  gint64 painted;

  if (!bench->waiting_paint)
    return;

  painted = now_ns ();
  bench->waiting_paint = FALSE;
  g_clear_handle_id (&bench->timeout_id, g_source_remove);

  if (bench->stage == STAGE_TYPING)
    {
      g_array_append_val (bench->key_paint, (gint64) { painted - bench->sent });
      bench->timeout_id = g_timeout_add (TYPE_PAUSE_MS, pause_done_cb, bench);
    }
  else
    {
      g_array_append_val (bench->scan_paint, (gint64) { painted - bench->sent });
      bench->timeout_id = g_timeout_add (SCAN_PAUSE_MS, pause_done_cb, bench);
    }
}

static gboolean
park_cart (Bench      *bench,
           KassaTill  *till,
           GError    **error)
{
  gint64 cart_id = kassa_till_get_cart_id (till);

  if (!kassa_till_park (till, "bench", error))
    return FALSE;
  g_array_append_val (bench->parked, cart_id);
  return TRUE;
}

/* Each run leaves the store as it found it, so runs compare: carts
 * parked by the hundred would weigh on the next run's every scan. */
static void
remove_parked_carts (Bench *bench)
{
  KassaTill *till = kassa_sell_page_get_till (bench->page);
  g_autoptr(KassaCartRepository) carts = kassa_cart_repository_new (kassa_shop_get_database (kassa_till_get_shop (till)));

  for (guint i = 0; i < bench->parked->len; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!kassa_cart_repository_delete (carts, g_array_index (bench->parked, gint64, i), &error))
        g_warning ("Could not remove a parked cart: %s", error->message);
    }
}

/* The till's share of a scan, without the interface: the lookup and
 * saving the cart (synced to disk right behind), called directly on
 * the page's till. */
static GArray *
time_till_scans (Bench *bench)
{
  KassaTill *till = kassa_sell_page_get_till (bench->page);
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GError) error = NULL;
      char barcode[14];
      gint64 start;

      if (i % LINES_PER_CART == 0 && !park_cart (bench, till, &error))
        g_error ("Cannot park the cart: %s", error->message);

      kassa_shop_demo_generated_barcode (1 + g_rand_int_range (bench->rand, 0, bench->n_products - KASSA_SHOP_DEMO_N_HANDWRITTEN), barcode);
      start = now_ns ();
      if (kassa_till_add_barcode (till, barcode, NULL, &error))
        g_array_append_val (samples, (gint64) { now_ns () - start });
    }

  return samples;
}

static void
finish (Bench *bench)
{
  g_autoptr(GArray) till_scans = NULL;

  bench->stage = STAGE_DONE;
  till_scans = time_till_scans (bench);
  printf ("\nthe real application, %u products in the store\n", bench->n_products);
  report ("keystroke to results in the list", bench->key_model);
  report ("keystroke to the frame showing them", bench->key_paint);
  report ("scan: Enter to the line in the cart", bench->scan_model);
  report ("scan: Enter to the frame showing it", bench->scan_paint);
  report ("scan: first digit to the line in the cart", bench->scan_whole);
  report ("  of which the till (lookup, saved cart)", till_scans);
  if (bench->n_missed > 0)
    /* A key or a scan the application did not answer in time. */
    printf ("%u actions changed nothing within %d ms and are not counted\n",
            bench->n_missed, WAIT_LIMIT_MS);
  fflush (stdout);
  remove_parked_carts (bench);
  g_application_quit (G_APPLICATION (bench->application));
}

static void
type_next (Bench *bench)
{
  const char *word;

  if (bench->word >= G_N_ELEMENTS (words))
    {
      gtk_editable_set_text (GTK_EDITABLE (bench->entry), "");
      bench->stage = STAGE_SCANNING;
      bench->timeout_id = g_timeout_add (300, pause_done_cb, bench);
      return;
    }

  word = words[bench->word];
  if (word[bench->letter] == '\0')
    {
      /* A new search: the cashier clears the entry. */
      gtk_editable_set_text (GTK_EDITABLE (bench->entry), "");
      bench->word++;
      bench->letter = 0;
      bench->timeout_id = g_timeout_add (TYPE_PAUSE_MS * 2, pause_done_cb, bench);
      return;
    }

  take_focus (bench);
  bench->sent = now_ns ();
  send_keysym (xdisplay_of (bench), (KeySym) word[bench->letter]);
  XFlush (xdisplay_of (bench));
  bench->letter++;
  wait_for_change (bench);
}

static void
scan_next (Bench *bench)
{
  Display *xdisplay = xdisplay_of (bench);
  KassaTill *till = kassa_sell_page_get_till (bench->page);
  char *barcode = bench->barcode;
  guint n;

  if (bench->scans >= N_SCANS)
    {
      finish (bench);
      return;
    }

  /* A till's cart holds a few dozen lines, not hundreds. */
  if (bench->scans > 0 && bench->scans % LINES_PER_CART == 0 &&
      g_list_model_get_n_items (G_LIST_MODEL (kassa_till_get_cart (till))) > 0)
    {
      g_autoptr(GError) error = NULL;

      if (!park_cart (bench, till, &error))
        g_error ("Cannot park the cart: %s", error->message);
    }
  follow_cart (bench);

  /* The demo generator keeps every twentieth item a draft, not on sale;
   * its scan only shows a message, and is not what is timed here. */
  do
    n = 1 + g_rand_int_range (bench->rand, 0, bench->n_products - KASSA_SHOP_DEMO_N_HANDWRITTEN);
  while (n % 20 == 0);
  kassa_shop_demo_generated_barcode (n, barcode);
  take_focus (bench);
  bench->scan_first = now_ns ();
  for (int i = 0; barcode[i] != '\0'; i++)
    send_keysym (xdisplay, XK_0 + (barcode[i] - '0'));
  /* The digits leave together with Enter, as a scanner's burst does. */
  bench->sent = now_ns ();
  send_keysym (xdisplay, XK_Return);
  XFlush (xdisplay);
  bench->scans++;
  wait_for_change (bench);
}

static void
next_action (Bench *bench)
{
  if (bench->stage == STAGE_TYPING)
    type_next (bench);
  else if (bench->stage == STAGE_SCANNING)
    scan_next (bench);
}

static void
start_measuring (Bench *bench)
{
  GtkWidget *view = find_descendant (GTK_WIDGET (bench->page), GTK_TYPE_LIST_VIEW);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (bench->window));

  g_assert (view != NULL);
  bench->results = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (view)));
  g_signal_connect (bench->results, "items-changed", G_CALLBACK (results_changed_cb), bench);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), bench);
  follow_cart (bench);

  bench->stage = STAGE_TYPING;
  bench->timeout_id = g_timeout_add (500, pause_done_cb, bench);
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  Bench *bench = data;

  if (bench->stage == STAGE_LOCKED)
    {
      KassaLockScreen *lock = kassa_window_get_lock_screen (bench->window);
      KassaShop *shop = kassa_window_get_shop (bench->window);
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GError) error = NULL;

      if (shop == NULL || lock == NULL || !gtk_widget_get_mapped (GTK_WIDGET (lock)))
        return G_SOURCE_CONTINUE;

      bench->lock_shown = now_ns ();
      /* The demo's administrator is staff member 1. */
      if (!kassa_shop_sign_in (shop, 1, KASSA_SHOP_DEMO_ADMIN_PIN, now, &error))
        g_error ("Cannot sign in: %s", error->message);
      bench->signed_in = now_ns ();
      g_signal_emit_by_name (lock, "unlocked");
      bench->stage = STAGE_UNLOCKING;
      return G_SOURCE_CONTINUE;
    }

  if (bench->stage == STAGE_UNLOCKING)
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (bench->window));

      if (bench->page == NULL)
        bench->page = KASSA_SELL_PAGE (find_descendant (GTK_WIDGET (bench->window), KASSA_TYPE_SELL_PAGE));
      if (bench->page != NULL && bench->entry == NULL)
        bench->entry = find_descendant (GTK_WIDGET (bench->page), GTK_TYPE_SEARCH_ENTRY);
      if (bench->entry == NULL || focus == NULL || !gtk_widget_get_mapped (bench->entry) ||
          !(focus == bench->entry || gtk_widget_is_ancestor (focus, bench->entry)))
        return G_SOURCE_CONTINUE;

      bench->ready = now_ns ();
      printf ("start %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
              bench->lock_shown - bench->started, bench->signed_in - bench->lock_shown,
              bench->ready - bench->signed_in, bench->ready - bench->started);
      fflush (stdout);

      if (bench->measure)
        start_measuring (bench);
      else
        g_application_quit (G_APPLICATION (bench->application));
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_REMOVE;
}

static void
activate_cb (GApplication *application,
             Bench        *bench)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (bench->window != NULL || !KASSA_IS_WINDOW (window))
    return;

  bench->window = KASSA_WINDOW (window);
  gtk_window_set_default_size (window, 1280, 760);
  gtk_widget_add_tick_callback (GTK_WIDGET (window), tick_cb, bench, NULL);
}

static int
run_child (gint64   started,
           gboolean measure,
           guint    n_products)
{
  g_autoptr(KassaApplication) application = NULL;
  char *argv[] = { (char *) "kassa", NULL };
  Bench bench = { 0, };
  int status;

  application = kassa_application_new ();
  bench.application = application;
  bench.started = started;
  bench.measure = measure;
  bench.n_products = n_products;
  bench.rand = g_rand_new_with_seed (7);
  bench.key_model = g_array_new (FALSE, FALSE, sizeof (gint64));
  bench.parked = g_array_new (FALSE, FALSE, sizeof (gint64));
  bench.key_paint = g_array_new (FALSE, FALSE, sizeof (gint64));
  bench.scan_model = g_array_new (FALSE, FALSE, sizeof (gint64));
  bench.scan_paint = g_array_new (FALSE, FALSE, sizeof (gint64));
  bench.scan_whole = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_signal_connect_after (application, "activate", G_CALLBACK (activate_cb), &bench);

  status = g_application_run (G_APPLICATION (application), 1, argv);

  g_clear_object (&bench.cart);
  g_rand_free (bench.rand);
  g_array_unref (bench.key_model);
  g_array_unref (bench.parked);
  g_array_unref (bench.key_paint);
  g_array_unref (bench.scan_model);
  g_array_unref (bench.scan_paint);
  g_array_unref (bench.scan_whole);

  return status;
}

/* ---- the parent: the store, the processes, the figures ---- */

static void
progress_cb (KassaShopDemoStage stage,
             guint              n_done,
             guint              n_total,
             gpointer           user_data)
{
  if (n_done % 100000 == 0 || n_done == n_total)
    fprintf (stderr, "  %s %u / %u\n", stage == KASSA_SHOP_DEMO_STAGE_PRODUCTS ? "products" : "orders",
             n_done, n_total);
}

static void
generate (const char *path,
          guint       n_products)
{
  KassaShopDemoOptions options = KASSA_SHOP_DEMO_OPTIONS_INIT;
  g_autoptr(KassaShop) shop = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = now_ns ();

  shop = kassa_shop_open (path, &error);
  if (shop == NULL)
    g_error ("%s", error->message);
  options.n_products = n_products;
  options.n_orders = 0;
  options.progress = progress_cb;
  if (!kassa_shop_fill_demo (shop, &options, NULL, &error))
    g_error ("%s", error->message);
  printf ("%-44s %8.1f s\n", "demo store generated", (now_ns () - start) / 1e9);
}

static gint64
spawn_child (const char  *self_path,
             gboolean     measure,
             guint        n_products,
             GString     *output)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *started_text = NULL;
  g_autofree char *products_text = g_strdup_printf ("%u", n_products);
  char *line;
  gint64 total = -1;
  gint64 started;

  started = now_ns ();
  started_text = g_strdup_printf ("%" G_GINT64_FORMAT, started);
  child = g_subprocess_launcher_spawn (launcher, &error, self_path, "--child", started_text,
                                       measure ? "measure" : "start", products_text, NULL);
  if (child == NULL)
    g_error ("Cannot start the application: %s", error->message);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  while ((line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error)) != NULL)
    {
      gint64 lock = 0, sign_in = 0, unlock = 0;

      if (sscanf (line, "start %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                  &lock, &sign_in, &unlock, &total) == 4)
        printf ("  start: lock screen %7.1f ms, PIN check %6.1f ms, to the focused search entry %6.1f ms; "
                "in all %7.1f ms\n", lock / 1e6, sign_in / 1e6, unlock / 1e6, total / 1e6);
      else
        g_string_append_printf (output, "%s\n", line);
      fflush (stdout);
      g_free (line);
    }

  if (!g_subprocess_wait_check (child, NULL, &error))
    g_error ("The application failed: %s", error->message);

  return total;
}

/* How much of @path the operating system holds in memory: a till that
 * has sold all day has its store there, one just started may not, and
 * the scan's lookup waits for the disk for every page that is not. */
static double
percent_cached (const char *path)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  long page = sysconf (_SC_PAGESIZE);
  unsigned char *pages = NULL;
  struct stat st;
  gsize n_pages, n_cached = 0;
  void *map;

  if (fd < 0 || fstat (fd, &st) != 0 || st.st_size == 0)
    {
      if (fd >= 0)
        close (fd);
      return 0.0;
    }

  map = mmap (NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
  close (fd);
  if (map == MAP_FAILED)
    return 0.0;

  n_pages = (st.st_size + page - 1) / page;
  pages = g_malloc (n_pages);
  if (mincore (map, st.st_size, pages) == 0)
    for (gsize i = 0; i < n_pages; i++)
      n_cached += pages[i] & 1;
  munmap (map, st.st_size);
  g_free (pages);

  return 100.0 * n_cached / n_pages;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *store = NULL;
  g_autofree char *self_path = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) output = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  int n_products = 1000000;
  GOptionEntry entries[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &store, "The store to use (made when missing)", "PATH" },
    { "products", 0, 0, G_OPTION_ARG_INT, &n_products, "Catalog size when the store is made (default 1000000)", "N" },
    { NULL }
  };

  /* Before GTK starts, in this process and the children it starts. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);

  if (argc == 5 && g_strcmp0 (argv[1], "--child") == 0)
    return run_child (g_ascii_strtoll (argv[2], NULL, 10), g_strcmp0 (argv[3], "measure") == 0,
                      (guint) g_ascii_strtoull (argv[4], NULL, 10));

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (n_products <= KASSA_SHOP_DEMO_N_HANDWRITTEN)
    {
      fprintf (stderr, "--products must exceed %d\n", KASSA_SHOP_DEMO_N_HANDWRITTEN);
      return EXIT_FAILURE;
    }

  if (store == NULL)
    store = g_strdup_printf ("%s/kassa-bench-till-ui-%d.db", g_get_tmp_dir (), n_products);
  if (!g_file_test (store, G_FILE_TEST_EXISTS))
    generate (store, n_products);
  else
    printf ("%-44s %s\n", "reusing the store", store);

  self_path = g_file_read_link ("/proc/self/exe", NULL);
  if (self_path == NULL)
    self_path = g_strdup (argv[0]);

  /* The application reads its store, settings and schemas from here. */
  g_setenv ("KASSA_DATABASE", store, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSETTINGS_SCHEMA_DIR", KASSA_BENCH_SCHEMA_DIR, TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);

  printf ("till benchmark in the real application: %d products\n", n_products);
  printf ("%-44s %.0f %%\n", "store file in memory at the start", percent_cached (store));
  for (guint i = 0; i < N_STARTS; i++)
    {
      gint64 total = spawn_child (self_path, i == N_STARTS - 1, n_products, output);

      /* The first start reads the store from disk; a till starts warm
       * but the first figure is still worth seeing. */
      if (i > 0)
        g_array_append_val (starts, total);
    }

  report ("start to usable till (warm, new process)", starts);
  printf ("%s", output->str);

  return EXIT_SUCCESS;
}
