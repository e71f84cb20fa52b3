/* troupe-worker-pool.c: thread workers on a GThreadPool, queued when every thread is busy
 *
 * The pool keeps every worker it started, in start order, until it is
 * removed, and counts them by state for the window. Its GThreadPool is
 * handed each worker's shared context; a worker terminated while still queued
 * is skipped when a thread comes to it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "troupe-json-text.h"
#include "troupe-worker-pool.h"
#include "troupe-worker-private.h"

struct _TroupeWorkerPool
{
  GObject               parent_instance;

  TroupeWorkerRegistry *registry;
  GThreadPool          *threads;
  guint                 max_threads;
  GListStore           *workers;
  guint                 next_id;
  guint                 n_running;
  guint                 n_queued;
  guint                 n_finished;
};

enum
{
  PROP_0,
  PROP_MAX_THREADS,
  PROP_N_RUNNING,
  PROP_N_QUEUED,
  PROP_N_FINISHED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TroupeWorkerPool, troupe_worker_pool, G_TYPE_OBJECT)

static void
run_worker (gpointer item,
            gpointer user_data)
{
  TroupeWorkerContext *context = item;

  _troupe_worker_context_run (context);
  _troupe_worker_context_unref (context);
}

static void
set_count (TroupeWorkerPool *self,
           guint            *count,
           guint             value,
           int               prop_id)
{
  if (*count == value)
    return;
  *count = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
recount (TroupeWorkerPool *self)
{
  guint n_workers = g_list_model_get_n_items (G_LIST_MODEL (self->workers));
  guint running = 0, queued = 0, finished = 0;

  for (guint i = 0; i < n_workers; i++)
    {
      g_autoptr(TroupeWorker) worker = g_list_model_get_item (G_LIST_MODEL (self->workers), i);

      switch (troupe_worker_get_state (worker))
        {
        case TROUPE_WORKER_QUEUED:
          queued++;
          break;
        case TROUPE_WORKER_RUNNING:
        case TROUPE_WORKER_TERMINATING:
        case TROUPE_WORKER_NOT_RESPONDING:
          running++;
          break;
        case TROUPE_WORKER_EXITED:
        case TROUPE_WORKER_FAILED:
        case TROUPE_WORKER_TERMINATED:
        default:
          finished++;
          break;
        }
    }
  g_object_freeze_notify (G_OBJECT (self));
  set_count (self, &self->n_running, running, PROP_N_RUNNING);
  set_count (self, &self->n_queued, queued, PROP_N_QUEUED);
  set_count (self, &self->n_finished, finished, PROP_N_FINISHED);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
on_worker_state (TroupeWorker     *worker,
                 GParamSpec       *pspec,
                 TroupeWorkerPool *self)
{
  recount (self);
}

static void
troupe_worker_pool_dispose (GObject *object)
{
  TroupeWorkerPool *self = (TroupeWorkerPool *) object;

  if (self->workers != NULL)
    {
      guint n_workers = g_list_model_get_n_items (G_LIST_MODEL (self->workers));

      /* Workers still running hold themselves and their context until their
       * end reaches the main thread; they are only asked to stop here. */
      troupe_worker_pool_terminate_all (self, TROUPE_WORKER_DEFAULT_DEADLINE_MS);
      for (guint i = 0; i < n_workers; i++)
        {
          g_autoptr(TroupeWorker) worker = g_list_model_get_item (G_LIST_MODEL (self->workers), i);
          g_signal_handlers_disconnect_by_data (worker, self);
        }
      g_clear_object (&self->workers);
    }
  if (self->threads != NULL)
    {
      /* Neither dropping the queue nor waiting: queued workers are skipped
       * quickly, and a thread that does not stop must not hang the app. */
      g_thread_pool_free (g_steal_pointer (&self->threads), FALSE, FALSE);
    }
  g_clear_object (&self->registry);

  G_OBJECT_CLASS (troupe_worker_pool_parent_class)->dispose (object);
}

static void
troupe_worker_pool_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TroupeWorkerPool *self = TROUPE_WORKER_POOL (object);

  switch (prop_id)
    {
    case PROP_MAX_THREADS:
      g_value_set_uint (value, self->max_threads);
      break;
    case PROP_N_RUNNING:
      g_value_set_uint (value, self->n_running);
      break;
    case PROP_N_QUEUED:
      g_value_set_uint (value, self->n_queued);
      break;
    case PROP_N_FINISHED:
      g_value_set_uint (value, self->n_finished);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
troupe_worker_pool_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TroupeWorkerPool *self = TROUPE_WORKER_POOL (object);

  switch (prop_id)
    {
    case PROP_MAX_THREADS:
      troupe_worker_pool_set_max_threads (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
troupe_worker_pool_class_init (TroupeWorkerPoolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = troupe_worker_pool_dispose;
  object_class->get_property = troupe_worker_pool_get_property;
  object_class->set_property = troupe_worker_pool_set_property;

  properties[PROP_MAX_THREADS] =
    g_param_spec_uint ("max-threads", NULL, NULL, 1, 1024, 1,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_RUNNING] =
    g_param_spec_uint ("n-running", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_QUEUED] =
    g_param_spec_uint ("n-queued", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_FINISHED] =
    g_param_spec_uint ("n-finished", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
troupe_worker_pool_init (TroupeWorkerPool *self)
{
  self->workers = g_list_store_new (TROUPE_TYPE_WORKER);
}

/**
 * troupe_worker_pool_new:
 * @registry: the kinds workers may have
 * @max_threads: how many workers run at once; 0 for one per CPU
 *
 * Returns: (transfer full): the pool
 */
TroupeWorkerPool *
troupe_worker_pool_new (TroupeWorkerRegistry *registry,
                        guint                 max_threads)
{
  TroupeWorkerPool *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (TROUPE_IS_WORKER_REGISTRY (registry), NULL);

  self = g_object_new (TROUPE_TYPE_WORKER_POOL, NULL);
  self->registry = g_object_ref (registry);
  self->max_threads = max_threads > 0 ? max_threads : MAX (1, g_get_num_processors ());
  /* Shared threads: an idle worker thread costs nothing beyond GLib's own. */
  self->threads = g_thread_pool_new (run_worker, NULL, (int) self->max_threads, FALSE, &error);
  g_assert_no_error (error);
  return self;
}

/**
 * troupe_worker_pool_get_registry:
 *
 * Returns: (transfer none): the kinds workers may have
 */
TroupeWorkerRegistry *
troupe_worker_pool_get_registry (TroupeWorkerPool *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_POOL (self), NULL);
  return self->registry;
}

/**
 * troupe_worker_pool_set_max_threads:
 * @max_threads: how many workers run at once; 0 for one per CPU
 *
 * Raising it starts queued workers at once; lowering it lets running workers
 * finish, and starts no more until fewer than @max_threads run.
 */
void
troupe_worker_pool_set_max_threads (TroupeWorkerPool *self,
                                    guint             max_threads)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TROUPE_IS_WORKER_POOL (self));

  if (max_threads == 0)
    max_threads = MAX (1, g_get_num_processors ());
  max_threads = MIN (max_threads, 1024);
  if (self->max_threads == max_threads)
    return;
  self->max_threads = max_threads;
  if (self->threads != NULL &&
      !g_thread_pool_set_max_threads (self->threads, (int) max_threads, &error))
    g_warning ("Could not start more worker threads: %s", error->message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_THREADS]);
}

guint
troupe_worker_pool_get_max_threads (TroupeWorkerPool *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_POOL (self), 0);
  return self->max_threads;
}

/**
 * troupe_worker_pool_start:
 * @kind_name: a kind in the pool's registry
 * @data: (nullable): the start data; copied
 *
 * Starts a worker, or queues it when every thread is busy.
 *
 * Returns: (transfer none) (nullable): the worker, kept by the pool; %NULL
 *   with @error if there is no such kind
 */
TroupeWorker *
troupe_worker_pool_start (TroupeWorkerPool  *self,
                          const char        *kind_name,
                          JsonNode          *data,
                          GError           **error)
{
  TroupeWorkerKind *kind;
  g_autoptr(TroupeWorker) worker = NULL;
  g_autoptr(GError) local_error = NULL;
  TroupeWorkerContext *context;

  g_return_val_if_fail (TROUPE_IS_WORKER_POOL (self), NULL);
  g_return_val_if_fail (kind_name != NULL, NULL);
  g_return_val_if_fail (self->threads != NULL, NULL);

  kind = troupe_worker_registry_lookup (self->registry, kind_name);
  if (kind == NULL)
    {
      g_set_error (error, TROUPE_WORKER_ERROR, TROUPE_WORKER_ERROR_UNKNOWN_KIND,
                   _("There is no worker kind “%s”"), kind_name);
      return NULL;
    }

  worker = _troupe_worker_new (++self->next_id, kind, data);
  context = _troupe_worker_get_context (worker);
  /* The thread's hold on the worker, given back on the main thread once the
   * worker's end has been dispatched there. */
  _troupe_worker_context_set_worker (context, worker);

  g_signal_connect (worker, "notify::state", G_CALLBACK (on_worker_state), self);
  g_list_store_append (self->workers, worker);
  recount (self);

  /* A thread that cannot be made leaves the worker queued for the next one. */
  if (!g_thread_pool_push (self->threads, _troupe_worker_context_ref (context), &local_error))
    g_warning ("Could not start a worker thread: %s", local_error->message);
  return worker;
}

/**
 * troupe_worker_pool_start_text:
 * @data_json: (nullable): the start data as JSON text; %NULL or empty for none
 *
 * Returns: (transfer none) (nullable): the worker, kept by the pool; %NULL
 *   with @error if the data is not JSON or there is no such kind
 */
TroupeWorker *
troupe_worker_pool_start_text (TroupeWorkerPool  *self,
                               const char        *kind_name,
                               const char        *data_json,
                               GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  gsize length;

  g_return_val_if_fail (TROUPE_IS_WORKER_POOL (self), NULL);
  g_return_val_if_fail (kind_name != NULL, NULL);

  if (troupe_worker_registry_lookup (self->registry, kind_name) == NULL)
    return troupe_worker_pool_start (self, kind_name, NULL, error);

  length = data_json != NULL ? strlen (data_json) : 0;
  if (length == 0 || strspn (data_json, " \t\r\n") == length)
    return troupe_worker_pool_start (self, kind_name, NULL, error);

  /* Strict, as JSON.parse() is: json-glib alone would take comments and more. */
  parser = json_parser_new_immutable ();
  if (!troupe_json_text_check (data_json, length, NULL, &local_error) ||
      !json_parser_load_from_data (parser, data_json, length, &local_error))
    {
      g_set_error (error, TROUPE_WORKER_ERROR, TROUPE_WORKER_ERROR_BAD_DATA,
                   _("The start data is not JSON: %s"), local_error->message);
      return NULL;
    }
  return troupe_worker_pool_start (self, kind_name, json_parser_get_root (parser), error);
}

/**
 * troupe_worker_pool_get_workers:
 *
 * Returns: (transfer none): the workers, as TroupeWorker, in start order
 */
GListModel *
troupe_worker_pool_get_workers (TroupeWorkerPool *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_POOL (self), NULL);
  return G_LIST_MODEL (self->workers);
}

/**
 * troupe_worker_pool_get_n_running:
 *
 * Returns: how many workers hold a thread: running, stopping or not responding
 */
guint
troupe_worker_pool_get_n_running (TroupeWorkerPool *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_POOL (self), 0);
  return self->n_running;
}

/**
 * troupe_worker_pool_get_n_queued:
 *
 * Returns: how many workers wait for a free thread
 */
guint
troupe_worker_pool_get_n_queued (TroupeWorkerPool *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_POOL (self), 0);
  return self->n_queued;
}

/**
 * troupe_worker_pool_get_n_finished:
 *
 * Returns: how many of the pool's workers have ended
 */
guint
troupe_worker_pool_get_n_finished (TroupeWorkerPool *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_POOL (self), 0);
  return self->n_finished;
}

/**
 * troupe_worker_pool_count_alive:
 *
 * Returns: how many workers have not ended: queued, running, stopping or not responding
 */
guint
troupe_worker_pool_count_alive (TroupeWorkerPool *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER_POOL (self), 0);
  return self->n_running + self->n_queued;
}

/**
 * troupe_worker_pool_remove:
 * @worker: a worker of this pool that has ended
 */
void
troupe_worker_pool_remove (TroupeWorkerPool *self,
                           TroupeWorker     *worker)
{
  guint position;

  g_return_if_fail (TROUPE_IS_WORKER_POOL (self));
  g_return_if_fail (TROUPE_IS_WORKER (worker));
  g_return_if_fail (troupe_worker_has_ended (worker));

  if (!g_list_store_find (self->workers, worker, &position))
    return;
  g_signal_handlers_disconnect_by_data (worker, self);
  g_list_store_remove (self->workers, position);
  recount (self);
}

/**
 * troupe_worker_pool_terminate_all:
 * @deadline_ms: how long each has to stop before it is reported as not responding
 */
void
troupe_worker_pool_terminate_all (TroupeWorkerPool *self,
                                  guint             deadline_ms)
{
  guint n_workers;

  g_return_if_fail (TROUPE_IS_WORKER_POOL (self));

  /* The queued first: stopping a running worker frees its thread, which
   * would otherwise start the next queued one only to be asked to stop. */
  n_workers = g_list_model_get_n_items (G_LIST_MODEL (self->workers));
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n_workers; i++)
      {
        g_autoptr(TroupeWorker) worker = g_list_model_get_item (G_LIST_MODEL (self->workers), i);

        if ((pass == 0) == (troupe_worker_get_state (worker) == TROUPE_WORKER_QUEUED))
          troupe_worker_terminate (worker, deadline_ms);
      }
}

static int
compare_ints (gconstpointer a,
              gconstpointer b)
{
  int x = *(const int *) a, y = *(const int *) b;

  return (x > y) - (x < y);
}

/**
 * troupe_worker_pool_dup_thread_ids:
 *
 * The pool's threads that run a worker's entry now; an idle GLib pool thread
 * runs no code of ours and is not listed.
 *
 * Returns: (transfer full) (element-type int): their Linux thread ids, sorted
 */
GArray *
troupe_worker_pool_dup_thread_ids (TroupeWorkerPool *self)
{
  GArray *thread_ids = g_array_new (FALSE, FALSE, sizeof (int));
  guint n_workers;

  g_return_val_if_fail (TROUPE_IS_WORKER_POOL (self), thread_ids);

  n_workers = g_list_model_get_n_items (G_LIST_MODEL (self->workers));
  for (guint i = 0; i < n_workers; i++)
    {
      g_autoptr(TroupeWorker) worker = g_list_model_get_item (G_LIST_MODEL (self->workers), i);
      int thread_id = troupe_worker_get_thread_id (worker);

      if (thread_id > 0)
        g_array_append_val (thread_ids, thread_id);
    }
  g_array_sort (thread_ids, compare_ints);
  return thread_ids;
}
