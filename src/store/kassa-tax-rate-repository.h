/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kassa-database.h"

G_BEGIN_DECLS

/* A tax rate offered when editing items, in ppm (20 % = 200000). Items
 * copy the rate, so archiving one changes no item. */
typedef struct
{
  gint64    id;
  char     *name;
  gint64    rate;
  gboolean  is_default;
  gboolean  archived;
} KassaTaxRateEntry;

#define KASSA_TYPE_TAX_RATE_ENTRY (kassa_tax_rate_entry_get_type ())

GType              kassa_tax_rate_entry_get_type (void) G_GNUC_CONST;
KassaTaxRateEntry *kassa_tax_rate_entry_copy     (const KassaTaxRateEntry *entry);
void               kassa_tax_rate_entry_free     (KassaTaxRateEntry       *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KassaTaxRateEntry, kassa_tax_rate_entry_free)

#define KASSA_TYPE_TAX_RATE_REPOSITORY (kassa_tax_rate_repository_get_type ())

G_DECLARE_FINAL_TYPE (KassaTaxRateRepository, kassa_tax_rate_repository, KASSA, TAX_RATE_REPOSITORY, GObject)

KassaTaxRateRepository *kassa_tax_rate_repository_new         (KassaDatabase           *database);

/* Returns: (transfer full) (element-type KassaTaxRateEntry): by rate, then name */
GPtrArray              *kassa_tax_rate_repository_list        (KassaTaxRateRepository  *self,
                                                               gboolean                 include_archived,
                                                               GError                 **error);
/* @rate in ppm within 0 … 1000000 (KASSA_STORE_ERROR_INVALID otherwise). */
gint64                  kassa_tax_rate_repository_add         (KassaTaxRateRepository  *self,
                                                               const char              *name,
                                                               gint64                   rate,
                                                               GError                 **error);
/* Makes @id the one default rate; an archived rate cannot be the default. */
gboolean                kassa_tax_rate_repository_set_default (KassaTaxRateRepository  *self,
                                                               gint64                   id,
                                                               GError                 **error);
/* The default rate, or %NULL without an error when none is set. */
KassaTaxRateEntry      *kassa_tax_rate_repository_get_default (KassaTaxRateRepository  *self,
                                                               GError                 **error);
/* Hides the rate from new items; an archived default stops being the default. */
gboolean                kassa_tax_rate_repository_archive     (KassaTaxRateRepository  *self,
                                                               gint64                   id,
                                                               GError                 **error);

G_END_DECLS
