/* troupe-cluster-view.h: a cluster's page: its address, its members, and what to do with them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "troupe-cluster.h"
#include "troupe-session.h"
#include "troupe-usage-graph.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_CLUSTER_VIEW (troupe_cluster_view_get_type ())
G_DECLARE_FINAL_TYPE (TroupeClusterView, troupe_cluster_view, TROUPE, CLUSTER_VIEW, GtkWidget)

TroupeCluster *troupe_cluster_view_get_cluster (TroupeClusterView *self);
void           troupe_cluster_view_set_cluster (TroupeClusterView *self,
                                                TroupeCluster     *cluster);
void           troupe_cluster_view_set_session (TroupeClusterView *self,
                                                TroupeSession     *session);
TroupeUsageGraph *troupe_cluster_view_get_usage_graph (TroupeClusterView *self,
                                                       TroupeUsageMetric  metric);

G_END_DECLS
