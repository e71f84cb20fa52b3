/* troupe-cluster-private.h: what a cluster and its members share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "troupe-cluster.h"
#include "troupe-probe.h"

G_BEGIN_DECLS

TroupeClusterMember *_troupe_cluster_member_new      (TroupeCluster       *cluster,
                                                      guint                id);
void                 _troupe_cluster_member_start    (TroupeClusterMember *self);
void                 _troupe_cluster_member_replace  (TroupeClusterMember *self);
void                 _troupe_cluster_member_leave    (TroupeClusterMember *self);
gboolean             _troupe_cluster_member_is_alive (TroupeClusterMember *self);
void                 _troupe_cluster_member_forget_cluster (TroupeClusterMember *self);
TroupeCluster       *_troupe_cluster_member_get_cluster    (TroupeClusterMember *self);
void                 _troupe_cluster_member_run_online (TroupeClusterMember *self,
                                                        TroupeProcess       *run);
void                 _troupe_cluster_member_run_ready  (TroupeClusterMember *self,
                                                        TroupeProcess       *run);

TroupeCommand       *_troupe_cluster_member_command  (TroupeCluster       *self,
                                                      guint                member_id);
TroupeLauncher      *_troupe_cluster_get_launcher    (TroupeCluster       *self);
TroupeSpoolDir      *_troupe_cluster_get_spool_dir   (TroupeCluster       *self);
TroupeProbeSpec     *_troupe_cluster_dup_ready_probe (TroupeCluster       *self);
int                  _troupe_cluster_share_listener  (TroupeCluster       *self,
                                                      const char          *address,
                                                      guint16              port,
                                                      int                 *errno_out);
void                 _troupe_cluster_member_changed  (TroupeCluster       *self,
                                                      TroupeClusterMember *member);
void                 _troupe_cluster_member_replaced (TroupeCluster       *self,
                                                      TroupeClusterMember *member,
                                                      gboolean             ready);
void                 _troupe_cluster_member_gone     (TroupeCluster       *self,
                                                      TroupeClusterMember *member);

/* The Node cluster protocol, as a member's run speaks it (NODE-IPC.md). */
gboolean             _troupe_node_cluster_handle     (TroupeClusterMember *member,
                                                      TroupeProcess       *run,
                                                      JsonNode            *message);
void                 _troupe_node_cluster_ask_to_leave (TroupeProcess     *run);

G_END_DECLS
