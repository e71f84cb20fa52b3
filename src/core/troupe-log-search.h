/* troupe-log-search.h: finding text in a run's whole log without holding up the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-log.h"
#include "troupe-worker-pool.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_LOG_SEARCH (troupe_log_search_get_type ())
/* A log with at least this much in its spool is searched on a worker thread. */
#define TROUPE_LOG_SEARCH_WORKER_BYTES (16 * 1024 * 1024)

G_DECLARE_FINAL_TYPE (TroupeLogSearch, troupe_log_search, TROUPE, LOG_SEARCH, GObject)

TroupeLogSearch *troupe_log_search_new           (TroupeLog       *log,
                                                  const char      *needle);
TroupeLogSearch *troupe_log_search_new_with_pool (TroupeLog        *log,
                                                  const char       *needle,
                                                  TroupeWorkerPool *pool);
TroupeWorkerPool *troupe_log_search_get_default_pool (void);
const char      *troupe_log_search_get_needle    (TroupeLogSearch *self);
guint            troupe_log_search_get_n_matches (TroupeLogSearch *self);
guint            troupe_log_search_get_match     (TroupeLogSearch *self,
                                                  guint            index);
gboolean         troupe_log_search_is_finished   (TroupeLogSearch *self);
guint            troupe_log_search_find_index    (TroupeLogSearch *self,
                                                  guint            line);

G_END_DECLS
