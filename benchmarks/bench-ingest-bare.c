/* bench-ingest-bare.c: the floor for output ingest: posix_spawn and a plain read() loop
 *
 * Starts the generator with its stdout on a pipe and reads it with 64 KiB
 * read() calls, counting bytes and (with memchr) lines, keeping nothing. This is
 * the fastest honest reader, the one Troupe's core is held to 0.6× of.
 *
 * Usage: bench-ingest-bare GENERATOR N_LINES
 * Prints key=value pairs: bytes, lines, seconds, mb_per_s.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define READ_SIZE  (64 * 1024)
#define LINE_BYTES 80

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
  static char buffer[READ_SIZE];
  unsigned long long expected_lines;
  unsigned long long n_bytes = 0;
  unsigned long long n_lines = 0;
  posix_spawn_file_actions_t actions;
  char *child_argv[3];
  int out_pipe[2];
  double start, seconds;
  int status;
  pid_t pid;
  int rc;

  if (argc != 3)
    {
      fprintf (stderr, "usage: %s GENERATOR N_LINES\n", argv[0]);
      return 2;
    }
  expected_lines = strtoull (argv[2], NULL, 10);

  start = now_seconds ();

  if (pipe2 (out_pipe, O_CLOEXEC) != 0)
    {
      perror ("pipe2");
      return 1;
    }
  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_adddup2 (&actions, out_pipe[1], STDOUT_FILENO);
  child_argv[0] = argv[1];
  child_argv[1] = argv[2];
  child_argv[2] = NULL;
  rc = posix_spawn (&pid, argv[1], &actions, NULL, child_argv, environ);
  posix_spawn_file_actions_destroy (&actions);
  close (out_pipe[1]);
  if (rc != 0)
    {
      fprintf (stderr, "posix_spawn %s: %s\n", argv[1], strerror (rc));
      return 1;
    }

  for (;;)
    {
      ssize_t n = read (out_pipe[0], buffer, sizeof buffer);
      const char *cursor, *end;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          perror ("read");
          return 1;
        }
      if (n == 0)
        break;

      n_bytes += (unsigned long long) n;
      cursor = buffer;
      end = buffer + n;
      while ((cursor = memchr (cursor, '\n', (size_t) (end - cursor))) != NULL)
        {
          n_lines++;
          cursor++;
        }
    }
  close (out_pipe[0]);

  if (waitpid (pid, &status, 0) != pid || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      fprintf (stderr, "generator did not exit cleanly\n");
      return 1;
    }
  seconds = now_seconds () - start;

  if (n_lines != expected_lines || n_bytes != expected_lines * LINE_BYTES)
    {
      fprintf (stderr, "wrong count: %llu bytes, %llu lines; expected %llu lines\n",
               n_bytes, n_lines, expected_lines);
      return 1;
    }

  printf ("bytes=%llu lines=%llu seconds=%.4f mb_per_s=%.1f\n",
          n_bytes, n_lines, seconds, (double) n_bytes / seconds / 1e6);
  return 0;
}
