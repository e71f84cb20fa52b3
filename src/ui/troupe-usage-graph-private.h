/* troupe-usage-graph-private.h: what the usage graph's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-usage-graph.h"

G_BEGIN_DECLS

typedef struct
{
  TroupeSampleRing *ring;
  char             *label;
  guint             colour_index;
} Series;

struct _TroupeUsageGraph
{
  GtkWidget          parent_instance;

  TroupeUsageMetric  metric;
  guint              span;        /* seconds */
  GPtrArray         *series;      /* of Series */
  double             hover_x;     /* < 0: not hovering */
};

double              _troupe_usage_graph_sample_value  (TroupeUsageMetric   metric,
                                                       const TroupeSample *sample);
guint               _troupe_usage_graph_find_from     (TroupeSampleRing   *ring,
                                                       gint64              time);
const TroupeSample *_troupe_usage_graph_find_nearest  (TroupeSampleRing   *ring,
                                                       gint64              time);
gint64              _troupe_usage_graph_get_end_time  (TroupeUsageGraph   *self);
gint64              _troupe_usage_graph_get_span_us   (TroupeUsageGraph   *self);
void                _troupe_usage_graph_snapshot      (GtkWidget          *widget,
                                                       GtkSnapshot        *snapshot);

G_END_DECLS
