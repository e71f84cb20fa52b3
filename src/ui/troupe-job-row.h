/* troupe-job-row.h: a job in the sidebar: name, state, pid, exit and run time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "troupe-process.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_JOB_ROW (troupe_job_row_get_type ())
G_DECLARE_FINAL_TYPE (TroupeJobRow, troupe_job_row, TROUPE, JOB_ROW, GtkWidget)

GtkWidget     *troupe_job_row_new         (void);
TroupeProcess *troupe_job_row_get_process (TroupeJobRow  *self);
void           troupe_job_row_set_process (TroupeJobRow  *self,
                                           TroupeProcess *process);

G_END_DECLS
