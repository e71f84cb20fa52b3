/* bench-spawn-troupe.c: starting short-lived children one after another through Troupe's core
 *
 * Runs /bin/true N times through a TroupeSession with the default launcher,
 * each time running the main loop until the run's "ended" signal, then removing
 * the run from the session, as the app does. Each run is a whole run: its own
 * process group, stdin/stdout/stderr pipes, and a spool file for its log.
 *
 * The spools go to SPOOL_FOLDER, which the caller deletes (benchmarks/run keeps
 * them until the end of the suite: on a file system without a journal, ext4
 * scans every inode freed in the last minutes each time it creates a file, so
 * deleting 2,000 spools would make the next run's spool creation 30 times slower).
 * Without SPOOL_FOLDER, a fresh folder under the temporary folder is used and
 * deleted afterwards, untimed.
 *
 * Usage: bench-spawn-troupe [N [SPOOL_FOLDER [PROGRAM]]]   (default 2000 /bin/true)
 * Prints key=value pairs: spawns, seconds, spawns_per_s.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>

#include "troupe-command.h"
#include "troupe-launcher.h"
#include "troupe-process.h"
#include "troupe-session.h"
#include "troupe-spool-dir.h"

static void
on_ended (TroupeProcess *process,
          gpointer       user_data)
{
  g_main_loop_quit (user_data);
}

static void
delete_folder (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (folder, name, NULL);
        g_unlink (path);
      }
  g_rmdir (folder);
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
  guint n_spawns = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 2000;
  gboolean own_folder = argc <= 2;
  const char *program = argc > 3 ? argv[3] : "/bin/true";
  gint64 start;
  double seconds;
  int status = 0;

  if (own_folder)
    spool_folder = g_dir_make_tmp ("troupe-bench-XXXXXX", &error);
  else
    spool_folder = g_strdup (argv[2]);
  if (spool_folder == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  spool_dir = troupe_spool_dir_new (spool_folder);
  session = troupe_session_new (troupe_launcher_get_default (), spool_dir);
  command = troupe_command_new_argv ((const char * const []) { program, NULL });
  loop = g_main_loop_new (NULL, FALSE);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n_spawns; i++)
    {
      TroupeProcess *process = troupe_session_run (session, command, &error);

      if (error != NULL)
        {
          g_printerr ("could not start %s: %s\n", program, error->message);
          status = 1;
          break;
        }
      g_signal_connect (process, "ended", G_CALLBACK (on_ended), loop);
      if (!troupe_process_has_ended (process))
        g_main_loop_run (loop);
      if (troupe_process_get_state (process) != TROUPE_PROCESS_STATE_EXITED ||
          troupe_process_get_exit_code (process) != 0)
        {
          g_printerr ("%s did not exit cleanly\n", program);
          status = 1;
          break;
        }
      troupe_session_remove (session, process);
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;

  if (status == 0)
    g_print ("spawns=%u seconds=%.4f spawns_per_s=%.1f\n",
             n_spawns, seconds, n_spawns / seconds);

  g_clear_object (&session);
  g_clear_object (&spool_dir);
  if (own_folder)
    delete_folder (spool_folder);
  return status;
}
