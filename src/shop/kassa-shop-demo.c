/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-shop-demo"

#include "config.h"

#include <inttypes.h>
#include <cairo.h>
#include <math.h>

#include <glib/gi18n-lib.h>

#include "kassa-cart-repository.h"
#include "kassa-cart.h"
#include "kassa-catalog-repository.h"
#include "kassa-currency.h"
#include "kassa-customer-repository.h"
#include "kassa-error.h"
#include "kassa-invoice-line.h"
#include "kassa-invoice-number.h"
#include "kassa-invoice-repository.h"
#include "kassa-invoice.h"
#include "kassa-money.h"
#include "kassa-settings-repository.h"
#include "kassa-shift-repository.h"
#include "kassa-shop-checkout.h"
#include "kassa-shop-demo.h"
#include "kassa-shop-private.h"
#include "kassa-shop-staff.h"
#include "kassa-staff-repository.h"
#include "kassa-tax-rate-repository.h"
#include "kassa-token.h"

/* Generated items are bulk loaded in transactions of this many rows, and
 * sales committed in groups of this many, so a large demo neither holds
 * one enormous transaction nor pays a durable commit per row. */
#define PRODUCT_BATCH 250000
#define ORDER_BATCH   500
#define PROGRESS_EVERY 1000

/* The sales are spread over this many days before the fill. */
#define HISTORY_DAYS 28

#define RATE_STANDARD 190000
#define RATE_REDUCED   70000

typedef struct
{
  const char    *name;
  const char    *sku;
  const char    *item_type;
  const char    *description;
  KassaItemKind  kind;
  gint64         price;      /* cents */
  gint64         tax_rate;   /* ppm */
  guint          duration;   /* minutes, services */
  gboolean       monthly;    /* a recurring subscription */
  gint64         stock;      /* units */
} DemoItem;

/* A café and deli: drinks at the standard rate, food at the reduced one,
 * as German shops charge them. */
static const DemoItem demo_items[KASSA_SHOP_DEMO_N_HANDWRITTEN] = {
  { "Espresso", "COF-ESP", "Coffee", "A double shot of the house blend", KASSA_ITEM_KIND_PRODUCT, 220, RATE_STANDARD, 0, FALSE, 5000 },
  { "Cappuccino", "COF-CAP", "Coffee", "Espresso with steamed and foamed milk", KASSA_ITEM_KIND_PRODUCT, 340, RATE_STANDARD, 0, FALSE, 5000 },
  { "Flat white", "COF-FLW", "Coffee", "Double ristretto, velvet milk", KASSA_ITEM_KIND_PRODUCT, 380, RATE_STANDARD, 0, FALSE, 5000 },
  { "Caffè latte", "COF-LAT", "Coffee", "Espresso in a tall glass of milk", KASSA_ITEM_KIND_PRODUCT, 390, RATE_STANDARD, 0, FALSE, 5000 },
  { "Filter coffee", "COF-FIL", "Coffee", "Hand-brewed, single origin of the week", KASSA_ITEM_KIND_PRODUCT, 280, RATE_STANDARD, 0, FALSE, 5000 },
  { "Cold brew", "COF-CBR", "Coffee", "Steeped for 18 hours, served over ice", KASSA_ITEM_KIND_PRODUCT, 420, RATE_STANDARD, 0, FALSE, 5000 },
  { "Chai latte", "TEA-CHA", "Tea", "Spiced black tea with steamed milk", KASSA_ITEM_KIND_PRODUCT, 390, RATE_STANDARD, 0, FALSE, 5000 },
  { "Green tea", "TEA-GRN", "Tea", "Sencha, loose leaf", KASSA_ITEM_KIND_PRODUCT, 290, RATE_STANDARD, 0, FALSE, 5000 },
  { "Hot chocolate", "DRK-CHO", "Drinks", "Dark chocolate melted into milk", KASSA_ITEM_KIND_PRODUCT, 360, RATE_STANDARD, 0, FALSE, 5000 },
  { "Fresh orange juice", "DRK-OJ", "Drinks", "Pressed to order, 0.3 l", KASSA_ITEM_KIND_PRODUCT, 450, RATE_STANDARD, 0, FALSE, 5000 },
  { "Sparkling water 0.5 l", "DRK-WAT", "Drinks", "Bottled at the spring", KASSA_ITEM_KIND_PRODUCT, 250, RATE_STANDARD, 0, FALSE, 2000 },
  { "Butter croissant", "PAS-CRO", "Pastries", "Baked every morning with French butter", KASSA_ITEM_KIND_PRODUCT, 240, RATE_REDUCED, 0, FALSE, 3000 },
  { "Pain au chocolat", "PAS-PAC", "Pastries", "Two bars of dark chocolate inside", KASSA_ITEM_KIND_PRODUCT, 270, RATE_REDUCED, 0, FALSE, 3000 },
  { "Cinnamon bun", "PAS-CIN", "Pastries", "Swedish kanelbulle with pearl sugar", KASSA_ITEM_KIND_PRODUCT, 310, RATE_REDUCED, 0, FALSE, 3000 },
  { "Almond croissant", "PAS-ALM", "Pastries", "Twice baked, filled with frangipane", KASSA_ITEM_KIND_PRODUCT, 340, RATE_REDUCED, 0, FALSE, 3000 },
  { "Blueberry muffin", "PAS-MUF", "Pastries", "Wild blueberries, crumble top", KASSA_ITEM_KIND_PRODUCT, 320, RATE_REDUCED, 0, FALSE, 3000 },
  { "Cheesecake slice", "CAK-CHE", "Cakes", "Baked New York style", KASSA_ITEM_KIND_PRODUCT, 450, RATE_REDUCED, 0, FALSE, 1000 },
  { "Carrot cake slice", "CAK-CAR", "Cakes", "Walnuts and cream cheese frosting", KASSA_ITEM_KIND_PRODUCT, 420, RATE_REDUCED, 0, FALSE, 1000 },
  { "Lemon tart", "CAK-LEM", "Cakes", "Shortcrust, lemon curd, torched meringue", KASSA_ITEM_KIND_PRODUCT, 390, RATE_REDUCED, 0, FALSE, 1000 },
  { "Sourdough loaf 1 kg", "BRD-SOU", "Bread", "Rye starter, 36 hours of rising", KASSA_ITEM_KIND_PRODUCT, 650, RATE_REDUCED, 0, FALSE, 500 },
  { "Baguette", "BRD-BAG", "Bread", "Crisp crust, open crumb", KASSA_ITEM_KIND_PRODUCT, 290, RATE_REDUCED, 0, FALSE, 1000 },
  { "Pretzel", "BRD-PRE", "Bread", "Bavarian lye pretzel with coarse salt", KASSA_ITEM_KIND_PRODUCT, 180, RATE_REDUCED, 0, FALSE, 2000 },
  { "Ham and cheese sandwich", "DEL-HAM", "Deli", "Black Forest ham, Gruyère, grain mustard", KASSA_ITEM_KIND_PRODUCT, 690, RATE_REDUCED, 0, FALSE, 1000 },
  { "Caprese sandwich", "DEL-CAP", "Deli", "Buffalo mozzarella, tomato, basil pesto", KASSA_ITEM_KIND_PRODUCT, 650, RATE_REDUCED, 0, FALSE, 1000 },
  { "Avocado toast", "DEL-AVO", "Deli", "Sourdough, lime, chili flakes", KASSA_ITEM_KIND_PRODUCT, 790, RATE_REDUCED, 0, FALSE, 1000 },
  { "Quiche lorraine", "DEL-QUI", "Deli", "Bacon, leek and Comté", KASSA_ITEM_KIND_PRODUCT, 590, RATE_REDUCED, 0, FALSE, 1000 },
  { "Soup of the day", "DEL-SOU", "Deli", "With bread and butter", KASSA_ITEM_KIND_PRODUCT, 550, RATE_REDUCED, 0, FALSE, 1000 },
  { "Mixed olives 200 g", "DEL-OLI", "Deli", "Kalamata and green Halkidiki", KASSA_ITEM_KIND_PRODUCT, 490, RATE_REDUCED, 0, FALSE, 500 },
  { "Aged Gouda 200 g", "DEL-GOU", "Deli", "Eighteen months old", KASSA_ITEM_KIND_PRODUCT, 580, RATE_REDUCED, 0, FALSE, 500 },
  { "Prosciutto di Parma 100 g", "DEL-PRO", "Deli", "Sliced to order", KASSA_ITEM_KIND_PRODUCT, 620, RATE_REDUCED, 0, FALSE, 500 },
  { "House blend beans 250 g", "BEA-HOU", "Beans", "Brazil and Ethiopia, chocolate and berries", KASSA_ITEM_KIND_PRODUCT, 890, RATE_REDUCED, 0, FALSE, 400 },
  { "Ethiopia Yirgacheffe 250 g", "BEA-ETH", "Beans", "Washed, jasmine and bergamot", KASSA_ITEM_KIND_PRODUCT, 1290, RATE_REDUCED, 0, FALSE, 300 },
  { "Colombia decaf 250 g", "BEA-DEC", "Beans", "Sugar cane process, caramel", KASSA_ITEM_KIND_PRODUCT, 1050, RATE_REDUCED, 0, FALSE, 300 },
  { "Raw honey 500 g", "PAN-HON", "Pantry", "From hives in Brandenburg", KASSA_ITEM_KIND_PRODUCT, 990, RATE_REDUCED, 0, FALSE, 200 },
  { "Strawberry jam 340 g", "PAN-JAM", "Pantry", "Made in the kitchen", KASSA_ITEM_KIND_PRODUCT, 590, RATE_REDUCED, 0, FALSE, 200 },
  { "Ceramic mug", "MER-MUG", "Merchandise", "Stoneware, 300 ml, with the café's logo", KASSA_ITEM_KIND_PRODUCT, 1490, RATE_STANDARD, 0, FALSE, 100 },
  { "Reusable cup", "MER-CUP", "Merchandise", "Bamboo fibre, 350 ml", KASSA_ITEM_KIND_PRODUCT, 990, RATE_STANDARD, 0, FALSE, 150 },
  { "Gift card 25 €", "MER-GFT", "Merchandise", "Valid for three years", KASSA_ITEM_KIND_PRODUCT, 2500, 0, 0, FALSE, 1000 },
  { "Coffee club", "SUB-CLUB", "Subscriptions", "A 250 g bag of the roast of the month, every month", KASSA_ITEM_KIND_PRODUCT, 1490, RATE_REDUCED, 0, TRUE, 1000 },
  { "Barista course", "SRV-BAR", "Courses", "90 minutes at the machine: espresso, milk, latte art", KASSA_ITEM_KIND_SERVICE, 4900, RATE_STANDARD, 90, FALSE, 0 },
};

typedef struct
{
  const char *name;
  const char *email;
  const char *phone;
  const char *address;
} DemoCustomer;

/* The first three are businesses that get invoices. */
static const DemoCustomer demo_customers[KASSA_SHOP_DEMO_N_CUSTOMERS] = {
  { "Kreuzberg Design Studio GmbH", "accounts@kreuzberg-design.example", "+49 30 5550 1101", "Oranienstraße 140\n10969 Berlin" },
  { "Spreeblick Architekten", "buero@spreeblick.example", "+49 30 5550 1102", "Am Flutgraben 3\n12435 Berlin" },
  { "Müller & Söhne Steuerberatung", "kanzlei@mueller-soehne.example", "+49 30 5550 1103", "Friedrichstraße 68\n10117 Berlin" },
  { "Anna Schmidt", "anna.schmidt@example.org", "+49 151 5550 2001", "Wiener Straße 12\n10999 Berlin" },
  { "Jonas Weber", "jonas.weber@example.org", "+49 151 5550 2002", "Skalitzer Straße 80\n10997 Berlin" },
  { "Leonie Fischer", "leonie.fischer@example.org", "+49 151 5550 2003", "Graefestraße 9\n10967 Berlin" },
  { "Mehmet Yılmaz", "mehmet.yilmaz@example.org", "+49 151 5550 2004", "Kottbusser Damm 24\n10967 Berlin" },
  { "Sophie Martin", "sophie.martin@example.org", "+49 151 5550 2005", "Bergmannstraße 101\n10961 Berlin" },
  { "Lukas Becker", "lukas.becker@example.org", "+49 151 5550 2006", "Mehringdamm 33\n10961 Berlin" },
  { "Emma Hoffmann", "emma.hoffmann@example.org", "+49 151 5550 2007", "Hasenheide 54\n10967 Berlin" },
  { "Noah Schäfer", "noah.schaefer@example.org", "+49 151 5550 2008", "Urbanstraße 70\n10967 Berlin" },
  { "Mia Koch", "mia.koch@example.org", "+49 151 5550 2009", "Dieffenbachstraße 31\n10967 Berlin" },
  { "Elias Richter", "elias.richter@example.org", "+49 151 5550 2010", "Pannierstraße 5\n12047 Berlin" },
  { "Hannah Klein", "hannah.klein@example.org", "+49 151 5550 2011", "Weserstraße 190\n12045 Berlin" },
  { "Paul Wolf", "paul.wolf@example.org", "+49 151 5550 2012", "Reuterstraße 44\n12047 Berlin" },
  { "Lina Neumann", "lina.neumann@example.org", "+49 151 5550 2013", "Sanderstraße 12\n12047 Berlin" },
  { "Ben Schwarz", "ben.schwarz@example.org", "+49 151 5550 2014", "Lausitzer Platz 8\n10997 Berlin" },
  { "Clara Zimmermann", "clara.zimmermann@example.org", "+49 151 5550 2015", "Manteuffelstraße 42\n10997 Berlin" },
  { "Finn Braun", "finn.braun@example.org", "+49 151 5550 2016", "Eisenbahnstraße 4\n10997 Berlin" },
  { "Marie Krüger", "marie.krueger@example.org", "+49 151 5550 2017", "Pücklerstraße 20\n10997 Berlin" },
};

/* Words of the generated items, the same the catalog benchmark uses. */
static const char *generated_adjectives[] = {
  "Organic", "Dark", "Roasted", "Fresh", "Smoked", "Spicy", "Sweet", "Salted", "Golden", "Wild",
  "Crispy", "Creamy", "Frozen", "Dried", "Premium", "Classic", "Rustic", "Tender", "Bitter", "Mild",
  "Crème", "Épicé", "Süß", "Ländlich", "Café",
};

static const char *generated_nouns[] = {
  "Coffee", "Beans", "Tea", "Bread", "Cheese", "Butter", "Honey", "Apples", "Pears", "Oranges",
  "Chocolate", "Cookies", "Pasta", "Rice", "Olives", "Tomatoes", "Pepper", "Salt", "Sugar", "Flour",
  "Milk", "Yoghurt", "Juice", "Water", "Soap", "Candles", "Notebook", "Pencil", "Mug", "Plate",
  "Towel", "Brush", "Sponge", "Basket", "Gloves", "Scarf", "Socks", "Batteries", "Charger", "Cable",
};

static const char *generated_units[] = { "250 g", "500 g", "1 kg", "1 l", "6 pack", "12 pack", "small", "large" };

typedef struct
{
  KassaShop                  *shop;
  const KassaShopDemoOptions *options;
  KassaShopDemoResult        *result;
  GRand                      *rand;
  const char                 *currency;
  GDateTime                  *now;
  /* The items the till sells most: the hand-written ones on sale. */
  GPtrArray                  *till_items;
  GPtrArray                  *customers;
  gint64                      first_generated_id;
  guint                       n_generated;
} Demo;

/* An EAN-13 from its first twelve digits, with its check digit. */
static void
make_ean13 (const char *digits,
            char        out[14])
{
  int sum = 0;

  g_strlcpy (out, digits, 14);
  for (int i = 0; i < 12; i++)
    sum += (out[i] - '0') * (i % 2 ? 3 : 1);
  out[12] = '0' + (10 - sum % 10) % 10;
  out[13] = '\0';
}

/**
 * kassa_shop_demo_generated_barcode:
 * @n: a generated item's number, from 1
 * @out: where the code goes
 *
 * The EAN-13 the demo gives its @n-th generated item: 200, then @n.
 */
void
kassa_shop_demo_generated_barcode (guint n,
                                   char  out[14])
{
  char digits[13];

  g_snprintf (digits, sizeof digits, "200%09u", n);
  make_ean13 (digits, out);
}

static void
report_progress (Demo               *demo,
                 KassaShopDemoStage  stage,
                 guint               n_done,
                 guint               n_total)
{
  if (demo->options->progress != NULL)
    demo->options->progress (stage, n_done, n_total, demo->options->user_data);
}

static cairo_status_t
append_png_cb (void                *closure,
               const unsigned char *data,
               unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* A cup on a saucer, steam rising, in a round badge. */
static GBytes *
draw_logo (void)
{
  const int size = 128;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  cairo_t *cr = cairo_create (surface);
  g_autoptr(GByteArray) png = g_byte_array_new ();

  cairo_arc (cr, size / 2.0, size / 2.0, size / 2.0 - 2, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 0.36, 0.22, 0.14);
  cairo_fill (cr);

  cairo_set_source_rgb (cr, 0.98, 0.94, 0.86);
  /* The cup and its handle. */
  cairo_move_to (cr, 36, 58);
  cairo_line_to (cr, 84, 58);
  cairo_curve_to (cr, 84, 86, 74, 96, 60, 96);
  cairo_curve_to (cr, 46, 96, 36, 86, 36, 58);
  cairo_fill (cr);
  cairo_set_line_width (cr, 6);
  cairo_arc (cr, 86, 70, 9, -G_PI / 2, G_PI / 2);
  cairo_stroke (cr);
  /* The saucer. */
  cairo_set_line_width (cr, 5);
  cairo_move_to (cr, 30, 102);
  cairo_line_to (cr, 92, 102);
  cairo_stroke (cr);
  /* Steam. */
  cairo_set_line_width (cr, 4);
  for (int i = 0; i < 3; i++)
    {
      double x = 48 + i * 12;

      cairo_move_to (cr, x, 50);
      cairo_curve_to (cr, x - 6, 42, x + 6, 36, x, 28);
      cairo_stroke (cr);
    }

  cairo_surface_flush (surface);
  cairo_surface_write_to_png_stream (surface, append_png_cb, png);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

static gboolean
fill_profile (Demo    *demo,
              GError **error)
{
  KassaDatabase *database = kassa_shop_get_database (demo->shop);
  g_autoptr(KassaSettingsRepository) repository = kassa_settings_repository_new (database);
  g_autoptr(KassaStoreProfile) profile = kassa_store_profile_new ();
  g_autoptr(KassaStoreSettings) settings = NULL;
  g_autoptr(GBytes) logo = draw_logo ();

  kassa_store_profile_set_name (profile, "Lindenhof Café & Deli");
  kassa_store_profile_set_tagline (profile, "Coffee roasted next door, bread baked at dawn");
  kassa_store_profile_set_address (profile, "Lindenstraße 12\n10969 Berlin\nGermany");
  kassa_store_profile_set_tax_id (profile, "DE 123 456 789");
  kassa_store_profile_set_email (profile, "hallo@lindenhof-cafe.example");
  kassa_store_profile_set_phone (profile, "+49 30 5550 1000");
  kassa_store_profile_set_website (profile, "https://lindenhof-cafe.example");
  kassa_store_profile_set_receipt_footer (profile,
                                          "Thank you for your visit!\n"
                                          "Bring your own cup: 20 cents off every coffee.");
  kassa_store_profile_set_logo (profile, logo);
  if (!kassa_settings_repository_save_profile (repository, profile, error))
    return FALSE;

  settings = kassa_settings_repository_load_settings (repository, demo->currency, error);
  if (settings == NULL)
    return FALSE;
  kassa_store_settings_set_currency_code (settings, demo->currency);
  kassa_store_settings_set_prices_include_tax (settings, TRUE);
  kassa_store_settings_set_pickup_enabled (settings, TRUE);

  return kassa_settings_repository_save_settings (repository, settings, error);
}

static gboolean
fill_tax_rates (Demo    *demo,
                GError **error)
{
  g_autoptr(KassaTaxRateRepository) repository =
    kassa_tax_rate_repository_new (kassa_shop_get_database (demo->shop));
  gint64 standard;

  standard = kassa_tax_rate_repository_add (repository, _("Standard"), RATE_STANDARD, error);

  return standard != 0 &&
         kassa_tax_rate_repository_add (repository, _("Reduced"), RATE_REDUCED, error) != 0 &&
         kassa_tax_rate_repository_add (repository, _("Exempt"), 0, error) != 0 &&
         kassa_tax_rate_repository_set_default (repository, standard, error);
}

static gboolean
fill_staff (Demo    *demo,
            GError **error)
{
  demo->result->admin_id = kassa_shop_create_staff (demo->shop, KASSA_SHOP_DEMO_ADMIN_NAME,
                                                    KASSA_STAFF_ROLE_ADMIN, KASSA_SHOP_DEMO_ADMIN_PIN,
                                                    demo->options->pin_cost, error);
  if (demo->result->admin_id == 0)
    return FALSE;

  demo->result->cashier_id = kassa_shop_create_staff (demo->shop, KASSA_SHOP_DEMO_CASHIER_NAME,
                                                      KASSA_STAFF_ROLE_CASHIER, KASSA_SHOP_DEMO_CASHIER_PIN,
                                                      demo->options->pin_cost, error);

  return demo->result->cashier_id != 0;
}

static gboolean
fill_handwritten_items (Demo    *demo,
                        GError **error)
{
  g_autoptr(KassaCatalogRepository) repository =
    kassa_catalog_repository_new (kassa_shop_get_database (demo->shop));

  for (guint i = 0; i < G_N_ELEMENTS (demo_items); i++)
    {
      const DemoItem *spec = &demo_items[i];
      g_autoptr(KassaCatalogItem) item = kassa_catalog_item_new ();
      g_autofree char *digits = g_strdup_printf ("40012345%04u", i + 1);
      char barcode[14];

      make_ean13 (digits, barcode);
      kassa_catalog_item_set_name (item, spec->name);
      kassa_catalog_item_set_sku (item, spec->sku);
      kassa_catalog_item_set_item_type (item, spec->item_type);
      kassa_catalog_item_set_description (item, spec->description);
      kassa_catalog_item_set_kind (item, spec->kind);
      kassa_catalog_item_set_price (item, spec->price);
      kassa_catalog_item_set_currency_code (item, demo->currency);
      kassa_catalog_item_set_tax_rate (item, spec->tax_rate);
      kassa_catalog_item_set_status (item, KASSA_ITEM_STATUS_ACTIVE);
      kassa_catalog_item_set_sort_order (item, i);
      if (spec->kind == KASSA_ITEM_KIND_SERVICE)
        {
          kassa_catalog_item_set_duration_minutes (item, spec->duration);
        }
      else
        {
          kassa_catalog_item_set_barcode (item, barcode);
          /* Enough on the shelves for every sale the demo will make. */
          kassa_catalog_item_set_stock_on_hand (item, (spec->stock + 2 * (gint64) demo->options->n_orders) *
                                                      KASSA_QUANTITY_ONE);
        }
      if (spec->monthly)
        {
          kassa_catalog_item_set_pricing (item, KASSA_PRICING_RECURRING);
          kassa_catalog_item_set_interval (item, KASSA_BILLING_INTERVAL_MONTH);
          kassa_catalog_item_set_interval_count (item, 1);
        }

      if (kassa_catalog_repository_insert (repository, item, error) == 0)
        return FALSE;

      /* Subscriptions are sold through their own flow, not at the till. */
      if (!spec->monthly)
        g_ptr_array_add (demo->till_items, g_object_ref (item));
    }

  demo->result->n_items += G_N_ELEMENTS (demo_items);
  return TRUE;
}

/* The rest of the catalog, in batches of their own transactions. */
static gboolean
fill_generated_items (Demo    *demo,
                      guint    n_items,
                      GError **error)
{
  KassaDatabase *database = kassa_shop_get_database (demo->shop);
  g_autoptr(KassaCatalogRepository) repository = kassa_catalog_repository_new (database);
  g_autoptr(KassaCatalogItem) item = kassa_catalog_item_new ();
  /* A few sales' worth more than the orders will take on average. */
  gint64 restock = 10 * (gint64) demo->options->n_orders / MAX (n_items, 1);

  for (guint n = 1; n <= n_items; n++)
    {
      char name[160], sku[32], description[64], barcode[14];

      if ((n - 1) % PRODUCT_BATCH == 0)
        {
          if (!kassa_database_begin (database, error))
            return FALSE;
          if (!kassa_catalog_repository_begin_bulk_insert (repository, error))
            {
              kassa_database_rollback (database, NULL);
              return FALSE;
            }
        }

      g_snprintf (name, sizeof name, "%s %s %s %s",
                  generated_adjectives[g_rand_int_range (demo->rand, 0, G_N_ELEMENTS (generated_adjectives))],
                  generated_nouns[g_rand_int_range (demo->rand, 0, G_N_ELEMENTS (generated_nouns))],
                  generated_nouns[g_rand_int_range (demo->rand, 0, G_N_ELEMENTS (generated_nouns))],
                  generated_units[g_rand_int_range (demo->rand, 0, G_N_ELEMENTS (generated_units))]);
      g_snprintf (sku, sizeof sku, "GEN-%07u", n);
      kassa_shop_demo_generated_barcode (n, barcode);
      g_snprintf (description, sizeof description, "Batch %u, shelf %c%u", n % 977, 'A' + n % 26, n % 50);

      /* One object reused: only its fields change from row to row. */
      kassa_catalog_item_set_id (item, 0);
      kassa_catalog_item_set_name (item, name);
      kassa_catalog_item_set_sku (item, sku);
      kassa_catalog_item_set_barcode (item, barcode);
      kassa_catalog_item_set_description (item, description);
      kassa_catalog_item_set_item_type (item, "Shop");
      kassa_catalog_item_set_price (item, g_rand_int_range (demo->rand, 50, 10000));
      kassa_catalog_item_set_currency_code (item, demo->currency);
      kassa_catalog_item_set_tax_rate (item, g_rand_boolean (demo->rand) ? RATE_STANDARD : RATE_REDUCED);
      kassa_catalog_item_set_stock_on_hand (item, (g_rand_int_range (demo->rand, 100, 1000) + restock) *
                                                  KASSA_QUANTITY_ONE);
      kassa_catalog_item_set_status (item, n % 20 == 0 ? KASSA_ITEM_STATUS_DRAFT : KASSA_ITEM_STATUS_ACTIVE);
      kassa_catalog_item_set_sort_order (item, 100 + g_rand_int_range (demo->rand, 0, 10));

      if (kassa_catalog_repository_insert (repository, item, error) == 0)
        {
          kassa_database_rollback (database, NULL);
          kassa_catalog_repository_end_bulk_insert (repository, NULL);
          return FALSE;
        }
      if (n == 1)
        demo->first_generated_id = kassa_catalog_item_get_id (item);

      if (n % PRODUCT_BATCH == 0 || n == n_items)
        {
          if (!kassa_catalog_repository_end_bulk_insert (repository, error))
            {
              kassa_database_rollback (database, NULL);
              return FALSE;
            }
          if (!kassa_database_commit (database, error))
            return FALSE;
        }
      if (n % PROGRESS_EVERY == 0 || n == n_items)
        report_progress (demo, KASSA_SHOP_DEMO_STAGE_PRODUCTS, KASSA_SHOP_DEMO_N_HANDWRITTEN + n,
                         KASSA_SHOP_DEMO_N_HANDWRITTEN + n_items);
    }

  demo->n_generated = n_items;
  demo->result->n_items += n_items;
  return TRUE;
}

static gboolean
fill_customers (Demo    *demo,
                GError **error)
{
  g_autoptr(KassaCustomerRepository) repository =
    kassa_customer_repository_new (kassa_shop_get_database (demo->shop));

  for (guint i = 0; i < G_N_ELEMENTS (demo_customers); i++)
    {
      const DemoCustomer *spec = &demo_customers[i];
      g_autoptr(KassaCustomer) customer = g_object_new (KASSA_TYPE_CUSTOMER,
                                                        "name", spec->name,
                                                        "email", spec->email,
                                                        "phone", spec->phone,
                                                        "billing-address", spec->address,
                                                        NULL);

      if (!kassa_customer_repository_insert (repository, customer, error))
        return FALSE;
      g_ptr_array_add (demo->customers, g_object_ref (customer));
    }

  demo->result->n_customers = G_N_ELEMENTS (demo_customers);
  return TRUE;
}

static gboolean
open_shift (Demo    *demo,
            GError **error)
{
  g_autoptr(KassaShiftRepository) shifts =
    kassa_shift_repository_new (kassa_shop_get_database (demo->shop));

  /* A float of 150.00 in the drawer. */
  demo->result->shift_id = kassa_shift_repository_open (shifts, NULL, demo->result->cashier_id,
                                                        demo->currency, 15000, error);

  return demo->result->shift_id != 0;
}

/* When sale @index of @n_sales happened: in order, over the past
 * HISTORY_DAYS, during opening hours (7:00 to 19:00). */
static GDateTime *
sale_time (Demo  *demo,
           guint  index,
           guint  n_sales)
{
  const gint64 open_seconds = 12 * 3600;
  gint64 span = (gint64) HISTORY_DAYS * open_seconds;
  gint64 offset = n_sales > 0 ? span * index / n_sales : 0;
  g_autoptr(GDateTime) start = g_date_time_add_days (demo->now, -HISTORY_DAYS);
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) midnight = NULL;

  day = g_date_time_add_days (start, offset / open_seconds);
  midnight = g_date_time_new_utc (g_date_time_get_year (day), g_date_time_get_month (day),
                                  g_date_time_get_day_of_month (day), 0, 0, 0);

  return g_date_time_add_seconds (midnight, 7 * 3600 + offset % open_seconds);
}

static KassaCatalogItem *
pick_item (Demo    *demo,
           GError **error)
{
  KassaDatabase *database = kassa_shop_get_database (demo->shop);
  g_autoptr(KassaCatalogRepository) repository = NULL;
  KassaCatalogItem *item;
  gint64 id;

  /* Mostly the café's own things, now and then something off the shelf. */
  if (demo->n_generated == 0 || g_rand_int_range (demo->rand, 0, 5) != 0)
    return g_object_ref (g_ptr_array_index (demo->till_items,
                                            g_rand_int_range (demo->rand, 0, demo->till_items->len)));

  repository = kassa_catalog_repository_new (database);
  do
    {
      id = demo->first_generated_id + g_rand_int_range (demo->rand, 0, demo->n_generated);
      item = kassa_catalog_repository_get (repository, id, error);
      if (item == NULL)
        {
          if (error == NULL || *error == NULL)
            g_set_error (error, KASSA_ERROR, KASSA_ERROR_NOT_FOUND,
                         "generated item %" PRId64 " is missing", id);
          return NULL;
        }
      if (kassa_catalog_item_get_status (item) == KASSA_ITEM_STATUS_ACTIVE)
        return item;
      g_object_unref (item);
    }
  while (TRUE);
}

static KassaPayment *
make_payment (const char *provider,
              const char *label,
              gint64      amount)
{
  KassaPayment *payment = kassa_payment_new ();

  kassa_payment_set_provider_id (payment, provider);
  kassa_payment_set_method_label (payment, label);
  kassa_payment_set_amount (payment, amount);

  return payment;
}

/* One sale at the till, as the cashier rings it up. */
static gboolean
make_sale (Demo     *demo,
           guint     index,
           guint     n_sales,
           GError  **error)
{
  KassaDatabase *database = kassa_shop_get_database (demo->shop);
  g_autoptr(KassaCartRepository) carts = kassa_cart_repository_new (database);
  g_autoptr(KassaCart) cart = g_object_new (KASSA_TYPE_CART, "currency-code", demo->currency, NULL);
  g_autoptr(GPtrArray) payments = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) when = sale_time (demo, index, n_sales);
  g_autoptr(KassaOrder) order = NULL;
  guint n_lines = g_rand_int_range (demo->rand, 1, 5);
  gboolean cash = g_rand_int_range (demo->rand, 0, 10) < 4;
  gint64 cart_id, due;

  /* One sale in four is for a regular the cashier knows. */
  if (g_rand_int_range (demo->rand, 0, 4) == 0 &&
      !kassa_cart_set_customer (cart, g_ptr_array_index (demo->customers,
                                                         g_rand_int_range (demo->rand, 3, demo->customers->len)),
                                error))
    return FALSE;

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(KassaCatalogItem) item = pick_item (demo, error);
      gint64 quantity = g_rand_int_range (demo->rand, 0, 4) == 0 ? 2 : 1;

      if (item == NULL ||
          !kassa_cart_add_item (cart, item, quantity * KASSA_QUANTITY_ONE, NULL, error))
        return FALSE;
    }

  cart_id = kassa_cart_repository_create (carts, cart, demo->result->cashier_id, error);
  if (cart_id == 0 ||
      !kassa_shop_get_amount_due (demo->shop, cart_id, cash, &due, error))
    return FALSE;

  if (cash)
    g_ptr_array_add (payments, make_payment (KASSA_PAYMENT_PROVIDER_CASH, _("Cash"), due));
  else
    g_ptr_array_add (payments, make_payment ("card", _("Card"), due));

  order = kassa_shop_complete_sale (demo->shop, cart_id, payments, when, error);

  return order != NULL;
}

static gboolean
fill_orders (Demo    *demo,
             GError **error)
{
  KassaDatabase *database = kassa_shop_get_database (demo->shop);
  g_autoptr(KassaStaffRepository) staff = kassa_staff_repository_new (database);
  g_autoptr(KassaStaff) cashier = NULL;
  guint n_orders = demo->options->n_orders;
  gboolean ok = TRUE;

  if (n_orders == 0)
    return TRUE;

  cashier = kassa_staff_repository_get (staff, demo->result->cashier_id, error);
  if (cashier == NULL)
    return FALSE;

  /* The sales are the cashier's, as they would be at the till. */
  kassa_shop_set_actor (demo->shop, cashier);

  for (guint i = 0; ok && i < n_orders; i++)
    {
      if (i % ORDER_BATCH == 0 && !(ok = kassa_database_begin (database, error)))
        break;

      ok = make_sale (demo, i, n_orders, error);
      if (!ok)
        {
          kassa_database_rollback (database, NULL);
          break;
        }

      demo->result->n_orders++;
      if ((i + 1) % ORDER_BATCH == 0 || i + 1 == n_orders)
        ok = kassa_database_commit (database, error);
      if ((i + 1) % PROGRESS_EVERY == 0 || i + 1 == n_orders)
        report_progress (demo, KASSA_SHOP_DEMO_STAGE_ORDERS, i + 1, n_orders);
    }

  kassa_shop_act_as_system (demo->shop);

  return ok;
}

static JsonNode *
invoice_payload (KassaInvoice *invoice)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "invoice_id");
  json_builder_add_int_value (builder, kassa_invoice_get_id (invoice));
  json_builder_set_member_name (builder, "reference");
  json_builder_add_string_value (builder, kassa_invoice_get_reference (invoice));
  json_builder_set_member_name (builder, "customer_id");
  json_builder_add_int_value (builder, kassa_invoice_get_customer_id (invoice));
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, kassa_invoice_get_currency_code (invoice));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Catering for the three business customers, issued and journalled. */
static gboolean
fill_invoices (Demo    *demo,
               GError **error)
{
  static const struct { const char *name; gint64 quantity; gint64 price; gint64 rate; } lines[] = {
    { "Breakfast catering, 12 people", 12000, 1450, RATE_REDUCED },
    { "Coffee service, pump pots", 4000, 1800, RATE_STANDARD },
    { "House blend beans 1 kg", 2000, 3290, RATE_REDUCED },
    { "Barista course for the team", 1000, 29000, RATE_STANDARD },
  };
  KassaDatabase *database = kassa_shop_get_database (demo->shop);
  g_autoptr(KassaInvoiceRepository) invoices = kassa_invoice_repository_new (database);
  g_autoptr(KassaSettingsRepository) settings_repository = kassa_settings_repository_new (database);
  g_autoptr(KassaStoreSettings) settings = NULL;
  g_autoptr(KassaInvoiceNumberFormat) format = NULL;

  settings = kassa_settings_repository_load_settings (settings_repository, demo->currency, error);
  if (settings == NULL)
    return FALSE;
  format = kassa_invoice_number_format_new (kassa_store_settings_get_invoice_number_format (settings), error);
  if (format == NULL)
    return FALSE;

  for (guint i = 0; i < KASSA_SHOP_DEMO_N_INVOICES; i++)
    {
      KassaCustomer *customer = g_ptr_array_index (demo->customers, i);
      g_autoptr(KassaInvoice) invoice = NULL;
      g_autoptr(GDateTime) issued = g_date_time_add_days (demo->now, -21 + 7 * (gint) i);
      g_autoptr(GDateTime) due = g_date_time_add_days (issued, kassa_store_settings_get_invoice_due_days (settings));
      g_autoptr(JsonNode) payload = NULL;
      g_autoptr(KassaJournalEntry) entry = NULL;
      g_autofree char *token = NULL;
      g_autofree char *invoice_id = NULL;

      invoice = g_object_new (KASSA_TYPE_INVOICE,
                              "customer-id", kassa_customer_get_id (customer),
                              "currency-code", demo->currency,
                              "buyer-name", kassa_customer_get_name (customer),
                              "buyer-email", kassa_customer_get_email (customer),
                              "buyer-address", kassa_customer_get_billing_address (customer),
                              NULL);
      if (!kassa_invoice_set_prices_include_tax (invoice, FALSE, error))
        return FALSE;

      for (guint l = 0; l < 2; l++)
        {
          guint which = (i + l * 2) % G_N_ELEMENTS (lines);
          g_autoptr(KassaInvoiceLine) line = g_object_new (KASSA_TYPE_INVOICE_LINE,
                                                           "name", lines[which].name,
                                                           "quantity", lines[which].quantity,
                                                           "unit-price", lines[which].price,
                                                           "tax-rate", lines[which].rate,
                                                           NULL);

          if (!kassa_invoice_add_line (invoice, line, error))
            return FALSE;
        }

      /* Public links must not be guessable, so the token stays random
       * even in a demo made from a seed. */
      token = kassa_token_generate_public (error);
      if (token == NULL || !kassa_database_begin (database, error))
        return FALSE;

      if (!kassa_invoice_repository_issue (invoices, invoice, format, issued, due, token, error))
        goto failed;

      payload = invoice_payload (invoice);
      entry = kassa_journal_append (kassa_shop_get_journal (demo->shop), "invoice", payload, error);
      invoice_id = g_strdup_printf ("%" PRId64, kassa_invoice_get_id (invoice));
      if (entry == NULL ||
          kassa_audit_log_record (kassa_shop_get_audit_log (demo->shop), demo->result->admin_id,
                                  "invoice.issue", "invoice", invoice_id, NULL, error) == 0 ||
          !kassa_database_commit (database, error))
        goto failed;

      demo->result->n_invoices++;
      continue;

    failed:
      kassa_database_rollback (database, NULL);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_empty (Demo    *demo,
             GError **error)
{
  g_autoptr(KassaCatalogRepository) catalog =
    kassa_catalog_repository_new (kassa_shop_get_database (demo->shop));
  guint n_items = 0;

  if (!kassa_catalog_repository_count (catalog, KASSA_CATALOG_FILTER_ANY, &n_items, error))
    return FALSE;

  if (n_items > 0)
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The store %s already has %u catalog item: demo data only goes into an empty store",
                                "The store %s already has %u catalog items: demo data only goes into an empty store",
                                n_items),
                   kassa_shop_get_path (demo->shop), n_items);
      return FALSE;
    }

  return TRUE;
}

/* The small part every demo has, all or nothing. */
static gboolean
fill_basics (Demo    *demo,
             GError **error)
{
  KassaDatabase *database = kassa_shop_get_database (demo->shop);

  if (!kassa_database_begin (database, error))
    return FALSE;

  if (check_empty (demo, error) &&
      fill_profile (demo, error) &&
      fill_tax_rates (demo, error) &&
      fill_staff (demo, error) &&
      fill_handwritten_items (demo, error) &&
      fill_customers (demo, error) &&
      open_shift (demo, error) &&
      kassa_database_commit (database, error))
    return TRUE;

  kassa_database_rollback (database, NULL);
  return FALSE;
}

/**
 * kassa_shop_fill_demo:
 * @options: (nullable): what to make; KASSA_SHOP_DEMO_OPTIONS_INIT when %NULL
 * @result: (out) (optional): what was made
 */
gboolean
kassa_shop_fill_demo (KassaShop                  *shop,
                      const KassaShopDemoOptions *options,
                      KassaShopDemoResult        *result,
                      GError                    **error)
{
  static const KassaShopDemoOptions defaults = KASSA_SHOP_DEMO_OPTIONS_INIT;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GPtrArray) till_items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  KassaShopDemoResult made = { 0 };
  Demo demo = { 0 };
  gboolean ok;

  g_return_val_if_fail (KASSA_IS_SHOP (shop), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options == NULL)
    options = &defaults;

  if (!kassa_shop_is_system (shop))
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_PERMISSION_DENIED,
                           _("Only a local tool with the store file may fill it with demo data"));
      return FALSE;
    }

  if (kassa_currency_lookup (options->currency != NULL ? options->currency : "EUR", error) == NULL)
    return FALSE;

  rand = g_rand_new_with_seed (options->seed);
  demo.shop = shop;
  demo.options = options;
  demo.result = &made;
  demo.rand = rand;
  demo.currency = options->currency != NULL ? options->currency : "EUR";
  demo.now = now;
  demo.till_items = till_items;
  demo.customers = customers;

  ok = fill_basics (&demo, error) &&
       (options->n_products <= KASSA_SHOP_DEMO_N_HANDWRITTEN ||
        fill_generated_items (&demo, options->n_products - KASSA_SHOP_DEMO_N_HANDWRITTEN, error)) &&
       fill_orders (&demo, error) &&
       fill_invoices (&demo, error);

  if (result != NULL)
    *result = made;

  return ok;
}
