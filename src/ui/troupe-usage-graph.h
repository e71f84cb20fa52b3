/* troupe-usage-graph.h: CPU or memory over time, one line per series, with axes and a readout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "troupe-sample-ring.h"

G_BEGIN_DECLS

typedef enum
{
  TROUPE_USAGE_METRIC_CPU,
  TROUPE_USAGE_METRIC_MEMORY,
} TroupeUsageMetric;

#define TROUPE_TYPE_USAGE_METRIC (troupe_usage_metric_get_type ())
GType troupe_usage_metric_get_type (void) G_GNUC_CONST;

/* A series drawn in its metric's own colour (blue for CPU, purple for memory). */
#define TROUPE_USAGE_GRAPH_METRIC_COLOUR G_MAXUINT

#define TROUPE_TYPE_USAGE_GRAPH (troupe_usage_graph_get_type ())
G_DECLARE_FINAL_TYPE (TroupeUsageGraph, troupe_usage_graph, TROUPE, USAGE_GRAPH, GtkWidget)

GtkWidget         *troupe_usage_graph_new            (TroupeUsageMetric  metric);
TroupeUsageMetric  troupe_usage_graph_get_metric     (TroupeUsageGraph  *self);
void               troupe_usage_graph_set_metric     (TroupeUsageGraph  *self,
                                                      TroupeUsageMetric  metric);
guint              troupe_usage_graph_get_span       (TroupeUsageGraph  *self);
void               troupe_usage_graph_set_span       (TroupeUsageGraph  *self,
                                                      guint              seconds);
void               troupe_usage_graph_add_series     (TroupeUsageGraph  *self,
                                                      TroupeSampleRing  *ring,
                                                      const char        *label,
                                                      guint              colour_index);
void               troupe_usage_graph_remove_all     (TroupeUsageGraph  *self);
void               troupe_usage_graph_update         (TroupeUsageGraph  *self);
guint              troupe_usage_graph_get_n_series   (TroupeUsageGraph  *self);
guint              troupe_usage_graph_get_n_points   (TroupeUsageGraph  *self);
void               troupe_usage_graph_hover_at       (TroupeUsageGraph  *self,
                                                      double             x);
void               troupe_usage_graph_clear_hover    (TroupeUsageGraph  *self);
char              *troupe_usage_graph_dup_readout    (TroupeUsageGraph  *self);

void               troupe_usage_graph_get_colour     (guint              colour_index,
                                                      TroupeUsageMetric  metric,
                                                      gboolean           dark,
                                                      GdkRGBA           *colour);
char              *troupe_usage_format_value         (TroupeUsageMetric  metric,
                                                      double             value);

G_END_DECLS
