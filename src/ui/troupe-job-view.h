/* troupe-job-view.h: one job: what it is, how it is doing, and everything it printed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "troupe-log-search.h"
#include "troupe-process.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_JOB_VIEW (troupe_job_view_get_type ())
G_DECLARE_FINAL_TYPE (TroupeJobView, troupe_job_view, TROUPE, JOB_VIEW, GtkWidget)

GtkWidget     *troupe_job_view_new             (void);
TroupeProcess *troupe_job_view_get_process     (TroupeJobView *self);
void           troupe_job_view_set_process     (TroupeJobView *self,
                                                TroupeProcess *process);
gboolean       troupe_job_view_get_following   (TroupeJobView *self);
guint          troupe_job_view_get_n_shown     (TroupeJobView *self);
void           troupe_job_view_start_search    (TroupeJobView *self);
void           troupe_job_view_bind_settings   (TroupeJobView *self,
                                                GSettings     *settings);
TroupeLogSearch *troupe_job_view_get_search    (TroupeJobView *self);
void           troupe_job_view_set_note        (TroupeJobView *self,
                                                const char    *note);

G_END_DECLS
