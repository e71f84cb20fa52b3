/* troupe-message-model.h: a fork's messages as a list model, filtered, for a virtualized view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-message-log.h"

G_BEGIN_DECLS

typedef enum
{
  TROUPE_MESSAGE_FILTER_BOTH_WAYS,
  TROUPE_MESSAGE_FILTER_TO_CHILD,
  TROUPE_MESSAGE_FILTER_FROM_CHILD,
} TroupeMessageFilterDirection;

#define TROUPE_TYPE_MESSAGE_MODEL (troupe_message_model_get_type ())
G_DECLARE_FINAL_TYPE (TroupeMessageModel, troupe_message_model, TROUPE, MESSAGE_MODEL, GObject)

TroupeMessageModel *troupe_message_model_new           (TroupeMessageLog   *log);
TroupeMessageLog   *troupe_message_model_get_log       (TroupeMessageModel *self);
void                troupe_message_model_set_text      (TroupeMessageModel *self,
                                                        const char         *needle);
void                troupe_message_model_set_direction (TroupeMessageModel *self,
                                                        TroupeMessageFilterDirection direction);
void                troupe_message_model_set_show_internal (TroupeMessageModel *self,
                                                            gboolean            show);
gboolean            troupe_message_model_is_filtering  (TroupeMessageModel *self);
void                troupe_message_model_flush         (TroupeMessageModel *self);

G_END_DECLS
