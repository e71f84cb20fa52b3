/* troupe-monitor-private.h: what the sampler hands its process and thread models
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-proc-reader.h"
#include "troupe-process-info.h"
#include "troupe-process-tree.h"
#include "troupe-sampler.h"
#include "troupe-thread-info.h"

G_BEGIN_DECLS

/* What the worker read of one process in one batch; never changed after. */
typedef struct
{
  TroupeProcStat  stat;
  char           *command_line; /* NULL when unreadable */
  gint64          pss;          /* -1 when unreadable */
  int             n_fds;        /* -1 when unreadable */
  GArray         *threads;      /* of TroupeProcStat; NULL when not asked for */
} TroupeProcSample;

/* One pass over /proc: everything the main thread needs to update the trees
 * that were watched when it started. Read-only once the worker hands it over. */
typedef struct
{
  gint64      time;          /* g_get_monotonic_time () when the pass began */
  gint64      boot_time;     /* seconds since 1970, -1 if unknown */
  long        clock_ticks;
  /* Every process in /proc: pid → start ticks (+1, so that 0 means absent). */
  GHashTable *alive;
  /* Every process in a watched tree: pid → TroupeProcSample. */
  GHashTable *samples;
  /* For processes in watched trees: pid → GArray of child pids. */
  GHashTable *children;
} TroupeSampleBatch;

/* CPU use, in % of one core, from two readings of a tick counter. */
double             _troupe_cpu_percent (guint64 ticks_before,
                                        guint64 ticks_now,
                                        gint64  time_before,
                                        gint64  time_now,
                                        long    clock_ticks);
TroupeRunState     _troupe_run_state_from_char (char state);

TroupeProcessInfo *_troupe_process_info_new_unknown   (GPid                     pid);
TroupeProcessInfo *_troupe_process_info_new           (const TroupeProcStat    *stat,
                                                       gboolean                 is_root,
                                                       gint64                   boot_time,
                                                       long                     clock_ticks);
guint64            _troupe_process_info_get_start_ticks (TroupeProcessInfo     *self);
void               _troupe_process_info_set_identity  (TroupeProcessInfo       *self,
                                                       const TroupeProcStat    *stat,
                                                       gint64                   boot_time,
                                                       long                     clock_ticks);
void               _troupe_process_info_apply         (TroupeProcessInfo       *self,
                                                       const TroupeProcSample  *sample,
                                                       gint64                   time,
                                                       long                     clock_ticks);
void               _troupe_process_info_set_gone      (TroupeProcessInfo       *self);
void               _troupe_process_info_add_child     (TroupeProcessInfo       *self,
                                                       TroupeProcessInfo       *child);
void               _troupe_process_info_remove_child  (TroupeProcessInfo       *self,
                                                       TroupeProcessInfo       *child);

TroupeThreadInfo  *_troupe_thread_info_new            (GPid                     tid);
void               _troupe_thread_info_apply          (TroupeThreadInfo        *self,
                                                       const TroupeProcStat    *stat,
                                                       gint64                   time,
                                                       long                     clock_ticks);
void               _troupe_thread_info_set_gone       (TroupeThreadInfo        *self);

TroupeProcessTree *_troupe_process_tree_new           (GPid                     pid);
GPid               _troupe_process_tree_get_pid       (TroupeProcessTree       *self);
void               _troupe_process_tree_want_threads  (TroupeProcessTree       *self,
                                                       GHashTable              *pids);
void               _troupe_process_tree_apply         (TroupeProcessTree       *self,
                                                       const TroupeSampleBatch *batch);

TroupeSampler     *_troupe_sampler_new_for_root       (const char              *proc_root);

G_END_DECLS
