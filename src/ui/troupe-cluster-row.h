/* troupe-cluster-row.h: a cluster in the sidebar: its name, address and members
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "troupe-cluster.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_CLUSTER_ROW (troupe_cluster_row_get_type ())
G_DECLARE_FINAL_TYPE (TroupeClusterRow, troupe_cluster_row, TROUPE, CLUSTER_ROW, GtkWidget)

GtkWidget *troupe_cluster_row_new         (void);
void       troupe_cluster_row_set_cluster (TroupeClusterRow *self,
                                           TroupeCluster    *cluster);
char      *troupe_cluster_row_dup_address (TroupeCluster    *cluster);
char      *troupe_cluster_row_dup_summary (TroupeCluster    *cluster);

G_END_DECLS
