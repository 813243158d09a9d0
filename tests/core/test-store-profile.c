/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kassa-error.h"
#include "kassa-store-profile.h"

#include "kassa-test-properties.h"

static const guint8 tiny_png[] = {
  0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
};

static void
test_properties (void)
{
  g_autoptr(KassaStoreProfile) profile = kassa_store_profile_new ();

  kassa_test_check_defaults (G_OBJECT (profile));
  kassa_test_check_properties (G_OBJECT (profile), NULL);
}

static void
test_texts_exact (void)
{
  g_autoptr(KassaStoreProfile) profile = kassa_store_profile_new ();
  const char *address = "  Kaffeerösterei Süd\nHauptstraße 1\r\n\n8000 Zürich  ";

  g_assert_cmpstr (kassa_store_profile_get_tagline (profile), ==, "");

  kassa_store_profile_set_address (profile, address);
  kassa_store_profile_set_receipt_footer (profile, "Danke!\nشكرا\n谢谢");
  g_assert_cmpstr (kassa_store_profile_get_address (profile), ==, address);
  g_assert_cmpstr (kassa_store_profile_get_receipt_footer (profile), ==, "Danke!\nشكرا\n谢谢");

  /* An empty text and no text are the same thing. */
  kassa_store_profile_set_address (profile, "");
  g_assert_cmpstr (kassa_store_profile_get_address (profile), ==, "");
}

static void
test_copy (void)
{
  g_autoptr(KassaStoreProfile) profile = kassa_store_profile_new ();
  g_autoptr(KassaStoreProfile) copy = NULL;
  g_autoptr(GBytes) logo = g_bytes_new_static (tiny_png, sizeof tiny_png);

  kassa_store_profile_set_name (profile, "Corner Shop");
  kassa_store_profile_set_tax_id (profile, "CHE-123.456.789 MWST");
  kassa_store_profile_set_logo (profile, logo);

  copy = kassa_store_profile_copy (profile);
  kassa_store_profile_set_name (profile, "Renamed");

  g_assert_cmpstr (kassa_store_profile_get_name (copy), ==, "Corner Shop");
  g_assert_cmpstr (kassa_store_profile_get_tax_id (copy), ==, "CHE-123.456.789 MWST");
  g_assert_true (g_bytes_equal (kassa_store_profile_get_logo (copy), logo));
}

static void
test_validate (void)
{
  g_autoptr(KassaStoreProfile) profile = kassa_store_profile_new ();
  g_autoptr(GBytes) logo = g_bytes_new_static (tiny_png, sizeof tiny_png);
  g_autoptr(GBytes) not_png = g_bytes_new_static ("GIF89a....", 10);
  g_autoptr(GError) error = NULL;

  g_assert_false (kassa_store_profile_validate (profile, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "The store needs a name");
  g_clear_error (&error);

  kassa_store_profile_set_name (profile, " \t ");
  g_assert_false (kassa_store_profile_validate (profile, NULL));

  kassa_store_profile_set_name (profile, "Corner Shop");
  g_assert_true (kassa_store_profile_validate (profile, NULL));

  kassa_store_profile_set_email (profile, "shop at example.org");
  g_assert_false (kassa_store_profile_validate (profile, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);
  kassa_store_profile_set_email (profile, "shop@example.org");

  kassa_store_profile_set_logo (profile, not_png);
  g_assert_false (kassa_store_profile_validate (profile, &error));
  g_assert_error (error, KASSA_ERROR, KASSA_ERROR_INVALID);
  g_clear_error (&error);

  kassa_store_profile_set_logo (profile, logo);
  g_assert_true (kassa_store_profile_validate (profile, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kassa/store-profile/properties", test_properties);
  g_test_add_func ("/kassa/store-profile/texts-exact", test_texts_exact);
  g_test_add_func ("/kassa/store-profile/copy", test_copy);
  g_test_add_func ("/kassa/store-profile/validate", test_validate);

  return g_test_run ();
}
