/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-catalog-model"

#include "config.h"

#include "kassa-catalog-item.h"
#include "kassa-catalog-model.h"
#include "kassa-catalog-repository.h"
#include "kassa-store-enum-types.h"

struct _KassaCatalogModel
{
  GObject                 parent_instance;

  KassaDatabase          *database;
  KassaCatalogRepository *repository;
  char                   *search_text;
  KassaCatalogFilter      filter;

  guint                   n_items;
  /* Search results are few (capped), so they are held whole. */
  GPtrArray              *results;
  /* page number → GPtrArray of items; @lru holds page numbers, most
   * recently used first. */
  GHashTable             *pages;
  GQueue                  lru;
  /* page number → the last item of that page, kept after the page is
   * evicted: the next page starts right after it, so scrolling on reads
   * only the new rows. One item per page visited, not the catalog. */
  GHashTable             *anchors;
};

static void kassa_catalog_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KassaCatalogModel, kassa_catalog_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, kassa_catalog_model_list_model_init))

enum {
  PROP_0,
  PROP_DATABASE,
  PROP_SEARCH_TEXT,
  PROP_FILTER,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
has_search (KassaCatalogModel *self)
{
  return self->search_text != NULL && self->search_text[0] != '\0';
}

static void
forget_pages (KassaCatalogModel *self)
{
  g_hash_table_remove_all (self->pages);
  g_hash_table_remove_all (self->anchors);
  g_queue_clear (&self->lru);
  g_clear_pointer (&self->results, g_ptr_array_unref);
}

/* Reads the count (or the search results) again; returns the new size. */
static guint
load (KassaCatalogModel *self)
{
  g_autoptr(GError) error = NULL;
  guint n_items = 0;

  forget_pages (self);

  if (has_search (self))
    {
      self->results = kassa_catalog_repository_search (self->repository, self->search_text,
                                                       self->filter, KASSA_CATALOG_SEARCH_MAX_RESULTS,
                                                       &error);
      if (self->results != NULL)
        n_items = self->results->len;
    }
  else
    {
      kassa_catalog_repository_count (self->repository, self->filter, &n_items, &error);
    }

  if (error != NULL)
    g_warning ("Could not read the catalog: %s", error->message);

  return n_items;
}

static void
touch_page (KassaCatalogModel *self,
            guint              page)
{
  GList *link = g_queue_find (&self->lru, GUINT_TO_POINTER (page));

  if (link != NULL)
    g_queue_unlink (&self->lru, link);
  else
    link = g_list_alloc ();

  link->data = GUINT_TO_POINTER (page);
  g_queue_push_head_link (&self->lru, link);

  while (self->lru.length > KASSA_CATALOG_MODEL_MAX_PAGES)
    {
      guint oldest = GPOINTER_TO_UINT (g_queue_pop_tail (&self->lru));

      g_hash_table_remove (self->pages, GUINT_TO_POINTER (oldest));
    }
}

static GPtrArray *
get_page (KassaCatalogModel *self,
          guint              page)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  items = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  if (items == NULL)
    {
      KassaCatalogItem *anchor = NULL;
      guint anchor_page = page;

      /* The nearest earlier page whose end is known. */
      while (anchor_page > 0 && anchor == NULL)
        anchor = g_hash_table_lookup (self->anchors, GUINT_TO_POINTER (--anchor_page));

      if (anchor != NULL)
        items = kassa_catalog_repository_list_after (self->repository, self->filter, anchor,
                                                     (page - anchor_page - 1) * KASSA_CATALOG_MODEL_PAGE_SIZE,
                                                     KASSA_CATALOG_MODEL_PAGE_SIZE, &error);
      else
        items = kassa_catalog_repository_list (self->repository, self->filter,
                                               page * KASSA_CATALOG_MODEL_PAGE_SIZE,
                                               KASSA_CATALOG_MODEL_PAGE_SIZE, &error);
      if (items == NULL)
        {
          g_warning ("Could not read the catalog: %s", error->message);
          return NULL;
        }

      g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), items);
      if (items->len == KASSA_CATALOG_MODEL_PAGE_SIZE)
        g_hash_table_insert (self->anchors, GUINT_TO_POINTER (page),
                             g_object_ref (g_ptr_array_index (items, items->len - 1)));
    }

  touch_page (self, page);
  return items;
}

static GType
kassa_catalog_model_get_item_type (GListModel *model)
{
  return KASSA_TYPE_CATALOG_ITEM;
}

static guint
kassa_catalog_model_get_n_items (GListModel *model)
{
  return KASSA_CATALOG_MODEL (model)->n_items;
}

static gpointer
kassa_catalog_model_get_item (GListModel *model,
                              guint       position)
{
  KassaCatalogModel *self = KASSA_CATALOG_MODEL (model);
  GPtrArray *items;
  guint index;

  if (position >= self->n_items)
    return NULL;

  if (has_search (self))
    {
      if (self->results == NULL || position >= self->results->len)
        return NULL;
      return g_object_ref (g_ptr_array_index (self->results, position));
    }

  items = get_page (self, position / KASSA_CATALOG_MODEL_PAGE_SIZE);
  index = position % KASSA_CATALOG_MODEL_PAGE_SIZE;

  /* The catalog shrank since the last reload: a short page. */
  if (items == NULL || index >= items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (items, index));
}

static void
kassa_catalog_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = kassa_catalog_model_get_item_type;
  iface->get_n_items = kassa_catalog_model_get_n_items;
  iface->get_item = kassa_catalog_model_get_item;
}

static void
kassa_catalog_model_constructed (GObject *object)
{
  KassaCatalogModel *self = (KassaCatalogModel *) object;

  G_OBJECT_CLASS (kassa_catalog_model_parent_class)->constructed (object);

  g_assert (self->database != NULL);
  self->repository = kassa_catalog_repository_new (self->database);
  self->n_items = load (self);
}

static void
kassa_catalog_model_dispose (GObject *object)
{
  KassaCatalogModel *self = (KassaCatalogModel *) object;

  forget_pages (self);
  g_clear_object (&self->repository);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (kassa_catalog_model_parent_class)->dispose (object);
}

static void
kassa_catalog_model_finalize (GObject *object)
{
  KassaCatalogModel *self = (KassaCatalogModel *) object;

  g_hash_table_unref (self->pages);
  g_hash_table_unref (self->anchors);
  g_free (self->search_text);

  G_OBJECT_CLASS (kassa_catalog_model_parent_class)->finalize (object);
}

static void
kassa_catalog_model_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  KassaCatalogModel *self = KASSA_CATALOG_MODEL (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      g_value_set_object (value, self->database);
      break;

    case PROP_SEARCH_TEXT:
      g_value_set_string (value, self->search_text);
      break;

    case PROP_FILTER:
      g_value_set_enum (value, self->filter);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_catalog_model_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  KassaCatalogModel *self = KASSA_CATALOG_MODEL (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      self->database = g_value_dup_object (value);
      break;

    case PROP_SEARCH_TEXT:
      kassa_catalog_model_set_search_text (self, g_value_get_string (value));
      break;

    case PROP_FILTER:
      kassa_catalog_model_set_filter (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_catalog_model_class_init (KassaCatalogModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = kassa_catalog_model_constructed;
  object_class->dispose = kassa_catalog_model_dispose;
  object_class->finalize = kassa_catalog_model_finalize;
  object_class->get_property = kassa_catalog_model_get_property;
  object_class->set_property = kassa_catalog_model_set_property;

  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL,
                         KASSA_TYPE_DATABASE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SEARCH_TEXT] =
    g_param_spec_string ("search-text", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FILTER] =
    g_param_spec_enum ("filter", NULL, NULL,
                       KASSA_TYPE_CATALOG_FILTER,
                       KASSA_CATALOG_FILTER_ANY,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_catalog_model_init (KassaCatalogModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->anchors = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  g_queue_init (&self->lru);
}

KassaCatalogModel *
kassa_catalog_model_new (KassaDatabase *database)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (database), NULL);

  return g_object_new (KASSA_TYPE_CATALOG_MODEL,
                       "database", database,
                       NULL);
}

const char *
kassa_catalog_model_get_search_text (KassaCatalogModel *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_MODEL (self), NULL);

  return self->search_text;
}

void
kassa_catalog_model_set_search_text (KassaCatalogModel *self,
                                     const char        *search_text)
{
  g_return_if_fail (KASSA_IS_CATALOG_MODEL (self));

  if (g_strcmp0 (self->search_text, search_text) == 0)
    return;

  g_free (self->search_text);
  self->search_text = g_strdup (search_text);

  /* Before construction there is nothing to reload yet. */
  if (self->repository != NULL)
    kassa_catalog_model_reload (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_TEXT]);
}

KassaCatalogFilter
kassa_catalog_model_get_filter (KassaCatalogModel *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_MODEL (self), KASSA_CATALOG_FILTER_ANY);

  return self->filter;
}

void
kassa_catalog_model_set_filter (KassaCatalogModel  *self,
                                KassaCatalogFilter  filter)
{
  g_return_if_fail (KASSA_IS_CATALOG_MODEL (self));

  if (self->filter == filter)
    return;

  self->filter = filter;

  if (self->repository != NULL)
    kassa_catalog_model_reload (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER]);
}

void
kassa_catalog_model_reload (KassaCatalogModel *self)
{
  guint old_n_items;

  g_return_if_fail (KASSA_IS_CATALOG_MODEL (self));

  old_n_items = self->n_items;
  self->n_items = load (self);

  if (old_n_items > 0 || self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n_items, self->n_items);

  if (old_n_items != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

guint
kassa_catalog_model_get_n_cached_pages (KassaCatalogModel *self)
{
  g_return_val_if_fail (KASSA_IS_CATALOG_MODEL (self), 0);

  return g_hash_table_size (self->pages);
}
