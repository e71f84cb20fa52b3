/* bench-channel-troupe.c: messages through Troupe's fork channel, with a Node or a C child
 *
 * Runs PROGRAM [ARGUMENT...] MODE N as a fork child through a TroupeSession
 * with the default launcher (channel at fd 3, NODE_CHANNEL_FD=3, json
 * serialization), exactly as the app runs one, and waits for the child's
 * {"ready":true}. Then the clock starts:
 *   to-child N:   N troupe_channel_send_text() calls in a loop; the clock
 *                 stops at the child's {"count":N};
 *   from-child N: one message to start the child; stops at the Nth
 *                 "message" signal;
 *   ping-pong N:  a message, and the next one sent from the "message"
 *                 handler of its echo, N times.
 * The message is {"n":12345,"text":"hello"}. The child's start and end are
 * not timed. The child is bench-channel-child.js (under node) or
 * bench-channel-child.
 *
 * Also measured over the same time: the CPU time this process used (all its
 * threads, from getrusage()) and the CPU time the child used (from
 * /proc/PID/stat, in clock ticks of 10 ms), to show which side is busy.
 *
 * Usage: bench-channel-troupe MODE N PROGRAM [ARGUMENT...]
 * Prints key=value pairs: messages (round trips for ping-pong), seconds,
 * messages_per_s or round_trips_per_s, parent_cpu_s, child_cpu_s.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "troupe-command.h"
#include "troupe-launcher.h"
#include "troupe-process.h"
#include "troupe-session.h"
#include "troupe-spool-dir.h"

#define MESSAGE "{\"n\":12345,\"text\":\"hello\"}"
/* Far beyond any run here: a child that stops answering fails the benchmark
 * instead of hanging the suite. */
#define GIVE_UP_SECONDS 120

typedef enum
{
  MODE_TO_CHILD,
  MODE_FROM_CHILD,
  MODE_PING_PONG,
} Mode;

typedef struct
{
  GMainLoop     *loop;
  TroupeChannel *channel;
  Mode           mode;
  guint64        n_messages;
  guint64        n_received;
  char          *expected_count;
  gboolean       ready;
  gboolean       done;
  char          *failure;
  gint64         end_time;
} Bench;

static void
fail (Bench      *bench,
      const char *failure)
{
  if (bench->failure == NULL)
    bench->failure = g_strdup (failure);
  g_main_loop_quit (bench->loop);
}

static void
finish (Bench *bench)
{
  bench->end_time = g_get_monotonic_time ();
  bench->done = TRUE;
  g_main_loop_quit (bench->loop);
}

static gboolean
line_is (GBytes     *line,
         const char *text)
{
  gsize length;
  const char *data = g_bytes_get_data (line, &length);

  return length == strlen (text) && memcmp (data, text, length) == 0;
}

static void
send_message (Bench *bench)
{
  g_autoptr(GError) error = NULL;

  if (!troupe_channel_send_text (bench->channel, MESSAGE, sizeof MESSAGE - 1, &error))
    fail (bench, error->message);
}

static void
on_message (TroupeChannel *channel,
            GBytes        *line,
            gboolean       internal,
            Bench         *bench)
{
  if (internal || bench->done || bench->failure != NULL)
    return;

  if (!bench->ready)
    {
      if (!line_is (line, "{\"ready\":true}"))
        fail (bench, "the child did not say it was ready first");
      bench->ready = TRUE;
      g_main_loop_quit (bench->loop);
      return;
    }

  switch (bench->mode)
    {
    case MODE_TO_CHILD:
      if (line_is (line, bench->expected_count))
        finish (bench);
      else
        fail (bench, "the child counted a wrong number of messages");
      break;
    case MODE_FROM_CHILD:
      if (++bench->n_received == bench->n_messages)
        finish (bench);
      break;
    case MODE_PING_PONG:
      if (!line_is (line, MESSAGE))
        fail (bench, "a message came back changed");
      else if (++bench->n_received == bench->n_messages)
        finish (bench);
      else
        send_message (bench);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
on_disconnected (TroupeChannel *channel,
                 Bench         *bench)
{
  if (!bench->done)
    fail (bench, "the channel closed early");
}

static void
on_ended (TroupeProcess *process,
          gpointer       user_data)
{
  g_main_loop_quit (user_data);
}

static gboolean
on_give_up (gpointer user_data)
{
  fail (user_data, "no answer in " G_STRINGIFY (GIVE_UP_SECONDS) " s");
  return G_SOURCE_CONTINUE;
}

static double
own_cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* User and system time of a running process, or -1 if it cannot be read. */
static double
child_cpu_seconds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &contents, NULL, NULL) ||
      (after_name = strrchr (contents, ')')) == NULL)
    return -1;
  /* After the name: state is field 3 of stat(5), utime 14 and stime 15. */
  fields = g_strsplit (after_name + 2, " ", 14);
  if (g_strv_length (fields) < 14)
    return -1;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) /
         sysconf (_SC_CLK_TCK);
}

static void
delete_folder (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (folder, name, NULL);
        g_unlink (path);
      }
  g_rmdir (folder);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(TroupeSpoolDir) spool_dir = NULL;
  g_autoptr(TroupeSession) session = NULL;
  g_autoptr(TroupeCommand) command = NULL;
  g_autoptr(GPtrArray) child_argv = g_ptr_array_new ();
  g_autofree char *spool_folder = NULL;
  g_autofree char *expected_count = NULL;
  TroupeProcess *process;
  Bench bench = { 0 };
  guint give_up;
  gint64 start;
  double seconds = 0;
  double parent_cpu = 0, child_cpu = 0;
  int status = 0;

  if (argc < 4 || (!g_str_equal (argv[1], "to-child") && !g_str_equal (argv[1], "from-child") &&
                   !g_str_equal (argv[1], "ping-pong")))
    {
      g_printerr ("usage: %s to-child|from-child|ping-pong N PROGRAM [ARGUMENT...]\n", argv[0]);
      return 2;
    }
  bench.mode = g_str_equal (argv[1], "to-child") ? MODE_TO_CHILD
             : g_str_equal (argv[1], "from-child") ? MODE_FROM_CHILD
             : MODE_PING_PONG;
  bench.n_messages = g_ascii_strtoull (argv[2], NULL, 10);
  if (bench.n_messages == 0)
    {
      g_printerr ("%s: N must be a positive number\n", argv[0]);
      return 2;
    }
  expected_count = g_strdup_printf ("{\"count\":%" G_GUINT64_FORMAT "}", bench.n_messages);
  bench.expected_count = expected_count;

  for (int i = 3; i < argc; i++)
    g_ptr_array_add (child_argv, argv[i]);
  g_ptr_array_add (child_argv, argv[1]);
  g_ptr_array_add (child_argv, argv[2]);
  g_ptr_array_add (child_argv, NULL);

  spool_folder = g_dir_make_tmp ("troupe-bench-XXXXXX", &error);
  if (spool_folder == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  spool_dir = troupe_spool_dir_new (spool_folder);
  session = troupe_session_new (troupe_launcher_get_default (), spool_dir);
  command = troupe_command_new_argv ((const char * const *) child_argv->pdata);
  troupe_command_set_channel_fd (command, 3);
  loop = g_main_loop_new (NULL, FALSE);
  bench.loop = loop;
  give_up = g_timeout_add_seconds (GIVE_UP_SECONDS, on_give_up, &bench);

  process = troupe_session_run (session, command, &error);
  if (process == NULL || error != NULL)
    {
      g_printerr ("could not start %s: %s\n", argv[3], error ? error->message : "?");
      g_clear_object (&session);
      delete_folder (spool_folder);
      return 1;
    }
  bench.channel = troupe_process_get_channel (process);
  g_signal_connect (bench.channel, "message", G_CALLBACK (on_message), &bench);
  g_signal_connect (bench.channel, "disconnected", G_CALLBACK (on_disconnected), &bench);

  /* The child's start-up is not timed. */
  g_main_loop_run (loop);

  if (bench.failure == NULL)
    {
      parent_cpu = own_cpu_seconds ();
      child_cpu = child_cpu_seconds (troupe_process_get_pid (process));
      start = g_get_monotonic_time ();
      if (bench.mode == MODE_TO_CHILD)
        for (guint64 i = 0; i < bench.n_messages && bench.failure == NULL; i++)
          send_message (&bench);
      else
        send_message (&bench);
      if (bench.failure == NULL)
        g_main_loop_run (loop);
      seconds = (bench.end_time - start) / 1e6;
      parent_cpu = own_cpu_seconds () - parent_cpu;
      child_cpu = child_cpu_seconds (troupe_process_get_pid (process)) - child_cpu;
    }

  if (bench.failure != NULL)
    {
      g_printerr ("%s: %s\n", argv[3], bench.failure);
      status = 1;
    }
  else
    g_print ("%s=%" G_GUINT64_FORMAT " seconds=%.4f %s=%.1f parent_cpu_s=%.3f child_cpu_s=%.2f\n",
             bench.mode == MODE_PING_PONG ? "round_trips" : "messages", bench.n_messages,
             seconds, bench.mode == MODE_PING_PONG ? "round_trips_per_s" : "messages_per_s",
             bench.n_messages / seconds, parent_cpu, child_cpu);

  /* The end of the channel is the end of the child. */
  g_signal_handlers_disconnect_by_data (bench.channel, &bench);
  g_signal_connect (process, "ended", G_CALLBACK (on_ended), loop);
  if (status == 0)
    troupe_channel_disconnect (bench.channel);
  else
    troupe_process_kill (process, NULL);
  if (!troupe_process_has_ended (process))
    g_main_loop_run (loop);
  if (status == 0 && (troupe_process_get_state (process) != TROUPE_PROCESS_STATE_EXITED ||
                      troupe_process_get_exit_code (process) != 0))
    {
      g_printerr ("%s did not exit cleanly\n", argv[3]);
      status = 1;
    }

  g_source_remove (give_up);
  g_free (bench.failure);
  g_clear_object (&session);
  g_clear_object (&spool_dir);
  delete_folder (spool_folder);
  return status;
}
