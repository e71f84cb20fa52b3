/* sampler-child.c: a process with a known shape for the monitor's tests
 *
 *   sampler-child tree N MS     forks N children that sleep MS ms (each a bit
 *                               longer than the last) and exit; then sleeps
 *   sampler-child busy          spins on one core
 *   sampler-child sleep         sleeps
 *   sampler-child alloc MB      allocates MB megabytes, touches every page, sleeps
 *   sampler-child daemonize S   forks a child that forks a daemon (sleeping S
 *                               seconds) and exits; then sleeps
 *   sampler-child threads N     starts N sleeping threads, then sleeps
 *
 * Each prints one line once it has its shape, so a test can wait for it.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void
sleep_forever (void)
{
  for (;;)
    pause ();
}

static void *
sleep_in_thread (void *data)
{
  sleep_forever ();
  return NULL;
}

static int
run_tree (int n_children,
          int sleep_ms)
{
  for (int i = 0; i < n_children; i++)
    {
      pid_t pid = fork ();

      if (pid < 0)
        return 1;
      if (pid == 0)
        {
          usleep ((useconds_t) (sleep_ms + i * 300) * 1000);
          _exit (0);
        }
    }
  printf ("forked %d\n", n_children);
  fflush (stdout);
  for (int i = 0; i < n_children; i++)
    wait (NULL);
  printf ("children ended\n");
  fflush (stdout);
  sleep_forever ();
  return 0;
}

static int
run_busy (void)
{
  volatile unsigned long counter = 0;

  printf ("busy\n");
  fflush (stdout);
  for (;;)
    counter++;
  return 0;
}

static int
run_alloc (long megabytes)
{
  size_t size = (size_t) megabytes * 1024 * 1024;
  volatile char *memory = malloc (size);

  if (memory == NULL)
    return 1;
  /* Every page written, so all of it is resident; through a volatile pointer,
   * since a compiler may drop writes to memory that is never read. */
  for (size_t i = 0; i < size; i += 4096)
    memory[i] = 1;
  printf ("allocated %ld MB\n", megabytes);
  fflush (stdout);
  sleep_forever ();
  return 0;
}

static int
run_daemonize (int seconds)
{
  pid_t pid = fork ();

  if (pid < 0)
    return 1;
  if (pid == 0)
    {
      pid_t daemon = fork ();

      if (daemon == 0)
        {
          setsid ();
          sleep ((unsigned) seconds);
          _exit (0);
        }
      printf ("daemon %ld\n", (long) daemon);
      fflush (stdout);
      /* The middle process stays a moment, so that the daemon is first seen
       * inside the tree, then leaves it. */
      sleep (4);
      _exit (0);
    }
  waitpid (pid, NULL, 0);
  printf ("middle ended\n");
  fflush (stdout);
  sleep_forever ();
  return 0;
}

static int
run_threads (int n_threads)
{
  for (int i = 0; i < n_threads; i++)
    {
      pthread_t thread;

      if (pthread_create (&thread, NULL, sleep_in_thread, NULL) != 0)
        return 1;
    }
  printf ("threads %d\n", n_threads);
  fflush (stdout);
  sleep_forever ();
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  const char *mode = argc > 1 ? argv[1] : "";

  /* A test that dies before stopping its job must not leave a child spinning
   * or sleeping for ever: this process ends within five minutes, whatever
   * happens (its own children each end after the time they are given). */
  alarm (300);
  if (strcmp (mode, "tree") == 0 && argc == 4)
    return run_tree (atoi (argv[2]), atoi (argv[3]));
  if (strcmp (mode, "busy") == 0)
    return run_busy ();
  if (strcmp (mode, "sleep") == 0)
    {
      printf ("sleeping\n");
      fflush (stdout);
      sleep_forever ();
    }
  if (strcmp (mode, "alloc") == 0 && argc == 3)
    return run_alloc (atol (argv[2]));
  if (strcmp (mode, "daemonize") == 0 && argc == 3)
    return run_daemonize (atoi (argv[2]));
  if (strcmp (mode, "threads") == 0 && argc == 3)
    return run_threads (atoi (argv[2]));

  fprintf (stderr, "usage: %s tree N MS | busy | sleep | alloc MB | daemonize S | threads N\n",
           argv[0]);
  return 2;
}
