/* troupe-message.c: one message on a fork's channel, or one bad line, as a list item
 *
 * Made on demand from a TroupeMessageLog for the rows on screen, so a list of a
 * million messages holds a few dozen of these.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "troupe-format.h"
#include "troupe-message.h"

struct _TroupeMessage
{
  GObject                 parent_instance;

  guint                   number;
  TroupeMessageDirection  direction;
  TroupeMessageKind       kind;
  gint64                  time;
  GBytes                 *text;
  char                   *problem;
};

G_DEFINE_FINAL_TYPE (TroupeMessage, troupe_message, G_TYPE_OBJECT)

static void
troupe_message_finalize (GObject *object)
{
  TroupeMessage *self = (TroupeMessage *) object;

  g_clear_pointer (&self->text, g_bytes_unref);
  g_clear_pointer (&self->problem, g_free);

  G_OBJECT_CLASS (troupe_message_parent_class)->finalize (object);
}

static void
troupe_message_class_init (TroupeMessageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = troupe_message_finalize;
}

static void
troupe_message_init (TroupeMessage *self)
{
}

/**
 * troupe_message_new:
 * @number: its place in the log, from 0
 * @direction: which way it went
 * @kind: a user's message, one of Node's own, or a line that was not a message
 * @time: when it was sent or read (monotonic microseconds)
 * @text: the message as it went over the wire (without the line end); for a
 *   protocol error, the start of the bad bytes
 * @problem: (nullable): for a protocol error, what was wrong, for people
 *
 * Returns: (transfer full): the message
 */
TroupeMessage *
troupe_message_new (guint                   number,
                    TroupeMessageDirection  direction,
                    TroupeMessageKind       kind,
                    gint64                  time,
                    GBytes                 *text,
                    const char             *problem)
{
  TroupeMessage *self = g_object_new (TROUPE_TYPE_MESSAGE, NULL);

  self->number = number;
  self->direction = direction;
  self->kind = kind;
  self->time = time;
  self->text = g_bytes_ref (text);
  self->problem = g_strdup (problem);
  return self;
}

guint
troupe_message_get_number (TroupeMessage *self)
{
  g_return_val_if_fail (TROUPE_IS_MESSAGE (self), 0);
  return self->number;
}

TroupeMessageDirection
troupe_message_get_direction (TroupeMessage *self)
{
  g_return_val_if_fail (TROUPE_IS_MESSAGE (self), TROUPE_MESSAGE_FROM_CHILD);
  return self->direction;
}

TroupeMessageKind
troupe_message_get_kind (TroupeMessage *self)
{
  g_return_val_if_fail (TROUPE_IS_MESSAGE (self), TROUPE_MESSAGE_USER);
  return self->kind;
}

gint64
troupe_message_get_time (TroupeMessage *self)
{
  g_return_val_if_fail (TROUPE_IS_MESSAGE (self), 0);
  return self->time;
}

/**
 * troupe_message_get_size:
 *
 * Returns: the message's size on the wire, in bytes, without the line end
 */
gsize
troupe_message_get_size (TroupeMessage *self)
{
  g_return_val_if_fail (TROUPE_IS_MESSAGE (self), 0);
  return g_bytes_get_size (self->text);
}

/**
 * troupe_message_get_text:
 *
 * Returns: (transfer none): the message as it went over the wire
 */
GBytes *
troupe_message_get_text (TroupeMessage *self)
{
  g_return_val_if_fail (TROUPE_IS_MESSAGE (self), NULL);
  return self->text;
}

/**
 * troupe_message_get_problem:
 *
 * Returns: (nullable): what was wrong with a line that was not a message
 */
const char *
troupe_message_get_problem (TroupeMessage *self)
{
  g_return_val_if_fail (TROUPE_IS_MESSAGE (self), NULL);
  return self->problem;
}

/**
 * troupe_message_dup_preview:
 * @max_chars: how many characters to show at most
 *
 * Returns: (transfer full): the message on one line, shortened with "…"; the
 *   bytes of a bad line shown escaped
 */
char *
troupe_message_dup_preview (TroupeMessage *self,
                            guint          max_chars)
{
  gsize length;
  const guint8 *data;

  g_return_val_if_fail (TROUPE_IS_MESSAGE (self), NULL);

  data = g_bytes_get_data (self->text, &length);
  return troupe_format_raw_excerpt (data, length, max_chars);
}

/**
 * troupe_message_dup_pretty:
 *
 * Returns: (transfer full): the message as indented JSON; a bad line as its
 *   bytes, escaped
 */
char *
troupe_message_dup_pretty (TroupeMessage *self)
{
  g_autoptr(JsonParser) parser = NULL;
  gsize length;
  const char *data;

  g_return_val_if_fail (TROUPE_IS_MESSAGE (self), NULL);

  data = g_bytes_get_data (self->text, &length);
  if (self->kind != TROUPE_MESSAGE_PROTOCOL_ERROR)
    {
      parser = json_parser_new_immutable ();
      if (json_parser_load_from_data (parser, data, length, NULL) &&
          json_parser_get_root (parser) != NULL)
        {
          g_autoptr(JsonGenerator) generator = json_generator_new ();

          json_generator_set_root (generator, json_parser_get_root (parser));
          json_generator_set_pretty (generator, TRUE);
          json_generator_set_indent (generator, 2);
          return json_generator_to_data (generator, NULL);
        }
    }
  return troupe_format_raw_excerpt ((const guint8 *) data, length, G_MAXUINT);
}
