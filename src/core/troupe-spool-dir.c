/* troupe-spool-dir.c: the folder of run logs, and how many of them are kept
 *
 * Every run's output goes to its own file here, `$XDG_STATE_HOME/troupe/` by
 * default: the folder is 0700 and each file 0600, since a program's output can
 * hold secrets. Retention: after the newest `keep-runs` spools (default 50), or
 * once the newest ones add up to `keep-bytes` (default 1 GiB), older spools are
 * deleted. A spool still being written — by this instance or by another Troupe —
 * holds a shared flock(), and pruning never deletes a locked spool, so a live
 * run's log is never lost to retention.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "troupe-spool-dir.h"

#define SPOOL_SUFFIX ".log"

struct _TroupeSpoolDir
{
  GObject  parent_instance;

  char    *path;
  guint    keep_runs;
  guint64  keep_bytes;
  gboolean folder_ready;
};

G_DEFINE_FINAL_TYPE (TroupeSpoolDir, troupe_spool_dir, G_TYPE_OBJECT)

static void
troupe_spool_dir_finalize (GObject *object)
{
  TroupeSpoolDir *self = (TroupeSpoolDir *) object;

  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (troupe_spool_dir_parent_class)->finalize (object);
}

static void
troupe_spool_dir_class_init (TroupeSpoolDirClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = troupe_spool_dir_finalize;
}

static void
troupe_spool_dir_init (TroupeSpoolDir *self)
{
  self->keep_runs = TROUPE_DEFAULT_KEEP_RUNS;
  self->keep_bytes = TROUPE_DEFAULT_KEEP_BYTES;
}

/**
 * troupe_spool_dir_new:
 * @path: the folder; created 0700 when the first spool is
 *
 * Returns: (transfer full): a spool folder
 */
TroupeSpoolDir *
troupe_spool_dir_new (const char *path)
{
  TroupeSpoolDir *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (TROUPE_TYPE_SPOOL_DIR, NULL);
  self->path = g_strdup (path);
  return self;
}

/**
 * troupe_spool_dir_new_default:
 *
 * Returns: (transfer full): `$XDG_STATE_HOME/troupe`
 */
TroupeSpoolDir *
troupe_spool_dir_new_default (void)
{
  g_autofree char *path = g_build_filename (g_get_user_state_dir (), "troupe", NULL);

  return troupe_spool_dir_new (path);
}

const char *
troupe_spool_dir_get_path (TroupeSpoolDir *self)
{
  g_return_val_if_fail (TROUPE_IS_SPOOL_DIR (self), NULL);
  return self->path;
}

guint
troupe_spool_dir_get_keep_runs (TroupeSpoolDir *self)
{
  g_return_val_if_fail (TROUPE_IS_SPOOL_DIR (self), 0);
  return self->keep_runs;
}

/**
 * troupe_spool_dir_set_keep_runs:
 * @keep_runs: how many finished runs' spools to keep; 0 keeps all
 */
void
troupe_spool_dir_set_keep_runs (TroupeSpoolDir *self,
                                guint           keep_runs)
{
  g_return_if_fail (TROUPE_IS_SPOOL_DIR (self));
  self->keep_runs = keep_runs;
}

guint64
troupe_spool_dir_get_keep_bytes (TroupeSpoolDir *self)
{
  g_return_val_if_fail (TROUPE_IS_SPOOL_DIR (self), 0);
  return self->keep_bytes;
}

/**
 * troupe_spool_dir_set_keep_bytes:
 * @keep_bytes: how many bytes of spools to keep in all; 0 sets no limit
 */
void
troupe_spool_dir_set_keep_bytes (TroupeSpoolDir *self,
                                 guint64         keep_bytes)
{
  g_return_if_fail (TROUPE_IS_SPOOL_DIR (self));
  self->keep_bytes = keep_bytes;
}

static gboolean
ensure_folder (const char  *path,
               GError     **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the log folder %s: %s"), path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/**
 * troupe_spool_dir_create_spool:
 * @run_name: (nullable): a name to help a person find the file
 * @path: (out) (optional): the new file's path
 * @error: set when the folder or file cannot be created
 *
 * Creates a new spool file (0600), locked as in use until its descriptor closes.
 *
 * Returns: a read-write descriptor (close-on-exec), or -1
 */
int
troupe_spool_dir_create_spool (TroupeSpoolDir  *self,
                               const char      *run_name,
                               char           **path,
                               GError         **error)
{
  static gint counter;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *safe_name = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *full_path = NULL;
  int fd;

  g_return_val_if_fail (TROUPE_IS_SPOOL_DIR (self), -1);

  /* Made once; if someone deletes it meanwhile, the open below fails with
   * ENOENT and it is made again. */
  if (!self->folder_ready && !ensure_folder (self->path, error))
    return -1;
  self->folder_ready = TRUE;

  /* Keep file names short and free of anything a shell or a file chooser trips on. */
  safe_name = g_strndup (run_name != NULL ? run_name : "run", 32);
  g_strcanon (safe_name, G_CSET_A_2_Z G_CSET_a_2_z G_CSET_DIGITS "-_.", '_');

  basename = g_strdup_printf ("%s-%d-%d-%s" SPOOL_SUFFIX, stamp, (int) getpid (),
                              g_atomic_int_add (&counter, 1), safe_name);
  full_path = g_build_filename (self->path, basename, NULL);

  fd = open (full_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno == ENOENT && ensure_folder (self->path, NULL))
    fd = open (full_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the log file %s: %s"), full_path,
                   g_strerror (saved_errno));
      return -1;
    }

  /* A shared lock says "in use" to pruning, here and in any other instance. */
  flock (fd, LOCK_SH);

  if (path != NULL)
    *path = g_steal_pointer (&full_path);
  return fd;
}

typedef struct
{
  char    *path;
  gint64   mtime; /* nanoseconds */
  guint64  size;
} SpoolFile;

static void
spool_file_clear (gpointer data)
{
  g_free (((SpoolFile *) data)->path);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const SpoolFile *fa = a;
  const SpoolFile *fb = b;

  if (fa->mtime != fb->mtime)
    return fa->mtime > fb->mtime ? -1 : 1;
  return g_strcmp0 (fb->path, fa->path);
}

static gboolean
is_in_use (const char *path)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  gboolean in_use;

  if (fd < 0)
    return TRUE;
  in_use = flock (fd, LOCK_EX | LOCK_NB) != 0;
  close (fd);
  return in_use;
}

typedef struct
{
  char    *path;
  guint    keep_runs;
  guint64  keep_bytes;
} Retention;

static void
retention_free (Retention *retention)
{
  g_free (retention->path);
  g_free (retention);
}

/* Works on a copy of the settings, so a worker thread never reads the object. */
static guint
prune_folder (const Retention  *retention,
              GError          **error)
{
  g_autoptr(GArray) files = g_array_new (FALSE, TRUE, sizeof (SpoolFile));
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;
  guint64 kept_bytes = 0;
  guint kept_runs = 0;
  guint deleted = 0;

  g_array_set_clear_func (files, spool_file_clear);

  dir = g_dir_open (retention->path, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return 0;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return 0;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      SpoolFile file;
      GStatBuf st;

      if (!g_str_has_suffix (name, SPOOL_SUFFIX))
        continue;
      file.path = g_build_filename (retention->path, name, NULL);
      if (g_lstat (file.path, &st) != 0 || !S_ISREG (st.st_mode))
        {
          g_free (file.path);
          continue;
        }
      file.mtime = st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec;
      file.size = st.st_size;
      g_array_append_val (files, file);
    }

  g_array_sort (files, compare_newest_first);

  for (guint i = 0; i < files->len; i++)
    {
      const SpoolFile *file = &g_array_index (files, SpoolFile, i);
      gboolean over_runs = retention->keep_runs > 0 && kept_runs >= retention->keep_runs;
      gboolean over_bytes = retention->keep_bytes > 0 &&
                            kept_bytes + file->size > retention->keep_bytes;

      if ((over_runs || over_bytes) && !is_in_use (file->path) && g_unlink (file->path) == 0)
        {
          deleted++;
          continue;
        }
      kept_runs++;
      kept_bytes += file->size;
    }

  return deleted;
}

static Retention *
copy_retention (TroupeSpoolDir *self)
{
  Retention *retention = g_new (Retention, 1);

  retention->path = g_strdup (self->path);
  retention->keep_runs = self->keep_runs;
  retention->keep_bytes = self->keep_bytes;
  return retention;
}

/**
 * troupe_spool_dir_prune:
 * @error: set if the folder cannot be read
 *
 * Deletes the spools that retention no longer keeps. Blocks on the disk: call it
 * from a worker thread, or use troupe_spool_dir_prune_async().
 *
 * Returns: how many spools were deleted
 */
guint
troupe_spool_dir_prune (TroupeSpoolDir  *self,
                        GError         **error)
{
  Retention *retention;
  guint deleted;

  g_return_val_if_fail (TROUPE_IS_SPOOL_DIR (self), 0);

  retention = copy_retention (self);
  deleted = prune_folder (retention, error);
  retention_free (retention);
  return deleted;
}

static void
prune_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;
  guint deleted = prune_folder (task_data, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, deleted);
}

/**
 * troupe_spool_dir_prune_async:
 *
 * Runs troupe_spool_dir_prune() on a worker thread.
 */
void
troupe_spool_dir_prune_async (TroupeSpoolDir      *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TROUPE_IS_SPOOL_DIR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, troupe_spool_dir_prune_async);
  g_task_set_task_data (task, copy_retention (self), (GDestroyNotify) retention_free);
  g_task_run_in_thread (task, prune_in_thread);
}

/**
 * troupe_spool_dir_prune_finish:
 *
 * Returns: how many spools were deleted
 */
guint
troupe_spool_dir_prune_finish (TroupeSpoolDir  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (TROUPE_IS_SPOOL_DIR (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == troupe_spool_dir_prune_async,
                        0);

  return (guint) g_task_propagate_int (G_TASK (result), error);
}
