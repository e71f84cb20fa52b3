/* test-cli.c: `troupe run|exec|fork --headless|--json`, as a script would use them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "troupe-listener.h"
#include "troupe-test-util.h"

typedef struct
{
  int   exit_code;
  char *out;
  char *err;
} CliResult;

static void
cli_result_clear (CliResult *result)
{
  g_free (result->out);
  g_free (result->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

static char **
child_environ (void)
{
  return g_get_environ ();
}

static void
run_troupe (CliResult   *result,
            const char  *first,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = child_environ ();
  const char *arg;
  int wait_status;
  va_list args;

  g_ptr_array_add (argv, (char *) TROUPE_PATH);
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                               &result->out, &result->err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  result->exit_code = WEXITSTATUS (wait_status);
  {
    /* TAP output must be UTF-8, whatever troupe printed. */
    g_autofree char *err = g_utf8_make_valid (result->err, -1);
    g_test_message ("troupe exited with %d; stderr: %s", result->exit_code, err);
  }
}

/* Parses each stdout line as one JSON object. */
static GPtrArray *
parse_events (const char *out)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      JsonNode *node;

      if (lines[i][0] == '\0')
        {
          g_assert_null (lines[i + 1]); /* only the final newline leaves an empty piece */
          continue;
        }
      node = json_from_string (lines[i], &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      g_ptr_array_add (events, node);
    }
  return events;
}

static JsonObject *
event_at (GPtrArray  *events,
          guint       i,
          const char *kind)
{
  JsonObject *object;

  g_assert_cmpuint (i, <, events->len);
  object = json_node_get_object (g_ptr_array_index (events, i));
  g_assert_cmpstr (json_object_get_string_member (object, "event"), ==, kind);
  return object;
}

static void
test_exit_codes (void)
{
  const char *codes[] = { "0", "3", "255" };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_auto(CliResult) result = { 0 };

      run_troupe (&result, "run", "--headless", "--", TEST_CHILD_PATH, "exit", codes[i], NULL);
      g_assert_cmpint (result.exit_code, ==, atoi (codes[i]));
      g_assert_cmpstr (result.out, ==, "");
      g_assert_cmpstr (result.err, ==, "");
    }
}

static void
test_passthrough (void)
{
  g_auto(CliResult) result = { 0 };
  g_auto(CliResult) raw = { 0 };
  static const char expected_raw[] =
    "crlf line\r\nbad \xff\xfe utf8\nnul\0inside\ncaf\xc3\xa9\nno newline at end";

  run_troupe (&result, "run", "--headless", "--", TEST_CHILD_PATH, "streams", "3", NULL);
  g_assert_cmpint (result.exit_code, ==, 0);
  g_assert_cmpstr (result.out, ==, "out 1\nout 2\nout 3\n");
  g_assert_cmpstr (result.err, ==, "err 1\nerr 2\nerr 3\n");

  /* Bytes pass through exactly; g_spawn_sync's strings keep the NUL in the middle. */
  run_troupe (&raw, "run", "--headless", "--", TEST_CHILD_PATH, "raw", NULL);
  g_assert_cmpmem (raw.out, sizeof expected_raw - 1, expected_raw, sizeof expected_raw - 1);
}

static void
test_killed_by_signal (void)
{
  g_auto(CliResult) result = { 0 };

  run_troupe (&result, "run", "--headless", "--", TEST_CHILD_PATH, "signal", "11", NULL);
  g_assert_cmpint (result.exit_code, ==, 128 + SIGSEGV);
  g_assert_cmpstr (result.err, ==, "troupe: killed by SIGSEGV (segmentation fault)\n");
}

static void
test_json_events (void)
{
  g_auto(CliResult) result = { 0 };
  g_autoptr(GPtrArray) events = NULL;
  JsonObject *event;
  double last_t = 0;

  run_troupe (&result, "run", "--json", "--name", "two \"streams\"", "--", TEST_CHILD_PATH,
              "streams", "2", NULL);
  g_assert_cmpint (result.exit_code, ==, 0);
  events = parse_events (result.out);
  g_assert_cmpuint (events->len, ==, 6);

  event = event_at (events, 0, "start");
  g_assert_cmpint (json_object_get_int_member (event, "pid"), >, 0);
  g_assert_cmpstr (json_object_get_string_member (event, "name"), ==, "two \"streams\"");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (event, "argv"), 1),
                   ==, "streams");

  /* Within each stream lines keep their order; each carries its time. */
  {
    guint out_seen = 0, err_seen = 0;

    for (guint i = 1; i <= 4; i++)
      {
        JsonObject *line = json_node_get_object (g_ptr_array_index (events, i));
        const char *kind = json_object_get_string_member (line, "event");
        g_autofree char *expected = NULL;

        if (g_str_equal (kind, "stdout"))
          expected = g_strdup_printf ("out %u", ++out_seen);
        else
          {
            g_assert_cmpstr (kind, ==, "stderr");
            expected = g_strdup_printf ("err %u", ++err_seen);
          }
        g_assert_cmpstr (json_object_get_string_member (line, "text"), ==, expected);
        g_assert_cmpfloat (json_object_get_double_member (line, "t"), >=, last_t);
        last_t = json_object_get_double_member (line, "t");
      }
    g_assert_cmpuint (out_seen, ==, 2);
    g_assert_cmpuint (err_seen, ==, 2);
  }

  event = event_at (events, 5, "exit");
  g_assert_cmpint (json_object_get_int_member (event, "code"), ==, 0);
  g_assert_true (json_object_get_null_member (event, "signal"));
  g_assert_cmpfloat (json_object_get_double_member (event, "duration"), >=, last_t);
}

static void
test_json_signal_and_text (void)
{
  g_auto(CliResult) killed = { 0 };
  g_auto(CliResult) raw = { 0 };
  g_autoptr(GPtrArray) events = NULL;
  JsonObject *event;

  run_troupe (&killed, "run", "--json", "--", TEST_CHILD_PATH, "signal", "6", NULL);
  g_assert_cmpint (killed.exit_code, ==, 128 + SIGABRT);
  events = parse_events (killed.out);
  g_assert_cmpuint (events->len, ==, 2);
  event = event_at (events, 1, "exit");
  g_assert_true (json_object_get_null_member (event, "code"));
  g_assert_cmpstr (json_object_get_string_member (event, "signal"), ==, "SIGABRT");
  g_clear_pointer (&events, g_ptr_array_unref);

  /* Invalid UTF-8, NUL and CRLF still make valid JSON, and a text a person can read. */
  run_troupe (&raw, "run", "--json", "--", TEST_CHILD_PATH, "raw", NULL);
  events = parse_events (raw.out);
  g_assert_cmpuint (events->len, ==, 7);
  g_assert_cmpstr (json_object_get_string_member (event_at (events, 1, "stdout"), "text"), ==,
                   "crlf line");
  g_assert_cmpstr (json_object_get_string_member (event_at (events, 2, "stdout"), "text"), ==,
                   "bad \xef\xbf\xbd\xef\xbf\xbd utf8");
  g_assert_cmpstr (json_object_get_string_member (event_at (events, 3, "stdout"), "text"), ==,
                   "nul\xe2\x90\x80inside");
  g_assert_cmpstr (json_object_get_string_member (event_at (events, 5, "stdout"), "text"), ==,
                   "no newline at end");
}

static void
test_failed_start (void)
{
  g_auto(CliResult) missing = { 0 };
  g_auto(CliResult) plain = { 0 };
  g_auto(CliResult) folder = { 0 };
  g_autoptr(GPtrArray) events = NULL;

  run_troupe (&missing, "run", "--json", "--", "troupe-no-such-command", NULL);
  g_assert_cmpint (missing.exit_code, ==, 127);
  events = parse_events (missing.out);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (event_at (events, 0, "error"), "message"), ==,
                   "command not found: troupe-no-such-command");

  run_troupe (&plain, "run", "--headless", "--", "troupe-no-such-command", NULL);
  g_assert_cmpint (plain.exit_code, ==, 127);
  g_assert_cmpstr (plain.err, ==, "troupe: command not found: troupe-no-such-command\n");

  run_troupe (&folder, "run", "--headless", "--cwd", "/no/such/folder", "--", "true", NULL);
  g_assert_cmpint (folder.exit_code, ==, 126);
  g_assert_cmpstr (folder.err, ==, "troupe: no such folder: /no/such/folder\n");
}

static void
test_exec_and_options (void)
{
  g_auto(CliResult) result = { 0 };
  g_auto(CliResult) bad_env = { 0 };
  g_auto(CliResult) nothing = { 0 };
  g_auto(CliResult) help = { 0 };
  g_autofree char *folder = g_dir_make_tmp ("troupe-cli-XXXXXX", NULL);
  g_autofree char *real_folder = realpath (folder, NULL);
  g_autofree char *expected = NULL;

  g_setenv ("TROUPE_CLI_GONE", "still here", TRUE);
  run_troupe (&result, "exec", "--headless", "--cwd", folder, "--env", "GREETING=hi there",
              "--unset", "TROUPE_CLI_GONE",
              "echo \"$GREETING\" | tr a-z A-Z; pwd; echo \"[${TROUPE_CLI_GONE-unset}]\"; exit 7",
              NULL);
  expected = g_strdup_printf ("HI THERE\n%s\n[unset]\n", real_folder);
  g_assert_cmpint (result.exit_code, ==, 7);
  g_assert_cmpstr (result.out, ==, expected);
  g_rmdir (folder);

  run_troupe (&bad_env, "run", "--headless", "--env", "NOEQUALS", "--", "true", NULL);
  g_assert_cmpint (bad_env.exit_code, ==, 2);
  g_assert_true (g_str_has_prefix (bad_env.err, "troupe: --env wants KEY=VALUE"));

  run_troupe (&nothing, "run", "--headless", NULL);
  g_assert_cmpint (nothing.exit_code, ==, 2);
  g_assert_true (g_str_has_prefix (nothing.err, "troupe: No command given"));

  run_troupe (&help, "run", "--help", NULL);
  g_assert_cmpint (help.exit_code, ==, 0);
  for (guint i = 0; i < 8; i++)
    {
      const char *documented[] = { "--name", "--cwd", "--env", "--unset", "--stop-timeout",
                                   "--headless", "--json", "\"event\":\"exit\"" };
      g_assert_nonnull (strstr (help.out, documented[i]));
    }
}

static char *
run_shell (const char *line,
           int        *exit_code)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  const char *argv[] = { "/bin/sh", "-c", line, NULL };
  int wait_status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               NULL, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  *exit_code = WEXITSTATUS (wait_status);
  return out;
}

static void
test_environment_in_order (void)
{
  g_auto(CliResult) set_then_unset = { 0 };
  g_auto(CliResult) unset_then_set = { 0 };
  g_auto(CliResult) bad_unset = { 0 };
  g_auto(CliResult) empty_name = { 0 };

  run_troupe (&set_then_unset, "exec", "--headless", "--env", "TROUPE_X=1", "--unset", "TROUPE_X",
              "echo \"[${TROUPE_X-unset}]\"", NULL);
  g_assert_cmpstr (set_then_unset.out, ==, "[unset]\n");
  run_troupe (&unset_then_set, "exec", "--headless", "--unset", "TROUPE_X", "--env", "TROUPE_X=2",
              "echo \"[${TROUPE_X-unset}]\"", NULL);
  g_assert_cmpstr (unset_then_set.out, ==, "[2]\n");

  /* Names a user typed wrongly are usage errors, not crashes. */
  run_troupe (&bad_unset, "run", "--headless", "--unset", "A=B", "--", "true", NULL);
  g_assert_cmpint (bad_unset.exit_code, ==, 2);
  g_assert_true (g_str_has_prefix (bad_unset.err, "troupe: --unset wants a variable name"));
  run_troupe (&empty_name, "run", "--headless", "--env", "=value", "--", "true", NULL);
  g_assert_cmpint (empty_name.exit_code, ==, 2);
}

static void
test_closed_stdin (void)
{
  /* Started with stdin closed: the child gets an end of file, not our insides. */
  g_autofree char *line =
    g_strdup_printf ("%s run --headless -- sh -c 'head -c 16 | od -An -tx1' <&-", TROUPE_PATH);
  int exit_code;
  g_autofree char *out = run_shell (line, &exit_code);

  g_assert_cmpint (exit_code, ==, 0);
  g_assert_cmpstr (out, ==, "");
}

static void
test_json_error_is_utf8 (void)
{
  g_auto(CliResult) result = { 0 };
  g_autoptr(GPtrArray) events = NULL;

  run_troupe (&result, "run", "--json", "--", "no-such-\xff-command", NULL);
  g_assert_cmpint (result.exit_code, ==, 127);
  events = parse_events (result.out);
  g_assert_cmpstr (json_object_get_string_member (event_at (events, 0, "error"), "message"), ==,
                   "command not found: no-such-\xef\xbf\xbd-command");
}

static void
test_json_survives_spool_failure (void)
{
  /* The log file hits the file size limit: the error is said, and every line
   * still arrives as an event. */
  g_autofree char *line =
    g_strdup_printf ("trap '' XFSZ; ulimit -f 1; exec %s run --json -- %s flood 3000 100",
                     TROUPE_PATH, TEST_CHILD_PATH);
  int exit_code;
  g_autofree char *out = run_shell (line, &exit_code);
  g_autoptr(GPtrArray) events = parse_events (out);
  guint lines = 0;
  guint errors = 0;

  g_assert_cmpint (exit_code, ==, 0);
  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *event = json_node_get_object (g_ptr_array_index (events, i));
      const char *kind = json_object_get_string_member (event, "event");

      if (g_str_equal (kind, "stdout"))
        {
          g_autofree char *expected = g_strdup_printf ("%09u ", lines);
          const char *text = json_object_get_string_member (event, "text");

          g_assert_true (g_str_has_prefix (text, expected));
          lines++;
        }
      else if (g_str_equal (kind, "error"))
        {
          g_assert_true (g_str_has_prefix (json_object_get_string_member (event, "message"),
                                           "Output is no longer saved"));
          errors++;
        }
    }
  g_assert_cmpuint (lines, ==, 30);
  g_assert_cmpuint (errors, ==, 1);
  event_at (events, events->len - 1, "exit");
}

static void
test_stdin_passed_on (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *command =
    g_strdup_printf ("printf 'one\\ntwo\\n' | %s run --headless -- %s echo",
                     TROUPE_PATH, TEST_CHILD_PATH);
  const char *argv[] = { "/bin/sh", "-c", command, NULL };
  g_auto(GStrv) envp = child_environ ();
  int wait_status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               NULL, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "ready\ngot: one\ngot: two\neof\n");
}

static void
test_signal_stops_child (gconstpointer data)
{
  /* troupe gets SIGTERM (or SIGHUP, or SIGINT): it stops the child (which ignores
   * SIGTERM, so SIGKILL after the 0.2 s stop timeout), then exits as the child did. */
  int signal_number = GPOINTER_TO_INT (data);
  const char *argv[] = { TROUPE_PATH, "run", "--json", "--stop-timeout", "0.2", "--",
                         TEST_CHILD_PATH, "ignore-term", NULL };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = child_environ ();
  g_autoptr(GIOChannel) channel = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *rest = NULL;
  g_autofree char *start_line = NULL;
  g_autofree char *all = NULL;
  GPid troupe_pid;
  JsonObject *start;
  int out_fd;
  int wait_status;
  GPid child_pid;

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &troupe_pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);
  channel = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (channel, TRUE);

  /* Wait for the start event and the child's "ready" before signalling. */
  g_assert_cmpint (g_io_channel_read_line (channel, &start_line, NULL, NULL, &error), ==,
                   G_IO_STATUS_NORMAL);
  g_assert_cmpint (g_io_channel_read_line (channel, &rest, NULL, NULL, &error), ==,
                   G_IO_STATUS_NORMAL);
  g_assert_nonnull (strstr (rest, "\"text\":\"ready\""));
  g_clear_pointer (&rest, g_free);

  g_assert_cmpint (kill (troupe_pid, signal_number), ==, 0);
  g_assert_cmpint (g_io_channel_read_to_end (channel, &rest, NULL, &error), ==, G_IO_STATUS_NORMAL);
  g_assert_cmpint (waitpid (troupe_pid, &wait_status, 0), ==, troupe_pid);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 128 + SIGKILL);

  all = g_strconcat (start_line, rest, NULL);
  events = parse_events (all);
  start = event_at (events, 0, "start");
  child_pid = json_object_get_int_member (start, "pid");
  g_assert_cmpstr (json_object_get_string_member (event_at (events, 1, "exit"), "signal"), ==,
                   "SIGKILL");
  g_assert_true (troupe_test_pid_is_gone (child_pid));
}

/* Runs a shell line (a pipe into troupe, say) and takes what it printed. */
static void
run_shell_line (CliResult  *result,
                const char *line)
{
  const char *argv[] = { "/bin/sh", "-c", line, NULL };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = child_environ ();
  int wait_status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL,
                               &result->out, &result->err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  result->exit_code = WEXITSTATUS (wait_status);
  g_test_message ("%s exited with %d; stderr: %s", line, result->exit_code, result->err);
}

static char *
node_child_path (const char *script)
{
  return g_build_filename (TEST_CHILDREN_DIR, script, NULL);
}

/* The "data" of a message event, as compact JSON. */
static char *
message_data (JsonObject *event)
{
  return json_to_string (json_object_get_member (event, "data"), FALSE);
}

static void
test_fork_json (void)
{
  /* Each stdin line is a message; a bad one is reported and not sent; the end of
   * stdin closes the channel, and the child (which only listens) ends. */
  g_auto(CliResult) result = { 0 };
  g_autofree char *script = node_child_path ("echo.js");
  g_autofree char *line =
    g_strdup_printf ("printf '\"Hello\"\\n\\n{bad\\n[1, \"two\"]\\n' | "
                     "%s fork --json --send '{\"first\": 1}' -- node %s", TROUPE_PATH, script);
  g_autoptr(GPtrArray) events = NULL;
  const char *sent[] = { "{\"first\":1}", "\"Hello\"", "[1,\"two\"]" };
  guint out_seen = 0, in_seen = 0;
  gboolean disconnected = FALSE, stdout_line = FALSE;

  run_shell_line (&result, line);
  g_assert_cmpint (result.exit_code, ==, 0);
  g_assert_nonnull (strstr (result.err, "troupe: not sent: Not valid JSON at line 1, column 2"));
  events = parse_events (result.out);
  event_at (events, 0, "start");
  event_at (events, events->len - 1, "exit");
  for (guint i = 1; i + 1 < events->len; i++)
    {
      JsonObject *event = json_node_get_object (g_ptr_array_index (events, i));
      const char *kind = json_object_get_string_member (event, "event");

      if (g_str_equal (kind, "message"))
        {
          g_assert_false (disconnected);
          const char *direction = json_object_get_string_member (event, "direction");
          g_autofree char *data = message_data (event);

          g_assert_false (json_object_has_member (event, "internal"));
          if (g_str_equal (direction, "out"))
            g_assert_cmpstr (data, ==, sent[out_seen++]);
          else
            {
              g_assert_cmpstr (direction, ==, "in");
              /* An echo comes after what it echoes. */
              g_assert_cmpuint (in_seen, <, out_seen);
              g_assert_cmpstr (data, ==, sent[in_seen++]);
            }
        }
      else if (g_str_equal (kind, "stdout"))
        stdout_line = g_str_equal (json_object_get_string_member (event, "text"), "disconnected");
      else
        {
          g_assert_cmpstr (kind, ==, "disconnect");
          disconnected = TRUE;
        }
    }
  g_assert_cmpuint (out_seen, ==, 3);
  g_assert_cmpuint (in_seen, ==, 3);
  g_assert_true (disconnected);
  g_assert_true (stdout_line);
}

static void
test_fork_plain (void)
{
  /* Without --json: messages from the child on stdout, one a line, as they came. */
  g_auto(CliResult) result = { 0 };
  g_autofree char *script = node_child_path ("hello.js");
  g_autofree char *line = g_strdup_printf ("printf '\"Hello\"\\n' | %s fork --headless -- node %s",
                                           TROUPE_PATH, script);

  run_shell_line (&result, line);
  g_assert_cmpint (result.exit_code, ==, 0);
  g_assert_cmpstr (result.out, ==, "\"Hello to you too :)\"\n");
}

static void
test_fork_protocol_errors (void)
{
  /* A child's bad lines are events of their own, shown escaped; good ones go on. */
  g_auto(CliResult) result = { 0 };
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) errors = g_ptr_array_new ();
  guint messages = 0;

  run_troupe (&result, "fork", "--json", "--max-message-size", "1000", "--",
              TEST_CHILD_PATH, "channel-garbage", "5000", NULL);
  g_assert_cmpint (result.exit_code, ==, 0);
  events = parse_events (result.out);
  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *event = json_node_get_object (g_ptr_array_index (events, i));
      const char *kind = json_object_get_string_member (event, "event");

      if (g_str_equal (kind, "protocol-error"))
        {
          g_assert_nonnull (json_object_get_string_member (event, "message"));
          g_ptr_array_add (errors, (gpointer) json_object_get_string_member (event, "raw"));
        }
      else if (g_str_equal (kind, "message"))
        messages++;
    }
  g_assert_cmpuint (messages, ==, 9);
  g_assert_cmpuint (errors->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (errors, 0), ==, "not json at all");
  g_assert_cmpstr (g_ptr_array_index (errors, 1), ==, "\"bad \\xFF\\xFE utf-8\"");
  g_assert_cmpstr (g_ptr_array_index (errors, 4), ==, "{\"cut\":");
  event_at (events, events->len - 2, "disconnect");
  event_at (events, events->len - 1, "exit");
}

static void
test_fork_usage (void)
{
  g_auto(CliResult) bad_fd = { 0 };
  g_auto(CliResult) bad_send = { 0 };

  run_troupe (&bad_fd, "fork", "--headless", "--fd", "2", "--", "true", NULL);
  g_assert_cmpint (bad_fd.exit_code, ==, 2);
  g_assert_nonnull (strstr (bad_fd.err, "--fd must be between 3 and 1023"));

  run_troupe (&bad_send, "fork", "--headless", "--send", "{nope", "--", "true", NULL);
  g_assert_cmpint (bad_send.exit_code, ==, 2);
  g_assert_nonnull (strstr (bad_send.err, "--send “{nope”: Not valid JSON at line 1, column 2"));
}

/* Reads event lines until one contains @needle; every line read is kept in @seen. */
static void
read_until (GIOChannel *channel,
            GString    *seen,
            const char *needle,
            guint       times)
{
  guint found = 0;

  while (found < times)
    {
      g_autofree char *line = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (g_io_channel_read_line (channel, &line, NULL, NULL, &error), ==,
                       G_IO_STATUS_NORMAL);
      g_string_append (seen, line);
      if (strstr (line, needle) != NULL)
        found++;
    }
}

static void
test_cluster_json (void)
{
  /* Two members the systemd way; SIGHUP reloads them one by one; SIGTERM stops all. */
  const char *argv[] = { TROUPE_PATH, "cluster", "--json", "-n", "2", "--grace", "0.1",
                         "--listen", "127.0.0.1:0", "--", LISTEN_FDS_MEMBER_PATH, NULL };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = child_environ ();
  g_autoptr(GIOChannel) channel = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autofree char *rest = NULL;
  JsonObject *listen;
  GPid troupe_pid;
  int out_fd;
  int wait_status;
  guint exits = 0, prefixed = 0;

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &troupe_pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);
  channel = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (channel, TRUE);

  read_until (channel, seen, "\"state\":\"listening\"", 2);
  g_assert_cmpint (kill (troupe_pid, SIGHUP), ==, 0);
  read_until (channel, seen, "\"event\":\"reloaded\"", 1);
  g_assert_cmpint (kill (troupe_pid, SIGTERM), ==, 0);
  g_assert_cmpint (g_io_channel_read_to_end (channel, &rest, NULL, &error), ==, G_IO_STATUS_NORMAL);
  g_string_append (seen, rest);
  g_assert_cmpint (waitpid (troupe_pid, &wait_status, 0), ==, troupe_pid);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);

  events = parse_events (seen->str);
  listen = NULL;
  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *event = json_node_get_object (g_ptr_array_index (events, i));
      const char *kind = json_object_get_string_member (event, "event");

      if (g_str_equal (kind, "listen"))
        listen = event;
      else if (g_str_equal (kind, "exit"))
        exits++;
      else if (g_str_equal (kind, "stdout"))
        {
          g_assert_cmpint (json_object_get_int_member (event, "member"), >=, 1);
          g_assert_true (g_str_has_prefix (json_object_get_string_member (event, "text"),
                                           "serving on fd 3 (troupe)"));
          prefixed++;
        }
    }
  g_assert_nonnull (listen);
  g_assert_cmpint (json_object_get_int_member (listen, "port"), >, 0);
  /* Two runs replaced by the reload, two stopped at the end. */
  g_assert_cmpuint (exits, ==, 4);
  g_assert_cmpuint (prefixed, ==, 4);
}

static void
test_cluster_usage (void)
{
  g_auto(CliResult) policy = { 0 };
  g_auto(CliResult) address = { 0 };
  g_auto(CliResult) in_use = { 0 };
  g_autofree char *taken = NULL;
  g_autofree char *expected = NULL;
  guint16 port;
  int fd = troupe_listen_tcp ("127.0.0.1", 0, &port, NULL, NULL);

  run_troupe (&policy, "cluster", "--headless", "--restart", "sometimes", "--", "true", NULL);
  g_assert_cmpint (policy.exit_code, ==, 2);
  g_assert_nonnull (strstr (policy.err, "--restart wants never, on-failure or always"));

  run_troupe (&address, "cluster", "--headless", "--listen", "example.org:80", "--", "true", NULL);
  g_assert_cmpint (address.exit_code, ==, 2);
  g_assert_nonnull (strstr (address.err, "“example.org” is not an IP address"));

  taken = g_strdup_printf ("127.0.0.1:%u", port);
  run_troupe (&in_use, "cluster", "--headless", "--listen", taken, "--", "true", NULL);
  g_assert_cmpint (in_use.exit_code, ==, 1);
  expected = g_strdup_printf ("troupe: Port %u on 127.0.0.1 is already in use\n", port);
  g_assert_cmpstr (in_use.err, ==, expected);
  close (fd);
}

/* --stats: a JSON event per sample, with the job's whole tree in it. */
static void
test_stats_json (void)
{
  g_auto(CliResult) result = { 0 };
  g_autoptr(GPtrArray) events = NULL;
  gint64 pid;
  guint stats = 0, with_children = 0;

  run_troupe (&result, "exec", "--json", "--stats-interval", "200",
              "sleep 2 & sleep 2 & wait", NULL);
  g_assert_cmpint (result.exit_code, ==, 0);
  events = parse_events (result.out);
  pid = json_object_get_int_member (event_at (events, 0, "start"), "pid");
  for (guint i = 1; i < events->len; i++)
    {
      JsonObject *event = json_node_get_object (g_ptr_array_index (events, i));
      JsonArray *children;

      if (!g_str_equal (json_object_get_string_member (event, "event"), "stats"))
        continue;
      stats++;
      g_assert_cmpint (json_object_get_int_member (event, "pid"), ==, pid);
      g_assert_cmpint (json_object_get_int_member (event, "rss"), >, 0);
      g_assert_cmpint (json_object_get_int_member (event, "total_rss"), >=,
                       json_object_get_int_member (event, "rss"));
      g_assert_cmpfloat (json_object_get_double_member (event, "cpu"), >=, 0);
      g_assert_cmpfloat (json_object_get_double_member (event, "total_cpu"), >=, 0);
      children = json_object_get_array_member (event, "children");
      g_assert_cmpint (json_object_get_int_member (event, "processes"), ==,
                       json_array_get_length (children) + 1);
      if (json_array_get_length (children) == 2)
        {
          JsonObject *child = json_array_get_object_element (children, 0);

          g_assert_cmpstr (json_object_get_string_member (child, "name"), ==, "sleep");
          g_assert_cmpint (json_object_get_int_member (child, "ppid"), ==, pid);
          g_assert_cmpint (json_object_get_int_member (child, "rss"), >, 0);
          with_children++;
        }
    }
  g_assert_cmpuint (stats, >=, 3);
  g_assert_cmpuint (with_children, >=, 1);
  event_at (events, events->len - 1, "exit");
}

/* Plain --stats lines go to stderr; stdout stays the command's own. */
static void
test_stats_plain (void)
{
  g_auto(CliResult) result = { 0 };
  g_autofree char *expected = NULL;

  run_troupe (&result, "exec", "--headless", "--stats-interval", "200",
              "echo hello; sleep 1.2 & wait", NULL);
  g_assert_cmpint (result.exit_code, ==, 0);
  g_assert_cmpstr (result.out, ==, "hello\n");
  g_assert_true (g_str_has_prefix (result.err, "troupe: pid "));
  g_assert_nonnull (strstr (result.err, ": CPU "));
  g_assert_nonnull (strstr (result.err, " %, memory "));
  g_assert_nonnull (strstr (result.err, ", 2 processes\n"));
}

/* Over its limit, the run is stopped and started again, saying why; troupe
 * exits as the last run did. */
static void
test_memory_limit (void)
{
  g_auto(CliResult) result = { 0 };
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *folder = troupe_test_make_folder ("memory-limit");
  g_autofree char *marker = g_build_filename (folder, "second-run", NULL);
  /* The first run takes 200 MB; the second finds the marker and exits with 7. */
  g_autofree char *line = g_strdup_printf ("if [ -e '%s' ]; then exit 7; fi; touch '%s'; "
                                           "exec '%s' alloc 200",
                                           marker, marker, SAMPLER_CHILD_PATH);
  gint64 first_pid, second_pid = 0;
  JsonObject *restart = NULL;

  run_troupe (&result, "exec", "--json", "--memory-limit", "100M", "--stats-interval", "200",
              line, NULL);
  g_assert_cmpint (result.exit_code, ==, 7);
  events = parse_events (result.out);
  first_pid = json_object_get_int_member (event_at (events, 0, "start"), "pid");
  for (guint i = 1; i < events->len; i++)
    {
      JsonObject *event = json_node_get_object (g_ptr_array_index (events, i));
      const char *kind = json_object_get_string_member (event, "event");

      if (g_str_equal (kind, "restart"))
        restart = event;
      else if (g_str_equal (kind, "start"))
        {
          g_assert_nonnull (restart);
          second_pid = json_object_get_int_member (event, "pid");
        }
    }
  g_assert_nonnull (restart);
  g_assert_cmpint (json_object_get_int_member (restart, "old_pid"), ==, first_pid);
  g_assert_cmpint (json_object_get_int_member (restart, "pid"), ==, second_pid);
  g_assert_cmpint (second_pid, !=, first_pid);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (restart, "reason"),
                                   "Restarted: used "));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (restart, "reason"),
                                   "over its memory limit of 100.0\u00a0MiB"));
  g_assert_cmpint (json_object_get_int_member (event_at (events, events->len - 1, "exit"), "code"),
                   ==, 7);
}

/* A cluster's --stats: one event per member per sample. */
static void
test_cluster_stats (void)
{
  const char *argv[] = { TROUPE_PATH, "cluster", "--json", "-n", "2", "--grace", "0.1",
                         "--stats-interval", "200", "--listen", "127.0.0.1:0", "--",
                         LISTEN_FDS_MEMBER_PATH, NULL };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = child_environ ();
  g_autoptr(GIOChannel) channel = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autofree char *rest = NULL;
  gboolean member_seen[3] = { FALSE, FALSE, FALSE };
  GPid troupe_pid;
  int out_fd;
  int wait_status;

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &troupe_pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);
  channel = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (channel, TRUE);

  read_until (channel, seen, "\"event\":\"stats\"", 4);
  g_assert_cmpint (kill (troupe_pid, SIGTERM), ==, 0);
  g_assert_cmpint (g_io_channel_read_to_end (channel, &rest, NULL, &error), ==, G_IO_STATUS_NORMAL);
  g_string_append (seen, rest);
  g_assert_cmpint (waitpid (troupe_pid, &wait_status, 0), ==, troupe_pid);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);

  events = parse_events (seen->str);
  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *event = json_node_get_object (g_ptr_array_index (events, i));
      gint64 member;

      if (!g_str_equal (json_object_get_string_member (event, "event"), "stats"))
        continue;
      member = json_object_get_int_member (event, "member");
      g_assert_cmpint (member, >=, 1);
      g_assert_cmpint (member, <=, 2);
      g_assert_cmpint (json_object_get_int_member (event, "pid"), >, 0);
      g_assert_cmpint (json_object_get_int_member (event, "rss"), >, 0);
      member_seen[member] = TRUE;
    }
  g_assert_true (member_seen[1] && member_seen[2]);
}

static void
test_monitor_usage (void)
{
  g_auto(CliResult) size = { 0 };
  g_auto(CliResult) interval = { 0 };
  g_auto(CliResult) plain = { 0 };

  run_troupe (&size, "run", "--headless", "--memory-limit", "lots", "--", "true", NULL);
  g_assert_cmpint (size.exit_code, ==, 2);
  g_assert_nonnull (strstr (size.err, "--memory-limit wants a size such as 200M or 1G, not “lots”"));

  run_troupe (&interval, "cluster", "--headless", "--stats-interval", "5", "--", "true", NULL);
  g_assert_cmpint (interval.exit_code, ==, 2);
  g_assert_nonnull (strstr (interval.err, "--stats-interval must be between 100 and 3600000"));

  /* Sizes in bytes, with or without a unit, are taken. */
  run_troupe (&plain, "run", "--headless", "--memory-limit", "1.5GiB", "--", "true", NULL);
  g_assert_cmpint (plain.exit_code, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  troupe_test_init (&argc, &argv);

  g_test_add_func ("/troupe/cli/exit-codes", test_exit_codes);
  g_test_add_func ("/troupe/cli/passthrough", test_passthrough);
  g_test_add_func ("/troupe/cli/killed-by-signal", test_killed_by_signal);
  g_test_add_func ("/troupe/cli/json-events", test_json_events);
  g_test_add_func ("/troupe/cli/json-signal-and-text", test_json_signal_and_text);
  g_test_add_func ("/troupe/cli/failed-start", test_failed_start);
  g_test_add_func ("/troupe/cli/exec-and-options", test_exec_and_options);
  g_test_add_func ("/troupe/cli/stdin-passed-on", test_stdin_passed_on);
  g_test_add_func ("/troupe/cli/fork-json", test_fork_json);
  g_test_add_func ("/troupe/cli/fork-plain", test_fork_plain);
  g_test_add_func ("/troupe/cli/fork-protocol-errors", test_fork_protocol_errors);
  g_test_add_func ("/troupe/cli/fork-usage", test_fork_usage);
  g_test_add_func ("/troupe/cli/cluster-json", test_cluster_json);
  g_test_add_func ("/troupe/cli/cluster-usage", test_cluster_usage);
  g_test_add_func ("/troupe/cli/environment-in-order", test_environment_in_order);
  g_test_add_func ("/troupe/cli/closed-stdin", test_closed_stdin);
  g_test_add_func ("/troupe/cli/json-error-is-utf8", test_json_error_is_utf8);
  g_test_add_func ("/troupe/cli/json-survives-spool-failure", test_json_survives_spool_failure);
  g_test_add_data_func ("/troupe/cli/sigterm-stops-child", GINT_TO_POINTER (SIGTERM),
                        test_signal_stops_child);
  g_test_add_data_func ("/troupe/cli/sighup-stops-child", GINT_TO_POINTER (SIGHUP),
                        test_signal_stops_child);
  g_test_add_data_func ("/troupe/cli/sigint-stops-child", GINT_TO_POINTER (SIGINT),
                        test_signal_stops_child);

  g_test_add_func ("/troupe/cli/stats-json", test_stats_json);
  g_test_add_func ("/troupe/cli/stats-plain", test_stats_plain);
  g_test_add_func ("/troupe/cli/memory-limit", test_memory_limit);
  g_test_add_func ("/troupe/cli/monitor-usage", test_monitor_usage);
  g_test_add_func ("/troupe/cli/cluster-stats", test_cluster_stats);

  return troupe_test_run_all ();
}
