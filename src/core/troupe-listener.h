/* troupe-listener.h: a TCP socket bound and listening, to share among a cluster's members
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TROUPE_LISTEN_ERROR (troupe_listen_error_quark ())

typedef enum
{
  TROUPE_LISTEN_ERROR_BAD_ADDRESS,
  TROUPE_LISTEN_ERROR_IN_USE,
  TROUPE_LISTEN_ERROR_NOT_ALLOWED,
  TROUPE_LISTEN_ERROR_FAILED,
} TroupeListenError;

#define TROUPE_LISTEN_DEFAULT_HOST "127.0.0.1"

GQuark   troupe_listen_error_quark   (void);
gboolean troupe_listen_parse_address (const char  *text,
                                      char       **host,
                                      guint16     *port,
                                      GError     **error);
int      troupe_listen_tcp           (const char  *host,
                                      guint16      port,
                                      guint16     *bound_port,
                                      int         *saved_errno,
                                      GError     **error);

G_END_DECLS
