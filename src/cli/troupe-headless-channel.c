/* troupe-headless-channel.c: a fork's messages in the terminal
 *
 * Each line on our stdin is a message to the child; invalid JSON is reported
 * on stderr and not sent, and the end of stdin closes the channel. Messages
 * from the child go to stdout, as they came (plain), or as events (JSON).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <unistd.h>

#include "troupe-format.h"
#include "troupe-headless-private.h"

/* Our stdin is read no further ahead of the child than this. */
#define MESSAGES_AHEAD_MAX (4 * 1024 * 1024)
#define RAW_EXCERPT_CHARS  200

static void
print_message_event (TroupeHeadless *self,
                     const char     *direction,
                     GBytes         *line,
                     gboolean        internal)
{
  g_autoptr(GString) event = g_string_new ("{\"event\":\"message\",\"direction\":\"");
  gsize length;
  const char *data = g_bytes_get_data (line, &length);

  g_string_append (event, direction);
  /* The line is checked JSON on one line: it goes in as it is. */
  g_string_append (event, "\",\"data\":");
  g_string_append_len (event, data, length);
  if (internal)
    g_string_append (event, ",\"internal\":true");
  _troupe_headless_print_event (self, event);
}

static void
on_message (TroupeChannel  *channel,
            GBytes         *line,
            gboolean        internal,
            TroupeHeadless *self)
{
  gsize length;
  const char *data;

  if (self->format == TROUPE_HEADLESS_JSON)
    {
      print_message_event (self, "in", line, internal);
      return;
    }
  if (internal || self->stdout_broken)
    return;
  data = g_bytes_get_data (line, &length);
  _troupe_headless_write_fully (self, STDOUT_FILENO, data, length);
  _troupe_headless_write_fully (self, STDOUT_FILENO, "\n", 1);
}

static void
on_sent (TroupeChannel  *channel,
         GBytes         *line,
         gboolean        internal,
         TroupeHeadless *self)
{
  if (self->format == TROUPE_HEADLESS_JSON)
    print_message_event (self, "out", line, internal);
}

static void
on_protocol_error (TroupeChannel  *channel,
                   const GError   *error,
                   GBytes         *raw,
                   TroupeHeadless *self)
{
  gsize length = 0;
  const guint8 *data = raw != NULL ? g_bytes_get_data (raw, &length) : NULL;
  g_autofree char *excerpt = troupe_format_raw_excerpt (data, length, RAW_EXCERPT_CHARS);

  if (self->format == TROUPE_HEADLESS_JSON)
    {
      g_autoptr(GString) event = g_string_new ("{\"event\":\"protocol-error\",\"message\":");

      _troupe_headless_append_json_string (event, error->message);
      g_string_append (event, ",\"raw\":");
      _troupe_headless_append_json_string (event, excerpt);
      _troupe_headless_print_event (self, event);
      return;
    }
  if (length > 0)
    g_printerr (_("troupe: protocol error: %s: %s\n"), error->message, excerpt);
  else
    g_printerr (_("troupe: protocol error: %s\n"), error->message);
}

static void stop_reading_stdin (TroupeHeadless *self);

static void
on_disconnected (TroupeChannel  *channel,
                 TroupeHeadless *self)
{
  if (self->format == TROUPE_HEADLESS_JSON)
    {
      g_autoptr(GString) event = g_string_new ("{\"event\":\"disconnect\"");
      _troupe_headless_print_event (self, event);
    }
  stop_reading_stdin (self);
}

static void
send_line (TroupeHeadless *self,
           const char     *line,
           gsize           length)
{
  g_autoptr(GError) error = NULL;

  if (length > 0 && line[length - 1] == '\r')
    length--;
  /* An empty line is someone pressing Enter, not a message. */
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isspace (line[i]))
      {
        if (!troupe_channel_send_text (self->channel, line, length, &error))
          g_printerr (_("troupe: not sent: %s\n"), error->message);
        return;
      }
}

static gboolean on_stdin_readable (int fd, GIOCondition condition, gpointer user_data);

static void
read_stdin (TroupeHeadless *self)
{
  if (self->stdin_source == 0 && self->stdin_line != NULL)
    self->stdin_source = g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                        on_stdin_readable, self);
}

static void
stop_reading_stdin (TroupeHeadless *self)
{
  g_clear_handle_id (&self->stdin_source, g_source_remove);
  if (self->stdin_line != NULL)
    g_string_free (g_steal_pointer (&self->stdin_line), TRUE);
}

static void
on_queued_bytes (TroupeChannel  *channel,
                 GParamSpec     *pspec,
                 TroupeHeadless *self)
{
  if (troupe_channel_get_queued_bytes (channel) < MESSAGES_AHEAD_MAX)
    read_stdin (self);
}

static gboolean
on_stdin_readable (int          fd,
                   GIOCondition condition,
                   gpointer     user_data)
{
  TroupeHeadless *self = user_data;
  char buffer[64 * 1024];
  ssize_t n = read (fd, buffer, sizeof buffer);
  const char *newline;

  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return G_SOURCE_CONTINUE;

  if (n <= 0)
    {
      /* The end of our input: the last line may lack its newline. */
      if (self->stdin_line->len > 0)
        send_line (self, self->stdin_line->str, self->stdin_line->len);
      self->stdin_source = 0;
      stop_reading_stdin (self);
      troupe_channel_disconnect (self->channel);
      return G_SOURCE_REMOVE;
    }

  g_string_append_len (self->stdin_line, buffer, n);
  while ((newline = memchr (self->stdin_line->str, '\n', self->stdin_line->len)) != NULL)
    {
      gsize length = newline - self->stdin_line->str;

      send_line (self, self->stdin_line->str, length);
      g_string_erase (self->stdin_line, 0, length + 1);
    }

  if (troupe_channel_get_queued_bytes (self->channel) < MESSAGES_AHEAD_MAX)
    return G_SOURCE_CONTINUE;
  /* The child reads slower than we could send: wait for it. */
  self->stdin_source = 0;
  return G_SOURCE_REMOVE;
}

/* Called once a fork has started: its channel is in the process. */
void
_troupe_headless_watch_channel (TroupeHeadless *self)
{
  self->channel = g_object_ref (troupe_process_get_channel (self->process));
  g_signal_connect (self->channel, "message", G_CALLBACK (on_message), self);
  g_signal_connect (self->channel, "sent", G_CALLBACK (on_sent), self);
  g_signal_connect (self->channel, "protocol-error", G_CALLBACK (on_protocol_error), self);
  g_signal_connect (self->channel, "disconnected", G_CALLBACK (on_disconnected), self);
  g_signal_connect (self->channel, "notify::queued-bytes", G_CALLBACK (on_queued_bytes), self);

  /* In the background of a terminal, reading stdin would stop us (SIGTTIN). */
  if (isatty (STDIN_FILENO) && tcgetpgrp (STDIN_FILENO) != getpgrp ())
    return;
  self->stdin_line = g_string_new (NULL);
  read_stdin (self);
}

void
_troupe_headless_unwatch_channel (TroupeHeadless *self)
{
  stop_reading_stdin (self);
  if (self->channel == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->channel, self);
  g_clear_object (&self->channel);
}
