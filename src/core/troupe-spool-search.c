/* troupe-spool-search.c: a regular expression over a spool file, line by line, in large blocks
 *
 * A spool is one line after another, so a search reads it in 4 MiB blocks of
 * whole lines and runs the expression over each block at once (multi-line, so
 * ^ and $ still mean a line's start and end) instead of line by line: a match
 * is placed on its line by counting newlines up to it, and the search goes on
 * from the next line, so each line is reported once. Lines that never match
 * cost only the expression's own scan and one memchr() each.
 *
 * The expression works on bytes (GRegex's raw mode), because a child's output
 * need not be valid UTF-8 and a search must not fail on it; ignoring case
 * then means ASCII case, as the output view's own search does. The search
 * runs on a worker thread: it blocks on the file, and stops when cancelled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "troupe-spool-search.h"

#define BLOCK_BYTES     (4 * 1024 * 1024)
/* A longer line is searched in pieces of this size (the log splits such lines too). */
#define MAX_LINE_BYTES  (32 * 1024 * 1024)
/* The spool is written behind: bytes the log has counted may still be on their
 * way to the file. Wait this long for them before calling the file short. */
#define SHORT_WAIT_USEC (10 * G_USEC_PER_SEC)

struct _TroupeSpoolSearch
{
  GRegex  *regex;
  guint64  n_lines;
  guint64  n_matches;
  guint64  n_bytes;
};

/**
 * troupe_spool_search_new:
 * @pattern: a Perl-compatible regular expression (GRegex)
 * @ignore_case: whether to ignore ASCII case
 *
 * Returns: (transfer full) (nullable): the search, or %NULL with GRegex's own
 *   error when @pattern is not a valid expression
 */
TroupeSpoolSearch *
troupe_spool_search_new (const char  *pattern,
                         gboolean     ignore_case,
                         GError     **error)
{
  g_autoptr(GRegex) regex = NULL;
  TroupeSpoolSearch *self;
  GRegexCompileFlags flags = G_REGEX_RAW | G_REGEX_MULTILINE | G_REGEX_OPTIMIZE;

  g_return_val_if_fail (pattern != NULL, NULL);

  if (ignore_case)
    flags |= G_REGEX_CASELESS;
  regex = g_regex_new (pattern, flags, 0, error);
  if (regex == NULL)
    return NULL;

  self = g_new0 (TroupeSpoolSearch, 1);
  self->regex = g_steal_pointer (&regex);
  return self;
}

void
troupe_spool_search_free (TroupeSpoolSearch *self)
{
  if (self == NULL)
    return;
  g_regex_unref (self->regex);
  g_free (self);
}

static guint64
count_newlines (const guint8 *data,
                gsize         length)
{
  const guint8 *end = data + length;
  guint64 count = 0;

  while ((data = memchr (data, '\n', end - data)) != NULL)
    {
      count++;
      data++;
    }
  return count;
}

/* Searches whole lines in block[0, length); the first is line number @line.
 * Returns FALSE when the caller asked to stop. */
static gboolean
search_block (TroupeSpoolSearch    *self,
              const guint8         *block,
              gsize                 length,
              guint64               line,
              TroupeSpoolMatchFunc  func,
              gpointer              user_data)
{
  gsize counted = 0;   /* newlines before here are in @line */
  gsize from = 0;

  while (from < length)
    {
      g_autoptr(GMatchInfo) match_info = NULL;
      const guint8 *line_start;
      const guint8 *line_end;
      int match_start;

      if (!g_regex_match_full (self->regex, (const char *) block, length, from, 0,
                               &match_info, NULL))
        break;
      g_match_info_fetch_pos (match_info, 0, &match_start, NULL);
      if ((gsize) match_start >= length)
        break;  /* an empty match at the very end is not a line */

      line += count_newlines (block + counted, match_start - counted);
      counted = match_start;
      line_start = block + from;
      if ((gsize) match_start > from)
        {
          const guint8 *before = memrchr (block + from, '\n', match_start - from);

          if (before != NULL)
            line_start = before + 1;
        }
      line_end = memchr (block + match_start, '\n', length - match_start);
      if (line_end == NULL)
        line_end = block + length;

      self->n_matches++;
      if (!func (line, line_start, line_end - line_start, user_data))
        return FALSE;

      /* On to the next line: one report per line however often it matches. */
      if (line_end == block + length)
        break;
      line++;
      counted = from = line_end + 1 - block;
    }
  return TRUE;
}

static gssize
read_some (int           fd,
           guint8       *buffer,
           gsize         length,
           gboolean      wait_for_more,
           GCancellable *cancellable)
{
  gint64 give_up = 0;

  for (;;)
    {
      gssize n = read (fd, buffer, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n != 0 || !wait_for_more || g_cancellable_is_cancelled (cancellable))
        return n;
      if (give_up == 0)
        give_up = g_get_monotonic_time () + SHORT_WAIT_USEC;
      else if (g_get_monotonic_time () > give_up)
        return 0;
      g_usleep (5 * 1000);
    }
}

/**
 * troupe_spool_search_run:
 * @path: the spool file
 * @offset: where to start: the start of a line
 * @end_offset: where to stop: the end of a line, or %G_MAXUINT64 for the
 *   end of the file
 * @first_line: the number given to the line at @offset
 * @func: called for each matching line, in order
 *
 * Blocks until the search is done, @func says stop, or @cancellable is
 * cancelled (then it returns FALSE with G_IO_ERROR_CANCELLED). Counts add up
 * over several runs.
 *
 * Returns: %TRUE if the file could be searched
 */
gboolean
troupe_spool_search_run (TroupeSpoolSearch     *self,
                         const char            *path,
                         guint64                offset,
                         guint64                end_offset,
                         guint64                first_line,
                         TroupeSpoolMatchFunc   func,
                         gpointer               user_data,
                         GCancellable          *cancellable,
                         GError               **error)
{
  g_autofree guint8 *buffer = NULL;
  gsize capacity = BLOCK_BYTES;
  gsize filled = 0;
  guint64 position = offset;
  guint64 line = first_line;
  gboolean at_end = FALSE;
  int fd;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot open “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  if (offset > 0 && lseek (fd, offset, SEEK_SET) < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot read “%s”: %s"), path, g_strerror (saved_errno));
      close (fd);
      return FALSE;
    }
  posix_fadvise (fd, offset, 0, POSIX_FADV_SEQUENTIAL);
  buffer = g_malloc (capacity);

  while (!at_end)
    {
      gsize want = capacity - filled;
      gsize complete;
      gssize n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          close (fd);
          return FALSE;
        }
      if (end_offset != G_MAXUINT64)
        want = MIN (want, end_offset - position);
      n = want > 0 ? read_some (fd, buffer + filled, want, end_offset != G_MAXUINT64,
                                cancellable)
                   : 0;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Cannot read “%s”: %s"), path, g_strerror (saved_errno));
          close (fd);
          return FALSE;
        }
      position += n;
      filled += n;
      self->n_bytes += n;
      at_end = n == 0;

      /* Whole lines only, unless this is the end or one line fills the buffer. */
      if (at_end)
        complete = filled;
      else
        {
          const guint8 *last = memrchr (buffer, '\n', filled);

          complete = last != NULL ? (gsize) (last + 1 - buffer) : 0;
          if (complete == 0 && filled == capacity)
            {
              if (capacity < MAX_LINE_BYTES)
                {
                  capacity *= 2;
                  buffer = g_realloc (buffer, capacity);
                  continue;
                }
              complete = filled;
            }
        }
      if (complete == 0)
        continue;

      if (!search_block (self, buffer, complete, line, func, user_data))
        break;
      {
        guint64 newlines = count_newlines (buffer, complete);

        /* A last piece without a newline is a line too. */
        if (complete > 0 && buffer[complete - 1] != '\n')
          newlines++;
        line += newlines;
        self->n_lines += newlines;
      }
      memmove (buffer, buffer + complete, filled - complete);
      filled -= complete;
    }

  close (fd);
  return TRUE;
}

guint64
troupe_spool_search_get_n_lines (TroupeSpoolSearch *self)
{
  return self->n_lines;
}

guint64
troupe_spool_search_get_n_matches (TroupeSpoolSearch *self)
{
  return self->n_matches;
}

guint64
troupe_spool_search_get_n_bytes (TroupeSpoolSearch *self)
{
  return self->n_bytes;
}
