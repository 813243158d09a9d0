/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kassa-error.h"
#include "kassa-tax-rate-repository.h"
#include "catalog-test-utils.h"

static void
test_add_and_list (CatalogFixture *fixture,
                   gconstpointer   data)
{
  g_autoptr(KassaTaxRateRepository) repository = kassa_tax_rate_repository_new (fixture->database);
  g_autoptr(GPtrArray) rates = NULL;
  g_autoptr(GError) error = NULL;
  KassaTaxRateEntry *entry;

  g_assert_cmpint (kassa_tax_rate_repository_add (repository, "Standard", 200000, &error), >, 0);
  g_assert_cmpint (kassa_tax_rate_repository_add (repository, "Reduced", 55000, &error), >, 0);
  g_assert_cmpint (kassa_tax_rate_repository_add (repository, "Zero", 0, &error), >, 0);
  g_assert_no_error (error);

  g_assert_cmpint (kassa_tax_rate_repository_add (repository, "Too much", 1000001, &error), ==, 0);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (kassa_tax_rate_repository_add (repository, " ", 1000, &error), ==, 0);
  g_assert_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  rates = kassa_tax_rate_repository_list (repository, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rates->len, ==, 3);
  entry = rates->pdata[1];
  g_assert_cmpstr (entry->name, ==, "Reduced");
  g_assert_cmpint (entry->rate, ==, 55000);
  g_assert_false (entry->is_default);
  g_assert_false (entry->archived);
}

static void
test_default_and_archive (CatalogFixture *fixture,
                          gconstpointer   data)
{
  g_autoptr(KassaTaxRateRepository) repository = kassa_tax_rate_repository_new (fixture->database);
  g_autoptr(KassaTaxRateEntry) current = NULL;
  g_autoptr(GPtrArray) rates = NULL;
  g_autoptr(GError) error = NULL;
  gint64 standard, reduced;

  standard = kassa_tax_rate_repository_add (repository, "Standard", 200000, &error);
  reduced = kassa_tax_rate_repository_add (repository, "Reduced", 55000, &error);

  current = kassa_tax_rate_repository_get_default (repository, &error);
  g_assert_no_error (error);
  g_assert_null (current);

  g_assert_true (kassa_tax_rate_repository_set_default (repository, standard, &error));
  g_assert_true (kassa_tax_rate_repository_set_default (repository, reduced, &error));
  g_assert_no_error (error);
  current = kassa_tax_rate_repository_get_default (repository, &error);
  g_assert_cmpint (current->id, ==, reduced);
  g_clear_pointer (&current, kassa_tax_rate_entry_free);

  /* A missing rate leaves the default as it was. */
  g_assert_false (kassa_tax_rate_repository_set_default (repository, 999, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  current = kassa_tax_rate_repository_get_default (repository, &error);
  g_assert_cmpint (current->id, ==, reduced);
  g_clear_pointer (&current, kassa_tax_rate_entry_free);

  /* Archiving the default leaves no default; archived rates cannot become it. */
  g_assert_true (kassa_tax_rate_repository_archive (repository, reduced, &error));
  current = kassa_tax_rate_repository_get_default (repository, &error);
  g_assert_null (current);
  g_assert_false (kassa_tax_rate_repository_set_default (repository, reduced, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND);
  g_clear_error (&error);

  rates = kassa_tax_rate_repository_list (repository, FALSE, &error);
  g_assert_cmpuint (rates->len, ==, 1);
  g_assert_cmpint (((KassaTaxRateEntry *) rates->pdata[0])->id, ==, standard);
  g_clear_pointer (&rates, g_ptr_array_unref);
  rates = kassa_tax_rate_repository_list (repository, TRUE, &error);
  g_assert_cmpuint (rates->len, ==, 2);
  g_assert_true (((KassaTaxRateEntry *) rates->pdata[0])->archived);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/kassa/tax-rate-repository/add-and-list", CatalogFixture, NULL,
              catalog_fixture_set_up, test_add_and_list, catalog_fixture_tear_down);
  g_test_add ("/kassa/tax-rate-repository/default-and-archive", CatalogFixture, NULL,
              catalog_fixture_set_up, test_default_and_archive, catalog_fixture_tear_down);

  return g_test_run ();
}
