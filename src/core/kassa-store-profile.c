/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-store-profile"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kassa-error.h"
#include "kassa-store-profile.h"
#include "kassa-text.h"

enum {
  PROP_0,
  PROP_NAME,
  PROP_TAGLINE,
  PROP_ADDRESS,
  PROP_TAX_ID,
  PROP_EMAIL,
  PROP_PHONE,
  PROP_WEBSITE,
  PROP_RECEIPT_FOOTER,
  N_TEXT_PROPS,
  PROP_LOGO = N_TEXT_PROPS,
  N_PROPS
};

struct _KassaStoreProfile
{
  GObject parent_instance;

  /* Indexed by the text properties' ids, so one getter and one setter
   * serve them all. */
  char   *texts[N_TEXT_PROPS];
  GBytes *logo;
};

G_DEFINE_FINAL_TYPE (KassaStoreProfile, kassa_store_profile, G_TYPE_OBJECT)

static GParamSpec *properties [N_PROPS];

static const char *text_property_names[N_TEXT_PROPS] = {
  [PROP_NAME] = "name",
  [PROP_TAGLINE] = "tagline",
  [PROP_ADDRESS] = "address",
  [PROP_TAX_ID] = "tax-id",
  [PROP_EMAIL] = "email",
  [PROP_PHONE] = "phone",
  [PROP_WEBSITE] = "website",
  [PROP_RECEIPT_FOOTER] = "receipt-footer",
};

static const char *
get_text (KassaStoreProfile *self,
          guint              prop_id)
{
  g_return_val_if_fail (KASSA_IS_STORE_PROFILE (self), NULL);

  return self->texts[prop_id] != NULL ? self->texts[prop_id] : "";
}

static void
set_text (KassaStoreProfile *self,
          guint              prop_id,
          const char        *text)
{
  g_return_if_fail (KASSA_IS_STORE_PROFILE (self));

  if (text != NULL && text[0] == '\0')
    text = NULL;

  if (g_strcmp0 (self->texts[prop_id], text) == 0)
    return;

  g_free (self->texts[prop_id]);
  self->texts[prop_id] = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
kassa_store_profile_finalize (GObject *object)
{
  KassaStoreProfile *self = KASSA_STORE_PROFILE (object);

  for (guint i = 0; i < N_TEXT_PROPS; i++)
    g_clear_pointer (&self->texts[i], g_free);
  g_clear_pointer (&self->logo, g_bytes_unref);

  G_OBJECT_CLASS (kassa_store_profile_parent_class)->finalize (object);
}

static void
kassa_store_profile_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  KassaStoreProfile *self = KASSA_STORE_PROFILE (object);

  if (prop_id > PROP_0 && prop_id < N_TEXT_PROPS)
    g_value_set_string (value, get_text (self, prop_id));
  else if (prop_id == PROP_LOGO)
    g_value_set_boxed (value, self->logo);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
kassa_store_profile_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  KassaStoreProfile *self = KASSA_STORE_PROFILE (object);

  if (prop_id > PROP_0 && prop_id < N_TEXT_PROPS)
    set_text (self, prop_id, g_value_get_string (value));
  else if (prop_id == PROP_LOGO)
    kassa_store_profile_set_logo (self, g_value_get_boxed (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
kassa_store_profile_class_init (KassaStoreProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kassa_store_profile_finalize;
  object_class->get_property = kassa_store_profile_get_property;
  object_class->set_property = kassa_store_profile_set_property;

  for (guint i = PROP_0 + 1; i < N_TEXT_PROPS; i++)
    properties[i] = g_param_spec_string (text_property_names[i], NULL, NULL,
                                         "",
                                         (G_PARAM_READWRITE |
                                          G_PARAM_EXPLICIT_NOTIFY |
                                          G_PARAM_STATIC_STRINGS));

  properties [PROP_LOGO] =
    g_param_spec_boxed ("logo", NULL, NULL,
                        G_TYPE_BYTES,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_store_profile_init (KassaStoreProfile *self)
{
}

KassaStoreProfile *
kassa_store_profile_new (void)
{
  return g_object_new (KASSA_TYPE_STORE_PROFILE, NULL);
}

KassaStoreProfile *
kassa_store_profile_copy (KassaStoreProfile *self)
{
  KassaStoreProfile *copy;

  g_return_val_if_fail (KASSA_IS_STORE_PROFILE (self), NULL);

  copy = kassa_store_profile_new ();
  for (guint i = PROP_0 + 1; i < N_TEXT_PROPS; i++)
    copy->texts[i] = g_strdup (self->texts[i]);
  copy->logo = self->logo != NULL ? g_bytes_ref (self->logo) : NULL;

  return copy;
}

const char *
kassa_store_profile_get_name (KassaStoreProfile *self)
{
  return get_text (self, PROP_NAME);
}

void
kassa_store_profile_set_name (KassaStoreProfile *self,
                              const char        *name)
{
  set_text (self, PROP_NAME, name);
}

const char *
kassa_store_profile_get_tagline (KassaStoreProfile *self)
{
  return get_text (self, PROP_TAGLINE);
}

void
kassa_store_profile_set_tagline (KassaStoreProfile *self,
                                 const char        *tagline)
{
  set_text (self, PROP_TAGLINE, tagline);
}

const char *
kassa_store_profile_get_address (KassaStoreProfile *self)
{
  return get_text (self, PROP_ADDRESS);
}

void
kassa_store_profile_set_address (KassaStoreProfile *self,
                                 const char        *address)
{
  set_text (self, PROP_ADDRESS, address);
}

const char *
kassa_store_profile_get_tax_id (KassaStoreProfile *self)
{
  return get_text (self, PROP_TAX_ID);
}

void
kassa_store_profile_set_tax_id (KassaStoreProfile *self,
                                const char        *tax_id)
{
  set_text (self, PROP_TAX_ID, tax_id);
}

const char *
kassa_store_profile_get_email (KassaStoreProfile *self)
{
  return get_text (self, PROP_EMAIL);
}

void
kassa_store_profile_set_email (KassaStoreProfile *self,
                               const char        *email)
{
  set_text (self, PROP_EMAIL, email);
}

const char *
kassa_store_profile_get_phone (KassaStoreProfile *self)
{
  return get_text (self, PROP_PHONE);
}

void
kassa_store_profile_set_phone (KassaStoreProfile *self,
                               const char        *phone)
{
  set_text (self, PROP_PHONE, phone);
}

const char *
kassa_store_profile_get_website (KassaStoreProfile *self)
{
  return get_text (self, PROP_WEBSITE);
}

void
kassa_store_profile_set_website (KassaStoreProfile *self,
                                 const char        *website)
{
  set_text (self, PROP_WEBSITE, website);
}

const char *
kassa_store_profile_get_receipt_footer (KassaStoreProfile *self)
{
  return get_text (self, PROP_RECEIPT_FOOTER);
}

void
kassa_store_profile_set_receipt_footer (KassaStoreProfile *self,
                                        const char        *receipt_footer)
{
  set_text (self, PROP_RECEIPT_FOOTER, receipt_footer);
}

GBytes *
kassa_store_profile_get_logo (KassaStoreProfile *self)
{
  g_return_val_if_fail (KASSA_IS_STORE_PROFILE (self), NULL);

  return self->logo;
}

void
kassa_store_profile_set_logo (KassaStoreProfile *self,
                              GBytes            *logo)
{
  g_return_if_fail (KASSA_IS_STORE_PROFILE (self));

  if (logo != NULL && g_bytes_get_size (logo) == 0)
    logo = NULL;

  if (self->logo == logo ||
      (self->logo != NULL && logo != NULL && g_bytes_equal (self->logo, logo)))
    return;

  g_clear_pointer (&self->logo, g_bytes_unref);
  self->logo = logo != NULL ? g_bytes_ref (logo) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGO]);
}

gboolean
kassa_store_profile_validate (KassaStoreProfile  *self,
                              GError            **error)
{
  static const guint8 png_signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  g_return_val_if_fail (KASSA_IS_STORE_PROFILE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (kassa_text_is_blank (self->texts[PROP_NAME]))
    {
      g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                           _("The store needs a name"));
      return FALSE;
    }

  if (self->texts[PROP_EMAIL] != NULL &&
      !kassa_text_is_email_address (self->texts[PROP_EMAIL]))
    {
      g_set_error (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                   _("“%s” is not an e-mail address"), self->texts[PROP_EMAIL]);
      return FALSE;
    }

  if (self->logo != NULL)
    {
      gsize size;
      const guint8 *data = g_bytes_get_data (self->logo, &size);

      if (size < sizeof png_signature ||
          memcmp (data, png_signature, sizeof png_signature) != 0)
        {
          g_set_error_literal (error, KASSA_ERROR, KASSA_ERROR_INVALID,
                               _("The logo must be a PNG image"));
          return FALSE;
        }
    }

  return TRUE;
}
