/* test-cluster-view.c: clusters in the real window under Xvfb: the sidebar, the
 * cluster's page with its members live, a member killed and restarted, scaling,
 * stopping, quitting, and the launch dialog's Cluster mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "troupe-cluster-view.h"
#include "troupe-launch-dialog.h"
#include "troupe-listener.h"
#include "troupe-member-row.h"
#include "troupe-ui-test-util.h"

static GtkWidget *
template_part (GtkWidget  *widget,
               GType       type,
               const char *id)
{
  GObject *object = gtk_widget_get_template_child (widget, type, id);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static TroupeCluster *
new_c_cluster (TroupeSession *session)
{
  const char *argv[] = { LISTEN_FDS_MEMBER_PATH, NULL };
  g_autoptr(TroupeCommand) command = troupe_command_new_argv (argv);
  TroupeCluster *cluster;

  troupe_command_set_name (command, "hello-c");
  troupe_command_set_stop_timeout (command, 2000);
  cluster = troupe_cluster_new (command, troupe_session_get_launcher (session),
                                troupe_session_get_spool_dir (session));
  troupe_cluster_set_listen (cluster, "127.0.0.1", 0);
  /* Not a Node member: ready after the grace time, kept short here. */
  troupe_cluster_set_grace_ms (cluster, 100);
  return cluster;
}

static TroupeClusterMember *
member_at (TroupeCluster *cluster,
           guint          index)
{
  TroupeClusterMember *member = g_list_model_get_item (troupe_cluster_get_members (cluster), index);

  g_object_unref (member); /* the cluster keeps it */
  return member;
}

static void
on_reloaded (TroupeCluster *cluster,
             guint          replaced,
             guint         *reloaded)
{
  *reloaded = replaced;
}

static gboolean
is_nonzero (gpointer data)
{
  return *(guint *) data != 0;
}

static gboolean
cluster_gone (gpointer data)
{
  return !troupe_cluster_is_alive (data);
}

static gboolean
member_exited (gpointer data)
{
  return troupe_cluster_member_get_state (data) == TROUPE_MEMBER_EXITED &&
         troupe_process_has_ended (troupe_cluster_member_get_process (data));
}

static void
test_members_live (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  TroupeSession *session = troupe_application_get_session (app);
  g_autoptr(TroupeCluster) cluster = new_c_cluster (session);
  GtkWidget *page = GTK_WIDGET (troupe_window_get_cluster_view (window));
  GtkWidget *sidebar = troupe_window_get_job_list (window);
  g_autofree char *address = NULL;
  TroupeClusterMember *member;
  guint id;
  GtkSpinButton *size_spin;
  GtkWidget *broadcast_row;
  guint reloaded = 0;

  troupe_window_start_cluster (window, cluster, 2);
  g_assert_true (troupe_window_get_selected_cluster (window) == cluster);
  g_assert_cmpuint (troupe_session_count_alive (session), ==, 1);

  /* The page: both members listening, and the address with the port picked. */
  troupe_ui_test_wait_for_labels_containing (page, "Listening", 2);
  address = g_strdup_printf ("127.0.0.1:%u", troupe_cluster_get_port (cluster));
  g_assert_cmpuint (troupe_cluster_get_port (cluster), >, 0);
  troupe_ui_test_wait_for_label (page, address);
  troupe_ui_test_wait_for_label (page, "Member 1");
  troupe_ui_test_wait_for_label (page, "Member 2");
  /* The sidebar: the cluster, then its members under it. */
  troupe_ui_test_wait_for_labels_containing (sidebar, "2/2", 1);
  troupe_ui_test_wait_for_labels_containing (sidebar, "Listening", 2);
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "cluster-started");
  troupe_ui_test_save_screenshot (gtk_widget_get_parent (sidebar), "cluster-sidebar");

  /* SIGKILL through the page: the member comes back, and the page says so. */
  member = member_at (cluster, 0);
  id = troupe_cluster_member_get_id (member);
  gtk_widget_activate_action (page, "cluster.signal-member", "(us)", id, "SIGKILL");
  troupe_ui_test_wait_for_labels_containing (page, "Last exit: Killed by SIGKILL (killed)", 1);
  troupe_ui_test_wait_for_labels_containing (page, "· 1 restart ·", 1);
  troupe_ui_test_wait_for_labels_containing (page, "Listening", 2);
  g_assert_cmpuint (troupe_cluster_member_get_restarts (member), ==, 1);
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "cluster");

  /* The member's own page: its run's output, and its exits. */
  troupe_window_select_member (window, member);
  g_assert_null (troupe_window_get_selected_cluster (window));
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "serving on fd 3 (troupe)");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "messages");
  g_assert_cmpstr (troupe_window_get_page (window), ==, "messages");
  adw_view_stack_set_visible_child_name (
    ADW_VIEW_STACK (gtk_widget_get_ancestor (GTK_WIDGET (troupe_window_get_job_view (window)),
                                             ADW_TYPE_VIEW_STACK)), "timeline");
  troupe_ui_test_wait_for_labels_containing (GTK_WIDGET (window), "Killed by SIGKILL (killed)", 1);
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "cluster-member-exits");

  /* Broadcast: JSON only, told under the entry; sent to every member. */
  troupe_window_select_cluster (window, cluster);
  broadcast_row = template_part (page, TROUPE_TYPE_CLUSTER_VIEW, "broadcast_row");
  gtk_editable_set_text (GTK_EDITABLE (broadcast_row), "{\"hello\":");
  g_assert_true (gtk_widget_has_css_class (broadcast_row, "error"));
  g_assert_true (gtk_widget_get_visible (template_part (page, TROUPE_TYPE_CLUSTER_VIEW,
                                                        "broadcast_error")));
  gtk_editable_set_text (GTK_EDITABLE (broadcast_row), "{\"hello\": 1}");
  g_assert_false (gtk_widget_has_css_class (broadcast_row, "error"));
  gtk_widget_activate_action (page, "cluster.broadcast", NULL);
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "Message sent to 2 members");

  /* Reload from the page: every member replaced, both listening again. */
  g_signal_connect (cluster, "reloaded", G_CALLBACK (on_reloaded), &reloaded);
  gtk_widget_activate_action (page, "cluster.reload", NULL);
  troupe_ui_test_wait_until (is_nonzero, &reloaded, "for the reload to go through");
  g_assert_cmpuint (reloaded, ==, 2);
  g_signal_handlers_disconnect_by_data (cluster, &reloaded);
  troupe_ui_test_wait_for_labels_containing (page, "Listening", 2);

  /* Scale to 3 from the page. */
  size_spin = GTK_SPIN_BUTTON (template_part (page, TROUPE_TYPE_CLUSTER_VIEW, "size_spin"));
  gtk_spin_button_set_value (size_spin, 3);
  gtk_widget_activate_action (page, "cluster.scale", NULL);
  troupe_ui_test_wait_for_labels_containing (page, "Listening", 3);
  g_assert_cmpuint (troupe_cluster_get_size (cluster), ==, 3);
  troupe_ui_test_wait_for_labels_containing (sidebar, "3/3", 1);

  /* The window's Kill, with a member selected, kills that member for good. */
  {
    TroupeClusterMember *third = member_at (cluster, 2);
    TroupeProcess *run = troupe_cluster_member_get_process (third);

    troupe_window_select_member (window, third);
    gtk_widget_activate_action (GTK_WIDGET (window), "win.kill-job", NULL);
    troupe_ui_test_wait_until (member_exited, third, "for the killed member to be gone");
    g_assert_cmpint (troupe_process_get_term_signal (run), ==, SIGKILL);
    g_assert_cmpuint (troupe_cluster_member_get_restarts (third), ==, 0);
    troupe_ui_test_wait_for_labels_containing (sidebar, "2/3", 1);
    troupe_window_select_cluster (window, cluster);
  }

  /* A load test is offered while the cluster runs, and not once it stopped. */
  g_assert_true (gtk_widget_get_sensitive (troupe_ui_test_find_button (page, "_Load Test…")));

  /* Stop All: every member ends, and the cluster says it stopped. */
  gtk_widget_activate_action (page, "cluster.stop-all", NULL);
  troupe_ui_test_wait_until (cluster_gone, cluster, "for the members to stop");
  troupe_ui_test_wait_for_labels_containing (sidebar, "stopped", 1);
  g_assert_cmpuint (troupe_session_count_alive (session), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (troupe_ui_test_find_button (page, "_Load Test…")));

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

/* The classic Node cluster program, unmodified, with Troupe as its primary:
 * both workers listen, one killed comes back. */
static void
test_node_members (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  TroupeSession *session = troupe_application_get_session (app);
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *program = g_build_filename (TEST_CHILDREN_DIR, "cluster-hello.js", NULL);
  const char *argv[] = { node, program, NULL };
  g_autoptr(TroupeCommand) command = NULL;
  g_autoptr(TroupeCluster) cluster = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *page = GTK_WIDGET (troupe_window_get_cluster_view (window));
  TroupeClusterMember *member;

  g_assert_nonnull (node);
  command = troupe_command_new_argv (argv);
  troupe_command_set_name (command, "cluster-hello.js");
  troupe_command_set_stop_timeout (command, 2000);
  cluster = troupe_cluster_new (command, troupe_session_get_launcher (session),
                                troupe_session_get_spool_dir (session));
  troupe_cluster_set_listen (cluster, "127.0.0.1", 0);
  troupe_window_start_cluster (window, cluster, 2);

  /* Node members say when they listen; no grace time is needed. */
  troupe_ui_test_wait_for_labels_containing (page, "Listening", 2);
  member = member_at (cluster, 1);
  g_assert_true (troupe_cluster_member_send_signal (member, SIGKILL, &error));
  g_assert_no_error (error);
  troupe_ui_test_wait_for_labels_containing (page, "Last exit: Killed by SIGKILL (killed)", 1);
  troupe_ui_test_wait_for_labels_containing (page, "· 1 restart ·", 1);
  troupe_ui_test_wait_for_labels_containing (page, "Listening", 2);
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "cluster-node");

  troupe_ui_test_close_window (app, window);
  g_assert_false (troupe_cluster_is_alive (cluster));
  g_object_unref (app);
}

/* Quitting stops a cluster's members, as it stops jobs: none outlives the app. */
static void
test_quit_stops_members (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  TroupeSession *session = troupe_application_get_session (app);
  g_autoptr(TroupeCluster) cluster = new_c_cluster (session);
  GtkWidget *page = GTK_WIDGET (troupe_window_get_cluster_view (window));
  GPid pids[2];

  troupe_window_start_cluster (window, cluster, 2);
  troupe_ui_test_wait_for_labels_containing (page, "Listening", 2);
  for (guint i = 0; i < 2; i++)
    pids[i] = troupe_process_get_pid (troupe_cluster_member_get_process (member_at (cluster, i)));

  troupe_ui_test_close_window (app, window);
  g_assert_false (troupe_cluster_is_alive (cluster));
  for (guint i = 0; i < 2; i++)
    g_assert_true (troupe_test_pid_is_gone (pids[i]));
  g_object_unref (app);
}

static TroupeLaunchDialog *
open_dialog (TroupeWindow *window)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-job", NULL);
  return TROUPE_LAUNCH_DIALOG (troupe_ui_test_find_toplevel (TROUPE_TYPE_LAUNCH_DIALOG));
}

static GtkWidget *
dialog_part (TroupeLaunchDialog *dialog,
             const char         *id)
{
  return template_part (GTK_WIDGET (dialog), TROUPE_TYPE_LAUNCH_DIALOG, id);
}

/* Cluster mode: instances and a listen address, checked as typed; a port in
 * use is told, and the window goes on. */
static void
test_launch_dialog (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  TroupeSession *session = troupe_application_get_session (app);
  TroupeLaunchDialog *dialog = open_dialog (window);
  g_autoptr(GError) error = NULL;
  g_autofree char *taken_address = NULL;
  g_autofree char *expected = NULL;
  TroupeCluster *cluster;
  GtkWidget *error_label;
  guint16 taken_port;
  int taken;

  gtk_editable_set_text (GTK_EDITABLE (dialog_part (dialog, "command_row")),
                         LISTEN_FDS_MEMBER_PATH);
  adw_combo_row_set_selected (ADW_COMBO_ROW (dialog_part (dialog, "mode_row")), 2);
  g_assert_true (gtk_widget_get_visible (dialog_part (dialog, "cluster_group")));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (
                     GTK_SPIN_BUTTON (dialog_part (dialog, "instances_spin"))),
                   ==, (int) troupe_cluster_default_size ());

  /* A listen address that is not one: said under the entry, and Run waits. */
  error_label = dialog_part (dialog, "listen_error_label");
  gtk_editable_set_text (GTK_EDITABLE (dialog_part (dialog, "listen_row")), "example.org:80");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==,
                   "“example.org” is not an IP address (or localhost)");
  g_assert_false (gtk_widget_get_sensitive (dialog_part (dialog, "run_button")));
  troupe_ui_test_wait_for_frames (GTK_WIDGET (dialog));
  troupe_ui_test_save_screenshot (GTK_WIDGET (dialog), "launch-dialog-cluster");

  /* A port already in use: the cluster says why it did not start. */
  taken = troupe_listen_tcp ("127.0.0.1", 0, &taken_port, NULL, &error);
  g_assert_no_error (error);
  taken_address = g_strdup_printf ("127.0.0.1:%u", taken_port);
  gtk_editable_set_text (GTK_EDITABLE (dialog_part (dialog, "listen_row")), taken_address);
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_true (gtk_widget_get_sensitive (dialog_part (dialog, "run_button")));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (dialog_part (dialog, "instances_spin")), 2);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "launch.run", NULL);

  cluster = troupe_window_get_selected_cluster (window);
  g_assert_nonnull (cluster);
  g_assert_false (troupe_cluster_is_running (cluster));
  expected = g_strdup_printf ("Could not start: Port %u on 127.0.0.1 is already in use",
                              taken_port);
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), expected);
  g_assert_cmpuint (troupe_session_count_alive (session), ==, 0);
  close (taken);

  /* Removed, it leaves the sidebar. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-job", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (troupe_session_get_clusters (session)), ==, 0);

  /* The window goes on: the same line on a free port runs. */
  dialog = open_dialog (window);
  gtk_editable_set_text (GTK_EDITABLE (dialog_part (dialog, "command_row")),
                         LISTEN_FDS_MEMBER_PATH);
  adw_combo_row_set_selected (ADW_COMBO_ROW (dialog_part (dialog, "mode_row")), 2);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (dialog_part (dialog, "instances_spin")), 2);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "launch.run", NULL);
  cluster = troupe_window_get_selected_cluster (window);
  g_assert_nonnull (cluster);
  g_assert_true (troupe_cluster_is_running (cluster));
  g_assert_cmpuint (troupe_cluster_get_size (cluster), ==, 2);
  g_assert_cmpuint (troupe_session_count_alive (session), ==, 1);

  troupe_ui_test_close_window (app, window);
  g_assert_false (troupe_cluster_is_alive (cluster));
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

  g_test_add_func ("/troupe/cluster-view/members-live", test_members_live);
  g_test_add_func ("/troupe/cluster-view/node-members", test_node_members);
  g_test_add_func ("/troupe/cluster-view/quit-stops-members", test_quit_stops_members);
  g_test_add_func ("/troupe/cluster-view/launch-dialog", test_launch_dialog);

  return troupe_test_run_all ();
}
