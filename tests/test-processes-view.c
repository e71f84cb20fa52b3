/* test-processes-view.c: the monitor in the real window under Xvfb: a forking job's
 * process tree and graphs on its Processes page, updated in place, a grandchild
 * killed after a confirmation, the sidebar's sparkline, a cluster's usage graph
 * with a line per member, and the sample interval from the preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "troupe-cluster-view.h"
#include "troupe-launch-dialog.h"
#include "troupe-preferences-window.h"
#include "troupe-processes-view.h"
#include "troupe-sparkline.h"
#include "troupe-ui-test-util.h"

/* Three children of the job's shell: two that sleep, and Python doing some
 * work now and then and growing to 40 MB, so the graphs have a shape. It
 * ends by itself after five minutes, should the test die before stopping it. */
#define FORKING_JOB                                                  \
  "sleep 60 & sleep 60 & python3 -c 'import math, time\n"            \
  "blocks = []\n"                                                    \
  "end = time.time() + 300\n"                                        \
  "while time.time() < end:\n"                                       \
  "    n = int(600000 * (1.05 + math.sin(time.time() / 3)))\n"       \
  "    sum(i * i for i in range(n))\n"                               \
  "    if len(blocks) < 80: blocks.append(b\"x\" * (1 << 19))\n"     \
  "    time.sleep(0.05)\n"                                           \
  "' & wait"

static GtkWidget *
find_in (GtkWidget *widget,
         GType      type)
{
  GtkWidget *found = troupe_ui_test_find_widget (widget, type, NULL);

  g_assert_nonnull (found);
  return found;
}

/* Labels under @widget, drawn, that say exactly @text. */
static guint
count_labels (GtkWidget  *widget,
              const char *text)
{
  const char *shown = troupe_ui_test_widget_text (widget);
  guint found = shown != NULL && g_str_equal (shown, text) && gtk_widget_is_drawable (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    found += count_labels (child, text);
  return found;
}

typedef struct
{
  GtkWidget  *widget;
  const char *text;
  guint       count;
} LabelWait;

static gboolean
labels_shown (gpointer data)
{
  LabelWait *wait = data;

  return count_labels (wait->widget, wait->text) >= wait->count;
}

static void
wait_for_labels (GtkWidget  *widget,
                 const char *text,
                 guint       count)
{
  LabelWait wait = { widget, text, count };
  g_autofree char *what = g_strdup_printf ("for %u labels saying “%s”", count, text);

  troupe_ui_test_wait_until (labels_shown, &wait, what);
}

typedef struct
{
  GListModel *rows;
  guint       count;
} RowWait;

static gboolean
has_rows (gpointer data)
{
  RowWait *wait = data;

  return g_list_model_get_n_items (wait->rows) == wait->count;
}

static void
wait_for_rows (GtkColumnView *column_view,
               guint          count)
{
  RowWait wait = { G_LIST_MODEL (gtk_column_view_get_model (column_view)), count };
  g_autofree char *what = g_strdup_printf ("for %u processes in the table", count);

  troupe_ui_test_wait_until (has_rows, &wait, what);
}

/* The pid of the first row whose process is called @name. */
static GPid
find_pid (GtkColumnView *column_view,
          const char    *name)
{
  GListModel *rows = G_LIST_MODEL (gtk_column_view_get_model (column_view));

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
      g_autoptr(TroupeProcessInfo) info = gtk_tree_list_row_get_item (row);

      if (g_str_equal (troupe_process_info_get_name (info), name))
        return troupe_process_info_get_pid (info);
    }
  return 0;
}

static GPid
pid_at (GtkColumnView *column_view,
        guint          position)
{
  GListModel *rows = G_LIST_MODEL (gtk_column_view_get_model (column_view));
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, position);
  g_autoptr(TroupeProcessInfo) info = gtk_tree_list_row_get_item (row);

  return troupe_process_info_get_pid (info);
}

static GtkColumnViewColumn *
column_at (GtkColumnView *column_view,
           guint          position)
{
  g_autoptr(GtkColumnViewColumn) column =
    g_list_model_get_item (gtk_column_view_get_columns (column_view), position);

  return column; /* the column view keeps it */
}

typedef struct
{
  TroupeUsageGraph *graph;
  guint             n_series;
  guint             n_points;
} GraphWait;

static gboolean
graph_has_data (gpointer data)
{
  GraphWait *wait = data;

  return troupe_usage_graph_get_n_series (wait->graph) == wait->n_series &&
         troupe_usage_graph_get_n_points (wait->graph) >= wait->n_points;
}

static void
wait_for_graph (TroupeUsageGraph *graph,
                guint             n_series,
                guint             n_points)
{
  GraphWait wait = { graph, n_series, n_points };

  troupe_ui_test_wait_until (graph_has_data, &wait, "for the graph to have samples");
}

static void
count_signal (guint *count)
{
  (*count)++;
}

static gboolean
reached (gpointer data)
{
  guint *counts = data;

  return counts[0] >= counts[1];
}

/* Waits for @n more batches of samples on @tree. */
static void
wait_for_samples (TroupeProcessTree *tree,
                  guint              n)
{
  guint counts[2] = { 0, n };
  gulong handler = g_signal_connect_swapped (tree, "updated", G_CALLBACK (count_signal),
                                             &counts[0]);

  troupe_ui_test_wait_until (reached, counts, "for samples");
  g_signal_handler_disconnect (tree, handler);
}

/* The drawn label saying @text under @widget. */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  const char *shown = troupe_ui_test_widget_text (widget);

  if (shown != NULL && g_str_equal (shown, text) && gtk_widget_is_drawable (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Right-clicks @widget, or the nearest ancestor that takes right clicks. */
static void
right_click (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

          if (GTK_IS_GESTURE_CLICK (controller) &&
              gtk_gesture_single_get_button (GTK_GESTURE_SINGLE (controller)) ==
                GDK_BUTTON_SECONDARY)
            {
              g_signal_emit_by_name (controller, "pressed", 1, 4.0, 4.0);
              return;
            }
        }
    }
  g_assert_not_reached ();
}

static gboolean
sparkline_drawn (gpointer data)
{
  GtkWidget *sparkline = troupe_ui_test_find_widget (data, TROUPE_TYPE_SPARKLINE, NULL);

  return sparkline != NULL && gtk_widget_is_drawable (sparkline) &&
         troupe_sparkline_get_n_points (TROUPE_SPARKLINE (sparkline)) >= 2;
}

static gboolean
pid_gone (gpointer data)
{
  return troupe_test_pid_is_gone (GPOINTER_TO_INT (data));
}

static void
test_forking_job (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  TroupeSession *session = troupe_application_get_session (app);
  g_autoptr(TroupeCommand) command = troupe_command_new_shell (FORKING_JOB);
  TroupeProcessesView *view;
  GtkColumnView *column_view;
  GListModel *rows;
  TroupeProcessTree *tree;
  TroupeProcessInfo *selected;
  TroupeUsageGraph *graph;
  AdwMessageDialog *dialog;
  TroupeProcess *job;
  GPid python, sleeper;
  guint changes = 0;
  gulong handler;

  /* Samples twice a second, so the graphs fill sooner. */
  g_settings_set_double (troupe_application_get_settings (app), "sample-interval", 0.5);
  troupe_command_set_name (command, "workers");
  job = troupe_session_run (session, command, NULL);
  troupe_window_select_job (window, job);

  /* Built on first sight, the page shows the shell and its three children. */
  g_assert_null (troupe_ui_test_find_widget (GTK_WIDGET (window), TROUPE_TYPE_PROCESSES_VIEW,
                                             NULL));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "processes");
  g_assert_cmpstr (troupe_window_get_page (window), ==, "processes");
  view = TROUPE_PROCESSES_VIEW (find_in (GTK_WIDGET (window), TROUPE_TYPE_PROCESSES_VIEW));
  tree = troupe_processes_view_get_tree (view);
  g_assert_nonnull (tree);
  g_assert_true (tree == troupe_session_get_process_tree (session, job));
  column_view = troupe_processes_view_get_column_view (view);
  wait_for_rows (column_view, 4);
  wait_for_labels (GTK_WIDGET (column_view), "sh", 1);
  wait_for_labels (GTK_WIDGET (column_view), "sleep", 2);
  wait_for_labels (GTK_WIDGET (column_view), "python3", 1);
  python = find_pid (column_view, "python3");
  sleeper = find_pid (column_view, "sleep");
  g_assert_cmpint (python, >, 0);
  g_assert_cmpint (sleeper, >, 0);

  /* The job's graphs fill with its totals; the sidebar's row has its line. */
  wait_for_graph (troupe_processes_view_get_job_graph (view, TROUPE_USAGE_METRIC_CPU), 1, 6);
  wait_for_graph (troupe_processes_view_get_job_graph (view, TROUPE_USAGE_METRIC_MEMORY), 1, 6);
  troupe_ui_test_wait_until (sparkline_drawn, troupe_window_get_job_list (window),
                             "for the job's sparkline");

  /* A selected process gets graphs of its own, and stays selected, its row
   * the same row, as samples come: they change the cells, not the rows. */
  g_assert_true (troupe_processes_view_select_pid (view, python));
  selected = troupe_processes_view_get_selected (view);
  g_assert_nonnull (selected);
  g_assert_cmpint (troupe_process_info_get_pid (selected), ==, python);
  rows = G_LIST_MODEL (gtk_column_view_get_model (column_view));
  handler = g_signal_connect_swapped (rows, "items-changed", G_CALLBACK (count_signal), &changes);
  wait_for_samples (tree, 3);
  g_signal_handler_disconnect (rows, handler);
  g_assert_cmpuint (changes, ==, 0);
  g_assert_true (troupe_processes_view_get_selected (view) == selected);
  {
    GtkSingleSelection *selection = GTK_SINGLE_SELECTION (rows);
    GtkTreeListRow *row = gtk_single_selection_get_selected_item (selection);
    g_autoptr(GObject) item = NULL;

    g_assert_nonnull (row);
    item = gtk_tree_list_row_get_item (row);
    g_assert_true (item == (GObject *) selected);
  }
  wait_for_graph (troupe_processes_view_get_process_graph (view, TROUPE_USAGE_METRIC_CPU), 1, 2);

  /* Half a minute of samples makes the graphs worth a look. */
  wait_for_graph (troupe_processes_view_get_job_graph (view, TROUPE_USAGE_METRIC_CPU), 1, 60);
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "processes");

  /* The readout: a marker at the nearest sample, its time and value. */
  graph = troupe_processes_view_get_job_graph (view, TROUPE_USAGE_METRIC_CPU);
  troupe_usage_graph_hover_at (graph, gtk_widget_get_width (GTK_WIDGET (graph)) * 0.8);
  {
    g_autofree char *readout = troupe_usage_graph_dup_readout (graph);

    g_assert_true (g_str_has_prefix (readout, "All processes: "));
    g_assert_true (g_str_has_suffix (readout, "%"));
  }
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "processes-graph-hover");

  /* In the dark style, the graphs take its colours. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "processes-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  troupe_usage_graph_clear_hover (graph);

  /* A right click on a row selects it and opens its menu. */
  g_assert_true (troupe_processes_view_select_pid (view, find_pid (column_view, "sh")));
  right_click (find_label (GTK_WIDGET (column_view), "python3"));
  g_assert_cmpint (troupe_process_info_get_pid (troupe_processes_view_get_selected (view)), ==,
                   python);
  {
    /* The view's own popover, after its page. */
    GtkWidget *menu = gtk_widget_get_last_child (GTK_WIDGET (view));

    g_assert_true (GTK_IS_POPOVER_MENU (menu));
    g_assert_true (gtk_widget_get_visible (menu));
    gtk_popover_popdown (GTK_POPOVER (menu));
  }

  /* A grandchild of Troupe's: killed only once the person says so. */
  g_assert_true (troupe_processes_view_select_pid (view, sleeper));
  g_assert_false (troupe_process_info_is_root (troupe_processes_view_get_selected (view)));
  gtk_widget_activate_action (GTK_WIDGET (view), "processes.kill", NULL);
  dialog = ADW_MESSAGE_DIALOG (troupe_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  troupe_ui_test_wait_for_frames (GTK_WIDGET (dialog));
  g_assert_false (troupe_test_pid_is_gone (sleeper));
  adw_message_dialog_response (dialog, "send");
  troupe_ui_test_wait_until (pid_gone, GINT_TO_POINTER (sleeper), "for the sleeper to be killed");
  wait_for_rows (column_view, 3);
  g_assert_cmpint (find_pid (column_view, "python3"), ==, python);
  g_assert_true (troupe_process_is_running (job));

  /* Sorted by CPU, the busiest child comes first under its parent, and stays
   * selected as samples reorder the rows. */
  g_assert_true (troupe_processes_view_select_pid (view, python));
  /* As the first click on its header sorts it: the busiest first. */
  gtk_column_view_sort_by_column (column_view, column_at (column_view, 2), GTK_SORT_ASCENDING);
  wait_for_samples (tree, 2);
  g_assert_cmpint (pid_at (column_view, 0), ==, troupe_process_info_get_pid (
                                                  troupe_process_tree_get_root (tree)));
  g_assert_cmpint (pid_at (column_view, 1), ==, python);
  g_assert_cmpint (troupe_process_info_get_pid (troupe_processes_view_get_selected (view)), ==,
                   python);
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (rows)), ==, 1);

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

typedef struct
{
  guint16 port;
  int     stop;
} Load;

/* Connections to the cluster, in waves, so that its members have some work
 * to show on the graphs. */
static gpointer
run_load (gpointer data)
{
  Load *load = data;
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons (load->port) };

  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  while (!g_atomic_int_get (&load->stop))
    {
      double phase = sin (g_get_monotonic_time () / (double) G_USEC_PER_SEC * 1.2);
      int fd;
      char reply[64];

      if (phase < 0)
        {
          g_usleep (20000);
          continue;
        }
      fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      g_assert_cmpint (fd, >=, 0);
      if (connect (fd, (struct sockaddr *) &address, sizeof address) == 0)
        while (read (fd, reply, sizeof reply) > 0)
          ;
      close (fd);
    }
  return NULL;
}

/* How many sparklines under @widget have drawn at least two samples. */
static guint
count_drawn_sparklines (GtkWidget *widget)
{
  guint count = 0;

  if (TROUPE_IS_SPARKLINE (widget) && gtk_widget_is_drawable (widget) &&
      troupe_sparkline_get_n_points (TROUPE_SPARKLINE (widget)) >= 2)
    count++;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count += count_drawn_sparklines (child);
  return count;
}

static gboolean
member_sparklines_drawn (gpointer data)
{
  return count_drawn_sparklines (data) >= 3;
}

static void
test_cluster_usage (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  TroupeSession *session = troupe_application_get_session (app);
  const char *argv[] = { LISTEN_FDS_MEMBER_PATH, NULL };
  g_autoptr(TroupeCommand) command = troupe_command_new_argv (argv);
  g_autoptr(TroupeCluster) cluster = NULL;
  TroupeClusterView *page = troupe_window_get_cluster_view (window);
  TroupeUsageGraph *cpu, *memory;
  Load load = { 0, 0 };
  GThread *loader;

  g_settings_set_double (troupe_application_get_settings (app), "sample-interval", 0.5);
  troupe_command_set_name (command, "hello-c");
  troupe_command_set_stop_timeout (command, 2000);
  cluster = troupe_cluster_new (command, troupe_session_get_launcher (session),
                                troupe_session_get_spool_dir (session));
  troupe_cluster_set_listen (cluster, "127.0.0.1", 0);
  troupe_cluster_set_grace_ms (cluster, 100);
  troupe_window_start_cluster (window, cluster, 3);

  /* One line per member, each in its own colour, named as its row is. */
  cpu = troupe_cluster_view_get_usage_graph (page, TROUPE_USAGE_METRIC_CPU);
  memory = troupe_cluster_view_get_usage_graph (page, TROUPE_USAGE_METRIC_MEMORY);
  wait_for_graph (cpu, 3, 3 * 2);
  load.port = troupe_cluster_get_port (cluster);
  loader = g_thread_new ("load", run_load, &load);
  wait_for_graph (cpu, 3, 3 * 50);
  wait_for_graph (memory, 3, 3 * 50);
  /* Each member's row in the sidebar has its own CPU line. */
  troupe_ui_test_wait_until (member_sparklines_drawn, troupe_window_get_job_list (window),
                             "for the members' sparklines");
  g_atomic_int_set (&load.stop, 1);
  g_thread_join (loader);
  {
    g_autofree char *readout = troupe_usage_graph_dup_readout (cpu);

    g_assert_nonnull (strstr (readout, "Member 1: "));
    g_assert_nonnull (strstr (readout, "Member 3: "));
  }
  /* Tall enough to show the members' rows, each with its colour. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 860);
  troupe_usage_graph_hover_at (cpu, gtk_widget_get_width (GTK_WIDGET (cpu)) * 0.88);
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "cluster-usage");

  /* Scaled down, the graph follows. */
  troupe_cluster_scale (cluster, 2);
  wait_for_graph (cpu, 2, 2);

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

static void
on_process_left (TroupeProcessTree *tree,
                 TroupeProcessInfo *info,
                 gboolean           reparented,
                 GPid              *daemon)
{
  if (reparented)
    *daemon = troupe_process_info_get_pid (info);
}

static gboolean
daemon_told (gpointer data)
{
  return troupe_ui_test_find_label_prefix (data, "sleep (");
}

/* A process that daemonizes leaves the tree, and the window says so. */
static void
test_daemonized (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  TroupeSession *session = troupe_application_get_session (app);
  g_autoptr(TroupeCommand) command =
    troupe_command_new_shell ("(sleep 1; setsid sleep 30 & sleep 2); sleep 60");
  TroupeProcessTree *tree;
  TroupeProcess *job;
  GPid daemon = 0;

  g_settings_set_double (troupe_application_get_settings (app), "sample-interval", 0.25);
  job = troupe_session_run (session, command, NULL);
  troupe_window_select_job (window, job);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "processes");
  tree = troupe_session_get_process_tree (session, job);
  g_assert_nonnull (tree);
  g_signal_connect (tree, "process-left", G_CALLBACK (on_process_left), &daemon);

  troupe_ui_test_wait_until (daemon_told, window, "for the daemon to be told");
  g_assert_cmpint (daemon, >, 0);
  g_assert_false (troupe_test_pid_is_gone (daemon));
  g_assert_null (troupe_process_tree_find (tree, daemon));
  kill (daemon, SIGKILL);
  g_signal_handlers_disconnect_by_func (tree, on_process_left, &daemon);

  /* Once the job has ended, its page keeps what was seen. */
  troupe_process_stop (job);
  troupe_test_wait_ended (job);
  wait_for_samples (tree, 0);
  troupe_ui_test_wait_for_label (GTK_WIDGET (window), "All processes have ended");
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "processes-ended");

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

static gboolean
job_replaced (gpointer data)
{
  TroupeWindow *window = data;
  TroupeProcess *selected = troupe_window_get_selected_job (window);
  GObject *original = g_object_get_data (G_OBJECT (window), "test-original-job");

  return selected != NULL && (GObject *) selected != original &&
         troupe_ui_test_find_label_prefix (GTK_WIDGET (window), "hog: Restarted");
}

/* A job over its memory limit is restarted by the session: the window shows
 * the new run in the old one's place, selected, and tells why. */
static void
test_memory_limit_restart (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  TroupeSession *session = troupe_application_get_session (app);
  const char *argv[] = { "python3", "-c",
                         "import time\nb = b'x' * (60 << 20)\ntime.sleep(60)", NULL };
  g_autoptr(TroupeCommand) command = troupe_command_new_argv (argv);
  TroupeProcess *job;

  g_settings_set_double (troupe_application_get_settings (app), "sample-interval", 0.25);
  troupe_command_set_name (command, "hog");
  troupe_command_set_memory_limit (command, 30 * 1000 * 1000);
  job = troupe_session_run (session, command, NULL);
  troupe_window_select_job (window, job);
  g_object_set_data_full (G_OBJECT (window), "test-original-job", g_object_ref (job),
                          g_object_unref);

  troupe_ui_test_wait_until (job_replaced, window, "for the job to be restarted");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (session)), ==, 1);
  g_assert_nonnull (troupe_process_get_restart_reason (job));
  /* The new run's page says why it is there. */
  g_assert_true (troupe_ui_test_find_label_prefix (GTK_WIDGET (troupe_window_get_job_view (window)),
                                                   "Restarted: used "));
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "memory-limit-restart");
  g_object_set_data (G_OBJECT (window), "test-original-job", NULL);

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

static gboolean
timeline_tells_reason (gpointer data)
{
  return troupe_ui_test_find_label_prefix (data, "Restarted: used ");
}

/* A member over its memory limit is restarted, and its timeline says why. */
static void
test_member_over_limit (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  TroupeSession *session = troupe_application_get_session (app);
  const char *argv[] = { LISTEN_FDS_MEMBER_PATH, NULL };
  g_autoptr(TroupeCommand) command = troupe_command_new_argv (argv);
  g_autoptr(TroupeCluster) cluster = NULL;
  g_autoptr(TroupeClusterMember) member = NULL;

  g_settings_set_double (troupe_application_get_settings (app), "sample-interval", 0.25);
  troupe_command_set_name (command, "tight");
  troupe_command_set_stop_timeout (command, 2000);
  /* Less than any process needs: the member is over it from its first sample. */
  troupe_command_set_memory_limit (command, 100 * 1000);
  cluster = troupe_cluster_new (command, troupe_session_get_launcher (session),
                                troupe_session_get_spool_dir (session));
  troupe_cluster_set_listen (cluster, "127.0.0.1", 0);
  troupe_cluster_set_grace_ms (cluster, 100);
  troupe_window_start_cluster (window, cluster, 1);
  member = g_list_model_get_item (troupe_cluster_get_members (cluster), 0);
  troupe_window_select_member (window, member);
  adw_view_stack_set_visible_child_name (
    ADW_VIEW_STACK (find_in (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK)), "timeline");
  troupe_ui_test_wait_until (timeline_tells_reason, window, "for the member's restart reason");

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

/* The launch dialog's memory limit goes with the command it runs. */
static void
test_launch_memory_limit (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  GtkWidget *dialog;
  TroupeProcess *job;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-job", NULL);
  dialog = GTK_WIDGET (troupe_ui_test_find_toplevel (TROUPE_TYPE_LAUNCH_DIALOG));
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (
                           dialog, TROUPE_TYPE_LAUNCH_DIALOG, "command_row")),
                         "sleep 30");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (gtk_widget_get_template_child (
                               dialog, TROUPE_TYPE_LAUNCH_DIALOG, "memory_limit_spin")),
                             200);
  gtk_widget_activate_action (dialog, "launch.run", NULL);
  job = troupe_window_get_selected_job (window);
  g_assert_nonnull (job);
  g_assert_cmpuint (troupe_command_get_memory_limit (troupe_process_get_command (job)), ==,
                    200 * 1024 * 1024);

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

static void
test_sample_interval (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  TroupeSampler *sampler = troupe_session_get_sampler (troupe_application_get_session (app));
  GSettings *settings = troupe_application_get_settings (app);
  GtkWindow *preferences;
  GtkSpinButton *spin;

  /* The settings outlive each app of this program: start from the default. */
  g_settings_reset (settings, "sample-interval");
  g_assert_cmpuint (troupe_sampler_get_interval (sampler), ==, 1000);

  /* The preferences set it… */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = troupe_ui_test_find_toplevel (TROUPE_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  troupe_ui_test_wait_for_label (GTK_WIDGET (preferences), "Sample Interval");
  spin = GTK_SPIN_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                         TROUPE_TYPE_PREFERENCES_WINDOW,
                                                         "sample_interval_spin"));
  gtk_spin_button_set_value (spin, 2.5);
  g_assert_cmpfloat (g_settings_get_double (settings, "sample-interval"), ==, 2.5);
  g_assert_cmpuint (troupe_sampler_get_interval (sampler), ==, 2500);
  gtk_window_destroy (preferences);

  /* …while the window is seen; hidden, it samples every 5 s. */
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  g_assert_cmpuint (troupe_sampler_get_interval (sampler), ==, 5000);
  gtk_widget_set_visible (GTK_WIDGET (window), TRUE);
  g_assert_cmpuint (troupe_sampler_get_interval (sampler), ==, 2500);

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

int
main (int   argc,
      char *argv[])
{
  /* Several applications one after another in this process: on a session
   * bus each would claim the same object paths. */
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  troupe_test_init (&argc, &argv);

  g_test_add_func ("/troupe/processes-view/forking-job", test_forking_job);
  g_test_add_func ("/troupe/processes-view/cluster-usage", test_cluster_usage);
  g_test_add_func ("/troupe/processes-view/daemonized", test_daemonized);
  g_test_add_func ("/troupe/processes-view/memory-limit-restart", test_memory_limit_restart);
  g_test_add_func ("/troupe/processes-view/member-over-limit", test_member_over_limit);
  g_test_add_func ("/troupe/processes-view/launch-memory-limit", test_launch_memory_limit);
  g_test_add_func ("/troupe/processes-view/sample-interval", test_sample_interval);

  return troupe_test_run_all ();
}
