/* troupe-worker-row.h: a thread worker in the sidebar, or the Workers section's header
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "troupe-worker-pool.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_WORKER_ROW (troupe_worker_row_get_type ())
G_DECLARE_FINAL_TYPE (TroupeWorkerRow, troupe_worker_row, TROUPE, WORKER_ROW, GtkWidget)

GtkWidget    *troupe_worker_row_new           (void);
TroupeWorker *troupe_worker_row_get_worker    (TroupeWorkerRow  *self);
void          troupe_worker_row_set_worker    (TroupeWorkerRow  *self,
                                               TroupeWorker     *worker);
void          troupe_worker_row_set_pool      (TroupeWorkerRow  *self,
                                               TroupeWorkerPool *pool);
char         *troupe_worker_row_dup_summary   (TroupeWorker     *worker);
char         *troupe_worker_row_dup_counts    (TroupeWorkerPool *pool);
const char   *troupe_worker_row_get_state_icon (TroupeWorker    *worker);

G_END_DECLS
