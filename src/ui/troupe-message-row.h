/* troupe-message-row.h: one message of a fork's channel, as a row of the inspector
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "troupe-message.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_MESSAGE_ROW (troupe_message_row_get_type ())
G_DECLARE_FINAL_TYPE (TroupeMessageRow, troupe_message_row, TROUPE, MESSAGE_ROW, GtkWidget)

GtkWidget     *troupe_message_row_new          (void);
TroupeMessage *troupe_message_row_get_message  (TroupeMessageRow *self);
void           troupe_message_row_set_message  (TroupeMessageRow *self,
                                                TroupeMessage    *message,
                                                GDateTime        *started_at,
                                                gint64            start_time);
void           troupe_message_row_set_peer_is_worker (TroupeMessageRow *self,
                                                      gboolean          peer_is_worker);
gboolean       troupe_message_row_get_expanded (TroupeMessageRow *self);
void           troupe_message_row_set_expanded (TroupeMessageRow *self,
                                                gboolean          expanded);

G_END_DECLS
