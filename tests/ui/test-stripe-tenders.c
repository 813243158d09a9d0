/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-catalog-repository.h"
#include "kassa-fake-stripe.h"
#include "kassa-payment-dialog.h"
#include "kassa-qr-tender.h"
#include "kassa-reader-tender.h"
#include "kassa-shop-orders.h"
#include "kassa-shop-private.h"
#include "kassa-shop-providers.h"
#include "kassa-stripe-state-repository.h"
#include "kassa-stripe-checkout-provider.h"
#include "till-test-utils.h"

#define SECRET_KEY "sk_test_kassa_ui_tenders_DoNotLogMe_4242"
#define READER "tmr_simulated_1"
#define CARD_OK "4242424242424242"

/* Green tea and a tea pot: 4.99 + 32.90. */
#define AMOUNT_DUE 3789

/* One fake for the program: the environment naming it is set once,
 * before any thread runs. */
static KassaFakeStripe *fake_stripe;

typedef struct
{
  char               *dir;
  KassaShop          *shop;
  KassaTill          *till;
  KassaFakeStripe    *fake;
  KassaPaymentDialog *dialog;
  guint               n_completed;
  gboolean            tapped;
} Fixture;

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
completed_cb (KassaPaymentDialog *dialog,
              KassaOrder         *order,
              Fixture            *fixture)
{
  g_assert_true (KASSA_IS_ORDER (order));
  fixture->n_completed++;
}

static GtkStack *
tender_stack (Fixture *fixture)
{
  GtkWidget *switcher = kassa_test_ui_find_descendant (GTK_WIDGET (fixture->dialog), GTK_TYPE_STACK_SWITCHER);

  g_assert_nonnull (switcher);
  return gtk_stack_switcher_get_stack (GTK_STACK_SWITCHER (switcher));
}

static gboolean
has_tenders (gpointer data)
{
  Fixture *fixture = data;
  GtkStack *stack = tender_stack (fixture);

  return gtk_stack_get_child_by_name (stack, "stripe-qr") != NULL &&
         gtk_stack_get_child_by_name (stack, "card-reader") != NULL;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  till_test_load_style ();
  fixture->fake = g_object_ref (fake_stripe);

  fixture->shop = till_test_open_shop (&fixture->dir);
  fixture->till = kassa_till_new (fixture->shop, &error);
  g_assert_no_error (error);
  g_assert_true (kassa_till_add_barcode (fixture->till, "4006381333931", NULL, &error));
  g_assert_true (kassa_till_add_barcode (fixture->till, "4006381333955", NULL, &error));
  g_assert_no_error (error);

  fixture->dialog = kassa_payment_dialog_new (fixture->till);
  g_object_add_weak_pointer (G_OBJECT (fixture->dialog), (gpointer *) &fixture->dialog);
  g_signal_connect (fixture->dialog, "completed", G_CALLBACK (completed_cb), fixture);
  gtk_window_present (GTK_WINDOW (fixture->dialog));
  g_assert_true (kassa_test_ui_wait_for (is_mapped, fixture->dialog));
  g_assert_true (kassa_test_ui_wait_for (has_tenders, fixture));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->dialog));
  kassa_test_ui_spin (50);
  g_assert_null (fixture->dialog);

  g_clear_object (&fixture->till);
  g_clear_object (&fixture->shop);
  g_clear_object (&fixture->fake);
  till_test_remove_dir (fixture->dir);
}

static KassaQrTender *
show_qr (Fixture *fixture)
{
  GtkStack *stack = tender_stack (fixture);
  GtkWidget *page = gtk_stack_get_child_by_name (stack, "stripe-qr");

  gtk_stack_set_visible_child_name (stack, "stripe-qr");
  g_assert_true (kassa_test_ui_wait_for (is_mapped, page));
  kassa_stripe_checkout_provider_set_poll_interval (kassa_qr_tender_get_provider (KASSA_QR_TENDER (page)), 20);

  return KASSA_QR_TENDER (page);
}

static KassaReaderTender *
show_reader (Fixture *fixture)
{
  GtkStack *stack = tender_stack (fixture);
  GtkWidget *page = gtk_stack_get_child_by_name (stack, "card-reader");

  gtk_stack_set_visible_child_name (stack, "card-reader");
  g_assert_true (kassa_test_ui_wait_for (is_mapped, page));
  kassa_stripe_terminal_provider_set_poll_interval (kassa_reader_tender_get_provider (KASSA_READER_TENDER (page)), 20);

  return KASSA_READER_TENDER (page);
}

static gboolean
qr_shown (gpointer data)
{
  return kassa_qr_tender_get_url (data) != NULL;
}

static gboolean
qr_stopped (gpointer data)
{
  return !kassa_qr_tender_get_running (data);
}

static gboolean
reader_stopped (gpointer data)
{
  return !kassa_reader_tender_get_running (data);
}

static gboolean
readers_loaded (gpointer data)
{
  return kassa_reader_tender_get_loaded (data);
}

static gboolean
dialog_completed (gpointer data)
{
  Fixture *fixture = data;

  return fixture->n_completed > 0;
}

static const char *
session_id_of (KassaQrTender *tender)
{
  return kassa_stripe_checkout_provider_get_session_id (kassa_qr_tender_get_provider (tender));
}

static GtkPicture *
visible_code (KassaQrTender *tender)
{
  GtkWidget *picture = kassa_test_ui_find_descendant (GTK_WIDGET (tender), GTK_TYPE_PICTURE);

  g_assert_nonnull (picture);
  g_assert_true (gtk_widget_get_mapped (picture));
  return GTK_PICTURE (picture);
}

/* What the code on screen says, read back by a QR decoder when one is
 * installed; otherwise it must be pixel for pixel the code of @url. */
static void
assert_code_says (Fixture    *fixture,
                  GtkPicture *picture,
                  const char *url)
{
  GdkTexture *shown = GDK_TEXTURE (gtk_picture_get_paintable (picture));
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
  g_autofree char *png = g_build_filename (fixture->dir, "code.png", NULL);

  g_assert_nonnull (shown);
  g_assert_true (gdk_texture_save_to_png (shown, png));

  if (zbarimg != NULL)
    {
      const char *argv[] = { zbarimg, "--raw", "-q", png, NULL };
      g_autofree char *out = NULL;
      g_autoptr(GError) error = NULL;
      int status;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                                   &status, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (g_strchomp (out), ==, url);
    }
  else
    {
      g_autoptr(GdkTexture) expected = kassa_qr_tender_render_code (url, 8, NULL);
      int width = gdk_texture_get_width (shown);
      int height = gdk_texture_get_height (shown);
      g_autofree guchar *a = g_malloc ((gsize) width * height * 4);
      g_autofree guchar *b = g_malloc ((gsize) width * height * 4);

      g_assert_cmpint (gdk_texture_get_width (expected), ==, width);
      gdk_texture_download (shown, a, width * 4);
      gdk_texture_download (expected, b, width * 4);
      g_assert_cmpmem (a, (gsize) width * height * 4, b, (gsize) width * height * 4);
    }
  g_unlink (png);
}

static void
test_stripe_hint_hidden (Fixture       *fixture,
                         gconstpointer  data)
{
  /* With a key there are tenders and no "not set up" hint. */
  g_assert_null (kassa_test_ui_find_named (GTK_WIDGET (fixture->dialog), "stripe-hint"));
}

static void
test_qr_completes (Fixture       *fixture,
                   gconstpointer  data)
{
  KassaQrTender *tender = show_qr (fixture);
  g_autoptr(KassaOrder) stored = NULL;
  g_autoptr(KassaPayment) payment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *order_id = NULL;
  g_autoptr(KassaStripeStateRepository) state = NULL;
  g_autoptr(KassaStripeRequest) request = NULL;
  gint64 cart_id = kassa_till_get_cart_id (fixture->till);
  JsonObject *session;
  KassaOrder *order;

  /* The start button has the focus: Enter opens the session. */
  if (!kassa_test_ui_send_key (GTK_WINDOW (fixture->dialog), GDK_KEY_Return, 0))
    kassa_qr_tender_start (tender);
  g_assert_true (kassa_test_ui_wait_for (qr_shown, tender));
  g_assert_cmpstr (kassa_qr_tender_get_status (tender), ==, "Waiting for the customer to scan the code and pay");

  session = kassa_fake_stripe_get_object (fixture->fake, session_id_of (tender));
  g_assert_nonnull (session);
  g_assert_cmpint (json_object_get_int_member (session, "amount_total"), ==, AMOUNT_DUE);
  g_assert_cmpstr (json_object_get_string_member (session, "mode"), ==, "payment");
  g_assert_cmpstr (kassa_qr_tender_get_url (tender), ==, json_object_get_string_member (session, "url"));

  /* The session's key was stored against the cart before it left, and
   * is the key the request carried. */
  state = kassa_stripe_state_repository_new (kassa_shop_get_database (fixture->shop));
  request = kassa_stripe_state_repository_find_request (state, "cart", cart_id, "POST",
                                                         "/v1/checkout/sessions", &error);
  g_assert_no_error (error);
  g_assert_nonnull (request);
  g_assert_cmpint (request->outcome, ==, KASSA_STRIPE_OUTCOME_PENDING);
  assert_code_says (fixture, visible_code (tender), json_object_get_string_member (session, "url"));

  if (g_getenv ("KASSA_SCREENSHOT_DIR") != NULL)
    {
      g_autofree char *path = g_build_filename (g_getenv ("KASSA_SCREENSHOT_DIR"), "payment-qr.png", NULL);

      till_test_save_screenshot (GTK_WIDGET (fixture->dialog), path);
    }

  g_assert_true (kassa_fake_stripe_complete_checkout_session (fixture->fake, session_id_of (tender)));
  g_assert_true (kassa_test_ui_wait_for (dialog_completed, fixture));

  order = kassa_payment_dialog_get_order (fixture->dialog);
  g_assert_nonnull (order);
  g_assert_true (kassa_till_get_empty (fixture->till));

  /* Stripe's answer is kept with the key. */
  g_clear_pointer (&request, kassa_stripe_request_free);
  request = kassa_stripe_state_repository_find_request (state, "cart", cart_id, "POST",
                                                         "/v1/checkout/sessions", &error);
  g_assert_no_error (error);
  g_assert_cmpint (request->outcome, ==, KASSA_STRIPE_OUTCOME_SUCCEEDED);

  /* As stored: one Stripe payment of the whole amount. */
  order_id = g_strdup_printf ("%" G_GINT64_FORMAT, kassa_order_get_id (order));
  stored = kassa_shop_find_order (fixture->shop, order_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (kassa_order_get_payments (stored)), ==, 1);
  payment = g_list_model_get_item (kassa_order_get_payments (stored), 0);
  g_assert_cmpstr (kassa_payment_get_provider_id (payment), ==, KASSA_STRIPE_CHECKOUT_PROVIDER_ID);
  g_assert_cmpint (kassa_payment_get_amount (payment), ==, AMOUNT_DUE);
  g_assert_nonnull (kassa_payment_get_reference (payment));
  g_assert_true (g_str_has_prefix (kassa_payment_get_reference (payment), "pi_") ||
                 g_str_has_prefix (kassa_payment_get_reference (payment), "cs_"));
}

static void
test_qr_expires (Fixture       *fixture,
                 gconstpointer  data)
{
  KassaQrTender *tender = show_qr (fixture);
  JsonObject *session;

  kassa_qr_tender_start (tender);
  g_assert_true (kassa_test_ui_wait_for (qr_shown, tender));

  /* Nobody paid within the session's half hour: Stripe expires it. */
  session = kassa_fake_stripe_get_object (fixture->fake, session_id_of (tender));
  json_object_set_string_member (session, "status", "expired");
  g_assert_true (kassa_test_ui_wait_for (qr_stopped, tender));

  g_assert_null (kassa_qr_tender_get_url (tender));
  g_assert_true (g_str_has_prefix (kassa_qr_tender_get_status (tender), "The QR payment was cancelled or expired"));
  g_assert_cmpuint (fixture->n_completed, ==, 0);
  g_assert_null (kassa_payment_dialog_get_order (fixture->dialog));
  g_assert_false (kassa_till_get_empty (fixture->till));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (kassa_till_get_cart (fixture->till))), ==, 2);
  g_assert_cmpint (kassa_payment_dialog_get_remaining (fixture->dialog, FALSE), ==, AMOUNT_DUE);
}

static void
test_qr_cancel (Fixture       *fixture,
                gconstpointer  data)
{
  KassaQrTender *tender = show_qr (fixture);
  JsonObject *session;

  kassa_qr_tender_start (tender);
  g_assert_true (kassa_test_ui_wait_for (qr_shown, tender));

  /* The cancel button took the focus: Enter withdraws the code. */
  if (!kassa_test_ui_send_key (GTK_WINDOW (fixture->dialog), GDK_KEY_Return, 0))
    kassa_qr_tender_cancel (tender);
  g_assert_true (kassa_test_ui_wait_for (qr_stopped, tender));

  session = kassa_fake_stripe_get_object (fixture->fake, session_id_of (tender));
  g_assert_cmpstr (json_object_get_string_member (session, "status"), ==, "expired");
  g_assert_cmpuint (fixture->n_completed, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (kassa_till_get_cart (fixture->till))), ==, 2);
}

typedef struct
{
  KassaFakeStripe *fake;
  const char      *id;
} SessionRef;

static gboolean
session_expired (gpointer data)
{
  SessionRef *ref = data;
  JsonObject *session = kassa_fake_stripe_get_object (ref->fake, ref->id);

  return g_strcmp0 (json_object_get_string_member (session, "status"), "expired") == 0;
}

static void
test_closing_withdraws_code (Fixture       *fixture,
                             gconstpointer  data)
{
  KassaQrTender *tender = show_qr (fixture);
  g_autofree char *id = NULL;
  SessionRef ref;

  kassa_qr_tender_start (tender);
  g_assert_true (kassa_test_ui_wait_for (qr_shown, tender));
  id = g_strdup (session_id_of (tender));

  /* Escape with nothing paid closes the dialog; the code it showed must
   * not stay payable. */
  if (!kassa_test_ui_send_key (GTK_WINDOW (fixture->dialog), GDK_KEY_Escape, 0))
    gtk_window_destroy (GTK_WINDOW (fixture->dialog));
  kassa_test_ui_spin (50);
  g_assert_null (fixture->dialog);

  ref.fake = fixture->fake;
  ref.id = id;
  g_assert_true (kassa_test_ui_wait_for (session_expired, &ref));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (kassa_till_get_cart (fixture->till))), ==, 2);
}

static void
tapped_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (kassa_stripe_terminal_provider_present_test_card_finish (KASSA_STRIPE_TERMINAL_PROVIDER (object),
                                                                          res, &error));
  g_assert_no_error (error);
  fixture->tapped = TRUE;
}

static void
waiting_tap_cb (KassaPaymentProvider *provider,
                KassaPaymentProgress  progress,
                const char           *message,
                const char           *url,
                Fixture              *fixture)
{
  if (progress == KASSA_PAYMENT_PROGRESS_WAITING_FOR_CUSTOMER && !fixture->tapped)
    kassa_stripe_terminal_provider_present_test_card_async (KASSA_STRIPE_TERMINAL_PROVIDER (provider), CARD_OK,
                                                            NULL, tapped_cb, fixture);
}

static gboolean
reader_waiting (gpointer data)
{
  KassaReaderTender *tender = data;
  KassaStripeTerminalProvider *provider = kassa_reader_tender_get_provider (tender);
  const char *id = kassa_stripe_terminal_provider_get_payment_intent_id (provider);

  return kassa_reader_tender_get_running (tender) && id != NULL;
}

static void
test_reader_preselected (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  KassaReaderTender *tender;

  /* The dialog in the fixture read the setting before it was set: open
   * another one now. */
  g_settings_set_string (settings, "stripe-reader-id", READER);
  gtk_window_destroy (GTK_WINDOW (fixture->dialog));
  kassa_test_ui_spin (20);
  fixture->dialog = kassa_payment_dialog_new (fixture->till);
  g_object_add_weak_pointer (G_OBJECT (fixture->dialog), (gpointer *) &fixture->dialog);
  gtk_window_present (GTK_WINDOW (fixture->dialog));
  g_assert_true (kassa_test_ui_wait_for (has_tenders, fixture));

  tender = show_reader (fixture);
  g_assert_true (kassa_test_ui_wait_for (readers_loaded, tender));
  g_assert_cmpstr (kassa_reader_tender_get_reader_id (tender), ==, READER);
  g_settings_reset (settings, "stripe-reader-id");
}

static void
test_reader_cancelled (Fixture       *fixture,
                       gconstpointer  data)
{
  KassaReaderTender *tender = show_reader (fixture);
  KassaStripeTerminalProvider *provider = kassa_reader_tender_get_provider (tender);
  JsonObject *intent;
  JsonObject *reader;

  g_assert_true (kassa_test_ui_wait_for (readers_loaded, tender));
  /* No default reader: the first listed is chosen. */
  g_assert_cmpstr (kassa_reader_tender_get_reader_id (tender), ==, "tmr_simulated_0");

  kassa_reader_tender_start (tender);
  g_assert_true (kassa_test_ui_wait_for (reader_waiting, tender));
  kassa_test_ui_spin (100);
  g_assert_true (kassa_reader_tender_get_running (tender));

  kassa_reader_tender_cancel (tender);
  g_assert_true (kassa_test_ui_wait_for (reader_stopped, tender));

  intent = kassa_fake_stripe_get_object (fixture->fake, kassa_stripe_terminal_provider_get_payment_intent_id (provider));
  g_assert_cmpstr (json_object_get_string_member (intent, "status"), ==, "canceled");
  reader = kassa_fake_stripe_get_object (fixture->fake, "tmr_simulated_0");
  g_assert_true (json_object_get_member (reader, "action") == NULL ||
                 json_object_get_null_member (reader, "action"));
  g_assert_true (g_str_has_prefix (kassa_reader_tender_get_status (tender), "The card payment was cancelled"));
  g_assert_cmpuint (fixture->n_completed, ==, 0);
  g_assert_null (kassa_payment_dialog_get_order (fixture->dialog));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (kassa_till_get_cart (fixture->till))), ==, 2);
  g_assert_cmpint (kassa_payment_dialog_get_remaining (fixture->dialog, FALSE), ==, AMOUNT_DUE);
}

typedef struct
{
  KassaFakeStripe *fake;
  const char      *id;
} IntentRef;

static gboolean
intent_canceled (gpointer data)
{
  IntentRef *ref = data;
  JsonObject *intent = kassa_fake_stripe_get_object (ref->fake, ref->id);

  return g_strcmp0 (json_object_get_string_member (intent, "status"), "canceled") == 0;
}

static void
test_closing_cancels_reader (Fixture       *fixture,
                             gconstpointer  data)
{
  KassaReaderTender *tender = show_reader (fixture);
  g_autofree char *id = NULL;
  IntentRef ref;

  g_assert_true (kassa_test_ui_wait_for (readers_loaded, tender));
  kassa_reader_tender_start (tender);
  g_assert_true (kassa_test_ui_wait_for (reader_waiting, tender));
  id = g_strdup (kassa_stripe_terminal_provider_get_payment_intent_id (kassa_reader_tender_get_provider (tender)));

  gtk_window_destroy (GTK_WINDOW (fixture->dialog));
  kassa_test_ui_spin (50);
  g_assert_null (fixture->dialog);

  ref.fake = fixture->fake;
  ref.id = id;
  g_assert_true (kassa_test_ui_wait_for (intent_canceled, &ref));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (kassa_till_get_cart (fixture->till))), ==, 2);
}

static void
test_reader_succeeds (Fixture       *fixture,
                      gconstpointer  data)
{
  KassaReaderTender *tender = show_reader (fixture);
  KassaStripeTerminalProvider *provider = kassa_reader_tender_get_provider (tender);
  g_autoptr(KassaPayment) payment = NULL;
  KassaOrder *order;
  JsonObject *intent;

  g_assert_true (kassa_test_ui_wait_for (readers_loaded, tender));
  g_signal_connect (provider, "status-changed", G_CALLBACK (waiting_tap_cb), fixture);

  kassa_reader_tender_start (tender);
  g_assert_true (kassa_test_ui_wait_for (dialog_completed, fixture));
  g_assert_true (fixture->tapped);
  g_signal_handlers_disconnect_by_func (provider, waiting_tap_cb, fixture);

  intent = kassa_fake_stripe_get_object (fixture->fake, kassa_stripe_terminal_provider_get_payment_intent_id (provider));
  g_assert_cmpstr (json_object_get_string_member (intent, "status"), ==, "succeeded");
  g_assert_cmpint (json_object_get_int_member (intent, "amount"), ==, AMOUNT_DUE);

  order = kassa_payment_dialog_get_order (fixture->dialog);
  g_assert_nonnull (order);
  payment = g_list_model_get_item (kassa_order_get_payments (order), 0);
  g_assert_cmpstr (kassa_payment_get_provider_id (payment), ==, KASSA_STRIPE_TERMINAL_PROVIDER_ID);
  g_assert_cmpint (kassa_payment_get_amount (payment), ==, AMOUNT_DUE);
  g_assert_cmpstr (kassa_payment_get_reference (payment), ==, json_object_get_string_member (intent, "id"));
  g_assert_true (kassa_till_get_empty (fixture->till));
}

/* A monthly tea club joins the cart. */
static void
add_subscription (Fixture *fixture)
{
  g_autoptr(KassaCatalogRepository) catalog = kassa_catalog_repository_new (kassa_shop_get_database (fixture->shop));
  g_autoptr(KassaCatalogItem) item = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  item = g_object_new (KASSA_TYPE_CATALOG_ITEM,
                       "name", "Tea club",
                       "kind", KASSA_ITEM_KIND_SERVICE,
                       "price", G_GINT64_CONSTANT (1500),
                       "currency-code", "EUR",
                       "tax-rate", G_GINT64_CONSTANT (190000),
                       "pricing", KASSA_PRICING_RECURRING,
                       "interval", KASSA_BILLING_INTERVAL_MONTH,
                       "interval-count", 1,
                       "duration-minutes", G_GINT64_CONSTANT (60),
                       "status", KASSA_ITEM_STATUS_ACTIVE,
                       NULL);
  id = kassa_catalog_repository_insert (catalog, item, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  kassa_catalog_item_set_id (item, id);
  g_assert_true (kassa_till_add_item (fixture->till, item, 1000, NULL, &error));
  g_assert_no_error (error);
}

static void
test_subscription_by_qr (Fixture       *fixture,
                         gconstpointer  data)
{
  KassaQrTender *tender;
  KassaReaderTender *reader;
  JsonObject *session;

  add_subscription (fixture);

  /* The card reader cannot start a subscription: it says so. */
  reader = show_reader (fixture);
  g_assert_true (kassa_test_ui_wait_for (readers_loaded, reader));
  kassa_reader_tender_start (reader);
  g_assert_false (kassa_reader_tender_get_running (reader));
  g_assert_cmpstr (kassa_reader_tender_get_status (reader), ==,
                   "A subscription is paid by QR code, so that it renews on its own");

  tender = show_qr (fixture);
  kassa_qr_tender_start (tender);
  g_assert_true (kassa_test_ui_wait_for (qr_shown, tender));
  session = kassa_fake_stripe_get_object (fixture->fake, session_id_of (tender));
  g_assert_cmpstr (json_object_get_string_member (session, "mode"), ==, "subscription");
  g_assert_cmpint (json_object_get_int_member (session, "amount_total"), ==, AMOUNT_DUE + 1500);

  kassa_qr_tender_cancel (tender);
  g_assert_true (kassa_test_ui_wait_for (qr_stopped, tender));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (kassa_till_get_cart (fixture->till))), ==, 3);
}

static void
test_no_key_hint (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaTill) till = NULL;
  KassaPaymentDialog *dialog;
  KassaShop *shop;
  char *dir;

  /* The last test: without a key the shop looks in the keyring. */
  g_unsetenv (KASSA_SHOP_STRIPE_SECRET_KEY_VARIABLE);
  shop = till_test_open_shop (&dir);
  till = kassa_till_new (shop, &error);
  g_assert_no_error (error);
  g_assert_true (kassa_till_add_barcode (till, "4006381333931", NULL, &error));

  dialog = kassa_payment_dialog_new (till);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (kassa_test_ui_wait_for (is_mapped, dialog));

  /* The keyring answers (or times out) and the hint shows instead of tenders. */
  for (guint i = 0; i < 100 && kassa_test_ui_find_named (GTK_WIDGET (dialog), "stripe-hint") == NULL; i++)
    kassa_test_ui_spin (100);
  g_assert_nonnull (kassa_test_ui_find_named (GTK_WIDGET (dialog), "stripe-hint"));
  {
    GtkWidget *switcher = kassa_test_ui_find_descendant (GTK_WIDGET (dialog), GTK_TYPE_STACK_SWITCHER);
    GtkStack *stack = gtk_stack_switcher_get_stack (GTK_STACK_SWITCHER (switcher));

    g_assert_null (gtk_stack_get_child_by_name (stack, "stripe-qr"));
    g_assert_null (gtk_stack_get_child_by_name (stack, "card-reader"));
  }

  gtk_window_destroy (GTK_WINDOW (dialog));
  kassa_test_ui_spin (20);
  g_assert_null (dialog);
  g_clear_object (&till);
  g_object_unref (shop);
  till_test_remove_dir (dir);
}

static void
test_code_renders (void)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = kassa_qr_tender_render_code ("https://checkout.stripe.com/c/pay/cs_test_1", 4, &error);
  g_assert_no_error (error);
  /* Version 3 or 4 at level M, 4 modules of quiet zone each side. */
  g_assert_cmpint (gdk_texture_get_width (texture), ==, gdk_texture_get_height (texture));
  g_assert_cmpint (gdk_texture_get_width (texture) % 4, ==, 0);
  g_assert_cmpint (gdk_texture_get_width (texture) / 4, >=, 29 + 8);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  fake_stripe = kassa_fake_stripe_new (SECRET_KEY);
  kassa_fake_stripe_add_reader (fake_stripe, "tmr_simulated_0", "Back office");
  kassa_fake_stripe_add_reader (fake_stripe, READER, "Till 1");
  g_setenv (KASSA_SHOP_STRIPE_SECRET_KEY_VARIABLE, SECRET_KEY, TRUE);
  g_setenv (KASSA_SHOP_STRIPE_API_BASE_VARIABLE, kassa_fake_stripe_get_url (fake_stripe), TRUE);

  if (!kassa_test_ui_init (&argc, &argv))
    {
      g_test_add_func ("/kassa/stripe-tenders/no-display", kassa_test_ui_skip_no_display);
      return g_test_run ();
    }

#define ADD(path, func) \
  g_test_add ("/kassa/stripe-tenders/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/kassa/stripe-tenders/code-renders", test_code_renders);
  ADD ("no-hint-with-key", test_stripe_hint_hidden);
  ADD ("qr-completes", test_qr_completes);
  ADD ("qr-expires", test_qr_expires);
  ADD ("qr-cancel", test_qr_cancel);
  ADD ("closing-withdraws-code", test_closing_withdraws_code);
  ADD ("reader-preselected", test_reader_preselected);
  ADD ("reader-cancelled", test_reader_cancelled);
  ADD ("reader-succeeds", test_reader_succeeds);
  ADD ("closing-cancels-reader", test_closing_cancels_reader);
  ADD ("subscription-by-qr", test_subscription_by_qr);
  g_test_add_func ("/kassa/stripe-tenders/no-key-hint", test_no_key_hint);

#undef ADD

  status = g_test_run ();
  g_clear_object (&fake_stripe);

  return status;
}
