/* troupe-worker-pool.h: thread workers on a GThreadPool, queued when every thread is busy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-worker.h"
#include "troupe-worker-registry.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_WORKER_POOL (troupe_worker_pool_get_type ())
G_DECLARE_FINAL_TYPE (TroupeWorkerPool, troupe_worker_pool, TROUPE, WORKER_POOL, GObject)

TroupeWorkerPool     *troupe_worker_pool_new             (TroupeWorkerRegistry *registry,
                                                          guint                 max_threads);
TroupeWorkerRegistry *troupe_worker_pool_get_registry    (TroupeWorkerPool     *self);
void                  troupe_worker_pool_set_max_threads (TroupeWorkerPool     *self,
                                                          guint                 max_threads);
guint                 troupe_worker_pool_get_max_threads (TroupeWorkerPool     *self);
TroupeWorker         *troupe_worker_pool_start           (TroupeWorkerPool     *self,
                                                          const char           *kind_name,
                                                          JsonNode             *data,
                                                          GError              **error);
TroupeWorker         *troupe_worker_pool_start_text      (TroupeWorkerPool     *self,
                                                          const char           *kind_name,
                                                          const char           *data_json,
                                                          GError              **error);
GListModel           *troupe_worker_pool_get_workers     (TroupeWorkerPool     *self);
guint                 troupe_worker_pool_get_n_running   (TroupeWorkerPool     *self);
guint                 troupe_worker_pool_get_n_queued    (TroupeWorkerPool     *self);
guint                 troupe_worker_pool_get_n_finished  (TroupeWorkerPool     *self);
guint                 troupe_worker_pool_count_alive     (TroupeWorkerPool     *self);
void                  troupe_worker_pool_remove          (TroupeWorkerPool     *self,
                                                          TroupeWorker         *worker);
void                  troupe_worker_pool_terminate_all   (TroupeWorkerPool     *self,
                                                          guint                 deadline_ms);
GArray               *troupe_worker_pool_dup_thread_ids  (TroupeWorkerPool     *self);

G_END_DECLS
