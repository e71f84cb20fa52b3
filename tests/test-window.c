/* test-window.c: the real window under Xvfb: it opens, says what it is, and quits cleanly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "troupe-launch-dialog.h"
#include "troupe-preferences-window.h"
#include "troupe-ui-test-util.h"

typedef struct
{
  GPid     child;
  gboolean quit_by_signal;
} QuitCase;

static void
on_activate (GApplication *app,
             gpointer      user_data)
{
  QuitCase *quit_case = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (TROUPE_IS_WINDOW (window));
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));

  g_assert_cmpstr (gtk_window_get_title (window), ==, "Troupe");
  g_assert_true (troupe_ui_test_find_label (GTK_WIDGET (window), "No Jobs"));
  g_assert_cmpuint (g_list_model_get_n_items (
                      G_LIST_MODEL (troupe_application_get_session (TROUPE_APPLICATION (app)))),
                    ==, 0);

  /* A child that ignores SIGTERM, still running when the app quits. */
  {
    g_autoptr(TroupeCommand) command = troupe_test_child_command ("ignore-term", NULL);
    TroupeSession *session = troupe_application_get_session (TROUPE_APPLICATION (app));
    TroupeProcess *process;

    troupe_command_set_stop_timeout (command, 200);
    process = troupe_session_run (session, command, NULL);
    troupe_test_wait_lines (process, TROUPE_LINES_STDOUT, 1);
    quit_case->child = troupe_process_get_pid (process);
  }

  if (quit_case->quit_by_signal)
    kill (getpid (), SIGTERM); /* as at logout: no question asked */
  else
    {
      /* With a job running, Quit asks first; the answer here is yes. */
      GListModel *toplevels = gtk_window_get_toplevels ();
      AdwMessageDialog *dialog = NULL;

      g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);

      for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);
          if (ADW_IS_MESSAGE_DIALOG (toplevel))
            dialog = ADW_MESSAGE_DIALOG (toplevel);
        }
      g_assert_nonnull (dialog);
      g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Stop Running Jobs?");
      troupe_ui_test_wait_for_frames (GTK_WIDGET (dialog));
      troupe_ui_test_save_screenshot (GTK_WIDGET (dialog), "quit-dialog");
      adw_message_dialog_response (dialog, "quit");
    }
}

static void
test_window_opens (gconstpointer data)
{
  g_autoptr(TroupeApplication) app = troupe_application_new ();
  QuitCase quit_case = { 0, GPOINTER_TO_INT (data) };

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  /* Connected after the class handler, which creates the window. */
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), &quit_case);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 0, NULL), ==, 0);

  /* Quitting stopped it — SIGTERM, then SIGKILL — and reaped it before returning. */
  g_assert_cmpint (quit_case.child, >, 0);
  g_assert_true (troupe_test_pid_is_gone (quit_case.child));
}

static void
test_examples_and_jobs (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  TroupeSession *session = troupe_application_get_session (app);
  TroupeProcess *job;

  /* The start page offers the examples. */
  g_assert_true (troupe_ui_test_find_label (GTK_WIDGET (window), "No Jobs"));
  g_assert_true (troupe_ui_test_find_label (GTK_WIDGET (window), "ls -lh /usr"));
  g_assert_true (troupe_ui_test_find_label (GTK_WIDGET (window), "ls /usr/bin | sort -r | head -n 20"));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "empty-state");

  /* Both streams, exit code 3: lines in order, stderr told apart, the end said. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run-example", "u", 1);
  job = troupe_window_get_selected_job (window);
  g_assert_nonnull (job);
  troupe_test_wait_ended (job);
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "to stdout");
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "to stderr");
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "Exited with code 3");
  g_assert_cmpuint (troupe_job_view_get_n_shown (troupe_window_get_job_view (window)), ==, 2);
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "failed-job");

  /* A job that runs until stopped; stopping it says how it ended. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run-example", "u", 2);
  job = troupe_window_get_selected_job (window);
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "tick 2");
  g_assert_true (troupe_process_is_running (job));
  g_assert_true (troupe_job_view_get_following (troupe_window_get_job_view (window)));
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "running-job");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop-job", NULL);
  troupe_test_wait_ended (job);
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "Killed by SIGTERM (terminated)");

  /* Removing jobs empties the list and brings the start page back. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (session)), ==, 2);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-job", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (session)), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-job", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (session)), ==, 0);
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "No Jobs");

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

static void
test_stdin_from_window (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  g_autoptr(TroupeCommand) command = troupe_test_child_command ("echo", NULL);
  TroupeProcess *job = troupe_session_run (troupe_application_get_session (app), command, NULL);
  GtkWidget *entry;

  troupe_window_select_job (window, job);
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "ready");
  entry = troupe_ui_test_find_entry (GTK_WIDGET (troupe_window_get_job_view (window)));
  g_assert_nonnull (entry);
  g_assert_true (gtk_widget_get_sensitive (entry));

  gtk_editable_set_text (GTK_EDITABLE (entry), "hello from the window");
  g_signal_emit_by_name (entry, "activate");
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "got: hello from the window");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");

  /* End of file ends it; input is then no longer offered. */
  troupe_process_close_stdin (job);
  troupe_test_wait_ended (job);
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "eof");
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "Exited with code 0");
  g_assert_false (gtk_widget_get_sensitive (entry));

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

static void
on_clipboard_text (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static void
test_job_actions (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  TroupeSession *session = troupe_application_get_session (app);
  g_autoptr(TroupeCommand) sleeper = troupe_test_child_command ("sleep", NULL);
  g_autofree char *copied = NULL;
  TroupeProcess *first;
  TroupeProcess *again;
  TroupeProcess *restarted;

  /* Send a signal by name. */
  first = troupe_session_run (session, sleeper, NULL);
  troupe_window_select_job (window, first);
  troupe_test_wait_lines (first, TROUPE_LINES_STDOUT, 1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.send-signal", "s", "SIGUSR1");
  troupe_test_wait_ended (first);
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "Killed by SIGUSR1 (user signal 1)");

  /* Copy the command line. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.copy-command-line", NULL);
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (window)), NULL,
                                 on_clipboard_text, &copied);
  while (copied == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_str_has_suffix (copied, "troupe-test-child sleep"));

  /* Run again: a new job, same command, selected. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run-again", NULL);
  again = troupe_window_get_selected_job (window);
  g_assert_true (again != first);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (session)), ==, 2);
  troupe_test_wait_lines (again, TROUPE_LINES_STDOUT, 1);

  /* Restart: the running job is stopped, then a new run starts. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.restart-job", NULL);
  troupe_test_wait_ended (again);
  g_assert_cmpint (troupe_process_get_term_signal (again), ==, SIGTERM);
  while (g_list_model_get_n_items (G_LIST_MODEL (session)) < 3)
    g_main_context_iteration (NULL, TRUE);
  restarted = troupe_window_get_selected_job (window);
  g_assert_true (restarted != again);
  troupe_test_wait_lines (restarted, TROUPE_LINES_STDOUT, 1);
  g_assert_true (troupe_process_is_running (restarted));

  /* Remove Finished keeps the one still running. */
  troupe_test_wait_group_gone (first);
  troupe_test_wait_group_gone (again);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-finished", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (session)), ==, 1);
  g_assert_true (troupe_window_get_selected_job (window) == restarted);

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

static void
test_search_filter_clear (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  TroupeJobView *view = troupe_window_get_job_view (window);
  g_autoptr(TroupeCommand) command =
    troupe_command_new_shell ("for i in $(seq 1 3000); do echo \"out $i\"; "
                              "[ $((i % 500)) -eq 0 ] && echo \"err $i has a Needle\" >&2; done; true");
  TroupeProcess *job = troupe_session_run (troupe_application_get_session (app), command, NULL);
  GtkWidget *entry;
  TroupeLogSearch *search;

  troupe_window_select_job (window, job);
  troupe_test_wait_ended (job);
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "Exited with code 0");
  /* The view follows the end, so the last line shows once all have arrived. */
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "err 3000 has a Needle");
  g_assert_cmpuint (troupe_job_view_get_n_shown (view), ==, 3006);

  /* Ctrl+F: find, count, step through matches; the match is shown. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.find", NULL);
  entry = troupe_ui_test_find_search_entry (GTK_WIDGET (view));
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "needle");
  while ((search = troupe_job_view_get_search (view)) == NULL ||
         !troupe_log_search_is_finished (search))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (troupe_log_search_get_n_matches (search), ==, 6);
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "6 matches");
  g_signal_emit_by_name (entry, "next-match");
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "1 of 6");
  g_signal_emit_by_name (entry, "next-match");
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "2 of 6");
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "err 1000 has a Needle");
  g_signal_emit_by_name (entry, "previous-match");
  g_signal_emit_by_name (entry, "previous-match");
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "6 of 6");
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "err 3000 has a Needle");

  /* Timestamps: seconds since the job started, beside each line. */
  g_assert_false (troupe_ui_test_find_label_prefix (GTK_WIDGET (view), "+0."));
  troupe_ui_test_click_button (GTK_WIDGET (view), "Show Timestamps");
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  g_assert_true (troupe_ui_test_find_label_prefix (GTK_WIDGET (view), "+0."));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "search");

  /* One stream only, then clear the view. */
  troupe_ui_test_select_dropdown (GTK_WIDGET (view), 2);
  g_assert_cmpuint (troupe_job_view_get_n_shown (view), ==, 6);
  troupe_ui_test_select_dropdown (GTK_WIDGET (view), 1);
  g_assert_cmpuint (troupe_job_view_get_n_shown (view), ==, 3000);
  troupe_ui_test_select_dropdown (GTK_WIDGET (view), 0);
  g_assert_cmpuint (troupe_job_view_get_n_shown (view), ==, 3006);
  troupe_ui_test_click_button (GTK_WIDGET (view), "Clear");
  g_assert_cmpuint (troupe_job_view_get_n_shown (view), ==, 0);
  /* The log keeps every line. */
  g_assert_cmpuint (troupe_log_get_n_lines (troupe_process_get_log (job), TROUPE_LINES_ALL), ==, 3006);

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

static GtkInscription *
find_drawn_label (GtkWidget  *widget,
                  const char *text)
{
  if (GTK_IS_INSCRIPTION (widget) && gtk_widget_is_drawable (widget) &&
      g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (widget)), text) == 0)
    return GTK_INSCRIPTION (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkInscription *found = find_drawn_label (child, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_ansi_colours (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  g_autoptr(TroupeCommand) command =
    troupe_command_new_shell ("printf '\\033[1;31mred bold\\033[0m, \\033[32mgreen\\033[0m, "
                              "\\033[38;5;208morange\\033[0m\\n'; "
                              "printf '\\033[2K\\033[1Gprogress done\\n'");
  TroupeProcess *job = troupe_session_run (troupe_application_get_session (app), command, NULL);
  GtkInscription *label;
  PangoAttrList *attributes;

  troupe_window_select_job (window, job);
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "red bold, green, orange");
  /* Other codes are hidden, not shown as garbage. */
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "progress done");

  label = find_drawn_label (GTK_WIDGET (window), "red bold, green, orange");
  g_assert_nonnull (label);
  attributes = gtk_inscription_get_attributes (label);
  g_assert_nonnull (attributes);
  {
    g_autoptr(GSList) list = pango_attr_list_get_attributes (attributes);
    /* red + bold on "red bold", green, orange */
    g_assert_cmpuint (g_slist_length (list), ==, 4);
    g_slist_free_full (g_steal_pointer (&list), (GDestroyNotify) pango_attribute_destroy);
  }
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "ansi");

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

static GtkWindow *find_toplevel (GType type);

static GtkWidget *
find_first (GtkWidget *widget,
            GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_first (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_new_job_dialog (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  TroupeSession *session = troupe_application_get_session (app);
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(TroupeCommand) command = troupe_command_new_shell ("echo from the dialog");
  TroupeLaunchDialog *dialog = NULL;

  /* Ctrl+N opens the launch dialog over the window… */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-job", NULL);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);
      if (TROUPE_IS_LAUNCH_DIALOG (toplevel))
        dialog = TROUPE_LAUNCH_DIALOG (toplevel);
    }
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));

  /* …and what it runs becomes the selected job. */
  g_signal_emit_by_name (dialog, "run-command", command);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (session)), ==, 1);
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "from the dialog");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Duplicate: the dialog again, filled in from the job. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.duplicate-job", NULL);
  dialog = TROUPE_LAUNCH_DIALOG (find_toplevel (TROUPE_TYPE_LAUNCH_DIALOG));
  g_assert_nonnull (dialog);
  {
    GtkWidget *row = find_first (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW);

    g_assert_nonnull (row);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "echo from the dialog");
  }
  gtk_window_destroy (GTK_WINDOW (dialog));

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type))
        return GTK_WINDOW (toplevel);
    }
  return NULL;
}

static void
test_preferences_and_about (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  GSettings *settings = troupe_application_get_settings (app);
  GtkWindow *preferences;
  GtkWindow *about;
  GtkWidget *timestamps;

  g_assert_nonnull (settings);
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = find_toplevel (TROUPE_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  troupe_ui_test_wait_for_label (GTK_WIDGET (preferences), "Stop Timeout");
  troupe_ui_test_wait_for_label (GTK_WIDGET (preferences), "Runs to Keep");
  troupe_ui_test_wait_for_frames (GTK_WIDGET (preferences));
  troupe_ui_test_save_screenshot (GTK_WIDGET (preferences), "preferences");

  /* The timestamps setting and the output's toggle are one. */
  timestamps = troupe_ui_test_find_button (GTK_WIDGET (troupe_window_get_job_view (window)),
                                           "Show Timestamps");
  g_assert_nonnull (timestamps);
  g_settings_set_boolean (settings, "timestamps", TRUE);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (timestamps)));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (timestamps), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "timestamps"));
  gtk_window_destroy (preferences);

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  gtk_window_destroy (about);

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

int
main (int   argc,
      char *argv[])
{
  /* These tests make several applications one after another in this process;
   * on a session bus each would claim the same object paths. */
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  troupe_test_init (&argc, &argv);

  g_test_add_data_func ("/troupe/window/opens-and-quits", GINT_TO_POINTER (FALSE),
                        test_window_opens);
  g_test_add_data_func ("/troupe/window/quits-on-sigterm", GINT_TO_POINTER (TRUE),
                        test_window_opens);
  g_test_add_func ("/troupe/window/examples-and-jobs", test_examples_and_jobs);
  g_test_add_func ("/troupe/window/stdin", test_stdin_from_window);
  g_test_add_func ("/troupe/window/job-actions", test_job_actions);
  g_test_add_func ("/troupe/window/search-filter-clear", test_search_filter_clear);
  g_test_add_func ("/troupe/window/ansi-colours", test_ansi_colours);
  g_test_add_func ("/troupe/window/new-job-dialog", test_new_job_dialog);
  g_test_add_func ("/troupe/window/preferences-and-about", test_preferences_and_about);

  return troupe_test_run_all ();
}
