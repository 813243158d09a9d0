/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-customer-repository"

#include "config.h"

#include <string.h>

#include "kassa-customer-repository.h"
#include "kassa-error.h"
#include "kassa-store-private.h"

#include "store-test-utils.h"

typedef struct
{
  char                    *dir;
  char                    *path;
  KassaDatabase           *db;
  KassaCustomerRepository *repo;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = store_test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "kassa.db", NULL);
  fixture->db = kassa_database_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->repo = kassa_customer_repository_new (fixture->db);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->repo);
  g_clear_object (&fixture->db);
  store_test_remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static gint64
add (Fixture    *fixture,
     const char *name,
     const char *email,
     const char *phone)
{
  g_autoptr(KassaCustomer) customer = kassa_customer_new ();
  g_autoptr(GError) error = NULL;

  kassa_customer_set_name (customer, name);
  kassa_customer_set_email (customer, email);
  kassa_customer_set_phone (customer, phone);
  kassa_customer_repository_insert (fixture->repo, customer, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kassa_customer_get_id (customer), >, 1);

  return kassa_customer_get_id (customer);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaCustomer) customer = kassa_customer_new ();
  g_autoptr(KassaCustomer) loaded = NULL;
  g_autoptr(KassaCustomer) reloaded = NULL;
  g_autoptr(GString) long_address = g_string_new ("  c/o Müller & Söhne\r\n\tHinterhaus\n");
  const char *shipping = "  Flat 2B\n\n  12  Long   Lane \nLondon  N1 9GU\n  ";

  while (long_address->len < 5000)
    g_string_append (long_address, "Industriestraße 123, Gebäude C, Tor 4\n");
  g_string_truncate (long_address, 5000);
  g_string_append (long_address, "  ");

  kassa_customer_set_name (customer, "  Ada Lovelace ");
  kassa_customer_set_email (customer, "ada@example.org");
  kassa_customer_set_phone (customer, "+44 20 7946 0000");
  kassa_customer_set_billing_address (customer, long_address->str);
  kassa_customer_set_shipping_address (customer, shipping);
  g_assert_true (kassa_customer_repository_insert (fixture->repo, customer, &error));
  g_assert_no_error (error);

  loaded = kassa_customer_repository_get (fixture->repo, kassa_customer_get_id (customer), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kassa_customer_get_name (loaded), ==, "  Ada Lovelace ");
  g_assert_cmpstr (kassa_customer_get_email (loaded), ==, "ada@example.org");
  g_assert_cmpstr (kassa_customer_get_phone (loaded), ==, "+44 20 7946 0000");
  g_assert_cmpstr (kassa_customer_get_billing_address (loaded), ==, long_address->str);
  g_assert_cmpuint (strlen (kassa_customer_get_billing_address (loaded)), ==, 5002);
  g_assert_cmpstr (kassa_customer_get_shipping_address (loaded), ==, shipping);
  g_assert_false (kassa_customer_get_is_walk_in (loaded));

  kassa_customer_set_shipping_address (loaded, "\n\nPO Box 7\n");
  kassa_customer_set_email (loaded, "");
  g_assert_true (kassa_customer_repository_update (fixture->repo, loaded, &error));
  g_assert_no_error (error);
  reloaded = kassa_customer_repository_get (fixture->repo, kassa_customer_get_id (customer), &error);
  g_assert_cmpstr (kassa_customer_get_shipping_address (reloaded), ==, "\n\nPO Box 7\n");
  g_assert_cmpstr (kassa_customer_get_email (reloaded), ==, "");
  g_assert_cmpstr (kassa_customer_get_billing_address (reloaded), ==, long_address->str);
}

static void
test_invalid_and_missing (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaCustomer) customer = kassa_customer_new ();
  g_autoptr(KassaCustomer) walk_in = kassa_customer_new_walk_in ();
  g_autoptr(KassaCustomer) missing = NULL;

  g_assert_false (kassa_customer_repository_insert (fixture->repo, customer, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  kassa_customer_set_name (customer, "Bob");
  kassa_customer_set_email (customer, "bob at example");
  g_assert_false (kassa_customer_repository_insert (fixture->repo, customer, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (kassa_customer_repository_insert (fixture->repo, walk_in, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  missing = kassa_customer_repository_get (fixture->repo, 4242, &error);
  g_assert_null (missing);
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  kassa_customer_set_email (customer, "");
  kassa_customer_set_id (customer, 4242);
  g_assert_false (kassa_customer_repository_update (fixture->repo, customer, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpint (kassa_customer_repository_count (fixture->repo, &error), ==, 0);
}

static void
assert_search (Fixture            *fixture,
               const char         *prefix,
               const char * const *names)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = kassa_customer_repository_search (fixture->repo, prefix, 50, &error);

  g_assert_no_error (error);
  g_test_message ("search “%s”", prefix);
  g_assert_cmpuint (found->len, ==, g_strv_length ((char **) names));
  for (guint i = 0; i < found->len; i++)
    g_assert_cmpstr (kassa_customer_get_name (found->pdata[i]), ==, names[i]);
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  add (fixture, "Élise Dupont", "elise@example.fr", "+33 1 23");
  add (fixture, "eleanor rigby", "", "0171 555");
  add (fixture, "Bob Builder", "ELEPHANT@zoo.example", "");
  add (fixture, "100% Cotton Ltd", "", "");
  add (fixture, "100 Percent", "", "");
  add (fixture, "a_b Trading", "", "");
  add (fixture, "axb Trading", "", "");

  /* Name, e-mail or phone; any case, Unicode included. */
  assert_search (fixture, "ele", (const char *[]) { "Bob Builder", "eleanor rigby", NULL });
  assert_search (fixture, "ÉLI", (const char *[]) { "Élise Dupont", NULL });
  assert_search (fixture, "elise@", (const char *[]) { "Élise Dupont", NULL });
  assert_search (fixture, "+33", (const char *[]) { "Élise Dupont", NULL });
  assert_search (fixture, "0171", (const char *[]) { "eleanor rigby", NULL });
  /* Prefixes, not substrings. */
  assert_search (fixture, "dupont", (const char *[]) { NULL });
  /* LIKE's wildcards are plain characters. */
  assert_search (fixture, "100%", (const char *[]) { "100% Cotton Ltd", NULL });
  assert_search (fixture, "a_b", (const char *[]) { "a_b Trading", NULL });
  assert_search (fixture, "%", (const char *[]) { NULL });
  assert_search (fixture, "\\", (const char *[]) { NULL });
  /* The walk-in customer is nobody to look up. */
  assert_search (fixture, "walk", (const char *[]) { NULL });
}

static void
test_list_paged (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *name = g_strdup_printf ("Customer %02u", 24 - i);
      add (fixture, name, "", "");
    }

  g_assert_cmpint (kassa_customer_repository_count (fixture->repo, &error), ==, 25);

  for (guint offset = 0; offset < 30; offset += 10)
    {
      g_autoptr(GPtrArray) page = kassa_customer_repository_list (fixture->repo, offset, 10, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (page->len, ==, offset < 20 ? 10 : 5);
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (seen, g_strdup (kassa_customer_get_name (page->pdata[i])));
    }

  g_assert_cmpuint (seen->len, ==, 25);
  for (guint i = 0; i < seen->len; i++)
    {
      g_autofree char *expected = g_strdup_printf ("Customer %02u", i);
      g_assert_cmpstr (seen->pdata[i], ==, expected);
    }
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KassaCustomer) walk_in = NULL;
  g_autofree char *sql = NULL;
  gint64 gone = add (fixture, "Gone Soon", "", "");
  gint64 buyer = add (fixture, "Has Orders", "", "");

  g_assert_true (kassa_customer_repository_delete (fixture->repo, gone, &error));
  g_assert_no_error (error);
  g_assert_null (kassa_customer_repository_get (fixture->repo, gone, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (kassa_customer_repository_delete (fixture->repo, gone, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The schema's trigger keeps the walk-in customer; the message says so. */
  g_assert_false (kassa_customer_repository_delete (fixture->repo, KASSA_CUSTOMER_WALK_IN_ID, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_assert_cmpstr (error->message, ==, "The walk-in customer cannot be deleted: anonymous sales belong to it");
  g_clear_error (&error);
  walk_in = kassa_customer_repository_get (fixture->repo, KASSA_CUSTOMER_WALK_IN_ID, &error);
  g_assert_no_error (error);
  g_assert_true (kassa_customer_get_is_walk_in (walk_in));

  sql = g_strdup_printf ("INSERT INTO \"order\" (number, customer_id, currency, mode, prices_include_tax, "
                         "tax_scope, rounding, untaxed, tax, total, created_at, updated_at) VALUES "
                         "('A-1', %" G_GINT64_FORMAT ", 'EUR', 'manual', 1, 'document', 'half-up', 0, 0, 0, "
                         "'2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')", buyer);
  g_assert_true (kassa_database_exec (fixture->db, sql, &error));
  g_assert_no_error (error);
  g_assert_false (kassa_customer_repository_delete (fixture->repo, buyer, &error));
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "orders"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kassa/customer-repository/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("round-trip", test_round_trip);
  ADD ("invalid-and-missing", test_invalid_and_missing);
  ADD ("search", test_search);
  ADD ("list-paged", test_list_paged);
  ADD ("delete", test_delete);

  return g_test_run ();
}
