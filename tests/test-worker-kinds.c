/* test-worker-kinds.c: the HTTP load and probe workers, on real sockets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "troupe-http-client.h"
#include "troupe-latency-histogram.h"
#include "troupe-test-util.h"
#include "troupe-worker-test-util.h"

/* --- HTTP load ---------------------------------------------------------- */

/* Feeds @response in pieces of @step bytes; returns the result and what was left over. */
static TroupeHttpParseResult
parse_in_steps (TroupeHttpParser *parser,
                const char       *response,
                gsize             step,
                gsize            *left_over)
{
  gsize length = strlen (response);
  gsize at = 0;

  *left_over = 0;
  while (at < length)
    {
      gsize consumed;
      gsize piece = MIN (step, length - at);
      TroupeHttpParseResult result = troupe_http_parser_feed (parser,
                                                              (const guint8 *) response + at,
                                                              piece, &consumed);

      at += consumed;
      if (result != TROUPE_HTTP_PARSE_MORE)
        {
          *left_over = length - at;
          return result;
        }
    }
  return TROUPE_HTTP_PARSE_MORE;
}

static void
test_http_parser (void)
{
  static const struct
  {
    const char *response;
    gboolean    head;
    int         status;
    guint64     body;
    gboolean    keep_alive;
    gsize       left_over;
  } cases[] = {
    { "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1", FALSE, 200, 5, TRUE, 8 },
    { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;x=y\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nTrailer: 1\r\n\r\n",
      FALSE, 200, 31, TRUE, 0 },
    { "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n",
      FALSE, 204, 0, FALSE, 0 },
    { "HTTP/1.0 200 OK\r\nContent-Length: 1000\r\n\r\n", TRUE, 200, 0, FALSE, 0 },
    { "HTTP/1.1 404 Not Found\nContent-Length: 0\n\n", FALSE, 404, 0, TRUE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (gsize step = 1; step <= 64; step *= 4)
      {
        TroupeHttpParser parser;
        gsize left_over;

        troupe_http_parser_init (&parser, cases[i].head);
        g_assert_cmpint (parse_in_steps (&parser, cases[i].response, step, &left_over), ==,
                         TROUPE_HTTP_PARSE_DONE);
        g_assert_cmpint (parser.status, ==, cases[i].status);
        g_assert_cmpuint (parser.body_length, ==, cases[i].body);
        g_assert_cmpint (parser.keep_alive, ==, cases[i].keep_alive);
        g_assert_cmpuint (left_over, ==, cases[i].left_over);
        troupe_http_parser_clear (&parser);
      }

  {
    /* A body that runs to the close; a reply that is not HTTP. */
    TroupeHttpParser parser;
    gsize left_over;

    troupe_http_parser_init (&parser, FALSE);
    g_assert_cmpint (parse_in_steps (&parser, "HTTP/1.1 200 OK\r\n\r\nsome body", 3,
                                     &left_over), ==, TROUPE_HTTP_PARSE_MORE);
    g_assert_cmpint (troupe_http_parser_finish (&parser), ==, TROUPE_HTTP_PARSE_DONE);
    g_assert_cmpuint (parser.body_length, ==, 9);
    g_assert_false (parser.keep_alive);
    troupe_http_parser_reset (&parser);
    g_assert_cmpint (parse_in_steps (&parser, "SSH-2.0-OpenSSH_9.2\r\n", 64, &left_over), ==,
                     TROUPE_HTTP_PARSE_ERROR);
    troupe_http_parser_reset (&parser);
    g_assert_cmpint (parse_in_steps (&parser, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhe",
                                     64, &left_over), ==, TROUPE_HTTP_PARSE_MORE);
    g_assert_cmpint (troupe_http_parser_finish (&parser), ==, TROUPE_HTTP_PARSE_ERROR);
    troupe_http_parser_clear (&parser);
  }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TroupeHttpUrl) url = troupe_http_url_parse ("http://[::1]:8080/a?b=c#d", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (url->host, ==, "::1");
    g_assert_cmpuint (url->port, ==, 8080);
    g_assert_cmpstr (url->path, ==, "/a?b=c");
    g_assert_cmpstr (url->host_header, ==, "[::1]:8080");
    g_assert_null (troupe_http_url_parse ("https://example.org/", &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
    g_clear_error (&error);
    g_assert_null (troupe_http_url_parse ("http://:80/", &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  }
}

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
check_counts (JsonObject       *done,
              TroupeTestServer *server,
              gint64            expected)
{
  JsonObject *status = json_object_get_object_member (done, "status");
  JsonObject *errors = json_object_get_object_member (done, "errors");

  g_assert_cmpint (json_object_get_size (errors), ==, 0);
  g_assert_cmpint (json_object_get_int_member (done, "requests"), ==,
                   g_atomic_int_get (&server->requests));
  g_assert_cmpint (troupe_test_member_or_zero (status, "200"), ==,
                   g_atomic_int_get (&server->requests));
  if (expected > 0)
    g_assert_cmpint (json_object_get_int_member (done, "requests"), ==, expected);
  else
    g_assert_cmpint (json_object_get_int_member (done, "requests"), >, 0);
}

static void
test_load_keep_alive (void)
{
  g_autoptr(TroupeWorkerPool) pool = troupe_test_new_pool (2);
  TroupeTestReceived received;
  TroupeTestServer server;
  TroupeWorker *worker;
  JsonObject *done;

  troupe_test_server_start (&server);
  troupe_test_received_init (&received);
  worker = troupe_test_start_worker (pool, "http-load", &received,
                                     "{\"url\": \"http://127.0.0.1:%u/hello?x=1\", "
                                     "\"connections\": 8, "
                                     "\"requests\": 3001, \"keep_alive\": true, \"threads\": "
                                     "2}", server.port);
  troupe_test_run_to_end (worker);

  done = troupe_test_last_of_type (&received, "done");
  g_assert_nonnull (done);
  check_counts (done, &server, 3001);
  /* Kept alive: a connection carries many requests. */
  g_assert_cmpint (g_atomic_int_get (&server.connections), <=, 8);
  g_assert_cmpfloat (json_object_get_double_member (done, "rps"), >, 0);
  g_assert_true (json_object_has_member (json_object_get_object_member (done, "latency"), "p99"));

  troupe_test_server_stop (&server);
  troupe_test_received_clear (&received);
}

/* A name with addresses the server does not listen on: the one it does is found. */
static void
test_load_localhost (void)
{
  g_autoptr(TroupeWorkerPool) pool = troupe_test_new_pool (2);
  TroupeTestReceived received;
  TroupeTestServer server;
  TroupeWorker *worker;

  troupe_test_server_start_on (&server, troupe_test_closed_port ());  /* 127.0.0.1 only */
  troupe_test_received_init (&received);
  worker = troupe_test_start_worker (pool, "http-load", &received,
                                     "{\"url\": \"http://localhost:%u/\", \"connections\": 2, "
                                     "\"requests\": 3, "
                                     "\"threads\": 4}",
                                     server.port);
  troupe_test_run_to_end (worker);
  /* (more threads than connections or requests: as many as there is work for) */
  check_counts (troupe_test_last_of_type (&received, "done"), &server, 3);
  troupe_test_server_stop (&server);
  troupe_test_received_clear (&received);
}

static void
test_load_new_connection (void)
{
  g_autoptr(TroupeWorkerPool) pool = troupe_test_new_pool (2);
  TroupeTestReceived received;
  TroupeTestServer server;
  TroupeWorker *worker;
  JsonObject *done;
  JsonObject *stats;
  gint64 requests;

  troupe_test_server_start (&server);
  troupe_test_received_init (&received);
  worker = troupe_test_start_worker (pool, "http-load", &received,
                                     "{\"url\": \"http://localhost:%u/\", \"connections\": 4, "
                                     "\"duration\": 1.2, "
                                     "\"keep_alive\": false, \"method\": \"GET\"}", server.port);
  troupe_test_run_to_end (worker);

  done = troupe_test_last_of_type (&received, "done");
  g_assert_nonnull (done);
  check_counts (done, &server, 0);
  /* One connection per request… */
  requests = json_object_get_int_member (done, "requests");
  /* (and perhaps a few more, still connecting when the time was up) */
  g_assert_cmpint (g_atomic_int_get (&server.connections), >=, requests);
  g_assert_cmpint (g_atomic_int_get (&server.connections), <=, requests + 4);

  /* Stats every 250 ms: never sooner, and a 1.2 s run has a few of them. */
  g_assert_cmpuint (troupe_test_count_of_type (&received, "stats"), >=, 3);
  {
    guint beat = 0;

    /* The n-th stats message comes at n × 250 ms, or a little after. */
    for (guint i = 0; i < received.messages->len; i++)
      if (g_str_equal (troupe_test_type_at (&received, i), "stats"))
        {
          JsonObject *message = troupe_test_message_at (&received, i);

          beat++;
          g_assert_cmpfloat (json_object_get_double_member (message, "elapsed"), >=,
                             beat * 0.25 - 0.001);
        }
  }
  stats = troupe_test_last_of_type (&received, "stats");
  g_assert_true (json_object_has_member (stats, "rps"));
  g_assert_true (json_object_has_member (json_object_get_object_member (stats, "latency"), "p50"));
  g_assert_cmpstr (troupe_test_type_at (&received, received.messages->len - 1), ==, "done");

  troupe_test_server_stop (&server);
  troupe_test_received_clear (&received);
}

static void
test_load_refused (void)
{
  g_autoptr(TroupeWorkerPool) pool = troupe_test_new_pool (2);
  TroupeTestReceived received;
  TroupeWorker *worker;
  JsonObject *done;
  JsonObject *errors;

  troupe_test_received_init (&received);
  worker = troupe_test_start_worker (pool, "http-load", &received,
                                     "{\"url\": \"http://127.0.0.1:%u/\", \"connections\": 2, "
                                     "\"duration\": 0.5}",
                                     troupe_test_closed_port ());
  troupe_test_run_to_end (worker);

  done = troupe_test_last_of_type (&received, "done");
  errors = json_object_get_object_member (done, "errors");
  g_assert_cmpint (json_object_get_int_member (done, "requests"), ==, 0);
  g_assert_cmpint (troupe_test_member_or_zero (errors, "refused"), >, 0);
  troupe_test_received_clear (&received);
}

static void
test_load_bad_data (void)
{
  g_autoptr(TroupeWorkerPool) pool = troupe_test_new_pool (2);
  TroupeTestReceived received;
  TroupeWorker *worker;

  troupe_test_received_init (&received);
  worker = troupe_test_start_worker (pool, "http-load", &received,
                                     "{\"url\": \"https://example.org/\"}");
  troupe_test_wait_until (troupe_test_worker_has_ended, worker, "for the worker to end");
  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_FAILED);
  g_assert_nonnull (strstr (troupe_worker_get_error_message (worker), "https://"));
  troupe_test_received_clear (&received);
}

static gboolean
has_stats (gpointer user_data)
{
  return troupe_test_count_of_type (user_data, "stats") > 0;
}

static void
test_load_cancel (void)
{
  g_autoptr(TroupeWorkerPool) pool = troupe_test_new_pool (2);
  TroupeTestReceived received;
  TroupeTestServer server;
  TroupeWorker *worker;

  troupe_test_server_start (&server);
  troupe_test_received_init (&received);
  worker = troupe_test_start_worker (pool, "http-load", &received,
                                     "{\"url\": \"http://127.0.0.1:%u/\", \"connections\": 4, "
                                     "\"duration\": 600, "
                                     "\"threads\": 2}",
                                     server.port);
  troupe_test_wait_until (has_stats, &received, "for the first stats");
  troupe_worker_terminate (worker, 2000);
  troupe_test_wait_until (troupe_test_worker_has_ended, worker, "for the worker to end");
  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_TERMINATED);
  g_assert_true (json_object_get_boolean_member (troupe_test_last_of_type (&received, "done"),
                                                 "cancelled"));

  troupe_test_server_stop (&server);
  troupe_test_received_clear (&received);
}

/* --- probe -------------------------------------------------------------- */

typedef struct
{
  TroupeTestReceived   *received;
  const char *type;
  guint       count;
} TypeWait;

static gboolean
has_n_of_type (gpointer user_data)
{
  TypeWait *wait = user_data;

  return troupe_test_count_of_type (wait->received, wait->type) >= wait->count;
}

static void
wait_type (TroupeTestReceived *received,
           const char         *type,
           guint               count)
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
  g_autoptr(TroupeWorkerPool) pool = troupe_test_new_pool (2);
  guint16 port = troupe_test_closed_port ();
  g_autoptr(GSocketListener) listener = NULL;
  TroupeTestReceived received;
  TroupeWorker *worker;
  JsonObject *down;

  troupe_test_received_init (&received);
  worker = troupe_test_start_worker (pool, "probe", &received,
                                     "{\"address\": \"127.0.0.1:%u\", \"mode\": \"tcp\", "
                                     "\"interval\": 50, "
                                     "\"timeout\": 500}", port);
  wait_type (&received, "down", 1);
  down = troupe_test_last_of_type (&received, "down");
  g_assert_nonnull (strstr (json_object_get_string_member (down, "reason"), "refused"));

  listener = listen_on (port);
  wait_type (&received, "up", 1);
  g_assert_cmpfloat (json_object_get_double_member (troupe_test_last_of_type (&received, "up"),
                                                    "latency"), >=, 0);
  g_socket_listener_close (listener);
  g_clear_object (&listener);
  wait_type (&received, "down", 2);
  listener = listen_on (port);
  wait_type (&received, "up", 2);

  /* Transitions only: down, up, down, up, however many checks ran. */
  g_assert_cmpuint (received.messages->len, ==, 4);
  g_assert_cmpstr (troupe_test_type_at (&received, 0), ==, "down");
  g_assert_cmpstr (troupe_test_type_at (&received, 3), ==, "up");

  /* Terminating ends the wait between checks at once. */
  troupe_worker_terminate (worker, 2000);
  troupe_test_wait_until (troupe_test_worker_has_ended, worker, "for the probe to end");
  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_TERMINATED);
  g_socket_listener_close (listener);
  troupe_test_received_clear (&received);
}

static void
test_probe_http_count (void)
{
  g_autoptr(TroupeWorkerPool) pool = troupe_test_new_pool (2);
  TroupeTestReceived received;
  TroupeTestServer server;
  TroupeWorker *worker;
  JsonObject *done;

  troupe_test_server_start (&server);
  troupe_test_received_init (&received);
  worker = troupe_test_start_worker (pool, "probe", &received,
                                     "{\"url\": \"http://127.0.0.1:%u/health\", \"interval\": 10, "
                                     "\"count\": 5, "
                                     "\"verbose\": true}", server.port);
  troupe_test_run_to_end (worker);
  g_assert_cmpstr (troupe_test_type_at (&received, 0), ==, "up");
  g_assert_cmpuint (troupe_test_count_of_type (&received, "check"), ==, 4);
  done = troupe_test_last_of_type (&received, "done");
  g_assert_cmpint (json_object_get_int_member (done, "up"), ==, 5);
  g_assert_cmpint (g_atomic_int_get (&server.requests), ==, 5);
  troupe_test_server_stop (&server);
  troupe_test_received_clear (&received);
}

int
main (int   argc,
      char *argv[])
{
  troupe_test_init (&argc, &argv);

  g_test_add_func ("/troupe/worker-kinds/latency-histogram", test_latency_histogram);
  g_test_add_func ("/troupe/worker-kinds/http-parser", test_http_parser);
  g_test_add_func ("/troupe/worker-kinds/http-load/keep-alive", test_load_keep_alive);
  g_test_add_func ("/troupe/worker-kinds/http-load/localhost", test_load_localhost);
  g_test_add_func ("/troupe/worker-kinds/http-load/new-connection", test_load_new_connection);
  g_test_add_func ("/troupe/worker-kinds/http-load/refused", test_load_refused);
  g_test_add_func ("/troupe/worker-kinds/http-load/bad-data", test_load_bad_data);
  g_test_add_func ("/troupe/worker-kinds/http-load/cancel", test_load_cancel);
  g_test_add_func ("/troupe/worker-kinds/probe/up-down", test_probe_up_down);
  g_test_add_func ("/troupe/worker-kinds/probe/http-count", test_probe_http_count);

  return troupe_test_run_all ();
}
