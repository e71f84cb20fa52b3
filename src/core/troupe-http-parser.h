/* troupe-http-parser.h: one HTTP/1.x response, read as its bytes arrive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

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

G_END_DECLS
