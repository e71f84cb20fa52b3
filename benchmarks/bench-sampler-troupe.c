/* bench-sampler-troupe.c: what watching a job of N sleeping processes costs
 *
 * Starts a job: one process with N sleeping children (its own process group),
 * then, for SECONDS, either
 *   troupe: samples its tree with a TroupeSampler at INTERVAL_MS, as the app
 *           does (CPU, memory, PSS, fds, command line of every process in the
 *           tree, after reading the stat line of every process on the machine);
 *   ps:     runs `ps -eo pid,ppid,pcpu,rss` at the same interval, its output
 *           thrown away, as a reference for what a plain look at /proc costs.
 * The CPU time counted is ours (getrusage: user + system, the sampler's worker
 * thread included) for troupe, and ps's own (wait4's rusage) for ps; setting
 * up the job is not counted.
 *
 * Usage: bench-sampler-troupe troupe|ps N SECONDS [INTERVAL_MS]
 * Prints key=value pairs: cpu_s, wall_s, cpu_s_per_min, core_percent, passes,
 * processes (in the tree, at the end), system_processes (in /proc).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "troupe-sampler.h"

static double
seconds_of (const struct rusage *usage)
{
  return usage->ru_utime.tv_sec + usage->ru_utime.tv_usec / 1e6 +
         usage->ru_stime.tv_sec + usage->ru_stime.tv_usec / 1e6;
}

static double
own_cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return seconds_of (&usage);
}

static guint
count_processes (void)
{
  DIR *proc = opendir ("/proc");
  struct dirent *entry;
  guint n = 0;

  while (proc != NULL && (entry = readdir (proc)) != NULL)
    if (entry->d_name[0] >= '1' && entry->d_name[0] <= '9')
      n++;
  if (proc != NULL)
    closedir (proc);
  return n;
}

/* The job: a process in a group of its own, with @n_children children that
 * sleep until the group is killed. Returns once all of them exist. */
static pid_t
start_job (int n_children)
{
  int ready[2];
  pid_t root;
  char byte;

  if (pipe (ready) != 0)
    exit (1);
  root = fork ();
  if (root == 0)
    {
      setpgid (0, 0);
      close (ready[0]);
      for (int i = 0; i < n_children; i++)
        if (fork () == 0)
          {
            close (ready[1]);
            for (;;)
              pause ();
          }
      if (write (ready[1], "x", 1) != 1)
        _exit (1);
      for (;;)
        pause ();
    }
  close (ready[1]);
  if (read (ready[0], &byte, 1) != 1)
    exit (1);
  close (ready[0]);
  return root;
}

static void
stop_job (pid_t root)
{
  kill (-root, SIGKILL);
  waitpid (root, NULL, 0);
}

static void
on_sampled (TroupeSampler *sampler,
            guint         *passes)
{
  (*passes)++;
}

static gboolean
on_done (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
run_troupe (pid_t   root,
            double  seconds,
            guint   interval_ms,
            double *cpu_s,
            double *wall_s,
            guint  *passes,
            guint  *processes)
{
  g_autoptr(TroupeSampler) sampler = troupe_sampler_new ();
  g_autoptr(TroupeProcessTree) tree = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  double cpu_before = own_cpu_seconds ();
  gint64 start = g_get_monotonic_time ();

  troupe_sampler_set_interval (sampler, interval_ms);
  g_signal_connect (sampler, "sampled", G_CALLBACK (on_sampled), passes);
  tree = troupe_sampler_watch (sampler, root);
  g_timeout_add ((guint) (seconds * 1000), on_done, loop);
  g_main_loop_run (loop);

  *cpu_s = own_cpu_seconds () - cpu_before;
  *wall_s = (g_get_monotonic_time () - start) / 1e6;
  *processes = troupe_process_tree_get_n_processes (tree);
}

static void
run_ps (double  seconds,
        guint   interval_ms,
        double *cpu_s,
        double *wall_s,
        guint  *passes)
{
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + (gint64) (seconds * G_USEC_PER_SEC);
  gint64 next = start + interval_ms * 1000;

  *cpu_s = 0;
  while (next <= end)
    {
      struct rusage usage;
      int status;
      pid_t ps;

      g_usleep (MAX (0, next - g_get_monotonic_time ()));
      ps = fork ();
      if (ps == 0)
        {
          int null = open ("/dev/null", O_WRONLY);

          dup2 (null, STDOUT_FILENO);
          execlp ("ps", "ps", "-eo", "pid,ppid,pcpu,rss", (char *) NULL);
          _exit (127);
        }
      if (wait4 (ps, &status, 0, &usage) != ps || !WIFEXITED (status) ||
          WEXITSTATUS (status) != 0)
        {
          fprintf (stderr, "bench-sampler-troupe: ps failed\n");
          exit (1);
        }
      *cpu_s += seconds_of (&usage);
      (*passes)++;
      next += interval_ms * 1000;
    }
  *wall_s = (g_get_monotonic_time () - start) / 1e6;
}

int
main (int   argc,
      char *argv[])
{
  const char *mode = argc > 1 ? argv[1] : "";
  int n_children = argc > 2 ? atoi (argv[2]) : 100;
  double seconds = argc > 3 ? g_ascii_strtod (argv[3], NULL) : 20;
  guint interval_ms = argc > 4 ? (guint) atoi (argv[4]) : TROUPE_SAMPLER_DEFAULT_INTERVAL_MS;
  double cpu_s = 0, wall_s = 0;
  guint passes = 0, processes = n_children + 1;
  pid_t root;

  if ((!g_str_equal (mode, "troupe") && !g_str_equal (mode, "ps")) || n_children < 0 ||
      seconds <= 0 || interval_ms == 0)
    {
      fprintf (stderr, "usage: %s troupe|ps N SECONDS [INTERVAL_MS]\n", argv[0]);
      return 2;
    }

  root = start_job (n_children);
  if (g_str_equal (mode, "troupe"))
    run_troupe (root, seconds, interval_ms, &cpu_s, &wall_s, &passes, &processes);
  else
    run_ps (seconds, interval_ms, &cpu_s, &wall_s, &passes);
  printf ("mode=%s children=%d cpu_s=%.4f wall_s=%.2f cpu_s_per_min=%.4f core_percent=%.3f "
          "passes=%u processes=%u system_processes=%u\n",
          mode, n_children, cpu_s, wall_s, cpu_s * 60 / wall_s, cpu_s * 100 / wall_s, passes,
          processes, count_processes ());
  stop_job (root);
  return 0;
}
