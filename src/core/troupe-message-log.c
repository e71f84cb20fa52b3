/* troupe-message-log.c: every message of a fork's channel, both ways, and every bad line
 *
 * Kept in memory, compactly: an entry of 24 bytes per message, and the text in
 * blocks of 1 MiB (a longer message gets a block of its own), so a million
 * small messages cost tens of megabytes, and a GListModel over them makes
 * items only for the rows on screen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "troupe-message-log.h"

#define BLOCK_SIZE        (1024 * 1024)
/* The rate is counted over this window, in one-second slots. */
#define RATE_SECONDS      2

typedef struct
{
  gint64        time;
  const guint8 *text;
  guint32       length;
  guint8        direction;
  guint8        kind;
  /* A protocol error's explanation, in `problems`. */
  guint16       has_problem;
} Entry;

struct _TroupeMessageLog
{
  GObject        parent_instance;

  TroupeChannel *channel;
  GArray        *entries;
  GPtrArray     *blocks;
  gsize          block_used;
  GHashTable    *problems;    /* number → explanation */
  guint          counts[2][3];

  /* Messages per second: counts in the current and the previous seconds */
  gint64         rate_second;
  guint          rate_counts[RATE_SECONDS + 1];
};

enum
{
  ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TroupeMessageLog, troupe_message_log, G_TYPE_OBJECT)

static const guint8 *
store_text (TroupeMessageLog *self,
            const guint8     *data,
            gsize             length)
{
  guint8 *block;

  if (length > BLOCK_SIZE / 4)
    {
      /* A big message gets a block of its own, so blocks stay mostly full. */
      block = g_malloc (MAX (length, 1));
      memcpy (block, data, length);
      if (self->blocks->len > 0)
        g_ptr_array_insert (self->blocks, self->blocks->len - 1, block);
      else
        {
          g_ptr_array_add (self->blocks, block);
          self->block_used = BLOCK_SIZE;
        }
      return block;
    }
  if (self->blocks->len == 0 || self->block_used + length > BLOCK_SIZE)
    {
      g_ptr_array_add (self->blocks, g_malloc (BLOCK_SIZE));
      self->block_used = 0;
    }
  block = g_ptr_array_index (self->blocks, self->blocks->len - 1);
  memcpy (block + self->block_used, data, length);
  self->block_used += length;
  return block + self->block_used - length;
}

static void
count_for_rate (TroupeMessageLog *self,
                gint64            now)
{
  gint64 second = now / G_USEC_PER_SEC;
  gint64 shift = second - self->rate_second;

  if (shift > 0)
    {
      if (shift > RATE_SECONDS)
        memset (self->rate_counts, 0, sizeof self->rate_counts);
      else
        {
          memmove (self->rate_counts + shift, self->rate_counts,
                   sizeof (guint) * (RATE_SECONDS + 1 - shift));
          memset (self->rate_counts, 0, sizeof (guint) * shift);
        }
      self->rate_second = second;
    }
  self->rate_counts[0]++;
}

static void
add (TroupeMessageLog       *self,
     TroupeMessageDirection  direction,
     TroupeMessageKind       kind,
     GBytes                 *text,
     const char             *problem)
{
  gsize length = 0;
  const guint8 *data = text != NULL ? g_bytes_get_data (text, &length) : NULL;
  Entry entry;
  guint number = self->entries->len;

  entry.time = g_get_monotonic_time ();
  entry.text = store_text (self, data, length);
  entry.length = (guint32) MIN (length, G_MAXUINT32);
  entry.direction = direction;
  entry.kind = kind;
  entry.has_problem = problem != NULL;
  g_array_append_val (self->entries, entry);
  if (problem != NULL)
    g_hash_table_insert (self->problems, GUINT_TO_POINTER (number), g_strdup (problem));
  self->counts[direction][kind]++;
  count_for_rate (self, entry.time);
  g_signal_emit (self, signals[ADDED], 0, number);
}

static void
on_message (TroupeChannel    *channel,
            GBytes           *line,
            gboolean          internal,
            TroupeMessageLog *self)
{
  add (self, TROUPE_MESSAGE_FROM_CHILD, internal ? TROUPE_MESSAGE_INTERNAL : TROUPE_MESSAGE_USER,
       line, NULL);
}

static void
on_sent (TroupeChannel    *channel,
         GBytes           *line,
         gboolean          internal,
         TroupeMessageLog *self)
{
  add (self, TROUPE_MESSAGE_TO_CHILD, internal ? TROUPE_MESSAGE_INTERNAL : TROUPE_MESSAGE_USER,
       line, NULL);
}

static void
on_protocol_error (TroupeChannel    *channel,
                   const GError     *error,
                   GBytes           *raw,
                   TroupeMessageLog *self)
{
  add (self, TROUPE_MESSAGE_FROM_CHILD, TROUPE_MESSAGE_PROTOCOL_ERROR, raw, error->message);
}

static void
troupe_message_log_dispose (GObject *object)
{
  TroupeMessageLog *self = (TroupeMessageLog *) object;

  if (self->channel != NULL)
    g_signal_handlers_disconnect_by_data (self->channel, self);
  g_clear_object (&self->channel);

  G_OBJECT_CLASS (troupe_message_log_parent_class)->dispose (object);
}

static void
troupe_message_log_finalize (GObject *object)
{
  TroupeMessageLog *self = (TroupeMessageLog *) object;

  g_array_unref (self->entries);
  g_ptr_array_unref (self->blocks);
  g_hash_table_unref (self->problems);

  G_OBJECT_CLASS (troupe_message_log_parent_class)->finalize (object);
}

static void
troupe_message_log_class_init (TroupeMessageLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = troupe_message_log_dispose;
  object_class->finalize = troupe_message_log_finalize;

  /**
   * TroupeMessageLog::added:
   * @number: the new message's number
   */
  signals[ADDED] =
    g_signal_new ("added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
troupe_message_log_init (TroupeMessageLog *self)
{
  self->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  self->blocks = g_ptr_array_new_with_free_func (g_free);
  self->problems = g_hash_table_new_full (NULL, NULL, NULL, g_free);
}

/**
 * troupe_message_log_new:
 * @channel: the channel to record, from its start
 *
 * Returns: (transfer full): the log
 */
TroupeMessageLog *
troupe_message_log_new (TroupeChannel *channel)
{
  TroupeMessageLog *self;

  g_return_val_if_fail (TROUPE_IS_CHANNEL (channel), NULL);

  self = g_object_new (TROUPE_TYPE_MESSAGE_LOG, NULL);
  self->channel = g_object_ref (channel);
  g_signal_connect (channel, "message", G_CALLBACK (on_message), self);
  g_signal_connect (channel, "sent", G_CALLBACK (on_sent), self);
  g_signal_connect (channel, "protocol-error", G_CALLBACK (on_protocol_error), self);
  return self;
}

/**
 * troupe_message_log_new_detached:
 *
 * A log that no channel feeds: its owner appends what goes by, as a thread
 * worker does with its messages.
 *
 * Returns: (transfer full): an empty log
 */
TroupeMessageLog *
troupe_message_log_new_detached (void)
{
  return g_object_new (TROUPE_TYPE_MESSAGE_LOG, NULL);
}

/**
 * troupe_message_log_append:
 * @direction: %TROUPE_MESSAGE_TO_CHILD for what went to the worker
 * @text: the message's JSON text; copied
 *
 * Adds a message to a log made with troupe_message_log_new_detached().
 */
void
troupe_message_log_append (TroupeMessageLog       *self,
                           TroupeMessageDirection  direction,
                           TroupeMessageKind       kind,
                           GBytes                 *text)
{
  g_return_if_fail (TROUPE_IS_MESSAGE_LOG (self));
  g_return_if_fail (self->channel == NULL);
  g_return_if_fail (direction <= TROUPE_MESSAGE_FROM_CHILD);
  g_return_if_fail (kind <= TROUPE_MESSAGE_PROTOCOL_ERROR);

  add (self, direction, kind, text, NULL);
}

guint
troupe_message_log_get_n_messages (TroupeMessageLog *self)
{
  g_return_val_if_fail (TROUPE_IS_MESSAGE_LOG (self), 0);
  return self->entries->len;
}

/**
 * troupe_message_log_count:
 *
 * Returns: how many messages of @kind went in @direction
 */
guint
troupe_message_log_count (TroupeMessageLog       *self,
                          TroupeMessageDirection  direction,
                          TroupeMessageKind       kind)
{
  g_return_val_if_fail (TROUPE_IS_MESSAGE_LOG (self), 0);
  g_return_val_if_fail (direction <= TROUPE_MESSAGE_FROM_CHILD, 0);
  g_return_val_if_fail (kind <= TROUPE_MESSAGE_PROTOCOL_ERROR, 0);
  return self->counts[direction][kind];
}

/**
 * troupe_message_log_get_message:
 * @number: which message, from 0
 *
 * Returns: (transfer full): the message, as an item for a list
 */
TroupeMessage *
troupe_message_log_get_message (TroupeMessageLog *self,
                                guint             number)
{
  const Entry *entry;
  g_autoptr(GBytes) text = NULL;

  g_return_val_if_fail (TROUPE_IS_MESSAGE_LOG (self), NULL);
  g_return_val_if_fail (number < self->entries->len, NULL);

  entry = &g_array_index (self->entries, Entry, number);
  /* The blocks live as long as the log; the item holds the log, not a copy. */
  text = g_bytes_new_with_free_func (entry->text, entry->length, g_object_unref,
                                     g_object_ref (self));
  return troupe_message_new (number, entry->direction, entry->kind, entry->time, text,
                             entry->has_problem
                               ? g_hash_table_lookup (self->problems, GUINT_TO_POINTER (number))
                               : NULL);
}

TroupeMessageDirection
troupe_message_log_get_direction (TroupeMessageLog *self,
                                  guint             number)
{
  g_return_val_if_fail (TROUPE_IS_MESSAGE_LOG (self), TROUPE_MESSAGE_FROM_CHILD);
  g_return_val_if_fail (number < self->entries->len, TROUPE_MESSAGE_FROM_CHILD);
  return g_array_index (self->entries, Entry, number).direction;
}

TroupeMessageKind
troupe_message_log_get_kind (TroupeMessageLog *self,
                             guint             number)
{
  g_return_val_if_fail (TROUPE_IS_MESSAGE_LOG (self), TROUPE_MESSAGE_USER);
  g_return_val_if_fail (number < self->entries->len, TROUPE_MESSAGE_USER);
  return g_array_index (self->entries, Entry, number).kind;
}

static gboolean
contains_ascii_case_insensitive (const guint8 *text,
                                 gsize         length,
                                 const char   *needle,
                                 gsize         needle_length)
{
  if (needle_length > length)
    return FALSE;
  for (gsize i = 0; i + needle_length <= length; i++)
    if (g_ascii_strncasecmp ((const char *) text + i, needle, needle_length) == 0)
      return TRUE;
  return FALSE;
}

/**
 * troupe_message_log_contains:
 * @needle: text to look for, ASCII letters in either case
 *
 * Returns: %TRUE if message @number, or a protocol error's explanation, has @needle
 */
gboolean
troupe_message_log_contains (TroupeMessageLog *self,
                             guint             number,
                             const char       *needle)
{
  const Entry *entry;
  gsize needle_length;

  g_return_val_if_fail (TROUPE_IS_MESSAGE_LOG (self), FALSE);
  g_return_val_if_fail (number < self->entries->len, FALSE);
  g_return_val_if_fail (needle != NULL, FALSE);

  entry = &g_array_index (self->entries, Entry, number);
  needle_length = strlen (needle);
  if (contains_ascii_case_insensitive (entry->text, entry->length, needle, needle_length))
    return TRUE;
  if (entry->has_problem)
    {
      const char *problem = g_hash_table_lookup (self->problems, GUINT_TO_POINTER (number));
      return contains_ascii_case_insensitive ((const guint8 *) problem, strlen (problem),
                                              needle, needle_length);
    }
  return FALSE;
}

/**
 * troupe_message_log_get_rate:
 *
 * Returns: messages per second, both ways, over the last whole seconds
 */
double
troupe_message_log_get_rate (TroupeMessageLog *self)
{
  gint64 shift;
  guint total = 0;

  g_return_val_if_fail (TROUPE_IS_MESSAGE_LOG (self), 0);

  /* Slot k of the window is k seconds before the one the counts were last
   * moved to; seen from now, that is k - shift. A quiet channel falls to 0. */
  shift = g_get_monotonic_time () / G_USEC_PER_SEC - self->rate_second;
  for (gint64 k = 1; k <= RATE_SECONDS; k++)
    {
      gint64 slot = k - shift;

      if (slot >= 0 && slot <= RATE_SECONDS)
        total += self->rate_counts[slot];
    }
  return total / (double) RATE_SECONDS;
}
