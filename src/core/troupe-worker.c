/* troupe-worker.c: one thread worker: its kind, start data, state and messages both ways
 *
 * The object lives on the main thread. Its pool thread only sees the shared
 * TroupeWorkerContext, and leaves there what the main thread must know —
 * that the entry started, the messages it posted, how it ended — with one
 * dispatch scheduled for all of it; _troupe_worker_dispatch() takes it up.
 *
 * Threads cannot be stopped from outside safely, so terminate only asks: it
 * cancels the worker's GCancellable, and a worker still running when the
 * deadline passes is reported as not responding, as it is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "troupe-enums.h"
#include "troupe-json-text.h"
#include "troupe-worker-private.h"
#include "troupe-worker-registry.h"

struct _TroupeWorker
{
  GObject              parent_instance;

  guint                id;
  TroupeWorkerKind    *kind;
  TroupeWorkerContext *context;
  TroupeWorkerState    state;
  int                  exit_code;
  char                *error_message;
  gint64               queued_at;
  gint64               started_at;
  gint64               ended_at;
  gboolean             terminate_requested;
  gint64               terminate_requested_at;  /* monotonic */
  guint                deadline_source;
  gboolean             recording;
  TroupeMessageLog    *messages;
  GList               *waits;                   /* of Wait */
};

typedef struct
{
  GTask  *task;
  gulong  cancelled_handler;
} Wait;

enum
{
  PROP_0,
  PROP_STATE,
  PROP_RECORDING,
  N_PROPS
};

enum
{
  MESSAGES,
  ENDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TroupeWorker, troupe_worker, G_TYPE_OBJECT)

/**
 * troupe_worker_state_to_string:
 *
 * Returns: the state in a word or two, translated
 */
const char *
troupe_worker_state_to_string (TroupeWorkerState state)
{
  switch (state)
    {
    case TROUPE_WORKER_QUEUED:
      return _("Queued");
    case TROUPE_WORKER_RUNNING:
      return _("Running");
    case TROUPE_WORKER_TERMINATING:
      return _("Stopping");
    case TROUPE_WORKER_EXITED:
      return _("Exited");
    case TROUPE_WORKER_FAILED:
      return _("Failed");
    case TROUPE_WORKER_TERMINATED:
      return _("Terminated");
    case TROUPE_WORKER_NOT_RESPONDING:
      return _("Not responding");
    default:
      return "";
    }
}

static gboolean
state_has_ended (TroupeWorkerState state)
{
  return state == TROUPE_WORKER_EXITED || state == TROUPE_WORKER_FAILED ||
         state == TROUPE_WORKER_TERMINATED;
}

static void
complete_waits (TroupeWorker *self)
{
  GList *waits = g_steal_pointer (&self->waits);

  for (GList *l = waits; l != NULL; l = l->next)
    {
      Wait *wait = l->data;
      GCancellable *cancellable = g_task_get_cancellable (wait->task);

      if (cancellable != NULL)
        g_signal_handler_disconnect (cancellable, wait->cancelled_handler);
      g_task_return_boolean (wait->task, TRUE);
      g_object_unref (wait->task);
      g_free (wait);
    }
  g_list_free (waits);
}

static void
clear_deadline (TroupeWorker *self)
{
  GSource *source;

  if (self->deadline_source == 0)
    return;
  /* Attached to the worker's own main context, which need not be the global one. */
  source = g_main_context_find_source_by_id (self->context->main_context, self->deadline_source);
  if (source != NULL)
    g_source_destroy (source);
  self->deadline_source = 0;
}

static void
set_state (TroupeWorker      *self,
           TroupeWorkerState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (state_has_ended (state))
    {
      clear_deadline (self);
      g_signal_emit (self, signals[ENDED], 0);
      complete_waits (self);
    }
}

static void
troupe_worker_dispose (GObject *object)
{
  TroupeWorker *self = (TroupeWorker *) object;

  clear_deadline (self);

  G_OBJECT_CLASS (troupe_worker_parent_class)->dispose (object);
}

static void
troupe_worker_finalize (GObject *object)
{
  TroupeWorker *self = (TroupeWorker *) object;

  g_assert (self->waits == NULL);
  g_clear_object (&self->kind);
  g_clear_object (&self->messages);
  g_free (self->error_message);
  /* The pool thread holds the worker until its end reached the main thread,
   * so here nobody but this object may still hold the context. */
  _troupe_worker_context_unref (self->context);

  G_OBJECT_CLASS (troupe_worker_parent_class)->finalize (object);
}

static void
troupe_worker_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TroupeWorker *self = TROUPE_WORKER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_RECORDING:
      g_value_set_boolean (value, self->recording);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
troupe_worker_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TroupeWorker *self = TROUPE_WORKER (object);

  switch (prop_id)
    {
    case PROP_RECORDING:
      troupe_worker_set_recording (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
troupe_worker_class_init (TroupeWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = troupe_worker_dispose;
  object_class->finalize = troupe_worker_finalize;
  object_class->get_property = troupe_worker_get_property;
  object_class->set_property = troupe_worker_set_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, TROUPE_TYPE_WORKER_STATE, TROUPE_WORKER_QUEUED,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECORDING] =
    g_param_spec_boolean ("recording", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TroupeWorker::messages:
   * @batch: (element-type GBytes): JSON texts from the worker, in the order posted
   *
   * Emitted once for every batch of messages, however many it holds. Small
   * messages share blocks of memory: a handler that keeps many of them for
   * long should keep copies of their text rather than the GBytes.
   */
  signals[MESSAGES] =
    g_signal_new ("messages", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);

  /**
   * TroupeWorker::ended:
   *
   * The worker exited, failed or was terminated.
   */
  signals[ENDED] =
    g_signal_new ("ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
troupe_worker_init (TroupeWorker *self)
{
  self->recording = TRUE;
  self->state = TROUPE_WORKER_QUEUED;
  self->messages = troupe_message_log_new_detached ();
}

TroupeWorker *
_troupe_worker_new (guint             id,
                    TroupeWorkerKind *kind,
                    JsonNode         *data)
{
  TroupeWorker *self = g_object_new (TROUPE_TYPE_WORKER, NULL);
  g_autoptr(GMainContext) main_context = g_main_context_ref_thread_default ();

  self->id = id;
  self->kind = g_object_ref (kind);
  self->queued_at = g_get_real_time ();
  self->context = _troupe_worker_context_new (troupe_worker_kind_get_entry (kind), data,
                                              main_context);
  return self;
}

TroupeWorkerContext *
_troupe_worker_get_context (TroupeWorker *self)
{
  return self->context;
}

gboolean
_troupe_worker_dispatch (TroupeWorker *self)
{
  TroupeWorkerContext *context = self->context;
  g_autoptr(GPtrArray) batch = NULL;
  GPtrArray *empty = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(TroupeWorker) thread_ref = NULL;
  gboolean started, finished, skipped;
  gint64 started_at, ended_at;
  int exit_code;
  g_autofree char *error_message = NULL;

  g_mutex_lock (&context->lock);
  context->dispatch_scheduled = FALSE;
  batch = g_steal_pointer (&context->outbox);
  context->outbox = empty;
  started = context->started;
  started_at = context->started_at;
  finished = context->finished;
  skipped = context->skipped;
  ended_at = context->ended_at;
  exit_code = context->exit_code;
  error_message = g_strdup (context->error_message);
  if (finished)
    thread_ref = g_steal_pointer (&context->worker);
  g_mutex_unlock (&context->lock);

  if (started && self->started_at == 0)
    {
      self->started_at = started_at;
      if (self->state == TROUPE_WORKER_QUEUED)
        set_state (self, TROUPE_WORKER_RUNNING);
    }

  if (batch->len > 0)
    {
      if (self->recording)
        for (guint i = 0; i < batch->len; i++)
          troupe_message_log_append (self->messages, TROUPE_MESSAGE_FROM_CHILD,
                                     TROUPE_MESSAGE_USER, g_ptr_array_index (batch, i));
      g_signal_emit (self, signals[MESSAGES], 0, batch);
    }

  if (finished && !skipped)
    {
      self->ended_at = ended_at;
      self->exit_code = exit_code;
      if (self->terminate_requested)
        set_state (self, TROUPE_WORKER_TERMINATED);
      else if (error_message != NULL)
        {
          self->error_message = g_steal_pointer (&error_message);
          set_state (self, TROUPE_WORKER_FAILED);
        }
      else
        set_state (self, TROUPE_WORKER_EXITED);
    }
  /* The thread's hold on the worker goes last, and may take the worker with it. */
  return !finished;
}

guint
troupe_worker_get_id (TroupeWorker *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER (self), 0);
  return self->id;
}

/**
 * troupe_worker_get_kind:
 *
 * Returns: (transfer none): what kind of worker it is
 */
TroupeWorkerKind *
troupe_worker_get_kind (TroupeWorker *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER (self), NULL);
  return self->kind;
}

/**
 * troupe_worker_get_data:
 *
 * Returns: (transfer none): the start data, JSON null if none; sealed
 */
JsonNode *
troupe_worker_get_data (TroupeWorker *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER (self), NULL);
  return self->context->data;
}

/**
 * troupe_worker_dup_data_text:
 *
 * Returns: (transfer full): the start data as indented JSON text
 */
char *
troupe_worker_dup_data_text (TroupeWorker *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER (self), NULL);
  return json_to_string (self->context->data, TRUE);
}

TroupeWorkerState
troupe_worker_get_state (TroupeWorker *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER (self), TROUPE_WORKER_QUEUED);
  return self->state;
}

/**
 * troupe_worker_has_ended:
 *
 * Returns: %TRUE once the worker exited, failed or was terminated
 */
gboolean
troupe_worker_has_ended (TroupeWorker *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER (self), FALSE);
  return state_has_ended (self->state);
}

/**
 * troupe_worker_get_exit_code:
 *
 * Returns: what the entry returned; 0 until it has
 */
int
troupe_worker_get_exit_code (TroupeWorker *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER (self), 0);
  return self->exit_code;
}

/**
 * troupe_worker_get_error_message:
 *
 * Returns: (nullable): why the worker failed
 */
const char *
troupe_worker_get_error_message (TroupeWorker *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER (self), NULL);
  return self->error_message;
}

/**
 * troupe_worker_dup_status_text:
 *
 * Returns: (transfer full): the state as a person should read it, such as
 *   “Exited with code 0” or “Not responding (asked to stop 2 s ago)”
 */
char *
troupe_worker_dup_status_text (TroupeWorker *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER (self), NULL);

  switch (self->state)
    {
    case TROUPE_WORKER_QUEUED:
      return g_strdup (_("Waiting for a free thread"));
    case TROUPE_WORKER_RUNNING:
      return g_strdup (_("Running"));
    case TROUPE_WORKER_TERMINATING:
      return g_strdup (_("Asked to stop"));
    case TROUPE_WORKER_EXITED:
      return g_strdup_printf (_("Exited with code %d"), self->exit_code);
    case TROUPE_WORKER_FAILED:
      return g_strdup_printf (_("Failed: %s"), self->error_message);
    case TROUPE_WORKER_TERMINATED:
      return g_strdup (_("Terminated"));
    case TROUPE_WORKER_NOT_RESPONDING:
      {
        gint64 seconds = (g_get_monotonic_time () - self->terminate_requested_at) /
                         G_USEC_PER_SEC;

        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Not responding (asked to stop %d s ago)",
                                             "Not responding (asked to stop %d s ago)",
                                             (gulong) seconds),
                                (int) seconds);
      }
    default:
      return g_strdup ("");
    }
}

/**
 * troupe_worker_get_queued_at:
 *
 * Returns: when the worker was started (and queued), in g_get_real_time() µs
 */
gint64
troupe_worker_get_queued_at (TroupeWorker *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER (self), 0);
  return self->queued_at;
}

/**
 * troupe_worker_get_started_at:
 *
 * Returns: when a pool thread began running it, in g_get_real_time() µs; 0 while queued
 */
gint64
troupe_worker_get_started_at (TroupeWorker *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER (self), 0);
  return self->started_at;
}

/**
 * troupe_worker_get_run_time:
 *
 * Returns: µs the entry has run so far, or ran in all once ended
 */
gint64
troupe_worker_get_run_time (TroupeWorker *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER (self), 0);

  if (self->started_at == 0)
    return 0;
  if (self->ended_at != 0)
    return self->ended_at - self->started_at;
  return MAX (0, g_get_real_time () - self->started_at);
}

/**
 * troupe_worker_get_thread_id:
 *
 * Returns: the Linux thread id of the pool thread running the entry, -1 if none
 */
int
troupe_worker_get_thread_id (TroupeWorker *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER (self), -1);
  return _troupe_worker_context_get_thread_id (self->context);
}

/**
 * troupe_worker_get_n_queued_in:
 *
 * Returns: how many messages wait for the worker to take them
 */
guint
troupe_worker_get_n_queued_in (TroupeWorker *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER (self), 0);
  return _troupe_worker_context_count_inbox (self->context);
}

/**
 * troupe_worker_get_n_queued_out:
 *
 * Returns: how many messages from the worker wait for the main thread
 */
guint
troupe_worker_get_n_queued_out (TroupeWorker *self)
{
  guint count;

  g_return_val_if_fail (TROUPE_IS_WORKER (self), 0);

  g_mutex_lock (&self->context->lock);
  count = self->context->outbox->len;
  g_mutex_unlock (&self->context->lock);
  return count;
}

static gboolean
check_can_receive (TroupeWorker  *self,
                   GError       **error)
{
  if (self->state == TROUPE_WORKER_QUEUED || self->state == TROUPE_WORKER_RUNNING)
    return TRUE;
  g_set_error_literal (error, TROUPE_WORKER_ERROR, TROUPE_WORKER_ERROR_ENDED,
                       state_has_ended (self->state)
                         ? _("The worker has ended")
                         : _("The worker has been asked to stop"));
  return FALSE;
}

static void
send_message (TroupeWorker *self,
              GBytes       *message)
{
  _troupe_worker_context_send (self->context, message);
  if (self->recording)
    troupe_message_log_append (self->messages, TROUPE_MESSAGE_TO_CHILD, TROUPE_MESSAGE_USER,
                               message);
}

/**
 * troupe_worker_post_text:
 * @json_text: one JSON value
 *
 * Queues a message for the worker, which may be queued itself.
 *
 * Returns: %TRUE, or %FALSE with @error if the text is not JSON or the worker
 *   has ended or been asked to stop
 */
gboolean
troupe_worker_post_text (TroupeWorker  *self,
                         const char    *json_text,
                         GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) message = NULL;
  gsize length;

  g_return_val_if_fail (TROUPE_IS_WORKER (self), FALSE);
  g_return_val_if_fail (json_text != NULL, FALSE);

  length = strlen (json_text);
  if (!troupe_json_text_check (json_text, length, NULL, &local_error))
    {
      g_set_error (error, TROUPE_WORKER_ERROR, TROUPE_WORKER_ERROR_BAD_MESSAGE,
                   _("The message is not JSON: %s"), local_error->message);
      return FALSE;
    }
  if (!check_can_receive (self, error))
    return FALSE;

  message = _troupe_worker_chunks_copy (&self->context->in_chunks, json_text, length);
  send_message (self, message);
  return TRUE;
}

/**
 * troupe_worker_post:
 * @message: any JSON value
 *
 * Queues a message for the worker; a worker that has ended or been asked to
 * stop will not read it, and it is dropped.
 */
void
troupe_worker_post (TroupeWorker *self,
                    JsonNode     *message)
{
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length;

  g_return_if_fail (TROUPE_IS_WORKER (self));
  g_return_if_fail (message != NULL);

  if (!check_can_receive (self, NULL))
    return;
  text = json_to_string (message, FALSE);
  length = strlen (text);
  bytes = g_bytes_new_take (g_steal_pointer (&text), length);
  send_message (self, bytes);
}

static gboolean
on_deadline (gpointer user_data)
{
  TroupeWorker *self = user_data;

  self->deadline_source = 0;
  if (self->state == TROUPE_WORKER_TERMINATING)
    set_state (self, TROUPE_WORKER_NOT_RESPONDING);
  return G_SOURCE_REMOVE;
}

/**
 * troupe_worker_terminate:
 * @deadline_ms: how long it has to stop before it is reported as not responding
 *
 * Asks the worker to stop: its cancellable is cancelled and a wait for a
 * message ends. A worker still queued ends at once without running.
 */
void
troupe_worker_terminate (TroupeWorker *self,
                         guint         deadline_ms)
{
  g_autoptr(GSource) deadline = NULL;
  gboolean started;

  g_return_if_fail (TROUPE_IS_WORKER (self));

  if (self->terminate_requested || state_has_ended (self->state))
    return;
  self->terminate_requested = TRUE;
  self->terminate_requested_at = g_get_monotonic_time ();
  g_cancellable_cancel (self->context->cancellable);

  /* Cancelled before its thread looked, the entry will never run. */
  g_mutex_lock (&self->context->lock);
  started = self->context->started;
  g_mutex_unlock (&self->context->lock);
  if (!started)
    {
      self->ended_at = g_get_real_time ();
      set_state (self, TROUPE_WORKER_TERMINATED);
      return;
    }
  set_state (self, TROUPE_WORKER_TERMINATING);
  deadline = g_timeout_source_new (deadline_ms);
  g_source_set_static_name (deadline, "[troupe] worker deadline");
  g_source_set_callback (deadline, on_deadline, self, NULL);
  self->deadline_source = g_source_attach (deadline, self->context->main_context);
}

/**
 * troupe_worker_get_messages:
 *
 * Returns: (transfer none): every message both ways while recording
 */
TroupeMessageLog *
troupe_worker_get_messages (TroupeWorker *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER (self), NULL);
  return self->messages;
}

gboolean
troupe_worker_get_recording (TroupeWorker *self)
{
  g_return_val_if_fail (TROUPE_IS_WORKER (self), FALSE);
  return self->recording;
}

/**
 * troupe_worker_set_recording:
 * @recording: whether to keep the messages in troupe_worker_get_messages()
 *
 * On by default; a worker that exchanges messages by the million, such as a
 * benchmark or a load generator, turns it off.
 */
void
troupe_worker_set_recording (TroupeWorker *self,
                             gboolean      recording)
{
  g_return_if_fail (TROUPE_IS_WORKER (self));

  recording = !!recording;
  if (self->recording == recording)
    return;
  self->recording = recording;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDING]);
}

static void
on_wait_cancelled (GCancellable *cancellable,
                   TroupeWorker *self)
{
  for (GList *l = self->waits; l != NULL; l = l->next)
    {
      Wait *wait = l->data;

      if (g_task_get_cancellable (wait->task) == cancellable)
        {
          self->waits = g_list_delete_link (self->waits, l);
          g_signal_handler_disconnect (cancellable, wait->cancelled_handler);
          g_task_return_error_if_cancelled (wait->task);
          g_object_unref (wait->task);
          g_free (wait);
          return;
        }
    }
}

/**
 * troupe_worker_wait_async:
 *
 * Waits for the worker to exit, fail or be terminated.
 */
void
troupe_worker_wait_async (TroupeWorker        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Wait *wait;

  g_return_if_fail (TROUPE_IS_WORKER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, troupe_worker_wait_async);

  if (state_has_ended (self->state))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  wait = g_new0 (Wait, 1);
  wait->task = g_steal_pointer (&task);
  self->waits = g_list_append (self->waits, wait);
  if (cancellable != NULL)
    wait->cancelled_handler = g_signal_connect_object (cancellable, "cancelled",
                                                       G_CALLBACK (on_wait_cancelled), self, 0);
}

gboolean
troupe_worker_wait_finish (TroupeWorker  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (TROUPE_IS_WORKER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == troupe_worker_wait_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
