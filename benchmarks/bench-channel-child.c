/* bench-channel-child.c: the C fork child for the channel benchmarks: the ceiling
 *
 * Does what bench-channel-child.js does, with as little as a child can: it
 * speaks the line protocol on the fd named by NODE_CHANNEL_FD, reads with
 * 256 KiB read() calls, finds the line ends with memchr() and parses nothing
 * (a line is a message). It writes with plain blocking write() calls, many
 * messages per call. It says {"ready":true} first, then:
 *   to-child N:   counts the lines it is sent; at the Nth it answers {"count":N};
 *   from-child N: at the first line, sends N messages, 8,192 per write();
 *   ping-pong:    sends back each read's whole lines, in one write().
 * The message sent is always {"n":12345,"text":"hello"}. It ends at the end
 * of the channel.
 *
 * Usage: (as a fork child) bench-channel-child MODE [N]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_SIZE         (256 * 1024)
#define MESSAGE           "{\"n\":12345,\"text\":\"hello\"}\n"
#define MESSAGE_BYTES     (sizeof MESSAGE - 1)
#define MESSAGES_PER_WRITE 8192

static int
write_all (int         fd,
           const char *data,
           size_t      length)
{
  while (length > 0)
    {
      ssize_t n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -1;
      data += n;
      length -= (size_t) n;
    }
  return 0;
}

static int
send_messages (int                fd,
               unsigned long long n)
{
  static char batch[MESSAGES_PER_WRITE * MESSAGE_BYTES];

  for (size_t i = 0; i < MESSAGES_PER_WRITE; i++)
    memcpy (batch + i * MESSAGE_BYTES, MESSAGE, MESSAGE_BYTES);
  while (n > 0)
    {
      unsigned long long now = n < MESSAGES_PER_WRITE ? n : MESSAGES_PER_WRITE;

      if (write_all (fd, batch, now * MESSAGE_BYTES) != 0)
        return -1;
      n -= now;
    }
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  static char buffer[READ_SIZE];
  const char *channel = getenv ("NODE_CHANNEL_FD");
  const char *mode = argc > 1 ? argv[1] : "";
  unsigned long long n = argc > 2 ? strtoull (argv[2], NULL, 10) : 0;
  unsigned long long count = 0;
  size_t kept = 0;   /* bytes of an unfinished line at the start of buffer */
  int started = 0;
  int fd;

  if (channel == NULL)
    {
      fprintf (stderr, "%s: not started as a fork child\n", argv[0]);
      return 2;
    }
  if (strcmp (mode, "to-child") != 0 && strcmp (mode, "from-child") != 0 &&
      strcmp (mode, "ping-pong") != 0)
    {
      fprintf (stderr, "%s: unknown mode %s\n", argv[0], mode);
      return 2;
    }
  fd = atoi (channel);
  /* Blocking, whatever the parent left it as: this child has nothing else to do. */
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  if (write_all (fd, "{\"ready\":true}\n", 15) != 0)
    return 1;

  for (;;)
    {
      ssize_t n_read = read (fd, buffer + kept, sizeof buffer - kept);
      char *cursor, *end, *line_end, *last_end = NULL;

      if (n_read < 0 && errno == EINTR)
        continue;
      if (n_read < 0)
        {
          perror ("read");
          return 1;
        }
      if (n_read == 0)
        return 0;

      cursor = buffer + kept;
      end = buffer + kept + n_read;
      while ((line_end = memchr (cursor, '\n', (size_t) (end - cursor))) != NULL)
        {
          count++;
          last_end = line_end + 1;
          cursor = last_end;
        }

      if (strcmp (mode, "to-child") == 0)
        {
          if (count >= n && n > 0)
            {
              char reply[64];
              int length = snprintf (reply, sizeof reply, "{\"count\":%llu}\n", count);

              if (write_all (fd, reply, (size_t) length) != 0)
                return 1;
              n = 0;
            }
        }
      else if (strcmp (mode, "from-child") == 0)
        {
          if (count > 0 && !started)
            {
              started = 1;
              if (send_messages (fd, n) != 0)
                return 1;
            }
        }
      else if (last_end != NULL)
        {
          if (write_all (fd, buffer, (size_t) (last_end - buffer)) != 0)
            return 1;
        }

      /* The unfinished line moves to the front, for the next read to complete. */
      if (last_end != NULL)
        {
          kept = (size_t) (end - last_end);
          memmove (buffer, last_end, kept);
        }
      else
        kept = (size_t) (end - buffer);
      if (kept == sizeof buffer)
        {
          fprintf (stderr, "%s: a line longer than %d bytes\n", argv[0], READ_SIZE);
          return 1;
        }
    }
}
