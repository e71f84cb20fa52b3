/* troupe-proc-reader.h: reads what the monitor needs from a /proc folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What one line of /proc/PID/stat (or /proc/PID/task/TID/stat) says. */
typedef struct
{
  GPid    pid;
  GPid    parent_pid;
  char    state;        /* 'R', 'S', 'D', 'T', 't', 'Z', 'X', … */
  char    name[64];     /* comm: at most 15 bytes from the kernel, but a fake folder may say more */
  guint64 cpu_ticks;    /* utime + stime, in clock ticks */
  guint64 start_ticks;  /* since boot, in clock ticks: with the pid, names one process */
  guint   n_threads;
  guint64 rss;          /* bytes */
} TroupeProcStat;

typedef struct _TroupeProcReader TroupeProcReader;

TroupeProcReader *troupe_proc_reader_new           (const char       *proc_root);
void              troupe_proc_reader_free          (TroupeProcReader *self);
const char       *troupe_proc_reader_get_root      (TroupeProcReader *self);
gint64            troupe_proc_reader_get_boot_time (TroupeProcReader *self);
long              troupe_proc_reader_get_clock_ticks (TroupeProcReader *self);
GArray           *troupe_proc_reader_list_pids     (TroupeProcReader *self);
GArray           *troupe_proc_reader_list_threads  (TroupeProcReader *self,
                                                    GPid              pid);
gboolean          troupe_proc_reader_read_stat     (TroupeProcReader *self,
                                                    GPid              pid,
                                                    TroupeProcStat   *stat);
gboolean          troupe_proc_reader_read_thread_stat (TroupeProcReader *self,
                                                       GPid              pid,
                                                       GPid              tid,
                                                       TroupeProcStat   *stat);
char             *troupe_proc_reader_read_command_line (TroupeProcReader *self,
                                                        GPid              pid);
gint64            troupe_proc_reader_read_pss      (TroupeProcReader *self,
                                                    GPid              pid);
int               troupe_proc_reader_count_fds     (TroupeProcReader *self,
                                                    GPid              pid);

gboolean          troupe_proc_parse_stat           (const char       *text,
                                                    gsize             length,
                                                    guint64           page_size,
                                                    TroupeProcStat   *stat);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TroupeProcReader, troupe_proc_reader_free)

G_END_DECLS
