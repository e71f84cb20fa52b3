/* troupe-process-info.c: one process seen in /proc, updated in place every sample
 *
 * The object for a process lives as long as the process (a pid and its start
 * time name it), and is updated in place, so that a list row or a graph bound
 * to it follows it without being rebuilt. Properties notify only when their
 * value changes, so a row of a sleeping process costs nothing per sample.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "troupe-enums.h"
#include "troupe-monitor-private.h"
#include "troupe-process-info.h"
#include "troupe-signal-names.h"

struct _TroupeProcessInfo
{
  GObject           parent_instance;

  GPid              pid;
  GPid              parent_pid;
  guint64           start_ticks;
  char             *name;
  char             *command_line;
  TroupeRunState    run_state;
  double            cpu;
  guint64           rss;
  gint64            pss;
  guint             n_threads;
  int               n_fds;
  GDateTime        *started_at;
  gboolean          is_root;
  gboolean          sample_threads;

  guint64           last_ticks;
  gint64            last_time;

  GListStore       *children;
  GListStore       *threads;
  TroupeSampleRing *history;
};

enum
{
  PROP_0,
  PROP_PID,
  PROP_PARENT_PID,
  PROP_NAME,
  PROP_COMMAND_LINE,
  PROP_RUN_STATE,
  PROP_CPU,
  PROP_RSS,
  PROP_PSS,
  PROP_N_THREADS,
  PROP_N_FDS,
  PROP_STARTED_AT,
  PROP_SAMPLE_THREADS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TroupeProcessInfo, troupe_process_info, G_TYPE_OBJECT)

/**
 * troupe_run_state_to_string:
 *
 * Returns: @state as people read it, translated
 */
const char *
troupe_run_state_to_string (TroupeRunState state)
{
  switch (state)
    {
    case TROUPE_RUN_STATE_RUNNING:
      return _("Running");
    case TROUPE_RUN_STATE_SLEEPING:
      return _("Sleeping");
    case TROUPE_RUN_STATE_DISK_SLEEP:
      return _("Waiting for disk");
    case TROUPE_RUN_STATE_STOPPED:
      return _("Stopped");
    case TROUPE_RUN_STATE_ZOMBIE:
      return _("Zombie");
    case TROUPE_RUN_STATE_GONE:
      return _("Ended");
    case TROUPE_RUN_STATE_UNKNOWN:
    default:
      return _("Unknown");
    }
}

TroupeRunState
_troupe_run_state_from_char (char state)
{
  switch (state)
    {
    case 'R':
      return TROUPE_RUN_STATE_RUNNING;
    /* Idle kernel threads are asleep as far as anyone watching can tell. */
    case 'S':
    case 'I':
      return TROUPE_RUN_STATE_SLEEPING;
    case 'D':
      return TROUPE_RUN_STATE_DISK_SLEEP;
    case 'T':
    case 't':
      return TROUPE_RUN_STATE_STOPPED;
    case 'Z':
      return TROUPE_RUN_STATE_ZOMBIE;
    case 'X':
    case 'x':
      return TROUPE_RUN_STATE_GONE;
    default:
      return TROUPE_RUN_STATE_UNKNOWN;
    }
}

double
_troupe_cpu_percent (guint64 ticks_before,
                     guint64 ticks_now,
                     gint64  time_before,
                     gint64  time_now,
                     long    clock_ticks)
{
  double seconds = (double) (time_now - time_before) / G_USEC_PER_SEC;

  if (ticks_now < ticks_before || seconds <= 0 || clock_ticks <= 0)
    return 0;
  return (double) (ticks_now - ticks_before) / (double) clock_ticks / seconds * 100.0;
}

static void
troupe_process_info_dispose (GObject *object)
{
  TroupeProcessInfo *self = (TroupeProcessInfo *) object;

  /* Children hold no reference back, but the stores may be held by a view. */
  if (self->children != NULL)
    g_list_store_remove_all (self->children);
  g_clear_object (&self->children);
  g_clear_object (&self->threads);

  G_OBJECT_CLASS (troupe_process_info_parent_class)->dispose (object);
}

static void
troupe_process_info_finalize (GObject *object)
{
  TroupeProcessInfo *self = (TroupeProcessInfo *) object;

  g_free (self->name);
  g_free (self->command_line);
  g_clear_pointer (&self->started_at, g_date_time_unref);
  g_clear_pointer (&self->history, troupe_sample_ring_unref);

  G_OBJECT_CLASS (troupe_process_info_parent_class)->finalize (object);
}

static void
troupe_process_info_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TroupeProcessInfo *self = TROUPE_PROCESS_INFO (object);

  switch (prop_id)
    {
    case PROP_PID:
      g_value_set_int (value, self->pid);
      break;
    case PROP_PARENT_PID:
      g_value_set_int (value, self->parent_pid);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_COMMAND_LINE:
      g_value_set_string (value, troupe_process_info_get_command_line (self));
      break;
    case PROP_RUN_STATE:
      g_value_set_enum (value, self->run_state);
      break;
    case PROP_CPU:
      g_value_set_double (value, self->cpu);
      break;
    case PROP_RSS:
      g_value_set_uint64 (value, self->rss);
      break;
    case PROP_PSS:
      g_value_set_int64 (value, self->pss);
      break;
    case PROP_N_THREADS:
      g_value_set_uint (value, self->n_threads);
      break;
    case PROP_N_FDS:
      g_value_set_int (value, self->n_fds);
      break;
    case PROP_STARTED_AT:
      g_value_set_boxed (value, self->started_at);
      break;
    case PROP_SAMPLE_THREADS:
      g_value_set_boolean (value, self->sample_threads);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
troupe_process_info_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TroupeProcessInfo *self = TROUPE_PROCESS_INFO (object);

  switch (prop_id)
    {
    case PROP_SAMPLE_THREADS:
      troupe_process_info_set_sample_threads (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
troupe_process_info_class_init (TroupeProcessInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = troupe_process_info_dispose;
  object_class->finalize = troupe_process_info_finalize;
  object_class->get_property = troupe_process_info_get_property;
  object_class->set_property = troupe_process_info_set_property;

  properties[PROP_PID] = g_param_spec_int ("pid", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_PARENT_PID] =
    g_param_spec_int ("parent-pid", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_COMMAND_LINE] = g_param_spec_string ("command-line", NULL, NULL, NULL, flags);
  properties[PROP_RUN_STATE] =
    g_param_spec_enum ("run-state", NULL, NULL, TROUPE_TYPE_RUN_STATE,
                       TROUPE_RUN_STATE_UNKNOWN, flags);
  properties[PROP_CPU] = g_param_spec_double ("cpu", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_RSS] = g_param_spec_uint64 ("rss", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_PSS] = g_param_spec_int64 ("pss", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_N_THREADS] =
    g_param_spec_uint ("n-threads", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_FDS] = g_param_spec_int ("n-fds", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_STARTED_AT] =
    g_param_spec_boxed ("started-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_SAMPLE_THREADS] =
    g_param_spec_boolean ("sample-threads", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
troupe_process_info_init (TroupeProcessInfo *self)
{
  self->name = g_strdup ("");
  self->run_state = TROUPE_RUN_STATE_UNKNOWN;
  self->pss = -1;
  self->n_fds = -1;
  self->children = g_list_store_new (TROUPE_TYPE_PROCESS_INFO);
  self->threads = g_list_store_new (TROUPE_TYPE_THREAD_INFO);
  self->history = troupe_sample_ring_new (TROUPE_SAMPLE_RING_DEFAULT_CAPACITY);
}

/* A root before its first sample: only the pid is known. */
TroupeProcessInfo *
_troupe_process_info_new_unknown (GPid pid)
{
  TroupeProcessInfo *self = g_object_new (TROUPE_TYPE_PROCESS_INFO, NULL);

  self->pid = pid;
  self->is_root = TRUE;
  return self;
}

/* Fills in what names the process: its start time (and so its start date). */
void
_troupe_process_info_set_identity (TroupeProcessInfo    *self,
                                   const TroupeProcStat *stat,
                                   gint64                boot_time,
                                   long                  clock_ticks)
{
  self->start_ticks = stat->start_ticks;
  g_clear_pointer (&self->started_at, g_date_time_unref);
  if (boot_time > 0 && clock_ticks > 0)
    {
      g_autoptr(GDateTime) boot = g_date_time_new_from_unix_local (boot_time);

      self->started_at = g_date_time_add (boot, (GTimeSpan) (stat->start_ticks * G_USEC_PER_SEC /
                                                             (guint64) clock_ticks));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARTED_AT]);
}

TroupeProcessInfo *
_troupe_process_info_new (const TroupeProcStat *stat,
                          gboolean              is_root,
                          gint64                boot_time,
                          long                  clock_ticks)
{
  TroupeProcessInfo *self = g_object_new (TROUPE_TYPE_PROCESS_INFO, NULL);

  self->pid = stat->pid;
  self->parent_pid = stat->parent_pid;
  self->is_root = is_root;
  g_free (self->name);
  self->name = g_strdup (stat->name);
  _troupe_process_info_set_identity (self, stat, boot_time, clock_ticks);
  return self;
}

guint64
_troupe_process_info_get_start_ticks (TroupeProcessInfo *self)
{
  return self->start_ticks;
}

static int
compare_thread_ids (gconstpointer a,
                    gconstpointer b)
{
  const TroupeProcStat *thread_a = a;
  const TroupeProcStat *thread_b = b;

  return (thread_a->pid > thread_b->pid) - (thread_a->pid < thread_b->pid);
}

/* Merges the threads read now into the list, in tid order, changing only what
 * changed so that a view keeps its selection. */
static void
apply_threads (TroupeProcessInfo *self,
               GArray            *threads,
               gint64             time,
               long               clock_ticks)
{
  guint position = 0;
  guint next = 0;

  g_array_sort (threads, compare_thread_ids);
  while (position < g_list_model_get_n_items (G_LIST_MODEL (self->threads)) ||
         next < threads->len)
    {
      g_autoptr(TroupeThreadInfo) thread = NULL;
      const TroupeProcStat *stat = NULL;
      GPid tid = G_MAXINT;

      if (position < g_list_model_get_n_items (G_LIST_MODEL (self->threads)))
        {
          thread = g_list_model_get_item (G_LIST_MODEL (self->threads), position);
          tid = troupe_thread_info_get_tid (thread);
        }
      if (next < threads->len)
        stat = &g_array_index (threads, TroupeProcStat, next);

      if (stat == NULL || tid < stat->pid)
        {
          _troupe_thread_info_set_gone (thread);
          g_list_store_remove (self->threads, position);
        }
      else if (tid == stat->pid)
        {
          _troupe_thread_info_apply (thread, stat, time, clock_ticks);
          position++;
          next++;
        }
      else
        {
          g_autoptr(TroupeThreadInfo) added = _troupe_thread_info_new (stat->pid);

          _troupe_thread_info_apply (added, stat, time, clock_ticks);
          g_list_store_insert (self->threads, position, added);
          position++;
          next++;
        }
    }
}

/* Takes one sample of the process; notifies only what changed. */
void
_troupe_process_info_apply (TroupeProcessInfo      *self,
                            const TroupeProcSample *sample,
                            gint64                  time,
                            long                    clock_ticks)
{
  const TroupeProcStat *stat = &sample->stat;
  TroupeRunState run_state = _troupe_run_state_from_char (stat->state);
  TroupeSample history_sample;
  double cpu = 0;
  GObject *object = G_OBJECT (self);

  if (self->last_time != 0)
    cpu = _troupe_cpu_percent (self->last_ticks, stat->cpu_ticks, self->last_time, time,
                               clock_ticks);
  self->last_ticks = stat->cpu_ticks;
  self->last_time = time;

  g_object_freeze_notify (object);
#define UPDATE(field, value, prop) \
  G_STMT_START { \
    if (self->field != (value)) \
      { \
        self->field = (value); \
        g_object_notify_by_pspec (object, properties[prop]); \
      } \
  } G_STMT_END
  UPDATE (parent_pid, stat->parent_pid, PROP_PARENT_PID);
  UPDATE (run_state, run_state, PROP_RUN_STATE);
  UPDATE (cpu, cpu, PROP_CPU);
  UPDATE (rss, stat->rss, PROP_RSS);
  UPDATE (pss, sample->pss, PROP_PSS);
  UPDATE (n_threads, stat->n_threads, PROP_N_THREADS);
  UPDATE (n_fds, sample->n_fds, PROP_N_FDS);
#undef UPDATE
  if (g_strcmp0 (self->name, stat->name) != 0)
    {
      g_free (self->name);
      self->name = g_strdup (stat->name);
      g_object_notify_by_pspec (object, properties[PROP_NAME]);
      /* Without a readable command line, the name stands for it. */
      if (self->command_line == NULL)
        g_object_notify_by_pspec (object, properties[PROP_COMMAND_LINE]);
    }
  /* A zombie's command line reads empty: keep the one it had while alive. */
  if (sample->command_line != NULL && g_strcmp0 (self->command_line, sample->command_line) != 0)
    {
      g_free (self->command_line);
      self->command_line = g_strdup (sample->command_line);
      g_object_notify_by_pspec (object, properties[PROP_COMMAND_LINE]);
    }
  if (sample->threads != NULL)
    apply_threads (self, sample->threads, time, clock_ticks);
  g_object_thaw_notify (object);

  history_sample.time = time;
  history_sample.cpu = cpu;
  history_sample.rss = stat->rss;
  troupe_sample_ring_push (self->history, &history_sample);
}

/* The process is no longer in /proc, or no longer ours to follow. */
void
_troupe_process_info_set_gone (TroupeProcessInfo *self)
{
  GObject *object = G_OBJECT (self);

  g_object_freeze_notify (object);
  if (self->cpu != 0)
    {
      self->cpu = 0;
      g_object_notify_by_pspec (object, properties[PROP_CPU]);
    }
  if (self->run_state != TROUPE_RUN_STATE_GONE)
    {
      self->run_state = TROUPE_RUN_STATE_GONE;
      g_object_notify_by_pspec (object, properties[PROP_RUN_STATE]);
    }
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->threads)); i++)
    {
      g_autoptr(TroupeThreadInfo) thread = g_list_model_get_item (G_LIST_MODEL (self->threads), i);

      _troupe_thread_info_set_gone (thread);
    }
  g_object_thaw_notify (object);
}

static int
compare_pids (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  GPid pid_a = TROUPE_PROCESS_INFO ((gpointer) a)->pid;
  GPid pid_b = TROUPE_PROCESS_INFO ((gpointer) b)->pid;

  return (pid_a > pid_b) - (pid_a < pid_b);
}

void
_troupe_process_info_add_child (TroupeProcessInfo *self,
                                TroupeProcessInfo *child)
{
  g_list_store_insert_sorted (self->children, child, compare_pids, NULL);
}

void
_troupe_process_info_remove_child (TroupeProcessInfo *self,
                                   TroupeProcessInfo *child)
{
  guint position;

  if (g_list_store_find (self->children, child, &position))
    g_list_store_remove (self->children, position);
}

GPid
troupe_process_info_get_pid (TroupeProcessInfo *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS_INFO (self), 0);
  return self->pid;
}

/**
 * troupe_process_info_get_parent_pid:
 *
 * Returns: the parent's pid at the last sample
 */
GPid
troupe_process_info_get_parent_pid (TroupeProcessInfo *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS_INFO (self), 0);
  return self->parent_pid;
}

/**
 * troupe_process_info_get_name:
 *
 * Returns: the kernel's short name of the process (its "comm")
 */
const char *
troupe_process_info_get_name (TroupeProcessInfo *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS_INFO (self), NULL);
  return self->name;
}

/**
 * troupe_process_info_get_command_line:
 *
 * Returns: the arguments joined by spaces, or the name when they cannot be read
 */
const char *
troupe_process_info_get_command_line (TroupeProcessInfo *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS_INFO (self), NULL);
  return self->command_line != NULL ? self->command_line : self->name;
}

TroupeRunState
troupe_process_info_get_run_state (TroupeProcessInfo *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS_INFO (self), TROUPE_RUN_STATE_UNKNOWN);
  return self->run_state;
}

/**
 * troupe_process_info_get_cpu:
 *
 * Returns: CPU use over the last interval, in % of one core (above 100 when
 *   more than one core is busy)
 */
double
troupe_process_info_get_cpu (TroupeProcessInfo *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS_INFO (self), 0);
  return self->cpu;
}

/**
 * troupe_process_info_get_rss:
 *
 * Returns: resident memory, in bytes
 */
guint64
troupe_process_info_get_rss (TroupeProcessInfo *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS_INFO (self), 0);
  return self->rss;
}

/**
 * troupe_process_info_get_pss:
 *
 * Returns: proportional memory (shared pages split among their users), in
 *   bytes, or -1 when it cannot be read
 */
gint64
troupe_process_info_get_pss (TroupeProcessInfo *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS_INFO (self), -1);
  return self->pss;
}

guint
troupe_process_info_get_n_threads (TroupeProcessInfo *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS_INFO (self), 0);
  return self->n_threads;
}

/**
 * troupe_process_info_get_n_fds:
 *
 * Returns: open file descriptors, or -1 when they cannot be counted
 */
int
troupe_process_info_get_n_fds (TroupeProcessInfo *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS_INFO (self), -1);
  return self->n_fds;
}

/**
 * troupe_process_info_get_started_at:
 *
 * Returns: (transfer none) (nullable): when the process started, local time
 */
GDateTime *
troupe_process_info_get_started_at (TroupeProcessInfo *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS_INFO (self), NULL);
  return self->started_at;
}

/**
 * troupe_process_info_is_root:
 *
 * Returns: %TRUE for a job's own child, the one Troupe started
 */
gboolean
troupe_process_info_is_root (TroupeProcessInfo *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS_INFO (self), FALSE);
  return self->is_root;
}

/**
 * troupe_process_info_get_children:
 *
 * Returns: (transfer none): the living children, as #TroupeProcessInfo
 *   items sorted by pid
 */
GListModel *
troupe_process_info_get_children (TroupeProcessInfo *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS_INFO (self), NULL);
  return G_LIST_MODEL (self->children);
}

/**
 * troupe_process_info_get_history:
 *
 * Returns: (transfer none): the samples taken of this process, oldest first
 */
TroupeSampleRing *
troupe_process_info_get_history (TroupeProcessInfo *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS_INFO (self), NULL);
  return self->history;
}

/**
 * troupe_process_info_set_sample_threads:
 *
 * Turns per-thread sampling on or off; the threads list fills from the next
 * sample on, and empties when it is turned off.
 */
void
troupe_process_info_set_sample_threads (TroupeProcessInfo *self,
                                        gboolean           sample_threads)
{
  g_return_if_fail (TROUPE_IS_PROCESS_INFO (self));

  sample_threads = !!sample_threads;
  if (self->sample_threads == sample_threads)
    return;
  self->sample_threads = sample_threads;
  if (!sample_threads)
    g_list_store_remove_all (self->threads);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAMPLE_THREADS]);
}

gboolean
troupe_process_info_get_sample_threads (TroupeProcessInfo *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS_INFO (self), FALSE);
  return self->sample_threads;
}

/**
 * troupe_process_info_get_threads:
 *
 * Returns: (transfer none): the threads, as #TroupeThreadInfo items sorted by
 *   thread id; empty unless per-thread sampling is on
 */
GListModel *
troupe_process_info_get_threads (TroupeProcessInfo *self)
{
  g_return_val_if_fail (TROUPE_IS_PROCESS_INFO (self), NULL);
  return G_LIST_MODEL (self->threads);
}

static gboolean
set_gone_error (TroupeProcessInfo  *self,
                GError            **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("The process is not running"));
  return FALSE;
}

/**
 * troupe_process_info_send_signal:
 * @signal_number: any signal
 * @error: set if the process is gone or may not be signalled
 *
 * Sends @signal_number to this one process, but only if its pid still names
 * it: a pid freed and given to a new process is not signalled.
 *
 * Returns: %TRUE if the signal was sent
 */
gboolean
troupe_process_info_send_signal (TroupeProcessInfo  *self,
                                 int                 signal_number,
                                 GError            **error)
{
  g_autoptr(TroupeProcReader) reader = NULL;
  TroupeProcStat stat;
  int pidfd = -1;
  int result;

  g_return_val_if_fail (TROUPE_IS_PROCESS_INFO (self), FALSE);

  if (self->run_state == TROUPE_RUN_STATE_GONE || self->pid <= 0)
    return set_gone_error (self, error);

#if defined(SYS_pidfd_open) && defined(SYS_pidfd_send_signal)
  /* A pidfd holds on to the process it was opened for, so checking the
   * start time after opening it leaves no window for the pid to be reused. */
  pidfd = (int) syscall (SYS_pidfd_open, self->pid, 0);
  if (pidfd < 0 && errno == ESRCH)
    return set_gone_error (self, error);
#endif

  reader = troupe_proc_reader_new (NULL);
  if (!troupe_proc_reader_read_stat (reader, self->pid, &stat) ||
      stat.start_ticks != self->start_ticks)
    {
      if (pidfd >= 0)
        close (pidfd);
      return set_gone_error (self, error);
    }

#if defined(SYS_pidfd_open) && defined(SYS_pidfd_send_signal)
  if (pidfd >= 0)
    {
      result = (int) syscall (SYS_pidfd_send_signal, pidfd, signal_number, NULL, 0);
      close (pidfd);
    }
  else
#endif
    result = kill (self->pid, signal_number);

  if (result != 0)
    {
      int saved_errno = errno;

      if (saved_errno == ESRCH)
        return set_gone_error (self, error);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not send %s: %s"), troupe_signal_name (signal_number),
                   g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}
