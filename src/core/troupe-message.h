/* troupe-message.h: one message on a fork's channel, or one bad line, as a list item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  TROUPE_MESSAGE_TO_CHILD,
  TROUPE_MESSAGE_FROM_CHILD,
} TroupeMessageDirection;

typedef enum
{
  TROUPE_MESSAGE_USER,
  TROUPE_MESSAGE_INTERNAL,
  TROUPE_MESSAGE_PROTOCOL_ERROR,
} TroupeMessageKind;

#define TROUPE_TYPE_MESSAGE (troupe_message_get_type ())
G_DECLARE_FINAL_TYPE (TroupeMessage, troupe_message, TROUPE, MESSAGE, GObject)

TroupeMessage          *troupe_message_new           (guint                   number,
                                                      TroupeMessageDirection  direction,
                                                      TroupeMessageKind       kind,
                                                      gint64                  time,
                                                      GBytes                 *text,
                                                      const char             *problem);
guint                   troupe_message_get_number    (TroupeMessage          *self);
TroupeMessageDirection  troupe_message_get_direction (TroupeMessage          *self);
TroupeMessageKind       troupe_message_get_kind      (TroupeMessage          *self);
gint64                  troupe_message_get_time      (TroupeMessage          *self);
gsize                   troupe_message_get_size      (TroupeMessage          *self);
GBytes                 *troupe_message_get_text      (TroupeMessage          *self);
const char             *troupe_message_get_problem   (TroupeMessage          *self);
char                   *troupe_message_dup_preview   (TroupeMessage          *self,
                                                      guint                   max_chars);
char                   *troupe_message_dup_pretty    (TroupeMessage          *self);

G_END_DECLS
