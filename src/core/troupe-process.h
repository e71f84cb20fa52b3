/* troupe-process.h: one run of one command, from start to how it ended
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "troupe-channel.h"
#include "troupe-command.h"
#include "troupe-message-log.h"
#include "troupe-launcher.h"
#include "troupe-log.h"
#include "troupe-spool-dir.h"

G_BEGIN_DECLS

typedef enum
{
  TROUPE_PROCESS_STATE_STARTING,
  TROUPE_PROCESS_STATE_RUNNING,
  TROUPE_PROCESS_STATE_EXITED,
  TROUPE_PROCESS_STATE_SIGNALED,
  TROUPE_PROCESS_STATE_FAILED_TO_START,
} TroupeProcessState;

#define TROUPE_TYPE_PROCESS (troupe_process_get_type ())
G_DECLARE_FINAL_TYPE (TroupeProcess, troupe_process, TROUPE, PROCESS, GObject)

TroupeProcess      *troupe_process_new              (TroupeCommand        *command);
gboolean            troupe_process_start            (TroupeProcess        *self,
                                                     TroupeLauncher       *launcher,
                                                     TroupeSpoolDir       *spool_dir,
                                                     GError              **error);

TroupeCommand      *troupe_process_get_command      (TroupeProcess        *self);
const char         *troupe_process_get_name         (TroupeProcess        *self);
TroupeLog          *troupe_process_get_log          (TroupeProcess        *self);
TroupeChannel      *troupe_process_get_channel      (TroupeProcess        *self);
TroupeMessageLog   *troupe_process_get_messages     (TroupeProcess        *self);
TroupeProcessState  troupe_process_get_state        (TroupeProcess        *self);
gboolean            troupe_process_has_ended        (TroupeProcess        *self);
gboolean            troupe_process_is_running       (TroupeProcess        *self);
gboolean            troupe_process_is_group_alive   (TroupeProcess        *self);
GPid                troupe_process_get_pid          (TroupeProcess        *self);
int                 troupe_process_get_exit_code    (TroupeProcess        *self);
int                 troupe_process_get_term_signal  (TroupeProcess        *self);
const char         *troupe_process_get_error_message (TroupeProcess       *self);
GDateTime          *troupe_process_get_started_at   (TroupeProcess        *self);
gint64              troupe_process_get_start_time   (TroupeProcess        *self);
gint64              troupe_process_get_duration     (TroupeProcess        *self);
char               *troupe_process_dup_status_text  (TroupeProcess        *self);
const char         *troupe_process_get_restart_reason (TroupeProcess      *self);

gboolean            troupe_process_write_stdin      (TroupeProcess        *self,
                                                     const guint8         *data,
                                                     gsize                 length,
                                                     GError              **error);
gboolean            troupe_process_write_line       (TroupeProcess        *self,
                                                     const char           *line,
                                                     GError              **error);
void                troupe_process_close_stdin      (TroupeProcess        *self);
gboolean            troupe_process_is_stdin_open    (TroupeProcess        *self);
gsize               troupe_process_get_stdin_queued (TroupeProcess        *self);

void                troupe_process_stop             (TroupeProcess        *self);
gboolean            troupe_process_kill             (TroupeProcess        *self,
                                                     GError              **error);
gboolean            troupe_process_send_signal      (TroupeProcess        *self,
                                                     int                   signal_number,
                                                     GError              **error);

void                troupe_process_wait_async       (TroupeProcess        *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean            troupe_process_wait_finish      (TroupeProcess        *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

G_END_DECLS
