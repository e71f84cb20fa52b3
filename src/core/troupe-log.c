/* troupe-log.c: every byte a run prints, spooled to disk and indexed by line
 *
 * The spool holds whole lines only, in the order they completed, so each line is
 * one contiguous range of the file and the index needs only its start. A line
 * still being written (no newline yet) waits in memory per stream; that is what
 * keeps stdout and stderr from tearing each other's lines apart when they
 * interleave. The spool keeps the raw bytes; text for display is made valid
 * UTF-8 only when a line is read back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "troupe-log.h"
#include "troupe-spool.h"

struct _TroupeLog
{
  GObject           parent_instance;

  /* The spool file is created with the first line, so a run that prints
   * nothing costs no disk at all. */
  TroupeSpoolDir   *spool_dir;
  char             *run_name;
  char             *spool_path;
  TroupeSpool      *spool;
  GError           *spool_error;

  TroupeLineIndex  *index;
  GByteArray       *partial[2];
  guint64           n_bytes[2];
};

enum {
  LINES_ADDED,
  SPOOL_FAILED,
  RELIEVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TroupeLog, troupe_log, G_TYPE_OBJECT)

static void
troupe_log_finalize (GObject *object)
{
  TroupeLog *self = (TroupeLog *) object;

  if (self->spool != NULL)
    {
      /* Whatever is still in memory goes to the file; the spool lives on until
       * its writes are done. */
      troupe_spool_flush (self->spool);
      g_signal_handlers_disconnect_by_data (self->spool, self);
      g_clear_object (&self->spool);
    }
  g_clear_pointer (&self->spool_path, g_free);
  g_clear_pointer (&self->run_name, g_free);
  g_clear_object (&self->spool_dir);
  g_clear_error (&self->spool_error);
  g_clear_pointer (&self->index, troupe_line_index_free);
  for (guint s = 0; s < 2; s++)
    g_clear_pointer (&self->partial[s], g_byte_array_unref);

  G_OBJECT_CLASS (troupe_log_parent_class)->finalize (object);
}

static void
troupe_log_class_init (TroupeLogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = troupe_log_finalize;

  /**
   * TroupeLog::lines-added:
   * @position: the first new line's position among all lines
   * @n_added: how many lines were added
   *
   * Emitted once per batch of output, never once per line.
   */
  signals[LINES_ADDED] =
    g_signal_new ("lines-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);

  /**
   * TroupeLog::spool-failed:
   * @error: why, for a person ("No space left on device")
   *
   * Emitted once when the spool stops taking output. Bytes are still counted,
   * and the #TroupeProcess::output signal still carries them, but no more
   * lines are kept.
   */
  signals[SPOOL_FAILED] =
    g_signal_new ("spool-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  /**
   * TroupeLog::relieved:
   *
   * Emitted when a congested log (see troupe_log_is_congested()) can take
   * output again.
   */
  signals[RELIEVED] =
    g_signal_new ("relieved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
troupe_log_init (TroupeLog *self)
{
  self->index = troupe_line_index_new ();
  for (guint s = 0; s < 2; s++)
    self->partial[s] = g_byte_array_new ();
}

/**
 * troupe_log_new:
 * @spool_dir: where the spool file goes
 * @run_name: (nullable): the run's name, part of the file name
 *
 * The spool file is created with the first output; if it cannot be, that is
 * reported through #TroupeLog::spool-failed like any later write error.
 *
 * Returns: (transfer full): an empty log
 */
TroupeLog *
troupe_log_new (TroupeSpoolDir *spool_dir,
                const char     *run_name)
{
  TroupeLog *self;

  g_return_val_if_fail (TROUPE_IS_SPOOL_DIR (spool_dir), NULL);

  self = g_object_new (TROUPE_TYPE_LOG, NULL);
  self->spool_dir = g_object_ref (spool_dir);
  self->run_name = g_strdup (run_name);
  return self;
}

/**
 * troupe_log_get_spool_path:
 *
 * Returns: (nullable): the spool file, or %NULL while nothing has been written
 */
const char *
troupe_log_get_spool_path (TroupeLog *self)
{
  g_return_val_if_fail (TROUPE_IS_LOG (self), NULL);
  return self->spool_path;
}

/**
 * troupe_log_get_spool_error:
 *
 * Returns: (nullable): why the spool stopped taking output (a full disk, say)
 */
const GError *
troupe_log_get_spool_error (TroupeLog *self)
{
  g_return_val_if_fail (TROUPE_IS_LOG (self), NULL);
  return self->spool_error;
}

static void
on_spool_failed (TroupeSpool  *spool,
                 const GError *error,
                 TroupeLog    *self)
{
  if (self->spool_error != NULL)
    return;
  self->spool_error = g_error_copy (error);
  g_signal_emit (self, signals[SPOOL_FAILED], 0, self->spool_error);
}

static void
on_spool_relieved (TroupeSpool *spool,
                   TroupeLog   *self)
{
  g_signal_emit (self, signals[RELIEVED], 0);
}

static gboolean
ensure_spool (TroupeLog *self)
{
  int fd;

  if (self->spool != NULL)
    return TRUE;
  if (self->spool_error != NULL)
    return FALSE;

  fd = troupe_spool_dir_create_spool (self->spool_dir, self->run_name, &self->spool_path,
                                      &self->spool_error);
  if (fd < 0)
    {
      g_prefix_error (&self->spool_error, "%s", _("Output is not saved: "));
      g_signal_emit (self, signals[SPOOL_FAILED], 0, self->spool_error);
      return FALSE;
    }
  self->spool = troupe_spool_new (fd, self->spool_path);
  g_signal_connect (self->spool, "failed", G_CALLBACK (on_spool_failed), self);
  g_signal_connect (self->spool, "relieved", G_CALLBACK (on_spool_relieved), self);
  return TRUE;
}

/* Appends whole lines to the spool; FALSE once it takes no more. */
static gboolean
spool_write (TroupeLog    *self,
             struct iovec *parts,
             int           n_parts)
{
  if (!ensure_spool (self))
    return FALSE;

  for (int i = 0; i < n_parts; i++)
    if (!troupe_spool_append (self->spool, parts[i].iov_base, parts[i].iov_len))
      return FALSE;
  return TRUE;
}

static guint64
spool_end (TroupeLog *self)
{
  return self->spool != NULL ? troupe_spool_get_length (self->spool) : 0;
}

static void
index_line (TroupeLog    *self,
            TroupeStream  stream,
            guint64       start,
            guint64       end,
            gint64        time)
{
  /* A full index still spools: the bytes are kept, only not addressable by line. */
  troupe_line_index_append (self->index, stream, start, end, time);
}

static void
emit_lines_added (TroupeLog *self,
                  guint      first)
{
  guint now = troupe_line_index_get_n_lines (self->index, TROUPE_LINES_ALL);

  if (now > first)
    g_signal_emit (self, signals[LINES_ADDED], 0, first, now - first);
}

static void
flush_partial (TroupeLog    *self,
               TroupeStream  stream,
               gint64        time)
{
  GByteArray *partial = self->partial[stream];
  guint64 start = spool_end (self);
  struct iovec part = { partial->data, partial->len };

  if (partial->len == 0)
    return;
  if (spool_write (self, &part, 1))
    index_line (self, stream, start, spool_end (self), time);
  g_byte_array_set_size (partial, 0);
}

/**
 * troupe_log_append:
 * @stream: which stream @data came from
 * @data: (array length=length): bytes as the child wrote them
 * @time: when they were read (g_get_monotonic_time())
 *
 * Spools @data and indexes the lines it completes. Emits
 * #TroupeLog::lines-added once if any line was completed.
 */
void
troupe_log_append (TroupeLog    *self,
                   TroupeStream  stream,
                   const guint8 *data,
                   gsize         length,
                   gint64        time)
{
  GByteArray *partial;
  const guint8 *last_newline;
  const guint8 *line_start;
  const guint8 *end;
  guint first = troupe_line_index_get_n_lines (self->index, TROUPE_LINES_ALL);
  guint64 offset;
  struct iovec parts[2];

  g_return_if_fail (TROUPE_IS_LOG (self));
  g_return_if_fail (stream == TROUPE_STREAM_STDOUT || stream == TROUPE_STREAM_STDERR);

  if (length == 0)
    return;

  partial = self->partial[stream];
  self->n_bytes[stream] += length;

  last_newline = memrchr (data, '\n', length);
  if (last_newline == NULL)
    {
      g_byte_array_append (partial, data, length);
      if (partial->len >= TROUPE_LOG_MAX_LINE_BYTES)
        flush_partial (self, stream, time);
      emit_lines_added (self, first);
      return;
    }

  /* One write for the waiting partial line and every complete line in @data. */
  end = last_newline + 1;
  offset = spool_end (self);
  parts[0].iov_base = partial->data;
  parts[0].iov_len = partial->len;
  parts[1].iov_base = (void *) data;
  parts[1].iov_len = end - data;

  if (spool_write (self, partial->len > 0 ? parts : parts + 1, partial->len > 0 ? 2 : 1))
    {
      offset += partial->len;
      line_start = data;
      while (line_start < end)
        {
          const guint8 *newline = memchr (line_start, '\n', end - line_start);
          guint64 line_end = offset + (newline + 1 - data);

          /* The first line also covers what was waiting in partial. */
          index_line (self, stream,
                      line_start == data ? offset - partial->len : offset + (line_start - data),
                      line_end, time);
          line_start = newline + 1;
        }
    }

  g_byte_array_set_size (partial, 0);
  if (end < data + length)
    g_byte_array_append (partial, end, data + length - end);

  emit_lines_added (self, first);
}

/**
 * troupe_log_end_stream:
 * @stream: the stream that reached end of file
 *
 * Keeps a last line that had no newline as a line of its own.
 */
void
troupe_log_end_stream (TroupeLog    *self,
                       TroupeStream  stream,
                       gint64        time)
{
  guint first;

  g_return_if_fail (TROUPE_IS_LOG (self));

  first = troupe_line_index_get_n_lines (self->index, TROUPE_LINES_ALL);
  flush_partial (self, stream, time);
  if (self->spool != NULL)
    troupe_spool_flush (self->spool);
  emit_lines_added (self, first);
}

/**
 * troupe_log_get_n_lines:
 * @lines: all lines, or one stream's
 *
 * Returns: how many complete lines there are (a line still waiting for its
 *   newline is not counted until it has one or its stream ends)
 */
guint
troupe_log_get_n_lines (TroupeLog   *self,
                        TroupeLines  lines)
{
  g_return_val_if_fail (TROUPE_IS_LOG (self), 0);
  return troupe_line_index_get_n_lines (self->index, lines);
}

/**
 * troupe_log_get_n_bytes:
 * @lines: all output, or one stream's
 *
 * Returns: how many bytes the child has written there
 */
guint64
troupe_log_get_n_bytes (TroupeLog   *self,
                        TroupeLines  lines)
{
  g_return_val_if_fail (TROUPE_IS_LOG (self), 0);

  if (lines == TROUPE_LINES_ALL)
    return self->n_bytes[0] + self->n_bytes[1];
  return self->n_bytes[lines];
}

/**
 * troupe_log_get_line_info:
 * @position: the line's position among @lines
 * @info: (out): where and when the line is
 *
 * Returns: %FALSE if there is no such line
 */
gboolean
troupe_log_get_line_info (TroupeLog      *self,
                          TroupeLines     lines,
                          guint           position,
                          TroupeLineInfo *info)
{
  g_return_val_if_fail (TROUPE_IS_LOG (self), FALSE);
  return troupe_line_index_lookup (self->index, lines, position, info);
}

/**
 * troupe_log_read_line:
 * @position: the line's position among @lines
 * @info: (out) (optional): where and when the line is
 * @error: set if there is no such line or the spool cannot be read
 *
 * Returns: (transfer full): the line's raw bytes, without its "\n" or "\r\n"
 */
GBytes *
troupe_log_read_line (TroupeLog       *self,
                      TroupeLines      lines,
                      guint            position,
                      TroupeLineInfo  *info,
                      GError         **error)
{
  TroupeLineInfo line;
  g_autofree guint8 *buffer = NULL;
  gsize length;

  g_return_val_if_fail (TROUPE_IS_LOG (self), NULL);

  if (!troupe_line_index_lookup (self->index, lines, position, &line))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("There is no line %u in this log"), position + 1);
      return NULL;
    }

  length = line.length;
  buffer = g_malloc (length + 1);
  /* An indexed line is in the spool, on disk or still in memory. */
  if (!troupe_spool_read (self->spool, line.offset, length, buffer, error))
    return NULL;

  if (length > 0 && buffer[length - 1] == '\n')
    {
      length--;
      if (length > 0 && buffer[length - 1] == '\r')
        length--;
    }

  if (info != NULL)
    *info = line;
  return g_bytes_new_take (g_steal_pointer (&buffer), length);
}

/**
 * troupe_log_read_bytes:
 * @offset: where in the spool
 * @length: how many bytes; they must be within the lines indexed so far
 * @destination: (out caller-allocates) (array length=length): where they go
 *
 * Reads a stretch of the spool: many lines at once, for a search or an export.
 *
 * Returns: %TRUE on success
 */
gboolean
troupe_log_read_bytes (TroupeLog  *self,
                       guint64     offset,
                       gsize       length,
                       guint8     *destination,
                       GError    **error)
{
  g_return_val_if_fail (TROUPE_IS_LOG (self), FALSE);

  if (length == 0)
    return TRUE;
  if (self->spool == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("Nothing of this run's output was saved"));
      return FALSE;
    }
  return troupe_spool_read (self->spool, offset, length, destination, error);
}

/**
 * troupe_text_from_output:
 * @data: (array length=length): raw bytes from a child
 *
 * Returns: (transfer full): @data as valid UTF-8 for display: invalid sequences
 *   become U+FFFD and NUL bytes U+2400 (␀), so a line is never cut short
 */
char *
troupe_text_from_output (const guint8 *data,
                         gsize         length)
{
  const char *remainder = (const char *) data;
  gsize remaining = length;
  GString *text = g_string_sized_new (length + 1);

  while (remaining > 0)
    {
      const char *invalid;

      if (g_utf8_validate_len (remainder, remaining, &invalid))
        invalid = remainder + remaining;

      g_string_append_len (text, remainder, invalid - remainder);
      remaining -= invalid - remainder;
      remainder = invalid;
      if (remaining == 0)
        break;

      /* NUL is valid UTF-8 but would end the C string early. */
      g_string_append (text, *remainder == '\0' ? "\xe2\x90\x80" : "\xef\xbf\xbd");
      remainder++;
      remaining--;
    }

  return g_string_free (text, FALSE);
}

/**
 * troupe_log_read_line_text:
 *
 * Like troupe_log_read_line(), as text made safe for display by
 * troupe_text_from_output().
 *
 * Returns: (transfer full): the line's text, or %NULL
 */
char *
troupe_log_read_line_text (TroupeLog       *self,
                           TroupeLines      lines,
                           guint            position,
                           TroupeLineInfo  *info,
                           GError         **error)
{
  g_autoptr(GBytes) bytes = troupe_log_read_line (self, lines, position, info, error);
  gsize length;
  const guint8 *data;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &length);
  return troupe_text_from_output (data, length);
}

/**
 * troupe_log_wait_saved:
 *
 * Iterates the thread-default main context until every byte taken so far is
 * in the spool file (or the spool has failed); before exporting it, say.
 */
void
troupe_log_wait_saved (TroupeLog *self)
{
  g_return_if_fail (TROUPE_IS_LOG (self));

  if (self->spool != NULL)
    troupe_spool_wait (self->spool);
}

static void
on_export_copied (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_copy_finish (G_FILE (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_export_replaced (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * troupe_log_export_async:
 * @destination: the file to write; replaced if it exists
 *
 * Writes every byte of the run's output, as the child wrote it (both streams,
 * in the order their lines completed), to @destination. Waits for the spool's
 * writes first; the copy itself runs off the main thread.
 */
void
troupe_log_export_async (TroupeLog           *self,
                         GFile               *destination,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFile) spool = NULL;

  g_return_if_fail (TROUPE_IS_LOG (self));
  g_return_if_fail (G_IS_FILE (destination));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, troupe_log_export_async);

  if (self->spool == NULL)
    {
      /* Nothing was printed, or nothing could be saved: the export says so by
       * being empty, as the run's output was. */
      if (self->spool_error != NULL)
        {
          g_task_return_error (task, g_error_copy (self->spool_error));
          return;
        }
      g_file_replace_contents_async (destination, "", 0, NULL, FALSE, G_FILE_CREATE_NONE,
                                     cancellable, on_export_replaced, g_steal_pointer (&task));
      return;
    }

  troupe_spool_wait (self->spool);
  spool = g_file_new_for_path (self->spool_path);
  g_file_copy_async (spool, destination, G_FILE_COPY_OVERWRITE | G_FILE_COPY_TARGET_DEFAULT_PERMS,
                     G_PRIORITY_DEFAULT, cancellable, NULL, NULL, on_export_copied,
                     g_steal_pointer (&task));
}

gboolean
troupe_log_export_finish (TroupeLog     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (TROUPE_IS_LOG (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == troupe_log_export_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * troupe_log_is_congested:
 *
 * Returns: %TRUE while the disk is behind by more than a few megabytes; the
 *   reader should pause until #TroupeLog::relieved
 */
gboolean
troupe_log_is_congested (TroupeLog *self)
{
  g_return_val_if_fail (TROUPE_IS_LOG (self), FALSE);
  return self->spool != NULL && troupe_spool_is_congested (self->spool);
}

/**
 * troupe_log_get_index_memory:
 *
 * Returns: bytes of memory the line index uses
 */
gsize
troupe_log_get_index_memory (TroupeLog *self)
{
  g_return_val_if_fail (TROUPE_IS_LOG (self), 0);
  return troupe_line_index_get_memory (self->index);
}
