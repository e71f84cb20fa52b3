/* troupe-proc-reader.c: reads what the monitor needs from a /proc folder
 *
 * Every file here can vanish between listing a folder and reading it (the
 * process ended), be unreadable (another user's process), or, in a test's
 * fake folder, hold anything at all. None of that is an error worth telling
 * anyone about: a read that fails gives "unknown" (FALSE, -1 or NULL) and the
 * monitor shows what it has. So nothing here warns.
 *
 * The root is a parameter so that tests can feed the parser a folder of
 * truncated and garbled files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "troupe-proc-reader.h"

struct _TroupeProcReader
{
  char    *root;
  guint64  page_size;
  long     clock_ticks;
  gint64   boot_time;
};

/* Longer command lines are cut: this is for showing, not for running. */
#define MAX_COMMAND_LINE 32768

/**
 * troupe_proc_reader_new:
 * @proc_root: (nullable): the folder to read, %NULL for "/proc"
 *
 * Returns: (transfer full): a reader
 */
TroupeProcReader *
troupe_proc_reader_new (const char *proc_root)
{
  TroupeProcReader *self = g_new0 (TroupeProcReader, 1);
  long page_size = sysconf (_SC_PAGESIZE);

  self->root = g_strdup (proc_root != NULL ? proc_root : "/proc");
  self->page_size = page_size > 0 ? (guint64) page_size : 4096;
  self->clock_ticks = sysconf (_SC_CLK_TCK);
  if (self->clock_ticks <= 0)
    self->clock_ticks = 100;
  self->boot_time = G_MININT64;
  return self;
}

void
troupe_proc_reader_free (TroupeProcReader *self)
{
  if (self == NULL)
    return;
  g_free (self->root);
  g_free (self);
}

const char *
troupe_proc_reader_get_root (TroupeProcReader *self)
{
  return self->root;
}

long
troupe_proc_reader_get_clock_ticks (TroupeProcReader *self)
{
  return self->clock_ticks;
}

/* Reads at most @size - 1 bytes of a small file into @buffer, NUL-terminated;
 * -1 if it could not be opened or read. */
static gssize
read_small_file (const char *path,
                 char       *buffer,
                 gsize       size)
{
  gsize total = 0;
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

  if (fd < 0)
    return -1;
  while (total < size - 1)
    {
      gssize n = read (fd, buffer + total, size - 1 - total);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          close (fd);
          return -1;
        }
      if (n == 0)
        break;
      total += (gsize) n;
    }
  close (fd);
  buffer[total] = '\0';
  return (gssize) total;
}

/**
 * troupe_proc_reader_get_boot_time:
 *
 * Returns: when the machine booted, in seconds since 1970 ("btime" in
 *   stat), or -1 when it cannot be read; read once
 */
gint64
troupe_proc_reader_get_boot_time (TroupeProcReader *self)
{
  g_autofree char *path = NULL;
  g_autofree char *buffer = NULL;
  const char *line;

  if (self->boot_time != G_MININT64)
    return self->boot_time;

  self->boot_time = -1;
  path = g_build_filename (self->root, "stat", NULL);
  /* One line per CPU comes first: 64 KiB holds a few hundred of them. */
  buffer = g_malloc (65536);
  if (read_small_file (path, buffer, 65536) < 0)
    return self->boot_time;
  line = g_str_has_prefix (buffer, "btime ") ? buffer : strstr (buffer, "\nbtime ");
  if (line != NULL)
    {
      char *end;
      gint64 value;

      line = strchr (line + 1, ' ') + 1;
      value = g_ascii_strtoll (line, &end, 10);
      if (end != line && value > 0)
        self->boot_time = value;
    }
  return self->boot_time;
}

static GArray *
list_numeric_entries (const char *path)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (GPid));
  DIR *folder = opendir (path);
  struct dirent *entry;

  if (folder == NULL)
    return pids;
  while ((entry = readdir (folder)) != NULL)
    {
      char *end;
      long value;
      GPid pid;

      if (!g_ascii_isdigit (entry->d_name[0]))
        continue;
      value = strtol (entry->d_name, &end, 10);
      if (*end != '\0' || value <= 0 || value > G_MAXINT)
        continue;
      pid = (GPid) value;
      g_array_append_val (pids, pid);
    }
  closedir (folder);
  return pids;
}

/**
 * troupe_proc_reader_list_pids:
 *
 * Returns: (transfer full) (element-type GPid): every process in the folder
 *   now; some may be gone by the time they are read
 */
GArray *
troupe_proc_reader_list_pids (TroupeProcReader *self)
{
  return list_numeric_entries (self->root);
}

/**
 * troupe_proc_reader_list_threads:
 *
 * Returns: (transfer full) (element-type GPid): the thread ids of @pid, empty
 *   if it is gone or unreadable
 */
GArray *
troupe_proc_reader_list_threads (TroupeProcReader *self,
                                 GPid              pid)
{
  char path[4096];

  g_snprintf (path, sizeof path, "%s/%d/task", self->root, pid);
  return list_numeric_entries (path);
}

static gboolean
next_number (const char **cursor,
             guint64     *value)
{
  const char *start = *cursor;
  char *end;

  while (*start == ' ')
    start++;
  /* Some fields (priority, nice) may be negative; the ones we keep are not. */
  if (!g_ascii_isdigit (*start) && *start != '-')
    return FALSE;
  *value = (guint64) g_ascii_strtoll (start, &end, 10);
  if (end == start || (*end != ' ' && *end != '\n' && *end != '\0'))
    return FALSE;
  *cursor = end;
  return TRUE;
}

/**
 * troupe_proc_parse_stat:
 * @text: the contents of a stat file, NUL-terminated
 * @length: its length in bytes
 * @page_size: bytes per page, for the resident set
 * @stat: (out caller-allocates): what it says
 *
 * Returns: %FALSE if @text is not a whole stat line (truncated or garbled)
 */
gboolean
troupe_proc_parse_stat (const char     *text,
                        gsize           length,
                        guint64         page_size,
                        TroupeProcStat *stat)
{
  const char *open_paren = memchr (text, '(', length);
  const char *close_paren;
  const char *cursor;
  guint64 fields[22];
  char *end;
  long pid;

  /* "PID (COMM) STATE PPID …": COMM may hold spaces and parentheses, so it
   * ends at the last ')'. */
  close_paren = g_strrstr_len (text, (gssize) length, ")");
  if (open_paren == NULL || close_paren == NULL || close_paren < open_paren)
    return FALSE;
  pid = strtol (text, &end, 10);
  if (end == text || pid <= 0 || pid > G_MAXINT)
    return FALSE;
  if (close_paren[1] != ' ' || close_paren[2] == '\0' || close_paren[3] != ' ')
    return FALSE;

  memset (stat, 0, sizeof *stat);
  stat->pid = (GPid) pid;
  g_strlcpy (stat->name, open_paren + 1,
             MIN (sizeof stat->name, (gsize) (close_paren - open_paren)));
  stat->state = close_paren[2];

  /* Fields 4 (ppid) to 24 (rss), numbered as in proc(5). */
  cursor = close_paren + 3;
  for (guint field = 4; field <= 24; field++)
    if (!next_number (&cursor, &fields[field - 4]))
      return FALSE;

  stat->parent_pid = (GPid) fields[4 - 4];
  stat->cpu_ticks = fields[14 - 4] + fields[15 - 4];
  stat->n_threads = (guint) fields[20 - 4];
  stat->start_ticks = fields[22 - 4];
  stat->rss = fields[24 - 4] * page_size;
  return TRUE;
}

static gboolean
read_stat_file (TroupeProcReader *self,
                const char       *path,
                TroupeProcStat   *stat)
{
  char buffer[1024];
  gssize length = read_small_file (path, buffer, sizeof buffer);

  if (length <= 0)
    return FALSE;
  return troupe_proc_parse_stat (buffer, (gsize) length, self->page_size, stat);
}

/**
 * troupe_proc_reader_read_stat:
 * @stat: (out caller-allocates): what /proc/PID/stat says
 *
 * Returns: %FALSE if the process is gone, or its stat is unreadable or garbled
 */
gboolean
troupe_proc_reader_read_stat (TroupeProcReader *self,
                              GPid              pid,
                              TroupeProcStat   *stat)
{
  char path[4096];

  g_snprintf (path, sizeof path, "%s/%d/stat", self->root, pid);
  return read_stat_file (self, path, stat);
}

/**
 * troupe_proc_reader_read_thread_stat:
 * @stat: (out caller-allocates): what /proc/PID/task/TID/stat says
 *
 * Returns: %FALSE if the thread is gone, or its stat is unreadable or garbled
 */
gboolean
troupe_proc_reader_read_thread_stat (TroupeProcReader *self,
                                     GPid              pid,
                                     GPid              tid,
                                     TroupeProcStat   *stat)
{
  char path[4096];

  g_snprintf (path, sizeof path, "%s/%d/task/%d/stat", self->root, pid, tid);
  return read_stat_file (self, path, stat);
}

/**
 * troupe_proc_reader_read_command_line:
 *
 * Returns: (transfer full) (nullable): the arguments joined by spaces, as
 *   valid UTF-8; %NULL if unreadable or empty (a kernel thread, a zombie)
 */
char *
troupe_proc_reader_read_command_line (TroupeProcReader *self,
                                      GPid              pid)
{
  char path[4096];
  g_autofree char *buffer = g_malloc (MAX_COMMAND_LINE);
  gssize length;

  g_snprintf (path, sizeof path, "%s/%d/cmdline", self->root, pid);
  length = read_small_file (path, buffer, MAX_COMMAND_LINE);
  while (length > 0 && buffer[length - 1] == '\0')
    length--;
  if (length <= 0)
    return NULL;
  for (gssize i = 0; i < length; i++)
    if (buffer[i] == '\0')
      buffer[i] = ' ';
  return g_utf8_make_valid (buffer, length);
}

/**
 * troupe_proc_reader_read_pss:
 *
 * Returns: the proportional set size in bytes (from smaps_rollup), or -1
 *   if unreadable (another user's process, an old kernel, gone)
 */
gint64
troupe_proc_reader_read_pss (TroupeProcReader *self,
                             GPid              pid)
{
  char path[4096];
  char buffer[2048];
  const char *line;
  char *end;
  gint64 kib;

  g_snprintf (path, sizeof path, "%s/%d/smaps_rollup", self->root, pid);
  if (read_small_file (path, buffer, sizeof buffer) <= 0)
    return -1;
  line = strstr (buffer, "\nPss:");
  if (line == NULL)
    return -1;
  line += strlen ("\nPss:");
  while (*line == ' ' || *line == '\t')
    line++;
  kib = g_ascii_strtoll (line, &end, 10);
  if (end == line || kib < 0)
    return -1;
  return kib * 1024;
}

/**
 * troupe_proc_reader_count_fds:
 *
 * Returns: how many file descriptors @pid has open, or -1 if unreadable
 */
int
troupe_proc_reader_count_fds (TroupeProcReader *self,
                              GPid              pid)
{
  char path[4096];
  struct dirent *entry;
  DIR *folder;
  int count = 0;

  g_snprintf (path, sizeof path, "%s/%d/fd", self->root, pid);
  folder = opendir (path);
  if (folder == NULL)
    return -1;
  while ((entry = readdir (folder)) != NULL)
    if (entry->d_name[0] != '.')
      count++;
  closedir (folder);
  return count;
}
