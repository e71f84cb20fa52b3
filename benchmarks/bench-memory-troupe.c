/* bench-memory-troupe.c: resident memory per stored line in a TroupeLog
 *
 * Appends N short lines (10 bytes each) to a TroupeLog in 64 KiB buffers, as the
 * process reader does, with the spool in a fresh folder under the temporary
 * folder. Anonymous resident memory (RssAnon in /proc/self/status: the heap,
 * not the page cache that holds the spool) is read before and after; the
 * difference per line is what keeping a line costs. The spool is deleted after.
 *
 * Usage: bench-memory-troupe [N_LINES]   (default 10,000,000)
 * Prints key=value pairs: lines, rss_anon_bytes, bytes_per_line,
 * index_bytes, index_bytes_per_line, seconds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "troupe-log.h"
#include "troupe-spool-dir.h"

#define LINE_BYTES     10
#define LINES_PER_FEED 6553 /* 65,530 bytes */

/* Returns the kB value of @field in /proc/self/status, or -1. */
static gint64
read_status_kb (const char *field)
{
  g_autofree char *contents = NULL;
  const char *at;
  gsize field_length = strlen (field);

  if (!g_file_get_contents ("/proc/self/status", &contents, NULL, NULL))
    return -1;
  for (at = contents; at != NULL && *at != '\0'; at = strchr (at, '\n'), at = at ? at + 1 : NULL)
    if (strncmp (at, field, field_length) == 0 && at[field_length] == ':')
      return g_ascii_strtoll (at + field_length + 1, NULL, 10);
  return -1;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TroupeSpoolDir) spool_dir = NULL;
  g_autoptr(TroupeLog) log = NULL;
  g_autofree char *spool_folder = NULL;
  g_autofree char *spool_path = NULL;
  g_autofree guint8 *buffer = NULL;
  guint n_lines = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 10000000;
  guint remaining;
  gint64 anon_before, anon_after, rss_before, rss_after;
  gint64 start;
  double seconds;
  gsize index_bytes;
  int status = 0;

  spool_folder = g_dir_make_tmp ("troupe-bench-XXXXXX", &error);
  if (spool_folder == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  spool_dir = troupe_spool_dir_new (spool_folder);
  log = troupe_log_new (spool_dir, "memory");

  buffer = g_malloc (LINES_PER_FEED * LINE_BYTES);
  for (guint i = 0; i < LINES_PER_FEED; i++)
    g_snprintf ((char *) buffer + i * LINE_BYTES, LINE_BYTES + 1, "%09u\n", i);

  anon_before = read_status_kb ("RssAnon");
  rss_before = read_status_kb ("VmRSS");
  start = g_get_monotonic_time ();

  for (remaining = n_lines; remaining > 0;)
    {
      guint batch = MIN (remaining, LINES_PER_FEED);

      troupe_log_append (log, TROUPE_STREAM_STDOUT, buffer, (gsize) batch * LINE_BYTES,
                         g_get_monotonic_time ());
      remaining -= batch;
      /* As a run's reader does: let the spool's writes finish, and pause while
       * the disk is behind. */
      while (troupe_log_is_congested (log))
        g_main_context_iteration (NULL, TRUE);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  /* Output still in memory on its way to the disk is not what is measured. */
  troupe_log_wait_saved (log);

  seconds = (g_get_monotonic_time () - start) / 1e6;
  anon_after = read_status_kb ("RssAnon");
  rss_after = read_status_kb ("VmRSS");
  index_bytes = troupe_log_get_index_memory (log);

  if (troupe_log_get_n_lines (log, TROUPE_LINES_ALL) != n_lines ||
      troupe_log_get_spool_error (log) != NULL)
    {
      g_printerr ("the log holds %u lines, expected %u\n",
                  troupe_log_get_n_lines (log, TROUPE_LINES_ALL), n_lines);
      status = 1;
    }
  else
    {
      gint64 anon_bytes = (anon_after - anon_before) * 1024;

      g_print ("lines=%u rss_anon_bytes=%" G_GINT64_FORMAT " bytes_per_line=%.2f"
               " rss_bytes_per_line=%.2f index_bytes=%" G_GSIZE_FORMAT
               " index_bytes_per_line=%.2f seconds=%.3f\n",
               n_lines, anon_bytes, (double) anon_bytes / n_lines,
               (double) (rss_after - rss_before) * 1024 / n_lines,
               index_bytes, (double) index_bytes / n_lines, seconds);
    }

  spool_path = g_strdup (troupe_log_get_spool_path (log));
  g_clear_object (&log);
  if (spool_path != NULL)
    g_unlink (spool_path);
  g_rmdir (spool_folder);
  return status;
}
