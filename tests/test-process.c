/* test-process.c: runs of real child processes, from start to how they end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "troupe-log-search.h"
#include "troupe-signal-names.h"
#include "troupe-spool.h"
#include "troupe-test-util.h"

static void
assert_reaped (TroupeProcess *process)
{
  GPid pid = troupe_process_get_pid (process);

  g_assert_cmpint (pid, >, 0);
  /* The leader is held (a zombie) until nothing else lives in its group. */
  troupe_test_wait_group_gone (process);
  /* Reaped by us: waitpid has nothing more to report for it. */
  g_assert_cmpint (waitpid (pid, NULL, WNOHANG), ==, -1);
  g_assert_cmpint (errno, ==, ECHILD);
  g_assert_true (troupe_test_pid_is_gone (pid));
}

static void
test_exit_codes (void)
{
  const int codes[] = { 0, 3, 255 };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autofree char *code = g_strdup_printf ("%d", codes[i]);
      g_autoptr(TroupeCommand) command = troupe_test_child_command ("exit", code, NULL);
      g_autoptr(TroupeProcess) process = troupe_test_run (command);
      g_autofree char *status = NULL;
      g_autofree char *expected = g_strdup_printf ("Exited with code %d", codes[i]);

      g_assert_cmpint (troupe_process_get_state (process), ==, TROUPE_PROCESS_STATE_RUNNING);
      troupe_test_wait_ended (process);

      g_assert_cmpint (troupe_process_get_state (process), ==, TROUPE_PROCESS_STATE_EXITED);
      g_assert_cmpint (troupe_process_get_exit_code (process), ==, codes[i]);
      g_assert_cmpint (troupe_process_get_term_signal (process), ==, 0);
      g_assert_cmpint (troupe_process_get_duration (process), >, 0);
      status = troupe_process_dup_status_text (process);
      g_assert_cmpstr (status, ==, expected);
      assert_reaped (process);
    }
}

static void
test_signals (void)
{
  static const struct { int number; const char *name; const char *status; } cases[] = {
    { SIGSEGV, "SIGSEGV", "Killed by SIGSEGV (segmentation fault)" },
    { SIGABRT, "SIGABRT", "Killed by SIGABRT (aborted)" },
    { SIGKILL, "SIGKILL", "Killed by SIGKILL (killed)" },
    { SIGTERM, "SIGTERM", "Killed by SIGTERM (terminated)" },
    { SIGINT, "SIGINT", "Killed by SIGINT (interrupt)" },
    { SIGHUP, "SIGHUP", "Killed by SIGHUP (hangup)" },
    { SIGQUIT, "SIGQUIT", "Killed by SIGQUIT (quit)" },
    { SIGUSR1, "SIGUSR1", "Killed by SIGUSR1 (user signal 1)" },
    { SIGUSR2, "SIGUSR2", "Killed by SIGUSR2 (user signal 2)" },
    { SIGPIPE, "SIGPIPE", "Killed by SIGPIPE (broken pipe)" },
    { SIGALRM, "SIGALRM", "Killed by SIGALRM (alarm clock)" },
    { SIGBUS, "SIGBUS", "Killed by SIGBUS (bus error)" },
    { SIGFPE, "SIGFPE", "Killed by SIGFPE (arithmetic error)" },
    { SIGILL, "SIGILL", "Killed by SIGILL (illegal instruction)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *number = g_strdup_printf ("%d", cases[i].number);
      g_autoptr(TroupeCommand) command = troupe_test_child_command ("signal", number, NULL);
      g_autoptr(TroupeProcess) process = troupe_test_run (command);
      g_autofree char *status = NULL;

      troupe_test_wait_ended (process);
      g_assert_cmpint (troupe_process_get_state (process), ==, TROUPE_PROCESS_STATE_SIGNALED);
      g_assert_cmpint (troupe_process_get_term_signal (process), ==, cases[i].number);
      g_assert_cmpint (troupe_process_get_exit_code (process), ==, -1);
      g_assert_cmpstr (troupe_signal_name (cases[i].number), ==, cases[i].name);
      g_assert_cmpint (troupe_signal_from_name (cases[i].name), ==, cases[i].number);
      g_assert_cmpint (troupe_signal_from_name (cases[i].name + 3), ==, cases[i].number);
      status = troupe_process_dup_status_text (process);
      g_assert_cmpstr (status, ==, cases[i].status);
      assert_reaped (process);
    }

  g_assert_cmpstr (troupe_signal_name (SIGRTMIN + 2), ==, "SIGRTMIN+2");
  g_assert_cmpint (troupe_signal_from_name ("NOPE"), ==, 0);
}

static void
test_streams_apart (void)
{
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("streams", "200", NULL);
  g_autoptr(TroupeProcess) process = troupe_test_run (command);
  TroupeLog *log;
  g_autoptr(GPtrArray) out = NULL;
  g_autoptr(GPtrArray) err = NULL;

  troupe_test_wait_ended (process);
  log = troupe_process_get_log (process);

  out = troupe_test_read_lines (log, TROUPE_LINES_STDOUT);
  err = troupe_test_read_lines (log, TROUPE_LINES_STDERR);
  g_assert_cmpuint (out->len, ==, 200);
  g_assert_cmpuint (err->len, ==, 200);
  g_assert_cmpuint (troupe_log_get_n_lines (log, TROUPE_LINES_ALL), ==, 400);
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *expected_out = g_strdup_printf ("out %u", i + 1);
      g_autofree char *expected_err = g_strdup_printf ("err %u", i + 1);

      g_assert_cmpstr (g_ptr_array_index (out, i), ==, expected_out);
      g_assert_cmpstr (g_ptr_array_index (err, i), ==, expected_err);
    }

  /* In the interleaved view each line says where it came from, and times never go back. */
  for (guint i = 0, last_time = 0; i < 400; i++)
    {
      TroupeLineInfo info;
      g_autofree char *text = troupe_log_read_line_text (log, TROUPE_LINES_ALL, i, &info, NULL);

      const char *prefix = info.stream == TROUPE_STREAM_STDOUT ? "out " : "err ";

      g_assert_true (g_str_has_prefix (text, prefix));
      g_assert_cmpint (info.time, >=, last_time);
      last_time = info.time;
    }
}

static void
test_stdin_round_trip (void)
{
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("echo", NULL);
  g_autoptr(TroupeProcess) process = troupe_test_run (command);
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;

  troupe_test_wait_lines (process, TROUPE_LINES_STDOUT, 1);
  g_assert_true (troupe_process_is_stdin_open (process));
  g_assert_true (troupe_process_write_line (process, "hello", &error));
  g_assert_no_error (error);
  g_assert_true (troupe_process_write_stdin (process, (const guint8 *) "raw bytes\n", 10, &error));
  g_assert_no_error (error);
  troupe_test_wait_lines (process, TROUPE_LINES_STDOUT, 3);

  /* Still running: the child only ends when it sees end of file. */
  g_assert_true (troupe_process_is_running (process));
  troupe_process_close_stdin (process);
  g_assert_false (troupe_process_is_stdin_open (process));
  g_assert_false (troupe_process_write_line (process, "too late", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);

  troupe_test_wait_ended (process);
  g_assert_cmpint (troupe_process_get_exit_code (process), ==, 0);
  lines = troupe_test_read_lines (troupe_process_get_log (process), TROUPE_LINES_STDOUT);
  g_assert_cmpuint (lines->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "ready");
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "got: hello");
  g_assert_cmpstr (g_ptr_array_index (lines, 2), ==, "got: raw bytes");
  g_assert_cmpstr (g_ptr_array_index (lines, 3), ==, "eof");
}

static void
test_stdin_large (void)
{
  /* More than a pipe holds: the rest waits in our queue, never blocking us. */
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("echo", NULL);
  g_autoptr(TroupeProcess) process = troupe_test_run (command);
  g_autofree char *line = g_strnfill (999, 'y');

  for (guint i = 0; i < 1000; i++)
    g_assert_true (troupe_process_write_line (process, line, NULL));
  troupe_process_close_stdin (process);
  troupe_test_wait_ended (process);
  /* ready + 1000 echoes + eof */
  g_assert_cmpuint (troupe_log_get_n_lines (troupe_process_get_log (process), TROUPE_LINES_STDOUT),
                    ==, 1002);
}

static void
count_call (guint *count)
{
  (*count)++;
}

static void
test_stdin_drains (void)
{
  /* 4 MiB is far more than a pipe holds: it queues, then drains as the child reads. */
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("echo", NULL);
  g_autoptr(TroupeProcess) process = troupe_test_run (command);
  g_autofree guint8 *data = g_malloc (4 * 1024 * 1024);
  guint drained = 0;

  memset (data, 'z', 4 * 1024 * 1024);
  data[4 * 1024 * 1024 - 1] = '\n';
  g_signal_connect_swapped (process, "stdin-drained", G_CALLBACK (count_call), &drained);
  g_assert_true (troupe_process_write_stdin (process, data, 4 * 1024 * 1024, NULL));
  g_assert_cmpuint (troupe_process_get_stdin_queued (process), >, 0);
  while (drained == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (troupe_process_get_stdin_queued (process), ==, 0);
  troupe_process_close_stdin (process);
  troupe_test_wait_ended (process);
  g_assert_cmpuint (troupe_log_get_n_bytes (troupe_process_get_log (process), TROUPE_LINES_STDOUT),
                    ==, strlen ("ready\n") + strlen ("got: ") + 4 * 1024 * 1024 + strlen ("eof\n"));
}

static void
test_failed_starts (void)
{
  g_autofree char *folder = g_dir_make_tmp ("troupe-test-XXXXXX", NULL);
  g_autofree char *not_executable = g_build_filename (folder, "data.txt", NULL);
  g_autofree char *missing_folder = g_build_filename (folder, "missing", NULL);
  struct {
    const char *argv[3];
    const char *cwd;
    int code;
    const char *message;
  } cases[] = {
    { { "troupe-no-such-command", NULL }, NULL, TROUPE_LAUNCH_ERROR_NOT_FOUND,
      "command not found: troupe-no-such-command" },
    { { "/no/such/program", NULL }, NULL, TROUPE_LAUNCH_ERROR_NOT_FOUND,
      "command not found: /no/such/program" },
    { { "./data.txt", NULL }, folder, TROUPE_LAUNCH_ERROR_PERMISSION_DENIED,
      "permission denied: ./data.txt" },
    { { "/tmp", NULL }, NULL, TROUPE_LAUNCH_ERROR_NOT_A_PROGRAM,
      "is a folder, not a program: /tmp" },
    { { "true", NULL }, missing_folder, TROUPE_LAUNCH_ERROR_NO_SUCH_FOLDER, NULL },
    { { "", NULL }, NULL, TROUPE_LAUNCH_ERROR_EMPTY_COMMAND, NULL },
  };

  g_assert_true (g_file_set_contents (not_executable, "not a program\n", -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TroupeCommand) command = troupe_command_new_argv (cases[i].argv);
      g_autoptr(TroupeSpoolDir) spool_dir = troupe_spool_dir_new_default ();
      g_autoptr(TroupeProcess) process = troupe_process_new (command);
      g_autoptr(GError) error = NULL;
      guint ended = 0;
      g_autofree char *status = NULL;

      troupe_command_set_cwd (command, cases[i].cwd);
      g_signal_connect_swapped (process, "ended", G_CALLBACK (count_call), &ended);
      g_assert_false (troupe_process_start (process, troupe_launcher_get_default (), spool_dir,
                                            &error));
      g_assert_error (error, TROUPE_LAUNCH_ERROR, cases[i].code);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
      /* "ended" was emitted, so the window hears of a failed start as of any end. */
      g_assert_cmpuint (ended, ==, 1);
      g_assert_cmpint (troupe_process_get_state (process), ==,
                       TROUPE_PROCESS_STATE_FAILED_TO_START);
      g_assert_cmpstr (troupe_process_get_error_message (process), ==, error->message);
      g_assert_cmpint (troupe_process_get_pid (process), ==, 0);
      status = troupe_process_dup_status_text (process);
      g_assert_true (g_str_has_prefix (status, "Failed to start: "));
    }

  {
    g_autofree char *expected = g_strdup_printf ("no such folder: %s", missing_folder);
    g_autoptr(TroupeCommand) command = troupe_command_new_argv ((const char *[]) { "true", NULL });
    g_autoptr(TroupeProcess) process = NULL;

    troupe_command_set_cwd (command, missing_folder);
    process = troupe_test_run (command);
    g_assert_cmpstr (troupe_process_get_error_message (process), ==, expected);
  }

  g_unlink (not_executable);
  g_rmdir (folder);
}

static void
test_shell_line (void)
{
  g_autoptr(TroupeCommand) command =
    troupe_command_new_shell ("echo apple | tr a b; echo oops >&2; exit 4");
  g_autoptr(TroupeProcess) process = troupe_test_run (command);
  g_autoptr(GPtrArray) out = NULL;
  g_autoptr(GPtrArray) err = NULL;
  g_autofree char *display = troupe_command_to_display_string (command);

  g_assert_true (troupe_command_is_shell (command));
  g_assert_cmpstr (display, ==, "echo apple | tr a b; echo oops >&2; exit 4");
  troupe_test_wait_ended (process);
  g_assert_cmpint (troupe_process_get_exit_code (process), ==, 4);
  out = troupe_test_read_lines (troupe_process_get_log (process), TROUPE_LINES_STDOUT);
  err = troupe_test_read_lines (troupe_process_get_log (process), TROUPE_LINES_STDERR);
  g_assert_cmpuint (out->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (out, 0), ==, "bpple");
  g_assert_cmpuint (err->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (err, 0), ==, "oops");
}

static void
test_env_and_cwd (void)
{
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("env", "TROUPE_SET", "TROUPE_GONE",
                                                                "TROUPE_REPLACED", NULL);
  g_autoptr(TroupeCommand) cwd_command = troupe_test_child_command ("cwd", NULL);
  g_autoptr(TroupeProcess) process = NULL;
  g_autoptr(TroupeProcess) cwd_process = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autofree char *folder = g_dir_make_tmp ("troupe-cwd-XXXXXX", NULL);
  g_autofree char *real_folder = realpath (folder, NULL);

  g_setenv ("TROUPE_GONE", "parent", TRUE);
  g_setenv ("TROUPE_REPLACED", "parent", TRUE);
  troupe_command_setenv (command, "TROUPE_SET", "a value with spaces");
  troupe_command_unsetenv (command, "TROUPE_GONE");
  troupe_command_unsetenv (command, "TROUPE_REPLACED");
  troupe_command_setenv (command, "TROUPE_REPLACED", "child");
  process = troupe_test_run (command);
  troupe_test_wait_ended (process);
  lines = troupe_test_read_lines (troupe_process_get_log (process), TROUPE_LINES_STDOUT);
  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "TROUPE_SET=a value with spaces");
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "TROUPE_GONE unset");
  g_assert_cmpstr (g_ptr_array_index (lines, 2), ==, "TROUPE_REPLACED=child");
  g_clear_pointer (&lines, g_ptr_array_unref);

  troupe_command_set_cwd (cwd_command, folder);
  cwd_process = troupe_test_run (cwd_command);
  troupe_test_wait_ended (cwd_process);
  lines = troupe_test_read_lines (troupe_process_get_log (cwd_process), TROUPE_LINES_STDOUT);
  g_assert_cmpuint (lines->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, real_folder);
  g_rmdir (folder);
}

static void
test_no_leaked_fds (void)
{
  /* A descriptor opened without close-on-exec, as a careless library might. */
  int leaky = open ("/dev/null", O_RDONLY);
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("list-fds", NULL);
  g_autoptr(TroupeProcess) process = NULL;
  g_autoptr(GPtrArray) lines = NULL;

  g_assert_cmpint (leaky, >, 2);
  process = troupe_test_run (command);
  troupe_test_wait_ended (process);
  lines = troupe_test_read_lines (troupe_process_get_log (process), TROUPE_LINES_STDOUT);
  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "0");
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "1");
  g_assert_cmpstr (g_ptr_array_index (lines, 2), ==, "2");
  close (leaky);
}

/* Counts the descriptors a run uses — pipes, pidfds and spool files — leaving
 * out what GLib's worker threads open and close on their own (/proc scans). */
static guint
count_run_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint count = 0;
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/self/fd/%s", name);
      g_autofree char *target = g_file_read_link (path, NULL);

      if (target != NULL && (g_str_has_prefix (target, "pipe:") ||
                             g_str_has_prefix (target, "anon_inode:[pidfd]") ||
                             g_str_has_suffix (target, ".log")))
        {
          g_test_message ("open: fd %s -> %s", name, target);
          count++;
        }
    }
  return count;
}

static void
test_no_fds_left_behind (void)
{
  /* Pipes, stdin and the spool are all closed once a finished run is released. */
  guint before;
  guint after;

  /* The first round warms up what GLib opens once per process (its worker
   * threads' wakeup descriptors); from then on, nothing may accumulate. */
  before = 0;
  for (guint i = 0; i < 21; i++)
    {
      g_autoptr(TroupeCommand) command = troupe_test_child_command ("streams", "3", NULL);
      g_autoptr(TroupeCommand) missing =
        troupe_command_new_argv ((const char *[]) { "troupe-missing", NULL });
      g_autoptr(TroupeProcess) process = troupe_test_run (command);
      g_autoptr(TroupeProcess) failed = troupe_test_run (missing);

      troupe_process_write_line (process, "unread", NULL);
      troupe_test_wait_ended (process);
      troupe_test_wait_group_gone (process);
      g_clear_object (&process);
      g_clear_object (&failed);
      /* The spool file closes once its last write is done; finished tasks let go
       * of their process on the next iterations. */
      troupe_spool_wait_all ();
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (i == 0)
        before = count_run_fds ();
    }
  after = count_run_fds ();
  g_assert_cmpuint (after, ==, before);
}

static void
test_stop_plain (void)
{
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("sleep", NULL);
  g_autoptr(TroupeProcess) process = troupe_test_run (command);

  troupe_test_wait_lines (process, TROUPE_LINES_STDOUT, 1);
  troupe_process_stop (process);
  troupe_test_wait_ended (process);
  g_assert_cmpint (troupe_process_get_term_signal (process), ==, SIGTERM);
  assert_reaped (process);
}

static void
test_stop_escalates (void)
{
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("ignore-term", NULL);
  g_autoptr(TroupeProcess) process = NULL;

  troupe_command_set_stop_timeout (command, 200);
  process = troupe_test_run (command);
  troupe_test_wait_lines (process, TROUPE_LINES_STDOUT, 1);
  troupe_process_stop (process);
  troupe_test_wait_ended (process);
  /* It ignored SIGTERM, so it was the SIGKILL after the timeout that ended it. */
  g_assert_cmpint (troupe_process_get_term_signal (process), ==, SIGKILL);
  assert_reaped (process);
}

static void
test_stop_grandchild (void)
{
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("grandchild", NULL);
  g_autoptr(TroupeProcess) process = NULL;
  g_autofree char *first = NULL;
  guint64 grandchild;

  troupe_command_set_stop_timeout (command, 200);
  process = troupe_test_run (command);
  troupe_test_wait_lines (process, TROUPE_LINES_STDOUT, 1);
  first = troupe_log_read_line_text (troupe_process_get_log (process), TROUPE_LINES_STDOUT, 0,
                                     NULL, NULL);
  g_assert_true (g_str_has_prefix (first, "grandchild "));
  g_assert_true (g_ascii_string_to_unsigned (first + 11, 10, 1, G_MAXINT, &grandchild, NULL));
  g_assert_false (troupe_test_pid_is_gone (grandchild));

  troupe_process_stop (process);
  troupe_test_wait_ended (process);
  /* The leader took SIGTERM; its grandchild ignored it and still holds the pipe. */
  g_assert_cmpint (troupe_process_get_term_signal (process), ==, SIGTERM);
  assert_reaped (process);

  /* The SIGKILL to the group gets the grandchild too, and its pipe closes. */
  troupe_test_wait_pid_gone (grandchild);
  while (troupe_process_is_group_alive (process))
    g_main_context_iteration (NULL, TRUE);
}

static GPid
pid_after_word (TroupeProcess *process,
                const char    *word)
{
  g_autofree char *first = NULL;
  guint64 pid;

  troupe_test_wait_lines (process, TROUPE_LINES_STDOUT, 1);
  first = troupe_log_read_line_text (troupe_process_get_log (process), TROUPE_LINES_STDOUT, 0,
                                     NULL, NULL);
  g_assert_true (g_str_has_prefix (first, word));
  g_assert_true (g_ascii_string_to_unsigned (first + strlen (word) + 1, 10, 1, G_MAXINT, &pid,
                                             NULL));
  return pid;
}

static char
proc_state (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  return strrchr (contents, ')')[2];
}

static void
test_group_outlives_leader (void)
{
  /* The leader exits leaving a SIGTERM-ignoring process in its group, with our
   * pipes closed: the group is still ours to stop, and its id is still held. */
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("leave-behind", NULL);
  g_autoptr(TroupeProcess) process = NULL;
  GPid left;
  GPid leader;

  troupe_command_set_stop_timeout (command, 200);
  process = troupe_test_run (command);
  leader = troupe_process_get_pid (process);
  left = pid_after_word (process, "left");
  troupe_test_wait_ended (process);
  g_assert_cmpint (troupe_process_get_exit_code (process), ==, 0);

  /* Let a few group checks go by: the member keeps the group alive. */
  for (gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC * 3 / 2;
       g_get_monotonic_time () < until;)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (troupe_process_is_group_alive (process));
  g_assert_false (troupe_test_pid_is_gone (left));
  /* The leader is held unreaped, so its pid — the group id — cannot be reused. */
  g_assert_cmpint (proc_state (leader), ==, 'Z');

  troupe_process_stop (process);
  troupe_test_wait_group_gone (process);
  troupe_test_wait_pid_gone (left);
  assert_reaped (process);
}

static void
test_daemon_does_not_hold_us (void)
{
  /* A daemon that left the group with setsid() but kept our stdout: the run's
   * group is empty, so the run lets go of the pipes instead of waiting. */
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("daemon", NULL);
  g_autoptr(TroupeProcess) process = troupe_test_run (command);
  GPid daemon = pid_after_word (process, "daemon");

  troupe_test_wait_ended (process);
  troupe_test_wait_group_gone (process);
  assert_reaped (process);
  g_assert_false (troupe_test_pid_is_gone (daemon));
  g_assert_cmpuint (troupe_log_get_n_lines (troupe_process_get_log (process), TROUPE_LINES_ALL),
                    ==, 1);
  kill (daemon, SIGKILL);
}

static void
test_session_remove_stops (void)
{
  /* Removing a run whose leader is gone still stops what it left behind. */
  g_autoptr(TroupeSpoolDir) spool_dir = troupe_spool_dir_new_default ();
  g_autoptr(TroupeSession) session = troupe_session_new (troupe_launcher_get_default (), spool_dir);
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("leave-behind", NULL);
  TroupeProcess *process;
  GPid left;

  troupe_command_set_stop_timeout (command, 200);
  process = troupe_session_run (session, command, NULL);
  left = pid_after_word (process, "left");
  troupe_test_wait_ended (process);
  g_assert_cmpuint (troupe_session_count_alive (session), ==, 1);

  troupe_session_remove (session, process);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (session)), ==, 0);
  /* Out of the list, but not forgotten until its group is gone. */
  g_assert_cmpuint (troupe_session_count_alive (session), ==, 1);
  troupe_test_wait_pid_gone (left);
  troupe_session_stop_all_sync (session);
  g_assert_cmpuint (troupe_session_count_alive (session), ==, 0);
}

static void
test_kill_and_signal (void)
{
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("ignore-term", NULL);
  g_autoptr(TroupeCommand) usr1_command = troupe_test_child_command ("sleep", NULL);
  g_autoptr(TroupeProcess) process = troupe_test_run (command);
  g_autoptr(TroupeProcess) usr1_process = troupe_test_run (usr1_command);
  g_autoptr(GError) error = NULL;

  troupe_test_wait_lines (process, TROUPE_LINES_STDOUT, 1);
  g_assert_true (troupe_process_send_signal (process, SIGTERM, &error));
  g_assert_no_error (error);
  g_assert_true (troupe_process_kill (process, &error));
  g_assert_no_error (error);
  troupe_test_wait_ended (process);
  g_assert_cmpint (troupe_process_get_term_signal (process), ==, SIGKILL);
  troupe_test_wait_group_gone (process);
  g_assert_false (troupe_process_kill (process, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  troupe_test_wait_lines (usr1_process, TROUPE_LINES_STDOUT, 1);
  g_assert_true (troupe_process_send_signal (usr1_process, SIGUSR1, NULL));
  troupe_test_wait_ended (usr1_process);
  g_assert_cmpint (troupe_process_get_term_signal (usr1_process), ==, SIGUSR1);
}

static void
test_session_stops_all (void)
{
  g_autoptr(TroupeSpoolDir) spool_dir = troupe_spool_dir_new_default ();
  g_autoptr(TroupeSession) session = troupe_session_new (troupe_launcher_get_default (), spool_dir);
  g_autoptr(TroupeCommand) stubborn = troupe_test_child_command ("ignore-term", NULL);
  g_autoptr(TroupeCommand) polite = troupe_test_child_command ("sleep", NULL);
  g_autoptr(TroupeCommand) family = troupe_test_child_command ("grandchild", NULL);
  g_autoptr(TroupeCommand) missing =
    troupe_command_new_argv ((const char *[]) { "troupe-missing", NULL });
  TroupeProcess *processes[4];

  troupe_command_set_stop_timeout (stubborn, 200);
  troupe_command_set_stop_timeout (family, 200);
  processes[0] = troupe_session_run (session, stubborn, NULL);
  processes[1] = troupe_session_run (session, polite, NULL);
  processes[2] = troupe_session_run (session, family, NULL);
  processes[3] = troupe_session_run (session, missing, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (session)), ==, 4);
  for (guint i = 0; i < 3; i++)
    troupe_test_wait_lines (processes[i], TROUPE_LINES_STDOUT, 1);
  g_assert_cmpuint (troupe_session_count_alive (session), ==, 3);

  troupe_session_stop_all_sync (session);

  g_assert_cmpuint (troupe_session_count_alive (session), ==, 0);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (troupe_process_has_ended (processes[i]));
      assert_reaped (processes[i]);
    }
  g_assert_cmpint (troupe_process_get_term_signal (processes[0]), ==, SIGKILL);
  g_assert_cmpint (troupe_process_get_term_signal (processes[1]), ==, SIGTERM);
  g_assert_cmpint (troupe_process_get_state (processes[3]), ==,
                   TROUPE_PROCESS_STATE_FAILED_TO_START);

  troupe_session_remove (session, processes[3]);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (session)), ==, 3);
}

static void
test_session_prunes_old_logs (void)
{
  g_autofree char *folder = troupe_test_make_folder ("session-retention");
  g_autoptr(TroupeSpoolDir) spool_dir = troupe_spool_dir_new (folder);
  g_autoptr(TroupeSession) session = troupe_session_new (troupe_launcher_get_default (), spool_dir);
  /* A run that prints nothing makes no spool, so what is left is retention's doing. */
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("exit", "0", NULL);
  g_autoptr(GDir) dir = NULL;
  TroupeProcess *process;
  guint remaining = 0;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("old-%u.log", i);
      g_autofree char *path = g_build_filename (folder, name, NULL);
      struct timeval times[2] = { { .tv_sec = 1000000000 + i }, { .tv_sec = 1000000000 + i } };

      g_assert_true (g_file_set_contents (path, "old output\n", -1, NULL));
      g_assert_cmpint (utimes (path, times), ==, 0);
    }
  troupe_spool_dir_set_keep_runs (spool_dir, 2);

  process = troupe_session_run (session, command, NULL);
  troupe_test_wait_ended (process);
  /* Waits for the cleanup started with the run, too. */
  troupe_session_stop_all_sync (session);

  /* The two newest old spools were kept when the run started. */
  dir = g_dir_open (folder, 0, NULL);
  while (g_dir_read_name (dir) != NULL)
    remaining++;
  g_assert_cmpuint (remaining, ==, 2);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("old-%u.log", i);
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS) == (i >= 3));
    }
  g_assert_null (troupe_log_get_spool_path (troupe_process_get_log (process)));
}

static void
test_big_output (void)
{
  /* 100 MB of 100-byte lines, each starting with its number: none lost, none merged. */
  const guint64 total = 100000000;
  const guint n_lines = 1000000;
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("flood", "100000000", "100", NULL);
  g_autoptr(TroupeProcess) process = troupe_test_run (command);
  TroupeLog *log;
  GStatBuf st;

  troupe_test_wait_ended (process);
  g_assert_cmpint (troupe_process_get_exit_code (process), ==, 0);
  log = troupe_process_get_log (process);
  g_assert_cmpuint (troupe_log_get_n_bytes (log, TROUPE_LINES_ALL), ==, total);
  g_assert_cmpuint (troupe_log_get_n_bytes (log, TROUPE_LINES_STDOUT), ==, total);
  g_assert_cmpuint (troupe_log_get_n_lines (log, TROUPE_LINES_ALL), ==, n_lines);
  g_assert_cmpuint (troupe_log_get_n_lines (log, TROUPE_LINES_STDERR), ==, 0);
  /* Lines read back below come from the file and from what is still in memory;
   * once saved, the file holds every byte. */
  for (guint i = 0; i < n_lines; i += 99991)
    {
      g_autoptr(GBytes) line = troupe_log_read_line (log, TROUPE_LINES_ALL, i, NULL, NULL);
      g_assert_cmpuint (g_bytes_get_size (line), ==, 99);
    }
  troupe_log_wait_saved (log);
  g_assert_cmpint (g_stat (troupe_log_get_spool_path (log), &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, total);

  for (guint i = 0; i < n_lines; i++)
    {
      TroupeLineInfo info;
      g_autoptr(GBytes) line = troupe_log_read_line (log, TROUPE_LINES_ALL, i, &info, NULL);
      char expected[16];

      g_assert_cmpuint (info.length, ==, 100);
      g_assert_cmpuint (info.offset, ==, (guint64) i * 100);
      g_assert_cmpuint (g_bytes_get_size (line), ==, 99);
      g_snprintf (expected, sizeof expected, "%09u ", i);
      g_assert_cmpint (memcmp (g_bytes_get_data (line, NULL), expected, 10), ==, 0);
    }
}

/* GTK paints at this priority (GDK_PRIORITY_REDRAW); the core does not link GTK. */
#define REDRAW_PRIORITY (G_PRIORITY_HIGH_IDLE + 20)

/* Starts a child that writes far more than a pipe holds, and leaves it blocked
 * on a full pipe: from now on the output source is ready at every iteration. */
static TroupeProcess *
run_blocked_flood (void)
{
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("flood", "1000000000", "100", NULL);
  TroupeProcess *process = troupe_test_run (command);

  troupe_test_wait_lines (process, TROUPE_LINES_ALL, 1);
  g_usleep (G_USEC_PER_SEC / 5);
  return process;
}

static void
stop_flood (TroupeProcess *process)
{
  g_assert_true (troupe_process_kill (process, NULL));
  troupe_test_wait_ended (process);
}

static gboolean
note_bytes_read (gpointer user_data)
{
  TroupeProcess *process = user_data;
  guint64 *bytes = g_object_get_data (G_OBJECT (process), "bytes-at-redraw");

  *bytes = troupe_log_get_n_bytes (troupe_process_get_log (process), TROUPE_LINES_ALL);
  return G_SOURCE_REMOVE;
}

static void
test_output_yields_to_redraw (void)
{
  /* A child writing without pause must not starve the window's frames: with
   * output always waiting, a redraw still runs before the next read. */
  g_autoptr(TroupeProcess) process = run_blocked_flood ();
  TroupeLog *log = troupe_process_get_log (process);
  guint64 before = troupe_log_get_n_bytes (log, TROUPE_LINES_ALL);
  guint64 at_redraw = G_MAXUINT64;

  g_object_set_data (G_OBJECT (process), "bytes-at-redraw", &at_redraw);
  g_idle_add_full (REDRAW_PRIORITY, note_bytes_read, process, NULL);
  while (at_redraw == G_MAXUINT64)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (at_redraw, ==, before);

  stop_flood (process);
}

static void
on_search_changed (TroupeLogSearch *search,
                   gboolean        *changed)
{
  *changed = TRUE;
}

static void
test_search_keeps_up_with_flood (void)
{
  /* A search takes turns with output that never pauses, rather than waiting for
   * a pause: it runs in the same iteration as the next read. */
  g_autoptr(TroupeProcess) process = run_blocked_flood ();
  TroupeLog *log = troupe_process_get_log (process);
  g_autoptr(TroupeLogSearch) search = troupe_log_search_new (log, "000000000 ");
  guint64 before = troupe_log_get_n_bytes (log, TROUPE_LINES_ALL);
  gboolean changed = FALSE;

  g_signal_connect (search, "changed", G_CALLBACK (on_search_changed), &changed);
  while (troupe_log_get_n_bytes (log, TROUPE_LINES_ALL) == before)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (changed);
  g_assert_cmpuint (troupe_log_search_get_n_matches (search), ==, 1);
  g_assert_cmpuint (troupe_log_search_get_match (search, 0), ==, 0);

  g_signal_handlers_disconnect_by_data (search, &changed);
  stop_flood (process);
}

int
main (int   argc,
      char *argv[])
{
  troupe_test_init (&argc, &argv);

  g_test_add_func ("/troupe/process/exit-codes", test_exit_codes);
  g_test_add_func ("/troupe/process/signals", test_signals);
  g_test_add_func ("/troupe/process/streams-apart", test_streams_apart);
  g_test_add_func ("/troupe/process/stdin-round-trip", test_stdin_round_trip);
  g_test_add_func ("/troupe/process/stdin-large", test_stdin_large);
  g_test_add_func ("/troupe/process/stdin-drains", test_stdin_drains);
  g_test_add_func ("/troupe/process/failed-starts", test_failed_starts);
  g_test_add_func ("/troupe/process/shell-line", test_shell_line);
  g_test_add_func ("/troupe/process/env-and-cwd", test_env_and_cwd);
  g_test_add_func ("/troupe/process/no-leaked-fds", test_no_leaked_fds);
  g_test_add_func ("/troupe/process/no-fds-left-behind", test_no_fds_left_behind);
  g_test_add_func ("/troupe/process/stop", test_stop_plain);
  g_test_add_func ("/troupe/process/stop-escalates", test_stop_escalates);
  g_test_add_func ("/troupe/process/stop-grandchild", test_stop_grandchild);
  g_test_add_func ("/troupe/process/group-outlives-leader", test_group_outlives_leader);
  g_test_add_func ("/troupe/process/daemon-does-not-hold-us", test_daemon_does_not_hold_us);
  g_test_add_func ("/troupe/process/session-remove-stops", test_session_remove_stops);
  g_test_add_func ("/troupe/process/kill-and-signal", test_kill_and_signal);
  g_test_add_func ("/troupe/process/session-stops-all", test_session_stops_all);
  g_test_add_func ("/troupe/process/session-prunes-old-logs", test_session_prunes_old_logs);
  g_test_add_func ("/troupe/process/big-output", test_big_output);
  g_test_add_func ("/troupe/process/output-yields-to-redraw", test_output_yields_to_redraw);
  g_test_add_func ("/troupe/process/search-keeps-up-with-flood", test_search_keeps_up_with_flood);

  return troupe_test_run_all ();
}
