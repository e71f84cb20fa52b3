/* troupe-message-composer.h: writing a message to a fork's child or a thread worker, and sending it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "troupe-channel.h"
#include "troupe-worker.h"

G_BEGIN_DECLS

/* How many sent messages are offered again. */
#define TROUPE_MESSAGE_COMPOSER_MAX_HISTORY 20

#define TROUPE_TYPE_MESSAGE_COMPOSER (troupe_message_composer_get_type ())
G_DECLARE_FINAL_TYPE (TroupeMessageComposer, troupe_message_composer, TROUPE, MESSAGE_COMPOSER,
                      GtkWidget)

GtkWidget          *troupe_message_composer_new         (void);
TroupeChannel      *troupe_message_composer_get_channel (TroupeMessageComposer *self);
void                troupe_message_composer_set_channel (TroupeMessageComposer *self,
                                                         TroupeChannel         *channel);
TroupeWorker       *troupe_message_composer_get_worker  (TroupeMessageComposer *self);
void                troupe_message_composer_set_worker  (TroupeMessageComposer *self,
                                                         TroupeWorker          *worker);
const char * const *troupe_message_composer_get_history (TroupeMessageComposer *self);

G_END_DECLS
