/* troupe-headless-cluster.h: a cluster in this terminal, its members' output prefixed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-cluster.h"
#include "troupe-headless.h"

G_BEGIN_DECLS

#define TROUPE_TYPE_HEADLESS_CLUSTER (troupe_headless_cluster_get_type ())
G_DECLARE_FINAL_TYPE (TroupeHeadlessCluster, troupe_headless_cluster, TROUPE, HEADLESS_CLUSTER,
                      GObject)

TroupeHeadlessCluster *troupe_headless_cluster_new (TroupeCluster         *cluster,
                                                    guint                  n_members,
                                                    TroupeHeadlessFormat   format);
void                   troupe_headless_cluster_set_stats_interval (TroupeHeadlessCluster *self,
                                                                   guint                  interval_ms);
int                    troupe_headless_cluster_run (TroupeHeadlessCluster *self);
char                  *troupe_headless_cluster_parse_ready_probe (const char  *text,
                                                                  GError     **error);

G_END_DECLS
