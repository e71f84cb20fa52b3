/* troupe-worker-builtin-kinds.h: the entry functions of the built-in tool workers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-worker-context.h"

G_BEGIN_DECLS

int _troupe_worker_http_load_entry  (TroupeWorkerContext *context);
int _troupe_worker_probe_entry      (TroupeWorkerContext *context);
int _troupe_worker_log_search_entry (TroupeWorkerContext *context);

G_END_DECLS
