/* troupe-channel.h: a JSON message channel with a child, as Node's fork() makes one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TROUPE_CHANNEL_ERROR (troupe_channel_error_quark ())

typedef enum
{
  TROUPE_CHANNEL_ERROR_NOT_JSON,
  TROUPE_CHANNEL_ERROR_TOO_LONG,
  TROUPE_CHANNEL_ERROR_CUT_OFF,
  TROUPE_CHANNEL_ERROR_LOST_HANDLE,
  TROUPE_CHANNEL_ERROR_DISCONNECTED,
  TROUPE_CHANNEL_ERROR_FAILED,
} TroupeChannelError;

/* The longest line taken from a child unless set otherwise. */
#define TROUPE_CHANNEL_DEFAULT_MAX_MESSAGE_SIZE (64 * 1024 * 1024)

#define TROUPE_TYPE_CHANNEL (troupe_channel_get_type ())
G_DECLARE_FINAL_TYPE (TroupeChannel, troupe_channel, TROUPE, CHANNEL, GObject)

GQuark         troupe_channel_error_quark         (void);
TroupeChannel *troupe_channel_new                 (int             fd);

gboolean       troupe_channel_send_text           (TroupeChannel  *self,
                                                   const char     *json_text,
                                                   gssize          length,
                                                   GError        **error);
gboolean       troupe_channel_send                (TroupeChannel  *self,
                                                   JsonNode       *message,
                                                   GError        **error);
gboolean       troupe_channel_send_handle         (TroupeChannel  *self,
                                                   JsonNode       *message,
                                                   int             fd,
                                                   GError        **error);
void           troupe_channel_disconnect          (TroupeChannel  *self);
void           troupe_channel_close               (TroupeChannel  *self);
void           troupe_channel_take_pending        (TroupeChannel  *self);

gboolean       troupe_channel_is_connected        (TroupeChannel  *self);
gsize          troupe_channel_get_queued_bytes    (TroupeChannel  *self);
guint64        troupe_channel_get_n_received      (TroupeChannel  *self);
guint64        troupe_channel_get_n_sent          (TroupeChannel  *self);
gsize          troupe_channel_get_max_message_size (TroupeChannel *self);
void           troupe_channel_set_max_message_size (TroupeChannel *self,
                                                    gsize          max_size);

gboolean       troupe_channel_is_internal         (JsonNode       *message);
JsonNode      *troupe_channel_parse               (GBytes         *line);

G_END_DECLS
