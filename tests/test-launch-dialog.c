/* test-launch-dialog.c: the launch dialog on the real window under Xvfb: a bad line
 * is explained, Run builds the command typed, and recent lines are offered again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "troupe-application.h"
#include "troupe-launch-dialog.h"
#include "troupe-recent-commands.h"
#include "troupe-ui-test-util.h"

/* The dialog's own parts, by their ids in its template. */
static GtkWidget *
part (TroupeLaunchDialog *dialog,
      const char         *id)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                   TROUPE_TYPE_LAUNCH_DIALOG, id);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

static GtkWidget *
find_first (GtkWidget *widget,
            GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (widget, type, found);
  g_assert_cmpuint (found->len, >, 0);
  return g_ptr_array_index (found, 0);
}

static GtkPopover *
recent_popover (TroupeLaunchDialog *dialog)
{
  for (GtkWidget *child = gtk_widget_get_first_child (part (dialog, "command_row"));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      return GTK_POPOVER (child);
  g_assert_not_reached ();
}

/* What a key press does in the command line, through the dialog's own handler. */
static gboolean
press_key_in_command_line (TroupeLaunchDialog *dialog,
                           guint               keyval)
{
  g_autoptr(GListModel) controllers =
    gtk_widget_observe_controllers (part (dialog, "command_row"));
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), "troupe-recent-keys") == 0)
        {
          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
          return handled;
        }
    }
  g_assert_not_reached ();
}

static void
type_text (GtkWidget  *editable,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
  gtk_editable_set_position (GTK_EDITABLE (editable), -1);
}

/* Enter in the command line: the entry activates the window's default widget. */
static void
press_enter_in_command_line (TroupeLaunchDialog *dialog)
{
  GtkWidget *text = find_first (part (dialog, "command_row"), GTK_TYPE_TEXT);

  g_assert_true (gtk_widget_grab_focus (text));
  g_signal_emit_by_name (text, "activate");
}

static gboolean
run_enabled (TroupeLaunchDialog *dialog)
{
  return gtk_widget_get_sensitive (part (dialog, "run_button"));
}

static void
on_run_command (TroupeLaunchDialog *dialog,
                TroupeCommand      *command,
                TroupeCommand     **delivered)
{
  g_assert_null (*delivered);
  *delivered = g_object_ref (command);
}

static gboolean
is_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

/* Opens a dialog into *@dialog, which is cleared when it is destroyed. */
static void
open_dialog (TroupeLaunchDialog  **dialog_slot,
             TroupeWindow         *window,
             TroupeRecentCommands *recent,
             TroupeCommand       **delivered)
{
  TroupeLaunchDialog *dialog = troupe_launch_dialog_new (GTK_WINDOW (window), recent);

  *dialog_slot = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) dialog_slot);
  g_signal_connect (dialog, "run-command", G_CALLBACK (on_run_command), delivered);
  gtk_window_present (GTK_WINDOW (dialog));
  troupe_ui_test_wait_for_frames (GTK_WIDGET (dialog));
}

static void
wait_closed (TroupeLaunchDialog **dialog_slot)
{
  troupe_ui_test_wait_until (is_cleared, dialog_slot, "closing the dialog");
}

static gboolean
saved_first (gpointer data)
{
  g_autoptr(TroupeRecentCommands) saved = troupe_recent_commands_new ();

  return troupe_recent_commands_load (saved, NULL) &&
         g_strcmp0 (troupe_recent_commands_get (saved)[0], data) == 0;
}

static void
test_launch_dialog (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  TroupeSession *session = troupe_application_get_session (app);
  g_autoptr(TroupeRecentCommands) recent = troupe_recent_commands_new ();
  g_autoptr(TroupeCommand) command = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autoptr(GPtrArray) rows_before = g_ptr_array_new ();
  g_auto(GStrv) environ = NULL;
  const char *base_environ[] = { "PATH=/usr/bin:/bin", NULL };
  const char *printf_argv[] = { "printf", "%s|%s\\n", "a b", "c", NULL };
  const char *expected_recent[] = { "printf '%s|%s\\n' \"a b\" c", "echo hi", NULL };
  TroupeLaunchDialog *dialog;
  GtkWidget *command_row;
  GtkWidget *error_label;
  GtkWidget *trash = NULL;
  GtkPopover *popover;
  TroupeProcess *job;

  g_assert_true (troupe_recent_commands_load (recent, NULL));
  open_dialog (&dialog, window, recent, &command);
  command_row = part (dialog, "command_row");
  error_label = part (dialog, "command_error_label");

  /* A modal dialog of the window, starting in the home folder, not ready yet. */
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (part (dialog, "folder_row"))),
                   ==, g_get_home_dir ());
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (dialog)) ==
                 part (dialog, "run_button"));
  g_assert_false (run_enabled (dialog));
  g_assert_false (gtk_widget_get_visible (error_label));

  /* A line that cannot be read says why, and cannot run, not even with Enter. */
  type_text (command_row, "echo 'unclosed");
  g_assert_false (run_enabled (dialog));
  troupe_ui_test_wait_for_label (GTK_WIDGET (dialog), "Unmatched quote: a single quote (') is never closed");
  g_assert_true (gtk_widget_has_css_class (command_row, "error"));
  troupe_ui_test_wait_for_frames (GTK_WIDGET (dialog));
  troupe_ui_test_save_screenshot (GTK_WIDGET (dialog), "launch-dialog-error");
  press_enter_in_command_line (dialog);
  troupe_ui_test_wait_for_frames (GTK_WIDGET (dialog));
  g_assert_null (command);

  type_text (command_row, "echo \"unclosed 'inner'");
  troupe_ui_test_wait_for_label (GTK_WIDGET (dialog), "Unmatched quote: a double quote (\") is never closed");
  type_text (command_row, "echo trailing\\");
  troupe_ui_test_wait_for_label (GTK_WIDGET (dialog),
                  "The line ends with a backslash: nothing follows it to escape");
  g_assert_false (run_enabled (dialog));

  /* Nothing, or only blanks: no error, but nothing to run. */
  type_text (command_row, "   ");
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_false (gtk_widget_has_css_class (command_row, "error"));
  g_assert_false (run_enabled (dialog));

  /* A good line, in the shell, with a name and a variable. */
  type_text (command_row, "echo hi");
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_true (run_enabled (dialog));
  gtk_switch_set_active (GTK_SWITCH (part (dialog, "shell_switch")), TRUE);
  type_text (part (dialog, "name_row"), "Greeting");

  gtk_widget_activate_action (GTK_WIDGET (dialog), "launch.add-variable", NULL);
  collect (part (dialog, "environment_group"), GTK_TYPE_ENTRY, entries);
  g_assert_cmpuint (entries->len, ==, 2);
  /* Just added and blank: ignored, not an error. */
  g_assert_true (run_enabled (dialog));
  type_text (g_ptr_array_index (entries, 0), "FOO=");
  troupe_ui_test_wait_for_label (GTK_WIDGET (dialog), "A variable name cannot contain “=”");
  g_assert_false (run_enabled (dialog));
  type_text (g_ptr_array_index (entries, 0), "");
  type_text (g_ptr_array_index (entries, 1), "bar");
  troupe_ui_test_wait_for_label (GTK_WIDGET (dialog), "Give the variable a name");
  g_assert_false (run_enabled (dialog));
  type_text (g_ptr_array_index (entries, 0), "FOO");
  g_assert_true (run_enabled (dialog));

  /* A second variable, wrong, then removed: Run is back. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "launch.add-variable", NULL);
  g_ptr_array_set_size (entries, 0);
  collect (part (dialog, "environment_group"), GTK_TYPE_ENTRY, entries);
  g_assert_cmpuint (entries->len, ==, 4);
  type_text (g_ptr_array_index (entries, 2), "A=B");
  g_assert_false (run_enabled (dialog));
  collect (part (dialog, "environment_group"), GTK_TYPE_BUTTON, rows_before);
  for (guint i = 0; i < rows_before->len; i++)
    if (g_strcmp0 (gtk_button_get_icon_name (g_ptr_array_index (rows_before, i)),
                   "user-trash-symbolic") == 0)
      trash = g_ptr_array_index (rows_before, i);
  g_assert_nonnull (trash);
  g_signal_emit_by_name (trash, "clicked");
  g_ptr_array_set_size (entries, 0);
  collect (part (dialog, "environment_group"), GTK_TYPE_ENTRY, entries);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_true (run_enabled (dialog));

  troupe_ui_test_wait_for_frames (GTK_WIDGET (dialog));
  troupe_ui_test_save_screenshot (GTK_WIDGET (dialog), "launch-dialog");

  /* Enter runs it (the default button, after its press is shown): the command
   * is what was set, and the dialog closes. */
  press_enter_in_command_line (dialog);
  troupe_ui_test_wait_until (is_set, &command, "running with Enter");
  wait_closed (&dialog);
  g_assert_true (troupe_command_is_shell (command));
  g_assert_cmpstr (troupe_command_get_shell_line (command), ==, "echo hi");
  g_assert_cmpstr (troupe_command_get_argv (command)[0], ==, "/bin/sh");
  g_assert_cmpstr (troupe_command_get_name (command), ==, "Greeting");
  g_assert_cmpstr (troupe_command_get_cwd (command), ==, g_get_home_dir ());
  environ = troupe_command_build_environ (command, base_environ);
  g_assert_cmpstr (g_environ_getenv (environ, "FOO"), ==, "bar");
  g_assert_cmpstr (g_environ_getenv (environ, "PATH"), ==, "/usr/bin:/bin");
  g_assert_cmpuint (g_strv_length (environ), ==, 2);

  /* What the window does with it: the job runs and shows its line. */
  job = troupe_session_run (session, command, NULL);
  troupe_window_select_job (window, job);
  troupe_test_wait_ended (job);
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "hi");
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "Greeting");
  g_clear_object (&command);

  /* Without the shell the line is split as a shell would; the Run button runs it. */
  open_dialog (&dialog, window, recent, &command);
  type_text (part (dialog, "command_row"), "printf '%s|%s\\n' \"a b\" c");
  g_assert_true (run_enabled (dialog));
  g_signal_emit_by_name (part (dialog, "run_button"), "clicked");
  g_assert_nonnull (command);
  wait_closed (&dialog);
  g_assert_false (troupe_command_is_shell (command));
  g_assert_null (troupe_command_get_shell_line (command));
  g_assert_cmpstrv (troupe_command_get_argv (command), printf_argv);
  g_assert_cmpstr (troupe_command_get_name (command), ==, "printf"); /* no name given */
  g_assert_false (troupe_command_changes_environment (command));
  g_clear_object (&command);

  /* Both are remembered, newest first, and written for next time. */
  g_assert_cmpstrv (troupe_recent_commands_get (recent), expected_recent);
  troupe_ui_test_wait_until (saved_first, (gpointer) expected_recent[0], "saving the recent commands");

  /* Typing offers the recent lines that match; Down and Enter take one. */
  open_dialog (&dialog, window, recent, &command);
  command_row = part (dialog, "command_row");
  popover = recent_popover (dialog);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));
  type_text (command_row, "ec");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  troupe_ui_test_wait_for_label (GTK_WIDGET (popover), "echo hi");
  g_assert_false (troupe_ui_test_find_label (GTK_WIDGET (popover), expected_recent[0]));
  troupe_ui_test_wait_for_frames (GTK_WIDGET (popover));
  troupe_ui_test_save_screenshot (GTK_WIDGET (popover), "launch-dialog-recent");
  g_assert_true (press_key_in_command_line (dialog, GDK_KEY_Down));
  g_assert_true (press_key_in_command_line (dialog, GDK_KEY_Return));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (command_row)), ==, "echo hi");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_null (command);

  /* Escape hides the offer first; the dialog stays. */
  type_text (command_row, "A B");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  troupe_ui_test_wait_for_label (GTK_WIDGET (popover), expected_recent[0]);
  g_assert_true (press_key_in_command_line (dialog, GDK_KEY_Escape));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_false (press_key_in_command_line (dialog, GDK_KEY_Escape));

  /* No match, nothing offered. */
  type_text (command_row, "zzz");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));

  /* Closing without running delivers nothing. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  wait_closed (&dialog);
  g_assert_null (command);

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

int
main (int   argc,
      char *argv[])
{
  troupe_test_init (&argc, &argv);

  g_test_add_func ("/troupe/launch-dialog/run-and-recent", test_launch_dialog);

  return troupe_test_run_all ();
}
