/* troupe-cluster-member.c: one place in a cluster, and the runs that have filled it
 *
 * A member is a place (its id stays) filled by one run at a time, and for a
 * moment by two while a reload replaces it: the new run starts, and only once
 * it is ready (listening, or saying "ready", or after the grace time) is the
 * old one asked to leave. A run that ends by itself is restarted as the
 * cluster's policy says, after a delay that doubles with each failure in a
 * row; too many restarts in a short time and the member is left
 * crash-looping until someone restarts it. Every run keeps its own log and
 * messages, and every end goes into the member's timeline.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "troupe-cluster-private.h"
#include "troupe-process-private.h"

#define FIRST_DELAY_MS     100
#define MAX_DELAY_MS       15000
/* A run that has stayed up this long was not failing: the delay starts over. */
#define STABLE_USEC        (10 * G_USEC_PER_SEC)
/* This many restarts within the window is a crash loop. */
#define CRASH_LIMIT        5
#define CRASH_WINDOW_USEC  (30 * G_USEC_PER_SEC)

typedef struct
{
  TroupeClusterMember *member;
  gboolean             ready;
  gboolean             leaving;
  guint                grace_timer;
  guint                leave_timer;
  /* The cluster's readiness probe, when it has one */
  gboolean             probe_passed;
  GCancellable        *probe_cancellable;
  guint                probe_timer;
} RunState;

struct _TroupeClusterMember
{
  GObject            parent_instance;

  TroupeCluster     *cluster;  /* not a reference: the cluster owns its members */
  guint              id;
  TroupeMemberState  state;
  TroupeProcess     *process;
  TroupeProcess     *replacement;
  GListStore        *runs;
  gboolean           stopping;
  gboolean           gone;

  guint              restarts;
  guint              failures_in_a_row;
  GArray            *recent_restarts;
  GArray            *exits;
  gint64             restart_at;
  guint              restart_timer;
};

enum
{
  PROP_0,
  PROP_STATE,
  PROP_PROCESS,
  PROP_RESTARTS,
  N_PROPS
};

enum
{
  RUN_STARTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TroupeClusterMember, troupe_cluster_member, G_TYPE_OBJECT)

static RunState *
run_state (TroupeProcess *run)
{
  return g_object_get_data (G_OBJECT (run), "troupe-cluster-run");
}

static void
run_state_free (gpointer data)
{
  RunState *state = data;

  g_clear_handle_id (&state->grace_timer, g_source_remove);
  g_clear_handle_id (&state->leave_timer, g_source_remove);
  g_clear_handle_id (&state->probe_timer, g_source_remove);
  if (state->probe_cancellable != NULL)
    g_cancellable_cancel (state->probe_cancellable);
  g_clear_object (&state->probe_cancellable);
  g_free (state);
}

static void
set_state (TroupeClusterMember *self,
           TroupeMemberState    state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (self->cluster != NULL)
    _troupe_cluster_member_changed (self->cluster, self);
}

static gboolean
any_run_alive (TroupeClusterMember *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->runs));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TroupeProcess) run = g_list_model_get_item (G_LIST_MODEL (self->runs), i);

      if (troupe_process_is_group_alive (run) || troupe_process_is_running (run))
        return TRUE;
    }
  return FALSE;
}

static gboolean
on_leave_timeout (gpointer user_data)
{
  TroupeProcess *run = user_data;
  RunState *state = run_state (run);

  state->leave_timer = 0;
  troupe_process_stop (run);
  return G_SOURCE_REMOVE;
}

/* Asks a run to go: a Node member is told to disconnect, and has the stop
 * timeout to finish its requests; anything else gets SIGTERM (then SIGKILL). */
static void
leave_run (TroupeProcess *run)
{
  RunState *state = run_state (run);
  TroupeChannel *channel = troupe_process_get_channel (run);

  if (state->leaving || !troupe_process_is_group_alive (run))
    return;
  state->leaving = TRUE;
  g_clear_handle_id (&state->grace_timer, g_source_remove);
  if (g_object_get_data (G_OBJECT (run), "troupe-node-cluster") != NULL &&
      channel != NULL && troupe_channel_is_connected (channel))
    {
      guint timeout = troupe_command_get_stop_timeout (troupe_process_get_command (run));

      _troupe_node_cluster_ask_to_leave (run);
      state->leave_timer = g_timeout_add (MAX (timeout, 1), on_leave_timeout, run);
    }
  else
    troupe_process_stop (run);
}

static gboolean
is_ready_message (GBytes *line)
{
  gsize length;
  const char *data = g_bytes_get_data (line, &length);
  g_autoptr(JsonNode) message = NULL;
  JsonNode *ready;

  if (length == 7 && memcmp (data, "\"ready\"", 7) == 0)
    return TRUE;
  if (length < 10 || data[0] != '{' || memmem (data, length, "ready", 5) == NULL)
    return FALSE;
  message = troupe_channel_parse (line);
  if (message == NULL || !JSON_NODE_HOLDS_OBJECT (message))
    return FALSE;
  ready = json_object_get_member (json_node_get_object (message), "ready");
  return ready != NULL && JSON_NODE_HOLDS_VALUE (ready) &&
         json_node_get_value_type (ready) == G_TYPE_BOOLEAN && json_node_get_boolean (ready);
}

static void
on_run_message (TroupeChannel *channel,
                GBytes        *line,
                gboolean       internal,
                TroupeProcess *run)
{
  RunState *state = run_state (run);

  if (state->member == NULL)
    return;
  if (internal)
    {
      g_autoptr(JsonNode) message = troupe_channel_parse (line);

      if (message != NULL)
        _troupe_node_cluster_handle (state->member, run, message);
    }
  else if (is_ready_message (line))
    _troupe_cluster_member_run_ready (state->member, run);
}

static gboolean
on_grace (gpointer user_data)
{
  TroupeProcess *run = user_data;
  RunState *state = run_state (run);

  state->grace_timer = 0;
  if (state->member != NULL)
    _troupe_cluster_member_run_ready (state->member, run);
  return G_SOURCE_REMOVE;
}

static void on_run_ended (TroupeProcess *run, TroupeClusterMember *self);
static void on_run_group_alive (TroupeProcess *run, GParamSpec *pspec, TroupeClusterMember *self);

static void
maybe_gone (TroupeClusterMember *self)
{
  if (!self->stopping || self->gone || any_run_alive (self))
    return;
  self->gone = TRUE;
  set_state (self, TROUPE_MEMBER_EXITED);
  if (self->cluster != NULL)
    _troupe_cluster_member_gone (self->cluster, self);
}

static void
clear_exit (gpointer data)
{
  TroupeMemberExit *entry = data;

  g_free ((char *) entry->reason);
}

static void
record_exit (TroupeClusterMember *self,
             TroupeProcess       *run)
{
  TroupeMemberExit entry = { 0 };

  entry.pid = troupe_process_get_pid (run);
  entry.ended_at = g_get_real_time ();
  entry.uptime = troupe_process_get_duration (run);
  entry.signaled = troupe_process_get_term_signal (run) != 0;
  entry.code_or_signal = entry.signaled ? troupe_process_get_term_signal (run)
                                        : troupe_process_get_exit_code (run);
  if (troupe_process_get_state (run) == TROUPE_PROCESS_STATE_FAILED_TO_START)
    entry.code_or_signal = -1;
  entry.reason = g_strdup (troupe_process_get_restart_reason (run));
  g_array_append_val (self->exits, entry);
}

static TroupeProcess *
start_run (TroupeClusterMember *self,
           gboolean             replacement)
{
  g_autoptr(TroupeCommand) command = _troupe_cluster_member_command (self->cluster, self->id);
  TroupeProcess *run = troupe_process_new (command);
  RunState *state = g_new0 (RunState, 1);
  guint grace_ms = troupe_cluster_get_grace_ms (self->cluster);

  state->member = self;
  g_object_set_data_full (G_OBJECT (run), "troupe-cluster-run", state, run_state_free);
  g_list_store_append (self->runs, run);
  if (replacement)
    self->replacement = run;
  else
    {
      g_set_object (&self->process, run);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROCESS]);
      set_state (self, TROUPE_MEMBER_STARTING);
    }
  g_signal_connect_object (run, "ended", G_CALLBACK (on_run_ended), self, 0);
  g_signal_connect_object (run, "notify::group-alive", G_CALLBACK (on_run_group_alive), self, 0);

  if (troupe_process_start (run, _troupe_cluster_get_launcher (self->cluster),
                            _troupe_cluster_get_spool_dir (self->cluster), NULL))
    {
      g_signal_connect_object (troupe_process_get_channel (run), "message",
                               G_CALLBACK (on_run_message), run, 0);
      state->grace_timer = g_timeout_add (MAX (grace_ms, 1), on_grace, run);
    }
  g_signal_emit (self, signals[RUN_STARTED], 0, run);
  g_object_unref (run);
  return run;
}

static gboolean
on_restart_timer (gpointer user_data)
{
  TroupeClusterMember *self = user_data;
  gint64 now = g_get_monotonic_time ();

  self->restart_timer = 0;
  self->restart_at = 0;
  self->restarts++;
  g_array_append_val (self->recent_restarts, now);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESTARTS]);
  start_run (self, FALSE);
  return G_SOURCE_REMOVE;
}

static guint
count_recent_restarts (TroupeClusterMember *self)
{
  gint64 since = g_get_monotonic_time () - CRASH_WINDOW_USEC;
  guint n = 0;

  for (guint i = 0; i < self->recent_restarts->len; i++)
    if (g_array_index (self->recent_restarts, gint64, i) >= since)
      n++;
  return n;
}

/* The current run ended by itself: restart it, or not, as the policy says. */
static void
after_current_ended (TroupeClusterMember *self,
                     TroupeProcess       *run)
{
  TroupeRestartPolicy policy = troupe_cluster_get_restart_policy (self->cluster);
  gboolean failed = troupe_process_get_state (run) != TROUPE_PROCESS_STATE_EXITED ||
                    troupe_process_get_exit_code (run) != 0;
  guint delay_ms;

  if (policy == TROUPE_RESTART_NEVER || (policy == TROUPE_RESTART_ON_FAILURE && !failed))
    {
      set_state (self, TROUPE_MEMBER_EXITED);
      return;
    }

  if (troupe_process_get_duration (run) >= STABLE_USEC)
    self->failures_in_a_row = 0;
  self->failures_in_a_row++;
  if (count_recent_restarts (self) >= CRASH_LIMIT)
    {
      set_state (self, TROUPE_MEMBER_CRASH_LOOPING);
      return;
    }

  delay_ms = FIRST_DELAY_MS << MIN (self->failures_in_a_row - 1, 10);
  delay_ms = MIN (delay_ms, MAX_DELAY_MS);
  self->restart_at = g_get_monotonic_time () + delay_ms * 1000;
  self->restart_timer = g_timeout_add (delay_ms, on_restart_timer, self);
  set_state (self, TROUPE_MEMBER_RESTARTING);
}

static void
on_run_ended (TroupeProcess       *run,
              TroupeClusterMember *self)
{
  g_autoptr(TroupeClusterMember) hold = g_object_ref (self);
  RunState *state = run_state (run);

  g_clear_handle_id (&state->grace_timer, g_source_remove);
  g_clear_handle_id (&state->leave_timer, g_source_remove);
  g_clear_handle_id (&state->probe_timer, g_source_remove);
  if (state->probe_cancellable != NULL)
    g_cancellable_cancel (state->probe_cancellable);
  record_exit (self, run);

  if (run == self->replacement)
    {
      /* The new run failed before it was ready: the old one serves on. */
      self->replacement = NULL;
      if (self->cluster != NULL)
        _troupe_cluster_member_replaced (self->cluster, self, FALSE);
    }
  else if (run == self->process && !state->leaving && !self->stopping && self->cluster != NULL)
    after_current_ended (self, run);
  else if (run == self->process)
    set_state (self, TROUPE_MEMBER_EXITED);

  maybe_gone (self);
}

/* A run's group outlives its leader for a moment (or for as long as a child
 * it left holds on), so the member is gone only once no group is alive. */
static void
on_run_group_alive (TroupeProcess       *run,
                    GParamSpec          *pspec,
                    TroupeClusterMember *self)
{
  g_autoptr(TroupeClusterMember) hold = g_object_ref (self);
  maybe_gone (self);
}

/* --- object ------------------------------------------------------------- */

static void
troupe_cluster_member_dispose (GObject *object)
{
  TroupeClusterMember *self = (TroupeClusterMember *) object;
  guint n = self->runs != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->runs)) : 0;

  g_clear_handle_id (&self->restart_timer, g_source_remove);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TroupeProcess) run = g_list_model_get_item (G_LIST_MODEL (self->runs), i);
      RunState *state = run_state (run);

      g_clear_handle_id (&state->grace_timer, g_source_remove);
      g_clear_handle_id (&state->leave_timer, g_source_remove);
      g_clear_handle_id (&state->probe_timer, g_source_remove);
      if (state->probe_cancellable != NULL)
        g_cancellable_cancel (state->probe_cancellable);
      state->member = NULL;
      g_signal_handlers_disconnect_by_data (run, self);
    }
  g_clear_object (&self->process);
  g_clear_object (&self->runs);

  G_OBJECT_CLASS (troupe_cluster_member_parent_class)->dispose (object);
}

static void
troupe_cluster_member_finalize (GObject *object)
{
  TroupeClusterMember *self = (TroupeClusterMember *) object;

  g_array_unref (self->recent_restarts);
  g_array_unref (self->exits);

  G_OBJECT_CLASS (troupe_cluster_member_parent_class)->finalize (object);
}

static void
troupe_cluster_member_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TroupeClusterMember *self = TROUPE_CLUSTER_MEMBER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_PROCESS:
      g_value_set_object (value, self->process);
      break;
    case PROP_RESTARTS:
      g_value_set_uint (value, self->restarts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
troupe_cluster_member_class_init (TroupeClusterMemberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = troupe_cluster_member_dispose;
  object_class->finalize = troupe_cluster_member_finalize;
  object_class->get_property = troupe_cluster_member_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, TROUPE_MEMBER_STARTING, TROUPE_MEMBER_CRASH_LOOPING,
                      TROUPE_MEMBER_STARTING,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROCESS] =
    g_param_spec_object ("process", NULL, NULL, TROUPE_TYPE_PROCESS,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESTARTS] =
    g_param_spec_uint ("restarts", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TroupeClusterMember::run-started:
   * @run: the new run (it may have failed to start)
   */
  signals[RUN_STARTED] =
    g_signal_new ("run-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, TROUPE_TYPE_PROCESS);
}

static void
troupe_cluster_member_init (TroupeClusterMember *self)
{
  self->runs = g_list_store_new (TROUPE_TYPE_PROCESS);
  self->recent_restarts = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->exits = g_array_new (FALSE, FALSE, sizeof (TroupeMemberExit));
  g_array_set_clear_func (self->exits, clear_exit);
}

/* --- for the cluster ---------------------------------------------------- */

TroupeClusterMember *
_troupe_cluster_member_new (TroupeCluster *cluster,
                            guint          id)
{
  TroupeClusterMember *self = g_object_new (TROUPE_TYPE_CLUSTER_MEMBER, NULL);

  self->cluster = cluster;
  self->id = id;
  return self;
}

void
_troupe_cluster_member_start (TroupeClusterMember *self)
{
  start_run (self, FALSE);
}

/* Starts a new run beside the current one; the cluster hears when it is ready
 * (and the old one has been asked to leave) or has failed. */
void
_troupe_cluster_member_replace (TroupeClusterMember *self)
{
  if (self->replacement != NULL || self->stopping)
    return;
  if (self->process == NULL || !troupe_process_is_running (self->process))
    {
      g_clear_handle_id (&self->restart_timer, g_source_remove);
      start_run (self, FALSE);
      _troupe_cluster_member_replaced (self->cluster, self, TRUE);
      return;
    }
  start_run (self, TRUE);
}

/* For good: scaled down, or the cluster stops. */
void
_troupe_cluster_member_leave (TroupeClusterMember *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->runs));

  self->stopping = TRUE;
  g_clear_handle_id (&self->restart_timer, g_source_remove);
  self->restart_at = 0;
  if (!any_run_alive (self))
    {
      maybe_gone (self);
      return;
    }
  set_state (self, TROUPE_MEMBER_STOPPING);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TroupeProcess) run = g_list_model_get_item (G_LIST_MODEL (self->runs), i);
      leave_run (run);
    }
}

gboolean
_troupe_cluster_member_is_alive (TroupeClusterMember *self)
{
  return any_run_alive (self);
}

void
_troupe_cluster_member_forget_cluster (TroupeClusterMember *self)
{
  self->cluster = NULL;
}

TroupeCluster *
_troupe_cluster_member_get_cluster (TroupeClusterMember *self)
{
  return self->cluster;
}

void
_troupe_cluster_member_run_online (TroupeClusterMember *self,
                                   TroupeProcess       *run)
{
  if (run == self->process && self->state == TROUPE_MEMBER_STARTING)
    set_state (self, TROUPE_MEMBER_ONLINE);
}

static void start_probe (TroupeProcess *run);

static gboolean
on_probe_timer (gpointer user_data)
{
  TroupeProcess *run = user_data;
  RunState *state = run_state (run);

  state->probe_timer = 0;
  start_probe (run);
  return G_SOURCE_REMOVE;
}

static void
on_probe_checked (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(TroupeProcess) run = user_data;
  RunState *state = run_state (run);
  g_autoptr(TroupeProbeSpec) spec = NULL;
  g_autoptr(GError) error = NULL;
  gboolean passed = troupe_probe_check_finish (result, NULL, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || state == NULL)
    return;
  g_clear_object (&state->probe_cancellable);
  if (state->member == NULL || state->member->cluster == NULL || state->leaving ||
      !troupe_process_is_running (run))
    return;
  if (passed)
    {
      state->probe_passed = TRUE;
      _troupe_cluster_member_run_ready (state->member, run);
      return;
    }
  spec = _troupe_cluster_dup_ready_probe (state->member->cluster);
  state->probe_timer = g_timeout_add (spec != NULL ? spec->interval_ms : 1000,
                                      on_probe_timer, run);
}

/* One check at a time, off the main thread; on failure, again after the
 * probe's interval, for as long as the run is alive. */
static void
start_probe (TroupeProcess *run)
{
  RunState *state = run_state (run);
  g_autoptr(TroupeProbeSpec) spec = NULL;

  if (state->probe_cancellable != NULL || state->probe_timer != 0 || state->member == NULL ||
      state->member->cluster == NULL)
    return;
  spec = _troupe_cluster_dup_ready_probe (state->member->cluster);
  if (spec == NULL)
    {
      state->probe_passed = TRUE;
      _troupe_cluster_member_run_ready (state->member, run);
      return;
    }
  state->probe_cancellable = g_cancellable_new ();
  troupe_probe_check_async (spec, state->probe_cancellable, on_probe_checked,
                            g_object_ref (run));
}

void
_troupe_cluster_member_run_ready (TroupeClusterMember *self,
                                  TroupeProcess       *run)
{
  RunState *state = run_state (run);
  TroupeProcess *old;

  if (state->ready || state->leaving || !troupe_process_is_running (run))
    return;
  if (!state->probe_passed && self->cluster != NULL &&
      troupe_cluster_get_ready_probe (self->cluster) != NULL)
    {
      /* Ready by its own account; now the cluster's probe has to pass too. */
      g_clear_handle_id (&state->grace_timer, g_source_remove);
      start_probe (run);
      return;
    }
  state->ready = TRUE;
  g_clear_handle_id (&state->grace_timer, g_source_remove);

  if (run == self->replacement)
    {
      old = g_steal_pointer (&self->process);
      self->process = g_object_ref (run);
      self->replacement = NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROCESS]);
      set_state (self, TROUPE_MEMBER_LISTENING);
      if (old != NULL)
        {
          leave_run (old);
          g_object_unref (old);
        }
      if (self->cluster != NULL)
        _troupe_cluster_member_replaced (self->cluster, self, TRUE);
    }
  else if (run == self->process)
    set_state (self, TROUPE_MEMBER_LISTENING);
}

/* --- public ------------------------------------------------------------- */

guint
troupe_cluster_member_get_id (TroupeClusterMember *self)
{
  g_return_val_if_fail (TROUPE_IS_CLUSTER_MEMBER (self), 0);
  return self->id;
}

TroupeMemberState
troupe_cluster_member_get_state (TroupeClusterMember *self)
{
  g_return_val_if_fail (TROUPE_IS_CLUSTER_MEMBER (self), TROUPE_MEMBER_EXITED);
  return self->state;
}

/**
 * troupe_cluster_member_get_process:
 *
 * Returns: (transfer none) (nullable): the current run
 */
TroupeProcess *
troupe_cluster_member_get_process (TroupeClusterMember *self)
{
  g_return_val_if_fail (TROUPE_IS_CLUSTER_MEMBER (self), NULL);
  return self->process;
}

/**
 * troupe_cluster_member_get_runs:
 *
 * Returns: (transfer none): every run of this member, oldest first, each with
 *   its own log and messages
 */
GListModel *
troupe_cluster_member_get_runs (TroupeClusterMember *self)
{
  g_return_val_if_fail (TROUPE_IS_CLUSTER_MEMBER (self), NULL);
  return G_LIST_MODEL (self->runs);
}

guint
troupe_cluster_member_get_restarts (TroupeClusterMember *self)
{
  g_return_val_if_fail (TROUPE_IS_CLUSTER_MEMBER (self), 0);
  return self->restarts;
}

/**
 * troupe_cluster_member_get_restart_at:
 *
 * Returns: when a waiting restart happens (monotonic microseconds), or 0
 */
gint64
troupe_cluster_member_get_restart_at (TroupeClusterMember *self)
{
  g_return_val_if_fail (TROUPE_IS_CLUSTER_MEMBER (self), 0);
  return self->restart_at;
}

guint
troupe_cluster_member_get_n_exits (TroupeClusterMember *self)
{
  g_return_val_if_fail (TROUPE_IS_CLUSTER_MEMBER (self), 0);
  return self->exits->len;
}

/**
 * troupe_cluster_member_get_exit:
 *
 * Returns: (transfer none): an entry of the timeline, oldest first
 */
const TroupeMemberExit *
troupe_cluster_member_get_exit (TroupeClusterMember *self,
                                guint                index)
{
  g_return_val_if_fail (TROUPE_IS_CLUSTER_MEMBER (self), NULL);
  g_return_val_if_fail (index < self->exits->len, NULL);
  return &g_array_index (self->exits, TroupeMemberExit, index);
}

/**
 * troupe_cluster_member_restart:
 *
 * Restarts the member, also out of a crash loop: a running member is replaced
 * as in a reload, new run first.
 */
void
troupe_cluster_member_restart (TroupeClusterMember *self)
{
  g_return_if_fail (TROUPE_IS_CLUSTER_MEMBER (self));

  if (self->cluster == NULL)
    return;
  self->stopping = FALSE;
  self->gone = FALSE;
  self->failures_in_a_row = 0;
  g_array_set_size (self->recent_restarts, 0);
  g_clear_handle_id (&self->restart_timer, g_source_remove);
  self->restart_at = 0;
  if (self->process != NULL && troupe_process_is_running (self->process))
    start_run (self, TRUE);
  else
    start_run (self, FALSE);
}

/**
 * troupe_cluster_member_restart_with_reason:
 * @reason: why, shown in the member's timeline with the run that ends
 *
 * Restarts the member as troupe_cluster_member_restart() does (a new run
 * first, then the old one leaves once the new one is ready), noting @reason
 * on the run that is replaced.
 */
void
troupe_cluster_member_restart_with_reason (TroupeClusterMember *self,
                                           const char          *reason)
{
  g_return_if_fail (TROUPE_IS_CLUSTER_MEMBER (self));

  if (self->process != NULL && reason != NULL)
    _troupe_process_set_restart_reason (self->process, reason);
  troupe_cluster_member_restart (self);
}

/**
 * troupe_cluster_member_stop:
 *
 * Stops the member for good (until restarted): no restart follows.
 */
void
troupe_cluster_member_stop (TroupeClusterMember *self)
{
  g_return_if_fail (TROUPE_IS_CLUSTER_MEMBER (self));
  _troupe_cluster_member_leave (self);
}

gboolean
troupe_cluster_member_send_signal (TroupeClusterMember  *self,
                                   int                   signal_number,
                                   GError              **error)
{
  g_return_val_if_fail (TROUPE_IS_CLUSTER_MEMBER (self), FALSE);

  if (self->process == NULL)
    return TRUE;
  return troupe_process_send_signal (self->process, signal_number, error);
}

/**
 * troupe_member_state_to_string:
 *
 * Returns: the state's name for scripts ("listening", "crash-looping", …)
 */
const char *
troupe_member_state_to_string (TroupeMemberState state)
{
  switch (state)
    {
    case TROUPE_MEMBER_STARTING:
      return "starting";
    case TROUPE_MEMBER_ONLINE:
      return "online";
    case TROUPE_MEMBER_LISTENING:
      return "listening";
    case TROUPE_MEMBER_STOPPING:
      return "stopping";
    case TROUPE_MEMBER_EXITED:
      return "exited";
    case TROUPE_MEMBER_RESTARTING:
      return "restarting";
    case TROUPE_MEMBER_CRASH_LOOPING:
      return "crash-looping";
    default:
      return "unknown";
    }
}
