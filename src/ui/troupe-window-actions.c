/* troupe-window-actions.c: what the main window does to jobs: new, run, stop, restart, export
 *
 * The window's actions on the selected job or member (and the start page's
 * examples), installed on the window class by _troupe_window_actions_class_init ().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <signal.h>

#include "troupe-application.h"
#include "troupe-launch-dialog.h"
#include "troupe-signal-names.h"
#include "troupe-window-private.h"

typedef struct
{
  const char *name;
  const char *command_line;
  gboolean    in_shell;
} Example;

/* The start page's examples: a plain command, both streams and an exit code, a
 * job that runs until stopped, and a pipe that needs the shell. */
static const Example examples[] = {
  { N_("List /usr"), "ls -lh /usr", FALSE },
  { N_("Both Streams, Exit 3"), "echo 'to stdout'; echo 'to stderr' >&2; exit 3", TRUE },
  { N_("Counter"), "i=0; while true; do i=$((i+1)); echo \"tick $i\"; sleep 1; done", TRUE },
  { N_("Shell Pipe"), "ls /usr/bin | sort -r | head -n 20", TRUE },
};

static void
apply_stop_timeout (TroupeWindow  *self,
                    TroupeCommand *command)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GSettings *settings = app != NULL ? troupe_application_get_settings (TROUPE_APPLICATION (app))
                                    : NULL;

  /* Jobs started here stop with the timeout the preferences give. */
  if (settings != NULL)
    troupe_command_set_stop_timeout (command,
                                     (guint) (g_settings_get_double (settings, "stop-timeout") *
                                              1000));
}

/**
 * troupe_window_start_cluster:
 * @cluster: a cluster, not started yet
 * @n_members: how many members, 0 for one per CPU
 *
 * Adds @cluster to the session, starts it and shows its page. A start that
 * fails (a port in use, say) is a toast, and the page tells why.
 */
void
troupe_window_start_cluster (TroupeWindow  *self,
                             TroupeCluster *cluster,
                             guint          n_members)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TROUPE_IS_WINDOW (self));
  g_return_if_fail (TROUPE_IS_CLUSTER (cluster));

  /* Started before it is listed, so that its row and page show from the
   * first whether it runs or why not. */
  if (!troupe_cluster_start (cluster, n_members > 0 ? n_members : troupe_cluster_default_size (),
                             &error))
    {
      /* Translators: a cluster that did not start, and why */
      g_autofree char *text = g_strdup_printf (_("Could not start the cluster: %s"),
                                               error->message);

      _troupe_window_show_toast (self, text);
    }
  troupe_session_add_cluster (self->session, cluster);
  troupe_window_select_cluster (self, cluster);
}

static void
run_cluster (TroupeWindow  *self,
             TroupeCommand *command,
             guint          n_members,
             const char    *host,
             guint          port)
{
  g_autoptr(TroupeCluster) cluster = NULL;

  apply_stop_timeout (self, command);
  cluster = troupe_cluster_new (command, troupe_session_get_launcher (self->session),
                                troupe_session_get_spool_dir (self->session));
  troupe_cluster_set_listen (cluster, host, (guint16) port);
  troupe_window_start_cluster (self, cluster, n_members);
}

static void
run_command (TroupeWindow  *self,
             TroupeCommand *command)
{
  apply_stop_timeout (self, command);

  /* A start that fails is a job too: its state says why. */
  TroupeProcess *process = troupe_session_run (self->session, command, NULL);

  troupe_window_select_job (self, process);
}

static TroupeLaunchDialog *open_launch_dialog (TroupeWindow *self);

/* New Job (Ctrl+N): the launch dialog; what it runs becomes the selected job. */
static void
on_new_job (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  open_launch_dialog (TROUPE_WINDOW (widget));
}

/* Duplicate: the launch dialog, filled in from the selected job. */
static void
on_duplicate_job (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TroupeWindow *self = TROUPE_WINDOW (widget);
  TroupeProcess *process = troupe_window_get_selected_job (self);
  TroupeLaunchDialog *dialog;

  if (process == NULL)
    return;
  dialog = open_launch_dialog (self);
  troupe_launch_dialog_set_command (dialog, troupe_process_get_command (process));
}

static TroupeLaunchDialog *
open_launch_dialog (TroupeWindow *self)
{
  TroupeLaunchDialog *dialog;

  if (self->recent_commands == NULL)
    {
      g_autoptr(GError) error = NULL;

      /* Read once; a damaged file costs the suggestions, never the dialog. */
      self->recent_commands = troupe_recent_commands_new ();
      if (!troupe_recent_commands_load (self->recent_commands, &error))
        _troupe_window_show_toast (self, error->message);
    }

  dialog = troupe_launch_dialog_new (GTK_WINDOW (self), self->recent_commands);
  g_signal_connect_object (dialog, "run-command", G_CALLBACK (run_command), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "run-cluster", G_CALLBACK (run_cluster), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
on_run_example (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TroupeWindow *self = TROUPE_WINDOW (widget);
  guint index = g_variant_get_uint32 (parameter);
  g_autoptr(TroupeCommand) command = NULL;
  const Example *example;

  if (index >= G_N_ELEMENTS (examples))
    return;
  example = &examples[index];

  if (example->in_shell)
    command = troupe_command_new_shell (example->command_line);
  else
    {
      g_auto(GStrv) argv = NULL;

      if (!g_shell_parse_argv (example->command_line, NULL, &argv, NULL))
        return;
      command = troupe_command_new_argv ((const char * const *) argv);
    }
  troupe_command_set_name (command, _(example->name));
  run_command (self, command);
}

static void
on_remove_job (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TroupeWindow *self = TROUPE_WINDOW (widget);
  TroupeProcess *process = troupe_window_get_selected_job (self);
  TroupeCluster *cluster = troupe_window_get_selected_cluster (self);

  if (process != NULL)
    troupe_session_remove (self->session, process);
  else if (cluster != NULL)
    troupe_session_remove_cluster (self->session, cluster);
  else
    _troupe_window_workers_remove (self->workers,
                                   gtk_single_selection_get_selected_item (self->selection));
}

/* Stop and Kill (buttons, shortcuts) also act on a selected cluster, all its
 * members, or a selected member. */
static TroupeClusterMember *
selected_member (TroupeWindow *self)
{
  gpointer item = gtk_single_selection_get_selected_item (self->selection);

  return TROUPE_IS_CLUSTER_MEMBER (item) ? item : NULL;
}

static void
on_stop_job (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TroupeWindow *self = TROUPE_WINDOW (widget);
  TroupeProcess *process = troupe_window_get_selected_job (self);
  TroupeCluster *cluster = troupe_window_get_selected_cluster (self);
  TroupeClusterMember *member = selected_member (self);

  if (process != NULL)
    troupe_process_stop (process);
  else if (member != NULL)
    troupe_cluster_member_stop (member);
  else if (cluster != NULL)
    troupe_cluster_stop (cluster);
}

static void
on_kill_job (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TroupeWindow *self = TROUPE_WINDOW (widget);
  TroupeProcess *process = troupe_window_get_selected_job (self);
  TroupeCluster *cluster = troupe_window_get_selected_cluster (self);
  TroupeClusterMember *member = selected_member (self);

  if (process != NULL)
    troupe_process_kill (process, NULL);
  else if (member != NULL)
    {
      /* Killed for good, not to be restarted: the SIGKILL goes first, so the
       * stop's own SIGTERM finds nothing left to ask. */
      troupe_cluster_member_send_signal (member, SIGKILL, NULL);
      troupe_cluster_member_stop (member);
    }
  else if (cluster != NULL)
    {
      GListModel *members = troupe_cluster_get_members (cluster);
      guint n = g_list_model_get_n_items (members);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(TroupeClusterMember) each = g_list_model_get_item (members, i);
          troupe_cluster_member_send_signal (each, SIGKILL, NULL);
        }
      troupe_cluster_stop (cluster);
    }
}

static void
on_send_signal (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TroupeWindow *self = TROUPE_WINDOW (widget);
  TroupeProcess *process = troupe_window_get_selected_job (self);
  int signal_number = troupe_signal_from_name (g_variant_get_string (parameter, NULL));
  g_autoptr(GError) error = NULL;

  if (process == NULL || signal_number == 0)
    return;
  if (!troupe_process_send_signal (process, signal_number, &error))
    _troupe_window_show_toast (self, error->message);
}

static void
run_copy_of (TroupeWindow  *self,
             TroupeProcess *process)
{
  g_autoptr(TroupeCommand) command = troupe_command_copy (troupe_process_get_command (process));

  run_command (self, command);
}

static void
on_run_again (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TroupeWindow *self = TROUPE_WINDOW (widget);
  TroupeProcess *process = troupe_window_get_selected_job (self);

  if (process != NULL)
    run_copy_of (self, process);
}

typedef struct
{
  TroupeWindow  *window;
  TroupeProcess *process;
  gulong         handler;
} Restart;

static void
on_restart_stopped (TroupeProcess *process,
                    GParamSpec    *pspec,
                    Restart       *restart)
{
  if (troupe_process_is_group_alive (process))
    return;
  g_signal_handler_disconnect (process, restart->handler);
  run_copy_of (restart->window, process);
  g_object_unref (restart->window);
  g_object_unref (restart->process);
  g_free (restart);
}

/* Restart: stop the job (the whole group, as Stop does), then run it again. */
static void
on_restart (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  TroupeWindow *self = TROUPE_WINDOW (widget);
  TroupeProcess *process = troupe_window_get_selected_job (self);
  Restart *restart;

  if (process == NULL)
    return;
  if (!troupe_process_is_group_alive (process))
    {
      run_copy_of (self, process);
      return;
    }

  restart = g_new0 (Restart, 1);
  restart->window = g_object_ref (self);
  restart->process = g_object_ref (process);
  restart->handler = g_signal_connect (process, "notify::group-alive",
                                       G_CALLBACK (on_restart_stopped), restart);
  troupe_process_stop (process);
}

static void
on_remove_finished (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TroupeWindow *self = TROUPE_WINDOW (widget);
  GListModel *jobs = G_LIST_MODEL (self->session);

  for (guint i = g_list_model_get_n_items (jobs); i > 0; i--)
    {
      g_autoptr(TroupeProcess) process = g_list_model_get_item (jobs, i - 1);

      if (troupe_process_has_ended (process) && !troupe_process_is_group_alive (process))
        troupe_session_remove (self->session, process);
    }
}

static void
on_copy_command_line (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TroupeWindow *self = TROUPE_WINDOW (widget);
  TroupeProcess *process = troupe_window_get_selected_job (self);
  g_autofree char *line = NULL;

  if (process == NULL)
    return;
  line = troupe_command_to_display_string (troupe_process_get_command (process));
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), line);
  _troupe_window_show_toast (self, _("Command line copied"));
}

static void
on_log_exported (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TroupeWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (troupe_log_export_finish (TROUPE_LOG (object), result, &error))
    _troupe_window_show_toast (self, _("Log exported"));
  else
    {
      g_autofree char *message = g_strdup_printf (_("Could not export the log: %s"),
                                                  error->message);
      _troupe_window_show_toast (self, message);
    }
}

static void
on_export_chosen (GtkNativeDialog *chooser,
                  int              response,
                  gpointer         user_data)
{
  g_autoptr(TroupeWindow) self = user_data;
  g_autoptr(GFile) file = NULL;
  TroupeProcess *process = g_object_get_data (G_OBJECT (chooser), "troupe-process");

  if (response == GTK_RESPONSE_ACCEPT && process != NULL &&
      troupe_process_get_log (process) != NULL)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      troupe_log_export_async (troupe_process_get_log (process), file, NULL, on_log_exported,
                               g_object_ref (self));
    }
  g_object_unref (chooser);
}

/* Export: every byte the job printed, as printed, to a file the user picks. */
static void
on_export_log (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TroupeWindow *self = TROUPE_WINDOW (widget);
  TroupeProcess *process = troupe_window_get_selected_job (self);
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (process == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Export Log"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  name = g_strdup_printf ("%s.log", troupe_process_get_name (process));
  g_strdelimit (name, "/", '_');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data_full (G_OBJECT (chooser), "troupe-process", g_object_ref (process),
                          g_object_unref);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_find (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  TroupeWindow *self = TROUPE_WINDOW (widget);

  if (troupe_window_get_selected_job (self) == NULL && self->member == NULL)
    return;
  if (g_strcmp0 (troupe_window_get_page (self), "messages") == 0)
    troupe_messages_view_start_search (self->messages_view);
  else
    troupe_job_view_start_search (self->job_view);
}

/* The start page's buttons, one for each example. */
void
_troupe_window_add_example_buttons (TroupeWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      GtkWidget *button = gtk_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *name = gtk_label_new (_(examples[i].name));
      GtkWidget *line = gtk_label_new (examples[i].command_line);

      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_widget_add_css_class (name, "heading");
      gtk_label_set_xalign (GTK_LABEL (line), 0);
      gtk_label_set_ellipsize (GTK_LABEL (line), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (line, "monospace");
      gtk_widget_add_css_class (line, "dim-label");
      gtk_box_append (GTK_BOX (box), name);
      gtk_box_append (GTK_BOX (box), line);
      gtk_button_set_child (GTK_BUTTON (button), box);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.run-example");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", i);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(examples[i].name),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, examples[i].command_line,
                                      -1);
      gtk_box_append (self->example_box, button);
    }
}

void
_troupe_window_actions_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.new-job", NULL, on_new_job);
  gtk_widget_class_install_action (widget_class, "win.duplicate-job", NULL, on_duplicate_job);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-job", NULL);
  gtk_widget_class_install_action (widget_class, "win.run-example", "u", on_run_example);
  gtk_widget_class_install_action (widget_class, "win.remove-job", NULL, on_remove_job);
  gtk_widget_class_install_action (widget_class, "win.stop-job", NULL, on_stop_job);
  gtk_widget_class_install_action (widget_class, "win.kill-job", NULL, on_kill_job);
  gtk_widget_class_install_action (widget_class, "win.send-signal", "s", on_send_signal);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, on_find);
  gtk_widget_class_install_action (widget_class, "win.export-log", NULL, on_export_log);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "win.export-log", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.find", NULL);
  gtk_widget_class_install_action (widget_class, "win.restart-job", NULL, on_restart);
  gtk_widget_class_install_action (widget_class, "win.run-again", NULL, on_run_again);
  gtk_widget_class_install_action (widget_class, "win.remove-finished", NULL, on_remove_finished);
  gtk_widget_class_install_action (widget_class, "win.copy-command-line", NULL,
                                   on_copy_command_line);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "win.remove-job", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.stop-job", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.kill-job", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.restart-job", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.run-again", NULL);
}
