/* troupe-headless.c: one run in this terminal, its output on ours, its exit code ours
 *
 * Plain: the child's bytes go to our stdout and stderr exactly as written.
 * JSON: one event object a line on stdout, lines as they complete.
 * Our stdin is passed on to the child until it ends; SIGINT and SIGTERM stop
 * the child (a second one kills it), and we exit as it did. A run restarted
 * over its memory limit is followed into its new run, and we exit as the
 * last run did.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "troupe-headless-private.h"
#include "troupe-headless-stats.h"
#include "troupe-signal-names.h"

#define EXIT_NOT_FOUND 127
#define EXIT_CANNOT_RUN 126
/* Our stdin is read no further ahead of the child than this. */
#define STDIN_AHEAD_MAX (1024 * 1024)


G_DEFINE_FINAL_TYPE (TroupeHeadless, troupe_headless, G_TYPE_OBJECT)

static void
troupe_headless_dispose (GObject *object)
{
  TroupeHeadless *self = (TroupeHeadless *) object;

  g_clear_handle_id (&self->stdin_source, g_source_remove);
  g_clear_handle_id (&self->sigint_source, g_source_remove);
  g_clear_handle_id (&self->sigterm_source, g_source_remove);
  g_clear_handle_id (&self->sighup_source, g_source_remove);
  _troupe_headless_unwatch_channel (self);
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_signal_handlers_disconnect_by_data (troupe_session_get_sampler (self->session), self);
    }
  g_clear_object (&self->session);
  g_clear_object (&self->command);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  for (guint s = 0; s < 2; s++)
    if (self->partial[s] != NULL)
      g_string_free (g_steal_pointer (&self->partial[s]), TRUE);

  G_OBJECT_CLASS (troupe_headless_parent_class)->dispose (object);
}

static void
troupe_headless_class_init (TroupeHeadlessClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = troupe_headless_dispose;
}

static void
troupe_headless_init (TroupeHeadless *self)
{
  g_autoptr(TroupeSpoolDir) spool_dir = troupe_spool_dir_new_default ();

  self->session = troupe_session_new (troupe_launcher_get_default (), spool_dir);
  self->loop = g_main_loop_new (NULL, FALSE);
}

/**
 * troupe_headless_new:
 * @command: what to run
 * @format: plain pass-through, or JSON events
 *
 * Returns: (transfer full): a headless run, not yet started
 */
TroupeHeadless *
troupe_headless_new (TroupeCommand        *command,
                     TroupeHeadlessFormat  format)
{
  TroupeHeadless *self;

  g_return_val_if_fail (TROUPE_IS_COMMAND (command), NULL);

  self = g_object_new (TROUPE_TYPE_HEADLESS, NULL);
  self->command = g_object_ref (command);
  self->format = format;
  return self;
}

/**
 * troupe_headless_set_stats_interval:
 * @interval_ms: milliseconds between two stats lines, 0 for none
 *
 * Prints the run's CPU and memory (its whole process tree) every interval.
 */
void
troupe_headless_set_stats_interval (TroupeHeadless *self,
                                    guint           interval_ms)
{
  g_return_if_fail (TROUPE_IS_HEADLESS (self));
  self->stats_interval = interval_ms;
}

void
_troupe_headless_write_fully (TroupeHeadless *self,
             int             fd,
             const char     *data,
             gsize           length)
{
  while (length > 0)
    {
      ssize_t n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        {
          /* Someone handed us a non-blocking stdout: wait until it takes more. */
          struct pollfd writable = { .fd = fd, .events = POLLOUT };
          poll (&writable, 1, -1);
          continue;
        }
      if (n < 0)
        {
          /* Whoever read our output went away (`troupe run … | head`): like a
           * pipeline would, stop the command rather than run on unread. */
          if (fd == STDOUT_FILENO && !self->stdout_broken)
            {
              self->stdout_broken = TRUE;
              troupe_process_stop (self->process);
            }
          return;
        }
      data += n;
      length -= n;
    }
}

/* Events are written by hand rather than through JsonGenerator: times read
 * better as 0.000757 than as 0.00075699999999999997, and a busy child's
 * lines go out with one allocation each. Text is valid UTF-8 already. */
void
_troupe_headless_append_json_string (GString    *event,
                                     const char *text)
{
  g_string_append_c (event, '"');
  for (const char *c = text; *c != '\0'; c++)
    switch (*c)
      {
      case '"':
        g_string_append (event, "\\\"");
        break;
      case '\\':
        g_string_append (event, "\\\\");
        break;
      case '\n':
        g_string_append (event, "\\n");
        break;
      case '\r':
        g_string_append (event, "\\r");
        break;
      case '\t':
        g_string_append (event, "\\t");
        break;
      default:
        if ((guchar) *c < 0x20 || *c == 0x7f)
          g_string_append_printf (event, "\\u%04x", (guchar) *c);
        else
          g_string_append_c (event, *c);
      }
  g_string_append_c (event, '"');
}

static void
append_seconds (GString *event,
                gint64   microseconds)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (event, g_ascii_formatd (number, sizeof number, "%.6f",
                                           microseconds / (double) G_USEC_PER_SEC));
}

void
_troupe_headless_print_event (TroupeHeadless *self,
                              GString        *event)
{
  g_string_append (event, "}\n");
  _troupe_headless_write_fully (self, STDOUT_FILENO, event->str, event->len);
}

static void
print_line (TroupeHeadless *self,
            TroupeStream    stream,
            const char     *text,
            gint64          time)
{
  g_autoptr(GString) event = g_string_new ("{\"event\":");

  g_string_append (event, stream == TROUPE_STREAM_STDOUT ? "\"stdout\"" : "\"stderr\"");
  g_string_append (event, ",\"text\":");
  _troupe_headless_append_json_string (event, text);
  g_string_append (event, ",\"t\":");
  append_seconds (event, time - troupe_process_get_start_time (self->process));
  _troupe_headless_print_event (self, event);
}

/* Splits raw output into JSON line events; only used once the spool has failed,
 * so that a full disk does not silence the events of a script's run. */
static void
print_raw_lines (TroupeHeadless *self,
                 TroupeStream    stream,
                 const char     *data,
                 gsize           length,
                 gboolean        at_end)
{
  GString *partial = self->partial[stream];
  gint64 now = g_get_monotonic_time ();
  const char *newline;

  g_string_append_len (partial, data, length);
  while ((newline = memchr (partial->str, '\n', partial->len)) != NULL || (at_end && partial->len))
    {
      gsize line_length = newline != NULL ? (gsize) (newline - partial->str) : partial->len;
      gsize text_length = line_length;
      g_autofree char *text = NULL;

      if (text_length > 0 && partial->str[text_length - 1] == '\r')
        text_length--;
      text = troupe_text_from_output ((const guint8 *) partial->str, text_length);
      print_line (self, stream, text, now);
      g_string_erase (partial, 0, newline != NULL ? line_length + 1 : line_length);
    }
}

static void
on_output (TroupeProcess  *process,
           int             stream,
           GBytes         *bytes,
           TroupeHeadless *self)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  if (self->format == TROUPE_HEADLESS_JSON)
    {
      if (self->spool_failed)
        print_raw_lines (self, stream, data, length, FALSE);
      return;
    }

  if (stream == TROUPE_STREAM_STDOUT && self->stdout_broken)
    return;
  _troupe_headless_write_fully (self, stream == TROUPE_STREAM_STDOUT ? STDOUT_FILENO : STDERR_FILENO,
               data, length);
}

static void
on_lines_added (TroupeLog      *log,
                guint           position,
                guint           n_added,
                TroupeHeadless *self)
{
  for (guint i = position; i < position + n_added; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      TroupeLineInfo info;

      text = troupe_log_read_line_text (log, TROUPE_LINES_ALL, i, &info, &error);
      if (text == NULL)
        {
          g_printerr ("troupe: %s\n", error->message);
          continue;
        }
      print_line (self, info.stream, text, info.time);
    }
}

static void
print_start (TroupeHeadless *self)
{
  g_autoptr(GString) event = g_string_new ("{\"event\":\"start\",\"pid\":");
  const char * const *argv = troupe_command_get_argv (self->command);
  g_autofree char *name = NULL;

  g_string_append_printf (event, "%d,\"name\":", (int) troupe_process_get_pid (self->process));
  name = troupe_text_from_output ((const guint8 *) troupe_process_get_name (self->process),
                                  strlen (troupe_process_get_name (self->process)));
  _troupe_headless_append_json_string (event, name);
  g_string_append (event, ",\"argv\":[");
  for (guint i = 0; argv[i] != NULL; i++)
    {
      g_autofree char *text = troupe_text_from_output ((const guint8 *) argv[i], strlen (argv[i]));

      if (i > 0)
        g_string_append_c (event, ',');
      _troupe_headless_append_json_string (event, text);
    }
  g_string_append_c (event, ']');
  _troupe_headless_print_event (self, event);
}

static void
print_error (TroupeHeadless *self,
             const char     *message)
{
  g_autoptr(GString) event = g_string_new ("{\"event\":\"error\",\"message\":");
  /* A message can quote a file name or a command in any encoding. */
  g_autofree char *text = troupe_text_from_output ((const guint8 *) message, strlen (message));

  _troupe_headless_append_json_string (event, text);
  _troupe_headless_print_event (self, event);
}

static void
on_spool_failed (TroupeLog      *log,
                 const GError   *error,
                 TroupeHeadless *self)
{
  g_printerr ("troupe: %s\n", error->message);
  if (self->format != TROUPE_HEADLESS_JSON)
    return;
  print_error (self, error->message);
  self->spool_failed = TRUE;
  for (guint s = 0; s < 2; s++)
    self->partial[s] = g_string_new (NULL);
}

static void
print_exit (TroupeHeadless *self)
{
  g_autoptr(GString) event = g_string_new ("{\"event\":\"exit\",\"code\":");
  int term_signal = troupe_process_get_term_signal (self->process);

  if (term_signal == 0)
    g_string_append_printf (event, "%d,\"signal\":null",
                            troupe_process_get_exit_code (self->process));
  else
    g_string_append_printf (event, "null,\"signal\":\"%s\"", troupe_signal_name (term_signal));
  g_string_append (event, ",\"duration\":");
  append_seconds (event, troupe_process_get_duration (self->process));
  _troupe_headless_print_event (self, event);
}

static gboolean
on_stop_signal (gpointer user_data)
{
  TroupeHeadless *self = user_data;

  /* First request: a proper stop. Second: the user means it. */
  if (self->stop_requests++ == 0)
    troupe_process_stop (self->process);
  else
    troupe_process_kill (self->process, NULL);
  return G_SOURCE_CONTINUE;
}

static gboolean on_stdin_ready (int          fd,
                                GIOCondition condition,
                                gpointer     user_data);

static void
watch_stdin (TroupeHeadless *self)
{
  if (self->stdin_source == 0 && self->stdin_forwarding)
    self->stdin_source = g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                        on_stdin_ready, self);
}

static void
on_stdin_drained (TroupeProcess  *process,
                  TroupeHeadless *self)
{
  watch_stdin (self);
}

static gboolean
on_stdin_ready (int          fd,
                GIOCondition condition,
                gpointer     user_data)
{
  TroupeHeadless *self = user_data;
  char buffer[64 * 1024];
  ssize_t n = read (fd, buffer, sizeof buffer);

  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return G_SOURCE_CONTINUE;

  if (n > 0 && troupe_process_write_stdin (self->process, (const guint8 *) buffer, n, NULL))
    {
      if (troupe_process_get_stdin_queued (self->process) < STDIN_AHEAD_MAX)
        return G_SOURCE_CONTINUE;
      /* The child reads slower than we could: pause until it has caught up. */
      self->stdin_source = 0;
      return G_SOURCE_REMOVE;
    }

  /* End of our input (or the child closed its own): pass the end of file on. */
  self->stdin_forwarding = FALSE;
  troupe_process_close_stdin (self->process);
  self->stdin_source = 0;
  return G_SOURCE_REMOVE;
}

/* Our stdin is passed on unless we are in the background of a terminal, where
 * reading it would stop us with SIGTTIN. */
static gboolean
should_forward_stdin (void)
{
  if (!isatty (STDIN_FILENO))
    return TRUE;
  return tcgetpgrp (STDIN_FILENO) == getpgrp ();
}

static void
on_ended (TroupeProcess  *process,
          TroupeHeadless *self)
{
  /* Stopped to be started again: the new run is on its way. */
  if (troupe_process_get_restart_reason (process) != NULL && self->stop_requests == 0)
    return;
  g_main_loop_quit (self->loop);
}

static void
connect_process (TroupeHeadless *self)
{
  TroupeLog *log = troupe_process_get_log (self->process);

  if (self->format == TROUPE_HEADLESS_JSON)
    {
      print_start (self);
      g_signal_connect (log, "lines-added", G_CALLBACK (on_lines_added), self);
    }
  g_signal_connect (log, "spool-failed", G_CALLBACK (on_spool_failed), self);
  g_signal_connect (self->process, "output", G_CALLBACK (on_output), self);
  g_signal_connect (self->process, "ended", G_CALLBACK (on_ended), self);
  g_signal_connect (self->process, "stdin-drained", G_CALLBACK (on_stdin_drained), self);
}

static void
disconnect_process (TroupeHeadless *self)
{
  TroupeLog *log = troupe_process_get_log (self->process);

  if (log != NULL)
    g_signal_handlers_disconnect_by_data (log, self);
  g_signal_handlers_disconnect_by_data (self->process, self);
}

static void
on_sampled (TroupeSampler  *sampler,
            TroupeHeadless *self)
{
  TroupeProcessTree *tree = troupe_session_get_process_tree (self->session, self->process);
  g_autoptr(GString) line = NULL;

  if (tree == NULL || (line = troupe_headless_format_stats (tree, self->format, -1)) == NULL)
    return;
  /* As text on stderr: stdout is the command's own. */
  _troupe_headless_write_fully (self,
                                self->format == TROUPE_HEADLESS_JSON ? STDOUT_FILENO : STDERR_FILENO,
                                line->str, line->len);
}

static void
on_process_restarted (TroupeSession  *session,
                      TroupeProcess  *old_process,
                      TroupeProcess  *new_process,
                      const char     *reason,
                      TroupeHeadless *self)
{
  if (old_process != self->process)
    return;

  if (self->format == TROUPE_HEADLESS_JSON)
    {
      g_autoptr(GString) event = g_string_new ("{\"event\":\"restart\",\"reason\":");

      _troupe_headless_append_json_string (event, reason != NULL ? reason : "");
      g_string_append_printf (event, ",\"old_pid\":%d,\"pid\":%d",
                              (int) troupe_process_get_pid (old_process),
                              (int) troupe_process_get_pid (new_process));
      _troupe_headless_print_event (self, event);
    }
  else
    g_printerr ("troupe: %s\n", reason != NULL ? reason : "");

  disconnect_process (self);
  _troupe_headless_unwatch_channel (self);
  self->process = new_process;
  if (!troupe_process_is_running (new_process))
    {
      g_main_loop_quit (self->loop);
      return;
    }
  connect_process (self);
  if (troupe_process_get_channel (self->process) != NULL)
    {
      troupe_process_close_stdin (self->process);
      _troupe_headless_watch_channel (self);
    }
  else if (!self->stdin_forwarding)
    troupe_process_close_stdin (self->process);
  /* Asked to stop while the old run was on its way out. */
  if (self->stop_requests > 0)
    troupe_process_stop (self->process);
}

static int
exit_code_for_failure (TroupeProcess *process,
                       const GError  *error)
{
  return g_error_matches (error, TROUPE_LAUNCH_ERROR, TROUPE_LAUNCH_ERROR_NOT_FOUND)
           ? EXIT_NOT_FOUND
           : EXIT_CANNOT_RUN;
}

/**
 * troupe_headless_run:
 *
 * Runs the command to its end, iterating the default main context.
 *
 * Returns: the exit code for troupe: the child's, or 128 + the signal that
 *   killed it, or 127/126 when it could not start
 */
int
troupe_headless_run (TroupeHeadless *self)
{
  g_autoptr(GError) error = NULL;
  int term_signal;

  g_return_val_if_fail (TROUPE_IS_HEADLESS (self), 1);

  if (self->stats_interval > 0)
    troupe_sampler_set_interval (troupe_session_get_sampler (self->session), self->stats_interval);

  self->process = troupe_session_run (self->session, self->command, &error);
  if (self->process == NULL || !troupe_process_is_running (self->process))
    {
      if (self->format == TROUPE_HEADLESS_JSON)
        print_error (self, error->message);
      g_printerr ("troupe: %s\n", error->message);
      return exit_code_for_failure (self->process, error);
    }

  connect_process (self);
  g_signal_connect (self->session, "process-restarted", G_CALLBACK (on_process_restarted), self);
  if (self->stats_interval > 0)
    g_signal_connect (troupe_session_get_sampler (self->session), "sampled",
                      G_CALLBACK (on_sampled), self);

  self->sigint_source = g_unix_signal_add (SIGINT, on_stop_signal, self);
  self->sigterm_source = g_unix_signal_add (SIGTERM, on_stop_signal, self);
  /* The terminal closing must not leave the child behind: it is in a group of
   * its own, so the terminal's SIGHUP reaches only us. */
  self->sighup_source = g_unix_signal_add (SIGHUP, on_stop_signal, self);
  if (troupe_process_get_channel (self->process) != NULL)
    {
      /* Our stdin carries messages; the child's own gets its end at once. */
      troupe_process_close_stdin (self->process);
      _troupe_headless_watch_channel (self);
    }
  else
    {
      self->stdin_forwarding = should_forward_stdin ();
      if (self->stdin_forwarding)
        watch_stdin (self);
      else
        troupe_process_close_stdin (self->process);
    }

  g_main_loop_run (self->loop);

  /* The leader is gone; anything it left in its group goes with it, as on quit. */
  troupe_session_stop_all_sync (self->session);
  g_signal_handlers_disconnect_by_data (self->session, self);
  g_signal_handlers_disconnect_by_data (troupe_session_get_sampler (self->session), self);
  disconnect_process (self);
  _troupe_headless_unwatch_channel (self);

  if (self->format == TROUPE_HEADLESS_JSON)
    {
      for (guint s = 0; s < 2; s++)
        if (self->partial[s] != NULL)
          print_raw_lines (self, s, NULL, 0, TRUE);
      print_exit (self);
    }

  term_signal = troupe_process_get_term_signal (self->process);
  if (term_signal != 0)
    {
      const char *description = troupe_signal_description (term_signal);

      if (description != NULL)
        g_printerr (_("troupe: killed by %s (%s)\n"), troupe_signal_name (term_signal),
                    description);
      else
        g_printerr (_("troupe: killed by %s\n"), troupe_signal_name (term_signal));
      return 128 + term_signal;
    }
  return troupe_process_get_exit_code (self->process);
}
