/* A fork child in C: answers each message with {"echo": message}. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int
main (void)
{
  const char *channel = getenv ("NODE_CHANNEL_FD");
  FILE *incoming = channel ? fdopen (atoi (channel), "r") : NULL;
  FILE *outgoing = channel ? fdopen (dup (atoi (channel)), "w") : NULL;
  char *line = NULL;
  size_t size = 0;
  ssize_t length;

  if (incoming == NULL || outgoing == NULL)
    return 1;
  while ((length = getline (&line, &size, incoming)) > 0)  /* one JSON value per line */
    {
      if (line[length - 1] == '\n')
        line[length - 1] = '\0';
      fprintf (outgoing, "{\"echo\":%s}\n", line);  /* a message is valid JSON as it is */
      fflush (outgoing);
    }
  free (line);
  return 0;
}
