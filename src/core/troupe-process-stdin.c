/* troupe-process-stdin.c: what we write to a run's stdin, and its end of file
 *
 * Writes never block us: bytes are queued and written as fast as the child
 * reads them. A producer that can outrun the child (the headless command
 * line passing its own stdin on) watches troupe_process_get_stdin_queued()
 * and waits for #TroupeProcess::stdin-drained.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <unistd.h>

#include "troupe-process-private.h"

/* Once this much has been written, the written head of the queue is dropped,
 * so draining a big queue stays linear. */
#define COMPACT_AFTER (256 * 1024)

void
_troupe_process_close_stdin (TroupeProcess *self)
{
  g_clear_handle_id (&self->stdin_source, g_source_remove);
  if (self->stdin_fd >= 0)
    {
      close (self->stdin_fd);
      self->stdin_fd = -1;
    }
  g_byte_array_set_size (self->stdin_queue, 0);
  self->stdin_sent = 0;
}

/* Returns TRUE when nothing is left to write. */
static gboolean
flush_stdin (TroupeProcess *self)
{
  while (self->stdin_sent < self->stdin_queue->len)
    {
      ssize_t n = write (self->stdin_fd, self->stdin_queue->data + self->stdin_sent,
                         self->stdin_queue->len - self->stdin_sent);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        {
          if (self->stdin_sent >= COMPACT_AFTER)
            {
              g_byte_array_remove_range (self->stdin_queue, 0, self->stdin_sent);
              self->stdin_sent = 0;
            }
          return FALSE;
        }
      if (n < 0)
        {
          /* EPIPE: the child closed its stdin; nothing queued can ever arrive. */
          _troupe_process_close_stdin (self);
          _troupe_process_emit_stdin_drained (self);
          return TRUE;
        }
      self->stdin_sent += n;
    }

  g_byte_array_set_size (self->stdin_queue, 0);
  self->stdin_sent = 0;
  if (self->stdin_close_requested)
    _troupe_process_close_stdin (self);
  _troupe_process_emit_stdin_drained (self);
  return TRUE;
}

static gboolean
on_stdin_writable (int          fd,
                   GIOCondition condition,
                   gpointer     user_data)
{
  TroupeProcess *self = user_data;

  if (!flush_stdin (self))
    return G_SOURCE_CONTINUE;
  self->stdin_source = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
check_stdin_open (TroupeProcess  *self,
                  GError        **error)
{
  if (self->stdin_fd < 0 || self->stdin_close_requested)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                           self->state == TROUPE_PROCESS_STATE_RUNNING
                             ? _("Input to this process has been closed")
                             : _("The process is not running"));
      return FALSE;
    }
  return TRUE;
}

/**
 * troupe_process_write_stdin:
 * @data: (array length=length): bytes for the child's stdin
 * @error: set if stdin is closed or the run is not running
 *
 * Queues @data; it is written as fast as the child reads, never blocking us.
 *
 * Returns: %TRUE if the bytes were queued
 */
gboolean
troupe_process_write_stdin (TroupeProcess  *self,
                            const guint8   *data,
                            gsize           length,
                            GError        **error)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS (self), FALSE);

  if (!check_stdin_open (self, error))
    return FALSE;

  g_byte_array_append (self->stdin_queue, data, length);
  if (self->stdin_source == 0 && !flush_stdin (self))
    self->stdin_source = g_unix_fd_add (self->stdin_fd, G_IO_OUT | G_IO_ERR,
                                        on_stdin_writable, self);
  return TRUE;
}

/**
 * troupe_process_write_line:
 * @line: text to send; a newline is added
 *
 * Returns: %TRUE if the line was queued
 */
gboolean
troupe_process_write_line (TroupeProcess  *self,
                           const char     *line,
                           GError        **error)
{
  g_autofree char *with_newline = NULL;

  g_return_val_if_fail (TROUPE_IS_PROCESS (self), FALSE);
  g_return_val_if_fail (line != NULL, FALSE);

  with_newline = g_strconcat (line, "\n", NULL);
  return troupe_process_write_stdin (self, (const guint8 *) with_newline,
                                     strlen (with_newline), error);
}

/**
 * troupe_process_close_stdin:
 *
 * Sends end of file once everything queued has been written.
 */
void
troupe_process_close_stdin (TroupeProcess *self)
{
  g_return_if_fail (TROUPE_IS_PROCESS (self));

  if (self->stdin_fd < 0)
    return;
  self->stdin_close_requested = TRUE;
  if (self->stdin_source == 0)
    flush_stdin (self);
}

gboolean
troupe_process_is_stdin_open (TroupeProcess *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS (self), FALSE);
  return self->stdin_fd >= 0 && !self->stdin_close_requested;
}

/**
 * troupe_process_get_stdin_queued:
 *
 * Returns: bytes queued for stdin that the child has not read yet
 */
gsize
troupe_process_get_stdin_queued (TroupeProcess *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS (self), 0);
  return self->stdin_queue->len - self->stdin_sent;
}
