/* troupe-spool.c: one run's spool file: appended in memory, written behind on a thread
 *
 * Appending copies bytes into 1 MiB chunks in memory; a full chunk is handed
 * to a small pool of writer threads, so the main loop never waits on the disk.
 * Where the file system allows it, full chunks are written with O_DIRECT: on a
 * child that prints at full speed the copy into the page cache is what costs
 * most, and the disk can take the chunk straight from our memory instead.
 * A chunk stays in memory, readable, until it is on disk; the chunk still being
 * filled is written (buffered) at the end of a stream and a second after the
 * last output, so the file is never far behind.
 *
 * Everything but the write itself happens on the thread that made the spool.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "troupe-spool.h"

#define CHUNK_SIZE          (1024 * 1024)
#define CHUNK_ALIGNMENT     4096
/* More than this waiting for the disk, and the reader should pause. */
#define CONGESTED_BYTES     (32 * CHUNK_SIZE)
#define RELIEVED_BYTES      (8 * CHUNK_SIZE)
#define TAIL_FLUSH_DELAY_MS 1000
#define SPARE_CHUNKS        2
#define WRITER_THREADS      2

typedef struct
{
  guint64  offset;
  guint8  *data;
  gsize    length;
  guint    jobs;        /* writes in flight that read this chunk's memory */
  gboolean submitted;   /* full, and handed to the writers */
  gboolean on_disk;
} SpoolChunk;

typedef struct
{
  TroupeSpool  *spool;
  SpoolChunk   *chunk;
  guint64       offset;
  const guint8 *data;
  gsize         length;
  gboolean      whole_chunk;
  gboolean      used_direct;
  guint64       sequence;
  int           saved_errno;
} WriteJob;

struct _TroupeSpool
{
  GObject       parent_instance;

  GMainContext *context;
  char         *path;
  int           fd;
  int           direct_fd;    /* closed only at finalize: a writer may be using it */
  gint          direct_refused;
  GPtrArray    *chunks;       /* in file order; the last may still be filling */
  GPtrArray    *spare_chunks;
  guint64       length;
  gsize         tail_written; /* bytes of the last chunk already written */
  gsize         waiting;      /* bytes submitted and not yet on disk */
  guint         jobs;
  guint64       next_sequence;
  guint64       wait_mark;     /* troupe_spool_wait() waits for jobs before this */
  guint         jobs_before_mark;
  GSource      *tail_timer;
  gboolean      congested;
  GError       *error;
};

enum {
  RELIEVED,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];
static GThreadPool *writer_pool;
/* Writes in flight across all spools, for troupe_spool_wait_all(). */
static gint jobs_in_flight;

G_DEFINE_FINAL_TYPE (TroupeSpool, troupe_spool, G_TYPE_OBJECT)

static void
chunk_free (SpoolChunk *chunk)
{
  free (chunk->data);
  g_free (chunk);
}

static void
troupe_spool_finalize (GObject *object)
{
  TroupeSpool *self = (TroupeSpool *) object;

  /* Writes hold a reference, so none is in flight here. */
  g_assert (self->jobs == 0);
  if (self->tail_timer != NULL)
    {
      g_source_destroy (self->tail_timer);
      g_clear_pointer (&self->tail_timer, g_source_unref);
    }
  g_ptr_array_unref (self->chunks);
  g_ptr_array_unref (self->spare_chunks);
  if (self->direct_fd >= 0)
    close (self->direct_fd);
  if (self->fd >= 0)
    close (self->fd);
  g_clear_error (&self->error);
  g_free (self->path);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (troupe_spool_parent_class)->finalize (object);
}

static void
troupe_spool_class_init (TroupeSpoolClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = troupe_spool_finalize;

  /**
   * TroupeSpool::relieved:
   *
   * Emitted when a congested spool has caught up with its disk.
   */
  signals[RELIEVED] =
    g_signal_new ("relieved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * TroupeSpool::failed:
   * @error: why the file can take no more
   *
   * Emitted once when a write fails. What was appended stays readable.
   */
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
troupe_spool_init (TroupeSpool *self)
{
  self->chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) chunk_free);
  self->spare_chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) chunk_free);
  self->direct_fd = -1;
}

/**
 * troupe_spool_new:
 * @fd: the spool file, open for reading and writing, empty; the spool owns it
 * @path: its path
 *
 * Returns: (transfer full): a spool writing @fd behind, on the thread-default
 *   main context of the caller
 */
TroupeSpool *
troupe_spool_new (int         fd,
                  const char *path)
{
  TroupeSpool *self;
  g_autofree char *fd_path = NULL;

  g_return_val_if_fail (fd >= 0, NULL);

  self = g_object_new (TROUPE_TYPE_SPOOL, NULL);
  self->fd = fd;
  self->path = g_strdup (path);
  self->context = g_main_context_ref_thread_default ();

  /* A second descriptor for whole chunks, straight to the disk; file systems
   * without O_DIRECT (tmpfs) refuse it, and buffered writes are used instead. */
  fd_path = g_strdup_printf ("/proc/self/fd/%d", fd);
  self->direct_fd = open (fd_path, O_WRONLY | O_DIRECT | O_CLOEXEC);
  return self;
}

guint64
troupe_spool_get_length (TroupeSpool *self)
{
  g_return_val_if_fail (TROUPE_IS_SPOOL (self), 0);
  return self->length;
}

/**
 * troupe_spool_get_error:
 *
 * Returns: (nullable): why the file stopped taking output
 */
const GError *
troupe_spool_get_error (TroupeSpool *self)
{
  g_return_val_if_fail (TROUPE_IS_SPOOL (self), NULL);
  return self->error;
}

static void
write_fully (int           fd,
             const guint8 *data,
             gsize         length,
             guint64       offset,
             int          *saved_errno)
{
  while (length > 0)
    {
      ssize_t n = pwrite (fd, data, length, (off_t) offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          *saved_errno = n < 0 ? errno : EIO;
          return;
        }
      data += n;
      length -= n;
      offset += n;
    }
  *saved_errno = 0;
}

static gboolean job_done (gpointer user_data);

/* On a writer thread: the only thing done off the spool's own thread. The
 * descriptors never change after construction; direct_refused is atomic. */
static void
write_job (gpointer data,
           gpointer pool_data)
{
  WriteJob *job = data;
  TroupeSpool *spool = job->spool;
  GSource *done;

  job->saved_errno = 0;
  if (job->whole_chunk && spool->direct_fd >= 0 && !g_atomic_int_get (&spool->direct_refused))
    {
      ssize_t n;

      job->used_direct = TRUE;
      do
        n = pwrite (spool->direct_fd, job->data, job->length, (off_t) job->offset);
      while (n < 0 && errno == EINTR);

      if (n < 0)
        job->saved_errno = errno;
      else if ((gsize) n < job->length)
        /* A short direct write leaves an unaligned rest: finish it buffered. */
        write_fully (spool->fd, job->data + n, job->length - n, job->offset + n,
                     &job->saved_errno);
    }
  else
    write_fully (spool->fd, job->data, job->length, job->offset, &job->saved_errno);

  /* An idle source, not g_main_context_invoke(): that would run job_done right
   * here, on this thread, whenever the spool's thread is not iterating. */
  done = g_idle_source_new ();
  g_source_set_priority (done, G_PRIORITY_DEFAULT);
  g_source_set_callback (done, job_done, job, NULL);
  g_source_set_static_name (done, "[troupe] spool write done");
  g_source_attach (done, spool->context);
  g_source_unref (done);
}

static void
submit_job (TroupeSpool  *self,
            SpoolChunk   *chunk,
            gsize         from,
            gsize         to,
            gboolean      whole_chunk,
            guint64       sequence)
{
  WriteJob *job = g_new0 (WriteJob, 1);

  if (writer_pool == NULL)
    writer_pool = g_thread_pool_new (write_job, NULL, WRITER_THREADS, FALSE, NULL);

  job->spool = g_object_ref (self);
  job->chunk = chunk;
  job->offset = chunk->offset + from;
  job->data = chunk->data + from;
  job->length = to - from;
  job->whole_chunk = whole_chunk;
  job->sequence = sequence;
  chunk->jobs++;
  self->jobs++;
  g_atomic_int_inc (&jobs_in_flight);
  g_thread_pool_push (writer_pool, job, NULL);
}

static void
submit (TroupeSpool  *self,
        SpoolChunk   *chunk,
        gsize         from,
        gsize         to,
        gboolean      whole_chunk)
{
  submit_job (self, chunk, from, to, whole_chunk, self->next_sequence++);
}

static void
fail (TroupeSpool *self,
      int          saved_errno)
{
  if (self->error != NULL)
    return;
  g_set_error (&self->error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Output is no longer saved: writing %s failed: %s"),
               self->path, g_strerror (saved_errno));
  g_signal_emit (self, signals[FAILED], 0, self->error);
}

/* Back on the spool's thread: chunks that are on disk leave memory, in order. */
static gboolean
job_done (gpointer user_data)
{
  WriteJob *job = user_data;
  g_autoptr(TroupeSpool) self = job->spool;
  SpoolChunk *chunk = job->chunk;

  chunk->jobs--;
  self->jobs--;
  g_atomic_int_add (&jobs_in_flight, -1);

  if (job->saved_errno == EINVAL && job->used_direct)
    {
      /* The file system took O_DIRECT at open but not for this write: write
       * this chunk again buffered, and every chunk after it. Each chunk whose
       * direct write was already under way comes back here too. */
      g_atomic_int_set (&self->direct_refused, TRUE);
      submit_job (self, chunk, 0, chunk->length, TRUE, job->sequence);
      g_free (job);
      return G_SOURCE_REMOVE;
    }

  if (job->sequence < self->wait_mark)
    self->jobs_before_mark--;

  if (job->whole_chunk)
    self->waiting -= chunk->length;
  if (job->saved_errno != 0)
    fail (self, job->saved_errno);
  else if (job->whole_chunk)
    chunk->on_disk = TRUE;
  g_free (job);

  /* Nothing leaves memory after a failure: lines already kept stay readable. */
  while (self->error == NULL && self->chunks->len > 0)
    {
      SpoolChunk *first = g_ptr_array_index (self->chunks, 0);

      if (!first->on_disk || first->jobs > 0)
        break;
      g_ptr_array_steal_index (self->chunks, 0);
      if (self->spare_chunks->len < SPARE_CHUNKS)
        g_ptr_array_add (self->spare_chunks, first);
      else
        chunk_free (first);
    }

  /* After a failure nothing more is taken, so nothing is worth waiting for. */
  if (self->congested && (self->waiting <= RELIEVED_BYTES || self->error != NULL))
    {
      self->congested = FALSE;
      g_signal_emit (self, signals[RELIEVED], 0);
    }
  return G_SOURCE_REMOVE;
}

static SpoolChunk *
new_chunk (TroupeSpool *self,
           guint64      offset)
{
  SpoolChunk *chunk;

  if (self->spare_chunks->len > 0)
    chunk = g_ptr_array_steal_index (self->spare_chunks, self->spare_chunks->len - 1);
  else
    {
      chunk = g_new0 (SpoolChunk, 1);
      if (posix_memalign ((void **) &chunk->data, CHUNK_ALIGNMENT, CHUNK_SIZE) != 0)
        g_error ("out of memory for a %d byte spool chunk", CHUNK_SIZE);
    }
  chunk->offset = offset;
  chunk->length = 0;
  chunk->jobs = 0;
  chunk->submitted = FALSE;
  chunk->on_disk = FALSE;
  g_ptr_array_add (self->chunks, chunk);
  self->tail_written = 0;
  return chunk;
}

static gboolean
on_tail_timer (gpointer user_data)
{
  TroupeSpool *self = user_data;

  g_clear_pointer (&self->tail_timer, g_source_unref);
  troupe_spool_flush (self);
  return G_SOURCE_REMOVE;
}

/**
 * troupe_spool_append:
 * @data: (array length=length): bytes to add at the end
 *
 * Returns: %FALSE if the spool has failed and takes nothing more
 */
gboolean
troupe_spool_append (TroupeSpool  *self,
                     const guint8 *data,
                     gsize         length)
{
  g_return_val_if_fail (TROUPE_IS_SPOOL (self), FALSE);

  if (self->error != NULL)
    return FALSE;

  while (length > 0)
    {
      SpoolChunk *chunk = self->chunks->len > 0
                            ? g_ptr_array_index (self->chunks, self->chunks->len - 1)
                            : NULL;
      gsize room;

      if (chunk == NULL || chunk->submitted)
        chunk = new_chunk (self, self->length);

      room = MIN (length, CHUNK_SIZE - chunk->length);
      memcpy (chunk->data + chunk->length, data, room);
      chunk->length += room;
      self->length += room;
      data += room;
      length -= room;

      if (chunk->length == CHUNK_SIZE)
        {
          chunk->submitted = TRUE;
          self->waiting += CHUNK_SIZE;
          submit (self, chunk, 0, CHUNK_SIZE, TRUE);
          if (self->waiting >= CONGESTED_BYTES)
            self->congested = TRUE;
        }
    }

  /* What is still filling reaches the file within a second of arriving. */
  if (self->tail_timer == NULL)
    {
      self->tail_timer = g_timeout_source_new (TAIL_FLUSH_DELAY_MS);
      g_source_set_callback (self->tail_timer, on_tail_timer, self, NULL);
      g_source_set_static_name (self->tail_timer, "[troupe] spool tail");
      g_source_attach (self->tail_timer, self->context);
    }
  return TRUE;
}

/**
 * troupe_spool_flush:
 *
 * Starts writing what is appended but not yet on its way to the disk.
 */
void
troupe_spool_flush (TroupeSpool *self)
{
  SpoolChunk *chunk;

  g_return_if_fail (TROUPE_IS_SPOOL (self));

  if (self->tail_timer != NULL)
    {
      g_source_destroy (self->tail_timer);
      g_clear_pointer (&self->tail_timer, g_source_unref);
    }
  if (self->error != NULL || self->chunks->len == 0)
    return;

  chunk = g_ptr_array_index (self->chunks, self->chunks->len - 1);
  if (chunk->submitted || chunk->length == self->tail_written)
    return;

  /* Buffered: a partial chunk cannot go O_DIRECT. When the chunk fills, it is
   * written again whole, which also moves it out of the page cache. */
  submit (self, chunk, self->tail_written, chunk->length, FALSE);
  self->tail_written = chunk->length;
}

/**
 * troupe_spool_is_congested:
 *
 * Returns: %TRUE while more is waiting for the disk than should be; the
 *   producer should pause until #TroupeSpool::relieved
 */
gboolean
troupe_spool_is_congested (TroupeSpool *self)
{
  g_return_val_if_fail (TROUPE_IS_SPOOL (self), FALSE);
  return self->congested;
}

static gboolean
read_file (TroupeSpool  *self,
           guint64       offset,
           gsize         length,
           guint8       *destination,
           GError      **error)
{
  while (length > 0)
    {
      ssize_t n = pread (self->fd, destination, length, (off_t) offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved_errno = n < 0 ? errno : EIO;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not read the log %s: %s"), self->path,
                       g_strerror (saved_errno));
          return FALSE;
        }
      destination += n;
      length -= n;
      offset += n;
    }
  return TRUE;
}

/**
 * troupe_spool_read:
 * @offset: where to start
 * @length: how many bytes; @offset + @length must be within the spool
 * @destination: (out caller-allocates) (array length=length): where they go
 * @error: set if the file cannot be read
 *
 * Reads what was appended, from memory while it is on its way to the disk.
 *
 * Returns: %TRUE on success
 */
gboolean
troupe_spool_read (TroupeSpool  *self,
                   guint64       offset,
                   gsize         length,
                   guint8       *destination,
                   GError      **error)
{
  g_return_val_if_fail (TROUPE_IS_SPOOL (self), FALSE);
  g_return_val_if_fail (offset + length <= self->length, FALSE);

  while (length > 0)
    {
      const SpoolChunk *first = self->chunks->len > 0 ? g_ptr_array_index (self->chunks, 0)
                                                      : NULL;
      gsize piece;

      if (first == NULL || offset < first->offset)
        {
          /* Before the chunks in memory: on disk. */
          piece = first == NULL ? length : (gsize) MIN (length, first->offset - offset);
          if (!read_file (self, offset, piece, destination, error))
            return FALSE;
        }
      else
        {
          /* Chunks are contiguous and CHUNK_SIZE apart, so the one is found directly. */
          const SpoolChunk *chunk =
            g_ptr_array_index (self->chunks, (offset - first->offset) / CHUNK_SIZE);
          gsize within = offset - chunk->offset;

          piece = MIN (length, chunk->length - within);
          memcpy (destination, chunk->data + within, piece);
        }
      destination += piece;
      offset += piece;
      length -= piece;
    }
  return TRUE;
}

/**
 * troupe_spool_wait_all:
 *
 * Iterates the global default main context, where the app's spools live, until
 * every spool's writes are done; for quitting. What is still filling should be
 * flushed first.
 */
void
troupe_spool_wait_all (void)
{
  while (g_atomic_int_get (&jobs_in_flight) > 0)
    g_main_context_iteration (NULL, TRUE);
}

/**
 * troupe_spool_wait:
 *
 * Flushes, then iterates the spool's main context until everything appended
 * so far is in the file (or the spool has failed). Output appended meanwhile
 * is not waited for, so a chatty run cannot keep this from returning.
 */
void
troupe_spool_wait (TroupeSpool *self)
{
  g_return_if_fail (TROUPE_IS_SPOOL (self));

  troupe_spool_flush (self);
  self->wait_mark = self->next_sequence;
  self->jobs_before_mark = self->jobs;
  while (self->jobs_before_mark > 0)
    g_main_context_iteration (self->context, TRUE);
}
