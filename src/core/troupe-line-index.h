/* troupe-line-index.h: where each line of a run's spool starts, at about 12 bytes a line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TROUPE_STREAM_STDOUT = 0,
  TROUPE_STREAM_STDERR = 1,
} TroupeStream;

/* Which lines a position counts: both streams interleaved, or one of them. */
typedef enum
{
  TROUPE_LINES_ALL = -1,
  TROUPE_LINES_STDOUT = TROUPE_STREAM_STDOUT,
  TROUPE_LINES_STDERR = TROUPE_STREAM_STDERR,
} TroupeLines;

typedef struct _TroupeLineIndex TroupeLineIndex;

/**
 * TroupeLineInfo:
 * @line: the line's position among all lines (both streams)
 * @stream: the stream it came from
 * @offset: where it starts in the spool
 * @length: its length in the spool, newline included
 * @time: when it was read, in g_get_monotonic_time() microseconds
 */
typedef struct
{
  guint        line;
  TroupeStream stream;
  guint64      offset;
  guint64      length;
  gint64       time;
} TroupeLineInfo;

TroupeLineIndex *troupe_line_index_new          (void);
void             troupe_line_index_free         (TroupeLineIndex *self);
gboolean         troupe_line_index_append       (TroupeLineIndex *self,
                                                 TroupeStream     stream,
                                                 guint64          offset,
                                                 guint64          end_offset,
                                                 gint64           time);
guint            troupe_line_index_get_n_lines  (TroupeLineIndex *self,
                                                 TroupeLines      lines);
gboolean         troupe_line_index_lookup       (TroupeLineIndex *self,
                                                 TroupeLines      lines,
                                                 guint            position,
                                                 TroupeLineInfo  *info);
gsize            troupe_line_index_get_memory   (TroupeLineIndex *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TroupeLineIndex, troupe_line_index_free)

G_END_DECLS
