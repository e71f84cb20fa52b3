/* troupe-process-info.h: one process seen in /proc, updated in place every sample
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "troupe-sample-ring.h"

G_BEGIN_DECLS

typedef enum
{
  TROUPE_RUN_STATE_RUNNING,    /* R */
  TROUPE_RUN_STATE_SLEEPING,   /* S */
  TROUPE_RUN_STATE_DISK_SLEEP, /* D */
  TROUPE_RUN_STATE_STOPPED,    /* T, t */
  TROUPE_RUN_STATE_ZOMBIE,     /* Z */
  TROUPE_RUN_STATE_GONE,       /* no longer in /proc: kept so the UI can show it ended */
  TROUPE_RUN_STATE_UNKNOWN,
} TroupeRunState;

const char        *troupe_run_state_to_string (TroupeRunState state);

#define TROUPE_TYPE_PROCESS_INFO (troupe_process_info_get_type ())
G_DECLARE_FINAL_TYPE (TroupeProcessInfo, troupe_process_info, TROUPE, PROCESS_INFO, GObject)

GPid               troupe_process_info_get_pid            (TroupeProcessInfo *self);
GPid               troupe_process_info_get_parent_pid     (TroupeProcessInfo *self);
const char        *troupe_process_info_get_name           (TroupeProcessInfo *self);
const char        *troupe_process_info_get_command_line   (TroupeProcessInfo *self);
TroupeRunState     troupe_process_info_get_run_state      (TroupeProcessInfo *self);
double             troupe_process_info_get_cpu            (TroupeProcessInfo *self);
guint64            troupe_process_info_get_rss            (TroupeProcessInfo *self);
gint64             troupe_process_info_get_pss            (TroupeProcessInfo *self);
guint              troupe_process_info_get_n_threads      (TroupeProcessInfo *self);
int                troupe_process_info_get_n_fds          (TroupeProcessInfo *self);
GDateTime         *troupe_process_info_get_started_at     (TroupeProcessInfo *self);
gboolean           troupe_process_info_is_root            (TroupeProcessInfo *self);
GListModel        *troupe_process_info_get_children       (TroupeProcessInfo *self);
TroupeSampleRing  *troupe_process_info_get_history        (TroupeProcessInfo *self);
void               troupe_process_info_set_sample_threads (TroupeProcessInfo *self,
                                                           gboolean           sample_threads);
gboolean           troupe_process_info_get_sample_threads (TroupeProcessInfo *self);
GListModel        *troupe_process_info_get_threads        (TroupeProcessInfo *self);
gboolean           troupe_process_info_send_signal        (TroupeProcessInfo *self,
                                                           int                signal_number,
                                                           GError           **error);

G_END_DECLS
