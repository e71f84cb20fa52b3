/* troupe-worker-context.h: what a worker kind's entry function sees, on its pool thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _TroupeWorkerContext TroupeWorkerContext;

/* Returns the worker's exit code. Runs on a pool thread. */
typedef int (*TroupeWorkerEntry) (TroupeWorkerContext *context);

JsonNode     *troupe_worker_context_get_data        (TroupeWorkerContext *context);
GCancellable *troupe_worker_context_get_cancellable (TroupeWorkerContext *context);
gboolean      troupe_worker_context_is_cancelled    (TroupeWorkerContext *context);
void          troupe_worker_context_post            (TroupeWorkerContext *context,
                                                     JsonNode            *message);
void          troupe_worker_context_post_text       (TroupeWorkerContext *context,
                                                     const char          *json_text,
                                                     gssize               length);
JsonNode     *troupe_worker_context_receive         (TroupeWorkerContext *context,
                                                     gint64               timeout_us);
GBytes       *troupe_worker_context_receive_text    (TroupeWorkerContext *context,
                                                     gint64               timeout_us);
void          troupe_worker_context_fail            (TroupeWorkerContext *context,
                                                     const char          *format,
                                                     ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS
