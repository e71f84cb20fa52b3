/* troupe-load-history.c: what a load test has reported so far, kept on its worker
 *
 * The load worker posts a report every quarter second. They are kept from
 * the worker's start on, on the worker itself, so that its page draws the
 * whole test whenever it is opened, and shown for another worker meanwhile.
 * Reports are small and few: they are read on the main thread as they come.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "troupe-load-history.h"

#define HISTORY_KEY "troupe-load-history"

static void
load_history_free (gpointer data)
{
  TroupeLoadHistory *history = data;

  g_array_unref (history->samples);
  g_free (history->status_codes);
  g_free (history->error_kinds);
  g_free (history);
}

static gboolean
get_number (JsonObject *object,
            const char *name,
            double     *value)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *value = json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE:
      *value = json_node_get_double (node);
      return TRUE;
    default:
      return FALSE;
    }
}

/* The first of @names that @object has as a number, or 0. */
static double
find_number (JsonObject         *object,
             const char * const *names,
             gboolean           *found)
{
  double value = 0;

  for (guint i = 0; names[i] != NULL; i++)
    if (get_number (object, names[i], &value))
      {
        if (found != NULL)
          *found = TRUE;
        return value;
      }
  if (found != NULL)
    *found = FALSE;
  return 0;
}

static JsonObject *
get_object (JsonObject         *object,
            const char * const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      JsonNode *node = json_object_get_member (object, names[i]);

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        return json_node_get_object (node);
    }
  return NULL;
}

static int
compare_counts (gconstpointer a,
                gconstpointer b)
{
  const char *first = *(const char * const *) a;
  const char *second = *(const char * const *) b;

  return g_strcmp0 (first, second);
}

/* "200 × 1,234 · 503 × 2", sorted by name; "None" for an empty object; the
 * sum of the counts in @total. */
static char *
format_counts (JsonObject *counts,
               gint64     *total)
{
  g_autoptr(GList) names = json_object_get_members (counts);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  *total = 0;
  for (GList *each = names; each != NULL; each = each->next)
    {
      double count = 0;
      const char *pair[] = { each->data, NULL };

      count = find_number (counts, pair, NULL);
      if (count <= 0)
        continue;
      g_autofree char *times = g_strdup_printf ("%'" G_GINT64_FORMAT, (gint64) count);

      *total += (gint64) count;
      /* Translators: a status code or kind of error and how many times it came,
       * as in "200 × 1,234" */
      g_ptr_array_add (parts, g_strdup_printf (_("%s × %s"), (char *) each->data, times));
    }
  if (parts->len == 0)
    return g_strdup (_("None"));
  g_ptr_array_sort (parts, compare_counts);
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

/* One report of the load worker, as it posts it every quarter second:
 * {"type": "stats", "requests": N, "rps": R, "latency": {"p50": ms, "p90": ms,
 *  "p99": ms}, "errors": {"connect": n, ...}, "status": {"200": n, ...}}, and
 * at the end the same for the whole run with "type": "done". A few other
 * names are understood too; anything else it posts is not a report. */
static void
add_report (TroupeLoadHistory *history,
            JsonObject  *report,
            gint64       now)
{
  static const char *request_names[] = { "requests", "total", "completed", NULL };
  static const char *rate_names[] = { "rps", "requests_per_second", "rate", NULL };
  static const char *latency_names[] = { "latency", "latency_ms", "latencies", NULL };
  static const char *p50_names[] = { "p50", "p50_ms", NULL };
  static const char *p90_names[] = { "p90", "p90_ms", NULL };
  static const char *p99_names[] = { "p99", "p99_ms", NULL };
  static const char *status_names[] = { "status", "status_codes", "statuses", "codes", NULL };
  static const char *error_names[] = { "errors", "error_kinds", NULL };
  JsonObject *latency = get_object (report, latency_names);
  JsonObject *statuses = get_object (report, status_names);
  JsonObject *errors = get_object (report, error_names);
  gboolean has_requests, has_rate;
  double requests = find_number (report, request_names, &has_requests);
  double rate = find_number (report, rate_names, &has_rate);
  TroupeLoadSample sample = { .time = now };
  gboolean is_done;

  if (!has_requests && !has_rate)
    return;
  is_done = json_object_has_member (report, "type") &&
            g_strcmp0 (json_object_get_string_member_with_default (report, "type", ""),
                       "done") == 0;

  if (!has_rate && history->samples->len > 0)
    {
      const TroupeLoadSample *last = &g_array_index (history->samples, TroupeLoadSample,
                                                     history->samples->len - 1);
      double seconds = (double) (now - last->time) / G_USEC_PER_SEC;

      rate = seconds > 0 ? (requests - history->requests) / seconds : 0;
    }
  sample.requests_per_second = MAX (rate, 0);
  sample.p50_ms = find_number (latency != NULL ? latency : report, p50_names, NULL);
  sample.p90_ms = find_number (latency != NULL ? latency : report, p90_names, NULL);
  sample.p99_ms = find_number (latency != NULL ? latency : report, p99_names, NULL);
  history->requests = (gint64) requests;

  if (statuses != NULL)
    {
      gint64 unused;

      g_free (history->status_codes);
      history->status_codes = format_counts (statuses, &unused);
    }
  if (errors != NULL)
    {
      g_free (history->error_kinds);
      history->error_kinds = format_counts (errors, &history->errors);
    }
  else
    {
      const char *total_names[] = { "errors", "error_count", NULL };

      history->errors = (gint64) find_number (report, total_names, NULL);
    }

  /* The whole run's figures are no point on the graph: they stand beside it. */
  if (is_done)
    {
      history->done = TRUE;
      history->whole_run = sample;
      return;
    }
  g_array_append_val (history->samples, sample);
  if (history->samples->len > TROUPE_LOAD_HISTORY_MAX_SAMPLES)
    g_array_remove_range (history->samples, 0,
                          history->samples->len - TROUPE_LOAD_HISTORY_MAX_SAMPLES);
  history->n_reports++;
}

static void
on_load_messages (TroupeWorker *worker,
                  GPtrArray    *batch,
                  TroupeLoadHistory  *history)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gint64 now = g_get_monotonic_time ();

  for (guint i = 0; i < batch->len; i++)
    {
      GBytes *text = g_ptr_array_index (batch, i);
      gsize length;
      const char *data = g_bytes_get_data (text, &length);
      JsonNode *root;

      if (!json_parser_load_from_data (parser, data, length, NULL))
        continue;
      root = json_parser_get_root (parser);
      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        add_report (history, json_node_get_object (root), now);
    }
}

/**
 * troupe_load_history_get:
 *
 * Returns: (transfer none) (nullable): what @worker has reported, if it is a
 *   load test followed with troupe_load_history_track()
 */
TroupeLoadHistory *
troupe_load_history_get (TroupeWorker *worker)
{
  g_return_val_if_fail (TROUPE_IS_WORKER (worker), NULL);
  return g_object_get_data (G_OBJECT (worker), HISTORY_KEY);
}

/**
 * troupe_load_history_track:
 * @worker: a worker just started
 *
 * Keeps @worker's load reports from now on, if it is a load test, so that
 * its page can draw them whenever it is opened. Call it once the worker is
 * started; more calls do nothing.
 */
void
troupe_load_history_track (TroupeWorker *worker)
{
  TroupeLoadHistory *history;

  g_return_if_fail (TROUPE_IS_WORKER (worker));

  if (troupe_load_history_get (worker) != NULL ||
      g_strcmp0 (troupe_worker_kind_get_name (troupe_worker_get_kind (worker)),
                 TROUPE_LOAD_HISTORY_KIND) != 0)
    return;
  history = g_new0 (TroupeLoadHistory, 1);
  history->samples = g_array_new (FALSE, FALSE, sizeof (TroupeLoadSample));
  g_object_set_data_full (G_OBJECT (worker), HISTORY_KEY, history, load_history_free);
  g_signal_connect (worker, "messages", G_CALLBACK (on_load_messages), history);
}
