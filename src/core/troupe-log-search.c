/* troupe-log-search.c: finding text in a run's whole log without holding up the window
 *
 * The spool is exactly the log's lines, in order, so a search reads it in large
 * blocks and counts newlines to know which line it is in: no line is read on
 * its own. It works a slice at a time from an idle source, so a log of millions
 * of lines is searched while the window stays responsive, and matches are
 * announced as they are found. Lines that arrive during or after the search are
 * searched too. Matching ignores ASCII case.
 *
 * A log too big for that (TROUPE_LOG_SEARCH_WORKER_BYTES or more in its
 * spool), given a worker pool, is searched by a "log-search" worker instead:
 * it reads the spool up to the last line there was at the start and streams
 * the matching line numbers back, with the needle as a literal expression
 * that ignores ASCII case, so the answer is the same. Lines that come after
 * are searched here once the worker is done, as above.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "troupe-log-search.h"

/* Bytes examined per slice: a few milliseconds of work. */
#define SLICE_BYTES (4 * 1024 * 1024)

struct _TroupeLogSearch
{
  GObject    parent_instance;

  TroupeLog *log;
  char      *needle;       /* lowered */
  gsize      needle_length;
  GArray    *matches;      /* line numbers among all lines */
  guint      next_line;    /* the first line not searched yet */
  guint      idle;
  gboolean   finished;

  TroupeWorkerPool *pool;
  TroupeWorker     *worker;
  guint             worker_end_line;  /* the first line the worker does not search */
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TroupeLogSearch, troupe_log_search, G_TYPE_OBJECT)

static void
drop_pool (gpointer  pool,
           GClosure *closure)
{
  g_object_unref (pool);
}

static void
remove_from_pool (TroupeWorker     *worker,
                  TroupeWorkerPool *pool)
{
  troupe_worker_pool_remove (pool, worker);
}

static void
troupe_log_search_dispose (GObject *object)
{
  TroupeLogSearch *self = (TroupeLogSearch *) object;

  g_clear_handle_id (&self->idle, g_source_remove);
  if (self->worker != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->worker, self);
      /* A search given up (the user typed on) stops, and leaves the pool once
       * it has. */
      g_signal_connect_data (self->worker, "ended", G_CALLBACK (remove_from_pool),
                             g_object_ref (self->pool), drop_pool, 0);
      troupe_worker_terminate (self->worker, 1000);
      g_clear_object (&self->worker);
    }
  g_clear_object (&self->pool);
  if (self->log != NULL)
    g_signal_handlers_disconnect_by_data (self->log, self);
  g_clear_object (&self->log);

  G_OBJECT_CLASS (troupe_log_search_parent_class)->dispose (object);
}

static void
troupe_log_search_finalize (GObject *object)
{
  TroupeLogSearch *self = (TroupeLogSearch *) object;

  g_free (self->needle);
  g_array_unref (self->matches);

  G_OBJECT_CLASS (troupe_log_search_parent_class)->finalize (object);
}

static void
troupe_log_search_class_init (TroupeLogSearchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = troupe_log_search_dispose;
  object_class->finalize = troupe_log_search_finalize;

  /**
   * TroupeLogSearch::changed:
   *
   * Emitted when matches were found, and when the search has caught up with
   * the log.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
troupe_log_search_init (TroupeLogSearch *self)
{
  self->matches = g_array_new (FALSE, FALSE, sizeof (guint));
}

static gboolean
line_matches (TroupeLogSearch *self,
              const guint8    *line,
              gsize            length)
{
  if (self->needle_length == 0 || length < self->needle_length)
    return FALSE;

  for (gsize i = 0; i + self->needle_length <= length; i++)
    {
      /* Find the needle's first byte, in either case, then compare the rest. */
      const guint8 *found = memchr (line + i, self->needle[0], length - i);
      const guint8 *found_upper = g_ascii_isalpha (self->needle[0])
                                    ? memchr (line + i, g_ascii_toupper (self->needle[0]),
                                              length - i)
                                    : NULL;
      const guint8 *first;

      if (found == NULL || (found_upper != NULL && found_upper < found))
        found = found_upper;
      if (found == NULL)
        return FALSE;
      first = found;
      i = first - line;
      if (i + self->needle_length > length)
        return FALSE;
      if (g_ascii_strncasecmp ((const char *) first, self->needle, self->needle_length) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Searches whole lines from next_line on, about SLICE_BYTES of them. */
static gboolean
search_slice (TroupeLogSearch *self)
{
  guint n_lines = troupe_log_get_n_lines (self->log, TROUPE_LINES_ALL);
  guint found_before = self->matches->len;
  TroupeLineInfo first;
  TroupeLineInfo last;
  g_autofree guint8 *block = NULL;
  guint end_line = self->next_line;
  gsize length;

  if (self->next_line >= n_lines)
    return FALSE;

  /* Take whole lines, at least one, up to about SLICE_BYTES. */
  troupe_log_get_line_info (self->log, TROUPE_LINES_ALL, self->next_line, &first);
  last = first;
  end_line = self->next_line + 1;
  while (end_line < n_lines)
    {
      TroupeLineInfo next;

      troupe_log_get_line_info (self->log, TROUPE_LINES_ALL, end_line, &next);
      if (next.offset + next.length - first.offset > SLICE_BYTES)
        break;
      last = next;
      end_line++;
    }

  length = last.offset + last.length - first.offset;
  block = g_malloc (length);
  if (!troupe_log_read_bytes (self->log, first.offset, length, block, NULL))
    {
      /* The log cannot be read back; what was found stands, the rest is skipped. */
      self->next_line = n_lines;
      return FALSE;
    }

  {
    const guint8 *line = block;
    const guint8 *end = block + length;
    guint number = self->next_line;

    while (line < end)
      {
        const guint8 *newline = memchr (line, '\n', end - line);
        const guint8 *line_end = newline != NULL ? newline : end;

        if (line_matches (self, line, line_end - line))
          g_array_append_val (self->matches, number);
        number++;
        line = line_end + 1;
      }
  }

  self->next_line = end_line;
  return self->matches->len > found_before;
}

static gboolean
on_idle (gpointer user_data)
{
  TroupeLogSearch *self = user_data;
  gboolean found = search_slice (self);
  gboolean caught_up = self->next_line >= troupe_log_get_n_lines (self->log, TROUPE_LINES_ALL);

  if (caught_up)
    {
      self->idle = 0;
      self->finished = TRUE;
    }
  if (found || caught_up)
    g_signal_emit (self, signals[CHANGED], 0);
  return caught_up ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

/* The same priority as reading a child's output: a search of a log that is
 * still flooding in takes turns with the reading instead of waiting for a
 * pause that may never come; both stay below the window's redraw. */
static void
schedule (TroupeLogSearch *self)
{
  if (self->idle == 0)
    self->idle = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, on_idle, self, NULL);
}

static void
on_lines_added (TroupeLog       *log,
                guint            position,
                guint            n_added,
                TroupeLogSearch *self)
{
  self->finished = FALSE;
  /* While a worker searches, new lines wait for it to end. */
  if (self->worker == NULL)
    schedule (self);
}

/* Line numbers from the worker, in order: [[number], …] or [number, …]. */
static void
on_worker_messages (TroupeWorker    *worker,
                    GPtrArray       *batch,
                    TroupeLogSearch *self)
{
  guint found_before = self->matches->len;

  for (guint i = 0; i < batch->len; i++)
    {
      GBytes *text = g_ptr_array_index (batch, i);
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      JsonObject *message;
      JsonArray *lines;

      if (!json_parser_load_from_data (parser, g_bytes_get_data (text, NULL),
                                       g_bytes_get_size (text), NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        continue;
      message = json_node_get_object (json_parser_get_root (parser));
      if (g_strcmp0 (json_object_get_string_member_with_default (message, "type", NULL),
                     "matches") != 0 ||
          (lines = json_object_get_array_member (message, "lines")) == NULL)
        continue;
      for (guint l = 0; l < json_array_get_length (lines); l++)
        {
          JsonNode *element = json_array_get_element (lines, l);
          gint64 number;

          if (JSON_NODE_HOLDS_ARRAY (element))
            element = json_array_get_element (json_node_get_array (element), 0);
          if (!JSON_NODE_HOLDS_VALUE (element))
            continue;
          number = json_node_get_int (element);
          if (number >= 0 && number < self->worker_end_line &&
              (self->matches->len == 0 ||
               (guint) number > g_array_index (self->matches, guint, self->matches->len - 1)))
            {
              guint line = number;

              g_array_append_val (self->matches, line);
            }
        }
    }
  if (self->matches->len > found_before)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_worker_ended (TroupeWorker    *worker,
                 TroupeLogSearch *self)
{
  g_autoptr(TroupeWorker) ended = g_steal_pointer (&self->worker);

  g_signal_handlers_disconnect_by_data (ended, self);
  if (troupe_worker_get_state (ended) == TROUPE_WORKER_EXITED)
    self->next_line = self->worker_end_line;
  else
    {
      /* The spool could not be read there: search it here after all. */
      g_array_set_size (self->matches, 0);
      self->next_line = 0;
    }
  /* A search's worker is the view's business, not a job to keep in the list. */
  troupe_worker_pool_remove (self->pool, ended);
  schedule (self);
}

static gboolean
start_worker (TroupeLogSearch *self)
{
  guint n_lines = troupe_log_get_n_lines (self->log, TROUPE_LINES_ALL);
  const char *path = troupe_log_get_spool_path (self->log);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autofree char *pattern = NULL;
  TroupeLineInfo last;

  if (self->pool == NULL || path == NULL || n_lines == 0 ||
      !troupe_log_get_line_info (self->log, TROUPE_LINES_ALL, n_lines - 1, &last) ||
      last.offset + last.length < TROUPE_LOG_SEARCH_WORKER_BYTES)
    return FALSE;

  pattern = g_regex_escape_string (self->needle, -1);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, path);
  json_builder_set_member_name (builder, "pattern");
  json_builder_add_string_value (builder, pattern);
  json_builder_set_member_name (builder, "ignore_case");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "end_offset");
  json_builder_add_int_value (builder, last.offset + last.length);
  json_builder_set_member_name (builder, "first_line");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "text");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_end_object (builder);
  data = json_builder_get_root (builder);

  self->worker = troupe_worker_pool_start (self->pool, "log-search", data, NULL);
  if (self->worker == NULL)
    return FALSE;
  g_object_ref (self->worker);
  troupe_worker_set_recording (self->worker, FALSE);
  self->worker_end_line = n_lines;
  g_signal_connect (self->worker, "messages", G_CALLBACK (on_worker_messages), self);
  g_signal_connect (self->worker, "ended", G_CALLBACK (on_worker_ended), self);
  return TRUE;
}

/**
 * troupe_log_search_new:
 * @log: the log to search
 * @needle: the text to find, ignoring ASCII case
 *
 * Starts searching at once, from the main loop.
 *
 * Returns: (transfer full): the search
 */
TroupeLogSearch *
troupe_log_search_new (TroupeLog  *log,
                       const char *needle)
{
  return troupe_log_search_new_with_pool (log, needle, NULL);
}

/**
 * troupe_log_search_new_with_pool:
 * @log: the log to search
 * @needle: the text to find, ignoring ASCII case
 * @pool: (nullable): where to search a big log on a worker thread
 *
 * Like troupe_log_search_new(), but a log with at least
 * TROUPE_LOG_SEARCH_WORKER_BYTES in its spool is searched by a "log-search"
 * worker of @pool, off the main thread; the matches and signals are the same.
 *
 * Returns: (transfer full): the search
 */
TroupeLogSearch *
troupe_log_search_new_with_pool (TroupeLog        *log,
                                 const char       *needle,
                                 TroupeWorkerPool *pool)
{
  TroupeLogSearch *self;

  g_return_val_if_fail (TROUPE_IS_LOG (log), NULL);
  g_return_val_if_fail (needle != NULL, NULL);
  g_return_val_if_fail (pool == NULL || TROUPE_IS_WORKER_POOL (pool), NULL);

  self = g_object_new (TROUPE_TYPE_LOG_SEARCH, NULL);
  self->log = g_object_ref (log);
  self->needle = g_ascii_strdown (needle, -1);
  self->needle_length = strlen (self->needle);
  if (pool != NULL)
    self->pool = g_object_ref (pool);
  g_signal_connect (log, "lines-added", G_CALLBACK (on_lines_added), self);
  if (self->needle_length == 0)
    self->finished = TRUE;
  else if (!start_worker (self))
    schedule (self);
  return self;
}

/**
 * troupe_log_search_get_default_pool:
 *
 * Returns: (transfer none): a pool of one thread for searches, made on first
 *   use and kept for the life of the process
 */
TroupeWorkerPool *
troupe_log_search_get_default_pool (void)
{
  static TroupeWorkerPool *pool;

  if (pool == NULL)
    {
      g_autoptr(TroupeWorkerRegistry) registry = troupe_worker_registry_new ();

      pool = troupe_worker_pool_new (registry, 1);
    }
  return pool;
}

const char *
troupe_log_search_get_needle (TroupeLogSearch *self)
{
  g_return_val_if_fail (TROUPE_IS_LOG_SEARCH (self), NULL);
  return self->needle;
}

guint
troupe_log_search_get_n_matches (TroupeLogSearch *self)
{
  g_return_val_if_fail (TROUPE_IS_LOG_SEARCH (self), 0);
  return self->matches->len;
}

/**
 * troupe_log_search_get_match:
 * @index: which match, in the log's order
 *
 * Returns: the matching line's number among all lines
 */
guint
troupe_log_search_get_match (TroupeLogSearch *self,
                             guint            index)
{
  g_return_val_if_fail (TROUPE_IS_LOG_SEARCH (self), 0);
  g_return_val_if_fail (index < self->matches->len, 0);
  return g_array_index (self->matches, guint, index);
}

/**
 * troupe_log_search_is_finished:
 *
 * Returns: %TRUE once every line so far has been searched
 */
gboolean
troupe_log_search_is_finished (TroupeLogSearch *self)
{
  g_return_val_if_fail (TROUPE_IS_LOG_SEARCH (self), FALSE);
  return self->finished;
}

/**
 * troupe_log_search_find_index:
 * @line: a line number among all lines
 *
 * Returns: the index of the first match at or after @line (so
 *   troupe_log_search_get_n_matches() when there is none)
 */
guint
troupe_log_search_find_index (TroupeLogSearch *self,
                              guint            line)
{
  guint low = 0;
  guint high;

  g_return_val_if_fail (TROUPE_IS_LOG_SEARCH (self), 0);

  high = self->matches->len;
  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (g_array_index (self->matches, guint, middle) < line)
        low = middle + 1;
      else
        high = middle;
    }
  return low;
}
