/* troupe-log-search.c: finding text in a run's whole log without holding up the window
 *
 * The spool is exactly the log's lines, in order, so a search reads it in large
 * blocks and counts newlines to know which line it is in: no line is read on
 * its own. It works a slice at a time from an idle source, so a log of millions
 * of lines is searched while the window stays responsive, and matches are
 * announced as they are found. Lines that arrive during or after the search are
 * searched too. Matching ignores ASCII case.
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
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TroupeLogSearch, troupe_log_search, G_TYPE_OBJECT)

static void
troupe_log_search_dispose (GObject *object)
{
  TroupeLogSearch *self = (TroupeLogSearch *) object;

  g_clear_handle_id (&self->idle, g_source_remove);
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
  schedule (self);
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
  TroupeLogSearch *self;

  g_return_val_if_fail (TROUPE_IS_LOG (log), NULL);
  g_return_val_if_fail (needle != NULL, NULL);

  self = g_object_new (TROUPE_TYPE_LOG_SEARCH, NULL);
  self->log = g_object_ref (log);
  self->needle = g_ascii_strdown (needle, -1);
  self->needle_length = strlen (self->needle);
  g_signal_connect (log, "lines-added", G_CALLBACK (on_lines_added), self);
  if (self->needle_length > 0)
    schedule (self);
  else
    self->finished = TRUE;
  return self;
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
