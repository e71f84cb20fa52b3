/* troupe-window.h: the main window: the jobs, and the one selected
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "troupe-application.h"
#include "troupe-cluster-view.h"
#include "troupe-job-view.h"
#include "troupe-messages-view.h"
#include "troupe-worker-view.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_WINDOW (troupe_window_get_type ())
G_DECLARE_FINAL_TYPE (TroupeWindow, troupe_window, TROUPE, WINDOW, AdwApplicationWindow)

TroupeWindow  *troupe_window_new              (TroupeApplication *application);
TroupeProcess *troupe_window_get_selected_job (TroupeWindow      *self);
void           troupe_window_select_job       (TroupeWindow      *self,
                                               TroupeProcess     *process);
TroupeJobView *troupe_window_get_job_view     (TroupeWindow      *self);
TroupeMessagesView *troupe_window_get_messages_view (TroupeWindow *self);
const char    *troupe_window_get_page         (TroupeWindow      *self);
void           troupe_window_ask_to_quit      (TroupeWindow      *self);
void           troupe_window_start_cluster    (TroupeWindow      *self,
                                               TroupeCluster     *cluster,
                                               guint              n_members);
void           troupe_window_select_cluster   (TroupeWindow      *self,
                                               TroupeCluster     *cluster);
void           troupe_window_select_member    (TroupeWindow      *self,
                                               TroupeClusterMember *member);
TroupeCluster *troupe_window_get_selected_cluster (TroupeWindow  *self);
TroupeClusterView *troupe_window_get_cluster_view (TroupeWindow  *self);
GtkWidget     *troupe_window_get_job_list     (TroupeWindow      *self);
TroupeWorkerPool *troupe_window_get_worker_pool (TroupeWindow    *self);
TroupeWorkerView *troupe_window_get_worker_view (TroupeWindow    *self);
void           troupe_window_select_worker    (TroupeWindow      *self,
                                               TroupeWorker      *worker);
TroupeWorker  *troupe_window_get_selected_worker (TroupeWindow   *self);
guint          troupe_window_count_alive_workers (TroupeWindow   *self);

G_END_DECLS
