/* troupe-http-client.c: a minimal HTTP/1.1 client, for the load and probe workers
 *
 * Just enough HTTP to load a server and to ask it whether it is up: a request
 * line with Host and Connection, and a response read to its end by
 * troupe-http-parser.c, so that a kept-alive connection can carry the next
 * request. The blocking client here serves the probe, on a worker thread; the
 * load worker drives its own non-blocking connections with the same parser.
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

G_DEFINE_QUARK (troupe-http-error-quark, troupe_http_error)


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

/**
 * troupe_http_failure_from_errno:
 * @connecting: whether the error came while connecting
 *
 * Returns: the failure an errno value means
 */
TroupeHttpFailure
troupe_http_failure_from_errno (int      errno_value,
                                gboolean connecting)
{
  if (errno_value == ECONNREFUSED)
    return TROUPE_HTTP_FAILURE_REFUSED;
  if (errno_value == ETIMEDOUT)
    return TROUPE_HTTP_FAILURE_TIMEOUT;
  return connecting ? TROUPE_HTTP_FAILURE_CONNECT : TROUPE_HTTP_FAILURE_RESET;
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
