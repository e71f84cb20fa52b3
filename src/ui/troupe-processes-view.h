/* troupe-processes-view.h: a job's processes, as a tree, with graphs and actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "troupe-process-tree.h"
#include "troupe-usage-graph.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_PROCESSES_VIEW (troupe_processes_view_get_type ())
G_DECLARE_FINAL_TYPE (TroupeProcessesView, troupe_processes_view, TROUPE, PROCESSES_VIEW, GtkWidget)

GtkWidget          *troupe_processes_view_new              (void);
TroupeProcessTree  *troupe_processes_view_get_tree         (TroupeProcessesView *self);
void                troupe_processes_view_set_tree         (TroupeProcessesView *self,
                                                            TroupeProcessTree   *tree);
void                troupe_processes_view_set_unavailable  (TroupeProcessesView *self,
                                                            const char          *reason);
TroupeProcessInfo  *troupe_processes_view_get_selected     (TroupeProcessesView *self);
gboolean            troupe_processes_view_select_pid       (TroupeProcessesView *self,
                                                            GPid                 pid);
GtkColumnView      *troupe_processes_view_get_column_view  (TroupeProcessesView *self);
TroupeUsageGraph   *troupe_processes_view_get_job_graph    (TroupeProcessesView *self,
                                                            TroupeUsageMetric    metric);
TroupeUsageGraph   *troupe_processes_view_get_process_graph (TroupeProcessesView *self,
                                                             TroupeUsageMetric    metric);

G_END_DECLS
