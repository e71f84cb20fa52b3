/* troupe-sampler.c: samples every watched process tree from /proc on a worker thread
 *
 * One pass reads the stat line of every process on the machine (that is the
 * only way to learn parent pids, so the only way to find a job's
 * descendants), then the extra files (command line, PSS, fds, threads) of
 * the processes in watched trees only. That is hundreds of small reads, so it
 * runs on a GThreadPool worker, one pass at a time: a pass that takes longer
 * than the interval delays the next instead of piling up. The worker hands
 * back one read-only batch, and the main thread applies it to every tree at
 * once, so that models change once per interval.
 *
 * Most processes in a tree sleep. One that has not run since the last pass
 * (same CPU ticks, same resident memory, same name) cannot have changed its
 * command line or its open files, so its extra files are read again only
 * every REFRESH_PASSES passes: an idle tree costs one stat line per process.
 *
 * No timer runs while nothing is watched.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <unistd.h>

#include "troupe-monitor-private.h"
#include "troupe-sampler.h"

typedef struct _SampleJob SampleJob;

/* What a pass read of a process's extra files, reused while it stays idle. */
typedef struct
{
  guint64  start_ticks;
  guint64  cpu_ticks;
  guint64  rss;
  char     name[64];
  char    *command_line;
  gint64   pss;
  int      n_fds;
  guint    age;
} CachedExtras;

/* An idle process's extras are read again after this many passes anyway: a
 * process can run for less than a clock tick and not be charged for it. */
#define REFRESH_PASSES 10

struct _TroupeSampler
{
  GObject           parent_instance;

  guint             interval_ms;
  /* The trees sampled, until their root ends or they are unwatched. */
  GPtrArray        *trees;
  GThreadPool      *pool;
  TroupeProcReader *reader;
  /* pid → CachedExtras; only the worker touches it, one pass at a time. */
  GHashTable       *extras;
  GMainContext     *context;
  guint             timeout_id;
  guint             soon_id;
  /* The pass on the worker, until its batch has been applied. */
  SampleJob        *job;
  gboolean          again;
};

struct _SampleJob
{
  GWeakRef           sampler;
  TroupeProcReader  *reader;
  GHashTable        *extras;
  GMainContext      *context;
  /* Read by the worker only; the trees themselves stay on the main thread. */
  GArray            *root_pids;
  GHashTable        *thread_pids;
  GPtrArray         *trees;
  TroupeSampleBatch *batch;
  GSource           *source;
};

enum
{
  PROP_0,
  PROP_INTERVAL,
  N_PROPS
};

enum
{
  SAMPLED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TroupeSampler, troupe_sampler, G_TYPE_OBJECT)

static void
proc_sample_free (gpointer data)
{
  TroupeProcSample *sample = data;

  g_free (sample->command_line);
  g_clear_pointer (&sample->threads, g_array_unref);
  g_free (sample);
}

static void
sample_batch_free (TroupeSampleBatch *batch)
{
  g_clear_pointer (&batch->alive, g_hash_table_unref);
  g_clear_pointer (&batch->samples, g_hash_table_unref);
  g_clear_pointer (&batch->children, g_hash_table_unref);
  g_free (batch);
}

static void
sample_job_free (gpointer data)
{
  SampleJob *job = data;

  g_weak_ref_clear (&job->sampler);
  g_main_context_unref (job->context);
  g_array_unref (job->root_pids);
  g_hash_table_unref (job->thread_pids);
  g_ptr_array_unref (job->trees);
  g_clear_pointer (&job->batch, sample_batch_free);
  g_free (job);
}

static void
cached_extras_free (gpointer data)
{
  CachedExtras *cached = data;

  g_free (cached->command_line);
  g_free (cached);
}

/* The extras of a process that has not run since they were read. */
static CachedExtras *
find_idle_extras (GHashTable           *extras,
                  const TroupeProcStat *stat)
{
  CachedExtras *cached = g_hash_table_lookup (extras, GINT_TO_POINTER (stat->pid));

  if (cached == NULL || cached->start_ticks != stat->start_ticks ||
      cached->cpu_ticks != stat->cpu_ticks || cached->rss != stat->rss ||
      strcmp (cached->name, stat->name) != 0 || cached->age >= REFRESH_PASSES)
    return NULL;
  return cached;
}

static TroupeProcSample *
read_member (TroupeProcReader     *reader,
             GHashTable           *extras,
             const TroupeProcStat *stat,
             gboolean              want_threads)
{
  TroupeProcSample *sample = g_new0 (TroupeProcSample, 1);
  CachedExtras *cached;

  sample->stat = *stat;
  /* A zombie has no memory, files or arguments left to read. */
  if (stat->state == 'Z' || stat->state == 'X')
    {
      sample->pss = -1;
      sample->n_fds = -1;
      return sample;
    }
  cached = find_idle_extras (extras, stat);
  if (cached != NULL)
    {
      cached->age++;
      sample->command_line = g_strdup (cached->command_line);
      sample->pss = cached->pss;
      sample->n_fds = cached->n_fds;
    }
  else
    {
      sample->command_line = troupe_proc_reader_read_command_line (reader, stat->pid);
      sample->pss = troupe_proc_reader_read_pss (reader, stat->pid);
      sample->n_fds = troupe_proc_reader_count_fds (reader, stat->pid);

      cached = g_new0 (CachedExtras, 1);
      cached->start_ticks = stat->start_ticks;
      cached->cpu_ticks = stat->cpu_ticks;
      cached->rss = stat->rss;
      g_strlcpy (cached->name, stat->name, sizeof cached->name);
      cached->command_line = g_strdup (sample->command_line);
      cached->pss = sample->pss;
      cached->n_fds = sample->n_fds;
      g_hash_table_replace (extras, GINT_TO_POINTER (stat->pid), cached);
    }
  if (want_threads)
    {
      g_autoptr(GArray) tids = troupe_proc_reader_list_threads (reader, stat->pid);

      sample->threads = g_array_sized_new (FALSE, FALSE, sizeof (TroupeProcStat), tids->len);
      for (guint i = 0; i < tids->len; i++)
        {
          TroupeProcStat thread;

          if (troupe_proc_reader_read_thread_stat (reader, stat->pid,
                                                   g_array_index (tids, GPid, i), &thread))
            g_array_append_val (sample->threads, thread);
        }
    }
  return sample;
}

/* The worker's whole pass: every stat line, then the watched trees' members. */
static TroupeSampleBatch *
read_batch (TroupeProcReader *reader,
            GHashTable       *extras,
            GArray           *root_pids,
            GHashTable       *thread_pids)
{
  TroupeSampleBatch *batch = g_new0 (TroupeSampleBatch, 1);
  g_autoptr(GArray) pids = NULL;
  g_autoptr(GArray) stats = NULL;
  g_autoptr(GHashTable) by_pid = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) all_children =
    g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  g_autoptr(GQueue) queue = g_queue_new ();

  batch->time = g_get_monotonic_time ();
  batch->boot_time = troupe_proc_reader_get_boot_time (reader);
  batch->clock_ticks = troupe_proc_reader_get_clock_ticks (reader);
  batch->alive = g_hash_table_new (NULL, NULL);
  batch->samples = g_hash_table_new_full (NULL, NULL, NULL, proc_sample_free);
  batch->children = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);

  pids = troupe_proc_reader_list_pids (reader);
  stats = g_array_sized_new (FALSE, FALSE, sizeof (TroupeProcStat), pids->len);
  for (guint i = 0; i < pids->len; i++)
    {
      TroupeProcStat stat;

      /* Gone since the listing, or unreadable: as if it had not been listed. */
      if (troupe_proc_reader_read_stat (reader, g_array_index (pids, GPid, i), &stat))
        g_array_append_val (stats, stat);
    }

  for (guint i = 0; i < stats->len; i++)
    {
      const TroupeProcStat *stat = &g_array_index (stats, TroupeProcStat, i);
      GArray *siblings;

      g_hash_table_insert (by_pid, GINT_TO_POINTER (stat->pid), (gpointer) stat);
      g_hash_table_insert (batch->alive, GINT_TO_POINTER (stat->pid),
                           GSIZE_TO_POINTER ((gsize) stat->start_ticks + 1));
      siblings = g_hash_table_lookup (all_children, GINT_TO_POINTER (stat->parent_pid));
      if (siblings == NULL)
        {
          siblings = g_array_new (FALSE, FALSE, sizeof (GPid));
          g_hash_table_insert (all_children, GINT_TO_POINTER (stat->parent_pid), siblings);
        }
      g_array_append_val (siblings, stat->pid);
    }

  for (guint i = 0; i < root_pids->len; i++)
    g_queue_push_tail (queue, GINT_TO_POINTER (g_array_index (root_pids, GPid, i)));
  while (!g_queue_is_empty (queue))
    {
      gpointer pid = g_queue_pop_head (queue);
      const TroupeProcStat *stat = g_hash_table_lookup (by_pid, pid);
      GArray *children;

      if (stat == NULL || g_hash_table_contains (batch->samples, pid))
        continue;
      g_hash_table_insert (batch->samples, pid,
                           read_member (reader, extras, stat,
                                        g_hash_table_contains (thread_pids, pid)));
      if (!g_hash_table_steal_extended (all_children, pid, NULL, (gpointer *) &children))
        continue;
      g_hash_table_insert (batch->children, pid, children);
      for (guint j = 0; j < children->len; j++)
        g_queue_push_tail (queue, GINT_TO_POINTER (g_array_index (children, GPid, j)));
    }

  /* Forget the extras of processes no longer followed. */
  {
    GHashTableIter iter;
    gpointer pid;

    g_hash_table_iter_init (&iter, extras);
    while (g_hash_table_iter_next (&iter, &pid, NULL))
      if (!g_hash_table_contains (batch->samples, pid))
        g_hash_table_iter_remove (&iter);
  }
  return batch;
}

static gboolean deliver_batch (gpointer data);

static void
run_job (gpointer data,
         gpointer pool_data)
{
  SampleJob *job = data;
  GSource *source;

  job->batch = read_batch (job->reader, job->extras, job->root_pids, job->thread_pids);

  /* From here on the main thread owns the job: once attached, it may be
   * delivered and freed at any moment. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (source, "[troupe] sample batch");
  g_source_set_callback (source, deliver_batch, job, sample_job_free);
  job->source = source;
  g_source_attach (source, job->context);
  g_source_unref (source);
}

static void start_job (TroupeSampler *self);
static void update_timer (TroupeSampler *self);

static gboolean
deliver_batch (gpointer data)
{
  SampleJob *job = data;
  g_autoptr(TroupeSampler) self = g_weak_ref_get (&job->sampler);

  if (self == NULL)
    return G_SOURCE_REMOVE;
  self->job = NULL;

  for (guint i = 0; i < job->trees->len; i++)
    {
      TroupeProcessTree *tree = g_ptr_array_index (job->trees, i);

      /* Unwatched while the pass ran: nobody wants its news. */
      if (!g_ptr_array_find (self->trees, tree, NULL))
        continue;
      _troupe_process_tree_apply (tree, job->batch);
      if (troupe_process_tree_has_ended (tree))
        g_ptr_array_remove (self->trees, tree);
    }
  g_signal_emit (self, signals[SAMPLED], 0);

  if (self->again)
    {
      self->again = FALSE;
      start_job (self);
    }
  update_timer (self);
  return G_SOURCE_REMOVE;
}

static void
start_job (TroupeSampler *self)
{
  SampleJob *job;

  if (self->job != NULL)
    {
      self->again = TRUE;
      return;
    }
  if (self->trees->len == 0)
    return;

  job = g_new0 (SampleJob, 1);
  g_weak_ref_init (&job->sampler, self);
  job->reader = self->reader;
  job->extras = self->extras;
  job->context = g_main_context_ref (self->context);
  job->root_pids = g_array_sized_new (FALSE, FALSE, sizeof (GPid), self->trees->len);
  job->thread_pids = g_hash_table_new (NULL, NULL);
  job->trees = g_ptr_array_new_full (self->trees->len, g_object_unref);
  for (guint i = 0; i < self->trees->len; i++)
    {
      TroupeProcessTree *tree = g_ptr_array_index (self->trees, i);
      GPid pid = _troupe_process_tree_get_pid (tree);

      g_array_append_val (job->root_pids, pid);
      _troupe_process_tree_want_threads (tree, job->thread_pids);
      g_ptr_array_add (job->trees, g_object_ref (tree));
    }
  self->job = job;
  g_thread_pool_push (self->pool, job, NULL);
}

static gboolean
on_tick (gpointer user_data)
{
  TroupeSampler *self = user_data;

  /* A pass still running when the next is due simply makes the next one late. */
  if (self->job == NULL)
    start_job (self);
  return G_SOURCE_CONTINUE;
}

static void
update_timer (TroupeSampler *self)
{
  if (self->trees->len == 0)
    {
      g_clear_handle_id (&self->timeout_id, g_source_remove);
      return;
    }
  if (self->timeout_id == 0)
    self->timeout_id = g_timeout_add_full (G_PRIORITY_DEFAULT, self->interval_ms, on_tick,
                                           self, NULL);
}

static void
troupe_sampler_dispose (GObject *object)
{
  TroupeSampler *self = (TroupeSampler *) object;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->soon_id, g_source_remove);
  if (self->pool != NULL)
    {
      /* Waits for a pass under way: it reads with our reader. */
      g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
    }
  /* A batch read but not yet delivered is dropped with its source. */
  if (self->job != NULL)
    g_source_destroy (g_steal_pointer (&self->job)->source);
  if (self->trees != NULL)
    g_ptr_array_set_size (self->trees, 0);

  G_OBJECT_CLASS (troupe_sampler_parent_class)->dispose (object);
}

static void
troupe_sampler_finalize (GObject *object)
{
  TroupeSampler *self = (TroupeSampler *) object;

  g_clear_pointer (&self->trees, g_ptr_array_unref);
  g_clear_pointer (&self->reader, troupe_proc_reader_free);
  g_clear_pointer (&self->extras, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (troupe_sampler_parent_class)->finalize (object);
}

static void
troupe_sampler_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TroupeSampler *self = TROUPE_SAMPLER (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
troupe_sampler_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TroupeSampler *self = TROUPE_SAMPLER (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      troupe_sampler_set_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
troupe_sampler_class_init (TroupeSamplerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = troupe_sampler_dispose;
  object_class->finalize = troupe_sampler_finalize;
  object_class->get_property = troupe_sampler_get_property;
  object_class->set_property = troupe_sampler_set_property;

  /**
   * TroupeSampler:interval:
   *
   * Milliseconds between two passes over /proc.
   */
  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 10, G_MAXUINT, TROUPE_SAMPLER_DEFAULT_INTERVAL_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TroupeSampler::sampled:
   *
   * A pass has been applied to every watched tree (after each tree's
   * #TroupeProcessTree::updated).
   */
  signals[SAMPLED] =
    g_signal_new ("sampled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
troupe_sampler_init (TroupeSampler *self)
{
  self->interval_ms = TROUPE_SAMPLER_DEFAULT_INTERVAL_MS;
  self->trees = g_ptr_array_new_with_free_func (g_object_unref);
  self->reader = troupe_proc_reader_new (NULL);
  self->extras = g_hash_table_new_full (NULL, NULL, NULL, cached_extras_free);
  self->context = g_main_context_ref_thread_default ();
  /* One thread: passes never overlap, and each reuses the reader. */
  self->pool = g_thread_pool_new (run_job, NULL, 1, FALSE, NULL);
}

/**
 * troupe_sampler_new:
 *
 * Returns: (transfer full): a sampler watching nothing, delivering to the
 *   thread-default main context
 */
TroupeSampler *
troupe_sampler_new (void)
{
  return g_object_new (TROUPE_TYPE_SAMPLER, NULL);
}

/* A sampler reading another folder than /proc: a test's fake one. */
TroupeSampler *
_troupe_sampler_new_for_root (const char *proc_root)
{
  TroupeSampler *self = g_object_new (TROUPE_TYPE_SAMPLER, NULL);

  troupe_proc_reader_free (self->reader);
  self->reader = troupe_proc_reader_new (proc_root);
  return self;
}

/**
 * troupe_sampler_set_interval:
 * @interval_ms: milliseconds between passes
 *
 * Sets how often trees are sampled; the next pass is due one new interval
 * from now.
 */
void
troupe_sampler_set_interval (TroupeSampler *self,
                             guint          interval_ms)
{
  g_return_if_fail (TROUPE_IS_SAMPLER (self));

  interval_ms = MAX (interval_ms, 10);
  if (self->interval_ms == interval_ms)
    return;
  self->interval_ms = interval_ms;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  update_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

guint
troupe_sampler_get_interval (TroupeSampler *self)
{
  g_return_val_if_fail (TROUPE_IS_SAMPLER (self), 0);
  return self->interval_ms;
}

/**
 * troupe_sampler_watch:
 * @pid: a running process
 *
 * Starts sampling @pid and its descendants from the next regular pass on
 * (troupe_sampler_sample_now() for one sooner); the tree stops being
 * sampled when @pid ends.
 *
 * Returns: (transfer full): the tree of @pid
 */
TroupeProcessTree *
troupe_sampler_watch (TroupeSampler *self,
                      GPid           pid)
{
  TroupeProcessTree *tree;

  g_return_val_if_fail (TROUPE_IS_SAMPLER (self), NULL);
  g_return_val_if_fail (pid > 0, NULL);

  tree = _troupe_process_tree_new (pid);
  g_ptr_array_add (self->trees, g_object_ref (tree));
  /* Not a pass of its own: a burst of short runs costs one pass a second. */
  update_timer (self);
  return tree;
}

/**
 * troupe_sampler_unwatch:
 *
 * Stops sampling @tree; it keeps what it holds.
 */
void
troupe_sampler_unwatch (TroupeSampler     *self,
                        TroupeProcessTree *tree)
{
  g_return_if_fail (TROUPE_IS_SAMPLER (self));
  g_return_if_fail (TROUPE_IS_PROCESS_TREE (tree));

  g_ptr_array_remove (self->trees, tree);
  update_timer (self);
}

/**
 * troupe_sampler_get_n_watched:
 *
 * Returns: how many trees are sampled (watched, and their root still running)
 */
guint
troupe_sampler_get_n_watched (TroupeSampler *self)
{
  g_return_val_if_fail (TROUPE_IS_SAMPLER (self), 0);
  return self->trees->len;
}

static gboolean
on_soon (gpointer user_data)
{
  TroupeSampler *self = user_data;

  self->soon_id = 0;
  start_job (self);
  return G_SOURCE_REMOVE;
}

/**
 * troupe_sampler_sample_now:
 *
 * Asks for one extra pass soon, besides the regular ones (or right after
 * the one under way); #TroupeSampler::sampled tells when it was applied.
 */
void
troupe_sampler_sample_now (TroupeSampler *self)
{
  g_return_if_fail (TROUPE_IS_SAMPLER (self));

  /* From an idle, so that several watches made together share one pass. */
  if (self->soon_id == 0)
    self->soon_id = g_idle_add_full (G_PRIORITY_DEFAULT, on_soon, self, NULL);
}

/**
 * troupe_sampler_is_supported:
 * @error: (optional): why processes cannot be sampled here
 *
 * Returns: %FALSE where /proc cannot show the processes Troupe starts (no
 *   /proc, or inside a Flatpak sandbox, where commands run on the host)
 */
gboolean
troupe_sampler_is_supported (GError **error)
{
  g_autoptr(TroupeProcReader) reader = troupe_proc_reader_new (NULL);
  TroupeProcStat stat;

  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Processes run on the host cannot be watched from inside the "
                             "Flatpak sandbox"));
      return FALSE;
    }
  if (!troupe_proc_reader_read_stat (reader, getpid (), &stat))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Processes cannot be watched: /proc cannot be read"));
      return FALSE;
    }
  return TRUE;
}
