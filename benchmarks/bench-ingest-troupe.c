/* bench-ingest-troupe.c: output ingest through Troupe's core, into the line-indexed spool
 *
 * Runs the generator through a TroupeSession exactly as the app does: its
 * output is read by the main loop into a TroupeLog (a spool file in a fresh
 * folder under the temporary folder, plus the line index). The clock stops
 * when the run has ended and every byte is written to the spool file (the
 * spool writes behind, on threads); the byte and line counts are then checked,
 * and the spool deleted.
 *
 * Usage: bench-ingest-troupe GENERATOR N_LINES
 * Prints key=value pairs: bytes, lines, seconds, mb_per_s, index_bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>

#include "troupe-command.h"
#include "troupe-launcher.h"
#include "troupe-log.h"
#include "troupe-process.h"
#include "troupe-session.h"
#include "troupe-spool-dir.h"

#define LINE_BYTES 80

static void
on_ended (TroupeProcess *process,
          gpointer       user_data)
{
  g_main_loop_quit (user_data);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(TroupeSpoolDir) spool_dir = NULL;
  g_autoptr(TroupeSession) session = NULL;
  g_autoptr(TroupeCommand) command = NULL;
  g_autofree char *spool_folder = NULL;
  g_autofree char *spool_path = NULL;
  TroupeProcess *process;
  TroupeLog *log;
  guint64 expected_lines;
  guint64 n_bytes;
  guint n_lines;
  gint64 start;
  double seconds;
  int status = 0;

  if (argc != 3)
    {
      g_printerr ("usage: %s GENERATOR N_LINES\n", argv[0]);
      return 2;
    }
  expected_lines = g_ascii_strtoull (argv[2], NULL, 10);

  spool_folder = g_dir_make_tmp ("troupe-bench-XXXXXX", &error);
  if (spool_folder == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  spool_dir = troupe_spool_dir_new (spool_folder);
  session = troupe_session_new (troupe_launcher_get_default (), spool_dir);
  command = troupe_command_new_argv ((const char * const []) { argv[1], argv[2], NULL });
  loop = g_main_loop_new (NULL, FALSE);

  start = g_get_monotonic_time ();
  process = troupe_session_run (session, command, &error);
  if (process == NULL || error != NULL)
    {
      g_printerr ("could not start %s: %s\n", argv[1], error ? error->message : "?");
      return 1;
    }
  g_signal_connect (process, "ended", G_CALLBACK (on_ended), loop);
  if (!troupe_process_has_ended (process))
    g_main_loop_run (loop);
  /* The clock stops when every byte is in the spool file, not merely taken. */
  troupe_log_wait_saved (troupe_process_get_log (process));
  seconds = (g_get_monotonic_time () - start) / 1e6;

  log = troupe_process_get_log (process);
  n_bytes = troupe_log_get_n_bytes (log, TROUPE_LINES_ALL);
  n_lines = troupe_log_get_n_lines (log, TROUPE_LINES_ALL);

  if (troupe_process_get_state (process) != TROUPE_PROCESS_STATE_EXITED ||
      troupe_process_get_exit_code (process) != 0)
    {
      g_printerr ("generator did not exit cleanly\n");
      status = 1;
    }
  else if (troupe_log_get_spool_error (log) != NULL)
    {
      g_printerr ("%s\n", troupe_log_get_spool_error (log)->message);
      status = 1;
    }
  else if (n_lines != expected_lines || n_bytes != expected_lines * LINE_BYTES)
    {
      g_printerr ("wrong count: %" G_GUINT64_FORMAT " bytes, %u lines; expected %"
                  G_GUINT64_FORMAT " lines\n", n_bytes, n_lines, expected_lines);
      status = 1;
    }
  else
    {
      g_print ("bytes=%" G_GUINT64_FORMAT " lines=%u seconds=%.4f mb_per_s=%.1f"
               " index_bytes=%" G_GSIZE_FORMAT "\n",
               n_bytes, n_lines, seconds, n_bytes / seconds / 1e6,
               troupe_log_get_index_memory (log));
    }

  spool_path = g_strdup (troupe_log_get_spool_path (log));
  g_clear_object (&session);
  g_clear_object (&spool_dir);
  if (spool_path != NULL)
    g_unlink (spool_path);
  g_rmdir (spool_folder);
  return status;
}
