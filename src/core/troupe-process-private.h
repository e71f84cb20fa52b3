/* troupe-process-private.h: what the parts of TroupeProcess share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-message-log.h"
#include "troupe-process.h"

G_BEGIN_DECLS

typedef struct
{
  TroupeProcess *process;
  TroupeStream   stream;
  int            fd;
  GSource       *source;
} OutputPipe;

struct _TroupeProcess
{
  GObject             parent_instance;

  TroupeCommand      *command;
  TroupeLog          *log;
  TroupeChannel      *channel;
  TroupeMessageLog   *messages;
  guint               initial_messages_idle;

  TroupeProcessState  state;
  GPid                pid;
  int                 exit_code;
  int                 term_signal;
  char               *error_message;
  char               *restart_reason;
  GDateTime          *started_at;
  gint64              started_at_real;
  gint64              start_time;
  gint64              end_time;

  OutputPipe          output[2];
  gboolean            output_paused;

  /* stdin: bytes queued from stdin_sent on, written as the child reads */
  int                 stdin_fd;
  GByteArray         *stdin_queue;
  gsize               stdin_sent;
  guint               stdin_source;
  gboolean            stdin_close_requested;

  /* The leader is watched through a pidfd and left unreaped (a zombie) until
   * nothing else is alive in its group: while it exists, its pid — which is the
   * group id — cannot be given to another process, so signalling the group can
   * never hit a stranger. Without pidfd support, GLib's child watch reaps it
   * and open pipes stand in as the evidence that the group lives. */
  int                 pidfd;
  GSource            *pidfd_source;
  guint               child_watch;
  gboolean            leader_reaped;
  gboolean            group_alive;
  guint               group_check;
  gboolean            group_scan_pending;
  gboolean            quick_check_done;
  guint               kill_timeout;

  GQueue              waiters;
};

void     _troupe_process_watch_leader       (TroupeProcess *self);
void     _troupe_process_leader_ended       (TroupeProcess *self,
                                             gboolean       signaled,
                                             int            code_or_signal);
void     _troupe_process_check_group        (TroupeProcess *self,
                                             guint          delay_ms);
void     _troupe_process_release_group      (TroupeProcess *self);
void     _troupe_process_group_gone         (TroupeProcess *self);
void     _troupe_process_set_restart_reason (TroupeProcess *self,
                                             const char    *reason);
void     _troupe_process_drain_outputs      (TroupeProcess *self,
                                             gboolean       close_after);
gboolean _troupe_process_outputs_open       (TroupeProcess *self);
void     _troupe_process_close_stdin        (TroupeProcess *self);
void     _troupe_process_emit_stdin_drained (TroupeProcess *self);
void     _troupe_process_notify_group_alive (TroupeProcess *self);

G_END_DECLS
