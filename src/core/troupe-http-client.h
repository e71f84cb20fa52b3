/* troupe-http-client.h: a minimal HTTP/1.1 client, for the load and probe workers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "troupe-http-parser.h"

G_BEGIN_DECLS

#define TROUPE_HTTP_ERROR (troupe_http_error_quark ())

/* Why a request got no answer, as the load worker counts them. */
typedef enum
{
  TROUPE_HTTP_FAILURE_NONE,
  TROUPE_HTTP_FAILURE_REFUSED,       /* nothing listens on the port */
  TROUPE_HTTP_FAILURE_TIMEOUT,       /* no answer in time */
  TROUPE_HTTP_FAILURE_RESET,         /* the server closed or reset the connection mid-request */
  TROUPE_HTTP_FAILURE_BAD_RESPONSE,  /* the answer is not HTTP/1.x */
  TROUPE_HTTP_FAILURE_CONNECT,       /* any other reason a connection could not be made */
  TROUPE_HTTP_N_FAILURES
} TroupeHttpFailure;

/* The error codes of TROUPE_HTTP_ERROR are the failures. */
GQuark             troupe_http_error_quark          (void);
const char        *troupe_http_failure_to_string    (TroupeHttpFailure  failure);
TroupeHttpFailure  troupe_http_failure_from_errno   (int                errno_value,
                                                     gboolean           connecting);

typedef struct
{
  char    *host;         /* without brackets */
  guint16  port;
  char    *path;         /* with the query, starting with "/" */
  char    *host_header;  /* "host:port" as the Host header has it */
} TroupeHttpUrl;

TroupeHttpUrl     *troupe_http_url_parse            (const char        *text,
                                                     GError           **error);
void               troupe_http_url_free             (TroupeHttpUrl     *url);
char              *troupe_http_format_request       (const char        *method,
                                                     const TroupeHttpUrl *url,
                                                     gboolean           keep_alive,
                                                     gsize             *length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TroupeHttpUrl, troupe_http_url_free)

GSocket           *troupe_http_connect              (const char        *host,
                                                     guint16            port,
                                                     guint              timeout_ms,
                                                     GCancellable      *cancellable,
                                                     GError           **error);

/* Blocking requests, one connection kept while the server allows it: for a
 * worker thread, never the main one. */
typedef struct _TroupeHttpClient TroupeHttpClient;

TroupeHttpClient  *troupe_http_client_new           (const TroupeHttpUrl *url,
                                                     guint              timeout_ms,
                                                     gboolean           keep_alive);
void               troupe_http_client_free          (TroupeHttpClient  *self);
gboolean           troupe_http_client_request       (TroupeHttpClient  *self,
                                                     const char        *method,
                                                     int               *status,
                                                     GCancellable      *cancellable,
                                                     GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TroupeHttpClient, troupe_http_client_free)

G_END_DECLS
