/* troupe-worker-view.h: a thread worker's page: what it is, how it runs, its messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "troupe-load-graph.h"
#include "troupe-messages-view.h"
#include "troupe-sampler.h"
#include "troupe-worker-pool.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_WORKER_VIEW (troupe_worker_view_get_type ())
G_DECLARE_FINAL_TYPE (TroupeWorkerView, troupe_worker_view, TROUPE, WORKER_VIEW, GtkWidget)

GtkWidget          *troupe_worker_view_new               (void);
TroupeWorker       *troupe_worker_view_get_worker        (TroupeWorkerView *self);
void                troupe_worker_view_set_worker        (TroupeWorkerView *self,
                                                          TroupeWorker     *worker);
void                troupe_worker_view_set_pool          (TroupeWorkerView *self,
                                                          TroupeWorkerPool *pool);
void                troupe_worker_view_set_sampler       (TroupeWorkerView *self,
                                                          TroupeSampler    *sampler);
AdwViewStack       *troupe_worker_view_get_pages         (TroupeWorkerView *self);
AdwViewSwitcherBar *troupe_worker_view_get_switcher_bar  (TroupeWorkerView *self);
TroupeMessagesView *troupe_worker_view_get_messages_view (TroupeWorkerView *self);
TroupeLoadGraph    *troupe_worker_view_get_load_graph    (TroupeWorkerView *self);

G_END_DECLS
