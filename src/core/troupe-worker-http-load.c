/* troupe-worker-http-load.c: the "http-load" worker: loads an HTTP server, reports live
 *
 * Start data: {"url", "connections", "duration" (s) or "requests" (count),
 * "method", "keep_alive", "timeout" (ms)}. Posts {"type": "stats", …} every
 * 250 ms: "elapsed", "requests" so far, "rps" and "latency" (p50/p90/p99, ms)
 * over the last interval, "errors" by kind and "status" by code so far; then
 * {"type": "done", …} with the same over the whole run. The engine is in
 * troupe-http-load.c, which builds the messages on the worker's own thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "troupe-http-load.h"
#include "troupe-worker-builtin-kinds.h"

static void
post (const char *json_text,
      gsize       length,
      gpointer    user_data)
{
  troupe_worker_context_post_text (user_data, json_text, length);
}

int
_troupe_worker_http_load_entry (TroupeWorkerContext *context)
{
  g_autoptr(TroupeHttpLoadSpec) spec = NULL;
  g_autoptr(GError) error = NULL;

  spec = troupe_http_load_spec_new_from_json (troupe_worker_context_get_data (context), &error);
  if (spec == NULL ||
      !troupe_http_load_run (spec, post, context, troupe_worker_context_get_cancellable (context),
                             &error))
    {
      troupe_worker_context_fail (context, "%s", error->message);
      return 1;
    }
  return 0;
}
