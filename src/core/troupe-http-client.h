/* troupe-http-client.h: a minimal HTTP/1.1 client, for the load and probe workers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

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

/* Reads one response as its bytes arrive, however they are cut. */
typedef enum
{
  TROUPE_HTTP_PARSE_MORE,
  TROUPE_HTTP_PARSE_DONE,
  TROUPE_HTTP_PARSE_ERROR,
} TroupeHttpParseResult;

typedef struct
{
  /* read these once the status line is in */
  int         status;
  gboolean    keep_alive;     /* the connection may carry another request */
  guint64     body_length;    /* bytes of body so far */

  /* private */
  int         phase;
  gboolean    head_request;
  gboolean    chunked;
  gboolean    until_close;
  guint64     remaining;
  GByteArray *line;
} TroupeHttpParser;

void                  troupe_http_parser_init   (TroupeHttpParser *parser,
                                                 gboolean          head_request);
void                  troupe_http_parser_reset  (TroupeHttpParser *parser);
void                  troupe_http_parser_clear  (TroupeHttpParser *parser);
TroupeHttpParseResult troupe_http_parser_feed   (TroupeHttpParser *parser,
                                                 const guint8     *data,
                                                 gsize             length,
                                                 gsize            *consumed);
TroupeHttpParseResult troupe_http_parser_finish (TroupeHttpParser *parser);
gboolean              troupe_http_parser_has_started (TroupeHttpParser *parser);

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
