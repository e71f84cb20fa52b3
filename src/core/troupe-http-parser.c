/* troupe-http-parser.c: one HTTP/1.x response, read as its bytes arrive
 *
 * Status line, headers, then a body by Content-Length, chunked, or up to the
 * close, so that a kept-alive connection can carry the next request. Bytes
 * may come cut anywhere; only a line that straddles two reads is copied, so
 * the load worker can drive hundreds of connections with it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "troupe-http-parser.h"

/* A status line or header longer than this is not a server we understand. */
#define MAX_LINE_BYTES (64 * 1024)

enum
{
  PHASE_STATUS,
  PHASE_HEADERS,
  PHASE_BODY,
  PHASE_BODY_UNTIL_CLOSE,
  PHASE_CHUNK_SIZE,
  PHASE_CHUNK_DATA,
  PHASE_CHUNK_END,
  PHASE_TRAILERS,
  PHASE_DONE,
  PHASE_ERROR,
};

void
troupe_http_parser_init (TroupeHttpParser *parser,
                         gboolean          head_request)
{
  memset (parser, 0, sizeof *parser);
  parser->head_request = head_request;
  parser->line = g_byte_array_new ();
  troupe_http_parser_reset (parser);
}

/* Ready for the next response on the same connection. */
void
troupe_http_parser_reset (TroupeHttpParser *parser)
{
  parser->status = 0;
  parser->keep_alive = TRUE;
  parser->body_length = 0;
  parser->phase = PHASE_STATUS;
  parser->chunked = FALSE;
  parser->until_close = FALSE;
  parser->remaining = G_MAXUINT64;
  g_byte_array_set_size (parser->line, 0);
}

void
troupe_http_parser_clear (TroupeHttpParser *parser)
{
  g_clear_pointer (&parser->line, g_byte_array_unref);
}

/* Whether any byte of a response has come: a kept-alive connection that the
 * server closes before that was merely idle, not cut mid-answer. */
gboolean
troupe_http_parser_has_started (TroupeHttpParser *parser)
{
  return parser->phase != PHASE_STATUS || parser->line->len > 0;
}

static gboolean
header_is (const char *line,
           gsize       length,
           const char *name,
           const char **value,
           gsize       *value_length)
{
  gsize name_length = strlen (name);

  if (length <= name_length || line[name_length] != ':' ||
      g_ascii_strncasecmp (line, name, name_length) != 0)
    return FALSE;
  *value = line + name_length + 1;
  *value_length = length - name_length - 1;
  while (*value_length > 0 && (**value == ' ' || **value == '\t'))
    {
      (*value)++;
      (*value_length)--;
    }
  while (*value_length > 0 && ((*value)[*value_length - 1] == ' ' ||
                               (*value)[*value_length - 1] == '\t'))
    (*value_length)--;
  return TRUE;
}

static gboolean
value_has_token (const char *value,
                 gsize       length,
                 const char *token)
{
  gsize token_length = strlen (token);

  for (gsize i = 0; i + token_length <= length; i++)
    if (g_ascii_strncasecmp (value + i, token, token_length) == 0 &&
        (i == 0 || value[i - 1] == ',' || value[i - 1] == ' ') &&
        (i + token_length == length || value[i + token_length] == ',' ||
         value[i + token_length] == ' '))
      return TRUE;
  return FALSE;
}

static gboolean
parse_status_line (TroupeHttpParser *parser,
                   const char       *line,
                   gsize             length)
{
  /* "HTTP/1.1 200 OK" */
  if (length < 12 || memcmp (line, "HTTP/1.", 7) != 0 || line[8] != ' ' ||
      !g_ascii_isdigit (line[9]) || !g_ascii_isdigit (line[10]) || !g_ascii_isdigit (line[11]) ||
      (length > 12 && line[12] != ' '))
    return FALSE;
  parser->status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
  parser->keep_alive = line[7] == '1';
  return parser->status >= 100;
}

/* After the blank line that ends the headers: how the body is framed. */
static void
begin_body (TroupeHttpParser *parser)
{
  if (parser->status >= 100 && parser->status < 200)
    {
      /* An interim answer ("100 Continue"); the real one follows. */
      gboolean keep_alive = parser->keep_alive;

      troupe_http_parser_reset (parser);
      parser->keep_alive = keep_alive;
      return;
    }
  if (parser->head_request || parser->status == 204 || parser->status == 304)
    parser->phase = PHASE_DONE;
  else if (parser->chunked)
    parser->phase = PHASE_CHUNK_SIZE;
  else if (parser->remaining != G_MAXUINT64)
    parser->phase = parser->remaining == 0 ? PHASE_DONE : PHASE_BODY;
  else
    {
      parser->phase = PHASE_BODY_UNTIL_CLOSE;
      parser->keep_alive = FALSE;
    }
}

static gboolean
parse_header (TroupeHttpParser *parser,
              const char       *line,
              gsize             length)
{
  const char *value;
  gsize value_length;

  if (header_is (line, length, "Content-Length", &value, &value_length))
    {
      guint64 body = 0;

      if (value_length == 0 || value_length > 19)
        return FALSE;
      for (gsize i = 0; i < value_length; i++)
        {
          if (!g_ascii_isdigit (value[i]))
            return FALSE;
          body = body * 10 + (value[i] - '0');
        }
      parser->remaining = body;
    }
  else if (header_is (line, length, "Transfer-Encoding", &value, &value_length))
    parser->chunked = value_has_token (value, value_length, "chunked");
  else if (header_is (line, length, "Connection", &value, &value_length))
    {
      if (value_has_token (value, value_length, "close"))
        parser->keep_alive = FALSE;
      else if (value_has_token (value, value_length, "keep-alive"))
        parser->keep_alive = TRUE;
    }
  return TRUE;
}

static gboolean
parse_chunk_size (TroupeHttpParser *parser,
                  const char       *line,
                  gsize             length)
{
  guint64 size = 0;
  gsize i = 0;

  for (; i < length && g_ascii_isxdigit (line[i]); i++)
    {
      if (size >> 60 != 0)
        return FALSE;
      size = size * 16 + g_ascii_xdigit_value (line[i]);
    }
  if (i == 0 || (i < length && line[i] != ';' && line[i] != ' ' && line[i] != '\t'))
    return FALSE;
  parser->remaining = size;
  parser->phase = size == 0 ? PHASE_TRAILERS : PHASE_CHUNK_DATA;
  return TRUE;
}

/* One line, without its CRLF, in a phase that reads lines. */
static gboolean
parse_line (TroupeHttpParser *parser,
            const char       *line,
            gsize             length)
{
  if (length > 0 && line[length - 1] == '\r')
    length--;

  switch (parser->phase)
    {
    case PHASE_STATUS:
      if (length == 0)
        return TRUE;  /* a stray CRLF between responses is tolerated */
      if (!parse_status_line (parser, line, length))
        return FALSE;
      parser->phase = PHASE_HEADERS;
      return TRUE;
    case PHASE_HEADERS:
      if (length == 0)
        {
          begin_body (parser);
          return TRUE;
        }
      return parse_header (parser, line, length);
    case PHASE_CHUNK_SIZE:
      return parse_chunk_size (parser, line, length);
    case PHASE_CHUNK_END:
      if (length != 0)
        return FALSE;
      parser->phase = PHASE_CHUNK_SIZE;
      return TRUE;
    case PHASE_TRAILERS:
      if (length == 0)
        parser->phase = PHASE_DONE;
      return TRUE;
    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

/**
 * troupe_http_parser_feed:
 * @data: bytes read from the connection
 * @consumed: (out): how many of them belong to this response; the rest (a
 *   server that answers ahead) start the next one
 *
 * Returns: whether the response is complete, needs more bytes, or is not HTTP
 */
TroupeHttpParseResult
troupe_http_parser_feed (TroupeHttpParser *parser,
                         const guint8     *data,
                         gsize             length,
                         gsize            *consumed)
{
  gsize at = 0;

  while (at < length && parser->phase != PHASE_DONE && parser->phase != PHASE_ERROR)
    {
      switch (parser->phase)
        {
        case PHASE_BODY:
        case PHASE_CHUNK_DATA:
          {
            guint64 take = MIN ((guint64) (length - at), parser->remaining);

            at += take;
            parser->remaining -= take;
            parser->body_length += take;
            if (parser->remaining == 0)
              parser->phase = parser->phase == PHASE_BODY ? PHASE_DONE : PHASE_CHUNK_END;
          }
          break;
        case PHASE_BODY_UNTIL_CLOSE:
          parser->body_length += length - at;
          at = length;
          break;
        default:
          {
            const guint8 *newline = memchr (data + at, '\n', length - at);
            gboolean ok;

            if (newline == NULL)
              {
                g_byte_array_append (parser->line, data + at, length - at);
                at = length;
                if (parser->line->len > MAX_LINE_BYTES)
                  parser->phase = PHASE_ERROR;
                break;
              }
            if (parser->line->len > 0)
              {
                g_byte_array_append (parser->line, data + at, newline - (data + at));
                ok = parser->line->len <= MAX_LINE_BYTES &&
                     parse_line (parser, (const char *) parser->line->data, parser->line->len);
                g_byte_array_set_size (parser->line, 0);
              }
            else
              ok = parse_line (parser, (const char *) data + at, newline - (data + at));
            at = newline + 1 - data;
            if (!ok)
              parser->phase = PHASE_ERROR;
          }
          break;
        }
    }

  if (consumed != NULL)
    *consumed = at;
  if (parser->phase == PHASE_DONE)
    return TROUPE_HTTP_PARSE_DONE;
  if (parser->phase == PHASE_ERROR)
    return TROUPE_HTTP_PARSE_ERROR;
  return TROUPE_HTTP_PARSE_MORE;
}

/**
 * troupe_http_parser_finish:
 *
 * The server closed the connection.
 *
 * Returns: DONE if that ends a body that runs to the close, else ERROR
 */
TroupeHttpParseResult
troupe_http_parser_finish (TroupeHttpParser *parser)
{
  if (parser->phase == PHASE_BODY_UNTIL_CLOSE || parser->phase == PHASE_DONE)
    {
      parser->phase = PHASE_DONE;
      return TROUPE_HTTP_PARSE_DONE;
    }
  parser->phase = PHASE_ERROR;
  return TROUPE_HTTP_PARSE_ERROR;
}
