/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kassa-customer-import.h"
#include "kassa-error.h"
#include "kassa-shop-private.h"
#include "kassa-shop-staff.h"

typedef struct
{
  char      *dir;
  KassaShop *shop;
} Fixture;

static KassaShop *
open_shop (Fixture    *fixture,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  KassaShop *shop = kassa_shop_open (path, &error);

  g_assert_no_error (error);
  kassa_shop_act_as_system (shop);

  return shop;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("kassa-customer-import-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->shop = open_shop (fixture, "shop.db");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->shop);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);
      g_assert_cmpint (g_unlink (file), ==, 0);
    }
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->dir);
}

static gboolean
import (KassaShop   *shop,
        const char  *csv,
        guint       *n_imported,
        GError     **error)
{
  g_autoptr(GInputStream) input = g_memory_input_stream_new_from_data (csv, strlen (csv), NULL);

  g_auto(KassaCustomerImportResult) result = { 0 };

  if (!kassa_customer_import_csv (shop, input, KASSA_CUSTOMER_IMPORT_NONE, NULL, NULL, &result, NULL, error))
    return FALSE;

  if (n_imported != NULL)
    *n_imported = result.n_imported;
  return TRUE;
}

static char *
export (KassaShop *shop,
        guint     *n_exported)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) bytes = NULL;

  g_assert_true (kassa_customer_export_csv (shop, output, n_exported, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (output, NULL, NULL);
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (output));

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static GPtrArray *
all_customers (KassaShop *shop)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *customers = kassa_shop_list_customers (shop, 0, 1000, &error);

  g_assert_no_error (error);

  return customers;
}

static const char *sample =
  "\xEF\xBB\xBF" "Shipping_Address,NAME, email ,phone,billing_address\r\n"
  "\"  Flat 2B\n\n  12  Long   Lane \nLondon  N1 9GU\n  \",Ada Lovelace,ada@example.org,+44 20 7946 0000,\r\n"
  "\r\n"
  ",\"Bob \"\"The Builder\"\"\",,,\"Baustraße 1, 8000 Zürich\"\r\n";

static void
test_import (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) customers = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  KassaCustomer *ada, *bob;
  KassaAuditEntry *entry;
  guint n = 0;

  g_assert_true (import (fixture->shop, sample, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);

  customers = all_customers (fixture->shop);
  g_assert_cmpuint (customers->len, ==, 2);
  ada = customers->pdata[0];
  bob = customers->pdata[1];
  g_assert_cmpstr (kassa_customer_get_name (ada), ==, "Ada Lovelace");
  g_assert_cmpstr (kassa_customer_get_email (ada), ==, "ada@example.org");
  g_assert_cmpstr (kassa_customer_get_phone (ada), ==, "+44 20 7946 0000");
  g_assert_cmpstr (kassa_customer_get_shipping_address (ada), ==, "  Flat 2B\n\n  12  Long   Lane \nLondon  N1 9GU\n  ");
  g_assert_cmpstr (kassa_customer_get_billing_address (ada), ==, "");
  g_assert_cmpstr (kassa_customer_get_name (bob), ==, "Bob \"The Builder\"");
  g_assert_cmpstr (kassa_customer_get_billing_address (bob), ==, "Baustraße 1, 8000 Zürich");

  audit = kassa_audit_log_list_recent (kassa_shop_get_audit_log (fixture->shop), 0, 1, &error);
  entry = audit->pdata[0];
  g_assert_cmpstr (entry->action, ==, "customer.import");
  g_assert_cmpstr (entry->details, ==, "{\"count\":2}");
}

static void
assert_import_fails (Fixture    *fixture,
                     const char *csv,
                     const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) customers = NULL;
  guint n = 42;

  g_test_message ("expecting “%s”", message);
  g_assert_false (import (fixture->shop, csv, &n, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_cmpuint (n, ==, 42);

  /* All or nothing: the good rows before the bad one are not kept. */
  customers = all_customers (fixture->shop);
  g_assert_cmpuint (customers->len, ==, 0);
  g_assert_false (kassa_database_in_transaction (kassa_shop_get_database (fixture->shop)));
}

static void
test_import_errors (Fixture       *fixture,
                    gconstpointer  data)
{
  assert_import_fails (fixture,
                       "name,email\n"
                       "Ada,ada@example.org\n"
                       "\"Bob\nBuilder\",bob@example.org\n"
                       "Carl,carl at example\n",
                       "line 5, column “email”: “carl at example” is not an e-mail address");
  assert_import_fails (fixture,
                       "name,email\nAda,\n  ,x@example.org\n",
                       "line 3, column “name”: a customer needs a name");
  assert_import_fails (fixture,
                       "name,phone\nAda,1\nBob\n",
                       "line 3: 1 fields where the header has 2");
  assert_import_fails (fixture,
                       "email,phone\nada@example.org,1\n",
                       "line 1: the header has no “name” column");
  assert_import_fails (fixture,
                       "name,e-mail\nAda,ada@example.org\n",
                       "line 1, column 2: unknown column “e-mail” (known: name, email, phone, "
                       "billing_address, shipping_address)");
  assert_import_fails (fixture, "", "line 1: the file is empty; it needs a header row");
  assert_import_fails (fixture,
                       "name\nAda\n\xC3\x28 Bob\n",
                       "line 3: the text is not UTF-8; save the file as UTF-8");
}


/* Lines 3, 5 and 9 are bad: an e-mail address without @, a row without
 * a name, text that is not UTF-8. Line 7 is a quoted field's second line. */
static const char *three_bad_rows =
  "phone,name,email\n"
  "1,Ada,ada@example.org\n"
  "2,Bob,bob at example\n"
  "3,Carl,carl@example.org\n"
  "4,,dan@example.org\n"
  "5,\"Eve, Jr.\nthe second\",eve@example.org\n"
  "6,Fay,\n"
  "7,Hal\xE9,hal@example.org\n";

static void
test_every_bad_row (Fixture       *fixture,
                    gconstpointer  data)
{
  assert_import_fails (fixture, three_bad_rows,
                       "3 invalid rows; nothing imported\n"
                       "line 3, column “email”: “bob at example” is not an e-mail address\n"
                       "line 5, column “name”: a customer needs a name\n"
                       "line 9: the text is not UTF-8; save the file as UTF-8");
}

static void
test_skip_invalid (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GInputStream) input = g_memory_input_stream_new_from_data (three_bad_rows, -1, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) customers = NULL;
  g_auto(KassaCustomerImportResult) result = { 0 };

  g_assert_true (kassa_customer_import_csv (fixture->shop, input, KASSA_CUSTOMER_IMPORT_SKIP_INVALID,
                                            NULL, NULL, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_imported, ==, 4);
  g_assert_cmpuint (result.n_invalid, ==, 3);
  g_assert_cmpuint (g_strv_length (result.invalid_rows), ==, 3);
  g_assert_cmpstr (result.invalid_rows[0], ==, "line 3, column “email”: “bob at example” is not an e-mail address");
  g_assert_cmpstr (result.invalid_rows[1], ==, "line 5, column “name”: a customer needs a name");
  g_assert_cmpstr (result.invalid_rows[2], ==, "line 9: the text is not UTF-8; save the file as UTF-8");

  customers = all_customers (fixture->shop);
  g_assert_cmpuint (customers->len, ==, 4);
  g_assert_cmpstr (kassa_customer_get_name (customers->pdata[1]), ==, "Carl");
  g_assert_cmpstr (kassa_customer_get_name (customers->pdata[2]), ==, "Eve, Jr.\nthe second");
  g_assert_cmpstr (kassa_customer_get_name (customers->pdata[3]), ==, "Fay");
  g_assert_cmpstr (kassa_customer_get_phone (customers->pdata[3]), ==, "6");
}

static void
test_many_bad_rows (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("name,email\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_auto(KassaCustomerImportResult) result = { 0 };

  for (guint i = 0; i < 120; i++)
    g_string_append_printf (text, "Person %u,not-an-address-%u\n", i, i);

  input = g_memory_input_stream_new_from_data (text->str, text->len, NULL);
  g_assert_false (kassa_customer_import_csv (fixture->shop, input, KASSA_CUSTOMER_IMPORT_NONE,
                                             NULL, NULL, &result, NULL, &error));
  g_assert_cmpuint (result.n_imported, ==, 0);
  g_assert_true (g_str_has_prefix (error->message, "120 invalid rows; nothing imported\nline 2, column “email”"));
  g_assert_true (g_str_has_suffix (error->message, "\nline 101, column “email”: “not-an-address-99” is not an "
                                                   "e-mail address\nand 20 more"));
  g_clear_object (&input);
  g_clear_error (&error);

  input = g_memory_input_stream_new_from_data (text->str, text->len, NULL);
  g_assert_true (kassa_customer_import_csv (fixture->shop, input, KASSA_CUSTOMER_IMPORT_SKIP_INVALID,
                                            NULL, NULL, &result, NULL, &error));
  g_assert_cmpuint (result.n_imported, ==, 0);
  g_assert_cmpuint (result.n_invalid, ==, 120);
  g_assert_cmpuint (g_strv_length (result.invalid_rows), ==, 100);
}

static void
progress_cb (guint    n_done,
             gpointer user_data)
{
  GArray *calls = user_data;

  g_array_append_val (calls, n_done);
}

static void
test_progress (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("name,email\n");
  g_autoptr(GArray) calls = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(KassaCustomerImportResult) result = { 0 };

  for (guint i = 0; i < 1100; i++)
    g_string_append_printf (text, "Person %u,p%u@example.org\n", i, i);

  input = g_memory_input_stream_new_from_data (text->str, text->len, NULL);
  g_assert_true (kassa_customer_import_csv (fixture->shop, input, KASSA_CUSTOMER_IMPORT_NONE,
                                            progress_cb, calls, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_imported, ==, 1100);
  g_assert_cmpuint (calls->len, ==, 3);
  g_assert_cmpuint (g_array_index (calls, guint, 0), ==, 500);
  g_assert_cmpuint (g_array_index (calls, guint, 1), ==, 1000);
  g_assert_cmpuint (g_array_index (calls, guint, 2), ==, 1100);
}

static void
test_export_round_trip (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaShop) other = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *again = NULL;
  guint n = 0;

  g_assert_true (import (fixture->shop, sample, NULL, &error));
  csv = export (fixture->shop, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (csv, ==,
                   "\"name\",\"email\",\"phone\",\"billing_address\",\"shipping_address\"\r\n"
                   "\"Ada Lovelace\",\"ada@example.org\",\"+44 20 7946 0000\",\"\","
                   "\"  Flat 2B\n\n  12  Long   Lane \nLondon  N1 9GU\n  \"\r\n"
                   "\"Bob \"\"The Builder\"\"\",\"\",\"\",\"Baustraße 1, 8000 Zürich\",\"\"\r\n");

  other = open_shop (fixture, "other.db");
  g_assert_true (import (other, csv, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  again = export (other, NULL);
  g_assert_cmpstr (again, ==, csv);

  before = all_customers (fixture->shop);
  after = all_customers (other);
  g_assert_cmpuint (before->len, ==, after->len);
}

static void
test_export_empty (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *csv = NULL;
  guint n = 7;

  csv = export (fixture->shop, &n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpstr (csv, ==, "\"name\",\"email\",\"phone\",\"billing_address\",\"shipping_address\"\r\n");
}

static void
test_permission (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  gint64 viewer;

  kassa_shop_set_actor (fixture->shop, NULL);
  g_assert_cmpint (kassa_shop_create_staff (fixture->shop, "Alice", KASSA_STAFF_ROLE_ADMIN, "9999",
                                            KASSA_PIN_COST_MINIMUM, &error), >, 0);
  g_assert_true (kassa_shop_sign_in (fixture->shop, 1, "9999", now, &error));
  viewer = kassa_shop_create_staff (fixture->shop, "Vera", KASSA_STAFF_ROLE_VIEWER, "1111",
                                    KASSA_PIN_COST_MINIMUM, &error);
  g_assert_true (kassa_shop_sign_in (fixture->shop, viewer, "1111", now, &error));
  g_assert_no_error (error);

  g_assert_false (import (fixture->shop, sample, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (kassa_customer_export_csv (fixture->shop, output, NULL, NULL, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/customer-import/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("import", test_import);
  ADD ("import-errors", test_import_errors);
  ADD ("every-bad-row", test_every_bad_row);
  ADD ("skip-invalid", test_skip_invalid);
  ADD ("many-bad-rows", test_many_bad_rows);
  ADD ("progress", test_progress);
  ADD ("export-round-trip", test_export_round_trip);
  ADD ("export-empty", test_export_empty);
  ADD ("permission", test_permission);

  return g_test_run ();
}
