/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-journal"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "kassa-journal.h"
#include "kassa-store-error.h"
#include "kassa-store-private.h"
#include "kassa-store-text.h"

/*
 * The hash chain
 *
 * Entry N stores hash(N) = lowercase hex SHA-256 of the UTF-8 bytes
 *
 *   previous_hash "\n" sequence "\n" created_at "\n" kind "\n" payload
 *
 * where previous_hash is hash(N-1) (KASSA_JOURNAL_GENESIS_HASH for the
 * first entry), sequence is the decimal number without leading zeros,
 * created_at is UTC as YYYY-MM-DDTHH:MM:SS.ffffffZ, kind matches
 * [a-z0-9._-]+ and payload is the canonical JSON text exactly as stored.
 * Every field but the payload is free of newlines and the payload comes
 * last, so no two different entries hash the same bytes. Every column
 * of the row is covered; changing any of them, or moving a row, breaks
 * the chain at that row.
 *
 * Canonical JSON is json-glib's compact output of the payload with the
 * members of every object sorted by key (byte order of UTF-8). Floating
 * point numbers are refused: their text is not stable across libraries,
 * and money never uses them.
 *
 * What the chain cannot show on its own: the last entries being cut off,
 * or the whole tail being rewritten with fresh hashes. Reports that print
 * the head (sequence and hash) anchor it outside the file.
 */

struct _KassaJournal
{
  GObject        parent_instance;

  KassaDatabase *database;
};

G_DEFINE_FINAL_TYPE (KassaJournal, kassa_journal, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (KassaJournalEntry, kassa_journal_entry,
                     kassa_journal_entry_copy, kassa_journal_entry_free)

enum {
  PROP_0,
  PROP_DATABASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
kind_is_valid (const char *kind)
{
  if (kind == NULL || kind[0] == '\0')
    return FALSE;

  for (const char *p = kind; *p != '\0'; p++)
    {
      if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) ||
            *p == '.' || *p == '_' || *p == '-'))
        return FALSE;
    }

  return TRUE;
}

static int
compare_member_names (gconstpointer a,
                      gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Whether @node is already canonical: members of every object in
 * ascending order, no fractional numbers. Writers that build their
 * payload in that order spare the copy. */
static gboolean
is_canonical (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name, *previous = NULL;
        JsonNode *child;

        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &child))
          {
            if ((previous != NULL && strcmp (previous, name) >= 0) || !is_canonical (child))
              return FALSE;
            previous = name;
          }
        return TRUE;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (!is_canonical (json_array_get_element (array, i)))
              return FALSE;
          }
        return TRUE;
      }

    case JSON_NODE_VALUE:
      return json_node_get_value_type (node) != G_TYPE_DOUBLE;

    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

static JsonNode *
sorted_copy (JsonNode  *node,
             GError   **error)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(JsonObject) sorted = json_object_new ();
        g_autoptr(GList) members = json_object_get_members (object);
        g_autoptr(GPtrArray) names = g_ptr_array_new ();
        JsonNode *result;

        for (const GList *l = members; l != NULL; l = l->next)
          g_ptr_array_add (names, l->data);

        g_ptr_array_sort (names, compare_member_names);

        for (guint i = 0; i < names->len; i++)
          {
            const char *name = g_ptr_array_index (names, i);
            JsonNode *child = sorted_copy (json_object_get_member (object, name), error);

            if (child == NULL)
              return NULL;

            json_object_set_member (sorted, name, child);
          }

        result = json_node_new (JSON_NODE_OBJECT);
        json_node_set_object (result, sorted);
        return result;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        g_autoptr(JsonArray) copy = json_array_sized_new (json_array_get_length (array));
        JsonNode *result;

        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            JsonNode *child = sorted_copy (json_array_get_element (array, i), error);

            if (child == NULL)
              return NULL;

            json_array_add_element (copy, child);
          }

        result = json_node_new (JSON_NODE_ARRAY);
        json_node_set_array (result, copy);
        return result;
      }

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        {
          g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                       _("Recorded data may not contain fractional numbers; use integers or strings"));
          return NULL;
        }
      return json_node_copy (node);

    case JSON_NODE_NULL:
    default:
      return json_node_copy (node);
    }
}

static KassaJournalEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  KassaJournalEntry *entry = g_new0 (KassaJournalEntry, 1);

  entry->sequence = sqlite3_column_int64 (stmt, 0);
  entry->created_at = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  entry->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  entry->payload = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  entry->previous_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  entry->hash = g_strdup ((const char *) sqlite3_column_text (stmt, 5));

  return entry;
}

static void
kassa_journal_dispose (GObject *object)
{
  KassaJournal *self = (KassaJournal *)object;

  g_clear_object (&self->database);

  G_OBJECT_CLASS (kassa_journal_parent_class)->dispose (object);
}

static void
kassa_journal_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KassaJournal *self = KASSA_JOURNAL (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      g_value_set_object (value, self->database);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_journal_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  KassaJournal *self = KASSA_JOURNAL (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      self->database = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_journal_class_init (KassaJournalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kassa_journal_dispose;
  object_class->get_property = kassa_journal_get_property;
  object_class->set_property = kassa_journal_set_property;

  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL,
                         KASSA_TYPE_DATABASE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_journal_init (KassaJournal *self)
{
}

KassaJournalEntry *
kassa_journal_entry_copy (const KassaJournalEntry *entry)
{
  KassaJournalEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_new0 (KassaJournalEntry, 1);
  copy->sequence = entry->sequence;
  copy->created_at = g_strdup (entry->created_at);
  copy->kind = g_strdup (entry->kind);
  copy->payload = g_strdup (entry->payload);
  copy->previous_hash = g_strdup (entry->previous_hash);
  copy->hash = g_strdup (entry->hash);

  return copy;
}

void
kassa_journal_entry_free (KassaJournalEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->created_at);
  g_free (entry->kind);
  g_free (entry->payload);
  g_free (entry->previous_hash);
  g_free (entry->hash);
  g_free (entry);
}

KassaJournal *
kassa_journal_new (KassaDatabase *database)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (database), NULL);

  return g_object_new (KASSA_TYPE_JOURNAL,
                       "database", database,
                       NULL);
}

KassaDatabase *
kassa_journal_get_database (KassaJournal *self)
{
  g_return_val_if_fail (KASSA_IS_JOURNAL (self), NULL);

  return self->database;
}

/**
 * kassa_journal_canonicalize:
 * @node: a JSON value
 * @error: a location for a #GError
 *
 * Returns: (transfer full): @node as canonical JSON (compact, object
 *   members sorted by key), or %NULL when it holds a fractional number
 */
char *
kassa_journal_canonicalize (JsonNode  *node,
                            GError   **error)
{
  g_autoptr(JsonNode) sorted = NULL;
  g_autoptr(JsonGenerator) generator = NULL;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!is_canonical (node))
    {
      sorted = sorted_copy (node, error);
      if (sorted == NULL)
        return NULL;
    }

  generator = json_generator_new ();
  json_generator_set_pretty (generator, FALSE);
  json_generator_set_root (generator, sorted != NULL ? sorted : node);

  return json_generator_to_data (generator, NULL);
}

/**
 * kassa_journal_compute_hash:
 * @previous_hash: the previous entry's hash, or %KASSA_JOURNAL_GENESIS_HASH
 * @sequence: the entry's sequence number
 * @created_at: the entry's time
 * @kind: the entry's kind
 * @payload: the entry's canonical JSON
 *
 * The hash is the lowercase hex SHA-256 of
 * `previous_hash "\n" sequence "\n" created_at "\n" kind "\n" payload`
 * (sequence in decimal); see the definition at the top of this file.
 *
 * Returns: (transfer full): the entry's hash
 */
char *
kassa_journal_compute_hash (const char *previous_hash,
                            gint64      sequence,
                            const char *created_at,
                            const char *kind,
                            const char *payload)
{
  g_autoptr(GChecksum) checksum = NULL;
  char number[32];

  g_return_val_if_fail (previous_hash != NULL, NULL);
  g_return_val_if_fail (created_at != NULL, NULL);
  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (payload != NULL, NULL);

  g_snprintf (number, sizeof number, "%" PRId64, sequence);

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *) previous_hash, strlen (previous_hash));
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) number, strlen (number));
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) created_at, strlen (created_at));
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) kind, strlen (kind));
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) payload, strlen (payload));

  return g_strdup (g_checksum_get_string (checksum));
}

/* The one entry @sql selects (binding @sequence as ?1 when it has one),
 * NULL without an error when there is none. */
static KassaJournalEntry *
get_one (KassaJournal  *self,
         const char    *sql,
         gint64         sequence,
         GError       **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  stmt = kassa_database_prepare (self->database, sql, error);
  if (stmt == NULL)
    return NULL;

  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, sequence);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return entry_from_row (stmt);

  if (rc != SQLITE_DONE)
    kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                       _("Reading the journal"));
  return NULL;
}

/**
 * kassa_journal_get_last:
 * @self: a #KassaJournal
 * @error: a location for a #GError
 *
 * The head of the chain, for reports that anchor it outside the file.
 *
 * Returns: (transfer full) (nullable): the newest entry, or %NULL with
 *   @error unset when the journal is empty
 */
KassaJournalEntry *
kassa_journal_get_last (KassaJournal  *self,
                        GError       **error)
{
  g_return_val_if_fail (KASSA_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return get_one (self,
                  "SELECT sequence, created_at, kind, payload, previous_hash, hash "
                  "FROM journal ORDER BY sequence DESC LIMIT 1",
                  0, error);
}

/**
 * kassa_journal_get_entry:
 * @self: a #KassaJournal
 * @sequence: the entry's number, from 1
 * @error: a location for a #GError
 *
 * Returns: (transfer full) (nullable): the entry, or %NULL when the
 *   journal has none of that number (no error) or on failure (@error set)
 */
KassaJournalEntry *
kassa_journal_get_entry (KassaJournal  *self,
                         gint64         sequence,
                         GError       **error)
{
  g_return_val_if_fail (KASSA_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return get_one (self,
                  "SELECT sequence, created_at, kind, payload, previous_hash, hash "
                  "FROM journal WHERE sequence = ?1",
                  sequence, error);
}

/**
 * kassa_journal_append:
 * @self: a #KassaJournal
 * @kind: what happened, such as `sale` or `shift.close` ([a-z0-9._-]+)
 * @payload: a JSON object describing it
 * @error: a location for a #GError
 *
 * Appends an entry to the chain. It must run inside the caller's open
 * transaction (kassa_database_begin()), so the entry is stored exactly
 * when the change it records is; without one this fails with
 * %KASSA_STORE_ERROR_NO_TRANSACTION.
 *
 * Returns: (transfer full): the new entry, or %NULL with @error set
 */
KassaJournalEntry *
kassa_journal_append (KassaJournal  *self,
                      const char    *kind,
                      JsonNode      *payload,
                      GError       **error)
{
  g_autoptr(KassaStatement) insert = NULL;
  g_autoptr(KassaJournalEntry) last = NULL;
  g_autoptr(KassaJournalEntry) entry = NULL;
  g_autoptr(GError) local_error = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (payload != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!kassa_database_in_transaction (self->database))
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_NO_TRANSACTION,
                   _("Journal entries are written inside the transaction of the change they record"));
      return NULL;
    }

  if (!kind_is_valid (kind))
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                   _("“%s” is not a valid journal entry kind"), kind);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (payload))
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                   _("A journal entry's data must be a JSON object"));
      return NULL;
    }

  entry = g_new0 (KassaJournalEntry, 1);
  entry->payload = kassa_journal_canonicalize (payload, error);
  if (entry->payload == NULL)
    return NULL;

  /* The transaction holds the write lock, so nobody else can take the
   * next sequence number between this read and the insert. */
  last = kassa_journal_get_last (self, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  entry->sequence = last != NULL ? last->sequence + 1 : 1;
  entry->previous_hash = g_strdup (last != NULL ? last->hash : KASSA_JOURNAL_GENESIS_HASH);
  entry->created_at = kassa_store_now_text ();
  entry->kind = g_strdup (kind);
  entry->hash = kassa_journal_compute_hash (entry->previous_hash, entry->sequence,
                                            entry->created_at, entry->kind, entry->payload);

  insert = kassa_database_prepare (self->database,
                                   "INSERT INTO journal (sequence, created_at, kind, payload, previous_hash, hash) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                   error);
  if (insert == NULL)
    return NULL;

  sqlite3_bind_int64 (insert, 1, entry->sequence);
  sqlite3_bind_text (insert, 2, entry->created_at, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 3, entry->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, entry->payload, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 5, entry->previous_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 6, entry->hash, -1, SQLITE_STATIC);

  rc = sqlite3_step (insert);
  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Writing the journal"));
      return NULL;
    }

  return g_steal_pointer (&entry);
}

static gboolean
find_sequence_of_hash (KassaJournal  *self,
                       const char    *hash,
                       gint64        *out_sequence,
                       GError       **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  *out_sequence = 0;

  stmt = kassa_database_prepare (self->database,
                                 "SELECT sequence FROM journal WHERE hash = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_sequence = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading the journal"));
      return FALSE;
    }

  return TRUE;
}

/**
 * kassa_journal_verify:
 * @self: a #KassaJournal
 * @out_n_entries: (out) (optional): how many entries were checked
 * @out_first_broken: (out) (optional): the sequence number of the first
 *   entry that fails, 0 when all verify
 * @out_reason: (out) (optional): why it fails
 * @error: a location for a #GError
 *
 * Walks the chain from the first entry and recomputes every hash.
 *
 * Returns: %TRUE when the chain is intact; %FALSE with
 *   %KASSA_STORE_ERROR_JOURNAL_BROKEN naming the first broken entry, or
 *   another error when the journal could not be read
 */
gboolean
kassa_journal_verify (KassaJournal       *self,
                      gint64             *out_n_entries,
                      gint64             *out_first_broken,
                      KassaJournalBreak  *out_reason,
                      GError            **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autofree char *previous_hash = g_strdup (KASSA_JOURNAL_GENESIS_HASH);
  KassaJournalBreak reason = KASSA_JOURNAL_BREAK_NONE;
  gint64 expected = 1;
  gint64 n_entries = 0;
  gint64 broken = 0;
  int rc;

  g_return_val_if_fail (KASSA_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_n_entries != NULL)
    *out_n_entries = 0;
  if (out_first_broken != NULL)
    *out_first_broken = 0;
  if (out_reason != NULL)
    *out_reason = KASSA_JOURNAL_BREAK_NONE;

  /* One statement walks the table, so the whole walk reads one snapshot
   * even while the till keeps appending. */
  stmt = kassa_database_prepare (self->database,
                                 "SELECT sequence, created_at, kind, payload, previous_hash, hash "
                                 "FROM journal ORDER BY sequence",
                                 error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 sequence = sqlite3_column_int64 (stmt, 0);
      const char *created_at = (const char *) sqlite3_column_text (stmt, 1);
      const char *kind = (const char *) sqlite3_column_text (stmt, 2);
      const char *payload = (const char *) sqlite3_column_text (stmt, 3);
      const char *stored_previous = (const char *) sqlite3_column_text (stmt, 4);
      const char *stored_hash = (const char *) sqlite3_column_text (stmt, 5);
      g_autofree char *hash = NULL;

      if (sequence != expected)
        {
          broken = expected;
          reason = KASSA_JOURNAL_BREAK_GAP;
          break;
        }

      if (g_strcmp0 (stored_previous, previous_hash) != 0)
        {
          gint64 linked = 0;

          if (stored_previous != NULL &&
              !find_sequence_of_hash (self, stored_previous, &linked, error))
            return FALSE;

          broken = sequence;
          reason = linked != 0 ? KASSA_JOURNAL_BREAK_REORDERED : KASSA_JOURNAL_BREAK_CHAIN;
          break;
        }

      hash = kassa_journal_compute_hash (previous_hash, sequence,
                                         created_at != NULL ? created_at : "",
                                         kind != NULL ? kind : "",
                                         payload != NULL ? payload : "");
      if (g_strcmp0 (hash, stored_hash) != 0)
        {
          broken = sequence;
          reason = KASSA_JOURNAL_BREAK_HASH_MISMATCH;
          break;
        }

      g_free (previous_hash);
      previous_hash = g_steal_pointer (&hash);
      expected++;
      n_entries++;
    }

  if (reason == KASSA_JOURNAL_BREAK_NONE && rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, kassa_database_get_handle (self->database), rc,
                                         _("Reading the journal"));
      return FALSE;
    }

  if (out_n_entries != NULL)
    *out_n_entries = n_entries;

  if (reason == KASSA_JOURNAL_BREAK_NONE)
    return TRUE;

  if (out_first_broken != NULL)
    *out_first_broken = broken;
  if (out_reason != NULL)
    *out_reason = reason;

  switch (reason)
    {
    case KASSA_JOURNAL_BREAK_GAP:
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_JOURNAL_BROKEN,
                   _("Journal entry %" PRId64 " is missing: entries were deleted"),
                   broken);
      break;

    case KASSA_JOURNAL_BREAK_REORDERED:
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_JOURNAL_BROKEN,
                   _("Journal entry %" PRId64 " is out of place: entries were reordered"),
                   broken);
      break;

    case KASSA_JOURNAL_BREAK_CHAIN:
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_JOURNAL_BROKEN,
                   _("Journal entry %" PRId64 " does not follow the entry before it: "
                     "entries were removed or its link was edited"),
                   broken);
      break;

    case KASSA_JOURNAL_BREAK_HASH_MISMATCH:
    case KASSA_JOURNAL_BREAK_NONE:
    default:
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_JOURNAL_BROKEN,
                   _("Journal entry %" PRId64 " does not match its hash: it was altered"),
                   broken);
      break;
    }

  return FALSE;
}
