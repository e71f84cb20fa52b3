/* test-worker-kinds.c: the built-in workers: HTTP load, probe and log search, on real sockets and files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "troupe-cluster.h"
#include "troupe-latency-histogram.h"
#include "troupe-log-search.h"
#include "troupe-test-util.h"
#include "troupe-worker-pool.h"

/* --- a real HTTP server, counting what it is asked --------------------- */

typedef struct
{
  GThreadedSocketService *service;
  guint16                 port;
  int                     requests;     /* atomic */
  int                     connections;  /* atomic */
} Server;

/* Answers every request on a connection, in the three ways a server frames a
 * body: every third response is chunked, and "Connection: close" is obeyed. */
static gboolean
on_run (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source_object,
        Server                 *server)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GString) pending = g_string_new (NULL);
  char buffer[16 * 1024];
  guint answered = 0;

  g_atomic_int_inc (&server->connections);
  for (;;)
    {
      gssize n = g_input_stream_read (input, buffer, sizeof buffer, NULL, NULL);
      char *end;

      if (n <= 0)
        return FALSE;
      g_string_append_len (pending, buffer, n);
      while ((end = strstr (pending->str, "\r\n\r\n")) != NULL)
        {
          gsize length = end + 4 - pending->str;
          gboolean close = g_strstr_len (pending->str, length, "Connection: close") != NULL;
          const char *response;

          g_atomic_int_inc (&server->requests);
          if (answered++ % 3 == 2)
            response = close ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                               "Connection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                             : "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "5\r\nhello\r\n0\r\n\r\n";
          else
            response = close ? "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
                               "Connection: close\r\n\r\nhello"
                             : "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
          if (!g_output_stream_write_all (output, response, strlen (response), NULL, NULL, NULL))
            return FALSE;
          g_string_erase (pending, 0, length);
          if (close)
            {
              g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
              return FALSE;
            }
        }
    }
}

static void
server_start_on (Server  *server,
                 guint16  port)
{
  g_autoptr(GError) error = NULL;

  memset (server, 0, sizeof *server);
  server->service = G_THREADED_SOCKET_SERVICE (g_threaded_socket_service_new (64));
  if (port == 0)
    server->port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (server->service),
                                                        NULL, &error);
  else
    {
      g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

      g_socket_listener_add_address (G_SOCKET_LISTENER (server->service), address,
                                     G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, NULL,
                                     &error);
      server->port = port;
    }
  g_assert_no_error (error);
  g_signal_connect (server->service, "run", G_CALLBACK (on_run), server);
  g_socket_service_start (G_SOCKET_SERVICE (server->service));
}

static void
server_start (Server *server)
{
  server_start_on (server, 0);
}

static void
server_stop (Server *server)
{
  g_socket_service_stop (G_SOCKET_SERVICE (server->service));
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));
  g_clear_object (&server->service);
}

/* A port that was free a moment ago, and nothing listens on it now. */
static guint16
closed_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

/* --- workers ------------------------------------------------------------ */

typedef struct
{
  GPtrArray *messages;  /* of JsonNode */
  GArray    *arrived;   /* g_get_monotonic_time() of each message */
} Received;

static void
on_messages (TroupeWorker *worker,
             GPtrArray    *batch,
             Received     *received)
{
  gint64 now = g_get_monotonic_time ();

  for (guint i = 0; i < batch->len; i++)
    {
      GBytes *text = g_ptr_array_index (batch, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *string = g_strndup (g_bytes_get_data (text, NULL), g_bytes_get_size (text));
      JsonNode *message = json_from_string (string, &error);

      g_assert_no_error (error);
      g_ptr_array_add (received->messages, message);
      g_array_append_val (received->arrived, now);
    }
}

static void
received_init (Received *received)
{
  received->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  received->arrived = g_array_new (FALSE, FALSE, sizeof (gint64));
}

static void
received_clear (Received *received)
{
  g_clear_pointer (&received->messages, g_ptr_array_unref);
  g_clear_pointer (&received->arrived, g_array_unref);
}

static JsonObject *
message_at (Received *received,
            guint     index)
{
  return json_node_get_object (g_ptr_array_index (received->messages, index));
}

static const char *
type_at (Received *received,
         guint     index)
{
  return json_object_get_string_member (message_at (received, index), "type");
}

static JsonObject *
last_of_type (Received   *received,
              const char *type)
{
  for (guint i = received->messages->len; i > 0; i--)
    if (g_str_equal (type_at (received, i - 1), type))
      return message_at (received, i - 1);
  return NULL;
}

static guint
count_of_type (Received   *received,
               const char *type)
{
  guint count = 0;

  for (guint i = 0; i < received->messages->len; i++)
    count += g_str_equal (type_at (received, i), type);
  return count;
}

static gboolean
worker_has_ended (gpointer worker)
{
  return troupe_worker_has_ended (worker);
}

static TroupeWorker *
start (TroupeWorkerPool *pool,
       const char       *kind,
       Received         *received,
       const char       *format,
       ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  TroupeWorker *worker;
  va_list args;

  va_start (args, format);
  data = g_strdup_vprintf (format, args);
  va_end (args);
  worker = troupe_worker_pool_start_text (pool, kind, data, &error);
  g_assert_no_error (error);
  troupe_worker_set_recording (worker, FALSE);
  g_signal_connect (worker, "messages", G_CALLBACK (on_messages), received);
  return worker;
}

static void
run_to_end (TroupeWorker *worker)
{
  troupe_test_wait_until (worker_has_ended, worker, "for the worker to end");
  if (troupe_worker_get_state (worker) != TROUPE_WORKER_EXITED)
    g_error ("worker ended as %s: %s", troupe_worker_state_to_string (troupe_worker_get_state (worker)),
             troupe_worker_get_error_message (worker));
  g_assert_cmpint (troupe_worker_get_exit_code (worker), ==, 0);
}

static gint64
member_or_zero (JsonObject *object,
                const char *name)
{
  return json_object_get_int_member_with_default (object, name, 0);
}

/* --- HTTP load ---------------------------------------------------------- */

static void
test_latency_histogram (void)
{
  g_autoptr(TroupeLatencyHistogram) a = troupe_latency_histogram_new ();
  g_autoptr(TroupeLatencyHistogram) b = troupe_latency_histogram_new ();

  g_assert_cmpint (troupe_latency_histogram_percentile (a, 50), ==, 0);
  for (gint64 usec = 1; usec <= 1000; usec++)
    troupe_latency_histogram_add (a, usec * 100);  /* 0.1 ms to 100 ms */
  g_assert_cmpuint (troupe_latency_histogram_get_count (a), ==, 1000);
  g_assert_cmpint (ABS (troupe_latency_histogram_percentile (a, 50) - 50000), <=, 50000 / 64);
  g_assert_cmpint (ABS (troupe_latency_histogram_percentile (a, 99) - 99000), <=, 99000 / 64);
  g_assert_cmpint (troupe_latency_histogram_get_max (a), ==, 100000);

  /* Merged: a thousand more at 1 s move the median up to the top of a's range. */
  for (guint i = 0; i < 1000; i++)
    troupe_latency_histogram_add (b, G_USEC_PER_SEC);
  troupe_latency_histogram_merge (a, b);
  g_assert_cmpuint (troupe_latency_histogram_get_count (a), ==, 2000);
  g_assert_cmpint (troupe_latency_histogram_percentile (a, 50), <=, 100000 + 100000 / 64);
  g_assert_cmpint (ABS (troupe_latency_histogram_percentile (a, 90) - G_USEC_PER_SEC), <=,
                   G_USEC_PER_SEC / 64);
}

static void
check_counts (JsonObject *done,
              Server     *server,
              gint64      expected)
{
  JsonObject *status = json_object_get_object_member (done, "status");
  JsonObject *errors = json_object_get_object_member (done, "errors");

  g_assert_cmpint (json_object_get_size (errors), ==, 0);
  g_assert_cmpint (json_object_get_int_member (done, "requests"), ==,
                   g_atomic_int_get (&server->requests));
  g_assert_cmpint (member_or_zero (status, "200"), ==, g_atomic_int_get (&server->requests));
  if (expected > 0)
    g_assert_cmpint (json_object_get_int_member (done, "requests"), ==, expected);
  else
    g_assert_cmpint (json_object_get_int_member (done, "requests"), >, 0);
}

static void
test_load_keep_alive (void)
{
  g_autoptr(TroupeWorkerPool) pool = troupe_worker_pool_new (troupe_worker_registry_new (), 2);
  Received received;
  Server server;
  TroupeWorker *worker;
  JsonObject *done;

  server_start (&server);
  received_init (&received);
  worker = start (pool, "http-load", &received,
                  "{\"url\": \"http://127.0.0.1:%u/hello?x=1\", \"connections\": 8, "
                  "\"requests\": 3000, \"keep_alive\": true}", server.port);
  run_to_end (worker);

  done = last_of_type (&received, "done");
  g_assert_nonnull (done);
  check_counts (done, &server, 3000);
  /* Kept alive: a connection carries many requests. */
  g_assert_cmpint (g_atomic_int_get (&server.connections), <=, 8);
  g_assert_cmpfloat (json_object_get_double_member (done, "rps"), >, 0);
  g_assert_true (json_object_has_member (json_object_get_object_member (done, "latency"), "p99"));

  server_stop (&server);
  received_clear (&received);
}

static void
test_load_new_connection (void)
{
  g_autoptr(TroupeWorkerPool) pool = troupe_worker_pool_new (troupe_worker_registry_new (), 2);
  Received received;
  Server server;
  TroupeWorker *worker;
  JsonObject *done;
  JsonObject *stats;
  gint64 requests;

  server_start (&server);
  received_init (&received);
  worker = start (pool, "http-load", &received,
                  "{\"url\": \"http://localhost:%u/\", \"connections\": 4, \"duration\": 1.2, "
                  "\"keep_alive\": false, \"method\": \"GET\"}", server.port);
  run_to_end (worker);

  done = last_of_type (&received, "done");
  g_assert_nonnull (done);
  check_counts (done, &server, 0);
  /* One connection per request. */
  requests = json_object_get_int_member (done, "requests");
  g_assert_cmpint (g_atomic_int_get (&server.connections), ==, requests);

  /* Stats every 250 ms: never sooner, and a 1.2 s run has a few of them. */
  g_assert_cmpuint (count_of_type (&received, "stats"), >=, 3);
  {
    double previous = 0;

    for (guint i = 0; i < received.messages->len; i++)
      if (g_str_equal (type_at (&received, i), "stats"))
        {
          double elapsed = json_object_get_double_member (message_at (&received, i), "elapsed");

          g_assert_cmpfloat (elapsed - previous, >=, 0.24);
          previous = elapsed;
        }
  }
  stats = last_of_type (&received, "stats");
  g_assert_true (json_object_has_member (stats, "rps"));
  g_assert_true (json_object_has_member (json_object_get_object_member (stats, "latency"), "p50"));
  g_assert_cmpstr (type_at (&received, received.messages->len - 1), ==, "done");

  server_stop (&server);
  received_clear (&received);
}

static void
test_load_refused (void)
{
  g_autoptr(TroupeWorkerPool) pool = troupe_worker_pool_new (troupe_worker_registry_new (), 2);
  Received received;
  TroupeWorker *worker;
  JsonObject *done;
  JsonObject *errors;

  received_init (&received);
  worker = start (pool, "http-load", &received,
                  "{\"url\": \"http://127.0.0.1:%u/\", \"connections\": 2, \"duration\": 0.5}",
                  closed_port ());
  run_to_end (worker);

  done = last_of_type (&received, "done");
  errors = json_object_get_object_member (done, "errors");
  g_assert_cmpint (json_object_get_int_member (done, "requests"), ==, 0);
  g_assert_cmpint (member_or_zero (errors, "refused"), >, 0);
  received_clear (&received);
}

static void
test_load_bad_data (void)
{
  g_autoptr(TroupeWorkerPool) pool = troupe_worker_pool_new (troupe_worker_registry_new (), 2);
  Received received;
  TroupeWorker *worker;

  received_init (&received);
  worker = start (pool, "http-load", &received, "{\"url\": \"https://example.org/\"}");
  troupe_test_wait_until (worker_has_ended, worker, "for the worker to end");
  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_FAILED);
  g_assert_nonnull (strstr (troupe_worker_get_error_message (worker), "https://"));
  received_clear (&received);
}

static gboolean
has_stats (gpointer user_data)
{
  return count_of_type (user_data, "stats") > 0;
}

static void
test_load_cancel (void)
{
  g_autoptr(TroupeWorkerPool) pool = troupe_worker_pool_new (troupe_worker_registry_new (), 2);
  Received received;
  Server server;
  TroupeWorker *worker;

  server_start (&server);
  received_init (&received);
  worker = start (pool, "http-load", &received,
                  "{\"url\": \"http://127.0.0.1:%u/\", \"connections\": 4, \"duration\": 600}",
                  server.port);
  troupe_test_wait_until (has_stats, &received, "for the first stats");
  troupe_worker_terminate (worker, 2000);
  troupe_test_wait_until (worker_has_ended, worker, "for the worker to end");
  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_TERMINATED);
  g_assert_true (json_object_get_boolean_member (last_of_type (&received, "done"), "cancelled"));

  server_stop (&server);
  received_clear (&received);
}

/* --- probe -------------------------------------------------------------- */

typedef struct
{
  Received   *received;
  const char *type;
  guint       count;
} TypeWait;

static gboolean
has_n_of_type (gpointer user_data)
{
  TypeWait *wait = user_data;

  return count_of_type (wait->received, wait->type) >= wait->count;
}

static void
wait_type (Received   *received,
           const char *type,
           guint       count)
{
  TypeWait wait = { received, type, count };

  troupe_test_wait_until (has_n_of_type, &wait, type);
}

static GSocketListener *
listen_on (guint16 port)
{
  GSocketListener *listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;

  g_socket_listener_add_inet_port (listener, port, NULL, &error);
  g_assert_no_error (error);
  return listener;
}

static void
test_probe_up_down (void)
{
  g_autoptr(TroupeWorkerPool) pool = troupe_worker_pool_new (troupe_worker_registry_new (), 2);
  guint16 port = closed_port ();
  g_autoptr(GSocketListener) listener = NULL;
  Received received;
  TroupeWorker *worker;
  JsonObject *down;

  received_init (&received);
  worker = start (pool, "probe", &received,
                  "{\"address\": \"127.0.0.1:%u\", \"mode\": \"tcp\", \"interval\": 50, "
                  "\"timeout\": 500}", port);
  wait_type (&received, "down", 1);
  down = last_of_type (&received, "down");
  g_assert_nonnull (strstr (json_object_get_string_member (down, "reason"), "refused"));

  listener = listen_on (port);
  wait_type (&received, "up", 1);
  g_assert_cmpfloat (json_object_get_double_member (last_of_type (&received, "up"), "latency"),
                     >=, 0);
  g_socket_listener_close (listener);
  g_clear_object (&listener);
  wait_type (&received, "down", 2);
  listener = listen_on (port);
  wait_type (&received, "up", 2);

  /* Transitions only: down, up, down, up, however many checks ran. */
  g_assert_cmpuint (received.messages->len, ==, 4);
  g_assert_cmpstr (type_at (&received, 0), ==, "down");
  g_assert_cmpstr (type_at (&received, 3), ==, "up");

  /* Terminating ends the wait between checks at once. */
  troupe_worker_terminate (worker, 2000);
  troupe_test_wait_until (worker_has_ended, worker, "for the probe to end");
  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_TERMINATED);
  g_socket_listener_close (listener);
  received_clear (&received);
}

static void
test_probe_http_count (void)
{
  g_autoptr(TroupeWorkerPool) pool = troupe_worker_pool_new (troupe_worker_registry_new (), 2);
  Received received;
  Server server;
  TroupeWorker *worker;
  JsonObject *done;

  server_start (&server);
  received_init (&received);
  worker = start (pool, "probe", &received,
                  "{\"url\": \"http://127.0.0.1:%u/health\", \"interval\": 10, \"count\": 5, "
                  "\"verbose\": true}", server.port);
  run_to_end (worker);
  g_assert_cmpstr (type_at (&received, 0), ==, "up");
  g_assert_cmpuint (count_of_type (&received, "check"), ==, 4);
  done = last_of_type (&received, "done");
  g_assert_cmpint (json_object_get_int_member (done, "up"), ==, 5);
  g_assert_cmpint (g_atomic_int_get (&server.requests), ==, 5);
  server_stop (&server);
  received_clear (&received);
}

/* --- log search --------------------------------------------------------- */

#define BLOCK_BYTES (64 * 1024)
#define LINE_BYTES  64
#define BLOCK_LINES (BLOCK_BYTES / LINE_BYTES)
#define N_BLOCKS    (16 * 1024)  /* 1 GiB */

static const struct { guint block; guint line; } planted[] = {
  { 0, 0 }, { 1, 1023 }, { 4096, 17 }, { 8191, 512 }, { 12000, 3 }, { N_BLOCKS - 1, 1023 },
};

/* The folder for a 1 GiB file: memory-backed when there is one, so the test
 * does not wait for a disk. */
static char *
make_big_folder (void)
{
  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
    {
      g_autofree char *path = g_build_filename ("/dev/shm", "troupe-test-XXXXXX", NULL);

      if (g_mkdtemp (path) != NULL)
        return g_steal_pointer (&path);
    }
  return troupe_test_make_folder ("log-search");
}

static char *
write_big_spool (const char *folder)
{
  char *path = g_build_filename (folder, "big.log", NULL);
  g_autofree char *block = g_malloc (BLOCK_BYTES);
  g_autofree char *marked = g_malloc (BLOCK_BYTES);
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  g_assert_cmpint (fd, >=, 0);
  for (guint line = 0; line < BLOCK_LINES; line++)
    {
      g_snprintf (block + line * LINE_BYTES, LINE_BYTES + 1,
                  "%-63s", "GET /index.html 200 0.3ms an ordinary line of the log");
      block[line * LINE_BYTES + LINE_BYTES - 1] = '\n';
    }
  for (guint b = 0; b < N_BLOCKS; b++)
    {
      const char *data = block;

      for (guint p = 0; p < G_N_ELEMENTS (planted); p++)
        if (planted[p].block == b)
          {
            char line[LINE_BYTES + 1];

            if (data == block)
              memcpy (marked, block, BLOCK_BYTES);
            g_snprintf (line, sizeof line, "%-63s", "");
            g_snprintf (line, sizeof line, "panic: MARKER-%u at the planted place", p);
            memset (line + strlen (line), ' ', LINE_BYTES - 1 - strlen (line));
            line[LINE_BYTES - 1] = '\n';
            memcpy (marked + planted[p].line * LINE_BYTES, line, LINE_BYTES);
            data = marked;
          }
      g_assert_cmpint (write (fd, data, BLOCK_BYTES), ==, BLOCK_BYTES);
    }
  g_assert_cmpint (close (fd), ==, 0);
  return path;
}

static void
test_log_search_big (void)
{
  g_autoptr(TroupeWorkerPool) pool = troupe_worker_pool_new (troupe_worker_registry_new (), 2);
  g_autofree char *folder = make_big_folder ();
  g_autofree char *path = write_big_spool (folder);
  Received received;
  Received cancelled;
  TroupeWorker *worker;
  JsonObject *done;
  guint found = 0;

  received_init (&received);
  worker = start (pool, "log-search", &received,
                  "{\"path\": \"%s\", \"pattern\": \"^panic: MARKER-(\\\\d+)\"}", path);
  run_to_end (worker);

  for (guint i = 0; i < received.messages->len; i++)
    if (g_str_equal (type_at (&received, i), "matches"))
      {
        JsonArray *lines = json_object_get_array_member (message_at (&received, i), "lines");

        for (guint l = 0; l < json_array_get_length (lines); l++)
          {
            JsonArray *match = json_array_get_array_element (lines, l);
            g_autofree char *expected = g_strdup_printf ("panic: MARKER-%u at", found);

            g_assert_cmpuint (found, <, G_N_ELEMENTS (planted));
            g_assert_cmpint (json_array_get_int_element (match, 0), ==,
                             (gint64) planted[found].block * BLOCK_LINES + planted[found].line + 1);
            g_assert_true (g_str_has_prefix (json_array_get_string_element (match, 1), expected));
            found++;
          }
      }
  g_assert_cmpuint (found, ==, G_N_ELEMENTS (planted));
  done = last_of_type (&received, "done");
  g_assert_cmpint (json_object_get_int_member (done, "matches"), ==, G_N_ELEMENTS (planted));
  g_assert_cmpint (json_object_get_int_member (done, "lines"), ==, (gint64) N_BLOCKS * BLOCK_LINES);
  g_assert_cmpint (json_object_get_int_member (done, "bytes"), ==, (gint64) N_BLOCKS * BLOCK_BYTES);

  /* max_matches stops early. */
  g_ptr_array_set_size (received.messages, 0);
  worker = start (pool, "log-search", &received,
                  "{\"path\": \"%s\", \"pattern\": \"marker\", \"ignore_case\": true, "
                  "\"max_matches\": 2}", path);
  run_to_end (worker);
  done = last_of_type (&received, "done");
  g_assert_cmpint (json_object_get_int_member (done, "matches"), ==, 2);
  g_assert_true (json_object_get_boolean_member (done, "truncated"));

  /* Terminated mid-file, it stops within a block. */
  received_init (&cancelled);
  worker = start (pool, "log-search", &cancelled, "{\"path\": \"%s\", \"pattern\": \"nowhere\"}",
                  path);
  troupe_worker_terminate (worker, 2000);
  troupe_test_wait_until (worker_has_ended, worker, "for the search to stop");
  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_TERMINATED);
  g_assert_null (last_of_type (&cancelled, "done"));

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (folder), ==, 0);
  received_clear (&received);
  received_clear (&cancelled);
}

static void
test_log_search_bad_regex (void)
{
  g_autoptr(TroupeWorkerPool) pool = troupe_worker_pool_new (troupe_worker_registry_new (), 2);
  g_autoptr(GError) regex_error = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("error(", 0, 0, &regex_error);
  Received received;
  TroupeWorker *worker;

  g_assert_null (regex);
  received_init (&received);
  worker = start (pool, "log-search", &received,
                  "{\"path\": \"/nonexistent\", \"pattern\": \"error(\"}");
  troupe_test_wait_until (worker_has_ended, worker, "for the search to fail");
  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_FAILED);
  g_assert_cmpstr (troupe_worker_get_error_message (worker), ==, regex_error->message);

  worker = start (pool, "log-search", &received,
                  "{\"path\": \"/nonexistent/spool\", \"pattern\": \"x\"}");
  troupe_test_wait_until (worker_has_ended, worker, "for the search to fail");
  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_FAILED);
  g_assert_nonnull (strstr (troupe_worker_get_error_message (worker), "/nonexistent/spool"));
  received_clear (&received);
}

static gboolean
search_is_finished (gpointer search)
{
  return troupe_log_search_is_finished (search);
}

/* A log searched on the main thread and by the worker: the same lines. */
static void
test_log_search_agrees (void)
{
  g_autoptr(TroupeWorkerPool) pool = troupe_worker_pool_new (troupe_worker_registry_new (), 2);
  g_autofree char *folder = troupe_test_make_folder ("log-search");
  g_autoptr(TroupeSpoolDir) spool_dir = troupe_spool_dir_new (folder);
  g_autoptr(TroupeLog) log = troupe_log_new (spool_dir, "agrees");
  g_autoptr(TroupeLogSearch) search = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *pattern = NULL;
  Received received;
  TroupeWorker *worker;
  guint found = 0;

  for (guint i = 0; i < 5000; i++)
    {
      g_string_set_size (text, 0);
      g_string_append_printf (text, "line %u %s\r\n", i,
                              i % 7 == 0 ? "Needle.Found" : i % 11 == 0 ? "needle?found" : "hay");
      troupe_log_append (log, i % 3 == 0 ? TROUPE_STREAM_STDERR : TROUPE_STREAM_STDOUT,
                         (const guint8 *) text->str, text->len, 0);
    }
  troupe_log_append (log, TROUPE_STREAM_STDOUT, (const guint8 *) "\xff\xfe NEEDLE.FOUND", 15, 0);
  troupe_log_end_stream (log, TROUPE_STREAM_STDOUT, 0);
  troupe_log_end_stream (log, TROUPE_STREAM_STDERR, 0);
  troupe_log_wait_saved (log);

  search = troupe_log_search_new (log, "needle.found");
  troupe_test_wait_until (search_is_finished, search, "for the main-thread search");
  g_assert_cmpuint (troupe_log_search_get_n_matches (search), >, 700);

  received_init (&received);
  {
    g_autofree char *escaped = g_regex_escape_string ("needle.found", -1);

    pattern = g_strescape (escaped, NULL);  /* and once more for JSON */
  }
  worker = start (pool, "log-search", &received,
                  "{\"path\": \"%s\", \"pattern\": \"%s\", \"ignore_case\": true}",
                  troupe_log_get_spool_path (log), pattern);
  run_to_end (worker);
  for (guint i = 0; i < received.messages->len; i++)
    if (g_str_equal (type_at (&received, i), "matches"))
      {
        JsonArray *lines = json_object_get_array_member (message_at (&received, i), "lines");

        for (guint l = 0; l < json_array_get_length (lines); l++)
          {
            gint64 number = json_array_get_int_element (json_array_get_array_element (lines, l), 0);

            g_assert_cmpuint (found, <, troupe_log_search_get_n_matches (search));
            g_assert_cmpint (number - 1, ==, troupe_log_search_get_match (search, found));
            found++;
          }
      }
  g_assert_cmpuint (found, ==, troupe_log_search_get_n_matches (search));
  received_clear (&received);
}

static void
on_workers_changed (GListModel *workers,
                    guint       position,
                    guint       removed,
                    guint       added,
                    guint      *started)
{
  *started += added;
}

/* A log too big for the main thread: the view's search hands it to a worker,
 * and finds the same lines, including those that come while it searches. */
static void
test_log_search_with_pool (void)
{
  g_autoptr(TroupeWorkerPool) pool = troupe_worker_pool_new (troupe_worker_registry_new (), 1);
  g_autofree char *folder = troupe_test_make_folder ("log-search");
  g_autoptr(TroupeSpoolDir) spool_dir = troupe_spool_dir_new (folder);
  g_autoptr(TroupeLog) log = troupe_log_new (spool_dir, "big");
  g_autoptr(TroupeLogSearch) on_main = NULL;
  g_autoptr(TroupeLogSearch) on_worker = NULL;
  g_autoptr(GString) chunk = g_string_new (NULL);
  guint started = 0;
  guint line = 0;

  g_signal_connect (troupe_worker_pool_get_workers (pool), "items-changed",
                    G_CALLBACK (on_workers_changed), &started);
  while (troupe_log_get_n_bytes (log, TROUPE_LINES_ALL) < TROUPE_LOG_SEARCH_WORKER_BYTES + 4096)
    {
      g_string_set_size (chunk, 0);
      for (guint i = 0; i < 1000; i++, line++)
        g_string_append_printf (chunk, "%08u %s padding padding padding padding\n", line,
                                line % 4999 == 0 ? "Found It" : "nothing");
      troupe_log_append (log, TROUPE_STREAM_STDOUT, (const guint8 *) chunk->str, chunk->len, 0);
    }

  on_worker = troupe_log_search_new_with_pool (log, "found it", pool);
  g_assert_cmpuint (started, ==, 1);
  /* More lines while the worker reads: searched once it is done. */
  troupe_log_append (log, TROUPE_STREAM_STDOUT, (const guint8 *) "late FOUND IT\n", 14, 0);
  troupe_test_wait_until (search_is_finished, on_worker, "for the worker's search");

  on_main = troupe_log_search_new (log, "found it");
  troupe_test_wait_until (search_is_finished, on_main, "for the main-thread search");
  g_assert_cmpuint (troupe_log_search_get_n_matches (on_main), >, 50);
  g_assert_cmpuint (troupe_log_search_get_n_matches (on_worker), ==,
                    troupe_log_search_get_n_matches (on_main));
  for (guint i = 0; i < troupe_log_search_get_n_matches (on_main); i++)
    g_assert_cmpuint (troupe_log_search_get_match (on_worker, i), ==,
                      troupe_log_search_get_match (on_main, i));
  g_assert_cmpuint (troupe_log_search_get_match (on_worker,
                                                 troupe_log_search_get_n_matches (on_worker) - 1),
                    ==, line);
  /* The search's worker does not stay in the pool's list. */
  g_assert_cmpuint (g_list_model_get_n_items (troupe_worker_pool_get_workers (pool)), ==, 0);
  g_signal_handlers_disconnect_by_data (troupe_worker_pool_get_workers (pool), &started);
}

/* --- the cluster's readiness gate -------------------------------------- */

static TroupeCluster *
new_cluster (void)
{
  const char *argv[] = { LISTEN_FDS_MEMBER_PATH, NULL };
  g_autoptr(TroupeCommand) command = troupe_command_new_argv (argv);
  g_autoptr(TroupeSpoolDir) spool_dir = troupe_spool_dir_new_default ();
  TroupeCluster *cluster;

  troupe_command_set_stop_timeout (command, 2000);
  cluster = troupe_cluster_new (command, troupe_launcher_get_default (), spool_dir);
  troupe_cluster_set_listen (cluster, "127.0.0.1", 0);
  troupe_cluster_set_grace_ms (cluster, 50);
  return cluster;
}

static TroupeClusterMember *
first_member (TroupeCluster *cluster)
{
  g_autoptr(TroupeClusterMember) member =
    g_list_model_get_item (troupe_cluster_get_members (cluster), 0);

  return member;  /* the cluster keeps it */
}

static gboolean
first_listening (gpointer cluster)
{
  return troupe_cluster_member_get_state (first_member (cluster)) == TROUPE_MEMBER_LISTENING;
}

static gboolean
not_reloading (gpointer cluster)
{
  return !troupe_cluster_is_reloading (cluster);
}

static gboolean
is_stopped (gpointer cluster)
{
  return !troupe_cluster_is_alive (cluster);
}

static gboolean
time_passed (gpointer until)
{
  return g_get_monotonic_time () >= *(gint64 *) until;
}

static void
let_time_pass (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  troupe_test_wait_until (time_passed, &until, "for time to pass");
}

static GPid
first_pid (TroupeCluster *cluster)
{
  return troupe_process_get_pid (troupe_cluster_member_get_process (first_member (cluster)));
}

static void
test_cluster_ready_probe (void)
{
  g_autoptr(TroupeCluster) cluster = new_cluster ();
  g_autoptr(GError) error = NULL;
  g_autofree char *probe = NULL;
  guint16 port = closed_port ();
  Server server;
  GPid old_pid;

  g_assert_false (troupe_cluster_check_ready_probe ("{\"mode\": \"udp\"}", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (troupe_cluster_check_ready_probe ("{", &error));
  g_clear_error (&error);

  /* The probe here asks a health server of the test's, so the test decides
   * when it passes. */
  probe = g_strdup_printf ("{\"url\": \"http://127.0.0.1:%u/ready\", \"interval\": 50, "
                           "\"timeout\": 500}", port);
  g_assert_true (troupe_cluster_check_ready_probe (probe, NULL));
  troupe_cluster_set_ready_probe (cluster, probe);
  g_assert_true (troupe_cluster_start (cluster, 1, NULL));

  /* Well past the grace time, the member is not ready while the probe fails. */
  let_time_pass (600);
  g_assert_cmpint (troupe_cluster_member_get_state (first_member (cluster)), !=,
                   TROUPE_MEMBER_LISTENING);
  server_start_on (&server, port);
  troupe_test_wait_until (first_listening, cluster, "for the probe to pass");
  g_assert_cmpint (g_atomic_int_get (&server.requests), >=, 1);

  /* A reload waits for the probe too: the old run serves on meanwhile. */
  server_stop (&server);
  old_pid = first_pid (cluster);
  troupe_cluster_reload (cluster);
  let_time_pass (600);
  g_assert_true (troupe_cluster_is_reloading (cluster));
  g_assert_cmpint (first_pid (cluster), ==, old_pid);
  server_start_on (&server, port);
  troupe_test_wait_until (not_reloading, cluster, "for the reload to finish");
  g_assert_cmpint (first_pid (cluster), !=, old_pid);
  g_assert_cmpint (troupe_cluster_member_get_state (first_member (cluster)), ==,
                   TROUPE_MEMBER_LISTENING);
  server_stop (&server);

  troupe_cluster_stop (cluster);
  troupe_test_wait_until (is_stopped, cluster, "for the cluster to stop");
}

/* Aimed at the cluster itself when the probe names no address. */
static void
test_cluster_ready_probe_aimed (void)
{
  g_autoptr(TroupeCluster) cluster = new_cluster ();

  troupe_cluster_set_ready_probe (cluster, "{\"mode\": \"tcp\", \"interval\": 50}");
  g_assert_cmpstr (troupe_cluster_get_ready_probe (cluster), ==,
                   "{\"mode\": \"tcp\", \"interval\": 50}");
  g_assert_true (troupe_cluster_start (cluster, 2, NULL));
  troupe_test_wait_until (first_listening, cluster, "for the probe to pass");
  troupe_cluster_stop (cluster);
  troupe_test_wait_until (is_stopped, cluster, "for the cluster to stop");
}

static void
test_cluster_ready_probe_option (void)
{
  const char *bad[][2] = {
    { "sometimes", "--ready-probe wants tcp, http or http:PATH, not “sometimes”" },
    { "{\"mode\": \"udp\"}", "--ready-probe: The probe’s mode is “tcp” or “http”, not “udp”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      const char *argv[] = { TROUPE_PATH, "cluster", "--headless", "--ready-probe", bad[i][0],
                             "--", "true", NULL };
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *expected = g_strdup_printf ("troupe: %s\n", bad[i][1]);
      int wait_status;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                   &out, &err, &wait_status, &error));
      g_assert_no_error (error);
      g_assert_true (WIFEXITED (wait_status));
      g_assert_cmpint (WEXITSTATUS (wait_status), ==, 2);
      g_assert_true (g_str_has_prefix (err, expected));
    }
}

int
main (int   argc,
      char *argv[])
{
  troupe_test_init (&argc, &argv);

  g_test_add_func ("/troupe/worker-kinds/latency-histogram", test_latency_histogram);
  g_test_add_func ("/troupe/worker-kinds/http-load/keep-alive", test_load_keep_alive);
  g_test_add_func ("/troupe/worker-kinds/http-load/new-connection", test_load_new_connection);
  g_test_add_func ("/troupe/worker-kinds/http-load/refused", test_load_refused);
  g_test_add_func ("/troupe/worker-kinds/http-load/bad-data", test_load_bad_data);
  g_test_add_func ("/troupe/worker-kinds/http-load/cancel", test_load_cancel);
  g_test_add_func ("/troupe/worker-kinds/probe/up-down", test_probe_up_down);
  g_test_add_func ("/troupe/worker-kinds/probe/http-count", test_probe_http_count);
  g_test_add_func ("/troupe/worker-kinds/log-search/big", test_log_search_big);
  g_test_add_func ("/troupe/worker-kinds/log-search/bad-regex", test_log_search_bad_regex);
  g_test_add_func ("/troupe/worker-kinds/log-search/agrees", test_log_search_agrees);
  g_test_add_func ("/troupe/worker-kinds/log-search/with-pool", test_log_search_with_pool);

  g_test_add_func ("/troupe/worker-kinds/cluster/ready-probe", test_cluster_ready_probe);
  g_test_add_func ("/troupe/worker-kinds/cluster/ready-probe-aimed",
                   test_cluster_ready_probe_aimed);
  g_test_add_func ("/troupe/worker-kinds/cluster/ready-probe-option",
                   test_cluster_ready_probe_option);

  return troupe_test_run_all ();
}
