/* troupe-line.c: one line of a run's output, as a list item
 *
 * Made on demand for the rows a view shows, so a run of millions of lines has
 * only a screenful of these alive. The text is read from the spool the first
 * time it is asked for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "troupe-line.h"

struct _TroupeLine
{
  GObject         parent_instance;

  TroupeLog      *log;
  TroupeLineInfo  info;
  char           *text;
};

G_DEFINE_FINAL_TYPE (TroupeLine, troupe_line, G_TYPE_OBJECT)

static void
troupe_line_finalize (GObject *object)
{
  TroupeLine *self = (TroupeLine *) object;

  g_clear_object (&self->log);
  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (troupe_line_parent_class)->finalize (object);
}

static void
troupe_line_class_init (TroupeLineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = troupe_line_finalize;
}

static void
troupe_line_init (TroupeLine *self)
{
}

/**
 * troupe_line_new:
 * @lines: what @position counts
 * @position: the line's position among @lines
 *
 * Returns: (transfer full) (nullable): the line, or %NULL if there is none there
 */
TroupeLine *
troupe_line_new (TroupeLog   *log,
                 TroupeLines  lines,
                 guint        position)
{
  TroupeLine *self;
  TroupeLineInfo info;

  g_return_val_if_fail (TROUPE_IS_LOG (log), NULL);

  if (!troupe_log_get_line_info (log, lines, position, &info))
    return NULL;

  self = g_object_new (TROUPE_TYPE_LINE, NULL);
  self->log = g_object_ref (log);
  self->info = info;
  return self;
}

/**
 * troupe_line_get_number:
 *
 * Returns: the line's position among all lines of its run, from 0
 */
guint
troupe_line_get_number (TroupeLine *self)
{
  g_return_val_if_fail (TROUPE_IS_LINE (self), 0);
  return self->info.line;
}

TroupeStream
troupe_line_get_stream (TroupeLine *self)
{
  g_return_val_if_fail (TROUPE_IS_LINE (self), TROUPE_STREAM_STDOUT);
  return self->info.stream;
}

/**
 * troupe_line_get_time:
 *
 * Returns: when the line was read, in g_get_monotonic_time() microseconds
 */
gint64
troupe_line_get_time (TroupeLine *self)
{
  g_return_val_if_fail (TROUPE_IS_LINE (self), 0);
  return self->info.time;
}

/**
 * troupe_line_get_text:
 *
 * Returns: the line as valid UTF-8, without its newline; a line that cannot
 *   be read back says so instead
 */
const char *
troupe_line_get_text (TroupeLine *self)
{
  g_return_val_if_fail (TROUPE_IS_LINE (self), NULL);

  if (self->text == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->text = troupe_log_read_line_text (self->log, TROUPE_LINES_ALL, self->info.line,
                                              NULL, &error);
      if (self->text == NULL)
        self->text = g_strdup (error->message);
    }
  return self->text;
}
