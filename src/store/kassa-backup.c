/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kassa-backup"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "kassa-backup.h"
#include "kassa-store-error.h"
#include "kassa-store-private.h"

/* 1 MiB with the default page size: progress moves often enough for a
 * progress bar, and each step stays short. */
#define PAGES_PER_STEP 256

static gboolean
set_io_error (GError     **error,
              int          saved_errno,
              const char  *message,
              const char  *path)
{
  /* Translators: a file name, what could not be done, and the system's reason */
  g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_IO,
               _("“%s”: %s: %s"), path, message, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
sync_path (const char  *path,
           gboolean     is_folder,
           GError     **error)
{
  int fd;

  fd = g_open (path, (is_folder ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    return set_io_error (error, errno, _("Could not open the file to flush it"), path);

  if (fsync (fd) != 0)
    {
      int saved_errno = errno;

      g_close (fd, NULL);
      return set_io_error (error, saved_errno, _("Could not flush the file to disk"), path);
    }

  g_close (fd, NULL);
  return TRUE;
}

/* A unique, empty file next to @path, so the final rename stays on one
 * file system and is atomic. */
static char *
make_sibling_temp (const char  *path,
                   const char  *suffix,
                   GError     **error)
{
  g_autofree char *temp = g_strdup_printf ("%s.%s-XXXXXX", path, suffix);
  int fd;

  fd = g_mkstemp_full (temp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_io_error (error, errno, _("Could not create a temporary file"), temp);
      return NULL;
    }

  g_close (fd, NULL);

  return g_steal_pointer (&temp);
}

static void
remove_with_side_files (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);

  g_unlink (wal);
  g_unlink (shm);
  g_unlink (journal);
  g_unlink (path);
}

static gboolean
open_connection (const char  *path,
                 int          flags,
                 sqlite3    **out_db,
                 GError     **error)
{
  int rc;

  kassa_store_configure_sqlite ();
  rc = sqlite3_open_v2 (path, out_db, flags | SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK)
    {
      kassa_store_set_error_from_sqlite (error, *out_db, rc, _("Opening the database"));
      g_clear_pointer (out_db, sqlite3_close_v2);
      return FALSE;
    }

  sqlite3_busy_timeout (*out_db, 5000);

  return TRUE;
}

static gboolean
exec (sqlite3     *db,
      const char  *sql,
      const char  *what,
      GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      kassa_store_set_error_from_sqlite (error, db, rc, what);
      return FALSE;
    }

  return TRUE;
}

/* Leaves @db in rollback-journal mode so the copy is one self-contained
 * file; the next kassa_database_open() turns WAL on again. */
static gboolean
make_single_file (sqlite3     *db,
                  GError     **error)
{
  return exec (db, "PRAGMA journal_mode = DELETE", _("Finishing the copy"), error);
}

/* Copies the snapshot @source currently reads into the empty file at
 * @destination, then flushes it. */
static gboolean
copy_database (sqlite3                  *source,
               const char               *destination,
               KassaBackupProgressFunc   progress,
               gpointer                  user_data,
               GCancellable             *cancellable,
               GError                  **error)
{
  sqlite3_backup *backup;
  sqlite3 *dest = NULL;
  int rc;

  if (!open_connection (destination, SQLITE_OPEN_READWRITE, &dest, error))
    return FALSE;

  backup = sqlite3_backup_init (dest, "main", source, "main");
  if (backup == NULL)
    {
      kassa_store_set_error_from_sqlite (error, dest, sqlite3_extended_errcode (dest),
                                         _("Starting the copy"));
      sqlite3_close_v2 (dest);
      return FALSE;
    }

  do
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          sqlite3_backup_finish (backup);
          sqlite3_close_v2 (dest);
          g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CANCELLED,
                       _("The backup was cancelled"));
          return FALSE;
        }

      rc = sqlite3_backup_step (backup, PAGES_PER_STEP);

      if (progress != NULL)
        progress (sqlite3_backup_remaining (backup), sqlite3_backup_pagecount (backup), user_data);

      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        g_usleep (G_USEC_PER_SEC / 100);
    }
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);

  /* backup_finish() reports the step's error when there was one. */
  rc = sqlite3_backup_finish (backup);
  if (rc != SQLITE_OK)
    {
      kassa_store_set_error_from_sqlite (error, dest, rc, _("Copying the database"));
      sqlite3_close_v2 (dest);
      return FALSE;
    }

  if (!exec (dest, "PRAGMA synchronous = FULL", _("Finishing the copy"), error) ||
      !make_single_file (dest, error))
    {
      sqlite3_close_v2 (dest);
      return FALSE;
    }

  rc = sqlite3_close_v2 (dest);
  if (rc != SQLITE_OK)
    {
      kassa_store_set_error_from_sqlite (error, NULL, rc, _("Finishing the copy"));
      return FALSE;
    }

  return sync_path (destination, FALSE, error);
}

static gboolean
replace_file (const char  *from,
              const char  *to,
              GError     **error)
{
  g_autofree char *folder = NULL;

  if (g_rename (from, to) != 0)
    return set_io_error (error, errno, _("Could not move the file into place"), to);

  folder = g_path_get_dirname (to);
  return sync_path (folder, TRUE, error);
}

static gboolean
backup_path (const char               *source_path,
             const char               *destination,
             KassaBackupProgressFunc   progress,
             gpointer                  user_data,
             GCancellable             *cancellable,
             GError                  **error)
{
  g_autofree char *temp = NULL;
  g_autofree char *live = g_canonicalize_filename (source_path, NULL);
  g_autofree char *copy = g_canonicalize_filename (destination, NULL);
  sqlite3 *source = NULL;
  gboolean copied;

  /* The final rename would put the backup in place of the live file. */
  if (g_strcmp0 (live, copy) == 0)
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_INVALID,
                   _("A backup cannot overwrite the database it copies"));
      return FALSE;
    }

  if (!open_connection (source_path, SQLITE_OPEN_READWRITE, &source, error))
    return FALSE;

  /* Reading inside one transaction pins the snapshot: without it the
   * backup restarts whenever another connection commits, and a busy
   * till would keep it from ever finishing. */
  if (!exec (source, "BEGIN", _("Starting the backup"), error) ||
      !exec (source, "SELECT count(*) FROM sqlite_schema", _("Starting the backup"), error))
    {
      sqlite3_close_v2 (source);
      return FALSE;
    }

  temp = make_sibling_temp (destination, "partial", error);
  if (temp == NULL)
    {
      sqlite3_close_v2 (source);
      return FALSE;
    }

  copied = copy_database (source, temp, progress, user_data, cancellable, error);

  sqlite3_exec (source, "COMMIT", NULL, NULL, NULL);
  sqlite3_close_v2 (source);

  if (!copied ||
      !kassa_store_check_candidate (temp, TRUE, NULL, error) ||
      !replace_file (temp, destination, error))
    {
      remove_with_side_files (temp);
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  char                    *source;
  char                    *destination;
  KassaBackupProgressFunc  progress;
  gpointer                 user_data;
  GMainContext            *context;
} TaskData;

typedef struct
{
  KassaBackupProgressFunc  progress;
  gpointer                 user_data;
  int                      remaining;
  int                      total;
} ProgressReport;

static void
task_data_free (gpointer data)
{
  TaskData *task_data = data;

  g_free (task_data->source);
  g_free (task_data->destination);
  g_clear_pointer (&task_data->context, g_main_context_unref);
  g_free (task_data);
}

static gboolean
report_progress_cb (gpointer data)
{
  ProgressReport *report = data;

  report->progress (report->remaining, report->total, report->user_data);

  return G_SOURCE_REMOVE;
}

/* Runs in the worker thread; the caller's callback runs in its own
 * main context, queued ahead of the task's completion. */
static void
forward_progress_cb (int      remaining,
                     int      total,
                     gpointer user_data)
{
  TaskData *task_data = user_data;
  ProgressReport *report = g_new0 (ProgressReport, 1);

  report->progress = task_data->progress;
  report->user_data = task_data->user_data;
  report->remaining = remaining;
  report->total = total;

  g_main_context_invoke_full (task_data->context, G_PRIORITY_DEFAULT,
                              report_progress_cb, report, g_free);
}

static void
backup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      data,
               GCancellable *cancellable)
{
  TaskData *task_data = data;
  GError *error = NULL;

  if (backup_path (task_data->source, task_data->destination,
                   task_data->progress != NULL ? forward_progress_cb : NULL, task_data,
                   cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
restore_thread (GTask        *task,
                gpointer      source_object,
                gpointer      data,
                GCancellable *cancellable)
{
  TaskData *task_data = data;
  char *previous = NULL;
  GError *error = NULL;

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, KASSA_STORE_ERROR, KASSA_STORE_ERROR_CANCELLED,
                               _("The restore was cancelled"));
      return;
    }

  if (kassa_backup_restore (task_data->source, task_data->destination, &previous, &error))
    g_task_return_pointer (task, previous, g_free);
  else
    g_task_return_error (task, error);
}

/**
 * kassa_backup_to_file:
 * @database: the open database
 * @destination: the backup file to write; replaced when it exists
 * @progress: (nullable) (scope call): called after each chunk
 * @user_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: a location for a #GError
 *
 * Copies the database with SQLite's online backup API through a
 * connection of its own that reads one snapshot from start to end, so
 * the copy is consistent while the till keeps selling (WAL lets writers
 * go on past the reader). The copy is checked and then renamed into
 * place, so @destination is never half a backup.
 *
 * Returns: %TRUE when @destination holds a verified backup
 */
gboolean
kassa_backup_to_file (KassaDatabase            *database,
                      const char               *destination,
                      KassaBackupProgressFunc   progress,
                      gpointer                  user_data,
                      GCancellable             *cancellable,
                      GError                  **error)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (destination != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return backup_path (kassa_database_get_path (database), destination,
                      progress, user_data, cancellable, error);
}

/**
 * kassa_backup_to_file_async:
 * @database: the open database
 * @destination: the backup file to write
 * @progress: (nullable): called in the thread-default main context of
 *   the caller after each chunk, always before @callback
 * @progress_data: data for @progress; must live until @callback runs
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the backup is done
 * @user_data: data for @callback
 *
 * kassa_backup_to_file() in a worker thread, so the window stays
 * responsive; the copy uses a connection of its own.
 */
void
kassa_backup_to_file_async (KassaDatabase            *database,
                            const char               *destination,
                            KassaBackupProgressFunc   progress,
                            gpointer                  progress_data,
                            GCancellable             *cancellable,
                            GAsyncReadyCallback       callback,
                            gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *task_data;

  g_return_if_fail (KASSA_IS_DATABASE (database));
  g_return_if_fail (destination != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task_data = g_new0 (TaskData, 1);
  task_data->source = g_strdup (kassa_database_get_path (database));
  task_data->destination = g_strdup (destination);
  task_data->progress = progress;
  task_data->user_data = progress_data;
  task_data->context = g_main_context_ref_thread_default ();

  task = g_task_new (database, cancellable, callback, user_data);
  g_task_set_source_tag (task, kassa_backup_to_file_async);
  /* The worker reports cancellation itself, in the store's error domain. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, task_data, task_data_free);
  g_task_run_in_thread (task, backup_thread);
}

gboolean
kassa_backup_to_file_finish (KassaDatabase  *database,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (KASSA_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, database), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kassa_backup_to_file_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * kassa_backup_verify_file:
 * @path: a backup file
 * @error: a location for a #GError
 *
 * Checks, without writing to it, that @path is a sound Kassa database
 * (`integrity_check`, application id) this build can open.
 *
 * Returns: %TRUE when it can be restored
 */
gboolean
kassa_backup_verify_file (const char  *path,
                          GError     **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return kassa_store_check_candidate (path, TRUE, NULL, error);
}

/* Brings an existing database at @path into a single file (WAL folded in)
 * so it can be moved as one; fails when another connection has it open. */
static gboolean
quiesce_target (const char  *path,
                GError     **error)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  gboolean single = FALSE;
  GStatBuf st;
  int rc;

  if (!open_connection (path, SQLITE_OPEN_READWRITE, &db, &local_error))
    goto not_sqlite;

  /* No waiting: if Kassa still runs on this file, say so at once. */
  sqlite3_busy_timeout (db, 0);

  rc = sqlite3_prepare_v2 (db, "PRAGMA journal_mode = DELETE", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    single = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "delete") == 0;

  sqlite3_finalize (stmt);

  if ((rc & 0xff) == SQLITE_NOTADB)
    {
      sqlite3_close_v2 (db);
      goto not_sqlite;
    }

  sqlite3_close_v2 (db);

  if (!single)
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_BUSY,
                   _("“%s” is in use; close Kassa before restoring"), path);
      return FALSE;
    }

not_sqlite:
  /* Leftovers of a crashed WAL session would be replayed into the restored
   * file; an empty one is harmless, anything else must not be lost. */
  if (g_stat (wal, &st) == 0 && st.st_size > 0)
    {
      g_set_error (error, KASSA_STORE_ERROR, KASSA_STORE_ERROR_BUSY,
                   _("“%s” has unsaved changes in “%s”; open it with Kassa once, then restore"),
                   path, wal);
      return FALSE;
    }

  g_unlink (wal);
  g_unlink (shm);

  return TRUE;
}

/**
 * kassa_backup_restore:
 * @source: the backup to restore
 * @target: the database file to replace (Kassa must not have it open)
 * @out_previous_path: (out) (optional): where the replaced database was
 *   kept; when %NULL it is deleted once the restored file verified
 * @error: a location for a #GError
 *
 * Checks @source (integrity, application id, a schema this build knows)
 * and refuses it with a clear error before touching @target. Otherwise
 * copies it next to @target, flushes and verifies the copy, moves the old
 * database aside, renames the copy into place and verifies it there; if
 * that last check fails the old database is put back.
 *
 * Returns: %TRUE when @target now holds the restored database
 */
gboolean
kassa_backup_restore (const char  *source,
                      const char  *target,
                      char       **out_previous_path,
                      GError     **error)
{
  g_autofree char *temp = NULL;
  g_autofree char *previous = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GError) local_error = NULL;
  sqlite3 *db = NULL;
  gboolean copied;
  gboolean had_target;

  g_return_val_if_fail (source != NULL, FALSE);
  g_return_val_if_fail (target != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_previous_path != NULL)
    *out_previous_path = NULL;

  if (!kassa_store_check_candidate (source, TRUE, NULL, error))
    {
      g_prefix_error (error, _("Refusing to restore: "));
      return FALSE;
    }

  folder = g_path_get_dirname (target);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    return set_io_error (error, errno, _("Could not create the folder"), folder);

  temp = make_sibling_temp (target, "restore", error);
  if (temp == NULL)
    return FALSE;

  if (!open_connection (source, SQLITE_OPEN_READONLY, &db, error))
    {
      remove_with_side_files (temp);
      return FALSE;
    }

  copied = exec (db, "BEGIN", _("Reading the backup"), error) &&
           exec (db, "SELECT count(*) FROM sqlite_schema", _("Reading the backup"), error) &&
           copy_database (db, temp, NULL, NULL, NULL, error);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close_v2 (db);

  if (!copied || !kassa_store_check_candidate (temp, TRUE, NULL, error))
    {
      remove_with_side_files (temp);
      return FALSE;
    }

  had_target = g_file_test (target, G_FILE_TEST_EXISTS);
  if (had_target)
    {
      if (!quiesce_target (target, error))
        {
          remove_with_side_files (temp);
          return FALSE;
        }

      previous = g_strconcat (target, ".pre-restore", NULL);
      if (g_rename (target, previous) != 0)
        {
          set_io_error (error, errno, _("Could not keep the current database aside"), target);
          remove_with_side_files (temp);
          return FALSE;
        }
    }

  if (!replace_file (temp, target, error))
    {
      if (had_target)
        g_rename (previous, target);
      remove_with_side_files (temp);
      return FALSE;
    }

  if (!kassa_store_check_candidate (target, TRUE, NULL, &local_error))
    {
      /* Keep the shop running on what it had rather than on a bad copy. */
      if (!had_target)
        remove_with_side_files (target);
      else if (g_rename (previous, target) == 0)
        g_clear_pointer (&previous, g_free);
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("The restored database did not verify; the previous one is back: "));
      return FALSE;
    }

  if (previous != NULL)
    {
      if (out_previous_path != NULL)
        *out_previous_path = g_steal_pointer (&previous);
      else
        g_unlink (previous);
    }

  return TRUE;
}

/**
 * kassa_backup_restore_async:
 * @source: the backup to restore
 * @target: the database file to replace (Kassa must not have it open)
 * @cancellable: (nullable): a #GCancellable; checked before the work starts
 * @callback: called when the restore is done
 * @user_data: data for @callback
 *
 * kassa_backup_restore() in a worker thread; the replaced database is
 * kept, and kassa_backup_restore_finish() says where.
 */
void
kassa_backup_restore_async (const char          *source,
                            const char          *target,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *task_data;

  g_return_if_fail (source != NULL);
  g_return_if_fail (target != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task_data = g_new0 (TaskData, 1);
  task_data->source = g_strdup (source);
  task_data->destination = g_strdup (target);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kassa_backup_restore_async);
  g_task_set_task_data (task, task_data, task_data_free);
  /* Once the restore has started it finishes, and its result is what
   * happened to the file, never a cancellation reported after the fact. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, restore_thread);
}

/**
 * kassa_backup_restore_finish:
 * @result: the #GAsyncResult given to the callback
 * @out_previous_path: (out) (optional): where the replaced database was
 *   kept, %NULL when there was none
 * @error: a location for a #GError
 *
 * Returns: %TRUE when the target now holds the restored database
 */
gboolean
kassa_backup_restore_finish (GAsyncResult  *result,
                             char         **out_previous_path,
                             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *previous = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kassa_backup_restore_async,
                        FALSE);

  previous = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (out_previous_path != NULL)
    *out_previous_path = g_steal_pointer (&previous);

  return TRUE;
}
