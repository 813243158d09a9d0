/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-database"

#include "config.h"

#include <inttypes.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "kassa-database.h"
#include "kassa-store-error.h"
#include "kassa-store-private.h"
#include "kassa-store-resources.h"

/* Long enough to ride out a checkpoint or a backup step of another
 * connection, short enough that a stuck lock surfaces as an error. */
#define BUSY_TIMEOUT_MS 5000

/* SQLite's own automatic checkpoint runs inside the COMMIT that grows
 * the WAL past 1000 pages and fsyncs the database file there, which
 * puts several milliseconds on every thirtieth sale. Commits only post
 * the WAL's size to a thread that checkpoints on its own connection;
 * each COMMIT is still durable on its own (synchronous=FULL syncs the
 * WAL), checkpoints only move committed pages into the main file. */
#define CHECKPOINT_PAGES 1000
/* Should the checkpointer fall this far behind (a stuck thread, a
 * reader that never lets it finish), the committing connection
 * checkpoints itself so the WAL cannot grow without bound. */
/* The WAL file keeps the size it grew to (no journal_size_limit): a
 * commit that overwrites blocks syncs faster than one that extends the
 * file, and this limit bounds that size. */
#define CHECKPOINT_HARD_LIMIT_PAGES 10000
/* A close does not wait long for other processes' readers: what the
 * final checkpoint leaves in the WAL is safe there. */
#define CLOSE_BUSY_TIMEOUT_MS 200

/* Shared between the connection's thread and the checkpointer; the
 * request is one flag, so posting never queues more than one
 * checkpoint however many commits come in before it runs. */
typedef struct
{
  GMutex   lock;
  GCond    cond;
  char    *path;
  gboolean requested;
  gboolean stopping;
  /* Commits of sync-behind transactions are in the WAL, not yet synced. */
  gboolean sync_requested;
  /* Checkpoints that copied the whole WAL into the database file. */
  guint    n_checkpoints;
  /* WAL syncs done for sync-behind transactions. */
  guint    n_wal_syncs;
} Checkpointer;

/*
 * KassaDatabase is one SQLite connection with its statement cache, for
 * use from one thread at a time; another thread (a backup, a writer)
 * opens its own. WAL lets those connections read while one writes.
 */
struct _KassaDatabase
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  GHashTable *statements;
  /* The same statements by the address of the SQL text they were last
   * asked for with. Callers pass string literals, so a lookup by address
   * spares hashing a few hundred characters on every call; a stale
   * address is harmless, as a hit is confirmed by comparing the text.
   * Holds no references: the table above owns the statements. */
  GHashTable *statements_by_address;

  /* Transactions nest: the outermost is BEGIN IMMEDIATE, inner ones are
   * savepoints, so a repository call can open its own transaction and
   * still compose into a caller's (the sale's). */
  guint       depth;
  /* SQLite rolled the whole transaction back on its own (I/O error,
   * disk full); the remaining commits fail and rollbacks only unwind. */
  gboolean    aborted;
  /* The open transaction commits without waiting for the disk
   * (synchronous=NORMAL); see kassa_database_begin_sync_behind(). Stays
   * set should switching back to synchronous=FULL ever fail, so the next
   * transaction tries again before it starts. */
  gboolean    relaxed;
  /* Rollbacks so far, savepoints included: what a caller remembers of
   * the file is stale once one happened since. */
  guint64     n_rollbacks;

  guint       schema_version;

  Checkpointer *checkpointer;
  GThread      *checkpoint_thread;
  /* Frames in the WAL after the last commit, as SQLite reported. */
  int           wal_pages;
  /* The WAL's size when a checkpoint was last asked for. */
  int           wal_pages_posted;
};

G_DEFINE_FINAL_TYPE (KassaDatabase, kassa_database, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_SCHEMA_VERSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Append-only: a released schema never changes; fixes are new steps.
 * Step N brings a file from user_version N-1 to N. Each step runs in the
 * transaction that also bumps user_version, so it must not contain
 * BEGIN, COMMIT or PRAGMAs that do not work inside a transaction. */
static const KassaMigration migrations[] = {
  {
    1,
    "settings, journal and audit log",
    "CREATE TABLE settings (\n"
    "  key   TEXT PRIMARY KEY NOT NULL CHECK (key <> ''),\n"
    "  value TEXT NOT NULL\n"
    ") STRICT, WITHOUT ROWID;\n"
    "\n"
    "CREATE TABLE journal (\n"
    "  sequence      INTEGER PRIMARY KEY CHECK (sequence >= 1),\n"
    "  created_at    TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),\n"
    "  kind          TEXT NOT NULL CHECK (kind <> '' AND kind NOT GLOB '*[^a-z0-9._-]*'),\n"
    "  payload       TEXT NOT NULL CHECK (json_valid (payload)),\n"
    "  previous_hash TEXT NOT NULL CHECK (length (previous_hash) = 64),\n"
    "  hash          TEXT NOT NULL UNIQUE CHECK (length (hash) = 64)\n"
    ") STRICT;\n"
    "\n"
    /* INSERT OR REPLACE deletes without firing delete triggers, so the
     * insert itself must be the next link of the chain. */
    "CREATE TRIGGER journal_append_only BEFORE INSERT ON journal\n"
    "WHEN NEW.sequence IS NOT (SELECT coalesce (max (sequence), 0) + 1 FROM journal)\n"
    "  OR NEW.previous_hash IS NOT coalesce ((SELECT hash FROM journal ORDER BY sequence DESC LIMIT 1),\n"
    "                                        '0000000000000000000000000000000000000000000000000000000000000000')\n"
    "BEGIN SELECT RAISE (ABORT, 'journal entries are only appended, in sequence'); END;\n"
    "CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal\n"
    "BEGIN SELECT RAISE (ABORT, 'journal entries cannot be changed'); END;\n"
    "CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal\n"
    "BEGIN SELECT RAISE (ABORT, 'journal entries cannot be deleted'); END;\n"
    "\n"
    /* No foreign key to staff: staff members are archived, never
     * deleted, and the log must outlive any later schema change. */
    "CREATE TABLE audit_log (\n"
    "  id          INTEGER PRIMARY KEY,\n"
    "  created_at  TEXT NOT NULL,\n"
    "  staff_id    INTEGER CHECK (staff_id IS NULL OR staff_id > 0),\n"
    "  action      TEXT NOT NULL CHECK (action <> ''),\n"
    "  entity_kind TEXT NOT NULL CHECK (entity_kind <> ''),\n"
    "  entity_id   TEXT,\n"
    "  details     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (details))\n"
    ") STRICT;\n"
    "CREATE INDEX audit_log_entity ON audit_log (entity_kind, entity_id);\n"
    "CREATE INDEX audit_log_staff ON audit_log (staff_id) WHERE staff_id IS NOT NULL;\n"
    "CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log\n"
    "WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)\n"
    "BEGIN SELECT RAISE (ABORT, 'audit log entries cannot be replaced'); END;\n"
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log\n"
    "BEGIN SELECT RAISE (ABORT, 'audit log entries cannot be changed'); END;\n"
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log\n"
    "BEGIN SELECT RAISE (ABORT, 'audit log entries cannot be deleted'); END;\n"
  },
  {
    2,
    "catalog, people, carts, orders, invoices, subscriptions, shifts and Stripe state",
    NULL,
    "/io/github/kassapos/Kassa/store/migrations/0002-shop.sql",
  },
  {
    3,
    "the journal's hashes without a unique index",
    NULL,
    "/io/github/kassapos/Kassa/store/migrations/0003-journal-hash-unindexed.sql",
  },
};

static GBytes *
migration_get_sql (const KassaMigration  *step,
                   GError               **error)
{
  if (step->sql != NULL)
    return g_bytes_new_static (step->sql, strlen (step->sql) + 1);

  /* Resource data is NUL-terminated, so it can go to sqlite3_exec as is. */
  return g_resource_lookup_data (kassa_store_get_resource (), step->resource,
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, error);
}

static gboolean
query_int (sqlite3     *db,
           const char  *sql,
           gint64      *out_value,
           GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    {
      *out_value = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      return TRUE;
    }

  kassa_store_set_error_from_sqlite (error, db, rc == SQLITE_DONE ? SQLITE_ERROR : rc,
                                     _("Reading the database header"));
  sqlite3_finalize (stmt);
  return FALSE;
}

typedef struct
{
  gint64 application_id;
  gint64 user_version;
  gint64 n_objects;
} FileIdentity;

static gboolean
read_identity (sqlite3       *db,
               FileIdentity  *identity,
               GError       **error)
{
  return query_int (db, "PRAGMA application_id", &identity->application_id, error) &&
         query_int (db, "PRAGMA user_version", &identity->user_version, error) &&
         query_int (db, "SELECT count(*) FROM sqlite_schema", &identity->n_objects, error);
}

/* A file nobody has written yet: SQLite's own empty database, or one
 * whose creator stopped before the first migration committed. */
static gboolean
identity_is_blank (const FileIdentity *identity)
{
  return identity->application_id == 0 &&
         identity->user_version == 0 &&
         identity->n_objects == 0;
}

static gboolean
check_identity (const char         *path,
                const FileIdentity *identity,
                guint               latest,
                GError            **error)
{
  if (identity->application_id != KASSA_DATABASE_APPLICATION_ID)
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_NOT_A_KASSA_DATABASE,
                   _("“%s” belongs to another application, not Kassa"), path);
      return FALSE;
    }

  if (identity->user_version > (gint64) latest)
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_TOO_NEW,
                   _("“%s” was written by a newer version of Kassa (schema %" PRId64
                     ", this version knows up to %u); update Kassa to open it"),
                   path, identity->user_version, latest);
      return FALSE;
    }

  return TRUE;
}

/**
 * kassa_store_configure_sqlite:
 *
 * Sets SQLite's process-wide options before its first connection opens
 * (they cannot change after); every way the store opens a file calls it.
 *
 * The statement journal's spill threshold stays at its default: with a
 * larger one, SQLite 3.40 failed a migration's big statements (rebuilding
 * a journal of 200,000 entries) with SQLITE_FULL.
 *
 * SQLite counts every allocation under one lock of the whole process
 * by default, which a thread building the search index beside the main
 * one wakes up on thousands of times a second; Kassa never reads those
 * counts. If SQLite was initialized before (by a library sharing the
 * process), the options are left as they are.
 */
void
kassa_store_configure_sqlite (void)
{
  static gsize configured = 0;

  if (g_once_init_enter (&configured))
    {
      if (sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
        g_debug ("SQLite was initialized before Kassa opened a database; its defaults stay");
      g_once_init_leave (&configured, 1);
    }
}

static gboolean
has_sqlite_header (const char  *path,
                   gboolean    *out_empty,
                   GError     **error)
{
  static const char magic[16] = "SQLite format 3";
  char header[100];
  gssize n_read;
  int fd;

  *out_empty = FALSE;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_IO,
                   _("Could not read “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  do
    n_read = read (fd, header, sizeof header);
  while (n_read < 0 && errno == EINTR);

  if (n_read < 0)
    {
      int saved_errno = errno;

      g_close (fd, NULL);
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_IO,
                   _("Could not read “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  g_close (fd, NULL);

  if (n_read == 0)
    {
      *out_empty = TRUE;
      return TRUE;
    }

  if (n_read < (gssize) sizeof header || memcmp (header, magic, sizeof magic) != 0)
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_NOT_A_KASSA_DATABASE,
                   _("“%s” is not a Kassa database"), path);
      return FALSE;
    }

  return TRUE;
}

/* Looks at a file through a read-only connection, so a file that turns
 * out not to be ours is never written to. */
static gboolean
inspect_file (const char    *path,
              gboolean       run_integrity_check,
              FileIdentity  *identity,
              GError       **error)
{
  g_autofree char *wal = NULL;
  g_autofree char *target = NULL;
  int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_EXRESCODE;
  sqlite3 *db = NULL;
  gboolean empty;
  int rc;

  memset (identity, 0, sizeof *identity);
  kassa_store_configure_sqlite ();

  if (!has_sqlite_header (path, &empty, error))
    return FALSE;

  if (empty)
    return TRUE;

  /* Without a WAL file the main file is the whole truth, and reading it
   * as immutable leaves no -wal or -shm behind next to a file that may
   * not even be ours. */
  wal = g_strconcat (path, "-wal", NULL);
  if (!g_file_test (wal, G_FILE_TEST_EXISTS))
    {
      g_autofree char *absolute = g_canonicalize_filename (path, NULL);
      g_autofree char *uri = g_filename_to_uri (absolute, NULL, NULL);

      if (uri != NULL)
        {
          target = g_strconcat (uri, "?mode=ro&immutable=1", NULL);
          flags |= SQLITE_OPEN_URI;
        }
    }

  rc = sqlite3_open_v2 (target != NULL ? target : path, &db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      kassa_store_set_error_from_sqlite (error, db, rc, _("Opening the database"));
      sqlite3_close_v2 (db);
      return FALSE;
    }

  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);

  if (!read_identity (db, identity, error))
    {
      sqlite3_close_v2 (db);
      return FALSE;
    }

  if (run_integrity_check)
    {
      sqlite3_stmt *stmt = NULL;

      rc = sqlite3_prepare_v2 (db, "PRAGMA integrity_check(1)", -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_step (stmt);

      if (rc != SQLITE_ROW)
        {
          kassa_store_set_error_from_sqlite (error, db, rc, _("Checking the database"));
          sqlite3_finalize (stmt);
          sqlite3_close_v2 (db);
          return FALSE;
        }

      if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
        {
          g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CORRUPT,
                       _("“%s” is damaged: %s"), path, sqlite3_column_text (stmt, 0));
          sqlite3_finalize (stmt);
          sqlite3_close_v2 (db);
          return FALSE;
        }

      sqlite3_finalize (stmt);
    }

  sqlite3_close_v2 (db);
  return TRUE;
}

static void
statement_free (gpointer data)
{
  sqlite3_finalize (data);
}

static gboolean
exec_cached (KassaDatabase  *self,
             const char     *sql,
             const char     *what,
             GError        **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  stmt = kassa_database_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;

  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, self->db, rc, what);
      return FALSE;
    }

  return TRUE;
}

/* For statements built at run time, which would only clutter the cache. */
static gboolean
exec_once (KassaDatabase  *self,
           const char     *sql,
           GError        **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      kassa_store_set_error_from_sqlite (error, self->db, rc, _("Running a query"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
exec_savepoint (KassaDatabase  *self,
                const char     *verb,
                guint           level,
                GError        **error)
{
  g_autofree char *sql = g_strdup_printf ("%s kassa_%u", verb, level);

  /* Nesting is shallow, so the few statements stay prepared in the
   * cache: a sale passes through a dozen savepoints. */
  return exec_cached (self, sql, _("Changing the transaction"), error);
}

static gboolean
run_checkpoint (sqlite3    *db,
                int         mode,
                const char *path,
                gboolean    quiet_when_busy)
{
  int n_log = -1;
  int n_done = -1;
  int rc;

  rc = sqlite3_wal_checkpoint_v2 (db, NULL, mode, &n_log, &n_done);
  if (rc == SQLITE_BUSY && quiet_when_busy)
    return FALSE;
  if (rc != SQLITE_OK)
    {
      g_warning ("Checkpoint of “%s” failed: %s", path, sqlite3_errmsg (db));
      return FALSE;
    }

  /* Frames a reader still needs stay in the WAL for the next round. */
  return n_log >= 0 && n_done == n_log;
}

/* Makes every frame written to the WAL so far durable, as the COMMIT of a
 * synchronous=FULL transaction would have. SQLite takes no lock on the
 * WAL file itself, so a descriptor of our own is safe to open and close
 * beside its own; syncing any descriptor of a file syncs the file. */
static void
sync_wal (const char *path)
{
  g_autofree char *wal_path = g_strconcat (path, "-wal", NULL);
  int fd;

  fd = g_open (wal_path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      /* No WAL: the last connection checkpointed and removed it, which
       * synced everything into the database file. */
      if (errno != ENOENT)
        g_warning ("Could not open “%s” to sync it: %s", wal_path, g_strerror (errno));
      return;
    }

  if (fdatasync (fd) != 0)
    g_warning ("Could not sync “%s”: %s", wal_path, g_strerror (errno));

  close (fd);
}

static gpointer
checkpoint_thread_main (gpointer data)
{
  Checkpointer *cp = data;
  sqlite3 *db = NULL;
  int rc;

  g_mutex_lock (&cp->lock);
  for (;;)
    {
      gboolean complete;

      while (!cp->requested && !cp->sync_requested && !cp->stopping)
        g_cond_wait (&cp->cond, &cp->lock);

      /* Even when stopping: what a sync-behind commit wrote must not
       * wait for the close's own checkpoint to reach the disk. */
      if (cp->sync_requested)
        {
          cp->sync_requested = FALSE;
          g_mutex_unlock (&cp->lock);
          sync_wal (cp->path);
          g_mutex_lock (&cp->lock);
          cp->n_wal_syncs++;
          g_cond_broadcast (&cp->cond);
          continue;
        }

      if (cp->stopping)
        break;
      cp->requested = FALSE;
      g_mutex_unlock (&cp->lock);

      /* Opened on the first request, so a database that is only read
       * never pays for a second connection. */
      if (db == NULL)
        {
          rc = sqlite3_open_v2 (cp->path, &db,
                                SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                                SQLITE_OPEN_EXRESCODE,
                                NULL);
          if (rc != SQLITE_OK)
            {
              g_warning ("Checkpoints of “%s” stay with the committing connection: %s",
                         cp->path, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
              g_clear_pointer (&db, sqlite3_close_v2);
              g_mutex_lock (&cp->lock);
              break;
            }
          sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
          sqlite3_exec (db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
        }

      /* PASSIVE never waits for the writer, so sales go on meanwhile. */
      complete = run_checkpoint (db, SQLITE_CHECKPOINT_PASSIVE, cp->path, TRUE);

      g_mutex_lock (&cp->lock);
      if (complete)
        cp->n_checkpoints++;
      g_cond_broadcast (&cp->cond);
    }
  g_mutex_unlock (&cp->lock);

  g_clear_pointer (&db, sqlite3_close_v2);
  return NULL;
}

/* Raises @flag of @cp (a checkpoint or a sync is wanted) and wakes the
 * thread. Held only to flip the flag, never across a checkpoint. */
static void
post_to_checkpointer (Checkpointer *cp,
                      gboolean     *flag)
{
  g_mutex_lock (&cp->lock);
  *flag = TRUE;
  g_cond_signal (&cp->cond);
  g_mutex_unlock (&cp->lock);
}

/* A checkpoint asked for is still waiting for the thread. */
static gboolean
checkpointer_is_behind (KassaDatabase *self)
{
  gboolean behind;

  g_mutex_lock (&self->checkpointer->lock);
  behind = self->checkpointer->requested;
  g_mutex_unlock (&self->checkpointer->lock);

  return behind;
}

static int
wal_hook (void       *data,
          sqlite3    *db,
          const char *name,
          int         n_pages)
{
  KassaDatabase *self = data;
  /* What this commit added; the WAL starts over after a full checkpoint. */
  int added = n_pages >= self->wal_pages ? n_pages - self->wal_pages : n_pages;
  gboolean one_commit;

  self->wal_pages = n_pages;

  /* Past the hard limit over many commits, the thread copies pages but
   * the writer never finds the moment to start the WAL over, and every
   * read searches a longer WAL index; a checkpoint right after this
   * commit, before the next one starts, gives it that moment. When one
   * commit wrote most of the WAL at once (a catalog import), the thread
   * is not behind and takes it without holding up the commit. */
  one_commit = added > n_pages / 2;

  if (n_pages >= CHECKPOINT_PAGES &&
      (self->checkpoint_thread == NULL ||
       (n_pages >= CHECKPOINT_HARD_LIMIT_PAGES && (!one_commit || checkpointer_is_behind (self)))))
    {
      /* The checkpointer is gone or far behind: pay for it here. */
      run_checkpoint (db, SQLITE_CHECKPOINT_PASSIVE, self->path, TRUE);
      return SQLITE_OK;
    }

  /* A checkpoint leaves the frames in the WAL until a writer starts
   * over at its beginning, which needs a moment when every frame is
   * copied. Between sales in quick succession that moment may not come,
   * so ask again for every CHECKPOINT_PAGES new frames rather than after
   * every commit: each checkpoint syncs the database file. */
  if (n_pages < self->wal_pages_posted)
    self->wal_pages_posted = 0;

  if (n_pages >= self->wal_pages_posted + CHECKPOINT_PAGES)
    {
      self->wal_pages_posted = n_pages;
      post_to_checkpointer (self->checkpointer, &self->checkpointer->requested);
    }

  return SQLITE_OK;
}

static void
start_checkpointer (KassaDatabase *self)
{
  g_autoptr(GError) error = NULL;
  Checkpointer *cp = g_new0 (Checkpointer, 1);

  g_mutex_init (&cp->lock);
  g_cond_init (&cp->cond);
  cp->path = g_strdup (self->path);
  self->checkpointer = cp;

  self->checkpoint_thread = g_thread_try_new ("kassa-checkpoint", checkpoint_thread_main, cp, &error);
  if (self->checkpoint_thread == NULL)
    g_warning ("Checkpoints of “%s” stay with the committing connection: %s",
               self->path, error->message);

  /* Replaces SQLite's automatic checkpoint on this connection. */
  sqlite3_wal_hook (self->db, wal_hook, self);
}

static void
stop_checkpointer (KassaDatabase *self)
{
  Checkpointer *cp = self->checkpointer;

  if (cp == NULL)
    return;

  sqlite3_wal_hook (self->db, NULL, NULL);

  if (self->checkpoint_thread != NULL)
    {
      g_mutex_lock (&cp->lock);
      cp->stopping = TRUE;
      g_cond_signal (&cp->cond);
      g_mutex_unlock (&cp->lock);
      g_clear_pointer (&self->checkpoint_thread, g_thread_join);
    }

  g_mutex_clear (&cp->lock);
  g_cond_clear (&cp->cond);
  g_free (cp->path);
  g_clear_pointer (&self->checkpointer, g_free);
}

static gboolean
apply_pragmas (KassaDatabase  *self,
               GError        **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  const char *mode;
  int rc;

  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  /* Money never trusts the page cache: each commit reaches the disk. */
  if (!kassa_database_exec (self, "PRAGMA foreign_keys = ON", error) ||
      !kassa_database_exec (self, "PRAGMA synchronous = FULL", error))
    return FALSE;

  stmt = kassa_database_prepare (self, "PRAGMA journal_mode = WAL", error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      kassa_store_set_error_from_sqlite (error, self->db, rc, _("Opening the database"));
      return FALSE;
    }

  /* Some file systems (network shares) cannot share memory between
   * processes; the rollback journal is slower there but just as safe. */
  mode = (const char *) sqlite3_column_text (stmt, 0);
  if (g_strcmp0 (mode, "wal") != 0)
    g_warning ("Database “%s” stays in journal mode “%s”", self->path, mode);
  else
    start_checkpointer (self);

  /* No mmap_size: reads go through read(), not a memory map of the file.
   * A map spares a search a quarter of its processor time, but every
   * page a process touches first costs it a fault, and a till scanning
   * items spread over a large catalog touches a new page nearly every
   * scan — the scan at the till matters more. */
  return TRUE;
}

static gboolean
check_foreign_keys (KassaDatabase         *self,
                    const KassaMigration  *step,
                    GError               **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  int rc;

  stmt = kassa_database_prepare (self, "PRAGMA foreign_key_check", error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_MIGRATION,
                   _("Updating the database to schema %u (%s) failed: "
                     "a row of “%s” refers to a missing row of “%s”"),
                   step->version, step->description,
                   sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 2));
      return FALSE;
    }

  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, self->db, rc, _("Checking references"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
migrate_steps (KassaDatabase         *self,
               const KassaMigration  *steps,
               gsize                  n_steps,
               GError               **error)
{
  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *bump = NULL;
      g_autoptr(GBytes) sql = NULL;
      const KassaMigration *step;
      FileIdentity identity;
      int rc;

      if (!kassa_database_begin (self, error))
        return FALSE;

      /* Read again under the write lock: another process may have opened
       * and migrated the file since it was inspected. */
      if (!read_identity (self->db, &identity, error))
        goto fail;

      if (!identity_is_blank (&identity) &&
          !check_identity (self->path, &identity, n_steps, error))
        goto fail;

      if (identity.user_version == (gint64) n_steps)
        {
          self->schema_version = n_steps;
          return kassa_database_commit (self, error);
        }

      step = &steps[identity.user_version];
      g_assert (step->version == identity.user_version + 1);

      sql = migration_get_sql (step, error);
      if (sql == NULL)
        goto fail;

      rc = sqlite3_exec (self->db, g_bytes_get_data (sql, NULL), NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        {
          g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_MIGRATION,
                       _("Updating the database to schema %u (%s) failed: %s"),
                       step->version, step->description, sqlite3_errmsg (self->db));
          goto fail;
        }

      if (identity.user_version == 0)
        {
          g_autofree char *set_id = g_strdup_printf ("PRAGMA application_id = %d",
                                                     KASSA_DATABASE_APPLICATION_ID);
          if (!exec_once (self, set_id, error))
            goto fail;
        }

      /* Foreign keys are off while a step runs (so it can rebuild a
       * table the way SQLite's ALTER TABLE documentation describes);
       * the step may only commit if it left every reference intact. */
      if (!check_foreign_keys (self, step, error))
        goto fail;

      bump = g_strdup_printf ("PRAGMA user_version = %u", step->version);
      if (!exec_once (self, bump, error))
        goto fail;

      if (!kassa_database_commit (self, error))
        return FALSE;

      g_debug ("Database “%s” is now at schema %u", self->path, step->version);
      continue;

    fail:
      kassa_database_rollback (self, &local_error);
      if (local_error != NULL)
        g_warning ("Rolling back a migration failed: %s", local_error->message);
      return FALSE;
    }
}

static gboolean
migrate (KassaDatabase         *self,
         const KassaMigration  *steps,
         gsize                  n_steps,
         GError               **error)
{
  gboolean ok;

  /* This pragma is a no-op inside a transaction, hence around the steps. */
  if (!kassa_database_exec (self, "PRAGMA foreign_keys = OFF", error))
    return FALSE;

  ok = migrate_steps (self, steps, n_steps, error);

  if (!kassa_database_exec (self, "PRAGMA foreign_keys = ON", ok ? error : NULL))
    return FALSE;

  return ok;
}

static void
kassa_database_finalize (GObject *object)
{
  KassaDatabase *self = (KassaDatabase *)object;

  if (self->depth > 0)
    g_warning ("Database “%s” closed inside a transaction; it is rolled back", self->path);

  stop_checkpointer (self);

  /* Statements first: a connection with live statements cannot close. */
  g_clear_pointer (&self->statements_by_address, g_hash_table_unref);
  g_clear_pointer (&self->statements, g_hash_table_unref);

  /* Leave the pages in the database file and an empty WAL behind, also
   * when another process keeps its own connection open. */
  if (self->db != NULL && self->depth == 0 && self->wal_pages > 0)
    {
      sqlite3_busy_timeout (self->db, CLOSE_BUSY_TIMEOUT_MS);
      run_checkpoint (self->db, SQLITE_CHECKPOINT_TRUNCATE, self->path, TRUE);
    }
  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (kassa_database_parent_class)->finalize (object);
}

static void
kassa_database_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  KassaDatabase *self = KASSA_DATABASE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_SCHEMA_VERSION:
      g_value_set_uint (value, self->schema_version);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kassa_database_class_init (KassaDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kassa_database_finalize;
  object_class->get_property = kassa_database_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_SCHEMA_VERSION] =
    g_param_spec_uint ("schema-version", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kassa_database_init (KassaDatabase *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, statement_free);
  self->statements_by_address = g_hash_table_new (g_direct_hash, g_direct_equal);
}

void
kassa_statement_release (KassaStatement *stmt)
{
  if (stmt == NULL)
    return;

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

/**
 * kassa_database_get_default_path:
 *
 * Where the shop's database lives when the caller names none:
 * `$KASSA_DATABASE` when set, else `$XDG_DATA_HOME/kassa/kassa.db`.
 * Command-line `--database` options are the caller's to apply.
 *
 * Returns: (transfer full): a file name
 */
char *
kassa_database_get_default_path (void)
{
  const char *env = g_getenv ("KASSA_DATABASE");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  return g_build_filename (g_get_user_data_dir (), "kassa", "kassa.db", NULL);
}

/**
 * kassa_database_get_latest_version:
 *
 * Returns: the schema version this build creates and migrates to
 */
guint
kassa_database_get_latest_version (void)
{
  return G_N_ELEMENTS (migrations);
}

const KassaMigration *
kassa_database_get_migrations (gsize *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (migrations);
  return migrations;
}

/**
 * kassa_database_open_with_migrations:
 * @path: the database file
 * @steps: the migrations, step N at index N-1
 * @n_steps: how many
 * @error: a location for a #GError
 *
 * Opens or creates @path and brings it to schema @n_steps. A file that is
 * not SQLite, belongs to another application or is newer than @n_steps
 * is refused before anything writes to it.
 *
 * Returns: (transfer full): the database, or %NULL with @error set
 */
KassaDatabase *
kassa_database_open_with_migrations (const char            *path,
                                     const KassaMigration  *steps,
                                     gsize                  n_steps,
                                     GError               **error)
{
  g_autoptr(KassaDatabase) self = NULL;
  g_autofree char *folder = NULL;
  FileIdentity identity;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (steps != NULL || n_steps == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (gsize i = 0; i < n_steps; i++)
    g_return_val_if_fail (steps[i].version == i + 1, NULL);

  kassa_store_configure_sqlite ();

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (!inspect_file (path, FALSE, &identity, error))
        return NULL;

      if (!identity_is_blank (&identity) &&
          !check_identity (path, &identity, n_steps, error))
        return NULL;
    }
  else
    {
      folder = g_path_get_dirname (path);
      if (g_mkdir_with_parents (folder, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_IO,
                       _("Could not create the folder “%s”: %s"),
                       folder, g_strerror (saved_errno));
          return NULL;
        }
    }

  self = g_object_new (KASSA_TYPE_DATABASE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                        SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                        NULL);
  if (rc != SQLITE_OK)
    {
      kassa_store_set_error_from_sqlite (error, self->db, rc, _("Opening the database"));
      return NULL;
    }

  if (!apply_pragmas (self, error) ||
      !migrate (self, steps, n_steps, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * kassa_database_open:
 * @path: the database file
 * @error: a location for a #GError
 *
 * Opens or creates the database at @path (its folder is created when
 * missing) in WAL mode with `synchronous=FULL` and foreign keys on, and
 * applies the migrations it lacks, each in one transaction. Checkpoints
 * run on a thread of the database's own, not inside commits; closing
 * the database joins it.
 *
 * Refuses, without writing to the file, a file that is not a Kassa
 * database (%KASSA_STORE_ERROR_NOT_A_KASSA_DATABASE) or one written by a
 * newer schema (%KASSA_STORE_ERROR_TOO_NEW).
 *
 * Returns: (transfer full): the database, or %NULL with @error set
 */
KassaDatabase *
kassa_database_open (const char  *path,
                     GError     **error)
{
  return kassa_database_open_with_migrations (path, migrations, G_N_ELEMENTS (migrations), error);
}

const char *
kassa_database_get_path (KassaDatabase *self)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (self), NULL);

  return self->path;
}

guint
kassa_database_get_schema_version (KassaDatabase *self)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (self), 0);

  return self->schema_version;
}

sqlite3 *
kassa_database_get_handle (KassaDatabase *self)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (self), NULL);

  return self->db;
}

/**
 * kassa_database_prepare:
 * @self: a #KassaDatabase
 * @sql: one SQL statement
 * @error: a location for a #GError
 *
 * Returns the connection's prepared statement for @sql, compiling it on
 * first use. The statement is reset with its bindings cleared, and stays
 * valid until the database is finalized; a later prepare of the same
 * text hands out the same statement again, so callers never nest two
 * uses of one SQL text. Release it with kassa_statement_release() or a
 * g_autoptr(KassaStatement) so it holds no read lock.
 *
 * Returns: (transfer none): the statement, or %NULL with @error set
 */
KassaStatement *
kassa_database_prepare (KassaDatabase  *self,
                        const char     *sql,
                        GError        **error)
{
  sqlite3_stmt *stmt;
  const char *tail = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_DATABASE (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = g_hash_table_lookup (self->statements_by_address, sql);
  if (stmt == NULL || strcmp (sqlite3_sql (stmt), sql) != 0)
    {
      stmt = g_hash_table_lookup (self->statements, sql);
      if (stmt != NULL)
        g_hash_table_insert (self->statements_by_address, (gpointer) sql, stmt);
    }
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK)
    {
      kassa_store_set_error_from_sqlite (error, self->db, rc, _("Preparing a query"));
      return NULL;
    }

  /* Only the first statement would run; a caller handing in more is a bug. */
  g_return_val_if_fail (tail == NULL || *tail == '\0', (sqlite3_finalize (stmt), NULL));

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  g_hash_table_insert (self->statements_by_address, (gpointer) sql, stmt);

  return stmt;
}

/* How many background checkpoints copied the whole WAL so far. */
guint
kassa_database_get_n_checkpoints (KassaDatabase *self)
{
  guint n;

  g_return_val_if_fail (KASSA_IS_DATABASE (self), 0);

  if (self->checkpointer == NULL)
    return 0;

  g_mutex_lock (&self->checkpointer->lock);
  n = self->checkpointer->n_checkpoints;
  g_mutex_unlock (&self->checkpointer->lock);

  return n;
}

/* How many transactions and savepoints were rolled back so far. */
guint64
kassa_database_get_n_rollbacks (KassaDatabase *self)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (self), 0);

  return self->n_rollbacks;
}

/* How many times the checkpointer synced the WAL behind sync-behind
 * commits so far. */
guint
kassa_database_get_n_wal_syncs (KassaDatabase *self)
{
  guint n;

  g_return_val_if_fail (KASSA_IS_DATABASE (self), 0);

  if (self->checkpointer == NULL)
    return 0;

  g_mutex_lock (&self->checkpointer->lock);
  n = self->checkpointer->n_wal_syncs;
  g_mutex_unlock (&self->checkpointer->lock);

  return n;
}

/* Frames in the WAL after this connection's last commit. */
int
kassa_database_get_wal_pages (KassaDatabase *self)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (self), -1);

  return self->wal_pages;
}

guint
kassa_database_get_n_cached_statements (KassaDatabase *self)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (self), 0);

  return g_hash_table_size (self->statements);
}

/**
 * kassa_database_exec:
 * @self: a #KassaDatabase
 * @sql: one SQL statement without parameters
 * @error: a location for a #GError
 *
 * Runs @sql through the statement cache and discards its rows.
 *
 * Returns: %TRUE on success
 */
gboolean
kassa_database_exec (KassaDatabase  *self,
                     const char     *sql,
                     GError        **error)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  return exec_cached (self, sql, _("Running a query"), error);
}

/* Sets how the next outermost transaction commits: synced by its COMMIT
 * (FULL), or written to the WAL and synced by the checkpointer (NORMAL).
 * SQLite accepts the change only between transactions. */
static gboolean
set_relaxed (KassaDatabase  *self,
             gboolean        relaxed,
             GError        **error)
{
  if (self->relaxed == relaxed)
    return TRUE;

  if (!exec_cached (self, relaxed ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL",
                    _("Starting a transaction"), error))
    return FALSE;

  self->relaxed = relaxed;
  return TRUE;
}

/* The outermost transaction ended. A sync-behind one that committed has
 * its frames synced by the checkpointer; then the connection goes back
 * to syncing every commit, as money needs. */
static void
end_outermost (KassaDatabase *self,
               gboolean       committed)
{
  g_autoptr(GError) error = NULL;

  if (!self->relaxed)
    return;

  if (committed && self->checkpointer != NULL)
    post_to_checkpointer (self->checkpointer, &self->checkpointer->sync_requested);

  /* Should this fail, the next begin tries again and refuses to start
   * a transaction that would commit unsynced. */
  if (!set_relaxed (self, FALSE, &error))
    g_warning ("Could not go back to synced commits: %s", error->message);
}

static gboolean
begin (KassaDatabase  *self,
       gboolean        sync_behind,
       GError        **error)
{
  if (self->depth == 0)
    {
      /* Without the checkpointer nobody would sync behind the commit. */
      if (!set_relaxed (self, sync_behind && self->checkpoint_thread != NULL, error))
        return FALSE;

      if (!exec_cached (self, "BEGIN IMMEDIATE", _("Starting a transaction"), error))
        {
          end_outermost (self, FALSE);
          return FALSE;
        }

      self->aborted = FALSE;
    }
  else
    {
      if (self->aborted || sqlite3_get_autocommit (self->db))
        {
          self->aborted = TRUE;
          g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_NO_TRANSACTION,
                       _("The transaction was already rolled back"));
          return FALSE;
        }

      if (!exec_savepoint (self, "SAVEPOINT", self->depth, error))
        return FALSE;
    }

  self->depth++;

  return TRUE;
}

/**
 * kassa_database_begin:
 * @self: a #KassaDatabase
 * @error: a location for a #GError
 *
 * Opens a transaction. The outermost one takes the write lock at once
 * (`BEGIN IMMEDIATE`), so a sale never fails half-way for a lock; calls
 * inside it nest as savepoints that commit into, or roll back out of,
 * the enclosing transaction. Every successful begin is paired with one
 * kassa_database_commit() or kassa_database_rollback().
 *
 * Returns: %TRUE when the transaction is open
 */
gboolean
kassa_database_begin (KassaDatabase  *self,
                      GError        **error)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return begin (self, FALSE, error);
}

/**
 * kassa_database_begin_sync_behind:
 * @self: a #KassaDatabase
 * @error: a location for a #GError
 *
 * Like kassa_database_begin(), but when outermost the commit returns
 * once the changes are in the write-ahead log, without waiting for the
 * disk: the background thread syncs them a moment later. A crash of the
 * application loses nothing, a power cut at most that moment's changes,
 * and either way the file stays consistent. For state the cashier makes
 * again in a second, such as the open cart, where waiting for the disk
 * on every scan would be felt; never for money, which
 * kassa_database_begin() syncs before it returns.
 *
 * Nested in another transaction it is a savepoint, committed however
 * the outermost transaction commits. Without a background thread (a
 * file not in WAL mode) it commits as kassa_database_begin() does.
 *
 * Returns: %TRUE when the transaction is open
 */
gboolean
kassa_database_begin_sync_behind (KassaDatabase  *self,
                                  GError        **error)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return begin (self, TRUE, error);
}

/**
 * kassa_database_commit:
 * @self: a #KassaDatabase
 * @error: a location for a #GError
 *
 * Ends the innermost transaction. When the outermost commit fails,
 * nothing of the transaction was stored and it is closed.
 *
 * Returns: %TRUE when the changes are durable (outermost) or folded into
 *   the enclosing transaction (nested)
 */
gboolean
kassa_database_commit (KassaDatabase  *self,
                       GError        **error)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (sqlite3_get_autocommit (self->db))
    self->aborted = TRUE;

  self->depth--;

  if (self->aborted)
    {
      self->n_rollbacks++;
      if (self->depth == 0)
        {
          self->aborted = FALSE;
          end_outermost (self, FALSE);
        }

      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_NO_TRANSACTION,
                   _("The transaction was rolled back after an earlier error"));
      return FALSE;
    }

  if (self->depth > 0)
    return exec_savepoint (self, "RELEASE", self->depth, error);

  if (!exec_cached (self, "COMMIT", _("Saving the transaction"), error))
    {
      /* A failed COMMIT may leave the transaction open (busy readers in
       * rollback-journal mode); close it so the caller's contract holds. */
      if (!sqlite3_get_autocommit (self->db))
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      self->n_rollbacks++;
      end_outermost (self, FALSE);
      return FALSE;
    }

  end_outermost (self, TRUE);

  return TRUE;
}

/**
 * kassa_database_rollback:
 * @self: a #KassaDatabase
 * @error: a location for a #GError
 *
 * Undoes the innermost transaction: the whole transaction when
 * outermost, only the savepoint's changes when nested.
 *
 * Returns: %TRUE on success
 */
gboolean
kassa_database_rollback (KassaDatabase  *self,
                         GError        **error)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self->depth--;
  self->n_rollbacks++;

  if (sqlite3_get_autocommit (self->db))
    {
      /* SQLite already undid everything; only unwind the bookkeeping. */
      self->aborted = self->depth > 0;
      if (self->depth == 0)
        end_outermost (self, FALSE);
      return TRUE;
    }

  if (self->depth == 0)
    {
      gboolean ok;

      self->aborted = FALSE;
      ok = exec_cached (self, "ROLLBACK", _("Undoing the transaction"), error);
      end_outermost (self, FALSE);
      return ok;
    }

  return exec_savepoint (self, "ROLLBACK TO", self->depth, error) &&
         exec_savepoint (self, "RELEASE", self->depth, error);
}

/**
 * kassa_database_in_transaction:
 * @self: a #KassaDatabase
 *
 * Returns: %TRUE when a transaction opened with kassa_database_begin()
 *   is open and still alive
 */
gboolean
kassa_database_in_transaction (KassaDatabase *self)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (self), FALSE);

  return self->depth > 0 && !self->aborted && !sqlite3_get_autocommit (self->db);
}

/**
 * kassa_database_check_integrity:
 * @self: a #KassaDatabase
 * @error: a location for a #GError
 *
 * Runs `PRAGMA integrity_check` over the whole file.
 *
 * Returns: %TRUE when the file is sound; else %FALSE with
 *   %KASSA_STORE_ERROR_CORRUPT naming the first problems
 */
gboolean
kassa_database_check_integrity (KassaDatabase  *self,
                                GError        **error)
{
  g_autoptr(KassaStatement) stmt = NULL;
  g_autoptr(GString) problems = NULL;
  int rc;

  g_return_val_if_fail (KASSA_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = kassa_database_prepare (self, "PRAGMA integrity_check(10)", error);
  if (stmt == NULL)
    return FALSE;

  problems = g_string_new (NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") == 0)
        continue;

      if (problems->len > 0)
        g_string_append (problems, "; ");
      g_string_append (problems, line);
    }

  if (rc != SQLITE_DONE)
    {
      kassa_store_set_error_from_sqlite (error, self->db, rc, _("Checking the database"));
      return FALSE;
    }

  if (problems->len > 0)
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CORRUPT,
                   _("The database “%s” is damaged: %s"), self->path, problems->str);
      return FALSE;
    }

  return TRUE;
}

/* For restore: a candidate must be a sound Kassa database this build can
 * open; it is looked at read-only. */
gboolean
kassa_store_check_candidate (const char  *path,
                             gboolean     run_integrity_check,
                             gint        *out_version,
                             GError     **error)
{
  FileIdentity identity;

  if (!inspect_file (path, run_integrity_check, &identity, error))
    return FALSE;

  if (identity_is_blank (&identity))
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_NOT_A_KASSA_DATABASE,
                   _("“%s” is an empty database, not a Kassa backup"), path);
      return FALSE;
    }

  if (!check_identity (path, &identity, G_N_ELEMENTS (migrations), error))
    return FALSE;

  if (out_version != NULL)
    *out_version = (gint) identity.user_version;

  return TRUE;
}

/**
 * kassa_database_abort:
 * @self: a #KassaDatabase
 *
 * Rolls back the innermost transaction after something in it failed. A
 * rollback that fails in turn is only logged, so the caller reports the
 * first error, the one that explains what went wrong.
 *
 * Returns: %FALSE, for the caller to return
 */
gboolean
kassa_database_abort (KassaDatabase *self)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (KASSA_IS_DATABASE (self), FALSE);

  if (!kassa_database_rollback (self, &error))
    g_warning ("Rolling back failed: %s", error->message);

  return FALSE;
}
