/* troupe-worker-context.c: what a worker kind's entry function sees, on its pool thread
 *
 * Messages to the worker wait in a queue guarded by the context's lock; the
 * worker's thread takes all of them in one go and hands them out one at a
 * time, so the lock is taken once per batch rather than once per message.
 * Messages from the worker are appended to an array under the same lock, and a
 * dispatch on the main context is scheduled only when nothing is pending yet:
 * however fast a worker posts, the main thread wakes once per batch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "troupe-worker-private.h"

/* How many times a worker waiting for a message looks before it sleeps. */
#define SPIN_ROUNDS 100
/* How long it yields before it sleeps while messages stream in. */
#define STREAM_YIELD_US 20
/* Small messages share blocks of this size. */
#define CHUNK_SIZE (16 * 1024)

static void
on_cancelled (GCancellable        *cancellable,
              TroupeWorkerContext *context)
{
  /* Whoever cancels, a worker waiting for a message wakes to see it. */
  g_mutex_lock (&context->lock);
  context->cancelled = TRUE;
  g_cond_broadcast (&context->inbox_changed);
  g_mutex_unlock (&context->lock);
}

TroupeWorkerContext *
_troupe_worker_context_new (TroupeWorkerEntry  entry,
                            JsonNode          *data,
                            GMainContext      *main_context)
{
  TroupeWorkerContext *context = g_new0 (TroupeWorkerContext, 1);

  g_atomic_ref_count_init (&context->ref_count);
  context->entry = entry;
  context->data = data != NULL ? json_node_copy (data) : json_node_new (JSON_NODE_NULL);
  /* Sealed, the tree may be read from both threads at once. */
  json_node_seal (context->data);
  context->main_context = g_main_context_ref (main_context);
  g_mutex_init (&context->lock);
  g_cond_init (&context->inbox_changed);
  context->inbox = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  context->taken = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  context->outbox = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  context->thread_id = -1;
  context->cancellable = g_cancellable_new ();
  context->cancelled_handler = g_cancellable_connect (context->cancellable,
                                                      G_CALLBACK (on_cancelled), context, NULL);
  return context;
}

TroupeWorkerContext *
_troupe_worker_context_ref (TroupeWorkerContext *context)
{
  g_atomic_ref_count_inc (&context->ref_count);
  return context;
}

void
_troupe_worker_context_unref (TroupeWorkerContext *context)
{
  if (!g_atomic_ref_count_dec (&context->ref_count))
    return;

  g_assert (context->worker == NULL);
  if (context->dispatch_source != NULL)
    {
      g_source_destroy (context->dispatch_source);
      g_source_unref (context->dispatch_source);
    }
  g_cancellable_disconnect (context->cancellable, context->cancelled_handler);
  g_object_unref (context->cancellable);
  json_node_unref (context->data);
  g_main_context_unref (context->main_context);
  g_ptr_array_unref (context->inbox);
  /* Those handed out were stolen: only the rest are still ours to free. */
  for (guint i = context->taken_next; i < context->taken->len; i++)
    g_bytes_unref (g_ptr_array_index (context->taken, i));
  g_ptr_array_set_free_func (context->taken, NULL);
  g_ptr_array_unref (context->taken);
  g_ptr_array_unref (context->outbox);
  g_clear_pointer (&context->out_chunks.chunk, g_bytes_unref);
  g_clear_pointer (&context->in_chunks.chunk, g_bytes_unref);
  g_free (context->error_message);
  g_cond_clear (&context->inbox_changed);
  g_mutex_clear (&context->lock);
  g_free (context);
}

static gboolean
dispatch_on_main (gpointer user_data)
{
  TroupeWorker *worker = user_data;

  /* Once the worker's end has been dispatched, nothing more will come. */
  return _troupe_worker_dispatch (worker) ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
dispatch_source_dispatch (GSource     *source,
                          GSourceFunc  callback,
                          gpointer     user_data)
{
  /* Idle again until the worker's thread has something new. */
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs dispatch_source_funcs = {
  .dispatch = dispatch_source_dispatch,
};

/* On the main thread, before the worker is pushed onto the pool: the worker is
 * held until its end reaches the main thread, and one source, attached for
 * the worker's whole life, is made ready each time there is news: no source
 * is made and freed for each batch. */
void
_troupe_worker_context_set_worker (TroupeWorkerContext *context,
                                   TroupeWorker        *worker)
{
  GSource *source = g_source_new (&dispatch_source_funcs, sizeof (GSource));

  g_source_set_static_name (source, "[troupe] worker messages");
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, dispatch_on_main, worker, NULL);
  g_source_set_ready_time (source, -1);
  g_source_attach (source, context->main_context);

  g_mutex_lock (&context->lock);
  context->worker = g_object_ref (worker);
  context->dispatch_source = source;
  g_mutex_unlock (&context->lock);
}

/* With the lock held: makes sure the main thread will look at what is pending. */
static void
schedule_dispatch_locked (TroupeWorkerContext *context)
{
  if (context->dispatch_scheduled)
    return;
  context->dispatch_scheduled = TRUE;
  /* Thread-safe, and wakes the main context; unlike g_main_context_invoke(),
   * it never runs the dispatch here, on the worker's thread. */
  g_source_set_ready_time (context->dispatch_source, 0);
}

/* On the pool thread: runs the entry, unless the worker was terminated while queued. */
void
_troupe_worker_context_run (TroupeWorkerContext *context)
{
  gboolean skip;
  int exit_code = 0;

  g_mutex_lock (&context->lock);
  skip = context->cancelled;
  context->skipped = skip;
  if (!skip)
    {
      context->started = TRUE;
      context->started_at = g_get_real_time ();
      context->thread_id = (int) syscall (SYS_gettid);
      schedule_dispatch_locked (context);
    }
  g_mutex_unlock (&context->lock);

  if (!skip)
    exit_code = context->entry (context);

  g_mutex_lock (&context->lock);
  context->exit_code = exit_code;
  context->finished = TRUE;
  context->ended_at = g_get_real_time ();
  context->thread_id = -1;
  schedule_dispatch_locked (context);
  g_mutex_unlock (&context->lock);
}

/* On the main thread: queues a message for the worker. */
void
_troupe_worker_context_send (TroupeWorkerContext *context,
                             GBytes              *message)
{
  g_mutex_lock (&context->lock);
  g_ptr_array_add (context->inbox, g_bytes_ref (message));
  g_atomic_int_set (&context->inbox_length, context->inbox->len);
  /* One wake-up is enough: the messages posted until the worker has the lock
   * again are taken with this one. */
  if (context->receiver_waiting)
    {
      context->receiver_waiting = FALSE;
      g_cond_signal (&context->inbox_changed);
    }
  g_mutex_unlock (&context->lock);
}

guint
_troupe_worker_context_count_inbox (TroupeWorkerContext *context)
{
  guint count;

  g_mutex_lock (&context->lock);
  count = context->inbox->len;
  g_mutex_unlock (&context->lock);
  /* The ones the worker has taken but not yet read are read only by its
   * thread; an estimate that may lag by one batch is what a person needs. */
  return count;
}

int
_troupe_worker_context_get_thread_id (TroupeWorkerContext *context)
{
  int thread_id;

  g_mutex_lock (&context->lock);
  thread_id = context->thread_id;
  g_mutex_unlock (&context->lock);
  return thread_id;
}

/**
 * troupe_worker_context_get_data:
 *
 * Returns: (transfer none): the start data, JSON null if there was none; sealed
 */
JsonNode *
troupe_worker_context_get_data (TroupeWorkerContext *context)
{
  g_return_val_if_fail (context != NULL, NULL);
  return context->data;
}

/**
 * troupe_worker_context_get_cancellable:
 *
 * Returns: (transfer none): cancelled when the worker is asked to stop; give it
 *   to every blocking GIO call, so that terminating the worker interrupts them
 */
GCancellable *
troupe_worker_context_get_cancellable (TroupeWorkerContext *context)
{
  g_return_val_if_fail (context != NULL, NULL);
  return context->cancellable;
}

gboolean
troupe_worker_context_is_cancelled (TroupeWorkerContext *context)
{
  g_return_val_if_fail (context != NULL, TRUE);
  return g_cancellable_is_cancelled (context->cancellable);
}

/* Small messages are copied one after another into a chunk, each a GBytes
 * slice of it: one allocation a message instead of two, and the other thread
 * frees them without going back to this thread's malloc arena. A chunk lives
 * as long as the longest-kept of its messages. Each direction has its own
 * chunks, used by one thread only. */
GBytes *
_troupe_worker_chunks_copy (TroupeWorkerChunks *chunks,
                            const char         *text,
                            gsize               length)
{
  GBytes *message;

  if (length > CHUNK_SIZE / 16)
    return g_bytes_new (text, length);
  if (chunks->chunk == NULL || chunks->used + length > CHUNK_SIZE)
    {
      g_clear_pointer (&chunks->chunk, g_bytes_unref);
      chunks->data = g_malloc (CHUNK_SIZE);
      chunks->chunk = g_bytes_new_take (chunks->data, CHUNK_SIZE);
      chunks->used = 0;
    }
  memcpy (chunks->data + chunks->used, text, length);
  message = g_bytes_new_from_bytes (chunks->chunk, chunks->used, length);
  chunks->used += length;
  return message;
}

static void
post_bytes (TroupeWorkerContext *context,
            GBytes              *message)
{
  g_mutex_lock (&context->lock);
  g_ptr_array_add (context->outbox, message);
  if (context->outbox->len == 1)
    schedule_dispatch_locked (context);
  g_mutex_unlock (&context->lock);
}

/**
 * troupe_worker_context_post_text:
 * @json_text: one JSON value; the caller vouches for it
 * @length: its length, or -1 if it ends with a NUL
 *
 * Sends a message to the main thread. It arrives there in a batch with the
 * others posted since the main thread last looked.
 */
void
troupe_worker_context_post_text (TroupeWorkerContext *context,
                                 const char          *json_text,
                                 gssize               length)
{
  g_return_if_fail (context != NULL);
  g_return_if_fail (json_text != NULL);

  if (length < 0)
    length = strlen (json_text);
  post_bytes (context, _troupe_worker_chunks_copy (&context->out_chunks, json_text, length));
}

/**
 * troupe_worker_context_post:
 * @message: any JSON value; serialized here, on the worker's thread
 */
void
troupe_worker_context_post (TroupeWorkerContext *context,
                            JsonNode            *message)
{
  char *text;

  g_return_if_fail (context != NULL);
  g_return_if_fail (message != NULL);

  text = json_to_string (message, FALSE);
  post_bytes (context, g_bytes_new_take (text, strlen (text)));
}

/**
 * troupe_worker_context_receive_text:
 * @timeout_us: how long to wait, -1 for as long as it takes
 *
 * Returns: (transfer full) (nullable): the next message from the main thread,
 *   as JSON text, or %NULL when none came in time or the worker was cancelled
 */
GBytes *
troupe_worker_context_receive_text (TroupeWorkerContext *context,
                                    gint64               timeout_us)
{
  gint64 end_time;
  GPtrArray *swap;

  g_return_val_if_fail (context != NULL, NULL);

  if (context->taken_next < context->taken->len)
    return g_ptr_array_index (context->taken, context->taken_next++);

  /* Everything taken has been handed out (and its references stolen). */
  g_ptr_array_set_free_func (context->taken, NULL);
  g_ptr_array_set_size (context->taken, 0);
  g_ptr_array_set_free_func (context->taken, (GDestroyNotify) g_bytes_unref);
  context->taken_next = 0;

  /* A message is often on its way: a short spin saves sleeping and being woken
   * by the main thread, two system calls and a few microseconds each. It is
   * kept short because on a busy machine the spin takes the very core the
   * main thread needs to post the message. */
  if (timeout_us != 0)
    {
      /* After a batch of several messages more are likely coming: then the
       * worker also yields its core for a while before it sleeps, which
       * spares the main thread a wake-up call for every few messages. */
      gboolean streaming = context->last_batch_size > 1;
      gint64 yield_end = 0;

      for (guint spin = 0; ; spin++)
        {
          if (g_atomic_int_get (&context->inbox_length) > 0 ||
              g_cancellable_is_cancelled (context->cancellable))
            break;
          if (spin >= SPIN_ROUNDS)
            {
              gint64 now;

              if (!streaming)
                break;
              now = g_get_monotonic_time ();
              if (yield_end == 0)
                yield_end = now + (timeout_us > 0 ? MIN (timeout_us, STREAM_YIELD_US)
                                                  : STREAM_YIELD_US);
              else if (now >= yield_end)
                break;
              g_thread_yield ();
            }
        }
    }

  end_time = timeout_us >= 0 ? g_get_monotonic_time () + timeout_us : -1;
  g_mutex_lock (&context->lock);
  while (context->inbox->len == 0 && !context->cancelled)
    {
      gboolean signalled;

      if (timeout_us == 0)
        break;
      context->receiver_waiting = TRUE;
      if (end_time < 0)
        {
          g_cond_wait (&context->inbox_changed, &context->lock);
          signalled = TRUE;
        }
      else
        signalled = g_cond_wait_until (&context->inbox_changed, &context->lock, end_time);
      context->receiver_waiting = FALSE;
      if (!signalled)
        break;
    }
  if (context->cancelled || context->inbox->len == 0)
    {
      g_mutex_unlock (&context->lock);
      return NULL;
    }
  /* Take the whole queue: the next messages need no lock at all. */
  swap = context->taken;
  context->taken = context->inbox;
  context->inbox = swap;
  context->last_batch_size = context->taken->len;
  g_atomic_int_set (&context->inbox_length, 0);
  g_mutex_unlock (&context->lock);

  return g_ptr_array_index (context->taken, context->taken_next++);
}

/**
 * troupe_worker_context_receive:
 * @timeout_us: how long to wait, -1 for as long as it takes
 *
 * Returns: (transfer full) (nullable): the next message from the main thread,
 *   parsed here, or %NULL when none came in time or the worker was cancelled
 */
JsonNode *
troupe_worker_context_receive (TroupeWorkerContext *context,
                               gint64               timeout_us)
{
  g_autoptr(GBytes) text = troupe_worker_context_receive_text (context, timeout_us);
  g_autoptr(JsonParser) parser = NULL;
  gsize length;
  const char *data;
  JsonNode *root;

  if (text == NULL)
    return NULL;
  data = g_bytes_get_data (text, &length);
  parser = json_parser_new_immutable ();
  /* The main thread checked every message before queueing it. */
  if (!json_parser_load_from_data (parser, data, length, NULL))
    return json_node_new (JSON_NODE_NULL);
  root = json_parser_get_root (parser);
  return root != NULL ? json_node_ref (root) : json_node_new (JSON_NODE_NULL);
}

/**
 * troupe_worker_context_fail:
 *
 * Ends the worker with an error instead of an exit code, once the entry
 * returns. The first failure is the one reported.
 */
void
troupe_worker_context_fail (TroupeWorkerContext *context,
                            const char          *format,
                            ...)
{
  va_list args;
  char *message;

  g_return_if_fail (context != NULL);
  g_return_if_fail (format != NULL);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_mutex_lock (&context->lock);
  if (context->error_message == NULL)
    context->error_message = g_steal_pointer (&message);
  g_mutex_unlock (&context->lock);
  g_free (message);
}
