/* bench-workers-troupe.c: messages between the main thread and one thread worker
 *
 * Starts one worker on a TroupeWorkerPool, as the app does, with recording
 * off, and waits for its {"ready":true}: neither the thread's start nor the
 * pool's is timed. Then the clock starts:
 *   to-worker N:   N troupe_worker_post_text() calls in a loop; the worker takes
 *                  each with troupe_worker_context_receive_text() and counts
 *                  it; the clock stops at its {"count":N};
 *   from-worker N: the message "go"; the worker formats {"seq":I} and calls
 *                  troupe_worker_context_post_text() N times; the main thread
 *                  looks at the first byte of every message of each "messages"
 *                  batch, and the clock stops at the Nth;
 *   ping-pong N:   {"seq":I} to the built-in echo kind, and the next one posted
 *                  from the "messages" handler of its echo, N times.
 * The message is {"seq":I}, I counting from 0 (10 to 15 bytes).
 *
 * Also measured over the same time: the CPU time of the whole process (both
 * threads, from getrusage()).
 *
 * Usage: bench-workers-troupe MODE N
 * Prints key=value pairs: messages (round trips for ping-pong), seconds,
 * messages_per_s or round_trips_per_s, cpu_s, batches.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "troupe-worker-pool.h"

#define GIVE_UP_SECONDS 120

typedef enum
{
  MODE_TO_WORKER,
  MODE_FROM_WORKER,
  MODE_PING_PONG,
} Mode;

typedef struct
{
  GMainLoop    *loop;
  TroupeWorker *worker;
  Mode          mode;
  guint64       n_messages;
  guint64       n_received;
  guint64       n_batches;
  guint64       bad;
  gboolean      ready;
  gint64        start;
  gint64        end;
} Bench;

/* {"seq":I} into @text, which has room for 32 bytes; returns its length.
 * Written out by hand: printf() would cost more than passing the message. */
static int
format_sequence (char    *text,
                 guint64  sequence)
{
  char digits[24];
  int n_digits = 0, length = 0;

  do
    digits[n_digits++] = '0' + sequence % 10;
  while ((sequence /= 10) > 0);
  memcpy (text, "{\"seq\":", 7);
  length = 7;
  while (n_digits > 0)
    text[length++] = digits[--n_digits];
  text[length++] = '}';
  text[length] = '\0';
  return length;
}

static gint64
count_from_data (TroupeWorkerContext *context)
{
  JsonNode *data = troupe_worker_context_get_data (context);

  return json_object_get_int_member (json_node_get_object (data), "n");
}

/* to-worker: counts N messages, then says how many. */
static int
count_entry (TroupeWorkerContext *context)
{
  gint64 n = count_from_data (context), count = 0;
  char text[64];

  troupe_worker_context_post_text (context, "{\"ready\":true}", -1);
  while (count < n)
    {
      g_autoptr(GBytes) message = troupe_worker_context_receive_text (context, -1);

      if (message == NULL)
        return 1;
      count++;
    }
  g_snprintf (text, sizeof text, "{\"count\":%" G_GINT64_FORMAT "}", count);
  troupe_worker_context_post_text (context, text, -1);
  return 0;
}

/* from-worker: on "go", posts N messages as fast as it can. */
static int
send_entry (TroupeWorkerContext *context)
{
  gint64 n = count_from_data (context);
  g_autoptr(GBytes) go = NULL;

  troupe_worker_context_post_text (context, "{\"ready\":true}", -1);
  go = troupe_worker_context_receive_text (context, -1);
  if (go == NULL)
    return 1;
  for (gint64 i = 0; i < n; i++)
    {
      char text[32];
      int length = format_sequence (text, i);

      troupe_worker_context_post_text (context, text, length);
    }
  return 0;
}

static const TroupeWorkerKindInfo bench_kinds[] = {
  { .name = "bench-count", .title = "Count", .entry = count_entry },
  { .name = "bench-send", .title = "Send", .entry = send_entry },
};

static void
post_sequence (Bench   *bench,
               guint64  sequence)
{
  char text[32];

  format_sequence (text, sequence);
  if (!troupe_worker_post_text (bench->worker, text, NULL))
    g_error ("could not post");
}

static void
start_clock (Bench *bench)
{
  bench->ready = TRUE;
  bench->start = g_get_monotonic_time ();
  switch (bench->mode)
    {
    case MODE_TO_WORKER:
      for (guint64 i = 0; i < bench->n_messages; i++)
        post_sequence (bench, i);
      break;
    case MODE_FROM_WORKER:
      if (!troupe_worker_post_text (bench->worker, "\"go\"", NULL))
        g_error ("could not post");
      break;
    case MODE_PING_PONG:
      post_sequence (bench, 0);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
stop_clock (Bench *bench)
{
  bench->end = g_get_monotonic_time ();
  g_main_loop_quit (bench->loop);
}

static void
on_messages (TroupeWorker *worker,
             GPtrArray    *batch,
             Bench        *bench)
{
  if (!bench->ready)
    {
      /* The echo kind has no ready message: the first echo is the warm-up. */
      start_clock (bench);
      return;
    }
  bench->n_batches++;
  switch (bench->mode)
    {
    case MODE_TO_WORKER:
      stop_clock (bench);
      break;
    case MODE_FROM_WORKER:
      for (guint i = 0; i < batch->len; i++)
        if (*(const char *) g_bytes_get_data (g_ptr_array_index (batch, i), NULL) != '{')
          bench->bad++;
      bench->n_received += batch->len;
      if (bench->n_received >= bench->n_messages)
        stop_clock (bench);
      break;
    case MODE_PING_PONG:
      bench->n_received += batch->len;
      if (bench->n_received >= bench->n_messages)
        stop_clock (bench);
      else
        post_sequence (bench, bench->n_received);
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
on_give_up (gpointer user_data)
{
  g_printerr ("bench-workers-troupe: no answer in %d s\n", GIVE_UP_SECONDS);
  exit (1);
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TroupeWorkerRegistry) registry = troupe_worker_registry_new ();
  g_autoptr(TroupeWorkerPool) pool = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  Bench bench = { 0 };
  const char *kind;
  double cpu_start, cpu;
  double seconds;

  if (argc != 3 || g_ascii_strtoull (argv[2], NULL, 10) == 0)
    {
      g_printerr ("usage: bench-workers-troupe to-worker|from-worker|ping-pong N\n");
      return 2;
    }
  if (g_str_equal (argv[1], "to-worker"))
    bench.mode = MODE_TO_WORKER, kind = "bench-count";
  else if (g_str_equal (argv[1], "from-worker"))
    bench.mode = MODE_FROM_WORKER, kind = "bench-send";
  else if (g_str_equal (argv[1], "ping-pong"))
    bench.mode = MODE_PING_PONG, kind = "echo";
  else
    {
      g_printerr ("bench-workers-troupe: unknown mode %s\n", argv[1]);
      return 2;
    }
  bench.n_messages = g_ascii_strtoull (argv[2], NULL, 10);
  bench.loop = loop;

  for (guint i = 0; i < G_N_ELEMENTS (bench_kinds); i++)
    if (!troupe_worker_registry_add (registry, &bench_kinds[i], &error))
      g_error ("%s", error->message);
  pool = troupe_worker_pool_new (registry, 1);
  data = g_strdup_printf ("{\"n\":%" G_GUINT64_FORMAT "}", bench.n_messages);
  bench.worker = troupe_worker_pool_start_text (pool, kind, data, &error);
  if (bench.worker == NULL)
    g_error ("%s", error->message);
  troupe_worker_set_recording (bench.worker, FALSE);
  g_signal_connect (bench.worker, "messages", G_CALLBACK (on_messages), &bench);
  g_timeout_add_seconds (GIVE_UP_SECONDS, on_give_up, NULL);

  if (bench.mode == MODE_PING_PONG)
    post_sequence (&bench, 0);
  cpu_start = cpu_seconds ();
  g_main_loop_run (loop);
  cpu = cpu_seconds () - cpu_start;

  if (bench.bad > 0)
    g_error ("%" G_GUINT64_FORMAT " messages were not what the worker sent", bench.bad);
  seconds = (bench.end - bench.start) / 1e6;
  printf ("messages=%" G_GUINT64_FORMAT " seconds=%.3f %s=%.1f cpu_s=%.3f batches=%"
          G_GUINT64_FORMAT "\n",
          bench.n_messages, seconds,
          bench.mode == MODE_PING_PONG ? "round_trips_per_s" : "messages_per_s",
          bench.n_messages / seconds, cpu, bench.n_batches);
  fflush (stdout);

  if (bench.mode == MODE_PING_PONG)
    troupe_worker_post_text (bench.worker, "\"exit\"", NULL);
  return 0;
}
