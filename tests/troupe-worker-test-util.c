/* troupe-worker-test-util.c: what the worker kind tests share: an HTTP server, messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "troupe-test-util.h"
#include "troupe-worker-test-util.h"

/* --- a real HTTP server, counting what it is asked --------------------- */

/* Answers every request on a connection, in the three ways a server frames a
 * body: every third response is chunked, and "Connection: close" is obeyed. */
static gboolean
on_run (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source_object,
        TroupeTestServer       *server)
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

void
troupe_test_server_start_on (TroupeTestServer *server,
                             guint16           port)
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

void
troupe_test_server_start (TroupeTestServer *server)
{
  troupe_test_server_start_on (server, 0);
}

void
troupe_test_server_stop (TroupeTestServer *server)
{
  g_socket_service_stop (G_SOCKET_SERVICE (server->service));
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));
  g_clear_object (&server->service);
}

/* A port that was free a moment ago, and nothing listens on it now. */
guint16
troupe_test_closed_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

/* --- workers ------------------------------------------------------------ */

static void
on_messages (TroupeWorker       *worker,
             GPtrArray          *batch,
             TroupeTestReceived *received)
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

void
troupe_test_received_init (TroupeTestReceived *received)
{
  received->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  received->arrived = g_array_new (FALSE, FALSE, sizeof (gint64));
}

void
troupe_test_received_clear (TroupeTestReceived *received)
{
  g_clear_pointer (&received->messages, g_ptr_array_unref);
  g_clear_pointer (&received->arrived, g_array_unref);
}

JsonObject *
troupe_test_message_at (TroupeTestReceived *received,
                        guint               index)
{
  return json_node_get_object (g_ptr_array_index (received->messages, index));
}

const char *
troupe_test_type_at (TroupeTestReceived *received,
                     guint               index)
{
  return json_object_get_string_member (troupe_test_message_at (received, index), "type");
}

JsonObject *
troupe_test_last_of_type (TroupeTestReceived *received,
                          const char         *type)
{
  for (guint i = received->messages->len; i > 0; i--)
    if (g_str_equal (troupe_test_type_at (received, i - 1), type))
      return troupe_test_message_at (received, i - 1);
  return NULL;
}

guint
troupe_test_count_of_type (TroupeTestReceived *received,
                           const char         *type)
{
  guint count = 0;

  for (guint i = 0; i < received->messages->len; i++)
    count += g_str_equal (troupe_test_type_at (received, i), type);
  return count;
}

TroupeWorkerPool *
troupe_test_new_pool (guint max_threads)
{
  g_autoptr(TroupeWorkerRegistry) registry = troupe_worker_registry_new ();

  return troupe_worker_pool_new (registry, max_threads);
}

gboolean
troupe_test_worker_has_ended (gpointer worker)
{
  return troupe_worker_has_ended (worker);
}

TroupeWorker *
troupe_test_start_worker (TroupeWorkerPool   *pool,
                          const char         *kind,
                          TroupeTestReceived *received,
                          const char         *format,
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

void
troupe_test_run_to_end (TroupeWorker *worker)
{
  troupe_test_wait_until (troupe_test_worker_has_ended, worker, "for the worker to end");
  if (troupe_worker_get_state (worker) != TROUPE_WORKER_EXITED)
    g_error ("worker ended as %s: %s",
             troupe_worker_state_to_string (troupe_worker_get_state (worker)),
             troupe_worker_get_error_message (worker));
  g_assert_cmpint (troupe_worker_get_exit_code (worker), ==, 0);
}

gint64
troupe_test_member_or_zero (JsonObject *object,
                            const char *name)
{
  return json_object_get_int_member_with_default (object, name, 0);
}
