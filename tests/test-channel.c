/* test-channel.c: fork children and their JSON message channel, with real Node
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "troupe-format.h"
#include "troupe-test-util.h"

/* What a channel did, in order: "in:LINE", "internal:LINE", "error:CODE:EXCERPT",
 * "disconnected"; and, apart, what was sent. */
typedef struct
{
  TroupeProcess *process;
  TroupeChannel *channel;
  GPtrArray     *events;
  GPtrArray     *sent;
  guint          n_in;
  gboolean       disconnected;
} Recorder;

static void
on_message (TroupeChannel *channel,
            GBytes        *line,
            gboolean       internal,
            Recorder      *recorder)
{
  gsize length;
  const char *data = g_bytes_get_data (line, &length);

  g_ptr_array_add (recorder->events, g_strdup_printf ("%s:%.*s", internal ? "internal" : "in",
                                                      (int) length, data));
  if (!internal)
    recorder->n_in++;
}

static void
on_sent (TroupeChannel *channel,
         GBytes        *line,
         gboolean       internal,
         Recorder      *recorder)
{
  gsize length;
  const char *data = g_bytes_get_data (line, &length);

  g_ptr_array_add (recorder->sent, g_strdup_printf ("%s:%.*s", internal ? "internal" : "out",
                                                    (int) length, data));
}

static void
on_protocol_error (TroupeChannel *channel,
                   const GError  *error,
                   GBytes        *raw,
                   Recorder      *recorder)
{
  gsize length = 0;
  const guint8 *data = raw != NULL ? g_bytes_get_data (raw, &length) : NULL;
  g_autofree char *excerpt = troupe_format_raw_excerpt (data, length, 40);

  g_test_message ("protocol error: %s", error->message);
  g_assert_true (error->domain == TROUPE_CHANNEL_ERROR);
  g_ptr_array_add (recorder->events, g_strdup_printf ("error:%d:%s", error->code, excerpt));
}

static void
on_disconnected (TroupeChannel *channel,
                 Recorder      *recorder)
{
  g_assert_false (recorder->disconnected);
  recorder->disconnected = TRUE;
  g_ptr_array_add (recorder->events, g_strdup ("disconnected"));
}

static Recorder *
recorder_start (TroupeCommand *command)
{
  Recorder *recorder = g_new0 (Recorder, 1);

  recorder->events = g_ptr_array_new_with_free_func (g_free);
  recorder->sent = g_ptr_array_new_with_free_func (g_free);
  recorder->process = troupe_test_run (command);
  g_assert_true (troupe_process_is_running (recorder->process));
  recorder->channel = troupe_process_get_channel (recorder->process);
  g_assert_nonnull (recorder->channel);
  g_assert_true (troupe_channel_is_connected (recorder->channel));
  g_signal_connect (recorder->channel, "message", G_CALLBACK (on_message), recorder);
  g_signal_connect (recorder->channel, "sent", G_CALLBACK (on_sent), recorder);
  g_signal_connect (recorder->channel, "protocol-error", G_CALLBACK (on_protocol_error),
                    recorder);
  g_signal_connect (recorder->channel, "disconnected", G_CALLBACK (on_disconnected), recorder);
  return recorder;
}

static void
recorder_free (Recorder *recorder)
{
  if (troupe_process_is_group_alive (recorder->process))
    {
      troupe_process_kill (recorder->process, NULL);
      troupe_test_wait_ended (recorder->process);
    }
  g_signal_handlers_disconnect_by_data (recorder->channel, recorder);
  g_ptr_array_unref (recorder->events);
  g_ptr_array_unref (recorder->sent);
  g_object_unref (recorder->process);
  g_free (recorder);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recorder, recorder_free)

typedef struct
{
  Recorder *recorder;
  guint     n;
} Count;

static gboolean
have_events (gpointer data)
{
  Count *count = data;
  return count->recorder->events->len >= count->n;
}

static void
wait_events (Recorder *recorder,
             guint     n)
{
  Count count = { recorder, n };
  troupe_test_wait_until (have_events, &count, "for channel events");
}

static gboolean
is_disconnected (gpointer data)
{
  return ((Recorder *) data)->disconnected;
}

static void
wait_disconnected (Recorder *recorder)
{
  troupe_test_wait_until (is_disconnected, recorder, "for the channel to close");
}

static void
send_text (Recorder   *recorder,
           const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (troupe_channel_send_text (recorder->channel, text, -1, &error));
  g_assert_no_error (error);
}

static const char *
event (Recorder *recorder,
       guint     index)
{
  g_assert_cmpuint (index, <, recorder->events->len);
  return g_ptr_array_index (recorder->events, index);
}

static void
assert_same_json (const char *a,
                  const char *b)
{
  g_autoptr(GBytes) bytes_a = g_bytes_new (a, strlen (a));
  g_autoptr(GBytes) bytes_b = g_bytes_new (b, strlen (b));
  g_autoptr(JsonNode) tree_a = troupe_channel_parse (bytes_a);
  g_autoptr(JsonNode) tree_b = troupe_channel_parse (bytes_b);

  g_assert_nonnull (tree_a);
  g_assert_nonnull (tree_b);
  if (!json_node_equal (tree_a, tree_b))
    g_error ("not the same JSON: %.200s and %.200s", a, b);
}

static const char *
node_path (void)
{
  static char *path;

  if (path == NULL)
    path = g_find_program_in_path ("node");
  /* Node compatibility is claimed, so it is tested with Node itself. */
  g_assert_nonnull (path);
  return path;
}

static TroupeCommand *
fork_command (const char *program,
              const char *argument)
{
  const char *argv[] = { program, argument, NULL };
  TroupeCommand *command = troupe_command_new_argv (argv);

  troupe_command_set_channel_fd (command, 3);
  return command;
}

static TroupeCommand *
node_child (const char *script)
{
  g_autofree char *path = g_build_filename (TEST_CHILDREN_DIR, script, NULL);
  return fork_command (node_path (), path);
}

static void
assert_exits_cleanly (Recorder *recorder)
{
  troupe_test_wait_ended (recorder->process);
  g_assert_cmpint (troupe_process_get_state (recorder->process), ==,
                   TROUPE_PROCESS_STATE_EXITED);
  g_assert_cmpint (troupe_process_get_exit_code (recorder->process), ==, 0);
}

static void
test_node_hello (void)
{
  g_autoptr(TroupeCommand) command = node_child ("hello.js");
  g_autoptr(Recorder) recorder = recorder_start (command);

  send_text (recorder, "\"Hello\"");
  wait_events (recorder, 1);
  g_assert_cmpstr (event (recorder, 0), ==, "in:\"Hello to you too :)\"");
  g_assert_cmpuint (troupe_channel_get_n_received (recorder->channel), ==, 1);
  g_assert_cmpuint (troupe_channel_get_n_sent (recorder->channel), ==, 1);

  /* The end of the channel is the end of a child that only listens to it. */
  troupe_channel_disconnect (recorder->channel);
  assert_exits_cleanly (recorder);
  wait_disconnected (recorder);
}

/* Echoed messages must come back as sent, in order: checked as they arrive. */
typedef struct
{
  guint    expected;
  gboolean wrong;
} EchoCheck;

static void
on_echo (TroupeChannel *channel,
         GBytes        *line,
         gboolean       internal,
         EchoCheck     *check)
{
  g_autofree char *expected = g_strdup_printf ("{\"n\":%u}", check->expected);
  gsize length;
  const char *data = g_bytes_get_data (line, &length);

  if (length != strlen (expected) || memcmp (data, expected, length) != 0)
    {
      g_test_message ("message %u came back as %.*s", check->expected, (int) length, data);
      check->wrong = TRUE;
    }
  check->expected++;
}

static gboolean
echoes_done (gpointer data)
{
  Recorder *recorder = data;
  return recorder->n_in >= 100000;
}

static void
test_node_many_each_way (void)
{
  /* 100,000 messages to the child and 100,000 back: none lost, none doubled,
   * none out of order. */
  g_autoptr(TroupeCommand) command = node_child ("echo.js");
  g_autoptr(Recorder) recorder = recorder_start (command);
  EchoCheck check = { 0 };

  g_signal_connect (recorder->channel, "message", G_CALLBACK (on_echo), &check);
  for (guint i = 0; i < 100000; i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"n\": %u}", i);
      send_text (recorder, text);
    }
  /* Sent in one burst: nothing has gone out yet, and nothing has blocked. */
  g_assert_cmpuint (troupe_channel_get_queued_bytes (recorder->channel), >, 0);
  troupe_test_wait_until (echoes_done, recorder, "for 100,000 echoes");
  g_signal_handlers_disconnect_by_data (recorder->channel, &check);
  g_assert_false (check.wrong);
  g_assert_cmpuint (check.expected, ==, 100000);
  g_assert_cmpuint (troupe_channel_get_queued_bytes (recorder->channel), ==, 0);

  troupe_channel_disconnect (recorder->channel);
  assert_exits_cleanly (recorder);
}

/* A "message" handler that runs a main loop of its own, as a modal wait might. */
typedef struct
{
  guint    n_seen;
  gboolean in_handler;
  guint    n_during_handler;
} NestedLoop;

static void
on_message_runs_loop (TroupeChannel *channel,
                      GBytes        *line,
                      gboolean       internal,
                      NestedLoop    *nested)
{
  if (nested->in_handler)
    nested->n_during_handler++;
  if (nested->n_seen++ > 0)
    return;

  nested->in_handler = TRUE;
  for (guint i = 0; i < 50; i++)
    {
      g_usleep (1000);
      g_main_context_iteration (NULL, FALSE);
    }
  nested->in_handler = FALSE;
}

static gboolean
nested_echoes_done (gpointer data)
{
  Recorder *recorder = data;
  return recorder->n_in >= 1000;
}

static void
test_nested_main_loop (void)
{
  /* While the handler of the first echo spins the main loop, the other echoes
   * wait: none is passed on beneath it, and afterwards all come, in order. */
  g_autoptr(TroupeCommand) command = node_child ("echo.js");
  g_autoptr(Recorder) recorder = recorder_start (command);
  EchoCheck check = { 0 };
  NestedLoop nested = { 0 };

  g_signal_connect (recorder->channel, "message", G_CALLBACK (on_echo), &check);
  g_signal_connect (recorder->channel, "message", G_CALLBACK (on_message_runs_loop), &nested);
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"n\":%u}", i);
      send_text (recorder, text);
    }
  troupe_test_wait_until (nested_echoes_done, recorder, "for 1,000 echoes");
  g_signal_handlers_disconnect_by_data (recorder->channel, &check);
  g_signal_handlers_disconnect_by_data (recorder->channel, &nested);
  g_assert_cmpuint (nested.n_during_handler, ==, 0);
  g_assert_false (check.wrong);
  g_assert_cmpuint (check.expected, ==, 1000);

  troupe_channel_disconnect (recorder->channel);
  assert_exits_cleanly (recorder);
}

static void
test_unicode_and_newlines (void)
{
  const char *text = "{\"text\": \"ünïcödé 🎭 \\n line two\\r\\n\\t\\\"quoted\\\" \\\\ \\u2028 \\u0000\","
                     " \"list\": [1.5e3, -0, true, null, {\"\": []}]}";
  g_autoptr(TroupeCommand) command = node_child ("echo.js");
  g_autoptr(Recorder) recorder = recorder_start (command);

  send_text (recorder, text);
  /* Typed over several lines, sent as one. */
  send_text (recorder, "[\n  \"a\",\n  \"b\"\n]");
  wait_events (recorder, 2);
  g_assert_true (g_str_has_prefix (event (recorder, 0), "in:"));
  assert_same_json (event (recorder, 0) + 3, text);
  g_assert_cmpstr (event (recorder, 1), ==, "in:[\"a\",\"b\"]");
  g_assert_cmpstr (g_ptr_array_index (recorder->sent, 1), ==, "out:[\"a\",\"b\"]");
}

static void
test_big_message (void)
{
  /* 5 MB in one message, each way. */
  g_autoptr(TroupeCommand) command = node_child ("echo.js");
  g_autoptr(Recorder) recorder = recorder_start (command);
  g_autoptr(GString) text = g_string_new ("{\"big\":\"");

  for (guint i = 0; i < 5 * 1000 * 1000 / 10; i++)
    g_string_append (text, "0123456789");
  g_string_append (text, "\"}");
  send_text (recorder, text->str);
  wait_events (recorder, 1);
  g_assert_true (g_str_has_prefix (event (recorder, 0), "in:"));
  g_assert_cmpstr (event (recorder, 0) + 3, ==, text->str);
}

static void
test_child_disconnects (void)
{
  /* The child closes its end and runs on: the channel shows closed, the job
   * running. */
  g_autoptr(TroupeCommand) command = node_child ("leaves.js");
  g_autoptr(Recorder) recorder = recorder_start (command);
  g_autoptr(GError) error = NULL;

  wait_disconnected (recorder);
  g_assert_cmpstr (event (recorder, 0), ==, "in:\"bye\"");
  g_assert_cmpstr (event (recorder, 1), ==, "disconnected");
  g_assert_false (troupe_channel_is_connected (recorder->channel));
  troupe_test_wait_lines (recorder->process, TROUPE_LINES_STDOUT, 1);
  g_assert_true (troupe_process_is_running (recorder->process));

  g_assert_false (troupe_channel_send_text (recorder->channel, "1", -1, &error));
  g_assert_error (error, TROUPE_CHANNEL_ERROR, TROUPE_CHANNEL_ERROR_DISCONNECTED);
}

static void
test_troupe_disconnects (void)
{
  /* We close the channel: the child sees 'disconnect', and then ends. */
  g_autoptr(TroupeCommand) command = node_child ("echo.js");
  g_autoptr(Recorder) recorder = recorder_start (command);
  g_autoptr(GPtrArray) lines = NULL;

  send_text (recorder, "\"one\"");
  send_text (recorder, "\"two\"");
  /* Queued messages still go out first. */
  troupe_channel_disconnect (recorder->channel);
  g_assert_false (troupe_channel_is_connected (recorder->channel));
  assert_exits_cleanly (recorder);
  wait_disconnected (recorder);
  g_assert_cmpstr (event (recorder, 0), ==, "in:\"one\"");
  g_assert_cmpstr (event (recorder, 1), ==, "in:\"two\"");
  g_assert_cmpstr (event (recorder, 2), ==, "disconnected");

  lines = troupe_test_read_lines (troupe_process_get_log (recorder->process), TROUPE_LINES_STDOUT);
  g_assert_cmpuint (lines->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "disconnected");
}

static gboolean
got_after (gpointer data)
{
  Recorder *recorder = data;

  for (guint i = 0; i < recorder->events->len; i++)
    if (g_str_equal (g_ptr_array_index (recorder->events, i), "in:\"after\""))
      return TRUE;
  return FALSE;
}

static void
test_node_sends_handle (void)
{
  /* Node sends a server with its message and holds everything after it until
   * we acknowledge the handle: "after" arriving shows that we did. */
  g_autoptr(TroupeCommand) command = node_child ("handle.js");
  g_autoptr(Recorder) recorder = recorder_start (command);

  troupe_test_wait_until (got_after, recorder, "for the message after the handle");
  g_assert_true (g_str_has_prefix (event (recorder, 0),
                                   "internal:{\"cmd\":\"NODE_HANDLE\",\"type\":\"net.Server\""));
  g_assert_true (g_str_has_prefix (event (recorder, 1), "in:{\"server\":"));
  g_assert_cmpstr (event (recorder, 2), ==, "in:\"after\"");
  g_assert_cmpstr (g_ptr_array_index (recorder->sent, 0), ==,
                   "internal:{\"cmd\":\"NODE_HANDLE_ACK\"}");
}

static void
test_internal_messages (void)
{
  /* Node's rule: an object whose cmd is a string starting NODE_, longer than that. */
  g_autoptr(TroupeCommand) command = node_child ("internal.js");
  g_autoptr(Recorder) recorder = recorder_start (command);

  wait_events (recorder, 4);
  g_assert_cmpstr (event (recorder, 0), ==, "internal:{\"cmd\":\"NODE_TEST_INTERNAL\",\"n\":1}");
  g_assert_cmpstr (event (recorder, 1), ==, "in:{\"cmd\":\"NODE_\",\"n\":2}");
  g_assert_cmpstr (event (recorder, 2), ==, "in:{\"cmd\":5,\"n\":3}");
  g_assert_cmpstr (event (recorder, 3), ==, "in:{\"cmd\":\"USER\",\"n\":4}");
  g_assert_cmpuint (recorder->n_in, ==, 3);

  send_text (recorder, "\"go\"");
  assert_exits_cleanly (recorder);
}

static void
check_echo_example (TroupeCommand *command)
{
  g_autoptr(Recorder) recorder = recorder_start (command);

  send_text (recorder, "{\"n\": 1, \"text\": \"ünï\\n\"}");
  send_text (recorder, "\"two\"");
  wait_events (recorder, 2);
  g_assert_true (g_str_has_prefix (event (recorder, 0), "in:"));
  assert_same_json (event (recorder, 0) + 3, "{\"echo\": {\"n\": 1, \"text\": \"ünï\\n\"}}");
  assert_same_json (event (recorder, 1) + 3, "{\"echo\": \"two\"}");

  troupe_channel_disconnect (recorder->channel);
  assert_exits_cleanly (recorder);
  wait_disconnected (recorder);
}

static void
test_python_example (void)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *script = g_build_filename (EXAMPLES_DIR, "echo.py", NULL);
  g_autoptr(TroupeCommand) command = NULL;

  g_assert_nonnull (python);
  command = fork_command (python, script);
  check_echo_example (command);
}

static void
test_c_example (void)
{
  g_autoptr(TroupeCommand) command = fork_command (EXAMPLE_C_PATH, NULL);
  check_echo_example (command);
}

static void
test_node_example (void)
{
  g_autofree char *script = g_build_filename (EXAMPLES_DIR, "echo.js", NULL);
  g_autoptr(TroupeCommand) command = fork_command (node_path (), script);
  check_echo_example (command);
}

static void
check_garbage (gsize long_length,
               gsize max_size)
{
  g_autofree char *length = g_strdup_printf ("%" G_GSIZE_FORMAT, long_length);
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("channel-garbage", length, NULL);
  g_autoptr(Recorder) recorder = NULL;
  const char *expected[] = {
    "in:{\"ok\":1}",
    "error:0:not json at all",
    "in:{\"ok\":2}",
    "error:0:\"bad \\xFF\\xFE utf-8\"",
    "in:{\"ok\":3}",
    "error:1:\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…",
    "in:{\"ok\":4}",
    "in:{\"split\":true}",
    "in:{\"m\":1}",
    "in:{\"m\":2}",
    "in:{\"m\":3}",
    "error:0:{'single':'quotes'}",
    "in:{\"ok\":5}",
    "error:2:{\"cut\":",
    "disconnected",
  };

  troupe_command_set_channel_fd (command, 3);
  troupe_command_set_max_message_size (command, max_size);
  recorder = recorder_start (command);
  g_assert_cmpuint (troupe_channel_get_max_message_size (recorder->channel), ==,
                    max_size != 0 ? max_size : TROUPE_CHANNEL_DEFAULT_MAX_MESSAGE_SIZE);

  wait_disconnected (recorder);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (event (recorder, i), ==, expected[i]);
  g_assert_cmpuint (recorder->events->len, ==, G_N_ELEMENTS (expected));
  g_assert_cmpuint (troupe_channel_get_n_received (recorder->channel), ==, 9);
  assert_exits_cleanly (recorder);
}

static void
test_garbage (void)
{
  /* Every kind of bad input, each followed by a good message that still arrives. */
  check_garbage (100000, 65536);
}

static void
test_garbage_default_limit (void)
{
  /* The default limit: 64 MiB. */
  check_garbage (TROUPE_CHANNEL_DEFAULT_MAX_MESSAGE_SIZE + 2, 0);
}

static void
test_never_sends_invalid (void)
{
  /* A Node child dies of one invalid line; nothing invalid may leave. */
  const char *invalid[] = {
    "", "   ", "{'a': 1}", "[1, 2,]", "{\"a\": 1} {\"b\": 2}", "01", "NaN", "/* note */ 1",
    "\"tab\there\"", "\"\\x41\"", "{\"a\" 1}", "tru", "\"\\ud83d", "[", "{\"a\":1", "\xff",
  };
  g_autoptr(TroupeCommand) command = node_child ("echo.js");
  g_autoptr(Recorder) recorder = recorder_start (command);
  g_autoptr(JsonNode) infinite = json_node_new (JSON_NODE_VALUE);

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (troupe_channel_send_text (recorder->channel, invalid[i], -1, &error));
      g_assert_error (error, TROUPE_CHANNEL_ERROR, TROUPE_CHANNEL_ERROR_NOT_JSON);
      g_test_message ("%s → %s", invalid[i], error->message);
    }
  json_node_set_double (infinite, INFINITY);
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (troupe_channel_send (recorder->channel, infinite, &error));
    g_assert_error (error, TROUPE_CHANNEL_ERROR, TROUPE_CHANNEL_ERROR_NOT_JSON);
  }
  g_assert_cmpuint (troupe_channel_get_n_sent (recorder->channel), ==, 0);
  g_assert_cmpuint (troupe_channel_get_queued_bytes (recorder->channel), ==, 0);

  send_text (recorder, "\"still alive\"");
  wait_events (recorder, 1);
  g_assert_cmpstr (event (recorder, 0), ==, "in:\"still alive\"");
  g_assert_true (troupe_process_is_running (recorder->process));
}

static int
compare_numbers (gconstpointer a,
                 gconstpointer b)
{
  return atoi (*(const char * const *) a) - atoi (*(const char * const *) b);
}

static void
test_channel_fd (void)
{
  /* At the fd asked for, and nothing else beyond stdio. */
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("list-fds", NULL);
  g_autoptr(TroupeCommand) env_command = troupe_test_child_command (
    "env", "NODE_CHANNEL_FD", "NODE_CHANNEL_SERIALIZATION_MODE", "NODE_UNIQUE_ID", NULL);
  g_autoptr(TroupeCommand) plain = NULL;
  g_autoptr(TroupeProcess) process = NULL;
  g_autoptr(GPtrArray) lines = NULL;

  troupe_command_set_channel_fd (command, 7);
  process = troupe_test_run (command);
  troupe_test_wait_ended (process);
  lines = troupe_test_read_lines (troupe_process_get_log (process), TROUPE_LINES_STDOUT);
  g_ptr_array_sort (lines, compare_numbers);
  g_assert_cmpuint (lines->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "0");
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "1");
  g_assert_cmpstr (g_ptr_array_index (lines, 2), ==, "2");
  g_assert_cmpstr (g_ptr_array_index (lines, 3), ==, "7");
  g_clear_object (&process);
  g_clear_pointer (&lines, g_ptr_array_unref);

  /* A channel Troupe itself was given is never passed on: it is not the child's. */
  g_setenv ("NODE_CHANNEL_FD", "3", TRUE);
  g_setenv ("NODE_UNIQUE_ID", "1", TRUE);
  plain = troupe_command_copy (env_command);
  troupe_command_set_channel_fd (env_command, 3);
  process = troupe_test_run (env_command);
  troupe_test_wait_ended (process);
  lines = troupe_test_read_lines (troupe_process_get_log (process), TROUPE_LINES_STDOUT);
  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "NODE_CHANNEL_FD=3");
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "NODE_CHANNEL_SERIALIZATION_MODE=json");
  g_assert_cmpstr (g_ptr_array_index (lines, 2), ==, "NODE_UNIQUE_ID unset");
  g_clear_object (&process);
  g_clear_pointer (&lines, g_ptr_array_unref);

  process = troupe_test_run (plain);
  troupe_test_wait_ended (process);
  g_assert_null (troupe_process_get_channel (process));
  lines = troupe_test_read_lines (troupe_process_get_log (process), TROUPE_LINES_STDOUT);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "NODE_CHANNEL_FD unset");
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "NODE_CHANNEL_SERIALIZATION_MODE unset");
  g_unsetenv ("NODE_CHANNEL_FD");
  g_unsetenv ("NODE_UNIQUE_ID");
}

static void
on_queued_bytes (TroupeChannel *channel,
                 GParamSpec    *pspec,
                 guint         *notifications)
{
  (*notifications)++;
}

static gboolean
flush_stalled (gpointer data)
{
  Recorder *recorder = data;
  gsize before = troupe_channel_get_queued_bytes (recorder->channel);

  /* A few turns of the loop without the queue moving: the socket is full. */
  for (guint i = 0; i < 20; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return troupe_channel_get_queued_bytes (recorder->channel) == before;
}

static void
test_queue_while_full (void)
{
  /* A child that does not read: sends queue up, visibly, and never block. */
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("sleep", "60", NULL);
  g_autoptr(Recorder) recorder = NULL;
  g_autoptr(GString) text = g_string_new ("\"");
  guint notifications = 0;
  gsize total;

  troupe_command_set_channel_fd (command, 3);
  recorder = recorder_start (command);
  g_signal_connect (recorder->channel, "notify::queued-bytes", G_CALLBACK (on_queued_bytes),
                    &notifications);
  for (guint i = 0; i < 64 * 1024; i++)
    g_string_append (text, "0123");
  g_string_append_c (text, '"');
  for (guint i = 0; i < 64; i++)
    send_text (recorder, text->str);
  total = 64 * (text->len + 1);
  g_assert_cmpuint (troupe_channel_get_queued_bytes (recorder->channel), ==, total);

  troupe_test_wait_until (flush_stalled, recorder, "for the socket to fill");
  g_assert_cmpuint (troupe_channel_get_queued_bytes (recorder->channel), >, 0);
  g_assert_cmpuint (troupe_channel_get_queued_bytes (recorder->channel), <, total);
  g_assert_cmpuint (notifications, >, 64);

  /* The child's end goes: what it can no longer read is dropped, and said so. */
  troupe_process_kill (recorder->process, NULL);
  wait_disconnected (recorder);
  g_assert_cmpuint (troupe_channel_get_queued_bytes (recorder->channel), ==, 0);
  g_signal_handlers_disconnect_by_data (recorder->channel, &notifications);
}

int
main (int   argc,
      char *argv[])
{
  troupe_test_init (&argc, &argv);

  g_test_add_func ("/troupe/channel/node-hello", test_node_hello);
  g_test_add_func ("/troupe/channel/node-many-each-way", test_node_many_each_way);
  g_test_add_func ("/troupe/channel/nested-main-loop", test_nested_main_loop);
  g_test_add_func ("/troupe/channel/unicode-and-newlines", test_unicode_and_newlines);
  g_test_add_func ("/troupe/channel/big-message", test_big_message);
  g_test_add_func ("/troupe/channel/child-disconnects", test_child_disconnects);
  g_test_add_func ("/troupe/channel/troupe-disconnects", test_troupe_disconnects);
  g_test_add_func ("/troupe/channel/node-sends-handle", test_node_sends_handle);
  g_test_add_func ("/troupe/channel/internal-messages", test_internal_messages);
  g_test_add_func ("/troupe/channel/node-example", test_node_example);
  g_test_add_func ("/troupe/channel/python-example", test_python_example);
  g_test_add_func ("/troupe/channel/c-example", test_c_example);
  g_test_add_func ("/troupe/channel/garbage", test_garbage);
  g_test_add_func ("/troupe/channel/garbage-default-limit", test_garbage_default_limit);
  g_test_add_func ("/troupe/channel/never-sends-invalid", test_never_sends_invalid);
  g_test_add_func ("/troupe/channel/fd", test_channel_fd);
  g_test_add_func ("/troupe/channel/queue-while-full", test_queue_while_full);

  return troupe_test_run_all ();
}
