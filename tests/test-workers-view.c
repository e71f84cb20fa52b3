/* test-workers-view.c: thread workers in the real window under Xvfb: the sidebar's
 * Workers section, a worker's page and messages, the New Worker dialog, a worker
 * that does not respond, a load test against a real cluster, and quitting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include "troupe-load-graph.h"
#include "troupe-load-history.h"
#include "troupe-load-test-dialog.h"
#include "troupe-new-worker-dialog.h"
#include "troupe-ui-test-util.h"

/* The graph alone: scales, units and the pointer's readout. */
static void
test_load_graph (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *graph = troupe_load_graph_new ();
  g_autofree char *readout = NULL;
  g_autofree char *rate = NULL;
  g_autofree char *latency = NULL;
  gint64 start = g_get_monotonic_time ();

  gtk_window_set_default_size (GTK_WINDOW (window), 720, 420);
  gtk_window_set_child (GTK_WINDOW (window), graph);
  gtk_window_present (GTK_WINDOW (window));
  troupe_ui_test_wait_for_frames (window);

  /* Forty seconds at four reports a second, with a slow patch in the middle. */
  for (guint i = 0; i < 160; i++)
    {
      double slow = (i > 70 && i < 90) ? 3.0 : 1.0;
      TroupeLoadSample sample = {
        .time = start + i * G_USEC_PER_SEC / 4,
        .requests_per_second = 9000 / slow + 600 * sin (i / 6.0),
        .p50_ms = 1.1 * slow,
        .p90_ms = 2.4 * slow + 0.3 * sin (i / 5.0),
        .p99_ms = 5.5 * slow + 1.5 * sin (i / 4.0),
      };
      troupe_load_graph_add_sample (TROUPE_LOAD_GRAPH (graph), &sample);
    }
  g_assert_cmpuint (troupe_load_graph_get_n_samples (TROUPE_LOAD_GRAPH (graph)), ==, 160);
  g_assert_cmpint (troupe_load_graph_get_latest (TROUPE_LOAD_GRAPH (graph))->time, ==,
                   start + 159 * G_USEC_PER_SEC / 4);

  /* Nothing under the pointer until it comes; then the report nearest to it. */
  g_assert_null (troupe_load_graph_dup_readout (TROUPE_LOAD_GRAPH (graph)));
  troupe_ui_test_wait_for_frames (window);
  troupe_load_graph_set_hover_x (TROUPE_LOAD_GRAPH (graph), gtk_widget_get_width (graph) - 13);
  readout = troupe_load_graph_dup_readout (TROUPE_LOAD_GRAPH (graph));
  g_assert_nonnull (readout);
  g_assert_true (g_str_has_prefix (readout, "Latest\n"));
  g_assert_nonnull (strstr (readout, "p99: "));
  troupe_load_graph_set_hover_x (TROUPE_LOAD_GRAPH (graph), gtk_widget_get_width (graph) * 0.6);
  troupe_ui_test_wait_for_frames (window);
  troupe_ui_test_save_screenshot (window, "load-graph");

  rate = troupe_load_graph_format_rate (12500);
  g_assert_cmpstr (rate, ==, "12.5k/s");
  latency = troupe_load_graph_format_latency (0.42);
  g_assert_cmpstr (latency, ==, "0.42 ms");

  /* Older reports than the span are let go. */
  {
    TroupeLoadSample late = { .time = start + 200 * G_USEC_PER_SEC };

    troupe_load_graph_add_sample (TROUPE_LOAD_GRAPH (graph), &late);
    g_assert_cmpuint (troupe_load_graph_get_n_samples (TROUPE_LOAD_GRAPH (graph)), ==, 2);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  TroupeWorker      *worker;
  TroupeWorkerState  state;
} StateWait;

static gboolean
state_reached (gpointer data)
{
  StateWait *wait = data;

  return troupe_worker_get_state (wait->worker) == wait->state;
}

static void
wait_for_state (TroupeWorker      *worker,
                TroupeWorkerState  state)
{
  StateWait wait = { worker, state };
  g_autofree char *what = g_strdup_printf ("for the worker to be %s",
                                           troupe_worker_state_to_string (state));

  troupe_ui_test_wait_until (state_reached, &wait, what);
}

static GtkWidget *
template_part (GtkWidget  *widget,
               GType       type,
               const char *id)
{
  GObject *object = gtk_widget_get_template_child (widget, type, id);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static TroupeNewWorkerDialog *
open_new_worker_dialog (TroupeWindow *window)
{
  GtkWindow *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-worker", NULL));
  dialog = troupe_ui_test_find_toplevel (TROUPE_TYPE_NEW_WORKER_DIALOG);
  g_assert_nonnull (dialog);
  troupe_ui_test_wait_for_frames (GTK_WIDGET (dialog));
  return TROUPE_NEW_WORKER_DIALOG (dialog);
}

static guint
count_workers (TroupeWindow *window)
{
  return g_list_model_get_n_items (troupe_worker_pool_get_workers (
                                     troupe_window_get_worker_pool (window)));
}

static gboolean
messages_shown (gpointer data)
{
  TroupeMessagesView *view = data;

  return troupe_messages_view_get_n_shown (view) >= 2;
}

/* The whole life of an echo worker started from the window: the dialog, its
 * row and page, a message and its echo, Terminate, and Remove. */
static void
test_echo_worker (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  GtkWidget *sidebar = troupe_window_get_job_list (window);
  TroupeWorkerView *view = troupe_window_get_worker_view (window);
  TroupeMessagesView *messages = troupe_worker_view_get_messages_view (view);
  TroupeMessageComposer *composer = troupe_messages_view_get_composer (messages);
  TroupeNewWorkerDialog *dialog;
  TroupeWorker *worker, *finished;
  g_autofree char *data = NULL;
  GtkTextView *editor;

  /* The dialog offers the registry's kinds, each with its example. */
  dialog = open_new_worker_dialog (window);
  g_assert_true (troupe_new_worker_dialog_select_kind (dialog, "echo"));
  g_assert_false (troupe_new_worker_dialog_select_kind (dialog, "no-such-kind"));
  data = troupe_new_worker_dialog_dup_data_text (dialog);
  g_assert_nonnull (strstr (data, "\"code\""));
  g_assert_null (troupe_new_worker_dialog_get_problem (dialog));
  troupe_new_worker_dialog_set_data_text (dialog, "{\n  \"greeting\": \"hello\",\n  \"code\": 0\n}");
  troupe_ui_test_wait_for_frames (GTK_WIDGET (dialog));
  troupe_ui_test_save_screenshot (GTK_WIDGET (dialog), "new-worker-dialog");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "new-worker.start", NULL);
  g_assert_null (troupe_ui_test_find_toplevel (TROUPE_TYPE_NEW_WORKER_DIALOG));

  /* It is listed under Workers and shown. */
  worker = troupe_window_get_selected_worker (window);
  g_assert_nonnull (worker);
  g_assert_cmpstr (troupe_worker_kind_get_name (troupe_worker_get_kind (worker)), ==, "echo");
  troupe_ui_test_wait_for_text (sidebar, "Workers");
  troupe_ui_test_wait_for_text (sidebar, "Echo #1");
  troupe_ui_test_wait_for_text (sidebar, "1 running · 0 queued · 0 finished");
  troupe_ui_test_wait_for_text (GTK_WIDGET (view), "\"greeting\" : \"hello\"");
  troupe_ui_test_wait_for_text (GTK_WIDGET (view), "Running");
  g_assert_true (gtk_widget_get_visible (template_part (GTK_WIDGET (view),
                                                        TROUPE_TYPE_WORKER_VIEW,
                                                        "terminate_button")));

  /* A message to it comes back, both in the inspector (Alt+2, as for a fork). */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "messages");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (troupe_worker_view_get_pages (view)),
                   ==, "messages");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (composer)));
  editor = GTK_TEXT_VIEW (troupe_ui_test_find_widget (GTK_WIDGET (composer), GTK_TYPE_TEXT_VIEW,
                                                      NULL));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (editor), "{\"ping\": 1}", -1);
  gtk_widget_activate_action (GTK_WIDGET (composer), "composer.send", NULL);
  troupe_ui_test_wait_until (messages_shown, messages, "for the message and its echo");
  /* Both ways, named for a worker, not for a child. */
  troupe_ui_test_wait_for_frames (GTK_WIDGET (messages));
  g_assert_cmpuint (troupe_ui_test_count_images_labelled (GTK_WIDGET (messages), "To worker"), ==,
                    1);
  g_assert_cmpuint (troupe_ui_test_count_images_labelled (GTK_WIDGET (messages), "From worker"),
                    ==, 1);
  g_assert_cmpuint (troupe_messages_view_get_n_shown (messages), ==, 2);
  g_assert_cmpuint (troupe_message_log_count (troupe_worker_get_messages (worker),
                                              TROUPE_MESSAGE_FROM_CHILD, TROUPE_MESSAGE_USER),
                    ==, 1);
  {
    GtkDropDown *directions = GTK_DROP_DOWN (template_part (GTK_WIDGET (messages),
                                                            TROUPE_TYPE_MESSAGES_VIEW,
                                                            "direction_dropdown"));

    g_assert_cmpstr (gtk_string_list_get_string (
                       GTK_STRING_LIST (gtk_drop_down_get_model (directions)), 2),
                     ==, "From Worker");
  }
  troupe_ui_test_wait_for_text (GTK_WIDGET (messages), "{\"ping\":1}");

  /* A second worker that has already exited, for the sidebar's sake. */
  finished = troupe_worker_pool_start_text (troupe_window_get_worker_pool (window), "echo",
                                            "{\"code\": 3}", NULL);
  g_assert_true (troupe_worker_post_text (finished, "\"exit\"", NULL));
  wait_for_state (finished, TROUPE_WORKER_EXITED);
  troupe_ui_test_wait_for_text (sidebar, "1 running · 0 queued · 1 finished");
  troupe_window_select_worker (window, worker);
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "worker-messages");
  adw_view_stack_set_visible_child_name (troupe_worker_view_get_pages (view), "overview");
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "workers");

  /* Terminate: it ends as Terminated, nothing more can be sent. */
  gtk_widget_activate_action (GTK_WIDGET (view), "worker.terminate", NULL);
  wait_for_state (worker, TROUPE_WORKER_TERMINATED);
  troupe_ui_test_wait_for_text (GTK_WIDGET (view), "Terminated");
  troupe_ui_test_wait_for_text (sidebar, "0 running · 0 queued · 2 finished");
  g_assert_false (gtk_widget_get_visible (template_part (GTK_WIDGET (view),
                                                         TROUPE_TYPE_WORKER_VIEW,
                                                         "terminate_button")));
  g_assert_false (gtk_widget_is_sensitive (troupe_ui_test_find_button (GTK_WIDGET (composer),
                                                                      "_Send")));

  /* Remove takes the ended worker out of the list. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-job", NULL);
  g_assert_cmpuint (count_workers (window), ==, 1);
  troupe_window_select_worker (window, finished);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-job", NULL);
  g_assert_cmpuint (count_workers (window), ==, 0);
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  g_assert_cmpuint (troupe_ui_test_count_labels_containing (sidebar, "Workers"), ==, 0);

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

/* Start data that is not JSON is refused in the dialog, with where, and
 * nothing starts. */
static void
test_bad_start_data (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  TroupeNewWorkerDialog *dialog = open_new_worker_dialog (window);
  GtkWidget *status = template_part (GTK_WIDGET (dialog), TROUPE_TYPE_NEW_WORKER_DIALOG,
                                     "status_label");

  g_assert_true (troupe_new_worker_dialog_select_kind (dialog, "echo"));
  troupe_new_worker_dialog_set_data_text (dialog, "{\"code\": }");
  g_assert_nonnull (troupe_new_worker_dialog_get_problem (dialog));
  g_assert_true (g_str_has_prefix (troupe_new_worker_dialog_get_problem (dialog),
                                   "Not valid JSON at line 1, column 10"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (status)), ==,
                   troupe_new_worker_dialog_get_problem (dialog));
  g_assert_true (gtk_widget_has_css_class (status, "error"));
  g_assert_false (gtk_widget_is_sensitive (troupe_ui_test_find_button (GTK_WIDGET (dialog),
                                                                      "_Start")));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "new-worker.start", NULL);
  g_assert_nonnull (troupe_ui_test_find_toplevel (TROUPE_TYPE_NEW_WORKER_DIALOG));
  g_assert_cmpuint (count_workers (window), ==, 0);
  troupe_ui_test_wait_for_frames (GTK_WIDGET (dialog));
  troupe_ui_test_save_screenshot (GTK_WIDGET (dialog), "new-worker-bad-json");

  /* Fixed, it starts; nothing at all starts the worker with null. */
  troupe_new_worker_dialog_set_data_text (dialog, "  ");
  g_assert_null (troupe_new_worker_dialog_get_problem (dialog));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "new-worker.start", NULL);
  g_assert_cmpuint (count_workers (window), ==, 1);
  g_assert_true (JSON_NODE_HOLDS_NULL (troupe_worker_get_data (
                                         troupe_window_get_selected_worker (window))));
  troupe_worker_terminate (troupe_window_get_selected_worker (window), 2000);
  wait_for_state (troupe_window_get_selected_worker (window), TROUPE_WORKER_TERMINATED);

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

/* A kind that ignores being asked to stop, until the test lets it go. */
static int stuck_released;

static int
stuck_entry (TroupeWorkerContext *context)
{
  while (!g_atomic_int_get (&stuck_released))
    g_usleep (5000);
  return 0;
}

static gboolean
is_released (gpointer data)
{
  return troupe_worker_has_ended (data);
}

static void
test_stuck_worker (void)
{
  static const TroupeWorkerKindInfo stuck = {
    .name = "stuck",
    .title = "Stuck",
    .description = "Never checks whether it should stop.",
    .accepts_messages = FALSE,
    .entry = stuck_entry,
  };
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  TroupeWorkerPool *pool = troupe_window_get_worker_pool (window);
  TroupeWorkerView *view = troupe_window_get_worker_view (window);
  TroupeMessagesView *messages = troupe_worker_view_get_messages_view (view);
  g_autoptr(GError) error = NULL;
  TroupeWorker *worker;
  GtkWidget *warning;
  g_autofree char *thread = NULL;

  g_assert_true (troupe_worker_registry_add (troupe_worker_pool_get_registry (pool), &stuck,
                                             &error));
  g_assert_no_error (error);
  g_atomic_int_set (&stuck_released, FALSE);

  /* Through the dialog, which knows the new kind. */
  {
    TroupeNewWorkerDialog *dialog = open_new_worker_dialog (window);

    g_assert_true (troupe_new_worker_dialog_select_kind (dialog, "stuck"));
    gtk_widget_activate_action (GTK_WIDGET (dialog), "new-worker.start", NULL);
  }
  worker = troupe_window_get_selected_worker (window);
  g_assert_nonnull (worker);
  wait_for_state (worker, TROUPE_WORKER_RUNNING);

  /* No messages for this kind: no box to write them in. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (troupe_messages_view_get_composer (
                                                        messages))));

  /* Its thread is listed among the pool's, with its CPU use from /proc/self/task. */
  thread = g_strdup_printf ("Thread %d", troupe_worker_get_thread_id (worker));
  troupe_ui_test_wait_for_text (GTK_WIDGET (view), thread);
  troupe_ui_test_wait_for_text (GTK_WIDGET (view), "% CPU");
  troupe_ui_test_wait_for_text (GTK_WIDGET (view), "Stuck #1");

  /* Asked to stop, it goes on: the page says so, in words. */
  gtk_widget_activate_action (GTK_WIDGET (view), "worker.terminate", NULL);
  wait_for_state (worker, TROUPE_WORKER_NOT_RESPONDING);
  warning = template_part (GTK_WIDGET (view), TROUPE_TYPE_WORKER_VIEW, "not_responding_box");
  troupe_ui_test_wait_for_text (GTK_WIDGET (view), "Not responding");
  g_assert_true (gtk_widget_get_visible (warning));
  troupe_ui_test_wait_for_text (warning, "A thread cannot be stopped safely from outside");
  g_assert_false (troupe_worker_has_ended (worker));
  g_assert_cmpuint (troupe_worker_pool_count_alive (pool), ==, 1);
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "worker-not-responding");
  {
    GtkScrolledWindow *scroller =
      GTK_SCROLLED_WINDOW (troupe_ui_test_find_widget (GTK_WIDGET (view), GTK_TYPE_SCROLLED_WINDOW,
                                                       NULL));
    GtkAdjustment *scroll = gtk_scrolled_window_get_vadjustment (scroller);

    gtk_adjustment_set_value (scroll, gtk_adjustment_get_upper (scroll));
    troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
    troupe_ui_test_save_screenshot (GTK_WIDGET (window), "worker-threads");
    gtk_adjustment_set_value (scroll, 0);
  }

  /* Once it does end, it is Terminated. */
  g_atomic_int_set (&stuck_released, TRUE);
  troupe_ui_test_wait_until (is_released, worker, "for the stuck worker to end");
  g_assert_cmpint (troupe_worker_get_state (worker), ==, TROUPE_WORKER_TERMINATED);
  troupe_ui_test_wait_for_text (GTK_WIDGET (view), "Terminated");
  g_assert_false (gtk_widget_get_visible (warning));

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

typedef struct
{
  TroupeCluster *cluster;
  guint          listening;
} ClusterWait;

static gboolean
members_listening (gpointer data)
{
  ClusterWait *wait = data;
  GListModel *members = troupe_cluster_get_members (wait->cluster);
  guint listening = 0;

  for (guint i = 0; i < g_list_model_get_n_items (members); i++)
    {
      g_autoptr(TroupeClusterMember) member = g_list_model_get_item (members, i);

      if (troupe_cluster_member_get_state (member) == TROUPE_MEMBER_LISTENING)
        listening++;
    }
  return listening == wait->listening;
}

static gboolean
graph_filled (gpointer data)
{
  TroupeLoadGraph *graph = data;
  const TroupeLoadSample *latest = troupe_load_graph_get_latest (graph);

  /* Four seconds of reports, most of the graph's width. */
  return troupe_load_graph_get_n_samples (graph) >= 16 && latest->requests_per_second > 0;
}

static gboolean
cluster_gone (gpointer data)
{
  return !troupe_cluster_is_alive (data);
}

/* Load Test from a cluster's page: an HTTP load worker against its address,
 * whose reports draw the graph and fill the numbers. */
static void
test_load_test (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  TroupeSession *session = troupe_application_get_session (app);
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *program = g_build_filename (TEST_CHILDREN_DIR, "cluster-hello.js", NULL);
  const char *argv[] = { node, program, NULL };
  g_autoptr(TroupeCommand) command = NULL;
  g_autoptr(TroupeCluster) cluster = NULL;
  TroupeWorkerView *view = troupe_window_get_worker_view (window);
  TroupeLoadGraph *graph = troupe_worker_view_get_load_graph (view);
  TroupeLoadTestDialog *dialog;
  g_autofree char *url = NULL;
  g_autofree char *data = NULL;
  g_autofree char *readout = NULL;
  ClusterWait wait;
  TroupeWorker *worker;

  /* Node's own cluster program, serving HTTP from both members. */
  g_assert_nonnull (node);
  command = troupe_command_new_argv (argv);
  troupe_command_set_name (command, "cluster-hello.js");
  troupe_command_set_stop_timeout (command, 2000);
  cluster = troupe_cluster_new (command, troupe_session_get_launcher (session),
                                troupe_session_get_spool_dir (session));
  troupe_cluster_set_listen (cluster, "127.0.0.1", 0);
  troupe_window_start_cluster (window, cluster, 2);
  wait = (ClusterWait) { cluster, 2 };
  troupe_ui_test_wait_until (members_listening, &wait, "for both members to listen");

  /* The page's button opens the dialog, aimed at the cluster. */
  g_assert_true (troupe_window_get_selected_cluster (window) == cluster);
  g_assert_nonnull (troupe_ui_test_find_button (GTK_WIDGET (troupe_window_get_cluster_view (
                                                              window)),
                                                "_Load Test…"));
  gtk_widget_activate_action (GTK_WIDGET (troupe_window_get_cluster_view (window)),
                              "win.load-test", NULL);
  dialog = TROUPE_LOAD_TEST_DIALOG (troupe_ui_test_find_toplevel (TROUPE_TYPE_LOAD_TEST_DIALOG));
  g_assert_nonnull (dialog);
  url = g_strdup_printf ("http://127.0.0.1:%u/", troupe_cluster_get_port (cluster));
  troupe_load_test_dialog_set_settings (dialog, 4, 5, TRUE);
  data = troupe_load_test_dialog_dup_data (dialog);
  g_assert_nonnull (strstr (data, url));
  g_assert_nonnull (strstr (data, "\"keep_alive\":true"));
  troupe_ui_test_wait_for_frames (GTK_WIDGET (dialog));
  troupe_ui_test_save_screenshot (GTK_WIDGET (dialog), "load-test-dialog");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "load-test.start", NULL);

  /* Its page: the graph fills as reports come, the numbers with it. */
  worker = troupe_window_get_selected_worker (window);
  g_assert_nonnull (worker);
  g_assert_cmpstr (troupe_worker_kind_get_name (troupe_worker_get_kind (worker)), ==,
                   "http-load");
  g_assert_true (gtk_widget_get_visible (template_part (GTK_WIDGET (view),
                                                        TROUPE_TYPE_WORKER_VIEW, "load_box")));
  troupe_ui_test_wait_until (graph_filled, graph, "for the load graph to fill");
  g_assert_cmpint (troupe_load_history_get (worker)->requests, >, 0);
  troupe_ui_test_wait_for_text (GTK_WIDGET (view), "200 × ");
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_load_graph_set_hover_x (graph, gtk_widget_get_width (GTK_WIDGET (graph)) * 0.7);
  readout = troupe_load_graph_dup_readout (graph);
  g_assert_nonnull (readout);
  g_assert_nonnull (strstr (readout, "Requests: "));
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "load-test");
  troupe_load_graph_set_hover_x (graph, -1);

  /* It ends by itself when its time is up; the numbers are the whole run's. */
  wait_for_state (worker, TROUPE_WORKER_EXITED);
  g_assert_cmpint (troupe_worker_get_exit_code (worker), ==, 0);
  troupe_ui_test_wait_for_text (GTK_WIDGET (view), "Exited with code 0");

  troupe_cluster_stop (cluster);
  troupe_ui_test_wait_until (cluster_gone, cluster, "for the cluster to stop");
  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  return ADW_MESSAGE_DIALOG (troupe_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
}

/* Closing the window with a worker running asks first, as with jobs. */
static void
test_close_asks (void)
{
  TroupeApplication *app = NULL;
  TroupeWindow *window = troupe_ui_test_open_window (&app);
  TroupeWorker *worker;
  AdwMessageDialog *dialog;

  worker = troupe_worker_pool_start_text (troupe_window_get_worker_pool (window), "echo", NULL,
                                          NULL);
  g_assert_nonnull (worker);
  wait_for_state (worker, TROUPE_WORKER_RUNNING);

  gtk_window_close (GTK_WINDOW (window));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Stop Running Workers?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            "A thread worker is still running"));
  troupe_ui_test_wait_for_frames (GTK_WIDGET (dialog));
  troupe_ui_test_save_screenshot (GTK_WIDGET (dialog), "quit-workers-dialog");
  adw_message_dialog_response (dialog, "cancel");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));

  /* Quit (Ctrl+Q) asks the same. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Stop Running Workers?");
  adw_message_dialog_response (dialog, "cancel");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));

  troupe_worker_terminate (worker, 2000);
  wait_for_state (worker, TROUPE_WORKER_TERMINATED);
  g_assert_cmpuint (troupe_worker_pool_count_alive (troupe_window_get_worker_pool (window)), ==,
                    0);
  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
}

/* Where the user's data folder is, for the whole program: GLib reads
 * $XDG_DATA_HOME once, so the modules test puts its modules here. */
static char *data_home;

/* The user's worker modules are loaded as the window opens: their kinds are
 * offered, and one that cannot be used is a toast saying why. */
static void
test_modules (void)
{
  g_autofree char *modules = g_build_filename (data_home, "troupe", "workers", NULL);
  g_autofree char *sample = g_build_filename (modules, "libsample-kinds.so", NULL);
  g_autofree char *bad = g_build_filename (modules, "libbad-abi.so", NULL);
  TroupeApplication *app = NULL;
  TroupeWindow *window;
  TroupeNewWorkerDialog *dialog;

  g_assert_cmpint (g_mkdir_with_parents (modules, 0700), ==, 0);
  g_assert_cmpint (symlink (MODULE_SAMPLE_KINDS_PATH, sample), ==, 0);
  g_assert_cmpint (symlink (MODULE_BAD_ABI_PATH, bad), ==, 0);

  window = troupe_ui_test_open_window (&app);
  g_assert_nonnull (troupe_worker_registry_lookup (
                      troupe_worker_pool_get_registry (troupe_window_get_worker_pool (window)),
                      "sample-sum"));
  troupe_ui_test_wait_for_text (GTK_WIDGET (window), "Worker module not loaded: libbad-abi.so: ");
  troupe_ui_test_wait_for_frames (GTK_WIDGET (window));
  troupe_ui_test_save_screenshot (GTK_WIDGET (window), "worker-module-toast");

  dialog = open_new_worker_dialog (window);
  g_assert_true (troupe_new_worker_dialog_select_kind (dialog, "sample-sum"));
  g_assert_cmpstr (troupe_worker_kind_get_title (troupe_new_worker_dialog_get_kind (dialog)), ==,
                   "Sample: Sum");
  gtk_window_destroy (GTK_WINDOW (dialog));

  troupe_ui_test_close_window (app, window);
  g_object_unref (app);
  /* The other tests' windows load none. */
  g_assert_cmpint (unlink (sample), ==, 0);
  g_assert_cmpint (unlink (bad), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  /* These tests make several applications one after another in this process;
   * on a session bus each would claim the same object paths. */
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  troupe_test_init (&argc, &argv);
  data_home = troupe_test_make_folder ("data-home");
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  /* The graph's test needs GTK before any application starts it. */
  adw_init ();

  g_test_add_func ("/troupe/workers-view/load-graph", test_load_graph);
  g_test_add_func ("/troupe/workers-view/echo-worker", test_echo_worker);
  g_test_add_func ("/troupe/workers-view/bad-start-data", test_bad_start_data);
  g_test_add_func ("/troupe/workers-view/stuck-worker", test_stuck_worker);
  g_test_add_func ("/troupe/workers-view/load-test", test_load_test);
  g_test_add_func ("/troupe/workers-view/close-asks", test_close_asks);
  g_test_add_func ("/troupe/workers-view/modules", test_modules);

  return troupe_test_run_all ();
}
