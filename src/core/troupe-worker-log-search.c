/* troupe-worker-log-search.c: the "log-search" worker: a regular expression over a whole spool
 *
 * Start data: {"path": a spool file, "pattern": a GRegex expression,
 * "max_matches", "ignore_case", and for a part of the file "offset",
 * "end_offset" (bytes, at line boundaries) and "first_line" (the number of the
 * line at offset; 1 by default), "text" (FALSE: line numbers only)}. Streams
 * {"type": "matches", "lines": [[line_number, text], …]} (or [line_number, …])
 * in batches, at most every 100 ms or 1,000 lines,
 * then {"type": "done", "matches": n, "lines": n, "bytes": n, "truncated":
 * bool}. A bad expression fails with GRegex's own message. The search itself
 * is troupe-spool-search.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "troupe-log.h"
#include "troupe-spool-search.h"
#include "troupe-worker-builtin-kinds.h"

#define BATCH_LINES     1000
#define BATCH_USEC      (100 * 1000)
/* A matching line longer than this is sent cut short; its number is exact. */
#define MAX_TEXT_BYTES  (16 * 1024)

typedef struct
{
  TroupeWorkerContext *context;
  JsonBuilder         *batch;
  guint                batch_lines;
  gint64               batch_started;
  guint64              max_matches;
  guint64              matches;
  gboolean             with_text;
} Search;

static void
begin_batch (Search *search)
{
  search->batch = json_builder_new ();
  json_builder_begin_object (search->batch);
  json_builder_set_member_name (search->batch, "type");
  json_builder_add_string_value (search->batch, "matches");
  json_builder_set_member_name (search->batch, "lines");
  json_builder_begin_array (search->batch);
  search->batch_lines = 0;
  search->batch_started = g_get_monotonic_time ();
}

static void
send_batch (Search *search)
{
  g_autoptr(JsonNode) message = NULL;

  if (search->batch_lines == 0)
    return;
  json_builder_end_array (search->batch);
  json_builder_end_object (search->batch);
  message = json_builder_get_root (search->batch);
  troupe_worker_context_post (search->context, message);
  g_clear_object (&search->batch);
  begin_batch (search);
}

static gboolean
on_match (guint64       line_number,
          const guint8 *line,
          gsize         length,
          gpointer      user_data)
{
  Search *search = user_data;
  g_autofree char *text = NULL;

  if (!search->with_text)
    json_builder_add_int_value (search->batch, line_number);
  else
    {
      if (length > 0 && line[length - 1] == '\r')
        length--;
      text = troupe_text_from_output (line, MIN (length, MAX_TEXT_BYTES));
      json_builder_begin_array (search->batch);
      json_builder_add_int_value (search->batch, line_number);
      json_builder_add_string_value (search->batch, text);
      json_builder_end_array (search->batch);
    }
  search->batch_lines++;
  search->matches++;

  if (search->batch_lines >= BATCH_LINES ||
      g_get_monotonic_time () - search->batch_started >= BATCH_USEC)
    send_batch (search);
  return search->max_matches == 0 || search->matches < search->max_matches;
}

static gboolean
get_count (JsonObject  *object,
           const char  *name,
           guint64      fallback,
           guint64     *value,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *value = fallback;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 &&
       json_node_get_value_type (node) != G_TYPE_DOUBLE) ||
      json_node_get_double (node) < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” must be a number, at least 0"), name);
      return FALSE;
    }
  *value = (guint64) json_node_get_double (node);
  return TRUE;
}

int
_troupe_worker_log_search_entry (TroupeWorkerContext *context)
{
  JsonNode *data = troupe_worker_context_get_data (context);
  g_autoptr(TroupeSpoolSearch) spool_search = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) done = NULL;
  Search search = { context, NULL, 0, 0, 0, 0, TRUE };
  JsonObject *object;
  const char *path;
  const char *pattern;
  guint64 offset, end_offset, first_line;
  gboolean completed;

  if (!JSON_NODE_HOLDS_OBJECT (data))
    {
      troupe_worker_context_fail (context, "%s",
                                  _("The search needs an object such as "
                                    "{\"path\": \"…\", \"pattern\": \"error\"}"));
      return 1;
    }
  object = json_node_get_object (data);
  path = json_object_get_string_member_with_default (object, "path", NULL);
  pattern = json_object_get_string_member_with_default (object, "pattern", NULL);
  if (path == NULL || pattern == NULL)
    {
      troupe_worker_context_fail (context, "%s",
                                  _("The search needs a “path” and a “pattern”, both text"));
      return 1;
    }
  if (!get_count (object, "max_matches", 0, &search.max_matches, &error) ||
      !get_count (object, "offset", 0, &offset, &error) ||
      !get_count (object, "end_offset", G_MAXUINT64, &end_offset, &error) ||
      !get_count (object, "first_line", 1, &first_line, &error))
    {
      troupe_worker_context_fail (context, "%s", error->message);
      return 1;
    }

  search.with_text = json_object_get_boolean_member_with_default (object, "text", TRUE);
  spool_search = troupe_spool_search_new (pattern,
                                          json_object_get_boolean_member_with_default (
                                            object, "ignore_case", FALSE),
                                          &error);
  if (spool_search == NULL)
    {
      troupe_worker_context_fail (context, "%s", error->message);
      return 1;
    }

  begin_batch (&search);
  completed = troupe_spool_search_run (spool_search, path, offset, end_offset, first_line,
                                       on_match, &search,
                                       troupe_worker_context_get_cancellable (context), &error);
  send_batch (&search);
  g_clear_object (&search.batch);
  if (!completed)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return 1;
      troupe_worker_context_fail (context, "%s", error->message);
      return 1;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "done");
  json_builder_set_member_name (builder, "matches");
  json_builder_add_int_value (builder, troupe_spool_search_get_n_matches (spool_search));
  json_builder_set_member_name (builder, "lines");
  json_builder_add_int_value (builder, troupe_spool_search_get_n_lines (spool_search));
  json_builder_set_member_name (builder, "bytes");
  json_builder_add_int_value (builder, troupe_spool_search_get_n_bytes (spool_search));
  json_builder_set_member_name (builder, "truncated");
  json_builder_add_boolean_value (builder, search.max_matches > 0 &&
                                           search.matches >= search.max_matches);
  json_builder_end_object (builder);
  done = json_builder_get_root (builder);
  troupe_worker_context_post (context, done);
  return 0;
}
