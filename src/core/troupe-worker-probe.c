/* troupe-worker-probe.c: the "probe" worker: is a server up? Says so when that changes
 *
 * Start data: {"address": "HOST:PORT"} or {"url": "http://…"}, "mode" ("tcp"
 * or "http"), "interval" and "timeout" (ms), "count" (checks; none = until
 * terminated), "verbose" (also post every check). Posts {"type": "up",
 * "latency": ms} or {"type": "down", "latency": ms, "reason": "…"} when the
 * state changes (the first check always does), and {"type": "check", …} for
 * each check when verbose. With a count, it ends with {"type": "done"} and exit
 * code 0 if the last check passed, 1 if not.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "troupe-probe.h"
#include "troupe-worker-builtin-kinds.h"

static void
post_check (TroupeWorkerContext *context,
            const char          *type,
            const char          *target,
            gboolean             up,
            gint64               latency_usec,
            const char          *reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) message = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "target");
  json_builder_add_string_value (builder, target);
  json_builder_set_member_name (builder, "up");
  json_builder_add_boolean_value (builder, up);
  json_builder_set_member_name (builder, "latency");
  json_builder_add_double_value (builder, latency_usec / 1000.0);
  if (reason != NULL)
    {
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, reason);
    }
  json_builder_set_member_name (builder, "time");
  json_builder_add_int_value (builder, g_get_real_time () / 1000);
  json_builder_end_object (builder);
  message = json_builder_get_root (builder);
  troupe_worker_context_post (context, message);
}

int
_troupe_worker_probe_entry (TroupeWorkerContext *context)
{
  JsonNode *data = troupe_worker_context_get_data (context);
  g_autoptr(TroupeProbeSpec) spec = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *target = NULL;
  gboolean verbose = FALSE;
  int known = -1;  /* -1 unknown, 0 down, 1 up */
  guint64 checks = 0;
  guint64 n_up = 0;

  spec = troupe_probe_spec_new_from_json (data, NULL, 0, &error);
  if (spec == NULL)
    {
      troupe_worker_context_fail (context, "%s", error->message);
      return 1;
    }
  if (JSON_NODE_HOLDS_OBJECT (data))
    verbose = json_object_get_boolean_member_with_default (json_node_get_object (data),
                                                           "verbose", FALSE);
  target = troupe_probe_spec_describe (spec);

  while (!troupe_worker_context_is_cancelled (context))
    {
      g_autoptr(GError) check_error = NULL;
      g_autoptr(JsonNode) message = NULL;
      gint64 started = g_get_monotonic_time ();
      gint64 latency = 0;
      gboolean up;
      gint64 left;

      up = troupe_probe_check (spec, &latency, troupe_worker_context_get_cancellable (context),
                               &check_error);
      if (g_error_matches (check_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        break;
      checks++;
      n_up += up;
      if (known != (int) up)
        post_check (context, up ? "up" : "down", target, up, latency,
                    up ? NULL : check_error->message);
      else if (verbose)
        post_check (context, "check", target, up, latency, up ? NULL : check_error->message);
      known = up;

      if (spec->count > 0 && checks >= spec->count)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          g_autoptr(JsonNode) done = NULL;

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, "done");
          json_builder_set_member_name (builder, "checks");
          json_builder_add_int_value (builder, checks);
          json_builder_set_member_name (builder, "up");
          json_builder_add_int_value (builder, n_up);
          json_builder_set_member_name (builder, "down");
          json_builder_add_int_value (builder, checks - n_up);
          json_builder_end_object (builder);
          done = json_builder_get_root (builder);
          troupe_worker_context_post (context, done);
          return up ? 0 : 1;
        }

      /* Wait out the rest of the interval; terminating ends the wait. Messages
       * to the probe are not used, so any that come are dropped. */
      left = started + spec->interval_ms * G_TIME_SPAN_MILLISECOND - g_get_monotonic_time ();
      while (left > 0 && !troupe_worker_context_is_cancelled (context))
        {
          message = troupe_worker_context_receive (context, left);
          g_clear_pointer (&message, json_node_unref);
          left = started + spec->interval_ms * G_TIME_SPAN_MILLISECOND - g_get_monotonic_time ();
        }
    }
  return 0;
}
