/* test-worker-pool.c: thread workers: start data, messages both ways, ends, terminate, queueing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "troupe-enums.h"
#include "troupe-test-util.h"
#include "troupe-worker-pool.h"

#define N_MILLION 1000000

/* The stuck worker spins until the test lets it go. */
static int stuck_release;
static int stuck_started;

static int
data_back_entry (TroupeWorkerContext *context)
{
  troupe_worker_context_post (context, troupe_worker_context_get_data (context));
  return 3;
}

static int
fail_entry (TroupeWorkerContext *context)
{
  troupe_worker_context_fail (context, "the %s is missing", "input file");
  return 0;
}

static int
stuck_entry (TroupeWorkerContext *context)
{
  g_atomic_int_set (&stuck_started, 1);
  /* Deliberately deaf to cancel: this is the worker terminate cannot stop. */
  while (!g_atomic_int_get (&stuck_release))
    g_usleep (1000);
  return 0;
}

static int
timeout_entry (TroupeWorkerContext *context)
{
  g_autoptr(GBytes) message = troupe_worker_context_receive_text (context, 20 * 1000);

  troupe_worker_context_post_text (context, message == NULL ? "\"timed out\"" : "\"got one\"", -1);
  return 0;
}

static const TroupeWorkerKindInfo test_kinds[] = {
  { .name = "test-data-back", .title = "Data back", .entry = data_back_entry },
  { .name = "test-fail", .title = "Fail", .entry = fail_entry },
  { .name = "test-stuck", .title = "Stuck", .entry = stuck_entry },
  { .name = "test-timeout", .title = "Timeout", .entry = timeout_entry },
};

static TroupeWorkerPool *
new_pool (guint max_threads)
{
  g_autoptr(TroupeWorkerRegistry) registry = troupe_worker_registry_new ();

  for (guint i = 0; i < G_N_ELEMENTS (test_kinds); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (troupe_worker_registry_add (registry, &test_kinds[i], &error));
      g_assert_no_error (error);
    }
  return troupe_worker_pool_new (registry, max_threads);
}

static gboolean
worker_has_ended (gpointer worker)
{
  return troupe_worker_has_ended (worker);
}

static void
wait_ended (TroupeWorker *worker)
{
  troupe_test_wait_until (worker_has_ended, worker, "for the worker to end");
}

typedef struct
{
  TroupeWorker      *worker;
  TroupeWorkerState  state;
} StateWait;

static gboolean
worker_is_in_state (gpointer user_data)
{
  StateWait *wait = user_data;

  return troupe_worker_get_state (wait->worker) == wait->state;
}

static void
wait_state (TroupeWorker      *worker,
            TroupeWorkerState  state)
{
  StateWait wait = { worker, state };

  troupe_test_wait_until (worker_is_in_state, &wait, "for the worker's state");
}

/* Collects every message a worker sends, and counts the batches they came in. */
typedef struct
{
  GPtrArray *texts;
  guint      n_batches;
  guint      n_messages;
  guint64    next_sequence;
  gboolean   in_order;
} Received;

static void
on_messages_keep (TroupeWorker *worker,
                  GPtrArray    *batch,
                  Received     *received)
{
  received->n_batches++;
  for (guint i = 0; i < batch->len; i++)
    {
      GBytes *text = g_ptr_array_index (batch, i);

      g_ptr_array_add (received->texts, g_strndup (g_bytes_get_data (text, NULL),
                                                   g_bytes_get_size (text)));
    }
  received->n_messages += batch->len;
}

static void
test_registry (void)
{
  g_autoptr(TroupeWorkerRegistry) registry = troupe_worker_registry_new ();
  g_autoptr(GError) error = NULL;
  TroupeWorkerKind *echo = troupe_worker_registry_lookup (registry, "echo");
  GListModel *kinds = troupe_worker_registry_get_kinds (registry);
  TroupeWorkerKindInfo duplicate = test_kinds[0];
  TroupeWorkerKindInfo bad_name = test_kinds[0];
  g_autofree char *folder = troupe_worker_registry_dup_default_module_folder ();

  g_assert_nonnull (echo);
  g_assert_cmpstr (troupe_worker_kind_get_name (echo), ==, "echo");
  g_assert_cmpstr (troupe_worker_kind_get_title (echo), ==, "Echo");
  g_assert_true (troupe_worker_kind_accepts_messages (echo));
  g_assert_null (troupe_worker_kind_get_module_path (echo));
  g_assert_null (troupe_worker_registry_lookup (registry, "no-such-kind"));
  g_assert_true (g_str_has_suffix (folder, "/troupe/workers"));

  g_assert_true (troupe_worker_registry_add (registry, &test_kinds[1], &error));
  g_assert_true (troupe_worker_registry_add (registry, &test_kinds[0], &error));
  g_assert_no_error (error);
  duplicate.title = "Another";
  g_assert_false (troupe_worker_registry_add (registry, &duplicate, &error));
  g_assert_error (error, TROUPE_WORKER_ERROR, TROUPE_WORKER_ERROR_MODULE);
  g_clear_error (&error);
  bad_name.name = "has space";
  g_assert_false (troupe_worker_registry_add (registry, &bad_name, &error));
  g_assert_error (error, TROUPE_WORKER_ERROR, TROUPE_WORKER_ERROR_MODULE);
  g_clear_error (&error);

  /* Sorted by name, whatever the order of adding. */
  for (guint i = 1; i < g_list_model_get_n_items (kinds); i++)
    {
      g_autoptr(TroupeWorkerKind) a = g_list_model_get_item (kinds, i - 1);
      g_autoptr(TroupeWorkerKind) b = g_list_model_get_item (kinds, i);

      g_assert_cmpstr (troupe_worker_kind_get_name (a), <, troupe_worker_kind_get_name (b));
    }
}

static void
test_start_data (void)
{
  g_autoptr(TroupeWorkerPool) pool = new_pool (0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  Received received = { texts, 0, 0, 0, TRUE };
  TroupeWorker *worker;
  g_autofree char *status = NULL;
  g_autofree char *data_text = NULL;

  worker = troupe_worker_pool_start_text (pool, "test-data-back",
                                          "{\"url\": \"http://127.0.0.1:8000/\", \"n\": [1, 2]}",
                                          &error);
  g_assert_no_error (error);
  g_assert_nonnull (worker);
  g_assert_cmpuint (troupe_worker_get_id (worker), ==, 1);
  g_assert_cmpint (troupe_worker_get_queued_at (worker), >, 0);
  g_signal_connect (worker, "messages", G_CALLBACK (on_messages_keep), &received);
  wait_ended (worker);

  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_EXITED);
  g_assert_cmpint (troupe_worker_get_exit_code (worker), ==, 3);
  status = troupe_worker_dup_status_text (worker);
  g_assert_cmpstr (status, ==, "Exited with code 3");
  g_assert_cmpuint (texts->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (texts, 0), ==,
                   "{\"url\":\"http://127.0.0.1:8000/\",\"n\":[1,2]}");
  data_text = troupe_worker_dup_data_text (worker);
  g_assert_nonnull (strstr (data_text, "\"n\" : ["));
  g_assert_cmpint (troupe_worker_get_started_at (worker), >=, troupe_worker_get_queued_at (worker));
  g_assert_cmpint (troupe_worker_get_run_time (worker), >=, 0);
  g_assert_cmpint (troupe_worker_get_thread_id (worker), ==, -1);

  /* No data is JSON null. */
  worker = troupe_worker_pool_start (pool, "test-data-back", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_NULL (troupe_worker_get_data (worker)));
  g_signal_connect (worker, "messages", G_CALLBACK (on_messages_keep), &received);
  wait_ended (worker);
  g_assert_cmpuint (texts->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (texts, 1), ==, "null");
  g_assert_cmpuint (troupe_worker_pool_get_n_finished (pool), ==, 2);
}

/* Checks sequence numbers as they come, without keeping the texts. */
static void
on_messages_count (TroupeWorker *worker,
                   GPtrArray    *batch,
                   Received     *received)
{
  received->n_batches++;
  for (guint i = 0; i < batch->len; i++)
    {
      GBytes *text = g_ptr_array_index (batch, i);
      char buffer[64] = { 0 };
      guint64 sequence = G_MAXUINT64;

      memcpy (buffer, g_bytes_get_data (text, NULL), MIN (g_bytes_get_size (text), 63));
      if (sscanf (buffer, "{\"seq\":%" G_GUINT64_FORMAT "}", &sequence) != 1 ||
          sequence != received->next_sequence)
        received->in_order = FALSE;
      received->next_sequence++;
    }
  received->n_messages += batch->len;
}

typedef struct
{
  Received *received;
  guint     wanted;
} CountWait;

static gboolean
has_received (gpointer user_data)
{
  CountWait *wait = user_data;

  return wait->received->n_messages >= wait->wanted;
}

static void
wait_received (Received *received,
               guint     wanted)
{
  CountWait wait = { received, wanted };

  troupe_test_wait_until (has_received, &wait, "for the worker's messages");
}

static void
test_million_each_way (void)
{
  g_autoptr(TroupeWorkerPool) pool = new_pool (0);
  g_autoptr(GError) error = NULL;
  Received received = { NULL, 0, 0, 0, TRUE };
  TroupeWorker *worker = troupe_worker_pool_start (pool, "echo", NULL, &error);

  g_assert_no_error (error);
  troupe_worker_set_recording (worker, FALSE);
  g_signal_connect (worker, "messages", G_CALLBACK (on_messages_count), &received);

  for (guint i = 0; i < N_MILLION; i++)
    {
      char text[32];

      g_snprintf (text, sizeof text, "{\"seq\":%u}", i);
      g_assert_true (troupe_worker_post_text (worker, text, &error));
    }
  /* Nothing reached the main thread while it was busy posting. */
  g_assert_cmpuint (received.n_messages, ==, 0);
  wait_received (&received, N_MILLION);
  g_assert_cmpuint (troupe_worker_get_n_queued_out (worker), ==, 0);
  g_assert_true (troupe_worker_post_text (worker, "\"exit\"", &error));
  wait_ended (worker);

  g_assert_cmpuint (received.n_messages, ==, N_MILLION);
  g_assert_true (received.in_order);
  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_EXITED);
  /* Batched: the main thread woke far less often than once a message. */
  g_test_message ("%u messages came in %u batches", received.n_messages, received.n_batches);
  g_assert_cmpuint (received.n_batches, <, N_MILLION / 10);
  /* Nothing was recorded while recording was off. */
  g_assert_cmpuint (troupe_message_log_get_n_messages (troupe_worker_get_messages (worker)), ==, 0);
}

static void
test_recorded_both_ways (void)
{
  g_autoptr(TroupeWorkerPool) pool = new_pool (0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  Received received = { texts, 0, 0, 0, TRUE };
  TroupeWorker *worker = troupe_worker_pool_start (pool, "echo", NULL, &error);
  TroupeMessageLog *log = troupe_worker_get_messages (worker);
  g_autoptr(JsonNode) node = json_from_string ("{\"hello\":[1,2,3]}", NULL);

  g_signal_connect (worker, "messages", G_CALLBACK (on_messages_keep), &received);
  g_assert_true (troupe_worker_post_text (worker, "  {\"a\": 1}  ", &error));
  troupe_worker_post (worker, node);
  wait_received (&received, 2);
  g_assert_cmpstr (g_ptr_array_index (texts, 0), ==, "  {\"a\": 1}  ");
  g_assert_cmpstr (g_ptr_array_index (texts, 1), ==, "{\"hello\":[1,2,3]}");

  g_assert_cmpuint (troupe_message_log_get_n_messages (log), ==, 4);
  g_assert_cmpuint (troupe_message_log_count (log, TROUPE_MESSAGE_TO_CHILD, TROUPE_MESSAGE_USER),
                    ==, 2);
  g_assert_cmpuint (troupe_message_log_count (log, TROUPE_MESSAGE_FROM_CHILD,
                                              TROUPE_MESSAGE_USER), ==, 2);
  g_assert_cmpint (troupe_message_log_get_direction (log, 0), ==, TROUPE_MESSAGE_TO_CHILD);
  g_assert_true (troupe_message_log_contains (log, 3, "hello"));

  troupe_worker_terminate (worker, 5000);
  wait_ended (worker);
}

static void
test_exit_code (void)
{
  g_autoptr(TroupeWorkerPool) pool = new_pool (0);
  g_autoptr(GError) error = NULL;
  TroupeWorker *worker = troupe_worker_pool_start_text (pool, "echo", "{\"code\": 7}", &error);
  g_autofree char *status = NULL;

  g_assert_no_error (error);
  wait_state (worker, TROUPE_WORKER_RUNNING);
  g_assert_cmpint (troupe_worker_get_thread_id (worker), >, 0);
  g_assert_cmpint (troupe_worker_get_thread_id (worker), !=, (int) getpid ());
  g_assert_true (troupe_worker_post_text (worker, "\"exit\"", &error));
  wait_ended (worker);
  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_EXITED);
  g_assert_cmpint (troupe_worker_get_exit_code (worker), ==, 7);
  status = troupe_worker_dup_status_text (worker);
  g_assert_cmpstr (status, ==, "Exited with code 7");

  /* An ended worker takes no more messages. */
  g_assert_false (troupe_worker_post_text (worker, "1", &error));
  g_assert_error (error, TROUPE_WORKER_ERROR, TROUPE_WORKER_ERROR_ENDED);
}

static void
test_failure (void)
{
  g_autoptr(TroupeWorkerPool) pool = new_pool (0);
  g_autoptr(GError) error = NULL;
  TroupeWorker *worker = troupe_worker_pool_start (pool, "test-fail", NULL, &error);
  g_autofree char *status = NULL;

  wait_ended (worker);
  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_FAILED);
  g_assert_cmpstr (troupe_worker_get_error_message (worker), ==, "the input file is missing");
  status = troupe_worker_dup_status_text (worker);
  g_assert_cmpstr (status, ==, "Failed: the input file is missing");
}

static void
on_wait_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (troupe_worker_wait_finish (TROUPE_WORKER (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static gboolean
is_true (gpointer flag)
{
  return *(gboolean *) flag;
}

static void
test_terminate_cooperative (void)
{
  g_autoptr(TroupeWorkerPool) pool = new_pool (0);
  g_autoptr(GError) error = NULL;
  TroupeWorker *worker = troupe_worker_pool_start (pool, "echo", NULL, &error);
  gboolean waited = FALSE;
  guint n_ended = 0;
  g_autofree char *status = NULL;

  g_signal_connect_swapped (worker, "ended", G_CALLBACK (g_atomic_int_inc), &n_ended);
  troupe_worker_wait_async (worker, NULL, on_wait_done, &waited);
  wait_state (worker, TROUPE_WORKER_RUNNING);
  troupe_worker_terminate (worker, 10 * 1000);
  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_TERMINATING);
  g_assert_false (troupe_worker_post_text (worker, "1", &error));
  g_assert_error (error, TROUPE_WORKER_ERROR, TROUPE_WORKER_ERROR_ENDED);
  troupe_test_wait_until (is_true, &waited, "for the wait to finish");

  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_TERMINATED);
  g_assert_cmpuint (n_ended, ==, 1);
  status = troupe_worker_dup_status_text (worker);
  g_assert_cmpstr (status, ==, "Terminated");
  g_assert_cmpuint (troupe_worker_pool_count_alive (pool), ==, 0);
}

static void
on_wait_cancelled_done (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_false (troupe_worker_wait_finish (TROUPE_WORKER (source), result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  *done = TRUE;
}

static void
test_wait_cancelled (void)
{
  g_autoptr(TroupeWorkerPool) pool = new_pool (0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  TroupeWorker *worker = troupe_worker_pool_start (pool, "echo", NULL, &error);
  gboolean cancelled = FALSE, waited = FALSE;
  GValue state = G_VALUE_INIT;

  troupe_worker_wait_async (worker, cancellable, on_wait_cancelled_done, &cancelled);
  troupe_worker_wait_async (worker, NULL, on_wait_done, &waited);
  g_cancellable_cancel (cancellable);
  troupe_test_wait_until (is_true, &cancelled, "for the cancelled wait");
  g_assert_false (waited);

  /* The state is a GEnum property, for bindings and expressions. */
  g_value_init (&state, TROUPE_TYPE_WORKER_STATE);
  g_object_get_property (G_OBJECT (worker), "state", &state);
  g_assert_cmpint (g_value_get_enum (&state), ==, troupe_worker_get_state (worker));
  g_assert_cmpstr (troupe_worker_state_to_string (TROUPE_WORKER_NOT_RESPONDING), ==,
                   "Not responding");

  g_assert_true (troupe_worker_post_text (worker, "\"exit\"", &error));
  troupe_test_wait_until (is_true, &waited, "for the worker to end");
  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_EXITED);
}

static void
test_terminate_stuck (void)
{
  g_autoptr(TroupeWorkerPool) pool = new_pool (0);
  g_autoptr(GError) error = NULL;
  TroupeWorker *worker;
  g_autofree char *status = NULL;

  g_atomic_int_set (&stuck_release, 0);
  g_atomic_int_set (&stuck_started, 0);
  worker = troupe_worker_pool_start (pool, "test-stuck", NULL, &error);
  wait_state (worker, TROUPE_WORKER_RUNNING);
  troupe_worker_terminate (worker, 100);
  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_TERMINATING);
  wait_state (worker, TROUPE_WORKER_NOT_RESPONDING);
  g_assert_false (troupe_worker_has_ended (worker));
  status = troupe_worker_dup_status_text (worker);
  g_assert_true (g_str_has_prefix (status, "Not responding (asked to stop "));
  g_assert_true (g_str_has_suffix (status, " s ago)"));
  g_assert_cmpuint (troupe_worker_pool_get_n_running (pool), ==, 1);
  g_assert_cmpuint (troupe_worker_pool_count_alive (pool), ==, 1);
  {
    g_autoptr(GArray) thread_ids = troupe_worker_pool_dup_thread_ids (pool);
    g_assert_cmpuint (thread_ids->len, ==, 1);
    g_assert_cmpint (g_array_index (thread_ids, int, 0), ==, troupe_worker_get_thread_id (worker));
  }

  /* When it finally stops, it is terminated after all. */
  g_atomic_int_set (&stuck_release, 1);
  wait_ended (worker);
  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_TERMINATED);
  g_assert_cmpuint (troupe_worker_pool_get_n_running (pool), ==, 0);
}

static void
test_receive_timeout (void)
{
  g_autoptr(TroupeWorkerPool) pool = new_pool (0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  Received received = { texts, 0, 0, 0, TRUE };
  TroupeWorker *worker = troupe_worker_pool_start (pool, "test-timeout", NULL, &error);

  g_signal_connect (worker, "messages", G_CALLBACK (on_messages_keep), &received);
  wait_ended (worker);
  g_assert_cmpuint (texts->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (texts, 0), ==, "\"timed out\"");
}

typedef struct
{
  TroupeWorkerPool *pool;
  guint             running;
  guint             queued;
} CountsWait;

static gboolean
pool_has_counts (gpointer user_data)
{
  CountsWait *wait = user_data;

  return troupe_worker_pool_get_n_running (wait->pool) == wait->running &&
         troupe_worker_pool_get_n_queued (wait->pool) == wait->queued;
}

static void
test_queueing (void)
{
  g_autoptr(TroupeWorkerPool) pool = new_pool (2);
  g_autoptr(GError) error = NULL;
  TroupeWorker *workers[4];
  CountsWait wait = { pool, 2, 2 };
  guint n_queued_notifies = 0;

  g_assert_cmpuint (troupe_worker_pool_get_max_threads (pool), ==, 2);
  g_signal_connect_swapped (pool, "notify::n-queued", G_CALLBACK (g_atomic_int_inc),
                            &n_queued_notifies);
  for (guint i = 0; i < 4; i++)
    {
      workers[i] = troupe_worker_pool_start (pool, "echo", NULL, &error);
      g_assert_no_error (error);
    }
  troupe_test_wait_until (pool_has_counts, &wait, "for two running and two queued");
  /* And it stays so: the queued ones wait for a thread. */
  for (guint i = 0; i < 20; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  g_assert_true (pool_has_counts (&wait));
  g_assert_cmpint (troupe_worker_get_state (workers[2]), ==, TROUPE_WORKER_QUEUED);
  g_assert_cmpint (troupe_worker_get_state (workers[3]), ==, TROUPE_WORKER_QUEUED);
  g_assert_cmpint (troupe_worker_get_started_at (workers[3]), ==, 0);
  g_assert_cmpint (troupe_worker_get_thread_id (workers[3]), ==, -1);
  g_assert_cmpuint (troupe_worker_pool_count_alive (pool), ==, 4);
  g_assert_cmpuint (n_queued_notifies, >, 0);
  {
    g_autoptr(GArray) thread_ids = troupe_worker_pool_dup_thread_ids (pool);
    g_assert_cmpuint (thread_ids->len, ==, 2);
    g_assert_cmpint (g_array_index (thread_ids, int, 0), !=, g_array_index (thread_ids, int, 1));
  }

  /* A queued worker holds its messages until it runs. */
  g_assert_true (troupe_worker_post_text (workers[3], "\"waiting\"", &error));
  g_assert_cmpuint (troupe_worker_get_n_queued_in (workers[3]), ==, 1);
  g_assert_cmpuint (troupe_worker_get_n_queued_out (workers[3]), ==, 0);

  for (guint i = 0; i < 4; i++)
    g_assert_true (troupe_worker_post_text (workers[i], "\"exit\"", &error));
  for (guint i = 0; i < 4; i++)
    wait_ended (workers[i]);
  g_assert_cmpuint (troupe_worker_pool_get_n_finished (pool), ==, 4);
  g_assert_cmpuint (troupe_worker_pool_get_n_running (pool), ==, 0);
  g_assert_cmpuint (troupe_worker_pool_get_n_queued (pool), ==, 0);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (troupe_worker_get_state (workers[i]), ==, TROUPE_WORKER_EXITED);

  troupe_worker_pool_remove (pool, workers[0]);
  g_assert_cmpuint (g_list_model_get_n_items (troupe_worker_pool_get_workers (pool)), ==, 3);
  g_assert_cmpuint (troupe_worker_pool_get_n_finished (pool), ==, 3);
}

static void
test_terminate_queued (void)
{
  g_autoptr(TroupeWorkerPool) pool = new_pool (1);
  g_autoptr(GError) error = NULL;
  TroupeWorker *running = troupe_worker_pool_start (pool, "echo", NULL, &error);
  TroupeWorker *queued = troupe_worker_pool_start (pool, "echo", NULL, &error);
  CountsWait wait = { pool, 1, 1 };

  troupe_test_wait_until (pool_has_counts, &wait, "for one running and one queued");
  troupe_worker_terminate (queued, 1000);
  g_assert_cmpint (troupe_worker_get_state (queued), ==, TROUPE_WORKER_TERMINATED);

  /* Raising the limit at run time lets it through; it must not run now. */
  troupe_worker_pool_set_max_threads (pool, 3);
  g_assert_true (troupe_worker_post_text (running, "\"exit\"", &error));
  wait_ended (running);
  for (guint i = 0; i < 20; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  g_assert_cmpint (troupe_worker_get_state (queued), ==, TROUPE_WORKER_TERMINATED);
  g_assert_cmpint (troupe_worker_get_started_at (queued), ==, 0);
}

static void
test_bad_input (void)
{
  g_autoptr(TroupeWorkerPool) pool = new_pool (0);
  g_autoptr(GError) error = NULL;
  TroupeWorker *worker;

  g_assert_null (troupe_worker_pool_start_text (pool, "no-such-kind", "{}", &error));
  g_assert_error (error, TROUPE_WORKER_ERROR, TROUPE_WORKER_ERROR_UNKNOWN_KIND);
  g_assert_nonnull (strstr (error->message, "no-such-kind"));
  g_clear_error (&error);

  g_assert_null (troupe_worker_pool_start_text (pool, "echo", "{\"code\": ", &error));
  g_assert_error (error, TROUPE_WORKER_ERROR, TROUPE_WORKER_ERROR_BAD_DATA);
  g_clear_error (&error);
  g_assert_null (troupe_worker_pool_start_text (pool, "echo", "{'single': 1}", &error));
  g_assert_error (error, TROUPE_WORKER_ERROR, TROUPE_WORKER_ERROR_BAD_DATA);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (troupe_worker_pool_get_workers (pool)), ==, 0);

  worker = troupe_worker_pool_start_text (pool, "echo", "  ", &error);
  g_assert_no_error (error);
  g_assert_false (troupe_worker_post_text (worker, "{nope}", &error));
  g_assert_error (error, TROUPE_WORKER_ERROR, TROUPE_WORKER_ERROR_BAD_MESSAGE);
  g_clear_error (&error);
  g_assert_cmpuint (troupe_message_log_get_n_messages (troupe_worker_get_messages (worker)), ==, 0);
  troupe_worker_terminate (worker, 5000);
  wait_ended (worker);
}

static void
test_pool_gone_first (void)
{
  TroupeWorkerPool *pool = new_pool (1);
  g_autoptr(GError) error = NULL;
  g_autoptr(TroupeWorker) running = NULL;
  g_autoptr(TroupeWorker) queued = NULL;

  running = g_object_ref (troupe_worker_pool_start (pool, "echo", NULL, &error));
  queued = g_object_ref (troupe_worker_pool_start (pool, "echo", NULL, &error));
  wait_state (running, TROUPE_WORKER_RUNNING);

  /* The app quits: the pool goes while a worker runs and another waits. The
   * running one is asked to stop and ends on its own thread afterwards; the
   * queued one ends without running. Nothing may be freed under them. */
  g_object_unref (pool);
  g_assert_cmpint (troupe_worker_get_state (queued), ==, TROUPE_WORKER_TERMINATED);
  wait_ended (running);
  g_assert_cmpint (troupe_worker_get_state (running), ==, TROUPE_WORKER_TERMINATED);
}

static void
link_into (const char *folder,
           const char *path)
{
  g_autofree char *basename = g_path_get_basename (path);
  g_autofree char *link = g_build_filename (folder, basename, NULL);

  g_assert_cmpint (symlink (path, link), ==, 0);
}

static gboolean
has_error_for (GPtrArray  *errors,
               const char *expected)
{
  for (guint i = 0; i < errors->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (errors, i), expected))
      return TRUE;
  return FALSE;
}

static void
test_modules (void)
{
  g_autofree char *folder = troupe_test_make_folder ("worker-modules");
  g_autofree char *not_a_module = g_build_filename (folder, "not-a-module.so", NULL);
  g_autofree char *ignored = g_build_filename (folder, "README.txt", NULL);
  g_autoptr(TroupeWorkerPool) pool = new_pool (0);
  TroupeWorkerRegistry *registry = troupe_worker_pool_get_registry (pool);
  GPtrArray *errors = troupe_worker_registry_get_module_errors (registry);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  Received received = { texts, 0, 0, 0, TRUE };
  TroupeWorkerKind *sum;
  TroupeWorker *worker;

  link_into (folder, MODULE_SAMPLE_KINDS_PATH);
  link_into (folder, MODULE_BAD_ABI_PATH);
  link_into (folder, MODULE_REFUSES_PATH);
  link_into (folder, MODULE_NO_REGISTER_PATH);
  g_assert_true (g_file_set_contents (not_a_module, "just text\n", -1, NULL));
  g_assert_true (g_file_set_contents (ignored, "not even named .so\n", -1, NULL));

  g_assert_cmpuint (troupe_worker_registry_load_modules (registry, folder), ==, 2);
  for (guint i = 0; i < errors->len; i++)
    g_test_message ("module error: %s", (const char *) g_ptr_array_index (errors, i));
  g_assert_cmpuint (errors->len, ==, 4);
  g_assert_true (has_error_for (errors, "libbad-abi.so: ABI version 2 not supported"));
  g_assert_true (has_error_for (errors, "librefuses.so: registration failed: "
                                        "its licence file is missing"));
  g_assert_true (has_error_for (errors, "libno-register.so: no troupe_worker_module_register"));
  g_assert_true (has_error_for (errors, "not-a-module.so: cannot open: "));
  /* What a module added before failing is not kept. */
  g_assert_null (troupe_worker_registry_lookup (registry, "refused-half"));

  sum = troupe_worker_registry_lookup (registry, "sample-sum");
  g_assert_nonnull (sum);
  g_assert_nonnull (troupe_worker_registry_lookup (registry, "sample-fail"));
  g_assert_true (g_str_has_suffix (troupe_worker_kind_get_module_path (sum),
                                   "/libsample-kinds.so"));
  g_assert_cmpstr (troupe_worker_kind_get_title (sum), ==, "Sample: Sum");

  worker = troupe_worker_pool_start_text (pool, "sample-sum", "{\"start\": 10}", &error);
  g_assert_no_error (error);
  g_signal_connect (worker, "messages", G_CALLBACK (on_messages_keep), &received);
  g_assert_true (troupe_worker_post_text (worker, "1", &error));
  g_assert_true (troupe_worker_post_text (worker, "2", &error));
  g_assert_true (troupe_worker_post_text (worker, "3.5", &error));
  g_assert_true (troupe_worker_post_text (worker, "\"exit\"", &error));
  wait_ended (worker);
  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_EXITED);
  g_assert_cmpint (troupe_worker_get_exit_code (worker), ==, 3);
  g_assert_cmpuint (texts->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (texts, 0), ==, "{\"total\":11.0}");
  g_assert_cmpstr (g_ptr_array_index (texts, 2), ==, "{\"total\":16.5}");

  worker = troupe_worker_pool_start (pool, "sample-fail", NULL, &error);
  wait_ended (worker);
  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_FAILED);
  g_assert_cmpstr (troupe_worker_get_error_message (worker), ==, "sample-fail always fails");

  /* Loaded twice, a module's kinds clash with themselves: reported, not fatal. */
  g_ptr_array_set_size (errors, 0);
  g_assert_cmpuint (troupe_worker_registry_load_modules (registry, folder), ==, 0);
  g_assert_true (has_error_for (errors, "libsample-kinds.so: registration failed: "));

  /* A folder that is not there holds no modules. */
  g_ptr_array_set_size (errors, 0);
  g_assert_cmpuint (troupe_worker_registry_load_modules (registry, "/nonexistent/troupe"), ==, 0);
  g_assert_cmpuint (errors->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  troupe_test_init (&argc, &argv);

  g_test_add_func ("/troupe/worker-pool/registry", test_registry);
  g_test_add_func ("/troupe/worker-pool/start-data", test_start_data);
  g_test_add_func ("/troupe/worker-pool/million-each-way", test_million_each_way);
  g_test_add_func ("/troupe/worker-pool/recorded-both-ways", test_recorded_both_ways);
  g_test_add_func ("/troupe/worker-pool/exit-code", test_exit_code);
  g_test_add_func ("/troupe/worker-pool/failure", test_failure);
  g_test_add_func ("/troupe/worker-pool/terminate-cooperative", test_terminate_cooperative);
  g_test_add_func ("/troupe/worker-pool/wait-cancelled", test_wait_cancelled);
  g_test_add_func ("/troupe/worker-pool/terminate-stuck", test_terminate_stuck);
  g_test_add_func ("/troupe/worker-pool/receive-timeout", test_receive_timeout);
  g_test_add_func ("/troupe/worker-pool/queueing", test_queueing);
  g_test_add_func ("/troupe/worker-pool/terminate-queued", test_terminate_queued);
  g_test_add_func ("/troupe/worker-pool/bad-input", test_bad_input);
  g_test_add_func ("/troupe/worker-pool/modules", test_modules);
  g_test_add_func ("/troupe/worker-pool/pool-gone-first", test_pool_gone_first);

  return troupe_test_run_all ();
}
