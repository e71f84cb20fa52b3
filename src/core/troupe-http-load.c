/* troupe-http-load.c: many HTTP connections driven from one thread, with live statistics
 *
 * The load worker's engine: N non-blocking connections, each with one request
 * in flight at a time, driven by epoll on the worker's own thread, the way
 * wrk drives its connections. With keep-alive a connection sends its next
 * request as soon as the response is in, without another trip through
 * epoll_wait(); without it each request gets a new connection that asks the server
 * to close, and is closed as soon as the response is in, as wrk does (Linux
 * reuses loopback ports in TIME_WAIT for new connections, so a long run does
 * not run out of them).
 *
 * Every request is timed from its start (the connect, for a new connection)
 * to the last byte of its response, into a histogram for the interval and one
 * for the whole run. At each interval a "stats" message is posted; at the end
 * a "done" message. With "threads", the connections are shared out among
 * several such loops, each counting on its own; they meet only at the
 * interval, under one lock, so that one message says what all of them did.
 * When the run ends by duration, requests already sent are still read to
 * their end, so the count of responses matches what the server answered.
 * Cancelling stops at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
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
/* Status codes are counted in an array: 100 to 599, and 0 for anything else. */
#define N_STATUSES       600

typedef enum
{
  CONNECTION_IDLE,
  CONNECTION_CONNECTING,
  CONNECTION_SENDING,
  CONNECTION_RECEIVING,
} ConnectionState;

typedef struct
{
  int              fd;
  ConnectionState  state;
  gsize            sent;
  gint64           started;
  gint64           retry_at;
  guint            responses;  /* on this connection */
  guint32          watched;    /* the epoll events asked for, 0 if none */
  TroupeHttpParser parser;
} Connection;

typedef struct
{
  guint64 responses;
  guint64 errors[TROUPE_HTTP_N_FAILURES];
  guint64 status[N_STATUSES];
} Counts;

typedef struct _Run Run;

/* One thread's share of the connections, with counts of its own: nothing is
 * shared per request, only once per stats interval. */
typedef struct
{
  Run                    *run;
  guint                   index;
  Connection             *connections;
  guint                   n_connections;
  guint64                 quota;     /* attempts to make; 0 = no limit */
  guint64                 attempts;
  Counts                  counts;
  TroupeLatencyHistogram *interval;
  TroupeLatencyHistogram *total;
  gboolean                stopping;
  gboolean                cancelled;
  GError                 *error;
  GThread                *thread;
} Engine;

struct _Run
{
  const TroupeHttpLoadSpec *spec;
  TroupeHttpLoadPostFunc    post;
  gpointer                  user_data;
  GCancellable             *cancellable;

  struct sockaddr_storage   address;
  socklen_t                 address_length;
  char                     *request;
  gsize                     request_length;
  gboolean                  head_request;
  gint64                    start;
  gint64                    deadline;

  Engine                   *engines;
  guint                     n_engines;

  /* What the other threads publish at each interval, for the first to post */
  GMutex                    lock;
  Counts                   *published;   /* one per engine */
  TroupeLatencyHistogram   *interval;
  guint64                   responses_at_last_stats;
};

/* --- messages ----------------------------------------------------------- */

/* Numbers as people read them: "0.412", not json-glib's "0.41199999999999998". */
static void
append_number (GString    *text,
               const char *name,
               double      value,
               int         decimals)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];
  char format[8];

  g_snprintf (format, sizeof format, "%%.%df", decimals);
  g_ascii_formatd (number, sizeof number, format, value);
  g_string_append_printf (text, "\"%s\":%s,", name, number);
}

static void
append_latency (GString                      *text,
                const TroupeLatencyHistogram *histogram,
                gboolean                      whole_run)
{
  g_string_append (text, "\"latency\":{");
  append_number (text, "p50", troupe_latency_histogram_percentile (histogram, 50) / 1000.0, 3);
  append_number (text, "p90", troupe_latency_histogram_percentile (histogram, 90) / 1000.0, 3);
  append_number (text, "p99", troupe_latency_histogram_percentile (histogram, 99) / 1000.0, 3);
  if (whole_run)
    {
      append_number (text, "mean", troupe_latency_histogram_get_mean (histogram) / 1000.0, 3);
      append_number (text, "max", troupe_latency_histogram_get_max (histogram) / 1000.0, 3);
    }
  g_string_truncate (text, text->len - 1);
  g_string_append (text, "},");
}

static void
add_counts (Counts       *sum,
            const Counts *counts)
{
  sum->responses += counts->responses;
  for (guint i = 0; i < TROUPE_HTTP_N_FAILURES; i++)
    sum->errors[i] += counts->errors[i];
  for (guint i = 0; i < N_STATUSES; i++)
    sum->status[i] += counts->status[i];
}

static guint
count_open (Run *run)
{
  guint open = 0;

  /* Other threads' connections are read without a lock: a count a moment old
   * is as good for the live view. */
  for (guint e = 0; e < run->n_engines; e++)
    for (guint i = 0; i < run->engines[e].n_connections; i++)
      if (g_atomic_int_get (&run->engines[e].connections[i].fd) >= 0)
        open++;
  return open;
}

static void
post_message (Run                          *run,
              const Counts                 *counts,
              const TroupeLatencyHistogram *latency,
              gint64                        now,
              gint64                        since,
              guint64                       responses_since,
              gboolean                      done,
              gboolean                      cancelled)
{
  g_autoptr(GString) text = g_string_sized_new (512);
  double elapsed = (now - run->start) / (double) G_USEC_PER_SEC;
  double span = (now - since) / (double) G_USEC_PER_SEC;
  gboolean any = FALSE;

  g_string_append_printf (text, "{\"type\":\"%s\",", done ? "done" : "stats");
  append_number (text, "elapsed", elapsed, 3);
  g_string_append_printf (text, "\"requests\":%" G_GUINT64_FORMAT ",", counts->responses);
  append_number (text, "rps", span > 0 ? (counts->responses - responses_since) / span : 0, 1);
  append_latency (text, latency, done);

  g_string_append (text, "\"errors\":{");
  for (guint failure = TROUPE_HTTP_FAILURE_NONE + 1; failure < TROUPE_HTTP_N_FAILURES; failure++)
    if (counts->errors[failure] > 0)
      {
        g_string_append_printf (text, "%s\"%s\":%" G_GUINT64_FORMAT, any ? "," : "",
                                troupe_http_failure_to_string (failure), counts->errors[failure]);
        any = TRUE;
      }
  g_string_append (text, "},\"status\":{");
  any = FALSE;
  for (guint status = 0; status < N_STATUSES; status++)
    if (counts->status[status] > 0)
      {
        g_string_append_printf (text, "%s\"%u\":%" G_GUINT64_FORMAT, any ? "," : "", status,
                                counts->status[status]);
        any = TRUE;
      }
  g_string_append_printf (text, "},\"connections\":%u", done ? 0 : count_open (run));
  if (done)
    g_string_append_printf (text, ",\"cancelled\":%s", cancelled ? "true" : "false");
  g_string_append_c (text, '}');

  run->post (text->str, text->len, run->user_data);
}

/* At each interval: the first thread posts what all have published, the others publish. */
static void
on_interval (Engine *engine,
             gint64  now,
             gint64  last)
{
  Run *run = engine->run;

  g_mutex_lock (&run->lock);
  run->published[engine->index] = engine->counts;
  troupe_latency_histogram_merge (run->interval, engine->interval);
  troupe_latency_histogram_clear (engine->interval);
  if (engine->index == 0)
    {
      Counts sum = { 0 };

      for (guint e = 0; e < run->n_engines; e++)
        add_counts (&sum, &run->published[e]);
      post_message (run, &sum, run->interval, now, last, run->responses_at_last_stats, FALSE,
                    FALSE);
      run->responses_at_last_stats = sum.responses;
      troupe_latency_histogram_clear (run->interval);
    }
  g_mutex_unlock (&run->lock);
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
  connection->watched = 0;  /* closing the fd took it out of the epoll set */
}

static void
fail (Engine            *engine,
      Connection        *connection,
      TroupeHttpFailure  failure,
      gint64             now)
{
  engine->counts.errors[failure]++;
  close_connection (connection);
  if (failure == TROUPE_HTTP_FAILURE_REFUSED || failure == TROUPE_HTTP_FAILURE_CONNECT)
    connection->retry_at = now + RETRY_DELAY_USEC;
}

static gboolean
may_start (Engine *engine,
           gint64  now)
{
  if (engine->stopping)
    return FALSE;
  if (engine->quota > 0 && engine->attempts >= engine->quota)
    return FALSE;
  return TRUE;
}

static void send_some (Engine *engine, Connection *connection, gint64 now);

static void
begin_request (Engine     *engine,
               Connection *connection,
               gint64      now)
{
  engine->attempts++;
  connection->started = now;
  connection->sent = 0;
  troupe_http_parser_reset (&connection->parser);
  connection->parser.head_request = engine->run->head_request;

  if (connection->fd < 0)
    {
      int fd = socket (engine->run->address.ss_family,
                       SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      int one = 1;

      if (fd < 0)
        {
          fail (engine, connection, TROUPE_HTTP_FAILURE_CONNECT, now);
          return;
        }
      setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      connection->fd = fd;
      if (connect (fd, (struct sockaddr *) &engine->run->address,
                   engine->run->address_length) < 0)
        {
          if (errno == EINPROGRESS)
            {
              gssize n;

              /* On loopback the handshake is often done by now: send at once
               * and save a wait. A socket still connecting says EAGAIN. */
              connection->state = CONNECTION_CONNECTING;
              n = send (fd, engine->run->request, engine->run->request_length, MSG_NOSIGNAL);
              if (n > 0)
                {
                  connection->sent = n;
                  connection->state = CONNECTION_SENDING;
                  send_some (engine, connection, now);
                }
              else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                fail (engine, connection, troupe_http_failure_from_errno (errno, TRUE), now);
              return;
            }
          fail (engine, connection, troupe_http_failure_from_errno (errno, TRUE), now);
          return;
        }
    }
  connection->state = CONNECTION_SENDING;
  send_some (engine, connection, now);
}

static void
send_some (Engine     *engine,
           Connection *connection,
           gint64      now)
{
  while (connection->sent < engine->run->request_length)
    {
      gssize n = send (connection->fd, engine->run->request + connection->sent,
                       engine->run->request_length - connection->sent, MSG_NOSIGNAL);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno == EAGAIN || errno == EWOULDBLOCK)
            return;
          if (connection->responses > 0)
            {
              /* The server had closed this kept-alive connection: try anew. */
              engine->attempts--;
              close_connection (connection);
              return;
            }
          fail (engine, connection, troupe_http_failure_from_errno (errno, FALSE), now);
          return;
        }
      connection->sent += n;
    }
  connection->state = CONNECTION_RECEIVING;
}

static void
count_response (Engine     *engine,
                Connection *connection,
                gint64      now)
{
  engine->counts.status[CLAMP (connection->parser.status, 0, N_STATUSES - 1)]++;
  engine->counts.responses++;
  connection->responses++;
  troupe_latency_histogram_add (engine->interval, now - connection->started);
  troupe_latency_histogram_add (engine->total, now - connection->started);
}

static void
receive (Engine     *engine,
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
          if (connection->responses > 0 && !troupe_http_parser_has_started (&connection->parser))
            {
              engine->attempts--;
              close_connection (connection);
              return;
            }
          fail (engine, connection, troupe_http_failure_from_errno (errno, FALSE), now);
          return;
        }

      if (n == 0)
        {
          if (troupe_http_parser_finish (&connection->parser) == TROUPE_HTTP_PARSE_DONE)
            {
              count_response (engine, connection, now);
              close_connection (connection);
            }
          else if (connection->responses > 0 &&
                   !troupe_http_parser_has_started (&connection->parser))
            {
              engine->attempts--;
              close_connection (connection);
            }
          else
            fail (engine, connection, TROUPE_HTTP_FAILURE_RESET, now);
          return;
        }

      result = troupe_http_parser_feed (&connection->parser, buffer, n, NULL);
      if (result == TROUPE_HTTP_PARSE_ERROR)
        {
          fail (engine, connection, TROUPE_HTTP_FAILURE_BAD_RESPONSE, now);
          return;
        }
      if (result == TROUPE_HTTP_PARSE_DONE)
        {
          count_response (engine, connection, now);
          if (engine->run->spec->keep_alive && connection->parser.keep_alive)
            {
              connection->state = CONNECTION_IDLE;
              if (may_start (engine, now))
                begin_request (engine, connection, now);
            }
          else
            {
              connection->state = CONNECTION_IDLE;
              close_connection (connection);
              if (may_start (engine, now))
                begin_request (engine, connection, now);
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

/* Where the connections go. A name may have several addresses (localhost is
 * ::1 and 127.0.0.1) of which the server listens on one: the first that
 * takes a connection is used, else the first there is, whose refusals are
 * then counted. */
static gboolean
resolve (Run           *run,
         GCancellable  *cancellable,
         GError       **error)
{
  const TroupeHttpUrl *url = run->spec->url;
  g_autoptr(GInetAddress) literal = g_inet_address_new_from_string (url->host);
  g_autolist(GInetAddress) addresses = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;

  if (literal != NULL)
    socket_address = g_inet_socket_address_new (literal, url->port);
  else
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();
      g_autoptr(GSocket) socket = NULL;

      addresses = g_resolver_lookup_by_name (resolver, url->host, cancellable, error);
      if (addresses == NULL)
        return FALSE;
      if (addresses->next != NULL)
        socket = troupe_http_connect (url->host, url->port, run->spec->timeout_ms, cancellable,
                                      NULL);
      if (socket != NULL)
        socket_address = g_socket_get_remote_address (socket, NULL);
      if (socket_address == NULL)
        socket_address = g_inet_socket_address_new (addresses->data, url->port);
    }
  run->address_length = g_socket_address_get_native_size (socket_address);
  return g_socket_address_to_native (socket_address, &run->address, sizeof run->address,
                                     error);
}

/* Asks epoll for what the connection waits for now; nothing when it is
 * unchanged, which with keep-alive is every request after the first. */
static void
watch (int         epoll_fd,
       Connection *connection,
       guint       index)
{
  guint32 wanted = connection->state == CONNECTION_CONNECTING ||
                   connection->state == CONNECTION_SENDING ? EPOLLOUT : EPOLLIN;
  struct epoll_event event = { 0 };

  if (connection->fd < 0 || connection->watched == wanted)
    return;
  event.events = wanted;
  /* The fd too, so that an event for a connection closed since is known. */
  event.data.u64 = ((guint64) (guint32) connection->fd << 32) | index;
  epoll_ctl (epoll_fd, connection->watched == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD,
             connection->fd, &event);
  connection->watched = wanted;
}

#define CANCEL_EVENT G_MAXUINT64
#define MAX_EVENTS   256

/* One thread's loop: its connections, until the run is over. epoll, as wrk
 * uses, so a wake costs in proportion to the connections that are ready, not
 * to all of them. */
static gpointer
engine_run (gpointer data)
{
  Engine *engine = data;
  Run *run = engine->run;
  const TroupeHttpLoadSpec *spec = run->spec;
  guint n = engine->n_connections;
  struct epoll_event events[MAX_EVENTS];
  g_autofree guint8 *buffer = g_malloc (64 * 1024);
  gint64 timeout_usec = (gint64) spec->timeout_ms * G_TIME_SPAN_MILLISECOND;
  gint64 interval_usec = (gint64) spec->stats_interval_ms * G_TIME_SPAN_MILLISECOND;
  gint64 last_stats = run->start;
  gint64 drain_deadline = 0;
  GPollFD cancel_fd = { -1, 0, 0 };
  gboolean has_cancel_fd = g_cancellable_make_pollfd (run->cancellable, &cancel_fd);
  int epoll_fd = epoll_create1 (EPOLL_CLOEXEC);

  if (epoll_fd < 0)
    {
      int saved_errno = errno;

      g_set_error (&engine->error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "epoll_create1: %s", g_strerror (saved_errno));
      if (has_cancel_fd)
        g_cancellable_release_fd (run->cancellable);
      return NULL;
    }
  if (has_cancel_fd)
    {
      struct epoll_event event = { .events = EPOLLIN, .data.u64 = CANCEL_EVENT };

      epoll_ctl (epoll_fd, EPOLL_CTL_ADD, cancel_fd.fd, &event);
    }

  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 wake;
      gboolean busy = FALSE;
      int ready;

      if (g_cancellable_is_cancelled (run->cancellable))
        {
          engine->cancelled = TRUE;
          break;
        }
      if (now >= last_stats + interval_usec)
        {
          /* Every thread keeps to the same beat from the start. */
          gint64 tick = run->start + (now - run->start) / interval_usec * interval_usec;

          on_interval (engine, now, last_stats);
          last_stats = tick;
        }
      wake = last_stats + interval_usec;
      if (!engine->stopping && (now >= run->deadline || !may_start (engine, now)))
        {
          engine->stopping = TRUE;
          drain_deadline = now + DRAIN_USEC;
        }

      for (guint i = 0; i < n; i++)
        {
          Connection *connection = &engine->connections[i];

          if (in_flight (connection) && now - connection->started > timeout_usec)
            fail (engine, connection, TROUPE_HTTP_FAILURE_TIMEOUT, now);
          if (connection->state == CONNECTION_IDLE && may_start (engine, now))
            {
              if (connection->retry_at > now)
                wake = MIN (wake, connection->retry_at);
              else
                begin_request (engine, connection, now);
            }
          if (in_flight (connection))
            {
              busy = TRUE;
              wake = MIN (wake, connection->started + timeout_usec);
            }
          watch (epoll_fd, connection, i);
        }

      if (engine->stopping && (!busy || now >= drain_deadline))
        break;
      wake = MIN (wake, engine->stopping ? drain_deadline : run->deadline);

      ready = epoll_wait (epoll_fd, events, MAX_EVENTS,
                          (int) CLAMP ((wake - now + 999) / 1000, 0, G_MAXINT));
      if (ready < 0 && errno != EINTR)
        {
          int saved_errno = errno;

          g_set_error (&engine->error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "epoll_wait: %s", g_strerror (saved_errno));
          break;
        }

      now = g_get_monotonic_time ();
      for (int e = 0; e < ready; e++)
        {
          guint index = (guint32) events[e].data.u64;
          int fd = (int) (events[e].data.u64 >> 32);
          Connection *connection;

          if (events[e].data.u64 == CANCEL_EVENT || index >= n)
            continue;
          connection = &engine->connections[index];
          if (connection->fd != fd)
            continue;
          switch (connection->state)
            {
            case CONNECTION_CONNECTING:
              {
                int socket_error = 0;
                socklen_t length = sizeof socket_error;

                getsockopt (connection->fd, SOL_SOCKET, SO_ERROR, &socket_error, &length);
                if (socket_error != 0)
                  fail (engine, connection, troupe_http_failure_from_errno (socket_error, TRUE),
                        now);
                else
                  {
                    connection->state = CONNECTION_SENDING;
                    send_some (engine, connection, now);
                  }
              }
              break;
            case CONNECTION_SENDING:
              send_some (engine, connection, now);
              break;
            case CONNECTION_RECEIVING:
              receive (engine, connection, buffer, 64 * 1024, now);
              break;
            case CONNECTION_IDLE:
            default:
              break;
            }
          /* A response in and the next request sent: wait for its answer. */
          watch (epoll_fd, connection, index);
        }
    }

  if (has_cancel_fd)
    g_cancellable_release_fd (run->cancellable);
  for (guint i = 0; i < n; i++)
    close_connection (&engine->connections[i]);
  close (epoll_fd);
  return NULL;
}

/**
 * troupe_http_load_run:
 * @post: called with each "stats" message, and the last "done" one, as JSON
 *   text, on this thread
 *
 * Runs the load to its end: the duration is up, the requests are made, or
 * @cancellable is cancelled (which still posts "done", with "cancelled").
 * With "threads" above 1, the connections are shared out among that many
 * threads, this one and others started here. Blocks: for a worker thread.
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
  Run run = { 0 };
  g_autoptr(TroupeLatencyHistogram) total = troupe_latency_histogram_new ();
  Counts sum = { 0 };
  gboolean cancelled = FALSE;
  guint n_engines;
  guint next_connection = 0;

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (post != NULL, FALSE);

  run.spec = spec;
  run.post = post;
  run.user_data = user_data;
  run.cancellable = cancellable;
  if (!resolve (&run, cancellable, error))
    return FALSE;

  run.request = troupe_http_format_request (spec->method, spec->url, spec->keep_alive,
                                            &run.request_length);
  run.head_request = g_ascii_strcasecmp (spec->method, "HEAD") == 0;
  /* No more threads than connections, nor than requests to share out. */
  n_engines = CLAMP (spec->threads, 1, spec->connections);
  if (spec->requests > 0)
    n_engines = MIN (n_engines, spec->requests);
  run.n_engines = n_engines;
  run.engines = g_new0 (Engine, n_engines);
  run.published = g_new0 (Counts, n_engines);
  run.interval = troupe_latency_histogram_new ();
  g_mutex_init (&run.lock);

  for (guint e = 0; e < n_engines; e++)
    {
      Engine *engine = &run.engines[e];

      engine->run = &run;
      engine->index = e;
      engine->n_connections = spec->connections / n_engines +
                              (e < spec->connections % n_engines ? 1 : 0);
      engine->connections = g_new0 (Connection, engine->n_connections);
      for (guint i = 0; i < engine->n_connections; i++)
        {
          engine->connections[i].fd = -1;
          troupe_http_parser_init (&engine->connections[i].parser, run.head_request);
        }
      next_connection += engine->n_connections;
      if (spec->requests > 0)
        engine->quota = spec->requests / n_engines + (e < spec->requests % n_engines ? 1 : 0);
      engine->interval = troupe_latency_histogram_new ();
      engine->total = troupe_latency_histogram_new ();
    }
  g_assert (next_connection == spec->connections);

  run.start = g_get_monotonic_time ();
  run.deadline = spec->duration > 0 ? run.start + (gint64) (spec->duration * G_USEC_PER_SEC)
                                    : G_MAXINT64;
  for (guint e = 1; e < n_engines; e++)
    run.engines[e].thread = g_thread_new ("troupe-http-load", engine_run, &run.engines[e]);
  engine_run (&run.engines[0]);

  for (guint e = 0; e < n_engines; e++)
    {
      Engine *engine = &run.engines[e];

      if (engine->thread != NULL)
        g_thread_join (engine->thread);
      add_counts (&sum, &engine->counts);
      troupe_latency_histogram_merge (total, engine->total);
      cancelled |= engine->cancelled;
      if (engine->error != NULL && error != NULL && *error == NULL)
        g_propagate_error (error, g_steal_pointer (&engine->error));
      g_clear_error (&engine->error);
    }
  post_message (&run, &sum, total, g_get_monotonic_time (), run.start, 0, TRUE, cancelled);

  for (guint e = 0; e < n_engines; e++)
    {
      Engine *engine = &run.engines[e];

      for (guint i = 0; i < engine->n_connections; i++)
        troupe_http_parser_clear (&engine->connections[i].parser);
      g_free (engine->connections);
      troupe_latency_histogram_free (engine->interval);
      troupe_latency_histogram_free (engine->total);
    }
  g_mutex_clear (&run.lock);
  troupe_latency_histogram_free (run.interval);
  g_free (run.published);
  g_free (run.engines);
  g_free (run.request);
  return error == NULL || *error == NULL;
}
