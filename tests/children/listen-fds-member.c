/* listen-fds-member.c: a cluster member that serves on a socket passed the
 * systemd way (sd_listen_fds): it checks LISTEN_PID and LISTEN_FDS as
 * sd_listen_fds() does, then answers each connection with one line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SD_LISTEN_FDS_START 3

int
main (void)
{
  const char *pid = getenv ("LISTEN_PID");
  const char *fds = getenv ("LISTEN_FDS");
  const char *names = getenv ("LISTEN_FDNAMES");

  if (pid == NULL || atol (pid) != (long) getpid () || fds == NULL || atoi (fds) != 1)
    {
      fprintf (stderr, "no socket passed: LISTEN_PID=%s (we are %ld), LISTEN_FDS=%s\n",
               pid ? pid : "unset", (long) getpid (), fds ? fds : "unset");
      return 1;
    }
  printf ("serving on fd %d (%s)\n", SD_LISTEN_FDS_START, names ? names : "unnamed");
  fflush (stdout);
  for (;;)
    {
      int connection = accept (SD_LISTEN_FDS_START, NULL, NULL);
      char reply[64];
      int length;

      if (connection < 0)
        return 2;
      length = snprintf (reply, sizeof reply, "hello from C %ld\n", (long) getpid ());
      if (write (connection, reply, (size_t) length) < 0)
        perror ("write");
      close (connection);
    }
}
