/* troupe-session.c: every run this instance started, and stopping them all
 *
 * The window's job list, the command line and the tests all start runs
 * through a session, so that one place knows every child and can stop them
 * all — the same SIGTERM, then SIGKILL, as a single stop — when the app quits.
 * Runs that ended stay in the list (with their logs) until removed.
 *
 * The session also watches every run, and every cluster member's run, with
 * one sampler from the moment its pid is known, keeps each one's process tree
 * (and history) after it ended, and restarts a run or member whose tree stays
 * above its command's memory limit for two samples in a row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "troupe-process-private.h"
#include "troupe-session.h"
#include "troupe-spool.h"

struct _TroupeSession
{
  GObject          parent_instance;

  TroupeLauncher  *launcher;
  TroupeSpoolDir  *spool_dir;
  GPtrArray       *processes;
  /* Removed runs whose process group is still being stopped. */
  GPtrArray       *departing;
  /* Clusters are listed apart from runs: each is a family of runs, and the
   * window shows it as a parent of its members. */
  GListStore      *clusters;
  /* Removed clusters whose members are still being stopped. */
  GPtrArray       *departing_clusters;
  gint64           last_prune;
  gboolean         pruning;

  TroupeSampler   *sampler;
  /* TroupeProcess → Watch, for every run and member run seen. */
  GHashTable      *watches;
  /* PendingRestart: runs being stopped, to be started again. */
  GPtrArray       *restarts;
  /* While everything is stopped, nothing is restarted. */
  gboolean         stopping_all;
  /* FALSE where /proc cannot show our children (inside Flatpak): nothing is watched. */
  gboolean         can_watch;
};

/* One process the session watches: a run, or a cluster member's run. */
typedef struct
{
  TroupeSession       *session;  /* not a reference: the session owns its watches */
  TroupeProcess       *process;
  TroupeClusterMember *member;   /* weak: NULL for a plain run */
  TroupeProcessTree   *tree;
  gulong               updated_handler;
  guint                samples_over;
  gboolean             restarting;
} Watch;

typedef struct
{
  TroupeSession *session;
  TroupeProcess *old_process;
  TroupeProcess *new_process;
  char          *reason;
  gulong         handler;
} PendingRestart;

enum
{
  PROCESS_RESTARTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Retention runs on a worker thread when runs start, but not more often than
 * this: a burst of short runs should not rescan the folder for each one. */
#define PRUNE_INTERVAL_USEC (10 * G_USEC_PER_SEC)

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TroupeSession, troupe_session, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
troupe_session_get_item_type (GListModel *model)
{
  return TROUPE_TYPE_PROCESS;
}

static guint
troupe_session_get_n_items (GListModel *model)
{
  return TROUPE_SESSION (model)->processes->len;
}

static gpointer
troupe_session_get_item (GListModel *model,
                         guint       position)
{
  TroupeSession *self = TROUPE_SESSION (model);

  if (position >= self->processes->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->processes, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = troupe_session_get_item_type;
  iface->get_n_items = troupe_session_get_n_items;
  iface->get_item = troupe_session_get_item;
}

static void
watch_free (gpointer data)
{
  Watch *watch = data;

  g_clear_signal_handler (&watch->updated_handler, watch->tree);
  if (watch->session->sampler != NULL)
    troupe_sampler_unwatch (watch->session->sampler, watch->tree);
  g_clear_weak_pointer (&watch->member);
  g_clear_object (&watch->tree);
  g_clear_object (&watch->process);
  g_free (watch);
}

static void
pending_restart_free (gpointer data)
{
  PendingRestart *restart = data;

  g_clear_signal_handler (&restart->handler, restart->old_process);
  g_clear_object (&restart->old_process);
  g_clear_object (&restart->new_process);
  g_free (restart->reason);
  g_free (restart);
}

static void
troupe_session_dispose (GObject *object)
{
  TroupeSession *self = (TroupeSession *) object;

  if (self->restarts != NULL)
    g_ptr_array_set_size (self->restarts, 0);
  if (self->watches != NULL)
    g_hash_table_remove_all (self->watches);
  g_clear_object (&self->sampler);
  g_clear_object (&self->launcher);
  g_clear_object (&self->spool_dir);
  if (self->processes != NULL)
    g_ptr_array_set_size (self->processes, 0);
  if (self->departing != NULL)
    g_ptr_array_set_size (self->departing, 0);
  if (self->clusters != NULL)
    g_list_store_remove_all (self->clusters);
  if (self->departing_clusters != NULL)
    g_ptr_array_set_size (self->departing_clusters, 0);

  G_OBJECT_CLASS (troupe_session_parent_class)->dispose (object);
}

static void
troupe_session_finalize (GObject *object)
{
  TroupeSession *self = (TroupeSession *) object;

  g_clear_pointer (&self->processes, g_ptr_array_unref);
  g_clear_pointer (&self->departing, g_ptr_array_unref);
  g_clear_object (&self->clusters);
  g_clear_pointer (&self->departing_clusters, g_ptr_array_unref);
  g_clear_pointer (&self->watches, g_hash_table_unref);
  g_clear_pointer (&self->restarts, g_ptr_array_unref);

  G_OBJECT_CLASS (troupe_session_parent_class)->finalize (object);
}

static void
troupe_session_class_init (TroupeSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = troupe_session_dispose;
  object_class->finalize = troupe_session_finalize;

  /**
   * TroupeSession::process-restarted:
   * @old_process: the run that was stopped
   * @new_process: the run of the same command that replaces it, just started
   * @reason: (nullable): why, as set on @old_process
   *
   * troupe_session_restart() has started the new run.
   */
  signals[PROCESS_RESTARTED] =
    g_signal_new ("process-restarted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  TROUPE_TYPE_PROCESS, TROUPE_TYPE_PROCESS, G_TYPE_STRING);
}

static void
troupe_session_init (TroupeSession *self)
{
  self->processes = g_ptr_array_new_with_free_func (g_object_unref);
  self->departing = g_ptr_array_new_with_free_func (g_object_unref);
  self->clusters = g_list_store_new (TROUPE_TYPE_CLUSTER);
  self->departing_clusters = g_ptr_array_new_with_free_func (g_object_unref);
  self->sampler = troupe_sampler_new ();
  self->can_watch = troupe_sampler_is_supported (NULL);
  self->watches = g_hash_table_new_full (NULL, NULL, NULL, watch_free);
  self->restarts = g_ptr_array_new_with_free_func (pending_restart_free);
}

/**
 * troupe_session_new:
 * @launcher: how children are started
 * @spool_dir: where their output is kept
 *
 * Returns: (transfer full): an empty session
 */
TroupeSession *
troupe_session_new (TroupeLauncher *launcher,
                    TroupeSpoolDir *spool_dir)
{
  TroupeSession *self;

  g_return_val_if_fail (TROUPE_IS_LAUNCHER (launcher), NULL);
  g_return_val_if_fail (TROUPE_IS_SPOOL_DIR (spool_dir), NULL);

  self = g_object_new (TROUPE_TYPE_SESSION, NULL);
  self->launcher = g_object_ref (launcher);
  self->spool_dir = g_object_ref (spool_dir);
  return self;
}

TroupeLauncher *
troupe_session_get_launcher (TroupeSession *self)
{
  g_return_val_if_fail (TROUPE_IS_SESSION (self), NULL);
  return self->launcher;
}

TroupeSpoolDir *
troupe_session_get_spool_dir (TroupeSession *self)
{
  g_return_val_if_fail (TROUPE_IS_SESSION (self), NULL);
  return self->spool_dir;
}

static void
on_pruned (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TroupeSession) self = user_data;
  g_autoptr(GError) error = NULL;

  /* A folder we cannot read costs only old logs' cleanup; each run's own spool
   * creation reports real problems. */
  troupe_spool_dir_prune_finish (TROUPE_SPOOL_DIR (object), result, &error);
  if (error != NULL)
    g_debug ("Could not prune old logs: %s", error->message);
  self->pruning = FALSE;
}

static void
maybe_prune (TroupeSession *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->pruning || (self->last_prune != 0 && now - self->last_prune < PRUNE_INTERVAL_USEC))
    return;
  self->pruning = TRUE;
  self->last_prune = now;
  troupe_spool_dir_prune_async (self->spool_dir, NULL, on_pruned, g_object_ref (self));
}

static char *
format_memory_reason (guint64 used,
                      guint64 limit)
{
  g_autofree char *used_text = g_format_size_full (used, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *limit_text = g_format_size_full (limit, G_FORMAT_SIZE_IEC_UNITS);

  /* Translators: the first %s is memory used, the second the limit: "212.0 MiB" */
  return g_strdup_printf (_("Restarted: used %s, over its memory limit of %s"),
                          used_text, limit_text);
}

/* After each sample: a tree above its limit twice in a row is restarted,
 * the way a user would restart it. */
static void
on_tree_updated (TroupeProcessTree *tree,
                 Watch             *watch)
{
  guint64 limit = troupe_command_get_memory_limit (troupe_process_get_command (watch->process));
  const TroupeSample *latest = troupe_sample_ring_get_latest (troupe_process_tree_get_totals (tree));
  g_autofree char *reason = NULL;

  if (limit == 0 || watch->restarting || watch->session->stopping_all || latest == NULL ||
      troupe_process_tree_has_ended (tree))
    return;
  if (latest->rss <= limit)
    {
      watch->samples_over = 0;
      return;
    }
  if (++watch->samples_over < 2)
    return;

  watch->restarting = TRUE;
  reason = format_memory_reason (latest->rss, limit);
  g_debug ("Restarting %s (pid %d): %s", troupe_process_get_name (watch->process),
           troupe_process_get_pid (watch->process), reason);
  if (watch->member != NULL)
    troupe_cluster_member_restart_with_reason (watch->member, reason);
  else
    troupe_session_restart (watch->session, watch->process, reason, NULL);
}

/* Watches @process from now on, if it started; @member is its cluster member. */
static void
watch_process (TroupeSession       *self,
               TroupeProcess       *process,
               TroupeClusterMember *member)
{
  Watch *watch;
  GPid pid = troupe_process_get_pid (process);

  if (!self->can_watch || pid <= 0 || !troupe_process_is_running (process) ||
      g_hash_table_contains (self->watches, process))
    return;

  watch = g_new0 (Watch, 1);
  watch->session = self;
  watch->process = g_object_ref (process);
  g_set_weak_pointer (&watch->member, member);
  watch->tree = troupe_sampler_watch (self->sampler, pid);
  watch->updated_handler = g_signal_connect (watch->tree, "updated",
                                             G_CALLBACK (on_tree_updated), watch);
  g_hash_table_insert (self->watches, process, watch);
}

static void
on_member_run_started (TroupeClusterMember *member,
                       TroupeProcess       *run,
                       TroupeSession       *self)
{
  watch_process (self, run, member);
}

static void
watch_member (TroupeSession       *self,
              TroupeClusterMember *member)
{
  TroupeProcess *process = troupe_cluster_member_get_process (member);

  if (g_object_get_data (G_OBJECT (member), "troupe-session-watched") == self)
    return;
  g_object_set_data (G_OBJECT (member), "troupe-session-watched", self);
  g_signal_connect_object (member, "run-started", G_CALLBACK (on_member_run_started), self, 0);
  if (process != NULL)
    watch_process (self, process, member);
}

static void
on_members_changed (GListModel    *members,
                    guint          position,
                    guint          removed,
                    guint          added,
                    TroupeSession *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(TroupeClusterMember) member = g_list_model_get_item (members, i);

      watch_member (self, member);
    }
}

/**
 * troupe_session_get_sampler:
 *
 * Returns: (transfer none): the sampler that watches the session's runs
 */
TroupeSampler *
troupe_session_get_sampler (TroupeSession *self)
{
  g_return_val_if_fail (TROUPE_IS_SESSION (self), NULL);
  return self->sampler;
}

/**
 * troupe_session_get_process_tree:
 * @process: a run of the session, or the run of one of its clusters' members
 *
 * The session watches each run and member run from its start, and keeps its
 * tree (with its history) after it ended.
 *
 * Returns: (transfer none) (nullable): the tree of @process, %NULL if it is
 *   not known (it never started, or is not the session's)
 */
TroupeProcessTree *
troupe_session_get_process_tree (TroupeSession *self,
                                 TroupeProcess *process)
{
  Watch *watch;

  g_return_val_if_fail (TROUPE_IS_SESSION (self), NULL);
  g_return_val_if_fail (TROUPE_IS_PROCESS (process), NULL);

  watch = g_hash_table_lookup (self->watches, process);
  return watch != NULL ? watch->tree : NULL;
}

/**
 * troupe_session_run:
 * @command: what to run
 * @error: (optional): why it did not start
 *
 * Starts @command and adds the run to the session, also when it fails to
 * start: a failed start is a run whose state says why.
 *
 * Returns: (transfer none): the run
 */
TroupeProcess *
troupe_session_run (TroupeSession  *self,
                    TroupeCommand  *command,
                    GError        **error)
{
  TroupeProcess *process;

  g_return_val_if_fail (TROUPE_IS_SESSION (self), NULL);
  g_return_val_if_fail (TROUPE_IS_COMMAND (command), NULL);

  process = troupe_process_new (command);
  g_ptr_array_add (self->processes, process);
  troupe_process_start (process, self->launcher, self->spool_dir, error);
  watch_process (self, process, NULL);
  g_list_model_items_changed (G_LIST_MODEL (self), self->processes->len - 1, 0, 1);
  maybe_prune (self);
  return process;
}

/* Starts the new run of a restart, once the old one's group is gone. */
static void
start_restarted (TroupeSession  *self,
                 PendingRestart *restart,
                 GError        **error)
{
  TroupeProcess *process = g_object_ref (restart->new_process);

  g_ptr_array_add (self->processes, process);
  troupe_process_start (process, self->launcher, self->spool_dir, error);
  watch_process (self, process, NULL);
  g_list_model_items_changed (G_LIST_MODEL (self), self->processes->len - 1, 0, 1);
  g_signal_emit (self, signals[PROCESS_RESTARTED], 0, restart->old_process, process,
                 restart->reason);
}

static void
on_restart_group_alive (TroupeProcess  *process,
                        GParamSpec     *pspec,
                        PendingRestart *restart)
{
  TroupeSession *self = restart->session;
  g_autoptr(TroupeSession) hold = NULL;

  if (troupe_process_is_group_alive (process))
    return;
  hold = g_object_ref (self);
  g_clear_signal_handler (&restart->handler, process);
  start_restarted (self, restart, NULL);
  g_ptr_array_remove_fast (self->restarts, restart);
}

/**
 * troupe_session_restart:
 * @process: a run of the session
 * @reason: (nullable): why, kept with @process and shown in its status
 * @error: (optional): why the new run did not start, when it starts at once
 *
 * Stops @process (its whole group, as a stop does), then starts a copy of
 * its command; #TroupeSession::process-restarted is emitted when the new run
 * has started. Both stay in the session.
 *
 * Returns: (transfer none): the new run, started once @process has ended
 */
TroupeProcess *
troupe_session_restart (TroupeSession  *self,
                        TroupeProcess  *process,
                        const char     *reason,
                        GError        **error)
{
  g_autoptr(TroupeCommand) command = NULL;
  PendingRestart *restart;

  g_return_val_if_fail (TROUPE_IS_SESSION (self), NULL);
  g_return_val_if_fail (TROUPE_IS_PROCESS (process), NULL);

  if (reason != NULL)
    _troupe_process_set_restart_reason (process, reason);
  command = troupe_command_copy (troupe_process_get_command (process));
  restart = g_new0 (PendingRestart, 1);
  restart->session = self;
  restart->old_process = g_object_ref (process);
  restart->new_process = troupe_process_new (command);
  restart->reason = g_strdup (reason);

  if (!troupe_process_is_group_alive (process))
    {
      TroupeProcess *new_process = restart->new_process;

      start_restarted (self, restart, error);
      pending_restart_free (restart);
      return new_process;
    }

  g_ptr_array_add (self->restarts, restart);
  restart->handler = g_signal_connect (process, "notify::group-alive",
                                       G_CALLBACK (on_restart_group_alive), restart);
  troupe_process_stop (process);
  return restart->new_process;
}

static void
on_departed (TroupeProcess *process,
             GParamSpec    *pspec,
             TroupeSession *self)
{
  if (troupe_process_is_group_alive (process))
    return;
  g_signal_handlers_disconnect_by_func (process, on_departed, self);
  g_ptr_array_remove (self->departing, process);
}

/**
 * troupe_session_remove:
 * @process: a run in this session
 *
 * Takes @process out of the list, and forgets its process tree. A run with
 * anything still alive in its group is stopped, and kept (out of sight) until
 * its group is gone, so that quitting still waits for it.
 */
void
troupe_session_remove (TroupeSession *self,
                       TroupeProcess *process)
{
  guint position;

  g_return_if_fail (TROUPE_IS_SESSION (self));
  g_return_if_fail (TROUPE_IS_PROCESS (process));

  if (!g_ptr_array_find (self->processes, process, &position))
    return;
  if (troupe_process_is_group_alive (process))
    {
      g_ptr_array_add (self->departing, g_object_ref (process));
      g_signal_connect_object (process, "notify::group-alive", G_CALLBACK (on_departed), self, 0);
      troupe_process_stop (process);
    }
  /* Its tree and history go with it: a removed run is not shown again. */
  g_hash_table_remove (self->watches, process);
  g_ptr_array_remove_index (self->processes, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

/**
 * troupe_session_add_cluster:
 * @cluster: a cluster, started or not
 *
 * Makes @cluster part of the session: it is listed, counted among the running
 * jobs, and stopped with everything else when the app quits.
 */
void
troupe_session_add_cluster (TroupeSession *self,
                            TroupeCluster *cluster)
{
  g_return_if_fail (TROUPE_IS_SESSION (self));
  g_return_if_fail (TROUPE_IS_CLUSTER (cluster));

  g_list_store_append (self->clusters, cluster);
  g_signal_connect_object (troupe_cluster_get_members (cluster), "items-changed",
                           G_CALLBACK (on_members_changed), self, 0);
  on_members_changed (troupe_cluster_get_members (cluster), 0, 0,
                      g_list_model_get_n_items (troupe_cluster_get_members (cluster)), self);
}

static gboolean
cluster_is_busy (TroupeCluster *cluster)
{
  return troupe_cluster_is_running (cluster) || troupe_cluster_is_alive (cluster);
}

static void
on_cluster_departed (TroupeCluster *cluster,
                     TroupeSession *self)
{
  g_signal_handlers_disconnect_by_func (cluster, on_cluster_departed, self);
  g_ptr_array_remove (self->departing_clusters, cluster);
}

/**
 * troupe_session_remove_cluster:
 * @cluster: a cluster in this session
 *
 * Takes @cluster out of the list; one still running is stopped, and kept
 * (out of sight) until its last member has ended, so that quitting waits for it.
 */
void
troupe_session_remove_cluster (TroupeSession *self,
                               TroupeCluster *cluster)
{
  guint position;

  g_return_if_fail (TROUPE_IS_SESSION (self));
  g_return_if_fail (TROUPE_IS_CLUSTER (cluster));

  if (!g_list_store_find (self->clusters, cluster, &position))
    return;
  if (cluster_is_busy (cluster))
    {
      g_ptr_array_add (self->departing_clusters, g_object_ref (cluster));
      g_signal_connect_object (cluster, "stopped", G_CALLBACK (on_cluster_departed), self, 0);
      troupe_cluster_stop (cluster);
    }
  g_list_store_remove (self->clusters, position);
}

/**
 * troupe_session_get_clusters:
 *
 * Returns: (transfer none): the session's clusters, as #TroupeCluster items
 */
GListModel *
troupe_session_get_clusters (TroupeSession *self)
{
  g_return_val_if_fail (TROUPE_IS_SESSION (self), NULL);
  return G_LIST_MODEL (self->clusters);
}

/**
 * troupe_session_count_alive:
 *
 * Returns: how many runs still have a live process group, and how many
 *   clusters still have a live member
 */
guint
troupe_session_count_alive (TroupeSession *self)
{
  guint alive = 0;

  g_return_val_if_fail (TROUPE_IS_SESSION (self), 0);

  for (guint i = 0; i < self->processes->len; i++)
    if (troupe_process_is_group_alive (g_ptr_array_index (self->processes, i)))
      alive++;
  for (guint i = 0; i < self->departing->len; i++)
    if (troupe_process_is_group_alive (g_ptr_array_index (self->departing, i)))
      alive++;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->clusters)); i++)
    {
      g_autoptr(TroupeCluster) cluster = g_list_model_get_item (G_LIST_MODEL (self->clusters), i);

      if (cluster_is_busy (cluster))
        alive++;
    }
  for (guint i = 0; i < self->departing_clusters->len; i++)
    if (cluster_is_busy (g_ptr_array_index (self->departing_clusters, i)))
      alive++;
  return alive;
}

typedef struct
{
  guint waiting;
} StopAll;

static void
on_process_settled (TroupeSession *self,
                    GTask         *task)
{
  StopAll *stop = g_task_get_task_data (task);

  g_assert (stop->waiting > 0);
  if (--stop->waiting == 0)
    {
      self->stopping_all = FALSE;
      g_task_return_boolean (task, TRUE);
    }
}

typedef struct
{
  GTask *task;
  gulong handler;
} GroupWait;

static void
on_group_alive_changed (TroupeProcess *process,
                        GParamSpec    *pspec,
                        gpointer       user_data)
{
  GroupWait *wait = user_data;
  g_autoptr(GTask) task = NULL;

  if (troupe_process_is_group_alive (process))
    return;

  task = g_steal_pointer (&wait->task);
  g_signal_handler_disconnect (process, wait->handler);
  on_process_settled (g_task_get_source_object (task), task);
}

static void
group_wait_free (gpointer  data,
                 GClosure *closure)
{
  GroupWait *wait = data;

  g_clear_object (&wait->task);
  g_free (wait);
}

static void
on_cluster_stopped (TroupeCluster *cluster,
                    gpointer       user_data)
{
  GroupWait *wait = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&wait->task);

  if (task == NULL)
    return;
  g_signal_handler_disconnect (cluster, wait->handler);
  on_process_settled (g_task_get_source_object (task), task);
}

/* A cluster counts as settled once its last member run has ended, after the
 * same SIGTERM, then SIGKILL, that a single run gets. */
static void
stop_cluster (TroupeCluster *cluster,
              GTask         *task)
{
  StopAll *stop = g_task_get_task_data (task);
  GroupWait *wait;

  if (!cluster_is_busy (cluster))
    return;
  wait = g_new0 (GroupWait, 1);
  wait->task = g_object_ref (task);
  wait->handler = g_signal_connect_data (cluster, "stopped", G_CALLBACK (on_cluster_stopped),
                                         wait, group_wait_free, 0);
  stop->waiting++;
  troupe_cluster_stop (cluster);
}

/**
 * troupe_session_stop_all_async:
 *
 * Stops every live run and every cluster (SIGTERM, then SIGKILL after each
 * command's stop timeout) and completes when every child has been reaped.
 */
void
troupe_session_stop_all_async (TroupeSession       *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) everyone = NULL;
  StopAll *stop;

  g_return_if_fail (TROUPE_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, troupe_session_stop_all_async);
  stop = g_new0 (StopAll, 1);
  g_task_set_task_data (task, stop, g_free);

  /* Runs waiting to be restarted are stopped with the rest, for good. */
  self->stopping_all = TRUE;
  g_ptr_array_set_size (self->restarts, 0);

  /* Hold one count ourselves so that runs ending synchronously cannot finish early. */
  stop->waiting = 1;
  everyone = g_ptr_array_new ();
  g_ptr_array_extend (everyone, self->processes, NULL, NULL);
  g_ptr_array_extend (everyone, self->departing, NULL, NULL);
  for (guint i = 0; i < everyone->len; i++)
    {
      TroupeProcess *process = g_ptr_array_index (everyone, i);
      GroupWait *wait;

      if (!troupe_process_is_group_alive (process))
        continue;

      wait = g_new0 (GroupWait, 1);
      /* Wait for the whole group, not just the leader: a grandchild that ignored
       * SIGTERM is only gone once the SIGKILL after the timeout has ended it. */
      wait->task = g_object_ref (task);
      wait->handler = g_signal_connect_data (process, "notify::group-alive",
                                             G_CALLBACK (on_group_alive_changed), wait,
                                             group_wait_free, 0);
      stop->waiting++;
      troupe_process_stop (process);
    }
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->clusters)); i++)
    {
      g_autoptr(TroupeCluster) cluster = g_list_model_get_item (G_LIST_MODEL (self->clusters), i);

      stop_cluster (cluster, task);
    }
  for (guint i = 0; i < self->departing_clusters->len; i++)
    stop_cluster (g_ptr_array_index (self->departing_clusters, i), task);
  on_process_settled (self, task);
}

gboolean
troupe_session_stop_all_finish (TroupeSession  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (TROUPE_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        troupe_session_stop_all_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_stop_all_done (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  gboolean *done = user_data;

  troupe_session_stop_all_finish (TROUPE_SESSION (object), result, NULL);
  *done = TRUE;
}

/**
 * troupe_session_stop_all_sync:
 *
 * Stops every live run and iterates the thread-default main context until
 * all are gone, and any cleanup of old logs has finished; for quitting.
 */
void
troupe_session_stop_all_sync (TroupeSession *self)
{
  gboolean done = FALSE;

  g_return_if_fail (TROUPE_IS_SESSION (self));

  troupe_session_stop_all_async (self, NULL, on_stop_all_done, &done);
  while (!done || self->pruning)
    g_main_context_iteration (NULL, TRUE);
  /* Output still on its way to the spool files gets there before we go. */
  for (guint i = 0; i < self->processes->len; i++)
    {
      TroupeLog *log = troupe_process_get_log (g_ptr_array_index (self->processes, i));

      if (log != NULL)
        troupe_log_wait_saved (log);
    }
  troupe_spool_wait_all ();
}
