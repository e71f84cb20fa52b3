/* troupe-process.c: one run of one command, from start to how it ended
 *
 * The child leads its own process group, so stop, kill and signals reach
 * everything it started (troupe-process-group.c). stdout and stderr are read in
 * gulps of up to 1 MiB straight into the run's log. The run has ended once the child has
 * exited and everything it wrote before exiting has been read; anything it left
 * in its group is still read from, and still stopped with the group.
 * stdin is in troupe-process-stdin.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "troupe-enums.h"
#include "troupe-group-scan.h"
#include "troupe-process-private.h"
#include "troupe-signal-names.h"

/* As large as the pipe (see the local launcher): one read takes all there is. */
#define READ_SIZE (1024 * 1024)
/* Reads per wakeup before giving other sources a turn. */
#define READS_PER_DISPATCH 4

/* One read buffer per thread, shared by every run it reads: the log copies
 * what it keeps, so the buffer is free again as soon as a read is handled. */
static GPrivate read_buffer_key = G_PRIVATE_INIT (g_free);

static guint8 *
get_read_buffer (void)
{
  guint8 *buffer = g_private_get (&read_buffer_key);

  if (buffer == NULL)
    {
      buffer = g_malloc (READ_SIZE);
      g_private_set (&read_buffer_key, buffer);
    }
  return buffer;
}


enum {
  PROP_0,
  PROP_COMMAND,
  PROP_NAME,
  PROP_LOG,
  PROP_CHANNEL,
  PROP_STATE,
  PROP_PID,
  PROP_EXIT_CODE,
  PROP_TERM_SIGNAL,
  PROP_ERROR_MESSAGE,
  PROP_STARTED_AT,
  PROP_GROUP_ALIVE,
  PROP_RESTART_REASON,
  N_PROPS
};

enum {
  OUTPUT,
  ENDED,
  STDIN_DRAINED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TroupeProcess, troupe_process, G_TYPE_OBJECT)

static void
close_output (OutputPipe *pipe)
{
  if (pipe->source != NULL)
    {
      g_source_destroy (pipe->source);
      g_clear_pointer (&pipe->source, g_source_unref);
    }
  if (pipe->fd >= 0)
    {
      close (pipe->fd);
      pipe->fd = -1;
    }
}

static void
troupe_process_dispose (GObject *object)
{
  TroupeProcess *self = (TroupeProcess *) object;

  _troupe_process_release_group (self);
  for (guint s = 0; s < 2; s++)
    close_output (&self->output[s]);
  _troupe_process_close_stdin (self);
  g_clear_handle_id (&self->initial_messages_idle, g_source_remove);
  /* The message log holds the channel too; the child's end must not outlive us. */
  if (self->channel != NULL)
    troupe_channel_close (self->channel);
  g_clear_object (&self->channel);

  G_OBJECT_CLASS (troupe_process_parent_class)->dispose (object);
}

static void
troupe_process_finalize (GObject *object)
{
  TroupeProcess *self = (TroupeProcess *) object;

  g_clear_object (&self->command);
  g_clear_object (&self->log);
  g_clear_object (&self->messages);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->restart_reason, g_free);
  g_clear_pointer (&self->started_at, g_date_time_unref);
  g_clear_pointer (&self->stdin_queue, g_byte_array_unref);

  G_OBJECT_CLASS (troupe_process_parent_class)->finalize (object);
}

static void
troupe_process_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TroupeProcess *self = TROUPE_PROCESS (object);

  switch (prop_id)
    {
    case PROP_COMMAND:
      g_value_set_object (value, self->command);
      break;
    case PROP_NAME:
      g_value_set_string (value, troupe_process_get_name (self));
      break;
    case PROP_LOG:
      g_value_set_object (value, self->log);
      break;
    case PROP_CHANNEL:
      g_value_set_object (value, self->channel);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PID:
      g_value_set_int (value, self->pid);
      break;
    case PROP_EXIT_CODE:
      g_value_set_int (value, self->exit_code);
      break;
    case PROP_TERM_SIGNAL:
      g_value_set_int (value, self->term_signal);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_STARTED_AT:
      g_value_set_boxed (value, troupe_process_get_started_at (self));
      break;
    case PROP_GROUP_ALIVE:
      g_value_set_boolean (value, troupe_process_is_group_alive (self));
      break;
    case PROP_RESTART_REASON:
      g_value_set_string (value, self->restart_reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
troupe_process_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TroupeProcess *self = TROUPE_PROCESS (object);

  switch (prop_id)
    {
    case PROP_COMMAND:
      self->command = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
troupe_process_class_init (TroupeProcessClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = troupe_process_dispose;
  object_class->finalize = troupe_process_finalize;
  object_class->get_property = troupe_process_get_property;
  object_class->set_property = troupe_process_set_property;

  properties[PROP_COMMAND] =
    g_param_spec_object ("command", NULL, NULL, TROUPE_TYPE_COMMAND,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOG] =
    g_param_spec_object ("log", NULL, NULL, TROUPE_TYPE_LOG,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHANNEL] =
    g_param_spec_object ("channel", NULL, NULL, TROUPE_TYPE_CHANNEL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, TROUPE_TYPE_PROCESS_STATE,
                       TROUPE_PROCESS_STATE_STARTING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PID] =
    g_param_spec_int ("pid", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXIT_CODE] =
    g_param_spec_int ("exit-code", NULL, NULL, -1, 255, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TERM_SIGNAL] =
    g_param_spec_int ("term-signal", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STARTED_AT] =
    g_param_spec_boxed ("started-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_GROUP_ALIVE] =
    g_param_spec_boolean ("group-alive", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * TroupeProcess:restart-reason:
   *
   * Why the run was stopped to be started again (over its memory limit,
   * say), or %NULL.
   */
  properties[PROP_RESTART_REASON] =
    g_param_spec_string ("restart-reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TroupeProcess::output:
   * @stream: a #TroupeStream
   * @bytes: what the child wrote, exactly
   *
   * Emitted for each read, for those who pass the output through (the headless
   * command line). Lines are in the log.
   */
  signals[OUTPUT] =
    g_signal_new ("output", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_BYTES);

  /**
   * TroupeProcess::ended:
   *
   * Emitted once the run has exited, been killed by a signal, or failed to start.
   */
  signals[ENDED] =
    g_signal_new ("ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * TroupeProcess::stdin-drained:
   *
   * Emitted when everything queued for stdin has been written (or can no
   * longer be, because the child closed it).
   */
  signals[STDIN_DRAINED] =
    g_signal_new ("stdin-drained", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
troupe_process_init (TroupeProcess *self)
{
  self->state = TROUPE_PROCESS_STATE_STARTING;
  self->exit_code = -1;
  self->stdin_fd = -1;
  self->stdin_queue = g_byte_array_new ();
  self->pidfd = -1;
  for (guint s = 0; s < 2; s++)
    {
      self->output[s].process = self;
      self->output[s].stream = s;
      self->output[s].fd = -1;
    }
  g_queue_init (&self->waiters);
}

/**
 * troupe_process_new:
 * @command: what to run; the process keeps a reference
 *
 * Returns: (transfer full): a process that has not started yet
 */
TroupeProcess *
troupe_process_new (TroupeCommand *command)
{
  g_return_val_if_fail (TROUPE_IS_COMMAND (command), NULL);

  return g_object_new (TROUPE_TYPE_PROCESS, "command", command, NULL);
}

static void
set_state (TroupeProcess      *self,
           TroupeProcessState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
finish_waiters (TroupeProcess *self)
{
  GTask *task;

  while ((task = g_queue_pop_head (&self->waiters)) != NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
}

/* Returns FALSE at end of file. */
static gboolean
read_output (OutputPipe *pipe,
             guint       max_reads)
{
  TroupeProcess *self = pipe->process;
  guint8 *buffer = get_read_buffer ();

  for (guint i = 0; i < max_reads; i++)
    {
      ssize_t n = read (pipe->fd, buffer, READ_SIZE);
      gint64 now;

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno == EAGAIN)
            return TRUE;
          /* Any other error leaves nothing more to read: treat it as the end. */
          n = 0;
        }

      now = g_get_monotonic_time ();
      if (n == 0)
        {
          troupe_log_end_stream (self->log, pipe->stream, now);
          return FALSE;
        }

      troupe_log_append (self->log, pipe->stream, buffer, n, now);
      if (g_signal_has_handler_pending (self, signals[OUTPUT], 0, FALSE))
        {
          g_autoptr(GBytes) bytes = g_bytes_new (buffer, n);
          g_signal_emit (self, signals[OUTPUT], 0, (int) pipe->stream, bytes);
        }

      if (n < READ_SIZE)
        return TRUE;
    }
  return TRUE;
}

static gboolean on_output_ready (int          fd,
                                 GIOCondition condition,
                                 gpointer     user_data);

/* Output is read at idle priority, below a window's input, layout and redraw:
 * a child that writes without pause keeps a pipe readable all the time, and at
 * the default priority its reads would starve every frame. The child is never
 * starved in turn, since the pipe is read in whatever time the frames leave. */
static void
attach_output_source (OutputPipe *pipe)
{
  pipe->source = g_unix_fd_source_new (pipe->fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
  g_source_set_priority (pipe->source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (pipe->source, G_SOURCE_FUNC (on_output_ready), pipe, NULL);
  g_source_set_static_name (pipe->source, "[troupe] process output");
  g_source_attach (pipe->source, NULL);
}

/* The disk is behind: stop reading, so the child waits on a full pipe rather
 * than our memory filling up. */
static void
pause_output (TroupeProcess *self)
{
  for (guint s = 0; s < 2; s++)
    if (self->output[s].source != NULL)
      {
        g_source_destroy (self->output[s].source);
        g_clear_pointer (&self->output[s].source, g_source_unref);
      }
  self->output_paused = TRUE;
}

static void
on_log_relieved (TroupeLog     *log,
                 TroupeProcess *self)
{
  if (!self->output_paused)
    return;
  self->output_paused = FALSE;
  for (guint s = 0; s < 2; s++)
    if (self->output[s].fd >= 0 && self->output[s].source == NULL)
      attach_output_source (&self->output[s]);
}

static gboolean
on_output_ready (int          fd,
                 GIOCondition condition,
                 gpointer     user_data)
{
  OutputPipe *pipe = user_data;
  g_autoptr(TroupeProcess) self = g_object_ref (pipe->process);

  if (read_output (pipe, READS_PER_DISPATCH))
    {
      if (!troupe_log_is_congested (self->log))
        return G_SOURCE_CONTINUE;
      /* This source is removed by returning; the other is destroyed. */
      g_clear_pointer (&pipe->source, g_source_unref);
      pause_output (self);
      return G_SOURCE_REMOVE;
    }

  /* The source is being removed by returning; drop our handle before closing. */
  g_clear_pointer (&pipe->source, g_source_unref);
  close_output (pipe);
  /* A pipe closing after the end may mean the last of the group is gone. */
  _troupe_process_check_group (self, 0);
  return G_SOURCE_REMOVE;
}

static void
watch_output (TroupeProcess *self,
              TroupeStream   stream,
              int            fd)
{
  OutputPipe *pipe = &self->output[stream];

  pipe->fd = fd;
  attach_output_source (pipe);
}

/* Reads what is waiting in the pipes — a bounded amount, so a descendant that
 * floods a pipe cannot hold the main loop — and closes them if asked. */
void
_troupe_process_drain_outputs (TroupeProcess *self,
                               gboolean       close_after)
{
  for (guint s = 0; s < 2; s++)
    {
      OutputPipe *pipe = &self->output[s];

      if (pipe->fd < 0)
        continue;
      if (!read_output (pipe, READS_PER_DISPATCH * 2) || close_after)
        {
          if (close_after)
            troupe_log_end_stream (self->log, pipe->stream, g_get_monotonic_time ());
          close_output (pipe);
        }
    }
}

gboolean
_troupe_process_outputs_open (TroupeProcess *self)
{
  return self->output[0].fd >= 0 || self->output[1].fd >= 0;
}

void
_troupe_process_notify_group_alive (TroupeProcess *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GROUP_ALIVE]);
}

void
_troupe_process_emit_stdin_drained (TroupeProcess *self)
{
  g_signal_emit (self, signals[STDIN_DRAINED], 0);
}

/**
 * _troupe_process_leader_ended:
 * @signaled: whether a signal ended the leader
 * @code_or_signal: its exit code, or the signal
 *
 * Called once when the child itself has exited.
 */
void
_troupe_process_leader_ended (TroupeProcess *self,
                              gboolean       signaled,
                              int            code_or_signal)
{
  g_autoptr(TroupeProcess) hold = g_object_ref (self);

  /* Everything the child wrote before it exited is in the pipes now: read it, so
   * that a finished run's log is complete when "ended" is emitted. The end is
   * timed after that, so that no line of the run is later than its end. */
  _troupe_process_drain_outputs (self, FALSE);
  if (self->channel != NULL)
    troupe_channel_take_pending (self->channel);
  self->end_time = g_get_monotonic_time ();

  if (signaled)
    {
      self->term_signal = code_or_signal;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TERM_SIGNAL]);
      set_state (self, TROUPE_PROCESS_STATE_SIGNALED);
    }
  else
    {
      self->exit_code = code_or_signal;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXIT_CODE]);
      set_state (self, TROUPE_PROCESS_STATE_EXITED);
    }

  /* Nobody reads the child's stdin any more; queued bytes have nowhere to go. */
  _troupe_process_close_stdin (self);

  g_signal_emit (self, signals[ENDED], 0);
  finish_waiters (self);
  _troupe_process_check_group (self, 0);
}

static void
fail_to_start (TroupeProcess *self,
               const GError  *error)
{
  self->error_message = g_strdup (error->message);
  self->end_time = self->start_time;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
  set_state (self, TROUPE_PROCESS_STATE_FAILED_TO_START);
  g_signal_emit (self, signals[ENDED], 0);
  finish_waiters (self);
}

/* The command's first messages go on the first turn of the main loop, so that
 * whoever started the run has connected to the channel and sees them sent. */
static gboolean
send_initial_messages (gpointer user_data)
{
  TroupeProcess *self = user_data;
  guint n = troupe_command_get_n_initial_messages (self->command);

  self->initial_messages_idle = 0;
  for (guint i = 0; i < n && troupe_channel_is_connected (self->channel); i++)
    troupe_channel_send_text (self->channel,
                              troupe_command_get_initial_message (self->command, i), -1, NULL);
  return G_SOURCE_REMOVE;
}

static void
start_channel (TroupeProcess *self,
               int            fd)
{
  gsize max_size = troupe_command_get_max_message_size (self->command);

  self->channel = troupe_channel_new (fd);
  /* Recorded from the first message on, whoever looks later. */
  self->messages = troupe_message_log_new (self->channel);
  if (max_size > 0)
    troupe_channel_set_max_message_size (self->channel, max_size);
  if (troupe_command_get_n_initial_messages (self->command) > 0)
    self->initial_messages_idle = g_idle_add_full (G_PRIORITY_HIGH, send_initial_messages,
                                                   self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANNEL]);
}

/**
 * troupe_process_start:
 * @launcher: how to start the child
 * @spool_dir: where its output is kept
 * @error: why it did not start, for a person ("command not found: foo")
 *
 * Starts the run. A run that cannot start ends in
 * %TROUPE_PROCESS_STATE_FAILED_TO_START with the reason as its error message,
 * and #TroupeProcess::ended is emitted as for any other end.
 *
 * Returns: %TRUE if the child is running
 */
gboolean
troupe_process_start (TroupeProcess   *self,
                      TroupeLauncher  *launcher,
                      TroupeSpoolDir  *spool_dir,
                      GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  TroupeSpawnedChild child;

  g_return_val_if_fail (TROUPE_IS_PROCESS (self), FALSE);
  g_return_val_if_fail (TROUPE_IS_LAUNCHER (launcher), FALSE);
  g_return_val_if_fail (TROUPE_IS_SPOOL_DIR (spool_dir), FALSE);
  g_return_val_if_fail (self->state == TROUPE_PROCESS_STATE_STARTING && self->pid == 0, FALSE);

  /* The wall-clock time is made into a GDateTime only when someone asks: the
   * local time zone lookup behind it is not free, and most runs never need it. */
  self->started_at_real = g_get_real_time ();
  self->start_time = g_get_monotonic_time ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARTED_AT]);

  self->log = troupe_log_new (spool_dir, troupe_process_get_name (self));
  g_signal_connect_object (self->log, "relieved", G_CALLBACK (on_log_relieved), self, 0);
  if (!troupe_launcher_spawn (launcher, self->command, &child, &local_error))
    {
      fail_to_start (self, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG]);

  self->pid = child.pid;
  self->stdin_fd = child.stdin_fd;
  watch_output (self, TROUPE_STREAM_STDOUT, child.stdout_fd);
  watch_output (self, TROUPE_STREAM_STDERR, child.stderr_fd);
  if (child.channel_fd >= 0)
    start_channel (self, child.channel_fd);
  _troupe_process_watch_leader (self);
  _troupe_process_notify_group_alive (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PID]);
  set_state (self, TROUPE_PROCESS_STATE_RUNNING);
  return TRUE;
}

TroupeCommand *
troupe_process_get_command (TroupeProcess *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS (self), NULL);
  return self->command;
}

const char *
troupe_process_get_name (TroupeProcess *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS (self), NULL);
  return troupe_command_get_name (self->command);
}

/**
 * troupe_process_get_channel:
 *
 * Returns: (transfer none) (nullable): the message channel of a fork; %NULL
 *   for a plain run, or before it starts
 */
TroupeChannel *
troupe_process_get_channel (TroupeProcess *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS (self), NULL);
  return self->channel;
}

/**
 * troupe_process_get_messages:
 *
 * Returns: (transfer none) (nullable): every message of a fork's channel, both
 *   ways, and every bad line; %NULL for a plain run
 */
TroupeMessageLog *
troupe_process_get_messages (TroupeProcess *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS (self), NULL);
  return self->messages;
}

/**
 * troupe_process_get_log:
 *
 * Returns: (transfer none) (nullable): the run's output; %NULL before it starts
 */
TroupeLog *
troupe_process_get_log (TroupeProcess *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS (self), NULL);
  return self->log;
}

TroupeProcessState
troupe_process_get_state (TroupeProcess *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS (self), TROUPE_PROCESS_STATE_STARTING);
  return self->state;
}

gboolean
troupe_process_has_ended (TroupeProcess *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS (self), FALSE);
  return self->state == TROUPE_PROCESS_STATE_EXITED ||
         self->state == TROUPE_PROCESS_STATE_SIGNALED ||
         self->state == TROUPE_PROCESS_STATE_FAILED_TO_START;
}

gboolean
troupe_process_is_running (TroupeProcess *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS (self), FALSE);
  return self->state == TROUPE_PROCESS_STATE_RUNNING;
}

/**
 * troupe_process_get_pid:
 *
 * Returns: the child's pid (also its process group id), or 0 before it starts
 */
GPid
troupe_process_get_pid (TroupeProcess *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS (self), 0);
  return self->pid;
}

/**
 * troupe_process_get_exit_code:
 *
 * Returns: the exit code, or -1 unless the state is %TROUPE_PROCESS_STATE_EXITED
 */
int
troupe_process_get_exit_code (TroupeProcess *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS (self), -1);
  return self->exit_code;
}

/**
 * troupe_process_get_term_signal:
 *
 * Returns: the signal that killed the child, or 0
 */
int
troupe_process_get_term_signal (TroupeProcess *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS (self), 0);
  return self->term_signal;
}

/**
 * troupe_process_get_error_message:
 *
 * Returns: (nullable): why the run failed to start
 */
const char *
troupe_process_get_error_message (TroupeProcess *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS (self), NULL);
  return self->error_message;
}

/**
 * troupe_process_get_started_at:
 *
 * Returns: (transfer none) (nullable): the wall-clock time the run started
 */
GDateTime *
troupe_process_get_started_at (TroupeProcess *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS (self), NULL);

  if (self->started_at == NULL && self->started_at_real != 0)
    {
      g_autoptr(GDateTime) seconds =
        g_date_time_new_from_unix_local (self->started_at_real / G_USEC_PER_SEC);

      self->started_at = g_date_time_add (seconds, self->started_at_real % G_USEC_PER_SEC);
    }
  return self->started_at;
}

/**
 * troupe_process_get_start_time:
 *
 * Returns: when the run started, in g_get_monotonic_time() microseconds (the
 *   clock of #TroupeLineInfo's time), or 0 before it starts
 */
gint64
troupe_process_get_start_time (TroupeProcess *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS (self), 0);
  return self->start_time;
}

/**
 * troupe_process_get_duration:
 *
 * Returns: microseconds the run has lasted, so far or in all
 */
gint64
troupe_process_get_duration (TroupeProcess *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS (self), 0);

  if (self->start_time == 0)
    return 0;
  if (troupe_process_has_ended (self))
    return self->end_time - self->start_time;
  return g_get_monotonic_time () - self->start_time;
}

/**
 * troupe_process_dup_status_text:
 *
 * Returns: (transfer full): the state as a person says it: "Running",
 *   "Exited with code 3", "Killed by SIGSEGV (segmentation fault)"
 */
char *
troupe_process_dup_status_text (TroupeProcess *self)
{
  const char *description;

  g_return_val_if_fail (TROUPE_IS_PROCESS (self), NULL);

  /* How it ended matters less than why it was ended: it was asked to. */
  if (self->restart_reason != NULL && troupe_process_has_ended (self))
    return g_strdup (self->restart_reason);

  switch (self->state)
    {
    case TROUPE_PROCESS_STATE_STARTING:
      return g_strdup (_("Starting"));
    case TROUPE_PROCESS_STATE_RUNNING:
      return g_strdup (_("Running"));
    case TROUPE_PROCESS_STATE_EXITED:
      return g_strdup_printf (_("Exited with code %d"), self->exit_code);
    case TROUPE_PROCESS_STATE_SIGNALED:
      description = troupe_signal_description (self->term_signal);
      if (description != NULL)
        return g_strdup_printf (_("Killed by %s (%s)"), troupe_signal_name (self->term_signal),
                                description);
      return g_strdup_printf (_("Killed by %s"), troupe_signal_name (self->term_signal));
    case TROUPE_PROCESS_STATE_FAILED_TO_START:
      return g_strdup_printf (_("Failed to start: %s"), self->error_message);
    default:
      g_assert_not_reached ();
    }
}

/**
 * troupe_process_get_restart_reason:
 *
 * Returns: (nullable): why the run was restarted ("Restarted: used 212.0 MiB,
 *   over its memory limit of 200.0 MiB"), or %NULL if it was not
 */
const char *
troupe_process_get_restart_reason (TroupeProcess *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS (self), NULL);
  return self->restart_reason;
}

/* Set on the old run just before it is stopped to be started again. */
void
_troupe_process_set_restart_reason (TroupeProcess *self,
                                    const char    *reason)
{
  g_return_if_fail (TROUPE_IS_PROCESS (self));

  if (g_strcmp0 (self->restart_reason, reason) == 0)
    return;
  g_free (self->restart_reason);
  self->restart_reason = g_strdup (reason);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESTART_REASON]);
}

/**
 * troupe_process_wait_async:
 *
 * Completes when the run has ended (at once if it already has).
 */
void
troupe_process_wait_async (TroupeProcess       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TROUPE_IS_PROCESS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, troupe_process_wait_async);

  if (troupe_process_has_ended (self))
    g_task_return_boolean (task, TRUE);
  else
    g_queue_push_tail (&self->waiters, g_steal_pointer (&task));
}

gboolean
troupe_process_wait_finish (TroupeProcess  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == troupe_process_wait_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
