/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-cart.h"
#include "kassa-error.h"

#include "kassa-test-properties.h"

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

typedef struct
{
  KassaCart *cart;
  KassaCatalogItem *tea;
  KassaCatalogItem *cake;
  KassaCatalogItem *soap;
  GArray *changes;
  guint n_changed;
} Fixture;

static KassaCatalogItem *
make_item (const char *name,
           gint64      price)
{
  return g_object_new (KASSA_TYPE_CATALOG_ITEM,
                       "name", name,
                       "price", price,
                       "currency-code", "EUR",
                       "tax-rate", G_GINT64_CONSTANT (70000),
                       "status", KASSA_ITEM_STATUS_ACTIVE,
                       NULL);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *f)
{
  Change change = { position, removed, added };

  g_array_append_val (f->changes, change);
}

static void
changed_cb (KassaCart *cart,
            Fixture   *f)
{
  f->n_changed++;
}

static void
assert_change (Fixture *f,
               guint    position,
               guint    removed,
               guint    added)
{
  Change *c;

  g_assert_cmpuint (f->changes->len, ==, 1);
  c = &g_array_index (f->changes, Change, 0);
  g_assert_cmpuint (c->position, ==, position);
  g_assert_cmpuint (c->removed, ==, removed);
  g_assert_cmpuint (c->added, ==, added);
  g_array_set_size (f->changes, 0);
}

static KassaCatalogItem *
item_at (Fixture *f,
         guint    position)
{
  g_autoptr(KassaCartLine) line = g_list_model_get_item (G_LIST_MODEL (f->cart), position);

  g_assert_nonnull (line);
  return kassa_cart_line_get_item (line);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->cart = g_object_new (KASSA_TYPE_CART, "currency-code", "EUR", NULL);
  f->tea = make_item ("Tea", 350);
  f->cake = make_item ("Cake", 420);
  f->soap = make_item ("Soap", 199);
  f->changes = g_array_new (FALSE, FALSE, sizeof (Change));

  g_signal_connect (f->cart, "items-changed", G_CALLBACK (items_changed_cb), f);
  g_signal_connect (f->cart, "changed", G_CALLBACK (changed_cb), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->cart);
  g_clear_object (&f->tea);
  g_clear_object (&f->cake);
  g_clear_object (&f->soap);
  g_clear_pointer (&f->changes, g_array_unref);
}

static void
fill (Fixture *f)
{
  g_assert_true (kassa_cart_add_item (f->cart, f->tea, 1000, NULL, NULL));
  g_assert_true (kassa_cart_add_item (f->cart, f->cake, 2000, NULL, NULL));
  g_assert_true (kassa_cart_add_item (f->cart, f->soap, 1000, NULL, NULL));
  g_array_set_size (f->changes, 0);
  f->n_changed = 0;
}

static void
test_properties (void)
{
  g_autoptr(KassaCart) cart = kassa_cart_new ();
  const char *skip[] = { "parked", NULL };

  kassa_test_check_defaults (G_OBJECT (cart));
  kassa_test_check_properties (G_OBJECT (cart), skip);
}

static void
test_list_model (Fixture       *f,
                 gconstpointer  data)
{
  guint position = G_MAXUINT;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (f->cart)) == KASSA_TYPE_CART_LINE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->cart)), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (f->cart), 0));

  g_assert_true (kassa_cart_add_item (f->cart, f->tea, 1000, &position, NULL));
  g_assert_cmpuint (position, ==, 0);
  assert_change (f, 0, 0, 1);

  g_assert_true (kassa_cart_add_item (f->cart, f->cake, 1500, &position, NULL));
  g_assert_cmpuint (position, ==, 1);
  assert_change (f, 1, 0, 1);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->cart)), ==, 2);
  g_assert_true (item_at (f, 0) == f->tea);
  g_assert_true (item_at (f, 1) == f->cake);
  g_assert_cmpuint (f->n_changed, ==, 2);
}

static void
test_add_same_item_merges (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(KassaCartLine) line = NULL;
  guint position = G_MAXUINT;

  fill (f);

  /* A second scan of the same item: the line grows, the list does not. */
  g_assert_true (kassa_cart_add_item (f->cart, f->cake, 1000, &position, NULL));
  g_assert_cmpuint (position, ==, 1);
  g_assert_cmpuint (f->changes->len, ==, 0);
  g_assert_cmpuint (f->n_changed, ==, 1);
  line = g_list_model_get_item (G_LIST_MODEL (f->cart), 1);
  g_assert_cmpint (kassa_cart_line_get_quantity (line), ==, 3000);

  /* A line with its own discount stays apart. */
  g_assert_true (kassa_cart_set_line_discount (f->cart, 1, KASSA_DISCOUNT_PERCENT, 100000, NULL));
  g_assert_true (kassa_cart_add_item (f->cart, f->cake, 1000, &position, NULL));
  g_assert_cmpuint (position, ==, 3);
  assert_change (f, 3, 0, 1);
}

static void
test_add_refused (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(KassaCatalogItem) draft = make_item ("Draft", 100);
  g_autoptr(KassaCatalogItem) dollars = make_item ("Import", 100);
  g_autoptr(GError) error = NULL;

  kassa_catalog_item_set_status (draft, KASSA_ITEM_STATUS_DRAFT);
  kassa_catalog_item_set_currency_code (dollars, "USD");

  g_assert_false (kassa_cart_add_item (f->cart, draft, 1000, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kassa_cart_add_item (f->cart, dollars, 1000, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_CURRENCY_MISMATCH);
  g_clear_error (&error);
  g_assert_false (kassa_cart_add_item (f->cart, f->tea, 0, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kassa_cart_add_item (f->cart, f->tea, -1000, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);

  g_assert_cmpuint (f->changes->len, ==, 0);
  g_assert_cmpuint (f->n_changed, ==, 0);
}

static void
test_quantity (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(KassaCartLine) line = NULL;
  g_autoptr(GError) error = NULL;
  guint notified = 0;

  fill (f);
  line = g_list_model_get_item (G_LIST_MODEL (f->cart), 2);
  g_signal_connect (line, "notify::quantity", G_CALLBACK (kassa_test_count_notify_cb), &notified);

  /* 1.25 kg of soap: quantities are thousandths. */
  g_assert_true (kassa_cart_set_quantity (f->cart, 2, 1250, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kassa_cart_line_get_quantity (line), ==, 1250);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (f->n_changed, ==, 1);
  /* An edit is not a structure change: the row is updated, not rebuilt. */
  g_assert_cmpuint (f->changes->len, ==, 0);

  g_assert_false (kassa_cart_set_quantity (f->cart, 2, 0, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kassa_cart_set_quantity (f->cart, 3, 1000, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_assert_cmpint (kassa_cart_line_get_quantity (line), ==, 1250);
}

static void
test_remove_and_undo (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(KassaCartLine) removed = NULL;
  g_autoptr(GError) error = NULL;
  guint n_changed;

  fill (f);
  g_assert_true (kassa_cart_set_quantity (f->cart, 1, 4000, NULL));

  removed = kassa_cart_remove_line (f->cart, 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (removed);
  g_assert_true (kassa_cart_line_get_item (removed) == f->cake);
  assert_change (f, 1, 1, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->cart)), ==, 2);
  g_assert_true (item_at (f, 1) == f->soap);

  /* Editing the removed line must not disturb the cart any more. */
  n_changed = f->n_changed;
  kassa_cart_line_set_quantity (removed, 5000);
  g_assert_cmpuint (f->n_changed, ==, n_changed);

  /* Undo: back where it was, with what it had. */
  g_assert_true (kassa_cart_insert_line (f->cart, 1, removed, &error));
  g_assert_no_error (error);
  assert_change (f, 1, 0, 1);
  g_assert_true (item_at (f, 0) == f->tea);
  g_assert_true (item_at (f, 1) == f->cake);
  g_assert_true (item_at (f, 2) == f->soap);
  g_assert_cmpint (kassa_cart_line_get_quantity (removed), ==, 5000);

  /* And it is a cart line again. */
  n_changed = f->n_changed;
  kassa_cart_line_set_quantity (removed, 1000);
  g_assert_cmpuint (f->n_changed, ==, n_changed + 1);

  g_assert_null (kassa_cart_remove_line (f->cart, 3, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
}

static void
test_remove_first_and_last (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(KassaCartLine) first = NULL;
  g_autoptr(KassaCartLine) last = NULL;

  fill (f);

  last = kassa_cart_remove_line (f->cart, 2, NULL);
  assert_change (f, 2, 1, 0);
  first = kassa_cart_remove_line (f->cart, 0, NULL);
  assert_change (f, 0, 1, 0);
  g_assert_true (item_at (f, 0) == f->cake);

  g_assert_true (kassa_cart_insert_line (f->cart, 0, first, NULL));
  assert_change (f, 0, 0, 1);
  g_assert_true (kassa_cart_insert_line (f->cart, 2, last, NULL));
  assert_change (f, 2, 0, 1);
  g_assert_true (item_at (f, 0) == f->tea);
  g_assert_true (item_at (f, 2) == f->soap);
}

static void
test_discounts_and_override (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(KassaCartLine) line = NULL;
  g_autoptr(GError) error = NULL;

  fill (f);
  line = g_list_model_get_item (G_LIST_MODEL (f->cart), 0);

  g_assert_true (kassa_cart_set_line_discount (f->cart, 0, KASSA_DISCOUNT_PERCENT, 250000, &error));
  g_assert_cmpint (kassa_cart_line_get_discount_kind (line), ==, KASSA_DISCOUNT_PERCENT);
  g_assert_cmpint (kassa_cart_line_get_discount_value (line), ==, 250000);
  g_assert_true (kassa_cart_set_line_discount (f->cart, 0, KASSA_DISCOUNT_AMOUNT, 50, &error));
  g_assert_cmpint (kassa_cart_line_get_discount_value (line), ==, 50);
  g_assert_true (kassa_cart_set_line_discount (f->cart, 0, KASSA_DISCOUNT_NONE, 0, &error));
  g_assert_no_error (error);

  g_assert_false (kassa_cart_set_line_discount (f->cart, 0, KASSA_DISCOUNT_PERCENT, 1000001, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kassa_cart_set_line_discount (f->cart, 0, KASSA_DISCOUNT_PERCENT, 0, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kassa_cart_set_line_discount (f->cart, 0, KASSA_DISCOUNT_AMOUNT, -5, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kassa_cart_set_line_discount (f->cart, 0, KASSA_DISCOUNT_NONE, 5, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (kassa_cart_set_price_override (f->cart, 0, 300, &error));
  g_assert_true (kassa_cart_line_get_has_price_override (line));
  g_assert_cmpint (kassa_cart_line_get_unit_price (line), ==, 300);
  g_assert_false (kassa_cart_set_price_override (f->cart, 0, -1, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (kassa_cart_clear_price_override (f->cart, 0, &error));
  g_assert_false (kassa_cart_line_get_has_price_override (line));
  g_assert_cmpint (kassa_cart_line_get_unit_price (line), ==, 350);

  f->n_changed = 0;
  g_assert_true (kassa_cart_set_document_discount (f->cart, KASSA_DISCOUNT_AMOUNT, 100, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kassa_cart_get_discount_kind (f->cart), ==, KASSA_DISCOUNT_AMOUNT);
  g_assert_cmpint (kassa_cart_get_discount_value (f->cart), ==, 100);
  g_assert_cmpuint (f->n_changed, >=, 1);
  g_assert_false (kassa_cart_set_document_discount (f->cart, KASSA_DISCOUNT_PERCENT, 2000000, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_cmpint (kassa_cart_get_discount_kind (f->cart), ==, KASSA_DISCOUNT_AMOUNT);

  /* None of this changed the list itself. */
  g_assert_cmpuint (f->changes->len, ==, 0);
}

static void
test_customer_and_delivery (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(KassaCustomer) customer = kassa_customer_new ();
  const char *address = "  Hof 3\n\n 8001   Zürich ";
  g_autoptr(GError) error = NULL;

  fill (f);

  g_assert_true (kassa_cart_set_customer (f->cart, customer, &error));
  g_assert_true (kassa_cart_get_customer (f->cart) == customer);
  g_assert_true (kassa_cart_set_delivery_method (f->cart, KASSA_DELIVERY_METHOD_DELIVERY, &error));

  g_assert_false (kassa_cart_validate (f->cart, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "A delivery needs an address");
  g_clear_error (&error);

  g_assert_true (kassa_cart_set_delivery_address (f->cart, address, &error));
  g_assert_cmpstr (kassa_cart_get_delivery_address (f->cart), ==, address);
  g_assert_true (kassa_cart_validate (f->cart, &error));
  g_assert_no_error (error);
}

#define ASSERT_LOCKED(call)                                   \
  G_STMT_START {                                              \
    g_autoptr(GError) _error = NULL;                          \
    GError **error = &_error;                                 \
    g_assert_false (call);                                    \
    g_assert_error (_error, KASSA_ERROR, KASSA_ERROR_LOCKED); \
  } G_STMT_END

static void
test_park_and_resume (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(KassaCustomer) customer = kassa_customer_new ();
  g_autoptr(KassaCartLine) line = kassa_cart_line_new_for_item (f->tea, 1000);
  g_autoptr(GError) error = NULL;

  g_assert_false (kassa_cart_park (f->cart, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kassa_cart_resume (f->cart, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);

  fill (f);
  g_assert_true (kassa_cart_park (f->cart, &error));
  g_assert_true (kassa_cart_get_parked (f->cart));
  g_assert_false (kassa_cart_park (f->cart, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);

  ASSERT_LOCKED (kassa_cart_add_item (f->cart, f->tea, 1000, NULL, error));
  ASSERT_LOCKED (kassa_cart_set_quantity (f->cart, 0, 2000, error));
  ASSERT_LOCKED (kassa_cart_remove_line (f->cart, 0, error) != NULL);
  ASSERT_LOCKED (kassa_cart_insert_line (f->cart, 0, line, error));
  ASSERT_LOCKED (kassa_cart_set_line_discount (f->cart, 0, KASSA_DISCOUNT_AMOUNT, 1, error));
  ASSERT_LOCKED (kassa_cart_set_price_override (f->cart, 0, 1, error));
  ASSERT_LOCKED (kassa_cart_clear_price_override (f->cart, 0, error));
  ASSERT_LOCKED (kassa_cart_set_document_discount (f->cart, KASSA_DISCOUNT_AMOUNT, 1, error));
  ASSERT_LOCKED (kassa_cart_set_customer (f->cart, customer, error));
  ASSERT_LOCKED (kassa_cart_set_delivery_method (f->cart, KASSA_DELIVERY_METHOD_PICKUP, error));
  ASSERT_LOCKED (kassa_cart_set_delivery_address (f->cart, "x", error));
  ASSERT_LOCKED (kassa_cart_set_currency_code (f->cart, "CHF", error));
  ASSERT_LOCKED (kassa_cart_clear (f->cart, error));
  ASSERT_LOCKED (kassa_cart_validate (f->cart, error));

  g_assert_cmpuint (f->changes->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->cart)), ==, 3);

  g_assert_true (kassa_cart_resume (f->cart, &error));
  g_assert_no_error (error);
  g_assert_true (kassa_cart_set_quantity (f->cart, 0, 2000, &error));
  g_assert_true (kassa_cart_validate (f->cart, &error));
  g_assert_no_error (error);
}

static void
test_clear (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(KassaCustomer) customer = kassa_customer_new ();
  guint n_items_notified = 0;

  fill (f);
  g_assert_true (kassa_cart_set_customer (f->cart, customer, NULL));
  g_assert_true (kassa_cart_set_document_discount (f->cart, KASSA_DISCOUNT_PERCENT, 50000, NULL));
  g_signal_connect (f->cart, "notify::n-items", G_CALLBACK (kassa_test_count_notify_cb), &n_items_notified);

  g_assert_true (kassa_cart_clear (f->cart, NULL));
  assert_change (f, 0, 3, 0);
  g_assert_cmpuint (n_items_notified, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->cart)), ==, 0);
  g_assert_null (kassa_cart_get_customer (f->cart));
  g_assert_cmpint (kassa_cart_get_discount_kind (f->cart), ==, KASSA_DISCOUNT_NONE);
  g_assert_cmpint (kassa_cart_get_discount_value (f->cart), ==, 0);
  g_assert_cmpstr (kassa_cart_get_currency_code (f->cart), ==, "EUR");

  g_assert_false (kassa_cart_validate (f->cart, NULL));
}

static void
test_currency_change (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kassa_cart_set_currency_code (f->cart, "CHF", &error));
  g_assert_true (kassa_cart_set_currency_code (f->cart, "EUR", &error));
  g_assert_no_error (error);

  fill (f);
  g_assert_false (kassa_cart_set_currency_code (f->cart, "CHF", &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_CURRENCY_MISMATCH);
  g_assert_cmpstr (kassa_cart_get_currency_code (f->cart), ==, "EUR");
}

static void
test_quantity_overflow (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(KassaCartLine) line = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (kassa_cart_add_item (f->cart, f->tea, G_MAXINT64 - 10, NULL, NULL));
  g_assert_false (kassa_cart_add_item (f->cart, f->tea, 11, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_OVERFLOW);
  line = g_list_model_get_item (G_LIST_MODEL (f->cart), 0);
  g_assert_cmpint (kassa_cart_line_get_quantity (line), ==, G_MAXINT64 - 10);
}

static void
test_n_items (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(KassaCartLine) line = NULL;
  guint notified = 0;
  guint n_items = 0;

  g_signal_connect (f->cart, "notify::n-items", G_CALLBACK (kassa_test_count_notify_cb), &notified);

  g_assert_true (kassa_cart_add_item (f->cart, f->tea, 1000, NULL, NULL));
  g_assert_true (kassa_cart_add_item (f->cart, f->tea, 1000, NULL, NULL));
  g_assert_cmpuint (notified, ==, 1);
  line = kassa_cart_remove_line (f->cart, 0, NULL);
  g_assert_cmpuint (notified, ==, 2);

  g_object_get (f->cart, "n-items", &n_items, NULL);
  g_assert_cmpuint (n_items, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/cart/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/kassa/cart/properties", test_properties);
  ADD ("list-model", test_list_model);
  ADD ("add-same-item-merges", test_add_same_item_merges);
  ADD ("add-refused", test_add_refused);
  ADD ("quantity", test_quantity);
  ADD ("remove-and-undo", test_remove_and_undo);
  ADD ("remove-first-and-last", test_remove_first_and_last);
  ADD ("discounts-and-override", test_discounts_and_override);
  ADD ("customer-and-delivery", test_customer_and_delivery);
  ADD ("park-and-resume", test_park_and_resume);
  ADD ("clear", test_clear);
  ADD ("n-items", test_n_items);
  ADD ("currency-change", test_currency_change);
  ADD ("quantity-overflow", test_quantity_overflow);

  return g_test_run ();
}
