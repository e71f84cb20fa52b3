/* troupe-message-log.h: every message of a fork's channel or a worker, both ways, and every bad line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-channel.h"
#include "troupe-message.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_MESSAGE_LOG (troupe_message_log_get_type ())
G_DECLARE_FINAL_TYPE (TroupeMessageLog, troupe_message_log, TROUPE, MESSAGE_LOG, GObject)

TroupeMessageLog *troupe_message_log_new          (TroupeChannel    *channel);
TroupeMessageLog *troupe_message_log_new_detached (void);
void              troupe_message_log_append       (TroupeMessageLog       *self,
                                                   TroupeMessageDirection  direction,
                                                   TroupeMessageKind       kind,
                                                   GBytes                 *text);
guint             troupe_message_log_get_n_messages (TroupeMessageLog *self);
guint             troupe_message_log_count        (TroupeMessageLog *self,
                                                   TroupeMessageDirection direction,
                                                   TroupeMessageKind kind);
TroupeMessage    *troupe_message_log_get_message  (TroupeMessageLog *self,
                                                   guint             number);
TroupeMessageDirection troupe_message_log_get_direction (TroupeMessageLog *self,
                                                         guint             number);
TroupeMessageKind troupe_message_log_get_kind     (TroupeMessageLog *self,
                                                   guint             number);
gboolean          troupe_message_log_contains     (TroupeMessageLog *self,
                                                   guint             number,
                                                   const char       *needle);
double            troupe_message_log_get_rate     (TroupeMessageLog *self);

G_END_DECLS
