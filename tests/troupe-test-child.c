/* troupe-test-child.c: a child process that does one thing a test asks of it
 *
 * Usage: troupe-test-child MODE [ARGS...]; see the table at the bottom.
 * Plain libc only, so that what the tests see is what a real program does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static void
write_all (int         fd,
           const void *data,
           size_t      length)
{
  const char *p = data;

  while (length > 0)
    {
      ssize_t n = write (fd, p, length);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        exit (90);
      p += n;
      length -= n;
    }
}

static void
say (int         fd,
     const char *text)
{
  write_all (fd, text, strlen (text));
}

static int
mode_exit (int argc, char **argv)
{
  return argc > 2 ? atoi (argv[2]) : 0;
}

static int
mode_signal (int argc, char **argv)
{
  struct rlimit no_core = { 0, 0 };
  int number = argc > 2 ? atoi (argv[2]) : SIGTERM;

  /* No core files in the build folder. */
  setrlimit (RLIMIT_CORE, &no_core);
  signal (number, SIG_DFL);
  raise (number);
  pause ();
  return 91;
}

/* Alternates numbered lines between stdout and stderr, N of each. */
static int
mode_streams (int argc, char **argv)
{
  int count = argc > 2 ? atoi (argv[2]) : 5;
  char line[64];

  for (int i = 1; i <= count; i++)
    {
      snprintf (line, sizeof line, "out %d\n", i);
      say (STDOUT_FILENO, line);
      snprintf (line, sizeof line, "err %d\n", i);
      say (STDERR_FILENO, line);
    }
  return 0;
}

/* Echoes each stdin line as "got: LINE", then "eof" at end of input. */
static int
mode_echo (int argc, char **argv)
{
  char *line = NULL;
  size_t size = 0;
  ssize_t length;

  say (STDOUT_FILENO, "ready\n");
  while ((length = getline (&line, &size, stdin)) >= 0)
    {
      say (STDOUT_FILENO, "got: ");
      write_all (STDOUT_FILENO, line, length);
    }
  say (STDOUT_FILENO, "eof\n");
  free (line);
  return 0;
}

/* Writes BYTES bytes of LINE_LENGTH-byte lines, each starting with its 0-based
 * number, "%09u", in large writes. */
static int
mode_flood (int argc, char **argv)
{
  unsigned long long total = argc > 2 ? strtoull (argv[2], NULL, 10) : 1000000;
  unsigned line_length = argc > 3 ? (unsigned) atoi (argv[3]) : 100;
  size_t chunk_size = 256 * 1024;
  char *chunk = malloc (chunk_size + line_length);
  unsigned long long written = 0;
  unsigned number = 0;
  size_t used = 0;

  if (line_length < 11)
    return 92;

  while (written < total)
    {
      unsigned long long left = total - written - used;
      size_t take = left < line_length ? (size_t) left : line_length;

      if (take == 0)
        break;
      memset (chunk + used, 'x', take);
      if (take >= 10)
        {
          char digits[16];
          snprintf (digits, sizeof digits, "%09u ", number);
          memcpy (chunk + used, digits, 10);
        }
      chunk[used + take - 1] = '\n';
      used += take;
      number++;

      if (used >= chunk_size || written + used >= total)
        {
          write_all (STDOUT_FILENO, chunk, used);
          written += used;
          used = 0;
        }
    }
  free (chunk);
  return 0;
}

static int
mode_ignore_term (int argc, char **argv)
{
  signal (SIGTERM, SIG_IGN);
  say (STDOUT_FILENO, "ready\n");
  for (;;)
    pause ();
  return 0;
}

/* Forks a grandchild that ignores SIGTERM and keeps stdout open; prints its pid. */
static int
mode_grandchild (int argc, char **argv)
{
  char line[64];
  pid_t pid = fork ();

  if (pid == 0)
    {
      signal (SIGTERM, SIG_IGN);
      for (;;)
        pause ();
    }
  snprintf (line, sizeof line, "grandchild %d\n", (int) pid);
  say (STDOUT_FILENO, line);
  for (;;)
    pause ();
  return 0;
}

/* Leaves behind, in its process group, a grandchild that ignores SIGTERM and
 * does not hold our pipes; prints the grandchild's pid and exits 0. */
static int
mode_leave_behind (int argc, char **argv)
{
  char line[64];
  int ready[2];
  pid_t pid;
  char byte;

  if (pipe (ready) != 0)
    return 97;
  pid = fork ();
  if (pid == 0)
    {
      int null_fd = open ("/dev/null", O_RDWR);

      signal (SIGTERM, SIG_IGN);
      dup2 (null_fd, STDOUT_FILENO);
      dup2 (null_fd, STDERR_FILENO);
      close (null_fd);
      close (ready[0]);
      close (ready[1]);
      for (;;)
        pause ();
    }
  close (ready[1]);
  /* The grandchild has closed its copy of the pipe: its setup is done. */
  while (read (ready[0], &byte, 1) > 0)
    ;
  snprintf (line, sizeof line, "left %d\n", (int) pid);
  say (STDOUT_FILENO, line);
  return 0;
}

/* Starts a daemon that leaves our process group with setsid() but keeps our
 * stdout open; prints its pid and exits 0. */
static int
mode_daemon (int argc, char **argv)
{
  char line[64];
  int ready[2];
  pid_t pid;
  char byte;

  if (pipe (ready) != 0)
    return 98;
  pid = fork ();
  if (pid == 0)
    {
      setsid ();
      close (ready[0]);
      close (ready[1]);
      sleep (30);
      _exit (0);
    }
  close (ready[1]);
  while (read (ready[0], &byte, 1) > 0)
    ;
  snprintf (line, sizeof line, "daemon %d\n", (int) pid);
  say (STDOUT_FILENO, line);
  return 0;
}

static int
mode_sleep (int argc, char **argv)
{
  say (STDOUT_FILENO, "ready\n");
  for (;;)
    pause ();
  return 0;
}

/* Prints each open descriptor number, one a line. */
static int
mode_list_fds (int argc, char **argv)
{
  DIR *dir = opendir ("/proc/self/fd");
  struct dirent *entry;
  char line[64];

  if (dir == NULL)
    return 93;
  while ((entry = readdir (dir)) != NULL)
    {
      int fd;
      if (entry->d_name[0] == '.')
        continue;
      fd = atoi (entry->d_name);
      if (fd == dirfd (dir))
        continue;
      snprintf (line, sizeof line, "%d\n", fd);
      say (STDOUT_FILENO, line);
    }
  closedir (dir);
  return 0;
}

/* Prints NAME=VALUE, or NAME unset, for each name given. */
static int
channel_write (int         fd,
               const char *data,
               size_t      length)
{
  while (length > 0)
    {
      ssize_t n = write (fd, data, length);
      if (n < 0)
        return -1;
      data += n;
      length -= (size_t) n;
    }
  return 0;
}

#define CHANNEL_SAY(fd, text) channel_write ((fd), (text), sizeof (text) - 1)

/* Writes every kind of bad input to the message channel, each followed by a
 * good message, and ends in the middle of one. argv[2]: the length of the
 * over-long line. */
static int
mode_channel_garbage (int argc, char **argv)
{
  const char *channel = getenv ("NODE_CHANNEL_FD");
  size_t long_length = argc > 2 ? strtoul (argv[2], NULL, 10) : 100000;
  char *long_line;
  int fd;

  if (channel == NULL)
    return 95;
  fd = atoi (channel);
  CHANNEL_SAY (fd, "{\"ok\":1}\n");
  CHANNEL_SAY (fd, "not json at all\n");
  CHANNEL_SAY (fd, "{\"ok\":2}\n");
  CHANNEL_SAY (fd, "\"bad \xff\xfe utf-8\"\n");
  CHANNEL_SAY (fd, "{\"ok\":3}\n");
  long_line = malloc (long_length + 1);
  memset (long_line, 'x', long_length);
  long_line[0] = '"';
  long_line[long_length - 1] = '"';
  long_line[long_length] = '\n';
  /* In pieces, so that the limit is passed across reads. */
  for (size_t at = 0; at < long_length + 1; at += 4096)
    channel_write (fd, long_line + at, long_length + 1 - at < 4096 ? long_length + 1 - at : 4096);
  free (long_line);
  CHANNEL_SAY (fd, "{\"ok\":4}\n");
  /* One message across two writes, then three in one. */
  CHANNEL_SAY (fd, "{\"sp");
  usleep (100000);
  CHANNEL_SAY (fd, "lit\":true}\n");
  CHANNEL_SAY (fd, "{\"m\":1}\n{\"m\":2}\n{\"m\":3}\n");
  CHANNEL_SAY (fd, "{'single':'quotes'}\n");
  CHANNEL_SAY (fd, "{\"ok\":5}\n");
  CHANNEL_SAY (fd, "{\"cut\":");
  return 0;
}

/* Sends argv[2] small messages as fast as it can, then waits for the channel's end. */
static int
mode_channel_flood (int argc, char **argv)
{
  const char *channel = getenv ("NODE_CHANNEL_FD");
  unsigned long total = argc > 2 ? strtoul (argv[2], NULL, 10) : 1000;
  char *buffer = malloc (1 << 20);
  size_t used = 0;
  char rest;
  int fd;

  if (channel == NULL)
    return 95;
  fd = atoi (channel);
  for (unsigned long i = 0; i < total; i++)
    {
      used += (size_t) snprintf (buffer + used, 64, "{\"n\":%lu,\"text\":\"hello\"}\n", i);
      if (used > (1 << 20) - 64 || i + 1 == total)
        {
          channel_write (fd, buffer, used);
          used = 0;
        }
    }
  free (buffer);
  while (read (fd, &rest, 1) > 0)
    ;
  return 0;
}

static int
mode_env (int argc, char **argv)
{
  for (int i = 2; i < argc; i++)
    {
      const char *value = getenv (argv[i]);
      say (STDOUT_FILENO, argv[i]);
      if (value != NULL)
        {
          say (STDOUT_FILENO, "=");
          say (STDOUT_FILENO, value);
          say (STDOUT_FILENO, "\n");
        }
      else
        say (STDOUT_FILENO, " unset\n");
    }
  return 0;
}

static int
mode_cwd (int argc, char **argv)
{
  char buffer[4096];

  if (getcwd (buffer, sizeof buffer) == NULL)
    return 94;
  say (STDOUT_FILENO, buffer);
  say (STDOUT_FILENO, "\n");
  return 0;
}

/* Bytes that are hard to show: CRLF, invalid UTF-8, NUL, no final newline. */
static int
mode_raw (int argc, char **argv)
{
  static const char bytes[] =
    "crlf line\r\n"
    "bad \xff\xfe utf8\n"
    "nul\0inside\n"
    "caf\xc3\xa9\n"
    "no newline at end";

  write_all (STDOUT_FILENO, bytes, sizeof bytes - 1);
  return 0;
}

/* One line of BYTES 'x', then a newline, then "after". */
static int
mode_long_line (int argc, char **argv)
{
  size_t length = argc > 2 ? strtoul (argv[2], NULL, 10) : 10000000;
  char *line = malloc (length + 1);

  memset (line, 'x', length);
  line[length] = '\n';
  write_all (STDOUT_FILENO, line, length + 1);
  say (STDOUT_FILENO, "after\n");
  free (line);
  return 0;
}

static const struct
{
  const char *name;
  int (*run) (int argc, char **argv);
} modes[] = {
  { "exit", mode_exit },
  { "signal", mode_signal },
  { "streams", mode_streams },
  { "echo", mode_echo },
  { "flood", mode_flood },
  { "ignore-term", mode_ignore_term },
  { "grandchild", mode_grandchild },
  { "sleep", mode_sleep },
  { "leave-behind", mode_leave_behind },
  { "daemon", mode_daemon },
  { "list-fds", mode_list_fds },
  { "env", mode_env },
  { "channel-garbage", mode_channel_garbage },
  { "channel-flood", mode_channel_flood },
  { "cwd", mode_cwd },
  { "raw", mode_raw },
  { "long-line", mode_long_line },
};

int
main (int argc, char **argv)
{
  if (argc < 2)
    return 95;
  for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
    if (strcmp (argv[1], modes[i].name) == 0)
      return modes[i].run (argc, argv);
  return 96;
}
