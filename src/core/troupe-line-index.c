/* troupe-line-index.c: where each line of a run's spool starts, at about 12 bytes a line
 *
 * A run can print hundreds of millions of lines, so the index is laid out for
 * size and for O(1) lookups by position, among all lines or within one stream:
 *
 *  - Lines live in blocks of 65,536. A block keeps its first line's spool offset
 *    and time as 64-bit bases, and each line's offset and time as 32-bit deltas
 *    from them (4 + 4 bytes), plus one stream bit. A block whose lines are so
 *    long, or so far apart in time, that a delta does not fit in 32 bits is
 *    widened to 64-bit values; such a block holds little output per byte of
 *    index, so the cost does not matter.
 *  - Each stream keeps, in blocks too, the position among all lines of each of its
 *    lines (4 bytes a line), so "stderr line j" is one lookup.
 *
 * Blocks are allocated whole but touched as they fill, so the resident memory is
 * what is used, and growing never copies. Positions are guint, as in GListModel,
 * so a run keeps at most G_MAXUINT - 1 lines indexed; later lines are still
 * spooled (troupe_line_index_append() returns %FALSE).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "troupe-line-index.h"

#define BLOCK_SHIFT 16
#define BLOCK_SIZE  (1u << BLOCK_SHIFT)
#define BLOCK_MASK  (BLOCK_SIZE - 1)

typedef struct
{
  guint64  base_offset;
  gint64   base_time;
  guint32 *offsets32;
  guint64 *offsets64;
  guint32 *times32;
  gint64  *times64;
  guint64  stream_bits[BLOCK_SIZE / 64];
} LineBlock;

typedef struct
{
  guint32 **blocks;
  guint     n_blocks;
  guint     n_lines;
} PositionList;

struct _TroupeLineIndex
{
  LineBlock    **blocks;
  guint          n_blocks;
  guint          n_lines;
  guint64        end_offset;
  PositionList   streams[2];
};

TroupeLineIndex *
troupe_line_index_new (void)
{
  return g_new0 (TroupeLineIndex, 1);
}

static void
line_block_free (LineBlock *block)
{
  g_free (block->offsets32);
  g_free (block->offsets64);
  g_free (block->times32);
  g_free (block->times64);
  g_free (block);
}

void
troupe_line_index_free (TroupeLineIndex *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < self->n_blocks; i++)
    line_block_free (self->blocks[i]);
  g_free (self->blocks);

  for (guint s = 0; s < G_N_ELEMENTS (self->streams); s++)
    {
      for (guint i = 0; i < self->streams[s].n_blocks; i++)
        g_free (self->streams[s].blocks[i]);
      g_free (self->streams[s].blocks);
    }
  g_free (self);
}

static void
position_list_append (PositionList *list,
                      guint         position)
{
  guint slot = list->n_lines & BLOCK_MASK;

  if (slot == 0)
    {
      list->blocks = g_renew (guint32 *, list->blocks, list->n_blocks + 1);
      list->blocks[list->n_blocks++] = g_new (guint32, BLOCK_SIZE);
    }
  list->blocks[list->n_blocks - 1][slot] = position;
  list->n_lines++;
}

static void
widen_offsets (LineBlock *block,
               guint      count)
{
  block->offsets64 = g_new (guint64, BLOCK_SIZE);
  for (guint i = 0; i < count; i++)
    block->offsets64[i] = block->base_offset + block->offsets32[i];
  g_clear_pointer (&block->offsets32, g_free);
}

static void
widen_times (LineBlock *block,
             guint      count)
{
  block->times64 = g_new (gint64, BLOCK_SIZE);
  for (guint i = 0; i < count; i++)
    block->times64[i] = block->base_time + block->times32[i];
  g_clear_pointer (&block->times32, g_free);
}

/**
 * troupe_line_index_append:
 * @offset: where the line starts in the spool; lines are appended in spool order
 * @end_offset: where it ends, newline included
 * @time: when it was read (monotonic microseconds, never decreasing)
 *
 * Returns: %TRUE if the line was indexed, %FALSE if the index is full
 */
gboolean
troupe_line_index_append (TroupeLineIndex *self,
                          TroupeStream     stream,
                          guint64          offset,
                          guint64          end_offset,
                          gint64           time)
{
  guint slot = self->n_lines & BLOCK_MASK;
  LineBlock *block;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (stream == TROUPE_STREAM_STDOUT || stream == TROUPE_STREAM_STDERR, FALSE);
  g_return_val_if_fail (end_offset >= offset, FALSE);

  if (self->n_lines == G_MAXUINT - 1)
    return FALSE;

  if (slot == 0)
    {
      block = g_new0 (LineBlock, 1);
      block->base_offset = offset;
      block->base_time = time;
      block->offsets32 = g_new (guint32, BLOCK_SIZE);
      block->times32 = g_new (guint32, BLOCK_SIZE);
      self->blocks = g_renew (LineBlock *, self->blocks, self->n_blocks + 1);
      self->blocks[self->n_blocks++] = block;
    }
  else
    block = self->blocks[self->n_blocks - 1];

  if (block->offsets32 != NULL && offset - block->base_offset > G_MAXUINT32)
    widen_offsets (block, slot);
  if (block->offsets32 != NULL)
    block->offsets32[slot] = (guint32) (offset - block->base_offset);
  else
    block->offsets64[slot] = offset;

  /* Monotonic time never goes back, but be robust to a caller that clamps badly. */
  if (time < block->base_time)
    time = block->base_time;
  if (block->times32 != NULL && (guint64) (time - block->base_time) > G_MAXUINT32)
    widen_times (block, slot);
  if (block->times32 != NULL)
    block->times32[slot] = (guint32) (time - block->base_time);
  else
    block->times64[slot] = time;

  if (stream == TROUPE_STREAM_STDERR)
    block->stream_bits[slot / 64] |= G_GUINT64_CONSTANT (1) << (slot % 64);

  position_list_append (&self->streams[stream], self->n_lines);
  self->n_lines++;
  self->end_offset = end_offset;
  return TRUE;
}

/**
 * troupe_line_index_get_n_lines:
 * @lines: all lines, or one stream's
 *
 * Returns: how many lines there are
 */
guint
troupe_line_index_get_n_lines (TroupeLineIndex *self,
                               TroupeLines      lines)
{
  g_return_val_if_fail (self != NULL, 0);

  if (lines == TROUPE_LINES_ALL)
    return self->n_lines;
  return self->streams[lines].n_lines;
}

static guint64
line_offset (TroupeLineIndex *self,
             guint            line)
{
  const LineBlock *block;
  guint slot;

  if (line >= self->n_lines)
    return self->end_offset;

  block = self->blocks[line >> BLOCK_SHIFT];
  slot = line & BLOCK_MASK;
  return block->offsets32 != NULL ? block->base_offset + block->offsets32[slot]
                                  : block->offsets64[slot];
}

/**
 * troupe_line_index_lookup:
 * @lines: what @position counts: all lines, or one stream's
 * @position: the line's position there
 * @info: (out): the line
 *
 * Returns: %FALSE if there is no such line
 */
gboolean
troupe_line_index_lookup (TroupeLineIndex *self,
                          TroupeLines      lines,
                          guint            position,
                          TroupeLineInfo  *info)
{
  const LineBlock *block;
  guint line;
  guint slot;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  if (lines == TROUPE_LINES_ALL)
    {
      if (position >= self->n_lines)
        return FALSE;
      line = position;
    }
  else
    {
      const PositionList *list = &self->streams[lines];

      if (position >= list->n_lines)
        return FALSE;
      line = list->blocks[position >> BLOCK_SHIFT][position & BLOCK_MASK];
    }

  block = self->blocks[line >> BLOCK_SHIFT];
  slot = line & BLOCK_MASK;

  info->line = line;
  info->stream = (block->stream_bits[slot / 64] >> (slot % 64)) & 1 ? TROUPE_STREAM_STDERR
                                                                    : TROUPE_STREAM_STDOUT;
  info->offset = line_offset (self, line);
  info->length = line_offset (self, line + 1) - info->offset;
  info->time = block->times32 != NULL ? block->base_time + block->times32[slot]
                                      : block->times64[slot];
  return TRUE;
}

/**
 * troupe_line_index_get_memory:
 *
 * Returns: bytes of index in use (what is touched, not what is reserved)
 */
gsize
troupe_line_index_get_memory (TroupeLineIndex *self)
{
  gsize bytes = sizeof *self;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->n_blocks; i++)
    {
      const LineBlock *block = self->blocks[i];
      guint used = i + 1 < self->n_blocks ? BLOCK_SIZE : self->n_lines - i * BLOCK_SIZE;

      bytes += sizeof *block;
      bytes += used * (block->offsets32 != NULL ? sizeof (guint32) : sizeof (guint64));
      bytes += used * (block->times32 != NULL ? sizeof (guint32) : sizeof (gint64));
    }
  bytes += (gsize) self->n_lines * sizeof (guint32);
  return bytes;
}
