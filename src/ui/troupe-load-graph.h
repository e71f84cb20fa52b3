/* troupe-load-graph.h: requests a second and latency of a load test over time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* One stats report of a load test. */
typedef struct
{
  gint64 time;                 /* g_get_monotonic_time (), µs */
  double requests_per_second;
  double p50_ms;               /* latency percentiles, milliseconds */
  double p90_ms;
  double p99_ms;
} TroupeLoadSample;

/* How much of the past the graph shows. */
#define TROUPE_LOAD_GRAPH_DEFAULT_SPAN_SECONDS 60

#define TROUPE_TYPE_LOAD_GRAPH (troupe_load_graph_get_type ())
G_DECLARE_FINAL_TYPE (TroupeLoadGraph, troupe_load_graph, TROUPE, LOAD_GRAPH, GtkWidget)

GtkWidget              *troupe_load_graph_new          (void);
void                    troupe_load_graph_add_sample   (TroupeLoadGraph        *self,
                                                        const TroupeLoadSample *sample);
void                    troupe_load_graph_clear        (TroupeLoadGraph        *self);
guint                   troupe_load_graph_get_n_samples (TroupeLoadGraph       *self);
const TroupeLoadSample *troupe_load_graph_get_latest   (TroupeLoadGraph        *self);
void                    troupe_load_graph_set_hover_x  (TroupeLoadGraph        *self,
                                                        double                  x);
char                   *troupe_load_graph_dup_readout  (TroupeLoadGraph        *self);
char                   *troupe_load_graph_format_rate  (double                  per_second);
char                   *troupe_load_graph_format_latency (double                milliseconds);

G_END_DECLS
