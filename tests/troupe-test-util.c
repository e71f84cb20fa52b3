/* troupe-test-util.c: what the tests share: running children and reading their logs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "troupe-spool.h"
#include "troupe-test-util.h"

/* Long enough for a loaded CI machine under sanitizers; a hang fails instead of
 * blocking the suite. Only a bound, never a measure of speed. */
#define WAIT_LIMIT_SECONDS 60

static char *state_folder;

/* Its own $XDG_STATE_HOME for each test program, set in the environment so that
 * children (troupe itself, in the command-line tests) use it too. GTest's
 * G_TEST_OPTION_ISOLATE_DIRS would only set it inside this process. */
void
troupe_test_init (int    *argc,
                  char ***argv)
{
  g_autoptr(GError) error = NULL;

  state_folder = g_dir_make_tmp ("troupe-test-state-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_STATE_HOME", state_folder, TRUE);
  g_test_init (argc, argv, NULL);
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFileInfo *info;

  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

      remove_tree (child);
      g_object_unref (info);
    }
  g_file_delete (file, NULL, NULL);
}

/* Runs the tests, then removes the spools they wrote. */
int
troupe_test_run_all (void)
{
  g_autoptr(GFile) folder = g_file_new_for_path (state_folder);
  int result = g_test_run ();

  /* Let background work that the tests started — spool writes, group scans,
   * saves — finish and free what it holds, so that the leak checker of the
   * sanitizer build sees the program as it really ends. */
  troupe_spool_wait_all ();
  for (guint i = 0; i < 20; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (5000);
    }

  remove_tree (folder);
  g_clear_pointer (&state_folder, g_free);
  return result;
}

/* A new, empty folder of its own for a test. */
char *
troupe_test_make_folder (const char *name)
{
  g_autofree char *template = g_strdup_printf ("%s-XXXXXX", name);
  g_autofree char *path = g_build_filename (state_folder, template, NULL);

  g_assert_nonnull (g_mkdtemp (path));
  return g_steal_pointer (&path);
}

TroupeCommand *
troupe_test_child_command (const char *mode,
                           ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  const char *arg;
  va_list args;

  g_strv_builder_add (builder, TEST_CHILD_PATH);
  g_strv_builder_add (builder, mode);
  va_start (args, mode);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_strv_builder_add (builder, arg);
  va_end (args);

  argv = g_strv_builder_end (builder);
  return troupe_command_new_argv ((const char * const *) argv);
}

/* Runs @command with the default launcher and a spool in the isolated state folder. */
TroupeProcess *
troupe_test_run (TroupeCommand *command)
{
  g_autoptr(TroupeSpoolDir) spool_dir = troupe_spool_dir_new_default ();
  TroupeProcess *process = troupe_process_new (command);

  troupe_process_start (process, troupe_launcher_get_default (), spool_dir, NULL);
  return process;
}

static gboolean
on_wait_limit (gpointer user_data)
{
  g_error ("waited more than %d s: %s", WAIT_LIMIT_SECONDS, (const char *) user_data);
  return G_SOURCE_REMOVE;
}

#define WAIT_UNTIL(condition, what)                                              \
  G_STMT_START {                                                                 \
    guint limit_ = g_timeout_add_seconds (WAIT_LIMIT_SECONDS, on_wait_limit,     \
                                          (gpointer) (what));                    \
    while (!(condition))                                                         \
      g_main_context_iteration (NULL, TRUE);                                     \
    g_source_remove (limit_);                                                    \
  } G_STMT_END

/* Iterates the main loop until @done says so, failing after the wait limit. */
void
troupe_test_wait_until (gboolean  (*done) (gpointer),
                        gpointer    data,
                        const char *what)
{
  WAIT_UNTIL (done (data), what);
}

void
troupe_test_wait_ended (TroupeProcess *process)
{
  WAIT_UNTIL (troupe_process_has_ended (process), "for the process to end");
}

void
troupe_test_wait_lines (TroupeProcess *process,
                        TroupeLines    lines,
                        guint          n_lines)
{
  TroupeLog *log = troupe_process_get_log (process);

  g_assert_nonnull (log);
  WAIT_UNTIL (troupe_log_get_n_lines (log, lines) >= n_lines, "for lines");
}

/* Every line of @lines as display text. */
GPtrArray *
troupe_test_read_lines (TroupeLog   *log,
                        TroupeLines  lines)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  guint n = troupe_log_get_n_lines (log, lines);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      char *text = troupe_log_read_line_text (log, lines, i, NULL, &error);

      g_assert_no_error (error);
      g_ptr_array_add (texts, text);
    }
  return texts;
}

/* Gone means no such process, or a zombie that is not ours to reap. */
gboolean
troupe_test_pid_is_gone (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *contents = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return TRUE;
  after_name = strrchr (contents, ')');
  return after_name != NULL && (after_name[2] == 'Z' || after_name[2] == 'X');
}

static gboolean
keep_ticking (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

void
troupe_test_wait_pid_gone (GPid pid)
{
  /* Nothing wakes the loop when an unrelated process dies, so look every 10 ms. */
  guint tick = g_timeout_add (10, keep_ticking, NULL);

  WAIT_UNTIL (troupe_test_pid_is_gone (pid), "for a process to be gone");
  g_source_remove (tick);
}

void
troupe_test_wait_group_gone (TroupeProcess *process)
{
  WAIT_UNTIL (!troupe_process_is_group_alive (process), "for the process group to be gone");
}
