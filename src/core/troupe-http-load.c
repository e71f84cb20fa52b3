/* troupe-http-load.c: many HTTP connections driven from one thread, with live statistics
 *
 * The load worker's engine: N non-blocking connections, each with one request
 * in flight at a time, driven by poll() on the worker's own thread, the way
 * wrk drives its connections with epoll. With keep-alive a connection sends its
 * next request as soon as the response is in, without another trip through
 * poll(); without it each request gets a new connection that asks the server
 * to close, and the server's close is waited for, so the server (not the
 * load) holds the TIME_WAIT and a long run does not use up local ports.
 *
 * Every request is timed from its start (the connect, for a new connection)
 * to the last byte of its response, into a histogram for the interval and one
 * for the whole run. At each interval a "stats" message is posted; at the end
 * a "done" message. When the run ends by duration, requests already sent are
 * still read to their end, so the count of responses matches what the server
 * answered. Cancelling stops at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "troupe-http-load.h"
#include "troupe-latency-histogram.h"

/* A connection that could not be made waits this long before trying again,
 * so a closed port is counted, not spun on. */
#define RETRY_DELAY_USEC (10 * 1000)
/* Responses still coming when the duration is up get this long to finish. */
#define DRAIN_USEC       (2 * G_USEC_PER_SEC)

typedef enum
{
  CONNECTION_IDLE,
  CONNECTION_CONNECTING,
  CONNECTION_SENDING,
  CONNECTION_RECEIVING,
  CONNECTION_CLOSING,    /* response in, waiting for the server's close */
} ConnectionState;

typedef struct
{
  int              fd;
  ConnectionState  state;
  gsize            sent;
  gint64           started;
  gint64           retry_at;
  guint            responses;  /* on this connection */
  TroupeHttpParser parser;
} Connection;

typedef struct
{
  const TroupeHttpLoadSpec *spec;
  TroupeHttpLoadPostFunc    post;
  gpointer                  user_data;

  struct sockaddr_storage   address;
  socklen_t                 address_length;
  char                     *request;
  gsize                     request_length;
  gboolean                  head_request;

  Connection               *connections;
  gint64                    start;
  gint64                    last_stats;
  guint64                   attempts;
  guint64                   responses;
  guint64                   responses_at_last_stats;
  guint64                   errors[TROUPE_HTTP_N_FAILURES];
  GHashTable               *statuses;  /* status code → count */
  TroupeLatencyHistogram   *interval;
  TroupeLatencyHistogram   *total;
  gboolean                  stopping;
} Load;

/* --- the spec ----------------------------------------------------------- */

void
troupe_http_load_spec_free (TroupeHttpLoadSpec *spec)
{
  if (spec == NULL)
    return;
  troupe_http_url_free (spec->url);
  g_free (spec->method);
  g_free (spec);
}

static gboolean
get_value (JsonObject  *object,
           const char  *name,
           GType        type,
           JsonNode   **node,
           GError     **error)
{
  *node = json_object_get_member (object, name);
  if (*node == NULL || JSON_NODE_HOLDS_NULL (*node))
    {
      *node = NULL;
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (*node))
    {
      GType held = json_node_get_value_type (*node);

      if (held == type || (type == G_TYPE_DOUBLE && held == G_TYPE_INT64))
        return TRUE;
    }
  if (type == G_TYPE_STRING)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("“%s” must be text"), name);
  else if (type == G_TYPE_BOOLEAN)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 _("“%s” must be true or false"), name);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 _("“%s” must be a number"), name);
  return FALSE;
}

/**
 * troupe_http_load_spec_new_from_json:
 * @data: {"url", "connections", "duration" (s) and/or "requests",
 *   "method", "keep_alive", "timeout" (ms)}
 *
 * Returns: (transfer full) (nullable): the load, or %NULL with an error
 *   saying what is wrong with @data
 */
TroupeHttpLoadSpec *
troupe_http_load_spec_new_from_json (JsonNode  *data,
                                     GError   **error)
{
  g_autoptr(TroupeHttpLoadSpec) spec = g_new0 (TroupeHttpLoadSpec, 1);
  JsonObject *object;
  JsonNode *url, *connections, *duration, *requests, *method, *keep_alive, *timeout;

  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The load needs an object such as {\"url\": \"http://127.0.0.1:8000/\", "
                     "\"connections\": 32, \"duration\": 10}"));
      return NULL;
    }
  object = json_node_get_object (data);
  if (!get_value (object, "url", G_TYPE_STRING, &url, error) ||
      !get_value (object, "connections", G_TYPE_DOUBLE, &connections, error) ||
      !get_value (object, "duration", G_TYPE_DOUBLE, &duration, error) ||
      !get_value (object, "requests", G_TYPE_DOUBLE, &requests, error) ||
      !get_value (object, "method", G_TYPE_STRING, &method, error) ||
      !get_value (object, "keep_alive", G_TYPE_BOOLEAN, &keep_alive, error) ||
      !get_value (object, "timeout", G_TYPE_DOUBLE, &timeout, error))
    return NULL;

  if (url == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The load needs a “url”, such as http://127.0.0.1:8000/"));
      return NULL;
    }
  spec->url = troupe_http_url_parse (json_node_get_string (url), error);
  if (spec->url == NULL)
    return NULL;

  spec->connections = 10;
  if (connections != NULL)
    {
      double value = json_node_get_double (connections);

      if (value < 1 || value > TROUPE_HTTP_LOAD_MAX_CONNECTIONS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“connections” must be between 1 and %d"),
                       TROUPE_HTTP_LOAD_MAX_CONNECTIONS);
          return NULL;
        }
      spec->connections = (guint) value;
    }

  if (duration != NULL)
    {
      spec->duration = json_node_get_double (duration);
      if (!(spec->duration > 0) || spec->duration > 7 * 24 * 3600)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“duration” must be a number of seconds, more than 0"));
          return NULL;
        }
    }
  if (requests != NULL)
    {
      double value = json_node_get_double (requests);

      if (value < 1)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“requests” must be a number, at least 1"));
          return NULL;
        }
      spec->requests = (guint64) value;
    }
  if (duration == NULL && requests == NULL)
    spec->duration = 10;

  spec->method = g_strdup (method != NULL ? json_node_get_string (method) : "GET");
  if (spec->method[0] == '\0' || strpbrk (spec->method, " \t\r\n") != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an HTTP method"), spec->method);
      return NULL;
    }
  spec->keep_alive = keep_alive != NULL ? json_node_get_boolean (keep_alive) : TRUE;
  spec->timeout_ms = 5000;
  if (timeout != NULL)
    {
      double value = json_node_get_double (timeout);

      if (value < 1 || value > G_MAXINT)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” must be a number of milliseconds, at least 1"), "timeout");
          return NULL;
        }
      spec->timeout_ms = (guint) value;
    }
  spec->stats_interval_ms = TROUPE_HTTP_LOAD_STATS_INTERVAL_MS;
  return g_steal_pointer (&spec);
}

/* --- messages ----------------------------------------------------------- */

static void
add_latency (JsonBuilder                  *builder,
             const TroupeLatencyHistogram *histogram,
             gboolean                      whole_run)
{
  json_builder_set_member_name (builder, "latency");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "p50");
  json_builder_add_double_value (builder, troupe_latency_histogram_percentile (histogram, 50) / 1000.0);
  json_builder_set_member_name (builder, "p90");
  json_builder_add_double_value (builder, troupe_latency_histogram_percentile (histogram, 90) / 1000.0);
  json_builder_set_member_name (builder, "p99");
  json_builder_add_double_value (builder, troupe_latency_histogram_percentile (histogram, 99) / 1000.0);
  if (whole_run)
    {
      json_builder_set_member_name (builder, "mean");
      json_builder_add_double_value (builder, troupe_latency_histogram_get_mean (histogram) / 1000.0);
      json_builder_set_member_name (builder, "max");
      json_builder_add_double_value (builder, troupe_latency_histogram_get_max (histogram) / 1000.0);
    }
  json_builder_end_object (builder);
}

static guint
count_open (Load *load)
{
  guint open = 0;

  for (guint i = 0; i < load->spec->connections; i++)
    if (load->connections[i].fd >= 0)
      open++;
  return open;
}

static void
post_stats (Load     *load,
            gint64    now,
            gboolean  done,
            gboolean  cancelled)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) message = NULL;
  double elapsed = (now - load->start) / (double) G_USEC_PER_SEC;
  double span = (now - (done ? load->start : load->last_stats)) / (double) G_USEC_PER_SEC;
  guint64 counted = load->responses - (done ? 0 : load->responses_at_last_stats);
  GHashTableIter iter;
  gpointer key, value;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, done ? "done" : "stats");
  json_builder_set_member_name (builder, "elapsed");
  json_builder_add_double_value (builder, elapsed);
  json_builder_set_member_name (builder, "requests");
  json_builder_add_int_value (builder, load->responses);
  json_builder_set_member_name (builder, "rps");
  json_builder_add_double_value (builder, span > 0 ? counted / span : 0);
  add_latency (builder, done ? load->total : load->interval, done);

  json_builder_set_member_name (builder, "errors");
  json_builder_begin_object (builder);
  for (guint failure = TROUPE_HTTP_FAILURE_NONE + 1; failure < TROUPE_HTTP_N_FAILURES; failure++)
    if (load->errors[failure] > 0)
      {
        json_builder_set_member_name (builder, troupe_http_failure_to_string (failure));
        json_builder_add_int_value (builder, load->errors[failure]);
      }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "status");
  json_builder_begin_object (builder);
  g_hash_table_iter_init (&iter, load->statuses);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      char code[16];

      g_snprintf (code, sizeof code, "%d", GPOINTER_TO_INT (key));
      json_builder_set_member_name (builder, code);
      json_builder_add_int_value (builder, *(guint64 *) value);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "connections");
  json_builder_add_int_value (builder, count_open (load));
  if (done)
    {
      json_builder_set_member_name (builder, "cancelled");
      json_builder_add_boolean_value (builder, cancelled);
    }
  json_builder_end_object (builder);

  message = json_builder_get_root (builder);
  load->post (message, load->user_data);

  load->last_stats = now;
  load->responses_at_last_stats = load->responses;
  troupe_latency_histogram_clear (load->interval);
}

/* --- connections -------------------------------------------------------- */

static void
close_connection (Connection *connection)
{
  if (connection->fd >= 0)
    close (connection->fd);
  connection->fd = -1;
  connection->state = CONNECTION_IDLE;
  connection->responses = 0;
}

static void
fail (Load              *load,
      Connection        *connection,
      TroupeHttpFailure  failure,
      gint64             now)
{
  load->errors[failure]++;
  close_connection (connection);
  if (failure == TROUPE_HTTP_FAILURE_REFUSED || failure == TROUPE_HTTP_FAILURE_CONNECT)
    connection->retry_at = now + RETRY_DELAY_USEC;
}

static gboolean
may_start (Load   *load,
           gint64  now)
{
  if (load->stopping)
    return FALSE;
  if (load->spec->requests > 0 && load->attempts >= load->spec->requests)
    return FALSE;
  return TRUE;
}

static void send_some (Load *load, Connection *connection, gint64 now);

static void
begin_request (Load       *load,
               Connection *connection,
               gint64      now)
{
  load->attempts++;
  connection->started = now;
  connection->sent = 0;
  troupe_http_parser_reset (&connection->parser);
  connection->parser.head_request = load->head_request;

  if (connection->fd < 0)
    {
      int fd = socket (load->address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      int one = 1;

      if (fd < 0)
        {
          fail (load, connection, TROUPE_HTTP_FAILURE_CONNECT, now);
          return;
        }
      setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      connection->fd = fd;
      if (connect (fd, (struct sockaddr *) &load->address, load->address_length) < 0)
        {
          if (errno == EINPROGRESS)
            {
              connection->state = CONNECTION_CONNECTING;
              return;
            }
          fail (load, connection, troupe_http_failure_from_errno (errno, TRUE), now);
          return;
        }
    }
  connection->state = CONNECTION_SENDING;
  send_some (load, connection, now);
}

static void
send_some (Load       *load,
           Connection *connection,
           gint64      now)
{
  while (connection->sent < load->request_length)
    {
      gssize n = send (connection->fd, load->request + connection->sent,
                       load->request_length - connection->sent, MSG_NOSIGNAL);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno == EAGAIN || errno == EWOULDBLOCK)
            return;
          if (connection->responses > 0)
            {
              /* The server had closed this kept-alive connection: try anew. */
              load->attempts--;
              close_connection (connection);
              return;
            }
          fail (load, connection, troupe_http_failure_from_errno (errno, FALSE), now);
          return;
        }
      connection->sent += n;
    }
  connection->state = CONNECTION_RECEIVING;
}

static void
count_response (Load       *load,
                Connection *connection,
                gint64      now)
{
  gpointer key = GINT_TO_POINTER (connection->parser.status);
  guint64 *count = g_hash_table_lookup (load->statuses, key);

  if (count == NULL)
    {
      count = g_new0 (guint64, 1);
      g_hash_table_insert (load->statuses, key, count);
    }
  (*count)++;
  load->responses++;
  connection->responses++;
  troupe_latency_histogram_add (load->interval, now - connection->started);
  troupe_latency_histogram_add (load->total, now - connection->started);
}

static void
receive (Load       *load,
         Connection *connection,
         guint8     *buffer,
         gsize       size,
         gint64      now)
{
  for (;;)
    {
      gssize n = recv (connection->fd, buffer, size, 0);
      TroupeHttpParseResult result;

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno == EAGAIN || errno == EWOULDBLOCK)
            return;
          if (connection->state == CONNECTION_CLOSING)
            {
              close_connection (connection);
              return;
            }
          if (connection->responses > 0 && !troupe_http_parser_has_started (&connection->parser))
            {
              load->attempts--;
              close_connection (connection);
              return;
            }
          fail (load, connection, troupe_http_failure_from_errno (errno, FALSE), now);
          return;
        }

      if (connection->state == CONNECTION_CLOSING)
        {
          /* The server's close (or bytes past the response, which end it too). */
          close_connection (connection);
          return;
        }

      if (n == 0)
        {
          if (troupe_http_parser_finish (&connection->parser) == TROUPE_HTTP_PARSE_DONE)
            {
              count_response (load, connection, now);
              close_connection (connection);
            }
          else if (connection->responses > 0 &&
                   !troupe_http_parser_has_started (&connection->parser))
            {
              load->attempts--;
              close_connection (connection);
            }
          else
            fail (load, connection, TROUPE_HTTP_FAILURE_RESET, now);
          return;
        }

      result = troupe_http_parser_feed (&connection->parser, buffer, n, NULL);
      if (result == TROUPE_HTTP_PARSE_ERROR)
        {
          fail (load, connection, TROUPE_HTTP_FAILURE_BAD_RESPONSE, now);
          return;
        }
      if (result == TROUPE_HTTP_PARSE_DONE)
        {
          count_response (load, connection, now);
          if (load->spec->keep_alive && connection->parser.keep_alive)
            {
              connection->state = CONNECTION_IDLE;
              if (may_start (load, now))
                begin_request (load, connection, now);
            }
          else
            {
              connection->state = CONNECTION_IDLE;
              close_connection (connection);
              if (may_start (load, now))
                begin_request (load, connection, now);
            }
          return;
        }
      if ((gsize) n < size)
        return;
    }
}

static gboolean
in_flight (Connection *connection)
{
  return connection->state == CONNECTION_CONNECTING ||
         connection->state == CONNECTION_SENDING ||
         connection->state == CONNECTION_RECEIVING;
}

/* --- the run ------------------------------------------------------------ */

static gboolean
resolve (Load          *load,
         GCancellable  *cancellable,
         GError       **error)
{
  g_autoptr(GInetAddress) literal = g_inet_address_new_from_string (load->spec->url->host);
  g_autolist(GInetAddress) addresses = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;

  if (literal != NULL)
    addresses = g_list_prepend (NULL, g_steal_pointer (&literal));
  else
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();

      addresses = g_resolver_lookup_by_name (resolver, load->spec->url->host, cancellable, error);
      if (addresses == NULL)
        return FALSE;
    }
  socket_address = g_inet_socket_address_new (addresses->data, load->spec->url->port);
  load->address_length = g_socket_address_get_native_size (socket_address);
  return g_socket_address_to_native (socket_address, &load->address, sizeof load->address,
                                     error);
}

/**
 * troupe_http_load_run:
 * @post: called with each "stats" message, and the last "done" one, on this
 *   thread
 *
 * Runs the load to its end: the duration is up, the requests are made, or
 * @cancellable is cancelled (which still posts "done", with "cancelled").
 * Blocks: for a worker thread.
 *
 * Returns: %FALSE only if the load could not start (the host is unknown, say)
 */
gboolean
troupe_http_load_run (const TroupeHttpLoadSpec *spec,
                      TroupeHttpLoadPostFunc    post,
                      gpointer                  user_data,
                      GCancellable             *cancellable,
                      GError                  **error)
{
  Load load = { 0 };
  guint n = spec->connections;
  g_autofree struct pollfd *fds = g_new0 (struct pollfd, n + 1);
  g_autofree guint *fd_owner = g_new0 (guint, n + 1);
  g_autofree guint8 *buffer = g_malloc (64 * 1024);
  GPollFD cancel_fd = { -1, 0, 0 };
  gboolean has_cancel_fd;
  gboolean cancelled = FALSE;
  gint64 deadline;
  gint64 drain_deadline = 0;

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (post != NULL, FALSE);

  load.spec = spec;
  load.post = post;
  load.user_data = user_data;
  if (!resolve (&load, cancellable, error))
    return FALSE;

  load.request = troupe_http_format_request (spec->method, spec->url, spec->keep_alive,
                                             &load.request_length);
  load.head_request = g_ascii_strcasecmp (spec->method, "HEAD") == 0;
  load.statuses = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  load.interval = troupe_latency_histogram_new ();
  load.total = troupe_latency_histogram_new ();
  load.connections = g_new0 (Connection, n);
  for (guint i = 0; i < n; i++)
    {
      load.connections[i].fd = -1;
      troupe_http_parser_init (&load.connections[i].parser, load.head_request);
    }
  has_cancel_fd = g_cancellable_make_pollfd (cancellable, &cancel_fd);

  load.start = load.last_stats = g_get_monotonic_time ();
  deadline = spec->duration > 0 ? load.start + (gint64) (spec->duration * G_USEC_PER_SEC)
                                : G_MAXINT64;

  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 next_stats = load.last_stats + spec->stats_interval_ms * G_TIME_SPAN_MILLISECOND;
      gint64 wake = next_stats;
      guint n_fds = 0;
      gboolean busy = FALSE;
      int timeout_ms;
      int ready;

      if (g_cancellable_is_cancelled (cancellable))
        {
          cancelled = TRUE;
          break;
        }
      if (now >= next_stats)
        {
          post_stats (&load, now, FALSE, FALSE);
          next_stats = now + spec->stats_interval_ms * G_TIME_SPAN_MILLISECOND;
          wake = next_stats;
        }
      if (!load.stopping && (now >= deadline || !may_start (&load, now)))
        {
          load.stopping = TRUE;
          drain_deadline = now + DRAIN_USEC;
        }

      for (guint i = 0; i < n; i++)
        {
          Connection *connection = &load.connections[i];

          if (in_flight (connection) &&
              now - connection->started > (gint64) spec->timeout_ms * G_TIME_SPAN_MILLISECOND)
            fail (&load, connection, TROUPE_HTTP_FAILURE_TIMEOUT, now);
          if (connection->state == CONNECTION_IDLE && may_start (&load, now))
            {
              if (connection->retry_at > now)
                wake = MIN (wake, connection->retry_at);
              else
                begin_request (&load, connection, now);
            }
          /* A server that keeps the connection after all is not waited for. */
          if (connection->state == CONNECTION_CLOSING &&
              (load.stopping ||
               now - connection->started > (gint64) spec->timeout_ms * G_TIME_SPAN_MILLISECOND))
            close_connection (connection);
          if (in_flight (connection))
            {
              busy = TRUE;
              wake = MIN (wake, connection->started +
                                (gint64) spec->timeout_ms * G_TIME_SPAN_MILLISECOND);
            }
          if (connection->fd >= 0)
            {
              fds[n_fds].fd = connection->fd;
              fds[n_fds].events = connection->state == CONNECTION_CONNECTING ||
                                  connection->state == CONNECTION_SENDING ? POLLOUT : POLLIN;
              fds[n_fds].revents = 0;
              fd_owner[n_fds] = i;
              n_fds++;
            }
        }

      if (load.stopping && (!busy || now >= drain_deadline))
        break;
      if (!load.stopping)
        wake = MIN (wake, deadline);
      else
        wake = MIN (wake, drain_deadline);

      if (has_cancel_fd)
        {
          fds[n_fds].fd = cancel_fd.fd;
          fds[n_fds].events = POLLIN;
          fds[n_fds].revents = 0;
        }
      timeout_ms = (int) CLAMP ((wake - now + 999) / 1000, 0, G_MAXINT);
      ready = poll (fds, n_fds + (has_cancel_fd ? 1 : 0), timeout_ms);
      if (ready < 0 && errno != EINTR)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "poll: %s", g_strerror (saved_errno));
          break;
        }
      if (ready <= 0)
        continue;

      now = g_get_monotonic_time ();
      for (guint f = 0; f < n_fds; f++)
        {
          Connection *connection = &load.connections[fd_owner[f]];

          if (fds[f].revents == 0 || connection->fd != fds[f].fd)
            continue;
          switch (connection->state)
            {
            case CONNECTION_CONNECTING:
              {
                int socket_error = 0;
                socklen_t length = sizeof socket_error;

                getsockopt (connection->fd, SOL_SOCKET, SO_ERROR, &socket_error, &length);
                if (socket_error != 0)
                  fail (&load, connection, troupe_http_failure_from_errno (socket_error, TRUE),
                        now);
                else
                  {
                    connection->state = CONNECTION_SENDING;
                    send_some (&load, connection, now);
                  }
              }
              break;
            case CONNECTION_SENDING:
              send_some (&load, connection, now);
              break;
            case CONNECTION_RECEIVING:
            case CONNECTION_CLOSING:
              receive (&load, connection, buffer, 64 * 1024, now);
              break;
            case CONNECTION_IDLE:
            default:
              break;
            }
        }
    }

  post_stats (&load, g_get_monotonic_time (), TRUE, cancelled);

  if (has_cancel_fd)
    g_cancellable_release_fd (cancellable);
  for (guint i = 0; i < n; i++)
    {
      close_connection (&load.connections[i]);
      troupe_http_parser_clear (&load.connections[i].parser);
    }
  g_free (load.connections);
  g_free (load.request);
  g_hash_table_unref (load.statuses);
  troupe_latency_histogram_free (load.interval);
  troupe_latency_histogram_free (load.total);
  return error == NULL || *error == NULL;
}
