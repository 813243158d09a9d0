/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Who the shop is, as printed on receipts and invoices: its name, tagline,
 * address and contact lines, tax identifier, the receipt footer and the
 * logo (PNG bytes). Texts are kept exactly as typed, line breaks
 * included; the store keeps one profile, and backups carry it. */

#define KASSA_TYPE_STORE_PROFILE (kassa_store_profile_get_type ())

G_DECLARE_FINAL_TYPE (KassaStoreProfile, kassa_store_profile, KASSA, STORE_PROFILE, GObject)

KassaStoreProfile *kassa_store_profile_new                (void);
KassaStoreProfile *kassa_store_profile_copy               (KassaStoreProfile  *self);

const char        *kassa_store_profile_get_name           (KassaStoreProfile  *self);
void               kassa_store_profile_set_name           (KassaStoreProfile  *self,
                                                           const char         *name);
const char        *kassa_store_profile_get_tagline        (KassaStoreProfile  *self);
void               kassa_store_profile_set_tagline        (KassaStoreProfile  *self,
                                                           const char         *tagline);
const char        *kassa_store_profile_get_address        (KassaStoreProfile  *self);
void               kassa_store_profile_set_address        (KassaStoreProfile  *self,
                                                           const char         *address);
const char        *kassa_store_profile_get_tax_id         (KassaStoreProfile  *self);
void               kassa_store_profile_set_tax_id         (KassaStoreProfile  *self,
                                                           const char         *tax_id);
const char        *kassa_store_profile_get_email          (KassaStoreProfile  *self);
void               kassa_store_profile_set_email          (KassaStoreProfile  *self,
                                                           const char         *email);
const char        *kassa_store_profile_get_phone          (KassaStoreProfile  *self);
void               kassa_store_profile_set_phone          (KassaStoreProfile  *self,
                                                           const char         *phone);
const char        *kassa_store_profile_get_website        (KassaStoreProfile  *self);
void               kassa_store_profile_set_website        (KassaStoreProfile  *self,
                                                           const char         *website);
const char        *kassa_store_profile_get_receipt_footer (KassaStoreProfile  *self);
void               kassa_store_profile_set_receipt_footer (KassaStoreProfile  *self,
                                                           const char         *receipt_footer);
/* PNG data, or NULL when the shop has no logo. */
GBytes            *kassa_store_profile_get_logo           (KassaStoreProfile  *self);
void               kassa_store_profile_set_logo           (KassaStoreProfile  *self,
                                                           GBytes             *logo);

/* A name is required; an e-mail address, when given, looks like one;
 * a logo, when given, is PNG data. */
gboolean           kassa_store_profile_validate           (KassaStoreProfile  *self,
                                                           GError            **error);

G_END_DECLS
