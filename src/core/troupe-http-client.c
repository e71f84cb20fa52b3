/* troupe-http-client.c: a minimal HTTP/1.1 client, for the load and probe workers
 *
 * Just enough HTTP to load a server and to ask it whether it is up: a request
 * line with Host and Connection, and a response read to its end (status line,
 * headers, then a body by Content-Length, chunked, or up to the close), so that
 * a kept-alive connection can carry the next request. The parser takes bytes
 * however they are cut and copies only a line that straddles two reads, so the
 * load worker can drive hundreds of non-blocking connections with it; the
 * blocking client on top serves the probe, on a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "troupe-http-client.h"

/* A status line or header longer than this is not a server we understand. */
#define MAX_LINE_BYTES (64 * 1024)

G_DEFINE_QUARK (troupe-http-error-quark, troupe_http_error)

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

/**
 * troupe_http_failure_to_string:
 *
 * Returns: the failure's key in the load worker's "errors" object
 */
const char *
troupe_http_failure_to_string (TroupeHttpFailure failure)
{
  switch (failure)
    {
    case TROUPE_HTTP_FAILURE_NONE:
      return "none";
    case TROUPE_HTTP_FAILURE_REFUSED:
      return "refused";
    case TROUPE_HTTP_FAILURE_TIMEOUT:
      return "timeout";
    case TROUPE_HTTP_FAILURE_RESET:
      return "reset";
    case TROUPE_HTTP_FAILURE_BAD_RESPONSE:
      return "bad-response";
    case TROUPE_HTTP_FAILURE_CONNECT:
    case TROUPE_HTTP_N_FAILURES:
    default:
      return "connect";
    }
}

TroupeHttpFailure
troupe_http_failure_from_errno (int      errno_value,
                                gboolean connecting)
{
  switch (errno_value)
    {
    case ECONNREFUSED:
      return TROUPE_HTTP_FAILURE_REFUSED;
    case ETIMEDOUT:
      return TROUPE_HTTP_FAILURE_TIMEOUT;
    case ECONNRESET:
    case EPIPE:
    case ECONNABORTED:
      return connecting ? TROUPE_HTTP_FAILURE_CONNECT : TROUPE_HTTP_FAILURE_RESET;
    default:
      return connecting ? TROUPE_HTTP_FAILURE_CONNECT : TROUPE_HTTP_FAILURE_RESET;
    }
}

/* --- URLs --------------------------------------------------------------- */

void
troupe_http_url_free (TroupeHttpUrl *url)
{
  if (url == NULL)
    return;
  g_free (url->host);
  g_free (url->path);
  g_free (url->host_header);
  g_free (url);
}

/**
 * troupe_http_url_parse:
 * @text: "http://HOST[:PORT][/PATH]"; HOST may be "[IPV6]"
 *
 * Returns: (transfer full) (nullable): the URL's parts, or %NULL with a
 *   G_IO_ERROR saying why
 */
TroupeHttpUrl *
troupe_http_url_parse (const char  *text,
                       GError     **error)
{
  g_autoptr(TroupeHttpUrl) url = g_new0 (TroupeHttpUrl, 1);
  const char *rest;
  const char *path;
  const char *port_colon = NULL;
  const char *host_start;
  const char *host_end;

  g_return_val_if_fail (text != NULL, NULL);

  if (g_ascii_strncasecmp (text, "http://", 7) != 0)
    {
      if (g_ascii_strncasecmp (text, "https://", 8) == 0)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                     _("“%s”: only plain http:// addresses can be used, not https://"), text);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     _("“%s” is not an address like http://127.0.0.1:8000/"), text);
      return NULL;
    }

  rest = text + 7;
  path = rest + strcspn (rest, "/?#");
  host_start = rest;
  host_end = path;
  if (*rest == '[')
    {
      const char *bracket = memchr (rest, ']', path - rest);

      if (bracket == NULL)
        goto bad;
      host_start = rest + 1;
      host_end = bracket;
      if (bracket + 1 < path)
        {
          if (bracket[1] != ':')
            goto bad;
          port_colon = bracket + 1;
        }
    }
  else
    {
      port_colon = memchr (rest, ':', path - rest);
      if (port_colon != NULL)
        host_end = port_colon;
    }
  if (host_end == host_start)
    goto bad;

  url->host = g_strndup (host_start, host_end - host_start);
  url->port = 80;
  if (port_colon != NULL)
    {
      g_autofree char *port_text = g_strndup (port_colon + 1, path - port_colon - 1);
      guint64 port;

      if (!g_ascii_string_to_unsigned (port_text, 10, 1, 65535, &port, NULL))
        goto bad;
      url->port = port;
    }

  if (*path == '\0' || *path == '#')
    url->path = g_strdup ("/");
  else
    {
      const char *fragment = strchr (path, '#');
      g_autofree char *raw = fragment != NULL ? g_strndup (path, fragment - path) : g_strdup (path);

      url->path = *raw == '?' ? g_strconcat ("/", raw, NULL) : g_steal_pointer (&raw);
    }
  if (strchr (url->host, ':') != NULL)
    url->host_header = g_strdup_printf ("[%s]:%u", url->host, url->port);
  else
    url->host_header = g_strdup_printf ("%s:%u", url->host, url->port);
  return g_steal_pointer (&url);

bad:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("“%s” is not an address like http://127.0.0.1:8000/"), text);
  return NULL;
}

/**
 * troupe_http_format_request:
 * @method: "GET", "HEAD", …
 * @keep_alive: whether to ask the server to keep the connection open
 * @length: (out) (optional): the request's length
 *
 * Returns: (transfer full): the request, with no body
 */
char *
troupe_http_format_request (const char          *method,
                            const TroupeHttpUrl *url,
                            gboolean             keep_alive,
                            gsize               *length)
{
  char *request = g_strdup_printf ("%s %s HTTP/1.1\r\n"
                                   "Host: %s\r\n"
                                   "User-Agent: Troupe/" PACKAGE_VERSION "\r\n"
                                   "Accept: */*\r\n"
                                   "Connection: %s\r\n"
                                   "\r\n",
                                   method, url->path, url->host_header,
                                   keep_alive ? "keep-alive" : "close");

  if (length != NULL)
    *length = strlen (request);
  return request;
}

/* --- the response parser ------------------------------------------------ */

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

/* --- the blocking client ------------------------------------------------ */

struct _TroupeHttpClient
{
  TroupeHttpUrl    *url;
  guint             timeout_ms;
  gboolean          keep_alive;
  GSocket          *socket;
  TroupeHttpParser  parser;
};

/**
 * troupe_http_client_new:
 * @timeout_ms: the longest wait to connect, and for each read or write
 * @keep_alive: keep the connection for the next request if the server allows
 *
 * Connects on the first request.
 */
TroupeHttpClient *
troupe_http_client_new (const TroupeHttpUrl *url,
                        guint                timeout_ms,
                        gboolean             keep_alive)
{
  TroupeHttpClient *self = g_new0 (TroupeHttpClient, 1);

  self->url = g_new0 (TroupeHttpUrl, 1);
  self->url->host = g_strdup (url->host);
  self->url->port = url->port;
  self->url->path = g_strdup (url->path);
  self->url->host_header = g_strdup (url->host_header);
  self->timeout_ms = MAX (timeout_ms, 1);
  self->keep_alive = keep_alive;
  troupe_http_parser_init (&self->parser, FALSE);
  return self;
}

void
troupe_http_client_free (TroupeHttpClient *self)
{
  if (self == NULL)
    return;
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);
  troupe_http_parser_clear (&self->parser);
  troupe_http_url_free (self->url);
  g_free (self);
}

/* Turns GIO's reasons into the failures the workers count. */
static void
set_failure (GError            **error,
             GError             *cause,
             TroupeHttpFailure   failure)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, cause);
      return;
    }
  g_set_error_literal (error, TROUPE_HTTP_ERROR, failure, cause->message);
  g_error_free (cause);
}

static gboolean
wait_for (GSocket       *socket,
          GIOCondition   condition,
          gint64         deadline,
          guint          timeout_ms,
          GCancellable  *cancellable,
          GError       **error)
{
  gint64 left = deadline - g_get_monotonic_time ();
  GError *local_error = NULL;

  if (left > 0 &&
      g_socket_condition_timed_wait (socket, condition, left, cancellable, &local_error))
    return TRUE;
  if (local_error == NULL || g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_clear_error (&local_error);
      g_set_error (error, TROUPE_HTTP_ERROR, TROUPE_HTTP_FAILURE_TIMEOUT,
                   _("No answer within %u ms"), timeout_ms);
    }
  else
    g_propagate_error (error, local_error);
  return FALSE;
}

static GSocket *
connect_to (GInetAddress  *address,
            guint16        port,
            gint64         deadline,
            guint          timeout_ms,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new (address, port);
  g_autoptr(GSocket) socket = NULL;
  GError *local_error = NULL;

  socket = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;
  g_socket_set_blocking (socket, FALSE);
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  if (!g_socket_connect (socket, socket_address, cancellable, &local_error))
    {
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PENDING))
        {
          set_failure (error, local_error,
                       g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED)
                         ? TROUPE_HTTP_FAILURE_REFUSED : TROUPE_HTTP_FAILURE_CONNECT);
          return NULL;
        }
      g_clear_error (&local_error);
      if (!wait_for (socket, G_IO_OUT, deadline, timeout_ms, cancellable, error))
        return NULL;
      if (!g_socket_check_connect_result (socket, &local_error))
        {
          set_failure (error, local_error,
                       g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED)
                         ? TROUPE_HTTP_FAILURE_REFUSED : TROUPE_HTTP_FAILURE_CONNECT);
          return NULL;
        }
    }
  return g_steal_pointer (&socket);
}

/**
 * troupe_http_connect:
 * @host: an IP address or a name to look up
 * @timeout_ms: the longest wait for the connection
 *
 * Connects over TCP, trying each of @host's addresses in turn.
 *
 * Returns: (transfer full) (nullable): a non-blocking connected socket, or
 *   %NULL with a TROUPE_HTTP_ERROR whose code is the failure, or
 *   G_IO_ERROR_CANCELLED
 */
GSocket *
troupe_http_connect (const char    *host,
                     guint16        port,
                     guint          timeout_ms,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GInetAddress) literal = NULL;
  g_autolist(GInetAddress) addresses = NULL;
  gint64 deadline = g_get_monotonic_time () + MAX (timeout_ms, 1) * G_TIME_SPAN_MILLISECOND;
  GError *last_error = NULL;

  g_return_val_if_fail (host != NULL, NULL);

  literal = g_inet_address_new_from_string (host);
  if (literal != NULL)
    addresses = g_list_prepend (NULL, g_steal_pointer (&literal));
  else
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();
      GError *resolve_error = NULL;

      addresses = g_resolver_lookup_by_name (resolver, host, cancellable, &resolve_error);
      if (addresses == NULL)
        {
          set_failure (error, resolve_error, TROUPE_HTTP_FAILURE_CONNECT);
          return NULL;
        }
    }

  for (GList *l = addresses; l != NULL; l = l->next)
    {
      GSocket *socket;

      g_clear_error (&last_error);
      socket = connect_to (l->data, port, deadline, timeout_ms, cancellable, &last_error);
      if (socket != NULL)
        return socket;
      if (g_error_matches (last_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        break;
    }
  g_propagate_error (error, last_error);
  return NULL;
}

static gboolean
ensure_connected (TroupeHttpClient  *self,
                  GCancellable      *cancellable,
                  GError           **error)
{
  if (self->socket == NULL)
    self->socket = troupe_http_connect (self->url->host, self->url->port, self->timeout_ms,
                                        cancellable, error);
  return self->socket != NULL;
}

static void
disconnect (TroupeHttpClient *self)
{
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);
}

static gboolean
send_all (TroupeHttpClient  *self,
          const char        *request,
          gsize              length,
          gint64             deadline,
          GCancellable      *cancellable,
          GError           **error)
{
  gsize sent = 0;

  while (sent < length)
    {
      GError *local_error = NULL;
      gssize n = g_socket_send (self->socket, request + sent, length - sent, cancellable,
                                &local_error);

      if (n < 0 && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_clear_error (&local_error);
          if (!wait_for (self->socket, G_IO_OUT, deadline, self->timeout_ms, cancellable, error))
            return FALSE;
          continue;
        }
      if (n < 0)
        {
          set_failure (error, local_error, TROUPE_HTTP_FAILURE_RESET);
          return FALSE;
        }
      sent += n;
    }
  return TRUE;
}

/* Reads one response to its end; a kept-alive connection that the server had
 * already closed reports that through @idle_close, so the request can be
 * tried again on a new connection. */
static gboolean
receive_response (TroupeHttpClient  *self,
                  gint64             deadline,
                  gboolean          *idle_close,
                  GCancellable      *cancellable,
                  GError           **error)
{
  guint8 buffer[16 * 1024];

  *idle_close = FALSE;
  troupe_http_parser_reset (&self->parser);
  for (;;)
    {
      GError *local_error = NULL;
      TroupeHttpParseResult result;
      gssize n;

      if (!wait_for (self->socket, G_IO_IN, deadline, self->timeout_ms, cancellable, error))
        return FALSE;
      n = g_socket_receive (self->socket, (char *) buffer, sizeof buffer, cancellable,
                            &local_error);
      if (n < 0 && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_clear_error (&local_error);
          continue;
        }
      if (n < 0)
        {
          *idle_close = !troupe_http_parser_has_started (&self->parser);
          set_failure (error, local_error, TROUPE_HTTP_FAILURE_RESET);
          return FALSE;
        }
      if (n == 0)
        {
          if (troupe_http_parser_finish (&self->parser) == TROUPE_HTTP_PARSE_DONE)
            return TRUE;
          *idle_close = !troupe_http_parser_has_started (&self->parser);
          g_set_error (error, TROUPE_HTTP_ERROR, TROUPE_HTTP_FAILURE_RESET,
                       _("The server closed the connection before answering"));
          return FALSE;
        }
      result = troupe_http_parser_feed (&self->parser, buffer, n, NULL);
      if (result == TROUPE_HTTP_PARSE_DONE)
        return TRUE;
      if (result == TROUPE_HTTP_PARSE_ERROR)
        {
          g_set_error (error, TROUPE_HTTP_ERROR, TROUPE_HTTP_FAILURE_BAD_RESPONSE,
                       _("The server’s answer is not HTTP/1.1"));
          return FALSE;
        }
    }
}

/**
 * troupe_http_client_request:
 * @method: "GET", "HEAD", …
 * @status: (out) (optional): the response's status code
 *
 * Sends one request and reads its whole response, within the client's timeout
 * for each of connecting, sending and receiving.
 *
 * Returns: %TRUE if a response came; else @error is a TROUPE_HTTP_ERROR whose
 *   code is the TroupeHttpFailure, or G_IO_ERROR_CANCELLED
 */
gboolean
troupe_http_client_request (TroupeHttpClient  *self,
                            const char        *method,
                            int               *status,
                            GCancellable      *cancellable,
                            GError           **error)
{
  g_autofree char *request = NULL;
  gsize length;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (method != NULL, FALSE);

  request = troupe_http_format_request (method, self->url, self->keep_alive, &length);
  self->parser.head_request = g_ascii_strcasecmp (method, "HEAD") == 0;

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      gboolean reused = self->socket != NULL;
      gint64 deadline;
      GError *local_error = NULL;
      gboolean idle_close = FALSE;

      if (!ensure_connected (self, cancellable, error))
        return FALSE;
      deadline = g_get_monotonic_time () + self->timeout_ms * G_TIME_SPAN_MILLISECOND;
      if (send_all (self, request, length, deadline, cancellable, &local_error) &&
          receive_response (self, deadline, &idle_close, cancellable, &local_error))
        {
          if (status != NULL)
            *status = self->parser.status;
          if (!self->keep_alive || !self->parser.keep_alive)
            disconnect (self);
          return TRUE;
        }
      disconnect (self);
      /* A server may close a kept-alive connection whenever it likes; only a
       * fresh connection that fails counts. */
      if (reused && (idle_close || g_error_matches (local_error, TROUPE_HTTP_ERROR,
                                                    TROUPE_HTTP_FAILURE_RESET)))
        {
          g_clear_error (&local_error);
          continue;
        }
      g_propagate_error (error, local_error);
      return FALSE;
    }
  g_assert_not_reached ();
  return FALSE;
}
