/* test-sampler.c: process trees, CPU and memory of real children, read from /proc
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "troupe-monitor-private.h"
#include "troupe-proc-reader.h"
#include "troupe-sample-ring.h"
#include "troupe-sampler.h"
#include "troupe-test-util.h"

#define MB (1024 * 1024)

static TroupeCommand *
sampler_child_command (const char *mode,
                       ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  const char *arg;
  va_list args;

  g_strv_builder_add (builder, SAMPLER_CHILD_PATH);
  g_strv_builder_add (builder, mode);
  va_start (args, mode);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_strv_builder_add (builder, arg);
  va_end (args);
  argv = g_strv_builder_end (builder);
  return troupe_command_new_argv ((const char * const *) argv);
}

static TroupeProcess *
run_sampler_child (const char *mode,
                   const char *arg,
                   const char *arg2)
{
  g_autoptr(TroupeCommand) command = sampler_child_command (mode, arg, arg2, NULL);
  TroupeProcess *process = troupe_test_run (command);

  /* Each mode prints one line once it has its shape. */
  troupe_test_wait_lines (process, TROUPE_LINES_STDOUT, 1);
  return process;
}

static void
stop_and_wait (TroupeProcess *process)
{
  troupe_process_stop (process);
  troupe_test_wait_group_gone (process);
}

static void
on_sampled (TroupeSampler *sampler,
            guint         *count)
{
  (*count)++;
}

static gboolean
on_wait_limit (gpointer user_data)
{
  g_error ("Timed out waiting %s", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

/* Samples now, and again, until @done holds; a hang fails after a minute. */
static void
sample_until (TroupeSampler  *sampler,
              gboolean      (*done) (gpointer),
              gpointer        data,
              const char     *what)
{
  guint count = 0;
  gulong handler = g_signal_connect (sampler, "sampled", G_CALLBACK (on_sampled), &count);
  guint limit = g_timeout_add_seconds (60, on_wait_limit, (gpointer) what);

  /* A regular pass may have got there already (and, ending the last tree,
   * left nothing to sample). */
  while (!done (data))
    {
      guint before = count;

      troupe_sampler_sample_now (sampler);
      while (count == before)
        g_main_context_iteration (NULL, TRUE);
      if (!done (data))
        g_usleep (50 * 1000);
    }
  g_source_remove (limit);
  g_signal_handler_disconnect (sampler, handler);
}

/* Waits for @n regular passes (no extra ones asked for). */
static void
wait_passes (TroupeSampler *sampler,
             guint          n)
{
  guint count = 0;
  gulong handler = g_signal_connect (sampler, "sampled", G_CALLBACK (on_sampled), &count);
  guint limit = g_timeout_add_seconds (60, on_wait_limit, (gpointer) "for samples");

  while (count < n)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (limit);
  g_signal_handler_disconnect (sampler, handler);
}

static void
test_ring (void)
{
  g_autoptr(TroupeSampleRing) ring = troupe_sample_ring_new (5);

  g_assert_cmpuint (troupe_sample_ring_get_capacity (ring), ==, 5);
  g_assert_cmpuint (troupe_sample_ring_get_length (ring), ==, 0);
  g_assert_null (troupe_sample_ring_get_latest (ring));
  g_assert_cmpfloat (troupe_sample_ring_get_max_cpu (ring), ==, 0);

  for (guint i = 1; i <= 12; i++)
    {
      TroupeSample sample = { i, i == 9 ? 250.0 : (double) i, (guint64) i * 1000 };

      troupe_sample_ring_push (ring, &sample);
      g_assert_cmpuint (troupe_sample_ring_get_length (ring), ==, MIN (i, 5));
      g_assert_cmpint (troupe_sample_ring_get_latest (ring)->time, ==, i);
    }
  /* The oldest kept is the eighth pushed. */
  for (guint i = 0; i < 5; i++)
    g_assert_cmpint (troupe_sample_ring_get (ring, i)->time, ==, 8 + i);
  g_assert_cmpfloat (troupe_sample_ring_get_max_cpu (ring), ==, 250.0);
  g_assert_cmpuint (troupe_sample_ring_get_max_rss (ring), ==, 12000);
}

/* The sampler's timer is the timeout source that has the sampler as its data. */
static gboolean
sampler_timer_runs (TroupeSampler *sampler)
{
  return g_main_context_find_source_by_funcs_user_data (NULL, &g_timeout_funcs, sampler) != NULL;
}

typedef struct
{
  TroupeProcessTree *tree;
  guint              n;
  guint              left;
  guint              reparented;
  GPid               reparented_pid;
} TreeWait;

static void
on_process_left (TroupeProcessTree *tree,
                 TroupeProcessInfo *info,
                 gboolean           reparented,
                 TreeWait          *wait)
{
  g_assert_cmpint (troupe_process_info_get_run_state (info), ==, TROUPE_RUN_STATE_GONE);
  /* Out of the tree: its pid is free, or names another process now. */
  g_assert_true (troupe_process_tree_find (tree, troupe_process_info_get_pid (info)) != info);
  if (reparented)
    {
      wait->reparented++;
      wait->reparented_pid = troupe_process_info_get_pid (info);
    }
  else
    wait->left++;
}

static gboolean
has_n_processes (gpointer data)
{
  TreeWait *wait = data;

  return troupe_process_tree_get_n_processes (wait->tree) == wait->n;
}

static gboolean
tree_has_ended (gpointer data)
{
  return troupe_process_tree_has_ended (data);
}

static void
test_forking_tree (void)
{
  g_autoptr(TroupeSampler) sampler = troupe_sampler_new ();
  g_autoptr(TroupeProcess) process = run_sampler_child ("tree", "3", "2500");
  g_autoptr(TroupeProcessTree) tree = troupe_sampler_watch (sampler, troupe_process_get_pid (process));
  TroupeProcessInfo *root = troupe_process_tree_get_root (tree);
  GListModel *children = troupe_process_info_get_children (root);
  TreeWait wait = { tree, 4, 0, 0, 0 };

  g_signal_connect (tree, "process-left", G_CALLBACK (on_process_left), &wait);
  g_assert_cmpuint (troupe_sampler_get_n_watched (sampler), ==, 1);
  g_assert_true (sampler_timer_runs (sampler));
  g_assert_true (root == troupe_process_tree_find (tree, troupe_process_get_pid (process)));
  g_assert_cmpuint (g_list_model_get_n_items (troupe_process_tree_get_roots (tree)), ==, 1);

  sample_until (sampler, has_n_processes, &wait, "for the three grandchildren");
  g_assert_true (troupe_process_info_is_root (root));
  g_assert_cmpint (troupe_process_info_get_pid (root), ==, troupe_process_get_pid (process));
  g_assert_cmpstr (troupe_process_info_get_name (root), ==, "sampler-child");
  g_assert_true (g_str_has_suffix (troupe_process_info_get_command_line (root),
                                   "sampler-child tree 3 2500"));
  g_assert_nonnull (troupe_process_info_get_started_at (root));
  g_assert_cmpint (troupe_process_info_get_n_fds (root), >=, 3);
  g_assert_cmpint (troupe_process_info_get_pss (root), >, 0);
  g_assert_cmpuint (troupe_process_info_get_n_threads (root), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (children), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(TroupeProcessInfo) child = g_list_model_get_item (children, i);

      g_assert_false (troupe_process_info_is_root (child));
      g_assert_cmpint (troupe_process_info_get_parent_pid (child), ==,
                       troupe_process_get_pid (process));
      g_assert_true (child == troupe_process_tree_find (tree, troupe_process_info_get_pid (child)));
      g_assert_cmpuint (g_list_model_get_n_items (troupe_process_info_get_children (child)), ==, 0);
      if (i > 0)
        {
          g_autoptr(TroupeProcessInfo) previous = g_list_model_get_item (children, i - 1);

          g_assert_cmpint (troupe_process_info_get_pid (previous), <,
                           troupe_process_info_get_pid (child));
        }
    }

  /* They leave as they exit, none of them as reparented. */
  wait.n = 1;
  sample_until (sampler, has_n_processes, &wait, "for the grandchildren to leave");
  g_assert_cmpuint (wait.left, ==, 3);
  g_assert_cmpuint (wait.reparented, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (children), ==, 0);
  g_assert_cmpint (troupe_process_info_get_run_state (root), ==, TROUPE_RUN_STATE_SLEEPING);
  g_assert_cmpuint (troupe_sample_ring_get_length (troupe_process_tree_get_totals (tree)), >=, 2);
  g_assert_cmpuint (troupe_sample_ring_get_length (troupe_process_info_get_history (root)), >=, 2);

  /* The root ends: the tree keeps its history, and nothing is sampled any more. */
  stop_and_wait (process);
  sample_until (sampler, tree_has_ended, tree, "for the tree to end");
  g_assert_cmpint (troupe_process_info_get_run_state (root), ==, TROUPE_RUN_STATE_GONE);
  g_assert_cmpuint (troupe_process_tree_get_n_processes (tree), ==, 0);
  g_assert_cmpuint (troupe_sampler_get_n_watched (sampler), ==, 0);
  g_assert_cmpuint (troupe_sample_ring_get_length (troupe_process_info_get_history (root)), >=, 2);

  /* With nothing to watch, no timer runs, even after the interval changes. */
  troupe_sampler_set_interval (sampler, 20);
  g_assert_false (sampler_timer_runs (sampler));
}

/* CPU use over the last @last intervals of @info's history, weighted by their length. */
static double
average_cpu (TroupeProcessInfo *info,
             guint              last)
{
  TroupeSampleRing *history = troupe_process_info_get_history (info);
  guint length = troupe_sample_ring_get_length (history);
  double cpu_seconds = 0;

  g_assert_cmpuint (length, >, last);
  for (guint i = length - last; i < length; i++)
    cpu_seconds += troupe_sample_ring_get (history, i)->cpu *
                   (double) (troupe_sample_ring_get (history, i)->time -
                             troupe_sample_ring_get (history, i - 1)->time);
  return cpu_seconds / (double) (troupe_sample_ring_get (history, length - 1)->time -
                                 troupe_sample_ring_get (history, length - 1 - last)->time);
}

typedef struct
{
  GPid    pid;
  guint   n;
  guint64 ticks[8];
  gint64  times[8];
} TickLog;

/* Reads the busy child's CPU ticks ourselves right after each pass. */
static void
log_ticks (TroupeSampler *sampler,
           TickLog       *log)
{
  g_autoptr(TroupeProcReader) reader = troupe_proc_reader_new (NULL);
  TroupeProcStat stat;

  g_assert_true (troupe_proc_reader_read_stat (reader, log->pid, &stat));
  g_assert_cmpuint (log->n, <, G_N_ELEMENTS (log->ticks));
  log->ticks[log->n] = stat.cpu_ticks;
  log->times[log->n] = g_get_monotonic_time ();
  log->n++;
}

static void
test_cpu (void)
{
  g_autoptr(TroupeSampler) sampler = troupe_sampler_new ();
  g_autoptr(TroupeProcess) busy = run_sampler_child ("busy", NULL, NULL);
  g_autoptr(TroupeProcess) sleeping = run_sampler_child ("sleep", NULL, NULL);
  g_autoptr(TroupeProcessTree) busy_tree = troupe_sampler_watch (sampler, troupe_process_get_pid (busy));
  g_autoptr(TroupeProcessTree) sleeping_tree =
    troupe_sampler_watch (sampler, troupe_process_get_pid (sleeping));
  TroupeProcessInfo *busy_info = troupe_process_tree_get_root (busy_tree);
  TroupeProcessInfo *sleeping_info = troupe_process_tree_get_root (sleeping_tree);
  TickLog log = { troupe_process_get_pid (busy), 0, { 0 }, { 0 } };
  double busy_cpu, sleeping_cpu, measured;

  g_signal_connect (sampler, "sampled", G_CALLBACK (log_ticks), &log);
  troupe_sampler_set_interval (sampler, 500);
  g_assert_cmpuint (troupe_sampler_get_interval (sampler), ==, 500);
  /* The first pass only sets the counters; four half-second intervals after it. */
  wait_passes (sampler, 5);
  g_signal_handlers_disconnect_by_func (sampler, log_ticks, &log);

  busy_cpu = average_cpu (busy_info, 4);
  sleeping_cpu = average_cpu (sleeping_info, 4);
  measured = _troupe_cpu_percent (log.ticks[log.n - 5], log.ticks[log.n - 1],
                                  log.times[log.n - 5], log.times[log.n - 1], sysconf (_SC_CLK_TCK));
  g_test_message ("busy child: %.1f %% (its own ticks say %.1f %%), sleeping child: %.1f %%",
                  busy_cpu, measured, sleeping_cpu);
  /* A busy loop gets a whole core on a quiet machine, less on a loaded one
   * (these machines are shared): compare with what the kernel says it got. */
  g_assert_cmpfloat (ABS (busy_cpu - measured), <, 15);
  if (measured >= 60)
    g_assert_cmpfloat (busy_cpu, >=, 50);
  g_assert_cmpfloat (busy_cpu, <=, 150);
  g_assert_cmpfloat (busy_cpu, >, sleeping_cpu);
  g_assert_cmpfloat (sleeping_cpu, <, 5);
  g_assert_cmpint (troupe_process_info_get_run_state (sleeping_info), ==,
                   TROUPE_RUN_STATE_SLEEPING);
  g_assert_cmpfloat (troupe_sample_ring_get_latest (troupe_process_tree_get_totals (busy_tree))->cpu,
                     ==, troupe_process_info_get_cpu (busy_info));

  stop_and_wait (busy);
  stop_and_wait (sleeping);
}

static gboolean
rss_reached (gpointer data)
{
  return troupe_process_info_get_rss (data) >= 200 * MB;
}

static void
test_memory (void)
{
  g_autoptr(TroupeSampler) sampler = troupe_sampler_new ();
  g_autoptr(TroupeProcess) process = run_sampler_child ("alloc", "200", NULL);
  g_autoptr(TroupeProcessTree) tree = troupe_sampler_watch (sampler, troupe_process_get_pid (process));
  TroupeProcessInfo *root = troupe_process_tree_get_root (tree);

  sample_until (sampler, rss_reached, root, "for 200 MB to be resident");
  g_assert_cmpuint (troupe_process_info_get_rss (root), >=, 200 * MB);
  g_assert_cmpint (troupe_process_info_get_pss (root), >=, 190 * MB);
  g_assert_cmpuint (troupe_sample_ring_get_latest (troupe_process_tree_get_totals (tree))->rss,
                    >=, 200 * MB);
  g_assert_cmpuint (troupe_sample_ring_get_max_rss (troupe_process_info_get_history (root)),
                    >=, 200 * MB);
  stop_and_wait (process);
}

static gboolean
has_reparented (gpointer data)
{
  TreeWait *wait = data;

  return wait->reparented > 0;
}

static void
test_daemonized (void)
{
  g_autoptr(TroupeSampler) sampler = troupe_sampler_new ();
  g_autoptr(TroupeProcess) process = run_sampler_child ("daemonize", "30", NULL);
  g_autoptr(TroupeProcessTree) tree = troupe_sampler_watch (sampler, troupe_process_get_pid (process));
  TreeWait wait = { tree, 3, 0, 0, 0 };

  g_signal_connect (tree, "process-left", G_CALLBACK (on_process_left), &wait);
  /* First seen under its parent, inside the tree… */
  sample_until (sampler, has_n_processes, &wait, "for the daemon inside the tree");
  /* …then its parent exits and it runs on, away from the job. */
  sample_until (sampler, has_reparented, &wait, "for the daemon to leave");
  g_assert_cmpuint (wait.reparented, ==, 1);
  g_assert_cmpuint (wait.left, ==, 1);
  g_assert_false (troupe_test_pid_is_gone (wait.reparented_pid));
  g_assert_cmpuint (troupe_process_tree_get_n_processes (tree), ==, 1);

  /* Out of the job's process group too: stopping the job would not end it. */
  g_assert_cmpint (kill (wait.reparented_pid, SIGKILL), ==, 0);
  stop_and_wait (process);
}

static gboolean
has_left_3 (gpointer data)
{
  return ((TreeWait *) data)->left == 3;
}

static gboolean
has_threads (gpointer data)
{
  return g_list_model_get_n_items (troupe_process_info_get_threads (data)) == 4;
}

static void
test_threads (void)
{
  g_autoptr(TroupeSampler) sampler = troupe_sampler_new ();
  g_autoptr(TroupeProcess) process = run_sampler_child ("threads", "3", NULL);
  g_autoptr(TroupeProcessTree) tree = troupe_sampler_watch (sampler, troupe_process_get_pid (process));
  TroupeProcessInfo *root = troupe_process_tree_get_root (tree);
  GListModel *threads = troupe_process_info_get_threads (root);

  sample_until (sampler, has_n_processes,
                &(TreeWait) { tree, 1, 0, 0, 0 }, "for the process");
  g_assert_cmpuint (troupe_process_info_get_n_threads (root), ==, 4);
  /* Not read until asked for. */
  g_assert_cmpuint (g_list_model_get_n_items (threads), ==, 0);

  troupe_process_info_set_sample_threads (root, TRUE);
  sample_until (sampler, has_threads, root, "for the threads");
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(TroupeThreadInfo) thread = g_list_model_get_item (threads, i);

      if (i == 0)
        g_assert_cmpint (troupe_thread_info_get_tid (thread), ==, troupe_process_get_pid (process));
      g_assert_cmpstr (troupe_thread_info_get_name (thread), ==, "sampler-child");
      g_assert_cmpint (troupe_thread_info_get_run_state (thread), <=, TROUPE_RUN_STATE_SLEEPING);
    }

  troupe_process_info_set_sample_threads (root, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (threads), ==, 0);
  stop_and_wait (process);
}

static void
test_send_signal (void)
{
  g_autoptr(TroupeSampler) sampler = troupe_sampler_new ();
  g_autoptr(TroupeProcess) process = run_sampler_child ("sleep", NULL, NULL);
  g_autoptr(TroupeProcessTree) tree = troupe_sampler_watch (sampler, troupe_process_get_pid (process));
  TroupeProcessInfo *root = troupe_process_tree_get_root (tree);
  g_autoptr(GError) error = NULL;

  sample_until (sampler, has_n_processes, &(TreeWait) { tree, 1, 0, 0, 0 }, "for the process");
  g_assert_true (troupe_process_info_send_signal (root, SIGUSR1, &error));
  g_assert_no_error (error);
  troupe_test_wait_ended (process);
  g_assert_cmpint (troupe_process_get_term_signal (process), ==, SIGUSR1);

  /* Once it is gone, its pid names nothing of ours. */
  sample_until (sampler, tree_has_ended, tree, "for the tree to end");
  g_assert_false (troupe_process_info_send_signal (root, SIGKILL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
write_bytes (const char *folder,
             const char *name,
             const char *contents,
             gssize      length)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static void
write_file (const char *folder,
            const char *name,
            const char *contents)
{
  write_bytes (folder, name, contents, -1);
}

#define STAT_TAIL "0 0 0 0 0 0 0 0 0 7 5 0 0 20 0 2 0 4242 1000000 25 0 0 0"

/* A /proc that lies: garbage, truncated lines, missing files. No warning. */
static void
test_fake_proc (void)
{
  g_autofree char *root = troupe_test_make_folder ("fake-proc");
  g_autoptr(TroupeProcReader) reader = troupe_proc_reader_new (root);
  g_autoptr(GArray) pids = NULL;
  TroupeProcStat stat;

  write_file (root, "stat", "cpu  1 2 3\nintr 5\nbtime 1700000000\nprocesses 9\n");
  /* A whole line, with a name holding spaces and parentheses. */
  write_file (root, "100/stat", "100 (my (odd) name) S 1 " STAT_TAIL "\n");
  write_bytes (root, "100/cmdline", "node\0server.js\0--port\0" "8000\0", 27);
  write_file (root, "100/smaps_rollup", "00400000-7fff [rollup]\nRss: 100 kB\nPss: 42 kB\n");
  write_file (root, "100/fd/0", "");
  write_file (root, "100/fd/1", "");
  write_file (root, "100/task/100/stat", "100 (main) R 1 " STAT_TAIL "\n");
  write_file (root, "100/task/101/stat", "101 (worker) S 1 garbage");
  write_file (root, "101/stat", "garbage without parentheses");
  write_file (root, "102/stat", "102 (cut short) S 100 0 0");
  write_file (root, "103/stat", "103 (no extras) R 100 " STAT_TAIL "\n");
  write_file (root, "104/stat", "");
  write_file (root, "105/cmdline", "no stat at all");
  write_file (root, "106/stat", "106 (bad) S 100 0 0 0 0 0 0 0 0 0 0 x1 5 0 0 20 0 2 0 1 1 1 0");
  write_file (root, "self/stat", "not a pid");
  write_file (root, "07x/stat", "not a pid either");

  g_assert_cmpint (troupe_proc_reader_get_boot_time (reader), ==, 1700000000);

  pids = troupe_proc_reader_list_pids (reader);
  g_assert_cmpuint (pids->len, ==, 7);

  g_assert_true (troupe_proc_reader_read_stat (reader, 100, &stat));
  g_assert_cmpint (stat.pid, ==, 100);
  g_assert_cmpint (stat.parent_pid, ==, 1);
  g_assert_cmpstr (stat.name, ==, "my (odd) name");
  g_assert_cmpint (stat.state, ==, 'S');
  g_assert_cmpuint (stat.cpu_ticks, ==, 12);
  g_assert_cmpuint (stat.n_threads, ==, 2);
  g_assert_cmpuint (stat.start_ticks, ==, 4242);
  g_assert_cmpuint (stat.rss, ==, 25 * (guint64) sysconf (_SC_PAGESIZE));
  {
    g_autofree char *command_line = troupe_proc_reader_read_command_line (reader, 100);

    g_assert_cmpstr (command_line, ==, "node server.js --port 8000");
  }
  g_assert_cmpint (troupe_proc_reader_read_pss (reader, 100), ==, 42 * 1024);
  g_assert_cmpint (troupe_proc_reader_count_fds (reader, 100), ==, 2);

  /* Unreadable, garbled or missing: unknown, never an error. */
  g_assert_false (troupe_proc_reader_read_stat (reader, 101, &stat));
  g_assert_false (troupe_proc_reader_read_stat (reader, 102, &stat));
  g_assert_false (troupe_proc_reader_read_stat (reader, 104, &stat));
  g_assert_false (troupe_proc_reader_read_stat (reader, 105, &stat));
  g_assert_false (troupe_proc_reader_read_stat (reader, 106, &stat));
  g_assert_false (troupe_proc_reader_read_stat (reader, 999, &stat));
  g_assert_true (troupe_proc_reader_read_stat (reader, 103, &stat));
  g_assert_null (troupe_proc_reader_read_command_line (reader, 103));
  g_assert_cmpint (troupe_proc_reader_read_pss (reader, 103), ==, -1);
  g_assert_cmpint (troupe_proc_reader_count_fds (reader, 103), ==, -1);
  g_assert_true (troupe_proc_reader_read_thread_stat (reader, 100, 100, &stat));
  g_assert_cmpstr (stat.name, ==, "main");
  g_assert_false (troupe_proc_reader_read_thread_stat (reader, 100, 101, &stat));
  g_assert_false (troupe_proc_reader_read_thread_stat (reader, 103, 103, &stat));
  {
    g_autoptr(GArray) threads = troupe_proc_reader_list_threads (reader, 100);
    g_autoptr(GArray) none = troupe_proc_reader_list_threads (reader, 103);

    g_assert_cmpuint (threads->len, ==, 2);
    g_assert_cmpuint (none->len, ==, 0);
  }

  /* A truncated smaps_rollup and a /proc without btime. */
  write_file (root, "103/smaps_rollup", "00400000-7fff [rollup]\nRss: 100 kB\nPs");
  g_assert_cmpint (troupe_proc_reader_read_pss (reader, 103), ==, -1);
  {
    g_autofree char *empty = troupe_test_make_folder ("empty-proc");
    g_autoptr(TroupeProcReader) empty_reader = troupe_proc_reader_new (empty);
    g_autoptr(GArray) no_pids = troupe_proc_reader_list_pids (empty_reader);

    g_assert_cmpint (troupe_proc_reader_get_boot_time (empty_reader), ==, -1);
    g_assert_cmpuint (no_pids->len, ==, 0);
  }
}

/* A whole pass over the fake folder: the garbled processes are left out. */
static void
test_fake_proc_tree (void)
{
  g_autofree char *root = troupe_test_make_folder ("fake-proc-tree");
  g_autoptr(TroupeSampler) sampler = NULL;
  g_autoptr(TroupeProcessTree) tree = NULL;
  TroupeProcessInfo *info;
  TroupeProcessInfo *worker;
  g_autoptr(TroupeProcessInfo) first_child = NULL;
  g_autofree char *stat_103 = g_build_filename (root, "103", "stat", NULL);
  g_autofree char *stat_104 = g_build_filename (root, "104", "stat", NULL);
  GListModel *children;
  TreeWait wait = { NULL, 3, 0, 0, 0 };

  write_file (root, "stat", "btime 1700000000\n");
  write_file (root, "100/stat", "100 (job) S 1 " STAT_TAIL "\n");
  write_file (root, "101/stat", "101 (garbled) S 100 0 0 0");
  write_file (root, "103/stat", "103 (no extras) R 100 " STAT_TAIL "\n");
  write_file (root, "104/stat", "104 (grandchild) Z 103 " STAT_TAIL "\n");

  sampler = _troupe_sampler_new_for_root (root);
  tree = troupe_sampler_watch (sampler, 100);
  wait.tree = tree;
  sample_until (sampler, has_n_processes, &wait, "for the fake tree");

  info = troupe_process_tree_find (tree, 103);
  g_assert_nonnull (info);
  g_assert_null (troupe_process_tree_find (tree, 101));
  g_assert_cmpstr (troupe_process_info_get_command_line (info), ==, "no extras");
  g_assert_cmpint (troupe_process_info_get_pss (info), ==, -1);
  g_assert_cmpint (troupe_process_info_get_n_fds (info), ==, -1);
  g_assert_cmpint (troupe_process_info_get_run_state (troupe_process_tree_find (tree, 104)), ==,
                   TROUPE_RUN_STATE_ZOMBIE);
  g_assert_cmpstr (troupe_run_state_to_string (TROUPE_RUN_STATE_ZOMBIE), ==, "Zombie");
  g_signal_connect (tree, "process-left", G_CALLBACK (on_process_left), &wait);

  /* A new grandchild, first seen under its parent… */
  write_file (root, "105/stat", "105 (worker) S 103 " STAT_TAIL "\n");
  wait.n = 4;
  sample_until (sampler, has_n_processes, &wait, "for the new grandchild");
  worker = troupe_process_tree_find (tree, 105);
  g_assert_cmpint (troupe_process_info_get_parent_pid (worker), ==, 103);
  /* …then its parent ends, and the root (a subreaper) takes it in: it moves. */
  write_file (root, "105/stat", "105 (worker) S 100 " STAT_TAIL "\n");
  g_assert_cmpint (g_unlink (stat_103), ==, 0);
  g_assert_cmpint (g_unlink (stat_104), ==, 0);
  wait.n = 2;
  sample_until (sampler, has_n_processes, &wait, "for the grandchild to move");
  g_assert_cmpuint (wait.left, ==, 2);
  g_assert_cmpuint (wait.reparented, ==, 0);
  g_assert_true (troupe_process_tree_find (tree, 105) == worker);
  children = troupe_process_info_get_children (troupe_process_tree_get_root (tree));
  g_assert_cmpuint (g_list_model_get_n_items (children), ==, 1);
  first_child = g_list_model_get_item (children, 0);
  g_assert_true (first_child == worker);
  g_assert_cmpint (troupe_process_info_get_parent_pid (worker), ==, 100);

  /* Its pid freed and given to a new process (another start time): another process. */
  write_file (root, "105/stat", "105 (reused) S 100 0 0 0 0 0 0 0 0 0 7 5 0 0 20 0 2 0 5000 1 1 0");
  sample_until (sampler, has_left_3, &wait, "for the reused pid");
  g_assert_true (troupe_process_tree_find (tree, 105) != worker);
  g_assert_cmpstr (troupe_process_info_get_name (troupe_process_tree_find (tree, 105)), ==,
                   "reused");
  g_assert_cmpuint (troupe_process_tree_get_n_processes (tree), ==, 2);

  /* It daemonizes: alive, but no longer under the root. */
  write_file (root, "105/stat", "105 (reused) S 1 0 0 0 0 0 0 0 0 0 7 5 0 0 20 0 2 0 5000 1 1 0");
  sample_until (sampler, has_reparented, &wait, "for the daemon to leave");
  g_assert_cmpuint (wait.reparented, ==, 1);
  g_assert_cmpuint (wait.left, ==, 3);
  g_assert_null (troupe_process_tree_find (tree, 105));
  g_assert_cmpuint (troupe_process_tree_get_n_processes (tree), ==, 1);

  /* The root's pid now names another process: the job has ended. */
  write_file (root, "100/stat", "100 (other) S 1 0 0 0 0 0 0 0 0 0 7 5 0 0 20 0 2 0 9999 1 1 0");
  sample_until (sampler, tree_has_ended, tree, "for the fake tree to end");
}

/* Processes that end between the listing of /proc and the reading of their
 * files, and files we may not read. */
static void
test_vanishing (void)
{
  g_autoptr(TroupeProcReader) reader = troupe_proc_reader_new (NULL);
  g_autoptr(TroupeSampler) sampler = troupe_sampler_new ();
  g_autoptr(TroupeProcess) process = run_sampler_child ("tree", "40", "0");
  g_autoptr(TroupeProcessTree) tree = troupe_sampler_watch (sampler, troupe_process_get_pid (process));
  TroupeProcStat stat;
  GPid pid;
  int status;

  /* Forty children end one every 0.3 s, while passes run every 50 ms. */
  for (guint i = 0; i < 40; i++)
    {
      troupe_sampler_sample_now (sampler);
      wait_passes (sampler, 1);
      g_usleep (50 * 1000);
    }
  g_assert_cmpuint (troupe_process_tree_get_n_processes (tree), <, 41);

  /* Listed, then gone before it is read. */
  pid = fork ();
  if (pid == 0)
    _exit (0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_false (troupe_proc_reader_read_stat (reader, pid, &stat));
  g_assert_null (troupe_proc_reader_read_command_line (reader, pid));
  g_assert_cmpint (troupe_proc_reader_read_pss (reader, pid), ==, -1);
  g_assert_cmpint (troupe_proc_reader_count_fds (reader, pid), ==, -1);
  {
    g_autoptr(GArray) threads = troupe_proc_reader_list_threads (reader, pid);

    g_assert_cmpuint (threads->len, ==, 0);
  }

  /* Another user's process, when we are not root: its fds are closed to us. */
  g_assert_true (troupe_proc_reader_read_stat (reader, 1, &stat));
  if (geteuid () != 0)
    g_assert_cmpint (troupe_proc_reader_count_fds (reader, 1), ==, -1);

  stop_and_wait (process);
}

typedef struct
{
  TroupeProcess *old_process;
  TroupeProcess *new_process;
  char          *reason;
} Restarted;

static void
on_process_restarted (TroupeSession *session,
                      TroupeProcess *old_process,
                      TroupeProcess *new_process,
                      const char    *reason,
                      Restarted     *restarted)
{
  if (restarted->old_process != NULL)
    return;
  restarted->old_process = g_object_ref (old_process);
  restarted->new_process = g_object_ref (new_process);
  restarted->reason = g_strdup (reason);
}

static gboolean
was_restarted (gpointer data)
{
  return ((Restarted *) data)->new_process != NULL;
}

static TroupeSession *
new_session (void)
{
  g_autoptr(TroupeSpoolDir) spool_dir = troupe_spool_dir_new_default ();
  TroupeSession *session = troupe_session_new (troupe_launcher_get_default (), spool_dir);

  /* Quick samples, so that the two in a row above the limit come soon. */
  troupe_sampler_set_interval (troupe_session_get_sampler (session), 200);
  return session;
}

static void
test_memory_limit_run (void)
{
  g_autoptr(TroupeSession) session = new_session ();
  g_autoptr(TroupeCommand) command = sampler_child_command ("alloc", "200", NULL);
  g_autoptr(TroupeCommand) small_command = sampler_child_command ("alloc", "10", NULL);
  g_autoptr(GError) error = NULL;
  Restarted restarted = { NULL, NULL, NULL };
  TroupeProcess *process;
  TroupeProcess *small;
  TroupeProcessTree *tree;
  g_autofree char *status = NULL;

  g_assert_cmpuint (troupe_command_get_memory_limit (command), ==, 0);
  troupe_command_set_memory_limit (command, 100 * MB);
  troupe_command_set_memory_limit (small_command, 100 * MB);
  g_assert_cmpuint (troupe_command_get_memory_limit (command), ==, 100 * MB);
  g_signal_connect (session, "process-restarted", G_CALLBACK (on_process_restarted), &restarted);

  process = troupe_session_run (session, command, &error);
  g_assert_no_error (error);
  small = troupe_session_run (session, small_command, &error);
  g_assert_no_error (error);
  tree = troupe_session_get_process_tree (session, process);
  g_assert_nonnull (tree);
  g_assert_nonnull (troupe_session_get_process_tree (session, small));
  g_assert_null (troupe_process_get_restart_reason (process));

  troupe_test_wait_until (was_restarted, &restarted, "for the restart over the memory limit");
  g_test_message ("%s", restarted.reason);
  g_assert_true (restarted.old_process == process);
  g_assert_true (g_str_has_prefix (restarted.reason, "Restarted: used "));
  g_assert_true (g_str_has_suffix (restarted.reason, ", over its memory limit of 100.0\u00a0MiB"));
  g_assert_cmpstr (troupe_process_get_restart_reason (process), ==, restarted.reason);
  g_assert_true (troupe_process_has_ended (process));
  status = troupe_process_dup_status_text (process);
  g_assert_cmpstr (status, ==, restarted.reason);
  /* The old tree ends and keeps its history, which went over the limit. */
  g_assert_cmpuint (troupe_sample_ring_get_max_rss (troupe_process_tree_get_totals (tree)), >,
                    100 * MB);

  /* The new run is the same command, in the session, and watched. */
  g_assert_true (troupe_process_is_running (restarted.new_process));
  g_assert_cmpuint (troupe_command_get_memory_limit (
                      troupe_process_get_command (restarted.new_process)), ==, 100 * MB);
  g_assert_nonnull (troupe_session_get_process_tree (session, restarted.new_process));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (session)), >=, 3);

  /* One under its limit runs on. */
  g_assert_true (troupe_process_is_running (small));
  g_assert_null (troupe_process_get_restart_reason (small));

  troupe_session_stop_all_sync (session);
  /* The tree of an ended run stays until the run is removed. */
  g_assert_nonnull (troupe_session_get_process_tree (session, small));
  g_object_ref (small);
  troupe_session_remove (session, small);
  g_assert_null (troupe_session_get_process_tree (session, small));
  g_object_unref (small);
  g_clear_object (&restarted.old_process);
  g_clear_object (&restarted.new_process);
  g_free (restarted.reason);
}

static gboolean
member_exit_has_reason (gpointer data)
{
  TroupeClusterMember *member = data;

  for (guint i = 0; i < troupe_cluster_member_get_n_exits (member); i++)
    if (troupe_cluster_member_get_exit (member, i)->reason != NULL)
      return TRUE;
  return FALSE;
}

static void
test_memory_limit_member (void)
{
  g_autoptr(TroupeSession) session = new_session ();
  g_autoptr(TroupeSpoolDir) spool_dir = troupe_spool_dir_new_default ();
  g_autoptr(TroupeCommand) command = sampler_child_command ("alloc", "200", NULL);
  g_autoptr(TroupeCluster) cluster = NULL;
  g_autoptr(TroupeClusterMember) member = NULL;
  g_autoptr(GError) error = NULL;
  const TroupeMemberExit *member_exit = NULL;
  TroupeProcess *first_run;

  troupe_command_set_memory_limit (command, 100 * MB);
  cluster = troupe_cluster_new (command, troupe_launcher_get_default (), spool_dir);
  troupe_cluster_set_listen (cluster, "127.0.0.1", 0);
  troupe_cluster_set_grace_ms (cluster, 100);
  troupe_session_add_cluster (session, cluster);
  g_assert_true (troupe_cluster_start (cluster, 1, &error));
  g_assert_no_error (error);

  member = g_list_model_get_item (troupe_cluster_get_members (cluster), 0);
  first_run = troupe_cluster_member_get_process (member);
  g_assert_nonnull (troupe_session_get_process_tree (session, first_run));

  troupe_test_wait_until (member_exit_has_reason, member, "for the member's restart");
  for (guint i = 0; i < troupe_cluster_member_get_n_exits (member); i++)
    if (troupe_cluster_member_get_exit (member, i)->reason != NULL)
      {
        member_exit = troupe_cluster_member_get_exit (member, i);
        break;
      }
  g_test_message ("%s", member_exit->reason);
  g_assert_cmpint (member_exit->pid, ==, troupe_process_get_pid (first_run));
  g_assert_true (g_str_has_suffix (member_exit->reason, ", over its memory limit of 100.0\u00a0MiB"));
  g_assert_cmpstr (troupe_process_get_restart_reason (first_run), ==, member_exit->reason);
  /* Restarted the cluster's way: a new run fills the member's place, watched too. */
  g_assert_true (troupe_cluster_member_get_process (member) != first_run);
  g_assert_nonnull (troupe_session_get_process_tree (session,
                                                    troupe_cluster_member_get_process (member)));

  troupe_session_stop_all_sync (session);
}

int
main (int   argc,
      char *argv[])
{
  troupe_test_init (&argc, &argv);

  g_test_add_func ("/troupe/sampler/ring", test_ring);
  g_test_add_func ("/troupe/sampler/forking-tree", test_forking_tree);
  g_test_add_func ("/troupe/sampler/cpu", test_cpu);
  g_test_add_func ("/troupe/sampler/memory", test_memory);
  g_test_add_func ("/troupe/sampler/daemonized", test_daemonized);
  g_test_add_func ("/troupe/sampler/threads", test_threads);
  g_test_add_func ("/troupe/sampler/send-signal", test_send_signal);
  g_test_add_func ("/troupe/sampler/fake-proc", test_fake_proc);
  g_test_add_func ("/troupe/sampler/fake-proc-tree", test_fake_proc_tree);
  g_test_add_func ("/troupe/sampler/vanishing", test_vanishing);
  g_test_add_func ("/troupe/sampler/memory-limit-run", test_memory_limit_run);
  g_test_add_func ("/troupe/sampler/memory-limit-member", test_memory_limit_member);

  return troupe_test_run_all ();
}
