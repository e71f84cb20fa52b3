/* bench-spawn-bare.c: the floor for starting children: posix_spawn and waitpid, nothing else
 *
 * Starts /bin/true N times, one after another, waiting for each with a
 * blocking waitpid(). No pipes, no process group, no main loop: the least a
 * program can do to run a child and learn how it ended.
 *
 * Usage: bench-spawn-bare [N] [PROGRAM]   (default 2000 /bin/true)
 * Prints key=value pairs: spawns, seconds, spawns_per_s.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double
now_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

int
main (int   argc,
      char *argv[])
{
  unsigned long n_spawns = argc > 1 ? strtoul (argv[1], NULL, 10) : 2000;
  char *program = argc > 2 ? argv[2] : (char *) "/bin/true";
  char *child_argv[] = { program, NULL };
  double start, seconds;

  start = now_seconds ();
  for (unsigned long i = 0; i < n_spawns; i++)
    {
      pid_t pid;
      int status;
      int rc = posix_spawn (&pid, program, NULL, NULL, child_argv, environ);

      if (rc != 0)
        {
          fprintf (stderr, "posix_spawn %s: %s\n", program, strerror (rc));
          return 1;
        }
      if (waitpid (pid, &status, 0) != pid || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
        {
          fprintf (stderr, "%s did not exit cleanly\n", program);
          return 1;
        }
    }
  seconds = now_seconds () - start;

  printf ("spawns=%lu seconds=%.4f spawns_per_s=%.1f\n",
          n_spawns, seconds, (double) n_spawns / seconds);
  return 0;
}
