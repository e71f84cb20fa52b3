/* troupe-thread-info.c: one thread of a monitored process
 *
 * Threads are only read while someone looks at them (a /proc/PID/task scan
 * per process per sample is not free), so a process's thread list is filled
 * only while its per-thread sampling is on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "troupe-enums.h"
#include "troupe-monitor-private.h"
#include "troupe-thread-info.h"

struct _TroupeThreadInfo
{
  GObject         parent_instance;

  GPid            tid;
  char           *name;
  double          cpu;
  TroupeRunState  run_state;
  guint64         last_ticks;
  gint64          last_time;
};

enum
{
  PROP_0,
  PROP_TID,
  PROP_NAME,
  PROP_CPU,
  PROP_RUN_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TroupeThreadInfo, troupe_thread_info, G_TYPE_OBJECT)

static void
troupe_thread_info_finalize (GObject *object)
{
  TroupeThreadInfo *self = (TroupeThreadInfo *) object;

  g_free (self->name);

  G_OBJECT_CLASS (troupe_thread_info_parent_class)->finalize (object);
}

static void
troupe_thread_info_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TroupeThreadInfo *self = TROUPE_THREAD_INFO (object);

  switch (prop_id)
    {
    case PROP_TID:
      g_value_set_int (value, self->tid);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_CPU:
      g_value_set_double (value, self->cpu);
      break;
    case PROP_RUN_STATE:
      g_value_set_enum (value, self->run_state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
troupe_thread_info_class_init (TroupeThreadInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = troupe_thread_info_finalize;
  object_class->get_property = troupe_thread_info_get_property;

  properties[PROP_TID] =
    g_param_spec_int ("tid", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CPU] =
    g_param_spec_double ("cpu", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUN_STATE] =
    g_param_spec_enum ("run-state", NULL, NULL,
                       TROUPE_TYPE_RUN_STATE, TROUPE_RUN_STATE_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
troupe_thread_info_init (TroupeThreadInfo *self)
{
  self->run_state = TROUPE_RUN_STATE_UNKNOWN;
  self->name = g_strdup ("");
}

TroupeThreadInfo *
_troupe_thread_info_new (GPid tid)
{
  TroupeThreadInfo *self = g_object_new (TROUPE_TYPE_THREAD_INFO, NULL);

  self->tid = tid;
  return self;
}

/* Takes one sample of the thread's own stat line; notifies what changed. */
void
_troupe_thread_info_apply (TroupeThreadInfo     *self,
                           const TroupeProcStat *stat,
                           gint64                time,
                           long                  clock_ticks)
{
  TroupeRunState run_state = _troupe_run_state_from_char (stat->state);
  double cpu = 0;

  if (self->last_time != 0)
    cpu = _troupe_cpu_percent (self->last_ticks, stat->cpu_ticks, self->last_time, time,
                               clock_ticks);
  self->last_ticks = stat->cpu_ticks;
  self->last_time = time;

  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (self->name, stat->name) != 0)
    {
      g_free (self->name);
      self->name = g_strdup (stat->name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
    }
  if (cpu != self->cpu)
    {
      self->cpu = cpu;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CPU]);
    }
  if (run_state != self->run_state)
    {
      self->run_state = run_state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN_STATE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
_troupe_thread_info_set_gone (TroupeThreadInfo *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->cpu != 0)
    {
      self->cpu = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CPU]);
    }
  if (self->run_state != TROUPE_RUN_STATE_GONE)
    {
      self->run_state = TROUPE_RUN_STATE_GONE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN_STATE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

GPid
troupe_thread_info_get_tid (TroupeThreadInfo *self)
{
  g_return_val_if_fail (TROUPE_IS_THREAD_INFO (self), 0);
  return self->tid;
}

/**
 * troupe_thread_info_get_name:
 *
 * Returns: the thread's name (as set with pthread_setname_np(), or the
 *   process's name)
 */
const char *
troupe_thread_info_get_name (TroupeThreadInfo *self)
{
  g_return_val_if_fail (TROUPE_IS_THREAD_INFO (self), NULL);
  return self->name;
}

/**
 * troupe_thread_info_get_cpu:
 *
 * Returns: the thread's CPU use over the last interval, in % of one core
 */
double
troupe_thread_info_get_cpu (TroupeThreadInfo *self)
{
  g_return_val_if_fail (TROUPE_IS_THREAD_INFO (self), 0);
  return self->cpu;
}

TroupeRunState
troupe_thread_info_get_run_state (TroupeThreadInfo *self)
{
  g_return_val_if_fail (TROUPE_IS_THREAD_INFO (self), TROUPE_RUN_STATE_UNKNOWN);
  return self->run_state;
}
