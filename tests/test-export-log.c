/* test-export-log.c: Export Log… under Xvfb, through the real file chooser
 *
 * A program of its own: see tests/meson.build on leak checking.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "troupe-ui-test-util.h"

/* Five lines on stdout: colour codes, a CRLF line end, bold, */
#define COLOUR_SCRIPT \
  "printf 'one\\n\\033[32mtwo\\033[0m green\\nthree\\r\\nfour\\n\\033[1mfive\\033[0m\\n'"
/* and what they are, byte for byte: an export is the log as printed. */
#define COLOUR_OUTPUT "one\n\033[32mtwo\033[0m green\nthree\r\nfour\n\033[1mfive\033[0m\n"

static gboolean
toplevel_is_shown (gpointer user_data)
{
  GtkWindow *window = troupe_ui_test_find_toplevel (GPOINTER_TO_SIZE (user_data));

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

static gboolean
chooser_has_file (gpointer user_data)
{
  GtkFileChooser *chooser = user_data;
  g_autoptr(GFile) chosen = gtk_file_chooser_get_file (chooser);
  GFile *wanted = g_object_get_data (G_OBJECT (chooser), "wanted-file");

  return chosen != NULL && g_file_equal (chosen, wanted);
}

/* Export Log…: the file chooser asks where, and the file gets every byte printed. */
static void
test_export_log (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  g_autofree char *folder = troupe_test_make_folder ("export");
  g_autofree char *path = g_build_filename (folder, "exported.log", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TroupeCommand) command = troupe_command_new_shell (COLOUR_SCRIPT);
  g_autofree char *contents = NULL;
  TroupeProcess *job;
  gsize length;
  GtkWindow *chooser;

  job = troupe_session_run (troupe_application_get_session (app), command, NULL);
  troupe_window_select_job (window, job);
  troupe_test_wait_ended (job);
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "five");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.export-log", NULL);
  /* Without a portal, the native chooser is a GTK dialog in this process. */
  troupe_ui_test_wait_until (toplevel_is_shown, GSIZE_TO_POINTER (GTK_TYPE_FILE_CHOOSER_DIALOG),
                             "for the file chooser");
  chooser = troupe_ui_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_true (gtk_window_get_transient_for (chooser) == GTK_WINDOW (window));
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==,
                   GTK_FILE_CHOOSER_ACTION_SAVE);
  g_object_set_data (G_OBJECT (chooser), "wanted-file", file);

  /* As the user first sees it: the job's name, to save in the current folder. */
  troupe_ui_test_wait_for_frames (GTK_WIDGET (chooser));
  troupe_ui_test_save_screenshot (GTK_WIDGET (chooser), "export-log-chooser");

  /* GTK 4.8 takes the folder from the file, but a new file's name only
   * through the name entry, and moves to the folder in its own time: the
   * whole path in the name entry is what counts. */
  g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, &error));
  g_assert_no_error (error);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), path);
  troupe_ui_test_wait_until (chooser_has_file, chooser, "for the chooser to take the file");
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);

  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "Log exported");
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, COLOUR_OUTPUT, strlen (COLOUR_OUTPUT));

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

int
main (int   argc,
      char *argv[])
{
  /* The window claims object paths on a session bus; none is wanted here. */
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  troupe_test_init (&argc, &argv);
  /* The file chooser records what it saves as a recent file: not in the
   * user's own list. */
  {
    g_autofree char *data_folder = troupe_test_make_folder ("data");

    g_setenv ("XDG_DATA_HOME", data_folder, TRUE);
  }

  g_test_add_func ("/troupe/export-log/file-chooser", test_export_log);

  return troupe_test_run_all ();
}
