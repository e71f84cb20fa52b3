/* troupe-process-tree.c: one watched job: its process and all descendants
 *
 * A job's process forks workers, build steps, shells; those fork again. The
 * tree follows them by parent pid: every sample, whatever is reachable from
 * the root through parent links is in the tree, and whatever was in it and is
 * not any more has left — it ended, or it was orphaned or daemonized away
 * (its parent chain no longer reaches the root), which is said, since a
 * daemon that escaped a job is something its user wants to know about.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "troupe-monitor-private.h"
#include "troupe-process-tree.h"

struct _TroupeProcessTree
{
  GObject            parent_instance;

  GPid               pid;
  TroupeProcessInfo *root;
  GListStore        *roots;
  /* pid → TroupeProcessInfo, everything in the tree now, the root included. */
  GHashTable        *members;
  TroupeSampleRing  *totals;
  gboolean           root_seen;
  gboolean           ended;
};

enum
{
  PROP_0,
  PROP_N_PROCESSES,
  PROP_ENDED,
  N_PROPS
};

enum
{
  UPDATED,
  PROCESS_LEFT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TroupeProcessTree, troupe_process_tree, G_TYPE_OBJECT)

static void
troupe_process_tree_dispose (GObject *object)
{
  TroupeProcessTree *self = (TroupeProcessTree *) object;

  if (self->members != NULL)
    g_hash_table_remove_all (self->members);
  g_clear_object (&self->roots);
  g_clear_object (&self->root);

  G_OBJECT_CLASS (troupe_process_tree_parent_class)->dispose (object);
}

static void
troupe_process_tree_finalize (GObject *object)
{
  TroupeProcessTree *self = (TroupeProcessTree *) object;

  g_clear_pointer (&self->members, g_hash_table_unref);
  g_clear_pointer (&self->totals, troupe_sample_ring_unref);

  G_OBJECT_CLASS (troupe_process_tree_parent_class)->finalize (object);
}

static void
troupe_process_tree_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TroupeProcessTree *self = TROUPE_PROCESS_TREE (object);

  switch (prop_id)
    {
    case PROP_N_PROCESSES:
      g_value_set_uint (value, troupe_process_tree_get_n_processes (self));
      break;
    case PROP_ENDED:
      g_value_set_boolean (value, self->ended);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
troupe_process_tree_class_init (TroupeProcessTreeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = troupe_process_tree_dispose;
  object_class->finalize = troupe_process_tree_finalize;
  object_class->get_property = troupe_process_tree_get_property;

  properties[PROP_N_PROCESSES] =
    g_param_spec_uint ("n-processes", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENDED] =
    g_param_spec_boolean ("ended", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TroupeProcessTree::updated:
   *
   * A sample batch has been applied to the tree's processes.
   */
  signals[UPDATED] =
    g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * TroupeProcessTree::process-left:
   * @info: the process, no longer in the tree
   * @reparented: %TRUE if it still runs but no longer descends from the root
   *   (it daemonized, or its parent ended): it is no longer followed
   *
   * A descendant of the root left the tree.
   */
  signals[PROCESS_LEFT] =
    g_signal_new ("process-left", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  TROUPE_TYPE_PROCESS_INFO, G_TYPE_BOOLEAN);
}

static void
troupe_process_tree_init (TroupeProcessTree *self)
{
  self->roots = g_list_store_new (TROUPE_TYPE_PROCESS_INFO);
  self->members = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->totals = troupe_sample_ring_new (TROUPE_SAMPLE_RING_DEFAULT_CAPACITY);
}

TroupeProcessTree *
_troupe_process_tree_new (GPid pid)
{
  TroupeProcessTree *self = g_object_new (TROUPE_TYPE_PROCESS_TREE, NULL);

  self->pid = pid;
  self->root = _troupe_process_info_new_unknown (pid);
  g_list_store_append (self->roots, self->root);
  g_hash_table_insert (self->members, GINT_TO_POINTER (pid), g_object_ref (self->root));
  return self;
}

GPid
_troupe_process_tree_get_pid (TroupeProcessTree *self)
{
  return self->pid;
}

/* Adds to @pids those of the tree's processes whose threads are wanted. */
void
_troupe_process_tree_want_threads (TroupeProcessTree *self,
                                   GHashTable        *pids)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->members);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (troupe_process_info_get_sample_threads (value))
      g_hash_table_add (pids, key);
}

static gboolean
is_alive_as (const TroupeSampleBatch *batch,
             TroupeProcessInfo       *info)
{
  guint64 start_ticks = (guint64) GPOINTER_TO_SIZE (
    g_hash_table_lookup (batch->alive, GINT_TO_POINTER (troupe_process_info_get_pid (info))));

  return start_ticks != 0 && start_ticks - 1 == _troupe_process_info_get_start_ticks (info);
}

/* Takes @info out of the tree; it is reported once the batch is applied. */
static void
remove_member (TroupeProcessTree *self,
               TroupeProcessInfo *info,
               gboolean           reparented,
               GPtrArray         *left)
{
  GPid pid = troupe_process_info_get_pid (info);
  TroupeProcessInfo *parent =
    g_hash_table_lookup (self->members, GINT_TO_POINTER (troupe_process_info_get_parent_pid (info)));

  /* The parent pid is the one at the last sample, when it was in the tree. */
  if (parent != NULL)
    _troupe_process_info_remove_child (parent, info);
  _troupe_process_info_set_gone (info);
  g_ptr_array_add (left, g_object_ref (info));
  g_ptr_array_add (left, GINT_TO_POINTER (reparented));
  g_hash_table_remove (self->members, GINT_TO_POINTER (pid));
}

static void
end_tree (TroupeProcessTree       *self,
          const TroupeSampleBatch *batch,
          GPtrArray               *left)
{
  GHashTableIter iter;
  gpointer value;
  g_autoptr(GPtrArray) descendants = g_ptr_array_new_with_free_func (g_object_unref);

  g_hash_table_iter_init (&iter, self->members);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value != self->root)
      g_ptr_array_add (descendants, g_object_ref (value));
  /* Whatever outlives the root has been orphaned: it runs on, out of the job. */
  for (guint i = 0; i < descendants->len; i++)
    {
      TroupeProcessInfo *info = g_ptr_array_index (descendants, i);

      remove_member (self, info, is_alive_as (batch, info), left);
    }
  _troupe_process_info_set_gone (self->root);
  g_hash_table_remove_all (self->members);
  self->ended = TRUE;
}

/* Walks the batch's tree from the root, parents before children, updating,
 * adding and moving processes; marks each one reached in @reached. */
static void
apply_members (TroupeProcessTree       *self,
               const TroupeSampleBatch *batch,
               GHashTable              *reached,
               GPtrArray               *left,
               TroupeSample            *totals)
{
  g_autoptr(GQueue) queue = g_queue_new ();

  g_queue_push_tail (queue, GINT_TO_POINTER (self->pid));
  while (!g_queue_is_empty (queue))
    {
      GPid pid = GPOINTER_TO_INT (g_queue_pop_head (queue));
      const TroupeProcSample *sample = g_hash_table_lookup (batch->samples, GINT_TO_POINTER (pid));
      TroupeProcessInfo *info = g_hash_table_lookup (self->members, GINT_TO_POINTER (pid));
      GArray *children;

      if (sample == NULL || g_hash_table_contains (reached, GINT_TO_POINTER (pid)))
        continue;

      if (info != NULL && info != self->root &&
          _troupe_process_info_get_start_ticks (info) != sample->stat.start_ticks)
        {
          /* The pid was freed and given to a new process. */
          remove_member (self, info, FALSE, left);
          info = NULL;
        }
      if (info == NULL)
        {
          TroupeProcessInfo *parent =
            g_hash_table_lookup (self->members, GINT_TO_POINTER (sample->stat.parent_pid));

          info = _troupe_process_info_new (&sample->stat, FALSE, batch->boot_time,
                                           batch->clock_ticks);
          g_hash_table_insert (self->members, GINT_TO_POINTER (pid), info);
          if (parent != NULL)
            _troupe_process_info_add_child (parent, info);
        }
      else if (info != self->root &&
               troupe_process_info_get_parent_pid (info) != sample->stat.parent_pid)
        {
          /* Its parent ended and a subreaper inside the tree took it in. */
          TroupeProcessInfo *old_parent = g_hash_table_lookup (
            self->members, GINT_TO_POINTER (troupe_process_info_get_parent_pid (info)));
          TroupeProcessInfo *new_parent =
            g_hash_table_lookup (self->members, GINT_TO_POINTER (sample->stat.parent_pid));

          if (old_parent != NULL)
            _troupe_process_info_remove_child (old_parent, info);
          if (new_parent != NULL)
            _troupe_process_info_add_child (new_parent, info);
        }

      g_hash_table_add (reached, GINT_TO_POINTER (pid));
      _troupe_process_info_apply (info, sample, batch->time, batch->clock_ticks);
      totals->cpu += troupe_process_info_get_cpu (info);
      totals->rss += troupe_process_info_get_rss (info);

      children = g_hash_table_lookup (batch->children, GINT_TO_POINTER (pid));
      for (guint i = 0; children != NULL && i < children->len; i++)
        g_queue_push_tail (queue, GINT_TO_POINTER (g_array_index (children, GPid, i)));
    }
}

/* Applies one batch on the main thread: updates, adds and removes processes,
 * then tells about those that left and that the tree was updated. */
void
_troupe_process_tree_apply (TroupeProcessTree       *self,
                            const TroupeSampleBatch *batch)
{
  g_autoptr(GPtrArray) left = g_ptr_array_new ();
  g_autoptr(GHashTable) reached = NULL;
  const TroupeProcSample *root_sample;
  guint n_before = troupe_process_tree_get_n_processes (self);
  gboolean was_ended = self->ended;
  TroupeSample totals = { batch->time, 0, 0 };

  if (self->ended)
    return;

  g_object_ref (self);
  root_sample = g_hash_table_lookup (batch->samples, GINT_TO_POINTER (self->pid));
  /* A zombie root has ended, though its pid is not yet free. */
  if (root_sample == NULL || root_sample->stat.state == 'Z' || root_sample->stat.state == 'X' ||
      (self->root_seen &&
       root_sample->stat.start_ticks != _troupe_process_info_get_start_ticks (self->root)))
    {
      end_tree (self, batch, left);
    }
  else
    {
      GHashTableIter iter;
      gpointer value;
      g_autoptr(GPtrArray) gone = g_ptr_array_new ();

      if (!self->root_seen)
        {
          _troupe_process_info_set_identity (self->root, &root_sample->stat, batch->boot_time,
                                             batch->clock_ticks);
          self->root_seen = TRUE;
        }
      reached = g_hash_table_new (NULL, NULL);
      apply_members (self, batch, reached, left, &totals);

      g_hash_table_iter_init (&iter, self->members);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (!g_hash_table_contains (reached,
                                    GINT_TO_POINTER (troupe_process_info_get_pid (value))))
          g_ptr_array_add (gone, value);
      for (guint i = 0; i < gone->len; i++)
        {
          TroupeProcessInfo *info = g_ptr_array_index (gone, i);

          remove_member (self, info, is_alive_as (batch, info), left);
        }
      troupe_sample_ring_push (self->totals, &totals);
    }

  for (guint i = 0; i < left->len; i += 2)
    {
      g_autoptr(TroupeProcessInfo) info = g_ptr_array_index (left, i);

      g_signal_emit (self, signals[PROCESS_LEFT], 0, info,
                     GPOINTER_TO_INT (g_ptr_array_index (left, i + 1)));
    }
  if (troupe_process_tree_get_n_processes (self) != n_before)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PROCESSES]);
  if (self->ended != was_ended)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDED]);
  g_signal_emit (self, signals[UPDATED], 0);
  g_object_unref (self);
}

/**
 * troupe_process_tree_get_root:
 *
 * Returns: (transfer none): the job's own process, the one Troupe started;
 *   its state is "gone" once it has ended
 */
TroupeProcessInfo *
troupe_process_tree_get_root (TroupeProcessTree *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS_TREE (self), NULL);
  return self->root;
}

/**
 * troupe_process_tree_get_roots:
 *
 * Returns: (transfer none): a list holding only the root, for a
 *   #GtkTreeListModel whose children are each process's children
 */
GListModel *
troupe_process_tree_get_roots (TroupeProcessTree *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS_TREE (self), NULL);
  return G_LIST_MODEL (self->roots);
}

/**
 * troupe_process_tree_find:
 *
 * Returns: (transfer none) (nullable): the process in the tree with @pid now
 */
TroupeProcessInfo *
troupe_process_tree_find (TroupeProcessTree *self,
                          GPid               pid)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS_TREE (self), NULL);
  return g_hash_table_lookup (self->members, GINT_TO_POINTER (pid));
}

/**
 * troupe_process_tree_get_n_processes:
 *
 * Returns: how many processes the tree holds now, the root included; 0 once
 *   the root has ended
 */
guint
troupe_process_tree_get_n_processes (TroupeProcessTree *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS_TREE (self), 0);

  if (!self->root_seen)
    return 0;
  return g_hash_table_size (self->members);
}

/**
 * troupe_process_tree_get_totals:
 *
 * Returns: (transfer none): per sample, the CPU and memory of the whole tree
 */
TroupeSampleRing *
troupe_process_tree_get_totals (TroupeProcessTree *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS_TREE (self), NULL);
  return self->totals;
}

/**
 * troupe_process_tree_has_ended:
 *
 * Returns: %TRUE once the root has ended: the tree is sampled no more
 */
gboolean
troupe_process_tree_has_ended (TroupeProcessTree *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS_TREE (self), FALSE);
  return self->ended;
}
