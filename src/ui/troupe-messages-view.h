/* troupe-messages-view.h: the messages of a fork's channel or a thread worker, both ways, and a box to send more
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "troupe-message-composer.h"
#include "troupe-process.h"
#include "troupe-worker.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_MESSAGES_VIEW (troupe_messages_view_get_type ())
G_DECLARE_FINAL_TYPE (TroupeMessagesView, troupe_messages_view, TROUPE, MESSAGES_VIEW, GtkWidget)

GtkWidget             *troupe_messages_view_new           (void);
TroupeProcess         *troupe_messages_view_get_process   (TroupeMessagesView *self);
void                   troupe_messages_view_set_process   (TroupeMessagesView *self,
                                                           TroupeProcess      *process);
TroupeWorker          *troupe_messages_view_get_worker    (TroupeMessagesView *self);
void                   troupe_messages_view_set_worker    (TroupeMessagesView *self,
                                                           TroupeWorker       *worker);
TroupeMessageComposer *troupe_messages_view_get_composer  (TroupeMessagesView *self);
gboolean               troupe_messages_view_get_following (TroupeMessagesView *self);
guint                  troupe_messages_view_get_n_shown   (TroupeMessagesView *self);
void                   troupe_messages_view_start_search  (TroupeMessagesView *self);

G_END_DECLS
