/* bench-generator.c: writes N lines of 80 bytes (79 characters and a newline) to stdout, fast
 *
 * The child in the output ingest benchmark. Lines are prepared once in a 1 MiB
 * buffer (a whole number of lines) and written with big write() calls, so the
 * reader, not this program, is what the benchmark measures.
 *
 * Usage: bench-generator [N_LINES]   (default 13,421,772 lines: 1 GiB less 64 bytes)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LINE_BYTES      80
#define LINES_PER_WRITE 13107 /* 1,048,560 bytes */
#define DEFAULT_LINES   13421772ULL

static int
write_all (const char *data,
           size_t      length)
{
  while (length > 0)
    {
      ssize_t written = write (STDOUT_FILENO, data, length);

      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          return -1;
        }
      data += written;
      length -= (size_t) written;
    }
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  unsigned long long n_lines = DEFAULT_LINES;
  static char buffer[LINES_PER_WRITE * LINE_BYTES];

  if (argc > 1)
    {
      char *end = NULL;

      n_lines = strtoull (argv[1], &end, 10);
      if (end == argv[1] || *end != '\0')
        {
          fprintf (stderr, "usage: %s [N_LINES]\n", argv[0]);
          return 2;
        }
    }

  /* Printable text that differs from line to line, so nothing downstream can
   * cheat on a repeated pattern by accident. */
  for (size_t line = 0; line < LINES_PER_WRITE; line++)
    {
      char *start = buffer + line * LINE_BYTES;

      for (size_t column = 0; column < LINE_BYTES - 1; column++)
        start[column] = (char) (' ' + 1 + (line * 7 + column) % 94);
      start[LINE_BYTES - 1] = '\n';
    }

  while (n_lines > 0)
    {
      unsigned long long batch = n_lines < LINES_PER_WRITE ? n_lines : LINES_PER_WRITE;

      if (write_all (buffer, batch * LINE_BYTES) != 0)
        {
          perror ("bench-generator: write");
          return 1;
        }
      n_lines -= batch;
    }
  return 0;
}
